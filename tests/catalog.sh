#!/bin/sh
# The price catalog: the shipped catalog's own consistency (every entry dated, sourced, in a
# documented unit), a scenario that names entries gives the same numbers, bit for bit, as
# the same scenario with the prices typed in, keys beside a reference override it, the
# entries used are named in the reports with their dates and sources, a stale entry is
# warned of only when the scenario has a start, where the catalog is looked for, and the
# errors (unknown entry with its did-you-mean, another currency, a misplaced entry, a broken
# catalog file) name file:line:col and write nothing.
# usage: tests/catalog.sh [RUNRATE]
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh
R=${1:-./runrate}
unset RUNRATE_CATALOG

# --- the shipped catalog: every entry has a date and a source, units are the documented ones
if "$R" prices --catalog scenarios/catalog --format json >"$T/all.json" 2>"$T/err" &&
    python3 - "$T/all.json" <<'EOF'
import json, re, sys, datetime
d = json.load(open(sys.argv[1]))
units = {"model": {"1M tokens"}, "instance": {"hour"},
         "price": {"GB-month", "GB", "1000 pages", "1000 requests", "1000 traces",
                   "1000 characters", "host-month", "user-month", "hour"}}
bad = []
assert len(d["entries"]) >= 20, "a catalog of %d entries" % len(d["entries"])
for e in d["entries"]:
    eid = e["entry"]
    if not re.fullmatch(r"[a-z0-9._-]+(/[a-z0-9._-]+)+", eid): bad.append((eid, "id"))
    datetime.date.fromisoformat(e["checked"])
    if not e["checked"].startswith("20"): bad.append((eid, "checked"))
    if len(e["source"]) < 10 or "shared" in e["source"]: bad.append((eid, "source"))
    if e["unit"] not in units[e["kind"]]: bad.append((eid, "unit"))
    if e["currency"] != "USD": bad.append((eid, "currency"))
    if e["kind"] == "model":
        if "input" not in e: bad.append((eid, "input"))
        for k in ("cached_input", "cache_write", "output"):
            if k in e and e[k] < 0: bad.append((eid, k))
        if "cached_input" in e and e["cached_input"] > e["input"]: bad.append((eid, "cached > input"))
        if "batch_discount" in e and not 0 <= e["batch_discount"] <= 1: bad.append((eid, "batch"))
    elif e["kind"] == "instance":
        if "reserved_1y" in e and e["reserved_1y"] > e["on_demand"]: bad.append((eid, "reserved"))
        if "spot" in e and not 0 <= e["spot"][0] <= e["spot"][1]: bad.append((eid, "spot"))
    elif e["price"] < 0: bad.append((eid, "price"))
kinds = {e["kind"] for e in d["entries"]}
assert kinds == {"model", "instance", "price"}, kinds
assert not bad, bad
EOF
then ok; else bad "the shipped catalog is not consistent: $(cat "$T/err")"; fi
# The table lists every entry the JSON does.
n_json=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["entries"]))' "$T/all.json")
if "$R" prices --catalog scenarios/catalog | grep -q "^$n_json of $n_json entries"; then ok
else bad "prices: the table does not count $n_json entries"; fi

# --- a catalog of known prices, and a scenario naming its entries
mkdir -p "$T/cat" "$T/eur"
cat >"$T/cat/acme.yaml" <<'EOF'
provider: acme
currency: USD
source: "Acme price list, https://acme.example/pricing"
checked: 2026-03-01
models:
  big-1: {input: 3, output: 15, cached_input: 0.3, cache_write: 3.75, batch_discount: 0.5}
  embed-1: {input: 0.02, checked: 2026-02-28, source: "Acme embeddings page"}
instances:
  us-east-1/gpu.xlarge: {on_demand: 0.8, reserved_1y: 0.5, spot: [0.25, 0.45]}
  us-east-1/cpu.large: {on_demand: 0.1}
prices:
  us-east-1/blob: {price: 0.023, unit: GB-month}
  us-east-1/ocr: {price: 1.5, unit: 1000 pages}
