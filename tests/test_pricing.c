/* test_pricing: how the bills are computed (docs/scenario-format.md): hourly scaling with a
 * daily profile, reserved and spot instances, capacity that binds, commitments, batch and
 * cache-write prices, output-free models, storage by time and with retention, staffed
 * oversight.
 *
 * Each formula against its closed form written out here: a component's month is its type's
 * month on one path alone (support.h), with constant inputs, compared exactly where the
 * value is a count or a sum of exactly representable numbers, else within a relative 1e-12
 * (a few roundings apart from the hand formula's order).  The engine's capacity_bound and
 * commitment_unused come from runs of constant inputs, whose every path is the closed form.
 * Last, a scenario with every new field uncertain is replayed path by path alone, bit for
 * bit (the differential test of support.c), and the errors are located.
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

#define REL 1e-12

static void assert_rel(const char *what, int m, double got, double want)
{
    if (!(fabs(got - want) <= REL * fabs(want)))
        fail_msg("%s, month %d: got %.17g, expected %.17g", what, m, got, want);
}

static void assert_exact(const char *what, int m, double got, double want)
{
    if (!(got == want))
        fail_msg("%s, month %d: got %.17g, expected exactly %.17g", what, m, got, want);
}

/* A component month by month on path 0 alone; its state as large as any type asks. */
typedef struct runner {
    size_t k;
    double *state;
    test_path t;
} runner;

static void runner_start(runner *r, const rr_scenario *s, const char *name)
{
    r->k = s->ncomps;
    for (size_t k = 0; k < s->ncomps; k++)
        if (strcmp(s->comps[k].name, name) == 0)
            r->k = k;
    if (r->k == s->ncomps)
        fail_msg("no component '%s'", name);
    r->state = calloc(((size_t)s->horizon + 8) * RR_LANES, sizeof *r->state);
    assert_non_null(r->state);
    test_path_start(&r->t, s, s->seed, 0);
}

static double runner_month(runner *r, int m, double eff)
{
    return test_path_cost(&r->t, r->k, m, eff, r->state);
}

static void runner_end(runner *r)
{
    test_path_end(&r->t);
    free(r->state);
}

/* Effective demands: zero, small, round multiples of the capacity, awkward, large. */
static const double effs[] = { 0, 1, 49999, 50000, 100000, 100001, 123456.789, 260000, 5e6 };
#define NEFF (sizeof effs / sizeof *effs)

/* ---- compute: hourly scaling -------------------------------------------------------------- */

/* Without `start` a month is 730 hours; a flat profile's hour needs what the month needs,
 * so hourly scaling bills the monthly rule's instance-hours: the same cost, bit for bit,
 * with reserved instances and spot too, and with the capacity given per hour. */
static void test_hourly_flat_is_monthly(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        { "requests_per_instance: 50000, min_instances: 1, max_instances: 60",
          "plain" },
        { "requests_per_instance: 50000, reserved: {instances: 3, hourly_rate: 0.7}",
          "reserved" },
        { "requests_per_instance: 50000, spot: {share: 0.6, rate: 0.4}", "spot" },
        { "requests_per_instance: 50000, reserved: {instances: 2, hourly_rate: 0.7}, "
          "spot: {share: 0.25, rate: 0.4}", "both" },
    };
    for (size_t p = 0; p < sizeof pairs / sizeof *pairs; p++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "name: t\nhorizon_months: 12\ndemand: {requests_per_month: 1000}\ncosts:\n"
                 "  - {name: monthly, type: compute, hourly_rate: 1.2, %s}\n"
                 "  - {name: hourly, type: compute, hourly_rate: 1.2, scaling: hourly, %s}\n",
                 pairs[p][0], pairs[p][0]);
        rr_scenario *s = test_load(yaml, NULL);
        runner a, b;
        runner_start(&a, s, "monthly");
        runner_start(&b, s, "hourly");
        for (size_t i = 0; i < NEFF; i++)
            assert_exact(pairs[p][1], (int)i, runner_month(&b, (int)i, effs[i]),
                         runner_month(&a, (int)i, effs[i]));
        runner_end(&a);
        runner_end(&b);
        rr_scenario_free(s);
    }
    /* The capacity given per hour: 50000 / 730 an hour is requests_per_instance 50000. */
    rr_scenario *s = test_load(
        "name: t\nhorizon_months: 12\ndemand: {requests_per_month: 1000}\ncosts:\n"
        "  - {name: hourly, type: compute, hourly_rate: 1.2, scaling: hourly,\n"
        "     requests_per_instance_hour: 100}\n", NULL);
    runner b;
    runner_start(&b, s, "hourly");
    for (size_t i = 0; i < NEFF; i++)
        assert_rel("per hour", (int)i, runner_month(&b, (int)i, effs[i]),
                   ceil(effs[i] / 73000) * 730 * 1.2);
    runner_end(&b);
    rr_scenario_free(s);
}

