/* variables: the `variables:` block, and the resolution of every expression and schedule.
 *
 * Resolution runs once every input has parsed, in steps that each need the one before:
 * schedule keys to months; names to variables and built-ins; cycles among variables; where
 * `requests` may not be used (the demand's own fields: a cycle through the demand; an
 * event's rate and per-event values: drawn before the month's demand); and, when all of
 * that holds, constant folding.  Each step reports every problem it finds, located.
 */
#include "scenario/variables.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct resolver {
    rr_scenario *s;
    rr_diags *d;
    int bad;
    const char *names[RR_MAX_VARIABLES + RR_NBUILTIN + 1];   /* for did-you-mean */
    int *ureq;               /* per variable: -1 unknown, 0 or 1: uses `requests`; 2 busy */
    int *unext;              /* ... through this variable, or -1: directly */
    struct folder *fold;     /* while folding */
    rr_component *comp;      /* the component whose inputs are being visited, or NULL */
    const char *streams[RR_MAX_STREAMS + 1];   /* the streams' names, for did-you-mean */
} resolver;

#define ERR(r, line, col, ...)                           \
    do {                                                 \
        rr_diags_add((r)->d, (line), (col), __VA_ARGS__); \
        (r)->bad = 1;                                    \
    } while (0)

static int valid_ident(const char *s)
{
    return rr_expr_is_name(s, RR_MAX_NAME);
}

int rr_variables_parse(const rr_node *n, rr_scenario *s, rr_diags *diags)
{
    if (n->kind != RR_NODE_MAP) {
        rr_diags_add(diags, n->line, n->col, "variables: expected a mapping of names to values, "
                     "e.g. {employees: 3000, adoption: 0.25 to 0.6}, got %s",
                     rr_node_kind_name(n));
        return -1;
    }
    size_t count = n->n / 2;
    if (count > RR_MAX_VARIABLES) {
        rr_diags_add(diags, n->line, n->col, "variables: at most %d, got %zu", RR_MAX_VARIABLES,
                     count);
        return -1;
    }
    if (!count)
        return 0;
    if (!(s->vars = calloc(count, sizeof *s->vars))) {
        rr_diags_add(diags, n->line, n->col, "out of memory");
        return -1;
    }
    int bad = 0;
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const rr_node *k = n->items[i], *v = n->items[i + 1];
        if (!valid_ident(k->str)) {
            rr_diags_add(diags, k->line, k->col, "variables: '%s' is not a name: a name is "
                         "letters, digits and _ (at most %d), and starts with a letter or _, "
                         "e.g. questions_per_day", k->str, RR_MAX_NAME);
            bad = 1;
            continue;
        }
        if (rr_expr_reserved(k->str)) {
            rr_diags_add(diags, k->line, k->col, "variables.%s: '%s' is a built-in %s; choose "
                         "another name", k->str, k->str,
                         rr_expr_builtin_find(k->str) >= 0 ? "name" : strcmp(k->str, "to") == 0
                                                                          ? "word"
                                                                          : "function");
            bad = 1;
            continue;
        }
        int dup = 0;
        for (size_t j = 0; j < s->nvars && !dup; j++)
            if (s->vars[j].name && strcmp(s->vars[j].name, k->str) == 0) {
                rr_diags_add(diags, k->line, k->col, "variables: '%s' is defined twice (first "
                             "at line %d)", k->str, s->vars[j].line);
                dup = bad = 1;
            }
        if (dup)
            continue;
        rr_variable *var = &s->vars[s->nvars];
        if (!(var->name = strdup(k->str))) {
            rr_diags_add(diags, k->line, k->col, "out of memory");
            return -1;
        }
        var->line = k->line;
        var->col = k->col;
        s->nvars++;
        char path[96];
        snprintf(path, sizeof path, "variables.%s", k->str);
        if (rr_input_parse(&var->value, v, path, RR_DOMAIN_REAL, 0, diags) != 0)
            bad = 1;
    }
    return bad ? -1 : 0;
}

/* ---- walking every input ---- */

