/* report_html: the handover report, one self-contained HTML page with inline SVG charts.
 *
 * A budget owner opens it in a browser and files it, often printed and read again long after
 * the run, maybe offline: so nothing is fetched (no script, font or image), every chart is an
 * SVG written here from the summary alone, and a print stylesheet lays the page out on A4.
 * Names come from the user's scenario file and are escaped wherever they appear.  A missing
 * statistic (NaN: a unit cost when no request was served) leaves its mark out rather than
 * reaching a coordinate, where a browser would drop the whole shape.  Coordinates carry one
 * or two decimals: finer than a printed dot, and the file stays small.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"
#include "report/report.h"
#include "report/report_util.h"
#include "report/html_kit.h"

#define TOP_DRIVERS 10

static void month_label(rr_buf *b, const void *ctx, int m)
{
    rr_buf_html(b, ((const rr_summary *)ctx)->months[m]);
}

static void x_axis_months(rr_buf *b, const rr_html_frame *f, const rr_summary *sum)
{
    rr_html_x_axis_slots(b, f, sum->horizon, month_label, sum);
}

/* ---- the charts ---- */

static int fan_data_ok(const rr_summary *sum, const rr_stats *series, const rr_report_q *q)
{
    for (int m = 0; m < sum->horizon; m++) {
        const double *v = series[m].q;
        double w[5] = { v[q->p5], v[q->p10], v[q->p50], v[q->p90], v[q->p95] };
        if (!rr_html_all_finite(w, 5))
            return 0;
    }
    return 1;
}

/* The edge of a band through the months at percentile index `qi`, forwards or backwards;
 * a one-month horizon is drawn as a short flat segment across its slot. */
static void fan_edge(rr_buf *b, const rr_html_frame *f, const rr_summary *sum,
                     const rr_stats *series, int qi, int backwards)
{
    int H = sum->horizon, n = H > 1 ? H : 2;
    double slot = (f->x1 - f->x0) / H;
    for (int k = 0; k < n; k++) {
        int i = backwards ? n - 1 - k : k, m = H > 1 ? i : 0;
        double x = H > 1 ? rr_html_slot_x(f, H, m) : f->x0 + slot * (i ? 0.8 : 0.2);
        rr_buf_printf(b, "%.1f,%.1f ", rr_html_fin(x), rr_html_py(f, series[m].q[qi]));
    }
}

static void fan_band(rr_buf *b, const rr_html_frame *f, const rr_summary *sum,
                     const rr_stats *series, int lo, int hi, const char *cls)
{
    rr_buf_printf(b, "<polygon class=\"%s\" points=\"", cls);
    fan_edge(b, f, sum, series, hi, 0);
    fan_edge(b, f, sum, series, lo, 1);
    rr_buf_puts(b, "\"/>\n");
}

static void fan_legend(rr_buf *b, const rr_summary *sum)
{
    double x = RR_HTML_ML;
    rr_html_legend(b, &x, 20, "#c6dbef", -1, NULL, "P5 to P95");
    rr_html_legend(b, &x, 20, "#8fb8de", -1, NULL, "P10 to P90");
    rr_html_legend(b, &x, 20, "#08519c", 0, NULL, "P50 (median)");
    if (sum->has_budget_monthly)
        rr_html_legend(b, &x, 20, "#c0392b", 1, NULL, "monthly budget");
}

static void chart_fan(rr_buf *b, const rr_summary *sum, const rr_report_q *q)
{
    const double h = 360;
    rr_html_frame f = { RR_HTML_ML, RR_HTML_VW - RR_HTML_MR, RR_HTML_MT, h - RR_HTML_MB,
                        0, 1, 0, 1, 1, 1 };
    rr_html_figure_open(b, "Monthly cost: the range of outcomes");
    rr_html_svg_open(b, "fan", h, "Fan chart of the monthly total cost");
    if (!fan_data_ok(sum, sum->monthly_total, q)) {
        rr_html_no_data(b, &f, "No monthly statistics to draw.");
    } else {
        double lo = 0, hi = 0;
        for (int m = 0; m < sum->horizon; m++) {
            lo = fmin(lo, sum->monthly_total[m].q[q->p5]);
            hi = fmax(hi, sum->monthly_total[m].q[q->p95]);
        }
        int budget = sum->has_budget_monthly && isfinite(sum->budget_monthly);
        if (budget)
            hi = fmax(hi, sum->budget_monthly * 1.04);
        rr_html_nice_range(&lo, &hi, &f.ystep, 5);
        f.ymin = lo;
        f.ymax = hi;
        rr_html_y_axis(b, &f, RR_HTML_MONEY, sum->currency, " per month");
        fan_band(b, &f, sum, sum->monthly_total, q->p5, q->p95, "band-outer");
        fan_band(b, &f, sum, sum->monthly_total, q->p10, q->p90, "band-inner");
        rr_buf_puts(b, "<polyline class=\"median\" points=\"");
        fan_edge(b, &f, sum, sum->monthly_total, q->p50, 0);
        rr_buf_puts(b, "\"/>\n");
        for (int m = 0; sum->horizon <= 36 && m < sum->horizon; m++)
            rr_buf_printf(b, "<circle class=\"median-dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>",
                          rr_html_slot_x(&f, sum->horizon, m),
                          rr_html_py(&f, sum->monthly_total[m].q[q->p50]));
        if (budget) {
            double y = rr_html_py(&f, sum->budget_monthly);
            rr_html_line(b, f.x0, y, f.x1, y, "budget");
            rr_html_text(b, f.x1 - 4, y - 6, "end", "budget-label");
            rr_buf_puts(b, "monthly budget ");
            rr_html_money(b, sum->budget_monthly);
            rr_buf_puts(b, "</text>\n");
        }
        x_axis_months(b, &f, sum);
        fan_legend(b, sum);
    }
    rr_buf_puts(b, "</svg>\n");
    rr_html_figure_close(b, "Each month's total cost across all simulated paths. The dark line is "
                            "the median: half the paths cost less. The darker band holds the "
                            "middle 80% of paths (P10 to P90), the lighter one 90% (P5 to P95). "
                            "Where the monthly budget is set, the dashed line shows it: the closer "
                            "the bands come to it, the likelier a month goes over.");
}

/* The burn-up: the cost to date, P10 to P90 and the median, against budget.total, with the
 * months by whose end 20% and half of the paths have spent it. */
static void chart_burnup(rr_buf *b, const rr_summary *sum, const rr_report_q *q)
{
    const double h = 360;
    rr_html_frame f = { RR_HTML_ML, RR_HTML_VW - RR_HTML_MR, RR_HTML_MT, h - RR_HTML_MB,
                        0, 1, 0, 1, 1, 1 };
    rr_html_figure_open(b, "Burn-up: the cost to date against the budget");
    rr_html_svg_open(b, "burnup", h, "Burn-up chart of the cumulative cost");
    if (!fan_data_ok(sum, sum->cumulative, q)) {
        rr_html_no_data(b, &f, "No cumulative statistics to draw.");
    } else {
        double lo = 0, hi = sum->cumulative[sum->horizon - 1].q[q->p90];
        const int budget = sum->has_budget && isfinite(sum->budget_total);
        if (budget)
            hi = fmax(hi, sum->budget_total * 1.04);
        rr_html_nice_range(&lo, &hi, &f.ystep, 5);
        f.ymin = lo;
        f.ymax = hi;
        rr_html_y_axis(b, &f, RR_HTML_MONEY, sum->currency, " spent to date");
        fan_band(b, &f, sum, sum->cumulative, q->p10, q->p90, "band-inner");
        rr_buf_puts(b, "<polyline class=\"median\" points=\"");
        fan_edge(b, &f, sum, sum->cumulative, q->p50, 0);
        rr_buf_puts(b, "\"/>\n");
        if (budget) {
            double y = rr_html_py(&f, sum->budget_total);
            rr_html_line(b, f.x0, y, f.x1, y, "budget");
            rr_html_text(b, f.x0 + 6, y - 6, "start", "budget-label");
            rr_buf_puts(b, "budget ");
            rr_html_money(b, sum->budget_total);
            rr_buf_puts(b, "</text>\n");
            /* The exhaustion month: where a fifth of the paths have crossed the line. */
            if (sum->exhausted_p20 >= 0) {
                double x = rr_html_slot_x(&f, sum->horizon, sum->exhausted_p20);
                rr_html_line(b, x, f.y0, x, f.y1, "rec");
                rr_html_marker_label(b, x, f.y0 + 30, x < (f.x0 + f.x1) / 2, "rec-label");
                rr_buf_puts(b, "20% of paths spent by ");
                rr_buf_html(b, sum->months[sum->exhausted_p20]);
                rr_buf_puts(b, "</text>\n");
            }
        }
        x_axis_months(b, &f, sum);
        double x = RR_HTML_ML;
        rr_html_legend(b, &x, 20, "#8fb8de", -1, NULL, "P10 to P90");
        rr_html_legend(b, &x, 20, "#08519c", 0, NULL, "P50 (median)");
        if (budget)
            rr_html_legend(b, &x, 20, "#c0392b", 1, NULL, "budget for the horizon");
    }
    rr_buf_puts(b, "</svg>\n");
    rr_html_figure_close(b, "The cost spent from the first month to the end of each month. Where "
                            "the band meets the budget line, some paths have spent the budget; the "
                            "marked month is the first by whose end a fifth of them have.");
}

/* A vertical marker across the exceedance plot with its label at height `ly`. */
/* A marker's line at x, and its label at height ly beside the line at `at` (the farther of
 * the two markers' lines on the label's side, so that no label crosses the other line). */
static void exceed_marker(rr_buf *b, const rr_html_frame *f, double x, double at, int right,
                          double ly, const char *cls, const char *what, double value)
{
    double X = rr_html_px(f, x);
    rr_html_line(b, X, f->y0, X, f->y1, cls);
    rr_html_marker_label(b, at, ly, right,
                         strcmp(cls, "budget") == 0 ? "budget-label" : "rec-label");
    rr_buf_printf(b, "%s ", what);
    rr_html_money(b, value);
}

/* The curve and the area under it.  The tail beyond the axis (the largest path) is left
 * out rather than squeezing the whole curve into a corner; the quantiles increase, so the
 * curve leaves the axis once. */
