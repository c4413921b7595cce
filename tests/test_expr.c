/* test_expr: variables, expressions, schedules and the formula component.
 *
 * The grammar's pinned rules on the parser and folder; every load error with the column of
 * its token; closed forms of each construct through the whole engine (tolerances from the
 * Monte Carlo error at the sample size, as in test_sim); every path replayed alone against
 * support.c's tree-walking evaluator, bit for bit; streams that stay put when a variable is
 * added; correlated variables; faults, and the faults that `if` does not take.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>

#include "support.h"
#include "run/sim.h"
#include "sample/plan.h"
#include "scenario/expr.h"
#include "scenario/scenario.h"

#define Z 5.0   /* standard errors, as in test_sim */

/* ---- the grammar ---- */

static double fold(const char *text)
{
    char err[160];
    size_t at = 0;
    rr_expr *e = rr_expr_parse(text, err, sizeof err, &at);
    if (!e)
        fail_msg("'%s': %s at %zu", text, err, at);
    rr_expr_env env = { NULL, NULL, 0 };
    double v = NAN;
    assert_true(rr_expr_fold(e, &env, &v));
    rr_expr_free(e);
    return v;
}

static void parse_fails(const char *text, size_t want_at, const char *want)
{
    char err[160];
    size_t at = 999;
    rr_expr *e = rr_expr_parse(text, err, sizeof err, &at);
    if (e)
        fail_msg("'%s' parsed", text);
    if (at != want_at || !strstr(err, want))
        fail_msg("'%s': '%s' at %zu, expected '%s' at %zu", text, err, at, want, want_at);
}

static void test_grammar_pinned_rules(void **state)
{
    (void)state;
    assert_true(fold("-2^2") == -4);            /* power binds tighter than unary minus */
    assert_true(fold("2^3^2") == 512);          /* right-associative */
    assert_true(fold("2^-1") == 0.5);
    assert_true(fold("1 + 2 * 3 - 4 / 2") == 5);
    assert_true(fold("(1 + 2) * 3") == 9);
    assert_true(fold("round(2.5)") == 3 && fold("round(-2.5)") == -3);   /* half away */
    assert_true(fold("round(0.49999999999999994)") == 0);
    assert_true(fold("ceil(1.2) + floor(-1.2)") == 0);
    assert_true(fold("1 < 2") == 1 && fold("2 <= 1") == 0 && fold("3 == 3") == 1 &&
                fold("3 != 3") == 0 && fold("2 > 1") == 1 && fold("1 >= 2") == 0);
    assert_true(fold("1 + 1 == 2") == 1);       /* comparisons bind loosest */
    assert_true(fold("min(3, 1, 2) + max(4, 7, 5)") == 8);
    assert_true(fold("clamp(5, 0, 1) + clamp(-5, 0, 1)") == 1);
    assert_true(fold("if(0, 1, 2) + if(3, 10, 20)") == 12);
    assert_true(fold("if(1, 5, log(-1))") == 5);   /* the branch not taken is not a fault */
    assert_true(isnan(fold("log(-1) < 1")));        /* a comparison keeps a NaN */
    assert_true(isnan(fold("max(log(-1), 1)")));
    assert_true(isinf(fold("1 / 0")));
    assert_true(fold("exp(0) + sqrt(16) + log(1)") == 5);
    assert_true(fold("1e6 * 0.5") == 500000);
    assert_true(fold(".5 + 0.25") == 0.75);
}

static void test_grammar_errors(void **state)
{
    (void)state;
    parse_fails("2 * (3", 4, "this '(' is not closed: expected ')', found the end");
    parse_fails("(1 + 2", 0, "this '(' is not closed");
    parse_fails("2 *", 3, "expected a number, a name or '('");
    parse_fails("2 3", 2, "expected an operator or the end");
    parse_fails("(2))", 3, "without its '('");
    parse_fails("foo(1)", 0, "unknown function 'foo'");
    parse_fails("clamp(1, 2)", 0, "clamp takes 3 arguments, got 2");
    parse_fails("log(1, 2)", 0, "log takes 1 argument, got 2");
    parse_fails("min()", 0, "min takes at least 1 argument, got 0");
    parse_fails("1 + to", 4, "'to' is reserved");
    parse_fails("max + 1", 0, "max is a function");
    parse_fails("60k * 2", 0, "'60k' is not a number");
    parse_fails("2 $ 3", 2, "expected an operator or the end, found '$'");
    parse_fails("$ 3", 0, "'$' is not a number, a name or an operator");
    parse_fails("", 0, "expected a number");
}

