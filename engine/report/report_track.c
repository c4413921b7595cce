/* The text, Markdown, CSV and HTML forms of a track report.  The tables a person reads are
 * built once (rr_dtab, report_decide.h) and written in each form, so that they say the same;
 * the CSV is one row per observed cell and per re-forecast month, for a spreadsheet. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_kit.h"
#include "report/report_decide.h"
#include "report/report_track.h"
#include "report/report_util.h"
#include "version.h"

/* ---- the tables ---- */

static void cmp_row(rr_dtab *tb, size_t row, const char *month, const char *what,
                    const rr_track_cmp *c)
{
    char s[64];
    rr_dtab_set(tb, row, 0, month);
    rr_dtab_set(tb, row, 1, what);
    rr_dtab_set(tb, row, 2, rr_fmt_money(s, sizeof s, c->actual));
    rr_dtab_set(tb, row, 3, rr_fmt_money(s, sizeof s, c->forecast.p5));
    rr_dtab_set(tb, row, 4, rr_fmt_money(s, sizeof s, c->forecast.p50));
    rr_dtab_set(tb, row, 5, rr_fmt_money(s, sizeof s, c->forecast.p95));
    snprintf(s, sizeof s, "%.3f", c->percentile);
    rr_dtab_set(tb, row, 6, s);
    if (isfinite(c->variance_pct))
        snprintf(s, sizeof s, "%+.1f%%", 100 * c->variance_pct);
    else
        snprintf(s, sizeof s, "-");
    rr_dtab_set(tb, row, 7, s);
    rr_dtab_set(tb, row, 8, c->outside ? (c->actual > c->forecast.p95 ? "ABOVE" : "BELOW") : "");
}

/* Each observed month: its total, then its observed categories and components. */
static void months_table(const rr_track_summary *t, rr_dtab *tb)
{
    size_t rows = 0;
    for (size_t m = 0; m < t->nmonths; m++) {
        const rr_track_month *tm = &t->months[m];
        rows += tm->total.observed;
        for (size_t c = 0; c < t->ncat; c++)
            rows += tm->cat[c].observed;
        for (size_t k = 0; k < t->ncomp; k++)
            rows += tm->comp[k].observed;
    }
    rr_dtab_init(tb, rows, 9);
    static const char *const head[] = { "month", "what", "actual", "P5", "P50", "P95",
                                        "percentile", "vs P50", "band" };
    for (size_t j = 0; j < 9; j++)
        rr_dtab_set(tb, 0, j, head[j]);
    size_t r = 1;
    for (size_t m = 0; m < t->nmonths; m++) {
        const rr_track_month *tm = &t->months[m];
        if (tm->total.observed)
            cmp_row(tb, r++, tm->month, "total (observed)", &tm->total);
        for (size_t c = 0; c < t->ncat; c++)
            if (tm->cat[c].observed)
                cmp_row(tb, r++, "", t->cat_name[c], &tm->cat[c]);
        for (size_t k = 0; k < t->ncomp; k++)
            if (tm->comp[k].observed) {
                char what[96];
                snprintf(what, sizeof what, "  %s", t->comp_name[k]);
                cmp_row(tb, r++, "", what, &tm->comp[k]);
            }
    }
}

static void band_cells(rr_dtab *tb, size_t row, size_t col, const rr_track_band *b)
{
    char s[64];
    rr_dtab_set(tb, row, col, rr_fmt_money(s, sizeof s, b->p5));
    rr_dtab_set(tb, row, col + 1, rr_fmt_money(s, sizeof s, b->p50));
    rr_dtab_set(tb, row, col + 2, rr_fmt_money(s, sizeof s, b->p95));
}

/* The months after the observed ones: re-forecast, cumulative, and the first forecast. */
static void rest_table(const rr_track_summary *t, rr_dtab *tb)
{
    rr_dtab_init(tb, t->nrest, 8);
    static const char *const head[] = { "month", "P5", "P50", "P95", "to date P50",
                                        "first P5", "first P50", "first P95" };
    for (size_t j = 0; j < 8; j++)
        rr_dtab_set(tb, 0, j, head[j]);
    for (size_t m = 0; m < t->nrest; m++) {
        char s[64];
        rr_dtab_set(tb, m + 1, 0, t->rest_month[m]);
        band_cells(tb, m + 1, 1, &t->rest[m]);
        rr_dtab_set(tb, m + 1, 4, rr_fmt_money(s, sizeof s, t->rest_cum[m].p50));
        band_cells(tb, m + 1, 5, &t->rest_prior[m]);
    }
}

