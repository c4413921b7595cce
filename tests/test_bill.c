/* test_bill: the strict RFC 4180 reader (actuals/csv.h) and the bill lines read from FOCUS
 * exports and plain actuals (actuals/bill.h): each accepted corner case with its exact cells,
 * lines and columns, each refusal at its exact place. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "actuals/bill.h"
#include "actuals/csv.h"

static rr_status parse(const char *text, rr_csv *c, rr_diags *d)
{
    rr_diags_init(d, NULL);
    return rr_csv_parse(text, strlen(text), c, d);
}

/* The one message of d is at line:col and contains `what`. */
static void expect_error(rr_diags *d, int line, int col, const char *what)
{
    assert_int_equal(d->n, 1);
    if (d->v[0].line != line || d->v[0].col != col || !strstr(d->v[0].msg, what))
        fail_msg("got %d:%d: %s; expected %d:%d: ...%s...", d->v[0].line, d->v[0].col,
                 d->v[0].msg, line, col, what);
    rr_diags_free(d);
}

static void test_csv_corner_cases(void **state)
{
    (void)state;
    rr_csv c;
    rr_diags d;
    /* A BOM, CRLF line ends, a quoted comma, a doubled quote, a line break inside quotes,
     * an empty field, a blank line, no final line end. */
    const char *text = "\xef\xbb\xbf" "a, b ,c\r\n"
                       "1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
                       "2,\"two\nlines\",\r\n"
                       "\r\n"
                       "3,z,last";
    assert_int_equal(parse(text, &c, &d), RR_OK);
    assert_int_equal(c.ncols, 3);
    assert_int_equal(c.nrows, 3);
    assert_string_equal(c.head[1], "b");
    assert_int_equal(rr_csv_column(&c, "c"), 2);
    assert_int_equal(rr_csv_column(&c, "d"), -1);
    assert_string_equal(rr_csv_at(&c, 0, 1), "x, y");
    assert_string_equal(rr_csv_at(&c, 0, 2), "say \"hi\"");
    assert_string_equal(rr_csv_at(&c, 1, 1), "two\nlines");
    assert_string_equal(rr_csv_at(&c, 1, 2), "");
    assert_string_equal(rr_csv_at(&c, 2, 2), "last");
    assert_int_equal(c.line[0], 2);
    assert_int_equal(c.line[1], 3);
    assert_int_equal(c.line[2], 6);   /* after the 2-line record and the blank line */
    assert_int_equal(c.cell_col[0 * 3 + 1], 3);
    assert_int_equal(c.cell_col[2 * 3 + 2], 5);
    rr_csv_free(&c);
    rr_diags_free(&d);
}

static void test_csv_refusals(void **state)
{
    (void)state;
    rr_csv c;
    rr_diags d;
    assert_int_equal(parse("a,b\n1,x\"y\n", &c, &d), RR_ERR_SCENARIO);
    expect_error(&d, 2, 4, "a quote inside an unquoted field");
    assert_int_equal(parse("a,b\n1,\"x\"y\n", &c, &d), RR_ERR_SCENARIO);
    expect_error(&d, 2, 6, "after a closing quote");
    assert_int_equal(parse("a,b\n1,\"never\nends\n", &c, &d), RR_ERR_SCENARIO);
    expect_error(&d, 2, 3, "never ends");
    assert_int_equal(parse("a,b\n1,2,3\n", &c, &d), RR_ERR_SCENARIO);
    expect_error(&d, 2, 1, "a record of 3 fields, where the header has 2");
    assert_int_equal(parse("", &c, &d), RR_ERR_SCENARIO);
    expect_error(&d, 1, 1, "an empty file");
    assert_int_equal(parse("a,a\n1,2\n", &c, &d), RR_ERR_SCENARIO);
    expect_error(&d, 1, 3, "the column 'a' twice");
    rr_diags_init(&d, NULL);
    assert_int_equal(rr_csv_parse("a,b\n1,\0\n", 8, &c, &d), RR_ERR_SCENARIO);
    expect_error(&d, 2, 3, "not a CSV text file: a NUL byte");
    assert_int_equal(parse("a,b\n1,\xff\n", &c, &d), RR_ERR_SCENARIO);
    expect_error(&d, 2, 3, "invalid UTF-8");
}

static const char *const focus =
    "BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,EffectiveCost,"
    "ServiceCategory,ServiceName,Tags\r\n"
    "10.00,USD,Usage,2027-01-01T00:00:00Z,8.50,AI and Machine Learning,Amazon Bedrock,"
    "\"{\"\"application\"\":\"\"support-agent\"\",\"\"n\"\":3}\"\r\n"
    "-2.25,USD,Credit,2027-01-15 10:30:00,-2.25,AI and Machine Learning,Amazon Bedrock,NULL\r\n"
    "4.00,USD,Tax,2027-01-31,4.00,Other,Tax,\r\n"
    "7.75,USD,Usage,2027-02-01T01:00:00+02:00,7.75,Compute,\"Amazon EC2\",{}\r\n";