enum { SITE_PLAIN, SITE_DEMAND, SITE_EVENT, SITE_VARIABLE };

typedef void (*visit_fn)(resolver *r, rr_input *in, int site);

static void visit(resolver *r, rr_input *in, int site, visit_fn fn)
{
    fn(r, in, site);
    if (in->schedule)
        for (size_t i = 0; i < in->schedule->n; i++)
            visit(r, &in->schedule->e[i].value, site, fn);
}

/* Whether field i of a component type is read by its events (their rate, or anew for each
 * event). */
static int event_field(const rr_component_type *t, size_t i)
{
    const rr_events *ev = t->events;
    return ev && ((int)i == ev->chance || (int)i == ev->mean ||
                  (t->fields[i].flags & RR_F_PER_EVENT));
}

static void each_input(resolver *r, visit_fn fn)
{
    rr_scenario *s = r->s;
    for (size_t i = 0; i < s->nvars; i++)
        visit(r, &s->vars[i].value, SITE_VARIABLE, fn);
    for (size_t j = 0; j < s->nstreams; j++)
        for (size_t i = 0; i < RR_DEMAND_NFIELDS; i++)
            if (rr_demand_fields[i].kind == RR_FIELD_VALUE)
                visit(r, &s->streams[j].d.in[i], SITE_DEMAND, fn);
    for (size_t k = 0; k < s->ncomps; k++) {
        const rr_component_type *t = s->comps[k].type;
        r->comp = &s->comps[k];
        for (size_t i = 0; t && i < t->nfields; i++)
            if (t->fields[i].kind == RR_FIELD_VALUE)
                visit(r, &s->comps[k].in[i], event_field(t, i) ? SITE_EVENT : SITE_PLAIN, fn);
        r->comp = NULL;
    }
}

/* ---- schedules: keys to months ---- */

/* A key's month from 0 (month 0 is the first of the horizon): 0, or -1 after an error.
 * *kind: 1 for YYYY-MM, 2 for a month number. */
static int key_month(resolver *r, const rr_input *in, const rr_schedule_entry *e, int *kind,
                     int *month)
{
    const char *k = e->key;
    const rr_scenario *s = r->s;
    size_t n = strlen(k), digits = strspn(k, "0123456789");
    if (n == 7 && digits == 4 && k[4] == '-' && isdigit((unsigned char)k[5]) &&
        isdigit((unsigned char)k[6])) {
        int y = (int)strtol(k, NULL, 10), mo = (int)strtol(k + 5, NULL, 10);
        *kind = 1;
        if (mo < 1 || mo > 12) {
            ERR(r, e->line, e->col, "%s.schedule: '%s' is not a month (YYYY-MM, the month 01 "
                "to 12)", in->path, k);
            return -1;
        }
        if (!s->start_month) {
            ERR(r, e->line, e->col, "%s.schedule: a key such as '%s' (YYYY-MM) needs 'start' "
                "(YYYY-MM) in the file; without it, write month numbers from 1", in->path, k);
            return -1;
        }
        *month = (y - s->start_year) * 12 + (mo - s->start_month);
        return 0;
    }
    if (digits == n && n > 0 && n <= 4) {
        *kind = 2;
        *month = (int)strtol(k, NULL, 10) - 1;
        if (*month < 0) {
            ERR(r, e->line, e->col, "%s.schedule: months count from 1 (the first month of the "
                "horizon), got %s", in->path, k);
            return -1;
        }
        return 0;
    }
    ERR(r, e->line, e->col, "%s.schedule: expected a month as YYYY-MM (e.g. 2027-07) or a month "
        "number from 1, got '%s'", in->path, k);
    return -1;
}

static void month_text(const rr_scenario *s, int m, char *buf, size_t size)
{
    if (s->start_month) {
        int mm = s->start_month - 1 + m;
        snprintf(buf, size, "%04d-%02d", s->start_year + mm / 12, mm % 12 + 1);
    } else {
        snprintf(buf, size, "%d", m + 1);
    }
}

