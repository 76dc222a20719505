/* The passage parser: the bytes of one document -> its title, passages (paragraphs, list items,
 * table rows) with line ranges, section paths and footnote numbers, and its footnote
 * definitions. Three passes: lines -> blocks (markup cleaned by markup.c, footnotes set apart),
 * blocks last to first (page-break joins, bare lines promoted to headings), blocks -> passages
 * (section paths), then everything is packed into the document. Pure C over bytes. */
#include <limits.h>
#include <string.h>

#include "lz_parse.h"

/* Headings kept in a section path; a deeper heading takes the place of the deepest kept. */
#define LZI_MAX_SECTION_DEPTH 8
/* A standalone line longer than this (clean bytes) is a paragraph, never a bare heading. */
#define LZI_BARE_HEADING_MAX 300
/* The same for a line ending with ':' or a numbered item ("1. Introduction"): a long one is a
 * lead-in sentence or a list item. */
#define LZI_SHORT_HEADING_MAX 100
/* Blocks examined for a title when a document has no markdown heading (its cover page). */
#define LZI_TITLE_SCAN_BLOCKS 16
/* Footnote numbers cited in a table row and not yet defined, remembered per row (this one and
 * the previous one): definitions spill over into the next row at most. Beyond this the oldest
 * is forgotten, which only weakens the detection of a spilled definition. */
#define LZI_PENDING_MAX 32
/* A bare number in a table cell whose superscript was lost in extraction ("... prosecutors.
 * 142 Such trainings ...") is taken for a footnote only if it is above the highest footnote
 * number seen so far by at most this much: footnotes are numbered in order. */
#define LZI_NOTE_GAP_MAX 64
/* A first table cell without letters or digits and at most this long (code points) is
 * extraction debris, not a row label: the row continues the one above. */
#define LZI_DEBRIS_CELL_MAX 2

#define NONE ((size_t)-1)

typedef enum block_kind { B_PARA, B_LIST, B_ROW, B_HEAD } block_kind;

enum block_flags {
    BF_BREAK = 1u << 0,     /* a page break (rule, footnotes, page number) before it */
    BF_BLANK = 1u << 1,     /* a blank line (or the start) before it */
    BF_MULTI = 1u << 2,     /* more than one source line */
    BF_BOLD = 1u << 3,      /* one line entirely in bold */
    BF_NUMBERED = 1u << 4,  /* a list item numbered "1." */
    BF_JOIN = 1u << 5,      /* the next block continues this passage (page break) */
    BF_CAND = 1u << 6,      /* would be a heading if body text followed */
    BF_HEADING = 1u << 7,   /* a bare line promoted to heading */
    BF_TOC = 1u << 8,       /* a heading over a table of contents ("Contents") */
    BF_TAB = 1u << 9        /* a row of a tab-separated table */
};

/* A run of source lines that becomes a passage, part of one, or a heading. */
typedef struct block {
    block_kind kind;
    unsigned flags;         /* BF_* */
    unsigned level;         /* markdown heading: 1-6 */
    unsigned first_line, last_line;
    size_t text_off, text_len;  /* clean text in parser.text */
    size_t note_off, n_notes;   /* in parser.notes */
    size_t pool_off;            /* headings: offset of the text in the packed heading pool */
} block;

typedef struct foot {
    unsigned n, first_line, last_line;
    size_t text_off, text_len;  /* in parser.ftext */
} foot;

typedef struct cnote {      /* a marker the cleaner removed from parser.scratch */
    unsigned n;
    size_t off;
} cnote;

typedef struct draft {      /* a passage before packing: consecutive blocks */
    size_t first_block, last_block;
    size_t path_off;        /* its section path: block indices in parser.paths */
    unsigned n_path;
    size_t columns;         /* a tab table's row: the draft of its first row, else NONE */
} draft;

typedef enum heading_kind { H_MARKDOWN, H_CHAPTER, H_BOLD, H_TITLE } heading_kind;

typedef struct open_heading {
    size_t block;
    unsigned rank;          /* nesting: smaller is outer */
    heading_kind kind;
} open_heading;

typedef struct parser {
    const char *src;
    size_t len;
    const char *name;
    lzi_buf text;           /* clean text of the blocks, back to back */
    lzi_buf ftext;          /* clean text of the footnotes */
    lzi_buf scratch;        /* the line or cell being cleaned */
    block *blocks;
    size_t n_blocks, cap_blocks;
    foot *feet;
    size_t n_feet, cap_feet;
    unsigned *notes;
    size_t n_notes, cap_notes;
    cnote *cnotes;          /* markers removed from scratch */
    size_t n_cnotes, cap_cnotes;
    size_t *paths;
    size_t n_paths, cap_paths;
    draft *drafts;
    size_t n_drafts, cap_drafts;
    /* line pass */
    unsigned line;          /* 1-based number of the line being read */
    unsigned next_flags;    /* BF_BREAK, BF_BLANK for the next block */
    int prev_blank;         /* the previous line was blank */
    size_t open_block;      /* paragraph or list item a following line continues */
    size_t open_foot;       /* footnote a continuation line after blank lines may extend */
    int foot_line;          /* the previous line belonged to open_foot */
    size_t row;             /* pipe-table row that a row with an empty first cell continues */
    size_t table_def;       /* footnote defined in that row and still open */
    unsigned pending[2][LZI_PENDING_MAX];   /* cited, undefined: [0] this row, [1] previous */
    unsigned n_pending[2];
    unsigned max_note;      /* highest footnote number seen */
    size_t first_line_off, first_line_len;  /* first non-blank line, for a fallback title */
    int have_first_line;
} parser;

/* ---- small helpers ---------------------------------------------------------------------- */

/* The clean text of footnote f (ftext.ptr is NULL while every footnote so far is empty). */
static const char *foot_text(const parser *p, const foot *f)
{
    return p->ftext.ptr != NULL ? p->ftext.ptr + f->text_off : "";
}

/* Room for one more element in a growable array (*items, with *cap elements of `size` bytes).
 * `items` is the address of a T * (POSIX: all object pointers share one representation). */
