/* layers: loading a chain of `extends` and laying each file over its base. */
/* realpath(3), to know a file met again whatever path named it. */
#define _XOPEN_SOURCE 700
#include "scenario/layers.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/input.h"

typedef struct chain {
    rr_diags *d;
    char *real[RR_MAX_LAYERS];       /* the files loaded so far, resolved: for cycles */
    char *shown[RR_MAX_LAYERS];      /* ... as named */
    size_t n;
    int bad;                         /* an error or out of memory */
} chain;

static void shift_lines(rr_node *n, int by)
{
    if (n->line > 0)
        n->line += by;
    for (size_t i = 0; i < n->n; i++)
        shift_lines(n->items[i], by);
}

/* The index of `key` in mapping m's items, or -1. */
static long find_key(const rr_node *m, const char *key)
{
    for (size_t i = 0; i + 1 < m->n; i += 2)
        if (m->items[i]->str && strcmp(m->items[i]->str, key) == 0)
            return (long)i;
    return -1;
}

/* A mapping of keys, to be merged key by key (not an uncertain value, replaced whole). */
static int is_block(const rr_node *n)
{
    return n->kind == RR_NODE_MAP && !rr_input_is_value_map(n);
}

/* Free n's own array and n, its children having been moved. */
static void free_shell(rr_node *n)
{
    free(n->items);
    free(n->str);
    free(n);
}

static rr_node *merge_map(chain *c, rr_node *base, rr_node *over, int top);

static const char *scalar(const rr_node *n)
{
    return n && n->kind == RR_NODE_SCALAR ? n->str : NULL;
}

/* costs: merged by component name.  Consumes both lists. */
static rr_node *merge_costs(chain *c, rr_node *base, rr_node *over)
{
    for (size_t i = 0; i < over->n; i++) {
        rr_node *o = over->items[i];
        over->items[i] = NULL;
        const char *name = o->kind == RR_NODE_MAP ? scalar(rr_node_get(o, "name")) : NULL;
        const rr_node *remove = o->kind == RR_NODE_MAP ? rr_node_get(o, "remove") : NULL;
        long j = -1;
        for (size_t b = 0; name && b < base->n && j < 0; b++)
            if (base->items[b]->kind == RR_NODE_MAP) {
                const char *bn = scalar(rr_node_get(base->items[b], "name"));
                if (bn && strcmp(bn, name) == 0)
                    j = (long)b;
            }
        if (remove) {
            if (!scalar(remove) || strcmp(remove->str, "true") != 0) {
                rr_diags_add(c->d, remove->line, remove->col, "costs.%s.remove: expected true "
                             "(to drop the base's component of this name), got %s%s%s",
                             name ? name : "?", scalar(remove) ? "'" : "",
                             scalar(remove) ? remove->str : rr_node_kind_name(remove),
                             scalar(remove) ? "'" : "");
                c->bad = 1;
            } else if (j < 0) {
                rr_diags_add(c->d, o->line, o->col, "costs: remove: no component '%s' in the "
                             "file this one extends", name ? name : "(without a name)");
                c->bad = 1;
            } else {
                rr_node_free(base->items[j]);
                memmove(base->items + j, base->items + j + 1,
                        (base->n - (size_t)j - 1) * sizeof *base->items);
                base->n--;
            }
            rr_node_free(o);
            continue;
        }
        if (j < 0) {
            if (rr_node_push(base, o) != 0)
                c->bad = 1;
            continue;
        }
        const char *bt = scalar(rr_node_get(base->items[j], "type"));
        const char *ot = scalar(rr_node_get(o, "type"));
        if (bt && ot && strcmp(bt, ot) != 0) {
            /* Another type: another component, whole. */
            rr_node_free(base->items[j]);
            base->items[j] = o;
        } else {
            base->items[j] = merge_map(c, base->items[j], o, 0);
        }
    }
    free_shell(over);
    return base;
}

static rr_node *merge_value(chain *c, rr_node *base, rr_node *over, const char *key, int top)
{
    if (top && strcmp(key, "costs") == 0 && base->kind == RR_NODE_SEQ &&
        over->kind == RR_NODE_SEQ)
        return merge_costs(c, base, over);
    if (is_block(base) && is_block(over))
        return merge_map(c, base, over, 0);
    rr_node_free(base);
    return over;
}

/* Mapping over laid on mapping base, key by key.  Consumes both. */
static rr_node *merge_map(chain *c, rr_node *base, rr_node *over, int top)
{
    for (size_t i = 0; i + 1 < over->n; i += 2) {
        rr_node *k = over->items[i], *v = over->items[i + 1];
        long j = k->str ? find_key(base, k->str) : -1;
        if (j >= 0) {
            base->items[j + 1] = merge_value(c, base->items[j + 1], v, k->str, top);
            rr_node_free(k);
        } else if (rr_node_push(base, k) != 0 || rr_node_push(base, v) != 0) {
            c->bad = 1;
        }
    }
    free_shell(over);
    return base;
}

