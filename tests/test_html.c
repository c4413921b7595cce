/* test_html: the HTML report's promises, checked on the text of the page.
 *
 * The page must stand alone (nothing fetched), carry its six charts, never let a NaN or an
 * infinity into the SVG, and escape names from the scenario file.  Whether a browser draws
 * it is tests/html_render.sh's job; here a tiny scenario runs through the real engine so
 * that every chart is fed real statistics, at few paths to stay fast.  The comparison page
 * (rr_report_compare_html) is held to the same promises, for scenarios and for a sweep.
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

#include "report/report.h"
#include "report/report_util.h"
#include "scenario/scenario.h"
#include "run/sim.h"
#include "stats/summary.h"
#include "support.h"

/* Spikes, a monthly budget, two categories and inputs drawn once per path: every chart has
 * something to draw.  The name is hostile on purpose. */
static const char *const full_yaml =
    "name: 'a<b & \"c\"'\n"
    "start: 2027-01\nhorizon_months: 6\nsimulation: {seed: 7}\n"
    "budget: {total: 20000, monthly: 3000}\n"
    "demand:\n  requests_per_month: 10000 to 20000\n"
    "  spikes: {per_month: 0.3, multiplier: 1.5 to 3, days: {uniform: {min: 1, max: 4}}}\n"
    "costs:\n"
    "  - {name: api, type: per_request, category: managed_ai, units_per_request: 0.001, "
    "unit_price: 100 to 200}\n"
    "  - {name: ops, type: fixed, category: mlops, monthly: 500 to 900}\n";

/* No spikes, no budgets, no start date, one month. */
static const char *const bare_yaml =
    "name: bare\nhorizon_months: 1\nsimulation: {seed: 3}\n"
    "demand: {requests_per_month: 1000 to 2000}\n"
    "costs:\n  - {name: f, type: fixed, category: mlops, monthly: 1000 to 5000}\n";

/* Run a scenario and return its HTML report (caller frees). */
static char *render(const char *yaml, double precision)
{
    rr_scenario *s = test_load(yaml, NULL);
    rr_result *r = NULL;
    rr_summary *sum = test_summarise(s, 2000, s->seed, 2, &r);
    if (!isnan(precision)) {
        sum->precision = precision;
        sum->precision_achieved = precision / 2;
        sum->precision_met = 1;
    }
    rr_buf b = { 0 };
    assert_int_equal(rr_report_html(sum, &b), RR_OK);
    assert_false(b.failed);
    rr_summary_free(sum);
    rr_result_free(r);
    rr_scenario_free(s);
    return b.p;
}

/* The text of the <svg> element with the given id, or NULL (caller frees). */
static char *svg_of(const char *page, const char *id)
{
    char open[64];
    snprintf(open, sizeof open, "<svg class=\"chart\" id=\"%s\"", id);
    const char *a = strstr(page, open);
    if (!a)
        return NULL;
    const char *e = strstr(a, "</svg>");
    assert_non_null(e);
    size_t n = (size_t)(e - a) + 6;
    char *s = malloc(n + 1);
    assert_non_null(s);
    memcpy(s, a, n);
    s[n] = '\0';
    return s;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* "nan" or "inf" as a word of its own, in any case: how printf spells a missing number.
 * Words like "information" do not count. */
static const char *bad_number(const char *page)
{
    for (const char *p = page; *p; p++) {
        if (p > page && isalpha((unsigned char)p[-1]))
            continue;
        if ((strncasecmp(p, "nan", 3) == 0 || strncasecmp(p, "inf", 3) == 0) &&
            !isalpha((unsigned char)p[3]))
            return p;
    }
    return NULL;
}

static void check_common(const char *page)
{
    assert_int_equal(strncmp(page, "<!DOCTYPE html>", 15), 0);
    assert_non_null(strstr(page, "</html>\n"));
    /* Only the SVG namespace may name a URL, and it is an identifier, never fetched. */
    size_t urls = count(page, "http://") + count(page, "https://");
    assert_int_equal(urls, count(page, "xmlns=\"http://www.w3.org/2000/svg\""));
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "<link"));
    assert_null(strstr(page, "<img"));
    assert_null(strstr(page, "@import"));
    assert_null(strstr(page, "url("));
    const char *bad = bad_number(page);
    if (bad)
        fail_msg("a missing number in the page: ...%.40s", bad > page + 40 ? bad - 40 : page);
    assert_non_null(strstr(page, "@media print"));
}