static int grow(void *items, size_t *cap, size_t n, size_t size)
{
    void *old, *fresh;
    size_t want;

    if (n < *cap)
        return LZ_OK;
    want = *cap ? *cap : 16;
    while (want <= n) {
        if (want > SIZE_MAX / 2 / size)
            return lzi_error_set(LZ_ENOMEM, "out of memory (array of %zu elements)", n);
        want *= 2;
    }
    memcpy(&old, items, sizeof old);
    if ((fresh = lzi_realloc(old, want * size)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory (array of %zu bytes)", want * size);
    memcpy(items, &fresh, sizeof fresh);
    *cap = want;
    return LZ_OK;
}

static int is_space(unsigned char b)
{
    return b == ' ' || b == '\t' || b == '\r' || b == '\v' || b == '\f';
}

/* Is c one of the bytes of set? (strchr alone would also find a NUL byte.) */
static int in_set(const char *set, char c)
{
    return c != '\0' && strchr(set, c) != NULL;
}

static int is_digit(unsigned char b)
{
    return b >= '0' && b <= '9';
}

static int is_alpha(unsigned char b)
{
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

/* Decode the code point at s[0, len) (bounds-safe; a broken sequence counts as its first byte).
 * Sets *n to its length in bytes. */
static unsigned long decode(const char *s, size_t len, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned long cp;
    size_t need, k;

    *n = 1;
    if (len == 0)
        return 0;
    if (u[0] < 0x80)
        return u[0];
    need = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 1;
    if (need == 1 || len < need)
        return u[0];
    cp = u[0] & (0x3F >> (need - 1));
    for (k = 1; k < need; k++) {
        if ((u[k] & 0xC0) != 0x80)
            return u[0];
        cp = (cp << 6) | (u[k] & 0x3F);
    }
    *n = need;
    return cp;
}

/* Letter case for the scripts of the corpus: ASCII, Latin-1 and Latin Extended-A (where case
 * pairs alternate, upper even). Other letters are neither: they never decide a rule. */
static int cp_upper(unsigned long cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
           (cp >= 0x100 && cp <= 0x17F && cp % 2 == 0);
}

static int cp_lower(unsigned long cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) ||
           (cp >= 0x100 && cp <= 0x17F && cp % 2 == 1);
}

static int starts_upper(const char *s, size_t len)
{
    size_t n;
    return len > 0 && cp_upper(decode(s, len, &n));
}

static int url_at(const char *s, size_t len)
{
    return len >= 4 && (memcmp(s, "http", 4) == 0 || memcmp(s, "www.", 4) == 0);
}

/* How a clean text begins: what tells a continued sentence from a new one. A URL is no
 * lower-case word: it does not continue a sentence. */
typedef enum text_start { S_EMPTY, S_LOWER, S_UPPER, S_DIGIT, S_QUOTE, S_OTHER } text_start;

static text_start start_of(const char *s, size_t len)
{
    size_t n;
    unsigned long cp;

    if (len == 0)
        return S_EMPTY;
    if (url_at(s, len))
        return S_OTHER;
    cp = decode(s, len, &n);
    if (cp_lower(cp))
        return S_LOWER;
    if (cp_upper(cp))
        return S_UPPER;
    if (cp >= '0' && cp <= '9')
        return S_DIGIT;
    if (cp == '"' || cp == '\'' || cp == 0x201C || cp == 0x2018 || cp == 0xAB)
        return S_QUOTE;
    return S_OTHER;
}

/* How a clean text ends. E_SENTENCE: . ; ? ! (possibly inside a closing quote or bracket);
 * E_DANGLING: a word or mark that cannot end a sentence (a function word, a hyphen or dash);
 * E_OPEN: anything else that is no punctuation. */
typedef enum text_end { E_EMPTY, E_SENTENCE, E_COLON, E_COMMA, E_DANGLING, E_OPEN } text_end;

/* Words that never end an English sentence: a line ending with one is cut. */
static int function_word(const char *w, size_t n)
{
    static const char *const words[] = {
        "a", "an", "the", "and", "or", "nor", "but", "of", "to", "in", "on", "at", "for",
        "with", "by", "from", "as", "that", "which", "who", "whose", "whom", "is", "are",
        "was", "were", "be", "been", "not", "than", "into", "onto", "via", "its", "their",
        "his", "her", "our", "this", "these", "those", "such", "if", "whether", "between",
    };
    size_t k, i;

    for (k = 0; k < sizeof words / sizeof words[0]; k++) {
        if (strlen(words[k]) != n)
            continue;
        for (i = 0; i < n && (w[i] | 0x20) == words[k][i]; i++)
            ;
        if (i == n)
            return 1;
    }
    return 0;
}

static int ends_with(const char *s, size_t len, const char *w)
{
    size_t n = strlen(w);
    return len >= n && memcmp(s + len - n, w, n) == 0;
}

static text_end end_of(const char *s, size_t len)
{
    size_t w, closed = 0;

    /* "(...)" marks omitted text, not the end of a sentence: look before it */
    while (len >= 5 && (ends_with(s, len, "(...)") || ends_with(s, len, "[...]") ||
                        ends_with(s, len, "(\xE2\x80\xA6)"))) {
        len -= 5;
        while (len > 0 && s[len - 1] == ' ')
            len--;
    }
    /* closing quotes and brackets: the punctuation inside them decides ("co-regulation. ”") */
    for (;;) {
        if (len > 0 && in_set(")]\"'", s[len - 1]))
            len--;
        else if (ends_with(s, len, "\xE2\x80\x9D") || ends_with(s, len, "\xE2\x80\x99"))
            len -= 3;                   /* ” ’ */
        else
            break;
        closed = 1;
        while (len > 0 && s[len - 1] == ' ')
            len--;
    }
    if (len == 0)
        return E_EMPTY;
    if (in_set(".;?!", s[len - 1]))
        return E_SENTENCE;
    if (closed)
        return E_OPEN;                  /* "(Art. 25(2))", "“child pornography”" */
    switch (s[len - 1]) {
    case ':':
        return E_COLON;
    case ',':
        return E_COMMA;
    case '-':
        return E_DANGLING;
    default:
        break;
    }
    if (ends_with(s, len, "\xE2\x80\x93") || ends_with(s, len, "\xE2\x80\x94"))
        return E_DANGLING;              /* – — */
    for (w = len; w > 0 && is_alpha((unsigned char)s[w - 1]); w--)
        ;
    if (w < len && (w == 0 || !is_alpha((unsigned char)s[w - 1])) &&
        function_word(s + w, len - w))
        return E_DANGLING;
    return E_OPEN;
}

static const char *btext(const parser *p, const block *b)
{
    return p->text.ptr + b->text_off;
}

/* Figure and table captions ("Fig.3 ICMEC Ratings ...") are neither headings nor cut text. */
static int is_caption(const char *s, size_t len)
{
    return (len >= 4 && memcmp(s, "Fig.", 4) == 0) ||
           (len >= 8 && memcmp(s, "Figure ", 7) == 0 && is_digit((unsigned char)s[7])) ||
           (len >= 7 && memcmp(s, "Table ", 6) == 0 && is_digit((unsigned char)s[6]));
}

/* "III. Investigations and prosecution": a roman-numeral chapter line. */
static int roman_chapter(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && i < 7 && in_set("IVXLC", s[i]))
        i++;
    return i > 0 && i + 2 < len && s[i] == '.' && s[i + 1] == ' ' && s[i + 2] != ' ';
}

/* "2.3 Something", "1. Introduction", "5 Procedures": the depth of a numbered heading's number
 * (components), 0 if the text does not start with one followed by a capital. */
static unsigned numbered_depth(const char *s, size_t len)
{
    size_t i = 0, d;
    unsigned depth = 0;

    for (;;) {
        for (d = i; i < len && is_digit((unsigned char)s[i]) && i - d < 2; i++)
            ;
        if (i == d || (i < len && is_digit((unsigned char)s[i])))
            return 0;
        depth++;
        if (i + 1 < len && s[i] == '.' && is_digit((unsigned char)s[i + 1])) {
            i++;
            continue;
        }
        if (i < len && s[i] == '.')
            i++;
        break;
    }
    if (i >= len || s[i] != ' ')
        return 0;
    return starts_upper(s + i + 1, len - i - 1) ? depth : 0;
}

/* ---- collecting --------------------------------------------------------------------------- */

static int collect_note(unsigned n, size_t off, void *payload)
{
    parser *p = payload;
    int rc;

    if ((rc = grow(&p->cnotes, &p->cap_cnotes, p->n_cnotes, sizeof *p->cnotes)) != LZ_OK)
        return rc;
    p->cnotes[p->n_cnotes].n = n;
    p->cnotes[p->n_cnotes].off = off;
    p->n_cnotes++;
    return LZ_OK;
}

/* Clean src[0, len) into the scratch buffer, markers into cnotes. */
static int clean_scratch(parser *p, const char *s, size_t len)
{
    int rc;

    lzi_buf_clear(&p->scratch);
    p->n_cnotes = 0;
    if ((rc = lzi_buf_append(&p->scratch, "", 0)) != LZ_OK)  /* allocated, NUL-terminated */
        return rc;
    return lzi_markup_clean(&p->scratch, s, len, collect_note, p);
}

/* Append s[0, len) to a buffer whose last `have` bytes are the text being built, with one
 * space between pieces. */
static int append_piece(lzi_buf *b, size_t have, const char *s, size_t len)
{
    int rc;
    while (len > 0 && s[0] == ' ') {
        s++;
        len--;
    }
    while (len > 0 && s[len - 1] == ' ')
        len--;
    if (len == 0)
        return LZ_OK;
    if (have > 0 && (rc = lzi_buf_putc(b, ' ')) != LZ_OK)
        return rc;
    return lzi_buf_append(b, s, len);
}

static int add_note(parser *p, unsigned n)
{
    int rc = grow(&p->notes, &p->cap_notes, p->n_notes, sizeof *p->notes);
    if (rc != LZ_OK)
        return rc;
    p->notes[p->n_notes++] = n;
    if (n > p->max_note)
        p->max_note = n;
    return LZ_OK;
}

/* Append the scratch text and its markers to block b, the last block. */
static int block_take_scratch(parser *p, block *b)
{
    size_t k;
    int rc;

    if ((rc = append_piece(&p->text, b->text_len, p->scratch.ptr, p->scratch.len)) != LZ_OK)
        return rc;
    b->text_len = p->text.len - b->text_off;
    for (k = 0; k < p->n_cnotes; k++) {
        if ((rc = add_note(p, p->cnotes[k].n)) != LZ_OK)
            return rc;
    }
    b->n_notes = p->n_notes - b->note_off;
    b->last_line = p->line;
    return LZ_OK;
}

static int new_block(parser *p, block_kind kind, size_t *out)
{
    block *b;
    int rc = grow(&p->blocks, &p->cap_blocks, p->n_blocks, sizeof *p->blocks);
    if (rc != LZ_OK)
        return rc;
    b = &p->blocks[p->n_blocks];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->flags = p->next_flags;
    b->first_line = b->last_line = p->line;
    b->text_off = p->text.len;
    b->note_off = p->n_notes;
    p->next_flags = 0;
    p->open_block = p->open_foot = p->row = NONE;
    p->foot_line = 0;
    *out = p->n_blocks++;
    return LZ_OK;
}

static int new_foot(parser *p, unsigned n, size_t *out)
{
    foot *f;
    int rc = grow(&p->feet, &p->cap_feet, p->n_feet, sizeof *p->feet);
    if (rc != LZ_OK)
        return rc;
    f = &p->feet[p->n_feet];
    f->n = n;
    f->first_line = f->last_line = p->line;
    f->text_off = p->ftext.len;
    f->text_len = 0;
    if (n > p->max_note)
        p->max_note = n;
    *out = p->n_feet++;
    return LZ_OK;
}

/* Append s[0, len) to footnote f, the last one. */
static int foot_append(parser *p, size_t f, const char *s, size_t len)
{
    foot *ft = &p->feet[f];
    size_t before = p->ftext.len;
    int rc = append_piece(&p->ftext, ft->text_len, s, len);
    if (rc != LZ_OK)
        return rc;
    ft->text_len = p->ftext.len - ft->text_off;
    if (p->ftext.len > before)
        ft->last_line = p->line;        /* a line that gave it text */
    return LZ_OK;
}

/* ---- tables ------------------------------------------------------------------------------- */

static int pending_has(const parser *p, unsigned n)
{
    unsigned r, k;
    for (r = 0; r < 2; r++) {
        for (k = 0; k < p->n_pending[r]; k++) {
            if (p->pending[r][k] == n)
                return 1;
        }
    }
    return 0;
}

static void pending_add(parser *p, unsigned n)
{
    if (p->n_pending[0] == LZI_PENDING_MAX) {    /* forget the oldest */
        memmove(p->pending[0], p->pending[0] + 1, (LZI_PENDING_MAX - 1) * sizeof(unsigned));
        p->n_pending[0]--;
    }
    p->pending[0][p->n_pending[0]++] = n;
}

static void pending_del(parser *p, unsigned n)
{
    unsigned r, k;
    for (r = 0; r < 2; r++) {
        for (k = 0; k < p->n_pending[r]; k++) {
            if (p->pending[r][k] == n) {
                p->pending[r][k] = p->pending[r][--p->n_pending[r]];
                return;
            }
        }
    }
}

/* State of the scan of one cell (analyse_cell). */
typedef struct cell_scan {
    size_t row;             /* the row block */
    size_t seg;             /* start of the text not yet handed to the row or a footnote */
    size_t def;             /* footnote being filled, or NONE: body text */
    int closes;             /* that footnote spilled over from the row above: it ends with its
                               first sentence and the row's own text follows */
    int body_seen;          /* body text handed over from this cell */
} cell_scan;

/* Hand scratch[seg, end) to the footnote being filled or to the row. */
static int flush_cell(parser *p, cell_scan *cs, size_t end)
{
    const char *s = p->scratch.ptr + cs->seg;
    size_t n = end - cs->seg;
    block *row = &p->blocks[cs->row];
    int rc;

    cs->seg = end;
    if (cs->def != NONE)
        return foot_append(p, cs->def, s, n);
    while (n > 0 && s[n - 1] == ' ')
        n--;
    while (n > 0 && s[0] == ' ') {
        s++;
        n--;
    }
    if (n == 0)
        return LZ_OK;
    if ((rc = append_piece(&p->text, row->text_len, s, n)) != LZ_OK)
        return rc;
    row->text_len = p->text.len - row->text_off;
    row->last_line = p->line;
    cs->body_seen = 1;
    return LZ_OK;
}

/* A footnote definition numbered n starts at scratch[at]; its text at scratch[from]. */
static int start_def(parser *p, cell_scan *cs, unsigned n, size_t at, size_t from)
{
    int rc;
    if ((rc = flush_cell(p, cs, at)) != LZ_OK)
        return rc;
    if ((rc = new_foot(p, n, &cs->def)) != LZ_OK)
        return rc;
    cs->closes = !cs->body_seen && at == 0;
    cs->seg = from;
    p->table_def = cs->def;
    pending_del(p, n);
    return LZ_OK;
}

/* Row `row` cites footnote n (its marker is gone from the text): a definition may follow. */
static int cite(parser *p, size_t row, unsigned n)
{
    int rc = add_note(p, n);
    if (rc != LZ_OK)
        return rc;
    p->blocks[row].n_notes = p->n_notes - p->blocks[row].note_off;
    pending_add(p, n);
    return LZ_OK;
}

static size_t skip_spaces(const char *s, size_t len, size_t i)
{
    while (i < len && s[i] == ' ')
        i++;
    return i;
}

/* Is a number at s[i] at a place where a footnote can start: the cell start, after the end of
 * a sentence, right after a marker (note_end: just after the last marker or note number) or
 * inside a footnote (where the next definition follows the previous one directly)? */
static int note_place(const char *s, size_t i, size_t note_end, int in_def)
{
    size_t k = i;
    if (in_def)
        return 1;
    while (k > 0 && s[k - 1] == ' ')
        k--;
    return k == 0 || k <= note_end || in_set(".;:?!", s[k - 1]);
}

/* The footnote definitions inside the cell in scratch, a cell of row `row`. PDF tables carry
 * their page's footnotes in the cell text: "... legal framework ¹⁰¹ that ... ¹⁰¹ The expression
 * ...". A marker or bare number N starts a definition when N was cited before (in this row or
 * the previous one) and a capital follows; a bare number also when it is the next footnote
 * number whose superscript was lost ("142 142 Such trainings", "138 Such trainings"), which then
 * counts as cited by the row. A definition runs to the next one or the end of the cell, but one
 * spilled over from the row above ends with its first sentence. */
static int analyse_cell(parser *p, size_t row, int continues_def)
{
    const char *s = p->scratch.ptr;
    size_t len = p->scratch.len, i = 0, mi = 0, note_end = 0;
    cell_scan cs = { row, 0, NONE, 0, 0 };
    int rc;

    if (continues_def && p->table_def != NONE) {
        cs.def = p->table_def;
        cs.closes = 1;
    }
    for (;;) {              /* the text up to the next marker, then the marker */
        size_t stop = mi < p->n_cnotes ? p->cnotes[mi].off : len;
        while (i < stop) {
            size_t t, after;
            unsigned v = 0;
            if (cs.def != NONE && cs.closes && in_set(".;?!", s[i]) &&
                (i + 1 == len || (s[i + 1] == ' ' && starts_upper(s + i + 2, len - i - 2)))) {
                if ((rc = flush_cell(p, &cs, i + 1)) != LZ_OK)
                    return rc;
                cs.def = p->table_def = NONE;
                cs.closes = 0;
                i++;
                continue;
            }
            if (!is_digit((unsigned char)s[i]) || (i > 0 && s[i - 1] != ' ')) {
                i++;
                continue;
            }
            for (t = i; t < len && is_digit((unsigned char)s[t]); t++) {
                if (t - i < LZI_NOTE_DIGITS_MAX)
                    v = v * 10 + (unsigned)(s[t] - '0');
            }
            if ((t < len && s[t] != ' ') || t - i > LZI_NOTE_DIGITS_MAX ||
                !note_place(s, i, note_end, cs.def != NONE)) {
                i = t;
                continue;
            }
            after = skip_spaces(s, len, t);
            if (pending_has(p, v) && starts_upper(s + after, len - after)) {
                if ((rc = start_def(p, &cs, v, i, t)) != LZ_OK)
                    return rc;
                i = note_end = t;
                continue;
            }
            if (p->max_note > 0 && v > p->max_note && v - p->max_note <= LZI_NOTE_GAP_MAX) {
                size_t t2 = after;
                while (t2 < len && is_digit((unsigned char)s[t2]))
                    t2++;
                if (t2 - after == t - i && memcmp(s + after, s + i, t - i) == 0 &&
                    (t2 == len || s[t2] == ' ')) {      /* "142 142 Such": a lost marker */
                    if ((rc = flush_cell(p, &cs, i)) != LZ_OK || (rc = cite(p, row, v)) != LZ_OK)
                        return rc;
                    cs.seg = i = note_end = t;
                    continue;
                }
                if (starts_upper(s + after, len - after)) {     /* "138 Such": no marker */
                    if ((rc = cite(p, row, v)) != LZ_OK ||
                        (rc = start_def(p, &cs, v, i, t)) != LZ_OK)
                        return rc;
                    i = note_end = t;
                    continue;
                }
            }
            i = t;
        }
        if (mi == p->n_cnotes)
            break;
        {
            unsigned v = p->cnotes[mi].n;
            size_t after = skip_spaces(s, len, stop);
            if (pending_has(p, v) && starts_upper(s + after, len - after))
                rc = start_def(p, &cs, v, stop, stop);  /* "¹⁰¹ The expression ..." */
            else
                rc = cite(p, row, v);                   /* "framework ¹⁰¹ that ..." */
            if (rc != LZ_OK)
                return rc;
            note_end = stop;
            mi++;
        }
    }
    if ((rc = flush_cell(p, &cs, len)) != LZ_OK)
        return rc;
    if (cs.def != NONE) {       /* still open if its sentence is not finished */
        foot *f = &p->feet[cs.def];
        text_end e = end_of(foot_text(p, f), f->text_len);
        p->table_def = e == E_SENTENCE ? NONE : cs.def;
    }
    return LZ_OK;
}

/* Is the first cell (trimmed) empty or debris: the row continues the row above? */
static int continuation_cell(const char *s, size_t len)
{
    size_t i, n, cps = 0;
    for (i = 0; i < len; i += n) {
        decode(s + i, len - i, &n);
        if (is_alpha((unsigned char)s[i]) || is_digit((unsigned char)s[i]))
            return 0;
        cps++;
    }
    return cps <= LZI_DEBRIS_CELL_MAX;
}

static void trim(const char *s, size_t *b, size_t *e)
{
    while (*b < *e && is_space((unsigned char)s[*b]))
        (*b)++;
    while (*e > *b && is_space((unsigned char)s[*e - 1]))
        (*e)--;
}

/* `| cell | cell |`: a row, or the continuation of the row above when its first cell is empty
 * or debris (`| | more text |`); its cells' text joined with spaces, footnotes set apart. */
static int on_pipe_row(parser *p, const char *s, size_t n)
{
    size_t i = 0, e = n, cell, row = p->row;
    int skip_label, cont, rc;

    trim(s, &i, &e);
    i++;                                /* the leading '|' */
    if (e > i && s[e - 1] == '|' && s[e - 2] != '\\')
        e--;                            /* the closing one */
    for (cell = 0; i <= e; cell++) {
        size_t c = i, cb = i, ce;
        while (c < e && !(s[c] == '|' && s[c - 1] != '\\'))
            c++;
        ce = c;
        trim(s, &cb, &ce);
        if (cell == 0) {                /* the label decides: a new row or more of the last */
            skip_label = continuation_cell(s + cb, ce - cb);
            cont = skip_label && row != NONE;
            if (!cont) {
                if ((rc = new_block(p, B_ROW, &row)) != LZ_OK)
                    return rc;
                memcpy(p->pending[1], p->pending[0], sizeof p->pending[0]);
                p->n_pending[1] = p->n_pending[0];
                p->n_pending[0] = 0;
                p->table_def = NONE;
            }
        }
        if (cell > 0 || !skip_label) {
            if ((rc = clean_scratch(p, s + cb, ce - cb)) != LZ_OK ||
                (rc = analyse_cell(p, row, cont && cell == 1)) != LZ_OK)
                return rc;
        }
        i = c + 1;
    }
    p->row = row;
    return LZ_OK;
}

/* A row of a tab-separated table (`ALBANIA<TAB>✓<TAB>✓`): one passage, cells joined. */
static int on_tab_row(parser *p, const char *s, size_t n)
{
    size_t i = 0, row;
    int rc;

    if ((rc = new_block(p, B_ROW, &row)) != LZ_OK)
        return rc;
    p->blocks[row].flags |= BF_TAB;
    while (i <= n) {
        const char *tab = memchr(s + i, '\t', n - i);
        size_t c = tab != NULL ? (size_t)(tab - s) : n;
        if ((rc = clean_scratch(p, s + i, c - i)) != LZ_OK ||
            (rc = block_take_scratch(p, &p->blocks[row])) != LZ_OK)
            return rc;
        i = c + 1;
    }
    return LZ_OK;
}

/* ---- line classification ------------------------------------------------------------------ */

/* `---`, `***`, `___` (spaces allowed between): a rule, in these files a page break. */
static int is_rule(const char *s, size_t n)
{
    size_t i, count = 0;
    if (n == 0 || !in_set("-*_", s[0]))
        return 0;
    for (i = 0; i < n; i++) {
        if (s[i] == s[0])
            count++;
        else if (!is_space((unsigned char)s[i]))
            return 0;
    }
    return count >= 3;
}

/* `|---|:--|`: the separator row of a pipe table. */
static int is_table_sep(const char *s, size_t n)
{
    size_t i;
    int pipe = 0, dash = 0;
    for (i = 0; i < n; i++) {
        if (s[i] == '|')
            pipe = 1;
        else if (s[i] == '-')
            dash = 1;
        else if (s[i] != ':' && !is_space((unsigned char)s[i]))
            return 0;
    }
    return pipe && dash;
}

/* A table-of-contents line: "I.<TAB>Introduction .....<TAB>3" (dot leaders) or
 * "Contents<TAB><b>05</b>" (one tab, the page number in bold). */
static int is_toc(const char *s, size_t n)
{
    size_t e = n, d, g, k;
    int bold = 0, tab = 0;

    if (ends_with(s, e, "</b>") || ends_with(s, e, "**")) {
        e -= s[e - 1] == '>' ? 4 : 2;
        bold = 1;
    }
    for (d = e; d > 0 && is_digit((unsigned char)s[d - 1]); d--)
        ;
    if (d == e || e - d > 4)
        return 0;
    if (bold) {
        if (ends_with(s, d, "<b>"))
            d -= 3;
        else if (ends_with(s, d, "**"))
            d -= 2;
        else
            return 0;
    }
    for (g = d; g > 0 && is_space((unsigned char)s[g - 1]); g--)
        tab |= s[g - 1] == '\t';
    if (g == d || g == 0)
        return 0;
    for (k = 0; k < g && !is_alpha((unsigned char)s[k]); k++)
        ;
    if (k == g)
        return 0;                       /* no words before the number */
    if ((g >= 3 && memcmp(s + g - 3, "...", 3) == 0) || ends_with(s, g, "\xE2\x80\xA6"))
        return 1;
    return bold && tab && memchr(s, '\t', g) == NULL;
}

/* A markdown heading `## Text ##`: its level (1-6) and text range, 0 if not a heading. */
static unsigned md_heading(const char *s, size_t n, size_t *tb, size_t *te)
{
    size_t i = 0;
    while (i < n && s[i] == '#')
        i++;
    if (i == 0 || i > 6 || (i < n && s[i] != ' ' && s[i] != '\t'))
        return 0;
    *tb = i;
    *te = n;
    while (*te > *tb && s[*te - 1] == '#')     /* closing #s, when set off by a space */
        (*te)--;
    if (*te < n && *te > *tb && !is_space((unsigned char)s[*te - 1]))
        *te = n;
    trim(s, tb, te);
    return (unsigned)i;
}

/* A list item: `- `, `* `, `+ `, `• ` (the bullet is dropped) or `1. `, `1) `, `a) `, `(a) `
 * (the number is text: "1. Each Party shall ..." cites paragraph 1). Returns 1 and where its
 * text starts, 0 if not a list item. */
static int list_item(const char *s, size_t n, size_t *text, int *numbered)
{
    size_t i = 0;

    *numbered = 0;
    if (n >= 1 && in_set("-*+", s[0]) && (n == 1 || is_space((unsigned char)s[1])))
        i = 1;
    else if (n >= 3 && memcmp(s, "\xE2\x80\xA2", 3) == 0 &&
             (n == 3 || is_space((unsigned char)s[3])))
        i = 3;
    if (i > 0) {
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        *text = i;
        return 1;
    }
    while (i < n && i < 3 && is_digit((unsigned char)s[i]))
        i++;
    if (i > 0) {
        *numbered = 1;
    } else if (n >= 1 && s[0] >= 'a' && s[0] <= 'z') {
        i = 1;
        if (i < n && s[i] != ')')
            return 0;
    } else if (n >= 3 && s[0] == '(') {
        for (i = 1; i < n && i < 5 && (is_digit((unsigned char)s[i]) ||
                                       (s[i] >= 'a' && s[i] <= 'z')); i++)
            ;
        if (i == 1 || i >= n || s[i] != ')')
            return 0;
    } else {
        return 0;
    }
    if (i + 1 >= n || (s[i] != '.' && s[i] != ')') || !is_space((unsigned char)s[i + 1]))
        return 0;
    *text = 0;
    return 1;
}

static int is_blank(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (is_space((unsigned char)s[i]))
            continue;
        if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
            i++;                        /* no-break space */
            continue;
        }
        return 0;
    }
    return 1;
}