static void exceed_curve(rr_buf *b, const rr_html_frame *f, const rr_summary *sum)
{
    int last = 0;
    while (last + 1 < RR_CURVE_POINTS && sum->curve[last + 1] <= f->xmax)
        last++;
    rr_buf_puts(b, "<polygon class=\"area\" points=\"");
    for (int i = 0; i <= last; i++)
        rr_buf_printf(b, "%.1f,%.1f ", rr_html_px(f, sum->curve[i]), rr_html_py(f, 1 - i / 100.0));
    rr_buf_printf(b, "%.1f,%.1f %.1f,%.1f\"/>\n", rr_html_px(f, sum->curve[last]), f->y1,
                  rr_html_px(f, sum->curve[0]), f->y1);
    rr_buf_puts(b, "<polyline class=\"curve\" points=\"");
    for (int i = 0; i <= last; i++)
        rr_buf_printf(b, "%.1f,%.1f ", rr_html_px(f, sum->curve[i]), rr_html_py(f, 1 - i / 100.0));
    rr_buf_puts(b, "\"/>\n");
}

/* The recommended budget, and the budget where there is one with the point where the curve
 * crosses it: its chance of overrun.  Labels sit at two heights so that they never overlap
 * when the two amounts are close, as they are when the budget was set from a forecast. */
static void exceed_markers(rr_buf *b, const rr_html_frame *f, const rr_summary *sum)
{
    const int rec = isfinite(sum->recommended);
    const int budget = sum->has_budget && isfinite(sum->budget_total);
    /* Both labels on the same side of both lines: right of the rightmost when the marks are
     * in the left half, left of the leftmost in the right half (marker_label's rule). */
    double xr = rec ? rr_html_px(f, sum->recommended) : NAN,
           xb = budget ? rr_html_px(f, sum->budget_total) : NAN;
    const int right = (rec ? xr : xb) < (f->x0 + f->x1) / 2;
    double at = rec ? xr : xb;
    if (rec && budget)
        at = right ? fmax(xr, xb) : fmin(xr, xb);
    if (rec) {
        char what[64];
        snprintf(what, sizeof what, "recommended (P%g)", 100 * sum->confidence);
        exceed_marker(b, f, sum->recommended, at, right, f->y0 + 44, "rec", what,
                      sum->recommended);
        rr_buf_puts(b, "</text>\n");
    }
    if (!budget)
        return;
    exceed_marker(b, f, sum->budget_total, at, right, f->y0 + 14, "budget", "budget",
                  sum->budget_total);
    rr_buf_puts(b, ": ");
    rr_html_pct(b, sum->p_exceed);
    rr_buf_puts(b, " chance of overrun</text>\n");
    if (isfinite(sum->p_exceed))
        rr_buf_printf(b, "<circle class=\"budget-dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\"/>\n",
                      rr_html_px(f, sum->budget_total), rr_html_py(f, sum->p_exceed));
}

static void chart_exceedance(rr_buf *b, const rr_summary *sum)
{
    const double h = 340;
    rr_html_frame f = { RR_HTML_ML, RR_HTML_VW - RR_HTML_MR, RR_HTML_MT - 16, h - RR_HTML_MB,
                        0, 1, 0, 1, 1, 0.2 };
    rr_html_figure_open(b, "Horizon total: how likely is each amount to be exceeded?");
    rr_html_svg_open(b, "exceedance", h, "Exceedance curve of the total cost over the horizon");
    if (!rr_html_all_finite(sum->curve, RR_CURVE_POINTS - 1)) {
        rr_html_no_data(b, &f, "No statistics of the total to draw.");
    } else {
        /* From the smallest path to the P99, widened to show both budget marks. */
        double lo = sum->curve[0], hi = sum->curve[RR_CURVE_POINTS - 2];
        if (sum->has_budget && isfinite(sum->budget_total))
            hi = fmax(hi, sum->budget_total), lo = fmin(lo, sum->budget_total);
        if (isfinite(sum->recommended))
            hi = fmax(hi, sum->recommended);
        hi += (hi - lo) * 0.03;
        rr_html_nice_range(&lo, &hi, &f.xstep, 7);
        f.xmin = lo;
        f.xmax = hi;
        rr_html_y_axis(b, &f, RR_HTML_SHARE, NULL, "chance the total is higher");
        exceed_curve(b, &f, sum);
        exceed_markers(b, &f, sum);
        rr_html_x_axis(b, &f, RR_HTML_MONEY, sum->currency, " over the horizon");
    }
    rr_buf_puts(b, "</svg>\n");
    rr_html_figure_close(b, "Read a cost on the horizontal axis and go up to the curve: its height "
                            "is the chance that the total over the horizon ends above that cost. "
                            "Where the curve crosses the budget line is the chance of overrun; a "
                            "budget where the curve is near zero is safe.");
}

static void stacked_bars(rr_buf *b, const rr_html_frame *f, const rr_summary *sum)
{
    double slot = (f->x1 - f->x0) / sum->horizon, bw = fmin(slot * 0.72, 56);
    for (int m = 0; m < sum->horizon; m++) {
        double base = 0, x = rr_html_slot_x(f, sum->horizon, m) - bw / 2;
        for (int c = 0; c < sum->ncat; c++) {
            double v = sum->monthly_cats[(size_t)m * (size_t)sum->ncat + (size_t)c].mean;
            if (!isfinite(v) || v <= 0)
                continue;
            double y = rr_html_py(f, base + v);
            rr_html_rect_open(b, x, y, bw, rr_html_py(f, base) - y, sum->cat[c]->colour);
            rr_buf_puts(b, "><title>");
            rr_buf_html(b, sum->months[m]);
            rr_buf_printf(b, " %s: ", sum->cat[c]->name);
            rr_html_money(b, v);
            rr_buf_puts(b, "</title></rect>\n");
            base += v;
        }
    }
}

static void chart_stacked(rr_buf *b, const rr_summary *sum)
{
    const double h = 340;
    rr_html_frame f = { RR_HTML_ML, RR_HTML_VW - RR_HTML_MR, RR_HTML_MT, h - RR_HTML_MB,
                        0, 1, 0, 1, 1, 1 };
    rr_html_figure_open(b, "Where the money goes, month by month");
    rr_html_svg_open(b, "stacked", h, "Mean cost per category per month, stacked");
    double hi = 0, lo = 0;
    for (int m = 0; m < sum->horizon; m++) {
        double s = 0;
        for (int c = 0; c < sum->ncat; c++) {
            double v = sum->monthly_cats[(size_t)m * (size_t)sum->ncat + (size_t)c].mean;
            s += isfinite(v) && v > 0 ? v : 0;
        }
        hi = fmax(hi, s);
    }
    rr_html_nice_range(&lo, &hi, &f.ystep, 5);
    f.ymin = lo;
    f.ymax = hi;
    rr_html_y_axis(b, &f, RR_HTML_MONEY, sum->currency, " per month (mean)");
    stacked_bars(b, &f, sum);
    x_axis_months(b, &f, sum);
    double x = RR_HTML_ML;
    for (int c = 0; c < sum->ncat; c++)
        rr_html_legend(b, &x, 20, sum->cat[c]->colour, -1, sum->cat[c]->name, "");
    rr_buf_puts(b, "</svg>\n");
    rr_html_figure_close(b, "The mean cost of each category in each month, stacked: the height of "
                            "a bar is the month's mean total. Means add up, so the parts sum to "
                            "the whole; percentiles do not, which is why this chart uses means.");
}

/* An input's path as a label left of its bar, cut from the front when long (the end names
 * the input, the start its group), with the whole path as its tooltip. */
static void input_label(rr_buf *b, double x, double y, const char *input)
{
    size_t len = strlen(input);
    rr_html_text(b, x, y, "end", "label");
    if (len > 44) {
        rr_buf_puts(b, "\xe2\x80\xa6");
        rr_buf_html(b, input + len - 43);
    } else {
        rr_buf_html(b, input);
    }
    rr_buf_puts(b, "<title>");
    rr_buf_html(b, input);
    rr_buf_puts(b, "</title></text>\n");
}

/* ---- what each input's uncertainty is worth: the total's P50 at the input's P10 and P90 */

#define SWING_LOW "#4f9dc9"     /* the input held at its P10 */
#define SWING_HIGH "#e07b39"    /* ... at its P90 */

/* One end's bar, from the base line to the total's P50 with the input at one end of its
 * range, with both figures as its tooltip. */
static void swing_segment(rr_buf *b, double bx, double x, double y, const char *colour,
                          const rr_swing *w, int high)
{
    char v[48];
    double w_px = x - bx;
    if (fabs(w_px) < 2)
        bx -= (2 - fabs(w_px)) / 2, w_px = 2;
    rr_html_rect_open(b, bx, y + 11, w_px, 18, colour);
    rr_buf_puts(b, "><title>");
    rr_buf_html(b, w->input);
    rr_buf_printf(b, " at its P%s (%s): the total's P50 ", high ? "90" : "10",
                  rr_fmt_value(v, sizeof v, high ? w->high_value : w->low_value));
    rr_html_money(b, high ? w->total_p50_high : w->total_p50_low);
    rr_buf_puts(b, "</title></rect>\n");
}

/* The money beyond each end of a bar, off the base line at bx.  An end on the same side as
 * a farther one (or one as far) would have its label on the bar: its money is in the
 * tooltip only. */
static void swing_end_labels(rr_buf *b, const rr_html_frame *f, const rr_swing *w, double bx,
                             double y)
{
    const double ends[2] = { rr_html_px(f, w->total_p50_low), rr_html_px(f, w->total_p50_high) };
    const double money[2] = { w->total_p50_low, w->total_p50_high };
    char s[32];
    for (int e = 0; e < 2; e++) {
        const double x = ends[e], d = fabs(x - bx), d_other = fabs(ends[1 - e] - bx);
        const int right = x >= bx;
        if ((ends[1 - e] >= bx) == right && (d_other > d || (d_other == d && e == 0)))
            continue;
        rr_html_off_zero(b, bx, right ? x + 4 : x - 4, y, right ? "start" : "end", "tick halo",
                         rr_fmt_money_short(s, sizeof s, money[e], f->xstep / 100),
                         RR_HTML_TICK_CHAR);
    }
}

/* One input: its path and its P10 and P90 at the left; the bar of each end from the base
 * line at bx (the farther first, so that a nearer end on the same side stays visible); the
 * money at the ends. */