/* ---- loading ---- */

#define HEAD "name: t\nhorizon_months: 12\n"
#define COSTS "costs:\n  - {name: f, type: formula, category: mlops, cost: 1}\n"

static void test_load_errors_with_columns(void **state)
{
    (void)state;
    /* Syntax: the column of the token, inside the quotes. */
    test_error_at(HEAD "variables:\n  x: \"2 * (3\"\ndemand: {requests_per_month: 1}\n" COSTS, 4, 11,
             "this '(' is not closed");
    /* An unknown name, with the nearest. */
    test_error_at(HEAD "variables:\n  employees: 3000\n  users: \"employes * 0.5\"\n"
                  "demand: {requests_per_month: users}\n" COSTS,
             5, 11, "unknown name 'employes' (did you mean 'employees'?)");
    /* A field's expression: the column within the field's value. */
    test_error_at(HEAD "demand: {requests_per_month: \"1000 * clamp(1, 2)\"}\n" COSTS, 3, 38,
             "clamp takes 3 arguments, got 2");
    /* Month-only built-ins need start. */
    test_error_at(HEAD "demand: {requests_per_month: 1}\ncosts:\n"
                  "  - {name: f, type: formula, category: mlops, cost: \"if(calendar_month == 12, 1, 0)\"}\n",
             5, 57, "calendar_month needs 'start'");
    test_error_at(HEAD "demand: {requests_per_month: 1}\ncosts:\n"
                  "  - {name: f, type: formula, category: mlops, cost: \"year - 2000\"}\n",
             5, 54, "year needs 'start'");
    /* A cycle names every variable in it, at the first one's name. */
    test_error_at(HEAD "variables:\n  a: \"b + 1\"\n  b: \"c * 2\"\n  c: \"a\"\n"
                  "demand: {requests_per_month: a}\n" COSTS,
             4, 3, "a cycle: a -> b -> c -> a");
    /* A cycle through the demand. */
    test_error_at(HEAD "variables:\n  x: \"requests * 2\"\n"
                  "demand: {requests_per_month: \"x + 1\"}\n" COSTS,
             5, 31, "uses requests (through variables.x, which uses requests)");
    /* requests where a month's events are drawn. */
    test_error_at(HEAD "demand: {requests_per_month: 100}\ncosts:\n"
                  "  - {name: j, type: training, jobs_per_month: \"requests / 1000\", "
                  "gpu_hours: 10, hourly_rate: 2}\n",
             5, 48, "cannot use requests");
    /* Names of variables. */
    test_error_at(HEAD "variables:\n  month: 3\ndemand: {requests_per_month: 1}\n" COSTS, 4, 3,
             "'month' is a built-in name");
    test_error_at(HEAD "variables:\n  max: 3\ndemand: {requests_per_month: 1}\n" COSTS, 4, 3,
             "'max' is a built-in function");
    test_error_at(HEAD "variables:\n  2x: 3\ndemand: {requests_per_month: 1}\n" COSTS, 4, 3,
             "'2x' is not a name");
    /* A constant expression outside its field's domain, as a written constant would be. */
    test_error_at(HEAD "demand: {requests_per_month: 1}\ncosts:\n"
                  "  - {name: m, type: model_api, input_tokens: 10, output_tokens: 10,\n"
                  "     price_per_million: {input: \"2 - 3\", output: 1}}\n",
             6, 34, "must be > 0, got -1");
    test_error_at(HEAD "variables:\n  z: \"0 / 0\"\ndemand: {requests_per_month: z}\n" COSTS, 4, 7,
             "not a number (NaN)");
    /* Schedules. */
    test_error_at(HEAD "demand: {requests_per_month: {schedule: {2: 10, 5: 20}}}\n" COSTS, 3, 42,
             "the first key must be at or before the first month (1)");
    test_error_at(HEAD "demand: {requests_per_month: {schedule: {2027-01: 10}}}\n" COSTS, 3, 42,
             "needs 'start'");
    test_error_at("name: t\nstart: 2027-01\nhorizon_months: 12\n"
             "demand: {requests_per_month: {schedule: {2027-01: 10, 5: 20}}}\n" COSTS,
             4, 55, "mixes a month number with the YYYY-MM keys");
    test_error_at(HEAD "demand: {requests_per_month: {schedule: {1: 10, 5: 20, 3: 1}}}\n" COSTS, 3,
             56, "keys must increase");
    test_error_at(HEAD "demand: {requests_per_month: {schedule: {0: 10}}}\n" COSTS, 3, 42,
             "months count from 1");
    test_error_at("name: t\nstart: 2027-01\nhorizon_months: 12\n"
             "demand: {requests_per_month: {schedule: {2027-13: 10}}}\n" COSTS,
             4, 42, "is not a month");
    /* formula needs its category, as fixed does. */
    test_error_at(HEAD "demand: {requests_per_month: 1}\ncosts:\n  - {name: f, type: formula, cost: 1}\n",
             5, 5, "needs a 'category'");
}

