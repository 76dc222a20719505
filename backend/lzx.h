/* The C interface of backend/xapian.cc, the only C++ file and the only user of <xapian.h>.
 * Shaped after what the C code needs: open an index for writing or reading, one transaction per
 * indexing run, add passages, metadata, spelling, stems, and run a parsed query. No Xapian type
 * crosses this line; every function catches every exception and returns an lz_status with the
 * message in the thread's error slot. Strings handed out are copies the caller frees with
 * lzi_free. */
#ifndef LZX_H
#define LZX_H

#include <stddef.h>
#include <stdint.h>

#include "lz_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Xapian rejects longer terms; text/ never produces them, the facade asserts. */
#define LZX_MAX_TERM_LEN 245

/* "Xapian 1.4.22" (static storage) */
const char *lzx_version(void);

/* --- Stemming ------------------------------------------------------------------------------ */

typedef struct lzx_stem lzx_stem;
int lzx_stem_new(lzx_stem **out, const char *language);
void lzx_stem_free(lzx_stem *st);
/* Replace the contents of out with the stem of word. */
int lzx_stem_apply(lzx_stem *st, const char *word, size_t len, lzi_buf *out);

/* --- Writing ------------------------------------------------------------------------------- */

typedef struct lzx_wdb lzx_wdb;
typedef struct lzx_doc lzx_doc;

/* Open (creating if needed) a glass database for writing. LZ_ELOCKED when another writer holds
 * it, LZ_EIO for a path that cannot be created. */
int lzx_wdb_open(lzx_wdb **out, const char *path);
/* Close; a transaction still open is cancelled first, so nothing of it is kept. */
void lzx_wdb_free(lzx_wdb *db);
int lzx_wdb_begin(lzx_wdb *db);
int lzx_wdb_commit(lzx_wdb *db);

/* Copy of the value stored under key into *val and *len (an empty value when the key is absent). */
int lzx_wdb_get_metadata(lzx_wdb *db, const char *key, char **val, size_t *len);
int lzx_wdb_set_metadata(lzx_wdb *db, const char *key, const char *val, size_t len);
/* Call fn for every metadata key starting with prefix; a non-zero return stops and is passed
 * back. */
typedef int (*lzx_key_fn)(void *payload, const char *key, size_t len);
int lzx_wdb_metadata_keys(lzx_wdb *db, const char *prefix, lzx_key_fn fn, void *payload);

/* Delete every document indexed by `term`. */
int lzx_wdb_delete(lzx_wdb *db, const char *term);
/* Record `inc` more occurrences of word in the spelling data. */
int lzx_wdb_add_spelling(lzx_wdb *db, const char *word, size_t len, unsigned inc);
/* Add a document (a passage whose unique term is known to be new: no lookup). */
int lzx_wdb_add(lzx_wdb *db, lzx_doc *doc);
int lzx_wdb_add_synonym(lzx_wdb *db, const char *key, const char *synonym);
uint64_t lzx_wdb_doccount(lzx_wdb *db);

int lzx_doc_new(lzx_doc **out);
void lzx_doc_free(lzx_doc *doc);
/* A term at a word position (positions from 1, as Xapian counts). */
int lzx_doc_posting(lzx_doc *doc, const char *term, size_t len, unsigned pos);
/* A term without position, adding wdf to its within-document frequency. */
int lzx_doc_term(lzx_doc *doc, const char *term, size_t len, unsigned wdf);
/* A boolean (filter) term: no weight, no position. */
int lzx_doc_boolean(lzx_doc *doc, const char *term, size_t len);
int lzx_doc_value(lzx_doc *doc, unsigned slot, const char *bytes, size_t len);
/* A number in a value slot, in Xapian's sortable encoding (for weights read at search time). */
int lzx_doc_value_number(lzx_doc *doc, unsigned slot, double value);
int lzx_doc_data(lzx_doc *doc, const char *bytes, size_t len);

/* --- Reading ------------------------------------------------------------------------------- */

typedef struct lzx_db lzx_db;

/* Open for reading; LZ_ENOTFOUND when there is no index at path, LZ_ECORRUPT, LZ_EVERSION for a
 * database Xapian cannot read. */
int lzx_db_open(lzx_db **out, const char *path);
void lzx_db_free(lzx_db *db);
/* Move to the latest committed revision. */
int lzx_db_reopen(lzx_db *db);
int lzx_db_get_metadata(lzx_db *db, const char *key, char **val, size_t *len);
/* Call fn for every metadata key starting with prefix, at the revision the keys were read
 * from (keys are collected first; a commit meanwhile moves to the new revision and reads them
 * again, once); a non-zero return stops and is passed back. */
int lzx_db_metadata_keys(lzx_db *db, const char *prefix, lzx_key_fn fn, void *payload);
uint64_t lzx_db_doccount(lzx_db *db);
/* Number of passages containing term (0 on any failure). */
uint64_t lzx_db_termfreq(lzx_db *db, const char *term, size_t len);
/* Spelling suggestion for one normalized word from the index's spelling data, within
 * max_edits edits; *out is NULL when there is none. */
int lzx_db_spelling(lzx_db *db, const char *word, unsigned max_edits, char **out);
/* Call fn with the data (passage record) of every document indexed by term, in docid order.
 * A non-zero return stops and is passed back. */
