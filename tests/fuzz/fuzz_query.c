/* Fuzz target: query handling end to end (searcher/, text/query.c, the facade's QueryParser and
 * Enquire, snippets, citations): lz_search with any bytes as the query, on a small fixed index
 * built once at start-up in a temporary folder from slices of the bundled corpus. A query is
 * answered (LZ_OK) or refused with LZ_EQUERY and a message; any other status, a crash or a
 * malformed hit (ranks, line ranges, highlights outside the snippet) is a failure. Each input
 * runs twice: default options, and AND + exact + no correction with a small page and snippet.
 * Seeds: tests/fuzz/corpus/query/ (the README's query examples). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "lanzsearch.h"
#include "lz_common.h"
#include "lz_text.h"

#ifndef LZ_FUZZ_CORPUS
#error "LZ_FUZZ_CORPUS (the bundled corpus folder) must be defined"
#endif

/* Each document contributes slices of this many bytes (cut back to a line end) from its start
 * and from its middle: a few hundred passages, so a query costs well under a millisecond. */
#define FUZZ_SLICE_BYTES 12000

static const char *const documents[] = {
    "endocsea-baseline-mapping-2019.txt",
    "lanzarote-factsheet-assistance-to-victims.txt",
    "lanzarote-factsheet-bulgaria.txt",
    "lanzarote-factsheet-civil-society.txt",
    "lanzarote-recommendations-finland.txt",
};

static char index_dir[] = "/tmp/lz-fuzz-query-XXXXXX";
static lz_searcher *searcher;

static void cleanup(void)
{
    DIR *dp;
    struct dirent *de;
    char path[sizeof index_dir + 300];

    lz_searcher_free(searcher);
    searcher = NULL;
    if ((dp = opendir(index_dir)) != NULL) {    /* a glass database is one flat folder */
        while ((de = readdir(dp)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", index_dir, de->d_name);
            unlink(path);
        }
        closedir(dp);
    }
    rmdir(index_dir);
}

/* Add text[from, from + FUZZ_SLICE_BYTES), both ends moved to line starts, as `name`. */
static void add_slice(lz_index *ix, const char *name, const char *text, size_t len, size_t from)
{
    size_t to = from + FUZZ_SLICE_BYTES < len ? from + FUZZ_SLICE_BYTES : len;
    while (from > 0 && from < len && text[from - 1] != '\n')
        from++;
    while (to < len && to > from && text[to - 1] != '\n')
        to--;
    FUZZ_ASSERT(lz_index_add_text(ix, name, text + from, to - from) == LZ_OK);
}

static void build_index(void)
{
    lz_index *ix = NULL;
    char path[4096], name[128];
    size_t i;

    FUZZ_ASSERT(mkdtemp(index_dir) != NULL);
    atexit(cleanup);
    FUZZ_ASSERT(lz_index_open(&ix, index_dir, NULL) == LZ_OK);
    for (i = 0; i < sizeof documents / sizeof documents[0]; i++) {
        lzi_buf text = LZI_BUF_INIT;
        FILE *fp;
        snprintf(path, sizeof path, "%s/%s", LZ_FUZZ_CORPUS, documents[i]);
        if ((fp = fopen(path, "rb")) == NULL) {
            fprintf(stderr, "fuzz_query: cannot read %s\n", path);
            abort();
        }
        FUZZ_ASSERT(lzi_buf_read_all(&text, fp, (size_t)16 << 20, path) == LZ_OK);
        fclose(fp);
        snprintf(name, sizeof name, "head-%s", documents[i]);
        add_slice(ix, name, text.ptr, text.len, 0);
        snprintf(name, sizeof name, "middle-%s", documents[i]);
        add_slice(ix, name, text.ptr, text.len, text.len / 2);
        lzi_buf_dispose(&text);
    }
    FUZZ_ASSERT(lz_index_commit(ix) == LZ_OK);
    lz_index_free(ix);
    FUZZ_ASSERT(lz_searcher_open(&searcher, index_dir) == LZ_OK);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    build_index();
    return 0;
}

static int valid(const char *s)
{
    return s != NULL && lzi_utf8_invalid(s, strlen(s)) == LZI_NPOS;
}

static void check_results(const lz_results *r, const char *query, const lz_search_options *o)
{
    size_t i, k, off, len, n = lz_results_count(r);

    FUZZ_ASSERT(strcmp(lz_results_query(r), query) == 0);
    FUZZ_ASSERT(n <= o->limit);
    FUZZ_ASSERT(lz_results_corrected(r) == NULL || valid(lz_results_corrected(r)));
    FUZZ_ASSERT(lz_results_parsed(r) != NULL);
    for (i = 0; i < n; i++) {
        const lz_hit *h = lz_results_hit(r, i);
        const char *snip = lz_hit_snippet(h);
        unsigned first, last;
        FUZZ_ASSERT(h != NULL && lz_hit_rank(h) == o->offset + i + 1);
        lz_hit_lines(h, &first, &last);
        FUZZ_ASSERT(first >= 1 && first <= last);
        FUZZ_ASSERT(valid(snip) && valid(lz_hit_citation(h)) && valid(lz_hit_path(h)));
        for (k = 0; lz_hit_highlight(h, k, &off, &len) == 0; k++)
            FUZZ_ASSERT(len > 0 && off <= strlen(snip) && len <= strlen(snip) - off);
        FUZZ_ASSERT(k == lz_hit_highlight_count(h));
    }
    FUZZ_ASSERT(lz_results_hit(r, n) == NULL);
}

static void search(const char *query, const lz_search_options *o)
{
    lz_results *r = NULL;
    int rc = lz_search(&r, searcher, query, o);

    if (rc == LZ_OK) {
        FUZZ_ASSERT(r != NULL);
        check_results(r, query, o);
    } else {
        /* Refused: only as a bad query, with a message. */
        if (rc != LZ_EQUERY)
            fprintf(stderr, "fuzz_query: status %d (%s): %s\n", rc, lz_strerror(rc),
                    lz_last_error());
        FUZZ_ASSERT(rc == LZ_EQUERY);
        FUZZ_ASSERT(r == NULL && lz_last_error()[0] != '\0');
    }
    lz_results_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lz_search_options plain = LZ_SEARCH_OPTIONS_INIT, strict = LZ_SEARCH_OPTIONS_INIT;
    char *query = malloc(size + 1);     /* a C string: it ends at the first NUL byte */

    FUZZ_ASSERT(query != NULL);
    memcpy(query, data, size);
    query[size] = '\0';
    search(query, &plain);
    strict.flags = LZ_SEARCH_AND | LZ_SEARCH_EXACT | LZ_SEARCH_NO_CORRECT;
    strict.offset = 1;
    strict.limit = 3;
    strict.snippet_len = 40;
    search(query, &strict);
    free(query);
    return 0;
}
