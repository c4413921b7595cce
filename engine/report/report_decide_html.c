/* report_decide_html: a grid and a break-even as self-contained pages in the handover
 * report's look (html_kit.h): nothing fetched, printable on A4, every name escaped.
 *
 * A grid of one axis draws each series' P50 against the value with its P5-P95 band; a grid
 * of two draws each series' P50 as a heat map, on a sequential scale for a total and on a
 * diverging one centred on 0 for a difference (blue: B cheaper, red: B costlier), every
 * cell labelled where its label fits and titled always.  A break-even draws f against the
 * value with its 95% band, the zero line and the value found.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"
#include "report/html_kit.h"
#include "report/report_decide.h"

/* ---- the pages' parts ---- */

static char letter(size_t i)
{
    return (char)('A' + (i < 26 ? i : 25));
}

/* The header's facts and the files, lettered as the text forms letter them. */
static void meta_and_files(rr_buf *b, uint64_t paths, uint64_t seed, const char *currency,
                           size_t nfiles, const char *const *files, const char *const *names)
{
    rr_html_meta_item(b, "Paths");
    rr_html_count(b, paths);
    rr_buf_puts(b, "</dd></div>\n");
    rr_html_meta_item(b, "Seed");
    rr_buf_printf(b, "%llu</dd></div>\n", (unsigned long long)seed);
    rr_html_meta_item(b, "Currency");
    rr_buf_html(b, currency ? currency : "");
    rr_buf_puts(b, "</dd></div>\n");
    rr_html_meta_item(b, "runrate");
    rr_buf_puts(b, RR_VERSION "</dd></div>\n</dl>\n<ol class=\"scenarios\">\n");
    for (size_t i = 0; i < nfiles; i++) {
        rr_buf_printf(b, "<li><span class=\"letter\">%c</span>", letter(i));
        rr_buf_html(b, names[i] ? names[i] : "");
        rr_buf_puts(b, "<span class=\"file mono\">");
        rr_buf_html(b, files[i] ? files[i] : "");
        rr_buf_puts(b, "</span></li>\n");
    }
    rr_buf_puts(b, "</ol>\n</header>\n");
}

static void footer(rr_buf *b, uint64_t paths, uint64_t seed)
{
    rr_buf_puts(b, "<footer>Written by runrate " RR_VERSION " with ");
    rr_html_count(b, paths);
    rr_buf_printf(b, " paths and seed %llu: the same files, seed and number of paths give the "
                     "same figures on any machine. Percentiles are read within 0.1%%.</footer>\n"
                     "</main>\n</body>\n</html>\n",
                  (unsigned long long)seed);
}

/* A chart's id with the series' number when there are several: "heatmap", "heatmap-2". */
static void chart_id(char *out, size_t size, const char *base, const rr_grid *g, size_t s)
{
    if (g->compare)
        snprintf(out, size, "%s-%zu", base, s + 1);
    else
        snprintf(out, size, "%s", base);
}

/* ---- a grid of one axis: the P50 against the value ---- */

/* The values as numbers when every one reads as one and they are not all equal (else the
 * values are categories, spaced evenly). */
static int numeric_values(const rr_grid_axis *a, double *x)
{
    for (size_t i = 0; i < a->n; i++) {
        char *end;
        x[i] = strtod(a->values[i], &end);
        if (end == a->values[i] || *end != '\0' || !isfinite(x[i]))
            return 0;
    }
    for (size_t i = 1; i < a->n; i++)
        if (x[i] != x[0])
            return 1;
    return 0;
}

typedef struct line_axis {
    const rr_grid_axis *axis;
    const double *x;          /* the values as numbers, or NULL: categories */
    size_t max;               /* characters that fit under a category */
} line_axis;

static double line_x(const rr_html_frame *f, const line_axis *la, size_t i)
{
    return la->x ? rr_html_px(f, la->x[i]) : rr_html_slot_x(f, (int)la->axis->n, (int)i);
}

