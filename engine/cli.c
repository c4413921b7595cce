/* cli: runrate's main.  Parses arguments, wires scenario -> sim -> summary -> report, prints
 * errors and sets the exit status: 0 success, 2 bad usage or bad scenario, 1 internal
 * failure (out of memory, an output that cannot be written).  The only file that prints or
 * exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "precision.h"
#include "report.h"
#include "scenario.h"
#include "sim.h"
#include "summary.h"

#define EXIT_BAD 2
#define EXIT_FAIL 1

static const char usage_main[] =
    "usage: runrate COMMAND [OPTIONS]\n"
    "\n"
    "Forecast what an AI system will cost to run, by Monte Carlo simulation of a scenario.\n"
    "\n"
    "commands:\n"
    "  run FILE        simulate a scenario and report cost percentiles\n"
    "  validate FILE.. check scenarios, simulate nothing\n"
    "\n"
    "  runrate --version        print the version\n"
    "  runrate COMMAND --help   help on a command\n"
    "\n"
    "Exit status: 0 success, 2 bad usage or bad scenario, 1 internal failure.\n";

static const char usage_run[] =
    "usage: runrate run FILE [--paths N] [--seed S] [--threads T] [--format F] [--out FILE]\n"
    "                        [--percentiles P,...] [--precision REL [--max-paths N]] [--quiet]\n"
    "\n"
    "Simulate the scenario in FILE and report the cost per month, per category and over the\n"
    "horizon at mean/P50/P80/P95, and the chance of exceeding the budget.\n"
    "\n"
    "  --paths N          simulated paths (default: the file's simulation.paths, else 100000)\n"
    "  --seed S           random seed, 0..2^64-1 (default: simulation.seed, else 1)\n"
    "  --threads T        threads (default: all, or OMP_NUM_THREADS); results do not depend\n"
    "                     on it\n"
    "  --format F         table (default) or json\n"
    "  --out FILE         write the report to FILE, whole or not at all (default: stdout)\n"
    "  --percentiles LIST extra percentiles, e.g. 99.9,99.99 (JSON keys p99.9, p99.99)\n"
    "  --precision REL    run in batches until the 95% interval of the total's P95 is\n"
    "                     within +-REL of it (e.g. 0.005), at least 0.002\n"
    "  --max-paths N      the most paths --precision may use (default 10000000)\n"
    "  --quiet            no progress line on stderr (shown only on a terminal)\n";

static const char usage_validate[] =
    "usage: runrate validate FILE...\n"
    "\n"
    "Check each scenario file; print 'FILE: ok' or every error as FILE:LINE:COL: error: ...\n"
    "Exit status 2 when any file has errors.\n";

static void print_diags(const rr_diags *d, const char *file)
{
    for (size_t i = 0; i < d->n; i++) {
        if (d->v[i].line > 0)
            fprintf(stderr, "%s:%d:%d: error: %s\n", file, d->v[i].line, d->v[i].col,
                    d->v[i].msg);
        else
            fprintf(stderr, "%s: error: %s\n", file, d->v[i].msg);
    }
    if (d->lost)
        fprintf(stderr, "%s: error: %d more error%s not shown\n", file, d->lost,
                d->lost == 1 ? "" : "s");
}

static int exit_code(rr_status st)
{
    switch (st) {
    case RR_OK:
        return 0;
    case RR_ERR_USAGE:
    case RR_ERR_SCENARIO:
    case RR_ERR_NUMERIC:
        return EXIT_BAD;
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

static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (!*s || strspn(s, "0123456789") != strlen(s))
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
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

/* Write the whole buffer to `path` through a temporary file in the same folder and a rename,
 * so the target holds the old report or the new one, never part of one. */
