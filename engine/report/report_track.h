/* report_track: the writers of a track report (runrate track; docs/report.md, "track"). */
#ifndef RR_REPORT_TRACK_H
#define RR_REPORT_TRACK_H

#include "report/buf.h"
#include "scenario/diag.h"
#include "scenario/warn.h"
#include "stats/track.h"

rr_status rr_report_track_json(const rr_track_summary *t, const rr_warnings *w, rr_buf *out);
rr_status rr_report_track_table(const rr_track_summary *t, rr_buf *out);
rr_status rr_report_track_md(const rr_track_summary *t, const rr_warnings *w, rr_buf *out);
rr_status rr_report_track_csv(const rr_track_summary *t, rr_buf *out);
rr_status rr_report_track_html(const rr_track_summary *t, const rr_warnings *w, rr_buf *out);

#endif
