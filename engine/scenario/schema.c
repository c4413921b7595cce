/* schema: the JSON Schema of the scenario format, written from the tables (schema.h).
 *
 * The keys come from the tables the validation reads: rr_model_types[] and each type's
 * fields (a dotted key is a nested mapping), rr_demand_fields, keys.h's tables of the
 * top level, `simulation`, `budget`, `correlations`, `actuals` and the distributions, the
 * categories, and the limits of scenario.h.  What the tables do not hold, the shape of a
 * section's own keys (a name is a string of 1 to 200 characters, a budget total a number
 * > 0) and of the few fields of a shape of their own (RR_FIELD_SPECIAL), is in the small
 * tables below, looked up by key: a key the tables gain without a shape here makes
 * rr_schema_build fail (RR_ERR_INTERNAL), and tests/schema.sh with it.
 *
 * The text is built in a local buffer (the scenario layer writes nothing itself), indented
 * by two spaces, keys in table order: the same tables give the same bytes.
 */
#include "scenario/schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/model.h"
#include "scenario/actuals_map.h"
#include "scenario/category.h"
#include "scenario/keys.h"
#include "scenario/scenario.h"

/* No web address is the format's own: a name, not a place to fetch it from. */
#define SCHEMA_ID "urn:runrate:scenario-format:2"
#define MAX_DEPTH 32
/* A number as rr_parse_number reads one, when YAML hands it over as a string ("0.5", 1e6
 * in YAML 1.1). */
#define NUMBER_RE "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"
#define WHOLE_RE "^[+]?[0-9]+([.]0*)?([eE][+]?[0-9]+)?$"
/* The group that may name a catalog entry of a model's prices (catalog.h). */
#define CATALOG_GROUP "price_per_million"

/* ---- a small JSON writer ---- */

typedef struct jw {
    char *p;
    size_t len, cap;
    int failed;     /* out of memory: later writes are ignored */
    int bad;        /* a key without a shape */
    int depth;
    unsigned char first[MAX_DEPTH];
} jw;

static void put(jw *w, const char *s, size_t n)
{
    if (w->failed)
        return;
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (w->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(w->p, cap);
        if (!p) {
            w->failed = 1;
            return;
        }
        w->p = p;
        w->cap = cap;
    }
    memcpy(w->p + w->len, s, n);
    w->len += n;
    w->p[w->len] = '\0';
}

static void puts_(jw *w, const char *s)
{
    put(w, s, strlen(s));
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void putf(jw *w, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf)
        w->failed = 1;
    else
        put(w, buf, (size_t)n);
}

static void quoted(jw *w, const char *s)
{
    puts_(w, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            char e[2] = { '\\', (char)c };
            put(w, e, 2);
        } else if (c < 0x20) {
            putf(w, "\\u%04x", c);
        } else {
            put(w, s, 1);
        }
    }
    puts_(w, "\"");
}

/* The next member or element: a comma after the one before, a new line, the indent. */
static void item(jw *w)
{
    if (w->depth == 0 && w->len == 0)
        return;
    if (!w->first[w->depth])
        puts_(w, ",");
    w->first[w->depth] = 0;
    puts_(w, "\n");
    for (int i = 0; i < w->depth; i++)
        puts_(w, "  ");
}

static void key(jw *w, const char *k)
{
    item(w);
    quoted(w, k);
    puts_(w, ": ");
}

/* Open an object or an array ('{' or '['), as member k, or as an element when k is NULL. */
static void open_(jw *w, const char *k, char c)
{
    if (k)
        key(w, k);
    else
        item(w);
    put(w, &c, 1);
    if (w->depth + 1 >= MAX_DEPTH) {
        w->failed = 1;
        return;
    }
    w->first[++w->depth] = 1;
}

static void close_(jw *w, char c)
{
    int empty = w->first[w->depth];
    w->depth--;
    if (!empty) {
        puts_(w, "\n");
        for (int i = 0; i < w->depth; i++)
            puts_(w, "  ");
    }
    put(w, &c, 1);
}

static void obj(jw *w, const char *k)
{
    open_(w, k, '{');
}

static void end(jw *w)
{
    close_(w, '}');
}

static void str(jw *w, const char *k, const char *v)
{
    key(w, k);
    quoted(w, v);
}

static void num(jw *w, const char *k, double v)
{
    key(w, k);
    if (v == floor(v) && fabs(v) < 1e16)
        putf(w, "%.0f", v);
    else
        putf(w, "%.17g", v);
}

static void raw(jw *w, const char *k, const char *v)
{
    key(w, k);
    puts_(w, v);
}

static void ref(jw *w, const char *def)
{
    key(w, "$ref");
    putf(w, "\"#/$defs/%s\"", def);
}

/* "k": ["a", "b", ...] on one line, from a NULL-terminated list. */
static void list(jw *w, const char *k, const char *const *v)
{
    key(w, k);
    puts_(w, "[");
    for (size_t i = 0; v[i]; i++) {
        if (i)
            puts_(w, ", ");
        quoted(w, v[i]);
    }
    puts_(w, "]");
}

/* {"$ref": "#/$defs/def"} as an element or member k. */
static void ref_obj(jw *w, const char *k, const char *def)
{
    obj(w, k);
    ref(w, def);
    end(w);
}

