/* test_csv: the strict RFC 4180 reader (actuals/csv.h): each accepted corner case with its
 * exact cells, lines and columns; each refusal at its exact line:col, naming what was
 * expected; reading files (missing, too large). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "actuals/csv.h"

/* Parse len bytes of text (NULs allowed) into c with fresh diags. */
static rr_status parse_n(const char *text, size_t len, rr_csv *c, rr_diags *d)
{
    rr_diags_init(d, "bill.csv");
    return rr_csv_parse(text, len, c, d);
}

/* Parse text, which must be accepted without messages. */
static void accept(const char *text, rr_csv *c)
{
    rr_diags d;
    const rr_status st = parse_n(text, strlen(text), c, &d);
    if (st != RR_OK || d.n)
        fail_msg("refused: %s at %d:%d", d.n ? d.v[0].msg : "(no message)",
                 d.n ? d.v[0].line : 0, d.n ? d.v[0].col : 0);
    rr_diags_free(&d);
}

/* d holds message i at line:col containing each of what[] (NULL-terminated). */
static void expect_at(const rr_diags *d, size_t i, int line, int col, const char *const *what)
{
    assert_true(d->n > i);
    const rr_diag *m = &d->v[i];
    int ok = m->line == line && m->col == col;
    for (size_t k = 0; what[k]; k++)
        ok = ok && strstr(m->msg, what[k]) != NULL;
    if (!ok)
        fail_msg("got %d:%d: %s; expected %d:%d: ...%s...", m->line, m->col, m->msg, line, col,
                 what[0]);
    /* The caller prints the file's name: the message does not. */
    assert_null(strstr(m->msg, "bill.csv"));
}

/* text (len bytes) is refused with exactly one message, at line:col, containing each of the
 * strings after col; nothing is left in the rr_csv. */
static void refused_n(const char *text, size_t len, int line, int col, ...)
{
    const char *what[8];
    size_t n = 0;
    va_list ap;
    va_start(ap, col);
    while (n < 7 && (what[n] = va_arg(ap, const char *)) != NULL)
        n++;
    va_end(ap);
    what[n] = NULL;
    rr_csv c;
    rr_diags d;
    assert_int_equal(parse_n(text, len, &c, &d), RR_ERR_SCENARIO);
    assert_true(c.ncols == 0 && c.nrows == 0 && !c.head && !c.cell && !c.text);
    if (d.n != 1)
        fail_msg("%zu messages, the first %s", d.n, d.n ? d.v[0].msg : "");
    expect_at(&d, 0, line, col, what);
    rr_diags_free(&d);
}

#define REFUSED(lit, line, col, ...) refused_n(lit, sizeof lit - 1, line, col, __VA_ARGS__, NULL)

static int cell_col(const rr_csv *c, size_t row, size_t col)
{
    return c->cell_col[row * c->ncols + col];
}

static int cell_line(const rr_csv *c, size_t row, size_t col)
{
    return c->cell_line[row * c->ncols + col];
}

/* ---- accepted ---- */

static void test_bom_is_skipped(void **state)
{
    (void)state;
    rr_csv c;
    accept("\xef\xbb\xbf" "a,b\n1,\"2\"\n", &c);
    assert_int_equal(c.ncols, 2);
    assert_string_equal(c.head[0], "a");   /* not "\xef\xbb\xbfa" */
    assert_null(c.head[2]);
    assert_int_equal(c.head_line, 1);
    assert_string_equal(rr_csv_at(&c, 0, 1), "2");
    assert_int_equal(cell_col(&c, 0, 1), 3);
    rr_csv_free(&c);
    /* Line 1's columns count from after the mark. */
    REFUSED("\xef\xbb\xbf" "a,\"b\n", 1, 3, "a quoted field that never ends");
    /* A mark alone, or a mark anywhere but the start, is no header / not skipped. */
    REFUSED("\xef\xbb\xbf", 1, 1, "an empty file");
    accept("a\n\xef\xbb\xbfx\n", &c);
    assert_string_equal(rr_csv_at(&c, 0, 0), "\xef\xbb\xbfx");
    rr_csv_free(&c);
}

