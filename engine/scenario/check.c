/* check: located shape checks of scenario nodes. */
#include "scenario/check.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/input.h"

const char *rr_check_text(const rr_node *n)
{
    return n->kind == RR_NODE_SCALAR ? n->str : rr_node_kind_name(n);
}

/* A scalar quoted, anything else named: 'abc' or a mapping. */
#define QUOTE(n) (n)->kind == RR_NODE_SCALAR ? "'" : "", rr_check_text(n), \
                 (n)->kind == RR_NODE_SCALAR ? "'" : ""

void rr_check_unknown(rr_diags *d, const rr_node *k, const char *where,
                      const char *const *known)
{
    const char *hint = rr_suggest(k->str, known);
    if (hint)
        rr_diags_add(d, k->line, k->col, "unknown key '%s'%s%s (did you mean '%s'?)", k->str,
                     where[0] ? " in " : "", where, hint);
    else
        rr_diags_add(d, k->line, k->col, "unknown key '%s'%s%s", k->str, where[0] ? " in " : "",
                     where);
}

int rr_check_keys(rr_diags *d, const rr_node *map, const char *where, const char *const *keys)
{
    int unknown = 0;
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        size_t j = 0;
        while (keys[j] && strcmp(keys[j], map->items[i]->str) != 0)
            j++;
        if (!keys[j]) {
            rr_check_unknown(d, map->items[i], where, keys);
            unknown = 1;
        }
    }
    return -unknown;
}

int rr_check_map(rr_diags *d, const rr_node *n, const char *what)
{
    if (n->kind == RR_NODE_MAP)
        return 0;
    rr_diags_add(d, n->line, n->col, "%s: expected a mapping, got %s", what,
                 rr_node_kind_name(n));
    return -1;
}

int rr_check_plain(rr_diags *d, const rr_node *n, const char *what, double *out)
{
    const char *e = rr_parse_number(n, out);
    if (!e)
        return 0;
    char hint[160] = "";
    if (n->kind == RR_NODE_SCALAR)
        rr_number_hint(n->str, hint, sizeof hint);
    rr_diags_add(d, n->line, n->col, "%s: %s, got %s%s%s%s", what,
                 strcmp(e, "expected a number") ? e : "expected a plain number", QUOTE(n),
                 hint);
    return -1;
}

int rr_check_uint(rr_diags *d, const rr_node *n, const char *what, uint64_t lo, uint64_t hi,
                  uint64_t *out)
{
    if (n->kind == RR_NODE_SCALAR && n->str[0] && strspn(n->str, "0123456789") == strlen(n->str)) {
        errno = 0;
        unsigned long long v = strtoull(n->str, NULL, 10);
        if (errno == 0 && v >= lo && v <= hi) {
            *out = v;
            return 0;
        }
        rr_diags_add(d, n->line, n->col, "%s: must be a whole number in %llu..%llu, got %s",
                     what, (unsigned long long)lo, (unsigned long long)hi, n->str);
        return -1;
    }
    /* Accept an exponent form such as 1e6 when it is exactly a whole number. */
    double v;
    if (n->kind == RR_NODE_SCALAR && !rr_parse_number(n, &v) && v == floor(v) && v >= (double)lo &&
        v <= (double)hi) {
        *out = (uint64_t)v;
        return 0;
    }
    rr_diags_add(d, n->line, n->col, "%s: expected a whole number in %llu..%llu, got %s%s%s",
                 what, (unsigned long long)lo, (unsigned long long)hi, QUOTE(n));
    return -1;
}
