/* report_decide: grids and break-evens (stats/decision.h) as a table, JSON, CSV and
 * Markdown, and the choice of format (the HTML pages are report_decide_html.c).
 *
 * Every cell of a grid and every evaluation of a break-even ran on the same paths with the
 * same seed (common random numbers): what separates two cells is the swept input, not
 * Monte Carlo noise, and every form says so.  A break-even holds its path constant at each
 * value, its own uncertainty set aside, and every form says that too: the value found
 * answers a question about a known input, not about the uncertain one in the file.
 */
#include "report/report_decide.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"
#include "report/report.h"

/* ---- tables of strings ---- */

void rr_dtab_init(rr_dtab *t, size_t nrows, size_t ncols)
{
    t->nrows = nrows;
    t->ncols = ncols;
    t->cell = calloc((nrows + 1) * ncols, sizeof *t->cell);
    t->failed = t->cell == NULL;
}

void rr_dtab_set(rr_dtab *t, size_t row, size_t col, const char *s)
{
    if (t->failed || row > t->nrows || col >= t->ncols)
        return;
    char **c = &t->cell[row * t->ncols + col];
    free(*c);
    *c = strdup(s);
    t->failed = *c == NULL;
}

void rr_dtab_free(rr_dtab *t)
{
    for (size_t i = 0; t->cell && i < (t->nrows + 1) * t->ncols; i++)
        free(t->cell[i]);
    free(t->cell);
    t->cell = NULL;
}

static const char *cell(const rr_dtab *t, size_t row, size_t col)
{
    const char *s = t->cell ? t->cell[row * t->ncols + col] : NULL;
    return s ? s : "";
}

/* Characters, not bytes: a value or a name may be UTF-8. */
static size_t width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static size_t column_width(const rr_dtab *t, size_t col)
{
    size_t w = 0;
    for (size_t r = 0; r <= t->nrows; r++) {
        size_t n = width(cell(t, r, col));
        w = n > w ? n : w;
    }
    return w;
}

void rr_dtab_text(rr_buf *b, const rr_dtab *t)
{
    for (size_t r = 0; r <= t->nrows; r++) {
        rr_buf_puts(b, " ");
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = cell(t, r, c);
            int gap = (int)(column_width(t, c) - width(s));
            if (c == 0)
                rr_buf_printf(b, " %s%*s", s, gap, "");
            else
                rr_buf_printf(b, "  %*s%s", gap, "", s);
        }
        rr_buf_puts(b, "\n");
    }
}

void rr_dtab_md(rr_buf *b, const rr_dtab *t)
{
    for (size_t r = 0; r <= t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            rr_buf_puts(b, c ? " | " : "| ");
            rr_buf_md(b, cell(t, r, c));
        }
        rr_buf_puts(b, " |\n");
        for (size_t c = 0; r == 0 && c < t->ncols; c++)
            rr_buf_puts(b, c == 0 ? "|:---|" : "---:|");
        rr_buf_puts(b, r == 0 ? "\n" : "");
    }
}

void rr_dtab_html(rr_buf *b, const rr_dtab *t)
{
    rr_buf_puts(b, "<table>\n<thead><tr>");
    for (size_t r = 0; r <= t->nrows; r++) {
        if (r == 1)
            rr_buf_puts(b, "</tr></thead>\n<tbody>\n<tr>");
        else if (r > 1)
            rr_buf_puts(b, "<tr>");
        for (size_t c = 0; c < t->ncols; c++) {
            const char *tag = r == 0 ? "th" : "td";
            rr_buf_printf(b, c ? "<%s class=\"n\">" : "<%s>", tag);
            rr_buf_html(b, cell(t, r, c));
            rr_buf_printf(b, "</%s>", tag);
        }
        if (r > 0)
            rr_buf_puts(b, "</tr>\n");
    }
    rr_buf_puts(b, t->nrows ? "</tbody>\n</table>\n" : "</tr></thead>\n</table>\n");
}

