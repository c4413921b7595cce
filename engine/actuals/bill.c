#include "actuals/bill.h"

#include <ctype.h>
#include <math.h>
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
    for (size_t i = 0; i < b->ntags; i++) {
        free(b->tags[i].key);
        free(b->tags[i].value);
    }
    free(b->tags);
    free(b->line);
    memset(b, 0, sizeof *b);
}

static int missing(const char *v)
{
    return !v || !v[0] || strcmp(v, "NULL") == 0;
}

/* ---- numbers and dates ---- */

/* A whole cell as a finite number: 0, or -1 with what was wrong in why. */
static int parse_number(const char *v, double *out, const char **why)
{
    *why = "";
    if (strchr(v, ','))
        *why = " (no thousands separators)";
    else if (strpbrk(v, "$\xe2\xc2") || strstr(v, "USD") || strstr(v, "EUR"))
        *why = " (no currency symbols: the currency is BillingCurrency's)";
    if (**why)
        return -1;
    const char *p = v;
    if (*p == '+' || *p == '-')
        p++;
    if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
        return -1;
    char *end;
    double x = strtod(v, &end);
    if (*end || !isfinite(x))
        return -1;
    *out = x;
    return 0;
}

static int days_in(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : d[m - 1];
}

/* n digits at *p into *out, advancing. */
static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = 10 * v + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

/* YYYY-MM-DD, optionally followed by ' ' or 'T' and HH:MM[:SS[.fff]], then Z, +HH:MM or
 * -HH:MM (converted to UTC), or nothing (read as UTC).  The calendar month in UTC. */
static int parse_datetime(const char *v, int *year, int *month)
{
    const char *p = v;
    int y, mo, d, h = 0, mi = 0, s = 0;
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
        digits(&p, 2, &d))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo))
        return -1;
    int offset = 0;   /* minutes east of UTC */
    if (*p == ' ' || *p == 'T') {
        p++;
        if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &s))
                return -1;
            if (*p == '.') {
                p++;
                if (!isdigit((unsigned char)*p))
                    return -1;
                while (isdigit((unsigned char)*p))
                    p++;
            }
        }
        if (h > 23 || mi > 59 || s > 60)
            return -1;
        if (*p == 'Z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh, om;
            if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 14 || om > 59)
                return -1;
            offset = sign * (60 * oh + om);
        }
    }
    if (*p)
        return -1;
    /* The instant minus the offset, carried into the day, month and year. */
    int minutes = 60 * h + mi - offset;
    int day_shift = minutes < 0 ? -1 : minutes >= 24 * 60 ? 1 : 0;
    d += day_shift;
    if (d < 1) {
        if (--mo < 1)
            mo = 12, y--;
        d = days_in(y, mo);
    } else if (d > days_in(y, mo)) {
        d = 1;
        if (++mo > 12)
            mo = 1, y++;
    }
    *year = y;
    *month = mo;
    return 0;
}

/* ---- Tags: a flat JSON object ---- */

/* A JSON string at *p (after its opening quote) into out (unescaped, UTF-8); advances past
 * the closing quote.  0 or -1. */
static int json_string(const char **p, char *out, size_t size)
{
    size_t k = 0;
    const char *s = *p;
    while (*s && *s != '"') {
        unsigned c = (unsigned char)*s++;
        if (c == '\\') {
            char e = *s++;
            switch (e) {
            case '"': c = '"'; break;
            case '\\': c = '\\'; break;
            case '/': c = '/'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u': {
                unsigned u = 0;
                for (int i = 0; i < 4; i++) {
                    if (!isxdigit((unsigned char)s[i]))
                        return -1;
                    u = 16 * u + (unsigned)(isdigit((unsigned char)s[i]) ? s[i] - '0'
                                                                         : (tolower(s[i]) - 'a' + 10));
                }
                s += 4;
                /* Tags are keys and labels: a \u escape outside one code unit of the BMP
                 * (a surrogate) is kept as '?'. */
                char buf[4];
                size_t n = 0;
                if (u >= 0xd800 && u <= 0xdfff)
                    buf[n++] = '?';
                else if (u < 0x80)
                    buf[n++] = (char)u;
                else if (u < 0x800)
                    buf[n++] = (char)(0xc0 | (u >> 6)), buf[n++] = (char)(0x80 | (u & 0x3f));
                else
                    buf[n++] = (char)(0xe0 | (u >> 12)), buf[n++] = (char)(0x80 | ((u >> 6) & 0x3f)),
                    buf[n++] = (char)(0x80 | (u & 0x3f));
                for (size_t i = 0; i < n; i++)
                    if (k + 1 < size)
                        out[k++] = buf[i];
                continue;
            }
            default: return -1;
            }
        } else if (c < 0x20) {
            return -1;
        }
        if (k + 1 < size)
            out[k++] = (char)c;
    }
    if (*s != '"')
        return -1;
    out[k] = '\0';
    *p = s + 1;
    return 0;
}

