/* Unit tests of the passage parser (indexer/parse.c, indexer/markup.c) on the bundled corpus
 * (LZ_TEST_CORPUS) and on synthetic inputs: passages and their line ranges, page-break joins,
 * footnotes in text and in table cells, section paths, titles, the document model over all five
 * files, the inline-markup cleaner, limits, robustness and allocation failures. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "lz_parse.h"

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

static const char *const corpus_files[] = {
    "lanzarote-factsheet-bulgaria.txt",
    "lanzarote-recommendations-finland.txt",
    "endocsea-baseline-mapping-2019.txt",
    "lanzarote-factsheet-civil-society.txt",
    "lanzarote-factsheet-assistance-to-victims.txt",
};

/* ---- helpers ------------------------------------------------------------------------------ */

static int read_corpus(lzi_buf *b, const char *file)
{
    char path[1024];
    FILE *fp;
    int rc;

    snprintf(path, sizeof path, "%s/%s", LZ_TEST_CORPUS, file);
    if ((fp = fopen(path, "rb")) == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return LZ_EIO;
    }
    rc = lzi_buf_read_all(b, fp, (size_t)1 << 26, path);
    fclose(fp);
    if (rc == LZ_OK)
        rc = lzi_buf_append(b, "", 0);  /* terminated even when empty */
    return rc;
}

/* Parse a corpus file into *doc (and keep its bytes in *src when src is not NULL). */
static int parse_corpus(lzi_document *doc, lzi_buf *src, const char *file)
{
    lzi_buf b = LZI_BUF_INIT;
    int rc = read_corpus(&b, file);
    if (rc == LZ_OK)
        rc = lzi_parse(doc, b.ptr, b.len, file);
    if (rc != LZ_OK)
        fprintf(stderr, "%s: %s\n", file, lz_last_error());
    if (src != NULL)
        *src = b;
    else
        lzi_buf_dispose(&b);
    return rc;
}

static int parse_str(lzi_document *doc, const char *s)
{
    return lzi_parse(doc, s, strlen(s), "test");
}

/* The passage that starts at line `first`, or NULL (with a message). */
static const lzi_passage *at_line(const lzi_document *doc, unsigned first)
{
    size_t i;
    for (i = 0; i < doc->n_passages; i++) {
        if (doc->passages[i].first_line == first)
            return &doc->passages[i];
    }
    fprintf(stderr, "no passage starts at line %u\n", first);
    return NULL;
}

/* The passage whose range holds `line`, or NULL. */
static const lzi_passage *covering(const lzi_document *doc, unsigned line)
{
    size_t i;
    for (i = 0; i < doc->n_passages; i++) {
        if (doc->passages[i].first_line <= line && line <= doc->passages[i].last_line)
            return &doc->passages[i];
    }
    return NULL;
}

/* Do the passage's notes equal the n numbers given? */
static int notes_are(const lzi_passage *p, size_t n, ...)
{
    va_list ap;
    size_t i;
    int same = p != NULL && p->n_notes == n;

    va_start(ap, n);
    for (i = 0; i < n; i++) {
        unsigned want = va_arg(ap, unsigned);
        if (same && p->notes[i] != want)
            same = 0;
    }
    va_end(ap);
    if (!same && p != NULL) {
        fprintf(stderr, "  notes of %u-%u:", p->first_line, p->last_line);
        for (i = 0; i < p->n_notes; i++)
            fprintf(stderr, " %u", p->notes[i]);
        fprintf(stderr, "\n");
    }
    return same;
}

/* Is the section path of p exactly the n strings given? */
static int section_is(const lzi_passage *p, size_t n, ...)
{
    va_list ap;
    size_t i;
    int same = p != NULL && p->n_section == n;

    va_start(ap, n);
    for (i = 0; i < n; i++) {
        const char *want = va_arg(ap, const char *);
        if (same && strcmp(p->section[i], want) != 0)
            same = 0;
    }
    va_end(ap);
    if (!same && p != NULL) {
        fprintf(stderr, "  section of %u-%u:", p->first_line, p->last_line);
        for (i = 0; i < p->n_section; i++)
            fprintf(stderr, " [%s]", p->section[i]);
        fprintf(stderr, "\n");
    }
    return same;
}

static const char *last_section(const lzi_passage *p)
{
    return p != NULL && p->n_section > 0 ? p->section[p->n_section - 1] : "";
}

static int contains(const char *text, const char *needle)
{
    return text != NULL && strstr(text, needle) != NULL;
}

static int starts(const char *text, const char *prefix)
{
    return text != NULL && strncmp(text, prefix, strlen(prefix)) == 0;
}

static int ends(const char *text, const char *suffix)
{
    size_t n = text != NULL ? strlen(text) : 0, m = strlen(suffix);
    return n >= m && strcmp(text + n - m, suffix) == 0;
}

static const char *ptext(const lzi_passage *p)
{
    return p != NULL ? p->text : NULL;
}

/* The footnote numbered n that a passage starting at line `near` cites. */
static const lzi_footnote *note(const lzi_document *doc, unsigned n, unsigned near)
{
    const lzi_footnote *f = lzi_document_footnote(doc, n, near);
    if (f == NULL)
        fprintf(stderr, "no footnote %u near line %u\n", n, near);
    return f;
}

/* ---- the five documents ------------------------------------------------------------------ */

