#!/bin/sh
# Bad-input tests: every fixture in tests/bad/ is a realistic mistake, and tests/bad/EXPECTED
# says where and what the error is, one line per expected error:
#     FILE LINE:COL SUBSTRING-OF-THE-MESSAGE
# or, for a legal slip that earns a warning (warn-*.yaml; see warn() below):
#     FILE LINE:COL warning CODE: SUBSTRING-OF-THE-MESSAGE-OR-FIX
# (FILE relative to tests/bad/; a file with several errors has several lines).  For each line,
# `runrate validate` must exit 2, print nothing on standard output, and print on standard
# error a line "tests/bad/FILE:LINE:COL: error: ..." containing the substring.  A few fixtures
# also go through `runrate run`, which must fail the same way and write no report.
# usage: tests/bad_inputs.sh RUNRATE
# Prints one line per failure and finally "bad inputs: N passed, M failed".
R=${1:-./runrate}
D=$(dirname "$0")/bad
. "$(dirname "$0")/lib.sh"

if [ ! -f "$D/EXPECTED" ]; then
    echo "FAIL: $D/EXPECTED is missing"
    echo "bad inputs: 0 passed, 1 failed"
    exit 1
fi

# check CMD FILE POS SUB: run `runrate CMD FILE` (and its options) and check the outcome.
check() {
    cmd=$1; f=$2; pos=$3; sub=$4; shift 4
    "$R" "$cmd" "$D/$f" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -ne 2 ]; then
        bad "$cmd $f: exit $rc, expected 2"
        sed 's/^/    /' "$T/err" | head -n 5
        return
    fi
    if [ -s "$T/out" ]; then
        bad "$cmd $f: printed on standard output: $(head -c 200 "$T/out")"
        return
    fi
    if grep -F -- "$D/$f:$pos: error: " "$T/err" | grep -q -F -- "$sub"; then
        ok
    else
        bad "$cmd $f: no error at $pos containing '$sub'; got:"
        sed 's/^/    /' "$T/err" | head -n 10
    fi
}

# warn FILE POS CODE SUB: a legal scenario with a warning.  Load-time ones through
# `validate`, run-time ones through `run`: exit 0, a line "FILE:POS: warning: ..." (POS "-":
# "FILE: warning: ...") containing SUB, the code in the JSON report's warnings; with
# --strict exit 2 and no report written (a load-time warning of `validate` then an error at
# its place; a run stops at the file's first warning, whichever it is).
RUNTIME_WARNINGS=" total-huge events-capped unit-cost-paths expression-clamped "
warn() {
    f=$1; pos=$2; code=$3; sub=$4
    at="$D/$f:$pos: warning: "
    [ "$pos" = - ] && at="$D/$f: warning: "
    case $RUNTIME_WARNINGS in
        *" $code "*) set -- run "$D/$f" --paths 64 --format json --out "$T/w.json" ;;
        *) set -- validate "$D/$f" ;;
    esac
    rm -f "$T/w.json"
    "$R" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -ne 0 ]; then
        bad "$1 $f: exit $rc, expected 0 (warnings only)"
        sed 's/^/    /' "$T/err" | head -n 5
    elif ! grep -F -- "$at" "$T/err" | grep -q -F -- "$sub"; then
        bad "$1 $f: no warning at $pos containing '$sub'; got:"
        sed 's/^/    /' "$T/err" | head -n 10
    elif [ "$1" = run ] && ! grep -q -F "\"code\": \"$code\"" "$T/w.json"; then
        bad "run $f: the JSON report has no warning $code"
    else
        ok
    fi
    rm -f "$T/w.json"
    "$R" "$@" --strict >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -ne 2 ] || [ -e "$T/w.json" ] || [ -s "$T/out" ]; then
        bad "$1 $f --strict: exit $rc (expected 2), or it wrote a report"
    elif [ "$1" = validate ] && ! grep -F -- "${at%warning: }error: " "$T/err" | grep -q -F -- "$sub"; then
        bad "$1 $f --strict: the warning is not an error; got:"
        sed 's/^/    /' "$T/err" | head -n 5
    else
        ok
    fi
}

while read -r f pos sub; do
    case $f in ''|'#'*) continue ;; esac
    if [ ! -f "$D/$f" ]; then
        bad "EXPECTED names $f, which does not exist"
        continue
    fi
    case $sub in
        "warning "*)
            rest=${sub#warning }
            warn "$f" "$pos" "${rest%%: *}" "${rest#*: }" ;;
        *) check validate "$f" "$pos" "$sub" ;;
    esac
done <"$D/EXPECTED"

# Every fixture has its expectation.
for p in "$D"/*.yaml; do
    f=$(basename "$p")
    if grep -q "^$f " "$D/EXPECTED"; then ok; else bad "$f is not listed in EXPECTED"; fi
done

# `run` refuses a bad scenario the same way, simulates nothing, writes no report.
check run range-reversed.yaml 5:23 '"A to B" needs 0 < A < B' --paths 1000
check run unclosed-bracket.yaml 8:8 'YAML syntax' --format json
check run several-errors.yaml 9:60 'costs.reranker.requests_per_instance' --out "$T/report.json"
if [ -e "$T/report.json" ]; then bad "run several-errors.yaml --out wrote a report"; else ok; fi

# Several files at once: each good one is "ok" on stdout, each bad one has its errors.
"$R" validate "$D/range-reversed.yaml" "$D/empty.yaml" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 2 ] && ok || bad "validate of two bad files: exit $rc, expected 2"
grep -q -F "$D/range-reversed.yaml:5:23: error: " "$T/err" && grep -q -F "$D/empty.yaml:1:1: error: " "$T/err" &&
    ok || bad "validate of two bad files does not report both"

summary "bad inputs"
