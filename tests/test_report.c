/* test_report: the CSV and Markdown writers on summaries of tiny real runs.
 *
 * The summaries come from the engine itself rather than from hand-filled records, so the
 * writers are tested on the shapes they will meet (every category, spikes, budgets, unit
 * costs); a few fields are then forced to NaN to check that no report ever prints one.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "support.h"
#include "report/report.h"
#include "report/report_util.h"
#include "scenario/scenario.h"
#include "run/sim.h"
#include "stats/summary.h"

#define NCOL 16

static const char *const header = "ChargePeriodStart,ChargePeriodEnd,BillingCurrency,"
                                  "ServiceCategory,ServiceSubcategory,ServiceName,"
                                  "ChargeCategory,ChargeFrequency,x_Scenario,x_Month,"
                                  "x_CostCategory,x_Statistic,x_ForecastCost,x_Paths,x_Seed,x_Period";
enum { START, END, CURRENCY, SCAT, SSUB, SNAME, CCAT, CFREQ, SCEN, MONTH, COSTCAT, STAT, COST,
       PATHS, SEED, PERIOD };

/* Every category, spikes, both budgets, a start in December so that the year rolls over. */
static const char *const full_yaml =
    "name: \"Acme, support \\\"bot\\\"\"\n"
    "currency: EUR\n"
    "start: 2027-12\n"
    "horizon_months: 3\n"
    "simulation: {seed: 7}\n"
    "budget: {total: 200000, confidence: 0.8, monthly: 60000}\n"
    "demand:\n"
    "  requests_per_month: 60000 to 110000\n"
    "  growth_per_month: {normal: {mean: 0.05, sd: 0.02}}\n"
    "  spikes: {per_month: 0.25, multiplier: 1.5 to 3, days: {uniform: {min: 1, max: 4}}}\n"
    "costs:\n"
    "  - {name: chat, type: model_api, input_tokens: 1200 to 4000, output_tokens: 150 to 500,"
    " calls_per_request: 3 to 6, price_per_million: {input: 3, output: 15}}\n"
    "  - {name: reranker, type: compute, requests_per_instance: 50000, min_instances: 2,"
    " hourly_rate: 1.006}\n"
    "  - {name: traces, type: per_request, category: mlops, units_per_request: 0.001,"
    " unit_price: 5}\n"
    "  - {name: transcripts, type: storage, initial_gb: 500, gb_per_request: 0.00004,"
    " price_per_gb_month: 0.023}\n"
    "  - {name: review, type: oversight, review_share: {beta: {a: 2, b: 98}},"
    " minutes_per_review: 8 to 12, hourly_rate: 40}\n";

/* No start, no budget, no spikes, one category. */
static const char *const bare_yaml =
    "name: bare\n"
    "horizon_months: 2\n"
    "simulation: {seed: 3}\n"
    "demand: {requests_per_month: 1000}\n"
    "costs:\n"
    "  - {name: f, type: fixed, category: mlops, monthly: 1000 to 5000}\n";

typedef struct run {
    rr_scenario *s;
    rr_result *r;
    rr_summary *sum;
    rr_buf out;
} run;

static void run_scenario(run *x, const char *yaml)
{
    memset(x, 0, sizeof *x);
    rr_diags d;
    rr_diags_init(&d, "test.yaml");
    rr_node *root = NULL;
    assert_int_equal(rr_node_load_string(yaml, strlen(yaml), &root, &d), RR_OK);
    rr_status st = rr_scenario_from_node(root, &x->s, &d);
    for (size_t i = 0; i < d.n; i++)
        print_error("%d:%d: %s\n", d.v[i].line, d.v[i].col, d.v[i].msg);
    assert_int_equal(st, RR_OK);
    rr_node_free(root);
    rr_diags_free(&d);
    x->r = test_run(x->s, 2000, x->s->seed, 2);
    assert_int_equal(rr_summary_build(x->r, NULL, 0, &x->sum), RR_OK);
}

static void run_free(run *x)
{
    rr_buf_free(&x->out);
    rr_summary_free(x->sum);
    rr_result_free(x->r);
    rr_scenario_free(x->s);
}

