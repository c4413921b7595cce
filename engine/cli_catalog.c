/* cli_catalog: where the price catalog is, the scenario's references to it, and `prices`. */
/* realpath() is XSI. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "report/report_util.h"
#include "scenario/catalog.h"

#ifndef RR_DATADIR
#define RR_DATADIR "/usr/local/share/runrate"
#endif

static const char usage_prices[] =
    "usage: runrate prices [PATTERN] [--format table|json] [--catalog DIR]\n"
    "\n"
    "List the price catalog: model API prices per 1M tokens, instance rates per hour (on\n"
    "demand, one-year reserved, spot range) and unit prices, each with the date it was\n"
    "checked and its public source.  A scenario names an entry instead of typing its prices:\n"
    "price_per_million: {catalog: ENTRY}, hourly_rate: {catalog: ENTRY[/reserved-1y|/spot]}.\n"
    "\n"
    "  PATTERN            entries whose id matches this glob (anthropic/*, */g6*), or\n"
    "                     holds this text when it has no * ? [\n"
    "  --format F         table (default) or json\n"
    "  --catalog DIR      the catalog (default: $RUNRATE_CATALOG, else the installed one,\n"
    "                     else the checkout's)\n";

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* dir (a real path) relative to the working directory when it lies below it, so that
 * reports and messages run in a checkout name "scenarios/catalog", not a machine's path. */
static void relative_to_cwd(char *dir, size_t n)
{
    char cwd[4096], real[4096];
    if (!getcwd(cwd, sizeof cwd) || !realpath(dir, real))
        return;
    size_t len = strlen(cwd);
    if (strncmp(real, cwd, len) == 0 && real[len] == '/')
        snprintf(dir, n, "%s", real + len + 1);
    else
        snprintf(dir, n, "%s", real);
}

/* The catalog's folder into buf, or NULL with `where` saying where runrate looked. */
static const char *locate(const char *opt, char *buf, size_t n, char *where, size_t wn)
{
    const char *env = getenv("RUNRATE_CATALOG");
    if (opt) {
        snprintf(where, wn, "--catalog %s", opt);
        return opt;
    }
    if (env && *env) {
        snprintf(where, wn, "RUNRATE_CATALOG=%s", env);
        return env;
    }
    if (is_dir(RR_DATADIR "/catalog")) {
        snprintf(buf, n, "%s", RR_DATADIR "/catalog");
        return buf;
    }
    /* A build in a checkout: the catalog beside the binary, in scenarios/catalog. */
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = 0;
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = 0;
        int w = snprintf(buf, n, "%s/scenarios/catalog", exe);
        if (w <= 0 || (size_t)w >= n || !is_dir(buf))
            w = snprintf(buf, n, "%s/../scenarios/catalog", exe);   /* build-asan/runrate */
        if (w > 0 && (size_t)w < n && is_dir(buf)) {
            relative_to_cwd(buf, n);
            return buf;
        }
    }
    snprintf(where, wn, "looked in %s/catalog and beside the program", RR_DATADIR);
    return NULL;
}

/* Load the catalog, printing its own errors (they are in its files, not the scenario). */
static rr_status load(const char *cmd, const char *opt, rr_catalog *cat, char *where,
                      size_t wn)
{
    char buf[4096];
    const char *dir = locate(opt, buf, sizeof buf, where, wn);
    if (!dir)
        return RR_ERR_IO;
    rr_diags d;
    rr_diags_init(&d, dir);
    rr_status st = rr_catalog_load(dir, cat, &d);
    if (st != RR_OK) {
        for (size_t i = 0; i < d.n; i++) {
            if (d.v[i].line > 0)
                fprintf(stderr, "%s:%d:%d: error: %s\n", d.file, d.v[i].line, d.v[i].col,
                        d.v[i].msg);
            else
                fprintf(stderr, "%s: error: %s\n", d.file ? d.file : dir, d.v[i].msg);
        }
        if (!d.n)
            fprintf(stderr, "runrate%s%s: the price catalog in %s: %s\n", cmd ? " " : "",
                    cmd ? cmd : "", dir, rr_status_text(st));
        snprintf(where, wn, "%s, which has errors", dir);
    }
    rr_diags_free(&d);
    return st;
}

