/* Unit tests of the entity extractor (indexer/entities.c, indexer/countries.c) on the bundled
 * corpus (LZ_TEST_CORPUS) and on synthetic documents: recommendation numbers, articles,
 * paragraphs, countries, addressees, levels and chapters of known passages; the country table
 * and query-side lookup; robustness on odd and large inputs, and allocation failures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "lz_entities.h"

#ifndef LZ_TEST_CORPUS
#error "LZ_TEST_CORPUS must name the corpus folder"
#endif

/* Compare two unsigned values, printing both on failure. */
#define CHECK_EQ(got, want)                                                               \
    do {                                                                                  \
        unsigned long lzt_g = (unsigned long)(got), lzt_w = (unsigned long)(want);        \
        if (lzt_g == lzt_w) {                                                             \
            lzt_passed++;                                                                 \
        } else {                                                                          \
            lzt_failed++;                                                                 \
            fprintf(stderr, "%s:%d: FAILED: %s == %s (got %lu, want %lu)\n", __FILE__,    \
                    __LINE__, #got, #want, lzt_g, lzt_w);                                 \
        }                                                                                 \
    } while (0)

/* A parsed document with its entities. */
typedef struct edoc {
    const char *name;
    lzi_document doc;
    lzi_entities *ent;
} edoc;

static const lzi_entities no_entities;     /* stands in for a missing passage */

/* ---- helpers ------------------------------------------------------------------------------ */

static int load(edoc *d, const char *file)
{
    lzi_buf b = LZI_BUF_INIT;
    char path[1024];
    FILE *fp;
    int rc;

    d->name = file;
    d->doc = (lzi_document)LZI_DOCUMENT_INIT;
    d->ent = NULL;
    snprintf(path, sizeof path, "%s/%s", LZ_TEST_CORPUS, file);
    if ((fp = fopen(path, "rb")) == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return LZ_EIO;
    }
    rc = lzi_buf_read_all(&b, fp, (size_t)1 << 26, path);
    fclose(fp);
    if (rc == LZ_OK)
        rc = lzi_buf_append(&b, "", 0);
    if (rc == LZ_OK)
        rc = lzi_parse(&d->doc, b.ptr, b.len, file);
    if (rc == LZ_OK)
        rc = lzi_entities_extract(&d->ent, &d->doc);
    if (rc != LZ_OK)
        fprintf(stderr, "%s: %s\n", file, lz_last_error());
    lzi_buf_dispose(&b);
    return rc;
}

static int load_str(edoc *d, const char *s)
{
    int rc;

    d->name = "synthetic";
    d->doc = (lzi_document)LZI_DOCUMENT_INIT;
    d->ent = NULL;
    if ((rc = lzi_parse(&d->doc, s, strlen(s), "synthetic")) == LZ_OK)
        rc = lzi_entities_extract(&d->ent, &d->doc);
    if (rc != LZ_OK)
        fprintf(stderr, "synthetic: %s\n", lz_last_error());
    return rc;
}

static void unload(edoc *d)
{
    lzi_entities_free(d->ent, d->doc.n_passages);
    lzi_document_dispose(&d->doc);
    d->ent = NULL;
}

/* The entities of the passage whose line range holds `line` (an empty set, with a message,
 * when there is none). */
static const lzi_entities *at(const edoc *d, unsigned line)
{
    size_t i;

    for (i = 0; d->ent != NULL && i < d->doc.n_passages; i++) {
        if (d->doc.passages[i].first_line <= line && line <= d->doc.passages[i].last_line)
            return &d->ent[i];
    }
    fprintf(stderr, "%s: no passage holds line %u\n", d->name, line);
    return &no_entities;
}

/* The entities of the first passage whose text contains `needle`. */
static const lzi_entities *with_text(const edoc *d, const char *needle)
{
    size_t i;

    for (i = 0; d->ent != NULL && i < d->doc.n_passages; i++) {
        if (strstr(d->doc.passages[i].text, needle) != NULL)
            return &d->ent[i];
    }
    fprintf(stderr, "%s: no passage contains \"%s\"\n", d->name, needle);
    return &no_entities;
}

static void print_strs(const char *what, char **v, size_t n)
{
    size_t i;

    fprintf(stderr, "  %s:", what);
    for (i = 0; i < n; i++)
        fprintf(stderr, " %s", v[i]);
    fprintf(stderr, "\n");
}

/* Is v exactly the space-separated words of `want`, in that order? */
static int strs_are(char **v, size_t n, const char *want)
{
    char buf[4096], *w, *save = NULL;
    size_t i = 0;
    int same = 1;

    snprintf(buf, sizeof buf, "%s", want);
    for (w = strtok_r(buf, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save), i++) {
        if (i >= n || strcmp(v[i], w) != 0)
            same = 0;
    }
    if (i != n)
        same = 0;
    if (!same) {
        print_strs("got ", v, n);
        fprintf(stderr, "  want: %s\n", want);
    }
    return same;
}

static int has_str(char **v, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(v[i], s) == 0)
            return 1;
    }
    return 0;
}

/* Are the paragraphs exactly the n numbers in `want` (space-separated), in order? */
static int paras_are(const lzi_entities *e, const char *want)
{
    char buf[512], *w, *save = NULL;
    size_t i = 0;
    int same = 1;

    snprintf(buf, sizeof buf, "%s", want);
    for (w = strtok_r(buf, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save), i++) {
        if (i >= e->n_paras || e->paras[i] != (unsigned)strtoul(w, NULL, 10))
            same = 0;
    }
    if (i != e->n_paras)
        same = 0;
    if (!same) {
        fprintf(stderr, "  paras got:");
        for (i = 0; i < e->n_paras; i++)
            fprintf(stderr, " %u", e->paras[i]);
        fprintf(stderr, "\n  want: %s\n", want);
    }
    return same;
}

static const char *level(const lzi_entities *e)
{
    const char *name = lzi_level_name(e->level);
    return name ? name : "none";
}

static const char *chapter(const lzi_entities *e)
{
    return e->chapter ? e->chapter : "(none)";
}

/* The countries of footnote 169 of the recommendations document (row IV-6), and of 166 (row
 * IV-5, where the parser moves it: its text spilled into row IV-6). */
