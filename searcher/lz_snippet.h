/* Snippets: the window of a passage that best shows why it matched, with the matching words
 * highlighted. Matching uses text/'s tokens, so a highlight is exactly a word (or joined
 * compound) that produced a query term: unstemmed, stemmed ("Z"-prefixed) or a wildcard's
 * expansion. */
#ifndef LZ_SNIPPET_H
#define LZ_SNIPPET_H

#include <stddef.h>

#include "lz_common.h"
#include "lz_text.h"
#include "lz_thesaurus.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The query's terms as the snippet needs them; arrays sorted (strcmp), borrowed. */
typedef struct lzi_query_terms {
    const char *const *terms;   /* unprefixed words and "Z" stems of the parsed query */
    size_t n_terms;
    const char *const *wildcards;  /* normalized prefixes of trailing-* words */
    size_t n_wildcards;
    const lzi_thesaurus *thesaurus;  /* finds the expressions behind concept terms ("XC...")
                                        among the terms; NULL: none highlighted */
} lzi_query_terms;

typedef struct lzi_snippet {
    lzi_buf text;               /* the snippet; "…" marks each cut end */
    size_t *spans;              /* n_spans pairs (byte offset, byte length) into text */
    size_t n_spans;
} lzi_snippet;

#define LZI_SNIPPET_INIT { LZI_BUF_INIT, NULL, 0 }

/* Smallest and largest accepted budgets, in bytes. */
#define LZI_SNIPPET_MIN 40
#define LZI_SNIPPET_MAX 4000

/* Make the snippet of text (valid UTF-8) in at most about `budget` bytes (plus the cut marks):
 * the window preferring sentence starts that holds the most distinct query terms (repeats
 * count less), cut only at word boundaries. *out must be LZI_SNIPPET_INIT or disposed. */
int lzi_snippet_make(lzi_snippet *out, lzi_analyzer *a, const char *text, size_t len,
                     const lzi_query_terms *q, size_t budget);

void lzi_snippet_dispose(lzi_snippet *s);

#ifdef __cplusplus
}
#endif

#endif
