/* scenario: validation of scenario format version 1.
 *
 * Each section is checked against a table of the keys it accepts (the component types'
 * tables live in models/), so unknown keys get a did-you-mean suggestion and missing ones
 * a message at their mapping.  Checking goes on after an error, so a user sees every
 * problem of the file at once; only the result is withheld.
 */
#include "scenario/scenario.h"

#include "scenario/check.h"
#include "scenario/keys.h"
#include "scenario/layers.h"
#include "scenario/plausible.h"
#include "scenario/variables.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_math.h>

typedef struct ctx {
    rr_diags *d;
    int bad;
} ctx;

#define ERR(c, node, ...)                                           \
    do {                                                            \
        rr_diags_add((c)->d, (node)->line, (node)->col, __VA_ARGS__); \
        (c)->bad = 1;                                               \
    } while (0)

/* The checks of check.h, failing the scenario. */
static void unknown_key(ctx *c, const rr_node *k, const char *where, const char *const *known)
{
    rr_check_unknown(c->d, k, where, known);
    c->bad = 1;
}

static int check_keys(ctx *c, const rr_node *map, const char *where, const char *const *keys)
{
    return rr_check_keys(c->d, map, where, keys) ? (c->bad = 1, -1) : 0;
}

static int parse_uint(ctx *c, const rr_node *n, const char *what, uint64_t lo, uint64_t hi,
                      uint64_t *out)
{
    return rr_check_uint(c->d, n, what, lo, hi, out) ? (c->bad = 1, -1) : 0;
}

static int parse_plain(ctx *c, const rr_node *n, const char *what, double *out)
{
    return rr_check_plain(c->d, n, what, out) ? (c->bad = 1, -1) : 0;
}

static int expect_map(ctx *c, const rr_node *n, const char *what)
{
    return rr_check_map(c->d, n, what) ? (c->bad = 1, -1) : 0;
}

#define scalar_text rr_check_text

/* ---- the generic keyed section: a table of fields, some nested one level ("group.key") ---- */

static size_t group_len(const char *key)
{
    const char *dot = strchr(key, '.');
    return dot ? (size_t)(dot - key) : 0;
}

static int in_group(const char *key, const char *group, size_t glen)
{
    return glen && strncmp(key, group, glen) == 0 && key[glen] == '.';
}

/* Check the keys of `map` against `fields` (and `extra` plain keys), parse every VALUE and
 * PLAIN field into in[], fill defaults.  SPECIAL fields are left to the caller. */
static int parse_fields(ctx *c, const rr_node *map, const char *prefix, const rr_field *fields,
                        size_t nf, const char *const *extra, rr_input *in)
{
    int failed = 0;
    const char *known[RR_MAX_FIELDS + 8];
    char groups[RR_MAX_FIELDS][32];
    size_t nk = 0;
    for (size_t i = 0; extra && extra[i]; i++)
        known[nk++] = extra[i];
    for (size_t i = 0; i < nf; i++) {
        size_t gl = group_len(fields[i].key);
        if (!gl) {
            known[nk++] = fields[i].key;
            continue;
        }
        snprintf(groups[i], sizeof groups[i], "%.*s", (int)gl, fields[i].key);
        int seen = 0;
        for (size_t j = 0; j < nk; j++)
            seen |= strcmp(known[j], groups[i]) == 0;
        if (!seen)
            known[nk++] = groups[i];
    }
    known[nk] = NULL;

    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const rr_node *k = map->items[i], *v = map->items[i + 1];
        size_t j = 0;
        while (j < nk && strcmp(known[j], k->str) != 0)
            j++;
        if (j == nk) {
            unknown_key(c, k, prefix, known);
            continue;
        }
        /* A group: check its own keys. */
        size_t glen = strlen(k->str);
        const char *sub[RR_MAX_FIELDS + 1];
        size_t ns = 0;
        for (size_t f = 0; f < nf; f++)
            if (in_group(fields[f].key, k->str, glen))
                sub[ns++] = fields[f].key + glen + 1;
        sub[ns] = NULL;
        if (ns == 0)
            continue;
        char where[160];
        snprintf(where, sizeof where, "%s.%s", prefix, k->str);
        if (expect_map(c, v, where)) {
            failed++;
            continue;
        }
        for (size_t g = 0; g + 1 < v->n; g += 2) {
            size_t s = 0;
            while (s < ns && strcmp(sub[s], v->items[g]->str) != 0)
                s++;
            if (s == ns)
                unknown_key(c, v->items[g], where, sub);
        }
    }

    for (size_t i = 0; i < nf; i++) {
        const rr_field *f = &fields[i];
        char path[192];
        snprintf(path, sizeof path, "%s.%s", prefix, f->key);
        size_t gl = group_len(f->key);
        const rr_node *owner = map, *node;
        if (gl) {
            char g[32];
            snprintf(g, sizeof g, "%.*s", (int)gl, f->key);
            owner = rr_node_get(map, g);
            node = owner && owner->kind == RR_NODE_MAP ? rr_node_get(owner, f->key + gl + 1)
                                                       : NULL;
        } else {
            node = rr_node_get(map, f->key);
        }
        if (f->kind == RR_FIELD_SPECIAL)
            continue;
        if (node) {
            unsigned flags = f->flags & (RR_IN_POSITIVE | RR_IN_INTEGER);
            if (f->kind == RR_FIELD_PLAIN)
                flags |= RR_IN_PLAIN;
            if (rr_input_parse(&in[i], node, path, f->domain, flags, c->d) != 0) {
                c->bad = 1;
                failed++;
            }
            continue;
        }
        int required = (f->flags & RR_IN_REQUIRED) &&
                       (!gl || (owner && owner->kind == RR_NODE_MAP) ||
                        (f->flags & RR_F_GROUP_REQUIRED));
        /* A missing group is reported once, at its first required key. */
        int group_reported = 0;
        for (size_t j = 0; gl && j < i; j++)
            group_reported |= (fields[j].flags & RR_IN_REQUIRED) && group_len(fields[j].key) == gl &&
                              strncmp(fields[j].key, f->key, gl) == 0;
        if (required) {
            const rr_node *at = owner && owner->kind == RR_NODE_MAP ? owner : map;
            failed++;
            if (gl && !(owner && owner->kind == RR_NODE_MAP)) {
                if (!group_reported)
                    ERR(c, at, "%s: missing required key '%.*s'", prefix, (int)gl, f->key);
            }
            else if (gl)
                ERR(c, at, "%s.%.*s: missing required key '%s'", prefix, (int)gl, f->key,
                    f->key + gl + 1);
            else
                ERR(c, at, "%s: missing required key '%s'", prefix, f->key);
        }
        if (rr_input_default(&in[i], path, isnan(f->def) ? 0 : f->def) != 0)
            c->bad = 1;
    }
    return failed;
}

