/* The public API as a contract, one function at a time: every declaration of lanzsearch.h is
 * called, with every documented status triggered (NULL handles and arguments, wrong options
 * versions, missing, corrupt, locked and read-only indexes, allocation failures), out-handles
 * NULL after a failure, the thread-local error slot, progress events, snapshots and reopen.
 * test_index.c covers what the corpus gives; this file uses small documents written here. */
#include <errno.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "lanzsearch.h"
#include "lz_common.h"
#include "lz_schema.h"
#include "lzx.h"

static char tmp[] = "/tmp/lz-test-api-XXXXXX";

/* A path under the test's directory, for the call at hand: four rotating buffers, so one call
 * can take several. */
static const char *in_tmp(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmp, name);
    return buf[k];
}

/* A path under the test's directory that stays valid until the program ends. */
static const char *tmp_path(const char *name)
{
    static char buf[32][512];
    static int n;
    if (n == 32)
        abort();            /* a test needs a bigger table */
    snprintf(buf[n], sizeof buf[n], "%s/%s", tmp, name);
    return buf[n++];
}

static void write_bytes(const char *path, const char *text, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (fp == NULL || fwrite(text, 1, len, fp) != len)
        fprintf(stderr, "cannot write %s\n", path);
    if (fp != NULL)
        fclose(fp);
}

static void write_file(const char *path, const char *text)
{
    write_bytes(path, text, strlen(text));
}

#define ALPHA "# Alpha report\n\n## Findings\n\nThe zebrafish and the quokka share one pond.\n\n" \
              "A second paragraph mentions pangolins only.\n"
#define BETA "Beta notes\n\nQuokka sightings were rare this year.\n"

/* A folder `name` holding alpha.md (two passages under "Alpha report > Findings") and beta.txt
 * (one); returns its path. */
static const char *make_docs(const char *name)
{
    static char docs[512];
    char path[600];
    snprintf(docs, sizeof docs, "%s/%s", tmp, name);
    mkdir(docs, 0755);
    snprintf(path, sizeof path, "%s/alpha.md", docs);
    write_file(path, ALPHA);
    snprintf(path, sizeof path, "%s/beta.txt", docs);
    write_file(path, BETA);
    return docs;
}

/* Index `path` into `dir` in one run; LZ_OK or the failing status. */
static int index_into(const char *dir, const char *path)
{
    lz_index *ix = NULL;
    int rc;
    if ((rc = lz_index_open(&ix, dir, NULL)) == LZ_OK &&
        (rc = lz_index_add_path(ix, path)) == LZ_OK)
        rc = lz_index_commit(ix);
    lz_index_free(ix);
    return rc;
}

/* Hits of `q` in `dir`, without spelling correction (-1 when the search fails). */
static long count_hits(const char *dir, const char *q)
{
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_searcher *s = NULL;
    lz_results *r = NULL;
    long n = -1;
    o.flags = LZ_SEARCH_NO_CORRECT;
    if (lz_searcher_open(&s, dir) == LZ_OK && lz_search(&r, s, q, &o) == LZ_OK)
        n = (long)lz_results_count(r);
    lz_results_free(r);
    lz_searcher_free(s);
    return n;
}

static uint64_t n_passages(const char *dir)
{
    lz_index_info info = { 0, 0, 0, 0 };
    lz_searcher *s = NULL;
    if (lz_searcher_open(&s, dir) == LZ_OK)
        lz_searcher_info(s, &info);
    lz_searcher_free(s);
    return info.n_passages;
}

/* ------------------------------------------------------------------------------------------ */

static void *other_thread(void *arg)
{
    lz_searcher *s = NULL;
    char *seen = arg;
    /* a fresh thread starts with an empty slot, whatever failed on other threads */
    strcpy(seen, lz_last_error());
    if (lz_searcher_open(&s, NULL) != LZ_EINVAL || strstr(lz_last_error(), "directory") == NULL)
        strcpy(seen, "wrong status or message on the other thread");
    return NULL;
}

static void test_versions_and_errors(void)
{
    static const int codes[] = { LZ_OK, LZ_ERROR, LZ_ENOMEM, LZ_EINVAL, LZ_EIO, LZ_EINPUT,
                                 LZ_EQUERY, LZ_ENOTFOUND, LZ_ELOCKED, LZ_ECORRUPT, LZ_EVERSION };
    char want[32], seen[256] = "not run";
    pthread_t t;
    size_t i, k;

    snprintf(want, sizeof want, "%d.%d.%d", LZ_VERSION_MAJOR, LZ_VERSION_MINOR,
             LZ_VERSION_PATCH);
    CHECK_STR(lz_version(), want);
    CHECK(strstr(lz_dependency_versions(), "Xapian 1.") != NULL);
    CHECK(strstr(lz_dependency_versions(), "ICU ") != NULL);
    CHECK(strstr(lz_dependency_versions(), "Unicode ") != NULL);
    CHECK(strstr(lz_dependency_versions(), "utf8proc ") != NULL);

    /* every status has its own phrase; an unknown one gets a phrase too, never NULL */
    CHECK_STR(lz_strerror(LZ_OK), "success");
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        CHECK(codes[i] <= 0 && lz_strerror(codes[i])[0] != '\0');
        for (k = 0; k < i; k++)
            CHECK(strcmp(lz_strerror(codes[i]), lz_strerror(codes[k])) != 0);
    }
    CHECK_STR(lz_strerror(-1000), "unknown status");
    CHECK_STR(lz_strerror(1), "unknown status");
    lz_free(NULL);

    /* the error slot is per thread */
    CHECK_RC(lz_searcher_open(NULL, "x"), LZ_EINVAL);
    CHECK(strstr(lz_last_error(), "lz_searcher_open") != NULL);
    CHECK(pthread_create(&t, NULL, other_thread, seen) == 0 && pthread_join(t, NULL) == 0);
    CHECK_STR(seen, "");
    CHECK(strstr(lz_last_error(), "lz_searcher_open") != NULL);    /* not the other thread's */
}