static void test_line_ends(void **state)
{
    (void)state;
    rr_csv c;
    /* LF, CRLF, mixed; the line ends are not in the cells. */
    accept("a,b\r\n1,2\n3,4\r\n5,6\n", &c);
    assert_int_equal(c.nrows, 3);
    const char *want[3][2] = { { "1", "2" }, { "3", "4" }, { "5", "6" } };
    for (size_t r = 0; r < 3; r++) {
        assert_int_equal(c.line[r], (int)r + 2);
        for (size_t j = 0; j < 2; j++) {
            assert_string_equal(rr_csv_at(&c, r, j), want[r][j]);
            assert_int_equal(cell_col(&c, r, j), 2 * (int)j + 1);
        }
    }
    rr_csv_free(&c);
    /* The last record without a line end, after LF and after CRLF; a CR ending the text. */
    const char *const last[] = { "a,b\n1,2", "a,b\r\n1,2", "a,b\n1,2\r", "a,b\r\n1,2\r\n" };
    for (size_t k = 0; k < 4; k++) {
        accept(last[k], &c);
        assert_int_equal(c.nrows, 1);
        assert_string_equal(rr_csv_at(&c, 0, 1), "2");
        assert_int_equal(c.line[0], 2);
        rr_csv_free(&c);
    }
    /* A header alone, with or without its line end. */
    accept("a,b", &c);
    assert_int_equal(c.ncols, 2);
    assert_int_equal(c.nrows, 0);
    rr_csv_free(&c);
    accept("a,b\r\n", &c);
    assert_int_equal(c.nrows, 0);
    rr_csv_free(&c);
}

static void test_quoted_fields(void **state)
{
    (void)state;
    rr_csv c;
    accept("a,b,c\n"
           "\"x\"\"y\",\"p,q\",\"\"\n"
           "\"cr\r\nlf\nz\",\"\"\"\"\"\",\"end\"\"\"\n",
           &c);
    assert_int_equal(c.nrows, 2);
    assert_string_equal(rr_csv_at(&c, 0, 0), "x\"y");
    assert_string_equal(rr_csv_at(&c, 0, 1), "p,q");
    assert_string_equal(rr_csv_at(&c, 0, 2), "");
    assert_string_equal(rr_csv_at(&c, 1, 0), "cr\r\nlf\nz");
    assert_string_equal(rr_csv_at(&c, 1, 1), "\"\"");
    assert_string_equal(rr_csv_at(&c, 1, 2), "end\"");
    /* A quoted cell's column is its opening quote's. */
    assert_int_equal(cell_col(&c, 0, 1), 8);
    assert_int_equal(cell_col(&c, 0, 2), 14);
    assert_int_equal(c.line[0], 2);
    assert_int_equal(c.line[1], 3);
    /* The cells after the quoted line breaks are on line 5, counted from its start: z", is
     * 3 bytes. */
    assert_int_equal(cell_line(&c, 1, 0), 3);
    assert_int_equal(cell_col(&c, 1, 0), 1);
    assert_int_equal(cell_line(&c, 1, 1), 5);
    assert_int_equal(cell_col(&c, 1, 1), 4);
    assert_int_equal(cell_line(&c, 1, 2), 5);
    assert_int_equal(cell_col(&c, 1, 2), 11);
    rr_csv_free(&c);
}

static void test_multiline_record_then_next(void **state)
{
    (void)state;
    rr_csv c;
    accept("id,note,n\n"
           "1,\"three\nline\nnote\",7\n"
           "2,plain,8\n",
           &c);
    assert_int_equal(c.nrows, 2);
    assert_string_equal(rr_csv_at(&c, 0, 1), "three\nline\nnote");
    assert_int_equal(c.line[0], 2);
    assert_int_equal(cell_line(&c, 0, 1), 2);
    assert_int_equal(cell_col(&c, 0, 1), 3);
    assert_int_equal(cell_line(&c, 0, 2), 4);
    assert_int_equal(cell_col(&c, 0, 2), 7);   /* note",7 */
    assert_int_equal(c.line[1], 5);
    assert_int_equal(cell_line(&c, 1, 1), 5);
    assert_int_equal(cell_col(&c, 1, 1), 3);
    assert_string_equal(rr_csv_at(&c, 1, 2), "8");
    rr_csv_free(&c);
}

