/* Answer quality on the bundled corpus: the thesaurus bridges in both directions and only when
 * not --exact, spelling variants (weighed as one word, on a small index of its own), highlights
 * of synonyms, did-you-mean, --explain adding up to the score, the preference for body text
 * over the bibliography and captions, the query words left out, web addresses. Public API,
 * real index; a page is the same whatever its limit. */
#define _GNU_SOURCE             /* strcasestr */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "hits.h"
#include "lanzsearch.h"

static char tmp[] = "/tmp/lz-test-quality-XXXXXX";
static lz_searcher *s;

static lz_results *search(const char *q, unsigned limit, unsigned flags)
{
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;
    o.limit = limit;
    o.flags = flags;
    if (lz_search(&r, s, q, &o) != LZ_OK)
        fprintf(stderr, "search %s: %s\n", q, lz_last_error());
    return r;
}

/* Whether a hit of r starts at `line` of document `doc`. */
static int has_hit(const lz_results *r, const char *doc, unsigned line)
{
    size_t i;
    for (i = 0; i < lz_results_count(r); i++) {
        const lz_hit *h = lz_results_hit(r, i);
        unsigned a, b;
        lz_hit_lines(h, &a, &b);
        if (a <= line && line <= b && strcmp(lz_hit_doc(h), doc) == 0)
            return 1;
    }
    return 0;
}

