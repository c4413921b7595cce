/* quantci: binomial ranks of a quantile's confidence interval. */
#include "stats/quantci.h"

#include <math.h>
#include <gsl/gsl_cdf.h>

/* The smallest k in 0..n with P(Binomial(n, p) <= k) >= a. */
static uint64_t binomial_quantile(uint64_t n, double p, double a)
{
    if (n <= 2147483647u) {
        uint64_t lo = 0, hi = n;
        while (lo < hi) {
            uint64_t mid = lo + (hi - lo) / 2;
            if (gsl_cdf_binomial_P((unsigned)mid, p, (unsigned)n) >= a)
                hi = mid;
            else
                lo = mid + 1;
        }
        return lo;
    }
    double mean = (double)n * p, sd = sqrt((double)n * p * (1 - p));
    double k = ceil(mean + gsl_cdf_ugaussian_Pinv(a) * sd - 0.5);
    return k < 0 ? 0 : k > (double)n ? n : (uint64_t)k;
}

void rr_quantci_ranks(uint64_t n, double p, uint64_t *lo, uint64_t *hi)
{
    if (n == 0) {
        *lo = *hi = 0;
        return;
    }
    *lo = binomial_quantile(n, p, 0.025);
    *hi = binomial_quantile(n, p, 0.975) + 1;
}
