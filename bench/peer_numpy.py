#!/usr/bin/env python3
"""peer_numpy: the support-agent scenario (scenarios/support-agent.yaml) in vectorised numpy.

A benchmark peer of runrate (issue 5): the same model from the same distributions, with
numpy's own random numbers (numpy.random.Generator on PCG64), written as well as numpy
allows, the way a careful data scientist would: every parameter computed once, arrays of
shape (paths,) or (paths, 12), no Python loop over paths or months, spikes drawn as a
Poisson count per (path, month) and the per-spike terms summed per cell with
np.add.reduceat, price events as a cumulative count per path, paths processed in chunks so
that memory stays bounded.  Like the other peers it computes only the horizon total of
each path (runrate computes every statistic it reports).

The model (docs/scenario-format.md, models/*.c), month m = 0..11, January 2027 first:
  req[m]  = base * (1 + g)^m * season[m] * exp(0.08 Z[m])
  eff[m]  = req[m] * (1 + sum over N[m] ~ Poisson(0.25) spikes of (mult - 1) * days / 30)
  chat    = eff * calls * (in (1 - cached) 3 + in cached 0.30 + out 15) / 1e6 * 0.75^k[m],
            k[m] = price cuts (chance 0.04 each month, the first included) up to month m
  rerank  = max(2, ceil(eff / 50000)) * 730 * 1.006
  retrain = per job (chance 0.2 a month) triangular(10, 30, 90) * 21.96
  traces  = eff * 0.001 * 5;   logs = eff * lpr * 0.5
  observ  = triangular(900, 1200, 2000), drawn each month
  storage = (500 + 0.00004 * sum_{j<=m} eff[j]) * 0.023
  review  = eff * share * minutes / 60 * 40
"A to B" is a lognormal with p5 = A and p95 = B.  Every cost but the chat model's (whose
price factor changes by month) and the reranker's (a ceil per month) is linear in eff with
a per-path or fixed coefficient, so the horizon total needs only sum_m eff[m], a weighted
sum for storage, sum_m eff[m] * factor[m] and the reranker's monthly ceil.

usage: python3 bench/peer_numpy.py PATHS SEED
prints one JSON line: {"peer": "numpy", "paths", "seconds", "paths_per_second", "mean",
"p95", "sd", "p95_se"}.  seconds times the simulation only (not the import, not the P95);
p95 is the order statistic of rank ceil(0.95 n); p95_se is its standard error estimated by
splitting the sample into 20 batches of consecutive paths.
"""
import json
import math
import sys
import time

import numpy as np

H = 12
CHUNK = 100_000                   # paths per chunk: ~10 MB per (paths, 12) array
Z95 = 1.6448536269514722          # the standard normal's 95th percentile


def a_to_b(p5, p95):
    """mu, sigma of the lognormal whose 5th and 95th percentiles are p5 and p95."""
    a, b = math.log(p5), math.log(p95)
    return 0.5 * (a + b), (b - a) / (2 * Z95)


# ---- parameters, computed once ----
BASE_MU, BASE_S = a_to_b(60_000, 110_000)
G_MEAN, G_SD, G_LO, G_HI = 0.05, 0.02, -0.02, 0.12
SEASON = np.array([1.0, 1.0, 1.05, 1.0, 0.95, 0.9, 0.85, 0.9, 1.05, 1.1, 1.1, 1.05])
NOISE = 0.08
SPIKE_RATE = 0.25
MULT_MU, MULT_S = a_to_b(1.5, 3.0)
DAYS_LO, DAYS_HI = 1.0, 4.0

IN_MU, IN_S = a_to_b(1200, 4000)
OUT_MU, OUT_S = a_to_b(150, 500)
CALL_VALUES = np.array([3.0, 4.0, 6.0, 8.0])
CALL_CDF = np.cumsum([0.3, 0.4, 0.2, 0.1])
CALL_CDF = CALL_CDF / CALL_CDF[-1]
P_IN, P_OUT, P_CACHED = 3.00, 15.00, 0.30
PC_CHANCE, PC_FACTOR = 0.04, 0.75
PC_POW = PC_FACTOR ** np.arange(H + 1)        # factor after k cuts, k = 0..12

RR_PER_INST, RR_MIN, RR_HOURS, RR_RATE = 50_000.0, 2.0, 730.0, 1.006
TR_CHANCE, TR_RATE = 0.2, 21.96
TR_MIN, TR_MODE, TR_MAX = 10.0, 30.0, 90.0
TRACE_COEF = 0.001 * 5.00                     # traces: units per request * unit price
LOG_MU, LOG_S = a_to_b(0.00002, 0.0004)
LOG_PRICE = 0.50
OBS_MIN, OBS_MODE, OBS_MAX = 900.0, 1200.0, 2000.0
ST_INIT, ST_PER_REQ, ST_PRICE = 500.0, 0.00004, 0.023
SHARE_A, SHARE_B = 2.0, 98.0
MIN_MU, MIN_S = a_to_b(8, 12)
REVIEW_RATE = 40.0

MONTHS = np.arange(H, dtype=np.float64)
LOG_SEASON_BASE = np.log(SEASON[:H]) + BASE_MU                    # start 2027-01: month m is m
ST_WEIGHTS = (H - MONTHS) * ST_PER_REQ * ST_PRICE                 # month j's writes billed H-j times
ST_FIXED = H * ST_INIT * ST_PRICE


