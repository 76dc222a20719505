/* lz_index_*: the indexing run. Walks files and folders, loads each source (NUL check, UTF-8
 * repair), parses it into passages (parse.c), turns each passage into a Xapian document through
 * text/ and backend/, and keeps a registry of sources in the index's metadata so that unchanged
 * files are skipped and deleted ones removed. The whole run is one Xapian transaction (or one
 * per commit_every bytes of files). The files of a folder are built on a second thread while
 * this one writes (Batches, Writing, Two threads below). */
#define _XOPEN_SOURCE 700           /* realpath() is an XSI extension */

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <pthread.h>
#include <time.h>

#include <jansson.h>

#include "lz_common.h"
#include "lz_entities.h"
#include "lz_parse.h"
#include "lz_record.h"
#include "lz_schema.h"
#include "lz_text.h"
#include "lz_thesaurus.h"
#include "lz_walk.h"
#include "lzx.h"

/* Word counts of one source for the spelling data: Xapian's add_spelling costs a map update
 * per call, so each distinct word is added once per source with its count. Open addressing,
 * keys in one arena. */
typedef struct word_count {
    size_t off, len;        /* the word in the arena */
    unsigned n;
} word_count;

typedef struct word_counts {
    word_count *slots;      /* cap entries, len 0 = empty; cap a power of two */
    size_t cap, used;
    lzi_buf arena;
} word_counts;

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    while (n-- > 0)
        h = (h ^ (unsigned char)*s++) * 0x100000001b3u;
    return h;
}

static int counts_grow(word_counts *wc)
{
    size_t cap = wc->cap ? wc->cap * 2 : 1024, i;
    word_count *slots = lzi_calloc(cap, sizeof *slots);
    if (slots == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory (spelling counts)");
    for (i = 0; i < wc->cap; i++) {
        word_count *w = &wc->slots[i];
        size_t k;
        if (w->len == 0)
            continue;
        for (k = fnv1a(wc->arena.ptr + w->off, w->len) & (cap - 1); slots[k].len != 0;
             k = (k + 1) & (cap - 1))
            ;
        slots[k] = *w;
    }
    lzi_free(wc->slots);
    wc->slots = slots;
    wc->cap = cap;
    return LZ_OK;
}

static int counts_add(word_counts *wc, const char *word, size_t len)
{
    size_t k;
    int rc;
    if ((wc->used + 1) * 2 > wc->cap && (rc = counts_grow(wc)) != LZ_OK)
        return rc;
    for (k = fnv1a(word, len) & (wc->cap - 1); wc->slots[k].len != 0; k = (k + 1) & (wc->cap - 1)) {
        word_count *w = &wc->slots[k];
        if (w->len == len && memcmp(wc->arena.ptr + w->off, word, len) == 0) {
            w->n++;
            return LZ_OK;
        }
    }
    wc->slots[k].off = wc->arena.len;
    wc->slots[k].len = len;
    wc->slots[k].n = 1;
    wc->used++;
    return lzi_buf_append(&wc->arena, word, len);
}

/* Hand every count to the spelling data and empty the table. */
static int counts_flush(word_counts *wc, lzx_wdb *db)
{
    size_t i;
    int rc = LZ_OK;
    for (i = 0; i < wc->cap && rc == LZ_OK; i++)
        if (wc->slots[i].len != 0)
            rc = lzx_wdb_add_spelling(db, wc->arena.ptr + wc->slots[i].off, wc->slots[i].len,
                                      wc->slots[i].n);
    if (wc->cap > 0)
        memset(wc->slots, 0, wc->cap * sizeof *wc->slots);
    wc->used = 0;
    lzi_buf_clear(&wc->arena);
    return rc;
}

/* Release the table; it is empty and usable afterwards. */
static void counts_dispose(word_counts *wc)
{
    lzi_free(wc->slots);
    lzi_buf_dispose(&wc->arena);
    memset(wc, 0, sizeof *wc);
}
/* Everything that turns a source's text into Xapian documents, for one thread: the indexing
 * run has one for its own thread and one for the analysis thread of a folder walk. */
typedef struct builder {
    lzi_analyzer *an;
    const lzi_thesaurus *thes;  /* shared: read only */
    lzi_wordlist words;     /* scratch: words of one passage, for concept matching */
    word_counts spelling;   /* words of the source being built, for the spelling data */
    lzi_buf term;           /* scratch: one term being built */
    lzi_buf record;         /* scratch: one encoded passage record */
    lzx_doc *doc;           /* the passage being built */
} builder;

struct lz_index {
    lzx_wdb *db;
    builder own;            /* for this handle's thread */
    builder *helper;        /* for the analysis thread; made on first use */
    lzi_stoplist stop;
    lzi_thesaurus *thes;
    int synonyms_written;   /* the thesaurus is in the synonym table (once per handle) */
    lz_index_options opts;
    lz_index_stats stats;
    size_t since_commit;    /* bytes of files indexed since the last commit */
    lzi_buf fingerprint;
    lzi_buf term;           /* scratch: a term or key written by this handle's thread */
};

/* A source being indexed: where it came from and what identifies it in the index. */
typedef struct source {
    const char *path;       /* as the user reaches it (display, citations) */
    char *identity;         /* real folder + "/" + name, or "mem:" + name for in-memory text */
    char hash[17];          /* lzi_hash_hex(identity) */
    char *doc_id;           /* file name without folder and extension */
    const char *title;      /* given by the caller (lz_index_add_document), else NULL */
    long long size, mtime_ns;
} source;

static int builder_init(builder *b, const lzi_thesaurus *thes)
{
    memset(b, 0, sizeof *b);
    b->thes = thes;
    return lzi_analyzer_new(&b->an);
}

static void builder_dispose(builder *b)
{
    lzx_doc_free(b->doc);
    lzi_analyzer_free(b->an);
    lzi_wordlist_dispose(&b->words);
    counts_dispose(&b->spelling);
    lzi_buf_dispose(&b->term);
    lzi_buf_dispose(&b->record);
    memset(b, 0, sizeof *b);
}

/* ------------------------------------------------------------------------------------------ */

/* An event about one file met by a walk, with its size (file_len: INDEXED, UNCHANGED and
 * SKIPPED of a file, so that a progress display can add them up). */
static int emit_file_event(lz_index *ix, lz_index_event_kind kind, const char *path,
                           const char *msg, size_t n_passages, uint64_t file_len)
{
    lz_index_event ev;
    if (ix->opts.progress == NULL)
        return 0;
    ev.kind = kind;
    ev.path = path;
    ev.message = msg;
    ev.n_passages = n_passages;
    ev.file_len = file_len;
    return ix->opts.progress(&ev, ix->opts.payload);
}

static int emit_event(lz_index *ix, lz_index_event_kind kind, const char *path, const char *msg,
                      size_t n_passages)
{
    return emit_file_event(ix, kind, path, msg, n_passages, 0);
}

/* The identity of a path: its folder resolved (symlinks, "..") plus its name, so that the same
 * file reached as "corpus/x.txt" or "/abs/corpus/x.txt" is one source, and a file that is gone
 * still has an identity while its folder exists. */
static int path_identity(const char *path, char **out)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    char *dirpart, *real = NULL;
    lzi_buf b = LZI_BUF_INIT;
    int rc;

    *out = NULL;
    if (slash == NULL)
        dirpart = lzi_strdup(".");
    else if (slash == path)
        dirpart = lzi_strdup("/");
    else
        dirpart = lzi_strndup(path, (size_t)(slash - path));
    if (dirpart == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory");
    if ((real = realpath(dirpart, dir)) == NULL) {
        rc = lzi_error_set(errno == ENOENT ? LZ_ENOTFOUND : LZ_EIO, "%s: %s", dirpart,
                           strerror(errno));
        goto done;
    }
    if ((rc = lzi_buf_puts(&b, real)) != LZ_OK)
        goto done;
    if (strcmp(real, "/") != 0 && (rc = lzi_buf_putc(&b, '/')) != LZ_OK)
        goto done;
    if ((rc = lzi_buf_puts(&b, slash ? slash + 1 : path)) != LZ_OK)
        goto done;
    *out = lzi_buf_detach(&b);
    rc = *out ? LZ_OK : lzi_error_set(LZ_ENOMEM, "out of memory");
done:
    lzi_free(dirpart);
    lzi_buf_dispose(&b);
    return rc;
}

/* Whether `needle` (lower-case ASCII) occurs in s, ignoring ASCII case. */
static int strcasestr_ascii(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s != '\0'; s++)
        if (strncasecmp(s, needle, n) == 0)
            return 1;
    return 0;
}

