/* input: parsing uncertain values from the scenario tree.
 *
 * The accepted forms, in the order they are tried: a number; the string "A to B" (a
 * lognormal whose 5th and 95th percentiles are A and B, 0 < A < B); a mapping with one
 * distribution key and the optional modifiers `vary` and `clamp`.  Messages name the input
 * path and say what was expected, so that the CLI can print FILE:LINE:COL: error: ....
 */
#include "scenario/input.h"
#include "scenario/keys.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
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

/* x as a person writes it: whole numbers without an exponent, else the shortest %g. */
static void plain_number(char *s, size_t size, double x)
{
    if (x == floor(x) && fabs(x) < 1e15)
        snprintf(s, size, "%.0f", x);
    else
        snprintf(s, size, "%.15g", x);
}

/* The text between t and end as a number (blanks around it allowed); 1 when it is one. */
static int number_in(const char *t, const char *end, double *x)
{
    while (t < end && isspace((unsigned char)*t))
        t++;
    while (end > t && isspace((unsigned char)end[-1]))
        end--;
    char buf[64];
    size_t n = (size_t)(end - t);
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, t, n);
    buf[n] = '\0';
    rr_node node = { .kind = RR_NODE_SCALAR, .str = buf };
    return rr_parse_number(&node, x) == NULL;
}

const char *rr_number_hint(const char *text, char *fix, size_t size)
{
    static const char *const symbols[] = { "$", "\xe2\x82\xac" /* euro */, "\xc2\xa3" /* pound */,
                                           "\xc2\xa5" /* yen */, NULL };
    static const struct {
        const char *suffix;
        double factor;
    } scales[] = { { "k", 1e3 }, { "K", 1e3 }, { "thousand", 1e3 }, { "M", 1e6 }, { "m", 1e6 },
                   { "mn", 1e6 }, { "million", 1e6 }, { "bn", 1e9 }, { "B", 1e9 },
                   { "b", 1e9 }, { "billion", 1e9 } };
    char num[64];
    double x;
    size_t len = strlen(text);
    const char *end = text + len;
    fix[0] = '\0';
    while (end > text && isspace((unsigned char)end[-1]))
        end--;
    while (text < end && isspace((unsigned char)*text))
        text++;
    if (end == text)
        return fix;
    /* 2% */
    if (end[-1] == '%' && number_in(text, end - 1, &x)) {
        plain_number(num, sizeof num, x / 100);
        snprintf(fix, size, " (write %s)", num);
        return fix;
    }
    /* $2.50, 2.50 USD: the number without its currency ($250,000 and $60k: as their rest) */
    for (size_t i = 0; symbols[i]; i++) {
        size_t n = strlen(symbols[i]);
        if ((size_t)(end - text) <= n || strncmp(text, symbols[i], n) != 0)
            continue;
        if (number_in(text + n, end, &x)) {
            snprintf(fix, size, " (write %.*s: the currency is set by `currency:`)",
                     (int)(end - text - (long)n), text + n);
            return fix;
        }
        char rest[64], inner[160];
        snprintf(rest, sizeof rest, "%.*s", (int)(end - text - (long)n), text + n);
        if (*rr_number_hint(rest, inner, sizeof inner) && inner[strlen(inner) - 1] == ')') {
            inner[strlen(inner) - 1] = '\0';
            snprintf(fix, size, "%s; the currency is set by `currency:`)", inner);
            return fix;
        }
    }
    if (end - text > 4 && isupper((unsigned char)end[-1]) && isupper((unsigned char)end[-2]) &&
        isupper((unsigned char)end[-3]) && isspace((unsigned char)end[-4]) &&
        number_in(text, end - 4, &x)) {
        const char *e = end - 4;
        while (e > text && isspace((unsigned char)e[-1]))
            e--;
        snprintf(fix, size, " (write %.*s: the currency is set by `currency:`)",
                 (int)(e - text), text);
        return fix;
    }
    /* 60k, 1.5M, 2bn */
    for (size_t i = 0; i < sizeof scales / sizeof *scales; i++) {
        size_t n = strlen(scales[i].suffix);
        if ((size_t)(end - text) > n && strncmp(end - n, scales[i].suffix, n) == 0 &&
            number_in(text, end - n, &x)) {
            plain_number(num, sizeof num, x * scales[i].factor);
            snprintf(fix, size, " (write %s)", num);
            return fix;
        }
    }
    /* 60,000 and 1,234,567.5: groups of three digits after the first */
    const char *p = text;
    if (*p == '-' || *p == '+')
        p++;
    size_t lead = strspn(p, "0123456789");
    int groups = 0;
    if (lead >= 1 && lead <= 3) {
        p += lead;
        while (*p == ',' && strspn(p + 1, "0123456789") == 3) {
            p += 4;
            groups++;
        }
        if (groups && (p == end || (*p == '.' && p + 1 + strspn(p + 1, "0123456789") == end))) {
            char digits[64];
            size_t o = 0;
            for (const char *q = text; q < end && o + 1 < sizeof digits; q++)
                if (*q != ',')
                    digits[o++] = *q;
            digits[o] = '\0';
            snprintf(fix, size, " (write %s: no thousands separators)", digits);
            return fix;
        }
    }
    return fix;
}

