/* Unit tests of text/: UTF-8 checks and repair, normalization, the analyzer's tokens (the index
 * side), the query rewriting (the query side) and stopword lists, against the real ICU,
 * utf8proc and Xapian stemmer. Each rule of the pipeline is checked on both sides where it
 * applies, and every documented status is triggered. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "lz_text.h"

#define STOPWORDS LZ_TEST_SOURCE_DIR "/stopwords/english.txt"

/* --- helpers ------------------------------------------------------------------------------- */

static lzi_buf shown = LZI_BUF_INIT;       /* what the helpers below return; reused */

static int show_token(void *payload, const lzi_token *t)
{
    lzi_buf *b = payload;

    if (b->len > 0)
        lzi_buf_putc(b, ' ');
    return lzi_buf_printf(b, "%s%.*s@%u", (t->flags & LZI_TOKEN_JOINED) ? "+" : "",
                          (int)t->norm_len, t->norm, t->pos);
}

/* The tokens of text as "norm@pos" one space apart; joined extras start with '+'. */
static const char *tokens(lzi_analyzer *a, const char *text)
{
    int rc;

    lzi_buf_clear(&shown);
    lzi_buf_reserve(&shown, 0);
    if ((rc = lzi_analyze(a, text, strlen(text), show_token, &shown)) != LZ_OK)
        lzi_buf_printf(&shown, "<error %d: %s>", rc, lz_last_error());
    return shown.ptr;
}

static int show_stem(void *payload, const lzi_token *t)
{
    lzi_buf *b = payload;

    if (b->len > 0)
        lzi_buf_putc(b, ' ');
    if (t->stem == NULL)
        return lzi_buf_printf(b, "%.*s>-", (int)t->norm_len, t->norm);
    return lzi_buf_printf(b, "%.*s>%.*s", (int)t->norm_len, t->norm, (int)t->stem_len, t->stem);
}

/* The tokens of text as "norm>stem" ("norm>-" when not stemmed). */
static const char *stems(lzi_analyzer *a, const char *text)
{
    lzi_buf_clear(&shown);
    lzi_buf_reserve(&shown, 0);
    lzi_analyze(a, text, strlen(text), show_stem, &shown);
    return shown.ptr;
}

static int show_range(void *payload, const lzi_token *t)
{
    lzi_buf *b = payload;

    if (b->len > 0)
        lzi_buf_putc(b, ' ');
    return lzi_buf_printf(b, "%zu-%zu", t->start, t->end);
}

/* The byte ranges of the tokens of text, "start-end". */
static const char *ranges(lzi_analyzer *a, const char *text)
{
    lzi_buf_clear(&shown);
    lzi_buf_reserve(&shown, 0);
    lzi_analyze(a, text, strlen(text), show_range, &shown);
    return shown.ptr;
}

/* The query as QueryParser will receive it. */
static const char *query(lzi_analyzer *a, const char *q)
{
    int rc;

    lzi_buf_clear(&shown);
    if ((rc = lzi_query_normalize(a, q, strlen(q), &shown)) != LZ_OK)
        lzi_buf_printf(&shown, "<error %d: %s>", rc, lz_last_error());
    return shown.ptr;
}

static const char *normalized(const char *text)
{
    int rc;

    lzi_buf_clear(&shown);
    if ((rc = lzi_normalize(&shown, text, strlen(text))) != LZ_OK)
        lzi_buf_printf(&shown, "<error %d: %s>", rc, lz_last_error());
    lzi_buf_reserve(&shown, 0);
    return shown.ptr;
}

static int count_tokens(void *payload, const lzi_token *t)
{
    (void)t;
    return ++*(int *)payload == 1 ? 0 : 7;     /* stop at the second token */
}

/* --- UTF-8 --------------------------------------------------------------------------------- */

