/* catalog: the dated price catalog, and the scenario references to it. */
#include "scenario/catalog.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/check.h"

const char *const rr_catalog_units[] = { "GB-month", "GB", "1000 pages", "1000 requests",
                                         "1000 traces", "1000 characters", "host-month",
                                         "user-month", "hour", NULL };

static const char *const file_keys[] = { "provider", "currency", "source", "checked", "note",
                                         "models", "instances", "prices", NULL };
static const char *const common_keys[] = { "checked", "source", "note" };
static const char *const model_keys[] = { "input", "output", "cached_input", "cache_write",
                                          "batch_discount", "checked", "source", "note", NULL };
static const char *const instance_keys[] = { "on_demand", "reserved_1y", "spot", "hardware",
                                             "checked", "source", "note", NULL };
static const char *const price_keys[] = { "price", "unit", "checked", "source", "note", NULL };

/* Where a reference's variant is written: "aws/us-east-1/g6.xlarge/reserved-1y", or one
 * price of a model, "openai/gpt-5/input" (for a variable, a schedule, an expression). */
static const struct {
    const char *suffix;
    rr_catalog_kind kind;
    int variant;
} variants[] = { { "/on-demand", RR_CATALOG_INSTANCE, RR_CAT_ON_DEMAND },
                 { "/reserved-1y", RR_CATALOG_INSTANCE, RR_CAT_RESERVED },
                 { "/spot", RR_CATALOG_INSTANCE, RR_CAT_SPOT_LO },
                 { "/input", RR_CATALOG_MODEL, RR_CAT_INPUT },
                 { "/output", RR_CATALOG_MODEL, RR_CAT_OUTPUT },
                 { "/cached_input", RR_CATALOG_MODEL, RR_CAT_CACHED },
                 { "/cache_write", RR_CATALOG_MODEL, RR_CAT_WRITE } };

/* A catalog being loaded: the arrays' capacities. */
typedef struct loaded {
    rr_catalog *cat;
    size_t cap, scap;
} loaded;

static const char *keep(loaded *L, const char *s)
{
    if (!s)
        return NULL;
    if (L->cat->nstrings == L->scap) {
        size_t c = L->scap ? 2 * L->scap : 64;
        char **p = realloc(L->cat->strings, c * sizeof *p);
        if (!p)
            return NULL;
        L->cat->strings = p;
        L->scap = c;
    }
    char *d = strdup(s);
    if (d)
        L->cat->strings[L->cat->nstrings++] = d;
    return d;
}