static void inputs_table(const rr_track_summary *t, rr_dtab *tb)
{
    size_t n = t->ninputs < 10 ? t->ninputs : 10;
    rr_dtab_init(tb, n, 4);
    static const char *const head[] = { "input", "before P5..P95", "after P5..P95",
                                        "sd after / before" };
    for (size_t j = 0; j < 4; j++)
        rr_dtab_set(tb, 0, j, head[j]);
    for (size_t i = 0; i < n; i++) {
        const rr_track_input *in = &t->inputs[i];
        char a[40], b2[40], s[96];
        rr_dtab_set(tb, i + 1, 0, in->input);
        snprintf(s, sizeof s, "%s .. %s", rr_fmt_value(a, sizeof a, in->before.p5),
                 rr_fmt_value(b2, sizeof b2, in->before.p95));
        rr_dtab_set(tb, i + 1, 1, s);
        snprintf(s, sizeof s, "%s .. %s", rr_fmt_value(a, sizeof a, in->after.p5),
                 rr_fmt_value(b2, sizeof b2, in->after.p95));
        rr_dtab_set(tb, i + 1, 2, s);
        snprintf(s, sizeof s, "%.2f", in->narrowing);
        rr_dtab_set(tb, i + 1, 3, s);
    }
}

/* The figures a reader wants first, as sentences (the same in every form). */
static void lines(const rr_track_summary *t, char out[][256], size_t *n)
{
    char a[48], b[48], c[48], d[48];
    *n = 0;
    if (!t->nmonths)
        return;
    const rr_track_month *last = &t->months[t->nmonths - 1];
    snprintf(out[(*n)++], 256, "Months observed: %zu (%s to %s); calibration: %zu of %zu "
             "observed category-months inside their P5-P95 band (about 90%% when the forecast "
             "is right)", t->nmonths, t->months[0].month, last->month, t->inside, t->cells);
    if (last->total.observed) {
        const char *lv = rr_track_level(last->accuracy);
        snprintf(out[(*n)++], 256, "Last month's accuracy |actual - P50| / actual: %.1f%% "
                 "(FinOps level: %s; run <= 12%%, walk <= 15%%, crawl <= 20%%)",
                 100 * last->accuracy, lv ? lv : "n/a");
    }
    char e[48];
    size_t len;
    snprintf(out[(*n)++], 256, "Horizon total re-forecast: P50 %s, P5..P95 %s .. %s (first "
             "forecast P50 %s); actual to date %s",
             rr_fmt_money(a, sizeof a, t->horizon_total.p50),
             rr_fmt_money(b, sizeof b, t->horizon_total.p5),
             rr_fmt_money(c, sizeof c, t->horizon_total.p95),
             rr_fmt_money(d, sizeof d, t->horizon_prior.p50),
             rr_fmt_money(e, sizeof e, t->actual_to_date));
    if (t->has_budget) {
        char f[48];
        snprintf(out[(*n)++], 256, "Budget %s: chance of exceeding it %s (first forecast %s); "
                 "the rest of the horizon needs %s at %.0f%% confidence, and %s is left",
                 rr_fmt_money(a, sizeof a, t->budget_total),
                 rr_fmt_pct(b, sizeof b, t->p_exceed), rr_fmt_pct(c, sizeof c, t->p_exceed_prior),
                 rr_fmt_money(d, sizeof d, t->remainder_needed), 100 * t->confidence,
                 rr_fmt_money(f, sizeof f, t->budget_left));
    }
    snprintf(out[(*n)++], 256, "Re-forecast weights: %zu observed cells, tolerance %g, effective "
             "sample %.0f of %llu paths", t->likelihood_cells, t->tolerance, t->ess,
             (unsigned long long)t->paths);
    if (t->rounds) {
        len = strlen(out[*n - 1]);
        snprintf(out[*n - 1] + len, 256 - len, " (%zu inputs drawn from a proposal adapted "
                 "in %d round%s)", t->moved, t->rounds, t->rounds == 1 ? "" : "s");
    }
    if (t->unmapped_lines)
        snprintf(out[(*n)++], 256, "Unmapped bill lines: %zu, %s in all", t->unmapped_lines,
                 rr_fmt_money(a, sizeof a, t->unmapped));
}

#define NLINES 8

/* The three tables under their headings, in one of the forms; 0, or -1 (memory). */
typedef enum form { FORM_TEXT, FORM_MD, FORM_HTML } form;