static void test_utf8(void)
{
    /* Unicode 15.0, Table 3-8: one U+FFFD per maximal subpart */
    static const char damaged[] = "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64";
    lzi_buf b = LZI_BUF_INIT;
    size_t n_bad = 99;

    CHECK(lzi_utf8_invalid("", 0) == LZI_NPOS);
    CHECK(lzi_utf8_invalid("caf\xC3\xA9 \xE2\x80\x99 \xF0\x9F\x98\x80", 14) == LZI_NPOS);
    CHECK(lzi_utf8_invalid("abc\xC3", 4) == 3);                 /* truncated */
    CHECK(lzi_utf8_invalid("ab\xC0\xAF", 4) == 2);              /* overlong '/' */
    CHECK(lzi_utf8_invalid("\xE0\x80\xAF", 3) == 0);            /* overlong */
    CHECK(lzi_utf8_invalid("x\xED\xA0\x80", 4) == 1);           /* surrogate U+D800 */
    CHECK(lzi_utf8_invalid("\xF4\x90\x80\x80", 4) == 0);        /* above U+10FFFF */
    CHECK(lzi_utf8_invalid("ok \x80", 4) == 3);                 /* stray continuation */
    CHECK(lzi_utf8_invalid("\xF8\x88\x80\x80\x80", 5) == 0);    /* 5-byte form */

    CHECK_RC(lzi_utf8_repair(&b, damaged, sizeof damaged - 1, &n_bad), LZ_OK);
    CHECK_STR(b.ptr, "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c"
                     "\xEF\xBF\xBD\xEF\xBF\xBD" "d");
    CHECK(n_bad == 6);
    lzi_buf_clear(&b);
    CHECK_RC(lzi_utf8_repair(&b, "\xED\xA0\x80z\xF0\x80\x80", 7, &n_bad), LZ_OK);
    CHECK(n_bad == 6);                                          /* 3 + 3: neither is a prefix */
    CHECK(lzi_utf8_invalid(b.ptr, b.len) == LZI_NPOS);
    lzi_buf_clear(&b);
    CHECK_RC(lzi_utf8_repair(&b, "caf\xC3\xA9", 5, NULL), LZ_OK);  /* n_bad may be NULL */
    CHECK_STR(b.ptr, "caf\xC3\xA9");
    lzi_buf_clear(&b);
    CHECK_RC(lzi_utf8_repair(&b, "x\xC3", 2, &n_bad), LZ_OK);      /* truncated at the end */
    CHECK_STR(b.ptr, "x\xEF\xBF\xBD");
    CHECK(n_bad == 1);
    lzi_buf_dispose(&b);

    lzi_alloc_fail_after(0);
    CHECK_RC(lzi_utf8_repair(&b, "abc", 3, &n_bad), LZ_ENOMEM);
    lzi_alloc_fail_after((size_t)-1);
    lzi_buf_dispose(&b);
}

/* --- normalization ------------------------------------------------------------------------- */

static void test_normalize(void)
{
    lzi_buf b = LZI_BUF_INIT;
    char twice[80];

    CHECK_STR(normalized("PROC\xC3\x89" "DURE"), "procedure");           /* PROCÉDURE */
    CHECK_STR(normalized("proce\xCC\x81" "dure"), "procedure");          /* decomposed é */
    CHECK_STR(normalized("l\xC3\xA4nder"), "lander");                    /* länder */
    CHECK_STR(normalized("\xEF\xAC\x81nancial"), "financial");          /* ﬁnancial */
    CHECK_STR(normalized("Stra\xC3\x9F" "e"), "strasse");                /* Straße */
    CHECK_STR(normalized("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3"), "abc"); /* ＡＢＣ */
    CHECK_STR(normalized("child\xE2\x80\x99s"), "child's");              /* U+2019 */
    CHECK_STR(normalized("child\xE2\x80\x98s child\xCA\xBCs child\xEF\xBC\x87s"),
              "child's child's child's");                                /* U+2018 U+02BC U+FF07 */
    CHECK_STR(normalized("co\xC2\xAD" "operation"), "cooperation");      /* soft hyphen */
    CHECK_STR(normalized("Hello, World 2019!"), "hello, world 2019!");    /* the ASCII path */
    CHECK_STR(normalized("x\xC2\xB2"), "x2");          /* NFKC: why the analyzer drops them */
    CHECK_STR(normalized(""), "");

    /* appends; the scratch space is aligned whatever is already there */
    CHECK_RC(lzi_buf_puts(&b, "abc"), LZ_OK);
    CHECK_RC(lzi_normalize(&b, "\xC3\x89t\xC3\xA9", 5), LZ_OK);
    CHECK_STR(b.ptr, "abcete");
    /* U+FDFA decomposes into 18 code points: twice that outgrows the first scratch guess */
    lzi_buf_clear(&b);
    CHECK_RC(lzi_normalize(&b, "\xEF\xB7\xBA", 3), LZ_OK);
    snprintf(twice, sizeof twice, "%s%s", b.ptr, b.ptr);
    CHECK(b.len == 33);
    CHECK_STR(normalized("\xEF\xB7\xBA\xEF\xB7\xBA"), twice);

    lzi_buf_clear(&b);
    CHECK_RC(lzi_normalize(&b, "ab\xC3\xA9\xC3", 5), LZ_EINPUT);
    CHECK(strstr(lz_last_error(), "byte 4") != NULL);
    CHECK_RC(lzi_normalize(&b, "\xFF", 1), LZ_EINPUT);
    lzi_buf_dispose(&b);
    lzi_alloc_fail_after(0);
    CHECK_RC(lzi_normalize(&b, "Abc", 3), LZ_ENOMEM);
    CHECK_RC(lzi_normalize(&b, "\xC3\x89t\xC3\xA9", 5), LZ_ENOMEM);
    lzi_alloc_fail_after((size_t)-1);
    lzi_buf_dispose(&b);
}

