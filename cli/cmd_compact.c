/* lanzsearch compact: rewrite the index compactly in a copy beside it and swap it in, under the
 * index's write lock (lz_index_compact); prints the size of each table before and after. The
 * size table is shared with `lanzsearch info` and `lanzsearch index --compact`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

static void usage(FILE *fp)
{
    fputs("Usage: lanzsearch compact [options]\n"
          "\n"
          "Compact the index: Xapian rewrites it with full blocks and without the free space\n"
          "that indexing runs leave (typically a quarter smaller after a bulk run; searches\n"
          "read fewer blocks). The compacted copy is written beside the index as\n"
          "DIR.compact-PID (the disk needs room for it), synced, and swapped with DIR in one\n"
          "atomic rename; then the old index is deleted. The index's write lock is held\n"
          "throughout: while another process indexes, compact fails at once, and no\n"
          "indexing can start meanwhile. Searches go on during compaction; a crash leaves\n"
          "DIR a complete index, old or new (a leftover DIR.compact-PID or DIR.old-PID can\n"
          "be deleted). On a file system without atomic exchange (e.g. NFS) DIR is renamed\n"
          "to DIR.old-PID and the copy to DIR: a crash between the two renames leaves both\n"
          "beside DIR (rename DIR.old-PID back).\n"
          "\n"
          "Prints the bytes of each table before and after, and per byte of the indexed\n"
          "files (as recorded when they were indexed):\n"
          "  postlist  which passages hold each term; value slots (document, line, facets)\n"
          "  position  word positions (phrases, NEAR, snippets)\n"
          "  termlist  each passage's terms (needed to replace or delete it)\n"
          "  docdata   passage records (text, title, section path, footnotes)\n"
          "  spelling  spelling data (did you mean)\n"
          "  synonym   the thesaurus\n"
          "  total     every file of the index (also the version and lock files)\n"
          "\n"
          "Options:\n"
          "  --index DIR   index directory (default as for 'lanzsearch search')\n"
          "  -q, --quiet   print nothing\n"
          "  -h, --help    show this help and exit\n"
          "\n"
          "Exit status: 0 compacted, 2 error (no index, another writer holds the lock, no\n"
          "room on the disk): the index is then left as it was.\n"
          "\n"
          "Example:\n"
          "  lanzsearch compact --index ./idx\n", fp);
}

/* Bytes per input byte, or "-" when the input size is unknown. */
static void per_input(FILE *fp, uint64_t bytes, uint64_t input)
{
    if (input > 0)
        fprintf(fp, " %13.2f", (double)bytes / (double)input);
    else
        fprintf(fp, " %13s", "-");
}

void cli_print_sizes(FILE *fp, const lz_index_sizes *a, const lz_index_sizes *b)
{
    static const char *const names[] = { "postlist", "position", "termlist", "docdata",
                                         "spelling", "synonym", "total" };
    size_t i;

    if (b != NULL)
        fprintf(fp, "%-10s %13s %13s %13s %13s\n", "table", "bytes before", "bytes after",
                "before/input", "after/input");
    else
        fprintf(fp, "%-10s %13s %13s\n", "table", "bytes", "per input");
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        const uint64_t va[] = { a->postlist, a->position, a->termlist, a->docdata, a->spelling,
                                a->synonym, a->total };
        fprintf(fp, "%-10s %13llu", names[i], (unsigned long long)va[i]);
        if (b != NULL) {
            const uint64_t vb[] = { b->postlist, b->position, b->termlist, b->docdata,
                                    b->spelling, b->synonym, b->total };
            fprintf(fp, " %13llu", (unsigned long long)vb[i]);
            per_input(fp, va[i], a->source_bytes);
            per_input(fp, vb[i], b->source_bytes);
        } else {
            per_input(fp, va[i], a->source_bytes);
        }
        fputc('\n', fp);
    }
    fprintf(fp, "%-10s %13llu\n", "input", (unsigned long long)a->source_bytes);
}

int cli_compact(lz_index_sizes *before, lz_index_sizes *after, const char *dir, int quiet)
{
    int note = !quiet && isatty(STDERR_FILENO), n = 0, rc;

    if (note)
        n = fprintf(stderr, "compacting %s...", dir);
    rc = lz_index_compact(before, after, dir);
    if (note && n > 0)
        fprintf(stderr, "\r%*s\r", n, "");
    return rc;
}

int cmd_compact(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "index", required_argument, NULL, 'i' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *given = NULL;
    lz_index_sizes before, after;
    int quiet = 0, opt, is_default, rc;
    char *dir;

    while ((opt = getopt_long(argc, argv, "+qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'i':
            given = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return LZ_EXIT_OK;
        default:
            fputs("Run 'lanzsearch compact --help' for usage.\n", stderr);
            return LZ_EXIT_ERROR;
        }
    }
    if (optind < argc) {
        cli_warn("compact: unexpected argument '%s'", argv[optind]);
        return LZ_EXIT_ERROR;
    }
    if ((dir = cli_index_dir(given, &is_default)) == NULL) {
        cli_warn("out of memory");
        return LZ_EXIT_ERROR;
    }
    rc = cli_compact(&before, &after, dir, quiet);
    if (rc != LZ_OK) {
        free(dir);
        return cli_fail(rc);
    }
    if (!quiet) {
        printf("index:      %s\n", dir);
        cli_print_sizes(stdout, &before, &after);
    }
    free(dir);
    return LZ_EXIT_OK;
}
