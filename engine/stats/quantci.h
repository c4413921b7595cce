/* quantci: distribution-free confidence intervals for quantiles, from order statistics.
 *
 * For the p-quantile of n independent draws, the number B of draws below it is
 * Binomial(n, p).  With l = the 2.5% point of B and u = the 97.5% point plus one, the order
 * statistics X_(l) <= xi_p <= X_(u) hold with probability at least about 95%, whatever the
 * distribution (e.g. Conover, Practical Nonparametric Statistics, 3rd ed., 3.2).  The ranks
 * depend only on (n, p): compute them once per quantile.  Exact binomial search (GSL's
 * gsl_cdf_binomial_P) up to n = 2^31; the normal approximation beyond, where it is exact
 * to well below one rank's worth of probability.
 */
#ifndef RR_QUANTCI_H
#define RR_QUANTCI_H

#include <stdint.h>

/* 1-based ranks of the 95% interval of the p-quantile of n values, within 1..n. */
void rr_quantci_ranks(uint64_t n, double p, uint64_t *lo, uint64_t *hi);

#endif
