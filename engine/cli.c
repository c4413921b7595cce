/* cli: runrate's main.  Parses arguments, wires scenario -> sim -> summary -> report, prints
 * errors and sets the exit status: 0 success, 2 bad usage or bad scenario, 1 internal
 * failure (out of memory, an output that cannot be written).  The only file that prints or
 * exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "run/cluster.h"
#include "scenario/check.h"
#include "scenario/layers.h"
#include "scenario/override.h"
#include "run/precision.h"
#include "report/report.h"
#include "scenario/scenario.h"
#include "run/sim.h"
#include "run/swing.h"
#include "sample/plan.h"
#include "stats/summary.h"
#include "version.h"
#include "actuals/bill.h"
#include "cli.h"

#define EXIT_BAD 2
#define EXIT_FAIL 1
#define EXIT_INTERRUPTED 130   /* 128 + SIGINT, as shells report it */
#define RR_SWINGS_DEFAULT 10

/* Set by SIGINT; the engine polls it between paths. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static const char usage_main[] =
    "usage: runrate COMMAND [OPTIONS]\n"
    "\n"
    "Forecast what an AI system will cost to run, by Monte Carlo simulation of a scenario.\n"
    "\n"
    "commands:\n"
    "  run FILE        simulate a scenario and report cost percentiles\n"
    "  compare A B..   simulate scenarios on common random numbers and report differences\n"
    "  validate FILE.. check scenarios, simulate nothing\n"
    "  track FILE --actuals BILL.csv  the bills against the forecast, and the rest of the\n"
    "                  horizon re-forecast from them\n"
    "  schema          print the JSON Schema of the scenario format\n"
    "  prices [PATTERN] list the price catalog a scenario can name ({catalog: ENTRY})\n"
    "\n"
    "  runrate --version        print the version\n"
    "  runrate COMMAND --help   help on a command\n"
    "\n"
    "Exit status: 0 success, 2 bad usage or bad scenario, 1 internal failure.\n";

static const char usage_run[] =
    "usage: runrate run FILE [--paths N] [--seed S] [--threads T] [--format F] [--out FILE]\n"
    "                        [--percentiles P,...] [--precision REL [--max-paths N]] [--quiet]\n"
    "                        [--set PATH=VALUE ...] [--sweep PATH=V1,V2,...]\n"
    "                        [--swings N] [--no-warnings] [--strict]\n"
    "\n"
    "Simulate the scenario in FILE and report the cost per month, per category and over the\n"
    "horizon at mean/P50/P80/P95, and the chance of exceeding the budget.\n"
    "\n"
    "  --paths N          simulated paths (default: the file's simulation.paths, else 100000)\n"
    "  --seed S           random seed, 0..2^64-1 (default: simulation.seed, else 1)\n"
    "  --threads T        threads (default: all, or OMP_NUM_THREADS); results do not depend\n"
    "                     on it\n"
    "  --format F         table (default), json, csv (FOCUS columns), md or html\n"
    "  --out FILE         write the report to FILE, whole or not at all (default: stdout)\n"
    "  --percentiles LIST extra percentiles, e.g. 99.9,99.99 (JSON keys p99.9, p99.99)\n"
    "  --precision REL    run in batches until the 95% interval of the total's P95 is\n"
    "                     within +-REL of it (e.g. 0.005), at least 0.002\n"
    "  --max-paths N      the most paths --precision may use (default 10000000)\n"
    "  --quiet            no progress line on stderr (shown only on a terminal)\n"
    "  --no-warnings      do not print warnings (they stay in the JSON, MD and HTML reports)\n"
    "  --catalog DIR      the price catalog for {catalog: ...} references (default:\n"
    "                     $RUNRATE_CATALOG, else the installed one, else the checkout's)\n"

    "  --strict           every warning is an error: exit status 2, no report\n"
    "  --swings N         re-run the paths with each of the N inputs that drive the total\n"
    "                     most held at its P10 and its P90: the total's P50 and mean at\n"
    "                     each (default 10; 0: none, and no rank shares)\n"
    "  --partial          on Ctrl-C, still write a report of the paths done, labelled partial\n"
    "                     (without it an interrupted run writes nothing; exit status 130)\n"
    "  --set PATH=VALUE   override a value of the file, validated as the file is, e.g.\n"
    "                     --set costs.chat-model.price_per_million.input=1.5\n"
    "                     --set 'demand.requests_per_month=100000 to 200000'\n"
    "  --sweep PATH=V1,V2,...  a what-if: run the variants on common random numbers and\n"
    "                     report the total's P50/P80/P95 and chance over budget for each\n"
    "                     (in any format; html adds a chart of them against the value);\n"
    "                     twice (--sweep A=.. --sweep B=..) for a grid of at most 400 cells\n"
    "                     of the total's P50 (html: a heat map)\n"
    "  --break-even PATH=LO..HI  the value of PATH at which the budget becomes just enough:\n"
    "                     where f(v) = the total's quantile at budget.confidence minus\n"
    "                     budget.total crosses 0, by bisection on common random numbers,\n"
    "                     with the values at which f's 95% interval still holds 0.  PATH is\n"
    "                     held constant at each v: its own uncertainty is set aside\n"
    "  --on mean          with --break-even: the total's mean instead of its quantile\n";

static const char usage_compare[] =
    "usage: runrate compare A.yaml B.yaml [C.yaml ...] [--paths N] [--seed S] [--threads T]\n"
    "                       [--format table|json|csv|md|html] [--out FILE]\n"
    "                       [--set PATH=VALUE ...] [--sweep PATH=V1,V2,... [--sweep ...]]\n"
    "                       [--break-even PATH=LO..HI [--on mean]] [--no-warnings] [--strict]\n"
    "\n"
    "Run every file on the same paths with the same seed (the first file's simulation block,\n"
    "or --paths/--seed).  Inputs at the same place in two files draw the same numbers (common\n"
    "random numbers), so each difference B - A is measured path by path: its statistics, per\n"
    "category and in total, and the share of paths where B costs more.\n"
    "\n"
    "  --format F         table (default), json, csv (FOCUS columns), md, or html: one\n"
    "                     self-contained printable page with a chart of each difference\n"
    "  --set PATH=VALUE   override a value in every file, e.g. simulation.paths=1000000\n"
    "  --sweep PATH=V1,V2,...  the same override in every file, one value at a time, all on\n"
    "                     the same paths: each difference's mean, P50 and P(B costlier) per\n"
    "                     value; twice for a grid of at most 400 cells (html: heat maps)\n"
    "  --break-even PATH=LO..HI  (two files) the value of PATH, set in both, at which the P50\n"
    "                     of B - A crosses 0: bisection on common random numbers until the\n"
    "                     bracket is (HI - LO) / 1000, with the values at which the 95%\n"
    "                     interval of that P50 still holds 0.  PATH is held constant at each\n"
    "                     value: its own uncertainty is set aside\n"
    "  --on mean          with --break-even: the mean of B - A instead of its P50\n"
    "  --no-warnings      do not print warnings (they stay in the reports)\n"
    "  --catalog DIR      the price catalog for {catalog: ...} references (default:\n"
    "                     $RUNRATE_CATALOG, else the installed one, else the checkout's)\n"

    "  --strict           every warning is an error: exit status 2, no report\n";

static const char usage_track[] =
    "usage: runrate track FILE --actuals BILL.csv [--actuals MORE.csv ...] [--demand D.csv]\n"
    "                          [--through YYYY-MM] [--tolerance S] [--cost-column C]\n"
    "                          [--paths N] [--max-paths N] [--seed S] [--threads T]\n"
    "                          [--format F] [--out FILE] [--set PATH=VALUE ...]\n"
    "                          [--no-warnings] [--strict]\n"
    "\n"
    "Read the bills of the months since the scenario's `start` (a FOCUS export, or a CSV\n"
    "month,target,cost), say where each month's actual cost falls in the forecast's\n"
    "distribution (total, categories, mapped components), and re-forecast the rest of the\n"
    "horizon from the paths that match the bills best (docs/track.md).\n"
    "\n"
    "  --actuals FILE     a bill: FOCUS 1.0-1.2 CSV (EffectiveCost, else BilledCost) or\n"
    "                     month,target,cost; up to 16 of them, summed\n"
    "  --demand FILE      served requests: month,requests (and stream, for several)\n"
    "  --through YYYY-MM  ignore months after it (an incomplete last month)\n"
    "  --tolerance S      sigma of log(actual / simulated) for each observed cell (default\n"
    "                     0.2: a bill within about 20% of a path's month matches it)\n"
    "  --cost-column C    EffectiveCost (default when present), BilledCost, ListCost or\n"
    "                     ContractedCost\n"
    "  --paths N          simulated paths (default: the file's simulation.paths, else 100000)\n"
    "  --max-paths N      when the re-forecast's effective sample size is below 1,000, run\n"
    "                     four times the paths, up to N (default 400000)\n"
    "  --format F         table (default), json, csv, md or html\n"
    "  --out FILE         write the report to FILE, whole or not at all (default: stdout)\n"
    "  --catalog DIR      the price catalog for {catalog: ...} references (default:\n"
    "                     $RUNRATE_CATALOG, else the installed one, else the checkout's)\n";


static const char usage_validate[] =
    "usage: runrate validate FILE... [--strict] [--no-warnings] [--catalog DIR]\n"
    "\n"
    "Check each scenario file; print 'FILE: ok' or every error as FILE:LINE:COL: error: ...\n"
    "Warnings (legal, probably wrong: a growth of 2 meant as 2%) are printed as\n"
    "FILE:LINE:COL: warning: MESSAGE (FIX) and do not fail the file.\n"
    "\n"
    "  --strict           every warning is an error\n"
    "  --no-warnings      do not print warnings\n"
    "  --catalog DIR      the price catalog for {catalog: ...} references (default:\n"
    "                     $RUNRATE_CATALOG, else the installed one, else the checkout's)\n"
    "\n"
    "Exit status 2 when any file has errors.\n";

static void print_diags(const rr_diags *d, const char *file, const set_args *sa)
{
    for (size_t i = 0; i < d->n; i++) {
        const size_t k = d->v[i].col > 0 ? (size_t)d->v[i].col - 1 : 0;
        const char *set = !sa || d->v[i].line != RR_OVERRIDE_LINE ? NULL
                          : k < sa->nsets ? sa->sets[k]
                          : k - sa->nsets < sa->nextra ? sa->extra[k - sa->nsets] : NULL;
        if (set)
            fprintf(stderr, "%s: error: in --set '%s': %s\n", file, set, d->v[i].msg);
        else if (d->v[i].line > 0)   /* a base file's line names that file */
            fprintf(stderr, "%s:%d:%d: error: %s\n",
                    rr_pos_file(d->v[i].line) ? rr_diags_file(d, d->v[i].line) : file,
                    rr_pos_line(d->v[i].line), d->v[i].col, d->v[i].msg);
        else
            fprintf(stderr, "%s: error: %s\n", file, d->v[i].msg);
    }
    if (d->lost)
        fprintf(stderr, "%s: error: %d more error%s not shown\n", file, d->lost,
                d->lost == 1 ? "" : "s");
}

