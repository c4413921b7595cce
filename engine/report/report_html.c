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

#define VW 880.0      /* every chart's viewBox width; CSS scales it to the column */
#define ML 78.0       /* left margin: room for ticks like "1.25M" and the axis title */
#define MR 28.0
#define MT 40.0       /* top: the legend row */
#define MB 50.0       /* bottom: tick labels and the axis title */
#define TOP_DRIVERS 10

/* Indices of the percentiles the page shows; all are in the standard list. */
typedef struct qidx {
    int p5, p10, p50, p80, p90, p95;
} qidx;

/* A plotting area: the data box [xmin, xmax] x [ymin, ymax] drawn in the pixel box
 * [x0, x1] x [y0, y1], y growing downwards as in SVG. */
typedef struct frame {
    double x0, x1, y0, y1;
    double xmin, xmax, ymin, ymax;
    double xstep, ystep;     /* tick spacing in data units */
} frame;

typedef enum unit { U_MONEY, U_SHARE } unit;

/* ---- numbers and scales ---- */

/* The last guard before a coordinate: callers skip missing data, this keeps a slip from
 * turning into "nan" in the file. */
static double fin(double v)
{
    return isfinite(v) ? v : 0.0;
}

static double px(const frame *f, double v)
{
    return fin(f->x0 + (v - f->xmin) / (f->xmax - f->xmin) * (f->x1 - f->x0));
}

static double py(const frame *f, double v)
{
    return fin(f->y1 - (v - f->ymin) / (f->ymax - f->ymin) * (f->y1 - f->y0));
}

/* A step of 1, 2, 2.5 or 5 times a power of ten giving about `ticks` intervals: the values
 * people read off an axis without arithmetic. */
static double nice_step(double span, int ticks)
{
    double raw = span / ticks;
    double mag = pow(10, floor(log10(raw)));
    double r = raw / mag;
    return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 2.5 ? 2.5 : r <= 5 ? 5 : 10) * mag;
}

/* Widen the finite range [*lo, *hi] to whole ticks; an empty range gets a unit of room so
 * that a constant series still has an axis. */
static void nice_range(double *lo, double *hi, double *step, int ticks)
{
    if (!isfinite(*hi - *lo))
        *lo = 0, *hi = 1;
    if (!(*hi > *lo)) {
        double pad = *hi != 0 ? fabs(*hi) * 0.1 : 1;
        if (*lo != 0)
            *lo -= pad;
        *hi += pad;
    }
    *step = nice_step(*hi - *lo, ticks);
    *lo = floor(*lo / *step + 1e-9) * *step;
    *hi = ceil(*hi / *step - 1e-9) * *step;
}

static int nticks(double lo, double hi, double step)
{
    return (int)floor((hi - lo) / step + 0.5);
}

static void tick_text(char *s, size_t size, double v, double step, unit u)
{
    if (u == U_MONEY) {
        rr_fmt_money_short(s, size, v, step);
        return;
    }
    int dec = step * 100 >= 1 ? 0 : 1;
    snprintf(s, size, "%.*f%%", dec, fabs(v) < 1e-12 ? 0.0 : 100 * v);
}

static void put_pct(rr_buf *b, double p)
{
    if (!isfinite(p))
        rr_buf_puts(b, "-");
    else if (p > 0 && p < 0.001)
        rr_buf_puts(b, "under 0.1%");
    else if (p < 1 && p > 0.999)
        rr_buf_puts(b, "over 99.9%");
    else
        rr_buf_printf(b, "%.1f%%", 100 * p);
}

static void put_money(rr_buf *b, double x)
{
    char s[48];
    rr_buf_puts(b, rr_fmt_money(s, sizeof s, x));
}

/* An end of a confidence interval: money, or "< min" / "> max" where it is unbounded. */
static void put_ci_end(rr_buf *b, double x)
{
    char s[48];
    rr_buf_html(b, rr_fmt_ci_end(s, sizeof s, x));
}

static int all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* ---- SVG building blocks ---- */

static void svg_open(rr_buf *b, const char *id, double h, const char *title)
{
    rr_buf_printf(b,
                  "<svg class=\"chart\" id=\"%s\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                  "aria-labelledby=\"%s-t\" xmlns=\"http://www.w3.org/2000/svg\">\n"
                  "<title id=\"%s-t\">%s</title>\n",
                  id, VW, h, id, id, title);
}

static void figure_open(rr_buf *b, const char *title)
{
    rr_buf_printf(b, "<figure class=\"fig\">\n<h3>%s</h3>\n", title);
}

static void figure_close(rr_buf *b, const char *caption)
{
    rr_buf_printf(b, "<figcaption>%s</figcaption>\n</figure>\n", caption);
}

/* Text at (x, y); `anchor` is start, middle or end, `cls` a class of the stylesheet. */
static void text_open(rr_buf *b, double x, double y, const char *anchor, const char *cls)
{
    rr_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", fin(x),
                  fin(y), anchor, cls);
}

static void line(rr_buf *b, double x1, double y1, double x2, double y2, const char *cls)
{
    rr_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"%s\"/>\n",
                  fin(x1), fin(y1), fin(x2), fin(y2), cls);
}

/* A rectangle left open for a tooltip or closed by rect(); a negative width is drawn
 * leftwards from x (a negative spike premium). */
static void rect_open(rr_buf *b, double x, double y, double w, double h, const char *fill)
{
    if (w < 0) {
        x += w;
        w = -w;
    }
    rr_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"",
                  fin(x), fin(y), fin(w), fin(h), fill);
}

static void rect(rr_buf *b, double x, double y, double w, double h, const char *fill)
{
    rect_open(b, x, y, w, h, fill);
    rr_buf_puts(b, "/>\n");
}

/* A message drawn where a chart has nothing to show, so the figure still says why. */
static void no_data(rr_buf *b, const frame *f, const char *msg)
{
    text_open(b, (f->x0 + f->x1) / 2, (f->y0 + f->y1) / 2, "middle", "note");
    rr_buf_printf(b, "%s</text>\n", msg);
}

/* A legend entry at (*x, y): a swatch (a filled box, or a line when `dashed` >= 0) and a
 * label; *x moves past it.  The width of the label is estimated, which is good enough for
 * short labels in a system sans-serif. */
static void legend(rr_buf *b, double *x, double y, const char *colour, int dashed,
                   const char *label_user, const char *label)
{
    if (dashed < 0)
        rect(b, *x, y - 9, 14, 10, colour);
    else
        rr_buf_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                      "stroke-width=\"2.5\"%s/>",
                      *x, y - 4, *x + 18, y - 4, colour,
                      dashed ? " stroke-dasharray=\"6 4\"" : "");
    text_open(b, *x + 22, y, "start", "legend");
    if (label_user)
        rr_buf_html(b, label_user);
    rr_buf_printf(b, "%s</text>\n", label);
    *x += 22 + 7.0 * (double)((label_user ? strlen(label_user) : 0) + strlen(label)) + 22;
}

/* The y axis: gridlines at every tick, labels at the left, the title turned upright. */
static void y_axis(rr_buf *b, const frame *f, unit u, const char *title_user,
                   const char *title)
{
    int n = nticks(f->ymin, f->ymax, f->ystep);
    for (int k = 0; k <= n; k++) {
        double v = f->ymin + k * f->ystep, y = py(f, v);
        char s[40];
        tick_text(s, sizeof s, v, f->ystep, u);
        line(b, f->x0, y, f->x1, y, fabs(v) < f->ystep * 1e-6 ? "zero" : "grid");
        text_open(b, f->x0 - 8, y + 4, "end", "tick");
        rr_buf_printf(b, "%s</text>\n", s);
    }
    rr_buf_printf(b, "<text class=\"axis-title\" text-anchor=\"middle\" "
                     "transform=\"translate(16 %.1f) rotate(-90)\">",
                  (f->y0 + f->y1) / 2);
    if (title_user)
        rr_buf_html(b, title_user);
    rr_buf_printf(b, "%s</text>\n", title);
}

/* A value x axis: vertical gridlines and labels below the plot. */
static void x_axis(rr_buf *b, const frame *f, unit u, const char *title_user, const char *title)
{
    int n = nticks(f->xmin, f->xmax, f->xstep);
    for (int k = 0; k <= n; k++) {
        double v = f->xmin + k * f->xstep, x = px(f, v);
        char s[40];
        tick_text(s, sizeof s, v, f->xstep, u);
        line(b, x, f->y0, x, f->y1, fabs(v) < f->xstep * 1e-6 ? "zero" : "grid");
        text_open(b, x, f->y1 + 18, "middle", "tick");
        rr_buf_printf(b, "%s</text>\n", s);
    }
    line(b, f->x0, f->y1, f->x1, f->y1, "axis");
    text_open(b, (f->x0 + f->x1) / 2, f->y1 + 40, "middle", "axis-title");
    if (title_user)
        rr_buf_html(b, title_user);
    rr_buf_printf(b, "%s</text>\n", title);
}