/* A value under its slot, cut to fit, whole in its tooltip. */
static void value_label(rr_buf *b, const void *ctx, int i)
{
    const line_axis *la = ctx;
    rr_html_cut(b, la->axis->values[i], la->max);
    rr_buf_puts(b, "<title>");
    rr_buf_html(b, la->axis->values[i]);
    rr_buf_puts(b, "</title>");
}

/* The P5-P95 band and the P50 line through the values with a finite band, and a dot with
 * its figures at each. */
static void line_series(rr_buf *b, const rr_html_frame *f, const rr_grid *g, size_t s,
                        const rr_report_q *q, const line_axis *la)
{
    const size_t n = g->axis[0].n;
    rr_buf_puts(b, "<polygon class=\"band-outer\" points=\"");
    for (size_t k = 0; k < 2 * n; k++) {
        size_t i = k < n ? k : 2 * n - 1 - k;
        const rr_stats *st = &g->stats[rr_grid_at(g, i, 0, s)];
        double v = k < n ? st->q[q->p95] : st->q[q->p5];
        if (isfinite(st->q[q->p5]) && isfinite(st->q[q->p95]))
            rr_buf_printf(b, "%.1f,%.1f ", line_x(f, la, i), rr_html_py(f, v));
    }
    rr_buf_puts(b, "\"/>\n<polyline class=\"median\" points=\"");
    for (size_t i = 0; i < n; i++) {
        double v = g->stats[rr_grid_at(g, i, 0, s)].q[q->p50];
        if (isfinite(v))
            rr_buf_printf(b, "%.1f,%.1f ", line_x(f, la, i), rr_html_py(f, v));
    }
    rr_buf_puts(b, "\"/>\n");
    for (size_t i = 0; i < n; i++) {
        const rr_stats *st = &g->stats[rr_grid_at(g, i, 0, s)];
        if (!isfinite(st->q[q->p50]))
            continue;
        rr_buf_printf(b, "<circle class=\"median-dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"><title>",
                      line_x(f, la, i), rr_html_py(f, st->q[q->p50]));
        rr_buf_html(b, g->axis[0].values[i]);
        rr_buf_puts(b, ": P50 ");
        rr_html_money(b, st->q[q->p50]);
        rr_buf_puts(b, ", P5 ");
        rr_html_money(b, st->q[q->p5]);
        rr_buf_puts(b, ", P95 ");
        rr_html_money(b, st->q[q->p95]);
        rr_buf_puts(b, "</title></circle>\n");
    }
}

/* The range of the y axis: the series' finite P5..P95, 0 for a difference, the budget for
 * a total that has one. */
static void line_range(const rr_grid *g, size_t s, const rr_report_q *q, rr_html_frame *f)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < g->axis[0].n; i++) {
        const rr_stats *st = &g->stats[rr_grid_at(g, i, 0, s)];
        const double v[3] = { st->q[q->p5], st->q[q->p50], st->q[q->p95] };
        for (int k = 0; k < 3; k++)
            if (isfinite(v[k]))
                lo = fmin(lo, v[k]), hi = fmax(hi, v[k]);
    }
    if (g->compare || !isfinite(lo))
        lo = fmin(isfinite(lo) ? lo : 0, 0), hi = fmax(isfinite(hi) ? hi : 0, 0);
    if (!g->compare && g->has_budget && isfinite(g->budget_total))
        hi = fmax(hi, g->budget_total * 1.04);
    rr_html_nice_range(&lo, &hi, &f->ystep, 5);
    f->ymin = lo;
    f->ymax = hi;
}

static void line_budget(rr_buf *b, const rr_html_frame *f, const rr_grid *g)
{
    if (g->compare || !g->has_budget || !isfinite(g->budget_total))
        return;
    double y = rr_html_py(f, g->budget_total);
    rr_html_line(b, f->x0, y, f->x1, y, "budget");
    rr_html_text(b, f->x1 - 4, y - 6, "end", "budget-label");
    rr_buf_puts(b, "budget ");
    rr_html_money(b, g->budget_total);
    rr_buf_puts(b, "</text>\n");
}

