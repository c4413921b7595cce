/* plan_build: the state of a plan while it compiles.  Private to plan.c and plan_expr.c. */
#ifndef RR_PLAN_BUILD_H
#define RR_PLAN_BUILD_H

#include "sample/plan_draws.h"

typedef struct rr_plan_builder {
    rr_plan *P;
    rr_plan_draws *D;
    rr_ref *var_ref;         /* per variable: its ref once compiled, else RR_REF_NONE */
    double *var_value;       /* per variable: its constant, where it has one... */
    int *var_known;          /* ...1 there */
    rr_expr_env env;         /* for folding what is constant */
    int failed;              /* out of memory */
} rr_plan_builder;

/* A value of the plan: constant, drawn or computed. */
rr_ref rr_plan_add_value(rr_plan_builder *b, rr_value_kind kind, const rr_dist *dist,
                         uint64_t stream, int normal);
/* The ref of an input: its constant, its draws, or (an expression, a schedule) a computed
 * value; checked: a field's value, held to its domain, its faults reported. */
rr_ref rr_plan_input(rr_plan_builder *b, const rr_input *in, int checked);
/* Variable i's ref, compiled on first use. */
rr_ref rr_plan_variable(rr_plan_builder *b, size_t i);
/* The most refs an input can make (an upper bound, for sizing). */
size_t rr_plan_input_refs(const rr_input *in);

#endif
