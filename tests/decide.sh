#!/bin/sh
# Decisions through the command line, against closed forms: a fixed-price B against a
# per-request A breaks even at fixed / (units x price) requests a month (deterministic: within
# the bisection's tolerance; with a lognormal price, inside the reported interval), a run's
# budget becomes just enough at budget / (12 x price), compare sweeps and grids give the exact
# differences and totals of deterministic files; bad requests are refused with a message.
# usage: tests/decide.sh [RUNRATE]
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh
R=${1:-./runrate}

cat >"$T/api.yaml" <<'EOF'
name: api
horizon_months: 12
demand: {requests_per_month: 100000}
costs:
  - {name: api, type: per_request, category: managed_ai, units_per_request: 1, unit_price: 0.002}
EOF
cat >"$T/self.yaml" <<'EOF'
name: selfhosted
horizon_months: 12
demand: {requests_per_month: 100000}
costs:
  - {name: gpu, type: fixed, category: compute, monthly: 900}
EOF
cat >"$T/api-lognormal.yaml" <<'EOF'
name: api-lognormal
horizon_months: 12
demand: {requests_per_month: 100000}
costs:
  - {name: api, type: per_request, category: managed_ai, units_per_request: 2,
     unit_price: {lognormal: {median: 0.002, sigma: 0.3}}}
EOF
cat >"$T/api-budget.yaml" <<'EOF'
name: api-budget
horizon_months: 12
demand: {requests_per_month: 100000}
costs:
  - {name: api, type: per_request, category: managed_ai, units_per_request: 1, unit_price: 0.002}
budget: {total: 4800, confidence: 0.8}
EOF

