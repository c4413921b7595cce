/* fuzz_scenario: a libFuzzer target for the scenario loader and validator (`make fuzz`).
 *
 * Each input is a scenario file's bytes.  They go through what `runrate validate` and the
 * start of `runrate run` do: rr_node_load_string, then rr_scenario_from_node.  When the tree
 * loads cleanly, a copy of it also gets one `--set` override, picked from a fixed list by
 * the input's last byte (and its length), and is validated again, so that rr_override_apply
 * and the validation of overridden trees are fuzzed too.  An input whose first line is a
 * comment "# set PATH=VALUE" also gets that override (the comment changes nothing in the
 * YAML), and the text after "# set " goes through the --sweep splitter.
 *
 * A tree that names price catalog entries ({catalog: ...}) also goes through
 * rr_catalog_expand against the shipped catalog (scenarios/catalog, loaded once) and is
 * validated again.
 *
 * A valid scenario is not simulated in full (this target is for the loader and validator),
 * but when its horizon x components is small it runs 3 paths on 1 thread, which fuzzes the
 * models' arithmetic cheaply; a numerical fault (RR_ERR_NUMERIC) is a correct answer there.
 *
 * Nothing here prints or exits.  A broken invariant of the engine's API (a failure without
 * a message, a result that contradicts its status) is reported as a crash with
 * __builtin_trap(), so libFuzzer keeps the input.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "scenario/catalog.h"
#include "scenario/diag.h"
#include "scenario/node.h"
#include "scenario/override.h"
#include "scenario/scenario.h"
#include "run/sim.h"
#include "sample/plan.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_FILE "fuzz.yaml"
#define FUZZ_SIM_PATHS 3
#define FUZZ_SIM_MAX_CELLS 240   /* horizon x components of a scenario worth simulating */

#define CHECK(cond)                 \
    do {                            \
        if (!(cond))                \
            __builtin_trap();       \
    } while (0)

/* "%s" stands for the name of the tree's first component (or "x" without one). */
static const char *const overrides[] = {
    "simulation.paths=1000",
    "simulation.seed=18446744073709551615",
    "simulation.paths=0",
    "horizon_months=1",
    "horizon_months=120",
    "horizon_months=121",
    "name=fuzz",
    "currency={a: 1}",
    "start=2027-13",
    "budget.total=1000",
    "budget.monthly=1e15",
    "budget.confidence=1",
    "demand.requests_per_month=100 to 200",
    "demand.requests_per_month=1e-300",
    "demand.growth_per_month={normal: {mean: 0.05, sd: 0.02}, vary: monthly, clamp: [-1, 9]}",
    "demand.noise=3",
    "demand.seasonality=[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
    "demand.spikes={per_month: 2, multiplier: 1 to 1e15, days: 30}",
    "costs.x.y=1",
    "costs.%s.hourly_rate=1e15",
    "costs.%s.unit_price={pert: {min: 0, mode: 0, max: 1}}",
    "costs.%s.input_tokens={discrete: {values: [0, 1e15]}}",
    "costs.%s.price_per_million.input=0",
    "costs.%s.tiers=[{up_to: 1, unit_price: 0}, {unit_price: 1e15}]",
    "costs.%s.from_month=120",
    "costs.%s.category=oversight",
    "costs.%s.type=fixed",
    "costs.%s.name=%s",
    "costs.%s.=1",
    "costs.%s..a=1",
    "correlations=[{between: [demand.requests_per_month, costs.%s.input_tokens], rank: 0.99}]",
    "costs=[]",
    "demand=",
    "=1",
    "variables={a: 1 to 2, b: \"a * month\", c: {schedule: {1: b, 3: \"requests / a\"}}}",
    "variables.a=\"log(0)\"",
    "demand.requests_per_month=\"1000 * month ^ 2\"",
    "demand.requests_per_month={schedule: {1: 10, 2: \"100 * days\", 5: 1 to 9}}",
    "costs.%s.type=formula",
    "costs.%s.cost=\"if(month > 6, 1 / (month - 7), 0)\"",
};
#define NOVERRIDES (sizeof overrides / sizeof overrides[0])

static rr_catalog catalog;   /* the shipped one, for the life of the process */
static int have_catalog;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* As runrate's main does: GSL's default handler aborts; the engine checks statuses. */
    gsl_set_error_handler_off();
    rr_diags d;
    rr_diags_init(&d, NULL);
    if (rr_catalog_load("scenarios/catalog", &catalog, &d) == RR_OK)
        have_catalog = 1;
    rr_diags_free(&d);
    return 0;
}

/* The first component's name in a (not yet validated) tree, or "x". */
static const char *first_component(const rr_node *root)
{
    const rr_node *costs = rr_node_get(root, "costs");
    if (costs && costs->kind == RR_NODE_SEQ && costs->n > 0) {
        const rr_node *name = rr_node_get(costs->items[0], "name");
        if (name && name->kind == RR_NODE_SCALAR && name->str)
            return name->str;
    }
    return "x";
}

