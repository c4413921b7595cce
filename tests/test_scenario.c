/* test_scenario: validation of scenario files, each error with its exact line and column.
 *
 * Every check loads a YAML text with rr_node_load_string and rr_scenario_from_node, as the
 * command line does with a file, and looks for a diagnostic at an exact (line, column),
 * 1-based, whose message contains given substrings.  The constraints are those of scenario
 * format version 1 (README, issue 2): YAML syntax, types, unknown keys with did-you-mean,
 * required keys, duplicates, ranges, distributions, component rules, limits of the loader.
 * Valid files load with no diagnostic and the documented defaults.  Under `make asan` the
 * same checks prove that no error path leaks.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scenario/scenario.h"
#include "run/sim.h"
#include "support.h"

/* ---- helpers ---- */

typedef struct loaded {
    rr_status st;
    rr_scenario *s;
    rr_diags d;
} loaded;

static void load(loaded *r, const char *yaml, size_t len)
{
    rr_node *root = NULL;
    rr_diags_init(&r->d, "test.yaml");
    r->s = NULL;
    r->st = rr_node_load_string(yaml, len, &root, &r->d);
    if (r->st == RR_OK) {
        assert_non_null(root);
        r->st = rr_scenario_from_node(root, &r->s, &r->d);
    } else {
        assert_null(root);
    }
    rr_node_free(root);
}

static void loaded_free(loaded *r)
{
    rr_scenario_free(r->s);
    rr_diags_free(&r->d);
}

static void print_diags(const rr_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        print_error("    %s:%d:%d: %s\n", d->file, d->v[i].line, d->v[i].col, d->v[i].msg);
}

static int contains_all(const char *msg, const char *const *subs, size_t nsubs)
{
    for (size_t i = 0; i < nsubs; i++)
        if (!strstr(msg, subs[i]))
            return 0;
    return 1;
}

#define MAX_SUBS 4

/* Load `yaml` (length `len`) and require: the load fails as a bad scenario, produces no
 * scenario, and has a diagnostic at (line, col) containing every substring; with `only`,
 * that diagnostic is the only one. */
static void expect_error_at(int tline, const char *yaml, size_t len, int only, int line,
                            int col, ...)
{
    const char *subs[MAX_SUBS];
    size_t nsubs = 0;
    va_list ap;
    va_start(ap, col);
    for (const char *s; (s = va_arg(ap, const char *)) != NULL;) {
        assert_true(nsubs < MAX_SUBS);
        subs[nsubs++] = s;
    }
    va_end(ap);

    loaded r;
    load(&r, yaml, len);
    int found = 0;
    for (size_t i = 0; i < r.d.n; i++)
        if (r.d.v[i].line == line && r.d.v[i].col == col &&
            contains_all(r.d.v[i].msg, subs, nsubs))
            found = 1;
    const char *why = NULL;
    if (r.st != RR_ERR_SCENARIO)
        why = r.st == RR_OK ? "the scenario loaded" : rr_status_text(r.st);
    else if (r.s)
        why = "a scenario came back with the error";
    else if (!found)
        why = "no such diagnostic";
    else if (only && r.d.n != 1)
        why = "other diagnostics beside it";
    if (why) {
        char want[512];
        size_t w = 0;
        for (size_t i = 0; i < nsubs && w < sizeof want; i++)
            w += (size_t)snprintf(want + w, sizeof want - w, "%s'%s'", i ? ", " : "", subs[i]);
        print_error("test line %d: expected %d:%d containing %s: %s; got:\n", tline, line, col,
                    want, why);
        print_diags(&r.d);
        loaded_free(&r);
        fail_msg("test line %d: %s", tline, why);
    }
    loaded_free(&r);
}

/* ERR(yaml, line, col, "substring", ...): a diagnostic there; ONLY: and no other. */
#define ERR(yaml, line, col, ...) \
    expect_error_at(__LINE__, yaml, strlen(yaml), 0, line, col, __VA_ARGS__, (const char *)NULL)
#define ONLY(yaml, line, col, ...) \
    expect_error_at(__LINE__, yaml, strlen(yaml), 1, line, col, __VA_ARGS__, (const char *)NULL)

/* Load a valid scenario: no diagnostics at all. */
static rr_scenario *load_ok_(int tline, const char *yaml)
{
    loaded r;
    load(&r, yaml, strlen(yaml));
    if (r.st != RR_OK || !r.s || r.d.n != 0 || r.d.lost != 0) {
        print_error("test line %d: expected a valid scenario (status: %s), got:\n", tline,
                    rr_status_text(r.st));
        print_diags(&r.d);
        loaded_free(&r);
        fail_msg("test line %d: the scenario did not load cleanly", tline);
    }
    rr_diags_free(&r.d);
    return r.s;
}
#define LOAD_OK(yaml) load_ok_(__LINE__, yaml)

/* A component's input by its key ("hours_per_month", "price_per_million.cached_input"). */
static const rr_input *field(const rr_component *c, const char *key)
{
    for (size_t i = 0; i < c->type->nfields; i++)
        if (strcmp(c->type->fields[i].key, key) == 0)
            return &c->in[i];
    fail_msg("component %s has no field %s", c->name, key);
    return NULL;
}

static const rr_component *component(const rr_scenario *s, const char *name)
{
    for (size_t i = 0; i < s->ncomps; i++)
        if (strcmp(s->comps[i].name, name) == 0)
            return &s->comps[i];
    fail_msg("no component %s", name);
    return NULL;
}

/* The mean horizon total of a scenario over a few paths (constant inputs: exact). */
static double total_mean(const rr_scenario *s, uint64_t paths)
{
    rr_result *r = test_run(s, paths, s->seed, 1);
    double m = r->moments[rr_result_total()].mean;
    rr_result_free(r);
    return m;
}

/* Lines 1-5 of most files below; a component's entry starts on line 6. */
#define HDR                       \
    "name: t\n"                   \
    "horizon_months: 12\n"        \
    "demand:\n"                   \
    "  requests_per_month: 1000\n" \
    "costs:\n"
/* A valid component, for files whose error lies elsewhere. */
#define FIXED_OK "  - {name: ok, type: fixed, category: mlops, monthly: 1}\n"

/* ---- YAML syntax ---- */

static void test_yaml_syntax(void **state)
{
    (void)state;
    /* An unclosed flow sequence: libyaml notices at the next line's ':'. */
    ERR("name: t\n"
        "horizon_months: 12\n"
        "demand:\n"
        "  requests_per_month: [1, 2\n"
        "costs: []\n",
        5, 6, "YAML syntax", "']'");
    /* An unclosed flow mapping. */
    ERR("name: t\n"
        "horizon_months: 12\n"
        "demand: {requests_per_month: 1000\n"
        "costs:\n" FIXED_OK,
        4, 6, "YAML syntax", "'}'");
    /* A closing bracket too many. */
    ERR("name: t\n"
        "horizon_months: 12\n"
        "demand: {requests_per_month: 1000}}\n"
        "costs:\n" FIXED_OK,
        3, 35, "YAML syntax");
    /* A key indented less than its siblings. */
    ERR(HDR "  - name: a\n"
            "    type: fixed\n"
            "   category: mlops\n"
            "    monthly: 1\n",
        8, 4, "YAML syntax", "'-'");
    /* A key indented more than its siblings. */
    ERR(HDR "  - name: a\n"
            "    type: fixed\n"
            "      category: mlops\n"
            "    monthly: 1\n",
        8, 15, "YAML syntax", "mapping values are not allowed");
    /* A tab for indentation. */
    ERR("name: t\n"
        "horizon_months: 12\n"
        "demand:\n"
        "\trequests_per_month: 1000\n"
        "costs:\n" FIXED_OK,
        4, 1, "YAML syntax");
    /* An unterminated quoted string runs to the end of the file. */
    ERR("name: \"t\n"
        "horizon_months: 12\n",
        3, 1, "YAML syntax", "quoted scalar");
    /* A NUL in a quoted value. */
    ERR("name: t\n"
        "horizon_months: 12\n"
        "demand: {requests_per_month: \"1\\0\"}\n"
        "costs:\n" FIXED_OK,
        3, 30, "NUL");
    /* A key that is a sequence or a mapping. */
    ERR(HDR FIXED_OK "[a]: 1\n", 7, 1, "plain key");
    ERR(HDR FIXED_OK "? {a: 1}\n: 1\n", 7, 3, "plain key");
}

/* A file in another encoding (Latin-1 "€ 3" in a comment): the position of the bad byte. */
static void test_yaml_encoding_error_position(void **state)
{
    (void)state;
    /* libyaml reports a reader error by byte offset (problem_offset), not problem_mark: the
     * bad byte is on line 4, column 27. */
    ERR("name: t\n"
        "horizon_months: 12\n"
        "demand:\n"
        "  requests_per_month: 1 # \x80 3\n"
        "costs:\n" FIXED_OK,
        4, 27, "UTF-8");
}

/* ---- types ---- */

