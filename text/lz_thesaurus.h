/* The domain thesaurus: groups of expressions that mean the same thing in this field (acronyms
 * and their expansions, informal and formal terms). Each group is a concept with a term of its
 * own ("XC" + id). The indexer adds a concept's term to every passage where one of its
 * expressions occurs; the synonym table maps every expression (as QueryParser sees it) to that
 * term, so a query in any of the group's words finds the others. The snippet highlights the
 * expressions found by the same matcher. Loaded from thesaurus/en.txt, compiled into the
 * library. British and American spellings are not listed there: lzi_spelling_variants makes
 * them by rule, for queries. */
#ifndef LZ_THESAURUS_H
#define LZ_THESAURUS_H

#include <stddef.h>

#include "lz_common.h"
#include "lz_text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Prefix of concept terms. */
#define LZI_PREFIX_CONCEPT "XC"

/* The line that starts the second section of a thesaurus, whose groups are related words
 * rather than synonyms (thesaurus/README.md), and the prefix of their terms. Related groups
 * get no synonym-table entries; the searcher adds their terms below the query's words. */
#define LZI_RELATED_SECTION "[related]"
#define LZI_PREFIX_RELATED "XR"

/* Largest thesaurus text parsed: the bundled one is a few kilobytes. */
#define LZI_MAX_THESAURUS_BYTES (1024 * 1024)

/* Most words in one expression (counting the parts of hyphenated compounds); longer is
 * LZ_EINPUT: an expression is a name or a term, not a sentence. */
#define LZI_MAX_EXPR_WORDS 16

/* Most hyphenated compounds in one expression. Each is matched split (`multi disciplinary`)
 * and joined (`multidisciplinary`), as lzi_analyze reads both, so an expression has up to
 * 2^LZI_MAX_EXPR_COMPOUNDS spellings. */
#define LZI_MAX_EXPR_COMPOUNDS 4

/* Longest concept id in bytes; a derived id that would be longer becomes a hash. With the
 * prefix the term stays far below Xapian's 245-byte limit. */
#define LZI_MAX_CONCEPT_ID 60

/* Most spellings lzi_spelling_variants reports for one word (rules can combine). */
#define LZI_MAX_SPELLING_VARIANTS 8

typedef struct lzi_thesaurus lzi_thesaurus;

/* Parse a thesaurus text (format in thesaurus/README.md: one concept a line, `id:` optional,
 * expressions separated by `|`, a `~` marking an expression the bundled corpus does not use,
 * `#` comments; the groups after a line LZI_RELATED_SECTION are related groups, with terms
 * LZI_PREFIX_RELATED + id, matched apart from the synonyms, in no synonym-table entry, counted
 * by lzi_thesaurus_counts and covered by the digest; error lines count from the top of the
 * whole text) with analyzer a, whose words, stems and hyphenated compounds are exactly those
 * of passage text. An expression may belong to several concepts. On success *out belongs to
 * the caller (lzi_thesaurus_free); it is read-only afterwards, so threads may share it.
 * LZ_EINPUT with "line N: why" for a malformed line (fewer than two expressions, an empty
 * one, one without words or over the limits above, an expression listed twice in a concept,
 * a bad or duplicate id), for invalid UTF-8, a NUL byte, or a text over
 * LZI_MAX_THESAURUS_BYTES; LZ_ENOMEM. On failure *out is NULL. */
int lzi_thesaurus_parse(lzi_thesaurus **out, lzi_analyzer *a, const char *text, size_t len);
void lzi_thesaurus_free(lzi_thesaurus *t);

/* 16 lower-case hex digits identifying what the thesaurus does to an index: concept terms, the
 * stems they are matched by, synonym keys. Comments, `~` marks, the order of lines and of
 * expressions do not change it. Lent; lives as long as t. */
const char *lzi_thesaurus_digest(const lzi_thesaurus *t);

/* Number of concepts and of expressions as written (spellings of compounds not counted). */
void lzi_thesaurus_counts(const lzi_thesaurus *t, size_t *n_concepts, size_t *n_expressions);

/* Call fn(payload, key, term) for each synonym-table entry (none for related groups), sorted
 * by key then term, each pair once: key is an expression as QueryParser looks it up
 * (normalized words joined by one space, one key per spelling of its compounds; and, for
 * single-word spellings that have a stem, also "Z" + stem), term the concept term. Strings are lent for the call. A non-zero return stops
 * and is passed back. */
typedef int (*lzi_synonym_fn)(void *payload, const char *key, const char *term);
int lzi_thesaurus_each_synonym(const lzi_thesaurus *t, lzi_synonym_fn fn, void *payload);