/* A two-level day: 12 quiet hours of weight 1 and 12 busy ones of weight 3 (shares 1/48 and
 * 3/48), a month of D days (2027-02: 28, 2027-03: 31), r = 100 requests an instance-hour.
 * n_quiet = ceil(E / 48 / (D r)), n_busy = ceil(3 E / 48 / (D r)); the instance-hours are
 * D (12 n_quiet + 12 n_busy); with R reserved at rr, spot share s at sr:
 * cost = 24 D R rr + D (12 (n_quiet - R)+ + 12 (n_busy - R)+) ((1 - s) rate + s sr). */
static void test_hourly_two_levels(void **state)
{
    (void)state;
    const char *yaml =
        "name: t\nstart: 2027-02\nhorizon_months: 2\ndemand: {requests_per_month: 1000}\n"
        "costs:\n"
        "  - {name: pool, type: compute, requests_per_instance_hour: 100, hourly_rate: 2,\n"
        "     scaling: hourly, daily_profile: [1,1,1,1,1,1,3,3,3,3,3,3,3,3,3,3,3,3,1,1,1,1,1,1]}\n"
        "  - {name: reserved, type: compute, requests_per_instance_hour: 100, hourly_rate: 2,\n"
        "     scaling: hourly, daily_profile: [1,1,1,1,1,1,3,3,3,3,3,3,3,3,3,3,3,3,1,1,1,1,1,1],\n"
        "     reserved: {instances: 6, hourly_rate: 1.25}, spot: {share: 0.5, rate: 0.8}}\n"
        "  - {name: capped, type: compute, requests_per_instance_hour: 100, hourly_rate: 2,\n"
        "     scaling: hourly, daily_profile: [1,1,1,1,1,1,3,3,3,3,3,3,3,3,3,3,3,3,1,1,1,1,1,1],\n"
        "     min_instances: 5, max_instances: 12}\n";
    rr_scenario *s = test_load(yaml, NULL);
    static const double days[2] = { 28, 31 };
    /* Per-hour needs of 4.5 and 13.5 instances in February: no boundary of ceil is near. */
    static const double E[] = { 0, 604800, 1e6, 3e6 };
    for (int m = 0; m < 2; m++) {
        runner a, b, c;
        runner_start(&a, s, "pool");
        runner_start(&b, s, "reserved");
        runner_start(&c, s, "capped");
        for (int mm = 0; mm < m; mm++) {   /* reach month m with its state */
            runner_month(&a, mm, 0);
            runner_month(&b, mm, 0);
            runner_month(&c, mm, 0);
        }
        for (size_t i = 0; i < sizeof E / sizeof *E; i++) {
            const double D = days[m];
            const double nq = ceil(E[i] / 48 / (D * 100)), nb = ceil(3 * E[i] / 48 / (D * 100));
            assert_rel("pool", m, runner_month(&a, m, E[i]), D * (12 * nq + 12 * nb) * 2);
            const double R = 6, xq = nq > R ? nq - R : 0, xb = nb > R ? nb - R : 0;
            assert_rel("reserved and spot", m, runner_month(&b, m, E[i]),
                       24 * D * R * 1.25 + D * (12 * xq + 12 * xb) * (0.5 * 2 + 0.5 * 0.8));
            const double cq = nq < 5 ? 5 : nq > 12 ? 12 : nq, cb = nb < 5 ? 5 : nb > 12 ? 12 : nb;
            assert_rel("capped", m, runner_month(&c, m, E[i]), D * (12 * cq + 12 * cb) * 2);
        }
        runner_end(&a);
        runner_end(&b);
        runner_end(&c);
    }
    /* The premise of February's 604,800: 4.5 and 13.5 instances an hour. */
    assert_true(ceil(604800.0 / 48 / 2800) == 5 && ceil(3 * 604800.0 / 48 / 2800) == 14);
    rr_scenario_free(s);
}

