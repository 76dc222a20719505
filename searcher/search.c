/* lz_searcher_* and lz_search: open an index read-only (checking its fingerprint), run a query
 * through text/'s normalization and Xapian's QueryParser and BM25, offer a spelling correction
 * for words the index lacks, and build each hit: record, snippet with highlights, citation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_record.h"
#include "lz_schema.h"
#include "lz_snippet.h"
#include "lz_text.h"
#include "lz_thesaurus.h"
#include "lzx.h"

/* BM25 parameters (k1, b, min_normlen), chosen on the judged dev queries (see README). */
#define LZI_BM25_K1 1.0
#define LZI_BM25_B 0.5
#define LZI_BM25_MIN_NORMLEN 0.5

/* Longest query accepted, in bytes: far beyond anything typed, bounded so parsing is cheap. */
#define LZI_MAX_QUERY_LEN 100000

struct lz_searcher {
    lzx_db *db;
    lzi_analyzer *an;
    lzi_stoplist stop;
    lzi_thesaurus *thes;
    char *dir;
};

struct lz_hit {
    unsigned rank;
    double score;
    lzi_record rec;
    lzi_snippet snip;
    char *citation;
};

struct lz_results {
    char *query;
    char *corrected;
    int used_corrected;
    uint64_t total;
    char *parsed;
    lz_hit *hits;
    size_t n;
};

/* Field names of the query language and their term prefixes. */
static const lzx_prefix query_prefixes[] = {
    { "title", LZI_PREFIX_TITLE, 0 },
    { "section", LZI_PREFIX_SECTION, 0 },
    { "doc", LZI_PREFIX_DOC, 1 },
};

/* ------------------------------------------------------------------------------------------ */

static int check_fingerprint(lz_searcher *s)
{
    lzi_buf want = LZI_BUF_INIT;
    char *have = NULL;
    size_t have_len = 0;
    int rc;

    if ((rc = lzi_fingerprint(&want, lzi_text_versions(), s->stop.digest,
                              lzi_thesaurus_digest(s->thes))) != LZ_OK ||
        (rc = lzx_db_get_metadata(s->db, LZI_META_FINGERPRINT, &have, &have_len)) != LZ_OK)
        goto done;
    if (have_len == 0 && lzx_db_doccount(s->db) == 0)
        rc = LZ_OK;         /* a new, empty index */
    else if (have_len == 0)
        rc = lzi_error_set(LZ_EVERSION, "%s: not a lanzsearch index (no fingerprint)", s->dir);
    else if (have_len != want.len || memcmp(have, want.ptr, have_len) != 0)
        rc = lzi_error_set(LZ_EVERSION, "%s: index built with other rules (%.*s; this is %s); "
                           "rebuild it with 'lanzsearch index'", s->dir, (int)have_len, have,
                           want.ptr);
done:
    lzi_free(have);
    lzi_buf_dispose(&want);
    return rc;
}