/* A line of text (not a heading, list item or table row): a footnote definition when it starts
 * with a marker, else the continuation of a paragraph or footnote, or a new paragraph. */
static int on_text(parser *p, const char *raw, size_t n)
{
    size_t b;
    int rc;

    if ((rc = clean_scratch(p, raw, n)) != LZ_OK)
        return rc;
    if (p->n_cnotes > 0 && p->cnotes[0].off == 0) {     /* `<sup>7</sup> The expression ...` */
        size_t f;
        if ((rc = new_foot(p, p->cnotes[0].n, &f)) != LZ_OK ||
            (rc = foot_append(p, f, p->scratch.ptr, p->scratch.len)) != LZ_OK)
            return rc;
        p->open_block = p->row = NONE;
        p->open_foot = f;
        p->foot_line = 1;
        p->next_flags |= BF_BREAK;
        return LZ_OK;
    }
    if (p->open_block != NONE) {        /* the next line of a paragraph or list item */
        block *blk = &p->blocks[p->open_block];
        blk->flags |= BF_MULTI;
        return block_take_scratch(p, blk);
    }
    if (p->open_foot != NONE) {
        /* A footnote goes on after blank lines with a link ("can be found at:" / "<https:...>")
         * or with lower-case words when its own text is visibly cut ("is not limited to" /
         * "legislation but ..."). Otherwise the text belongs to the body: a sentence cut by
         * the page break resumes after the footnotes. */
        const foot *f = &p->feet[p->open_foot];
        text_end e = end_of(foot_text(p, f), f->text_len);
        size_t i = 0, len = n;
        int link;
        trim(raw, &i, &len);
        link = raw[i] == '[' || url_at(raw + i, len - i) ||
               (raw[i] == '<' && url_at(raw + i + 1, len - i - 1));
        if (p->foot_line || (link && e != E_SENTENCE) ||
            (start_of(p->scratch.ptr, p->scratch.len) == S_LOWER &&
             (e == E_DANGLING || e == E_COMMA || e == E_COLON))) {
            p->foot_line = 1;
            return foot_append(p, p->open_foot, p->scratch.ptr, p->scratch.len);
        }
    }
    if ((rc = new_block(p, B_PARA, &b)) != LZ_OK)
        return rc;
    p->open_block = b;
    return block_take_scratch(p, &p->blocks[b]);
}

