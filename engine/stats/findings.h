/* findings: the warnings a run's result earns (warn.h): a horizon total whose P50 exceeds
 * 1e12 (and the component that makes most of it), months whose events hit their cap, and
 * paths left out of the cost per 1,000 requests because they served none. */
#ifndef RR_FINDINGS_H
#define RR_FINDINGS_H

#include "scenario/warn.h"
#include "stats/result.h"

/* Add r's run-time warnings to w. */
void rr_findings(const rr_result *r, rr_warnings *w);

#endif