static void test_empty_fields(void **state)
{
    (void)state;
    rr_csv c;
    accept("a,b,c\n,,\n,x,\n\"\",,\"\"", &c);
    assert_int_equal(c.nrows, 3);
    for (size_t j = 0; j < 3; j++) {
        assert_string_equal(rr_csv_at(&c, 0, j), "");
        assert_int_equal(cell_col(&c, 0, j), (int)j + 1);
    }
    assert_string_equal(rr_csv_at(&c, 1, 1), "x");
    assert_int_equal(cell_col(&c, 2, 2), 5);
    rr_csv_free(&c);
    /* One column: an empty cell needs quotes, else the line is blank. */
    accept("a\n\"\"\n\nb\n", &c);
    assert_int_equal(c.nrows, 2);
    assert_string_equal(rr_csv_at(&c, 0, 0), "");
    assert_string_equal(rr_csv_at(&c, 1, 0), "b");
    assert_int_equal(c.line[1], 4);
    rr_csv_free(&c);
}

static void test_header(void **state)
{
    (void)state;
    rr_csv c;
    /* Names are trimmed of spaces and tabs; cells are not. */
    accept(" month , target\t,\" cost \"\n 2027-01 ,x,1\n", &c);
    assert_string_equal(c.head[0], "month");
    assert_string_equal(c.head[1], "target");
    assert_string_equal(c.head[2], "cost");
    assert_string_equal(rr_csv_at(&c, 0, 0), " 2027-01 ");
    /* Exact and case-sensitive. */
    assert_int_equal(rr_csv_column(&c, "cost"), 2);
    assert_int_equal(rr_csv_column(&c, "Cost"), -1);
    assert_int_equal(rr_csv_column(&c, "cos"), -1);
    assert_int_equal(rr_csv_column(&c, ""), -1);
    rr_csv_free(&c);
    /* Blank lines before the header: it starts on its own line. */
    accept("\n\r\nk,v\n1,2\n", &c);
    assert_int_equal(c.head_line, 3);
    assert_int_equal(c.line[0], 4);
    rr_csv_free(&c);
}

static void test_blank_lines_are_skipped(void **state)
{
    (void)state;
    rr_csv c;
    accept("a,b\n1,2\n\n\r\n3,4\n\n\n", &c);
    assert_int_equal(c.nrows, 2);
    assert_int_equal(c.line[0], 2);
    assert_int_equal(c.line[1], 5);
    assert_string_equal(rr_csv_at(&c, 1, 0), "3");
    rr_csv_free(&c);
}

static void test_utf8_columns_count_bytes(void **state)
{
    (void)state;
    rr_csv c;
    accept("name,x\nZo\xc3\xab \xe2\x82\xac \xf0\x9f\x98\x80,y\n", &c);
    assert_string_equal(rr_csv_at(&c, 0, 0), "Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x98\x80");
    assert_int_equal(cell_col(&c, 0, 1), 15);   /* 2 + 2 + 1 + 3 + 1 + 4 bytes, a comma */
    rr_csv_free(&c);
}

static void test_free_accepts_zeroed_and_freed(void **state)
{
    (void)state;
    rr_csv c;
    memset(&c, 0, sizeof c);
    rr_csv_free(&c);
    accept("a\n1\n", &c);
    rr_csv_free(&c);
    rr_csv_free(&c);
    assert_null(c.cell);
}

/* ---- refused ---- */

static void test_binary_input(void **state)
{
    (void)state;
    REFUSED("a,b\n1,\0\n", 2, 3, "not a CSV text file: a NUL byte", "expected UTF-8 text");
    REFUSED("a,b\n1,\xff\n", 2, 3, "not a CSV text file: invalid UTF-8");
    REFUSED("a,b\n1,x\xc0\xaf\n", 2, 4, "invalid UTF-8");            /* overlong '/' */
    REFUSED("a,b\n1,\xed\xa0\x80\n", 2, 3, "invalid UTF-8");         /* a surrogate */
    REFUSED("a,b\n1,\xf4\x90\x80\x80\n", 2, 3, "invalid UTF-8");     /* past U+10FFFF */
    REFUSED("a,b\n1,x\xe2\x82", 2, 4, "invalid UTF-8");              /* cut short */
    REFUSED("a,\"b\n\xe2\x82\xac\x80\"\n", 2, 4, "invalid UTF-8");   /* inside quotes too */
    /* Checked before the syntax: binary input gets one message, at its first bad byte. */
    REFUSED("a,\"b\n\0", 2, 1, "a NUL byte");
    REFUSED("\x7f" "ELF\x02\x01\x01\0\0", 1, 8, "not a CSV text file");
}

