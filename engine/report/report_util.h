/* report_util: number formatting and escaping shared by the report writers.
 *
 * Every writer shows the same money the same way and writes machine numbers that read back
 * exactly, so the formats are defined once here rather than copied into each writer.
 */
#ifndef RR_REPORT_UTIL_H
#define RR_REPORT_UTIL_H

#include <stddef.h>

#include "report/buf.h"
#include "scenario/warn.h"
#include "stats/summary.h"

/* The shortest "%.*g" form (15 to 17 digits) that strtod reads back to exactly x, into s
 * (40 bytes are enough).  Non-finite x gives "": each format spells a missing number its
 * own way (null in JSON, an empty field in CSV).  Returns s. */
const char *rr_fmt_shortest(char *s, size_t size, double x);

/* Money the way a budget is read: "1,234,567" in whole units, "12.34" below 100, "-" when
 * x is not finite.  48 bytes hold any amount below 1e35; a larger one is cut short, never
 * overflowed.  Returns s. */
const char *rr_fmt_money(char *s, size_t size, double x);

/* An end of a confidence interval: "< min" for an unbounded lower end (-inf), "> max" for
 * an unbounded upper end (+inf), else money as rr_fmt_money.  Returns s. */
const char *rr_fmt_ci_end(char *s, size_t size, double x);

/* Money for a chart's tick: "0", "250", "1.5k", "12k", "1.25M", "3B", with as many decimals
 * as `step` (the distance between ticks, > 0) needs to tell neighbours apart, at most 3.
 * Non-finite x gives "-".  32 bytes are enough.  Returns s. */
const char *rr_fmt_money_short(char *s, size_t size, double x, double step);

/* A probability as a percentage, "12.3%"; the ends are spelled out ("< 0.1%", "> 99.9%")
 * because "0.0%" would read as impossible and "100.0%" as certain when a few paths went the
 * other way; "-" when x is not finite.  16 bytes are enough.  Returns s. */
const char *rr_fmt_pct(char *s, size_t size, double x);

/* An input's value (not money: a share, a token count, a price): "0.0052", "3.5", "1,200",
 * "0.00002784", "110,000": four significant digits below 10,000 (in fixed notation down to
 * 1e-9), whole units with separators above; "-" when x is not finite.  48 bytes are
 * enough.  Returns s. */
const char *rr_fmt_value(char *s, size_t size, double x);

/* The index of `percent` (e.g. 95) among the nq ascending probabilities qp (0.95), or -1. */
int rr_report_qindex(const double *qp, size_t nq, double percent);

/* Indices of the percentiles the reports show: all are in the standard list. */
typedef struct rr_report_q {
    int p5, p10, p50, p80, p90, p95;
} rr_report_q;

/* q from the nq probabilities qp: 0, or -1 when one of them is missing. */
int rr_report_q_find(const double *qp, size_t nq, rr_report_q *q);

/* The swings of sum with both totals finite, widest first (|total_p50_high -
 * total_p50_low|; ties in the drivers' order), at most `max` into rows; *left counts the
 * narrower ones beyond them.  Every format lists what an input is worth in this order. */
#define RR_REPORT_MAX_SWINGS 20
size_t rr_report_swings_by_width(const rr_summary *sum, const rr_swing **rows, size_t max,
                                 size_t *left);

/* A CSV field as RFC 4180 wants it: quoted, quotes doubled, when it holds a comma, a quote
 * or a line break; else as it is. */
void rr_buf_csv(rr_buf *b, const char *s);

/* JSON: a number in the shortest form that reads back to the same double (null when not
 * finite), a string escaped, "warnings": [{code, where, message, fix}, ...], and a
 * statistics object {"mean", "sd", the percentile keys, "ci95": {...}} (with_n: "n" first,
 * for series that not every path feeds) over the nq keys `qkey`. */
void rr_buf_json_num(rr_buf *b, double x);
void rr_buf_json_str(rr_buf *b, const char *s);
void rr_buf_json_warnings(rr_buf *b, const rr_warnings *w);
/* The price catalog entries a scenario names: [{entry, checked, source}, ...], each item
 * after `sep`, the closing bracket after `end` (none without items). */
void rr_buf_json_catalog(rr_buf *b, const rr_result_source *v, size_t n, const char *sep,
                         const char *end);
void rr_buf_json_stats(rr_buf *b, size_t nq, const char (*qkey)[32], const rr_stats *st,
                       int with_n);

/* Markdown: s as prose, its special characters escaped and line breaks flattened, so that a
 * scenario name cannot turn into a heading, a link or a broken table; s as a code span
 * (in_table: "|" escaped as GFM wants in a table cell); and warnings as a quoted box. */
void rr_buf_md(rr_buf *b, const char *s);
void rr_buf_md_code(rr_buf *b, const char *s, int in_table);
void rr_buf_md_warnings(rr_buf *b, const rr_warnings *w);

/* Append s with & < > " ' escaped, safe inside HTML text and quoted attribute values: names
 * in a scenario come from the user's file. */
void rr_buf_html(rr_buf *b, const char *s);

#endif
