/* lz_searcher_* and lz_search: open an index read-only (checking its fingerprint), run a query
 * through text/'s normalization and Xapian's QueryParser and BM25, offer a spelling correction
 * for words the index lacks, and build each hit: record, snippet with highlights, citation. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_entities.h"
#include "lz_record.h"
#include "lz_schema.h"
#include "lz_snippet.h"
#include "lz_text.h"
#include "lz_thesaurus.h"
#include "lzx.h"

/* BM25 parameters (k1, b, min_normlen). k1 and min_normlen are Xapian's defaults: on the dev
 * judgments k1 0.6-1.0 moves nDCG@10 by under 0.01 at b 0.2-0.4 (1.2 and 1.6 are lower), and
 * an earlier grid found min_normlen 0.2-0.8 within 0.015. Length normalisation is lighter
 * than Xapian's b 0.5: a passage here is a paragraph, a list item or a table row, and a long
 * one is mostly a paragraph saying more about its subject, not a longer text that mentions it
 * in passing. Dev nDCG@10 / R@10 at k1 1.0 by b: 0 0.818 / 0.774, 0.1 0.811 / 0.762, 0.15
 * 0.819 / 0.762 (P@1 0.917 up to here, 0.958 above), 0.2 0.832 / 0.768, 0.3 0.827 / 0.757,
 * 0.4 0.821 / 0.747, 0.5 0.823 / 0.747, 0.75 0.811 / 0.737; at k1 0.6 and 0.8 alike. 0.3
 * sits inside the plateau, away from the drop below 0.2. */
#define LZI_BM25_K1 1.0
#define LZI_BM25_B 0.3
#define LZI_BM25_MIN_NORMLEN 0.5

/* A passage under a heading about the query is about it too: the query is also run against
 * the words of the section path and adds this share of its weight to the passages it matches.
 * Measured on the dev judgments (nDCG@10 by weight: 0 0.700, 0.1 0.704, 0.2 0.712, 0.3 0.721,
 * 0.4 0.713, 0.5 0.717 with P@1 falling from 0.833 to 0.792 above 0.3). */
#define LZI_SECTION_WEIGHT 0.3

/* A row of a table is read under the table's column headings (`BULGARIA 173.5 66.5 14 14` is an
 * age of criminal responsibility): the query is also run against the words of those headings
 * and adds this share of its weight to the rows it matches; they weigh as the row's own words.
 * Measured on the dev judgments (nDCG@10 / R@10 by weight: 0.3 0.819 / 0.768, 0.5 0.827 /
 * 0.799, 1.0 0.830 / 0.799, 1.5 and 2.0 0.834 / 0.799, 3.0 0.826 / 0.799). */
#define LZI_COLUMNS_WEIGHT 1.0

/* A mild preference for body text over reference lists: body passages that match get this
 * much weight more (a matching term typically gives 2 to 8). Measured on the dev judgments
 * (nDCG@10 by weight: 0 0.721, 1 0.721, 2 0.726, 3 0.726, 4 0.721, 6 0.693). */
#define LZI_PRIOR_WEIGHT 2.0

/* Weight of a related group's term (the thesaurus' [related] section: everyday words beside
 * the reports' wording, `pictures` beside `images`) against a word of the query. The group
 * and the query's words that found it are one part of the query: a passage holding any of
 * those words gets nothing from the group (concept_alternatives), so the group can weigh as a
 * word does; its term is at least as frequent as the word, so it usually weighs less than a
 * passage's own use of the query's word. Dev nDCG@10 by scale: 0.5 0.802, 0.8 0.811, 1.0
 * 0.821, 1.2 0.820, 1.5 0.817 (P@1 0.917 at 0.5, 0.958 from 0.8 up). Before that rule, when
 * a passage with the word also got the group: 0.5 0.798, 0.7 0.794, 1.0 0.788. */
#define LZI_RELATED_SCALE 1.0

/* Longest query accepted, in bytes and in words (runs of characters between blanks): far
 * beyond anything typed, a paragraph pasted whole included. Xapian's matcher grows faster than
 * the number of terms (here 1000 words took 0.2 s, 3000 1.1 s and 10000 11 s), so a text of
 * thousands of words is refused rather than searched for seconds. */
#define LZI_MAX_QUERY_LEN 100000
#define LZI_MAX_QUERY_WORDS 1000

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
    lzx_part *explain;      /* LZ_SEARCH_EXPLAIN: moved from the match */
    size_t n_explain;
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
    lzx_facet *facets;      /* LZ_SEARCH_FACETS: one per facet_slots entry */
    size_t n_facets;
    size_t target;          /* lz_show_passage: the hit holding the line */
};

/* Field names of the query language and their term prefixes. */
static const lzx_prefix query_prefixes[] = {
    { "title", LZI_PREFIX_TITLE, 0 },
    { "section", LZI_PREFIX_SECTION, 0 },
    { "doc", LZI_PREFIX_DOC, 1 },
    { "rec", LZI_PREFIX_REC, 1 },
    { "article", LZI_PREFIX_ARTICLE, 1 },
    { "para", LZI_PREFIX_PARA, 1 },
    { "country", LZI_PREFIX_COUNTRY, 1 },
    { "to", LZI_PREFIX_TO, 1 },
    { "level", LZI_PREFIX_LEVEL, 1 },
    { "chapter", LZI_PREFIX_CHAPTER, 1 },
    { "kind", LZI_PREFIX_KIND, 1 },
};

/* A question of "how many" or "how much" wants a count: the passages that state one (a number
 * word, or digits that are no year, label or identifier: LZI_TERM_COUNT) get this much more
 * weight, among those the query matched. Measured on the dev judgments (nDCG@10 / R@10 by
 * weight: 0 0.831 / 0.799, 0.5 0.833 / 0.807, 1 0.834 / 0.807, 2 0.834 / 0.807, 3 0.833 /
 * 0.807). "how long" and "how often" ask for a duration or a frequency, mostly written in words
 * ("six months"), and get nothing: with "how long" too, 0.832 (a "how long" query 0.960 ->
 * 0.907). */
#define LZI_COUNT_WEIGHT 1.0

/* A country the query names is what it is about: in these reports most passages and table rows
 * name one country or several, and a passage on another country rarely answers ("Italy minimum
 * age of criminal responsibility" wants the ITALY row, not the Bulgaria factsheet's passage on
 * the age of criminal responsibility). The words of the name rank the passages the query
 * matched once more, at this share of their weight. Measured on the dev judgments (nDCG@10 /
 * R@10 by weight: 0 0.834 / 0.807, 0.5 0.838 / 0.818, 1, 1.5, 2 and 3 0.841 / 0.818). */
#define LZI_COUNTRY_WEIGHT 1.0

/* The context fields that rank what the query matched, and their labels in explanations. */
static const lzx_context contexts[] = {
    { LZI_PREFIX_SECTION, LZI_SECTION_WEIGHT, "section: " },
    { LZI_PREFIX_COLUMNS, LZI_COLUMNS_WEIGHT, "columns: " },
};

/* The facets LZ_SEARCH_FACETS counts: value slots and their names. */
static const unsigned facet_slots[] = { LZI_SLOT_DOC, LZI_SLOT_COUNTRY, LZI_SLOT_LEVEL,
                                        LZI_SLOT_CHAPTER, LZI_SLOT_KIND };
static const char *const facet_names[] = { "document", "country", "level", "chapter", "kind" };

/* A query that names a recommendation ("Recommendation VII-3", "II-6") also matches the
 * passages that state or cite it, whatever their wording: the row itself weighs most. */
#define LZI_REC_SELF_SCALE 2.0
#define LZI_REC_CITE_SCALE 1.0

/* A query naming a Convention article or a report paragraph ("Article 20(4)", "Para.71") also
 * matches the passages citing it, in their text or in a footnote they cite, with this weight:
 * a footnote's "Para.71" is no word of the passage, so without it such a look-up finds nothing. */
#define LZI_REF_SCALE 1.0

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
                           "rebuild it: 'lanzsearch index' into a new directory, or remove "
                           "%s and index again", s->dir, (int)have_len, have, want.ptr, s->dir);
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
    int bridged;            /* the search also looks for each word's other spellings and its
                               thesaurus groups (not LZ_SEARCH_EXACT) */
    unsigned looked_up;     /* words for which a correction was looked for */
} spell_ctx;

/* Corrections looked for in one query, at most: each is a scan of the index's spelling table
 * (about half a millisecond here), and a text pasted as a query of thousands of words the
 * index lacks would otherwise take seconds for suggestions nobody reads. Words after these
 * stay as typed. */
