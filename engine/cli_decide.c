/* cli_decide: decisions measured on common random numbers, from the command line.
 *
 * Every evaluation (a cell of a sweep grid, a point of a break-even search) loads each file
 * anew with the command line's --set overrides and the evaluation's own ("PATH=VALUE"),
 * compiles it and runs it on the same paths with the same seed as every other evaluation
 * (rr_sim_run_many), so that what changes between two evaluations is the value alone.  The
 * path swept or searched is a constant in each: its own uncertainty is set aside.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report/report.h"
#include "run/sim.h"
#include "sample/plan.h"
#include "scenario/override.h"
#include "stats/decision.h"

#define Z95 1.959963984540054   /* the normal's 97.5th percentile */

/* One evaluation: k files with the same extra overrides, on the same paths. */
typedef struct cell {
    size_t k;
    rr_scenario *s[MAX_FILES];
    rr_plan *p[MAX_FILES];
    rr_result *r[MAX_FILES];
    rr_result_diff *d[MAX_FILES];
    rr_compare *c;
} cell;

/* What every evaluation of one command shares. */
typedef struct decide {
    const char *cmd;
    const run_opts *o;
    const char *const *files;
    size_t k;
    rr_warnings seen;            /* every warning said so far, each once */
    rr_diags diags[MAX_FILES];
    size_t bad;                  /* the file whose diagnostics say what failed */
    const char *extra[2];        /* the failed evaluation's overrides, in extra_text */
    char extra_text[2][1024];
    char cell_set[2][1024];      /* a grid cell's overrides, as --set texts */
    size_t nextra;
    int strict_failed;
    double pct[1];               /* an extra percentile (run: budget.confidence) */
    size_t npct;
    double seconds;
    int threads;
    uint64_t paths, seed;
    char *currency;                 /* owned copies: the scenarios die with their cell */
    const char *names[MAX_FILES];
} decide;

static void cell_free(cell *x)
{
    rr_compare_free(x->c);
    for (size_t i = 0; i < x->k; i++) {
        rr_result_free(x->r[i]);
        rr_result_diff_free(x->d[i]);
        rr_plan_free(x->p[i]);
        rr_scenario_free(x->s[i]);
    }
    memset(x, 0, sizeof *x);
}

/* Warnings from..w->n not yet said: printed (or, under --strict, a failure), then kept. */
static rr_status say_new(decide *D, const rr_warnings *w, size_t from)
{
    size_t before = D->seen.n;
    const rr_warnings tail = { .v = w->v + from, .n = w->n > from ? w->n - from : 0 };
    rr_warnings_append(&D->seen, &tail, 1);
    return cli_warn_or_fail(D->cmd, D->o->no_warnings, D->o->strict, &D->seen, before,
                            &D->strict_failed);
}

static rr_status cell_run(decide *D, const char *const *extra, size_t nextra, cell *x)
{
    memset(x, 0, sizeof *x);
    x->k = D->k;
    rr_status st = RR_OK;
    for (size_t i = 0; i < D->k && st == RR_OK; i++) {
        D->bad = i;
        st = cli_load(D->files[i], D->o, extra, nextra, &x->s[i], &D->diags[i]);
        if (st == RR_OK)
            st = say_new(D, &x->s[i]->warnings, 0);
        if (st == RR_OK)
            st = rr_plan_new(x->s[i], &x->p[i]);
    }
    if (st == RR_OK) {
        D->bad = 0;
        rr_sim_config cfg = cli_sim_config(D->o, x->s[0], NULL);
        st = rr_sim_run_many((const rr_plan *const *)x->p, D->k, &cfg, x->r,
                             D->k > 1 ? x->d : NULL, &D->diags[0]);
    }
    if (st == RR_OK)
        st = rr_compare_build(D->files, D->k, x->r, D->k > 1 ? x->d : NULL, D->pct, D->npct,
                              &x->c);
    if (st == RR_OK)
        st = say_new(D, &x->c->warnings, x->c->nload_warnings);
    if (st == RR_OK) {
        D->seconds += x->c->seconds;
        D->threads = x->c->threads;
        D->paths = x->c->paths;
        D->seed = x->c->seed;
        for (size_t i = 0; i < D->k; i++)
            if (!D->names[i] && !(D->names[i] = strdup(x->c->sc[i].name)))
                st = RR_ERR_NOMEM;
        if (st == RR_OK && !D->currency && !(D->currency = strdup(x->s[0]->currency)))
            st = RR_ERR_NOMEM;
    }
    if (st != RR_OK) {
        D->nextra = nextra;
        /* Kept: the caller's strings do not outlive the evaluation. */
        for (size_t i = 0; i < nextra && i < 2; i++) {
            snprintf(D->extra_text[i], sizeof D->extra_text[i], "%s", extra[i]);
            D->extra[i] = D->extra_text[i];
        }
    }
    return st;
}