/* The centre of month m's slot: the horizon split into equal slots, as bars need. */
static double month_x(const frame *f, int horizon, int m)
{
    return f->x0 + (m + 0.5) * (f->x1 - f->x0) / horizon;
}

/* Labels below n equal slots, thinned to about twelve so that they never collide, counted
 * back from the last slot: the run-rate month (or a sweep's last value) always has its
 * label.  `label` writes slot i's text, escaped. */
typedef void (*slot_label_fn)(rr_buf *b, const void *ctx, int i);

static void x_axis_slots(rr_buf *b, const frame *f, int n, slot_label_fn label,
                         const void *ctx)
{
    int every = (n + 11) / 12;
    line(b, f->x0, f->y1, f->x1, f->y1, "axis");
    for (int m = 0; m < n; m++) {
        double x = month_x(f, n, m);
        int labelled = (n - 1 - m) % every == 0;
        line(b, x, f->y1, x, f->y1 + (labelled ? 6 : 3), "axis");
        if (!labelled)
            continue;
        text_open(b, x, f->y1 + 20, "middle", "tick");
        label(b, ctx, m);
        rr_buf_puts(b, "</text>\n");
    }
}

static void month_label(rr_buf *b, const void *ctx, int m)
{
    rr_buf_html(b, ((const rr_summary *)ctx)->months[m]);
}

static void x_axis_months(rr_buf *b, const frame *f, const rr_summary *sum)
{
    x_axis_slots(b, f, sum->horizon, month_label, sum);
}

/* A label beside a vertical marker: to its right in the left half of the plot, to its left
 * in the right half, so that it stays inside the chart. */
static void marker_label(rr_buf *b, double x, double y, int right, const char *cls)
{
    text_open(b, x + (right ? 6 : -6), y, right ? "start" : "end", cls);
}

/* ---- the charts ---- */

static int fan_data_ok(const rr_summary *sum, const rr_stats *series, const qidx *q)
{
    for (int m = 0; m < sum->horizon; m++) {
        const double *v = series[m].q;
        double w[5] = { v[q->p5], v[q->p10], v[q->p50], v[q->p90], v[q->p95] };
        if (!all_finite(w, 5))
            return 0;
    }
    return 1;
}

/* The edge of a band through the months at percentile index `qi`, forwards or backwards;
 * a one-month horizon is drawn as a short flat segment across its slot. */
static void fan_edge(rr_buf *b, const frame *f, const rr_summary *sum, const rr_stats *series,
                     int qi, int backwards)
{
    int H = sum->horizon, n = H > 1 ? H : 2;
    double slot = (f->x1 - f->x0) / H;
    for (int k = 0; k < n; k++) {
        int i = backwards ? n - 1 - k : k, m = H > 1 ? i : 0;
        double x = H > 1 ? month_x(f, H, m) : f->x0 + slot * (i ? 0.8 : 0.2);
        rr_buf_printf(b, "%.1f,%.1f ", fin(x), py(f, series[m].q[qi]));
    }
}

static void fan_band(rr_buf *b, const frame *f, const rr_summary *sum, const rr_stats *series,
                     int lo, int hi, const char *cls)
{
    rr_buf_printf(b, "<polygon class=\"%s\" points=\"", cls);
    fan_edge(b, f, sum, series, hi, 0);
    fan_edge(b, f, sum, series, lo, 1);
    rr_buf_puts(b, "\"/>\n");
}

static void fan_legend(rr_buf *b, const rr_summary *sum)
{
    double x = ML;
    legend(b, &x, 20, "#c6dbef", -1, NULL, "P5 to P95");
    legend(b, &x, 20, "#8fb8de", -1, NULL, "P10 to P90");
    legend(b, &x, 20, "#08519c", 0, NULL, "P50 (median)");
    if (sum->has_budget_monthly)
        legend(b, &x, 20, "#c0392b", 1, NULL, "monthly budget");
}

static void chart_fan(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    const double h = 360;
    frame f = { ML, VW - MR, MT, h - MB, 0, 1, 0, 1, 1, 1 };
    figure_open(b, "Monthly cost: the range of outcomes");
    svg_open(b, "fan", h, "Fan chart of the monthly total cost");
    if (!fan_data_ok(sum, sum->monthly_total, q)) {
        no_data(b, &f, "No monthly statistics to draw.");
    } else {
        double lo = 0, hi = 0;
        for (int m = 0; m < sum->horizon; m++) {
            lo = fmin(lo, sum->monthly_total[m].q[q->p5]);
            hi = fmax(hi, sum->monthly_total[m].q[q->p95]);
        }
        int budget = sum->has_budget_monthly && isfinite(sum->budget_monthly);
        if (budget)
            hi = fmax(hi, sum->budget_monthly * 1.04);
        nice_range(&lo, &hi, &f.ystep, 5);
        f.ymin = lo;
        f.ymax = hi;
        y_axis(b, &f, U_MONEY, sum->currency, " per month");
        fan_band(b, &f, sum, sum->monthly_total, q->p5, q->p95, "band-outer");
        fan_band(b, &f, sum, sum->monthly_total, q->p10, q->p90, "band-inner");
        rr_buf_puts(b, "<polyline class=\"median\" points=\"");
        fan_edge(b, &f, sum, sum->monthly_total, q->p50, 0);
        rr_buf_puts(b, "\"/>\n");
        for (int m = 0; sum->horizon <= 36 && m < sum->horizon; m++)
            rr_buf_printf(b, "<circle class=\"median-dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>",
                          month_x(&f, sum->horizon, m),
                          py(&f, sum->monthly_total[m].q[q->p50]));
        if (budget) {
            double y = py(&f, sum->budget_monthly);
            line(b, f.x0, y, f.x1, y, "budget");
            text_open(b, f.x1 - 4, y - 6, "end", "budget-label");
            rr_buf_puts(b, "monthly budget ");
            put_money(b, sum->budget_monthly);
            rr_buf_puts(b, "</text>\n");
        }
        x_axis_months(b, &f, sum);
        fan_legend(b, sum);
    }
    rr_buf_puts(b, "</svg>\n");
    figure_close(b, "Each month's total cost across all simulated paths. The dark line is the "
                    "median: half the paths cost less. The darker band holds the middle 80% of "
                    "paths (P10 to P90), the lighter one 90% (P5 to P95). Where the monthly "
                    "budget is set, the dashed line shows it: the closer the bands come to it, "
                    "the likelier a month goes over.");
}

/* The burn-up: the cost to date, P10 to P90 and the median, against budget.total, with the
 * months by whose end 20% and half of the paths have spent it. */
static void chart_burnup(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    const double h = 360;
    frame f = { ML, VW - MR, MT, h - MB, 0, 1, 0, 1, 1, 1 };
    figure_open(b, "Burn-up: the cost to date against the budget");
    svg_open(b, "burnup", h, "Burn-up chart of the cumulative cost");
    if (!fan_data_ok(sum, sum->cumulative, q)) {
        no_data(b, &f, "No cumulative statistics to draw.");
    } else {
        double lo = 0, hi = sum->cumulative[sum->horizon - 1].q[q->p90];
        const int budget = sum->has_budget && isfinite(sum->budget_total);
        if (budget)
            hi = fmax(hi, sum->budget_total * 1.04);
        nice_range(&lo, &hi, &f.ystep, 5);
        f.ymin = lo;
        f.ymax = hi;
        y_axis(b, &f, U_MONEY, sum->currency, " spent to date");
        fan_band(b, &f, sum, sum->cumulative, q->p10, q->p90, "band-inner");
        rr_buf_puts(b, "<polyline class=\"median\" points=\"");
        fan_edge(b, &f, sum, sum->cumulative, q->p50, 0);
        rr_buf_puts(b, "\"/>\n");
        if (budget) {
            double y = py(&f, sum->budget_total);
            line(b, f.x0, y, f.x1, y, "budget");
            text_open(b, f.x0 + 6, y - 6, "start", "budget-label");
            rr_buf_puts(b, "budget ");
            put_money(b, sum->budget_total);
            rr_buf_puts(b, "</text>\n");
            /* The exhaustion month: where a fifth of the paths have crossed the line. */
            if (sum->exhausted_p20 >= 0) {
                double x = month_x(&f, sum->horizon, sum->exhausted_p20);
                line(b, x, f.y0, x, f.y1, "rec");
                marker_label(b, x, f.y0 + 30, x < (f.x0 + f.x1) / 2, "rec-label");
                rr_buf_puts(b, "20% of paths spent by ");
                rr_buf_html(b, sum->months[sum->exhausted_p20]);
                rr_buf_puts(b, "</text>\n");
            }
        }
        x_axis_months(b, &f, sum);
        double x = ML;
        legend(b, &x, 20, "#8fb8de", -1, NULL, "P10 to P90");
        legend(b, &x, 20, "#08519c", 0, NULL, "P50 (median)");
        if (budget)
            legend(b, &x, 20, "#c0392b", 1, NULL, "budget for the horizon");
    }
    rr_buf_puts(b, "</svg>\n");
    figure_close(b, "The cost spent from the first month to the end of each month. Where the "
                    "band meets the budget line, some paths have spent the budget; the marked "
                    "month is the first by whose end a fifth of them have.");
}