/* capacity_bound: the share of path-months whose instances needed (before the clamp; in some
 * hour under hourly scaling) exceeded max_instances.  Demand 100,000 growing by 50% a month:
 * monthly, ceil(eff / 50000) > 4 from month 3 on (2.25 x 100000 / 50000 = 4.5): 10 of 12
 * months; hourly with the busy hours at 3/48 of a 730 / 24-day month, 100,000 x 1.5^m x 3/48
 * / (30.42 x 68.5) > 4 from month 2 on... computed here; a pool without max_instances never
 * binds; a warning above 1%. */
static void test_capacity_bound(void **state)
{
    (void)state;
    const char *yaml =
        "name: t\nhorizon_months: 12\n"
        "demand: {requests_per_month: 100000, growth_per_month: 0.5}\n"
        "costs:\n"
        "  - {name: monthly, type: compute, requests_per_instance: 50000, hourly_rate: 1,\n"
        "     max_instances: 4}\n"
        "  - {name: hourly, type: compute, requests_per_instance_hour: 68.5, hourly_rate: 1,\n"
        "     max_instances: 4, scaling: hourly,\n"
        "     daily_profile: [1,1,1,1,1,1,3,3,3,3,3,3,3,3,3,3,3,3,1,1,1,1,1,1]}\n"
        "  - {name: free, type: compute, requests_per_instance: 50000, hourly_rate: 1}\n"
        "  - {name: api, type: per_request, units_per_request: 1, unit_price: 0.001}\n";
    rr_scenario *s = test_load(yaml, NULL);
    int want_monthly = 0, want_hourly = 0;
    for (int m = 0; m < 12; m++) {
        const double eff = 100000 * pow(1.5, m);
        want_monthly += ceil(eff / 50000) > 4;
        want_hourly += ceil(eff * 3 / 48 / (730.0 / 24 * 68.5)) > 4;
    }
    assert_int_equal(want_monthly, 10);
    assert_true(want_hourly > want_monthly);
    rr_summary *sum = test_summarise(s, 200, 1, 2, NULL);
    assert_int_equal(sum->ncapacity, 3);   /* the compute components, in file order */
    assert_string_equal(sum->capacity_names[0], "monthly");
    assert_string_equal(sum->capacity_names[2], "free");
    assert_true(sum->capacity_bound[0] == want_monthly / 12.0);
    assert_true(sum->capacity_bound[1] == want_hourly / 12.0);
    assert_true(sum->capacity_bound[2] == 0);
    int warned = 0;
    for (size_t i = 0; i < sum->warnings.n; i++)
        warned += sum->warnings.v[i].code == RR_W_CAPACITY_BOUND;
    assert_int_equal(warned, 2);
    rr_summary_free(sum);
    rr_scenario_free(s);
}

/* ---- commitments -------------------------------------------------------------------------- */

/* A per_request line whose list cost is eff x 0.01, committed at 500 a month for a 20%
 * discount: the commitment covers list 625.  Below it (eff 40,000, list 400): cost 500,
 * unused 500 - 0.8 x 400 = 180; at it (62,500, list 625): cost 500, unused 0; above
 * (100,000, list 1000): 500 + 375 = 875, unused 0.  Outside months 2..3 it is list. */
