/* series: the result a plan's run fills, laid out for its scenario.
 *
 * The categories present (in the table's order), one series per component, the drivers
 * (the plan's inputs drawn once per path, in file order) and what the reports name: the
 * scenario, its budget, its components and the inputs given in its file.
 */
#ifndef RR_SERIES_H
#define RR_SERIES_H

#include "sample/plan.h"
#include "stats/result.h"

/* An empty result for p's runs; NULL when out of memory.  It borrows p's scenario. */
rr_result *rr_series_result(const rr_plan *p);

#endif