/* YYYY-MM-DD, a real date. */
static int valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return 0;
    /* The digits are checked above: strtol reads them whole and stops at the dash. */
    int y = (int)strtol(s, NULL, 10), m = (int)strtol(s + 5, NULL, 10),
        d = (int)strtol(s + 8, NULL, 10);
    static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return y >= 2000 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] &&
           !(m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

static int string_at(rr_diags *d, const rr_node *n, const char *what, const char **out)
{
    if (n->kind != RR_NODE_SCALAR || !n->str[0]) {
        rr_diags_add(d, n->line, n->col, "%s: expected a non-empty string, got %s", what,
                     rr_node_kind_name(n));
        return -1;
    }
    *out = n->str;
    return 0;
}

/* A price: a plain number >= 0 (the catalog holds no distributions). */
static int price_at(rr_diags *d, const rr_node *n, const char *what, double *out)
{
    if (rr_check_plain(d, n, what, out) != 0)
        return -1;
    if (*out < 0) {
        rr_diags_add(d, n->line, n->col, "%s: a price is at least 0, got %s", what, n->str);
        return -1;
    }
    return 0;
}

/* One entry's mapping into e; texts[i] the numbers' texts.  0, or -1 after diagnostics. */
static int parse_entry(loaded *L, rr_diags *d, const rr_node *v, rr_catalog_entry *e,
                       const char **texts)
{
    static const char *const *const keys[] = { model_keys, instance_keys, price_keys };
    char what[200];
    if (rr_check_map(d, v, e->id) != 0 || rr_check_keys(d, v, e->id, keys[e->kind]) != 0)
        return -1;
    int bad = 0;
    for (size_t i = 0; i < sizeof common_keys / sizeof *common_keys; i++) {
        const rr_node *n = rr_node_get(v, common_keys[i]);
        const char *s = NULL;
        snprintf(what, sizeof what, "%s.%s", e->id, common_keys[i]);
        if (n && string_at(d, n, what, &s) != 0)
            bad = 1;
        else if (n && i == 0 && !valid_date(s)) {
            rr_diags_add(d, n->line, n->col, "%s: expected a date YYYY-MM-DD, got '%s'", what,
                         s);
            bad = 1;
        } else if (n) {
            const char *k = keep(L, s);
            if (!k)
                return -1;
            *(i == 0 ? &e->checked : i == 1 ? &e->source : &e->note) = k;
        }
    }
    static const char *const mk[] = { "input", "output", "cached_input", "cache_write",
                                       "batch_discount" };
    static const char *const ik[] = { "on_demand", "reserved_1y" };
    const char *const *vk = e->kind == RR_CATALOG_MODEL ? mk : e->kind == RR_CATALOG_INSTANCE
                                                                   ? ik : price_keys;
    size_t nv = e->kind == RR_CATALOG_MODEL ? 5 : e->kind == RR_CATALOG_INSTANCE ? 2 : 1;
    for (size_t i = 0; i < nv; i++) {
        const rr_node *n = rr_node_get(v, vk[i]);
        snprintf(what, sizeof what, "%s.%s", e->id, vk[i]);
        if (!n)
            continue;
        if (price_at(d, n, what, &e->v[i]) != 0) {
            bad = 1;
            continue;
        }
        if (e->kind == RR_CATALOG_MODEL && i == RR_CAT_BATCH && e->v[i] > 1) {
            rr_diags_add(d, n->line, n->col, "%s: the share the batch API takes off, in [0, 1], "
                         "got %s", what, n->str);
            bad = 1;
        }
        e->has |= 1u << i;
        texts[i] = n->str;
    }
    const char *required = e->kind == RR_CATALOG_MODEL ? "input" : e->kind ==
                           RR_CATALOG_INSTANCE ? "on_demand" : "price";
    if (!rr_node_get(v, required)) {
        rr_diags_add(d, v->line, v->col, "%s: missing required key '%s'", e->id, required);
        bad = 1;
    }
    const rr_node *n;
    if (e->kind == RR_CATALOG_INSTANCE && (n = rr_node_get(v, "spot"))) {
        double lo = 0, hi = 0;
        snprintf(what, sizeof what, "%s.spot", e->id);
        if (n->kind != RR_NODE_SEQ || n->n != 2) {
            rr_diags_add(d, n->line, n->col, "%s: expected [low, high], got %s", what,
                         rr_node_kind_name(n));
            bad = 1;
        } else if (price_at(d, n->items[0], what, &lo) || price_at(d, n->items[1], what, &hi)) {
            bad = 1;
        } else if (lo > hi) {
            rr_diags_add(d, n->line, n->col, "%s: low %s above high %s", what,
                         n->items[0]->str, n->items[1]->str);
            bad = 1;
        } else {
            e->v[RR_CAT_SPOT_LO] = lo;
            e->v[RR_CAT_SPOT_HI] = hi;
            e->has |= 1u << RR_CAT_SPOT_LO | 1u << RR_CAT_SPOT_HI;
            texts[RR_CAT_SPOT_LO] = n->items[0]->str;
            texts[RR_CAT_SPOT_HI] = n->items[1]->str;
        }
    }
    if (e->kind == RR_CATALOG_INSTANCE && (n = rr_node_get(v, "hardware"))) {
        const char *s;
        if (string_at(d, n, "hardware", &s) != 0)
            bad = 1;
        else if (!(e->hardware = keep(L, s)))
            return -1;
    }
    if (e->kind == RR_CATALOG_PRICE) {
        const char *u = NULL;
        snprintf(what, sizeof what, "%s.unit", e->id);
        if (!(n = rr_node_get(v, "unit"))) {
            rr_diags_add(d, v->line, v->col, "%s: missing required key 'unit'", e->id);
            bad = 1;
        } else if (string_at(d, n, what, &u) != 0) {
            bad = 1;
        } else {
            size_t k = 0;
            while (rr_catalog_units[k] && strcmp(rr_catalog_units[k], u) != 0)
                k++;
            if (!rr_catalog_units[k]) {
                const char *hint = rr_suggest(u, rr_catalog_units);
                rr_diags_add(d, n->line, n->col, "%s: unknown unit '%s'%s%s%s (expected GB-month, "
                             "GB, 1000 pages, 1000 requests, 1000 traces, 1000 characters, "
                             "host-month, user-month or hour)", what, u,
                             hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
                bad = 1;
            } else {
                e->unit = rr_catalog_units[k];
            }
        }
    }
    return bad ? -1 : 0;
}

static int push_entry(loaded *L, rr_catalog_entry **e)
{
    rr_catalog *c = L->cat;
    if (c->n == L->cap) {
        size_t cap = L->cap ? 2 * L->cap : 64;
        rr_catalog_entry *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return -1;
        c->v = v;
        L->cap = cap;
    }
    *e = &c->v[c->n];
    memset(*e, 0, sizeof **e);
    return 0;
}

static int valid_name(const char *s)
{
    if (!*s || *s == '/' || s[strlen(s) - 1] == '/' || strstr(s, "//"))
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || strchr(".-_/", *s)))
            return 0;
    return 1;
}

