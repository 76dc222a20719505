/* Standalone main for the fuzz targets: runs LLVMFuzzerTestOneInput once on each file named on
 * the command line and on each file of each folder named (sorted, hidden entries skipped), so
 * ctest replays the seeds and every input that ever failed with any compiler and under any
 * sanitizer. A crash or a broken invariant aborts the program; an unreadable file counts as a
 * failure. Ends with the "N passed, N failed" line. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"

/* Largest input replayed: seeds are small text files. */
#define DRIVER_MAX_INPUT ((size_t)16 << 20)

static int n_passed, n_failed;

static void run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t len = 0, cap = 0, got;

    if (fp == NULL) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        n_failed++;
        return;
    }
    for (;;) {
        if (len == cap) {
            unsigned char *grown;
            cap = cap ? 2 * cap : 4096;
            if (cap > DRIVER_MAX_INPUT || (grown = realloc(data, cap)) == NULL) {
                fprintf(stderr, "%s: too large to replay\n", path);
                n_failed++;
                goto done;
            }
            data = grown;
        }
        if ((got = fread(data + len, 1, cap - len, fp)) == 0)
            break;
        len += got;
    }
    if (ferror(fp)) {
        fprintf(stderr, "%s: read error\n", path);
        n_failed++;
        goto done;
    }
    /* Exactly len bytes, as libFuzzer passes them: a copy so ASan sees overreads. */
    {
        unsigned char *exact = malloc(len ? len : 1);
        if (exact == NULL) {
            n_failed++;
            goto done;
        }
        if (len > 0)
            memcpy(exact, data, len);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
    n_passed++;
done:
    free(data);
    fclose(fp);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_dir(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *de;
    char **names = NULL, *path;
    size_t n = 0, cap = 0, i;

    if (dp == NULL) {
        fprintf(stderr, "%s: %s\n", dir, strerror(errno));
        n_failed++;
        return;
    }
    while ((de = readdir(dp)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **grown;
            cap = cap ? 2 * cap : 64;
            if ((grown = realloc(names, cap * sizeof *names)) == NULL)
                abort();
            names = grown;
        }
        if ((names[n++] = strdup(de->d_name)) == NULL)
            abort();
    }
    closedir(dp);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_name);
    for (i = 0; i < n; i++) {
        struct stat st;
        if ((path = malloc(strlen(dir) + strlen(names[i]) + 2)) == NULL)
            abort();
        sprintf(path, "%s/%s", dir, names[i]);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            run_file(path);
        free(path);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    int i;

    LLVMFuzzerInitialize(&argc, &argv);
    for (i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            run_dir(argv[i]);
        else
            run_file(argv[i]);
    }
    if (n_passed + n_failed == 0) {
        fprintf(stderr, "usage: %s FILE|FOLDER...: no input replayed\n", argv[0]);
        n_failed++;
    }
    printf("%d passed, %d failed\n", n_passed, n_failed);
    return n_failed == 0 ? 0 : 1;
}