static void free_schedule(rr_schedule *sc);

void rr_input_free(rr_input *in)
{
    if (!in)
        return;
    rr_dist_free(&in->dist);
    rr_expr_free(in->expr);
    free(in->text);
    free_schedule(in->schedule);
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

/* "A to B", with blanks around "to". Returns 1 when the text has that shape; then *err is
 * NULL, or the message of the side that is not a number (*bad_side 0 for A, 1 for B) whose
 * text starts *bad_at bytes into s. */
static int parse_range(const char *s, double *a, double *b, const char **err, int *bad_side,
                       size_t *bad_at, char *bad_text, size_t bad_size)
{
    const char *s0 = s;
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
    *bad_side = 0;
    *bad_at = (size_t)(s - s0);
    snprintf(bad_text, bad_size, "%s", left);
    *err = rr_parse_number(&na, a);
    if (!*err) {
        *bad_side = 1;
        *bad_at = (size_t)(r - s0);
        snprintf(bad_text, bad_size, "%s", right);
        *err = rr_parse_number(&nb, b);
    }
    return 1;
}

typedef struct param_spec {
    const char *name;
    const char *keys[3];
} param_spec;

/* The parameter a person meant by an unknown one: the nearest of keys (a lognormal's keys
 * being all three of its forms), or the usual name of a synonym (stdev for sd, mu for mean
 * or median, lo for min, lambda for a Poisson's mean); NULL when none is close. */
static const char *param_hint(const char *dist, const char *word, const char *const *keys,
                              size_t nkeys)
{
    static const char *const lognormal[] = { "median", "sigma", "mean", "sd", "p5", "p95",
                                             NULL };
    static const struct {
        const char *alias, *key;
    } synonyms[] = {
        { "stdev", "sd" },        { "stddev", "sd" },     { "std", "sd" },
        { "std_dev", "sd" },      { "deviation", "sd" },  { "standard_deviation", "sd" },
        { "sigma", "sd" },        { "mu", "mean" },       { "mu", "median" },
        { "average", "mean" },    { "avg", "mean" },      { "expected", "mean" },
        { "lambda", "mean" },     { "rate", "mean" },     { "lo", "min" },
        { "low", "min" },         { "minimum", "min" },   { "hi", "max" },
        { "high", "max" },        { "maximum", "max" },   { "likely", "mode" },
        { "most_likely", "mode" }, { "peak", "mode" },    { "prob", "p" },
        { "probability", "p" },   { "alpha", "a" },       { "beta", "b" },
        { "alpha", "shape" },     { "k", "shape" },       { "theta", "scale" },
        { "p05", "p5" },          { "p_5", "p5" },        { "p_95", "p95" },
    };
    const char *own[8] = { NULL };
    for (size_t c = 0; c < nkeys && c < 7; c++)
        own[c] = keys[c];
    /* The keys of the form read first, then (a lognormal) those of its other forms; in each,
     * a synonym first: "mu" is one edit from nothing useful but means mean or median. */
    const char *const *sets[2] = { own, strcmp(dist, "lognormal") == 0 ? lognormal : NULL };
    for (int t = 0; t < 2 && sets[t]; t++) {
        for (size_t i = 0; i < sizeof synonyms / sizeof *synonyms; i++) {
            if (strcasecmp(word, synonyms[i].alias) != 0)
                continue;
            for (size_t c = 0; sets[t][c]; c++)
                if (strcmp(sets[t][c], synonyms[i].key) == 0)
                    return sets[t][c];
        }
        const char *hint = rr_suggest(word, sets[t]);
        if (hint)
            return hint;
    }
    return NULL;
}

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
    const char *suggested[8] = { NULL };   /* a missing key already suggested is not repeated */
    size_t nsuggested = 0;
    for (size_t i = 0; i + 1 < m->n; i += 2) {
        const rr_node *k = m->items[i];
        size_t j = 0;
        while (j < nkeys && strcmp(k->str, keys[j]) != 0)
            j++;
        if (j == nkeys) {
            const char *hint = param_hint(dist, k->str, keys, nkeys);
            if (hint && nsuggested < 8)
                suggested[nsuggested++] = hint;
            rr_diags_add(diags, k->line, k->col, "%s: unknown %s parameter '%s'%s%s%s", path,
                         dist, k->str, hint ? " (did you mean '" : "", hint ? hint : "",
                         hint ? "'?)" : "");
            bad = 1;
        }
    }
    for (size_t j = 0; j < nkeys; j++) {
        const rr_node *x = rr_node_get(m, keys[j]);
        if (!x) {
            int said = 0;
            for (size_t i = 0; i < nsuggested; i++)
                said |= strcmp(suggested[i], keys[j]) == 0;
            if (!said)
                rr_diags_add(diags, m->line, m->col, "%s: %s needs '%s'", path, dist, keys[j]);
            bad = 1;
            continue;
        }
        const char *e = rr_parse_number(x, &v[j]);
        if (e) {
            char hint[160] = "";
            if (x->kind == RR_NODE_SCALAR)
                rr_number_hint(x->str, hint, sizeof hint);
            rr_diags_add(diags, x->line, x->col, "%s: %s.%s: %s, got %s%s%s%s", path, dist,
                         keys[j], e, x->kind == RR_NODE_SCALAR ? "'" : "",
                         x->kind == RR_NODE_SCALAR ? x->str : rr_node_kind_name(x),
                         x->kind == RR_NODE_SCALAR ? "'" : "", hint);
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
            char hint[160] = "";
            if (s->items[i]->kind == RR_NODE_SCALAR)
                rr_number_hint(s->items[i]->str, hint, sizeof hint);
            rr_diags_add(diags, s->items[i]->line, s->items[i]->col,
                         "%s: discrete.%s[%zu]: %s%s", path, what, i, e, hint);
            free(v);
            return -1;
        }
    }
    *out = v;
    return (long)s->n;
}

