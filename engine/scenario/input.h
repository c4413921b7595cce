/* input: an uncertain value of a scenario, with its place in the file and its random stream.
 *
 * Wherever a scenario accepts a number it accepts a distribution too.  An input knows its
 * "input path" (e.g. "costs.chat-model.input_tokens"), whose hash names the random stream it
 * draws from (engine/sample/draw.h), so its draws depend only on (seed, input path, simulated
 * path, month or event) and not on anything else in the file.  A path-level input (vary:
 * path) is drawn once per path, a monthly one (vary: monthly) each month.
 *
 * Domains say what a value may be: a constant outside its domain is a scenario error; a
 * distribution's samples are clamped into it (after the user's own `clamp`).
 *
 * Thread safety: parsed inputs are read-only.
 */
#ifndef RR_INPUT_H
#define RR_INPUT_H

#include <stdint.h>

#include "scenario/diag.h"
#include "sample/dist.h"
#include "scenario/expr.h"
#include "scenario/node.h"

/* The largest magnitude a scenario number may have: beyond it a value is a typo, and
 * products of such values overflow. */
#define RR_VALUE_MAX 1e15

typedef enum rr_domain {
    RR_DOMAIN_NONNEG,   /* counts, volumes, prices, hours: >= 0 */
    RR_DOMAIN_UNIT,     /* shares and probabilities: [0, 1] */
    RR_DOMAIN_GROWTH,   /* growth rates: >= -1 */
    RR_DOMAIN_DAYS,     /* spike days: [0, 30] */
    RR_DOMAIN_REAL
} rr_domain;

typedef enum rr_vary { RR_VARY_PATH, RR_VARY_MONTHLY } rr_vary;

#define RR_IN_REQUIRED 1u   /* the key must be present */
#define RR_IN_POSITIVE 2u   /* a constant must be > 0 (prices, sizes) */
#define RR_IN_PLAIN    4u   /* a plain number only, never a distribution */
#define RR_IN_INTEGER  8u   /* a plain whole number */

struct rr_schedule;

/* What an input is: a constant or a distribution (dist), an expression over variables and
 * built-ins (expr, not drawn: computed), or a schedule of values by month. */
typedef struct rr_input {
    rr_dist dist;
    rr_vary vary;
    uint64_t stream;    /* rr_rng_stream_id(path) */
    char *path;         /* owned; "demand.requests_per_month" */
    int given;          /* present in the file (else a default) */
    int line, col;      /* where it was given */
    rr_domain domain;   /* what its field accepts (set by rr_input_parse) */
    unsigned flags;     /* ... and its RR_IN_* rules */
    rr_expr *expr;      /* an expression (names resolved by the scenario), or NULL; owned */
    char *text;         /* the expression as written, for reports; owned, or NULL */
    int text_line, text_col;   /* where its first character is (columns count from there) */
    struct rr_schedule *schedule;   /* a schedule, or NULL; owned */
} rr_input;

/* A schedule: a step function over months, entry i from its month on. */
typedef struct rr_schedule_entry {
    char *key;          /* as written: "2027-07" or "7"; owned */
    int line, col;      /* the key's place */
    int month;          /* the month it starts (0-based), set by the scenario */
    rr_input value;     /* any value; its path is the input's + ".schedule." + key */
} rr_schedule_entry;

typedef struct rr_schedule {
    size_t n;
    rr_schedule_entry *e;   /* in the file's order (the scenario checks it is increasing) */
} rr_schedule;

/* Parse `node` as an uncertain value at `path`.  Returns 0, or -1 after adding diagnostics
 * (the input is then a constant 0).  The input must be zero-initialised or freed before. */
int rr_input_parse(rr_input *in, const rr_node *node, const char *path, rr_domain domain,
                   unsigned flags, rr_diags *diags);
/* Make `in` the default constant v for an absent key (v may be +inf: "unbounded").
 * Returns 0, or -1 when out of memory. */
int rr_input_default(rr_input *in, const char *path, double v);
void rr_input_free(rr_input *in);

/* Parse a scalar as a finite number.  Returns NULL or a message for the caller to report. */
const char *rr_parse_number(const rr_node *n, double *out);

/* For a text that is not a number but reads as one a person meant: the number to write, as
 * " (write 0.02)" into fix (size bytes), for "2%", "$2.50", "2.50 USD", "60k", "1.5M", "2bn",
 * "60,000"; "" when it reads as nothing of the kind.  Returns fix. */
const char *rr_number_hint(const char *text, char *fix, size_t size);

/* Whether mapping n is an uncertain value (a distribution, with its modifiers, or a
 * schedule) rather than a block of keys. */
int rr_input_is_value_map(const rr_node *n);

/* A column of an expression's text, for messages: its first character's plus at. */
static inline int rr_input_text_col(const rr_input *in, size_t at)
{
    return in->text_col + (int)at;
}

/* Check a constant v of an input against domain and flags (the rules of a written one):
 * 0, or -1 after a diagnostic at (line, col). */
int rr_input_check_constant(double v, const char *path, rr_domain domain, unsigned flags,
                            int line, int col, rr_diags *diags);
/* The bounds of a domain: drawn and computed values are held within them. */
void rr_domain_bounds(rr_domain dom, double *lo, double *hi);

static inline int rr_input_is_const(const rr_input *in)
{
    return in->dist.kind == RR_DIST_CONST && !in->expr && !in->schedule;
}

#endif
