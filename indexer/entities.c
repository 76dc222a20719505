/* Entity extraction over a parsed document (lz_parse.h -> lz_entities.h): recommendation
 * numbers, Convention articles, report paragraphs and countries found in a passage and in the
 * footnotes it cites; the Committee's verb ("requires", "requests", "invites"), the countries
 * it addresses and the chapter from the section path. The indexer turns the result into filter
 * terms and facets. One pass over each text, bounded look-around: linear in the document. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_entities.h"

/* A range ("Recommendations VI-1 to VI-3", "Articles 18 to 29", "paragraphs 3-6") is expanded
 * when its ends are at most this far apart; a wider one is no range the reports write, and only
 * its two ends are taken. */
#define LZI_RANGE_MAX 50
/* Digits of a recommendation's number (the highest is III-32), an article's number (the
 * Convention has 50) and a report paragraph's number (the reports have a few hundred). */
#define LZI_REC_DIGITS_MAX 3
#define LZI_ARTICLE_DIGITS_MAX 3
#define LZI_PARA_DIGITS_MAX 5
/* Roman numerals (recommendation numbers, chapters) are I..XXXIX, letters I, V, X: at most this
 * many ("XXXVIII"). */
#define LZI_ROMAN_LEN_MAX 7
/* Subdivisions of one article reference, "20(1)(a)" has two; further ones end the reference.
 * A subdivision holds at most LZI_SUB_LEN_MAX bytes: "1", "a", "iv", "a-c". */
#define LZI_ARTICLE_SUBS_MAX 4
#define LZI_SUB_LEN_MAX 4
/* The addressees of a verb are looked for in this many bytes after it ("requests Liechtenstein
 * and San Marino to", "invites all Parties, including Bulgaria:"); the longest in the corpus,
 * a list of eleven countries, takes 140. Bounds the work per verb on any input. */
#define LZI_OBJECT_WINDOW 600
/* Words looked at before a verb for its subject, over adverbs ("The Committee therefore also
 * invites"), and the longest word that can be one of them. */
#define LZI_SUBJECT_WORDS 4
#define LZI_SUBJECT_WORD_MAX 16

#define NONE ((size_t)-1)

/* ---- characters and words --------------------------------------------------------------- */

static int is_alpha(unsigned char b)
{
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

static int is_digit(unsigned char b)
{
    return b >= '0' && b <= '9';
}

static int is_lower(unsigned char b)
{
    return b >= 'a' && b <= 'z';
}

/* Length in bytes of the letter or digit at t[0, len), or 0: ASCII, and the two-byte UTF-8
 * letters from U+00C0 (as in indexer/countries.c). Dashes, quotes, NBSP and superscripts are
 * no word characters. */
static size_t word_char_len(const char *t, size_t len)
{
    unsigned char b;

    if (len == 0)
        return 0;
    b = (unsigned char)t[0];
    if (is_alpha(b) || is_digit(b))
        return 1;
    if (b >= 0xC3 && b <= 0xDF && len >= 2 && ((unsigned char)t[1] & 0xC0) == 0x80)
        return 2;
    return 0;
}

static int word_char_at(const char *t, size_t len, size_t i)
{
    return i < len && word_char_len(t + i, len - i) > 0;
}

/* End of the word that starts at t[i]. */
static size_t word_end(const char *t, size_t len, size_t i)
{
    size_t n;

    while (i < len && (n = word_char_len(t + i, len - i)) > 0)
        i += n;
    return i;
}

/* Is t[i, j) the word w? */
static int word_is(const char *t, size_t i, size_t j, const char *w)
{
    size_t n = strlen(w);
    return j - i == n && memcmp(t + i, w, n) == 0;
}

/* Is the word w at t[i], followed by no word character? Returns the end, or 0. */
static size_t word_at(const char *t, size_t len, size_t i, const char *w)
{
    size_t n = strlen(w);

    if (i > len || n > len - i || memcmp(t + i, w, n) != 0 || word_char_at(t, len, i + n))
        return 0;
    return i + n;
}

/* Skip spaces (and NBSP, U+00A0) from t[i]. */
static size_t skip_spaces(const char *t, size_t len, size_t i)
{
    for (;;) {
        if (i < len && t[i] == ' ')
            i++;
        else if (i + 1 < len && (unsigned char)t[i] == 0xC2 && (unsigned char)t[i + 1] == 0xA0)
            i += 2;
        else
            return i;
    }
}

/* A hyphen or dash joining the parts of "IV-6" or a range "18-29": '-', U+2010, U+2011,
 * U+2013. Returns its length in bytes, or 0. */
static size_t dash_at(const char *t, size_t len, size_t i)
{
    if (i < len && t[i] == '-')
        return 1;
    if (i + 2 < len && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
        ((unsigned char)t[i + 2] == 0x90 || (unsigned char)t[i + 2] == 0x91 ||
         (unsigned char)t[i + 2] == 0x93))
        return 3;
    return 0;
}

/* Read 1..max digits at t[*i] (not followed by another digit or a letter) into *v; moves *i. */
static int read_number(const char *t, size_t len, size_t *i, size_t max, unsigned *v)
{
    size_t k = *i;
    unsigned n = 0;

    while (k < len && is_digit((unsigned char)t[k]) && k - *i < max)
        n = n * 10 + (unsigned)(t[k++] - '0');
    if (k == *i || word_char_at(t, len, k) || n == 0)
        return 0;
    *i = k;
    *v = n;
    return 1;
}

/* After a list element: ", ", " and ", ", and ", " & " (spaces optional before a comma, as in
 * "Finland , Georgia"). Returns the position after it, or NONE when none is there. */
static size_t list_sep(const char *t, size_t len, size_t i)
{
    size_t k = skip_spaces(t, len, i), e;
    int any = 0;

    if (k < len && t[k] == ',') {
        k = skip_spaces(t, len, k + 1);
        any = 1;
    }
    if ((e = word_at(t, len, k, "and")) != 0 || (k < len && t[k] == '&' && (e = k + 1) != 0)) {
        if (e == len || t[e] != ' ')
            return NONE;
        k = skip_spaces(t, len, e);
        any = 1;
    }
    return any ? k : NONE;
}

/* After a range's first element: " to ", "-" or a dash. Returns the position after it or NONE. */
static size_t range_sep(const char *t, size_t len, size_t i)
{
    size_t k = skip_spaces(t, len, i), d, e;

    if ((e = word_at(t, len, k, "to")) != 0 && e < len && t[e] == ' ')
        return skip_spaces(t, len, e);
    if ((d = dash_at(t, len, i)) != 0)      /* "18-29": no space before */
        return i + d;
    if (k > i && (d = dash_at(t, len, k)) != 0 && d == 3)
        return skip_spaces(t, len, k + d);  /* "18 – 29" */
    return NONE;
}

/* ---- roman numerals ----------------------------------------------------------------------- */

/* Write the roman numeral of v (1..39) into out (LZI_ROMAN_LEN_MAX + 1 bytes). */
static void roman_write(char *out, unsigned v)
{
    static const char *const ones[] = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII",
                                       "IX"};
    unsigned k;

    out[0] = '\0';
    for (k = 0; k < v / 10; k++)
        strcat(out, "X");
    strcat(out, ones[v % 10]);
}