/* Every number in an SVG attribute has at most two decimals. */
static void check_coordinates(const char *svg)
{
    for (const char *p = svg; (p = strstr(p, "=\"")); ) {
        p += 2;
        const char *end = strchr(p, '"');
        assert_non_null(end);
        for (const char *q = p; q < end; q++) {
            if (*q != '.' || q == p || !isdigit((unsigned char)q[-1]))
                continue;
            size_t dec = 0;
            while (q + 1 + dec < end && isdigit((unsigned char)q[1 + dec]))
                dec++;
            if (dec > 2)
                fail_msg("coordinate with %zu decimals: %.30s", dec, q - 4);
        }
        p = end + 1;
    }
}

static const char *const chart_ids[6] = { "fan", "exceedance", "stacked", "tornado", "spikes",
                                          "unit" };

static void test_page_is_self_contained_with_six_charts(void **state)
{
    (void)state;
    char *page = render(full_yaml, NAN);
    check_common(page);
    for (int i = 0; i < 6; i++) {
        char *svg = svg_of(page, chart_ids[i]);
        if (!svg)
            fail_msg("no <svg id=\"%s\">", chart_ids[i]);
        assert_true(count(svg, "<path") + count(svg, "<rect") + count(svg, "<polygon") +
                        count(svg, "<polyline") + count(svg, "<line") >= 3);
        check_coordinates(svg);
        free(svg);
    }
    /* The sections a budget owner looks for, in order. */
    const char *e = strstr(page, "<h2>Economics</h2>"), *f = strstr(page, "id=\"fan\""),
               *t = strstr(page, "By component"), *a = strstr(page, "<h2>Assumptions</h2>");
    assert_true(e && f && t && a && e < f && f < t && t < a);
    assert_non_null(strstr(page, "costs.api.unit_price"));
    free(page);
}

static void test_scenario_name_is_escaped(void **state)
{
    (void)state;
    char *page = render(full_yaml, NAN);
    assert_non_null(strstr(page, "<h1>a&lt;b &amp; &quot;c&quot;</h1>"));
    assert_non_null(strstr(page, "<title>a&lt;b &amp; &quot;c&quot;"));
    assert_null(strstr(page, "a<b"));
    assert_null(strstr(page, "\"c\""));
    free(page);
}

static void test_fan_has_bands_and_monthly_budget(void **state)
{
    (void)state;
    char *page = render(full_yaml, NAN);
    char *fan = svg_of(page, "fan");
    assert_non_null(fan);
    assert_int_equal(count(fan, "<polygon class=\"band-outer\""), 1);
    assert_int_equal(count(fan, "<polygon class=\"band-inner\""), 1);
    assert_int_equal(count(fan, "<polyline class=\"median\""), 1);
    assert_int_equal(count(fan, "class=\"budget\""), 1);
    assert_non_null(strstr(fan, "monthly budget 3,000"));
    /* Six months: each band edge has six points, the polygon twelve. */
    const char *pts = strstr(strstr(fan, "band-outer"), "points=\"") + 8;
    size_t n = 0;
    for (const char *p = pts; *p != '"'; p++)
        n += *p == ',';
    assert_int_equal(n, 12);
    free(fan);
    /* The budget on the exceedance curve, with its chance of overrun. */
    char *ex = svg_of(page, "exceedance");
    assert_non_null(strstr(ex, "chance of overrun"));
    assert_non_null(strstr(ex, "recommended (P80)"));
    free(ex);
    free(page);
}

static void test_bare_scenario(void **state)
{
    (void)state;
    char *page = render(bare_yaml, 0.005);
    check_common(page);
    char *fan = svg_of(page, "fan");
    assert_non_null(fan);
    assert_null(strstr(fan, "class=\"budget\""));
    assert_int_equal(count(fan, "band-outer\""), 1);
    check_coordinates(fan);
    free(fan);
    /* Without spikes the figure says so in words rather than drawing an empty chart. */
    assert_null(svg_of(page, "spikes"));
    assert_non_null(strstr(page, "no demand spikes"));
    assert_non_null(strstr(page, "no budget given"));
    assert_non_null(strstr(page, "target 0.5%, achieved 0.25%, met"));
    for (int i = 0; i < 6; i++) {
        char *svg = svg_of(page, chart_ids[i]);
        assert_true(svg != NULL || strcmp(chart_ids[i], "spikes") == 0);
        if (svg)
            check_coordinates(svg);
        free(svg);
    }
    free(page);
}