int cli_exit_code(rr_status st)
{
    switch (st) {
    case RR_OK:
        return 0;
    case RR_ERR_USAGE:
    case RR_ERR_SCENARIO:
    case RR_ERR_NUMERIC:
        return EXIT_BAD;
    case RR_ERR_INTERRUPTED:
        return EXIT_INTERRUPTED;
    case RR_ERR_IO:
    case RR_ERR_NOMEM:
    case RR_ERR_INTERNAL:
        break;
    }
    return EXIT_FAIL;
}

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "runrate%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'runrate%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
    return EXIT_BAD;
}

/* A whole number as a scenario file takes it (1000000 or 1e6). */
static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    rr_node n = { .kind = RR_NODE_SCALAR, .str = (char *)s };
    rr_diags quiet;
    rr_diags_init(&quiet, NULL);
    int rc = rr_check_uint(&quiet, &n, "", lo, hi, out);
    rr_diags_free(&quiet);
    return rc;
}

static size_t print_warnings(const char *cmd, const rr_warnings *w, size_t from, int strict);

rr_status cli_warn_or_fail(const char *cmd, int no_warnings, int strict,
                              const rr_warnings *w, size_t from, int *strict_failed)
{
    if (w->n <= from)
        return RR_OK;
    if (strict) {
        print_warnings(cmd, w, from, 1);
        *strict_failed = 1;
        return RR_ERR_SCENARIO;
    }
    if (!no_warnings)
        print_warnings(cmd, w, from, 0);
    return RR_OK;
}