/* The x axis: the values' own scale when they are numbers, else evenly spaced categories. */
static void line_x_axis(rr_buf *b, rr_html_frame *f, const rr_grid *g, line_axis *la,
                        const double *x)
{
    const size_t n = g->axis[0].n;
    if (la->x) {
        double lo = x[0], hi = x[0];
        for (size_t i = 1; i < n; i++)
            lo = fmin(lo, x[i]), hi = fmax(hi, x[i]);
        rr_html_nice_range(&lo, &hi, &f->xstep, 8);
        f->xmin = lo;
        f->xmax = hi;
        rr_html_x_axis(b, f, RR_HTML_NUMBER, g->axis[0].path, "");
        return;
    }
    int every = ((int)n + 11) / 12;
    double slot = (f->x1 - f->x0) / (double)n * every;
    la->max = slot / 7.5 > 4 ? (size_t)(slot / 7.5) : 4;
    rr_html_x_axis_slots(b, f, (int)n, value_label, la);
    rr_html_text(b, (f->x0 + f->x1) / 2, f->y1 + 42, "middle", "axis-title");
    rr_buf_html(b, g->axis[0].path ? g->axis[0].path : "");
    rr_buf_puts(b, "</text>\n");
}

static void chart_line(rr_buf *b, const rr_grid *g, size_t s, const rr_report_q *q)
{
    const double h = 370;
    const size_t n = g->axis[0].n;
    rr_html_frame f = { RR_HTML_ML, RR_HTML_VW - RR_HTML_MR, RR_HTML_MT, h - RR_HTML_MB - 6,
                        0, 1, 0, 1, 1, 1 };
    double *x = malloc(n * sizeof *x);
    if (!x) {
        b->failed = 1;
        return;
    }
    line_axis la = { &g->axis[0], numeric_values(&g->axis[0], x) ? x : NULL, 4 };
    char id[32];
    chart_id(id, sizeof id, "line", g, s);
    line_range(g, s, q, &f);
    rr_html_figure_open(b, g->compare ? "The difference against the value"
                                      : "The total against the value");
    rr_html_svg_open(b, id, h, "P50 with the P5 to P95 band against the value");
    rr_html_y_axis(b, &f, RR_HTML_MONEY, g->currency,
                   g->compare ? " over the horizon, B - A per path" : " over the horizon");
    line_x_axis(b, &f, g, &la, x);
    line_budget(b, &f, g);
    line_series(b, &f, g, s, q, &la);
    double lx = RR_HTML_ML;
    rr_html_legend(b, &lx, 20, "#c6dbef", -1, NULL, "P5 to P95");
    rr_html_legend(b, &lx, 20, "#08519c", 0, NULL, "P50 (median)");
    rr_buf_puts(b, "</svg>\n");
    rr_html_figure_close(b, la.x ? "Each value's P50 and the band its middle 90% of paths fall "
                                   "in, the values at their own scale."
                                 : "Each value's P50 and the band its middle 90% of paths fall "
                                   "in; the values are not all numbers, so they are spaced "
                                   "evenly in the order given.");
    free(x);
}

/* ---- a grid of two axes: the P50 as a heat map ---- */

/* Sequential (a total: light to dark blue) and diverging (a difference: blue below 0, red
 * above, white at 0) scales, ColorBrewer's Blues and RdBu. */
static const unsigned char blues[][3] = {
    { 0xf7, 0xfb, 0xff }, { 0xde, 0xeb, 0xf7 }, { 0xc6, 0xdb, 0xef }, { 0x9e, 0xca, 0xe1 },
    { 0x6b, 0xae, 0xd6 }, { 0x42, 0x92, 0xc6 }, { 0x21, 0x71, 0xb5 }, { 0x08, 0x51, 0x9c },
    { 0x08, 0x30, 0x6b },
};
static const unsigned char rdbu[][3] = {
    { 0x21, 0x66, 0xac }, { 0x67, 0xa9, 0xcf }, { 0xd1, 0xe5, 0xf0 }, { 0xf7, 0xf7, 0xf7 },
    { 0xfd, 0xdb, 0xc7 }, { 0xef, 0x8a, 0x62 }, { 0xb2, 0x18, 0x2b },
};