/* One provider's file.  0, -1 after diagnostics, -2 out of memory. */
static int load_file(loaded *L, const char *path, const char *base, rr_diags *d)
{
    rr_node *root = NULL;
    if (rr_node_load_file(path, &root, d) != RR_OK || d->n) {
        rr_node_free(root);
        return -1;
    }
    int bad = 0;
    if (rr_check_map(d, root, "catalog file") != 0 ||
        rr_check_keys(d, root, "a catalog file", file_keys) != 0) {
        rr_node_free(root);
        return -1;
    }
    const char *provider = NULL, *currency = NULL, *fsource = NULL, *fchecked = NULL,
               *fnote = NULL;
    const rr_node *n;
    if (!(n = rr_node_get(root, "provider")))
        rr_diags_add(d, root->line, root->col, "missing required key 'provider'"), bad = 1;
    else if (string_at(d, n, "provider", &provider) != 0)
        bad = 1;
    else if (strcmp(provider, base) != 0)
        rr_diags_add(d, n->line, n->col, "provider: '%s' must be the file's name without "
                     ".yaml ('%s')", provider, base), bad = 1;
    if (!(n = rr_node_get(root, "currency")))
        rr_diags_add(d, root->line, root->col, "missing required key 'currency'"), bad = 1;
    else if (string_at(d, n, "currency", &currency) != 0)
        bad = 1;
    if ((n = rr_node_get(root, "source")) && string_at(d, n, "source", &fsource) != 0)
        bad = 1;
    if ((n = rr_node_get(root, "note")) && string_at(d, n, "note", &fnote) != 0)
        bad = 1;
    if ((n = rr_node_get(root, "checked")) && string_at(d, n, "checked", &fchecked) == 0 &&
        !valid_date(fchecked))
        rr_diags_add(d, n->line, n->col, "checked: expected a date YYYY-MM-DD, got '%s'",
                     fchecked), bad = 1;
    if (bad) {
        rr_node_free(root);
        return -1;
    }
    const char *cur = keep(L, currency), *src = keep(L, fsource), *chk = keep(L, fchecked),
               *note = keep(L, fnote);
    static const char *const sections[] = { "models", "instances", "prices" };
    for (int kind = 0; kind < 3 && cur; kind++) {
        const rr_node *sec = rr_node_get(root, sections[kind]);
        if (!sec)
            continue;
        if (rr_check_map(d, sec, sections[kind]) != 0) {
            bad = 1;
            continue;
        }
        for (size_t i = 0; i + 1 < sec->n; i += 2) {
            const rr_node *k = sec->items[i], *v = sec->items[i + 1];
            rr_catalog_entry *e;
            char id[256];
            int w = snprintf(id, sizeof id, "%s/%s", provider, k->str);
            if (!valid_name(k->str) || w < 0 || (size_t)w >= sizeof id) {
                rr_diags_add(d, k->line, k->col, "%s: an entry's name is lower-case letters, "
                             "digits and . - _, with / between a region and a name, got '%s'",
                             sections[kind], k->str);
                bad = 1;
                continue;
            }
            if (push_entry(L, &e) != 0 || !(e->id = strdup(id))) {
                rr_node_free(root);
                return -2;
            }
            L->cat->n++;
            e->kind = (rr_catalog_kind)kind;
            e->currency = cur;
            e->source = src;
            e->checked = chk;
            e->note = note;
            const char *texts[RR_CAT_NVALUES] = { 0 };
            if (parse_entry(L, d, v, e, texts) != 0) {
                bad = 1;
                continue;
            }
            for (int t = 0; t < RR_CAT_NVALUES; t++)
                if (texts[t] && !(e->text[t] = strdup(texts[t]))) {
                    rr_node_free(root);
                    return -2;
                }
            if (!e->checked)
                rr_diags_add(d, v->line, v->col, "%s: no date: give `checked: YYYY-MM-DD` in the "
                             "entry or at the top of the file", e->id), bad = 1;
            if (!e->source)
                rr_diags_add(d, v->line, v->col, "%s: no source: give `source:` (the public "
                             "page the price is from) in the entry or at the top of the file",
                             e->id), bad = 1;
        }
    }
    rr_node_free(root);
    return bad || !cur ? (cur ? -1 : -2) : 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const rr_catalog_entry *)a)->id, ((const rr_catalog_entry *)b)->id);
}

