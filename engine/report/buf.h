/* buf: a growable text buffer that reports are built in, so that a report is either
 * complete in memory or not written at all.  A failed allocation makes the buffer sticky
 * failed: later appends are ignored and the caller checks `failed` once at the end.
 */
#ifndef RR_BUF_H
#define RR_BUF_H

#include <stddef.h>

typedef struct rr_buf {
    char *p;          /* NUL-terminated when not failed */
    size_t len, cap;
    int failed;
} rr_buf;

void rr_buf_free(rr_buf *b);
void rr_buf_puts(rr_buf *b, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void rr_buf_printf(rr_buf *b, const char *fmt, ...);

#endif
