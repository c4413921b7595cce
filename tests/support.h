/* support: what several test programs need: a scenario from a YAML string, a run and its
 * summary, and the one-path reference the engine is checked against.  The helpers assert
 * success (cmocka), printing the diagnostics when they fail. */
#ifndef RR_TEST_SUPPORT_H
#define RR_TEST_SUPPORT_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/model.h"
#include "run/sim.h"
#include "scenario/scenario.h"
#include "stats/result.h"
#include "stats/summary.h"

/* The demand and costs of the example scenario of the format's specification (issue 2),
 * verbatim: test_scenario checks it under the example's header, test_sim runs it. */
#define TEST_EXAMPLE_DEMAND_COSTS \
    "demand:\n" \
    "  requests_per_month: 60000 to 110000          # base monthly volume, before seasonality\n" \
    "  growth_per_month: {normal: {mean: 0.05, sd: 0.02}}\n" \
    "  seasonality: [1.0, 1.0, 1.05, 1.0, 0.95, 0.9, 0.85, 0.9, 1.05, 1.1, 1.1, 1.05]  # optional, Jan..Dec; needs start\n" \
    "  noise: 0.08                                  # optional lognormal sigma, month to month\n" \
    "  spikes: {per_month: 0.25, multiplier: 1.5 to 3, days: {uniform: {min: 1, max: 4}}}  # optional\n" \
    "\n" \
    "costs:\n" \
    "  - {name: chat-model, type: model_api, input_tokens: 600 to 2000, output_tokens: 120 to 500,\n" \
    "     calls_per_request: 1, price_per_million: {input: 3.00, output: 15.00},\n" \
    "     price_change: {chance_per_month: 0.04, factor: 0.75}}\n" \
    "  - {name: reranker, type: compute, requests_per_instance: 50000, min_instances: 2, hourly_rate: 1.01}\n" \
    "  - {name: retraining, type: training, chance_per_month: 0.2, gpu_hours: {triangular: {min: 10, mode: 30, max: 90}}, hourly_rate: 40.96}\n" \
    "  - {name: traces, type: per_request, category: mlops, units_per_request: 0.00003, unit_price: 0.50}\n" \
    "  - {name: observability, type: fixed, category: mlops, monthly: {triangular: {min: 900, mode: 1200, max: 2000}, vary: monthly}}\n" \
    "  - {name: transcripts, type: storage, initial_gb: 500, gb_per_request: 0.00004, price_per_gb_month: 0.023}\n" \
    "  - {name: review, type: oversight, review_share: {beta: {a: 2, b: 98}}, minutes_per_review: 3, hourly_rate: 40}\n"

/* |got - want| <= tol, with the numbers in the message when not (cmocka's fail_msg: include
 * cmocka.h before this header). */
#define assert_near(got, want, tol)                                                       \
    do {                                                                                  \
        const double g_ = (got), w_ = (want), t_ = (tol);                                 \
        if (!(fabs(g_ - w_) <= t_))                                                       \
            fail_msg("%s = %.12g, expected %.12g within %.3g", #got, g_, w_, t_);          \
    } while (0)

/* Load and validate `yaml`, after the override `set` ("PATH=VALUE") when not NULL. */
rr_scenario *test_load(const char *yaml, const char *set);
/* Loading `yaml` fails (RR_ERR_SCENARIO, no scenario) with an error at (line, col) whose
 * message holds `want` (asserted; the errors printed when not). */
void test_error_at(const char *yaml, int line, int col, const char *want);
/* Run paths 0..paths-1 of s (its plan made and freed here); asserts RR_OK. */
rr_result *test_run(const rr_scenario *s, uint64_t paths, uint64_t seed, int threads);
/* Run k scenarios on the same paths: results r[i] and, d not NULL, differences d[i]. */
void test_run_many(const rr_scenario *const *s, size_t k, uint64_t paths, uint64_t seed,
                   int threads, rr_result **r, rr_result_diff **d);
/* Simulate and summarise; the result is kept in *keep when keep is not NULL. */
rr_summary *test_summarise(const rr_scenario *s, uint64_t paths, uint64_t seed, int threads,
                           rr_result **keep);

/* One path of a scenario alone, every draw made by seeking its position and every value
 * computed as for that path only: no plan, no table, no list, no lanes.  The demand's
 * arithmetic is written out here a second time; a component's month is its type's `month`
 * on lane 0 of arrays that hold the path's values.  tests/test_sim.c checks the engine's
 * groups against it. */
typedef struct test_path {
    const rr_scenario *s;
    gsl_rng *rng;
    uint64_t seed, path;
    double corr[RR_MAX_CORRELATED];   /* the correlated inputs' values */
    double G[RR_MAX_STREAMS];         /* each stream's growth factor */
    double eff[RR_MAX_STREAMS][RR_MAX_HORIZON];   /* each stream's demand after spikes, as
                                                   * test_path_stream_demand made it */
} test_path;

void test_path_start(test_path *t, const rr_scenario *s, uint64_t seed, uint64_t path);
void test_path_end(test_path *t);
/* An input's value in month m (a per-event input's only when it is an expression or a
 * schedule); an expression's `requests` reads the stream's demand made so far. */
double test_path_value(test_path *t, const rr_input *in, int m);
/* Stream j's month m demand after spikes, months in order from 0; *req: before spikes. */
double test_path_stream_demand(test_path *t, size_t j, int m, double *req);
/* The same of the first stream (the only one of a demand written as one block). */
double test_path_demand(test_path *t, int m, double *req);
/* Month m's cost of component k on demand eff; state: its type's state rows (nstate, or
 * state_rows) x RR_LANES doubles, zeroed before month 0. */
double test_path_cost(test_path *t, size_t k, int m, double eff, double *state);

/* Run paths 0..n-1 of s on `threads` threads, then replay every path alone (test_path: every
 * draw by seeking, every value for that path only) and sum its costs in the engine's order:
 * the engine's sketch of the totals must hold exactly the same values (asserted). */
void test_replay_alone(const rr_scenario *s, uint64_t n, int threads);

#endif
