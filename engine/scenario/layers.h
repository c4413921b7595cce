/* layers: a scenario file that `extends` another, laid over it.
 *
 * `extends: base.yaml` (a path relative to the file) makes the file the base with the file's
 * own keys laid over it:
 *   - mappings are merged key by key, recursively;
 *   - an uncertain value (a distribution mapping with its modifiers, a schedule, a number, a
 *     range, an expression) is replaced whole, as is anything whose kind differs;
 *   - `costs` is merged by component `name`: a component of the same name is merged with its
 *     base (replaced whole when its `type` changes, dropped with `remove: true`), a new one is
 *     appended;
 *   - every other list is replaced.
 * One base per file; a base may extend another (a chain); a cycle is an error.  Each node
 * keeps the place it came from: a base file's lines are held as RR_POS_STRIDE * i + line
 * (diag.h), the i-th file of the chain named in diags->layers, so that errors, warnings and
 * reports name the file a value was written in.
 */
#ifndef RR_LAYERS_H
#define RR_LAYERS_H

#include "scenario/diag.h"
#include "scenario/node.h"

/* The most files in a chain of `extends`. */
#define RR_MAX_LAYERS 16

/* Load path and the files it extends, merged.  As rr_node_load_file (diags->file is path),
 * plus the errors of the merge, each in the file it is about. */
rr_status rr_layers_load(const char *path, rr_node **out, rr_diags *diags);

#endif
