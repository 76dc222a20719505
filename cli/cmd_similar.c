/* lanzsearch similar: more like this. The passages closest in theme to the passage at
 * PATH:LINE, found by Xapian's relevance feedback, printed like search results. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *fp)
{
    fputs("Usage: lanzsearch similar [options] PATH:LINE\n"
          "\n"
          "Find the passages most similar in theme to the indexed passage holding line LINE of\n"
          "file PATH (any path ending in the same file name): its most telling words become\n"
          "the query, and the passage itself is left out. For following a theme across the\n"
          "documents.\n"
          "\n"
          "Options:\n"
          "  -n, --limit N     hits to show (default 10)\n"
          "      --json        one JSON object, as 'search --json'\n"
          "      --color WHEN  auto (default), always, never\n"
          "      --index DIR   index directory (default as for 'lanzsearch search')\n"
          "  -h, --help        show this help and exit\n"
          "\n"
          "Exit status: 0 hits found, 1 none, 2 error (no such file or line in the index).\n"
          "\n"
          "Example:\n"
          "  lanzsearch similar corpus/lanzarote-factsheet-bulgaria.txt:335\n", fp);
}

int cmd_similar(int argc, char **argv)
{
    enum { OPT_JSON = 256, OPT_COLOR, OPT_INDEX };
    static const struct option longopts[] = {
        { "limit", required_argument, NULL, 'n' },
        { "json", no_argument, NULL, OPT_JSON },
        { "color", required_argument, NULL, OPT_COLOR },
        { "colour", required_argument, NULL, OPT_COLOR },
        { "index", required_argument, NULL, OPT_INDEX },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    lz_search_options so = LZ_SEARCH_OPTIONS_INIT;
    const char *given = NULL;
    lz_searcher *s = NULL;
    lz_results *r = NULL;
    unsigned line;
    int opt, json = 0, is_default, rc, status = LZ_EXIT_ERROR, color = -1;
    char *dir = NULL, *path = NULL;

    while ((opt = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'n':
            if (cli_number("similar", "--limit", optarg, 1, LZ_SEARCH_MAX_LIMIT, &so.limit))
                return LZ_EXIT_ERROR;
            break;
        case OPT_JSON:
            json = 1;
            break;
        case OPT_COLOR:
            if (cli_color_option("similar", optarg, &color))
                return LZ_EXIT_ERROR;
            break;
        case OPT_INDEX:
            given = optarg;
            break;
        case 'h':
            usage(stdout);
            return LZ_EXIT_OK;
        default:
            fputs("Run 'lanzsearch similar --help' for usage.\n", stderr);
            return LZ_EXIT_ERROR;
        }
    }
    if (optind + 1 != argc) {
        cli_warn("similar: give one PATH:LINE (try 'lanzsearch similar --help')");
        return LZ_EXIT_ERROR;
    }
    if (cli_path_line("similar", argv[optind], &path, &line) != 0)
        return LZ_EXIT_ERROR;
    if ((dir = cli_index_dir(given, &is_default)) == NULL) {
        cli_warn("out of memory");
        goto done;
    }
    if ((rc = lz_searcher_open(&s, dir)) != LZ_OK ||
        (rc = lz_similar(&r, s, path, line, &so)) != LZ_OK) {
        status = cli_fail(rc);
        goto done;
    }
    if (json)
        cli_print_json(r, 0);
    else
        cli_print_text(r, cli_use_color(color));
    if (lz_results_count(r) == 0) {
        cli_warn("no similar passage");
        status = LZ_EXIT_NOMATCH;
    } else {
        status = LZ_EXIT_OK;
    }
done:
    lz_results_free(r);
    lz_searcher_free(s);
    free(dir);
    free(path);
    return status;
}
