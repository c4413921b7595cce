/* test_layers: files laid over the files they extend.
 *
 * Each merge rule on its own (a mapping key by key, an uncertain value replaced whole, a list
 * replaced, costs by name: merged, replaced on a new type, removed, appended); chains; the
 * errors (a cycle, an unreadable base, remove without its component, in the overlay) and a
 * base's error named in the base; `--set` on a layered file; a layered file and its merged
 * equivalent give the same numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "support.h"
#include "scenario/layers.h"
#include "scenario/override.h"
#include "scenario/scenario.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/rr-layers-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

typedef struct loaded {
    rr_status st;
    rr_scenario *s;
    rr_diags d;
} loaded;

/* Load dir/name through its chain, with the override `set` when not NULL. */
static void load(loaded *r, const char *name, const char *set)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    rr_diags_init(&r->d, path);
    r->s = NULL;
    rr_node *root = NULL;
    r->st = rr_layers_load(path, &root, &r->d);
    if (r->st == RR_OK && set)
        r->st = rr_override_apply(root, set, 0, &r->d);
    if (r->st == RR_OK)
        r->st = rr_scenario_from_node(root, &r->s, &r->d);
    rr_node_free(root);
}

static void done(loaded *r)
{
    rr_scenario_free(r->s);
    rr_diags_free(&r->d);
}

static void must_load(loaded *r, const char *name, const char *set)
{
    load(r, name, set);
    if (r->st != RR_OK) {
        for (size_t i = 0; i < r->d.n; i++)
            print_error("    %s:%d:%d: %s\n", rr_diags_file(&r->d, r->d.v[i].line),
                        rr_pos_line(r->d.v[i].line), r->d.v[i].col, r->d.v[i].msg);
        fail_msg("%s did not load", name);
    }
}

/* An error in file `file` (by its name's end) at line:col holding want. */
static void error_in(const char *name, const char *file, int line, int col, const char *want)
{
    loaded r;
    load(&r, name, NULL);
    int found = 0;
    for (size_t i = 0; i < r.d.n; i++) {
        const char *f = rr_diags_file(&r.d, r.d.v[i].line);
        size_t lf = f ? strlen(f) : 0, ln = strlen(file);
        found |= f && lf >= ln && strcmp(f + lf - ln, file) == 0 &&
                 rr_pos_line(r.d.v[i].line) == line && r.d.v[i].col == col &&
                 strstr(r.d.v[i].msg, want) != NULL;
    }
    if (r.st == RR_OK || !found) {
        for (size_t i = 0; i < r.d.n; i++)
            print_error("    %s:%d:%d: %s\n", rr_diags_file(&r.d, r.d.v[i].line),
                        rr_pos_line(r.d.v[i].line), r.d.v[i].col, r.d.v[i].msg);
        fail_msg("%s: expected an error in %s at %d:%d with '%s'", name, file, line, col, want);
    }
    done(&r);
}

static const char base[] =
    "name: base\n"
    "horizon_months: 12\n"
    "budget: {total: 100000, confidence: 0.9}\n"
    "demand:\n"
    "  requests_per_month: 60000 to 110000\n"
    "  seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]\n"
    "  spikes: {per_month: 0.2, multiplier: 2, days: 3}\n"
    "start: 2027-01\n"
    "costs:\n"
    "  - name: chat\n"
    "    type: model_api\n"
    "    input_tokens: 1500 to 4000\n"
    "    output_tokens: {normal: {mean: 400, sd: 50}}\n"
    "    price_per_million: {input: 3.00, output: 15.00, cached_input: 0.30}\n"
    "  - {name: review, type: oversight, review_share: 0.02, minutes_per_review: 5,\n"
    "     hourly_rate: 40}\n"
    "  - {name: ops, type: fixed, category: mlops, monthly: 1200}\n";

static const rr_input *input(const rr_scenario *s, const char *path)
{
    for (size_t k = 0; k < s->ncomps; k++)
        for (size_t i = 0; i < s->comps[k].type->nfields; i++)
            if (s->comps[k].in[i].path && strcmp(s->comps[k].in[i].path, path) == 0)
                return &s->comps[k].in[i];
    for (size_t i = 0; i < RR_DEMAND_NFIELDS; i++)
        if (s->streams[0].d.in[i].path && strcmp(s->streams[0].d.in[i].path, path) == 0)
            return &s->streams[0].d.in[i];
    fail_msg("no input %s", path);
    return NULL;
}