/* Every argument check of the writing side; out-handles are NULL after any failure. */
static void test_index_arguments(void)
{
    lz_index_options o = LZ_INDEX_OPTIONS_INIT;
    const char *dir = tmp_path("args-index");
    lz_index_stats st, before;
    lz_index *ix = (lz_index *)&o;      /* not NULL: the failure must reset it */

    CHECK(o.version == LZ_INDEX_OPTIONS_VERSION && o.flags == 0 && o.progress == NULL &&
          o.payload == NULL);
    CHECK_RC(lz_index_open(NULL, dir, NULL), LZ_EINVAL);
    CHECK_RC(lz_index_open(&ix, NULL, NULL), LZ_EINVAL);
    CHECK(ix == NULL);
    CHECK_RC(lz_index_open(&ix, "", NULL), LZ_EINVAL);
    o.version = 0;
    ix = (lz_index *)&o;
    CHECK_RC(lz_index_open(&ix, dir, &o), LZ_EINVAL);
    CHECK(ix == NULL && strstr(lz_last_error(), "version") != NULL);
    o.version = LZ_INDEX_OPTIONS_VERSION + 1;
    CHECK_RC(lz_index_open(&ix, dir, &o), LZ_EINVAL);
    CHECK(access(dir, F_OK) != 0);      /* refused before anything was created */

    /* a regular file where the index directory should be, and a missing parent folder */
    write_file(in_tmp("a-file"), "x");
    CHECK_RC(lz_index_open(&ix, in_tmp("a-file"), NULL), LZ_EIO);
    CHECK(ix == NULL && strstr(lz_last_error(), "a-file") != NULL);
    CHECK_RC(lz_index_open(&ix, in_tmp("no-parent/index"), NULL), LZ_EIO);
    CHECK(ix == NULL && strstr(lz_last_error(), "no-parent") != NULL);

    CHECK_RC(lz_index_open(&ix, dir, NULL), LZ_OK);
    CHECK(ix != NULL);
    CHECK_RC(lz_index_add_path(NULL, make_docs("docs")), LZ_EINVAL);
    CHECK_RC(lz_index_add_path(ix, NULL), LZ_EINVAL);
    CHECK_RC(lz_index_add_path(ix, ""), LZ_EINVAL);
    CHECK_RC(lz_index_add_path(ix, in_tmp("missing.txt")), LZ_ENOTFOUND);
    CHECK(strstr(lz_last_error(), "missing.txt") != NULL);
    CHECK_RC(lz_index_add_path(ix, "/dev/null"), LZ_EINPUT);    /* neither file nor folder */
    CHECK(strstr(lz_last_error(), "/dev/null") != NULL);
    CHECK_RC(lz_index_add_text(NULL, "n.txt", "x", 1), LZ_EINVAL);
    CHECK_RC(lz_index_add_text(ix, NULL, "x", 1), LZ_EINVAL);
    CHECK_RC(lz_index_add_text(ix, "", "x", 1), LZ_EINVAL);
    CHECK_RC(lz_index_add_text(ix, "n.txt", NULL, 1), LZ_EINVAL);
    CHECK_RC(lz_index_add_text(ix, "n.txt", "a\0b", 3), LZ_EINPUT);
    CHECK(strstr(lz_last_error(), "n.txt") != NULL);
    CHECK_RC(lz_index_remove(NULL, "n.txt"), LZ_EINVAL);
    CHECK_RC(lz_index_remove(ix, NULL), LZ_EINVAL);
    CHECK_RC(lz_index_remove(ix, "never-added.txt"), LZ_ENOTFOUND);
    CHECK(strstr(lz_last_error(), "never-added.txt") != NULL);
    CHECK_RC(lz_index_commit(NULL), LZ_EINVAL);

    /* none of the refused calls counted anything */
    lz_index_get_stats(ix, &st);
    CHECK(st.n_indexed == 0 && st.n_unchanged == 0 && st.n_removed == 0 && st.n_skipped == 0 &&
          st.n_warnings == 0 && st.n_passages == 0);
    memset(&before, 0x5a, sizeof before);
    st = before;
    lz_index_get_stats(NULL, &st);      /* no handle: *stats untouched */
    CHECK(memcmp(&st, &before, sizeof st) == 0);
    lz_index_get_stats(ix, NULL);       /* nowhere to write: nothing happens */

    /* empty text is a document without passages; text needs no NUL (only len bytes count) */
    CHECK_RC(lz_index_add_text(ix, "empty.txt", NULL, 0), LZ_OK);
    CHECK_RC(lz_index_add_text(ix, "cut.txt", "Okapi giraffe", 5), LZ_OK);
    CHECK_RC(lz_index_commit(ix), LZ_OK);
    CHECK_RC(lz_index_commit(ix), LZ_OK);       /* again, with nothing new: fine */
    lz_index_get_stats(ix, &st);
    CHECK(st.n_indexed == 2 && st.n_passages == 1);
    lz_index_free(ix);
    lz_index_free(NULL);
    CHECK(count_hits(dir, "okapi") == 1 && count_hits(dir, "giraffe") == 0);
}

/* Progress events: payload, kinds, paths, messages, and a callback that stops the run. */
typedef struct event_log {
    unsigned n[5];              /* events by kind */
    unsigned total;
    int stop_at;                /* return 7 from this event (1-based), 0 never */
    char message[5][512];       /* the last message by kind */
    size_t passages;
    uint64_t bytes;             /* file_len added up */
} event_log;

static int on_event(const lz_index_event *ev, void *payload)
{
    event_log *log = payload;
    log->total++;
    if ((unsigned)ev->kind < 5)
        log->n[ev->kind]++;
    if (ev->path == NULL)
        return -1000;           /* a path is always given: make the run fail */
    if (ev->kind == LZ_EVENT_INDEXED)
        log->passages += ev->n_passages;
    log->bytes += ev->file_len;
    if (ev->message != NULL && (unsigned)ev->kind < 5)
        snprintf(log->message[ev->kind], sizeof log->message[ev->kind], "%s", ev->message);
    return log->stop_at != 0 && log->total == (unsigned)log->stop_at ? 7 : 0;
}