# num KEY FILE: the first number written after "KEY": in FILE.
num() { grep -o "\"$1\": -\{0,1\}[0-9][0-9.e+-]*" "$2" | head -n 1 | sed 's/.*: //'; }
# nums KEY FILE: every such number, one per line.
nums() { grep -o "\"$1\": -\{0,1\}[0-9][0-9.e+-]*" "$2" | sed 's/.*: //'; }
# interval FILE: the break-even's interval as "LO HI".
interval() { grep -o '"interval": \[[^]]*\]' "$1" | head -n 1 | sed 's/.*\[//; s/\]//; s/,/ /'; }
# near GOT WANT TOL: |GOT - WANT| <= TOL.
near() { awk -v g="$1" -v w="$2" -v t="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(g != "" && d <= t) }'; }
# within X LO HI: LO <= X <= HI (and LO < HI when strict is given).
within() { awk -v x="$1" -v l="$2" -v h="$3" -v s="${4:-}" 'BEGIN { exit !(l <= x && x <= h && (s == "" || l < h)) }'; }

# Fixed 900 a month against 0.002 a request: B - A = 12 (900 - 0.002 v), zero at 450,000.
if "$R" compare "$T/api.yaml" "$T/self.yaml" --paths 200 --break-even \
        demand.requests_per_month=10000..1000000 --format json >"$T/be.json" 2>"$T/err"; then
    v=$(num value "$T/be.json")
    near "$v" 450000 990 && ok || bad "break-even of fixed against per-request: $v, not 450000"
    set -- $(interval "$T/be.json")
    within 450000 "$1" "$2" && ok || bad "its interval [$1, $2] misses 450000"
else
    bad "compare --break-even failed: $(cat "$T/err")"
fi

# The same in the text form says the path is held constant.
"$R" compare "$T/api.yaml" "$T/self.yaml" --paths 200 --break-even \
    demand.requests_per_month=10000..1000000 >"$T/be.txt" 2>&1
grep -q "held constant" "$T/be.txt" && ok || bad "the break-even text does not say PATH is held constant"

# A lognormal price of median 0.002, 2 units a request: the P50 of B - A crosses 0 at
# 900 / (2 x 0.002) = 225,000 up to the sample median's error, which the interval covers.
if "$R" compare "$T/api-lognormal.yaml" "$T/self.yaml" --paths 20000 --break-even \
        demand.requests_per_month=10000..1000000 --format json >"$T/bel.json" 2>"$T/err"; then
    v=$(num value "$T/bel.json")
    set -- $(interval "$T/bel.json")
    within 225000 "$1" "$2" strict && ok || bad "lognormal price: interval [$1, $2] misses 225000 or is empty"
    within "$v" "$1" "$2" && ok || bad "lognormal price: value $v outside its interval [$1, $2]"
else
    bad "compare --break-even (lognormal) failed: $(cat "$T/err")"
fi

# --on mean: the mean of B - A = 12 (900 - 2 v E[price]), E[price] = 0.002 exp(0.3^2 / 2).
if "$R" compare "$T/api-lognormal.yaml" "$T/self.yaml" --paths 20000 --on mean --break-even \
        demand.requests_per_month=10000..1000000 --format json >"$T/bem.json" 2>"$T/err"; then
    set -- $(interval "$T/bem.json")
    want=$(awk 'BEGIN { printf "%.6f", 900 / (2 * 0.002 * exp(0.045)) }')
    within "$want" "$1" "$2" strict && ok || bad "--on mean: interval [$1, $2] misses $want"
    grep -q '"on": "mean"' "$T/bem.json" && ok || bad "--on mean: JSON on is not mean"
else
    bad "compare --on mean --break-even failed: $(cat "$T/err")"
fi

# No crossing: value null, f at both ends.
if "$R" compare "$T/api.yaml" "$T/self.yaml" --paths 200 --break-even \
        demand.requests_per_month=500000..1000000 --format json >"$T/none.json" 2>"$T/err"; then
    grep -q '"value": null' "$T/none.json" && ok || bad "no crossing: value is not null"
else
    bad "compare --break-even without a crossing failed: $(cat "$T/err")"
fi

# run: the budget 4,800 is just enough at 4800 / (12 x 0.002) = 200,000 requests a month.
if "$R" run "$T/api-budget.yaml" --paths 200 --break-even \
        demand.requests_per_month=10000..1000000 --format json >"$T/run.json" 2>"$T/err"; then
    v=$(num value "$T/run.json")
    near "$v" 200000 990 && ok || bad "run --break-even: $v, not 200000"
else
    bad "run --break-even failed: $(cat "$T/err")"
fi

# A compare sweep of deterministic files: B - A = 12 (900 - 0.002 v) exactly.
if "$R" compare "$T/api.yaml" "$T/self.yaml" --paths 100 --format json \
        --sweep demand.requests_per_month=100000,450000,900000 >"$T/sw.json" 2>"$T/err"; then
    got=$(nums p50 "$T/sw.json" | tr '\n' ' ')
    set -- $got
    [ $# -eq 3 ] && near "$1" 8400 1e-6 && near "$2" 0 1e-6 && near "$3" -10800 1e-6 && ok ||
        bad "compare sweep differences: $got, not 8400 0 -10800"
    nums p_b_costlier "$T/sw.json" | tr '\n' ' ' | grep -q '^1 0 0 $' && ok ||
        bad "compare sweep P(B costlier): $(nums p_b_costlier "$T/sw.json" | tr '\n' ' ')"
else
    bad "compare --sweep failed: $(cat "$T/err")"
fi

# A two-way grid of a run: P50 = 12 v price in each cell, axis 0 major.
if "$R" run "$T/api.yaml" --paths 100 --format json --sweep demand.requests_per_month=1000,2000 \
        --sweep costs.api.unit_price=0.001,0.003 >"$T/grid.json" 2>"$T/err"; then
    got=$(nums p50 "$T/grid.json" | tr '\n' ' ')
    set -- $got
    [ $# -eq 4 ] && near "$1" 12 1e-9 && near "$2" 36 1e-9 && near "$3" 24 1e-9 &&
        near "$4" 72 1e-9 && ok || bad "run grid P50s: $got, not 12 36 24 72"
else
    bad "run --sweep --sweep failed: $(cat "$T/err")"
fi
"$R" run "$T/api.yaml" --paths 100 --format html --sweep demand.requests_per_month=1000,2000 \
    --sweep costs.api.unit_price=0.001,0.003 >"$T/grid.html" 2>"$T/err" &&
    grep -q '<svg' "$T/grid.html" && ok || bad "run grid html has no chart: $(cat "$T/err")"

# refuse: EXPECTED_MESSAGE ARGS...: exit status 2 and the message on stderr.
refuse() {
    want=$1
    shift
    "$R" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ $rc -eq 2 ] && grep -q -- "$want" "$T/err"; then ok; else
        bad "runrate $* gave status $rc and: $(cat "$T/err")"
    fi
}
refuse "PATH=LO..HI" compare "$T/api.yaml" "$T/self.yaml" --break-even demand.requests_per_month=5..1
refuse "PATH=LO..HI" compare "$T/api.yaml" "$T/self.yaml" --break-even demand.requests_per_month
refuse "two files" compare "$T/api.yaml" "$T/self.yaml" "$T/api.yaml" --break-even \
    demand.requests_per_month=1..2
refuse "needs budget.total" run "$T/api.yaml" --paths 100 --break-even \
    demand.requests_per_month=1..2
refuse "one decision at a time" run "$T/api.yaml" --break-even demand.requests_per_month=1..2 \
    --sweep demand.requests_per_month=1,2
refuse "goes with --break-even" run "$T/api.yaml" --on mean
refuse "same path" run "$T/api.yaml" --sweep demand.requests_per_month=1,2 \
    --sweep demand.requests_per_month=3,4
refuse "at most 400" run "$T/api.yaml" --paths 10 \
    --sweep demand.requests_per_month=$(seq -s, 1 21) --sweep costs.api.unit_price=$(seq -s, 1 20)
refuse "in --set 'demand.requests_per_month=-" compare "$T/api.yaml" "$T/self.yaml" --paths 10 \
    --break-even demand.requests_per_month=-100..100

summary decide
