/* The search form of a word, after ICU has cut it out of the text and before it is stemmed:
 * NFKC (so PDF ligatures and full-width forms become plain letters), full case folding,
 * combining marks removed, typographic apostrophes made "'", default-ignorable code points
 * (soft hyphen, zero-width space) removed. Runs once per word of the corpus, so plain ASCII
 * takes a short path and utf8proc works inside the caller's buffer instead of allocating. */
#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

#include "lz_text.h"

/* NFKC (COMPAT + COMPOSE) with full case folding; STRIPMARK drops combining marks during the
 * decomposition that COMPOSE implies, so `länder` gives `lander`; IGNORE drops the default
 * ignorable code points (U+00AD SOFT HYPHEN among them); STABLE keeps composition to what
 * Unicode's stability policy guarantees. */
#define NORM_OPTIONS                                                                           \
    ((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |               \
                         UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE))

/* Code points the scratch space holds beyond one per input byte, before a second pass: the
 * decomposition of a short word rarely grows by more (U+FDFA, the longest, gives 18). */
#define NORM_SLACK 16

/* Longest input accepted: utf8proc counts in ssize_t, and the scratch space is four bytes a
 * code point. */
#define NORM_MAX_LEN ((size_t)PTRDIFF_MAX / 8)

/* utf8proc calls this on every code point before its own mappings. */
static utf8proc_int32_t map_apostrophe(utf8proc_int32_t cp, void *unused)
{
    (void)unused;
    switch (cp) {
    case 0x2018:        /* LEFT SINGLE QUOTATION MARK */
    case 0x2019:        /* RIGHT SINGLE QUOTATION MARK, the usual typographic apostrophe */
    case 0x02BC:        /* MODIFIER LETTER APOSTROPHE */
    case 0xFF07:        /* FULLWIDTH APOSTROPHE */
        return '\'';
    default:
        return cp;
    }
}

/* Plain ASCII only needs lower-casing: NFKC, case folding and mark removal change nothing
 * else there. */
static int append_ascii_lower(lzi_buf *out, const char *text, size_t len)
{
    size_t i;
    int rc;

    if ((rc = lzi_buf_reserve(out, len)) != LZ_OK)
        return rc;
    for (i = 0; i < len; i++) {
        char c = text[i];
        out->ptr[out->len + i] = (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
    }
    out->len += len;
    out->ptr[out->len] = '\0';
    return LZ_OK;
}

int lzi_normalize(lzi_buf *out, const char *text, size_t len)
{
    const utf8proc_uint8_t *src = (const utf8proc_uint8_t *)text;
    utf8proc_ssize_t n_cp, n_bytes;
    utf8proc_int32_t *cps;
    size_t i, bad, pad, cap_cp;
    int rc;

    for (i = 0; i < len && (unsigned char)text[i] < 0x80; i++)
        ;
    if (i == len)
        return append_ascii_lower(out, text, len);
    if ((bad = lzi_utf8_invalid(text + i, len - i)) != LZI_NPOS)
        return lzi_error_set(LZ_EINPUT, "invalid UTF-8 at byte %zu of a %zu-byte text", i + bad,
                             len);
    if (len > NORM_MAX_LEN)
        return lzi_error_set(LZ_EINPUT, "text of %zu bytes is too long to normalize", len);

    /* The code points go after the current contents of out, 4-byte aligned (out->ptr comes
     * from malloc); utf8proc re-encodes them in place, then the bytes move down. */
    pad = (4 - out->len % 4) % 4;
    cap_cp = len + NORM_SLACK;
    for (;;) {
        if ((rc = lzi_buf_reserve(out, pad + cap_cp * 4 + 1)) != LZ_OK)  /* +1: reencode's NUL */
            return rc;
        cps = (utf8proc_int32_t *)(void *)(out->ptr + out->len + pad);
        n_cp = utf8proc_decompose_custom(src, (utf8proc_ssize_t)len, cps,
                                         (utf8proc_ssize_t)cap_cp, NORM_OPTIONS, map_apostrophe,
                                         NULL);
        if (n_cp < 0)
            return lzi_error_set(LZ_ERROR, "normalization: %s", utf8proc_errmsg(n_cp));
        if ((size_t)n_cp <= cap_cp)
            break;
        if ((size_t)n_cp > NORM_MAX_LEN)
            return lzi_error_set(LZ_EINPUT, "text of %zu bytes is too long to normalize", len);
        cap_cp = (size_t)n_cp;              /* rare: a long decomposition; once more */
    }
    n_bytes = utf8proc_reencode(cps, n_cp, NORM_OPTIONS);
    if (n_bytes < 0)
        return lzi_error_set(LZ_ERROR, "normalization: %s", utf8proc_errmsg(n_bytes));
    memmove(out->ptr + out->len, cps, (size_t)n_bytes);
    out->len += (size_t)n_bytes;
    out->ptr[out->len] = '\0';
    return LZ_OK;
}
