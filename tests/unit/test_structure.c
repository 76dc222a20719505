/* The document model seen through search, on the bundled corpus: phrases across page breaks,
 * footnotes attached to the passages citing them, entity filters (rec: article: country: to:
 * level: chapter:), facets that count what they claim, and the show functions. Real Xapian
 * index in a mkdtemp directory, public API only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "hits.h"
#include "lanzsearch.h"

static char tmp[] = "/tmp/lz-test-structure-XXXXXX";
static char dir[600];
static lz_searcher *s;

static lz_results *search(const char *q, unsigned limit, unsigned flags)
{
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;
    o.limit = limit;
    o.flags = flags | LZ_SEARCH_NO_CORRECT;
    if (lz_search(&r, s, q, &o) != LZ_OK)
        fprintf(stderr, "search %s: %s\n", q, lz_last_error());
    return r;
}

static const lz_hit *find_hit(const lz_results *r, const char *doc, unsigned line)
{
    size_t i;
    for (i = 0; i < lz_results_count(r); i++) {
        const lz_hit *h = lz_results_hit(r, i);
        unsigned a, b;
        lz_hit_lines(h, &a, &b);
        if (strcmp(lz_hit_doc(h), doc) == 0 && a <= line && line <= b)
            return h;
    }
    return NULL;
}

static void test_page_break_phrase(void)
{
    lz_results *r = search("\"intended to procure a financial gain\"", 10, 0);
    const lz_hit *h;
    unsigned a = 0, b = 0;

    CHECK(r != NULL && lz_results_count(r) >= 1);
    h = find_hit(r, "lanzarote-factsheet-bulgaria", 104);
    CHECK(h != NULL);
    lz_hit_lines(h, &a, &b);
    CHECK(a <= 104 && b >= 116);        /* both parts of the cut paragraph */
    CHECK(h != NULL && strstr(lz_hit_text(h), "<sup>") == NULL);
    lz_results_free(r);
}

static void test_footnotes_and_recs(void)
{
    lz_results *r = search("rec:IV-6", 100, 0);
    const lz_hit *row, *bg;
    const char *text = NULL;
    unsigned n = 0;
    size_t i;
    int found = 0;

    CHECK(r != NULL && lz_results_count(r) >= 2);
    row = find_hit(r, "lanzarote-recommendations-finland", 87);
    bg = find_hit(r, "lanzarote-factsheet-bulgaria", 335);
    CHECK(row != NULL && bg != NULL);
    for (i = 0; bg != NULL && lz_hit_footnote(bg, i, &n, &text) == 0; i++)
        found |= n == 56 && strcmp(text, "Recommendation IV-6.") == 0;
    CHECK(found);
    CHECK(bg != NULL && lz_hit_level(bg) != NULL && strcmp(lz_hit_level(bg), "require") == 0);
    CHECK(bg != NULL && has_entity(bg, LZ_ENTITY_ADDRESSED, "Bulgaria"));
    for (i = 0; r != NULL && i < lz_results_count(r); i++)
        CHECK(has_entity(lz_results_hit(r, i), LZ_ENTITY_RECOMMENDATION, "IV-6"));
    lz_results_free(r);

    /* show rec: the recommendation's own row first, then the passages citing it */
    CHECK_RC(lz_show_recommendation(&r, s, "iv-6"), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) >= 2);
    if (r != NULL && lz_results_count(r) > 0) {
        unsigned a, b;
        lz_hit_lines(lz_results_hit(r, 0), &a, &b);
        CHECK(strcmp(lz_hit_doc(lz_results_hit(r, 0)), "lanzarote-recommendations-finland") == 0);
        CHECK(a == 87);
    }
    CHECK(find_hit(r, "lanzarote-factsheet-bulgaria", 335) != NULL);
    lz_results_free(r);
    CHECK_RC(lz_show_recommendation(&r, s, "IV-6; DROP"), LZ_EINVAL);
    CHECK(r == NULL);

    /* a free-text query naming the recommendation ranks its own row first */
    r = search("Recommendation IV-6", 10, 0);
    CHECK(r != NULL && lz_results_count(r) > 0 &&
          find_hit(r, "lanzarote-recommendations-finland", 87) == lz_results_hit(r, 0));
    lz_results_free(r);
}