rr_status rr_catalog_load(const char *dir, rr_catalog *cat, rr_diags *diags)
{
    memset(cat, 0, sizeof *cat);
    DIR *dp = opendir(dir);
    if (!dp) {
        rr_diags_add(diags, 0, 0, "cannot read the price catalog folder '%s'", dir);
        return RR_ERR_IO;
    }
    char **names = NULL;
    size_t nn = 0, cap = 0;
    rr_status st = RR_OK;
    const struct dirent *de;
    while ((de = readdir(dp)) != NULL && st == RR_OK) {
        size_t len = strlen(de->d_name);
        if (len <= 5 || de->d_name[0] == '.' || strcmp(de->d_name + len - 5, ".yaml") != 0)
            continue;
        if (nn == cap) {
            char **p = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof *p);
            if (!p) {
                st = RR_ERR_NOMEM;
                break;
            }
            names = p;
        }
        if (!(names[nn] = strdup(de->d_name)))
            st = RR_ERR_NOMEM;
        else
            nn++;
    }
    closedir(dp);
    if (names)
        qsort(names, nn, sizeof *names, by_name);
    loaded L = { cat, 0, 0 };
    if (st == RR_OK && !(cat->dir = strdup(dir)))
        st = RR_ERR_NOMEM;
    for (size_t i = 0; i < nn && st == RR_OK; i++) {
        char path[4096], base[256];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(base, sizeof base, "%.*s", (int)(strlen(names[i]) - 5), names[i]);
        rr_diags_free(diags);
        rr_diags_init(diags, path);
        int r = load_file(&L, path, base, diags);
        st = r == 0 ? RR_OK : r == -2 ? RR_ERR_NOMEM : RR_ERR_SCENARIO;
    }
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    if (st == RR_OK && cat->n)
        qsort(cat->v, cat->n, sizeof *cat->v, by_id);
    for (size_t i = 1; i < cat->n && st == RR_OK; i++)
        if (strcmp(cat->v[i - 1].id, cat->v[i].id) == 0) {
            rr_diags_free(diags);
            rr_diags_init(diags, dir);
            rr_diags_add(diags, 0, 0, "entry '%s' is listed twice", cat->v[i].id);
            st = RR_ERR_SCENARIO;
        }
    if (st != RR_OK)
        rr_catalog_free(cat);
    return st;
}