/* The text of highlight k of hit h, lower-cased, in buf. */
static const char *highlight(const lz_hit *h, size_t k, char *buf, size_t size)
{
    size_t off = 0, len = 0, i;
    buf[0] = '\0';
    if (lz_hit_highlight(h, k, &off, &len) != 0 || len + 1 > size)
        return buf;
    for (i = 0; i < len; i++) {
        char c = lz_hit_snippet(h)[off + i];
        buf[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    buf[len] = '\0';
    return buf;
}

/* A small index of its own under tmp/name, holding `text` as file `name`.txt; *dir receives
 * its folder. */
static lz_searcher *small_index(const char *name, const char *text, size_t len, char *dir,
                                size_t size)
{
    char file[64];
    lz_index *ix = NULL;
    lz_searcher *out = NULL;

    snprintf(dir, size, "%s/%s", tmp, name);
    snprintf(file, sizeof file, "%s.txt", name);
    CHECK_RC(lz_index_open(&ix, dir, NULL), LZ_OK);
    CHECK_RC(lz_index_add_text(ix, file, text, len), LZ_OK);
    CHECK_RC(lz_index_commit(ix), LZ_OK);
    lz_index_free(ix);
    CHECK_RC(lz_searcher_open(&out, dir), LZ_OK);
    return out;
}

static void drop_index(lz_searcher *in, const char *dir)
{
    char cmd[700];

    lz_searcher_free(in);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

/* Number of hits (default limit) of q on searcher `in`; (size_t)-1 when the search fails. */
static size_t hits_in(lz_searcher *in, const char *q, unsigned flags, const char *filter)
{
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;
    size_t n;

    o.flags = flags;
    o.filter = filter;
    if (lz_search(&r, in, q, &o) != LZ_OK) {
        fprintf(stderr, "search %s: %s\n", q, lz_last_error());
        return (size_t)-1;
    }
    n = lz_results_count(r);
    lz_results_free(r);
    return n;
}

static void test_bridges(void)
{
    /* sextortion -> "sexual extortion" (Bulgaria factsheet, line 120), not with --exact */
    lz_results *r = search("sextortion", 50, 0), *x = search("sextortion", 50, LZ_SEARCH_EXACT);
    lz_results *back;
    size_t i, k;
    int highlighted = 0;
    char buf[256];

    CHECK(r != NULL && has_hit(r, "lanzarote-factsheet-bulgaria", 120));
    CHECK(x != NULL && !has_hit(x, "lanzarote-factsheet-bulgaria", 120));
    CHECK(r != NULL && x != NULL && lz_results_total(r) > lz_results_total(x));
    for (i = 0; r != NULL && i < lz_results_count(r); i++)
        for (k = 0; k < lz_hit_highlight_count(lz_results_hit(r, i)); k++)
            highlighted |= strcmp(highlight(lz_results_hit(r, i), k, buf, sizeof buf),
                                  "sexual extortion") == 0;
    CHECK(highlighted);         /* the synonym is what the snippet shows */
    lz_results_free(r);
    lz_results_free(x);

    /* and back: "sexual extortion" finds the passage saying "sextortion" (line 564) */
    back = search("sexual extortion", 50, 0);
    CHECK(back != NULL && has_hit(back, "lanzarote-factsheet-bulgaria", 564));
    lz_results_free(back);

    /* acronyms: CSAM <-> child sexual abuse material */
    r = search("CSAM", 100, 0);
    x = search("CSAM", 100, LZ_SEARCH_EXACT);
    CHECK(r != NULL && x != NULL && lz_results_total(r) > lz_results_total(x));
    lz_results_free(r);
    lz_results_free(x);

    /* A multi-word expression keeps its words' weights and adds its concept: the first hits
     * all name CSAM one way or another (QueryParser's multi-word synonyms folded the four words
     * into one term as common as "child": every hit then weighed less than with --exact). */
    r = search("child sexual abuse material", 5, 0);
    CHECK(r != NULL && lz_results_count(r) == 5);
    for (i = 0; r != NULL && i < lz_results_count(r); i++) {
        const char *t = lz_hit_text(lz_results_hit(r, i));
        CHECK(strcasestr(t, "child sexual abuse material") != NULL || strstr(t, "CSAM") ||
              strcasestr(t, "child pornography") != NULL);
    }
    x = search("child sexual abuse material", 5, LZ_SEARCH_EXACT);
    CHECK(r != NULL && x != NULL &&
          lz_hit_score(lz_results_hit(r, 0)) >= lz_hit_score(lz_results_hit(x, 0)));
    lz_results_free(r);
    lz_results_free(x);

    /* British/American spelling: criminalize also finds criminalise (whose stem differs),
     * not with --exact (which still finds criminal, criminally: same stem as criminalize) */
    r = search("criminalize", 1000, 0);
    x = search("criminalize", 1000, LZ_SEARCH_EXACT | LZ_SEARCH_NO_CORRECT);
    CHECK(r != NULL && x != NULL && lz_results_total(r) > lz_results_total(x));
    for (i = 0, highlighted = 0; r != NULL && i < lz_results_count(r); i++)
        highlighted |= strstr(lz_hit_text(lz_results_hit(r, i)), "criminalise") != NULL;
    CHECK(highlighted);
    for (i = 0; x != NULL && i < lz_results_count(x); i++)
        CHECK(strstr(lz_hit_text(lz_results_hit(x, i)), "criminalis") == NULL ||
              strstr(lz_hit_text(lz_results_hit(x, i)), "criminal ") != NULL ||
              strstr(lz_hit_text(lz_results_hit(x, i)), "criminally") != NULL);
    lz_results_free(r);
    lz_results_free(x);
}

static void test_did_you_mean(void)
{
    lz_results *r = search("sextorsion", 10, 0);
    CHECK(r != NULL && lz_results_corrected(r) != NULL &&
          strcmp(lz_results_corrected(r), "sextortion") == 0 && lz_results_used_corrected(r) &&
          lz_results_count(r) > 0);
    lz_results_free(r);
    r = search("criminalty", 10, 0);
    CHECK(r != NULL && lz_results_corrected(r) != NULL &&
          strcmp(lz_results_corrected(r), "criminality") == 0);
    lz_results_free(r);
    /* a word the index has is never "corrected" */
    r = search("prosecutor", 10, 0);
    CHECK(r != NULL && lz_results_corrected(r) == NULL);
    lz_results_free(r);
    /* nor is a word whose other spelling the search looks for too; with --exact, which does
     * not, the index's spelling is offered, and lz_suggest always offers it */
    r = search("therapy for pedophiles", 10, 0);
    CHECK(r != NULL && lz_results_corrected(r) == NULL && lz_results_count(r) > 0);
    lz_results_free(r);
    r = search("therapy for pedophiles", 10, LZ_SEARCH_EXACT | LZ_SEARCH_NO_CORRECT);
    CHECK(r != NULL && lz_results_corrected(r) != NULL &&
          strcmp(lz_results_corrected(r), "therapy for paedophiles") == 0);
    lz_results_free(r);
    {
        char *sugg = NULL;
        CHECK_RC(lz_suggest(&sugg, s, "pedophiles"), LZ_OK);
        CHECK(sugg != NULL && strcmp(sugg, "paedophiles") == 0);
        lz_free(sugg);
    }
    /* a word the thesaurus lists is a word, and a short word is corrected by one edit at
     * most: no "one" for "money", no "convey" for "monkey", no "werden" for "garden" */
    {
        static const char *const words[] = { "money for victims", "monkey", "garden" };
        size_t i;
        for (i = 0; i < sizeof words / sizeof words[0]; i++) {
            r = search(words[i], 10, LZ_SEARCH_NO_CORRECT);
            CHECK(r != NULL && lz_results_corrected(r) == NULL);
            lz_results_free(r);
        }
    }
    /* with NO_CORRECT the suggestion is still offered, but not run */
    r = search("sextorsion", 10, LZ_SEARCH_NO_CORRECT);
    CHECK(r != NULL && lz_results_corrected(r) != NULL && !lz_results_used_corrected(r) &&
          lz_results_count(r) == 0);
    lz_results_free(r);
}

static void test_explain(void)
{
    static const char *const queries[] = { "sextortion dual criminality", "\"last resort\"",
                                           "Recommendation VII-3", "criminalis* grooming",
                                           "how many Parties", "Türkiye hotline",
                                           "Italy age of criminal responsibility" };
    size_t q, i, k;

    for (q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        lz_results *r = search(queries[q], 10, LZ_SEARCH_EXPLAIN);
        CHECK(r != NULL && lz_results_count(r) > 0);
        for (i = 0; r != NULL && i < lz_results_count(r); i++) {
            const lz_hit *h = lz_results_hit(r, i);
            const char *what;
            double w, sum = 0;
            for (k = 0; lz_hit_explain(h, k, &what, &w) == 0; k++) {
                CHECK(w > 0 && what[0] != '\0');
                sum += w;
            }
            CHECK(k > 0);
            CHECK(fabs(sum - lz_hit_score(h)) < 1e-6 * (1 + lz_hit_score(h)));
        }
        lz_results_free(r);
    }
    {
        lz_results *r = search("sextortion", 3, 0);
        CHECK(r != NULL && lz_hit_explain_count(lz_results_hit(r, 0)) == 0);
        lz_results_free(r);
    }
}

/* A page is the same whatever the limit, offset or explanation asked for: the first k hits of
 * a longer page, in order and with their scores. Queries with thesaurus groups (SYNONYM), the
 * section ranker, the prior, filters alone (all weights equal) and offsets. */
static void test_pages_agree(void)
{
    static const char *const queries[] = {
        "child sexual abuse material", "sextortion dual criminality", "Lanzarote Convention",
        "grooming online", "country:bulgaria", "kind:factsheet", "helplines OR hotlines",
    };
    static const unsigned limits[] = { 1, 3, 10, 25 };
    size_t q, l, i;

    for (q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        lz_results *ref = search(queries[q], 60, LZ_SEARCH_NO_CORRECT);
        CHECK(ref != NULL && lz_results_count(ref) >= 25);
        for (l = 0; ref != NULL && l < sizeof limits / sizeof limits[0]; l++) {
            for (unsigned variant = 0; variant < 3; variant++) {
                lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
                lz_results *r = NULL;
                o.limit = limits[l];
                o.flags = LZ_SEARCH_NO_CORRECT | (variant == 1 ? LZ_SEARCH_EXPLAIN : 0u);
                o.offset = variant == 2 ? 5 : 0;
                CHECK_RC(lz_search(&r, s, queries[q], &o), LZ_OK);
                for (i = 0; r != NULL && i < lz_results_count(r); i++) {
                    const lz_hit *a = lz_results_hit(r, i), *b = lz_results_hit(ref, o.offset + i);
                    unsigned fa, fb, last;
                    lz_hit_lines(a, &fa, &last);
                    lz_hit_lines(b, &fb, &last);
                    CHECK(strcmp(lz_hit_path(a), lz_hit_path(b)) == 0 && fa == fb &&
                          fabs(lz_hit_score(a) - lz_hit_score(b)) < 1e-9);
                }
                CHECK(r != NULL && lz_results_count(r) == limits[l]);
                lz_results_free(r);
            }
        }
        lz_results_free(ref);
    }
}

static void test_body_over_bibliography(void)
{
    /* The query's words appear in bibliography titles too; body text comes first. */
    lz_results *r = search("sextortion dual criminality", 3, 0);
    size_t i;
    for (i = 0; r != NULL && i < lz_results_count(r); i++) {
        const lz_hit *h = lz_results_hit(r, i);
        size_t k;
        for (k = 0; k < lz_hit_section_count(h); k++)
            CHECK(strstr(lz_hit_section(h, k), "Bibliography") == NULL);
    }
    lz_results_free(r);
}

static void test_similar(void)
{
    lz_results *r = NULL;
    size_t i;

    /* The Bulgaria factsheet's passage at 335 restates recommendation IV-6: the most similar
     * passage is the recommendation's own row, and the passage itself is never among them. */
    CHECK_RC(lz_similar(&r, s, "corpus/lanzarote-factsheet-bulgaria.txt", 335, NULL), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) == 10);
    if (r != NULL && lz_results_count(r) > 0) {
        unsigned a, b;
        lz_hit_lines(lz_results_hit(r, 0), &a, &b);
        CHECK(strcmp(lz_hit_doc(lz_results_hit(r, 0)), "lanzarote-recommendations-finland") == 0);
        CHECK(a == 87);
        CHECK(lz_hit_highlight_count(lz_results_hit(r, 0)) > 0);
    }
    for (i = 0; r != NULL && i < lz_results_count(r); i++) {
        unsigned a, b;
        lz_hit_lines(lz_results_hit(r, i), &a, &b);
        CHECK(!(a == 335 && strcmp(lz_hit_doc(lz_results_hit(r, i)),
                                   "lanzarote-factsheet-bulgaria") == 0));
    }
    lz_results_free(r);
    /* The Bulgaria factsheet's line 62 is about children's criminal liability for their own
     * self-generated images and extortion with them: its theme, not its generic words ("vast
     * majority", "particular concerns"), leads the similar passages, which name CSGSIV,
     * self-generated images or extortion. */
    CHECK_RC(lz_similar(&r, s, "corpus/lanzarote-factsheet-bulgaria.txt", 62, NULL), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) == 10);
    for (i = 0; r != NULL && i < 3 && i < lz_results_count(r); i++) {
        const char *t = lz_hit_text(lz_results_hit(r, i));
        CHECK(strstr(t, "CSGSIV") != NULL || strcasestr(t, "self-generated") != NULL ||
              strcasestr(t, "extortion") != NULL);
    }
    lz_results_free(r);
    CHECK_RC(lz_similar(&r, s, "corpus/lanzarote-factsheet-bulgaria.txt", 999999, NULL),
             LZ_ENOTFOUND);
    CHECK_RC(lz_similar(&r, s, NULL, 1, NULL), LZ_EINVAL);
}

/* A query naming an article or a report paragraph finds the passages citing it, also where the
 * reference is only in a footnote they cite (Bulgaria's line 74 cites "Para.71" in footnote
 * 2): every hit carries the reference, the explanation names it; another instrument's article
 * is not the Convention's. */
static void test_reference_lookups(void)
{
    static const struct {
        const char *q;
        lz_entity kind;
        const char *value;
        const char *label;
    } refs[] = {
        { "Para.71", LZ_ENTITY_PARAGRAPH, "71", "paragraph cited: " },
        { "paragraph 71", LZ_ENTITY_PARAGRAPH, "71", "paragraph cited: " },
        { "Art. 23", LZ_ENTITY_ARTICLE, "23", "article cited: " },
        { "Article 20(4)", LZ_ENTITY_ARTICLE, "20(4)", "article cited: " },
    };
    lz_results *r;
    size_t i, k;

    for (i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        const char *what;
        double w;
        int named = 0;
        r = search(refs[i].q, 5, LZ_SEARCH_EXPLAIN);
        CHECK(r != NULL && lz_results_count(r) > 0);
        for (k = 0; r != NULL && k < lz_results_count(r); k++)
            CHECK(has_entity(lz_results_hit(r, k), refs[i].kind, refs[i].value));
        for (k = 0; r != NULL && lz_results_count(r) > 0 &&
                    lz_hit_explain(lz_results_hit(r, 0), k, &what, &w) == 0;
             k++)
            named |= strncmp(what, refs[i].label, strlen(refs[i].label)) == 0 && w > 0;
        CHECK(named);
        if (i == 0)
            CHECK(r != NULL && has_hit(r, "lanzarote-factsheet-bulgaria", 74));
        lz_results_free(r);
    }
    r = search("Article 9 of the Budapest Convention", 5, LZ_SEARCH_EXPLAIN);
    CHECK(r != NULL && lz_results_parsed(r) != NULL &&
          strstr(lz_results_parsed(r), "XART") == NULL);
    lz_results_free(r);
    /* a reference the query excludes is no look-up; one beside an exclusion still is */
    {
        static const char *const excluded[] = {
            "grooming NOT Recommendation II-6", "grooming -\"Article 23\"",
            "grooming NOT Art. 23", "grooming -(Para.71)", "grooming\tNOT\tRecommendation II-6",
            "grooming NOT abuse Article 25",            /* NOT reaches to the next operator */
            "grooming NOT Recommendations IV-3 and IV-4", "grooming NOT Recommendation  IV-3",
            "grooming (abuse NOT Recommendation IV-3)", /* inside brackets too */
            "grooming (jurisdiction -Article 25)",
            "title:\"Article 25\"", "section:\"Article 25\"",  /* a field's value */
        };
        for (i = 0; i < sizeof excluded / sizeof excluded[0]; i++) {
            r = search(excluded[i], 5, LZ_SEARCH_EXPLAIN);
            CHECK(r != NULL && lz_results_parsed(r) != NULL &&
                  strstr(lz_results_parsed(r), "XREC") == NULL &&
                  strstr(lz_results_parsed(r), "XART") == NULL &&
                  strstr(lz_results_parsed(r), "XPARA") == NULL);
            lz_results_free(r);
        }
    }
    /* the reference stays a look-up beside an exclusion, after the operand of a NOT, in
     * capitals; where the query requires its words it only ranks (AND_MAYBE) */
    {
        static const char *const kept[] = { "grooming NOT abuse OR Article 25",
                                            "(grooming NOT abuse) Article 25", "ARTICLE 25" };
        for (i = 0; i < sizeof kept / sizeof kept[0]; i++) {
            r = search(kept[i], 5, LZ_SEARCH_EXPLAIN);
            CHECK(r != NULL && lz_results_parsed(r) != NULL &&
                  strstr(lz_results_parsed(r), "1 * XART25") != NULL &&
                  strstr(lz_results_parsed(r), "AND_MAYBE (1 * XART25") == NULL);
            lz_results_free(r);
        }
    }
    r = search("grooming AND Article 25", 10, LZ_SEARCH_EXPLAIN);
    CHECK(r != NULL && lz_results_parsed(r) != NULL &&
          strstr(lz_results_parsed(r), "AND_MAYBE (1 * XART25") != NULL);
    for (k = 0; r != NULL && k < lz_results_count(r); k++) {
        const char *t = lz_hit_text(lz_results_hit(r, k));
        CHECK(strcasestr(t, "groom") != NULL);  /* every hit has the word required */
    }
    lz_results_free(r);
    r = search("Recommendation II-6 -grooming", 5, LZ_SEARCH_EXPLAIN);
    CHECK(r != NULL && lz_results_parsed(r) != NULL &&
          strstr(lz_results_parsed(r), "XRECSELFii-6") != NULL);
    CHECK(r != NULL && has_hit(r, "lanzarote-recommendations-finland", 21));
    lz_results_free(r);
}

/* Words that say nothing of the subject are not searched for: stopwords even where brackets
 * cut them off from the other words (QueryParser would keep them), and the quantity word of
 * "how many"; the names of a web address are words. */
static void test_query_words(void)
{
    lz_results *r = search("for which offences", 5, LZ_SEARCH_EXPLAIN);
    const char *parsed = r != NULL ? lz_results_parsed(r) : NULL;

    CHECK(parsed != NULL && strstr(parsed, "which") == NULL && strstr(parsed, "Zfor") == NULL &&
          strstr(parsed, "offenc") != NULL);
    lz_results_free(r);
    r = search("how many Parties", 5, LZ_SEARCH_EXPLAIN);
    parsed = r != NULL ? lz_results_parsed(r) : NULL;
    CHECK(parsed != NULL && strstr(parsed, "mani") == NULL && strstr(parsed, "parti") != NULL);
    lz_results_free(r);
    r = search("safenet", 10, 0);
    CHECK(r != NULL && has_hit(r, "lanzarote-factsheet-bulgaria", 485) &&
          has_hit(r, "lanzarote-factsheet-assistance-to-victims", 74));
    lz_results_free(r);
    r = search("safenet.bg", 10, 0);
    CHECK(r != NULL && has_hit(r, "lanzarote-factsheet-bulgaria", 485));
    lz_results_free(r);
}

/* Spelling variants are one word: on a small index where "offence" is common and "offense"
 * rare, a passage using the rare spelling scores as the same passage with the common one (an
 * OR of the spellings would give the rare one the higher weight and the first rank). */
static void test_variants_one_word(void)
{
    static const char *const places[] = { "alpha", "bravo", "charlie", "delta", "echo",
                                          "foxtrot", "golf", "hotel" };
    char dir[600];
    char text[1024];
    size_t len = 0;
    lz_searcher *vs;
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;
    size_t i;

    for (i = 0; i < sizeof places / sizeof places[0]; i++)
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "The %s of grooming was reported in %s.\n\n",
                                i == 0 ? "offense" : "offence", places[i]);
    vs = small_index("variants", text, len, dir, sizeof dir);
    o.flags = LZ_SEARCH_EXPLAIN;
    CHECK_RC(lz_search(&r, vs, "offence", &o), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) == sizeof places / sizeof places[0]);
    CHECK(r != NULL && lz_results_parsed(r) != NULL && strstr(lz_results_parsed(r), "SYNONYM"));
    for (i = 1; r != NULL && i < lz_results_count(r); i++)
        CHECK(fabs(lz_hit_score(lz_results_hit(r, i)) - lz_hit_score(lz_results_hit(r, 0))) <
              1e-9);
    lz_results_free(r);
    drop_index(vs, dir);
}