/* ---- closed forms ---- */

static rr_scenario *must_load(const char *yaml)
{
    return test_load(yaml, NULL);
}

static double total_mean(const rr_result *r)
{
    return r->moments[rr_result_total()].mean;
}

static double total_sd(const rr_result *r)
{
    return rr_moments_sd(&r->moments[rr_result_total()]);
}

static void check_quantile(double got, double want, double se)
{
    double tol = Z * se + 2 * RR_SKETCH_REL_ACCURACY * fabs(want);
    if (fabs(got - want) > tol)
        fail_msg("quantile %.10g, expected %.10g +- %.3g", got, want, tol);
}

/* A total that is the same on every path: its mean, P0 and P100 are it. */
static void check_constant_total(const char *yaml, double want)
{
    rr_scenario *s = must_load(yaml);
    rr_result *r = test_run(s, 200, s->seed, 2);
    const rr_sketch *k = r->sketch[rr_result_total()];
    if (fabs(rr_sketch_min(k) - want) > 1e-9 * want || fabs(rr_sketch_max(k) - want) > 1e-9 * want)
        fail_msg("total %.17g .. %.17g, expected %.17g", rr_sketch_min(k), rr_sketch_max(k), want);
    rr_result_free(r);
    rr_scenario_free(s);
}

static void test_product_of_uniform_and_constants(void **state)
{
    (void)state;
    /* u * k * 10, u ~ U(2, 6), k = 3: uniform on [60, 180]. */
    rr_scenario *s = must_load("name: t\nhorizon_months: 1\nsimulation: {seed: 5}\n"
                               "variables:\n  u: {uniform: {min: 2, max: 6}}\n  k: 3\n"
                               "demand: {requests_per_month: 1}\n"
                               "costs:\n  - {name: f, type: formula, category: mlops, "
                               "cost: \"u * k * 10\"}\n");
    const double n = 200000, lo = 60, hi = 180, sd = (hi - lo) / sqrt(12);
    rr_result *r = test_run(s, (uint64_t)n, s->seed, 2);
    assert_true(fabs(total_mean(r) - 120) < Z * sd / sqrt(n));
    const double ps[] = { 0.05, 0.25, 0.5, 0.75, 0.95 };
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++)
        check_quantile(rr_sketch_quantile(r->sketch[rr_result_total()], ps[i]),
                       lo + (hi - lo) * ps[i], sqrt(ps[i] * (1 - ps[i]) / n) * (hi - lo));
    rr_result_free(r);
    rr_scenario_free(s);
}