#define LZI_MAX_CORRECTIONS 32

static int variant_indexed(void *payload, const char *variant, size_t len)
{
    return lzx_db_termfreq(((spell_ctx *)payload)->s->db, variant, len) > 0;
}

/* Edits allowed between a word and its correction: one per four letters, at least one, so
 * that a short word is not turned into another short word ("pretend" into "prevent"). */
static unsigned max_edits(const char *word)
{
    unsigned n = 0;
    for (; *word != '\0'; word++)
        n += ((unsigned char)*word & 0xC0) != 0x80;     /* characters, not bytes */
    return n / 4 > 1 ? n / 4 : 1;
}

static int found_concept(void *payload, const char *term, size_t first, size_t last)
{
    (void)term;
    (void)first;
    (void)last;
    *(int *)payload = 1;
    return 1;
}

/* Whether the word alone is an expression of the thesaurus (either section). */
static int listed_word(lz_searcher *s, const lzi_token *tok)
{
    lzi_word w;
    int found = 0;

    memset(&w, 0, sizeof w);
    w.start = tok->start;
    w.end = tok->end;
    w.norm = tok->norm;
    w.norm_len = tok->norm_len;
    w.stem = tok->stem;
    w.stem_len = tok->stem != NULL ? tok->stem_len : 0;
    lzi_thesaurus_match(s->thes, &w, 1, found_concept, &found);
    return found;
}

