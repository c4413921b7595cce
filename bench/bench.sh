#!/bin/sh
# runrate's benchmarks (what every figure means: bench/README.md).  One invocation
# measures, on this machine and in this order:
#   scaling  every shipped scenario (scenarios/*.yaml) and bench/large.yaml at 1, 2, 4, ...
#            and nproc threads: paths/s, draws/s, parallel efficiency, peak RSS;
#   draws    the same scenarios on one thread, the whole run against its random draws alone
#            (--bench-draws-only): the ratio whole / draws (target: at most 1.5);
#   peers    bench/peers.sh: runrate against numpy and C+GSL (mt19937, taus2) on the
#            support-agent scenario, the ratios and whether they agree;
#   expr     bench/support-agent-expr.yaml (variables, expressions, formula components)
#            against the same system in built-in types (bench/support-agent-builtin.yaml)
#            on one thread: the ratio expr / builtin of their seconds (target: at most 1.3);
#   memory   bench/large.yaml at BENCH_SIZES paths on BENCH_MEM_THREADS threads: peak RSS
#            and the ratio max / min (target: at most 1.10).
# Figures from one run on a shared machine are noisy: compare ratios measured in the same run.
#
# usage: bench/bench.sh [--json] [--out FILE] [RUNRATE [PEAK_RSS [PEER_GSL]]]
#   defaults ./runrate build/bench/peak_rss build/bench/peer_gsl (`make bench` builds them).
#   --json      JSON lines on standard output instead of the tables (the tables then go to
#               standard error, as progress); --out FILE writes the JSON lines to FILE too.
# Environment (all optional):
#   BENCH_PATHS       paths per scaling/draws measurement: a number, or auto (default): for
#                     each scenario, from a short calibration, the count that takes about
#                     BENCH_SECONDS (default 1.5) on one thread
#   BENCH_THREADS     thread counts, e.g. "1 2 4" (default: 1, 2, 4, ... below nproc, nproc)
#   BENCH_REPEAT      runs per measurement, the fastest kept (default 1)
#   BENCH_SCENARIOS   scenario files (default: scenarios/*.yaml bench/large.yaml)
#   BENCH_SECTIONS    which of "scaling draws peers expr memory" to run (default: all five)
#   BENCH_EXPR_PATHS  paths of each expr measurement (default 1000000); they alternate
#                     builtin, expr, BENCH_EXPR_ROUNDS times (default 3), the fastest kept
#   BENCH_PEER_PATHS  paths of the peer comparison (default 1000000); SEED its seed (42)
#   BENCH_SIZES       path counts of the memory test (default "100000 1000000 10000000":
#                     10^7 paths of the large scenario take minutes)
#   BENCH_MEM_THREADS threads of the memory test (default 2)
# Exit status: 0, or 1 when a measurement failed or the peer comparison is void (everything
# else still runs and prints).

JSON=0
OUTFILE=
while [ $# -gt 0 ]; do
    case $1 in
        --json) JSON=1 ;;
        --out) [ $# -ge 2 ] || { echo "bench.sh: --out needs a FILE" >&2; exit 2; }
               OUTFILE=$2; shift ;;
        --out=*) OUTFILE=${1#--out=} ;;
        -h | --help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
        --) shift; break ;;
        -*) echo "bench.sh: unknown option '$1' (see bench/bench.sh --help)" >&2; exit 2 ;;
        *) break ;;
    esac
    shift
done
R=${1:-./runrate}
P=${2:-build/bench/peak_rss}
G=${3:-build/bench/peer_gsl}
HERE=$(dirname "$0")
TOP=$HERE/..

for x in "$R" "$P"; do
    [ -x "$x" ] || { echo "bench.sh: '$x' is not an executable (run make bench)" >&2; exit 2; }
done

