/* test_decide_report: the writers of decisions measured on common random numbers, in every
 * format: grids of one and two swept paths (run and compare) and break-even searches (found
 * and not), from records filled by hand so that every figure in the text is known; and what
 * an input's uncertainty is worth (rank shares and swings) in the run report's JSON, table
 * and Markdown, from a real run's summary with those fields set by hand.
 *
 * A cell's statistics are constant (every quantile the same number), so each table's text
 * can be asserted exactly.  The JSON is parsed by python3 where there is one, as
 * tests/cli.sh does, and its keys are checked as text either way.
 */
#include <ctype.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "version.h"
#include "report/report.h"
#include "stats/decision.h"
#include "stats/summary.h"
#include "support.h"

/* ---- records ---- */

static const double std_p[9] = { 5, 10, 25, 50, 75, 80, 90, 95, 99 };

static void standard_quantiles(rr_grid *g)
{
    g->nq = 9;
    for (size_t i = 0; i < 9; i++) {
        g->qp[i] = std_p[i] / 100;
        snprintf(g->qkey[i], sizeof g->qkey[i], "p%g", std_p[i]);
    }
}

/* A series whose every path is x: mean x, sd 0, every quantile and interval end x. */
static void constant(rr_stats *st, double x)
{
    st->n = 1000;
    st->mean = x;
    st->sd = 0;
    for (size_t i = 0; i < RR_MAX_QUANTILES; i++)
        st->q[i] = st->lo[i] = st->hi[i] = x;
}

static const char *const unit_prices[3] = { "100", "150", "200" };
static const char *const rates[2] = { "a<b", "20" };

/* A run grid: costs.api.unit_price = 100, 150, 200 (and review.rate = "a<b", 20 with two
 * axes); cell (i, j) costs 10,000 (i + 1) + 1,000 j, with a chance over the budget of
 * 0.1 (i + 1) + 0.01 j. */
static rr_grid *run_grid(size_t naxes, int budget)
{
    const rr_grid_axis axis[2] = { { "costs.api.unit_price", unit_prices, 3 },
                                   { "costs.review.rate", rates, 2 } };
    rr_grid *g;
    assert_int_equal(rr_grid_new(naxes, axis, 1, &g), RR_OK);
    standard_quantiles(g);
    g->currency = "EUR";
    g->paths = 1000;
    g->seed = 7;
    g->threads = 2;
    g->seconds = 0.5;
    g->nfiles = 1;
    g->files[0] = "dir/api.yaml";
    g->names[0] = "api";
    g->has_budget = budget;
    g->budget_total = 20000;
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < g->axis[1].n; j++) {
            size_t k = rr_grid_at(g, i, j, 0);
            constant(&g->stats[k], 10000.0 * (double)(i + 1) + 1000.0 * (double)j);
            g->p[k] = budget ? 0.1 * (double)(i + 1) + 0.01 * (double)j : NAN;
        }
    return g;
}

/* A compare grid of three files, so two differences, over two axes of 3 x 2: difference s
 * in cell (i, j) is (s + 1) (1,000 i - 1,500) + 100 j (both signs), B costlier on a share
 * 0.25 (s + 1) of paths. */
static rr_grid *compare_grid(void)
{
    static const char *const v0[3] = { "1", "2", "3" };
    static const char *const v1[2] = { "x,y", "20" };
    const rr_grid_axis axis[2] = { { "costs.a", v0, 3 }, { "costs.b", v1, 2 } };
    rr_grid *g;
    assert_int_equal(rr_grid_new(2, axis, 2, &g), RR_OK);
    standard_quantiles(g);
    g->compare = 1;
    g->currency = "USD";
    g->paths = 500;
    g->seed = 3;
    g->threads = 1;
    g->nfiles = 3;
    const char *files[3] = { "old.yaml", "new.yaml", "other.yaml" };
    const char *names[3] = { "old", "new, \"v2\"", "other" };
    for (size_t f = 0; f < 3; f++) {
        g->files[f] = files[f];
        g->names[f] = names[f];
    }
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 2; j++)
            for (size_t s = 0; s < 2; s++) {
                size_t k = rr_grid_at(g, i, j, s);
                constant(&g->stats[k], (double)(s + 1) * (1000.0 * (double)i - 1500.0) +
                                           100.0 * (double)j);
                g->p[k] = 0.25 * (double)(s + 1);
            }
    return g;
}