rr_status cli_catalog_expand(const char *cmd, rr_node *root, const char *dir,
                             rr_catalog_uses *uses, rr_diags *diags)
{
    if (!rr_catalog_referenced(root))
        return RR_OK;
    rr_catalog cat;
    char where[4200];
    rr_status st = load(cmd, dir, &cat, where, sizeof where);
    if (st == RR_ERR_NOMEM)
        return st;
    st = rr_catalog_expand(root, st == RR_OK ? &cat : NULL, where, uses, diags);
    rr_catalog_free(&cat);
    return st;
}

void cli_catalog_attach(rr_scenario *s, rr_catalog_uses *uses)
{
    s->catalog = *uses;
    uses->v = NULL;
    uses->n = 0;
    rr_catalog_warn_stale(&s->catalog, s->start_year, s->start_month, s->file, &s->warnings);
}

static int matches(const char *pattern, const char *id)
{
    if (!pattern)
        return 1;
    if (strpbrk(pattern, "*?["))
        return fnmatch(pattern, id, 0) == 0;
    return strstr(id, pattern) != NULL;
}

static const char *const kind_names[] = { "model", "instance", "price" };

/* A number as the table shows it: up to 4 significant decimals, "-" when absent. */
static void cell(char *buf, size_t n, const rr_catalog_entry *e, int i)
{
    if (e->has & 1u << i)
        snprintf(buf, n, "%g", e->v[i]);
    else
        snprintf(buf, n, "-");
}

static void json_num(rr_buf *b, const char *key, const rr_catalog_entry *e, int i)
{
    if (!(e->has & 1u << i))
        return;
    rr_buf_printf(b, ", \"%s\": ", key);
    rr_buf_json_num(b, e->v[i]);
}

static void prices_json(rr_buf *b, const rr_catalog *cat, const char *pattern)
{
    rr_buf_puts(b, "{\"catalog\": ");
    rr_buf_json_str(b, cat->dir);
    rr_buf_puts(b, ", \"entries\": [");
    int first = 1;
    for (size_t i = 0; i < cat->n; i++) {
        const rr_catalog_entry *e = &cat->v[i];
        if (!matches(pattern, e->id))
            continue;
        rr_buf_puts(b, first ? "\n  {\"entry\": " : ",\n  {\"entry\": ");
        first = 0;
        rr_buf_json_str(b, e->id);
        rr_buf_printf(b, ", \"kind\": \"%s\", \"currency\": ", kind_names[e->kind]);
        rr_buf_json_str(b, e->currency);
        rr_buf_puts(b, ", \"unit\": ");
        rr_buf_json_str(b, e->kind == RR_CATALOG_MODEL      ? "1M tokens"
                           : e->kind == RR_CATALOG_INSTANCE ? "hour"
                                                            : e->unit);
        if (e->kind == RR_CATALOG_MODEL) {
            json_num(b, "input", e, RR_CAT_INPUT);
            json_num(b, "output", e, RR_CAT_OUTPUT);
            json_num(b, "cached_input", e, RR_CAT_CACHED);
            json_num(b, "cache_write", e, RR_CAT_WRITE);
            json_num(b, "batch_discount", e, RR_CAT_BATCH);
        } else if (e->kind == RR_CATALOG_INSTANCE) {
            json_num(b, "on_demand", e, RR_CAT_ON_DEMAND);
            json_num(b, "reserved_1y", e, RR_CAT_RESERVED);
            if (e->has & 1u << RR_CAT_SPOT_LO) {
                rr_buf_puts(b, ", \"spot\": [");
                rr_buf_json_num(b, e->v[RR_CAT_SPOT_LO]);
                rr_buf_puts(b, ", ");
                rr_buf_json_num(b, e->v[RR_CAT_SPOT_HI]);
                rr_buf_puts(b, "]");
            }
            if (e->hardware) {
                rr_buf_puts(b, ", \"hardware\": ");
                rr_buf_json_str(b, e->hardware);
            }
        } else {
            json_num(b, "price", e, RR_CAT_PRICE_VALUE);
        }
        rr_buf_puts(b, ", \"checked\": ");
        rr_buf_json_str(b, e->checked);
        rr_buf_puts(b, ", \"source\": ");
        rr_buf_json_str(b, e->source);
        if (e->note) {
            rr_buf_puts(b, ", \"note\": ");
            rr_buf_json_str(b, e->note);
        }
        rr_buf_puts(b, "}");
    }
    rr_buf_puts(b, first ? "]}\n" : "\n]}\n");
}