static void swing_row(rr_buf *b, const rr_html_frame *f, const rr_swing *w, double bx,
                      double y)
{
    char lo[48], hi[48];
    input_label(b, f->x0 - 10, y + 17, w->input);
    rr_html_text(b, f->x0 - 10, y + 33, "end", "tick");
    rr_buf_printf(b, "P10 %s \xe2\x86\x92 P90 %s</text>\n",
                  rr_fmt_value(lo, sizeof lo, w->low_value),
                  rr_fmt_value(hi, sizeof hi, w->high_value));
    const double xl = rr_html_px(f, w->total_p50_low), xh = rr_html_px(f, w->total_p50_high);
    const int high_first = fabs(xh - bx) >= fabs(xl - bx);
    swing_segment(b, bx, high_first ? xh : xl, y, high_first ? SWING_HIGH : SWING_LOW, w,
                  high_first);
    swing_segment(b, bx, high_first ? xl : xh, y, high_first ? SWING_LOW : SWING_HIGH, w,
                  !high_first);
    swing_end_labels(b, f, w, bx, y + 24);
}

/* The data range of the bars and the base, padded so that the money beyond each end fits
 * inside the plot. */
static void swing_range(const rr_swing *const *rows, size_t n, double base, rr_html_frame *f)
{
    double lo = isfinite(base) ? base : rows[0]->total_p50_low, hi = lo;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, fmin(rows[i]->total_p50_low, rows[i]->total_p50_high));
        hi = fmax(hi, fmax(rows[i]->total_p50_low, rows[i]->total_p50_high));
    }
    double pad = (hi - lo) * 0.18;
    lo -= pad;
    hi += pad;
    rr_html_nice_range(&lo, &hi, &f->xstep, 8);
    f->xmin = lo;
    f->xmax = hi;
}

/* The base line and its label above the bars, the label kept inside the plot. */
static void swing_base(rr_buf *b, const rr_html_frame *f, double base)
{
    char s[32], t[48];
    double bx = rr_html_px(f, base);
    rr_html_line(b, bx, f->y0 - 4, bx, f->y1, "zero-line");
    snprintf(t, sizeof t, "P50 as simulated: %s",
             rr_fmt_money_short(s, sizeof s, base, f->xstep / 100));
    double half = RR_HTML_VALUE_CHAR * (double)strlen(t) / 2;
    double x = fmin(fmax(bx, f->x0 + half), f->x1 - half);
    rr_html_text(b, x, f->y0 - 12, "middle", "value halo");
    rr_buf_html(b, t);
    rr_buf_puts(b, "</text>\n");
}

static void chart_swings(rr_buf *b, const rr_summary *sum, const rr_report_q *q)
{
    const rr_swing *rows[RR_REPORT_MAX_SWINGS];
    size_t left, n = rr_report_swings_by_width(sum, rows, RR_REPORT_MAX_SWINGS, &left);
    if (n == 0)
        return;
    const double row = 44, h = RR_HTML_MT + 24 + (double)n * row + RR_HTML_MB;
    const double base = sum->total.q[q->p50];
    rr_html_frame f = { 330, RR_HTML_VW - RR_HTML_MR - 20, RR_HTML_MT + 24, h - RR_HTML_MB,
                        0, 1, 0, 1, 1, 1 };
    swing_range(rows, n, base, &f);
    rr_html_figure_open(b, "What each input's uncertainty is worth");
    rr_html_svg_open(b, "swings", h,
                     "Tornado chart in money: the total's P50 with each input held at its own "
                     "P10 and P90");
    rr_html_x_axis(b, &f, RR_HTML_MONEY, sum->currency, " over the horizon: the total's P50");
    double bx = isfinite(base) ? rr_html_px(&f, base) : f.x0;
    for (size_t i = 0; i < n; i++)
        swing_row(b, &f, rows[i], bx, f.y0 + (double)i * row);
    if (isfinite(base))
        swing_base(b, &f, base);
    double x = f.x0;
    rr_html_legend(b, &x, 20, SWING_LOW, -1, NULL, "input at its P10");
    rr_html_legend(b, &x, 20, SWING_HIGH, -1, NULL, "input at its P90");
    rr_html_legend(b, &x, 20, "#1d2733", 0, NULL, "P50 as simulated");
    rr_buf_puts(b, "</svg>\n");
    rr_buf_puts(b, "<figcaption>Each bar is the median (P50) of the horizon total with one input "
                   "held at its own P10 (blue end) and at its own P90 (orange end), every other "
                   "input as simulated, on the same paths (common random numbers); the line is "
                   "the median as simulated. The wider the bar, the more money the input's "
                   "uncertainty is worth: pin down the top ones first (a quote, a measurement, "
                   "a decision).");
    if (left)
        rr_buf_printf(b, " %zu narrower input%s left out here %s in the JSON report.", left,
                      left == 1 ? " is" : "s are", left == 1 ? "and is" : "and are");
    rr_buf_puts(b, "</figcaption>\n</figure>\n");
}

/* ---- what drives the uncertainty: each input's share of the variance of the total ---- */

/* The drivers worth drawing: the first TOP_DRIVERS with a finite share. */
static size_t tornado_rows(const rr_summary *sum, const rr_driver **rows)
{
    size_t n = 0;
    for (size_t i = 0; i < sum->ndrivers && n < TOP_DRIVERS; i++)
        if (isfinite(sum->drivers[i].share))
            rows[n++] = &sum->drivers[i];
    return n;
}

static void tornado_bar(rr_buf *b, const rr_html_frame *f, const rr_driver *d, double y, double bh)
{
    const char *colour = d->sign < 0 ? "#2a9d8f" : "#d1495b";
    input_label(b, f->x0 - 10, y + bh / 2 + 4, d->input);
    rr_html_rect(b, f->x0, y, rr_html_px(f, d->share) - f->x0, bh, colour);
    rr_html_text(b, rr_html_px(f, d->share) + 6, y + bh / 2 + 4, "start", "value");
    rr_buf_printf(b, "%.1f%%", 100 * d->share);
    if (isfinite(d->rank_share))
        rr_buf_printf(b, " (rank %.1f%%)", 100 * d->rank_share);
    rr_buf_puts(b, "</text>\n");
}

static void chart_tornado(rr_buf *b, const rr_summary *sum)
{
    const rr_driver *rows[TOP_DRIVERS];
    size_t n = tornado_rows(sum, rows);
    int ranks = 0;
    for (size_t i = 0; i < n; i++)
        ranks |= isfinite(rows[i]->rank_share);
    /* Room at the right for "75.0% (rank 80.1%)" beside the longest bar. */
    const double row = 30, h = RR_HTML_MT + 10 + (double)(n ? n : 2) * row + RR_HTML_MB;
    rr_html_frame f = { 330, RR_HTML_VW - RR_HTML_MR - (ranks ? 170 : 40), RR_HTML_MT + 6,
                        h - RR_HTML_MB, 0, 1, 0, 1, 0.1, 1 };
    rr_html_figure_open(b, sum->nswings ? "What drives the uncertainty: share of variance"
                                        : "What drives the uncertainty");
    rr_html_svg_open(b, "tornado", h,
                     "Tornado chart: each input's share of the variance of the total");
    if (n == 0) {
        rr_html_no_data(b, &f, "No input is drawn once per path, so there is nothing to rank.");
    } else {
        double lo = 0, hi = rows[0]->share;
        rr_html_nice_range(&lo, &hi, &f.xstep, 5);
        f.xmax = fmin(hi, 1);
        rr_html_x_axis(b, &f, RR_HTML_SHARE, NULL, "share of the variance of the horizon total");
        for (size_t i = 0; i < n; i++)
            tornado_bar(b, &f, rows[i], f.y0 + (double)i * row + 5, row - 10);
        double x = f.x0;
        rr_html_legend(b, &x, 20, "#d1495b", -1, NULL, "more of it, more cost");
        rr_html_legend(b, &x, 20, "#2a9d8f", -1, NULL, "more of it, less cost");
    }
    rr_buf_puts(b, "</svg>\n");
    rr_buf_puts(b, "<figcaption>The inputs drawn once per path, ranked by how much of the spread "
                   "of the horizon total moves with them (squared correlation). Narrowing the "
                   "top ones (a quote, a measurement, a decision) narrows the forecast most; "
                   "the bottom ones matter little.");
    if (ranks)
        rr_buf_puts(b, " In brackets, the same measure on ranks (Spearman's): well above the "
                       "share, the input moves the total in a way a straight line misses.");
    rr_buf_puts(b, "</figcaption>\n</figure>\n");
}

/* One row of the spike chart: P50, P80 and P95 as three bars from zero, darkest first. */
static void spike_row(rr_buf *b, const rr_html_frame *f, const rr_report_q *q, const rr_stats *st,
                      const char *label, double y)
{
    static const char *shade[3] = { "#6a3d9a", "#9e7cc1", "#cab2d6" };
    int qi[3] = { q->p50, q->p80, q->p95 };
    rr_html_text(b, f->x0 - 10, y + 19, "end", "label");
    rr_buf_html(b, label);
    rr_buf_puts(b, "</text>\n");
    for (int k = 0; k < 3; k++) {
        double v = st->q[qi[k]];
        if (!isfinite(v))
            continue;
        rr_html_rect_open(b, rr_html_px(f, 0), y + 3 + 10 * k, rr_html_px(f, v) - rr_html_px(f, 0),
                          9, shade[k]);
        rr_buf_puts(b, "><title>");
        rr_buf_html(b, label);
        rr_buf_printf(b, " P%s: ", k == 0 ? "50" : k == 1 ? "80" : "95");
        rr_html_money(b, v);
        rr_buf_puts(b, "</title></rect>\n");
    }
}

