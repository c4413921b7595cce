/* test_streams: several demand streams.
 *
 * Two streams with their own prices against closed forms; the requests served and each
 * stream's unit cost; the binding rules and their errors, located; `requests.NAME`; every
 * path of a two-stream scenario replayed alone (support.c) bit for bit; the JSON keys.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "support.h"
#include "report/report.h"
#include "run/sim.h"
#include "scenario/scenario.h"

#define Z 5.0   /* standard errors, as in test_sim */

static const char two[] =
    "name: two\nhorizon_months: 12\nsimulation: {seed: 8}\n"
    "demand:\n"
    "  chat: {requests_per_month: 100000}\n"
    "  ingestion: {requests_per_month: 5000}\n"
    "costs:\n"
    "  - {name: answer, type: per_request, category: managed_ai, demand: chat,\n"
    "     units_per_request: 1, unit_price: 0.002}\n"
    "  - {name: embed, type: per_request, category: managed_ai, demand: ingestion,\n"
    "     units_per_request: 1, unit_price: 0.01}\n"
    "  - {name: ops, type: fixed, category: mlops, monthly: 100}\n";

/* Constant streams: every path's numbers are the closed form, exactly or to rounding. */
static void test_two_streams_closed_form(void **state)
{
    (void)state;
    rr_scenario *s = test_load(two, NULL);
    assert_int_equal(s->nstreams, 2);
    assert_string_equal(s->streams[1].d.in[RR_DEMAND_BASE].path,
                        "demand.ingestion.requests_per_month");
    assert_int_equal(s->comps[0].stream, 0);
    assert_int_equal(s->comps[1].stream, 1);
    assert_int_equal(s->comps[2].stream, -1);   /* fixed: bound to none */
    rr_result *r = test_run(s, 500, s->seed, 2);
    const double total = 12 * (100000 * 0.002 + 5000 * 0.01 + 100);
    assert_true(fabs(r->moments[rr_result_total()].mean - total) < 1e-9 * total);
    assert_true(r->moments[rr_result_demand(r, 0)].mean == 12 * 100000.0);
    assert_true(r->moments[rr_result_demand(r, 1)].mean == 12 * 5000.0);
    assert_true(r->moments[rr_result_demand_month(r, 1, 11)].mean == 5000.0);
    /* Each stream's unit cost is its own components' cost per 1,000 of its requests; the
     * whole one counts every cost over every request. */
    assert_true(fabs(r->moments[rr_result_unit_stream(r, 0)].mean - 2) < 1e-12);
    assert_true(fabs(r->moments[rr_result_unit_stream(r, 1)].mean - 10) < 1e-12);
    assert_true(fabs(r->moments[rr_result_unit_horizon(r)].mean -
                     total / (12 * 105000.0) * 1000) < 1e-9);
    rr_result_free(r);
    rr_scenario_free(s);
}

/* An uncertain stream: chat's "60000 to 110000" is a lognormal of p5 60,000 and p95
 * 110,000; its component's cost over the year is 12 x 0.002 x that, mean and quantiles; the
 * other stream's numbers do not move. */
static void test_uncertain_stream(void **state)
{
    (void)state;
    const char *yaml =
        "name: two\nhorizon_months: 12\nsimulation: {seed: 8}\n"
        "demand:\n"
        "  chat: {requests_per_month: 60000 to 110000}\n"
        "  ingestion: {requests_per_month: 5000}\n"
        "costs:\n"
        "  - {name: answer, type: per_request, category: managed_ai, demand: chat,\n"
        "     units_per_request: 1, unit_price: 0.002}\n"
        "  - {name: embed, type: per_request, category: managed_ai, demand: ingestion,\n"
        "     units_per_request: 1, unit_price: 0.01}\n";
    rr_scenario *s = test_load(yaml, NULL);
    const double n = 100000, z95 = 1.6448536269514722;
    const double mu = (log(60000) + log(110000)) / 2, sigma = (log(110000) - log(60000)) / (2 * z95);
    const double mean = 0.024 * exp(mu + sigma * sigma / 2);
    const double sd = mean * sqrt(exp(sigma * sigma) - 1);
    rr_result *r = test_run(s, (uint64_t)n, s->seed, 2);
    const rr_moments *m = &r->moments[rr_result_comp(r, 0)];
    assert_true(fabs(m->mean - mean) < Z * sd / sqrt(n));
    const double p50 = rr_sketch_quantile(r->sketch[rr_result_comp(r, 0)], 0.5);
    assert_true(fabs(p50 - 0.024 * exp(mu)) < Z * 1.2533 * sd / sqrt(n) + 0.002 * p50);
    assert_true(r->moments[rr_result_comp(r, 1)].mean == 12 * 5000 * 0.01);
    rr_result_free(r);
    rr_scenario_free(s);
}

