/* Conformance of text/'s boundaries with UAX #29: WordBreakTest.txt and SentenceBreakTest.txt
 * from Debian's unicode-data, after checking that they are for the Unicode version ICU
 * implements. Sentences go through lzi_sentences itself; words through ICU's "en" word iterator
 * over UTF-8 via a UText, exactly as text/analyze.c opens it (lzi_analyze reports words, not
 * every boundary). Any mismatch not listed below fails, and so does a listed line that passes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/uversion.h>

#include "harness.h"
#include "lz_text.h"

#ifndef UCD_AUX_DIR
#define UCD_AUX_DIR "/usr/share/unicode/auxiliary"
#endif

/* Longest line of the test files, and most code points on one line (the longest has ~50). */
#define MAX_LINE 4096
#define MAX_CPS 256

/* Lines of WordBreakTest.txt (15.0.0) where ICU's "en" words differ from UAX #29: each has a
 * letter, ':' (U+003A) and a letter, such as `a:A`. UAX #29 makes ':' MidLetter (WB6, WB7);
 * CLDR's root rules, which "en" uses, leave it out, so ICU breaks around the colon. */
static const unsigned word_known[] = {
    1253, 1254, 1267, 1268, 1283, 1284, 1285, 1286, 1287, 1288, 1289, 1290, 1291, 1292, 1712,
};

/* One test case: the text in UTF-8 and the byte offsets of its boundaries ('÷'). */
typedef struct test_case {
    char text[MAX_CPS * 4];
    size_t len;
    size_t breaks[MAX_CPS + 1];
    size_t n_breaks;
} test_case;

/* Parse "÷ 0061 × 003A ÷	# comment" into tc; 0 for a line without a case (comment, blank),
 * -1 for one we cannot read. */
static int parse_case(const char *line, test_case *tc)
{
    const char *p = line, *hash = strchr(line, '#');
    size_t end = hash != NULL ? (size_t)(hash - line) : strlen(line);
    int seen = 0;

    tc->len = tc->n_breaks = 0;
    while ((size_t)(p - line) < end) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            p++;
        } else if (strncmp(p, "\xC3\xB7", 2) == 0) {           /* ÷ U+00F7: a boundary */
            if (tc->n_breaks > MAX_CPS)
                return -1;
            tc->breaks[tc->n_breaks++] = tc->len;
            p += 2;
            seen = 1;
        } else if (strncmp(p, "\xC3\x97", 2) == 0) {           /* × U+00D7: none */
            p += 2;
        } else {
            char *after;
            unsigned long cp = strtoul(p, &after, 16);
            unsigned char *o = (unsigned char *)tc->text + tc->len;
            if (after == p || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
                tc->len + 4 > sizeof tc->text)
                return -1;
            if (cp < 0x80) {
                o[0] = (unsigned char)cp;
                tc->len += 1;
            } else if (cp < 0x800) {
                o[0] = (unsigned char)(0xC0 | cp >> 6);
                o[1] = (unsigned char)(0x80 | (cp & 0x3F));
                tc->len += 2;
            } else if (cp < 0x10000) {
                o[0] = (unsigned char)(0xE0 | cp >> 12);
                o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
                o[2] = (unsigned char)(0x80 | (cp & 0x3F));
                tc->len += 3;
            } else {
                o[0] = (unsigned char)(0xF0 | cp >> 18);
                o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
                o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
                o[3] = (unsigned char)(0x80 | (cp & 0x3F));
                tc->len += 4;
            }
            p = after;
        }
    }
    return seen ? 1 : 0;
}

/* Every boundary of tc's text by ICU's "en" word iterator, as lzi_analyze sets it up. */
static int word_breaks(UBreakIterator *bi, const test_case *tc, size_t *out, size_t *n)
{
    UErrorCode st = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;
    int32_t b;

    utext_openUTF8(&ut, tc->text, (int64_t)tc->len, &st);
    ubrk_setUText(bi, &ut, &st);
    utext_close(&ut);
    if (U_FAILURE(st)) {
        fprintf(stderr, "ubrk_setUText: %s\n", u_errorName(st));
        return -1;
    }
    for (*n = 0, b = ubrk_first(bi); b != UBRK_DONE && *n <= MAX_CPS; b = ubrk_next(bi))
        out[(*n)++] = (size_t)b;
    return 0;
}

/* Every boundary of tc's text by lzi_sentences: the sentence starts, then the end. */
static int sentence_breaks(lzi_analyzer *a, const test_case *tc, size_t *out, size_t *n)
{
    size_t *starts, n_starts, i;

    if (lzi_sentences(a, tc->text, tc->len, &starts, &n_starts) != LZ_OK) {
        fprintf(stderr, "lzi_sentences: %s\n", lz_last_error());
        return -1;
    }
    for (*n = 0, i = 0; i < n_starts && i < MAX_CPS; i++)
        out[(*n)++] = starts[i];
    out[(*n)++] = tc->len;
    lzi_free(starts);
    return 0;
}

static void print_breaks(const char *what, const size_t *v, size_t n)
{
    size_t i;

    fprintf(stderr, "  %s:", what);
    for (i = 0; i < n; i++)
        fprintf(stderr, " %zu", v[i]);
    fprintf(stderr, "\n");
}

