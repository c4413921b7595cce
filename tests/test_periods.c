/* test_periods: the figures finance signs: calendar and fiscal years and quarters, their
 * budgets, the cost to date and when it exhausts the budget, the run-rate and the peak
 * month.
 *
 * Closed forms: a constant monthly cost gives exact period sums (sd 0, every quantile the
 * sum), partial periods at both ends, both fiscal labels and the quarters; the periods'
 * labels and spans are checked against the calendar written out here.  A linear cumulative
 * cost drawn once per path gives exhaustion shares P(c > B / (m + 1)) of a uniform c,
 * within Z = 5 standard errors of a proportion, and the exact exhaustion months (none is
 * near a share of 0.2 or 0.5).  Seasonality with a peak gives the peak month, the last
 * month and the last-three-months mean exactly.
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
#include "scenario/periods.h"
#include "scenario/scenario.h"

#define Z 5.0

static void expect(const rr_period *p, const char *label, int from, int to, int partial)
{
    if (strcmp(p->label, label) != 0 || p->from != from || p->to != to || p->partial != partial)
        fail_msg("period %s %d..%d%s: expected %s %d..%d%s", p->label, p->from, p->to,
                 p->partial ? " (part)" : "", label, from, to, partial ? " (part)" : "");
}

/* The calendar, every way it is cut. */
static void test_labels(void **state)
{
    (void)state;
    rr_periods p;
    /* 2027-02 .. 2029-03, calendar years. */
    rr_calendar cal = { 2027, 2, 26, 1, 0 };
    assert_int_equal(rr_periods_make(&cal, &p), 0);
    assert_int_equal(p.nyears, 3);
    expect(&p.years[0], "2027", 0, 10, 1);
    expect(&p.years[1], "2028", 11, 22, 0);
    expect(&p.years[2], "2029", 23, 25, 1);
    assert_int_equal(p.nquarters, 9);
    expect(&p.quarters[0], "2027-Q1", 0, 1, 1);
    expect(&p.quarters[1], "2027-Q2", 2, 4, 0);
    expect(&p.quarters[8], "2029-Q1", 23, 25, 0);
    rr_periods_free(&p);
    /* Fiscal years from April, named by the year they end in: 2027-02..03 is the end of
     * FY2027, 2027-04..2028-03 FY2028. */
    cal.fy_start = 4;
    assert_int_equal(rr_periods_make(&cal, &p), 0);
    assert_int_equal(p.nyears, 3);
    expect(&p.years[0], "FY2027", 0, 1, 1);
    expect(&p.years[1], "FY2028", 2, 13, 0);
    expect(&p.years[2], "FY2029", 14, 25, 0);
    expect(&p.quarters[0], "FY2027-Q4", 0, 1, 1);
    expect(&p.quarters[1], "FY2028-Q1", 2, 4, 0);
    expect(&p.quarters[8], "FY2029-Q4", 23, 25, 0);
    rr_periods_free(&p);
    /* ... or by the year they start in. */
    cal.label_start = 1;
    assert_int_equal(rr_periods_make(&cal, &p), 0);
    expect(&p.years[0], "FY2026", 0, 1, 1);
    expect(&p.years[1], "FY2027", 2, 13, 0);
    expect(&p.quarters[1], "FY2027-Q1", 2, 4, 0);
    rr_periods_free(&p);
    /* Without start: blocks from month 1. */
    rr_calendar bare = { 0, 0, 15, 1, 0 };
    assert_int_equal(rr_periods_make(&bare, &p), 0);
    assert_int_equal(p.nyears, 2);
    expect(&p.years[0], "Y1", 0, 11, 0);
    expect(&p.years[1], "Y2", 12, 14, 1);
    assert_int_equal(p.nquarters, 5);
    expect(&p.quarters[4], "Q5", 12, 14, 0);
    rr_periods_free(&p);
    /* A horizon inside one quarter. */
    rr_calendar one = { 2027, 5, 1, 1, 0 };
    assert_int_equal(rr_periods_make(&one, &p), 0);
    expect(&p.years[0], "2027", 0, 0, 1);
    expect(&p.quarters[0], "2027-Q2", 0, 0, 1);
    rr_periods_free(&p);
}

/* A constant 1,000 a month: each period's total is 1,000 times its covered months on every
 * path, every category too; a budget just under a year's 12,000 is exceeded on every path,
 * one just over on none; the recommended amount is 12,000. */
