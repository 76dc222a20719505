/* UTF-8 checks and repair, the first step of the text pipeline: the indexer repairs a source
 * that is not valid UTF-8 (with a warning) before anything is segmented, and every other
 * function of text/ refuses invalid input. Well-formedness follows Unicode 15.0, Table 3-7. */
#include <string.h>

#include "lz_text.h"

/* U+FFFD REPLACEMENT CHARACTER in UTF-8 */
static const char replacement[3] = { '\xEF', '\xBF', '\xBD' };

/* Length (1 to 4) of the well-formed sequence at s, of which n bytes are available; 0 when it
 * is ill-formed, and then *bad_len is the length of its maximal subpart (the longest prefix of
 * a well-formed sequence, at least one byte; Unicode 15.0, section 3.9). */
static size_t utf8_sequence(const unsigned char *s, size_t n, size_t *bad_len)
{
    unsigned char lo = 0x80, hi = 0xBF;     /* range of the second byte (Table 3-7) */
    size_t need, i;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        need = 2;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        need = 3;
        if (s[0] == 0xE0)
            lo = 0xA0;                      /* no overlong forms */
        else if (s[0] == 0xED)
            hi = 0x9F;                      /* no surrogates */
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        need = 4;
        if (s[0] == 0xF0)
            lo = 0x90;                      /* no overlong forms */
        else if (s[0] == 0xF4)
            hi = 0x8F;                      /* nothing above U+10FFFF */
    } else {
        *bad_len = 1;                       /* C0, C1, F5..FF, or a stray continuation byte */
        return 0;
    }
    for (i = 1; i < need; i++) {
        if (i >= n || s[i] < lo || s[i] > hi) {
            *bad_len = i;
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    return need;
}

size_t lzi_utf8_invalid(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, n, bad;

    while (i < len) {
        if (s[i] < 0x80) {                  /* the common case: plain ASCII */
            i++;
            continue;
        }
        if ((n = utf8_sequence(s + i, len - i, &bad)) == 0)
            return i;
        i += n;
    }
    return LZI_NPOS;
}

int lzi_utf8_repair(lzi_buf *out, const char *text, size_t len, size_t *n_bad)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, run = 0, count = 0, n, bad;
    int rc;

    if ((rc = lzi_buf_reserve(out, len)) != LZ_OK)      /* enough unless there is damage */
        goto done;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        if ((n = utf8_sequence(s + i, len - i, &bad)) > 0) {
            i += n;
            continue;
        }
        /* copy the good run [run, i), then one U+FFFD for the maximal subpart */
        if ((rc = lzi_buf_append(out, text + run, i - run)) != LZ_OK ||
            (rc = lzi_buf_append(out, replacement, sizeof replacement)) != LZ_OK)
            goto done;
        count++;
        i += bad;
        run = i;
    }
    rc = lzi_buf_append(out, text + run, len - run);
done:
    if (n_bad != NULL)
        *n_bad = count;
    return rc;
}