/* A vertical marker across the exceedance plot with its label at height `ly`. */
/* A marker's line at x, and its label at height ly beside the line at `at` (the farther of
 * the two markers' lines on the label's side, so that no label crosses the other line). */
static void exceed_marker(rr_buf *b, const frame *f, double x, double at, int right, double ly,
                          const char *cls, const char *what, double value)
{
    double X = px(f, x);
    line(b, X, f->y0, X, f->y1, cls);
    marker_label(b, at, ly, right, strcmp(cls, "budget") == 0 ? "budget-label" : "rec-label");
    rr_buf_printf(b, "%s ", what);
    put_money(b, value);
}

/* The curve and the area under it.  The tail beyond the axis (the largest path) is left
 * out rather than squeezing the whole curve into a corner; the quantiles increase, so the
 * curve leaves the axis once. */
static void exceed_curve(rr_buf *b, const frame *f, const rr_summary *sum)
{
    int last = 0;
    while (last + 1 < RR_CURVE_POINTS && sum->curve[last + 1] <= f->xmax)
        last++;
    rr_buf_puts(b, "<polygon class=\"area\" points=\"");
    for (int i = 0; i <= last; i++)
        rr_buf_printf(b, "%.1f,%.1f ", px(f, sum->curve[i]), py(f, 1 - i / 100.0));
    rr_buf_printf(b, "%.1f,%.1f %.1f,%.1f\"/>\n", px(f, sum->curve[last]), f->y1,
                  px(f, sum->curve[0]), f->y1);
    rr_buf_puts(b, "<polyline class=\"curve\" points=\"");
    for (int i = 0; i <= last; i++)
        rr_buf_printf(b, "%.1f,%.1f ", px(f, sum->curve[i]), py(f, 1 - i / 100.0));
    rr_buf_puts(b, "\"/>\n");
}

/* The recommended budget, and the budget where there is one with the point where the curve
 * crosses it: its chance of overrun.  Labels sit at two heights so that they never overlap
 * when the two amounts are close, as they are when the budget was set from a forecast. */
static void exceed_markers(rr_buf *b, const frame *f, const rr_summary *sum)
{
    const int rec = isfinite(sum->recommended);
    const int budget = sum->has_budget && isfinite(sum->budget_total);
    /* Both labels on the same side of both lines: right of the rightmost when the marks are
     * in the left half, left of the leftmost in the right half (marker_label's rule). */
    double xr = rec ? px(f, sum->recommended) : NAN, xb = budget ? px(f, sum->budget_total) : NAN;
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
    put_pct(b, sum->p_exceed);
    rr_buf_puts(b, " chance of overrun</text>\n");
    if (isfinite(sum->p_exceed))
        rr_buf_printf(b, "<circle class=\"budget-dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\"/>\n",
                      px(f, sum->budget_total), py(f, sum->p_exceed));
}

static void chart_exceedance(rr_buf *b, const rr_summary *sum)
{
    const double h = 340;
    frame f = { ML, VW - MR, MT - 16, h - MB, 0, 1, 0, 1, 1, 0.2 };
    figure_open(b, "Horizon total: how likely is each amount to be exceeded?");
    svg_open(b, "exceedance", h, "Exceedance curve of the total cost over the horizon");
    if (!all_finite(sum->curve, RR_CURVE_POINTS - 1)) {
        no_data(b, &f, "No statistics of the total to draw.");
    } else {
        /* From the smallest path to the P99, widened to show both budget marks. */
        double lo = sum->curve[0], hi = sum->curve[RR_CURVE_POINTS - 2];
        if (sum->has_budget && isfinite(sum->budget_total))
            hi = fmax(hi, sum->budget_total), lo = fmin(lo, sum->budget_total);
        if (isfinite(sum->recommended))
            hi = fmax(hi, sum->recommended);
        hi += (hi - lo) * 0.03;
        nice_range(&lo, &hi, &f.xstep, 7);
        f.xmin = lo;
        f.xmax = hi;
        y_axis(b, &f, U_SHARE, NULL, "chance the total is higher");
        exceed_curve(b, &f, sum);
        exceed_markers(b, &f, sum);
        x_axis(b, &f, U_MONEY, sum->currency, " over the horizon");
    }
    rr_buf_puts(b, "</svg>\n");
    figure_close(b, "Read a cost on the horizontal axis and go up to the curve: its height is the "
                    "chance that the total over the horizon ends above that cost. Where the "
                    "curve crosses the budget line is the chance of overrun; a budget where the "
                    "curve is near zero is safe.");
}

static void stacked_bars(rr_buf *b, const frame *f, const rr_summary *sum)
{
    double slot = (f->x1 - f->x0) / sum->horizon, bw = fmin(slot * 0.72, 56);
    for (int m = 0; m < sum->horizon; m++) {
        double base = 0, x = month_x(f, sum->horizon, m) - bw / 2;
        for (int c = 0; c < sum->ncat; c++) {
            double v = sum->monthly_cats[(size_t)m * (size_t)sum->ncat + (size_t)c].mean;
            if (!isfinite(v) || v <= 0)
                continue;
            double y = py(f, base + v);
            rect_open(b, x, y, bw, py(f, base) - y, sum->cat[c]->colour);
            rr_buf_puts(b, "><title>");
            rr_buf_html(b, sum->months[m]);
            rr_buf_printf(b, " %s: ", sum->cat[c]->name);
            put_money(b, v);
            rr_buf_puts(b, "</title></rect>\n");
            base += v;
        }
    }
}

static void chart_stacked(rr_buf *b, const rr_summary *sum)
{
    const double h = 340;
    frame f = { ML, VW - MR, MT, h - MB, 0, 1, 0, 1, 1, 1 };
    figure_open(b, "Where the money goes, month by month");
    svg_open(b, "stacked", h, "Mean cost per category per month, stacked");
    double hi = 0, lo = 0;
    for (int m = 0; m < sum->horizon; m++) {
        double s = 0;
        for (int c = 0; c < sum->ncat; c++) {
            double v = sum->monthly_cats[(size_t)m * (size_t)sum->ncat + (size_t)c].mean;
            s += isfinite(v) && v > 0 ? v : 0;
        }
        hi = fmax(hi, s);
    }
    nice_range(&lo, &hi, &f.ystep, 5);
    f.ymin = lo;
    f.ymax = hi;
    y_axis(b, &f, U_MONEY, sum->currency, " per month (mean)");
    stacked_bars(b, &f, sum);
    x_axis_months(b, &f, sum);
    double x = ML;
    for (int c = 0; c < sum->ncat; c++)
        legend(b, &x, 20, sum->cat[c]->colour, -1, sum->cat[c]->name, "");
    rr_buf_puts(b, "</svg>\n");
    figure_close(b, "The mean cost of each category in each month, stacked: the height of a bar "
                    "is the month's mean total. Means add up, so the parts sum to the whole; "
                    "percentiles do not, which is why this chart uses means.");
}

/* The drivers worth drawing: the first TOP_DRIVERS with a finite share. */
static size_t tornado_rows(const rr_summary *sum, const rr_driver **rows)
{
    size_t n = 0;
    for (size_t i = 0; i < sum->ndrivers && n < TOP_DRIVERS; i++)
        if (isfinite(sum->drivers[i].share))
            rows[n++] = &sum->drivers[i];
    return n;
}

static void tornado_bar(rr_buf *b, const frame *f, const rr_driver *d, double y, double bh)
{
    const char *colour = d->sign < 0 ? "#2a9d8f" : "#d1495b";
    size_t len = strlen(d->input);
    text_open(b, f->x0 - 10, y + bh / 2 + 4, "end", "label");
    /* Long paths are cut from the front: the end names the input, the start its group. */
    if (len > 44) {
        rr_buf_puts(b, "\xe2\x80\xa6");
        rr_buf_html(b, d->input + len - 43);
    } else {
        rr_buf_html(b, d->input);
    }
    rr_buf_puts(b, "<title>");
    rr_buf_html(b, d->input);
    rr_buf_puts(b, "</title></text>\n");
    rect(b, f->x0, y, px(f, d->share) - f->x0, bh, colour);
    text_open(b, px(f, d->share) + 6, y + bh / 2 + 4, "start", "value");
    rr_buf_printf(b, "%.1f%%</text>\n", 100 * d->share);
}