static void test_commitment_closed_form(void **state)
{
    (void)state;
    const char *yaml =
        "name: t\nhorizon_months: 4\ndemand: {requests_per_month: 1000}\ncosts:\n"
        "  - {name: api, type: per_request, units_per_request: 1, unit_price: 0.01,\n"
        "     commitment: {monthly: 500, discount: 0.2, from_month: 2, until_month: 3}}\n";
    rr_scenario *s = test_load(yaml, NULL);
    static const double eff[] = { 40000, 62500, 100000 }, cost[] = { 500, 500, 875 };
    for (size_t i = 0; i < 3; i++) {
        runner r;
        runner_start(&r, s, "api");
        assert_rel("month 1: list", 0, runner_month(&r, 0, eff[i]), eff[i] * 0.01);
        assert_rel("month 2", 1, runner_month(&r, 1, eff[i]), cost[i]);
        assert_rel("month 3", 2, runner_month(&r, 2, eff[i]), cost[i]);
        assert_rel("month 4: list", 3, runner_month(&r, 3, eff[i]), eff[i] * 0.01);
        runner_end(&r);
    }
    rr_scenario_free(s);

    /* The engine: constant demand 40,000, so every path's unused is 2 x 180. */
    s = test_load("name: t\nhorizon_months: 4\ndemand: {requests_per_month: 40000}\ncosts:\n"
                  "  - {name: api, type: per_request, units_per_request: 1, unit_price: 0.01,\n"
                  "     commitment: {monthly: 500, discount: 0.2, from_month: 2, until_month: 3}}\n"
                  "  - {name: gpu, type: compute, requests_per_instance: 10000, hourly_rate: 1,\n"
                  "     commitment: {monthly: 2000, discount: 0.3}}\n"
                  "  - {name: llm, type: model_api, input_tokens: 1000, output_tokens: 100,\n"
                  "     price_per_million: {input: 3, output: 15},\n"
                  "     commitment: {monthly: 100, discount: 0.5}}\n",
                  NULL);
    rr_summary *sum = test_summarise(s, 100, 1, 2, NULL);
    assert_int_equal(sum->ncommitment, 3);
    assert_string_equal(sum->commitment_names[1], "gpu");
    /* api: 2 months of 180. */
    assert_rel("api unused", 0, sum->commitment_unused[0].mean, 360);
    assert_true(sum->commitment_unused[0].sd == 0);
    /* gpu: list 4 x 730 = 2920 > 2000 / 0.7 = 2857.14: cost 2000 + 62.86, unused 0. */
    assert_true(sum->commitment_unused[1].mean == 0);
    assert_rel("gpu", 0, sum->comps[1].mean, 4 * (2000 + 2920 - 2000 / 0.7));
    /* llm: list 40000 x (3000 + 1500) / 1e6 = 180 < 200: cost 100, unused 100 - 90 = 10. */
    assert_rel("llm", 0, sum->comps[2].mean, 4 * 100);
    assert_rel("llm unused", 0, sum->commitment_unused[2].mean, 4 * 10);
    rr_summary_free(sum);
    rr_scenario_free(s);
}

/* ---- model_api: batch, cache writes, no output ------------------------------------------- */

/* eff x calls x [in ((1 - c - w) p_in + c p_cached + w p_write) + out p_out] / 1e6
 * x (1 - batch_share x batch_discount). */
static void test_model_api_mechanics(void **state)
{
    (void)state;
    const char *yaml =
        "name: t\nhorizon_months: 3\ndemand: {requests_per_month: 1000}\ncosts:\n"
        "  - {name: batch, type: model_api, input_tokens: 1500, output_tokens: 350,\n"
        "     batch_share: 0.3, price_per_million: {input: 3, output: 15}}\n"
        "  - {name: batch40, type: model_api, input_tokens: 1500, output_tokens: 350,\n"
        "     batch_share: 0.3, price_per_million: {input: 3, output: 15, batch_discount: 0.4}}\n"
        "  - {name: writes, type: model_api, input_tokens: 1500, output_tokens: 350,\n"
        "     cached_share: 0.5, cache_write_share: 0.2, calls_per_request: 2,\n"
        "     price_per_million: {input: 3, output: 15, cached_input: 0.3, cache_write: 3.75}}\n"
        "  - {name: writes-at-input, type: model_api, input_tokens: 1500, output_tokens: 350,\n"
        "     cache_write_share: 0.2, price_per_million: {input: 3, output: 15}}\n"
        "  - {name: embed, type: model_api, input_tokens: 800,\n"
        "     price_per_million: {input: 0.02}}\n"
        "  - {name: free-output, type: model_api, input_tokens: 800, output_tokens: 50,\n"
        "     price_per_million: {input: 0.5, output: 0}}\n";
    rr_scenario *s = test_load(yaml, NULL);
    static const char *const names[] = { "batch", "batch40", "writes", "writes-at-input",
                                         "embed", "free-output" };
    for (size_t n = 0; n < sizeof names / sizeof *names; n++) {
        runner r;
        runner_start(&r, s, names[n]);
        for (size_t i = 0; i < NEFF; i++) {
            const double e = effs[i];
            double want = 0;
            switch (n) {
            case 0: want = e * (1500 * 3 + 350 * 15) / 1e6 * (1 - 0.3 * 0.5); break;
            case 1: want = e * (1500 * 3 + 350 * 15) / 1e6 * (1 - 0.3 * 0.4); break;
            case 2:
                want = e * 2 * (1500 * (0.3 * 3 + 0.5 * 0.3 + 0.2 * 3.75) + 350 * 15) / 1e6;
                break;
            case 3: want = e * (1500 * 3 + 350 * 15) / 1e6; break;
            case 4: want = e * 800 * 0.02 / 1e6; break;
            case 5: want = e * 800 * 0.5 / 1e6; break;
            }
            assert_rel(names[n], (int)i, runner_month(&r, (int)i % 3, e), want);
        }
        runner_end(&r);
    }
    rr_scenario_free(s);
}