const char *const rr_input_dist_keys[] = { "normal", "lognormal", "uniform", "triangular",
                                           "pert", "beta", "gamma", "poisson", "bernoulli",
                                           "discrete", "vary", "clamp", NULL };
static const char *const *const dist_keys = rr_input_dist_keys;

/* The parameters parse_dist_map reads (keys.h); tests/schema.sh checks every form. */
const rr_dist_form rr_input_dist_forms[] = {
    { "normal", { "mean", "sd", NULL } },
    { "lognormal", { "p5", "p95", NULL } },
    { "lognormal", { "median", "sigma", NULL } },
    { "lognormal", { "mean", "sd", NULL } },
    { "uniform", { "min", "max", NULL } },
    { "triangular", { "min", "mode", "max", NULL } },
    { "pert", { "min", "mode", "max", NULL } },
    { "beta", { "a", "b", NULL } },
    { "gamma", { "shape", "scale", NULL } },
    { "poisson", { "mean", NULL } },
    { "bernoulli", { "p", NULL } },
    { "discrete", { "values", "weights", NULL } },
    { NULL, { NULL } },
};

int rr_input_is_value_map(const rr_node *n)
{
    if (n->kind != RR_NODE_MAP)
        return 0;
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        if (strcmp(n->items[i]->str, "schedule") == 0)
            return 1;
        for (size_t k = 0; dist_keys[k]; k++)
            if (strcmp(n->items[i]->str, dist_keys[k]) == 0)
                return 1;
    }
    return 0;
}

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
        /* The form is the one any of whose keys is given. */
        if (dn->kind == RR_NODE_MAP && (rr_node_get(dn, "median") || rr_node_get(dn, "sigma"))) {
            PARAMS("median", "sigma");
            e = rr_dist_init_lognormal_median(d, p[0], p[1]);
        } else if (dn->kind == RR_NODE_MAP && (rr_node_get(dn, "mean") || rr_node_get(dn, "sd"))) {
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

void rr_domain_bounds(rr_domain dom, double *lo, double *hi)
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

int rr_input_check_constant(double v, const char *path, rr_domain domain, unsigned flags,
                            int line, int col, rr_diags *diags)
{
    double lo, hi;
    rr_domain_bounds(domain, &lo, &hi);
    if ((flags & RR_IN_POSITIVE) && !(v > 0)) {
        rr_diags_add(diags, line, col, "%s: must be > 0, got %g", path, v);
        return -1;
    }
    if (v < lo || v > hi) {
        rr_diags_add(diags, line, col, "%s: must be %s, got %g", path, domain_text(domain), v);
        return -1;
    }
    if ((flags & RR_IN_INTEGER) && v != floor(v)) {
        rr_diags_add(diags, line, col, "%s: expected a whole number, got %g", path, v);
        return -1;
    }
    return 0;
}

/* A string that is neither a number nor "A to B": an expression.  Its text and where its
 * first character is are kept for messages (a quoted scalar starts one column further). */
static int parse_expression(rr_input *in, const rr_node *node, const char *path,
                            rr_diags *diags)
{
    char err[192];
    size_t at = 0;
    in->text_line = node->line;
    in->text_col = node->col + (node->quoted ? 1 : 0);
    in->expr = rr_expr_parse(node->str, err, sizeof err, &at);
    if (!in->expr) {
        rr_diags_add(diags, in->text_line, rr_input_text_col(in, at), "%s: %s in \"%.*s%s\"",
                     path, err, RR_EXPR_SHOW(node->str));
        return -1;
    }
    if (!(in->text = strdup(node->str))) {
        rr_diags_add(diags, node->line, node->col, "out of memory");
        return -1;
    }
    return 0;
}

static void free_schedule(rr_schedule *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n; i++) {
        rr_input_free(&sc->e[i].value);
        free(sc->e[i].key);
    }
    free(sc->e);
    free(sc);
}