static void test_bulgaria(void)
{
    lzi_document doc = LZI_DOCUMENT_INIT;
    const lzi_passage *p;
    const lzi_footnote *f;
    size_t i, k;

    CHECK_RC(parse_corpus(&doc, NULL, "lanzarote-factsheet-bulgaria.txt"), LZ_OK);
    CHECK_STR(doc.title, "FACTSHEET – BULGARIA");

    /* a paragraph cut by a page break: footnotes 2-10 between its two parts */
    p = at_line(&doc, 94);
    CHECK(p != NULL && p->last_line == 116 && p->kind == LZI_PASSAGE_PARAGRAPH);
    CHECK(contains(ptext(p), "where the sexual extortion was intended to procure a financial "
                             "gain or other property from the child"));
    CHECK(!contains(ptext(p), "Para.") && !contains(ptext(p), "legislation but should"));
    CHECK(covering(&doc, 104) == p);    /* the footnote lines lie inside the range... */
    CHECK(notes_are(p, 0));             /* ...but are not its text */
    p = at_line(&doc, 52);
    CHECK(p != NULL && p->last_line == 58 && contains(ptext(p), "Parties are encouraged to"));
    p = at_line(&doc, 323);
    CHECK(p != NULL && p->last_line == 333 && notes_are(p, 2, 54u, 55u));
    CHECK(contains(ptext(p), "offences concerning the participation of a child in pornographic "
                             "performances (Article 21(1)(a) and (b))."));
    CHECK(!contains(ptext(p), "Para.214") && !contains(ptext(p), "Recommendation IV-5"));
    CHECK_STR(last_section(p), "Jurisdiction not subordinated to the condition that the acts are "
                               "criminalised at the place where they were performed: the dual "
                               "criminality principle (Article 25(4))");
    p = at_line(&doc, 586);             /* resumes with a capital: "national Digital / Bulgaria" */
    CHECK(p != NULL && p->last_line == 606 && contains(ptext(p), "national Digital Bulgaria 2025"));
    CHECK(notes_are(p, 2, 109u, 110u));
    CHECK(at_line(&doc, 485) != NULL && at_line(&doc, 485)->last_line == 503);
    CHECK(at_line(&doc, 625) != NULL && at_line(&doc, 625)->last_line == 647);
    CHECK(at_line(&doc, 214) != NULL && at_line(&doc, 214)->last_line == 216);

    /* list items: one passage each, never merged, but mended across a page break */
    p = at_line(&doc, 83);
    CHECK(p != NULL && p->kind == LZI_PASSAGE_LIST_ITEM && p->last_line == 85);
    CHECK(starts(ptext(p), "the self-generated sexually suggestive or explicit images"));
    p = at_line(&doc, 241);
    CHECK(p != NULL && p->kind == LZI_PASSAGE_LIST_ITEM && p->last_line == 273);
    CHECK(contains(ptext(p), "investigations and criminal proceedings in ICT facilitated"));
    for (i = 719; i <= 722; i++)
        CHECK(at_line(&doc, (unsigned)i) != NULL && at_line(&doc, (unsigned)i)->last_line == i);
    CHECK(at_line(&doc, 715) != NULL && at_line(&doc, 715)->last_line == 717);

    /* footnotes */
    p = at_line(&doc, 335);
    CHECK(p != NULL && p->kind == LZI_PASSAGE_LIST_ITEM && notes_are(p, 1, 56u));
    f = note(&doc, 56, 335);
    CHECK(f != NULL && f->first_line == 359 && f->last_line == 359);
    CHECK_STR(f != NULL ? f->text : NULL, "Recommendation IV-6.");
    f = note(&doc, 7, 87);              /* continued after a blank line */
    CHECK(f != NULL && f->first_line == 106 && f->last_line == 108);
    CHECK_STR(f != NULL ? f->text : NULL,
              "The expression “legal framework” is not limited to legislation but should be "
              "understood in a broader way, e.g., through prosecutorial guidance or practice.");
    f = note(&doc, 108, 586);           /* "can be found at:" / the URL line */
    CHECK(f != NULL && f->last_line == 602 && ends(f->text, "/bulgaria/media/7181/file"));
    f = note(&doc, 106, 586);
    CHECK(f != NULL && f->last_line == 596 && ends(f->text, "(in Bulgarian)"));
    CHECK(notes_are(at_line(&doc, 180), 2, 26u, 27u));  /* <sup>26 27</sup> */
    CHECK_EQ(doc.n_footnotes, 140);

    /* section paths */
    CHECK(section_is(at_line(&doc, 29), 1, "I. Introduction"));
    CHECK(section_is(at_line(&doc, 92), 3, "II. Legal framework",
                     "Observations and recommendations of the Committee on the legal frameworks "
                     "specific to Bulgaria",
                     "On the “sexual extortion of children”:"));
    CHECK(section_is(at_line(&doc, 166), 2, "III. Investigations and prosecution",
                     "Observations and recommendations of the Committee on investigations and "
                     "prosecution specific to Bulgaria"));    /* "### III." is a chapter too */
    CHECK(ends(last_section(at_line(&doc, 317)),
               "where the offence was committed (Article 25(6))"));   /* two #### lines */
    CHECK(section_is(at_line(&doc, 339), 3, "IV. Jurisdiction rules",
                     "Observations and recommendations of the Committee on jurisdiction rules "
                     "specific to Bulgaria",
                     "Jurisdiction in cases of child sexual exploitation and abuse facilitated by "
                     "ICTs committed against nationals or habitual residents of a Party: the "
                     "passive personality principle (Art. 25(2))"));
    CHECK(section_is(at_line(&doc, 345), 2, "IV. Jurisdiction rules",
                     "Generic recommendations of the Committee on jurisdiction rules"));
    CHECK(section_is(at_line(&doc, 419), 2, "V. International cooperation",
                     "Generic recommendations of the Committee on international cooperation"));
    CHECK(section_is(at_line(&doc, 754), 1, "XI. Research"));
    /* the table of contents is no heading and no passage */
    CHECK(covering(&doc, 15) == NULL && covering(&doc, 25) == NULL);
    for (i = 0, k = 0; i < doc.n_passages; i++) {
        size_t j;
        for (j = 0; j < doc.passages[i].n_section; j++)
            k += contains(doc.passages[i].section[j], "....") ||
                 contains(doc.passages[i].section[j], "\t");
    }
    CHECK_EQ(k, 0);
    /* a long bold line opening with a quotation is the report's title, a paragraph */
    CHECK(at_line(&doc, 9) != NULL && starts(at_line(&doc, 9)->text, "“The protection"));
    lzi_document_dispose(&doc);
}