static void skip_ws(const char **p)
{
    while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
        (*p)++;
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
    rr_bill_kv *kv = &b->tags[b->ntags];
    kv->key = strdup(key);
    kv->value = strdup(value);
    if (!kv->key || !kv->value) {
        free(kv->key);
        free(kv->value);
        return -1;
    }
    b->ntags++;
    return 0;
}

/* Parse a Tags cell into b's tags: 0, -1 (not a flat JSON object), -2 (memory). */
static int parse_tags(rr_bill *b, const char *v)
{
    const char *p = v;
    skip_ws(&p);
    if (*p++ != '{')
        return -1;
    skip_ws(&p);
    if (*p == '}') {
        p++;
        skip_ws(&p);
        return *p ? -1 : 0;
    }
    char key[256], val[1024];
    for (;;) {
        skip_ws(&p);
        if (*p++ != '"' || json_string(&p, key, sizeof key))
            return -1;
        skip_ws(&p);
        if (*p++ != ':')
            return -1;
        skip_ws(&p);
        if (*p == '"') {
            p++;
            if (json_string(&p, val, sizeof val))
                return -1;
        } else {
            /* A number, true, false or null: kept as written. */
            size_t k = 0;
            while (*p && *p != ',' && *p != '}' && *p != ' ' && k + 1 < sizeof val) {
                if (*p == '{' || *p == '[' || *p == '"')
                    return -1;
                val[k++] = *p++;
            }
            val[k] = '\0';
            if (!k)
                return -1;
        }
        if (add_tag(b, key, val))
            return -2;
        skip_ws(&p);
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p++ != '}')
            return -1;
        skip_ws(&p);
        return *p ? -1 : 0;
    }
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

#define CELL_ERR(c, r, j, ...)                                                             \
    do {                                                                                   \
        rr_diags_add(d, (c)->line[r], (c)->cell_col[(r) * (c)->ncols + (size_t)(j)],      \
                     __VA_ARGS__);                                                         \
        bad = 1;                                                                           \
    } while (0)

/* The lines of a FOCUS export. */
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
            rr_diags_add(d, 1, 1, "a FOCUS export without the column %s (expected the "
                         "columns ChargePeriodStart, BillingCurrency, ChargeCategory, "
                         "ServiceCategory and %s)", required[k], cost_name);
            bad = 1;
        }
    if (bad)
        return -1;
    const long jt = rr_csv_column(c, "ChargePeriodStart"), jc = rr_csv_column(c, cost_name),
               jcur = rr_csv_column(c, "BillingCurrency"), jk = rr_csv_column(c, "ChargeCategory"),
               jtags = rr_csv_column(c, "Tags");
    for (size_t r = 0; r < c->nrows; r++) {
        rr_bill_line l = { .file = file, .row = r, .line = c->line[r], .tag0 = b->ntags };
        const char *t = rr_csv_at(c, r, (size_t)jt), *v = rr_csv_at(c, r, (size_t)jc);
        if (missing(t))
            CELL_ERR(c, r, jt, "ChargePeriodStart: missing (expected the charge's date)");
        else if (parse_datetime(t, &l.year, &l.month) != 0)
            CELL_ERR(c, r, jt, "ChargePeriodStart: expected a date (YYYY-MM-DD) or a date-time "
                     "(YYYY-MM-DD HH:MM:SS, YYYY-MM-DDTHH:MM:SSZ), got '%.60s'", t);
        const char *why;
        if (missing(v))
            CELL_ERR(c, r, jc, "%s: missing (expected the line's cost)", cost_name);
        else if (parse_number(v, &l.cost, &why) != 0)
            CELL_ERR(c, r, jc, "%s: expected a number, got '%.60s'%s", cost_name, v, why);
        const char *cur = rr_csv_at(c, r, (size_t)jcur);
        l.currency = missing(cur) ? NULL : cur;
        l.kind = kind_of(rr_csv_at(c, r, (size_t)jk));
        if (jtags >= 0 && !missing(rr_csv_at(c, r, (size_t)jtags))) {
            int rc = parse_tags(b, rr_csv_at(c, r, (size_t)jtags));
            if (rc == -2)
                return -2;
            if (rc == -1)
                CELL_ERR(c, r, jtags, "Tags: expected a flat JSON object of keys and values "
                         "({\"application\": \"support-agent\"}), got '%.60s'",
                         rr_csv_at(c, r, (size_t)jtags));
        }
        l.ntags = b->ntags - l.tag0;
        if (!bad && push_line(b, &l))
            return -2;
    }
    return bad ? -1 : 0;
}

