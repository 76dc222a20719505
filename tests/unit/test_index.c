/* Indexer and searcher through the public API on real Xapian indexes in mkdtemp directories:
 * the bundled corpus with exact expectations (section paths, line ranges, citations), then the
 * run's rules (replace, skip unchanged, remove, transactions) and every documented status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "lanzsearch.h"
#include "lz_schema.h"
#include "lzx.h"

static char tmp[] = "/tmp/lz-test-index-XXXXXX";

static char *path_in(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmp, name);
    return buf[k];
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    if (fp != NULL) {
        fputs(text, fp);
        fclose(fp);
    }
}

/* Search and return the results (NULL on failure, which is reported). */
static lz_results *search(const char *dir, const char *q, unsigned limit)
{
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_searcher *s = NULL;
    lz_results *r = NULL;
    o.limit = limit;
    if (lz_searcher_open(&s, dir) != LZ_OK || lz_search(&r, s, q, &o) != LZ_OK)
        fprintf(stderr, "search %s: %s\n", q, lz_last_error());
    lz_searcher_free(s);
    return r;
}

static uint64_t passages(const char *dir)
{
    lz_searcher *s = NULL;
    lz_index_info info = { 0, 0, 0, 0 };
    if (lz_searcher_open(&s, dir) == LZ_OK)
        lz_searcher_info(s, &info);
    lz_searcher_free(s);
    return info.n_passages;
}

/* The hit starting at `first` among r's hits, or NULL. */
static const lz_hit *hit_at(const lz_results *r, const char *doc, unsigned first)
{
    size_t i;
    for (i = 0; i < lz_results_count(r); i++) {
        const lz_hit *h = lz_results_hit(r, i);
        unsigned a, b;
        lz_hit_lines(h, &a, &b);
        if (a == first && strcmp(lz_hit_doc(h), doc) == 0)
            return h;
    }
    return NULL;
}

static void test_corpus(void)
{
    char dir[512];

    snprintf(dir, sizeof dir, "%s", path_in("corpus-index"));
    lz_index *ix = NULL;
    lz_index_stats st;
    lz_results *r;
    const lz_hit *h;
    size_t i, k;
    int found;

    CHECK_RC(lz_index_open(&ix, dir, NULL), LZ_OK);
    CHECK_RC(lz_index_add_path(ix, LZ_TEST_CORPUS), LZ_OK);
    CHECK_RC(lz_index_commit(ix), LZ_OK);
    lz_index_get_stats(ix, &st);
    lz_index_free(ix);
    CHECK(st.n_indexed == 5);
    CHECK(st.n_passages > 500);
    CHECK(passages(dir) == st.n_passages);

    /* The heading at line 321 of the Bulgaria factsheet is in the section path of the passage
     * that starts at line 323. */
    r = search(dir, "doc:lanzarote-factsheet-bulgaria dual criminality", 50);
    h = hit_at(r, "lanzarote-factsheet-bulgaria", 323);
    CHECK(h != NULL);
    found = 0;
    for (k = 0; h != NULL && k < lz_hit_section_count(h); k++)
        found |= strstr(lz_hit_section(h, k), "dual criminality principle") != NULL;
    CHECK(found);
    CHECK(h != NULL && strstr(lz_hit_citation(h), "lanzarote-factsheet-bulgaria.txt") != NULL);
    CHECK(h != NULL && strstr(lz_hit_citation(h), "lines 323\xE2\x80\x93") != NULL);
    /* every hit of a doc: filter is from that document */
    for (i = 0; i < lz_results_count(r); i++)
        CHECK(strcmp(lz_hit_doc(lz_results_hit(r, i)), "lanzarote-factsheet-bulgaria") == 0);
    lz_results_free(r);

    /* Pipeline rules seen through search: capitalised words stem like lower-case ones, accents
     * and case do not matter, identifiers are phrases. */
    r = search(dir, "Parties", 5);
    CHECK(r != NULL && lz_results_count(r) == 5);
    lz_results_free(r);
    r = search(dir, "PROCÉDURE", 5);
    {
        lz_results *r2 = search(dir, "procedure", 5);
        CHECK(r != NULL && r2 != NULL && lz_results_total(r) > 0 &&
              lz_results_total(r) == lz_results_total(r2));
        lz_results_free(r2);
    }
    lz_results_free(r);
    r = search(dir, "\"Recommendation IV-6\"", 20);
    CHECK(r != NULL && lz_results_count(r) > 0);
    lz_results_free(r);
    r = search(dir, "\"prosecuted as a last resort\"", 5);
    CHECK(r != NULL && lz_results_count(r) > 0);
    lz_results_free(r);
    /* every match (the page holds them all), not Xapian's estimate of their number */
    r = search(dir, "co-operation", LZ_SEARCH_MAX_LIMIT);
    CHECK(r != NULL && lz_results_count(r) > 0);
    {
        lz_results *r2 = search(dir, "cooperation", LZ_SEARCH_MAX_LIMIT);
        /* both spellings are in the corpus; each query finds the union */
        CHECK(r2 != NULL && r != NULL && lz_results_count(r2) == lz_results_count(r));
        lz_results_free(r2);
    }
    lz_results_free(r);
    /* a page past the end: no hits, but the total is still known */
    {
        lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
        lz_searcher *s = NULL;
        lz_results *rr = NULL;
        o.offset = 100000;
        CHECK_RC(lz_searcher_open(&s, dir), LZ_OK);
        CHECK_RC(lz_search(&rr, s, "child", &o), LZ_OK);
        CHECK(lz_results_count(rr) == 0 && lz_results_total(rr) > 0);
        CHECK(lz_results_hit(rr, 0) == NULL);
        lz_results_free(rr);
        lz_searcher_free(s);
    }
}

