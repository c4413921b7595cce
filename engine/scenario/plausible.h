/* plausible: the warnings a valid scenario earns as it loads (warn.h): a growth of 2 meant
 * as 2%, a per-token price in a per-million field, a monthly rate typed as hourly, a review
 * share above one half, an "A to B" over three orders of magnitude, a clamp that binds on
 * more than 5% of draws.  Thresholds apply to an input's median. */
#ifndef RR_PLAUSIBLE_H
#define RR_PLAUSIBLE_H

#include "scenario/scenario.h"
#include "scenario/warn.h"

/* Add s's load-time warnings to w, placed in `file` (may be NULL). */
void rr_plausible_check(const rr_scenario *s, const char *file, rr_warnings *w);

#endif
