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
