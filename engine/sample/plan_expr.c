/* plan_expr: expressions and schedules compiled into programs (program.h).
 *
 * Each input that is an expression or a schedule becomes one computed value; each variable
 * one value, made on first use and shared by every expression that names it.  Compiling a
 * tree folds what is constant (the same rules as loading: expr.h), and lifts each part
 * that is the same in every month of a path (it reads only constants and values drawn once
 * per path) out of a program that runs every month into a program of its own that runs
 * once per path: a monthly expression costs only its monthly part each month.
 */
#include <stdlib.h>

#include "sample/plan_build.h"

/* ---- classes ---- */

static int max_class(int a, int b)
{
    return a > b ? a : b;
}

static int ref_class(const rr_plan_builder *b, rr_ref r)
{
    const rr_plan_value *v = &b->D->value[r];
    switch (v->kind) {
    case RR_VALUE_CONST: return RR_CLASS_CONST;
    case RR_VALUE_PATH: return RR_CLASS_PATH;
    case RR_VALUE_MONTHLY: return RR_CLASS_MONTHLY;
    default: return v->cls;
    }
}

/* Whether a schedule's entry ever applies: from a month within the horizon, and not before
 * the first month unless it is the one that holds at the start (the resolver left those
 * superseded before it below 0). */
static int entry_applies(const rr_plan_builder *b, const rr_schedule_entry *e)
{
    return e->month >= 0 && e->month < b->P->horizon;
}

static int input_class(rr_plan_builder *b, const rr_input *in);

static int expr_class(rr_plan_builder *b, const rr_expr *e)
{
    if (e->op == RR_X_NUM)
        return RR_CLASS_CONST;
    if (e->op == RR_X_NAME) {
        if (e->var >= 0)
            return ref_class(b, rr_plan_variable(b, (size_t)e->var));
        if (e->builtin == RR_B_REQUESTS)
            return RR_CLASS_DEMAND;
        if (e->builtin == RR_B_DAYS && !b->env.has_start)
            return RR_CLASS_CONST;
        return RR_CLASS_MONTHLY;
    }
    int c = RR_CLASS_CONST;
    for (size_t i = 0; i < e->narg; i++)
        c = max_class(c, expr_class(b, e->arg[i]));
    return c;
}

static int input_class(rr_plan_builder *b, const rr_input *in)
{
    if (in->expr)
        return expr_class(b, in->expr);
    if (in->schedule) {
        int c = RR_CLASS_CONST, n = 0;
        for (size_t i = 0; i < in->schedule->n; i++)
            if (entry_applies(b, &in->schedule->e[i])) {
                c = max_class(c, input_class(b, &in->schedule->e[i].value));
                n++;
            }
        return n > 1 ? max_class(c, RR_CLASS_MONTHLY) : c;
    }
    if (rr_input_is_const(in))
        return RR_CLASS_CONST;
    return in->vary == RR_VARY_MONTHLY ? RR_CLASS_MONTHLY : RR_CLASS_PATH;
}

/* ---- trees to instructions ---- */

static rr_operand ref_operand(rr_ref r)
{
    return (rr_operand){ RR_OPND_REF, r };
}

static rr_ref add_computed(rr_plan_builder *b, rr_program *pr, int cls, const rr_input *in,
                           int checked);
static rr_operand emit(rr_plan_builder *b, rr_program *pr, int pcls, const rr_input *in,
                       const rr_expr *e);

/* A part of a monthly program that is the same in every month: a program of its own. */
static rr_operand hoist(rr_plan_builder *b, const rr_input *in, const rr_expr *e)
{
    rr_program *pr = rr_program_new();
    if (!pr) {
        b->failed = 1;
        return (rr_operand){ RR_OPND_CONST, 0 };
    }
    rr_operand r = emit(b, pr, RR_CLASS_PATH, in, e);
    if (rr_program_finish(pr, r) != 0) {
        rr_program_free(pr);
        b->failed = 1;
        return (rr_operand){ RR_OPND_CONST, 0 };
    }
    return ref_operand(add_computed(b, pr, RR_CLASS_PATH, in, 0));
}

