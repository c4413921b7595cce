#include "actuals/observed.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actuals/csv.h"
#include "scenario/actuals_map.h"

int rr_observed_month_index(const rr_scenario *s, int year, int month)
{
    return (year - s->start_year) * 12 + (month - s->start_month);
}

/* The line of line i's cell of `column`, for a message: file f of the bill is held as
 * RR_POS_STRIDE * f + line (diag.h), the files after the first being the diags' layers.  A
 * cell's own line, not its record's: an earlier quoted field may span lines. */
static int pos(const rr_bill *b, size_t i, const char *column)
{
    return RR_POS_STRIDE * (int)b->line[i].file + rr_bill_cell_line(b, i, column);
}

/* The default target of a FOCUS ServiceCategory: a category, or -1. */
static int default_category(const char *service_category)
{
    if (!service_category)
        return -1;
    if (strcmp(service_category, "Networking") == 0)
        return RR_CAT_STORAGE;   /* data transfer is billed under Networking */
    for (int c = 0; c < RR_NCAT; c++) {
        const rr_category_info *info = rr_category_get((rr_category)c);
        /* Other is where cloud bills put what has no category: never oversight. */
        if (c != RR_CAT_OVERSIGHT && strcmp(info->focus, service_category) == 0)
            return c;
    }
    return -1;
}

static int rule_matches(const rr_actuals_rule *r, const rr_bill *b, size_t i)
{
    for (size_t j = 0; j < r->nmatch; j++) {
        const rr_actuals_match *m = &r->match[j];
        const char *v = m->tag ? rr_bill_tag(b, i, m->column) : rr_bill_field(b, i, m->column);
        if (!v || !rr_actuals_pattern_match(m->pattern, v))
            return 0;
    }
    return 1;
}

/* The target of line i: *comp a component or -1, *cat its category; 0, or -1 when none. */
static int target_of(const rr_scenario *s, const rr_bill *b, size_t i, long *comp, int *cat,
                     rr_diags *d)
{
    const rr_bill_line *l = &b->line[i];
    *comp = -1;
    if (l->kind == RR_BILL_PLAIN) {
        for (size_t k = 0; k < s->ncomps; k++)
            if (strcmp(s->comps[k].name, l->target) == 0) {
                *comp = (long)k;
                *cat = s->comps[k].category;
                return 0;
            }
        int c = rr_category_find(l->target);
        if (c < 0) {
            rr_diags_add(d, pos(b, i, "target"), rr_bill_col(b, i, "target"),
                         "target: '%s' is neither a component of the scenario "
                         "nor a category (compute, managed_ai, mlops, storage, oversight)",
                         l->target);
            return -2;
        }
        *cat = c;
        return 0;
    }
    for (size_t r = 0; r < s->actuals.n; r++)
        if (rule_matches(&s->actuals.rule[r], b, i)) {
            *comp = s->actuals.rule[r].component;
            *cat = s->actuals.rule[r].category;
            return 0;
        }
    *cat = default_category(rr_bill_field(b, i, "ServiceCategory"));
    return *cat >= 0 ? 0 : -1;
}

static void add_service(rr_observed *o, const char *name, double cost)
{
    char key[96];
    snprintf(key, sizeof key, "%s", name ? name : "(no ServiceName)");
    for (size_t j = 0; j < o->nservices; j++)
        if (strcmp(o->services[j].name, key) == 0) {
            o->services[j].total += cost;
            return;
        }
    if (o->nservices < RR_OBSERVED_TOP_SERVICES) {
        rr_observed_service *sv = &o->services[o->nservices++];
        snprintf(sv->name, sizeof sv->name, "%s", key);
        sv->total = cost;
        return;
    }
    /* Full: the one of least |total| gives way only to a larger line (the list keeps the
     * largest services approximately; the unmapped total is exact). */
    size_t least = 0;
    for (size_t j = 1; j < o->nservices; j++)
        if (fabs(o->services[j].total) < fabs(o->services[least].total))
            least = j;
    if (fabs(cost) > fabs(o->services[least].total)) {
        snprintf(o->services[least].name, sizeof o->services[least].name, "%s", key);
        o->services[least].total = cost;
    }
}

static int by_total(const void *a, const void *b)
{
    double x = fabs(((const rr_observed_service *)a)->total),
           y = fabs(((const rr_observed_service *)b)->total);
    return (x < y) - (x > y);
}

static int alloc_cells(const rr_scenario *s, rr_observed *o)
{
    memset(o, 0, sizeof *o);
    const size_t H = (size_t)s->horizon;
    o->horizon = s->horizon;
    o->ncomp = s->ncomps;
    o->nstreams = s->nstreams;
    o->cat = calloc(H * RR_NCAT, sizeof *o->cat);
    o->cat_seen = calloc(H * RR_NCAT, 1);
    o->cat_direct = calloc(H * RR_NCAT, 1);
    o->comp = calloc(H * (s->ncomps + 1), sizeof *o->comp);
    o->comp_seen = calloc(H * (s->ncomps + 1), 1);
    o->demand = calloc(H * s->nstreams, sizeof *o->demand);
    o->demand_seen = calloc(H * s->nstreams, 1);
    return o->cat && o->cat_seen && o->cat_direct && o->comp && o->comp_seen && o->demand &&
                   o->demand_seen
               ? 0
               : -1;
}

