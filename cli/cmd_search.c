/* lanzsearch search: ranked passages for a query, as text for people (rank, FILE:FIRST-LAST,
 * section path, snippet with highlights, citation) or as one JSON object (--json) whose keys
 * are a contract: query, corrected, total, hits[]. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


#include "cli.h"

static void usage(FILE *fp)
{
    fputs("Usage: lanzsearch search [options] QUERY... [options]\n"
          "\n"
          "Search the index and print the best passages with highlighted snippets and\n"
          "citations. The words of QUERY are joined with spaces; options may come before or\n"
          "after them, and every argument after '--' is a word. When the default index does\n"
          "not exist yet, it is built from the bundled corpus first.\n"
          "\n"
          "Query syntax:\n"
          "  word word         passages with any of the words, best first (see --and)\n"
          "  \"a phrase\"        the words in this order\n"
          "  a AND b, a OR b, a NOT b, (brackets)    operators in upper case\n"
          "  +word -word       must have / must not have\n"
          "  crimin*           words starting with crimin\n"
          "  a NEAR b          within 10 words of each other\n"
          "  title:word section:word doc:NAME       in the title, the headings, one document\n"
          "  rec:IV-6 article:25 para:71            citing a recommendation, article, paragraph\n"
          "  country:bulgaria to:bulgaria           naming a country / addressed to it\n"
          "  level:require chapter:IV               urgency (require, request, invite), chapter\n"
          "  kind:factsheet                         factsheet, recommendations, mapping\n"
          "  II-6, Article 25(4), Para.71           identifiers are searched as phrases\n"
          "\n"
          "Options:\n"
          "  -n, --limit N     hits to show (default 10, at most 10000)\n"
          "      --offset N    skip the first N hits (default 0)\n"
          "      --and         join the words with AND instead of OR\n"
          "      --exact       exact words only: no thesaurus (acronyms, synonyms) and no\n"
          "                    British/American spelling variants\n"
          "      --facets      count the matches by document, country, level, chapter, kind\n"
          "      --explain     show the parsed query and, for each hit, the parts of the\n"
          "                    query that matched it and the weight each gave\n"
          "      --no-correct  do not rerun a misspelled query with the suggested spelling\n"
          "      --snippet N   snippet length in bytes (default 300)\n"
          "      --json        one JSON object: query, corrected, total, hits[]\n"
          "      --color WHEN  auto (default: on a terminal without NO_COLOR), always, never\n"
          "      --index DIR   index directory (default: $LANZSEARCH_INDEX, else\n"
          "                    $XDG_DATA_HOME/lanzsearch/index, else\n"
          "                    ~/.local/share/lanzsearch/index)\n"
          "  -h, --help        show this help and exit\n"
          "\n"
          "Highlights are marked **like this** (and coloured on a terminal).\n"
          "\n"
          "Exit status: 0 hits found, 1 no hit, 2 error (bad query, missing or locked index).\n"
          "\n"
          "Examples:\n"
          "  lanzsearch search sextortion dual criminality\n"
          "  lanzsearch search --json -n 3 '\"last resort\" prosecution'\n", fp);
}

/* Build the default index from the bundled corpus when it does not exist yet. */
static int ensure_default_index(const char *dir)
{
    struct stat st;
    const char *corpus;
    char *paths[1];

    if (stat(dir, &st) == 0)
        return LZ_EXIT_OK;
    if ((corpus = cli_bundled_corpus()) == NULL) {
        cli_warn("no index at %s and no bundled corpus to build it from; run "
                 "'lanzsearch index PATH'", dir);
        return LZ_EXIT_ERROR;
    }
    cli_warn("no index at %s yet: building it from the bundled corpus %s", dir, corpus);
    paths[0] = (char *)corpus;
    return cli_index_paths(dir, paths, 1, 0, 0, 0);
}

/* Whether long option arg ("--name" or "--name=value") takes its value from the next
 * argument: a required argument without '=', the name given in full or as the only option it
 * begins (as getopt_long reads abbreviations). */
static int takes_next(const char *arg, const struct option *longopts)
{
    const char *name = arg + 2, *eq = strchr(name, '=');
    size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name), n_prefix = 0;
    const struct option *o, *found = NULL;

    if (eq != NULL)
        return 0;
    for (o = longopts; o->name != NULL; o++) {
        if (strncmp(o->name, name, len) != 0)
            continue;
        if (o->name[len] == '\0')
            return o->has_arg == required_argument;
        found = o;
        n_prefix++;
    }
    return n_prefix == 1 && found->has_arg == required_argument;
}

/* Options may come after the query words too (`lanzsearch search sextortion -n 5 --json`):
 * rewrite argv[1..argc) as the options, then "--", then the words, keeping the order of each.
 * An option is an argument "--name..." or one of -h, -n, -nN (with -n's and a long option's
 * value), anywhere before a "--"; every other argument, "-word" included (an exclusion), is a
 * word, and so is everything after "--". The array (argv[0] first) is malloc'ed into *out;
 * returns its length, -1 when out of memory, -2 (said on stderr) when the last argument is an
 * option that wants a value. */
