#!/bin/sh
# The JSON Schema of the scenario format (`runrate schema`, docs/scenario.schema.json): the
# shipped file is the command's output byte for byte; with python3, jsonschema and yaml
# (make test-deps), it is a valid draft 2020-12 schema, every valid scenario the project
# ships or tests validates against it, and inputs it can tell are wrong are rejected.
# usage: tests/schema.sh RUNRATE.  Ends with "schema: N passed, M failed".
R=${1:-./runrate}
. "$(dirname "$0")/lib.sh"
S=docs/scenario.schema.json

# (1) the shipped schema is the command's output; --out writes the same bytes.
if "$R" schema >"$T/schema.json" 2>"$T/err"; then ok; else bad "runrate schema failed"; cat "$T/err"; fi
cmp -s "$T/schema.json" "$S" && ok ||
    bad "$S differs from 'runrate schema' (write it anew: ./runrate schema --out $S)"
"$R" schema --out "$T/out.json" && cmp -s "$T/out.json" "$T/schema.json" && ok ||
    bad "runrate schema --out writes the schema"
"$R" schema --help | grep -q 'usage: runrate schema' && ok || bad "schema --help"
"$R" schema --frobnicate >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "schema with a bad option: exit 2"
"$R" --help | grep -q '^  schema ' && ok || bad "runrate --help lists schema"

if ! python3 -c 'import jsonschema, yaml' >/dev/null 2>&1; then
    bad "python3 with jsonschema and yaml is needed (make test-deps)"
    summary schema
    exit
fi
check() {   # check good|bad FILE...: every file validates (good) or is rejected (bad)
    want=$1; shift
    python3 tests/schema_check.py "$S" "$want" "$@" >"$T/check" 2>&1
    while IFS= read -r line; do
        case $line in ok\ *) ok ;; *) bad "schema ($want): $line" ;; esac
    done <"$T/check"
}