static int write_atomic(const char *path, const rr_buf *b, char *err, size_t errlen)
{
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
    size_t off = 0;
    int rc = 0;
    while (off < b->len) {
        ssize_t w = write(fd, b->p + off, b->len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            snprintf(err, errlen, "%s", strerror(errno));
            rc = -1;
            break;
        }
        off += (size_t)w;
    }
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

/* Options of `run`. */
typedef struct run_opts {
    const char *file, *out, *format;
    uint64_t paths, seed, max_paths;
    int has_paths, has_seed, threads, quiet;
    double precision;        /* NaN: not asked */
    double extra[RR_MAX_QUANTILES];
    size_t nextra;
} run_opts;

/* Take "--name value" or "--name=value"; returns the value or NULL (and advances *i). */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc)
        return "";
    return argv[++*i];
}

static int parse_run(int argc, char **argv, run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = "table";
    o->precision = NAN;
    o->max_paths = RR_PRECISION_MAX_PATHS;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_run, stdout);
            return -2;
        } else if ((v = opt_value(argc, argv, &i, "--paths"))) {
            if (parse_u64(v, 1, RR_MAX_PATHS, &o->paths) != 0)
                return usage_error("run", "--paths: expected a whole number in 1..10000000000, "
                                          "got '%s'", v);
            o->has_paths = 1;
        } else if ((v = opt_value(argc, argv, &i, "--seed"))) {
            if (parse_u64(v, 0, UINT64_MAX, &o->seed) != 0)
                return usage_error("run", "--seed: expected a whole number in 0..2^64-1, got '%s'",
                                   v);
            o->has_seed = 1;
        } else if ((v = opt_value(argc, argv, &i, "--threads"))) {
            uint64_t t;
            if (parse_u64(v, 1, 4096, &t) != 0)
                return usage_error("run", "--threads: expected a whole number in 1..4096, got '%s'",
                                   v);
            o->threads = (int)t;
        } else if ((v = opt_value(argc, argv, &i, "--format"))) {
            if (strcmp(v, "table") != 0 && strcmp(v, "json") != 0)
                return usage_error("run", "--format: expected table or json, got '%s'", v);
            o->format = v;
        } else if ((v = opt_value(argc, argv, &i, "--out"))) {
            if (!*v)
                return usage_error("run", "--out: expected a file name%s", "");
            o->out = v;
        } else if ((v = opt_value(argc, argv, &i, "--percentiles"))) {
            if (parse_percentiles(v, o->extra, 16, &o->nextra) != 0)
                return usage_error("run", "--percentiles: expected up to 16 comma-separated "
                                          "percents in (0, 100), e.g. 99.9,99.99; got '%s'", v);
        } else if ((v = opt_value(argc, argv, &i, "--precision"))) {
            char *end;
            errno = 0;
            o->precision = strtod(v, &end);
            if (end == v || *end || errno || !(o->precision > 0 && o->precision < 1))
                return usage_error("run", "--precision: expected a relative precision such as "
                                          "0.005, got '%s'", v);
            if (o->precision < RR_PRECISION_MIN)
                return usage_error("run", "--precision: %s is finer than 0.002, the finest that "
                                          "means anything: the quantile sketches are accurate to "
                                          "0.001 on their own", v);
        } else if ((v = opt_value(argc, argv, &i, "--max-paths"))) {
            if (parse_u64(v, 1, RR_MAX_PATHS, &o->max_paths) != 0)
                return usage_error("run", "--max-paths: expected a whole number in "
                                          "1..10000000000, got '%s'", v);
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o->quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("run", "unknown option '%s'", a);
        } else if (o->file) {
            return usage_error("run", "one scenario file at a time; got a second: '%s'", a);
        } else {
            o->file = a;
        }
    }
    if (!o->file)
        return usage_error("run", "missing the scenario FILE%s", "");
    if (isnan(o->precision) && o->max_paths != RR_PRECISION_MAX_PATHS)
        return usage_error("run", "--max-paths goes with --precision%s", "");
    if (!isnan(o->precision) && o->has_paths)
        return usage_error("run", "--paths and --precision exclude each other: --precision "
                                  "decides the paths (cap them with --max-paths)%s", "");
    return 0;
}

/* The progress line: on a terminal only, after the first second, at most five times a
 * second; cleared at the end so a report on stdout is not mixed with it. */
typedef struct progress {
    double start, last;
    int shown;
} progress;

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

