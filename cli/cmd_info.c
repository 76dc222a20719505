/* lanzsearch info: what an index holds (documents, passages, terms, last change) and its size
 * on disk by table. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"

static void usage(FILE *fp)
{
    fputs("Usage: lanzsearch info [--index DIR]\n"
          "\n"
          "Show what the index holds: source documents, passages, distinct terms and the time\n"
          "of the last change; then its size on disk by Xapian table, in bytes and per byte\n"
          "of the indexed files ('lanzsearch compact --help' says what each table holds).\n"
          "\n"
          "Options:\n"
          "  --index DIR   index directory (default as for 'lanzsearch search')\n"
          "  -h, --help    show this help and exit\n"
          "\n"
          "Exit status: 0 done, 2 error (e.g. no index there).\n", fp);
}

int cmd_info(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "index", required_argument, NULL, 'i' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *given = NULL;
    lz_searcher *s = NULL;
    lz_index_info info;
    lz_index_sizes sizes;
    int opt, is_default, rc;
    char *dir, when[64] = "unknown";

    while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'i':
            given = optarg;
            break;
        case 'h':
            usage(stdout);
            return LZ_EXIT_OK;
        default:
            fputs("Run 'lanzsearch info --help' for usage.\n", stderr);
            return LZ_EXIT_ERROR;
        }
    }
    if (optind < argc) {
        cli_warn("info: unexpected argument '%s'", argv[optind]);
        return LZ_EXIT_ERROR;
    }
    if ((dir = cli_index_dir(given, &is_default)) == NULL)
        return LZ_EXIT_ERROR;
    rc = lz_searcher_open(&s, dir);
    if (rc == LZ_OK)
        rc = lz_searcher_info(s, &info);
    if (rc == LZ_OK)
        rc = lz_index_get_sizes(&sizes, dir);
    if (rc != LZ_OK) {
        free(dir);
        lz_searcher_free(s);
        return cli_fail(rc);
    }
    if (info.last_modified > 0) {
        time_t t = (time_t)info.last_modified;
        struct tm tm;
        if (gmtime_r(&t, &tm) != NULL)
            strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    }
    printf("index:      %s\ndocuments:  %llu\npassages:   %llu\nterms:      %llu\n"
           "modified:   %s\nversion:    lanzsearch %s (%s)\n", dir,
           (unsigned long long)info.n_documents, (unsigned long long)info.n_passages,
           (unsigned long long)info.n_terms, when, lz_version(), lz_dependency_versions());
    cli_print_sizes(stdout, &sizes, NULL);
    lz_searcher_free(s);
    free(dir);
    return LZ_EXIT_OK;
}