static int all_digits(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n && is_digit((unsigned char)s[i]); i++)
        ;
    return i == n;
}

/* Is the (trimmed) line entirely in bold: `**Generic recommendations ...**`? */
static int all_bold(const char *s, size_t n)
{
    size_t i;
    if (n < 5 || memcmp(s, "**", 2) != 0 || !ends_with(s, n, "**"))
        return 0;
    for (i = 2; i + 2 < n; i++) {
        if (s[i] == '*' && s[i + 1] == '*')
            return 0;
    }
    return 1;
}

/* `## Text`: a heading block, or the second line of the heading above when nothing came
 * between and the text goes on in lower case or with a bracket ("#### ... was committed" /
 * "#### (Article 25(6))"). Markers in headings cite nothing we keep. */
static int on_heading(parser *p, const char *s, size_t n, unsigned level)
{
    block *last = p->n_blocks > 0 ? &p->blocks[p->n_blocks - 1] : NULL;
    size_t blk;
    int rc;

    if ((rc = clean_scratch(p, s, n)) != LZ_OK)
        return rc;
    p->n_cnotes = 0;
    if (p->scratch.len == 0) {          /* "#" alone */
        p->next_flags |= BF_BLANK;
        return LZ_OK;
    }
    if (last != NULL && last->kind == B_HEAD && last->level == level &&
        p->open_foot == NONE && p->row == NONE &&
        (p->scratch.ptr[0] == '(' || start_of(p->scratch.ptr, p->scratch.len) == S_LOWER)) {
        rc = block_take_scratch(p, last);
    } else {
        if ((rc = new_block(p, B_HEAD, &blk)) != LZ_OK)
            return rc;
        p->blocks[blk].level = level;
        rc = block_take_scratch(p, &p->blocks[blk]);
    }
    p->next_flags |= BF_BLANK;          /* what follows a heading stands alone */
    return rc;
}