static void test_quote_in_unquoted_field(void **state)
{
    (void)state;
    REFUSED("a,b\n1,x\"y\n", 2, 4, "a quote inside an unquoted field",
            "expected the whole field in quotes");
    REFUSED("a\"b\n", 1, 2, "a quote inside an unquoted field");
    REFUSED("a,b\n1, \"x\"\n", 2, 4, "a quote inside an unquoted field");
}

static void test_text_after_closing_quote(void **state)
{
    (void)state;
    REFUSED("a,b\n1,\"x\"y\n", 2, 6, "'y' after a closing quote",
            "expected a comma or the end of the line");
    REFUSED("a,b\n1,\"x\" \n", 2, 6, "a space after a closing quote");
    REFUSED("a,b\n\"1\"\"\"x\",2\n", 2, 6, "'x' after a closing quote");
    REFUSED("a,b\n1,\"x\"\ry\n", 2, 6, "a carriage return without a line feed after a "
            "closing quote");
    REFUSED("a,b\n1,\"x\"\xe2\x82\xac\n", 2, 6, "'\xe2\x82\xac' after a closing quote");
}

static void test_bare_carriage_return(void **state)
{
    (void)state;
    REFUSED("a,b\n1,x\ry\n", 2, 4, "a carriage return without a line feed",
            "expected LF or CRLF line ends");
    REFUSED("a,b\r1,2\n", 1, 4, "a carriage return without a line feed");
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    /* At the opening quote, however far the text runs after it. */
    REFUSED("a,b\n1,\"never\nends\n", 2, 3, "a quoted field that never ends",
            "expected a closing quote");
    REFUSED("a,b\n1,2\n3,\"x\"\"", 3, 3, "a quoted field that never ends");
    REFUSED("\"", 1, 1, "a quoted field that never ends");
}

static void test_field_counts(void **state)
{
    (void)state;
    /* Too many: at the first field too many. */
    REFUSED("a,b\n1,2,3\n", 2, 5, "a record of 3 fields, where the header has 2", "expected 2",
            "a field that holds a comma needs quotes");
    REFUSED("a,b\n1,2,\n", 2, 5, "a record of 3 fields");
    /* Too few: at the record's start. */
    REFUSED("a,b,c\n1,2\n", 2, 1, "a record of 2 fields, where the header has 3",
            "expected 3");
    REFUSED("a,b\n1\n", 2, 1, "a record of 1 field, where");
    /* A record after a multi-line one: its own line. */
    REFUSED("a,b\n\"x\ny\",1\n2\n", 4, 1, "a record of 1 field");
    /* In a multi-line record, the extra field's own line. */
    REFUSED("a,b\n\"x\ny\",1,2\n", 3, 6, "a record of 3 fields");
    /* Every such record is reported. */
    rr_csv c;
    rr_diags d;
    assert_int_equal(parse_n("a,b\n1\n2,3\n4,5,6\n", 16, &c, &d), RR_ERR_SCENARIO);
    assert_int_equal(d.n, 2);
    expect_at(&d, 0, 2, 1, (const char *const[]){ "a record of 1 field", NULL });
    expect_at(&d, 1, 4, 5, (const char *const[]){ "a record of 3 fields", NULL });
    rr_diags_free(&d);
}

static void test_empty_file(void **state)
{
    (void)state;
    REFUSED("", 1, 1, "an empty file", "expected a header row of column names");
    REFUSED("\n\r\n\n", 1, 1, "an empty file");
}

static void test_duplicate_header(void **state)
{
    (void)state;
    REFUSED("a,b,a\n1,2,3\n", 1, 5, "the column 'a' twice in the header",
            "expected each name once", "the first is column 1");
    /* After trimming. */
    REFUSED("cost, cost\n", 1, 6, "the column 'cost' twice");
    /* A name with a line break: shown on one line, at the second's own line. */
    REFUSED("\"a\nb\",\"a\nb\"\n", 2, 4, "the column 'a b' twice");
}

