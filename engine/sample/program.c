/* program: building and running expressions over lanes. */
#include "sample/program.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/model.h"
#include "sample/simd.h"

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

/* Where operand o's values of month m0 are, and how far apart its months are (0: the same
 * values every month). */
static const double *operand(const rr_program *p, const rr_program_env *env, rr_operand o,
                             int m0, const double *regs, size_t regsize, const double *out,
                             size_t *stride)
{
    *stride = L;
    switch (o.kind) {
    case RR_OPND_REG: return o.i ? regs + (size_t)(o.i - 1) * regsize : out;
    case RR_OPND_REF:
        *stride = env->v[o.i].stride;
        return rr_values_month(&env->v[o.i], m0);
    case RR_OPND_CONST: *stride = 0; return p->consts + (size_t)o.i * L;
    case RR_OPND_BUILTIN: return env->builtin + ((size_t)o.i * env->horizon + m0) * L;
    default: return env->requests + ((size_t)o.i * env->horizon + m0) * L;
    }
}

/* One loop per operation over the months, each month's lanes a vector; x, y, z the
 * operands (sx, sy, sz apart from month to month), r the destination (which may be one of
 * them: each value is read before it is written). */
#define LANES(expr)                                                                           \
    for (int k = 0; k < nm; k++) {                                                           \
        const double *x = x0 + (size_t)k * sx, *y = y0 + (size_t)k * sy;                     \
        const double *z = z0 + (size_t)k * sz;                                               \
        double *r = r0 + (size_t)k * L;                                                      \
        (void)y;                                                                             \
        (void)z;                                                                             \
        for (unsigned l = 0; l < L; l++)                                                     \
            r[l] = (expr);                                                                   \
    }                                                                                        \
    break

RR_VECTOR_CLONES void rr_program_run(const rr_program *p, const rr_program_env *env, int m0,
                                     int nm, double *regs, double *out)
{
    const size_t regsize = (size_t)nm * L;
    for (size_t i = 0; i < p->n; i++) {
        const rr_instr *in = &p->code[i];
        double *r0 = in->dst ? regs + (size_t)(in->dst - 1) * regsize : out;
        if (in->op == RR_P_SCHEDULE) {
            const rr_schedule_step *st = p->steps + in->first;
            for (int k = 0; k < nm; k++) {
                const int m = m0 + k;
                size_t j = 0, stride;
                while (j + 1 < in->n && st[j + 1].month <= m)
                    j++;
                const double *x = operand(p, env, st[j].value, m, regs, regsize, out, &stride);
                /* A register holds months from m0: month m is k rows on. */
                if (st[j].value.kind == RR_OPND_REG)
                    x += (size_t)k * L;
                memmove(r0 + (size_t)k * L, x, L * sizeof *x);
            }
            continue;
        }
        size_t sx, sy, sz;
        const double *x0 = operand(p, env, in->a[0], m0, regs, regsize, out, &sx);
        const double *y0 = operand(p, env, in->a[1], m0, regs, regsize, out, &sy);
        const double *z0 = operand(p, env, in->a[2], m0, regs, regsize, out, &sz);
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