static const char *const fn169 =
    "albania cyprus georgia italy malta monaco montenegro north-macedonia san-marino serbia "
    "slovak-republic ukraine";
static const char *const fn166 =
    "albania andorra belgium bosnia-and-herzegovina bulgaria cyprus denmark estonia georgia "
    "germany greece italy liechtenstein lithuania luxembourg malta republic-of-moldova "
    "montenegro san-marino serbia slovak-republic turkey ukraine";

/* ---- the Bulgaria factsheet --------------------------------------------------------------- */

static void test_bulgaria(void)
{
    const lzi_entities *e;
    edoc d;

    CHECK_RC(load(&d, "lanzarote-factsheet-bulgaria.txt"), LZ_OK);

    /* line 335: a list item that states a requirement of Bulgaria and cites footnote 56 */
    e = at(&d, 335);
    CHECK(strs_are(e->recs, e->n_recs, "IV-6"));
    CHECK(e->rec_self == NULL);
    CHECK_STR(level(e), "require");
    CHECK(strs_are(e->addressed, e->n_addressed, "bulgaria"));
    CHECK(strs_are(e->countries, e->n_countries, "bulgaria"));
    CHECK(strs_are(e->articles, e->n_articles, "18 19 20(1)(a) 21"));
    CHECK_STR(chapter(e), "IV");

    /* lines 323-333: describes; names Bulgaria but asks nothing of it */
    e = at(&d, 323);
    CHECK(e == at(&d, 333));
    CHECK(strs_are(e->articles, e->n_articles,
                   "25(4) 18 19 20(1)(a) 21(1)(a) 21(1)(b) 25(1)(d) 25(1)(e)"));
    CHECK(paras_are(e, "2019 227"));          /* footnote 54 reads "Para.2019." */
    CHECK(strs_are(e->countries, e->n_countries, "bulgaria"));
    CHECK_EQ(e->n_addressed, 0);
    CHECK_EQ(e->level, LZI_LEVEL_NONE);

    /* line 76: "The Committee finally notes that Bulgaria has rules ..." */
    e = at(&d, 76);
    CHECK(strs_are(e->countries, e->n_countries, "bulgaria"));
    CHECK_EQ(e->n_addressed, 0);
    CHECK_EQ(e->level, LZI_LEVEL_NONE);
    CHECK(paras_are(e, "82"));

    /* line 74: footnotes 2, 3, 4 = "Para.71.", "Para.73.", "Paras. 72, 73"; the text's
     * "paragraphs 3-6 of the 2019 Opinion" comes first */
    e = at(&d, 74);
    CHECK(paras_are(e, "3 4 5 6 71 73 72"));
    CHECK_STR(chapter(e), "II");

    /* the lead-in "The Committee therefore requests Bulgaria:" and its (nested) list */
    e = at(&d, 78);
    CHECK_STR(level(e), "request");
    CHECK(strs_are(e->addressed, e->n_addressed, "bulgaria"));
    e = at(&d, 81);
    CHECK_STR(level(e), "request");
    CHECK(strs_are(e->addressed, e->n_addressed, "bulgaria"));
    CHECK(strs_are(e->countries, e->n_countries, "bulgaria"));
    e = at(&d, 84);                         /* joined over the page break: footnote 6 */
    CHECK(strs_are(e->recs, e->n_recs, "II-6"));
    CHECK_STR(level(e), "request");
    e = at(&d, 88);
    CHECK(strs_are(e->recs, e->n_recs, "II-9"));
    CHECK(strs_are(e->articles, e->n_articles, "20(2)"));
    CHECK(strs_are(e->addressed, e->n_addressed, "bulgaria"));
    e = at(&d, 92);                         /* a paragraph ends the list */
    CHECK_EQ(e->level, LZI_LEVEL_NONE);
    CHECK_EQ(e->n_addressed, 0);
    CHECK(strs_are(e->articles, e->n_articles, "18"));

    /* "invites all Parties, including Bulgaria:" */
    e = at(&d, 130);
    CHECK_STR(level(e), "invite");
    CHECK(strs_are(e->addressed, e->n_addressed, "bulgaria"));
    e = at(&d, 132);
    CHECK_STR(level(e), "invite");
    CHECK(strs_are(e->addressed, e->n_addressed, "bulgaria"));
    CHECK(strs_are(e->recs, e->n_recs, "II-1"));
    e = at(&d, 137);                        /* "in line with its Recommendation II-1 above" */
    CHECK(strs_are(e->recs, e->n_recs, "II-1"));
    CHECK_STR(level(e), "invite");

    /* a list item with its own verb */
    e = at(&d, 172);
    CHECK_STR(level(e), "request");
    CHECK(strs_are(e->addressed, e->n_addressed, "bulgaria"));
    CHECK(strs_are(e->recs, e->n_recs, "III-18"));

    /* "those Parties that are not already doing so": no footnote lists them here */
    e = at(&d, 222);
    CHECK_STR(level(e), "request");
    CHECK_EQ(e->n_addressed, 0);
    CHECK_EQ(e->n_countries, 0);
    CHECK(strs_are(e->recs, e->n_recs, "III-3 III-7"));
    CHECK(paras_are(e, "235"));

    /* "requires all Parties": required of everyone, addressed to no one in particular */
    e = at(&d, 241);
    CHECK_STR(level(e), "require");
    CHECK_EQ(e->n_addressed, 0);
    CHECK(strs_are(e->recs, e->n_recs, "III-30"));
    e = at(&d, 275);                        /* "It also invites all Parties, including ..." */
    CHECK_STR(level(e), "invite");
    CHECK(strs_are(e->addressed, e->n_addressed, "bulgaria"));
    e = at(&d, 279);
    CHECK(strs_are(e->recs, e->n_recs, "III-25 III-29"));
    CHECK_STR(level(e), "invite");

    /* "Parties that are not already doing so, including Bulgaria to endeavour" */
    e = at(&d, 341);
    CHECK_STR(level(e), "request");
    CHECK(strs_are(e->addressed, e->n_addressed, "bulgaria"));
    CHECK(strs_are(e->recs, e->n_recs, "IV-9"));

    /* a list item as lead-in: "The Committee invites all Parties to ... for offences of:" */
    e = at(&d, 345);
    CHECK_STR(level(e), "invite");
    CHECK_EQ(e->n_addressed, 0);
    e = at(&d, 348);
    CHECK_STR(level(e), "invite");
    CHECK(strs_are(e->recs, e->n_recs, "IV-7"));
    e = at(&d, 351);
    CHECK(strs_are(e->recs, e->n_recs, "IV-8"));

    /* "The Committee recalls ... reservations made:" is no lead-in: its items ask nothing */
    e = at(&d, 375);
    CHECK(strs_are(e->articles, e->n_articles, "41(3)(a)"));
    CHECK_EQ(e->level, LZI_LEVEL_NONE);
    e = at(&d, 377);
    CHECK_EQ(e->level, LZI_LEVEL_NONE);
    CHECK(strs_are(e->articles, e->n_articles, "20(4) 20(1)(f)"));
    e = at(&d, 382);                        /* under "The Committee therefore invites Bulgaria:" */
    CHECK_STR(level(e), "invite");
    CHECK(strs_are(e->recs, e->n_recs, "V-1"));
    CHECK(strs_are(e->addressed, e->n_addressed, "bulgaria"));

    /* several countries, none addressed */
    e = at(&d, 437);
    CHECK(strs_are(e->countries, e->n_countries, "romania bulgaria italy spain"));
    CHECK_EQ(e->n_addressed, 0);

    /* "Recommendations V-4, V-7, V-12, V-15." in footnote 75 */
    e = at(&d, 424);
    CHECK(strs_are(e->recs, e->n_recs, "V-4 V-7 V-12 V-15"));
    e = at(&d, 568);                        /* "The Articles 5, 6 and 8 of the Convention" */
    CHECK(strs_are(e->articles, e->n_articles, "5 6 8"));
    CHECK_STR(chapter(e), "VIII");

    /* "However, the Committee requires Bulgaria:" over a nested list; footnote 130 reads
     * "Recommendations ." */
    e = at(&d, 719);
    CHECK_STR(level(e), "require");
    CHECK(strs_are(e->addressed, e->n_addressed, "bulgaria"));
    e = at(&d, 722);
    CHECK_STR(level(e), "require");
    CHECK(strs_are(e->recs, e->n_recs, "X-5 X-6"));

    /* chapters, and none above the first chapter */
    CHECK_STR(chapter(at(&d, 29)), "I");
    CHECK_STR(chapter(at(&d, 62)), "I");
    CHECK_STR(chapter(at(&d, 770)), "XI");
    CHECK(at(&d, 9)->chapter == NULL);
    unload(&d);
}

