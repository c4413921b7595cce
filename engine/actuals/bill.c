/* bill: see bill.h.  A file's cells stay in the bill (its rr_csv), so that lines borrow their
 * currency and target and any column stays readable; tags are copied out of their JSON. */
#include "actuals/bill.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rr_bill_init(rr_bill *b)
{
    memset(b, 0, sizeof *b);
}

void rr_bill_free(rr_bill *b)
{
    for (size_t i = 0; i < b->nfiles; i++)
        rr_csv_free(&b->files[i]);
    free(b->files);
    for (size_t i = 0; i < b->ntags; i++)
        free(b->tags[i].key);
    free(b->tags);
    free(b->line);
    memset(b, 0, sizeof *b);
}

static int missing(const char *v)
{
    return !v || !v[0] || strcmp(v, "NULL") == 0;
}

/* ---- numbers ---- */

static size_t ndigits(const char *p)
{
    return strspn(p, "0123456789");
}

/* [+-] then digits with an optional fraction (or a fraction alone), then an optional
 * exponent, and nothing else: what strtod reads in the C locale, less hexadecimal, inf, nan
 * and surrounding space. */
static int is_decimal(const char *p)
{
    if (*p == '+' || *p == '-')
        p++;
    const size_t whole = ndigits(p);
    p += whole;
    size_t frac = 0;
    if (*p == '.') {
        p++;
        frac = ndigits(p);
        p += frac;
    }
    if (!whole && !frac)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        const size_t e = ndigits(p);
        if (!e)
            return 0;
        p += e;
    }
    return *p == '\0';
}

/* Why v, not a number, is not one: " (...)" for the usual mistakes, else "". */
static const char *not_a_number(const char *v)
{
    if (strchr(v, '$') || strstr(v, "\xe2\x82\xac") || strstr(v, "\xc2\xa3") ||
        strstr(v, "\xc2\xa5") || strstr(v, "\xe2\x82\xb9"))
        return " (no currency symbols)";
    for (const char *p = v; p[0] && p[1] && p[2]; p++)
        if (p[0] >= 'A' && p[0] <= 'Z' && p[1] >= 'A' && p[1] <= 'Z' && p[2] >= 'A' &&
            p[2] <= 'Z' && strncmp(p, "INF", 3) != 0 && strncmp(p, "NAN", 3) != 0)
            return " (no currency codes)";
    if (strchr(v, ',')) {
        /* 1,234.50 or 1,234: thousands; 12,5 or 1.234,50: a decimal comma. */
        for (const char *p = strchr(v, ','); p; p = strchr(p + 1, ','))
            if (ndigits(p + 1) != 3)
                return " (no decimal comma: the decimal mark is '.', and no thousands "
                       "separators)";
        return " (no thousands separators)";
    }
    if (strpbrk(v, " \t"))
        return " (no spaces)";
    return "";
}

/* A whole cell as a finite number: 0, or -1 with why (" (...)" or "") set. */
static int parse_number(const char *v, double *out, const char **why)
{
    *why = "";
    if (!is_decimal(v)) {
        *why = not_a_number(v);
        return -1;
    }
    const double x = strtod(v, NULL);
    if (!isfinite(x)) {
        *why = " (out of range)";
        return -1;
    }
    *out = x;
    return 0;
}

/* ---- dates ---- */

static int days_in(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    const int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : d[m - 1];
}

