#!/bin/sh
# runrate against its peers on the support-agent scenario (issue 5): runrate on one thread,
# a vectorised numpy peer (bench/peer_numpy.py) and a hand-written C+GSL loop
# (bench/peer_gsl.c) with mt19937 and with taus2, all with the same path count, in one run.
# Prints paths per second, the ratio runrate / peer (these machines are shared and noisy:
# quote the ratios, measured in the same run, not the absolute figures), each peer's mean and
# P95 of the 12-month total, and whether they agree with runrate's within Monte Carlo error:
#   mean: |m_rr - m_peer| <= 5 sqrt(sd_rr^2 / n + sd_peer^2 / n)
#   P95:  |q_rr - q_peer| <= 5 sqrt(2) se + 0.001 q_rr, where se is the standard error of the
#         peer's P95 from 20 batches of its own sample (runrate's P95 has the same standard
#         error: same model, same n) and 0.001 q_rr is runrate's documented quantile
#         resolution (its percentiles are read from a log-bucketed histogram, within 0.1%).
# If any peer disagrees, the comparison is void (the peers do not compute the same model) and
# the exit status is 1; it is 1 too when a peer could not run.
#
# usage: bench/peers.sh [--json | --json-out FILE] RUNRATE PEER_GSL_BINARY [PATHS]
#   PATHS defaults to 1000000; SEED (environment) to 42, used by runrate and by every peer
#   (each with its own generator, so the samples are independent); PYTHON (environment) to
#   the first python3 on PATH that imports numpy, else /usr/bin/python3 if it does (Debian:
#   python3-numpy; `make bench` installs it).  Only the numpy peer needs python3: the rest
#   is POSIX sh and awk.
#   With --json, prints one JSON line per engine instead of the table: runrate's, then each
#   peer's with "ratio", "mean_agree", "p95_agree" (and the tolerances "mean_tol",
#   "p95_tol"), then {"comparison": "valid" | "void", "failed": [...]}.  With --json-out FILE,
#   prints the table and writes those JSON lines to FILE too (bench/bench.sh uses it).
# The peer binary is built by `make bench` (build/bench/peer_gsl), or with:
#   gcc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror \
#       bench/peer_gsl.c $(pkg-config --cflags --libs gsl) -lm -o PEER_GSL_BINARY

JSON=0
JSON_OUT=
case $1 in
    --json) JSON=1; shift ;;
    --json-out) JSON_OUT=$2; shift 2 ;;
esac
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: bench/peers.sh [--json | --json-out FILE] RUNRATE PEER_GSL_BINARY [PATHS]" >&2
    exit 2
fi
RR=$1
GSL=$2
PATHS=${3:-1000000}
SEED=${SEED:-42}
HERE=$(dirname "$0")
SCENARIO=$HERE/../scenarios/support-agent.yaml

case $PATHS in
    '' | *[!0-9]*) echo "peers.sh: PATHS must be a whole number, got '$PATHS'" >&2; exit 2 ;;
esac
if [ "$PATHS" -lt 1000 ]; then
    echo "peers.sh: PATHS must be >= 1000 for the agreement checks to mean anything" >&2
    exit 2
fi

# A python3 with numpy: every python3 on PATH in order, then /usr/bin/python3.
if [ -z "$PYTHON" ]; then
    cands=
    oldifs=$IFS
    IFS=:
    for d in $PATH; do
        [ -n "$d" ] && [ -x "$d/python3" ] && cands="$cands $d/python3"
    done
    IFS=$oldifs
    for p in $cands /usr/bin/python3; do
        if "$p" -c 'import numpy' >/dev/null 2>&1; then
            PYTHON=$p
            break
        fi
    done
fi

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# runrate's summary as a peer-shaped JSON line: the "total" object, "paths" and "run" of its
# report are each on one line of their own.
# num(line, key): the number after "key": in a JSON line; both awk programs below use it.
AWK_NUM='
function num(s, key,   i, r) {
    i = index(s, "\"" key "\": ")
    if (i == 0) return ""
    r = substr(s, i + length(key) + 4)
    sub(/[,}].*/, "", r)
    return r
}

'
"$RR" run "$SCENARIO" --paths "$PATHS" --seed "$SEED" --threads 1 --format json --quiet \
    >"$TMP/rr.json" || { echo "peers.sh: runrate failed" >&2; exit 1; }