/* How many parts of hit h's explanation have a description starting with `label` (0: none;
 * NULL h: none). */
static size_t explained_by(const lz_hit *h, const char *label)
{
    const char *what;
    double w;
    size_t k, n = 0;
    for (k = 0; lz_hit_explain(h, k, &what, &w) == 0; k++)
        n += strncmp(what, label, strlen(label)) == 0;
    return n;
}

/* A figure's caption is not an answer: with the same words, body text ranks first, and the
 * caption gets no prior (its explanation has no "prior:" part). */
static void test_captions(void)
{
    static const char text[] = "Member states run services for children and the public.\n\n"
                               "Fig.5 Hotlines and helplines by member state\n\n"
                               "Hotlines and helplines by member state are shown below.\n\n"
                               "Table 2 Safer Internet Centres by member state\n";
    char dir[600];
    lz_searcher *cs = small_index("captions", text, sizeof text - 1, dir, sizeof dir);
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;

    o.flags = LZ_SEARCH_EXPLAIN;
    CHECK_RC(lz_search(&r, cs, "hotlines helplines", &o), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) == 2);
    if (r != NULL && lz_results_count(r) == 2) {
        const lz_hit *body = lz_results_hit(r, 0), *caption = lz_results_hit(r, 1);
        unsigned a, b;
        lz_hit_lines(body, &a, &b);
        CHECK(a == 5);
        lz_hit_lines(caption, &a, &b);
        CHECK(a == 3);
        CHECK(!explained_by(caption, "prior:"));
    }
    lz_results_free(r);
    drop_index(cs, dir);
}