static void test_month_and_calendar(void **state)
{
    (void)state;
    /* 100 * month over 12 months: 100 * 78. */
    check_constant_total(HEAD "demand: {requests_per_month: 1}\ncosts:\n"
                              "  - {name: f, type: formula, category: mlops, cost: \"100 * month\"}\n",
                         7800);
    /* Two Decembers in 24 months from 2027-03. */
    check_constant_total("name: t\nstart: 2027-03\nhorizon_months: 24\n"
                         "demand: {requests_per_month: 1}\ncosts:\n"
                         "  - {name: f, type: formula, category: mlops, "
                         "cost: \"if(calendar_month == 12, 1000, 10)\"}\n",
                         2 * 1000 + 22 * 10);
    /* year: 2027-07 .. 2029-06. */
    check_constant_total("name: t\nstart: 2027-07\nhorizon_months: 24\n"
                         "demand: {requests_per_month: 1}\ncosts:\n"
                         "  - {name: f, type: formula, category: mlops, cost: year}\n",
                         6 * 2027 + 12 * 2028 + 6 * 2029);
    /* days: 2028 is a leap year; 2100 is not. */
    check_constant_total("name: t\nstart: 2028-01\nhorizon_months: 12\n"
                         "demand: {requests_per_month: 1}\ncosts:\n"
                         "  - {name: f, type: formula, category: mlops, cost: days}\n",
                         366);
    check_constant_total("name: t\nstart: 2100-01\nhorizon_months: 12\n"
                         "demand: {requests_per_month: 1}\ncosts:\n"
                         "  - {name: f, type: formula, category: mlops, cost: days}\n",
                         365);
    /* Without start, a month has 730 / 24 days: 365 a year. */
    check_constant_total(HEAD "demand: {requests_per_month: 1}\ncosts:\n"
                              "  - {name: f, type: formula, category: mlops, cost: days}\n",
                         365);
    /* A variable that folds, used by a monthly expression. */
    check_constant_total(HEAD "variables:\n  rate: \"2 * 5\"\n  ramp: \"rate * month\"\n"
                              "demand: {requests_per_month: 1}\ncosts:\n"
                              "  - {name: f, type: formula, category: mlops, cost: ramp}\n",
                         780);
}

static void test_schedule_sums(void **state)
{
    (void)state;
    check_constant_total(HEAD "demand: {requests_per_month: 1}\ncosts:\n"
                              "  - {name: f, type: formula, category: mlops,\n"
                              "     cost: {schedule: {1: 10, 4: 20, 10: 5}}}\n",
                         3 * 10 + 6 * 20 + 3 * 5);
    /* YYYY-MM keys; those before the start: the last of them holds from it. */
    check_constant_total("name: t\nstart: 2027-01\nhorizon_months: 12\n"
                         "demand: {requests_per_month: 1}\ncosts:\n"
                         "  - {name: f, type: formula, category: mlops,\n"
                         "     cost: {schedule: {2026-01: 1, 2026-06: 7, 2027-04: 20, 2028-01: 99}}}\n",
                         3 * 7 + 9 * 20);
    /* An entry that is an expression, and a schedule in a built-in type's field. */
    check_constant_total(HEAD "demand: {requests_per_month: 1000}\ncosts:\n"
                              "  - {name: p, type: per_request, category: mlops, units_per_request: 1,\n"
                              "     unit_price: {schedule: {1: 0.01, 7: \"0.01 * month / 7\"}}}\n",
                         1000 * (6 * 0.01 + 0.01 * (7 + 8 + 9 + 10 + 11 + 12) / 7));
    /* An uncertain entry: 60 + 6 * N(100, 10), drawn once per path: N(660, 60). */
    rr_scenario *s = must_load(HEAD "simulation: {seed: 3}\ndemand: {requests_per_month: 1}\n"
                                    "costs:\n  - {name: f, type: formula, category: mlops,\n"
                                    "     cost: {schedule: {1: 10, 7: {normal: {mean: 100, sd: 10}}}}}\n");
    const double n = 100000, mean = 660, sd = 60;
    rr_result *r = test_run(s, (uint64_t)n, s->seed, 2);
    assert_true(fabs(total_mean(r) - mean) < Z * sd / sqrt(n));
    assert_true(fabs(total_sd(r) - sd) < Z * sd / sqrt(2 * n));
    const double ps[] = { 0.05, 0.5, 0.95 };
    for (size_t i = 0; i < 3; i++) {
        double zq = gsl_cdf_ugaussian_Pinv(ps[i]);
        check_quantile(rr_sketch_quantile(r->sketch[rr_result_total()], ps[i]), mean + sd * zq,
                       sqrt(ps[i] * (1 - ps[i]) / n) / gsl_ran_ugaussian_pdf(zq) * sd);
    }
    /* It is a driver, named by its entry. */
    int found = 0;
    for (size_t i = 0; i < r->ndrivers; i++)
        found |= strcmp(r->about.driver_names[i], "costs.f.cost.schedule.7") == 0;
    assert_true(found);
    rr_result_free(r);
    rr_scenario_free(s);
}

