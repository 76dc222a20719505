/* Query rewriting, between the user and QueryParser (the searcher calls it before
 * lzx_query_run): the words go through lzi_analyze, so a query word is spelled as the index
 * spells it; QueryParser's syntax (operators, field prefixes, + and -, wildcards, brackets,
 * phrases) passes through; identifiers and legal references that ICU splits (`II-6`,
 * `Article 25(4)`) become phrases, and a hyphenated compound also asks for its joined form;
 * then the words not to search for (stopwords, the "many" of "how many") leave it. */
#include <string.h>
#include <strings.h>

#include "lz_text.h"

/* Words that announce a reference number: `Article 25(4)`, `para 129`, `Recommendation II-6`
 * (normalized forms). */
static const char *const reference_words[] = {
    "art", "article", "articles", "chapter", "para", "paragraph", "paras",
    "rec", "recommendation", "recommendations",
};

/* One token of an analysed piece of the query (a copy of an lzi_token). */
typedef struct qword {
    size_t start, end;              /* bytes, in the piece */
    size_t norm_off, norm_len;      /* bytes, in qwords.norms */
    unsigned flags;                 /* LZI_TOKEN_* */
} qword;

typedef struct qwords {
    qword *v;
    size_t n, cap;
    lzi_buf norms;                  /* the normalized words, back to back */
} qwords;

/* A piece of the query: a run of bytes without white space or '"', split into the syntax
 * around it and the core whose words are rewritten. */
typedef struct qpiece {
    const char *p;
    size_t len;
    size_t pre_len;                 /* leading '(' '+' '-': groups, love, hate */
    size_t field_len;               /* "name:" after them, 0 if none */
    size_t core_off, core_len;
    size_t suf_off;                 /* trailing ')' that close groups, and '*'; to len */
} qpiece;

typedef struct rewriter {
    lzi_analyzer *a;
    lzi_buf *out;
    qwords w;                       /* tokens of the piece analysed last */
} rewriter;

static int collect(void *payload, const lzi_token *tok)
{
    qwords *w = payload;
    int rc;

    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 16;
        qword *v;
        if (cap > SIZE_MAX / sizeof *v || (v = lzi_realloc(w->v, cap * sizeof *v)) == NULL)
            return lzi_error_set(LZ_ENOMEM, "out of memory (query words)");
        w->v = v;
        w->cap = cap;
    }
    w->v[w->n] = (qword){ tok->start, tok->end, w->norms.len, tok->norm_len, tok->flags };
    if ((rc = lzi_buf_append(&w->norms, tok->norm, tok->norm_len)) != LZ_OK)
        return rc;
    w->n++;
    return LZ_OK;
}

static int analyze(rewriter *r, const char *p, size_t len)
{
    r->w.n = 0;
    lzi_buf_clear(&r->w.norms);
    return lzi_analyze(r->a, p, len, collect, &r->w);
}

static int put_norm(rewriter *r, const qword *q)
{
    return lzi_buf_append(r->out, r->w.norms.ptr + q->norm_off, q->norm_len);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* ASCII letters and digits, and any byte of a multi-byte character. */
static int is_word_byte(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c & 0x80) != 0;
}

/* AND OR NOT XOR NEAR ADJ, and NEAR/n, ADJ/n: QueryParser's operators, upper case only. */
static int is_operator(const char *p, size_t n)
{
    static const struct {
        const char *name;
        int window;                 /* takes "/n" */
    } ops[] = {
        { "AND", 0 }, { "OR", 0 }, { "NOT", 0 }, { "XOR", 0 }, { "NEAR", 1 }, { "ADJ", 1 },
    };
    size_t i, k, j;

    for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        k = strlen(ops[i].name);
        if (n < k || memcmp(p, ops[i].name, k) != 0)
            continue;
        if (n == k)
            return 1;
        if (!ops[i].window || p[k] != '/' || n == k + 1)
            continue;
        for (j = k + 1; j < n && is_digit(p[j]); j++)
            ;
        return j == n;
    }
    return 0;
}