typedef struct heat_scale {
    int diverging;
    double lo, hi;            /* sequential: the range; diverging: -m, m */
} heat_scale;

/* The colour at t in [0, 1] along `stops`, interpolated in RGB; *dark when the colour is
 * dark enough to want white text on it. */
static void mix(const unsigned char (*stops)[3], size_t n, double t, char out[8], int *dark)
{
    t = fmin(fmax(isfinite(t) ? t : 0.5, 0), 1) * (double)(n - 1);
    size_t k = (size_t)floor(t);
    if (k >= n - 1)
        k = n - 2;
    double u = t - (double)k, rgb[3], lum = 0;
    static const double weight[3] = { 0.299, 0.587, 0.114 };
    for (int c = 0; c < 3; c++) {
        rgb[c] = stops[k][c] + u * ((double)stops[k + 1][c] - stops[k][c]);
        lum += weight[c] * rgb[c] / 255;
    }
    snprintf(out, 8, "#%02x%02x%02x", (unsigned)lround(rgb[0]), (unsigned)lround(rgb[1]),
             (unsigned)lround(rgb[2]));
    *dark = lum < 0.62;
}

static void heat_colour(const heat_scale *sc, double v, char out[8], int *dark)
{
    if (!isfinite(v)) {
        snprintf(out, 8, "#e9ecef");
        *dark = 0;
        return;
    }
    double t = sc->hi > sc->lo ? (v - sc->lo) / (sc->hi - sc->lo) : 0.5;
    /* Blues from its second stop: the first is too near the page's white to read. */
    if (sc->diverging)
        mix(rdbu, sizeof rdbu / sizeof *rdbu, t, out, dark);
    else
        mix(blues + 1, sizeof blues / sizeof *blues - 1, t, out, dark);
}

static double heat_value(const rr_grid *g, size_t i, size_t j, size_t s, const rr_report_q *q)
{
    return g->stats[rr_grid_at(g, i, j, s)].q[q->p50];
}

static heat_scale heat_range(const rr_grid *g, size_t s, const rr_report_q *q)
{
    heat_scale sc = { g->compare, INFINITY, -INFINITY };
    for (size_t i = 0; i < g->axis[0].n; i++)
        for (size_t j = 0; j < g->axis[1].n; j++) {
            double v = heat_value(g, i, j, s, q);
            if (isfinite(v))
                sc.lo = fmin(sc.lo, v), sc.hi = fmax(sc.hi, v);
        }
    if (!isfinite(sc.lo))
        sc.lo = sc.hi = 0;
    if (sc.diverging) {
        double m = fmax(fabs(sc.lo), fabs(sc.hi));
        sc.lo = m > 0 ? -m : -1;
        sc.hi = m > 0 ? m : 1;
    }
    return sc;
}

/* The geometry of the map: cells of cw x ch from (x0, y0), labels where they fit. */
typedef struct heat_box {
    double x0, y0, cw, ch;
    size_t n0, n1;
    const char *label_class;  /* each cell's value fits in it in this class ("value", bold,
                               * or "tick"), or NULL: a tooltip only */
    double step;              /* for the labels' money: a tenth of a round step */
} heat_box;

static void heat_cell(rr_buf *b, const heat_box *hb, const rr_grid *g, size_t i, size_t j,
                      double v, const heat_scale *sc)
{
    char fill[8], s[32];
    int dark;
    heat_colour(sc, v, fill, &dark);
    const double x = hb->x0 + (double)j * hb->cw, y = hb->y0 + (double)i * hb->ch;
    rr_buf_printf(b, "<rect class=\"cell\" x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.2f\" "
                     "fill=\"%s\" stroke=\"#fff\"><title>", x, y, hb->cw, hb->ch, fill);
    rr_buf_html(b, g->axis[0].values[i]);
    rr_buf_puts(b, ", ");
    rr_buf_html(b, g->axis[1].values[j]);
    rr_buf_puts(b, ": P50 ");
    rr_html_money(b, v);
    rr_buf_puts(b, "</title></rect>\n");
    if (!hb->label_class)
        return;
    /* White on a dark cell: a style attribute, as the sheet's fill outranks an attribute. */
    rr_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"%s\"%s>%s"
                     "</text>\n", x + hb->cw / 2, y + hb->ch / 2 + 4, hb->label_class,
                  dark ? " style=\"fill:#fff\"" : "", rr_fmt_money_short(s, sizeof s, v, hb->step));
}