/* Exactly n digits at *p into *out, advancing. */
static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        const char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        v = 10 * v + (c - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

/* The character c at *p, advancing past it: 0, or -1 when *p is something else. */
static int lit(const char **p, char c)
{
    if (**p != c)
        return -1;
    (*p)++;
    return 0;
}

/* The calendar month in UTC of a date or date-time (bill.h): 0, or -1 with why set to
 * " (...)" when a field is out of range, else "". */
static int parse_datetime(const char *v, int *year, int *month, char *why, size_t size)
{
    const char *p = v;
    int y, mo, d, h = 0, mi = 0, s = 0;
    why[0] = '\0';
    if (digits(&p, 4, &y) || lit(&p, '-') || digits(&p, 2, &mo) || lit(&p, '-') ||
        digits(&p, 2, &d))
        return -1;
    if (mo < 1 || mo > 12) {
        snprintf(why, size, " (no month %02d)", mo);
        return -1;
    }
    if (d < 1 || d > days_in(y, mo)) {
        snprintf(why, size, " (%04d-%02d has %d days)", y, mo, days_in(y, mo));
        return -1;
    }
    int offset = 0;   /* minutes east of UTC */
    if (*p == ' ' || *p == 'T') {
        p++;
        if (digits(&p, 2, &h) || lit(&p, ':') || digits(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &s))
                return -1;
            if (*p == '.') {
                p++;
                const size_t f = ndigits(p);
                if (!f)
                    return -1;
                p += f;
            }
        }
        if (h > 23 || mi > 59 || s > 60) {   /* 60: a leap second */
            snprintf(why, size, " (no time %02d:%02d:%02d)", h, mi, s);
            return -1;
        }
        if (*p == 'Z') {
            p++;
        } else if (strcmp(p, " UTC") == 0) {
            p += 4;
        } else if (*p == '+' || *p == '-') {
            const int sign = *p++ == '-' ? -1 : 1;
            int oh, om;
            if (digits(&p, 2, &oh) || lit(&p, ':') || digits(&p, 2, &om))
                return -1;
            if (oh > 14 || om > 59) {
                snprintf(why, size, " (no UTC offset %02d:%02d)", oh, om);
                return -1;
            }
            offset = sign * (60 * oh + om);
        }
    }
    if (*p)
        return -1;
    /* The time less the offset moves the day at most one either way (|offset| < 15 h). */
    const int minutes = 60 * h + mi - offset;
    d += minutes < 0 ? -1 : minutes >= 24 * 60 ? 1 : 0;
    if (d < 1) {
        if (--mo < 1) {
            mo = 12;
            y--;
        }
    } else if (d > days_in(y, mo)) {
        if (++mo > 12) {
            mo = 1;
            y++;
        }
    }
    *year = y;
    *month = mo;
    return 0;
}

int rr_bill_parse_month(const char *s, int *year, int *month)
{
    const char *p = s;
    int y, m;
    if (digits(&p, 4, &y) || lit(&p, '-') || digits(&p, 2, &m) || *p || m < 1 || m > 12)
        return -1;
    *year = y;
    *month = m;
    return 0;
}

/* ---- Tags: a flat JSON object ---- */

typedef struct json {
    const char *v;                   /* the cell */
    const char *p;                   /* the read position */
    const char *expected;            /* what a syntax error expected at p */
} json;

static void skip_ws(json *J)
{
    while (*J->p == ' ' || *J->p == '\t' || *J->p == '\n' || *J->p == '\r')
        J->p++;
}

static int fail(json *J, const char *expected)
{
    J->expected = expected;
    return -1;
}

static int hex4(const char *s, unsigned *u)
{
    *u = 0;
    for (int i = 0; i < 4; i++) {   /* stops at a NUL: never reads past the cell */
        const char c = s[i];
        const int x = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (x < 0)
            return -1;
        *u = 16 * *u + (unsigned)x;
    }
    return 0;
}