static int on_query_word(void *payload, const lzi_token *tok)
{
    spell_ctx *c = payload;
    char *word = NULL, *sugg = NULL;
    int rc = LZ_OK;

    /* not wildcards, not field names (doc:x), not values of field filters (country:turkiye) */
    if ((tok->flags & LZI_TOKEN_JOINED) || tok->norm_len < 3 || c->query[tok->end] == '*' ||
        c->query[tok->end] == ':' || (tok->start > 0 && c->query[tok->start - 1] == ':') ||
        !(tok->norm[0] >= 'a' && tok->norm[0] <= 'z') ||
        lzi_stoplist_has(&c->s->stop, tok->norm, tok->norm_len) ||
        lzx_db_termfreq(c->s->db, tok->norm, tok->norm_len) > 0)
        return LZ_OK;
    /* nor words whose stem the index has: "prosecutor" finds "prosecutors" already */
    if (tok->stem != NULL) {
        lzi_buf z = LZI_BUF_INIT;
        uint64_t n = 0;
        if (lzi_buf_putc(&z, 'Z') == LZ_OK && lzi_buf_append(&z, tok->stem, tok->stem_len) == LZ_OK)
            n = lzx_db_termfreq(c->s->db, z.ptr, z.len);
        lzi_buf_dispose(&z);
        if (n > 0)
            return LZ_OK;
    }
    /* nor, when the search looks for them too, words another spelling of which the index has:
     * "pedophiles" finds "paedophiles" already */
    if (c->bridged && lzi_spelling_variants(tok->norm, tok->norm_len, variant_indexed, c) != 0)
        return LZ_OK;
    /* nor, when the search uses the thesaurus, words it lists: "money" is a word, not a
     * misspelt "one" */
    if (c->bridged && listed_word(c->s, tok))
        return LZ_OK;
    if (c->looked_up == LZI_MAX_CORRECTIONS)
        return LZ_OK;
    c->looked_up++;
    if ((word = lzi_strndup(tok->norm, tok->norm_len)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory");
    if ((rc = lzx_db_spelling(c->s->db, word, max_edits(word), &sugg)) == LZ_OK &&
        sugg != NULL &&
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

/* *out: the corrected query, or NULL when no word needs correcting. `bridged`: the search
 * looks for British and American spellings and thesaurus groups too. */
static int spelling_correction(lz_searcher *s, const char *query, int bridged, char **out)
{
    spell_ctx c;
    size_t len = strlen(query);
    int rc;

    *out = NULL;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.query = query;
    c.bridged = bridged;
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
    /* the document's first heading is often its title: not twice */
    i = h->rec.n_section > 0 && strcmp(h->rec.section[0], h->rec.title) == 0 ? 1 : 0;
    for (; i < h->rec.n_section && rc == LZ_OK; i++)
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

/* Rewrite the values of country: and to: in a normalized query to the canonical slugs the
 * index uses ("country:türkiye" was normalized to "country:turkiye" -> "country:turkey"; a
 * quoted "north macedonia" -> north-macedonia). Unknown names stay as typed (they match
 * nothing). */
static int canonical_countries(const char *nq, lzi_buf *out)
{
    const char *p = nq;
    int rc = LZ_OK;

    while (*p != '\0' && rc == LZ_OK) {
        size_t flen = strncmp(p, "country:", 8) == 0 ? 8 : strncmp(p, "to:", 3) == 0 ? 3 : 0;
        int at_word = p == nq || strchr(" (+-", p[-1]) != NULL;
        const char *v, *end, *slug;

        if (flen == 0 || !at_word) {
            rc = lzi_buf_putc(out, *p++);
            continue;
        }
        v = p + flen;
        if (*v == '"') {
            end = strchr(v + 1, '"');
            end = end ? end + 1 : v + strlen(v);
            slug = lzi_country_lookup(v + 1, (size_t)(end - v - 1 - (end[-1] == '"')));
        } else {
            end = v + strcspn(v, " )");
            slug = lzi_country_lookup(v, (size_t)(end - v));
        }
        if ((rc = lzi_buf_append(out, p, flen)) != LZ_OK)
            break;
        rc = slug ? lzi_buf_puts(out, slug) : lzi_buf_append(out, v, (size_t)(end - v));
        p = end;
    }
    return rc;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The end of the query piece starting at p: a quoted phrase to its closing quote, a bracketed
 * group to its matching bracket, else a word (to the next blank). */
static const char *piece_end(const char *p)
{
    int depth = 0;

    if (*p == '"') {
        const char *q = strchr(p + 1, '"');
        return q != NULL ? q + 1 : p + strlen(p);
    }
    for (; *p != '\0'; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth > 0 && --depth == 0)
            return p + 1;
        else if (is_blank(*p) && depth == 0)
            return p;
    }
    return p;
}

/* The length of the Boolean operator (AND, OR, XOR, NOT: upper case, a word of its own)
 * starting at p, else 0. */
static size_t boolean_at(const char *p)
{
    static const char *const ops[] = { "AND", "OR", "XOR", "NOT" };
    size_t k, n;

    for (k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        n = strlen(ops[k]);
        if (strncmp(p, ops[k], n) == 0 && (p[n] == '\0' || is_blank(p[n]) || p[n] == '('))
            return n;
    }
    return 0;
}

/* Append n blanks to out. */
static int put_blanks(lzi_buf *out, size_t n)
{
    int rc = LZ_OK;
    while (n-- > 0 && rc == LZ_OK)
        rc = lzi_buf_putc(out, ' ');
    return rc;
}

/* The query with what it excludes blanked out, as QueryParser reads the exclusions: after NOT,
 * everything up to the next AND, OR, XOR or NOT at the same bracket depth or the bracket that
 * closes that depth; after '-', the one piece it marks (`-word`, `-"a phrase"`, `-(a OR b)`, a
 * reference word with its identifier: `-Article 23`). References named there are no look-up:
 * "grooming NOT Recommendation II-6" must not find the passages citing II-6. The result has
 * the query's length, blanks for what is left out; appended to out. */
static int wanted_text(const char *q, lzi_buf *out)
{
    const char *p = q;
    int depth = 0, not_depth = -1;  /* not_depth >= 0: inside the operand of a NOT */
    int rc = LZ_OK;

    while (*p != '\0' && rc == LZ_OK) {
        const char *end;
        size_t op;
        if (is_blank(*p) || *p == '(' || *p == ')') {
            if (*p == '(')
                depth++;
            else if (*p == ')' && depth > 0 && --depth < not_depth)
                not_depth = -1;             /* the bracket around the NOT closes */
            rc = lzi_buf_putc(out, is_blank(*p) || not_depth >= 0 ? ' ' : *p);
            p++;
            continue;
        }
        if ((op = boolean_at(p)) > 0) {
            if (not_depth == depth)
                not_depth = -1;             /* the NOT's operand ends at the next operator */
            if (not_depth < 0 && strncmp(p, "NOT", 3) == 0)
                not_depth = depth;
            rc = put_blanks(out, op);
            p += op;
            continue;
        }
        if (*p == '-' && p[1] != '\0' && p[1] != '-' && !is_blank(p[1])) {
            end = piece_end(p + 1);
            if (lzi_is_reference_word(p + 1, (size_t)(end - p - 1))) {
                const char *next = end;
                while (is_blank(*next))
                    next++;
                if (*next != '\0')
                    end = piece_end(next);  /* "-Recommendation II-6" leaves out both words */
            }
            rc = put_blanks(out, (size_t)(end - p));
            p = end;
            continue;
        }
        end = *p == '"' ? piece_end(p) : p + strcspn(p, " \t\n\r()");
        if (not_depth >= 0)
            rc = put_blanks(out, (size_t)(end - p));
        else
            rc = lzi_buf_append(out, p, (size_t)(end - p));
        p = end;
    }
    return rc;
}

static int is_roman(char c)
{
    return strchr("IVXLCivxlc", c) != NULL && c != '\0';
}

/* Recommendation numbers named in a query (roman numeral, '-', number, as a word of its own,
 * not the value of a rec: filter), as extra alternative terms; with `required` (the query
 * requires its words) they only rank what the query matches. Terms point into *store. */
static int rec_alternatives(const char *query, int required, lzi_buf *store,
                            lzx_extra_term **extra, size_t *n_extra)
{
    const char *p;
    size_t n = 0, cap = 0, i;
    size_t *offs = NULL;
    int rc = LZ_OK;

    *extra = NULL;
    *n_extra = 0;
    for (p = query; *p != '\0'; p++) {
        const char *q = p, *digits;
        if (!is_roman(*p) || (p > query && (isalnum((unsigned char)p[-1]) || p[-1] == ':')))
            continue;
        while (is_roman(*q))
            q++;
        if (*q != '-' || !isdigit((unsigned char)q[1]))
            continue;
        digits = q + 1;
        while (isdigit((unsigned char)*digits))
            digits++;
        if (isalnum((unsigned char)*digits)) {
            p = digits;
            continue;
        }
        for (i = 0; i < 2 && rc == LZ_OK; i++) {
            const char *prefix = i == 0 ? LZI_PREFIX_REC_SELF : LZI_PREFIX_REC;
            size_t k;
            if (n == cap) {
                size_t *v = lzi_realloc(offs, (cap = cap ? cap * 2 : 8) * sizeof *v);
                if (v == NULL) {
                    rc = lzi_error_set(LZ_ENOMEM, "out of memory");
                    break;
                }
                offs = v;
            }
            offs[n++] = store->len;
            if ((rc = lzi_buf_puts(store, prefix)) != LZ_OK)
                break;
            for (k = 0; p + k < digits && rc == LZ_OK; k++)
                rc = lzi_buf_putc(store, (char)tolower((unsigned char)p[k]));
            if (rc == LZ_OK)
                rc = lzi_buf_putc(store, '\0');
        }
        p = digits - 1;
    }
    if (rc == LZ_OK && n > 0) {
        if ((*extra = lzi_calloc(n, sizeof **extra)) == NULL) {
            rc = lzi_error_set(LZ_ENOMEM, "out of memory");
        } else {
            for (i = 0; i < n; i++) {
                (*extra)[i].term = store->ptr + offs[i];
                (*extra)[i].scale = i % 2 == 0 ? LZI_REC_SELF_SCALE : LZI_REC_CITE_SCALE;
                (*extra)[i].label = i % 2 == 0 ? "recommendation stated: "
                                               : "recommendation cited: ";
                (*extra)[i].rank_only = required;
            }
            *n_extra = n;
        }
    }
    lzi_free(offs);
    return rc;
}

/* The articles and paragraphs the query names, found as a passage's own text is read for
 * them (lzi_entities_of_text, indexer/entities.c), so "Article 25(1)(d), (e)", "Art. 23",
 * "Articles 18 to 20", "Paras. 72, 73" read as they do in the reports; `text` is the query's
 * wanted free text (its reference words taken in lower case: "ARTICLE 25" too). Each becomes an
 * alternative (LZI_REF_SCALE), or with `required` a ranker only, its term in `store`, appended
 * to *extra. */
static int ref_alternatives(const char *text, int required, lzi_buf *store,
                            lzx_extra_term **extra, size_t *n_extra)
{
    lzi_buf lower = LZI_BUF_INIT;
    lzi_entities *e = NULL;
    size_t *offs = NULL;
    size_t n, i, k;
    int rc;

    if ((rc = lzi_buf_puts(&lower, text)) != LZ_OK)
        goto done;
    for (i = 0; i < lower.len; i = k) {     /* reference words in lower case */
        for (k = i; k < lower.len && !is_blank(lower.ptr[k]); k++)
            ;
        if (lzi_is_reference_word(lower.ptr + i, k - i))
            for (; i < k; i++)
                lower.ptr[i] = (char)tolower((unsigned char)lower.ptr[i]);
        while (k < lower.len && is_blank(lower.ptr[k]))
            k++;
    }
    if ((rc = lzi_entities_of_text(&e, lower.ptr ? lower.ptr : "", lower.len)) != LZ_OK)
        goto done;
    if ((n = e->n_articles + e->n_paras) == 0)
        goto done;
    if ((offs = lzi_calloc(n, sizeof *offs)) == NULL) {
        rc = lzi_error_set(LZ_ENOMEM, "out of memory");
        goto done;
    }
    for (k = 0; k < n && rc == LZ_OK; k++) {
        char num[24];
        offs[k] = store->len;
        if (k < e->n_articles) {
            rc = lzi_buf_puts(store, LZI_PREFIX_ARTICLE);
            if (rc == LZ_OK)
                rc = lzi_buf_puts(store, e->articles[k]);
        } else {
            snprintf(num, sizeof num, "%u", e->paras[k - e->n_articles]);
            rc = lzi_buf_puts(store, LZI_PREFIX_PARA);
            if (rc == LZ_OK)
                rc = lzi_buf_puts(store, num);
        }
        if (rc == LZ_OK)
            rc = lzi_buf_putc(store, '\0');
    }
    if (rc == LZ_OK) {
        lzx_extra_term *v = lzi_realloc(*extra, (*n_extra + n) * sizeof *v);
        if (v == NULL) {
            rc = lzi_error_set(LZ_ENOMEM, "out of memory");
            goto done;
        }
        *extra = v;
        for (k = 0; k < n; k++) {
            lzx_extra_term *x = &v[(*n_extra)++];
            memset(x, 0, sizeof *x);
            x->term = store->ptr + offs[k];
            x->scale = LZI_REF_SCALE;
            x->label = k < e->n_articles ? "article cited: " : "paragraph cited: ";
            x->rank_only = required;
        }
    }
done:
    lzi_free(offs);
    lzi_entities_free(e, e != NULL ? 1 : 0);
    lzi_buf_dispose(&lower);
    return rc;
}

/* The words of a normalized query that have spelling variants, with the variants, and the
 * stems of all of them: sorted, unique, pointing into *store (for lzx_query_spec.variants). */
typedef struct variant_ctx {
    lz_searcher *s;
    lzi_buf *store;         /* words, each followed by '\0' */
    lzi_buf stem;
} variant_ctx;

static int add_variant_word(void *payload, const char *word, size_t len)
{
    variant_ctx *c = payload;
    int rc;

    if ((rc = lzi_buf_append(c->store, word, len)) != LZ_OK ||
        (rc = lzi_buf_putc(c->store, '\0')) != LZ_OK ||
        (rc = lzi_stem(c->s->an, word, len, &c->stem)) != LZ_OK ||
        (rc = lzi_buf_append(c->store, c->stem.ptr, c->stem.len)) != LZ_OK)
        return rc;
    return lzi_buf_putc(c->store, '\0');
}

static int count_variants(void *payload, const char *word, size_t len)
{
    (void)word;
    (void)len;
    (*(size_t *)payload)++;
    return 0;
}

static int on_variant_token(void *payload, const lzi_token *tok)
{
    variant_ctx *c = payload;
    size_t n = 0;
    int rc;

    lzi_spelling_variants(tok->norm, tok->norm_len, count_variants, &n);
    if (n == 0)
        return LZ_OK;
    if ((rc = add_variant_word(c, tok->norm, tok->norm_len)) != LZ_OK)
        return rc;
    return lzi_spelling_variants(tok->norm, tok->norm_len, add_variant_word, c);
}

static int variant_words(lz_searcher *s, const char *nq, size_t len, lzi_buf *store,
                         char ***out, size_t *n)
{
    variant_ctx c = { s, store, LZI_BUF_INIT };
    size_t at, k = 0, i;
    int rc = LZ_OK;

    *out = NULL;
    *n = 0;
    if (len == 0 || (rc = lzi_analyze(s->an, nq, len, on_variant_token, &c)) != LZ_OK)
        goto done;
    for (at = 0; at < store->len; at += strlen(store->ptr + at) + 1)
        k++;
    if (k == 0)
        goto done;
    if ((*out = lzi_calloc(k, sizeof **out)) == NULL) {
        rc = lzi_error_set(LZ_ENOMEM, "out of memory");
        goto done;
    }
    for (at = 0; at < store->len; at += strlen(store->ptr + at) + 1)
        (*out)[(*n)++] = store->ptr + at;
    qsort(*out, *n, sizeof **out, cmp_cstr);
    for (i = k = 0; i < *n; i++)            /* unique */
        if (k == 0 || strcmp((*out)[k - 1], (*out)[i]) != 0)
            (*out)[k++] = (*out)[i];
    *n = k;
done:
    lzi_buf_dispose(&c.stem);
    return rc;
}

/* Whether query q marks a word or phrase with `sign` (at the start of a piece: after a blank
 * or a '('), or has the operator `op` (after a blank or one of `before`, followed by a blank
 * or a '('). */
static int has_operator(const char *q, char sign, const char *op, const char *before)
{
    size_t n = strlen(op);
    const char *p;

    for (p = q; *p != '\0'; p++) {
        if (*p == sign && (p == q || p[-1] == ' ' || p[-1] == '(') && p[1] != '\0' &&
            p[1] != ' ')
            return 1;
        if (strncmp(p, op, n) == 0 && (p == q || p[-1] == ' ' || strchr(before, p[-1])) &&
            (p[n] == ' ' || p[n] == '('))
            return 1;
    }
    return 0;
}

/* Whether a query excludes something (NOT, or a word or phrase marked '-'): then no concept is
 * added, as it might be the excluded one. */
static int negates(const char *q)
{
    return has_operator(q, '-', "NOT", "(");
}

/* Whether a query requires words: the AND operator, or a word or phrase marked '+'. Then
 * related groups only rank what the query matches: a passage in related words alone has not
 * got the words required. */
static int requires_words(const char *q)
{
    return has_operator(q, '+', "AND", ")");
}

/* Concept terms of the thesaurus expressions of two words or more in the query ("child sexual
 * abuse material"): each becomes an alternative beside the words, which keep their own
 * weights. QueryParser's multi-word synonyms would instead fold the words into one SYNONYM
 * term as frequent as the most frequent of them ("child"), so that the words all but stop
 * counting. Single words keep QueryParser's synonyms: "sextortion" SYNONYM its concept.
 *
 * Each match is kept in `store` as its term, then the terms of the words it matched that the
 * query searches (stopwords left out), each '\0'-terminated, then one more '\0'. */
typedef struct concept_ctx {
    lzi_buf *store;
    size_t *offs, n, cap;   /* where each match starts in store */
    const lzi_word *words;  /* the words being matched */
    const lzi_stoplist *stop;
} concept_ctx;

/* A word's term as QueryParser makes it for the query: Z + stem, or the word when unstemmed. */
static int put_word_term(lzi_buf *b, const lzi_word *w)
{
    int rc = LZ_OK;
    if (w->stem != NULL && (rc = lzi_buf_puts(b, LZI_PREFIX_STEM)) == LZ_OK)
        rc = lzi_buf_append(b, w->stem, w->stem_len);
    else if (rc == LZ_OK)
        rc = lzi_buf_append(b, w->norm, w->norm_len);
    return rc != LZ_OK ? rc : lzi_buf_putc(b, '\0');
}

static int on_query_concept(void *payload, const char *term, size_t first, size_t last)
{
    concept_ctx *c = payload;
    size_t i;
    int rc;
    if (last <= first && strncmp(term, LZI_PREFIX_RELATED, strlen(LZI_PREFIX_RELATED)) != 0)
        return LZ_OK;           /* a single word: QueryParser's synonym */
    if (c->n == c->cap) {
        size_t *v = lzi_realloc(c->offs, (c->cap = c->cap ? c->cap * 2 : 8) * sizeof *v);
        if (v == NULL)
            return lzi_error_set(LZ_ENOMEM, "out of memory");
        c->offs = v;
    }
    c->offs[c->n++] = c->store->len;
    if ((rc = lzi_buf_puts(c->store, term)) != LZ_OK ||
        (rc = lzi_buf_putc(c->store, '\0')) != LZ_OK)
        return rc;
    for (i = first; i <= last; i++)
        if (!lzi_stoplist_has(c->stop, c->words[i].norm, c->words[i].norm_len) &&
            (rc = put_word_term(c->store, &c->words[i])) != LZ_OK)
            return rc;
    return lzi_buf_putc(c->store, '\0');
}

/* The word terms of the match at `at` in store: a run of strings ended by an empty one. */
static const char *match_words(const lzi_buf *store, size_t at)
{
    return store->ptr + at + strlen(store->ptr + at) + 1;
}

/* How many word terms the match at `at` in store has. */
static size_t match_word_count(const lzi_buf *store, size_t at)
{
    size_t n = 0;
    for (const char *w = match_words(store, at); *w != '\0'; w += strlen(w) + 1)
        n++;
    return n;
}

/* Whether the searched words of concept match i are all among those of another concept's
 * match, which has more ("criminal responsibility" inside "age of criminal responsibility"):
 * the longer expression is what the query says, and the concept of a part of it would count
 * the same query words a second time. Such parts come from the respelled form of the query,
 * which has no stopwords ("age criminal responsibility"). */
static int within_longer(const lzi_buf *store, const size_t *offs, size_t n, size_t i)
{
    size_t j, n_i = match_word_count(store, offs[i]);
    for (j = 0; j < n && n_i > 0; j++) {
        const char *other = store->ptr + offs[j], *w;
        if (j == i || strcmp(other, store->ptr + offs[i]) == 0 ||
            strncmp(other, LZI_PREFIX_RELATED, strlen(LZI_PREFIX_RELATED)) == 0 ||
            match_word_count(store, offs[j]) <= n_i)
            continue;
        for (w = match_words(store, offs[i]); *w != '\0'; w += strlen(w) + 1) {
            const char *v = match_words(store, offs[j]);
            while (*v != '\0' && strcmp(v, w) != 0)
                v += strlen(v) + 1;
            if (*v == '\0')
                break;          /* w is not among j's words */
        }
        if (*w == '\0')
            return 1;
    }
    return 0;
}

/* The free text of a normalized query: `field:value` pieces (with a quoted value, up to its
 * closing quote) become blanks, so that `country:bulgaria` adds no concept of "country". */
static int free_text(const char *q, lzi_buf *out)
{
    const char *p = q;
    int rc;

    while (*p != '\0') {
        const char *end = p;
        int field = 0, quoted = 0;
        if (*p == ' ' || *p == '\t' || *p == '\n') {
            if ((rc = lzi_buf_putc(out, ' ')) != LZ_OK)
                return rc;
            p++;
            continue;
        }
        while (*end != '\0' && *end != ' ' && *end != '\t' && *end != '\n' && *end != '"')
            field |= *end++ == ':';
        if (field && *end == '"') {     /* field:"a quoted value" */
            end++;
            quoted = 1;
        }
        if (quoted)
            while (*end != '\0' && *end != '"')
                end++;
        if (quoted && *end == '"')
            end++;
        if (!field) {
            if (end == p)               /* a lone quote */
                end++;
            rc = lzi_buf_append(out, p, (size_t)(end - p));
        } else {
            rc = lzi_buf_putc(out, ' ');
        }
        if (rc != LZ_OK)
            return rc;
        p = end;
    }
    return LZ_OK;
}

/* The ranker of a question asking for a count: the passages stating one, among the matches. */
static int count_ranker(lzx_extra_term **extra, size_t *n_extra)
{
    lzx_extra_term *v = lzi_realloc(*extra, (*n_extra + 1) * sizeof *v);
    if (v == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory");
    *extra = v;
    v += (*n_extra)++;
    memset(v, 0, sizeof *v);
    v->term = LZI_TERM_COUNT;
    v->scale = LZI_COUNT_WEIGHT;
    v->label = "count: ";
    v->rank_only = 1;
    return LZ_OK;
}

/* Put word w's term into `store` as the next '\0'-terminated one, unless a stopword ("us" is
 * no country) or there already; *n counts the terms added. */
static int put_ranking_word(lz_searcher *s, lzi_buf *store, const lzi_word *w, size_t *n)
{
    size_t from = store->len, at;
    int rc;

    if (lzi_stoplist_has(&s->stop, w->norm, w->norm_len))
        return LZ_OK;
    if ((rc = put_word_term(store, w)) != LZ_OK)
        return rc;
    for (at = 0; at < from && strcmp(store->ptr + at, store->ptr + from) != 0;
         at += strlen(store->ptr + at) + 1)
        ;
    if (at < from)
        store->len = from;      /* named twice: ranks once */
    else
        (*n)++;
    return LZ_OK;
}

/* The countries named in the free text of a normalized query ("Bosnia and Herzegovina",
 * "the Netherlands", "UK": the indexer's names and variants, in any case): the terms of the
 * words typed rank the passages the query matched (LZI_COUNTRY_WEIGHT). With `bridged` (not
 * --exact, and the query excludes nothing), so do the other one-word names of the same
 * country (lzi_country_forms), which also match on their own unless the query requires its
 * words (`required`): "Türkiye", the name lanzsearch shows, finds the reports' "Turkey".
 * Each term once. The terms go to `store`, each '\0'-terminated; the extra terms point into
 * it once all are written. */
#define LZI_COUNTRY_MAX_WORDS 4     /* words of the longest name, "United States of America" */
#define LZI_COUNTRY_MAX_FORMS 8     /* names of one country (the United Kingdom has 3) */
#define LZI_COUNTRY_MAX_NAMED 16    /* countries of one query whose other names count */
static int country_rankers(lz_searcher *s, const char *query, int bridged, int required,
                           lzi_buf *store, lzx_extra_term **extra, size_t *n_extra)
{
    lzi_wordlist wl, fw;
    lzi_buf text = LZI_BUF_INIT, name = LZI_BUF_INIT;
    const char *forms[LZI_COUNTRY_MAX_FORMS], *named[LZI_COUNTRY_MAX_NAMED], *slug = NULL;
    size_t i, n, k, n_forms, n_named = 0, n_typed, n_terms = 0, at;
    int rc;

    memset(&wl, 0, sizeof wl);
    memset(&fw, 0, sizeof fw);
    if ((rc = free_text(query, &text)) != LZ_OK ||
        (rc = lzi_wordlist_fill(&wl, s->an, text.ptr ? text.ptr : "", text.len)) != LZ_OK)
        goto done;
    for (i = 0; i < wl.n; i += n) {
        /* the longest name starting at word i, n words (1 and none found: go on) */
        for (n = LZI_COUNTRY_MAX_WORDS; n > 0; n--) {
            if (i + n > wl.n)
                continue;
            lzi_buf_clear(&name);
            for (k = i; k < i + n && rc == LZ_OK; k++) {
                if (k > i)
                    rc = lzi_buf_putc(&name, ' ');
                if (rc == LZ_OK)
                    rc = lzi_buf_append(&name, wl.v[k].norm, wl.v[k].norm_len);
            }
            if (rc != LZ_OK)
                goto done;
            if ((slug = lzi_country_lookup(name.ptr, name.len)) != NULL)
                break;
        }
        if (n == 0) {
            n = 1;
            continue;
        }
        for (k = i; k < i + n; k++)
            if ((rc = put_ranking_word(s, store, &wl.v[k], &n_terms)) != LZ_OK)
                goto done;
        for (k = 0; k < n_named && strcmp(named[k], slug) != 0; k++)
            ;
        if (k == n_named && n_named < LZI_COUNTRY_MAX_NAMED)
            named[n_named++] = slug;
    }
    n_typed = n_terms;
    for (i = 0; bridged && i < n_named; i++) {
        n_forms = lzi_country_forms(named[i], forms, LZI_COUNTRY_MAX_FORMS);
        for (k = 0; k < n_forms; k++) {
            if ((rc = lzi_wordlist_fill(&fw, s->an, forms[k], strlen(forms[k]))) != LZ_OK)
                goto done;
            if (fw.n == 1 && (rc = put_ranking_word(s, store, &fw.v[0], &n_terms)) != LZ_OK)
                goto done;
        }
    }
    if (n_terms > 0) {
        lzx_extra_term *v = lzi_realloc(*extra, (*n_extra + n_terms) * sizeof *v);
        if (v == NULL) {
            rc = lzi_error_set(LZ_ENOMEM, "out of memory");
            goto done;
        }
        *extra = v;
        for (k = 0, at = 0; k < n_terms; k++, at += strlen(store->ptr + at) + 1) {
            lzx_extra_term *x = &v[(*n_extra)++];
            memset(x, 0, sizeof *x);
            x->term = store->ptr + at;
            x->scale = LZI_COUNTRY_WEIGHT;
            x->label = "country: ";
            x->rank_only = k < n_typed || required;
        }
    }
done:
    lzi_buf_dispose(&text);
    lzi_buf_dispose(&name);
    lzi_wordlist_dispose(&wl);
    lzi_wordlist_dispose(&fw);
    return rc;
}

/* The concepts of the query's free text, and of its respelled form (`respelled`, may be NULL:
 * the query with each word's British and American spellings, so that `pedophiles` finds the
 * group that lists `paedophile`), each once; with `required` (the query requires words),
 * related groups only rank. A related group and the query's words that found it are one part
 * of the query: a passage holding any of those words weighs by them and gets nothing from the
 * group (lzx_extra_term.unless; `*unless` receives the array, which the caller frees), so a
 * group can weigh as a word does without counting the query's own word twice. */
static int concept_alternatives(lz_searcher *s, const char *query, const char *respelled,
                                int required, lzi_buf *store, lzx_extra_term **extra,
                                size_t *n_extra, const char ***unless)
{
    lzi_wordlist wl;
    lzi_buf text = LZI_BUF_INIT;
    concept_ctx c;
    size_t i, j, k, n_words = 0, at = 0, first;
    int rc = LZ_OK;

    memset(&wl, 0, sizeof wl);
    memset(&c, 0, sizeof c);
    c.store = store;
    c.stop = &s->stop;
    for (k = 0; k < 2 && rc == LZ_OK; k++) {
        const char *q = k == 0 ? query : respelled;
        if (q == NULL)
            continue;
        lzi_buf_clear(&text);
        if ((rc = free_text(q, &text)) == LZ_OK &&
            (rc = lzi_wordlist_fill(&wl, s->an, text.ptr ? text.ptr : "", text.len)) == LZ_OK) {
            c.words = wl.v;
            rc = lzi_thesaurus_match(s->thes, wl.v, wl.n, on_query_concept, &c);
        }
    }
    lzi_buf_dispose(&text);
    if (rc != LZ_OK || c.n == 0)
        goto done;
    for (i = 0; i < c.n; i++)
        n_words += match_word_count(store, c.offs[i]);
    {
        lzx_extra_term *v = lzi_realloc(*extra, (*n_extra + c.n) * sizeof *v);
        if (v != NULL)
            *extra = v;
        if (v == NULL ||
            (n_words > 0 && (*unless = lzi_calloc(n_words, sizeof **unless)) == NULL)) {
            rc = lzi_error_set(LZ_ENOMEM, "out of memory");
            goto done;
        }
    }
    for (i = 0; i < c.n; i++) {
        const char *term = store->ptr + c.offs[i];
        int related = strncmp(term, LZI_PREFIX_RELATED, strlen(LZI_PREFIX_RELATED)) == 0;
        lzx_extra_term *x;
        for (j = 0; j < i && strcmp(store->ptr + c.offs[j], term) != 0; j++)
            ;
        if (j < i)
            continue;           /* two expressions of one group weigh once */
        if (!related && within_longer(store, c.offs, c.n, i))
            continue;
        x = &(*extra)[(*n_extra)++];
        memset(x, 0, sizeof *x);
        x->term = term;
        x->scale = related ? LZI_RELATED_SCALE : 1.0;
        x->label = related ? "related words: " : "concept: ";
        x->rank_only = related && required;
        if (!related)
            continue;
        /* the searched words of every match of this group, each once, at (*unless)[first..] */
        first = at;
        for (j = i; j < c.n; j++) {
            if (strcmp(store->ptr + c.offs[j], term) != 0)
                continue;
            for (const char *w = match_words(store, c.offs[j]); *w != '\0';
                 w += strlen(w) + 1) {
                size_t m;
                for (m = first; m < at && strcmp((*unless)[m], w) != 0; m++)
                    ;
                if (m == at)
                    (*unless)[at++] = w;
            }
        }
        if (at > first) {
            x->unless = *unless + first;
            x->n_unless = at - first;
        }
    }
done:
    lzi_free(c.offs);
    lzi_wordlist_dispose(&wl);
    return rc;
}

/* Run one query; `rec_hint` (may be NULL) is more text in which recommendation numbers are
 * looked for, besides the query itself. */
static int run_query(lz_searcher *s, const char *query, const char *rec_hint,
                     const lz_search_options *o, lzx_mset **mset, char ***wild, size_t *n_wild)
{
    lzx_query_spec spec;
    lzi_buf nq = LZI_BUF_INIT, raw = LZI_BUF_INIT, canon = LZI_BUF_INIT, store = LZI_BUF_INIT;
    lzi_buf fraw = LZI_BUF_INIT, filter = LZI_BUF_INIT;
    lzi_buf lean = LZI_BUF_INIT, vstore = LZI_BUF_INIT, cstore = LZI_BUF_INIT;
    lzi_buf rstore = LZI_BUF_INIT, wanted = LZI_BUF_INIT, looked = LZI_BUF_INIT;
    lzi_buf kstore = LZI_BUF_INIT;
    lzx_extra_term *extra = NULL;
    const char **unless = NULL;
    char **variants = NULL;
    size_t n_extra = 0, n_variants = 0;
    int exact = (o->flags & LZ_SEARCH_EXACT) != 0, required;
    size_t i;
    int rc;

    if ((rc = lzi_query_normalize(s->an, query, strlen(query), &raw)) != LZ_OK ||
        (rc = canonical_countries(raw.ptr, &canon)) != LZ_OK)
        goto done;
    if ((rc = lzi_query_drop_stopwords(canon.ptr ? canon.ptr : "", canon.len, &s->stop,
                                       &lean)) != LZ_OK)
        goto done;
    if (exact)
        rc = lzi_buf_append(&nq, lean.ptr, lean.len);
    else if ((rc = lzi_query_add_variants(lean.ptr, lean.len, &nq)) == LZ_OK)
        rc = variant_words(s, lean.ptr, lean.len, &vstore, &variants, &n_variants);
    /* look-ups: the references of what the query wants, outside field:value pieces */
    required = (o->flags & LZ_SEARCH_AND) || requires_words(canon.ptr ? canon.ptr : "");
    if (rc != LZ_OK || (rc = wanted_text(query, &wanted)) != LZ_OK ||
        (rc = free_text(wanted.ptr ? wanted.ptr : "", &looked)) != LZ_OK ||
        (rc = rec_alternatives(rec_hint ? rec_hint : looked.ptr ? looked.ptr : "", required,
                               &store, &extra, &n_extra)) != LZ_OK ||
        (rc = ref_alternatives(looked.ptr ? looked.ptr : "", required, &rstore, &extra,
                               &n_extra)) != LZ_OK)
        goto done;
    if (canon.ptr != NULL && lzi_query_asks_count(canon.ptr, canon.len) &&
        (rc = count_ranker(&extra, &n_extra)) != LZ_OK)
        goto done;
    if (canon.ptr != NULL &&
        (rc = country_rankers(s, canon.ptr, !exact && !negates(canon.ptr), required, &kstore,
                              &extra, &n_extra)) != LZ_OK)
        goto done;
    if (!exact && canon.ptr != NULL && !negates(canon.ptr) &&
        (rc = concept_alternatives(s, canon.ptr, nq.ptr, required, &cstore, &extra, &n_extra,
                                   &unless)) != LZ_OK)
        goto done;
    if (o->filter != NULL) {
        if (lzi_utf8_invalid(o->filter, strlen(o->filter)) != LZI_NPOS) {
            rc = lzi_error_set(LZ_EQUERY, "filter: not valid UTF-8");
            goto done;
        }
        if ((rc = lzi_query_normalize(s->an, o->filter, strlen(o->filter), &fraw)) != LZ_OK ||
            (rc = canonical_countries(fraw.ptr, &filter)) != LZ_OK)
            goto done;
    }
    for (i = 0; i < nq.len && (nq.ptr[i] == ' ' || nq.ptr[i] == '\t'); i++)
        ;
    if (i == nq.len) {
        rc = lzi_error_set(LZ_EQUERY, "query: no words to search for");
        goto done;
    }
    memset(&spec, 0, sizeof spec);
    spec.query = nq.ptr;
    spec.filter = filter.ptr;
    spec.flags = exact ? 0 : LZX_QUERY_SYNONYMS;
    spec.extra = extra;
    spec.n_extra = n_extra;
    spec.variants = (const char *const *)variants;
    spec.n_variants = n_variants;
    if (o->flags & LZ_SEARCH_FACETS) {
        spec.facet_slots = facet_slots;
        spec.n_facet_slots = sizeof facet_slots / sizeof facet_slots[0];
    }
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
    spec.prior_slot = LZI_SLOT_PRIOR;
    spec.prior_weight = LZI_PRIOR_WEIGHT;
    spec.contexts = contexts;
    spec.n_contexts = sizeof contexts / sizeof contexts[0];
    spec.want_terms = 1;
    spec.explain = (o->flags & LZ_SEARCH_EXPLAIN) != 0;
    if ((rc = lzx_query_run(s->db, &spec, mset)) != LZ_OK)
        goto done;
    rc = wildcard_prefixes(nq.ptr, wild, n_wild);
done:
    lzi_free(extra);
    lzi_free(unless);
    lzi_free(variants);
    lzi_buf_dispose(&vstore);
    lzi_buf_dispose(&lean);
    lzi_buf_dispose(&nq);
    lzi_buf_dispose(&raw);
    lzi_buf_dispose(&canon);
    lzi_buf_dispose(&store);
    lzi_buf_dispose(&fraw);
    lzi_buf_dispose(&filter);
    lzi_buf_dispose(&cstore);
    lzi_buf_dispose(&rstore);
    lzi_buf_dispose(&kstore);
    lzi_buf_dispose(&wanted);
    lzi_buf_dispose(&looked);
    return rc;
}

static void free_strings(char **v, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        lzi_free(v[i]);
    lzi_free(v);
}

/* Turn the matches of m into r's hits: record, snippet highlighting m's terms (and the
 * wildcard prefixes), citation; the explanations move from the matches to the hits. */
static int build_hits(lz_results *r, lz_searcher *s, lzx_mset *m, const char *const *wild,
                      size_t n_wild, unsigned offset, unsigned snippet_len)
{
    lzi_query_terms qt;
    size_t i;
    int rc;

    if (m->n_terms > 1)             /* terms is NULL without terms: qsort wants an array */
        qsort(m->terms, m->n_terms, sizeof *m->terms, cmp_cstr);
    qt.terms = (const char *const *)m->terms;
    qt.n_terms = m->n_terms;
    qt.wildcards = wild;
    qt.n_wildcards = n_wild;
    qt.thesaurus = s->thes;
    if (m->n > 0 && (r->hits = lzi_calloc(m->n, sizeof *r->hits)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory");
    for (i = 0; i < m->n; i++) {
        lz_hit *h = &r->hits[i];
        r->n++;
        h->rank = offset + (unsigned)i + 1;
        h->score = m->matches[i].weight;
        h->explain = m->matches[i].explain;     /* ownership moves to the hit */
        h->n_explain = m->matches[i].n_explain;
        m->matches[i].explain = NULL;
        m->matches[i].n_explain = 0;
        if ((rc = lzi_record_decode(&h->rec, m->matches[i].data, m->matches[i].data_len)) ||
            (rc = lzi_snippet_make(&h->snip, s->an, h->rec.text, strlen(h->rec.text), &qt,
                                   snippet_len)) != LZ_OK ||
            (rc = make_citation(h)) != LZ_OK)
            return rc;
    }
    return LZ_OK;
}

/* LZ_OK for a query within the limits of length and words and valid UTF-8, else LZ_EQUERY
 * saying which. */
static int check_query(const char *query)
{
    size_t len = strlen(query), words = 0, i;

    if (len > LZI_MAX_QUERY_LEN)
        return lzi_error_set(LZ_EQUERY, "query: %zu bytes, longer than the limit of %d", len,
                             LZI_MAX_QUERY_LEN);
    for (i = 0; i < len; i++)
        words += !isspace((unsigned char)query[i]) &&
                 (i == 0 || isspace((unsigned char)query[i - 1]));
    if (words > LZI_MAX_QUERY_WORDS)
        return lzi_error_set(LZ_EQUERY, "query: %zu words, more than the limit of %d", words,
                             LZI_MAX_QUERY_WORDS);
    if (lzi_utf8_invalid(query, len) != LZI_NPOS)
        return lzi_error_set(LZ_EQUERY, "query: not valid UTF-8");
    return LZ_OK;
}

static int search_impl(lz_results **out, lz_searcher *s, const char *query, const char *rec_hint,
                       const lz_search_options *opts)
{
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;
    lzx_mset *m = NULL;
    char **wild = NULL;
    size_t n_wild = 0;
    int rc;

    if (out == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_search: out is NULL");
    *out = NULL;
    if (s == NULL || query == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_search: NULL searcher or query");
    if (opts != NULL) {
        /* Fields are only ever appended: any version up to ours is a prefix we understand. */
        if (opts->version < 1 || opts->version > LZ_SEARCH_OPTIONS_VERSION)
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
    if ((rc = check_query(query)) != LZ_OK)
        return rc;

    if ((r = lzi_calloc(1, sizeof *r)) == NULL || (r->query = lzi_strdup(query)) == NULL) {
        rc = lzi_error_set(LZ_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = run_query(s, query, rec_hint, &o, &m, &wild, &n_wild)) != LZ_OK)
        goto done;
    if ((rc = spelling_correction(s, query, !(o.flags & LZ_SEARCH_EXACT), &r->corrected)) !=
        LZ_OK)
        goto done;
    if (m->n == 0 && r->corrected != NULL && !(o.flags & LZ_SEARCH_NO_CORRECT)) {
        lzx_mset_free(m);
        m = NULL;
        free_strings(wild, n_wild);
        wild = NULL;
        n_wild = 0;
        if ((rc = run_query(s, r->corrected, rec_hint, &o, &m, &wild, &n_wild)) != LZ_OK)
            goto done;
        r->used_corrected = 1;
    }
    r->total = m->estimated;
    r->parsed = m->description;
    m->description = NULL;
    r->facets = m->facets;          /* ownership moves to the results */
    r->n_facets = m->n_facets;
    m->facets = NULL;
    m->n_facets = 0;

    rc = build_hits(r, s, m, (const char *const *)wild, n_wild, o.offset, o.snippet_len);
    if (rc != LZ_OK)
        goto done;
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

int lz_search(lz_results **out, lz_searcher *s, const char *query, const lz_search_options *opts)
{
    return search_impl(out, s, query, NULL, opts);
}

int lz_suggest(char **out, lz_searcher *s, const char *query)
{
    int rc;
    if (out == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_suggest: out is NULL");
    *out = NULL;
    if (s == NULL || query == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_suggest: NULL searcher or query");
    if ((rc = check_query(query)) != LZ_OK)
        return rc;
    return spelling_correction(s, query, 0, out);
}

int lz_show_recommendation(lz_results **out, lz_searcher *s, const char *rec)
{
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lzi_buf q = LZI_BUF_INIT;
    size_t i = 0, n;
    int rc;

    if (out == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_show_recommendation: out is NULL");
    *out = NULL;
    if (s == NULL || rec == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_show_recommendation: NULL argument");
    /* roman numeral, '-', number: nothing else may reach the query parser */
    while (is_roman(rec[i]))
        i++;
    n = strspn(rec + i + (rec[i] == '-'), "0123456789");
    if (i == 0 || rec[i] != '-' || n == 0 || rec[i + 1 + n] != '\0')
        return lzi_error_set(LZ_EINVAL, "'%s' is not a recommendation number (like IV-6)", rec);
    /* The filter keeps the passages that state or cite it; the hint ranks its own row first. */
    o.limit = LZ_SEARCH_MAX_LIMIT;
    o.flags = LZ_SEARCH_NO_CORRECT;
    if ((rc = lzi_buf_printf(&q, "rec:%s", rec)) == LZ_OK)
        rc = search_impl(out, s, q.ptr, rec, &o);
    lzi_buf_dispose(&q);
    return rc;
}

/* Records of every passage of document doc_id, in file order. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

typedef struct doc_record {
    lzi_record rec;
    uint32_t docid;
} doc_record;

typedef struct doc_records {
    doc_record *v;
    size_t n, cap;
} doc_records;

static int on_doc_record(void *payload, uint32_t docid, const char *data, size_t len)
{
    doc_records *d = payload;
    int rc;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        doc_record *v = lzi_realloc(d->v, cap * sizeof *v);
        if (v == NULL)
            return lzi_error_set(LZ_ENOMEM, "out of memory");
        d->v = v;
        d->cap = cap;
    }
    if ((rc = lzi_record_decode(&d->v[d->n].rec, data, len)) == LZ_OK)
        d->v[d->n++].docid = docid;
    return rc;
}

static int cmp_record_line(const void *a, const void *b)
{
    const lzi_record *x = &((const doc_record *)a)->rec, *y = &((const doc_record *)b)->rec;
    int c = strcmp(x->path, y->path);
    if (c != 0)
        return c;
    return x->first_line < y->first_line ? -1 : x->first_line > y->first_line;
}

static void doc_records_dispose(doc_records *d)
{
    size_t i;
    for (i = 0; i < d->n; i++)
        lzi_record_dispose(&d->v[i].rec);
    lzi_free(d->v);
}

/* The passages of the document of file `path` (same file name), sorted by file and line, and
 * the index of the one holding `line`: LZ_ENOTFOUND with a message when there is none. */
static int passage_at(lz_searcher *s, const char *path, unsigned line, doc_records *d,
                      size_t *at)
{
    lzi_buf term = LZI_BUF_INIT;
    const char *base = base_name(path), *dot = strrchr(base, '.');
    size_t i;
    int rc;

    *at = LZI_NPOS;
    if ((rc = lzi_buf_puts(&term, LZI_PREFIX_DOC)) == LZ_OK &&
        (rc = lzi_buf_append(&term, base, dot && dot != base ? (size_t)(dot - base)
                                                             : strlen(base))) == LZ_OK)
        rc = lzx_db_term_records(s->db, term.ptr, on_doc_record, d);
    lzi_buf_dispose(&term);
    if (rc != LZ_OK)
        return rc;
    if (d->n > 1)
        qsort(d->v, d->n, sizeof *d->v, cmp_record_line);
    for (i = 0; i < d->n && *at == LZI_NPOS; i++)
        if (strcmp(base_name(d->v[i].rec.path), base) == 0 && d->v[i].rec.first_line <= line &&
            line <= d->v[i].rec.last_line)
            *at = i;
    if (*at == LZI_NPOS)
        return lzi_error_set(LZ_ENOTFOUND, d->n == 0 ? "%s: not in the index"
                                                     : "%s:%u: no passage holds this line",
                             path, line);
    return LZ_OK;
}

int lz_show_passage(lz_results **out, lz_searcher *s, const char *path, unsigned line,
                    unsigned context)
{
    doc_records d = { NULL, 0, 0 };
    lz_results *r = NULL;
    size_t i, at, from, to;
    int rc;

    if (out == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_show_passage: out is NULL");
    *out = NULL;
    if (s == NULL || path == NULL || path[0] == '\0' || line == 0)
        return lzi_error_set(LZ_EINVAL, "lz_show_passage: NULL argument or line 0");
    if ((rc = passage_at(s, path, line, &d, &at)) != LZ_OK)
        goto done;
    /* neighbours: passages of the same file only */
    for (from = at; from > 0 && at - from < context &&
                    strcmp(d.v[from - 1].rec.path, d.v[at].rec.path) == 0; from--)
        ;
    for (to = at + 1; to < d.n && to - at <= context &&
                      strcmp(d.v[to].rec.path, d.v[at].rec.path) == 0; to++)
        ;
    if ((r = lzi_calloc(1, sizeof *r)) == NULL || (r->query = lzi_strdup(path)) == NULL ||
        (r->hits = lzi_calloc(to - from, sizeof *r->hits)) == NULL) {
        rc = lzi_error_set(LZ_ENOMEM, "out of memory");
        goto done;
    }
    for (i = from; i < to; i++) {
        lz_hit *h = &r->hits[r->n++];
        h->rank = (unsigned)(i - from + 1);
        h->rec = d.v[i].rec;                /* moved: the slot is emptied below */
        memset(&d.v[i].rec, 0, sizeof d.v[i].rec);
        if ((rc = lzi_buf_puts(&h->snip.text, h->rec.text)) != LZ_OK ||
            (rc = make_citation(h)) != LZ_OK)
            goto done;
    }
    r->total = r->n;
    r->target = at - from;
    rc = LZ_OK;
done:
    doc_records_dispose(&d);
    if (rc != LZ_OK) {
        lz_results_free(r);
        return rc;
    }
    *out = r;
    return LZ_OK;
}

int lz_similar(lz_results **out, lz_searcher *s, const char *path, unsigned line,
               const lz_search_options *opts)
{
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    doc_records d = { NULL, 0, 0 };
    lzx_query_spec spec;
    lzx_mset *m = NULL;
    lz_results *r = NULL;
    size_t at;
    int rc;

    if (out == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_similar: out is NULL");
    *out = NULL;
    if (s == NULL || path == NULL || path[0] == '\0' || line == 0)
        return lzi_error_set(LZ_EINVAL, "lz_similar: NULL argument or line 0");
    if (opts != NULL) {
        if (opts->version < 1 || opts->version > LZ_SEARCH_OPTIONS_VERSION)
            return lzi_error_set(LZ_EINVAL, "lz_similar: options version %u, expected %u",
                                 opts->version, LZ_SEARCH_OPTIONS_VERSION);
        o = *opts;
    }
    if (o.limit < 1 || o.limit > LZ_SEARCH_MAX_LIMIT || o.snippet_len < LZI_SNIPPET_MIN ||
        o.snippet_len > LZI_SNIPPET_MAX)
        return lzi_error_set(LZ_EINVAL, "lz_similar: limit or snippet length out of range");
    if ((rc = passage_at(s, path, line, &d, &at)) != LZ_OK)
        goto done;
    memset(&spec, 0, sizeof spec);
    spec.stopwords = (const char *const *)s->stop.words;
    spec.n_stopwords = s->stop.n;
    spec.offset = o.offset;
    spec.limit = o.limit;
    spec.k1 = LZI_BM25_K1;
    spec.b = LZI_BM25_B;
    spec.min_normlen = LZI_BM25_MIN_NORMLEN;
    spec.want_terms = 1;
    if ((rc = lzx_similar_run(s->db, d.v[at].docid, &spec, &m)) != LZ_OK)
        goto done;
    if ((r = lzi_calloc(1, sizeof *r)) == NULL || (r->query = lzi_strdup(path)) == NULL) {
        rc = lzi_error_set(LZ_ENOMEM, "out of memory");
        goto done;
    }
    r->total = m->estimated;
    r->parsed = m->description;
    m->description = NULL;
    rc = build_hits(r, s, m, NULL, 0, o.offset, o.snippet_len);
done:
    lzx_mset_free(m);
    doc_records_dispose(&d);
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
        size_t k;
        for (k = 0; k < r->hits[i].n_explain; k++)
            lzi_free(r->hits[i].explain[k].what);
        lzi_free(r->hits[i].explain);
        lzi_record_dispose(&r->hits[i].rec);
        lzi_snippet_dispose(&r->hits[i].snip);
        lzi_free(r->hits[i].citation);
    }
    lzi_free(r->hits);
    for (i = 0; i < r->n_facets; i++) {
        size_t k;
        for (k = 0; k < r->facets[i].n; k++)
            lzi_free(r->facets[i].values[k]);
        lzi_free(r->facets[i].values);
        lzi_free(r->facets[i].counts);
    }
    lzi_free(r->facets);
    lzi_free(r->query);
    lzi_free(r->corrected);
    lzi_free(r->parsed);
    lzi_free(r);
}

/* ------------------------------------------------------------------------------------------ */
/* Getters: NULL-safe, lending pointers that live as long as the results. */

const char *lz_results_query(const lz_results *r)
{
    return r ? r->query : NULL;
}

const char *lz_results_corrected(const lz_results *r)
{
    return r ? r->corrected : NULL;
}

int lz_results_used_corrected(const lz_results *r)
{
    return r ? r->used_corrected : 0;
}

uint64_t lz_results_total(const lz_results *r)
{
    return r ? r->total : 0;
}

size_t lz_results_count(const lz_results *r)
{
    return r ? r->n : 0;
}

const char *lz_results_parsed(const lz_results *r)
{
    return r ? r->parsed : NULL;
}

const lz_hit *lz_results_hit(const lz_results *r, size_t i)
{
    return r != NULL && i < r->n ? &r->hits[i] : NULL;
}

unsigned lz_hit_rank(const lz_hit *h)
{
    return h ? h->rank : 0;
}

double lz_hit_score(const lz_hit *h)
{
    return h ? h->score : 0;
}

const char *lz_hit_doc(const lz_hit *h)
{
    return h ? h->rec.doc : NULL;
}

const char *lz_hit_path(const lz_hit *h)
{
    return h ? h->rec.path : NULL;
}

const char *lz_hit_title(const lz_hit *h)
{
    return h ? h->rec.title : NULL;
}

size_t lz_hit_section_count(const lz_hit *h)
{
    return h ? h->rec.n_section : 0;
}

const char *lz_hit_text(const lz_hit *h)
{
    return h ? h->rec.text : NULL;
}

const char *lz_hit_snippet(const lz_hit *h)
{
    return h ? h->snip.text.ptr : NULL;
}

size_t lz_hit_highlight_count(const lz_hit *h)
{
    return h ? h->snip.n_spans : 0;
}

const char *lz_hit_citation(const lz_hit *h)
{
    return h ? h->citation : NULL;
}

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

size_t lz_results_facet_count(const lz_results *r)
{
    return r ? r->n_facets : 0;
}

const char *lz_results_facet_name(const lz_results *r, size_t f)
{
    size_t k;
    if (r == NULL || f >= r->n_facets)
        return NULL;
    for (k = 0; k < sizeof facet_slots / sizeof facet_slots[0]; k++)
        if (facet_slots[k] == r->facets[f].slot)
            return facet_names[k];
    return NULL;
}

size_t lz_results_facet_size(const lz_results *r, size_t f)
{
    return r != NULL && f < r->n_facets ? r->facets[f].n : 0;
}

int lz_results_facet_value(const lz_results *r, size_t f, size_t i, const char **value,
                           uint64_t *count)
{
    if (r == NULL || f >= r->n_facets || i >= r->facets[f].n)
        return -1;
    if (value)
        *value = r->facets[f].values[i];
    if (count)
        *count = r->facets[f].counts[i];
    return 0;
}

size_t lz_results_target(const lz_results *r)
{
    return r ? r->target : 0;
}

size_t lz_hit_footnote_count(const lz_hit *h)
{
    return h ? h->rec.n_notes : 0;
}

int lz_hit_footnote(const lz_hit *h, size_t i, unsigned *n, const char **text)
{
    if (h == NULL || i >= h->rec.n_notes)
        return -1;
    if (n)
        *n = h->rec.notes[i].n;
    if (text)
        *text = h->rec.notes[i].text;
    return 0;
}

static const lzi_strlist *entity_list(const lz_hit *h, lz_entity kind)
{
    switch (kind) {
    case LZ_ENTITY_RECOMMENDATION: return &h->rec.recs;
    case LZ_ENTITY_ARTICLE: return &h->rec.articles;
    case LZ_ENTITY_PARAGRAPH: return &h->rec.paras;
    case LZ_ENTITY_COUNTRY: return &h->rec.countries;
    case LZ_ENTITY_ADDRESSED: return &h->rec.addressed;
    }
    return NULL;
}

size_t lz_hit_entity_count(const lz_hit *h, lz_entity kind)
{
    const lzi_strlist *l = h ? entity_list(h, kind) : NULL;
    return l ? l->n : 0;
}

const char *lz_hit_entity(const lz_hit *h, lz_entity kind, size_t i)
{
    const lzi_strlist *l = h ? entity_list(h, kind) : NULL;
    return l != NULL && i < l->n ? l->v[i] : NULL;
}

const char *lz_hit_level(const lz_hit *h)
{
    return h ? h->rec.level : NULL;
}

const char *lz_hit_chapter(const lz_hit *h)
{
    return h ? h->rec.chapter : NULL;
}

const char *lz_hit_columns(const lz_hit *h)
{
    return h ? h->rec.columns : NULL;
}

size_t lz_hit_explain_count(const lz_hit *h)
{
    return h ? h->n_explain : 0;
}

int lz_hit_explain(const lz_hit *h, size_t i, const char **what, double *weight)
{
    if (h == NULL || i >= h->n_explain)
        return -1;
    if (what)
        *what = h->explain[i].what;
    if (weight)
        *weight = h->explain[i].weight;
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
