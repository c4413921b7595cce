/* report_decide: what the writers of grids and break-evens share (internal to
 * engine/report): the tables a person reads, built once as strings and written as text,
 * Markdown or HTML, so that the three forms say the same; the sections of a grid; and the
 * words that name what a break-even's f is.
 */
#ifndef RR_REPORT_DECIDE_H
#define RR_REPORT_DECIDE_H

#include <stddef.h>

#include "report/buf.h"
#include "report/report_util.h"
#include "stats/decision.h"

/* A table of strings, every one escaped as each form writes it: row 0 is the header, the
 * first column a label (left-aligned), the others numbers (right-aligned).  A failed
 * allocation makes it sticky failed, as rr_buf does. */
typedef struct rr_dtab {
    size_t nrows, ncols;              /* nrows below the header */
    char **cell;                      /* (nrows + 1) x ncols, owned */
    int failed;
} rr_dtab;

void rr_dtab_init(rr_dtab *t, size_t nrows, size_t ncols);
void rr_dtab_set(rr_dtab *t, size_t row, size_t col, const char *s);   /* copies s */
void rr_dtab_free(rr_dtab *t);
void rr_dtab_text(rr_buf *b, const rr_dtab *t);      /* aligned columns, indented by two */
void rr_dtab_md(rr_buf *b, const rr_dtab *t);        /* a GFM table */
void rr_dtab_html(rr_buf *b, const rr_dtab *t);      /* a <table> in the page's style */

/* One table of a grid's report: a series' rows (one axis), or its P50 or probability
 * matrix (two axes), under a title and a note in the user's words (each form escapes
 * them). */
typedef enum rr_decide_kind { RR_DECIDE_ROWS, RR_DECIDE_P50, RR_DECIDE_P } rr_decide_kind;

typedef struct rr_decide_section {
    rr_decide_kind kind;
    size_t s;                         /* the series */
    char title[512];
    char note[1024];                  /* what the rows and columns are */
    rr_dtab tab;
} rr_decide_section;

/* Build each section of g in order and hand it to `emit` (which writes it into b).  The
 * sections are the series in order, each with its rows or its matrices.  RR_OK,
 * RR_ERR_NOMEM or RR_ERR_INTERNAL (a standard percentile missing). */
typedef void (*rr_decide_emit_fn)(rr_buf *b, const rr_grid *g, const rr_decide_section *sec,
                                  const rr_report_q *q);
rr_status rr_decide_grid_sections(const rr_grid *g, rr_decide_emit_fn emit, rr_buf *b);

/* "B - A" of series s of a compare grid, with the scenarios' names; "total" for run. */
void rr_decide_series_name(const rr_grid *g, size_t s, char *out, size_t size);

/* What f is, in words: "the P50 of support-agent-selfhosted minus support-agent, per path"
 * or "the total's P80 minus the budget of 370,000".  The statement every break-even makes:
 * the path held constant, every evaluation on the same paths.  The key of what f reads in
 * the JSON: "mean", "p50" or the quantile key of the confidence ("p80"). */
void rr_decide_f_words(const rr_break_even *be, char *out, size_t size);
void rr_decide_held_words(const rr_break_even *be, char *out, size_t size);
void rr_decide_on_key(const rr_break_even *be, char *out, size_t size);

/* The result in a sentence: "break-even PATH = V, 95% interval [LO, HI], N evaluations" or
 * "no crossing in [LO, HI]: f(LO) = ..., f(HI) = ..." (money); and the table of the points
 * evaluated, by value, written by `write` (rr_dtab_text, _md or _html): RR_OK or
 * RR_ERR_NOMEM.  An input's value as a report writes it: six significant digits (a
 * bisection's steps are a thousandth of the range), whole units with separators from
 * 100,000 up. */
void rr_decide_result_words(const rr_break_even *be, char *out, size_t size);
rr_status rr_decide_points(const rr_break_even *be, void (*write)(rr_buf *, const rr_dtab *),
                           rr_buf *b);
const char *rr_decide_fmt_v(char *s, size_t size, double v);

/* The HTML pages (report_decide_html.c). */
rr_status rr_report_grid_html(const rr_grid *g, rr_buf *b);
rr_status rr_report_break_even_html(const rr_break_even *be, rr_buf *b);

#endif
