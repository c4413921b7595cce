/* program: an expression compiled for a group's lanes.
 *
 * A program is a list of instructions, each one operation over RR_LANES values at once for
 * every month of a run (loops the compiler makes into vectors): its operands are registers, the values of refs
 * for the month, constants, the calendar built-ins of the month, or the month's requests.
 * Each instruction writes a register of its own; register 0 is the program's result.  The
 * plan compiles every expression once (sample/plan_expr.c), folds what is constant and
 * hoists what is the same in every month into programs of its own, run once per path.
 *
 * The arithmetic of each operation is expr.h's, the same that folding uses, so a value is
 * the same whether it was folded at load or computed in the loop.
 *
 * Thread safety: a program is read-only once built; runs write only the caller's arrays.
 */
#ifndef RR_PROGRAM_H
#define RR_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "sample/values.h"
#include "scenario/expr.h"

typedef enum rr_operand_kind {
    RR_OPND_REG,             /* a register of the program */
    RR_OPND_REF,             /* a ref's values for the month */
    RR_OPND_CONST,           /* a constant */
    RR_OPND_BUILTIN,         /* month, calendar_month, year or days of the month */
    RR_OPND_REQUESTS         /* the month's requests of stream i */
} rr_operand_kind;

typedef struct rr_operand {
    uint32_t kind;           /* rr_operand_kind */
    uint32_t i;              /* register, ref, constant or built-in */
} rr_operand;

typedef enum rr_prog_op {
    RR_P_COPY, RR_P_NEG, RR_P_ADD, RR_P_SUB, RR_P_MUL, RR_P_DIV, RR_P_POW,
    RR_P_LT, RR_P_LE, RR_P_GT, RR_P_GE, RR_P_EQ, RR_P_NE,
    RR_P_MIN, RR_P_MAX, RR_P_CLAMP, RR_P_IF,
    RR_P_EXP, RR_P_LOG, RR_P_SQRT, RR_P_CEIL, RR_P_FLOOR, RR_P_ROUND,
    RR_P_SCHEDULE            /* the value of the entry whose month is the last at or before
                              * the month's */
} rr_prog_op;

typedef struct rr_instr {
    uint32_t op;             /* rr_prog_op */
    uint32_t dst;            /* a register */
    rr_operand a[3];
    uint32_t first, n;       /* RR_P_SCHEDULE: its entries */
} rr_instr;

typedef struct rr_schedule_step {
    int month;               /* from this month (0-based) on */
    rr_operand value;
} rr_schedule_step;

typedef struct rr_program {
    rr_instr *code;
    size_t n, cap;
    double *consts;          /* each constant RR_LANES times, so that it reads as lanes */
    size_t nconst, constcap;
    rr_schedule_step *steps;
    size_t nsteps, stepcap;
    uint32_t nreg;           /* registers, the result's included */
    int failed;              /* out of memory while building */
} rr_program;

/* What a run reads besides the program. */
typedef struct rr_program_env {
    const rr_values *v;          /* every ref's values, by ref */
    const double *builtin;       /* RR_NBUILTIN x horizon x RR_LANES: the calendar's values */
    const double *requests;      /* streams x horizon x RR_LANES, or NULL where nothing
                                  * reads it */
    int horizon;
} rr_program_env;

rr_program *rr_program_new(void);    /* NULL when out of memory */
void rr_program_free(rr_program *p); /* accepts NULL */

/* Building: operands, and instructions that return their register as an operand. */
rr_operand rr_program_const(rr_program *p, double v);
rr_operand rr_program_emit(rr_program *p, rr_prog_op op, rr_operand a, rr_operand b,
                           rr_operand c);
/* A schedule: n steps (increasing months, the first at or before 0). */
rr_operand rr_program_schedule(rr_program *p, const rr_schedule_step *steps, size_t n);
/* Make operand r the program's result (register 0).  0, or -1 when out of memory. */
int rr_program_finish(rr_program *p, rr_operand r);

/* The results of months m0 .. m0 + nm - 1, every lane, into out (month m0 + k at
 * out[k * RR_LANES]); regs holds (nreg - 1) x nm x RR_LANES doubles.  Each instruction runs
 * over all nm months before the next: the dispatch costs once per run, not per month. */
void rr_program_run(const rr_program *p, const rr_program_env *env, int m0, int nm,
                    double *regs, double *out);

#endif