/* ---- sections ---- */

static void parse_seasonality(ctx *c, const rr_node *n, rr_demand *dm, const char *prefix)
{
    if (n->kind != RR_NODE_SEQ || n->n != 12) {
        if (n->kind == RR_NODE_SEQ)
            ERR(c, n, "%s.seasonality: expected a list of 12 numbers (January to December), "
                      "got %zu", prefix, n->n);
        else
            ERR(c, n, "%s.seasonality: expected a list of 12 numbers (January to December), "
                      "got %s", prefix, rr_node_kind_name(n));
        return;
    }
    for (size_t i = 0; i < 12; i++) {
        double v;
        char what[112];
        snprintf(what, sizeof what, "%s.seasonality[%zu]", prefix, i);
        if (parse_plain(c, n->items[i], what, &v) == 0) {
            if (v < 0)
                ERR(c, n->items[i], "%s: must be >= 0, got %g", what, v);
            else
                dm->season[i] = v;
        }
    }
}

/* One stream's demand block n (a v1 `demand:`), its inputs' paths under st->prefix. */
static void parse_stream(ctx *c, const rr_node *n, rr_stream *st, const rr_scenario *s,
                         const rr_node *start_node)
{
    rr_demand *dm = &st->d;
    const char *prefix = st->prefix;
    for (int i = 0; i < 12; i++)
        dm->season[i] = 1;
    dm->start_month = s->start_month ? s->start_month - 1 : 0;
    if (expect_map(c, n, prefix)) {
        for (int i = 0; i < RR_DEMAND_NFIELDS; i++)
            rr_input_default(&dm->in[i], prefix, 0);
        return;
    }
    parse_fields(c, n, prefix, rr_demand_fields, RR_DEMAND_NFIELDS, NULL, dm->in);
    const rr_node *season = rr_node_get(n, "seasonality");
    if (season) {
        if (!start_node) {
            ERR(c, season, "%s.seasonality needs 'start' (YYYY-MM) to align months with "
                           "the calendar", prefix);
        }
        parse_seasonality(c, season, dm, prefix);
    }
    const rr_node *spikes = rr_node_get(n, "spikes");
    dm->has_spikes = spikes && spikes->kind == RR_NODE_MAP;
}

/* Whether `key` is one of a demand block's own keys (then `demand:` is one stream). */
static int demand_key(const char *key)
{
    for (size_t i = 0; i < RR_DEMAND_NFIELDS; i++) {
        const char *f = rr_demand_fields[i].key, *dot = strchr(f, '.');
        size_t n = dot ? (size_t)(dot - f) : strlen(f);
        if (strncmp(f, key, n) == 0 && key[n] == '\0')
            return 1;
    }
    return 0;
}

static int stream_ident(const char *s)
{
    return rr_expr_is_name(s, RR_MAX_NAME);
}

static int set_stream(rr_stream *st, const char *name, const char *prefix, const rr_node *at)
{
    st->name = strdup(name);
    st->prefix = strdup(prefix);
    st->line = at->line;
    st->col = at->col;
    return st->name && st->prefix ? 0 : -1;
}

/* `demand:`: one block (a stream named "default", paths demand.KEY), or named streams, each
 * a block (paths demand.NAME.KEY). */