/* Warnings from..w->n on stderr, as FILE:LINE:COL: warning: MESSAGE (FIX); as errors
 * under --strict.  Returns how many were printed. */
static size_t print_warnings(const char *cmd, const rr_warnings *w, size_t from, int strict)
{
    const char *kind = strict ? "error" : "warning";
    for (size_t i = from; i < w->n; i++) {
        const rr_warning *x = &w->v[i];
        if (x->where)
            fprintf(stderr, "%s: %s: %s (%s)\n", x->where, kind, x->message, x->fix);
        else
            fprintf(stderr, "runrate %s: %s: %s (%s)\n", cmd, kind, x->message, x->fix);
    }
    if (w->lost && from < w->n)
        fprintf(stderr, "runrate %s: %d more warning%s not shown\n", cmd, w->lost,
                w->lost == 1 ? "" : "s");
    return w->n > from ? w->n - from : 0;
}

static int parse_percentiles(const char *s, double *out, size_t max, size_t *n)
{
    *n = 0;
    while (*s) {
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        if (end == s || errno || !(v > 0 && v < 100) || (*end && *end != ','))
            return -1;
        if (*n == max)
            return -1;
        out[(*n)++] = v;
        s = *end ? end + 1 : end;
    }
    return *n ? 0 : -1;
}

static int write_all(int fd, const rr_buf *b, char *err, size_t errlen)
{
    size_t off = 0;
    while (off < b->len) {
        ssize_t w = write(fd, b->p + off, b->len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            snprintf(err, errlen, "%s", strerror(errno));
            return -1;
        }
        off += (size_t)w;
    }
    return 0;
}

/* Write the whole buffer to `path` through a temporary file in the same folder and a rename,
 * so the target holds the old report or the new one, never part of one.  A target that
 * exists and is not a regular file (/dev/stdout, a pipe, a device) is written in place: a
 * rename would replace the device itself. */
static int write_atomic(const char *path, const rr_buf *b, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        int fd = open(path, O_WRONLY | O_TRUNC);
        if (fd < 0) {
            snprintf(err, errlen, "%s", strerror(errno));
            return -1;
        }
        int rc = write_all(fd, b, err, errlen);
        if (close(fd) != 0 && rc == 0) {
            snprintf(err, errlen, "%s", strerror(errno));
            rc = -1;
        }
        return rc;
    }
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file beside it: %s", strerror(errno));
        free(tmp);
        return -1;
    }
    int rc = write_all(fd, b, err, errlen);
    if (rc == 0 && fsync(fd) != 0 && errno != EINVAL) {
        snprintf(err, errlen, "%s", strerror(errno));
        rc = -1;
    }
    if (close(fd) != 0 && rc == 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        rc = -1;
    }
    /* The temporary file is created 0600; a report is an ordinary file. */
    if (rc == 0) {
        mode_t mask = umask(0);
        umask(mask);
        chmod(tmp, 0666 & ~mask);
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Take "--name value" or "--name=value"; returns the value or NULL (and advances *i). */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (!a || strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc)
        return "";
    return argv[++*i];
}

/* One of track's own options at argv[*i] (advancing *i): 0 when taken, -1 when argv[*i] is
 * none of them, or an exit status. */