static void chart_tornado(rr_buf *b, const rr_summary *sum)
{
    const rr_driver *rows[TOP_DRIVERS];
    size_t n = tornado_rows(sum, rows);
    const double row = 30, h = MT + 10 + (double)(n ? n : 2) * row + MB;
    frame f = { 330, VW - MR - 40, MT + 6, h - MB, 0, 1, 0, 1, 0.1, 1 };
    figure_open(b, "What drives the uncertainty");
    svg_open(b, "tornado", h, "Tornado chart: each input's share of the variance of the total");
    if (n == 0) {
        no_data(b, &f, "No input is drawn once per path, so there is nothing to rank.");
    } else {
        double lo = 0, hi = rows[0]->share;
        nice_range(&lo, &hi, &f.xstep, 5);
        f.xmax = fmin(hi, 1);
        x_axis(b, &f, U_SHARE, NULL, "share of the variance of the horizon total");
        for (size_t i = 0; i < n; i++)
            tornado_bar(b, &f, rows[i], f.y0 + (double)i * row + 5, row - 10);
        double x = f.x0;
        legend(b, &x, 20, "#d1495b", -1, NULL, "more of it, more cost");
        legend(b, &x, 20, "#2a9d8f", -1, NULL, "more of it, less cost");
    }
    rr_buf_puts(b, "</svg>\n");
    figure_close(b, "The inputs drawn once per path, ranked by how much of the spread of the "
                    "horizon total moves with them (squared correlation). Narrowing the top "
                    "ones (a quote, a measurement, a decision) narrows the forecast most; the "
                    "bottom ones matter little.");
}

/* One row of the spike chart: P50, P80 and P95 as three bars from zero, darkest first. */
static void spike_row(rr_buf *b, const frame *f, const qidx *q, const rr_stats *st,
                      const char *label, double y)
{
    static const char *shade[3] = { "#6a3d9a", "#9e7cc1", "#cab2d6" };
    int qi[3] = { q->p50, q->p80, q->p95 };
    text_open(b, f->x0 - 10, y + 19, "end", "label");
    rr_buf_html(b, label);
    rr_buf_puts(b, "</text>\n");
    for (int k = 0; k < 3; k++) {
        double v = st->q[qi[k]];
        if (!isfinite(v))
            continue;
        rect_open(b, px(f, 0), y + 3 + 10 * k, px(f, v) - px(f, 0), 9, shade[k]);
        rr_buf_puts(b, "><title>");
        rr_buf_html(b, label);
        rr_buf_printf(b, " P%s: ", k == 0 ? "50" : k == 1 ? "80" : "95");
        put_money(b, v);
        rr_buf_puts(b, "</title></rect>\n");
    }
}

static void chart_spikes(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    figure_open(b, "What demand spikes cost");
    if (!sum->has_spikes) {
        rr_buf_puts(b, "<p class=\"note\">This scenario has no demand spikes "
                       "(<code>demand.spikes</code>), so there is no spike premium: every cost "
                       "above comes from ordinary demand.</p>\n");
        figure_close(b, "");
        return;
    }
    int rows = 1 + sum->ncat;
    const double row = 40, h = MT + 8 + rows * row + MB;
    frame f = { 150, VW - MR, MT + 4, h - MB, 0, 1, 0, 1, 1, 1 };
    double lo = 0, hi = 0;
    const int qi[3] = { q->p50, q->p80, q->p95 };
    for (int r = 0; r < rows; r++)
        for (int k = 0; k < 3; k++) {
            double v = (r ? sum->spike_cats[r - 1] : sum->spike_total).q[qi[k]];
            if (isfinite(v))
                lo = fmin(lo, v), hi = fmax(hi, v);
        }
    nice_range(&lo, &hi, &f.xstep, 6);
    f.xmin = lo;
    f.xmax = hi;
    svg_open(b, "spikes", h, "Spike premium over the horizon at P50, P80 and P95");
    x_axis(b, &f, U_MONEY, sum->currency, " over the horizon, with spikes minus without");
    for (int r = 0; r < rows; r++)
        spike_row(b, &f, q, r ? &sum->spike_cats[r - 1] : &sum->spike_total,
                  r ? sum->cat[r - 1]->name : "total", f.y0 + r * row);
    double x = f.x0;
    legend(b, &x, 20, "#6a3d9a", -1, NULL, "P50");
    legend(b, &x, 20, "#9e7cc1", -1, NULL, "P80");
    legend(b, &x, 20, "#cab2d6", -1, NULL, "P95");
    rr_buf_puts(b, "</svg>\n");
    figure_close(b, "The spike premium is what peaks in demand add: on each path, the cost with "
                    "its spikes minus the same path without them. P80 is the premium that four "
                    "paths in five stay below; reserve about that much for peak demand and "
                    "unforeseen scaling.");
}

static void unit_row(rr_buf *b, const frame *f, const qidx *q, const rr_stats *st, double y,
                     const char *label, const char *month)
{
    text_open(b, f->x0 - 10, y + 15, "end", "label");
    rr_buf_puts(b, label);
    if (month)
        rr_buf_html(b, month);
    rr_buf_puts(b, "</text>\n");
    double v[3] = { st->q[q->p5], st->q[q->p50], st->q[q->p95] };
    if (!all_finite(v, 3)) {
        text_open(b, f->x0 + 8, y + 15, "start", "note");
        rr_buf_puts(b, "no requests served</text>\n");
        return;
    }
    char s[40];
    rect(b, px(f, v[0]), y + 4, px(f, v[2]) - px(f, v[0]), 16, "#b9d3ea");
    line(b, px(f, v[1]), y, px(f, v[1]), y + 24, "unit-mark");
    for (int k = 0; k < 3; k++) {
        double x = px(f, v[k]);
        text_open(b, k == 1 ? x : x + (k ? 4 : -4), k == 1 ? y - 5 : y + 16,
                  k == 1 ? "middle" : k ? "start" : "end", k == 1 ? "value" : "tick");
        rr_buf_printf(b, "%s%s</text>\n", k == 1 ? "P50 " : "",
                      rr_fmt_money_short(s, sizeof s, v[k], f->xstep / 100));
    }
}

static void chart_unit(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    const double h = 230;
    frame f = { 190, VW - MR - 50, MT, h - MB, 0, 1, 0, 1, 1, 1 };
    const rr_stats *st[2] = { &sum->unit_horizon, &sum->unit_last };
    double lo = 0, hi = 0;
    for (int r = 0; r < 2; r++)
        if (isfinite(st[r]->q[q->p95]))
            hi = fmax(hi, st[r]->q[q->p95]), lo = fmin(lo, st[r]->q[q->p5]);
    nice_range(&lo, &hi, &f.xstep, 6);
    f.xmin = lo;
    f.xmax = hi;
    figure_open(b, "Unit cost: what 1,000 requests cost");
    svg_open(b, "unit", h, "Cost per 1,000 requests, P5 to P95 with the median");
    x_axis(b, &f, U_MONEY, sum->currency, " per 1,000 requests");
    unit_row(b, &f, q, st[0], f.y0 + 16, "over the horizon", NULL);
    unit_row(b, &f, q, st[1], f.y0 + 76, "in the last month, ", sum->months[sum->horizon - 1]);
    double x = f.x0;
    legend(b, &x, 18, "#b9d3ea", -1, NULL, "P5 to P95");
    legend(b, &x, 18, "#08306b", 0, NULL, "P50");
    rr_buf_puts(b, "</svg>\n");
    figure_close(b, "The cost of serving 1,000 requests (all costs over the requests actually "
                    "served, spikes included). Compare it with what 1,000 handled requests are "
                    "worth to the business; the bar is the range of 90% of the paths.");
}

/* ---- the page around the charts ---- */

/* The stylesheet: a system font stack (nothing to fetch), numbers in tabular figures so that
 * columns line up, and a print layout for A4 that keeps each chart and table row whole. */
