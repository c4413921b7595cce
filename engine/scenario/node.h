/* node: a YAML document as a small tree that keeps every position.
 *
 * libyaml's event parser feeds a tree of scalars, mappings and sequences, each node with the
 * 1-based line and column where it starts, so that validation can point at the exact place
 * of a problem long after parsing.  The loader refuses what a scenario never needs and an
 * attacker could abuse: more than one document, duplicate keys, non-scalar keys, nesting
 * deeper than RR_NODE_MAX_DEPTH, alias expansion beyond RR_NODE_MAX_NODES, files larger than
 * RR_NODE_MAX_BYTES.  Aliases are expanded by copying, so the tree has one owner per node.
 *
 * Thread safety: a tree is immutable after loading and may be read from any thread.
 */
#ifndef RR_NODE_H
#define RR_NODE_H

#include <stddef.h>

#include "scenario/diag.h"

#define RR_NODE_MAX_BYTES (10u * 1024u * 1024u)
#define RR_NODE_MAX_DEPTH 64
#define RR_NODE_MAX_NODES 1000000

typedef enum rr_node_kind { RR_NODE_SCALAR, RR_NODE_MAP, RR_NODE_SEQ } rr_node_kind;

typedef struct rr_node rr_node;
struct rr_node {
    rr_node_kind kind;
    int line, col;      /* 1-based start of the node */
    char *str;          /* scalar text (NUL-terminated, owned); NULL otherwise */
    int quoted;         /* scalar was quoted or a block scalar, not plain */
    rr_node **items;    /* map: key0, value0, key1, value1, ...; seq: the items */
    size_t n;           /* number of items (for a map: 2 x number of pairs) */
    size_t cap;         /* items allocated */
};

/* Load a file.  On failure returns RR_ERR_SCENARIO (bad YAML, with diagnostics) or RR_ERR_IO
 * (unreadable, a directory, too large: also with a diagnostic) and sets *out to NULL.
 * Duplicate keys are reported in `diags` but do not stop loading, so that validation can
 * report the file's other problems too: a caller must treat any diagnostic as a failure. */
rr_status rr_node_load_file(const char *path, rr_node **out, rr_diags *diags);
/* Load from memory; the diagnostics refer to diags->file. */
rr_status rr_node_load_string(const char *text, size_t len, rr_node **out, rr_diags *diags);
void rr_node_free(rr_node *n);          /* accepts NULL */
rr_node *rr_node_copy(const rr_node *n);  /* deep copy, NULL when out of memory */

/* Builders for trees made by hand (command-line overrides).  NULL when out of memory. */
rr_node *rr_node_new_scalar(const char *text);
rr_node *rr_node_new_map(void);
/* Set map[key] = value, replacing an existing value; the map takes `value` (also on failure,
 * when it is freed).  Returns 0, or -1 when out of memory. */
int rr_node_map_set(rr_node *map, const char *key, rr_node *value);
/* Append child to a sequence, or a key or value to a mapping's items; the parent takes it
 * (also on failure, when it is freed).  Returns 0, or -1 when out of memory. */
int rr_node_push(rr_node *parent, rr_node *child);
/* Give n and everything below it the position (line, col). */
void rr_node_set_position(rr_node *n, int line, int col);

/* The value of `key` in a mapping, or NULL. */
const rr_node *rr_node_get(const rr_node *map, const char *key);
/* "a mapping", "a sequence", "a string" or "a number"-like text for error messages. */
const char *rr_node_kind_name(const rr_node *n);

#endif