def simulate_chunk(rng, n):
    """Horizon totals of n paths."""
    # Path-level standard normals, one row per lognormal or normal input.
    z = rng.standard_normal((6, n))
    g = z[5]
    g *= G_SD
    g += G_MEAN
    np.clip(g, G_LO, G_HI, out=g)             # the scenario's clamp (inside the domain >= -1)

    # Demand: one exp for base * (1+g)^m * season * noise.
    x = rng.standard_normal((n, H))
    x *= NOISE
    x += LOG_SEASON_BASE
    x += (BASE_S * z[0])[:, None]
    x += np.log1p(g)[:, None] * MONTHS
    eff = np.exp(x, out=x)

    # Spikes: a Poisson count per (path, month); per-spike draws summed per cell.
    counts = rng.poisson(SPIKE_RATE, n * H)
    cells = np.flatnonzero(counts)
    if cells.size:
        per_cell = counts[cells]
        k = int(per_cell.sum())
        mult = np.exp(MULT_MU + MULT_S * rng.standard_normal(k))
        mult -= 1.0
        mult *= rng.uniform(DAYS_LO, DAYS_HI, k)   # days, inside the domain [0, 30]
        starts = np.cumsum(per_cell) - per_cell
        extra = np.add.reduceat(mult, starts)
        extra *= 1.0 / 30.0
        extra += 1.0
        eff.reshape(-1)[cells] *= extra

    # chat-model (model_api).
    in_tok = np.exp(IN_MU + IN_S * z[1])
    out_tok = np.exp(OUT_MU + OUT_S * z[2])
    calls = CALL_VALUES[np.searchsorted(CALL_CDF, rng.random(n), side="right")]
    cached = rng.beta(6.0, 4.0, n)
    per_call = in_tok * (P_IN + (P_CACHED - P_IN) * cached) + out_tok * P_OUT
    chat_coef = calls * per_call * 1e-6
    cuts = np.cumsum(rng.random((n, H)) < PC_CHANCE, axis=1)     # at the start of each month
    chat = chat_coef * np.einsum("ij,ij->i", eff, PC_POW[cuts])

    # reranker (compute): max(min_instances, ceil(eff / requests_per_instance)).
    inst = np.ceil(eff * (1.0 / RR_PER_INST))
    np.maximum(inst, RR_MIN, out=inst)
    rerank = inst.sum(axis=1) * (RR_HOURS * RR_RATE)

    # retraining (training): one job or none each month; the horizon's job count is
    # Binomial(12, 0.2) exactly, and each job draws its own hours.
    jobs = rng.binomial(H, TR_CHANCE, n)
    hours = rng.triangular(TR_MIN, TR_MODE, TR_MAX, int(jobs.sum()))
    retrain = np.bincount(np.repeat(np.arange(n), jobs), weights=hours, minlength=n)
    retrain *= TR_RATE

    # observability (fixed, vary: monthly).
    obs = rng.triangular(OBS_MIN, OBS_MODE, OBS_MAX, (n, H)).sum(axis=1)

    # traces, log-ingestion (per_request), review (oversight): linear in eff.
    share = rng.beta(SHARE_A, SHARE_B, n)
    minutes = np.exp(MIN_MU + MIN_S * z[3])
    log_gb = np.exp(LOG_MU + LOG_S * z[4])
    coef = TRACE_COEF + log_gb * LOG_PRICE + share * minutes * (REVIEW_RATE / 60.0)
    total = coef * eff.sum(axis=1)
    # transcripts (storage): stored[m] includes month m's writes.
    total += eff @ ST_WEIGHTS
    total += ST_FIXED
    total += chat
    total += rerank
    total += retrain
    total += obs
    return total


def p95_rank(n):
    """0-based index of the order statistic of rank max(1, ceil(0.95 n))."""
    return max(1, (95 * n + 99) // 100) - 1


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: peer_numpy.py PATHS SEED\n")
        return 2
    paths, seed = int(argv[1]), int(argv[2])
    if paths < 20:
        sys.stderr.write("peer_numpy.py: PATHS must be >= 20\n")
        return 2
    rng = np.random.Generator(np.random.PCG64(seed))
    totals = np.empty(paths)

    t0 = time.perf_counter()
    for lo in range(0, paths, CHUNK):
        n = min(CHUNK, paths - lo)
        totals[lo:lo + n] = simulate_chunk(rng, n)
    seconds = time.perf_counter() - t0

    mean = float(totals.mean())
    sd = float(totals.std())
    k = p95_rank(paths)
    p95 = float(np.partition(totals, k)[k])
    nb = 20
    m = paths // nb
    bq = [np.partition(b, p95_rank(m))[p95_rank(m)] for b in totals[:m * nb].reshape(nb, m)]
    p95_se = float(np.std(bq, ddof=1) / math.sqrt(nb))
    print(json.dumps({"peer": "numpy", "paths": paths, "seconds": seconds,
                      "paths_per_second": paths / seconds, "mean": mean, "p95": p95,
                      "sd": sd, "p95_se": p95_se}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