void rr_catalog_free(rr_catalog *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->n; i++) {
        free(cat->v[i].id);
        for (int t = 0; t < RR_CAT_NVALUES; t++)
            free(cat->v[i].text[t]);
    }
    free(cat->v);
    for (size_t i = 0; i < cat->nstrings; i++)
        free(cat->strings[i]);
    free(cat->strings);
    free(cat->dir);
    memset(cat, 0, sizeof *cat);
}

static const rr_catalog_entry *find_id(const rr_catalog *cat, const char *id)
{
    size_t lo = 0, hi = cat->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(cat->v[mid].id, id);
        if (c == 0)
            return &cat->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const rr_catalog_entry *rr_catalog_find(const rr_catalog *cat, const char *id, int *variant)
{
    *variant = -1;
    const rr_catalog_entry *e = find_id(cat, id);
    if (e)
        return e;
    size_t len = strlen(id);
    for (size_t i = 0; i < sizeof variants / sizeof *variants; i++) {
        size_t sl = strlen(variants[i].suffix);
        char base[256];
        if (len <= sl || len - sl >= sizeof base || strcmp(id + len - sl, variants[i].suffix) != 0)
            continue;
        snprintf(base, sizeof base, "%.*s", (int)(len - sl), id);
        if ((e = find_id(cat, base)) && e->kind == variants[i].kind) {
            *variant = variants[i].variant;
            return e;
        }
    }
    return NULL;
}

void rr_catalog_uses_free(rr_catalog_uses *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->n; i++) {
        free(u->v[i].entry);
        free(u->v[i].checked);
        free(u->v[i].source);
    }
    free(u->v);
    u->v = NULL;
    u->n = 0;
}

int rr_catalog_referenced(const rr_node *n)
{
    if (!n || n->kind == RR_NODE_SCALAR)
        return 0;
    for (size_t i = 0; i < n->n; i++) {
        if (n->kind == RR_NODE_MAP && i % 2 == 0) {
            if (strcmp(n->items[i]->str, "catalog") == 0)
                return 1;
            continue;
        }
        if (rr_catalog_referenced(n->items[i]))
            return 1;
    }
    return 0;
}

typedef struct expand_ctx {
    const rr_catalog *cat;
    const char *where;
    const char *currency;
    rr_catalog_uses *uses;
    rr_diags *d;
    int bad, nomem;
} expand_ctx;

static void record_use(expand_ctx *x, const char *id, const rr_catalog_entry *e,
                       const rr_node *at)
{
    for (size_t i = 0; i < x->uses->n; i++)
        if (strcmp(x->uses->v[i].entry, id) == 0)
            return;
    rr_catalog_use *v = realloc(x->uses->v, (x->uses->n + 1) * sizeof *v);
    if (!v) {
        x->nomem = 1;
        return;
    }
    x->uses->v = v;
    rr_catalog_use *u = &v[x->uses->n];
    u->entry = strdup(id);
    u->checked = strdup(e->checked);
    u->source = strdup(e->source);
    u->line = at->line;
    u->col = at->col;
    x->uses->n++;
    if (!u->entry || !u->checked || !u->source)
        x->nomem = 1;
}

/* A scalar node holding text, at the reference's position. */
static rr_node *scalar_at(expand_ctx *x, const char *text, const rr_node *at)
{
    rr_node *s = rr_node_new_scalar(text);
    if (!s) {
        x->nomem = 1;
        return NULL;
    }
    rr_node_set_position(s, at->line, at->col);
    return s;
}