static int track_opt(const char *cmd, int argc, char **argv, int *i, run_opts *o)
{
    const char *v;
    if ((v = opt_value(argc, argv, i, "--actuals"))) {
        if (o->nactuals == MAX_FILES)
            return usage_error(cmd, "--actuals: at most 16 files; got another: '%s'", v);
        if (!*v)
            return usage_error(cmd, "--actuals: expected a CSV file%s", "");
        o->actuals[o->nactuals++] = v;
    } else if ((v = opt_value(argc, argv, i, "--demand"))) {
        if (!*v || o->demand)
            return usage_error(cmd, "--demand: expected one CSV file (month,requests), got "
                                    "'%s'", v);
        o->demand = v;
    } else if ((v = opt_value(argc, argv, i, "--through"))) {
        int y, m;
        if (rr_bill_parse_month(v, &y, &m) != 0)
            return usage_error(cmd, "--through: expected a month YYYY-MM, got '%s'", v);
        o->through = v;
    } else if ((v = opt_value(argc, argv, i, "--tolerance"))) {
        char *end;
        errno = 0;
        o->tolerance = strtod(v, &end);
        if (end == v || *end || errno || !(o->tolerance >= 0.01 && o->tolerance <= 2))
            return usage_error(cmd, "--tolerance: expected the sigma of log(actual / "
                                    "simulated) in 0.01..2, e.g. 0.2; got '%s'", v);
    } else if ((v = opt_value(argc, argv, i, "--cost-column"))) {
        if (strcmp(v, "EffectiveCost") != 0 && strcmp(v, "BilledCost") != 0 &&
            strcmp(v, "ListCost") != 0 && strcmp(v, "ContractedCost") != 0)
            return usage_error(cmd, "--cost-column: expected EffectiveCost, BilledCost, "
                                    "ListCost or ContractedCost, got '%s'", v);
        o->cost_column = v;
    } else {
        return -1;
    }
    return 0;
}

