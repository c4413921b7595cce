#!/bin/sh
# Command-line tests: exit statuses, help, reproducibility across thread counts, --out
# written whole or not at all.  usage: tests/cli.sh RUNRATE
# Prints one line per failure and finally "cli: N passed, M failed".
R=${1:-./runrate}
. "$(dirname "$0")/lib.sh"
# expect STATUS DESCRIPTION -- COMMAND...: run COMMAND, compare its exit status
expect() {
    want=$1; what=$2; shift 3
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, expected $want"; cat "$T/err"; fi
}
strip_run() { grep -v '"run":' "$1"; }

S=scenarios/support-agent.yaml
cat >"$T/tiny.yaml" <<'Y'
name: tiny
horizon_months: 3
simulation: {paths: 2000, seed: 7}
demand: {requests_per_month: 1000 to 2000}
costs:
  - {name: api, type: model_api, input_tokens: 1000, output_tokens: 200,
     price_per_million: {input: 3, output: 15}}
Y

expect 0 "--version" -- "$R" --version
grep -q '^runrate [0-9]' "$T/out" && ok || bad "--version prints the version"
expect 0 "--help" -- "$R" --help
grep -q 'usage: runrate' "$T/out" && ok || bad "--help prints usage"
expect 0 "run --help" -- "$R" run --help
grep -q -- '--paths' "$T/out" && ok || bad "run --help lists --paths"
expect 0 "validate --help" -- "$R" validate --help
expect 2 "no command" -- "$R"
expect 2 "unknown command" -- "$R" frobnicate
expect 2 "a misspelt command" -- "$R" prics
grep -q "unknown command 'prics' (did you mean 'prices'?)" "$T/err" && ok || bad "misspelt command: no did-you-mean"
expect 2 "run without a file" -- "$R" run
expect 2 "run with a bad --paths" -- "$R" run "$T/tiny.yaml" --paths 0
expect 2 "run with a bad --paths" -- "$R" run "$T/tiny.yaml" --paths abc
expect 2 "run with a bad --format" -- "$R" run "$T/tiny.yaml" --format xml
expect 2 "run with an unknown option" -- "$R" run "$T/tiny.yaml" --pahts 10
expect 2 "run with bad --percentiles" -- "$R" run "$T/tiny.yaml" --percentiles 100
expect 2 "run on a missing file" -- "$R" run "$T/none.yaml"
grep -q "none.yaml: error: cannot open" "$T/err" && ok || bad "missing file names the file"
expect 2 "run on a directory" -- "$R" run "$T"