static const rr_prog_op binary_op[] = {
    [RR_X_ADD] = RR_P_ADD, [RR_X_SUB] = RR_P_SUB, [RR_X_MUL] = RR_P_MUL,
    [RR_X_DIV] = RR_P_DIV, [RR_X_POW] = RR_P_POW, [RR_X_LT] = RR_P_LT,
    [RR_X_LE] = RR_P_LE,   [RR_X_GT] = RR_P_GT,   [RR_X_GE] = RR_P_GE,
    [RR_X_EQ] = RR_P_EQ,   [RR_X_NE] = RR_P_NE,
};

static const rr_prog_op fn_op[RR_NFN] = {
    [RR_FN_MIN] = RR_P_MIN,   [RR_FN_MAX] = RR_P_MAX,     [RR_FN_CLAMP] = RR_P_CLAMP,
    [RR_FN_IF] = RR_P_IF,     [RR_FN_EXP] = RR_P_EXP,     [RR_FN_LOG] = RR_P_LOG,
    [RR_FN_SQRT] = RR_P_SQRT, [RR_FN_CEIL] = RR_P_CEIL,   [RR_FN_FLOOR] = RR_P_FLOOR,
    [RR_FN_ROUND] = RR_P_ROUND,
};

/* e's instructions in pr, a program of class pcls; returns its operand. */
static rr_operand emit(rr_plan_builder *b, rr_program *pr, int pcls, const rr_input *in,
                       const rr_expr *e)
{
    double v;
    if (rr_expr_fold(e, &b->env, &v))
        return rr_program_const(pr, v);
    if (e->op == RR_X_NAME) {
        if (e->var >= 0)
            return ref_operand(rr_plan_variable(b, (size_t)e->var));
        if (e->builtin == RR_B_REQUESTS)
            return (rr_operand){ RR_OPND_REQUESTS, (uint32_t)(e->stream > 0 ? e->stream : 0) };
        return (rr_operand){ RR_OPND_BUILTIN, (uint32_t)e->builtin };
    }
    if (pcls > RR_CLASS_PATH && expr_class(b, e) <= RR_CLASS_PATH)
        return hoist(b, in, e);
    rr_operand a[3], zero = { RR_OPND_CONST, 0 };
    if (e->op == RR_X_NEG)
        return rr_program_emit(pr, RR_P_NEG, emit(b, pr, pcls, in, e->arg[0]), zero, zero);
    if (e->op != RR_X_CALL) {
        a[0] = emit(b, pr, pcls, in, e->arg[0]);
        a[1] = emit(b, pr, pcls, in, e->arg[1]);
        return rr_program_emit(pr, binary_op[e->op], a[0], a[1], zero);
    }
    if (e->fn == RR_FN_MIN || e->fn == RR_FN_MAX) {
        /* Left to right, as folding takes them. */
        rr_operand acc = emit(b, pr, pcls, in, e->arg[0]);
        if (e->narg == 1)
            return rr_program_emit(pr, RR_P_COPY, acc, zero, zero);
        for (size_t i = 1; i < e->narg; i++)
            acc = rr_program_emit(pr, fn_op[e->fn], acc, emit(b, pr, pcls, in, e->arg[i]),
                                  zero);
        return acc;
    }
    for (size_t i = 0; i < 3; i++)
        a[i] = i < e->narg ? emit(b, pr, pcls, in, e->arg[i]) : zero;
    return rr_program_emit(pr, fn_op[e->fn], a[0], a[1], a[2]);
}

/* An input inside a program: a schedule's entry. */
static rr_operand emit_input(rr_plan_builder *b, rr_program *pr, int pcls, const rr_input *in)
{
    if (in->expr)
        return emit(b, pr, pcls, in, in->expr);
    if (rr_input_is_const(in))
        return rr_program_const(pr, in->dist.p[0]);
    return ref_operand(rr_plan_input(b, in, 0));
}