EOF
cat >"$T/eur/euro.yaml" <<'EOF'
provider: euro
currency: EUR
source: "Euro price list, https://euro.example"
checked: 2026-06-01
models:
  m: {input: 1, output: 2}
EOF
cat >"$T/named.yaml" <<'EOF'
name: catalog
start: 2026-09
horizon_months: 12
demand: {requests_per_month: 100000 to 200000}
costs:
  - {name: chat, type: model_api, input_tokens: 500 to 1500, output_tokens: 200,
     cached_share: 0.3, cache_write_share: 0.1, batch_share: 0.2,
     price_per_million: {catalog: acme/big-1, output: 12}}
  - {name: embed, type: model_api, input_tokens: 300, price_per_million: {catalog: acme/embed-1}}
  - {name: gpu, type: compute, hourly_rate: {catalog: acme/us-east-1/gpu.xlarge},
     requests_per_instance_hour: 200 to 400,
     reserved: {instances: 1, hourly_rate: {catalog: acme/us-east-1/gpu.xlarge/reserved-1y}},
     spot: {share: 0.5, rate: {catalog: acme/us-east-1/gpu.xlarge/spot}}}
  - {name: store, type: storage, gb_per_request: 0.0001,
     price_per_gb_month: {catalog: acme/us-east-1/blob}}
  - {name: ocr, type: per_request, category: managed_ai, units_per_request: 3,
     unit_price: {catalog: acme/us-east-1/ocr}}
EOF
cat >"$T/typed.yaml" <<'EOF'
name: catalog
start: 2026-09
horizon_months: 12
demand: {requests_per_month: 100000 to 200000}
costs:
  - {name: chat, type: model_api, input_tokens: 500 to 1500, output_tokens: 200,
     cached_share: 0.3, cache_write_share: 0.1, batch_share: 0.2,
     price_per_million: {output: 12, input: 3, cached_input: 0.3, cache_write: 3.75,
                         batch_discount: 0.5}}
  - {name: embed, type: model_api, input_tokens: 300, price_per_million: {input: 0.02}}
  - {name: gpu, type: compute, hourly_rate: 0.8,
     requests_per_instance_hour: 200 to 400,
     reserved: {instances: 1, hourly_rate: 0.5},
     spot: {share: 0.5, rate: {uniform: {min: 0.25, max: 0.45}}}}
  - {name: store, type: storage, gb_per_request: 0.0001, price_per_gb_month: 0.023}
  - {name: ocr, type: per_request, category: managed_ai, units_per_request: 3,
     unit_price: 0.0015}
EOF
# The numbers: every key but the catalog's, the warnings and the run's timing the same.
strip() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in ("catalog", "warnings", "run"): d.pop(k, None)
print(json.dumps(d, sort_keys=True))' "$1"
}
if "$R" run "$T/named.yaml" --catalog "$T/cat" --paths 4000 --swings 2 --format json \
        --out "$T/named.json" --no-warnings &&
    "$R" run "$T/typed.yaml" --paths 4000 --swings 2 --format json --out "$T/typed.json" &&
    [ "$(strip "$T/named.json")" = "$(strip "$T/typed.json")" ]; then ok
else bad "a scenario naming catalog entries differs from the same prices typed in"; fi
# The reports name each entry once, in the order of first use, with its date and source.
if python3 - "$T/named.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
want = [("acme/big-1", "2026-03-01", "Acme price list, https://acme.example/pricing"),
        ("acme/embed-1", "2026-02-28", "Acme embeddings page"),
        ("acme/us-east-1/gpu.xlarge", "2026-03-01", "Acme price list, https://acme.example/pricing"),
        ("acme/us-east-1/gpu.xlarge/reserved-1y", "2026-03-01", "Acme price list, https://acme.example/pricing"),
        ("acme/us-east-1/gpu.xlarge/spot", "2026-03-01", "Acme price list, https://acme.example/pricing"),
        ("acme/us-east-1/blob", "2026-03-01", "Acme price list, https://acme.example/pricing"),
        ("acme/us-east-1/ocr", "2026-03-01", "Acme price list, https://acme.example/pricing")]