/* A formula that reads requests is per_request's cost, bit for bit, spikes and the spike
 * premium included: `requests` is the demand after spikes, and without them in the costs
 * without spikes. */
static void test_requests_follows_spikes(void **state)
{
    (void)state;
    const char *base = HEAD "simulation: {seed: 9}\n"
                            "demand: {requests_per_month: 1000 to 5000, growth_per_month: 0.03,\n"
                            "  spikes: {per_month: 0.5, multiplier: 1.5 to 4, days: 3}}\ncosts:\n";
    char a[1024], b[1024];
    snprintf(a, sizeof a, "%s  - {name: x, type: formula, category: mlops, "
             "cost: \"requests * 0.25\"}\n", base);
    snprintf(b, sizeof b, "%s  - {name: x, type: per_request, category: mlops, "
             "units_per_request: 1, unit_price: 0.25}\n", base);
    rr_scenario *sa = must_load(a), *sb = must_load(b);
    rr_result *ra = test_run(sa, 20000, 9, 2), *rb = test_run(sb, 20000, 9, 3);
    for (size_t i = 0; i < ra->nseries; i++)
        assert_memory_equal(&ra->moments[i], &rb->moments[i], sizeof ra->moments[i]);
    assert_true(ra->moments[rr_result_spike(ra)].mean > 0);
    rr_result_free(ra);
    rr_result_free(rb);
    rr_scenario_free(sa);
    rr_scenario_free(sb);
}

/* Spearman's r between two variables through a Gaussian copula: the sum of two standard
 * normals correlated at Pearson 2 sin(pi r / 6) has variance 2 + 2 rho. */
static void test_correlated_variables(void **state)
{
    (void)state;
    rr_scenario *s = must_load("name: t\nhorizon_months: 1\nsimulation: {seed: 21}\n"
                               "variables:\n  a: {normal: {mean: 50, sd: 1}}\n"
                               "  b: {normal: {mean: 50, sd: 1}}\n"
                               "demand: {requests_per_month: 1}\n"
                               "costs:\n  - {name: f, type: formula, category: mlops, "
                               "cost: \"a + b\"}\n"
                               "correlations:\n  - {between: [variables.a, variables.b], "
                               "rank: 0.7}\n");
    const double n = 100000, rho = 2 * sin(M_PI * 0.7 / 6), sd = sqrt(2 + 2 * rho);
    rr_result *r = test_run(s, (uint64_t)n, s->seed, 2);
    assert_true(fabs(total_mean(r) - 100) < Z * sd / sqrt(n));
    assert_true(fabs(total_sd(r) - sd) < Z * sd / sqrt(2 * n));
    rr_result_free(r);
    rr_scenario_free(s);
}

/* ---- the engine against one path alone ---- */

static const char rich[] =
    "name: rich\nstart: 2027-11\nhorizon_months: 18\nsimulation: {seed: 77}\n"
    "variables:\n"
    "  employees: 3000\n"
    "  adoption: 0.25 to 0.6\n"
    "  questions: {lognormal: {median: 4, sigma: 0.3}, vary: monthly}\n"
    "  working_days: \"days * 5 / 7\"\n"
    "  users: \"employees * adoption\"\n"
    "  seats: \"ceil(users / 10)\"\n"
    "  price: {schedule: {2027-11: 3.00, 2028-03: 2.50 to 3.00, 2028-09: \"2.2 * (1 + adoption / 10)\"}}\n"
    "  load: \"requests / (1000 * working_days)\"\n"
    "  surge: {uniform: {min: 1.2, max: 3}}\n"
    "demand:\n"
    "  requests_per_month: \"users * questions * working_days\"\n"
    "  growth_per_month: {schedule: {1: 0, 4: 0.02}}\n"
    "  spikes: {per_month: \"0.3 + 0.1 * (calendar_month == 12)\", multiplier: \"surge\", days: 2 to 6}\n"
    "costs:\n"
    "  - {name: chat, type: model_api, input_tokens: \"800 + 100 * adoption\", output_tokens: 200 to 400,\n"
    "     price_per_million: {input: price, output: \"5 * price\"}}\n"
    "  - {name: eval-platform, type: formula, category: mlops, cost: \"seats * 39\"}\n"
    "  - {name: gpus, type: formula, category: compute, cost: \"ceil(max(1, load)) * 1.2 * 24 * days\"}\n"
    "  - {name: tune, type: training, jobs_per_month: {schedule: {1: 0, 7: \"0.5 + adoption\"}},\n"
    "     gpu_hours: {schedule: {1: 10, 10: \"20 * surge\"}}, hourly_rate: 40}\n"
    "  - {name: review, type: oversight, review_share: \"0.02 + 0.2 * (requests < 1)\",\n"
    "     minutes_per_review: 3, hourly_rate: \"30 * (1 + 0.03 * (year - 2027))\"}\n"
    "correlations:\n"
    "  - {between: [variables.adoption, variables.surge], rank: -0.4}\n";

