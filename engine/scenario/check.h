/* check: the shape checks of scenario nodes, each adding a located message on failure.
 *
 * Shared by the scenario's validation and the component types' `parse` hooks, so that a
 * type's own keys get the same messages as everyone else's: "costs.api.tiers[1]: expected
 * a mapping, got a sequence", "unknown key 'untill' (did you mean 'until_month'?)".  Every
 * function returns 0, or -1 after adding its diagnostic.
 */
#ifndef RR_CHECK_H
#define RR_CHECK_H

#include <stdint.h>

#include "scenario/diag.h"
#include "scenario/node.h"

/* The text to quote of a node in a message: a scalar's own text, or "a mapping". */
const char *rr_check_text(const rr_node *n);
/* "unknown key 'K' in WHERE (did you mean 'X'?)" at key k, the suggestion from known. */
void rr_check_unknown(rr_diags *d, const rr_node *k, const char *where,
                      const char *const *known);
/* Every key of map must be one of keys (NULL-terminated); -1 when any is not. */
int rr_check_keys(rr_diags *d, const rr_node *map, const char *where, const char *const *keys);
int rr_check_map(rr_diags *d, const rr_node *n, const char *what);
/* A finite plain number (not a distribution). */
int rr_check_plain(rr_diags *d, const rr_node *n, const char *what, double *out);
/* A whole number in [lo, hi] (digits, or an exponent form that is exactly whole). */
int rr_check_uint(rr_diags *d, const rr_node *n, const char *what, uint64_t lo, uint64_t hi,
                  uint64_t *out);

#endif