/* ---- the recommendations document ----------------------------------------------------- */

static void test_recommendations(void)
{
    const lzi_entities *e;
    edoc d;

    CHECK_RC(load(&d, "lanzarote-recommendations-finland.txt"), LZ_OK);

    /* row IV-6: its own recommendation, required of the Parties footnote 169 lists */
    e = at(&d, 87);
    CHECK_STR(e->rec_self, "IV-6");
    CHECK(strs_are(e->recs, e->n_recs, "IV-6"));
    CHECK_STR(level(e), "require");
    CHECK(strs_are(e->addressed, e->n_addressed, fn169));
    CHECK(!has_str(e->addressed, e->n_addressed, "bulgaria"));
    CHECK(strs_are(e->articles, e->n_articles, "18 19 20(1)(a) 21"));
    CHECK_STR(chapter(e), "IV");

    /* row IV-5 and the Parties of footnote 166 (Bulgaria among them) */
    e = at(&d, 85);
    CHECK_STR(e->rec_self, "IV-5");
    CHECK_STR(level(e), "require");
    CHECK(strs_are(e->addressed, e->n_addressed, fn166));
    CHECK(strs_are(e->countries, e->n_countries, fn166));

    /* row III-1: "requests Liechtenstein and San Marino to ..." */
    e = at(&d, 33);
    CHECK_STR(e->rec_self, "III-1");
    CHECK_STR(level(e), "request");
    CHECK(strs_are(e->addressed, e->n_addressed, "liechtenstein san-marino"));
    CHECK_STR(chapter(e), "III");
    e = at(&d, 35);                         /* "invites Bosnia and Herzegovina to" */
    CHECK_STR(level(e), "invite");
    CHECK(strs_are(e->addressed, e->n_addressed, "bosnia-and-herzegovina"));
    e = at(&d, 43);
    CHECK(strs_are(e->addressed, e->n_addressed,
                   "bulgaria czech-republic denmark estonia monaco montenegro netherlands "
                   "romania switzerland ukraine"));
    e = at(&d, 96);                         /* "... Monaco and the Russian Federation to" */
    CHECK(strs_are(e->addressed, e->n_addressed, "bulgaria hungary monaco russian-federation"));
    CHECK(strs_are(e->articles, e->n_articles, "20(4) 20(1)(f)"));   /* "Article 20(1),f." */
    e = at(&d, 98);
    CHECK(strs_are(e->articles, e->n_articles, "21(2) 21(1)(c)"));   /* "Article 21(1) c." */

    /* "Parties which have made a reservation ... ¹⁶⁴" */
    e = at(&d, 83);
    CHECK_STR(level(e), "invite");
    CHECK(strs_are(e->articles, e->n_articles, "25(3) 25(1)(e)"));
    CHECK(strs_are(e->addressed, e->n_addressed,
                   "germany hungary latvia montenegro poland russian-federation slovenia "
                   "switzerland"));

    /* "requests that Parties ensure": a level, no one in particular */
    e = at(&d, 21);
    CHECK_STR(e->rec_self, "II-6");
    CHECK_STR(level(e), "request");
    CHECK_EQ(e->n_addressed, 0);

    /* four recommendations run together in one paragraph */
    e = at(&d, 17);
    CHECK_STR(e->rec_self, "II-1");
    CHECK(strs_are(e->recs, e->n_recs, "II-1 II-2 II-3 II-4"));
    CHECK_STR(level(e), "invite");
    CHECK_STR(chapter(e), "II");

    e = at(&d, 19);                         /* "para 129 of the ... Explanatory Report" */
    CHECK(paras_are(e, "129"));
    CHECK_STR(level(e), "require");
    e = at(&d, 37);
    CHECK(paras_are(e, "235"));

    /* V-19 stands under its own heading "Recommendation V-19" */
    e = at(&d, 122);
    CHECK_STR(e->rec_self, "V-19");
    CHECK(strs_are(e->recs, e->n_recs, "V-19"));
    CHECK_STR(level(e), "invite");
    CHECK_STR(chapter(e), "V");

    /* "Recommendations VI-4" (with extraction debris) citing VI-3 */
    e = at(&d, 131);
    CHECK_STR(e->rec_self, "VI-4");
    CHECK(strs_are(e->recs, e->n_recs, "VI-4 VI-3"));
    CHECK_STR(level(e), "invite");

    /* the Parties of four footnotes, one per list item */
    e = at(&d, 192);
    CHECK_STR(e->rec_self, "X-5");
    CHECK(has_str(e->addressed, e->n_addressed, "bulgaria"));
    CHECK(has_str(e->addressed, e->n_addressed, "hungary"));   /* only in footnote 288 */
    CHECK(has_str(e->addressed, e->n_addressed, "france"));    /* only in 286, 287 */

    /* the legend "Require Recommendations to all Parties, including Finland" is no verb */
    e = at(&d, 7);
    CHECK_EQ(e->level, LZI_LEVEL_NONE);
    CHECK(strs_are(e->countries, e->n_countries, "finland"));
    CHECK_EQ(e->n_addressed, 0);
    CHECK(at(&d, 1)->chapter == NULL);
    CHECK_STR(chapter(at(&d, 212)), "XI");
    unload(&d);
}