static void money_cell(rr_dtab *t, size_t row, size_t col, double x)
{
    char s[48];
    rr_dtab_set(t, row, col, rr_fmt_money(s, sizeof s, x));
}

static void pct_cell(rr_dtab *t, size_t row, size_t col, double x)
{
    char s[16];
    rr_dtab_set(t, row, col, rr_fmt_pct(s, sizeof s, x));
}

/* ---- the sections of a grid ---- */

void rr_decide_series_name(const rr_grid *g, size_t s, char *out, size_t size)
{
    if (g->compare)
        snprintf(out, size, "%s - %s", g->names[s + 1] ? g->names[s + 1] : "",
                 g->names[0] ? g->names[0] : "");
    else
        snprintf(out, size, "total");
}

static const char *currency(const rr_grid *g)
{
    return g->currency ? g->currency : "";
}

/* One axis: a row per value.  Run: the total's mean, P50, P80, P95 and the chance over the
 * budget (with one); compare: the difference's mean, P50, P80 and the chance B costs more. */
static void rows_section(const rr_grid *g, const rr_report_q *q, rr_decide_section *sec)
{
    static const char *const head[6] = { "value", "mean", "P50", "P80", "P95", "P(exceed)" };
    const int budget = !g->compare && g->has_budget;
    rr_dtab *t = &sec->tab;
    rr_dtab_init(t, g->axis[0].n, g->compare ? 5 : 5 + (size_t)budget);
    for (size_t c = 0; c < t->ncols; c++)
        rr_dtab_set(t, 0, c, g->compare && c == 4 ? "P(B costlier)" : head[c]);
    for (size_t i = 0; i < g->axis[0].n; i++) {
        const size_t k = rr_grid_at(g, i, 0, sec->s);
        const rr_stats *st = &g->stats[k];
        rr_dtab_set(t, i + 1, 0, g->axis[0].values[i]);
        money_cell(t, i + 1, 1, st->mean);
        money_cell(t, i + 1, 2, st->q[q->p50]);
        money_cell(t, i + 1, 3, st->q[q->p80]);
        if (g->compare)
            pct_cell(t, i + 1, 4, g->p[k]);
        else
            money_cell(t, i + 1, 4, st->q[q->p95]);
        if (budget)
            pct_cell(t, i + 1, 5, g->p[k]);
    }
}

/* Two axes: axis 0's values down, axis 1's across, each cell the P50 (prob 0) or the
 * probability (prob 1). */
static void matrix_section(const rr_grid *g, const rr_report_q *q, int prob,
                           rr_decide_section *sec)
{
    const size_t n0 = g->axis[0].n, n1 = g->axis[1].n;
    rr_dtab *t = &sec->tab;
    rr_dtab_init(t, n0, n1 + 1);
    rr_dtab_set(t, 0, 0, "");
    for (size_t j = 0; j < n1; j++)
        rr_dtab_set(t, 0, j + 1, g->axis[1].values[j]);
    for (size_t i = 0; i < n0; i++) {
        rr_dtab_set(t, i + 1, 0, g->axis[0].values[i]);
        for (size_t j = 0; j < n1; j++) {
            const size_t k = rr_grid_at(g, i, j, sec->s);
            if (prob)
                pct_cell(t, i + 1, j + 1, g->p[k]);
            else
                money_cell(t, i + 1, j + 1, g->stats[k].q[q->p50]);
        }
    }
}