/* Whether every cell's label fits in its cell: bold where it can, plain where only that
 * fits, none (the tooltip) where neither does. */
static void heat_fit(heat_box *hb, const rr_grid *g, size_t s, const rr_report_q *q)
{
    size_t longest = 0;
    for (size_t i = 0; i < hb->n0; i++)
        for (size_t j = 0; j < hb->n1; j++) {
            char t[32];
            size_t n = strlen(rr_fmt_money_short(t, sizeof t, heat_value(g, i, j, s, q),
                                                 hb->step));
            longest = n > longest ? n : longest;
        }
    hb->label_class = NULL;
    if (hb->ch < 18)
        return;
    if (hb->cw >= RR_HTML_VALUE_CHAR * (double)longest + 6)
        hb->label_class = "value";
    else if (hb->cw >= RR_HTML_TICK_CHAR * (double)longest + 4)
        hb->label_class = "tick";
}

/* The rows' values at the left (every k-th where rows are short), cut to fit, and their
 * path above them. */
static void heat_rows(rr_buf *b, const heat_box *hb, const rr_grid *g)
{
    size_t every = hb->ch >= 16 ? 1 : (size_t)ceil(16 / hb->ch);
    for (size_t i = 0; i < hb->n0; i += every) {
        rr_html_text(b, hb->x0 - 8, hb->y0 + ((double)i + 0.5) * hb->ch + 4, "end", "tick");
        rr_html_cut(b, g->axis[0].values[i], 16);
        rr_buf_puts(b, "<title>");
        rr_buf_html(b, g->axis[0].values[i]);
        rr_buf_puts(b, "</title></text>\n");
    }
    /* The rows' path above them, level: turned upright it would outgrow a short map. */
    rr_html_text(b, 8, hb->y0 - 10, "start", "axis-title");
    rr_buf_puts(b, "rows: ");
    rr_html_cut(b, g->axis[0].path ? g->axis[0].path : "", 100);
    rr_buf_puts(b, "</text>\n");
}

/* The scale's legend: five swatches from low to high, the ends of a diverging one said in
 * words. */
static void heat_legend(rr_buf *b, const heat_scale *sc, double step)
{
    double x = RR_HTML_ML;
    for (int k = 0; k < 5; k++) {
        double v = sc->lo + (sc->hi - sc->lo) * k / 4;
        char fill[8], s[32], label[64];
        int dark;
        heat_colour(sc, v, fill, &dark);
        rr_fmt_money_short(s, sizeof s, v, step);
        snprintf(label, sizeof label, "%s%s", s,
                 !sc->diverging ? "" : k == 0 ? " B cheaper" : k == 4 ? " B costlier" : "");
        rr_html_legend(b, &x, 20, fill, -1, NULL, label);
    }
}

