/* bill: cost lines from a FOCUS export or a plain actuals CSV (runrate track; docs/track.md).
 *
 * A file whose header has ChargePeriodStart is a FOCUS export (the FinOps Foundation's FinOps
 * Open Cost and Usage Specification, versions 1.0 to 1.2): it must have the columns
 * ChargePeriodStart, BillingCurrency, ChargeCategory, ServiceCategory and the cost column
 * (EffectiveCost when the header has it, else BilledCost, or the one asked for).  A line's
 * month is the calendar month of ChargePeriodStart in UTC, its cost the cost column's (a
 * credit's negative sign kept), its kind ChargeCategory's.  A file whose header is exactly
 * month,target,cost (in any order) is plain: each row a target's cost in a month.
 *
 * An empty cell or NULL is a missing value: a missing ChargePeriodStart, cost or
 * BillingCurrency is an error, a missing ChargeCategory makes an RR_BILL_OTHER line.  Numbers
 * are whole cells in the C locale's decimal notation (a sign, decimals, an exponent; no
 * thousands separators, currency symbols or spaces).  ChargePeriodStart is YYYY-MM-DD, or that
 * with a time, ' ' or 'T' then HH:MM[:SS[.fraction]], and an optional Z, +HH:MM, -HH:MM or
 * " UTC" (as BigQuery writes timestamps); a time without a zone is UTC.
 *
 * Every column of a line stays readable by name, and a FOCUS line's Tags (FOCUS's Key-Value
 * Format: a JSON object of unique keys whose values are strings, numbers, true, false or
 * null, never objects or arrays) by key, for the scenario's actuals.map rules.  Tags are
 * parsed as the file is read, so that a bad one is reported with the rest.
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
    RR_BILL_OTHER,                   /* any other ChargeCategory, or none */
    RR_BILL_PLAIN                    /* a month,target,cost row */
} rr_bill_kind;

/* One tag.  A JSON null's value is NULL: the key is there, the tag has no value. */
typedef struct rr_bill_kv {
    char *key;                       /* owned: the key, NUL, the value, NUL */
    const char *value;               /* in key's block, or NULL */
} rr_bill_kv;

typedef struct rr_bill_line {
    int year, month;                 /* the calendar month (UTC), month 1-12 */
    double cost;
    const char *currency;            /* BillingCurrency (borrowed); NULL on a plain row */
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
/* Frees what b owns; an initialised, empty bill is fine. */
void rr_bill_free(rr_bill *b);

/* Read one file's lines, appending them to b (files are numbered in the order read).
 * cost_column NULL: EffectiveCost if the header has it, else BilledCost; a plain file has
 * its `cost` whatever is asked.  RR_OK, RR_ERR_IO, RR_ERR_SCENARIO (messages in d, at line
 * and column) or RR_ERR_NOMEM; on failure b keeps only what it had. */
rr_status rr_bill_read(const char *path, const char *cost_column, rr_bill *b, rr_diags *d);
/* The same, from a buffer. */
rr_status rr_bill_parse(const char *text, size_t len, const char *cost_column, rr_bill *b,
                        rr_diags *d);

/* Line i's value of a column (exact name), or NULL when its file has no such column or the
 * value is missing. */
const char *rr_bill_field(const rr_bill *b, size_t i, const char *column);
/* Where line i's cell of `column` is in its file: its 1-based column, or 0 (no such
 * column); its line, which is later than the line's own after a quoted line break (the
 * line's own when there is no such column). */
int rr_bill_col(const rr_bill *b, size_t i, const char *column);
int rr_bill_cell_line(const rr_bill *b, size_t i, const char *column);
/* Line i's tag `key` (exact): a string's text, a number, true or false as written; NULL when
 * the line has no such tag or its value is null. */
const char *rr_bill_tag(const rr_bill *b, size_t i, const char *key);
/* A month written YYYY-MM: 0, or -1 when s is not one. */
int rr_bill_parse_month(const char *s, int *year, int *month);

#endif