awk "$AWK_NUM"'
/^  "paths": /  { paths = num($0, "paths") }
/^  "total": \{/ { mean = num($0, "mean"); sd = num($0, "sd"); p95 = num($0, "p95") }
/^  "run": \{/   { sec = num($0, "seconds"); pps = num($0, "paths_per_second") }
END {
    if (paths == "" || mean == "" || pps == "") exit 1
    printf "{\"peer\": \"runrate\", \"paths\": %s, \"seconds\": %s, \"paths_per_second\": %s, " \
           "\"mean\": %s, \"p95\": %s, \"sd\": %s}\n", paths, sec, pps, mean, p95, sd
}' "$TMP/rr.json" >"$TMP/lines" || { echo "peers.sh: cannot read runrate's report" >&2; exit 1; }

: >"$TMP/failed"
if [ -n "$PYTHON" ]; then
    "$PYTHON" "$HERE/peer_numpy.py" "$PATHS" "$SEED" >>"$TMP/lines" || echo numpy >>"$TMP/failed"
else
    echo "numpy (no python3 with numpy: apt-get install python3-numpy)" >>"$TMP/failed"
fi
for g in mt19937 taus2; do
    "$GSL" "$PATHS" "$SEED" "$g" >>"$TMP/lines" || echo "gsl-$g" >>"$TMP/failed"
done

[ -n "$JSON_OUT" ] && : >"$JSON_OUT"
awk -v as_json="$JSON" -v json_out="$JSON_OUT" -v failed_file="$TMP/failed" "$AWK_NUM"'
function str(s, key,   i, r) {
    i = index(s, "\"" key "\": \"")
    if (i == 0) return ""
    r = substr(s, i + length(key) + 5)
    sub(/".*/, "", r)
    return r
}
function abs(x) { return x < 0 ? -x : x }
function emit(line) {
    if (as_json) print line
    if (json_out != "") print line >json_out
}
function word(ok) { return ok ? "AGREE" : "DISAGREE" }
function tf(ok) { return ok ? "true" : "false" }
NF == 0 { next }
{ line[++k] = $0; name[k] = str($0, "peer"); pps[k] = num($0, "paths_per_second") + 0
  mean[k] = num($0, "mean") + 0; p95[k] = num($0, "p95") + 0; sd[k] = num($0, "sd") + 0
  n[k] = num($0, "paths") + 0; se[k] = num($0, "p95_se") + 0 }
END {
    nfailed = 0
    while ((getline f <failed_file) > 0)
        if (f != "") failed[++nfailed] = f
    void = nfailed > 0
    for (i = 2; i <= k; i++) {
        ratio[i] = pps[1] / pps[i]
        tm[i] = 5 * sqrt(sd[1] ^ 2 / n[1] + sd[i] ^ 2 / n[i])
        tq[i] = 5 * sqrt(2) * se[i] + 0.001 * abs(p95[1])
        ma[i] = abs(mean[1] - mean[i]) <= tm[i]
        qa[i] = abs(p95[1] - p95[i]) <= tq[i]
        if (!(ma[i] && qa[i])) void = 1
    }
    emit(line[1])
    for (i = 2; i <= k; i++) {
        l = line[i]
        sub(/}[ \t]*$/, "", l)
        emit(sprintf("%s, \"ratio\": %.6g, \"mean_agree\": %s, \"p95_agree\": %s, " \
                     "\"mean_tol\": %.6g, \"p95_tol\": %.6g}", l, ratio[i], tf(ma[i]), tf(qa[i]),
                     tm[i], tq[i]))
    }
    fl = ""
    for (i = 1; i <= nfailed; i++) {
        f = failed[i]
        gsub(/\\/, "\\\\", f)
        gsub(/"/, "\\\"", f)
        fl = fl (i > 1 ? ", " : "") "\"" f "\""
    }
    emit(sprintf("{\"comparison\": \"%s\", \"failed\": [%s]}", void ? "void" : "valid", fl))
    if (as_json) exit void

    printf "support-agent, %d paths, one thread each; mean and P95 of the 12-month total\n", n[1]
    printf "%-12s %12s %9s %12s %12s   %-26s %-26s\n", "peer", "paths/s", "rr/peer", "mean", "P95",
           "mean vs runrate (tol)", "P95 vs runrate (tol)"
    printf "%-12s %12.0f %9s %12.0f %12.0f\n", "runrate", pps[1], "1.00x", mean[1], p95[1]
    for (i = 2; i <= k; i++)
        printf "%-12s %12.0f %8.2fx %12.0f %12.0f   %-8s %+8.0f (%6.0f)   %-8s %+8.0f (%6.0f)\n",
               name[i], pps[i], ratio[i], mean[i], p95[i], word(ma[i]), mean[i] - mean[1], tm[i],
               word(qa[i]), p95[i] - p95[1], tq[i]
    for (i = 1; i <= nfailed; i++)
        printf "%-12s did not run\n", failed[i]
    if (void)
        print "comparison VOID: " (nfailed ? "a peer did not run" : \
              "a peer disagrees with runrate, so it does not compute the same model")
    else
        print "comparison valid: every peer agrees with runrate within Monte Carlo error"
    exit void
}' "$TMP/lines"