/* ---- the thematic factsheets and the baseline mapping ---------------------------------- */

static void test_other_documents(void)
{
    const lzi_entities *e;
    edoc d;

    CHECK_RC(load(&d, "lanzarote-factsheet-civil-society.txt"), LZ_OK);
    e = at(&d, 90);                         /* footnote 3 lists the Parties, 4 the number */
    CHECK_STR(level(e), "require");
    CHECK(strs_are(e->recs, e->n_recs, "VII-1"));
    CHECK(strs_are(e->addressed, e->n_addressed,
                   "albania greece latvia montenegro north-macedonia san-marino "
                   "slovak-republic turkey"));
    e = with_text(&d, "Only a minority of co-operation projects");  /* footnote 2: prose */
    CHECK(strs_are(e->countries, e->n_countries, "albania latvia"));
    CHECK_EQ(e->n_addressed, 0);
    CHECK_EQ(e->level, LZI_LEVEL_NONE);
    e = at(&d, 129);                        /* "The Lanzarote Committee invites all Parties to:" */
    CHECK_STR(level(e), "invite");
    e = at(&d, 131);
    CHECK_STR(level(e), "invite");
    CHECK(strs_are(e->recs, e->n_recs, "VII-5"));
    CHECK(e->chapter == NULL);              /* its headings are not numbered */
    unload(&d);

    CHECK_RC(load(&d, "lanzarote-factsheet-assistance-to-victims.txt"), LZ_OK);
    e = at(&d, 117);
    CHECK_STR(level(e), "require");
    CHECK(strs_are(e->recs, e->n_recs, "VI-3"));   /* footnotes 7 and 8 both name it */
    CHECK_EQ(e->n_addressed, 22);
    CHECK(has_str(e->addressed, e->n_addressed, "finland"));
    CHECK(has_str(e->addressed, e->n_addressed, "turkey"));
    CHECK(has_str(e->countries, e->n_countries, "republic-of-moldova"));
    e = at(&d, 60);                         /* "Article 11, paragraph 1" */
    CHECK(strs_are(e->articles, e->n_articles, "11"));
    CHECK(paras_are(e, "1"));
    e = with_text(&d, "only one Party (Hungary)");
    CHECK(strs_are(e->countries, e->n_countries, "hungary"));
    unload(&d);

    CHECK_RC(load(&d, "endocsea-baseline-mapping-2019.txt"), LZ_OK);
    e = at(&d, 158);                        /* "(Articles 18-29 Lanzarote Convention, Article 9
                                               Budapest Convention ...)" */
    CHECK(strs_are(e->articles, e->n_articles, "18 19 20 21 22 23 24 25 26 27 28 29"));
    e = at(&d, 530);                        /* "... and Article 9 of the Budapest Convention" */
    CHECK_EQ(e->n_articles, 12);
    CHECK(!has_str(e->articles, e->n_articles, "9"));
    CHECK_STR(chapter(e), "3");
    e = at(&d, 974);                        /* "Article 11.1 of the Lanzarote Convention" */
    CHECK(strs_are(e->articles, e->n_articles, "11(1)"));
    CHECK_STR(chapter(e), "6");
    e = with_text(&d, "Article 34 of the UNCRC");
    CHECK_EQ(e->n_articles, 0);
    CHECK_STR(chapter(at(&d, 271)), "1");
    CHECK_STR(chapter(at(&d, 1199)), "8");
    e = with_text(&d, "REPUBLIC OF MOLDOVA");   /* its tables write names in capitals */
    CHECK(strs_are(e->countries, e->n_countries, "republic-of-moldova"));
    CHECK_EQ(e->n_addressed, 0);
    e = with_text(&d, "Participants for the 2019 action hailed from Australia");
    CHECK(has_str(e->countries, e->n_countries, "australia"));
    CHECK(has_str(e->countries, e->n_countries, "canada"));
    CHECK(has_str(e->countries, e->n_countries, "bosnia-and-herzegovina"));
    CHECK_EQ(e->level, LZI_LEVEL_NONE);
    unload(&d);
}

/* Over all five documents: every string array is well formed, values are unique, addressees
 * are among the countries, a level goes with every addressee list. */