/* A run break-even of costs.api.unit_price on [100, 200], found at 150 (f = 100 (v - 150)),
 * or not (f from 1,000 to 2,500), with five points by value. */
static void break_even(rr_break_even *be, int found)
{
    memset(be, 0, sizeof *be);
    rr_warnings_init(&be->warnings);
    be->path = "costs.api.unit_price";
    be->lo = 100;
    be->hi = 200;
    be->found = found;
    be->value = found ? 150 : NAN;
    be->interval[0] = found ? 140 : NAN;
    be->interval[1] = found ? 160 : NAN;
    static const double v[5] = { 100, 125, 150, 175, 200 };
    for (size_t i = 0; i < 5; i++) {
        double f = found ? 100 * (v[i] - 150) : 1000 + 15 * (v[i] - 100);
        be->points[i] = (rr_break_even_point){ v[i], f, f - 500, f + 500 };
    }
    be->npoints = 5;
    be->f_lo = be->points[0].f;
    be->f_hi = be->points[4].f;
    be->evaluations = found ? 21 : 2;
    be->currency = "EUR";
    be->nfiles = 1;
    be->files[0] = "dir/api.yaml";
    be->names[0] = "api";
    be->confidence = 0.8;
    be->budget_total = 20000;
    be->paths = 1000;
    be->seed = 7;
    be->threads = 2;
    be->seconds = 1.25;
}

/* ---- what was written ---- */

static char *grid_text(const char *format, const rr_grid *g)
{
    rr_buf b = { 0 };
    assert_int_equal(rr_report_grid(format, g, &b), RR_OK);
    assert_false(b.failed);
    assert_non_null(b.p);
    return b.p;
}

static char *break_even_text(const char *format, const rr_break_even *be)
{
    rr_buf b = { 0 };
    assert_int_equal(rr_report_break_even(format, be, &b), RR_OK);
    assert_false(b.failed);
    assert_non_null(b.p);
    return b.p;
}

static size_t count(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    return p ? 1 + count(p + strlen(needle), needle) : 0;
}

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("missing \"%s\" in:\n%s", needle, hay);
}

/* No printf spelling of a missing number ("nan", "inf" as words of their own) anywhere. */
static void assert_no_nan(const char *text)
{
    for (const char *p = text; *p; p++) {
        if (p > text && isalpha((unsigned char)p[-1]))
            continue;
        if ((strncasecmp(p, "nan", 3) == 0 || strncasecmp(p, "inf", 3) == 0) &&
            !isalpha((unsigned char)p[3]))
            fail_msg("a missing number: ...%.40s", p);
    }
}

/* The JSON parses, where a python3 can tell (tests/cli.sh's way); 1 when it was checked. */
static int json_parses(const char *json)
{
    if (system("command -v python3 >/dev/null 2>&1") != 0)
        return 0;
    char path[] = "/tmp/rr-decide-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(json, f);
    fclose(f);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "python3 -m json.tool %s >/dev/null", path);
    int rc = system(cmd);
    remove(path);
    if (rc != 0)
        fail_msg("the JSON does not parse:\n%s", json);
    return 1;
}

/* ---- grids ---- */

static void test_grid_one_axis_table(void **state)
{
    (void)state;
    rr_grid *g = run_grid(1, 1);
    char *t = grid_text("table", g);
    assert_has(t, "runrate " RR_VERSION "  sweep of costs.api.unit_price (run)\n"
                  "3 cells on the same 1000 paths (common random numbers), seed 7, 2 threads, "
                  "0.50 s\nA: api (dir/api.yaml)\n");
    assert_has(t, "\nCost over the horizon (EUR)\n  by costs.api.unit_price; P(exceed): the "
                  "chance the total exceeds the budget of 20,000\n");
    assert_has(t, "  value    mean     P50     P80     P95  P(exceed)\n"
                  "  100    10,000  10,000  10,000  10,000      10.0%\n"
                  "  150    20,000  20,000  20,000  20,000      20.0%\n"
                  "  200    30,000  30,000  30,000  30,000      30.0%\n");
    free(t);
    rr_grid_free(g);

    /* Without a budget there is no chance to show: no column for it. */
    g = run_grid(1, 0);
    t = grid_text("table", g);
    assert_has(t, "  value    mean     P50     P80     P95\n  100    10,000");
    assert_null(strstr(t, "P(exceed)"));
    free(t);
    rr_grid_free(g);
}