/* Set map[key] = scalar text unless the map writes key itself (an override). */
static void fill_key(expand_ctx *x, rr_node *map, const char *key, const char *text,
                     const rr_node *at)
{
    if (rr_node_get(map, key))
        return;
    rr_node *k = scalar_at(x, key, at), *v = k ? scalar_at(x, text, at) : NULL;
    if (!v || rr_node_push(map, k) != 0 || rr_node_push(map, v) != 0) {
        if (!v)
            rr_node_free(k);
        x->nomem = 1;
    }
}

/* Remove the pair of `key` from map. */
static void drop_key(rr_node *map, const char *key)
{
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (strcmp(map->items[i]->str, key) == 0) {
            rr_node_free(map->items[i]);
            rr_node_free(map->items[i + 1]);
            memmove(&map->items[i], &map->items[i + 2], (map->n - i - 2) * sizeof *map->items);
            map->n -= 2;
            return;
        }
}

/* Suggest the id closest to `id` (its variant aside). */
static const char *suggest_id(const rr_catalog *cat, const char *id)
{
    const char **ids = malloc((cat->n + 1) * sizeof *ids);
    if (!ids)
        return NULL;
    for (size_t i = 0; i < cat->n; i++)
        ids[i] = cat->v[i].id;
    ids[cat->n] = NULL;
    const char *s = rr_suggest(id, ids);
    free(ids);
    return s;
}

/* The reference value[key] (a mapping holding `catalog`): expand it in place, or replace
 * *slot (the value's place in its parent) by a scalar or a distribution. */
static void expand(expand_ctx *x, rr_node *n, int depth);