static void test_merge_rules(void **state)
{
    (void)state;
    write_file("base.yaml", base);
    write_file("over.yaml",
               "extends: base.yaml\n"
               "name: over\n"                                   /* a scalar: replaced */
               "budget: {total: 80000}\n"                       /* a mapping: key by key */
               "demand:\n"
               "  seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3]\n"   /* a list: replaced */
               "  spikes: {multiplier: 4}\n"
               "costs:\n"
               "  - name: chat\n"
               "    output_tokens: {uniform: {min: 100, max: 200}}\n"   /* replaced whole */
               "    price_per_million: {input: 1.00}\n"
               "  - {name: review, type: fixed, category: oversight, monthly: 500}\n"
               "  - {name: ops, remove: true}\n"
               "  - {name: tracing, type: per_request, category: mlops, units_per_request: 1,\n"
               "     unit_price: 0.001}\n");
    loaded r;
    must_load(&r, "over.yaml", NULL);
    const rr_scenario *s = r.s;
    assert_string_equal(s->name, "over");
    assert_true(s->budget_total == 80000 && s->confidence == 0.9);
    assert_true(s->streams[0].d.season[11] == 3);
    assert_int_equal(s->streams[0].d.in[RR_DEMAND_BASE].dist.kind, RR_DIST_LOGNORMAL);
    assert_true(input(s, "demand.spikes.multiplier")->dist.p[0] == 4);
    assert_true(input(s, "demand.spikes.days")->dist.p[0] == 3);
    /* costs by name: chat merged, review replaced (another type), ops removed, tracing new. */
    assert_int_equal(s->ncomps, 3);
    assert_string_equal(s->comps[0].name, "chat");
    assert_string_equal(s->comps[1].name, "review");
    assert_string_equal(s->comps[1].type->name, "fixed");
    assert_string_equal(s->comps[2].name, "tracing");
    assert_int_equal(input(s, "costs.chat.output_tokens")->dist.kind, RR_DIST_UNIFORM);
    assert_true(input(s, "costs.chat.price_per_million.input")->dist.p[0] == 1);
    assert_true(input(s, "costs.chat.price_per_million.output")->dist.p[0] == 15);
    assert_true(input(s, "costs.chat.price_per_million.cached_input")->dist.p[0] == 0.30);
    /* Every input keeps its file and line: the base's in file 1, the overlay's in 0. */
    const rr_input *tokens = input(s, "costs.chat.input_tokens");
    assert_int_equal(rr_pos_file(tokens->line), 1);
    assert_int_equal(rr_pos_line(tokens->line), 12);
    const rr_input *price = input(s, "costs.chat.price_per_million.input");
    assert_int_equal(rr_pos_file(price->line), 0);
    assert_int_equal(price->line, 10);
    assert_int_equal(s->nlayers, 1);
    done(&r);
}

/* A chain of three; the nearest file wins. */
static void test_chain(void **state)
{
    (void)state;
    write_file("base.yaml", base);
    write_file("mid.yaml", "extends: base.yaml\nname: mid\nhorizon_months: 24\n"
                           "costs:\n  - {name: ops, monthly: 2000}\n");
    write_file("top.yaml", "extends: mid.yaml\nname: top\n"
                           "costs:\n  - {name: ops, from_month: 3}\n");
    loaded r;
    must_load(&r, "top.yaml", NULL);
    assert_string_equal(r.s->name, "top");
    assert_int_equal(r.s->horizon, 24);
    assert_true(input(r.s, "costs.ops.monthly")->dist.p[0] == 2000);
    assert_int_equal(rr_pos_file(input(r.s, "costs.ops.monthly")->line), 1);
    assert_true(input(r.s, "costs.ops.from_month")->dist.p[0] == 3);
    assert_int_equal(rr_pos_file(input(r.s, "demand.requests_per_month")->line), 2);
    assert_int_equal(r.s->nlayers, 2);
    done(&r);
}

