/* lanzsearch check: is the index consistent with the files on disk? Lists the files changed
 * since they were indexed, gone, new (in the folders the index holds files from, and under each
 * PATH given) or damaged in the index, one a line on stdout; a summary on stderr. Read-only. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static void usage(FILE *fp)
{
    fputs("Usage: lanzsearch check [options] [PATH...]\n"
          "\n"
          "Compare the index with the files on disk, without changing anything. Every indexed\n"
          "file is checked for changes (size or modification time, as 'lanzsearch index'\n"
          "decides) and whether it is still there; new files (*.txt, *.md) are looked for in the\n"
          "folders holding indexed files and, with subfolders, under each PATH given. Files\n"
          "indexing would skip (NUL bytes, unreadable) are not differences. Prints one line per\n"
          "difference: 'changed PATH', 'missing PATH', 'new PATH', or 'damaged PATH' (the index\n"
          "holds another number of passages for the file than it recorded: run\n"
          "'lanzsearch index -f' on it). 'lanzsearch index' on the same paths brings the index\n"
          "up to date.\n"
          "\n"
          "Options:\n"
          "  --index DIR     index directory (default as for 'lanzsearch search')\n"
          "  -v, --verbose   also list unchanged ('ok') and skipped ('skipped') files\n"
          "  -q, --quiet     no summary line\n"
          "  -h, --help      show this help and exit\n"
          "\n"
          "Exit status: 0 the index matches the files, 1 differences found, 2 error (no index,\n"
          "a PATH that does not exist).\n"
          "\n"
          "Example:\n"
          "  lanzsearch check corpus/\n", fp);
}

static const char *const state_names[] = {
    [LZ_CHECK_OK] = "ok",
    [LZ_CHECK_CHANGED] = "changed",
    [LZ_CHECK_MISSING] = "missing",
    [LZ_CHECK_NEW] = "new",
    [LZ_CHECK_DAMAGED] = "damaged",
    [LZ_CHECK_SKIPPED] = "skipped",
};

static int on_entry(const lz_check_entry *e, void *payload)
{
    int verbose = *(const int *)payload;
    if (e->state == LZ_CHECK_OK || e->state == LZ_CHECK_SKIPPED) {
        if (!verbose)
            return 0;
    }
    printf("%-8s %s\n", state_names[e->state], e->path);
    return 0;
}

int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "index", required_argument, NULL, 'i' },
        { "verbose", no_argument, NULL, 'v' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *given = NULL;
    lz_check_stats st;
    int verbose = 0, quiet = 0, opt, is_default, rc;
    size_t differences;
    char *dir;

    while ((opt = getopt_long(argc, argv, "+vqh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'i':
            given = optarg;
            break;
        case 'v':
            verbose = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return LZ_EXIT_OK;
        default:
            fputs("Run 'lanzsearch check --help' for usage.\n", stderr);
            return LZ_EXIT_ERROR;
        }
    }
    if ((dir = cli_index_dir(given, &is_default)) == NULL) {
        cli_warn("out of memory");
        return LZ_EXIT_ERROR;
    }
    rc = lz_index_check(&st, dir, (const char *const *)(argv + optind), (size_t)(argc - optind),
                        on_entry, &verbose);
    if (rc != LZ_OK) {
        free(dir);
        return cli_fail(rc);
    }
    differences = st.n_changed + st.n_missing + st.n_new + st.n_damaged;
    if (!quiet)
        fprintf(stderr, "lanzsearch: %s: %zu file%s indexed: %zu unchanged, %zu changed, "
                "%zu missing, %zu damaged; %zu new, %zu skipped\n", dir,
                st.n_ok + st.n_changed + st.n_missing + st.n_damaged,
                st.n_ok + st.n_changed + st.n_missing + st.n_damaged == 1 ? "" : "s", st.n_ok,
                st.n_changed, st.n_missing, st.n_damaged, st.n_new, st.n_skipped);
    free(dir);
    /* 1 for differences, as diff and cmp do */
    return differences > 0 ? LZ_EXIT_NOMATCH : LZ_EXIT_OK;
}