/* --- analysis: the index side -------------------------------------------------------------- */

static void test_analyze_words(lzi_analyzer *a)
{
    char text[200];

    /* normalization: case, accents, ligatures */
    CHECK_STR(tokens(a, "PROC\xC3\x89" "DURE and procedure"), "procedure@0 and@1 procedure@2");
    CHECK_STR(tokens(a, "L\xC3\xA4nder \xEF\xAC\x81nancial"), "lander@0 financial@1");
    /* stems: capitalised words are stemmed like lower-case ones */
    CHECK_STR(stems(a, "Parties parties"), "parties>parti parties>parti");
    CHECK_STR(stems(a, "2019 CSGSIV 25th"), "2019>- csgsiv>csgsiv 25th>-");
    CHECK_STR(tokens(a, "In 2019, CSGSIV"), "in@0 2019@1 csgsiv@2");
    /* apostrophes: curly and straight are one; a trailing one is not part of the word */
    CHECK_STR(tokens(a, "Parties\xE2\x80\x99 child\xE2\x80\x99s child's"),
              "parties@0 child's@1 child's@2");
    CHECK_STR(stems(a, "child\xE2\x80\x99s"), "child's>child");
    /* acronym dots go, decimal points stay */
    CHECK_STR(tokens(a, "the U.S.A. e.g. 2.5 v1.2 1,000.5"),
              "the@0 usa@1 eg@2 2.5@3 v1.2@4 1,000.5@5");
    /* dotted names: the parts are words, then the whole without dots at the first position */
    CHECK_STR(tokens(a, "to www.safenet.bg. Then coe.int"),
              "to@0 www@1 safenet@2 bg@3 +wwwsafenetbg@1 then@4 coe@5 int@6 +coeint@5");
    CHECK_STR(tokens(a, "static1.squarespace.com u.s e.g"),
              "static1@0 squarespace@1 com@2 +squarespacecom@1 us@3 eg@4");   /* ICU: 1.s splits */
    /* footnote superscripts never join a word and make no token */
    CHECK_STR(tokens(a, "so\xC2\xB3 Parties\xE2\x81\xB9\xE2\x81\xB5 offenders.\xC2\xB9\xE2\x81\xB4"
                        "\xE2\x81\xB0 framework \xC2\xB9\xE2\x81\xB0\xC2\xB9 that \xC2\xB2"),
              "so@0 parties@1 offenders@2 framework@3 that@4");
    CHECK_STR(tokens(a, "x\xE2\x81\xB0y \xE2\x81\xB6\xE2\x81\xB7\xE2\x81\xB8\xE2\x81\xB9"),
              "x@0 y@1");                                       /* x⁰y ⁶⁷⁸⁹ */
    /* hyphenated compounds of letters: the parts, then the joined form at the first position */
    CHECK_STR(tokens(a, "co-operation"), "co@0 operation@1 +cooperation@0");
    CHECK_STR(tokens(a, "self-generated images"),
              "self@0 generated@1 +selfgenerated@0 images@2");
    CHECK_STR(tokens(a, "child-self-generated content"),
              "child@0 self@1 generated@2 +childselfgenerated@0 content@3");
    CHECK_STR(tokens(a, "ICT-facilitated, co\xE2\x80\x90op and co\xE2\x80\x91op"),
              "ict@0 facilitated@1 +ictfacilitated@0 co@2 op@3 +coop@2 and@4 co@5 op@6 +coop@5");
    CHECK_STR(tokens(a, "co - operation co--operation -word word-"),
              "co@0 operation@1 co@2 operation@3 word@4 word@5");
    /* identifiers with digits: parts at consecutive positions, no joined form */
    CHECK_STR(tokens(a, "Recommendation II-6, 2019-11, Article 25(4), 20(1)(a), Para.71"),
              "recommendation@0 ii@1 6@2 2019@3 11@4 article@5 25@6 4@7 20@8 1@9 a@10 para@11 "
              "71@12");
    CHECK_STR(tokens(a, "ICT-facilitated-2 x"), "ict@0 facilitated@1 +ictfacilitated@0 2@2 x@3");
    /* Markdown markup is punctuation to ICU */
    CHECK_STR(tokens(a, "** # | --- > < ** |"), "");
    CHECK_STR(tokens(a, "## Title | **bold** | [text](#) ---"), "title@0 bold@1 text@2");
    CHECK_STR(tokens(a, "consent<sup>12</sup>"), "consent@0 sup@1 12@2 sup@3");   /* no crash */
    /* a word that normalizes to nothing (U+115F is a letter and default-ignorable) takes no
     * position */
    CHECK_STR(tokens(a, "a \xE1\x85\x9F b"), "a@0 b@1");
    /* the length limit: 64 bytes is a word, 65 and more are skipped without a position */
    memset(text, 0, sizeof text);
    memcpy(text, "alpha ", 6);
    memset(text + 6, 'x', 70);
    memcpy(text + 76, " beta", 5);
    CHECK_STR(tokens(a, text), "alpha@0 beta@1");
    memset(text, 0, sizeof text);
    memset(text, 'y', LZI_MAX_WORD_LEN);
    CHECK(strlen(tokens(a, text)) == LZI_MAX_WORD_LEN + 2);
    memset(text, 0, sizeof text);
    memcpy(text, "ab-", 3);
    memset(text + 3, 'z', LZI_MAX_WORD_LEN - 1);             /* parts fit, joined is 65 */
    CHECK(strstr(tokens(a, text), "+") == NULL);
    CHECK(strncmp(tokens(a, text), "ab@0 zzz", 8) == 0);
    memset(text, 0, sizeof text);
    memcpy(text, "a-", 2);
    memset(text + 2, 'z', LZI_MAX_WORD_LEN - 1);             /* joined is exactly 64 */
    CHECK(strstr(tokens(a, text), " +az") != NULL);
    CHECK_STR(tokens(a, ""), "");
}