static void test_grid_two_axes_matrices(void **state)
{
    (void)state;
    rr_grid *g = run_grid(2, 1);
    char *t = grid_text("table", g);
    assert_has(t, "grid of costs.api.unit_price x costs.review.rate (run)\n6 cells on the same");
    assert_has(t, "The total's P50 over the horizon (EUR)\n  rows: costs.api.unit_price; "
                  "columns: costs.review.rate\n"
                  "          a<b      20\n"
                  "  100  10,000  11,000\n"
                  "  150  20,000  21,000\n"
                  "  200  30,000  31,000\n");
    assert_has(t, "Chance the total exceeds the budget of 20,000\n");
    assert_has(t, "  100  10.0%  11.0%\n");
    free(t);

    /* Markdown: the same tables, the user's words escaped, the CRN statement. */
    t = grid_text("md", g);
    assert_has(t, "# Grid: `costs.api.unit_price` \xc3\x97 `costs.review.rate`\n");
    assert_has(t, "same 1000 paths with seed 7 (common random numbers)");
    assert_has(t, "## The total's P50 over the horizon (EUR)\n\nrows: costs.api.unit\\_price; "
                  "columns: costs.review.rate.\n\n"
                  "|  | a\\<b | 20 |\n|:---|---:|---:|\n| 100 | 10,000 | 11,000 |\n");
    assert_has(t, "| 200 | 30.0% | 31.0% |\n");
    free(t);
    rr_grid_free(g);

    /* Without a budget: the P50 matrix alone. */
    g = run_grid(2, 0);
    t = grid_text("md", g);
    assert_int_equal(count(t, "\n## "), 1);
    free(t);
    rr_grid_free(g);
}

static void test_grid_compare_table_and_md(void **state)
{
    (void)state;
    rr_grid *g = compare_grid();
    char *t = grid_text("table", g);
    assert_has(t, "(compare)\n6 cells on the same 500 paths (common random numbers), seed 3, "
                  "1 thread, 0.00 s\nA: old (old.yaml)\nB: new, \"v2\" (new.yaml)\n"
                  "C: other (other.yaml)\n");
    /* Two differences, each a P50 matrix and a chance matrix, in order. */
    const char *d1 = strstr(t, "new, \"v2\" minus old, per path (USD): P50\n");
    const char *c1 = strstr(t, "Chance new, \"v2\" costs more than old\n");
    const char *d2 = strstr(t, "other minus old, per path (USD): P50\n");
    const char *c2 = strstr(t, "Chance other costs more than old\n");
    assert_true(d1 && c1 && d2 && c2 && d1 < c1 && c1 < d2 && d2 < c2);
    assert_has(d1, "        x,y      20\n  1  -1,500  -1,400\n  2    -500    -400\n"
                   "  3     500     600\n");
    assert_has(d2, "  1  -3,000  -2,900\n");
    assert_has(c2, "  1  50.0%  50.0%\n");
    free(t);
    t = grid_text("md", g);
    assert_has(t, "each difference is B - A, measured path by path");
    assert_has(t, "- B: **new, \"v2\"** (`new.yaml`)\n");
    assert_has(t, "| 3 | 500 | 600 |\n");
    free(t);
    rr_grid_free(g);
}