/* A table row is read under its table's column headings: the row of the country asked about
 * comes first, above a paragraph that only names it, with the headings' share in its
 * explanation; the headings alone find no row. */
static void test_table_columns(void)
{
    static const char text[] = "# Report\n\n"
                               "Country\tMinimum age of criminal responsibility\tHotline\n"
                               "ALBANIA\t14\t✓\n"
                               "BULGARIA\t14\t\n\n"
                               "Bulgaria has reported on its work with the other member states.\n";
    char dir[600];
    lz_searcher *cs = small_index("columns", text, sizeof text - 1, dir, sizeof dir);
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;

    o.flags = LZ_SEARCH_EXPLAIN;
    CHECK_RC(lz_search(&r, cs, "Bulgaria age of criminal responsibility", &o), LZ_OK);
    /* the BULGARIA row, the headings' own row (no body-text prior), then the paragraph that
     * only names Bulgaria */
    CHECK(r != NULL && lz_results_count(r) == 3);
    if (r != NULL && lz_results_count(r) == 3) {
        const lz_hit *row = lz_results_hit(r, 0);
        unsigned a, b;
        lz_hit_lines(lz_results_hit(r, 1), &a, &b);
        CHECK(a == 3);
        CHECK(!explained_by(lz_results_hit(r, 1), "prior:"));
        CHECK(lz_hit_columns(lz_results_hit(r, 1)) == NULL);
        CHECK(lz_hit_columns(lz_results_hit(r, 2)) == NULL);
        CHECK_STR(lz_hit_columns(row), "Country Minimum age of criminal responsibility Hotline");
        lz_hit_lines(row, &a, &b);
        CHECK(a == 5);
        CHECK(explained_by(row, "columns: ") == 3);    /* age, criminal, responsibility */
    }
    lz_results_free(r);
    r = NULL;
    o.flags = 0;
    CHECK_RC(lz_search(&r, cs, "hotline", &o), LZ_OK);    /* the headings' own row only */
    CHECK(r != NULL && lz_results_count(r) == 1 && has_hit(r, "columns", 3));
    lz_results_free(r);
    drop_index(cs, dir);
}