static void expand_ref(expand_ctx *x, const char *key, rr_node **slot, int depth)
{
    rr_node *v = *slot;
    const rr_node *ref = rr_node_get(v, "catalog");
    if (ref->kind != RR_NODE_SCALAR || !ref->str[0]) {
        rr_diags_add(x->d, ref->line, ref->col, "%s.catalog: expected an entry such as "
                     "anthropic/claude-sonnet-4.5, got %s", key, rr_node_kind_name(ref));
        x->bad = 1;
        return;
    }
    if (!x->cat) {
        rr_diags_add(x->d, ref->line, ref->col, "%s: catalog entry '%s' named, but no price "
                     "catalog was found (%s); give --catalog DIR or set RUNRATE_CATALOG", key,
                     ref->str, x->where);
        x->bad = 1;
        return;
    }
    int variant;
    const rr_catalog_entry *e = rr_catalog_find(x->cat, ref->str, &variant);
    if (!e) {
        const char *hint = suggest_id(x->cat, ref->str);
        rr_diags_add(x->d, ref->line, ref->col, "%s: unknown catalog entry '%s'%s%s%s (the "
                     "catalog in %s; `runrate prices` lists it)", key, ref->str,
                     hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "",
                     x->cat->dir);
        x->bad = 1;
        return;
    }
    if (strcmp(e->currency, x->currency) != 0) {
        rr_diags_add(x->d, ref->line, ref->col, "%s: catalog entry '%s' is priced in %s, the "
                     "scenario in %s: nothing is converted; write the price in %s yourself",
                     key, ref->str, e->currency, x->currency, x->currency);
        x->bad = 1;
        return;
    }
    char *const *t = e->text;
    if (e->kind == RR_CATALOG_MODEL && variant < 0) {
        if (strcmp(key, "price_per_million") != 0) {
            rr_diags_add(x->d, ref->line, ref->col, "%s: '%s' is a model's price list: it "
                         "goes under price_per_million", key, ref->str);
            x->bad = 1;
            return;
        }
        static const char *const keys[] = { "input", "output", "cached_input", "cache_write",
                                             "batch_discount" };
        for (int i = 0; i < RR_CAT_NMODEL; i++)
            if (e->has & 1u << i)
                fill_key(x, v, keys[i], t[i], ref);
        record_use(x, ref->str, e, ref);
        drop_key(v, "catalog");    /* ref is freed here */
        expand(x, v, depth + 1);   /* a reference among the keys written beside it */
        return;
    }
    if (strcmp(key, "price_per_million") == 0) {
        rr_diags_add(x->d, ref->line, ref->col, "price_per_million: '%s' is %s, not a model's "
                     "price list", ref->str, e->kind == RR_CATALOG_INSTANCE ? "an instance's "
                     "hourly rate" : e->kind == RR_CATALOG_MODEL ? "one price (write it under "
                     "price_per_million's key)" : "a unit price");
        x->bad = 1;
        return;
    }
    if (e->kind == RR_CATALOG_MODEL && !(e->has & 1u << variant)) {
        rr_diags_add(x->d, ref->line, ref->col, "%s: catalog entry '%s' has no such price", key,
                     ref->str);
        x->bad = 1;
        return;
    }
    if (e->kind == RR_CATALOG_INSTANCE && variant == RR_CAT_RESERVED &&
        !(e->has & 1u << RR_CAT_RESERVED)) {
        rr_diags_add(x->d, ref->line, ref->col, "%s: catalog entry '%s' has no one-year reserved "
                     "rate", key, ref->str);
        x->bad = 1;
        return;
    }
    if (e->kind == RR_CATALOG_INSTANCE && variant == RR_CAT_SPOT_LO &&
        !(e->has & 1u << RR_CAT_SPOT_LO)) {
        rr_diags_add(x->d, ref->line, ref->col, "%s: catalog entry '%s' has no spot range", key,
                     ref->str);
        x->bad = 1;
        return;
    }
    /* A price's unit against the key it is written at: a slip of 1,000x (a price per 1,000
     * pages as a price per page) must not pass. */
    const char *want = strcmp(key, "price_per_gb_month") == 0     ? "GB-month"
                       : strcmp(key, "price_per_user_month") == 0 ? "user-month"
                       : strcmp(key, "hourly_rate") == 0 || strcmp(key, "rate") == 0 ? "hour"
                                                                                       : NULL;
    const char *unit = e->kind == RR_CATALOG_INSTANCE ? "hour" : e->kind == RR_CATALOG_MODEL
                                                                   ? "1M tokens" : e->unit;
    if (want && strcmp(want, unit) != 0) {
        rr_diags_add(x->d, ref->line, ref->col, "%s: catalog entry '%s' is priced per %s, "
                     "%s is per %s", key, ref->str, unit, key, want);
        x->bad = 1;
        return;
    }
    record_use(x, ref->str, e, ref);
    if (e->kind == RR_CATALOG_INSTANCE && variant == RR_CAT_SPOT_LO) {
        /* A uniform draw over the range; `vary` or `clamp` written beside it stay. */
        rr_node *u = rr_node_new_map();
        if (!u) {
            x->nomem = 1;
            return;
        }
        rr_node_set_position(u, ref->line, ref->col);
        fill_key(x, u, "min", t[RR_CAT_SPOT_LO], ref);
        fill_key(x, u, "max", t[RR_CAT_SPOT_HI], ref);
        rr_node *k = scalar_at(x, "uniform", ref);
        drop_key(v, "catalog");    /* ref is freed here */
        expand(x, v, depth + 1);   /* e.g. a clamp's bounds, before the uniform joins */
        if (!k || rr_node_push(v, k) != 0 || rr_node_push(v, u) != 0) {
            if (!k)
                rr_node_free(u);
            x->nomem = 1;
        }
        return;
    }
    if (v->n != 2) {
        rr_diags_add(x->d, ref->line, ref->col, "%s: '%s' is one number: nothing may stand beside "
                     "`catalog` (write the value itself instead)", key, ref->str);
        x->bad = 1;
        return;
    }
    int i = e->kind == RR_CATALOG_PRICE      ? RR_CAT_PRICE_VALUE
            : e->kind == RR_CATALOG_MODEL    ? variant
            : variant == RR_CAT_RESERVED     ? RR_CAT_RESERVED
                                             : RR_CAT_ON_DEMAND;
    /* unit_price is per one unit (a page, a request): a price per 1,000 of them is divided. */
    char per_one[40];
    const char *text = t[i];
    if (strcmp(key, "unit_price") == 0 && strncmp(unit, "1000 ", 5) == 0) {
        for (int p = 15; p <= 17; p++) {
            snprintf(per_one, sizeof per_one, "%.*g", p, e->v[i] / 1000);
            if (strtod(per_one, NULL) == e->v[i] / 1000)
                break;
        }
        text = per_one;
    }
    rr_node *s = scalar_at(x, text, ref);
    if (!s)
        return;
    rr_node_free(v);
    *slot = s;
}