static void test_finland(void)
{
    lzi_document doc = LZI_DOCUMENT_INIT;
    lzi_buf src = LZI_BUF_INIT;
    const lzi_passage *p;
    const lzi_footnote *f;
    size_t off = 0, n_rows = 0;
    unsigned line = 1;

    CHECK_RC(parse_corpus(&doc, &src, "lanzarote-recommendations-finland.txt"), LZ_OK);
    CHECK_STR(doc.title, "The protection of children against sexual exploitation and sexual abuse "
                         "facilitated by information and communication technologies (ICTs) - "
                         "Recommendations as to steps to be taken to improve the effective "
                         "implementation of the Lanzarote Convention");

    /* every `| Recommendation X-n | ... |` row is one table-row passage of its own */
    while (off < src.len) {
        const char *nl = memchr(src.ptr + off, '\n', src.len - off);
        size_t end = nl != NULL ? (size_t)(nl - src.ptr) : src.len;
        if (end - off > 17 && memcmp(src.ptr + off, "| Recommendation", 16) == 0) {
            const char *cell = src.ptr + off + 2, *bar = memchr(cell, '|', end - off - 2);
            size_t cell_len = bar != NULL ? (size_t)(bar - cell) : 0;
            while (cell_len > 0 && cell[cell_len - 1] == ' ')
                cell_len--;
            p = at_line(&doc, line);
            CHECK(p != NULL && p->kind == LZI_PASSAGE_TABLE_ROW &&
                  strncmp(p->text, cell, cell_len) == 0 && p->text[cell_len] == ' ');
            /* a pipe table's first row is a recommendation here, not column headings */
            CHECK(p != NULL && p->columns == NULL);
            n_rows++;
        }
        off = end + 1;
        line++;
    }
    CHECK_EQ(n_rows, 105);

    /* a continuation row holding only a footnote: footnote 155 of row III-28 */
    p = at_line(&doc, 71);
    CHECK(p != NULL && p->last_line == 71 && notes_are(p, 1, 155u));
    CHECK(covering(&doc, 72) == NULL);
    f = note(&doc, 155, 71);
    CHECK(f != NULL && f->first_line == 72 && f->last_line == 72);
    CHECK(f != NULL && starts(f->text, "Albania, Andorra, Belgium") && ends(f->text, "Ukraine."));
    /* footnote 166 of row IV-5 spilled over to the start of row IV-6 */
    CHECK(notes_are(at_line(&doc, 85), 1, 166u));
    f = note(&doc, 166, 85);
    CHECK(f != NULL && f->first_line == 87 && starts(f->text, "Albania, Andorra") &&
          ends(f->text, "Turkey, Ukraine."));
    p = at_line(&doc, 87);
    CHECK(p != NULL && starts(p->text, "Recommendation IV-6 The Lanzarote Committee requires"));
    CHECK(p != NULL && !contains(p->text, "Albania") && p->last_line == 87 &&
          notes_are(p, 1, 169u));
    f = note(&doc, 169, 87);
    CHECK(f != NULL && f->first_line == 89);
    /* definitions in the cell that cites them */
    p = at_line(&doc, 21);
    CHECK(notes_are(p, 1, 101u) && !contains(ptext(p), "The expression"));
    f = note(&doc, 101, 21);
    CHECK(f != NULL && f->first_line == 21 &&
          starts(f->text, "The expression \"legal framework\""));
    CHECK(notes_are(at_line(&doc, 23), 1, 106u) && !contains(ptext(at_line(&doc, 23)), "106"));
    p = at_line(&doc, 56);              /* "142 142 Such trainings": the superscript was lost */
    CHECK(notes_are(p, 1, 142u) && ends(ptext(p), "is available to prosecutors."));
    f = note(&doc, 142, 56);
    CHECK_STR(f != NULL ? f->text : NULL, "Such trainings can also be part of broader training "
                                          "programmes.");
    CHECK(notes_are(at_line(&doc, 51), 1, 138u));  /* no marker at all */
    CHECK(notes_are(at_line(&doc, 140), 2, 201u, 202u));
    f = note(&doc, 201, 140);
    CHECK(f != NULL && ends(f->text, "Slovak Republic, Turkey"));
    f = note(&doc, 202, 140);
    CHECK(f != NULL && starts(f->text, "Examples of projects"));
    /* X-5: four markers, definitions over two rows and a third after a blank line */
    p = at_line(&doc, 192);
    CHECK(p != NULL && p->last_line == 192 && notes_are(p, 4, 285u, 286u, 287u, 288u));
    CHECK(p != NULL &&
          ends(p->text, "in areas relating to sport, culture and leisure activities."));
    f = note(&doc, 285, 192);
    CHECK(f != NULL && f->first_line == 192 && f->last_line == 193 && ends(f->text, "Ukraine."));
    f = note(&doc, 288, 192);
    CHECK(f != NULL && f->first_line == 195);
    /* X-7: its footnote continues over three rows, the first with a debris label */
    p = at_line(&doc, 198);
    CHECK(p != NULL && p->last_line == 198 && notes_are(p, 1, 294u) && !contains(p->text, "Ī"));
    f = note(&doc, 294, 198);
    CHECK(f != NULL && f->first_line == 200 && f->last_line == 203 &&
          contains(f->text, "Slovak Republic, Slovenia") && ends(f->text, "Ukraine."));
    /* a garbled row and its continuation rows: one passage */
    p = at_line(&doc, 131);
    CHECK(p != NULL && p->last_line == 135 &&
          ends(p->text, "child self-generated sexual images and/or videos."));

    CHECK(section_is(at_line(&doc, 17), 1, "II. Legal frameworks"));
    CHECK(section_is(at_line(&doc, 33), 1, "III. Investigations and prosecution"));
    CHECK(section_is(at_line(&doc, 122), 2, "V. International cooperation", "Recommendation V-19"));
    CHECK(section_is(at_line(&doc, 153), 1, "VIII. Promoting awareness of the risks of sexual "
                     "exploitation and sexual abuse faced by children generating and/or sharing "
                     "sexual images and/or videos of themselves"));
    CHECK(section_is(at_line(&doc, 208), 1, "XI. Research"));
    CHECK(at_line(&doc, 3) != NULL && at_line(&doc, 7) != NULL);  /* the legend is text */
    lzi_document_dispose(&doc);
    lzi_buf_dispose(&src);
}

static void test_endocsea(void)
{
    lzi_document doc = LZI_DOCUMENT_INIT;
    const lzi_passage *p;
    const lzi_footnote *f;

    CHECK_RC(parse_corpus(&doc, NULL, "endocsea-baseline-mapping-2019.txt"), LZ_OK);
    CHECK_STR(doc.title, "Member state responses to prevent and combat online child sexual "
                         "exploitation and abuse");
    p = at_line(&doc, 644);             /* resumes with a capital after footnote 52 */
    CHECK(p != NULL && p->last_line == 648 &&
          contains(p->text, "identified children to INTERPOL's ICSE database can reduce"));
    CHECK(at_line(&doc, 850) != NULL && at_line(&doc, 850)->last_line == 862);
    CHECK(at_line(&doc, 1111) != NULL && at_line(&doc, 1111)->last_line == 1121);
    p = at_line(&doc, 689);             /* "... prosecutors an" / "- introductory level ..." */
    CHECK(p != NULL && p->kind == LZI_PASSAGE_LIST_ITEM && p->last_line == 705 &&
          contains(p->text, "judges and prosecutors an introductory level of knowledge"));
    p = at_line(&doc, 1341);
    CHECK(p != NULL && p->last_line == 1343);
    p = at_line(&doc, 1199);            /* a lead-in ("... states that"), not a heading */
    CHECK(p != NULL && p->kind == LZI_PASSAGE_PARAGRAPH);
    f = note(&doc, 36, 502);
    CHECK(f != NULL && f->first_line == 508 && f->last_line == 510 &&
          ends(f->text, "global-survey-2016-final.pdf"));

    /* tab-separated tables: one row, one passage */
    p = at_line(&doc, 203);
    CHECK(p != NULL && p->kind == LZI_PASSAGE_TABLE_ROW && notes_are(p, 5, 6u, 7u, 8u, 9u, 10u));
    p = at_line(&doc, 205);
    CHECK(p != NULL && p->kind == LZI_PASSAGE_TABLE_ROW && strcmp(p->text, "ANDORRA ✓ ✓ ✓ ✓") == 0);
    p = at_line(&doc, 1355);
    CHECK(p != NULL && p->kind == LZI_PASSAGE_TABLE_ROW && p->last_line == 1355 &&
          starts(p->text, "6 Offender Management Process:"));
    CHECK(at_line(&doc, 378) != NULL && at_line(&doc, 378)->kind == LZI_PASSAGE_TABLE_ROW);
    /* each row is read under its table's first row, over footnotes and page breaks */
    CHECK(at_line(&doc, 757) != NULL && at_line(&doc, 757)->columns == NULL);
    p = at_line(&doc, 774);             /* BULGARIA, after footnotes 70-73 */
    CHECK(p != NULL && p->columns != NULL &&
          strcmp(p->columns, ptext(at_line(&doc, 757))) == 0 &&
          contains(p->columns, "Minimum Age of Criminal Responsibility"));
    p = at_line(&doc, 906);             /* IRELAND, after footnotes 83-86 and a blank run */
    CHECK(p != NULL && p->columns != NULL && starts(p->columns, "Country INHOPE Member Hotline"));
    CHECK(at_line(&doc, 205) != NULL && at_line(&doc, 205)->columns != NULL &&
          starts(at_line(&doc, 205)->columns, "Country State Party to UNCRC"));
    CHECK(at_line(&doc, 1355) != NULL && at_line(&doc, 1355)->columns != NULL &&
          strcmp(at_line(&doc, 1355)->columns, "Enablers Capabilities Outcomes") == 0);
    CHECK(at_line(&doc, 1163) != NULL && at_line(&doc, 1163)->columns == NULL);

    CHECK(section_is(at_line(&doc, 100), 1, "Acknowledgments"));   /* "# Contents" closed */
    CHECK(section_is(at_line(&doc, 479), 2, "2. Capacities to research, analyse and monitor "
                     "current threats of OCSEA at national level",
                     "The Case for Registering and Managing Convicted Sex Offenders"));
    CHECK(section_is(at_line(&doc, 532), 1, "3. Specific legislative and policy frameworks to "
                     "criminalise OCSEA, identify perpetrators and uphold the rights of the "
                     "child-victim"));           /* "### 3." is a chapter like "## 2." */
    CHECK_STR(last_section(at_line(&doc, 1111)),
              "Case Study – A single national centre for CSAM reporting, a child helpline and "
              "awareness");
    CHECK(section_is(at_line(&doc, 1278), 2, "Appendix 1 - Bibliography",
                     "International Legal Instruments and Documentation"));
    CHECK(section_is(at_line(&doc, 1280), 2, "Appendix 1 - Bibliography",
                     "International Legal Instruments and Documentation"));  /* no heading */
    CHECK(at_line(&doc, 263) != NULL);  /* a figure caption is text */
    lzi_document_dispose(&doc);
}