static void parse_demand(ctx *c, const rr_node *n, rr_scenario *s, const rr_node *start_node)
{
    /* Without a demand block: one stream of defaults, so that the rest still validates. */
    static const rr_node none = { .kind = RR_NODE_MAP };
    const int missing = n == NULL;
    if (missing)
        n = &none;
    /* Named streams only when no key is a block's own and every value is a mapping: a
     * misspelt key of one block ("request_per_month: 1000") stays a misspelt key. */
    int single = n->kind != RR_NODE_MAP || n->n == 0;
    for (size_t i = 0; !single && i + 1 < n->n; i += 2)
        single = demand_key(n->items[i]->str) || n->items[i + 1]->kind != RR_NODE_MAP;
    size_t count = single ? 1 : n->n / 2;
    if (count > RR_MAX_STREAMS) {
        ERR(c, n, "demand: at most %d streams, got %zu", RR_MAX_STREAMS, count);
        count = RR_MAX_STREAMS;
    }
    if (!(s->streams = calloc(count + 1, sizeof *s->streams))) {
        ERR(c, n, "out of memory");
        return;
    }
    if (single) {
        s->nstreams = 1;
        if (set_stream(&s->streams[0], "default", "demand", n) != 0) {
            ERR(c, n, "out of memory");
            return;
        }
        if (missing) {
            for (int i = 0; i < RR_DEMAND_NFIELDS; i++)
                rr_input_default(&s->streams[0].d.in[i], "demand", 0);
            for (int i = 0; i < 12; i++)
                s->streams[0].d.season[i] = 1;
            return;
        }
        parse_stream(c, n, &s->streams[0], s, start_node);
        return;
    }
    s->named_streams = 1;
    for (size_t i = 0; i < count; i++) {
        const rr_node *k = n->items[2 * i], *v = n->items[2 * i + 1];
        rr_stream *st = &s->streams[s->nstreams++];
        char prefix[96];
        snprintf(prefix, sizeof prefix, "demand.%s", k->str);
        if (set_stream(st, k->str, prefix, k) != 0) {
            ERR(c, k, "out of memory");
            return;
        }
        if (strcmp(k->str, "default") == 0)
            ERR(c, k, "demand: 'default' is the name of a demand written as one block; name "
                      "this stream otherwise");
        else if (!stream_ident(k->str))
            ERR(c, k, "demand: '%s' is not a stream name: a name is letters, digits and _ (at "
                      "most %d), starting with a letter or _ (expressions read a stream's "
                      "requests as requests.NAME)", k->str, RR_MAX_NAME);
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->streams[j].name, k->str) == 0)
                ERR(c, k, "demand: stream '%s' is named twice", k->str);
        parse_stream(c, v, st, s, start_node);
    }
}

int rr_scenario_find_stream(const rr_scenario *s, const char *name)
{
    for (size_t i = 0; i < s->nstreams; i++)
        if (strcmp(s->streams[i].name, name) == 0)
            return (int)i;
    return -1;
}

const char *rr_scenario_stream_list(const rr_scenario *s, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->nstreams && at < size; i++) {
        int w = snprintf(buf + at, size - at, "%s%s", i ? ", " : "", s->streams[i].name);
        at += w > 0 ? (size_t)w : 0;
    }
    return buf;
}

static int valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > RR_MAX_NAME)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.'))
            return 0;
    return 1;
}

static void free_component(rr_component *comp)
{
    for (size_t i = 0; i < RR_MAX_FIELDS; i++)
        rr_input_free(&comp->in[i]);
    free(comp->table);
    free(comp->name);
    memset(comp, 0, sizeof *comp);
}

/* A component's `demand: NAME`: the stream it is bound to. */
static void parse_binding(ctx *c, const rr_node *dn, const char *label, rr_component *comp,
                          const rr_scenario *s)
{
    char list[512];
    if (dn->kind != RR_NODE_SCALAR) {
        ERR(c, dn, "%s.demand: expected a stream's name (one of %s), got %s", label,
            rr_scenario_stream_list(s, list, sizeof list), rr_node_kind_name(dn));
        return;
    }
    int k = rr_scenario_find_stream(s, dn->str);
    if (k < 0) {
        const char *names[RR_MAX_STREAMS + 1];
        for (size_t i = 0; i < s->nstreams; i++)
            names[i] = s->streams[i].name;
        names[s->nstreams] = NULL;
        const char *hint = rr_suggest(dn->str, names);
        ERR(c, dn, "%s.demand: no stream '%s'%s%s%s (the streams: %s)", label, dn->str,
            hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "",
            rr_scenario_stream_list(s, list, sizeof list));
        return;
    }
    comp->stream = k;
    comp->stream_given = 1;
}

const char *const rr_scenario_component_keys[] = { "name", "type", "category", "demand",
                                                   NULL };