static void section_words(const rr_grid *g, rr_decide_section *sec)
{
    char budget[48];
    const char *a = g->names[0] ? g->names[0] : "";
    const char *b = g->compare && g->names[sec->s + 1] ? g->names[sec->s + 1] : "";
    const char *p0 = g->axis[0].path ? g->axis[0].path : "";
    const char *p1 = g->axis[1].path ? g->axis[1].path : "";
    rr_fmt_money(budget, sizeof budget, g->budget_total);
    if (sec->kind == RR_DECIDE_P && g->compare)
        snprintf(sec->title, sizeof sec->title, "Chance %s costs more than %s", b, a);
    else if (sec->kind == RR_DECIDE_P)
        snprintf(sec->title, sizeof sec->title, "Chance the total exceeds the budget of %s",
                 budget);
    else if (g->compare)
        snprintf(sec->title, sizeof sec->title, "%s minus %s, per path (%s)%s", b, a,
                 currency(g), sec->kind == RR_DECIDE_P50 ? ": P50" : "");
    else
        snprintf(sec->title, sizeof sec->title, "%s (%s)",
                 sec->kind == RR_DECIDE_P50 ? "The total's P50 over the horizon"
                                            : "Cost over the horizon", currency(g));
    if (sec->kind != RR_DECIDE_ROWS)
        snprintf(sec->note, sizeof sec->note, "rows: %s; columns: %s", p0, p1);
    else if (g->compare)
        snprintf(sec->note, sizeof sec->note, "by %s; P(B costlier): the share of paths where "
                 "%s costs more than %s", p0, b, a);
    else if (g->has_budget)
        snprintf(sec->note, sizeof sec->note, "by %s; P(exceed): the chance the total exceeds "
                 "the budget of %s", p0, budget);
    else
        snprintf(sec->note, sizeof sec->note, "by %s", p0);
}

/* Build one section, hand it over, free it. */
static rr_status section(const rr_grid *g, const rr_report_q *q, rr_decide_kind kind, size_t s,
                         rr_decide_emit_fn emit, rr_buf *b)
{
    rr_decide_section sec = { .kind = kind, .s = s };
    section_words(g, &sec);
    if (kind == RR_DECIDE_ROWS)
        rows_section(g, q, &sec);
    else
        matrix_section(g, q, kind == RR_DECIDE_P, &sec);
    const int failed = sec.tab.failed;
    if (!failed)
        emit(b, g, &sec, q);
    rr_dtab_free(&sec.tab);
    return failed ? RR_ERR_NOMEM : RR_OK;
}

rr_status rr_decide_grid_sections(const rr_grid *g, rr_decide_emit_fn emit, rr_buf *b)
{
    rr_report_q q;
    if (rr_report_q_find(g->qp, g->nq, &q) != 0 || g->naxes < 1 || g->naxes > 2)
        return RR_ERR_INTERNAL;
    rr_status st = RR_OK;
    for (size_t s = 0; s < g->nseries && st == RR_OK; s++) {
        if (g->naxes == 1) {
            st = section(g, &q, RR_DECIDE_ROWS, s, emit, b);
            continue;
        }
        st = section(g, &q, RR_DECIDE_P50, s, emit, b);
        if (st == RR_OK && (g->compare || g->has_budget))
            st = section(g, &q, RR_DECIDE_P, s, emit, b);
    }
    if (st == RR_OK && b->failed)
        st = RR_ERR_NOMEM;
    return st;
}

/* ---- the words of a break-even ---- */

const char *rr_decide_fmt_v(char *s, size_t size, double v)
{
    /* From 100,000 up six digits are whole units: separators read better than "1.025e+06". */
    if (isfinite(v) && fabs(v) >= 1e5)
        return rr_fmt_money(s, size, v);
    if (isfinite(v))
        snprintf(s, size, "%.6g", v);
    else
        snprintf(s, size, "-");
    return s;
}

void rr_decide_on_key(const rr_break_even *be, char *out, size_t size)
{
    if (be->on_mean)
        snprintf(out, size, "mean");
    else if (be->compare)
        snprintf(out, size, "p50");
    else
        snprintf(out, size, "p%g", 100 * be->confidence);
}

void rr_decide_f_words(const rr_break_even *be, char *out, size_t size)
{
    char m[48];
    if (be->compare)
        snprintf(out, size, "the %s of %s minus %s, per path", be->on_mean ? "mean" : "P50",
                 be->names[1] ? be->names[1] : "", be->names[0] ? be->names[0] : "");
    else if (be->on_mean)
        snprintf(out, size, "the total's mean minus the budget of %s",
                 rr_fmt_money(m, sizeof m, be->budget_total));
    else
        snprintf(out, size, "the total's P%g minus the budget of %s", 100 * be->confidence,
                 rr_fmt_money(m, sizeof m, be->budget_total));
}