static int options_first(int argc, char **argv, const struct option *longopts, char ***out)
{
    char **v = malloc(((size_t)argc + 2) * sizeof *v), **words;
    int i, n = 1, n_words = 0, k;

    *out = v;
    if (v == NULL || (words = malloc(((size_t)argc + 1) * sizeof *words)) == NULL) {
        free(v);
        *out = NULL;
        return -1;
    }
    v[0] = argv[0];
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++)
                words[n_words++] = argv[i];
            break;
        }
        if (strncmp(a, "--", 2) == 0 || strcmp(a, "-h") == 0 ||
            (strncmp(a, "-n", 2) == 0 && strspn(a + 2, "0123456789") == strlen(a + 2))) {
            int next = a[1] == '-' ? takes_next(a, longopts) : strcmp(a, "-n") == 0;
            v[n++] = argv[i];
            if (next && i + 1 == argc) {
                cli_warn("search: option '%s' needs a value", a);
                n = -2;
                break;
            }
            if (next)
                v[n++] = argv[++i];
        } else {
            words[n_words++] = argv[i];
        }
    }
    if (n > 0) {
        v[n++] = "--";
        for (k = 0; k < n_words; k++)
            v[n++] = words[k];
        v[n] = NULL;
    }
    free(words);
    return n;
}

int cmd_search(int argc, char **argv)
{
    enum { OPT_OFFSET = 256, OPT_AND, OPT_EXACT, OPT_FACETS, OPT_EXPLAIN, OPT_NOCORRECT, OPT_SNIPPET, OPT_JSON, OPT_COLOR,
           OPT_INDEX };
    static const struct option longopts[] = {
        { "limit", required_argument, NULL, 'n' },
        { "offset", required_argument, NULL, OPT_OFFSET },
        { "and", no_argument, NULL, OPT_AND },
        { "exact", no_argument, NULL, OPT_EXACT },
        { "facets", no_argument, NULL, OPT_FACETS },
        { "explain", no_argument, NULL, OPT_EXPLAIN },
        { "no-correct", no_argument, NULL, OPT_NOCORRECT },
        { "snippet", required_argument, NULL, OPT_SNIPPET },
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
    char *dir = NULL, *query = NULL, **args = NULL;
    size_t qlen = 0;
    int opt, json = 0, color = -1, is_default, i, rc, status = LZ_EXIT_ERROR;

    if ((argc = options_first(argc, argv, longopts, &args)) < 0) {
        if (argc == -1)
            cli_warn("out of memory");
        free(args);
        return LZ_EXIT_ERROR;
    }
    argv = args;
    while ((opt = getopt_long(argc, argv, "+n:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'n':
            if (cli_number("search", "--limit", optarg, 1, LZ_SEARCH_MAX_LIMIT, &so.limit))
                goto done;
            break;
        case OPT_OFFSET:
            if (cli_number("search", "--offset", optarg, 0, 1000000, &so.offset))
                goto done;
            break;
        case OPT_AND:
            so.flags |= LZ_SEARCH_AND;
            break;
        case OPT_EXACT:
            so.flags |= LZ_SEARCH_EXACT;
            break;
        case OPT_FACETS:
            so.flags |= LZ_SEARCH_FACETS;
            break;
        case OPT_EXPLAIN:
            so.flags |= LZ_SEARCH_EXPLAIN;
            break;
        case OPT_NOCORRECT:
            so.flags |= LZ_SEARCH_NO_CORRECT;
            break;
        case OPT_SNIPPET:
            if (cli_number("search", "--snippet", optarg, 40, 4000, &so.snippet_len))
                goto done;
            break;
        case OPT_JSON:
            json = 1;
            break;
        case OPT_COLOR:
            if (cli_color_option("search", optarg, &color))
                goto done;
            break;
        case OPT_INDEX:
            given = optarg;
            break;
        case 'h':
            usage(stdout);
            status = LZ_EXIT_OK;
            goto done;
        default:
            fputs("Run 'lanzsearch search --help' for usage.\n", stderr);
            goto done;
        }
    }
    if (optind >= argc) {
        cli_warn("search: no QUERY given (try 'lanzsearch search --help')");
        goto done;
    }
    for (i = optind; i < argc; i++)
        qlen += strlen(argv[i]) + 1;
    if ((query = malloc(qlen)) == NULL || (dir = cli_index_dir(given, &is_default)) == NULL) {
        cli_warn("out of memory");
        goto done;
    }
    query[0] = '\0';
    for (i = optind; i < argc; i++) {
        if (i > optind)
            strcat(query, " ");
        strcat(query, argv[i]);
    }
    if (is_default && (status = ensure_default_index(dir)) != LZ_EXIT_OK)
        goto done;
    status = LZ_EXIT_ERROR;
    if ((rc = lz_searcher_open(&s, dir)) != LZ_OK ||
        (rc = lz_search(&r, s, query, &so)) != LZ_OK) {
        status = cli_fail(rc);
        goto done;
    }
    if (lz_results_corrected(r) != NULL) {
        if (lz_results_used_corrected(r))
            cli_warn("no match for '%s'; showing results for '%s'", query,
                     lz_results_corrected(r));
        else
            cli_warn("did you mean: %s", lz_results_corrected(r));
    }
    if ((so.flags & LZ_SEARCH_EXPLAIN) && !json)
        cli_warn("parsed query: %s", lz_results_parsed(r));
    if (json)
        cli_print_json(r, (so.flags & LZ_SEARCH_EXPLAIN) != 0);
    else
        cli_print_text(r, cli_use_color(color));
    if (lz_results_count(r) == 0) {
        cli_warn(lz_results_total(r) > 0 ? "no hits on this page (%llu in all)" : "no matches",
                 (unsigned long long)lz_results_total(r));
        status = LZ_EXIT_NOMATCH;
    } else {
        status = LZ_EXIT_OK;
    }
done:
    lz_results_free(r);
    lz_searcher_free(s);
    free(dir);
    free(query);
    free(args);
    return status;
}