static void parse_component(ctx *c, const rr_node *e, size_t idx, rr_component *comp,
                            const rr_scenario *s, int horizon_known)
{
    const int horizon = s->horizon;
    char label[96];
    snprintf(label, sizeof label, "costs[%zu]", idx);
    comp->line = e->line;
    comp->col = e->col;
    comp->category = RR_CAT_MANAGED_AI;
    comp->stream = -1;
    if (expect_map(c, e, label))
        return;
    const rr_node *name = rr_node_get(e, "name"), *type = rr_node_get(e, "type"),
                  *cat = rr_node_get(e, "category");
    if (!name) {
        ERR(c, e, "%s: missing required key 'name'", label);
    } else if (name->kind != RR_NODE_SCALAR || !valid_name(name->str)) {
        ERR(c, name, "%s.name: expected 1 to %d letters, digits, '-', '_' or '.', got %s%s%s",
            label, RR_MAX_NAME, name->kind == RR_NODE_SCALAR ? "'" : "", scalar_text(name),
            name->kind == RR_NODE_SCALAR ? "'" : "");
    } else {
        snprintf(label, sizeof label, "costs.%s", name->str);
    }
    comp->name = strdup(name && name->kind == RR_NODE_SCALAR ? name->str : label);
    if (!comp->name) {
        ERR(c, e, "out of memory");
        return;
    }
    char types[256];
    rr_model_type_list(types, sizeof types);
    if (!type) {
        ERR(c, e, "%s: missing required key 'type' (one of %s)", label, types);
        return;
    }
    comp->type = type->kind == RR_NODE_SCALAR ? rr_model_find(type->str) : NULL;
    if (!comp->type) {
        const char *names[RR_MAX_TYPES];
        rr_model_type_names(names, RR_MAX_TYPES);
        const char *hint = type->kind == RR_NODE_SCALAR ? rr_suggest(type->str, names) : NULL;
        ERR(c, type, "%s.type: unknown component type %s%s%s%s%s%s (expected one of %s)",
            label, type->kind == RR_NODE_SCALAR ? "'" : "", scalar_text(type),
            type->kind == RR_NODE_SCALAR ? "'" : "", hint ? " (did you mean '" : "",
            hint ? hint : "", hint ? "'?)" : "", types);
        return;
    }
    const rr_component_type *t = comp->type;
    if (cat) {
        int ci = cat->kind == RR_NODE_SCALAR ? rr_category_find(cat->str) : -1;
        if (ci < 0) {
            const char *hint =
                cat->kind == RR_NODE_SCALAR ? rr_suggest(cat->str, rr_category_names) : NULL;
            ERR(c, cat, "%s.category: unknown category %s%s%s%s%s%s (expected one of %s)",
                label, cat->kind == RR_NODE_SCALAR ? "'" : "", scalar_text(cat),
                cat->kind == RR_NODE_SCALAR ? "'" : "", hint ? " (did you mean '" : "",
                hint ? hint : "", hint ? "'?)" : "", rr_category_list);
        } else {
            comp->category = (rr_category)ci;
        }
    } else if (t->default_category < 0) {
        ERR(c, e, "%s: a '%s' cost needs a 'category' (one of %s)", label, t->name,
            rr_category_list);
    } else {
        comp->category = (rr_category)t->default_category;
    }

    const rr_node *dn = rr_node_get(e, "demand");
    if (dn)
        parse_binding(c, dn, label, comp, s);
    const char *const *const common = rr_scenario_component_keys;
    int failed = parse_fields(c, e, label, t->fields, t->nfields, common, comp->in);
    /* Keys of a shape of their own: the type's hook. */
    for (size_t i = 0; i < t->nfields; i++) {
        const rr_node *sn = rr_node_get(e, t->fields[i].key);
        if (t->fields[i].kind != RR_FIELD_SPECIAL || !sn || !t->parse)
            continue;
        char prefix[160];
        snprintf(prefix, sizeof prefix, "%s.%s", label, t->fields[i].key);
        if (t->parse(comp, &t->fields[i], sn, prefix, c->d) != 0) {
            c->bad = 1;
            failed++;
        }
    }
    /* Defaults that mean "the horizon" are known only here. */
    for (size_t i = 0; i < t->nfields; i++)
        if (!comp->in[i].given && isinf(t->fields[i].def) && t->fields[i].kind == RR_FIELD_PLAIN)
            comp->in[i].dist.p[0] = horizon;
    /* Cross-field checks only when the fields parsed (a broken or missing key has had its
     * message); an unrelated unknown key does not stop them.  horizon is 0 when unknown. */
    if (t->check && !failed) {
        size_t before = c->d->n;
        t->check(comp, horizon_known ? horizon : 0, c->d);
        if (c->d->n != before)
            c->bad = 1;
    }
}

static void parse_costs(ctx *c, const rr_node *n, rr_scenario *s, int horizon_known)
{
    if (n->kind != RR_NODE_SEQ) {
        ERR(c, n, "costs: expected a list of cost components, got %s", rr_node_kind_name(n));
        return;
    }
    if (n->n == 0 || n->n > RR_MAX_COMPONENTS) {
        ERR(c, n, "costs: expected 1 to %d components, got %zu", RR_MAX_COMPONENTS, n->n);
        if (n->n == 0)
            return;
    }
    size_t count = n->n > RR_MAX_COMPONENTS ? RR_MAX_COMPONENTS : n->n;
    s->comps = calloc(count, sizeof *s->comps);
    if (!s->comps) {
        ERR(c, n, "out of memory");
        return;
    }
    s->ncomps = count;
    for (size_t i = 0; i < count; i++) {
        parse_component(c, n->items[i], i, &s->comps[i], s, horizon_known);
        const rr_node *name = rr_node_get(n->items[i], "name");
        for (size_t j = 0; j < i && name && s->comps[i].name; j++)
            if (s->comps[j].name && strcmp(s->comps[j].name, s->comps[i].name) == 0) {
                ERR(c, name, "costs: duplicate component name '%s' (first at line %d)",
                    s->comps[i].name, s->comps[j].line);
                break;
            }
    }
}

