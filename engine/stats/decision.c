/* decision: grids of cells and the break-even search (decision.h). */
#include "stats/decision.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

rr_status rr_grid_new(size_t naxes, const rr_grid_axis *axis, size_t nseries, rr_grid **out)
{
    *out = NULL;
    if (naxes < 1 || naxes > 2 || nseries < 1)
        return RR_ERR_USAGE;
    const size_t n1 = naxes == 2 ? axis[1].n : 1;
    if (axis[0].n < 1 || n1 < 1 || axis[0].n > RR_GRID_MAX_CELLS / n1)
        return RR_ERR_USAGE;
    rr_grid *g = calloc(1, sizeof *g);
    if (!g)
        return RR_ERR_NOMEM;
    g->naxes = naxes;
    g->axis[0] = axis[0];
    g->axis[1] = naxes == 2 ? axis[1] : (rr_grid_axis){ NULL, NULL, 1 };
    g->nseries = nseries;
    const size_t n = axis[0].n * n1 * nseries;
    g->stats = calloc(n, sizeof *g->stats);
    g->p = calloc(n, sizeof *g->p);
    rr_warnings_init(&g->warnings);
    if (!g->stats || !g->p) {
        rr_grid_free(g);
        return RR_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        g->p[i] = NAN;
    *out = g;
    return RR_OK;
}

void rr_grid_free(rr_grid *g)
{
    if (!g)
        return;
    free(g->stats);
    free(g->p);
    rr_warnings_free(&g->warnings);
    free(g);
}

/* f at v, from the points already evaluated when v is one of them; the points stay sorted
 * by v. */
static rr_status eval(rr_break_even *be, rr_break_even_fn fn, void *ctx, double v,
                      rr_break_even_point *out)
{
    size_t i = 0;
    while (i < be->npoints && be->points[i].v < v)
        i++;
    if (i < be->npoints && be->points[i].v == v) {
        *out = be->points[i];
        return RR_OK;
    }
    if (be->npoints == RR_BREAK_EVEN_MAX_POINTS)
        return RR_ERR_INTERNAL;   /* 2 + 3 bisections of 10 steps: never near */
    rr_break_even_point p = { v, NAN, NAN, NAN };
    rr_status st = fn(ctx, v, &p);
    be->evaluations++;
    if (st != RR_OK)
        return st;
    if (isnan(p.f))
        return RR_ERR_NUMERIC;
    p.v = v;
    if (isnan(p.lo))
        p.lo = p.f;
    if (isnan(p.hi))
        p.hi = p.f;
    memmove(&be->points[i + 1], &be->points[i], (be->npoints - i) * sizeof *be->points);
    be->points[i] = p;
    be->npoints++;
    *out = p;
    return RR_OK;
}

/* Which side of an interval's end a point lies on: for the lower end, whether the 95%
 * interval of f has reached 0 (rising f: its upper bound is >= 0); for the upper end,
 * whether it has passed 0 (rising f: its lower bound is > 0).  A falling f mirrors both. */
static int past(const rr_break_even_point *p, int rising, int upper)
{
    if (!upper)
        return rising ? p->hi >= 0 : p->lo <= 0;
    return rising ? p->lo > 0 : p->hi < 0;
}

/* The end of the interval: the first evaluated point past it (none: hi; the first point
 * itself: lo), then bisection between it and the point before; the bracket's outer end, so
 * that the interval errs wide by at most the tolerance. */
static rr_status interval_end(rr_break_even *be, rr_break_even_fn fn, void *ctx, int rising,
                              int upper, double tol, double *end)
{
    size_t k = 0;
    while (k < be->npoints && !past(&be->points[k], rising, upper))
        k++;
    if (k == be->npoints) {
        *end = be->hi;
        return RR_OK;
    }
    if (k == 0) {
        *end = be->lo;
        return RR_OK;
    }
    double a = be->points[k - 1].v, b = be->points[k].v;
    while (b - a > tol) {
        double m = a + 0.5 * (b - a);
        rr_break_even_point p;
        rr_status st = eval(be, fn, ctx, m, &p);
        if (st != RR_OK)
            return st;
        if (past(&p, rising, upper))
            b = m;
        else
            a = m;
    }
    *end = upper ? b : a;
    return RR_OK;
}

rr_status rr_break_even_search(rr_break_even *be, rr_break_even_fn fn, void *ctx)
{
    be->npoints = 0;
    be->evaluations = 0;
    be->found = 0;
    be->value = be->interval[0] = be->interval[1] = NAN;
    rr_break_even_point pa, pb;
    rr_status st = eval(be, fn, ctx, be->lo, &pa);
    if (st == RR_OK)
        st = eval(be, fn, ctx, be->hi, &pb);
    if (st != RR_OK)
        return st;
    be->f_lo = pa.f;
    be->f_hi = pb.f;
    if ((pa.f > 0 && pb.f > 0) || (pa.f < 0 && pb.f < 0))
        return RR_OK;   /* no crossing in [lo, hi] */
    const double tol = (be->hi - be->lo) / 1000;
    const int rising = pb.f > pa.f;
    double a = be->lo, b = be->hi, fa = pa.f;
    if (pa.f == 0)
        b = a;
    else if (pb.f == 0)
        a = b;
    while (b - a > tol) {
        double m = a + 0.5 * (b - a);
        rr_break_even_point p;
        if ((st = eval(be, fn, ctx, m, &p)) != RR_OK)
            return st;
        if (p.f == 0) {
            a = b = m;
        } else if ((p.f < 0) == (fa < 0)) {
            a = m;
            fa = p.f;
        } else {
            b = m;
        }
    }
    be->found = 1;
    be->value = a + 0.5 * (b - a);
    double lo_end, hi_end;
    st = interval_end(be, fn, ctx, rising, 0, tol, &lo_end);
    if (st == RR_OK)
        st = interval_end(be, fn, ctx, rising, 1, tol, &hi_end);
    if (st != RR_OK)
        return st;
    /* The interval holds the last bracket of f's own crossing, which an exact f (no Monte
     * Carlo error) would otherwise shrink to a point beside its root. */
    be->interval[0] = lo_end < a ? lo_end : a;
    be->interval[1] = hi_end > b ? hi_end : b;
    return RR_OK;
}
