/* lz_index_get_sizes and lz_index_compact: what an index costs on disk, table by table, and
 * its compaction (Xapian's Database::compact through the facade) into a copy beside it that
 * then takes its place with one atomic rename, all under the index's write lock. Sits beside
 * the indexing run: it writes no passage, it rewrites the files an indexing run left. */
#define _GNU_SOURCE                 /* renameat2() and RENAME_EXCHANGE (glibc 2.28, Linux 3.15) */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "lz_common.h"
#include "lz_schema.h"
#include "lzx.h"

/* The tables of a glass database, one file DIR/<name>.glass each, and where their sizes go.
 * The other files (iamglass, the version file; flintlock, the lock) count in the total only. */
static const struct {
    const char *file;
    size_t off;
} glass_tables[] = {
    { "postlist.glass", offsetof(lz_index_sizes, postlist) },
    { "position.glass", offsetof(lz_index_sizes, position) },
    { "termlist.glass", offsetof(lz_index_sizes, termlist) },
    { "docdata.glass", offsetof(lz_index_sizes, docdata) },
    { "spelling.glass", offsetof(lz_index_sizes, spelling) },
    { "synonym.glass", offsetof(lz_index_sizes, synonym) },
};

/* Add the sizes of the regular files in folder dir to out (total and per table). */
static int file_sizes(lz_index_sizes *out, const char *dir)
{
    lzi_buf path = LZI_BUF_INIT;
    struct dirent *e;
    DIR *d;
    size_t k;
    int rc = LZ_OK;

    if ((d = opendir(dir)) == NULL)
        return lzi_error_set(errno == ENOENT ? LZ_ENOTFOUND : LZ_EIO, "%s: %s", dir,
                             strerror(errno));
    while (rc == LZ_OK && (e = readdir(d)) != NULL) {
        struct stat st;
        lzi_buf_clear(&path);
        if ((rc = lzi_buf_printf(&path, "%s/%s", dir, e->d_name)) != LZ_OK)
            break;
        if (lstat(path.ptr, &st) != 0 || !S_ISREG(st.st_mode))
            continue;       /* gone meanwhile (a writer's temporary file), or not a file */
        out->total += (uint64_t)st.st_size;
        for (k = 0; k < sizeof glass_tables / sizeof glass_tables[0]; k++)
            if (strcmp(e->d_name, glass_tables[k].file) == 0)
                *(uint64_t *)((char *)out + glass_tables[k].off) = (uint64_t)st.st_size;
    }
    closedir(d);
    lzi_buf_dispose(&path);
    return rc;
}

typedef struct source_sum {
    lzx_db *db;
    uint64_t bytes;
} source_sum;

/* Add the size recorded in one source's registry entry ("file:<hash>" -> {"size": N, ...}). */
static int on_source(void *payload, const char *key, size_t len)
{
    source_sum *sum = payload;
    char *val = NULL;
    size_t val_len = 0;
    json_t *entry;
    int rc;

    (void)len;
    if ((rc = lzx_db_get_metadata(sum->db, key, &val, &val_len)) != LZ_OK)
        return rc;
    if (val_len > 0 && (entry = json_loadb(val, val_len, 0, NULL)) != NULL) {
        json_int_t size = json_integer_value(json_object_get(entry, "size"));
        if (size > 0)
            sum->bytes += (uint64_t)size;
        json_decref(entry);
    }
    lzi_free(val);
    return LZ_OK;
}