/* {"required": [k]} as an element. */
static void required_one(jw *w, const char *k)
{
    const char *v[2] = { k, NULL };
    obj(w, NULL);
    list(w, "required", v);
    end(w);
}

/* ---- fields of the tables ---- */

static size_t group_len(const char *k)
{
    const char *dot = strchr(k, '.');
    return dot ? (size_t)(dot - k) : 0;
}

/* minimum / maximum of a domain; a positive constant: exclusiveMinimum 0. */
static void bounds(jw *w, const rr_field *f)
{
    double lo, hi;
    rr_domain_bounds(f->domain, &lo, &hi);
    if (f->flags & RR_IN_POSITIVE)
        num(w, "exclusiveMinimum", 0);
    else if (isfinite(lo))
        num(w, "minimum", lo);
    if (isfinite(hi))
        num(w, "maximum", hi);
}

static const char *domain_words(rr_domain d)
{
    switch (d) {
    case RR_DOMAIN_NONNEG: return ">= 0";
    case RR_DOMAIN_UNIT: return "in [0, 1]";
    case RR_DOMAIN_GROWTH: return ">= -1";
    case RR_DOMAIN_DAYS: return "in [0, 30]";
    case RR_DOMAIN_REAL: break;
    }
    return "any number";
}

static void field_text(jw *w, const rr_field *f, const char *own)
{
    char def[64] = "";
    if (f->kind != RR_FIELD_SPECIAL && !(f->flags & RR_IN_REQUIRED) && !isnan(f->def)) {
        if (isinf(f->def))
            snprintf(def, sizeof def, "; default %s",
                     f->kind == RR_FIELD_PLAIN ? "the horizon" : "unbounded");
        else
            snprintf(def, sizeof def, "; default %g", f->def);
    }
    char text[320];
    snprintf(text, sizeof text, "%s%s%s%s%s",
             f->kind == RR_FIELD_VALUE ? "an uncertain value (a number, \"A to B\", an "
                                         "expression, a distribution, a schedule or a catalog "
                                         "entry), "
             : f->kind == RR_FIELD_PLAIN ? (f->flags & RR_IN_INTEGER ? "a plain whole number, "
                                                                     : "a plain number, ")
                                         : own,
             f->kind == RR_FIELD_SPECIAL ? ""
             : f->flags & RR_IN_POSITIVE ? "> 0 when constant"
                                         : domain_words(f->domain),
             f->flags & RR_IN_REQUIRED ? "; required" : "",
             f->flags & RR_F_PER_EVENT ? "; drawn anew for each event" : "", def);
    str(w, "description", text);
}

/* Fields of a shape of their own, by key. */
static void emit_seasonality(jw *w)
{
    raw(w, "type", "\"array\"");
    num(w, "minItems", 12);
    num(w, "maxItems", 12);
    obj(w, "items");
    ref(w, "number");
    num(w, "minimum", 0);
    end(w);
}

static void emit_profile(jw *w)
{
    raw(w, "type", "\"array\"");
    num(w, "minItems", 24);
    num(w, "maxItems", 24);
    obj(w, "items");
    ref(w, "number");
    num(w, "minimum", 0);
    end(w);
}

static void emit_scaling(jw *w)
{
    static const char *const v[] = { "monthly", "hourly", NULL };
    list(w, "enum", v);
}

static void emit_tiers(jw *w)
{
    static const char *const req[] = { "unit_price", NULL };
    raw(w, "type", "\"array\"");
    num(w, "minItems", 1);
    num(w, "maxItems", 64);
    obj(w, "items");
    raw(w, "type", "\"object\"");
    obj(w, "properties");
    obj(w, "up_to");
    str(w, "description", "the bound of the tier's units, a plain number, increasing; the "
                          "last tier has none");
    ref(w, "number");
    num(w, "exclusiveMinimum", 0);
    end(w);
    obj(w, "unit_price");
    str(w, "description", "the price of a unit in this tier, a plain number >= 0 or a catalog "
                          "entry");
    open_(w, "anyOf", '[');
    obj(w, NULL);
    ref(w, "number");
    num(w, "minimum", 0);
    end(w);
    ref_obj(w, NULL, "catalog_ref");
    close_(w, ']');
    end(w);
    end(w);
    raw(w, "additionalProperties", "false");
    list(w, "required", req);
    end(w);
}

static const struct special {
    const char *key;
    const char *text;
    void (*emit)(jw *w);
} specials[] = {
    { "seasonality", "12 plain numbers >= 0, the multipliers of January to December (needs "
                     "start)", emit_seasonality },
    { "daily_profile", "24 plain shares >= 0 of a day's traffic, hour 0 to 23 (with scaling: "
                       "hourly)", emit_profile },
    { "scaling", "monthly (the default) or hourly", emit_scaling },
    { "tiers", "graduated prices: 1 to 64 tiers {up_to, unit_price}, the last with unit_price "
               "only (instead of unit_price)", emit_tiers },
};

