/* lanzsearch: full-text search over the Council of Europe reports on protecting children from
 * sexual exploitation and abuse facilitated by ICTs. The one public header: build an index of
 * passages from text files, search it, read ranked hits with snippets and citations. */
#ifndef LANZSEARCH_H
#define LANZSEARCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LZ_VERSION_MAJOR 0
#define LZ_VERSION_MINOR 1
#define LZ_VERSION_PATCH 0

#if defined(LZ_BUILDING_LIBRARY)
#define LZ_EXTERN __attribute__((visibility("default")))
#else
#define LZ_EXTERN
#endif

/* ---------------------------------------------------------------------------------------------
 * Status codes, errors, memory
 * ------------------------------------------------------------------------------------------- */

/** Result of every fallible call: LZ_OK (0) or a negative code. */
typedef enum lz_status {
    LZ_OK = 0,
    LZ_ERROR = -1,      /**< anything not listed below */
    LZ_ENOMEM = -2,     /**< out of memory */
    LZ_EINVAL = -3,     /**< a caller error: NULL handle, wrong options version, bad argument */
    LZ_EIO = -4,        /**< a file or folder could not be read or written */
    LZ_EINPUT = -5,     /**< input text we cannot use (binary, too large) */
    LZ_EQUERY = -6,     /**< a query the parser rejects */
    LZ_ENOTFOUND = -7,  /**< no index (or no file) at the given path */
    LZ_ELOCKED = -8,    /**< another writer holds the index */
    LZ_ECORRUPT = -9,   /**< the index is damaged */
    LZ_EVERSION = -10   /**< the index was built by another format or text pipeline */
} lz_status;

/** The message of the last failure on this thread ("" if none); a call that succeeds leaves it
 *  as it was, so read it right after the failing call. Owned by the library; valid until the
 *  next lanzsearch call on this thread. Messages name the object and the place, e.g.
 *  "corpus/x.txt:120:7: invalid UTF-8 byte 0xC3". */
LZ_EXTERN const char *lz_last_error(void);

/** A fixed phrase for a status code ("index is locked"; "unknown status" for a code that is not
 *  an lz_status); static storage. */
LZ_EXTERN const char *lz_strerror(int code);

/** Release a string the library gave through a `char **out` parameter (no function of this
 *  version has one). NULL is ignored. */
LZ_EXTERN void lz_free(void *p);

/** The library's version at run time, "MAJOR.MINOR.PATCH"; static storage. */
LZ_EXTERN const char *lz_version(void);

/** The versions of the libraries behind it, e.g. "Xapian 1.4.22, ICU 72.1, Unicode 15.0,
 *  utf8proc 2.8.0". Owned by the library; valid until the calling thread ends. */
LZ_EXTERN const char *lz_dependency_versions(void);

/* ---------------------------------------------------------------------------------------------
 * Indexing
 * ------------------------------------------------------------------------------------------- */

/** A writable index: one writer per index directory at a time, across processes; one thread at
 *  a time per handle. Opaque. */
typedef struct lz_index lz_index;

/** What happened to one file during lz_index_add_path(), for the progress callback. */
typedef enum lz_index_event_kind {
    LZ_EVENT_INDEXED = 0,   /**< the file was (re)indexed; n_passages is set */
    LZ_EVENT_UNCHANGED = 1, /**< same size and modification time as last run: skipped */
    LZ_EVENT_REMOVED = 2,   /**< the file is gone from a folder indexed before: its passages
                                 were removed */
    LZ_EVENT_SKIPPED = 3,   /**< not indexable (binary, NUL bytes, unreadable): message says
                                 why, the run goes on */
    LZ_EVENT_WARNING = 4    /**< indexed, with a problem (invalid UTF-8 repaired): message */
} lz_index_event_kind;

/** One progress event. Pointers are lent for the duration of the callback. The library fills
 *  it; fields are only ever appended. */
