/* The text pipeline, the one place where terms are made: UTF-8 checks and repair, ICU word and
 * sentence boundaries (byte offsets into the caller's text), utf8proc NFKC + case fold + mark
 * removal, Snowball stems through the backend, stopwords. The indexer feeds it passage text;
 * the searcher feeds it queries and snippets, so both sides agree on every term. */
#ifndef LZ_TEXT_H
#define LZ_TEXT_H

#include <stddef.h>

#include "lz_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Words longer than this many bytes after normalization produce no term (Xapian's glass
 * backend rejects terms over 245 bytes; TermGenerator's default cut is 64). */
#define LZI_MAX_WORD_LEN 64

/* --- UTF-8 --------------------------------------------------------------------------------- */

/* Byte offset of the first invalid UTF-8 sequence in text, or LZI_NPOS if it is all valid
 * (overlong forms, surrogates and code points above U+10FFFF are invalid). */
size_t lzi_utf8_invalid(const char *text, size_t len);

/* Append to `out` a copy of text with every invalid sequence replaced by U+FFFD (one per
 * maximal invalid subpart, as the Unicode standard recommends). *n_bad (may be NULL) receives
 * the number of replacements. LZ_ENOMEM on failure. */
int lzi_utf8_repair(lzi_buf *out, const char *text, size_t len, size_t *n_bad);

/* --- Normalization ------------------------------------------------------------------------- */

/* Append to `out` the search form of text: NFKC, case folded, combining marks removed,
 * typographic apostrophes (U+2019, U+02BC, U+2018, U+FF07) turned into "'", soft hyphens
 * (U+00AD) removed. Text must be valid UTF-8 (LZ_EINPUT otherwise). */
int lzi_normalize(lzi_buf *out, const char *text, size_t len);

/* --- Analysis ------------------------------------------------------------------------------ */

typedef struct lzi_analyzer lzi_analyzer;

/* One word of the analysed text. Pointers are lent until the callback returns. */
typedef struct lzi_token {
    size_t start, end;      /* byte range [start, end) of the word in the caller's text */
    const char *norm;       /* normalized word (lzi_normalize, acronym dots dropped) */
    size_t norm_len;
    const char *stem;       /* Snowball stem of norm; NULL when not stemmed (starts with a digit) */
    size_t stem_len;
    unsigned pos;           /* word position in the text, from 0; extra tokens share the
                               position of the first part */
    unsigned flags;         /* LZI_TOKEN_* */
} lzi_token;

/* The token is an extra form that does not advance the position: the joined spelling of a
 * hyphenated compound (`co-operation` also gives `cooperation`, at the position of `co`) or of
 * a dotted name (`coe.int` also gives `coeint`). */
#define LZI_TOKEN_JOINED 1u

typedef int (*lzi_token_fn)(void *payload, const lzi_token *tok);

/* Create an analyzer for English (ICU word and sentence iterators for locale "en", the
 * "english" Snowball stemmer, scratch buffers). One thread at a time per analyzer. */
int lzi_analyzer_new(lzi_analyzer **out);
void lzi_analyzer_free(lzi_analyzer *a);

/* Report each word of text (valid UTF-8) in order: ICU word boundaries, keeping only segments
 * whose rule status is a word (letters, numbers, ideographs, kana); each normalized; words that
 * normalize to nothing or to more than LZI_MAX_WORD_LEN bytes are skipped (without taking a
 * position). Superscript digits (U+00B9, U+00B2, U+00B3, U+2070-U+2079) never join a word: they
 * are footnote markers, dropped here. A word that ICU keeps whole across name dots
 * (`www.safenet.bg`, not `e.g` nor `2.5`) is reported as its parts, then (LZI_TOKEN_JOINED) as
 * the whole without dots. Stops at, and returns, the first non-zero value from emit. */
int lzi_analyze(lzi_analyzer *a, const char *text, size_t len, lzi_token_fn emit, void *payload);

/* Byte offsets at which ICU sentences start in text (the first is 0). *starts is allocated with
 * lzi_malloc and belongs to the caller. */
int lzi_sentences(lzi_analyzer *a, const char *text, size_t len, size_t **starts, size_t *n);

/* Stem one normalized word into `out` (replacing its contents). */
int lzi_stem(lzi_analyzer *a, const char *word, size_t len, lzi_buf *out);

/* Rewrite a user's query into the form QueryParser receives, so that its words are the ones
 * lzi_analyze makes: every word normalized as above (so `Parties` is stemmed like `parties`);
 * upper-case operators AND OR NOT XOR NEAR ADJ (with /N) kept; `field:` prefixes kept;
 * typographic double quotes become '"'; outside quotes, an identifier that ICU would split
 * (`25(4)`, `20(1)(a)`, `II-6`, `Para.71`) becomes a quoted phrase of its words, and so does a
 * reference word (article, articles, art, para, paras, paragraph, recommendation, rec, chapter)
 * followed by a number or identifier (`Article 25(4)` -> `"article 25 4"`); a hyphenated
 * compound of letters outside quotes becomes `(a-b OR ab)` so it also finds the joined
 * spelling. Result appended to out. LZ_EINPUT for invalid UTF-8. */
int lzi_query_normalize(lzi_analyzer *a, const char *q, size_t len, lzi_buf *out);

/* Whether word[0, len) is one of the reference words lzi_query_normalize reads before a number
 * or identifier (`Article`, `Art.`, `Paras`, `Recommendation`...): ASCII case ignored, a final
 * '.' allowed. */
int lzi_is_reference_word(const char *word, size_t len);

/* --- Stopwords ----------------------------------------------------------------------------- */

/* A sorted set of normalized stopwords, read from a file of one word a line ('#' comments). */
typedef struct lzi_stoplist {
    char **words;
    size_t n;
    char digest[17];        /* 64-bit FNV-1a of the sorted list, hex: goes in the index
                               fingerprint */
} lzi_stoplist;

/* Whether a normalized query (lzi_query_normalize's output) asks for a count: "how many" or
 * "how much" as words outside quotes. */
int lzi_query_asks_count(const char *nq, size_t len);

/* Rewrite a normalized query (lzi_query_normalize's output) without the words QueryParser
 * should not search for: stopwords that stand as bare words outside phrases, and the
 * quantity word of "how many", "how much", "how long", "how often", "how far". QueryParser
 * drops stopwords itself, but keeps a run of them that brackets cut off from the other words
 * ("for which (offences OR offense)"), as it keeps a query of stopwords only. Words next to an
 * operator (AND, NEAR/3...) stay, and so does everything when nothing else would be left.
 * Pieces are rejoined with one space where there was white space. Appends to out; on failure
 * (LZ_ENOMEM) out is as it was. */
int lzi_query_drop_stopwords(const char *nq, size_t len, const lzi_stoplist *stop,
                             lzi_buf *out);

int lzi_stoplist_load(lzi_stoplist *out, const char *path);
int lzi_stoplist_from_text(lzi_stoplist *out, const char *text, size_t len);
int lzi_stoplist_has(const lzi_stoplist *s, const char *word, size_t len);
void lzi_stoplist_dispose(lzi_stoplist *s);

/* Versions of the libraries the pipeline depends on, for the index fingerprint and --version:
 * "ICU 72.1, Unicode 15.0, utf8proc 2.6.0". Static storage. */
const char *lzi_text_versions(void);

#ifdef __cplusplus
}
#endif

#endif