NPROC=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
BENCH_PATHS=${BENCH_PATHS:-auto}
BENCH_SECONDS=${BENCH_SECONDS:-1.5}
BENCH_REPEAT=${BENCH_REPEAT:-1}
BENCH_SECTIONS=${BENCH_SECTIONS:-"scaling draws peers expr memory"}
BENCH_EXPR_PATHS=${BENCH_EXPR_PATHS:-1000000}
BENCH_EXPR_ROUNDS=${BENCH_EXPR_ROUNDS:-3}
BENCH_PEER_PATHS=${BENCH_PEER_PATHS:-1000000}
BENCH_SIZES=${BENCH_SIZES:-"100000 1000000 10000000"}
BENCH_MEM_THREADS=${BENCH_MEM_THREADS:-2}
if [ -z "$BENCH_SCENARIOS" ]; then
    BENCH_SCENARIOS=
    for f in "$TOP"/scenarios/*.yaml "$HERE/large.yaml"; do
        [ -f "$f" ] && BENCH_SCENARIOS="$BENCH_SCENARIOS $f"
    done
fi
if [ -z "$BENCH_THREADS" ]; then
    BENCH_THREADS=1
    t=2
    while [ "$t" -lt "$NPROC" ]; do
        BENCH_THREADS="$BENCH_THREADS $t"
        t=$((t * 2))
    done
    [ "$NPROC" -gt 1 ] && BENCH_THREADS="$BENCH_THREADS $NPROC"
fi
whole() {   # whole NAME VALUE: fail unless VALUE is a positive whole number
    case $2 in
        '' | *[!0-9]* | 0) echo "bench.sh: $1 must be a positive whole number, got '$2'" >&2
                           exit 2 ;;
    esac
}
[ "$BENCH_PATHS" = auto ] || whole BENCH_PATHS "$BENCH_PATHS"
whole BENCH_REPEAT "$BENCH_REPEAT"
whole BENCH_PEER_PATHS "$BENCH_PEER_PATHS"
whole BENCH_MEM_THREADS "$BENCH_MEM_THREADS"
whole BENCH_EXPR_PATHS "$BENCH_EXPR_PATHS"
whole BENCH_EXPR_ROUNDS "$BENCH_EXPR_ROUNDS"
threads=1
for t in $BENCH_THREADS; do
    whole BENCH_THREADS "$t"
    case " $threads " in *" $t "*) ;; *) threads="$threads $t" ;; esac
done
BENCH_THREADS=$threads   # 1 first (efficiency is relative to it), each count once
for n in $BENCH_SIZES; do whole BENCH_SIZES "$n"; done
for s in $BENCH_SECTIONS; do
    case $s in
        scaling | draws | peers | expr | memory) ;;
        *) echo "bench.sh: BENCH_SECTIONS: unknown section '$s' (scaling draws peers expr memory)" >&2
           exit 2 ;;
    esac
done
want() { case " $BENCH_SECTIONS " in *" $1 "*) return 0 ;; esac; return 1; }

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
STATUS=0
# Measure one binary throughout: ./runrate is relinked by every make, maybe by someone else's
# during a long run.
if cp "$R" "$TMP/runrate" 2>/dev/null && "$TMP/runrate" --version >/dev/null 2>&1; then
    R=$TMP/runrate
fi

# Tables go to fd 3: standard output, or standard error under --json.  JSON lines go to
# standard output under --json, and to --out FILE.
if [ "$JSON" = 1 ]; then exec 3>&2; else exec 3>&1; fi
if [ -n "$OUTFILE" ]; then
    : >"$OUTFILE" || exit 1
fi
say() { printf '%s\n' "$*" >&3; }
# shellcheck disable=SC2059 # the format is the caller's
row() { fmt=$1; shift; printf "$fmt" "$@" >&3; }
emit() {   # emit JSON-LINE
    [ "$JSON" = 1 ] && printf '%s\n' "$1"
    [ -n "$OUTFILE" ] && printf '%s\n' "$1" >>"$OUTFILE"
    return 0
}
jstr() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
calc() { awk "BEGIN { $1 }" </dev/null; }

# ---- the machine ----
CPU=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
[ -n "$CPU" ] || CPU=$(uname -p 2>/dev/null)
ARCH=$(uname -m)
DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
COMMIT=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null)
DIRTY=null
if [ -n "$COMMIT" ]; then
    if git -C "$TOP" diff --quiet HEAD -- engine models Makefile 2>/dev/null; then DIRTY=false
    else DIRTY=true; fi
fi
VERSION=$("$R" --version 2>/dev/null | awk '{ print $NF; exit }')
LOAD=$(awk '{ print $1; exit }' /proc/loadavg 2>/dev/null)
emit "{\"bench\": \"machine\", \"cpu\": $(jstr "$CPU"), \"cores\": $NPROC, \"arch\": $(jstr "$ARCH"), \"date\": $(jstr "$DATE"), \"commit\": $([ -n "$COMMIT" ] && jstr "$COMMIT" || echo null), \"dirty\": $DIRTY, \"runrate\": $(jstr "$VERSION"), \"loadavg\": ${LOAD:-null}}"
say "runrate bench: $CPU, $NPROC cores ($ARCH), $DATE"
say "commit ${COMMIT:-unknown}$([ "$DIRTY" = true ] && echo ' + uncommitted changes to engine/, models/ or Makefile'), runrate ${VERSION:-?}, load average ${LOAD:-?} at start"
say "figures from a shared machine are noisy: compare the ratios measured in this one run"

# ---- one measurement ----
# measure FILE THREADS PATHS [EXTRA-OPTION]: runs runrate under peak_rss BENCH_REPEAT times
# and sets, from the fastest run: M_NAME M_SECONDS M_PPS M_DRAWS M_DPS M_RSS M_WALL.
# Returns 1 (and says why) when runrate fails.
measure() {
    m_file=$1 m_threads=$2 m_paths=$3 m_extra=$4
    M_SECONDS=
    i=0
    while [ "$i" -lt "$BENCH_REPEAT" ]; do
        i=$((i + 1))
        # shellcheck disable=SC2086 # m_extra: one option or none
        # --swings 0: the figures are of the path loop; swings are re-runs of it.
        if ! "$P" "$R" run "$m_file" --format json --quiet --threads "$m_threads" \
                --paths "$m_paths" --swings 0 $m_extra >"$TMP/out" 2>"$TMP/err"; then
            echo "bench.sh: runrate run $m_file --threads $m_threads --paths $m_paths $m_extra failed:" >&2
            grep -v '^peak_rss_kib \|^wall_seconds ' "$TMP/err" | head -n 5 >&2
            STATUS=1
            return 1
        fi
        # shellcheck disable=SC2046 # seven words, none empty
        set -- $(awk '
            function num(s, key,   i, r) {
                i = index(s, "\"" key "\": ")
                if (i == 0) return "null"
                r = substr(s, i + length(key) + 4)
                sub(/[,}].*/, "", r)
                return r
            }
            FILENAME ~ /err$/ && /^peak_rss_kib / { rss = $2 }
            FILENAME ~ /err$/ && /^wall_seconds / { wall = $2 }
            /^  "scenario": "/ { name = $0; sub(/^  "scenario": "/, "", name); sub(/",?$/, "", name) }
            /^  "run": \{/ { s = num($0, "seconds"); p = num($0, "paths_per_second")
                             d = num($0, "draws"); q = num($0, "draws_per_second") }
            END { gsub(/[ \t]/, "_", name)
                  print (name == "" ? "?" : name), s, p, d, q, (rss == "" ? "null" : rss), \
                        (wall == "" ? "null" : wall) }' "$TMP/out" "$TMP/err")
        if [ "$2" = null ] || [ -z "$2" ]; then
            echo "bench.sh: no \"run\" object in runrate's report for $m_file" >&2
            STATUS=1
            return 1
        fi
        if [ -z "$M_SECONDS" ] || [ "$(calc "print ($2 < $M_SECONDS)")" = 1 ]; then
            M_NAME=$1 M_SECONDS=$2 M_PPS=$3 M_DRAWS=$4 M_DPS=$5 M_RSS=$6 M_WALL=$7
        fi
    done
    return 0
}

# calibrate FILE: sets C_PATHS, the path count that takes about BENCH_SECONDS on one thread.
calibrate() {
    if [ "$BENCH_PATHS" != auto ]; then
        C_PATHS=$BENCH_PATHS
        return 0
    fi
    c=2000
    while :; do
        saved=$BENCH_REPEAT
        BENCH_REPEAT=1
        measure "$1" 1 "$c"
        rc=$?
        BENCH_REPEAT=$saved
        [ $rc -eq 0 ] || return 1
        if [ "$(calc "print ($M_SECONDS >= 0.25 || $c >= 100000000)")" = 1 ]; then break; fi
        c=$((c * 4))
    done
    # Two significant digits, at least 1000.
    C_PATHS=$(calc "n = $BENCH_SECONDS * $c / $M_SECONDS; e = 1; while (n >= 100 * e) e *= 10;
                    n = int(n / e + 0.5) * e; if (n < 1000) n = 1000; printf \"%d\", n")
}

# ---- scaling and draws ----
: >"$TMP/draws"
if want scaling || want draws; then
    say ""
    if [ "$BENCH_PATHS" = auto ]; then
        say "paths per measurement: for each scenario, about ${BENCH_SECONDS} s on one thread (BENCH_PATHS=N to fix)"
    else
        say "paths per measurement: $BENCH_PATHS (BENCH_PATHS)"
    fi
    if want scaling; then
        say "Scaling: whole runs (every statistic), threads $BENCH_THREADS; efficiency = speed-up over 1 thread / threads"
        row '%-26s %7s %10s %8s %12s %14s %10s %9s\n' scenario threads paths seconds \
            "paths/s" "draws/s" efficiency "RSS MiB"
    fi
    for f in $BENCH_SCENARIOS; do
        calibrate "$f" || continue
        n=$C_PATHS
        one_pps=
        for t in $BENCH_THREADS; do
            want scaling || [ "$t" = 1 ] || continue
            measure "$f" "$t" "$n" || continue
            if [ "$t" = 1 ]; then
                one_pps=$M_PPS
                W_SECONDS=$M_SECONDS W_PPS=$M_PPS W_DRAWS=$M_DRAWS
            fi
            if [ -n "$one_pps" ]; then
                eff=$(calc "printf \"%.4f\", $M_PPS / $one_pps / $t")
                eff_txt=$(calc "printf \"%.1f%%\", 100 * $eff")
            else
                eff=null eff_txt=-
            fi
            if want scaling; then
                row '%-26s %7d %10d %8.2f %12.0f %14.0f %10s %9.1f\n' "$M_NAME" "$t" "$n" \
                    "$M_SECONDS" "$M_PPS" "$M_DPS" "$eff_txt" "$(calc "print $M_RSS / 1024")"
                emit "{\"bench\": \"scaling\", \"scenario\": $(jstr "$M_NAME"), \"file\": $(jstr "${f#"$TOP"/}"), \"threads\": $t, \"paths\": $n, \"seconds\": $M_SECONDS, \"paths_per_second\": $M_PPS, \"draws\": $M_DRAWS, \"draws_per_second\": $M_DPS, \"efficiency\": $eff, \"peak_rss_kib\": $M_RSS, \"wall_seconds\": $M_WALL}"
            fi
            # The draws alone, right after the whole run on one thread.
            if [ "$t" = 1 ] && want draws && measure "$f" 1 "$n" --bench-draws-only; then
                ratio=$(calc "printf \"%.4f\", $W_SECONDS / $M_SECONDS")
                printf '%s %s %s %s %s %s %s %s %s %s\n' "$M_NAME" "$n" "$W_SECONDS" "$M_SECONDS" \
                    "$W_PPS" "$M_PPS" "$W_DRAWS" "$M_DRAWS" "$M_DPS" "$ratio" >>"$TMP/draws"
                emit "{\"bench\": \"draws\", \"scenario\": $(jstr "$M_NAME"), \"file\": $(jstr "${f#"$TOP"/}"), \"threads\": 1, \"paths\": $n, \"whole_seconds\": $W_SECONDS, \"draws_seconds\": $M_SECONDS, \"whole_paths_per_second\": $W_PPS, \"draws_paths_per_second\": $M_PPS, \"whole_draws\": $W_DRAWS, \"draws\": $M_DRAWS, \"draws_per_second\": $M_DPS, \"ratio\": $ratio, \"target\": 1.5}"
            fi
        done
    done
fi
if want draws; then
    say ""
    say "Draws alone: one thread, the whole run against the same run's draws alone (--bench-draws-only); target whole/draws <= 1.50"
    row '%-26s %10s %9s %9s %13s %13s %14s %8s\n' scenario paths "whole s" "draws s" \
        "whole paths/s" "draws paths/s" "draws/s alone" whole/draws
    while read -r name n ws ds wp dp wd dd dps ratio; do
        row '%-26s %10d %9.2f %9.2f %13.0f %13.0f %14.0f %7.2fx%s\n' "$name" "$n" "$ws" "$ds" \
            "$wp" "$dp" "$dps" "$ratio" "$(calc "if ($ratio > 1.5) printf \"  over target\"")"
        [ "$wd" = "$dd" ] || row '%-26s %s\n' "" "(draws counted: whole run $wd, draws alone $dd)"
    done <"$TMP/draws"
fi

# ---- peers ----
if want peers; then
    say ""
    say "Peers: bench/peers.sh, $BENCH_PEER_PATHS paths (ratio rr/peer = runrate's paths/s over the peer's; > 1 is runrate faster)"
    if [ ! -x "$G" ]; then
        say "peer_gsl: '$G' is not an executable (make bench builds it): the peers did not run"
        emit "{\"bench\": \"peer-verdict\", \"scenario\": \"support-agent\", \"comparison\": \"void\", \"failed\": [\"gsl (no binary)\"]}"
        STATUS=1
    else
        sh "$HERE/peers.sh" --json-out "$TMP/peers" "$R" "$G" "$BENCH_PEER_PATHS" >&3 || STATUS=1
        while IFS= read -r l; do
            case $l in
                '{"comparison"'*) emit "{\"bench\": \"peer-verdict\", \"scenario\": \"support-agent\", ${l#\{}" ;;
                '{'*) emit "{\"bench\": \"peer\", \"scenario\": \"support-agent\", \"threads\": 1, ${l#\{}" ;;
            esac
        done <"$TMP/peers"
    fi
