/* Fuzz target: the text pipeline (text/) on any bytes: UTF-8 check and repair, normalization,
 * ICU words with normalization and stems, sentences, the thesaurus matcher, query rewriting
 * (lzi_query_normalize, lzi_query_add_variants) and, on the words found, a snippet
 * (searcher/snippet.c). Checks their contracts: repaired text is valid, tokens are byte ranges
 * of the text in order, sentence starts increase, outputs are valid UTF-8, highlights lie
 * inside the snippet. Seeds: tests/fuzz/corpus/text/. */
#include <string.h>

#include "fuzz_common.h"
#include "lz_common.h"
#include "lz_snippet.h"
#include "lz_text.h"
#include "lz_thesaurus.h"

/* Inputs above this are cut: every stage is linear, larger inputs only slow the search. */
#define FUZZ_MAX_INPUT ((size_t)256 << 10)
/* Query words turned into snippet terms. */
#define FUZZ_SNIPPET_TERMS 4

static lzi_analyzer *analyzer;
static lzi_thesaurus *thesaurus;

static void cleanup(void)
{
    lzi_thesaurus_free(thesaurus);
    lzi_analyzer_free(analyzer);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    FUZZ_ASSERT(lzi_analyzer_new(&analyzer) == LZ_OK);
    FUZZ_ASSERT(lzi_thesaurus_parse(&thesaurus, analyzer, lzi_thesaurus_english,
                                    lzi_thesaurus_english_len) == LZ_OK);
    atexit(cleanup);
    return 0;
}

static int valid(const char *s, size_t len)
{
    return lzi_utf8_invalid(s, len) == LZI_NPOS;
}

typedef struct token_check {
    size_t len;             /* of the analysed text */
    size_t last_start;      /* start of the previous word (not a joined form) */
    unsigned last_pos;      /* its position */
    size_t n;
    char *terms[FUZZ_SNIPPET_TERMS];    /* first few normalized words, for the snippet */
    size_t n_terms;
} token_check;

static int on_token(void *payload, const lzi_token *t)
{
    token_check *c = payload;

    FUZZ_ASSERT(t->start < t->end && t->end <= c->len);
    FUZZ_ASSERT(t->norm != NULL && t->norm_len > 0 && t->norm_len <= LZI_MAX_WORD_LEN);
    FUZZ_ASSERT(valid(t->norm, t->norm_len));
    FUZZ_ASSERT(t->stem == NULL || valid(t->stem, t->stem_len));
    if (!(t->flags & LZI_TOKEN_JOINED)) {       /* words advance in position and bytes */
        FUZZ_ASSERT(c->n == 0 || (t->pos > c->last_pos && t->start >= c->last_start));
        c->last_start = t->start;
        c->last_pos = t->pos;
    } else {                                    /* a joined form: at its first part's place */
        FUZZ_ASSERT(c->n > 0 && t->pos <= c->last_pos && t->start <= c->last_start);
    }
    c->n++;
    if (c->n_terms < FUZZ_SNIPPET_TERMS && memchr(t->norm, ' ', t->norm_len) == NULL) {
        size_t i;
        char *w = lzi_strndup(t->norm, t->norm_len);
        FUZZ_ASSERT(w != NULL);
        for (i = 0; i < c->n_terms && strcmp(c->terms[i], w) != 0; i++)
            ;
        if (i == c->n_terms)
            c->terms[c->n_terms++] = w;
        else
            lzi_free(w);
    }
    return 0;
}

