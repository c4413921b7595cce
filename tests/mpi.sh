#!/bin/sh
# The MPI build against a single process: `mpirun -np 1, 2, 3` must give the JSON of the
# single-process run, byte for byte (timing aside), for run, compare, --sweep, --precision and
# track;
# a bad scenario is reported once and every rank exits 2.
# usage: tests/mpi.sh RUNRATE_MPI RUNRATE_SINGLE
R=${1:-./runrate}
S=${2:-build/runrate-single}
. "$(dirname "$0")/lib.sh"
MPIRUN="mpirun --oversubscribe"
[ "$(id -u)" = 0 ] && MPIRUN="$MPIRUN --allow-run-as-root"
strip_run() { grep -v '"run":' "$1"; }

check() {   # check NAME ARGS...: the single process, then 1, 2 and 3 ranks
    name=$1; shift
    "$S" "$@" --format json --threads 2 >"$T/ref.json" 2>"$T/err" || { bad "$name: single process failed"; cat "$T/err"; return; }
    strip_run "$T/ref.json" >"$T/ref"
    for np in 1 2 3; do
        if $MPIRUN -np $np "$R" "$@" --format json --threads 1 >"$T/np.json" 2>"$T/err"; then
            strip_run "$T/np.json" >"$T/np"
            if cmp -s "$T/ref" "$T/np"; then ok; else
                bad "$name: -np $np differs from the single process"; diff "$T/ref" "$T/np" | head -5; fi
        else
            bad "$name: mpirun -np $np failed"; cat "$T/err"
        fi
    done
}

for f in scenarios/*.yaml; do
    check "$f" run "$f" --paths 30000
done
check "large" run bench/large.yaml --paths 5000
check "compare" compare scenarios/support-agent.yaml scenarios/support-agent-selfhosted.yaml --paths 20000
check "sweep" run scenarios/support-agent.yaml --sweep costs.review.review_share=0.01,0.03 --paths 20000
check "precision" run scenarios/rag-assistant.yaml --precision 0.01
check "track" track scenarios/support-agent.yaml --actuals scenarios/actuals/support-agent-2027q1.focus.csv \
    --actuals scenarios/actuals/support-agent-2027q1.invoices.csv --paths 5000 --max-paths 5000 \
    --no-warnings

printf 'name: x\nhorizon_months: 0\n' >"$T/bad.yaml"
$MPIRUN -np 3 "$R" run "$T/bad.yaml" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 2 ] && ok || bad "a bad scenario under mpirun -np 3 exits $rc, expected 2"
n=$(grep -c "horizon_months: must be" "$T/err")
[ "$n" -eq 1 ] && ok || bad "a bad scenario is reported $n times under 3 ranks, expected once"
[ ! -s "$T/out" ] && ok || bad "a bad scenario printed a report"

summary "mpi"