static int tables(rr_buf *b, const rr_track_summary *t, form f)
{
    static void (*const write[])(rr_buf *, const rr_dtab *) = { rr_dtab_text, rr_dtab_md,
                                                                rr_dtab_html };
    static const char *const open[] = { "\n", "\n## ", "<h3>" }, *const close[] = {
        "\n", "\n\n", "</h3>\n"
    };
    struct {
        int show;
        const char *title;
        void (*make)(const rr_track_summary *, rr_dtab *);
    } const tab[] = {
        { 1, "Actuals against the forecast", months_table },
        { t->nrest > 0, "The rest of the horizon, re-forecast (and as first forecast)",
          rest_table },
        { t->ninputs > 0, "What the bills pinned down", inputs_table },
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        if (!tab[i].show)
            continue;
        rr_dtab tb;
        rr_buf_printf(b, "%s%s%s", open[f], tab[i].title, close[f]);
        tab[i].make(t, &tb);
        write[f](b, &tb);
        failed |= tb.failed;
        rr_dtab_free(&tb);
    }
    return failed ? -1 : 0;
}

rr_status rr_report_track_table(const rr_track_summary *t, rr_buf *out)
{
    rr_buf *b = out;
    rr_buf_printf(b, "runrate %s  track: %s, %s\n", RR_VERSION, t->scenario, t->currency);
    char ls[NLINES][256];
    size_t n;
    lines(t, ls, &n);
    for (size_t i = 0; i < n; i++)
        rr_buf_printf(b, "%s\n", ls[i]);
    int failed = tables(b, t, FORM_TEXT);
    return b->failed || failed ? RR_ERR_NOMEM : RR_OK;
}

rr_status rr_report_track_md(const rr_track_summary *t, const rr_warnings *w, rr_buf *out)
{
    rr_buf *b = out;
    rr_buf_puts(b, "# Tracking: ");
    rr_buf_md(b, t->scenario);
    rr_buf_puts(b, "\n\n");
    rr_buf_md_warnings(b, w);
    char ls[NLINES][256];
    size_t n;
    lines(t, ls, &n);
    for (size_t i = 0; i < n; i++) {
        rr_buf_puts(b, "- ");
        rr_buf_md(b, ls[i]);
        rr_buf_puts(b, "\n");
    }
    int failed = tables(b, t, FORM_MD);
    rr_buf_printf(b, "\n_%llu paths, seed %llu, runrate %s._\n", (unsigned long long)t->paths,
                  (unsigned long long)t->seed, RR_VERSION);
    return b->failed || failed ? RR_ERR_NOMEM : RR_OK;
}

/* ---- CSV ---- */

static void csv_num(rr_buf *b, double x)
{
    char s[40];
    rr_buf_puts(b, ",");
    if (isfinite(x))
        rr_buf_puts(b, rr_fmt_shortest(s, sizeof s, x));
}

static void csv_cmp(rr_buf *b, const char *month, const char *kind, const char *name,
                    const rr_track_cmp *c)
{
    rr_buf_printf(b, "%s,%s,", month, kind);
    rr_buf_csv(b, name);
    csv_num(b, c->actual);
    csv_num(b, c->forecast.p5);
    csv_num(b, c->forecast.p50);
    csv_num(b, c->forecast.p95);
    csv_num(b, c->percentile);
    rr_buf_puts(b, c->outside ? ",1" : ",0");
    csv_num(b, c->variance);
    csv_num(b, c->variance_pct);
    rr_buf_puts(b, "\n");
}

rr_status rr_report_track_csv(const rr_track_summary *t, rr_buf *out)
{
    rr_buf *b = out;
    rr_buf_puts(b, "month,kind,name,actual,p5,p50,p95,percentile,outside,variance,"
                   "variance_pct\n");
    for (size_t m = 0; m < t->nmonths; m++) {
        const rr_track_month *tm = &t->months[m];
        if (tm->total.observed)
            csv_cmp(b, tm->month, "total", "total", &tm->total);
        for (size_t c = 0; c < t->ncat; c++)
            if (tm->cat[c].observed)
                csv_cmp(b, tm->month, "category", t->cat_name[c], &tm->cat[c]);
        for (size_t k = 0; k < t->ncomp; k++)
            if (tm->comp[k].observed)
                csv_cmp(b, tm->month, "component", t->comp_name[k], &tm->comp[k]);
        for (size_t j = 0; j < t->nstreams; j++)
            if (tm->demand[j].observed)
                csv_cmp(b, tm->month, "requests", t->stream_name[j], &tm->demand[j]);
        if (tm->cumulative.observed)
            csv_cmp(b, tm->month, "cumulative", "total", &tm->cumulative);
    }
    for (size_t m = 0; m < t->nrest; m++) {
        rr_buf_printf(b, "%s,reforecast,total,", t->rest_month[m]);
        csv_num(b, t->rest[m].p5);
        csv_num(b, t->rest[m].p50);
        csv_num(b, t->rest[m].p95);
        rr_buf_puts(b, ",,,,\n");
    }
    rr_buf_puts(b, "horizon,reforecast,total,");
    csv_num(b, t->horizon_total.p5);
    csv_num(b, t->horizon_total.p50);
    csv_num(b, t->horizon_total.p95);
    rr_buf_puts(b, ",,,,\n");
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}