int cli_parse_opts(const char *cmd, int argc, char **argv, run_opts *o)
{
    int compare = strcmp(cmd, "compare") == 0, track = strcmp(cmd, "track") == 0, has_on = 0;
    int rc;
    memset(o, 0, sizeof *o);
    o->tolerance = NAN;
    o->format = "table";
    o->precision = NAN;
    o->max_paths = RR_PRECISION_MAX_PATHS;
    o->swings = RR_SWINGS_DEFAULT;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(compare ? usage_compare : track ? usage_track : usage_run, stdout);
            return -2;
        } else if (track && (rc = track_opt(cmd, argc, argv, &i, o)) != -1) {
            if (rc != 0)
                return rc;
        } else if ((v = opt_value(argc, argv, &i, "--paths"))) {
            if (parse_u64(v, 1, RR_MAX_PATHS, &o->paths) != 0)
                return usage_error(cmd, "--paths: expected a whole number in 1..10000000000, "
                                        "got '%s'", v);
            o->has_paths = 1;
        } else if ((v = opt_value(argc, argv, &i, "--seed"))) {
            if (parse_u64(v, 0, UINT64_MAX, &o->seed) != 0)
                return usage_error(cmd, "--seed: expected a whole number in 0..2^64-1, got '%s'",
                                   v);
            o->has_seed = 1;
        } else if ((v = opt_value(argc, argv, &i, "--threads"))) {
            uint64_t t;
            if (parse_u64(v, 1, 4096, &t) != 0)
                return usage_error(cmd, "--threads: expected a whole number in 1..4096, got '%s'",
                                   v);
            o->threads = (int)t;
        } else if ((v = opt_value(argc, argv, &i, "--format"))) {
            if (strcmp(v, "table") != 0 && strcmp(v, "json") != 0 && strcmp(v, "csv") != 0 &&
                strcmp(v, "md") != 0 && strcmp(v, "html") != 0)
                return usage_error(cmd, "--format: expected table, json, csv, md or html, "
                                        "got '%s'", v);
            o->format = v;
        } else if ((v = opt_value(argc, argv, &i, "--out"))) {
            if (!*v)
                return usage_error(cmd, "--out: expected a file name%s", "");
            o->out = v;
        } else if ((v = opt_value(argc, argv, &i, "--percentiles"))) {
            if (parse_percentiles(v, o->extra, 16, &o->nextra) != 0)
                return usage_error(cmd, "--percentiles: expected up to 16 comma-separated "
                                        "percents in (0, 100), e.g. 99.9,99.99; got '%s'", v);
        } else if ((v = opt_value(argc, argv, &i, "--set"))) {
            if (o->nsets == MAX_SETS)
                return usage_error(cmd, "--set: at most 64 of them%s", "");
            o->sets[o->nsets++] = v;
        } else if (!track && (v = opt_value(argc, argv, &i, "--sweep"))) {
            if (o->nsweeps == 2)
                return usage_error(cmd, "--sweep: at most two (a grid); got a third: '%s'", v);
            o->sweep[o->nsweeps++] = v;
        } else if (!track && (v = opt_value(argc, argv, &i, "--break-even"))) {
            if (o->break_even)
                return usage_error(cmd, "--break-even: one at a time; got a second: '%s'", v);
            o->break_even = v;
        } else if (!track && (v = opt_value(argc, argv, &i, "--on"))) {
            if (strcmp(v, "mean") != 0 && strcmp(v, "quantile") != 0)
                return usage_error(cmd, "--on: expected mean or quantile, got '%s'", v);
            o->on_mean = strcmp(v, "mean") == 0;
            has_on = 1;
        } else if (!compare && !track && (v = opt_value(argc, argv, &i, "--precision"))) {
            char *end;
            errno = 0;
            o->precision = strtod(v, &end);
            if (end == v || *end || errno || !(o->precision > 0 && o->precision < 1))
                return usage_error(cmd, "--precision: expected a relative precision such as "
                                        "0.005, got '%s'", v);
            if (o->precision < RR_PRECISION_MIN)
                return usage_error(cmd, "--precision: %s is finer than 0.002, the finest that "
                                        "means anything: the quantile sketches are accurate to "
                                        "0.001 on their own", v);
        } else if (!compare && !track && (v = opt_value(argc, argv, &i, "--swings"))) {
            if (parse_u64(v, 0, 100, &o->swings) != 0)
                return usage_error(cmd, "--swings: expected a whole number of drivers in "
                                        "0..100, got '%s'", v);
        } else if (!compare && (v = opt_value(argc, argv, &i, "--max-paths"))) {
            if (parse_u64(v, 1, RR_MAX_PATHS, &o->max_paths) != 0)
                return usage_error(cmd, "--max-paths: expected a whole number in "
                                        "1..10000000000, got '%s'", v);
            o->has_max_paths = 1;
        } else if ((v = opt_value(argc, argv, &i, "--catalog"))) {
            if (!*v)
                return usage_error(cmd, "--catalog: expected a folder%s", "");
            o->catalog = v;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o->quiet = 1;
        } else if (strcmp(a, "--no-warnings") == 0) {
            o->no_warnings = 1;
        } else if (strcmp(a, "--strict") == 0) {
            o->strict = 1;
        } else if (!compare && !track && strcmp(a, "--partial") == 0) {
            o->partial = 1;
        } else if (!compare && !track && strcmp(a, "--bench-draws-only") == 0) {
            o->draws_only = 1;   /* for bench/: the run's draws alone; no statistics */
        } else if (a[0] == '-' && a[1]) {
            return usage_error(cmd, "unknown option '%s'", a);
        } else if (o->nfiles == (compare ? MAX_FILES : 1)) {
            return usage_error(cmd, compare ? "at most 16 scenario files; got another: '%s'"
                                            : "one scenario file at a time; got a second: '%s' "
                                              "(to compare files, use runrate compare)", a);
        } else {
            o->files[o->nfiles++] = a;
        }
    }
    if (o->nfiles < (compare ? 2u : 1u))
        return usage_error(cmd, compare ? "expected at least two scenario files%s"
                                        : "missing the scenario FILE%s", "");
    if (track && !o->nactuals)
        return usage_error(cmd, "missing --actuals BILL.csv (a FOCUS export, or month,target,"
                                "cost)%s", "");
    if (isnan(o->precision) && o->has_max_paths && !track)
        return usage_error(cmd, "--max-paths goes with --precision%s", "");
    if (!isnan(o->precision) && o->has_paths)
        return usage_error(cmd, "--paths and --precision exclude each other: --precision "
                                "decides the paths (cap them with --max-paths)%s", "");
    if (!isnan(o->precision) && (o->nsweeps || o->break_even))
        return usage_error(cmd, "--precision goes with neither --sweep nor --break-even yet: "
                                "give --paths%s", "");
    if (o->break_even && o->nsweeps)
        return usage_error(cmd, "--break-even and --sweep: one decision at a time%s", "");
    if (has_on && !o->break_even)
        return usage_error(cmd, "--on goes with --break-even%s", "");
    if (o->break_even && compare && o->nfiles != 2)
        return usage_error(cmd, "--break-even compares two files, A and B (f = B - A)%s", "");
    if ((o->break_even || o->nsweeps) && o->partial)
        return usage_error(cmd, "--partial goes with a plain run%s", "");
    for (size_t i = 0; o->out && i < o->nactuals; i++)
        if (same_file(o->out, o->actuals[i])) {
            fprintf(stderr, "runrate %s: refusing to write the report over the bill '%s'\n", cmd,
                    o->actuals[i]);
            return EXIT_BAD;
        }
    for (size_t i = 0; o->out && i < o->nfiles; i++)
        if (same_file(o->out, o->files[i])) {
            fprintf(stderr, "runrate %s: refusing to write the report over the scenario file "
                            "'%s'\n", cmd, o->files[i]);
            return EXIT_BAD;
        }
    return 0;
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void show_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress *pg = ctx;
    double now = wall_seconds();
    if (now - pg->start < 1.0 || now - pg->last < 0.2)
        return;
    pg->last = now;
    pg->shown = 1;
    double rate = (double)done / (now - pg->start);
    double left = rate > 0 ? (double)(total - done) / rate : 0;
    fprintf(stderr, "\r  %llu / %llu paths, %.0f paths/s, about %.0f s left ",
            (unsigned long long)done, (unsigned long long)total, rate, left);
    fflush(stderr);
}

static void clear_progress(progress *pg)
{
    if (pg->shown) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
}

rr_status cli_load(const char *file, const run_opts *o, const char *const *extra,
                   size_t nextra, rr_scenario **out, rr_diags *diags)
{
    rr_node *root = NULL;
    *out = NULL;
    rr_status st = rr_layers_load(file, &root, diags);
    if (st == RR_ERR_IO)
        return RR_ERR_SCENARIO;   /* an unreadable scenario is the user's to fix */
    if (st != RR_OK)
        return st;
    for (size_t i = 0; i < o->nsets && st == RR_OK; i++)
        st = rr_override_apply(root, o->sets[i], (int)i, diags);
    for (size_t i = 0; i < nextra && st == RR_OK; i++)
        st = rr_override_apply(root, extra[i], (int)(o->nsets + i), diags);
    rr_catalog_uses uses = { NULL, 0 };
    if (st == RR_OK)
        st = cli_catalog_expand(NULL, root, o->catalog, &uses, diags);
    if (st == RR_OK)
        st = rr_scenario_from_node(root, out, diags);
    if (st == RR_OK)
        cli_catalog_attach(*out, &uses);
    rr_catalog_uses_free(&uses);
    rr_node_free(root);
    return st;
}

