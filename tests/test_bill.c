/* test_bill: bill lines from FOCUS exports and plain actuals (actuals/bill.h): sums from a
 * FOCUS 1.0 fixture (tests/actuals/focus-1.0.csv) against hand-computed totals, the cost
 * column's choice, dates (the UTC month), numbers, tags and fields, and each refusal at its
 * line:col.  The CSV layer's own cases are test_csv's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "actuals/bill.h"

#define FIXTURE "tests/actuals/focus-1.0.csv"

static rr_status parse_into(rr_bill *b, const char *text, const char *cost_column, rr_diags *d)
{
    rr_diags_init(d, "bill.csv");
    return rr_bill_parse(text, strlen(text), cost_column, b, d);
}

/* text reads without a message into *b (initialised here). */
static void accept(const char *text, const char *cost_column, rr_bill *b)
{
    rr_bill_init(b);
    rr_diags d;
    const rr_status st = parse_into(b, text, cost_column, &d);
    if (st != RR_OK || d.n)
        fail_msg("refused: %d:%d: %s", d.n ? d.v[0].line : 0, d.n ? d.v[0].col : 0,
                 d.n ? d.v[0].msg : "(no message)");
    rr_diags_free(&d);
}

/* Message i of d is at line:col and contains `what`. */
static void expect_at(const rr_diags *d, size_t i, int line, int col, const char *what)
{
    assert_true(d->n > i);
    const rr_diag *m = &d->v[i];
    if (m->line != line || m->col != col || !strstr(m->msg, what))
        fail_msg("got %d:%d: %s; expected %d:%d: ...%s...", m->line, m->col, m->msg, line, col,
                 what);
}

/* text is refused (RR_ERR_SCENARIO) with one message, at line:col, containing each string
 * after col; the bill keeps nothing of it. */
static void refused_with(const char *text, const char *cost_column, int line, int col, ...)
{
    rr_bill b;
    rr_bill_init(&b);
    rr_diags d;
    assert_int_equal(parse_into(&b, text, cost_column, &d), RR_ERR_SCENARIO);
    assert_int_equal(b.n, 0);
    assert_int_equal(b.nfiles, 0);
    assert_int_equal(b.ntags, 0);
    if (d.n != 1)
        fail_msg("%zu messages for %s", d.n, text);
    va_list ap;
    va_start(ap, col);
    for (const char *w; (w = va_arg(ap, const char *)) != NULL;)
        expect_at(&d, 0, line, col, w);
    va_end(ap);
    assert_null(strstr(d.v[0].msg, "bill.csv"));   /* the caller names the file */
    rr_diags_free(&d);
    rr_bill_free(&b);
}

#define REFUSED(text, line, col, ...) refused_with(text, NULL, line, col, __VA_ARGS__, NULL)

/* The smallest FOCUS header, and a one-line file of it with the given cells. */
#define HEAD "BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ServiceCategory,Tags\n"
static const char *focus1(char *buf, size_t size, const char *cost, const char *currency,
                          const char *category, const char *start, const char *tags)
{
    snprintf(buf, size, HEAD "%s,%s,%s,%s,Compute,%s\n", cost, currency, category, start, tags);
    return buf;
}

/* ---- the fixture ---- */

typedef struct sums {
    double sep[RR_BILL_PLAIN], oct[RR_BILL_PLAIN];
} sums;

static void sum(const rr_bill *b, sums *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < b->n; i++) {
        const rr_bill_line *l = &b->line[i];
        assert_int_equal(l->year, 2024);
        assert_true(l->month == 9 || l->month == 10);
        assert_true(l->kind < RR_BILL_PLAIN);
        (l->month == 9 ? s->sep : s->oct)[l->kind] += l->cost;
    }
}

static void read_fixture(const char *cost_column, rr_bill *b)
{
    rr_bill_init(b);
    rr_diags d;
    rr_diags_init(&d, FIXTURE);
    const rr_status st = rr_bill_read(FIXTURE, cost_column, b, &d);
    if (st != RR_OK)
        fail_msg("%s: %d:%d: %s", rr_status_text(st), d.n ? d.v[0].line : 0,
                 d.n ? d.v[0].col : 0, d.n ? d.v[0].msg : "");
    assert_int_equal(d.n, 0);
    rr_diags_free(&d);
}