/* One word of a text, as the matcher needs it (from lzi_analyze, JOINED tokens excluded). */
typedef struct lzi_word {
    size_t start, end;      /* byte range in the text */
    const char *norm;       /* normalized word */
    size_t norm_len;
    const char *stem;       /* stem, or NULL */
    size_t stem_len;
    size_t norm_at, stem_at;    /* while a list is built: offsets in its store (LZI_NPOS: no stem) */
} lzi_word;

/* The words of a text with their normalized forms and stems kept, ready for
 * lzi_thesaurus_match. Reuse one list for many texts: lzi_wordlist_fill replaces the
 * contents. */
typedef struct lzi_wordlist {
    lzi_word *v;
    size_t n, cap;
    lzi_buf store;          /* the norms and stems the words point into */
} lzi_wordlist;

#define LZI_WORDLIST_INIT { NULL, 0, 0, LZI_BUF_INIT }

/* Analyze text (valid UTF-8) into wl: every token of lzi_analyze except the extra JOINED
 * forms, in order. */
int lzi_wordlist_fill(lzi_wordlist *wl, lzi_analyzer *a, const char *text, size_t len);
/* The same, one token at a time, for a caller that analyzes the text for its own ends too:
 * clear, add every token (JOINED forms are left out), then finish before reading the words. */
void lzi_wordlist_clear(lzi_wordlist *wl);
int lzi_wordlist_add(lzi_wordlist *wl, const lzi_token *tok);
void lzi_wordlist_finish(lzi_wordlist *wl);
void lzi_wordlist_dispose(lzi_wordlist *wl);

/* Call fn(payload, term, first, last) for every occurrence of an expression of the thesaurus in
 * words[0..n) (first and last are word indexes, inclusive). An expression matches a run of
 * words when each of its words matches by stem (or by normalized form for words without a
 * stem). Scanning from the left, the longest expression starting at a word wins and the scan
 * goes on after it, so matches do not overlap; when the winning run is an expression of
 * several concepts, fn is called once for each (in term order). The related section is
 * matched after the synonyms, on its own (its matches may overlap theirs). Costs O(log E) per word and
 * matched word for E expressions. A non-zero return from fn stops and is passed back. */
typedef int (*lzi_concept_fn)(void *payload, const char *term, size_t first, size_t last);
int lzi_thesaurus_match(const lzi_thesaurus *t, const lzi_word *words, size_t n,
                        lzi_concept_fn fn, void *payload);

/* British and American spellings by rule: call fn(payload, variant, len) for every other
 * spelling of the normalized word (at most LZI_MAX_SPELLING_VARIANTS). The rules work on
 * endings and stems, not on a word list: -ise/-ize with all inflections (-ised -ising -ises
 * -iser(s) -isation(s) -isational -isable) after the stems that take the Greek suffix (so not
 * advise, exercise, promise, size, prize); -yse/-yze (analyse); -our/-or and inflections
 * (never four, your, hour, tour, pour, detour, contour), and -or to -our only for the closed
 * class of nouns that alternate (behavior, labor, honor, color, ...); offence defence pretence
 * licence; programme(s); practise (verb); paed-/ped- (paedophile, encyclopaedia); judgement;
 * ageing; centre theatre metre litre fibre calibre sombre meagre (-tre/-ter, a closed class);
 * -lled/-led, -lling/-ling, -ller/-ler, -llor/-lor after one vowel (travelled, counselling);
 * -logue/-log after a vowel (dialogue, catalogue). They may produce spellings no text uses,
 * which cost a query nothing, but rarely a different real word. A non-zero return from fn
 * stops and is passed back. */
typedef int (*lzi_variant_fn)(void *payload, const char *variant, size_t len);
int lzi_spelling_variants(const char *word, size_t len, lzi_variant_fn fn, void *payload);

/* Rewrite a normalized query (lzi_query_normalize's output) so that each plain word that has
 * spelling variants becomes a bracketed OR of the word and its variants:
 * `criminalize grooming` -> `(criminalize OR criminalise) grooming`. A plain word is one of
 * letters, digits and apostrophes, outside quotes, possibly opening or closing brackets
 * (`(criminalize` -> `((criminalize OR criminalise)`), and not an operand of NEAR or ADJ
 * (which take terms only). Phrases, `field:value`, `word*`, `+word`, `-word`, operators and
 * everything else are copied unchanged, and so is white space. Appends to out; on failure
 * (LZ_ENOMEM) out is as it was. */
int lzi_query_add_variants(const char *nq, size_t len, lzi_buf *out);

/* thesaurus/en.txt, compiled into the library (generated by CMake from common/thesaurus.c.in);
 * NUL-terminated, len excludes the NUL. */
extern const char lzi_thesaurus_english[];
extern const size_t lzi_thesaurus_english_len;

#ifdef __cplusplus
}
#endif

#endif