static void parse_piece(qpiece *pc, const char *p, size_t n)
{
    size_t k = 0, j, e, opens = 0, closes = 0;
    int star = 0;

    pc->p = p;
    pc->len = n;
    while (k < n && (p[k] == '(' || p[k] == '+' || p[k] == '-'))
        k++;
    pc->pre_len = k;
    pc->field_len = 0;
    if (k < n && p[k] >= 'a' && p[k] <= 'z') {     /* `title:`, `doc:` */
        for (j = k; j < n && ((p[j] >= 'a' && p[j] <= 'z') || is_digit(p[j]) || p[j] == '_'); j++)
            ;
        if (j < n && p[j] == ':')
            pc->field_len = j + 1 - k;
    }
    k += pc->field_len;
    for (j = k; j < n; j++) {
        opens += p[j] == '(';
        closes += p[j] == ')';
    }
    /* a ')' that an earlier '(' of the core opened belongs to it: `25(4)`, `20(1)(a)`; a '*'
     * is a wildcard only right after a word character (not in `**bold**`) */
    for (e = n; e > k; e--) {
        if (p[e - 1] == ')' && closes > opens)
            closes--;
        else if (p[e - 1] == '*' && !star && e - 1 > k && is_word_byte(p[e - 2]))
            star = 1;
        else
            break;
    }
    pc->core_off = k;
    pc->core_len = e - k;
    pc->suf_off = e;
}

/* Whether the bytes between two words join them into one identifier: `II-6`, `25(4)`,
 * `20(1)(a)`, `Para.71`, `2019/11`, U+2010 and U+2011 hyphens; nothing at all between
 * ideographs. */
static int joins(const char *gap, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (memchr("-./()", gap[i], 5) != NULL)
            continue;
        if (n - i >= 3 && memcmp(gap + i, "\xE2\x80", 2) == 0 &&
            (gap[i + 2] == '\x90' || gap[i + 2] == '\x91')) {
            i += 2;
            continue;
        }
        return 0;
    }
    return 1;
}

/* Index of the first word (not a joined extra) at or after i; w->n if none. */
static size_t next_word(const qwords *w, size_t i)
{
    while (i < w->n && (w->v[i].flags & LZI_TOKEN_JOINED))
        i++;
    return i;
}

/* Index of the last word of the identifier that starts with word i of piece p. */
static size_t run_last(const qwords *w, const char *p, size_t i)
{
    size_t k;

    for (k = next_word(w, i + 1); k < w->n; k = next_word(w, k + 1)) {
        if (!joins(p + w->v[i].end, w->v[k].start - w->v[i].end))
            break;
        i = k;
    }
    return i;
}

/* The joined token of a compound that spans exactly words first..last, or NULL. */
static const qword *compound_of(const qwords *w, size_t first, size_t last)
{
    size_t i;

    for (i = last + 1; i < w->n && (w->v[i].flags & LZI_TOKEN_JOINED); i++)
        if (w->v[i].start == w->v[first].start && w->v[i].end == w->v[last].end)
            return &w->v[i];
    return NULL;
}

/* Words first..last, separated by sep. */
static int put_words(rewriter *r, size_t first, size_t last, char sep)
{
    size_t i;
    int rc = LZ_OK;

    for (i = first; i <= last && rc == LZ_OK; i = next_word(&r->w, i + 1)) {
        if (i > first && (rc = lzi_buf_putc(r->out, sep)) != LZ_OK)
            break;
        rc = put_norm(r, &r->w.v[i]);
    }
    return rc;
}

/* The words of the piece analysed last, outside quotes: one word as it is; identifiers as
 * phrases (`"ii 6"`); a compound of letters as `(co-operation OR cooperation)`. */
static int put_runs(rewriter *r, const char *p)
{
    const qword *joined;
    size_t first, last;
    int rc = LZ_OK;

    for (first = next_word(&r->w, 0); first < r->w.n && rc == LZ_OK;
         first = next_word(&r->w, last + 1)) {
        last = run_last(&r->w, p, first);
        if (first > next_word(&r->w, 0) && (rc = lzi_buf_putc(r->out, ' ')) != LZ_OK)
            break;
        if (first == last) {
            rc = put_norm(r, &r->w.v[first]);
        } else if ((joined = compound_of(&r->w, first, last)) != NULL) {
            if ((rc = lzi_buf_putc(r->out, '(')) == LZ_OK &&
                (rc = put_words(r, first, last, '-')) == LZ_OK &&
                (rc = lzi_buf_puts(r->out, " OR ")) == LZ_OK &&
                (rc = put_norm(r, joined)) == LZ_OK)
                rc = lzi_buf_putc(r->out, ')');
        } else {
            if ((rc = lzi_buf_putc(r->out, '"')) == LZ_OK &&
                (rc = put_words(r, first, last, ' ')) == LZ_OK)
                rc = lzi_buf_putc(r->out, '"');
        }
    }
    return rc;
}

