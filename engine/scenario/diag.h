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

/* Positions in a layered scenario (`extends:`): the lines of the i-th file of its chain
 * (0: the file named, 1: the file it extends, ...) are held as RR_POS_STRIDE * i + line, so
 * that a node, an input or a diagnostic keeps the file it came from in its line.  Files are
 * at most 10 MiB: their lines stay below the stride. */
#define RR_POS_STRIDE (1 << 24)
static inline int rr_pos_line(int line)
{
    return line > 0 ? line % RR_POS_STRIDE : line;
}
static inline size_t rr_pos_file(int line)
{
    return line > 0 ? (size_t)(line / RR_POS_STRIDE) : 0;
}

/* One message.  line and col are 1-based; 0 means "no position" (the whole file). */
typedef struct rr_diag {
    int line;
    int col;
    char *msg;          /* owned */
} rr_diag;

typedef struct rr_diags {
    char *file;         /* the file the positions refer to (owned), may be NULL */
    char **layers;      /* the files it extends: layers[i - 1] is file i of the chain; owned */
    size_t nlayers;
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
/* Add `file` to the chain of files: its index (1, 2, ...), or -1 when out of memory. */
int rr_diags_add_layer(rr_diags *d, const char *file);
/* The file a position's line is of (rr_pos_file), NULL when unknown. */
const char *rr_diags_file(const rr_diags *d, int line);

/* Levenshtein-closest of `cands` (NULL-terminated) to `word`, or NULL when nothing is close
 * enough to be a plausible typo.  For did-you-mean suggestions. */
const char *rr_suggest(const char *word, const char *const *cands);

#endif
