/* actuals_map: the scenario's `actuals:` block, the rules that send a bill's lines to the
 * scenario's components or categories (runrate track; docs/track.md).
 *
 *   actuals:
 *     map:
 *       - {match: {ServiceName: "Amazon Bedrock"}, component: chat-model}
 *       - {match: {"Tags.application": "support-agent*"}, category: oversight}
 *
 * A rule matches a line when every one of its `match` entries does: a column of the bill
 * (any FOCUS column, by its exact name) or a tag (`Tags.KEY`) whose value matches the
 * pattern, exactly or as a glob (fnmatch: `*`, `?`, `[...]`).  The first matching rule wins.
 */
#ifndef RR_ACTUALS_MAP_H
#define RR_ACTUALS_MAP_H

#include <stddef.h>

#include "scenario/category.h"
#include "scenario/diag.h"
#include "scenario/node.h"

#define RR_MAX_ACTUALS_RULES 256
#define RR_MAX_ACTUALS_MATCH 8

typedef struct rr_actuals_match {
    char *column;            /* owned: a column name, or the tag's key when tag is 1 */
    int tag;                 /* written Tags.KEY */
    char *pattern;           /* owned */
} rr_actuals_match;

typedef struct rr_actuals_rule {
    rr_actuals_match match[RR_MAX_ACTUALS_MATCH];
    size_t nmatch;
    long component;          /* the component's index, or -1 for a category */
    rr_category category;    /* the target category (a component's own when component >= 0) */
    int line, col;           /* the rule's place */
} rr_actuals_rule;

typedef struct rr_actuals_map {
    rr_actuals_rule *rule;   /* owned, in file order */
    size_t n;
} rr_actuals_map;

/* Parse the `actuals` node against the components' names (ncomp of them) and categories.
 * 0, or -1 with located messages in d. */
int rr_actuals_map_parse(const rr_node *n, const char *const *comp_names,
                         const rr_category *comp_cat, size_t ncomp, rr_actuals_map *out,
                         rr_diags *d);
void rr_actuals_map_free(rr_actuals_map *m);

/* Whether a pattern matches a value (exact, or a glob when it has *, ? or [). */
int rr_actuals_pattern_match(const char *pattern, const char *value);

#endif
