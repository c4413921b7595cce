#!/bin/sh
# Fuzz regressions: every input that ever crashed the fuzz target (tests/fuzz_scenario.c) is
# kept in tests/fuzz_regressions/.  For each file, `runrate validate FILE` must exit 0 or 2,
# never crash (134 abort, 139 segfault, ...) or hang.  Two more checks follow the fuzz
# target's own conventions, so that crashes beyond the validator stay covered too:
#   * a file whose first line is "# set PATH=VALUE" is also run with that --set (the
#     override is applied before validation, as the fuzz target does);
#   * a file that validates is also run for 3 paths on 1 thread (the fuzz target simulates
#     small valid scenarios);
# each `runrate run` must exit 0 or 2 as well.  With no regression files, the fuzzer's seed
# corpus (scenarios/, bench/large.yaml, tests/bad/) is checked instead.
# usage: tests/fuzz_regressions.sh RUNRATE
# Prints one line per failure and finally "fuzz regressions: N passed, M failed" (one per file).
R=${1:-./runrate}
TOP=$(cd "$(dirname "$0")/.." && pwd)
D=$TOP/tests/fuzz_regressions
. "$(dirname "$0")/lib.sh"
# A hang is a failure too: at most 60 s a command where timeout(1) exists.
if command -v timeout >/dev/null 2>&1; then TO="timeout 60"; else TO=; fi

: >"$T/list"
if [ -d "$D" ]; then
    for f in "$D"/*; do
        [ -f "$f" ] && printf '%s\n' "$f" >>"$T/list"
    done
fi
if [ ! -s "$T/list" ]; then
    echo "fuzz regressions: none in tests/fuzz_regressions/; checking the seed corpus instead"
    for f in "$TOP"/scenarios/*.yaml "$TOP"/bench/large.yaml "$TOP"/tests/bad/*.yaml; do
        [ -f "$f" ] && printf '%s\n' "$f" >>"$T/list"
    done
fi

# status_ok RC: 0 (valid) or 2 (a bad scenario, or a numerical fault) and nothing else.
status_ok() { [ "$1" -eq 0 ] || [ "$1" -eq 2 ]; }

while IFS= read -r f; do
    name=${f#"$TOP"/}
    ok=1
    $TO "$R" validate "$f" </dev/null >"$T/out" 2>"$T/err"
    vrc=$?
    if ! status_ok "$vrc"; then
        echo "FAIL: validate $name: exit $vrc, expected 0 or 2"
        sed 's/^/    /' "$T/err" | head -n 5
        ok=0
    fi
    set_arg=
    first=$(head -n 1 "$f" 2>/dev/null | tr -d '\000\r')
    case $first in
    "# set "*) set_arg=${first#"# set "} ;;
    esac
    if [ "$ok" = 1 ] && { [ "$vrc" -eq 0 ] || [ -n "$set_arg" ]; }; then
        if [ -n "$set_arg" ]; then
            $TO "$R" run "$f" --paths 3 --threads 1 --quiet --out "$T/report" \
                --set "$set_arg" </dev/null >"$T/out" 2>"$T/err"
        else
            $TO "$R" run "$f" --paths 3 --threads 1 --quiet --out "$T/report" </dev/null >"$T/out" 2>"$T/err"
        fi
        rrc=$?
        if ! status_ok "$rrc"; then
            echo "FAIL: run $name${set_arg:+ --set $set_arg}: exit $rrc, expected 0 or 2"
            sed 's/^/    /' "$T/err" | head -n 5
            ok=0
        fi
        rm -f "$T/report"
    fi
    if [ "$ok" = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done <"$T/list"
summary "fuzz regressions"