/* The last component of a path. */
static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Document id from a path: the last component without its extension. */
static char *doc_id_of(const char *path)
{
    const char *base = base_of(path), *dot = strrchr(base, '.');
    return lzi_strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

static void source_dispose(source *src)
{
    lzi_free(src->identity);
    lzi_free(src->doc_id);
}

/* ------------------------------------------------------------------------------------------ */
/* Terms */

typedef struct term_ctx {
    builder *b;
    const char *prefix;     /* "" for body text */
    int positions;          /* add positions (body text only) */
    int spelling;           /* feed spelling data and the word list (body text only) */
    unsigned pos_base;      /* positions continue across fields */
    unsigned last_pos;
} term_ctx;

static int put_term(term_ctx *c, const char *stem_mark, const char *word, size_t len,
                    unsigned pos)
{
    builder *b = c->b;
    int rc;

    lzi_buf_clear(&b->term);
    if ((rc = lzi_buf_puts(&b->term, stem_mark)) != LZ_OK ||
        (rc = lzi_buf_puts(&b->term, c->prefix)) != LZ_OK ||
        (rc = lzi_buf_append(&b->term, word, len)) != LZ_OK)
        return rc;
    if (b->term.len > LZX_MAX_TERM_LEN)
        return LZ_OK;       /* cannot happen for words of at most LZI_MAX_WORD_LEN bytes */
    if (pos > 0)
        return lzx_doc_posting(b->doc, b->term.ptr, b->term.len, pos);
    return lzx_doc_term(b->doc, b->term.ptr, b->term.len, 1);
}

static int on_token(void *payload, const lzi_token *tok)
{
    term_ctx *c = payload;
    unsigned pos = c->pos_base + tok->pos + 1;      /* Xapian positions count from 1 */
    int joined = (tok->flags & LZI_TOKEN_JOINED) != 0;
    int rc;

    if ((rc = put_term(c, "", tok->norm, tok->norm_len, c->positions && !joined ? pos : 0)))
        return rc;
    if (tok->stem != NULL && tok->stem_len > 0 &&
        (rc = put_term(c, LZI_PREFIX_STEM, tok->stem, tok->stem_len, 0)) != LZ_OK)
        return rc;
    if (c->spelling && !joined && tok->norm[0] >= 'a' && tok->norm[0] <= 'z' &&
        (rc = counts_add(&c->b->spelling, tok->norm, tok->norm_len)) != LZ_OK)
        return rc;
    if (c->spelling && (rc = lzi_wordlist_add(&c->b->words, tok)) != LZ_OK)
        return rc;
    if (pos > c->last_pos)
        c->last_pos = pos;
    return LZ_OK;
}

static int on_concept(void *payload, const char *term, size_t first, size_t last)
{
    builder *b = payload;
    (void)first;
    (void)last;
    return lzx_doc_term(b->doc, term, strlen(term), 1);
}

/* Concept terms for every thesaurus expression in the passage text, whose words the body's
 * analysis (index_field) has just listed. */
static int index_concepts(builder *b)
{
    lzi_wordlist_finish(&b->words);
    return lzi_thesaurus_match(b->thes, b->words.v, b->words.n, on_concept, b);
}

static int index_field(builder *b, const char *prefix, const char *text, int body)
{
    term_ctx c = { b, prefix, body, body, 0, 0 };
    return lzi_analyze(b->an, text, strlen(text), on_token, &c);
}

static int add_boolean(builder *b, const char *prefix, const char *value)
{
    int rc;
    lzi_buf_clear(&b->term);
    if ((rc = lzi_buf_puts(&b->term, prefix)) != LZ_OK ||
        (rc = lzi_buf_puts(&b->term, value)) != LZ_OK)
        return rc;
    if (b->term.len > LZX_MAX_TERM_LEN)
        return LZ_OK;       /* an absurdly long document id: still findable by its words */
    return lzx_doc_boolean(b->doc, b->term.ptr, b->term.len);
}

/* ------------------------------------------------------------------------------------------ */
/* Passages */

/* A term prefix + value in lower case (entity values are case-insensitive on the query side),
 * added with a wdf (weighted) or as a boolean filter term. */
static int add_entity(builder *b, const char *prefix, const char *value, int weighted)
{
    size_t i, from;
    int rc;

    lzi_buf_clear(&b->term);
    if ((rc = lzi_buf_puts(&b->term, prefix)) != LZ_OK)
        return rc;
    from = b->term.len;
    if ((rc = lzi_buf_puts(&b->term, value)) != LZ_OK)
        return rc;
    for (i = from; i < b->term.len; i++)
        if (b->term.ptr[i] >= 'A' && b->term.ptr[i] <= 'Z')
            b->term.ptr[i] = (char)(b->term.ptr[i] - 'A' + 'a');
    if (b->term.len > LZX_MAX_TERM_LEN)
        return LZ_OK;
    if (weighted)
        return lzx_doc_term(b->doc, b->term.ptr, b->term.len, 1);
    return lzx_doc_boolean(b->doc, b->term.ptr, b->term.len);
}

/* Values joined by '\n' in one slot, for list facets. */
static int add_list_value(builder *b, unsigned slot, char *const *v, size_t n)
{
    size_t i;
    int rc;
    if (n == 0)
        return LZ_OK;
    lzi_buf_clear(&b->term);
    for (i = 0; i < n; i++)
        if ((i > 0 && (rc = lzi_buf_putc(&b->term, '\n')) != LZ_OK) ||
            (rc = lzi_buf_puts(&b->term, v[i])) != LZ_OK)
            return rc;
    return lzx_doc_value(b->doc, slot, b->term.ptr, b->term.len);
}

/* Filter terms and facet values of a passage's entities. */
static int index_entities(builder *b, const lzi_entities *e)
{
    char num[16];
    const char *level = lzi_level_name(e->level);
    size_t i;
    int rc = LZ_OK;

    for (i = 0; i < e->n_recs && rc == LZ_OK; i++)
        rc = add_entity(b, LZI_PREFIX_REC, e->recs[i], 1);
    if (rc == LZ_OK && e->rec_self != NULL)
        rc = add_entity(b, LZI_PREFIX_REC_SELF, e->rec_self, 1);
    for (i = 0; i < e->n_articles && rc == LZ_OK; i++) {
        size_t digits = strspn(e->articles[i], "0123456789");
        rc = add_entity(b, LZI_PREFIX_ARTICLE, e->articles[i], 1);
        if (rc == LZ_OK && digits > 0 && digits < strlen(e->articles[i]) && digits < sizeof num) {
            memcpy(num, e->articles[i], digits);     /* article:25 finds 25(4) */
            num[digits] = '\0';
            rc = add_entity(b, LZI_PREFIX_ARTICLE, num, 1);
        }
    }
    for (i = 0; i < e->n_paras && rc == LZ_OK; i++) {
        snprintf(num, sizeof num, "%u", e->paras[i]);
        rc = add_entity(b, LZI_PREFIX_PARA, num, 1);
    }
    for (i = 0; i < e->n_countries && rc == LZ_OK; i++)
        rc = add_entity(b, LZI_PREFIX_COUNTRY, e->countries[i], 0);
    for (i = 0; i < e->n_addressed && rc == LZ_OK; i++)
        rc = add_entity(b, LZI_PREFIX_TO, e->addressed[i], 0);
    if (rc == LZ_OK && level != NULL)
        rc = add_entity(b, LZI_PREFIX_LEVEL, level, 0);
    if (rc == LZ_OK && e->chapter != NULL)
        rc = add_entity(b, LZI_PREFIX_CHAPTER, e->chapter, 0);
    if (rc == LZ_OK && level != NULL)
        rc = lzx_doc_value(b->doc, LZI_SLOT_LEVEL, level, strlen(level));
    if (rc == LZ_OK && e->chapter != NULL)
        rc = lzx_doc_value(b->doc, LZI_SLOT_CHAPTER, e->chapter, strlen(e->chapter));
    return rc;
}

/* Country display names for the record: a list lent from the static country table. */
static int country_names(lzi_strlist *out, char *const *slugs, size_t n)
{
    size_t i;
    out->n = 0;
    out->v = NULL;
    if (n == 0)
        return LZ_OK;
    if ((out->v = lzi_calloc(n, sizeof *out->v)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        const char *name = lzi_country_name(slugs[i]);
        out->v[out->n++] = (char *)(name ? name : slugs[i]);
    }
    return LZ_OK;
}

/* Paragraph numbers as strings for the record, in buf ("71\0" "72\0"...). */
static int para_strings(lzi_strlist *out, lzi_buf *buf, const lzi_entities *e)
{
    size_t i, at = 0;
    int rc;
    out->n = 0;
    out->v = NULL;
    lzi_buf_clear(buf);
    if (e->n_paras == 0)
        return LZ_OK;
    for (i = 0; i < e->n_paras; i++)
        if ((rc = lzi_buf_printf(buf, "%u", e->paras[i])) != LZ_OK ||
            (rc = lzi_buf_putc(buf, '\0')) != LZ_OK)
            return rc;
    if ((out->v = lzi_calloc(e->n_paras, sizeof *out->v)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory");
    for (i = 0; i < e->n_paras; i++) {
        out->v[out->n++] = buf->ptr + at;
        at += strlen(buf->ptr + at) + 1;
    }
    return LZ_OK;
}

/* The kind of a document, from words of its title or file name: "factsheet",
 * "recommendations", "mapping" (a baseline mapping study), else "document". */
static const char *document_kind(const char *title, const char *doc_id)
{
    static const struct {
        const char *word, *kind;
    } kinds[] = {
        { "factsheet", "factsheet" },
        { "recommendation", "recommendations" },
        { "mapping", "mapping" },
    };
    size_t k;
    for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if ((title != NULL && strcasestr_ascii(title, kinds[k].word)) ||
            strcasestr_ascii(doc_id, kinds[k].word))
            return kinds[k].kind;
    return "document";
}

/* Headings under which passages are reference lists, not body text (case-insensitive prefix
 * of any heading of the section path). */
static const char *const reference_headings[] = {
    "bibliography", "references", "reference works", "reference list", "sources",
    "further reading", "works cited", "literature",
};

/* Whether a passage is the caption of a figure or table: "Fig.5 Hotlines and helplines by
 * Council of Europe member state", "Figure 2: ...", "Table 3 ...". */
static int is_caption(const char *text)
{
    static const char *const labels[] = { "Figure", "Fig", "Table" };
    size_t k, n;

    for (k = 0; k < sizeof labels / sizeof labels[0]; k++) {
        n = strlen(labels[k]);
        if (strncmp(text, labels[k], n) != 0)
            continue;
        text += n;
        if (*text == '.')
            text++;
        while (*text == ' ')
            text++;
        return *text >= '0' && *text <= '9';
    }
    return 0;
}

/* The prior of a passage: 1 for body text, 0 for entries of a reference list, for captions and
 * for the column headings of a table (`next` is the passage after p, or NULL). A match in a
 * bibliography entry ("Trends identified in CyberTipline sextortion reports"), in the title of a
 * chart ("Fig.6 Safer Internet Centres and Safer Internet Day 2019 celebration by Council of
 * Europe member state") or in a table's headings ("Country Safer Internet Centre Safer Internet
 * Day 2019") is rarely the answer to the question. */
static double passage_prior(const lzi_passage *p, const lzi_passage *next)
{
    size_t i, k;

    if (is_caption(p->text) || (next != NULL && next->columns == p->text))
        return 0.0;
    for (i = 0; i < p->n_section; i++) {
        const char *h = p->section[i];
        /* skip a label such as "Appendix 1 - " */
        const char *dash = strstr(h, " - ");
        if (strncasecmp(h, "appendix", 8) == 0 && dash != NULL)
            h = dash + 3;
        for (k = 0; k < sizeof reference_headings / sizeof reference_headings[0]; k++)
            if (strncasecmp(h, reference_headings[k], strlen(reference_headings[k])) == 0)
                return 0.0;
    }
    return 1.0;
}

/* Number words that state a count ("one" is left out: "one of the", "on the one hand"). */
static const char *const number_words[] = {
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "fifteen", "twenty", "thirty", "forty", "fifty", "hundred", "hundreds", "thousand",
    "thousands", "million", "millions", "dozen", "dozens",
};

/* Words before a number that make it a label, not a count (besides the reference words). */
static const char *const label_words[] = {
    "fig", "figure", "table", "capability", "capabilities", "appendix", "annex", "section",
    "no", "number", "round", "page", "pages", "p", "pp", "edition", "protocol", "step",
};

static int word_in(const lzi_word *w, const char *const *list, size_t n)
{
    size_t k;
    for (k = 0; k < n; k++)
        if (strlen(list[k]) == w->norm_len && memcmp(list[k], w->norm, w->norm_len) == 0)
            return 1;
    return 0;
}

/* Whether word i of text[0, len) is a number that counts something: digits (with a decimal or
 * thousands separator), no year (1900-2099), no part of an identifier (`II-6`, `20(4)`,
 * `Para.71`, `2nd`, `Fig.5`) and no label (`Article 7`, `Capability 15`). */
static int is_count(const char *text, size_t len, const lzi_word *v, size_t i)
{
    const lzi_word *w = &v[i];
    const char *s = w->norm;
    size_t k;
    unsigned value = 0;

    if (w->norm_len == 0 || !(s[0] >= '0' && s[0] <= '9'))
        return 0;
    for (k = 0; k < w->norm_len; k++) {
        if (s[k] >= '0' && s[k] <= '9')
            value = value < 10000 ? value * 10 + (unsigned)(s[k] - '0') : value;
        else if (s[k] == '.' || s[k] == ',')
            value = 10000;              /* "173.5", "1,200": no year */
        else
            return 0;                   /* "2nd", "16808d9c85" */
    }
    if (w->norm_len == 4 && value >= 1900 && value <= 2099)
        return 0;
    if ((w->start > 0 && strchr("-.(/#", text[w->start - 1]) != NULL) ||
        (w->end < len && strchr("-(/", text[w->end]) != NULL))
        return 0;
    return !(i > 0 && (lzi_is_reference_word(v[i - 1].norm, v[i - 1].norm_len) ||
                       word_in(&v[i - 1], label_words,
                               sizeof label_words / sizeof label_words[0])));
}

/* Whether a passage's text states a count, as an answer to "how many" (LZI_TERM_COUNT): a
 * number word or a count in digits among its words wl. */
static int states_count(const char *text, const lzi_wordlist *wl)
{
    size_t i, len = strlen(text);
    for (i = 0; i < wl->n; i++)
        if (word_in(&wl->v[i], number_words, sizeof number_words / sizeof number_words[0]) ||
            is_count(text, len, wl->v, i))
            return 1;
    return 0;
}

/* Build a passage's document into b->doc, for the caller to take. */
static int write_passage(builder *b, const source *src, const lzi_document *d,
                         const lzi_passage *p, const lzi_entities *e)
{
    const char *kind = document_kind(d->title, src->doc_id);
    const lzi_passage *next = p + 1 < d->passages + d->n_passages ? p + 1 : NULL;
    lzi_record rec;
    lzi_record_note *notes = NULL;
    lzi_buf paras = LZI_BUF_INIT;
    char unique[64], line[16];
    size_t i;
    int rc;

    memset(&rec, 0, sizeof rec);

    if ((rc = lzx_doc_new(&b->doc)) != LZ_OK)
        return rc;
    lzi_wordlist_clear(&b->words);
    if ((rc = index_field(b, "", p->text, 1)) != LZ_OK || (rc = index_concepts(b)) != LZ_OK)
        goto done;
    if (d->title && (rc = index_field(b, LZI_PREFIX_TITLE, d->title, 0)) != LZ_OK)
        goto done;
    for (i = 0; i < p->n_section; i++)
        if ((rc = index_field(b, LZI_PREFIX_SECTION, p->section[i], 0)) != LZ_OK)
            goto done;
    if (p->columns != NULL && (rc = index_field(b, LZI_PREFIX_COLUMNS, p->columns, 0)) != LZ_OK)
        goto done;
    snprintf(unique, sizeof unique, "%s#%u", src->hash, p->first_line);
    snprintf(line, sizeof line, "%u", p->first_line);
    if ((rc = add_boolean(b, LZI_PREFIX_DOC, src->doc_id)) != LZ_OK ||
        (rc = add_boolean(b, LZI_PREFIX_FILE, src->hash)) != LZ_OK ||
        (rc = add_boolean(b, LZI_PREFIX_UNIQUE, unique)) != LZ_OK ||
        (rc = lzx_doc_value(b->doc, LZI_SLOT_DOC, src->doc_id, strlen(src->doc_id))) ||
        (rc = lzx_doc_value(b->doc, LZI_SLOT_LINE, line, strlen(line))) != LZ_OK ||
        (rc = lzx_doc_value_number(b->doc, LZI_SLOT_PRIOR, passage_prior(p, next))) != LZ_OK ||
        (rc = add_entity(b, LZI_PREFIX_KIND, kind, 0)) != LZ_OK ||
        (rc = lzx_doc_value(b->doc, LZI_SLOT_KIND, kind, strlen(kind))) != LZ_OK ||
        (rc = index_entities(b, e)) != LZ_OK)
        goto done;
    if (states_count(p->text, &b->words) &&
        (rc = lzx_doc_term(b->doc, LZI_TERM_COUNT, strlen(LZI_TERM_COUNT), 1)) != LZ_OK)
        goto done;

    if (p->n_notes > 0 && (notes = lzi_calloc(p->n_notes, sizeof *notes)) == NULL) {
        rc = lzi_error_set(LZ_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < p->n_notes; i++) {
        const lzi_footnote *fn = lzi_document_footnote(d, p->notes[i], p->first_line);
        notes[i].n = p->notes[i];
        notes[i].text = fn ? fn->text : "";
    }
    rec.doc = src->doc_id;
    rec.path = (char *)src->path;
    rec.title = d->title;
    rec.section = p->section;
    rec.n_section = p->n_section;
    rec.first_line = p->first_line;
    rec.last_line = p->last_line;
    rec.text = p->text;
    rec.columns = (char *)p->columns;
    rec.notes = notes;
    rec.n_notes = p->n_notes;
    rec.recs.v = e->recs;
    rec.recs.n = e->n_recs;
    rec.articles.v = e->articles;
    rec.articles.n = e->n_articles;
    rec.level = (char *)lzi_level_name(e->level);
    rec.chapter = e->chapter;
    if ((rc = country_names(&rec.countries, e->countries, e->n_countries)) != LZ_OK ||
        (rc = country_names(&rec.addressed, e->addressed, e->n_addressed)) != LZ_OK ||
        (rc = para_strings(&rec.paras, &paras, e)) != LZ_OK ||
        (rc = add_list_value(b, LZI_SLOT_COUNTRY, rec.countries.v, rec.countries.n)) != LZ_OK)
        goto done;
    if ((rc = lzi_record_encode(&rec, &b->record)) != LZ_OK ||
        (rc = lzx_doc_data(b->doc, b->record.ptr, b->record.len)) != LZ_OK)
        goto done;
done:
    lzi_free(notes);
    lzi_free(rec.countries.v);      /* the lists only: their strings are lent */
    lzi_free(rec.addressed.v);
    lzi_free(rec.paras.v);
    lzi_buf_dispose(&paras);
    if (rc != LZ_OK) {
        lzx_doc_free(b->doc);
        b->doc = NULL;
    }
    return rc;
}


static int file_key(lzi_buf *key, const char *hash)
{
    lzi_buf_clear(key);
    return lzi_buf_printf(key, "%s%s", LZI_META_FILE_PREFIX, hash);
}

/* Remove every passage of a source and its registry entry. */
static int forget_source(lz_index *ix, const char *hash)
{
    lzi_buf key = LZI_BUF_INIT;
    int rc;

    lzi_buf_clear(&ix->term);
    if ((rc = lzi_buf_printf(&ix->term, "%s%s", LZI_PREFIX_FILE, hash)) != LZ_OK ||
        (rc = lzx_wdb_delete(ix->db, ix->term.ptr)) != LZ_OK ||
        (rc = file_key(&key, hash)) != LZ_OK)
        goto done;
    rc = lzx_wdb_set_metadata(ix->db, key.ptr, "", 0);     /* an empty value deletes the key */
done:
    lzi_buf_dispose(&key);
    return rc;
}
/* ------------------------------------------------------------------------------------------ */
/* Batches: what the analysis of a source hands to the writer */

/* Passages per batch: enough to make the hand-over cheap, few enough that a huge source never
 * sits in memory as Xapian documents all at once. */
#define BATCH_DOCS 64

enum {
    BATCH_FIRST = 1,        /* the source's first batch: its old passages go first */
    BATCH_LAST = 2          /* its last: outcome, spelling counts and registry entry follow */
};

/* How the analysis of a source ended (in its last batch). */
typedef enum outcome {
    OUT_INDEXED,            /* passages built; `why` may hold a warning */
    OUT_UNCHANGED,          /* nothing to do: same size and time as in the registry */
    OUT_SKIPPED,            /* not indexable: `why` says why */
    OUT_FAILED              /* an error: `rc` and `why` (the message) */
} outcome;

typedef struct batch {
    unsigned flags;
    lzx_doc *docs[BATCH_DOCS];
    size_t n_docs;
    /* BATCH_LAST only: */
    outcome out;
    int rc;
    lzi_buf why;
    word_counts spelling;   /* the source's words, moved out of the builder */
    size_t n_passages;
} batch;

static void batch_dispose(batch *bt)
{
    size_t i;
    for (i = 0; i < bt->n_docs; i++)
        lzx_doc_free(bt->docs[i]);
    lzi_buf_dispose(&bt->why);
    counts_dispose(&bt->spelling);
    memset(bt, 0, sizeof *bt);
}

/* Where batches go: the writer itself (one thread) or the queue to it. */
typedef int (*batch_sink)(void *payload, batch *bt);

typedef struct emitter {
    batch cur;
    batch_sink sink;
    void *payload;
    int started;
} emitter;

/* Hand the current batch over (the sink owns its contents afterwards) and start another. */
static int emit_batch(emitter *em, unsigned last)
{
    int rc;
    em->cur.flags |= (em->started ? 0u : BATCH_FIRST) | last;
    em->started = 1;
    rc = em->sink(em->payload, &em->cur);
    memset(&em->cur, 0, sizeof em->cur);
    return rc;
}

/* The last batch of a source with its outcome; `rc` and the error slot for OUT_FAILED. */
static int emit_outcome(emitter *em, outcome out, int rc, const char *why)
{
    em->cur.out = out;
    em->cur.rc = rc;
    if (why != NULL && why[0] != '\0' && lzi_buf_puts(&em->cur.why, why) != LZ_OK) {
        em->cur.out = OUT_FAILED;
        em->cur.rc = LZ_ENOMEM;
        lzi_buf_clear(&em->cur.why);
        lzi_buf_puts(&em->cur.why, "out of memory");
    }
    return emit_batch(em, BATCH_LAST);
}

static int emit_failure(emitter *em, int rc)
{
    return emit_outcome(em, OUT_FAILED, rc, lz_last_error());
}

/* Parse a source's (valid UTF-8) text into passages and hand them over as documents; a title
 * given with the source replaces the one the parser finds. Errors become an OUT_FAILED batch;
 * the return value is the sink's (non-zero: stop). */
static int build_text(builder *b, const source *src, const char *text, size_t len,
                      const char *warning, emitter *em)
{
    lzi_document d = LZI_DOCUMENT_INIT;
    lzi_entities *ents = NULL;
    char *parsed_title = NULL;
    size_t i;
    int rc;

    if ((rc = lzi_parse(&d, text, len, src->path)) != LZ_OK ||
        (d.n_passages > 0 && (rc = lzi_entities_extract(&ents, &d)) != LZ_OK)) {
        rc = emit_failure(em, rc);
        goto done;
    }
    parsed_title = d.title;
    if (src->title != NULL)
        d.title = (char *)src->title;   /* lent; the parser's title is restored below */
    for (i = 0; i < d.n_passages; i++) {
        if ((rc = write_passage(b, src, &d, &d.passages[i], &ents[i])) != LZ_OK) {
            lzi_error_prefix(rc, "%s:%u", src->path, d.passages[i].first_line);
            rc = emit_failure(em, rc);
            goto done;
        }
        em->cur.docs[em->cur.n_docs++] = b->doc;
        b->doc = NULL;
        if (em->cur.n_docs == BATCH_DOCS && (rc = emit_batch(em, 0)) != LZ_OK)
            goto done;
    }
    em->cur.spelling = b->spelling;             /* moved: the builder starts a new table */
    memset(&b->spelling, 0, sizeof b->spelling);
    em->cur.n_passages = d.n_passages;
    rc = emit_outcome(em, OUT_INDEXED, LZ_OK, warning);
done:
    counts_dispose(&b->spelling);
    lzi_entities_free(ents, d.n_passages);
    if (src->title != NULL)
        d.title = parsed_title;
    lzi_document_dispose(&d);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Writing: batches into the index, in the order of their sources */

/* What the writer knows of the source a batch belongs to. */
typedef struct target {
    const source *src;
    int known;              /* the registry has an entry for it */
    int is_file;            /* a file of lz_index_add_path (it gets an INDEXED event) */
} target;

static int register_source(lz_index *ix, const source *src, size_t n_passages)
{
    lzi_buf key = LZI_BUF_INIT;
    json_t *entry;
    char *value = NULL;
    int rc;

    entry = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I}", "path", src->path, "identity",
                      src->identity, "doc", src->doc_id, "size", (json_int_t)src->size,
                      "mtime_ns", (json_int_t)src->mtime_ns, "passages",
                      (json_int_t)n_passages);
    if (entry == NULL || (value = json_dumps(entry, JSON_COMPACT)) == NULL)
        rc = lzi_error_set(LZ_ENOMEM, "%s: cannot record source", src->path);
    else if ((rc = file_key(&key, src->hash)) == LZ_OK)
        rc = lzx_wdb_set_metadata(ix->db, key.ptr, value, strlen(value));
    free(value);
    json_decref(entry);
    lzi_buf_dispose(&key);
    return rc;
}

/* Apply one batch; its documents are taken (added or freed) either way. Returns an error, the
 * progress callback's non-zero value, or LZ_OK. */
static int apply_batch(lz_index *ix, const target *t, batch *bt)
{
    const source *src = t->src;
    int last = (bt->flags & BATCH_LAST) != 0;
    size_t i;
    int rc = LZ_OK;

    if (last && bt->out == OUT_FAILED)
        return lzi_error_set(bt->rc, "%s", bt->why.ptr ? bt->why.ptr : "failed");
    if ((bt->flags & BATCH_FIRST) && bt->out == OUT_INDEXED &&
        (rc = forget_source(ix, src->hash)) != LZ_OK)
        return rc;
    for (i = 0; i < bt->n_docs && rc == LZ_OK; i++)
        rc = lzx_wdb_add(ix->db, bt->docs[i]);
    if (rc != LZ_OK || !last)
        return rc;
    switch (bt->out) {
    case OUT_UNCHANGED:
        ix->stats.n_unchanged++;
        return emit_file_event(ix, LZ_EVENT_UNCHANGED, src->path, NULL, 0,
                               (uint64_t)src->size);
    case OUT_SKIPPED:
        /* A source that is no longer indexable loses its old passages too: the index follows
         * the files as they are. */
        if (t->known && (rc = forget_source(ix, src->hash)) != LZ_OK)
            return rc;
        ix->stats.n_skipped++;
        return emit_file_event(ix, LZ_EVENT_SKIPPED, src->path, bt->why.ptr, 0,
                               (uint64_t)src->size);
    default:
        break;
    }
    if ((rc = counts_flush(&bt->spelling, ix->db)) != LZ_OK ||
        (rc = register_source(ix, src, bt->n_passages)) != LZ_OK)
        return rc;
    ix->stats.n_passages += bt->n_passages;
    ix->stats.n_indexed++;
    ix->since_commit += (size_t)src->size;
    if (ix->opts.commit_every > 0 && ix->since_commit >= ix->opts.commit_every &&
        (rc = lz_index_commit(ix)) != LZ_OK)
        return rc;
    if (bt->why.len > 0) {
        ix->stats.n_warnings++;
        if ((rc = emit_event(ix, LZ_EVENT_WARNING, src->path, bt->why.ptr,
                             bt->n_passages)) != 0)
            return rc;
    }
    return t->is_file ? emit_file_event(ix, LZ_EVENT_INDEXED, src->path, NULL, bt->n_passages,
                                        (uint64_t)src->size)
                      : 0;
}

typedef struct direct {
    lz_index *ix;
    target t;
} direct;

/* The sink of a run on one thread: apply at once. */
static int apply_now(void *payload, batch *bt)
{
    direct *d = payload;
    int rc = apply_batch(d->ix, &d->t, bt);
    batch_dispose(bt);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Files */

/* The registry entry of a source, parsed, or NULL when there is none. */
static json_t *load_entry(lz_index *ix, const char *hash, int *rc)
{
    lzi_buf key = LZI_BUF_INIT;
    char *val = NULL;
    size_t len = 0;
    json_t *entry = NULL;

    if ((*rc = file_key(&key, hash)) == LZ_OK &&
        (*rc = lzx_wdb_get_metadata(ix->db, key.ptr, &val, &len)) == LZ_OK && len > 0)
        entry = json_loadb(val, len, 0, NULL);      /* unreadable entry: treat as absent */
    lzi_free(val);
    lzi_buf_dispose(&key);
    return entry;
}

/* ------------------------------------------------------------------------------------------ */
/* Files */

/* Check loaded bytes: NUL bytes mean "not text" (*why set, returns LZ_EINPUT); invalid UTF-8 is
 * repaired into *fixed with a warning message in *why. */
static int check_text(const source *src, const char *bytes, size_t len, lzi_buf *fixed,
                      lzi_buf *why)
{
    const char *nul = memchr(bytes, '\0', len);
    size_t bad, n_bad = 0;
    int rc;

    if (nul != NULL) {
        lzi_pos at = lzi_pos_of(bytes, (size_t)(nul - bytes));
        lzi_buf_printf(why, "%s:%u:%u: NUL byte: not a text file, skipped", src->path, at.line,
                       at.col);
        return LZ_EINPUT;
    }
    {
        const char *line = bytes, *end = bytes + len, *nl;
        unsigned n = 1;
        for (; line < end; line = nl + 1, n++) {
            if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
                nl = end;
            if ((size_t)(nl - line) > LZI_MAX_LINE_BYTES) {
                lzi_buf_printf(why, "%s:%u: line of %zu bytes, longer than the limit of %zu: "
                               "not a text we can cite, skipped", src->path, n,
                               (size_t)(nl - line), LZI_MAX_LINE_BYTES);
                return LZ_EINPUT;
            }
        }
    }
    if ((bad = lzi_utf8_invalid(bytes, len)) == LZI_NPOS)
        return LZ_OK;
    if ((rc = lzi_utf8_repair(fixed, bytes, len, &n_bad)) != LZ_OK)
        return rc;
    {
        lzi_pos at = lzi_pos_of(bytes, bad);
        lzi_buf_printf(why, "%s:%u:%u: invalid UTF-8 byte 0x%02X (%zu sequence%s replaced by "
                       "U+FFFD)", src->path, at.line, at.col, (unsigned char)bytes[bad], n_bad,
                       n_bad == 1 ? "" : "s");
    }
    return LZ_OK;
}


/* A file to index, as planned on the walk: its source and what the registry says of it. */
typedef struct job {
    source src;
    char *path;             /* owned; src.path points here */
    int unchanged;          /* same size and modification time as registered: no work */
    int known;              /* registered before */
} job;

static void job_dispose(job *j)
{
    source_dispose(&j->src);
    lzi_free(j->path);
}

/* Plan a regular file: its identity and whether it changed since it was registered.
 * `identity` is the path's identity when the caller has resolved it already (path_identity;
 * the job takes it over, also on failure), else NULL. */
static int plan_file(lz_index *ix, const char *path, const struct stat *st, char *identity,
                     job *j)
{
    json_t *entry;
    int rc;

    memset(j, 0, sizeof *j);
    j->src.identity = identity;
    if ((j->path = lzi_strdup(path)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory");
    j->src.path = j->path;
    j->src.size = (long long)st->st_size;
    j->src.mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
    if (identity == NULL && (rc = path_identity(path, &j->src.identity)) != LZ_OK)
        return rc;
    lzi_hash_hex(j->src.identity, strlen(j->src.identity), j->src.hash);
    if ((j->src.doc_id = doc_id_of(path)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory");
    entry = load_entry(ix, j->src.hash, &rc);
    if (rc != LZ_OK)
        return rc;
    j->known = entry != NULL;
    j->unchanged = entry != NULL && !(ix->opts.flags & LZ_INDEX_FORCE) &&
                   json_integer_value(json_object_get(entry, "size")) == j->src.size &&
                   json_integer_value(json_object_get(entry, "mtime_ns")) == j->src.mtime_ns;
    json_decref(entry);
    return LZ_OK;
}

/* Read, check and build a planned file (any thread: touches no index state). */
static int build_file(builder *b, const job *j, emitter *em)
{
    const source *src = &j->src;
    lzi_buf bytes = LZI_BUF_INIT, fixed = LZI_BUF_INIT, why = LZI_BUF_INIT;
    FILE *fp = NULL;
    int rc;

    if (j->unchanged)
        return emit_outcome(em, OUT_UNCHANGED, LZ_OK, NULL);
    if ((fp = fopen(src->path, "rb")) == NULL) {
        lzi_buf_printf(&why, "%s: %s, skipped", src->path, strerror(errno));
        rc = emit_outcome(em, OUT_SKIPPED, LZ_OK, why.ptr);
        goto done;
    }
    if ((rc = lzi_buf_read_all(&bytes, fp, LZI_MAX_SOURCE_BYTES, src->path)) != LZ_OK) {
        if (rc == LZ_ENOMEM) {
            rc = emit_failure(em, rc);
            goto done;
        }
        lzi_buf_printf(&why, "%s, skipped", lz_last_error());
        rc = emit_outcome(em, OUT_SKIPPED, LZ_OK, why.ptr);
        goto done;
    }
    rc = check_text(src, bytes.ptr ? bytes.ptr : "", bytes.len, &fixed, &why);
    if (rc == LZ_EINPUT)
        rc = emit_outcome(em, OUT_SKIPPED, LZ_OK, why.ptr);
    else if (rc != LZ_OK)
        rc = emit_failure(em, rc);
    else if (fixed.ptr != NULL)
        rc = build_text(b, src, fixed.ptr, fixed.len, why.ptr, em);
    else
        rc = build_text(b, src, bytes.ptr ? bytes.ptr : "", bytes.len, why.ptr, em);
done:
    if (fp != NULL)
        fclose(fp);
    lzi_buf_dispose(&bytes);
    lzi_buf_dispose(&fixed);
    lzi_buf_dispose(&why);
    return rc;
}

/* Index planned files on this thread alone. */
static int run_direct(lz_index *ix, const job *jobs, size_t n)
{
    size_t i;
    int rc = LZ_OK;
    for (i = 0; i < n && rc == LZ_OK; i++) {
        direct d = { ix, { &jobs[i].src, jobs[i].known, 1 } };
        emitter em = { .sink = apply_now, .payload = &d };
        rc = build_file(&ix->own, &jobs[i], &em);
    }
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Two threads: one reads, parses and analyses files into documents while this one writes them
 * (Xapian's writes are most of the cost, and a WritableDatabase is used by one thread only).
 * Batches pass through a small ring, in order; the analysis waits when it is full. */

#define RING_BATCHES 4

typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t can_put, can_take;
    batch ring[RING_BATCHES];
    size_t head, count;
    int stop;               /* the writer gave up: the analysis ends at its next batch */
    int done;               /* the analysis has handed over everything */
    const job *jobs;
    size_t n_jobs;
    builder *b;
    size_t alloc_budget;    /* failure injection of the calling thread, for tests */
} pipeline;

static int queue_put(void *payload, batch *bt)
{
    pipeline *p = payload;
    int stopped;

    pthread_mutex_lock(&p->mu);
    while (p->count == RING_BATCHES && !p->stop)
        pthread_cond_wait(&p->can_put, &p->mu);
    stopped = p->stop;
    if (!stopped) {
        p->ring[(p->head + p->count) % RING_BATCHES] = *bt;
        p->count++;
        pthread_cond_signal(&p->can_take);
    }
    pthread_mutex_unlock(&p->mu);
    if (stopped)
        batch_dispose(bt);
    return stopped;
}

static void *analyse(void *arg)
{
    pipeline *p = arg;
    size_t i;

    lzi_alloc_fail_after(p->alloc_budget);
    for (i = 0; i < p->n_jobs; i++) {
        emitter em = { .sink = queue_put, .payload = p };
        if (build_file(p->b, &p->jobs[i], &em) != 0)
            break;
    }
    pthread_mutex_lock(&p->mu);
    p->done = 1;
    pthread_cond_signal(&p->can_take);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* The next batch in order; 0 when the analysis has handed over everything. */
static int queue_take(pipeline *p, batch *out)
{
    int got = 0;
    pthread_mutex_lock(&p->mu);
    while (p->count == 0 && !p->done)
        pthread_cond_wait(&p->can_take, &p->mu);
    if (p->count > 0) {
        *out = p->ring[p->head];
        p->head = (p->head + 1) % RING_BATCHES;
        p->count--;
        pthread_cond_signal(&p->can_put);
        got = 1;
    }
    pthread_mutex_unlock(&p->mu);
    return got;
}

static int run_pipeline(lz_index *ix, const job *jobs, size_t n)
{
    pipeline p;
    pthread_t thread;
    batch bt;
    size_t at = 0;
    int rc = LZ_OK;

    if (ix->helper == NULL) {
        builder *b = lzi_calloc(1, sizeof *b);
        if (b == NULL)
            return lzi_error_set(LZ_ENOMEM, "out of memory");
        if ((rc = builder_init(b, ix->thes)) != LZ_OK) {
            builder_dispose(b);
            lzi_free(b);
            return rc;
        }
        ix->helper = b;
    }
    memset(&p, 0, sizeof p);
    p.jobs = jobs;
    p.n_jobs = n;
    p.b = ix->helper;
    p.alloc_budget = lzi_alloc_budget();
    if (pthread_mutex_init(&p.mu, NULL) != 0)
        return run_direct(ix, jobs, n);
    if (pthread_cond_init(&p.can_put, NULL) != 0) {
        pthread_mutex_destroy(&p.mu);
        return run_direct(ix, jobs, n);
    }
    if (pthread_cond_init(&p.can_take, NULL) != 0) {
        pthread_cond_destroy(&p.can_put);
        pthread_mutex_destroy(&p.mu);
        return run_direct(ix, jobs, n);
    }
    if (pthread_create(&thread, NULL, analyse, &p) != 0) {
        pthread_cond_destroy(&p.can_take);
        pthread_cond_destroy(&p.can_put);
        pthread_mutex_destroy(&p.mu);
        return run_direct(ix, jobs, n);      /* no thread to be had: one is enough */
    }
    while (queue_take(&p, &bt)) {
        target t = { &jobs[at].src, jobs[at].known, 1 };
        if (bt.flags & BATCH_LAST)
            at++;
        if (rc == LZ_OK)
            rc = apply_batch(ix, &t, &bt);
        batch_dispose(&bt);
        if (rc != LZ_OK && !p.stop) {
            pthread_mutex_lock(&p.mu);
            p.stop = 1;
            pthread_cond_broadcast(&p.can_put);
            pthread_mutex_unlock(&p.mu);
        }
    }
    pthread_join(thread, NULL);
    pthread_cond_destroy(&p.can_take);
    pthread_cond_destroy(&p.can_put);
    pthread_mutex_destroy(&p.mu);
    return rc;
}

/* Index the planned files: two threads when there is more than one file to build. */
static int run_jobs(lz_index *ix, const job *jobs, size_t n)
{
    size_t i, work = 0;
    for (i = 0; i < n; i++)
        work += !jobs[i].unchanged;
    if (work < 2 || (ix->opts.flags & LZ_INDEX_ONE_THREAD))
        return run_direct(ix, jobs, n);
    return run_pipeline(ix, jobs, n);
}

/* The identities of the files seen while walking a folder, to find those that are gone. */
typedef struct seen_set {
    char **v;
    size_t n, cap;
} seen_set;

static int seen_add(seen_set *s, const char *hash)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        char **v = lzi_realloc(s->v, cap * sizeof *v);
        if (v == NULL)
            return lzi_error_set(LZ_ENOMEM, "out of memory");
        s->v = v;
        s->cap = cap;
    }
    if ((s->v[s->n] = lzi_strdup(hash)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory");
    s->n++;
    return LZ_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void seen_dispose(seen_set *s)
{
    size_t i;
    for (i = 0; i < s->n; i++)
        lzi_free(s->v[i]);
    lzi_free(s->v);
}

/* Folders already on the walk's path, by device and inode, so symlink loops end. */
typedef struct walk_ctx {
    lz_index *ix;
    seen_set seen;
    job *jobs;              /* the files to index, in walk order */
    size_t n_jobs, cap_jobs;
    dev_t devs[LZI_MAX_DEPTH];
    ino_t inos[LZI_MAX_DEPTH];
    size_t depth;
} walk_ctx;

static int walk(walk_ctx *w, const char *dir);

#define LZ_STR_OF2(x) #x
#define LZ_STR_OF(x) LZ_STR_OF2(x)

/* Report a folder the walk does not enter: "dir: why, skipped". */
static int skip_folder(walk_ctx *w, const char *dir, const char *why)
{
    lzi_buf msg = LZI_BUF_INIT;
    int rc;

    if ((rc = lzi_buf_printf(&msg, "%s: %s, skipped", dir, why)) != LZ_OK)
        return rc;
    w->ix->stats.n_skipped++;
    rc = emit_event(w->ix, LZ_EVENT_SKIPPED, dir, msg.ptr, 0);
    lzi_buf_dispose(&msg);
    return rc;
}

static int walk_entry(walk_ctx *w, const char *path)
{
    struct stat st;
    char *identity = NULL;
    char hash[17];
    int rc;

    if (stat(path, &st) != 0) {
        lzi_buf why = LZI_BUF_INIT;
        lzi_buf_printf(&why, "%s: %s, skipped", path, strerror(errno));
        w->ix->stats.n_skipped++;
        rc = emit_event(w->ix, LZ_EVENT_SKIPPED, path, why.ptr, 0);
        lzi_buf_dispose(&why);
        return rc;
    }
    if (S_ISDIR(st.st_mode))
        return walk(w, path);
    if (!S_ISREG(st.st_mode) || !lzi_wanted_file(base_of(path)))
        return LZ_OK;
    if ((rc = path_identity(path, &identity)) != LZ_OK)
        return rc;
    lzi_hash_hex(identity, strlen(identity), hash);
    if ((rc = seen_add(&w->seen, hash)) != LZ_OK) {
        lzi_free(identity);
        return rc;
    }
    if (w->n_jobs == w->cap_jobs) {
        size_t cap = w->cap_jobs ? w->cap_jobs * 2 : 64;
        job *v = lzi_realloc(w->jobs, cap * sizeof *v);
        if (v == NULL) {
            lzi_free(identity);
            return lzi_error_set(LZ_ENOMEM, "out of memory");
        }
        w->jobs = v;
        w->cap_jobs = cap;
    }
    rc = plan_file(w->ix, path, &st, identity, &w->jobs[w->n_jobs]);
    w->n_jobs++;            /* disposed with the others, planned or not */
    return rc;
}

static int walk(walk_ctx *w, const char *dir)
{
    struct stat st;
    char **names = NULL;
    size_t n = 0, i;
    lzi_buf path = LZI_BUF_INIT;
    int rc;

    if (stat(dir, &st) != 0)
        return lzi_error_set(LZ_EIO, "%s: %s", dir, strerror(errno));
    for (i = 0; i < w->depth; i++) {
        if (w->devs[i] == st.st_dev && w->inos[i] == st.st_ino)
            return skip_folder(w, dir, "folder loop (symbolic link to a folder above it)");
    }
    if (w->depth == LZI_MAX_DEPTH)
        return skip_folder(w, dir, "folders nested more than " LZ_STR_OF(LZI_MAX_DEPTH)
                           " deep");
    if ((rc = lzi_dir_names(dir, &names, &n)) == LZ_EIO) {
        lzi_buf why = LZI_BUF_INIT;
        lzi_buf_printf(&why, "%s: %s, skipped", dir, strerror(errno));
        w->ix->stats.n_skipped++;
        rc = emit_event(w->ix, LZ_EVENT_SKIPPED, dir, why.ptr, 0);
        lzi_buf_dispose(&why);
        return rc;
    }
    if (rc != LZ_OK)
        return rc;
    w->devs[w->depth] = st.st_dev;
    w->inos[w->depth] = st.st_ino;
    w->depth++;
    for (i = 0; i < n && rc == LZ_OK; i++) {
        lzi_buf_clear(&path);
        if ((rc = lzi_buf_puts(&path, dir)) != LZ_OK)
            break;
        if (path.len > 0 && path.ptr[path.len - 1] != '/' && (rc = lzi_buf_putc(&path, '/')))
            break;
        if ((rc = lzi_buf_puts(&path, names[i])) != LZ_OK)
            break;
        rc = walk_entry(w, path.ptr);
    }
    w->depth--;
    lzi_names_free(names, n);
    lzi_buf_dispose(&path);
    return rc;
}

/* Sources registered under folder `real_dir` that the walk did not see: removed. */
typedef struct prune_ctx {
    lz_index *ix;
    const seen_set *seen;
    const char *real_dir;
} prune_ctx;

static int prune_key(void *payload, const char *key, size_t len)
{
    prune_ctx *p = payload;
    const char *hash = key + strlen(LZI_META_FILE_PREFIX);
    const char *identity, *path;
    size_t dlen = strlen(p->real_dir);
    json_t *entry;
    int rc = LZ_OK;

    (void)len;
    if (bsearch(&hash, p->seen->v, p->seen->n, sizeof *p->seen->v, cmp_str) != NULL)
        return LZ_OK;
    if ((entry = load_entry(p->ix, hash, &rc)) == NULL)
        return rc;
    identity = json_string_value(json_object_get(entry, "identity"));
    path = json_string_value(json_object_get(entry, "path"));
    if (identity != NULL && strncmp(identity, p->real_dir, dlen) == 0 &&
        (identity[dlen] == '/' || p->real_dir[dlen - 1] == '/')) {
        if ((rc = forget_source(p->ix, hash)) == LZ_OK) {
            p->ix->stats.n_removed++;
            rc = emit_event(p->ix, LZ_EVENT_REMOVED, path ? path : identity, NULL, 0);
        }
    }
    json_decref(entry);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Public API */

int lz_index_open(lz_index **out, const char *dir, const lz_index_options *opts)
{
    lz_index *ix = NULL;
    char *old = NULL;
    size_t old_len = 0;
    int rc;

    if (out == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_index_open: out is NULL");
    *out = NULL;
    if (dir == NULL || dir[0] == '\0')
        return lzi_error_set(LZ_EINVAL, "lz_index_open: no index directory given");
    /* Fields are only ever appended: any version up to ours is a prefix we understand. */
    if (opts != NULL && (opts->version < 1 || opts->version > LZ_INDEX_OPTIONS_VERSION))
        return lzi_error_set(LZ_EINVAL, "lz_index_open: options version %u, expected %u",
                             opts->version, LZ_INDEX_OPTIONS_VERSION);
    if ((ix = lzi_calloc(1, sizeof *ix)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory");
    ix->opts = (lz_index_options)LZ_INDEX_OPTIONS_INIT;
    if (opts != NULL)       /* the fields of the caller's version; ours keep their defaults */
        memcpy(&ix->opts, opts, opts->version >= 2 ? sizeof *opts
                                                   : offsetof(lz_index_options, commit_every));
    if ((rc = lzi_stoplist_from_text(&ix->stop, lzi_stopwords_english,
                                     lzi_stopwords_english_len)) != LZ_OK ||
        (rc = builder_init(&ix->own, NULL)) != LZ_OK ||
        (rc = lzi_thesaurus_parse(&ix->thes, ix->own.an, lzi_thesaurus_english,
                                  lzi_thesaurus_english_len)) != LZ_OK ||
        (rc = lzi_fingerprint(&ix->fingerprint, lzi_text_versions(), ix->stop.digest,
                              lzi_thesaurus_digest(ix->thes))) != LZ_OK)
        goto done;
    ix->own.thes = ix->thes;
    if ((rc = lzx_wdb_open(&ix->db, dir)) != LZ_OK)
        goto done;
    if ((rc = lzx_wdb_get_metadata(ix->db, LZI_META_FINGERPRINT, &old, &old_len)) != LZ_OK)
        goto done;
    if (old_len == 0 && lzx_wdb_doccount(ix->db) > 0) {
        rc = lzi_error_set(LZ_EVERSION, "%s: not a lanzsearch index (no fingerprint); index into "
                           "a new directory", dir);
        goto done;
    }
    if (old_len > 0 && (old_len != ix->fingerprint.len ||
                        memcmp(old, ix->fingerprint.ptr, old_len) != 0)) {
        rc = lzi_error_set(LZ_EVERSION, "%s: index built with other rules (%.*s; this is %s); "
                           "index into a new directory", dir, (int)old_len, old,
                           ix->fingerprint.ptr);
        goto done;
    }
    rc = lzx_wdb_begin(ix->db);
done:
    lzi_free(old);
    if (rc != LZ_OK) {
        lz_index_free(ix);
        return rc;
    }
    *out = ix;
    return LZ_OK;
}

int lz_index_add_path(lz_index *ix, const char *path)
{
    struct stat st;
    walk_ctx w;
    char real[PATH_MAX];
    int rc;

    if (ix == NULL || path == NULL || path[0] == '\0')
        return lzi_error_set(LZ_EINVAL, "lz_index_add_path: NULL index or empty path");
    if (stat(path, &st) != 0)
        return lzi_error_set(errno == ENOENT ? LZ_ENOTFOUND : LZ_EIO, "%s: %s", path,
                             strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        job j;
        if (!S_ISREG(st.st_mode))
            return lzi_error_set(LZ_EINPUT, "%s: not a regular file or folder", path);
        if ((rc = plan_file(ix, path, &st, NULL, &j)) == LZ_OK)
            rc = run_direct(ix, &j, 1);
        job_dispose(&j);
        return rc;
    }
    if (realpath(path, real) == NULL)
        return lzi_error_set(LZ_EIO, "%s: %s", path, strerror(errno));
    memset(&w, 0, sizeof w);
    w.ix = ix;
    if ((rc = walk(&w, path)) == LZ_OK &&
        (rc = run_jobs(ix, w.jobs, w.n_jobs)) == LZ_OK) {
        prune_ctx p = { ix, &w.seen, real };
        if (w.seen.n > 1)
            qsort(w.seen.v, w.seen.n, sizeof *w.seen.v, cmp_str);
        rc = lzx_wdb_metadata_keys(ix->db, LZI_META_FILE_PREFIX, prune_key, &p);
    }
    for (size_t i = 0; i < w.n_jobs; i++)
        job_dispose(&w.jobs[i]);
    lzi_free(w.jobs);
    seen_dispose(&w.seen);
    return rc;
}

int lz_index_add_text(lz_index *ix, const char *name, const char *text, size_t len)
{
    lz_document doc = LZ_DOCUMENT_INIT;
    doc.name = name;
    doc.text = text;
    doc.len = len;
    return lz_index_add_document(ix, &doc);
}

int lz_index_add_document(lz_index *ix, const lz_document *doc)
{
    const char *name, *text;
    size_t len;
    source src;
    lzi_buf fixed = LZI_BUF_INIT, why = LZI_BUF_INIT;
    int rc;

    if (ix == NULL || doc == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_index_add_document: NULL argument");
    if (doc->version < 1 || doc->version > LZ_DOCUMENT_VERSION)
        return lzi_error_set(LZ_EINVAL, "lz_index_add_document: document version %u, "
                             "expected %u", doc->version, LZ_DOCUMENT_VERSION);
    name = doc->name;
    text = doc->text;
    len = doc->len;
    if (name == NULL || name[0] == '\0' || (text == NULL && len > 0))
        return lzi_error_set(LZ_EINVAL, "lz_index_add_document: no name, or NULL text");
    memset(&src, 0, sizeof src);
    src.path = name;
    src.title = doc->title;
    src.identity = lzi_malloc(strlen(name) + 5);
    src.doc_id = doc_id_of(name);
    if (src.identity == NULL || src.doc_id == NULL) {
        rc = lzi_error_set(LZ_ENOMEM, "out of memory");
        goto done;
    }
    sprintf(src.identity, "mem:%s", name);
    lzi_hash_hex(src.identity, strlen(src.identity), src.hash);
    if ((rc = check_text(&src, text ? text : "", len, &fixed, &why)) != LZ_OK) {
        if (rc == LZ_EINPUT)
            rc = lzi_error_set(LZ_EINPUT, "%s", why.ptr);
        goto done;
    }
    {
        direct d = { ix, { &src, 1, 0 } };
        emitter em = { .sink = apply_now, .payload = &d };
        rc = build_text(&ix->own, &src, fixed.ptr ? fixed.ptr : (text ? text : ""),
                        fixed.ptr ? fixed.len : len, why.ptr, &em);
    }
done:
    lzi_buf_dispose(&fixed);
    lzi_buf_dispose(&why);
    source_dispose(&src);
    return rc;
}

int lz_index_remove(lz_index *ix, const char *path)
{
    char *identity = NULL;
    char hash[17];
    json_t *entry;
    int rc;

    if (ix == NULL || path == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_index_remove: NULL argument");
    /* Either a file's identity or an in-memory document's name. */
    if (path_identity(path, &identity) == LZ_OK) {
        lzi_hash_hex(identity, strlen(identity), hash);
        lzi_free(identity);
        if ((entry = load_entry(ix, hash, &rc)) != NULL)
            goto found;
        if (rc != LZ_OK)
            return rc;
    }
    {
        lzi_buf mem = LZI_BUF_INIT;
        if ((rc = lzi_buf_printf(&mem, "mem:%s", path)) != LZ_OK)
            return rc;
        lzi_hash_hex(mem.ptr, mem.len, hash);
        lzi_buf_dispose(&mem);
    }
    if ((entry = load_entry(ix, hash, &rc)) == NULL)
        return rc != LZ_OK ? rc : lzi_error_set(LZ_ENOTFOUND, "%s: not in the index", path);
found:
    json_decref(entry);
    if ((rc = forget_source(ix, hash)) == LZ_OK)
        ix->stats.n_removed++;
    return rc;
}

static int count_key(void *payload, const char *key, size_t len)
{
    (void)key;
    (void)len;
    (*(size_t *)payload)++;
    return 0;
}

static int add_synonym(void *payload, const char *key, const char *term)
{
    return lzx_wdb_add_synonym(payload, key, term);
}

int lz_index_commit(lz_index *ix)
{
    char num[32];
    size_t n_docs = 0;
    int rc;

    if (ix == NULL)
        return lzi_error_set(LZ_EINVAL, "lz_index_commit: NULL index");
    /* The synonym table maps the thesaurus' expressions to concept terms for QueryParser. It
     * is a set, so writing it again is harmless; once per handle is enough. */
    if (!ix->synonyms_written) {
        if ((rc = lzi_thesaurus_each_synonym(ix->thes, add_synonym, ix->db)) != LZ_OK)
            return rc;
        ix->synonyms_written = 1;
    }
    if ((rc = lzx_wdb_metadata_keys(ix->db, LZI_META_FILE_PREFIX, count_key, &n_docs)) != LZ_OK)
        return rc;
    snprintf(num, sizeof num, "%zu", n_docs);
    if ((rc = lzx_wdb_set_metadata(ix->db, LZI_META_NDOCS, num, strlen(num))) != LZ_OK)
        return rc;
    snprintf(num, sizeof num, "%lld", (long long)time(NULL));
    if ((rc = lzx_wdb_set_metadata(ix->db, LZI_META_MODIFIED, num, strlen(num))) != LZ_OK ||
        (rc = lzx_wdb_set_metadata(ix->db, LZI_META_FINGERPRINT, ix->fingerprint.ptr,
                                   ix->fingerprint.len)) != LZ_OK)
        return rc;
    if ((rc = lzx_wdb_commit(ix->db)) != LZ_OK)
        return rc;
    ix->since_commit = 0;
    return lzx_wdb_begin(ix->db);
}

void lz_index_get_stats(const lz_index *ix, lz_index_stats *stats)
{
    if (ix != NULL && stats != NULL)
        *stats = ix->stats;
}

void lz_index_free(lz_index *ix)
{
    if (ix == NULL)
        return;
    lzx_wdb_free(ix->db);
    builder_dispose(&ix->own);
    if (ix->helper != NULL) {
        builder_dispose(ix->helper);
        lzi_free(ix->helper);
    }
    lzi_stoplist_dispose(&ix->stop);
    lzi_thesaurus_free(ix->thes);
    lzi_buf_dispose(&ix->fingerprint);
    lzi_buf_dispose(&ix->term);
    lzi_free(ix);
}