rr_status cli_emit(const char *cmd, const run_opts *o, const rr_buf *b)
{
    char err[256];
    if (rr_cluster_rank() != 0)
        return RR_OK;
    if (o->out) {
        if (write_atomic(o->out, b, err, sizeof err) != 0) {
            fprintf(stderr, "runrate %s: cannot write '%s': %s\n", cmd, o->out, err);
            return RR_ERR_IO;
        }
    } else if (fwrite(b->p, 1, b->len, stdout) != b->len || fflush(stdout) != 0) {
        fprintf(stderr, "runrate %s: cannot write the report to standard output: %s\n", cmd,
                strerror(errno));
        return RR_ERR_IO;
    }
    return RR_OK;
}

rr_sim_config cli_sim_config(const run_opts *o, const rr_scenario *s, progress *pg)
{
    rr_sim_config cfg = { .paths = o->has_paths ? o->paths : s->paths,
                          .seed = o->has_seed ? o->seed : s->seed,
                          .threads = o->threads,
                          .stop = &interrupted,
                          .draws_only = o->draws_only };
    if (pg && !o->quiet && isatty(STDERR_FILENO)) {
        cfg.progress = show_progress;
        cfg.progress_ctx = pg;
    }
    return cfg;
}

static rr_status format_summary(const char *format, const rr_summary *sum, rr_buf *b)
{
    if (strcmp(format, "json") == 0)
        return rr_report_json(sum, 1, b);
    if (strcmp(format, "csv") == 0)
        return rr_report_csv(sum, b);
    if (strcmp(format, "md") == 0)
        return rr_report_md(sum, b);
    if (strcmp(format, "html") == 0)
        return rr_report_html(sum, b);
    return rr_report_table(sum, b);
}

static rr_status format_compare(const char *format, const rr_compare *c, rr_buf *b)
{
    if (strcmp(format, "json") == 0)
        return rr_report_compare_json(c, b);
    if (strcmp(format, "csv") == 0)
        return rr_report_compare_csv(c, b);
    if (strcmp(format, "md") == 0)
        return rr_report_compare_md(c, b);
    if (strcmp(format, "html") == 0)
        return rr_report_compare_html(c, b);
    return rr_report_compare_table(c, b);
}

/* Several scenarios on the same paths: `compare`, and `run --sweep` (variants of one file). */
static rr_status run_many(const char *cmd, const run_opts *o, const char *const *files,
                          const char *const *sets, size_t k, const char *sweep_path,
                          const char *const *values, rr_buf *b, rr_diags *diags, size_t *bad,
                          int *strict_failed)
{
    rr_warnings seen;   /* a sweep's variants share their file's warnings: each said once */
    rr_warnings_init(&seen);
    rr_scenario *s[MAX_FILES * 4] = { NULL };
    rr_plan *p[MAX_FILES * 4] = { NULL };
    rr_result *r[MAX_FILES * 4] = { NULL };
    rr_result_diff *d[MAX_FILES * 4] = { NULL };
    rr_compare *c = NULL;
    rr_status st = k >= 1 && k <= MAX_FILES * 4 ? RR_OK : RR_ERR_USAGE;
    for (size_t i = 0; i < k && st == RR_OK; i++) {
        st = cli_load(files[i], o, sets ? &sets[i] : NULL, sets ? 1 : 0, &s[i], &diags[i]);
        if (st == RR_OK) {
            size_t from = seen.n;
            rr_warnings_append(&seen, &s[i]->warnings, 1);
            st = cli_warn_or_fail(cmd, o->no_warnings, o->strict, &seen, from, strict_failed);
        }
        if (st == RR_OK)
            st = rr_plan_new(s[i], &p[i]);
        *bad = i;
    }
    progress pg = { wall_seconds(), 0, 0 };
    if (st == RR_OK && s[0]) {
        rr_sim_config cfg = cli_sim_config(o, s[0], &pg);
        st = rr_sim_run_many((const rr_plan *const *)p, k, &cfg, r, d, &diags[0]);
        clear_progress(&pg);
        *bad = 0;
    }
    if (st == RR_OK)
        st = rr_compare_build(files, k, r, d, o->extra, o->nextra, &c);
    if (st == RR_OK)
        st = cli_warn_or_fail(cmd, o->no_warnings, o->strict, &c->warnings, c->nload_warnings,
                          strict_failed);
    if (st == RR_OK) {
        c->sweep = sweep_path;
        c->values = values;
        st = format_compare(o->format, c, b);
    }
    if (st == RR_OK)
        st = cli_emit(cmd, o, b);
    rr_compare_free(c);
    rr_warnings_free(&seen);
    for (size_t i = 0; i < k; i++) {
        rr_result_free(r[i]);
        rr_result_diff_free(d[i]);
        rr_plan_free(p[i]);
        rr_scenario_free(s[i]);
    }
    return st;
}

void cli_report_failure(const char *cmd, rr_status st, const rr_diags *diags,
                           const char *file, int strict_failed, const set_args *sa)
{
    if (strict_failed)
        fprintf(stderr, "runrate %s: --strict: warnings are errors; no report written\n", cmd);
    else if (diags->n || diags->lost)
        print_diags(diags, file, sa);
    else if (st != RR_ERR_IO)
        fprintf(stderr, "runrate %s: %s\n", cmd, rr_status_text(st));
}