static void decide_init(decide *D, const char *cmd, const run_opts *o)
{
    memset(D, 0, sizeof *D);
    D->cmd = cmd;
    D->o = o;
    D->files = o->files;
    D->k = strcmp(cmd, "run") == 0 ? 1 : o->nfiles;
    rr_warnings_init(&D->seen);
    for (size_t i = 0; i < D->k; i++)
        rr_diags_init(&D->diags[i], o->files[i]);
}

/* The failure said, everything freed; the exit status. */
static int decide_end(decide *D, rr_status st)
{
    if (st != RR_OK) {
        set_args sa = { D->o->sets, D->o->nsets, { D->extra[0], D->extra[1] }, D->nextra };
        cli_report_failure(D->cmd, st, &D->diags[D->bad], D->files[D->bad], D->strict_failed,
                           &sa);
    }
    for (size_t i = 0; i < D->k; i++) {
        rr_diags_free(&D->diags[i]);
        free((char *)D->names[i]);
    }
    free(D->currency);
    rr_warnings_free(&D->seen);
    return cli_exit_code(st);
}

/* ---- break-even ---- */

typedef struct search {
    decide *D;
    rr_break_even *be;
    char *path;
    int failed_load;
} search;

/* "PATH=LO..HI": the path (owned) and the range, LO < HI. */
static int parse_range(const char *arg, char **path, double *lo, double *hi)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return -1;
    /* strtod would read "10.." as 10. and stop at the second dot: split at ".." first. */
    const char *dots = strstr(eq + 1, "..");
    if (!dots || dots == eq + 1)
        return -1;
    char lo_text[64];
    if ((size_t)(dots - eq - 1) >= sizeof lo_text)
        return -1;
    memcpy(lo_text, eq + 1, (size_t)(dots - eq - 1));
    lo_text[dots - eq - 1] = '\0';
    char *end;
    errno = 0;
    *lo = strtod(lo_text, &end);
    if (*end)
        return -1;
    const char *h = dots + 2;
    *hi = strtod(h, &end);
    if (end == h || *end || errno || !isfinite(*lo) || !isfinite(*hi) || !(*lo < *hi))
        return -1;
    if (!(*path = strndup(arg, (size_t)(eq - arg))))
        return -1;
    return 0;
}

static int find_pct(const rr_compare *c, double p)
{
    for (size_t i = 0; i < c->nq; i++)
        if (fabs(c->qp[i] - p) < 1e-9)
            return (int)i;
    return -1;
}

/* f and its 95% interval from a series' statistics: the quantile at p with its
 * order-statistic interval, or the mean with the normal one; minus `offset`. */
static void f_of(const rr_compare *c, const rr_stats *st, int on_mean, double p, double offset,
                 rr_break_even_point *out)
{
    if (on_mean) {
        double half = Z95 * st->sd / sqrt((double)st->n);
        out->f = st->mean - offset;
        out->lo = out->f - half;
        out->hi = out->f + half;
        return;
    }
    int q = find_pct(c, p);
    out->f = q >= 0 ? st->q[q] - offset : NAN;
    out->lo = q >= 0 ? st->lo[q] - offset : NAN;
    out->hi = q >= 0 ? st->hi[q] - offset : NAN;
}