/* The rows of a month,target,cost file. */
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
        if (rr_bill_parse_month(m, &l.year, &l.month) != 0)
            CELL_ERR(c, r, jm, "month: expected YYYY-MM, got '%.60s'", m);
        if (missing(t))
            CELL_ERR(c, r, jt, "target: missing (expected a component or a category)");
        l.target = t;
        if (missing(v))
            CELL_ERR(c, r, jc, "cost: missing (expected a number)");
        else if (parse_number(v, &l.cost, &why) != 0)
            CELL_ERR(c, r, jc, "cost: expected a number, got '%.60s'%s", v, why);
        if (!bad && push_line(b, &l))
            return -2;
    }
    return bad ? -1 : 0;
}

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
        rr_diags_add(d, 1, 1, "neither a FOCUS export (its header has ChargePeriodStart) nor "
                     "plain actuals (the header month,target,cost)");
        rc = -1;
    }
    if (rc == 0)
        return RR_OK;
    /* Nothing of a bad file stays. */
    for (size_t i = t0; i < b->ntags; i++) {
        free(b->tags[i].key);
        free(b->tags[i].value);
    }
    b->ntags = t0;
    b->n = n0;
    rr_csv_free(&b->files[--b->nfiles]);
    return rc == -2 ? RR_ERR_NOMEM : RR_ERR_SCENARIO;
}

rr_status rr_bill_parse(const char *text, size_t len, const char *cost_column, rr_bill *b,
                        rr_diags *d)
{
    rr_csv c;
    rr_status st = rr_csv_parse(text, len, &c, d);
    return st == RR_OK ? add_file(b, &c, cost_column, d) : st;
}

rr_status rr_bill_read(const char *path, const char *cost_column, rr_bill *b, rr_diags *d)
{
    rr_csv c;
    rr_status st = rr_csv_read(path, &c, d);
    return st == RR_OK ? add_file(b, &c, cost_column, d) : st;
}

const char *rr_bill_field(const rr_bill *b, size_t i, const char *column)
{
    const rr_bill_line *l = &b->line[i];
    const rr_csv *c = &b->files[l->file];
    long j = rr_csv_column(c, column);
    if (j < 0)
        return NULL;
    const char *v = rr_csv_at(c, l->row, (size_t)j);
    return missing(v) ? NULL : v;
}

const char *rr_bill_tag(const rr_bill *b, size_t i, const char *key)
{
    const rr_bill_line *l = &b->line[i];
    for (size_t k = 0; k < l->ntags; k++)
        if (strcmp(b->tags[l->tag0 + k].key, key) == 0)
            return b->tags[l->tag0 + k].value;
    return NULL;
}

int rr_bill_col(const rr_bill *b, size_t i, const char *column)
{
    const rr_bill_line *l = &b->line[i];
    const rr_csv *c = &b->files[l->file];
    long j = rr_csv_column(c, column);
    return j < 0 ? 0 : c->cell_col[l->row * c->ncols + (size_t)j];
}

int rr_bill_parse_month(const char *s, int *year, int *month)
{
    const char *p = s;
    if (digits(&p, 4, year) || *p++ != '-' || digits(&p, 2, month) || *p || *month < 1 ||
        *month > 12)
        return -1;
    return 0;
}