typedef struct lz_index_event {
    lz_index_event_kind kind;
    const char *path;       /**< the file, as found from the path given */
    const char *message;    /**< "path:line: what" for SKIPPED and WARNING, else NULL */
    size_t n_passages;      /**< for INDEXED */
    uint64_t file_len;      /**< bytes of the file (as stat saw it) for INDEXED, UNCHANGED and
                                 SKIPPED of a file met by lz_index_add_path(); 0 otherwise.
                                 Each such file has exactly one of these events, so their sum
                                 is the bytes done, against lz_index_count_path()'s total */
} lz_index_event;

/** Progress callback, called on the thread that called lz_index_add_path() (or
 *  lz_index_add_text(), for its warning); a non-zero return stops the call, which returns that
 *  value. It must not call lanzsearch functions on the same lz_index. */
typedef int (*lz_index_progress_fn)(const lz_index_event *event, void *payload);

#define LZ_INDEX_OPTIONS_VERSION 2

/** Options of lz_index_open(). Initialise with LZ_INDEX_OPTIONS_INIT; fields are only ever
 *  appended. */
typedef struct lz_index_options {
    unsigned version;               /**< LZ_INDEX_OPTIONS_VERSION */
    unsigned flags;                 /**< LZ_INDEX_* bits */
    lz_index_progress_fn progress;  /**< may be NULL */
    void *payload;                  /**< passed to progress */
    /** Since version 2. 0 (the default): the run is one transaction, committed by
     *  lz_index_commit(). N > 0: the run also commits after each file that brings the bytes of
     *  files indexed since the last commit to N or more. Xapian keeps a transaction's spelling
     *  data in memory until it commits (hundreds of bytes for each new word), so a bulk run over
     *  a large corpus needs this to stay within bounded memory; the price is that a run that
     *  fails or is stopped keeps the files committed before (each one whole, with its registry
     *  entry: the next run skips them as unchanged). A file's LZ_EVENT_INDEXED comes after the
     *  commit it triggers. */
    size_t commit_every;
} lz_index_options;

/** Reindex every file even when its size and modification time are unchanged. */
#define LZ_INDEX_FORCE 1u
/** Build and write on the calling thread alone. By default a folder of several files to index
 *  is read, parsed and analysed on a second thread while the calling thread writes to the
 *  index; the result is the same either way (events, order, index contents). */
#define LZ_INDEX_ONE_THREAD 2u

#define LZ_INDEX_OPTIONS_INIT { LZ_INDEX_OPTIONS_VERSION, 0u, NULL, NULL, 0 }

/** Open the index in directory `dir` for writing, creating it if needed (its parent must exist),
 *  take its write lock and start the run's transaction: nothing becomes visible to searchers
 *  before lz_index_commit().
 *  @param out   receives the handle (NULL on failure); free with lz_index_free()
 *  @param opts  NULL for defaults; copied, so it need not outlive the call
 *  @return LZ_OK; LZ_ELOCKED when another writer holds it; LZ_EVERSION when the index was built
 *          by another format or text pipeline, or not by lanzsearch (rebuild it in a new
 *          directory); LZ_ECORRUPT; LZ_EIO when the directory cannot be created or opened;
 *          LZ_EINVAL for a NULL or empty argument or an unknown options version. */
LZ_EXTERN int lz_index_open(lz_index **out, const char *dir, const lz_index_options *opts);

/** Index a file, or a folder recursively (files ending in .txt or .md, hidden entries skipped).
 *  A file indexed before is replaced (no duplicates); an unchanged one is skipped; for a folder,
 *  files indexed from it before that are gone now are removed. A file that is not text (NUL
 *  bytes, a line over 1 MiB, over 512 MiB), or cannot be read, is skipped with an
 *  LZ_EVENT_SKIPPED event, and so are folders nested over 64 deep and symbolic link loops;
 *  invalid UTF-8 is repaired (U+FFFD) with a warning.
 *  @return LZ_OK; LZ_ENOTFOUND for a path that does not exist, LZ_EIO for one that cannot be
 *          reached (stat fails); LZ_EINPUT for one that is neither file nor folder; LZ_EINVAL
 *          for a NULL handle or a NULL or empty path; the progress callback's non-zero value;
 *          a failure of the index itself (the run must then be abandoned with lz_index_free()). */
LZ_EXTERN int lz_index_add_path(lz_index *ix, const char *path);