static void parse_start(ctx *c, const rr_node *n, rr_scenario *s)
{
    int y = 0, m = 0, ok = n->kind == RR_NODE_SCALAR && strlen(n->str) == 7 && n->str[4] == '-';
    for (int i = 0; ok && i < 7; i++)
        if (i != 4)
            ok = isdigit((unsigned char)n->str[i]) != 0;
    if (ok) {
        y = (n->str[0] - '0') * 1000 + (n->str[1] - '0') * 100 + (n->str[2] - '0') * 10 +
            (n->str[3] - '0');
        m = (n->str[5] - '0') * 10 + (n->str[6] - '0');
    }
    if (!ok || y < 1900 || m < 1 || m > 12) {
        ERR(c, n, "start: expected a month as YYYY-MM (e.g. 2027-01), got %s%s%s",
            n->kind == RR_NODE_SCALAR ? "'" : "", scalar_text(n), n->kind == RR_NODE_SCALAR ? "'" : "");
        return;
    }
    s->start_year = y;
    s->start_month = m;
}

const char *const rr_scenario_simulation_keys[] = { "paths", "seed", NULL };

static void parse_simulation(ctx *c, const rr_node *n, rr_scenario *s)
{
    if (expect_map(c, n, "simulation"))
        return;
    const char *const *const keys = rr_scenario_simulation_keys;
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const rr_node *k = n->items[i], *v = n->items[i + 1];
        if (strcmp(k->str, "paths") == 0)
            parse_uint(c, v, "simulation.paths", 1, RR_MAX_PATHS, &s->paths);
        else if (strcmp(k->str, "seed") == 0)
            parse_uint(c, v, "simulation.seed", 0, UINT64_MAX, &s->seed);
        else
            unknown_key(c, k, "simulation", keys);
    }
}

/* budget.periods: each key a period of the horizon (years, then quarters), each value a
 * budget > 0. */
static void parse_budget_periods(ctx *c, const rr_node *n, rr_scenario *s)
{
    if (expect_map(c, n, "budget.periods"))
        return;
    s->budget_periods = calloc(n->n / 2 + 1, sizeof *s->budget_periods);
    if (!s->budget_periods) {
        ERR(c, n, "out of memory");
        return;
    }
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const rr_node *k = n->items[i], *v = n->items[i + 1];
        const rr_period *p = rr_periods_find(&s->periods, k->str);
        char what[64];
        snprintf(what, sizeof what, "budget.periods.%.40s", k->str);
        if (!p) {
            char list[512];
            ERR(c, k, "budget.periods: '%.40s' is not a period of the horizon (expected one "
                "of %s)", k->str, rr_periods_list(&s->periods, list, sizeof list));
            continue;
        }
        double x;
        if (parse_plain(c, v, what, &x) != 0)
            continue;
        if (!(x > 0)) {
            ERR(c, v, "%s: must be > 0, got %g", what, x);
            continue;
        }
        rr_budget_period *b = &s->budget_periods[s->nbudget_periods++];
        snprintf(b->label, sizeof b->label, "%s", p->label);
        b->amount = x;
        b->quarter = p >= s->periods.quarters && p < s->periods.quarters + s->periods.nquarters;
        b->index = (size_t)(p - (b->quarter ? s->periods.quarters : s->periods.years));
        b->line = k->line;
        b->col = k->col;
    }
}

const char *const rr_scenario_budget_keys[] = { "total", "confidence", "monthly",
                                                "fiscal_year_start", "fiscal_year_label",
                                                "periods", NULL };

/* The budget's keys but `periods`, whose labels depend on the fiscal year read here: its
 * node into *periods for parse_budget_periods. */
static void parse_budget(ctx *c, const rr_node *n, rr_scenario *s, const rr_node **periods)
{
    if (expect_map(c, n, "budget"))
        return;
    const char *const *const keys = rr_scenario_budget_keys;
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const rr_node *k = n->items[i], *v = n->items[i + 1];
        double x;
        if (strcmp(k->str, "total") == 0) {
            if (parse_plain(c, v, "budget.total", &x) == 0) {
                if (x > 0) {
                    s->budget_total = x;
                    s->has_budget = 1;
                } else {
                    ERR(c, v, "budget.total: must be > 0, got %g", x);
                }
            }
        } else if (strcmp(k->str, "monthly") == 0) {
            if (parse_plain(c, v, "budget.monthly", &x) == 0) {
                if (x > 0) {
                    s->budget_monthly = x;
                    s->has_budget_monthly = 1;
                } else {
                    ERR(c, v, "budget.monthly: must be > 0, got %g", x);
                }
            }
        } else if (strcmp(k->str, "confidence") == 0) {
            if (parse_plain(c, v, "budget.confidence", &x) == 0) {
                if (x > 0 && x < 1)
                    s->confidence = x;
                else
                    ERR(c, v, "budget.confidence: must be strictly between 0 and 1, got %g", x);
            }
        } else if (strcmp(k->str, "fiscal_year_start") == 0) {
            uint64_t fy;
            if (parse_uint(c, v, "budget.fiscal_year_start", 1, 12, &fy) != 0)
                continue;
            if (!s->start_month && fy != 1)
                ERR(c, v, "budget.fiscal_year_start: needs 'start' (the calendar month of "
                    "month 1): without it years are counted from month 1 (Y1, Y2, ...)");
            else
                s->fy_start = (int)fy;
        } else if (strcmp(k->str, "fiscal_year_label") == 0) {
            if (v->kind == RR_NODE_SCALAR && (strcmp(v->str, "end") == 0 ||
                                              strcmp(v->str, "start") == 0))
                s->fy_label_start = strcmp(v->str, "start") == 0;
            else
                ERR(c, v, "budget.fiscal_year_label: expected 'end' (FY2028 is the year that "
                    "ends in 2028) or 'start', got %s%s%s", v->kind == RR_NODE_SCALAR ? "'" : "",
                    scalar_text(v), v->kind == RR_NODE_SCALAR ? "'" : "");
        } else if (strcmp(k->str, "periods") == 0) {
            *periods = v;
        } else {
            unknown_key(c, k, "budget", keys);
        }
    }
}