/* ---- storage: by time, retention ---------------------------------------------------------- */

/* stored[m] = sum_{k < floor R} added[m-k] + (R - floor R) added[m - floor R], added[0] the
 * initial volume, added[j < 0] = 0; without R, initial + sum_{1..m} added. */
static double stored_ref(const double *added, int m, double R)
{
    if (isnan(R)) {
        double x = 0;
        for (int j = 0; j <= m; j++)
            x += added[j];
        return x;
    }
    const int W = (int)floor(R);
    double x = 0;
    for (int k = 0; k < W; k++)
        x += m - k >= 0 ? added[m - k] : 0;
    return x + (R - W) * (m - W >= 0 ? added[m - W] : 0);
}

static void test_storage_retention(void **state)
{
    (void)state;
    const char *yaml =
        "name: t\nhorizon_months: 24\ndemand: {requests_per_month: 1000}\ncosts:\n"
        "  - {name: logs, type: storage, gb_per_month: 300, retention_months: 3,\n"
        "     price_per_gb_month: 0.5}\n"
        "  - {name: weekly, type: storage, gb_per_month: 300, retention_months: 0.23,\n"
        "     price_per_gb_month: 0.5}\n"
        "  - {name: frac, type: storage, initial_gb: 1000, gb_per_month: 300,\n"
        "     retention_months: 2.5, price_per_gb_month: 0.5}\n"
        "  - {name: demand, type: storage, initial_gb: 1000, gb_per_month: 10,\n"
        "     gb_per_request: 0.001, retention_months: 12, price_per_gb_month: 0.25}\n"
        "  - {name: forever, type: storage, initial_gb: 1000, gb_per_month: 10,\n"
        "     gb_per_request: 0.001, price_per_gb_month: 0.25}\n"
        "  - {name: longer, type: storage, initial_gb: 1000, gb_per_month: 10,\n"
        "     gb_per_request: 0.001, retention_months: 40.5, price_per_gb_month: 0.25}\n";
    rr_scenario *s = test_load(yaml, NULL);
    struct { const char *name; double initial, per_month, per_request, R, price; } c[] = {
        { "logs", 0, 300, 0, 3, 0.5 },           { "weekly", 0, 300, 0, 0.23, 0.5 },
        { "frac", 1000, 300, 0, 2.5, 0.5 },      { "demand", 1000, 10, 0.001, 12, 0.25 },
        { "forever", 1000, 10, 0.001, NAN, 0.25 }, { "longer", 1000, 10, 0.001, 40.5, 0.25 },
    };
    for (size_t n = 0; n < sizeof c / sizeof *c; n++) {
        double added[25];
        added[0] = c[n].initial;
        runner r;
        runner_start(&r, s, c[n].name);
        for (int m = 1; m <= 24; m++) {
            const double eff = 1000 * m + 37.5 * (m % 5);
            added[m] = c[n].per_month + c[n].per_request * eff;
            assert_rel(c[n].name, m, runner_month(&r, m - 1, eff),
                       stored_ref(added, m, c[n].R) * c[n].price);
        }
        runner_end(&r);
    }
    /* The closed forms themselves: a steady 300 a month kept 3 months settles at 900, kept
     * 0.23 months at 69; the initial 1,000 kept 2.5 months is gone from month 3. */
    double a[25] = { 0 };
    for (int m = 1; m <= 24; m++)
        a[m] = 300;
    assert_true(stored_ref(a, 10, 3) == 900);
    assert_true(fabs(stored_ref(a, 10, 0.23) - 69) < 1e-12);
    a[0] = 1000;
    assert_true(stored_ref(a, 2, 2.5) == 300 + 300 + 0.5 * 1000);
    assert_true(stored_ref(a, 3, 2.5) == 750);
    rr_scenario_free(s);
}