static void field(jw *w, const char *k, const rr_field *f)
{
    obj(w, k);
    if (f->kind == RR_FIELD_SPECIAL) {
        size_t i = 0;
        while (i < sizeof specials / sizeof *specials && strcmp(specials[i].key, k) != 0)
            i++;
        if (i == sizeof specials / sizeof *specials) {
            w->bad = 1;
        } else {
            field_text(w, f, specials[i].text);
            specials[i].emit(w);
        }
        end(w);
        return;
    }
    field_text(w, f, "");
    ref(w, f->kind == RR_FIELD_VALUE ? "value" : f->flags & RR_IN_INTEGER ? "whole" : "number");
    bounds(w, f);
    end(w);
}

/* The properties of a table of fields, a group (dotted keys) as a nested mapping at its first
 * key; inside an open "properties". */
static void field_properties(jw *w, const rr_field *fields, size_t nf, int partial)
{
    for (size_t i = 0; i < nf; i++) {
        size_t gl = group_len(fields[i].key);
        if (!gl) {
            field(w, fields[i].key, &fields[i]);
            continue;
        }
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            seen |= group_len(fields[j].key) == gl && strncmp(fields[j].key, fields[i].key, gl) == 0;
        if (seen)
            continue;
        char group[64];
        snprintf(group, sizeof group, "%.*s", (int)gl, fields[i].key);
        const int catalog = strcmp(group, CATALOG_GROUP) == 0;
        const char *req[RR_MAX_FIELDS + 1];
        size_t nreq = 0;
        obj(w, group);
        raw(w, "type", "\"object\"");
        obj(w, "properties");
        for (size_t j = i; j < nf; j++)
            if (group_len(fields[j].key) == gl && strncmp(fields[j].key, group, gl) == 0) {
                field(w, fields[j].key + gl + 1, &fields[j]);
                if (fields[j].flags & RR_IN_REQUIRED)
                    req[nreq++] = fields[j].key + gl + 1;
            }
        if (catalog) {
            obj(w, "catalog");
            str(w, "description", "a model's entry in the price catalog (provider/model): "
                                  "its prices, each key written beside it overriding one");
            ref(w, "catalog_id");
            end(w);
        }
        end(w);
        raw(w, "additionalProperties", "false");
        req[nreq] = NULL;
        if (!partial && nreq && catalog) {
            open_(w, "anyOf", '[');
            required_one(w, "catalog");
            obj(w, NULL);
            list(w, "required", req);
            end(w);
            close_(w, ']');
        } else if (!partial && nreq) {
            list(w, "required", req);
        }
        end(w);
    }
}

/* The required keys of a table of fields (a group whose key says RR_F_GROUP_REQUIRED is
 * required itself), after `first`. */
static void field_required(jw *w, const char *const *first, const rr_field *fields, size_t nf)
{
    const char *req[RR_MAX_FIELDS + 8];
    char groups[RR_MAX_FIELDS][64];
    size_t n = 0;
    for (size_t i = 0; first && first[i]; i++)
        req[n++] = first[i];
    for (size_t i = 0; i < nf; i++) {
        size_t gl = group_len(fields[i].key);
        if (!(fields[i].flags & RR_IN_REQUIRED) || fields[i].kind == RR_FIELD_SPECIAL)
            continue;
        if (!gl) {
            req[n++] = fields[i].key;
        } else if (fields[i].flags & RR_F_GROUP_REQUIRED) {
            snprintf(groups[i], sizeof groups[i], "%.*s", (int)gl, fields[i].key);
            req[n++] = groups[i];
        }
    }
    req[n] = NULL;
    if (n)
        list(w, "required", req);
}

/* ---- the sections' own keys ---- */

typedef struct shape {
    const char *key;
    const char *text;
    void (*emit)(jw *w);   /* the value's schema beside its description; NULL: any */
    int required;
} shape;

static void emit_name(jw *w)
{
    raw(w, "type", "\"string\"");
    num(w, "minLength", 1);
    num(w, "maxLength", 200);
}

static void emit_currency(jw *w)
{
    raw(w, "type", "\"string\"");
    num(w, "minLength", 1);
    num(w, "maxLength", 16);
}

static void emit_start(jw *w)
{
    raw(w, "type", "\"string\"");
    str(w, "pattern", "^(19|[2-9][0-9])[0-9]{2}-(0[1-9]|1[0-2])$");
}

static void emit_horizon(jw *w)
{
    ref(w, "whole");
    num(w, "minimum", 1);
    num(w, "maximum", RR_MAX_HORIZON);
}

static void emit_simulation(jw *w)
{
    ref(w, "simulation");
}

static void emit_budget(jw *w)
{
    ref(w, "budget");
}

static void emit_variables(jw *w)
{
    ref(w, "variables");
}

static void emit_correlations(jw *w)
{
    raw(w, "type", "\"array\"");
    ref_obj(w, "items", "correlation");
}

static void emit_actuals(jw *w)
{
    ref(w, "actuals");
}

static void emit_extends(jw *w)
{
    raw(w, "type", "\"string\"");
    num(w, "minLength", 1);
}