static int cmd_sweep(const run_opts *o)
{
    rr_diags diags[MAX_FILES * 4] = { { 0 } };
    rr_diags_init(&diags[0], o->files[0]);
    char *path = NULL, **values = NULL;
    size_t n = 0, bad = 0;
    rr_buf b = { 0 };
    rr_status st = rr_override_split_sweep(o->sweep[0], &path, &values, &n, &diags[0]);
    if (st == RR_OK && n > MAX_FILES * 4) {
        rr_diags_add(&diags[0], 0, 0, "--sweep: at most %d values", MAX_FILES * 4);
        st = RR_ERR_USAGE;
    }
    size_t ninit = 1;
    char **sets = NULL;
    const char *files[MAX_FILES * 4];
    if (st == RR_OK) {
        sets = calloc(n, sizeof *sets);
        st = sets ? RR_OK : RR_ERR_NOMEM;
        for (size_t i = 0; st == RR_OK && i < n; i++) {
            size_t len = strlen(path) + strlen(values[i]) + 2;
            if (!(sets[i] = malloc(len))) {
                st = RR_ERR_NOMEM;
                break;
            }
            snprintf(sets[i], len, "%s=%s", path, values[i]);
            files[i] = o->files[0];
            if (i)
                rr_diags_init(&diags[ninit++], o->files[0]);
        }
    }
    int strict_failed = 0;
    if (st == RR_OK)
        st = run_many("run", o, files, (const char *const *)sets, n, path,
                      (const char *const *)values, &b, diags, &bad, &strict_failed);
    if (st != RR_OK) {
        set_args sa = { o->sets, o->nsets, { sets && bad < n ? sets[bad] : NULL, NULL }, 1 };
        cli_report_failure("run", st, &diags[bad < ninit ? bad : 0], o->files[0], strict_failed,
                       &sa);
    }
    for (size_t i = 0; i < ninit; i++)
        rr_diags_free(&diags[i]);
    for (size_t i = 0; sets && i < n; i++)
        free(sets[i]);
    free(sets);
    rr_override_free_values(values, n);
    free(path);
    rr_buf_free(&b);
    return cli_exit_code(st);
}

static int cmd_compare(int argc, char **argv)
{
    run_opts o;
    int rc = cli_parse_opts("compare", argc, argv, &o);
    if (rc == -2)
        return 0;
    if (rc != 0)
        return rc;
    if (o.break_even)
        return cli_break_even("compare", &o);
    if (o.nsweeps)
        return cli_grid("compare", &o);
    rr_diags diags[MAX_FILES] = { { 0 } };
    for (size_t i = 0; i < o.nfiles; i++)
        rr_diags_init(&diags[i], o.files[i]);
    rr_buf b = { 0 };
    size_t bad = 0;
    int strict_failed = 0;
    rr_status st = run_many("compare", &o, o.files, NULL, o.nfiles, NULL, NULL, &b, diags, &bad,
                            &strict_failed);
    if (st != RR_OK) {
        set_args sa = { o.sets, o.nsets, { NULL, NULL }, 0 };
        cli_report_failure("compare", st, &diags[bad], o.files[bad], strict_failed, &sa);
    }
    for (size_t i = 0; i < o.nfiles; i++)
        rr_diags_free(&diags[i]);
    rr_buf_free(&b);
    return cli_exit_code(st);
}

static int cmd_run(int argc, char **argv)
{
    run_opts o;
    int rc = cli_parse_opts("run", argc, argv, &o);
    if (rc == -2)
        return 0;
    if (rc != 0)
        return rc;
    if (o.break_even)
        return cli_break_even("run", &o);
    if (o.nsweeps == 2)
        return cli_grid("run", &o);
    if (o.nsweeps == 1)
        return cmd_sweep(&o);

    const char *file = o.files[0];
    rr_diags diags;
    rr_diags_init(&diags, file);
    rr_scenario *s = NULL;
    rr_plan *p = NULL;
    rr_result *r = NULL;
    rr_summary *sum = NULL;
    rr_buf b = { 0 };
    int strict_failed = 0;
    rr_status st = cli_load(file, &o, NULL, 0, &s, &diags);
    if (st == RR_OK)
        st = cli_warn_or_fail("run", o.no_warnings, o.strict, &s->warnings, 0, &strict_failed);
    if (st == RR_OK)
        st = rr_plan_new(s, &p);
    progress pg = { wall_seconds(), 0, 0 };
    double achieved = NAN;
    int met = 0;
    if (st == RR_OK) {
        rr_sim_config cfg = cli_sim_config(&o, s, &pg);
        if (isnan(o.precision))
            st = rr_sim_run(p, &cfg, &r, &diags);
        else
            st = rr_precision_run(p, &cfg, o.precision, o.max_paths, &r, &achieved, &met,
                                  &diags);
        if (st == RR_OK && !o.draws_only)
            st = rr_swing_run(p, &cfg, (size_t)o.swings, r, &diags);
        clear_progress(&pg);
    }
    /* Interrupted: no report, unless --partial asks for one, labelled as such. */
    rr_status sim_st = st;
    if (st == RR_ERR_INTERRUPTED && o.partial && r && r->paths > 0)
        st = RR_OK;
    if (st == RR_OK)
        st = rr_summary_build(r, o.extra, o.nextra, &sum);
    if (st == RR_OK)
        st = cli_warn_or_fail("run", o.no_warnings, o.strict, &sum->warnings, sum->nload_warnings,
                          &strict_failed);
    if (st == RR_OK && sim_st == RR_ERR_INTERRUPTED)
        sum->paths_requested = isnan(o.precision) ? (o.has_paths ? o.paths : s->paths) : o.max_paths;
    if (st == RR_OK && !isnan(o.precision)) {
        sum->precision = o.precision;
        sum->precision_met = met;
        sum->precision_achieved = achieved;
    }
    if (st == RR_OK)
        st = format_summary(o.format, sum, &b);
    if (st == RR_OK)
        st = cli_emit("run", &o, &b);
    else if (st == RR_ERR_INTERRUPTED)
        fprintf(stderr, "runrate run: interrupted after %llu paths; no report written (--partial "
                        "writes one from the paths done)\n",
                (unsigned long long)(r ? r->paths : 0));
    else {
        set_args sa = { o.sets, o.nsets, { NULL, NULL }, 0 };
        cli_report_failure("run", st, &diags, file, strict_failed, &sa);
    }
    if (st == RR_OK && sim_st == RR_ERR_INTERRUPTED) {
        fprintf(stderr, "runrate run: interrupted: a partial report of %llu paths was written\n",
                (unsigned long long)r->paths);
        st = sim_st;
    }
    rr_buf_free(&b);
    rr_summary_free(sum);
    rr_result_free(r);
    rr_plan_free(p);
    rr_scenario_free(s);
    rr_diags_free(&diags);
    return cli_exit_code(st);
}

