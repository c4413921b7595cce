/* expr: a recursive-descent parser of the grammar in expr.h, one token of lookahead. */
#include "scenario/expr.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    size_t lo, hi;
} functions[RR_NFN] = {
#define RR_X(id, name, lo, hi) { name, lo, hi },
    RR_EXPR_FUNCTIONS(RR_X)
#undef RR_X
};

static const struct {
    const char *name;
    int start;
} builtins[RR_NBUILTIN] = {
#define RR_X(id, name, start) { name, start },
    RR_EXPR_BUILTINS(RR_X)
#undef RR_X
};

const char *rr_expr_fn_name(rr_expr_fn f)
{
    return (unsigned)f < RR_NFN ? functions[f].name : "?";
}

const char *rr_expr_builtin_name(rr_expr_builtin b)
{
    return (unsigned)b < RR_NBUILTIN ? builtins[b].name : "?";
}

int rr_expr_builtin_needs_start(rr_expr_builtin b)
{
    return (unsigned)b < RR_NBUILTIN && builtins[b].start;
}

int rr_expr_builtin_find(const char *name)
{
    for (int i = 0; i < RR_NBUILTIN; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return i;
    return -1;
}

static int fn_find(const char *name)
{
    for (int i = 0; i < RR_NFN; i++)
        if (strcmp(functions[i].name, name) == 0)
            return i;
    return -1;
}

int rr_expr_is_name(const char *s, size_t max)
{
    if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    size_t n = 0;
    for (; s[n]; n++)
        if (!(isalnum((unsigned char)s[n]) || s[n] == '_'))
            return 0;
    return n <= max;
}

int rr_expr_reserved(const char *name)
{
    return rr_expr_builtin_find(name) >= 0 || fn_find(name) >= 0 || strcmp(name, "to") == 0;
}

/* ---- tokens ---- */

typedef enum tok_kind { T_END, T_NUM, T_NAME, T_OP, T_LPAR, T_RPAR, T_COMMA, T_BAD } tok_kind;

typedef struct parser {
    const char *s;
    size_t pos;              /* where the next token starts scanning */
    tok_kind kind;           /* the current token */
    size_t at, len;          /* its offset and length */
    double num;
    char *err;
    size_t err_size, err_at;
    int failed;
    size_t nodes;            /* made so far */
    int depth;               /* nesting of parentheses, calls and unary operators */
} parser;

static void next(parser *p)
{
    const char *s = p->s;
    while (s[p->pos] && isspace((unsigned char)s[p->pos]))
        p->pos++;
    p->at = p->pos;
    char c = s[p->pos];
    if (!c) {
        p->kind = T_END;
        p->len = 0;
        return;
    }
    if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)s[p->pos + 1]))) {
        char *end;
        errno = 0;
        p->num = strtod(s + p->pos, &end);
        p->len = (size_t)(end - (s + p->pos));
        /* A letter straight after a number (60k, 2x) is not a number of the format. */
        p->kind = isalpha((unsigned char)*end) || *end == '_' || errno == ERANGE ? T_BAD : T_NUM;
        if (p->kind == T_BAD)
            while (isalnum((unsigned char)s[p->pos + p->len]) || s[p->pos + p->len] == '_')
                p->len++;
        p->pos += p->len;
        return;
    }
    if (isalpha((unsigned char)c) || c == '_') {
        size_t n = 0;
        while (isalnum((unsigned char)s[p->pos + n]) || s[p->pos + n] == '_')
            n++;
        /* A dotted name: requests.STREAM. */
        if (s[p->pos + n] == '.' &&
            (isalpha((unsigned char)s[p->pos + n + 1]) || s[p->pos + n + 1] == '_')) {
            n++;
            while (isalnum((unsigned char)s[p->pos + n]) || s[p->pos + n] == '_')
                n++;
        }
        p->kind = T_NAME;
        p->len = n;
        p->pos += n;
        return;
    }
    static const char *const ops[] = { "<=", ">=", "==", "!=", "<", ">", "+", "-", "*", "/",
                                       "^", NULL };
    for (size_t i = 0; ops[i]; i++) {
        size_t n = strlen(ops[i]);
        if (strncmp(s + p->pos, ops[i], n) == 0) {
            p->kind = T_OP;
            p->len = n;
            p->pos += n;
            return;
        }
    }
    p->kind = c == '(' ? T_LPAR : c == ')' ? T_RPAR : c == ',' ? T_COMMA : T_BAD;
    p->len = 1;
    p->pos++;
}