static void chart_spikes(rr_buf *b, const rr_summary *sum, const rr_report_q *q)
{
    rr_html_figure_open(b, "What demand spikes cost");
    if (!sum->has_spikes) {
        rr_buf_puts(b, "<p class=\"note\">This scenario has no demand spikes "
                       "(<code>demand.spikes</code>), so there is no spike premium: every cost "
                       "above comes from ordinary demand.</p>\n");
        rr_html_figure_close(b, "");
        return;
    }
    int rows = 1 + sum->ncat;
    const double row = 40, h = RR_HTML_MT + 8 + rows * row + RR_HTML_MB;
    rr_html_frame f = { 150, RR_HTML_VW - RR_HTML_MR, RR_HTML_MT + 4, h - RR_HTML_MB,
                        0, 1, 0, 1, 1, 1 };
    double lo = 0, hi = 0;
    const int qi[3] = { q->p50, q->p80, q->p95 };
    for (int r = 0; r < rows; r++)
        for (int k = 0; k < 3; k++) {
            double v = (r ? sum->spike_cats[r - 1] : sum->spike_total).q[qi[k]];
            if (isfinite(v))
                lo = fmin(lo, v), hi = fmax(hi, v);
        }
    rr_html_nice_range(&lo, &hi, &f.xstep, 6);
    f.xmin = lo;
    f.xmax = hi;
    rr_html_svg_open(b, "spikes", h, "Spike premium over the horizon at P50, P80 and P95");
    rr_html_x_axis(b, &f, RR_HTML_MONEY, sum->currency,
                   " over the horizon, with spikes minus without");
    for (int r = 0; r < rows; r++)
        spike_row(b, &f, q, r ? &sum->spike_cats[r - 1] : &sum->spike_total,
                  r ? sum->cat[r - 1]->name : "total", f.y0 + r * row);
    double x = f.x0;
    rr_html_legend(b, &x, 20, "#6a3d9a", -1, NULL, "P50");
    rr_html_legend(b, &x, 20, "#9e7cc1", -1, NULL, "P80");
    rr_html_legend(b, &x, 20, "#cab2d6", -1, NULL, "P95");
    rr_buf_puts(b, "</svg>\n");
    rr_html_figure_close(b, "The spike premium is what peaks in demand add: on each path, the cost "
                            "with its spikes minus the same path without them. P80 is the premium "
                            "that four paths in five stay below; reserve about that much for peak "
                            "demand and unforeseen scaling.");
}

static void unit_row(rr_buf *b, const rr_html_frame *f, const rr_report_q *q, const rr_stats *st,
                     double y, const char *label, const char *month)
{
    rr_html_text(b, f->x0 - 10, y + 15, "end", "label");
    rr_buf_puts(b, label);
    if (month)
        rr_buf_html(b, month);
    rr_buf_puts(b, "</text>\n");
    double v[3] = { st->q[q->p5], st->q[q->p50], st->q[q->p95] };
    if (!rr_html_all_finite(v, 3)) {
        rr_html_text(b, f->x0 + 8, y + 15, "start", "note");
        rr_buf_puts(b, "no requests served</text>\n");
        return;
    }
    char s[40];
    rr_html_rect(b, rr_html_px(f, v[0]), y + 4, rr_html_px(f, v[2]) - rr_html_px(f, v[0]), 16,
                 "#b9d3ea");
    rr_html_line(b, rr_html_px(f, v[1]), y, rr_html_px(f, v[1]), y + 24, "unit-mark");
    for (int k = 0; k < 3; k++) {
        double x = rr_html_px(f, v[k]);
        rr_html_text(b, k == 1 ? x : x + (k ? 4 : -4), k == 1 ? y - 5 : y + 16,
                     k == 1 ? "middle" : k ? "start" : "end", k == 1 ? "value" : "tick");
        rr_buf_printf(b, "%s%s</text>\n", k == 1 ? "P50 " : "",
                      rr_fmt_money_short(s, sizeof s, v[k], f->xstep / 100));
    }
}

static void chart_unit(rr_buf *b, const rr_summary *sum, const rr_report_q *q)
{
    const double h = 230;
    rr_html_frame f = { 190, RR_HTML_VW - RR_HTML_MR - 50, RR_HTML_MT, h - RR_HTML_MB,
                        0, 1, 0, 1, 1, 1 };
    const rr_stats *st[2] = { &sum->unit_horizon, &sum->unit_last };
    double lo = 0, hi = 0;
    for (int r = 0; r < 2; r++)
        if (isfinite(st[r]->q[q->p95]))
            hi = fmax(hi, st[r]->q[q->p95]), lo = fmin(lo, st[r]->q[q->p5]);
    rr_html_nice_range(&lo, &hi, &f.xstep, 6);
    f.xmin = lo;
    f.xmax = hi;
    rr_html_figure_open(b, "Unit cost: what 1,000 requests cost");
    rr_html_svg_open(b, "unit", h, "Cost per 1,000 requests, P5 to P95 with the median");
    rr_html_x_axis(b, &f, RR_HTML_MONEY, sum->currency, " per 1,000 requests");
    unit_row(b, &f, q, st[0], f.y0 + 16, "over the horizon", NULL);
    unit_row(b, &f, q, st[1], f.y0 + 76, "in the last month, ", sum->months[sum->horizon - 1]);
    double x = f.x0;
    rr_html_legend(b, &x, 18, "#b9d3ea", -1, NULL, "P5 to P95");
    rr_html_legend(b, &x, 18, "#08306b", 0, NULL, "P50");
    rr_buf_puts(b, "</svg>\n");
    rr_html_figure_close(b, "The cost of serving 1,000 requests (all costs over the requests "
                            "actually served, spikes included). Compare it with what 1,000 handled "
                            "requests are worth to the business; the bar is the range of 90% of "
                            "the paths.");
}

static void header(rr_buf *b, const rr_summary *sum)
{
    const char *first = sum->months[0], *last = sum->months[sum->horizon - 1];
    rr_buf_puts(b, "<header>\n<div class=\"kicker\">AI run-cost forecast</div>\n<h1>");
    rr_buf_html(b, sum->scenario);
    rr_buf_printf(b, "</h1>\n<p class=\"lede\">What this system is likely to cost to run over "
                     "%d month%s, from a Monte Carlo simulation of its demand and prices.</p>\n"
                     "<dl class=\"meta\">\n",
                  sum->horizon, sum->horizon == 1 ? "" : "s");
    rr_html_meta_item(b, "Horizon");
    rr_buf_printf(b, "%d month%s</dd></div>\n", sum->horizon, sum->horizon == 1 ? "" : "s");
    rr_html_meta_item(b, "Months");
    rr_buf_html(b, first);
    rr_buf_puts(b, " to ");
    rr_buf_html(b, last);
    rr_buf_puts(b, "</dd></div>\n");
    rr_html_meta_item(b, "Paths");
    rr_html_count(b, sum->paths);
    rr_buf_printf(b, "</dd></div>\n");
    rr_html_meta_item(b, "Seed");
    rr_buf_printf(b, "%llu</dd></div>\n", (unsigned long long)sum->seed);
    rr_html_meta_item(b, "Currency");
    rr_buf_html(b, sum->currency);
    rr_buf_puts(b, "</dd></div>\n");
    rr_html_meta_item(b, "runrate");
    rr_buf_puts(b, RR_VERSION "</dd></div>\n");
    if (!isnan(sum->precision)) {
        rr_html_meta_item(b, "Precision (P95)");
        rr_buf_printf(b, "target %.2g%%, achieved %.2g%%, %s</dd></div>\n",
                      100 * sum->precision, 100 * rr_html_fin(sum->precision_achieved),
                      sum->precision_met ? "met" : "not met");
    }
    rr_buf_puts(b, "</dl>\n</header>\n");
}

static void kpi_open(rr_buf *b, const char *cls, const char *label)
{
    rr_buf_printf(b, "<div class=\"kpi%s\"><div class=\"kpi-label\">%s", cls, label);
}

static void kpi_runrate(rr_buf *b, const rr_summary *sum, const rr_report_q *q)
{
    const int H = sum->horizon, from = sum->run_rate_from, peak = sum->peak_month;
    kpi_open(b, "", "Monthly run-rate");
    rr_buf_puts(b, "</div><div class=\"kpi-value\">");
    rr_html_money(b, sum->run_rate.q[q->p50]);
    rr_buf_puts(b, "</div><div class=\"kpi-sub\">median of each path's mean of ");
    rr_buf_html(b, sum->months[from]);
    if (from < H - 1) {
        rr_buf_puts(b, " to ");
        rr_buf_html(b, sum->months[H - 1]);
    }
    rr_buf_puts(b, "; P80 ");
    rr_html_money(b, sum->run_rate.q[q->p80]);
    rr_buf_puts(b, ". Peak month ");
    rr_buf_html(b, sum->months[peak]);
    rr_buf_puts(b, ": P80 ");
    rr_html_money(b, sum->monthly_total[peak].q[q->p80]);
    rr_buf_puts(b, "</div></div>\n");
}

static void kpi_budget(rr_buf *b, const rr_summary *sum)
{
    kpi_open(b, "", "Recommended budget");
    rr_buf_puts(b, "</div><div class=\"kpi-value\">");
    rr_html_money(b, sum->recommended);
    rr_buf_printf(b, "</div><div class=\"kpi-sub\">for the horizon, at %g%% confidence: "
                     "%g%% of paths cost less</div></div>\n",
                  100 * sum->confidence, 100 * sum->confidence);
    int over = sum->has_budget && isfinite(sum->p_exceed) &&
               sum->p_exceed > 1 - sum->confidence + 1e-9;
    kpi_open(b, !sum->has_budget ? "" : over ? " alert" : " ok", "Chance of overrun");
    rr_buf_puts(b, "</div><div class=\"kpi-value\">");
    if (!sum->has_budget) {
        rr_buf_puts(b, "-</div><div class=\"kpi-sub\">no budget given "
                       "(<code>budget.total</code>)</div></div>\n");
        return;
    }
    rr_html_pct(b, sum->p_exceed);
    rr_buf_puts(b, "</div><div class=\"kpi-sub\">of exceeding the budget of ");
    rr_html_money(b, sum->budget_total);
    if (sum->exhausted_p20 >= 0) {
        rr_buf_puts(b, "; on 20% of paths the budget is spent by ");
        rr_buf_html(b, sum->months[sum->exhausted_p20]);
    }
    rr_buf_puts(b, "</div></div>\n");
}

