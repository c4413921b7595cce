/* input: parsing uncertain values from the scenario tree.
 *
 * The accepted forms, in the order they are tried: a number; the string "A to B" (a
 * lognormal whose 5th and 95th percentiles are A and B, 0 < A < B); a mapping with one
 * distribution key and the optional modifiers `vary` and `clamp`.  Messages name the input
 * path and say what was expected, so that the CLI can print FILE:LINE:COL: error: ....
 */
#include "scenario/input.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *rr_parse_number(const rr_node *n, double *out)
{
    if (n->kind != RR_NODE_SCALAR)
        return "expected a number";
    const char *s = n->str;
    static const char *const nonfinite[] = { ".inf", "+.inf", "-.inf", ".nan", "inf", "-inf",
                                             "+inf", "nan", "infinity", "-infinity", NULL };
    for (size_t i = 0; nonfinite[i]; i++)
        if (strcasecmp(s, nonfinite[i]) == 0)
            return "expected a finite number";
    /* strtod also takes hex, inf and nan spellings and leading blanks: a scenario takes
     * plain decimal numbers only. */
    if (!*s)
        return "expected a number";
    for (const char *p = s; *p; p++)
        if (!(isdigit((unsigned char)*p) || *p == '.' || *p == '-' || *p == '+' || *p == 'e' ||
              *p == 'E'))
            return "expected a number";
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end)
        return "expected a number";
    if (!isfinite(v) || errno == ERANGE) {
        if (fabs(v) < 1)   /* underflow to a denormal or zero: harmless */
            v = 0;
        else
            return "expected a finite number";
    }
    if (fabs(v) > RR_VALUE_MAX)
        return "the number is beyond the limit of 1e15";
    *out = v;
    return NULL;
}

void rr_input_free(rr_input *in)
{
    if (!in)
        return;
    rr_dist_free(&in->dist);
    free(in->path);
    memset(in, 0, sizeof *in);
}

static int set_path(rr_input *in, const char *path)
{
    in->path = strdup(path);
    in->stream = rr_rng_stream_id(path);
    return in->path ? 0 : -1;
}

int rr_input_default(rr_input *in, const char *path, double v)
{
    memset(in, 0, sizeof *in);
    rr_dist_init_const(&in->dist, 0);
    in->dist.p[0] = v;   /* may be +inf, which the builder would refuse */
    in->dist.user[0] = v;
    return set_path(in, path);
}

/* "A to B", with blanks around "to". Returns 1 when the text has that shape. */
static int parse_range(const char *s, double *a, double *b, const char **err)
{
    const char *to = strstr(s, " to ");
    if (!to)
        return 0;
    size_t la = (size_t)(to - s);
    char left[64], right[64];
    const char *r = to + 4;
    while (la > 0 && isspace((unsigned char)s[la - 1]))
        la--;
    while (isspace((unsigned char)*s) && la > 0) {
        s++;
        la--;
    }
    while (isspace((unsigned char)*r))
        r++;
    size_t lr = strlen(r);
    while (lr > 0 && isspace((unsigned char)r[lr - 1]))
        lr--;
    if (la == 0 || lr == 0 || la >= sizeof left || lr >= sizeof right)
        return 0;
    memcpy(left, s, la);
    left[la] = '\0';
    memcpy(right, r, lr);
    right[lr] = '\0';
    rr_node na = { .kind = RR_NODE_SCALAR, .str = left };
    rr_node nb = { .kind = RR_NODE_SCALAR, .str = right };
    *err = rr_parse_number(&na, a);
    if (!*err)
        *err = rr_parse_number(&nb, b);
    return 1;
}

typedef struct param_spec {
    const char *name;
    const char *keys[3];
} param_spec;