/* Expand the "%s" in an override (at most two of them) with `name`.  Owned; NULL on OOM. */
static char *expand(const char *fmt, const char *name)
{
    size_t nlen = strlen(name), len = strlen(fmt) + 2 * nlen + 1;
    char *out = malloc(len), *o = out;
    if (!out)
        return NULL;
    for (const char *p = fmt; *p; p++) {
        if (p[0] == '%' && p[1] == 's') {
            memcpy(o, name, nlen);
            o += nlen;
            p++;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

static void check_failure(rr_status st, const rr_diags *d)
{
    /* A bad scenario always says why: the CLI prints these messages, nothing else. */
    if (st == RR_ERR_SCENARIO || st == RR_ERR_IO || st == RR_ERR_USAGE)
        CHECK(d->n > 0 || d->lost > 0);
}

/* Simulate a few paths of a small valid scenario. */
static void simulate(const rr_scenario *s)
{
    CHECK(s->horizon >= 1 && s->horizon <= RR_MAX_HORIZON);
    CHECK(s->ncomps >= 1 && s->ncomps <= RR_MAX_COMPONENTS);
    CHECK(s->paths >= 1 && s->paths <= RR_MAX_PATHS);
    if ((size_t)s->horizon * s->ncomps > FUZZ_SIM_MAX_CELLS)
        return;
    rr_sim_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.paths = FUZZ_SIM_PATHS;
    cfg.seed = s->seed;
    cfg.threads = 1;
    rr_diags d;
    rr_diags_init(&d, FUZZ_FILE);
    rr_result *r = NULL;
    rr_plan *p = NULL;
    rr_status st = rr_plan_new(s, &p);
    if (st == RR_OK)
        st = rr_sim_run(p, &cfg, &r, &d);
    rr_plan_free(p);
    CHECK(st == RR_OK || st == RR_ERR_NUMERIC || st == RR_ERR_NOMEM);
    if (st == RR_ERR_NUMERIC)
        CHECK(d.n > 0);   /* names the component and month */
    if (st == RR_OK) {
        CHECK(r != NULL && r->paths == FUZZ_SIM_PATHS);
        /* Never a plausible number from a broken model: the total's statistics are finite. */
        CHECK(isfinite(r->moments[rr_result_total()].mean));
    }
    rr_result_free(r);
    rr_diags_free(&d);
}

/* Validate a tree (which is not changed) with diagnostics `d`; simulate it when valid. */
static void validate(const rr_node *root, rr_diags *d)
{
    rr_scenario *s = NULL;
    rr_status st = rr_scenario_from_node(root, &s, d);
    if (st == RR_OK) {
        CHECK(s != NULL && d->n == 0);
        simulate(s);
    } else {
        CHECK(s == NULL);
        check_failure(st, d);
    }
    rr_scenario_free(s);
}

/* Replace a copy's catalog references, as the command line does, and validate it. */
static void with_catalog(const rr_node *root)
{
    rr_node *copy = rr_node_copy(root);
    if (!copy)
        return;
    rr_diags d;
    rr_diags_init(&d, FUZZ_FILE);
    rr_catalog_uses uses = { NULL, 0 };
    rr_status st = rr_catalog_expand(copy, have_catalog ? &catalog : NULL, "fuzz", &uses, &d);
    if (st == RR_OK) {
        CHECK(!rr_catalog_referenced(copy));
        validate(copy, &d);
    } else {
        CHECK(st == RR_ERR_SCENARIO || st == RR_ERR_NOMEM);
        check_failure(st, &d);
    }
    rr_catalog_uses_free(&uses);
    rr_diags_free(&d);
    rr_node_free(copy);
}

/* Apply `assignment` to a copy of root and validate the result. */
static void with_override(const rr_node *root, const char *assignment)
{
    rr_node *copy = rr_node_copy(root);
    if (!copy)
        return;
    rr_diags d;
    rr_diags_init(&d, FUZZ_FILE);
    rr_status st = rr_override_apply(copy, assignment, 0, &d);
    if (st == RR_OK)
        validate(copy, &d);
    else
        CHECK(st == RR_ERR_USAGE || st == RR_ERR_NOMEM);
    rr_diags_free(&d);
    rr_node_free(copy);
}

/* The text after a first line "# set ", NUL-terminated (owned), or NULL. */
static char *set_comment(const uint8_t *data, size_t size)
{
    static const char tag[] = "# set ";
    const size_t tlen = sizeof tag - 1;
    if (size <= tlen || memcmp(data, tag, tlen) != 0)
        return NULL;
    size_t end = tlen;
    while (end < size && data[end] != '\n' && data[end] != '\0')
        end++;
    char *s = malloc(end - tlen + 1);
    if (!s)
        return NULL;
    memcpy(s, data + tlen, end - tlen);
    s[end - tlen] = '\0';
    return s;
}

static void sweep(const char *arg)
{
    char *path = NULL, **values = NULL;
    size_t n = 0;
    rr_diags d;
    rr_diags_init(&d, NULL);
    rr_status st = rr_override_split_sweep(arg, &path, &values, &n, &d);
    if (st == RR_OK)
        CHECK(path != NULL && n >= 2);
    else
        check_failure(st, &d);
    rr_override_free_values(values, n);
    free(path);
    rr_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rr_diags d;
    rr_diags_init(&d, FUZZ_FILE);
    rr_node *root = NULL;
    rr_status st = rr_node_load_string((const char *)data, size, &root, &d);
    if (st != RR_OK) {
        CHECK(root == NULL);
        check_failure(st, &d);
        rr_diags_free(&d);
        return 0;
    }
    CHECK(root != NULL);
    /* Duplicate keys leave a diagnostic but a tree: validation must still fail. */
    int clean = d.n == 0 && d.lost == 0;
    validate(root, &d);
    rr_diags_free(&d);
    if (clean && rr_catalog_referenced(root))
        with_catalog(root);

    /* Overrides apply to what `runrate run --set` would see: a tree that loaded cleanly. */
    if (clean && root->kind == RR_NODE_MAP) {
        size_t pick = ((size_t)data[size - 1] + size) % NOVERRIDES;
        char *a = expand(overrides[pick], first_component(root));
        if (a)
            with_override(root, a);
        free(a);
        char *extra = set_comment(data, size);
        if (extra) {
            with_override(root, extra);
            sweep(extra);
        }
        free(extra);
    }
    rr_node_free(root);
    return 0;
}