static void test_invariants(void)
{
    static const char *const files[] = {
        "lanzarote-factsheet-bulgaria.txt",
        "lanzarote-recommendations-finland.txt",
        "endocsea-baseline-mapping-2019.txt",
        "lanzarote-factsheet-civil-society.txt",
        "lanzarote-factsheet-assistance-to-victims.txt",
    };
    size_t f, i, j, k, bad_unique = 0, bad_subset = 0, bad_level = 0, bad_slug = 0;

    for (f = 0; f < sizeof files / sizeof files[0]; f++) {
        edoc d;
        if (load(&d, files[f]) != LZ_OK) {
            CHECK(0);
            continue;
        }
        for (i = 0; i < d.doc.n_passages; i++) {
            const lzi_entities *e = &d.ent[i];
            for (j = 0; j < e->n_recs; j++) {
                for (k = j + 1; k < e->n_recs; k++)
                    bad_unique += strcmp(e->recs[j], e->recs[k]) == 0;
            }
            for (j = 0; j < e->n_countries; j++) {
                bad_slug += lzi_country_name(e->countries[j]) == NULL;
                for (k = j + 1; k < e->n_countries; k++)
                    bad_unique += strcmp(e->countries[j], e->countries[k]) == 0;
            }
            for (j = 0; j < e->n_addressed; j++)
                bad_subset += !has_str(e->countries, e->n_countries, e->addressed[j]);
            bad_level += e->n_addressed > 0 && e->level == LZI_LEVEL_NONE;
            if (e->rec_self != NULL)
                bad_subset += !has_str(e->recs, e->n_recs, e->rec_self);
        }
        unload(&d);
    }
    CHECK_EQ(bad_unique, 0);
    CHECK_EQ(bad_subset, 0);
    CHECK_EQ(bad_level, 0);
    CHECK_EQ(bad_slug, 0);
}

/* ---- the country table ------------------------------------------------------------------ */

static void test_countries(void)
{
    /* every slug: its name, and the name found in text and by lookup */
    static const char *const slugs[] = {
        "albania", "andorra", "armenia", "australia", "austria", "azerbaijan", "belgium",
        "bosnia-and-herzegovina", "bulgaria", "canada", "croatia", "cyprus", "czech-republic",
        "denmark", "estonia", "finland", "france", "georgia", "germany", "greece", "hungary",
        "iceland", "ireland", "italy", "latvia", "liechtenstein", "lithuania", "luxembourg",
        "malta", "monaco", "montenegro", "netherlands", "new-zealand", "north-macedonia",
        "norway", "poland", "portugal", "republic-of-moldova", "romania", "russian-federation",
        "san-marino", "serbia", "slovak-republic", "slovenia", "spain", "sweden", "switzerland",
        "tunisia", "turkey", "ukraine", "united-kingdom", "united-states",
    };
    /* every variant as written, with its slug */
    static const char *const variants[][2] = {
        {"Bosnia & Herzegovina", "bosnia-and-herzegovina"},
        {"Bosnia-Herzegovina", "bosnia-and-herzegovina"},
        {"Czechia", "czech-republic"}, {"England", "united-kingdom"},
        {"Great Britain", "united-kingdom"}, {"Macedonia", "north-macedonia"},
        {"Moldova", "republic-of-moldova"}, {"Northern Ireland", "united-kingdom"},
        {"Russia", "russian-federation"}, {"Scotland", "united-kingdom"},
        {"Slovakia", "slovak-republic"}, {"Turkey", "turkey"}, {"Türkiye", "turkey"},
        {"UK", "united-kingdom"}, {"United States of America", "united-states"},
        {"US", "united-states"}, {"USA", "united-states"}, {"Wales", "united-kingdom"},
        {"BULGARIA", "bulgaria"}, {"NORTH MACEDONIA", "north-macedonia"},
    };
    /* found in text: (text, offset, slug or NULL, length) */
    static const struct {
        const char *text;
        size_t off;
        const char *slug;
        size_t len;
    } in_text[] = {
        {"Bulgaria", 0, "bulgaria", 8},
        {"Bulgaria's law", 0, "bulgaria", 8},
        {"Bulgaria\xE2\x80\x99s law", 0, "bulgaria", 8},          /* ’ */
        {"Bulgarian law", 0, NULL, 0},
        {"the Netherlands.", 4, "netherlands", 11},
        {"Republic of Moldova and", 0, "republic-of-moldova", 19},
        {"Republic of Bulgaria", 0, NULL, 0},                    /* "Bulgaria" at 12 is */
        {"Republic of Bulgaria", 12, "bulgaria", 8},
        {"Northern Ireland", 0, "united-kingdom", 16},
        {"United States of America", 0, "united-states", 24},
        {"United States law", 0, "united-states", 13},
        {"United Kingdom", 0, "united-kingdom", 14},
        {"United Nations", 0, NULL, 0},
        {"US-based platforms", 0, "united-states", 2},
        {"turkey", 0, NULL, 0},
        {"georgia", 0, NULL, 0},
        {"Georgia", 0, "georgia", 7},
        {"Us", 0, NULL, 0},
        {"Slovak law", 0, NULL, 0},
        {"Slovak Republic", 0, "slovak-republic", 15},
        {"Bosnia and", 0, NULL, 0},
        {"Finland ,", 0, "finland", 7},
        {"Türkiyeli", 0, NULL, 0},
        {"San Marino\xC2\xB9", 0, "san-marino", 10},                /* ¹ follows */
        {"Ukraine2", 0, NULL, 0},
        {"Lanzarote", 0, NULL, 0},
        {"", 0, NULL, 0},
    };
    const char *slug;
    size_t i, n;

    for (i = 0; i < sizeof slugs / sizeof slugs[0]; i++) {
        const char *name = lzi_country_name(slugs[i]);
        CHECK(name != NULL);
        if (name == NULL)
            continue;
        CHECK_STR(lzi_country_lookup(name, strlen(name)), slugs[i]);
        CHECK_STR(lzi_country_lookup(slugs[i], strlen(slugs[i])), slugs[i]);
        slug = NULL;
        n = lzi_country_at(name, strlen(name), 0, &slug);
        CHECK_EQ(n, strlen(name));
        CHECK_STR(slug, slugs[i]);
    }
    CHECK_EQ(sizeof slugs / sizeof slugs[0], 46 + 6);    /* members, RU, TN, AU, CA, NZ, US */
    for (i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        slug = NULL;
        n = lzi_country_at(variants[i][0], strlen(variants[i][0]), 0, &slug);
        CHECK_EQ(n, strlen(variants[i][0]));
        CHECK_STR(slug, variants[i][1]);
        CHECK_STR(lzi_country_lookup(variants[i][0], strlen(variants[i][0])), variants[i][1]);
    }
    for (i = 0; i < sizeof in_text / sizeof in_text[0]; i++) {
        slug = NULL;
        n = lzi_country_at(in_text[i].text, strlen(in_text[i].text), in_text[i].off, &slug);
        if (n != in_text[i].len)
            fprintf(stderr, "  country in \"%s\" at %zu\n", in_text[i].text, in_text[i].off);
        CHECK_EQ(n, in_text[i].len);
        if (in_text[i].slug != NULL)
            CHECK_STR(slug, in_text[i].slug);
    }
    CHECK_EQ(lzi_country_at(NULL, 0, 0, &slug), 0);
    CHECK_EQ(lzi_country_at("Malta", 5, 5, &slug), 0);  /* offset at the end */
    CHECK_EQ(lzi_country_at("Malta", 3, 0, &slug), 0);  /* the length bounds the name */

    /* query side */
    CHECK_STR(lzi_country_lookup("Türkiye", strlen("Türkiye")), "turkey");
    CHECK_STR(lzi_country_lookup("türkiye", strlen("türkiye")), "turkey");
    CHECK_STR(lzi_country_lookup("TURKIYE", 7), "turkey");
    CHECK_STR(lzi_country_lookup("turkey", 6), "turkey");
    CHECK_STR(lzi_country_lookup("the Netherlands", 15), "netherlands");
    CHECK_STR(lzi_country_lookup("The-Netherlands", 15), "netherlands");
    CHECK_STR(lzi_country_lookup("moldova", 7), "republic-of-moldova");
    CHECK_STR(lzi_country_lookup("Republic of Moldova", 19), "republic-of-moldova");
    CHECK_STR(lzi_country_lookup("north_macedonia", 15), "north-macedonia");
    CHECK_STR(lzi_country_lookup("  San   Marino ", 15), "san-marino");
    CHECK_STR(lzi_country_lookup("bosnia & herzegovina", 20), "bosnia-and-herzegovina");
    CHECK_STR(lzi_country_lookup("uk", 2), "united-kingdom");
    CHECK_STR(lzi_country_lookup("Czechia", 7), "czech-republic");
    CHECK_STR(lzi_country_lookup("slovakia", 8), "slovak-republic");
    CHECK_STR(lzi_country_lookup("russia", 6), "russian-federation");
    CHECK(lzi_country_lookup("the", 3) == NULL);
    CHECK(lzi_country_lookup("narnia", 6) == NULL);
    CHECK(lzi_country_lookup("", 0) == NULL);
    CHECK(lzi_country_lookup(" - ", 3) == NULL);
    CHECK(lzi_country_lookup(NULL, 0) == NULL);
    CHECK(lzi_country_lookup("bulgaria-bulgaria-bulgaria-bulgaria-bulgaria-bulgaria-bulgaria-b",
                             65) == NULL);                  /* longer than any name */
    CHECK(lzi_country_lookup("Bulgaria\0x", 10) == NULL);   /* a NUL is no separator */
    CHECK_STR(lzi_country_lookup("Bulgaria\0x", 8), "bulgaria");
    CHECK_STR(lzi_country_name("turkey"), "Türkiye");
    {
        /* the names of the whole country, as written: every slug's own name among them */
        const char *forms[8];
        size_t k, own;
        CHECK_EQ(lzi_country_forms("turkey", forms, 8), 2);
        CHECK_STR(forms[0], "Turkey");
        CHECK_STR(forms[1], "Türkiye");
        n = lzi_country_forms("united-kingdom", forms, 8);
        CHECK_EQ(n, 3);                 /* Great Britain, UK, United Kingdom */
        for (k = 0; k < n; k++)
            CHECK(strcmp(forms[k], "Scotland") != 0 && strcmp(forms[k], "Wales") != 0);
        CHECK_EQ(lzi_country_forms("united-kingdom", forms, 1), 1);
        CHECK_EQ(lzi_country_forms("narnia", forms, 8), 0);
        CHECK_EQ(lzi_country_forms(NULL, forms, 8), 0);
        for (i = 0; i < sizeof slugs / sizeof slugs[0]; i++) {
            n = lzi_country_forms(slugs[i], forms, 8);
            for (k = 0, own = 0; k < n; k++)
                own += strcmp(forms[k], lzi_country_name(slugs[i])) == 0;
            CHECK_EQ(own, 1);
        }
    }
    CHECK_STR(lzi_country_name("republic-of-moldova"), "Republic of Moldova");
    CHECK(lzi_country_name("moldova") == NULL);             /* names take slugs only */
    CHECK(lzi_country_name("") == NULL);
    CHECK(lzi_country_name(NULL) == NULL);

    CHECK_STR(lzi_level_name(LZI_LEVEL_INVITE), "invite");
    CHECK_STR(lzi_level_name(LZI_LEVEL_REQUEST), "request");
    CHECK_STR(lzi_level_name(LZI_LEVEL_REQUIRE), "require");
    CHECK(lzi_level_name(LZI_LEVEL_NONE) == NULL);
    CHECK(lzi_level_name((lzi_level)42) == NULL);
}