static int on_list_item(parser *p, const char *s, size_t n, int numbered)
{
    size_t blk;
    int rc;

    if ((rc = new_block(p, B_LIST, &blk)) != LZ_OK || (rc = clean_scratch(p, s, n)) != LZ_OK)
        return rc;
    p->blocks[blk].flags |= numbered ? BF_NUMBERED : 0;
    p->open_block = blk;                /* the lines below it without a blank continue it */
    return block_take_scratch(p, &p->blocks[blk]);
}

/* One line of the source, without its line feed. */
static int do_line(parser *p, const char *raw, size_t n)
{
    size_t b = 0, e = n, tb, te;
    const char *s;
    unsigned level;
    int numbered, rc = LZ_OK;

    if (is_blank(raw, n)) {
        p->next_flags |= BF_BLANK;
        p->open_block = NONE;
        p->foot_line = 0;
        p->prev_blank = 1;
        return LZ_OK;
    }
    trim(raw, &b, &e);
    s = raw + b;
    if (!p->have_first_line) {
        p->first_line_off = (size_t)(s - p->src);
        p->first_line_len = e - b;
        p->have_first_line = 1;
    }
    if (is_rule(s, e - b)) {
        p->next_flags |= BF_BREAK | BF_BLANK;
        p->open_block = NONE;
        p->foot_line = 0;
    } else if ((level = md_heading(s, e - b, &tb, &te)) > 0) {
        rc = on_heading(p, s + tb, te - tb, level);
    } else if (is_table_sep(s, e - b)) {
        p->open_block = NONE;           /* a pipe row after it may still continue the row */
    } else if (s[0] == '|') {
        rc = on_pipe_row(p, s, e - b);
    } else if (is_toc(s, e - b)) {
        if (p->n_blocks > 0 && p->blocks[p->n_blocks - 1].kind == B_HEAD &&
            p->open_foot == NONE && p->row == NONE)
            p->blocks[p->n_blocks - 1].flags |= BF_TOC;
        p->open_block = p->open_foot = p->row = NONE;
        p->foot_line = 0;
    } else if (list_item(s, e - b, &tb, &numbered)) {
        rc = on_list_item(p, s + tb, e - b - tb, numbered);
    } else if (memchr(raw, '\t', n) != NULL) {         /* "ANDORRA<TAB><TAB>" too */
        rc = on_tab_row(p, raw, e);
    } else if (p->prev_blank && e - b <= 4 && all_digits(s, e - b)) {
        p->next_flags |= BF_BREAK;      /* a page number */
        p->open_block = NONE;
    } else {
        size_t before = p->n_blocks;
        rc = on_text(p, s, e - b);
        if (rc == LZ_OK && p->n_blocks > before && all_bold(s, e - b))
            p->blocks[p->n_blocks - 1].flags |= BF_BOLD;
    }
    p->prev_blank = 0;
    return rc;
}

