/* lz_index_count_path: the files an indexing run of a path would meet, and their bytes, found
 * with the walk's own rules (lz_walk.h: which files, hidden entries, depth limit) and its loop
 * check, but only stat'ed: the totals a progress display sets the events' file_len against. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "lz_common.h"
#include "lz_walk.h"

typedef struct count_ctx {
    uint64_t n_files, bytes;
    dev_t devs[LZI_MAX_DEPTH];      /* folders on the walk's path, so symlink loops end */
    ino_t inos[LZI_MAX_DEPTH];
    size_t depth;
} count_ctx;

/* Count the wanted files under folder dir (whose stat is st), as index.c's walk takes them:
 * folders it would skip (loops, too deep, unreadable) and entries stat cannot reach add
 * nothing. */
static int count_folder(count_ctx *c, const char *dir, const struct stat *st)
{
    lzi_buf path = LZI_BUF_INIT;
    char **names = NULL;
    size_t n = 0, i;
    int rc;

    for (i = 0; i < c->depth; i++)
        if (c->devs[i] == st->st_dev && c->inos[i] == st->st_ino)
            return LZ_OK;
    if (c->depth == LZI_MAX_DEPTH)
        return LZ_OK;
    if ((rc = lzi_dir_names(dir, &names, &n)) == LZ_EIO)
        return LZ_OK;
    if (rc != LZ_OK)
        return rc;
    c->devs[c->depth] = st->st_dev;
    c->inos[c->depth] = st->st_ino;
    c->depth++;
    for (i = 0; i < n && rc == LZ_OK; i++) {
        struct stat est;
        lzi_buf_clear(&path);
        if ((rc = lzi_buf_puts(&path, dir)) != LZ_OK ||
            (path.len > 0 && path.ptr[path.len - 1] != '/' &&
             (rc = lzi_buf_putc(&path, '/')) != LZ_OK) ||
            (rc = lzi_buf_puts(&path, names[i])) != LZ_OK)
            break;
        if (stat(path.ptr, &est) != 0)
            continue;
        if (S_ISDIR(est.st_mode)) {
            rc = count_folder(c, path.ptr, &est);
        } else if (S_ISREG(est.st_mode) && lzi_wanted_file(names[i])) {
            c->n_files++;
            c->bytes += (uint64_t)est.st_size;
        }
    }
    c->depth--;
    lzi_names_free(names, n);
    lzi_buf_dispose(&path);
    return rc;
}

int lz_index_count_path(uint64_t *n_files, uint64_t *bytes, const char *path)
{
    count_ctx c;
    struct stat st;
    int rc = LZ_OK;

    if (n_files != NULL)
        *n_files = 0;
    if (bytes != NULL)
        *bytes = 0;
    if (path == NULL || path[0] == '\0')
        return lzi_error_set(LZ_EINVAL, "lz_index_count_path: NULL or empty path");
    if (stat(path, &st) != 0)
        return lzi_error_set(errno == ENOENT ? LZ_ENOTFOUND : LZ_EIO, "%s: %s", path,
                             strerror(errno));
    memset(&c, 0, sizeof c);
    if (S_ISDIR(st.st_mode)) {
        if ((rc = count_folder(&c, path, &st)) != LZ_OK)
            return rc;
    } else if (S_ISREG(st.st_mode)) {
        c.n_files = 1;              /* a file named is always indexed, whatever its name */
        c.bytes = (uint64_t)st.st_size;
    } else {
        return lzi_error_set(LZ_EINPUT, "%s: not a regular file or folder", path);
    }
    if (n_files != NULL)
        *n_files = c.n_files;
    if (bytes != NULL)
        *bytes = c.bytes;
    return LZ_OK;
}