static void resolve_schedule(resolver *r, rr_input *in, int site)
{
    (void)site;
    rr_schedule *sc = in->schedule;
    if (!sc)
        return;
    int kind0 = 0, prev = 0;
    for (size_t i = 0; i < sc->n; i++) {
        rr_schedule_entry *e = &sc->e[i];
        int kind = 0, m = 0;
        if (key_month(r, in, e, &kind, &m) != 0)
            return;
        if (i == 0) {
            kind0 = kind;
            if (m > 0) {
                char first[16];
                month_text(r->s, 0, first, sizeof first);
                ERR(r, e->line, e->col, "%s.schedule: the first key must be at or before the "
                    "first month (%s), got '%s': say what holds from the start", in->path,
                    first, e->key);
                return;
            }
        } else if (kind != kind0) {
            ERR(r, e->line, e->col, "%s.schedule: '%s' mixes %s with the %s before it; write "
                "every key one way", in->path, e->key,
                kind == 1 ? "a YYYY-MM key" : "a month number",
                kind0 == 1 ? "YYYY-MM keys" : "month numbers");
            return;
        } else if (m <= prev) {
            ERR(r, e->line, e->col, "%s.schedule: '%s' comes after '%s': keys must increase",
                in->path, e->key, sc->e[i - 1].key);
            return;
        }
        e->month = m;
        prev = m;
        if (m >= r->s->horizon) {
            char last[16];
            month_text(r->s, r->s->horizon - 1, last, sizeof last);
            rr_warnings_add(&r->s->warnings, RR_W_SCHEDULE_UNUSED, r->s->file, e->line, e->col,
                            "extend horizon_months, or remove the entry",
                            "%s.schedule: '%s' starts after the horizon's last month (%s) and "
                            "never applies", in->path, e->key, last);
        }
    }
    /* Entries before the first month: the last of them holds from the start. */
    for (size_t i = 0; i < sc->n; i++)
        if (sc->e[i].month < 0)
            sc->e[i].month = i + 1 < sc->n && sc->e[i + 1].month <= 0 ? sc->e[i].month : 0;
}

/* ---- names ---- */

/* requests: which stream.  requests.NAME names it; plain `requests` is a component's own
 * stream (binding the component to the only stream when it names none), or the only one. */
static void bind_requests(resolver *r, const rr_input *in, rr_expr *e, int line, int col)
{
    const rr_scenario *s = r->s;
    char list[512];
    rr_scenario_stream_list(s, list, sizeof list);
    const char *dot = strchr(e->name, '.');
    e->builtin = RR_B_REQUESTS;
    if (dot) {
        e->stream = rr_scenario_find_stream(s, dot + 1);
        if (e->stream < 0) {
            const char *hint = rr_suggest(dot + 1, r->streams);
            ERR(r, line, col, "%s: no stream '%s' in %s%s%s%s (the streams: %s)", in->path,
                dot + 1, e->name, hint ? " (did you mean '" : "", hint ? hint : "",
                hint ? "'?)" : "", list);
            e->stream = 0;
        }
        return;
    }
    if (r->comp && r->comp->stream >= 0) {
        e->stream = r->comp->stream;
    } else if (s->nstreams == 1) {
        e->stream = 0;
        if (r->comp)
            r->comp->stream = 0;   /* it reads the one stream's demand: bound to it */
    } else {
        e->stream = 0;
        if (r->comp)
            ERR(r, line, col, "%s: requests of which stream? write requests.NAME (the streams: "
                "%s), or bind costs.%s to one with demand: NAME", in->path, list,
                r->comp->name);
        else
            ERR(r, line, col, "%s: requests of which stream? a variable names it: "
                "requests.NAME (the streams: %s)", in->path, list);
    }
}

