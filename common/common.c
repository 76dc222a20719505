/* The thread-local error slot, allocation with failure injection for tests, growable buffers
 * and the small public helpers (lz_strerror, lz_free, lz_version). Everything above builds on
 * these. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_common.h"

/* Longest message kept; longer ones are cut at a character boundary with "...". */
#define LZI_ERROR_MAX 1024

static _Thread_local char error_slot[LZI_ERROR_MAX];

/* Countdown of allocations before injected failure; (size_t)-1 is off. Only tests change it,
 * and only from one thread, before starting others. */
static _Thread_local size_t alloc_budget = (size_t)-1;

static void trim_utf8_tail(char *s, size_t len)
{
    /* If the message was cut, do not leave half a UTF-8 sequence at the end. */
    size_t i = len;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0 && ((unsigned char)s[i - 1] & 0x80) != 0) {
        unsigned char lead = (unsigned char)s[i - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (len - (i - 1) < need)
            s[i - 1] = '\0';
    }
}

static void slot_vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static void slot_vformat(const char *fmt, va_list ap)
{
    int n = vsnprintf(error_slot, sizeof error_slot, fmt, ap);
    if (n >= (int)sizeof error_slot) {
        memcpy(error_slot + sizeof error_slot - 4, "...", 4);
        trim_utf8_tail(error_slot, sizeof error_slot - 4);
    }
}

int lzi_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    slot_vformat(fmt, ap);
    va_end(ap);
    return code;
}

int lzi_error_prefix(int code, const char *fmt, ...)
{
    char old[LZI_ERROR_MAX];
    char head[LZI_ERROR_MAX];
    va_list ap;

    memcpy(old, error_slot, sizeof old);
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    if (old[0] != '\0')
        lzi_error_set(code, "%s: %s", head, old);
    else
        lzi_error_set(code, "%s", head);
    return code;
}

const char *lz_last_error(void)
{
    return error_slot;
}

const char *lz_strerror(int code)
{
    switch (code) {
    case LZ_OK: return "success";
    case LZ_ERROR: return "error";
    case LZ_ENOMEM: return "out of memory";
    case LZ_EINVAL: return "invalid argument";
    case LZ_EIO: return "input/output error";
    case LZ_EINPUT: return "unusable input";
    case LZ_EQUERY: return "invalid query";
    case LZ_ENOTFOUND: return "not found";
    case LZ_ELOCKED: return "index is locked";
    case LZ_ECORRUPT: return "index is corrupt";
    case LZ_EVERSION: return "index version mismatch";
    default: return "unknown status";
    }
}

const char *lz_version(void)
{
#define LZ_STR2(x) #x
#define LZ_STR(x) LZ_STR2(x)
    return LZ_STR(LZ_VERSION_MAJOR) "." LZ_STR(LZ_VERSION_MINOR) "." LZ_STR(LZ_VERSION_PATCH);
}

void lz_free(void *p)
{
    free(p);
}

void lzi_alloc_fail_after(size_t n)
{
    alloc_budget = n;
}

size_t lzi_alloc_budget(void)
{
    return alloc_budget;
}

static int alloc_allowed(void)
{
    if (alloc_budget == (size_t)-1)
        return 1;
    if (alloc_budget == 0)
        return 0;
    alloc_budget--;
    return 1;
}

void *lzi_malloc(size_t n)
{
    return alloc_allowed() ? malloc(n ? n : 1) : NULL;
}

void *lzi_calloc(size_t n, size_t size)
{
    return alloc_allowed() ? calloc(n ? n : 1, size ? size : 1) : NULL;
}

void *lzi_realloc(void *p, size_t n)
{
    return alloc_allowed() ? realloc(p, n ? n : 1) : NULL;
}

char *lzi_strndup(const char *s, size_t n)
{
    char *d = lzi_malloc(n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *lzi_strdup(const char *s)
{
    return lzi_strndup(s, strlen(s));
}

void lzi_free(void *p)
{
    free(p);
}

int lzi_buf_reserve(lzi_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > SIZE_MAX - b->len - 1)
        return lzi_error_set(LZ_ENOMEM, "buffer of %zu + %zu bytes is too large", b->len, extra);
    need = b->len + extra + 1;
    if (need <= b->cap)
        return LZ_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if ((p = lzi_realloc(b->ptr, cap)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory (buffer of %zu bytes)", cap);
    b->ptr = p;
    b->cap = cap;
    b->ptr[b->len] = '\0';                  /* a fresh buffer is "" too */
    return LZ_OK;
}

int lzi_buf_append(lzi_buf *b, const void *p, size_t n)
{
    int rc = lzi_buf_reserve(b, n);
    if (rc != LZ_OK)
        return rc;
    if (n > 0)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return LZ_OK;
}

int lzi_buf_puts(lzi_buf *b, const char *s)
{
    return lzi_buf_append(b, s, strlen(s));
}

int lzi_buf_putc(lzi_buf *b, char c)
{
    return lzi_buf_append(b, &c, 1);
}

int lzi_buf_printf(lzi_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n, rc;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return lzi_error_set(LZ_ERROR, "formatting failed");
    if ((rc = lzi_buf_reserve(b, (size_t)n)) != LZ_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return LZ_OK;
}

void lzi_buf_clear(lzi_buf *b)
{
    b->len = 0;
    if (b->ptr != NULL)
        b->ptr[0] = '\0';
}

void lzi_buf_dispose(lzi_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

char *lzi_buf_detach(lzi_buf *b)
{
    char *p;
    if (b->ptr == NULL && lzi_buf_reserve(b, 0) != LZ_OK)
        return NULL;
    p = b->ptr;
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

int lzi_buf_read_all(lzi_buf *b, void *stream, size_t max_len, const char *what)
{
    FILE *fp = stream;
    size_t start = b->len;
    int rc;

    for (;;) {
        size_t got;
        if ((rc = lzi_buf_reserve(b, 65536)) != LZ_OK)
            return rc;
        got = fread(b->ptr + b->len, 1, b->cap - b->len - 1, fp);
        b->len += got;
        b->ptr[b->len] = '\0';
        if (b->len - start > max_len)
            return lzi_error_set(LZ_EINPUT, "%s: larger than the limit of %zu bytes", what,
                                 max_len);
        if (got == 0) {
            if (ferror(fp))
                return lzi_error_set(LZ_EIO, "%s: %s", what, strerror(errno));
            return LZ_OK;
        }
    }
}

lzi_pos lzi_pos_of(const char *text, size_t off)
{
    lzi_pos at = { 1, 1 };
    size_t i;
    for (i = 0; i < off; i++) {
        if (text[i] == '\n') {
            at.line++;
            at.col = 1;
        } else {
            at.col++;
        }
    }
    return at;
}