static const shape top_shapes[] = {
    { "name", "labels the report: 1 to 200 characters", emit_name, 1 },
    { "currency", "a label of 1 to 16 characters printed with every amount (default USD); "
                  "nothing is converted", emit_currency, 0 },
    { "start", "YYYY-MM: the calendar month of month 1", emit_start, 0 },
    { "horizon_months", "the months simulated, 1 to 120", emit_horizon, 1 },
    { "simulation", "{paths, seed}", emit_simulation, 0 },
    { "budget", "a budget for the horizon, each month or each period", emit_budget, 0 },
    { "variables", "names and their values, for expressions", emit_variables, 0 },
    { "demand", "the requests served: one block, or named streams of blocks", NULL, 1 },
    { "costs", "the cost components, each a mapping with its name and type", NULL, 1 },
    { "correlations", "rank correlations between inputs drawn once per path",
      emit_correlations, 0 },
    { "actuals", "how `runrate track` sends bill lines to components or categories",
      emit_actuals, 0 },
    { "extends", "the file this one is laid over (a path relative to this file): this file "
                 "is then a layer, and nothing is required of it", emit_extends, 0 },
};

static void emit_paths(jw *w)
{
    ref(w, "whole");
    num(w, "minimum", 1);
    num(w, "maximum", (double)RR_MAX_PATHS);
}

static void emit_seed(jw *w)
{
    ref(w, "whole");
    num(w, "minimum", 0);
    key(w, "maximum");
    putf(w, "%llu", (unsigned long long)UINT64_MAX);
}

static const shape simulation_shapes[] = {
    { "paths", "the paths simulated (default 100000); --paths overrides it", emit_paths, 0 },
    { "seed", "the seed (default 1); --seed overrides it", emit_seed, 0 },
};

static void emit_amount(jw *w)
{
    ref(w, "number");
    num(w, "exclusiveMinimum", 0);
}

static void emit_confidence(jw *w)
{
    ref(w, "number");
    num(w, "exclusiveMinimum", 0);
    num(w, "exclusiveMaximum", 1);
}

static void emit_fy_start(jw *w)
{
    ref(w, "whole");
    num(w, "minimum", 1);
    num(w, "maximum", 12);
}

static void emit_fy_label(jw *w)
{
    static const char *const v[] = { "end", "start", NULL };
    list(w, "enum", v);
}

static void emit_periods(jw *w)
{
    raw(w, "type", "\"object\"");
    obj(w, "propertyNames");
    str(w, "pattern", "^((FY)?[0-9]{4}(-Q[1-4])?|[YQ][1-9][0-9]*)$");
    end(w);
    obj(w, "additionalProperties");
    emit_amount(w);
    end(w);
}

static const shape budget_shapes[] = {
    { "total", "a budget for the whole horizon, > 0", emit_amount, 0 },
    { "confidence", "the quantile reported as recommended, strictly between 0 and 1 (default "
                    "0.8)", emit_confidence, 0 },
    { "monthly", "a budget for each month, > 0", emit_amount, 0 },
    { "fiscal_year_start", "the calendar month a fiscal year starts in, 1 to 12 (needs start)",
      emit_fy_start, 0 },
    { "fiscal_year_label", "a fiscal year named by the year it ends in (end, the default) or "
                           "starts in", emit_fy_label, 0 },
    { "periods", "budgets of years and quarters of the horizon, by label (2027, 2027-Q3, "
                 "FY2028, FY2028-Q1, Y1, Q5), each > 0", emit_periods, 0 },
};

static void emit_between(jw *w)
{
    raw(w, "type", "\"array\"");
    num(w, "minItems", 2);
    num(w, "maxItems", 2);
    obj(w, "items");
    raw(w, "type", "\"string\"");
    end(w);
}

static void emit_rank(jw *w)
{
    ref(w, "number");
    num(w, "exclusiveMinimum", -1);
    num(w, "exclusiveMaximum", 1);
}

static const shape correlation_shapes[] = {
    { "between", "two input paths: demand.KEY, costs.NAME.KEY, variables.NAME", emit_between,
      1 },
    { "rank", "the target Spearman correlation, strictly between -1 and 1", emit_rank, 1 },
};

static void emit_rules(jw *w)
{
    raw(w, "type", "\"array\"");
    num(w, "maxItems", RR_MAX_ACTUALS_RULES);
    ref_obj(w, "items", "actuals_rule");
}

static const shape actuals_shapes[] = {
    { "map", "rules tried in order: the first that matches a bill line wins", emit_rules, 0 },
};

static void emit_match(jw *w)
{
    raw(w, "type", "\"object\"");
    num(w, "minProperties", 1);
    num(w, "maxProperties", RR_MAX_ACTUALS_MATCH);
    obj(w, "additionalProperties");
    raw(w, "type", "[\"string\", \"number\"]");
    end(w);
}

static void emit_string(jw *w)
{
    raw(w, "type", "\"string\"");
}

static void emit_category(jw *w)
{
    ref(w, "category");
}

static const shape rule_shapes[] = {
    { "match", "bill columns (FOCUS names) or tags (Tags.KEY) to patterns, exact or globs; "
               "every one must match", emit_match, 1 },
    { "component", "the name of a component in costs (or category)", emit_string, 0 },
    { "category", "a category (or component)", emit_category, 0 },
};

static void emit_component_name(jw *w)
{
    ref(w, "component_name");
}

static void emit_stream_name(jw *w)
{
    ref(w, "stream_name");
}

