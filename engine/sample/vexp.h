/* vexp: e^x, log x and ceil x in straight-line double arithmetic, so that a loop of them is a
 * loop of vectors.
 *
 * Written by hand because libm's exp is a call the compiler cannot make vectors of (glibc's
 * vector variants come only with -ffast-math, which runrate does not use: it changes values
 * elsewhere), and a lognormal draw is an exp: a path takes two dozen of them.  Method: x =
 * k ln2 + r with k the nearest integer to x / ln2 and |r| <= ln2 / 2 (Cody and Waite's two-
 * part ln2, so k ln2 is exact for |k| < 2^21); e^r by its Taylor polynomial of degree 13
 * (truncation below 5e-18 relative), evaluated by Estrin's scheme for a short dependency
 * chain; then two exact multiplications by powers of two, 2^(k/2) and 2^(k - k/2), so that
 * every exponent is a normal double and results down into the subnormals round once more at
 * most.  Error: within 1.5 ulp of libm's exp wherever e^x is normal (tests/test_rng.c); e^x
 * overflows to +inf above 709.78 and underflows to 0 below -745.2 as libm's does; NaN in,
 * NaN out.  No branches, no tables, no integer-double conversions: only operations that
 * SSE2 has for two lanes and AVX for four or eight.
 */
#ifndef RR_VEXP_H
#define RR_VEXP_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* 2^j for an integer-valued j in [-1022, 1023] given as j + 0x1.8p52 (its bits hold j). */
static inline double rr_vexp_pow2(double j_shifted)
{
    uint64_t b, s;
    const double shifter = 0x1.8p52;
    memcpy(&b, &j_shifted, sizeof b);
    memcpy(&s, &shifter, sizeof s);
    b = (b - s + 1023) << 52;
    double p;
    memcpy(&p, &b, sizeof p);
    return p;
}

static inline double rr_vexp(double x)
{
    const double shifter = 0x1.8p52;   /* adding it rounds to an integer in the low bits */
    const double log2e = 0x1.71547652b82fep0;
    const double ln2_hi = 0x1.62e42fee00000p-1;   /* 32 significant bits: k ln2_hi exact */
    const double ln2_lo = 0x1.a39ef35793c76p-33;
    /* Beyond these e^x is 0 or +inf anyway; inside them k stays in [-1077, 1025]. */
    double xc = x < -746.0 ? -746.0 : x;
    xc = xc > 710.0 ? 710.0 : xc;
    double k = (xc * log2e + shifter) - shifter;
    double r = (xc - k * ln2_hi) - k * ln2_lo;
    /* Taylor coefficients 1/n!, n = 2..13. */
    const double c2 = 0.5, c3 = 0x1.5555555555555p-3, c4 = 0x1.5555555555555p-5,
                 c5 = 0x1.1111111111111p-7, c6 = 0x1.6c16c16c16c17p-10,
                 c7 = 0x1.a01a01a01a01ap-13, c8 = 0x1.a01a01a01a01ap-16,
                 c9 = 0x1.71de3a556c734p-19, c10 = 0x1.27e4fb7789f5cp-22,
                 c11 = 0x1.ae64567f544e4p-26, c12 = 0x1.1eed8eff8d898p-29,
                 c13 = 0x1.6124613a86d09p-33;
    /* e^r = 1 + (r + r^2 (c2 + c3 r + ... + c13 r^11)): the small part first, then the 1,
     * so that the last rounding is that of one addition. */
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double a0 = c2 + c3 * r, a1 = c4 + c5 * r, a2 = c6 + c7 * r, a3 = c8 + c9 * r;
    double a4 = c10 + c11 * r, a5 = c12 + c13 * r;
    double b0 = a0 + a1 * r2, b1 = a2 + a3 * r2, b2 = a4 + a5 * r2;
    double inner = (b0 + b1 * r4) + b2 * r8;
    double p = 1.0 + (r + r2 * inner);
    /* k = ka + kb, each in [-539, 513]: two normal powers of two. */
    double ka = (k * 0.5 + shifter) - shifter;
    double kb = k - ka;
    return p * rr_vexp_pow2(ka + shifter) * rr_vexp_pow2(kb + shifter);
}

/* ceil x, exactly, for every double (the baseline x86-64 has no rounding instruction, and
 * libm's ceil is a call): |x| rounded to the nearest integer by adding and taking away 2^52
 * (exact below 2^52, where the sum's ulp is 1), moved by one toward ceil x where it fell on
 * the wrong side (adjustments chosen by selects of constants: no branch), and x's sign put on
 * the result (ceil(-0.5) is -0).  From 2^52 on, infinities and NaN: x. */
static inline double rr_vceil(double x)
{
    const double two52 = 0x1.0p52;
    double a = fabs(x);
    double t = (a + two52) - two52;
    double up = t < a ? 1.0 : 0.0, down = t > a ? -1.0 : 0.0;
    double mag = t + (x >= 0 ? up : down);
    return a < two52 ? copysign(mag, x) : x;
}

/* log x: x = 2^e m with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s), s = (m - 1) / (m + 1),
 * |s| <= 0.1716, by its series to s^21 (truncation below 3e-17 relative), plus e ln2 in two
 * parts.  Subnormal x are scaled by 2^54 first.  log 0 = -inf, log of a negative or NaN is
 * NaN, log +inf = +inf, as libm's.  Within 2 ulp of libm's log (tests/test_rng.c). */
static inline double rr_vlog(double x)
{
    const double ln2_hi = 0x1.62e42fee00000p-1, ln2_lo = 0x1.a39ef35793c76p-33;
    int sub = x < 0x1.0p-1022;
    double xs = sub ? x * 0x1.0p54 : x;
    uint64_t b, mb;
    memcpy(&b, &xs, sizeof b);
    /* The biased exponent as a double, through the bits of 2^52 + e (exact). */
    uint64_t eb = UINT64_C(0x4330000000000000) | ((b >> 52) & 0x7ff);
    double e;
    memcpy(&e, &eb, sizeof e);
    e = e - 0x1.0p52 - 1023.0 - (sub ? 54.0 : 0.0);
    mb = (b & UINT64_C(0x000fffffffffffff)) | UINT64_C(0x3ff0000000000000);
    double m;
    memcpy(&m, &mb, sizeof m);
    int big = m > 0x1.6a09e667f3bcdp0;   /* sqrt(2) */
    m = big ? 0.5 * m : m;
    e = big ? e + 1.0 : e;
    double s = (m - 1.0) / (m + 1.0), z = s * s;
    /* 2 atanh(s) = 2s (1 + z/3 + z^2/5 + ... + z^10/21), the tail by Estrin's scheme. */
    const double k3 = 1.0 / 3, k5 = 1.0 / 5, k7 = 1.0 / 7, k9 = 1.0 / 9, k11 = 1.0 / 11,
                 k13 = 1.0 / 13, k15 = 1.0 / 15, k17 = 1.0 / 17, k19 = 1.0 / 19, k21 = 1.0 / 21;
    double z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
    double t = ((k3 + k5 * z) + (k7 + k9 * z) * z2) + ((k11 + k13 * z) + (k15 + k17 * z) * z2) * z4 +
               (k19 + k21 * z) * z8;
    double lm = 2.0 * s + 2.0 * s * (z * t);
    double r = e * ln2_hi + (lm + e * ln2_lo);
    /* The ends: 0, negatives and NaN, +inf. */
    r = x == 0 ? -HUGE_VAL : r;
    r = x < 0 || x != x ? NAN : r;
    return x == HUGE_VAL ? HUGE_VAL : r;
}

#endif
