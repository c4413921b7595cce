/* variables: a scenario's `variables:` block, and what makes its expressions and schedules
 * whole once every input is parsed.
 *
 * rr_variables_parse reads the block: each variable any value the format accepts where a
 * number goes, its random stream keyed `variables.NAME`.  rr_variables_resolve then walks
 * every input of the scenario (the demand's, the components', the variables' and their
 * schedules' entries) and: turns schedule keys into months (YYYY-MM needs `start`; the
 * first at or before the first month; increasing; one kind of key per schedule); binds each
 * name of an expression to a variable or a built-in (did-you-mean for the rest; calendar_month
 * and year need `start`); finds cycles among variables, and through the demand where
 * `requests` is used by what the demand itself reads; refuses `requests` where it cannot be
 * known yet (an event's rate or value, drawn before the month's demand); and folds every
 * expression whose value is the same on every path and month into that constant, checked
 * against its field's domain as a written constant is.  Every problem is a located error.
 */
#ifndef RR_VARIABLES_H
#define RR_VARIABLES_H

#include "scenario/node.h"
#include "scenario/scenario.h"

/* Parse `variables:` into s (n: its node).  Adds diagnostics; returns -1 on any. */
int rr_variables_parse(const rr_node *n, rr_scenario *s, rr_diags *diags);
/* Resolve and fold, as above, every input of s.  Adds diagnostics; returns -1 on any. */
int rr_variables_resolve(rr_scenario *s, rr_diags *diags);

#endif