static void test_paths_replay_alone(void **state)
{
    (void)state;
    rr_scenario *s = must_load(rich);
    test_replay_alone(s, 2000, 3);
    rr_scenario_free(s);
}

static void assert_same_results(const rr_result *a, const rr_result *b)
{
    assert_int_equal(a->nseries, b->nseries);
    for (size_t i = 0; i < a->nseries; i++)
        assert_memory_equal(&a->moments[i], &b->moments[i], sizeof a->moments[i]);
}

static void test_thread_count_independent(void **state)
{
    (void)state;
    rr_scenario *s = must_load(rich);
    rr_result *r1 = test_run(s, 5000, s->seed, 1), *r4 = test_run(s, 5000, s->seed, 4);
    assert_same_results(r1, r4);
    rr_result_free(r1);
    rr_result_free(r4);
    rr_scenario_free(s);
}

/* Adding a variable and a component that uses it leaves every other component's numbers
 * as they were: each input draws from the stream its path names. */
static void test_streams_stay_put(void **state)
{
    (void)state;
    size_t n = strlen(rich);
    char *more = malloc(2 * n);
    assert_non_null(more);
    const char *at = strstr(rich, "demand:\n");
    /* A variable before the others' ... */
    snprintf(more, 2 * n, "%.*s  licence: 100 to 900\n  zz: \"licence * month\"\n%.*s",
             (int)(at - rich), rich, (int)(strstr(rich, "correlations:") - at), at);
    strcat(more, "  - {name: extra, type: formula, category: mlops, cost: zz}\n");
    strcat(more, strstr(rich, "correlations:"));
    rr_scenario *a = must_load(rich), *b = must_load(more);
    free(more);
    assert_int_equal(b->ncomps, a->ncomps + 1);
    rr_result *ra = test_run(a, 3000, 77, 2), *rb = test_run(b, 3000, 77, 2);
    for (size_t k = 0; k < a->ncomps; k++)
        assert_memory_equal(&ra->moments[rr_result_comp(ra, k)],
                            &rb->moments[rr_result_comp(rb, k)], sizeof ra->moments[0]);
    rr_result_free(ra);
    rr_result_free(rb);
    rr_scenario_free(a);
    rr_scenario_free(b);
}

/* ---- faults ---- */

/* Run yaml: RR_ERR_NUMERIC with a message holding want, or (want NULL) RR_OK. */
static void run_faults(const char *yaml, const char *want, int line, int col)
{
    rr_scenario *s = must_load(yaml);
    rr_plan *p = NULL;
    assert_int_equal(rr_plan_new(s, &p), RR_OK);
    rr_diags d;
    rr_diags_init(&d, "t");
    rr_sim_config cfg = { .paths = 300, .seed = 1, .threads = 2 };
    rr_result *r = NULL;
    rr_status st = rr_sim_run(p, &cfg, &r, &d);
    if (!want) {
        assert_int_equal(st, RR_OK);
        rr_result_free(r);
    } else {
        assert_int_equal(st, RR_ERR_NUMERIC);
        assert_null(r);
        assert_int_equal(d.n, 1);
        if (!strstr(d.v[0].msg, want) || d.v[0].line != line || d.v[0].col != col)
            fail_msg("%d:%d: %s", d.v[0].line, d.v[0].col, d.v[0].msg);
    }
    rr_diags_free(&d);
    rr_plan_free(p);
    rr_scenario_free(s);
}

