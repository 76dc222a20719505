/* Folder listing and the choice of document files, shared by indexing and checking
 * (lz_walk.h). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lz_walk.h"

int lzi_wanted_file(const char *name)
{
    size_t n = strlen(name);
    if (name[0] == '.' || strncasecmp(name, "README.", 7) == 0)
        return 0;
    return (n > 4 && strcmp(name + n - 4, ".txt") == 0) ||
           (n > 3 && strcmp(name + n - 3, ".md") == 0);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void lzi_names_free(char **names, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        lzi_free(names[i]);
    lzi_free(names);
}

int lzi_dir_names(const char *dir, char ***names, size_t *n)
{
    char **v = NULL;
    size_t len = 0, cap = 0;
    struct dirent *de;
    DIR *dp;
    int rc = LZ_OK;

    *names = NULL;
    *n = 0;
    if ((dp = opendir(dir)) == NULL)
        return LZ_EIO;              /* errno says why; the caller words the message */
    while ((de = readdir(dp)) != NULL) {
        if (de->d_name[0] == '.')
            continue;               /* ".", ".." and hidden entries */
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            char **w = lzi_realloc(v, ncap * sizeof *w);
            if (w == NULL) {
                rc = lzi_error_set(LZ_ENOMEM, "out of memory listing %s", dir);
                break;
            }
            v = w;
            cap = ncap;
        }
        if ((v[len] = lzi_strdup(de->d_name)) == NULL) {
            rc = lzi_error_set(LZ_ENOMEM, "out of memory listing %s", dir);
            break;
        }
        len++;
    }
    closedir(dp);
    if (rc != LZ_OK) {
        lzi_names_free(v, len);
        return rc;
    }
    if (len > 1)
        qsort(v, len, sizeof *v, cmp_name);
    *names = v;
    *n = len;
    return LZ_OK;
}