got = [(c["entry"], c["checked"], c["source"]) for c in d["catalog"]]
assert got == want, got
# Checked 2026-02-28: six months later is 2026-08-28, before the start 2026-09: stale.  The
# others, 2026-03-01 + 6 months = 2026-09-01, are not more than six months before it.
stale = [w for w in d["warnings"] if w["code"] == "catalog-stale"]
assert len(stale) == 1 and "acme/embed-1" in stale[0]["message"], stale
assert stale[0]["where"].endswith("named.yaml:9:84"), stale[0]["where"]
EOF
then ok; else bad "the run's JSON does not name the catalog entries, or warns wrongly"; fi
# One price of a model in a variable, a schedule and a price list's key.
cat >"$T/one.yaml" <<'EOF'
name: one
horizon_months: 6
variables:
  p_in: {catalog: acme/big-1/input}
  p_out: {schedule: {1: {catalog: acme/big-1/output}, 4: {catalog: acme/big-1/cached_input}}}
demand: {requests_per_month: 1000 to 2000}
costs:
  - {name: f, type: formula, category: managed_ai, cost: "requests * (p_in + p_out) / 1000"}
  - {name: m, type: model_api, input_tokens: 100, price_per_million: {input: {catalog: acme/big-1/cache_write}}}
EOF
sed 's|{catalog: acme/big-1/input}|3|; s|{catalog: acme/big-1/output}|15|; s|{catalog: acme/big-1/cached_input}|0.3|; s|{catalog: acme/big-1/cache_write}|3.75|' \
    "$T/one.yaml" >"$T/one-typed.yaml"
if "$R" run "$T/one.yaml" --catalog "$T/cat" --paths 2000 --swings 0 --format json --out "$T/one.json" &&
    "$R" run "$T/one-typed.yaml" --paths 2000 --swings 0 --format json --out "$T/one-typed.json" &&
    [ "$(strip "$T/one.json")" = "$(strip "$T/one-typed.json")" ] &&
    grep -q '"entry": "acme/big-1/cache_write"' "$T/one.json"; then ok
else bad "one price of a model (ENTRY/input ...) differs from the price typed in"; fi
printf 'name: x\nhorizon_months: 3\ndemand: {requests_per_month: 1000}\ncosts:\n  - %s\n' \
    '{name: a, type: model_api, input_tokens: 10, price_per_million: {input: {catalog: acme/embed-1/output}}}' >"$T/e11.yaml"
if ! "$R" validate --catalog "$T/cat" "$T/e11.yaml" >/dev/null 2>"$T/err" &&
    grep -q "input: catalog entry 'acme/embed-1/output' has no such price" "$T/err"; then ok
else bad "a model's missing price: $(cat "$T/err")"; fi

# compare names each file's entries.
if "$R" compare "$T/named.yaml" "$T/typed.yaml" --catalog "$T/cat" --paths 500 --format json \
        --no-warnings 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin)["scenarios"]
assert len(d[0]["catalog"]) == 7 and d[1]["catalog"] == [], d' ; then ok
else bad "compare's JSON does not name each file's catalog entries"; fi

for f in md html table; do
    if "$R" run "$T/named.yaml" --catalog "$T/cat" --paths 500 --swings 0 --format $f \
            --no-warnings 2>/dev/null | grep -q "acme/us-east-1/gpu.xlarge/reserved-1y"; then ok
    else bad "the $f report does not name the catalog entries"; fi
done
# Without a start, no warning: a report never depends on today's date.
sed '/^start:/d' "$T/named.yaml" >"$T/nostart.yaml"
if "$R" validate --strict --catalog "$T/cat" "$T/nostart.yaml" >/dev/null 2>&1; then ok
else bad "a scenario without start is warned of a stale catalog entry"; fi
if ! "$R" validate --strict --catalog "$T/cat" "$T/named.yaml" >/dev/null 2>"$T/err" &&
    grep -q "named.yaml:9:84: error: catalog entry acme/embed-1 (2026-02-28) was checked more than six months before the scenario's start (2026-09)" "$T/err"
then ok; else bad "--strict does not fail on a stale entry: $(cat "$T/err")"; fi