static int cmd_validate(int argc, char **argv)
{
    int nfiles = 0, worst = 0, strict = 0, no_warnings = 0;
    run_opts o;
    memset(&o, 0, sizeof o);
    /* Files are the arguments that are neither options nor an option's value. */
    char *is_file = calloc((size_t)argc + 1, 1);
    if (!is_file)
        return EXIT_FAIL;
    for (int i = 2; i < argc; i++) {
        const char *v;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_validate, stdout);
            free(is_file);
            return 0;
        }
        const char *a = argv[i];
        if ((v = opt_value(argc, argv, &i, "--catalog"))) {
            if (!*v) {
                free(is_file);
                return usage_error("validate", "--catalog: expected a folder%s", "");
            }
            o.catalog = v;
        } else if (strcmp(a, "--strict") == 0)
            strict = 1;
        else if (strcmp(a, "--no-warnings") == 0)
            no_warnings = 1;
        else if (a[0] == '-' && a[1]) {
            free(is_file);
            return usage_error("validate", "unknown option '%s'", a);
        } else
            is_file[i] = 1;
    }
    for (int i = 2; i < argc; i++) {
        if (!is_file[i])
            continue;
        nfiles++;
        rr_diags diags;
        rr_diags_init(&diags, argv[i]);
        rr_scenario *s = NULL;
        rr_status st = cli_load(argv[i], &o, NULL, 0, &s, &diags);
        int strict_failed = 0;
        if (st == RR_OK)
            st = cli_warn_or_fail("validate", no_warnings, strict, &s->warnings, 0, &strict_failed);
        if (st == RR_OK) {
            printf("%s: ok%s\n", argv[i], s->warnings.n ? " (with warnings)" : "");
        } else if (strict_failed) {
            if (EXIT_BAD > worst)
                worst = EXIT_BAD;
        } else {
            if (diags.n || diags.lost)
                print_diags(&diags, argv[i], NULL);
            else
                fprintf(stderr, "%s: error: %s\n", argv[i], rr_status_text(st));
            int code = cli_exit_code(st);
            if (code > worst)
                worst = code;
        }
        rr_scenario_free(s);
        rr_diags_free(&diags);
    }
    free(is_file);
    if (!nfiles)
        return usage_error("validate", "missing the scenario FILE%s", "");
    if (fflush(stdout) != 0)
        return EXIT_FAIL;
    return worst;
}

static int run_command(int argc, char **argv);

int main(int argc, char **argv)
{
    if (rr_cluster_init(&argc, &argv) != 0) {
        fprintf(stderr, "runrate: MPI could not start\n");
        return EXIT_FAIL;
    }
    /* Under MPI every rank runs the same command; only rank 0 speaks, so a bad scenario is
     * reported once, and every rank still exits with the same status. */
    if (rr_cluster_rank() != 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            return EXIT_FAIL;
    }
    int rc = run_command(argc, argv);
    rr_cluster_finalize();
    return rc;
}

static int run_command(int argc, char **argv)
{
    /* GSL's default handler aborts; runrate checks statuses instead. */
    gsl_set_error_handler_off();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_BAD;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("runrate %s\n", RR_VERSION);
        return 0;
    }
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc, argv);
    if (strcmp(cmd, "validate") == 0)
        return cmd_validate(argc, argv);
    if (strcmp(cmd, "compare") == 0)
        return cmd_compare(argc, argv);
    if (strcmp(cmd, "track") == 0)
        return cli_track(argc, argv);
    if (strcmp(cmd, "schema") == 0)
        return rr_cli_schema(argc, argv);
    if (strcmp(cmd, "prices") == 0)
        return cli_prices(argc, argv);
    static const char *const commands[] = { "run", "compare", "validate", "track", "schema",
                                            "prices", NULL };
    const char *hint = rr_suggest(cmd, commands);
    if (hint) {
        fprintf(stderr, "runrate: unknown command '%s' (did you mean '%s'?)\nTry 'runrate "
                        "--help'.\n", cmd, hint);
        return EXIT_BAD;
    }
    return usage_error(NULL, "unknown command '%s' (expected run, compare, validate, track, "
                             "schema or prices)", cmd);
}
