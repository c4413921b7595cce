/* expr: the expressions of a scenario, parsed into a tree that keeps where each token was.
 *
 * Grammar (lowest precedence first; every binary operator but ^ is left-associative):
 *
 *   expr    := add (("<" | "<=" | ">" | ">=" | "==" | "!=") add)*    1 or 0
 *   add     := mul (("+" | "-") mul)*
 *   mul     := unary (("*" | "/") unary)*
 *   unary   := ("-" | "+") unary | power                             -2^2 is -4
 *   power   := primary ("^" unary)?                                   right-associative
 *   primary := NUMBER | NAME | NAME "(" expr ("," expr)* ")" | "(" expr ")"
 *
 * NUMBER is a decimal number as the format writes one (12, 0.02, 1e6); NAME is
 * [A-Za-z_][A-Za-z0-9_]*, or two such joined by a dot (requests.STREAM): a variable, a
 * built-in (month, calendar_month, year, days, requests, requests.STREAM) or, before "(", a
 * function: min(a, b, ...), max(...), clamp(x, lo, hi),
 * if(cond, a, b), exp, log, sqrt, ceil, floor, round (one argument each).  `to` is reserved:
 * a string "A to B" is always a range.  Names are resolved by the scenario (variables) after
 * parsing; a tree is evaluated by engine/sample/program.  Arithmetic is IEEE double's: a
 * division by 0 is infinite, log(0) is -infinite, and a comparison with NaN is NaN (not 0),
 * so that a fault is never hidden by a comparison.
 *
 * Thread safety: a parsed tree is read-only.
 */
#ifndef RR_EXPR_H
#define RR_EXPR_H

#include <stddef.h>
#include <string.h>

/* Limits of one expression: its numbers, names and operators, and the nesting of its
 * parentheses, calls and unary operators (each costs recursion when parsed, folded and
 * compiled). */
#define RR_EXPR_MAX_NODES 1000
#define RR_EXPR_MAX_DEPTH 64

/* An expression's text in a message: "%.*s%s" with RR_EXPR_SHOW(text), at most
 * RR_EXPR_SHOWN characters of it and "..." when cut. */
#define RR_EXPR_SHOWN 80
#define RR_EXPR_SHOW(t) RR_EXPR_SHOWN, (t), strlen(t) > RR_EXPR_SHOWN ? "..." : ""

typedef enum rr_expr_op {
    RR_X_NUM, RR_X_NAME, RR_X_NEG,
    RR_X_ADD, RR_X_SUB, RR_X_MUL, RR_X_DIV, RR_X_POW,
    RR_X_LT, RR_X_LE, RR_X_GT, RR_X_GE, RR_X_EQ, RR_X_NE,
    RR_X_CALL
} rr_expr_op;

/* X(ID, name, least arguments, most arguments (0: any)) */
#define RR_EXPR_FUNCTIONS(X)                                                                 \
    X(RR_FN_MIN, "min", 1, 0) X(RR_FN_MAX, "max", 1, 0) X(RR_FN_CLAMP, "clamp", 3, 3)       \
    X(RR_FN_IF, "if", 3, 3) X(RR_FN_EXP, "exp", 1, 1) X(RR_FN_LOG, "log", 1, 1)             \
    X(RR_FN_SQRT, "sqrt", 1, 1) X(RR_FN_CEIL, "ceil", 1, 1) X(RR_FN_FLOOR, "floor", 1, 1)   \
    X(RR_FN_ROUND, "round", 1, 1)

typedef enum rr_expr_fn {
#define RR_X(id, name, lo, hi) id,
    RR_EXPR_FUNCTIONS(RR_X)
#undef RR_X
    RR_NFN
} rr_expr_fn;

/* X(ID, name, needs `start`) */
#define RR_EXPR_BUILTINS(X)                                                                  \
    X(RR_B_MONTH, "month", 0) X(RR_B_CALENDAR_MONTH, "calendar_month", 1)                   \
    X(RR_B_YEAR, "year", 1) X(RR_B_DAYS, "days", 0) X(RR_B_REQUESTS, "requests", 0)

