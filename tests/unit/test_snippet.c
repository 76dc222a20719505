/* Snippet rules: the window holds the most distinct query terms, starts at a sentence where it
 * can, is cut only between words (never inside a word or a UTF-8 sequence), marks cuts with
 * "…", and highlights exactly the words that produced query terms (unstemmed, stemmed, joined
 * compounds, wildcard prefixes). Real ICU, utf8proc and the Xapian stemmer. */
#include <string.h>

#include "harness.h"
#include "lz_snippet.h"
#include "lz_text.h"

static lzi_analyzer *an;

/* The highlighted spans of s as "a|b|c". */
static const char *spans_of(const lzi_snippet *s)
{
    static char buf[512];
    size_t i, at = 0;
    buf[0] = '\0';
    for (i = 0; i < s->n_spans && at + 2 < sizeof buf; i++) {
        size_t off = s->spans[2 * i], len = s->spans[2 * i + 1];
        if (i > 0)
            buf[at++] = '|';
        if (at + len + 1 >= sizeof buf)
            break;
        memcpy(buf + at, s->text.ptr + off, len);
        at += len;
        buf[at] = '\0';
    }
    return buf;
}

static int valid_utf8(const char *s)
{
    return lzi_utf8_invalid(s, strlen(s)) == LZI_NPOS;
}

static void test_short_passage(void)
{
    static const char *const terms[] = { "Zcrimin", "dual" };
    lzi_query_terms q = { terms, 2, NULL, 0, NULL };
    lzi_snippet s = LZI_SNIPPET_INIT;
    const char *text = "The dual criminality principle applies to Criminal acts.";

    CHECK_RC(lzi_snippet_make(&s, an, text, strlen(text), &q, 300), LZ_OK);
    CHECK_STR(s.text.ptr, text);                    /* short: whole, no cut marks */
    CHECK_STR(spans_of(&s), "dual criminality|Criminal");   /* adjacent matches join */
    lzi_snippet_dispose(&s);
}

static void test_window(void)
{
    static const char *const terms[] = { "Zextort", "sextortion" };
    lzi_query_terms q = { terms, 2, NULL, 0, NULL };
    lzi_snippet s = LZI_SNIPPET_INIT;
    char text[2048];
    size_t i;

    /* filler sentences, then the sentence with both terms, then more filler */
    text[0] = '\0';
    for (i = 0; i < 8; i++)
        strcat(text, "Nothing relevant is said in this sentence at all. ");
    strcat(text, "Sextortion, or sexual extortion, is named here. ");
    for (i = 0; i < 8; i++)
        strcat(text, "More filler text follows without any match. ");

    CHECK_RC(lzi_snippet_make(&s, an, text, strlen(text), &q, 120), LZ_OK);
    CHECK(strncmp(s.text.ptr, "\xE2\x80\xA6 Sextortion, or sexual extortion", 35) == 0);
    CHECK(s.text.len <= 120 + 8);
    CHECK(strcmp(s.text.ptr + s.text.len - 3, "\xE2\x80\xA6") == 0);
    CHECK_STR(spans_of(&s), "Sextortion|extortion");
    lzi_snippet_dispose(&s);
}

static void test_no_cut_inside_words(void)
{
    static const char *const terms[] = { "zzmatch" };
    lzi_query_terms q = { terms, 1, NULL, 0, NULL };
    lzi_snippet s = LZI_SNIPPET_INIT;
    char text[4096];
    size_t i;

    /* multibyte words everywhere; one long "sentence" so cuts fall between words */
    text[0] = '\0';
    for (i = 0; i < 40; i++)
        strcat(text, "d\xC3\xA9j\xC3\xA0 \xE2\x80\x9Cna\xC3\xAFve\xE2\x80\x9D ");
    strcat(text, "zzmatch ");
    for (i = 0; i < 40; i++)
        strcat(text, "\xE6\x97\xA5\xE6\x9C\xAC caf\xC3\xA9 ");
    for (size_t budget = 40; budget < 300; budget += 7) {
        CHECK_RC(lzi_snippet_make(&s, an, text, strlen(text), &q, budget), LZ_OK);
        CHECK(valid_utf8(s.text.ptr));
        CHECK(strstr(s.text.ptr, "zzmatch") != NULL);
        CHECK_STR(spans_of(&s), "zzmatch");
        lzi_snippet_dispose(&s);
    }
}

static void test_joined_and_wildcards(void)
{
    static const char *const terms[] = { "cooperation" };
    static const char *const wild[] = { "criminalis" };
    lzi_query_terms q = { terms, 1, wild, 1, NULL };
    lzi_snippet s = LZI_SNIPPET_INIT;
    const char *text = "International co-operation and the criminalisation of grooming.";

    CHECK_RC(lzi_snippet_make(&s, an, text, strlen(text), &q, 300), LZ_OK);
    CHECK_STR(spans_of(&s), "co-operation|criminalisation");
    lzi_snippet_dispose(&s);
}

static void test_no_match(void)
{
    lzi_query_terms q = { NULL, 0, NULL, 0, NULL };
    lzi_snippet s = LZI_SNIPPET_INIT;
    CHECK_RC(lzi_snippet_make(&s, an, "", 0, &q, 300), LZ_OK);
    CHECK_STR(s.text.ptr, "");
    CHECK(s.n_spans == 0);
    lzi_snippet_dispose(&s);
}

int main(void)
{
    if (lzi_analyzer_new(&an) != LZ_OK) {
        fprintf(stderr, "analyzer: %s\n", lz_last_error());
        return 1;
    }
    test_short_passage();
    test_window();
    test_no_cut_inside_words();
    test_joined_and_wildcards();
    test_no_match();
    lzi_analyzer_free(an);
    return lzt_finish();
}