/* Read the parameters `keys` of a distribution mapping into v, reporting each problem. */
static int read_params(const rr_node *m, const char *path, const char *dist,
                       const char *const *keys, size_t nkeys, double *v, rr_diags *diags)
{
    int bad = 0;
    if (m->kind != RR_NODE_MAP) {
        rr_diags_add(diags, m->line, m->col, "%s: %s expects a mapping of its parameters, got %s",
                     path, dist, rr_node_kind_name(m));
        return -1;
    }
    for (size_t i = 0; i + 1 < m->n; i += 2) {
        const rr_node *k = m->items[i];
        size_t j = 0;
        while (j < nkeys && strcmp(k->str, keys[j]) != 0)
            j++;
        if (j == nkeys) {
            const char *cands[4] = { NULL };
            for (size_t c = 0; c < nkeys; c++)
                cands[c] = keys[c];
            const char *hint = rr_suggest(k->str, cands);
            rr_diags_add(diags, k->line, k->col, "%s: unknown %s parameter '%s'%s%s%s", path,
                         dist, k->str, hint ? " (did you mean '" : "", hint ? hint : "",
                         hint ? "'?)" : "");
            bad = 1;
        }
    }
    for (size_t j = 0; j < nkeys; j++) {
        const rr_node *x = rr_node_get(m, keys[j]);
        if (!x) {
            rr_diags_add(diags, m->line, m->col, "%s: %s needs '%s'", path, dist, keys[j]);
            bad = 1;
            continue;
        }
        const char *e = rr_parse_number(x, &v[j]);
        if (e) {
            rr_diags_add(diags, x->line, x->col, "%s: %s.%s: %s, got %s%s%s", path, dist,
                         keys[j], e, x->kind == RR_NODE_SCALAR ? "'" : "",
                         x->kind == RR_NODE_SCALAR ? x->str : rr_node_kind_name(x),
                         x->kind == RR_NODE_SCALAR ? "'" : "");
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

/* Read a sequence of numbers (discrete values or weights). Returns count or -1. */
static long read_list(const rr_node *s, const char *path, const char *what, double **out,
                      rr_diags *diags)
{
    *out = NULL;
    if (s->kind != RR_NODE_SEQ) {
        rr_diags_add(diags, s->line, s->col, "%s: discrete.%s: expected a sequence of numbers, "
                     "got %s", path, what, rr_node_kind_name(s));
        return -1;
    }
    if (s->n == 0 || s->n > 1000) {
        rr_diags_add(diags, s->line, s->col, "%s: discrete.%s: expected 1 to 1000 numbers, "
                     "got %zu", path, what, s->n);
        return -1;
    }
    double *v = malloc(s->n * sizeof *v);
    if (!v) {
        rr_diags_add(diags, s->line, s->col, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < s->n; i++) {
        const char *e = rr_parse_number(s->items[i], &v[i]);
        if (e) {
            rr_diags_add(diags, s->items[i]->line, s->items[i]->col, "%s: discrete.%s[%zu]: %s",
                         path, what, i, e);
            free(v);
            return -1;
        }
    }
    *out = v;
    return (long)s->n;
}

static const char *const dist_keys[] = { "normal", "lognormal", "uniform", "triangular",
                                         "pert", "beta", "gamma", "poisson", "bernoulli",
                                         "discrete", "vary", "clamp", NULL };

static int parse_discrete(rr_dist *d, const rr_node *m, const char *path, rr_diags *diags)
{
    if (m->kind != RR_NODE_MAP) {
        rr_diags_add(diags, m->line, m->col, "%s: discrete expects a mapping {values, weights}, "
                     "got %s", path, rr_node_kind_name(m));
        return -1;
    }
    int bad = 0;
    for (size_t i = 0; i + 1 < m->n; i += 2) {
        const char *k = m->items[i]->str;
        if (strcmp(k, "values") != 0 && strcmp(k, "weights") != 0) {
            static const char *const cands[] = { "values", "weights", NULL };
            const char *hint = rr_suggest(k, cands);
            rr_diags_add(diags, m->items[i]->line, m->items[i]->col,
                         "%s: unknown discrete parameter '%s'%s%s%s", path, k,
                         hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
            bad = 1;
        }
    }
    const rr_node *vn = rr_node_get(m, "values"), *wn = rr_node_get(m, "weights");
    if (!vn) {
        rr_diags_add(diags, m->line, m->col, "%s: discrete needs 'values'", path);
        return -1;
    }
    double *v = NULL, *w = NULL;
    long n = read_list(vn, path, "values", &v, diags);
    long nw = n;
    if (n > 0 && wn)
        nw = read_list(wn, path, "weights", &w, diags);
    if (n > 0 && nw > 0 && nw != n) {
        rr_diags_add(diags, wn->line, wn->col, "%s: discrete: %ld weights for %ld values", path,
                     nw, n);
        bad = 1;
    }
    if (n > 0 && !wn) {
        w = malloc((size_t)n * sizeof *w);
        for (long i = 0; w && i < n; i++)
            w[i] = 1;
    }
    if (n > 0 && nw == n && w && !bad) {
        const char *e = rr_dist_init_discrete(d, v, w, (size_t)n);
        if (e) {
            rr_diags_add(diags, m->line, m->col, "%s: %s", path, e);
            bad = 1;
        }
    } else {
        bad = 1;
    }
    free(v);
    free(w);
    return bad ? -1 : 0;
}

static int parse_dist_map(rr_input *in, const rr_node *m, const char *path, rr_diags *diags)
{
    const rr_node *dn = NULL, *dk = NULL, *vary = NULL, *clamp = NULL;
    int bad = 0;
    for (size_t i = 0; i + 1 < m->n; i += 2) {
        const rr_node *k = m->items[i], *v = m->items[i + 1];
        if (strcmp(k->str, "vary") == 0) {
            vary = v;
        } else if (strcmp(k->str, "clamp") == 0) {
            clamp = v;
        } else {
            size_t j = 0;
            while (dist_keys[j] && strcmp(dist_keys[j], k->str) != 0)
                j++;
            if (!dist_keys[j]) {
                const char *hint = rr_suggest(k->str, dist_keys);
                rr_diags_add(diags, k->line, k->col,
                             "%s: unknown key '%s' in a distribution%s%s%s (expected one of "
                             "normal, lognormal, uniform, triangular, pert, beta, gamma, "
                             "poisson, bernoulli, discrete, and optionally vary, clamp)",
                             path, k->str, hint ? " (did you mean '" : "", hint ? hint : "",
                             hint ? "'?)" : "");
                bad = 1;
            } else if (dn) {
                rr_diags_add(diags, k->line, k->col, "%s: a value has one distribution, found "
                             "'%s' after '%s'", path, k->str, dk->str);
                bad = 1;
            } else {
                dk = k;
                dn = v;
            }
        }
    }
    if (!dn && !bad) {
        rr_diags_add(diags, m->line, m->col, "%s: expected a distribution key (normal, "
                     "lognormal, uniform, triangular, pert, beta, gamma, poisson, bernoulli, "
                     "discrete)", path);
        return -1;
    }
    if (bad)
        return -1;

    rr_dist *d = &in->dist;
    const char *name = dk->str, *e = NULL;
    double p[3] = { 0, 0, 0 };
#define PARAMS(...)                                                                       \
    do {                                                                                  \
        static const char *const keys_[] = { __VA_ARGS__ };                              \
        if (read_params(dn, path, name, keys_, sizeof keys_ / sizeof *keys_, p, diags))   \
            return -1;                                                                    \
    } while (0)
    if (strcmp(name, "normal") == 0) {
        PARAMS("mean", "sd");
        e = rr_dist_init_normal(d, p[0], p[1]);
    } else if (strcmp(name, "lognormal") == 0) {
        if (dn->kind == RR_NODE_MAP && rr_node_get(dn, "median")) {
            PARAMS("median", "sigma");
            e = rr_dist_init_lognormal_median(d, p[0], p[1]);
        } else if (dn->kind == RR_NODE_MAP && rr_node_get(dn, "mean")) {
            PARAMS("mean", "sd");
            e = rr_dist_init_lognormal_moments(d, p[0], p[1]);
        } else {
            PARAMS("p5", "p95");
            e = rr_dist_init_lognormal_p5p95(d, p[0], p[1]);
        }
    } else if (strcmp(name, "uniform") == 0) {
        PARAMS("min", "max");
        e = rr_dist_init_uniform(d, p[0], p[1]);
    } else if (strcmp(name, "triangular") == 0) {
        PARAMS("min", "mode", "max");
        e = rr_dist_init_triangular(d, p[0], p[1], p[2]);
    } else if (strcmp(name, "pert") == 0) {
        PARAMS("min", "mode", "max");
        e = rr_dist_init_pert(d, p[0], p[1], p[2]);
    } else if (strcmp(name, "beta") == 0) {
        PARAMS("a", "b");
        e = rr_dist_init_beta(d, p[0], p[1]);
    } else if (strcmp(name, "gamma") == 0) {
        PARAMS("shape", "scale");
        e = rr_dist_init_gamma(d, p[0], p[1]);
    } else if (strcmp(name, "poisson") == 0) {
        PARAMS("mean");
        e = rr_dist_init_poisson(d, p[0]);
    } else if (strcmp(name, "bernoulli") == 0) {
        PARAMS("p");
        e = rr_dist_init_bernoulli(d, p[0]);
    } else {
        if (parse_discrete(d, dn, path, diags))
            return -1;
    }
#undef PARAMS
    if (e) {
        rr_diags_add(diags, dn->line, dn->col, "%s: %s", path, e);
        return -1;
    }

    if (vary) {
        if (vary->kind == RR_NODE_SCALAR && strcmp(vary->str, "path") == 0) {
            in->vary = RR_VARY_PATH;
        } else if (vary->kind == RR_NODE_SCALAR && strcmp(vary->str, "monthly") == 0) {
            in->vary = RR_VARY_MONTHLY;
        } else {
            rr_diags_add(diags, vary->line, vary->col, "%s: vary: expected 'path' or "
                         "'monthly', got %s%s%s", path, vary->kind == RR_NODE_SCALAR ? "'" : "",
                         vary->kind == RR_NODE_SCALAR ? vary->str : rr_node_kind_name(vary),
                         vary->kind == RR_NODE_SCALAR ? "'" : "");
            bad = 1;
        }
    }
    if (clamp) {
        double lo = 0, hi = 0;
        const char *ce = NULL;
        if (clamp->kind != RR_NODE_SEQ || clamp->n != 2)
            ce = "expected [lo, hi]";
        else if ((ce = rr_parse_number(clamp->items[0], &lo)) == NULL &&
                 (ce = rr_parse_number(clamp->items[1], &hi)) == NULL && !(lo <= hi))
            ce = "lo must be <= hi";
        if (ce) {
            rr_diags_add(diags, clamp->line, clamp->col, "%s: clamp: %s", path, ce);
            bad = 1;
        } else {
            rr_dist_clamp(d, lo, hi);
        }
    }
    return bad ? -1 : 0;
}

static void domain_bounds(rr_domain dom, double *lo, double *hi)
{
    *lo = -INFINITY;
    *hi = INFINITY;
    switch (dom) {
    case RR_DOMAIN_NONNEG: *lo = 0; break;
    case RR_DOMAIN_UNIT: *lo = 0; *hi = 1; break;
    case RR_DOMAIN_GROWTH: *lo = -1; break;
    case RR_DOMAIN_DAYS: *lo = 0; *hi = 30; break;
    case RR_DOMAIN_REAL: break;
    }
}

static const char *domain_text(rr_domain dom)
{
    switch (dom) {
    case RR_DOMAIN_NONNEG: return ">= 0";
    case RR_DOMAIN_UNIT: return "in [0, 1]";
    case RR_DOMAIN_GROWTH: return ">= -1";
    case RR_DOMAIN_DAYS: return "in [0, 30]";
    case RR_DOMAIN_REAL: break;
    }
    return "finite";
}

int rr_input_parse(rr_input *in, const rr_node *node, const char *path, rr_domain domain,
                   unsigned flags, rr_diags *diags)
{
    memset(in, 0, sizeof *in);
    rr_dist_init_const(&in->dist, 0);
    if (set_path(in, path) != 0) {
        rr_diags_add(diags, node->line, node->col, "out of memory");
        return -1;
    }
    in->given = 1;
    in->line = node->line;
    in->col = node->col;

    int rc = 0;
    if (node->kind == RR_NODE_SCALAR) {
        double v = 0, a = 0, b = 0;
        const char *e = rr_parse_number(node, &v), *re = NULL;
        if (!e) {
            rr_dist_init_const(&in->dist, v);
        } else if (!(flags & RR_IN_PLAIN) && parse_range(node->str, &a, &b, &re)) {
            if (re) {
                rr_diags_add(diags, node->line, node->col, "%s: \"A to B\": %s", path, re);
                rc = -1;
            } else if (!(a > 0 && a < b)) {
                rr_diags_add(diags, node->line, node->col, "%s: \"A to B\" needs 0 < A < B, "
                             "got '%s'", path, node->str);
                rc = -1;
            } else {
                rr_dist_init_lognormal_p5p95(&in->dist, a, b);
                in->dist.user_form = 3;
            }
        } else {
            if (strcmp(e, "expected a number") == 0)
                rr_diags_add(diags, node->line, node->col, "%s: expected %s, got '%s'", path,
                             flags & RR_IN_PLAIN ? "a plain number"
                                                 : "a number, \"A to B\" or a distribution",
                             node->str);
            else
                rr_diags_add(diags, node->line, node->col, "%s: %s, got '%s'", path, e,
                             node->str);
            rc = -1;
        }
    } else if (node->kind == RR_NODE_MAP && !(flags & RR_IN_PLAIN)) {
        rc = parse_dist_map(in, node, path, diags);
    } else {
        rr_diags_add(diags, node->line, node->col, "%s: expected %s, got %s", path,
                     flags & RR_IN_PLAIN ? "a plain number"
                                         : "a number, \"A to B\" or a distribution mapping",
                     rr_node_kind_name(node));
        rc = -1;
    }
    if (rc != 0) {
        rr_dist_free(&in->dist);
        return -1;
    }

    double lo, hi;
    domain_bounds(domain, &lo, &hi);
    if (rr_input_is_const(in)) {
        double v = in->dist.p[0];
        if ((flags & RR_IN_POSITIVE) && !(v > 0)) {
            rr_diags_add(diags, node->line, node->col, "%s: must be > 0, got %g", path, v);
            return -1;
        }
        if (v < lo || v > hi) {
            rr_diags_add(diags, node->line, node->col, "%s: must be %s, got %g", path,
                         domain_text(domain), v);
            return -1;
        }
        if ((flags & RR_IN_INTEGER) && v != floor(v)) {
            rr_diags_add(diags, node->line, node->col, "%s: expected a whole number, got %g",
                         path, v);
            return -1;
        }
    } else {
        rr_dist_clamp(&in->dist, lo, hi);
        if (in->dist.lo > in->dist.hi) {
            rr_diags_add(diags, node->line, node->col, "%s: clamp lies outside the values "
                         "allowed (%s)", path, domain_text(domain));
            rr_dist_free(&in->dist);
            return -1;
        }
    }
    return 0;
}