# --- where the catalog is found: --catalog, else RUNRATE_CATALOG
if RUNRATE_CATALOG="$T/cat" "$R" validate "$T/nostart.yaml" >/dev/null 2>&1; then ok
else bad "RUNRATE_CATALOG is not read"; fi
if RUNRATE_CATALOG="$T/eur" "$R" validate --catalog "$T/cat" "$T/nostart.yaml" >/dev/null 2>&1
then ok; else bad "--catalog does not come before RUNRATE_CATALOG"; fi
if ! RUNRATE_CATALOG="$T/none" "$R" validate "$T/nostart.yaml" >/dev/null 2>"$T/err" &&
    grep -q "nostart.yaml:[0-9]*:[0-9]*: error: price_per_million: catalog entry 'acme/big-1' named, but no price catalog was found" "$T/err"
then ok; else bad "a missing catalog is not reported: $(cat "$T/err")"; fi
# A scenario that names no entry needs no catalog.
if RUNRATE_CATALOG="$T/none" "$R" validate scenarios/support-agent.yaml >/dev/null 2>&1 ||
    grep -q "catalog:" scenarios/support-agent.yaml; then ok
else bad "a scenario without references asks for a catalog"; fi

# --- errors: at the reference, exit status 2, nothing written
# refuse NAME EXPECTED FILE: the file fails validation and run with EXPECTED in stderr.
refuse() {
    name=$1 want=$2 file=$3
    if "$R" validate --catalog "$T/cat" "$file" >/dev/null 2>"$T/err"; then
        bad "$name: accepted"
        return
    fi
    if ! grep -q -- "$want" "$T/err"; then
        bad "$name: expected '$want' in: $(cat "$T/err")"
        return
    fi
    rm -f "$T/out.json"
    "$R" run --catalog "$T/cat" "$file" --paths 10 --format json --out "$T/out.json" 2>/dev/null
    if [ $? -eq 2 ] && [ ! -e "$T/out.json" ]; then ok; else bad "$name: run wrote a report"; fi
}
scenario() {
    printf 'name: x\nhorizon_months: 3\ndemand: {requests_per_month: 1000}\ncosts:\n  - %s\n' "$1"
}
scenario '{name: a, type: model_api, input_tokens: 10, price_per_million: {catalog: acme/big-2}}' >"$T/e1.yaml"
refuse "unknown entry" "e1.yaml:5:79: error: price_per_million: unknown catalog entry 'acme/big-2' (did you mean 'acme/big-1'?)" "$T/e1.yaml"
scenario '{name: a, type: compute, hourly_rate: {catalog: acme/big-1}, requests_per_instance_hour: 10}' >"$T/e2.yaml"
refuse "model entry as a rate" "is a model's price list: it goes under price_per_million" "$T/e2.yaml"
scenario '{name: a, type: model_api, input_tokens: 10, price_per_million: {catalog: acme/us-east-1/blob}}' >"$T/e3.yaml"
refuse "a price as a price list" "price_per_million: 'acme/us-east-1/blob' is a unit price, not a model's price list" "$T/e3.yaml"
scenario '{name: a, type: compute, hourly_rate: {catalog: acme/us-east-1/cpu.large/reserved-1y}, requests_per_instance_hour: 10}' >"$T/e4.yaml"
refuse "no reserved rate" "has no one-year reserved rate" "$T/e4.yaml"
scenario '{name: a, type: compute, hourly_rate: {catalog: acme/us-east-1/gpu.xlarge, vary: monthly}, requests_per_instance_hour: 10}' >"$T/e5.yaml"
refuse "keys beside one number" "is one number: nothing may stand beside" "$T/e5.yaml"
scenario '{name: a, type: model_api, input_tokens: 10, price_per_million: {catalog: [acme/big-1]}}' >"$T/e6.yaml"
refuse "not a string" "price_per_million.catalog: expected an entry such as" "$T/e6.yaml"
scenario '{name: a, type: storage, gb_per_request: 1, price_per_gb_month: {catalog: acme/us-east-1/ocr}}' >"$T/e9.yaml"
refuse "a unit unlike the key's" "price_per_gb_month: catalog entry 'acme/us-east-1/ocr' is priced per 1000 pages, price_per_gb_month is per GB-month" "$T/e9.yaml"
scenario '{name: a, type: compute, hourly_rate: {catalog: acme/us-east-1/blob}, requests_per_instance_hour: 10}' >"$T/e10.yaml"
refuse "a storage price as a rate" "hourly_rate: catalog entry 'acme/us-east-1/blob' is priced per GB-month, hourly_rate is per hour" "$T/e10.yaml"
# Another currency: nothing is converted.
{ printf 'currency: USD\n'; scenario '{name: a, type: model_api, input_tokens: 10, price_per_million: {catalog: euro/m}}'; } >"$T/e7.yaml"
if ! "$R" validate --catalog "$T/eur" "$T/e7.yaml" >/dev/null 2>"$T/err" &&
    grep -q "e7.yaml:6:79: error: price_per_million: catalog entry 'euro/m' is priced in EUR, the scenario in USD: nothing is converted" "$T/err"