/** Count the files lz_index_add_path(path) would index or skip as unchanged (a file named by
 *  `path` itself, or the files a folder walk takes: same rules, limits and loop checks) and
 *  their bytes, without opening an index: the totals of a progress display, against the
 *  events' file_len. Entries that cannot be reached are left out (the indexing run reports
 *  them). Costs a stat per entry.
 *  @param n_files  receives the number of files; may be NULL
 *  @param bytes    receives their total size in bytes; may be NULL
 *  @return LZ_OK; LZ_ENOTFOUND for a path that does not exist, LZ_EIO for one that cannot be
 *          reached; LZ_EINPUT for one that is neither file nor folder; LZ_EINVAL for a NULL or
 *          empty path; LZ_ENOMEM. */
LZ_EXTERN int lz_index_count_path(uint64_t *n_files, uint64_t *bytes, const char *path);

/** Index text held in memory as a document named `name` (its identity in the index; shown as its
 *  path). `text` need not be NUL-terminated; only `len` bytes are read. Same rules as a file,
 *  except that text with NUL bytes or a line over 1 MiB is refused rather than skipped.
 *  @return LZ_OK; LZ_EINPUT for text with NUL bytes (message gives name:line:column) or with a
 *          line longer than 1 MiB (message gives name:line and the length);
 *          LZ_EINVAL for a NULL handle, a NULL or empty name, or NULL text with len > 0. */
LZ_EXTERN int lz_index_add_text(lz_index *ix, const char *name, const char *text, size_t len);

#define LZ_DOCUMENT_VERSION 1

/** An in-memory document with metadata, for lz_index_add_document(). Initialise with
 *  LZ_DOCUMENT_INIT; fields are only appended. Everything is borrowed for the call. */
typedef struct lz_document {
    unsigned version;       /**< LZ_DOCUMENT_VERSION */
    const char *name;       /**< identity in the index, shown as its path; required */
    const char *title;      /**< NULL: the document's first heading or first line */
    const char *text;       /**< the text (need not be NUL-terminated) */
    size_t len;             /**< its length in bytes */
} lz_document;

#define LZ_DOCUMENT_INIT { LZ_DOCUMENT_VERSION, NULL, NULL, NULL, 0 }

/** Index an in-memory document with metadata: as lz_index_add_text(), with a title that
 *  overrides the one found in the text.
 *  @return LZ_OK; LZ_EINVAL (NULL, wrong version, no name); LZ_EINPUT (NUL bytes). */
LZ_EXTERN int lz_index_add_document(lz_index *ix, const lz_document *doc);

/** Remove the document that was indexed from `path` (or added under that name).
 *  @return LZ_OK; LZ_ENOTFOUND if the index has no such document; LZ_EINVAL for NULL. */
LZ_EXTERN int lz_index_remove(lz_index *ix, const char *path);

/** Make the run's changes durable and visible, all at once; a new transaction starts for any
 *  further changes.
 *  @return LZ_OK; LZ_EINVAL for NULL; a failure of the index (LZ_EIO: disk full, ...): the run
 *          must then be abandoned with lz_index_free(), and the index stays as it was at the
 *          last successful commit. */
LZ_EXTERN int lz_index_commit(lz_index *ix);

/** Counters of the run so far. */
typedef struct lz_index_stats {
    size_t n_indexed;       /**< files (re)indexed */
    size_t n_unchanged;     /**< files skipped as unchanged */
    size_t n_removed;       /**< documents removed */
    size_t n_skipped;       /**< files that are not indexable */
    size_t n_warnings;      /**< repaired problems */
    size_t n_passages;      /**< passages written */
} lz_index_stats;

/** Copy the counters of everything done through this handle into *stats; nothing happens when
 *  either pointer is NULL. */
LZ_EXTERN void lz_index_get_stats(const lz_index *ix, lz_index_stats *stats);

/** Close the index. Changes not committed are discarded: the index stays as it was at the last
 *  lz_index_commit(). NULL is ignored. */
LZ_EXTERN void lz_index_free(lz_index *ix);

/* ---------------------------------------------------------------------------------------------
 * Size and compaction
 * ------------------------------------------------------------------------------------------- */

