/* The passage record: what the index stores as each Xapian document's data and what a hit is
 * rebuilt from. Encoded as a JSON object (jansson), so fields can be added without breaking
 * older readers: {"doc","path","title","section":[],"lines":[a,b],"text",
 * "footnotes":[{"n","text"}],"recommendations":[],"articles":[],"paras":[],"countries":[],
 * "addressed_to":[],"level","chapter","columns"}. */
#ifndef LZ_RECORD_H
#define LZ_RECORD_H

#include <stddef.h>

#include "lz_common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lzi_record_note {
    unsigned n;
    char *text;             /* definition text; "" when the document does not define it */
} lzi_record_note;

/* A list of strings (entities of a passage). */
typedef struct lzi_strlist {
    char **v;
    size_t n;
} lzi_strlist;

typedef struct lzi_record {
    char *doc;              /* document id: file name without folder and extension */
    char *path;             /* path as given when indexed */
    char *title;
    char **section;         /* heading chain, outermost first */
    size_t n_section;
    unsigned first_line, last_line;
    char *text;             /* clean passage text */
    lzi_record_note *notes; /* footnotes the passage cites, in order */
    size_t n_notes;
    /* Entities (indexer/lz_entities.h), as shown with a hit: */
    lzi_strlist recs;       /* recommendation numbers stated or cited: "IV-6" */
    lzi_strlist articles;   /* Convention articles: "25(4)" */
    lzi_strlist paras;      /* report paragraphs cited: "71" */
    lzi_strlist countries;  /* countries named (display names) */
    lzi_strlist addressed;  /* countries addressed (display names) */
    char *level;            /* "require", "request", "invite", or NULL */
    char *chapter;          /* "IV", "3", or NULL */
    char *columns;          /* a table row: the column headings of its table, or NULL */
} lzi_record;

/* Serialize rec into out (replacing its contents). */
int lzi_record_encode(const lzi_record *rec, lzi_buf *out);

/* Decode data into *rec, which the caller releases with lzi_record_dispose. LZ_ECORRUPT when
 * data is not a record. */
int lzi_record_decode(lzi_record *rec, const char *data, size_t len);

/* Release what a decoded record owns and zero it. */
void lzi_record_dispose(lzi_record *rec);

#ifdef __cplusplus
}
#endif

#endif