static void test_analyze_offsets(lzi_analyzer *a)
{
    const char *t = "Caf\xC3\xA9 co-operation \xE2\x80\x9C" "child\xE2\x80\x99s\xE2\x80\x9D U.S.A.";
    int n = 0;

    /* byte ranges in the caller's text; the joined token spans its parts */
    CHECK_STR(ranges(a, t), "0-5 6-8 9-18 6-18 22-31 35-40");
    CHECK_STR(ranges(a, "so\xC2\xB3 x"), "0-2 5-6");
    /* emit's non-zero value stops the walk and comes back */
    CHECK(lzi_analyze(a, "one two three", 13, count_tokens, &n) == 7);
    CHECK(n == 2);
    CHECK_RC(lzi_analyze(a, "ok \xC3\x28", 5, show_token, &shown), LZ_EINPUT);
    CHECK(strstr(lz_last_error(), "byte 3") != NULL);
    /* the limit on one block (ICU counts in int32_t); refused before the text is read */
    CHECK_RC(lzi_analyze(a, "x", (size_t)INT32_MAX + 1, show_token, &shown), LZ_EINPUT);
}

static void test_sentences(lzi_analyzer *a)
{
    const char *t = "This is one. Is this two? \xE2\x80\x9CYes,\xE2\x80\x9D it is three!";
    size_t *starts = NULL, n = 0;

    CHECK_RC(lzi_sentences(a, t, strlen(t), &starts, &n), LZ_OK);
    CHECK(n == 3);
    if (n == 3)
        CHECK(starts[0] == 0 && starts[1] == 13 && starts[2] == 26);
    lzi_free(starts);
    CHECK_RC(lzi_sentences(a, "", 0, &starts, &n), LZ_OK);
    CHECK(n == 0 && starts != NULL);
    lzi_free(starts);
    CHECK_RC(lzi_sentences(a, "One.\xFF Two.", 10, &starts, &n), LZ_EINPUT);
    CHECK(starts == NULL && n == 0);
    CHECK_RC(lzi_sentences(a, "x", (size_t)INT32_MAX + 1, &starts, &n), LZ_EINPUT);
    lzi_alloc_fail_after(0);
    CHECK_RC(lzi_sentences(a, t, strlen(t), &starts, &n), LZ_ENOMEM);
    lzi_alloc_fail_after((size_t)-1);
}