/* ---- synthetic documents: each rule alone ------------------------------------------------ */

static void test_rules(void)
{
    const lzi_entities *e;
    edoc d;

    CHECK_RC(load_str(&d,
                      "# IV. Jurisdiction\n\n"
                      "See Recommendations VI-1 to VI-3 and recommendations ii-8 and II-9.\n\n"
                      "Recommendation XL-1, Recommendation IIII-2, Recommendation IV 6 and "
                      "Recommendation IV-6a are no numbers; Recommendation VI-1 to VI-90 is no "
                      "range.\n\n"
                      "Articles 18 to 20, Article 25(1)(d), (e) and 25(4), Art. 25(2), "
                      "Article 25(1) (a-c), Article 18 (sexual abuse), Articles 3 to 6 of the "
                      "Criminal Code.\n\n"
                      "Para.71, Paras. 72, 73, para 235 and paragraphs 3-5 and paragraph 1 to "
                      "900; separate 12.\n"),
             LZ_OK);
    e = at(&d, 3);
    CHECK(strs_are(e->recs, e->n_recs, "VI-1 VI-2 VI-3 II-8 II-9"));
    CHECK(e->rec_self == NULL);
    CHECK_STR(chapter(e), "IV");
    e = at(&d, 5);
    CHECK(strs_are(e->recs, e->n_recs, "VI-1 VI-90"));
    e = at(&d, 7);
    CHECK(strs_are(e->articles, e->n_articles,
                   "18 19 20 25(1)(d) 25(1)(e) 25(4) 25(2) 25(1)(a) 25(1)(b) 25(1)(c)"));
    e = at(&d, 9);
    CHECK(paras_are(e, "71 72 73 235 3 4 5 1 900"));
    unload(&d);

    /* verbs, subjects, lead-ins */
    CHECK_RC(load_str(&d,
                      "## 2. Chapter two\n\n"
                      "The Convention requires Parties to act. US legislation requires "
                      "reports.\n\n"
                      "The Committee therefore **requests** Malta and the Netherlands:\n\n"
                      "- to do this;\n"
                      "- and that:\n"
                      "  - nested\n\n"
                      "Then a paragraph naming Malta.\n\n"
                      "- an item after it\n\n"
                      "The Lanzarote Committee invites all Parties, including Bulgaria, "
                      "Türkiye and the UK, to act; it also requires Cyprus to act.\n\n"
                      "It also invites Spain:\n\n"
                      "### Another section\n\n"
                      "- not under the lead-in\n\n"
                      "The Committee requests those Parties that are not yet doing so<sup>7</sup> "
                      "to act.\n\n"
                      "<sup>7</sup> Albania, Belgium (Flemish community) and Monaco.\n\n"
                      "The Committee requests Parties<sup>8</sup> to act.\n\n"
                      "<sup>8</sup> This is the case in Albania and Latvia.\n"),
             LZ_OK);
    e = at(&d, 3);
    CHECK_EQ(e->level, LZI_LEVEL_NONE);
    CHECK(strs_are(e->countries, e->n_countries, "united-states"));
    CHECK_STR(chapter(e), "2");
    e = at(&d, 5);
    CHECK_STR(level(e), "request");
    CHECK(strs_are(e->addressed, e->n_addressed, "malta netherlands"));
    e = at(&d, 7);
    CHECK_STR(level(e), "request");
    CHECK(strs_are(e->addressed, e->n_addressed, "malta netherlands"));
    CHECK(strs_are(e->countries, e->n_countries, "malta netherlands"));
    e = at(&d, 9);
    CHECK_STR(level(e), "request");
    e = at(&d, 11);
    CHECK_EQ(e->level, LZI_LEVEL_NONE);
    CHECK(strs_are(e->countries, e->n_countries, "malta"));
    e = at(&d, 13);
    CHECK_EQ(e->level, LZI_LEVEL_NONE);
    CHECK_EQ(e->n_addressed, 0);
    e = at(&d, 15);                         /* "it also" mid-sentence is no subject */
    CHECK_STR(level(e), "invite");
    CHECK(strs_are(e->addressed, e->n_addressed, "bulgaria turkey united-kingdom"));
    e = at(&d, 17);
    CHECK_STR(level(e), "invite");
    e = at(&d, 21);                         /* another section: not under "invites Spain:" */
    CHECK_EQ(e->level, LZI_LEVEL_NONE);
    CHECK_EQ(e->n_addressed, 0);
    e = at(&d, 23);
    CHECK_STR(level(e), "request");
    CHECK(strs_are(e->addressed, e->n_addressed, "albania belgium monaco"));
    e = at(&d, 27);                         /* no "those", no "that": and prose in the note */
    CHECK_STR(level(e), "request");
    CHECK_EQ(e->n_addressed, 0);
    CHECK(strs_are(e->countries, e->n_countries, "albania latvia"));
    unload(&d);

    /* table rows and headings stating a recommendation */
    CHECK_RC(load_str(&d,
                      "III. Investigations and prosecution\n\n"
                      "| Recommendation III-1 | The Lanzarote Committee requires Liechtenstein "
                      "to act. |\n"
                      "|---|---|\n"
                      "| Recommendation III-2 | The Lanzarote Committee invites Parties. |\n\n"
                      "### Recommendation V-19\n\n"
                      "The Lanzarote Committee invites **all Parties** to act.\n\n"
                      "It is under the heading too.\n\n"
                      "### Other\n\n"
                      "Recommendations V-6, V-11 are cited here.\n"),
             LZ_OK);
    e = at(&d, 3);
    CHECK_STR(e->rec_self, "III-1");
    CHECK_STR(level(e), "require");
    CHECK(strs_are(e->addressed, e->n_addressed, "liechtenstein"));
    CHECK_STR(chapter(e), "III");
    e = at(&d, 5);
    CHECK_STR(e->rec_self, "III-2");
    CHECK_STR(level(e), "invite");
    e = at(&d, 9);
    CHECK_STR(e->rec_self, "V-19");
    e = at(&d, 11);                         /* every paragraph under the heading states it */
    CHECK_STR(e->rec_self, "V-19");
    e = at(&d, 15);
    CHECK(e->rec_self == NULL);
    CHECK(strs_are(e->recs, e->n_recs, "V-6 V-11"));
    unload(&d);
}

