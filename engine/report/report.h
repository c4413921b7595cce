/* report: writers that turn a summary (a comparison, a grid, a break-even) into text.  Each
 * reads its record and nothing else, and builds the whole report in a buffer; the caller
 * decides where it goes. */
#ifndef RR_REPORT_H
#define RR_REPORT_H

#include "report/buf.h"
#include "scenario/diag.h"
#include "stats/decision.h"
#include "stats/summary.h"

/* A readable summary for a person. */
rr_status rr_report_table(const rr_summary *sum, rr_buf *out);
/* JSON for programs: the keys documented in docs/report.md.  With `timing` 0, the run's
 * seconds and paths_per_second are written as null, which makes outputs comparable. */
rr_status rr_report_json(const rr_summary *sum, int timing, rr_buf *out);

/* Long-format CSV, one row per (month, total or category, statistic), FOCUS-shaped column
 * names (docs/report.md). */
rr_status rr_report_csv(const rr_summary *sum, rr_buf *out);
/* A Markdown handover summary for a production readiness review. */
rr_status rr_report_md(const rr_summary *sum, rr_buf *out);
/* One self-contained HTML page with inline SVG charts, printable. */
rr_status rr_report_html(const rr_summary *sum, rr_buf *out);

/* Comparisons and sweeps of scenarios (rr_compare): JSON, table, CSV, Markdown and one
 * self-contained HTML page in the handover report's look, with a range chart per difference
 * (and the total's percentiles against the value, for a sweep). */
rr_status rr_report_compare_json(const rr_compare *c, rr_buf *out);
rr_status rr_report_compare_table(const rr_compare *c, rr_buf *out);
rr_status rr_report_compare_csv(const rr_compare *c, rr_buf *out);
rr_status rr_report_compare_md(const rr_compare *c, rr_buf *out);
rr_status rr_report_compare_html(const rr_compare *c, rr_buf *out);

/* Decisions measured on common random numbers (stats/decision.h): a grid of one or two
 * swept input paths, and a break-even search.  `format` is one of "table", "json", "csv",
 * "md" and "html"; another gives RR_ERR_USAGE. */
rr_status rr_report_grid(const char *format, const rr_grid *g, rr_buf *out);
rr_status rr_report_break_even(const char *format, const rr_break_even *be, rr_buf *out);

#endif