static void test_wrong_types(void **state)
{
    (void)state;
    /* A list where a number is due. */
    ONLY("name: t\n"
         "horizon_months: [12]\n"
         "demand:\n"
         "  requests_per_month: 1000\n"
         "costs:\n" FIXED_OK,
         2, 17, "horizon_months", "whole number", "sequence");
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "demand:\n"
         "  requests_per_month: [1000, 2000]\n"
         "costs:\n" FIXED_OK,
         4, 23, "demand.requests_per_month", "expected a number", "sequence");
    ONLY(HDR "  - name: a\n"
             "    type: oversight\n"
             "    review_share: 0.1\n"
             "    minutes_per_review: [3]\n"
             "    hourly_rate: 40\n",
         9, 25, "costs.a.minutes_per_review", "sequence");
    /* A plain number only: noise takes no distribution. */
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "demand:\n"
         "  requests_per_month: 1000\n"
         "  noise: 0.05 to 0.1\n"
         "costs:\n" FIXED_OK,
         5, 10, "demand.noise", "plain number");
    /* Text where a number is due. */
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "demand:\n"
         "  requests_per_month: lots\n"
         "costs:\n" FIXED_OK,
         4, 23, "demand.requests_per_month", "'lots'");
    ONLY("name: t\n"
         "horizon_months: twelve\n"
         "demand:\n"
         "  requests_per_month: 1000\n"
         "costs:\n" FIXED_OK,
         2, 17, "horizon_months", "'twelve'");
    /* A mapping where a string is due. */
    ONLY("name: {first: t}\n"
         "horizon_months: 12\n"
         "demand:\n"
         "  requests_per_month: 1000\n"
         "costs:\n" FIXED_OK,
         1, 7, "name", "string");
    ONLY("name: t\n"
         "currency: {code: EUR}\n"
         "horizon_months: 12\n"
         "demand:\n"
         "  requests_per_month: 1000\n"
         "costs:\n" FIXED_OK,
         2, 11, "currency");
    ONLY(HDR "  - name: {id: a}\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: 1\n",
         6, 11, "costs[0].name", "mapping");
    ONLY(HDR "  - name: a\n"
             "    type: {kind: fixed}\n"
             "    category: mlops\n"
             "    monthly: 1\n",
         7, 11, "costs.a.type", "mapping");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: [mlops]\n"
             "    monthly: 1\n",
         8, 15, "costs.a.category", "sequence");
    /* Sections of the wrong kind. */
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "demand: [1000]\n"
         "costs:\n" FIXED_OK,
         3, 9, "demand", "expected a mapping", "sequence");
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "demand: {requests_per_month: 1000}\n"
         "costs: {name: a, type: fixed, category: mlops, monthly: 1}\n",
         4, 8, "costs", "list", "mapping");
    ONLY(HDR "  - 5\n", 6, 5, "costs[0]", "expected a mapping");
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "simulation: [1000]\n"
         "demand: {requests_per_month: 1000}\n"
         "costs:\n" FIXED_OK,
         3, 13, "simulation", "expected a mapping");
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "budget: 450000\n"
         "demand: {requests_per_month: 1000}\n"
         "costs:\n" FIXED_OK,
         3, 9, "budget", "expected a mapping");
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "demand: {requests_per_month: 1000, spikes: often}\n"
         "costs:\n" FIXED_OK,
         3, 44, "demand.spikes", "expected a mapping");
    ONLY(HDR "  - name: a\n"
             "    type: compute\n"
             "    requests_per_instance: 50000\n"
             "    hourly_rate: 1.01\n"
             "    reserved: 2\n",
         10, 15, "costs.a.reserved", "expected a mapping");
    /* An empty value where a section is due. */
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "demand: {requests_per_month: 1000}\n"
         "costs:\n",
         4, 7, "costs", "empty");
    ONLY("name:\n"
         "horizon_months: 12\n"
         "demand: {requests_per_month: 1000}\n"
         "costs:\n" FIXED_OK,
         1, 6, "name");
    /* A distribution's parameters must be a mapping of numbers. */
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {normal: 5}\n",
         9, 23, "costs.a.monthly", "normal", "mapping");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {normal: {mean: [1], sd: 1}}\n",
         9, 30, "costs.a.monthly", "normal.mean", "sequence");
}

/* ---- unknown keys ---- */

static void test_unknown_keys_suggest(void **state)
{
    (void)state;
    ERR("name: t\n"
        "horizon_month: 12\n"
        "demand: {requests_per_month: 1000}\n"
        "costs:\n" FIXED_OK,
        2, 1, "unknown key 'horizon_month'", "did you mean 'horizon_months'?");
    ONLY(HDR "  - name: a\n"
             "    type: compute\n"
             "    requests_per_instance: 50000\n"
             "    hourly_rate: 1.01\n"
             "    hourly_rat: 1.01\n",
         10, 5, "unknown key 'hourly_rat'", "costs.a", "did you mean 'hourly_rate'?");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {normall: {mean: 1000, sd: 100}}\n",
         9, 15, "costs.a.monthly", "'normall'", "did you mean 'normal'?");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlop\n"
             "    monthly: 1\n",
         8, 15, "costs.a.category", "'mlop'", "did you mean 'mlops'?");
    ONLY(HDR "  - name: a\n"
             "    type: per_request\n"
             "    category: managed-ai\n"
             "    units_per_request: 1\n"
             "    unit_price: 0.001\n",
         8, 15, "'managed-ai'", "did you mean 'managed_ai'?");
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "demand:\n"
         "  requests_per_month: 1000\n"
         "  seasonalty: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
         "costs:\n" FIXED_OK,
         5, 3, "unknown key 'seasonalty' in demand", "did you mean 'seasonality'?");
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "simulation: {paths: 1000, seeds: 4}\n"
         "demand: {requests_per_month: 1000}\n"
         "costs:\n" FIXED_OK,
         3, 27, "unknown key 'seeds' in simulation", "did you mean 'seed'?");
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "budget: {totl: 1000}\n"
         "demand: {requests_per_month: 1000}\n"
         "costs:\n" FIXED_OK,
         3, 10, "unknown key 'totl' in budget", "did you mean 'total'?");
    ONLY(HDR "  - name: a\n"
             "    type: model_api\n"
             "    input_tokens: 1000\n"
             "    output_tokens: 200\n"
             "    price_per_million: {input: 3, output: 15, cache_input: 0.3}\n",
         10, 47, "unknown key 'cache_input'", "price_per_million",
         "did you mean 'cached_input'?");
    ERR(HDR "  - name: a\n"
            "    type: compute\n"
            "    requests_per_instance: 50000\n"
            "    hourly_rate: 1.01\n"
            "    reserved: {instance: 2, hourly_rate: 0.6}\n",
        10, 16, "unknown key 'instance'", "reserved", "did you mean 'instances'?");
    ERR(HDR "  - name: a\n"
            "    type: fixed\n"
            "    category: mlops\n"
            "    monthly: {normal: {mean: 1000, sdev: 100}}\n",
        9, 36, "unknown normal parameter 'sdev'", "did you mean 'sd'?");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {discrete: {values: [1, 2], weight: [1, 1]}}\n",
         9, 42, "unknown discrete parameter 'weight'", "did you mean 'weights'?");
    ERR(HDR "  - name: a\n"
            "    type: per_request\n"
            "    units_per_request: 1\n"
            "    tiers:\n"
            "      - {upto: 1000, unit_price: 0.01}\n"
            "      - {unit_price: 0.005}\n",
        10, 10, "unknown key 'upto'", "did you mean 'up_to'?");
    ONLY(HDR "  - name: a\n"
             "    type: fixd\n"
             "    category: mlops\n"
             "    monthly: 1\n",
         7, 11, "costs.a.type", "'fixd'", "did you mean 'fixed'?");
    /* Keys are case-sensitive. */
    ONLY(HDR "  - name: a\n"
             "    type: oversight\n"
             "    review_share: 0.1\n"
             "    minutes_per_review: 3\n"
             "    hourly_rate: 40\n"
             "    Category: oversight\n",
         11, 5, "unknown key 'Category' in costs.a", "did you mean 'category'?");
    ERR("name: t\n"
        "horizon_months: 12\n"
        "demand:\n"
        "  requests_per_month: 1000\n"
        "  spikes: {per_month: 0.2, multplier: 2}\n"
        "costs:\n" FIXED_OK,
        5, 28, "unknown key 'multplier'", "spikes", "did you mean 'multiplier'?");
}

static void test_unknown_keys_without_suggestion(void **state)
{
    (void)state;
    loaded r;
    const char *y = "name: t\n"
                    "horizon_months: 12\n"
                    "colour: blue\n"
                    "demand: {requests_per_month: 1000}\n"
                    "costs:\n"
                    "  - {name: a, type: llm, category: mlops, monthly: 1}\n";
    load(&r, y, strlen(y));
    assert_int_equal(r.st, RR_ERR_SCENARIO);
    assert_int_equal(r.d.n, 2);
    assert_int_equal(r.d.v[0].line, 3);
    assert_int_equal(r.d.v[0].col, 1);
    assert_non_null(strstr(r.d.v[0].msg, "unknown key 'colour'"));
    assert_null(strstr(r.d.v[0].msg, "did you mean"));
    assert_int_equal(r.d.v[1].line, 6);
    assert_int_equal(r.d.v[1].col, 21);
    assert_non_null(strstr(r.d.v[1].msg, "unknown component type 'llm'"));
    assert_non_null(strstr(r.d.v[1].msg, "model_api"));   /* the list of types */
    assert_null(strstr(r.d.v[1].msg, "did you mean"));
    loaded_free(&r);
}

/* ---- required keys ---- */