static void test_grid_json(void **state)
{
    (void)state;
    rr_grid *g = run_grid(2, 0);
    char *j = grid_text("json", g);
    json_parses(j);
    assert_has(j, "{\n  \"runrate\": \"" RR_VERSION "\",\n  \"paths\": 1000,\n  \"seed\": 7,\n"
                  "  \"command\": \"run\",\n  \"files\": [\"dir/api.yaml\"],\n"
                  "  \"scenarios\": [\"api\"],\n  \"currency\": \"EUR\",\n  \"warnings\": [],\n"
                  "  \"grid\": {\"axes\": [\n"
                  "    {\"path\": \"costs.api.unit_price\", \"values\": [\"100\", \"150\", "
                  "\"200\"]},\n    {\"path\": \"costs.review.rate\", \"values\": [\"a<b\", "
                  "\"20\"]}],\n    \"budget_total\": null,");
    /* Six cells, each the full statistics object; no budget: the chance is null. */
    assert_int_equal(count(j, "{\"values\": ["), 6);
    assert_has(j, "{\"values\": [\"150\", \"20\"], \"total\": {\"mean\": 21000, \"sd\": 0, "
                  "\"p5\": 21000, ");
    assert_has(j, "\"ci95\": {\"p5\": [21000, 21000], ");
    assert_int_equal(count(j, "\"p_exceed\": null}"), 6);
    assert_has(j, "\n  \"run\": {\"threads\": 2, \"seconds\": 0.5}\n}\n");
    free(j);
    rr_grid_free(g);

    g = compare_grid();
    j = grid_text("json", g);
    json_parses(j);
    assert_has(j, "\"command\": \"compare\"");
    assert_has(j, "\"scenarios\": [\"old\", \"new, \\\"v2\\\"\", \"other\"]");
    assert_null(strstr(j, "budget_total"));
    assert_int_equal(count(j, "\"differences\": ["), 6);
    assert_has(j, "{\"a\": \"old\", \"b\": \"other\", \"total\": {\"mean\": -3000, ");
    assert_has(j, "\"p_b_costlier\": 0.5}");
    free(j);
    rr_grid_free(g);
}

static void test_grid_csv(void **state)
{
    (void)state;
    rr_grid *g = compare_grid();
    char *c = grid_text("csv", g);
    assert_has(c, "x_Sweep1,x_Value1,x_Sweep2,x_Value2,x_Series,mean,p5,p10,p25,p50,p75,p80,"
                  "p90,p95,p99,x_PBCostlier\n");
    assert_int_equal(count(c, "\n"), 1 + 6 * 2);   /* a row per cell and difference */
    /* RFC 4180: a value and a name with a comma or a quote are quoted, quotes doubled. */
    assert_has(c, "\ncosts.a,1,costs.b,\"x,y\",\"new, \"\"v2\"\" - old\",-1500,-1500,");
    assert_has(c, ",-1500,0.25\n");
    assert_has(c, "\ncosts.a,3,costs.b,20,other - old,1100,");
    free(c);
    rr_grid_free(g);

    g = run_grid(1, 0);
    c = grid_text("csv", g);
    assert_has(c, "x_Sweep1,x_Value1,x_Series,mean,p5,p10,p25,p50,p75,p80,p90,p95,p99,"
                  "x_PExceed\n");
    assert_int_equal(count(c, "\n"), 4);
    /* A missing chance is an empty field. */
    assert_has(c, "\ncosts.api.unit_price,200,total,30000,30000,30000,30000,30000,30000,30000,"
                  "30000,30000,30000,\n");
    free(c);
    rr_grid_free(g);
}

/* A copy of the <svg> element whose id is `id`, or NULL (caller frees). */
static char *svg_of(const char *page, const char *id)
{
    char key[64];
    snprintf(key, sizeof key, " id=\"%s\" ", id);
    const char *at = strstr(page, key);
    if (!at)
        return NULL;
    while (at > page && strncmp(at, "<svg", 4) != 0)
        at--;
    const char *end = strstr(at, "</svg>");
    assert_non_null(end);
    char *svg = strndup(at, (size_t)(end - at) + strlen("</svg>"));
    assert_non_null(svg);
    return svg;
}

/* What every page promises: a whole document that fetches nothing and prints. */
static void assert_page(const char *page)
{
    assert_int_equal(strncmp(page, "<!DOCTYPE html>", 15), 0);
    assert_has(page, "</html>\n");
    assert_has(page, "@media print");
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "<link"));
    assert_null(strstr(page, "url("));
    assert_no_nan(page);
}