static const char *csv(run *x, const char *yaml)
{
    run_scenario(x, yaml);
    assert_int_equal(rr_report_csv(x->sum, &x->out), RR_OK);
    return x->out.p;
}

static const char *md(run *x, const char *yaml)
{
    run_scenario(x, yaml);
    assert_int_equal(rr_report_md(x->sum, &x->out), RR_OK);
    return x->out.p;
}

/* One CSV record (RFC 4180, no line breaks inside fields here) into fields; returns the
 * start of the next line and the number of fields. */
static const char *parse_row(const char *p, char f[NCOL + 1][160], int *nf)
{
    *nf = 0;
    for (;;) {
        size_t o = 0;
        char *dst = f[*nf < NCOL ? *nf : NCOL];
        if (*p == '"') {
            for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
                if (*p == '"')
                    p++;
                if (o + 1 < 160)
                    dst[o++] = *p;
            }
            assert_int_equal(*p, '"');
            p++;
        } else {
            while (*p && *p != ',' && *p != '\n') {
                if (o + 1 < 160)
                    dst[o++] = *p;
                p++;
            }
        }
        dst[o] = '\0';
        (*nf)++;
        if (*p == ',') {
            p++;
            continue;
        }
        assert_int_equal(*p, '\n');
        return p + 1;
    }
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_csv_header_exact(void **state)
{
    (void)state;
    run x;
    const char *out = csv(&x, full_yaml);
    size_t n = strlen(header);
    assert_int_equal(strncmp(out, header, n), 0);
    assert_int_equal(out[n], '\n');
    run_free(&x);
}

/* Rows in order month, series (total then categories), statistic; every value is the
 * summary's double exactly. */
static void test_csv_rows_and_values(void **state)
{
    (void)state;
    run x;
    const char *out = csv(&x, full_yaml);
    const rr_summary *sum = x.sum;
    assert_int_equal(sum->ncat, 5);
    size_t per = 2 + sum->nq;
    /* 2027-12 to 2028-02: the years 2027 and 2028, the quarters 2027-Q4 and 2028-Q1. */
    assert_int_equal(sum->nyears + sum->nquarters, 4);
    assert_int_equal(count_lines(out),
                     ((size_t)sum->horizon + 4) * (size_t)(1 + sum->ncat) * per + 1);
    char f[NCOL + 1][160];
    int nf;
    const char *p = parse_row(out, f, &nf);
    for (int m = 0; m < sum->horizon; m++)
        for (int c = -1; c < sum->ncat; c++) {
            const rr_stats *st =
                c < 0 ? &sum->monthly_total[m]
                      : &sum->monthly_cats[(size_t)m * (size_t)sum->ncat + (size_t)c];
            for (size_t k = 0; k < per; k++) {
                p = parse_row(p, f, &nf);
                assert_int_equal(nf, NCOL);
                assert_string_equal(f[MONTH], sum->months[m]);
                assert_string_equal(f[COSTCAT], c < 0 ? "total" : sum->cat[c]->name);
                assert_string_equal(f[SNAME], c < 0 ? "total" : sum->cat[c]->name);
                assert_string_equal(f[STAT],
                                    k == 0 ? "mean" : k == 1 ? "sd" : sum->qkey[k - 2]);
                double want = k == 0 ? st->mean : k == 1 ? st->sd : st->q[k - 2];
                assert_true(strtod(f[COST], NULL) == want);
                assert_string_equal(f[CURRENCY], "EUR");
                assert_string_equal(f[CCAT], "Usage");
                assert_string_equal(f[CFREQ], "Usage-Based");
                assert_string_equal(f[PATHS], "2000");
                assert_string_equal(f[SEED], "7");
                assert_string_equal(f[PERIOD], "");
            }
        }
    /* Then each year and quarter, its total and categories, with its label last. */
    for (size_t i = 0; i < 4; i++)
        for (int c = -1; c < sum->ncat; c++) {
            const rr_stats *st = c < 0 ? &sum->periods[i].total : &sum->periods[i].cats[c];
            for (size_t k = 0; k < per; k++) {
                p = parse_row(p, f, &nf);
                assert_int_equal(nf, NCOL);
                assert_string_equal(f[PERIOD], sum->periods[i].label);
                assert_string_equal(f[MONTH], "");
                assert_string_equal(f[COSTCAT], c < 0 ? "total" : sum->cat[c]->name);
                double want = k == 0 ? st->mean : k == 1 ? st->sd : st->q[k - 2];
                assert_true(strtod(f[COST], NULL) == want);
            }
        }
    assert_int_equal(*p, '\0');
    run_free(&x);
}