static void bind_expr(resolver *r, const rr_input *in, rr_expr *e)
{
    for (size_t i = 0; i < e->narg; i++)
        bind_expr(r, in, e->arg[i]);
    if (e->op != RR_X_NAME)
        return;
    const int line = in->text_line, col = rr_input_text_col(in, e->at);
    if (strncmp(e->name, "requests", 8) == 0 && (e->name[8] == '\0' || e->name[8] == '.')) {
        bind_requests(r, in, e, line, col);
        return;
    }
    if (strchr(e->name, '.')) {
        ERR(r, line, col, "%s: '%s' is not a name: only requests.STREAM has a dot", in->path,
            e->name);
        return;
    }
    int b = rr_expr_builtin_find(e->name);
    if (b >= 0) {
        if (rr_expr_builtin_needs_start(b) && !r->s->start_month) {
            ERR(r, line, col, "%s: %s needs 'start' (YYYY-MM) in the file: without it the "
                "months have no calendar (month counts from 1 without it)", in->path, e->name);
            return;
        }
        e->builtin = b;
        return;
    }
    for (size_t v = 0; v < r->s->nvars; v++)
        if (strcmp(r->s->vars[v].name, e->name) == 0) {
            e->var = (int)v;
            return;
        }
    const char *hint = rr_suggest(e->name, r->names);
    if (hint)
        ERR(r, line, col, "%s: unknown name '%s' (did you mean '%s'?)", in->path, e->name, hint);
    else
        ERR(r, line, col, "%s: unknown name '%s': a name is a variable (variables:) or one of "
            "month, calendar_month, year, days, requests", in->path, e->name);
}

static void bind_input(resolver *r, rr_input *in, int site)
{
    (void)site;
    if (in->expr)
        bind_expr(r, in, in->expr);
}

/* A component whose type reads the demand is bound to a stream: the one it names, the only
 * one, or (with several) an error. */
static void bind_components(resolver *r)
{
    const rr_scenario *s = r->s;
    for (size_t k = 0; k < s->ncomps; k++) {
        rr_component *c = &s->comps[k];
        if (c->stream >= 0 || !c->type || !c->type->follows_demand)
            continue;
        if (s->nstreams == 1) {
            c->stream = 0;
            continue;
        }
        char list[512];
        rr_scenario_stream_list(s, list, sizeof list);
        ERR(r, c->line, c->col, "costs.%s: a %s cost follows the demand: name its stream with "
            "demand: NAME (the streams: %s)", c->name, c->type->name, list);
    }
}

/* ---- cycles among variables ---- */

/* Calls fn(r, var, ctx) for each variable that e names. */
static void each_var(const rr_expr *e, void (*fn)(int var, void *ctx), void *ctx)
{
    for (size_t i = 0; i < e->narg; i++)
        each_var(e->arg[i], fn, ctx);
    if (e->op == RR_X_NAME && e->var >= 0)
        fn(e->var, ctx);
}

static void each_var_of_input(const rr_input *in, void (*fn)(int var, void *ctx), void *ctx)
{
    if (in->expr)
        each_var(in->expr, fn, ctx);
    if (in->schedule)
        for (size_t i = 0; i < in->schedule->n; i++)
            each_var_of_input(&in->schedule->e[i].value, fn, ctx);
}

typedef struct dfs {
    resolver *r;
    int *state;              /* 0 new, 1 on the stack, 2 done */
    int *stack;
    size_t depth;
    int cyclic;
} dfs;

static void dfs_visit(dfs *g, int v);

static void dfs_edge(int w, void *ctx)
{
    dfs *g = ctx;
    if (g->state[w] == 0) {
        dfs_visit(g, w);
        return;
    }
    if (g->state[w] != 1)
        return;
    /* A cycle: w and everything above it on the stack. */
    const rr_scenario *s = g->r->s;
    char text[1024] = "";
    size_t at = 0, len = 0;
    while (g->stack[at] != w)
        at++;
    for (size_t i = at; i < g->depth; i++) {
        len = strlen(text);
        snprintf(text + len, sizeof text - len, "%s -> ", s->vars[g->stack[i]].name);
    }
    len = strlen(text);
    snprintf(text + len, sizeof text - len, "%s", s->vars[w].name);
    ERR(g->r, s->vars[w].line, s->vars[w].col, "variables: a cycle: %s (each uses the next); "
        "one of them must be given without the others", text);
    g->cyclic = 1;
}