static void test_runs(void)
{
    char dir[512], docs[512];
    lz_index *ix = NULL;
    lz_index_stats st;
    lz_results *r;
    uint64_t n;

    snprintf(dir, sizeof dir, "%s", path_in("runs-index"));
    snprintf(docs, sizeof docs, "%s", path_in("docs"));
    mkdir(docs, 0777);
    write_file(path_in("docs/a.txt"), "# Alpha\n\nThe zebrafish paragraph.\n\nSecond para.\n");
    write_file(path_in("docs/b.md"), "# Beta\n\nAnother quokka paragraph.\n");
    write_file(path_in("docs/ignored.pdf"), "zebrafish\n");

    CHECK_RC(lz_index_open(&ix, dir, NULL), LZ_OK);
    CHECK_RC(lz_index_add_path(ix, docs), LZ_OK);
    CHECK_RC(lz_index_commit(ix), LZ_OK);
    lz_index_get_stats(ix, &st);
    CHECK(st.n_indexed == 2);
    lz_index_free(ix);
    n = passages(dir);
    CHECK(n == 3);

    /* again: unchanged files are skipped, nothing duplicated */
    CHECK_RC(lz_index_open(&ix, dir, NULL), LZ_OK);
    CHECK_RC(lz_index_add_path(ix, docs), LZ_OK);
    CHECK_RC(lz_index_commit(ix), LZ_OK);
    lz_index_get_stats(ix, &st);
    CHECK(st.n_indexed == 0 && st.n_unchanged == 2);
    lz_index_free(ix);
    CHECK(passages(dir) == n);

    /* forced: reindexed, still no duplicates */
    {
        lz_index_options o = LZ_INDEX_OPTIONS_INIT;
        o.flags = LZ_INDEX_FORCE;
        CHECK_RC(lz_index_open(&ix, dir, &o), LZ_OK);
        CHECK_RC(lz_index_add_path(ix, path_in("docs/a.txt")), LZ_OK);
        CHECK_RC(lz_index_commit(ix), LZ_OK);
        lz_index_get_stats(ix, &st);
        CHECK(st.n_indexed == 1);
        lz_index_free(ix);
        CHECK(passages(dir) == n);
    }

    /* uncommitted work is discarded */
    CHECK_RC(lz_index_open(&ix, dir, NULL), LZ_OK);
    CHECK_RC(lz_index_add_text(ix, "notes/mem.txt", "Pangolin text.\n", 15), LZ_OK);
    lz_index_free(ix);
    CHECK(passages(dir) == n);
    r = search(dir, "pangolin", 10);
    CHECK(r != NULL && lz_results_count(r) == 0);
    lz_results_free(r);

    /* an in-memory document with a title of its own */
    {
        lz_document doc = LZ_DOCUMENT_INIT;
        doc.name = "notes/titled.md";
        doc.title = "Field notes";
        doc.text = "# Heading in text\n\nThe okapi paragraph.\n";
        doc.len = strlen(doc.text);
        CHECK_RC(lz_index_open(&ix, dir, NULL), LZ_OK);
        CHECK_RC(lz_index_add_document(ix, &doc), LZ_OK);
        doc.version = 0;
        CHECK_RC(lz_index_add_document(ix, &doc), LZ_EINVAL);
        CHECK_RC(lz_index_add_document(ix, NULL), LZ_EINVAL);
        CHECK_RC(lz_index_commit(ix), LZ_OK);
        r = search(dir, "okapi", 10);
        CHECK(r != NULL && lz_results_count(r) == 1 &&
              strcmp(lz_hit_title(lz_results_hit(r, 0)), "Field notes") == 0);
        lz_results_free(r);
        CHECK_RC(lz_index_remove(ix, "notes/titled.md"), LZ_OK);
        CHECK_RC(lz_index_commit(ix), LZ_OK);
        lz_index_free(ix);
    }

    /* in-memory text, then removal by name */
    CHECK_RC(lz_index_open(&ix, dir, NULL), LZ_OK);
    CHECK_RC(lz_index_add_text(ix, "notes/mem.txt", "Pangolin text.\n", 15), LZ_OK);
    CHECK_RC(lz_index_commit(ix), LZ_OK);
    r = search(dir, "pangolin", 10);
    CHECK(r != NULL && lz_results_count(r) == 1 &&
          strcmp(lz_hit_doc(lz_results_hit(r, 0)), "mem") == 0);
    lz_results_free(r);
    CHECK_RC(lz_index_remove(ix, "notes/mem.txt"), LZ_OK);
    CHECK_RC(lz_index_remove(ix, "notes/never.txt"), LZ_ENOTFOUND);
    CHECK_RC(lz_index_add_text(ix, "bin.txt", "a\0b", 3), LZ_EINPUT);
    CHECK_RC(lz_index_commit(ix), LZ_OK);
    lz_index_free(ix);
    CHECK(passages(dir) == n);

    /* a file deleted from an indexed folder is removed on the next run over the folder */
    unlink(path_in("docs/b.md"));
    CHECK_RC(lz_index_open(&ix, dir, NULL), LZ_OK);
    CHECK_RC(lz_index_add_path(ix, docs), LZ_OK);
    CHECK_RC(lz_index_commit(ix), LZ_OK);
    lz_index_get_stats(ix, &st);
    CHECK(st.n_removed == 1);
    lz_index_free(ix);
    CHECK(passages(dir) == n - 1);
    r = search(dir, "quokka", 10);
    CHECK(r != NULL && lz_results_count(r) == 0);
    lz_results_free(r);

    /* a path that does not exist */
    CHECK_RC(lz_index_open(&ix, dir, NULL), LZ_OK);
    CHECK_RC(lz_index_add_path(ix, path_in("docs/nothing.txt")), LZ_ENOTFOUND);
    CHECK(strstr(lz_last_error(), "nothing.txt") != NULL);

    /* a second writer is refused at once while the first holds the index */
    {
        lz_index *ix2 = NULL;
        CHECK_RC(lz_index_open(&ix2, dir, NULL), LZ_ELOCKED);
        CHECK(ix2 == NULL);
    }
    lz_index_free(ix);
}