static int is_op(const parser *p, const char *op)
{
    return p->kind == T_OP && p->len == strlen(op) && strncmp(p->s + p->at, op, p->len) == 0;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static rr_expr *fail(parser *p, size_t at, const char *fmt, ...)
{
    if (!p->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err, p->err_size, fmt, ap);
        va_end(ap);
        p->err_at = at;
        p->failed = 1;
    }
    return NULL;
}

/* What the current token is, quoted, for messages. */
static const char *token_text(const parser *p, char *buf, size_t size)
{
    if (p->kind == T_END)
        snprintf(buf, size, "the end");
    else
        snprintf(buf, size, "'%.*s'", (int)(p->len < 32 ? p->len : 32), p->s + p->at);
    return buf;
}

static rr_expr *node(parser *p, rr_expr_op op, size_t at, size_t narg)
{
    if (++p->nodes > RR_EXPR_MAX_NODES)
        return fail(p, at, "too long: at most %d numbers, names and operators",
                    RR_EXPR_MAX_NODES);
    rr_expr *e = calloc(1, sizeof *e);
    if (e && narg && !(e->arg = calloc(narg, sizeof *e->arg))) {
        free(e);
        e = NULL;
    }
    if (!e)
        return fail(p, at, "out of memory");
    e->op = op;
    e->at = at;
    e->narg = narg;
    e->builtin = -1;
    e->var = -1;
    e->stream = -1;
    return e;
}

static rr_expr *parse_expr(parser *p);
static rr_expr *parse_unary(parser *p);

static rr_expr *binary(parser *p, rr_expr_op op, size_t at, rr_expr *a, rr_expr *b)
{
    if (!a || !b) {
        rr_expr_free(a);
        rr_expr_free(b);
        return NULL;
    }
    rr_expr *e = node(p, op, at, 2);
    if (!e) {
        rr_expr_free(a);
        rr_expr_free(b);
        return NULL;
    }
    e->arg[0] = a;
    e->arg[1] = b;
    return e;
}

static rr_expr *parse_call(parser *p, size_t at, char *name)
{
    int fn = fn_find(name);
    if (fn < 0) {
        fail(p, at, "unknown function '%s' (the functions: min, max, clamp, if, exp, log, "
                    "sqrt, ceil, floor, round)", name);
        free(name);
        return NULL;
    }
    next(p);   /* ( */
    rr_expr *args[64];
    size_t n = 0;
    char t[48];
    if (p->kind != T_RPAR) {
        for (;;) {
            rr_expr *a = parse_expr(p);
            if (!a)
                break;
            if (n == 64) {
                rr_expr_free(a);
                fail(p, p->at, "%s: at most 64 arguments", name);
                break;
            }
            args[n++] = a;
            if (p->kind != T_COMMA)
                break;
            next(p);
        }
    }
    if (!p->failed && p->kind != T_RPAR)
        fail(p, p->at, "expected ',' or ')' in %s(...), found %s", name,
             token_text(p, t, sizeof t));
    if (!p->failed && (n < functions[fn].lo || (functions[fn].hi && n > functions[fn].hi))) {
        if (functions[fn].lo == functions[fn].hi)
            fail(p, at, "%s takes %zu argument%s, got %zu", name, functions[fn].lo,
                 functions[fn].lo == 1 ? "" : "s", n);
        else
            fail(p, at, "%s takes at least %zu argument%s, got %zu", name, functions[fn].lo,
                 functions[fn].lo == 1 ? "" : "s", n);
    }
    rr_expr *e = p->failed ? NULL : node(p, RR_X_CALL, at, n);
    if (!e) {
        for (size_t i = 0; i < n; i++)
            rr_expr_free(args[i]);
        free(name);
        return NULL;
    }
    next(p);   /* ) */
    e->fn = (rr_expr_fn)fn;
    e->name = name;
    if (n)
        memcpy(e->arg, args, n * sizeof *args);
    return e;
}