/* EffectiveCost by default: the reserved instance's purchase is 0 and its use amortised. */
static void test_fixture_effective_sums(void **state)
{
    (void)state;
    rr_bill b;
    read_fixture(NULL, &b);
    assert_int_equal(b.n, 13);
    assert_int_equal(b.nfiles, 1);
    sums s;
    sum(&b, &s);
    /* 1250.50 + 292.50 + 42.75 + 12.25 (the data transfer at 01:00+02:00 on 1 October). */
    assert_true(s.sep[RR_BILL_USAGE] == 1598.00);
    assert_true(s.sep[RR_BILL_PURCHASE] == 0.0);
    assert_true(s.sep[RR_BILL_CREDIT] == -100.00);
    assert_true(s.sep[RR_BILL_TAX] == 93.50);
    assert_true(s.sep[RR_BILL_ADJUSTMENT] == 0.0);
    /* 1375.25 + 302.25 + 18.00 + 44.00. */
    assert_true(s.oct[RR_BILL_USAGE] == 1739.50);
    assert_true(s.oct[RR_BILL_ADJUSTMENT] == -5.50);
    assert_true(s.oct[RR_BILL_TAX] == 101.75);
    assert_true(s.oct[RR_BILL_PURCHASE] == 0.0 && s.oct[RR_BILL_CREDIT] == 0.0);
    assert_true(s.sep[RR_BILL_OTHER] == 0.0 && s.oct[RR_BILL_OTHER] == 0.0);
    for (size_t i = 0; i < b.n; i++) {
        assert_string_equal(b.line[i].currency, "USD");
        assert_null(b.line[i].target);
        assert_int_equal(b.line[i].file, 0);
        assert_int_equal(b.line[i].row, i);
        assert_int_equal(b.line[i].line, (int)i + 2);   /* one record a line, after the header */
    }
    rr_bill_free(&b);
}

static void test_fixture_billed_sums(void **state)
{
    (void)state;
    rr_bill b;
    read_fixture("BilledCost", &b);
    sums s;
    sum(&b, &s);
    /* 1250.50 + 0 (covered by the reservation) + 42.75 + 12.25. */
    assert_true(s.sep[RR_BILL_USAGE] == 1305.50);
    assert_true(s.sep[RR_BILL_PURCHASE] == 3558.75);
    assert_true(s.sep[RR_BILL_CREDIT] == -100.00);
    assert_true(s.sep[RR_BILL_TAX] == 93.50);
    assert_true(s.oct[RR_BILL_USAGE] == 1437.25);
    assert_true(s.oct[RR_BILL_ADJUSTMENT] == -5.50);
    assert_true(s.oct[RR_BILL_TAX] == 101.75);
    rr_bill_free(&b);
}

static void test_fixture_fields_and_tags(void **state)
{
    (void)state;
    rr_bill b;
    read_fixture(NULL, &b);
    /* Quoted cells, a doubled quote inside one. */
    assert_string_equal(rr_bill_field(&b, 0, "InvoiceIssuerName"), "Amazon Web Services, Inc.");
    assert_string_equal(rr_bill_field(&b, 3, "ChargeDescription"),
                        "S3 Standard storage, \"transcripts\" bucket");
    assert_string_equal(rr_bill_field(&b, 1, "CommitmentDiscountStatus"), "Used");
    assert_string_equal(rr_bill_field(&b, 10, "ChargeClass"), "Correction");
    /* Missing: NULL, an empty cell, a column the file does not have (FOCUS 1.0-preview's). */
    assert_null(rr_bill_field(&b, 0, "ChargeClass"));
    assert_null(rr_bill_field(&b, 0, "AvailabilityZone"));
    assert_string_equal(rr_bill_field(&b, 1, "AvailabilityZone"), "us-east-1a");
    assert_null(rr_bill_field(&b, 0, "ChargeSubcategory"));
    assert_null(rr_bill_field(&b, 0, "chargeclass"));
    assert_int_equal(rr_bill_col(&b, 0, "AvailabilityZone"), 1);
    assert_int_equal(rr_bill_col(&b, 0, "BilledCost"), 2);
    assert_int_equal(rr_bill_col(&b, 0, "Region"), 0);
    assert_int_equal(rr_bill_cell_line(&b, 5, "Tags"), 7);
    /* Tags, written as exports write them: a quoted cell with doubled quotes. */
    assert_string_equal(rr_bill_tag(&b, 0, "application"), "support-agent");
    assert_string_equal(rr_bill_tag(&b, 0, "env"), "prod");
    assert_null(rr_bill_tag(&b, 0, "component"));
    assert_string_equal(rr_bill_tag(&b, 1, "component"), "reranker");
    assert_string_equal(rr_bill_tag(&b, 3, "team"), "ml-platform");
    assert_string_equal(rr_bill_tag(&b, 7, "owner"), "Zo\xc3\xab");
    assert_string_equal(rr_bill_tag(&b, 9, "cost-center"), "4410");
    assert_string_equal(rr_bill_tag(&b, 9, "shared"), "true");
    assert_null(rr_bill_tag(&b, 9, "expires"));   /* null */
    assert_int_equal(b.line[9].ntags, 4);
    assert_int_equal(b.line[2].ntags, 0);         /* Tags NULL */
    assert_int_equal(b.line[12].ntags, 0);        /* Tags empty */
    /* The data transfer at 2024-10-01T01:00:00+02:00 is September's in UTC. */
    assert_string_equal(rr_bill_field(&b, 6, "ChargePeriodStart"), "2024-10-01T01:00:00+02:00");
    assert_int_equal(b.line[6].month, 9);
    /* Kinds. */
    const rr_bill_kind kinds[13] = { RR_BILL_USAGE, RR_BILL_USAGE, RR_BILL_PURCHASE,
                                     RR_BILL_USAGE, RR_BILL_CREDIT, RR_BILL_TAX, RR_BILL_USAGE,
                                     RR_BILL_USAGE, RR_BILL_USAGE, RR_BILL_USAGE,
                                     RR_BILL_ADJUSTMENT, RR_BILL_TAX, RR_BILL_USAGE };
    for (size_t i = 0; i < 13; i++)
        assert_int_equal(b.line[i].kind, kinds[i]);
    rr_bill_free(&b);
}

