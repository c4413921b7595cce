/* periods: the years and quarters a horizon spans, as finance budgets them.
 *
 * With `start`, calendar years and quarters ("2027", "2027-Q3"), or fiscal ones when the
 * fiscal year starts in another month: the year from 2027-04 to 2028-03 is "FY2028" when
 * named by the calendar year in which it ends (the default, as Microsoft's and the US
 * government's are) or "FY2027" when named by the one in which it starts; its quarters are
 * "FY2028-Q1" ...  Without `start`, 12- and 3-month blocks counted from month 1 ("Y1", "Y2",
 * "Q1" ... "Q5" = months 13-15).  A period the horizon covers only in part is `partial`, its
 * from/to its first and last covered months.
 */
#ifndef RR_PERIODS_H
#define RR_PERIODS_H

#include <stddef.h>

#define RR_PERIOD_LABEL 16

typedef struct rr_period {
    char label[RR_PERIOD_LABEL];
    int from, to;            /* months of the horizon, from 0, inclusive */
    int partial;             /* the period has months outside the horizon */
} rr_period;

typedef struct rr_periods {
    size_t nyears, nquarters;
    rr_period *years, *quarters;   /* owned */
} rr_periods;

/* How periods are cut: start_month 0 without `start` (then fy_start must be 1). */
typedef struct rr_calendar {
    int start_year, start_month;   /* `start`: 1..12, or 0 */
    int horizon;                   /* months */
    int fy_start;                  /* 1..12: the month a (fiscal) year starts; 1 calendar */
    int label_start;               /* 1: a fiscal year is named by the year it starts in */
} rr_calendar;

/* The years and quarters of cal into out (freed by rr_periods_free); 0, or -1 when out of
 * memory. */
int rr_periods_make(const rr_calendar *cal, rr_periods *out);
void rr_periods_free(rr_periods *p);
/* The period labelled `label`, years first; NULL when none. */
const rr_period *rr_periods_find(const rr_periods *p, const char *label);
/* "2027, 2028, 2027-Q1, ..." into buf (cut with "..." when it does not fit). */
const char *rr_periods_list(const rr_periods *p, char *buf, size_t size);

#endif