static void test_progress(void)
{
    lz_index_options o = LZ_INDEX_OPTIONS_INIT;
    const char *dir = tmp_path("progress-index");
    const char *docs = make_docs("progress-docs");
    const uint64_t bad_len = sizeof "Caf\xC3\xA9 and \xC3\x28 wombat.\n" - 1;
    uint64_t files = 99, bytes = 99;
    lz_index_stats st;
    lz_index *ix = NULL;
    event_log log;

    memset(&log, 0, sizeof log);
    o.progress = on_event;
    o.payload = &log;
    write_bytes(in_tmp("progress-docs/nul.txt"), "ab\0cd\n", 6);
    write_file(in_tmp("progress-docs/bad.txt"), "Caf\xC3\xA9 and \xC3\x28 wombat.\n");
    write_file(in_tmp("progress-docs/README.md"), "About these files.\n");   /* not taken */
    write_file(in_tmp("progress-docs/.hidden.txt"), "Hidden.\n");            /* not taken */
    /* the totals of a walk, without an index */
    CHECK_RC(lz_index_count_path(&files, &bytes, docs), LZ_OK);
    CHECK(files == 4 && bytes == strlen(ALPHA) + strlen(BETA) + 6 + bad_len);
    CHECK_RC(lz_index_count_path(&files, NULL, in_tmp("progress-docs/README.md")), LZ_OK);
    CHECK(files == 1);                          /* a file named is always taken */
    CHECK_RC(lz_index_count_path(NULL, &bytes, ""), LZ_EINVAL);
    CHECK(bytes == 0);
    CHECK_RC(lz_index_count_path(NULL, NULL, NULL), LZ_EINVAL);
    CHECK_RC(lz_index_count_path(&files, &bytes, in_tmp("no-such-docs")), LZ_ENOTFOUND);
    CHECK_RC(lz_index_count_path(&files, &bytes, "/dev/null"), LZ_EINPUT);
    CHECK(files == 0 && bytes == 0);
    CHECK_RC(lz_index_open(&ix, dir, &o), LZ_OK);
    CHECK_RC(lz_index_add_path(ix, docs), LZ_OK);
    /* one event with the file's size per file taken: they add up to the count's bytes */
    CHECK(log.bytes == strlen(ALPHA) + strlen(BETA) + 6 + bad_len);
    CHECK(log.n[LZ_EVENT_INDEXED] == 3 && log.n[LZ_EVENT_SKIPPED] == 1 &&
          log.n[LZ_EVENT_WARNING] == 1 && log.passages == 4);
    /* messages give file:line:column */
    CHECK(strstr(log.message[LZ_EVENT_SKIPPED], "nul.txt:1:3") != NULL);
    CHECK(strstr(log.message[LZ_EVENT_WARNING], "bad.txt:1:") != NULL &&
          strstr(log.message[LZ_EVENT_WARNING], "UTF-8") != NULL);
    CHECK(log.message[LZ_EVENT_INDEXED][0] == '\0');     /* no message for plain events */
    lz_index_get_stats(ix, &st);
    CHECK(st.n_indexed == 3 && st.n_skipped == 1 && st.n_warnings == 1 && st.n_passages == 4);
    CHECK_RC(lz_index_commit(ix), LZ_OK);
    lz_index_free(ix);
    CHECK(count_hits(dir, "wombat") == 1);          /* repaired, indexed */

    /* again: unchanged; then a file gone from the folder is removed */
    memset(&log, 0, sizeof log);
    unlink(in_tmp("progress-docs/bad.txt"));
    CHECK_RC(lz_index_open(&ix, dir, &o), LZ_OK);
    CHECK_RC(lz_index_add_path(ix, docs), LZ_OK);
    CHECK(log.n[LZ_EVENT_UNCHANGED] == 2 && log.n[LZ_EVENT_REMOVED] == 1 &&
          log.n[LZ_EVENT_SKIPPED] == 1 && log.n[LZ_EVENT_INDEXED] == 0);
    CHECK(log.bytes == strlen(ALPHA) + strlen(BETA) + 6);  /* unchanged and skipped count */
    CHECK_RC(lz_index_commit(ix), LZ_OK);
    lz_index_free(ix);
    CHECK(count_hits(dir, "wombat") == 0);

    /* a non-zero return stops the run at once and comes back as the result */
    memset(&log, 0, sizeof log);
    log.stop_at = 1;
    o.flags = LZ_INDEX_FORCE;
    CHECK_RC(lz_index_open(&ix, dir, &o), LZ_OK);
    CHECK_RC(lz_index_add_path(ix, docs), 7);
    CHECK(log.total == 1);
    lz_index_free(ix);                          /* abandoned: nothing of it is kept */
    CHECK(n_passages(dir) == 3);

    /* committing as it goes: a file's event comes once it is committed, so a run stopped there
     * keeps that file and nothing after it */
    {
        const char *fresh = tmp_path("progress-commits");
        memset(&log, 0, sizeof log);
        log.stop_at = 1;
        o.flags = 0;
        o.commit_every = 1;
        CHECK_RC(lz_index_open(&ix, fresh, &o), LZ_OK);
        CHECK_RC(lz_index_add_path(ix, docs), 7);
        lz_index_free(ix);
        CHECK(n_passages(fresh) == 2 && count_hits(fresh, "zebrafish") == 1);   /* alpha.md */
        o.commit_every = 0;
    }

    /* options of version 1 (no commit_every) are read as such */
    {
        struct {
            unsigned version, flags;
            lz_index_progress_fn progress;
            void *payload;
        } v1 = { 1, 0, NULL, NULL };
        CHECK_RC(lz_index_open(&ix, dir, (const lz_index_options *)(void *)&v1), LZ_OK);
        CHECK_RC(lz_index_add_path(ix, docs), LZ_OK);
        CHECK_RC(lz_index_commit(ix), LZ_OK);
        lz_index_free(ix);
    }
}

/* A folder is built on a second thread while the calling thread writes: the events (kinds,
 * paths, messages, order) and the index are those of a run on one thread. Files of many
 * passages cross several hand-overs. */
typedef struct event_trace {
    lzi_buf text;
} event_trace;

static int trace_event(const lz_index_event *ev, void *payload)
{
    event_trace *t = payload;
    lzi_buf_printf(&t->text, "%d %s %zu %s\n", (int)ev->kind, ev->path, ev->n_passages,
                   ev->message ? ev->message : "-");
    return 0;
}

static void trace_run(const char *dir, const char *docs, unsigned flags, event_trace *t)
{
    lz_index_options o = LZ_INDEX_OPTIONS_INIT;
    lz_index *ix = NULL;
    o.flags = flags;
    o.progress = trace_event;
    o.payload = t;
    CHECK_RC(lz_index_open(&ix, dir, &o), LZ_OK);
    CHECK_RC(lz_index_add_path(ix, docs), LZ_OK);
    CHECK_RC(lz_index_commit(ix), LZ_OK);
    lz_index_free(ix);
}