/* ---- a FOCUS export written here ---- */

static const char *const focus =
    "\xef\xbb\xbf" "BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,EffectiveCost,"
    "ServiceCategory,ServiceName,Tags\r\n"
    "10.00,USD,Usage,2027-01-01T00:00:00Z,8.50,AI and Machine Learning,Amazon Bedrock,"
    "\"{\"\"application\"\":\"\"support-agent\"\",\"\"n\"\":3}\"\r\n"
    "-2.25,USD,Credit,2027-01-15 10:30:00,-2.25,AI and Machine Learning,Amazon Bedrock,NULL\r\n"
    "4.00,USD,Tax,2027-01-31,4.00,Other,Tax,\r\n"
    "7.75,USD,Usage,2027-02-01T01:00:00+02:00,7.75,Compute,\"Amazon EC2\",{}\r\n"
    "1.25,USD,Support,2027-02-03T00:00:00Z,1.50,Other,\"Business\nSupport\","
    "\"{ \"\"a\"\" : \"\"\\u00e9\\ud83d\\ude00\\\"\"\\\\\"\" , \"\"b\"\":-1.5e3 }\"\r\n"
    "2.00,USD,NULL,2027-02-04T00:00:00Z,2.00,Other,x,\r\n";

static void test_focus_lines(void **state)
{
    (void)state;
    rr_bill b;
    accept(focus, NULL, &b);
    assert_int_equal(b.n, 6);
    /* EffectiveCost by default. */
    assert_true(b.line[0].cost == 8.5);
    assert_int_equal(b.line[0].kind, RR_BILL_USAGE);
    assert_int_equal(b.line[0].year, 2027);
    assert_int_equal(b.line[0].month, 1);
    assert_string_equal(rr_bill_tag(&b, 0, "application"), "support-agent");
    assert_string_equal(rr_bill_tag(&b, 0, "n"), "3");
    assert_null(rr_bill_tag(&b, 0, "env"));
    assert_string_equal(rr_bill_field(&b, 0, "ServiceName"), "Amazon Bedrock");
    assert_null(rr_bill_field(&b, 1, "Tags"));
    assert_null(rr_bill_field(&b, 0, "Region"));
    assert_true(b.line[1].cost == -2.25);
    assert_int_equal(b.line[1].kind, RR_BILL_CREDIT);
    assert_int_equal(b.line[2].kind, RR_BILL_TAX);
    /* 01:00 at +02:00 is 23:00 UTC the day before: January. */
    assert_int_equal(b.line[3].month, 1);
    assert_int_equal(b.line[3].line, 5);
    assert_int_equal(b.line[3].ntags, 0);
    assert_string_equal(b.line[3].currency, "USD");
    /* A ChargeCategory outside FOCUS's five, and a missing one. */
    assert_int_equal(b.line[4].kind, RR_BILL_OTHER);
    assert_int_equal(b.line[5].kind, RR_BILL_OTHER);
    /* JSON escapes: a BMP character, a surrogate pair, a quote, a backslash. */
    assert_string_equal(rr_bill_tag(&b, 4, "a"), "\xc3\xa9\xf0\x9f\x98\x80\"\\");
    assert_string_equal(rr_bill_tag(&b, 4, "b"), "-1.5e3");
    /* After the quoted line break in ServiceName, the next record is on line 8. */
    assert_int_equal(b.line[4].line, 6);
    assert_int_equal(rr_bill_cell_line(&b, 4, "Tags"), 7);
    assert_int_equal(rr_bill_col(&b, 4, "Tags"), 10);
    assert_int_equal(b.line[5].line, 8);
    rr_bill_free(&b);
    /* BilledCost when asked. */
    accept(focus, "BilledCost", &b);
    assert_true(b.line[0].cost == 10.0);
    assert_true(b.line[4].cost == 1.25);
    rr_bill_free(&b);
}