static const char *const style[] = {
    ":root{--ink:#1d2733;--muted:#5b6675;--line:#dde2e8;--accent:#08519c;--bg:#eef1f5}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"
    "\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,\"Noto Sans\",\"Liberation Sans\",sans-serif}\n"
    "main{max-width:1000px;margin:24px auto;background:#fff;padding:32px 44px 24px;"
    "border-radius:6px;box-shadow:0 1px 4px rgba(20,30,45,.1)}\n"
    "code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,\"Liberation Mono\","
    "monospace;font-size:.9em}\n"
    ".kicker{text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:var(--muted);"
    "font-weight:600}\n"
    "h1{font-size:28px;line-height:1.2;margin:4px 0 6px}\n"
    ".lede{margin:0 0 14px;color:var(--muted)}\n"
    "dl.meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(125px,1fr));"
    "gap:8px 20px;margin:0;padding:12px 0;border-top:1px solid var(--line);"
    "border-bottom:1px solid var(--line)}\n"
    "dl.meta dt{font-size:11.5px;color:var(--muted);text-transform:uppercase;"
    "letter-spacing:.05em}\n"
    "dl.meta dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}\n"
    "h2{font-size:20px;margin:36px 0 12px;padding-bottom:5px;border-bottom:2px solid var(--ink)}\n"
    "h3{font-size:16px;margin:0 0 6px}\n"
    ".economics{margin-top:26px;padding:18px 22px 8px;background:#f6f8fb;"
    "border:1px solid var(--line);border-left:5px solid var(--accent);border-radius:4px}\n"
    ".economics h2{margin-top:0;border:0;padding:0}\n"
    ".kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-bottom:14px}\n"
    ".kpi{background:#fff;border:1px solid var(--line);border-radius:4px;padding:10px 14px}\n"
    ".kpi-label{font-size:12px;color:var(--muted);font-weight:600}\n"
    ".kpi-value{font-size:24px;font-weight:700;font-variant-numeric:tabular-nums;"
    "line-height:1.3}\n"
    ".kpi-sub{font-size:12.5px;color:var(--muted)}\n"
    ".kpi.alert .kpi-value{color:#b03a2e}\n"
    ".kpi.ok .kpi-value{color:#2e7d4f}\n",
    "table{border-collapse:collapse;width:100%;font-size:13.5px;"
    "font-variant-numeric:tabular-nums;margin:6px 0 18px}\n"
    "th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;"
    "vertical-align:top}\n"
    "th{font-size:12px;color:var(--muted);font-weight:600;border-bottom:1.5px solid #9aa5b1}\n"
    ".n{text-align:right;white-space:nowrap}\n"
    "tr.total td{font-weight:700;border-top:1.5px solid #9aa5b1}\n"
    "td.over{color:#b03a2e;font-weight:600}\n"
    ".swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}\n"
    "p.small,.economics p{font-size:12.5px;color:var(--muted);margin:0 0 12px}\n",
    "figure.fig{margin:26px 0 30px}\n"
    "svg.chart{display:block;width:100%;height:auto}\n"
    "figcaption{font-size:13px;color:var(--muted);margin-top:6px;max-width:80ch}\n"
    /* Chart text classes carry the chart's class too, to outrank the default fill. */
    "svg.chart text{fill:#2f3a48}\n"
    "svg.chart .tick{font-size:12px;fill:#5b6675}\n"
    "svg.chart .axis-title,svg.chart .legend,svg.chart .label{font-size:12.5px}\n"
    "svg.chart .value{font-size:12px;font-weight:600}\n"
    ".note,svg.chart .note{font-size:14px;fill:#5b6675;color:var(--muted)}\n"
    /* A white halo keeps a marker's label readable where it crosses a band or a curve. */
    "svg.chart .budget-label,svg.chart .rec-label{font-size:12.5px;font-weight:600;"
    "paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}\n"
    "svg.chart .budget-label{fill:#c0392b}svg.chart .rec-label{fill:#1d2733}\n"
    ".grid{stroke:#e7eaef}.zero,.axis{stroke:#7a8594}\n"
    ".band-outer{fill:#c6dbef}.band-inner{fill:#8fb8de}\n"
    ".median,.curve{fill:none;stroke:#08519c;stroke-width:2.5;stroke-linejoin:round}\n"
    ".median-dot{fill:#08519c}.area{fill:#dde9f6}\n"
    ".budget{stroke:#c0392b;stroke-width:2;stroke-dasharray:6 4}\n"
    ".budget-dot{fill:#c0392b;stroke:#fff;stroke-width:1.5}\n"
    ".rec{stroke:#1d2733;stroke-width:1.5;stroke-dasharray:2 3}\n"
    ".unit-mark{stroke:#08306b;stroke-width:3}\n"
    /* The comparison page: range bars of a difference, a sweep's lines, its scenario list. */
    ".p50-mark{stroke:#1d2733;stroke-width:3}.zero-line{stroke:#1d2733;stroke-width:1.5}\n"
    "svg.chart .strong{font-weight:700}\n"
    "svg.chart .halo{paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}\n"
    ".series{fill:none;stroke-width:2.5;stroke-linejoin:round}\n"
    "ol.scenarios{list-style:none;padding:0;margin:12px 0 0}ol.scenarios li{margin:2px 0}\n"
    ".letter{display:inline-block;min-width:1.6em;font-weight:700;color:var(--accent)}\n"
    ".file{color:var(--muted);margin-left:8px}\n"
    "p.verdict{margin:0 0 10px}\n"
    "footer{margin-top:28px;padding-top:8px;border-top:1px solid var(--line);font-size:12px;"
    "color:var(--muted)}\n",
    "@media screen and (max-width:760px){main{padding:20px;margin:0}"
    ".kpis{grid-template-columns:1fr 1fr}}\n"
    "@page{size:A4;margin:14mm 12mm 16mm}\n"
    "@media print{body{background:#fff;font-size:10pt}"
    "main{max-width:none;margin:0;padding:0;box-shadow:none;border-radius:0}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".economics,figure.fig,tr,.kpi{break-inside:avoid}h2,h3{break-after:avoid}"
    "h2.new-page{break-before:page}table{font-size:8.5pt}th,td{padding:3px 6px}"
    "figcaption,p.small{font-size:8.5pt}.kpi-value{font-size:16pt}figure.fig{margin:14px 0}}\n",
    NULL,
};

/* The page up to <main>; its title is `title_user` (escaped) followed by `title`. */
static void page_head(rr_buf *b, const char *title_user, const char *title)
{
    rr_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   /* The page fetches nothing; the policy makes that a promise the browser
                    * keeps, should a later edit slip in a link. */
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "style-src 'unsafe-inline'\">\n"
                   "<meta name=\"generator\" content=\"runrate " RR_VERSION "\">\n<title>");
    if (title_user)
        rr_buf_html(b, title_user);
    rr_buf_printf(b, "%s</title>\n<style>\n", title);
    for (const char *const *part = style; *part; part++)
        rr_buf_puts(b, *part);
    rr_buf_puts(b, "</style>\n</head>\n<body>\n<main>\n");
}

static void put_count(rr_buf *b, uint64_t n)
{
    char s[48];
    rr_buf_puts(b, n < 100 ? (snprintf(s, sizeof s, "%llu", (unsigned long long)n), s)
                           : rr_fmt_money(s, sizeof s, (double)n));
}

static void meta_item(rr_buf *b, const char *dt)
{
    rr_buf_printf(b, "<div><dt>%s</dt><dd>", dt);
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
    meta_item(b, "Horizon");
    rr_buf_printf(b, "%d month%s</dd></div>\n", sum->horizon, sum->horizon == 1 ? "" : "s");
    meta_item(b, "Months");
    rr_buf_html(b, first);
    rr_buf_puts(b, " to ");
    rr_buf_html(b, last);
    rr_buf_puts(b, "</dd></div>\n");
    meta_item(b, "Paths");
    put_count(b, sum->paths);
    rr_buf_printf(b, "</dd></div>\n");
    meta_item(b, "Seed");
    rr_buf_printf(b, "%llu</dd></div>\n", (unsigned long long)sum->seed);
    meta_item(b, "Currency");
    rr_buf_html(b, sum->currency);
    rr_buf_puts(b, "</dd></div>\n");
    meta_item(b, "runrate");
    rr_buf_puts(b, RR_VERSION "</dd></div>\n");
    if (!isnan(sum->precision)) {
        meta_item(b, "Precision (P95)");
        rr_buf_printf(b, "target %.2g%%, achieved %.2g%%, %s</dd></div>\n",
                      100 * sum->precision, 100 * fin(sum->precision_achieved),
                      sum->precision_met ? "met" : "not met");
    }
    rr_buf_puts(b, "</dl>\n</header>\n");
}

static void kpi_open(rr_buf *b, const char *cls, const char *label)
{
    rr_buf_printf(b, "<div class=\"kpi%s\"><div class=\"kpi-label\">%s", cls, label);
}

static void kpi_runrate(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    const int H = sum->horizon, from = sum->run_rate_from, peak = sum->peak_month;
    kpi_open(b, "", "Monthly run-rate");
    rr_buf_puts(b, "</div><div class=\"kpi-value\">");
    put_money(b, sum->run_rate.q[q->p50]);
    rr_buf_puts(b, "</div><div class=\"kpi-sub\">median of each path's mean of ");
    rr_buf_html(b, sum->months[from]);
    if (from < H - 1) {
        rr_buf_puts(b, " to ");
        rr_buf_html(b, sum->months[H - 1]);
    }
    rr_buf_puts(b, "; P80 ");
    put_money(b, sum->run_rate.q[q->p80]);
    rr_buf_puts(b, ". Peak month ");
    rr_buf_html(b, sum->months[peak]);
    rr_buf_puts(b, ": P80 ");
    put_money(b, sum->monthly_total[peak].q[q->p80]);
    rr_buf_puts(b, "</div></div>\n");
}

static void kpi_budget(rr_buf *b, const rr_summary *sum)
{
    kpi_open(b, "", "Recommended budget");
    rr_buf_puts(b, "</div><div class=\"kpi-value\">");
    put_money(b, sum->recommended);
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
    put_pct(b, sum->p_exceed);
    rr_buf_puts(b, "</div><div class=\"kpi-sub\">of exceeding the budget of ");
    put_money(b, sum->budget_total);
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
    put_money(b, sum->budget_monthly);
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
    put_pct(b, sum->monthly_p_exceed[worst]);
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
    put_money(b, qi < 0 ? t->mean : t->q[qi]);
    rr_buf_puts(b, "</td><td class=\"n\">");
    if (qi < 0) {
        rr_buf_puts(b, "-");
    } else {
        put_ci_end(b, t->lo[qi]);
        rr_buf_puts(b, " to ");
        put_ci_end(b, t->hi[qi]);
    }
    rr_buf_puts(b, "</td><td class=\"n\">");
    put_money(b, qi < 0 ? last->mean : last->q[qi]);
    rr_buf_puts(b, "</td></tr>\n");
}

