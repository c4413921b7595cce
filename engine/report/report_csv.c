/* report_csv: the forecast as long-format CSV for a spreadsheet or a FinOps tool.
 *
 * One row per (month, total or category, statistic), so that a pivot table or a cost tool
 * can filter and chart it without knowing our JSON.  Columns are named after FinOps FOCUS
 * where a FOCUS column means the same thing and start with x_ where the meaning is ours
 * (the FOCUS specification v1.2, focus.finops.org: custom columns start with x_); a forecast
 * is only FOCUS-shaped, not FOCUS billing data.  Each category's FOCUS ServiceCategory and
 * ServiceSubcategory come from its row of the category table (scenario/category.h).  Costs are written in the shortest form that reads back to the
 * same double, as in the JSON report, so nothing is lost on the way to a spreadsheet.
 * After the months, one block of rows per year and quarter (periods.h): ChargePeriodStart
 * and ChargePeriodEnd span the period's covered months, x_Month is empty and the label is in
 * the last column, x_Period (empty on the monthly rows).
 */
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "report/report_util.h"

/* A field (RFC 4180) and its separator. */
static void field(rr_buf *b, const char *s, int last)
{
    rr_buf_csv(b, s);
    rr_buf_puts(b, last ? "\n" : ",");
}

/* "2027-12" -> year and month; 0 for any other label (M1, M2, ...). */
static int parse_month(const char *label, int *year, int *month)
{
    if (strlen(label) != 7 || label[4] != '-')
        return 0;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (label[i] < '0' || label[i] > '9'))
            return 0;
    *year = (label[0] - '0') * 1000 + (label[1] - '0') * 100 + (label[2] - '0') * 10 +
            (label[3] - '0');
    *month = (label[5] - '0') * 10 + (label[6] - '0');
    return *month >= 1 && *month <= 12;
}

static const char *const columns[] = {
    "ChargePeriodStart", "ChargePeriodEnd", "BillingCurrency", "ServiceCategory",
    "ServiceSubcategory", "ServiceName", "ChargeCategory", "ChargeFrequency", "x_Scenario",
    "x_Month", "x_CostCategory", "x_Statistic", "x_ForecastCost", "x_Paths", "x_Seed",
    "x_Period",
};

/* Everything in a row but the statistic and its value, which vary fastest. */
typedef struct row_key {
    const char *start, *end, *category, *subcategory, *service, *month, *cost_category;
    const char *period;
} row_key;

static void row(rr_buf *b, const rr_summary *sum, const row_key *k, const char *stat,
                double value)
{
    char num[40], paths[24], seed[24];
    snprintf(paths, sizeof paths, "%llu", (unsigned long long)sum->paths);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)sum->seed);
    field(b, k->start, 0);
    field(b, k->end, 0);
    field(b, sum->currency, 0);
    field(b, k->category, 0);
    field(b, k->subcategory, 0);
    field(b, k->service, 0);
    field(b, "Usage", 0);
    /* FOCUS also has Recurring, which fits fixed monthly costs, but a category mixes fixed
     * and demand-driven components and the summary keeps no such split: one value for all
     * rows is honest, and most of an AI system's cost follows usage. */
    field(b, "Usage-Based", 0);
    field(b, sum->scenario, 0);
    field(b, k->month, 0);
    field(b, k->cost_category, 0);
    field(b, stat, 0);
    field(b, rr_fmt_shortest(num, sizeof num, value), 0);
    field(b, paths, 0);
    field(b, seed, 0);
    field(b, k->period, 1);
}

static void series(rr_buf *b, const rr_summary *sum, const row_key *k, const rr_stats *st)
{
    row(b, sum, k, "mean", st->mean);
    row(b, sum, k, "sd", st->sd);
    for (size_t i = 0; i < sum->nq; i++)
        row(b, sum, k, sum->qkey[i], st->q[i]);
}

/* ChargePeriodStart and ChargePeriodEnd of months from..to: FOCUS periods are half-open,
 * the end the first instant after the last month.  Empty without `start`. */
static void bounds(const rr_summary *sum, int from, int to, char *start, char *end)
{
    int y, mo, y2, mo2;
    if (!parse_month(sum->months[from], &y, &mo) || !parse_month(sum->months[to], &y2, &mo2))
        return;
    snprintf(start, 24, "%04d-%02d-01T00:00:00Z", y, mo);
    snprintf(end, 24, "%04d-%02d-01T00:00:00Z", mo2 == 12 ? y2 + 1 : y2, mo2 == 12 ? 1 : mo2 + 1);
}

rr_status rr_report_csv(const rr_summary *sum, rr_buf *b)
{
    size_t ncol = sizeof columns / sizeof *columns;
    for (size_t i = 0; i < ncol; i++)
        field(b, columns[i], i + 1 == ncol);
    for (int m = 0; m < sum->horizon; m++) {
        char start[24] = "", end[24] = "";
        bounds(sum, m, m, start, end);
        row_key k = { start, end, "", "", "total", sum->months[m], "total", "" };
        series(b, sum, &k, &sum->monthly_total[m]);
        for (int c = 0; c < sum->ncat; c++) {
            k.category = sum->cat[c]->focus;
            k.subcategory = sum->cat[c]->focus_sub;
            k.service = k.cost_category = sum->cat[c]->name;
            series(b, sum, &k,
                   &sum->monthly_cats[(size_t)m * (size_t)sum->ncat + (size_t)c]);
        }
    }
    for (size_t i = 0; i < sum->nyears + sum->nquarters; i++) {
        const rr_summary_period *p = &sum->periods[i];
        char start[24] = "", end[24] = "";
        bounds(sum, p->from, p->to, start, end);
        row_key k = { start, end, "", "", "total", "", "total", p->label };
        series(b, sum, &k, &p->total);
        for (int c = 0; c < sum->ncat; c++) {
            k.category = sum->cat[c]->focus;
            k.subcategory = sum->cat[c]->focus_sub;
            k.service = k.cost_category = sum->cat[c]->name;
            series(b, sum, &k, &p->cats[c]);
        }
    }
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}