/* Without EffectiveCost, BilledCost; a cost column asked for that the file lacks is an
 * error. */
static void test_cost_column_choice(void **state)
{
    (void)state;
    rr_bill b;
    char text[512];
    accept(focus1(text, sizeof text, "3.25", "USD", "Usage", "2027-03-01", ""), NULL, &b);
    assert_true(b.line[0].cost == 3.25);
    rr_bill_free(&b);
    refused_with(text, "EffectiveCost", 1, 1, "a FOCUS export without the column EffectiveCost, "
                 "the cost column asked for", "ServiceCategory and EffectiveCost)", NULL);
    /* Any numeric column may be asked for. */
    accept("ChargePeriodStart,BillingCurrency,ChargeCategory,ServiceCategory,BilledCost,ListCost\n"
           "2027-03-01,USD,Usage,Compute,1,1.75\n", "ListCost", &b);
    assert_true(b.line[0].cost == 1.75);
    rr_bill_free(&b);
}

/* A one-line FOCUS file whose ChargePeriodStart is `start`: its year and month. */
static void month_of(const char *start, int year, int month)
{
    char text[512];
    rr_bill b;
    accept(focus1(text, sizeof text, "1", "USD", "Usage", start, ""), NULL, &b);
    if (b.line[0].year != year || b.line[0].month != month)
        fail_msg("%s: got %d-%02d, expected %d-%02d", start, b.line[0].year, b.line[0].month,
                 year, month);
    rr_bill_free(&b);
}

static void test_dates(void **state)
{
    (void)state;
    month_of("2024-09-18", 2024, 9);
    month_of("2024-09-18 22:00:00", 2024, 9);
    month_of("2024-09-18T22:00:00Z", 2024, 9);
    month_of("2024-09-18T22:00:00", 2024, 9);
    month_of("2024-09-18T22:00", 2024, 9);
    month_of("2024-09-18T22:00:00.123456Z", 2024, 9);
    month_of("2024-09-30T23:59:59.999+00:00", 2024, 9);
    month_of("2024-09-18 22:00:00 UTC", 2024, 9);
    month_of("2024-02-29", 2024, 2);   /* leap years: by 4, not 100, but 400 */
    month_of("2000-02-29T00:00:00Z", 2000, 2);
    month_of("2024-06-30T23:59:60Z", 2024, 6);   /* a leap second */
    /* Offsets, converted to UTC, which can change the month and the year. */
    month_of("2024-10-01T01:00:00+02:00", 2024, 9);
    month_of("2024-10-01T02:00:00+02:00", 2024, 10);
    month_of("2024-09-30T22:00:00-02:00", 2024, 10);
    month_of("2024-12-31T23:30:00-01:00", 2025, 1);
    month_of("2024-01-01T00:30:00+01:00", 2023, 12);
    month_of("2024-03-01T00:00:00+00:30", 2024, 2);
    month_of("2023-03-01T00:00:00+14:00", 2023, 2);
}

static void date_refused(const char *start, const char *why)
{
    char text[512], got[128];
    focus1(text, sizeof text, "1", "USD", "Usage", start, "");
    snprintf(got, sizeof got, "got '%s'%s", start, why);
    refused_with(text, NULL, 2, 13, "ChargePeriodStart: expected a date (YYYY-MM-DD) or a "
                 "date-time (YYYY-MM-DD HH:MM:SS, YYYY-MM-DDTHH:MM:SSZ)", got, NULL);
}