static void test_missing_top_level_keys(void **state)
{
    (void)state;
    const char *y = "currency: USD\n";
    ERR(y, 1, 1, "missing required key 'name'");
    ERR(y, 1, 1, "missing required key 'horizon_months'");
    ERR(y, 1, 1, "missing required key 'demand'");
    ERR(y, 1, 1, "missing required key 'costs'");
    loaded r;
    load(&r, y, strlen(y));
    assert_int_equal(r.d.n, 4);
    loaded_free(&r);
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "demand:\n"
         "  growth_per_month: 0.01\n"
         "costs:\n" FIXED_OK,
         4, 3, "demand", "missing required key 'requests_per_month'");
}

static void test_missing_component_keys(void **state)
{
    (void)state;
    /* Each type's required keys, reported at the component's mapping (line 6, column 5). */
    ERR(HDR "  - name: a\n    type: model_api\n    price_per_million: {input: 3, output: 15}\n",
        6, 5, "costs.a", "missing required key 'input_tokens'");
    /* output_tokens is optional (embeddings); given, it needs its price. */
    ERR(HDR "  - name: a\n    type: model_api\n    input_tokens: 1\n    output_tokens: 1\n"
            "    price_per_million: {input: 3}\n",
        9, 20, "costs.a.price_per_million", "missing required key 'output'");
    ERR(HDR "  - name: a\n    type: model_api\n    input_tokens: 1\n    output_tokens: 1\n",
        6, 5, "costs.a", "price_per_million");
    ERR(HDR "  - name: a\n    type: compute\n    hourly_rate: 1\n", 6, 5, "costs.a",
        "missing required key 'requests_per_instance'");
    ERR(HDR "  - name: a\n    type: compute\n    requests_per_instance: 1\n", 6, 5, "costs.a",
        "missing required key 'hourly_rate'");
    ERR(HDR "  - name: a\n    type: training\n    chance_per_month: 0.2\n    hourly_rate: 40\n",
        6, 5, "costs.a", "missing required key 'gpu_hours'");
    ERR(HDR "  - name: a\n    type: training\n    chance_per_month: 0.2\n    gpu_hours: 30\n",
        6, 5, "costs.a", "missing required key 'hourly_rate'");
    ERR(HDR "  - name: a\n    type: per_request\n    unit_price: 0.5\n", 6, 5, "costs.a",
        "missing required key 'units_per_request'");
    ERR(HDR "  - name: a\n    type: storage\n    price_per_gb_month: 0.023\n", 6, 5, "costs.a",
        "missing required key 'gb_per_request'");
    ERR(HDR "  - name: a\n    type: storage\n    gb_per_request: 0.001\n", 6, 5, "costs.a",
        "missing required key 'price_per_gb_month'");
    ERR(HDR "  - name: a\n    type: oversight\n    minutes_per_review: 3\n    hourly_rate: 40\n",
        6, 5, "costs.a", "missing required key 'review_share'");
    ERR(HDR "  - name: a\n    type: oversight\n    review_share: 0.1\n    hourly_rate: 40\n",
        6, 5, "costs.a", "missing required key 'minutes_per_review'");
    ERR(HDR "  - name: a\n    type: oversight\n    review_share: 0.1\n    minutes_per_review: 3\n",
        6, 5, "costs.a", "missing required key 'hourly_rate'");
    ONLY(HDR "  - name: a\n    type: fixed\n    category: mlops\n", 6, 5, "costs.a",
         "missing required key 'monthly'");
    ONLY(HDR "  - name: a\n    type: fixed\n    monthly: 1200\n", 6, 5, "costs.a", "category");
    ONLY(HDR "  - type: fixed\n    category: mlops\n    monthly: 1\n", 6, 5, "costs[0]",
         "missing required key 'name'");
    ONLY(HDR "  - name: a\n    category: mlops\n    monthly: 1\n", 6, 5, "costs.a",
         "missing required key 'type'");
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "demand: {requests_per_month: 1000}\n"
         "costs: []\n",
         4, 8, "costs", "1 to 64");
}

/* A missing key of a nested group is reported at the group, naming the group: 'input' alone
 * would not say which of the file's 'input's is meant, and 'hourly_rate' alone would point
 * at a key the component has. */
static void test_missing_group_keys_name_the_group(void **state)
{
    (void)state;
    ONLY(HDR "  - name: a\n"
             "    type: model_api\n"
             "    input_tokens: 1000\n"
             "    output_tokens: 200\n"
             "    price_per_million: {output: 15}\n",
         10, 24, "missing required key", "price_per_million", "input");
    ONLY(HDR "  - name: a\n"
             "    type: compute\n"
             "    requests_per_instance: 50000\n"
             "    hourly_rate: 1.01\n"
             "    reserved: {instances: 2}\n",
         10, 15, "missing required key", "reserved", "hourly_rate");
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "demand:\n"
         "  requests_per_month: 1000\n"
         "  spikes: {multiplier: 2}\n"
         "costs:\n" FIXED_OK,
         5, 11, "missing required key", "spikes", "per_month");
    ONLY(HDR "  - name: a\n"
             "    type: model_api\n"
             "    input_tokens: 1000\n"
             "    output_tokens: 200\n"
             "    price_per_million: {input: 3, output: 15}\n"
             "    price_change: {factor: 0.75}\n",
         11, 19, "missing required key", "price_change", "chance_per_month");
}

/* ---- duplicates ---- */

static void test_duplicate_keys(void **state)
{
    (void)state;
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "horizon_months: 24\n"
         "demand: {requests_per_month: 1000}\n"
         "costs:\n" FIXED_OK,
         3, 1, "duplicate key 'horizon_months'", "first at line 2");
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "demand: {requests_per_month: 1000, noise: 0.1, noise: 0.2}\n"
         "costs:\n" FIXED_OK,
         3, 48, "duplicate key 'noise'", "first at line 3");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: 1\n"
             "    monthly: 2\n",
         10, 5, "duplicate key 'monthly'", "first at line 9");
}

static void test_duplicate_component_names(void **state)
{
    (void)state;
    ONLY(HDR "  - {name: gpu, type: fixed, category: compute, monthly: 1}\n"
             "  - {name: api, type: fixed, category: managed_ai, monthly: 1}\n"
             "  - name: gpu\n"
             "    type: fixed\n"
             "    category: compute\n"
             "    monthly: 2\n",
         8, 11, "duplicate component name 'gpu'", "first at line 6");
}

/* ---- ranges of plain values ---- */

static void test_horizon_range(void **state)
{
    (void)state;
    static const char *const bad[] = { "0", "121", "-1", "2.5", "1e300", ".inf", "12 to 24" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char y[256];
        snprintf(y, sizeof y, "name: t\nhorizon_months: %s\n"
                              "demand: {requests_per_month: 1000}\ncosts:\n" FIXED_OK, bad[i]);
        ONLY(y, 2, 17, "horizon_months", "1..120");
    }
    rr_scenario *s = LOAD_OK("name: t\nhorizon_months: 120\n"
                             "demand: {requests_per_month: 1000}\ncosts:\n" FIXED_OK);
    assert_int_equal(s->horizon, 120);
    rr_scenario_free(s);
    s = LOAD_OK("name: t\nhorizon_months: 1\n"
                "demand: {requests_per_month: 1000}\ncosts:\n" FIXED_OK);
    assert_int_equal(s->horizon, 1);
    rr_scenario_free(s);
}

static void test_seasonality(void **state)
{
    (void)state;
    ONLY("name: t\n"
         "horizon_months: 12\n"
         "demand:\n"
         "  requests_per_month: 1000\n"
         "  seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.2]\n"
         "costs:\n" FIXED_OK,
         5, 16, "demand.seasonality", "start");
    ONLY("name: t\n"
         "start: 2027-01\n"
         "horizon_months: 12\n"
         "demand:\n"
         "  requests_per_month: 1000\n"
         "  seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.2]\n"
         "costs:\n" FIXED_OK,
         6, 16, "demand.seasonality", "12");
    ONLY("name: t\n"
         "start: 2027-01\n"
         "horizon_months: 12\n"
         "demand:\n"
         "  requests_per_month: 1000\n"
         "  seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.2]\n"
         "costs:\n" FIXED_OK,
         6, 16, "demand.seasonality", "12");
    ONLY("name: t\n"
         "start: 2027-01\n"
         "horizon_months: 12\n"
         "demand:\n"
         "  requests_per_month: 1000\n"
         "  seasonality: 1.1\n"
         "costs:\n" FIXED_OK,
         6, 16, "demand.seasonality", "12");
    ONLY("name: t\n"
         "start: 2027-01\n"
         "horizon_months: 12\n"
         "demand:\n"
         "  requests_per_month: 1000\n"
         "  seasonality: [1, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1, 1]\n"
         "costs:\n" FIXED_OK,
         6, 32, "demand.seasonality[5]", ">= 0");
    ONLY("name: t\n"
         "start: 2027-01\n"
         "horizon_months: 12\n"
         "demand:\n"
         "  requests_per_month: 1000\n"
         "  seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.9 to 1.1]\n"
         "costs:\n" FIXED_OK,
         6, 50, "demand.seasonality[11]", "plain number");
}

static void test_start(void **state)
{
    (void)state;
    static const char *const bad[] = { "2027-13", "27-01", "2027-1", "2027-00", "2027/01",
                                       "2027-01-15", "January 2027", "202701" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char y[256];
        snprintf(y, sizeof y, "name: t\nstart: %s\nhorizon_months: 12\n"
                              "demand: {requests_per_month: 1000}\ncosts:\n" FIXED_OK, bad[i]);
        ONLY(y, 2, 8, "start", "YYYY-MM");
    }
    rr_scenario *s = LOAD_OK("name: t\nstart: 2027-12\nhorizon_months: 12\n"
                             "demand: {requests_per_month: 1000}\ncosts:\n" FIXED_OK);
    assert_int_equal(s->start_year, 2027);
    assert_int_equal(s->start_month, 12);
    assert_int_equal(s->streams[0].d.start_month, 11);
    rr_scenario_free(s);
}