static void kpi_monthly(rr_buf *b, const rr_summary *sum)
{
    int over = sum->has_budget_monthly && sum->first_month_over >= 0;
    kpi_open(b, !sum->has_budget_monthly ? "" : over ? " alert" : " ok", "Monthly budget");
    rr_buf_puts(b, "</div><div class=\"kpi-value\">");
    if (!sum->has_budget_monthly || !sum->monthly_p_exceed) {
        rr_buf_puts(b, "-</div><div class=\"kpi-sub\">none given "
                       "(<code>budget.monthly</code>)</div></div>\n");
        return;
    }
    rr_html_money(b, sum->budget_monthly);
    int worst = 0;
    for (int m = 1; m < sum->horizon; m++)
        if (sum->monthly_p_exceed[m] > sum->monthly_p_exceed[worst])
            worst = m;
    rr_buf_puts(b, "</div><div class=\"kpi-sub\">");
    if (over) {
        rr_buf_puts(b, "P80 first above it in ");
        rr_buf_html(b, sum->months[sum->first_month_over]);
    } else {
        rr_buf_puts(b, "P80 stays below it every month");
    }
    rr_buf_puts(b, "; at most ");
    rr_html_pct(b, sum->monthly_p_exceed[worst]);
    rr_buf_puts(b, " of paths over in a month (");
    rr_buf_html(b, sum->months[worst]);
    rr_buf_puts(b, ")</div></div>\n");
}

/* One row of the economics table: a horizon statistic, its 95% interval, and the same
 * statistic of the last month. */
static void econ_row(rr_buf *b, const rr_summary *sum, const char *name, int qi)
{
    const rr_stats *t = &sum->total, *last = &sum->monthly_total[sum->horizon - 1];
    rr_buf_printf(b, "<tr><td>%s</td><td class=\"n\">", name);
    rr_html_money(b, qi < 0 ? t->mean : t->q[qi]);
    rr_buf_puts(b, "</td><td class=\"n\">");
    if (qi < 0) {
        rr_buf_puts(b, "-");
    } else {
        rr_html_ci_end(b, t->lo[qi]);
        rr_buf_puts(b, " to ");
        rr_html_ci_end(b, t->hi[qi]);
    }
    rr_buf_puts(b, "</td><td class=\"n\">");
    rr_html_money(b, qi < 0 ? last->mean : last->q[qi]);
    rr_buf_puts(b, "</td></tr>\n");
}

static void economics(rr_buf *b, const rr_summary *sum, const rr_report_q *q)
{
    rr_buf_puts(b, "<section class=\"economics\">\n<h2>Economics</h2>\n<div class=\"kpis\">\n");
    kpi_runrate(b, sum, q);
    kpi_budget(b, sum);
    kpi_monthly(b, sum);
    rr_buf_puts(b, "</div>\n<table>\n<thead><tr><th>Statistic</th><th class=\"n\">Total over "
                   "the horizon (");
    rr_buf_html(b, sum->currency);
    rr_buf_puts(b, ")</th><th class=\"n\">95% interval of the estimate</th>"
                   "<th class=\"n\">Last month (");
    rr_buf_html(b, sum->months[sum->horizon - 1]);
    rr_buf_puts(b, ")</th></tr></thead>\n<tbody>\n");
    econ_row(b, sum, "Mean (expected cost)", -1);
    econ_row(b, sum, "P50 (median)", q->p50);
    econ_row(b, sum, "P80", q->p80);
    econ_row(b, sum, "P95", q->p95);
    rr_buf_puts(b, "</tbody>\n</table>\n<p>The run-rate is each path's mean of the last three "
                   "months (of all months, for a shorter horizon), so that a quiet last month "
                   "does not understate it; the last month and the peak month (the month with "
                   "the highest P80) are in the table below. "
                   "P80 is the cost that four paths in five stay below. "
                   "The interval is where the simulation places each percentile given its finite "
                   "number of paths (distribution-free, from the order statistics): more paths "
                   "narrow it. It does not cover errors in the assumptions themselves.</p>\n"
                   "</section>\n");
}

static void table_categories(rr_buf *b, const rr_summary *sum, const rr_report_q *q)
{
    rr_buf_puts(b, "<h3>By category, over the horizon</h3>\n<table>\n<thead><tr>"
                   "<th>Category</th>");
    rr_html_th_stats(b);
    rr_buf_puts(b, "<th class=\"n\">Share of mean</th></tr></thead>\n<tbody>\n");
    for (int c = 0; c < sum->ncat; c++) {
        rr_buf_printf(b, "<tr><td><span class=\"swatch\" style=\"background:%s\"></span>",
                      sum->cat[c]->colour);
        rr_buf_html(b, sum->cat[c]->name);
        rr_buf_puts(b, "</td>");
        rr_html_td_stats(b, &sum->cats[c], q);
        rr_buf_puts(b, "<td class=\"n\">");
        rr_html_pct(b, sum->total.mean > 0 ? sum->cats[c].mean / sum->total.mean : NAN);
        rr_buf_puts(b, "</td></tr>\n");
    }
    rr_buf_puts(b, "<tr class=\"total\"><td>total</td>");
    rr_html_td_stats(b, &sum->total, q);
    rr_buf_puts(b, "<td class=\"n\">100%</td></tr>\n</tbody>\n</table>\n");
}

static void table_components(rr_buf *b, const rr_summary *sum, const rr_report_q *q)
{
    rr_buf_puts(b, "<h3>By component, over the horizon</h3>\n<table>\n<thead><tr>"
                   "<th>Component</th><th>Category</th>");
    rr_html_th_stats(b);
    rr_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < sum->ncomp; k++) {
        rr_buf_puts(b, "<tr><td>");
        rr_buf_html(b, sum->comp_names[k]);
        rr_buf_puts(b, "</td><td>");
        rr_buf_html(b, sum->comp_cat[k]->name);
        rr_buf_puts(b, "</td>");
        rr_html_td_stats(b, &sum->comps[k], q);
        rr_buf_puts(b, "</tr>\n");
    }
    rr_buf_puts(b, "</tbody>\n</table>\n");
}

static void table_months(rr_buf *b, const rr_summary *sum, const rr_report_q *q)
{
    int budget = sum->has_budget_monthly && sum->monthly_p_exceed;
    rr_buf_puts(b, "<h3>Month by month, total</h3>\n<table>\n<thead><tr><th>Month</th>");
    rr_html_th_stats(b);
    if (budget)
        rr_buf_puts(b, "<th class=\"n\">Chance above the monthly budget</th>");
    rr_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (int m = 0; m < sum->horizon; m++) {
        rr_buf_puts(b, "<tr><td>");
        rr_buf_html(b, sum->months[m]);
        rr_buf_puts(b, "</td>");
        rr_html_td_stats(b, &sum->monthly_total[m], q);
        if (budget) {
            int over = sum->monthly_total[m].q[q->p80] > sum->budget_monthly;
            rr_buf_printf(b, "<td class=\"n%s\">", over ? " over" : "");
            rr_html_pct(b, sum->monthly_p_exceed[m]);
            rr_buf_puts(b, "</td>");
        }
        rr_buf_puts(b, "</tr>\n");
    }
    rr_buf_puts(b, "</tbody>\n</table>\n");
}

static void table_peaks_units(rr_buf *b, const rr_summary *sum, const rr_report_q *q)
{
    rr_buf_puts(b, "<h3>Spike premium and unit cost</h3>\n<table>\n<thead><tr><th>Figure</th>");
    rr_html_th_stats(b);
    rr_buf_puts(b, "</tr></thead>\n<tbody>\n");
    if (sum->has_spikes) {
        rr_buf_puts(b, "<tr><td>Spike premium over the horizon</td>");
        rr_html_td_stats(b, &sum->spike_total, q);
        rr_buf_puts(b, "</tr>\n");
    }
    rr_buf_puts(b, "<tr><td>Cost per 1,000 requests, over the horizon</td>");
    rr_html_td_stats(b, &sum->unit_horizon, q);
    rr_buf_puts(b, "</tr>\n<tr><td>Cost per 1,000 requests, ");
    rr_buf_html(b, sum->months[sum->horizon - 1]);
    rr_buf_puts(b, "</td>");
    rr_html_td_stats(b, &sum->unit_last, q);
    rr_buf_puts(b, "</tr>\n</tbody>\n</table>\n");
}

/* The run-rate's three figures, the years with their categories, the quarters, and the
 * periods' budgets. */
static void table_periods(rr_buf *b, const rr_summary *sum, const rr_report_q *q)
{
    const int H = sum->horizon;
    rr_buf_puts(b, "<h3>Run-rate</h3>\n<table>\n<thead><tr><th>Figure</th>");
    rr_html_th_stats(b);
    rr_buf_puts(b, "</tr></thead>\n<tbody>\n<tr><td>Run-rate: each path's mean of ");
    rr_buf_html(b, sum->months[sum->run_rate_from]);
    rr_buf_puts(b, " to ");
    rr_buf_html(b, sum->months[H - 1]);
    rr_buf_puts(b, "</td>");
    rr_html_td_stats(b, &sum->run_rate, q);
    rr_buf_puts(b, "</tr>\n<tr><td>The last month, ");
    rr_buf_html(b, sum->months[H - 1]);
    rr_buf_puts(b, "</td>");
    rr_html_td_stats(b, &sum->monthly_total[H - 1], q);
    rr_buf_puts(b, "</tr>\n<tr><td>The peak month (the highest P80), ");
    rr_buf_html(b, sum->months[sum->peak_month]);
    rr_buf_puts(b, "</td>");
    rr_html_td_stats(b, &sum->monthly_total[sum->peak_month], q);
    rr_buf_puts(b, "</tr>\n</tbody>\n</table>\n");

    rr_buf_printf(b, "<h3>By %syear and quarter</h3>\n<table>\n<thead><tr><th>Period</th>"
                     "<th>Category</th>", sum->fy_start != 1 ? "fiscal " : "");
    rr_html_th_stats(b);
    rr_buf_puts(b, "</tr></thead>\n<tbody>\n");
    int partial = 0;
    for (size_t i = 0; i < sum->nyears + sum->nquarters; i++) {
        const rr_summary_period *p = &sum->periods[i];
        partial |= p->partial;
        rr_buf_puts(b, "<tr class=\"total\"><td>");
        rr_buf_html(b, p->label);
        rr_buf_puts(b, p->partial ? " (part)</td><td>total</td>" : "</td><td>total</td>");
        rr_html_td_stats(b, &p->total, q);
        rr_buf_puts(b, "</tr>\n");
        for (int c = 0; !p->quarter && sum->ncat > 1 && c < sum->ncat; c++) {
            rr_buf_puts(b, "<tr><td></td><td>");
            rr_buf_html(b, sum->cat[c]->name);
            rr_buf_puts(b, "</td>");
            rr_html_td_stats(b, &p->cats[c], q);
            rr_buf_puts(b, "</tr>\n");
        }
    }
    rr_buf_puts(b, "</tbody>\n</table>\n");
    if (partial)
        rr_buf_puts(b, "<p class=\"small\">A period marked (part) is covered by the horizon "
                       "in part: its figures are those of the months covered.</p>\n");
    int any = 0;
    for (size_t i = 0; i < sum->nyears + sum->nquarters; i++) {
        const rr_summary_period *p = &sum->periods[i];
        if (!p->has_budget)
            continue;
        if (!any++)
            rr_buf_printf(b, "<h3>Budgets by period</h3>\n<table>\n<thead><tr><th>Period</th>"
                             "<th class=\"n\">Budget</th><th class=\"n\">Chance of overrun</th>"
                             "<th class=\"n\">Recommended at %g%%</th></tr></thead>\n<tbody>\n",
                          100 * sum->confidence);
        rr_buf_puts(b, "<tr><td>");
        rr_buf_html(b, p->label);
        rr_buf_puts(b, "</td><td class=\"n\">");
        rr_html_money(b, p->budget);
        rr_buf_printf(b, "</td><td class=\"n%s\">", p->p_exceed > 1 - sum->confidence + 1e-9
                                                         ? " over" : "");
        rr_html_pct(b, p->p_exceed);
        rr_buf_puts(b, "</td><td class=\"n\">");
        rr_html_money(b, p->recommended);
        rr_buf_puts(b, "</td></tr>\n");
    }
    if (any)
        rr_buf_puts(b, "</tbody>\n</table>\n");
}