typedef enum rr_expr_builtin {
#define RR_X(id, name, start) id,
    RR_EXPR_BUILTINS(RR_X)
#undef RR_X
    RR_NBUILTIN
} rr_expr_builtin;

typedef struct rr_expr rr_expr;
struct rr_expr {
    rr_expr_op op;
    double num;                  /* RR_X_NUM */
    char *name;                  /* RR_X_NAME, RR_X_CALL: owned */
    rr_expr_fn fn;               /* RR_X_CALL */
    rr_expr **arg;               /* operands or arguments, owned */
    size_t narg;
    size_t at;                   /* byte offset of its token in the text */
    /* Set when names are resolved (RR_X_NAME): a built-in, or a variable's index. */
    int builtin;                 /* an rr_expr_builtin, or -1 */
    int var;                     /* a variable's index, or -1 */
    int stream;                  /* RR_B_REQUESTS: the demand stream's index */
};

/* The arithmetic of every operator and function, the one definition that folding (below)
 * and evaluation (engine/sample/program) share.  NaN propagates through min and max; a
 * comparison is 1 or 0; round is half away from zero (C's round). */
static inline double rr_expr_min2(double a, double b)
{
    return a != a || b != b ? a + b : a < b ? a : b;
}
static inline double rr_expr_max2(double a, double b)
{
    return a != a || b != b ? a + b : a > b ? a : b;
}
static inline double rr_expr_clamp(double x, double lo, double hi)
{
    return rr_expr_min2(rr_expr_max2(x, lo), hi);
}
/* A comparison: 1 or 0, and NaN where either side is NaN (a fault stays a fault). */
#define RR_EXPR_CMP(name, op)                                                                \
    static inline double name(double a, double b)                                           \
    {                                                                                        \
        return a != a || b != b ? a + b : (double)(a op b);                                  \
    }
RR_EXPR_CMP(rr_expr_lt, <)
RR_EXPR_CMP(rr_expr_le, <=)
RR_EXPR_CMP(rr_expr_gt, >)
RR_EXPR_CMP(rr_expr_ge, >=)
RR_EXPR_CMP(rr_expr_eq, ==)
RR_EXPR_CMP(rr_expr_ne, !=)
#undef RR_EXPR_CMP

/* if(c, a, b): a where c is not 0, b where it is; NaN where c is NaN. */
static inline double rr_expr_if(double c, double a, double b)
{
    return c != c ? c : c != 0 ? a : b;
}

/* What folding needs to know: the constant value of each variable that has one. */
typedef struct rr_expr_env {
    const double *value;         /* by variable index */
    const int *known;            /* by variable index: 1 where value holds its constant */
    int has_start;               /* days is a constant without `start` */
} rr_expr_env;

/* The value of e when it is the same on every path and month (numbers, constant variables,
 * `days` without `start`; `if` with a constant condition folds its branch only): 1 and
 * *out, or 0. */
int rr_expr_fold(const rr_expr *e, const rr_expr_env *env, double *out);
/* 730 / 24: the days of a month without `start`, the month compute's 730 hours assume. */
#define RR_EXPR_DAYS_DEFAULT (730.0 / 24.0)

/* Parse text.  Returns the tree, or NULL with a message in err (err_size bytes) and the
 * byte offset of the offending token in *at. */
rr_expr *rr_expr_parse(const char *text, char *err, size_t err_size, size_t *at);
void rr_expr_free(rr_expr *e);   /* accepts NULL */
rr_expr *rr_expr_copy(const rr_expr *e);   /* NULL when out of memory */

/* Names for messages and suggestions: function, built-in. */
const char *rr_expr_fn_name(rr_expr_fn f);
const char *rr_expr_builtin_name(rr_expr_builtin b);
int rr_expr_builtin_needs_start(rr_expr_builtin b);
/* The built-in of a name, or -1. */
int rr_expr_builtin_find(const char *name);
/* Whether s is a name an expression can read: [A-Za-z_][A-Za-z0-9_]*, at most max long. */
int rr_expr_is_name(const char *s, size_t max);
/* Whether a name is reserved: a built-in, a function or `to`. */
int rr_expr_reserved(const char *name);

#endif