static void test_shown(void **state)
{
    (void)state;
    char buf[RR_CSV_SHOWN];
    assert_string_equal(rr_csv_shown("two\nlines\r\tx", buf), "two lines  x");
    /* 59 bytes, then a 2-byte character that would pass the 60 shown. */
    char v[80];
    memset(v, 'x', 59);
    strcpy(v + 59, "\xc3\xa9 and more");
    rr_csv_shown(v, buf);
    assert_int_equal(strlen(buf), 62);
    assert_string_equal(buf + 56, "xxx...");
    v[58] = '\0';
    assert_string_equal(rr_csv_shown(v, buf), v);
}

static void test_too_many_lines(void **state)
{
    (void)state;
    /* RR_CSV_MAX_LINES lines are read; one more is refused. */
    const size_t n = (size_t)RR_CSV_MAX_LINES + 2;
    char *text = malloc(n);
    assert_non_null(text);
    text[0] = 'a';
    memset(text + 1, '\n', n - 2);
    text[n - 1] = 'b';
    rr_csv c;
    rr_diags d;
    assert_int_equal(parse_n(text, n - 1, &c, &d), RR_OK);
    assert_int_equal(c.nrows, 0);
    rr_csv_free(&c);
    rr_diags_free(&d);
    assert_int_equal(parse_n(text, n, &c, &d), RR_ERR_SCENARIO);
    expect_at(&d, 0, 0, 0, (const char *const[]){ "more than 16777215 lines", NULL });
    rr_diags_free(&d);
    free(text);
}

/* ---- files ---- */

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_read_file(void **state)
{
    (void)state;
    char path[] = "/tmp/test_csv_XXXXXX";
    const int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const char text[] = "\xef\xbb\xbfk,v\r\n\"a\r\nb\",1\r\n";
    write_file(path, text, sizeof text - 1);
    rr_csv c;
    rr_diags d;
    rr_diags_init(&d, path);
    assert_int_equal(rr_csv_read(path, &c, &d), RR_OK);
    assert_int_equal(d.n, 0);
    assert_string_equal(rr_csv_at(&c, 0, 0), "a\r\nb");
    assert_int_equal(c.line[0], 2);
    rr_csv_free(&c);
    rr_diags_free(&d);
    /* Over the limit: refused from its size, unread (the file is sparse). */
    assert_int_equal(truncate(path, (off_t)RR_CSV_MAX_BYTES + 1), 0);
    rr_diags_init(&d, path);
    assert_int_equal(rr_csv_read(path, &c, &d), RR_ERR_SCENARIO);
    expect_at(&d, 0, 0, 0, (const char *const[]){ "larger than 256 MiB", NULL });
    assert_null(c.cell);
    rr_diags_free(&d);
    unlink(path);
    /* Gone: cannot open, with the system's reason. */
    rr_diags_init(&d, path);
    assert_int_equal(rr_csv_read(path, &c, &d), RR_ERR_IO);
    expect_at(&d, 0, 0, 0, (const char *const[]){ "cannot open: No such file", NULL });
    rr_diags_free(&d);
    /* A directory opens but does not read. */
    rr_diags_init(&d, "/tmp");
    assert_int_equal(rr_csv_read("/tmp", &c, &d), RR_ERR_IO);
    expect_at(&d, 0, 0, 0, (const char *const[]){ "cannot read", NULL });
    rr_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bom_is_skipped),
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_quoted_fields),
        cmocka_unit_test(test_multiline_record_then_next),
        cmocka_unit_test(test_empty_fields),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_blank_lines_are_skipped),
        cmocka_unit_test(test_utf8_columns_count_bytes),
        cmocka_unit_test(test_free_accepts_zeroed_and_freed),
        cmocka_unit_test(test_binary_input),
        cmocka_unit_test(test_quote_in_unquoted_field),
        cmocka_unit_test(test_text_after_closing_quote),
        cmocka_unit_test(test_bare_carriage_return),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_field_counts),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_duplicate_header),
        cmocka_unit_test(test_too_many_lines),
        cmocka_unit_test(test_shown),
        cmocka_unit_test(test_read_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