/** Bytes on disk of an index, by Xapian table (a table the index lacks counts 0). */
typedef struct lz_index_sizes {
    uint64_t total;         /**< every file in the index directory */
    uint64_t postlist;      /**< postings (which passages hold each term) and value slots */
    uint64_t position;      /**< word positions: phrases, NEAR, snippets */
    uint64_t termlist;      /**< each passage's terms, for replacing and deleting it */
    uint64_t docdata;       /**< passage records: text, title, section path, footnotes */
    uint64_t spelling;      /**< spelling data, for "did you mean" */
    uint64_t synonym;       /**< the thesaurus as Xapian synonyms */
    uint64_t source_bytes;  /**< bytes of the files the index holds, as recorded when each was
                                 indexed (documents added from memory count 0): the corpus to
                                 divide by for bytes per input byte */
} lz_index_sizes;

/** Measure the index in `dir`: its files by table, and the bytes of the sources it holds.
 *  Read-only; a writer may run meanwhile (the figures are then those of a moment).
 *  @param out  receives the sizes (zeroed first)
 *  @return LZ_OK; LZ_ENOTFOUND when there is no index in `dir`; LZ_EVERSION, LZ_ECORRUPT or
 *          LZ_EIO when Xapian cannot read it; LZ_EINVAL for a NULL argument or an empty `dir`;
 *          LZ_ENOMEM. */
LZ_EXTERN int lz_index_get_sizes(lz_index_sizes *out, const char *dir);

/** Compact the index in `dir` (Xapian's full compaction: blocks filled, the free space of
 *  past runs dropped; typically a quarter smaller after a bulk run) and put the compacted copy
 *  in its place. The index's write lock is held throughout, so no run can change it meanwhile.
 *  The copy is written beside `dir` as `DIR.compact-PID` (DIR with symbolic links resolved; the
 *  file system needs room for it), synced to disk, then swapped with `dir` in one atomic
 *  rename (Linux renameat2 RENAME_EXCHANGE) and the old index removed. A crash at any moment
 *  leaves `dir` a complete index, old or new; a leftover `DIR.compact-PID` or `DIR.old-PID`
 *  can be deleted. On a file system without RENAME_EXCHANGE, `dir` is renamed to
 *  `DIR.old-PID` and the copy to `dir`: a crash between these two renames leaves no index at
 *  `dir` but both complete beside it (rename `DIR.old-PID` back). Searchers open meanwhile go
 *  on seeing the old index until they are reopened. Nothing else changes: documents, passage
 *  ids, metadata, spelling data and synonyms are copied as they are.
 *  @param before  receives the sizes before (as lz_index_get_sizes()); may be NULL
 *  @param after   receives the sizes after; may be NULL
 *  @return LZ_OK; LZ_ENOTFOUND when there is no index in `dir`; LZ_ELOCKED when another writer
 *          holds it (the message names the holder); LZ_EVERSION as for lz_index_open();
 *          LZ_ECORRUPT; LZ_EIO when the copy cannot be written (disk full: the copy is
 *          removed) or swapped in: the index is then left as it was; also LZ_EIO, the index
 *          compacted, when the old index cannot be removed (the message names it); LZ_EINVAL
 *          for a NULL or empty `dir`; LZ_ENOMEM. */
LZ_EXTERN int lz_index_compact(lz_index_sizes *before, lz_index_sizes *after, const char *dir);

/* ---------------------------------------------------------------------------------------------
 * Checking an index against the files
 * ------------------------------------------------------------------------------------------- */

/** How a file compares with what the index holds of it. */
typedef enum lz_check_state {
    LZ_CHECK_OK = 0,        /**< indexed, and unchanged since (same size and modification time) */
    LZ_CHECK_CHANGED = 1,   /**< indexed, but its size or modification time differs now */
    LZ_CHECK_MISSING = 2,   /**< indexed, but gone (or no longer a regular file we can reach) */
    LZ_CHECK_NEW = 3,       /**< a file indexing would pick up that the index does not hold */
    LZ_CHECK_DAMAGED = 4,   /**< indexed, but the index holds another number of passages for it
                                 than it recorded, or its record is unreadable: reindex it with
                                 LZ_INDEX_FORCE */
    LZ_CHECK_SKIPPED = 5    /**< not indexed, and indexing would skip it too (NUL bytes,
                                 unreadable, too large): not a difference */
} lz_check_state;