int lz_searcher_open(lz_searcher **out, const char *dir)
{
    lz_searcher *s;
    int rc;

    if (out == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_searcher_open: out is NULL");
    *out = NULL;
    if (dir == NULL || dir[0] == '\0')
        return lzi_error_set(LZ_EINVAL, "lz_searcher_open: no index directory given");
    if ((s = lzi_calloc(1, sizeof *s)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory");
    if ((s->dir = lzi_strdup(dir)) == NULL) {
        rc = lzi_error_set(LZ_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = lzx_db_open(&s->db, dir)) != LZ_OK ||
        (rc = lzi_stoplist_from_text(&s->stop, lzi_stopwords_english,
                                     lzi_stopwords_english_len)) != LZ_OK ||
        (rc = lzi_analyzer_new(&s->an)) != LZ_OK ||
        (rc = lzi_thesaurus_parse(&s->thes, s->an, lzi_thesaurus_english,
                                  lzi_thesaurus_english_len)) != LZ_OK ||
        (rc = check_fingerprint(s)) != LZ_OK)
        goto done;
done:
    if (rc != LZ_OK) {
        lz_searcher_free(s);
        return rc;
    }
    *out = s;
    return LZ_OK;
}

int lz_searcher_reopen(lz_searcher *s)
{
    int rc;
    if (s == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_searcher_reopen: NULL searcher");
    if ((rc = lzx_db_reopen(s->db)) != LZ_OK)
        return rc;
    return check_fingerprint(s);
}

void lz_searcher_free(lz_searcher *s)
{
    if (s == NULL)
        return;
    lzx_db_free(s->db);
    lzi_analyzer_free(s->an);
    lzi_stoplist_dispose(&s->stop);
    lzi_thesaurus_free(s->thes);
    lzi_free(s->dir);
    lzi_free(s);
}

static int64_t meta_number(lz_searcher *s, const char *key)
{
    char *v = NULL;
    size_t len = 0;
    int64_t n = 0;
    if (lzx_db_get_metadata(s->db, key, &v, &len) == LZ_OK && len > 0)
        n = strtoll(v, NULL, 10);
    lzi_free(v);
    return n;
}

int lz_searcher_info(lz_searcher *s, lz_index_info *info)
{
    if (s == NULL || info == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_searcher_info: NULL argument");
    memset(info, 0, sizeof *info);
    info->n_documents = (uint64_t)meta_number(s, LZI_META_NDOCS);
    info->last_modified = meta_number(s, LZI_META_MODIFIED);
    info->n_passages = lzx_db_doccount(s->db);
    info->n_terms = lzx_db_termcount(s->db);
    return LZ_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Spelling: a word of the query the index does not contain, replaced by the index's own
 * nearest spelling. Words the index has are never "corrected" (Xapian would turn a rare real
 * word into a frequent neighbour). */

typedef struct spell_ctx {
    lz_searcher *s;
    const char *query;
    lzi_buf out;            /* corrected query being built */
    size_t copied;          /* bytes of query already copied to out */
    int changed;
} spell_ctx;

static int on_query_word(void *payload, const lzi_token *tok)
{
    spell_ctx *c = payload;
    char *word = NULL, *sugg = NULL;
    int rc = LZ_OK;

    if ((tok->flags & LZI_TOKEN_JOINED) || tok->norm_len < 3 || c->query[tok->end] == '*' ||
        !(tok->norm[0] >= 'a' && tok->norm[0] <= 'z') ||
        lzi_stoplist_has(&c->s->stop, tok->norm, tok->norm_len) ||
        lzx_db_termfreq(c->s->db, tok->norm, tok->norm_len) > 0)
        return LZ_OK;
    if ((word = lzi_strndup(tok->norm, tok->norm_len)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory");
    if ((rc = lzx_db_spelling(c->s->db, word, &sugg)) == LZ_OK && sugg != NULL &&
        strcmp(sugg, word) != 0) {
        if ((rc = lzi_buf_append(&c->out, c->query + c->copied, tok->start - c->copied)) ==
                LZ_OK &&
            (rc = lzi_buf_puts(&c->out, sugg)) == LZ_OK) {
            c->copied = tok->end;
            c->changed = 1;
        }
    }
    lzi_free(word);
    lzi_free(sugg);
    return rc;
}

/* *out: the corrected query, or NULL when no word needs correcting. */
static int spelling_correction(lz_searcher *s, const char *query, char **out)
{
    spell_ctx c;
    size_t len = strlen(query);
    int rc;

    *out = NULL;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.query = query;
    if ((rc = lzi_analyze(s->an, query, len, on_query_word, &c)) == LZ_OK && c.changed &&
        (rc = lzi_buf_append(&c.out, query + c.copied, len - c.copied)) == LZ_OK) {
        if ((*out = lzi_buf_detach(&c.out)) == NULL)
            rc = lzi_error_set(LZ_ENOMEM, "out of memory");
    }
    lzi_buf_dispose(&c.out);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The normalized prefixes of trailing-* words of a normalized query, for highlighting. */
static int wildcard_prefixes(const char *nq, char ***out, size_t *n)
{
    const char *p = nq;
    *out = NULL;
    *n = 0;
    while ((p = strchr(p, '*')) != NULL) {
        const char *b = p;
        char **v;
        while (b > nq && b[-1] != ' ' && b[-1] != '(' && b[-1] != '"' && b[-1] != ':' &&
               b[-1] != '+' && b[-1] != '-')
            b--;
        p++;
        if (b == p - 1)
            continue;
        if ((v = lzi_realloc(*out, (*n + 1) * sizeof *v)) == NULL)
            return lzi_error_set(LZ_ENOMEM, "out of memory");
        *out = v;
        if ((v[*n] = lzi_strndup(b, (size_t)(p - 1 - b))) == NULL)
            return lzi_error_set(LZ_ENOMEM, "out of memory");
        (*n)++;
    }
    return LZ_OK;
}

static int make_citation(lz_hit *h)
{
    lzi_buf b = LZI_BUF_INIT;
    size_t i;
    int rc;

    if ((rc = lzi_buf_puts(&b, h->rec.title[0] ? h->rec.title : h->rec.doc)) != LZ_OK)
        goto done;
    for (i = 0; i < h->rec.n_section && rc == LZ_OK; i++)
        rc = lzi_buf_printf(&b, " \xE2\x80\xBA %s", h->rec.section[i]);     /* › */
    if (rc != LZ_OK)
        goto done;
    if (h->rec.first_line == h->rec.last_line)
        rc = lzi_buf_printf(&b, ", line %u, %s", h->rec.first_line, h->rec.path);
    else
        rc = lzi_buf_printf(&b, ", lines %u\xE2\x80\x93%u, %s", h->rec.first_line,   /* – */
                            h->rec.last_line, h->rec.path);
    if (rc == LZ_OK && (h->citation = lzi_buf_detach(&b)) == NULL)
        rc = lzi_error_set(LZ_ENOMEM, "out of memory");
done:
    lzi_buf_dispose(&b);
    return rc;
}

static int run_query(lz_searcher *s, const char *query, const lz_search_options *o,
                     lzx_mset **mset, char ***wild, size_t *n_wild)
{
    lzx_query_spec spec;
    lzi_buf nq = LZI_BUF_INIT, raw = LZI_BUF_INIT;
    int exact = (o->flags & LZ_SEARCH_EXACT) != 0;
    size_t i;
    int rc;

    if ((rc = lzi_query_normalize(s->an, query, strlen(query), exact ? &nq : &raw)) != LZ_OK)
        goto done;
    if (!exact && (rc = lzi_query_add_variants(raw.ptr, raw.len, &nq)) != LZ_OK)
        goto done;
    for (i = 0; i < nq.len && (nq.ptr[i] == ' ' || nq.ptr[i] == '\t'); i++)
        ;
    if (i == nq.len) {
        rc = lzi_error_set(LZ_EQUERY, "query: no words to search for");
        goto done;
    }
    memset(&spec, 0, sizeof spec);
    spec.query = nq.ptr;
    spec.flags = exact ? 0 : LZX_QUERY_SYNONYMS;
    spec.default_and = (o->flags & LZ_SEARCH_AND) != 0;
    spec.stopwords = (const char *const *)s->stop.words;
    spec.n_stopwords = s->stop.n;
    spec.prefixes = query_prefixes;
    spec.n_prefixes = sizeof query_prefixes / sizeof query_prefixes[0];
    spec.offset = o->offset;
    spec.limit = o->limit;
    spec.k1 = LZI_BM25_K1;
    spec.b = LZI_BM25_B;
    spec.min_normlen = LZI_BM25_MIN_NORMLEN;
    spec.want_terms = 1;
    if ((rc = lzx_query_run(s->db, &spec, mset)) != LZ_OK)
        goto done;
    rc = wildcard_prefixes(nq.ptr, wild, n_wild);
done:
    lzi_buf_dispose(&nq);
    lzi_buf_dispose(&raw);
    return rc;
}

static void free_strings(char **v, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        lzi_free(v[i]);
    lzi_free(v);
}

int lz_search(lz_results **out, lz_searcher *s, const char *query, const lz_search_options *opts)
{
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;
    lzx_mset *m = NULL;
    char **wild = NULL;
    size_t n_wild = 0, i, qlen;
    lzi_query_terms qt;
    int rc;

    if (out == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_search: out is NULL");
    *out = NULL;
    if (s == NULL || query == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_search: NULL searcher or query");
    if (opts != NULL) {
        if (opts->version != LZ_SEARCH_OPTIONS_VERSION)
            return lzi_error_set(LZ_EINVAL, "lz_search: options version %u, expected %u",
                                 opts->version, LZ_SEARCH_OPTIONS_VERSION);
        o = *opts;
    }
    if (o.limit < 1 || o.limit > LZ_SEARCH_MAX_LIMIT)
        return lzi_error_set(LZ_EINVAL, "lz_search: limit %u is not in 1..%d", o.limit,
                             LZ_SEARCH_MAX_LIMIT);
    if (o.snippet_len < LZI_SNIPPET_MIN || o.snippet_len > LZI_SNIPPET_MAX)
        return lzi_error_set(LZ_EINVAL, "lz_search: snippet length %u is not in %d..%d",
                             o.snippet_len, LZI_SNIPPET_MIN, LZI_SNIPPET_MAX);
    if ((qlen = strlen(query)) > LZI_MAX_QUERY_LEN)
        return lzi_error_set(LZ_EQUERY, "query: %zu bytes, longer than the limit of %d", qlen,
                             LZI_MAX_QUERY_LEN);
    if (lzi_utf8_invalid(query, qlen) != LZI_NPOS)
        return lzi_error_set(LZ_EQUERY, "query: not valid UTF-8");

    if ((r = lzi_calloc(1, sizeof *r)) == NULL || (r->query = lzi_strdup(query)) == NULL) {
        rc = lzi_error_set(LZ_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = run_query(s, query, &o, &m, &wild, &n_wild)) != LZ_OK)
        goto done;
    if ((rc = spelling_correction(s, query, &r->corrected)) != LZ_OK)
        goto done;
    if (m->n == 0 && r->corrected != NULL && !(o.flags & LZ_SEARCH_NO_CORRECT)) {
        lzx_mset_free(m);
        m = NULL;
        free_strings(wild, n_wild);
        wild = NULL;
        n_wild = 0;
        if ((rc = run_query(s, r->corrected, &o, &m, &wild, &n_wild)) != LZ_OK)
            goto done;
        r->used_corrected = 1;
    }
    r->total = m->estimated;
    r->parsed = m->description;
    m->description = NULL;

    qsort(m->terms, m->n_terms, sizeof *m->terms, cmp_cstr);
    qt.terms = (const char *const *)m->terms;
    qt.n_terms = m->n_terms;
    qt.wildcards = (const char *const *)wild;
    qt.n_wildcards = n_wild;
    qt.thesaurus = s->thes;
    if (m->n > 0 && (r->hits = lzi_calloc(m->n, sizeof *r->hits)) == NULL) {
        rc = lzi_error_set(LZ_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < m->n; i++) {
        lz_hit *h = &r->hits[i];
        r->n++;
        h->rank = o.offset + (unsigned)i + 1;
        h->score = m->matches[i].weight;
        if ((rc = lzi_record_decode(&h->rec, m->matches[i].data, m->matches[i].data_len)) ||
            (rc = lzi_snippet_make(&h->snip, s->an, h->rec.text, strlen(h->rec.text), &qt,
                                   o.snippet_len)) != LZ_OK ||
            (rc = make_citation(h)) != LZ_OK)
            goto done;
    }
    rc = LZ_OK;
done:
    lzx_mset_free(m);
    free_strings(wild, n_wild);
    if (rc != LZ_OK) {
        lz_results_free(r);
        return rc;
    }
    *out = r;
    return LZ_OK;
}

void lz_results_free(lz_results *r)
{
    size_t i;
    if (r == NULL)
        return;
    for (i = 0; i < r->n; i++) {
        lzi_record_dispose(&r->hits[i].rec);
        lzi_snippet_dispose(&r->hits[i].snip);
        lzi_free(r->hits[i].citation);
    }
    lzi_free(r->hits);
    lzi_free(r->query);
    lzi_free(r->corrected);
    lzi_free(r->parsed);
    lzi_free(r);
}

/* ------------------------------------------------------------------------------------------ */
/* Getters: NULL-safe, lending pointers that live as long as the results. */

const char *lz_results_query(const lz_results *r) { return r ? r->query : NULL; }
const char *lz_results_corrected(const lz_results *r) { return r ? r->corrected : NULL; }
int lz_results_used_corrected(const lz_results *r) { return r ? r->used_corrected : 0; }
uint64_t lz_results_total(const lz_results *r) { return r ? r->total : 0; }
size_t lz_results_count(const lz_results *r) { return r ? r->n : 0; }
const char *lz_results_parsed(const lz_results *r) { return r ? r->parsed : NULL; }

const lz_hit *lz_results_hit(const lz_results *r, size_t i)
{
    return r != NULL && i < r->n ? &r->hits[i] : NULL;
}

unsigned lz_hit_rank(const lz_hit *h) { return h ? h->rank : 0; }
double lz_hit_score(const lz_hit *h) { return h ? h->score : 0; }
const char *lz_hit_doc(const lz_hit *h) { return h ? h->rec.doc : NULL; }
const char *lz_hit_path(const lz_hit *h) { return h ? h->rec.path : NULL; }
const char *lz_hit_title(const lz_hit *h) { return h ? h->rec.title : NULL; }
size_t lz_hit_section_count(const lz_hit *h) { return h ? h->rec.n_section : 0; }
const char *lz_hit_text(const lz_hit *h) { return h ? h->rec.text : NULL; }
const char *lz_hit_snippet(const lz_hit *h) { return h ? h->snip.text.ptr : NULL; }
size_t lz_hit_highlight_count(const lz_hit *h) { return h ? h->snip.n_spans : 0; }
const char *lz_hit_citation(const lz_hit *h) { return h ? h->citation : NULL; }

const char *lz_hit_section(const lz_hit *h, size_t i)
{
    return h != NULL && i < h->rec.n_section ? h->rec.section[i] : NULL;
}

void lz_hit_lines(const lz_hit *h, unsigned *first, unsigned *last)
{
    if (first)
        *first = h ? h->rec.first_line : 0;
    if (last)
        *last = h ? h->rec.last_line : 0;
}

int lz_hit_highlight(const lz_hit *h, size_t i, size_t *off, size_t *len)
{
    if (h == NULL || i >= h->snip.n_spans)
        return -1;
    if (off)
        *off = h->snip.spans[2 * i];
    if (len)
        *len = h->snip.spans[2 * i + 1];
    return 0;
}

/* ------------------------------------------------------------------------------------------ */

const char *lz_dependency_versions(void)
{
    static _Thread_local char buf[160];
    if (buf[0] == '\0')
        snprintf(buf, sizeof buf, "%s, %s", lzx_version(), lzi_text_versions());
    return buf;
}