/* A thesaurus expression inside a longer one of the query counts once: for "age of criminal
 * responsibility", the concept of "criminal responsibility" (criminal liability) adds nothing,
 * so a passage on criminal liability alone is found by its words only. */
static void test_nested_concepts(void)
{
    static const char text[] = "# Report\n\n"
        "The age of criminal responsibility is 14; criminal liability starts there.\n\n"
        "Criminal liability of legal persons.\n";
    char dir[600];
    lz_searcher *cs = small_index("nested", text, sizeof text - 1, dir, sizeof dir);
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;
    size_t i;

    o.flags = LZ_SEARCH_EXPLAIN;
    CHECK_RC(lz_search(&r, cs, "age of criminal responsibility", &o), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) == 2);
    CHECK(r != NULL && lz_results_count(r) > 0 &&
          explained_by(lz_results_hit(r, 0), "concept: XCage_of_criminal_responsibility"));
    for (i = 0; r != NULL && i < lz_results_count(r); i++)
        CHECK(!explained_by(lz_results_hit(r, i), "concept: XCcriminal_liability"));
    lz_results_free(r);
    r = NULL;
    /* on its own, the shorter expression keeps its concept */
    CHECK_RC(lz_search(&r, cs, "criminal responsibility", &o), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) == 2);
    for (i = 0; r != NULL && i < lz_results_count(r); i++)
        CHECK(explained_by(lz_results_hit(r, i), "concept: XCcriminal_liability"));
    lz_results_free(r);
    drop_index(cs, dir);
}