static void test_civil_society(void)
{
    lzi_document doc = LZI_DOCUMENT_INIT;
    const lzi_passage *p;
    const lzi_footnote *f;

    CHECK_RC(parse_corpus(&doc, NULL, "lanzarote-factsheet-civil-society.txt"), LZ_OK);
    CHECK_STR(doc.title, "CIVIL SOCIETY INVOLVEMENT AND CO-OPERATION");
    p = at_line(&doc, 94);
    CHECK(p != NULL && p->last_line == 96 && notes_are(p, 1, 7u) &&
          contains(p->text, "partnerships and agreements, the Lanzarote Committee invites"));
    CHECK(at_line(&doc, 68) != NULL && at_line(&doc, 68)->last_line == 72);
    p = at_line(&doc, 90);
    CHECK(notes_are(p, 2, 3u, 4u) &&
          section_is(p, 1, "Recommendations of the Lanzarote Committee"));
    f = note(&doc, 3, 90);
    CHECK_STR(f != NULL ? f->text : NULL, "Albania, Greece, Latvia, Montenegro, North Macedonia, "
                                          "San Marino, Slovak Republic, Turkey.");
    CHECK(section_is(at_line(&doc, 21), 1, "Introduction"));
    CHECK(section_is(at_line(&doc, 52), 1, "Article 9 – Participation of children, the private "
                     "sector, the media and civil society"));
    CHECK(section_is(at_line(&doc, 62), 1, "Article 14 – Assistance to victims (...)"));
    CHECK(starts(last_section(at_line(&doc, 66)), "Modalities of co-operation between state"));
    CHECK(section_is(at_line(&doc, 121), 1, "Examples of promising practices identified by the "
                     "Lanzarote Committee:"));
    CHECK(section_is(at_line(&doc, 131), 1, "Recommendations of the Lanzarote Committee"));
    CHECK(at_line(&doc, 129) != NULL);  /* "... invites all Parties to:" leads a list */
    lzi_document_dispose(&doc);
}

static void test_assistance(void)
{
    lzi_document doc = LZI_DOCUMENT_INIT;
    const lzi_passage *p;

    CHECK_RC(parse_corpus(&doc, NULL, "lanzarote-factsheet-assistance-to-victims.txt"), LZ_OK);
    CHECK_STR(doc.title, "FACTSHEET – ASSISTANCE TO VICTIMS");
    CHECK(notes_are(at_line(&doc, 82), 3, 2u, 3u, 4u));  /* ²  and ^{3 4} */
    p = at_line(&doc, 84);
    CHECK(p != NULL && p->last_line == 92 && notes_are(p, 1, 5u) &&
          contains(p->text, "including the risks associated with CSGSIV"));
    CHECK(section_is(at_line(&doc, 48), 1,
                     "Article 12 –Reporting suspicion of sexual exploitation or sexual abuse"));
    CHECK(section_is(at_line(&doc, 62), 1, "Article 14 –Assistance to victims"));
    CHECK(section_is(at_line(&doc, 117), 1, "Recommendations of the Lanzarote Committee"));
    CHECK(section_is(at_line(&doc, 96), 1, "Legislative or other measures to provide children "
                     "with support, assistance and psychological help"));
    p = at_line(&doc, 103);             /* a lead-in with a colon and a comma: text */
    CHECK(p != NULL && section_is(p, 1, "Example of a promising practice identified by the "
                                        "Lanzarote Committee"));
    lzi_document_dispose(&doc);
}

/* ---- the document model over the five files ----------------------------------------------- */

static int has_superscript_digit(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    for (; *u != '\0'; u++) {
        if (u[0] == 0xC2 && (u[1] == 0xB9 || u[1] == 0xB2 || u[1] == 0xB3))
            return 1;
        if (u[0] == 0xE2 && u[1] == 0x81 && (u[2] == 0xB0 || (u[2] >= 0xB4 && u[2] <= 0xB9)))
            return 1;
    }
    return 0;
}

static int clean_markup_free(const char *s)
{
    return s[0] != '\0' && s[0] != ' ' && s[strlen(s) - 1] != ' ' && !contains(s, "<sup") &&
           !contains(s, "**") && !contains(s, "|") && !has_superscript_digit(s) &&
           !contains(s, "  ") && s[0] != '#' && !starts(s, "- ");
}

/* Why an uncovered line produces nothing, or NULL if that is unexplained. */
static const char *why_uncovered(const lzi_document *doc, const char *s, size_t n)
{
    lzi_buf clean = LZI_BUF_INIT;
    const char *why = NULL;
    size_t i, k, letters = 0, tabs = 0;

    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        n--;
    }
    for (i = 0; i < n; i++) {
        letters += (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z';
        tabs += s[i] == '\t';
    }
    if (n == 0)
        return "blank";
    if (s[0] == '#')
        return "markdown heading";
    if (letters == 0)
        return "separator, rule, page number or empty cell";
    if (tabs > 0 && (contains(s, "...") || contains(s, "</b>")))
        return "table of contents";
    if (lzi_markup_clean(&clean, s, n, NULL, NULL) == LZ_OK && clean.ptr != NULL) {
        for (i = 0; i < doc->n_passages && why == NULL; i++) {
            for (k = 0; k < doc->passages[i].n_section; k++) {
                if (strcmp(doc->passages[i].section[k], clean.ptr) == 0)
                    why = "bare heading";
            }
        }
    }
    lzi_buf_dispose(&clean);
    return why;
}

/* Report one violation of the document model (printed, counted). */
static size_t violation(const char *file, unsigned line, const char *what, const char *text)
{
    fprintf(stderr, "%s:%u: %s: %.100s\n", file, line, what, text != NULL ? text : "");
    return 1;
}