then ok; else bad "another currency: $(cat "$T/err")"; fi
{ printf 'currency: EUR\n'; scenario '{name: a, type: model_api, input_tokens: 10, price_per_million: {catalog: euro/m}}'; } >"$T/e8.yaml"
if "$R" validate --catalog "$T/eur" "$T/e8.yaml" >/dev/null 2>&1; then ok
else bad "a catalog in the scenario's currency is refused"; fi

# A broken catalog file: its own file:line:col, and the scenario fails.
mkdir -p "$T/broken"
printf 'provider: broken\ncurrency: USD\nsource: "x page"\nchecked: 2026-13-01\nmodels:\n  m: {input: 1, outptu: 2}\nprices:\n  p: {price: 1, unit: GB-months}\n' >"$T/broken/broken.yaml"
if ! "$R" prices --catalog "$T/broken" >/dev/null 2>"$T/err" &&
    grep -q "broken.yaml:4:10: error: checked: expected a date YYYY-MM-DD, got '2026-13-01'" "$T/err"; then ok
else bad "a bad date in a catalog file: $(cat "$T/err")"; fi
sed -i 's/2026-13-01/2026-12-01/' "$T/broken/broken.yaml"
if ! "$R" prices --catalog "$T/broken" >/dev/null 2>"$T/err" &&
    grep -q "broken.yaml:6:17: error: unknown key 'outptu'" "$T/err" &&
    grep -q "broken.yaml:8:23: error: broken/p.unit: unknown unit 'GB-months' (did you mean 'GB-month'?)" "$T/err"
then ok; else bad "a catalog file's slips: $(cat "$T/err")"; fi
printf 'provider: other\ncurrency: USD\nmodels:\n  m: {input: 1}\n' >"$T/broken/broken.yaml"
if ! "$R" prices --catalog "$T/broken" >/dev/null 2>"$T/err" &&
    grep -q "broken.yaml:1:11: error: provider: 'other' must be the file's name" "$T/err" ; then ok
else bad "a provider unlike its file name: $(cat "$T/err")"; fi
printf 'provider: broken\ncurrency: USD\nmodels:\n  m: {input: 1}\n' >"$T/broken/broken.yaml"
if ! "$R" prices --catalog "$T/broken" >/dev/null 2>"$T/err" &&
    grep -q "broken.yaml:4:6: error: broken/m: no date" "$T/err" &&
    grep -q "broken.yaml:4:6: error: broken/m: no source" "$T/err"; then ok
else bad "an entry without a date or a source: $(cat "$T/err")"; fi

# --- prices: a pattern, a glob, JSON
if "$R" prices --catalog "$T/cat" gpu | grep -q "acme/us-east-1/gpu.xlarge" &&
    ! "$R" prices --catalog "$T/cat" gpu | grep -q "acme/big-1" &&
    [ "$("$R" prices --catalog "$T/cat" 'acme/*-1' --format json |
        python3 -c 'import json,sys; print(" ".join(e["entry"] for e in json.load(sys.stdin)["entries"]))')" = "acme/big-1 acme/embed-1" ]
then ok; else bad "prices PATTERN"; fi
if ! "$R" prices --catalog "$T/cat" --format csv >/dev/null 2>&1; then ok
else bad "prices --format csv accepted"; fi

summary catalog
