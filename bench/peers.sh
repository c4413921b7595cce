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
# usage: bench/peers.sh [--json] RUNRATE PEER_GSL_BINARY [PATHS]
#   PATHS defaults to 1000000; SEED (environment) to 42, used by runrate and by every peer
#   (each with its own generator, so the samples are independent); PYTHON (environment) to
#   the first of python3, /usr/bin/python3 that imports numpy (Debian: python3-numpy).
#   With --json, prints one JSON line per engine instead of the table: runrate's, then each
#   peer's with "ratio", "mean_agree", "p95_agree", then {"comparison": "valid" | "void"}.
# The peer binary is built with:
#   gcc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror \
#       bench/peer_gsl.c $(pkg-config --cflags --libs gsl) -lm -o PEER_GSL_BINARY

JSON=0
if [ "$1" = "--json" ]; then
    JSON=1
    shift
fi
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: bench/peers.sh [--json] RUNRATE PEER_GSL_BINARY [PATHS]" >&2
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

if [ -z "$PYTHON" ]; then
    for p in python3 /usr/bin/python3; do
        if "$p" -c 'import numpy' >/dev/null 2>&1; then
            PYTHON=$p
            break
        fi
    done
fi

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

# runrate's summary as a peer-shaped JSON line (jq-free: any python3 reads JSON).
JSONPY=${PYTHON:-python3}
"$RR" run "$SCENARIO" --paths "$PATHS" --seed "$SEED" --threads 1 --format json \
    >"$TMP/rr.json" || { echo "peers.sh: runrate failed" >&2; exit 1; }
"$JSONPY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
t, r = d["total"], d["run"]
print(json.dumps({"peer": "runrate", "paths": d["paths"], "seconds": r["seconds"],
                  "paths_per_second": r["paths_per_second"], "mean": t["mean"],
                  "p95": t["p95"], "sd": t["sd"]}))' "$TMP/rr.json" >"$TMP/lines" || exit 1

: >"$TMP/failed"
if [ -n "$PYTHON" ]; then
    "$PYTHON" "$HERE/peer_numpy.py" "$PATHS" "$SEED" >>"$TMP/lines" || echo numpy >>"$TMP/failed"
else
    echo "numpy (no python3 with numpy: apt-get install python3-numpy)" >>"$TMP/failed"
fi
for g in mt19937 taus2; do
    "$GSL" "$PATHS" "$SEED" "$g" >>"$TMP/lines" || echo "gsl-$g" >>"$TMP/failed"
done

"$JSONPY" - "$JSON" "$TMP/lines" "$TMP/failed" <<'EOF'
import json, math, sys

as_json = sys.argv[1] == "1"
rows = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
failed = [l.strip() for l in open(sys.argv[3]) if l.strip()]
rr, peers = rows[0], rows[1:]
n = rr["paths"]
void = bool(failed)
for p in peers:
    p["ratio"] = rr["paths_per_second"] / p["paths_per_second"]
    tol_mean = 5 * math.sqrt(rr["sd"] ** 2 / n + p["sd"] ** 2 / p["paths"])
    tol_p95 = 5 * math.sqrt(2) * p["p95_se"] + 0.001 * abs(rr["p95"])
    p["mean_agree"] = abs(rr["mean"] - p["mean"]) <= tol_mean
    p["p95_agree"] = abs(rr["p95"] - p["p95"]) <= tol_p95
    p["_tol"] = (tol_mean, tol_p95)
    void = void or not (p["mean_agree"] and p["p95_agree"])

if as_json:
    print(json.dumps(rr))
    for p in peers:
        p.pop("_tol")
        print(json.dumps(p))
    print(json.dumps({"comparison": "void" if void else "valid", "failed": failed}))
    sys.exit(1 if void else 0)

word = lambda ok: "AGREE" if ok else "DISAGREE"
print("support-agent, %d paths, one thread each; mean and P95 of the 12-month total" % n)
print("%-12s %12s %9s %12s %12s   %-26s %-26s" % ("peer", "paths/s", "rr/peer", "mean", "P95",
                                                "mean vs runrate (tol)", "P95 vs runrate (tol)"))
print("%-12s %12.0f %9s %12.0f %12.0f" % ("runrate", rr["paths_per_second"], "1.00x",
                                          rr["mean"], rr["p95"]))
for p in peers:
    tm, tq = p["_tol"]
    print("%-12s %12.0f %8.2fx %12.0f %12.0f   %-8s %+8.0f (%6.0f)   %-8s %+8.0f (%6.0f)" % (
        p["peer"], p["paths_per_second"], p["ratio"], p["mean"], p["p95"],
        word(p["mean_agree"]), p["mean"] - rr["mean"], tm,
        word(p["p95_agree"]), p["p95"] - rr["p95"], tq))
for f in failed:
    print("%-12s did not run" % f)
if void:
    print("comparison VOID: %s" % ("a peer did not run" if failed else
                                   "a peer disagrees with runrate, so it does not compute the same model"))
else:
    print("comparison valid: every peer agrees with runrate within Monte Carlo error")
sys.exit(1 if void else 0)
EOF