/* type: its own const is written by the component's definition. */
static const shape component_shapes[] = {
    { "name", "1 to 64 letters, digits, '-', '_' or '.'; unique", emit_component_name, 1 },
    { "type", "the component type", NULL, 1 },
    { "category", "the category its cost counts under", emit_category, 0 },
    { "demand", "the demand stream it follows (with named streams)", emit_stream_name, 0 },
};

#define NSHAPES(a) (sizeof(a) / sizeof *(a))

static const shape *find_shape(const shape *sh, size_t n, const char *k)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(sh[i].key, k) == 0)
            return &sh[i];
    return NULL;
}

static void shape_property(jw *w, const shape *s)
{
    obj(w, s->key);
    str(w, "description", s->text);
    if (s->emit)
        s->emit(w);
    end(w);
}

/* A mapping of the keys of table `keys`, each with its shape: an open object's members. */
static void block(jw *w, const char *const *keys, const shape *sh, size_t n, int partial)
{
    const char *req[16];
    size_t nreq = 0;
    raw(w, "type", "\"object\"");
    obj(w, "properties");
    for (size_t i = 0; keys[i]; i++) {
        const shape *s = find_shape(sh, n, keys[i]);
        if (!s) {
            w->bad = 1;
            continue;
        }
        shape_property(w, s);
        if (s->required && nreq + 1 < sizeof req / sizeof *req)
            req[nreq++] = s->key;
    }
    end(w);
    raw(w, "additionalProperties", "false");
    req[nreq] = NULL;
    if (!partial && nreq)
        list(w, "required", req);
}

/* ---- components and demand ---- */

static void component_def(jw *w, const rr_component_type *t, int partial)
{
    char name[96], text[512];
    snprintf(name, sizeof name, "%scomponent_%s", partial ? "layer_" : "", t->name);
    obj(w, name);
    snprintf(text, sizeof text, "%s: %s (category %s)%s", t->name, t->summary,
             t->default_category >= 0 ? rr_category_get((rr_category)t->default_category)->name
                                      : "required",
             partial ? "; in a layer, merged with the base's component of its name" : "");
    str(w, "description", text);
    raw(w, "type", "\"object\"");
    obj(w, "properties");
    for (size_t i = 0; rr_scenario_component_keys[i]; i++) {
        const char *k = rr_scenario_component_keys[i];
        const shape *s = find_shape(component_shapes, NSHAPES(component_shapes), k);
        if (!s) {
            w->bad = 1;
        } else if (strcmp(k, "type") == 0) {
            obj(w, k);
            str(w, "description", s->text);
            str(w, "const", t->name);
            end(w);
        } else {
            shape_property(w, s);
        }
    }
    if (partial) {
        obj(w, "remove");
        str(w, "description", "true: drop the base's component of this name");
        raw(w, "const", "true");
        end(w);
    }
    field_properties(w, t->fields, t->nfields, partial);
    end(w);
    raw(w, "additionalProperties", "false");
    if (partial) {
        static const char *const req[] = { "name", NULL };
        list(w, "required", req);
    } else {
        const char *first[4] = { "name", "type", NULL, NULL };
        if (t->default_category < 0)
            first[2] = "category";
        field_required(w, first, t->fields, t->nfields);
    }
    end(w);
}

/* `component` or `layer_component`: the type picks the definition. */
static void component_switch(jw *w, int partial)
{
    const char *names[RR_MAX_TYPES];
    rr_model_type_names(names, RR_MAX_TYPES);
    obj(w, partial ? "layer_component" : "component");
    str(w, "description", partial ? "a component of a layer: a new one, one merged with the "
                                    "base's of its name, or {name, remove: true}"
                                  : "a cost component: its type says which keys it takes");
    raw(w, "type", "\"object\"");
    obj(w, "properties");
    obj(w, "type");
    str(w, "description", "the component type");
    list(w, "enum", names);
    end(w);
    end(w);
    static const char *const full[] = { "name", "type", NULL }, *const layer[] = { "name", NULL };
    list(w, "required", partial ? layer : full);
    if (partial) {
        /* Without a type a layer's component takes its base's: any type's keys. */
        const char *all[RR_MAX_TYPES * RR_MAX_FIELDS + 8];
        char groups[RR_MAX_TYPES * RR_MAX_FIELDS][64];
        size_t n = 0, ng = 0;
        for (size_t i = 0; rr_scenario_component_keys[i]; i++)
            all[n++] = rr_scenario_component_keys[i];
        all[n++] = "remove";
        for (size_t t = 0; rr_model_types[t]; t++)
            for (size_t i = 0; i < rr_model_types[t]->nfields; i++) {
                const char *k = rr_model_types[t]->fields[i].key;
                size_t gl = group_len(k);
                if (gl) {
                    snprintf(groups[ng], sizeof groups[ng], "%.*s", (int)gl, k);
                    k = groups[ng++];
                }
                int seen = 0;
                for (size_t j = 0; j < n && !seen; j++)
                    seen = strcmp(all[j], k) == 0;
                if (!seen)
                    all[n++] = k;
            }
        all[n] = NULL;
        obj(w, "propertyNames");
        list(w, "enum", all);
        end(w);
    }
    open_(w, "allOf", '[');
    for (size_t t = 0; rr_model_types[t]; t++) {
        const char *type_req[] = { "type", NULL };
        char def[96];
        snprintf(def, sizeof def, "%scomponent_%s", partial ? "layer_" : "",
                 rr_model_types[t]->name);
        obj(w, NULL);
        obj(w, "if");
        obj(w, "properties");
        obj(w, "type");
        str(w, "const", rr_model_types[t]->name);
        end(w);
        end(w);
        list(w, "required", type_req);
        end(w);
        ref_obj(w, "then", def);
        end(w);
    }
    close_(w, ']');
    end(w);
}