# The shipped scenarios are valid; their only warnings are catalog prices checked more than
# six months before their start (the catalog's dates are those of the dated records the
# prices were checked against).
for f in scenarios/*.yaml; do
    expect 0 "validate $f" -- "$R" validate "$f"
    grep -qxE "$f: ok( \(with warnings\))?" "$T/out" && ok || bad "validate $f prints '$f: ok'"
    if grep -vE ": warning: ([0-9]+ )?catalog entr(y|ies) .* checked more than six months before" "$T/err" |
        grep -q .; then bad "validate $f: a warning other than catalog-stale: $(cat "$T/err")"
    else ok; fi
done

# Reproducible bit for bit whatever the thread count (timing aside).
for f in scenarios/*.yaml "$T/tiny.yaml"; do
    "$R" run "$f" --paths 30000 --format json --threads 1 >"$T/t1.json" &&
    "$R" run "$f" --paths 30000 --format json --threads 2 >"$T/t2.json" &&
    "$R" run "$f" --paths 30000 --format json --threads 3 >"$T/t3.json"
    if [ $? -ne 0 ]; then bad "run $f"; continue; fi
    strip_run "$T/t1.json" >"$T/a"; strip_run "$T/t2.json" >"$T/b"; strip_run "$T/t3.json" >"$T/c"
    cmp -s "$T/a" "$T/b" && cmp -s "$T/a" "$T/c" && ok || bad "$f: JSON differs between 1, 2 and 3 threads"
done

# The same seed gives the same numbers; another seed other numbers.
"$R" run "$T/tiny.yaml" --format json >"$T/s1.json"
"$R" run "$T/tiny.yaml" --format json >"$T/s2.json"
"$R" run "$T/tiny.yaml" --format json --seed 8 >"$T/s3.json"
strip_run "$T/s1.json" >"$T/a"; strip_run "$T/s2.json" >"$T/b"; strip_run "$T/s3.json" >"$T/c"
cmp -s "$T/a" "$T/b" && ok || bad "same seed, different output"
cmp -s "$T/a" "$T/c" && bad "seed 7 and 8 give the same output" || ok
grep -q '"seed": 8,' "$T/s3.json" && ok || bad "--seed overrides the file's seed"
grep -q '"paths": 2000,' "$T/s1.json" && ok || bad "simulation.paths is used"

# JSON keys of the foundation.
for k in runrate scenario currency horizon_months months paths seed total categories \
         components monthly budget run; do
    grep -q "^  \"$k\":" "$T/s1.json" && ok || bad "JSON lacks the top-level key $k"
done
for k in sd p5 p10 p25 p50 p75 p80 p90 p95 p99; do
    grep -q "\"total\": {\"mean\": .*\"$k\": " "$T/s1.json" && ok || bad "total lacks $k"
done
grep -q '"budget": {"total": null, "confidence": 0.8, "p_exceed": null, "recommended": ' \
    "$T/s1.json" && ok || bad "budget without a total"
grep -q '"months": \["M1", "M2", "M3"\]' "$T/s1.json" && ok || bad "months without start"
if command -v python3 >/dev/null 2>&1; then
    python3 -m json.tool "$T/s1.json" >/dev/null && ok || bad "the JSON does not parse"
fi
"$R" run "$T/tiny.yaml" --format json --percentiles 99.9,99.99 >"$T/p.json"
grep -q '"p99.9": .*"p99.99": ' "$T/p.json" && ok || bad "--percentiles adds p99.9 and p99.99"

# The handover figures.
for k in drivers spikes unit_cost precision; do
    grep -q "^  \"$k\":" "$T/s1.json" && ok || bad "JSON lacks the top-level key $k"
done
grep -q '"total": {"mean": .*"ci95": {"p5": \[' "$T/s1.json" && ok || bad "statistics lack ci95"
grep -q '"monthly": null, "monthly_p_exceed": null, "first_month_over": null' "$T/s1.json" &&
    ok || bad "budget without a monthly budget"
expect 2 "--precision below 0.002" -- "$R" run "$T/tiny.yaml" --precision 0.001
grep -q "finer than 0.002" "$T/err" && ok || bad "--precision 0.001 is refused with a reason"
expect 2 "--precision with --paths" -- "$R" run "$T/tiny.yaml" --precision 0.01 --paths 100
expect 2 "--max-paths without --precision" -- "$R" run "$T/tiny.yaml" --max-paths 100
"$R" run "$T/tiny.yaml" --precision 0.01 --format json --threads 1 >"$T/q1.json" 2>"$T/err" &&
"$R" run "$T/tiny.yaml" --precision 0.01 --format json --threads 2 >"$T/q2.json" 2>>"$T/err"
strip_run "$T/q1.json" >"$T/qa"; strip_run "$T/q2.json" >"$T/qb"
cmp -s "$T/qa" "$T/qb" && ok || bad "--precision differs between 1 and 2 threads"
grep -q '"precision": {"target": 0.01, "achieved": .*"met": true' "$T/q1.json" && ok || bad "precision reported"
[ ! -s "$T/err" ] && ok || bad "progress printed on a stderr that is not a terminal"

# Formats.
"$R" run "$T/tiny.yaml" --format csv >"$T/r.csv" && head -1 "$T/r.csv" | grep -q '^ChargePeriodStart,ChargePeriodEnd,BillingCurrency,ServiceCategory' &&
    ok || bad "--format csv writes FOCUS-shaped columns"
"$R" run "$T/tiny.yaml" --format md >"$T/r.md" && grep -q '^# ' "$T/r.md" && ok || bad "--format md"
"$R" run "$T/tiny.yaml" --format html >"$T/r.html" && grep -q '^<!DOCTYPE html>' "$T/r.html" && ok || bad "--format html"

# compare, --set, --sweep.
expect 0 "compare a file with itself" -- "$R" compare "$T/tiny.yaml" "$T/tiny.yaml" --format json
grep -q '"p_b_costlier": 0}' "$T/out" && ok || bad "a file compared with itself: p_b_costlier 0"
grep -q '"differences": \[' "$T/out" && grep -q '"scenarios": \[' "$T/out" && ok || bad "compare JSON keys"
sed 's/input: 3,/input: 1.5,/' "$T/tiny.yaml" >"$T/cheap.yaml"
"$R" compare "$T/tiny.yaml" "$T/cheap.yaml" --format json --threads 1 >"$T/c1.json" &&
"$R" compare "$T/tiny.yaml" "$T/cheap.yaml" --format json --threads 2 >"$T/c2.json"
grep -q '"p_b_costlier": 0}' "$T/c1.json" && ok || bad "a cheaper B is never costlier"
strip_run "$T/c1.json" >"$T/ca"; strip_run "$T/c2.json" >"$T/cb"
cmp -s "$T/ca" "$T/cb" && ok || bad "compare differs between 1 and 2 threads"
expect 2 "compare with one file" -- "$R" compare "$T/tiny.yaml"
expect 0 "compare as csv" -- "$R" compare "$T/tiny.yaml" "$T/cheap.yaml" --format csv
grep -q '^difference,tiny,tiny,USD,total,p95,' "$T/out" && ok || bad "compare csv has the difference rows"
expect 0 "compare as html" -- "$R" compare "$T/tiny.yaml" "$T/cheap.yaml" --format html
head -n 1 "$T/out" | grep -q '^<!DOCTYPE html>' && grep -q '<svg class="chart" id="diff-1"' "$T/out" &&
    ok || bad "compare --format html writes a page with the difference's chart"
expect 2 "compare with an unknown format" -- "$R" compare "$T/tiny.yaml" "$T/cheap.yaml" --format pdf
grep -q 'expected table, json, csv, md or html' "$T/err" && ok || bad "compare --format names html"
expect 0 "--set" -- "$R" run "$T/tiny.yaml" --format json --set simulation.paths=777 --set 'demand.requests_per_month=100 to 200'
grep -q '"paths": 777,' "$T/out" && ok || bad "--set simulation.paths"
expect 2 "--set a bad value" -- "$R" run "$T/tiny.yaml" --set costs.api.price_per_million.input=-1
grep -q 'costs.api.price_per_million.input: must be > 0' "$T/err" && ok || bad "--set is validated as the file"
expect 2 "--set an unknown key" -- "$R" run "$T/tiny.yaml" --set costs.api.hourly_rat=1
grep -q "unknown key 'hourly_rat'" "$T/err" && ok || bad "--set unknown key named"
grep -q "error: in --set 'costs.api.hourly_rat=1': unknown key" "$T/err" && ok ||
    bad "an error of --set names the --set: $(cat "$T/err")"
expect 2 "--set a misspelt component" -- "$R" run "$T/tiny.yaml" --set costs.a_pi.input_tokens=5
grep -q "in --set 'costs.a_pi.input_tokens=5': no component 'a_pi' in costs (did you mean 'costs.api.input_tokens'?)" "$T/err" &&
    ok || bad "--set with a misspelt component suggests the path: $(cat "$T/err")"
expect 2 "--set a bad value names the --set" -- "$R" run "$T/tiny.yaml" --set 'demand.requests_per_month=2%'
grep -q "in --set 'demand.requests_per_month=2%': demand.requests_per_month: .*(write 0.02)" "$T/err" &&
    ok || bad "--set 2% says what to write: $(cat "$T/err")"
expect 0 "--paths in an exponent form" -- "$R" run "$T/tiny.yaml" --paths 2e3 --format json
grep -q '"paths": 2000,' "$T/out" && ok || bad "--paths 2e3 is 2000 paths"
expect 2 "--paths not whole" -- "$R" run "$T/tiny.yaml" --paths 1.5e0
expect 0 "--max-paths in an exponent form" -- "$R" run "$T/tiny.yaml" --precision 0.5 --max-paths 1e4 --format json
expect 0 "--sweep" -- "$R" run "$T/tiny.yaml" --sweep costs.api.price_per_million.input=1,2,3 --format json
grep -q '"sweep": "costs.api.price_per_million.input"' "$T/out" && grep -q '"value": "3"' "$T/out" &&
    ok || bad "--sweep JSON"
expect 2 "--sweep with one value" -- "$R" run "$T/tiny.yaml" --sweep costs.api.price_per_million.input=1
expect 0 "--sweep as html" -- "$R" run "$T/tiny.yaml" --sweep costs.api.price_per_million.input=1,2,3 --format html
head -n 1 "$T/out" | grep -q '^<!DOCTYPE html>' && grep -q '<svg class="chart" id="sweep"' "$T/out" &&
    ok || bad "--sweep --format html writes a page with the sweep chart"

# --out: the whole report, or nothing, never over the scenario.
expect 0 "run --out" -- "$R" run "$T/tiny.yaml" --format json --out "$T/report.json"
[ ! -s "$T/out" ] && ok || bad "--out still wrote to stdout"
strip_run "$T/report.json" >"$T/b"
cmp -s "$T/a" "$T/b" && ok || bad "--out content differs from stdout"
cp "$T/report.json" "$T/before.json"
printf 'name: x\nhorizon_months: 0\n' >"$T/broken.yaml"
expect 2 "run on a broken scenario with --out" -- "$R" run "$T/broken.yaml" --out "$T/report.json"
cmp -s "$T/report.json" "$T/before.json" && ok || bad "a failed run changed the earlier report"
[ -z "$(ls "$T" | grep '\.tmp\.')" ] && ok || bad "a temporary file was left behind"
cp "$T/tiny.yaml" "$T/keep.yaml"
expect 2 "--out onto the scenario" -- "$R" run "$T/keep.yaml" --out "$T/keep.yaml"
cmp -s "$T/keep.yaml" "$T/tiny.yaml" && ok || bad "the scenario file was overwritten"
expect 1 "--out into a missing folder" -- "$R" run "$T/tiny.yaml" --out "$T/no/such/dir/r.json"
if [ -w /dev/full ]; then
    "$R" run "$T/tiny.yaml" >/dev/full 2>"$T/err"
    [ $? -eq 1 ] && ok || bad "a full disk on stdout must exit 1"
    "$R" run "$T/tiny.yaml" --out /dev/full 2>"$T/err"
    [ $? -eq 1 ] && ok || bad "--out onto a full disk must exit 1"
    grep -q "No space left" "$T/err" && ok || bad "a full disk is named"
    [ -c /dev/full ] && ok || bad "--out /dev/full replaced the device"
fi
expect 0 "--out /dev/null" -- "$R" run "$T/tiny.yaml" --out /dev/null

# Ctrl-C: stop soon, exit 130, no report; with --partial a report labelled partial.
interrupt() {   # interrupt OUT [options]: start a long run, SIGINT it, wait for it
    out=$1; shift
    "$R" run bench/large.yaml --paths 1000000000 --format json --quiet --out "$out" "$@" 2>"$T/err" &
    pid=$!
    sleep 1
    kill -INT $pid
    wait $pid
}
rm -f "$T/int.json"
interrupt "$T/int.json"
[ $? -eq 130 ] && ok || bad "an interrupted run exits 130"
[ ! -e "$T/int.json" ] && ok || bad "an interrupted run writes no report"
grep -q "interrupted after" "$T/err" && ok || bad "an interrupted run says so"
interrupt "$T/int.json" --partial
[ $? -eq 130 ] && ok || bad "an interrupted --partial run exits 130"
grep -q '"partial": {"paths_completed": [1-9][0-9]*, "paths_requested": 1000000000}' "$T/int.json" &&
    ok || bad "--partial writes a report labelled partial"
[ -z "$(ls "$T" | grep '\.tmp\.')" ] && ok || bad "an interrupted run left a temporary file"
grep -q '"partial": null' "$T/s1.json" && ok || bad "a whole run says partial: null"

# A cost that overflows stops the run and names the component and month.
cat >"$T/inf.yaml" <<'Y'
name: explode
horizon_months: 120
simulation: {paths: 1000}
demand: {requests_per_month: 1000000000, growth_per_month: 900000}
costs:
  - {name: gpu, type: oversight, review_share: 1, minutes_per_review: 60, hourly_rate: 100}
Y
expect 2 "an infinite cost" -- "$R" run "$T/inf.yaml"
grep -q "error: .*infinite" "$T/err" && ok || bad "an infinite cost is named as such"
[ ! -s "$T/out" ] && ok || bad "no report after a numerical fault"

summary "cli"