void rr_decide_held_words(const rr_break_even *be, char *out, size_t size)
{
    snprintf(out, size, "%s is held constant at each value (its own uncertainty set aside), "
                        "and every evaluation ran on the same %llu paths with seed %llu "
                        "(common random numbers), so f moves with the value and not with "
                        "Monte Carlo noise.",
             be->path ? be->path : "the path", (unsigned long long)be->paths,
             (unsigned long long)be->seed);
}

void rr_decide_result_words(const rr_break_even *be, char *out, size_t size)
{
    char v[40], lo[40], hi[40], flo[48], fhi[48];
    if (be->found) {
        snprintf(out, size, "break-even %s = %s, 95%% interval [%s, %s], %d evaluation%s",
                 be->path ? be->path : "", rr_decide_fmt_v(v, sizeof v, be->value),
                 rr_decide_fmt_v(lo, sizeof lo, be->interval[0]),
                 rr_decide_fmt_v(hi, sizeof hi, be->interval[1]), be->evaluations,
                 be->evaluations == 1 ? "" : "s");
        return;
    }
    rr_decide_fmt_v(lo, sizeof lo, be->lo);
    rr_decide_fmt_v(hi, sizeof hi, be->hi);
    snprintf(out, size, "no crossing in [%s, %s]: f(%s) = %s, f(%s) = %s", lo, hi, lo,
             rr_fmt_money(flo, sizeof flo, be->f_lo), hi, rr_fmt_money(fhi, sizeof fhi, be->f_hi));
}

rr_status rr_decide_points(const rr_break_even *be, void (*write)(rr_buf *, const rr_dtab *),
                           rr_buf *b)
{
    rr_dtab t;
    rr_dtab_init(&t, be->npoints, 3);
    rr_dtab_set(&t, 0, 0, "value");
    rr_dtab_set(&t, 0, 1, "f");
    rr_dtab_set(&t, 0, 2, "95% interval of f");
    for (size_t i = 0; i < be->npoints; i++) {
        const rr_break_even_point *p = &be->points[i];
        char v[40], lo[48], hi[48], ci[104];
        rr_dtab_set(&t, i + 1, 0, rr_decide_fmt_v(v, sizeof v, p->v));
        money_cell(&t, i + 1, 1, p->f);
        snprintf(ci, sizeof ci, "%s to %s", rr_fmt_ci_end(lo, sizeof lo, p->lo),
                 rr_fmt_ci_end(hi, sizeof hi, p->hi));
        rr_dtab_set(&t, i + 1, 2, ci);
    }
    const int failed = t.failed;
    if (!failed)
        write(b, &t);
    rr_dtab_free(&t);
    return failed || b->failed ? RR_ERR_NOMEM : RR_OK;
}

/* ---- table ---- */

/* "A: name (file)" for each file. */
static void text_files(rr_buf *b, size_t n, const char *const *files, const char *const *names)
{
    for (size_t i = 0; i < n; i++)
        rr_buf_printf(b, "%c: %s (%s)\n", (char)('A' + (i < 26 ? i : 25)),
                      names[i] ? names[i] : "", files[i] ? files[i] : "");
}

static void text_emit(rr_buf *b, const rr_grid *g, const rr_decide_section *sec,
                      const rr_report_q *q)
{
    (void)g;
    (void)q;
    rr_buf_printf(b, "\n%s\n  %s\n", sec->title, sec->note);
    rr_dtab_text(b, &sec->tab);
}