static void test_two_threads(void)
{
    const char *docs = make_docs("thread-docs");
    const char *one = tmp_path("one-thread-index"), *two = tmp_path("two-thread-index");
    event_trace t1 = { LZI_BUF_INIT }, t2 = { LZI_BUF_INIT };
    lzi_buf big = LZI_BUF_INIT;
    unsigned i;

    for (i = 0; i < 300; i++)       /* 300 passages: more than a few hand-overs */
        lzi_buf_printf(&big, "Paragraph %u on the numbat and the bilby.\n\n", i);
    write_file(in_tmp("thread-docs/big.txt"), big.ptr);
    write_bytes(in_tmp("thread-docs/nul.txt"), "ab\0cd\n", 6);
    write_file(in_tmp("thread-docs/bad.txt"), "Caf\xC3\xA9 and \xC3\x28 wombat.\n");
    write_file(in_tmp("thread-docs/empty.txt"), "");
    trace_run(one, docs, LZ_INDEX_ONE_THREAD, &t1);
    trace_run(two, docs, 0, &t2);
    CHECK(t1.text.len > 0 && strcmp(t1.text.ptr, t2.text.ptr) == 0);
    CHECK(n_passages(one) == 304 && n_passages(two) == 304);
    CHECK(count_hits(two, "numbat") == count_hits(one, "numbat") &&
          count_hits(two, "wombat") == 1 && count_hits(two, "quokka") == 2);

    /* again, forced: the same events, and the same index */
    lzi_buf_clear(&t1.text);
    lzi_buf_clear(&t2.text);
    trace_run(one, docs, LZ_INDEX_ONE_THREAD | LZ_INDEX_FORCE, &t1);
    trace_run(two, docs, LZ_INDEX_FORCE, &t2);
    CHECK(strcmp(t1.text.ptr, t2.text.ptr) == 0 && n_passages(two) == 304);
    lzi_buf_dispose(&t1.text);
    lzi_buf_dispose(&t2.text);
    lzi_buf_dispose(&big);
}

/* A searcher sees its revision until lz_searcher_reopen(); lz_searcher_info follows it. */
static void test_snapshot_and_info(void)
{
    const char *dir = tmp_path("snap-index");
    lz_index_info info, info2;
    lz_searcher *s = (lz_searcher *)&info;
    lz_index *ix = NULL;
    lz_results *r = NULL;
    time_t t0 = time(NULL);

    CHECK_RC(index_into(dir, make_docs("snap-docs")), LZ_OK);
    CHECK_RC(lz_searcher_open(&s, dir), LZ_OK);
    CHECK_RC(lz_searcher_info(NULL, &info), LZ_EINVAL);
    CHECK_RC(lz_searcher_info(s, NULL), LZ_EINVAL);
    CHECK_RC(lz_searcher_info(s, &info), LZ_OK);
    CHECK(info.n_documents == 2 && info.n_passages == 3 && info.n_terms > 10);
    CHECK(info.last_modified >= (int64_t)t0 - 1 && info.last_modified <= (int64_t)time(NULL));

    CHECK_RC(lz_index_open(&ix, dir, NULL), LZ_OK);
    CHECK_RC(lz_index_add_text(ix, "mem/notes.txt", "An axolotl appears.\n", 20), LZ_OK);
    CHECK_RC(lz_index_remove(ix, in_tmp("snap-docs/beta.txt")), LZ_OK);    /* a file, by path */
    CHECK_RC(lz_index_commit(ix), LZ_OK);
    lz_index_free(ix);

    CHECK_RC(lz_search(&r, s, "axolotl", NULL), LZ_OK);
    CHECK(lz_results_count(r) == 0);            /* still the old revision */
    lz_results_free(r);
    CHECK_RC(lz_search(&r, s, "sightings", NULL), LZ_OK);
    CHECK(lz_results_count(r) == 1);
    lz_results_free(r);
    CHECK_RC(lz_searcher_reopen(s), LZ_OK);
    CHECK_RC(lz_search(&r, s, "axolotl", NULL), LZ_OK);
    CHECK(lz_results_count(r) == 1 && strcmp(lz_hit_doc(lz_results_hit(r, 0)), "notes") == 0 &&
          strcmp(lz_hit_path(lz_results_hit(r, 0)), "mem/notes.txt") == 0);
    lz_results_free(r);
    CHECK_RC(lz_search(&r, s, "sightings", NULL), LZ_OK);
    CHECK(lz_results_count(r) == 0);
    lz_results_free(r);
    CHECK_RC(lz_searcher_info(s, &info2), LZ_OK);
    CHECK(info2.n_documents == 2 && info2.n_passages == 3);
    CHECK_RC(lz_searcher_reopen(NULL), LZ_EINVAL);
    lz_searcher_free(s);
    lz_searcher_free(NULL);
}