/* ---- HTML ---- */

typedef struct fan_point {
    double p5, p50, p95, first_p50, first_p5, first_p95;
    int has_actual, outside;
    double actual;
} fan_point;

static void month_label(rr_buf *b, const void *ctx, int i)
{
    const rr_track_summary *t = ctx;
    const size_t m = (size_t)i;
    rr_buf_puts(b, m < t->nmonths ? t->months[m].month : t->rest_month[m - t->nmonths]);
}

/* A fan of n months: the band P5..P95 and the P50, the first forecast's P50 dashed where it
 * differs, the actuals as points, red outside their band; budget > 0 draws its line. */
static void fan_chart(rr_buf *b, const rr_track_summary *t, const fan_point *pt, size_t n,
                      const char *id, const char *title, double budget)
{
    const double h = 360;
    rr_html_frame f = { RR_HTML_ML, RR_HTML_VW - RR_HTML_MR, RR_HTML_MT, h - RR_HTML_MB, 0, 1,
                        0, 1, 1, 1 };
    double lo = 0, hi = budget > 0 ? budget : 0;
    for (size_t m = 0; m < n; m++) {
        hi = fmax(hi, rr_html_fin(pt[m].p95));
        if (isfinite(pt[m].first_p95))
            hi = fmax(hi, pt[m].first_p95);
        if (pt[m].has_actual)
            hi = fmax(hi, rr_html_fin(pt[m].actual));
    }
    if (!(hi > lo))
        hi = 1;
    rr_html_nice_range(&lo, &hi, &f.ystep, 5);
    f.ymin = lo;
    f.ymax = hi;
    f.xmin = 0;
    f.xmax = 1;
    rr_html_svg_open(b, id, h, title);
    rr_html_y_axis(b, &f, RR_HTML_MONEY, t->currency, "");
    rr_html_x_axis_slots(b, &f, (int)n, month_label, t);
    rr_buf_puts(b, "<polygon class=\"band-outer\" points=\"");
    for (size_t k = 0; k < 2 * n; k++) {
        size_t m = k < n ? k : 2 * n - 1 - k;
        rr_buf_printf(b, "%.1f,%.1f ", rr_html_slot_x(&f, (int)n, (int)m),
                      rr_html_py(&f, rr_html_fin(k < n ? pt[m].p95 : pt[m].p5)));
    }
    rr_buf_puts(b, "\"/>\n<polyline class=\"median\" points=\"");
    for (size_t m = 0; m < n; m++)
        rr_buf_printf(b, "%.1f,%.1f ", rr_html_slot_x(&f, (int)n, (int)m),
                      rr_html_py(&f, rr_html_fin(pt[m].p50)));
    rr_buf_puts(b, "\"/>\n");
    /* The first forecast where it is not the one drawn: its P50 dashed, its P5 and P95
     * dotted. */
    for (int which = 0; which < 3; which++) {
        rr_buf_printf(b, "<polyline class=\"series\" stroke=\"#5b6675\" stroke-width=\"%s\" "
                         "stroke-dasharray=\"%s\" points=\"",
                      which ? "1.5" : "2.5", which ? "2 3" : "5 4");
        for (size_t m = 0; m < n; m++) {
            double y = which == 0 ? pt[m].first_p50 : which == 1 ? pt[m].first_p5
                                                                  : pt[m].first_p95;
            if (isfinite(y))
                rr_buf_printf(b, "%.1f,%.1f ", rr_html_slot_x(&f, (int)n, (int)m),
                              rr_html_py(&f, y));
        }
        rr_buf_puts(b, "\"/>\n");
    }
    if (budget > 0) {
        double y = rr_html_py(&f, budget);
        rr_html_line(b, f.x0, y, f.x1, y, "budget");
    }
    for (size_t m = 0; m < n; m++) {
        if (!pt[m].has_actual)
            continue;
        rr_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" stroke=\"#fff\" "
                         "stroke-width=\"1.5\"><title>actual ",
                      rr_html_slot_x(&f, (int)n, (int)m), rr_html_py(&f, pt[m].actual),
                      pt[m].outside ? "#c0392b" : "#1d2733");
        rr_html_money(b, pt[m].actual);
        rr_buf_puts(b, pt[m].outside ? " (outside P5-P95)</title></circle>\n" : "</title></circle>\n");
    }
    double x = RR_HTML_ML;
    rr_html_legend(b, &x, 20, "#c6dbef", -1, NULL, "P5-P95");
    rr_html_legend(b, &x, 20, "#08519c", 0, NULL, "P50");
    rr_html_legend(b, &x, 20, "#5b6675", 1, NULL, "first forecast P50 (P5, P95 dotted)");
    rr_html_legend(b, &x, 20, "#1d2733", -1, NULL, "actual (red: outside)");
    if (budget > 0)
        rr_html_legend(b, &x, 20, "#c0392b", 1, NULL, "budget");
    rr_buf_puts(b, "</svg>\n");
}