static rr_status grid_table(const rr_grid *g, rr_buf *b)
{
    const size_t cells = g->axis[0].n * g->axis[1].n;
    rr_buf_printf(b, "runrate %s  %s of %s", RR_VERSION, g->naxes == 2 ? "grid" : "sweep",
                  g->axis[0].path ? g->axis[0].path : "");
    if (g->naxes == 2)
        rr_buf_printf(b, " x %s", g->axis[1].path ? g->axis[1].path : "");
    rr_buf_printf(b, " (%s)\n%zu cell%s on the same %llu paths (common random numbers), seed "
                     "%llu, %d thread%s, %.2f s\n", g->compare ? "compare" : "run", cells,
                  cells == 1 ? "" : "s", (unsigned long long)g->paths,
                  (unsigned long long)g->seed, g->threads, g->threads == 1 ? "" : "s",
                  g->seconds);
    text_files(b, g->nfiles, g->files, g->names);
    return rr_decide_grid_sections(g, text_emit, b);
}

static rr_status be_table(const rr_break_even *be, rr_buf *b)
{
    char words[1024];
    rr_buf_printf(b, "runrate %s  break-even of %s (%s)\n%d evaluation%s on the same %llu "
                     "paths (common random numbers), seed %llu, %d thread%s, %.2f s\n",
                  RR_VERSION, be->path ? be->path : "", be->compare ? "compare" : "run",
                  be->evaluations, be->evaluations == 1 ? "" : "s",
                  (unsigned long long)be->paths, (unsigned long long)be->seed, be->threads,
                  be->threads == 1 ? "" : "s", be->seconds);
    text_files(b, be->nfiles, be->files, be->names);
    rr_decide_f_words(be, words, sizeof words);
    rr_buf_printf(b, "f(v) = %s (%s)\n", words, be->currency ? be->currency : "");
    rr_decide_held_words(be, words, sizeof words);
    rr_buf_printf(b, "%s\n\n", words);
    rr_decide_result_words(be, words, sizeof words);
    rr_buf_printf(b, "%s\n\nEvaluations, by value\n", words);
    return rr_decide_points(be, rr_dtab_text, b);
}

/* ---- Markdown ---- */

static void md_files(rr_buf *b, size_t n, const char *const *files, const char *const *names)
{
    for (size_t i = 0; i < n; i++) {
        rr_buf_printf(b, "- %c: **", (char)('A' + (i < 26 ? i : 25)));
        rr_buf_md(b, names[i] ? names[i] : "");
        rr_buf_puts(b, "** (");
        rr_buf_md_code(b, files[i] ? files[i] : "", 0);
        rr_buf_puts(b, ")\n");
    }
    rr_buf_puts(b, "\n");
}

static void md_emit(rr_buf *b, const rr_grid *g, const rr_decide_section *sec,
                    const rr_report_q *q)
{
    (void)g;
    (void)q;
    rr_buf_puts(b, "## ");
    rr_buf_md(b, sec->title);
    rr_buf_puts(b, "\n\n");
    rr_buf_md(b, sec->note);
    rr_buf_puts(b, ".\n\n");
    rr_dtab_md(b, &sec->tab);
    rr_buf_puts(b, "\n");
}

static rr_status grid_md(const rr_grid *g, rr_buf *b)
{
    rr_buf_puts(b, g->naxes == 2 ? "# Grid: " : "# Sweep: ");
    rr_buf_md_code(b, g->axis[0].path ? g->axis[0].path : "", 0);
    if (g->naxes == 2) {
        rr_buf_puts(b, " \xc3\x97 ");
        rr_buf_md_code(b, g->axis[1].path ? g->axis[1].path : "", 0);
    }
    rr_buf_printf(b, "\n\nEvery cell ran on the same %llu paths with seed %llu (common random "
                     "numbers): what separates two cells is the value of the input, not Monte "
                     "Carlo noise. Money in ", (unsigned long long)g->paths,
                  (unsigned long long)g->seed);
    rr_buf_md(b, currency(g));
    rr_buf_puts(b, g->compare ? "; each difference is B - A, measured path by path.\n\n"
                              : ".\n\n");
    md_files(b, g->nfiles, g->files, g->names);
    rr_buf_md_warnings(b, &g->warnings);
    return rr_decide_grid_sections(g, md_emit, b);
}