static void economics(rr_buf *b, const rr_summary *sum, const qidx *q)
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

static void th_stats(rr_buf *b)
{
    rr_buf_puts(b, "<th class=\"n\">Mean</th><th class=\"n\">P50</th><th class=\"n\">P80</th>"
                   "<th class=\"n\">P95</th>");
}

static void td_stats(rr_buf *b, const rr_stats *st, const qidx *q)
{
    const double v[4] = { st->mean, st->q[q->p50], st->q[q->p80], st->q[q->p95] };
    for (int k = 0; k < 4; k++) {
        rr_buf_puts(b, "<td class=\"n\">");
        put_money(b, v[k]);
        rr_buf_puts(b, "</td>");
    }
}

static void table_categories(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    rr_buf_puts(b, "<h3>By category, over the horizon</h3>\n<table>\n<thead><tr>"
                   "<th>Category</th>");
    th_stats(b);
    rr_buf_puts(b, "<th class=\"n\">Share of mean</th></tr></thead>\n<tbody>\n");
    for (int c = 0; c < sum->ncat; c++) {
        rr_buf_printf(b, "<tr><td><span class=\"swatch\" style=\"background:%s\"></span>",
                      sum->cat[c]->colour);
        rr_buf_html(b, sum->cat[c]->name);
        rr_buf_puts(b, "</td>");
        td_stats(b, &sum->cats[c], q);
        rr_buf_puts(b, "<td class=\"n\">");
        put_pct(b, sum->total.mean > 0 ? sum->cats[c].mean / sum->total.mean : NAN);
        rr_buf_puts(b, "</td></tr>\n");
    }
    rr_buf_puts(b, "<tr class=\"total\"><td>total</td>");
    td_stats(b, &sum->total, q);
    rr_buf_puts(b, "<td class=\"n\">100%</td></tr>\n</tbody>\n</table>\n");
}

static void table_components(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    rr_buf_puts(b, "<h3>By component, over the horizon</h3>\n<table>\n<thead><tr>"
                   "<th>Component</th><th>Category</th>");
    th_stats(b);
    rr_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < sum->ncomp; k++) {
        rr_buf_puts(b, "<tr><td>");
        rr_buf_html(b, sum->comp_names[k]);
        rr_buf_puts(b, "</td><td>");
        rr_buf_html(b, sum->comp_cat[k]->name);
        rr_buf_puts(b, "</td>");
        td_stats(b, &sum->comps[k], q);
        rr_buf_puts(b, "</tr>\n");
    }
    rr_buf_puts(b, "</tbody>\n</table>\n");
}

static void table_months(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    int budget = sum->has_budget_monthly && sum->monthly_p_exceed;
    rr_buf_puts(b, "<h3>Month by month, total</h3>\n<table>\n<thead><tr><th>Month</th>");
    th_stats(b);
    if (budget)
        rr_buf_puts(b, "<th class=\"n\">Chance above the monthly budget</th>");
    rr_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (int m = 0; m < sum->horizon; m++) {
        rr_buf_puts(b, "<tr><td>");
        rr_buf_html(b, sum->months[m]);
        rr_buf_puts(b, "</td>");
        td_stats(b, &sum->monthly_total[m], q);
        if (budget) {
            int over = sum->monthly_total[m].q[q->p80] > sum->budget_monthly;
            rr_buf_printf(b, "<td class=\"n%s\">", over ? " over" : "");
            put_pct(b, sum->monthly_p_exceed[m]);
            rr_buf_puts(b, "</td>");
        }
        rr_buf_puts(b, "</tr>\n");
    }
    rr_buf_puts(b, "</tbody>\n</table>\n");
}

static void table_peaks_units(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    rr_buf_puts(b, "<h3>Spike premium and unit cost</h3>\n<table>\n<thead><tr><th>Figure</th>");
    th_stats(b);
    rr_buf_puts(b, "</tr></thead>\n<tbody>\n");
    if (sum->has_spikes) {
        rr_buf_puts(b, "<tr><td>Spike premium over the horizon</td>");
        td_stats(b, &sum->spike_total, q);
        rr_buf_puts(b, "</tr>\n");
    }
    rr_buf_puts(b, "<tr><td>Cost per 1,000 requests, over the horizon</td>");
    td_stats(b, &sum->unit_horizon, q);
    rr_buf_puts(b, "</tr>\n<tr><td>Cost per 1,000 requests, ");
    rr_buf_html(b, sum->months[sum->horizon - 1]);
    rr_buf_puts(b, "</td>");
    td_stats(b, &sum->unit_last, q);
    rr_buf_puts(b, "</tr>\n</tbody>\n</table>\n");
}

/* The run-rate's three figures, the years with their categories, the quarters, and the
 * periods' budgets. */
static void table_periods(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    const int H = sum->horizon;
    rr_buf_puts(b, "<h3>Run-rate</h3>\n<table>\n<thead><tr><th>Figure</th>");
    th_stats(b);
    rr_buf_puts(b, "</tr></thead>\n<tbody>\n<tr><td>Run-rate: each path's mean of ");
    rr_buf_html(b, sum->months[sum->run_rate_from]);
    rr_buf_puts(b, " to ");
    rr_buf_html(b, sum->months[H - 1]);
    rr_buf_puts(b, "</td>");
    td_stats(b, &sum->run_rate, q);
    rr_buf_puts(b, "</tr>\n<tr><td>The last month, ");
    rr_buf_html(b, sum->months[H - 1]);
    rr_buf_puts(b, "</td>");
    td_stats(b, &sum->monthly_total[H - 1], q);
    rr_buf_puts(b, "</tr>\n<tr><td>The peak month (the highest P80), ");
    rr_buf_html(b, sum->months[sum->peak_month]);
    rr_buf_puts(b, "</td>");
    td_stats(b, &sum->monthly_total[sum->peak_month], q);
    rr_buf_puts(b, "</tr>\n</tbody>\n</table>\n");

    rr_buf_printf(b, "<h3>By %syear and quarter</h3>\n<table>\n<thead><tr><th>Period</th>"
                     "<th>Category</th>", sum->fy_start != 1 ? "fiscal " : "");
    th_stats(b);
    rr_buf_puts(b, "</tr></thead>\n<tbody>\n");
    int partial = 0;
    for (size_t i = 0; i < sum->nyears + sum->nquarters; i++) {
        const rr_summary_period *p = &sum->periods[i];
        partial |= p->partial;
        rr_buf_puts(b, "<tr class=\"total\"><td>");
        rr_buf_html(b, p->label);
        rr_buf_puts(b, p->partial ? " (part)</td><td>total</td>" : "</td><td>total</td>");
        td_stats(b, &p->total, q);
        rr_buf_puts(b, "</tr>\n");
        for (int c = 0; !p->quarter && sum->ncat > 1 && c < sum->ncat; c++) {
            rr_buf_puts(b, "<tr><td></td><td>");
            rr_buf_html(b, sum->cat[c]->name);
            rr_buf_puts(b, "</td>");
            td_stats(b, &p->cats[c], q);
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
        put_money(b, p->budget);
        rr_buf_printf(b, "</td><td class=\"n%s\">", p->p_exceed > 1 - sum->confidence + 1e-9
                                                         ? " over" : "");
        put_pct(b, p->p_exceed);
        rr_buf_puts(b, "</td><td class=\"n\">");
        put_money(b, p->recommended);
        rr_buf_puts(b, "</td></tr>\n");
    }
    if (any)
        rr_buf_puts(b, "</tbody>\n</table>\n");
}

static void tables(rr_buf *b, const rr_summary *sum, const qidx *q)
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
    rr_buf_puts(b, "</tbody>\n</table>\n</section>\n");
}

static void footer(rr_buf *b, const rr_summary *sum)
{
    rr_buf_puts(b, "<footer>Written by runrate " RR_VERSION " from scenario ");
    rr_buf_html(b, sum->scenario);
    rr_buf_puts(b, " with ");
    put_count(b, sum->paths);
    rr_buf_printf(b, " paths and seed %llu: the same scenario file, seed and number of paths "
                     "give the same figures on any machine. Percentiles are read within 0.1%%."
                     "</footer>\n",
                  (unsigned long long)sum->seed);
}

/* The warnings as a box above the figures: a reader sees them before the numbers.  Styled
 * in place, so that a page without warnings is what it always was. */