static void check_model(const char *file)
{
    lzi_document doc = LZI_DOCUMENT_INIT;
    lzi_buf src = LZI_BUF_INIT;
    unsigned char *body = NULL, *foot = NULL;
    size_t i, k, off = 0, n_lines = 0, bad_text = 0, bad_range = 0, unexplained = 0, shared = 0;
    unsigned line, l;

    if (parse_corpus(&doc, &src, file) != LZ_OK) {
        CHECK(!"parse");
        return;
    }
    for (i = 0; i < src.len; i++)
        n_lines += src.ptr[i] == '\n';
    n_lines += src.len > 0 && src.ptr[src.len - 1] != '\n';
    body = calloc(n_lines + 2, 1);
    foot = calloc(n_lines + 2, 1);
    CHECK(body != NULL && foot != NULL && doc.title != NULL && doc.title[0] != '\0');
    if (body == NULL || foot == NULL)
        goto done;

    for (i = 0; i < doc.n_passages; i++) {
        const lzi_passage *p = &doc.passages[i];
        if (!clean_markup_free(p->text) || strlen(p->text) != p->text_len)
            bad_text += violation(file, p->first_line, "passage text", p->text);
        for (k = 0; k < p->n_section; k++) {
            if (!clean_markup_free(p->section[k]))
                bad_text += violation(file, p->first_line, "section", p->section[k]);
        }
        /* 1-based, sorted, disjoint, and short: results over 40 lines earn nothing */
        if (p->first_line < 1 || p->first_line > p->last_line || p->last_line > n_lines ||
            (i > 0 && doc.passages[i - 1].last_line >= p->first_line) ||
            p->last_line - p->first_line >= 40)
            bad_range += violation(file, p->first_line, "passage range", p->text);
        for (l = p->first_line; l <= p->last_line && l <= n_lines; l++)
            body[l]++;
    }
    for (i = 0; i < doc.n_footnotes; i++) {
        const lzi_footnote *f = &doc.footnotes[i];
        if (f->text[0] != '\0' && !clean_markup_free(f->text))
            bad_text += violation(file, f->first_line, "footnote text", f->text);
        if (f->first_line < 1 || f->first_line > f->last_line || f->last_line > n_lines ||
            (i > 0 && doc.footnotes[i - 1].first_line > f->first_line))
            bad_range += violation(file, f->first_line, "footnote range", f->text);
        for (l = f->first_line; l <= f->last_line && l <= n_lines; l++)
            foot[l] = 1;
    }
    /* A line is the body of at most one passage (disjoint ranges, above); a footnote line
     * inside a passage's range is the gap of a page-break join or a definition inside a table
     * row's cell; every other non-blank line is in a passage or a footnote, or produces nothing
     * for a reason (heading, rule, separator, table of contents, page number). */
    for (line = 1; off < src.len; line++) {
        const char *s = src.ptr + off, *nl = memchr(s, '\n', src.len - off);
        size_t n = nl != NULL ? (size_t)(nl - s) : src.len - off;
        if (foot[line] && body[line]) {
            const lzi_passage *p = covering(&doc, line);
            shared++;
            if (p == NULL || (p->kind != LZI_PASSAGE_TABLE_ROW &&
                              (p->first_line == line || p->last_line == line)))
                bad_range += violation(file, line, "footnote line in a passage's text", s);
        }
        if (!body[line] && !foot[line] && why_uncovered(&doc, s, n) == NULL)
            unexplained += violation(file, line, "not covered", s);
        off += n + 1;
    }
    CHECK_EQ(bad_text, 0);
    CHECK_EQ(bad_range, 0);
    CHECK_EQ(unexplained, 0);
    CHECK(doc.n_passages > 0 && doc.n_footnotes > 0 && shared > 0);
done:
    free(body);
    free(foot);
    lzi_document_dispose(&doc);
    lzi_buf_dispose(&src);
}

static void test_document_model(void)
{
    size_t i;
    for (i = 0; i < sizeof corpus_files / sizeof corpus_files[0]; i++)
        check_model(corpus_files[i]);
}

/* The same document with CRLF line ends gives the same passages on the same lines. */
static void test_crlf(void)
{
    lzi_document lf = LZI_DOCUMENT_INIT, crlf = LZI_DOCUMENT_INIT;
    lzi_buf src = LZI_BUF_INIT, dos = LZI_BUF_INIT;
    size_t i;
    int same, rc = LZ_OK;

    CHECK_RC(read_corpus(&src, "lanzarote-factsheet-bulgaria.txt"), LZ_OK);
    for (i = 0; i < src.len && rc == LZ_OK; i++) {
        if (src.ptr[i] == '\n')
            rc = lzi_buf_putc(&dos, '\r');
        if (rc == LZ_OK)
            rc = lzi_buf_putc(&dos, src.ptr[i]);
    }
    CHECK_RC(rc, LZ_OK);
    CHECK_RC(lzi_parse(&lf, src.ptr, src.len, "lf"), LZ_OK);
    CHECK_RC(lzi_parse(&crlf, dos.ptr, dos.len, "crlf"), LZ_OK);
    same = lf.n_passages == crlf.n_passages && lf.n_footnotes == crlf.n_footnotes;
    for (i = 0; same && i < lf.n_passages; i++) {
        same = lf.passages[i].first_line == crlf.passages[i].first_line &&
               lf.passages[i].last_line == crlf.passages[i].last_line &&
               strcmp(lf.passages[i].text, crlf.passages[i].text) == 0;
    }
    CHECK(same);
    lzi_document_dispose(&lf);
    lzi_document_dispose(&crlf);
    lzi_buf_dispose(&src);
    lzi_buf_dispose(&dos);
}

/* ---- synthetic documents ------------------------------------------------------------------ */

static void test_markup(void)
{
    static const struct { const char *in, *out; } cases[] = {
        { "**bold** and *em* and _it_ and __strong__", "bold and em and it and strong" },
        { "a [link text](http://x.org/a_(b)) b", "a link text b" },
        { "![alt](img.png) [kept] [x](unclosed", "alt [kept] [x](unclosed" },
        { "x<br>y<br/>z <b>05</b> <a href=\"u\">t</a>", "x y z 05 t" },
        { "&amp; &lt;b&gt; &quot;q&quot; &#39;s &#x2019; &nbsp;x &bogus;",
          "& <b> \"q\" 's ’ x &bogus;" },
        { "see <https://a.org/b_c_> and https://d.org/e_f_",
          "see https://a.org/b_c_ and https://d.org/e_f_" },
        { "[https://u.org/p\\\\_auth=1](https://u.org/p_auth=1)", "https://u.org/p_auth=1" },
        { "snake_case 5 * 3 a*b \\*lit\\* #stop\\_x", "snake_case 5 * 3 a*b *lit* #stop_x" },
        { "  many   spaces\tand\ttabs  ", "many spaces and tabs" },
        { "<sup>st</sup> <notatag <x", "st <notatag <x" },
        { "“quoted”**:** ok", "“quoted”: ok" },
    };
    lzi_buf b = LZI_BUF_INIT;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lzi_buf_clear(&b);
        CHECK_RC(lzi_markup_clean(&b, cases[i].in, strlen(cases[i].in), NULL, NULL), LZ_OK);
        CHECK_STR(b.ptr != NULL ? b.ptr : "", cases[i].out);
    }
    lzi_buf_dispose(&b);
}

typedef struct seen_notes {
    unsigned n[16];
    size_t off[16];
    size_t count;
} seen_notes;

static int record_note(unsigned n, size_t off, void *payload)
{
    seen_notes *s = payload;
    if (s->count < 16) {
        s->n[s->count] = n;
        s->off[s->count] = off;
    }
    s->count++;
    return LZ_OK;
}

static int stop_at_note(unsigned n, size_t off, void *payload)
{
    (void)n;
    (void)off;
    (void)payload;
    return LZ_EINPUT;
}

static void test_markup_notes(void)
{
    const char *in = "Parties ⁹⁵ which, a<sup>12</sup> b<sup>26 27</sup>, c.^{3 4} d¹⁴⁰ "
                     "e¹²³⁴⁵⁶ f";
    seen_notes s;
    lzi_buf b = LZI_BUF_INIT;

    memset(&s, 0, sizeof s);
    CHECK_RC(lzi_markup_clean(&b, in, strlen(in), record_note, &s), LZ_OK);
    CHECK_STR(b.ptr, "Parties which, a b, c. d e f");
    CHECK_EQ(s.count, 7);               /* the 6-digit run is no footnote number */
    CHECK(s.n[0] == 95 && s.n[1] == 12 && s.n[2] == 26 && s.n[3] == 27 && s.n[4] == 3 &&
          s.n[5] == 4 && s.n[6] == 140);
    CHECK_EQ(s.off[0], 7);              /* where the marker stood: after "Parties" */
    lzi_buf_clear(&b);
    CHECK_RC(lzi_markup_clean(&b, "a¹ b", 5, stop_at_note, NULL), LZ_EINPUT);
    lzi_buf_dispose(&b);
}