/* Value of the roman numeral t[0, n) written with I, V, X in one case, canonical (so "IIII" or
 * "VX" are not numerals), or 0. */
static unsigned roman_value(const char *t, size_t n)
{
    char up[LZI_ROMAN_LEN_MAX + 1], canon[LZI_ROMAN_LEN_MAX + 1];
    int lower = is_lower((unsigned char)t[0]);
    unsigned v = 0, prev = 0;
    size_t i;

    if (n == 0 || n > LZI_ROMAN_LEN_MAX)
        return 0;
    for (i = n; i-- > 0;) {             /* right to left: a smaller digit before subtracts */
        char c = t[i];
        unsigned d;
        if (is_lower((unsigned char)c) != lower)
            return 0;                   /* "Iv": not one case */
        c = (char)(lower ? c - ('a' - 'A') : c);
        up[i] = c;
        d = c == 'I' ? 1 : c == 'V' ? 5 : c == 'X' ? 10 : 0;
        if (d == 0)
            return 0;
        v = d < prev ? v - d : v + d;   /* may wrap around: rejected below */
        prev = d > prev ? d : prev;
    }
    if (v == 0 || v >= 40)
        return 0;
    up[n] = '\0';
    roman_write(canon, v);
    return strcmp(up, canon) == 0 ? v : 0;
}

/* ---- an ordered set of byte strings ----------------------------------------------------- */

/* Keys in order of first insertion, each once; a hash table (open addressing, linear probing)
 * makes an insertion O(key length). Cleared between passages without giving memory back. */
typedef struct bag {
    lzi_buf bytes;              /* the keys back to back, each followed by a NUL */
    size_t *off;                /* key i is bytes.ptr + off[i] */
    size_t *slot;               /* the slot key i sits in */
    size_t n, cap;
    size_t *slots;              /* 0: empty, else key index + 1 */
    size_t n_slots;             /* a power of two, or 0 */
} bag;

#define BAG_INIT { LZI_BUF_INIT, NULL, NULL, 0, 0, NULL, 0 }

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037u;    /* FNV-1a */
    size_t i;

    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static size_t key_len(const bag *b, size_t k)
{
    return (k + 1 < b->n ? b->off[k + 1] : b->bytes.len) - b->off[k] - 1;
}

/* Slot for key s[0, n): where it sits, or the empty slot where it would go. */
static size_t bag_find(const bag *b, const char *s, size_t n)
{
    size_t mask = b->n_slots - 1, at = (size_t)hash_bytes(s, n) & mask;

    while (b->slots[at] != 0) {
        size_t k = b->slots[at] - 1;
        if (key_len(b, k) == n && memcmp(b->bytes.ptr + b->off[k], s, n) == 0)
            return at;
        at = (at + 1) & mask;
    }
    return at;
}