static rr_expr *parse_primary(parser *p)
{
    char t[48];
    size_t at = p->at;
    if (p->kind == T_NUM) {
        rr_expr *e = node(p, RR_X_NUM, at, 0);
        if (e)
            e->num = p->num;
        next(p);
        return e;
    }
    if (p->kind == T_NAME) {
        char *name = strndup(p->s + p->at, p->len);
        if (!name)
            return fail(p, at, "out of memory");
        next(p);
        if (p->kind == T_LPAR)
            return parse_call(p, at, name);
        if (strcmp(name, "to") == 0) {
            free(name);
            return fail(p, at, "'to' is reserved for ranges \"A to B\", which take two "
                               "numbers");
        }
        if (fn_find(name) >= 0) {
            fail(p, at, "%s is a function: write %s(...)", name, name);
            free(name);
            return NULL;
        }
        rr_expr *e = node(p, RR_X_NAME, at, 0);
        if (!e) {
            free(name);
            return NULL;
        }
        e->name = name;
        return e;
    }
    if (p->kind == T_LPAR) {
        next(p);
        rr_expr *e = parse_expr(p);
        if (e && p->kind != T_RPAR) {
            rr_expr_free(e);
            /* At the '(' that is left open: the place to fix. */
            return fail(p, at, "this '(' is not closed: expected ')', found %s",
                        token_text(p, t, sizeof t));
        }
        if (e)
            next(p);
        return e;
    }
    if (p->kind == T_BAD)
        return fail(p, at, "%s is not a number, a name or an operator", token_text(p, t, sizeof t));
    return fail(p, at, "expected a number, a name or '(', found %s", token_text(p, t, sizeof t));
}

static rr_expr *parse_power(parser *p)
{
    rr_expr *a = parse_primary(p);
    if (!a || !is_op(p, "^"))
        return a;
    size_t at = p->at;
    next(p);
    return binary(p, RR_X_POW, at, a, parse_unary(p));
}

static rr_expr *parse_unary(parser *p)
{
    if (is_op(p, "-") || is_op(p, "+")) {
        int neg = is_op(p, "-");
        size_t at = p->at;
        next(p);
        if (p->depth >= RR_EXPR_MAX_DEPTH)
            return fail(p, at, "nested too deeply: at most %d levels", RR_EXPR_MAX_DEPTH);
        p->depth++;
        rr_expr *a = parse_unary(p);
        p->depth--;
        if (!a || !neg)
            return a;
        rr_expr *e = node(p, RR_X_NEG, at, 1);
        if (!e) {
            rr_expr_free(a);
            return NULL;
        }
        e->arg[0] = a;
        return e;
    }
    return parse_power(p);
}

static rr_expr *parse_mul(parser *p)
{
    rr_expr *a = parse_unary(p);
    while (a && (is_op(p, "*") || is_op(p, "/"))) {
        rr_expr_op op = is_op(p, "*") ? RR_X_MUL : RR_X_DIV;
        size_t at = p->at;
        next(p);
        a = binary(p, op, at, a, parse_unary(p));
    }
    return a;
}

static rr_expr *parse_add(parser *p)
{
    rr_expr *a = parse_mul(p);
    while (a && (is_op(p, "+") || is_op(p, "-"))) {
        rr_expr_op op = is_op(p, "+") ? RR_X_ADD : RR_X_SUB;
        size_t at = p->at;
        next(p);
        a = binary(p, op, at, a, parse_mul(p));
    }
    return a;
}

static rr_expr *parse_expr_at(parser *p);

/* Every nested expression (parentheses, arguments, unary operands) comes through here:
 * the recursion stays within RR_EXPR_MAX_DEPTH. */
static rr_expr *parse_expr(parser *p)
{
    if (p->depth >= RR_EXPR_MAX_DEPTH)
        return fail(p, p->at, "nested too deeply: at most %d levels", RR_EXPR_MAX_DEPTH);
    p->depth++;
    rr_expr *e = parse_expr_at(p);
    p->depth--;
    return e;
}

static rr_expr *parse_expr_at(parser *p)
{
    static const struct {
        const char *op;
        rr_expr_op code;
    } cmp[] = { { "<=", RR_X_LE }, { ">=", RR_X_GE }, { "==", RR_X_EQ }, { "!=", RR_X_NE },
                { "<", RR_X_LT },  { ">", RR_X_GT } };
    rr_expr *a = parse_add(p);
    for (;;) {
        size_t k = 0;
        while (a && k < sizeof cmp / sizeof *cmp && !is_op(p, cmp[k].op))
            k++;
        if (!a || k == sizeof cmp / sizeof *cmp)
            return a;
        size_t at = p->at;
        next(p);
        a = binary(p, cmp[k].code, at, a, parse_add(p));
    }
}

rr_expr *rr_expr_parse(const char *text, char *err, size_t err_size, size_t *at)
{
    parser p = { .s = text, .err = err, .err_size = err_size };
    err[0] = '\0';
    next(&p);
    rr_expr *e = parse_expr(&p);
    char t[48];
    if (e && p.kind != T_END) {
        rr_expr_free(e);
        e = fail(&p, p.at, p.kind == T_RPAR ? "a ')' without its '('"
                                            : "expected an operator or the end, found %s",
                 token_text(&p, t, sizeof t));
    }
    if (!e && !p.failed)
        fail(&p, 0, "out of memory");
    *at = p.err_at;
    return e;
}