static int on_concept(void *payload, const char *term, size_t first, size_t last)
{
    size_t n = *(size_t *)payload;
    FUZZ_ASSERT(first <= last && last < n);
    FUZZ_ASSERT(strncmp(term, LZI_PREFIX_CONCEPT, strlen(LZI_PREFIX_CONCEPT)) == 0 ||
                strncmp(term, LZI_PREFIX_RELATED, strlen(LZI_PREFIX_RELATED)) == 0);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_snippet(const char *text, size_t len, token_check *c, size_t budget)
{
    lzi_snippet sn = LZI_SNIPPET_INIT;
    lzi_query_terms q;
    const char *wild[1];
    size_t i;

    qsort(c->terms, c->n_terms, sizeof *c->terms, cmp_str);
    memset(&q, 0, sizeof q);
    q.terms = (const char *const *)c->terms;
    q.n_terms = c->n_terms;
    if (c->n_terms > 0) {                   /* the first word's first byte as a wildcard */
        static char prefix[2];
        prefix[0] = c->terms[0][0];
        wild[0] = prefix;
        q.wildcards = wild;
        q.n_wildcards = 1;
    }
    q.thesaurus = thesaurus;
    if (lzi_snippet_make(&sn, analyzer, text, len, &q, budget) == LZ_OK) {
        FUZZ_ASSERT(sn.text.ptr != NULL && valid(sn.text.ptr, sn.text.len));
        for (i = 0; i < sn.n_spans; i++) {
            size_t off = sn.spans[2 * i], n = sn.spans[2 * i + 1];
            FUZZ_ASSERT(n > 0 && off <= sn.text.len && n <= sn.text.len - off);
            FUZZ_ASSERT(i == 0 || off >= sn.spans[2 * i - 2] + sn.spans[2 * i - 1]);
        }
    }
    lzi_snippet_dispose(&sn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *raw = (const char *)data;
    lzi_buf fixed = LZI_BUF_INIT, norm = LZI_BUF_INIT, nq = LZI_BUF_INIT, var = LZI_BUF_INIT;
    lzi_wordlist wl = LZI_WORDLIST_INIT;
    token_check c;
    size_t *starts = NULL, n_starts = 0, n_bad = 0, i, len;
    const char *text;
    int rc;

    if (size > FUZZ_MAX_INPUT)
        size = FUZZ_MAX_INPUT;
    /* UTF-8: repair makes valid text, and changes nothing in valid text. */
    FUZZ_ASSERT(lzi_utf8_repair(&fixed, raw, size, &n_bad) == LZ_OK);
    FUZZ_ASSERT(valid(fixed.ptr ? fixed.ptr : "", fixed.len));
    if (lzi_utf8_invalid(raw, size) == LZI_NPOS)
        FUZZ_ASSERT(n_bad == 0 && fixed.len == size && memcmp(fixed.ptr, raw, size) == 0);
    else
        FUZZ_ASSERT(n_bad > 0);
    text = fixed.ptr ? fixed.ptr : "";
    len = fixed.len;

    /* Normalization refuses invalid UTF-8 and makes valid UTF-8. */
    rc = lzi_normalize(&norm, raw, size);
    FUZZ_ASSERT(rc == LZ_OK || (rc == LZ_EINPUT && n_bad > 0));
    if (rc == LZ_OK)
        FUZZ_ASSERT(valid(norm.ptr ? norm.ptr : "", norm.len));

    /* Words and sentences of the repaired text. */
    memset(&c, 0, sizeof c);
    c.len = len;
    rc = lzi_analyze(analyzer, text, len, on_token, &c);
    FUZZ_ASSERT(rc == LZ_OK);
    if (lzi_sentences(analyzer, text, len, &starts, &n_starts) == LZ_OK) {
        for (i = 0; i < n_starts; i++)
            FUZZ_ASSERT(starts[i] < len && (i == 0 ? starts[0] == 0 : starts[i] > starts[i - 1]));
        FUZZ_ASSERT(len == 0 || n_starts > 0);
    }
    lzi_free(starts);

    /* Concepts of the thesaurus among the words, as the indexer finds them. */
    if (lzi_wordlist_fill(&wl, analyzer, text, len) == LZ_OK)
        FUZZ_ASSERT(lzi_thesaurus_match(thesaurus, wl.v, wl.n, on_concept, &wl.n) == LZ_OK);

    /* The text as a query: rewritten, then spelling variants added. */
    FUZZ_ASSERT(lzi_query_normalize(analyzer, text, len, &nq) == LZ_OK);
    FUZZ_ASSERT(valid(nq.ptr ? nq.ptr : "", nq.len));
    FUZZ_ASSERT(lzi_query_add_variants(nq.ptr ? nq.ptr : "", nq.len, &var) == LZ_OK);
    FUZZ_ASSERT(valid(var.ptr ? var.ptr : "", var.len));
    lzi_buf_clear(&var);
    FUZZ_ASSERT(lzi_query_add_variants(text, len, &var) == LZ_OK);

    /* A snippet of the text for its own first words. */
    if (len > 0 && memchr(text, '\0', len) == NULL)
        check_snippet(text, len, &c, LZI_SNIPPET_MIN + (size > 0 ? data[0] % 200 : 0));

    for (i = 0; i < c.n_terms; i++)
        lzi_free(c.terms[i]);
    lzi_wordlist_dispose(&wl);
    lzi_buf_dispose(&fixed);
    lzi_buf_dispose(&norm);
    lzi_buf_dispose(&nq);
    lzi_buf_dispose(&var);
    return 0;
}