static void tables(rr_buf *b, const rr_summary *sum, const rr_report_q *q)
{
    rr_buf_puts(b, "<section>\n<h2 class=\"new-page\">Breakdown</h2>\n<p class=\"small\">In ");
    rr_buf_html(b, sum->currency);
    rr_buf_puts(b, ". Means add up across rows; percentiles do not (the P95 of a total is less "
                   "than the sum of its parts' P95s), so read each row on its own.</p>\n");
    table_categories(b, sum, q);
    table_periods(b, sum, q);
    table_components(b, sum, q);
    table_peaks_units(b, sum, q);
    table_months(b, sum, q);
    rr_buf_puts(b, "</section>\n");
}

/* A constant input is described by its value alone; saying it is "drawn" would mislead. */
static const char *drawn(const rr_assumption *a)
{
    char *end;
    if (a->computed)
        return "computed";
    strtod(a->text, &end);
    if (end != a->text && *end == '\0')
        return "fixed";
    return a->monthly ? "every month" : "once per path";
}

static void assumptions(rr_buf *b, const rr_summary *sum)
{
    int computed = 0;
    for (size_t i = 0; i < sum->nassumptions; i++)
        computed |= sum->assumptions[i].computed;
    rr_buf_puts(b, "<section>\n<h2>Assumptions</h2>\n<p class=\"small\">Every input of the "
                   "scenario with the distribution it is drawn from. An input drawn once per path "
                   "holds for the whole horizon (an uncertain fact, such as a price or a design "
                   "choice); one drawn every month varies from month to month; a fixed one is "
                   "a plain number");
    rr_buf_puts(b, computed ? "; a computed one is an expression or a schedule, worked out "
                              "from the others on each path and in each month.</p>\n"
                            : ".</p>\n");
    rr_buf_puts(b, sum->layered ? "<table>\n<thead><tr><th>Input</th><th>Distribution</th>"
                                  "<th>Drawn</th><th>Written in</th></tr></thead>\n<tbody>\n"
                                : "<table>\n<thead><tr><th>Input</th><th>Distribution</th>"
                                  "<th>Drawn</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < sum->nassumptions; i++) {
        const rr_assumption *a = &sum->assumptions[i];
        rr_buf_puts(b, "<tr><td class=\"mono\">");
        rr_buf_html(b, a->input);
        rr_buf_puts(b, "</td><td class=\"mono\">");
        rr_buf_html(b, a->text);
        rr_buf_printf(b, "</td><td>%s</td>", drawn(a));
        if (sum->layered) {
            /* A layered scenario: the file each was written in, its own or a base. */
            char where[512];
            snprintf(where, sizeof where, "%s:%d", a->file ? a->file : "", a->line);
            rr_buf_puts(b, "<td class=\"mono\">");
            rr_buf_html(b, where);
            rr_buf_puts(b, "</td>");
        }
        rr_buf_puts(b, "</tr>\n");
    }
    rr_buf_puts(b, "</tbody>\n</table>\n");
    if (sum->ncatalog) {
        rr_buf_puts(b, "<p class=\"small\">Prices from the catalog, as checked on the date "
                       "given at the source named:</p>\n<table>\n<thead><tr><th>Entry</th>"
                       "<th>Checked</th><th>Source</th></tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < sum->ncatalog; i++) {
            rr_buf_puts(b, "<tr><td class=\"mono\">");
            rr_buf_html(b, sum->catalog[i].entry);
            rr_buf_puts(b, "</td><td>");
            rr_buf_html(b, sum->catalog[i].checked);
            rr_buf_puts(b, "</td><td>");
            rr_buf_html(b, sum->catalog[i].source);
            rr_buf_puts(b, "</td></tr>\n");
        }
        rr_buf_puts(b, "</tbody>\n</table>\n");
    }
    rr_buf_puts(b, "</section>\n");
}

static void footer(rr_buf *b, const rr_summary *sum)
{
    rr_buf_puts(b, "<footer>Written by runrate " RR_VERSION " from scenario ");
    rr_buf_html(b, sum->scenario);
    rr_buf_puts(b, " with ");
    rr_html_count(b, sum->paths);
    rr_buf_printf(b, " paths and seed %llu: the same scenario file, seed and number of paths "
                     "give the same figures on any machine. Percentiles are read within 0.1%%."
                     "</footer>\n",
                  (unsigned long long)sum->seed);
}

rr_status rr_report_html(const rr_summary *sum, rr_buf *b)
{
    rr_report_q q;
    if (rr_report_q_find(sum->qp, sum->nq, &q) != 0 || sum->horizon < 1)
        return RR_ERR_INTERNAL;
    rr_html_page_head(b, sum->scenario, ": run-cost forecast");
    header(b, sum);
    rr_html_warnings(b, &sum->warnings);
    economics(b, sum, &q);
    rr_buf_puts(b, "<section>\n<h2>Forecast</h2>\n");
    chart_fan(b, sum, &q);
    chart_burnup(b, sum, &q);
    chart_exceedance(b, sum);
    chart_stacked(b, sum);
    chart_swings(b, sum, &q);
    chart_tornado(b, sum);
    chart_spikes(b, sum, &q);
    chart_unit(b, sum, &q);
    rr_buf_puts(b, "</section>\n");
    tables(b, sum, &q);
    assumptions(b, sum);
    footer(b, sum);
    rr_buf_puts(b, "</main>\n</body>\n</html>\n");
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}

/* ---- the comparison page: scenarios (or a sweep's variants) on common random numbers ----
 *
 * The same look as the handover report, read the same way: each scenario's horizon total
 * side by side, then for each difference B - A its statistics per category and in total
 * with a chart of their ranges, and for a sweep the total's percentiles against the value.
 * Every difference is signed: left of zero B is cheaper. */

/* "A", "B", ...: a scenario's letter in a comparison (the table writer's, capped at Z). */
static char letter(size_t i)
{
    return (char)('A' + (i < 26 ? i : 25));
}

/* A scenario's name on the page: its value for a sweep, else its name; escaped. */
static void put_scenario(rr_buf *b, const rr_compare *c, size_t i)
{
    if (c->sweep) {
        rr_buf_puts(b, "<code>");
        rr_buf_html(b, c->values[i]);
        rr_buf_puts(b, "</code>");
    } else {
        rr_buf_html(b, c->sc[i].name);
    }
}

/* One side of a difference in running text: a sweep's value says it is one. */
static void put_side(rr_buf *b, const rr_compare *c, size_t i)
{
    if (c->sweep)
        rr_buf_puts(b, "value ");
    put_scenario(b, c, i);
}

static const char *currency_of(const rr_compare *c)
{
    return c->sc[0].currency ? c->sc[0].currency : "";
}

static void compare_header(rr_buf *b, const rr_compare *c)
{
    rr_buf_printf(b, "<header>\n<div class=\"kicker\">AI run-cost %s</div>\n<h1>",
                  c->sweep ? "what-if" : "comparison");
    if (c->sweep) {
        rr_buf_puts(b, "What if: <code>");
        rr_buf_html(b, c->sweep);
        rr_buf_puts(b, "</code></h1>\n<p class=\"lede\">");
        rr_buf_printf(b, "%zu variants of ", c->k);
        rr_buf_html(b, c->sc[0].name);
        rr_buf_puts(b, " (<code>");
        rr_buf_html(b, c->sc[0].file);
        rr_buf_puts(b, "</code>) that differ only in <code>");
        rr_buf_html(b, c->sweep);
        rr_buf_puts(b, "</code>, set to ");
        for (size_t i = 0; i < c->k; i++) {
            rr_buf_puts(b, i == 0 ? "" : i + 1 == c->k ? " and " : ", ");
            put_scenario(b, c, i);
        }
        rr_buf_puts(b, ".");
    } else {
        if (c->k == 2) {
            rr_buf_html(b, c->sc[0].name);
            rr_buf_puts(b, " against ");
            rr_buf_html(b, c->sc[1].name);
        } else {
            rr_buf_printf(b, "Comparison of %zu scenarios", c->k);
        }
        rr_buf_printf(b, "</h1>\n<p class=\"lede\">What %zu scenarios cost to run over their "
                         "horizon, and what each costs more or less than the first.",
                      c->k);
    }
    rr_buf_puts(b, " All were simulated on the same paths with the same seed: inputs at the "
                   "same place in two files draw the same numbers on the same path (common "
                   "random numbers), so each difference is measured path by path rather than "
                   "read off two noisy forecasts.</p>\n<dl class=\"meta\">\n");
    rr_html_meta_item(b, c->sweep ? "Variants" : "Scenarios");
    rr_buf_printf(b, "%zu</dd></div>\n", c->k);
    rr_html_meta_item(b, "Paths");
    rr_html_count(b, c->paths);
    rr_buf_puts(b, "</dd></div>\n");
    rr_html_meta_item(b, "Seed");
    rr_buf_printf(b, "%llu</dd></div>\n", (unsigned long long)c->seed);
    rr_html_meta_item(b, "Currency");
    rr_buf_html(b, currency_of(c));
    rr_buf_puts(b, "</dd></div>\n");
    rr_html_meta_item(b, "runrate");
    rr_buf_puts(b, RR_VERSION "</dd></div>\n</dl>\n");
    if (!c->sweep) {
        rr_buf_puts(b, "<ol class=\"scenarios\">\n");
        for (size_t i = 0; i < c->k; i++) {
            rr_buf_printf(b, "<li><span class=\"letter\">%c</span>", letter(i));
            rr_buf_html(b, c->sc[i].name);
            rr_buf_puts(b, "<span class=\"file mono\">");
            rr_buf_html(b, c->sc[i].file);
            rr_buf_puts(b, "</span></li>\n");
        }
        rr_buf_puts(b, "</ol>\n");
    }
    rr_buf_puts(b, "</header>\n");
}