static void test_date_refusals(void **state)
{
    (void)state;
    date_refused("2024-13-01", " (no month 13)");
    date_refused("2024-00-10", " (no month 00)");
    date_refused("2023-02-29", " (2023-02 has 28 days)");
    date_refused("1900-02-29", " (1900-02 has 28 days)");
    date_refused("2024-04-31", " (2024-04 has 30 days)");
    date_refused("2024-09-18T24:00:00Z", " (no time 24:00:00)");
    date_refused("2024-09-18T22:60:00Z", " (no time 22:60:00)");
    date_refused("2024-09-18T22:00:00+15:00", " (no UTC offset 15:00)");
    const char *const bad[] = { "2024-9-18", "18/09/2024", "2024-09-18T22:00:00.Z",
                                "2024-09-18T", "2024-09-18Z", "2024-09-18T22:00:00+0200",
                                "2024-09-18t22:00:00z", "2024-09-18T22:00:00 CET",
                                "2024-09", "20240918", "2024-09-18T22" };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        date_refused(bad[k], "");
    /* A space around the value is not trimmed. */
    date_refused(" 2024-09-18", "");
    char text[512];
    REFUSED(focus1(text, sizeof text, "1", "USD", "Usage", "NULL", ""), 2, 13,
            "ChargePeriodStart: missing (expected the charge's date)");
    REFUSED(focus1(text, sizeof text, "1", "USD", "Usage", "", ""), 2, 13,
            "ChargePeriodStart: missing");
}

static void number_is(const char *v, double want)
{
    char text[512];
    rr_bill b;
    accept(focus1(text, sizeof text, v, "USD", "Usage", "2027-01-01", ""), NULL, &b);
    if (b.line[0].cost != want)
        fail_msg("%s: got %.17g, expected %.17g", v, b.line[0].cost, want);
    rr_bill_free(&b);
}

static void number_refused(const char *v, const char *why)
{
    char text[512], got[128];
    focus1(text, sizeof text, v, "USD", "Usage", "2027-01-01", "");
    snprintf(got, sizeof got, "BilledCost: expected a number, got '%s'%s", v, why);
    refused_with(text, NULL, 2, 1, got, NULL);
}

static void test_numbers(void **state)
{
    (void)state;
    number_is("12", 12);
    number_is("-2.25", -2.25);
    number_is("+3", 3);
    number_is(".5", 0.5);
    number_is("5.", 5);
    number_is("1e3", 1000);
    number_is("1.5E-2", 0.015);
    number_is("-0", 0);
    number_is("0.1", 0.1);
}

static void test_number_refusals(void **state)
{
    (void)state;
    char text[512];
    /* Thousands separators need quotes in CSV: that is how they arrive. */
    REFUSED(focus1(text, sizeof text, "\"1,234.50\"", "USD", "Usage", "2027-01-01", ""), 2, 1,
            "BilledCost: expected a number, got '1,234.50' (no thousands separators)");
    REFUSED(focus1(text, sizeof text, "\"1,234\"", "USD", "Usage", "2027-01-01", ""), 2, 1,
            "got '1,234' (no thousands separators)");
    REFUSED(focus1(text, sizeof text, "\"12,5\"", "USD", "Usage", "2027-01-01", ""), 2, 1,
            "got '12,5' (no decimal comma: the decimal mark is '.'");
    REFUSED(focus1(text, sizeof text, "\"1.234,50\"", "USD", "Usage", "2027-01-01", ""), 2, 1,
            "(no decimal comma");
    number_refused("$12.00", " (no currency symbols)");
    number_refused("12.00\xe2\x82\xac", " (no currency symbols)");
    number_refused("\xc2\xa3" "3", " (no currency symbols)");
    number_refused("12.00 USD", " (no currency codes)");
    number_refused(" 12", " (no spaces)");
    number_refused("1e999", " (out of range)");
    const char *const bad[] = { "0x10", "inf", "nan", "1e", "--1", "abc", "1.2.3", ".", "-",
                                "1e+", "12a" };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        number_refused(bad[k], "");
    REFUSED(focus1(text, sizeof text, "NULL", "USD", "Usage", "2027-01-01", ""), 2, 1,
            "BilledCost: missing (expected the line's cost)");
    REFUSED(focus1(text, sizeof text, "", "USD", "Usage", "2027-01-01", ""), 2, 1,
            "BilledCost: missing");
    /* The cost column's name in the message. */
    refused_with("ChargePeriodStart,BillingCurrency,ChargeCategory,ServiceCategory,EffectiveCost\n"
                 "2027-01-01,USD,Usage,Compute,\n", NULL, 2, 30, "EffectiveCost: missing", NULL);
}

