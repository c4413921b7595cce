/* catalog: dated prices a scenario names instead of typing them.
 *
 * A catalog is a folder of YAML files, one per provider (scenarios/catalog/README.md): model
 * API prices per 1M tokens (`models`), instance rates per hour (`instances`: on demand,
 * one-year reserved, a spot range) and other unit prices (`prices`), each entry with the date
 * its price was checked and its public source.  An entry's id is "provider/name"; an
 * instance's variants add "/on-demand" (the same as none), "/reserved-1y" or "/spot"; one
 * price of a model is "/input", "/output", "/cached_input" or "/cache_write".
 *
 * A scenario refers to an entry where a price goes: `price_per_million: {catalog: ID}` takes
 * the model's prices, each key written beside it overriding its price; `hourly_rate:
 * {catalog: ID}` (or any other value) takes one number, and an instance's "/spot" a uniform
 * draw over its range.  rr_catalog_expand rewrites those references in a scenario's tree
 * before it is validated, so everything after it sees plain numbers; the entries used travel
 * with the scenario (rr_catalog_use) to the reports, which name each with its date and
 * source.  Nothing is converted: an entry in another currency than the scenario's is an
 * error.
 *
 * Thread safety: a loaded catalog is read-only and may be shared.
 */
#ifndef RR_CATALOG_H
#define RR_CATALOG_H

#include <stddef.h>

#include "scenario/diag.h"
#include "scenario/node.h"
#include "scenario/warn.h"

typedef enum rr_catalog_kind {
    RR_CATALOG_MODEL,      /* per 1M tokens */
    RR_CATALOG_INSTANCE,   /* per instance-hour */
    RR_CATALOG_PRICE       /* per its `unit` */
} rr_catalog_kind;

/* A model's prices, an instance's rates, or a price, by kind. */
enum {
    RR_CAT_INPUT, RR_CAT_OUTPUT, RR_CAT_CACHED, RR_CAT_WRITE, RR_CAT_BATCH,
    RR_CAT_NMODEL
};
enum { RR_CAT_ON_DEMAND, RR_CAT_RESERVED, RR_CAT_SPOT_LO, RR_CAT_SPOT_HI, RR_CAT_NINSTANCE };
enum { RR_CAT_PRICE_VALUE };
#define RR_CAT_NVALUES 5

typedef struct rr_catalog_entry {
    char *id;                      /* "anthropic/claude-sonnet-4.5" */
    rr_catalog_kind kind;
    double v[RR_CAT_NVALUES];      /* by the kind's enum above */
    char *text[RR_CAT_NVALUES];    /* v[i] as the file wrote it (0.805, not 0.80500000000000005),
                                    * owned; NULL where not given */
    unsigned has;                  /* bit i: v[i] given */
    const char *currency;          /* borrowed from the catalog's strings */
    const char *checked;           /* YYYY-MM-DD */
    const char *source;
    const char *note;              /* or NULL */
    const char *unit;              /* prices: "GB-month", ...; NULL otherwise */
    const char *hardware;          /* instances, or NULL */
} rr_catalog_entry;

typedef struct rr_catalog {
    char *dir;                     /* owned */
    rr_catalog_entry *v;           /* owned, sorted by id */
    size_t n;
    char **strings;                /* owned: the texts entries borrow */
    size_t nstrings;
} rr_catalog;

/* The units a `prices` entry may have, NULL-terminated (scenarios/catalog/README.md). */
extern const char *const rr_catalog_units[];

/* Load every *.yaml of dir, in name order.  RR_OK; RR_ERR_SCENARIO with diagnostics in
 * diags, re-initialised to name the file at fault; RR_ERR_IO when dir cannot be read (one
 * diagnostic); RR_ERR_NOMEM.  *cat is empty after a failure. */
rr_status rr_catalog_load(const char *dir, rr_catalog *cat, rr_diags *diags);
void rr_catalog_free(rr_catalog *cat);

/* The entry `id` names (with its variant: RR_CAT_ON_DEMAND, RR_CAT_RESERVED or
 * RR_CAT_SPOT_LO for an instance, RR_CAT_INPUT .. RR_CAT_WRITE for one price of a model;
 * else -1), or NULL. */
const rr_catalog_entry *rr_catalog_find(const rr_catalog *cat, const char *id, int *variant);

/* An entry a scenario used, as its reports name it. */
typedef struct rr_catalog_use {
    char *entry;                   /* the id as written, variant included; owned */
    char *checked;                 /* owned */
    char *source;                  /* owned */
    int line, col;                 /* the first reference (diag.h positions) */
} rr_catalog_use;

typedef struct rr_catalog_uses {
    rr_catalog_use *v;             /* owned, in the order of first reference */
    size_t n;
} rr_catalog_uses;

void rr_catalog_uses_free(rr_catalog_uses *u);

/* Whether the tree holds any {catalog: ...} reference (so that a catalog is needed). */
int rr_catalog_referenced(const rr_node *root);

/* Replace every reference in root by the entry's prices, recording the entries used in
 * *uses (appended to).  cat may be NULL when no catalog was found (then a reference is an
 * error that says where runrate looked: `where`).  RR_OK, RR_ERR_SCENARIO with diagnostics,
 * or RR_ERR_NOMEM. */
rr_status rr_catalog_expand(rr_node *root, const rr_catalog *cat, const char *where,
                            rr_catalog_uses *uses, rr_diags *diags);

/* Warn (code catalog-stale, at each reference) of the entries checked more than six months
 * before the month start_year-start_month; nothing without a start (start_year 0), so that
 * reports never depend on today's date. */
void rr_catalog_warn_stale(const rr_catalog_uses *uses, int start_year, int start_month,
                           const char *file, rr_warnings *w);

#endif
