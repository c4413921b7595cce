/* bill: cost lines from a FOCUS export or a plain actuals CSV (runrate track; docs/track.md).
 *
 * A file whose header has ChargePeriodStart is a FOCUS export (versions 1.0 to 1.2): its
 * lines' month is the calendar month of ChargePeriodStart in UTC, their cost the cost column
 * (EffectiveCost when the header has it, else BilledCost, or the one asked for), their kind
 * ChargeCategory's.  A file whose header is month,target,cost (in any order) is plain: each
 * row a target's cost in a month.  An empty cell or NULL is a missing value.  Every column of
 * a FOCUS line stays readable by name, and its Tags (a flat JSON object) by key, for the
 * scenario's actuals.map rules.
 */
#ifndef RR_BILL_H
#define RR_BILL_H

#include <stddef.h>

#include "actuals/csv.h"
#include "scenario/diag.h"

typedef enum rr_bill_kind {
    RR_BILL_USAGE,
    RR_BILL_PURCHASE,
    RR_BILL_CREDIT,
    RR_BILL_ADJUSTMENT,
    RR_BILL_TAX,
    RR_BILL_OTHER,                   /* a ChargeCategory outside the four: summed as usage */
    RR_BILL_PLAIN                    /* a month,target,cost row */
} rr_bill_kind;

typedef struct rr_bill_kv {
    char *key, *value;               /* owned */
} rr_bill_kv;

typedef struct rr_bill_line {
    int year, month;                 /* the calendar month (UTC) */
    double cost;
    const char *currency;            /* BillingCurrency (borrowed), or NULL */
    rr_bill_kind kind;
    const char *target;              /* a plain row's target (borrowed), else NULL */
    size_t file;                     /* which file read into the bill, 0-based */
    size_t row;                      /* its row in that file's CSV */
    int line;                        /* its 1-based line there */
    size_t tag0, ntags;              /* its tags: tags[tag0 .. tag0 + ntags - 1] */
} rr_bill_line;

typedef struct rr_bill {
    rr_bill_line *line;
    size_t n, cap;
    rr_csv *files;                   /* each file's cells, owned */
    size_t nfiles;
    rr_bill_kv *tags;
    size_t ntags, tcap;
} rr_bill;

void rr_bill_init(rr_bill *b);
void rr_bill_free(rr_bill *b);

/* Read one file's lines into b.  cost_column NULL: EffectiveCost if present, else BilledCost.
 * RR_OK, RR_ERR_IO, RR_ERR_SCENARIO (messages in d, at line and column) or RR_ERR_NOMEM;
 * on failure b keeps only what it had. */
rr_status rr_bill_read(const char *path, const char *cost_column, rr_bill *b, rr_diags *d);
/* The same, from a buffer (tests). */
rr_status rr_bill_parse(const char *text, size_t len, const char *cost_column, rr_bill *b,
                        rr_diags *d);

/* Line i's value of a column, or NULL when its file has no such column or the value is
 * missing. */
const char *rr_bill_field(const rr_bill *b, size_t i, const char *column);
/* A month written YYYY-MM: 0, or -1 when s is not one. */
int rr_bill_parse_month(const char *s, int *year, int *month);
/* The 1-based column of line i's cell of `column` in its file, or 0 (no such column). */
int rr_bill_col(const rr_bill *b, size_t i, const char *column);
/* Line i's tag `key`, or NULL. */
const char *rr_bill_tag(const rr_bill *b, size_t i, const char *key);

#endif