typedef int (*lzx_data_fn)(void *payload, uint32_t docid, const char *data, size_t len);
int lzx_db_term_records(lzx_db *db, const char *term, lzx_data_fn fn, void *payload);
/* Number of distinct terms, for statistics. */
uint64_t lzx_db_termcount(lzx_db *db);

/* --- Compaction ---------------------------------------------------------------------------- */

/* Write a compacted copy of the database at src into the new folder dst (which must not exist):
 * full compaction (blocks filled, as xapian-compact does by default), document ids kept, a
 * folder of table files (not a single file). Everything is copied: documents, metadata,
 * spelling and synonyms. LZ_ENOTFOUND when src holds no database; LZ_EIO when dst cannot be
 * written (a full disk: dst may then be left half-written for the caller to remove). */
int lzx_compact(const char *src, const char *dst);

/* --- Querying ------------------------------------------------------------------------------ */

/* A free-text field prefix ("title" -> "S") or boolean filter prefix ("doc" -> "XDOC"). */
typedef struct lzx_prefix {
    const char *field;
    const char *prefix;
    int boolean;
} lzx_prefix;

/* A term ORed into the parsed query with a weight factor: an entity the searcher recognised in
 * the query (a recommendation number), so passages carrying it match and rank. */
typedef struct lzx_extra_term {
    const char *term;
    double scale;
    const char *label;          /* what --explain shows before the term ("related: "), or NULL */
    int rank_only;              /* 1: only ranks what the query matches (AND_MAYBE); 0: also
                                   matches on its own, as an alternative to the query */
    const char *const *unless;  /* n_unless terms: a passage holding any of them gets no */
    size_t n_unless;            /* weight from this one (NULL, 0: none) */
} lzx_extra_term;

/* Query-parser features (bits of lzx_query_spec.flags). */
#define LZX_QUERY_SYNONYMS 1u   /* expand words and word groups through the synonym table */

/* A field of words around a passage (the headings above it, the column headings of its table):
 * the query is also run on it and adds `weight` times the weight it gives there to each
 * passage the query matched. */
typedef struct lzx_context {
    const char *prefix;
    double weight;              /* > 0 */
    const char *label;          /* before its parts in an explanation: "section: " */
} lzx_context;

typedef struct lzx_query_spec {
    const char *query;          /* already normalized by lzi_query_normalize */
    const char *filter;         /* NULL, or a normalized query that only filters */
    unsigned flags;             /* LZX_QUERY_* */
    const lzx_extra_term *extra;
    size_t n_extra;
    const char *const *variants;  /* sorted, n_variants of them: the words and stems of the */
    size_t n_variants;          /* query's spelling-variant groups, without prefixes */
    const unsigned *facet_slots;  /* value slots holding '\n'-separated lists to count over all
                                     matches (exact: every match is examined) */
    size_t n_facet_slots;
    int default_and;            /* default operator AND (else OR) */
    const char *const *stopwords;  /* sorted, n_stopwords of them; query side only */
    size_t n_stopwords;
    const lzx_prefix *prefixes;
    size_t n_prefixes;
    unsigned offset, limit;
    double k1, b, min_normlen;  /* BM25 */
    int prior_slot;             /* >= 0: a value slot holding a per-passage prior in [0, 1], */
    double prior_weight;        /* added, times this, to the weight of every match */
    const lzx_context *contexts;  /* fields of words around each passage that the query is */
    size_t n_contexts;          /* also run on, to rank what it matched */
    int want_terms;             /* fill lzx_mset's query terms */
    int explain;                /* fill each match's explanation */
} lzx_query_spec;

/* One additive part of a match's score: a part of the query and the weight it gave. */
typedef struct lzx_part {
    char *what;                 /* Xapian's description of the part (a context's label before
                                   a part matched in that context: "section: ") */
    double weight;
} lzx_part;

typedef struct lzx_match {
    uint32_t docid;
    double weight;
    char *data;                 /* the passage record */
    size_t data_len;
    lzx_part *explain;          /* with spec->explain: the parts that gave weight; they add up
                                   to weight */
    size_t n_explain;
} lzx_match;

/* Counts of one facet: values with their numbers of matching passages, most frequent first
 * (ties by value). */
typedef struct lzx_facet {
    unsigned slot;
    size_t n;
    char **values;
    uint64_t *counts;
} lzx_facet;

typedef struct lzx_mset {
    uint64_t estimated;         /* get_matches_estimated() */
    size_t n;
    lzx_match *matches;
    char **terms;               /* every term of the parsed query (for highlighting) */
    size_t n_terms;
    char *description;          /* Query::get_description() */
    lzx_facet *facets;          /* one per requested slot, in the order asked */
    size_t n_facets;
} lzx_mset;

/* Parse and run a query. LZ_EQUERY (with QueryParser's message) for a query it rejects. */
int lzx_query_run(lzx_db *db, const lzx_query_spec *spec, lzx_mset **out);
void lzx_mset_free(lzx_mset *m);

/* More like this: the passages most similar to passage `docid`, by Xapian's relevance feedback
 * (the passage as the relevant set; its best expand terms, words and stems, not stopwords nor
 * field terms, as an OR query). The passage itself is left out. Uses spec's stopwords, BM25
 * parameters, offset, limit and want_terms; its query is ignored. */
int lzx_similar_run(lzx_db *db, uint32_t docid, const lzx_query_spec *spec, lzx_mset **out);

#ifdef __cplusplus
}
#endif

#endif