#define STREAMS                                                                              \
    "name: t\nhorizon_months: 12\ndemand:\n  chat: {requests_per_month: 1000}\n"             \
    "  batch: {requests_per_month: 10}\ncosts:\n"

static void test_binding_errors(void **state)
{
    (void)state;
    /* A type that reads the demand, without its stream. */
    test_error_at(STREAMS "  - {name: a, type: oversight, review_share: 0.1, minutes_per_review: 3,\n"
                     "     hourly_rate: 40}\n",
             7, 5, "costs.a: a oversight cost follows the demand: name its stream with "
                   "demand: NAME (the streams: chat, batch)");
    /* A stream that does not exist. */
    test_error_at(STREAMS "  - {name: a, type: oversight, demand: chta, review_share: 0.1,\n"
                     "     minutes_per_review: 3, hourly_rate: 40}\n",
             7, 40, "costs.a.demand: no stream 'chta' (did you mean 'chat'?)");
    /* requests of which stream? */
    test_error_at(STREAMS "  - {name: f, type: formula, category: mlops, cost: \"requests * 0.1\"}\n",
             7, 54, "requests of which stream? write requests.NAME (the streams: chat, batch)");
    test_error_at("name: t\nhorizon_months: 12\nvariables:\n  load: \"requests / 1000\"\n"
             "demand:\n  chat: {requests_per_month: 1000}\n  batch: {requests_per_month: 10}\n"
             "costs:\n  - {name: f, type: formula, category: mlops, cost: load}\n",
             4, 10, "a variable names it: requests.NAME");
    test_error_at(STREAMS "  - {name: f, type: formula, category: mlops, cost: \"requests.bacth\"}\n",
             7, 54, "no stream 'bacth' in requests.bacth (did you mean 'batch'?)");
    /* The name a single block has. */
    test_error_at("name: t\nhorizon_months: 12\ndemand:\n  default: {requests_per_month: 1}\n"
             "costs:\n  - {name: f, type: fixed, category: mlops, monthly: 1}\n",
             4, 3, "'default' is the name of a demand written as one block");
    /* A misspelt key of one block stays one. */
    test_error_at("name: t\nhorizon_months: 12\ndemand:\n  request_per_month: 1000\n"
             "costs:\n  - {name: f, type: fixed, category: mlops, monthly: 1}\n",
             4, 3, "unknown key 'request_per_month'");
}

/* A formula bound to a stream reads its requests as `requests`; one that names both
 * streams is bound to none; with spikes on one stream, the premium is that stream's. */
static void test_requests_and_premium(void **state)
{
    (void)state;
    rr_scenario *s = test_load(
        "name: t\nhorizon_months: 12\nsimulation: {seed: 2}\ndemand:\n"
        "  chat: {requests_per_month: 1000, spikes: {per_month: 0.5, multiplier: 3, days: 3}}\n"
        "  batch: {requests_per_month: 10}\ncosts:\n"
        "  - {name: own, type: formula, category: mlops, demand: chat, cost: \"requests * 0.1\"}\n"
        "  - {name: both, type: formula, category: compute,\n"
        "     cost: \"requests.chat * 0.1 + requests.batch * 1\"}\n",
        NULL);
    assert_int_equal(s->comps[0].stream, 0);
    assert_int_equal(s->comps[1].stream, -1);
    const double n = 40000;
    rr_result *r = test_run(s, (uint64_t)n, s->seed, 2);
    /* own and both's chat part are the same numbers, path by path. */
    const rr_moments *own = &r->moments[rr_result_comp(r, 0)];
    const rr_moments *both = &r->moments[rr_result_comp(r, 1)];
    assert_true(fabs(both->mean - own->mean - 120) < 1e-6 * both->mean);
    /* The premium: 0.1 x 1000 x 12 months x 0.5 spikes x (3 - 1) x 3/30, in each. */
    const double premium = 2 * 0.1 * 1000 * 12 * 0.5 * 2 * 3.0 / 30;
    const double sd = 2 * 0.1 * 1000 * 2 * 3.0 / 30 * sqrt(12 * 0.5);
    assert_true(fabs(r->moments[rr_result_spike(r)].mean - premium) < Z * sd / sqrt(n));
    /* The stream without spikes serves its requests exactly. */
    assert_true(r->moments[rr_result_demand(r, 1)].mean == 120);
    rr_result_free(r);
    rr_scenario_free(s);
}