/** One file of a check. Pointers are lent for the duration of the callback. */
typedef struct lz_check_entry {
    lz_check_state state;
    const char *path;       /**< the file as it was given when indexed (relative paths are
                                 relative to the folder indexing ran in); for a file not indexed,
                                 its folder's path as the index knows it, or as found under a
                                 path given to lz_index_check() */
    const char *real_path;  /**< the absolute path that was checked */
    uint64_t n_passages;    /**< passages the index holds for it (0 for NEW and SKIPPED) */
} lz_check_entry;

/** Called by lz_index_check() for each file, in order of path; a non-zero return stops the check,
 *  which returns that value. */
typedef int (*lz_check_fn)(const lz_check_entry *entry, void *payload);

/** Counts of a check, one per lz_check_state. */
typedef struct lz_check_stats {
    size_t n_ok, n_changed, n_missing, n_new, n_damaged, n_skipped;
} lz_check_stats;

/** Compare the index in `dir` with the files on disk, read-only (a writer may run meanwhile; the
 *  check sees the last committed state): every file indexed from disk is OK, CHANGED (size or
 *  modification time differ, as `lanzsearch index` decides), MISSING or DAMAGED (the index
 *  holds a different number of passages for it than it recorded); NEW files are looked for
 *  in the folders that hold indexed files (not in their subfolders) and under each of
 *  `paths` (files, and folders walked as lz_index_add_path() walks them). Documents added with
 *  lz_index_add_text() have no file and are not checked. The index is consistent with the
 *  files when only OK and SKIPPED are reported.
 *  @param out      receives the counts (zeroed first); may be NULL
 *  @param paths    n_paths paths to look under for new files; may be NULL when n_paths is 0
 *  @param fn       called for each file, in order of path; may be NULL
 *  @return LZ_OK (whatever the differences); LZ_ENOTFOUND when there is no index in `dir`;
 *          LZ_EVERSION, LZ_ECORRUPT, LZ_EIO as for lz_searcher_open(); LZ_ENOTFOUND or LZ_EIO
 *          for one of `paths` that does not exist or cannot be reached; LZ_EINVAL for a NULL or
 *          empty `dir` or a NULL path; LZ_ENOMEM; fn's non-zero value. */
LZ_EXTERN int lz_index_check(lz_check_stats *out, const char *dir, const char *const *paths,
                             size_t n_paths, lz_check_fn fn, void *payload);

/* ---------------------------------------------------------------------------------------------
 * Searching
 * ------------------------------------------------------------------------------------------- */

/** A read-only view of an index at one revision. One thread at a time per handle; open one per
 *  thread to search in parallel. Opaque. */
typedef struct lz_searcher lz_searcher;

/** Open the index in `dir` for searching, at its latest committed revision. Writers never block
 *  it, nor it them.
 *  @param out   receives the handle (NULL on failure); free with lz_searcher_free()
 *  @return LZ_OK; LZ_ENOTFOUND when there is no index there; LZ_EVERSION when it was built by
 *          another format or text pipeline; LZ_ECORRUPT; LZ_EIO (e.g. `dir` is a file);
 *          LZ_EINVAL for a NULL or empty argument. */
LZ_EXTERN int lz_searcher_open(lz_searcher **out, const char *dir);

/** Move the searcher to the latest committed revision of its index (until then it sees the one
 *  it opened, or one it moved to by itself when a writer had recycled the old one's blocks).
 *  @return LZ_OK; LZ_EVERSION, LZ_ECORRUPT or LZ_EIO as for lz_searcher_open(); LZ_EINVAL. */
LZ_EXTERN int lz_searcher_reopen(lz_searcher *s);

/** Close the searcher. Results obtained from it must be freed first. NULL is ignored. */
LZ_EXTERN void lz_searcher_free(lz_searcher *s);