static void demand_block(jw *w, int partial)
{
    obj(w, partial ? "layer_demand_block" : "demand_block");
    str(w, "description", partial ? "a demand block of a layer, merged key by key with its base"
                                  : "one stream's demand: its volume, growth, seasonality, "
                                    "noise and spikes");
    raw(w, "type", "\"object\"");
    obj(w, "properties");
    field_properties(w, rr_demand_fields, RR_DEMAND_NFIELDS, partial);
    end(w);
    raw(w, "additionalProperties", "false");
    if (!partial)
        field_required(w, NULL, rr_demand_fields, RR_DEMAND_NFIELDS);
    end(w);
}

static void demand_defs(jw *w, int partial)
{
    const char *p = partial ? "layer_" : "";
    char name[64], def[64];
    demand_block(w, partial);

    /* Named streams: no name is a block's own key (then the block is one stream). */
    const char *own[RR_DEMAND_NFIELDS + 2];
    char groups[RR_DEMAND_NFIELDS][64];
    size_t n = 0;
    own[n++] = "default";
    for (size_t i = 0; i < RR_DEMAND_NFIELDS; i++) {
        size_t gl = group_len(rr_demand_fields[i].key);
        const char *k = rr_demand_fields[i].key;
        if (gl) {
            snprintf(groups[i], sizeof groups[i], "%.*s", (int)gl, k);
            k = groups[i];
        }
        int seen = 0;
        for (size_t j = 0; j < n && !seen; j++)
            seen = strcmp(own[j], k) == 0;
        if (!seen)
            own[n++] = k;
    }
    own[n] = NULL;
    snprintf(name, sizeof name, "%sdemand_streams", p);
    obj(w, name);
    str(w, "description", "named demand streams, each a demand block (paths demand.NAME.KEY)");
    raw(w, "type", "\"object\"");
    num(w, "minProperties", 1);
    num(w, "maxProperties", RR_MAX_STREAMS);
    obj(w, "propertyNames");
    ref(w, "stream_name");
    obj(w, "not");
    list(w, "enum", own);
    end(w);
    end(w);
    snprintf(def, sizeof def, "%sdemand_block", p);
    ref_obj(w, "additionalProperties", def);
    end(w);

    snprintf(name, sizeof name, "%sdemand", p);
    obj(w, name);
    str(w, "description", "the requests served: one demand block, or named streams");
    open_(w, "anyOf", '[');
    snprintf(def, sizeof def, "%sdemand_block", p);
    ref_obj(w, NULL, def);
    snprintf(def, sizeof def, "%sdemand_streams", p);
    ref_obj(w, NULL, def);
    close_(w, ']');
    end(w);

    snprintf(name, sizeof name, "%scosts", p);
    obj(w, name);
    str(w, "description", partial ? "components merged by name with the base's, appended, or "
                                    "removed" : "1 to 64 cost components with unique names");
    raw(w, "type", "\"array\"");
    if (!partial)
        num(w, "minItems", 1);
    num(w, "maxItems", RR_MAX_COMPONENTS);
    ref_obj(w, "items", partial ? "layer_component" : "component");
    end(w);
}

/* ---- uncertain values ---- */

static void params_def(jw *w, const char *dist)
{
    char name[64];
    size_t forms = 0;
    for (size_t i = 0; rr_input_dist_forms[i].dist; i++)
        forms += strcmp(rr_input_dist_forms[i].dist, dist) == 0;
    snprintf(name, sizeof name, "params_%s", dist);
    obj(w, name);
    if (forms > 1)
        open_(w, "oneOf", '[');
    for (size_t i = 0; rr_input_dist_forms[i].dist; i++) {
        const rr_dist_form *f = &rr_input_dist_forms[i];
        if (strcmp(f->dist, dist) != 0)
            continue;
        const int discrete = strcmp(dist, "discrete") == 0;
        if (forms > 1)
            obj(w, NULL);
        raw(w, "type", "\"object\"");
        obj(w, "properties");
        for (size_t k = 0; f->params[k]; k++) {
            if (!discrete) {
                ref_obj(w, f->params[k], "number");
                continue;
            }
            obj(w, f->params[k]);
            raw(w, "type", "\"array\"");
            num(w, "minItems", 1);
            num(w, "maxItems", 1000);
            ref_obj(w, "items", "number");
            end(w);
        }
        end(w);
        raw(w, "additionalProperties", "false");
        if (discrete) {
            const char *req[] = { f->params[0], NULL };   /* weights are optional */
            list(w, "required", req);
        } else {
            list(w, "required", f->params);
        }
        if (forms > 1)
            end(w);
    }
    if (forms > 1)
        close_(w, ']');
    end(w);
}