static void test_missing_currency(void **state)
{
    (void)state;
    char text[512];
    REFUSED(focus1(text, sizeof text, "1", "NULL", "Usage", "2027-01-01", ""), 2, 3,
            "BillingCurrency: missing (expected the currency's code");
}

static void tags_refused(const char *tags, const char *what)
{
    char text[512];
    /* "1,USD,Usage,2027-01-01,Compute," is 31 bytes. */
    REFUSED(focus1(text, sizeof text, "1", "USD", "Usage", "2027-01-01", tags), 2, 32, what);
}

static void test_tags_refusals(void **state)
{
    (void)state;
    tags_refused("\"{\"\"a\"\":{}}\"", "Tags: expected a flat JSON object, but the value of "
                 "'a' is an object");
    tags_refused("\"{\"\"a\"\":\"\"x\"\",\"\"b\"\":[1]}\"", "the value of 'b' is an array");
    tags_refused("\"{\"\"a\"\":1,\"\"a\"\":2}\"", "Tags: expected a flat JSON object with each "
                 "key once, got 'a' twice");
    tags_refused("[]", "Tags: expected a flat JSON object ({\"key\": \"value\", ...}), got '[]' "
                 "(at its byte 1: expected '{')");
    tags_refused("\"{\"\"a\"\" 1}\"", "(at its byte 6: expected ':' after the key)");
    tags_refused("\"{\"\"a\"\":1,}\"", "(at its byte 8: expected a key in double quotes)");
    tags_refused("{a:1}", "(at its byte 2: expected a key in double quotes)");
    tags_refused("\"{\"\"a\"\":1} x\"", "(at its byte 9: expected nothing after the object's "
                 "closing '}')");
    tags_refused("\"{\"\"a\"\":\"\"\\x\"\"}\"", "expected an escape");
    tags_refused("\"{\"\"a\"\":\"\"\\udc00\"\"}\"", "(at its byte 7: expected a high surrogate");
    tags_refused("\"{\"\"a\"\":\"\"\\ud800x\"\"}\"", "expected a low surrogate");
    tags_refused("\"{\"\"a\"\":\"\"\\u0000\"\"}\"", "expected a character other than \\u0000");
    tags_refused("\"{\"\"a\"\":\"\"x\ty\"\"}\"", "expected a control character escaped");
    tags_refused("\"{\"\"a\"\":tru}\"", "expected a value (a string, a number, true, false or "
                 "null)");
    tags_refused("\"{\"\"a\"\":01}\"", "expected a number without leading zeros");
    tags_refused("\"{\"\"a\"\":-}\"", "(at its byte 7: expected a digit)");
    tags_refused("\"{\"\"a\"\":1.}\"", "expected digits after the decimal point");
    tags_refused("\"{\"\"a\"\":\"\"x}\"", "expected a closing quote");
    tags_refused("\"{\"\"a\"\":1\"", "expected ',' or '}' after a value");
    tags_refused("\"{'a':1}\"", "expected a key in double quotes");
    /* A long cell is cut in the message at a character's boundary: 6 bytes, 53 digits and a
     * 2-byte character are more than the 60 shown. */
    char digits[54], tags[256], want[128];
    for (size_t k = 0; k < 53; k++)
        digits[k] = (char)('0' + k % 10);
    digits[53] = '\0';
    snprintf(tags, sizeof tags, "\"{\"\"k\"\":\"\"%s\xc3\xa9\"\" oops}\"", digits);
    snprintf(want, sizeof want, "got '{\"k\":\"%s...' (at its byte 64: expected ',' or '}'",
             digits);
    tags_refused(tags, want);
}

static void test_missing_columns(void **state)
{
    (void)state;
    rr_bill b;
    rr_bill_init(&b);
    rr_diags d;
    assert_int_equal(parse_into(&b, "ChargePeriodStart,BilledCost\n2027-01-01,1\n", NULL, &d),
                     RR_ERR_SCENARIO);
    assert_int_equal(d.n, 3);
    expect_at(&d, 0, 1, 1, "a FOCUS export without the column BillingCurrency (expected the "
              "columns ChargePeriodStart, BillingCurrency, ChargeCategory, ServiceCategory and "
              "BilledCost)");
    expect_at(&d, 1, 1, 1, "without the column ChargeCategory");
    expect_at(&d, 2, 1, 1, "without the column ServiceCategory");
    rr_diags_free(&d);
    rr_bill_free(&b);
    /* Neither EffectiveCost nor BilledCost. */
    REFUSED("ChargePeriodStart,BillingCurrency,ChargeCategory,ServiceCategory\n", 1, 1,
            "without the column BilledCost");
    /* A column named another way, and the header's own line. */
    REFUSED("\n\nChargePeriodStart,billing_currency,ChargeCategory,ServiceCategory,BilledCost\n",
            3, 1, "without the column BillingCurrency", "; the header's 'billing_currency' is "
            "written BillingCurrency in FOCUS");
}