/* ---- uncertain values ---- */

static void test_a_to_b(void **state)
{
    (void)state;
    static const char *const bad[] = { "5000 to 5000", "6000 to 5000", "0 to 5000",
                                       "-100 to 5000" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char y[256];
        snprintf(y, sizeof y, "name: t\nhorizon_months: 12\ndemand:\n"
                              "  requests_per_month: %s\ncosts:\n" FIXED_OK, bad[i]);
        ONLY(y, 4, 23, "demand.requests_per_month", "0 < A < B", bad[i]);
    }
    /* The side that is wrong is pointed at, with what to write where there is a fix. */
    ONLY("name: t\nhorizon_months: 12\ndemand:\n"
         "  requests_per_month: 1000 to many\ncosts:\n" FIXED_OK,
         4, 31, "demand.requests_per_month", "its B side");
    ONLY("name: t\nhorizon_months: 12\ndemand:\n"
         "  requests_per_month: 60k to 110000\ncosts:\n" FIXED_OK,
         4, 23, "its A side", "(write 60000)");
    ONLY("name: t\nhorizon_months: 12\ndemand:\n"
         "  requests_per_month: \"60000 to 110,000\"\ncosts:\n" FIXED_OK,
         4, 33, "its B side", "(write 110000: no thousands separators)");
    rr_scenario *s = LOAD_OK("name: t\nhorizon_months: 12\ndemand:\n"
                             "  requests_per_month: \"0.5 to 1e15\"\ncosts:\n" FIXED_OK);
    assert_int_equal(s->streams[0].d.in[RR_DEMAND_BASE].dist.kind, RR_DIST_LOGNORMAL);
    assert_true(s->streams[0].d.in[RR_DEMAND_BASE].dist.user[0] == 0.5);
    assert_true(s->streams[0].d.in[RR_DEMAND_BASE].dist.user[1] == 1e15);
    rr_scenario_free(s);
}

static void test_lognormal_p5_p95(void **state)
{
    (void)state;
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {lognormal: {p5: 2000, p95: 2000}}\n",
         9, 26, "costs.a.monthly", "p5 must be < p95");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {lognormal: {p5: 3000, p95: 2000}}\n",
         9, 26, "costs.a.monthly", "p5 must be < p95");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {lognormal: {p5: 0, p95: 2000}}\n",
         9, 26, "costs.a.monthly", "p5 must be > 0");
}

static void test_shares_and_probabilities(void **state)
{
    (void)state;
    ONLY(HDR "  - name: a\n"
             "    type: oversight\n"
             "    review_share: 1.5\n"
             "    minutes_per_review: 3\n"
             "    hourly_rate: 40\n",
         8, 19, "costs.a.review_share", "[0, 1]", "1.5");
    ONLY(HDR "  - name: a\n"
             "    type: training\n"
             "    chance_per_month: -0.1\n"
             "    gpu_hours: 30\n"
             "    hourly_rate: 40\n",
         8, 23, "costs.a.chance_per_month", "[0, 1]", "-0.1");
    ONLY(HDR "  - name: a\n"
             "    type: model_api\n"
             "    input_tokens: 1000\n"
             "    output_tokens: 200\n"
             "    cached_share: 1.2\n"
             "    price_per_million: {input: 3, output: 15}\n",
         10, 19, "costs.a.cached_share", "[0, 1]");
    ONLY(HDR "  - name: a\n"
             "    type: model_api\n"
             "    input_tokens: 1000\n"
             "    output_tokens: 200\n"
             "    price_per_million: {input: 3, output: 15}\n"
             "    price_change: {chance_per_month: 4, factor: 0.75}\n",
         11, 38, "costs.a.price_change.chance_per_month", "[0, 1]");
    ONLY(HDR "  - name: a\n"
             "    type: oversight\n"
             "    review_share: {bernoulli: {p: 1.1}}\n"
             "    minutes_per_review: 3\n"
             "    hourly_rate: 40\n",
         8, 31, "costs.a.review_share", "bernoulli", "[0, 1]");
    /* A clamp wholly outside [0, 1] leaves no value a share may take. */
    ONLY(HDR "  - name: a\n"
             "    type: oversight\n"
             "    review_share: {uniform: {min: 0.1, max: 0.2}, clamp: [2, 3]}\n"
             "    minutes_per_review: 3\n"
             "    hourly_rate: 40\n",
         8, 19, "costs.a.review_share", "clamp", "[0, 1]");
    static const char *const conf[] = { "1.0", "0", "1.5", "-0.2" };
    for (size_t i = 0; i < sizeof conf / sizeof *conf; i++) {
        char y[256];
        snprintf(y, sizeof y, "name: t\nhorizon_months: 12\nbudget: {total: 1000, confidence: %s}\n"
                              "demand: {requests_per_month: 1000}\ncosts:\n" FIXED_OK, conf[i]);
        ONLY(y, 3, 35, "budget.confidence", "between 0 and 1");
    }
    /* The bounds themselves are shares. */
    rr_scenario *s = LOAD_OK(HDR "  - {name: a, type: oversight, review_share: 1, "
                                 "minutes_per_review: 3, hourly_rate: 40}\n"
                                 "  - {name: b, type: training, chance_per_month: 0, "
                                 "gpu_hours: 3, hourly_rate: 40}\n");
    rr_scenario_free(s);
}

static void test_prices(void **state)
{
    (void)state;
    /* Zero prices: a price must be > 0. */
    ONLY(HDR "  - name: a\n"
             "    type: compute\n"
             "    requests_per_instance: 50000\n"
             "    hourly_rate: 0\n",
         9, 18, "costs.a.hourly_rate", "> 0");
    ONLY(HDR "  - name: a\n"
             "    type: per_request\n"
             "    units_per_request: 1\n"
             "    unit_price: 0\n",
         9, 17, "costs.a.unit_price", "> 0");
    ONLY(HDR "  - name: a\n"
             "    type: storage\n"
             "    gb_per_request: 0.001\n"
             "    price_per_gb_month: 0\n",
         9, 25, "costs.a.price_per_gb_month", "> 0");
    ONLY(HDR "  - name: a\n"
             "    type: model_api\n"
             "    input_tokens: 1000\n"
             "    output_tokens: 200\n"
             "    price_per_million: {input: 0, output: 15}\n",
         10, 32, "costs.a.price_per_million.input", "> 0");
    ONLY(HDR "  - name: a\n"
             "    type: compute\n"
             "    requests_per_instance: 50000\n"
             "    hourly_rate: 1.01\n"
             "    reserved: {instances: 2, hourly_rate: 0}\n",
         10, 43, "costs.a.reserved.hourly_rate", "> 0");
    ONLY(HDR "  - name: a\n"
             "    type: oversight\n"
             "    review_share: 0.1\n"
             "    minutes_per_review: 3\n"
             "    hourly_rate: 0\n",
         10, 18, "costs.a.hourly_rate", "> 0");
    /* Negative prices. */
    ONLY(HDR "  - name: a\n"
             "    type: compute\n"
             "    requests_per_instance: 50000\n"
             "    hourly_rate: -1.01\n",
         9, 18, "costs.a.hourly_rate", "must be", "-1.01");
    ONLY(HDR "  - name: a\n"
             "    type: model_api\n"
             "    input_tokens: 1000\n"
             "    output_tokens: 200\n"
             "    price_per_million: {input: 3, output: -15}\n",
         10, 43, "costs.a.price_per_million.output", "must be", "-15");
    ONLY(HDR "  - name: a\n"
             "    type: model_api\n"
             "    input_tokens: 1000\n"
             "    output_tokens: 200\n"
             "    price_per_million: {input: 3, output: 15, cached_input: -0.3}\n",
         10, 61, "costs.a.price_per_million.cached_input", ">= 0");
    ONLY(HDR "  - name: a\n"
             "    type: per_request\n"
             "    units_per_request: 1\n"
             "    tiers:\n"
             "      - {up_to: 1000, unit_price: 0.01}\n"
             "      - {unit_price: -0.005}\n",
         11, 22, "costs.a.tiers[1].unit_price", ">= 0");
    /* A free cache and a free tier are fine. */
    rr_scenario *s = LOAD_OK(HDR "  - {name: a, type: model_api, input_tokens: 1, output_tokens: 1,\n"
                                 "     price_per_million: {input: 3, output: 15, cached_input: 0}}\n"
                                 "  - {name: b, type: per_request, units_per_request: 1,\n"
                                 "     tiers: [{up_to: 100, unit_price: 0}, {unit_price: 0.1}]}\n");
    rr_scenario_free(s);
}

