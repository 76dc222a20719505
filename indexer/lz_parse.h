/* The passage parser: raw document bytes (PDF extraction with light markdown) -> a document
 * model: title, passages with their line ranges and section paths, footnote definitions attached
 * to the passages whose markers cite them. Source bytes are never changed: line numbers count
 * lines of the file as shipped. Sits between source loading and indexing in indexer/. */
#ifndef LZ_PARSE_H
#define LZ_PARSE_H

#include <stddef.h>

#include "lz_common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lzi_passage_kind {
    LZI_PASSAGE_PARAGRAPH = 0,
    LZI_PASSAGE_LIST_ITEM = 1,
    LZI_PASSAGE_TABLE_ROW = 2
} lzi_passage_kind;

/* A footnote definition: `<sup>56</sup> Recommendation IV-6.` or `⁴ Recommendation VII-1.` */
typedef struct lzi_footnote {
    unsigned n;                 /* its number */
    char *text;                 /* clean text (markup removed), UTF-8 */
    unsigned first_line, last_line;  /* 1-based, inclusive */
} lzi_footnote;

typedef struct lzi_passage {
    lzi_passage_kind kind;
    unsigned first_line, last_line;  /* 1-based, inclusive, lines of the source */
    char *text;                 /* clean text: markup and footnote markers removed, lines joined
                                   with one space; never empty */
    size_t text_len;
    char **section;             /* heading chain above the passage, outermost first, clean */
    size_t n_section;
    unsigned *notes;            /* numbers of the footnote markers in the passage, in order */
    size_t n_notes;
    const char *columns;        /* a row of a tab-separated table below its first row: the text
                                   of that first row (the column headings), else NULL */
} lzi_passage;

/* Every string and array reachable from a document (titles, passage texts, section paths,
 * notes, footnote texts) is owned by the document: readers borrow them until
 * lzi_document_dispose() and never free them one by one. */
typedef struct lzi_document {
    char *title;                /* first heading, else first non-blank line, clean */
    lzi_passage *passages;
    size_t n_passages;
    lzi_footnote *footnotes;    /* every footnote definition, in source order */
    size_t n_footnotes;
} lzi_document;

#define LZI_DOCUMENT_INIT { NULL, NULL, 0, NULL, 0 }

/* Parse src (valid UTF-8, no NUL bytes) into *out, which must be LZI_DOCUMENT_INIT. `name` is
 * used in messages only. On failure *out is left empty. */
int lzi_parse(lzi_document *out, const char *src, size_t len, const char *name);

/* Release everything *doc owns and reset it to LZI_DOCUMENT_INIT. */
void lzi_document_dispose(lzi_document *doc);

/* The footnote numbered n defined in doc, or NULL. When a number is defined twice (restarted
 * numbering) the definition nearest after line `near_line` wins (else the nearest before it).
 * Binary search to near_line, then a scan outwards: O(distance to the definition). */
const lzi_footnote *lzi_document_footnote(const lzi_document *doc, unsigned n, unsigned near_line);

/* Footnote numbers have at most this many digits; a longer digit run is no footnote marker. */
#define LZI_NOTE_DIGITS_MAX 5

/* Called by lzi_markup_clean for each footnote marker it removes: the marker's number and the
 * byte offset in the output buffer where it stood. A non-zero return stops the cleaning and is
 * passed back. */
typedef int (*lzi_note_fn)(unsigned n, size_t off, void *payload);

/* Append to `out` the clean text of src[0, len), one line or table cell of a document: inline
 * markdown and HTML removed (`**b**`, `*e*`, `_e_`, `[text](url)` -> text, tags dropped, `<br>`
 * -> space, `<https://...>` -> the URL, common entities decoded, backslash escapes resolved),
 * footnote markers (`<sup>12</sup>`, `^{3 4}`, superscript digit runs such as `⁹⁵`) removed and
 * reported to on_note (may be NULL), whitespace runs collapsed to one space, no leading or
 * trailing space. Other bytes are copied unchanged. Linear in len. LZ_ENOMEM, or on_note's
 * non-zero return. */
int lzi_markup_clean(lzi_buf *out, const char *src, size_t len, lzi_note_fn on_note,
                     void *payload);

#ifdef __cplusplus
}
#endif

#endif
