/* node: libyaml events to a position-keeping tree.
 *
 * The tree is built with an explicit stack of open collections rather than recursion, so a
 * hostile nesting depth is an error message, not a stack overflow.  libyaml's marks are
 * zero-based; everything stored here is one-based.
 */
#include "scenario/node.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

static rr_node *node_new(rr_node_kind kind, const yaml_mark_t *m)
{
    rr_node *n = calloc(1, sizeof *n);
    if (n) {
        n->kind = kind;
        n->line = (int)m->line + 1;
        n->col = (int)m->column + 1;
    }
    return n;
}

void rr_node_free(rr_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++)
        rr_node_free(n->items[i]);
    free(n->items);
    free(n->str);
    free(n);
}

static size_t node_count(const rr_node *n)
{
    size_t c = 1;
    for (size_t i = 0; i < n->n; i++)
        c += node_count(n->items[i]);
    return c;
}

rr_node *rr_node_copy(const rr_node *n)
{
    rr_node *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->kind = n->kind;
    c->line = n->line;
    c->col = n->col;
    c->quoted = n->quoted;
    if (n->str && !(c->str = strdup(n->str)))
        goto fail;
    if (n->n) {
        if (!(c->items = calloc(n->n, sizeof *c->items)))
            goto fail;
        c->cap = n->n;
        for (size_t i = 0; i < n->n; i++) {
            if (!(c->items[i] = rr_node_copy(n->items[i])))
                goto fail;
            c->n = i + 1;
        }
    }
    return c;
fail:
    rr_node_free(c);
    return NULL;
}

static int node_push(rr_node *parent, rr_node *child)
{
    if (parent->n == parent->cap) {
        size_t cap = parent->cap ? 2 * parent->cap : 4;
        rr_node **items = realloc(parent->items, cap * sizeof *items);
        if (!items)
            return -1;
        parent->items = items;
        parent->cap = cap;
    }
    parent->items[parent->n++] = child;
    return 0;
}

int rr_node_push(rr_node *parent, rr_node *child)
{
    if (node_push(parent, child) != 0) {
        rr_node_free(child);
        return -1;
    }
    return 0;
}

rr_node *rr_node_new_scalar(const char *text)
{
    rr_node *n = calloc(1, sizeof *n);
    if (n && !(n->str = strdup(text))) {
        free(n);
        return NULL;
    }
    return n;
}

rr_node *rr_node_new_map(void)
{
    rr_node *n = calloc(1, sizeof *n);
    if (n)
        n->kind = RR_NODE_MAP;
    return n;
}

int rr_node_map_set(rr_node *map, const char *key, rr_node *value)
{
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (map->items[i]->str && strcmp(map->items[i]->str, key) == 0) {
            rr_node_free(map->items[i + 1]);
            map->items[i + 1] = value;
            return 0;
        }
    rr_node *k = rr_node_new_scalar(key);
    if (!k || node_push(map, k) != 0) {
        rr_node_free(k);
        rr_node_free(value);
        return -1;
    }
    if (node_push(map, value) != 0) {
        rr_node_free(value);
        map->n--;
        rr_node_free(k);
        return -1;
    }
    return 0;
}

void rr_node_set_position(rr_node *n, int line, int col)
{
    n->line = line;
    n->col = col;
    for (size_t i = 0; i < n->n; i++)
        rr_node_set_position(n->items[i], line, col);
}

const rr_node *rr_node_get(const rr_node *map, const char *key)
{
    if (!map || map->kind != RR_NODE_MAP)
        return NULL;
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (map->items[i]->str && strcmp(map->items[i]->str, key) == 0)
            return map->items[i + 1];
    return NULL;
}

const char *rr_node_kind_name(const rr_node *n)
{
    switch (n->kind) {
    case RR_NODE_MAP: return "a mapping";
    case RR_NODE_SEQ: return "a sequence";
    case RR_NODE_SCALAR: break;
    }
    return n->str && n->str[0] ? "a string" : "an empty value";
}

typedef struct anchor {
    char *name;
    rr_node *node;   /* borrowed: owned by the tree */
} anchor;

typedef struct loader {
    rr_diags *diags;
    const char *text;        /* the input, for positions of encoding errors */
    size_t len;
    rr_node *stack[RR_NODE_MAX_DEPTH + 1];
    int depth;
    rr_node *root;
    anchor *anchors;
    size_t nanchors;
    size_t nodes;
    int failed;
} loader;