/* The path of `name` as written in a file at `from`: relative to that file's folder. */
static char *relative_to(const char *from, const char *name)
{
    const char *slash = strrchr(from, '/');
    size_t dir = name[0] == '/' || !slash ? 0 : (size_t)(slash - from) + 1;
    const size_t len = strlen(name);
    char *p = malloc(dir + len + 1);
    if (p) {
        memcpy(p, from, dir);
        memcpy(p + dir, name, len + 1);
    }
    return p;
}

/* Copy a base file's own diagnostics (its YAML) into the chain's, in that file (index i);
 * those without a position go to `at`, the `extends` that named it. */
static void take_diags(chain *c, const rr_diags *from, size_t i, const rr_node *at)
{
    for (size_t k = 0; k < from->n; k++) {
        const rr_diag *x = &from->v[k];
        if (x->line > 0)
            rr_diags_add(c->d, x->line + (int)i * RR_POS_STRIDE, x->col, "%s", x->msg);
        else
            rr_diags_add(c->d, at->line, at->col, "extends: %s: %s", from->file, x->msg);
    }
}

static rr_status load_layer(chain *c, const char *path, size_t index, const rr_node *at,
                            rr_node **out);

/* root's `extends`, if any: its base loaded (file index + 1) and root laid over it. */
static rr_status extend(chain *c, const char *path, size_t index, rr_node **root)
{
    long e = *root && (*root)->kind == RR_NODE_MAP ? find_key(*root, "extends") : -1;
    if (e < 0)
        return RR_OK;
    const rr_node *ext = (*root)->items[e + 1];
    if (!scalar(ext) || !ext->str[0]) {
        rr_diags_add(c->d, ext->line, ext->col, "extends: expected the path of the file this "
                     "one is laid over, e.g. extends: base.yaml, got %s",
                     rr_node_kind_name(ext));
        return RR_ERR_SCENARIO;
    }
    if (index + 1 >= RR_MAX_LAYERS) {
        rr_diags_add(c->d, ext->line, ext->col, "extends: at most %d files in a chain",
                     RR_MAX_LAYERS);
        return RR_ERR_SCENARIO;
    }
    char *base_path = relative_to(path, ext->str);
    if (!base_path || rr_diags_add_layer(c->d, base_path) != (int)index + 1) {
        free(base_path);
        return RR_ERR_NOMEM;
    }
    rr_node *base = NULL;
    rr_status st = load_layer(c, base_path, index + 1, ext, &base);
    free(base_path);
    if (st != RR_OK)
        return st;
    /* The file without its `extends`, over the base. */
    rr_node_free((*root)->items[e]);
    rr_node_free((*root)->items[e + 1]);
    memmove((*root)->items + e, (*root)->items + e + 2,
            ((*root)->n - (size_t)e - 2) * sizeof *(*root)->items);
    (*root)->n -= 2;
    if (base->kind != RR_NODE_MAP) {
        rr_node_free(base);
        return RR_OK;   /* validation says what the file is missing */
    }
    *root = merge_map(c, base, *root, 1);
    return c->bad ? RR_ERR_SCENARIO : RR_OK;
}

static rr_status load_layer(chain *c, const char *path, size_t index, const rr_node *at,
                            rr_node **out)
{
    *out = NULL;
    rr_node *root = NULL;
    rr_status st;
    if (index == 0) {
        st = rr_node_load_file(path, &root, c->d);
    } else {
        rr_diags own;
        rr_diags_init(&own, path);
        st = rr_node_load_file(path, &root, &own);
        take_diags(c, &own, index, at);
        rr_diags_free(&own);
        if (root)
            shift_lines(root, (int)index * RR_POS_STRIDE);
    }
    if (st != RR_OK)
        return st;
    /* A file met again: a cycle. */
    char *real = realpath(path, NULL);
    for (size_t i = 0; real && i < c->n; i++)
        if (strcmp(c->real[i], real) == 0) {
            char text[1024] = "";
            for (size_t k = i; k < c->n; k++) {
                size_t len = strlen(text);
                snprintf(text + len, sizeof text - len, "%s -> ", c->shown[k]);
            }
            size_t len = strlen(text);
            snprintf(text + len, sizeof text - len, "%s", path);
            rr_diags_add(c->d, at->line, at->col, "extends: a cycle: %s", text);
            free(real);
            rr_node_free(root);
            return RR_ERR_SCENARIO;
        }
    if (!real || !(c->shown[c->n] = strdup(path))) {
        free(real);
        rr_node_free(root);
        return RR_ERR_NOMEM;
    }
    c->real[c->n++] = real;
    st = extend(c, path, index, &root);
    if (st != RR_OK) {
        rr_node_free(root);
        return st;
    }
    *out = root;
    return RR_OK;
}

rr_status rr_layers_load(const char *path, rr_node **out, rr_diags *diags)
{
    chain c = { .d = diags };
    static const rr_node nowhere = { .kind = RR_NODE_SCALAR };
    rr_status st = load_layer(&c, path, 0, &nowhere, out);
    for (size_t i = 0; i < c.n; i++) {
        free(c.real[i]);
        free(c.shown[i]);
    }
    return st;
}