/* ---- oversight: staffed hours ------------------------------------------------------------- */

static void test_staffed_oversight(void **state)
{
    (void)state;
    const char *yaml =
        "name: t\nhorizon_months: 3\ndemand: {requests_per_month: 1000}\ncosts:\n"
        "  - {name: both, type: oversight, staffed_hours_per_month: 80, review_share: 0.05,\n"
        "     minutes_per_review: 3, hourly_rate: 40}\n"
        "  - {name: rota, type: oversight, staffed_hours_per_month: 80, hourly_rate: 40}\n";
    rr_scenario *s = test_load(yaml, NULL);
    runner a, b;
    runner_start(&a, s, "both");
    runner_start(&b, s, "rota");
    for (size_t i = 0; i < NEFF; i++) {
        assert_rel("both", (int)i, runner_month(&a, (int)i % 3, effs[i]),
                   (80 + effs[i] * 0.05 * 3 / 60) * 40);
        assert_exact("rota", (int)i, runner_month(&b, (int)i % 3, effs[i]), 3200);
    }
    runner_end(&a);
    runner_end(&b);
    rr_scenario_free(s);
}

/* ---- every new field uncertain, replayed alone -------------------------------------------- */

static void test_replay_new_fields(void **state)
{
    (void)state;
    const char *yaml =
        "name: mechanics\nstart: 2027-01\nhorizon_months: 14\nsimulation: {seed: 21}\n"
        "demand:\n"
        "  requests_per_month: 300000 to 900000\n"
        "  growth_per_month: {normal: {mean: 0.03, sd: 0.02}}\n"
        "  noise: 0.1\n"
        "  spikes: {per_month: 0.4, multiplier: 1.5 to 3, days: 2}\n"
        "costs:\n"
        "  - {name: pool, type: compute, requests_per_instance_hour: 40 to 80, hourly_rate: 2.5,\n"
        "     scaling: hourly, min_instances: 1, max_instances: 30,\n"
        "     daily_profile: [1,1,1,1,1,2,3,4,5,5,5,5,5,5,5,5,4,3,3,2,2,1,1,1],\n"
        "     reserved: {instances: 2, hourly_rate: 1.6},\n"
        "     spot: {share: {beta: {a: 6, b: 4}, vary: monthly}, rate: 0.7 to 1.2},\n"
        "     commitment: {monthly: 3000 to 6000, discount: 0.28, from_month: 3}}\n"
        "  - {name: llm, type: model_api, input_tokens: 900 to 2500, output_tokens: 100 to 400,\n"
        "     cached_share: {beta: {a: 4, b: 6}}, cache_write_share: {beta: {a: 1, b: 9}},\n"
        "     batch_share: {uniform: {min: 0.1, max: 0.4}, vary: monthly},\n"
        "     price_per_million: {input: 3, output: 15, cached_input: 0.3, cache_write: 3.75,\n"
        "                         batch_discount: 0.5},\n"
        "     price_change: {chance_per_month: 0.05, factor: 0.8},\n"
        "     commitment: {monthly: 800 to 1500, discount: {uniform: {min: 0.1, max: 0.3}}}}\n"
        "  - {name: embed, type: model_api, input_tokens: 300 to 700,\n"
        "     price_per_million: {input: 0.02}}\n"
        "  - {name: traces, type: per_request, category: mlops, units_per_request: 1,\n"
        "     tiers: [{up_to: 100000, unit_price: 0.0004}, {unit_price: 0.0002}],\n"
        "     commitment: {monthly: 50, discount: 0.1, until_month: 8}}\n"
        "  - {name: logs, type: storage, gb_per_month: 200 to 400, gb_per_request: 0.00002,\n"
        "     initial_gb: 500, retention_months: 1.5, price_per_gb_month: 0.03}\n"
        "  - {name: review, type: oversight, staffed_hours_per_month: {triangular: {min: 40,\n"
        "     mode: 60, max: 120}, vary: monthly}, review_share: 0.01, minutes_per_review: 2,\n"
        "     hourly_rate: 45}\n";
    rr_scenario *s = test_load(yaml, NULL);
    test_replay_alone(s, 300, 3);
    /* And at one thread: the same statistics, bit for bit. */
    rr_result *a = test_run(s, 300, s->seed, 1), *b = test_run(s, 300, s->seed, 3);
    for (size_t i = 0; i < a->nseries; i++) {
        assert_memory_equal(&a->moments[i].mean, &b->moments[i].mean, sizeof(double));
        assert_memory_equal(&a->moments[i].m2, &b->moments[i].m2, sizeof(double));
    }
    for (size_t i = 0; i < a->ncapacity; i++)
        assert_true(a->capacity_bound[i] == b->capacity_bound[i]);
    assert_int_equal(a->ncommitment, 3);
    assert_true(a->moments[rr_result_unused(a, 0)].mean > 0);
    rr_result_free(a);
    rr_result_free(b);
    rr_scenario_free(s);
}

