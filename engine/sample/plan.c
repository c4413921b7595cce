/* plan: compiling a scenario into values, events and the layout of a group's draws.
 *
 * Every field becomes a ref (a constant, a value drawn once per path, or one drawn each
 * month); every component with events whose count field is given, and the demand with
 * spikes, becomes an event source.  Then the table (plan_draws.h): in the order the refs
 * and sources were made, each one's rows while RR_PLAN_MAX_ROWS allows, the second blocks of
 * the rows whose samplers read two, and the runs of consecutive steps.
 */
#include "sample/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample/draw.h"
#include "sample/plan_build.h"

typedef rr_plan_builder builder;

static void fill_builtins(const rr_scenario *s, double *out);

rr_ref rr_plan_add_value(builder *b, rr_value_kind kind, const rr_dist *dist, uint64_t stream,
                         int normal)
{
    rr_plan_draws *D = b->D;
    rr_ref ref = (rr_ref)b->P->nrefs++;
    rr_plan_value *v = &D->value[ref];
    *v = (rr_plan_value){ .kind = kind, .dist = dist, .stream = stream, .normal = normal,
                          .row = -1 };
    if (kind == RR_VALUE_CONST || kind == RR_VALUE_PATH)
        v->at = D->nvalues++;
    return ref;
}

#define add_value rr_plan_add_value

/* Field f's input as a ref: a constant, a value drawn once per path or each month, or one
 * computed; special fields are read otherwise, and per-event ones drawn for each event
 * (RR_REF_NONE). */
static rr_ref add_input(builder *b, const rr_input *in, const rr_field *f)
{
    if (f->kind == RR_FIELD_SPECIAL || (f->flags & RR_F_PER_EVENT))
        return RR_REF_NONE;
    return rr_plan_input(b, in, 1);
}

/* An event source of `ev` over the fields and refs of its owner; -1 when its count field
 * is not given (the owner has no events in this scenario). */
static int add_events(builder *b, const rr_events *ev, const rr_input *in, const rr_field *f,
                      size_t nf, const rr_ref *refs, const char *owner)
{
    int chance = ev->chance >= 0 && in[ev->chance].given;
    int field = chance ? ev->chance : ev->mean >= 0 && in[ev->mean].given ? ev->mean : -1;
    if (field < 0)
        return -1;
    char stream[192];
    snprintf(stream, sizeof stream, "%s%s", owner, ev->stream);
    rr_plan_event *e = &b->D->event[b->P->nevents];
    *e = (rr_plan_event){ .chance = chance, .rate = refs[field], .stream = rr_rng_stream_id(stream),
                          .row = -1, .term = ev->term };
    const rr_plan_value *rate = &b->D->value[e->rate];
    e->rate_stays = rate->kind == RR_VALUE_COMPUTED ? rate->cls == RR_CLASS_PATH
                                                    : rate->kind != RR_VALUE_MONTHLY;
    for (size_t i = 0; ev->term && i < nf; i++)
        if ((f[i].flags & RR_F_PER_EVENT) && e->nfield < RR_MAX_EVENT_FIELDS) {
            /* An expression or a schedule: the month's value, for every event. */
            e->fref[e->nfield] = in[i].expr || in[i].schedule ? rr_plan_input(b, &in[i], 1)
                                                              : RR_REF_NONE;
            e->field[e->nfield++] = &in[i];
        }
    return (int)b->P->nevents++;
}

/* n rows of stream at steps lo.., each drawn as dist (NULL: a raw variate) by `from`; the
 * first row, or -1 when the table is full. */
static int32_t add_rows(builder *b, uint64_t stream, uint32_t lo, uint32_t n, const rr_dist *dist,
                        int from)
{
    rr_plan_draws *D = b->D;
    if (D->nrows + n > RR_PLAN_MAX_ROWS)
        return -1;
    D->spans[D->nspans++] = (rr_rng_span){ stream, lo, n, 0 };
    for (uint32_t k = 0; k < n; k++)
        D->rows[D->nrows + k] = (rr_plan_row){ dist, stream, lo + k, from, -1 };
    D->nrows += n;
    return (int32_t)(D->nrows - n);
}

static void lay_out_value(builder *b, rr_plan_value *v)
{
    if (v->kind == RR_VALUE_COMPUTED)
        return;   /* computed, not drawn */
    const uint32_t H = (uint32_t)b->P->horizon;
    int from = v->normal ? RR_DIST_FROM_NORMAL : rr_dist_draws_from(v->dist);
    if (v->kind == RR_VALUE_PATH) {
        v->row = add_rows(b, v->stream, RR_STEP_PATH, 1, v->dist, from);
    } else if (v->kind == RR_VALUE_MONTHLY) {
        v->row = add_rows(b, v->stream, RR_STEP_MONTH(0), H, v->dist, from);
        if (v->row < 0) {
            v->at = b->D->nspill;
            b->D->nspill += H;
        }
    }
}