static void test_non_finite_and_huge_numbers(void **state)
{
    (void)state;
    static const char *const nonfinite[] = { ".nan", ".NaN", ".inf", "-.inf", "+.inf", "1e400" };
    for (size_t i = 0; i < sizeof nonfinite / sizeof *nonfinite; i++) {
        char y[256];
        snprintf(y, sizeof y, "name: t\nhorizon_months: 12\ndemand:\n"
                              "  requests_per_month: %s\ncosts:\n" FIXED_OK, nonfinite[i]);
        ONLY(y, 4, 23, "demand.requests_per_month", "finite");
    }
    ONLY("name: t\nhorizon_months: 12\ndemand:\n"
         "  requests_per_month: 1e300\ncosts:\n" FIXED_OK,
         4, 23, "demand.requests_per_month", "1e15");
    ONLY("name: t\nhorizon_months: 12\ndemand:\n"
         "  requests_per_month: -1e16\ncosts:\n" FIXED_OK,
         4, 23, "demand.requests_per_month", "1e15");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {normal: {mean: .nan, sd: 1}}\n",
         9, 30, "costs.a.monthly", "finite");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {uniform: {min: 0, max: 1e300}}\n",
         9, 38, "costs.a.monthly", "uniform.max", "1e15");
    ONLY("name: t\nhorizon_months: 12\nbudget: {total: .inf}\n"
         "demand: {requests_per_month: 1000}\ncosts:\n" FIXED_OK,
         3, 17, "budget.total", "finite");
    ONLY("name: t\nhorizon_months: 12\ndemand:\n"
         "  requests_per_month: 1 to 1e300\ncosts:\n" FIXED_OK,
         4, 28, "demand.requests_per_month", "1e15");
    /* The limit itself is a number. */
    rr_scenario *s = LOAD_OK("name: t\nhorizon_months: 12\ndemand:\n"
                             "  requests_per_month: 1e15\ncosts:\n" FIXED_OK);
    assert_true(s->streams[0].d.in[RR_DEMAND_BASE].dist.p[0] == 1e15);
    rr_scenario_free(s);
}

static void test_other_ranges(void **state)
{
    (void)state;
    ONLY("name: t\nhorizon_months: 12\ndemand:\n"
         "  requests_per_month: 1000\n  growth_per_month: -1.5\ncosts:\n" FIXED_OK,
         5, 21, "demand.growth_per_month", ">= -1");
    ONLY("name: t\nhorizon_months: 12\ndemand:\n"
         "  requests_per_month: 1000\n  noise: -0.1\ncosts:\n" FIXED_OK,
         5, 10, "demand.noise", ">= 0");
    ONLY("name: t\nhorizon_months: 12\ndemand:\n"
         "  requests_per_month: 1000\n  spikes: {per_month: 0.2, multiplier: 2, days: 45}\n"
         "costs:\n" FIXED_OK,
         5, 49, "demand.spikes.days", "[0, 30]");
    ONLY("name: t\nhorizon_months: 12\nsimulation: {paths: 0}\n"
         "demand: {requests_per_month: 1000}\ncosts:\n" FIXED_OK,
         3, 21, "simulation.paths", "1..10000000000");
    ONLY("name: t\nhorizon_months: 12\nsimulation: {seed: -1}\n"
         "demand: {requests_per_month: 1000}\ncosts:\n" FIXED_OK,
         3, 20, "simulation.seed", "whole number");
    ONLY("name: t\nhorizon_months: 12\nbudget: {total: 0}\n"
         "demand: {requests_per_month: 1000}\ncosts:\n" FIXED_OK,
         3, 17, "budget.total", "> 0");
    ONLY(HDR "  - name: a\n"
             "    type: compute\n"
             "    requests_per_instance: 50000\n"
             "    hourly_rate: 1.01\n"
             "    min_instances: 4\n"
             "    max_instances: 2\n",
         11, 20, "costs.a.max_instances", "min_instances");
    ONLY(HDR "  - name: a\n"
             "    type: compute\n"
             "    requests_per_instance: 0\n"
             "    hourly_rate: 1.01\n",
         8, 28, "costs.a.requests_per_instance", "> 0");
    ONLY(HDR "  - name: a b\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: 1\n",
         6, 11, "costs[0].name", "'a b'");
}

static void test_lengths_and_counts(void **state)
{
    (void)state;
    char *y = malloc(65536);
    assert_non_null(y);
    char name[256];
    /* The scenario's name: at most 200 characters. */
    memset(name, 'n', 201);
    name[201] = '\0';
    snprintf(y, 65536, "name: %s\nhorizon_months: 12\ndemand: {requests_per_month: 1000}\n"
                       "costs:\n" FIXED_OK, name);
    ONLY(y, 1, 7, "name", "200");
    name[200] = '\0';
    snprintf(y, 65536, "name: %s\nhorizon_months: 12\ndemand: {requests_per_month: 1000}\n"
                       "costs:\n" FIXED_OK, name);
    rr_scenario *s = LOAD_OK(y);
    assert_int_equal(strlen(s->name), 200);
    rr_scenario_free(s);
    /* A currency label: at most 16 characters. */
    ONLY("name: t\ncurrency: US dollars and cents\nhorizon_months: 12\n"
         "demand: {requests_per_month: 1000}\ncosts:\n" FIXED_OK,
         2, 11, "currency");
    /* A component's name: at most 64 characters. */
    memset(name, 'c', 65);
    name[65] = '\0';
    snprintf(y, 65536, HDR "  - {name: %s, type: fixed, category: mlops, monthly: 1}\n", name);
    ONLY(y, 6, 12, "costs[0].name", "64");
    name[64] = '\0';
    snprintf(y, 65536, HDR "  - {name: %s, type: fixed, category: mlops, monthly: 1}\n", name);
    s = LOAD_OK(y);
    rr_scenario_free(s);
    /* Tiers: at most 64. */
    size_t len = (size_t)snprintf(y, 65536, HDR "  - name: a\n"
                                                "    type: per_request\n"
                                                "    units_per_request: 1\n"
                                                "    tiers:\n");
    for (int i = 1; i <= 64; i++)
        len += (size_t)snprintf(y + len, 65536 - len, "      - {up_to: %d, unit_price: 1}\n", i);
    len += (size_t)snprintf(y + len, 65536 - len, "      - {unit_price: 0.5}\n");
    ONLY(y, 10, 7, "costs.a.tiers", "1 to 64 tiers");
    /* Discrete: at most 1000 values. */
    len = (size_t)snprintf(y, 65536, HDR "  - name: a\n"
                                         "    type: fixed\n"
                                         "    category: mlops\n"
                                         "    monthly: {discrete: {values: [");
    for (int i = 0; i < 1001; i++)
        len += (size_t)snprintf(y + len, 65536 - len, "%s%d", i ? ", " : "", i);
    snprintf(y + len, 65536 - len, "]}}\n");
    ONLY(y, 9, 34, "costs.a.monthly", "discrete.values", "1 to 1000");
    /* A Poisson mean: at most 1e9. */
    ONLY(HDR "  - name: a\n"
             "    type: training\n"
             "    jobs_per_month: {poisson: {mean: 2e9}}\n"
             "    gpu_hours: 30\n"
             "    hourly_rate: 40\n",
         8, 31, "costs.a.jobs_per_month", "poisson");
    free(y);
}

/* ---- component rules ---- */

static void test_training_one_of(void **state)
{
    (void)state;
    ONLY(HDR "  - name: a\n"
             "    type: training\n"
             "    chance_per_month: 0.2\n"
             "    jobs_per_month: 1.5\n"
             "    gpu_hours: 30\n"
             "    hourly_rate: 40\n",
         9, 21, "costs.a", "exactly one of chance_per_month and jobs_per_month", "not both");
    ONLY(HDR "  - name: a\n"
             "    type: training\n"
             "    gpu_hours: 30\n"
             "    hourly_rate: 40\n",
         6, 5, "costs.a", "exactly one of chance_per_month and jobs_per_month");
}

static void test_per_request_price_forms(void **state)
{
    (void)state;
    ONLY(HDR "  - name: a\n"
             "    type: per_request\n"
             "    units_per_request: 1\n"
             "    unit_price: 0.01\n"
             "    tiers: [{up_to: 1000, unit_price: 0.01}, {unit_price: 0.005}]\n",
         9, 17, "costs.a", "exactly one of unit_price and tiers", "not both");
    ONLY(HDR "  - name: a\n"
             "    type: per_request\n"
             "    units_per_request: 1\n",
         6, 5, "costs.a", "exactly one of unit_price and tiers");
}

/* A broken tier list is one error: not also "give exactly one of unit_price and tiers",
 * which would send the user looking for a missing unit_price. */
static void test_tiers(void **state)
{
    (void)state;
    ONLY(HDR "  - name: a\n"
             "    type: per_request\n"
             "    units_per_request: 1\n"
             "    tiers:\n"
             "      - {up_to: 1000, unit_price: 0.01}\n"
             "      - {up_to: 1000, unit_price: 0.008}\n"
             "      - {unit_price: 0.005}\n",
         11, 17, "costs.a.tiers[1].up_to", "increasing");
    ONLY(HDR "  - name: a\n"
             "    type: per_request\n"
             "    units_per_request: 1\n"
             "    tiers:\n"
             "      - {up_to: 5000, unit_price: 0.01}\n"
             "      - {up_to: 1000, unit_price: 0.008}\n"
             "      - {unit_price: 0.005}\n",
         11, 17, "costs.a.tiers[1].up_to", "increasing");
    ONLY(HDR "  - name: a\n"
             "    type: per_request\n"
             "    units_per_request: 1\n"
             "    tiers:\n"
             "      - {up_to: 1000, unit_price: 0.01}\n"
             "      - {up_to: 5000, unit_price: 0.005}\n",
         11, 17, "costs.a.tiers[1]", "last tier");
    ONLY(HDR "  - name: a\n"
             "    type: per_request\n"
             "    units_per_request: 1\n"
             "    tiers:\n"
             "      - {unit_price: 0.01}\n"
             "      - {unit_price: 0.005}\n",
         10, 9, "costs.a.tiers[0]", "up_to");
    ONLY(HDR "  - name: a\n"
             "    type: per_request\n"
             "    units_per_request: 1\n"
             "    tiers: []\n",
         9, 12, "costs.a.tiers", "1 to 64 tiers");
}

