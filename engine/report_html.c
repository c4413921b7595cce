/* report_html: the handover report, one self-contained HTML page with inline SVG charts.
 *
 * A budget owner opens it in a browser and files it, often printed and read again long after
 * the run, maybe offline: so nothing is fetched (no script, font or image), every chart is an
 * SVG written here from the summary alone, and a print stylesheet lays the page out on A4.
 * Names come from the user's scenario file and are escaped wherever they appear.  A missing
 * statistic (NaN: a unit cost when no request was served) leaves its mark out rather than
 * reaching a coordinate, where a browser would drop the whole shape.  Coordinates carry one
 * decimal: finer than a printed dot, and the file stays small.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_util.h"

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

static int all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* One colour per category name, fixed so that every report of every scenario agrees. */
static const char *cat_colour(const char *name)
{
    static const struct { const char *name, *colour; } map[] = {
        { "compute", "#4e79a7" },  { "managed_ai", "#f28e2b" }, { "mlops", "#59a14f" },
        { "storage", "#b07aa1" },  { "oversight", "#e15759" },
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(map[i].name, name) == 0)
            return map[i].colour;
    return "#9c9c9c";
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

static void rect(rr_buf *b, double x, double y, double w, double h, const char *fill)
{
    if (w < 0) {
        x += w;
        w = -w;
    }
    rr_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>",
                  fin(x), fin(y), fin(w), fin(h), fill);
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

/* The centre of month m's slot; a one-month horizon gets two points a slot apart so that
 * its bands keep a width. */
static double month_x(const frame *f, int horizon, int m)
{
    return f->x0 + (m + 0.5) * (f->x1 - f->x0) / horizon;
}

/* Month labels below the plot, thinned to about twelve so that they never collide. */
static void x_axis_months(rr_buf *b, const frame *f, const rr_summary *sum)
{
    int every = (sum->horizon + 11) / 12;
    line(b, f->x0, f->y1, f->x1, f->y1, "axis");
    for (int m = 0; m < sum->horizon; m++) {
        double x = month_x(f, sum->horizon, m);
        line(b, x, f->y1, x, f->y1 + (m % every ? 3 : 6), "axis");
        if (m % every)
            continue;
        text_open(b, x, f->y1 + 20, "middle", "tick");
        rr_buf_html(b, sum->months[m]);
        rr_buf_puts(b, "</text>\n");
    }
}

/* A label beside a vertical marker: to its right in the left half of the plot, to its left
 * in the right half, so that it stays inside the chart. */
static void marker_label(rr_buf *b, const frame *f, double x, double y, const char *cls)
{
    int right = x < (f->x0 + f->x1) / 2;
    text_open(b, x + (right ? 6 : -6), y, right ? "start" : "end", cls);
}

/* ---- the charts ---- */

static int fan_data_ok(const rr_summary *sum, const qidx *q)
{
    for (int m = 0; m < sum->horizon; m++) {
        const double *v = sum->monthly_total[m].q;
        double w[5] = { v[q->p5], v[q->p10], v[q->p50], v[q->p90], v[q->p95] };
        if (!all_finite(w, 5))
            return 0;
    }
    return 1;
}

/* The edge of a band through the months at percentile index `qi`, forwards or backwards;
 * a one-month horizon is drawn as a short flat segment across its slot. */
static void fan_edge(rr_buf *b, const frame *f, const rr_summary *sum, int qi, int backwards)
{
    int H = sum->horizon, n = H > 1 ? H : 2;
    double slot = (f->x1 - f->x0) / H;
    for (int k = 0; k < n; k++) {
        int i = backwards ? n - 1 - k : k, m = H > 1 ? i : 0;
        double x = H > 1 ? month_x(f, H, m) : f->x0 + slot * (i ? 0.8 : 0.2);
        rr_buf_printf(b, "%.1f,%.1f ", fin(x), py(f, sum->monthly_total[m].q[qi]));
    }
}

static void fan_band(rr_buf *b, const frame *f, const rr_summary *sum, int lo, int hi,
                     const char *cls)
{
    rr_buf_printf(b, "<polygon class=\"%s\" points=\"", cls);
    fan_edge(b, f, sum, hi, 0);
    fan_edge(b, f, sum, lo, 1);
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
    if (!fan_data_ok(sum, q)) {
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
        fan_band(b, &f, sum, q->p5, q->p95, "band-outer");
        fan_band(b, &f, sum, q->p10, q->p90, "band-inner");
        rr_buf_puts(b, "<polyline class=\"median\" points=\"");
        fan_edge(b, &f, sum, q->p50, 0);
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

/* A vertical marker across the exceedance plot with its label at height `ly`. */
static void exceed_marker(rr_buf *b, const frame *f, double x, double ly, const char *cls,
                          const char *what, double value)
{
    double X = px(f, x);
    line(b, X, f->y0, X, f->y1, cls);
    marker_label(b, f, X, ly, strcmp(cls, "budget") == 0 ? "budget-label" : "rec-label");
    rr_buf_printf(b, "%s ", what);
    put_money(b, value);
}

static void chart_exceedance(rr_buf *b, const rr_summary *sum)
{
    const double h = 340;
    frame f = { ML, VW - MR, MT - 16, h - MB, 0, 1, 0, 1, 1, 0.2 };
    figure_open(b, "Horizon total: how likely is each amount to be exceeded?");
    svg_open(b, "exceedance", h, "Exceedance curve of the total cost over the horizon");
    int budget = sum->has_budget && isfinite(sum->budget_total);
    if (!all_finite(sum->curve, RR_CURVE_POINTS - 1)) {
        no_data(b, &f, "No statistics of the total to draw.");
        rr_buf_puts(b, "</svg>\n");
        figure_close(b, "");
        return;
    }
    double lo = sum->curve[0], hi = sum->curve[RR_CURVE_POINTS - 2];
    if (budget)
        hi = fmax(hi, sum->budget_total), lo = fmin(lo, sum->budget_total);
    if (isfinite(sum->recommended))
        hi = fmax(hi, sum->recommended);
    hi += (hi - lo) * 0.03;
    nice_range(&lo, &hi, &f.xstep, 7);
    f.xmin = lo;
    f.xmax = hi;
    y_axis(b, &f, U_SHARE, NULL, "chance the total is higher");
    /* The tail beyond the axis (the largest path) is left out rather than squeezing the
     * whole curve into a corner; the curve is increasing in cost, so it is cut once. */
    rr_buf_puts(b, "<polygon class=\"area\" points=\"");
    int last = 0;
    for (int i = 0; i < RR_CURVE_POINTS && sum->curve[i] <= f.xmax; i++) {
        rr_buf_printf(b, "%.1f,%.1f ", px(&f, sum->curve[i]), py(&f, 1 - i / 100.0));
        last = i;
    }
    rr_buf_printf(b, "%.1f,%.1f %.1f,%.1f\"/>\n", px(&f, sum->curve[last]), f.y1,
                  px(&f, sum->curve[0]), f.y1);
    rr_buf_puts(b, "<polyline class=\"curve\" points=\"");
    for (int i = 0; i <= last; i++)
        rr_buf_printf(b, "%.1f,%.1f ", px(&f, sum->curve[i]), py(&f, 1 - i / 100.0));
    rr_buf_puts(b, "\"/>\n");
    if (isfinite(sum->recommended)) {
        char what[64];
        snprintf(what, sizeof what, "recommended (P%g)", 100 * sum->confidence);
        exceed_marker(b, &f, sum->recommended, f.y0 + 44, "rec", what, sum->recommended);
        rr_buf_puts(b, "</text>\n");
    }
    if (budget) {
        exceed_marker(b, &f, sum->budget_total, f.y0 + 14, "budget", "budget",
                      sum->budget_total);
        rr_buf_puts(b, ": ");
        put_pct(b, sum->p_exceed);
        rr_buf_puts(b, " chance of overrun</text>\n");
        if (isfinite(sum->p_exceed))
            rr_buf_printf(b, "<circle class=\"budget-dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\"/>\n",
                          px(&f, sum->budget_total), py(&f, sum->p_exceed));
    }
    x_axis(b, &f, U_MONEY, sum->currency, " over the horizon");
    rr_buf_puts(b, "</svg>\n");
    figure_close(b, "Read a cost on the horizontal axis and go up to the curve: its height is the "
                    "chance that the total over the horizon ends above that cost. A budget set "
                    "where the curve is near zero is safe; where it crosses the budget line, "
                    "that is the chance of overrun.");
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
            rect(b, x, y, bw, py(f, base) - y, cat_colour(sum->cat_names[c]));
            b->len -= 2;    /* reopen the element for its tooltip */
            b->p[b->len] = '\0';
            rr_buf_puts(b, "><title>");
            rr_buf_html(b, sum->months[m]);
            rr_buf_printf(b, " %s: ", sum->cat_names[c]);
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
        legend(b, &x, 20, cat_colour(sum->cat_names[c]), -1, sum->cat_names[c], "");
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
    rr_buf_puts(b, "\n");
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
static void spike_row(rr_buf *b, const frame *f, const rr_summary *sum, const qidx *q,
                      const rr_stats *st, const char *label, double y)
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
        rect(b, px(f, 0), y + 3 + 10 * k, px(f, v) - px(f, 0), 9, shade[k]);
        b->len -= 2;
        b->p[b->len] = '\0';
        rr_buf_printf(b, "><title>%s P%s: ", label, k == 0 ? "50" : k == 1 ? "80" : "95");
        put_money(b, v);
        rr_buf_puts(b, "</title></rect>\n");
    }
    (void)sum;
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
        spike_row(b, &f, sum, q, r ? &sum->spike_cats[r - 1] : &sum->spike_total,
                  r ? sum->cat_names[r - 1] : "total", f.y0 + r * row);
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
    rr_buf_puts(b, "\n");
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