int lzi_is_reference_word(const char *word, size_t len)
{
    size_t i;

    if (len > 0 && word[len - 1] == '.')
        len--;
    for (i = 0; i < sizeof reference_words / sizeof reference_words[0]; i++)
        if (strlen(reference_words[i]) == len && strncasecmp(reference_words[i], word, len) == 0)
            return 1;
    return 0;
}

/* Whether the piece analysed last is a single reference word; returns it, or NULL. */
static const char *reference_word(const rewriter *r)
{
    const qword *q;
    size_t i;

    if (r->w.n != 1)
        return NULL;
    q = &r->w.v[0];                 /* v is NULL when the piece had no word */
    for (i = 0; i < sizeof reference_words / sizeof reference_words[0]; i++)
        if (strlen(reference_words[i]) == q->norm_len &&
            memcmp(reference_words[i], r->w.norms.ptr + q->norm_off, q->norm_len) == 0)
            return reference_words[i];
    return NULL;
}

/* After a reference word, try the next piece, m[at..]: if it is a number or an identifier
 * with a digit (`25(4)`, `129`, `II-6`), write `"ref w1 w2..."` and the brackets it closes, and
 * set *resume past it. Otherwise write nothing and leave *resume alone. */
static int put_reference(rewriter *r, const char *ref, const char *m, size_t m_len, size_t at,
                         size_t *resume)
{
    size_t e, i, first, last;
    qpiece pc;
    int rc, digit = 0;

    while (at < m_len && is_blank(m[at]))
        at++;
    for (e = at; e < m_len && !is_blank(m[e]) && m[e] != '"'; e++)
        ;
    if (e == at || is_operator(m + at, e - at))
        return LZ_OK;                       /* a quote, the end, or an operator comes next */
    parse_piece(&pc, m + at, e - at);
    if (pc.pre_len > 0 || pc.field_len > 0 ||
        memchr(pc.p + pc.suf_off, '*', pc.len - pc.suf_off) != NULL)
        return LZ_OK;
    if ((rc = analyze(r, pc.p + pc.core_off, pc.core_len)) != LZ_OK)
        return rc;
    if ((first = next_word(&r->w, 0)) == r->w.n)
        return LZ_OK;
    last = run_last(&r->w, pc.p + pc.core_off, first);
    if (next_word(&r->w, last + 1) < r->w.n)
        return LZ_OK;                       /* more than one identifier */
    for (i = first; i <= last; i = next_word(&r->w, i + 1))
        digit |= is_digit(r->w.norms.ptr[r->w.v[i].norm_off]);
    if (!digit)
        return LZ_OK;                       /* `Chapter IV`, `Recommendation on`: no phrase */
    if ((rc = lzi_buf_putc(r->out, '"')) != LZ_OK || (rc = lzi_buf_puts(r->out, ref)) != LZ_OK ||
        (rc = lzi_buf_putc(r->out, ' ')) != LZ_OK ||
        (rc = put_words(r, first, last, ' ')) != LZ_OK ||
        (rc = lzi_buf_putc(r->out, '"')) != LZ_OK ||
        (rc = lzi_buf_append(r->out, pc.p + pc.suf_off, pc.len - pc.suf_off)) != LZ_OK)
        return rc;
    *resume = e;
    return LZ_OK;
}

/* One piece outside quotes, m[i..j). It may take the next piece along (a reference number);
 * *resume is where the scan goes on. */