static void chart_heat(rr_buf *b, const rr_grid *g, size_t s, const rr_report_q *q)
{
    size_t longest = 1;
    for (size_t i = 0; i < g->axis[0].n; i++)
        longest = strlen(g->axis[0].values[i]) > longest ? strlen(g->axis[0].values[i]) : longest;
    heat_box hb = { 20 + RR_HTML_TICK_CHAR * (double)(longest < 16 ? longest : 16),
                    RR_HTML_MT + 32, 0, 0,
                    g->axis[0].n, g->axis[1].n, NULL, 1 };
    hb.cw = (RR_HTML_VW - RR_HTML_MR - hb.x0) / (double)hb.n1;
    hb.ch = fmax(10, fmin(34, 480 / (double)hb.n0));
    const heat_scale sc = heat_range(g, s, q);
    /* Labels to a tenth of a round step of the scale: "223k", not "223.36k". */
    double lo = sc.lo, hi = sc.hi, step;
    rr_html_nice_range(&lo, &hi, &step, 4);
    hb.step = step / 10;
    heat_fit(&hb, g, s, q);
    const double h = hb.y0 + (double)hb.n0 * hb.ch + RR_HTML_MB + 6;
    rr_html_frame f = { hb.x0, RR_HTML_VW - RR_HTML_MR, hb.y0, hb.y0 + (double)hb.n0 * hb.ch,
                        0, 1, 0, 1, 1, 1 };
    char id[32];
    chart_id(id, sizeof id, "heatmap", g, s);
    rr_html_figure_open(b, "The P50 in every cell");
    rr_html_svg_open(b, id, h, "Heat map of the P50 over the two swept inputs");
    for (size_t i = 0; i < hb.n0; i++)
        for (size_t j = 0; j < hb.n1; j++)
            heat_cell(b, &hb, g, i, j, heat_value(g, i, j, s, q), &sc);
    heat_rows(b, &hb, g);
    int every = ((int)hb.n1 + 11) / 12;
    line_axis cols = { &g->axis[1], NULL, 4 };
    cols.max = hb.cw * every / 7.5 > 4 ? (size_t)(hb.cw * every / 7.5) : 4;
    rr_html_x_axis_slots(b, &f, (int)hb.n1, value_label, &cols);
    rr_html_text(b, (f.x0 + f.x1) / 2, f.y1 + 42, "middle", "axis-title");
    rr_buf_html(b, g->axis[1].path ? g->axis[1].path : "");
    rr_buf_puts(b, "</text>\n");
    heat_legend(b, &sc, hb.step);
    rr_buf_puts(b, "</svg>\n");
    rr_html_figure_close(b, g->compare
                                ? "Each cell is the P50 of the per-path difference B - A at that "
                                  "pair of values: blue where B is cheaper, red where it costs "
                                  "more, white at no difference."
                                : "Each cell is the P50 of the horizon total at that pair of "
                                  "values, darker where it costs more.");
}

/* ---- the grid page ---- */

static void grid_emit(rr_buf *b, const rr_grid *g, const rr_decide_section *sec,
                      const rr_report_q *q)
{
    rr_buf_puts(b, "<section>\n<h2>");
    rr_buf_html(b, sec->title);
    rr_buf_puts(b, "</h2>\n<p class=\"small\">");
    rr_buf_html(b, sec->note);
    rr_buf_puts(b, ".</p>\n");
    if (sec->kind == RR_DECIDE_ROWS)
        chart_line(b, g, sec->s, q);
    else if (sec->kind == RR_DECIDE_P50)
        chart_heat(b, g, sec->s, q);
    /* A wide matrix scrolls on a screen rather than push the page wider. */
    const int wide = sec->tab.ncols > 9;
    rr_buf_puts(b, wide ? "<div style=\"overflow-x:auto\">\n" : "");
    rr_dtab_html(b, &sec->tab);
    rr_buf_puts(b, wide ? "</div>\n</section>\n" : "</section>\n");
}

static void grid_header(rr_buf *b, const rr_grid *g)
{
    const size_t cells = g->axis[0].n * g->axis[1].n;
    rr_buf_printf(b, "<header>\n<div class=\"kicker\">AI run-cost what-if %s</div>\n"
                     "<h1>What if: <code>", g->naxes == 2 ? "grid" : "sweep");
    rr_buf_html(b, g->axis[0].path ? g->axis[0].path : "");
    if (g->naxes == 2) {
        rr_buf_puts(b, "</code> \xc3\x97 <code>");
        rr_buf_html(b, g->axis[1].path ? g->axis[1].path : "");
    }
    rr_buf_printf(b, "</code></h1>\n<p class=\"lede\">%zu cell%s, every one run on the same "
                     "paths with the same seed (common random numbers): what separates two "
                     "cells is the value of the input, not Monte Carlo noise.%s</p>\n"
                     "<dl class=\"meta\">\n",
                  cells, cells == 1 ? "" : "s",
                  g->compare ? " Each difference is B minus A, measured path by path." : "");
    rr_html_meta_item(b, "Cells");
    rr_buf_printf(b, "%zu</dd></div>\n", cells);
    meta_and_files(b, g->paths, g->seed, g->currency, g->nfiles, g->files, g->names);
}