static char *render_summary(const rr_summary *sum)
{
    rr_buf b = { 0 };
    assert_int_equal(rr_report_html(sum, &b), RR_OK);
    assert_false(b.failed);
    return b.p;
}

/* The tornado in money: a bar per input from the total's P50 with the input at its P10 to
 * that at its P90, widest first, around the P50 as simulated, each labelled with the input,
 * its P10 and P90 and the money at the ends; the share-of-variance tornado stays below it,
 * with the rank shares beside the shares.  Without swings the page is as it was. */
static void test_swings_chart(void **state)
{
    (void)state;
    rr_scenario *s = test_load(full_yaml, NULL);
    rr_result *r = NULL;
    rr_summary *sum = test_summarise(s, 2000, s->seed, 2, &r);
    const double base = sum->total.q[rr_summary_qindex(sum, 50)];
    free(sum->swings);
    sum->swings = calloc(3, sizeof *sum->swings);
    assert_non_null(sum->swings);
    sum->nswings = 3;
    sum->swings[0] = (rr_swing){ "costs.api.unit_price", 110, 190, base * 0.8, base * 1.2,
                                 NAN, NAN };
    sum->swings[1] = (rr_swing){ "demand.requests_per_month", 11000, 19000, base * 0.6,
                                 base * 1.5, NAN, NAN };
    sum->swings[2] = (rr_swing){ "costs.ops.monthly", 550, 850, base * 1.05, base * 0.97,
                                 NAN, NAN };   /* more of it, less cost */
    assert_true(sum->ndrivers >= 1);
    sum->drivers[0].rank_share = 0.5;
    char *page = render_summary(sum);
    check_common(page);
    char *svg = svg_of(page, "swings");
    if (!svg)
        fail_msg("no <svg id=\"swings\">");
    check_coordinates(svg);
    const char *d = strstr(svg, ">demand.requests_per_month<title>"),
               *u = strstr(svg, ">costs.api.unit_price<title>"),
               *o = strstr(svg, ">costs.ops.monthly<title>");
    assert_true(d && u && o && d < u && u < o);   /* widest first */
    assert_non_null(strstr(svg, ">P10 11,000 \xe2\x86\x92 P90 19,000</text>"));
    assert_non_null(strstr(svg, ">P10 110 \xe2\x86\x92 P90 190</text>"));
    /* Two bars a row and a legend swatch of each colour; the money at both ends of each. */
    assert_int_equal(count(svg, "fill=\"#4f9dc9\""), 4);
    assert_int_equal(count(svg, "fill=\"#e07b39\""), 4);
    assert_int_equal(count(svg, "class=\"tick halo\""), 6);
    assert_int_equal(count(svg, "class=\"zero-line\""), 1);
    assert_non_null(strstr(svg, "P50 as simulated: "));
    free(svg);
    char *tornado = svg_of(page, "tornado");
    assert_non_null(tornado);
    assert_non_null(strstr(tornado, "% (rank 50.0%)</text>"));
    free(tornado);
    assert_true(strstr(page, "id=\"swings\"") < strstr(page, "id=\"tornado\""));
    assert_non_null(strstr(page, "<h3>What drives the uncertainty: share of variance</h3>"));
    free(page);

    sum->nswings = 0;
    sum->drivers[0].rank_share = NAN;
    page = render_summary(sum);
    assert_null(svg_of(page, "swings"));
    assert_non_null(strstr(page, "<h3>What drives the uncertainty</h3>"));
    assert_null(strstr(page, "(rank "));
    free(page);
    rr_summary_free(sum);
    rr_result_free(r);
    rr_scenario_free(s);
}

/* ---- the comparison page ---- */

/* Two tiny scenarios for a comparison: B adds a storage component, so its storage differs
 * and every other category differs by exactly 0.  Both names are hostile. */
static const char *const cmp_a_yaml =
    "name: 'old <api> & \"co\"'\n"
    "horizon_months: 3\nsimulation: {seed: 5}\nbudget: {total: 9000}\n"
    "demand: {requests_per_month: 10000 to 20000}\n"
    "costs:\n"
    "  - {name: api, type: per_request, category: managed_ai, units_per_request: 0.001, "
    "unit_price: 100 to 200}\n"
    "  - {name: ops, type: fixed, category: mlops, monthly: 500 to 900}\n";