static int cmd_run(int argc, char **argv)
{
    run_opts o;
    int rc = parse_run(argc, argv, &o);
    if (rc == -2)
        return 0;
    if (rc != 0)
        return rc;
    if (o.out && same_file(o.out, o.file)) {
        fprintf(stderr, "runrate run: refusing to write the report over the scenario file '%s'\n",
                o.file);
        return EXIT_BAD;
    }

    rr_diags diags;
    rr_diags_init(&diags, o.file);
    rr_scenario *s = NULL;
    rr_sim_result *r = NULL;
    rr_summary *sum = NULL;
    rr_buf b = { 0 };
    rr_status st = rr_scenario_load(o.file, &s, &diags);
    if (st == RR_ERR_IO)
        st = RR_ERR_SCENARIO;   /* an unreadable scenario is the user's to fix */
    progress pg = { wall_seconds(), 0, 0 };
    double achieved = NAN;
    int met = 0;
    if (st == RR_OK) {
        rr_sim_config cfg = { .paths = o.has_paths ? o.paths : s->paths,
                              .seed = o.has_seed ? o.seed : s->seed,
                              .threads = o.threads };
        if (!o.quiet && isatty(STDERR_FILENO)) {
            cfg.progress = show_progress;
            cfg.progress_ctx = &pg;
        }
        if (isnan(o.precision))
            st = rr_sim_run(s, &cfg, &r, &diags);
        else
            st = rr_precision_run(s, &cfg, o.precision, o.max_paths, &r, &achieved, &met,
                                  &diags);
        clear_progress(&pg);
    }
    if (st == RR_OK)
        st = rr_summary_build(s, r, o.extra, o.nextra, &sum);
    if (st == RR_OK && !isnan(o.precision)) {
        sum->precision = o.precision;
        sum->precision_met = met;
        sum->precision_achieved = achieved;
    }
    if (st == RR_OK)
        st = strcmp(o.format, "json") == 0 ? rr_report_json(sum, 1, &b) : rr_report_table(sum, &b);
    if (st == RR_OK) {
        char err[256];
        if (o.out) {
            if (write_atomic(o.out, &b, err, sizeof err) != 0) {
                fprintf(stderr, "runrate run: cannot write '%s': %s\n", o.out, err);
                st = RR_ERR_IO;
            }
        } else if (fwrite(b.p, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
            fprintf(stderr, "runrate run: cannot write the report to standard output: %s\n",
                    strerror(errno));
            st = RR_ERR_IO;
        }
    } else if (diags.n || diags.lost) {
        print_diags(&diags, o.file);
    } else {
        fprintf(stderr, "runrate run: %s\n", rr_status_text(st));
    }
    rr_buf_free(&b);
    rr_summary_free(sum);
    rr_sim_result_free(r);
    rr_scenario_free(s);
    rr_diags_free(&diags);
    return exit_code(st);
}

static int cmd_validate(int argc, char **argv)
{
    int nfiles = 0, worst = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_validate, stdout);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return usage_error("validate", "unknown option '%s'", argv[i]);
    }
    for (int i = 2; i < argc; i++) {
        nfiles++;
        rr_diags diags;
        rr_diags_init(&diags, argv[i]);
        rr_scenario *s = NULL;
        rr_status st = rr_scenario_load(argv[i], &s, &diags);
        if (st == RR_ERR_IO)
            st = RR_ERR_SCENARIO;
        if (st == RR_OK) {
            printf("%s: ok\n", argv[i]);
        } else {
            if (diags.n || diags.lost)
                print_diags(&diags, argv[i]);
            else
                fprintf(stderr, "%s: error: %s\n", argv[i], rr_status_text(st));
            int code = exit_code(st);
            if (code > worst)
                worst = code;
        }
        rr_scenario_free(s);
        rr_diags_free(&diags);
    }
    if (!nfiles)
        return usage_error("validate", "missing the scenario FILE%s", "");
    if (fflush(stdout) != 0)
        return EXIT_FAIL;
    return worst;
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts; runrate checks statuses instead. */
    gsl_set_error_handler_off();
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
    return usage_error(NULL, "unknown command '%s' (expected run or validate)", cmd);
}
