#!/bin/sh
# Every test program and a short run under valgrind's memcheck: no invalid access, no
# definite leak.  One OpenMP thread: libgomp keeps its thread pool alive until exit, which
# memcheck would report as "possibly lost".   usage: tests/valgrind.sh BUILD RUNRATE
build=${1:-build}
runrate=${2:-./runrate}
export OMP_NUM_THREADS=1
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
pass=0
fail=0
for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    if $VG "$t" >/dev/null 2>"$build/vg.log"; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL valgrind $(basename "$t")"; tail -40 "$build/vg.log"; fi
done
for f in scenarios/*.yaml; do
    if $VG "$runrate" run "$f" --paths 2000 --format json >/dev/null 2>"$build/vg.log"; then
        pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL valgrind run $f"; cat "$build/vg.log"; fi
done
if $VG "$runrate" track scenarios/support-agent.yaml --actuals scenarios/actuals/support-agent-2027q1.focus.csv \
    --actuals scenarios/actuals/support-agent-2027q1.invoices.csv \
    --demand scenarios/actuals/support-agent-2027q1.demand.csv --paths 2000 --max-paths 2000 \
    --format json --no-warnings >/dev/null 2>"$build/vg.log"; then
    pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL valgrind track"; cat "$build/vg.log"; fi
if $VG "$runrate" validate tests/bad/*.yaml >/dev/null 2>"$build/vg.log" || [ $? -eq 2 ]; then
    if grep -q '==[0-9]*==' "$build/vg.log"; then fail=$((fail + 1)); echo "FAIL valgrind validate"; cat "$build/vg.log";
    else pass=$((pass + 1)); fi
else fail=$((fail + 1)); echo "FAIL valgrind validate"; cat "$build/vg.log"; fi
if $VG "$runrate" prices --format json >/dev/null 2>"$build/vg.log"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL valgrind prices"; cat "$build/vg.log"; fi
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
