#!/bin/sh
# Throughput and memory of runrate on this machine: paths per second for each shipped
# scenario at 1 and 2 threads, and peak resident memory of the large synthetic scenario at
# 10^5, 10^6 and 10^7 paths.  Figures from one run on a shared machine are noisy: compare
# ratios measured in the same run.   usage: bench/bench.sh RUNRATE PEAK_RSS
R=${1:-./runrate}
P=${2:-build/bench/peak_rss}
PATHS=${BENCH_PATHS:-400000}
SIZES=${BENCH_SIZES:-"100000 1000000 10000000"}
pps() { sed -n 's/.*"paths_per_second": \([0-9.e+]*\).*/\1/p'; }

echo "runrate bench on $(uname -m), $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
printf '%-28s %8s %14s %14s %9s\n' scenario paths "1 thread p/s" "2 threads p/s" speed-up
for f in scenarios/*.yaml bench/large.yaml; do
    one=$("$R" run "$f" --paths "$PATHS" --threads 1 --format json | pps)
    two=$("$R" run "$f" --paths "$PATHS" --threads 2 --format json | pps)
    printf '%-28s %8s %14.0f %14.0f %8.2fx\n' "$(basename "$f" .yaml)" "$PATHS" "$one" "$two" \
        "$(echo "$two $one" | awk '{ print $1 / $2 }')"
done
echo
printf '%-28s %12s %14s %10s\n' "peak memory (2 threads)" paths "peak RSS MiB" seconds
for n in $SIZES; do
    out=$("$P" "$R" run bench/large.yaml --paths "$n" --threads 2 --format json 2>&1 >/tmp/rr_bench.$$)
    kib=$(echo "$out" | sed -n 's/peak_rss_kib //p')
    sec=$(sed -n 's/.*"seconds": \([0-9.e+]*\).*/\1/p' /tmp/rr_bench.$$)
    printf '%-28s %12s %14.1f %10.2f\n' large "$n" "$(echo "$kib" | awk '{ print $1 / 1024 }')" "$sec"
done
rm -f /tmp/rr_bench.$$