static rr_status evaluate(void *ctx, double v, rr_break_even_point *out)
{
    search *S = ctx;
    decide *D = S->D;
    rr_break_even *be = S->be;
    char set[512];
    snprintf(set, sizeof set, "%s=%.17g", S->path, v);
    const char *extra[1] = { set };
    cell x;
    rr_status st = cell_run(D, extra, 1, &x);
    if (st == RR_OK && be->compare) {
        f_of(x.c, &x.c->diff[0].total, be->on_mean, 0.5, 0, out);
    } else if (st == RR_OK) {
        const rr_compare_scenario *a = &x.c->sc[0];
        if (!a->has_budget) {
            rr_diags_add(&D->diags[0], 0, 0, "--break-even on run needs budget.total: f(v) is "
                                             "the total's quantile at budget.confidence minus "
                                             "budget.total");
            st = RR_ERR_USAGE;
        } else {
            be->budget_total = a->budget_total;
            be->confidence = a->confidence;
            f_of(x.c, &a->total, be->on_mean, a->confidence, a->budget_total, out);
        }
    }
    cell_free(&x);
    return st;
}

/* The run's budget.confidence, read once before the search, so that each evaluation's
 * statistics include that quantile. */
static rr_status confidence_of(decide *D, double *conf)
{
    rr_scenario *s = NULL;
    rr_status st = cli_load(D->files[0], D->o, NULL, 0, &s, &D->diags[0]);
    if (st == RR_OK)
        *conf = s->confidence;
    rr_scenario_free(s);
    return st;
}

int cli_break_even(const char *cmd, const run_opts *o)
{
    decide D;
    decide_init(&D, cmd, o);
    rr_break_even *be = calloc(1, sizeof *be);
    search S = { &D, be, NULL, 0 };
    rr_buf b = { 0 };
    rr_status st = be ? RR_OK : RR_ERR_NOMEM;
    if (st == RR_OK && parse_range(o->break_even, &S.path, &be->lo, &be->hi) != 0) {
        rr_diags_add(&D.diags[0], 0, 0, "--break-even: expected PATH=LO..HI with numbers "
                                        "LO < HI, e.g. demand.requests_per_month=1e4..1e6; got "
                                        "'%s'", o->break_even);
        st = RR_ERR_USAGE;
    }
    if (st == RR_OK) {
        be->compare = D.k > 1;
        be->on_mean = o->on_mean;
        be->path = S.path;
        if (!be->compare && !o->on_mean) {
            double conf = 0.8;
            st = confidence_of(&D, &conf);
            D.pct[0] = 100 * conf;
            D.npct = 1;
        }
    }
    if (st == RR_OK)
        st = rr_break_even_search(be, evaluate, &S);
    if (st == RR_OK) {
        be->currency = D.currency;
        be->nfiles = D.k;
        for (size_t i = 0; i < D.k && i < 2; i++) {
            be->files[i] = D.files[i];
            be->names[i] = D.names[i];
        }
        be->paths = D.paths;
        be->seed = D.seed;
        be->threads = D.threads;
        be->seconds = D.seconds;
        rr_warnings_append(&be->warnings, &D.seen, 0);
        st = rr_report_break_even(o->format, be, &b);
    }
    if (st == RR_OK)
        st = cli_emit(cmd, o, &b);
    if (be)
        rr_warnings_free(&be->warnings);
    free(be);
    free(S.path);
    rr_buf_free(&b);
    return decide_end(&D, st);
}

/* ---- grids ---- */

typedef struct axes {
    char *path[2];
    char **values[2];
    size_t n[2];
} axes;

static void axes_free(axes *A)
{
    for (size_t a = 0; a < 2; a++) {
        rr_override_free_values(A->values[a], A->n[a]);
        free(A->path[a]);
    }
}