static int remember_anchor(loader *L, const yaml_char_t *name, rr_node *n)
{
    if (!name)
        return 0;
    anchor *a = realloc(L->anchors, (L->nanchors + 1) * sizeof *a);
    if (!a)
        return -1;
    L->anchors = a;
    char *s = strdup((const char *)name);
    if (!s)
        return -1;
    /* A later anchor of the same name shadows an earlier one, as YAML says. */
    a[L->nanchors].name = s;
    a[L->nanchors].node = n;
    L->nanchors++;
    return 0;
}

static rr_node *find_anchor(loader *L, const char *name)
{
    for (size_t i = L->nanchors; i-- > 0;)
        if (strcmp(L->anchors[i].name, name) == 0)
            return L->anchors[i].node;
    return NULL;
}

/* Check for a duplicate key when a mapping's value completes a pair. */
static void check_duplicate(loader *L, const rr_node *map)
{
    if (map->n % 2 != 0)
        return;
    const rr_node *key = map->items[map->n - 2];
    if (key->kind != RR_NODE_SCALAR) {
        rr_diags_add(L->diags, key->line, key->col,
                     "expected a plain key, got %s as a mapping key", rr_node_kind_name(key));
        L->failed = 1;
        return;
    }
    for (size_t i = 0; i + 2 < map->n; i += 2) {
        const rr_node *k = map->items[i];
        if (k->str && strcmp(k->str, key->str) == 0) {
            /* Not fatal: the validator goes on with the first occurrence and reports the
             * rest of the file's problems in the same pass. */
            rr_diags_add(L->diags, key->line, key->col,
                         "duplicate key '%s' (first at line %d)", key->str, k->line);
            return;
        }
    }
}

/* Attach a finished node to the open collection, or make it the root. */
static int attach(loader *L, rr_node *n)
{
    if (L->depth == 0) {
        if (L->root) {   /* one document, one root: the parser stops at a second one */
            rr_node_free(n);
            return -1;
        }
        L->root = n;
        return 0;
    }
    rr_node *parent = L->stack[L->depth - 1];
    if (node_push(parent, n) != 0) {
        rr_node_free(n);
        return -1;
    }
    if (parent->kind == RR_NODE_MAP)
        check_duplicate(L, parent);
    /* parent belongs to the tree under L->root, which the loader frees or returns. */
    return 0; /* NOLINT(clang-analyzer-unix.Malloc) */
}

/* Line i (from 0) of the text, without its indentation and cut to fit; 0 when it is blank
 * or a comment. */
static int line_text(const loader *L, size_t i, char *out, size_t size)
{
    size_t at = 0;
    for (size_t n = 0; n < i && at < L->len; at++)
        n += L->text[at] == '\n';
    while (at < L->len && (L->text[at] == ' ' || L->text[at] == '\t'))
        at++;
    size_t end = at;
    while (end < L->len && L->text[end] != '\n' && L->text[end] != '\r')
        end++;
    if (end == at || L->text[at] == '#')
        return 0;
    size_t n = end - at < size - 1 ? end - at : size - 4;
    memcpy(out, L->text + at, n);
    if (n < end - at)
        memcpy(out + n, "...", 3), n += 3;
    out[n] = '\0';
    return 1;
}

/* What libyaml's message most often means in a scenario file, in words; NULL if nothing
 * more can be said. */
static const char *explain(const loader *L, const char *what, const yaml_mark_t *m)
{
    static const struct {
        const char *problem, *why;
    } table[] = {
        { "mapping values are not allowed",
          "a ':' where no key can start: a value that contains ': ' (quote it), a missing "
          "space after a colon above ('key:value' is one word), or a line indented deeper "
          "than the one above" },
        { "did not find expected key",
          "most often an indentation slip (a line indented unlike the keys beside it) or a "
          "missing space after a colon ('key:value' is one word)" },
        { "did not find expected '-' indicator",
          "a line indented less than the list's items, or an item without its '- '" },
        { "could not find expected ':'",
          "a key without its colon, or a value that runs on into the next line" },
        { "did not find expected ',' or ']'", "a '[' list that is not closed with ']'" },
        { "did not find expected ',' or '}'", "a '{' mapping that is not closed with '}'" },
        { "found unexpected end of stream", "a quote that is not closed" },
    };
    if (strstr(what, "cannot start any token") && m->index < L->len &&
        L->text[m->index] == '\t')
        return "a tab: YAML indents with spaces only";
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (strstr(what, table[i].problem))
            return table[i].why;
    return NULL;
}

