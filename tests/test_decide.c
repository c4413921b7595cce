/* test_decide: the break-even search (stats/decision.h) on functions whose root and interval
 * are known, and the grid record's shape.  The searches through whole scenarios on common
 * random numbers are tests/decide.sh's. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stats/decision.h"

/* f(v) = slope (v - root), its 95% interval f +- half; calls counted; fails at call
 * `fail_at` (0: never). */
typedef struct line {
    double slope, root, half;
    int calls, fail_at;
} line;

static rr_status eval_line(void *ctx, double v, rr_break_even_point *out)
{
    line *l = ctx;
    if (++l->calls == l->fail_at)
        return RR_ERR_NUMERIC;
    out->f = l->slope * (v - l->root);
    out->lo = out->f - l->half;
    out->hi = out->f + l->half;
    return RR_OK;
}

static void search(rr_break_even *be, line *l, double lo, double hi)
{
    memset(be, 0, sizeof *be);
    be->lo = lo;
    be->hi = hi;
    assert_int_equal(rr_break_even_search(be, eval_line, l), RR_OK);
    assert_int_equal(be->evaluations, l->calls);
}

static void test_rising_root_and_interval(void **state)
{
    (void)state;
    line l = { 2, 3, 1, 0, 0 };
    rr_break_even be;
    search(&be, &l, 0, 10);
    const double tol = 10.0 / 1000;
    assert_true(be.found);
    assert_true(fabs(be.value - 3) <= tol);
    /* 0 is inside f +- 1 for |v - 3| <= 0.5. */
    assert_true(fabs(be.interval[0] - 2.5) <= tol);
    assert_true(fabs(be.interval[1] - 3.5) <= tol);
    assert_true(be.f_lo == -6 && be.f_hi == 14);
    /* Two ends, then three bisections of at most 10 steps each, reusing points. */
    assert_true(be.evaluations <= 2 + 3 * 10);
    for (size_t i = 1; i < be.npoints; i++)
        assert_true(be.points[i - 1].v < be.points[i].v);
}

static void test_falling_root_and_interval(void **state)
{
    (void)state;
    line l = { -0.5, 70, 2, 0, 0 };
    rr_break_even be;
    search(&be, &l, 10, 110);
    const double tol = 100.0 / 1000;
    assert_true(be.found);
    assert_true(fabs(be.value - 70) <= tol);
    assert_true(fabs(be.interval[0] - 66) <= tol);
    assert_true(fabs(be.interval[1] - 74) <= tol);
}

static void test_exact_function_has_a_point_interval(void **state)
{
    (void)state;
    line l = { 1, 0.37, 0, 0, 0 };
    rr_break_even be;
    search(&be, &l, 0, 1);
    assert_true(be.found);
    assert_true(be.interval[0] <= be.value && be.value <= be.interval[1]);
    assert_true(be.interval[1] - be.interval[0] <= 2.0 / 1000);
}

static void test_interval_reaching_the_range_ends(void **state)
{
    (void)state;
    line l = { 1, 5, 100, 0, 0 };   /* so uncertain that every v holds 0 */
    rr_break_even be;
    search(&be, &l, 0, 10);
    assert_true(be.found);
    assert_true(be.interval[0] == 0 && be.interval[1] == 10);
}

static void test_no_crossing(void **state)
{
    (void)state;
    line l = { 1, -1, 0.5, 0, 0 };
    rr_break_even be;
    search(&be, &l, 0, 10);
    assert_false(be.found);
    assert_true(isnan(be.value) && isnan(be.interval[0]) && isnan(be.interval[1]));
    assert_true(be.f_lo == 1 && be.f_hi == 11);
    assert_int_equal(be.evaluations, 2);
}

static void test_root_at_an_end(void **state)
{
    (void)state;
    line l = { 1, 0, 0, 0, 0 };
    rr_break_even be;
    search(&be, &l, 0, 4);
    assert_true(be.found);
    assert_true(be.value == 0);
}

static void test_failure_stops_the_search(void **state)
{
    (void)state;
    line l = { 1, 3, 1, 0, 5 };
    rr_break_even be;
    memset(&be, 0, sizeof be);
    be.lo = 0;
    be.hi = 10;
    assert_int_equal(rr_break_even_search(&be, eval_line, &l), RR_ERR_NUMERIC);
    assert_int_equal(l.calls, 5);
}

static void test_grid_shape(void **state)
{
    (void)state;
    const char *v0[] = { "1", "2", "3" }, *v1[] = { "a", "b" };
    rr_grid_axis ax[2] = { { "x", v0, 3 }, { "y", v1, 2 } };
    rr_grid *g = NULL;
    assert_int_equal(rr_grid_new(2, ax, 2, &g), RR_OK);
    assert_int_equal(rr_grid_at(g, 2, 1, 1), (2 * 2 + 1) * 2 + 1);
    assert_true(isnan(g->p[rr_grid_at(g, 2, 1, 1)]));
    rr_grid_free(g);
    /* One axis: the second has one value. */
    assert_int_equal(rr_grid_new(1, ax, 1, &g), RR_OK);
    assert_int_equal(g->axis[1].n, 1);
    assert_int_equal(rr_grid_at(g, 2, 0, 0), 2);
    rr_grid_free(g);
    /* 21 x 20 cells are too many. */
    const char *many[21] = { 0 };
    rr_grid_axis big[2] = { { "x", many, 21 }, { "y", many, 20 } };
    assert_int_equal(rr_grid_new(2, big, 1, &g), RR_ERR_USAGE);
    assert_null(g);
    big[0].n = 20;
    assert_int_equal(rr_grid_new(2, big, 1, &g), RR_OK);
    rr_grid_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rising_root_and_interval),
        cmocka_unit_test(test_falling_root_and_interval),
        cmocka_unit_test(test_exact_function_has_a_point_interval),
        cmocka_unit_test(test_interval_reaching_the_range_ends),
        cmocka_unit_test(test_no_crossing),
        cmocka_unit_test(test_root_at_an_end),
        cmocka_unit_test(test_failure_stops_the_search),
        cmocka_unit_test(test_grid_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