/* A country the query names ranks again the passages that name it: the ITALY row of a table
 * above a longer paragraph on the age of criminal responsibility in another country; each word
 * of a name once ("Bosnia and Herzegovina": two, "and" is a stopword); "turkey" as written in
 * a query is the country, and "Türkiye" finds the "Turkey" of the text; a query naming none
 * gets no such part. */
static void test_countries(void)
{
    static const char text[] = "# Report\n\n"
        "Country\tMinimum age of criminal responsibility\n"
        "ITALY\t14\n"
        "FRANCE\t13\n\n"
        "In Bulgaria the age of criminal responsibility is 14: below the age of criminal "
        "responsibility a child is never prosecuted.\n\n"
        "Bosnia and Herzegovina and Turkey run hotlines.\n";
    char dir[600];
    lz_searcher *cs = small_index("countries", text, sizeof text - 1, dir, sizeof dir);
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;
    size_t i;

    o.flags = LZ_SEARCH_EXPLAIN;
    CHECK_RC(lz_search(&r, cs, "Italy age of criminal responsibility", &o), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) >= 2 && has_hit(r, "countries", 4));
    if (r != NULL && lz_results_count(r) >= 2) {
        unsigned a, b;
        lz_hit_lines(lz_results_hit(r, 0), &a, &b);
        CHECK(a == 4);
        CHECK(explained_by(lz_results_hit(r, 0), "country: "));
    }
    lz_results_free(r);
    r = NULL;
    CHECK_RC(lz_search(&r, cs, "Bosnia and Herzegovina hotlines, Bosnia", &o), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) == 1);
    CHECK(explained_by(lz_results_hit(r, 0), "country: ") == 2);
    lz_results_free(r);
    r = NULL;
    CHECK_RC(lz_search(&r, cs, "turkey hotlines", &o), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) == 1 &&
          explained_by(lz_results_hit(r, 0), "country: "));
    lz_results_free(r);
    r = NULL;
    /* the official name finds the name the text uses, also alone; not with --exact, and only
     * ranks when the query requires its words */
    CHECK_RC(lz_search(&r, cs, "Türkiye hotlines", &o), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) == 1 &&
          explained_by(lz_results_hit(r, 0), "country: Zturkey") == 1);
    lz_results_free(r);
    r = NULL;
    CHECK(hits_in(cs, "Türkiye", LZ_SEARCH_NO_CORRECT, NULL) == 1);
    CHECK(hits_in(cs, "Türkiye", LZ_SEARCH_EXACT | LZ_SEARCH_NO_CORRECT, NULL) == 0);
    CHECK(hits_in(cs, "Türkiye hotlines", LZ_SEARCH_AND | LZ_SEARCH_NO_CORRECT, NULL) == 0);
    CHECK_RC(lz_search(&r, cs, "age of criminal responsibility", &o), LZ_OK);
    for (i = 0; r != NULL && i < lz_results_count(r); i++)
        CHECK(!explained_by(lz_results_hit(r, i), "country: "));
    lz_results_free(r);
    drop_index(cs, dir);
    /* the corpus: the mapping's ITALY row first, above the Bulgaria factsheet's passage on the
     * age of criminal responsibility (without the ranker: fourth) */
    if (s != NULL && (r = search("Italy minimum age of criminal responsibility", 1, 0)) != NULL) {
        CHECK(has_hit(r, "endocsea-baseline-mapping-2019", 788));
        lz_results_free(r);
    }
}