static int put_piece(rewriter *r, const char *m, size_t m_len, size_t i, size_t j, size_t *resume)
{
    const char *ref;
    qpiece pc;
    int rc;

    *resume = j;
    if (is_operator(m + i, j - i))
        return lzi_buf_append(r->out, m + i, j - i);
    parse_piece(&pc, m + i, j - i);
    if ((rc = lzi_buf_append(r->out, pc.p, pc.pre_len + pc.field_len)) != LZ_OK)
        return rc;
    if (pc.field_len > 0) {
        /* a field's value is normalized as one word: a boolean filter term (`doc:x-y-z`)
         * must reach QueryParser whole */
        rc = lzi_normalize(r->out, pc.p + pc.core_off, pc.core_len);
    } else if ((rc = analyze(r, pc.p + pc.core_off, pc.core_len)) == LZ_OK) {
        if ((ref = reference_word(r)) != NULL && pc.suf_off == pc.len) {
            if ((rc = put_reference(r, ref, m, m_len, j, resume)) != LZ_OK || *resume != j)
                return rc;
            return lzi_buf_puts(r->out, ref);
        }
        rc = put_runs(r, pc.p + pc.core_off);
    }
    if (rc != LZ_OK)
        return rc;
    return lzi_buf_append(r->out, pc.p + pc.suf_off, pc.len - pc.suf_off);
}

/* One piece inside quotes: its words only, normalized, one space apart. */
static int put_quoted(rewriter *r, const char *p, size_t n)
{
    size_t first;
    int rc;

    if ((rc = analyze(r, p, n)) != LZ_OK || (first = next_word(&r->w, 0)) == r->w.n)
        return rc;
    return put_words(r, first, r->w.n - 1, ' ');
}

/* Copy q to m with the typographic double quotes U+201C-U+201F (“ ” „ ‟) as '"'. */
static int map_quotes(lzi_buf *m, const char *q, size_t len)
{
    const unsigned char *s = (const unsigned char *)q;
    size_t i, run = 0;
    int rc;

    for (i = 0; i + 2 < len; i++) {
        if (s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] >= 0x9C && s[i + 2] <= 0x9F) {
            if ((rc = lzi_buf_append(m, q + run, i - run)) != LZ_OK ||
                (rc = lzi_buf_putc(m, '"')) != LZ_OK)
                return rc;
            i += 2;
            run = i + 1;
        }
    }
    return lzi_buf_append(m, q + run, len - run);
}

int lzi_query_normalize(lzi_analyzer *a, const char *q, size_t len, lzi_buf *out)
{
    rewriter r = { a, out, { NULL, 0, 0, LZI_BUF_INIT } };
    lzi_buf m = LZI_BUF_INIT;
    size_t begin = out->len, i = 0, j, mark, body, bad;
    int in_quote = 0, space = 0;
    int rc;

    if ((bad = lzi_utf8_invalid(q, len)) != LZI_NPOS)
        return lzi_error_set(LZ_EINPUT, "query: invalid UTF-8 at byte %zu", bad);
    if ((rc = lzi_buf_reserve(out, 0)) != LZ_OK || (rc = map_quotes(&m, q, len)) != LZ_OK)
        goto done;
    /* Pieces are cut at white space and at '"'; white space between two pieces that write
     * something becomes one space, and none is added where there was none (`title:"x y"`). */
    while (i < m.len) {
        if (is_blank(m.ptr[i])) {
            space = 1;
            i++;
            continue;
        }
        mark = out->len;
        if (space && mark > begin && (rc = lzi_buf_putc(out, ' ')) != LZ_OK)
            goto done;
        body = out->len;
        if (m.ptr[i] == '"') {
            in_quote = !in_quote;           /* unbalanced: QueryParser closes the phrase */
            rc = lzi_buf_putc(out, '"');
            j = i + 1;
        } else {
            for (j = i; j < m.len && !is_blank(m.ptr[j]) && m.ptr[j] != '"'; j++)
                ;
            if (in_quote)
                rc = put_quoted(&r, m.ptr + i, j - i);
            else                            /* may move j past the next piece too */
                rc = put_piece(&r, m.ptr, m.len, i, j, &j);
        }
        if (rc != LZ_OK)
            goto done;
        if (out->len == body) {             /* nothing written: no space either */
            out->len = mark;
            out->ptr[mark] = '\0';
        } else {
            space = 0;
        }
        i = j;
    }
done:
    if (rc != LZ_OK && out->ptr != NULL) {  /* all or nothing */
        out->len = begin;
        out->ptr[begin] = '\0';
    }
    lzi_buf_dispose(&m);
    lzi_buf_dispose(&r.w.norms);
    lzi_free(r.w.v);
    return rc;
}

/* --- Stopwords outside phrases ---------------------------------------------------------------- */

/* Words that, right after "how", ask for a quantity and say nothing of the subject:
 * "how many Parties", "how long ... keep data". */
static const char *const how_words[] = { "far", "long", "many", "much", "often" };