static void test_faults(void **state)
{
    (void)state;
    /* log of a negative, in some paths' months: the field's expression, placed. */
    run_faults(HEAD "variables:\n  u: {uniform: {min: 0, max: 1}}\n"
                    "demand: {requests_per_month: 1}\ncosts:\n"
                    "  - {name: f, type: formula, category: mlops, cost: \"log(u - 0.5 * month / 12)\"}\n",
               "costs.f.cost: the expression \"log(u - 0.5 * month / 12)\"", 7, 54);
    /* Through a variable: the variable's expression. */
    run_faults(HEAD "variables:\n  u: {uniform: {min: 0, max: 1}}\n  w: \"1 / (u - u)\"\n"
                    "demand: {requests_per_month: 1}\ncosts:\n"
                    "  - {name: f, type: formula, category: mlops, cost: w}\n",
               "variables.w: the expression \"1 / (u - u)\" gave a value that is not finite", 5,
               7);
    /* The branch not taken is no fault, lifted out of the monthly program or not. */
    run_faults(HEAD "variables:\n  u: {uniform: {min: 1, max: 2}}\n"
                    "demand: {requests_per_month: 1}\ncosts:\n"
                    "  - {name: f, type: formula, category: mlops,\n"
                    "     cost: \"if(month > 0, u, log(u - 5)) + if(u > 0, 1, log(-u * month))\"}\n",
               NULL, 0, 0);
    /* A value below its domain is held there: a cost below 0 is 0. */
    check_constant_total(HEAD "demand: {requests_per_month: 1}\ncosts:\n"
                              "  - {name: f, type: formula, category: mlops, cost: \"month - 6.5\"}\n",
                         0.5 + 1.5 + 2.5 + 3.5 + 4.5 + 5.5);
}

/* Values held to their field's domain are counted, path-months: `month - 6.5` is below 0 in
 * 6 months of 12 on every path; `u - 0.5`, u ~ U(0, 1) drawn once per path, in all 12 months
 * of about half the paths (a binomial share). */
static void test_clamps_counted(void **state)
{
    (void)state;
    rr_scenario *s = must_load(HEAD "simulation: {seed: 4}\n"
                                    "variables:\n  u: {uniform: {min: 0, max: 1}}\n"
                                    "demand: {requests_per_month: 1}\ncosts:\n"
                                    "  - {name: a, type: formula, category: mlops, cost: \"month - 6.5\"}\n"
                                    "  - {name: b, type: formula, category: mlops, cost: \"u - 0.5\"}\n"
                                    "  - {name: c, type: formula, category: mlops, cost: \"u + 1\"}\n");
    const uint64_t n = 40000;
    rr_result *r = test_run(s, n, s->seed, 3);
    assert_int_equal(r->about.ncomputed, 3);
    assert_int_equal(r->clamped[0], 6 * n);
    assert_int_equal(r->clamped[1] % 12, 0);
    const double share = (double)r->clamped[1] / 12 / (double)n;
    assert_true(fabs(share - 0.5) < Z * sqrt(0.25 / (double)n));
    assert_int_equal(r->clamped[2], 0);
    /* The same counts on one thread. */
    rr_result *r1 = test_run(s, n, s->seed, 1);
    assert_memory_equal(r->clamped, r1->clamped, 3 * sizeof *r->clamped);
    rr_result_free(r1);
    rr_result_free(r);
    rr_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grammar_pinned_rules),
        cmocka_unit_test(test_grammar_errors),
        cmocka_unit_test(test_load_errors_with_columns),
        cmocka_unit_test(test_product_of_uniform_and_constants),
        cmocka_unit_test(test_month_and_calendar),
        cmocka_unit_test(test_schedule_sums),
        cmocka_unit_test(test_requests_follows_spikes),
        cmocka_unit_test(test_correlated_variables),
        cmocka_unit_test(test_paths_replay_alone),
        cmocka_unit_test(test_thread_count_independent),
        cmocka_unit_test(test_streams_stay_put),
        cmocka_unit_test(test_faults),
        cmocka_unit_test(test_clamps_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