int lz_index_get_sizes(lz_index_sizes *out, const char *dir)
{
    source_sum sum = { NULL, 0 };
    int rc;

    if (out == NULL || dir == NULL || dir[0] == '\0')
        return lzi_error_set(LZ_EINVAL, "lz_index_get_sizes: NULL argument or empty dir");
    memset(out, 0, sizeof *out);
    if ((rc = lzx_db_open(&sum.db, dir)) != LZ_OK)
        return rc;
    if ((rc = lzx_db_metadata_keys(sum.db, LZI_META_FILE_PREFIX, on_source, &sum)) == LZ_OK &&
        (rc = file_sizes(out, dir)) == LZ_OK)
        out->source_bytes = sum.bytes;
    lzx_db_free(sum.db);
    if (rc != LZ_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Compaction */

/* Call fn(path) for each entry of folder dir but "." and ".." (and, with `hidden` 0, any
 * name that starts with a dot), path being dir/name; stop at the first failure. */
static int each_entry(const char *dir, int hidden, int (*fn)(const char *path))
{
    lzi_buf path = LZI_BUF_INIT;
    struct dirent *e;
    DIR *d;
    int rc = LZ_OK;

    if ((d = opendir(dir)) == NULL)
        return lzi_error_set(errno == ENOENT ? LZ_ENOTFOUND : LZ_EIO, "%s: %s", dir,
                             strerror(errno));
    while (rc == LZ_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            (!hidden && e->d_name[0] == '.'))
            continue;
        lzi_buf_clear(&path);
        if ((rc = lzi_buf_printf(&path, "%s/%s", dir, e->d_name)) == LZ_OK)
            rc = fn(path.ptr);
    }
    closedir(d);
    lzi_buf_dispose(&path);
    return rc;
}

static int remove_file(const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT)
        return lzi_error_set(LZ_EIO, "%s: %s", path, strerror(errno));
    return LZ_OK;
}

/* Remove folder dir and the files in it (a glass database has no subfolders). A folder that
 * does not exist is no error. */
static int remove_folder(const char *dir)
{
    int rc = each_entry(dir, 1, remove_file);

    if (rc == LZ_ENOTFOUND)
        return LZ_OK;           /* nothing to remove */
    if (rc == LZ_OK && rmdir(dir) != 0 && errno != ENOENT)
        rc = lzi_error_set(LZ_EIO, "%s: %s", dir, strerror(errno));
    return rc;
}

/* fsync a file or folder. */
static int sync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc = LZ_OK;
    if (fd < 0 || fsync(fd) != 0)
        rc = lzi_error_set(LZ_EIO, "%s: cannot sync: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    return rc;
}

/* Make the files of folder dir, and its entries, durable before it is renamed into place:
 * after a crash, the name must not point to a folder whose files are not all on disk. */
static int sync_folder(const char *dir)
{
    int rc = each_entry(dir, 0, sync_path);

    if (rc == LZ_ENOTFOUND)
        rc = LZ_EIO;            /* the folder just built is gone: an I/O failure here */
    return rc == LZ_OK ? sync_path(dir) : rc;
}

/* The folder holding path (an absolute path other than "/"), into parent. */
static int parent_of(const char *path, lzi_buf *parent)
{
    const char *slash = strrchr(path, '/');
    lzi_buf_clear(parent);
    if (slash == path)
        return lzi_buf_puts(parent, "/");
    return lzi_buf_append(parent, path, (size_t)(slash - path));
}

/* Put the folder `fresh` in the place of `real`. On success *leftover names the old index, for
 * the caller to remove: `old`, or `fresh` if it could not be renamed. One atomic exchange where
 * the file system has it; else two renames, undone if the second fails. */