static void warnings_box(rr_buf *b, const rr_warnings *w)
{
    if (!w->n)
        return;
    rr_buf_printf(b, "<section class=\"warnings\" role=\"alert\" style=\"border:1.5px solid "
                     "#c0392b;background:#fdf1ef;border-radius:6px;padding:10px 16px;"
                     "margin:14px 0\">\n<h2 style=\"margin:0 0 6px;font-size:15px;"
                     "color:#b03a2e\">Warning%s: check before using these figures</h2>\n"
                     "<ul style=\"margin:0;padding-left:18px\">\n", w->n == 1 ? "" : "s");
    for (size_t i = 0; i < w->n; i++) {
        const rr_warning *x = &w->v[i];
        rr_buf_puts(b, "<li>");
        if (x->where) {
            rr_buf_puts(b, "<code>");
            rr_buf_html(b, x->where);
            rr_buf_puts(b, "</code>: ");
        }
        rr_buf_html(b, x->message);
        rr_buf_puts(b, ". <b>Fix:</b> ");
        rr_buf_html(b, x->fix);
        rr_buf_printf(b, ". <span class=\"small\">(%s)</span></li>\n",
                      rr_warning_code_name(x->code));
    }
    rr_buf_puts(b, "</ul>\n</section>\n");
}

rr_status rr_report_html(const rr_summary *sum, rr_buf *b)
{
    qidx q = { rr_summary_qindex(sum, 5),  rr_summary_qindex(sum, 10),
               rr_summary_qindex(sum, 50), rr_summary_qindex(sum, 80),
               rr_summary_qindex(sum, 90), rr_summary_qindex(sum, 95) };
    if (q.p5 < 0 || q.p10 < 0 || q.p50 < 0 || q.p80 < 0 || q.p90 < 0 || q.p95 < 0 ||
        sum->horizon < 1)
        return RR_ERR_INTERNAL;
    page_head(b, sum->scenario, ": run-cost forecast");
    header(b, sum);
    warnings_box(b, &sum->warnings);
    economics(b, sum, &q);
    rr_buf_puts(b, "<section>\n<h2>Forecast</h2>\n");
    chart_fan(b, sum, &q);
    chart_burnup(b, sum, &q);
    chart_exceedance(b, sum);
    chart_stacked(b, sum);
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

static int compare_qindex(const rr_compare *c, double percent)
{
    for (size_t i = 0; i < c->nq; i++)
        if (fabs(c->qp[i] * 100 - percent) < 1e-9)
            return (int)i;
    return -1;
}

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

/* s, escaped, cut to at most `max` characters (UTF-8 aware) with an ellipsis. */
static void put_cut(rr_buf *b, const char *s, size_t max)
{
    size_t chars = 0, i = 0, cut = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars == max)
            cut = i;   /* the start of the max-th character: where an ellipsis would go */
    if (chars <= max || max < 2) {
        rr_buf_html(b, s);
        return;
    }
    char part[256];
    size_t n = cut < sizeof part ? cut : sizeof part - 1;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(part, s, n);
    part[n] = '\0';
    rr_buf_html(b, part);
    rr_buf_puts(b, "\xe2\x80\xa6");
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
    meta_item(b, c->sweep ? "Variants" : "Scenarios");
    rr_buf_printf(b, "%zu</dd></div>\n", c->k);
    meta_item(b, "Paths");
    put_count(b, c->paths);
    rr_buf_puts(b, "</dd></div>\n");
    meta_item(b, "Seed");
    rr_buf_printf(b, "%llu</dd></div>\n", (unsigned long long)c->seed);
    meta_item(b, "Currency");
    rr_buf_html(b, currency_of(c));
    rr_buf_puts(b, "</dd></div>\n");
    meta_item(b, "runrate");
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

static void compare_totals(rr_buf *b, const rr_compare *c, const qidx *q)
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
    th_stats(b);
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
        td_stats(b, &x->total, q);
        if (budgets && x->has_budget) {
            int over = isfinite(x->p_exceed) && x->p_exceed > 1 - x->confidence + 1e-9;
            rr_buf_puts(b, "<td class=\"n\">");
            put_money(b, x->budget_total);
            rr_buf_printf(b, "</td><td class=\"n%s\">", over ? " over" : "");
            put_pct(b, x->p_exceed);
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
/* The widths of a character of a chart's tick (12px) and bold value labels (12px, 600),
 * taken wide, so that a label estimated clear of a line is clear of it in a browser. */
#define TICK_CHAR 7.8
#define VALUE_CHAR 8.6

/* A label at x (anchored start, middle or end) that the zero line at zx must not cross:
 * where its estimated extent would straddle zx, it moves to the side of zx its anchor is on,
 * 4 units clear. */
static void off_zero(rr_buf *b, double zx, double x, double y, const char *anchor,
                     const char *cls, const char *text, double per_char)
{
    double w = per_char * (double)strlen(text);
    double left = strcmp(anchor, "start") == 0 ? x : strcmp(anchor, "end") == 0 ? x - w : x - w / 2;
    if (left < zx + 2 && left + w > zx - 2) {
        int after = strcmp(anchor, "start") == 0 ||
                    (strcmp(anchor, "middle") == 0 && x >= zx);
        x = after ? zx + 4 : zx - 4;
        anchor = after ? "start" : "end";
    }
    text_open(b, x, y, anchor, cls);
    rr_buf_html(b, text);
    rr_buf_puts(b, "</text>\n");
}

static void range_row(rr_buf *b, const frame *f, const qidx *q, const rr_stats *st,
                      const char *label, const char *colour, int strong, double y)
{
    text_open(b, f->x0 - 10, y + 27, "end", strong ? "label strong" : "label");
    rr_buf_html(b, label);
    rr_buf_puts(b, "</text>\n");
    double v[3] = { st->q[q->p5], st->q[q->p50], st->q[q->p95] };
    if (!all_finite(v, 3)) {
        text_open(b, f->x0 + 8, y + 27, "start", "note");
        rr_buf_puts(b, "no statistics</text>\n");
        return;
    }
    double zx = px(f, 0);
    if (st->mean == 0 && st->sd == 0 && v[0] == 0 && v[2] == 0) {
        line(b, zx, y + 12, zx, y + 32, "p50-mark");
        text_open(b, zx + 8, y + 27, "start", "note halo");
        rr_buf_puts(b, "no difference on any path</text>\n");
        return;
    }
    double a = px(f, v[0]), m = px(f, v[1]), e = px(f, v[2]), x = a, w = e - a;
    if (w < 2)
        x -= (2 - w) / 2, w = 2;
    rect_open(b, x, y + 14, w, 16, colour);
    rr_buf_puts(b, " fill-opacity=\"0.85\"><title>");
    rr_buf_html(b, label);
    rr_buf_puts(b, ": P5 ");
    put_money(b, v[0]);
    rr_buf_puts(b, ", P50 ");
    put_money(b, v[1]);
    rr_buf_puts(b, ", P95 ");
    put_money(b, v[2]);
    rr_buf_puts(b, "</title></rect>\n");
    line(b, m, y + 10, m, y + 34, "p50-mark");
    char s[32], t[40];
    double step = f->xstep / 100;
    snprintf(t, sizeof t, "P50 %s", rr_fmt_money_short(s, sizeof s, v[1], step));
    off_zero(b, zx, m, y + 6, "middle", "value halo", t, VALUE_CHAR);
    if (e - a < 1)
        return;
    off_zero(b, zx, a - 4, y + 27, "end", "tick halo",
             rr_fmt_money_short(s, sizeof s, v[0], step), TICK_CHAR);
    off_zero(b, zx, e + 4, y + 27, "start", "tick halo",
             rr_fmt_money_short(s, sizeof s, v[2], step), TICK_CHAR);
}

/* Widen [lo, hi] to hold the finite P5..P95 of a statistic. */
static void range_of(const rr_stats *st, const qidx *q, double *lo, double *hi)
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

static void chart_diff(rr_buf *b, const rr_compare *c, size_t i, const qidx *q)
{
    const rr_compare_diff *d = &c->diff[i];
    int rows = 1 + d->ncat;
    const double row = 46, h = MT + 26 + rows * row + MB;
    frame f = { 170, VW - MR - 20, MT + 24, h - MB, 0, 1, 0, 1, 1, 1 };
    double lo = 0, hi = 0;
    range_of(&d->total, q, &lo, &hi);
    for (int j = 0; j < d->ncat; j++)
        range_of(&d->cats[j], q, &lo, &hi);
    /* Room on both sides for the labels at the bars' ends, and for zero to show as such. */
    double pad = (hi - lo) * 0.1;
    lo -= pad;
    hi += pad;
    nice_range(&lo, &hi, &f.xstep, 6);
    f.xmin = lo;
    f.xmax = hi;

    char id[32];
    snprintf(id, sizeof id, "diff-%zu", i + 1);
    rr_buf t = { 0 };
    diff_title(&t, c, i, 1);
    rr_buf_puts(&t, ", per path: P5 to P95 with the median");
    svg_open(b, id, h, t.failed || !t.p ? "" : t.p);
    if (t.failed)
        b->failed = 1;
    rr_buf_free(&t);
    x_axis(b, &f, U_MONEY, currency_of(c), " over the horizon, difference per path");
    double zx = px(&f, 0);
    char bl[2] = { c->sweep ? '\0' : letter(i + 1), '\0' };
    text_open(b, zx - 8, f.y0 - 8, "end", "legend");
    rr_buf_printf(b, "\xe2\x86\x90 %s%scheaper</text>\n", bl, *bl ? " " : "");
    text_open(b, zx + 8, f.y0 - 8, "start", "legend");
    rr_buf_printf(b, "%s%scostlier \xe2\x86\x92</text>\n", bl, *bl ? " " : "");
    line(b, zx, f.y0 - 4, zx, f.y1, "zero-line");
    range_row(b, &f, q, &d->total, "total", DIFF_TOTAL_COLOUR, 1, f.y0);
    for (int j = 0; j < d->ncat; j++)
        range_row(b, &f, q, &d->cats[j], d->cat[j]->name, d->cat[j]->colour, 0,
                  f.y0 + (j + 1) * row);
    double x = f.x0;
    legend(b, &x, 20, DIFF_TOTAL_COLOUR, -1, NULL, "P5 to P95 of the per-path difference");
    legend(b, &x, 20, "#1d2733", 0, NULL, "P50 (median)");
    rr_buf_puts(b, "</svg>\n");
}

static void compare_diff(rr_buf *b, const rr_compare *c, size_t i, const qidx *q)
{
    const rr_compare_diff *d = &c->diff[i];
    rr_buf_puts(b, "<section>\n<h2>");
    diff_title(b, c, i, 1);
    rr_buf_puts(b, "</h2>\n<p class=\"verdict\">On each path, ");
    diff_title(b, c, i, 0);
    rr_buf_puts(b, " is <strong>");
    put_money(b, d->total.q[q->p50]);
    rr_buf_puts(b, "</strong> at the median (95% interval of the estimate: ");
    put_ci_end(b, d->total.lo[q->p50]);
    rr_buf_puts(b, " to ");
    put_ci_end(b, d->total.hi[q->p50]);
    rr_buf_puts(b, ") and <strong>");
    put_money(b, d->total.mean);
    rr_buf_puts(b, "</strong> on average; ");
    put_side(b, c, i + 1);
    rr_buf_puts(b, " costs more on <strong>");
    put_pct(b, d->p_b_costlier);
    rr_buf_puts(b, "</strong> of paths.</p>\n<table>\n<thead><tr><th>Category</th>");
    th_stats(b);
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
        td_stats(b, &d->cats[j], q);
        rr_buf_puts(b, "<td class=\"n\"></td></tr>\n");
    }
    rr_buf_puts(b, "<tr class=\"total\"><td>total</td>");
    td_stats(b, &d->total, q);
    rr_buf_puts(b, "<td class=\"n\">");
    put_pct(b, d->p_b_costlier);
    rr_buf_puts(b, "</td></tr>\n</tbody>\n</table>\n");
    figure_open(b, "The range of the difference, per path");
    chart_diff(b, c, i, q);
    figure_close(b, c->sweep
                        ? "For the total and each category: the bar spans the middle 90% of "
                          "the per-path differences (P5 to P95), the dark mark is the median. "
                          "Left of the zero line this value is cheaper than the first, right "
                          "of it costlier. A category that differs by exactly 0 on every path "
                          "is said so."
                        : "For the total and each category: the bar spans the middle 90% of "
                          "the per-path differences (P5 to P95), the dark mark is the median. "
                          "Left of the zero line the later scenario is cheaper than A, right "
                          "of it costlier. A category that differs by exactly 0 on every path "
                          "is said so.");
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
    put_cut(b, l->values[i], l->max);
    if (strlen(l->values[i]) > l->max) {
        rr_buf_puts(b, "<title>");
        rr_buf_html(b, l->values[i]);
        rr_buf_puts(b, "</title>");
    }
}

/* One percentile's line through the values, broken where a value has no statistic, with a
 * dot at each value. */
static void sweep_series(rr_buf *b, const frame *f, const rr_compare *c, int qi,
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
        rr_buf_printf(b, "%.1f,%.1f ", month_x(f, n, i), py(f, v));
    }
    if (open)
        rr_buf_puts(b, "\"/>\n");
    for (int i = 0; i < n; i++) {
        double v = c->sc[i].total.q[qi];
        if (!isfinite(v))
            continue;
        rr_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>",
                      month_x(f, n, i), py(f, v), colour);
        rr_buf_html(b, c->values[i]);
        rr_buf_printf(b, ": %s ", name);
        put_money(b, v);
        rr_buf_puts(b, "</title></circle>\n");
    }
}