/* Cell (i, j) of the grid from its evaluation. */
static void grid_fill(rr_grid *g, size_t i, size_t j, const rr_compare *c)
{
    if (!g->compare) {
        g->stats[rr_grid_at(g, i, j, 0)] = c->sc[0].total;
        g->p[rr_grid_at(g, i, j, 0)] = c->sc[0].p_exceed;
        g->has_budget = c->sc[0].has_budget;
        g->budget_total = c->sc[0].budget_total;
        return;
    }
    for (size_t s = 0; s < g->nseries; s++) {
        g->stats[rr_grid_at(g, i, j, s)] = c->diff[s].total;
        g->p[rr_grid_at(g, i, j, s)] = c->diff[s].p_b_costlier;
    }
}

static rr_status grid_cells(decide *D, rr_grid *g)
{
    rr_status st = RR_OK;
    char(*set)[1024] = D->cell_set;
    set[0][0] = set[1][0] = '\0';
    for (size_t i = 0; i < g->axis[0].n && st == RR_OK; i++)
        for (size_t j = 0; j < g->axis[1].n && st == RR_OK; j++) {
            const char *extra[2] = { set[0], set[1] };
            snprintf(set[0], sizeof set[0], "%s=%s", g->axis[0].path, g->axis[0].values[i]);
            if (g->naxes == 2 && g->axis[1].values)
                snprintf(set[1], sizeof set[1], "%s=%s", g->axis[1].path,
                         g->axis[1].values[j]);
            cell x;
            st = cell_run(D, extra, g->naxes, &x);
            if (st == RR_OK) {
                if (i == 0 && j == 0) {
                    g->nq = x.c->nq;
                    memcpy(g->qp, x.c->qp, sizeof g->qp);
                    memcpy(g->qkey, x.c->qkey, sizeof g->qkey);
                }
                grid_fill(g, i, j, x.c);
            }
            cell_free(&x);
        }
    return st;
}

int cli_grid(const char *cmd, const run_opts *o)
{
    decide D;
    decide_init(&D, cmd, o);
    axes A = { { NULL, NULL }, { NULL, NULL }, { 0, 0 } };
    rr_grid *g = NULL;
    rr_buf b = { 0 };
    rr_status st = RR_OK;
    for (size_t a = 0; a < o->nsweeps && st == RR_OK; a++)
        st = rr_override_split_sweep(o->sweep[a], &A.path[a], &A.values[a], &A.n[a],
                                     &D.diags[0]);
    if (st == RR_OK && o->nsweeps == 2 && strcmp(A.path[0], A.path[1]) == 0) {
        rr_diags_add(&D.diags[0], 0, 0, "--sweep: the two sweeps set the same path '%s'",
                     A.path[0]);
        st = RR_ERR_USAGE;
    }
    if (st == RR_OK) {
        rr_grid_axis ax[2] = { { A.path[0], (const char *const *)A.values[0], A.n[0] },
                               { A.path[1], (const char *const *)A.values[1], A.n[1] } };
        st = rr_grid_new(o->nsweeps, ax, D.k > 1 ? D.k - 1 : 1, &g);
        if (st == RR_ERR_USAGE)
            rr_diags_add(&D.diags[0], 0, 0, "--sweep: %zu x %zu cells; at most %d", A.n[0],
                         o->nsweeps == 2 ? A.n[1] : (size_t)1, RR_GRID_MAX_CELLS);
    }
    if (st == RR_OK) {
        g->compare = D.k > 1;
        st = grid_cells(&D, g);
    }
    if (st == RR_OK) {
        g->currency = D.currency;
        g->paths = D.paths;
        g->seed = D.seed;
        g->threads = D.threads;
        g->seconds = D.seconds;
        g->nfiles = D.k;
        for (size_t i = 0; i < D.k; i++) {
            g->files[i] = D.files[i];
            g->names[i] = D.names[i];
        }
        rr_warnings_append(&g->warnings, &D.seen, 0);
        st = rr_report_grid(o->format, g, &b);
    }
    if (st == RR_OK)
        st = cli_emit(cmd, o, &b);
    rr_grid_free(g);
    axes_free(&A);
    rr_buf_free(&b);
    return decide_end(&D, st);
}