/* ---- correlations ---- */

/* Find an input by its path among those drawn once per path; NULL when absent. */
static const rr_input *find_input(const rr_scenario *s, const char *path, const char **why)
{
    const rr_input *in = NULL;
    const rr_field *f = NULL;
    for (size_t j = 0; j < s->nstreams; j++)
        for (size_t i = 0; !in && i < RR_DEMAND_NFIELDS; i++)
            if (s->streams[j].d.in[i].path && strcmp(s->streams[j].d.in[i].path, path) == 0) {
                in = &s->streams[j].d.in[i];
                f = &rr_demand_fields[i];
            }
    for (size_t k = 0; !in && k < s->ncomps; k++)
        for (size_t i = 0; s->comps[k].type && i < s->comps[k].type->nfields; i++)
            if (s->comps[k].in[i].path && strcmp(s->comps[k].in[i].path, path) == 0) {
                in = &s->comps[k].in[i];
                f = &s->comps[k].type->fields[i];
                break;
            }
    for (size_t v = 0; !in && v < s->nvars; v++)
        if (s->vars[v].value.path && strcmp(s->vars[v].value.path, path) == 0)
            in = &s->vars[v].value;
    *why = NULL;
    if (!in)
        *why = "no such input (inputs are named like costs.NAME.KEY, demand.KEY or "
               "variables.NAME)";
    else if (in->expr || in->schedule)
        *why = "it is an expression or a schedule, not a draw: correlate the variables it "
               "uses";
    else if (!in->given || rr_input_is_const(in))
        *why = "it is a constant: only uncertain inputs can be correlated";
    else if (in->vary == RR_VARY_MONTHLY || (f && (f->flags & RR_F_PER_EVENT)))
        *why = "it is drawn every month or event: only inputs drawn once per path can be "
               "correlated";
    return *why ? NULL : in;
}

static int has_input(const rr_correlation *c, const rr_input *in)
{
    for (size_t i = 0; i < c->m; i++)
        if (c->in[i] == in)
            return 1;
    return 0;
}

static size_t corr_slot(rr_correlation *c, const rr_input *in)
{
    for (size_t i = 0; i < c->m; i++)
        if (c->in[i] == in)
            return i;
    c->in[c->m] = in;
    return c->m++;
}

const char *const rr_scenario_correlation_keys[] = { "between", "rank", NULL };

