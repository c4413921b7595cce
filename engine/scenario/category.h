/* category: the cost centres a component's cost is counted under.
 *
 * One table, RR_CATEGORY_TABLE, is the only list of them: the scenario's `category:` names,
 * their did-you-mean suggestions and the "expected one of" messages, the FinOps FOCUS
 * ServiceCategory of the CSV report, the HTML colours and the docs' table (checked by
 * tests/test_scenario.c) all read it.  Reports get a category through the summary, as a
 * pointer to its row.
 *
 * FOCUS ServiceCategory values are spelt exactly as the FOCUS specification (v1.2) lists
 * them, since cost tools match the strings.  mlops is tracing, logging and monitoring here,
 * hence Management and Governance / Observability rather than AI and Machine Learning.
 */
#ifndef RR_CATEGORY_H
#define RR_CATEGORY_H

/* X(ID, name, FOCUS ServiceCategory, FOCUS ServiceSubcategory, HTML colour, what it holds) */
#define RR_CATEGORY_TABLE(X)                                                                   \
    X(RR_CAT_COMPUTE, "compute", "Compute", "", "#4e79a7",                                     \
      "GPU/CPU compute for inference and training")                                            \
    X(RR_CAT_MANAGED_AI, "managed_ai", "AI and Machine Learning", "Generative AI", "#f28e2b",  \
      "model APIs and managed AI services")                                                    \
    X(RR_CAT_MLOPS, "mlops", "Management and Governance", "Observability", "#59a14f",          \
      "MLOps tooling: logging, monitoring, alerting, tracing, evaluation")                     \
    X(RR_CAT_STORAGE, "storage", "Storage", "", "#b07aa1", "storage and data transfer")        \
    X(RR_CAT_OVERSIGHT, "oversight", "Other", "", "#e15759", "human oversight and support")

typedef enum rr_category {
#define RR_X(id, name, focus, sub, colour, text) id,
    RR_CATEGORY_TABLE(RR_X)
#undef RR_X
    RR_NCAT
} rr_category;

typedef struct rr_category_info {
    rr_category id;
    const char *name;          /* as written in a scenario: "managed_ai" */
    const char *focus;         /* FOCUS ServiceCategory: "AI and Machine Learning" */
    const char *focus_sub;     /* FOCUS ServiceSubcategory, or "" */
    const char *colour;        /* the HTML report's colour, "#rrggbb" */
    const char *text;          /* what it holds, for the docs and messages */
} rr_category_info;

/* The row of category c (c < RR_NCAT). */
const rr_category_info *rr_category_get(rr_category c);
/* The category of a name, or -1. */
int rr_category_find(const char *name);
/* Every name, NULL-terminated, for did-you-mean suggestions. */
extern const char *const rr_category_names[RR_NCAT + 1];
/* "compute, managed_ai, mlops, storage, oversight", for messages. */
extern const char *const rr_category_list;

#endif
