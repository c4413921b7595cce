/* warn: warnings, the findings that are legal but probably wrong, or numbers a reader
 * should know before taking a forecast into a budget meeting.
 *
 * Each has a stable code (RR_WARNING_TABLE: the code, what it flags), a place ("FILE:LINE:COL",
 * or none), a message that says what was found and a fix that says what to do.  The
 * scenario's validation finds some as it loads a file (a growth of 2 meant as 2%), the
 * statistics of a run find the others (a clamp that binds, a total in the trillions); they
 * travel with the data to the reports (JSON `warnings`, a box in MD and HTML) and to the
 * command line, which prints them on standard error or, with --strict, fails on them.
 *
 * Thread safety: a list is owned by one thread at a time.
 */
#ifndef RR_WARN_H
#define RR_WARN_H

#include <stddef.h>

/* X(ID, code, what it flags) */
#define RR_WARNING_TABLE(X)                                                                  \
    X(RR_W_GROWTH_PERCENT, "growth-percent",                                               \
      "a growth rate whose median is above 0.5 or below -0.5 a month")                      \
    X(RR_W_GROWTH_COMPOUNDS, "growth-compounds",                                           \
      "growth that compounds past 1,000x over the horizon at its median")                   \
    X(RR_W_PRICE_SCALE, "price-scale",                                                      \
      "a model price whose median is above 1,000 or below 0.01 per million tokens")         \
    X(RR_W_HOURLY_RATE, "hourly-rate-high", "an hourly_rate whose median is above 1,000")   \
    X(RR_W_REVIEW_SHARE, "review-share-high", "a review_share whose median is above 0.5")  \
    X(RR_W_RANGE_WIDE, "range-wide", "an \"A to B\" whose B / A exceeds 1,000")             \
    X(RR_W_CLAMP_BINDS, "clamp-binds", "a clamp that binds on more than 5% of an input's draws") \
    X(RR_W_SCHEDULE_UNUSED, "schedule-unused",                                              \
      "a schedule's key that starts after the horizon's last month")                        \
    X(RR_W_BUDGET_PARTIAL, "budget-period-partial",                                         \
      "a budget for a period the horizon covers only in part")                              \
    X(RR_W_CACHE_SHARES, "cache-shares-overlap",                                            \
      "a cached_share and a cache_write_share whose P95s add up to more than 1")            \
    X(RR_W_TOTAL_HUGE, "total-huge", "a horizon total whose P50 exceeds 1e12")              \
    X(RR_W_EVENTS_CAPPED, "events-capped",                                                  \
      "a month's count of events (spikes, jobs) that hit its cap of 4,095")                 \
    X(RR_W_UNIT_COST_PATHS, "unit-cost-paths",                                              \
      "paths left out of the cost per 1,000 requests (they served none)")                   \
    X(RR_W_EXPR_CLAMPED, "expression-clamped",                                              \
      "an expression or schedule held to its field's domain in more than 5% of path-months") \
    X(RR_W_CAPACITY_BOUND, "capacity-bound",                                                \
      "a compute pool whose max_instances left demand unserved in more than 1% of path-months") \
    X(RR_W_ACTUALS_UNMAPPED, "actuals-unmapped",                                            \
      "bill lines that map to no category or component of the scenario (track)")            \
    X(RR_W_ACTUALS_LEFT_OUT, "actuals-left-out",                                            \
      "bill lines left out: tax, or months before start, after the horizon or --through")   \
    X(RR_W_ACTUALS_OUTSIDE, "actuals-outside-band",                                         \
      "a month whose actual total is outside its forecast's P5-P95 band (track)")            \
    X(RR_W_TRACK_ESS, "track-ess-low",                                                      \
      "a re-forecast resting on fewer than 1,000 effective paths (track)")                   \
    X(RR_W_TRACK_CELLS, "track-cells-left-out",                                             \
      "observed cells left out of the re-forecast's weights: an actual <= 0, or a target the scenario has no cost for") \
    X(RR_W_CATALOG_STALE, "catalog-stale",                                                  \
      "a catalog price checked more than six months before the scenario's start")

typedef enum rr_warning_code {
#define RR_X(id, code, text) id,
    RR_WARNING_TABLE(RR_X)
#undef RR_X
    RR_NWARNING_CODES
} rr_warning_code;

/* The stable code ("growth-percent") and what it flags, for docs and messages. */
const char *rr_warning_code_name(rr_warning_code c);
const char *rr_warning_code_text(rr_warning_code c);

typedef struct rr_warning {
    rr_warning_code code;
    char *where;        /* "FILE:LINE:COL", "FILE" or NULL; owned */
    char *message;      /* what was found; owned */
    char *fix;          /* what to do; owned */
} rr_warning;

typedef struct rr_warnings {
    rr_warning *v;
    size_t n, cap;
    const char *const *layers;   /* borrowed: the files a layered scenario extends, for
                                  * positions of its base files (diag.h, RR_POS_STRIDE) */
    int lost;           /* warnings dropped because memory ran out or the cap was hit */
} rr_warnings;

#define RR_WARNINGS_MAX 100

void rr_warnings_init(rr_warnings *w);
void rr_warnings_free(rr_warnings *w);
/* Add a warning at file:line:col (file NULL: nowhere; line 0: the file as a whole; a line of
 * a base file names it, from `layers`), with the fix, then the printf-style message.  Never
 * fails: on exhaustion, counts `lost`. */
#if defined(__GNUC__)
__attribute__((format(printf, 7, 8)))
#endif
void rr_warnings_add(rr_warnings *w, rr_warning_code code, const char *file, int line,
                     int col, const char *fix, const char *fmt, ...);
/* Append copies of src's warnings to dst; with unique, those dst does not hold yet (the same
 * code, place and message).  0, or -1 when out of memory (counted as lost). */
int rr_warnings_append(rr_warnings *dst, const rr_warnings *src, int unique);

#endif