static void test_file_kind(void **state)
{
    (void)state;
    REFUSED("month,target\n2027-01,x\n", 1, 1, "neither a FOCUS export (expected a header with "
            "ChargePeriodStart) nor plain actuals (expected the header month,target,cost");
    REFUSED("month,target,cost,note\n", 1, 1, "neither a FOCUS export");
    REFUSED("Month,Target,Cost\n", 1, 1, "neither a FOCUS export");
    REFUSED("Charge Period Start,BilledCost\n", 1, 1, "neither a FOCUS export", "; the header's "
            "'Charge Period Start' is written ChargePeriodStart in FOCUS");
}

static void test_plain_lines(void **state)
{
    (void)state;
    rr_bill b;
    accept(" cost ,month,target\r\n9850,2027-01,review\r\n-5.5,2027-02,\"over,sight\"\r\n", NULL,
           &b);
    assert_int_equal(b.n, 2);
    assert_int_equal(b.line[0].kind, RR_BILL_PLAIN);
    assert_string_equal(b.line[0].target, "review");
    assert_true(b.line[0].cost == 9850);
    assert_int_equal(b.line[0].year, 2027);
    assert_int_equal(b.line[0].month, 1);
    assert_string_equal(b.line[1].target, "over,sight");
    assert_true(b.line[1].cost == -5.5);
    assert_int_equal(b.line[1].month, 2);
    assert_null(b.line[1].currency);
    assert_int_equal(b.line[1].ntags, 0);
    assert_int_equal(b.line[1].line, 3);
    assert_string_equal(rr_bill_field(&b, 1, "month"), "2027-02");
    assert_int_equal(rr_bill_col(&b, 1, "target"), 14);
    assert_null(rr_bill_tag(&b, 1, "application"));
    rr_bill_free(&b);
    /* A cost column asked for does not apply. */
    accept("month,target,cost\n2027-01,review,1\n", "BilledCost", &b);
    assert_true(b.line[0].cost == 1);
    rr_bill_free(&b);
}

static void test_plain_refusals(void **state)
{
    (void)state;
    REFUSED("month,target,cost\n2027-1,review,5\n", 2, 1, "month: expected YYYY-MM, got "
            "'2027-1'");
    REFUSED("month,target,cost\n2027-13,review,5\n", 2, 1, "month: expected YYYY-MM, got "
            "'2027-13'");
    REFUSED("month,target,cost\n2027-01-01,review,5\n", 2, 1, "got '2027-01-01'");
    REFUSED("month,target,cost\nNULL,review,5\n", 2, 1, "month: missing (expected YYYY-MM)");
    REFUSED("month,target,cost\n2027-01,,5\n", 2, 9, "target: missing (expected a component "
            "or a category)");
    REFUSED("month,target,cost\n2027-01,review,\n", 2, 16, "cost: missing (expected a number)");
    REFUSED("month,target,cost\n2027-01,review,\"1,000\"\n", 2, 16, "cost: expected a number, "
            "got '1,000' (no thousands separators)");
}

/* Every bad cell is reported, each at its own line and column. */
static void test_all_errors_reported(void **state)
{
    (void)state;
    rr_bill b;
    rr_bill_init(&b);
    rr_diags d;
    assert_int_equal(parse_into(&b, "month,target,cost\n"
                                    "2027-01,\"two\nlines\",x\n"
                                    "2027-02,ok,1\n"
                                    "bad,,2\n", NULL, &d),
                     RR_ERR_SCENARIO);
    assert_int_equal(d.n, 3);
    expect_at(&d, 0, 3, 8, "cost: expected a number, got 'x'");
    expect_at(&d, 1, 5, 1, "month: expected YYYY-MM, got 'bad'");
    expect_at(&d, 2, 5, 5, "target: missing");
    assert_int_equal(b.n, 0);
    rr_diags_free(&d);
    rr_bill_free(&b);
}

