/* registry: the table of component types and the names of the cost categories.
 *
 * Adding a component type means adding its file and one line here.
 */
#include <string.h>

#include "model.h"

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
