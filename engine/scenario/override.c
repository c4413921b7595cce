/* override: --set and --sweep on the scenario tree. */
#include "scenario/override.h"

#include <stdio.h>
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

/* Set map[key] = value, the key placed where the value is (a new key would have no place). */
static int set_key(rr_node *map, const char *key, rr_node *value)
{
    int line = value->line, col = value->col;
    if (rr_node_map_set(map, key, value) != 0)
        return -1;
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (map->items[i + 1] == value)
            rr_node_set_position(map->items[i], line, col);
    return 0;
}

/* The mapping that holds `key` at `path`, creating intermediate mappings as needed. */
static rr_node *walk(rr_node *map, char *path, char **last, rr_diags *diags, const char *arg,
                     int at)
{
    char *dot;
    while ((dot = strchr(path, '.'))) {
        *dot = '\0';
        if (map->kind != RR_NODE_MAP) {
            rr_diags_add(diags, RR_OVERRIDE_LINE, at, "'%s' is not inside a mapping", path);
            return NULL;
        }
        rr_node *next = (rr_node *)rr_node_get(map, path);
        if (!next) {
            if (!(next = rr_node_new_map())) {
                rr_diags_add(diags, 0, 0, "out of memory");
                return NULL;
            }
            rr_node_set_position(next, RR_OVERRIDE_LINE, at);
            if (set_key(map, path, next) != 0) {
                rr_diags_add(diags, 0, 0, "out of memory");
                return NULL;
            }
        }
        map = next;
        path = dot + 1;
    }
    if (map->kind != RR_NODE_MAP) {
        rr_diags_add(diags, RR_OVERRIDE_LINE, at, "the value's parent is not a mapping (%s)",
                     arg);
        return NULL;
    }
    *last = path;
    return map;
}

/* "no component 'answer_model' in costs (did you mean 'costs.answer-model.input_tokens'?)" */
static void no_component(const rr_node *costs, const char *rest, rr_diags *diags, int at)
{
    const char *names[65];
    size_t n = 0;
    for (size_t i = 0; costs && costs->kind == RR_NODE_SEQ && i < costs->n && n < 64; i++) {
        const rr_node *name = rr_node_get(costs->items[i], "name");
        if (name && name->kind == RR_NODE_SCALAR)
            names[n++] = name->str;
    }
    names[n] = NULL;
    const char *dot = strchr(rest, '.');
    char want[128];
    snprintf(want, sizeof want, "%.*s", dot ? (int)(dot - rest) : (int)strlen(rest), rest);
    const char *hint = rr_suggest(want, names);
    if (hint)
        rr_diags_add(diags, RR_OVERRIDE_LINE, at,
                     "no component '%s' in costs (did you mean 'costs.%s%s'?)", want, hint,
                     dot ? dot : "");
    else if (n)
        rr_diags_add(diags, RR_OVERRIDE_LINE, at,
                     "no component '%s' in costs (the components: %s%s%s%s%s)", want, names[0],
                     n > 1 ? ", " : "", n > 1 ? names[1] : "", n > 2 ? ", " : "",
                     n > 2 ? (n > 3 ? "..." : names[2]) : "");
    else
        rr_diags_add(diags, RR_OVERRIDE_LINE, at, "no component '%s': costs has none", want);
}

rr_status rr_override_apply(rr_node *root, const char *arg, int index, rr_diags *diags)
{
    const int at = index + 1;
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) {
        rr_diags_add(diags, RR_OVERRIDE_LINE, at, "expected PATH=VALUE, e.g. "
                     "costs.chat-model.price_per_million.input=1.5");
        return RR_ERR_USAGE;
    }
    if (root->kind != RR_NODE_MAP) {
        rr_diags_add(diags, RR_OVERRIDE_LINE, at, "the scenario is not a mapping");
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
        rr_diags_add(diags, RR_OVERRIDE_LINE, at, "the value is not valid YAML: %s",
                     vd.n ? vd.v[0].msg : "empty");
        goto out;
    }
    /* Errors in the value are the --set's: they are placed there, not in the file. */
    rr_node_set_position(value, RR_OVERRIDE_LINE, at);

    rr_node *map = root;
    char *rest = path, *last = NULL;
    if (strncmp(path, "costs.", 6) == 0) {
        size_t used;
        rr_node *comp = component_by_name((rr_node *)rr_node_get(root, "costs"), path + 6, &used);
        if (!comp || path[6 + used] != '.') {
            no_component(rr_node_get(root, "costs"), path + 6, diags, at);
            goto out;
        }
        map = comp;
        rest = path + 6 + used + 1;
    }
    map = walk(map, rest, &last, diags, arg, at);
    if (!map)
        goto out;
    if (!*last) {
        rr_diags_add(diags, RR_OVERRIDE_LINE, at, "the path ends with a dot: name the key to set");
        goto out;
    }
    st = set_key(map, last, value) == 0 ? RR_OK : RR_ERR_NOMEM;
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