static void test_grid_html_heat_map(void **state)
{
    (void)state;
    rr_grid *g = run_grid(2, 1);
    char *page = grid_text("html", g);
    assert_page(page);
    char *svg = svg_of(page, "heatmap");
    if (!svg)
        fail_msg("no <svg id=\"heatmap\">");
    assert_int_equal(count(svg, "<rect class=\"cell\""), 6);   /* one per cell */
    /* Each cell labelled and titled; the axes named; the user's words escaped. */
    assert_has(svg, ">10k</text>");
    assert_has(svg, ">31k</text>");
    assert_has(svg, "<title>200, a&lt;b: P50 30,000</title>");
    assert_has(svg, "rows: costs.api.unit_price</text>");
    assert_has(svg, "costs.review.rate</text>");
    assert_null(strstr(page, "a<b"));
    free(svg);
    assert_null(svg_of(page, "heatmap-1"));
    /* The tables below the map: P50 and the chance over the budget. */
    assert_int_equal(count(page, "<table>"), 2);
    assert_has(page, "<td>100</td><td class=\"n\">10,000</td><td class=\"n\">11,000</td>");
    assert_has(page, "<td class=\"n\">31.0%</td>");
    free(page);
    rr_grid_free(g);

    /* Differences: a map each, on a scale centred on 0 (white there, blue below, red above). */
    g = compare_grid();
    page = grid_text("html", g);
    assert_page(page);
    for (int s = 1; s <= 2; s++) {
        char id[32];
        snprintf(id, sizeof id, "heatmap-%d", s);
        svg = svg_of(page, id);
        if (!svg)
            fail_msg("no <svg id=\"%s\">", id);
        assert_int_equal(count(svg, "<rect class=\"cell\""), 6);
        assert_has(svg, "B cheaper");
        assert_has(svg, "B costlier");
        free(svg);
    }
    svg = svg_of(page, "heatmap-1");
    /* -1,500 is the darkest blue, 1,500 would be the darkest red; 0 is not in the grid. */
    assert_has(svg, "fill=\"#2166ac\" stroke=\"#fff\"><title>1, x,y: P50 -1,500</title>");
    free(svg);
    free(page);
    rr_grid_free(g);
}

static void test_grid_html_one_axis(void **state)
{
    (void)state;
    rr_grid *g = run_grid(1, 1);
    char *page = grid_text("html", g);
    assert_page(page);
    char *svg = svg_of(page, "line");
    if (!svg)
        fail_msg("no <svg id=\"line\">");
    assert_int_equal(count(svg, "<polyline class=\"median\""), 1);
    assert_int_equal(count(svg, "<circle"), 3);
    assert_int_equal(count(svg, "class=\"budget\""), 1);
    /* Numeric values: an axis at their own scale, ticks between them. */
    assert_has(svg, ">120</text>");
    free(svg);
    assert_has(page, "<h1>What if: <code>costs.api.unit_price</code></h1>");
    free(page);
    rr_grid_free(g);
}

static void test_unknown_format(void **state)
{
    (void)state;
    rr_grid *g = run_grid(1, 0);
    rr_buf b = { 0 };
    assert_int_equal(rr_report_grid("pdf", g, &b), RR_ERR_USAGE);
    rr_break_even be;
    break_even(&be, 1);
    assert_int_equal(rr_report_break_even("xml", &be, &b), RR_ERR_USAGE);
    assert_null(b.p);
    rr_buf_free(&b);
    rr_grid_free(g);
}

/* ---- break-even ---- */