static void test_structure(void)
{
    static const char doc_text[] =
        "# Title of the report\n"                                   /* 1 */
        "\n"
        "## I. First chapter\n"                                     /* 3 */
        "\n"
        "A paragraph that a page break cuts in the middle of\n"     /* 5 */
        "\n"
        "---\n"
        "\n"
        "<sup>1</sup> A footnote that is cut after the word of\n"   /* 9 */
        "\n"
        "its definition, continued.\n"                              /* 11 */
        "\n"
        "the sentence, which ends here.<sup>2</sup>\n"              /* 13 */
        "\n"
        "- an item\n"                                               /* 15 */
        "- another item¹\n"                                         /* 16 */
        "\n"
        "**A bold heading**\n"                                      /* 18 */
        "\n"
        "| Row A | text of A ³ |\n"                                 /* 20 */
        "|---|---|\n"
        "| | ³ Definition of three. |\n"                            /* 22 */
        "| Row B | more text |\n"                                   /* 23 */
        "\n"
        "### II. Second chapter\n"                                  /* 25 */
        "\n"
        "Text.\n";                                                  /* 27 */
    lzi_document doc = LZI_DOCUMENT_INIT;
    const lzi_passage *p;
    const lzi_footnote *f;

    CHECK_RC(parse_str(&doc, doc_text), LZ_OK);
    CHECK_STR(doc.title, "Title of the report");
    CHECK_EQ(doc.n_passages, 6);
    p = at_line(&doc, 5);
    CHECK(p != NULL && p->last_line == 13 && notes_are(p, 1, 2u));
    CHECK_STR(ptext(p), "A paragraph that a page break cuts in the middle of the sentence, which "
                        "ends here.");
    CHECK(section_is(p, 1, "I. First chapter"));  /* a chapter closes the title heading */
    f = note(&doc, 1, 5);
    CHECK(f != NULL && f->first_line == 9 && f->last_line == 11);
    CHECK_STR(f != NULL ? f->text : NULL, "A footnote that is cut after the word of its "
                                          "definition, continued.");
    CHECK(at_line(&doc, 15) != NULL && at_line(&doc, 15)->kind == LZI_PASSAGE_LIST_ITEM);
    CHECK_STR(ptext(at_line(&doc, 16)), "another item");
    CHECK(notes_are(at_line(&doc, 16), 1, 1u));
    p = at_line(&doc, 20);
    CHECK(p != NULL && p->kind == LZI_PASSAGE_TABLE_ROW && p->last_line == 20 &&
          notes_are(p, 1, 3u));
    CHECK_STR(ptext(p), "Row A text of A");
    CHECK(section_is(p, 2, "I. First chapter", "A bold heading"));
    f = note(&doc, 3, 20);
    CHECK(f != NULL && f->first_line == 22);
    CHECK_STR(f != NULL ? f->text : NULL, "Definition of three.");
    CHECK_STR(ptext(at_line(&doc, 23)), "Row B more text");
    CHECK(section_is(at_line(&doc, 27), 1, "II. Second chapter"));
    lzi_document_dispose(&doc);
}

/* The rows of a tab-separated table are read under its first row: across footnotes and page
 * breaks, up to a heading or a paragraph; a table of one row has no headings. */
static void test_columns(void)
{
    static const char doc_text[] =
        "# Title\n"                                                 /* 1 */
        "\n"
        "Country\tHotline\tHelpline\n"                              /* 3 */
        "ALBANIA\t✓\t\n"                                            /* 4 */
        "\n"
        "<sup>1</sup> A footnote between the rows.\n"               /* 6 */
        "\n"
        "---\n"
        "\n"
        "ANDORRA\t\t✓\n"                                            /* 10 */
        "\n"
        "## Another section\n"                                      /* 12 */
        "\n"
        "ARMENIA\t✓\n"                                              /* 14 */
        "AUSTRIA\t✓\n"                                              /* 15 */
        "\n"
        "A paragraph ends the table.\n"                             /* 17 */
        "\n"
        "BELGIUM\t✓\n"                                              /* 19 */
        "\n"
        "Text.\n";                                                  /* 21 */
    lzi_document doc = LZI_DOCUMENT_INIT;

    CHECK_RC(parse_str(&doc, doc_text), LZ_OK);
    CHECK(at_line(&doc, 3) != NULL && at_line(&doc, 3)->columns == NULL);
    CHECK_STR(at_line(&doc, 4) != NULL ? at_line(&doc, 4)->columns : NULL,
              "Country Hotline Helpline");
    CHECK_STR(at_line(&doc, 10) != NULL ? at_line(&doc, 10)->columns : NULL,
              "Country Hotline Helpline");
    CHECK(at_line(&doc, 14) != NULL && at_line(&doc, 14)->columns == NULL);     /* a heading */
    CHECK_STR(at_line(&doc, 15) != NULL ? at_line(&doc, 15)->columns : NULL, "ARMENIA ✓");
    CHECK(at_line(&doc, 17) != NULL && at_line(&doc, 17)->columns == NULL);
    CHECK(at_line(&doc, 19) != NULL && at_line(&doc, 19)->columns == NULL);     /* one row */
    CHECK(at_line(&doc, 21) != NULL && at_line(&doc, 21)->columns == NULL);
    lzi_document_dispose(&doc);
}

/* Deep headings: every level is kept up to LZI_MAX_SECTION_DEPTH (8). The outline rules reach
 * seven levels at most (six markdown levels and a bare line below them). */
static void test_depth(void)
{
    static const char deep[] = "# a\n\n## b\n\n### c\n\n#### d\n\n##### e\n\n###### f\n\n"
                               "A short title line\n\nSome text.\n\n####### not a heading\n";
    lzi_document doc = LZI_DOCUMENT_INIT;
    const lzi_passage *p;

    CHECK_RC(parse_str(&doc, deep), LZ_OK);
    p = at_line(&doc, 15);
    CHECK(section_is(p, 7, "a", "b", "c", "d", "e", "f", "A short title line"));
    CHECK_STR(ptext(at_line(&doc, 17)), "####### not a heading");
    lzi_document_dispose(&doc);
}

static void test_footnote_lookup(void)
{
    static const char text[] = "First¹ text.\n\n¹ first\n\nSecond¹ text.\n\n¹ second\n";
    lzi_document doc = LZI_DOCUMENT_INIT;
    const lzi_footnote *f;

    CHECK_RC(parse_str(&doc, text), LZ_OK);
    CHECK_EQ(doc.n_footnotes, 2);
    f = lzi_document_footnote(&doc, 1, 1);
    CHECK_STR(f != NULL ? f->text : NULL, "first");
    f = lzi_document_footnote(&doc, 1, 5);
    CHECK_STR(f != NULL ? f->text : NULL, "second");
    f = lzi_document_footnote(&doc, 1, 100);      /* none after: the nearest before */
    CHECK_STR(f != NULL ? f->text : NULL, "second");
    CHECK(lzi_document_footnote(&doc, 2, 1) == NULL);
    CHECK(lzi_document_footnote(NULL, 1, 1) == NULL);
    lzi_document_dispose(&doc);
}

