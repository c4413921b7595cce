/* cli: what runrate's command-line files share (cli.c: options, run, compare, validate;
 * cli_decide.c: break-even searches and sweep grids).  Only these files print or exit. */
#ifndef RR_CLI_H
#define RR_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "report/buf.h"
#include "run/sim.h"
#include "scenario/diag.h"
#include "scenario/scenario.h"
#include "scenario/warn.h"
#include "stats/summary.h"

/* Options of `run` and `compare`. */
#define MAX_SETS 64
#define MAX_FILES 16

typedef struct run_opts {
    const char *files[MAX_FILES];
    size_t nfiles;
    const char *out, *format;
    const char *sweep[2];    /* --sweep PATH=V1,V2,...: one, or two for a grid */
    size_t nsweeps;
    const char *break_even;  /* --break-even PATH=LO..HI, or NULL */
    int on_mean;             /* --on mean */
    const char *sets[MAX_SETS];
    size_t nsets;
    uint64_t paths, seed, max_paths;
    int has_paths, has_seed, threads, quiet, partial, draws_only;
    int no_warnings, strict;
    uint64_t swings;         /* drivers re-run at their P10 and P90 (swing.h); 0: none */
    double precision;        /* NaN: not asked */
    double extra[RR_MAX_QUANTILES];
    size_t nextra;
    /* track's */
    const char *actuals[MAX_FILES];  /* --actuals BILL.csv, in order */
    size_t nactuals;
    const char *demand;      /* --demand DEMAND.csv */
    const char *through;     /* --through YYYY-MM */
    const char *cost_column; /* --cost-column C */
    double tolerance;        /* --tolerance S; NaN: the default */
    int has_max_paths;
    const char *catalog;     /* --catalog DIR, or NULL */
} run_opts;

/* The command line's --set arguments, and a variant's own overrides after them (a sweep's
 * values, a break-even's): what an error at RR_OVERRIDE_LINE names. */
typedef struct set_args {
    const char *const *sets;
    size_t nsets;
    const char *extra[2];
    size_t nextra;
} set_args;

/* The progress line: on a terminal only, after the first second, at most five times a
 * second; cleared at the end so a report on stdout is not mixed with it. */
typedef struct progress {
    double start, last;
    int shown;
} progress;

/* Parse the options of `cmd` (run, compare or track).  0, -2 after --help, or an exit
 * status. */
int cli_parse_opts(const char *cmd, int argc, char **argv, run_opts *o);
/* 0, 1 (internal failure), 2 (bad usage or scenario) or 130 (interrupted). */
int cli_exit_code(rr_status st);
/* Load a scenario with the command line's --set overrides and then `nextra` more,
 * validated as if written in the file. */
rr_status cli_load(const char *file, const run_opts *o, const char *const *extra,
                   size_t nextra, rr_scenario **out, rr_diags *diags);
/* The warnings from..w->n: printed unless --no-warnings; under --strict printed as errors
 * and a failure (RR_ERR_SCENARIO, *strict_failed set), so that no report is written. */
rr_status cli_warn_or_fail(const char *cmd, int no_warnings, int strict, const rr_warnings *w,
                           size_t from, int *strict_failed);
/* Write the report where it was asked for, whole or not at all; once, from rank 0. */
rr_status cli_emit(const char *cmd, const run_opts *o, const rr_buf *b);
/* The run's paths, seed and threads: the options', else the scenario's; pg NULL: no
 * progress line. */
rr_sim_config cli_sim_config(const run_opts *o, const rr_scenario *s, progress *pg);
/* Print the diagnostics of whichever file failed, or the status. */
void cli_report_failure(const char *cmd, rr_status st, const rr_diags *diags, const char *file,
                        int strict_failed, const set_args *sa);

/* The scenario's {catalog: ...} references replaced by the catalog's prices (the catalog
 * from --catalog DIR, else $RUNRATE_CATALOG, else the installed one, else the checkout's),
 * the entries used kept in *uses.  Errors in the catalog itself are printed here. */
rr_status cli_catalog_expand(const char *cmd, rr_node *root, const char *dir,
                             rr_catalog_uses *uses, rr_diags *diags);
/* Hand the entries used to the scenario and warn of stale ones. */
void cli_catalog_attach(rr_scenario *s, rr_catalog_uses *uses);
/* `prices [PATTERN] [--format table|json] [--catalog DIR]` */
int cli_prices(int argc, char **argv);

/* `track FILE --actuals BILL.csv ...` */
int cli_track(int argc, char **argv);
/* `schema [--out FILE]`: the JSON Schema of the scenario format (cli_schema.c). */
int rr_cli_schema(int argc, char **argv);

/* `run FILE --break-even ...` (cmd "run") and `compare A B --break-even ...` ("compare"). */
int cli_break_even(const char *cmd, const run_opts *o);
/* `run FILE --sweep A --sweep B` and `compare A B.. --sweep A [--sweep B]`. */
int cli_grid(const char *cmd, const run_opts *o);

#endif