static int read_lines(parser *p)
{
    size_t off = 0;
    int rc;

    while (off < p->len) {
        const char *nl = memchr(p->src + off, '\n', p->len - off);
        size_t end = nl != NULL ? (size_t)(nl - p->src) : p->len;
        if (p->line == UINT_MAX)
            return lzi_error_set(LZ_EINPUT, "more than %u lines", UINT_MAX - 1);
        p->line++;
        if ((rc = do_line(p, p->src + off, end - off)) != LZ_OK)
            return rc;
        off = end + 1;
    }
    return LZ_OK;
}

/* ---- decisions, last block first ---------------------------------------------------------- */

/* Could block b (followed by nx) be a bare heading? Single lines only: a chapter line
 * ("III. Investigations ..."), a numbered heading, a line entirely in bold, or a short
 * title-like line (capital first, no final punctuation, one clause). Returns 2 if so, 1 for a
 * title-like line that heads nothing by itself (one capitalised word: "FACTSHEET", "ENG") but
 * still makes the line above it part of a cover or legend, 0 otherwise. */
static int heading_candidate(const parser *p, const block *b, const block *nx)
{
    const char *s = btext(p, b);
    size_t len = b->text_len, i;
    text_end e = end_of(s, len);
    int lower = 0, words = 1, comma = 0;

    if ((b->flags & BF_MULTI) || len == 0 || len > LZI_BARE_HEADING_MAX)
        return 0;
    if (b->kind == B_LIST) {
        return 2 * ((b->flags & BF_NUMBERED) && (b->flags & BF_BLANK) && nx != NULL &&
               (nx->flags & BF_BLANK) && nx->kind != B_LIST && len <= LZI_SHORT_HEADING_MAX &&
               e == E_OPEN && numbered_depth(s, len) > 0);
    }
    if (b->flags & BF_BOLD)
        return 2 * ((starts_upper(s, len) || is_digit((unsigned char)s[0])) && e != E_COMMA);
    if (e == E_SENTENCE || e == E_COMMA || e == E_DANGLING)
        return 0;
    if (roman_chapter(s, len) || (numbered_depth(s, len) > 0 && len <= LZI_SHORT_HEADING_MAX))
        return 2 * (e == E_OPEN);
    if (!starts_upper(s, len) || is_caption(s, len))
        return 0;
    for (i = 0; i < len; i++) {
        size_t n;
        if (s[i] == ' ') {
            words++;
            if (i > 0 && in_set(".;?!", s[i - 1]) && starts_upper(s + i + 1, len - i - 1))
                return 0;               /* two sentences */
        }
        comma |= s[i] == ',';
        lower |= cp_lower(decode(s + i, len - i, &n));
        if (url_at(s + i, len - i))
            return 0;                   /* a reference, not a title */
    }
    if (words == 1 && !lower)
        return 1;                       /* "ENG": a code, not a title */
    if (e == E_COLON) {                 /* a title before a paragraph, not a lead-in */
        return len <= LZI_SHORT_HEADING_MAX && !comma && nx != NULL && nx->kind == B_PARA &&
               start_of(btext(p, nx), nx->text_len) != S_QUOTE ? 2 : 0;
    }
    return 2;
}

/* Page-break joins and bare headings. A paragraph or list item whose text is cut (no final
 * . : ; ? !) is continued by the next paragraph when that starts in lower case, or after a
 * page break (rule, footnotes, page number) by any paragraph that is no heading; by a list
 * item only after a page break, cut on a function word and resumed in lower case (the
 * extraction made a bullet of "an / - introductory level ..."). A bare heading is a candidate
 * followed by body text: in a run of candidates only the last can be one. */
static void decide(parser *p)
{
    size_t i;

    for (i = p->n_blocks; i-- > 0;) {
        block *b = &p->blocks[i], *nx = i + 1 < p->n_blocks ? &p->blocks[i + 1] : NULL;
        text_end e;
        int cand;

        if (b->kind == B_HEAD || b->kind == B_ROW)
            continue;
        e = end_of(btext(p, b), b->text_len);
        if (nx != NULL && (e == E_OPEN || e == E_DANGLING || e == E_COMMA) &&
            !is_caption(btext(p, b), b->text_len)) {
            text_start st = start_of(btext(p, nx), nx->text_len);
            if (nx->kind == B_PARA && !(nx->flags & BF_HEADING) &&
                (st == S_LOWER || (nx->flags & BF_BREAK)))
                b->flags |= BF_JOIN;
            else if (nx->kind == B_LIST && (nx->flags & BF_BREAK) && e == E_DANGLING &&
                     st == S_LOWER && !(nx->flags & BF_NUMBERED))
                b->flags |= BF_JOIN;
        }
        if (b->flags & BF_JOIN)
            continue;
        cand = heading_candidate(p, b, nx);
        if (cand > 0)
            b->flags |= BF_CAND;
        if (cand == 2 && nx != NULL && nx->kind != B_HEAD && !(nx->flags & BF_CAND))
            b->flags |= BF_HEADING;
    }
}

/* Drop blocks whose clean text is empty ("- ", "**", a row of empty cells); a page break or
 * blank line before one counts for the block after it. */
static void compact(parser *p)
{
    size_t i, n = 0;
    unsigned carry = 0;

    for (i = 0; i < p->n_blocks; i++) {
        block *b = &p->blocks[i];
        if (b->text_len == 0) {
            carry |= b->flags & (BF_BREAK | BF_BLANK);
            continue;
        }
        b->flags |= carry;
        carry = 0;
        p->blocks[n++] = *b;
    }
    p->n_blocks = n;
}

/* ---- section paths ------------------------------------------------------------------------ */

typedef struct outline {
    open_heading open[LZI_MAX_SECTION_DEPTH];
    unsigned depth;
    unsigned chapter_rank;  /* rank of chapter headings, 0 until the first one */
    int chapter_family;     /* 1 roman ("IV."), 2 arabic ("4."), 0 none yet */
    int had_body;           /* a passage since the last heading */
} outline;