static rr_status be_md(const rr_break_even *be, rr_buf *b)
{
    char words[1024];
    rr_buf_puts(b, "# Break-even: ");
    rr_buf_md_code(b, be->path ? be->path : "", 0);
    rr_buf_puts(b, "\n\n");
    md_files(b, be->nfiles, be->files, be->names);
    rr_decide_f_words(be, words, sizeof words);
    rr_buf_puts(b, "f(v) is ");
    rr_buf_md(b, words);
    rr_buf_puts(b, ", in ");
    rr_buf_md(b, be->currency ? be->currency : "");
    rr_buf_puts(b, ". ");
    rr_decide_held_words(be, words, sizeof words);
    rr_buf_md(b, words);
    rr_buf_puts(b, "\n\n");
    rr_buf_md_warnings(b, &be->warnings);
    rr_decide_result_words(be, words, sizeof words);
    rr_buf_puts(b, "**");
    rr_buf_md(b, words);
    rr_buf_puts(b, "**\n\n## Evaluations, by value\n\n");
    return rr_decide_points(be, rr_dtab_md, b);
}

/* ---- JSON ---- */

static void json_strings(rr_buf *b, const char *const *v, size_t n)
{
    rr_buf_puts(b, "[");
    for (size_t i = 0; i < n; i++) {
        rr_buf_puts(b, i ? ", " : "");
        rr_buf_json_str(b, v[i] ? v[i] : "");
    }
    rr_buf_puts(b, "]");
}

/* What a decision was run on: the keys every decision's JSON opens with. */
typedef struct json_head_of {
    uint64_t paths, seed;
    int compare;
    size_t nfiles;
    const char *const *files, *const *names;
    const char *currency;
    const rr_warnings *warnings;
} json_head_of;

static void json_head(rr_buf *b, const json_head_of *h)
{
    rr_buf_printf(b, "{\n  \"runrate\": \"%s\",\n  \"paths\": %llu,\n  \"seed\": %llu,\n"
                     "  \"command\": \"%s\",\n  \"files\": ", RR_VERSION,
                  (unsigned long long)h->paths, (unsigned long long)h->seed,
                  h->compare ? "compare" : "run");
    json_strings(b, h->files, h->nfiles);
    rr_buf_puts(b, ",\n  \"scenarios\": ");
    json_strings(b, h->names, h->nfiles);
    rr_buf_puts(b, ",\n  \"currency\": ");
    rr_buf_json_str(b, h->currency ? h->currency : "");
    rr_buf_puts(b, ",\n  ");
    rr_buf_json_warnings(b, h->warnings);
    rr_buf_puts(b, ",\n");
}

static void json_run(rr_buf *b, int threads, double seconds)
{
    rr_buf_printf(b, ",\n  \"run\": {\"threads\": %d, \"seconds\": ", threads);
    rr_buf_json_num(b, seconds);
    rr_buf_puts(b, "}\n}\n");
}

/* A cell: its values, then the total and its chance over the budget (run) or each
 * difference with the chance B costs more (compare). */
static void json_cell(rr_buf *b, const rr_grid *g, size_t i, size_t j)
{
    rr_buf_puts(b, "{\"values\": [");
    rr_buf_json_str(b, g->axis[0].values[i]);
    if (g->naxes == 2) {
        rr_buf_puts(b, ", ");
        rr_buf_json_str(b, g->axis[1].values[j]);
    }
    rr_buf_puts(b, g->compare ? "], \"differences\": [" : "], ");
    for (size_t s = 0; s < g->nseries; s++) {
        const size_t k = rr_grid_at(g, i, j, s);
        if (g->compare) {
            rr_buf_puts(b, s ? ",\n        {\"a\": " : "\n        {\"a\": ");
            rr_buf_json_str(b, g->names[0] ? g->names[0] : "");
            rr_buf_puts(b, ", \"b\": ");
            rr_buf_json_str(b, g->names[s + 1] ? g->names[s + 1] : "");
            rr_buf_puts(b, ", ");
        }
        rr_buf_puts(b, "\"total\": ");
        rr_buf_json_stats(b, g->nq, g->qkey, &g->stats[k], 0);
        rr_buf_puts(b, g->compare ? ", \"p_b_costlier\": " : ", \"p_exceed\": ");
        rr_buf_json_num(b, g->p[k]);
        rr_buf_puts(b, g->compare ? "}" : "");
    }
    rr_buf_puts(b, g->compare ? "]}" : "}");
}