/* ---- the JSON keys ------------------------------------------------------------------------ */

static void test_json_keys(void **state)
{
    (void)state;
    rr_scenario *s = test_load(
        "name: t\nhorizon_months: 3\ndemand: {requests_per_month: 200000}\ncosts:\n"
        "  - {name: gpu, type: compute, requests_per_instance: 50000, hourly_rate: 1,\n"
        "     max_instances: 2, commitment: {monthly: 5000, discount: 0.3}}\n", NULL);
    rr_summary *sum = test_summarise(s, 50, 1, 1, NULL);
    rr_buf b = { 0 };
    assert_int_equal(rr_report_json(sum, 0, &b), RR_OK);
    assert_non_null(strstr(b.p, "\"capacity_bound\": {\"gpu\": 1}"));
    assert_non_null(strstr(b.p, "\"commitment_unused\": {\n    \"gpu\": {\"mean\": "));
    assert_non_null(strstr(b.p, "\"code\": \"capacity-bound\""));
    rr_buf_free(&b);
    rr_summary_free(sum);
    rr_scenario_free(s);
}

/* ---- errors, located ---------------------------------------------------------------------- */

#define HDR "name: t\nhorizon_months: 12\ndemand: {requests_per_month: 1000}\ncosts:\n"

static void test_errors(void **state)
{
    (void)state;
    test_error_at(HDR "  - {name: a, type: compute, requests_per_instance: 5, hourly_rate: 1,\n"
                      "     scaling: hourly, hours_per_month: 720}\n",
                  6, 40, "hours_per_month: not with 'scaling: hourly'");
    test_error_at(HDR "  - {name: a, type: compute, requests_per_instance: 5, hourly_rate: 1,\n"
                      "     daily_profile: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}\n",
                  6, 21, "applies only with 'scaling: hourly'");
    test_error_at(HDR "  - {name: a, type: compute, requests_per_instance: 5, hourly_rate: 1,\n"
                      "     scaling: hourly, daily_profile: [1, 2, 3]}\n",
                  6, 38, "expected a list of 24 shares");
    test_error_at(HDR "  - {name: a, type: compute, requests_per_instance: 5, hourly_rate: 1,\n"
                      "     scaling: daily}\n",
                  6, 15, "expected 'monthly' or 'hourly', got 'daily'");
    test_error_at(HDR "  - {name: a, type: compute, requests_per_instance: 5, hourly_rate: 1,\n"
                      "     requests_per_instance_hour: 2}\n",
                  6, 34, "give one of requests_per_instance");
    test_error_at(HDR "  - {name: a, type: compute, hourly_rate: 1}\n", 5, 5,
                  "missing required key 'requests_per_instance' (or "
                  "'requests_per_instance_hour')");
    test_error_at(HDR "  - {name: a, type: compute, requests_per_instance: 5, hourly_rate: 1,\n"
                      "     spot: {share: 0.5}}\n",
                  6, 12, "costs.a.spot: missing required key 'rate'");
    test_error_at(HDR "  - {name: a, type: per_request, units_per_request: 1, unit_price: 1,\n"
                      "     commitment: {monthly: 100, discount: 1}}\n",
                  6, 43, "must be below 1");
    test_error_at(HDR "  - {name: a, type: per_request, units_per_request: 1, unit_price: 1,\n"
                      "     commitment: {monthly: 100, discount: 0.2, from_month: 5, until_month: 3}}\n",
                  6, 76, "commitment.until_month: must be >= commitment.from_month (5)");
    test_error_at(HDR "  - {name: a, type: per_request, units_per_request: 1, unit_price: 1,\n"
                      "     commitment: {monthly: 100, discount: 0.2, until_month: 13}}\n",
                  6, 61, "must be in 1..12");
    test_error_at(HDR "  - {name: a, type: model_api, input_tokens: 9, cached_share: 0.7,\n"
                      "     cache_write_share: 0.5, price_per_million: {input: 3}}\n",
                  6, 25, "must be at most 1 - cached_share");
    test_error_at(HDR "  - {name: a, type: storage, price_per_gb_month: 1, retention_months: 3}\n",
                  5, 5, "missing required key 'gb_per_request' (or 'gb_per_month'");
    test_error_at(HDR "  - {name: a, type: storage, gb_per_month: 1, price_per_gb_month: 1,\n"
                      "     retention_months: 0}\n",
                  6, 24, "retention_months");
    test_error_at(HDR "  - {name: a, type: oversight, hourly_rate: 40}\n", 5, 5,
                  "'staffed_hours_per_month'");
    test_error_at(HDR "  - {name: a, type: oversight, hourly_rate: 40, review_share: 0.1}\n", 5, 5,
                  "missing required key 'minutes_per_review'");
}