/* "how many" wants a count: a passage stating one (digits or a number word) gets the count
 * ranker's weight; years, labels and identifiers are no counts; other questions get none. */
static void test_counts(void)
{
    static const char text[] = "# Report\n\n"
        "Under Recommendation II-6, Article 20(4) and Fig.5, Parties set up in 2019 a 2nd police "
        "unit for online cases.\n\n"                                           /* 3 */
        "In 31 Parties a police unit works on online cases.\n\n"               /* 5 */
        "Twelve Parties have a police unit.\n";                                 /* 7 */
    char dir[600];
    lz_searcher *cs = small_index("counts", text, sizeof text - 1, dir, sizeof dir);
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;
    size_t i;

    o.flags = LZ_SEARCH_EXPLAIN;
    CHECK_RC(lz_search(&r, cs, "how many Parties have a police unit", &o), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) == 3);
    for (i = 0; r != NULL && i < lz_results_count(r); i++) {
        const lz_hit *h = lz_results_hit(r, i);
        unsigned a, b;
        lz_hit_lines(h, &a, &b);
        CHECK(explained_by(h, "count: ") == (a != 3));
    }
    lz_results_free(r);
    r = NULL;
    CHECK_RC(lz_search(&r, cs, "how long have Parties had a police unit", &o), LZ_OK);
    for (i = 0; r != NULL && i < lz_results_count(r); i++)
        CHECK(!explained_by(lz_results_hit(r, i), "count: "));
    CHECK(r != NULL && lz_results_count(r) == 3);
    lz_results_free(r);
    drop_index(cs, dir);
}

