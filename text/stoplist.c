/* Stopwords: a sorted array of normalized words, searched with bsearch; read from a file of one
 * word a line (stopwords/english.txt). The searcher hands them to QueryParser; their digest goes
 * into the index fingerprint, so an index built with another list is LZ_EVERSION rather than
 * quietly different results. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_text.h"

/* Largest stopword file read: a list is a few kilobytes; more is not a stopword list. */
#define LZI_MAX_STOPLIST_BYTES (1024 * 1024)

/* 64-bit FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/) */
#define FNV64_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV64_PRIME UINT64_C(0x100000001b3)

static uint64_t fnv1a(uint64_t h, const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= FNV64_PRIME;
    }
    return h;
}

static int cmp_words(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

typedef struct word_key {
    const char *p;
    size_t len;
} word_key;

/* The order of strcmp, for a key that is not NUL-terminated. */
static int cmp_key(const void *k, const void *elem)
{
    const word_key *key = k;
    const char *w = *(const char *const *)elem;
    size_t w_len = strlen(w);
    int c = memcmp(key->p, w, key->len < w_len ? key->len : w_len);

    return c != 0 ? c : (key->len > w_len) - (key->len < w_len);
}

/* Add one line's word (comment and surrounding blanks already cut) to s, normalized. */
static int add_word(lzi_stoplist *s, size_t *cap, lzi_buf *norm, const char *p, size_t n,
                    size_t line)
{
    size_t i;
    int rc;

    for (i = 0; i < n; i++)
        if ((unsigned char)p[i] < 0x20 || p[i] == ' ')
            return lzi_error_set(LZ_EINPUT, "line %zu: not a single word", line);
    lzi_buf_clear(norm);
    if ((rc = lzi_normalize(norm, p, n)) != LZ_OK)
        return lzi_error_prefix(rc, "line %zu", line);
    if (norm->len == 0 || norm->len > LZI_MAX_WORD_LEN)
        return lzi_error_set(LZ_EINPUT, "line %zu: not a word of 1 to %d bytes", line,
                             LZI_MAX_WORD_LEN);
    if (s->n == *cap) {
        size_t grown = *cap ? 2 * *cap : 128;
        char **v;
        if (grown > SIZE_MAX / sizeof *v || (v = lzi_realloc(s->words, grown * sizeof *v)) == NULL)
            return lzi_error_set(LZ_ENOMEM, "out of memory (stopwords)");
        s->words = v;
        *cap = grown;
    }
    if ((s->words[s->n] = lzi_strndup(norm->ptr, norm->len)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory (stopwords)");
    s->n++;
    return LZ_OK;
}

int lzi_stoplist_from_text(lzi_stoplist *out, const char *text, size_t len)
{
    lzi_stoplist s = { NULL, 0, "" };
    lzi_buf norm = LZI_BUF_INIT;
    size_t off = 0, line = 0, cap = 0, kept = 0, i, n, bad;
    uint64_t h = FNV64_OFFSET;
    int rc = LZ_OK;

    memset(out, 0, sizeof *out);
    if ((bad = lzi_utf8_invalid(text, len)) != LZI_NPOS)
        return lzi_error_set(LZ_EINPUT, "line %u: invalid UTF-8", lzi_pos_of(text, bad).line);
    while (off < len) {
        const char *p = text + off, *end = memchr(p, '\n', len - off), *hash;
        n = end != NULL ? (size_t)(end - p) : len - off;
        off += n + 1;
        line++;
        if ((hash = memchr(p, '#', n)) != NULL)     /* '#' starts a comment */
            n = (size_t)(hash - p);
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
            n--;
        while (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
            p++;
            n--;
        }
        if (n > 0 && (rc = add_word(&s, &cap, &norm, p, n, line)) != LZ_OK)
            goto done;
    }
    if (s.n > 0)
        qsort(s.words, s.n, sizeof *s.words, cmp_words);
    for (i = 0; i < s.n; i++) {             /* drop duplicates; hash the rest, '\n' between */
        if (kept > 0 && strcmp(s.words[kept - 1], s.words[i]) == 0) {
            lzi_free(s.words[i]);
            continue;
        }
        if (kept > 0)
            h = fnv1a(h, "\n", 1);
        h = fnv1a(h, s.words[i], strlen(s.words[i]));
        s.words[kept++] = s.words[i];
    }
    s.n = kept;
    snprintf(s.digest, sizeof s.digest, "%016" PRIx64, h);
    *out = s;
    memset(&s, 0, sizeof s);
done:
    lzi_stoplist_dispose(&s);               /* empty after the move */
    lzi_buf_dispose(&norm);
    return rc;
}

int lzi_stoplist_load(lzi_stoplist *out, const char *path)
{
    lzi_buf buf = LZI_BUF_INIT;
    FILE *fp;
    int rc;

    memset(out, 0, sizeof *out);
    if ((fp = fopen(path, "rb")) == NULL)
        return lzi_error_set(LZ_EIO, "%s: %s", path, strerror(errno));
    if ((rc = lzi_buf_read_all(&buf, fp, LZI_MAX_STOPLIST_BYTES, path)) == LZ_OK &&
        (rc = lzi_stoplist_from_text(out, buf.ptr, buf.len)) != LZ_OK)
        lzi_error_prefix(rc, "%s", path);
    fclose(fp);
    lzi_buf_dispose(&buf);
    return rc;
}

int lzi_stoplist_has(const lzi_stoplist *s, const char *word, size_t len)
{
    word_key key = { word, len };

    return s->n > 0 && bsearch(&key, s->words, s->n, sizeof *s->words, cmp_key) != NULL;
}

void lzi_stoplist_dispose(lzi_stoplist *s)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        lzi_free(s->words[i]);
    lzi_free(s->words);
    memset(s, 0, sizeof *s);
}