static void lay_out_event(builder *b, rr_plan_event *e)
{
    const uint32_t H = (uint32_t)b->P->horizon;
    e->row = add_rows(b, e->stream, RR_STEP_MONTH(0), H, NULL, RR_DIST_FROM_UNIFORM);
    if (e->row < 0) {
        e->spill = b->D->nspill;
        b->D->nspill += H;
    }
}

/* The second blocks of the rows whose samplers read two (betas), as batch spans after the
 * table's: the table keeps one row per value. */
static void add_second_blocks(rr_plan_draws *D)
{
    size_t nextra = 0;
    for (size_t row = 0; row < D->nrows;) {
        const rr_plan_row *r = &D->rows[row];
        size_t n = 1;
        while (row + n < D->nrows && D->rows[row + n].stream == r->stream &&
               D->rows[row + n].step == r->step + n)
            n++;
        if (r->dist && r->from == 0 && rr_dist_blocks(r->dist) == 2 &&
            D->nrows + nextra + n <= RR_PLAN_MAX_ROWS) {
            D->spans[D->nspans++] = (rr_rng_span){ r->stream, r->step, (uint32_t)n, 1 };
            for (size_t k = 0; k < n; k++)
                D->rows[row + k].second = (int32_t)(D->nrows + nextra + k);
            nextra += n;
        }
        row += n;
    }
}

/* Runs: the same distribution and stream at consecutive steps, one block each. */
static void find_runs(rr_plan_draws *D)
{
    for (size_t row = D->nrows; row-- > 0;) {
        const rr_plan_row *a = &D->rows[row], *c = row + 1 < D->nrows ? &D->rows[row + 1] : NULL;
        int more = c && c->dist == a->dist && c->from == a->from && c->stream == a->stream &&
                   c->step == a->step + 1 && a->second < 0 && c->second < 0;
        D->run[row] = more ? D->run[row + 1] + 1 : 1;
    }
}

static rr_ref ref_of(const rr_plan *P, const rr_input *in)
{
    for (size_t i = 0; i < P->ndrivers; i++)
        if (P->drivers[i].input == in)
            return P->drivers[i].ref;
    return RR_REF_NONE;
}