int rr_observed_build(const rr_scenario *s, const rr_bill *b, int through, rr_observed *o,
                      rr_diags *d)
{
    if (alloc_cells(s, o) != 0) {
        rr_diags_add(d, 0, 0, "out of memory");
        return -1;
    }
    int bad = 0, last = -1;
    const int end = through >= 0 && through < s->horizon ? through + 1 : s->horizon;
    for (size_t i = 0; i < b->n; i++) {
        const rr_bill_line *l = &b->line[i];
        if (l->currency && strcmp(l->currency, s->currency) != 0) {
            rr_diags_add(d, pos(b, i, "BillingCurrency"), rr_bill_col(b, i, "BillingCurrency"),
                         "BillingCurrency: '%s', but the scenario's currency "
                         "is %s (nothing is converted: bill and scenario must agree)",
                         l->currency, s->currency);
            bad = 1;
            continue;
        }
        if (l->kind == RR_BILL_TAX) {
            o->tax += l->cost;
            o->ntax++;
            continue;
        }
        const int m = rr_observed_month_index(s, l->year, l->month);
        if (m < 0) {
            o->before++;
            continue;
        }
        if (m >= end) {
            o->after++;
            continue;
        }
        long comp;
        int cat;
        int t = target_of(s, b, i, &comp, &cat, d);
        if (t == -2) {
            bad = 1;
            continue;
        }
        if (t < 0) {
            o->unmapped += l->cost;
            o->nunmapped_lines++;
            add_service(o, rr_bill_field(b, i, "ServiceName"), l->cost);
            continue;
        }
        const size_t mc = (size_t)m * RR_NCAT + (size_t)cat;
        o->cat[mc] += l->cost;
        o->cat_seen[mc] = 1;
        if (comp >= 0) {
            o->comp[(size_t)m * o->ncomp + (size_t)comp] += l->cost;
            o->comp_seen[(size_t)m * o->ncomp + (size_t)comp] = 1;
        } else {
            o->cat_direct[mc] = 1;
        }
        o->mapped += l->cost;
        if (m > last)
            last = m;
    }
    qsort(o->services, o->nservices, sizeof *o->services, by_total);
    o->months = through >= 0 ? end : last + 1;
    return bad ? -1 : 0;
}

int rr_observed_demand(const rr_scenario *s, const char *path, int through, rr_observed *o,
                       rr_diags *d)
{
    rr_csv c;
    memset(&c, 0, sizeof c);
    if (rr_csv_read(path, &c, d) != RR_OK)
        return -1;
    long cm = rr_csv_column(&c, "month"), cr = rr_csv_column(&c, "requests"),
         cs = rr_csv_column(&c, "stream");
    int bad = 0;
    if (cm < 0 || cr < 0) {
        rr_diags_add(d, 1, 1, "expected the header month,requests (and stream, for a scenario "
                     "of several streams)");
        bad = 1;
    } else if (cs < 0 && s->nstreams > 1) {
        rr_diags_add(d, 1, 1, "the scenario has %zu demand streams: the header needs a "
                     "'stream' column (month,stream,requests)", s->nstreams);
        bad = 1;
    }
    const int end = through >= 0 && through < s->horizon ? through + 1 : s->horizon;
    for (size_t r = 0; !bad && r < c.nrows; r++) {
        const char *mv = rr_csv_at(&c, r, (size_t)cm), *rv = rr_csv_at(&c, r, (size_t)cr);
        int y, mo;
        if (rr_bill_parse_month(mv, &y, &mo) != 0) {
            rr_diags_add(d, c.line[r], c.cell_col[r * c.ncols + (size_t)cm],
                         "month: expected YYYY-MM, got '%s'", mv);
            bad = 1;
            continue;
        }
        char *e;
        double v = strtod(rv, &e);
        if (e == rv || *e || !isfinite(v) || v < 0) {
            rr_diags_add(d, c.line[r], c.cell_col[r * c.ncols + (size_t)cr],
                         "requests: expected a number >= 0, got '%s'", rv);
            bad = 1;
            continue;
        }
        size_t j = 0;
        if (cs >= 0) {
            const char *sv = rr_csv_at(&c, r, (size_t)cs);
            while (j < s->nstreams && strcmp(s->streams[j].name, sv) != 0)
                j++;
            if (j == s->nstreams) {
                rr_diags_add(d, c.line[r], c.cell_col[r * c.ncols + (size_t)cs],
                             "stream: '%s' is not a demand stream of the scenario", sv);
                bad = 1;
                continue;
            }
        }
        const int m = rr_observed_month_index(s, y, mo);
        if (m < 0 || m >= end)
            continue;
        o->demand[(size_t)m * o->nstreams + j] += v;
        o->demand_seen[(size_t)m * o->nstreams + j] = 1;
    }
    rr_csv_free(&c);
    return bad ? -1 : 0;
}

void rr_observed_free(rr_observed *o)
{
    free(o->cat);
    free(o->cat_seen);
    free(o->cat_direct);
    free(o->comp);
    free(o->comp_seen);
    free(o->demand);
    free(o->demand_seen);
    memset(o, 0, sizeof *o);
}