/* lz_search's arguments and options, then every getter on real hits and on NULL. */
static void test_search_and_getters(void)
{
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    const char *dir = tmp_path("search-index");
    lz_results *r = NULL, *sentinel = (lz_results *)&o;
    const lz_hit *h;
    lz_searcher *s = NULL;
    unsigned first, last;
    size_t i, off, len;
    char *longq, *sugg = NULL;

    CHECK(o.version == LZ_SEARCH_OPTIONS_VERSION && o.offset == 0 && o.limit == 10 &&
          o.flags == 0 && o.snippet_len == 300);
    CHECK_RC(index_into(dir, make_docs("docs")), LZ_OK);
    CHECK_RC(lz_searcher_open(&s, dir), LZ_OK);
    CHECK_RC(lz_search(NULL, s, "quokka", NULL), LZ_EINVAL);
    r = sentinel;
    CHECK_RC(lz_search(&r, NULL, "quokka", NULL), LZ_EINVAL);
    CHECK(r == NULL);
    r = sentinel;
    CHECK_RC(lz_search(&r, s, NULL, NULL), LZ_EINVAL);
    CHECK(r == NULL);
    r = sentinel;
    CHECK_RC(lz_search(&r, s, "", NULL), LZ_EQUERY);
    CHECK(r == NULL);
    CHECK_RC(lz_search(&r, s, "quokka AND", NULL), LZ_EQUERY);
    CHECK_RC(lz_search(&r, s, "\xFF\xFE", NULL), LZ_EQUERY);
    if ((longq = malloc(200001)) != NULL) {     /* over the 100000-byte query limit */
        memset(longq, 'a', 200000);
        longq[200000] = '\0';
        CHECK_RC(lz_search(&r, s, longq, NULL), LZ_EQUERY);
        /* 1000 words are searched, 1001 refused by lz_search and lz_suggest alike */
        for (i = 0; i < 1001; i++)
            memcpy(longq + 3 * i, "qz ", 3);
        longq[3 * 1000 - 1] = '\0';
        CHECK_RC(lz_search(&r, s, longq, NULL), LZ_OK);
        lz_results_free(r);
        r = NULL;
        longq[3 * 1000 - 1] = ' ';
        longq[3 * 1001 - 1] = '\0';
        CHECK_RC(lz_search(&r, s, longq, NULL), LZ_EQUERY);
        CHECK(r == NULL && strstr(lz_last_error(), "1001 words") != NULL);
        CHECK_RC(lz_suggest(&sugg, s, longq), LZ_EQUERY);
        CHECK(sugg == NULL);
        free(longq);
    }
    o.version = 0;
    CHECK_RC(lz_search(&r, s, "quokka", &o), LZ_EINVAL);
    o.version = LZ_SEARCH_OPTIONS_VERSION + 1;
    CHECK_RC(lz_search(&r, s, "quokka", &o), LZ_EINVAL);
    CHECK(strstr(lz_last_error(), "version") != NULL);
    o.version = LZ_SEARCH_OPTIONS_VERSION;
    o.limit = LZ_SEARCH_MAX_LIMIT + 1;
    CHECK_RC(lz_search(&r, s, "quokka", &o), LZ_EINVAL);
    o.limit = 0;
    CHECK_RC(lz_search(&r, s, "quokka", &o), LZ_EINVAL);
    o.limit = LZ_SEARCH_MAX_LIMIT;
    o.snippet_len = 39;
    CHECK_RC(lz_search(&r, s, "quokka", &o), LZ_EINVAL);
    o.snippet_len = 4001;
    CHECK_RC(lz_search(&r, s, "quokka", &o), LZ_EINVAL);
    o.snippet_len = 40;
    CHECK_RC(lz_search(&r, s, "quokka", &o), LZ_OK);
    CHECK(lz_results_count(r) == 2 && lz_results_total(r) == 2);
    for (i = 0; i < lz_results_count(r); i++)
        CHECK(strlen(lz_hit_snippet(lz_results_hit(r, i))) <= 40 + 6);  /* + the "…" marks */
    lz_results_free(r);

    /* paging: the second page continues the ranks of the first */
    o = (lz_search_options)LZ_SEARCH_OPTIONS_INIT;
    o.limit = 1;
    o.offset = 1;
    o.snippet_len = 4000;
    CHECK_RC(lz_search(&r, s, "quokka", &o), LZ_OK);
    CHECK(lz_results_count(r) == 1 && lz_results_total(r) == 2);
    CHECK(lz_hit_rank(lz_results_hit(r, 0)) == 2);
    lz_results_free(r);

    /* LZ_SEARCH_AND: every word required */
    o = (lz_search_options)LZ_SEARCH_OPTIONS_INIT;
    CHECK_RC(lz_search(&r, s, "quokka zebrafish", &o), LZ_OK);
    CHECK(lz_results_count(r) == 2);
    lz_results_free(r);
    o.flags = LZ_SEARCH_AND;
    CHECK_RC(lz_search(&r, s, "quokka zebrafish", &o), LZ_OK);
    CHECK(lz_results_count(r) == 1);
    lz_results_free(r);

    /* LZ_SEARCH_EXACT: no spelling variants (organisation / organization), stems still apply */
    {
        const char *vdir = tmp_path("variants-index");
        lz_searcher *vs = NULL;
        lz_index *ix = NULL;
        CHECK_RC(lz_index_open(&ix, vdir, NULL), LZ_OK);
        CHECK_RC(lz_index_add_text(ix, "v.txt", "The organisation met.\n", 22), LZ_OK);
        CHECK_RC(lz_index_commit(ix), LZ_OK);
        lz_index_free(ix);
        CHECK_RC(lz_searcher_open(&vs, vdir), LZ_OK);
        o.flags = LZ_SEARCH_NO_CORRECT;
        CHECK_RC(lz_search(&r, vs, "organization", &o), LZ_OK);
        CHECK(lz_results_count(r) == 1);
        lz_results_free(r);
        o.flags = LZ_SEARCH_NO_CORRECT | LZ_SEARCH_EXACT;
        CHECK_RC(lz_search(&r, vs, "organization", &o), LZ_OK);
        CHECK(lz_results_count(r) == 0);
        lz_results_free(r);
        CHECK_RC(lz_search(&r, vs, "Organisations", &o), LZ_OK);
        CHECK(lz_results_count(r) == 1);
        lz_results_free(r);
        lz_searcher_free(vs);
    }

    /* spelling: suggested and used, or suggested only under LZ_SEARCH_NO_CORRECT */
    o.flags = 0;
    CHECK_RC(lz_search(&r, s, "quoka", &o), LZ_OK);
    CHECK_STR(lz_results_query(r), "quoka");
    CHECK_STR(lz_results_corrected(r), "quokka");
    CHECK(lz_results_used_corrected(r) != 0 && lz_results_count(r) == 2);
    lz_results_free(r);
    o.flags = LZ_SEARCH_NO_CORRECT;
    CHECK_RC(lz_search(&r, s, "quoka", &o), LZ_OK);
    CHECK_STR(lz_results_corrected(r), "quokka");
    CHECK(lz_results_used_corrected(r) == 0 && lz_results_count(r) == 0 &&
          lz_results_total(r) == 0 && lz_results_hit(r, 0) == NULL);
    lz_results_free(r);

    /* every field of a hit */
    CHECK_RC(lz_search(&r, s, "zebrafish", NULL), LZ_OK);
    CHECK_STR(lz_results_query(r), "zebrafish");
    CHECK(lz_results_corrected(r) == NULL && lz_results_used_corrected(r) == 0);
    CHECK(lz_results_parsed(r) != NULL && strstr(lz_results_parsed(r), "zebrafish") != NULL);
    CHECK(lz_results_count(r) == 1 && lz_results_hit(r, 1) == NULL);
    h = lz_results_hit(r, 0);
    CHECK(lz_hit_rank(h) == 1 && lz_hit_score(h) > 0);
    CHECK_STR(lz_hit_doc(h), "alpha");
    CHECK_STR(lz_hit_path(h), in_tmp("docs/alpha.md"));
    CHECK_STR(lz_hit_title(h), "Alpha report");
    CHECK(lz_hit_section_count(h) >= 1);
    CHECK_STR(lz_hit_section(h, lz_hit_section_count(h) - 1), "Findings");
    CHECK(lz_hit_section(h, lz_hit_section_count(h)) == NULL);
    lz_hit_lines(h, &first, &last);
    CHECK(first == 5 && last == 5);
    lz_hit_lines(h, NULL, NULL);
    CHECK_STR(lz_hit_text(h), "The zebrafish and the quokka share one pond.");
    CHECK_STR(lz_hit_snippet(h), "The zebrafish and the quokka share one pond.");
    CHECK(lz_hit_highlight_count(h) == 1);
    CHECK(lz_hit_highlight(h, 0, &off, &len) == 0 && off == 4 && len == 9);
    CHECK(lz_hit_highlight(h, 0, NULL, NULL) == 0);
    CHECK(lz_hit_highlight(h, 1, &off, &len) == -1);
    CHECK(strstr(lz_hit_citation(h), "line 5") != NULL &&
          strstr(lz_hit_citation(h), in_tmp("docs/alpha.md")) != NULL &&
          strstr(lz_hit_citation(h), "Findings") != NULL);
    lz_results_free(r);
    lz_results_free(NULL);

    /* getters on NULL: NULL, 0 or -1, never a crash */
    CHECK(lz_results_query(NULL) == NULL && lz_results_corrected(NULL) == NULL &&
          lz_results_used_corrected(NULL) == 0 && lz_results_total(NULL) == 0 &&
          lz_results_count(NULL) == 0 && lz_results_hit(NULL, 0) == NULL &&
          lz_results_parsed(NULL) == NULL);
    CHECK(lz_hit_rank(NULL) == 0 && lz_hit_score(NULL) == 0 && lz_hit_doc(NULL) == NULL &&
          lz_hit_path(NULL) == NULL && lz_hit_title(NULL) == NULL &&
          lz_hit_section_count(NULL) == 0 && lz_hit_section(NULL, 0) == NULL &&
          lz_hit_text(NULL) == NULL && lz_hit_snippet(NULL) == NULL &&
          lz_hit_highlight_count(NULL) == 0 && lz_hit_highlight(NULL, 0, &off, &len) == -1 &&
          lz_hit_citation(NULL) == NULL);
    first = last = 9;
    lz_hit_lines(NULL, &first, &last);
    CHECK(first == 0 && last == 0);
    lz_searcher_free(s);
}

