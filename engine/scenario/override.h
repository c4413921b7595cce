/* override: command-line changes to a scenario before it is validated.
 *
 * `--set PATH=VALUE` replaces (or adds) one value of the scenario tree, so the result goes
 * through exactly the validation, and gets exactly the messages, of a value written in the
 * file.  PATH is dotted: `simulation.paths`, `demand.requests_per_month`,
 * `costs.chat-model.price_per_million.input` (a component is found by its name in `costs`;
 * names may contain dots: the longest matching name wins).  VALUE is YAML: a number,
 * `100000 to 200000`, or a flow mapping such as `{normal: {mean: 1, sd: 0.1}}`.
 */
#ifndef RR_OVERRIDE_H
#define RR_OVERRIDE_H

#include "scenario/diag.h"
#include "scenario/node.h"

/* The position of what the index-th --set put into the tree: line RR_OVERRIDE_LINE, column
 * index + 1.  A validation error there is the --set's, which main names instead of a place
 * in the file. */
#define RR_OVERRIDE_LINE (-1)

/* Apply one "PATH=VALUE", the index-th (from 0) of the command line, to root.  RR_OK, or
 * RR_ERR_USAGE with a diagnostic (at RR_OVERRIDE_LINE, index + 1). */
rr_status rr_override_apply(rr_node *root, const char *assignment, int index, rr_diags *diags);

/* Split "PATH=V1,V2,..." for --sweep: commas inside brackets or quotes do not split.
 * Fills *path (owned) and values (owned array of owned strings).  RR_OK or RR_ERR_USAGE. */
rr_status rr_override_split_sweep(const char *arg, char **path, char ***values, size_t *n,
                                  rr_diags *diags);
void rr_override_free_values(char **values, size_t n);

#endif