/* A piece of a normalized query (between white space and '"'), for lzi_query_drop_stopwords. */
typedef struct spiece {
    size_t off, len;
    int plain;                      /* outside quotes, letters, digits, apostrophes only */
    int drop;
} spiece;

static int is_bare(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!(is_word_byte(p[i]) && !(p[i] >= 'A' && p[i] <= 'Z')) && p[i] != '\'')
            return 0;
    return n > 0;
}

static int is_how_word(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < sizeof how_words / sizeof how_words[0]; i++)
        if (strlen(how_words[i]) == n && memcmp(how_words[i], p, n) == 0)
            return 1;
    return 0;
}

int lzi_query_asks_count(const char *nq, size_t len)
{
    size_t i = 0, j, prev_off = 0, prev_len = 0;
    int in_quote = 0;

    while (i < len) {
        if (is_blank(nq[i])) {
            i++;
            continue;
        }
        if (nq[i] == '"') {
            in_quote = !in_quote;
            prev_len = 0;
            i++;
            continue;
        }
        for (j = i; j < len && !is_blank(nq[j]) && nq[j] != '"'; j++)
            ;
        if (!in_quote && prev_len == 3 && memcmp(nq + prev_off, "how", 3) == 0 && j - i == 4 &&
            (memcmp(nq + i, "many", 4) == 0 || memcmp(nq + i, "much", 4) == 0))
            return 1;
        prev_off = i;
        prev_len = in_quote ? 0 : j - i;
        i = j;
    }
    return 0;
}

int lzi_query_drop_stopwords(const char *nq, size_t len, const lzi_stoplist *stop, lzi_buf *out)
{
    spiece *v = NULL;
    size_t n = 0, cap = 0, i = 0, j, k, kept = 0, begin = out->len;
    int in_quote = 0, rc = LZ_OK;

    while (i < len) {
        if (is_blank(nq[i])) {
            i++;
            continue;
        }
        if (n == cap) {
            spiece *grown;
            cap = cap ? 2 * cap : 16;
            if (cap > SIZE_MAX / sizeof *v || (grown = lzi_realloc(v, cap * sizeof *v)) == NULL) {
                rc = lzi_error_set(LZ_ENOMEM, "out of memory (query words)");
                goto done;
            }
            v = grown;
        }
        if (nq[i] == '"') {
            in_quote = !in_quote;
            v[n++] = (spiece){ i, 1, 0, 0 };
            i++;
            continue;
        }
        for (j = i; j < len && !is_blank(nq[j]) && nq[j] != '"'; j++)
            ;
        v[n++] = (spiece){ i, j - i, !in_quote && is_bare(nq + i, j - i), 0 };
        i = j;
    }
    for (k = 0; k < n; k++) {
        const spiece *prev = k > 0 ? &v[k - 1] : NULL, *next = k + 1 < n ? &v[k + 1] : NULL;
        if (!v[k].plain || (prev != NULL && is_operator(nq + prev->off, prev->len)) ||
            (next != NULL && is_operator(nq + next->off, next->len)))
            continue;
        v[k].drop = lzi_stoplist_has(stop, nq + v[k].off, v[k].len) ||
                    (prev != NULL && prev->plain && prev->len == 3 &&
                     memcmp(nq + prev->off, "how", 3) == 0 && is_how_word(nq + v[k].off, v[k].len));
    }
    for (k = 0; k < n; k++)         /* a word, a phrase or a filter left to search for? */
        kept += !v[k].drop && !is_operator(nq + v[k].off, v[k].len);
    if ((rc = lzi_buf_reserve(out, len)) != LZ_OK)
        goto done;
    for (k = 0; k < n; k++) {
        if (v[k].drop && kept > 0)
            continue;
        /* one space between pieces, none inside a phrase's quotes nor after a field name */
        if (out->len > begin && is_blank(nq[v[k].off - 1]) &&
            (rc = lzi_buf_putc(out, ' ')) != LZ_OK)
            goto done;
        if ((rc = lzi_buf_append(out, nq + v[k].off, v[k].len)) != LZ_OK)
            goto done;
    }
done:
    if (rc != LZ_OK && out->ptr != NULL) {      /* all or nothing */
        out->len = begin;
        out->ptr[begin] = '\0';
    }
    lzi_free(v);
    return rc;
}
