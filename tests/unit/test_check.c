/* lz_index_check on real indexes in a mkdtemp directory: every state (ok, changed, missing, new,
 * damaged, skipped), new files found in the indexed folders and under given paths, in-memory
 * documents left out, the order of the report, and every documented status. */
#define _XOPEN_SOURCE 700           /* nftw */

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "lanzsearch.h"
#include "lz_schema.h"
#include "lzx.h"

static char tmp[] = "/tmp/lz-test-check-XXXXXX";

static char *path_in(const char *name)
{
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmp, name);
    return buf[k];
}

static void write_file(const char *path, const char *bytes, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (fp != NULL) {
        fwrite(bytes, 1, len, fp);
        fclose(fp);
    }
}

static void write_text(const char *path, const char *text)
{
    write_file(path, text, strlen(text));
}

/* What a check reported, as "state path" lines. */
typedef struct report {
    char lines[4096];
    int stop_after;         /* return 7 from the callback after this many entries (0: never) */
    int n;
} report;

static int collect(const lz_check_entry *e, void *payload)
{
    static const char *const names[] = { "ok", "changed", "missing", "new", "damaged",
                                         "skipped" };
    report *r = payload;
    size_t used = strlen(r->lines);
    const char *base = strrchr(e->path, '/');
    snprintf(r->lines + used, sizeof r->lines - used, "%s %s\n", names[e->state],
             base ? base + 1 : e->path);
    r->n++;
    return r->stop_after > 0 && r->n >= r->stop_after ? 7 : 0;
}

