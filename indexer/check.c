/* lz_index_check: compare an index with the files on disk, read-only. The index keeps a registry
 * of its sources as metadata (index.c: "file:<hash>" -> {path, identity, size, mtime_ns,
 * passages}); each registered file is stat'ed and its passages counted, and the folders holding
 * them (plus any paths given) are listed for files the index does not hold. */
#define _XOPEN_SOURCE 700           /* realpath() is an XSI extension */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>

#include "lz_common.h"
#include "lz_schema.h"
#include "lz_text.h"
#include "lz_thesaurus.h"
#include "lz_walk.h"
#include "lzx.h"

/* One file of the report. */
typedef struct item {
    lz_check_state state;
    char *path;             /* as the index knows it (or its folder does) */
    char *identity;         /* absolute: resolved folder + "/" + name */
    uint64_t n_passages;
} item;

typedef struct checker {
    lzx_db *db;
    item *v;                /* registered files first, then the files found */
    size_t n, cap;
    size_t n_registered;    /* v[0, n_registered) are registered, sorted by identity while the
                               folders are listed */
    lzi_buf scratch;
} checker;

static int add_item(checker *c, lz_check_state state, const char *path, size_t path_len,
                    const char *identity, uint64_t n_passages)
{
    item *it;

    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        item *v = lzi_realloc(c->v, cap * sizeof *v);
        if (v == NULL)
            return lzi_error_set(LZ_ENOMEM, "out of memory");
        c->v = v;
        c->cap = cap;
    }
    it = &c->v[c->n];
    it->state = state;
    it->n_passages = n_passages;
    it->path = lzi_strndup(path, path_len);
    it->identity = lzi_strdup(identity);
    if (it->path == NULL || it->identity == NULL) {
        lzi_free(it->path);
        lzi_free(it->identity);
        return lzi_error_set(LZ_ENOMEM, "out of memory");
    }
    c->n++;
    return LZ_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Registered files */