static const char *const cmp_b_yaml =
    "name: 'new <api> & \"co\"'\n"
    "horizon_months: 3\nsimulation: {seed: 5}\n"
    "demand: {requests_per_month: 10000 to 20000}\n"
    "costs:\n"
    "  - {name: api, type: per_request, category: managed_ai, units_per_request: 0.001, "
    "unit_price: 80 to 150}\n"
    "  - {name: ops, type: fixed, category: mlops, monthly: 500 to 900}\n"
    "  - {name: logs, type: storage, gb_per_request: 0.0001 to 0.001, price_per_gb_month: 0.023}\n";

typedef struct cmp_run {
    size_t k;
    rr_scenario *s[3];
    rr_result *r[3];
    rr_result_diff *d[3];
    rr_compare *c;
} cmp_run;

/* Run k scenarios (the YAML with the override set[i], when given) on common random numbers
 * and build their comparison. */
static void cmp_build(cmp_run *x, size_t k, const char *const *yaml, const char *const *set,
                      const char *const *files)
{
    memset(x, 0, sizeof *x);
    x->k = k;
    for (size_t i = 0; i < k; i++)
        x->s[i] = test_load(yaml[i], set ? set[i] : NULL);
    test_run_many((const rr_scenario *const *)x->s, k, 2000, 5, 2, x->r, x->d);
    assert_int_equal(rr_compare_build(files, k, x->r, x->d, NULL, 0, &x->c), RR_OK);
}

static void cmp_free(cmp_run *x)
{
    rr_compare_free(x->c);
    for (size_t i = 0; i < x->k; i++) {
        rr_scenario_free(x->s[i]);
        rr_result_free(x->r[i]);
        if (i + 1 < x->k)
            rr_result_diff_free(x->d[i]);
    }
}

static char *render_compare(const rr_compare *c)
{
    rr_buf b = { 0 };
    assert_int_equal(rr_report_compare_html(c, &b), RR_OK);
    assert_false(b.failed);
    return b.p;
}

static size_t drawn_shapes(const char *svg)
{
    return count(svg, "<rect") + count(svg, "<line") + count(svg, "<polyline") +
           count(svg, "<circle");
}

static void test_compare_page(void **state)
{
    (void)state;
    const char *yaml[2] = { cmp_a_yaml, cmp_b_yaml };
    const char *files[2] = { "dir/a&b.yaml", "dir/<b>.yaml" };
    cmp_run x;
    cmp_build(&x, 2, yaml, NULL, files);
    char *page = render_compare(x.c);
    check_common(page);
    char *svg = svg_of(page, "diff-1");
    if (!svg)
        fail_msg("no <svg id=\"diff-1\">");
    assert_true(count(svg, "<rect") >= 3);   /* legend swatch, total, managed_ai, storage */
    assert_true(count(svg, "<line") >= 5);   /* grid, zero line, P50 marks */
    assert_int_equal(count(svg, "class=\"zero-line\""), 1);
    assert_non_null(strstr(svg, "no difference on any path"));   /* mlops: the same ops */
    assert_non_null(strstr(svg, "B cheaper"));
    check_coordinates(svg);
    free(svg);
    assert_null(svg_of(page, "diff-2"));
    assert_null(svg_of(page, "sweep"));
    /* Names and files escaped wherever they appear. */
    assert_non_null(strstr(page, "<h1>old &lt;api&gt; &amp; &quot;co&quot; against "
                                 "new &lt;api&gt; &amp; &quot;co&quot;</h1>"));
    assert_non_null(strstr(page, "dir/a&amp;b.yaml"));
    assert_non_null(strstr(page, "dir/&lt;b&gt;.yaml"));
    assert_null(strstr(page, "<api>"));
    assert_null(strstr(page, "<b>"));
    assert_null(strstr(page, "\"co\""));
    /* The sections: totals, then the difference with its table and chart. */
    const char *t = strstr(page, "<h2>Cost over the horizon</h2>"),
               *d = strstr(page, "<h2>B - A: "), *g = strstr(page, "id=\"diff-1\"");
    assert_true(t && d && g && t < d && d < g);
    assert_non_null(strstr(page, "common random numbers"));
    assert_non_null(strstr(page, "Chance B costs more"));
    cmp_free(&x);
    free(page);
}

