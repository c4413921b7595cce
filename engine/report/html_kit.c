/* html_kit: the shared look of the HTML pages and the SVG pieces of their charts
 * (html_kit.h).
 *
 * Coordinates carry one or two decimals: finer than a printed dot, and the file stays
 * small.  The page fetches nothing (no script, font or image): the stylesheet is inline and
 * uses the system's fonts, and a print layout lays it out on A4.
 */
#include "report/html_kit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "version.h"
#include "report/report_util.h"

/* ---- numbers and scales ---- */

/* The last guard before a coordinate: callers skip missing data, this keeps a slip from
 * turning into "nan" in the file. */
double rr_html_fin(double v)
{
    return isfinite(v) ? v : 0.0;
}

double rr_html_px(const rr_html_frame *f, double v)
{
    return rr_html_fin(f->x0 + (v - f->xmin) / (f->xmax - f->xmin) * (f->x1 - f->x0));
}

double rr_html_py(const rr_html_frame *f, double v)
{
    return rr_html_fin(f->y1 - (v - f->ymin) / (f->ymax - f->ymin) * (f->y1 - f->y0));
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
void rr_html_nice_range(double *lo, double *hi, double *step, int ticks)
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

/* An input's own number at a tick: as money's short form from 1 up (1.5k, 2.5), else with
 * the decimals the step needs (0.0005), which money's three would round to 0. */
static void number_text(char *s, size_t size, double v, double step)
{
    if (step >= 1 || fabs(v) >= 1e4) {
        rr_fmt_money_short(s, size, v, step);
        return;
    }
    int dec = 0;
    while (dec < 12 && fabs(step * pow(10, dec) - round(step * pow(10, dec))) > 1e-6)
        dec++;
    snprintf(s, size, "%.*f", dec, fabs(v) < step * 1e-6 ? 0.0 : v);
}

static void tick_text(char *s, size_t size, double v, double step, rr_html_unit u)
{
    if (u == RR_HTML_MONEY) {
        rr_fmt_money_short(s, size, v, step);
        return;
    }
    if (u == RR_HTML_NUMBER) {
        number_text(s, size, v, step);
        return;
    }
    int dec = step * 100 >= 1 ? 0 : 1;
    snprintf(s, size, "%.*f%%", dec, fabs(v) < 1e-12 ? 0.0 : 100 * v);
}

void rr_html_pct(rr_buf *b, double p)
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

void rr_html_money(rr_buf *b, double x)
{
    char s[48];
    rr_buf_puts(b, rr_fmt_money(s, sizeof s, x));
}

/* An end of a confidence interval: money, or "< min" / "> max" where it is unbounded. */
void rr_html_ci_end(rr_buf *b, double x)
{
    char s[48];
    rr_buf_html(b, rr_fmt_ci_end(s, sizeof s, x));
}

int rr_html_all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* ---- SVG building blocks ---- */

void rr_html_svg_open(rr_buf *b, const char *id, double h, const char *title)
{
    rr_buf_printf(b,
                  "<svg class=\"chart\" id=\"%s\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                  "aria-labelledby=\"%s-t\" xmlns=\"http://www.w3.org/2000/svg\">\n"
                  "<title id=\"%s-t\">%s</title>\n",
                  id, RR_HTML_VW, h, id, id, title);
}

void rr_html_figure_open(rr_buf *b, const char *title)
{
    rr_buf_printf(b, "<figure class=\"fig\">\n<h3>%s</h3>\n", title);
}

void rr_html_figure_close(rr_buf *b, const char *caption)
{
    rr_buf_printf(b, "<figcaption>%s</figcaption>\n</figure>\n", caption);
}

/* Text at (x, y); `anchor` is start, middle or end, `cls` a class of the stylesheet. */
void rr_html_text(rr_buf *b, double x, double y, const char *anchor, const char *cls)
{
    rr_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", rr_html_fin(x),
                  rr_html_fin(y), anchor, cls);
}

void rr_html_line(rr_buf *b, double x1, double y1, double x2, double y2, const char *cls)
{
    rr_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"%s\"/>\n",
                  rr_html_fin(x1), rr_html_fin(y1), rr_html_fin(x2), rr_html_fin(y2), cls);
}

/* A rectangle left open for a tooltip or closed by rr_html_rect(); a negative width is drawn
 * leftwards from x (a negative spike premium). */
void rr_html_rect_open(rr_buf *b, double x, double y, double w, double h, const char *fill)
{
    if (w < 0) {
        x += w;
        w = -w;
    }
    rr_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"",
                  rr_html_fin(x), rr_html_fin(y), rr_html_fin(w), rr_html_fin(h), fill);
}

void rr_html_rect(rr_buf *b, double x, double y, double w, double h, const char *fill)
{
    rr_html_rect_open(b, x, y, w, h, fill);
    rr_buf_puts(b, "/>\n");
}

/* A message drawn where a chart has nothing to show, so the figure still says why. */
void rr_html_no_data(rr_buf *b, const rr_html_frame *f, const char *msg)
{
    rr_html_text(b, (f->x0 + f->x1) / 2, (f->y0 + f->y1) / 2, "middle", "note");
    rr_buf_printf(b, "%s</text>\n", msg);
}

/* A legend entry at (*x, y): a swatch (a filled box, or a line when `dashed` >= 0) and a
 * label; *x moves past it.  The width of the label is estimated, which is good enough for
 * short labels in a system sans-serif. */