/** Statistics of the index a searcher sees. */
typedef struct lz_index_info {
    uint64_t n_documents;   /**< source documents */
    uint64_t n_passages;    /**< passages (Xapian documents) */
    uint64_t n_terms;       /**< distinct terms */
    int64_t last_modified;  /**< Unix time of the last commit, 0 if unknown */
} lz_index_info;

/** Fill *info for the searcher's revision.
 *  @return LZ_OK; LZ_EINVAL for a NULL argument. */
LZ_EXTERN int lz_searcher_info(lz_searcher *s, lz_index_info *info);

#define LZ_SEARCH_OPTIONS_VERSION 1

/** Options of lz_search(). Initialise with LZ_SEARCH_OPTIONS_INIT; fields are only appended. */
typedef struct lz_search_options {
    unsigned version;       /**< LZ_SEARCH_OPTIONS_VERSION */
    unsigned offset;        /**< hits to skip (for paging); default 0 */
    unsigned limit;         /**< hits to return, 1..LZ_SEARCH_MAX_LIMIT; default 10 */
    unsigned flags;         /**< LZ_SEARCH_* bits */
    unsigned snippet_len;   /**< snippet budget in bytes, 40..4000; default 300 */
    const char *filter;     /**< NULL, or a query in the same syntax that only filters: hits
                                 must match it, it adds nothing to their scores (e.g.
                                 "country:bulgaria level:require"); borrowed for the call */
} lz_search_options;

/** Largest accepted lz_search_options.limit. */
#define LZ_SEARCH_MAX_LIMIT 10000
/** Join query words with AND instead of the default OR. */
#define LZ_SEARCH_AND 1u
/** Do not run a spelling-corrected query when the query finds nothing. */
#define LZ_SEARCH_NO_CORRECT 2u
/** Exact words only: no thesaurus (acronyms, synonyms) and no British/American spelling
 *  variants; stems and normalization still apply. */
#define LZ_SEARCH_EXACT 4u
/** Count facets (document, country, level, chapter, kind) over every match: see
 *  lz_results_facet_count(). Costs a pass over all matches. */
#define LZ_SEARCH_FACETS 8u
/** Explain each hit's score: the parts of the query that matched it and the weight each gave
 *  (lz_hit_explain()); they add up to the score. Costs one small query per part and hit. */
#define LZ_SEARCH_EXPLAIN 16u

#define LZ_SEARCH_OPTIONS_INIT { LZ_SEARCH_OPTIONS_VERSION, 0u, 10u, 0u, 300u, NULL }

/** A page of ranked hits. Opaque; free with lz_results_free(). */
typedef struct lz_results lz_results;
/** One hit, lent by its lz_results. Opaque. */
typedef struct lz_hit lz_hit;

/** Search. Query syntax: words, "quoted phrases", AND OR NOT (upper case), +word -word, trailing
 *  wildcard word*, NEAR, field:word for title: section: and doc:.
 *  @param out   receives the results (also when there is no hit); NULL on failure; free with
 *               lz_results_free(). They do not refer to `s` or `query` afterwards.
 *  @param opts  NULL for defaults
 *  @return LZ_OK; LZ_EQUERY for a query that is empty, cannot be parsed (message says why), is
 *          not UTF-8, or is longer than 100000 bytes or 1000 words (runs of non-blanks);
 *          LZ_EINVAL for a NULL argument or bad options (unknown version, limit or
 *          snippet_len out of range); LZ_ERROR in the rare case that writers committed twice
 *          while this search ran (search again). */
LZ_EXTERN int lz_search(lz_results **out, lz_searcher *s, const char *query,
                        const lz_search_options *opts);

/* Every getter of results and hits accepts NULL and then returns NULL, 0 or -1. */

/** The spelling-corrected form of query from the index's own vocabulary: words the index
 *  lacks (not even by stem) replaced by their nearest indexed spelling, one edit away per
 *  four letters of the word (at least one), for the first 32 such words. *out is NULL when
 *  no word needs correcting; otherwise free it with lz_free().
 *  @return LZ_OK; LZ_EINVAL; LZ_EQUERY for invalid UTF-8 and over the limits of lz_search. */