static const char rich[] =
    "name: rich\nstart: 2027-06\nhorizon_months: 15\nsimulation: {seed: 31}\n"
    "variables:\n"
    "  share: 0.2 to 0.5\n"
    "  docs: \"requests.ingestion * share\"\n"
    "demand:\n"
    "  chat:\n"
    "    requests_per_month: 60000 to 110000\n"
    "    growth_per_month: {normal: {mean: 0.03, sd: 0.01}}\n"
    "    seasonality: [1, 1, 1.1, 1, 1, 0.9, 0.8, 0.9, 1, 1.1, 1.2, 1.1]\n"
    "    noise: 0.1\n"
    "    spikes: {per_month: 0.3, multiplier: 1.5 to 3, days: {uniform: {min: 1, max: 4}}}\n"
    "  ingestion:\n"
    "    requests_per_month: {schedule: {1: 2000, 7: 8000 to 12000}}\n"
    "    noise: 0.3\n"
    "    spikes: {per_month: 0.2, multiplier: 4, days: 2}\n"
    "costs:\n"
    "  - {name: answer, type: model_api, demand: chat, input_tokens: 600 to 2000,\n"
    "     output_tokens: 120 to 500, price_per_million: {input: 3, output: 15}}\n"
    "  - {name: embed, type: per_request, category: managed_ai, demand: ingestion,\n"
    "     units_per_request: 3000, unit_price: 0.00000002}\n"
    "  - {name: gpus, type: compute, demand: chat, requests_per_instance: 40000, hourly_rate: 1.2}\n"
    "  - {name: index, type: formula, category: storage, cost: \"docs * 0.001 + requests.chat * 0.00001\"}\n"
    "  - {name: review, type: oversight, demand: ingestion, review_share: 0.02,\n"
    "     minutes_per_review: 3, hourly_rate: 40}\n";

static void test_paths_replay_alone(void **state)
{
    (void)state;
    rr_scenario *s = test_load(rich, NULL);
    test_replay_alone(s, 2000, 3);
    rr_scenario_free(s);
}

/* The JSON report: the requests served of each stream, and each stream's unit cost. */
static void test_json_keys(void **state)
{
    (void)state;
    rr_scenario *s = test_load(two, NULL);
    rr_summary *sum = test_summarise(s, 200, s->seed, 1, NULL);
    assert_int_equal(sum->nstreams, 2);
    assert_string_equal(sum->stream_names[1], "ingestion");
    rr_buf b = { 0 };
    assert_int_equal(rr_report_json(sum, 0, &b), RR_OK);
    const char *j = b.p;
    assert_non_null(strstr(j, "\"streams\": {\n      \"chat\": {\"n\": 200, \"mean\": 2,"));
    assert_non_null(strstr(j, "\"demand\": {\n    \"chat\": {\"total\": {\"mean\": 1200000,"));
    assert_non_null(strstr(j, "\"ingestion\": {\"total\": {\"mean\": 60000,"));
    rr_buf_free(&b);
    rr_summary_free(sum);
    rr_scenario_free(s);
    /* A demand written as one block is the stream "default". */
    s = test_load("name: t\nhorizon_months: 2\ndemand: {requests_per_month: 10}\ncosts:\n"
                  "  - {name: f, type: per_request, units_per_request: 1, unit_price: 1}\n",
                  NULL);
    assert_string_equal(s->streams[0].name, "default");
    assert_string_equal(s->streams[0].d.in[RR_DEMAND_BASE].path, "demand.requests_per_month");
    sum = test_summarise(s, 10, 1, 1, NULL);
    b = (rr_buf){ 0 };
    assert_int_equal(rr_report_json(sum, 0, &b), RR_OK);
    assert_non_null(strstr(b.p, "\"default\": {\"total\": {\"mean\": 20,"));
    rr_buf_free(&b);
    rr_summary_free(sum);
    rr_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_streams_closed_form),
        cmocka_unit_test(test_uncertain_stream),
        cmocka_unit_test(test_binding_errors),
        cmocka_unit_test(test_requests_and_premium),
        cmocka_unit_test(test_paths_replay_alone),
        cmocka_unit_test(test_json_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