/* The "# WordBreakTest-15.0.0.txt" line must name the Unicode version ICU implements. */
static int check_version(const char *path, const char *first_line)
{
    UVersionInfo file_v, icu_v;
    char file_s[U_MAX_VERSION_STRING_LENGTH], icu_s[U_MAX_VERSION_STRING_LENGTH];
    const char *dash = strrchr(first_line, '-'), *dot_txt = strstr(first_line, ".txt");
    char v[32];

    if (dash == NULL || dot_txt == NULL || dot_txt <= dash + 1 ||
        (size_t)(dot_txt - dash - 1) >= sizeof v) {
        fprintf(stderr, "%s:1: no version line\n", path);
        return 0;
    }
    memcpy(v, dash + 1, (size_t)(dot_txt - dash - 1));
    v[dot_txt - dash - 1] = '\0';
    u_versionFromString(file_v, v);
    u_getUnicodeVersion(icu_v);
    u_versionToString(file_v, file_s);
    u_versionToString(icu_v, icu_s);
    if (memcmp(file_v, icu_v, sizeof file_v) != 0) {
        fprintf(stderr, "%s is for Unicode %s, ICU implements Unicode %s\n", path, file_s, icu_s);
        return 0;
    }
    printf("%s: Unicode %s, as ICU %s\n", path, file_s, U_ICU_VERSION);
    return 1;
}

static int is_known(const unsigned *known, size_t n_known, unsigned line)
{
    size_t i;

    for (i = 0; i < n_known; i++)
        if (known[i] == line)
            return 1;
    return 0;
}

/* Run one test file; words when a is NULL, sentences through a otherwise. */
static void run_file(const char *name, UBreakIterator *words, lzi_analyzer *a,
                     const unsigned *known, size_t n_known)
{
    char path[512], line[MAX_LINE];
    static test_case tc;
    size_t got[MAX_CPS + 2], n_got;
    unsigned line_no = 0, n_cases = 0, n_match = 0, n_known_seen = 0;
    FILE *fp;
    int kind;

    snprintf(path, sizeof path, "%s/%s", UCD_AUX_DIR, name);
    if ((fp = fopen(path, "r")) == NULL) {
        fprintf(stderr, "cannot open %s: %s (it comes with Debian's unicode-data package)\n",
                path, strerror(errno));
        CHECK(!"the Unicode test file is missing");
        return;
    }
    if (fgets(line, sizeof line, fp) == NULL || !check_version(path, line)) {
        CHECK(!"the Unicode test file does not match ICU's Unicode version");
        fclose(fp);
        return;
    }
    line_no = 1;
    while (fgets(line, sizeof line, fp) != NULL) {
        int match, listed;
        line_no++;
        if ((kind = parse_case(line, &tc)) == 0)
            continue;
        if (kind < 0) {
            fprintf(stderr, "%s:%u: cannot read this line\n", path, line_no);
            CHECK(!"unreadable test line");
            continue;
        }
        n_cases++;
        if ((a == NULL ? word_breaks(words, &tc, got, &n_got)
                       : sentence_breaks(a, &tc, got, &n_got)) != 0) {
            CHECK(!"segmentation failed");
            continue;
        }
        match = n_got == tc.n_breaks && memcmp(got, tc.breaks, n_got * sizeof got[0]) == 0;
        listed = is_known(known, n_known, line_no);
        n_match += match;
        n_known_seen += listed;
        if (match && !listed) {
            lzt_passed++;
        } else if (!match && listed && strstr(line, " 003A ") != NULL) {
            lzt_passed++;                   /* the known difference, still there */
        } else if (match) {
            lzt_failed++;
            fprintf(stderr, "%s:%u: now matches UAX #29: remove it from the known list\n",
                    path, line_no);
        } else {
            lzt_failed++;
            fprintf(stderr, "%s:%u: boundaries differ%s\n", path, line_no,
                    listed ? " (listed as known, but there is no colon)" : "");
            print_breaks("expected", tc.breaks, tc.n_breaks);
            print_breaks("ICU     ", got, n_got);
        }
    }
    fclose(fp);
    printf("%s: %u of %u lines as in UAX #29, %u known differences\n", name, n_match, n_cases,
           n_known_seen);
    if (n_known_seen != n_known) {
        fprintf(stderr, "%s: %zu lines are listed as known, %u of them are test lines\n", name,
                n_known, n_known_seen);
        CHECK(n_known_seen == n_known);
    }
}

int main(void)
{
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *words = ubrk_open(UBRK_WORD, "en", NULL, 0, &st);
    lzi_analyzer *a = NULL;

    CHECK(U_SUCCESS(st));
    CHECK_RC(lzi_analyzer_new(&a), LZ_OK);
    if (U_SUCCESS(st) && a != NULL) {
        run_file("WordBreakTest.txt", words, NULL, word_known,
                 sizeof word_known / sizeof word_known[0]);
        run_file("SentenceBreakTest.txt", NULL, a, NULL, 0);
    }
    ubrk_close(words);
    lzi_analyzer_free(a);
    return lzt_finish();
}
