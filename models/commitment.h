/* commitment: a spend committed each month that buys usage at a discount, for the types
 * that bill usage (compute, model_api, per_request): AWS Savings Plans, GCP committed use,
 * Azure reservations, provisioned throughput.
 *
 * `commitment: {monthly: C, discount: d, from_month, until_month}`: in the committed months
 * C buys usage worth C / (1 - d) at list price, usage beyond it is billed at list, and C is
 * paid whether used or not.  With `list` the component's month cost without the commitment:
 *   cost   = C + max(0, list - C / (1 - d))
 *   unused = max(0, C - (1 - d) * list)
 * A type lists the four fields with RR_COMMITMENT_FIELDS at index `at` (the engine finds
 * them by the key "commitment.monthly"), calls
 * rr_commitment_check from its check and rr_commitment_apply last in its month.
 */
#ifndef RR_COMMITMENT_H
#define RR_COMMITMENT_H

#include <math.h>
#include <stddef.h>

#include "models/model.h"

#define RR_COMMITMENT_FIELDS(at)                                                              \
    [(at)] = { "commitment.monthly", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN }, \
    [(at) + 1] = { "commitment.discount", RR_FIELD_VALUE, RR_DOMAIN_UNIT, RR_IN_REQUIRED,     \
                   NAN },                                                                     \
    [(at) + 2] = { "commitment.from_month", RR_FIELD_PLAIN, RR_DOMAIN_NONNEG, RR_IN_INTEGER,  \
                   1 },                                                                       \
    [(at) + 3] = { "commitment.until_month", RR_FIELD_PLAIN, RR_DOMAIN_NONNEG, RR_IN_INTEGER, \
                   INFINITY }

/* The months in range; a constant discount below 1 (a discount of 1 would buy unlimited
 * usage: a slip). */
void rr_commitment_check(const rr_component *c, size_t at, int horizon, rr_diags *diags);
/* The month's cost of every lane after the commitment, when c has one; a->unused filled
 * (0 outside the committed months). */
void rr_commitment_apply(const rr_month *a, size_t at, double *restrict cost);

#endif