void rr_html_legend(rr_buf *b, double *x, double y, const char *colour, int dashed,
                    const char *label_user, const char *label)
{
    if (dashed < 0)
        rr_html_rect(b, *x, y - 9, 14, 10, colour);
    else
        rr_buf_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                      "stroke-width=\"2.5\"%s/>",
                      *x, y - 4, *x + 18, y - 4, colour,
                      dashed ? " stroke-dasharray=\"6 4\"" : "");
    rr_html_text(b, *x + 22, y, "start", "legend");
    if (label_user)
        rr_buf_html(b, label_user);
    rr_buf_printf(b, "%s</text>\n", label);
    *x += 22 + 7.0 * (double)((label_user ? strlen(label_user) : 0) + strlen(label)) + 22;
}

/* The y axis: gridlines at every tick, labels at the left, the title turned upright. */
void rr_html_y_axis(rr_buf *b, const rr_html_frame *f, rr_html_unit u, const char *title_user,
                    const char *title)
{
    int n = nticks(f->ymin, f->ymax, f->ystep);
    for (int k = 0; k <= n; k++) {
        double v = f->ymin + k * f->ystep, y = rr_html_py(f, v);
        char s[40];
        tick_text(s, sizeof s, v, f->ystep, u);
        rr_html_line(b, f->x0, y, f->x1, y, fabs(v) < f->ystep * 1e-6 ? "zero" : "grid");
        rr_html_text(b, f->x0 - 8, y + 4, "end", "tick");
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
void rr_html_x_axis(rr_buf *b, const rr_html_frame *f, rr_html_unit u, const char *title_user,
                    const char *title)
{
    int n = nticks(f->xmin, f->xmax, f->xstep);
    for (int k = 0; k <= n; k++) {
        double v = f->xmin + k * f->xstep, x = rr_html_px(f, v);
        char s[40];
        tick_text(s, sizeof s, v, f->xstep, u);
        rr_html_line(b, x, f->y0, x, f->y1, fabs(v) < f->xstep * 1e-6 ? "zero" : "grid");
        rr_html_text(b, x, f->y1 + 18, "middle", "tick");
        rr_buf_printf(b, "%s</text>\n", s);
    }
    rr_html_line(b, f->x0, f->y1, f->x1, f->y1, "axis");
    rr_html_text(b, (f->x0 + f->x1) / 2, f->y1 + 40, "middle", "axis-title");
    if (title_user)
        rr_buf_html(b, title_user);
    rr_buf_printf(b, "%s</text>\n", title);
}

/* The centre of slot m: a month of the horizon, or a value of a sweep, as bars need. */
double rr_html_slot_x(const rr_html_frame *f, int n, int m)
{
    return f->x0 + (m + 0.5) * (f->x1 - f->x0) / n;
}

/* Labels below n equal slots, thinned to about twelve so that they never collide, counted
 * back from the last slot: the run-rate month (or a sweep's last value) always has its
 * label.  `label` writes slot i's text, escaped. */
void rr_html_x_axis_slots(rr_buf *b, const rr_html_frame *f, int n, rr_html_slot_label_fn label,
                          const void *ctx)
{
    int every = (n + 11) / 12;
    rr_html_line(b, f->x0, f->y1, f->x1, f->y1, "axis");
    for (int m = 0; m < n; m++) {
        double x = rr_html_slot_x(f, n, m);
        int labelled = (n - 1 - m) % every == 0;
        rr_html_line(b, x, f->y1, x, f->y1 + (labelled ? 6 : 3), "axis");
        if (!labelled)
            continue;
        rr_html_text(b, x, f->y1 + 20, "middle", "tick");
        label(b, ctx, m);
        rr_buf_puts(b, "</text>\n");
    }
}

/* A label beside a vertical marker: to its right in the left half of the plot, to its left
 * in the right half, so that it stays inside the chart. */
void rr_html_marker_label(rr_buf *b, double x, double y, int right, const char *cls)
{
    rr_html_text(b, x + (right ? 6 : -6), y, right ? "start" : "end", cls);
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
void rr_html_page_head(rr_buf *b, const char *title_user, const char *title)
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

void rr_html_count(rr_buf *b, uint64_t n)
{
    char s[48];
    rr_buf_puts(b, n < 100 ? (snprintf(s, sizeof s, "%llu", (unsigned long long)n), s)
                           : rr_fmt_money(s, sizeof s, (double)n));
}

void rr_html_meta_item(rr_buf *b, const char *dt)
{
    rr_buf_printf(b, "<div><dt>%s</dt><dd>", dt);
}

void rr_html_th_stats(rr_buf *b)
{
    rr_buf_puts(b, "<th class=\"n\">Mean</th><th class=\"n\">P50</th><th class=\"n\">P80</th>"
                   "<th class=\"n\">P95</th>");
}

void rr_html_td_stats(rr_buf *b, const rr_stats *st, const rr_report_q *q)
{
    const double v[4] = { st->mean, st->q[q->p50], st->q[q->p80], st->q[q->p95] };
    for (int k = 0; k < 4; k++) {
        rr_buf_puts(b, "<td class=\"n\">");
        rr_html_money(b, v[k]);
        rr_buf_puts(b, "</td>");
    }
}

/* The warnings as a box above the figures: a reader sees them before the numbers.  Styled
 * in place, so that a page without warnings is what it always was. */
void rr_html_warnings(rr_buf *b, const rr_warnings *w)
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

/* s, escaped, cut to at most `max` characters (UTF-8 aware) with an ellipsis. */
void rr_html_cut(rr_buf *b, const char *s, size_t max)
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


/* A label at x (anchored start, middle or end) that the zero line at zx must not cross:
 * where its estimated extent would straddle zx, it moves to the side of zx its anchor is on,
 * 4 units clear. */
void rr_html_off_zero(rr_buf *b, double zx, double x, double y, const char *anchor,
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
    rr_html_text(b, x, y, anchor, cls);
    rr_buf_html(b, text);
    rr_buf_puts(b, "</text>\n");
}