static void prices_table(rr_buf *b, const rr_catalog *cat, const char *pattern)
{
    static const char *const heads[] = { "models (per 1M tokens)", "instances (per hour)",
                                         "prices" };
    static const char *const cols[] = { "    input   output   cached    write  batch off",
                                        "on demand  reserved-1y     spot range",
                                        "    price  unit" };
    size_t shown = 0;
    int w = 24;   /* the id column: as wide as the longest id shown */
    for (size_t i = 0; i < cat->n; i++)
        if (matches(pattern, cat->v[i].id) && (int)strlen(cat->v[i].id) > w)
            w = (int)strlen(cat->v[i].id);
    for (int kind = 0; kind < 3; kind++) {
        int head = 0;
        for (size_t i = 0; i < cat->n; i++) {
            const rr_catalog_entry *e = &cat->v[i];
            char c[5][32];
            if (e->kind != (rr_catalog_kind)kind || !matches(pattern, e->id))
                continue;
            if (!head++)
                rr_buf_printf(b, "%s%-*s %s   checked     source\n", shown ? "\n" : "",
                              w + 2, heads[kind], cols[kind]);
            shown++;
            for (int k = 0; k < 5; k++)
                cell(c[k], sizeof c[k], e, k);
            if (kind == RR_CATALOG_MODEL)
                rr_buf_printf(b, "  %-*s %9s %8s %8s %8s %10s   %s  %s\n", w, e->id, c[0],
                              c[1], c[2], c[3], c[4], e->checked, e->source);
            else if (kind == RR_CATALOG_INSTANCE) {
                char spot[64] = "-";
                if (e->has & 1u << RR_CAT_SPOT_LO)
                    snprintf(spot, sizeof spot, "%g-%g", e->v[RR_CAT_SPOT_LO],
                             e->v[RR_CAT_SPOT_HI]);
                rr_buf_printf(b, "  %-*s %9s %12s %14s   %s  %s\n", w, e->id, c[0], c[1], spot,
                              e->checked, e->source);
            } else
                rr_buf_printf(b, "  %-*s %9s  %-15s   %s  %s\n", w, e->id, c[0], e->unit,
                              e->checked, e->source);
        }
    }
    if (!shown)
        rr_buf_printf(b, "no entry of %s matches '%s'\n", cat->dir, pattern ? pattern : "");
    else
        rr_buf_printf(b, "\n%zu of %zu entries, from %s; prices in %s\n", shown, cat->n,
                      cat->dir, cat->n ? cat->v[0].currency : "");
}

int cli_prices(int argc, char **argv)
{
    const char *pattern = NULL, *format = "table", *dir = NULL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_prices, stdout);
            return 0;
        }
        if (strcmp(a, "--format") == 0 || strcmp(a, "--catalog") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "runrate prices: %s needs a value\n%s", a, usage_prices);
                return 2;
            }
            *(a[2] == 'f' ? &format : &dir) = argv[++i];
        } else if (strncmp(a, "--format=", 9) == 0) {
            format = a + 9;
        } else if (strncmp(a, "--catalog=", 10) == 0) {
            dir = a + 10;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "runrate prices: unknown option '%s'\n%s", a, usage_prices);
            return 2;
        } else if (pattern) {
            fprintf(stderr, "runrate prices: one PATTERN at most, got '%s' and '%s'\n", pattern,
                    a);
            return 2;
        } else {
            pattern = a;
        }
    }
    if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0) {
        fprintf(stderr, "runrate prices: --format: expected table or json, got '%s'\n", format);
        return 2;
    }
    rr_catalog cat;
    char where[4200];
    rr_status st = load("prices", dir, &cat, where, sizeof where);
    if (st == RR_ERR_IO && !strstr(where, "errors"))
        fprintf(stderr, "runrate prices: no price catalog found (%s); give --catalog DIR or "
                        "set RUNRATE_CATALOG\n", where);
    if (st != RR_OK)
        return cli_exit_code(st == RR_ERR_IO ? RR_ERR_SCENARIO : st);
    rr_buf b = { 0 };
    if (strcmp(format, "json") == 0)
        prices_json(&b, &cat, pattern);
    else
        prices_table(&b, &cat, pattern);
    rr_catalog_free(&cat);
    int rc = 0;
    if (b.failed || fwrite(b.p, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
        fprintf(stderr, "runrate prices: cannot write: %s\n", strerror(errno));
        rc = 1;
    }
    rr_buf_free(&b);
    return rc;
}