/* {schedule: {KEY: VALUE, ...}}: the entries as written; the scenario turns the keys into
 * months and checks their order. */
static int parse_schedule(rr_input *in, const rr_node *m, const char *path, rr_domain domain,
                          unsigned flags, rr_diags *diags)
{
    if (m->n != 2) {
        rr_diags_add(diags, m->line, m->col, "%s: a schedule is {schedule: {KEY: VALUE, ...}} "
                     "and nothing beside it (vary and clamp go inside its values)", path);
        return -1;
    }
    const rr_node *map = m->items[1];
    if (map->kind != RR_NODE_MAP || map->n == 0) {
        rr_diags_add(diags, map->line, map->col, "%s: schedule: expected a mapping of months "
                     "to values, e.g. {2027-01: 4.00, 2027-07: 3.20}", path);
        return -1;
    }
    rr_schedule *sc = calloc(1, sizeof *sc);
    if (!sc || !(sc->e = calloc(map->n / 2, sizeof *sc->e))) {
        free(sc);
        rr_diags_add(diags, m->line, m->col, "out of memory");
        return -1;
    }
    in->schedule = sc;
    int bad = 0;
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const rr_node *k = map->items[i], *v = map->items[i + 1];
        rr_schedule_entry *e = &sc->e[sc->n++];
        e->line = k->line;
        e->col = k->col;
        char sub[256];
        snprintf(sub, sizeof sub, "%s.schedule.%s", path, k->str);
        if (!(e->key = strdup(k->str))) {
            rr_diags_add(diags, k->line, k->col, "out of memory");
            return -1;
        }
        if (v->kind == RR_NODE_MAP && rr_node_get(v, "schedule")) {
            rr_diags_add(diags, v->line, v->col, "%s: a schedule's value cannot be a schedule",
                         sub);
            bad = 1;
        } else if (rr_input_parse(&e->value, v, sub, domain, flags & ~RR_IN_REQUIRED,
                                  diags) != 0) {
            bad = 1;
        }
    }
    return bad ? -1 : 0;
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
    in->domain = domain;
    in->flags = flags;

    int rc = 0;
    if (node->kind == RR_NODE_SCALAR) {
        double v = 0, a = 0, b = 0;
        const char *e = rr_parse_number(node, &v), *re = NULL;
        int side = 0;
        size_t at = 0;
        char side_text[64], hint[160];
        if (!e) {
            rr_dist_init_const(&in->dist, v);
        } else if (!(flags & RR_IN_PLAIN) &&
                   parse_range(node->str, &a, &b, &re, &side, &at, side_text,
                               sizeof side_text)) {
            if (re) {
                /* Point at the side that is wrong, on a scalar written on one line. */
                rr_number_hint(side_text, hint, sizeof hint);
                int col = node->col;
                if (!strchr(node->str, '\n'))
                    col += (int)at + (node->quoted ? 1 : 0);
                rr_diags_add(diags, node->line, col, "%s: \"A to B\": its %s side: %s, got "
                             "'%s'%s", path, side ? "B" : "A", re, side_text, hint);
                rc = -1;
            } else if (!(a > 0 && a < b)) {
                rr_diags_add(diags, node->line, node->col, "%s: \"A to B\" needs 0 < A < B, "
                             "got '%s'", path, node->str);
                rc = -1;
            } else {
                rr_dist_init_lognormal_p5p95(&in->dist, a, b);
                in->dist.user_form = 3;
            }
        } else if (strcmp(e, "expected a number") == 0 && !(flags & RR_IN_PLAIN) &&
                   !*rr_number_hint(node->str, hint, sizeof hint)) {
            rc = parse_expression(in, node, path, diags);
        } else {
            rr_number_hint(node->str, hint, sizeof hint);
            if (strcmp(e, "expected a number") == 0)
                rr_diags_add(diags, node->line, node->col, "%s: expected %s, got '%s'%s", path,
                             flags & RR_IN_PLAIN ? "a plain number"
                                                 : "a number, \"A to B\", an expression or "
                                                   "a distribution",
                             node->str, hint);
            else
                rr_diags_add(diags, node->line, node->col, "%s: %s, got '%s'", path, e,
                             node->str);
            rc = -1;
        }
    } else if (node->kind == RR_NODE_MAP && !(flags & RR_IN_PLAIN) &&
               rr_node_get(node, "schedule")) {
        rc = parse_schedule(in, node, path, domain, flags, diags);
    } else if (node->kind == RR_NODE_MAP && !(flags & RR_IN_PLAIN)) {
        rc = parse_dist_map(in, node, path, diags);
    } else {
        rr_diags_add(diags, node->line, node->col, "%s: expected %s, got %s", path,
                     flags & RR_IN_PLAIN ? "a plain number"
                                         : "a number, \"A to B\", an expression or a "
                                           "distribution mapping",
                     rr_node_kind_name(node));
        rc = -1;
    }
    if (rc != 0) {
        rr_dist_free(&in->dist);
        return -1;
    }
    if (in->expr || in->schedule)
        return 0;   /* checked once names and months are known (scenario) */

    double lo, hi;
    rr_domain_bounds(domain, &lo, &hi);
    if (rr_input_is_const(in))
        return rr_input_check_constant(in->dist.p[0], path, domain, flags, node->line,
                                       node->col, diags);
    rr_dist_clamp(&in->dist, lo, hi);
    if (in->dist.lo > in->dist.hi) {
        rr_diags_add(diags, node->line, node->col, "%s: clamp lies outside the values "
                     "allowed (%s)", path, domain_text(domain));
        rr_dist_free(&in->dist);
        return -1;
    }
    return 0;
}