/* A drawn cached share and write share whose P95s overshoot 1: warned at load, and the
 * write share held to 1 - cached in those draws (never a negative input share). */
static void test_cache_shares_overlap(void **state)
{
    (void)state;
    rr_scenario *s = test_load(
        HDR "  - {name: a, type: model_api, input_tokens: 1000, cached_share: {uniform: {min: 0.4, max: 0.9}},\n"
            "     cache_write_share: {uniform: {min: 0.1, max: 0.5}},\n"
            "     price_per_million: {input: 3, cached_input: 0, cache_write: 3}}\n", NULL);
    int warned = 0;
    for (size_t i = 0; i < s->warnings.n; i++)
        warned += s->warnings.v[i].code == RR_W_CACHE_SHARES;
    assert_int_equal(warned, 1);
    /* With cached input free and writes at the input price, a call costs in x (1 - c) x 3
     * whatever w is, held or not: 1000 requests x 1000 tokens x E[1 - c] x 3 / 1e6 a month,
     * E[1 - c] = 0.35; each path's cost is 12 x 3 x (1 - c), so exact bounds hold too. */
    rr_result *r = test_run(s, 2000, 1, 2);
    const double sd = 12 * 3 * 0.5 / sqrt(12), mean = 12 * 3 * 0.35;
    assert_true(fabs(r->moments[rr_result_total()].mean - mean) < 5 * sd / sqrt(2000));
    assert_true(rr_sketch_min(r->sketch[rr_result_total()]) >= 12 * 3 * 0.1 - 1e-9);
    rr_result_free(r);
    rr_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hourly_flat_is_monthly),
        cmocka_unit_test(test_hourly_two_levels),
        cmocka_unit_test(test_capacity_bound),
        cmocka_unit_test(test_commitment_closed_form),
        cmocka_unit_test(test_model_api_mechanics),
        cmocka_unit_test(test_storage_retention),
        cmocka_unit_test(test_staffed_oversight),
        cmocka_unit_test(test_replay_new_fields),
        cmocka_unit_test(test_json_keys),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_cache_shares_overlap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
