/* category: the rows of RR_CATEGORY_TABLE and look-ups by name. */
#include "scenario/category.h"

#include <string.h>

static const rr_category_info table[RR_NCAT] = {
#define RR_X(id, name, focus, sub, colour, text) { id, name, focus, sub, colour, text },
    RR_CATEGORY_TABLE(RR_X)
#undef RR_X
};

const char *const rr_category_names[RR_NCAT + 1] = {
#define RR_X(id, name, focus, sub, colour, text) name,
    RR_CATEGORY_TABLE(RR_X)
#undef RR_X
    NULL
};

/* The names joined by ", ": the table's strings pasted at compile time. */
#define RR_X(id, name, focus, sub, colour, text) ", " name
const char *const rr_category_list = &(RR_CATEGORY_TABLE(RR_X))[2];
#undef RR_X

const rr_category_info *rr_category_get(rr_category c)
{
    return &table[(unsigned)c < RR_NCAT ? c : 0];
}

int rr_category_find(const char *name)
{
    for (int i = 0; i < RR_NCAT; i++)
        if (strcmp(table[i].name, name) == 0)
            return i;
    return -1;
}
