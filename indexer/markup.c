/* The inline-markup cleaner: one line or table cell of a PDF extraction with light markdown ->
 * clean text, with footnote markers taken out and reported apart. The passage parser (parse.c)
 * runs it on passage, heading and footnote text; it knows nothing of blocks, only of inline
 * constructs, and it never normalizes the bytes it keeps (that is text/'s job). */
#include <string.h>

#include "lz_parse.h"

/* Longest construct taken as markup, in bytes; a longer one stays literal text. Each scan also
 * stops at the byte that would open another construct of its kind ('<' for tags, '[' or ']'
 * for links), so a byte is looked at a bounded number of times: the cleaner is linear. */
#define LZI_TAG_MAX 256         /* `<span class="x">`, `</sup>` */
#define LZI_AUTOLINK_MAX 4096   /* `<https://...>` */
#define LZI_LINK_TEXT_MAX 2048  /* the `[text]` of `[text](url)` */
#define LZI_LINK_URL_MAX 4096   /* its `(url)` */
#define LZI_ENTITY_MAX 12       /* `&#x10FFFF;` */
#define LZI_NOTE_LIST_MAX 64    /* the inside of `<sup>12, 13</sup>` or `^{3 4}` */

typedef struct cleaner {
    lzi_buf *out;
    size_t start;               /* out->len on entry: nothing before it is ours */
    int space;                  /* whitespace seen since the last byte written */
    lzi_note_fn on_note;
    void *payload;
} cleaner;

static int is_space(unsigned char b)
{
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f';
}

static int is_alnum(unsigned char b)
{
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

static int is_digit(unsigned char b)
{
    return b >= '0' && b <= '9';
}

/* ASCII punctuation, the bytes a backslash can escape (CommonMark). */
static int is_punct(unsigned char b)
{
    return (b >= '!' && b <= '/') || (b >= ':' && b <= '@') || (b >= '[' && b <= '`') ||
           (b >= '{' && b <= '~');
}

static int lower_ascii(unsigned char b)
{
    return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
}

/* Does s[i, len) start with the ASCII word w, ignoring case? */
static int starts_with(const char *s, size_t len, size_t i, const char *w)
{
    size_t n = strlen(w), k;
    if (len - i < n)
        return 0;
    for (k = 0; k < n; k++) {
        if (lower_ascii((unsigned char)s[i + k]) != (unsigned char)w[k])
            return 0;
    }
    return 1;
}

/* Write n visible bytes, preceded by the one space owed for whitespace seen since the last
 * write (never at the start of our output: no leading space). */
static int emit(cleaner *c, const char *p, size_t n)
{
    int rc;
    if (n == 0)
        return LZ_OK;
    if (c->space && c->out->len > c->start && (rc = lzi_buf_putc(c->out, ' ')) != LZ_OK)
        return rc;
    c->space = 0;
    return lzi_buf_append(c->out, p, n);
}

static int note(cleaner *c, unsigned n)
{
    return c->on_note != NULL ? c->on_note(n, c->out->len, c->payload) : LZ_OK;
}

/* The superscript digit at s[i] (¹ ² ³ U+00B9 U+00B2 U+00B3, ⁰ ⁴-⁹ U+2070 U+2074-U+2079):
 * its length in bytes and value, or 0. */
static size_t sup_digit(const unsigned char *s, size_t len, size_t i, unsigned *digit)
{
    if (i + 1 < len && s[i] == 0xC2) {
        switch (s[i + 1]) {
        case 0xB9: *digit = 1; return 2;
        case 0xB2: *digit = 2; return 2;
        case 0xB3: *digit = 3; return 2;
        default: return 0;
        }
    }
    if (i + 2 < len && s[i] == 0xE2 && s[i + 1] == 0x81 &&
        (s[i + 2] == 0xB0 || (s[i + 2] >= 0xB4 && s[i + 2] <= 0xB9))) {
        *digit = (unsigned)(s[i + 2] - 0xB0);
        return 3;
    }
    return 0;
}

/* A run of superscript digits is one marker ("¹⁴⁰" is 140). A run longer than
 * LZI_NOTE_DIGITS_MAX is no footnote number: dropped like markup, without a report. */
static int sup_run(cleaner *c, const char *s, size_t len, size_t i, size_t *used)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned value = 0, digit, n_digits = 0;
    size_t j = i, step;

    while ((step = sup_digit(u, len, j, &digit)) > 0) {
        if (n_digits < LZI_NOTE_DIGITS_MAX)
            value = value * 10 + digit;
        n_digits++;
        j += step;
    }
    *used = j - i;
    return n_digits <= LZI_NOTE_DIGITS_MAX ? note(c, value) : LZ_OK;
}

