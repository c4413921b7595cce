/* schema: the JSON Schema (draft 2020-12) of the scenario format, generated from the tables
 * the validation reads: the component types of models/registry.c with their fields, the
 * demand's fields, the key tables of keys.h, the categories and the limits of scenario.h.
 *
 * It says what an editor can check as one types: the keys of every section and component
 * type, the kinds of their values, required keys, enums and simple bounds.  What needs the
 * whole file (names bound, expressions parsed, cross-field rules, the months of the horizon)
 * stays with `runrate validate`.  A file with `extends` is a layer: nothing is required of
 * it but what it writes.
 *
 * The text is the same, byte for byte, for the same tables (docs/scenario.schema.json is
 * checked against it by tests/schema.sh).
 */
#ifndef RR_SCHEMA_H
#define RR_SCHEMA_H

#include <stddef.h>

#include "scenario/diag.h"

/* The schema, pretty-printed and ending with a newline, into *text (owned by the caller,
 * free()) of *len bytes.  RR_OK; RR_ERR_NOMEM; RR_ERR_INTERNAL when a table holds a field of
 * a shape of its own (RR_FIELD_SPECIAL) that the schema does not know. */
rr_status rr_schema_build(char **text, size_t *len);

#endif