static rr_status grid_json(const rr_grid *g, rr_buf *b)
{
    const json_head_of h = { g->paths,  g->seed,     g->compare, g->nfiles,
                             g->files,  g->names,    g->currency, &g->warnings };
    json_head(b, &h);
    rr_buf_puts(b, "  \"grid\": {\"axes\": [");
    for (size_t a = 0; a < g->naxes; a++) {
        rr_buf_puts(b, a ? ",\n    {\"path\": " : "\n    {\"path\": ");
        rr_buf_json_str(b, g->axis[a].path ? g->axis[a].path : "");
        rr_buf_puts(b, ", \"values\": ");
        json_strings(b, g->axis[a].values, g->axis[a].n);
        rr_buf_puts(b, "}");
    }
    rr_buf_puts(b, "],");
    if (!g->compare) {
        rr_buf_puts(b, "\n    \"budget_total\": ");
        rr_buf_json_num(b, g->has_budget ? g->budget_total : NAN);
        rr_buf_puts(b, ",");
    }
    rr_buf_puts(b, "\n    \"cells\": [");
    for (size_t i = 0; i < g->axis[0].n; i++)
        for (size_t j = 0; j < g->axis[1].n; j++) {
            rr_buf_puts(b, i || j ? ",\n      " : "\n      ");
            json_cell(b, g, i, j);
        }
    rr_buf_puts(b, "\n    ]}");
    json_run(b, g->threads, g->seconds);
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}

static void json_pair(rr_buf *b, double x, double y)
{
    rr_buf_puts(b, "[");
    rr_buf_json_num(b, x);
    rr_buf_puts(b, ", ");
    rr_buf_json_num(b, y);
    rr_buf_puts(b, "]");
}

static rr_status be_json(const rr_break_even *be, rr_buf *b)
{
    const json_head_of h = { be->paths, be->seed,  be->compare,  be->nfiles,
                             be->files, be->names, be->currency, &be->warnings };
    char on[32];
    json_head(b, &h);
    rr_buf_puts(b, "  \"break_even\": {\"path\": ");
    rr_buf_json_str(b, be->path ? be->path : "");
    rr_decide_on_key(be, on, sizeof on);
    rr_buf_printf(b, ", \"on\": \"%s\", \"value\": ", on);
    rr_buf_json_num(b, be->found ? be->value : NAN);
    rr_buf_puts(b, ", \"interval\": ");
    if (be->found && isfinite(be->interval[0]) && isfinite(be->interval[1]))
        json_pair(b, be->interval[0], be->interval[1]);
    else
        rr_buf_puts(b, "null");
    rr_buf_printf(b, ",\n    \"evaluations\": %d, \"range\": ", be->evaluations);
    json_pair(b, be->lo, be->hi);
    rr_buf_puts(b, ", \"f_at_range\": ");
    json_pair(b, be->f_lo, be->f_hi);
    rr_buf_puts(b, ", \"held_constant\": true,\n    \"points\": [");
    for (size_t i = 0; i < be->npoints; i++) {
        const rr_break_even_point *p = &be->points[i];
        rr_buf_puts(b, i ? ",\n      {\"value\": " : "\n      {\"value\": ");
        rr_buf_json_num(b, p->v);
        rr_buf_puts(b, ", \"f\": ");
        rr_buf_json_num(b, p->f);
        rr_buf_puts(b, ", \"ci95\": ");
        json_pair(b, p->lo, p->hi);
        rr_buf_puts(b, "}");
    }
    rr_buf_puts(b, be->npoints ? "\n    ]}" : "]}");
    if (!be->compare) {
        rr_buf_puts(b, ",\n  \"budget\": {\"total\": ");
        rr_buf_json_num(b, be->budget_total);
        rr_buf_puts(b, ", \"confidence\": ");
        rr_buf_json_num(b, be->confidence);
        rr_buf_puts(b, "}");
    }
    json_run(b, be->threads, be->seconds);
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}