static void parse_correlations(ctx *c, const rr_node *n, rr_scenario *s)
{
    if (n->kind != RR_NODE_SEQ) {
        ERR(c, n, "correlations: expected a list of {between: [INPUT_A, INPUT_B], rank: R}, "
                  "got %s", rr_node_kind_name(n));
        return;
    }
    rr_correlation *corr = &s->corr;
    double r[RR_MAX_CORRELATED][RR_MAX_CORRELATED] = { { 0 } };
    int set[RR_MAX_CORRELATED][RR_MAX_CORRELATED] = { { 0 } };
    const rr_node *at[RR_MAX_CORRELATED][RR_MAX_CORRELATED] = { { NULL } };
    const char *const *const keys = rr_scenario_correlation_keys;
    int bad = 0;
    for (size_t e = 0; e < n->n; e++) {
        const rr_node *x = n->items[e];
        char what[48];
        snprintf(what, sizeof what, "correlations[%zu]", e);
        if (expect_map(c, x, what)) {
            bad = 1;
            continue;
        }
        if (check_keys(c, x, what, keys))
            bad = 1;
        const rr_node *bw = rr_node_get(x, "between"), *rk = rr_node_get(x, "rank");
        double rank = 0;
        if (!bw || !rk) {
            ERR(c, x, "%s: missing required key '%s'", what, bw ? "rank" : "between");
            bad = 1;
            continue;
        }
        if (parse_plain(c, rk, what, &rank) != 0) {
            bad = 1;
        } else if (!(rank > -1 && rank < 1)) {
            ERR(c, rk, "%s.rank: must be strictly between -1 and 1, got %g", what, rank);
            bad = 1;
        }
        if (bw->kind != RR_NODE_SEQ || bw->n != 2 || bw->items[0]->kind != RR_NODE_SCALAR ||
            bw->items[1]->kind != RR_NODE_SCALAR) {
            ERR(c, bw, "%s.between: expected two input names, e.g. [costs.chat-model.input_tokens, "
                       "costs.chat-model.output_tokens]", what);
            bad = 1;
            continue;
        }
        size_t slot[2];
        int ok = 1;
        for (int j = 0; j < 2; j++) {
            const char *why;
            const rr_input *in = find_input(s, bw->items[j]->str, &why);
            if (!in) {
                ERR(c, bw->items[j], "%s.between: '%s': %s", what, bw->items[j]->str, why);
                ok = 0;
            } else if (corr->m == RR_MAX_CORRELATED && !has_input(corr, in)) {
                ERR(c, bw->items[j], "%s: at most %d inputs can be correlated", what,
                    RR_MAX_CORRELATED);
                ok = 0;
            } else {
                slot[j] = corr_slot(corr, in);
            }
        }
        if (!ok) {
            bad = 1;
            continue;
        }
        if (slot[0] == slot[1]) {
            ERR(c, bw, "%s.between: an input is correlated with itself", what);
            bad = 1;
            continue;
        }
        size_t a = slot[0] > slot[1] ? slot[0] : slot[1], b = slot[0] + slot[1] - a;
        if (set[a][b]) {
            ERR(c, x, "%s: '%s' and '%s' are already correlated (line %d)", what,
                bw->items[0]->str, bw->items[1]->str, at[a][b]->line);
            bad = 1;
            continue;
        }
        set[a][b] = 1;
        at[a][b] = x;
        r[a][b] = rank;
    }
    if (bad || corr->m == 0) {
        c->bad |= bad;
        return;
    }
    size_t m = corr->m;
    gsl_matrix *A = gsl_matrix_alloc(m, m);
    corr->chol = calloc(m * m, sizeof *corr->chol);
    if (!A || !corr->chol) {
        gsl_matrix_free(A);
        ERR(c, n, "out of memory");
        return;
    }
    /* A Gaussian copula with Pearson correlation 2 sin(pi r / 6) has Spearman correlation r. */
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j <= i; j++) {
            double v = i == j ? 1 : 2 * sin(M_PI * r[i][j] / 6);
            gsl_matrix_set(A, i, j, v);
            gsl_matrix_set(A, j, i, v);
        }
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int st = gsl_linalg_cholesky_decomp1(A);
    gsl_set_error_handler(old);
    if (st != 0) {
        char names[512] = "";
        for (size_t i = 0; i < m; i++) {
            size_t len = strlen(names);
            snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "", corr->in[i]->path);
        }
        ERR(c, n, "correlations: these rank correlations cannot hold together (the matrix is "
                  "not positive definite): %s; weaken some of them", names);
    } else {
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j <= i; j++)
                corr->chol[i * m + j] = gsl_matrix_get(A, i, j);
    }
    gsl_matrix_free(A);
}

const char *const rr_scenario_top_keys[] = { "name", "currency", "start", "horizon_months",
                                             "simulation", "budget", "variables", "demand",
                                             "costs", "correlations", "actuals", NULL };
static const char *const *const top_keys = rr_scenario_top_keys;

/* The `actuals` block against the components read. */
static void parse_actuals(ctx *c, const rr_node *n, rr_scenario *s)
{
    const char *names[RR_MAX_COMPONENTS + 1] = { 0 };
    rr_category cats[RR_MAX_COMPONENTS + 1];
    for (size_t k = 0; k < s->ncomps && k < RR_MAX_COMPONENTS; k++) {
        names[k] = s->comps[k].name;
        cats[k] = s->comps[k].category;
    }
    if (rr_actuals_map_parse(n, names, cats, s->ncomps, &s->actuals, c->d) != 0)
        c->bad = 1;
}