static void test_analyzer_misc(lzi_analyzer *a)
{
    static char sentinel;
    lzi_analyzer *b = (lzi_analyzer *)(void *)&sentinel;       /* must come back NULL */
    lzi_buf st = LZI_BUF_INIT;
    const char *v = lzi_text_versions();

    CHECK_RC(lzi_stem(a, "parties", 7, &st), LZ_OK);
    CHECK_STR(st.ptr, "parti");
    CHECK_RC(lzi_stem(a, "cooperation", 11, &st), LZ_OK);         /* replaces the contents */
    CHECK_STR(st.ptr, "cooper");
    lzi_buf_dispose(&st);

    CHECK(strncmp(v, "ICU ", 4) == 0);
    CHECK(strstr(v, ", Unicode ") != NULL && strstr(v, ", utf8proc ") != NULL);
    CHECK(v == lzi_text_versions());
    printf("text versions: %s\n", v);

    lzi_alloc_fail_after(0);
    CHECK_RC(lzi_analyzer_new(&b), LZ_ENOMEM);
    lzi_alloc_fail_after((size_t)-1);
    CHECK(b == NULL);
    lzi_analyzer_free(NULL);
    /* a fresh analyzer whose first buffer cannot grow */
    CHECK_RC(lzi_analyzer_new(&b), LZ_OK);
    lzi_alloc_fail_after(0);
    CHECK_RC(lzi_analyze(b, "word", 4, show_token, &shown), LZ_ENOMEM);
    lzi_alloc_fail_after((size_t)-1);
    lzi_analyzer_free(b);
}

/* --- queries ------------------------------------------------------------------------------- */

