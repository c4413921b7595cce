/* support: shared helpers of the test programs. */
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "scenario/override.h"

rr_scenario *test_load(const char *yaml, const char *set)
{
    rr_diags d;
    rr_diags_init(&d, "test.yaml");
    rr_node *root = NULL;
    rr_scenario *s = NULL;
    assert_int_equal(rr_node_load_string(yaml, strlen(yaml), &root, &d), RR_OK);
    if (set)
        assert_int_equal(rr_override_apply(root, set, &d), RR_OK);
    rr_status st = rr_scenario_from_node(root, &s, &d);
    for (size_t i = 0; i < d.n; i++)
        print_error("test.yaml:%d:%d: %s\n", d.v[i].line, d.v[i].col, d.v[i].msg);
    assert_int_equal(st, RR_OK);
    rr_node_free(root);
    rr_diags_free(&d);
    return s;
}

rr_summary *test_summarise(const rr_scenario *s, uint64_t paths, uint64_t seed, int threads,
                           rr_sim_result **keep)
{
    rr_diags d;
    rr_diags_init(&d, "test.yaml");
    rr_sim_config cfg = { .paths = paths, .seed = seed, .threads = threads };
    rr_sim_result *r = NULL;
    assert_int_equal(rr_sim_run(s, &cfg, &r, &d), RR_OK);
    rr_summary *sum = NULL;
    assert_int_equal(rr_summary_build(s, r, NULL, 0, &sum), RR_OK);
    rr_diags_free(&d);
    if (keep)
        *keep = r;
    else
        rr_sim_result_free(r);
    return sum;
}