static void dfs_visit(dfs *g, int v)
{
    g->state[v] = 1;
    g->stack[g->depth++] = v;
    each_var_of_input(&g->r->s->vars[v].value, dfs_edge, g);
    g->depth--;
    g->state[v] = 2;
}

/* 0, or -1 when variables use each other in a cycle (reported). */
static int find_cycles(resolver *r)
{
    size_t n = r->s->nvars;
    dfs g = { r, calloc(n + 1, sizeof *g.state), calloc(n + 1, sizeof *g.stack), 0, 0 };
    if (!g.state || !g.stack) {
        free(g.state);
        free(g.stack);
        ERR(r, 0, 0, "out of memory");
        return -1;
    }
    for (size_t v = 0; v < n; v++)
        if (!g.state[v])
            dfs_visit(&g, (int)v);
    free(g.state);
    free(g.stack);
    return g.cyclic ? -1 : 0;
}

/* ---- where `requests` may not be used ---- */

static int var_uses_requests(resolver *r, int v);

/* The first name of e that is `requests` or a variable that uses it; *via: that variable,
 * or -1. */
static const rr_expr *find_requests(resolver *r, const rr_expr *e, int *via)
{
    if (e->op == RR_X_NAME) {
        if (e->builtin == RR_B_REQUESTS) {
            *via = -1;
            return e;
        }
        if (e->var >= 0 && var_uses_requests(r, e->var)) {
            *via = e->var;
            return e;
        }
        return NULL;
    }
    for (size_t i = 0; i < e->narg; i++) {
        const rr_expr *x = find_requests(r, e->arg[i], via);
        if (x)
            return x;
    }
    return NULL;
}

/* The input (in itself or a schedule entry) whose expression uses `requests`, and where. */
static const rr_input *input_requests(resolver *r, const rr_input *in, const rr_expr **at,
                                      int *via)
{
    if (in->expr && (*at = find_requests(r, in->expr, via)))
        return in;
    if (in->schedule)
        for (size_t i = 0; i < in->schedule->n; i++) {
            const rr_input *x = input_requests(r, &in->schedule->e[i].value, at, via);
            if (x)
                return x;
        }
    return NULL;
}

static int var_uses_requests(resolver *r, int v)
{
    if (r->ureq[v] >= 0)
        return r->ureq[v] == 1;
    r->ureq[v] = 2;   /* a cycle (reported already) does not recurse for ever */
    const rr_expr *at;
    int via = -1;
    int uses = input_requests(r, &r->s->vars[v].value, &at, &via) != NULL;
    r->ureq[v] = uses;
    r->unext[v] = via;
    return uses;
}

/* " (through variables.a, which uses variables.b)" for the chain from via to `requests`. */
static void chain_text(const resolver *r, int via, char *buf, size_t size)
{
    buf[0] = '\0';
    for (int v = via, n = 0; v >= 0 && n < 8; v = r->unext[v], n++) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%svariables.%s", n ? ", which uses " : " (through ",
                 r->s->vars[v].name);
    }
    if (via >= 0) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, ", which uses requests)");
    }
}

static void check_requests(resolver *r, rr_input *in, int site)
{
    if (site != SITE_DEMAND && site != SITE_EVENT)
        return;
    if (in->schedule)
        return;   /* its entries are visited one by one */
    const rr_expr *at;
    int via = -1;
    if (!in->expr || !(at = find_requests(r, in->expr, &via)))
        return;
    char chain[512];
    chain_text(r, via, chain, sizeof chain);
    const int line = in->text_line, col = rr_input_text_col(in, at->at);
    if (site == SITE_DEMAND)
        ERR(r, line, col, "%s: uses requests%s, which the demand makes: a cycle through the "
            "demand", in->path, chain);
    else
        ERR(r, line, col, "%s: cannot use requests%s: a month's events are drawn before its "
            "demand is known", in->path, chain);
}