static void test_constant_sums(void **state)
{
    (void)state;
    const char *yaml =
        "name: t\nstart: 2027-02\nhorizon_months: 26\n"
        "budget: {fiscal_year_start: 4, periods: {FY2028: 11999, FY2029: 12001, FY2027-Q4: 2500}}\n"
        "demand: {requests_per_month: 100}\n"
        "costs:\n"
        "  - {name: a, type: fixed, category: mlops, monthly: 600}\n"
        "  - {name: b, type: per_request, units_per_request: 4, unit_price: 1}\n";
    rr_scenario *s = test_load(yaml, NULL);
    assert_int_equal(s->nbudget_periods, 3);
    /* FY2027 is covered in part: its budget is warned of. */
    int warned = 0;
    for (size_t i = 0; i < s->warnings.n; i++)
        warned += s->warnings.v[i].code == RR_W_BUDGET_PARTIAL;
    assert_int_equal(warned, 1);
    rr_summary *sum = test_summarise(s, 300, 1, 2, NULL);
    assert_int_equal(sum->nyears, 3);
    assert_int_equal(sum->nquarters, 9);
    int i50 = rr_summary_qindex(sum, 50), i95 = rr_summary_qindex(sum, 95);
    for (size_t i = 0; i < sum->nyears + sum->nquarters; i++) {
        const rr_summary_period *p = &sum->periods[i];
        const double months = p->to - p->from + 1;
        assert_true(p->total.mean == 1000 * months);
        assert_true(p->total.sd == 0);
        assert_true(p->total.q[i50] == 1000 * months && p->total.q[i95] == 1000 * months);
        assert_int_equal(sum->ncat, 2);
        assert_true(p->cats[0].mean + p->cats[1].mean == 1000 * months);
    }
    assert_string_equal(sum->periods[1].label, "FY2028");
    assert_true(sum->periods[1].has_budget && sum->periods[1].p_exceed == 1);
    assert_true(sum->periods[1].recommended == 12000);
    assert_true(sum->periods[2].has_budget && sum->periods[2].p_exceed == 0);
    assert_true(!sum->periods[0].has_budget);
    assert_string_equal(sum->periods[3].label, "FY2027-Q4");
    assert_true(sum->periods[3].has_budget && sum->periods[3].p_exceed == 0);   /* 2000 */
    /* The cost to date is linear; its last entry is the total. */
    for (int m = 0; m < 26; m++)
        assert_true(sum->cumulative[m].mean == 1000.0 * (m + 1));
    assert_true(sum->cumulative[25].q[i50] == sum->total.q[i50]);
    rr_summary_free(sum);
    rr_scenario_free(s);
}

/* c ~ Uniform(800, 1200) a month, drawn once per path, budget 5,900: the cost to the end
 * of month m (from 0) is c (m + 1), so exhausted_by[m] = P(c > 5900 / (m + 1)):
 * 0 up to m = 3 (1,475), 0.05 at m = 4 (1,180), 0.541667 at m = 5 (983.3), ... : the first
 * month with a share of at least 0.2 and of 0.5 is m = 5, 2027-06. */
static void test_exhaustion(void **state)
{
    (void)state;
    const char *yaml =
        "name: t\nstart: 2027-01\nhorizon_months: 12\nsimulation: {seed: 5}\n"
        "budget: {total: 5900}\n"
        "demand: {requests_per_month: 100}\n"
        "costs:\n"
        "  - {name: a, type: fixed, category: mlops, monthly: {uniform: {min: 800, max: 1200}}}\n";
    rr_scenario *s = test_load(yaml, NULL);
    const int n = 20000;
    rr_summary *sum = test_summarise(s, n, s->seed, 2, NULL);
    for (int m = 0; m < 12; m++) {
        double t = 5900.0 / (m + 1), want = t >= 1200 ? 0 : t <= 800 ? 1 : (1200 - t) / 400;
        double se = sqrt(want * (1 - want) / n);
        if (!(fabs(sum->exhausted_by[m] - want) <= Z * se + 1e-12))
            fail_msg("exhausted_by[%d] = %g, expected %g +- %g", m, sum->exhausted_by[m], want,
                     Z * se);
    }
    assert_true(sum->exhausted_by[11] == sum->p_exceed);
    assert_int_equal(sum->exhausted_p20, 5);
    assert_int_equal(sum->exhausted_p50, 5);
    rr_buf b = { 0 };
    assert_int_equal(rr_report_json(sum, 0, &b), RR_OK);
    assert_non_null(strstr(b.p, "\"exhausted_month\": {\"p20\": \"2027-06\", \"p50\": \"2027-06\"}"));
    rr_buf_free(&b);
    rr_summary_free(sum);
    rr_scenario_free(s);
    /* A budget no path reaches: null months. */
    s = test_load("name: t\nhorizon_months: 12\nbudget: {total: 1e9}\n"
                  "demand: {requests_per_month: 100}\ncosts:\n"
                  "  - {name: a, type: fixed, category: mlops, monthly: 1000}\n", NULL);
    sum = test_summarise(s, 100, 1, 1, NULL);
    assert_int_equal(sum->exhausted_p20, -1);
    rr_buf c = { 0 };
    assert_int_equal(rr_report_json(sum, 0, &c), RR_OK);
    assert_non_null(strstr(c.p, "\"exhausted_month\": {\"p20\": null, \"p50\": null}"));
    rr_buf_free(&c);
    rr_summary_free(sum);
    rr_scenario_free(s);
}