/* The inside of `<sup>...</sup>` or `^{...}` when it is a list of footnote numbers ("12",
 * "26 27", "3, 4"): report each. Returns 1 if it was such a list, 0 (nothing reported) if not,
 * or a negative status. */
static int note_list(cleaner *c, const char *s, size_t len)
{
    size_t i, n_numbers = 0, n_digits = 0;
    int rc;

    for (i = 0; i < len; i++) {         /* validate first: report all or nothing */
        unsigned char b = (unsigned char)s[i];
        if (is_digit(b)) {
            if (++n_digits > LZI_NOTE_DIGITS_MAX)
                return 0;
            n_numbers += n_digits == 1;
        } else if (is_space(b) || b == ',') {
            n_digits = 0;
        } else {
            return 0;
        }
    }
    if (n_numbers == 0)
        return 0;
    for (i = 0; i < len; i++) {
        unsigned value = 0;
        if (!is_digit((unsigned char)s[i]))
            continue;
        while (i < len && is_digit((unsigned char)s[i]))
            value = value * 10 + (unsigned)(s[i++] - '0');
        if ((rc = note(c, value)) != LZ_OK)
            return rc;
    }
    return 1;
}

/* `<sup>N</sup>`: markers. The close tag must come before any other '<'. */
static int sup_tag(cleaner *c, const char *s, size_t len, size_t i, size_t *used)
{
    size_t body = i + 5, j;
    int rc;

    *used = 0;
    if (!starts_with(s, len, i, "<sup>"))
        return LZ_OK;
    for (j = body; j < len && s[j] != '<' && j - body <= LZI_NOTE_LIST_MAX; j++)
        ;
    if (!starts_with(s, len, j, "</sup>"))
        return LZ_OK;
    if ((rc = note_list(c, s + body, j - body)) < 0)
        return rc;
    if (rc == 1)
        *used = j + 6 - i;
    return LZ_OK;
}

/* `^{3 4}`: markers in LaTeX notation. */
static int caret_notes(cleaner *c, const char *s, size_t len, size_t i, size_t *used)
{
    size_t body = i + 2, j;
    int rc;

    *used = 0;
    if (i + 1 >= len || s[i + 1] != '{')
        return LZ_OK;
    for (j = body; j < len && s[j] != '}' && j - body <= LZI_NOTE_LIST_MAX; j++)
        ;
    if (j >= len || s[j] != '}')
        return LZ_OK;
    if ((rc = note_list(c, s + body, j - body)) < 0)
        return rc;
    if (rc == 1)
        *used = j + 1 - i;
    return LZ_OK;
}

/* A URL scheme or "www." at s[i]: the start of a bare URL or of an autolink's inside. */
static int url_start(const char *s, size_t len, size_t i)
{
    return starts_with(s, len, i, "http://") || starts_with(s, len, i, "https://") ||
           starts_with(s, len, i, "www.") || starts_with(s, len, i, "mailto:");
}

/* Copy a URL, markup-free: emphasis characters are part of it. Backslashes before punctuation
 * are dropped: the extraction escaped URLs, sometimes twice (`p\\_auth` for `p_auth`). */
static int emit_url(cleaner *c, const char *s, size_t len)
{
    size_t i, run = 0;
    int rc;

    for (i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len && is_punct((unsigned char)s[i + 1])) {
            if ((rc = emit(c, s + run, i - run)) != LZ_OK)
                return rc;
            run = i + 1;
        }
    }
    return emit(c, s + run, len - run);
}

/* `<https://...>`: the URL is text. Ends at '>', never across whitespace or '<'. */
static int autolink(cleaner *c, const char *s, size_t len, size_t i, size_t *used)
{
    size_t j;
    int rc;

    *used = 0;
    if (!url_start(s, len, i + 1))
        return LZ_OK;
    for (j = i + 1; j < len && s[j] != '>' && s[j] != '<' && !is_space((unsigned char)s[j]) &&
         j - i <= LZI_AUTOLINK_MAX; j++)
        ;
    if (j >= len || s[j] != '>')
        return LZ_OK;
    if ((rc = emit_url(c, s + i + 1, j - i - 1)) != LZ_OK)
        return rc;
    *used = j + 1 - i;
    return LZ_OK;
}

/* An HTML tag `<b>`, `</sup>`, `<br/>`, `<a href="...">`: dropped; tags that break a line or
 * a block (br, p, div, li, tr, td, th, hr) leave a space. */