static void expand(expand_ctx *x, rr_node *n, int depth)
{
    if (n->kind == RR_NODE_SCALAR || depth > RR_NODE_MAX_DEPTH)
        return;
    for (size_t i = 0; i < n->n && !x->nomem; i++) {
        rr_node *c = n->items[i];
        if (n->kind == RR_NODE_MAP && i % 2 == 0)
            continue;
        const char *key = n->kind == RR_NODE_MAP ? n->items[i - 1]->str : "-";
        if (c->kind == RR_NODE_MAP && rr_node_get(c, "catalog"))
            expand_ref(x, key, &n->items[i], depth);
        else
            expand(x, c, depth + 1);
    }
}

rr_status rr_catalog_expand(rr_node *root, const rr_catalog *cat, const char *where,
                            rr_catalog_uses *uses, rr_diags *diags)
{
    const rr_node *cur = root->kind == RR_NODE_MAP ? rr_node_get(root, "currency") : NULL;
    expand_ctx x = { cat, where ? where : "none given",
                     cur && cur->kind == RR_NODE_SCALAR ? cur->str : "USD", uses, diags, 0, 0 };
    if (root->kind == RR_NODE_MAP && rr_node_get(root, "catalog")) {
        const rr_node *c = rr_node_get(root, "catalog");
        rr_diags_add(diags, c->line, c->col, "catalog: a scenario is not a catalog reference: "
                     "name an entry where a price goes");
        return RR_ERR_SCENARIO;
    }
    expand(&x, root, 0);
    return x.nomem ? RR_ERR_NOMEM : x.bad ? RR_ERR_SCENARIO : RR_OK;
}

void rr_catalog_warn_stale(const rr_catalog_uses *uses, int start_year, int start_month,
                           const char *file, rr_warnings *w)
{
    if (start_year <= 0)
        return;
    /* One warning for all of them, at the first: the fix is in the catalog, once. */
    size_t n = 0, first = 0, cap = 1;
    for (size_t i = 0; i < uses->n; i++)
        cap += strlen(uses->v[i].entry) + 24;
    char *list = malloc(cap);
    if (!list)
        return;
    list[0] = 0;
    for (size_t i = 0; i < uses->n; i++) {
        const char *c = uses->v[i].checked;
        long y = strtol(c, NULL, 10), m = strtol(c + 5, NULL, 10);   /* a valid date */
        /* Stale when checked + 6 months falls before the 1st of the start month: the day
         * cannot bring it before that 1st once the months are equal. */
        if (y * 12 + (m - 1) + 6 >= (long)start_year * 12 + (start_month - 1))
            continue;
        if (!n++)
            first = i;
        size_t len = strlen(list);
        snprintf(list + len, cap - len, "%s%s (%s)", len ? ", " : "", uses->v[i].entry, c);
    }
    const char *fix = "check each price at the source the catalog names (runrate prices ENTRY) "
                      "and update its price and `checked`, or write the price in the scenario";
    if (n == 1)
        rr_warnings_add(w, RR_W_CATALOG_STALE, file, uses->v[first].line, uses->v[first].col,
                        fix, "catalog entry %s was checked more than six months before the "
                        "scenario's start (%04d-%02d)", list, start_year, start_month);
    else if (n > 1)
        rr_warnings_add(w, RR_W_CATALOG_STALE, file, uses->v[first].line, uses->v[first].col,
                        fix, "%zu catalog entries were checked more than six months before the "
                        "scenario's start (%04d-%02d): %s", n, start_year, start_month, list);
    free(list);
}