/* Indexes that are not there, not indexes, damaged or built by other rules. */
static void test_index_states(void)
{
    const char *good = tmp_path("search-index");
    lz_searcher *s = (lz_searcher *)&s;
    lz_index *ix = NULL;
    char cmd[1200];

    CHECK_RC(lz_searcher_open(NULL, good), LZ_EINVAL);
    CHECK_RC(lz_searcher_open(&s, NULL), LZ_EINVAL);
    CHECK(s == NULL);
    CHECK_RC(lz_searcher_open(&s, ""), LZ_EINVAL);
    CHECK_RC(lz_searcher_open(&s, in_tmp("no-such-index")), LZ_ENOTFOUND);
    CHECK(s == NULL && strstr(lz_last_error(), "no-such-index") != NULL);
    mkdir(in_tmp("empty-dir"), 0755);
    CHECK_RC(lz_searcher_open(&s, in_tmp("empty-dir")), LZ_ENOTFOUND);
    CHECK_RC(lz_searcher_open(&s, in_tmp("docs/alpha.md")), LZ_EIO);   /* a file */
    CHECK(s == NULL);

    /* damaged: the version file replaced by garbage */
    snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", good, in_tmp("corrupt-index"));
    CHECK(system(cmd) == 0);
    write_file(in_tmp("corrupt-index/iamglass"), "garbage");
    CHECK_RC(lz_searcher_open(&s, in_tmp("corrupt-index")), LZ_ECORRUPT);
    CHECK(s == NULL && strstr(lz_last_error(), "corrupt-index") != NULL);
    CHECK_RC(lz_index_open(&ix, in_tmp("corrupt-index"), NULL), LZ_ECORRUPT);
    CHECK(ix == NULL);

    /* a Xapian database with passages but without lanzsearch's fingerprint */
    {
        const char *foreign = tmp_path("foreign-index");
        lzx_wdb *w = NULL;
        CHECK_RC(index_into(foreign, in_tmp("docs/beta.txt")), LZ_OK);
        CHECK_RC(lzx_wdb_open(&w, foreign), LZ_OK);
        CHECK_RC(lzx_wdb_set_metadata(w, LZI_META_FINGERPRINT, "", 0), LZ_OK);   /* deletes */
        CHECK_RC(lzx_wdb_commit(w), LZ_OK);
        lzx_wdb_free(w);
        CHECK_RC(lz_searcher_open(&s, foreign), LZ_EVERSION);
        CHECK(s == NULL && strstr(lz_last_error(), "foreign-index") != NULL);
        CHECK_RC(lz_index_open(&ix, foreign, NULL), LZ_EVERSION);
        CHECK(ix == NULL);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Other processes: a writer that holds the lock, and a user who may read but not write. */

/* Run fn in a child process as the user "nobody" (we are root, and root ignores file
 * permissions); fn returns 0 when all its expectations held, else the line that failed. */
static int as_nobody(int (*fn)(const char *), const char *arg)
{
    pid_t pid;
    int status;

    fflush(NULL);
    if ((pid = fork()) < 0)
        return -1;
    if (pid == 0) {
        struct passwd *pw = getpwnam("nobody");
        if (setgid(pw ? pw->pw_gid : 65534) != 0 || setuid(pw ? pw->pw_uid : 65534) != 0)
            _exit(98);
        _exit(fn(arg) == 0 ? 0 : 99);
    }
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

#define EXPECT(cond)                                                                    \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            fprintf(stderr, "%s:%d: FAILED in child: %s (%s)\n", __FILE__, __LINE__,    \
                    #cond, lz_last_error());                                            \
            return __LINE__;                                                            \
        }                                                                               \
    } while (0)

/* As a user who may read the index but not write it: searching works, writing fails with a
 * message naming the index and the reason, and the index is as it was. */
static int read_only_user(const char *dir)
{
    lz_searcher *s = NULL;
    lz_results *r = NULL;
    lz_index *ix = NULL;
    int rc;

    EXPECT(lz_searcher_open(&s, dir) == LZ_OK);
    EXPECT(lz_search(&r, s, "quokka", NULL) == LZ_OK && lz_results_count(r) == 2);
    lz_results_free(r);
    lz_searcher_free(s);
    rc = lz_index_open(&ix, dir, NULL);
    EXPECT(rc < 0 && ix == NULL);
    EXPECT(strstr(lz_last_error(), dir) != NULL);
    EXPECT(strstr(lz_last_error(), strerror(EACCES)) != NULL);
    EXPECT(rc == LZ_EIO);           /* not LZ_ELOCKED: nobody holds the lock */
    return 0;
}

/* A document the user may not read is skipped with a message; the run goes on. */
static int unreadable_file(const char *dir)
{
    lz_index_options o = LZ_INDEX_OPTIONS_INIT;
    lz_index *ix = NULL;
    event_log log;

    memset(&log, 0, sizeof log);
    o.progress = on_event;
    o.payload = &log;
    EXPECT(lz_index_open(&ix, dir, &o) == LZ_OK);
    EXPECT(lz_index_add_path(ix, in_tmp("private")) == LZ_OK);
    EXPECT(log.n[LZ_EVENT_SKIPPED] == 1 && log.n[LZ_EVENT_INDEXED] == 1);
    EXPECT(strstr(log.message[LZ_EVENT_SKIPPED], "secret.txt") != NULL &&
           strstr(log.message[LZ_EVENT_SKIPPED], strerror(EACCES)) != NULL);
    EXPECT(lz_index_commit(ix) == LZ_OK);
    lz_index_free(ix);
    return 0;
}

static void test_permissions(void)
{
    const char *dir = tmp_path("search-index");
    const char *own = tmp_path("nobody-index");
    int root = geteuid() == 0;
    char cmd[1200];

    /* the test folder must be reachable by the other user; the index is read-only to it */
    chmod(tmp, 0755);
    if (root) {
        CHECK(as_nobody(read_only_user, dir) == 0);
    } else {
        snprintf(cmd, sizeof cmd, "chmod -R a-w '%s'", dir);
        CHECK(system(cmd) == 0);
        CHECK(read_only_user(dir) == 0);
        snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'", dir);
        CHECK(system(cmd) == 0);
    }
    CHECK(n_passages(dir) == 3);

    mkdir(in_tmp("private"), 0755);
    write_file(in_tmp("private/open.txt"), "Readable numbat text.\n");
    write_file(in_tmp("private/secret.txt"), "Hidden dugong text.\n");
    chmod(in_tmp("private/secret.txt"), 0);
    mkdir(own, 0755);
    if (root) {
        struct passwd *pw = getpwnam("nobody");
        CHECK(chown(own, pw ? pw->pw_uid : 65534, pw ? pw->pw_gid : 65534) == 0);
        CHECK(as_nobody(unreadable_file, own) == 0);
    } else {
        CHECK(unreadable_file(own) == 0);
    }
    CHECK(count_hits(own, "numbat") == 1 && count_hits(own, "dugong") == 0);
    chmod(in_tmp("private/secret.txt"), 0644);
    chmod(tmp, 0700);
}

/* Another process holds the write lock until we tell it to let go. */
static int lock_pipe[2], go_pipe[2];

static int hold_lock(const char *dir)
{
    lz_index *ix = NULL;
    char c = 'x';
    EXPECT(lz_index_open(&ix, dir, NULL) == LZ_OK);
    EXPECT(write(lock_pipe[1], &c, 1) == 1);
    EXPECT(read(go_pipe[0], &c, 1) >= 0);       /* until told, or the parent is gone */
    lz_index_free(ix);
    return 0;
}

/* A child process that holds dir's write lock until release_holder(); its pid, or -1. */
static pid_t start_holder(const char *dir)
{
    pid_t pid;
    char c;
    if (pipe(lock_pipe) != 0 || pipe(go_pipe) != 0) {
        CHECK(!"pipe");
        return -1;
    }
    fflush(NULL);
    if ((pid = fork()) == 0)
        _exit(hold_lock(dir) == 0 ? 0 : 99);
    CHECK(pid > 0 && read(lock_pipe[0], &c, 1) == 1);  /* the child holds the lock */
    return pid;
}

static void release_holder(pid_t pid)
{
    int status = -1;
    CHECK(write(go_pipe[1], "g", 1) == 1);
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(lock_pipe[0]);
    close(lock_pipe[1]);
    close(go_pipe[0]);
    close(go_pipe[1]);
}

static void test_locked(void)
{
    const char *dir = tmp_path("search-index");
    lz_searcher *s = NULL;
    lz_index *ix = NULL;
    pid_t pid = start_holder(dir);
    char c;

    if (pid < 0)
        return;
    ix = (lz_index *)&c;
    CHECK_RC(lz_index_open(&ix, dir, NULL), LZ_ELOCKED);
    CHECK(ix == NULL && strstr(lz_last_error(), dir) != NULL);
    CHECK_RC(lz_searcher_open(&s, dir), LZ_OK);     /* readers are never locked out */
    CHECK(count_hits(dir, "quokka") == 2);
    lz_searcher_free(s);
    release_holder(pid);
    CHECK_RC(lz_index_open(&ix, dir, NULL), LZ_OK); /* released with the handle */
    lz_index_free(ix);
}

/* Sizes and compaction: statuses, the sizes adding up, the index unchanged but for its size and
 * nothing left beside it; a held lock refuses compaction with the holder named. */
static void test_compact(void)
{
    const char *dir = tmp_path("compact-index");
    lz_index_sizes sz, before, after;
    char leftover[600];
    lz_searcher *s = NULL;
    lz_results *r = NULL;
    lz_index *ix = NULL;
    struct stat st;
    pid_t pid;

    CHECK_RC(lz_index_get_sizes(NULL, dir), LZ_EINVAL);
    CHECK_RC(lz_index_get_sizes(&sz, ""), LZ_EINVAL);
    CHECK_RC(lz_index_compact(NULL, NULL, NULL), LZ_EINVAL);
    CHECK_RC(lz_index_compact(&before, &after, ""), LZ_EINVAL);
    CHECK_RC(lz_index_get_sizes(&sz, in_tmp("no-such-index")), LZ_ENOTFOUND);
    CHECK_RC(lz_index_compact(&before, &after, in_tmp("no-such-index")), LZ_ENOTFOUND);
    CHECK(stat(in_tmp("no-such-index"), &st) != 0);     /* no index made there */
    mkdir(in_tmp("empty-folder"), 0755);
    CHECK_RC(lz_index_compact(NULL, NULL, in_tmp("empty-folder")), LZ_ENOTFOUND);
    CHECK(stat(in_tmp("empty-folder/iamglass"), &st) != 0);

    /* several runs, so that the index has free space to lose */
    CHECK_RC(index_into(dir, in_tmp("docs/alpha.md")), LZ_OK);
    CHECK_RC(index_into(dir, in_tmp("docs/beta.txt")), LZ_OK);
    if (lz_index_open(&ix, dir, NULL) == LZ_OK) {
        CHECK_RC(lz_index_add_text(ix, "mem.txt", "Kakapo words.\n", 14), LZ_OK);
        CHECK_RC(lz_index_commit(ix), LZ_OK);
    }
    lz_index_free(ix);
    CHECK_RC(lz_index_get_sizes(&sz, dir), LZ_OK);
    CHECK(sz.source_bytes == strlen(ALPHA) + strlen(BETA));     /* mem.txt has no file */
    CHECK(sz.postlist > 0 && sz.termlist > 0 && sz.docdata > 0 && sz.position > 0 &&
          sz.spelling > 0 && sz.synonym > 0);
    CHECK(sz.total > sz.postlist + sz.position + sz.termlist + sz.docdata + sz.spelling +
                     sz.synonym);                               /* + iamglass */

    CHECK_RC(lz_searcher_open(&s, dir), LZ_OK);    /* open across the swap */
    CHECK_RC(lz_index_compact(&before, &after, dir), LZ_OK);
    CHECK_RC(lz_search(&r, s, "quokka", NULL), LZ_OK); /* the old index, still readable */
    CHECK(lz_results_count(r) == 2);
    lz_results_free(r);
    r = NULL;
    CHECK_RC(lz_searcher_reopen(s), LZ_OK);          /* the compacted one */
    CHECK_RC(lz_search(&r, s, "kakapo", NULL), LZ_OK);
    CHECK(lz_results_count(r) == 1);
    lz_results_free(r);
    lz_searcher_free(s);
    CHECK(before.total == sz.total && before.source_bytes == sz.source_bytes);
    CHECK(after.total > 0 && after.total <= before.total);
    CHECK(after.source_bytes == before.source_bytes);
    CHECK(n_passages(dir) == 4 && count_hits(dir, "quokka") == 2 &&
          count_hits(dir, "kakapo") == 1);
    snprintf(leftover, sizeof leftover, "%s.compact-%ld", dir, (long)getpid());
    CHECK(stat(leftover, &st) != 0);
    snprintf(leftover, sizeof leftover, "%s.old-%ld", dir, (long)getpid());
    CHECK(stat(leftover, &st) != 0);
    CHECK_RC(index_into(dir, in_tmp("docs")), LZ_OK);  /* a writer works on the new index */
    CHECK(n_passages(dir) == 4);
    CHECK_RC(lz_index_compact(NULL, NULL, dir), LZ_OK); /* the sizes are optional */

    if ((pid = start_holder(dir)) < 0)
        return;
    CHECK_RC(lz_index_compact(&before, &after, dir), LZ_ELOCKED);
    CHECK(strstr(lz_last_error(), "lock held by PID") != NULL && before.total == 0);
    release_holder(pid);
    CHECK(n_passages(dir) == 4);
}

/* ------------------------------------------------------------------------------------------ */
/* Out of memory at each allocation in turn: LZ_ENOMEM (never another status or a crash), out
 * handles NULL, nothing leaked (ASan), and the index as it was. */

static void test_out_of_memory(void)
{
    const char *dir = tmp_path("search-index");
    const char *oom = tmp_path("oom-index");
    size_t n, failures = 0, odd = 0;
    int rc = LZ_ENOMEM;

    for (n = 0; n < 100000 && rc != LZ_OK && odd < 5; n++) {
        lz_searcher *s = NULL;
        lz_results *r = (lz_results *)&n;
        lzi_alloc_fail_after(n);
        rc = lz_searcher_open(&s, dir);
        if (rc == LZ_OK)
            rc = lz_search(&r, s, "quokka OR zebrafish", NULL);
        else
            r = NULL;
        lzi_alloc_fail_after((size_t)-1);
        if (rc == LZ_OK) {
            CHECK(lz_results_count(r) == 2);
        } else if (rc != LZ_ENOMEM || r != NULL) {
            odd++;
            fprintf(stderr, "search, allocation %zu: %d %s\n", n, rc, lz_last_error());
        } else {
            failures++;
        }
        lz_results_free(r);
        lz_searcher_free(s);
    }
    CHECK(rc == LZ_OK && odd == 0 && failures > 10);

    CHECK_RC(index_into(oom, in_tmp("docs/alpha.md")), LZ_OK);
    failures = 0;
    for (n = 0, rc = LZ_ENOMEM; n < 100000 && rc != LZ_OK && odd < 5; n++) {
        lz_index *ix = NULL;
        lzi_alloc_fail_after(n);
        rc = lz_index_open(&ix, oom, NULL);
        if (rc == LZ_OK && (rc = lz_index_add_path(ix, in_tmp("docs/beta.txt"))) == LZ_OK &&
            (rc = lz_index_add_text(ix, "mem.txt", "Kakapo words.\n", 14)) == LZ_OK)
            rc = lz_index_remove(ix, in_tmp("docs/alpha.md"));
        lzi_alloc_fail_after((size_t)-1);
        if (rc == LZ_OK) {
            rc = lz_index_commit(ix);
        } else if (rc != LZ_ENOMEM) {
            odd++;
            fprintf(stderr, "index, allocation %zu: %d %s\n", n, rc, lz_last_error());
        } else {
            failures++;
        }
        lz_index_free(ix);
        if (rc != LZ_OK)
            CHECK(count_hits(oom, "zebrafish") == 1 && count_hits(oom, "kakapo") == 0);
    }
    CHECK(rc == LZ_OK && odd == 0 && failures > 10);
    CHECK(count_hits(oom, "zebrafish") == 0 && count_hits(oom, "kakapo") == 1 &&
          count_hits(oom, "sightings") == 1);

    /* a folder, built on a second thread that inherits the failure injection */
    {
        const char *docs = make_docs("oom-docs");
        const char *fold = tmp_path("oom-folder-index");
        write_file(in_tmp("oom-docs/gamma.txt"), "Gamma text on the dugong.\n\nMore dugong.\n");
        failures = 0;
        for (n = 0, rc = LZ_ENOMEM; n < 100000 && rc != LZ_OK && odd < 5; n++) {
            lz_index *ix = NULL;
            lzi_alloc_fail_after(n);
            rc = lz_index_open(&ix, fold, NULL);
            if (rc == LZ_OK)
                rc = lz_index_add_path(ix, docs);
            lzi_alloc_fail_after((size_t)-1);
            if (rc == LZ_OK)
                rc = lz_index_commit(ix);
            else if (rc != LZ_ENOMEM) {
                odd++;
                fprintf(stderr, "folder, allocation %zu: %d %s\n", n, rc, lz_last_error());
            } else {
                failures++;
            }
            lz_index_free(ix);
        }
        CHECK(rc == LZ_OK && odd == 0 && failures > 10);
        CHECK(count_hits(fold, "dugong") == 2 && count_hits(fold, "quokka") == 2);
    }
}

int main(void)
{
    char cmd[600];

    if (mkdtemp(tmp) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    test_versions_and_errors();
    test_index_arguments();
    test_progress();
    test_two_threads();
    test_snapshot_and_info();
    test_search_and_getters();
    test_index_states();
    test_permissions();
    test_locked();
    test_compact();
    test_out_of_memory();
    snprintf(cmd, sizeof cmd, "chmod -R u+rwX '%s'; rm -rf '%s'", tmp, tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return lzt_finish();
}
