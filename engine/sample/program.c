/* program: building and running expressions over lanes. */
#include "sample/program.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/model.h"

enum { L = RR_LANES };

rr_program *rr_program_new(void)
{
    rr_program *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->nreg = 1;
    /* Constant 0 first: the operand that unary operations leave unused reads it. */
    rr_program_const(p, 0);
    if (p->failed) {
        rr_program_free(p);
        return NULL;
    }
    return p;
}

void rr_program_free(rr_program *p)
{
    if (!p)
        return;
    free(p->code);
    free(p->consts);
    free(p->steps);
    free(p);
}

/* Room for one more of n items of size sz in *v (capacity *cap); 0, or -1. */
static int grow(void **v, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? 2 * *cap : 8;
    void *x = realloc(*v, c * sz);
    if (!x)
        return -1;
    *v = x;
    *cap = c;
    return 0;
}

rr_operand rr_program_const(rr_program *p, double v)
{
    /* The same bits (0 and -0 are two constants; a NaN is one). */
    uint64_t bits, other;
    memcpy(&bits, &v, sizeof bits);
    for (size_t i = 0; i < p->nconst; i++) {
        memcpy(&other, &p->consts[i * L], sizeof other);
        if (other == bits)
            return (rr_operand){ RR_OPND_CONST, (uint32_t)i };
    }
    void *c = p->consts;
    size_t cap = p->constcap / L;
    if (grow(&c, p->nconst, &cap, L * sizeof(double)) != 0) {
        p->failed = 1;
        return (rr_operand){ RR_OPND_CONST, 0 };
    }
    p->consts = c;
    p->constcap = cap * L;
    for (unsigned l = 0; l < L; l++)
        p->consts[p->nconst * L + l] = v;
    return (rr_operand){ RR_OPND_CONST, (uint32_t)p->nconst++ };
}

static rr_operand push(rr_program *p, rr_instr in)
{
    void *c = p->code;
    if (p->failed || grow(&c, p->n, &p->cap, sizeof in) != 0) {
        p->failed = 1;
        return (rr_operand){ RR_OPND_CONST, 0 };
    }
    p->code = c;
    in.dst = p->nreg++;
    p->code[p->n++] = in;
    return (rr_operand){ RR_OPND_REG, in.dst };
}

rr_operand rr_program_emit(rr_program *p, rr_prog_op op, rr_operand a, rr_operand b,
                           rr_operand c)
{
    return push(p, (rr_instr){ .op = op, .a = { a, b, c } });
}

rr_operand rr_program_schedule(rr_program *p, const rr_schedule_step *steps, size_t n)
{
    const size_t first = p->nsteps;
    for (size_t i = 0; i < n; i++) {
        void *v = p->steps;
        if (grow(&v, p->nsteps, &p->stepcap, sizeof *steps) != 0) {
            p->failed = 1;
            return (rr_operand){ RR_OPND_CONST, 0 };
        }
        p->steps = v;
        p->steps[p->nsteps++] = steps[i];
    }
    return push(p, (rr_instr){ .op = RR_P_SCHEDULE, .first = (uint32_t)first,
                               .n = (uint32_t)n });
}

int rr_program_finish(rr_program *p, rr_operand r)
{
    if (p->failed)
        return -1;
    if (r.kind == RR_OPND_REG && r.i == p->nreg - 1 && p->n) {
        /* The last instruction writes the result itself. */
        p->code[p->n - 1].dst = 0;
        p->nreg--;
        return 0;
    }
    rr_operand zero = { RR_OPND_CONST, 0 };
    push(p, (rr_instr){ .op = RR_P_COPY, .a = { r, zero, zero } });
    if (p->failed)
        return -1;
    p->code[p->n - 1].dst = 0;
    p->nreg--;
    return 0;
}

static const double *operand(const rr_program *p, const rr_program_env *env, rr_operand o,
                             int m, const double *regs, const double *out)
{
    switch (o.kind) {
    case RR_OPND_REG: return o.i ? regs + (size_t)(o.i - 1) * L : out;
    case RR_OPND_REF: return rr_values_month(&env->v[o.i], m);
    case RR_OPND_CONST: return p->consts + (size_t)o.i * L;
    case RR_OPND_BUILTIN: return env->builtin + ((size_t)o.i * env->horizon + m) * L;
    default: return env->requests + (size_t)m * L;
    }
}

/* One loop per operation; x, y, z the operands, r the destination (which may be one of
 * them: each lane reads before it writes). */
#define LANES(expr)                          \
    for (unsigned l = 0; l < L; l++)         \
        r[l] = (expr);                       \
    break

void rr_program_run(const rr_program *p, const rr_program_env *env, int m, double *regs,
                    double *out)
{
    for (size_t k = 0; k < p->n; k++) {
        const rr_instr *in = &p->code[k];
        double *r = in->dst ? regs + (size_t)(in->dst - 1) * L : out;
        if (in->op == RR_P_SCHEDULE) {
            const rr_schedule_step *st = p->steps + in->first;
            size_t j = 0;
            while (j + 1 < in->n && st[j + 1].month <= m)
                j++;
            memmove(r, operand(p, env, st[j].value, m, regs, out), L * sizeof *r);
            continue;
        }
        const double *x = operand(p, env, in->a[0], m, regs, out);
        const double *y = operand(p, env, in->a[1], m, regs, out);
        const double *z = operand(p, env, in->a[2], m, regs, out);
        switch ((rr_prog_op)in->op) {
        case RR_P_COPY: LANES(x[l]);
        case RR_P_NEG: LANES(-x[l]);
        case RR_P_ADD: LANES(x[l] + y[l]);
        case RR_P_SUB: LANES(x[l] - y[l]);
        case RR_P_MUL: LANES(x[l] * y[l]);
        case RR_P_DIV: LANES(x[l] / y[l]);
        case RR_P_POW: LANES(pow(x[l], y[l]));
        case RR_P_LT: LANES(rr_expr_lt(x[l], y[l]));
        case RR_P_LE: LANES(rr_expr_le(x[l], y[l]));
        case RR_P_GT: LANES(rr_expr_gt(x[l], y[l]));
        case RR_P_GE: LANES(rr_expr_ge(x[l], y[l]));
        case RR_P_EQ: LANES(rr_expr_eq(x[l], y[l]));
        case RR_P_NE: LANES(rr_expr_ne(x[l], y[l]));
        case RR_P_MIN: LANES(rr_expr_min2(x[l], y[l]));
        case RR_P_MAX: LANES(rr_expr_max2(x[l], y[l]));
        case RR_P_CLAMP: LANES(rr_expr_clamp(x[l], y[l], z[l]));
        case RR_P_IF: LANES(rr_expr_if(x[l], y[l], z[l]));
        case RR_P_EXP: LANES(exp(x[l]));
        case RR_P_LOG: LANES(log(x[l]));
        case RR_P_SQRT: LANES(sqrt(x[l]));
        case RR_P_CEIL: LANES(ceil(x[l]));
        case RR_P_FLOOR: LANES(floor(x[l]));
        case RR_P_ROUND: LANES(round(x[l]));
        case RR_P_SCHEDULE: break;
        }
    }
}
