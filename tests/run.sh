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

for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    if "$t" >"$log" 2>&1; then status=ok; else status=fail; fi
    # cmocka: "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s), listed below:"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    p=${p:-0}
    f=${f:-0}
    if [ "$status" = fail ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed before its summary
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$status" = fail ]; then
        echo "FAIL $name"
        cat "$log"
    else
        echo "ok   $name ($p)"
    fi
done

for s in tests/cli.sh tests/bad_inputs.sh; do
    [ -f "$s" ] || continue
    name=$(basename "$s")
    if sh "$s" "$runrate" >"$log" 2>&1; then status=ok; else status=fail; fi
    p=$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log" | tail -n 1)
    p=${p:-0}
    f=${f:-0}
    if [ "$status" = fail ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$status" = fail ]; then
        echo "FAIL $name"
        cat "$log"
    else
        echo "ok   $name ($p)"
    fi
done

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