static void test_fixed_months(void **state)
{
    (void)state;
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: 1\n"
             "    from_month: 6\n"
             "    until_month: 3\n",
         11, 18, "costs.a.until_month", "from_month");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: 1\n"
             "    from_month: 13\n",
         10, 17, "costs.a.from_month", "1..12");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: 1\n"
             "    until_month: 24\n",
         10, 18, "costs.a.until_month", "1..12");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: 1\n"
             "    from_month: 0\n",
         10, 17, "costs.a.from_month", "1..12");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: 1\n"
             "    from_month: 2.5\n",
         10, 17, "costs.a.from_month", "whole number");
}

/* One mistake, one message: an invalid value does not also produce a message about the
 * value the engine used in its place. */
static void test_no_follow_on_errors(void **state)
{
    (void)state;
    /* A month given as a range is refused once, not also as "month 0". */
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: 1\n"
             "    from_month: 1 to 3\n",
         10, 17, "costs.a.from_month", "plain number");
    /* A negative month is refused once. */
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: 1\n"
             "    from_month: -1\n",
         10, 17, "costs.a.from_month");
    /* A bad horizon does not make valid months out of range. */
    ONLY("name: t\nhorizon_months: 0\ndemand: {requests_per_month: 1000}\ncosts:\n"
         "  - {name: a, type: fixed, category: mlops, monthly: 1, from_month: 2, until_month: 6}\n",
         2, 17, "horizon_months");
    ONLY("name: t\ndemand: {requests_per_month: 1000}\ncosts:\n"
         "  - {name: a, type: fixed, category: mlops, monthly: 1, from_month: 2}\n",
         1, 1, "missing required key 'horizon_months'");
}

/* An error in one key does not hide a rule broken by others: a typo in an unrelated key
 * still leaves "exactly one of" to report, in the same pass. */
static void test_unrelated_errors_do_not_hide_rules(void **state)
{
    (void)state;
    const char *y = HDR "  - name: a\n"
                        "    type: training\n"
                        "    gpu_hours: 30\n"
                        "    hourly_rate: 40\n"
                        "    colour: red\n";
    ERR(y, 10, 5, "unknown key 'colour'");
    ERR(y, 6, 5, "costs.a", "exactly one of chance_per_month and jobs_per_month");
    y = HDR "  - name: a\n"
            "    type: per_request\n"
            "    units_per_request: 1\n"
            "    unit_price: 0.01\n"
            "    tiers: [{up_to: 1000, unit_price: 0.01}, {unit_price: 0.005}]\n"
            "    categroy: mlops\n";
    ERR(y, 11, 5, "unknown key 'categroy'", "did you mean 'category'?");
    ERR(y, 9, 17, "costs.a", "exactly one of unit_price and tiers");
}

static void test_distribution_constraints(void **state)
{
    (void)state;
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {uniform: {min: 900, max: 2000}, vary: weekly}\n",
         9, 53, "costs.a.monthly", "vary", "'weekly'");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {uniform: {min: 900, max: 2000}, clamp: [2000, 900]}\n",
         9, 54, "costs.a.monthly", "clamp", "lo must be <= hi");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {uniform: {min: 900, max: 2000}, clamp: [900]}\n",
         9, 54, "costs.a.monthly", "clamp", "[lo, hi]");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {discrete: {values: [900, 1200, 2000], weights: [1, 2]}}\n",
         9, 62, "costs.a.monthly", "2 weights for 3 values");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {discrete: {values: [900, 1200], weights: [1, -1]}}\n",
         9, 25, "costs.a.monthly", "weights", ">= 0");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {discrete: {values: [900, 1200], weights: [0, 0]}}\n",
         9, 25, "costs.a.monthly", "positive");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {triangular: {min: 900, mode: 2500, max: 2000}}\n",
         9, 27, "costs.a.monthly", "mode", "[min, max]");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {triangular: {min: 900, mode: 500, max: 2000}}\n",
         9, 27, "costs.a.monthly", "mode", "[min, max]");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {pert: {min: 2000, mode: 2000, max: 2000}}\n",
         9, 21, "costs.a.monthly", "min must be < max");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {triangular: {min: 900, max: 2000}}\n",
         9, 27, "costs.a.monthly", "needs 'mode'");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {normal: {mean: 1000, sd: -5}}\n",
         9, 23, "costs.a.monthly", "sd must be >= 0");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {uniform: {min: 2000, max: 900}}\n",
         9, 24, "costs.a.monthly", "min must be <= max");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {gamma: {shape: 2, scale: 0}}\n",
         9, 22, "costs.a.monthly", "gamma");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {beta: {a: 0, b: 1}}\n",
         9, 21, "costs.a.monthly", "beta");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {poisson: {mean: -3}}\n",
         9, 24, "costs.a.monthly", "poisson");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {normal: {mean: 1000, sd: 10}, uniform: {min: 1, max: 2}}\n",
         9, 45, "costs.a.monthly", "one distribution");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {vary: monthly}\n",
         9, 14, "costs.a.monthly", "distribution key");
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: {normal: {mean: 1000}}\n",
         9, 23, "costs.a.monthly", "needs 'sd'");
}

static void test_component_count(void **state)
{
    (void)state;
    char *y = malloc(8192);
    assert_non_null(y);
    size_t len = (size_t)snprintf(y, 8192, "name: t\nhorizon_months: 12\n"
                                           "demand: {requests_per_month: 1000}\ncosts:\n");
    for (int i = 0; i < 65; i++)
        len += (size_t)snprintf(y + len, 8192 - len,
                                "  - {name: c%d, type: fixed, category: mlops, monthly: 1}\n", i);
    expect_error_at(__LINE__, y, len, 1, 5, 3, "costs", "1 to 64", "65", (const char *)NULL);
    /* Without the last one: exactly the limit, valid. */
    y[len - strlen("  - {name: c64, type: fixed, category: mlops, monthly: 1}\n")] = '\0';
    rr_scenario *s = LOAD_OK(y);
    assert_int_equal(s->ncomps, 64);
    rr_scenario_free(s);
    free(y);
}

/* ---- the shape of the file ---- */

static void test_empty_and_non_mapping_files(void **state)
{
    (void)state;
    expect_error_at(__LINE__, "", 0, 1, 1, 1, "empty", (const char *)NULL);
    ONLY("# only a comment\n", 1, 1, "empty");
    ONLY("\n\n   \n", 1, 1, "empty");
    ONLY("---\n...\n", 2, 1, "expected a scenario mapping", "empty");
    ONLY("support-agent\n", 1, 1, "expected a scenario mapping", "string");
    ONLY("42\n", 1, 1, "expected a scenario mapping");
    ONLY("- name: t\n- horizon_months: 12\n", 1, 1, "expected a scenario mapping", "sequence");
    ONLY("\n\n  [1, 2]\n", 3, 3, "expected a scenario mapping", "sequence");
}

static void test_second_document(void **state)
{
    (void)state;
    ONLY(HDR FIXED_OK "---\n"
                      "name: u\n",
         7, 1, "one YAML document");
    /* An explicit document end alone is one document. */
    rr_scenario *s = LOAD_OK("---\n" HDR FIXED_OK "...\n");
    rr_scenario_free(s);
}

static void test_aliases(void **state)
{
    (void)state;
    /* A normal alias: the same distribution in two components. */
    rr_scenario *s = LOAD_OK(HDR "  - name: a\n"
                                 "    type: fixed\n"
                                 "    category: mlops\n"
                                 "    monthly: &licence {triangular: {min: 900, mode: 1200, max: 2000}}\n"
                                 "  - name: b\n"
                                 "    type: fixed\n"
                                 "    category: storage\n"
                                 "    monthly: *licence\n");
    const rr_input *a = field(component(s, "a"), "monthly"), *b = field(component(s, "b"), "monthly");
    assert_int_equal(b->dist.kind, RR_DIST_TRIANGULAR);
    assert_memory_equal(a->dist.user, b->dist.user, sizeof a->dist.user);
    /* ... positioned at the alias, and drawing from its own stream. */
    assert_int_equal(b->line, 13);
    assert_int_equal(b->col, 14);
    assert_true(a->stream != b->stream);
    rr_scenario_free(s);

    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: *licence\n",
         9, 14, "unknown alias '*licence'");
    ONLY(HDR FIXED_OK "loop: &x [1, *x]\n", 7, 14, "contains it");
    /* An alias's copy is checked like the original, at the alias. */
    ONLY(HDR "  - name: a\n"
             "    type: fixed\n"
             "    category: mlops\n"
             "    monthly: &m {uniform: {min: 9, max: 1}}\n",
         9, 27, "costs.a.monthly", "min must be <= max");
}