static void chart_sweep(rr_buf *b, const rr_compare *c, const qidx *q)
{
    const double h = 370;
    frame f = { ML, VW - MR, MT, h - MB - 6, 0, 1, 0, 1, 1, 1 };
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
    nice_range(&lo, &hi, &f.ystep, 5);
    f.ymin = lo;
    f.ymax = hi;
    figure_open(b, "The total over the horizon against the value");
    svg_open(b, "sweep", h, "P50, P80 and P95 of the horizon total for each value");
    y_axis(b, &f, U_MONEY, currency_of(c), " over the horizon");
    if (budget) {
        /* The label goes at the end where the lines pass farther from the budget. */
        double y = py(&f, c->sc[0].budget_total), gap[2] = { INFINITY, INFINITY };
        for (int k = 0; k < 3; k++)
            for (int e = 0; e < 2; e++) {
                double v = c->sc[e ? c->k - 1 : 0].total.q[qi[k]];
                if (isfinite(v))
                    gap[e] = fmin(gap[e], fabs(py(&f, v) - (y - 10)));
            }
        int right = gap[1] >= gap[0];
        line(b, f.x0, y, f.x1, y, "budget");
        text_open(b, right ? f.x1 - 4 : f.x0 + 4, y - 6, right ? "end" : "start",
                  "budget-label");
        rr_buf_puts(b, "budget ");
        put_money(b, c->sc[0].budget_total);
        rr_buf_puts(b, "</text>\n");
    }
    for (int k = 2; k >= 0; k--)
        sweep_series(b, &f, c, qi[k], colour[k], k == 2, name[k]);
    int every = ((int)c->k + 11) / 12;
    double slot = (f.x1 - f.x0) / (double)c->k * every;
    sweep_labels l = { c->values, slot / 7.5 > 4 ? (size_t)(slot / 7.5) : 4 };
    x_axis_slots(b, &f, (int)c->k, value_label, &l);
    text_open(b, (f.x0 + f.x1) / 2, f.y1 + 42, "middle", "axis-title");
    rr_buf_puts(b, "value of ");
    rr_buf_html(b, c->sweep);
    rr_buf_puts(b, "</text>\n");
    double x = ML;
    for (int k = 0; k < 3; k++)
        legend(b, &x, 20, colour[k], k == 2, NULL, name[k]);
    rr_buf_puts(b, "</svg>\n");
    figure_close(b, "Each value's total over the horizon: the median (P50), and P80 and P95, "
                    "the totals that four paths in five and nineteen in twenty stay below. The "
                    "values are spaced evenly in the order given, whatever they are; where the "
                    "lines rise steeply the forecast is sensitive to the input.");
}

static void compare_footer(rr_buf *b, const rr_compare *c)
{
    rr_buf_printf(b, "<footer>Written by runrate " RR_VERSION " from %zu %s with ", c->k,
                  c->sweep ? "variants of one scenario" : "scenarios");
    put_count(b, c->paths);
    rr_buf_printf(b, " paths and seed %llu: the same files, seed and number of paths give the "
                     "same figures on any machine. Percentiles are read within 0.1%%.</footer>\n",
                  (unsigned long long)c->seed);
}

rr_status rr_report_compare_html(const rr_compare *c, rr_buf *b)
{
    qidx q = { compare_qindex(c, 5),  compare_qindex(c, 10), compare_qindex(c, 50),
               compare_qindex(c, 80), compare_qindex(c, 90), compare_qindex(c, 95) };
    if (q.p5 < 0 || q.p10 < 0 || q.p50 < 0 || q.p80 < 0 || q.p90 < 0 || q.p95 < 0 ||
        c->k < 1 || (c->sweep && !c->values))
        return RR_ERR_INTERNAL;
    if (c->sweep) {
        page_head(b, c->sweep, ": what-if");
    } else if (c->k == 2) {
        /* page_head escapes it. */
        rr_buf t = { 0 };
        rr_buf_printf(&t, "%s against %s", c->sc[0].name, c->sc[1].name);
        if (t.failed)
            b->failed = 1;
        page_head(b, t.failed || !t.p ? "" : t.p, ": run-cost comparison");
        rr_buf_free(&t);
    } else {
        page_head(b, NULL, "Run-cost comparison");
    }
    compare_header(b, c);
    warnings_box(b, &c->warnings);
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