/* Bare headings: numbered ("1. Introduction", "1.1 Scope"), roman chapters, title-like lines,
 * and a table of contents with dot leaders that must stay out of the outline. */
static void test_bare_headings(void)
{
    static const char text[] =
        "Report cover line\n"                               /* 1 */
        "\n"
        "I.\tIntroduction .....\t3\n"                       /* 3: table of contents */
        "II.\tMethod .....\t5\n"
        "\n"
        "1. Introduction\n"                                 /* 6 */
        "\n"
        "Text one.\n"                                       /* 8 */
        "\n"
        "1.1 Scope of the work\n"                           /* 10 */
        "\n"
        "Text two.\n"                                       /* 12 */
        "\n"
        "2. Method\n"                                       /* 14 */
        "\n"
        "Text three.\n"                                     /* 16 */
        "\n"
        "Short Title Line\n"                                /* 18 */
        "\n"
        "Body.\n"                                           /* 20 */
        "\n"
        "1. An item that ends with a period.\n"             /* 22: a list item */
        "2. Another item\n"                                 /* 23: a list item */
        "\n"
        "Fig. 3 A caption line\n"                           /* 25: text */
        "\n"
        "Body again.\n";                                    /* 27 */
    lzi_document doc = LZI_DOCUMENT_INIT;

    CHECK_RC(parse_str(&doc, text), LZ_OK);
    CHECK_STR(doc.title, "Report cover line");
    CHECK(at_line(&doc, 1) != NULL && covering(&doc, 3) == NULL && covering(&doc, 6) == NULL);
    CHECK(section_is(at_line(&doc, 8), 1, "1. Introduction"));
    CHECK(section_is(at_line(&doc, 12), 2, "1. Introduction", "1.1 Scope of the work"));
    CHECK(section_is(at_line(&doc, 16), 1, "2. Method"));
    CHECK(section_is(at_line(&doc, 20), 2, "2. Method", "Short Title Line"));
    CHECK(at_line(&doc, 22) != NULL && at_line(&doc, 22)->kind == LZI_PASSAGE_LIST_ITEM);
    CHECK_STR(ptext(at_line(&doc, 23)), "2. Another item");
    CHECK(at_line(&doc, 25) != NULL);
    CHECK(section_is(at_line(&doc, 27), 2, "2. Method", "Short Title Line"));
    lzi_document_dispose(&doc);
}

/* The superscript form of n ("¹⁴⁰" for 140) appended to b. */
static int put_superscript(lzi_buf *b, unsigned n)
{
    static const char *const digits[] = {
        "\xE2\x81\xB0", "\xC2\xB9", "\xC2\xB2", "\xC2\xB3", "\xE2\x81\xB4",
        "\xE2\x81\xB5", "\xE2\x81\xB6", "\xE2\x81\xB7", "\xE2\x81\xB8", "\xE2\x81\xB9",
    };
    char dec[16];
    size_t i;
    int rc = LZ_OK;

    snprintf(dec, sizeof dec, "%u", n);
    for (i = 0; dec[i] != '\0' && rc == LZ_OK; i++)
        rc = lzi_buf_puts(b, digits[dec[i] - '0']);
    return rc;
}

/* Append n copies of c to b. */
static int fill(lzi_buf *b, char c, size_t n)
{
    int rc = LZ_OK;
    while (n-- > 0 && rc == LZ_OK)
        rc = lzi_buf_putc(b, c);
    return rc;
}

/* The number of headings over the passage at `line` of document s ((size_t)-1: none there). */
static size_t n_section_at(const char *s, unsigned line)
{
    lzi_document doc = LZI_DOCUMENT_INIT;
    size_t n = (size_t)-1;
    if (parse_str(&doc, s) == LZ_OK && at_line(&doc, line) != NULL)
        n = at_line(&doc, line)->n_section;
    lzi_document_dispose(&doc);
    return n;
}

/* Each named limit, on both sides of its edge. */
static void test_limits(void)
{
    lzi_buf b = LZI_BUF_INIT;
    lzi_document doc = LZI_DOCUMENT_INIT;
    size_t len;
    unsigned n;

    /* LZI_BARE_HEADING_MAX (300 bytes): a longer standalone line is a paragraph */
    for (len = 300; len <= 301; len++) {
        lzi_buf_clear(&b);
        CHECK(lzi_buf_putc(&b, 'A') == LZ_OK && fill(&b, 'b', len - 1) == LZ_OK &&
              lzi_buf_puts(&b, "\n\nBody.\n") == LZ_OK);
        CHECK_EQ(n_section_at(b.ptr, 3), len == 300 ? 1 : 0);
    }
    /* LZI_SHORT_HEADING_MAX (100 bytes): a title ending with ':' */
    for (len = 100; len <= 101; len++) {
        lzi_buf_clear(&b);
        CHECK(lzi_buf_putc(&b, 'A') == LZ_OK && fill(&b, 'b', len - 2) == LZ_OK &&
              lzi_buf_puts(&b, ":\n\nBody.\n") == LZ_OK);
        CHECK_EQ(n_section_at(b.ptr, 3), len == 100 ? 1 : 0);
    }
    /* LZI_NOTE_GAP_MAX (64): "74 Such" after note 10 is a footnote, "75 Such" is text */
    for (n = 74; n <= 75; n++) {
        char text[160];
        snprintf(text, sizeof text, "| R1 | text \xC2\xB9\xE2\x81\xB0 x |\n"
                                    "| R2 | Body. %u Such a note. |\n", n);
        CHECK_RC(parse_str(&doc, text), LZ_OK);
        CHECK_EQ(doc.n_footnotes, n == 74 ? 1 : 0);
        CHECK(at_line(&doc, 2) != NULL &&
              (n == 74 ? strcmp(at_line(&doc, 2)->text, "R2 Body.") == 0
                       : contains(at_line(&doc, 2)->text, "75 Such")));
        lzi_document_dispose(&doc);
    }
    /* LZI_DEBRIS_CELL_MAX (2 code points): a label of two bullets continues the row, three
     * make a row of their own (holding the spilled definition) */
    CHECK_RC(parse_str(&doc, "| Row | text \xC2\xB9 |\n| \xE2\x80\xA2\xE2\x80\xA2 | "
                             "\xC2\xB9 Def. |\n"), LZ_OK);
    CHECK(doc.n_passages == 1 && doc.n_footnotes == 1);
    lzi_document_dispose(&doc);
    CHECK_RC(parse_str(&doc, "| Row | text \xC2\xB9 |\n| \xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2 | "
                             "\xC2\xB9 Def. |\n"), LZ_OK);
    CHECK(doc.n_passages == 2 && doc.n_footnotes == 1);
    lzi_document_dispose(&doc);
    /* LZI_PENDING_MAX (32): a row citing 33 notes forgets the first */
    for (n = 32; n <= 33; n++) {
        unsigned k2;
        int rc;
        lzi_buf_clear(&b);
        rc = lzi_buf_puts(&b, "| Row | text");
        for (k2 = 1; k2 <= n && rc == LZ_OK; k2++) {
            if ((rc = lzi_buf_puts(&b, " w")) == LZ_OK)
                rc = put_superscript(&b, k2);
        }
        if (rc == LZ_OK)
            rc = lzi_buf_puts(&b, " |\n| | \xC2\xB9 Definition one. |\n");
        CHECK_RC(rc, LZ_OK);
        CHECK_RC(parse_str(&doc, b.ptr), LZ_OK);
        CHECK_EQ(doc.n_footnotes, n == 32 ? 1 : 0);
        lzi_document_dispose(&doc);
    }
    /* LZI_TITLE_SCAN_BLOCKS (16): the cover is the first 16 blocks */
    for (n = 16; n <= 17; n++) {
        unsigned k2;
        int rc = LZ_OK;
        lzi_buf_clear(&b);
        for (k2 = 1; k2 < n && rc == LZ_OK; k2++)
            rc = lzi_buf_printf(&b, "Cover line %u\n\n", k2);
        if (rc == LZ_OK)
            rc = lzi_buf_puts(&b, "The longest cover line of all\n\nBody.\n");
        CHECK_RC(rc, LZ_OK);
        CHECK_RC(parse_str(&doc, b.ptr), LZ_OK);
        CHECK_STR(doc.title, n == 16 ? "The longest cover line of all" : "Cover line 10");
        lzi_document_dispose(&doc);
    }
    /* markup.c: LZI_LINK_TEXT_MAX (2048 bytes) for the text of a link */
    for (len = 2047; len <= 2049; len += 2) {
        lzi_buf clean = LZI_BUF_INIT;
        lzi_buf_clear(&b);
        CHECK(lzi_buf_putc(&b, '[') == LZ_OK && fill(&b, 'a', len) == LZ_OK &&
              lzi_buf_puts(&b, "](u)") == LZ_OK);
        CHECK_RC(lzi_markup_clean(&clean, b.ptr, b.len, NULL, NULL), LZ_OK);
        CHECK_EQ(clean.len, len == 2047 ? len : len + 5);
        lzi_buf_dispose(&clean);
    }
    lzi_buf_dispose(&b);
}