static void syntax_error(loader *L, const yaml_parser_t *p)
{
    const yaml_mark_t *m = &p->problem_mark;
    const char *what = p->problem ? p->problem : "malformed YAML";
    if (p->error == YAML_MEMORY_ERROR) {
        rr_diags_add(L->diags, 0, 0, "out of memory while reading YAML");
        return;
    }
    if (p->error == YAML_READER_ERROR) {
        /* The reader (encoding) reports a byte offset, not a mark: count lines ourselves. */
        int line = 1, col = 1;
        for (size_t i = 0; i < p->problem_offset && i < L->len; i++) {
            if (L->text[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)L->text[i] & 0xC0) != 0x80) {
                col++;   /* columns count characters, not UTF-8 continuation bytes */
            }
        }
        rr_diags_add(L->diags, line, col, "invalid text: %s (a scenario file is UTF-8)", what);
        return;
    }
    const char *why = explain(L, what, m);
    char above[128] = "";
    if (why && m->line > 0) {
        char text[72];
        /* The line above, where the slip usually is: the last one with text on it. */
        size_t k = m->line;
        while (k > 0 && !line_text(L, k - 1, text, sizeof text))
            k--;
        if (k > 0)
            snprintf(above, sizeof above, "; line %zu reads '%s'", k, text);
    }
    if (p->context)
        rr_diags_add(L->diags, (int)m->line + 1, (int)m->column + 1,
                     "YAML syntax: %s %s (started at line %d, column %d)%s%s%s", what,
                     p->context, (int)p->context_mark.line + 1,
                     (int)p->context_mark.column + 1, why ? ": " : "", why ? why : "", above);
    else
        rr_diags_add(L->diags, (int)m->line + 1, (int)m->column + 1, "YAML syntax: %s%s%s%s",
                     what, why ? ": " : "", why ? why : "", above);
}

/* Each event's node into the tree.  They return RR_OK, or set L->failed (a diagnostic
 * added) and return RR_ERR_NOMEM when memory ran out, RR_OK otherwise. */
static rr_status on_scalar(loader *L, const yaml_event_t *ev)
{
    rr_node *n = node_new(RR_NODE_SCALAR, &ev->start_mark);
    if (!n || !(n->str = malloc(ev->data.scalar.length + 1))) {
        rr_node_free(n);
        L->failed = 1;
        return RR_ERR_NOMEM;
    }
    memcpy(n->str, ev->data.scalar.value, ev->data.scalar.length);
    n->str[ev->data.scalar.length] = '\0';
    if (strlen(n->str) != ev->data.scalar.length) {
        rr_diags_add(L->diags, n->line, n->col, "a value contains a NUL character");
        rr_node_free(n);
        L->failed = 1;
        return RR_OK;
    }
    n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    L->nodes++;
    if (attach(L, n) != 0 || remember_anchor(L, ev->data.scalar.anchor, n) != 0) {
        L->failed = 1;
        return RR_ERR_NOMEM;
    }
    return RR_OK;
}

static rr_status on_collection(loader *L, const yaml_event_t *ev)
{
    const yaml_mark_t *m = &ev->start_mark;
    int is_map = ev->type == YAML_MAPPING_START_EVENT;
    if (L->depth >= RR_NODE_MAX_DEPTH) {
        rr_diags_add(L->diags, (int)m->line + 1, (int)m->column + 1,
                     "nesting deeper than %d levels", RR_NODE_MAX_DEPTH);
        L->failed = 1;
        return RR_OK;
    }
    rr_node *n = node_new(is_map ? RR_NODE_MAP : RR_NODE_SEQ, m);
    const yaml_char_t *anc = is_map ? ev->data.mapping_start.anchor
                                    : ev->data.sequence_start.anchor;
    /* attach() frees n when it fails; after it, the tree owns n. */
    if (!n || attach(L, n) != 0 || remember_anchor(L, anc, n) != 0) {
        L->failed = 1;
        return RR_ERR_NOMEM;
    }
    L->nodes++;
    L->stack[L->depth++] = n;
    return RR_OK;
}