static void test_query(lzi_analyzer *a)
{
    lzi_buf b = LZI_BUF_INIT;

    /* words are normalized as in the index */
    CHECK_STR(query(a, "PROC\xC3\x89" "DURE L\xC3\xA4nder \xEF\xAC\x81nancial"),
              "procedure lander financial");
    CHECK_STR(query(a, "Parties"), "parties");
    CHECK_STR(query(a, "Parties\xE2\x80\x99 child\xE2\x80\x99s child's"),
              "parties child's child's");
    CHECK_STR(query(a, "U.S.A. 2019 CSGSIV"), "usa 2019 csgsiv");
    CHECK_STR(query(a, "Parties\xE2\x81\xB9\xE2\x81\xB5 so\xC2\xB3"), "parties so");
    CHECK_STR(query(a, "  child   abuse \t"), "child abuse");
    CHECK_STR(query(a, "child & abuse, online?"), "child abuse online");
    CHECK_STR(query(a, "**bold** | # word** x*y"), "bold word x y");
    CHECK_STR(query(a, ""), "");
    /* operators: upper case and standalone only */
    CHECK_STR(query(a, "Child AND Abuse OR x NOT y XOR z"), "child AND abuse OR x NOT y XOR z");
    CHECK_STR(query(a, "grooming NEAR/3 online ADJ/2 x NEAR y ADJ z"),
              "grooming NEAR/3 online ADJ/2 x NEAR y ADJ z");
    CHECK_STR(query(a, "child and abuse Or x"), "child and abuse or x");
    CHECK_STR(query(a, "ANDROID OR/2 AND/3 NEAR/ NEAR/2x"),
              "android \"or 2\" \"and 3\" near \"near 2x\"");
    /* love, hate, wildcards, brackets, fields */
    CHECK_STR(query(a, "+Child -Abuse Criminalis*"), "+child -abuse criminalis*");
    CHECK_STR(query(a, "(Child OR Minor) AND ((abuse))"), "(child OR minor) AND ((abuse))");
    CHECK_STR(query(a, "title:Lanzarote doc:Lanzarote-Factsheet-Bulgaria"),
              "title:lanzarote doc:lanzarote-factsheet-bulgaria");
    CHECK_STR(query(a, "title:\"Civil Society\" -doc:x"), "title:\"civil society\" -doc:x");
    CHECK_STR(query(a, "Title:Foo"), "title foo");                   /* not a field name */
    /* quotes: typographic ones become '"'; inside, words are only normalized */
    CHECK_STR(query(a, "\xE2\x80\x9C" "Child Abuse\xE2\x80\x9D"), "\"child abuse\"");
    CHECK_STR(query(a, "\xE2\x80\x9E" "Child\xE2\x80\x9D x"), "\"child\" x");
    CHECK_STR(query(a, "\"Child\xE2\x80\x99s co-operation AND II-6 Article 25(4)\""),
              "\"child's co operation and ii 6 article 25 4\"");
    CHECK_STR(query(a, "a \"b\"c d\" e"), "a \"b\"c d\" e");
    /* identifiers that ICU splits become phrases */
    CHECK_STR(query(a, "25(4) 20(1)(a) II-6 Para.71 IV-6 2019-11 and/or"),
              "\"25 4\" \"20 1 a\" \"ii 6\" \"para 71\" \"iv 6\" \"2019 11\" \"and or\"");
    CHECK_STR(query(a, "(25(4))"), "(\"25 4\")");
    /* a reference word and its number make one phrase */
    CHECK_STR(query(a, "Article 25(4)"), "\"article 25 4\"");
    CHECK_STR(query(a, "Recommendation II-6"), "\"recommendation ii 6\"");
    CHECK_STR(query(a, "see para 129, and Art. 3 or Articles 18(1)(b)"),
              "see \"para 129\" and \"art 3\" or \"articles 18 1 b\"");
    CHECK_STR(query(a, "(Rec II-5 OR Recommendation IV-6)"),
              "(\"rec ii 5\" OR \"recommendation iv 6\")");
    CHECK_STR(query(a, "-Chapter 3"), "-\"chapter 3\"");
    CHECK_STR(query(a, "Chapter IV"), "chapter iv");                 /* no digit: no phrase */
    CHECK_STR(query(a, "article AND 25"), "article AND 25");
    CHECK_STR(query(a, "article \"25\""), "article \"25\"");
    CHECK_STR(query(a, "article 25* article"), "article 25* article");
    CHECK_STR(query(a, "article"), "article");
    /* compounds of letters also ask for the joined spelling; a leading '-' is NOT */
    CHECK_STR(query(a, "co-operation"), "(co-operation OR cooperation)");
    CHECK_STR(query(a, "Self-Generated material"), "(self-generated OR selfgenerated) material");
    CHECK_STR(query(a, "child-self-generated"), "(child-self-generated OR childselfgenerated)");
    CHECK_STR(query(a, "co\xE2\x80\x90operation"), "(co-operation OR cooperation)");
    CHECK_STR(query(a, "-abuse -co-operation +ICT-facilitated"),
              "-abuse -(co-operation OR cooperation) +(ict-facilitated OR ictfacilitated)");
    /* unbalanced quotes and brackets pass (QueryParser repairs them) */
    CHECK_STR(query(a, "\"child abuse"), "\"child abuse");
    CHECK_STR(query(a, "(a OR b"), "(a OR b");
    CHECK_STR(query(a, "a OR b))"), "a OR b))");
    CHECK_STR(query(a, "\" ( ) \" ( \""), "\" \" ( \"");
    CHECK_STR(query(a, "- + * ( )"), "- + ( )");        /* a lone '*' is no wildcard */

    /* the result is appended; on failure out is left as it was */
    CHECK_RC(lzi_buf_puts(&b, "q="), LZ_OK);
    CHECK_RC(lzi_query_normalize(a, "Child", 5, &b), LZ_OK);
    CHECK_STR(b.ptr, "q=child");
    CHECK_RC(lzi_query_normalize(a, "ab \xC3\xA9\xE9", 6, &b), LZ_EINPUT);
    CHECK(strstr(lz_last_error(), "byte 5") != NULL);
    CHECK_STR(b.ptr, "q=child");
    lzi_buf_dispose(&b);
    CHECK_RC(lzi_query_normalize(a, "", 0, &b), LZ_OK);
    CHECK(b.ptr != NULL && b.len == 0);                 /* an empty string, not NULL */
    lzi_buf_dispose(&b);
    lzi_alloc_fail_after(1);
    CHECK_RC(lzi_query_normalize(a, "co-operation", 12, &b), LZ_ENOMEM);
    lzi_alloc_fail_after((size_t)-1);
    lzi_buf_dispose(&b);

    /* the reference words, as typed */
    CHECK(lzi_is_reference_word("Recommendation", 14));
    CHECK(lzi_is_reference_word("Art.", 4));
    CHECK(lzi_is_reference_word("PARAS", 5));
    CHECK(!lzi_is_reference_word("Para.71", 7));
    CHECK(!lzi_is_reference_word("artic", 5));
    CHECK(!lzi_is_reference_word(".", 1));
    CHECK(!lzi_is_reference_word("", 0));
}