static void push_heading(outline *o, size_t bi, unsigned rank, heading_kind kind)
{
    while (o->depth > 0 && o->open[o->depth - 1].rank >= rank)
        o->depth--;
    if (kind == H_CHAPTER)
        o->depth = 0;                   /* chapters are the top of the outline */
    if (o->depth == LZI_MAX_SECTION_DEPTH)
        o->depth--;                     /* too deep: replaces the deepest kept */
    o->open[o->depth].block = bi;
    o->open[o->depth].rank = rank;
    o->open[o->depth].kind = kind;
    o->depth++;
}

/* Place heading block b in the outline. Markdown levels in PDF extractions are noisy, so:
 * numbered chapters ("III. ...", "3. ...") share one rank whatever their #s and close every
 * open heading; an unnumbered heading at the chapter's own level belongs inside the chapter;
 * a bold line nests below the chapter (or the current markdown heading); a bare title-like
 * line is the sibling of the heading above when text came between them (or that heading is
 * itself bare), else its child, and always inside the chapter. */
static void place_heading(const parser *p, outline *o, size_t bi)
{
    const block *b = &p->blocks[bi];
    const char *s = btext(p, b);
    unsigned depth = numbered_depth(s, b->text_len), rank, top_rank;
    int family = roman_chapter(s, b->text_len) ? 1 : depth == 1 ? 2 : 0;
    int chapter_open = o->depth > 0 && o->open[0].kind == H_CHAPTER;
    const open_heading *top = o->depth > 0 ? &o->open[o->depth - 1] : NULL;
    unsigned level = b->kind == B_HEAD ? b->level : o->chapter_rank ? o->chapter_rank : 1;

    if (b->flags & BF_TOC) {            /* "Contents" heads no text: it closes, opens nothing */
        o->depth = 0;
        return;
    }
    if (family != 0 && (o->chapter_family == 0 || o->chapter_family == family)) {
        if (o->chapter_family == 0) {
            o->chapter_family = family;
            o->chapter_rank = level;
        }
        push_heading(o, bi, o->chapter_rank, H_CHAPTER);
        return;
    }
    if (family != 0 || depth > 1) {     /* another numbering family, or "2.3": a section */
        if (o->chapter_rank == 0)
            rank = b->kind == B_HEAD ? b->level : depth;
        else
            rank = o->chapter_rank + (depth > 1 ? depth - 1 : 1);
        push_heading(o, bi, rank, H_MARKDOWN);
        return;
    }
    if (b->kind == B_HEAD) {
        rank = b->level;
        if (chapter_open && rank == o->chapter_rank)
            rank++;
        push_heading(o, bi, rank, H_MARKDOWN);
        return;
    }
    top_rank = top != NULL ? top->rank : 0;
    if (b->flags & BF_BOLD) {
        rank = chapter_open ? o->chapter_rank + 1
               : top == NULL ? 1 : top->kind == H_MARKDOWN ? top_rank + 1 : top_rank;
        push_heading(o, bi, rank, H_BOLD);
        return;
    }
    if (top == NULL)
        rank = 1;
    else if (top->kind == H_BOLD || top->kind == H_TITLE || o->had_body)
        rank = top_rank;
    else
        rank = top_rank + 1;
    if (chapter_open && rank <= o->chapter_rank)
        rank = o->chapter_rank + 1;
    push_heading(o, bi, rank, H_TITLE);
}

/* Blocks -> drafts: headings feed the outline, joined blocks make one passage. The rows of a
 * tab-separated table (a run of rows under one heading, footnotes and page breaks between them
 * allowed) are read under its first row, the column headings. */
static int assemble(parser *p)
{
    outline o;
    size_t i, table = NONE;
    unsigned k;
    int rc;

    memset(&o, 0, sizeof o);
    for (i = 0; i < p->n_blocks; i++) {
        block *b = &p->blocks[i];
        draft *d;
        if (b->kind == B_HEAD || (b->flags & BF_HEADING)) {
            place_heading(p, &o, i);
            o.had_body = 0;
            table = NONE;
            continue;
        }
        if (i > 0 && (p->blocks[i - 1].flags & BF_JOIN)) {
            p->drafts[p->n_drafts - 1].last_block = i;
            continue;
        }
        if ((rc = grow(&p->drafts, &p->cap_drafts, p->n_drafts, sizeof *p->drafts)) != LZ_OK)
            return rc;
        d = &p->drafts[p->n_drafts++];
        d->first_block = d->last_block = i;
        /* footnotes and page breaks between rows are no drafts: the table goes on over them */
        d->columns = (b->flags & BF_TAB) ? table : NONE;
        table = !(b->flags & BF_TAB) ? NONE : table == NONE ? p->n_drafts - 1 : table;
        d->path_off = p->n_paths;
        d->n_path = o.depth;
        for (k = 0; k < o.depth; k++) {
            if ((rc = grow(&p->paths, &p->cap_paths, p->n_paths, sizeof *p->paths)) != LZ_OK)
                return rc;
            p->paths[p->n_paths++] = o.open[k].block;
        }
        o.had_body = 1;
    }
    return LZ_OK;
}

/* ---- packing ------------------------------------------------------------------------------ */

static int add_size(size_t *total, size_t n)
{
    if (n > SIZE_MAX - *total)
        return lzi_error_set(LZ_ENOMEM, "document too large to pack");
    *total += n;
    return LZ_OK;
}

static int mul_size(size_t *out, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return lzi_error_set(LZ_ENOMEM, "document too large to pack");
    *out = n * size;
    return LZ_OK;
}

/* The title: the first markdown heading; without one, the longest line of the cover (the
 * short lines before the first sentence, up to and with the first bare heading); without a
 * cover, the first non-blank line. */
static int make_title(const parser *p, char **out)
{
    size_t i, best = NONE;
    lzi_buf b = LZI_BUF_INIT;
    int rc;

    for (i = 0; i < p->n_blocks; i++) {
        if (p->blocks[i].kind == B_HEAD && !(p->blocks[i].flags & BF_TOC)) {
            *out = lzi_strndup(btext(p, &p->blocks[i]), p->blocks[i].text_len);
            return *out != NULL ? LZ_OK : lzi_error_set(LZ_ENOMEM, "out of memory (title)");
        }
    }
    for (i = 0; i < p->n_blocks && i < LZI_TITLE_SCAN_BLOCKS; i++) {
        const block *bl = &p->blocks[i];
        text_end e = end_of(btext(p, bl), bl->text_len);
        if (bl->kind != B_PARA || (bl->flags & BF_MULTI) || bl->text_len > LZI_BARE_HEADING_MAX)
            break;
        if (!(bl->flags & BF_HEADING) && (e == E_SENTENCE || e == E_COLON))
            break;
        if (best == NONE || bl->text_len > p->blocks[best].text_len)
            best = i;
        if (bl->flags & BF_HEADING)
            break;
    }
    if (best != NONE) {
        *out = lzi_strndup(btext(p, &p->blocks[best]), p->blocks[best].text_len);
    } else {
        /* the empty append makes even an empty title an allocated, terminated string */
        if ((rc = lzi_buf_append(&b, "", 0)) != LZ_OK ||
            (p->have_first_line &&
             (rc = lzi_markup_clean(&b, p->src + p->first_line_off, p->first_line_len, NULL,
                                    NULL)) != LZ_OK)) {
            lzi_buf_dispose(&b);
            return rc;
        }
        *out = lzi_buf_detach(&b);
    }
    return *out != NULL ? LZ_OK : lzi_error_set(LZ_ENOMEM, "out of memory (title)");
}

/* Pack the drafts into one allocation: the passage array, then the section path and note
 * arrays, then the texts and the heading strings the paths share (one copy per heading, so
 * the size stays linear in the input however many passages a heading covers). */
