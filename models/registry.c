/* registry: the table of component types.
 *
 * Adding a component type means adding its file and one line here: the scenario's
 * validation, its messages ("expected one of ..."), the did-you-mean suggestions and the
 * docs' check (tests/test_scenario.c) all read this table.
 */
#include <stdio.h>
#include <string.h>

#include "models/model.h"

extern const rr_component_type rr_model_api_type, rr_compute_type, rr_training_type,
    rr_per_request_type, rr_storage_type, rr_oversight_type, rr_fixed_type, rr_seats_type,
    rr_formula_type;

const rr_component_type *const rr_model_types[] = {
    &rr_model_api_type, &rr_compute_type, &rr_training_type, &rr_per_request_type,
    &rr_storage_type, &rr_oversight_type, &rr_fixed_type, &rr_seats_type, &rr_formula_type,
    NULL,
};

const rr_component_type *rr_model_find(const char *name)
{
    for (size_t i = 0; rr_model_types[i]; i++)
        if (strcmp(rr_model_types[i]->name, name) == 0)
            return rr_model_types[i];
    return NULL;
}

size_t rr_model_type_names(const char **names, size_t cap)
{
    size_t n = 0;
    for (; rr_model_types[n] && n + 1 < cap; n++)
        names[n] = rr_model_types[n]->name;
    names[n] = NULL;
    return n;
}

const char *rr_model_type_list(char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = 0;
    for (size_t i = 0; rr_model_types[i] && at < size; i++) {
        int w = snprintf(buf + at, size - at, "%s%s", i ? ", " : "", rr_model_types[i]->name);
        at += w > 0 ? (size_t)w : 0;
    }
    return buf;
}

int rr_model_field(const struct rr_component_type *t, const char *key)
{
    for (size_t i = 0; i < t->nfields; i++)
        if (strcmp(t->fields[i].key, key) == 0)
            return (int)i;
    return -1;
}

unsigned rr_component_given(const rr_component *c)
{
    unsigned given = 0;
    for (size_t i = 0; i < c->type->nfields; i++)
        given |= (unsigned)(c->in[i].given != 0) << i;
    return given;
}

void rr_model_check_months(const rr_component *c, size_t from, size_t until, int horizon,
                           rr_diags *diags)
{
    const rr_input *f = &c->in[from], *u = &c->in[until];
    if (horizon <= 0)   /* unknown: horizon_months itself is in error */
        return;
    if (f->given && (f->dist.p[0] < 1 || f->dist.p[0] > horizon))
        rr_diags_add(diags, f->line, f->col, "%s: must be in 1..%d (horizon_months), got %g",
                     f->path, horizon, f->dist.p[0]);
    if (u->given && (u->dist.p[0] < 1 || u->dist.p[0] > horizon))
        rr_diags_add(diags, u->line, u->col, "%s: must be in 1..%d (horizon_months), got %g",
                     u->path, horizon, u->dist.p[0]);
    else if (u->given && u->dist.p[0] < f->dist.p[0])
        rr_diags_add(diags, u->line, u->col, "%s: must be >= %s (%g), got %g", u->path,
                     c->type->fields[from].key, f->dist.p[0], u->dist.p[0]);
}