static double apply_fn(rr_expr_fn fn, const double *a, size_t n)
{
    if (n == 0)
        return NAN;   /* no function takes none: the parser refuses it */
    double r = a[0];
    switch (fn) {
    case RR_FN_MIN:
        for (size_t i = 1; i < n; i++)
            r = rr_expr_min2(r, a[i]);
        return r;
    case RR_FN_MAX:
        for (size_t i = 1; i < n; i++)
            r = rr_expr_max2(r, a[i]);
        return r;
    case RR_FN_CLAMP: return n == 3 ? rr_expr_clamp(a[0], a[1], a[2]) : NAN;
    case RR_FN_IF: return n == 3 ? rr_expr_if(a[0], a[1], a[2]) : NAN;
    case RR_FN_EXP: return exp(r);
    case RR_FN_LOG: return log(r);
    case RR_FN_SQRT: return sqrt(r);
    case RR_FN_CEIL: return ceil(r);
    case RR_FN_FLOOR: return floor(r);
    case RR_FN_ROUND: return round(r);
    case RR_NFN: break;
    }
    return NAN;
}

int rr_expr_fold(const rr_expr *e, const rr_expr_env *env, double *out)
{
    double a[64], b;
    switch (e->op) {
    case RR_X_NUM:
        *out = e->num;
        return 1;
    case RR_X_NAME:
        if (e->var >= 0 && env->known[e->var]) {
            *out = env->value[e->var];
            return 1;
        }
        if (e->builtin == RR_B_DAYS && !env->has_start) {
            *out = RR_EXPR_DAYS_DEFAULT;
            return 1;
        }
        return 0;
    case RR_X_NEG:
        if (!rr_expr_fold(e->arg[0], env, &a[0]))
            return 0;
        *out = -a[0];
        return 1;
    case RR_X_CALL:
        if (e->fn == RR_FN_IF) {
            /* Only the branch taken: a fault in the other is no fault. */
            if (!rr_expr_fold(e->arg[0], env, &a[0]))
                return 0;
            if (a[0] != a[0]) {
                *out = a[0];
                return 1;
            }
            return rr_expr_fold(e->arg[a[0] != 0 ? 1 : 2], env, out);
        }
        for (size_t i = 0; i < e->narg; i++)
            if (!rr_expr_fold(e->arg[i], env, &a[i]))
                return 0;
        *out = apply_fn(e->fn, a, e->narg);
        return 1;
    default:
        break;
    }
    if (!rr_expr_fold(e->arg[0], env, &a[0]) || !rr_expr_fold(e->arg[1], env, &b))
        return 0;
    double x = a[0];
    switch (e->op) {
    case RR_X_ADD: *out = x + b; break;
    case RR_X_SUB: *out = x - b; break;
    case RR_X_MUL: *out = x * b; break;
    case RR_X_DIV: *out = x / b; break;
    case RR_X_POW: *out = pow(x, b); break;
    case RR_X_LT: *out = rr_expr_lt(x, b); break;
    case RR_X_LE: *out = rr_expr_le(x, b); break;
    case RR_X_GT: *out = rr_expr_gt(x, b); break;
    case RR_X_GE: *out = rr_expr_ge(x, b); break;
    case RR_X_EQ: *out = rr_expr_eq(x, b); break;
    case RR_X_NE: *out = rr_expr_ne(x, b); break;
    default: return 0;
    }
    return 1;
}

void rr_expr_free(rr_expr *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->narg; i++)
        rr_expr_free(e->arg[i]);
    free(e->arg);
    free(e->name);
    free(e);
}

rr_expr *rr_expr_copy(const rr_expr *e)
{
    rr_expr *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = *e;
    c->name = NULL;
    c->arg = NULL;
    c->narg = 0;
    if ((e->name && !(c->name = strdup(e->name))) ||
        (e->narg && !(c->arg = calloc(e->narg, sizeof *c->arg)))) {
        rr_expr_free(c);
        return NULL;
    }
    for (size_t i = 0; i < e->narg; i++, c->narg++)
        if (!(c->arg[i] = rr_expr_copy(e->arg[i]))) {
            rr_expr_free(c);
            return NULL;
        }
    return c;
}
