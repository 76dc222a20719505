/* Words and sentences: ICU boundaries over the caller's UTF-8 (through a UText, so offsets are
 * byte offsets into the source), each word normalized (lzi_normalize, acronym dots dropped)
 * and stemmed through the backend; a hyphenated compound of letters also gives its joined
 * spelling, and a dotted name (`www.safenet.bg`) its parts. The indexer analyses passages here
 * and query.c analyses the user's words here, so both sides make the same terms. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/uversion.h>
#include <utf8proc.h>

#include "lz_text.h"
#include "lzx.h"

/* CLDR's English rules: the root rules (English adds sentence-break suppressions such as
 * "Mr.", but only when asked for with "en@ss=standard"). */
#define LZI_LOCALE "en"

/* Snowball stemmer, by its Xapian name */
#define LZI_STEMMER "english"

/* Sentence starts reserved at first; the array doubles after that. */
#define LZI_SENTENCES_INITIAL 16

/* Stems already made, per analyzer: a direct-mapped cache indexed by a hash of the normalized
 * word. Words follow Zipf's law, so a few thousand slots answer most lookups; profiles put the
 * Snowball stemmer (through the facade, a std::string each way) at 4-5% of indexing and of a
 * CLI search, whose snippets analyse every word of the hits (bench/RESULTS.md). A word or stem
 * longer than LZI_STEM_CACHE_LEN bytes is stemmed every time. 2048 slots of 50 bytes: 100 KB,
 * inside the analyzer's own allocation. */
#define LZI_STEM_CACHE_SLOTS 2048u  /* a power of two */
#define LZI_STEM_CACHE_LEN 24u      /* bytes of word and of stem a slot holds */

typedef struct stem_slot {
    unsigned char word_len;         /* 0: empty slot */
    unsigned char stem_len;
    char word[LZI_STEM_CACHE_LEN];
    char stem[LZI_STEM_CACHE_LEN];
} stem_slot;

struct lzi_analyzer {
    UBreakIterator *words;          /* UBRK_WORD, LZI_LOCALE */
    UBreakIterator *sentences;      /* UBRK_SENTENCE, LZI_LOCALE */
    lzx_stem *stemmer;
    lzi_buf norm;                   /* the current word, normalized */
    lzi_buf stem;                   /* the stem of the token being emitted */
    lzi_buf joined;                 /* the compound being read, its parts run together */
    stem_slot stems[LZI_STEM_CACHE_SLOTS];  /* zeroed by lzi_calloc: all empty */
};

/* One run of lzi_analyze: where it is, and the hyphenated compound it may be inside. */
typedef struct walk {
    lzi_analyzer *a;
    const char *text;
    lzi_token_fn emit;
    void *payload;
    unsigned pos;                   /* position of the next word */
    size_t cp_start, cp_end;        /* bytes of the compound so far */
    unsigned cp_pos;                /* position of its first part */
    unsigned cp_parts;              /* letter words joined by single hyphens; 0: none pending */
} walk;

static int icu_fail(UErrorCode st, const char *what)
{
    return lzi_error_set(st == U_MEMORY_ALLOCATION_ERROR ? LZ_ENOMEM : LZ_ERROR, "%s: ICU %s",
                         what, u_errorName(st));
}

/* The input checks shared by lzi_analyze and lzi_sentences. */
static int check_text(const char *text, size_t len)
{
    size_t bad;

    if (len > INT32_MAX)                    /* ICU boundaries are int32_t */
        return lzi_error_set(LZ_EINPUT, "text block of %zu bytes is too large", len);
    if ((bad = lzi_utf8_invalid(text, len)) != LZI_NPOS)
        return lzi_error_set(LZ_EINPUT, "invalid UTF-8 at byte %zu", bad);
    return LZ_OK;
}

/* Point `bi` at text. The iterator keeps a shallow clone of the UText, so the caller's
 * stack UText can be closed at once; the text itself must stay put while bi is used. */
static int set_text(UBreakIterator *bi, const char *text, size_t len, const char *what)
{
    UErrorCode st = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;

    utext_openUTF8(&ut, text, (int64_t)len, &st);
    ubrk_setUText(bi, &ut, &st);            /* no-op once st has failed: one check */
    utext_close(&ut);
    return U_FAILURE(st) ? icu_fail(st, what) : LZ_OK;
}

