/* The domain thesaurus (lz_thesaurus.h): thesaurus/en.txt parsed into concepts whose
 * expressions are analysed like passage text, found in a passage's words by binary search over
 * the expressions sorted by their stems, and listed as synonym-table entries for QueryParser;
 * then British and American spellings by rule, and the query rewriting that asks for them.
 * The indexer calls the matcher on every passage, the searcher the rest. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_thesaurus.h"

/* 64-bit FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/), as for the stopword digest */
#define FNV64_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV64_PRIME UINT64_C(0x100000001b3)

/* Marks an expression that the bundled corpus does not use (README.md); no effect on terms. */
#define FIELD_MARK '~'

/* One word of an expression as the matcher compares it: its stem, or its normalized form when
 * it has no stem (a word that starts with a digit). `form` is set once the pool stops moving. */
typedef struct xword {
    size_t form_off, form_len;      /* bytes, in the pool */
    int stemmed;                    /* 1: the form is a stem */
    const char *form;
} xword;

/* One spelling of an expression: a run of words that all map to one concept. */
typedef struct xspell {
    size_t word0;                   /* index of its first word in t->words */
    size_t n_words;                 /* 1..LZI_MAX_EXPR_WORDS */
    size_t concept;                 /* index in t->concepts */
    const xword *w;                 /* &t->words[word0], set with the forms */
    const char *term;               /* its concept's term, for ordering and reporting */
} xspell;

typedef struct concept {
    size_t term_off;                /* "XC" + id, in the pool */
    size_t line;                    /* 1-based line that defines it */
    const char *term;
} concept;

/* A synonym-table entry: key (in the pool) -> concept. */
typedef struct synonym {
    size_t key_off;
    size_t concept;
    const char *key, *term;
} synonym;

struct lzi_thesaurus {
    lzi_buf pool;                   /* NUL-terminated strings back to back; offsets into it */
    concept *concepts;
    size_t n_concepts, cap_concepts;
    xword *words;
    size_t n_words, cap_words;
    xspell *spells;                 /* sorted by word forms, then term; no duplicates */
    size_t n_spells, cap_spells;
    synonym *synonyms;              /* sorted by key, then term; no duplicates */
    size_t n_synonyms, cap_synonyms;
    size_t n_expressions;           /* as written */
    const char *prefix;             /* of the concept terms: LZI_PREFIX_CONCEPT or _RELATED */
    lzi_thesaurus *related;         /* the [related] section, or NULL */
    char digest[17];
};

/* One token of an expression being read (a copy of an lzi_token, strings in `text`). */
typedef struct etoken {
    size_t start, end;              /* bytes, in the expression */
    size_t norm_off, norm_len;      /* bytes, in text */
    size_t stem_off, stem_len;      /* bytes, in text; stem_len 0 and !stemmed: none */
    int stemmed;
    unsigned flags;                 /* LZI_TOKEN_* */
} etoken;

/* A position of an expression: one word, or a hyphenated compound that is read split (tokens
 * first..last) or joined (token joined). */
typedef struct slot {
    size_t first, last;
    size_t joined;                  /* LZI_NPOS for a plain word */
} slot;

/* Everything the parser of one text uses on the way. */
typedef struct parser {
    lzi_thesaurus *t;
    lzi_analyzer *a;
    etoken *toks;
    size_t n_toks, cap_toks;
    lzi_buf text;                   /* the current expression's normalized words and stems */
    lzi_buf key;                    /* scratch: a key or a derived id */
    size_t line;
} parser;

/* --- small helpers ------------------------------------------------------------------------- */

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= s[i];
        h *= FNV64_PRIME;
    }
    return h;
}

/* Room for one more element of `size` bytes in array v (n used, *cap allocated): returns the
 * array, moved or not, or NULL with LZ_ENOMEM set (v is then unchanged). */