LZ_EXTERN int lz_suggest(char **out, lz_searcher *s, const char *query);

/** The query as given. */
LZ_EXTERN const char *lz_results_query(const lz_results *r);
/** A spelling-corrected query when some word of the query is not in the index and the index
 *  suggests another (as lz_suggest), else NULL. Unless the search was LZ_SEARCH_EXACT, a word
 *  whose British or American spelling the index has, or that the thesaurus lists, is searched
 *  as such and not corrected. */
LZ_EXTERN const char *lz_results_corrected(const lz_results *r);
/** Non-zero when the hits are those of the corrected query (the original found nothing). */
LZ_EXTERN int lz_results_used_corrected(const lz_results *r);
/** Estimated number of matching passages in the whole index. */
LZ_EXTERN uint64_t lz_results_total(const lz_results *r);
/** Number of hits in this page. */
LZ_EXTERN size_t lz_results_count(const lz_results *r);
/** The i-th hit of this page (0-based), or NULL past the end. Lives as long as r. */
LZ_EXTERN const lz_hit *lz_results_hit(const lz_results *r, size_t i);
/** Xapian's description of the parsed query, for --explain style output. */
LZ_EXTERN const char *lz_results_parsed(const lz_results *r);
/** Release the results and every hit and string they lend. NULL is ignored. */
LZ_EXTERN void lz_results_free(lz_results *r);

/** Number of facets counted (0 unless LZ_SEARCH_FACETS was set). */
LZ_EXTERN size_t lz_results_facet_count(const lz_results *r);
/** Name of facet f: "document", "country", "level", "chapter" or "kind" (of document:
 *  factsheet, recommendations, mapping, document); NULL past the end. */
LZ_EXTERN const char *lz_results_facet_name(const lz_results *r, size_t f);
/** Number of distinct values of facet f among the matches. */
LZ_EXTERN size_t lz_results_facet_size(const lz_results *r, size_t f);
/** The i-th value of facet f (most frequent first) and its number of matching passages;
 *  returns 0, or -1 past the end. The value is lent by r. Countries are given by name. */
LZ_EXTERN int lz_results_facet_value(const lz_results *r, size_t f, size_t i, const char **value,
                                     uint64_t *count);

/** Show the passage of file `path` (as indexed, or any path with the same file name) that
 *  holds line `line`, with up to `context` passages before and after it, in document order, as
 *  results whose hits are those passages (rank = position, score 0). lz_results_target() is the
 *  index of the passage holding the line.
 *  @return LZ_OK; LZ_ENOTFOUND when the index has no such document or no passage holds the
 *          line; LZ_EINVAL. */
LZ_EXTERN int lz_show_passage(lz_results **out, lz_searcher *s, const char *path, unsigned line,
                              unsigned context);

/** Show a recommendation ("IV-6", any case): its own text (the passage that states it) first,
 *  then every passage that cites it, each as a hit.
 *  @return LZ_OK (no hit when the index has none); LZ_EINVAL for a malformed number. */
LZ_EXTERN int lz_show_recommendation(lz_results **out, lz_searcher *s, const char *rec);

/** More like this: the passages most similar in theme to the passage of file `path` holding
 *  line `line` (Xapian's relevance feedback: that passage's most telling words become the
 *  query), best first, the passage itself left out. Snippets highlight those words.
 *  @param opts  NULL for defaults; limit, offset and snippet_len apply
 *  @return LZ_OK; LZ_ENOTFOUND when no indexed passage holds the line; LZ_EINVAL. */
LZ_EXTERN int lz_similar(lz_results **out, lz_searcher *s, const char *path, unsigned line,
                         const lz_search_options *opts);

/** For lz_show_passage() results: the index of the passage holding the line; else 0. */
LZ_EXTERN size_t lz_results_target(const lz_results *r);

/* Every getter below lends a pointer that lives as long as the hit's lz_results. */

