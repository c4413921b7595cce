/* override: --set and --sweep on the scenario tree. */
#include "scenario/override.h"

#include <stdlib.h>
#include <string.h>

static rr_node *component_by_name(rr_node *costs, const char *rest, size_t *used)
{
    rr_node *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; costs && costs->kind == RR_NODE_SEQ && i < costs->n; i++) {
        const rr_node *name = rr_node_get(costs->items[i], "name");
        if (!name || name->kind != RR_NODE_SCALAR)
            continue;
        size_t len = strlen(name->str);
        if (len > best_len && strncmp(rest, name->str, len) == 0 &&
            (rest[len] == '.' || rest[len] == '\0')) {
            best = costs->items[i];
            best_len = len;
        }
    }
    *used = best_len;
    return best;
}

/* The mapping that holds `key` at `path`, creating intermediate mappings as needed. */
static rr_node *walk(rr_node *map, char *path, char **last, rr_diags *diags, const char *arg)
{
    char *dot;
    while ((dot = strchr(path, '.'))) {
        *dot = '\0';
        if (map->kind != RR_NODE_MAP) {
            rr_diags_add(diags, 0, 0, "--set %s: '%s' is not inside a mapping", arg, path);
            return NULL;
        }
        rr_node *next = (rr_node *)rr_node_get(map, path);
        if (!next) {
            if (!(next = rr_node_new_map()) || rr_node_map_set(map, path, next) != 0) {
                rr_diags_add(diags, 0, 0, "out of memory");
                return NULL;
            }
        }
        map = next;
        path = dot + 1;
    }
    if (map->kind != RR_NODE_MAP) {
        rr_diags_add(diags, 0, 0, "--set %s: the value's parent is not a mapping", arg);
        return NULL;
    }
    *last = path;
    return map;
}

rr_status rr_override_apply(rr_node *root, const char *arg, rr_diags *diags)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) {
        rr_diags_add(diags, 0, 0, "--set %s: expected PATH=VALUE, e.g. "
                     "costs.chat-model.price_per_million.input=1.5", arg);
        return RR_ERR_USAGE;
    }
    if (root->kind != RR_NODE_MAP) {
        rr_diags_add(diags, 0, 0, "--set %s: the scenario is not a mapping", arg);
        return RR_ERR_USAGE;
    }
    char *path = strndup(arg, (size_t)(eq - arg));
    if (!path)
        return RR_ERR_NOMEM;
    rr_status st = RR_ERR_USAGE;
    rr_node *value = NULL;
    rr_diags vd;
    rr_diags_init(&vd, NULL);
    if (rr_node_load_string(eq + 1, strlen(eq + 1), &value, &vd) != RR_OK || vd.n) {
        rr_diags_add(diags, 0, 0, "--set %s: the value is not valid YAML: %s", arg,
                     vd.n ? vd.v[0].msg : "empty");
        goto out;
    }
    /* Errors in the value are reported without a file position: it is on the command line. */
    rr_node_set_position(value, 0, 0);

    rr_node *map = root;
    char *rest = path, *last = NULL;
    if (strncmp(path, "costs.", 6) == 0) {
        size_t used;
        rr_node *comp = component_by_name((rr_node *)rr_node_get(root, "costs"), path + 6, &used);
        if (!comp || path[6 + used] != '.') {
            rr_diags_add(diags, 0, 0, "--set %s: no component named as in '%s' in costs", arg,
                         path + 6);
            goto out;
        }
        map = comp;
        rest = path + 6 + used + 1;
    }
    map = walk(map, rest, &last, diags, arg);
    if (!map)
        goto out;
    if (!*last) {
        rr_diags_add(diags, 0, 0, "--set %s: the path ends with a dot: name the key to set", arg);
        goto out;
    }
    st = rr_node_map_set(map, last, value) == 0 ? RR_OK : RR_ERR_NOMEM;
    value = NULL;
out:
    rr_node_free(value);
    rr_diags_free(&vd);
    free(path);
    return st;
}

void rr_override_free_values(char **values, size_t n)
{
    for (size_t i = 0; values && i < n; i++)
        free(values[i]);
    free(values);
}

rr_status rr_override_split_sweep(const char *arg, char **path, char ***values, size_t *n,
                                  rr_diags *diags)
{
    *path = NULL;
    *values = NULL;
    *n = 0;
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) {
        rr_diags_add(diags, 0, 0, "--sweep %s: expected PATH=V1,V2,..., e.g. "
                     "costs.review.review_share=0.02,0.05", arg);
        return RR_ERR_USAGE;
    }
    if (!(*path = strndup(arg, (size_t)(eq - arg))))
        return RR_ERR_NOMEM;
    const char *p = eq + 1, *start = p;
    int depth = 0;
    char quote = 0;
    for (;; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            else if (!*p)
                break;
            continue;
        }
        if (*p == '"' || *p == '\'')
            quote = *p;
        else if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']')
            depth--;
        if ((*p == ',' && depth == 0) || !*p) {
            char **v = realloc(*values, (*n + 1) * sizeof *v);
            if (!v)
                return RR_ERR_NOMEM;
            *values = v;
            while (start < p && *start == ' ')
                start++;
            if (!(v[*n] = strndup(start, (size_t)(p - start))))
                return RR_ERR_NOMEM;
            (*n)++;
            start = p + 1;
        }
        if (!*p)
            break;
    }
    for (size_t i = 0; i < *n; i++)
        if (!(*values)[i][0]) {
            rr_diags_add(diags, 0, 0, "--sweep %s: value %zu is empty", arg, i + 1);
            return RR_ERR_USAGE;
        }
    if (*n < 2) {
        rr_diags_add(diags, 0, 0, "--sweep %s: give at least two values", arg);
        return RR_ERR_USAGE;
    }
    return RR_OK;
}