static void test_sweep_page(void **state)
{
    (void)state;
    const char *yaml[3] = { cmp_a_yaml, cmp_a_yaml, cmp_a_yaml };
    const char *set[3] = { "costs.api.unit_price=100", "costs.api.unit_price=150",
                           "costs.api.unit_price=200" };
    const char *files[3] = { "s.yaml", "s.yaml", "s.yaml" };
    const char *values[3] = { "100", "<b>150</b>", "200" };
    cmp_run x;
    cmp_build(&x, 3, yaml, set, files);
    x.c->sweep = "costs.api.unit_price";
    x.c->values = values;
    char *page = render_compare(x.c);
    check_common(page);
    char *svg = svg_of(page, "sweep");
    if (!svg)
        fail_msg("no <svg id=\"sweep\">");
    assert_int_equal(count(svg, "<polyline class=\"series\""), 3);   /* P50, P80, P95 */
    assert_int_equal(count(svg, "<circle"), 9);
    assert_int_equal(count(svg, "class=\"budget\""), 1);
    assert_non_null(strstr(svg, "&lt;b&gt;150&lt;/b&gt;"));   /* a tick label */
    assert_true(drawn_shapes(svg) >= 10);
    check_coordinates(svg);
    free(svg);
    for (int i = 1; i <= 2; i++) {
        char id[24];
        snprintf(id, sizeof id, "diff-%d", i);
        svg = svg_of(page, id);
        if (!svg)
            fail_msg("no <svg id=\"%s\">", id);
        assert_true(drawn_shapes(svg) >= 3);
        check_coordinates(svg);
        free(svg);
    }
    assert_non_null(strstr(page, "<h1>What if: <code>costs.api.unit_price</code></h1>"));
    assert_null(strstr(page, "<b>"));
    free(page);

    /* Missing statistics (a NaN, an infinity) never reach the SVG or the text. */
    for (size_t q = 0; q < x.c->nq; q++) {
        if (fabs(x.c->qp[q] - 0.8) < 1e-9)
            x.c->sc[1].total.q[q] = NAN;   /* breaks the P80 line */
        x.c->sc[2].total.q[q] = NAN;
        x.c->diff[0].total.q[q] = INFINITY;
        x.c->diff[1].cats[0].q[q] = NAN;
    }
    x.c->diff[0].total.mean = NAN;
    x.c->diff[1].p_b_costlier = NAN;
    x.c->sc[0].p_exceed = NAN;
    page = render_compare(x.c);
    check_common(page);
    for (int i = 0; i < 3; i++) {
        const char *id = i == 0 ? "sweep" : i == 1 ? "diff-1" : "diff-2";
        svg = svg_of(page, id);
        assert_non_null(svg);
        check_coordinates(svg);
        free(svg);
    }
    free(page);
    cmp_free(&x);
}

static void test_helpers(void **state)
{
    (void)state;
    char s[32];
    assert_string_equal(rr_fmt_money_short(s, sizeof s, 0, 5000), "0");
    assert_string_equal(rr_fmt_money_short(s, sizeof s, 250, 50), "250");
    assert_string_equal(rr_fmt_money_short(s, sizeof s, 1500, 500), "1.5k");
    assert_string_equal(rr_fmt_money_short(s, sizeof s, 20000, 5000), "20k");
    assert_string_equal(rr_fmt_money_short(s, sizeof s, 1250000, 250000), "1.25M");
    assert_string_equal(rr_fmt_money_short(s, sizeof s, 3e9, 1e9), "3B");
    assert_string_equal(rr_fmt_money_short(s, sizeof s, 0.25, 0.05), "0.25");
    assert_string_equal(rr_fmt_money_short(s, sizeof s, -5000, 5000), "-5k");
    assert_string_equal(rr_fmt_money_short(s, sizeof s, NAN, 1), "-");
    rr_buf b = { 0 };
    rr_buf_html(&b, "a<b & \"c\" 'd'>");
    rr_buf_html(&b, "");
    assert_string_equal(b.p, "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
    rr_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_is_self_contained_with_six_charts),
        cmocka_unit_test(test_scenario_name_is_escaped),
        cmocka_unit_test(test_fan_has_bands_and_monthly_budget),
        cmocka_unit_test(test_bare_scenario),
        cmocka_unit_test(test_swings_chart),
        cmocka_unit_test(test_compare_page),
        cmocka_unit_test(test_sweep_page),
        cmocka_unit_test(test_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