/* Double the table (or make the first one) and put every key back. */
static int bag_rehash(bag *b)
{
    size_t want = b->n_slots ? b->n_slots * 2 : 16, k;
    size_t *fresh;

    if (want > SIZE_MAX / sizeof *fresh)
        return lzi_error_set(LZ_ENOMEM, "entities: out of memory (table of %zu slots)", want);
    if ((fresh = lzi_calloc(want, sizeof *fresh)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "entities: out of memory (table of %zu slots)", want);
    lzi_free(b->slots);
    b->slots = fresh;
    b->n_slots = want;
    for (k = 0; k < b->n; k++) {
        size_t at = bag_find(b, b->bytes.ptr + b->off[k], key_len(b, k));
        b->slots[at] = k + 1;
        b->slot[k] = at;
    }
    return LZ_OK;
}

/* Add the key s[0, n) unless it is there: 1 if added, 0 if it was there, LZ_ENOMEM. */
static int bag_add(bag *b, const char *s, size_t n)
{
    size_t at;
    int rc;

    if ((b->n + 1) * 2 > b->n_slots && (rc = bag_rehash(b)) < 0)
        return rc;
    at = bag_find(b, s, n);
    if (b->slots[at] != 0)
        return 0;
    if (b->n == b->cap) {
        size_t want = b->cap ? b->cap * 2 : 16;
        size_t *off, *slot;
        if (want > SIZE_MAX / sizeof *off)
            return lzi_error_set(LZ_ENOMEM, "entities: out of memory (%zu keys)", want);
        if ((off = lzi_realloc(b->off, want * sizeof *off)) == NULL)
            return lzi_error_set(LZ_ENOMEM, "entities: out of memory (%zu keys)", want);
        b->off = off;
        if ((slot = lzi_realloc(b->slot, want * sizeof *slot)) == NULL)
            return lzi_error_set(LZ_ENOMEM, "entities: out of memory (%zu keys)", want);
        b->slot = slot;
        b->cap = want;
    }
    b->off[b->n] = b->bytes.len;
    if ((rc = lzi_buf_append(&b->bytes, s, n)) < 0 || (rc = lzi_buf_putc(&b->bytes, '\0')) < 0) {
        b->bytes.len = b->off[b->n];    /* the key was not added */
        return rc;
    }
    b->slot[b->n] = at;
    b->slots[at] = ++b->n;
    return 1;
}

static int bag_add_str(bag *b, const char *s)
{
    return bag_add(b, s, strlen(s));
}

static const char *bag_key(const bag *b, size_t k)
{
    return b->bytes.ptr + b->off[k];
}

/* Forget every key: O(keys), not O(table). */
static void bag_clear(bag *b)
{
    size_t k;

    for (k = 0; k < b->n; k++)
        b->slots[b->slot[k]] = 0;
    b->n = 0;
    lzi_buf_clear(&b->bytes);
}

static void bag_dispose(bag *b)
{
    lzi_buf_dispose(&b->bytes);
    lzi_free(b->off);
    lzi_free(b->slot);
    lzi_free(b->slots);
    *b = (bag)BAG_INIT;
}

/* The keys as one allocation: n pointers followed by the strings they point to. NULL and 0 for
 * no keys. */
static int bag_strings(char ***out, size_t *n_out, const bag *b)
{
    size_t head, k;
    char **v, *bytes;

    *out = NULL;
    *n_out = 0;
    if (b->n == 0)
        return LZ_OK;
    if (b->n > SIZE_MAX / sizeof(char *) ||
        b->bytes.len > SIZE_MAX - (head = b->n * sizeof(char *)))
        return lzi_error_set(LZ_ENOMEM, "entities: out of memory (%zu strings)", b->n);
    if ((v = lzi_malloc(head + b->bytes.len)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "entities: out of memory (%zu strings)", b->n);
    bytes = (char *)v + head;
    memcpy(bytes, b->bytes.ptr, b->bytes.len);
    for (k = 0; k < b->n; k++)
        v[k] = bytes + b->off[k];
    *out = v;
    *n_out = b->n;
    return LZ_OK;
}

/* ---- one passage ------------------------------------------------------------------------ */

typedef struct scan {
    bag recs, articles, paras, countries, addressed;
    bag notes;                  /* footnote numbers already read for this passage */
    lzi_buf refs;               /* article references of one list, NUL-separated, pending */
    size_t n_refs;
    lzi_level level;            /* the strongest of the passage's own verbs */
    int conditional;            /* a verb addresses "those Parties"/"Parties that ..." */
} scan;

#define SCAN_INIT { BAG_INIT, BAG_INIT, BAG_INIT, BAG_INIT, BAG_INIT, BAG_INIT, LZI_BUF_INIT, 0, \
                    LZI_LEVEL_NONE, 0 }

static void scan_clear(scan *s)
{
    bag_clear(&s->recs);
    bag_clear(&s->articles);
    bag_clear(&s->paras);
    bag_clear(&s->countries);
    bag_clear(&s->addressed);
    bag_clear(&s->notes);
    s->level = LZI_LEVEL_NONE;
    s->conditional = 0;
}

static void scan_dispose(scan *s)
{
    bag_dispose(&s->recs);
    bag_dispose(&s->articles);
    bag_dispose(&s->paras);
    bag_dispose(&s->countries);
    bag_dispose(&s->addressed);
    bag_dispose(&s->notes);
    lzi_buf_dispose(&s->refs);
}

/* The lists a scan found, into e (its recs, articles, countries, addressed and paras). */
static int scan_lists(const scan *s, lzi_entities *e)
{
    size_t k;
    int rc;

    if ((rc = bag_strings(&e->recs, &e->n_recs, &s->recs)) < 0 ||
        (rc = bag_strings(&e->articles, &e->n_articles, &s->articles)) < 0 ||
        (rc = bag_strings(&e->countries, &e->n_countries, &s->countries)) < 0 ||
        (rc = bag_strings(&e->addressed, &e->n_addressed, &s->addressed)) < 0)
        return rc;
    if (s->paras.n > 0) {
        if ((e->paras = lzi_malloc(s->paras.n * sizeof *e->paras)) == NULL)
            return lzi_error_set(LZ_ENOMEM, "entities: out of memory (%zu paragraphs)",
                                 s->paras.n);
        for (k = 0; k < s->paras.n; k++)
            e->paras[k] = (unsigned)strtoul(bag_key(&s->paras, k), NULL, 10);
        e->n_paras = s->paras.n;
    }
    return LZ_OK;
}

static int add_number(bag *b, unsigned v)
{
    char key[16];
    int n = snprintf(key, sizeof key, "%u", v);
    return bag_add(b, key, (size_t)n);
}

/* ---- recommendation numbers ------------------------------------------------------------- */

/* A recommendation number at t[*i]: roman numeral, dash, number ("IV-6", "iv-6"), followed by
 * no word character. Moves *i past it. */
static int read_rec(const char *t, size_t len, size_t *i, unsigned *roman, unsigned *num)
{
    size_t k = *i, d;

    while (k < len && k - *i <= LZI_ROMAN_LEN_MAX && t[k] != '\0' && strchr("IVXivx", t[k]))
        k++;
    if ((*roman = roman_value(t + *i, k - *i)) == 0 || (d = dash_at(t, len, k)) == 0)
        return 0;
    k += d;
    if (!read_number(t, len, &k, LZI_REC_DIGITS_MAX, num))
        return 0;
    *i = k;
    return 1;
}

static int add_rec(scan *s, unsigned roman, unsigned num)
{
    char key[LZI_ROMAN_LEN_MAX * 2 + 16];
    int rc;

    roman_write(key, roman);
    snprintf(key + strlen(key), sizeof key - strlen(key), "-%u", num);
    rc = bag_add_str(&s->recs, key);
    return rc < 0 ? rc : LZ_OK;
}

/* "Recommendation II-6", "Recommendations VI-1 to VI-3", "recommendations II-8 and II-9",
 * "Recommendations V-4, V-7, V-12, V-15" at t[i] (the word starts there). Returns the position
 * after the list (0 when there is none) or a negative status. */
static long parse_recs(scan *s, const char *t, size_t len, size_t i)
{
    size_t e = word_end(t, len, i), k, n;
    unsigned roman, num, roman2, num2, v;
    int rc;

    if (!(word_is(t, i, e, "Recommendation") || word_is(t, i, e, "Recommendations") ||
          word_is(t, i, e, "recommendation") || word_is(t, i, e, "recommendations")))
        return 0;
    k = skip_spaces(t, len, e);
    if (k == e || !read_rec(t, len, &k, &roman, &num))
        return 0;
    if ((rc = add_rec(s, roman, num)) < 0)
        return rc;
    for (;;) {
        if ((n = range_sep(t, len, k)) != NONE) {
            size_t m = n;
            if (read_rec(t, len, &m, &roman2, &num2)) {
                ;                           /* "VI-1 to VI-3" */
            } else if (read_number(t, len, &m, LZI_REC_DIGITS_MAX, &num2)) {
                roman2 = roman;             /* "VI-1 to 3" */
            } else {
                break;
            }
            if (roman2 == roman && num2 > num && num2 - num <= LZI_RANGE_MAX) {
                for (v = num + 1; v <= num2; v++) {
                    if ((rc = add_rec(s, roman, v)) < 0)
                        return rc;
                }
            } else if ((rc = add_rec(s, roman2, num2)) < 0) {
                return rc;
            }
            roman = roman2;
            num = num2;
            k = m;
        } else if ((n = list_sep(t, len, k)) != NONE && read_rec(t, len, &n, &roman, &num)) {
            if ((rc = add_rec(s, roman, num)) < 0)
                return rc;
            k = n;
        } else {
            break;
        }
    }
    return (long)k;
}

/* ---- Convention articles ---------------------------------------------------------------- */

/* One article reference: the number and its subdivisions, "20", "1", "a" for "20(1)(a)". */
typedef struct article_ref {
    unsigned num;
    char sub[LZI_ARTICLE_SUBS_MAX][LZI_SUB_LEN_MAX + 1];
    size_t n_sub;
} article_ref;

/* A subdivision "(1)", "(a)", "(iv)", "(a-c)" at t[*i] (one space before it allowed after a
 * number or subdivision: "25(1) (a-c)"): its content into sub. Moves *i. */
static int read_sub(const char *t, size_t len, size_t *i, char *sub)
{
    size_t k = *i, j, n;

    if (k < len && t[k] == ' ')
        k++;
    if (k >= len || t[k] != '(')
        return 0;
    for (j = k + 1; j < len && t[j] != ')' && j - k - 1 <= LZI_SUB_LEN_MAX; j++)
        ;
    n = j - k - 1;
    if (j >= len || t[j] != ')' || n == 0 || n > LZI_SUB_LEN_MAX)
        return 0;
    if (n == 3 && is_lower((unsigned char)t[k + 1]) && t[k + 2] == '-' &&
        is_lower((unsigned char)t[k + 3])) {
        ;                               /* a letter range, "a-c" */
    } else {
        size_t m;
        int digits = 1, letters = 1;
        for (m = k + 1; m < j; m++) {
            digits &= is_digit((unsigned char)t[m]);
            letters &= is_lower((unsigned char)t[m]);
        }
        if (!(digits && n <= 3) && !(letters && n <= 3))
            return 0;                   /* "(sexual abuse)", "(EU)", "(2019)" */
    }
    memcpy(sub, t + k + 1, n);
    sub[n] = '\0';
    *i = j + 1;
    return 1;
}

/* The subdivisions following a number at t[*i], including the extraction forms "20(1),f." and
 * "21(1) c." (a lone letter and a full stop after a parenthesised subdivision) and the dotted
 * paragraph "11.1" (-> "11(1)"; "11.1.2" is left alone). Moves *i. */
static void read_subs(const char *t, size_t len, size_t *i, article_ref *r)
{
    size_t k = *i;
    unsigned v;

    if (r->n_sub == 0 && k + 1 < len && t[k] == '.' && is_digit((unsigned char)t[k + 1])) {
        size_t from = ++k;              /* at most 2 digits: they fit a subdivision */
        if (read_number(t, len, &k, 2, &v) && !(k + 1 < len && t[k] == '.' &&
                                                is_digit((unsigned char)t[k + 1]))) {
            if (k - from == 2 && t[from] == '0')
                from++;                 /* "11.01" -> "11(1)" */
            memcpy(r->sub[0], t + from, k - from);
            r->sub[0][k - from] = '\0';
            r->n_sub = 1;
            *i = k;
        }
        return;
    }
    while (r->n_sub < LZI_ARTICLE_SUBS_MAX && read_sub(t, len, i, r->sub[r->n_sub]))
        r->n_sub++;
    if (r->n_sub == 0 || r->n_sub == LZI_ARTICLE_SUBS_MAX)
        return;
    k = *i;
    if (k < len && t[k] == ',')
        k++;
    if (k < len && t[k] == ' ')
        k++;
    if (k > *i && k + 1 < len && is_lower((unsigned char)t[k]) && t[k + 1] == '.' &&
        !word_char_at(t, len, k + 2)) {
        r->sub[r->n_sub][0] = t[k];
        r->sub[r->n_sub][1] = '\0';
        r->n_sub++;
        *i = k + 1;
    }
}

/* Append the canonical forms of r to s->refs ("20(1)(a)"), a letter range "(a-c)" in its last
 * subdivision expanded to (a), (b), (c). */
static int push_ref(scan *s, const article_ref *r)
{
    const char *last = r->n_sub ? r->sub[r->n_sub - 1] : "";
    char lo = 0, hi = 0, c;
    size_t k;
    int rc;

    if (strlen(last) == 3 && last[1] == '-' && last[0] <= last[2]) {
        lo = last[0];
        hi = last[2];
    }
    for (c = lo;; c++) {
        if ((rc = lzi_buf_printf(&s->refs, "%u", r->num)) < 0)
            return rc;
        for (k = 0; k < r->n_sub; k++) {
            if (k + 1 == r->n_sub && lo != 0)
                rc = lzi_buf_printf(&s->refs, "(%c)", c);
            else
                rc = lzi_buf_printf(&s->refs, "(%s)", r->sub[k]);
            if (rc < 0)
                return rc;
        }
        if ((rc = lzi_buf_putc(&s->refs, '\0')) < 0)
            return rc;
        s->n_refs++;
        if (lo == 0 || c == hi)
            return LZ_OK;
    }
}

/* Does the reference list ending at t[i] belong to an instrument other than the Convention:
 * "Article 9 Budapest Convention", "Articles 3 to 6 of the Criminal Code", "Article 34 of the
 * UNCRC"? A capitalised word after an optional "of (the)" that is not the Convention's. */
static int other_instrument(const char *t, size_t len, size_t i)
{
    static const char *const ours[] = {"Lanzarote", "Convention", "Explanatory", "Council"};
    size_t k = skip_spaces(t, len, i), e, m;

    if ((e = word_at(t, len, k, "of")) != 0)
        k = skip_spaces(t, len, e);
    if ((e = word_at(t, len, k, "the")) != 0 || (e = word_at(t, len, k, "its")) != 0)
        k = skip_spaces(t, len, e);
    if (k >= len || t[k] < 'A' || t[k] > 'Z')
        return 0;
    e = word_end(t, len, k);
    for (m = 0; m < sizeof ours / sizeof ours[0]; m++) {
        if (word_is(t, k, e, ours[m]))
            return 0;
    }
    return 1;
}

/* "Article 25(4)", "Articles 18 to 29", "Articles 5, 6 and 8", "Article 25(1)(d), (e) and
 * 25(4)", "Art. 25(2)" at t[i]. Returns the position after the list (0: none), or a status. */
static long parse_articles(scan *s, const char *t, size_t len, size_t i)
{
    size_t e = word_end(t, len, i), k, n, j;
    article_ref r, next;
    const char *p;
    int rc;

    if (word_is(t, i, e, "Article") || word_is(t, i, e, "Articles") ||
        word_is(t, i, e, "article") || word_is(t, i, e, "articles")) {
        k = skip_spaces(t, len, e);
        if (k == e)
            return 0;
    } else if ((word_is(t, i, e, "Art") || word_is(t, i, e, "Arts") || word_is(t, i, e, "art") ||
                word_is(t, i, e, "arts")) && e < len && t[e] == '.') {
        k = skip_spaces(t, len, e + 1);
    } else {
        return 0;
    }
    memset(&r, 0, sizeof r);
    if (!read_number(t, len, &k, LZI_ARTICLE_DIGITS_MAX, &r.num))
        return 0;
    lzi_buf_clear(&s->refs);
    s->n_refs = 0;
    read_subs(t, len, &k, &r);
    if ((rc = push_ref(s, &r)) < 0)
        return rc;
    for (;;) {
        memset(&next, 0, sizeof next);
        if (r.n_sub == 0 && (n = range_sep(t, len, k)) != NONE &&
            read_number(t, len, &n, LZI_ARTICLE_DIGITS_MAX, &next.num) &&
            (n >= len || t[n] != '(')) {
            unsigned v, to = next.num, from = r.num + 1;   /* "18 to 29", "18-29" */
            if (to <= r.num || to - r.num > LZI_RANGE_MAX)
                from = to;
            for (v = from; v <= to; v++) {
                next.num = v;
                if ((rc = push_ref(s, &next)) < 0)
                    return rc;
            }
            r = next;
            k = n;
        } else if ((n = list_sep(t, len, k)) != NONE &&
                   read_number(t, len, &n, LZI_ARTICLE_DIGITS_MAX, &next.num)) {
            read_subs(t, len, &n, &next);   /* "5, 6 and 8", "... and 25(4)" */
            if ((rc = push_ref(s, &next)) < 0)
                return rc;
            r = next;
            k = n;
        } else if (r.n_sub > 0 && (n = list_sep(t, len, k)) != NONE && n < len && t[n] == '(') {
            next = r;                       /* "(d), (e)": a sibling of the last subdivision */
            next.n_sub--;
            j = n;
            read_subs(t, len, &j, &next);
            if (next.n_sub != r.n_sub)
                break;
            if ((rc = push_ref(s, &next)) < 0)
                return rc;
            r = next;
            k = j;
        } else {
            break;
        }
    }
    if (other_instrument(t, len, k))
        return (long)k;
    for (p = s->refs.ptr, n = 0; n < s->n_refs; n++, p += strlen(p) + 1) {
        if ((rc = bag_add_str(&s->articles, p)) < 0)
            return rc;
    }
    return (long)k;
}

/* ---- report paragraphs ------------------------------------------------------------------ */

/* "Para.71", "Paras. 72, 73", "para 235", "paragraph 129", "paragraphs 3-6" at t[i]. Returns
 * the position after the list (0: none), or a status. */
static long parse_paras(scan *s, const char *t, size_t len, size_t i)
{
    size_t e = word_end(t, len, i), k, n;
    unsigned v, w, u;
    int rc, abbrev;

    abbrev = word_is(t, i, e, "Para") || word_is(t, i, e, "Paras") ||
             word_is(t, i, e, "para") || word_is(t, i, e, "paras");
    if (!abbrev && !(word_is(t, i, e, "Paragraph") || word_is(t, i, e, "Paragraphs") ||
                     word_is(t, i, e, "paragraph") || word_is(t, i, e, "paragraphs")))
        return 0;
    k = e;
    if (abbrev && k < len && t[k] == '.')
        k++;
    n = skip_spaces(t, len, k);
    if (n == e)
        return 0;                       /* "para71" is one word anyway; "para-71" is not this */
    k = n;
    if (!read_number(t, len, &k, LZI_PARA_DIGITS_MAX, &v))
        return 0;
    if ((rc = add_number(&s->paras, v)) < 0)
        return rc;
    for (;;) {
        n = range_sep(t, len, k);
        if (n != NONE && read_number(t, len, &n, LZI_PARA_DIGITS_MAX, &w)) {
            u = w > v && w - v <= LZI_RANGE_MAX ? v + 1 : w;
            for (; u <= w; u++) {
                if ((rc = add_number(&s->paras, u)) < 0)
                    return rc;
            }
        } else if ((n = list_sep(t, len, k)) != NONE &&
                   read_number(t, len, &n, LZI_PARA_DIGITS_MAX, &w)) {
            if ((rc = add_number(&s->paras, w)) < 0)
                return rc;
        } else {
            break;
        }
        v = w;
        k = n;
    }
    return (long)k;
}

/* ---- references and countries in a text ------------------------------------------------- */

/* Add every recommendation, article, paragraph and country named in t[0, len). */
static int scan_refs(scan *s, const char *t, size_t len)
{
    size_t i = 0, n;
    const char *slug;
    long r;
    int rc;

    while (i < len) {
        if (word_char_len(t + i, len - i) == 0) {
            i++;
            continue;
        }
        /* a word starts at i */
        if ((r = parse_recs(s, t, len, i)) == 0 && (r = parse_articles(s, t, len, i)) == 0)
            r = parse_paras(s, t, len, i);
        if (r < 0)
            return (int)r;
        if (r > 0) {
            i = (size_t)r;
            continue;
        }
        if ((n = lzi_country_at(t, len, i, &slug)) > 0) {
            if ((rc = bag_add_str(&s->countries, slug)) < 0)
                return rc;
            i += n;
            continue;
        }
        i = word_end(t, len, i);
    }
    return LZ_OK;
}

/* Is t[0, len) a list of countries ("Albania, Belgium (Flemish and French communities),
 * Denmark ... and Ukraine.") rather than prose that names some ("This is the case in Albania
 * and Latvia.")? Words outside brackets other than country names and "and"/"the" count against
 * it: at most one for two countries. */
static int country_list(const char *t, size_t len)
{
    size_t i = 0, n, e, depth = 0, countries = 0, others = 0;
    const char *slug;

    while (i < len) {
        if (t[i] == '(' || t[i] == ')') {
            depth = t[i] == '(' ? depth + 1 : depth > 0 ? depth - 1 : 0;
            i++;
        } else if (word_char_len(t + i, len - i) == 0) {
            i++;
        } else if (depth == 0 && (n = lzi_country_at(t, len, i, &slug)) > 0) {
            countries++;
            i += n;
        } else {
            e = word_end(t, len, i);
            if (depth == 0 && !word_is(t, i, e, "and") && !word_is(t, i, e, "the"))
                others++;
            i = e;
        }
    }
    return countries > 0 && others * 2 <= countries;
}

/* Countries only (for the addressees in a footnote). */
static int add_countries(bag *b, const char *t, size_t len)
{
    size_t i = 0, n;
    const char *slug;
    int rc;

    while (i < len) {
        if (word_char_len(t + i, len - i) == 0) {
            i++;
        } else if ((n = lzi_country_at(t, len, i, &slug)) > 0) {
            if ((rc = bag_add_str(b, slug)) < 0)
                return rc;
            i += n;
        } else {
            i = word_end(t, len, i);
        }
    }
    return LZ_OK;
}

/* ---- the Committee's verbs -------------------------------------------------------------- */

static lzi_level verb_level(const char *t, size_t i, size_t e)
{
    if (word_is(t, i, e, "requires"))
        return LZI_LEVEL_REQUIRE;
    if (word_is(t, i, e, "requests"))
        return LZI_LEVEL_REQUEST;
    if (word_is(t, i, e, "invites"))
        return LZI_LEVEL_INVITE;
    return LZI_LEVEL_NONE;
}

/* Is the subject of the verb at t[i] the Committee: "The (Lanzarote) Committee (therefore)
 * requires", "It also invites"? ("The Convention also requires", "US legislation requires"
 * are not the Committee's.) Looks back over a few adverbs and commas. */
static int committee_subject(const char *t, size_t i)
{
    static const char *const adverbs[] = {"also", "therefore", "however", "further", "finally",
                                          "thus", "hereby", "again", "furthermore",
                                          "additionally", "moreover", "nevertheless",
                                          "accordingly", "strongly", "equally", "then"};
    size_t w, k, m, gap;

    for (w = 0; w < LZI_SUBJECT_WORDS; w++) {
        for (gap = 0; i > 0 && (t[i - 1] == ' ' || t[i - 1] == ',') && gap < 4; gap++)
            i--;
        for (k = i; k > 0 && is_alpha((unsigned char)t[k - 1]) && i - k <= LZI_SUBJECT_WORD_MAX;
             k--)
            ;
        if (k == i || i - k > LZI_SUBJECT_WORD_MAX)
            return 0;
        if (word_is(t, k, i, "Committee") || word_is(t, k, i, "It"))
            return 1;
        for (m = 0; m < sizeof adverbs / sizeof adverbs[0] && !word_is(t, k, i, adverbs[m]); m++)
            ;
        if (m == sizeof adverbs / sizeof adverbs[0])
            return 0;
        i = k;
    }
    return 0;
}

/* A list of countries at t[*k] ("Bulgaria", "Liechtenstein and San Marino", "Bulgaria, Hungary,
 * Monaco and the Russian Federation"), each added to b. Returns how many; moves *k. */
static long country_seq(bag *b, const char *t, size_t len, size_t *k)
{
    size_t i = *k, n, e;
    const char *slug;
    long count = 0;
    int rc;

    for (;;) {
        size_t at = count == 0 ? i : list_sep(t, len, i);
        if (at == NONE)
            break;
        if ((e = word_at(t, len, at, "the")) != 0)
            at = skip_spaces(t, len, e);
        if ((n = lzi_country_at(t, len, at, &slug)) == 0)
            break;
        if ((rc = bag_add_str(b, slug)) < 0)
            return rc;
        count++;
        i = at + n;
    }
    *k = i;
    return count;
}

/* The object of the verb ending at t[i]: the countries it addresses, directly ("requests
 * Liechtenstein and San Marino to") or after "including" ("invites all Parties, including
 * Bulgaria:"); or a restricted set of Parties ("those Parties that are not already doing so",
 * "Parties which have made a reservation") whose countries a footnote lists (s->conditional). */
static int verb_object(scan *s, const char *t, size_t len, size_t i)
{
    size_t end = len - i > LZI_OBJECT_WINDOW ? i + LZI_OBJECT_WINDOW : len, k, e, m;
    int those = 0;
    long n;

    k = skip_spaces(t, end, i);
    if ((e = word_at(t, end, k, "that")) != 0)
        k = skip_spaces(t, end, e);     /* "requests that Parties ensure" */
    if ((n = country_seq(&s->addressed, t, end, &k)) != 0)
        return n < 0 ? (int)n : LZ_OK;
    /* "(all) (those|the) (State) Parties (that|which|who)" */
    if ((e = word_at(t, end, k, "all")) != 0)
        k = skip_spaces(t, end, e);
    if ((e = word_at(t, end, k, "those")) != 0) {
        k = skip_spaces(t, end, e);
        those = 1;
    } else if ((e = word_at(t, end, k, "the")) != 0) {
        k = skip_spaces(t, end, e);
    }
    if ((e = word_at(t, end, k, "State")) != 0)
        k = skip_spaces(t, end, e);
    if ((e = word_at(t, end, k, "Parties")) != 0 || (e = word_at(t, end, k, "States")) != 0) {
        m = skip_spaces(t, end, e);
        if (those || word_at(t, end, m, "that") || word_at(t, end, m, "which") ||
            word_at(t, end, m, "who"))
            s->conditional = 1;
    }
    /* "including" before the phrase ends (":", ";", ".", or the infinitive's "to") */
    for (m = k; m < end && t[m] != ':' && t[m] != ';' && t[m] != '.';) {
        if (word_char_len(t + m, end - m) == 0) {
            m++;
            continue;
        }
        e = word_end(t, end, m);
        if (word_is(t, m, e, "to"))
            break;
        if (word_is(t, m, e, "including")) {
            size_t c = skip_spaces(t, end, e);
            if ((n = country_seq(&s->addressed, t, end, &c)) < 0)
                return (int)n;
            e = c > e ? c : e;
        }
        m = e;
    }
    return LZ_OK;
}

/* Level and addressees from the Committee's verbs in t[0, len). */
static int scan_verbs(scan *s, const char *t, size_t len)
{
    size_t i = 0, e;
    lzi_level level;
    int rc;

    while (i < len) {
        if (word_char_len(t + i, len - i) == 0) {
            i++;
            continue;
        }
        e = word_end(t, len, i);
        if ((level = verb_level(t, i, e)) != LZI_LEVEL_NONE && committee_subject(t, i)) {
            if (level > s->level)
                s->level = level;
            if ((rc = verb_object(s, t, len, e)) < 0)
                return rc;
        }
        i = e;
    }
    return LZ_OK;
}

/* ---- context: own recommendation, chapter, lead-ins ------------------------------------- */

/* "Recommendation IV-6" (or "Recommendations VI-4") leading t[0, len), standing alone (not the
 * first of a list "Recommendations V-6, V-11"): writes the canonical number into out and
 * returns the position after it; 0 if there is none. */
static size_t leading_rec(const char *t, size_t len, char *out, size_t cap)
{
    size_t e = word_end(t, len, 0), k;
    unsigned roman, num;

    if (!(word_is(t, 0, e, "Recommendation") || word_is(t, 0, e, "Recommendations")))
        return 0;
    k = skip_spaces(t, len, e);
    if (k == e || !read_rec(t, len, &k, &roman, &num) || range_sep(t, len, k) != NONE ||
        list_sep(t, len, k) != NONE)
        return 0;
    roman_write(out, roman);
    snprintf(out + strlen(out), cap - strlen(out), "-%u", num);
    return k;
}

/* The recommendation a passage states: its text leads with the number (a row of the
 * recommendations table), or its innermost heading is nothing but the number ("Recommendation
 * V-19" over its paragraph). */
static int own_rec(const lzi_passage *p, char *out, size_t cap)
{
    const char *h;

    if (leading_rec(p->text, p->text_len, out, cap) > 0)
        return 1;
    if (p->n_section == 0)
        return 0;
    h = p->section[p->n_section - 1];
    return leading_rec(h, strlen(h), out, cap) == strlen(h);
}

/* The chapter a heading opens: "IV. Jurisdiction rules" -> "IV", "3. Specific legislative..."
 * -> "3", "Chapter VI - ..." -> "VI". Writes it into out (cap bytes). */
static int heading_chapter(const char *h, char *out, size_t cap)
{
    size_t len = strlen(h), k = 0, e;

    if ((e = word_at(h, len, 0, "Chapter")) != 0 || (e = word_at(h, len, 0, "CHAPTER")) != 0)
        k = skip_spaces(h, len, e);
    e = word_end(h, len, k);
    if (e == k || e - k >= cap)
        return 0;
    if (roman_value(h + k, e - k) != 0 && (h[k] == 'I' || h[k] == 'V' || h[k] == 'X')) {
        ;                               /* upper-case roman numeral */
    } else {
        size_t m;
        for (m = k; m < e && is_digit((unsigned char)h[m]); m++)
            ;
        if (m != e || e - k > 3 || h[k] == '0')
            return 0;
    }
    /* the number ends the heading or is followed by ". ", "." at the end, or a dash */
    if (k == 0 && !(e < len && h[e] == '.' && (e + 1 == len || h[e + 1] == ' ')))
        return 0;
    memcpy(out, h + k, e - k);
    out[e - k] = '\0';
    return 1;
}

static int same_section(const lzi_passage *a, const lzi_passage *b)
{
    size_t k;

    if (a->n_section != b->n_section)
        return 0;
    for (k = 0; k < a->n_section; k++) {
        if (strcmp(a->section[k], b->section[k]) != 0)
            return 0;
    }
    return 1;
}

static int ends_with_colon(const lzi_passage *p)
{
    size_t n = p->text_len;

    while (n > 0 && p->text[n - 1] == ' ')
        n--;
    return n > 0 && p->text[n - 1] == ':';
}

/* Entities of passage i into *e. `lead` is the lead-in whose list this passage may belong to
 * (NONE if none); *own is set to the level of the passage's own verbs. */
static int extract_passage(scan *s, const lzi_document *doc, size_t i, const lzi_entities *lead,
                           lzi_entities *e, lzi_level *own)
{
    const lzi_passage *p = &doc->passages[i];
    char buf[64];
    size_t k;
    int rc;

    scan_clear(s);
    if (own_rec(p, buf, sizeof buf)) {
        if ((e->rec_self = lzi_strdup(buf)) == NULL)
            return lzi_error_set(LZ_ENOMEM, "entities: out of memory");
        if ((rc = bag_add_str(&s->recs, buf)) < 0)
            return rc;
    }
    if ((rc = scan_refs(s, p->text, p->text_len)) < 0)
        return rc;
    for (k = 0; k < p->n_notes; k++) {      /* cited footnotes count as the passage's text */
        const lzi_footnote *f;
        if ((rc = add_number(&s->notes, p->notes[k])) <= 0) {
            if (rc < 0)
                return rc;
            continue;                       /* cited twice: read once */
        }
        f = lzi_document_footnote(doc, p->notes[k], p->first_line);
        if (f != NULL && (rc = scan_refs(s, f->text, strlen(f->text))) < 0)
            return rc;
    }
    if ((rc = scan_verbs(s, p->text, p->text_len)) < 0)
        return rc;
    *own = s->level;
    if (s->conditional) {                   /* "those Parties¹⁶⁶": footnote 166 lists them */
        for (k = 0; k < s->notes.n; k++) {
            unsigned n = (unsigned)strtoul(bag_key(&s->notes, k), NULL, 10);
            const lzi_footnote *f = lzi_document_footnote(doc, n, p->first_line);
            if (f != NULL && country_list(f->text, strlen(f->text)) &&
                (rc = add_countries(&s->addressed, f->text, strlen(f->text))) < 0)
                return rc;
        }
    }
    if (lead != NULL && s->level == LZI_LEVEL_NONE) {  /* a list item under its lead-in */
        s->level = lead->level;
        for (k = 0; k < lead->n_addressed; k++) {
            if ((rc = bag_add_str(&s->addressed, lead->addressed[k])) < 0)
                return rc;
        }
    }
    for (k = 0; k < s->addressed.n; k++) {  /* an addressee counts as named */
        if ((rc = bag_add_str(&s->countries, bag_key(&s->addressed, k))) < 0)
            return rc;
    }
    e->level = s->level;
    for (k = 0; k < p->n_section; k++) {
        if (heading_chapter(p->section[k], buf, sizeof buf)) {
            if ((e->chapter = lzi_strdup(buf)) == NULL)
                return lzi_error_set(LZ_ENOMEM, "entities: out of memory");
            break;
        }
    }
    return scan_lists(s, e);
}

int lzi_entities_extract(lzi_entities **out, const lzi_document *doc)
{
    lzi_entities *v = NULL;
    scan s = SCAN_INIT;
    size_t i, lead = NONE, n = 0;
    lzi_level own = LZI_LEVEL_NONE;
    int rc;

    if (out == NULL || doc == NULL)
        return lzi_error_set(LZ_EINVAL, "entities: no document");
    *out = NULL;
    if (doc->n_passages == 0)
        return LZ_OK;
    if ((v = lzi_calloc(doc->n_passages, sizeof *v)) == NULL) {
        rc = lzi_error_set(LZ_ENOMEM, "entities: out of memory (%zu passages)", doc->n_passages);
        goto done;
    }
    n = doc->n_passages;
    for (i = 0; i < n; i++) {
        const lzi_passage *p = &doc->passages[i];
        int item = p->kind == LZI_PASSAGE_LIST_ITEM;
        const lzi_entities *in = NULL;

        if (!item || (lead != NONE && !same_section(&doc->passages[lead], p)))
            lead = NONE;                    /* a paragraph, a row or a heading ends the list */
        if (lead != NONE)
            in = &v[lead];
        if ((rc = extract_passage(&s, doc, i, in, &v[i], &own)) < 0)
            goto done;
        if (own != LZI_LEVEL_NONE && ends_with_colon(p))
            lead = i;                       /* "The Committee therefore invites Bulgaria:" */
    }
    *out = v;
    v = NULL;
    rc = LZ_OK;
done:
    scan_dispose(&s);
    lzi_entities_free(v, n);
    return rc;
}

int lzi_entities_of_text(lzi_entities **out, const char *text, size_t len)
{
    lzi_entities *v;
    scan s = SCAN_INIT;
    int rc;

    if (out == NULL || (text == NULL && len > 0))
        return lzi_error_set(LZ_EINVAL, "entities: no text");
    *out = NULL;
    if ((v = lzi_calloc(1, sizeof *v)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "entities: out of memory");
    if ((rc = scan_refs(&s, text, len)) < 0 || (rc = scan_lists(&s, v)) < 0) {
        lzi_entities_free(v, 1);
        v = NULL;
    } else {
        rc = LZ_OK;
    }
    scan_dispose(&s);
    *out = v;
    return rc;
}

void lzi_entities_free(lzi_entities *v, size_t n)
{
    size_t i;

    if (v == NULL)
        return;
    for (i = 0; i < n; i++) {
        lzi_free(v[i].recs);                /* each array holds its strings */
        lzi_free(v[i].rec_self);
        lzi_free(v[i].articles);
        lzi_free(v[i].paras);
        lzi_free(v[i].countries);
        lzi_free(v[i].addressed);
        lzi_free(v[i].chapter);
    }
    lzi_free(v);
}

const char *lzi_level_name(lzi_level level)
{
    switch (level) {
    case LZI_LEVEL_INVITE:
        return "invite";
    case LZI_LEVEL_REQUEST:
        return "request";
    case LZI_LEVEL_REQUIRE:
        return "require";
    case LZI_LEVEL_NONE:
        break;
    }
    return NULL;
}