rr_status rr_report_track_html(const rr_track_summary *t, const rr_warnings *w, rr_buf *out)
{
    rr_buf *b = out;
    const size_t n = t->nmonths + t->nrest;
    fan_point *pt = calloc(n + 1, sizeof *pt), *cum = calloc(n + 1, sizeof *cum);
    if (!pt || !cum) {
        free(pt);
        free(cum);
        return RR_ERR_NOMEM;
    }
    for (size_t m = 0; m < t->nmonths; m++) {
        const rr_track_month *tm = &t->months[m];
        pt[m] = (fan_point){ tm->total.forecast.p5, tm->total.forecast.p50,
                             tm->total.forecast.p95, NAN, NAN, NAN, tm->total.observed,
                             tm->total.outside, tm->total.actual };
        cum[m] = (fan_point){ tm->cumulative.forecast.p5, tm->cumulative.forecast.p50,
                              tm->cumulative.forecast.p95, NAN, NAN, NAN,
                              tm->cumulative.observed, tm->cumulative.outside,
                              tm->cumulative.actual };
    }
    for (size_t m = 0; m < t->nrest; m++) {
        pt[t->nmonths + m] = (fan_point){ t->rest[m].p5, t->rest[m].p50, t->rest[m].p95,
                                          t->rest_prior[m].p50, t->rest_prior[m].p5,
                                          t->rest_prior[m].p95, 0, 0, NAN };
        cum[t->nmonths + m] = (fan_point){ t->rest_cum[m].p5, t->rest_cum[m].p50,
                                           t->rest_cum[m].p95, NAN, NAN, NAN, 0, 0, NAN };
    }
    rr_html_page_head(b, t->scenario, ": tracking");
    rr_buf_puts(b, "<header>\n<div class=\"kicker\">AI run-cost tracking</div>\n<h1>");
    rr_buf_html(b, t->scenario);
    rr_buf_puts(b, ": the bills against the forecast</h1>\n</header>\n");
    rr_html_warnings(b, w);
    char ls[NLINES][256];
    size_t nl;
    lines(t, ls, &nl);
    rr_buf_puts(b, "<section>\n<ul>\n");
    for (size_t i = 0; i < nl; i++) {
        rr_buf_puts(b, "<li>");
        rr_buf_html(b, ls[i]);
        rr_buf_puts(b, "</li>\n");
    }
    rr_buf_puts(b, "</ul>\n");
    rr_html_figure_open(b, "Each month: actuals in the forecast's band, then the re-forecast");
    fan_chart(b, t, pt, n, "track-fan", "monthly cost: forecast band, actuals, re-forecast", 0);
    rr_html_figure_close(b, "Observed months: the band of the categories the bills cover, "
                            "with the actual total (red when outside P5-P95).  Later months: "
                            "the re-forecast's band beside the first forecast's (P50 dashed, "
                            "P5 and P95 dotted).");
    rr_html_figure_open(b, "Burn-up: the cost so far against the budget");
    fan_chart(b, t, cum, n, "track-burnup", "cumulative cost with the budget",
              t->has_budget ? t->budget_total : 0);
    rr_html_figure_close(b, "Observed months: the cumulative actual in the cumulative "
                            "forecast's band.  Later months: actual to date plus the "
                            "re-forecast remainder.");
    int failed = tables(b, t, FORM_HTML);
    rr_buf_puts(b, "</section>\n<footer>Written by runrate " RR_VERSION " with ");
    rr_html_count(b, t->paths);
    rr_buf_printf(b, " paths and seed %llu.</footer>\n</main>\n</body>\n</html>\n",
                  (unsigned long long)t->seed);
    free(pt);
    free(cum);
    return b->failed || failed ? RR_ERR_NOMEM : RR_OK;
}
