/* values: where a ref's values sit for a group, month by month and lane by lane. */
#ifndef RR_VALUES_H
#define RR_VALUES_H

#include <stddef.h>

typedef struct rr_values {
    const double *at;        /* month 0's values, one per lane */
    size_t stride;           /* doubles from one month to the next: 0 or RR_LANES */
} rr_values;

/* The values of a ref in month m, one per lane. */
static inline const double *rr_values_month(const rr_values *v, int m)
{
    return v->at + (size_t)m * v->stride;
}

#endif