static void compile(builder *b)
{
    rr_plan *P = b->P;
    rr_plan_draws *D = b->D;
    const rr_scenario *s = P->s;
    /* Variables first, in file order: each one's value once, whoever reads it. */
    for (size_t i = 0; i < s->nvars; i++)
        rr_plan_variable(b, i);
    rr_ref dref[RR_MAX_STREAMS][RR_DEMAND_NFIELDS];
    for (size_t j = 0; j < P->nstreams; j++) {
        const rr_demand *dm = &s->streams[j].d;
        rr_plan_demand *pd = &P->streams[j];
        for (size_t i = 0; i < RR_DEMAND_NFIELDS; i++)
            dref[j][i] = add_input(b, &dm->in[i], &rr_demand_fields[i]);
        pd->base = dref[j][RR_DEMAND_BASE];
        pd->growth = dref[j][RR_DEMAND_GROWTH];
        memcpy(pd->season, dm->season, sizeof pd->season);
        pd->start_month = dm->start_month;
    }
    for (size_t k = 0; k < P->ncomp; k++) {
        const rr_component *c = &s->comps[k];
        rr_plan_comp *pc = &P->comp[k];
        pc->c = c;
        pc->stream = c->stream;
        pc->given = rr_component_given(c);
        for (size_t i = 0; i < RR_MAX_FIELDS; i++)
            pc->field[i] = i < c->type->nfields ? add_input(b, &c->in[i], &c->type->fields[i])
                                                : RR_REF_NONE;
        pc->state = P->nstate;
        P->nstate += c->type->state_rows ? c->type->state_rows(c, s->horizon) : c->type->nstate;
        pc->capacity = c->type->capacity ? (int)P->ncapacity++ : -1;
        const int cf = rr_model_field(c->type, "commitment.monthly");
        pc->commitment = cf >= 0 && c->in[cf].given ? (int)P->ncommitment++ : -1;
    }
    /* Each stream's noise factor exp(noise * Z): a lognormal of median 1, drawn from the
     * month's standard normal of "demand.noise" ("demand.NAME.noise"). */
    const rr_ref first_noise = (rr_ref)P->nrefs;
    for (size_t j = 0; j < P->nstreams; j++) {
        const rr_stream *st = &s->streams[j];
        double sigma = st->d.in[RR_DEMAND_NOISE].dist.p[0];
        char stream[112];
        snprintf(stream, sizeof stream, "%s.noise", st->prefix);
        rr_dist_init_lognormal_median(&D->noise[j], 1.0, sigma);
        P->streams[j].noise = sigma > 0 ? add_value(b, RR_VALUE_MONTHLY, &D->noise[j],
                                                    rr_rng_stream_id(stream), 1)
                                        : RR_REF_NONE;
    }

    /* The table, in the order of the values, then the components' event counts, and each
     * stream's noise and spikes' counts. */
    for (rr_ref r = 0; r < first_noise; r++)
        lay_out_value(b, &D->value[r]);
    rr_ref laid = (rr_ref)P->nrefs;
    for (size_t k = 0; k < P->ncomp; k++) {
        const rr_component *c = &s->comps[k];
        char owner[96];
        snprintf(owner, sizeof owner, "costs.%s", c->name);
        P->comp[k].events = c->type->events
                                ? add_events(b, c->type->events, c->in, c->type->fields,
                                             c->type->nfields, P->comp[k].field, owner)
                                : -1;
        if (P->comp[k].events >= 0)
            lay_out_event(b, &D->event[P->comp[k].events]);
    }
    for (size_t j = 0; j < P->nstreams; j++) {
        const rr_stream *st = &s->streams[j];
        rr_plan_demand *pd = &P->streams[j];
        if (pd->noise != RR_REF_NONE)
            lay_out_value(b, &D->value[pd->noise]);
        pd->spikes = st->d.has_spikes ? add_events(b, &rr_demand_spikes, st->d.in,
                                                   rr_demand_fields, RR_DEMAND_NFIELDS,
                                                   dref[j], st->prefix)
                                      : -1;
        if (pd->spikes >= 0)
            lay_out_event(b, &D->event[pd->spikes]);
    }
    /* What the events' expressions and schedules drew. */
    for (rr_ref r = laid; r < P->nrefs; r++)
        lay_out_value(b, &D->value[r]);
    add_second_blocks(D);
    find_runs(D);
    D->ncorr = s->corr.m;
    for (size_t i = 0; i < s->corr.m; i++)
        D->corr[i] = ref_of(P, s->corr.in[i]);
}

rr_status rr_plan_new(const rr_scenario *s, rr_plan **out)
{
    *out = NULL;
    rr_plan *P = calloc(1, sizeof *P);
    if (!P)
        return RR_ERR_NOMEM;
    P->s = s;
    P->horizon = s->horizon;
    P->ncomp = s->ncomps;
    P->nstreams = s->nstreams;
    /* Every input's refs at most: the value itself, one for each node of its expression
     * (a part lifted out of a monthly program), its schedule's entries'. */
    size_t maxrefs = s->nstreams;   /* the streams' noise factors */
    for (size_t j = 0; j < s->nstreams; j++)
        for (size_t i = 0; i < RR_DEMAND_NFIELDS; i++)
            maxrefs += rr_plan_input_refs(&s->streams[j].d.in[i]);
    for (size_t k = 0; k < s->ncomps; k++)
        for (size_t i = 0; i < RR_MAX_FIELDS; i++)
            maxrefs += rr_plan_input_refs(&s->comps[k].in[i]);
    for (size_t i = 0; i < s->nvars; i++)
        maxrefs += rr_plan_input_refs(&s->vars[i].value);
    const size_t H = (size_t)s->horizon;
    const size_t nsources = s->ncomps + s->nstreams;   /* event sources at most */
    const size_t maxrows = (maxrefs + nsources) * ((size_t)s->horizon + 1);
    const size_t rows = maxrows < RR_PLAN_MAX_ROWS ? maxrows : RR_PLAN_MAX_ROWS;
    rr_plan_draws *D = P->draws = calloc(1, sizeof *D);
    P->comp = calloc(s->ncomps + 1, sizeof *P->comp);
    P->drivers = calloc(maxrefs + 1, sizeof *P->drivers);
    P->computed = calloc(maxrefs + 1, sizeof *P->computed);
    P->streams = calloc(s->nstreams + 1, sizeof *P->streams);
    if (D) {
        D->value = calloc(maxrefs + 1, sizeof *D->value);
        D->event = calloc(nsources + 1, sizeof *D->event);
        D->spans = calloc(2 * (maxrefs + nsources + 1), sizeof *D->spans);
        D->rows = calloc(rows + 1, sizeof *D->rows);
        D->run = calloc(rows + 1, sizeof *D->run);
        D->builtin = calloc(RR_NBUILTIN * H * RR_LANES, sizeof *D->builtin);
    }
    P->days = calloc(H + 1, sizeof *P->days);
    builder b = { P, D, calloc(s->nvars + 1, sizeof *b.var_ref),
                  calloc(s->nvars + 1, sizeof *b.var_value),
                  calloc(s->nvars + 1, sizeof *b.var_known),
                  { NULL, NULL, s->start_month != 0 }, 0 };
    if (!D || !P->days || !P->comp || !P->drivers || !P->computed || !P->streams || !D->value || !D->event || !D->spans || !D->rows ||
        !D->run || !D->builtin || !b.var_ref || !b.var_value || !b.var_known) {
        free(b.var_ref);
        free(b.var_value);
        free(b.var_known);
        rr_plan_free(P);
        return RR_ERR_NOMEM;
    }
    /* What folding knows: the variables that are constants. */
    for (size_t i = 0; i < s->nvars; i++) {
        b.var_ref[i] = RR_REF_NONE;
        b.var_known[i] = rr_input_is_const(&s->vars[i].value);
        b.var_value[i] = s->vars[i].value.dist.p[0];
    }
    b.env.value = b.var_value;
    b.env.known = b.var_known;
    fill_builtins(s, D->builtin);
    for (size_t m = 0; m < H; m++)
        P->days[m] = D->builtin[((size_t)RR_B_DAYS * H + m) * RR_LANES];
    compile(&b);
    free(b.var_ref);
    free(b.var_value);
    free(b.var_known);
    if (b.failed) {
        rr_plan_free(P);
        return RR_ERR_NOMEM;
    }
    *out = P;
    return RR_OK;
}