/* Related words (the thesaurus' [related] section): a query in everyday words also finds the
 * passage in the reports' words, highlighted, below a passage in the query's own words; not
 * with --exact; and a field's value adds no related group that could escape a filter. */
static void test_related_words(void)
{
    static const char text[] = "Telecommunications service providers must store traffic data "
                               "for six months.\n\n"
                               "Phone companies sell phones and contracts to families.\n\n"
                               "Schools teach children about online safety.\n";
    char dir[600], buf[256];
    lz_searcher *cs = small_index("related", text, sizeof text - 1, dir, sizeof dir);
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;
    size_t k;
    int telecom = 0;

    CHECK_RC(lz_search(&r, cs, "phone companies", &o), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) == 2);
    if (r != NULL && lz_results_count(r) == 2) {
        const lz_hit *own = lz_results_hit(r, 0), *rel = lz_results_hit(r, 1);
        unsigned a, b;
        lz_hit_lines(own, &a, &b);
        CHECK(a == 3);
        lz_hit_lines(rel, &a, &b);
        CHECK(a == 1);
        CHECK(lz_hit_score(own) > lz_hit_score(rel));
        for (k = 0; k < lz_hit_highlight_count(rel); k++)
            telecom |= strncmp(highlight(rel, k, buf, sizeof buf), "telecommunications", 18) == 0;
        CHECK(telecom);
    }
    lz_results_free(r);

    CHECK(hits_in(cs, "phone companies", LZ_SEARCH_EXACT | LZ_SEARCH_NO_CORRECT, NULL) == 1);
    /* a query that requires its words keeps requiring them: related words only rank */
    CHECK(hits_in(cs, "phone AND companies", 0, NULL) == 1);
    CHECK(hits_in(cs, "+phone companies", 0, NULL) == 1);
    CHECK(hits_in(cs, "phone companies", LZ_SEARCH_AND, NULL) == 1);
    /* "phone" names a group, but as a filter's value it stays a filter */
    CHECK(hits_in(cs, "phone", 0, "doc:nothing-of-that-name") == 0);
    CHECK(hits_in(cs, "title:phone", 0, NULL) == 0);
    drop_index(cs, dir);
}

/* A related group and the query's word that found it are one part of the query: a passage
 * holding the word weighs by the word and gets nothing from the group, with or without the
 * group's other words; a passage in the group's words alone gets the group's weight. */
static void test_related_not_twice(void)
{
    static const char text[] = "Phone companies sell phones and contracts to families.\n\n"
                               "Telecommunications service providers must store traffic data.\n\n"
                               "Phone and telecommunications networks reach every school.\n\n"
                               "Schools teach children about online safety.\n";
    static const unsigned lines[] = { 1, 3, 5 };
    char dir[600];
    lz_searcher *cs = small_index("related-once", text, sizeof text - 1, dir, sizeof dir);
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;
    size_t i, k;

    o.flags = LZ_SEARCH_EXPLAIN;
    CHECK_RC(lz_search(&r, cs, "phone", &o), LZ_OK);
    CHECK(r != NULL && lz_results_count(r) == 3);
    for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        const lz_hit *h = NULL;
        const char *what;
        double w, related = 0, sum = 0;
        for (k = 0; r != NULL && k < lz_results_count(r); k++) {
            unsigned a, b;
            lz_hit_lines(lz_results_hit(r, k), &a, &b);
            if (a == lines[i])
                h = lz_results_hit(r, k);
        }
        CHECK(h != NULL);
        if (h == NULL)
            continue;
        for (k = 0; lz_hit_explain(h, k, &what, &w) == 0; k++) {
            sum += w;
            if (strncmp(what, "related words: ", 15) == 0)
                related += w;
        }
        CHECK(fabs(sum - lz_hit_score(h)) < 1e-6);
        if (lines[i] == 3)
            CHECK(related > 0);     /* the group's words only */
        else
            CHECK(related == 0);    /* the word itself, with or without the group's words */
    }
    lz_results_free(r);
    drop_index(cs, dir);
}

int main(void)
{
    lz_index *ix = NULL;
    char dir[600], cmd[700];

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
        test_bridges();
        test_did_you_mean();
        test_explain();
        test_pages_agree();
        test_body_over_bibliography();
        test_similar();
        test_query_words();
        test_reference_lookups();
    }
    test_variants_one_word();
    test_captions();
    test_table_columns();
    test_counts();
    test_nested_concepts();
    test_countries();
    test_related_words();
    test_related_not_twice();
    lz_searcher_free(s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return lzt_finish();
}