static void test_filters(void)
{
    lz_results *req = search("level:require to:bulgaria", 1000, 0);
    lz_results *named = search("country:bulgaria", 1000, 0);
    lz_results *art = search("article:25", 1000, 0);
    lz_results *tr = search("country:Türkiye", 1000, 0), *tr2 = search("country:turkey", 1000, 0);
    lz_results *kind = search("dual criminality kind:recommendations", 1000, 0);
    size_t i, only_named = 0;

    CHECK(kind != NULL && lz_results_count(kind) > 0);
    for (i = 0; kind != NULL && i < lz_results_count(kind); i++)
        CHECK(strcmp(lz_hit_doc(lz_results_hit(kind, i)), "lanzarote-recommendations-finland") == 0);
    lz_results_free(kind);

    CHECK(req != NULL && lz_results_count(req) > 0);
    for (i = 0; req != NULL && i < lz_results_count(req); i++) {
        const lz_hit *h = lz_results_hit(req, i);
        CHECK(lz_hit_level(h) != NULL && strcmp(lz_hit_level(h), "require") == 0);
        CHECK(has_entity(h, LZ_ENTITY_ADDRESSED, "Bulgaria"));
    }
    CHECK(named != NULL && req != NULL && lz_results_count(named) > lz_results_count(req));
    for (i = 0; named != NULL && i < lz_results_count(named); i++) {
        const lz_hit *h = lz_results_hit(named, i);
        CHECK(has_entity(h, LZ_ENTITY_COUNTRY, "Bulgaria"));
        only_named += !has_entity(h, LZ_ENTITY_ADDRESSED, "Bulgaria");
    }
    CHECK(only_named > 0);          /* merely naming Bulgaria is not being addressed */

    /* article:25 finds Article 25(4) */
    CHECK(art != NULL && find_hit(art, "lanzarote-factsheet-bulgaria", 323) != NULL);
    /* country names in any variant */
    CHECK(tr != NULL && tr2 != NULL && lz_results_count(tr) > 0 &&
          lz_results_count(tr) == lz_results_count(tr2));
    lz_results_free(req);
    lz_results_free(named);
    lz_results_free(art);
    lz_results_free(tr);
    lz_results_free(tr2);
}

static void test_facets(void)
{
    lz_results *r = search("dual criminality", 1000, LZ_SEARCH_FACETS);
    size_t f, i, k;

    CHECK(r != NULL && lz_results_facet_count(r) == 5);
    for (f = 0; r != NULL && f < lz_results_facet_count(r); f++) {
        const char *name = lz_results_facet_name(r, f), *value;
        uint64_t count, sum = 0;
        for (i = 0; lz_results_facet_value(r, f, i, &value, &count) == 0; i++) {
            uint64_t seen = 0;
            /* every count equals the number of matching passages carrying that value */
            for (k = 0; k < lz_results_count(r); k++) {
                const lz_hit *h = lz_results_hit(r, k);
                if (strcmp(name, "document") == 0)
                    seen += strcmp(lz_hit_doc(h), value) == 0;
                else if (strcmp(name, "country") == 0)
                    seen += has_entity(h, LZ_ENTITY_COUNTRY, value);
                else if (strcmp(name, "level") == 0)
                    seen += lz_hit_level(h) != NULL && strcmp(lz_hit_level(h), value) == 0;
                else if (strcmp(name, "kind") == 0)
                    seen += strcmp(value, strstr(lz_hit_doc(h), "factsheet") ? "factsheet"
                                          : strstr(lz_hit_doc(h), "recommendations")
                                              ? "recommendations"
                                              : "mapping") == 0;
                else
                    seen += lz_hit_chapter(h) != NULL && strcmp(lz_hit_chapter(h), value) == 0;
            }
            CHECK(seen == count);
            sum += count;
        }
        if (strcmp(name, "document") == 0)
            CHECK(sum == lz_results_count(r) && sum == lz_results_total(r));
    }
    CHECK(lz_results_facet_name(r, 5) == NULL);
    CHECK(lz_results_facet_value(r, 9, 0, NULL, NULL) == -1);
    lz_results_free(r);

    r = search("dual criminality", 10, 0);
    CHECK(r != NULL && lz_results_facet_count(r) == 0);
    lz_results_free(r);
}