static int pack_passages(parser *p, lzi_document *doc)
{
    size_t n_sec = 0, n_notes = 0, n_chars = 0, pool = 0, total = 0, bytes = 0, i, k;
    char **sec;
    unsigned *notes;
    char *chars, *pool_chars;
    lzi_passage *ps;
    int rc = LZ_OK;

    if (p->n_drafts == 0)
        return LZ_OK;
    for (i = 0; i < p->n_blocks; i++) {
        block *b = &p->blocks[i];
        if (b->kind == B_HEAD || (b->flags & BF_HEADING)) {
            b->pool_off = pool;
            if ((rc = add_size(&pool, b->text_len + 1)) != LZ_OK)
                return rc;
        }
    }
    for (i = 0; i < p->n_drafts && rc == LZ_OK; i++) {
        const draft *d = &p->drafts[i];
        rc = add_size(&n_sec, d->n_path);
        for (k = d->first_block; k <= d->last_block && rc == LZ_OK; k++) {
            if ((rc = add_size(&n_notes, p->blocks[k].n_notes)) == LZ_OK)
                rc = add_size(&n_chars, p->blocks[k].text_len + 1);
        }
    }
    if (rc != LZ_OK || (rc = mul_size(&bytes, p->n_drafts, sizeof *ps)) != LZ_OK ||
        (rc = add_size(&total, bytes)) != LZ_OK ||
        (rc = mul_size(&bytes, n_sec, sizeof *sec)) != LZ_OK ||
        (rc = add_size(&total, bytes)) != LZ_OK ||
        (rc = mul_size(&bytes, n_notes, sizeof *notes)) != LZ_OK ||
        (rc = add_size(&total, bytes)) != LZ_OK || (rc = add_size(&total, n_chars)) != LZ_OK ||
        (rc = add_size(&total, pool)) != LZ_OK)
        return rc;
    if ((ps = lzi_malloc(total)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory (%zu bytes of passages)", total);
    /* alignment holds: each array's element size divides the one before it */
    sec = (char **)(void *)(ps + p->n_drafts);
    notes = (unsigned *)(void *)(sec + n_sec);
    chars = (char *)(notes + n_notes);
    pool_chars = chars + n_chars;
    for (i = 0; i < p->n_blocks; i++) {
        const block *b = &p->blocks[i];
        if (b->kind == B_HEAD || (b->flags & BF_HEADING)) {
            memcpy(pool_chars + b->pool_off, btext(p, b), b->text_len);
            pool_chars[b->pool_off + b->text_len] = '\0';
        }
    }
    for (i = 0; i < p->n_drafts; i++) {
        const draft *d = &p->drafts[i];
        lzi_passage *out = &ps[i];
        out->kind = p->blocks[d->first_block].kind == B_LIST ? LZI_PASSAGE_LIST_ITEM
                    : p->blocks[d->first_block].kind == B_ROW ? LZI_PASSAGE_TABLE_ROW
                                                              : LZI_PASSAGE_PARAGRAPH;
        out->first_line = p->blocks[d->first_block].first_line;
        out->last_line = p->blocks[d->last_block].last_line;
        out->section = sec;
        out->n_section = d->n_path;
        for (k = 0; k < d->n_path; k++)
            *sec++ = pool_chars + p->blocks[p->paths[d->path_off + k]].pool_off;
        out->notes = notes;
        out->n_notes = 0;
        out->text = chars;
        for (k = d->first_block; k <= d->last_block; k++) {
            const block *b = &p->blocks[k];
            if (b->n_notes > 0)         /* p->notes is NULL in a document without notes */
                memcpy(notes, p->notes + b->note_off, b->n_notes * sizeof *notes);
            notes += b->n_notes;
            out->n_notes += b->n_notes;
            if (k > d->first_block)
                *chars++ = ' ';
            memcpy(chars, btext(p, b), b->text_len);
            chars += b->text_len;
        }
        out->text_len = (size_t)(chars - out->text);
        *chars++ = '\0';
        out->columns = d->columns != NONE ? ps[d->columns].text : NULL;
    }
    doc->passages = ps;
    doc->n_passages = p->n_drafts;
    return LZ_OK;
}

/* Pack the footnotes into one allocation: the array, then the texts. */
static int pack_footnotes(const parser *p, lzi_document *doc)
{
    size_t total = 0, chars = 0, i;
    lzi_footnote *fs;
    char *at;
    int rc;

    if (p->n_feet == 0)
        return LZ_OK;
    for (i = 0; i < p->n_feet; i++) {
        if ((rc = add_size(&chars, p->feet[i].text_len + 1)) != LZ_OK)
            return rc;
    }
    if ((rc = mul_size(&total, p->n_feet, sizeof *fs)) != LZ_OK ||
        (rc = add_size(&total, chars)) != LZ_OK)
        return rc;
    if ((fs = lzi_malloc(total)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory (%zu bytes of footnotes)", total);
    at = (char *)(fs + p->n_feet);
    for (i = 0; i < p->n_feet; i++) {
        const foot *f = &p->feet[i];
        fs[i].n = f->n;
        fs[i].first_line = f->first_line;
        fs[i].last_line = f->last_line;
        fs[i].text = at;
        if (f->text_len > 0)
            memcpy(at, p->ftext.ptr + f->text_off, f->text_len);
        at += f->text_len;
        *at++ = '\0';
    }
    doc->footnotes = fs;
    doc->n_footnotes = p->n_feet;
    return LZ_OK;
}

/* ---- entry points ------------------------------------------------------------------------- */

static void parser_dispose(parser *p)
{
    lzi_buf_dispose(&p->text);
    lzi_buf_dispose(&p->ftext);
    lzi_buf_dispose(&p->scratch);
    lzi_free(p->blocks);
    lzi_free(p->feet);
    lzi_free(p->notes);
    lzi_free(p->cnotes);
    lzi_free(p->paths);
    lzi_free(p->drafts);
}

int lzi_parse(lzi_document *out, const char *src, size_t len, const char *name)
{
    lzi_document doc = LZI_DOCUMENT_INIT;
    parser p;
    int rc;

    if (out == NULL || (src == NULL && len > 0))
        return lzi_error_set(LZ_EINVAL, "lzi_parse: NULL argument");
    if (out->title != NULL || out->passages != NULL || out->footnotes != NULL)
        return lzi_error_set(LZ_EINVAL, "lzi_parse: the document is not empty");
    memset(&p, 0, sizeof p);
    p.src = src;
    p.len = len;
    p.name = name != NULL ? name : "(document)";
    p.next_flags = BF_BLANK;            /* the start of the file counts as a blank line */
    p.prev_blank = 1;
    p.open_block = p.open_foot = p.row = p.table_def = NONE;
    if ((rc = read_lines(&p)) != LZ_OK)
        goto done;
    compact(&p);
    decide(&p);
    if ((rc = assemble(&p)) != LZ_OK || (rc = make_title(&p, &doc.title)) != LZ_OK ||
        (rc = pack_passages(&p, &doc)) != LZ_OK || (rc = pack_footnotes(&p, &doc)) != LZ_OK)
        goto done;
    *out = doc;                         /* ownership moves to the caller */
    doc = (lzi_document)LZI_DOCUMENT_INIT;
done:
    if (rc != LZ_OK)
        lzi_error_prefix(rc, "%s", p.name);
    lzi_document_dispose(&doc);         /* no-op after the move */
    parser_dispose(&p);
    return rc;
}

void lzi_document_dispose(lzi_document *doc)
{
    if (doc == NULL)
        return;
    lzi_free(doc->title);               /* the other pointers lead into these three blocks */
    lzi_free(doc->passages);
    lzi_free(doc->footnotes);
    *doc = (lzi_document)LZI_DOCUMENT_INIT;
}

const lzi_footnote *lzi_document_footnote(const lzi_document *doc, unsigned n, unsigned near_line)
{
    size_t lo = 0, hi, i;

    if (doc == NULL || doc->n_footnotes == 0)
        return NULL;
    hi = doc->n_footnotes;              /* footnotes are in source order: bisect near_line */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->footnotes[mid].first_line < near_line)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (i = lo; i < doc->n_footnotes; i++) {
        if (doc->footnotes[i].n == n)
            return &doc->footnotes[i];
    }
    for (i = lo; i-- > 0;) {
        if (doc->footnotes[i].n == n)
            return &doc->footnotes[i];
    }
    return NULL;
}