static void *grow(void *v, size_t *cap, size_t n, size_t size, const char *what)
{
    size_t want;
    void *p;

    if (n < *cap)
        return v;
    want = n < 16 ? 32 : 2 * n;             /* > n: room for the one asked for */
    if (want > SIZE_MAX / size || (p = lzi_realloc(v, want * size)) == NULL) {
        lzi_error_set(LZ_ENOMEM, "out of memory (thesaurus %s)", what);
        return NULL;
    }
    *cap = want;
    return p;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static void trim(const char **p, size_t *n)
{
    while (*n > 0 && is_blank((*p)[0])) {
        (*p)++;
        (*n)--;
    }
    while (*n > 0 && is_blank((*p)[*n - 1]))
        (*n)--;
}

static int is_id_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Append s[0..n) and a NUL to the pool; *off receives where it starts. */
static int pool_add(lzi_thesaurus *t, const char *s, size_t n, size_t *off)
{
    int rc;

    *off = t->pool.len;
    if ((rc = lzi_buf_append(&t->pool, s, n)) != LZ_OK)
        return rc;
    return lzi_buf_putc(&t->pool, '\0');
}

/* Order of two word forms: unstemmed forms first, then bytes, then length. */
static int cmp_form(int sa, const char *a, size_t na, int sb, const char *b, size_t nb)
{
    int c;

    if (sa != sb)
        return sa - sb;
    c = memcmp(a, b, na < nb ? na : nb);
    return c != 0 ? c : (na > nb) - (na < nb);
}

/* Order of spellings: word forms one by one (a run that is a prefix of another comes first),
 * then concept term. */
static int cmp_spell(const void *x, const void *y)
{
    const xspell *a = x, *b = y;
    size_t i, n = a->n_words < b->n_words ? a->n_words : b->n_words;
    int c;

    for (i = 0; i < n; i++) {
        c = cmp_form(a->w[i].stemmed, a->w[i].form, a->w[i].form_len, b->w[i].stemmed,
                     b->w[i].form, b->w[i].form_len);
        if (c != 0)
            return c;
    }
    if (a->n_words != b->n_words)
        return (a->n_words > b->n_words) - (a->n_words < b->n_words);
    return strcmp(a->term, b->term);
}

static int cmp_synonym(const void *x, const void *y)
{
    const synonym *a = x, *b = y;
    int c = strcmp(a->key, b->key);

    return c != 0 ? c : strcmp(a->term, b->term);
}

/* Order of concepts by term, then line (for finding a duplicate id and its first line). */
static int cmp_concept(const void *x, const void *y)
{
    const concept *a = x, *b = y;
    int c = strcmp(a->term, b->term);

    return c != 0 ? c : (a->line > b->line) - (a->line < b->line);
}

/* --- reading one expression ---------------------------------------------------------------- */

static int collect(void *payload, const lzi_token *tok)
{
    parser *p = payload;
    etoken *e, *v;
    int rc;

    if ((v = grow(p->toks, &p->cap_toks, p->n_toks, sizeof *v, "words")) == NULL)
        return LZ_ENOMEM;
    p->toks = v;
    e = &p->toks[p->n_toks];
    e->start = tok->start;
    e->end = tok->end;
    e->flags = tok->flags;
    e->stemmed = tok->stem != NULL;
    e->norm_off = p->text.len;
    e->norm_len = tok->norm_len;
    if ((rc = lzi_buf_append(&p->text, tok->norm, tok->norm_len)) != LZ_OK)
        return rc;
    e->stem_off = p->text.len;
    e->stem_len = tok->stem != NULL ? tok->stem_len : 0;
    if (tok->stem != NULL && (rc = lzi_buf_append(&p->text, tok->stem, tok->stem_len)) != LZ_OK)
        return rc;
    p->n_toks++;
    return LZ_OK;
}

/* Group the tokens of an expression into slots: a JOINED token (which lzi_analyze emits right
 * after the last part of its compound) takes over the slots of the parts it spans. */
static size_t make_slots(const parser *p, slot *slots, size_t *n_compounds)
{
    size_t i, n = 0;

    *n_compounds = 0;
    for (i = 0; i < p->n_toks; i++) {
        const etoken *e = &p->toks[i];
        size_t first;
        if (!(e->flags & LZI_TOKEN_JOINED)) {
            slots[n++] = (slot){ i, i, LZI_NPOS };
            continue;
        }
        first = n;
        while (first > 0 && slots[first - 1].joined == LZI_NPOS &&
               p->toks[slots[first - 1].first].start >= e->start)
            first--;
        if (n - first < 2)                  /* cannot happen: a compound has two parts */
            continue;
        slots[first] = (slot){ slots[first].first, slots[n - 1].last, i };
        n = first + 1;
        (*n_compounds)++;
    }
    return n;
}

/* Add to the thesaurus the spelling of the current expression chosen by `mask` (bit k set: the
 * k-th compound joined) for concept c, with its synonym keys; `key` receives its normalized
 * words joined by one space. */
static int add_spelling(parser *p, const slot *slots, size_t n_slots, unsigned mask, size_t c)
{
    lzi_thesaurus *t = p->t;
    size_t s, k = 0, i, word0 = t->n_words, off;
    xspell *spells;
    synonym *syn;
    int rc;

    lzi_buf_clear(&p->key);
    for (s = 0; s < n_slots; s++) {
        size_t first = slots[s].first, last = slots[s].last;
        if (slots[s].joined != LZI_NPOS) {
            if (mask & (1u << k))
                first = last = slots[s].joined;
            k++;
        }
        for (i = first; i <= last; i++) {
            const etoken *e = &p->toks[i];
            xword *w;
            if ((w = grow(t->words, &t->cap_words, t->n_words, sizeof *w, "words")) == NULL)
                return LZ_ENOMEM;
            t->words = w;
            w = &t->words[t->n_words];
            w->stemmed = e->stemmed;
            if (e->stemmed)
                rc = pool_add(t, p->text.ptr + e->stem_off, e->stem_len, &w->form_off);
            else
                rc = pool_add(t, p->text.ptr + e->norm_off, e->norm_len, &w->form_off);
            if (rc != LZ_OK)
                return rc;
            w->form_len = e->stemmed ? e->stem_len : e->norm_len;
            w->form = NULL;
            t->n_words++;
            if ((p->key.len > 0 && (rc = lzi_buf_putc(&p->key, ' ')) != LZ_OK) ||
                (rc = lzi_buf_append(&p->key, p->text.ptr + e->norm_off, e->norm_len)) != LZ_OK)
                return rc;
        }
    }
    if ((spells = grow(t->spells, &t->cap_spells, t->n_spells, sizeof *spells, "expressions"))
        == NULL)
        return LZ_ENOMEM;
    t->spells = spells;
    t->spells[t->n_spells++] = (xspell){ word0, t->n_words - word0, c, NULL, NULL };

    /* one entry for the key, one for the Z key */
    if ((syn = grow(t->synonyms, &t->cap_synonyms, t->n_synonyms + 1, sizeof *syn, "synonyms"))
        == NULL)
        return LZ_ENOMEM;
    t->synonyms = syn;
    if ((rc = pool_add(t, p->key.ptr, p->key.len, &off)) != LZ_OK)
        return rc;
    t->synonyms[t->n_synonyms++] = (synonym){ off, c, NULL, NULL };
    if (t->n_words - word0 == 1 && t->words[word0].stemmed) {
        /* QueryParser looks a stemmed word up as "Z" + stem when the word itself is no key */
        const xword *w = &t->words[word0];
        /* room first: the stem is copied from the pool into the pool */
        if ((rc = lzi_buf_reserve(&t->pool, w->form_len + 2)) != LZ_OK)
            return rc;
        off = t->pool.len;
        lzi_buf_putc(&t->pool, 'Z');        /* cannot fail now */
        lzi_buf_append(&t->pool, t->pool.ptr + w->form_off, w->form_len);
        lzi_buf_putc(&t->pool, '\0');
        t->synonyms[t->n_synonyms++] = (synonym){ off, c, NULL, NULL };
    }
    return LZ_OK;
}

/* Read expression e[0..n) (trimmed, mark removed) of concept c: analyse it, check the limits,
 * add its spellings. `primary` receives its words as written (compounds split) joined by one
 * space, the form compared for duplicates. */
static int add_expression(parser *p, const char *e, size_t n, size_t c, lzi_buf *primary)
{
    slot slots[LZI_MAX_EXPR_WORDS + 1];
    size_t n_slots, n_compounds, n_words = 0, i;
    unsigned mask;
    int rc;

    p->n_toks = 0;
    lzi_buf_clear(&p->text);
    if ((rc = lzi_analyze(p->a, e, n, collect, p)) != LZ_OK)
        return rc == LZ_ENOMEM ? rc : lzi_error_prefix(rc, "line %zu", p->line);
    for (i = 0; i < p->n_toks; i++)
        n_words += !(p->toks[i].flags & LZI_TOKEN_JOINED);
    if (n_words == 0)
        return lzi_error_set(LZ_EINPUT, "line %zu: expression '%.*s' has no words", p->line,
                             (int)n, e);
    if (n_words > LZI_MAX_EXPR_WORDS)
        return lzi_error_set(LZ_EINPUT, "line %zu: expression '%.*s' has more than %d words",
                             p->line, (int)n, e, LZI_MAX_EXPR_WORDS);
    n_slots = make_slots(p, slots, &n_compounds);
    if (n_compounds > LZI_MAX_EXPR_COMPOUNDS)
        return lzi_error_set(LZ_EINPUT,
                             "line %zu: expression '%.*s' has more than %d hyphenated compounds",
                             p->line, (int)n, e, LZI_MAX_EXPR_COMPOUNDS);
    for (mask = 0; mask < (1u << n_compounds); mask++) {
        if ((rc = add_spelling(p, slots, n_slots, mask, c)) != LZ_OK)
            return rc;
        if (mask == 0 && (rc = lzi_buf_append(primary, p->key.ptr, p->key.len + 1)) != LZ_OK)
            return rc;                      /* with its NUL: the list of this line's keys */
    }
    p->t->n_expressions++;
    return LZ_OK;
}

/* Whether key (NUL-terminated) is among the NUL-separated keys in list[0..len). */
static int listed(const char *list, size_t len, const char *key)
{
    size_t off;

    for (off = 0; off < len; off += strlen(list + off) + 1)
        if (strcmp(list + off, key) == 0)
            return 1;
    return 0;
}

/* The id of a concept without one: the normalized words of its first expression joined by
 * '_', keeping a-z and 0-9 only; a hash of them ("h" + 16 hex digits) when that is empty or
 * longer than LZI_MAX_CONCEPT_ID. `first` is that expression's key. */
static int derive_id(lzi_buf *id, const char *first)
{
    size_t i;
    int rc;

    lzi_buf_clear(id);
    for (i = 0; first[i] != '\0'; i++) {
        char c = first[i] == ' ' ? '_' : first[i];
        if (is_id_byte(c) && (rc = lzi_buf_putc(id, c)) != LZ_OK)
            return rc;
    }
    if (id->len == 0 || id->len > LZI_MAX_CONCEPT_ID) {
        lzi_buf_clear(id);
        return lzi_buf_printf(id, "h%016" PRIx64, fnv1a(FNV64_OFFSET, first, strlen(first)));
    }
    return LZ_OK;
}

/* One line, comment and surrounding blanks cut, not empty. */
static int parse_line(parser *p, const char *s, size_t n)
{
    lzi_thesaurus *t = p->t;
    lzi_buf keys = LZI_BUF_INIT;        /* this line's expressions as written, NUL-separated */
    const char *bar = memchr(s, '|', n), *colon = memchr(s, ':', n);
    const char *id = NULL;
    size_t id_len = 0, c = t->n_concepts, n_expr = 0, i, keys_len;
    concept *cs;
    int rc;

    if (colon != NULL && (bar == NULL || colon < bar)) {
        id = s;
        id_len = (size_t)(colon - s);
        trim(&id, &id_len);
        for (i = 0; i < id_len && is_id_byte(id[i]); i++)
            ;
        if (id_len == 0 || id_len > LZI_MAX_CONCEPT_ID || i < id_len) {
            rc = lzi_error_set(LZ_EINPUT, "line %zu: concept id '%.*s' is not 1 to %d of "
                               "a-z, 0-9 and _", p->line, (int)id_len, id, LZI_MAX_CONCEPT_ID);
            goto done;
        }
        n -= (size_t)(colon + 1 - s);
        s = colon + 1;
    }
    if ((cs = grow(t->concepts, &t->cap_concepts, t->n_concepts, sizeof *cs, "concepts")) ==
        NULL) {
        rc = LZ_ENOMEM;
        goto done;
    }
    t->concepts = cs;
    for (;;) {
        const char *e = s, *end = memchr(s, '|', n);
        size_t e_len = end != NULL ? (size_t)(end - s) : n;

        trim(&e, &e_len);
        if (e_len > 0 && e[0] == FIELD_MARK) {
            e++;
            e_len--;
            trim(&e, &e_len);
        }
        if (e_len == 0) {
            rc = lzi_error_set(LZ_EINPUT, "line %zu: empty expression", p->line);
            goto done;
        }
        keys_len = keys.len;
        if ((rc = add_expression(p, e, e_len, c, &keys)) != LZ_OK)
            goto done;
        if (listed(keys.ptr, keys_len, keys.ptr + keys_len)) {
            rc = lzi_error_set(LZ_EINPUT, "line %zu: expression '%.*s' is listed twice",
                               p->line, (int)e_len, e);
            goto done;
        }
        n_expr++;
        if (end == NULL)
            break;
        n -= (size_t)(end + 1 - s);
        s = end + 1;
    }
    if (n_expr < 2) {
        rc = lzi_error_set(LZ_EINPUT, "line %zu: a concept needs at least two expressions "
                           "separated by '|'", p->line);
        goto done;
    }
    lzi_buf_clear(&p->key);
    if ((rc = lzi_buf_puts(&p->key, t->prefix)) != LZ_OK)
        goto done;
    if (id != NULL) {
        rc = lzi_buf_append(&p->key, id, id_len);
    } else {
        lzi_buf derived = LZI_BUF_INIT;
        if ((rc = derive_id(&derived, keys.ptr)) == LZ_OK)
            rc = lzi_buf_append(&p->key, derived.ptr, derived.len);
        lzi_buf_dispose(&derived);
    }
    if (rc != LZ_OK ||
        (rc = pool_add(t, p->key.ptr, p->key.len, &t->concepts[c].term_off)) != LZ_OK)
        goto done;
    t->concepts[c].line = p->line;
    t->concepts[c].term = NULL;
    t->n_concepts++;
done:
    lzi_buf_dispose(&keys);
    return rc;
}

/* --- after the last line ------------------------------------------------------------------- */

/* Point everything into the pool, which no longer moves; sort; drop duplicate spellings (a
 * compound's joined form written out too, `ICT` beside `ICTs`) and synonyms; check that ids are
 * unique; compute the digest. */
static int finish(lzi_thesaurus *t)
{
    concept *by_term = NULL;
    uint64_t h = FNV64_OFFSET;
    size_t i, n;
    int rc = LZ_OK;

    for (i = 0; i < t->n_concepts; i++)
        t->concepts[i].term = t->pool.ptr + t->concepts[i].term_off;
    for (i = 0; i < t->n_words; i++)
        t->words[i].form = t->pool.ptr + t->words[i].form_off;
    for (i = 0; i < t->n_spells; i++) {
        t->spells[i].w = &t->words[t->spells[i].word0];
        t->spells[i].term = t->concepts[t->spells[i].concept].term;
    }
    for (i = 0; i < t->n_synonyms; i++) {
        t->synonyms[i].key = t->pool.ptr + t->synonyms[i].key_off;
        t->synonyms[i].term = t->concepts[t->synonyms[i].concept].term;
    }

    if (t->n_concepts > 0) {
        if ((by_term = lzi_malloc(t->n_concepts * sizeof *by_term)) == NULL)
            return lzi_error_set(LZ_ENOMEM, "out of memory (thesaurus concepts)");
        memcpy(by_term, t->concepts, t->n_concepts * sizeof *by_term);
        qsort(by_term, t->n_concepts, sizeof *by_term, cmp_concept);
        for (i = 1; i < t->n_concepts; i++) {
            if (strcmp(by_term[i - 1].term, by_term[i].term) == 0) {
                rc = lzi_error_set(LZ_EINPUT, "line %zu: concept id '%s' is already used on "
                                   "line %zu", by_term[i].line,
                                   by_term[i].term + strlen(t->prefix),
                                   by_term[i - 1].line);
                goto done;
            }
        }
    }

    if (t->n_spells > 0)
        qsort(t->spells, t->n_spells, sizeof *t->spells, cmp_spell);
    for (i = n = 0; i < t->n_spells; i++)
        if (n == 0 || cmp_spell(&t->spells[n - 1], &t->spells[i]) != 0)
            t->spells[n++] = t->spells[i];
    t->n_spells = n;
    if (t->n_synonyms > 0)
        qsort(t->synonyms, t->n_synonyms, sizeof *t->synonyms, cmp_synonym);
    for (i = n = 0; i < t->n_synonyms; i++)
        if (n == 0 || cmp_synonym(&t->synonyms[n - 1], &t->synonyms[i]) != 0)
            t->synonyms[n++] = t->synonyms[i];
    t->n_synonyms = n;

    /* Sorted, so the order of lines and expressions does not count; '\x1f' and '\x1e' cannot
     * occur in normalized words or terms. */
    for (i = 0; i < t->n_spells; i++) {
        const xspell *s = &t->spells[i];
        size_t k;
        h = fnv1a(h, s->term, strlen(s->term) + 1);
        for (k = 0; k < s->n_words; k++) {
            h = fnv1a(h, s->w[k].stemmed ? "s" : "n", 1);
            h = fnv1a(h, s->w[k].form, s->w[k].form_len);
            h = fnv1a(h, "\x1f", 1);
        }
        h = fnv1a(h, "\x1e", 1);
    }
    for (i = 0; i < t->n_synonyms; i++) {
        h = fnv1a(h, t->synonyms[i].key, strlen(t->synonyms[i].key) + 1);
        h = fnv1a(h, t->synonyms[i].term, strlen(t->synonyms[i].term) + 1);
    }
    snprintf(t->digest, sizeof t->digest, "%016" PRIx64, h);
done:
    lzi_free(by_term);
    return rc;
}

/* Parse text[0..len), whose first line is line `line0 + 1` of the file, into *out with concept
 * terms `prefix` + id. */
static int parse_text(lzi_thesaurus **out, lzi_analyzer *a, const char *text, size_t len,
                      const char *prefix, size_t line0)
{
    parser p = { NULL, a, NULL, 0, 0, LZI_BUF_INIT, LZI_BUF_INIT, line0 };
    size_t at = 0;
    int rc;

    *out = NULL;
    if ((p.t = lzi_calloc(1, sizeof *p.t)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory (thesaurus)");
    p.t->prefix = prefix;
    if ((rc = lzi_buf_reserve(&p.t->pool, 0)) != LZ_OK)
        goto done;
    while (at < len && rc == LZ_OK) {
        const char *s = text + at, *nl = memchr(s, '\n', len - at), *hash;
        size_t n = nl != NULL ? (size_t)(nl - s) : len - at;

        at += n + 1;
        p.line++;
        if ((hash = memchr(s, '#', n)) != NULL)
            n = (size_t)(hash - s);
        trim(&s, &n);
        if (n > 0)
            rc = parse_line(&p, s, n);
    }
    if (rc == LZ_OK && (rc = finish(p.t)) == LZ_OK) {
        *out = p.t;
        p.t = NULL;
    }
done:
    lzi_thesaurus_free(p.t);                /* no-op after the move */
    lzi_free(p.toks);
    lzi_buf_dispose(&p.text);
    lzi_buf_dispose(&p.key);
    return rc;
}

/* Where the line LZI_RELATED_SECTION starts in text[0..len) (blanks around it allowed), or
 * LZI_NPOS; *line receives its 1-based number. */
static size_t find_section(const char *text, size_t len, size_t *line)
{
    size_t at = 0, mark = strlen(LZI_RELATED_SECTION);

    *line = 0;
    while (at < len) {
        const char *s = text + at, *nl = memchr(s, '\n', len - at), *hash;
        size_t n = nl != NULL ? (size_t)(nl - s) : len - at, start = at;

        at += n + 1;
        ++*line;
        if ((hash = memchr(s, '#', n)) != NULL)
            n = (size_t)(hash - s);
        trim(&s, &n);
        if (n == mark && memcmp(s, LZI_RELATED_SECTION, mark) == 0)
            return start;
    }
    return LZI_NPOS;
}

int lzi_thesaurus_parse(lzi_thesaurus **out, lzi_analyzer *a, const char *text, size_t len)
{
    lzi_thesaurus *t = NULL, *rel = NULL;
    size_t bad, section, line = 0;
    uint64_t h;
    int rc;

    *out = NULL;
    if (len > LZI_MAX_THESAURUS_BYTES)
        return lzi_error_set(LZ_EINPUT, "thesaurus of %zu bytes is over the limit of %d", len,
                             LZI_MAX_THESAURUS_BYTES);
    if ((bad = lzi_utf8_invalid(text, len)) != LZI_NPOS) {
        lzi_pos pos = lzi_pos_of(text, bad);
        return lzi_error_set(LZ_EINPUT, "line %u:%u: invalid UTF-8", pos.line, pos.col);
    }
    if (len > 0 && memchr(text, '\0', len) != NULL) {
        lzi_pos pos = lzi_pos_of(text, (size_t)((const char *)memchr(text, '\0', len) - text));
        return lzi_error_set(LZ_EINPUT, "line %u:%u: NUL byte", pos.line, pos.col);
    }
    if ((section = find_section(text, len, &line)) == LZI_NPOS)
        return parse_text(out, a, text, len, LZI_PREFIX_CONCEPT, 0);
    if ((rc = parse_text(&t, a, text, section, LZI_PREFIX_CONCEPT, 0)) != LZ_OK)
        return rc;
    {
        const char *rest = memchr(text + section, '\n', len - section);
        size_t from = rest != NULL ? (size_t)(rest + 1 - text) : len;
        rc = parse_text(&rel, a, text + from, len - from, LZI_PREFIX_RELATED, line);
    }
    if (rc != LZ_OK) {
        lzi_thesaurus_free(t);
        return rc;
    }
    /* the digest covers both sections */
    h = fnv1a(FNV64_OFFSET, t->digest, strlen(t->digest));
    h = fnv1a(h, LZI_RELATED_SECTION, strlen(LZI_RELATED_SECTION));
    h = fnv1a(h, rel->digest, strlen(rel->digest));
    snprintf(t->digest, sizeof t->digest, "%016" PRIx64, h);
    t->related = rel;
    *out = t;
    return LZ_OK;
}

void lzi_thesaurus_free(lzi_thesaurus *t)
{
    if (t == NULL)
        return;
    lzi_thesaurus_free(t->related);
    lzi_buf_dispose(&t->pool);
    lzi_free(t->concepts);
    lzi_free(t->words);
    lzi_free(t->spells);
    lzi_free(t->synonyms);
    lzi_free(t);
}

const char *lzi_thesaurus_digest(const lzi_thesaurus *t)
{
    return t->digest;
}

void lzi_thesaurus_counts(const lzi_thesaurus *t, size_t *n_concepts, size_t *n_expressions)
{
    *n_concepts = t->n_concepts;
    *n_expressions = t->n_expressions;
    if (t->related != NULL) {
        *n_concepts += t->related->n_concepts;
        *n_expressions += t->related->n_expressions;
    }
}

int lzi_thesaurus_each_synonym(const lzi_thesaurus *t, lzi_synonym_fn fn, void *payload)
{
    size_t i;
    int rc;

    for (i = 0; i < t->n_synonyms; i++)
        if ((rc = fn(payload, t->synonyms[i].key, t->synonyms[i].term)) != 0)
            return rc;
    return LZ_OK;
}

/* --- matching ------------------------------------------------------------------------------ */

/* Narrow [*lo, *hi), spellings that agree on their first k words and all have more than k, to
 * those whose word k is `w`: two binary searches, the range being sorted on word k. */
static void narrow(const lzi_thesaurus *t, size_t k, const lzi_word *w, size_t *lo, size_t *hi)
{
    int stemmed = w->stem != NULL;
    const char *form = stemmed ? w->stem : w->norm;
    size_t form_len = stemmed ? w->stem_len : w->norm_len;
    size_t a = *lo, b = *hi, m;

    while (a < b) {                         /* first spelling with word k >= w */
        const xword *x;
        m = a + (b - a) / 2;
        x = &t->spells[m].w[k];
        if (cmp_form(x->stemmed, x->form, x->form_len, stemmed, form, form_len) < 0)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    b = *hi;
    while (a < b) {                         /* first spelling with word k > w */
        const xword *x;
        m = a + (b - a) / 2;
        x = &t->spells[m].w[k];
        if (cmp_form(x->stemmed, x->form, x->form_len, stemmed, form, form_len) <= 0)
            a = m + 1;
        else
            b = m;
    }
    *hi = a;
}

/* Whether term is that of a line of names in the related section (id `names` or `names_...`):
 * its expressions are matched, so their words count for no other group, but give no term. */
static int names_term(const char *term)
{
    size_t p = strlen(LZI_PREFIX_RELATED);

    return strncmp(term, LZI_PREFIX_RELATED, p) == 0 && strncmp(term + p, "names", 5) == 0 &&
           (term[p + 5] == '\0' || term[p + 5] == '_');
}

static int match_section(const lzi_thesaurus *t, const lzi_word *words, size_t n,
                         lzi_concept_fn fn, void *payload)
{
    size_t i = 0, j;
    int rc;

    while (i < n) {
        size_t lo = 0, hi = t->n_spells, k = 0, best_lo = 0, best_hi = 0, best_len = 0, m;
        /* Invariant: [lo, hi) are the spellings whose first k words match words[i..i+k);
         * those with exactly k words sort first and are complete matches. */
        for (;;) {
            for (m = lo; m < hi && t->spells[m].n_words == k; m++)
                ;
            if (k > 0 && m > lo) {
                best_lo = lo;
                best_hi = m;
                best_len = k;
            }
            if (m == hi || i + k >= n)
                break;
            lo = m;
            narrow(t, k, &words[i + k], &lo, &hi);
            if (lo == hi)
                break;
            k++;
        }
        if (best_len == 0) {
            i++;
            continue;
        }
        for (j = best_lo; j < best_hi; j++)     /* one per concept: duplicates were dropped */
            if (!names_term(t->spells[j].term) &&
                (rc = fn(payload, t->spells[j].term, i, i + best_len - 1)) != 0)
                return rc;
        i += best_len;
    }
    return LZ_OK;
}

/* Each section on its own: a related expression never hides a synonym, nor the reverse. */
int lzi_thesaurus_match(const lzi_thesaurus *t, const lzi_word *words, size_t n,
                        lzi_concept_fn fn, void *payload)
{
    int rc = match_section(t, words, n, fn, payload);

    if (rc == 0 && t->related != NULL)
        rc = match_section(t->related, words, n, fn, payload);
    return rc;
}

/* --- British and American spellings -------------------------------------------------------- */

/* Longest variant: a rule adds at most two bytes, LZI_MAX_SPELLING_VARIANTS rules can chain. */
#define VARIANT_MAX_LEN (LZI_MAX_WORD_LEN + 2 * LZI_MAX_SPELLING_VARIANTS)

/* A spelling alternation at the end of a word: the suffix `from` becomes `to` when the rest of
 * the word (the base) passes `ok`. */
typedef struct suffix_rule {
    const char *from, *to;
    int (*ok)(const char *base, size_t n);
} suffix_rule;

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static int ends_with(const char *w, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);

    return n >= k && memcmp(w + n - k, suffix, k) == 0;
}

static int equals(const char *w, size_t n, const char *s)
{
    return strlen(s) == n && memcmp(w, s, n) == 0;
}

static int any_base(const char *b, size_t n)
{
    (void)b;
    (void)n;
    return 1;
}

/* Bases that take the Greek suffix -ise/-ize, by their last letters: -l- (criminal, real,
 * util), -n- (organ, recogn), vowel + r (author, categor; not compr-, surpr-, enterpr-),
 * vowel + t (sensit, stigmat; not advert-, chast-, expert-), -im-, -nom- and -tom- (minim,
 * econom, custom; not prom-, comprom-, prem-), vowel + s (emphas, synthes), -ic- and -ac-
 * (critic, ostrac; not prec-, conc-, exerc-), -og- -rg- -eg- (apolog, energ), -id- and -rd-
 * (subsid, standard; not parad-, merchand-). So never advise, devise, exercise, promise,
 * surprise, franchise, size, seize, prize, capsize. `treat` (treatise) is the one exception
 * the classes let through. */
static int ize_base(const char *b, size_t n)
{
    char c, p;

    if (n < 3 || ends_with(b, n, "treat"))
        return 0;
    c = b[n - 1];
    p = b[n - 2];
    switch (c) {
    case 'l':
        return n >= 4;
    case 'n':
        return 1;
    case 'r':
    case 't':
        return n >= 4 && is_vowel(p);
    case 'm':
        return p == 'i' || (p == 'o' && (b[n - 3] == 'n' || b[n - 3] == 't'));
    case 's':
        return n >= 5 && (p == 'a' || p == 'e');
    case 'c':
        return n >= 4 && (p == 'i' || p == 'a');
    case 'g':
        return n >= 4 && (p == 'o' || p == 'r' || p == 'e');
    case 'd':
        return n >= 5 && (p == 'i' || p == 'r');
    default:
        return 0;
    }
}

/* analyse, paralyse, catalyse */
static int yse_base(const char *b, size_t n)
{
    return n >= 3 && b[n - 1] == 'l';
}

/* -our -> -or: any base of two letters or more (so not four, your, hour, tour, pour, our),
 * except the words where -our is not the Latin suffix (detour, contour, devour, flour,
 * scour, amour, ...). */
static int our_base(const char *b, size_t n)
{
    static const char *const not_alternating[] = {
        "am", "cont", "det", "dev", "fl", "param", "sc", "tamb", "troubad", "vel",
    };
    size_t i;

    if (n < 2)
        return 0;
    for (i = 0; i < sizeof not_alternating / sizeof not_alternating[0]; i++)
        if (equals(b, n, not_alternating[i]))
            return 0;
    return 1;
}

/* -or -> -our: -or is everywhere in English (actor, error, motor), the British -our only in a
 * closed class of nouns from Latin and French; a base ending in one of them (misbehavi-,
 * dishon-, discol-) alternates. */
static int or_base(const char *b, size_t n)
{
    static const char *const our_nouns[] = {
        "arb", "ard", "arm", "behavi", "cand", "clam", "col", "demean", "enam", "endeav",
        "fav", "ferv", "flav", "glam", "harb", "hon", "hum", "lab", "neighb", "od", "parl",
        "ranc", "rig", "rum", "sav", "savi", "splend", "succ", "tum", "val", "vap", "vig",
    };
    size_t i;

    for (i = 0; i < sizeof our_nouns / sizeof our_nouns[0]; i++)
        if (ends_with(b, n, our_nouns[i]))
            return 1;
    return 0;
}

/* -lled/-led and kin: British doubles the l after one unstressed vowel (travel, counsel,
 * model, cancel, signal); a base of four letters or more ending in consonant + a, e or o, so
 * not filled, called, pilled (too short) nor dealing, feeling, sailing (two vowels). */
static int lled_base(const char *b, size_t n)
{
    char c, p;

    if (n < 4)
        return 0;
    c = b[n - 1];
    p = b[n - 2];
    return (c == 'a' || c == 'e' || c == 'o') && p >= 'a' && p <= 'z' && !is_vowel(p);
}

/* -llor/-lor is only counsellor and councillor (not bachelor, chancellor, sailor) */
static int llor_base(const char *b, size_t n)
{
    return ends_with(b, n, "counse") || ends_with(b, n, "counci");
}

/* dialogue, catalogue, analogue, monologue: a vowel before, so not backlog, weblog, blog */
static int logue_base(const char *b, size_t n)
{
    return n >= 2 && is_vowel(b[n - 1]);
}

/* The -tre/-ter, -bre/-ber and -gre/-ger class, whole bases: -ter is everywhere (after,
 * register, minister), -tre only in these. */
static int tre_base(const char *b, size_t n)
{
    static const char *const bases[] = {
        "cen", "epicen", "thea", "me", "kilome", "centime", "millime", "li", "spec", "lus",
        "mi", "scep", "ti", "accou", "saltpe",
    };
    size_t i;

    for (i = 0; i < sizeof bases / sizeof bases[0]; i++)
        if (equals(b, n, bases[i]))
            return 1;
    return 0;
}

static int bre_base(const char *b, size_t n)
{
    return equals(b, n, "fi") || equals(b, n, "cali") || equals(b, n, "som") ||
           equals(b, n, "sa");
}

static int gre_base(const char *b, size_t n)
{
    return equals(b, n, "mea");
}

static const suffix_rule suffix_rules[] = {
    { "ise", "ize", ize_base }, { "ize", "ise", ize_base },
    { "ises", "izes", ize_base }, { "izes", "ises", ize_base },
    { "ised", "ized", ize_base }, { "ized", "ised", ize_base },
    { "ising", "izing", ize_base }, { "izing", "ising", ize_base },
    { "iser", "izer", ize_base }, { "izer", "iser", ize_base },
    { "isers", "izers", ize_base }, { "izers", "isers", ize_base },
    { "isation", "ization", ize_base }, { "ization", "isation", ize_base },
    { "isations", "izations", ize_base }, { "izations", "isations", ize_base },
    { "isational", "izational", ize_base }, { "izational", "isational", ize_base },
    { "isable", "izable", ize_base }, { "izable", "isable", ize_base },

    { "yse", "yze", yse_base }, { "yze", "yse", yse_base },
    { "yses", "yzes", yse_base }, { "yzes", "yses", yse_base },
    { "ysed", "yzed", yse_base }, { "yzed", "ysed", yse_base },
    { "ysing", "yzing", yse_base }, { "yzing", "ysing", yse_base },
    { "yser", "yzer", yse_base }, { "yzer", "yser", yse_base },
    { "ysers", "yzers", yse_base }, { "yzers", "ysers", yse_base },

    { "our", "or", our_base }, { "or", "our", or_base },
    { "ours", "ors", our_base }, { "ors", "ours", or_base },
    { "oured", "ored", our_base }, { "ored", "oured", or_base },
    { "ouring", "oring", our_base }, { "oring", "ouring", or_base },
    { "ourable", "orable", our_base }, { "orable", "ourable", or_base },
    { "ourably", "orably", our_base }, { "orably", "ourably", or_base },
    { "oural", "oral", our_base }, { "oral", "oural", or_base },
    { "ourally", "orally", our_base }, { "orally", "ourally", or_base },
    { "ourful", "orful", our_base }, { "orful", "ourful", or_base },
    { "ourite", "orite", our_base }, { "orite", "ourite", or_base },
    { "ourites", "orites", our_base }, { "orites", "ourites", or_base },
    { "ourer", "orer", our_base }, { "orer", "ourer", or_base },
    { "ourers", "orers", our_base }, { "orers", "ourers", or_base },
    { "ourhood", "orhood", our_base }, { "orhood", "ourhood", or_base },
    { "ourhoods", "orhoods", our_base }, { "orhoods", "ourhoods", or_base },
    { "ourless", "orless", our_base }, { "orless", "ourless", or_base },
    { "ourism", "orism", our_base }, { "orism", "ourism", or_base },
    { "ourist", "orist", our_base }, { "orist", "ourist", or_base },
    { "ourists", "orists", our_base }, { "orists", "ourists", or_base },
    { "oury", "ory", our_base }, { "ory", "oury", or_base },

    /* the -ce nouns that American spells -se (not fence, hence, sense, licensed) */
    { "offence", "offense", any_base }, { "offense", "offence", any_base },
    { "offences", "offenses", any_base }, { "offenses", "offences", any_base },
    { "defence", "defense", any_base }, { "defense", "defence", any_base },
    { "defences", "defenses", any_base }, { "defenses", "defences", any_base },
    { "defenceless", "defenseless", any_base }, { "defenseless", "defenceless", any_base },
    { "pretence", "pretense", any_base }, { "pretense", "pretence", any_base },
    { "pretences", "pretenses", any_base }, { "pretenses", "pretences", any_base },
    { "licence", "license", any_base }, { "license", "licence", any_base },
    { "licences", "licenses", any_base }, { "licenses", "licences", any_base },

    /* programme (not programmed, programming: both spellings double the m there) */
    { "programme", "program", any_base }, { "program", "programme", any_base },
    { "programmes", "programs", any_base }, { "programs", "programmes", any_base },

    /* the British verb practise */
    { "practise", "practice", any_base }, { "practice", "practise", any_base },
    { "practised", "practiced", any_base }, { "practiced", "practised", any_base },
    { "practises", "practices", any_base }, { "practices", "practises", any_base },
    { "practising", "practicing", any_base }, { "practicing", "practising", any_base },

    { "tre", "ter", tre_base }, { "ter", "tre", tre_base },
    { "tres", "ters", tre_base }, { "ters", "tres", tre_base },
    { "tred", "tered", tre_base }, { "tered", "tred", tre_base },
    { "tring", "tering", tre_base }, { "tering", "tring", tre_base },
    { "bre", "ber", bre_base }, { "ber", "bre", bre_base },
    { "bres", "bers", bre_base }, { "bers", "bres", bre_base },
    { "gre", "ger", gre_base }, { "ger", "gre", gre_base },

    { "lled", "led", lled_base }, { "led", "lled", lled_base },
    { "lling", "ling", lled_base }, { "ling", "lling", lled_base },
    { "ller", "ler", lled_base }, { "ler", "ller", lled_base },
    { "llers", "lers", lled_base }, { "lers", "llers", lled_base },
    { "llor", "lor", llor_base }, { "lor", "llor", llor_base },
    { "llors", "lors", llor_base }, { "lors", "llors", llor_base },

    { "logue", "log", logue_base }, { "log", "logue", logue_base },
    { "logues", "logs", logue_base }, { "logs", "logues", logue_base },
};

/* The spellings found so far: [0] is the word itself. */
typedef struct variant_set {
    char v[LZI_MAX_SPELLING_VARIANTS + 1][VARIANT_MAX_LEN + 1];
    size_t len[LZI_MAX_SPELLING_VARIANTS + 1];
    size_t n;
} variant_set;

/* Add prefix w[0..keep) + `to` + w[skip..n) unless it is known already or the set is full. */
static void add_variant(variant_set *vs, const char *w, size_t n, size_t keep, const char *to,
                        size_t skip)
{
    size_t to_len = strlen(to), len = keep + to_len + (n - skip), i;
    char *d;

    if (vs->n > LZI_MAX_SPELLING_VARIANTS || len > VARIANT_MAX_LEN)
        return;
    d = vs->v[vs->n];
    memcpy(d, w, keep);
    memcpy(d + keep, to, to_len);
    memcpy(d + keep + to_len, w + skip, n - skip);
    d[len] = '\0';
    for (i = 0; i < vs->n; i++)
        if (vs->len[i] == len && memcmp(vs->v[i], d, len) == 0)
            return;
    vs->len[vs->n++] = len;
}

/* Where `s` first occurs in w[0..n), or LZI_NPOS. */
static size_t find(const char *w, size_t n, const char *s)
{
    size_t k = strlen(s), i;

    for (i = 0; i + k <= n; i++)
        if (memcmp(w + i, s, k) == 0)
            return i;
    return LZI_NPOS;
}

/* Every single-rule respelling of w[0..n) into vs. The word is copied first: vs may move. */
static void respell(variant_set *vs, const char *word, size_t n)
{
    char w[VARIANT_MAX_LEN + 1];
    size_t i, at;

    memcpy(w, word, n);
    for (i = 0; i < sizeof suffix_rules / sizeof suffix_rules[0]; i++) {
        const suffix_rule *r = &suffix_rules[i];
        if (ends_with(w, n, r->from) && r->ok(w, n - strlen(r->from)))
            add_variant(vs, w, n, n - strlen(r->from), r->to, n);
    }
    /* judgement, acknowledgement, abridgement: -dgement- is -dgment- in American */
    if ((at = find(w, n, "dgement")) != LZI_NPOS)
        add_variant(vs, w, n, at, "dgment", at + 7);
    else if ((at = find(w, n, "dgment")) != LZI_NPOS)
        add_variant(vs, w, n, at, "dgement", at + 6);
    /* Greek paed- (child) is ped- in American wherever it stands (paedophile, paediatric,
     * encyclopaedia); ped- goes back only where it is that paed-, not in speed or expedite */
    if ((at = find(w, n, "paed")) != LZI_NPOS)
        add_variant(vs, w, n, at, "ped", at + 4);
    else if (n >= 4 && (memcmp(w, "pedo", 4) == 0 || (n >= 7 && memcmp(w, "pediatr", 7) == 0)))
        add_variant(vs, w, n, 0, "paed", 3);
    else if ((at = find(w, n, "clopedi")) != LZI_NPOS || (at = find(w, n, "thopedi")) != LZI_NPOS)
        add_variant(vs, w, n, at + 3, "paed", at + 6);  /* the "ped" in "clopedi" */
    if (equals(w, n, "ageing"))
        add_variant(vs, w, n, 0, "aging", n);
    else if (equals(w, n, "aging"))
        add_variant(vs, w, n, 0, "ageing", n);
}

int lzi_spelling_variants(const char *word, size_t len, lzi_variant_fn fn, void *payload)
{
    variant_set vs;
    size_t i;
    int rc;

    if (len == 0 || len > LZI_MAX_WORD_LEN)
        return LZ_OK;
    memcpy(vs.v[0], word, len);
    vs.v[0][len] = '\0';
    vs.len[0] = len;
    vs.n = 1;
    /* rules can combine (paedophilisation): respell the variants too, up to the cap */
    for (i = 0; i < vs.n; i++)
        respell(&vs, vs.v[i], vs.len[i]);
    for (i = 1; i < vs.n; i++)
        if ((rc = fn(payload, vs.v[i], vs.len[i])) != 0)
            return rc;
    return LZ_OK;
}

/* --- the query side ------------------------------------------------------------------------ */

/* A piece of a normalized query: white space, a quote, or a run of other bytes. */
enum { SEG_BLANK, SEG_QUOTE, SEG_PIECE, SEG_QUOTED };

typedef struct segment {
    size_t off, len;
    int kind;
} segment;

static int is_query_blank(char c)
{
    return is_blank(c) || c == '\n';
}

/* NEAR, ADJ, NEAR/n, ADJ/n: their operands must stay terms. */
static int is_proximity(const char *p, size_t n)
{
    size_t k, j;

    if (n >= 4 && memcmp(p, "NEAR", 4) == 0)
        k = 4;
    else if (n >= 3 && memcmp(p, "ADJ", 3) == 0)
        k = 3;
    else
        return 0;
    if (n == k)
        return 1;
    if (p[k] != '/' || n == k + 1)
        return 0;
    for (j = k + 1; j < n && p[j] >= '0' && p[j] <= '9'; j++)
        ;
    return j == n;
}

/* Letters, digits, apostrophes and the bytes of other characters: what a normalized word is
 * made of (upper-case letters only occur in operators). */
static int is_plain_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'' || (c & 0x80) != 0;
}

static int put_variant(void *payload, const char *variant, size_t len)
{
    lzi_buf *out = payload;
    int rc;

    if ((rc = lzi_buf_puts(out, " OR ")) != LZ_OK)
        return rc;
    return lzi_buf_append(out, variant, len);
}

static int count_variant(void *payload, const char *variant, size_t len)
{
    (void)variant;
    (void)len;
    (*(size_t *)payload)++;
    return 0;
}

/* One piece outside quotes: `(((word))` with variants becomes `((((word OR v1 OR v2)))`;
 * anything else is copied. */
static int put_piece(const char *p, size_t n, int proximity_operand, lzi_buf *out)
{
    size_t open = 0, close = 0, i, n_variants = 0;
    const char *w;
    size_t w_len;
    int rc;

    while (open < n && p[open] == '(')
        open++;
    while (close < n - open && p[n - 1 - close] == ')')
        close++;
    w = p + open;
    w_len = n - open - close;
    for (i = 0; i < w_len && is_plain_byte(w[i]); i++)
        ;
    if (proximity_operand || w_len == 0 || i < w_len)
        return lzi_buf_append(out, p, n);
    lzi_spelling_variants(w, w_len, count_variant, &n_variants);
    if (n_variants == 0)
        return lzi_buf_append(out, p, n);
    if ((rc = lzi_buf_append(out, p, open)) != LZ_OK || (rc = lzi_buf_putc(out, '(')) != LZ_OK ||
        (rc = lzi_buf_append(out, w, w_len)) != LZ_OK ||
        (rc = lzi_spelling_variants(w, w_len, put_variant, out)) != LZ_OK ||
        (rc = lzi_buf_putc(out, ')')) != LZ_OK)
        return rc;
    return lzi_buf_append(out, p + n - close, close);
}

/* The piece before segment i (or after it, step +1), skipping white space: its index, or
 * LZI_NPOS at either end or at a quote. */
static size_t neighbour(const segment *v, size_t n, size_t i, int step)
{
    while (step < 0 ? i > 0 : i + 1 < n) {
        i = step < 0 ? i - 1 : i + 1;
        if (v[i].kind == SEG_BLANK)
            continue;
        return v[i].kind == SEG_PIECE ? i : LZI_NPOS;
    }
    return LZI_NPOS;
}

int lzi_query_add_variants(const char *nq, size_t len, lzi_buf *out)
{
    segment *v = NULL, *grown;
    size_t n = 0, cap = 0, i = 0, j, begin = out->len, prev, next;
    int in_quote = 0, rc;

    if ((rc = lzi_buf_reserve(out, len)) != LZ_OK)
        return rc;
    /* cut as lzi_query_normalize does: at white space and at '"' */
    while (i < len) {
        int kind;
        if (is_query_blank(nq[i])) {
            for (j = i; j < len && is_query_blank(nq[j]); j++)
                ;
            kind = SEG_BLANK;
        } else if (nq[i] == '"') {
            j = i + 1;
            kind = SEG_QUOTE;
            in_quote = !in_quote;
        } else {
            for (j = i; j < len && !is_query_blank(nq[j]) && nq[j] != '"'; j++)
                ;
            kind = in_quote ? SEG_QUOTED : SEG_PIECE;
        }
        if ((grown = grow(v, &cap, n, sizeof *v, "query pieces")) == NULL) {
            rc = LZ_ENOMEM;
            goto done;
        }
        v = grown;
        v[n++] = (segment){ i, j - i, kind };
        i = j;
    }
    for (i = 0; i < n; i++) {
        const char *p = nq + v[i].off;
        int operand = 0;
        if (v[i].kind != SEG_PIECE) {
            if ((rc = lzi_buf_append(out, p, v[i].len)) != LZ_OK)
                goto done;
            continue;
        }
        prev = neighbour(v, n, i, -1);
        next = neighbour(v, n, i, +1);
        operand = (prev != LZI_NPOS && is_proximity(nq + v[prev].off, v[prev].len)) ||
                  (next != LZI_NPOS && is_proximity(nq + v[next].off, v[next].len));
        if ((rc = put_piece(p, v[i].len, operand, out)) != LZ_OK)
            goto done;
    }
done:
    if (rc != LZ_OK) {                      /* all or nothing */
        out->len = begin;
        out->ptr[begin] = '\0';
    }
    lzi_free(v);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Word lists */

/* While a list is built, words cannot point into the store, which may move as it grows: they
 * keep offsets into it until lzi_wordlist_finish turns them into pointers. */

void lzi_wordlist_clear(lzi_wordlist *wl)
{
    wl->n = 0;
    lzi_buf_clear(&wl->store);
}

int lzi_wordlist_add(lzi_wordlist *wl, const lzi_token *tok)
{
    lzi_word *w;
    int rc;

    if (tok->flags & LZI_TOKEN_JOINED)
        return LZ_OK;
    if (wl->n == wl->cap) {
        size_t cap = wl->cap ? wl->cap * 2 : 64;
        lzi_word *v = lzi_realloc(wl->v, cap * sizeof *v);
        if (v == NULL)
            return lzi_error_set(LZ_ENOMEM, "out of memory (word list)");
        wl->v = v;
        wl->cap = cap;
    }
    w = &wl->v[wl->n];
    w->start = tok->start;
    w->end = tok->end;
    w->norm_len = tok->norm_len;
    w->stem_len = tok->stem ? tok->stem_len : 0;
    w->norm = NULL;
    w->stem = NULL;
    w->norm_at = wl->store.len;
    if ((rc = lzi_buf_append(&wl->store, tok->norm, tok->norm_len)) != LZ_OK ||
        (rc = lzi_buf_putc(&wl->store, '\0')) != LZ_OK)
        return rc;
    w->stem_at = tok->stem ? wl->store.len : LZI_NPOS;
    if (tok->stem && ((rc = lzi_buf_append(&wl->store, tok->stem, tok->stem_len)) != LZ_OK ||
                      (rc = lzi_buf_putc(&wl->store, '\0')) != LZ_OK))
        return rc;
    wl->n++;
    return LZ_OK;
}

void lzi_wordlist_finish(lzi_wordlist *wl)
{
    size_t i;
    for (i = 0; i < wl->n; i++) {
        lzi_word *w = &wl->v[i];
        w->norm = wl->store.ptr + w->norm_at;
        w->stem = w->stem_at == LZI_NPOS ? NULL : wl->store.ptr + w->stem_at;
    }
}

static int fill_word(void *payload, const lzi_token *tok)
{
    return lzi_wordlist_add(payload, tok);
}

int lzi_wordlist_fill(lzi_wordlist *wl, lzi_analyzer *a, const char *text, size_t len)
{
    int rc;
    lzi_wordlist_clear(wl);
    if ((rc = lzi_analyze(a, text, len, fill_word, wl)) != LZ_OK) {
        wl->n = 0;
        return rc;
    }
    lzi_wordlist_finish(wl);
    return LZ_OK;
}

void lzi_wordlist_dispose(lzi_wordlist *wl)
{
    lzi_free(wl->v);
    lzi_buf_dispose(&wl->store);
    wl->v = NULL;
    wl->n = wl->cap = 0;
}