static rr_operand emit_schedule(rr_plan_builder *b, rr_program *pr, int pcls,
                                const rr_input *in)
{
    const rr_schedule *sc = in->schedule;
    rr_schedule_step *steps = calloc(sc->n, sizeof *steps);
    if (!steps) {
        b->failed = 1;
        return (rr_operand){ RR_OPND_CONST, 0 };
    }
    size_t n = 0;
    for (size_t i = 0; i < sc->n; i++)
        if (entry_applies(b, &sc->e[i]))
            steps[n++] = (rr_schedule_step){ sc->e[i].month,
                                             emit_input(b, pr, pcls, &sc->e[i].value) };
    rr_operand r = n == 1 ? steps[0].value : rr_program_schedule(pr, steps, n);
    free(steps);
    return r;
}

static rr_ref add_computed(rr_plan_builder *b, rr_program *pr, int cls, const rr_input *in,
                           int checked)
{
    rr_plan_draws *D = b->D;
    rr_ref ref = rr_plan_add_value(b, RR_VALUE_COMPUTED, NULL, 0, 0);
    rr_plan_value *v = &D->value[ref];
    v->prog = pr;
    v->cls = max_class(cls, RR_CLASS_PATH);
    v->checked = checked;
    v->src = in;
    rr_domain_bounds(checked ? in->domain : RR_DOMAIN_REAL, &v->lo, &v->hi);
    if (checked)
        b->P->computed[b->P->ncomputed++] = (rr_plan_computed){ ref, in };
    if (pr->nreg - 1 > D->nregs)
        D->nregs = pr->nreg - 1;
    const size_t H = (size_t)b->P->horizon;
    if (v->cls == RR_CLASS_PATH) {
        v->at = D->nvalues++;
    } else if (v->cls == RR_CLASS_MONTHLY) {
        v->at = D->nmonthly;
        D->nmonthly += H;
    } else {
        v->at = D->ndemand;
        D->ndemand += H;
    }
    return ref;
}

rr_ref rr_plan_input(rr_plan_builder *b, const rr_input *in, int checked)
{
    if (!in->expr && !in->schedule) {
        rr_value_kind kind = rr_input_is_const(in) ? RR_VALUE_CONST
                             : in->vary == RR_VARY_MONTHLY ? RR_VALUE_MONTHLY
                                                           : RR_VALUE_PATH;
        rr_ref ref = rr_plan_add_value(b, kind, &in->dist, in->stream, 0);
        if (kind == RR_VALUE_PATH) {
            rr_plan *P = b->P;
            P->drivers[P->ndrivers++] = (rr_plan_driver){ in, ref };
        }
        return ref;
    }
    const int cls = input_class(b, in);
    rr_program *pr = rr_program_new();
    if (!pr) {
        b->failed = 1;
        return rr_plan_add_value(b, RR_VALUE_CONST, &in->dist, 0, 0);
    }
    rr_operand r = in->schedule ? emit_schedule(b, pr, cls, in)
                                : emit(b, pr, cls, in, in->expr);
    /* A variable that is another's name is that one's values. */
    if (!checked && r.kind == RR_OPND_REF) {
        rr_program_free(pr);
        return r.i;
    }
    if (rr_program_finish(pr, r) != 0) {
        rr_program_free(pr);
        b->failed = 1;
        return rr_plan_add_value(b, RR_VALUE_CONST, &in->dist, 0, 0);
    }
    return add_computed(b, pr, cls, in, checked);
}

rr_ref rr_plan_variable(rr_plan_builder *b, size_t i)
{
    if (b->var_ref[i] == RR_REF_NONE)
        b->var_ref[i] = rr_plan_input(b, &b->P->s->vars[i].value, 0);
    return b->var_ref[i];
}

static size_t expr_nodes(const rr_expr *e)
{
    size_t n = 1;
    for (size_t i = 0; i < e->narg; i++)
        n += expr_nodes(e->arg[i]);
    return n;
}

size_t rr_plan_input_refs(const rr_input *in)
{
    size_t n = 1;
    if (in->expr)
        n += expr_nodes(in->expr);
    if (in->schedule)
        for (size_t i = 0; i < in->schedule->n; i++)
            n += rr_plan_input_refs(&in->schedule->e[i].value);
    return n;
}
