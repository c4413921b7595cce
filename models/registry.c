/* registry: the table of component types and the names of the cost categories.
 *
 * Adding a component type means adding its file and one line here.
 */
#include <string.h>

#include "models/model.h"

extern const rr_component_type rr_model_api_type, rr_compute_type, rr_training_type,
    rr_per_request_type, rr_storage_type, rr_oversight_type, rr_fixed_type;

const rr_component_type *const rr_model_types[] = {
    &rr_model_api_type, &rr_compute_type, &rr_training_type, &rr_per_request_type,
    &rr_storage_type, &rr_oversight_type, &rr_fixed_type, NULL,
};

const rr_component_type *rr_model_find(const char *name)
{
    for (size_t i = 0; rr_model_types[i]; i++)
        if (strcmp(rr_model_types[i]->name, name) == 0)
            return rr_model_types[i];
    return NULL;
}

/* The largest state of any type: the adapter below keeps one path's in lane 0. */
#define MAX_STATE 8

double rr_model_month(const rr_component *c, double *state, const double *pv, int m, double eff,
                      rr_draw *d)
{
    double pvl[RR_MAX_FIELDS * RR_LANES] = { 0 }, stl[MAX_STATE * RR_LANES] = { 0 };
    double effl[RR_LANES] = { 0 }, cost[RR_LANES];
    for (size_t i = 0; i < c->type->nfields; i++)
        for (unsigned l = 0; l < RR_LANES; l++)
            pvl[i * RR_LANES + l] = pv[i];
    for (size_t i = 0; i < c->type->nstate && i < MAX_STATE; i++)
        stl[i * RR_LANES] = state[i];
    effl[0] = eff;
    rr_draw one = *d;
    one.tab = NULL;
    rr_lanes L = { &one, d->path, 1, pvl };
    c->type->lanes(c, stl, NULL, pvl, m, effl, NULL, cost, NULL, &L);
    for (size_t i = 0; i < c->type->nstate && i < MAX_STATE; i++)
        state[i] = stl[i * RR_LANES];
    return cost[0];
}

static const char *const category_names[RR_NCAT] = {
    "compute", "managed_ai", "mlops", "storage", "oversight",
};

const char *rr_category_name(rr_category c)
{
    return (unsigned)c < RR_NCAT ? category_names[c] : "?";
}

int rr_category_find(const char *name)
{
    for (int i = 0; i < RR_NCAT; i++)
        if (strcmp(category_names[i], name) == 0)
            return i;
    return -1;
}