static void test_focus_lines(void **state)
{
    (void)state;
    rr_bill b;
    rr_bill_init(&b);
    rr_diags d;
    rr_diags_init(&d, NULL);
    assert_int_equal(rr_bill_parse(focus, strlen(focus), NULL, &b, &d), RR_OK);
    assert_int_equal(b.n, 4);
    /* EffectiveCost by default. */
    assert_true(b.line[0].cost == 8.5);
    assert_int_equal(b.line[0].kind, RR_BILL_USAGE);
    assert_int_equal(b.line[0].year, 2027);
    assert_int_equal(b.line[0].month, 1);
    assert_string_equal(rr_bill_tag(&b, 0, "application"), "support-agent");
    assert_string_equal(rr_bill_tag(&b, 0, "n"), "3");
    assert_null(rr_bill_tag(&b, 0, "env"));
    assert_string_equal(rr_bill_field(&b, 0, "ServiceName"), "Amazon Bedrock");
    assert_null(rr_bill_field(&b, 1, "Tags"));   /* NULL is missing */
    assert_null(rr_bill_field(&b, 0, "Region"));  /* no such column */
    assert_true(b.line[1].cost == -2.25);
    assert_int_equal(b.line[1].kind, RR_BILL_CREDIT);
    assert_int_equal(b.line[2].kind, RR_BILL_TAX);
    /* 01:00 at +02:00 is 23:00 UTC the day before: January. */
    assert_int_equal(b.line[3].month, 1);
    assert_int_equal(b.line[3].line, 5);
    assert_string_equal(b.line[3].currency, "USD");
    rr_bill_free(&b);
    /* BilledCost when asked. */
    rr_bill_init(&b);
    assert_int_equal(rr_bill_parse(focus, strlen(focus), "BilledCost", &b, &d), RR_OK);
    assert_true(b.line[0].cost == 10.0);
    rr_bill_free(&b);
    rr_diags_free(&d);
}

static rr_status bill_of(const char *text, rr_diags *d)
{
    rr_bill b;
    rr_bill_init(&b);
    rr_diags_init(d, NULL);
    rr_status st = rr_bill_parse(text, strlen(text), NULL, &b, d);
    if (st != RR_OK)
        assert_int_equal(b.n, 0);   /* nothing of a bad file stays */
    rr_bill_free(&b);
    return st;
}

static void test_bill_refusals(void **state)
{
    (void)state;
    rr_diags d;
    assert_int_equal(bill_of("ChargePeriodStart,BilledCost\n2027-01-01,1\n", &d),
                     RR_ERR_SCENARIO);
    assert_int_equal(d.n, 3);   /* BillingCurrency, ChargeCategory, ServiceCategory */
    assert_non_null(strstr(d.v[0].msg, "without the column BillingCurrency"));
    rr_diags_free(&d);
    const char *head = "BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,"
                       "ServiceCategory,Tags\n";
    char text[512];
    snprintf(text, sizeof text, "%s1,USD,Usage,2027-13-01,Compute,\n", head);
    assert_int_equal(bill_of(text, &d), RR_ERR_SCENARIO);
    expect_error(&d, 2, 13, "ChargePeriodStart: expected a date");
    snprintf(text, sizeof text, "%s1,USD,Usage,2027-02-29,Compute,\n", head);
    assert_int_equal(bill_of(text, &d), RR_ERR_SCENARIO);   /* 2027 is not a leap year */
    expect_error(&d, 2, 13, "got '2027-02-29'");
    snprintf(text, sizeof text, "%s\"1,234.50\",USD,Usage,2027-01-01,Compute,\n", head);
    assert_int_equal(bill_of(text, &d), RR_ERR_SCENARIO);
    expect_error(&d, 2, 1, "no thousands separators");
    snprintf(text, sizeof text, "%sNULL,USD,Usage,2027-01-01,Compute,\n", head);
    assert_int_equal(bill_of(text, &d), RR_ERR_SCENARIO);
    expect_error(&d, 2, 1, "BilledCost: missing");
    snprintf(text, sizeof text, "%s1,USD,Usage,2027-01-01,Compute,\"{\"\"a\"\":{}}\"\n", head);
    assert_int_equal(bill_of(text, &d), RR_ERR_SCENARIO);
    expect_error(&d, 2, 32, "Tags: expected a flat JSON object");
    assert_int_equal(bill_of("month,target\n2027-01,x\n", &d), RR_ERR_SCENARIO);
    expect_error(&d, 1, 1, "neither a FOCUS export");
    assert_int_equal(bill_of("month,target,cost\n2027-1,review,5\n", &d), RR_ERR_SCENARIO);
    expect_error(&d, 2, 1, "month: expected YYYY-MM");
}

static void test_plain_lines(void **state)
{
    (void)state;
    const char *text = "cost,month,target\n9850,2027-01,review\n-5.5,2027-02,oversight\n";
    rr_bill b;
    rr_bill_init(&b);
    rr_diags d;
    rr_diags_init(&d, NULL);
    assert_int_equal(rr_bill_parse(text, strlen(text), NULL, &b, &d), RR_OK);
    assert_int_equal(b.n, 2);
    assert_int_equal(b.line[0].kind, RR_BILL_PLAIN);
    assert_string_equal(b.line[0].target, "review");
    assert_true(b.line[1].cost == -5.5);
    assert_int_equal(b.line[1].month, 2);
    assert_null(b.line[1].currency);
    rr_bill_free(&b);
    rr_diags_free(&d);
}

/* The shipped example bill, in a FOCUS 1.0 export's columns and quoting, reads whole: its
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
    double usage = 0, credit = 0, tax = 0;
    for (size_t i = 0; i < b.n; i++)
        *(b.line[i].kind == RR_BILL_CREDIT ? &credit : b.line[i].kind == RR_BILL_TAX ? &tax
                                                                                 : &usage) +=
            b.line[i].cost;
    assert_int_equal(b.n, 23);
    assert_true(credit == -200.0);
    assert_true(fabs(tax - 801.38) < 1e-9);
    rr_bill_free(&b);
    rr_diags_free(&d);
    (void)usage;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_corner_cases), cmocka_unit_test(test_csv_refusals),
        cmocka_unit_test(test_focus_lines),      cmocka_unit_test(test_bill_refusals),
        cmocka_unit_test(test_plain_lines),      cmocka_unit_test(test_shipped_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
