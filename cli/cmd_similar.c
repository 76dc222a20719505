/* lanzsearch similar: more like this. The passages closest in theme to the passage at
 * PATH:LINE, found by Xapian's relevance feedback, printed like search results. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    const char *given = NULL, *color_when = "auto", *colon;
    lz_searcher *s = NULL;
    lz_results *r = NULL;
    unsigned long v, line;
    int opt, json = 0, is_default, rc, status = LZ_EXIT_ERROR, color;
    char *dir = NULL, *path = NULL, *end;

    while ((opt = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'n':
            v = strtoul(optarg, &end, 10);
            if (optarg[0] < '0' || optarg[0] > '9' || *end != '\0' || v < 1 ||
                v > LZ_SEARCH_MAX_LIMIT) {
                cli_warn("similar: --limit wants a number from 1 to %d, not '%s'",
                         LZ_SEARCH_MAX_LIMIT, optarg);
                return LZ_EXIT_ERROR;
            }
            so.limit = (unsigned)v;
            break;
        case OPT_JSON:
            json = 1;
            break;
        case OPT_COLOR:
            color_when = optarg;
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never")) {
                cli_warn("similar: --color wants auto, always or never, not '%s'", optarg);
                return LZ_EXIT_ERROR;
            }
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
    colon = strrchr(argv[optind], ':');
    if (colon == NULL || colon == argv[optind] || colon[1] < '0' || colon[1] > '9' ||
        (line = strtoul(colon + 1, &end, 10)) == 0 || *end != '\0' || line > 100000000) {
        cli_warn("similar: '%s' is not PATH:LINE", argv[optind]);
        return LZ_EXIT_ERROR;
    }
    if ((path = strndup(argv[optind], (size_t)(colon - argv[optind]))) == NULL ||
        (dir = cli_index_dir(given, &is_default)) == NULL) {
        cli_warn("out of memory");
        goto done;
    }
    if ((rc = lz_searcher_open(&s, dir)) != LZ_OK ||
        (rc = lz_similar(&r, s, path, (unsigned)line, &so)) != LZ_OK) {
        status = cli_fail(rc);
        goto done;
    }
    color = strcmp(color_when, "always") == 0 ||
            (strcmp(color_when, "auto") == 0 && isatty(STDOUT_FILENO) &&
             getenv("NO_COLOR") == NULL);
    if (json)
        cli_print_json(r, 0);
    else
        cli_print_text(r, color);
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