static void test_break_even_found(void **state)
{
    (void)state;
    rr_break_even be;
    break_even(&be, 1);
    const char *result = "break-even costs.api.unit_price = 150, 95% interval [140, 160], "
                         "21 evaluations";
    const char *held = "costs.api.unit_price is held constant at each value (its own "
                       "uncertainty set aside), and every evaluation ran on the same 1000 paths "
                       "with seed 7 (common random numbers)";
    char *t = break_even_text("table", &be);
    assert_has(t, "runrate " RR_VERSION "  break-even of costs.api.unit_price (run)\n");
    assert_has(t, "f(v) = the total's P80 minus the budget of 20,000 (EUR)\n");
    assert_has(t, held);
    assert_has(t, result);
    assert_has(t, "Evaluations, by value\n"
                  "  value       f  95% interval of f\n"
                  "  100    -5,000   -5,500 to -4,500\n"
                  "  125    -2,500   -3,000 to -2,000\n"
                  "  150      0.00        -500 to 500\n");
    free(t);

    t = break_even_text("md", &be);
    assert_has(t, "# Break-even: `costs.api.unit_price`\n");
    assert_has(t, "is held constant at each value (its own uncertainty set aside)");
    assert_has(t, "**break-even costs.api.unit\\_price = 150, 95% interval \\[140, 160\\], 21 "
                  "evaluations**");
    assert_has(t, "| 175 | 2,500 | 2,000 to 3,000 |\n");
    free(t);

    t = break_even_text("json", &be);
    json_parses(t);
    assert_has(t, "\"command\": \"run\",\n  \"files\": [\"dir/api.yaml\"],\n  \"scenarios\": "
                  "[\"api\"],");
    assert_has(t, "\"break_even\": {\"path\": \"costs.api.unit_price\", \"on\": \"p80\", "
                  "\"value\": 150, \"interval\": [140, 160],\n    \"evaluations\": 21, "
                  "\"range\": [100, 200], \"f_at_range\": [-5000, 5000], "
                  "\"held_constant\": true,");
    assert_has(t, "{\"value\": 125, \"f\": -2500, \"ci95\": [-3000, -2000]}");
    assert_int_equal(count(t, "{\"value\": "), 5);
    assert_has(t, "\"budget\": {\"total\": 20000, \"confidence\": 0.8}");
    assert_has(t, "\"run\": {\"threads\": 2, \"seconds\": 1.25}");
    free(t);

    t = break_even_text("csv", &be);
    assert_string_equal(t, "value,f,f_lo,f_hi\n100,-5000,-5500,-4500\n125,-2500,-3000,-2000\n"
                           "150,0,-500,500\n175,2500,2000,3000\n200,5000,4500,5500\n");
    free(t);

    t = break_even_text("html", &be);
    assert_page(t);
    assert_has(t, "is held constant at each value");
    assert_has(t, "<p class=\"verdict\"><strong>break-even costs.api.unit_price = 150");
    char *svg = svg_of(t, "break-even");
    if (!svg)
        fail_msg("no <svg id=\"break-even\">");
    assert_int_equal(count(svg, "class=\"zero-line\""), 1);
    assert_int_equal(count(svg, "class=\"rec\""), 1);
    assert_has(svg, "break-even 150</text>");
    assert_int_equal(count(svg, "<circle"), 5);
    assert_int_equal(count(svg, "<polygon class=\"band-outer\""), 1);
    free(svg);
    free(t);
    rr_warnings_free(&be.warnings);
}

static void test_break_even_not_found(void **state)
{
    (void)state;
    rr_break_even be;
    break_even(&be, 0);
    const char *none = "no crossing in [100, 200]: f(100) = 1,000, f(200) = 2,500";
    char *t = break_even_text("table", &be);
    assert_has(t, none);
    assert_has(t, "held constant at each value");
    free(t);
    t = break_even_text("html", &be);
    assert_page(t);
    assert_has(t, none);
    assert_null(strstr(t, "class=\"rec\""));   /* nothing to mark */
    free(t);
    /* The mean of B - A for a comparison: "on" says so; a missing value is null. */
    be.compare = 1;
    be.on_mean = 1;
    be.nfiles = 2;
    be.files[1] = "dir/b.yaml";
    be.names[1] = "b";
    t = break_even_text("json", &be);
    json_parses(t);
    assert_has(t, "\"command\": \"compare\"");
    assert_has(t, "\"scenarios\": [\"api\", \"b\"]");
    assert_has(t, "\"on\": \"mean\", \"value\": null, \"interval\": null,");
    assert_has(t, "\"f_at_range\": [1000, 2500]");
    assert_null(strstr(t, "\"budget\""));
    free(t);
    t = break_even_text("md", &be);
    assert_has(t, "f(v) is the mean of b minus api, per path, in EUR.");
    free(t);
    be.on_mean = 0;
    t = break_even_text("json", &be);
    assert_has(t, "\"on\": \"p50\"");
    free(t);
    rr_warnings_free(&be.warnings);
}

/* ---- what an input's uncertainty is worth, in the run report ---- */

static const char *const tiny_yaml =
    "name: tiny\nhorizon_months: 3\nsimulation: {seed: 5}\n"
    "demand: {requests_per_month: 10000 to 20000}\n"
    "costs:\n"
    "  - {name: api, type: per_request, category: managed_ai, units_per_request: 0.001, "
    "unit_price: 100 to 200}\n"
    "  - {name: ops, type: fixed, category: mlops, monthly: 500 to 900}\n";

/* A summary of a real run whose rank shares and swings are set by hand: the first driver's
 * rank share 0.5, the rest unmeasured; swings for two inputs, the second the wider. */