fi

# ---- expressions against built-in types ----
if want expr; then
    say ""
    say "Expressions: the support agent in variables and formula components against its built-in types, one thread, $BENCH_EXPR_PATHS paths, the fastest of $BENCH_EXPR_ROUNDS alternating rounds (target: expr/builtin <= 1.30)"
    row '%-26s %10s %9s %12s %14s\n' scenario paths seconds "paths/s" "draws/s"
    b_s='' e_s=''
    saved=$BENCH_REPEAT
    BENCH_REPEAT=1
    k=0
    while [ "$k" -lt "$BENCH_EXPR_ROUNDS" ]; do
        k=$((k + 1))
        for form in builtin expr; do
            measure "$HERE/support-agent-$form.yaml" 1 "$BENCH_EXPR_PATHS" || continue
            if [ "$form" = builtin ]; then
                if [ -z "$b_s" ] || [ "$(calc "print ($M_SECONDS < $b_s)")" = 1 ]; then
                    b_s=$M_SECONDS b_name=$M_NAME b_pps=$M_PPS b_dps=$M_DPS
                fi
            elif [ -z "$e_s" ] || [ "$(calc "print ($M_SECONDS < $e_s)")" = 1 ]; then
                e_s=$M_SECONDS e_name=$M_NAME e_pps=$M_PPS e_dps=$M_DPS
            fi
        done
    done
    BENCH_REPEAT=$saved
    if [ -n "$b_s" ] && [ -n "$e_s" ]; then
        row '%-26s %10d %9.2f %12.0f %14.0f\n' "$b_name" "$BENCH_EXPR_PATHS" "$b_s" "$b_pps" "$b_dps"
        row '%-26s %10d %9.2f %12.0f %14.0f\n' "$e_name" "$BENCH_EXPR_PATHS" "$e_s" "$e_pps" "$e_dps"
        ratio=$(calc "printf \"%.4f\", $e_s / $b_s")
        within=$(calc "print ($ratio <= 1.3) ? \"true\" : \"false\"")
        row '%-26s expr/builtin %.2fx: %s\n' "" "$ratio" \
            "$([ "$within" = true ] && echo "within 1.30" || echo "NOT within 1.30")"
        emit "{\"bench\": \"expr\", \"threads\": 1, \"paths\": $BENCH_EXPR_PATHS, \"rounds\": $BENCH_EXPR_ROUNDS, \"builtin_seconds\": $b_s, \"expr_seconds\": $e_s, \"builtin_paths_per_second\": $b_pps, \"expr_paths_per_second\": $e_pps, \"ratio\": $ratio, \"target\": 1.3, \"within\": $within}"
    fi