const rr_input *rr_plan_source(const rr_plan *p, rr_ref r, int month)
{
    const rr_plan_value *v = &p->draws->value[r];
    const rr_input *in = v->src;
    if (!in)
        return NULL;
    for (int depth = 0; depth < 64; depth++) {
        if (in->schedule) {
            /* The entry that holds in that month. */
            const rr_schedule *sc = in->schedule;
            size_t j = 0;
            while (j + 1 < sc->n && sc->e[j + 1].month <= month)
                j++;
            in = &sc->e[j].value;
            continue;
        }
        /* An expression that is only a variable's name: that variable's. */
        const rr_expr *e = in->expr;
        if (e && e->op == RR_X_NAME && e->var >= 0 &&
            (p->s->vars[e->var].value.expr || p->s->vars[e->var].value.schedule)) {
            in = &p->s->vars[e->var].value;
            continue;
        }
        break;
    }
    return in;
}

/* The calendar's values of every month, as lanes: month (1..H), calendar_month, year and
 * days (the month's calendar days with `start`, else RR_EXPR_DAYS_DEFAULT); `requests` has
 * a row too, unused, so that a built-in's index is its row. */
static void fill_builtins(const rr_scenario *s, double *out)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    const int H = s->horizon;
    for (int m = 0; m < H; m++) {
        int mm = (s->start_month ? s->start_month - 1 : 0) + m;
        int y = s->start_year + mm / 12, cm = mm % 12 + 1;
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        double v[RR_NBUILTIN] = { 0 };
        v[RR_B_MONTH] = m + 1;
        v[RR_B_CALENDAR_MONTH] = cm;
        v[RR_B_YEAR] = y;
        v[RR_B_DAYS] = s->start_month ? mdays[cm - 1] + (cm == 2 && leap) : RR_EXPR_DAYS_DEFAULT;
        for (int b = 0; b < RR_NBUILTIN; b++)
            for (unsigned l = 0; l < RR_LANES; l++)
                out[((size_t)b * H + m) * RR_LANES + l] = v[b];
    }
}

void rr_plan_free(rr_plan *p)
{
    if (!p)
        return;
    if (p->draws) {
        for (size_t r = 0; p->draws->value && r < p->nrefs; r++)
            rr_program_free(p->draws->value[r].prog);
        free(p->draws->builtin);
        free(p->draws->value);
        free(p->draws->event);
        free(p->draws->spans);
        free(p->draws->rows);
        free(p->draws->run);
        free(p->draws);
    }
    free(p->comp);
    free(p->days);
    free(p->drivers);
    free(p->computed);
    free(p->streams);
    free(p);
}