static int html_tag(cleaner *c, const char *s, size_t len, size_t i, size_t *used)
{
    static const char *const breaking[] = { "br", "p", "div", "li", "tr", "td", "th", "hr" };
    size_t j = i + 1, name, name_len, k;

    *used = 0;
    if (j < len && s[j] == '/')
        j++;
    if (j >= len || !is_alnum((unsigned char)s[j]) || is_digit((unsigned char)s[j]))
        return LZ_OK;
    for (name = j; j < len && (is_alnum((unsigned char)s[j]) || s[j] == '-'); j++)
        ;
    name_len = j - name;
    if (j < len && s[j] != '>' && s[j] != '/' && !is_space((unsigned char)s[j]))
        return LZ_OK;
    for (; j < len && s[j] != '>' && s[j] != '<' && j - i <= LZI_TAG_MAX; j++)
        ;
    if (j >= len || s[j] != '>')
        return LZ_OK;
    for (k = 0; k < sizeof breaking / sizeof breaking[0]; k++) {
        if (strlen(breaking[k]) == name_len && starts_with(s, len, name, breaking[k]))
            c->space = 1;
    }
    *used = j + 1 - i;
    return LZ_OK;
}

static size_t utf8_encode(char *p, unsigned long cp)
{
    if (cp < 0x80) {
        p[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        p[0] = (char)(0xC0 | (cp >> 6));
        p[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        p[0] = (char)(0xE0 | (cp >> 12));
        p[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        p[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    p[0] = (char)(0xF0 | (cp >> 18));
    p[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    p[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    p[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* `&amp;` and the other common named entities, `&#39;`, `&#x2019;`. Unknown names and invalid
 * code points stay literal; control characters and `&nbsp;` become whitespace. */
static int entity(cleaner *c, const char *s, size_t len, size_t i, size_t *used)
{
    static const struct { const char *name; const char *text; } named[] = {
        { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
        { "nbsp", " " },
    };
    size_t j = i + 1, k;
    unsigned long cp = 0;
    char utf8[4];

    *used = 0;
    while (j < len && j - i < LZI_ENTITY_MAX && (is_alnum((unsigned char)s[j]) || s[j] == '#'))
        j++;
    if (j >= len || s[j] != ';' || j == i + 1)
        return LZ_OK;
    if (s[i + 1] == '#') {
        int hex = i + 2 < j && (s[i + 2] == 'x' || s[i + 2] == 'X');
        size_t d = i + 2 + (size_t)hex;
        if (d == j)
            return LZ_OK;
        for (; d < j; d++) {
            unsigned char b = (unsigned char)s[d];
            unsigned v = is_digit(b) ? (unsigned)(b - '0')
                         : hex && lower_ascii(b) >= 'a' && lower_ascii(b) <= 'f'
                             ? (unsigned)(lower_ascii(b) - 'a' + 10) : 99;
            if (v >= (hex ? 16u : 10u))
                return LZ_OK;
            cp = cp * (hex ? 16 : 10) + v;
        }
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return LZ_OK;
        *used = j + 1 - i;
        if (cp < 0x20 || cp == 0x7F) {
            c->space = 1;
            return LZ_OK;
        }
        return emit(c, utf8, utf8_encode(utf8, cp));
    }
    for (k = 0; k < sizeof named / sizeof named[0]; k++) {
        if (strlen(named[k].name) == j - i - 1 && starts_with(s, len, i + 1, named[k].name)) {
            *used = j + 1 - i;
            if (named[k].text[0] == ' ') {
                c->space = 1;
                return LZ_OK;
            }
            return emit(c, named[k].text, 1);
        }
    }
    return LZ_OK;
}

static int clean_range(cleaner *c, const char *s, size_t len, int in_link);

/* `[text](url)` and `![alt](url)`: the text stays, the URL goes. The text may not contain a
 * bracket, the URL may hold balanced or escaped parentheses. */
static int link(cleaner *c, const char *s, size_t len, size_t i, size_t *used)
{
    size_t open = s[i] == '!' ? i + 1 : i, close, j;
    int depth = 1, rc;

    *used = 0;
    for (close = open + 1; close < len && s[close] != ']' && s[close] != '[' &&
         close - open <= LZI_LINK_TEXT_MAX; close++)
        ;
    if (close + 1 >= len || s[close] != ']' || s[close + 1] != '(')
        return LZ_OK;
    for (j = close + 2; j < len && j - close <= LZI_LINK_URL_MAX; j++) {
        if (s[j] == '[' || s[j] == ']')
            return LZ_OK;               /* not a URL; also keeps the scans disjoint */
        if (s[j] == '\\' && j + 1 < len)
            j++;
        else if (s[j] == '(')
            depth++;
        else if (s[j] == ')' && --depth == 0)
            break;
    }
    if (j >= len || s[j] != ')' || depth != 0)
        return LZ_OK;
    if ((rc = clean_range(c, s + open + 1, close - open - 1, 1)) != LZ_OK)
        return rc;
    *used = j + 1 - i;
    return LZ_OK;
}

/* Emphasis runs of '*' or '_': dropped, except a lone '*' between spaces ("5 * 3") and
 * characters inside a word ("a*b", "snake_case"), which are text. */
static size_t emphasis_run(const char *s, size_t len, size_t i, int *literal)
{
    unsigned char ch = (unsigned char)s[i];
    size_t j = i;
    int prev, next, prev_space, next_space;

    while (j < len && (unsigned char)s[j] == ch)
        j++;
    prev = i > 0 ? (unsigned char)s[i - 1] : -1;
    next = j < len ? (unsigned char)s[j] : -1;
    prev_space = prev < 0 || is_space((unsigned char)prev);
    next_space = next < 0 || is_space((unsigned char)next);
    if (prev >= 0 && next >= 0 && is_alnum((unsigned char)prev) && is_alnum((unsigned char)next))
        *literal = ch == '_' || j - i == 1;
    else
        *literal = prev_space && next_space && (ch == '_' || j - i == 1);
    return j - i;
}

/* Bytes that may start a construct; anything else is copied in runs. */
static int is_special(unsigned char b)
{
    return is_space(b) || b == '\\' || b == '<' || b == '&' || b == '[' || b == '!' ||
           b == '*' || b == '_' || b == '^' || b == '(' || b == 0xC2 || b == 0xE2;
}

static int clean_range(cleaner *c, const char *s, size_t len, int in_link)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, used, run;
    int rc = LZ_OK, literal;

    while (i < len && rc == LZ_OK) {
        unsigned char b = u[i];
        /* a bare URL starts a word: after whitespace, at the start, after '(' */
        int word_start = i == 0 || c->space || u[i - 1] == '(';
        used = 0;
        if (word_start && url_start(s, len, i)) {
            for (run = i; run < len && !is_space(u[run]) && u[run] != '<' && u[run] != '>' &&
                 u[run] != ']'; run++)
                ;
            rc = emit_url(c, s + i, run - i);
            used = run - i;
        } else if (is_space(b)) {
            c->space = 1;
            used = 1;
        } else if (b == '(') {
            rc = emit(c, s + i, 1);     /* alone, so that a URL after it is seen */
            used = 1;
        } else if (b == '\\' && i + 1 < len && is_punct(u[i + 1])) {
            rc = emit(c, s + i + 1, 1);  /* an escaped character is text, never markup */
            used = 2;
        } else if (b == '<') {
            if ((rc = sup_tag(c, s, len, i, &used)) == LZ_OK && used == 0 &&
                (rc = autolink(c, s, len, i, &used)) == LZ_OK && used == 0)
                rc = html_tag(c, s, len, i, &used);
        } else if (b == '&') {
            rc = entity(c, s, len, i, &used);
        } else if ((b == '[' || (b == '!' && i + 1 < len && u[i + 1] == '[')) && !in_link) {
            rc = link(c, s, len, i, &used);
        } else if (b == '*' || b == '_') {
            run = emphasis_run(s, len, i, &literal);
            rc = literal ? emit(c, s + i, run) : LZ_OK;
            used = run;
        } else if (b == '^') {
            rc = caret_notes(c, s, len, i, &used);
        } else if (b == 0xC2 || b == 0xE2) {
            unsigned digit;
            if (sup_digit(u, len, i, &digit) > 0)
                rc = sup_run(c, s, len, i, &used);
        }
        if (rc == LZ_OK && used == 0) { /* literal: copy up to the next special byte */
            for (used = 1; i + used < len && !is_special(u[i + used]); used++)
                ;
            rc = emit(c, s + i, used);
        }
        i += used;
    }
    return rc;
}

int lzi_markup_clean(lzi_buf *out, const char *src, size_t len, lzi_note_fn on_note,
                     void *payload)
{
    cleaner c;
    int rc;

    c.out = out;
    c.start = out->len;
    c.space = 0;
    c.on_note = on_note;
    c.payload = payload;
    if ((rc = lzi_buf_reserve(out, len)) != LZ_OK)   /* output is rarely longer than input */
        return rc;
    out->ptr[out->len] = '\0';         /* terminated even if nothing is written */
    return clean_range(&c, src, len, 0);
}
