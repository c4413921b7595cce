/* html_kit: the look every HTML page of runrate shares, and the SVG pieces its charts are
 * drawn with (internal to engine/report).
 *
 * The handover report, the comparison page and the decision pages (report_decide_html.c)
 * are read side by side and filed together, so they share one stylesheet, one header, one
 * warnings box and one way of drawing axes, bars and labels.  Every helper escapes the
 * user's text (`*_user` arguments, names) and keeps a missing number (NaN, infinity) out
 * of the coordinates, where a browser would drop the whole shape.
 */
#ifndef RR_HTML_KIT_H
#define RR_HTML_KIT_H

#include <stddef.h>
#include <stdint.h>

#include "report/buf.h"
#include "report/report_util.h"
#include "scenario/warn.h"
#include "stats/summary.h"

#define RR_HTML_VW 880.0   /* every chart's viewBox width; CSS scales it to the column */
#define RR_HTML_ML 78.0    /* left margin: room for ticks like "1.25M" and the axis title */
#define RR_HTML_MR 28.0
#define RR_HTML_MT 40.0    /* top: the legend row */
#define RR_HTML_MB 50.0    /* bottom: tick labels and the axis title */

/* The widths of a character of a chart's tick (12px) and bold value labels (12px, 600),
 * taken wide, so that a label estimated clear of a line is clear of it in a browser. */
#define RR_HTML_TICK_CHAR 7.8
#define RR_HTML_VALUE_CHAR 8.6

/* A plotting area: the data box [xmin, xmax] x [ymin, ymax] drawn in the pixel box
 * [x0, x1] x [y0, y1], y growing downwards as in SVG. */
typedef struct rr_html_frame {
    double x0, x1, y0, y1;
    double xmin, xmax, ymin, ymax;
    double xstep, ystep;     /* tick spacing in data units */
} rr_html_frame;

/* What an axis shows: money ("1.5k"), a share (a percentage) or an input's own number. */
typedef enum rr_html_unit { RR_HTML_MONEY, RR_HTML_SHARE, RR_HTML_NUMBER } rr_html_unit;

/* ---- numbers and scales ---- */

double rr_html_fin(double v);   /* v, or 0 when not finite: the last guard of a coordinate */
double rr_html_px(const rr_html_frame *f, double v);
double rr_html_py(const rr_html_frame *f, double v);
/* Widen the finite range [*lo, *hi] to whole ticks of a round *step (about `ticks` of them). */
void rr_html_nice_range(double *lo, double *hi, double *step, int ticks);
int rr_html_all_finite(const double *v, size_t n);

/* Text: a probability ("12.3%", "under 0.1%"), money, an end of a confidence interval, a
 * count (separators from 100), and s cut to `max` characters with an ellipsis; escaped. */
void rr_html_pct(rr_buf *b, double p);
void rr_html_money(rr_buf *b, double x);
void rr_html_ci_end(rr_buf *b, double x);
void rr_html_count(rr_buf *b, uint64_t n);
void rr_html_cut(rr_buf *b, const char *s, size_t max);

/* ---- SVG building blocks ---- */

void rr_html_svg_open(rr_buf *b, const char *id, double h, const char *title);
void rr_html_figure_open(rr_buf *b, const char *title);
void rr_html_figure_close(rr_buf *b, const char *caption);
/* Opens <text> at (x, y); `anchor` is start, middle or end, `cls` a class of the sheet. */
void rr_html_text(rr_buf *b, double x, double y, const char *anchor, const char *cls);
void rr_html_line(rr_buf *b, double x1, double y1, double x2, double y2, const char *cls);
/* A rectangle left open (for a <title>) or closed; a negative width is drawn leftwards. */
void rr_html_rect_open(rr_buf *b, double x, double y, double w, double h, const char *fill);
void rr_html_rect(rr_buf *b, double x, double y, double w, double h, const char *fill);
void rr_html_no_data(rr_buf *b, const rr_html_frame *f, const char *msg);
/* A legend entry at (*x, y): a box (dashed < 0) or a line (dashed 0 or 1), then its label;
 * *x moves past it. */
void rr_html_legend(rr_buf *b, double *x, double y, const char *colour, int dashed,
                    const char *label_user, const char *label);
void rr_html_y_axis(rr_buf *b, const rr_html_frame *f, rr_html_unit u, const char *title_user,
                    const char *title);
void rr_html_x_axis(rr_buf *b, const rr_html_frame *f, rr_html_unit u, const char *title_user,
                    const char *title);
/* The centre of slot m of n equal slots across the frame. */
double rr_html_slot_x(const rr_html_frame *f, int n, int m);
/* Labels below n equal slots, thinned to about twelve and counted back from the last;
 * `label` writes slot i's text, escaped. */
typedef void (*rr_html_slot_label_fn)(rr_buf *b, const void *ctx, int i);
void rr_html_x_axis_slots(rr_buf *b, const rr_html_frame *f, int n, rr_html_slot_label_fn label,
                          const void *ctx);
/* Opens <text> beside a vertical marker at x: to its right (right != 0) or its left. */
void rr_html_marker_label(rr_buf *b, double x, double y, int right, const char *cls);
/* `text` at x, moved off the vertical line at zx where it would cross it (per_char: the
 * estimated width of a character, RR_HTML_TICK_CHAR or RR_HTML_VALUE_CHAR). */
void rr_html_off_zero(rr_buf *b, double zx, double x, double y, const char *anchor,
                      const char *cls, const char *text, double per_char);

/* ---- the page ---- */

/* The page up to <main>: its <title> is `title_user` (escaped) followed by `title`. */
void rr_html_page_head(rr_buf *b, const char *title_user, const char *title);
/* Opens an item of the header's <dl class="meta">: the caller writes its value and
 * "</dd></div>". */
void rr_html_meta_item(rr_buf *b, const char *dt);
/* The warnings as a box above the figures; nothing without any. */
void rr_html_warnings(rr_buf *b, const rr_warnings *w);
/* Table cells: the headers Mean, P50, P80, P95 and a statistic's four values. */
void rr_html_th_stats(rr_buf *b);
void rr_html_td_stats(rr_buf *b, const rr_stats *st, const rr_report_q *q);

#endif
