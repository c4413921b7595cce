#include "scenario/actuals_map.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/check.h"
#include "scenario/keys.h"

int rr_actuals_pattern_match(const char *pattern, const char *value)
{
    if (!strpbrk(pattern, "*?["))
        return strcmp(pattern, value) == 0;
    return fnmatch(pattern, value, 0) == 0;
}

static char *dup_or_null(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* One entry of `match`: 0, or -1 with a message. */
static int parse_match(const rr_node *k, const rr_node *v, rr_actuals_match *m, rr_diags *d)
{
    if (v->kind != RR_NODE_SCALAR || !v->str[0]) {
        rr_diags_add(d, v->line, v->col, "actuals.map: match.%s: expected a value or a glob "
                     "pattern (a string), got %s", k->str, rr_check_text(v));
        return -1;
    }
    const char *col = k->str;
    m->tag = strncmp(col, "Tags.", 5) == 0;
    if (m->tag)
        col += 5;
    if (!col[0]) {
        rr_diags_add(d, k->line, k->col, "actuals.map: match: 'Tags.' needs a tag's key "
                     "(Tags.application)");
        return -1;
    }
    m->column = dup_or_null(col);
    m->pattern = dup_or_null(v->str);
    if (!m->column || !m->pattern) {
        rr_diags_add(d, k->line, k->col, "out of memory");
        return -1;
    }
    return 0;
}

const char *const rr_actuals_map_rule_keys[] = { "match", "component", "category", NULL };
static const char *const *const rule_keys = rr_actuals_map_rule_keys;

static int parse_rule(const rr_node *n, const char *const *comp_names,
                      const rr_category *comp_cat, size_t ncomp, rr_actuals_rule *r,
                      rr_diags *d)
{
    r->line = n->line;
    r->col = n->col;
    r->component = -1;
    if (rr_check_map(d, n, "actuals.map entry") || rr_check_keys(d, n, "actuals.map entry",
                                                                 rule_keys))
        return -1;
    int bad = 0;
    const rr_node *match = rr_node_get(n, "match");
    if (!match) {
        rr_diags_add(d, n->line, n->col, "actuals.map entry: missing required key 'match' "
                     "(the columns or tags a bill line must have: {ServiceName: \"Amazon "
                     "Bedrock\"})");
        bad = 1;
    } else if (rr_check_map(d, match, "actuals.map: match")) {
        bad = 1;
    } else if (match->n == 0) {
        rr_diags_add(d, match->line, match->col, "actuals.map: match: expected at least one "
                     "column or tag");
        bad = 1;
    } else if (match->n / 2 > RR_MAX_ACTUALS_MATCH) {
        rr_diags_add(d, match->line, match->col, "actuals.map: match: at most %d entries",
                     RR_MAX_ACTUALS_MATCH);
        bad = 1;
    } else {
        for (size_t i = 0; i + 1 < match->n; i += 2)
            if (parse_match(match->items[i], match->items[i + 1], &r->match[r->nmatch++], d))
                bad = 1;
    }
    const rr_node *comp = rr_node_get(n, "component"), *cat = rr_node_get(n, "category");
    if (!comp == !cat) {
        rr_diags_add(d, n->line, n->col, "actuals.map entry: expected exactly one of "
                     "'component' (a name in costs) or 'category' (one of compute, managed_ai, "
                     "mlops, storage, oversight)");
        return -1;
    }
    if (comp) {
        size_t k = 0;
        while (k < ncomp && (comp->kind != RR_NODE_SCALAR || strcmp(comp_names[k], comp->str) != 0))
            k++;
        if (k == ncomp) {
            const char *s = comp->kind == RR_NODE_SCALAR ? rr_suggest(comp->str, comp_names) : NULL;
            rr_diags_add(d, comp->line, comp->col, "actuals.map: component: '%s' is not a "
                         "component of costs%s%s%s", rr_check_text(comp), s ? " (did you mean '" : "",
                         s ? s : "", s ? "'?)" : "");
            return -1;
        }
        r->component = (long)k;
        r->category = comp_cat[k];
    } else {
        int c = cat->kind == RR_NODE_SCALAR ? rr_category_find(cat->str) : -1;
        if (c < 0) {
            rr_diags_add(d, cat->line, cat->col, "actuals.map: category: expected one of "
                         "compute, managed_ai, mlops, storage, oversight, got '%s'",
                         rr_check_text(cat));
            return -1;
        }
        r->category = (rr_category)c;
    }
    return bad ? -1 : 0;
}

const char *const rr_actuals_map_keys[] = { "map", NULL };
static const char *const *const actuals_keys = rr_actuals_map_keys;

int rr_actuals_map_parse(const rr_node *n, const char *const *comp_names,
                         const rr_category *comp_cat, size_t ncomp, rr_actuals_map *out,
                         rr_diags *d)
{
    memset(out, 0, sizeof *out);
    if (rr_check_map(d, n, "actuals") || rr_check_keys(d, n, "actuals", actuals_keys))
        return -1;
    const rr_node *map = rr_node_get(n, "map");
    if (!map)
        return 0;
    if (map->kind != RR_NODE_SEQ) {
        rr_diags_add(d, map->line, map->col, "actuals.map: expected a list of rules "
                     "(- {match: {ServiceName: ...}, component: NAME}), got %s",
                     rr_node_kind_name(map));
        return -1;
    }
    if (map->n > RR_MAX_ACTUALS_RULES) {
        rr_diags_add(d, map->line, map->col, "actuals.map: at most %d rules",
                     RR_MAX_ACTUALS_RULES);
        return -1;
    }
    out->rule = calloc(map->n + 1, sizeof *out->rule);
    if (!out->rule) {
        rr_diags_add(d, map->line, map->col, "out of memory");
        return -1;
    }
    int bad = 0;
    for (size_t i = 0; i < map->n; i++) {
        out->n++;
        if (parse_rule(map->items[i], comp_names, comp_cat, ncomp, &out->rule[i], d))
            bad = 1;
    }
    return bad ? -1 : 0;
}

void rr_actuals_map_free(rr_actuals_map *m)
{
    for (size_t i = 0; i < m->n; i++)
        for (size_t j = 0; j < m->rule[i].nmatch; j++) {
            free(m->rule[i].match[j].column);
            free(m->rule[i].match[j].pattern);
        }
    free(m->rule);
    memset(m, 0, sizeof *m);
}
