/* Snippet windows and highlights (lz_snippet.h). The passage is tokenized once with text/; each
 * word that produced a query term is a match; candidate windows start at ICU sentence starts
 * or shortly before a match; the best holds the most distinct terms. Cuts fall on word
 * boundaries, so no word and no UTF-8 sequence is ever split. */
#include <stdlib.h>
#include <string.h>

#include "lz_snippet.h"

/* Cut marks: U+2026 HORIZONTAL ELLIPSIS with a space towards the text. */
#define CUT_HEAD "\xE2\x80\xA6 "
#define CUT_TAIL " \xE2\x80\xA6"

/* How far before a match a window that cannot start at its sentence starts (bytes, as a
 * share of the budget): enough context to read the match, most of the window after it. */
#define LEAD_DIVISOR 4

typedef struct word {
    size_t start, end;
    long term;              /* index of the matched term or wildcard, -1 when no match */
} word;

typedef struct scan_ctx {
    const lzi_query_terms *q;
    word *v;
    size_t n, cap;
    lzi_buf z;              /* scratch: "Z" + stem */
    int failed;
    lzi_wordlist *wl;       /* for concept matches: the text's words, NULL when none */
} scan_ctx;

static long find_term(const lzi_query_terms *q, const char *s, size_t len)
{
    size_t lo = 0, hi = q->n_terms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *t = q->terms[mid];
        int c = strncmp(t, s, len);
        if (c == 0)
            c = t[len] == '\0' ? 0 : 1;
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static long match_token(scan_ctx *c, const lzi_token *tok)
{
    const lzi_query_terms *q = c->q;
    long t;
    size_t i;

    if ((t = find_term(q, tok->norm, tok->norm_len)) >= 0)
        return t;
    if (tok->stem != NULL) {
        lzi_buf_clear(&c->z);
        if (lzi_buf_putc(&c->z, 'Z') != LZ_OK ||
            lzi_buf_append(&c->z, tok->stem, tok->stem_len) != LZ_OK) {
            c->failed = 1;
            return -1;
        }
        if ((t = find_term(q, c->z.ptr, c->z.len)) >= 0)
            return t;
    }
    for (i = 0; i < q->n_wildcards; i++) {
        size_t wl = strlen(q->wildcards[i]);
        if (wl <= tok->norm_len && memcmp(tok->norm, q->wildcards[i], wl) == 0)
            return (long)(q->n_terms + i);
    }
    return -1;
}

static int on_word(void *payload, const lzi_token *tok)
{
    scan_ctx *c = payload;
    long t = match_token(c, tok);
    word *w;

    if (c->failed)
        return lzi_error_set(LZ_ENOMEM, "out of memory making snippet");
    if (c->wl != NULL && lzi_wordlist_add(c->wl, tok) != LZ_OK)
        return LZ_ENOMEM;
    if (tok->flags & LZI_TOKEN_JOINED) {
        /* The joined form of a compound covers its parts: it only adds a match. */
        if (t >= 0 && c->n > 0) {
            size_t k = c->n;
            while (k > 0 && c->v[k - 1].start >= tok->start)
                c->v[--k].term = -1;
            c->v[k].start = tok->start;
            c->v[k].end = tok->end;
            c->v[k].term = t;
            c->n = k + 1;
        }
        return LZ_OK;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        word *v = lzi_realloc(c->v, cap * sizeof *v);
        if (v == NULL)
            return lzi_error_set(LZ_ENOMEM, "out of memory making snippet");
        c->v = v;
        c->cap = cap;
    }
    w = &c->v[c->n++];
    w->start = tok->start;
    w->end = tok->end;
    w->term = t;
    return LZ_OK;
}

/* Score of the window of words [first, last]: one per distinct term, a quarter for repeats. */
static double window_score(const word *v, size_t first, size_t last, unsigned char *seen,
                           size_t n_ids)
{
    double score = 0;
    size_t i;
    memset(seen, 0, n_ids);
    for (i = first; i <= last; i++) {
        if (v[i].term < 0)
            continue;
        score += seen[v[i].term] ? 0.25 : 1.0;
        seen[v[i].term] = 1;
    }
    return score;
}

/* Bytes from `from` to the first match among words [first, last] (all of them if none). */
static size_t lead_bytes(const word *v, size_t first, size_t last, size_t from)
{
    size_t i;
    for (i = first; i <= last; i++)
        if (v[i].term >= 0)
            return v[i].start - from;
    return v[last].end - from;
}

/* Index of the first word starting at or after off (n if none). */
static size_t word_at(const word *v, size_t n, size_t off)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].start < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Closing punctuation right after a cut is kept with the word before it. */
static size_t extend_punct(const char *text, size_t len, size_t end, size_t limit)
{
    while (end < len && end < limit && strchr(".,;:!?)]\"'", text[end]) != NULL &&
           text[end] != '\0')
        end++;
    return end;
}

/* A thesaurus expression found in the text: if its concept term is one of the query's, the
 * words it covers match that term (they then highlight as one span). */
static int on_concept(void *payload, const char *term, size_t first, size_t last)
{
    scan_ctx *c = payload;
    long t = find_term(c->q, term, strlen(term));
    size_t from, to, k;

    if (t < 0)
        return 0;
    from = c->wl->v[first].start;
    to = c->wl->v[last].end;
    for (k = word_at(c->v, c->n, from); k < c->n && c->v[k].end <= to; k++)
        if (c->v[k].term < 0)
            c->v[k].term = t;
    return 0;
}

