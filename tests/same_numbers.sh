#!/bin/sh
# Same numbers: the reports of a fixed set of runs against the checksums recorded in
# tests/same_numbers.sha256.  A change that is not meant to change any number (a refactor,
# a speed-up) must leave every one of them the same bytes.
#
# The runs: every shipped scenario, bench/large.yaml, the fuzz regressions (those that fault
# are checked by their message and exit status), --percentiles, --precision (batches),
# `compare`, `run --sweep` and `track` (the shipped example bills), each as JSON without its
# "run" line (timing, threads, draws), at 1 and 2 threads, which must also agree with each
# other; and one scenario as CSV, Markdown and HTML.  The reports are kept in build/same-numbers/ for a diff.
#
# usage: tests/same_numbers.sh RUNRATE            check
#        tests/same_numbers.sh RUNRATE --record   write the checksums anew (after a change
#                                                 that is meant to change numbers: say so in
#                                                 its commit message)
set -u
runrate=${1:-./runrate}
mode=${2:-check}
here=$(dirname "$0")
sums="$here/same_numbers.sha256"
out=build/same-numbers
rm -rf "$out"
mkdir -p "$out"
. "$here/lib.sh"

# case NAME THREADS COMMAND...: the command's stdout without the "run" line, then its exit
# status and stderr, into $out/NAME.tTHREADS.
case_run() {
    name=$1 threads=$2
    shift 2
    f="$out/$name.t$threads"
    "$runrate" "$@" --threads "$threads" >"$f.raw" 2>"$f.err"
    rc=$?
    grep -v '^  "run": ' "$f.raw" >"$f"
    echo "exit $rc" >>"$f"
    cat "$f.err" >>"$f"
    rm -f "$f.raw" "$f.err"
}

both() {
    name=$1
    shift
    case_run "$name" 1 "$@"
    case_run "$name" 2 "$@"
    if cmp -s "$out/$name.t1" "$out/$name.t2"; then ok; else bad "$name: 1 and 2 threads differ"; fi
}

# The shipped scenarios keep the default swings; the other runs hold one input each (a
# swing re-runs the paths twice, and under the sanitizers the default ten made this script
# the larger part of CI's time).
j="--format json --quiet"
j1="$j --swings 1"
for s in scenarios/*.yaml; do
    both "$(basename "$s" .yaml)" run "$s" $j
done
both large run bench/large.yaml $j1
for s in tests/fuzz_regressions/*.yaml; do
    both "fuzz-$(basename "$s" .yaml)" run "$s" $j1
done
both percentiles run scenarios/support-agent.yaml $j1 --paths 30000 --seed 5 --percentiles 1,99.9
both precision run scenarios/rag-assistant.yaml $j1 --precision 0.02 --max-paths 60000
both compare compare scenarios/support-agent.yaml scenarios/support-agent-selfhosted.yaml \
    --format json --paths 40000
both compare-three compare scenarios/doc-processing.yaml scenarios/rag-assistant.yaml \
    scenarios/support-agent.yaml --format json --paths 20000 --seed 3
both sweep run scenarios/support-agent.yaml $j1 --paths 20000 \
    --sweep 'costs.chat-model.price_per_million.input=1,3,{lognormal: {median: 2, sigma: 0.2}}'
for f in csv md html; do
    both "rag-assistant-$f" run scenarios/rag-assistant.yaml --format "$f" --quiet --paths 20000
done
both internal-assistant-md run scenarios/internal-assistant.yaml --format md --quiet --paths 20000
both track track scenarios/support-agent.yaml --actuals scenarios/actuals/support-agent-2027q1.focus.csv \
    --actuals scenarios/actuals/support-agent-2027q1.invoices.csv \
    --demand scenarios/actuals/support-agent-2027q1.demand.csv --paths 20000 --max-paths 20000 \
    --format json

(cd "$out" && sha256sum -- *.t1) >"$out/sums"
if [ "$mode" = --record ]; then
    cp "$out/sums" "$sums"
    echo "same_numbers: recorded $(wc -l <"$sums") reports in $sums"
elif ! [ -f "$sums" ]; then
    bad "no recorded checksums ($sums): run with --record"
else
    while read -r sum file; do
        want=$(grep " $file\$" "$sums" | cut -d' ' -f1)
        if [ -z "$want" ]; then
            bad "$file: no recorded checksum"
        elif [ "$want" != "$sum" ]; then
            bad "$file: the report changed (see $out/$file)"
        else
            ok
        fi
    done <"$out/sums"
    n=$(wc -l <"$sums")
    [ "$n" -eq "$(wc -l <"$out/sums")" ] || bad "$n reports recorded, $(wc -l <"$out/sums") made"
fi
summary same_numbers