rr_status rr_scenario_from_node(const rr_node *root, rr_scenario **out, rr_diags *diags)
{
    *out = NULL;
    ctx c = { diags, 0 };
    if (root->kind != RR_NODE_MAP) {
        ERR(&c, root, "expected a scenario mapping (name, horizon_months, demand, costs), "
                      "got %s", rr_node_kind_name(root));
        return RR_ERR_SCENARIO;
    }
    rr_scenario *s = calloc(1, sizeof *s);
    if (!s)
        return RR_ERR_NOMEM;
    /* Known first: warnings found while loading name the file, and the files it extends. */
    if ((diags->file && !(s->file = strdup(diags->file))) ||
        (diags->nlayers && !(s->layers = calloc(diags->nlayers, sizeof *s->layers)))) {
        free(s->file);
        free(s);
        return RR_ERR_NOMEM;
    }
    for (size_t i = 0; i < diags->nlayers; i++)
        if ((s->layers[s->nlayers] = strdup(diags->layers[i])) != NULL)
            s->nlayers++;
    s->warnings.layers = (const char *const *)s->layers;
    s->paths = RR_DEFAULT_PATHS;
    s->seed = RR_DEFAULT_SEED;
    s->confidence = RR_DEFAULT_CONFIDENCE;
    s->horizon = 1;

    for (size_t i = 0; i + 1 < root->n; i += 2) {
        const rr_node *k = root->items[i];
        size_t j = 0;
        while (top_keys[j] && strcmp(top_keys[j], k->str) != 0)
            j++;
        /* `extends` is laid out when a file is read (layers.h), never seen here. */
        if (!top_keys[j] && strcmp(k->str, "extends") == 0)
            ERR(&c, k, "extends: a scenario read from memory cannot extend a file");
        else if (!top_keys[j])
            unknown_key(&c, k, "", top_keys);
    }

    const rr_node *n;
    if (!(n = rr_node_get(root, "name")))
        ERR(&c, root, "missing required key 'name'");
    else if (n->kind != RR_NODE_SCALAR || !n->str[0] || strlen(n->str) > 200)
        ERR(&c, n, "name: expected a non-empty string of at most 200 characters");
    else
        s->name = strdup(n->str);

    n = rr_node_get(root, "currency");
    if (n && (n->kind != RR_NODE_SCALAR || !n->str[0] || strlen(n->str) > 16))
        ERR(&c, n, "currency: expected a short label such as USD");
    s->currency = strdup(n && n->kind == RR_NODE_SCALAR && n->str[0] ? n->str : "USD");

    const rr_node *start = rr_node_get(root, "start");
    if (start)
        parse_start(&c, start, s);

    uint64_t h = 1;
    int horizon_known = 0;   /* checks against the horizon are skipped when it is broken */
    if (!(n = rr_node_get(root, "horizon_months")))
        ERR(&c, root, "missing required key 'horizon_months'");
    else if (parse_uint(&c, n, "horizon_months", 1, RR_MAX_HORIZON, &h) == 0)
        s->horizon = (int)h, horizon_known = 1;


    if ((n = rr_node_get(root, "simulation")))
        parse_simulation(&c, n, s);
    s->fy_start = 1;
    const rr_node *periods = NULL;
    if ((n = rr_node_get(root, "budget")))
        parse_budget(&c, n, s, &periods);
    /* The periods' labels depend on start, the horizon and the fiscal year. */
    if (horizon_known) {
        const rr_calendar cal = { s->start_year, s->start_month, s->horizon, s->fy_start,
                                  s->fy_label_start };
        if (rr_periods_make(&cal, &s->periods) != 0)
            ERR(&c, root, "out of memory");
        else if (periods)
            parse_budget_periods(&c, periods, s);
    }

    if ((n = rr_node_get(root, "variables")) && rr_variables_parse(n, s, diags) != 0)
        c.bad = 1;

    if (!(n = rr_node_get(root, "demand"))) {
        ERR(&c, root, "missing required key 'demand'");
        n = NULL;
    }
    parse_demand(&c, n, s, start);

    if (!(n = rr_node_get(root, "costs")))
        ERR(&c, root, "missing required key 'costs'");
    else
        parse_costs(&c, n, s, horizon_known);

    /* Names, schedules' months and constants, once every input has parsed. */
    if (horizon_known && rr_variables_resolve(s, diags) != 0)
        c.bad = 1;

    if ((n = rr_node_get(root, "correlations")) && !c.bad)
        parse_correlations(&c, n, s);
    if ((n = rr_node_get(root, "actuals")) && !c.bad)
        parse_actuals(&c, n, s);

    if (!s->name || !s->currency)
        c.bad = 1;
    if (c.bad || diags->n) {
        rr_scenario_free(s);
        rr_diags_sort(diags);
        return RR_ERR_SCENARIO;
    }
    rr_plausible_check(s, s->file, &s->warnings);
    *out = s;
    return RR_OK;
}

rr_status rr_scenario_load(const char *path, rr_scenario **out, rr_diags *diags)
{
    rr_node *root = NULL;
    *out = NULL;
    rr_status st = rr_layers_load(path, &root, diags);
    if (st != RR_OK)
        return st;
    st = rr_scenario_from_node(root, out, diags);
    rr_node_free(root);
    return st;
}

void rr_scenario_free(rr_scenario *s)
{
    if (!s)
        return;
    for (size_t j = 0; j < s->nstreams; j++) {
        for (int i = 0; i < RR_DEMAND_NFIELDS; i++)
            rr_input_free(&s->streams[j].d.in[i]);
        free(s->streams[j].name);
        free(s->streams[j].prefix);
    }
    free(s->streams);
    for (size_t i = 0; i < s->ncomps; i++)
        free_component(&s->comps[i]);
    free(s->comps);
    for (size_t i = 0; i < s->nvars; i++) {
        rr_input_free(&s->vars[i].value);
        free(s->vars[i].name);
    }
    free(s->vars);
    free(s->corr.chol);
    rr_actuals_map_free(&s->actuals);
    rr_catalog_uses_free(&s->catalog);
    rr_periods_free(&s->periods);
    free(s->budget_periods);
    rr_warnings_free(&s->warnings);
    for (size_t i = 0; i < s->nlayers; i++)
        free(s->layers[i]);
    free(s->layers);
    free(s->file);
    free(s->name);
    free(s->currency);
    free(s);
}