static void compare_totals(rr_buf *b, const rr_compare *c, const rr_report_q *q)
{
    int budgets = 0, mixed = 0;
    for (size_t i = 0; i < c->k; i++) {
        budgets |= c->sc[i].has_budget;
        const char *cur = c->sc[i].currency ? c->sc[i].currency : "";
        mixed |= strcmp(cur, currency_of(c)) != 0;
    }
    rr_buf_puts(b, "<section>\n<h2>Cost over the horizon</h2>\n<p class=\"small\">In ");
    rr_buf_html(b, currency_of(c));
    rr_buf_puts(b, ", each scenario's total over its horizon across all paths.");
    if (!budgets)
        rr_buf_puts(b, " No scenario sets a budget (<code>budget.total</code>).");
    if (mixed)
        rr_buf_puts(b, " <strong>The scenarios state different currencies</strong>: their "
                       "figures are compared as they stand, unconverted.");
    rr_buf_printf(b, "</p>\n<table>\n<thead><tr><th>%s</th>", c->sweep ? "Value" : "Scenario");
    rr_html_th_stats(b);
    if (budgets)
        rr_buf_puts(b, "<th class=\"n\">Budget</th><th class=\"n\">Chance over budget</th>");
    rr_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < c->k; i++) {
        const rr_compare_scenario *x = &c->sc[i];
        rr_buf_puts(b, "<tr><td>");
        if (!c->sweep)
            rr_buf_printf(b, "<span class=\"letter\">%c</span>", letter(i));
        put_scenario(b, c, i);
        rr_buf_puts(b, "</td>");
        rr_html_td_stats(b, &x->total, q);
        if (budgets && x->has_budget) {
            int over = isfinite(x->p_exceed) && x->p_exceed > 1 - x->confidence + 1e-9;
            rr_buf_puts(b, "<td class=\"n\">");
            rr_html_money(b, x->budget_total);
            rr_buf_printf(b, "</td><td class=\"n%s\">", over ? " over" : "");
            rr_html_pct(b, x->p_exceed);
            rr_buf_puts(b, "</td>");
        } else if (budgets) {
            rr_buf_puts(b, "<td class=\"n\">none</td><td class=\"n\">-</td>");
        }
        rr_buf_puts(b, "</tr>\n");
    }
    rr_buf_puts(b, "</tbody>\n</table>\n");
    if (budgets)
        rr_buf_puts(b, "<p class=\"small\">The chance over budget is the share of paths whose "
                       "total exceeds the scenario's own <code>budget.total</code>; it is "
                       "marked where it is above the scenario's accepted risk (one minus its "
                       "confidence).</p>\n");
}

/* ---- a difference: its range chart ---- */

#define DIFF_TOTAL_COLOUR "#5b8fc7"

/* One row: the label, the P5-P95 range of the per-path difference as a bar, P50 marked and
 * labelled above it, P5 and P95 at the bar's ends. */
static void range_row(rr_buf *b, const rr_html_frame *f, const rr_report_q *q, const rr_stats *st,
                      const char *label, const char *colour, int strong, double y)
{
    rr_html_text(b, f->x0 - 10, y + 27, "end", strong ? "label strong" : "label");
    rr_buf_html(b, label);
    rr_buf_puts(b, "</text>\n");
    double v[3] = { st->q[q->p5], st->q[q->p50], st->q[q->p95] };
    if (!rr_html_all_finite(v, 3)) {
        rr_html_text(b, f->x0 + 8, y + 27, "start", "note");
        rr_buf_puts(b, "no statistics</text>\n");
        return;
    }
    double zx = rr_html_px(f, 0);
    if (st->mean == 0 && st->sd == 0 && v[0] == 0 && v[2] == 0) {
        rr_html_line(b, zx, y + 12, zx, y + 32, "p50-mark");
        rr_html_text(b, zx + 8, y + 27, "start", "note halo");
        rr_buf_puts(b, "no difference on any path</text>\n");
        return;
    }
    double a = rr_html_px(f, v[0]), m = rr_html_px(f, v[1]), e = rr_html_px(f, v[2]);
    double x = a, w = e - a;
    if (w < 2)
        x -= (2 - w) / 2, w = 2;
    rr_html_rect_open(b, x, y + 14, w, 16, colour);
    rr_buf_puts(b, " fill-opacity=\"0.85\"><title>");
    rr_buf_html(b, label);
    rr_buf_puts(b, ": P5 ");
    rr_html_money(b, v[0]);
    rr_buf_puts(b, ", P50 ");
    rr_html_money(b, v[1]);
    rr_buf_puts(b, ", P95 ");
    rr_html_money(b, v[2]);
    rr_buf_puts(b, "</title></rect>\n");
    rr_html_line(b, m, y + 10, m, y + 34, "p50-mark");
    char s[32], t[40];
    double step = f->xstep / 100;
    snprintf(t, sizeof t, "P50 %s", rr_fmt_money_short(s, sizeof s, v[1], step));
    rr_html_off_zero(b, zx, m, y + 6, "middle", "value halo", t, RR_HTML_VALUE_CHAR);
    if (e - a < 1)
        return;
    rr_html_off_zero(b, zx, a - 4, y + 27, "end", "tick halo",
                     rr_fmt_money_short(s, sizeof s, v[0], step), RR_HTML_TICK_CHAR);
    rr_html_off_zero(b, zx, e + 4, y + 27, "start", "tick halo",
                     rr_fmt_money_short(s, sizeof s, v[2], step), RR_HTML_TICK_CHAR);
}

/* Widen [lo, hi] to hold the finite P5..P95 of a statistic. */
static void range_of(const rr_stats *st, const rr_report_q *q, double *lo, double *hi)
{
    double v[2] = { st->q[q->p5], st->q[q->p95] };
    for (int k = 0; k < 2; k++)
        if (isfinite(v[k]))
            *lo = fmin(*lo, v[k]), *hi = fmax(*hi, v[k]);
}

/* The escaped text "B minus A" of difference i, for a heading or a chart's title. */
static void diff_title(rr_buf *b, const rr_compare *c, size_t i, int with_letters)
{
    if (with_letters && !c->sweep)
        rr_buf_printf(b, "%c - %c: ", letter(i + 1), letter(0));
    put_side(b, c, i + 1);
    rr_buf_puts(b, " minus ");
    put_side(b, c, 0);
}

static void chart_diff(rr_buf *b, const rr_compare *c, size_t i, const rr_report_q *q)
{
    const rr_compare_diff *d = &c->diff[i];
    int rows = 1 + d->ncat;
    const double row = 46, h = RR_HTML_MT + 26 + rows * row + RR_HTML_MB;
    rr_html_frame f = { 170, RR_HTML_VW - RR_HTML_MR - 20, RR_HTML_MT + 24, h - RR_HTML_MB,
                        0, 1, 0, 1, 1, 1 };
    double lo = 0, hi = 0;
    range_of(&d->total, q, &lo, &hi);
    for (int j = 0; j < d->ncat; j++)
        range_of(&d->cats[j], q, &lo, &hi);
    /* Room on both sides for the labels at the bars' ends, and for zero to show as such. */
    double pad = (hi - lo) * 0.1;
    lo -= pad;
    hi += pad;
    rr_html_nice_range(&lo, &hi, &f.xstep, 6);
    f.xmin = lo;
    f.xmax = hi;

    char id[32];
    snprintf(id, sizeof id, "diff-%zu", i + 1);
    rr_buf t = { 0 };
    diff_title(&t, c, i, 1);
    rr_buf_puts(&t, ", per path: P5 to P95 with the median");
    rr_html_svg_open(b, id, h, t.failed || !t.p ? "" : t.p);
    if (t.failed)
        b->failed = 1;
    rr_buf_free(&t);
    rr_html_x_axis(b, &f, RR_HTML_MONEY, currency_of(c), " over the horizon, difference per path");
    double zx = rr_html_px(&f, 0);
    char bl[2] = { c->sweep ? '\0' : letter(i + 1), '\0' };
    rr_html_text(b, zx - 8, f.y0 - 8, "end", "legend");
    rr_buf_printf(b, "\xe2\x86\x90 %s%scheaper</text>\n", bl, *bl ? " " : "");
    rr_html_text(b, zx + 8, f.y0 - 8, "start", "legend");
    rr_buf_printf(b, "%s%scostlier \xe2\x86\x92</text>\n", bl, *bl ? " " : "");
    rr_html_line(b, zx, f.y0 - 4, zx, f.y1, "zero-line");
    range_row(b, &f, q, &d->total, "total", DIFF_TOTAL_COLOUR, 1, f.y0);
    for (int j = 0; j < d->ncat; j++)
        range_row(b, &f, q, &d->cats[j], d->cat[j]->name, d->cat[j]->colour, 0,
                  f.y0 + (j + 1) * row);
    double x = f.x0;
    rr_html_legend(b, &x, 20, DIFF_TOTAL_COLOUR, -1, NULL, "P5 to P95 of the per-path difference");
    rr_html_legend(b, &x, 20, "#1d2733", 0, NULL, "P50 (median)");
    rr_buf_puts(b, "</svg>\n");
}