/* --- stopwords ----------------------------------------------------------------------------- */

static uint64_t fnv1a64(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);

    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

/* Stopwords and the quantity word of "how many" leave the query, but not from phrases,
 * operands, fields, or a query that would be left with nothing. */
static void test_drop_stopwords(void)
{
    static const char *const cases[][2] = {
        { "for which offences must parties drop", "offences parties drop" },
        { "for which (offences OR offense)", "(offences OR offense)" },
        { "how many parties have a police team", "parties police team" },
        { "how long do companies keep data", "companies data" },   /* a light verb too */
        { "pictures they took of themselves", "pictures" },
        { "long term how", "long term" },                /* only right after "how" */
        { "\"the last resort\" of the", "\"the last resort\"" },
        { "title:\"the report\" of the", "title:\"the report\"" },
        { "the AND grooming", "the AND grooming" },      /* an operand stays */
        { "grooming NEAR/3 the", "grooming NEAR/3 the" },
        { "to be or not to be", "to be or not to be" },  /* nothing else: all stays */
        { "how many", "how many" },
        { "+the grooming", "+the grooming" },
        { "", "" },
    };
    lzi_stoplist s;
    lzi_buf b = LZI_BUF_INIT;
    size_t i;

    CHECK_RC(lzi_stoplist_load(&s, STOPWORDS), LZ_OK);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lzi_buf_clear(&b);
        CHECK_RC(lzi_query_drop_stopwords(cases[i][0], strlen(cases[i][0]), &s, &b), LZ_OK);
        CHECK_STR(b.ptr ? b.ptr : "", cases[i][1]);
    }
    lzi_buf_clear(&b);
    CHECK_RC(lzi_buf_puts(&b, "kept"), LZ_OK);
    lzi_alloc_fail_after(0);
    CHECK_RC(lzi_query_drop_stopwords("the grooming", 12, &s, &b), LZ_ENOMEM);
    lzi_alloc_fail_after((size_t)-1);
    CHECK_STR(b.ptr, "kept");                           /* all or nothing */
    lzi_buf_dispose(&b);
    lzi_stoplist_dispose(&s);
}

static void test_asks_count(void)
{
    static const struct {
        const char *q;
        int want;
    } cases[] = {
        { "how many parties have a police team", 1 },
        { "how much funding", 1 },
        { "parties and how many units", 1 },
        { "how long do companies keep data", 0 },     /* a duration */
        { "how often", 0 },
        { "many how", 0 },
        { "\"how many\" campaign", 0 },                /* a phrase of the text */
        { "how \"many", 0 },
        { "howmany", 0 },
        { "how manyfold", 0 },
        { "", 0 },
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (lzi_query_asks_count(cases[i].q, strlen(cases[i].q)) != cases[i].want)
            fprintf(stderr, "asks count: %s\n", cases[i].q);
        CHECK(lzi_query_asks_count(cases[i].q, strlen(cases[i].q)) == cases[i].want);
    }
}