static void test_errors(void **state)
{
    (void)state;
    write_file("base.yaml", base);
    /* A cycle, at the extends that closes it. */
    write_file("c1.yaml", "extends: c2.yaml\nname: c1\n");
    write_file("c2.yaml", "extends: c1.yaml\nname: c2\n");
    error_in("c1.yaml", "c2.yaml", 1, 10, "extends: a cycle: ");
    /* A base that is not there, at the extends. */
    write_file("lost.yaml", "name: lost\nextends: nowhere.yaml\n");
    error_in("lost.yaml", "lost.yaml", 2, 10, "extends: ");
    /* remove without its component, in the overlay. */
    write_file("rm.yaml", "extends: base.yaml\ncosts:\n  - {name: nope, remove: true}\n");
    error_in("rm.yaml", "rm.yaml", 3, 5, "remove: no component 'nope'");
    /* An overlay's error in the overlay; a base's in the base. */
    write_file("bad.yaml", "extends: base.yaml\ncosts:\n  - {name: chat, input_tokens: 60k}\n");
    error_in("bad.yaml", "bad.yaml", 3, 32, "got '60k' (write 60000)");
    write_file("badbase.yaml", "name: b\nhorizon_months: 12\ndemand: {requests_per_month: 1}\n"
                               "costs:\n  - {name: f, type: fixed, category: mlops, monthly: -1}\n");
    write_file("overbase.yaml", "extends: badbase.yaml\nname: o\n");
    error_in("overbase.yaml", "badbase.yaml", 5, 54, "must be >= 0, got -1");
    /* A base with broken YAML: its line, in its file. */
    write_file("broken.yaml", "name: b\ncosts: [\n");
    write_file("overbroken.yaml", "extends: broken.yaml\n");
    loaded r;
    load(&r, "overbroken.yaml", NULL);
    assert_int_not_equal(r.st, RR_OK);
    assert_true(r.d.n > 0);
    assert_int_equal(rr_pos_file(r.d.v[0].line), 1);
    done(&r);
}

/* --set on a layered file changes the merged value; its errors are the --set's. */
static void test_set(void **state)
{
    (void)state;
    write_file("base.yaml", base);
    write_file("over.yaml", "extends: base.yaml\nname: over\n"
                            "costs:\n  - {name: chat, price_per_million: {input: 1.00}}\n");
    loaded r;
    must_load(&r, "over.yaml", "costs.chat.price_per_million.output=9");
    assert_true(input(r.s, "costs.chat.price_per_million.output")->dist.p[0] == 9);
    assert_true(input(r.s, "costs.chat.price_per_million.input")->dist.p[0] == 1);
    done(&r);
    load(&r, "over.yaml", "costs.chat.price_per_million.input=0");
    assert_int_equal(r.st, RR_ERR_SCENARIO);
    assert_int_equal(r.d.v[0].line, RR_OVERRIDE_LINE);
    assert_non_null(strstr(r.d.v[0].msg, "must be > 0, got 0"));
    done(&r);
}

/* A layered file and the same scenario written whole give the same numbers. */
static void test_same_numbers_as_written_whole(void **state)
{
    (void)state;
    write_file("base.yaml", base);
    write_file("over.yaml", "extends: base.yaml\nname: whole\n"
                            "costs:\n  - {name: chat, price_per_million: {input: 1.00}}\n"
                            "  - {name: ops, remove: true}\n");
    char whole[4096];
    snprintf(whole, sizeof whole, "%s", base);
    char *at = strstr(whole, "name: base");
    memcpy(at, "name: whol", 10);
    memmove(at + 11, at + 10, strlen(at + 10) + 1);
    at[10] = 'e';
    at = strstr(whole, "{input: 3.00");
    memcpy(at, "{input: 1.00", 12);
    *strstr(whole, "  - {name: ops") = '\0';
    loaded r;
    must_load(&r, "over.yaml", NULL);
    rr_scenario *w = test_load(whole, NULL);
    rr_result *a = test_run(r.s, 5000, 3, 2), *b = test_run(w, 5000, 3, 2);
    assert_int_equal(a->nseries, b->nseries);
    for (size_t i = 0; i < a->nseries; i++)
        assert_memory_equal(&a->moments[i], &b->moments[i], sizeof a->moments[i]);
    rr_result_free(a);
    rr_result_free(b);
    rr_scenario_free(w);
    done(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_rules),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_same_numbers_as_written_whole),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