static rr_summary *swing_summary(rr_scenario **s, rr_result **r)
{
    *s = test_load(tiny_yaml, NULL);
    rr_summary *sum = test_summarise(*s, 2000, 5, 2, r);
    assert_true(sum->ndrivers >= 2);
    for (size_t i = 0; i < sum->ndrivers; i++)
        sum->drivers[i].rank_share = i == 0 ? 0.5 : NAN;
    free(sum->swings);
    sum->swings = calloc(2, sizeof *sum->swings);
    assert_non_null(sum->swings);
    sum->nswings = 2;
    sum->swings[0] = (rr_swing){ "costs.api.unit_price", 110, 190, 4000, 5000, 4100, 5100 };
    sum->swings[1] = (rr_swing){ "demand.requests_per_month", 11000, 19000, 3000, 6500,
                                 3100, NAN };
    return sum;
}

static void test_swings_in_run_report(void **state)
{
    (void)state;
    rr_scenario *s;
    rr_result *r;
    rr_summary *sum = swing_summary(&s, &r);
    rr_buf b = { 0 };
    assert_int_equal(rr_report_json(sum, 0, &b), RR_OK);
    json_parses(b.p);
    assert_has(b.p, "\"share\": ");
    assert_has(b.p, ", \"rank_share\": 0.5, \"direction\": ");
    assert_has(b.p, ", \"rank_share\": null, \"direction\": ");
    assert_has(b.p, "  ],\n  \"swings\": [\n    {\"input\": \"costs.api.unit_price\", "
                    "\"low_value\": 110, \"high_value\": 190, \"total_p50_low\": 4000, "
                    "\"total_p50_high\": 5000, \"total_mean_low\": 4100, "
                    "\"total_mean_high\": 5100},\n");
    assert_has(b.p, "\"total_mean_high\": null}\n  ],\n  \"spikes\": ");
    rr_buf_free(&b);

    rr_buf t = { 0 };
    assert_int_equal(rr_report_table(sum, &t), RR_OK);
    assert_has(t.p, "(rank 50.0%)\n");
    /* Widest first: the demand's swing of 3,500 before the price's 1,000. */
    assert_has(t.p, "What each input's uncertainty is worth (USD: the total's P50, the input at "
                    "its P10 / P90)\n"
                    "           swing         at P10         at P90   input: P10 -> P90\n"
                    "           3,500          3,000          6,500   "
                    "demand.requests_per_month: 11,000 -> 19,000\n"
                    "           1,000          4,000          5,000   "
                    "costs.api.unit_price: 110 -> 190\n");
    rr_buf_free(&t);

    rr_buf m = { 0 };
    assert_int_equal(rr_report_md(sum, &m), RR_OK);
    assert_has(m.p, "| Rank | Input | Share | Share of ranks | Direction |\n");
    assert_has(m.p, "| 50.0% |");
    assert_has(m.p, "## What each input's uncertainty is worth\n");
    assert_has(m.p, "| `demand.requests_per_month` | 11,000 \xe2\x86\x92 19,000 | 3,000 | 6,500 | "
                    "3,500 |\n| `costs.api.unit_price` | 110 \xe2\x86\x92 190 | 4,000 | 5,000 | "
                    "1,000 |\n");
    rr_buf_free(&m);

    /* Not measured (--swings 0): no section, and the drivers as they always were. */
    sum->nswings = 0;
    for (size_t i = 0; i < sum->ndrivers; i++)
        sum->drivers[i].rank_share = NAN;
    rr_buf u = { 0 };
    assert_int_equal(rr_report_table(sum, &u), RR_OK);
    assert_null(strstr(u.p, "worth"));
    assert_null(strstr(u.p, "rank"));
    rr_buf_free(&u);
    rr_buf j = { 0 };
    assert_int_equal(rr_report_json(sum, 0, &j), RR_OK);
    assert_has(j.p, "\n  \"swings\": [],\n");
    rr_buf_free(&j);
    rr_summary_free(sum);
    rr_result_free(r);
    rr_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_one_axis_table),
        cmocka_unit_test(test_grid_two_axes_matrices),
        cmocka_unit_test(test_grid_compare_table_and_md),
        cmocka_unit_test(test_grid_json),
        cmocka_unit_test(test_grid_csv),
        cmocka_unit_test(test_grid_html_heat_map),
        cmocka_unit_test(test_grid_html_one_axis),
        cmocka_unit_test(test_unknown_format),
        cmocka_unit_test(test_break_even_found),
        cmocka_unit_test(test_break_even_not_found),
        cmocka_unit_test(test_swings_in_run_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
