/* scenario: a scenario file, validated and typed.
 *
 * Loading walks the position-keeping node tree, checks every constraint of scenario format
 * version 1 (docs/scenario-format.md) and reports every problem it finds in one pass, each
 * with its line and column.  What comes out is either a complete scenario, every input built
 * and every default filled in, or nothing.
 *
 * Thread safety: a loaded scenario is read-only and may be shared by threads.
 */
#ifndef RR_SCENARIO_H
#define RR_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/actuals_map.h"
#include "scenario/catalog.h"
#include "scenario/diag.h"
#include "models/model.h"
#include "scenario/category.h"
#include "scenario/warn.h"
#include "scenario/node.h"
#include "scenario/periods.h"

#define RR_MAX_HORIZON 120
#define RR_MAX_COMPONENTS 64
#define RR_MAX_NAME 64
#define RR_MAX_PATHS 10000000000ull   /* 1e10 */
#define RR_DEFAULT_PATHS 100000
#define RR_DEFAULT_SEED 1
#define RR_DEFAULT_CONFIDENCE 0.8

#define RR_MAX_CORRELATED 64   /* inputs in the `correlations` block */

/* The inputs tied by `correlations`, realised with a Gaussian copula: each input keeps its
 * own distribution (through its quantile function) while their normal scores are
 * correlated by the Cholesky factor of the matrix 2 sin(pi r / 6) of the rank correlations. */
typedef struct rr_correlation {
    size_t m;                        /* inputs involved */
    const rr_input *in[RR_MAX_CORRELATED];   /* borrowed from the scenario */
    double *chol;                    /* m x m, lower triangle, row-major; owned */
} rr_correlation;

/* A named value of the `variables:` block. */
typedef struct rr_variable {
    char *name;              /* owned; [A-Za-z_][A-Za-z0-9_]* */
    rr_input value;          /* its path is "variables.NAME", its stream keyed by it */
    int line, col;           /* the name's place */
} rr_variable;

#define RR_MAX_VARIABLES 256

/* A stream of demand: one kind of traffic with its own volume, growth, seasonality, noise
 * and spikes.  A `demand:` written without streams is one stream named "default", whose
 * inputs keep the paths demand.KEY; a named stream's are demand.NAME.KEY. */
typedef struct rr_stream {
    char *name;              /* owned; [A-Za-z_][A-Za-z0-9_]* or "default" */
    char *prefix;            /* owned; "demand" or "demand.NAME": its inputs' paths start so */
    rr_demand d;
    int line, col;           /* its key, or the demand block's for the default */
} rr_stream;

#define RR_MAX_STREAMS 16

/* A budget for one period of budget.periods. */
typedef struct rr_budget_period {
    char label[RR_PERIOD_LABEL];
    double amount;
    int quarter;             /* 1: a quarter, 0: a year */
    size_t index;            /* in periods.quarters or periods.years */
    int line, col;           /* its key */
} rr_budget_period;

typedef struct rr_scenario {
    char *file;              /* the file it was loaded from, owned; NULL from memory */
    char **layers;           /* the files it extends (layers.h), owned; positions in file i
                              * of the chain are held as RR_POS_STRIDE * i + line */
    size_t nlayers;
    char *name;              /* owned */
    char *currency;          /* owned; "USD" by default */
    int start_year;          /* 0 without `start` */
    int start_month;         /* 1..12; 0 without `start` */
    int horizon;             /* months, 1..RR_MAX_HORIZON */
    uint64_t paths;          /* simulation.paths */
    uint64_t seed;           /* simulation.seed */
    int has_budget;          /* budget.total given */
    double budget_total;     /* for the whole horizon */
    double confidence;       /* budget.confidence, (0, 1) */
    int has_budget_monthly;  /* budget.monthly given */
    double budget_monthly;   /* for each month */
    int fy_start;            /* budget.fiscal_year_start, 1..12 (1: calendar years) */
    int fy_label_start;      /* budget.fiscal_year_label: start (else end) */
    rr_periods periods;      /* the years and quarters of the horizon (periods.h) */
    rr_budget_period *budget_periods;   /* owned: budget.periods, in file order */
    size_t nbudget_periods;
    rr_stream *streams;      /* owned, nstreams (1..RR_MAX_STREAMS) entries, in file order */
    size_t nstreams;
    int named_streams;       /* 1 when `demand:` names its streams, 0 for a single block */
    rr_component *comps;     /* owned, ncomps entries */
    size_t ncomps;
    rr_variable *vars;       /* owned, nvars entries, in file order */
    size_t nvars;
    rr_correlation corr;     /* m = 0 without `correlations` */
    rr_actuals_map actuals;  /* `actuals.map`: bill lines to components (n = 0: none) */
    rr_warnings warnings;    /* found as it loaded: legal, probably wrong (plausible.h) */
    rr_catalog_uses catalog; /* the price catalog's entries it names (catalog.h), once each */
} rr_scenario;

/* Load and validate a file.  RR_OK, or RR_ERR_SCENARIO / RR_ERR_IO with diagnostics in
 * `diags`, or RR_ERR_NOMEM.  *out is NULL unless RR_OK; a valid scenario carries its
 * load-time warnings, placed in diags->file. */
rr_status rr_scenario_load(const char *path, rr_scenario **out, rr_diags *diags);
/* Validate a loaded tree. */
rr_status rr_scenario_from_node(const rr_node *root, rr_scenario **out, rr_diags *diags);
void rr_scenario_free(rr_scenario *s);   /* accepts NULL */

/* The index of the stream named `name`, or -1. */
int rr_scenario_find_stream(const rr_scenario *s, const char *name);
/* "chat, ingestion": the streams' names into buf, for messages; returns buf. */
const char *rr_scenario_stream_list(const rr_scenario *s, char *buf, size_t size);

#endif
