/* keys: the tables of keys the scenario's sections accept, for readers other than their
 * parsers (the JSON Schema of schema.c).  Each table lives in the module that parses its
 * section and is NULL-terminated; these declarations only make them visible.
 */
#ifndef RR_KEYS_H
#define RR_KEYS_H

/* scenario.c: the top level (without `extends`, which layers.c lays out before), the
 * `simulation` and `budget` blocks, an entry of `correlations`, and the keys every
 * component has beside its type's fields. */
extern const char *const rr_scenario_top_keys[];
extern const char *const rr_scenario_simulation_keys[];
extern const char *const rr_scenario_budget_keys[];
extern const char *const rr_scenario_correlation_keys[];
extern const char *const rr_scenario_component_keys[];

/* actuals_map.c: the `actuals` block and one rule of its `map`. */
extern const char *const rr_actuals_map_keys[];
extern const char *const rr_actuals_map_rule_keys[];

/* input.c: the keys of a distribution mapping (the distributions, then `vary` and
 * `clamp`), and each distribution's forms: its parameters, in the order they are read.  A
 * distribution with several forms (lognormal) has a row for each; `discrete` takes lists
 * (`values`, and optionally as many `weights`).  Ended by a row whose dist is NULL. */
extern const char *const rr_input_dist_keys[];

typedef struct rr_dist_form {
    const char *dist;
    const char *params[4];   /* NULL-terminated */
} rr_dist_form;

extern const rr_dist_form rr_input_dist_forms[];

#endif