/* The row a spreadsheet user looks up first, found by its keys rather than its position. */
static void test_csv_total_p95_month1(void **state)
{
    (void)state;
    run x;
    const char *p = csv(&x, full_yaml);
    int i95 = rr_summary_qindex(x.sum, 95);
    assert_true(i95 >= 0);
    char f[NCOL + 1][160];
    int nf, found = 0;
    p = parse_row(p, f, &nf);
    while (*p) {
        p = parse_row(p, f, &nf);
        if (strcmp(f[MONTH], "2027-12") == 0 && strcmp(f[COSTCAT], "total") == 0 &&
            strcmp(f[STAT], "p95") == 0) {
            found++;
            assert_true(strtod(f[COST], NULL) == x.sum->monthly_total[0].q[i95]);
            assert_string_equal(f[SCAT], "");
            assert_string_equal(f[SSUB], "");
        }
    }
    assert_int_equal(found, 1);
    run_free(&x);
}

static void test_csv_dates_with_start(void **state)
{
    (void)state;
    run x;
    const char *p = csv(&x, full_yaml);
    static const char *const want[3][3] = {
        { "2027-12", "2027-12-01T00:00:00Z", "2028-01-01T00:00:00Z" },
        { "2028-01", "2028-01-01T00:00:00Z", "2028-02-01T00:00:00Z" },
        { "2028-02", "2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z" },
    };
    /* A period spans its covered months: 2027 is December only, 2028-Q1 January and
     * February. */
    static const char *const spans[4][3] = {
        { "2027", "2027-12-01T00:00:00Z", "2028-01-01T00:00:00Z" },
        { "2028", "2028-01-01T00:00:00Z", "2028-03-01T00:00:00Z" },
        { "2027-Q4", "2027-12-01T00:00:00Z", "2028-01-01T00:00:00Z" },
        { "2028-Q1", "2028-01-01T00:00:00Z", "2028-03-01T00:00:00Z" },
    };
    char f[NCOL + 1][160];
    int nf, rows = 0, period_rows = 0;
    p = parse_row(p, f, &nf);
    while (*p) {
        p = parse_row(p, f, &nf);
        if (f[PERIOD][0]) {
            int i = 0;
            while (i < 4 && strcmp(f[PERIOD], spans[i][0]) != 0)
                i++;
            assert_true(i < 4);
            assert_string_equal(f[START], spans[i][1]);
            assert_string_equal(f[END], spans[i][2]);
            period_rows++;
            continue;
        }
        int m = 0;
        while (m < 3 && strcmp(f[MONTH], want[m][0]) != 0)
            m++;
        assert_true(m < 3);
        assert_string_equal(f[START], want[m][1]);
        assert_string_equal(f[END], want[m][2]);
        rows++;
    }
    assert_true(rows > 0 && period_rows > 0);
    run_free(&x);
}

static void test_csv_no_start(void **state)
{
    (void)state;
    run x;
    const char *p = csv(&x, bare_yaml);
    char f[NCOL + 1][160];
    int nf, seen[2] = { 0, 0 };
    p = parse_row(p, f, &nf);
    while (*p) {
        p = parse_row(p, f, &nf);
        assert_string_equal(f[START], "");
        assert_string_equal(f[END], "");
        if (f[PERIOD][0]) {   /* months counted from 1: Y1 and Q1 */
            assert_true(strcmp(f[PERIOD], "Y1") == 0 || strcmp(f[PERIOD], "Q1") == 0);
            assert_string_equal(f[MONTH], "");
            continue;
        }
        assert_true(strcmp(f[MONTH], "M1") == 0 || strcmp(f[MONTH], "M2") == 0);
        seen[f[MONTH][1] - '1']++;
        assert_string_equal(f[CURRENCY], "USD");
        assert_string_equal(f[SCEN], "bare");
    }
    assert_true(seen[0] > 0 && seen[0] == seen[1]);
    run_free(&x);
}