/* Billion laughs: nine aliases to nine aliases to ... is refused at the limit, quickly. */
static void test_alias_expansion_limit(void **state)
{
    (void)state;
    char *y = malloc(4096);
    assert_non_null(y);
    size_t len = (size_t)snprintf(y, 4096, HDR FIXED_OK "l0: &l0 [lol, lol, lol, lol, lol, "
                                                        "lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
        len += (size_t)snprintf(y + len, 4096 - len, "l%d: &l%d [", i, i);
        for (int j = 0; j < 9; j++)
            len += (size_t)snprintf(y + len, 4096 - len, "%s*l%d", j ? ", " : "", i - 1);
        len += (size_t)snprintf(y + len, 4096 - len, "]\n");
    }
    /* l6 holds 9^7 scalars: the first alias that brings the total past 10^6 is refused.
     * Lines: l0 on 7, l6 on 13; its aliases start at column 10, then every 6 columns. */
    loaded r;
    load(&r, y, len);
    assert_int_equal(r.st, RR_ERR_SCENARIO);
    assert_null(r.s);
    assert_int_equal(r.d.n, 1);
    assert_non_null(strstr(r.d.v[0].msg, "aliases"));
    assert_non_null(strstr(r.d.v[0].msg, "1000000"));
    assert_int_equal(r.d.v[0].line, 13);
    assert_int_equal(r.d.v[0].col, 10);
    loaded_free(&r);
    free(y);
}

/* A valid scenario plus `notes:` holding `levels` nested lists (the root is level 1). */
static void nested(char *y, size_t size, int levels)
{
    size_t n = (size_t)snprintf(y, size, HDR FIXED_OK "notes: ");
    for (int i = 0; i < levels && n + 2 < size; i++)
        y[n++] = '[';
    for (int i = 0; i < levels && n + 2 < size; i++)
        y[n++] = ']';
    y[n++] = '\n';
    y[n] = '\0';
}

static void test_nesting_limit(void **state)
{
    (void)state;
    char y[512];
    /* 'notes' holds 64 more levels: 65 in all.  The 64th '[' opens level 65: line 7,
     * column 8 + 63. */
    nested(y, sizeof y, 64);
    ONLY(y, 7, 71, "nesting deeper than 64");
    /* 64 levels are allowed: the only error is the unknown key. */
    nested(y, sizeof y, 63);
    ONLY(y, 7, 1, "unknown key 'notes'");
    /* Far deeper: the same single message, no stack exhaustion. */
    size_t big = 200000;
    char *deep = malloc(big + 16);
    assert_non_null(deep);
    memcpy(deep, "deep: ", 6);
    memset(deep + 6, '[', big);
    deep[6 + big] = '\0';
    expect_error_at(__LINE__, deep, 6 + big, 1, 1, 70, "nesting deeper than 64",
                    (const char *)NULL);
    free(deep);
}

static void test_size_limit(void **state)
{
    (void)state;
    size_t len = RR_NODE_MAX_BYTES + 1;
    char *y = malloc(len);
    assert_non_null(y);
    memset(y, ' ', len);
    memcpy(y, "name: t\n", 8);
    loaded r;
    load(&r, y, len);
    assert_int_equal(r.st, RR_ERR_SCENARIO);
    assert_int_equal(r.d.n, 1);
    assert_non_null(strstr(r.d.v[0].msg, "MiB"));
    loaded_free(&r);
    free(y);
}

/* ---- every error in one pass ---- */

static void test_all_errors_in_one_pass(void **state)
{
    (void)state;
    const char *y = "name: t\n"
                    "horizon_month: 12\n"
                    "budget: {total: 450000, confidence: 1.0}\n"
                    "demand:\n"
                    "  requests_per_month: 100 to 50\n"
                    "costs:\n"
                    "  - {name: a, type: compute, requests_per_instance: 5, hourly_rat: 1}\n"
                    "  - {name: b, type: oversight, review_share: 1.5, minutes_per_review: 3,\n"
                    "     hourly_rate: 40}\n"
                    "  - {name: a, type: fixed, monthly: 1}\n";
    loaded r;
    load(&r, y, strlen(y));
    assert_int_equal(r.st, RR_ERR_SCENARIO);
    assert_null(r.s);
    assert_true(r.d.n >= 3);
    /* Sorted by line, then column. */
    for (size_t i = 1; i < r.d.n; i++) {
        assert_true(r.d.v[i - 1].line <= r.d.v[i].line);
        if (r.d.v[i - 1].line == r.d.v[i].line)
            assert_true(r.d.v[i - 1].col <= r.d.v[i].col);
    }
    loaded_free(&r);
    ERR(y, 1, 1, "missing required key 'horizon_months'");
    ERR(y, 2, 1, "did you mean 'horizon_months'?");
    ERR(y, 3, 37, "budget.confidence");
    ERR(y, 5, 23, "0 < A < B");
    ERR(y, 7, 5, "costs.a", "missing required key 'hourly_rate'");
    ERR(y, 7, 56, "did you mean 'hourly_rate'?");
    ERR(y, 8, 46, "costs.b.review_share", "[0, 1]");
    ERR(y, 10, 5, "costs.a", "category");
    ERR(y, 10, 12, "duplicate component name 'a'", "first at line 7");
}

/* More errors than the list keeps: the rest are counted, not lost silently. */
static void test_error_cap(void **state)
{
    (void)state;
    char *y = malloc(16384);
    assert_non_null(y);
    size_t len = (size_t)snprintf(y, 16384, "name: t\nhorizon_months: 12\n"
                                            "demand: {requests_per_month: 1000}\ncosts:\n");
    for (int i = 0; i < 64; i++)   /* four errors each */
        len += (size_t)snprintf(y + len, 16384 - len,
                                "  - {name: c%d, type: oversight, review_share: 2, "
                                "minutes_per_review: -1, hourly_rate: 0, colour: red}\n", i);
    loaded r;
    load(&r, y, len);
    assert_int_equal(r.st, RR_ERR_SCENARIO);
    assert_int_equal(r.d.n, RR_DIAGS_MAX);
    assert_int_equal(r.d.lost, 64 * 4 - RR_DIAGS_MAX);
    assert_int_equal(r.d.v[0].line, 5);
    loaded_free(&r);
    free(y);
}

/* ---- valid files ---- */

/* The example scenario of the format's specification (issue 2), verbatim. */
static const char example[] =
    "name: support-agent          # required\n"
    "currency: USD                # optional label, default USD\n"
    "start: 2027-01               # optional YYYY-MM; names the months and aligns seasonality\n"
    "horizon_months: 12           # required, 1..120\n"
    "simulation: {paths: 100000, seed: 42}      # optional; defaults 100000 and 1\n"
    "budget: {total: 450000, confidence: 0.8}   # optional: budget for the whole horizon\n"
    "\n"
    TEST_EXAMPLE_DEMAND_COSTS;

static void test_example_scenario(void **state)
{
    (void)state;
    rr_scenario *s = LOAD_OK(example);
    assert_string_equal(s->name, "support-agent");
    assert_string_equal(s->currency, "USD");
    assert_int_equal(s->start_year, 2027);
    assert_int_equal(s->start_month, 1);
    assert_int_equal(s->horizon, 12);
    assert_int_equal(s->paths, 100000);
    assert_int_equal(s->seed, 42);
    assert_true(s->has_budget);
    assert_true(s->budget_total == 450000);
    assert_true(s->confidence == 0.8);
    assert_true(s->streams[0].d.season[2] == 1.05 && s->streams[0].d.season[6] == 0.85);
    assert_true(s->streams[0].d.has_spikes);
    assert_int_equal(s->streams[0].d.in[RR_DEMAND_BASE].dist.kind, RR_DIST_LOGNORMAL);
    assert_int_equal(s->streams[0].d.in[RR_DEMAND_BASE].line, 9);
    assert_int_equal(s->streams[0].d.in[RR_DEMAND_BASE].col, 23);
    assert_true(s->streams[0].d.in[RR_DEMAND_NOISE].dist.p[0] == 0.08);
    assert_int_equal(s->ncomps, 7);
    static const char *const names[] = { "chat-model", "reranker", "retraining", "traces",
                                         "observability", "transcripts", "review" };
    static const rr_category cats[] = { RR_CAT_MANAGED_AI, RR_CAT_COMPUTE, RR_CAT_COMPUTE,
                                        RR_CAT_MLOPS, RR_CAT_MLOPS, RR_CAT_STORAGE,
                                        RR_CAT_OVERSIGHT };
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal(s->comps[i].name, names[i]);
        assert_int_equal(s->comps[i].category, cats[i]);
    }
    const rr_component *api = component(s, "chat-model");
    assert_string_equal(api->type->name, "model_api");
    assert_int_equal(field(api, "input_tokens")->dist.kind, RR_DIST_LOGNORMAL);
    assert_string_equal(field(api, "input_tokens")->path, "costs.chat-model.input_tokens");
    assert_true(field(api, "price_per_million.input")->dist.p[0] == 3.0);
    assert_true(field(api, "price_per_million.output")->dist.p[0] == 15.0);
    assert_false(field(api, "price_per_million.cached_input")->given);
    assert_true(field(api, "price_change.factor")->dist.p[0] == 0.75);
    const rr_component *rr = component(s, "reranker");
    assert_true(field(rr, "hours_per_month")->dist.p[0] == 730);
    assert_false(field(rr, "hours_per_month")->given);
    assert_true(field(rr, "min_instances")->dist.p[0] == 2);
    assert_true(isinf(field(rr, "max_instances")->dist.p[0]));
    const rr_component *obs = component(s, "observability");
    assert_int_equal(field(obs, "monthly")->vary, RR_VARY_MONTHLY);
    assert_true(field(obs, "from_month")->dist.p[0] == 1);
    assert_true(field(obs, "until_month")->dist.p[0] == 12);
    assert_int_equal(field(component(s, "review"), "review_share")->dist.kind, RR_DIST_BETA);
    assert_int_equal(field(component(s, "retraining"), "gpu_hours")->dist.kind,
                     RR_DIST_TRIANGULAR);
    rr_scenario_free(s);
}