static void value_defs(jw *w)
{
    obj(w, "number");
    str(w, "description", "a number, plain or quoted");
    open_(w, "anyOf", '[');
    obj(w, NULL);
    raw(w, "type", "\"number\"");
    end(w);
    obj(w, NULL);
    raw(w, "type", "\"string\"");
    str(w, "pattern", NUMBER_RE);
    end(w);
    close_(w, ']');
    end(w);

    obj(w, "whole");
    str(w, "description", "a whole number, plain or quoted (1e6 when exactly whole)");
    open_(w, "anyOf", '[');
    obj(w, NULL);
    raw(w, "type", "\"integer\"");
    end(w);
    obj(w, NULL);
    raw(w, "type", "\"string\"");
    str(w, "pattern", WHOLE_RE);
    end(w);
    close_(w, ']');
    end(w);

    obj(w, "catalog_id");
    str(w, "description", "an entry of the price catalog, provider/name (`runrate prices` "
                          "lists them)");
    raw(w, "type", "\"string\"");
    str(w, "pattern", "^[^/]+/.+$");
    end(w);

    /* The distribution keys: the distributions, then the modifiers. */
    obj(w, "distribution");
    str(w, "description", "a mapping with one distribution key and optionally vary and clamp");
    raw(w, "type", "\"object\"");
    obj(w, "properties");
    for (size_t i = 0; rr_input_dist_keys[i]; i++) {
        const char *k = rr_input_dist_keys[i];
        char def[64];
        if (strcmp(k, "vary") == 0) {
            ref_obj(w, k, "vary");
        } else if (strcmp(k, "clamp") == 0) {
            ref_obj(w, k, "clamp");
        } else {
            snprintf(def, sizeof def, "params_%s", k);
            ref_obj(w, k, def);
        }
    }
    end(w);
    raw(w, "additionalProperties", "false");
    open_(w, "oneOf", '[');
    for (size_t i = 0; rr_input_dist_keys[i]; i++)
        if (strcmp(rr_input_dist_keys[i], "vary") != 0 && strcmp(rr_input_dist_keys[i], "clamp") != 0)
            required_one(w, rr_input_dist_keys[i]);
    close_(w, ']');
    end(w);

    for (size_t i = 0; rr_input_dist_keys[i]; i++)
        if (strcmp(rr_input_dist_keys[i], "vary") != 0 && strcmp(rr_input_dist_keys[i], "clamp") != 0)
            params_def(w, rr_input_dist_keys[i]);

    static const char *const vary[] = { "path", "monthly", NULL };
    obj(w, "vary");
    str(w, "description", "path (the default): drawn once per path; monthly: drawn anew each "
                          "month");
    list(w, "enum", vary);
    end(w);

    obj(w, "clamp");
    str(w, "description", "[lo, hi]: every draw limited to the range, lo <= hi");
    raw(w, "type", "\"array\"");
    num(w, "minItems", 2);
    num(w, "maxItems", 2);
    ref_obj(w, "items", "number");
    end(w);

    static const char *const catalog_req[] = { "catalog", NULL };
    obj(w, "catalog_ref");
    str(w, "description", "a price from the catalog: {catalog: provider/name} (an instance's "
                          "/spot variant, a uniform draw, may carry vary and clamp)");
    raw(w, "type", "\"object\"");
    obj(w, "properties");
    ref_obj(w, "catalog", "catalog_id");
    ref_obj(w, "vary", "vary");
    ref_obj(w, "clamp", "clamp");
    end(w);
    raw(w, "additionalProperties", "false");
    list(w, "required", catalog_req);
    end(w);

    static const char *const schedule_req[] = { "schedule", NULL };
    obj(w, "schedule");
    str(w, "description", "a value by month, each from its month on: {schedule: {2027-01: "
                          "4.00, 2027-07: 3.20}} (keys YYYY-MM, or month numbers from 1)");
    raw(w, "type", "\"object\"");
    obj(w, "properties");
    obj(w, "schedule");
    raw(w, "type", "\"object\"");
    num(w, "minProperties", 1);
    obj(w, "propertyNames");
    str(w, "pattern", "^([0-9]{4}-[0-9]{2}|[0-9]{1,4})$");
    end(w);
    ref_obj(w, "additionalProperties", "scheduled_value");
    end(w);
    end(w);
    raw(w, "additionalProperties", "false");
    list(w, "required", schedule_req);
    end(w);

    /* A value: a number, "A to B" or an expression (any other string), a distribution, a
     * catalog entry; and outside a schedule, a schedule. */
    for (int sched = 0; sched < 2; sched++) {
        obj(w, sched ? "value" : "scheduled_value");
        str(w, "description", sched ? "an uncertain value: a number, \"A to B\" (a lognormal "
                                      "with those 5th and 95th percentiles), an expression, a "
                                      "distribution, a schedule or a catalog entry"
                                    : "a schedule's value: a number, \"A to B\", an "
                                      "expression, a distribution or a catalog entry");
        open_(w, "anyOf", '[');
        ref_obj(w, NULL, "number");
        obj(w, NULL);
        str(w, "description", "\"A to B\" with 0 < A < B, or an expression");
        raw(w, "type", "\"string\"");
        num(w, "minLength", 1);
        end(w);
        ref_obj(w, NULL, "distribution");
        if (sched)
            ref_obj(w, NULL, "schedule");
        ref_obj(w, NULL, "catalog_ref");
        close_(w, ']');
        end(w);
    }
}