/* ---- robustness ------------------------------------------------------------------------- */

static void test_robustness(void)
{
    static const char *const odd[] = {
        "", "\n", "Recommendation", "Recommendation ", "Recommendation IV-",
        "Recommendations I-1 to", "Article", "Article 1(", "Article 1((((", "Article 1(a-", "Art.", "Para.",
        "Paras. 1,", "paragraph 99999999999", "The Committee requires", "It invites ",
        "The Committee invites the", "The Committee invites all Parties, including",
        "The Committee requests Bulgaria, and", "\xC3", "Bulgaria\xC3", "T\xC3\xBCrkiye",
        "Recommendation IV\xE2\x80", "Article 20(1),", "Article 20(1) c", "Committee ,,,, invites",
        "## I.\n\n- The Committee invites Malta:\n- x:\n- y",
    };
    lzi_entities *out;
    lzi_document doc = LZI_DOCUMENT_INIT;
    lzi_buf big = LZI_BUF_INIT;
    size_t i;
    edoc d;

    for (i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        CHECK_RC(load_str(&d, odd[i]), LZ_OK);
        unload(&d);
    }
    /* an empty document: no entries, nothing to free */
    CHECK_RC(lzi_parse(&doc, "", 0, "empty"), LZ_OK);
    out = (lzi_entities *)&doc;             /* overwritten */
    CHECK_RC(lzi_entities_extract(&out, &doc), LZ_OK);
    CHECK(out == NULL);
    lzi_entities_free(out, 0);
    lzi_entities_free(NULL, 5);
    lzi_document_dispose(&doc);
    CHECK_RC(lzi_entities_extract(&out, NULL), LZ_EINVAL);
    CHECK(out == NULL);
    CHECK_RC(lzi_entities_extract(NULL, &doc), LZ_EINVAL);

    /* one passage of some megabytes: many verbs, lists, ranges and countries, few distinct */
    for (i = 0; i < 20000; i++) {
        if (lzi_buf_puts(&big, "The Committee also invites Malta, Monaco and the Netherlands "
                               "to act; Recommendations I-1 to I-50, Articles 1 to 50 and "
                               "Paras. 1-50 invites invites Bulgaria ") != LZ_OK)
            break;
    }
    CHECK_RC(lzi_buf_puts(&big, "end.\n"), LZ_OK);
    CHECK_RC(load_str(&d, big.ptr), LZ_OK);
    CHECK_EQ(d.doc.n_passages, 1);
    if (d.ent != NULL && d.doc.n_passages == 1) {
        const lzi_entities *e = &d.ent[0];
        CHECK_EQ(e->n_recs, 50);
        CHECK_EQ(e->n_articles, 50);
        CHECK_EQ(e->n_paras, 50);
        CHECK(strs_are(e->countries, e->n_countries, "malta monaco netherlands bulgaria"));
        CHECK(strs_are(e->addressed, e->n_addressed, "malta monaco netherlands"));
        CHECK_STR(level(e), "invite");
    }
    unload(&d);
    lzi_buf_dispose(&big);

    /* a long run of letters, digits and brackets without a space */
    for (i = 0; i < 200000; i++)
        lzi_buf_puts(&big, i % 3 ? "Article1(" : "IV-1Recommendation");
    CHECK_RC(load_str(&d, big.ptr), LZ_OK);
    unload(&d);
    lzi_buf_dispose(&big);
}