static void test_defaults(void **state)
{
    (void)state;
    rr_scenario *s = LOAD_OK("name: minimal\n"
                             "horizon_months: 24\n"
                             "demand:\n"
                             "  requests_per_month: 1000000\n"
                             "costs:\n"
                             "  - name: api\n"
                             "    type: model_api\n"
                             "    input_tokens: 1000\n"
                             "    output_tokens: 0\n"
                             "    cached_share: 0.5\n"
                             "    price_per_million: {input: 3, output: 15}\n"
                             "  - {name: gpu, type: compute, requests_per_instance: 1e9, hourly_rate: 2}\n"
                             "  - {name: licence, type: fixed, category: mlops, monthly: 100}\n");
    assert_string_equal(s->currency, "USD");
    assert_int_equal(s->paths, RR_DEFAULT_PATHS);
    assert_int_equal(s->paths, 100000);
    assert_int_equal(s->seed, 1);
    assert_true(s->confidence == 0.8);
    assert_false(s->has_budget);
    assert_int_equal(s->start_year, 0);
    assert_int_equal(s->start_month, 0);
    for (int i = 0; i < 12; i++)
        assert_true(s->streams[0].d.season[i] == 1);
    assert_false(s->streams[0].d.has_spikes);
    assert_true(s->streams[0].d.in[RR_DEMAND_GROWTH].dist.p[0] == 0);
    assert_true(s->streams[0].d.in[RR_DEMAND_NOISE].dist.p[0] == 0);
    const rr_component *api = component(s, "api"), *gpu = component(s, "gpu"),
                       *lic = component(s, "licence");
    assert_int_equal(api->category, RR_CAT_MANAGED_AI);
    assert_true(field(api, "calls_per_request")->dist.p[0] == 1);
    assert_int_equal(gpu->category, RR_CAT_COMPUTE);
    assert_true(field(gpu, "hours_per_month")->dist.p[0] == 730);
    assert_true(field(gpu, "min_instances")->dist.p[0] == 0);
    assert_true(isinf(field(gpu, "max_instances")->dist.p[0]));
    assert_false(field(gpu, "reserved.instances")->given);
    assert_true(field(lic, "from_month")->dist.p[0] == 1);
    assert_true(field(lic, "until_month")->dist.p[0] == 24);   /* the horizon */
    /* Costs on constant inputs, per month: the API at the input price for cached tokens too
     * (1e6 requests * 1000 tokens * $3/M = 3000), one instance 730 h at $2 (1460), the licence
     * (100); over 24 months. */
    double want = 24 * (3000.0 + 1460.0 + 100.0);
    double got = total_mean(s, 1);
    assert_true(fabs(got - want) <= 1e-9 * want);
    rr_scenario_free(s);

    /* With a cached_input price the cached half is billed at it. */
    s = LOAD_OK("name: cached\n"
                "horizon_months: 1\n"
                "demand: {requests_per_month: 1000000}\n"
                "costs:\n"
                "  - {name: api, type: model_api, input_tokens: 1000, output_tokens: 0,\n"
                "     cached_share: 0.5, price_per_million: {input: 3, output: 15, cached_input: 1}}\n");
    got = total_mean(s, 1);
    assert_true(fabs(got - 2000.0) <= 1e-9 * 2000.0);
    rr_scenario_free(s);
}

/* Quoted numbers, exponents, comments, CRLF line ends and a byte-order mark are all fine. */
static void test_valid_spellings(void **state)
{
    (void)state;
    rr_scenario *s = LOAD_OK("\xef\xbb\xbfname: \"t\"\r\n"
                             "horizon_months: 1e1\r\n"
                             "simulation: {paths: 2e3, seed: 18446744073709551615}\r\n"
                             "demand: {requests_per_month: \"1000\"}   # quoted\r\n"
                             "costs:\r\n"
                             "  - {name: a.b_c-1, type: fixed, category: mlops, monthly: 1.5e2}\r\n");
    assert_int_equal(s->horizon, 10);
    assert_int_equal(s->paths, 2000);
    assert_true(s->seed == UINT64_MAX);
    assert_true(s->streams[0].d.in[RR_DEMAND_BASE].dist.p[0] == 1000);
    assert_true(field(&s->comps[0], "monthly")->dist.p[0] == 150);
    rr_scenario_free(s);
    /* A position after CRLF line ends is still exact. */
    ONLY("name: t\r\nhorizon_months: 12\r\ndemand: {requests_per_month: 1000}\r\ncosts:\r\n"
         "  - {name: a, type: fixed, category: mlops, monthly: -1}\r\n",
         5, 54, "costs.a.monthly", ">= 0");
}

/* ---- the docs against the registries ---- */

static char *read_docs(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (tests run from the repository's root)", path);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    return text;
}

/* docs/scenario-format.md lists every component type of the registry: its section headed
 * with its default category, every key of its field table, and its name among the `type`
 * values in the registry's order; and the categories' table is the category table's rows,
 * FOCUS names included. */
static void test_docs_match_registries(void **state)
{
    (void)state;
    const char *docs = read_docs("docs/scenario-format.md");
    char want[512], list[512] = "one of ";
    for (size_t t = 0; rr_model_types[t]; t++) {
        const rr_component_type *ty = rr_model_types[t];
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s`%s`", t ? ", " : "", ty->name);
        if (ty->default_category >= 0)
            snprintf(want, sizeof want, "\n### `%s` (default category `%s`)\n", ty->name,
                     rr_category_get((rr_category)ty->default_category)->name);
        else
            snprintf(want, sizeof want, "\n### `%s` (no default category", ty->name);
        const char *sec = strstr(docs, want);
        if (!sec)
            fail_msg("docs/scenario-format.md: no section \"%s\"", want + 1);
        const char *end = strstr(sec + 1, "\n##");
        for (size_t i = 0; i < ty->nfields; i++) {
            snprintf(want, sizeof want, "\n| `%s` |", ty->fields[i].key);
            const char *at = strstr(sec, want);
            if (!at || (end && at > end))
                fail_msg("docs/scenario-format.md, `%s`: no row for key `%s`", ty->name,
                         ty->fields[i].key);
        }
    }
    strcat(list, " |");
    if (!strstr(docs, list))
        fail_msg("docs/scenario-format.md: the `type` row does not read \"%s\"", list);
    /* docs/report.md: a row for each warning code, with what it flags. */
    const char *report = read_docs("docs/report.md");
    for (int c = 0; c < RR_NWARNING_CODES; c++) {
        snprintf(want, sizeof want, "\n| `%s` | %s | ", rr_warning_code_name((rr_warning_code)c),
                 rr_warning_code_text((rr_warning_code)c));
        if (!strstr(report, want))
            fail_msg("docs/report.md: no warnings' row \"%s\"", want + 1);
    }
    docs = read_docs("docs/scenario-format.md");
    for (int c = 0; c < RR_NCAT; c++) {
        const rr_category_info *k = rr_category_get((rr_category)c);
        snprintf(want, sizeof want, "\n| `%s` | %s | %s | %s |\n", k->name, k->text, k->focus,
                 k->focus_sub);
        /* An empty subcategory is written as an empty cell. */
        if (!k->focus_sub[0])
            snprintf(want, sizeof want, "\n| `%s` | %s | %s | |\n", k->name, k->text, k->focus);
        if (!strstr(docs, want))
            fail_msg("docs/scenario-format.md: no categories' row \"%s\"", want + 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml_syntax),
        cmocka_unit_test(test_yaml_encoding_error_position),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_unknown_keys_suggest),
        cmocka_unit_test(test_unknown_keys_without_suggestion),
        cmocka_unit_test(test_missing_top_level_keys),
        cmocka_unit_test(test_missing_component_keys),
        cmocka_unit_test(test_missing_group_keys_name_the_group),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_duplicate_component_names),
        cmocka_unit_test(test_horizon_range),
        cmocka_unit_test(test_seasonality),
        cmocka_unit_test(test_start),
        cmocka_unit_test(test_a_to_b),
        cmocka_unit_test(test_lognormal_p5_p95),
        cmocka_unit_test(test_shares_and_probabilities),
        cmocka_unit_test(test_prices),
        cmocka_unit_test(test_non_finite_and_huge_numbers),
        cmocka_unit_test(test_other_ranges),
        cmocka_unit_test(test_lengths_and_counts),
        cmocka_unit_test(test_training_one_of),
        cmocka_unit_test(test_per_request_price_forms),
        cmocka_unit_test(test_tiers),
        cmocka_unit_test(test_fixed_months),
        cmocka_unit_test(test_no_follow_on_errors),
        cmocka_unit_test(test_unrelated_errors_do_not_hide_rules),
        cmocka_unit_test(test_distribution_constraints),
        cmocka_unit_test(test_component_count),
        cmocka_unit_test(test_empty_and_non_mapping_files),
        cmocka_unit_test(test_second_document),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_alias_expansion_limit),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_all_errors_in_one_pass),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_example_scenario),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_valid_spellings),
        cmocka_unit_test(test_docs_match_registries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
