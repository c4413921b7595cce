#!/bin/sh
# runrate track through the command line: the shipped example reads whole and says the same
# at 1 and 2 threads; a bill of a much costlier system is flagged month after month and the
# re-forecast moves toward it; --through leaves later months out; bad bills are refused with
# their file:line:col and write nothing.
# usage: tests/track.sh [RUNRATE]
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh
R=${1:-./runrate}
S=scenarios/support-agent.yaml
A=scenarios/actuals

# json FILE EXPR: the Python expression's value on the JSON report in FILE (as j).
json() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }

# The shipped example: exit 0, three months, the same bytes at 1 and 2 threads.
for t in 1 2; do
    "$R" track $S --actuals $A/support-agent-2027q1.focus.csv \
        --actuals $A/support-agent-2027q1.invoices.csv --demand $A/support-agent-2027q1.demand.csv \
        --paths 20000 --max-paths 20000 --format json --threads $t --no-warnings >"$T/ex$t.json" \
        && ok || bad "the shipped example failed at $t threads"
done
cmp -s "$T/ex1.json" "$T/ex2.json" && ok || bad "track: 1 and 2 threads differ"
[ "$(json "$T/ex1.json" "len(j['track']['months'])")" = 3 ] && ok || bad "example: not 3 months"
[ "$(json "$T/ex1.json" "j['catalog'][0]['entry'], len(j['catalog'])")" = "anthropic/claude-sonnet-4.5 6" ] \
    && ok || bad "example: the catalog entries the scenario names"
[ "$(json "$T/ex1.json" "float(j['track']['months'][0]['actual']['components']['review'])")" = 9850.0 ] \
    && ok || bad "example: review's January actual"
# Unmapped: the support plan, 3 x 100; tax left out: 3 lines.
[ "$(json "$T/ex1.json" "float(j['track']['unmapped']['total']), j['track']['left_out']['tax_lines']")" \
    = "300.0 3" ] && ok || bad "example: unmapped or tax"
# The credit is netted: Bedrock in January is 2,710.50 - 200.
[ "$(json "$T/ex1.json" "float(j['track']['months'][0]['actual']['components']['chat-model'])")" \
    = 2510.5 ] && ok || bad "example: the credit is not netted"
# Every format writes.
for f in table md csv html; do
    "$R" track $S --actuals $A/support-agent-2027q1.focus.csv --paths 5000 --max-paths 5000 \
        --format $f --no-warnings >"$T/ex.$f" && [ -s "$T/ex.$f" ] && ok || bad "format $f"
done

# A much costlier system: every invoice at 4x the forecast's P95 of its component.
cat >"$T/costly.csv" <<'CSV'
month,target,cost
2027-01,review,120000
2027-02,review,125000
2027-03,review,130000
2027-01,chat-model,25000
2027-02,chat-model,26000
2027-03,chat-model,27000
CSV
"$R" track $S --actuals "$T/costly.csv" --paths 20000 --format json >"$T/costly.json" \
    2>"$T/costly.err" && ok || bad "costly bill failed"
[ "$(json "$T/costly.json" "[m['outside']['total'] for m in j['track']['months']]")" = \
    "[True, True, True]" ] && ok || bad "costly bill: not flagged every month"
grep -q "actuals-outside-band\|is above the forecast's P5-P95" "$T/costly.err" && ok \
    || bad "costly bill: no warning"
json "$T/costly.json" "j['track']['reforecast']['horizon_total']['p50'] > 2 * j['track']['reforecast']['first_forecast_total']['p50']" \
    | grep -q True && ok || bad "costly bill: the re-forecast did not move toward it"

# --through: months after it are left out, and counted.
"$R" track $S --actuals "$T/costly.csv" --through 2027-02 --paths 5000 --format json \
    >"$T/through.json" 2>"$T/through.err" && ok || bad "--through failed"
[ "$(json "$T/through.json" "len(j['track']['months'])")" = 2 ] && ok || bad "--through: months"
grep -q "2 after the horizon or --through" "$T/through.err" && ok || bad "--through: no count"

# expect_error NAME FILE PATTERN ARGS...: exit 2, PATTERN on stderr, nothing written.
expect_error() {
    name=$1 pattern=$2
    shift 2
    rm -f "$T/out.json"
    "$R" track "$@" --paths 2000 --out "$T/out.json" >/dev/null 2>"$T/err"
    rc=$?
    if [ $rc -ne 2 ]; then bad "$name: exit $rc, expected 2"; return; fi
    grep -q -- "$pattern" "$T/err" && ok || { bad "$name: expected '$pattern', got:"; cat "$T/err"; }
    [ -e "$T/out.json" ] && bad "$name: a report was written" || ok
}
printf 'BilledCost,ChargePeriodStart,ChargeCategory,ServiceCategory\n1,2027-01-01,Usage,Compute\n' \
    >"$T/nocur.csv"
expect_error "missing column" "nocur.csv:1:1: error: a FOCUS export without the column BillingCurrency" \
    $S --actuals "$T/nocur.csv"
printf 'BilledCost,BillingCurrency,ChargePeriodStart,ChargeCategory,ServiceCategory\n1,EUR,2027-01-01,Usage,Compute\n' \
    >"$T/eur.csv"
expect_error "currency" "eur.csv:2:3: error: BillingCurrency: 'EUR', but the scenario's currency is USD" \
    $S --actuals "$T/eur.csv"
printf 'month,target,cost\n2027-01,reviw,5\n' >"$T/typo.csv"
expect_error "unknown target" "typo.csv:2:9: error: target: 'reviw' is neither" $S --actuals "$T/typo.csv"
printf 'month,target,cost\n2027-01,review,"5\n' >"$T/quote.csv"
expect_error "unterminated quote" "quote.csv:2:16: error: a quoted field that never ends" \
    $S --actuals "$T/quote.csv"
head -c 64 "$R" >"$T/binary.csv"
expect_error "not CSV" "binary.csv:1:.*not a CSV text file" $S --actuals "$T/binary.csv"
printf 'month,target,cost\n2026-01,review,5\n' >"$T/early.csv"
expect_error "no month in the horizon" "no bill line falls in the scenario's months" \
    $S --actuals "$T/early.csv"
printf 'name: x\nhorizon_months: 12\ndemand: {requests_per_month: 10}\ncosts:\n  - {name: a, type: fixed, category: mlops, monthly: 1}\n' \
    >"$T/nostart.yaml"
expect_error "no start" "track needs the scenario's .start." "$T/nostart.yaml" --actuals "$T/costly.csv"
expect_error "no actuals" "missing --actuals" $S
summary track