/** Rank in the whole result list, from 1. */
LZ_EXTERN unsigned lz_hit_rank(const lz_hit *h);
/** BM25 score. */
LZ_EXTERN double lz_hit_score(const lz_hit *h);
/** Document id: the file name without folder and extension. */
LZ_EXTERN const char *lz_hit_doc(const lz_hit *h);
/** The document's path as it was given when indexed. */
LZ_EXTERN const char *lz_hit_path(const lz_hit *h);
/** The document's title. */
LZ_EXTERN const char *lz_hit_title(const lz_hit *h);
/** Number of headings in the section path (outermost first). */
LZ_EXTERN size_t lz_hit_section_count(const lz_hit *h);
/** The i-th heading of the section path, or NULL past the end. */
LZ_EXTERN const char *lz_hit_section(const lz_hit *h, size_t i);
/** First and last line of the passage in its file (1-based, inclusive). */
LZ_EXTERN void lz_hit_lines(const lz_hit *h, unsigned *first, unsigned *last);
/** The passage's clean text (markup and footnote markers removed). */
LZ_EXTERN const char *lz_hit_text(const lz_hit *h);
/** The snippet: plain UTF-8 text of at most about snippet_len bytes, never cut inside a word;
 *  "…" marks a cut. */
LZ_EXTERN const char *lz_hit_snippet(const lz_hit *h);
/** Number of highlighted spans in the snippet. */
LZ_EXTERN size_t lz_hit_highlight_count(const lz_hit *h);
/** The i-th highlighted span as a byte offset and length in lz_hit_snippet(); returns 0, or -1
 *  past the end. */
LZ_EXTERN int lz_hit_highlight(const lz_hit *h, size_t i, size_t *off, size_t *len);
/** A citation to paste into a report: "Title › Section › Sub, lines A–B, path" ("line A" for
 *  a one-line passage). */
LZ_EXTERN const char *lz_hit_citation(const lz_hit *h);

/** Number of footnotes the passage cites. */
LZ_EXTERN size_t lz_hit_footnote_count(const lz_hit *h);
/** The i-th footnote: its number and text ("" when the document does not define it); returns 0,
 *  or -1 past the end. */
LZ_EXTERN int lz_hit_footnote(const lz_hit *h, size_t i, unsigned *n, const char **text);

/** Kinds of entities a passage carries. */
typedef enum lz_entity {
    LZ_ENTITY_RECOMMENDATION = 0,   /**< recommendation numbers stated or cited: "IV-6" */
    LZ_ENTITY_ARTICLE = 1,          /**< Convention articles: "25(4)" */
    LZ_ENTITY_PARAGRAPH = 2,        /**< report paragraphs cited: "71" */
    LZ_ENTITY_COUNTRY = 3,          /**< countries named, in the text or its footnotes */
    LZ_ENTITY_ADDRESSED = 4         /**< countries the recommendation is addressed to */
} lz_entity;

/** Number of entities of a kind (0 for an unknown kind). */
LZ_EXTERN size_t lz_hit_entity_count(const lz_hit *h, lz_entity kind);
/** The i-th entity of a kind, or NULL past the end. */
LZ_EXTERN const char *lz_hit_entity(const lz_hit *h, lz_entity kind, size_t i);
/** The urgency level of a recommendation: "require", "request", "invite", or NULL. */
LZ_EXTERN const char *lz_hit_level(const lz_hit *h);
/** The chapter ("IV", "3") the passage is in, or NULL. */
LZ_EXTERN const char *lz_hit_chapter(const lz_hit *h);
/** A table row's column headings (the first row of its table, clean text: "Country INHOPE Member
 *  Hotline ..."), or NULL for other passages; they say what the row's cells are. */
LZ_EXTERN const char *lz_hit_columns(const lz_hit *h);

/** With LZ_SEARCH_EXPLAIN: the number of parts of the query that gave the hit weight. */
LZ_EXTERN size_t lz_hit_explain_count(const lz_hit *h);
/** The i-th part: Xapian's description of it (a term such as "Zsextort", a phrase, a synonym
 *  group; "section: " before one matched in the headings, "columns: " in a table row's column
 *  headings) and the weight it gave; returns 0, or -1 past the end. The weights add up to
 *  lz_hit_score(). */
LZ_EXTERN int lz_hit_explain(const lz_hit *h, size_t i, const char **what, double *weight);

#ifdef __cplusplus
}
#endif

#endif
