#!/bin/sh
# Run every test program and the command-line tests; print one closing line,
# "tests: N passed, M failed", and exit non-zero on any failure.
# usage: tests/run.sh BUILD_DIR RUNRATE
build=${1:-build}
runrate=${2:-./runrate}
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# record NAME STATUS PASSED FAILED: add a program's counts and show its log when it failed.
record() {
    p=${3:-0}
    f=${4:-0}
    if [ "$2" = fail ] && [ "$f" -eq 0 ]; then f=1; fi   # died before its summary
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$2" = fail ]; then
        echo "FAIL $1"
        cat "$log"
    else
        echo "ok   $1 ($p)"
    fi
}

# The checkout's price catalog, whatever an installed runrate left in PREFIX/share.
RUNRATE_CATALOG=$(pwd)/scenarios/catalog
export RUNRATE_CATALOG

for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    if "$t" >"$log" 2>&1; then status=ok; else status=fail; fi
    # cmocka: "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s), listed below:"
    record "$(basename "$t")" $status \
        "$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)" \
        "$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)"
done

for s in tests/cli.sh tests/decide.sh tests/track.sh tests/bad_inputs.sh tests/fuzz_regressions.sh tests/html_render.sh tests/layers.sh tests/self_contained.sh tests/catalog.sh tests/schema.sh tests/install.sh \
         tests/same_numbers.sh; do
    [ -f "$s" ] || continue
    # RR_TESTS_SKIP: scripts that a build does not need to run (the sanitizers' build skips
    # the numbers already checked bit for bit by the plain build, and the browser's drawing).
    case " ${RR_TESTS_SKIP:-} " in *" $s "*) echo "skip $(basename "$s")"; continue ;; esac
    if sh "$s" "$runrate" >"$log" 2>&1; then status=ok; else status=fail; fi
    # the scripts close with "NAME: N passed, M failed"
    record "$(basename "$s")" $status \
        "$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log" | tail -n 1)" \
        "$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log" | tail -n 1)"
done

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
