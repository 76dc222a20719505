/* lanzsearch show: read around a hit. `show PATH:LINE` prints the whole passage holding the
 * line with its neighbours; `show rec:IV-6` prints a recommendation's own text and every
 * passage that cites it. Both with citations; --json gives one object like search's. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "cli.h"

static void usage(FILE *fp)
{
    fputs("Usage: lanzsearch show [options] PATH:LINE\n"
          "       lanzsearch show [options] rec:NUMBER\n"
          "\n"
          "PATH:LINE prints the whole passage that holds line LINE of the indexed file PATH\n"
          "(any path ending in the same file name), with the passages around it.\n"
          "rec:NUMBER (e.g. rec:IV-6) prints the recommendation's own text from the\n"
          "recommendations document, then every passage that cites it.\n"
          "\n"
          "Options:\n"
          "  -C, --context N   passages to show before and after (default 1; PATH:LINE only)\n"
          "      --json        one JSON object: {\"query\", \"target\", \"hits\": [...]} with the\n"
          "                    keys of 'search --json' for each passage\n"
          "      --index DIR   index directory (default as for 'lanzsearch search')\n"
          "  -h, --help        show this help and exit\n"
          "\n"
          "Exit status: 0 shown, 1 nothing cites the recommendation, 2 error (no such file or\n"
          "line in the index, malformed argument).\n"
          "\n"
          "Examples:\n"
          "  lanzsearch show corpus/lanzarote-factsheet-bulgaria.txt:335\n"
          "  lanzsearch show rec:IV-6\n", fp);
}

static json_t *hit_json(const lz_hit *h)
{
    json_t *o = json_object(), *sec = json_array();
    unsigned first, last;
    size_t k;

    lz_hit_lines(h, &first, &last);
    for (k = 0; k < lz_hit_section_count(h); k++)
        json_array_append_new(sec, json_string(lz_hit_section(h, k)));
    json_object_set_new(o, "rank", json_integer(lz_hit_rank(h)));
    json_object_set_new(o, "doc", json_string(lz_hit_doc(h)));
    json_object_set_new(o, "path", json_string(lz_hit_path(h)));
    json_object_set_new(o, "title", json_string(lz_hit_title(h)));
    json_object_set_new(o, "section", sec);
    json_object_set_new(o, "lines", json_pack("[I,I]", (json_int_t)first, (json_int_t)last));
    json_object_set_new(o, "text", json_string(lz_hit_text(h)));
    json_object_set_new(o, "citation", json_string(lz_hit_citation(h)));
    cli_hit_entities_json(o, h);
    return o;
}

static void print_json(const lz_results *r, int with_target)
{
    json_t *o = json_object(), *hits = json_array();
    size_t i;
    for (i = 0; i < lz_results_count(r); i++)
        json_array_append_new(hits, hit_json(lz_results_hit(r, i)));
    json_object_set_new(o, "query", json_string(lz_results_query(r)));
    json_object_set_new(o, "target", with_target ? json_integer((json_int_t)lz_results_target(r))
                                                 : json_null());
    json_object_set_new(o, "hits", hits);
    json_dumpf(o, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(o);
}

static void print_text(const lz_results *r, int with_target)
{
    size_t i;
    for (i = 0; i < lz_results_count(r); i++) {
        const lz_hit *h = lz_results_hit(r, i);
        unsigned first, last;
        lz_hit_lines(h, &first, &last);
        if (i > 0)
            putchar('\n');
        printf("%s%s:%u", with_target && i == lz_results_target(r) ? "> " : "",
               lz_hit_path(h), first);
        if (last != first)
            printf("-%u", last);
        if (lz_hit_level(h) != NULL)
            printf("  [%s]", lz_hit_level(h));
        printf("\n%s\n", lz_hit_text(h));
        cli_print_footnotes(h, 0);
        printf("   Cite: %s\n", lz_hit_citation(h));
    }
}

int cmd_show(int argc, char **argv)
{
    enum { OPT_JSON = 256, OPT_INDEX };
    static const struct option longopts[] = {
        { "context", required_argument, NULL, 'C' },
        { "json", no_argument, NULL, OPT_JSON },
        { "index", required_argument, NULL, OPT_INDEX },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *given = NULL, *arg;
    lz_searcher *s = NULL;
    lz_results *r = NULL;
    unsigned context = 1, line = 0;
    int opt, json = 0, is_default, rc, status = LZ_EXIT_ERROR, is_rec;
    char *dir = NULL, *path = NULL;

    while ((opt = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'C':
            if (cli_number("show", "--context", optarg, 0, 1000, &context))
                return LZ_EXIT_ERROR;
            break;
        case OPT_JSON:
            json = 1;
            break;
        case OPT_INDEX:
            given = optarg;
            break;
        case 'h':
            usage(stdout);
            return LZ_EXIT_OK;
        default:
            fputs("Run 'lanzsearch show --help' for usage.\n", stderr);
            return LZ_EXIT_ERROR;
        }
    }
    if (optind + 1 != argc) {
        cli_warn("show: give one PATH:LINE or rec:NUMBER (try 'lanzsearch show --help')");
        return LZ_EXIT_ERROR;
    }
    arg = argv[optind];
    is_rec = strncasecmp(arg, "rec:", 4) == 0;
    if (!is_rec && cli_path_line("show", arg, &path, &line) != 0)
        return LZ_EXIT_ERROR;
    if ((dir = cli_index_dir(given, &is_default)) == NULL)
        goto done;
    if ((rc = lz_searcher_open(&s, dir)) != LZ_OK)
        goto fail;
    if (is_rec)
        rc = lz_show_recommendation(&r, s, arg + 4);
    else
        rc = lz_show_passage(&r, s, path, line, context);
    if (rc != LZ_OK)
        goto fail;
    if (json)
        print_json(r, !is_rec);
    else
        print_text(r, !is_rec);
    if (lz_results_count(r) == 0) {
        cli_warn("nothing in the index states or cites recommendation %s", arg + 4);
        status = LZ_EXIT_NOMATCH;
    } else {
        status = LZ_EXIT_OK;
    }
    goto done;
fail:
    status = cli_fail(rc);
done:
    lz_results_free(r);
    lz_searcher_free(s);
    free(dir);
    free(path);
    return status;
}