fi

# ---- memory ----
if want memory && [ -n "$BENCH_SIZES" ]; then
    say ""
    say "Memory: bench/large.yaml on $BENCH_MEM_THREADS threads, peak RSS of the whole process (target: max/min <= 1.10)"
    row '%-26s %12s %10s %10s %12s %12s\n' scenario paths "RSS MiB" seconds "wall s" "paths/s"
    rss_min='' rss_max='' mem_rate=''
    # shellcheck disable=SC2086 # split on purpose: the sizes, one space apart
    sizes=$(printf '%s ' $BENCH_SIZES)
    sizes=${sizes% }
    for n in $BENCH_SIZES; do
        if [ -n "$mem_rate" ]; then
            printf 'bench: memory: %s paths, about %s s at the last size'"'"'s rate...\n' "$n" \
                "$(calc "printf \"%.0f\", $n / $mem_rate")" >&2
        fi
        saved=$BENCH_REPEAT
        BENCH_REPEAT=1
        measure "$HERE/large.yaml" "$BENCH_MEM_THREADS" "$n"
        rc=$?
        BENCH_REPEAT=$saved
        [ $rc -eq 0 ] || continue
        mem_rate=$M_PPS
        row '%-26s %12d %10.1f %10.2f %12.2f %12.0f\n' "$M_NAME" "$n" "$(calc "print $M_RSS / 1024")" \
            "$M_SECONDS" "$M_WALL" "$M_PPS"
        emit "{\"bench\": \"memory\", \"scenario\": $(jstr "$M_NAME"), \"threads\": $BENCH_MEM_THREADS, \"paths\": $n, \"seconds\": $M_SECONDS, \"wall_seconds\": $M_WALL, \"paths_per_second\": $M_PPS, \"draws_per_second\": $M_DPS, \"peak_rss_kib\": $M_RSS}"
        [ -z "$rss_min" ] || [ "$M_RSS" -lt "$rss_min" ] && rss_min=$M_RSS
        [ -z "$rss_max" ] || [ "$M_RSS" -gt "$rss_max" ] && rss_max=$M_RSS
    done
    if [ -n "$rss_min" ]; then
        ratio=$(calc "printf \"%.4f\", $rss_max / $rss_min")
        flat=$(calc "print ($ratio <= 1.10) ? \"true\" : \"false\"")
        row '%-26s peak RSS max/min %.3f over sizes %s: %s\n' "" "$ratio" "$sizes" \
            "$([ "$flat" = true ] && echo "flat within 10%" || echo "NOT flat within 10%")"
        emit "{\"bench\": \"memory-ratio\", \"scenario\": \"bench-large\", \"threads\": $BENCH_MEM_THREADS, \"sizes\": [$(printf '%s' "$sizes" | sed 's/ /, /g')], \"min_peak_rss_kib\": $rss_min, \"max_peak_rss_kib\": $rss_max, \"ratio\": $ratio, \"target\": 1.1, \"flat\": $flat}"
    fi
fi
exit $STATUS