int lzi_analyzer_new(lzi_analyzer **out)
{
    UErrorCode st = U_ZERO_ERROR;
    lzi_analyzer *a;
    int rc;

    *out = NULL;
    if ((a = lzi_calloc(1, sizeof *a)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory (analyzer)");
    a->words = ubrk_open(UBRK_WORD, LZI_LOCALE, NULL, 0, &st);
    a->sentences = ubrk_open(UBRK_SENTENCE, LZI_LOCALE, NULL, 0, &st);
    if (U_FAILURE(st)) {
        rc = icu_fail(st, "opening the break iterators");
        goto done;
    }
    if ((rc = lzx_stem_new(&a->stemmer, LZI_STEMMER)) != LZ_OK)
        goto done;
    *out = a;
    a = NULL;
done:
    lzi_analyzer_free(a);                   /* no-op after the move */
    return rc;
}

void lzi_analyzer_free(lzi_analyzer *a)
{
    if (a == NULL)
        return;
    ubrk_close(a->words);                   /* both accept NULL */
    ubrk_close(a->sentences);
    lzx_stem_free(a->stemmer);
    lzi_buf_dispose(&a->norm);
    lzi_buf_dispose(&a->stem);
    lzi_buf_dispose(&a->joined);
    lzi_free(a);
}

/* Drop the dots of an acronym (`u.s.a` -> `usa`, `e.g` -> `eg`, as Xapian's tokenizer does) but
 * keep those between digits (`2.5`, `v1.2`). ICU only lets a '.' into a word between two letters
 * or between two digits (UAX #29, WB6-7 and WB11-12). */
static void drop_acronym_dots(lzi_buf *w)
{
    size_t i, n = 0;

    if (memchr(w->ptr, '.', w->len) == NULL)
        return;
    for (i = 0; i < w->len; i++) {
        char c = w->ptr[i];
        if (c == '.' && !(n > 0 && w->ptr[n - 1] >= '0' && w->ptr[n - 1] <= '9' &&
                          i + 1 < w->len && w->ptr[i + 1] >= '0' && w->ptr[i + 1] <= '9'))
            continue;
        w->ptr[n++] = c;
    }
    w->len = n;
    w->ptr[n] = '\0';
}

/* Whether a normalized word gets a stem: exactly when QueryParser would stem it, i.e. when it
 * starts with a letter of category Ll, Lt, Lm or Lo (Xapian's should_stem()); so never a word
 * that starts with a digit. */
static int stemmable(const char *w, size_t len)
{
    utf8proc_int32_t cp;

    if ((unsigned char)w[0] < 0x80)
        return w[0] >= 'a' && w[0] <= 'z';
    if (utf8proc_iterate((const utf8proc_uint8_t *)w, (utf8proc_ssize_t)len, &cp) < 0)
        return 0;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return 1;
    default:
        return 0;
    }
}

/* Stem `word` into `out` (replacing its contents) through the cache: a hit leaves out exactly as
 * lzx_stem_apply would (cleared, then the stem appended). */
static int stem_cached(lzi_analyzer *a, const char *word, size_t len, lzi_buf *out)
{
    uint32_t h = 2166136261u;               /* FNV-1a, 32 bits */
    stem_slot *slot;
    size_t i;
    int rc;

    if (len == 0 || len > LZI_STEM_CACHE_LEN)
        return lzx_stem_apply(a->stemmer, word, len, out);
    for (i = 0; i < len; i++)
        h = (h ^ (unsigned char)word[i]) * 16777619u;
    slot = &a->stems[h & (LZI_STEM_CACHE_SLOTS - 1)];
    if (slot->word_len == len && memcmp(slot->word, word, len) == 0) {
        lzi_buf_clear(out);
        return lzi_buf_append(out, slot->stem, slot->stem_len);
    }
    if ((rc = lzx_stem_apply(a->stemmer, word, len, out)) != LZ_OK)
        return rc;
    if (out->len <= LZI_STEM_CACHE_LEN) {   /* replaces whatever the slot held */
        memcpy(slot->word, word, len);
        slot->word_len = (unsigned char)len;
        if (out->len > 0)
            memcpy(slot->stem, out->ptr, out->len);
        slot->stem_len = (unsigned char)out->len;
    }
    return LZ_OK;
}

static int emit_token(walk *w, const char *norm, size_t norm_len, size_t start, size_t end,
                      unsigned pos, unsigned flags)
{
    lzi_token tok = { start, end, norm, norm_len, NULL, 0, pos, flags };
    int rc;

    if (stemmable(norm, norm_len)) {
        if ((rc = stem_cached(w->a, norm, norm_len, &w->a->stem)) != LZ_OK)
            return rc;
        tok.stem = w->a->stem.ptr != NULL ? w->a->stem.ptr : "";
        tok.stem_len = w->a->stem.len;
    }
    return w->emit(w->payload, &tok);
}

/* End the compound being read: two parts or more give the joined token, at the position of
 * the first part, right after the last part's token. */
static int finish_compound(walk *w)
{
    const lzi_buf *j = &w->a->joined;
    unsigned parts = w->cp_parts;

    w->cp_parts = 0;
    if (parts < 2 || j->len > LZI_MAX_WORD_LEN)
        return LZ_OK;
    return emit_token(w, j->ptr, j->len, w->cp_start, w->cp_end, w->cp_pos, LZI_TOKEN_JOINED);
}

/* Whether the bytes between two words are exactly one hyphen: U+002D, U+2010 HYPHEN or
 * U+2011 NON-BREAKING HYPHEN. */
static int one_hyphen(const char *gap, size_t n)
{
    return (n == 1 && gap[0] == '-') ||
           (n == 3 && memcmp(gap, "\xE2\x80", 2) == 0 && (gap[2] == '\x90' || gap[2] == '\x91'));
}

/* Whether the '.' at p[i] of a word separates the parts of a dotted name: ICU lets a dot into
 * a word only between two letters or two digits (WB6-7, WB11-12); between digits it is a
 * decimal point (`2.5`, `v1.2`). */
static int name_dot(const char *p, size_t n, size_t i)
{
    return p[i] == '.' && i > 0 && i + 1 < n &&
           !(p[i - 1] >= '0' && p[i - 1] <= '9' && p[i + 1] >= '0' && p[i + 1] <= '9');
}

/* Whether word p[0, n) is a dotted name, `www.safenet.bg`, `coe.int`: name dots, and a part
 * of two bytes or more between them, which an acronym (`u.s.a`, `e.g`) has not. */
static int dotted_name(const char *p, size_t n)
{
    size_t i, from = 0, longest = 0, dots = 0;

    for (i = 0; i <= n; i++) {
        if (i < n && !name_dot(p, n, i))
            continue;
        dots += i < n;
        if (i - from > longest)
            longest = i - from;
        from = i + 1;
    }
    return dots > 0 && longest >= 2;
}

/* A dotted name: each part is a word of its own (a search for `safenet` finds
 * `www.safenet.bg`), then the whole with its dots dropped follows as a joined token at the
 * first part's position (as the word was before, and as `safenet.bg` typed in a query is
 * also searched for). Parts that normalize to nothing take no position. */
static int take_dotted(walk *w, size_t start, size_t end)
{
    lzi_analyzer *a = w->a;
    const char *p = w->text + start;
    size_t n = end - start, i, from = 0;
    unsigned first = w->pos;
    int rc;

    if ((rc = finish_compound(w)) != LZ_OK)
        return rc;
    for (i = 0; i <= n; i++) {
        if (i < n && !name_dot(p, n, i))
            continue;
        lzi_buf_clear(&a->norm);
        if ((rc = lzi_normalize(&a->norm, p + from, i - from)) != LZ_OK)
            return rc;
        drop_acronym_dots(&a->norm);
        if (a->norm.len > 0 && a->norm.len <= LZI_MAX_WORD_LEN &&
            (rc = emit_token(w, a->norm.ptr, a->norm.len, start + from, start + i, w->pos++,
                             0)) != LZ_OK)
            return rc;
        from = i + 1;
    }
    lzi_buf_clear(&a->norm);
    if ((rc = lzi_normalize(&a->norm, p, n)) != LZ_OK)
        return rc;
    drop_acronym_dots(&a->norm);
    if (w->pos == first || a->norm.len == 0 || a->norm.len > LZI_MAX_WORD_LEN)
        return LZ_OK;
    return emit_token(w, a->norm.ptr, a->norm.len, start, end, first, LZI_TOKEN_JOINED);
}

/* One ICU word segment [start, end) with its rule status. */
static int take_word(walk *w, size_t start, size_t end, int32_t status)
{
    lzi_analyzer *a = w->a;
    int letters = status >= UBRK_WORD_LETTER && status < UBRK_WORD_LETTER_LIMIT;
    int rc;

    if (memchr(w->text + start, '.', end - start) != NULL &&
        dotted_name(w->text + start, end - start))
        return take_dotted(w, start, end);
    lzi_buf_clear(&a->norm);
    if ((rc = lzi_normalize(&a->norm, w->text + start, end - start)) != LZ_OK)
        return rc;
    drop_acronym_dots(&a->norm);
    if (a->norm.len == 0 || a->norm.len > LZI_MAX_WORD_LEN)
        return finish_compound(w);          /* no term, no position; and no compound across */

    if (letters && w->cp_parts > 0 && one_hyphen(w->text + w->cp_end, start - w->cp_end)) {
        /* once too long the joined form is never emitted: stop copying (a-b-c-... chains) */
        if (a->joined.len <= LZI_MAX_WORD_LEN &&
            (rc = lzi_buf_append(&a->joined, a->norm.ptr, a->norm.len)) != LZ_OK)
            return rc;
        w->cp_parts++;
        w->cp_end = end;
    } else {
        if ((rc = finish_compound(w)) != LZ_OK)
            return rc;
        if (letters) {                      /* may be the first part of a compound */
            lzi_buf_clear(&a->joined);
            if ((rc = lzi_buf_append(&a->joined, a->norm.ptr, a->norm.len)) != LZ_OK)
                return rc;
            w->cp_start = start;
            w->cp_end = end;
            w->cp_pos = w->pos;
            w->cp_parts = 1;
        }
    }
    return emit_token(w, a->norm.ptr, a->norm.len, start, end, w->pos++, 0);
}

int lzi_analyze(lzi_analyzer *a, const char *text, size_t len, lzi_token_fn emit, void *payload)
{
    walk w = { a, text, emit, payload, 0, 0, 0, 0, 0 };
    int32_t start, end;
    int rc;

    if ((rc = check_text(text, len)) != LZ_OK || len == 0)
        return rc;
    if ((rc = set_text(a->words, text, len, "word segmentation")) != LZ_OK)
        return rc;
    /* Superscript digits (U+00B9, U+00B2, U+00B3, U+2070-U+2079) have Word_Break=Other, so ICU
     * always puts them in segments of their own with status UBRK_WORD_NONE: footnote markers
     * never reach a word (the unit tests pin this). */
    for (start = ubrk_first(a->words), end = ubrk_next(a->words); end != UBRK_DONE && rc == LZ_OK;
         start = end, end = ubrk_next(a->words)) {
        int32_t status = ubrk_getRuleStatus(a->words);
        if (status >= UBRK_WORD_NONE_LIMIT)
            rc = take_word(&w, (size_t)start, (size_t)end, status);
    }
    if (rc == LZ_OK)
        rc = finish_compound(&w);
    return rc;
}

int lzi_sentences(lzi_analyzer *a, const char *text, size_t len, size_t **starts, size_t *n)
{
    size_t *v, *grown, cap = LZI_SENTENCES_INITIAL, count = 0;
    int32_t b;
    int rc;

    *starts = NULL;
    *n = 0;
    if ((rc = check_text(text, len)) != LZ_OK)
        return rc;
    if ((v = lzi_malloc(cap * sizeof *v)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory (sentence starts)");
    if (len > 0 && (rc = set_text(a->sentences, text, len, "sentence segmentation")) != LZ_OK)
        goto done;
    /* ubrk_first() is 0; the last boundary, len, starts nothing */
    for (b = len > 0 ? ubrk_first(a->sentences) : UBRK_DONE; b != UBRK_DONE && (size_t)b < len;
         b = ubrk_next(a->sentences)) {
        if (count == cap) {
            if (cap > SIZE_MAX / 2 / sizeof *v ||
                (grown = lzi_realloc(v, 2 * cap * sizeof *v)) == NULL) {
                rc = lzi_error_set(LZ_ENOMEM, "out of memory (%zu sentence starts)", cap);
                goto done;
            }
            v = grown;
            cap *= 2;
        }
        v[count++] = (size_t)b;
    }
    *starts = v;
    *n = count;
    v = NULL;
done:
    lzi_free(v);                            /* NULL after the move */
    return rc;
}

int lzi_stem(lzi_analyzer *a, const char *word, size_t len, lzi_buf *out)
{
    return stem_cached(a, word, len, out);
}

/* Filled once, then only read: the versions of the libraries loaded at run time (a Debian
 * update of utf8proc or ICU changes them without a rebuild, and the index must notice). */
static char versions[96];
static pthread_once_t versions_once = PTHREAD_ONCE_INIT;

static void versions_init(void)
{
    UVersionInfo icu, uni;
    char icu_s[U_MAX_VERSION_STRING_LENGTH], uni_s[U_MAX_VERSION_STRING_LENGTH];

    u_getVersion(icu);
    u_getUnicodeVersion(uni);
    u_versionToString(icu, icu_s);
    u_versionToString(uni, uni_s);
    snprintf(versions, sizeof versions, "ICU %s, Unicode %s, utf8proc %s", icu_s, uni_s,
             utf8proc_version());
}

const char *lzi_text_versions(void)
{
    pthread_once(&versions_once, versions_init);
    return versions;
}