static void test_show_passage(void)
{
    lz_results *r = NULL;
    const lz_hit *t;

    CHECK_RC(lz_show_passage(&r, s, "corpus/lanzarote-factsheet-bulgaria.txt", 335, 1), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) == 3 && lz_results_target(r) == 1);
    t = lz_results_hit(r, lz_results_target(r));
    CHECK(t != NULL && strstr(lz_hit_text(t), "requires Bulgaria to remove") != NULL);
    lz_results_free(r);
    /* any path with the same file name; a line inside a joined passage */
    CHECK_RC(lz_show_passage(&r, s, "/elsewhere/lanzarote-factsheet-bulgaria.txt", 330, 0), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) == 1);
    if (r != NULL && lz_results_count(r) == 1) {
        unsigned a, b;
        lz_hit_lines(lz_results_hit(r, 0), &a, &b);
        CHECK(a == 323 && b == 333);
    }
    lz_results_free(r);
    CHECK_RC(lz_show_passage(&r, s, "corpus/nothing.txt", 3, 1), LZ_ENOTFOUND);
    CHECK_RC(lz_show_passage(&r, s, "corpus/lanzarote-factsheet-bulgaria.txt", 999999, 1),
             LZ_ENOTFOUND);
    CHECK_RC(lz_show_passage(&r, s, "corpus/lanzarote-factsheet-bulgaria.txt", 0, 1), LZ_EINVAL);
    CHECK_RC(lz_show_passage(NULL, s, "x", 1, 1), LZ_EINVAL);
}

static void test_filter_option_and_suggest(void)
{
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL, *plain = NULL;
    char *sugg = NULL;
    size_t i;

    /* a filter in the options restricts without changing the scores */
    o.limit = 1000;
    o.filter = "country:bulgaria level:require";
    CHECK_RC(lz_search(&r, s, "dual criminality", &o), LZ_OK);
    o.filter = NULL;
    CHECK_RC(lz_search(&plain, s, "dual criminality", &o), LZ_OK);
    CHECK(r != NULL && plain != NULL && lz_results_count(r) > 0 &&
          lz_results_count(r) < lz_results_count(plain));
    for (i = 0; r != NULL && i < lz_results_count(r); i++) {
        const lz_hit *h = lz_results_hit(r, i);
        size_t k;
        unsigned a, b;
        CHECK(has_entity(h, LZ_ENTITY_COUNTRY, "Bulgaria"));
        CHECK(lz_hit_level(h) != NULL && strcmp(lz_hit_level(h), "require") == 0);
        lz_hit_lines(h, &a, &b);
        for (k = 0; k < lz_results_count(plain); k++) {
            const lz_hit *p = lz_results_hit(plain, k);
            unsigned c, d;
            lz_hit_lines(p, &c, &d);
            if (c == a && strcmp(lz_hit_doc(p), lz_hit_doc(h)) == 0)
                CHECK(lz_hit_score(p) == lz_hit_score(h));
        }
    }
    lz_results_free(r);
    lz_results_free(plain);
    o.filter = "bad \xC3\x28";
    CHECK_RC(lz_search(&r, s, "x", &o), LZ_EQUERY);

    CHECK_RC(lz_suggest(&sugg, s, "sextorsion in bulgaria"), LZ_OK);
    CHECK_STR(sugg, "sextortion in bulgaria");
    lz_free(sugg);
    CHECK_RC(lz_suggest(&sugg, s, "dual criminality"), LZ_OK);
    CHECK(sugg == NULL);
    CHECK_RC(lz_suggest(NULL, s, "x"), LZ_EINVAL);
}

int main(void)
{
    lz_index *ix = NULL;
    char cmd[700];

    if (mkdtemp(tmp) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(dir, sizeof dir, "%s/index", tmp);
    CHECK_RC(lz_index_open(&ix, dir, NULL), LZ_OK);
    CHECK_RC(lz_index_add_path(ix, LZ_TEST_CORPUS), LZ_OK);
    CHECK_RC(lz_index_commit(ix), LZ_OK);
    lz_index_free(ix);
    CHECK_RC(lz_searcher_open(&s, dir), LZ_OK);
    if (s != NULL) {
        test_page_break_phrase();
        test_footnotes_and_recs();
        test_filters();
        test_facets();
        test_show_passage();
        test_filter_option_and_suggest();
    }
    lz_searcher_free(s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return lzt_finish();
}