static void test_statuses(void)
{
    lz_index_options bad = LZ_INDEX_OPTIONS_INIT;
    lz_search_options so = LZ_SEARCH_OPTIONS_INIT;
    char dir[512];
    lz_searcher *s = NULL;
    lz_results *r = NULL;
    lz_index *ix = NULL;

    snprintf(dir, sizeof dir, "%s", path_in("runs-index"));
    bad.version = 99;
    CHECK_RC(lz_index_open(&ix, path_in("x"), &bad), LZ_EINVAL);
    CHECK_RC(lz_index_open(&ix, NULL, NULL), LZ_EINVAL);
    CHECK_RC(lz_index_open(NULL, dir, NULL), LZ_EINVAL);
    CHECK_RC(lz_searcher_open(&s, path_in("no-such-index")), LZ_ENOTFOUND);
    CHECK(s == NULL);
    CHECK(strstr(lz_last_error(), "no-such-index") != NULL);
    CHECK_RC(lz_searcher_open(&s, NULL), LZ_EINVAL);

    CHECK_RC(lz_searcher_open(&s, dir), LZ_OK);
    CHECK_RC(lz_search(&r, s, "", NULL), LZ_EQUERY);
    CHECK(r == NULL);
    CHECK_RC(lz_search(&r, s, "   ", NULL), LZ_EQUERY);
    CHECK_RC(lz_search(&r, s, "zebrafish AND OR", NULL), LZ_EQUERY);
    CHECK_RC(lz_search(&r, s, "bad \xC3\x28 utf8", NULL), LZ_EQUERY);
    CHECK_RC(lz_search(&r, NULL, "x", NULL), LZ_EINVAL);
    CHECK_RC(lz_search(&r, s, NULL, NULL), LZ_EINVAL);
    so.version = 0;
    CHECK_RC(lz_search(&r, s, "x", &so), LZ_EINVAL);
    so.version = LZ_SEARCH_OPTIONS_VERSION;
    so.limit = 0;
    CHECK_RC(lz_search(&r, s, "x", &so), LZ_EINVAL);
    so.limit = 10;
    so.snippet_len = 5;
    CHECK_RC(lz_search(&r, s, "x", &so), LZ_EINVAL);
    CHECK_RC(lz_searcher_reopen(s), LZ_OK);
    CHECK_RC(lz_searcher_reopen(NULL), LZ_EINVAL);
    lz_searcher_free(s);
    lz_searcher_free(NULL);
    lz_results_free(NULL);
    lz_index_free(NULL);
    CHECK(strcmp(lz_strerror(LZ_ELOCKED), "index is locked") == 0);
    CHECK(lz_version()[0] != '\0' && strstr(lz_dependency_versions(), "Xapian") != NULL);

    /* an index whose fingerprint differs is refused, for reading and for writing */
    {
        lzx_wdb *w = NULL;
        char other[512];
        snprintf(other, sizeof other, "%s", path_in("other-index"));
        CHECK_RC(lz_index_open(&ix, other, NULL), LZ_OK);
        CHECK_RC(lz_index_add_text(ix, "t.txt", "Some words.\n", 12), LZ_OK);
        CHECK_RC(lz_index_commit(ix), LZ_OK);
        lz_index_free(ix);
        CHECK_RC(lzx_wdb_open(&w, other), LZ_OK);
        CHECK_RC(lzx_wdb_set_metadata(w, LZI_META_FINGERPRINT, "format=0", 8), LZ_OK);
        CHECK_RC(lzx_wdb_commit(w), LZ_OK);
        lzx_wdb_free(w);
        CHECK_RC(lz_searcher_open(&s, other), LZ_EVERSION);
        /* the way out it names is one lz_index_open takes: a new directory */
        CHECK(strstr(lz_last_error(), "into a new directory") != NULL);
        CHECK_RC(lz_index_open(&ix, other, NULL), LZ_EVERSION);
        CHECK(strstr(lz_last_error(), "into a new directory") != NULL);
    }
}

int main(void)
{
    char cmd[600];
    if (mkdtemp(tmp) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    test_corpus();
    test_runs();
    test_statuses();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return lzt_finish();
}