/* Whether the query has concept terms at all (they sort together, by their prefix). */
static int has_concepts(const lzi_query_terms *q)
{
    size_t i;
    for (i = 0; i < q->n_terms; i++)
        if (strncmp(q->terms[i], LZI_PREFIX_CONCEPT, strlen(LZI_PREFIX_CONCEPT)) == 0 ||
            strncmp(q->terms[i], LZI_PREFIX_RELATED, strlen(LZI_PREFIX_RELATED)) == 0)
            return 1;
    return 0;
}

int lzi_snippet_make(lzi_snippet *out, lzi_analyzer *a, const char *text, size_t len,
                     const lzi_query_terms *q, size_t budget)
{
    scan_ctx c;
    lzi_wordlist wl = LZI_WORDLIST_INIT;
    size_t *sent = NULL, n_sent = 0, i, ws = 0, we = len, head = 0;
    unsigned char *seen = NULL;
    size_t n_ids = q->n_terms + q->n_wildcards + 1;
    int rc;

    memset(&c, 0, sizeof c);
    c.q = q;
    lzi_buf_clear(&out->text);
    out->n_spans = 0;
    if (q->thesaurus != NULL && has_concepts(q))
        c.wl = &wl;             /* the words are kept in the same pass */
    if ((rc = lzi_analyze(a, text, len, on_word, &c)) != LZ_OK)
        goto done;
    if (c.wl != NULL && c.n > 0) {
        lzi_wordlist_finish(&wl);
        if ((rc = lzi_thesaurus_match(q->thesaurus, wl.v, wl.n, on_concept, &c)) != LZ_OK)
            goto done;
    }

    if (len > budget && c.n > 0) {
        double best = -1;
        size_t best_lead = (size_t)-1, lead;
        if ((rc = lzi_sentences(a, text, len, &sent, &n_sent)) != LZ_OK)
            goto done;
        if ((seen = lzi_malloc(n_ids)) == NULL) {
            rc = lzi_error_set(LZ_ENOMEM, "out of memory making snippet");
            goto done;
        }
        /* Candidates: every sentence start (a small bonus: it reads well), and a point shortly
         * before each match (for matches deep inside a long sentence). */
        for (i = 0; i < n_sent + c.n; i++) {
            size_t from, first, last;
            double score;
            if (i < n_sent) {
                from = sent[i];
            } else {
                const word *m = &c.v[i - n_sent];
                if (m->term < 0)
                    continue;
                from = m->start > budget / LEAD_DIVISOR ? m->start - budget / LEAD_DIVISOR : 0;
            }
            first = word_at(c.v, c.n, from);
            if (first == c.n)
                continue;
            if (i >= n_sent)
                from = c.v[first].start;
            for (last = first; last + 1 < c.n && c.v[last + 1].end <= from + budget; last++)
                ;
            score = window_score(c.v, first, last, seen, n_ids) + (i < n_sent ? 0.1 : 0);
            lead = lead_bytes(c.v, first, last, from);
            /* Equal windows: the one whose first match comes soonest reads best. */
            if (score > best || (score == best && lead < best_lead)) {
                best = score;
                best_lead = lead;
                ws = from;
                we = extend_punct(text, len, c.v[last].end, from + budget);
            }
        }
    }
    while (ws < we && (text[ws] == ' ' || text[ws] == '\t' || text[ws] == '\n'))
        ws++;
    while (we > ws && (text[we - 1] == ' ' || text[we - 1] == '\t' || text[we - 1] == '\n'))
        we--;

    if (ws > 0) {
        if ((rc = lzi_buf_puts(&out->text, CUT_HEAD)) != LZ_OK)
            goto done;
        head = out->text.len;
    }
    if ((rc = lzi_buf_append(&out->text, text + ws, we - ws)) != LZ_OK)
        goto done;
    if (we < len && (rc = lzi_buf_puts(&out->text, CUT_TAIL)) != LZ_OK)
        goto done;

    for (i = 0; i < c.n; i++) {
        const word *w = &c.v[i];
        if (w->term < 0 || w->start < ws || w->end > we)
            continue;
        if (out->n_spans > 0) {
            /* Adjacent matches separated by nothing but a space or hyphen join one span, so a
             * phrase reads as one highlight. */
            size_t *prev = &out->spans[2 * (out->n_spans - 1)];
            size_t prev_end = prev[0] + prev[1] - head + ws;
            if (w->start >= prev_end && w->start - prev_end <= 1) {
                prev[1] = w->end - ws + head - prev[0];
                continue;
            }
        }
        {
            size_t *v = lzi_realloc(out->spans, 2 * (out->n_spans + 1) * sizeof *v);
            if (v == NULL) {
                rc = lzi_error_set(LZ_ENOMEM, "out of memory making snippet");
                goto done;
            }
            out->spans = v;
            v[2 * out->n_spans] = w->start - ws + head;
            v[2 * out->n_spans + 1] = w->end - w->start;
            out->n_spans++;
        }
    }
    rc = LZ_OK;
done:
    lzi_free(sent);
    lzi_free(seen);
    lzi_free(c.v);
    lzi_buf_dispose(&c.z);
    lzi_wordlist_dispose(&wl);
    return rc;
}

void lzi_snippet_dispose(lzi_snippet *s)
{
    lzi_buf_dispose(&s->text);
    lzi_free(s->spans);
    s->spans = NULL;
    s->n_spans = 0;
}