/* The state of a registered file from its record and the file as it is now. */
static lz_check_state registered_state(checker *c, const char *hash, json_t *entry,
                                       const char *identity, uint64_t *held)
{
    json_t *size = json_object_get(entry, "size"), *mtime = json_object_get(entry, "mtime_ns");
    json_t *passages = json_object_get(entry, "passages");
    struct stat st;

    lzi_buf_clear(&c->scratch);
    if (lzi_buf_printf(&c->scratch, "%s%s", LZI_PREFIX_FILE, hash) == LZ_OK)
        *held = lzx_db_termfreq(c->db, c->scratch.ptr, c->scratch.len);
    if (!json_is_integer(size) || !json_is_integer(mtime) || !json_is_integer(passages))
        return LZ_CHECK_DAMAGED;
    if (stat(identity, &st) != 0 || !S_ISREG(st.st_mode))
        return LZ_CHECK_MISSING;
    if ((uint64_t)json_integer_value(passages) != *held)
        return LZ_CHECK_DAMAGED;
    if (json_integer_value(size) != (json_int_t)st.st_size ||
        json_integer_value(mtime) !=
            (json_int_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec)
        return LZ_CHECK_CHANGED;
    return LZ_CHECK_OK;
}

static int on_file_key(void *payload, const char *key, size_t len)
{
    checker *c = payload;
    const char *hash = key + strlen(LZI_META_FILE_PREFIX);
    const char *identity, *path;
    char *val = NULL;
    size_t val_len = 0;
    json_t *entry = NULL;
    uint64_t held = 0;
    lz_check_state state;
    int rc;

    (void)len;
    if ((rc = lzx_db_get_metadata(c->db, key, &val, &val_len)) != LZ_OK)
        return rc;
    if (val_len == 0)
        goto done;          /* deleted meanwhile */
    entry = json_loadb(val, val_len, 0, NULL);
    identity = json_string_value(json_object_get(entry, "identity"));
    path = json_string_value(json_object_get(entry, "path"));
    if (identity != NULL && strncmp(identity, "mem:", 4) == 0)
        goto done;          /* lz_index_add_text: no file to compare with */
    if (entry == NULL || identity == NULL || identity[0] != '/' || path == NULL) {
        rc = add_item(c, LZ_CHECK_DAMAGED, key, strlen(key), key, 0);
        goto done;
    }
    state = registered_state(c, hash, entry, identity, &held);
    rc = add_item(c, state, path, strlen(path), identity, held);
done:
    json_decref(entry);
    lzi_free(val);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Files not registered */

static int cmp_identity(const void *a, const void *b)
{
    return strcmp(((const item *)a)->identity, ((const item *)b)->identity);
}

static int cmp_path(const void *a, const void *b)
{
    const item *x = a, *y = b;
    int d = strcmp(x->path, y->path);
    return d != 0 ? d : strcmp(x->identity, y->identity);
}

/* Whether identity is registered. */
static int registered(const checker *c, const char *identity)
{
    item key;

    key.identity = (char *)identity;
    return c->n_registered > 0 &&
           bsearch(&key, c->v, c->n_registered, sizeof *c->v, cmp_identity) != NULL;
}

/* Whether the indexer would skip the file: unreadable, too large, with a NUL byte or a line
 * over its limit. */
static int indexer_skips(const char *identity, const struct stat *st)
{
    char block[65536];
    size_t got, i;
    long long line_len = 0;
    int skip = 0;
    FILE *fp;

    if ((long long)st->st_size > (long long)LZI_MAX_SOURCE_BYTES || (fp = fopen(identity, "rb")) == NULL)
        return 1;
    while (!skip && (got = fread(block, 1, sizeof block, fp)) > 0) {
        for (i = 0; i < got && !skip; i++) {
            if (block[i] == '\0')
                skip = 1;
            else if (block[i] == '\n')
                line_len = 0;
            else if (++line_len > (long long)LZI_MAX_LINE_BYTES)
                skip = 1;
        }
    }
    if (ferror(fp))
        skip = 1;
    fclose(fp);
    return skip;
}

/* A regular file that is not registered: NEW, or SKIPPED when indexing would skip it. The same
 * file may be found twice (a folder given and listed as a registered file's folder): duplicates
 * are dropped at the end. */
static int found_file(checker *c, const char *path, const char *identity, const struct stat *st)
{
    if (registered(c, identity))
        return LZ_OK;
    return add_item(c, indexer_skips(identity, st) ? LZ_CHECK_SKIPPED : LZ_CHECK_NEW, path,
                    strlen(path), identity, 0);
}

/* Folders on the walk's path, by device and inode, so symbolic link loops end. */
typedef struct walk_ctx {
    checker *c;
    int recursive;
    dev_t devs[LZI_MAX_DEPTH];
    ino_t inos[LZI_MAX_DEPTH];
    size_t depth;
} walk_ctx;

/* List folder `dir` (shown as `shown`, reached as `real`, both without a trailing '/') for
 * wanted files not registered; with w->recursive, its subfolders too. A folder that cannot be
 * read is left out, as the indexer skips it. */
static int walk(walk_ctx *w, const char *shown, const char *real)
{
    lzi_buf path = LZI_BUF_INIT, ident = LZI_BUF_INIT;
    char **names = NULL;
    size_t n = 0, i;
    struct stat st;
    int rc;

    if (stat(real, &st) != 0 || w->depth == LZI_MAX_DEPTH)
        return LZ_OK;
    for (i = 0; i < w->depth; i++)
        if (w->devs[i] == st.st_dev && w->inos[i] == st.st_ino)
            return LZ_OK;
    if ((rc = lzi_dir_names(real, &names, &n)) != LZ_OK)
        return rc == LZ_EIO ? LZ_OK : rc;   /* unreadable: the indexer skips it too */
    w->devs[w->depth] = st.st_dev;
    w->inos[w->depth] = st.st_ino;
    w->depth++;
    for (i = 0; i < n && rc == LZ_OK; i++) {
        struct stat fst;
        lzi_buf_clear(&path);
        lzi_buf_clear(&ident);
        if ((rc = lzi_buf_printf(&path, "%s/%s", shown, names[i])) != LZ_OK ||
            (rc = lzi_buf_printf(&ident, "%s/%s", strcmp(real, "/") ? real : "", names[i])))
            break;
        if (stat(ident.ptr, &fst) != 0)
            continue;
        if (S_ISDIR(fst.st_mode)) {
            char resolved[PATH_MAX];
            if (w->recursive && realpath(ident.ptr, resolved) != NULL)
                rc = walk(w, path.ptr, resolved);
        } else if (S_ISREG(fst.st_mode) && lzi_wanted_file(names[i])) {
            rc = found_file(w->c, path.ptr, ident.ptr, &fst);
        }
    }
    w->depth--;
    lzi_names_free(names, n);
    lzi_buf_dispose(&path);
    lzi_buf_dispose(&ident);
    return rc;
}

/* The folder part of a path: "corpus" for "corpus/x.txt", "." for "x.txt", "/" for "/x". */
static int folder_of(const char *path, lzi_buf *out)
{
    const char *slash = strrchr(path, '/');
    lzi_buf_clear(out);
    if (slash == NULL)
        return lzi_buf_putc(out, '.');
    if (slash == path)
        return lzi_buf_putc(out, '/');
    return lzi_buf_append(out, path, (size_t)(slash - path));
}

/* A folder holding registered files: as reached and as the index shows it. */
typedef struct folder {
    char *real;
    char *shown;
} folder;

static int cmp_folder(const void *a, const void *b)
{
    return strcmp(((const folder *)a)->real, ((const folder *)b)->real);
}

/* List, once each, the folders holding registered files (not their subfolders: a file named
 * on the command line does not make its whole tree part of the index). */
static int walk_registered_folders(checker *c)
{
    lzi_buf buf = LZI_BUF_INIT;
    folder *f = NULL;
    size_t n = 0, i;
    int rc = LZ_OK;

    if (c->n_registered > 0 && (f = lzi_calloc(c->n_registered, sizeof *f)) == NULL)
        return lzi_error_set(LZ_ENOMEM, "out of memory");
    for (i = 0; i < c->n_registered; i++) {
        if (c->v[i].state == LZ_CHECK_DAMAGED && c->v[i].identity[0] != '/')
            continue;       /* an unreadable record: no folder known */
        if ((rc = folder_of(c->v[i].identity, &buf)) != LZ_OK)
            goto done;
        if ((f[n].real = lzi_strdup(buf.ptr)) == NULL) {
            rc = lzi_error_set(LZ_ENOMEM, "out of memory");
            goto done;
        }
        n++;
        if ((rc = folder_of(c->v[i].path, &buf)) != LZ_OK)
            goto done;
        if ((f[n - 1].shown = lzi_strdup(buf.ptr)) == NULL) {
            rc = lzi_error_set(LZ_ENOMEM, "out of memory");
            goto done;
        }
    }
    if (n > 1)
        qsort(f, n, sizeof *f, cmp_folder);
    for (i = 0; i < n && rc == LZ_OK; i++) {
        walk_ctx w;
        if (i > 0 && strcmp(f[i].real, f[i - 1].real) == 0)
            continue;
        memset(&w, 0, sizeof w);
        w.c = c;
        rc = walk(&w, f[i].shown, f[i].real);
    }
done:
    for (i = 0; i < n; i++) {
        lzi_free(f[i].real);
        lzi_free(f[i].shown);
    }
    lzi_free(f);
    lzi_buf_dispose(&buf);
    return rc;
}

/* Drop the files found twice: v[n_registered, n) sorted by identity, first of each kept. */
static void drop_duplicates(checker *c)
{
    size_t i, kept = c->n_registered;

    if (c->n - c->n_registered > 1)
        qsort(c->v + c->n_registered, c->n - c->n_registered, sizeof *c->v, cmp_identity);
    for (i = c->n_registered; i < c->n; i++) {
        if (kept > c->n_registered && strcmp(c->v[kept - 1].identity, c->v[i].identity) == 0) {
            lzi_free(c->v[i].path);
            lzi_free(c->v[i].identity);
            continue;
        }
        c->v[kept++] = c->v[i];
    }
    c->n = kept;
}

/* A path given by the caller: a file is taken whatever its name (as lz_index_add_path takes
 * it), a folder is walked like the indexer walks it. */
static int walk_given(checker *c, const char *path)
{
    char real[PATH_MAX];
    struct stat st;
    walk_ctx w;
    size_t len = strlen(path);

    if (stat(path, &st) != 0)
        return lzi_error_set(errno == ENOENT ? LZ_ENOTFOUND : LZ_EIO, "%s: %s", path,
                             strerror(errno));
    if (realpath(path, real) == NULL)
        return lzi_error_set(LZ_EIO, "%s: %s", path, strerror(errno));
    if (S_ISREG(st.st_mode))
        return found_file(c, path, real, &st);
    if (!S_ISDIR(st.st_mode))
        return lzi_error_set(LZ_EINPUT, "%s: not a regular file or folder", path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    memset(&w, 0, sizeof w);
    w.c = c;
    w.recursive = 1;
    {
        char *shown = lzi_strndup(path, len);
        int rc;
        if (shown == NULL)
            return lzi_error_set(LZ_ENOMEM, "out of memory");
        rc = walk(&w, shown, real);
        lzi_free(shown);
        return rc;
    }
}

/* ------------------------------------------------------------------------------------------ */

/* The index was built by these rules (as lz_index_open and lz_searcher_open require): else
 * its registry may mean something else. An empty index without fingerprint is new. */
static int check_fingerprint(lzx_db *db, const char *dir)
{
    lzi_stoplist stop;
    lzi_analyzer *an = NULL;
    lzi_thesaurus *thes = NULL;
    lzi_buf want = LZI_BUF_INIT;
    char *have = NULL;
    size_t have_len = 0;
    int rc;

    memset(&stop, 0, sizeof stop);
    if ((rc = lzx_db_get_metadata(db, LZI_META_FINGERPRINT, &have, &have_len)) != LZ_OK)
        goto done;
    if (have_len == 0) {
        if (lzx_db_doccount(db) > 0)
            rc = lzi_error_set(LZ_EVERSION, "%s: not a lanzsearch index (no fingerprint)", dir);
        goto done;
    }
    if ((rc = lzi_stoplist_from_text(&stop, lzi_stopwords_english,
                                     lzi_stopwords_english_len)) != LZ_OK ||
        (rc = lzi_analyzer_new(&an)) != LZ_OK ||
        (rc = lzi_thesaurus_parse(&thes, an, lzi_thesaurus_english,
                                  lzi_thesaurus_english_len)) != LZ_OK ||
        (rc = lzi_fingerprint(&want, lzi_text_versions(), stop.digest,
                              lzi_thesaurus_digest(thes))) != LZ_OK)
        goto done;
    if (have_len != want.len || memcmp(have, want.ptr, have_len) != 0)
        rc = lzi_error_set(LZ_EVERSION, "%s: index built with other rules (%.*s; this is %s); "
                           "rebuild it: 'lanzsearch index' into a new directory, or remove "
                           "%s and index again", dir, (int)have_len, have, want.ptr, dir);
done:
    lzi_free(have);
    lzi_buf_dispose(&want);
    lzi_thesaurus_free(thes);
    lzi_analyzer_free(an);
    lzi_stoplist_dispose(&stop);
    return rc;
}

int lz_index_check(lz_check_stats *out, const char *dir, const char *const *paths,
                   size_t n_paths, lz_check_fn fn, void *payload)
{
    lz_check_stats stats;
    checker c;
    size_t i;
    int rc;

    memset(&stats, 0, sizeof stats);
    memset(&c, 0, sizeof c);
    if (out != NULL)
        *out = stats;
    if (dir == NULL || dir[0] == '\0' || (paths == NULL && n_paths > 0))
        return lzi_error_set(LZ_EINVAL, "lz_index_check: no index directory or NULL paths");
    for (i = 0; i < n_paths; i++)
        if (paths[i] == NULL || paths[i][0] == '\0')
            return lzi_error_set(LZ_EINVAL, "lz_index_check: NULL or empty path");
    if ((rc = lzx_db_open(&c.db, dir)) != LZ_OK || (rc = check_fingerprint(c.db, dir)) != LZ_OK)
        goto done;

    if ((rc = lzx_db_metadata_keys(c.db, LZI_META_FILE_PREFIX, on_file_key, &c)) != LZ_OK)
        goto done;
    c.n_registered = c.n;
    if (c.n > 1)
        qsort(c.v, c.n, sizeof *c.v, cmp_identity);
    if ((rc = walk_registered_folders(&c)) != LZ_OK)
        goto done;
    for (i = 0; i < n_paths; i++)
        if ((rc = walk_given(&c, paths[i])) != LZ_OK)
            goto done;
    drop_duplicates(&c);

    if (c.n > 1)
        qsort(c.v, c.n, sizeof *c.v, cmp_path);
    for (i = 0; i < c.n; i++) {
        const item *it = &c.v[i];
        lz_check_entry e;
        switch (it->state) {
        case LZ_CHECK_OK: stats.n_ok++; break;
        case LZ_CHECK_CHANGED: stats.n_changed++; break;
        case LZ_CHECK_MISSING: stats.n_missing++; break;
        case LZ_CHECK_NEW: stats.n_new++; break;
        case LZ_CHECK_DAMAGED: stats.n_damaged++; break;
        case LZ_CHECK_SKIPPED: stats.n_skipped++; break;
        }
        e.state = it->state;
        e.path = it->path;
        e.real_path = it->identity;
        e.n_passages = it->n_passages;
        if (fn != NULL && (rc = fn(&e, payload)) != 0)
            goto done;
    }
    if (out != NULL)
        *out = stats;
    rc = LZ_OK;
done:
    for (i = 0; i < c.n; i++) {
        lzi_free(c.v[i].path);
        lzi_free(c.v[i].identity);
    }
    lzi_free(c.v);
    lzi_buf_dispose(&c.scratch);
    lzx_db_free(c.db);
    return rc;
}