rr_status rr_report_grid_html(const rr_grid *g, rr_buf *b)
{
    rr_buf t = { 0 };
    rr_buf_puts(&t, g->axis[0].path ? g->axis[0].path : "");
    if (g->naxes == 2)
        rr_buf_printf(&t, " \xc3\x97 %s", g->axis[1].path ? g->axis[1].path : "");
    rr_html_page_head(b, t.failed || !t.p ? "" : t.p, ": what-if");
    if (t.failed)
        b->failed = 1;
    rr_buf_free(&t);
    grid_header(b, g);
    rr_html_warnings(b, &g->warnings);
    rr_status st = rr_decide_grid_sections(g, grid_emit, b);
    if (st != RR_OK)
        return st;
    footer(b, g->paths, g->seed);
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}

/* ---- the break-even page ---- */

/* The y range: every finite f and its interval, and 0. */
static void be_range(const rr_break_even *be, rr_html_frame *f)
{
    double lo = 0, hi = 0;
    for (size_t i = 0; i < be->npoints; i++) {
        const double v[3] = { be->points[i].f, be->points[i].lo, be->points[i].hi };
        for (int k = 0; k < 3; k++)
            if (isfinite(v[k]))
                lo = fmin(lo, v[k]), hi = fmax(hi, v[k]);
    }
    rr_html_nice_range(&lo, &hi, &f->ystep, 5);
    f->ymin = lo;
    f->ymax = hi;
    lo = be->lo;
    hi = be->hi;
    rr_html_nice_range(&lo, &hi, &f->xstep, 8);
    f->xmin = lo;
    f->xmax = hi;
}

/* f through the points, its 95% band where both ends are finite, a dot at each. */
static void be_curve(rr_buf *b, const rr_html_frame *f, const rr_break_even *be)
{
    const size_t n = be->npoints;
    rr_buf_puts(b, "<polygon class=\"band-outer\" points=\"");
    for (size_t k = 0; k < 2 * n; k++) {
        const rr_break_even_point *p = &be->points[k < n ? k : 2 * n - 1 - k];
        if (isfinite(p->lo) && isfinite(p->hi))
            rr_buf_printf(b, "%.1f,%.1f ", rr_html_px(f, p->v),
                          rr_html_py(f, k < n ? p->hi : p->lo));
    }
    rr_buf_puts(b, "\"/>\n<polyline class=\"median\" points=\"");
    for (size_t i = 0; i < n; i++)
        if (isfinite(be->points[i].f))
            rr_buf_printf(b, "%.1f,%.1f ", rr_html_px(f, be->points[i].v),
                          rr_html_py(f, be->points[i].f));
    rr_buf_puts(b, "\"/>\n");
    for (size_t i = 0; i < n; i++) {
        const rr_break_even_point *p = &be->points[i];
        char v[40];
        if (!isfinite(p->f))
            continue;
        rr_buf_printf(b, "<circle class=\"median-dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>"
                         "f(%s) = ", rr_html_px(f, p->v), rr_html_py(f, p->f),
                      rr_decide_fmt_v(v, sizeof v, p->v));
        rr_html_money(b, p->f);
        rr_buf_puts(b, "</title></circle>\n");
    }
}

/* The value found, its interval shaded, its label at the top or the bottom of the plot,
 * whichever is farther from the zero line. */