static void test_csv_quotes_scenario(void **state)
{
    (void)state;
    run x;
    const char *out = csv(&x, full_yaml);
    assert_non_null(strstr(out, ",EUR,,,total,Usage,Usage-Based,\"Acme, support \"\"bot\"\"\","));
    char f[NCOL + 1][160];
    int nf;
    const char *p = parse_row(out, f, &nf);
    parse_row(p, f, &nf);
    assert_int_equal(nf, NCOL);
    assert_string_equal(f[SCEN], "Acme, support \"bot\"");
    run_free(&x);
}

static void test_csv_service_categories(void **state)
{
    (void)state;
    static const char *const want[][3] = {
        { "total", "", "" },
        { "compute", "Compute", "" },
        { "managed_ai", "AI and Machine Learning", "Generative AI" },
        { "mlops", "Management and Governance", "Observability" },
        { "storage", "Storage", "" },
        { "oversight", "Other", "" },
    };
    run x;
    const char *p = csv(&x, full_yaml);
    char f[NCOL + 1][160];
    int nf, seen[6] = { 0 };
    p = parse_row(p, f, &nf);
    while (*p) {
        p = parse_row(p, f, &nf);
        int i = 0;
        while (i < 6 && strcmp(f[COSTCAT], want[i][0]) != 0)
            i++;
        assert_true(i < 6);
        assert_string_equal(f[SCAT], want[i][1]);
        assert_string_equal(f[SSUB], want[i][2]);
        seen[i]++;
    }
    /* Three months, then two years and two quarters. */
    for (int i = 0; i < 6; i++)
        assert_int_equal(seen[i], (3 + 4) * (2 + (int)x.sum->nq));
    run_free(&x);
}