static int index_paths(const char *dir, const char *p1, const char *p2)
{
    lz_index *ix = NULL;
    int rc;
    if ((rc = lz_index_open(&ix, dir, NULL)) == LZ_OK &&
        (rc = lz_index_add_path(ix, p1)) == LZ_OK &&
        (p2 == NULL || (rc = lz_index_add_path(ix, p2)) == LZ_OK))
        rc = lz_index_commit(ix);
    if (rc != LZ_OK)
        fprintf(stderr, "indexing: %s\n", lz_last_error());
    lz_index_free(ix);
    return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int main(void)
{
    lz_check_stats st;
    report r;
    lzx_wdb *w = NULL;
    char *idx, *docs;
    const char *const other[] = { NULL };
    char *given[2];
    struct stat sb;

    if (mkdtemp(tmp) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    idx = strdup(path_in("idx"));
    docs = strdup(path_in("docs"));
    mkdir(docs, 0755);
    mkdir(path_in("docs/sub"), 0755);
    mkdir(path_in("more"), 0755);
    write_text(path_in("docs/a.txt"), "Alpha\n\nThe first document.\n");
    write_text(path_in("docs/b.txt"), "Beta\n\nThe second document.\n");
    write_text(path_in("docs/c.md"), "# Gamma\n\nThe third document.\n");
    write_text(path_in("docs/sub/d.txt"), "Delta\n\nIn a subfolder.\n");
    write_text(path_in("docs/README.md"), "# About this folder\n");
    write_text(path_in("docs/notes.doc"), "not a text file name\n");
    write_text(path_in("single.txt"), "Single\n\nA file named on its own.\n");
    CHECK_RC(index_paths(idx, docs, path_in("single.txt")), LZ_OK);

    /* Right after indexing: consistent, in order of path (docs/sub/d.txt after docs/c.md). */
    memset(&r, 0, sizeof r);
    CHECK_RC(lz_index_check(&st, idx, NULL, 0, collect, &r), LZ_OK);
    CHECK_STR(r.lines, "ok a.txt\nok b.txt\nok c.md\nok d.txt\nok single.txt\n");
    CHECK(st.n_ok == 5 && st.n_changed + st.n_missing + st.n_new + st.n_damaged == 0);

    /* Changed (size, or only the modification time), missing, new, skipped. */
    write_text(path_in("docs/a.txt"), "Alpha\n\nThe first document, longer now.\n");
    {
        struct timespec times[2] = { { 0, UTIME_OMIT }, { 1000000000, 0 } };
        CHECK(utimensat(AT_FDCWD, path_in("docs/b.txt"), times, 0) == 0);
    }
    remove(path_in("docs/c.md"));
    write_text(path_in("docs/e.txt"), "Epsilon\n\nNew here.\n");
    write_file(path_in("docs/f.txt"), "binary\0file", 11);
    write_text(path_in("docs/sub/g.md"), "# New in the subfolder\n");
    write_text(path_in("new-beside-single.txt"), "Beside the single file.\n");
    memset(&r, 0, sizeof r);
    CHECK_RC(lz_index_check(&st, idx, NULL, 0, collect, &r), LZ_OK);
    /* the folders of indexed files are listed, not their other subfolders; a file named on its
     * own makes its folder one of them */
    CHECK_STR(r.lines, "changed a.txt\nchanged b.txt\nmissing c.md\nnew e.txt\nskipped f.txt\n"
                       "ok d.txt\nnew g.md\nnew new-beside-single.txt\nok single.txt\n");
    CHECK(st.n_ok == 2 && st.n_changed == 2 && st.n_missing == 1 && st.n_new == 3 &&
          st.n_skipped == 1 && st.n_damaged == 0);

    /* A path given: walked with its subfolders; the same file found twice is reported once. */
    write_text(path_in("more/h.txt"), "Eta\n\nElsewhere.\n");
    mkdir(path_in("more/deeper"), 0755);
    write_text(path_in("more/deeper/i.txt"), "Iota\n\nDeeper.\n");
    given[0] = path_in("more");
    given[1] = path_in("docs");
    memset(&r, 0, sizeof r);
    CHECK_RC(lz_index_check(&st, idx, (const char *const *)given, 2, collect, &r), LZ_OK);
    CHECK(strstr(r.lines, "new h.txt\n") != NULL && strstr(r.lines, "new i.txt\n") != NULL);
    CHECK(st.n_new == 5);

    /* Indexing again brings the index up to date: consistent. */
    remove(path_in("docs/f.txt"));
    remove(path_in("new-beside-single.txt"));
    remove(path_in("docs/sub/g.md"));
    CHECK_RC(index_paths(idx, docs, NULL), LZ_OK);
    CHECK_RC(lz_index_check(&st, idx, NULL, 0, NULL, NULL), LZ_OK);
    CHECK(st.n_changed + st.n_missing + st.n_new + st.n_damaged == 0 && st.n_ok == 5);

    /* Damaged: the registry says more passages than the index holds, or is unreadable. */
    CHECK_RC(lzx_wdb_open(&w, idx), LZ_OK);
    if (w != NULL) {
        char *ident = realpath(path_in("docs/a.txt"), NULL), hash[17];
        lzi_buf key = LZI_BUF_INIT, val = LZI_BUF_INIT;
        lzi_hash_hex(ident, strlen(ident), hash);
        stat(ident, &sb);
        lzi_buf_printf(&key, "%s%s", LZI_META_FILE_PREFIX, hash);
        lzi_buf_printf(&val, "{\"path\":\"%s\",\"identity\":\"%s\",\"doc\":\"a\",\"size\":%lld,"
                       "\"mtime_ns\":%lld,\"passages\":99}", path_in("docs/a.txt"), ident,
                       (long long)sb.st_size,
                       (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec);
        CHECK_RC(lzx_wdb_set_metadata(w, key.ptr, val.ptr, val.len), LZ_OK);
        CHECK_RC(lzx_wdb_set_metadata(w, "file:0123456789abcdef", "{not json", 9), LZ_OK);
        CHECK_RC(lzx_wdb_commit(w), LZ_OK);
        lzx_wdb_free(w);
        free(ident);
        lzi_buf_dispose(&key);
        lzi_buf_dispose(&val);
    }
    memset(&r, 0, sizeof r);
    CHECK_RC(lz_index_check(&st, idx, NULL, 0, collect, &r), LZ_OK);
    CHECK(strstr(r.lines, "damaged a.txt\n") != NULL);
    CHECK(strstr(r.lines, "damaged file:0123456789abcdef\n") != NULL);
    CHECK(st.n_damaged == 2);
    {
        lz_index_options o = LZ_INDEX_OPTIONS_INIT;
        lz_index *ix = NULL;
        o.flags = LZ_INDEX_FORCE;
        /* reindexing the file repairs its record; the unreadable one stays until removed */
        CHECK_RC(lz_index_open(&ix, idx, &o), LZ_OK);
        CHECK_RC(lz_index_add_path(ix, path_in("docs/a.txt")), LZ_OK);
        CHECK_RC(lz_index_commit(ix), LZ_OK);
        lz_index_free(ix);
        CHECK_RC(lz_index_check(&st, idx, NULL, 0, NULL, NULL), LZ_OK);
        CHECK(st.n_damaged == 1);
    }

    /* In-memory documents have no file: not reported. */
    {
        lz_index *ix = NULL;
        CHECK_RC(lz_index_open(&ix, idx, NULL), LZ_OK);
        CHECK_RC(lz_index_add_text(ix, "memo.txt", "Memo\n\nHeld in memory.\n", 22), LZ_OK);
        CHECK_RC(lz_index_commit(ix), LZ_OK);
        lz_index_free(ix);
        memset(&r, 0, sizeof r);
        CHECK_RC(lz_index_check(&st, idx, NULL, 0, collect, &r), LZ_OK);
        CHECK(strstr(r.lines, "memo") == NULL);
    }

    /* The callback's non-zero value stops the check and is returned. */
    memset(&r, 0, sizeof r);
    r.stop_after = 2;
    CHECK_RC(lz_index_check(&st, idx, NULL, 0, collect, &r), 7);
    CHECK(r.n == 2);

    /* Statuses. */
    CHECK_RC(lz_index_check(&st, NULL, NULL, 0, NULL, NULL), LZ_EINVAL);
    CHECK_RC(lz_index_check(&st, "", NULL, 0, NULL, NULL), LZ_EINVAL);
    CHECK_RC(lz_index_check(&st, idx, NULL, 1, NULL, NULL), LZ_EINVAL);
    CHECK_RC(lz_index_check(&st, idx, other, 1, NULL, NULL), LZ_EINVAL);
    CHECK_RC(lz_index_check(&st, path_in("nothing"), NULL, 0, NULL, NULL), LZ_ENOTFOUND);
    given[0] = path_in("no-such-folder");
    CHECK_RC(lz_index_check(&st, idx, (const char *const *)given, 1, NULL, NULL), LZ_ENOTFOUND);
    CHECK_RC(lz_index_check(&st, path_in("single.txt"), NULL, 0, NULL, NULL), LZ_EIO);
    CHECK_RC(lzx_wdb_open(&w, idx), LZ_OK);
    if (w != NULL) {
        CHECK_RC(lzx_wdb_set_metadata(w, LZI_META_FINGERPRINT, "format=99", 9), LZ_OK);
        CHECK_RC(lzx_wdb_commit(w), LZ_OK);
        lzx_wdb_free(w);
    }
    CHECK_RC(lz_index_check(&st, idx, NULL, 0, NULL, NULL), LZ_EVERSION);
    {
        char *glass = path_in("idx/postlist.glass");
        FILE *fp = fopen(glass, "r+b");
        if (fp != NULL) {           /* garbage over the first blocks of the posting lists */
            char junk[16384];
            memset(junk, 0x5a, sizeof junk);
            fwrite(junk, 1, sizeof junk, fp);
            fclose(fp);
        }
        CHECK(lz_index_check(&st, idx, NULL, 0, NULL, NULL) < 0);
    }

    nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(idx);
    free(docs);
    return lzt_finish();
}