static size_t put_utf8(char *out, unsigned u)
{
    if (u < 0x80) {
        out[0] = (char)u;
        return 1;
    }
    if (u < 0x800) {
        out[0] = (char)(0xc0 | (u >> 6));
        out[1] = (char)(0x80 | (u & 0x3f));
        return 2;
    }
    if (u < 0x10000) {
        out[0] = (char)(0xe0 | (u >> 12));
        out[1] = (char)(0x80 | ((u >> 6) & 0x3f));
        out[2] = (char)(0x80 | (u & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (u >> 18));
    out[1] = (char)(0x80 | ((u >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((u >> 6) & 0x3f));
    out[3] = (char)(0x80 | (u & 0x3f));
    return 4;
}

/* The string at J->p (its opening quote) into out, unescaped; advances past its closing
 * quote.  out needs no more bytes than the string's source. */
static int json_string(json *J, char *out)
{
    size_t k = 0;
    J->p++;
    for (;;) {
        const unsigned char c = (unsigned char)*J->p;
        if (c == '"')
            break;
        if (c == '\0')
            return fail(J, "a closing quote");
        if (c < 0x20)
            return fail(J, "a control character escaped (\\n, \\t, \\u001f ...)");
        if (c != '\\') {
            out[k++] = (char)c;
            J->p++;
            continue;
        }
        const char *backslash = J->p;
        J->p++;
        static const char escapes[] = "\"\\/bfnrt", meant[] = "\"\\/\b\f\n\r\t";
        const char e = *J->p;
        const char *simple = e ? strchr(escapes, e) : NULL;
        if (simple) {
            out[k++] = meant[simple - escapes];
            J->p++;
            continue;
        }
        unsigned u;
        if (e != 'u' || hex4(J->p + 1, &u)) {
            J->p = backslash;
            return fail(J, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hex "
                           "digits)");
        }
        J->p += 5;
        if (u >= 0xdc00 && u <= 0xdfff) {
            J->p = backslash;
            return fail(J, "a high surrogate before this low one");
        }
        if (u >= 0xd800 && u <= 0xdbff) {
            unsigned lo;
            if (J->p[0] != '\\' || J->p[1] != 'u' || hex4(J->p + 2, &lo) || lo < 0xdc00 ||
                lo > 0xdfff) {
                J->p = backslash;
                return fail(J, "a low surrogate (\\udc00-\\udfff) after a high one");
            }
            J->p += 6;
            u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
        }
        if (u == 0) {
            J->p = backslash;
            return fail(J, "a character other than \\u0000 (NUL)");
        }
        k += put_utf8(out + k, u);
    }
    out[k] = '\0';
    J->p++;
    return 0;
}

/* A JSON number at J->p into out, as written. */
static int json_number(json *J, char *out)
{
    const char *s = J->p;
    if (*J->p == '-')
        J->p++;
    const size_t whole = ndigits(J->p);
    if (!whole)
        return fail(J, "a digit");
    if (J->p[0] == '0' && whole > 1)
        return fail(J, "a number without leading zeros");
    J->p += whole;
    if (*J->p == '.') {
        J->p++;
        const size_t f = ndigits(J->p);
        if (!f)
            return fail(J, "digits after the decimal point");
        J->p += f;
    }
    if (*J->p == 'e' || *J->p == 'E') {
        J->p++;
        if (*J->p == '+' || *J->p == '-')
            J->p++;
        const size_t e = ndigits(J->p);
        if (!e)
            return fail(J, "the exponent's digits");
        J->p += e;
    }
    memcpy(out, s, (size_t)(J->p - s));
    out[J->p - s] = '\0';
    return 0;
}

static int add_tag(rr_bill *b, const char *key, const char *value)
{
    if (b->ntags == b->tcap) {
        size_t cap = b->tcap ? 2 * b->tcap : 64;
        rr_bill_kv *t = realloc(b->tags, cap * sizeof *t);
        if (!t)
            return -1;
        b->tags = t;
        b->tcap = cap;
    }
    const size_t kl = strlen(key) + 1, vl = value ? strlen(value) + 1 : 0;
    char *blk = malloc(kl + vl);
    if (!blk)
        return -1;
    memcpy(blk, key, kl);
    if (value)
        memcpy(blk + kl, value, vl);
    rr_bill_kv *kv = &b->tags[b->ntags++];
    kv->key = blk;
    kv->value = value ? blk + kl : NULL;
    return 0;
}

/* One key and its value into b's tags (those from t0 are this cell's): 0, -1 (msg), -2. */
static int json_member(json *J, rr_bill *b, size_t t0, char *buf, char *msg, size_t size)
{
    if (*J->p != '"')
        return fail(J, "a key in double quotes");
    if (json_string(J, buf))
        return -1;
    char *val = buf + strlen(buf) + 1;
    char kb[RR_CSV_SHOWN];
    for (size_t t = t0; t < b->ntags; t++)
        if (strcmp(b->tags[t].key, buf) == 0) {
            snprintf(msg, size, "expected a flat JSON object with each key once, got '%s' "
                     "twice", rr_csv_shown(buf, kb));
            return -1;
        }
    skip_ws(J);
    if (*J->p != ':')
        return fail(J, "':' after the key");
    J->p++;
    skip_ws(J);
    const char c = *J->p;
    int null = 0;
    if (c == '{' || c == '[') {
        snprintf(msg, size, "expected a flat JSON object, but the value of '%s' is %s "
                 "(a tag's value is a string, a number, true, false or null)",
                 rr_csv_shown(buf, kb), c == '{' ? "an object" : "an array");
        return -1;
    }
    if (c == '"') {
        if (json_string(J, val))
            return -1;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        if (json_number(J, val))
            return -1;
    } else if (strncmp(J->p, "true", 4) == 0 || strncmp(J->p, "false", 5) == 0) {
        const size_t n = c == 't' ? 4 : 5;
        memcpy(val, J->p, n);
        val[n] = '\0';
        J->p += n;
    } else if (strncmp(J->p, "null", 4) == 0) {
        null = 1;
        J->p += 4;
    } else {
        return fail(J, "a value (a string, a number, true, false or null)");
    }
    return add_tag(b, buf, null ? NULL : val) ? -2 : 0;
}

/* A Tags cell into b's tags: 0, -1 (what was wrong in msg, after "Tags: "), -2 (memory). */
static int parse_tags(rr_bill *b, const char *v, char *msg, size_t size)
{
    /* A key and its value, unescaped, are no longer than their source. */
    char *buf = malloc(strlen(v) + 2);
    if (!buf)
        return -2;
    json J = { v, v, NULL };
    const size_t t0 = b->ntags;
    msg[0] = '\0';
    int rc = 0;
    skip_ws(&J);
    if (*J.p != '{') {
        rc = fail(&J, "'{'");
    } else {
        J.p++;
        skip_ws(&J);
        if (*J.p == '}')
            J.p++;
        else
            for (;;) {
                if ((rc = json_member(&J, b, t0, buf, msg, size)) != 0)
                    break;
                skip_ws(&J);
                if (*J.p == '}') {
                    J.p++;
                    break;
                }
                if (*J.p != ',') {
                    rc = fail(&J, "',' or '}' after a value");
                    break;
                }
                J.p++;
                skip_ws(&J);
            }
        if (rc == 0) {
            skip_ws(&J);
            if (*J.p)
                rc = fail(&J, "nothing after the object's closing '}'");
        }
    }
    free(buf);
    if (rc == -1 && !msg[0]) {
        char vb[RR_CSV_SHOWN];
        snprintf(msg, size, "expected a flat JSON object ({\"key\": \"value\", ...}), got '%s' "
                 "(at its byte %zu: expected %s)", rr_csv_shown(v, vb), (size_t)(J.p - v) + 1,
                 J.expected);
    }
    return rc;
}

/* ---- reading ---- */

static int push_line(rr_bill *b, const rr_bill_line *l)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 256;
        rr_bill_line *nl = realloc(b->line, cap * sizeof *nl);
        if (!nl)
            return -1;
        b->line = nl;
        b->cap = cap;
    }
    b->line[b->n++] = *l;
    return 0;
}

static rr_bill_kind kind_of(const char *v)
{
    static const char *const names[] = { "Usage", "Purchase", "Credit", "Adjustment", "Tax" };
    for (int k = 0; k < 5; k++)
        if (v && strcmp(v, names[k]) == 0)
            return (rr_bill_kind)k;
    return RR_BILL_OTHER;
}

/* A message at row r's cell of column j; needs `d` and `bad` in scope. */
#define CELL_ERR(c, r, j, ...)                                                             \
    do {                                                                                   \
        const size_t at_ = (r) * (c)->ncols + (size_t)(j);                                 \
        rr_diags_add(d, (c)->cell_line[at_], (c)->cell_col[at_], __VA_ARGS__);             \
        bad = 1;                                                                           \
    } while (0)

/* a and b the same but for case, spaces, '_' and '-' (charge_period_start, "Charge Period
 * Start"). */
static int loosely_equal(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ' || *a == '_' || *a == '-')
            a++;
        while (*b == ' ' || *b == '_' || *b == '-')
            b++;
        const char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        const char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return 0;
        if (!x)
            return 1;
        a++;
        b++;
    }
}

/* "; the header's 'X' is written NAME in FOCUS" when the header names the column `name`
 * another way, else "".  Closer matches (edit distance) are left out: ChargePeriodEnd is not
 * a typo of ChargePeriodStart. */
static const char *named_otherwise(const rr_csv *c, const char *name, char *buf, size_t size)
{
    char nb[RR_CSV_SHOWN];
    for (size_t j = 0; j < c->ncols; j++)
        if (loosely_equal(c->head[j], name)) {
            snprintf(buf, size, "; the header's '%s' is written %s in FOCUS",
                     rr_csv_shown(c->head[j], nb), name);
            return buf;
        }
    return "";
}

/* The lines of a FOCUS export: 0, -1 (reported), -2 (memory). */
static int read_focus(rr_bill *b, const rr_csv *c, size_t file, const char *cost_column,
                      rr_diags *d)
{
    const char *cost_name = cost_column ? cost_column
                            : rr_csv_column(c, "EffectiveCost") >= 0 ? "EffectiveCost"
                                                                     : "BilledCost";
    const char *const required[] = { "ChargePeriodStart", "BillingCurrency", "ChargeCategory",
                                     "ServiceCategory", cost_name };
    int bad = 0;
    for (size_t k = 0; k < 5; k++)
        if (rr_csv_column(c, required[k]) < 0) {
            char tb[2 * RR_CSV_SHOWN + 40];
            rr_diags_add(d, c->head_line, 1, "a FOCUS export without the column %s%s "
                         "(expected the columns ChargePeriodStart, BillingCurrency, "
                         "ChargeCategory, ServiceCategory and %s)%s", required[k],
                         k == 4 && cost_column ? ", the cost column asked for" : "", cost_name,
                         named_otherwise(c, required[k], tb, sizeof tb));
            bad = 1;
        }
    if (bad)
        return -1;
    const long jt = rr_csv_column(c, "ChargePeriodStart"), jc = rr_csv_column(c, cost_name),
               jcur = rr_csv_column(c, "BillingCurrency"), jk = rr_csv_column(c, "ChargeCategory"),
               jtags = rr_csv_column(c, "Tags");
    for (size_t r = 0; r < c->nrows; r++) {
        rr_bill_line l = { .file = file, .row = r, .line = c->line[r], .tag0 = b->ntags };
        const char *t = rr_csv_at(c, r, (size_t)jt), *v = rr_csv_at(c, r, (size_t)jc),
                   *cur = rr_csv_at(c, r, (size_t)jcur), *why;
        char vb[RR_CSV_SHOWN], wb[48];
        if (missing(t))
            CELL_ERR(c, r, jt, "ChargePeriodStart: missing (expected the charge's date)");
        else if (parse_datetime(t, &l.year, &l.month, wb, sizeof wb) != 0)
            CELL_ERR(c, r, jt, "ChargePeriodStart: expected a date (YYYY-MM-DD) or a date-time "
                     "(YYYY-MM-DD HH:MM:SS, YYYY-MM-DDTHH:MM:SSZ), got '%s'%s",
                     rr_csv_shown(t, vb), wb);
        if (missing(v))
            CELL_ERR(c, r, jc, "%s: missing (expected the line's cost)", cost_name);
        else if (parse_number(v, &l.cost, &why) != 0)
            CELL_ERR(c, r, jc, "%s: expected a number, got '%s'%s", cost_name,
                     rr_csv_shown(v, vb), why);
        if (missing(cur))
            CELL_ERR(c, r, jcur, "BillingCurrency: missing (expected the currency's code, "
                     "such as USD)");
        l.currency = cur;
        l.kind = kind_of(missing(rr_csv_at(c, r, (size_t)jk)) ? NULL
                                                               : rr_csv_at(c, r, (size_t)jk));
        if (jtags >= 0 && !missing(rr_csv_at(c, r, (size_t)jtags))) {
            char msg[256];
            const int rc = parse_tags(b, rr_csv_at(c, r, (size_t)jtags), msg, sizeof msg);
            if (rc == -2)
                return -2;
            if (rc == -1)
                CELL_ERR(c, r, jtags, "Tags: %s", msg);
        }
        l.ntags = b->ntags - l.tag0;
        if (!bad && push_line(b, &l))
            return -2;
    }
    return bad ? -1 : 0;
}

/* The rows of a month,target,cost file: 0, -1 (reported), -2 (memory). */
static int read_plain(rr_bill *b, const rr_csv *c, size_t file, rr_diags *d)
{
    const long jm = rr_csv_column(c, "month"), jt = rr_csv_column(c, "target"),
               jc = rr_csv_column(c, "cost");
    int bad = 0;
    for (size_t r = 0; r < c->nrows; r++) {
        rr_bill_line l = { .file = file, .row = r, .line = c->line[r], .kind = RR_BILL_PLAIN,
                           .tag0 = b->ntags };
        const char *m = rr_csv_at(c, r, (size_t)jm), *t = rr_csv_at(c, r, (size_t)jt),
                   *v = rr_csv_at(c, r, (size_t)jc), *why;
        char vb[RR_CSV_SHOWN];
        if (missing(m))
            CELL_ERR(c, r, jm, "month: missing (expected YYYY-MM)");
        else if (rr_bill_parse_month(m, &l.year, &l.month) != 0)
            CELL_ERR(c, r, jm, "month: expected YYYY-MM, got '%s'", rr_csv_shown(m, vb));
        if (missing(t))
            CELL_ERR(c, r, jt, "target: missing (expected a component or a category)");
        l.target = t;
        if (missing(v))
            CELL_ERR(c, r, jc, "cost: missing (expected a number)");
        else if (parse_number(v, &l.cost, &why) != 0)
            CELL_ERR(c, r, jc, "cost: expected a number, got '%s'%s", rr_csv_shown(v, vb), why);
        if (!bad && push_line(b, &l))
            return -2;
    }
    return bad ? -1 : 0;
}

/* Take c (its cells become the bill's) and read its lines. */
static rr_status add_file(rr_bill *b, rr_csv *c, const char *cost_column, rr_diags *d)
{
    rr_csv *files = realloc(b->files, (b->nfiles + 1) * sizeof *files);
    if (!files) {
        rr_csv_free(c);
        return RR_ERR_NOMEM;
    }
    b->files = files;
    const size_t n0 = b->n, t0 = b->ntags, file = b->nfiles;
    b->files[b->nfiles++] = *c;
    const rr_csv *f = &b->files[file];
    int rc;
    if (rr_csv_column(f, "ChargePeriodStart") >= 0) {
        rc = read_focus(b, f, file, cost_column, d);
    } else if (f->ncols == 3 && rr_csv_column(f, "month") >= 0 &&
               rr_csv_column(f, "target") >= 0 && rr_csv_column(f, "cost") >= 0) {
        rc = read_plain(b, f, file, d);
    } else {
        char tb[2 * RR_CSV_SHOWN + 40];
        rr_diags_add(d, f->head_line, 1, "neither a FOCUS export (expected a header with "
                     "ChargePeriodStart) nor plain actuals (expected the header "
                     "month,target,cost, in any order, and no other column)%s",
                     named_otherwise(f, "ChargePeriodStart", tb, sizeof tb));
        rc = -1;
    }
    if (rc == 0)
        return RR_OK;
    /* Nothing of a bad file stays. */
    for (size_t i = t0; i < b->ntags; i++)
        free(b->tags[i].key);
    b->ntags = t0;
    b->n = n0;
    rr_csv_free(&b->files[--b->nfiles]);
    return rc == -2 ? RR_ERR_NOMEM : RR_ERR_SCENARIO;
}

rr_status rr_bill_parse(const char *text, size_t len, const char *cost_column, rr_bill *b,
                        rr_diags *d)
{
    rr_csv c;
    const rr_status st = rr_csv_parse(text, len, &c, d);
    return st == RR_OK ? add_file(b, &c, cost_column, d) : st;
}

rr_status rr_bill_read(const char *path, const char *cost_column, rr_bill *b, rr_diags *d)
{
    rr_csv c;
    const rr_status st = rr_csv_read(path, &c, d);
    return st == RR_OK ? add_file(b, &c, cost_column, d) : st;
}

const char *rr_bill_field(const rr_bill *b, size_t i, const char *column)
{
    const rr_bill_line *l = &b->line[i];
    const rr_csv *c = &b->files[l->file];
    const long j = rr_csv_column(c, column);
    if (j < 0)
        return NULL;
    const char *v = rr_csv_at(c, l->row, (size_t)j);
    return missing(v) ? NULL : v;
}

int rr_bill_col(const rr_bill *b, size_t i, const char *column)
{
    const rr_bill_line *l = &b->line[i];
    const rr_csv *c = &b->files[l->file];
    const long j = rr_csv_column(c, column);
    return j < 0 ? 0 : c->cell_col[l->row * c->ncols + (size_t)j];
}

int rr_bill_cell_line(const rr_bill *b, size_t i, const char *column)
{
    const rr_bill_line *l = &b->line[i];
    const rr_csv *c = &b->files[l->file];
    const long j = rr_csv_column(c, column);
    return j < 0 ? l->line : c->cell_line[l->row * c->ncols + (size_t)j];
}

const char *rr_bill_tag(const rr_bill *b, size_t i, const char *key)
{
    const rr_bill_line *l = &b->line[i];
    for (size_t k = 0; k < l->ntags; k++)
        if (strcmp(b->tags[l->tag0 + k].key, key) == 0)
            return b->tags[l->tag0 + k].value;
    return NULL;
}
