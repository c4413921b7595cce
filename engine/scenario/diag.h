/* diag: status codes and the diagnostics a failing operation leaves for its caller.
 *
 * Every function below main that can fail returns an rr_status and, where the failure is
 * about user input, appends rr_diag records (a position in a file and a message) to a
 * caller-owned rr_diags.  Nothing below main prints or exits: main decides what to show and
 * which exit status follows.  The status codes and their texts come from one table.
 *
 * Thread safety: an rr_diags is owned by one thread at a time.
 */
#ifndef RR_DIAG_H
#define RR_DIAG_H

#include <stddef.h>

#define RR_STATUS_TABLE(X)                                   \
    X(RR_OK, "ok")                                           \
    X(RR_ERR_USAGE, "bad usage")                             \
    X(RR_ERR_SCENARIO, "bad scenario")                       \
    X(RR_ERR_IO, "input/output error")                       \
    X(RR_ERR_NOMEM, "out of memory")                         \
    X(RR_ERR_NUMERIC, "numerical fault")                     \
    X(RR_ERR_INTERNAL, "internal error")                     \
    X(RR_ERR_INTERRUPTED, "interrupted")

typedef enum rr_status {
#define RR_X(name, text) name,
    RR_STATUS_TABLE(RR_X)
#undef RR_X
} rr_status;

const char *rr_status_text(rr_status s);

/* One message.  line and col are 1-based; 0 means "no position" (the whole file). */
typedef struct rr_diag {
    int line;
    int col;
    char *msg;          /* owned */
} rr_diag;

typedef struct rr_diags {
    char *file;         /* the file the positions refer to (owned), may be NULL */
    rr_diag *v;
    size_t n, cap;
    int lost;           /* messages dropped because memory ran out or the cap was hit */
} rr_diags;

#define RR_DIAGS_MAX 200   /* a file this broken is not worth a longer list */

void rr_diags_init(rr_diags *d, const char *file);
void rr_diags_free(rr_diags *d);
/* Append a printf-style message at (line, col).  Never fails: on exhaustion, counts `lost`. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
void rr_diags_add(rr_diags *d, int line, int col, const char *fmt, ...);
/* Sort by position (stable), so a file's errors read top to bottom. */
void rr_diags_sort(rr_diags *d);

/* Levenshtein-closest of `cands` (NULL-terminated) to `word`, or NULL when nothing is close
 * enough to be a plausible typo.  For did-you-mean suggestions. */
const char *rr_suggest(const char *word, const char *const *cands);

#endif
