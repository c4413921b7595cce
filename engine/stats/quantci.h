/* quantci: distribution-free confidence intervals for quantiles, from order statistics.
 *
 * For the p-quantile of n independent draws, the number B of draws below it is
 * Binomial(n, p).  With l the smallest k such that P(B <= k) >= 0.025 and u one more than
 * the smallest k such that P(B <= k) >= 0.975, the order statistics X_(l) <= xi_p <= X_(u)
 * hold with probability P(l <= B <= u - 1), at least about 95%, whatever the distribution
 * (e.g. Conover, Practical Nonparametric Statistics, 3rd ed., 3.2).  Where a rank falls
 * outside 1..n (few values, an extreme percentile: below about 72 values for P5 and P95,
 * 3,700 for P99.9) there is no order statistic for that end: it is unbounded, and a report
 * says so rather than show the sample's extreme as if it were a bound.  The ranks depend
 * only on (n, p): compute them once per quantile.  Exact binomial search (GSL's
 * gsl_cdf_binomial_P) up to n = 2^31; the normal approximation beyond, where it is exact
 * to well below one rank's worth of probability.
 */
#ifndef RR_QUANTCI_H
#define RR_QUANTCI_H

#include <stdint.h>

/* 1-based ranks of the 95% interval of the p-quantile of n >= 1 values: lo in 0..n, 0 when
 * the lower end is unbounded; hi in 1..n + 1, n + 1 when the upper end is. */
void rr_quantci_ranks(uint64_t n, double p, uint64_t *lo, uint64_t *hi);

#endif