/* A year of seasonality peaking in October (1.6) with a quiet December (0.5), on a constant
 * demand of 1,000 requests at 1 each: the peak month is October with 1,600; the last month
 * 500; the run-rate (1,600 x 0 + ...) the mean of October to December. */
static void test_run_rate_and_peak(void **state)
{
    (void)state;
    const char *yaml =
        "name: t\nstart: 2027-01\nhorizon_months: 12\n"
        "demand: {requests_per_month: 1000,\n"
        "         seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1.25, 1.6, 1.1, 0.5]}\n"
        "costs:\n"
        "  - {name: a, type: per_request, units_per_request: 1, unit_price: 1}\n";
    rr_scenario *s = test_load(yaml, NULL);
    rr_summary *sum = test_summarise(s, 200, 1, 2, NULL);
    int i80 = rr_summary_qindex(sum, 80);
    assert_int_equal(sum->peak_month, 9);
    assert_true(sum->monthly_total[9].q[i80] == 1600);
    assert_true(sum->monthly_total[11].q[i80] == 500);
    assert_int_equal(sum->run_rate_from, 9);
    assert_true(fabs(sum->run_rate.mean - (1600 + 1100 + 500) / 3.0) < 1e-9);
    assert_true(sum->run_rate.sd == 0);
    rr_buf b = { 0 };
    assert_int_equal(rr_report_json(sum, 0, &b), RR_OK);
    assert_non_null(strstr(b.p, "\"peak_month\": {\"month\": \"2027-10\", \"stats\": {\"mean\": 1600"));
    rr_buf_free(&b);
    rr_summary_free(sum);
    rr_scenario_free(s);

    /* A tie goes to the earliest month; a horizon of two months averages both; without
     * start the month is its number. */
    s = test_load("name: t\nhorizon_months: 2\ndemand: {requests_per_month: 1000}\ncosts:\n"
                  "  - {name: a, type: fixed, category: mlops, monthly: 300}\n", NULL);
    sum = test_summarise(s, 50, 1, 1, NULL);
    assert_int_equal(sum->peak_month, 0);
    assert_int_equal(sum->run_rate_from, 0);
    assert_true(sum->run_rate.mean == 300);
    rr_buf c = { 0 };
    assert_int_equal(rr_report_json(sum, 0, &c), RR_OK);
    assert_non_null(strstr(c.p, "\"peak_month\": {\"month\": 1, "));
    assert_non_null(strstr(c.p, "{\"label\": \"Y1\", \"from\": 1, \"to\": 2, \"partial\": true"));
    rr_buf_free(&c);
    rr_summary_free(sum);
    rr_scenario_free(s);
}

#define HDR "name: t\nstart: 2027-01\nhorizon_months: 18\n"
#define REST "demand: {requests_per_month: 100}\ncosts:\n" \
             "  - {name: a, type: fixed, category: mlops, monthly: 1}\n"

static void test_errors(void **state)
{
    (void)state;
    test_error_at(HDR "budget: {periods: {FY2028: 100}}\n" REST, 4, 20,
                  "'FY2028' is not a period of the horizon (expected one of 2027, 2028, "
                  "2027-Q1");
    test_error_at(HDR "budget: {fiscal_year_start: 13}\n" REST, 4, 29,
                  "budget.fiscal_year_start: must be a whole number in 1..12");
    test_error_at("name: t\nhorizon_months: 18\nbudget: {fiscal_year_start: 4}\n" REST, 3, 29,
                  "needs 'start'");
    test_error_at(HDR "budget: {fiscal_year_label: middle}\n" REST, 4, 29,
                  "expected 'end' (FY2028 is the year that ends in 2028) or 'start'");
    test_error_at(HDR "budget: {periods: {2027: -5}}\n" REST, 4, 26, "must be > 0");
    /* With a fiscal year the calendar labels are not periods. */
    test_error_at(HDR "budget: {fiscal_year_start: 7, periods: {2027: 100}}\n" REST, 4, 42,
                  "expected one of FY2027, FY2028, FY2027-Q3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_constant_sums),
        cmocka_unit_test(test_exhaustion),
        cmocka_unit_test(test_run_rate_and_peak),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