/* Build a string of `count` copies of `unit`, then `tail`. */
static char *repeat(const char *unit, size_t count, const char *tail)
{
    size_t n = strlen(unit), m = strlen(tail), i;
    char *s = malloc(n * count + m + 1);
    if (s == NULL)
        return NULL;
    for (i = 0; i < count; i++)
        memcpy(s + i * n, unit, n);
    memcpy(s + n * count, tail, m + 1);
    return s;
}

/* Inputs that must parse (quickly, without crashing or leaking) whatever they hold. */
static void test_robustness(void)
{
    static const struct { const char *unit; size_t count; const char *tail; size_t passages; }
        cases[] = {
        { "word ", 2000000, "end", 1 },         /* one line of 10 MB */
        { "|", 100000, "\n", 0 },
        { "[", 100000, "\n", 1 },
        { "](", 100000, "\n", 1 },
        { "[a](", 50000, "\n", 1 },
        { "<a", 100000, "\n", 1 },
        { "<sup>", 100000, "\n", 0 },
        { "&", 100000, "\n", 1 },
        { "**", 100000, "x\n", 1 },
        { "¹", 100000, "\n", 0 },               /* a run of 100 000 superscript digits */
        { "¹ ", 50000, "x\n", 0 },              /* a footnote with 49 999 markers inside */
        { "X.\n\n", 50000, "", 50000 },
        { "x\n\n", 50000, "", 1 },           /* lower case continues: one passage */
        { "| a | ¹ b |\n", 20000, "", 20000 },
        { "| | ¹ b |\n", 20000, "", 1 },      /* continuation rows of the first */
        { "# h\n", 20000, "text\n", 1 },
        { "- \n", 50000, "", 0 },
        { "\t", 100000, "\n", 0 },
        { "I.\tIntroduction .....\t3\n", 10000, "", 0 },
    };
    static const char *const small[] = {
        "", "\n", "\n\n\n", "   \n\t\n", "a", "**unbalanced bold\n", "<sup>12 no close\n",
        "<sup>", "^{", "[", "&#xD800; &#0; &#1114112;", "# \n", "#", "| |", "|---|", "\xC2",
        "\xE2\x81", "text\n<sup>1</sup>", "¹", "- ", "1. ", "\r\n\r\n", "x\r", "**a**",
    };
    lzi_document doc = LZI_DOCUMENT_INIT;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = repeat(cases[i].unit, cases[i].count, cases[i].tail);
        CHECK(s != NULL);
        if (s == NULL)
            continue;
        CHECK_RC(parse_str(&doc, s), LZ_OK);
        if (doc.n_passages != cases[i].passages)
            fprintf(stderr, "case %zu (%.10s x %zu): %zu passages\n", i, cases[i].unit,
                    cases[i].count, doc.n_passages);
        CHECK_EQ(doc.n_passages, cases[i].passages);
        CHECK(doc.title != NULL);
        lzi_document_dispose(&doc);
        free(s);
    }
    for (i = 0; i < sizeof small / sizeof small[0]; i++) {
        CHECK_RC(parse_str(&doc, small[i]), LZ_OK);
        CHECK(doc.title != NULL);
        lzi_document_dispose(&doc);
    }
    CHECK_RC(lzi_parse(&doc, NULL, 0, "empty"), LZ_OK);
    CHECK(doc.n_passages == 0 && doc.n_footnotes == 0 && doc.title != NULL && doc.title[0] == '\0');
    lzi_document_dispose(&doc);
    lzi_document_dispose(&doc);         /* twice is harmless */
    lzi_document_dispose(NULL);
}

static void test_errors(void)
{
    lzi_document doc = LZI_DOCUMENT_INIT;
    CHECK_RC(lzi_parse(NULL, "x", 1, "x"), LZ_EINVAL);
    CHECK_RC(lzi_parse(&doc, NULL, 3, "x"), LZ_EINVAL);
    CHECK_RC(parse_str(&doc, "x"), LZ_OK);
    CHECK_RC(parse_str(&doc, "y"), LZ_EINVAL);      /* not an empty document */
    lzi_document_dispose(&doc);
}

/* Every allocation that fails makes lzi_parse return LZ_ENOMEM with nothing left behind (the
 * sanitizer build checks the leaks). */
static void test_alloc_failures(void)
{
    lzi_document doc = LZI_DOCUMENT_INIT;
    lzi_buf src = LZI_BUF_INIT;
    size_t k;
    int rc = LZ_ENOMEM, all_enomem = 1, all_empty = 1;

    CHECK_RC(read_corpus(&src, "lanzarote-recommendations-finland.txt"), LZ_OK);
    for (k = 0; k < 10000 && rc == LZ_ENOMEM; k++) {
        lzi_alloc_fail_after(k);
        rc = lzi_parse(&doc, src.ptr, src.len, "finland");
        lzi_alloc_fail_after((size_t)-1);
        if (rc != LZ_OK) {
            all_enomem &= rc == LZ_ENOMEM;
            all_empty &= doc.title == NULL && doc.passages == NULL && doc.footnotes == NULL;
        }
    }
    CHECK_RC(rc, LZ_OK);
    CHECK(all_enomem && all_empty && k > 5);
    lzi_document_dispose(&doc);
    lzi_buf_dispose(&src);
}

int main(void)
{
    test_bulgaria();
    test_finland();
    test_endocsea();
    test_civil_society();
    test_assistance();
    test_document_model();
    test_crlf();
    test_markup();
    test_markup_notes();
    test_structure();
    test_columns();
    test_depth();
    test_bare_headings();
    test_limits();
    test_footnote_lookup();
    test_robustness();
    test_errors();
    test_alloc_failures();
    return lzt_finish();
}