/* ---- the document ---- */

static void section_defs(jw *w)
{
    char re[64];
    snprintf(re, sizeof re, "^[A-Za-z_][A-Za-z0-9_]{0,%d}$", RR_MAX_NAME - 1);
    obj(w, "stream_name");
    str(w, "description", "letters, digits and _, starting with a letter or _");
    raw(w, "type", "\"string\"");
    str(w, "pattern", re);
    end(w);

    obj(w, "component_name");
    raw(w, "type", "\"string\"");
    snprintf(re, sizeof re, "^[A-Za-z0-9._-]{1,%d}$", RR_MAX_NAME);
    str(w, "pattern", re);
    end(w);

    obj(w, "category");
    str(w, "description", rr_category_list);
    list(w, "enum", rr_category_names);
    end(w);

    obj(w, "simulation");
    block(w, rr_scenario_simulation_keys, simulation_shapes, NSHAPES(simulation_shapes), 0);
    end(w);
    obj(w, "budget");
    block(w, rr_scenario_budget_keys, budget_shapes, NSHAPES(budget_shapes), 0);
    end(w);
    obj(w, "correlation");
    block(w, rr_scenario_correlation_keys, correlation_shapes, NSHAPES(correlation_shapes), 0);
    end(w);
    obj(w, "actuals");
    block(w, rr_actuals_map_keys, actuals_shapes, NSHAPES(actuals_shapes), 0);
    end(w);
    obj(w, "actuals_rule");
    block(w, rr_actuals_map_rule_keys, rule_shapes, NSHAPES(rule_shapes), 0);
    open_(w, "oneOf", '[');
    required_one(w, "component");
    required_one(w, "category");
    close_(w, ']');
    end(w);

    obj(w, "variables");
    str(w, "description", "names (letters, digits and _) to uncertain values, for expressions");
    raw(w, "type", "\"object\"");
    num(w, "maxProperties", RR_MAX_VARIABLES);
    ref_obj(w, "propertyNames", "stream_name");
    ref_obj(w, "additionalProperties", "value");
    end(w);
}

static void document(jw *w)
{
    const char *keys[32];
    size_t n = 0;
    for (size_t i = 0; rr_scenario_top_keys[i] && n + 2 < sizeof keys / sizeof *keys; i++)
        keys[n++] = rr_scenario_top_keys[i];
    keys[n++] = "extends";   /* laid out by layers.c before the scenario's keys are read */
    keys[n] = NULL;

    obj(w, NULL);
    str(w, "$schema", "https://json-schema.org/draft/2020-12/schema");
    str(w, "$id", SCHEMA_ID);
    str(w, "title", "runrate scenario");
    str(w, "description", "A scenario of runrate (format version 2): the demand an AI system "
                          "serves and its cost components, with uncertain values.  Generated "
                          "by `runrate schema` from the tables the validation reads; `runrate "
                          "validate` checks what a schema cannot (expressions, names, "
                          "cross-field rules, the horizon's months).");
    block(w, keys, top_shapes, NSHAPES(top_shapes), 1);

    /* A layer (extends) requires nothing and merges with its base; a whole file requires
     * what top_shapes says. */
    static const char *const extends[] = { "extends", NULL };
    obj(w, "if");
    list(w, "required", extends);
    end(w);
    obj(w, "then");
    obj(w, "properties");
    ref_obj(w, "demand", "layer_demand");
    ref_obj(w, "costs", "layer_costs");
    end(w);
    end(w);
    obj(w, "else");
    const char *req[16];
    size_t nreq = 0;
    for (size_t i = 0; keys[i]; i++) {
        const shape *s = find_shape(top_shapes, NSHAPES(top_shapes), keys[i]);
        if (s && s->required)
            req[nreq++] = s->key;
    }
    req[nreq] = NULL;
    list(w, "required", req);
    obj(w, "properties");
    ref_obj(w, "demand", "demand");
    ref_obj(w, "costs", "costs");
    end(w);
    end(w);

    obj(w, "$defs");
    value_defs(w);
    section_defs(w);
    demand_defs(w, 0);
    demand_defs(w, 1);
    component_switch(w, 0);
    component_switch(w, 1);
    for (size_t t = 0; rr_model_types[t]; t++)
        component_def(w, rr_model_types[t], 0);
    for (size_t t = 0; rr_model_types[t]; t++)
        component_def(w, rr_model_types[t], 1);
    end(w);
    end(w);
    puts_(w, "\n");
}

rr_status rr_schema_build(char **text, size_t *len)
{
    jw w;
    memset(&w, 0, sizeof w);
    *text = NULL;
    *len = 0;
    document(&w);
    if (w.failed || w.bad || w.depth != 0) {
        free(w.p);
        return w.failed ? RR_ERR_NOMEM : RR_ERR_INTERNAL;
    }
    *text = w.p;
    *len = w.len;
    return RR_OK;
}