static rr_status on_alias(loader *L, const yaml_event_t *ev)
{
    const yaml_mark_t *m = &ev->start_mark;
    const char *name = (const char *)ev->data.alias.anchor;
    rr_node *target = find_anchor(L, name);
    if (!target) {
        rr_diags_add(L->diags, (int)m->line + 1, (int)m->column + 1, "unknown alias '*%s'",
                     name);
        L->failed = 1;
        return RR_OK;
    }
    /* An alias to a collection still open would be a cycle. */
    for (int i = 0; i < L->depth; i++)
        if (L->stack[i] == target) {
            rr_diags_add(L->diags, (int)m->line + 1, (int)m->column + 1,
                         "alias '*%s' refers to a value that contains it", name);
            L->failed = 1;
        }
    if (L->failed)
        return RR_OK;
    size_t add = node_count(target);
    if (L->nodes + add > RR_NODE_MAX_NODES) {
        rr_diags_add(L->diags, (int)m->line + 1, (int)m->column + 1,
                     "aliases expand the document beyond %d values; refused",
                     RR_NODE_MAX_NODES);
        L->failed = 1;
        return RR_OK;
    }
    L->nodes += add;
    rr_node *n = rr_node_copy(target);
    if (!n || attach(L, n) != 0) {
        L->failed = 1;
        return RR_ERR_NOMEM;
    }
    /* The copy keeps the anchor's positions; the use site is more useful. */
    n->line = (int)m->line + 1;
    n->col = (int)m->column + 1;
    return RR_OK;
}

static rr_status load(yaml_parser_t *p, const char *text, size_t len, rr_node **out,
                      rr_diags *diags)
{
    loader L;
    memset(&L, 0, sizeof L);
    L.diags = diags;
    L.text = text;
    L.len = len;
    rr_status st = RR_OK;
    int docs = 0, done = 0;

    while (!done && !L.failed) {
        yaml_event_t ev;
        if (!yaml_parser_parse(p, &ev)) {
            syntax_error(&L, p);
            st = p->error == YAML_MEMORY_ERROR ? RR_ERR_NOMEM : RR_ERR_SCENARIO;
            break;
        }
        const yaml_mark_t *m = &ev.start_mark;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                rr_diags_add(diags, (int)m->line + 1, (int)m->column + 1,
                             "a scenario file holds one YAML document, found a second");
                L.failed = 1;
            }
            break;
        case YAML_SCALAR_EVENT:
            st = on_scalar(&L, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            st = on_collection(&L, &ev);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            L.depth--;
            break;
        case YAML_ALIAS_EVENT:
            st = on_alias(&L, &ev);
            break;
        case YAML_NO_EVENT:
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
            break;
        }
        yaml_event_delete(&ev);
    }

    for (size_t i = 0; i < L.nanchors; i++)
        free(L.anchors[i].name);
    free(L.anchors);
    if (L.failed && st == RR_OK)
        st = RR_ERR_SCENARIO;
    if (st == RR_OK && !L.root) {
        rr_diags_add(diags, 1, 1, "the file is empty: expected a scenario mapping "
                                  "(name, horizon_months, demand, costs)");
        st = RR_ERR_SCENARIO;
    }
    if (st != RR_OK) {
        rr_node_free(L.root);
        L.root = NULL;
    }
    *out = L.root;
    return st;
}

rr_status rr_node_load_string(const char *text, size_t len, rr_node **out, rr_diags *diags)
{
    *out = NULL;
    if (len > RR_NODE_MAX_BYTES) {
        rr_diags_add(diags, 0, 0, "the file is larger than the %u MiB limit",
                     RR_NODE_MAX_BYTES >> 20);
        return RR_ERR_SCENARIO;
    }
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return RR_ERR_NOMEM;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    rr_status st = load(&p, text, len, out, diags);
    yaml_parser_delete(&p);
    return st;
}

rr_status rr_node_load_file(const char *path, rr_node **out, rr_diags *diags)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        rr_diags_add(diags, 0, 0, "cannot open: %s", strerror(errno));
        return RR_ERR_IO;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        rr_diags_add(diags, 0, 0, "not a regular file");
        fclose(f);
        return RR_ERR_IO;
    }
    /* Read at most one byte past the limit: enough to know the file is too large. */
    size_t cap = (size_t)sb.st_size < RR_NODE_MAX_BYTES ? (size_t)sb.st_size + 1
                                                        : RR_NODE_MAX_BYTES + 1;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return RR_ERR_NOMEM;
    }
    size_t len = fread(buf, 1, cap, f);
    int err = ferror(f);
    fclose(f);
    if (err) {
        rr_diags_add(diags, 0, 0, "read error");
        free(buf);
        return RR_ERR_IO;
    }
    rr_status st = rr_node_load_string(buf, len, out, diags);
    free(buf);
    return st;
}
