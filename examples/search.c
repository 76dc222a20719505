/* The smallest lanzsearch program: open an index, search, print each hit's citation and
 * snippet. Build: cc search.c $(pkg-config --cflags --libs lanzsearch). Run: search INDEX QUERY */
#include <stdio.h>

#include <lanzsearch.h>

int main(int argc, char **argv)
{
    lz_searcher *s = NULL;
    lz_results *r = NULL;
    size_t i;
    int rc;

    if (argc != 3) {
        fprintf(stderr, "usage: %s INDEX QUERY\n", argv[0]);
        return 2;
    }
    if ((rc = lz_searcher_open(&s, argv[1])) != LZ_OK ||
        (rc = lz_search(&r, s, argv[2], NULL)) != LZ_OK) {
        fprintf(stderr, "search: %s\n", lz_last_error());
        lz_searcher_free(s);
        return 2;
    }
    for (i = 0; i < lz_results_count(r); i++) {
        const lz_hit *h = lz_results_hit(r, i);
        printf("%u. %s\n   %s\n", lz_hit_rank(h), lz_hit_citation(h), lz_hit_snippet(h));
    }
    rc = lz_results_count(r) > 0 ? 0 : 1;
    lz_results_free(r);
    lz_searcher_free(s);
    return rc;
}