static int swap_in(const char *real, const char *fresh, const char *old, const char **leftover)
{
    *leftover = old;
    if (renameat2(AT_FDCWD, fresh, AT_FDCWD, real, RENAME_EXCHANGE) == 0) {
        /* `fresh` now names the old index: give it the name that says so, so that a crash
         * before it is removed does not leave an old index named as a compacted copy. */
        if (rename(fresh, old) != 0)
            *leftover = fresh;
        return LZ_OK;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return lzi_error_set(LZ_EIO, "%s: cannot swap in the compacted copy %s: %s", real,
                             fresh, strerror(errno));
    /* No RENAME_EXCHANGE here (e.g. NFS): between these two renames there is no index at
     * `real`, and a crash leaves both copies beside it (lanzsearch.h says so). */
    if (rename(real, old) != 0)
        return lzi_error_set(LZ_EIO, "%s: cannot move it to %s: %s", real, old,
                             strerror(errno));
    if (rename(fresh, real) != 0) {
        int err = errno;
        if (rename(old, real) != 0)
            return lzi_error_set(LZ_EIO, "%s: cannot put the compacted copy in place (%s), "
                                 "nor the old index back: rename %s to %s", real,
                                 strerror(err), old, real);
        return lzi_error_set(LZ_EIO, "%s: cannot put the compacted copy %s in place: %s", real,
                             fresh, strerror(err));
    }
    return LZ_OK;
}

int lz_index_compact(lz_index_sizes *before, lz_index_sizes *after, const char *dir)
{
    char real[PATH_MAX];
    lzi_buf fresh = LZI_BUF_INIT, old = LZI_BUF_INIT, parent = LZI_BUF_INIT;
    const char *leftover = NULL;
    lz_index *ix = NULL;
    lzx_db *db = NULL;
    struct stat st;
    int rc, swapped = 0;

    if (before != NULL)
        memset(before, 0, sizeof *before);
    if (after != NULL)
        memset(after, 0, sizeof *after);
    if (dir == NULL || dir[0] == '\0')
        return lzi_error_set(LZ_EINVAL, "lz_index_compact: no index directory given");
    /* There must be an index: lz_index_open would create an empty one. */
    if ((rc = lzx_db_open(&db, dir)) != LZ_OK)
        return rc;
    lzx_db_free(db);
    /* The write lock (and the checks of lz_index_open: a lanzsearch index of these rules),
     * held until the old index is out of the way. */
    if ((rc = lz_index_open(&ix, dir, NULL)) != LZ_OK)
        return rc;
    if (realpath(dir, real) == NULL || stat(real, &st) != 0) {
        rc = lzi_error_set(LZ_EIO, "%s: %s", dir, strerror(errno));
        goto done;
    }
    if (strcmp(real, "/") == 0) {
        rc = lzi_error_set(LZ_EINVAL, "%s: an index at the root cannot be swapped", dir);
        goto done;
    }
    if (before != NULL && (rc = lz_index_get_sizes(before, real)) != LZ_OK)
        goto done;
    if ((rc = lzi_buf_printf(&fresh, "%s.compact-%ld", real, (long)getpid())) != LZ_OK ||
        (rc = lzi_buf_printf(&old, "%s.old-%ld", real, (long)getpid())) != LZ_OK ||
        (rc = parent_of(real, &parent)) != LZ_OK)
        goto done;
    /* Leftovers under our own process id are a dead process's: no live one can have it. */
    if ((rc = remove_folder(fresh.ptr)) != LZ_OK || (rc = remove_folder(old.ptr)) != LZ_OK)
        goto done;
    if ((rc = lzx_compact(real, fresh.ptr)) != LZ_OK) {
        lzi_error_prefix(rc, "%s: compacting into %s", dir, fresh.ptr);
        goto done;
    }
    if (chmod(fresh.ptr, st.st_mode & 07777) != 0) {
        rc = lzi_error_set(LZ_EIO, "%s: %s", fresh.ptr, strerror(errno));
        goto done;
    }
    if ((rc = sync_folder(fresh.ptr)) != LZ_OK ||
        (rc = swap_in(real, fresh.ptr, old.ptr, &leftover)) != LZ_OK)
        goto done;
    swapped = 1;
    rc = sync_path(parent.ptr);     /* the renames themselves */
done:
    /* Release the lock (the old index's lock file) before its files go. */
    lz_index_free(ix);
    if (!swapped) {
        /* best effort: should this fail too, its message replaces the first one */
        if (fresh.ptr != NULL)
            remove_folder(fresh.ptr);
    } else {
        int rm = remove_folder(leftover);
        if (rc == LZ_OK && rm != LZ_OK)
            rc = lzi_error_prefix(rm, "%s: compacted, but the old copy %s is left to delete",
                                  dir, leftover);
        if (rc == LZ_OK && after != NULL)
            rc = lz_index_get_sizes(after, real);
    }
    lzi_buf_dispose(&fresh);
    lzi_buf_dispose(&old);
    lzi_buf_dispose(&parent);
    return rc;
}