/* Every allocation failing in turn: LZ_ENOMEM or success, nothing leaks (ASan checks). */
static void test_alloc_failures(void)
{
    static const char *const text =
        "## IV. Jurisdiction\n\n"
        "The Committee invites all Parties, including Bulgaria:\n\n"
        "- to act.<sup>1</sup>\n\n"
        "| Recommendation IV-6 | The Lanzarote Committee requires those Parties that are not yet "
        "doing so<sup>2</sup> to act (Article 20(1)(a)), Para.71. |\n\n"
        "<sup>1</sup> Recommendations IV-1 to IV-3.\n\n"
        "<sup>2</sup> Albania, Cyprus and Malta.\n";
    lzi_document doc = LZI_DOCUMENT_INIT;
    lzi_entities *out = NULL;
    size_t k, failures = 0;
    int rc = LZ_ENOMEM;

    CHECK_RC(lzi_parse(&doc, text, strlen(text), "alloc"), LZ_OK);
    for (k = 0; k < 1000 && rc != LZ_OK; k++) {
        lzi_alloc_fail_after(k);
        rc = lzi_entities_extract(&out, &doc);
        lzi_alloc_fail_after((size_t)-1);
        if (rc == LZ_OK)
            break;
        failures += rc != LZ_ENOMEM || out != NULL;
    }
    CHECK_EQ(failures, 0);
    CHECK_RC(rc, LZ_OK);
    CHECK(k > 5);                           /* the failures were real */
    if (out != NULL) {
        CHECK(strs_are(out[1].addressed, out[1].n_addressed, "bulgaria"));
        CHECK(strs_are(out[1].recs, out[1].n_recs, "IV-1 IV-2 IV-3"));
        CHECK(strs_are(out[2].addressed, out[2].n_addressed, "albania cyprus malta"));
    }
    lzi_entities_free(out, doc.n_passages);
    lzi_document_dispose(&doc);
}

/* One text read as a passage's own text (the query side): references and countries, no
 * context; another instrument's article is not the Convention's; every allocation failure is
 * LZ_ENOMEM with nothing out. */
static void test_of_text(void)
{
    static const char *const text = "Articles 18 to 20 and Art. 25(1)(d), (e), Paras. 72, 73, "
                                     "Recommendation IV-6, Article 9 of the Budapest Convention, "
                                     "Bulgaria";
    lzi_entities *e = NULL;
    size_t k, failures = 0;
    int rc = LZ_ENOMEM;

    CHECK_RC(lzi_entities_of_text(&e, text, strlen(text)), LZ_OK);
    if (e != NULL) {
        CHECK(strs_are(e->articles, e->n_articles, "18 19 20 25(1)(d) 25(1)(e)"));
        CHECK(e->n_paras == 2 && e->paras[0] == 72 && e->paras[1] == 73);
        CHECK(strs_are(e->recs, e->n_recs, "IV-6"));
        CHECK(strs_are(e->countries, e->n_countries, "bulgaria"));
        CHECK(e->level == LZI_LEVEL_NONE && e->rec_self == NULL && e->chapter == NULL);
    }
    lzi_entities_free(e, 1);
    CHECK_RC(lzi_entities_of_text(&e, "", 0), LZ_OK);
    CHECK(e != NULL && e->n_articles == 0 && e->n_paras == 0 && e->n_recs == 0);
    lzi_entities_free(e, 1);
    CHECK_RC(lzi_entities_of_text(NULL, "x", 1), LZ_EINVAL);
    for (k = 0; k < 1000 && rc != LZ_OK; k++) {
        lzi_alloc_fail_after(k);
        rc = lzi_entities_of_text(&e, text, strlen(text));
        lzi_alloc_fail_after((size_t)-1);
        if (rc == LZ_OK)
            break;
        failures += rc != LZ_ENOMEM || e != NULL;
    }
    CHECK_EQ(failures, 0);
    CHECK_RC(rc, LZ_OK);
    CHECK(k > 3);
    lzi_entities_free(e, 1);
}

int main(void)
{
    test_of_text();
    test_bulgaria();
    test_recommendations();
    test_other_documents();
    test_invariants();
    test_countries();
    test_rules();
    test_robustness();
    test_alloc_failures();
    return lzt_finish();
}