static void compare_diff(rr_buf *b, const rr_compare *c, size_t i, const rr_report_q *q)
{
    const rr_compare_diff *d = &c->diff[i];
    rr_buf_puts(b, "<section>\n<h2>");
    diff_title(b, c, i, 1);
    rr_buf_puts(b, "</h2>\n<p class=\"verdict\">On each path, ");
    diff_title(b, c, i, 0);
    rr_buf_puts(b, " is <strong>");
    rr_html_money(b, d->total.q[q->p50]);
    rr_buf_puts(b, "</strong> at the median (95% interval of the estimate: ");
    rr_html_ci_end(b, d->total.lo[q->p50]);
    rr_buf_puts(b, " to ");
    rr_html_ci_end(b, d->total.hi[q->p50]);
    rr_buf_puts(b, ") and <strong>");
    rr_html_money(b, d->total.mean);
    rr_buf_puts(b, "</strong> on average; ");
    put_side(b, c, i + 1);
    rr_buf_puts(b, " costs more on <strong>");
    rr_html_pct(b, d->p_b_costlier);
    rr_buf_puts(b, "</strong> of paths.</p>\n<table>\n<thead><tr><th>Category</th>");
    rr_html_th_stats(b);
    if (c->sweep)
        rr_buf_puts(b, "<th class=\"n\">Chance it costs more</th>");
    else
        rr_buf_printf(b, "<th class=\"n\">Chance %c costs more</th>", letter(i + 1));
    rr_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (int j = 0; j < d->ncat; j++) {
        rr_buf_printf(b, "<tr><td><span class=\"swatch\" style=\"background:%s\"></span>",
                      d->cat[j]->colour);
        rr_buf_html(b, d->cat[j]->name);
        rr_buf_puts(b, "</td>");
        rr_html_td_stats(b, &d->cats[j], q);
        rr_buf_puts(b, "<td class=\"n\"></td></tr>\n");
    }
    rr_buf_puts(b, "<tr class=\"total\"><td>total</td>");
    rr_html_td_stats(b, &d->total, q);
    rr_buf_puts(b, "<td class=\"n\">");
    rr_html_pct(b, d->p_b_costlier);
    rr_buf_puts(b, "</td></tr>\n</tbody>\n</table>\n");
    rr_html_figure_open(b, "The range of the difference, per path");
    chart_diff(b, c, i, q);
    rr_html_figure_close(b, c->sweep
                                ? "For the total and each category: the bar spans the middle 90% "
                                  "of the per-path differences (P5 to P95), the dark mark is the "
                                  "median. Left of the zero line this value is cheaper than the "
                                  "first, right of it costlier. A category that differs by "
                                  "exactly 0 on every path is said so."
                                : "For the total and each category: the bar spans the middle 90% "
                                  "of the per-path differences (P5 to P95), the dark mark is the "
                                  "median. Left of the zero line the later scenario is cheaper "
                                  "than A, right of it costlier. A category that differs by "
                                  "exactly 0 on every path is said so.");
    rr_buf_puts(b, "</section>\n");
}

/* ---- a sweep: the total's percentiles against the value ---- */

typedef struct sweep_labels {
    const char *const *values;
    size_t max;              /* characters that fit under a labelled slot */
} sweep_labels;

static void value_label(rr_buf *b, const void *ctx, int i)
{
    const sweep_labels *l = ctx;
    rr_html_cut(b, l->values[i], l->max);
    if (strlen(l->values[i]) > l->max) {
        rr_buf_puts(b, "<title>");
        rr_buf_html(b, l->values[i]);
        rr_buf_puts(b, "</title>");
    }
}

/* One percentile's line through the values, broken where a value has no statistic, with a
 * dot at each value. */
static void sweep_series(rr_buf *b, const rr_html_frame *f, const rr_compare *c, int qi,
                         const char *colour, int dashed, const char *name)
{
    int n = (int)c->k, open = 0;
    for (int i = 0; i < n; i++) {
        double v = c->sc[i].total.q[qi];
        if (!isfinite(v)) {
            if (open)
                rr_buf_puts(b, "\"/>\n");
            open = 0;
            continue;
        }
        if (!open)
            rr_buf_printf(b, "<polyline class=\"series\" stroke=\"%s\"%s points=\"", colour,
                          dashed ? " stroke-dasharray=\"6 4\"" : "");
        open = 1;
        rr_buf_printf(b, "%.1f,%.1f ", rr_html_slot_x(f, n, i), rr_html_py(f, v));
    }
    if (open)
        rr_buf_puts(b, "\"/>\n");
    for (int i = 0; i < n; i++) {
        double v = c->sc[i].total.q[qi];
        if (!isfinite(v))
            continue;
        rr_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>",
                      rr_html_slot_x(f, n, i), rr_html_py(f, v), colour);
        rr_buf_html(b, c->values[i]);
        rr_buf_printf(b, ": %s ", name);
        rr_html_money(b, v);
        rr_buf_puts(b, "</title></circle>\n");
    }
}

static void chart_sweep(rr_buf *b, const rr_compare *c, const rr_report_q *q)
{
    const double h = 370;
    rr_html_frame f = { RR_HTML_ML, RR_HTML_VW - RR_HTML_MR, RR_HTML_MT, h - RR_HTML_MB - 6,
                        0, 1, 0, 1, 1, 1 };
    static const char *colour[3] = { "#08519c", "#4292c6", "#6baed6" };
    const int qi[3] = { q->p50, q->p80, q->p95 };
    static const char *name[3] = { "P50", "P80", "P95" };
    double lo = 0, hi = 0;
    for (size_t i = 0; i < c->k; i++)
        for (int k = 0; k < 3; k++) {
            double v = c->sc[i].total.q[qi[k]];
            if (isfinite(v))
                lo = fmin(lo, v), hi = fmax(hi, v);
        }
    /* The budget line, when every variant has the same one (a sweep of the budget itself
     * has none to draw). */
    int budget = 1;
    for (size_t i = 0; i < c->k; i++)
        budget &= c->sc[i].has_budget && isfinite(c->sc[i].budget_total) &&
                  c->sc[i].budget_total == c->sc[0].budget_total;
    if (budget)
        hi = fmax(hi, c->sc[0].budget_total * 1.04);
    rr_html_nice_range(&lo, &hi, &f.ystep, 5);
    f.ymin = lo;
    f.ymax = hi;
    rr_html_figure_open(b, "The total over the horizon against the value");
    rr_html_svg_open(b, "sweep", h, "P50, P80 and P95 of the horizon total for each value");
    rr_html_y_axis(b, &f, RR_HTML_MONEY, currency_of(c), " over the horizon");
    if (budget) {
        /* The label goes at the end where the lines pass farther from the budget. */
        double y = rr_html_py(&f, c->sc[0].budget_total), gap[2] = { INFINITY, INFINITY };
        for (int k = 0; k < 3; k++)
            for (int e = 0; e < 2; e++) {
                double v = c->sc[e ? c->k - 1 : 0].total.q[qi[k]];
                if (isfinite(v))
                    gap[e] = fmin(gap[e], fabs(rr_html_py(&f, v) - (y - 10)));
            }
        int right = gap[1] >= gap[0];
        rr_html_line(b, f.x0, y, f.x1, y, "budget");
        rr_html_text(b, right ? f.x1 - 4 : f.x0 + 4, y - 6, right ? "end" : "start",
                     "budget-label");
        rr_buf_puts(b, "budget ");
        rr_html_money(b, c->sc[0].budget_total);
        rr_buf_puts(b, "</text>\n");
    }
    for (int k = 2; k >= 0; k--)
        sweep_series(b, &f, c, qi[k], colour[k], k == 2, name[k]);
    int every = ((int)c->k + 11) / 12;
    double slot = (f.x1 - f.x0) / (double)c->k * every;
    sweep_labels l = { c->values, slot / 7.5 > 4 ? (size_t)(slot / 7.5) : 4 };
    rr_html_x_axis_slots(b, &f, (int)c->k, value_label, &l);
    rr_html_text(b, (f.x0 + f.x1) / 2, f.y1 + 42, "middle", "axis-title");
    rr_buf_puts(b, "value of ");
    rr_buf_html(b, c->sweep);
    rr_buf_puts(b, "</text>\n");
    double x = RR_HTML_ML;
    for (int k = 0; k < 3; k++)
        rr_html_legend(b, &x, 20, colour[k], k == 2, NULL, name[k]);
    rr_buf_puts(b, "</svg>\n");
    rr_html_figure_close(b, "Each value's total over the horizon: the median (P50), and P80 and "
                            "P95, the totals that four paths in five and nineteen in twenty stay "
                            "below. The values are spaced evenly in the order given, whatever they "
                            "are; where the lines rise steeply the forecast is sensitive to the "
                            "input.");
}

static void compare_footer(rr_buf *b, const rr_compare *c)
{
    rr_buf_printf(b, "<footer>Written by runrate " RR_VERSION " from %zu %s with ", c->k,
                  c->sweep ? "variants of one scenario" : "scenarios");
    rr_html_count(b, c->paths);
    rr_buf_printf(b, " paths and seed %llu: the same files, seed and number of paths give the "
                     "same figures on any machine. Percentiles are read within 0.1%%.</footer>\n",
                  (unsigned long long)c->seed);
}

rr_status rr_report_compare_html(const rr_compare *c, rr_buf *b)
{
    rr_report_q q;
    if (rr_report_q_find(c->qp, c->nq, &q) != 0 || c->k < 1 || (c->sweep && !c->values))
        return RR_ERR_INTERNAL;
    if (c->sweep) {
        rr_html_page_head(b, c->sweep, ": what-if");
    } else if (c->k == 2) {
        /* page_head escapes it. */
        rr_buf t = { 0 };
        rr_buf_printf(&t, "%s against %s", c->sc[0].name, c->sc[1].name);
        if (t.failed)
            b->failed = 1;
        rr_html_page_head(b, t.failed || !t.p ? "" : t.p, ": run-cost comparison");
        rr_buf_free(&t);
    } else {
        rr_html_page_head(b, NULL, "Run-cost comparison");
    }
    compare_header(b, c);
    rr_html_warnings(b, &c->warnings);
    compare_totals(b, c, &q);
    if (c->sweep)
        chart_sweep(b, c, &q);
    rr_buf_puts(b, "</section>\n");
    for (size_t i = 0; i < c->ndiff; i++)
        compare_diff(b, c, i, &q);
    compare_footer(b, c);
    rr_buf_puts(b, "</main>\n</body>\n</html>\n");
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}