/* Files append; a bad one leaves the bill as it was. */
static void test_several_files(void **state)
{
    (void)state;
    rr_bill b;
    read_fixture(NULL, &b);
    const size_t ntags = b.ntags;
    rr_diags d;
    rr_diags_init(&d, NULL);
    assert_int_equal(rr_bill_parse(focus, strlen(focus), NULL, &b, &d), RR_OK);
    const char *plain = "month,target,cost\n2027-03,review,4\n";
    assert_int_equal(rr_bill_parse(plain, strlen(plain), NULL, &b, &d), RR_OK);
    assert_int_equal(b.nfiles, 3);
    assert_int_equal(b.n, 13 + 6 + 1);
    assert_int_equal(b.line[13].file, 1);
    assert_int_equal(b.line[13].line, 2);
    assert_int_equal(b.line[19].file, 2);
    assert_string_equal(rr_bill_tag(&b, 13, "application"), "support-agent");
    assert_string_equal(rr_bill_tag(&b, 0, "application"), "support-agent");
    assert_string_equal(rr_bill_field(&b, 13, "ServiceName"), "Amazon Bedrock");
    assert_null(rr_bill_field(&b, 19, "ServiceName"));
    const size_t n = b.n, nt = b.ntags;
    assert_true(nt > ntags);
    const char *bad = HEAD "1,USD,Usage,2027-01-01,Compute,\"{\"\"a\"\":1}\"\n"
                           "x,USD,Usage,2027-01-01,Compute,\n";
    assert_int_equal(rr_bill_parse(bad, strlen(bad), NULL, &b, &d), RR_ERR_SCENARIO);
    assert_int_equal(b.n, n);
    assert_int_equal(b.ntags, nt);
    assert_int_equal(b.nfiles, 3);
    assert_string_equal(rr_bill_tag(&b, 13, "application"), "support-agent");
    rr_diags_free(&d);
    rr_bill_free(&b);
    rr_bill_free(&b);   /* a freed bill is an empty one */
}

static void test_read_errors(void **state)
{
    (void)state;
    rr_bill b;
    rr_bill_init(&b);
    rr_diags d;
    rr_diags_init(&d, "tests/actuals/no-such-bill.csv");
    assert_int_equal(rr_bill_read("tests/actuals/no-such-bill.csv", NULL, &b, &d), RR_ERR_IO);
    expect_at(&d, 0, 0, 0, "cannot open: ");
    assert_int_equal(b.nfiles, 0);
    rr_diags_free(&d);
    /* Not CSV: the reader's message. */
    rr_diags_init(&d, NULL);
    assert_int_equal(rr_bill_parse("a,b\n1,\"x\"y\n", 11, NULL, &b, &d), RR_ERR_SCENARIO);
    expect_at(&d, 0, 2, 6, "after a closing quote");
    rr_diags_free(&d);
    rr_bill_free(&b);
}

/* The shipped example bill (scenarios/actuals/, FOCUS 1.0-preview's columns) reads whole: its
 * sums per kind are the ones written into it. */
static void test_shipped_example(void **state)
{
    (void)state;
    rr_bill b;
    rr_bill_init(&b);
    rr_diags d;
    rr_diags_init(&d, NULL);
    assert_int_equal(rr_bill_read("scenarios/actuals/support-agent-2027q1.focus.csv", NULL, &b,
                                  &d),
                     RR_OK);
    double credit = 0, tax = 0;
    for (size_t i = 0; i < b.n; i++) {
        if (b.line[i].kind == RR_BILL_CREDIT)
            credit += b.line[i].cost;
        else if (b.line[i].kind == RR_BILL_TAX)
            tax += b.line[i].cost;
    }
    assert_int_equal(b.n, 23);
    assert_true(credit == -200.0);
    assert_true(tax > 801.38 - 1e-9 && tax < 801.38 + 1e-9);
    rr_bill_free(&b);
    rr_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_effective_sums),
        cmocka_unit_test(test_fixture_billed_sums),
        cmocka_unit_test(test_fixture_fields_and_tags),
        cmocka_unit_test(test_focus_lines),
        cmocka_unit_test(test_cost_column_choice),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_date_refusals),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_number_refusals),
        cmocka_unit_test(test_missing_currency),
        cmocka_unit_test(test_tags_refusals),
        cmocka_unit_test(test_missing_columns),
        cmocka_unit_test(test_file_kind),
        cmocka_unit_test(test_plain_lines),
        cmocka_unit_test(test_plain_refusals),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_several_files),
        cmocka_unit_test(test_read_errors),
        cmocka_unit_test(test_shipped_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