static void test_stoplist(void)
{
    static const char *const in[] = { "the", "a", "which", "what", "how", "of", "and", "not" };
    static const char *const out[] = { "child", "children", "party", "parties", "state", "law",
                                       "abuse", "sexual" };
    const char *list = "# c\n  The \r\nof # x\n\nAnd\nthe";
    lzi_stoplist s, t;
    char path[] = "/tmp/lzt-stopXXXXXX", want[17];
    size_t i;
    FILE *fp;
    int fd;

    CHECK_RC(lzi_stoplist_load(&s, STOPWORDS), LZ_OK);
    CHECK(s.n >= 200 && s.n <= 240);
    printf("stopwords: %zu, digest %s\n", s.n, s.digest);
    for (i = 0; i < sizeof in / sizeof in[0]; i++)
        CHECK(lzi_stoplist_has(&s, in[i], strlen(in[i])));
    for (i = 0; i < sizeof out / sizeof out[0]; i++)
        CHECK(!lzi_stoplist_has(&s, out[i], strlen(out[i])));
    CHECK(lzi_stoplist_has(&s, "thereby", 5));          /* "there": the length counts */
    CHECK(!lzi_stoplist_has(&s, "the", 2));
    for (i = 1; i < s.n; i++)
        CHECK(strcmp(s.words[i - 1], s.words[i]) < 0);
    CHECK(strlen(s.digest) == 16 && strspn(s.digest, "0123456789abcdef") == 16);
    CHECK_RC(lzi_stoplist_load(&t, STOPWORDS), LZ_OK);  /* stable from one load to the next */
    CHECK_STR(t.digest, s.digest);
    lzi_stoplist_dispose(&t);
    lzi_stoplist_dispose(&s);
    CHECK(s.n == 0 && s.words == NULL);
    CHECK(!lzi_stoplist_has(&s, "the", 3));

    /* digest: FNV-1a 64 of the sorted, normalized, distinct words joined by '\n' */
    CHECK_RC(lzi_stoplist_from_text(&s, list, strlen(list)), LZ_OK);
    CHECK(s.n == 3);
    snprintf(want, sizeof want, "%016llx", (unsigned long long)fnv1a64("and\nof\nthe"));
    CHECK_STR(s.digest, want);
    CHECK(lzi_stoplist_has(&s, "the", 3) && lzi_stoplist_has(&s, "and", 3));
    CHECK_RC(lzi_stoplist_from_text(&t, "of\nand\nthe", 10), LZ_OK);   /* order does not count */
    CHECK_STR(t.digest, s.digest);
    lzi_stoplist_dispose(&t);
    lzi_stoplist_dispose(&s);
    CHECK_RC(lzi_stoplist_from_text(&s, "", 0), LZ_OK);
    CHECK(s.n == 0 && strlen(s.digest) == 16);
    lzi_stoplist_dispose(&s);

    CHECK_RC(lzi_stoplist_load(&s, LZ_TEST_SOURCE_DIR "/stopwords/no-such-list.txt"), LZ_EIO);
    CHECK(s.n == 0 && s.words == NULL);
    CHECK_RC(lzi_stoplist_from_text(&s, "a\nb\xC3\n", 5), LZ_EINPUT);
    CHECK(strstr(lz_last_error(), "line 2") != NULL);
    CHECK_RC(lzi_stoplist_from_text(&s, "a\nof the\n", 9), LZ_EINPUT);
    CHECK_RC(lzi_stoplist_from_text(&s, "\xE1\x85\x9F\n", 4), LZ_EINPUT);   /* empty once
                                                                                normalized */
    lzi_alloc_fail_after(2);
    CHECK_RC(lzi_stoplist_from_text(&s, "a\nb\nc\n", 6), LZ_ENOMEM);
    lzi_alloc_fail_after((size_t)-1);
    CHECK(s.n == 0 && s.words == NULL);

    /* the size limit of a list file (1 MiB) */
    if ((fd = mkstemp(path)) >= 0 && (fp = fdopen(fd, "w")) != NULL) {
        for (i = 0; i < 1024 * 1024 / 4 + 1; i++)
            fputs("abc\n", fp);
        fclose(fp);
        CHECK_RC(lzi_stoplist_load(&s, path), LZ_EINPUT);
        CHECK(strstr(lz_last_error(), path) != NULL);
        unlink(path);
    } else {
        CHECK(!"cannot create a temporary file");
    }
}

int main(void)
{
    lzi_analyzer *a = NULL;

    test_utf8();
    test_normalize();
    test_stoplist();
    test_drop_stopwords();
    test_asks_count();
    CHECK_RC(lzi_analyzer_new(&a), LZ_OK);
    if (a != NULL) {
        test_analyze_words(a);
        test_analyze_offsets(a);
        test_sentences(a);
        test_analyzer_misc(a);
        test_query(a);
    }
    lzi_analyzer_free(a);
    lzi_buf_dispose(&shown);
    return lzt_finish();
}