/* ---- CSV ---- */

static void csv_num(rr_buf *b, double x, const char *after)
{
    char s[40];
    rr_buf_puts(b, rr_fmt_shortest(s, sizeof s, x));
    rr_buf_puts(b, after);
}

static rr_status grid_csv(const rr_grid *g, rr_buf *b)
{
    rr_buf_puts(b, g->naxes == 2 ? "x_Sweep1,x_Value1,x_Sweep2,x_Value2,x_Series,mean"
                                 : "x_Sweep1,x_Value1,x_Series,mean");
    for (size_t k = 0; k < g->nq; k++)
        rr_buf_printf(b, ",%s", g->qkey[k]);
    rr_buf_puts(b, g->compare ? ",x_PBCostlier\n" : ",x_PExceed\n");
    for (size_t i = 0; i < g->axis[0].n; i++)
        for (size_t j = 0; j < g->axis[1].n; j++)
            for (size_t s = 0; s < g->nseries; s++) {
                const size_t k = rr_grid_at(g, i, j, s);
                char series[512];
                rr_decide_series_name(g, s, series, sizeof series);
                for (size_t a = 0; a < g->naxes; a++) {
                    rr_buf_csv(b, g->axis[a].path ? g->axis[a].path : "");
                    rr_buf_puts(b, ",");
                    rr_buf_csv(b, g->axis[a].values[a ? j : i]);
                    rr_buf_puts(b, ",");
                }
                rr_buf_csv(b, series);
                rr_buf_puts(b, ",");
                csv_num(b, g->stats[k].mean, ",");
                for (size_t c = 0; c < g->nq; c++)
                    csv_num(b, g->stats[k].q[c], ",");
                csv_num(b, g->p[k], "\n");
            }
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}

static rr_status be_csv(const rr_break_even *be, rr_buf *b)
{
    rr_buf_puts(b, "value,f,f_lo,f_hi\n");
    for (size_t i = 0; i < be->npoints; i++) {
        const rr_break_even_point *p = &be->points[i];
        csv_num(b, p->v, ",");
        csv_num(b, p->f, ",");
        csv_num(b, p->lo, ",");
        csv_num(b, p->hi, "\n");
    }
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}

/* ---- the format ---- */

typedef struct writer {
    const char *format;
    rr_status (*grid)(const rr_grid *g, rr_buf *b);
    rr_status (*break_even)(const rr_break_even *be, rr_buf *b);
} writer;

static const writer writers[] = {
    { "table", grid_table, be_table },
    { "json", grid_json, be_json },
    { "csv", grid_csv, be_csv },
    { "md", grid_md, be_md },
    { "html", rr_report_grid_html, rr_report_break_even_html },
};

static const writer *find_writer(const char *format)
{
    for (size_t i = 0; i < sizeof writers / sizeof *writers; i++)
        if (strcmp(writers[i].format, format ? format : "table") == 0)
            return &writers[i];
    return NULL;
}

rr_status rr_report_grid(const char *format, const rr_grid *g, rr_buf *out)
{
    const writer *w = find_writer(format);
    return w ? w->grid(g, out) : RR_ERR_USAGE;
}

rr_status rr_report_break_even(const char *format, const rr_break_even *be, rr_buf *out)
{
    const writer *w = find_writer(format);
    return w ? w->break_even(be, out) : RR_ERR_USAGE;
}