static void be_marker(rr_buf *b, const rr_html_frame *f, const rr_break_even *be)
{
    if (!be->found || !isfinite(be->value))
        return;
    double a = rr_html_px(f, be->interval[0]), z = rr_html_px(f, be->interval[1]);
    if (isfinite(be->interval[0]) && isfinite(be->interval[1]))
        rr_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.2f\" "
                         "fill=\"#f4a261\" fill-opacity=\"0.25\"/>\n",
                      a, f->y0, fmax(z - a, 1), f->y1 - f->y0);
    double x = rr_html_px(f, be->value), zy = rr_html_py(f, 0);
    double ly = zy - f->y0 > f->y1 - zy ? f->y0 + 16 : f->y1 - 8;
    char v[40];
    rr_html_line(b, x, f->y0, x, f->y1, "rec");
    rr_html_marker_label(b, x, ly, x < (f->x0 + f->x1) / 2, "rec-label");
    rr_buf_printf(b, "break-even %s</text>\n", rr_decide_fmt_v(v, sizeof v, be->value));
}

static void chart_break_even(rr_buf *b, const rr_break_even *be)
{
    const double h = 370;
    rr_html_frame f = { RR_HTML_ML, RR_HTML_VW - RR_HTML_MR, RR_HTML_MT, h - RR_HTML_MB - 6,
                        0, 1, 0, 1, 1, 1 };
    be_range(be, &f);
    rr_html_figure_open(b, "f against the value");
    rr_html_svg_open(b, "break-even", h, "f with its 95% interval against the value");
    rr_html_y_axis(b, &f, RR_HTML_MONEY, be->currency, " (f)");
    rr_html_x_axis(b, &f, RR_HTML_NUMBER, be->path, "");
    be_marker(b, &f, be);
    double zy = rr_html_py(&f, 0);
    rr_html_line(b, f.x0, zy, f.x1, zy, "zero-line");
    be_curve(b, &f, be);
    double x = RR_HTML_ML;
    rr_html_legend(b, &x, 20, "#c6dbef", -1, NULL, "95% interval of f");
    rr_html_legend(b, &x, 20, "#08519c", 0, NULL, "f");
    if (be->found)
        rr_html_legend(b, &x, 20, "#f4a261", -1, NULL, "where the interval holds 0");
    rr_buf_puts(b, "</svg>\n");
    rr_html_figure_close(b, "f at every value evaluated, with the 95% interval of its Monte "
                            "Carlo estimate; the break-even is where f crosses the zero line.");
}

static void be_header(rr_buf *b, const rr_break_even *be)
{
    char words[1024];
    rr_buf_puts(b, "<header>\n<div class=\"kicker\">AI run-cost break-even</div>\n"
                   "<h1>Break-even: <code>");
    rr_buf_html(b, be->path ? be->path : "");
    rr_buf_puts(b, "</code></h1>\n<p class=\"lede\">f(v) is ");
    rr_decide_f_words(be, words, sizeof words);
    rr_buf_html(b, words);
    rr_buf_puts(b, ". ");
    rr_decide_held_words(be, words, sizeof words);
    rr_buf_html(b, words);
    rr_buf_puts(b, "</p>\n<dl class=\"meta\">\n");
    rr_html_meta_item(b, "Evaluations");
    rr_buf_printf(b, "%d</dd></div>\n", be->evaluations);
    meta_and_files(b, be->paths, be->seed, be->currency, be->nfiles, be->files, be->names);
}

rr_status rr_report_break_even_html(const rr_break_even *be, rr_buf *b)
{
    char words[1024];
    rr_html_page_head(b, be->path ? be->path : "", ": break-even");
    be_header(b, be);
    rr_html_warnings(b, &be->warnings);
    rr_decide_result_words(be, words, sizeof words);
    rr_buf_puts(b, "<section>\n<h2>Result</h2>\n<p class=\"verdict\"><strong>");
    rr_buf_html(b, words);
    rr_buf_puts(b, "</strong></p>\n");
    chart_break_even(b, be);
    rr_buf_puts(b, "<h3>Evaluations, by value</h3>\n");
    rr_status st = rr_decide_points(be, rr_dtab_html, b);
    rr_buf_puts(b, "</section>\n");
    footer(b, be->paths, be->seed);
    return st == RR_OK && b->failed ? RR_ERR_NOMEM : st;
}