/* ---- constant folding ---- */

typedef struct folder {
    double *value;
    int *known;
    rr_expr_env env;
} folder;

static int make_const(resolver *r, rr_input *in, double v)
{
    if (!isfinite(v)) {
        ERR(r, in->text_line, in->text_col, "%s: \"%.*s%s\" is %s", in->path, RR_EXPR_SHOW(in->text),
            isnan(v) ? "not a number (NaN)" : "infinite");
        return -1;
    }
    if (rr_input_check_constant(v, in->path, in->domain, in->flags, in->text_line,
                                in->text_col, r->d) != 0) {
        r->bad = 1;
        return -1;
    }
    rr_expr_free(in->expr);
    in->expr = NULL;
    rr_dist_init_const(&in->dist, v);
    return 0;
}

/* Fold in (and its schedule's entries) where it is constant. */
static void fold_input(resolver *r, folder *f, rr_input *in)
{
    double v;
    if (in->expr && rr_expr_fold(in->expr, &f->env, &v))
        make_const(r, in, v);
    if (in->schedule)
        for (size_t i = 0; i < in->schedule->n; i++)
            fold_input(r, f, &in->schedule->e[i].value);
}

static void fold_visit(resolver *r, rr_input *in, int site)
{
    if (site != SITE_VARIABLE)
        fold_input(r, r->fold, in);
}

static void fold_all(resolver *r)
{
    rr_scenario *s = r->s;
    size_t n = s->nvars;
    folder f = { calloc(n + 1, sizeof *f.value), calloc(n + 1, sizeof *f.known),
                 { NULL, NULL, s->start_month != 0 } };
    if (!f.value || !f.known) {
        free(f.value);
        free(f.known);
        ERR(r, 0, 0, "out of memory");
        return;
    }
    f.env.value = f.value;
    f.env.known = f.known;
    /* Variables in as many passes as it takes: each pass folds those whose variables are
     * known (no cycle is left, so n passes suffice). */
    for (size_t pass = 0, changed = 1; changed && pass <= n; pass++) {
        changed = 0;
        for (size_t i = 0; i < n; i++) {
            rr_input *in = &s->vars[i].value;
            if (f.known[i])
                continue;
            fold_input(r, &f, in);
            if (rr_input_is_const(in)) {
                f.value[i] = in->dist.p[0];
                f.known[i] = changed = 1;
            }
        }
    }
    r->fold = &f;
    each_input(r, fold_visit);
    r->fold = NULL;
    free(f.value);
    free(f.known);
}

int rr_variables_resolve(rr_scenario *s, rr_diags *diags)
{
    resolver r = { .s = s, .d = diags };
    size_t nn = 0;
    for (size_t i = 0; i < s->nvars; i++)
        r.names[nn++] = s->vars[i].name;
    for (int b = 0; b < RR_NBUILTIN; b++)
        r.names[nn++] = rr_expr_builtin_name((rr_expr_builtin)b);
    r.names[nn] = NULL;
    for (size_t i = 0; i < s->nstreams; i++)
        r.streams[i] = s->streams[i].name;
    r.streams[s->nstreams] = NULL;
    int earlier = diags->n != 0;
    each_input(&r, resolve_schedule);
    each_input(&r, bind_input);
    bind_components(&r);
    if (r.bad || find_cycles(&r) != 0)
        return -1;
    r.ureq = malloc((s->nvars + 1) * sizeof *r.ureq);
    r.unext = malloc((s->nvars + 1) * sizeof *r.unext);
    if (!r.ureq || !r.unext) {
        free(r.ureq);
        free(r.unext);
        rr_diags_add(diags, 0, 0, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < s->nvars; i++)
        r.ureq[i] = r.unext[i] = -1;
    each_input(&r, check_requests);
    free(r.ureq);
    free(r.unext);
    /* Folding checks values against their domains: not on top of earlier errors, whose
     * inputs stand at 0. */
    if (!r.bad && !earlier)
        fold_all(&r);
    return r.bad ? -1 : 0;
}