static void no_nan_or_inf(const char *s)
{
    static const char *const bad[] = { "nan", "NaN", "NAN", "inf", "Inf", "INF" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (strstr(s, bad[i]))
            fail_msg("report contains \"%s\":\n%s", bad[i], strstr(s, bad[i]));
}

/* Every row of a Markdown table has as many cells as its header: a short row would shift
 * numbers under the wrong column. */
static void tables_are_rectangular(const char *s)
{
    int want = -1;
    while (*s) {
        const char *eol = strchr(s, '\n');
        assert_non_null(eol);
        if (*s == '|') {
            int cells = 0;
            for (const char *p = s; p < eol; p++)
                cells += *p == '|' && (p == s || p[-1] != '\\');
            if (want < 0)
                want = cells;
            if (cells != want)
                fail_msg("table row with %d separators, header has %d: %.*s", cells, want,
                         (int)(eol - s), s);
        } else {
            want = -1;
        }
        s = eol + 1;
    }
}

static void test_md_content(void **state)
{
    (void)state;
    run x;
    const char *out = md(&x, full_yaml);
    const rr_summary *sum = x.sum;
    assert_int_equal(strncmp(out, "# Budget handover: Acme, support \"bot\"\n", 39), 0);

    char money[48], want[320];
    snprintf(want, sizeof want, "**%s EUR**", rr_fmt_money(money, sizeof money,
                                                          sum->recommended));
    assert_non_null(strstr(out, want));
    assert_non_null(strchr(money, ','));   /* in the thousands: a separator is shown */

    const char *cats = strstr(out, "## Cost by category");
    const char *comps = strstr(out, "## Cost by component");
    const char *drivers = strstr(out, "## What drives the uncertainty");
    assert_non_null(cats);
    assert_non_null(comps);
    assert_non_null(drivers);
    for (int c = 0; c < sum->ncat; c++) {
        snprintf(want, sizeof want, "\n| `%s` | ", sum->cat[c]->name);
        const char *row = strstr(cats, want);
        assert_true(row && row < comps);
    }
    for (size_t k = 0; k < sum->ncomp; k++) {
        snprintf(want, sizeof want, "\n| `%s` | `%s` | ", sum->comp_names[k], sum->comp_cat[k]->name);
        const char *row = strstr(comps, want);
        assert_true(row && row < drivers);
    }
    assert_true(sum->ndrivers >= 3);
    const char *next = strstr(drivers, "\n## ");
    assert_non_null(next);
    for (size_t i = 0; i < sum->ndrivers && i < 10; i++) {
        snprintf(want, sizeof want, "| %zu | `%s` | ", i + 1, sum->drivers[i].input);
        const char *row = strstr(drivers, want);
        assert_true(row && row < next);
    }
    assert_non_null(strstr(drivers, "`demand.requests_per_month`"));
    assert_non_null(strstr(out, "## Peaks\n\nThe spike premium"));
    assert_non_null(strstr(out, "## Unit economics"));
    assert_non_null(strstr(out, "chance of overrun: **"));
    assert_non_null(strstr(out, "| Month | P80 (EUR) | Chance over the monthly budget |"));
    for (size_t i = 0; i < sum->nassumptions; i++) {
        snprintf(want, sizeof want, "| `%s` | `%s` | ", sum->assumptions[i].input,
                 sum->assumptions[i].text);
        assert_non_null(strstr(out, want));
    }
    /* Number columns are right-aligned. */
    assert_non_null(strstr(out, "|:---|---:|---:|---:|---:|\n"));
    tables_are_rectangular(out);
    no_nan_or_inf(out);
    run_free(&x);
}

/* Missing numbers (no budget, a unit cost with no paths, a failed precision figure) must
 * read as "-", never as nan. */
static void test_md_missing_numbers(void **state)
{
    (void)state;
    run x;
    run_scenario(&x, bare_yaml);
    rr_summary *sum = x.sum;
    assert_true(isnan(sum->p_exceed));
    sum->unit_last.mean = NAN;
    sum->unit_last.q[rr_summary_qindex(sum, 95)] = INFINITY;
    sum->precision = 0.005;
    sum->precision_achieved = NAN;
    sum->precision_met = 0;
    assert_int_equal(rr_report_md(sum, &x.out), RR_OK);
    const char *out = x.out.p;
    assert_int_equal(strncmp(out, "# Budget handover: bare\n", 24), 0);
    assert_non_null(strstr(out, "No budget given"));
    assert_non_null(strstr(out, "Precision: "));
    assert_non_null(strstr(out, "target of +-0.50%: **not met**"));
    assert_non_null(strstr(out, "models no demand spikes"));
    assert_null(strstr(out, "monthly budget"));
    tables_are_rectangular(out);
    no_nan_or_inf(out);
    run_free(&x);
}

static void test_fmt_helpers(void **state)
{
    (void)state;
    char s[48];
    assert_string_equal(rr_fmt_money(s, sizeof s, 1234567.4), "1,234,567");
    assert_string_equal(rr_fmt_money(s, sizeof s, -1234.5), "-1,234");   /* half to even */
    assert_string_equal(rr_fmt_money(s, sizeof s, 99.5), "99.50");
    assert_string_equal(rr_fmt_money(s, sizeof s, 100), "100");
    assert_string_equal(rr_fmt_money(s, sizeof s, NAN), "-");
    assert_string_equal(rr_fmt_shortest(s, sizeof s, 0.1), "0.1");
    assert_string_equal(rr_fmt_shortest(s, sizeof s, INFINITY), "");
    const double xs[] = { 1.0 / 3, 2.0 / 3 * 1e5, 123456.789, 5e-324, 1.7976931348623157e308 };
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++)
        assert_true(strtod(rr_fmt_shortest(s, sizeof s, xs[i]), NULL) == xs[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_header_exact),
        cmocka_unit_test(test_csv_rows_and_values),
        cmocka_unit_test(test_csv_total_p95_month1),
        cmocka_unit_test(test_csv_dates_with_start),
        cmocka_unit_test(test_csv_no_start),
        cmocka_unit_test(test_csv_quotes_scenario),
        cmocka_unit_test(test_csv_service_categories),
        cmocka_unit_test(test_md_content),
        cmocka_unit_test(test_md_missing_numbers),
        cmocka_unit_test(test_fmt_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