# (2) valid scenarios: the shipped ones (a file with `extends` is a layer: the schema asks
# nothing of it but what it writes), those one level down that are scenarios (not the price
# catalog's files), the benchmark's, the tests' files that load with warnings only, and a
# few written here.
set --
for f in scenarios/*.yaml scenarios/*/*.yaml; do
    [ -f "$f" ] || continue
    case $f in scenarios/catalog/*) continue ;; esac
    set -- "$@" "$f"
done
check good "$@" bench/large.yaml tests/bad/warn-*.yaml

# Every distribution form the validation reads, each accepted by runrate too.
cat >"$T/forms.yaml" <<'Y'
name: forms
start: 2027-01
horizon_months: 12
simulation: {paths: 1000, seed: 3}
budget: {total: 1e6, monthly: "90000", confidence: 0.9, fiscal_year_start: 4,
         fiscal_year_label: start, periods: {FY2027: 500000}}
variables: {users: {poisson: {mean: 300}}, adoption: {beta: {a: 2, b: 5}}, seats: "users * adoption"}
demand:
  chat:
    requests_per_month: {lognormal: {p5: 1000, p95: 3000}}
    growth_per_month: {normal: {mean: 0.02, sd: 0.01}, vary: monthly, clamp: [-0.05, 0.1]}
    seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.2]
    noise: 0.05
    spikes: {per_month: 0.2, multiplier: {gamma: {shape: 2, scale: 1}}, days: {uniform: {min: 1, max: 3}}}
  docs:
    requests_per_month: {lognormal: {median: 500, sigma: 0.3}}
costs:
  - {name: api, type: model_api, demand: chat, input_tokens: {lognormal: {mean: 1000, sd: 200}},
     output_tokens: {triangular: {min: 100, mode: 200, max: 400}},
     calls_per_request: {discrete: {values: [1, 2, 3], weights: [0.5, 0.3, 0.2]}},
     cached_share: {bernoulli: {p: 0.5}},
     price_per_million: {input: {schedule: {2027-01: 3, 2027-07: 2.5}}, output: 15},
     price_change: {chance_per_month: 0.05, factor: 0.8},
     commitment: {monthly: 100, discount: 0.2, from_month: 1, until_month: 12}}
  - {name: ocr, type: per_request, demand: docs, units_per_request: {pert: {min: 1, mode: 3, max: 9}},
     tiers: [{up_to: 1000, unit_price: 0.01}, {unit_price: 0.005}]}
  - {name: gpu, type: compute, demand: chat, requests_per_instance_hour: 100, scaling: hourly,
     daily_profile: [1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 3, 2, 2, 1, 1, 1, 1, 1],
     hourly_rate: 2.5, reserved: {instances: 1, hourly_rate: 1.5}, spot: {share: 0.3, rate: 1}}
  - {name: tools, type: seats, users: "ceil(seats)", price_per_user_month: 20}
correlations:
  - {between: [costs.api.input_tokens, costs.api.output_tokens], rank: 0.5}
actuals:
  map:
    - {match: {ServiceName: "Amazon Bedrock"}, component: api}
    - {match: {"Tags.team": "ml-*"}, category: compute}
Y
"$R" validate "$T/forms.yaml" >"$T/out" 2>&1 && ok || { bad "runrate validate forms.yaml"; cat "$T/out"; }
# Catalog references (checked by the schema alone: the entries are the catalog's business).
cat >"$T/catalog.yaml" <<'Y'
name: catalog
horizon_months: 6
demand: {requests_per_month: 1000}
costs:
  - {name: chat, type: model_api, input_tokens: 1000,
     price_per_million: {catalog: anthropic/claude-sonnet-4.5}}
  - {name: chat2, type: model_api, input_tokens: 1000,
     price_per_million: {catalog: openai/gpt-5-mini, output: 2}}
  - {name: gpu, type: compute, requests_per_instance: 1000,
     hourly_rate: {catalog: aws/g5.xlarge}, spot: {share: 0.5, rate: {catalog: aws/g5.xlarge/spot, vary: monthly}}}
Y
# Layers: only what differs, a component without its type, one removed.
cat >"$T/layer.yaml" <<'Y'
extends: base.yaml
demand: {growth_per_month: 0.01}
costs:
  - {name: chat, price_per_million: {input: 1}}
  - {name: old, remove: true}
Y
check good "$T/forms.yaml" "$T/catalog.yaml" "$T/layer.yaml"

# (3) what the schema rejects.
n=0
reject() {   # reject DESCRIPTION: stdin is a YAML file the schema must reject
    n=$((n + 1))
    cat >"$T/bad-$n.yaml"
    check bad "$T/bad-$n.yaml"
}
reject "an unknown top-level key" <<'Y'
name: x
horizon_month: 12
horizon_months: 12
demand: {requests_per_month: 1000}
costs: [{name: api, type: model_api, input_tokens: 10, price_per_million: {input: 1}}]
Y
reject "an unknown component key" <<'Y'
name: x
horizon_months: 12
demand: {requests_per_month: 1000}
costs: [{name: api, type: model_api, input_tokens: 10, price_per_million: {input: 1}, Category: mlops}]
Y
reject "a string where a mapping is needed" <<'Y'
name: x
horizon_months: 12
demand: lots
costs: [{name: api, type: model_api, input_tokens: 10, price_per_million: {input: 1}}]
Y
reject "horizon_months as a string" <<'Y'
name: x
horizon_months: twelve
demand: {requests_per_month: 1000}
costs: [{name: api, type: model_api, input_tokens: 10, price_per_million: {input: 1}}]
Y
reject "no costs" <<'Y'
name: x
horizon_months: 12
demand: {requests_per_month: 1000}
Y
reject "a model_api without input_tokens" <<'Y'
name: x
horizon_months: 12
demand: {requests_per_month: 1000}
costs: [{name: api, type: model_api, price_per_million: {input: 1}}]
Y
reject "an unknown type" <<'Y'
name: x
horizon_months: 12
demand: {requests_per_month: 1000}
costs: [{name: api, type: model_apy, input_tokens: 10, price_per_million: {input: 1}}]
Y
reject "a price list without input or catalog" <<'Y'
name: x
horizon_months: 12
demand: {requests_per_month: 1000}
costs: [{name: api, type: model_api, input_tokens: 10, price_per_million: {output: 1}}]
Y
reject "two distributions in one value" <<'Y'
name: x
horizon_months: 12
demand: {requests_per_month: {normal: {mean: 1, sd: 1}, uniform: {min: 1, max: 2}}}
costs: [{name: api, type: model_api, input_tokens: 10, price_per_million: {input: 1}}]
Y
reject "an unknown distribution parameter" <<'Y'
name: x
horizon_months: 12
demand: {requests_per_month: {normal: {mean: 1, stdev: 1}}}
costs: [{name: api, type: model_api, input_tokens: 10, price_per_million: {input: 1}}]
Y
reject "vary weekly" <<'Y'
name: x
horizon_months: 12
demand: {requests_per_month: {normal: {mean: 1, sd: 1}, vary: weekly}}
costs: [{name: api, type: model_api, input_tokens: 10, price_per_million: {input: 1}}]
Y
reject "a share above 1" <<'Y'
name: x
horizon_months: 12
demand: {requests_per_month: 1000}
costs: [{name: api, type: model_api, input_tokens: 10, cached_share: 1.5, price_per_million: {input: 1}}]
Y
reject "a fixed cost without a category" <<'Y'
name: x
horizon_months: 12
demand: {requests_per_month: 1000}
costs: [{name: ops, type: fixed, monthly: 100}]
Y
reject "seasonality of eleven" <<'Y'
name: x
start: 2027-01
horizon_months: 12
demand: {requests_per_month: 1000, seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}
costs: [{name: api, type: model_api, input_tokens: 10, price_per_million: {input: 1}}]
Y
reject "a catalog reference with another key" <<'Y'
name: x
horizon_months: 12
demand: {requests_per_month: {catalog: a/b, mean: 3}}
costs: [{name: api, type: model_api, input_tokens: 10, price_per_million: {input: 1}}]
Y
reject "an unknown key in a layer's component" <<'Y'
extends: base.yaml
costs: [{name: api, input_tokenz: 10}]
Y

summary schema
