/* Unit tests of the domain thesaurus (text/thesaurus.c) with the real analyzer: the format and
 * its errors, the digest, synonym keys, matching in analysed text, British/American spellings
 * by rule and the query rewriting that asks for them; then the bundled thesaurus/en.txt: it
 * parses, equals the copy compiled into the library, and every expression it does not mark
 * with `~` occurs in corpus/ (and no marked one does). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "lz_thesaurus.h"

#define BUNDLED LZ_TEST_SOURCE_DIR "/thesaurus/en.txt"
#define CORPUS LZ_TEST_SOURCE_DIR "/corpus"

static lzi_analyzer *an;
static lzi_buf shown = LZI_BUF_INIT;        /* what the helpers below return; reused */

/* --- helpers ------------------------------------------------------------------------------- */

static lzi_thesaurus *parse(const char *text)
{
    lzi_thesaurus *t = NULL;
    int rc = lzi_thesaurus_parse(&t, an, text, strlen(text));

    if (rc != LZ_OK)
        fprintf(stderr, "parse failed (%d): %s\n", rc, lz_last_error());
    return t;
}

/* Parse text that must fail: returns the status; the message is lz_last_error(). */
static int parse_fails(const char *text, size_t len)
{
    static char not_null;
    lzi_thesaurus *t = (lzi_thesaurus *)(void *)&not_null;     /* parse must reset it */
    int rc = lzi_thesaurus_parse(&t, an, text, len);

    CHECK(t == NULL);
    lzi_thesaurus_free(rc == LZ_OK ? t : NULL);
    return rc;
}

/* The words of a text as the matcher takes them: lzi_analyze's tokens without the JOINED
 * extras, strings copied into a pool (pointers set by words_done once it stops growing). */
typedef struct wordlist {
    lzi_word *v;
    size_t n, cap;
    lzi_buf pool;
} wordlist;

static int take(void *payload, const lzi_token *tok)
{
    wordlist *w = payload;
    lzi_word *x;

    if (tok->flags & LZI_TOKEN_JOINED)
        return 0;
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 256;
        lzi_word *v = realloc(w->v, cap * sizeof *v);
        if (v == NULL)
            return LZ_ENOMEM;
        w->v = v;
        w->cap = cap;
    }
    x = &w->v[w->n++];
    x->start = tok->start;
    x->end = tok->end;
    x->norm = (const char *)(uintptr_t)w->pool.len;    /* offsets for now */
    x->norm_len = tok->norm_len;
    lzi_buf_append(&w->pool, tok->norm, tok->norm_len);
    x->stem = NULL;
    x->stem_len = 0;
    if (tok->stem != NULL) {
        x->stem = (const char *)(uintptr_t)(w->pool.len + 1);   /* +1: NULL means none */
        x->stem_len = tok->stem_len;
        lzi_buf_append(&w->pool, tok->stem, tok->stem_len);
    }
    return 0;
}

static int words_of(wordlist *w, const char *text, size_t len)
{
    size_t i;
    int rc;

    memset(w, 0, sizeof *w);
    if ((rc = lzi_analyze(an, text, len, take, w)) != LZ_OK)
        return rc;
    lzi_buf_reserve(&w->pool, 0);
    for (i = 0; i < w->n; i++) {
        w->v[i].norm = w->pool.ptr + (uintptr_t)w->v[i].norm;
        if (w->v[i].stem != NULL)
            w->v[i].stem = w->pool.ptr + (uintptr_t)w->v[i].stem - 1;
    }
    return LZ_OK;
}

static void words_dispose(wordlist *w)
{
    free(w->v);
    lzi_buf_dispose(&w->pool);
}

typedef struct shown_match {
    lzi_buf *b;
    const wordlist *w;
    const char *text;
} shown_match;

static int show_match(void *payload, const char *term, size_t first, size_t last)
{
    shown_match *m = payload;
    size_t start = m->w->v[first].start, end = m->w->v[last].end;

    if (m->b->len > 0)
        lzi_buf_putc(m->b, ' ');
    return lzi_buf_printf(m->b, "%s[%.*s]", term, (int)(end - start), m->text + start);
}

/* The matches of t in text as "term[matched text]" one space apart. */
static const char *matches(const lzi_thesaurus *t, const char *text)
{
    wordlist w;
    shown_match m = { &shown, &w, text };
    int rc;

    lzi_buf_clear(&shown);
    lzi_buf_reserve(&shown, 0);
    if ((rc = words_of(&w, text, strlen(text))) == LZ_OK)
        rc = lzi_thesaurus_match(t, w.v, w.n, show_match, &m);
    if (rc != LZ_OK)
        lzi_buf_printf(&shown, "<error %d>", rc);
    words_dispose(&w);
    return shown.ptr;
}

static int show_synonym(void *payload, const char *key, const char *term)
{
    return lzi_buf_printf(payload, "%s=>%s\n", key, term);
}

/* The synonym table, "key=>term" a line, with a leading newline so that "\nkey=>" finds a key
 * at the start of a line. */
static const char *synonyms(const lzi_thesaurus *t)
{
    lzi_buf_clear(&shown);
    lzi_buf_putc(&shown, '\n');
    lzi_thesaurus_each_synonym(t, show_synonym, &shown);
    return shown.ptr;
}

static int has_line(const char *table, const char *line)
{
    char want[512];

    snprintf(want, sizeof want, "\n%s\n", line);
    return strstr(table, want) != NULL;
}

static int show_variant(void *payload, const char *v, size_t len)
{
    lzi_buf *b = payload;

    if (b->len > 0)
        lzi_buf_putc(b, ' ');
    return lzi_buf_append(b, v, len);
}

/* The spelling variants of a word, one space apart ("" for none). */
static const char *variants(const char *word)
{
    int rc;

    lzi_buf_clear(&shown);
    lzi_buf_reserve(&shown, 0);
    if ((rc = lzi_spelling_variants(word, strlen(word), show_variant, &shown)) != LZ_OK)
        lzi_buf_printf(&shown, "<error %d>", rc);
    return shown.ptr;
}

/* Whether `v` is one of the space-separated words of list. */
static int among(const char *list, const char *v)
{
    size_t n = strlen(v);
    const char *p = list;

    while ((p = strstr(p, v)) != NULL) {
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
        p += n;
    }
    return 0;
}

static const char *with_variants(const char *q)
{
    int rc;

    lzi_buf_clear(&shown);
    lzi_buf_reserve(&shown, 0);
    if ((rc = lzi_query_add_variants(q, strlen(q), &shown)) != LZ_OK)
        lzi_buf_printf(&shown, "<error %d>", rc);
    return shown.ptr;
}

static int read_file(const char *path, lzi_buf *out)
{
    FILE *fp = fopen(path, "rb");
    int rc;

    if (fp == NULL)
        return LZ_EIO;
    rc = lzi_buf_read_all(out, fp, 64 * 1024 * 1024, path);
    fclose(fp);
    return rc;
}

/* --- the format ---------------------------------------------------------------------------- */

static const char sample[] =
    "# a sample in the format of thesaurus/en.txt\n"
    "\n"
    "sextortion: sextortion | sexual extortion   # trailing comment\n"
    "csam: CSAM | child sexual abuse material | child pornography\n"
    "  grooming : grooming|solicitation of children for sexual purposes | ~online enticement\n"
    "mdia: MDIA | multi-disciplinary and inter-agency\r\n"
    "ombudsperson | ombudsman | ~children's commissioner\n"
    "helpline: helpline | 116 111\n"
    "barnahus: Barnahus | Children's House\n";

static void test_parse(void)
{
    lzi_thesaurus *t = parse(sample);
    size_t n_concepts = 0, n_expressions = 0;
    const char *table;

    CHECK(t != NULL);
    if (t == NULL)
        return;
    lzi_thesaurus_counts(t, &n_concepts, &n_expressions);
    CHECK(n_concepts == 7);
    CHECK(n_expressions == 17);
    table = synonyms(t);
    CHECK(has_line(table, "grooming=>XCgrooming"));
    CHECK(has_line(table, "online enticement=>XCgrooming"));       /* ~ is not part of it */
    CHECK(has_line(table, "ombudsman=>XCombudsperson"));            /* id from the first */
    CHECK(has_line(table, "children's commissioner=>XCombudsperson"));
    CHECK(has_line(table, "116 111=>XChelpline"));
    lzi_thesaurus_free(t);
    lzi_thesaurus_free(NULL);

    /* an id derived from a long first expression is a hash; one of 60 bytes is kept */
    t = parse("the committee of the parties to the convention on the protection of children | "
              "lanzarote committee\n");
    CHECK(t != NULL && strstr(synonyms(t), "=>XCh") != NULL);
    lzi_thesaurus_free(t);
    t = parse("aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffff: x | y\n");
    CHECK(t != NULL && has_line(synonyms(t), "x=>XCaaaaaaaaaabbbbbbbbbbcccccccccc"
                                             "ddddddddddeeeeeeeeeeffffffffff"));
    lzi_thesaurus_free(t);

    /* an empty thesaurus is valid, and matches nothing */
    t = parse("# nothing yet\n\n");
    CHECK(t != NULL);
    if (t != NULL) {
        lzi_thesaurus_counts(t, &n_concepts, &n_expressions);
        CHECK(n_concepts == 0 && n_expressions == 0);
        CHECK_STR(matches(t, "sexual extortion"), "");
        lzi_thesaurus_free(t);
    }
}

/* The [related] section: its groups get XR terms, no synonym-table entries, a digest share,
 * and are matched on their own, so that they neither hide nor are hidden by synonyms. */
static void test_related(void)
{
    static const char text[] = "sextortion: sextortion | sexual extortion\n"
                               "# [related] in a comment is no section\n"
                               "  [related]  \n"
                               "image: picture | photo | image | sexual images\n"
                               "storage: keep | store | retention\n";
    static const char bad_lonely[] = "a: x | y\n[related]\n\nb: lonely\n";
    static const char bad_twice[] = "a: x | y\n[related]\nb: x | y\nb: z | w\n";
    lzi_thesaurus *t = parse(text), *plain = parse("sextortion: sextortion | sexual extortion\n");
    size_t n_concepts = 0, n_expressions = 0;
    const char *table;

    CHECK(t != NULL && plain != NULL);
    if (t == NULL || plain == NULL)
        goto done;
    lzi_thesaurus_counts(t, &n_concepts, &n_expressions);
    CHECK(n_concepts == 3 && n_expressions == 9);
    table = synonyms(t);
    CHECK(has_line(table, "sextortion=>XCsextortion"));
    CHECK(strstr(table, "XR") == NULL && strstr(table, "picture") == NULL);
    CHECK(strcmp(lzi_thesaurus_digest(t), lzi_thesaurus_digest(plain)) != 0);
    /* both sections see the same words: the synonym keeps "sexual extortion", the related
     * group its longest expression "sexual images" (not also "images") */
    CHECK_STR(matches(t, "photos of sexual extortion and sexual images stored"),
              "XCsextortion[sexual extortion] XRimage[photos] XRimage[sexual images] "
              "XRstorage[stored]");
    CHECK_STR(matches(plain, "photos kept"), "");
    lzi_thesaurus_free(t);
    /* errors in the section name their line in the whole text */
    CHECK(parse_fails(bad_lonely, strlen(bad_lonely)) == LZ_EINPUT &&
          strstr(lz_last_error(), "line 4:") != NULL);
    CHECK(parse_fails(bad_twice, strlen(bad_twice)) == LZ_EINPUT &&
          strstr(lz_last_error(), "line 4:") != NULL);
    /* ids are per section: "a" may name a synonym group and a related group */
    t = parse("a: x | y\n[related]\na: x | z\n");
    CHECK(t != NULL && strcmp(matches(t, "x"), "XCa[x] XRa[x]") == 0);
    lzi_thesaurus_free(t);
    /* a line of names (id names, names_...) holds its words from other groups and gives no
     * term: "Council of Europe" is no body of people, nor a match of "European Union" */
    t = parse("[related]\nbody: council | panel\n"
              "names: Council of Europe | European Union\nnames_b: Stop It Now | Save the Children\n"
              "namesake: x | y\n");
    CHECK(t != NULL);
    if (t != NULL) {
        CHECK_STR(matches(t, "the Council of Europe and the European Union"), "");
        CHECK_STR(matches(t, "a council of Save the Children"), "XRbody[council]");
        CHECK_STR(matches(t, "x"), "XRnamesake[x]");
    }
done:
    lzi_thesaurus_free(t);
    lzi_thesaurus_free(plain);
}

/* Check that text[0..len) fails with LZ_EINPUT and a message containing `where`. */
static void check_malformed(const char *text, size_t len, const char *where, int line)
{
    int rc = parse_fails(text, len);

    if (rc != LZ_EINPUT || strstr(lz_last_error(), where) == NULL) {
        lzt_failed++;
        fprintf(stderr, "%s:%d: FAILED: want LZ_EINPUT with '%s', got %d: %s\n", __FILE__, line,
                where, rc, lz_last_error());
    } else {
        lzt_passed++;
    }
}

#define MALFORMED(text, where) check_malformed(text, strlen(text), where, __LINE__)

static void test_malformed(void)
{
    lzi_buf big = LZI_BUF_INIT;
    size_t i;

    MALFORMED("a: x | y\nb: lonely\n", "line 2: a concept needs at least two expressions");
    MALFORMED("a: x | y\n\n# c\nb: x || y\n", "line 4: empty expression");
    MALFORMED("a: x | \n", "line 1: empty expression");
    MALFORMED("a: x | ~ \n", "line 1: empty expression");
    MALFORMED("Bad Id: x | y\n", "line 1: concept id 'Bad Id'");
    MALFORMED(": x | y\n", "line 1: concept id ''");
    MALFORMED("aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffffg: x | y\n",
              "line 1: concept id");
    MALFORMED("a: x | y\nb: z | w\na: v | u\n", "line 3: concept id 'a' is already used on line 1");
    MALFORMED("a: x | y\nb | x | b\n", "line 2: expression 'b' is listed twice");
    MALFORMED("a: Sexual  Extortion | y | sexual extortion\n", "line 1: expression 'sexual "
              "extortion' is listed twice");
    MALFORMED("a: x | -- ... --\n", "line 1: expression '-- ... --' has no words");
    MALFORMED("a: x | w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17\n",
              "more than 16 words");
    MALFORMED("a: x | a-b c-d e-f g-h i-j\n", "more than 4 hyphenated compounds");
    MALFORMED("a: x | y\nb: z | \xC3\n", "line 2:8: invalid UTF-8");
    check_malformed("a: x | y\nb: z\0 | w\n", 19, "line 2:5: NUL byte", __LINE__);

    /* the limits themselves are fine */
    {
        lzi_thesaurus *t = parse("a: x | w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 "
                                 "w16\nb: y | a-b c-d e-f g-h\n");
        CHECK(t != NULL);
        lzi_thesaurus_free(t);
    }

    /* over LZI_MAX_THESAURUS_BYTES, even if it is all blank lines */
    for (i = 0; i <= LZI_MAX_THESAURUS_BYTES; i++)
        lzi_buf_putc(&big, '\n');
    CHECK_RC(parse_fails(big.ptr, big.len), LZ_EINPUT);
    CHECK(strstr(lz_last_error(), "over the limit") != NULL);
    big.len = LZI_MAX_THESAURUS_BYTES;
    {
        lzi_thesaurus *t = NULL;
        CHECK_RC(lzi_thesaurus_parse(&t, an, big.ptr, big.len), LZ_OK);
        lzi_thesaurus_free(t);
    }
    lzi_buf_dispose(&big);
}

static void test_alloc_failures(void)
{
    size_t n;
    int rc = LZ_ERROR, ok = 1;

    /* every allocation of a parse may fail: LZ_ENOMEM, nothing leaks (ASan checks) */
    for (n = 0; n < 100000; n++) {
        lzi_thesaurus *t = NULL;
        lzi_alloc_fail_after(n);
        rc = lzi_thesaurus_parse(&t, an, sample, strlen(sample));
        lzi_alloc_fail_after((size_t)-1);
        lzi_thesaurus_free(t);
        if (rc == LZ_OK)
            break;
        ok &= rc == LZ_ENOMEM && t == NULL;
    }
    CHECK(ok);
    CHECK_RC(rc, LZ_OK);

    ok = 1;
    for (n = 0; n < 1000; n++) {
        static const char q[] = "criminalize (behaviour OR offence)";
        lzi_buf out = LZI_BUF_INIT;
        lzi_buf_puts(&out, "kept ");
        lzi_alloc_fail_after(n);
        rc = lzi_query_add_variants(q, strlen(q), &out);
        lzi_alloc_fail_after((size_t)-1);
        ok &= rc == LZ_OK || (rc == LZ_ENOMEM && strcmp(out.ptr, "kept ") == 0);
        lzi_buf_dispose(&out);
        if (rc == LZ_OK)
            break;
    }
    CHECK(ok);
    CHECK_RC(rc, LZ_OK);
}

static void test_digest(void)
{
    lzi_thesaurus *a = parse(sample);
    lzi_thesaurus *b = parse(sample);
    /* the same concepts: other comments, spacing, marks, order of lines and expressions */
    lzi_thesaurus *c = parse("barnahus: Children's House | Barnahus\n"
                             "helpline: 116   111 | helpline # the European number\n"
                             "csam: child pornography | CSAM | child sexual abuse material\n"
                             "mdia: MDIA | multi-disciplinary and inter-agency\n"
                             "ombudsperson | ombudsman | children's commissioner\n"
                             "grooming: ~online enticement | grooming | "
                             "solicitation of children for sexual purposes\n"
                             "sextortion: Sexual Extortion | sextortion\n");
    /* one expression more; one id changed */
    lzi_thesaurus *d = parse("x: y | z\n" "x2: y | z | w\n");
    lzi_thesaurus *e = parse("x: y | z\n");
    lzi_thesaurus *f = parse("x2: y | z\n");

    CHECK(a != NULL && b != NULL && c != NULL && d != NULL && e != NULL && f != NULL);
    if (a == NULL || b == NULL || c == NULL || d == NULL || e == NULL || f == NULL)
        goto done;
    CHECK(strlen(lzi_thesaurus_digest(a)) == 16);
    CHECK(strspn(lzi_thesaurus_digest(a), "0123456789abcdef") == 16);
    CHECK_STR(lzi_thesaurus_digest(a), lzi_thesaurus_digest(b));
    CHECK_STR(lzi_thesaurus_digest(a), lzi_thesaurus_digest(c));
    CHECK(strcmp(lzi_thesaurus_digest(a), lzi_thesaurus_digest(d)) != 0);
    CHECK(strcmp(lzi_thesaurus_digest(d), lzi_thesaurus_digest(e)) != 0);
    CHECK(strcmp(lzi_thesaurus_digest(e), lzi_thesaurus_digest(f)) != 0);
done:
    lzi_thesaurus_free(a);
    lzi_thesaurus_free(b);
    lzi_thesaurus_free(c);
    lzi_thesaurus_free(d);
    lzi_thesaurus_free(e);
    lzi_thesaurus_free(f);
}

static int stop_at_second(void *payload, const char *key, const char *term)
{
    (void)key;
    (void)term;
    return ++*(int *)payload == 2 ? 42 : 0;
}

static void test_synonyms(void)
{
    lzi_thesaurus *t = parse(sample);
    const char *table;
    int calls = 0;

    if (t == NULL) {
        CHECK(t != NULL);
        return;
    }
    table = synonyms(t);
    /* a single word: itself and Z + stem */
    CHECK(has_line(table, "sextortion=>XCsextortion"));
    CHECK(has_line(table, "Zsextort=>XCsextortion"));
    CHECK(has_line(table, "csam=>XCcsam"));
    CHECK(has_line(table, "Zcsam=>XCcsam"));
    CHECK(has_line(table, "Zbarnahus=>XCbarnahus"));
    /* several words: normalized, one space apart, no Z key */
    CHECK(has_line(table, "sexual extortion=>XCsextortion"));
    CHECK(has_line(table, "child sexual abuse material=>XCcsam"));
    CHECK(has_line(table, "solicitation of children for sexual purposes=>XCgrooming"));
    CHECK(has_line(table, "children's house=>XCbarnahus"));
    CHECK(strstr(table, "Zsexual") == NULL && strstr(table, "Zchild") == NULL);
    /* a word that starts with a digit has no stem, so no Z key */
    CHECK(strstr(table, "Z116") == NULL);
    /* compounds: every spelling */
    CHECK(has_line(table, "multi disciplinary and inter agency=>XCmdia"));
    CHECK(has_line(table, "multidisciplinary and inter agency=>XCmdia"));
    CHECK(has_line(table, "multi disciplinary and interagency=>XCmdia"));
    CHECK(has_line(table, "multidisciplinary and interagency=>XCmdia"));
    /* sorted by key, each once */
    CHECK(strstr(table, "\n116 111=>") < strstr(table, "\nbarnahus=>"));
    CHECK(strstr(strstr(table, "\ncsam=>") + 1, "\ncsam=>") == NULL);
    /* a non-zero return stops and is passed back */
    CHECK_RC(lzi_thesaurus_each_synonym(t, stop_at_second, &calls), 42);
    CHECK(calls == 2);
    lzi_thesaurus_free(t);

    /* the same expression in two concepts: one key, two terms */
    t = parse("a: foo bar | baz\nb: foo bar | qux\n");
    if (t != NULL) {
        table = synonyms(t);
        CHECK(has_line(table, "foo bar=>XCa") && has_line(table, "foo bar=>XCb"));
        lzi_thesaurus_free(t);
    }
}

static int stop_at_first(void *payload, const char *term, size_t first, size_t last)
{
    (void)term;
    *(size_t *)payload = first * 100 + last;
    return 7;
}

static void test_match(void)
{
    lzi_thesaurus *t = parse(sample);
    lzi_thesaurus *u = parse("csa: child sexual abuse | CSA\n"
                             "csam: child sexual abuse material | CSAM\n"
                             "x: sexual abuse | x1\n"
                             "y: abuse material | y1\n"
                             "a: foo bar | baz\n"
                             "b: foo bar | qux\n");
    wordlist w;
    size_t at = 0;

    CHECK(t != NULL && u != NULL);
    if (t == NULL || u == NULL)
        goto done;
    CHECK_STR(matches(t, "Sextortion is rising."), "XCsextortion[Sextortion]");
    /* multi-word expressions across inflections; byte ranges of the words */
    CHECK_STR(matches(t, "Victims of sexual extortions need help"),
              "XCsextortion[sexual extortions]");
    CHECK_STR(matches(t, "the Sexual  Extortion of children, and sextortions online"),
              "XCsextortion[Sexual  Extortion] XCsextortion[sextortions]");
    CHECK_STR(matches(t, "Children were groomed; the solicitation of children for sexual "
                         "purposes is an offence"),
              "XCgrooming[groomed] XCgrooming[solicitation of children for sexual purposes]");
    CHECK_STR(matches(t, "images of child sexual abuse materials (CSAM)"),
              "XCcsam[child sexual abuse materials] XCcsam[CSAM]");
    /* no false match on part of an expression, at the end of the text either */
    CHECK_STR(matches(t, "the solicitation of children"), "");
    CHECK_STR(matches(t, "sexual abuse of children, then child sexual abuse"), "");
    CHECK_STR(matches(t, "extortion of a sexual nature"), "");
    /* compounds, split and joined; typographic apostrophes; words without a stem */
    CHECK_STR(matches(t, "multidisciplinary and interagency (MDIA) services"),
              "XCmdia[multidisciplinary and interagency] XCmdia[MDIA]");
    CHECK_STR(matches(t, "multi-disciplinary and inter-agency work"),
              "XCmdia[multi-disciplinary and inter-agency]");
    CHECK_STR(matches(t, "multi-disciplinary and interagency work"),
              "XCmdia[multi-disciplinary and interagency]");
    CHECK_STR(matches(t, "the Barnahus (\xE2\x80\x9C" "Children\xE2\x80\x99s Houses\xE2\x80\x9D)"),
              "XCbarnahus[Barnahus] XCbarnahus[Children\xE2\x80\x99s Houses]");
    CHECK_STR(matches(t, "call 116 111 or 116 112"), "XChelpline[116 111]");
    CHECK_STR(matches(t, ""), "");

    /* the longest expression at a position wins */
    CHECK_STR(matches(u, "online child sexual abuse material"),
              "XCcsam[child sexual abuse material]");
    CHECK_STR(matches(u, "child sexual abuse and material"), "XCcsa[child sexual abuse]");
    /* no overlap: "sexual abuse" is taken, so "abuse material" cannot match */
    CHECK_STR(matches(u, "the sexual abuse material"), "XCx[sexual abuse]");
    /* an expression of two concepts reports both */
    CHECK_STR(matches(u, "a foo bar"), "XCa[foo bar] XCb[foo bar]");
    CHECK_STR(matches(u, "foo baz qux bar"), "XCa[baz] XCb[qux]");

    /* a non-zero return from the callback stops and is passed back */
    if (words_of(&w, "x sextortion y sexual extortion", 31) == LZ_OK) {
        CHECK_RC(lzi_thesaurus_match(t, w.v, w.n, stop_at_first, &at), 7);
        CHECK(at == 101);
        CHECK_RC(lzi_thesaurus_match(t, w.v, 0, stop_at_first, &at), LZ_OK);
    }
    words_dispose(&w);
done:
    lzi_thesaurus_free(t);
    lzi_thesaurus_free(u);
}

/* --- spellings ----------------------------------------------------------------------------- */

#define HAS_VARIANT(word, v)                                                          \
    do {                                                                              \
        const char *lzt_l = variants(word);                                           \
        if (among(lzt_l, v)) {                                                        \
            lzt_passed++;                                                             \
        } else {                                                                      \
            lzt_failed++;                                                             \
            fprintf(stderr, "%s:%d: FAILED: %s -> [%s], want %s\n", __FILE__, __LINE__, \
                    word, lzt_l, v);                                                  \
        }                                                                             \
    } while (0)

#define NO_VARIANT(word) CHECK_STR(variants(word), "")

static int stop_variant(void *payload, const char *v, size_t len)
{
    (void)v;
    (void)len;
    ++*(int *)payload;
    return 9;
}

static int count_variants(void *payload, const char *v, size_t len)
{
    (void)v;
    (void)len;
    ++*(int *)payload;
    return 0;
}

static void test_spelling(void)
{
    static const char *const none[] = {
        /* -our that is not the suffix; -or everywhere else */
        "four", "your", "hour", "tour", "pour", "our", "sour", "flour", "scour", "detour",
        "contour", "devour", "hours", "yours", "tourism", "tourist", "poured", "journal",
        "actor", "error", "motor", "major", "minor", "doctor", "sector", "author", "for", "door",
        "floor", "stored", "ignored", "memory", "history", "category", "moral", "coral",
        /* -ise/-ize that is not the Greek suffix */
        "size", "seize", "prize", "capsize", "downsize", "advise", "adviser", "devise", "revise",
        "supervise", "exercise", "excise", "concise", "precise", "promise", "compromise",
        "premise", "surprise", "enterprise", "comprise", "arise", "rise", "raise", "praise",
        "noise", "expertise", "treatise", "advertise", "advertising", "chastise", "franchise",
        "merchandise", "paradise", "disguise", "cruise", "otherwise", "wise", "valise",
        /* -ter, -led, -ling, -log, ped- everywhere else */
        "after", "water", "later", "enter", "register", "minister", "cluster", "filter",
        "called", "filled", "killed", "rolled", "smaller", "feeling", "dealing", "sailing",
        "ruler", "scheduled", "handled", "revealed", "bachelor", "chancellor", "sailor", "blog",
        "backlog", "speed", "stopped", "expedite", "pedestrian", "packaging", "imaging",
        "number", "eager",
        /* and words with nothing to respell */
        "child", "police", "grooming", "sextortion", "a", "",
    };
    size_t i;
    int calls = 0;
    char long_word[LZI_MAX_WORD_LEN + 2];

    HAS_VARIANT("criminalise", "criminalize");
    HAS_VARIANT("criminalize", "criminalise");
    HAS_VARIANT("criminalised", "criminalized");
    HAS_VARIANT("criminalising", "criminalizing");
    HAS_VARIANT("criminalises", "criminalizes");
    HAS_VARIANT("criminalisation", "criminalization");
    HAS_VARIANT("criminalization", "criminalisation");
    HAS_VARIANT("decriminalisations", "decriminalizations");
    HAS_VARIANT("organiser", "organizer");
    HAS_VARIANT("organisational", "organizational");
    HAS_VARIANT("recognisable", "recognizable");
    HAS_VARIANT("specialised", "specialized");
    HAS_VARIANT("prioritise", "prioritize");
    HAS_VARIANT("minimise", "minimize");
    HAS_VARIANT("customised", "customized");
    HAS_VARIANT("emphasise", "emphasize");
    HAS_VARIANT("criticised", "criticized");
    HAS_VARIANT("apologise", "apologize");
    HAS_VARIANT("standardised", "standardized");
    HAS_VARIANT("realize", "realise");
    HAS_VARIANT("authorized", "authorised");
    HAS_VARIANT("analyse", "analyze");
    HAS_VARIANT("analyzed", "analysed");
    HAS_VARIANT("paralysing", "paralyzing");
    HAS_VARIANT("behaviour", "behavior");
    HAS_VARIANT("behavior", "behaviour");
    HAS_VARIANT("behavioural", "behavioral");
    HAS_VARIANT("misbehaviors", "misbehaviours");
    HAS_VARIANT("labour", "labor");
    HAS_VARIANT("favourite", "favorite");
    HAS_VARIANT("honorable", "honourable");
    HAS_VARIANT("colours", "colors");
    HAS_VARIANT("neighbourhood", "neighborhood");
    HAS_VARIANT("odour", "odor");
    HAS_VARIANT("savory", "savoury");
    HAS_VARIANT("offence", "offense");
    HAS_VARIANT("offense", "offence");
    HAS_VARIANT("offences", "offenses");
    HAS_VARIANT("defence", "defense");
    HAS_VARIANT("licence", "license");
    HAS_VARIANT("pretense", "pretence");
    HAS_VARIANT("programme", "program");
    HAS_VARIANT("program", "programme");
    HAS_VARIANT("programmes", "programs");
    HAS_VARIANT("practise", "practice");
    HAS_VARIANT("practising", "practicing");
    HAS_VARIANT("paedophile", "pedophile");
    HAS_VARIANT("pedophile", "paedophile");
    HAS_VARIANT("paedophilia", "pedophilia");
    HAS_VARIANT("pedophiles", "paedophiles");
    HAS_VARIANT("paediatric", "pediatric");
    HAS_VARIANT("encyclopedia", "encyclopaedia");
    HAS_VARIANT("orthopedic", "orthopaedic");
    HAS_VARIANT("judgement", "judgment");
    HAS_VARIANT("judgment", "judgement");
    HAS_VARIANT("acknowledgements", "acknowledgments");
    HAS_VARIANT("ageing", "aging");
    HAS_VARIANT("aging", "ageing");
    HAS_VARIANT("centre", "center");
    HAS_VARIANT("center", "centre");
    HAS_VARIANT("centres", "centers");
    HAS_VARIANT("centred", "centered");
    HAS_VARIANT("theatre", "theater");
    HAS_VARIANT("metre", "meter");
    HAS_VARIANT("fibre", "fiber");
    HAS_VARIANT("travelled", "traveled");
    HAS_VARIANT("traveled", "travelled");
    HAS_VARIANT("travelling", "traveling");
    HAS_VARIANT("traveller", "traveler");
    HAS_VARIANT("counselling", "counseling");
    HAS_VARIANT("counselor", "counsellor");
    HAS_VARIANT("councillors", "councilors");
    HAS_VARIANT("labelled", "labeled");
    HAS_VARIANT("modeling", "modelling");
    HAS_VARIANT("cancelled", "canceled");
    HAS_VARIANT("dialogue", "dialog");
    HAS_VARIANT("catalog", "catalogue");
    /* rules combine */
    HAS_VARIANT("paedophilisation", "pedophilization");
    HAS_VARIANT("paediatricians", "pediatricians");

    /* at most LZI_MAX_SPELLING_VARIANTS, however many rules apply */
    calls = 0;
    CHECK_RC(lzi_spelling_variants("paedophilisations", 17, count_variants, &calls), LZ_OK);
    CHECK(calls == 3 && calls <= LZI_MAX_SPELLING_VARIANTS);
    CHECK_STR(variants("criminalise"), "criminalize");      /* nothing else */
    CHECK_STR(variants("behaviour"), "behavior");
    for (i = 0; i < sizeof none / sizeof none[0]; i++) {
        const char *got = variants(none[i]);
        if (*got == '\0') {
            lzt_passed++;
        } else {
            lzt_failed++;
            fprintf(stderr, "%s:%d: FAILED: %s -> [%s], want none\n", __FILE__, __LINE__,
                    none[i], got);
        }
    }
    /* over the word limit: no variants */
    memset(long_word, 'a', sizeof long_word - 1);
    memcpy(long_word + sizeof long_word - 5, "ised", 4);
    long_word[sizeof long_word - 1] = '\0';
    NO_VARIANT(long_word);
    /* a non-zero return stops and is passed back */
    calls = 0;
    CHECK_RC(lzi_spelling_variants("behaviouralised", 15, stop_variant, &calls), 9);
    CHECK(calls == 1);
}

static void test_query_variants(void)
{
    lzi_buf nq = LZI_BUF_INIT, out = LZI_BUF_INIT;

    CHECK_STR(with_variants("criminalize grooming"), "(criminalize OR criminalise) grooming");
    CHECK_STR(with_variants("behaviour"), "(behaviour OR behavior)");
    CHECK_STR(with_variants("grooming sextortion"), "grooming sextortion");
    CHECK_STR(with_variants(""), "");
    CHECK_STR(with_variants("  criminalize \t"), "  (criminalize OR criminalise) \t");
    /* phrases stay phrases */
    CHECK_STR(with_variants("\"criminalize grooming\" offence"),
              "\"criminalize grooming\" (offence OR offense)");
    CHECK_STR(with_variants("title:\"sexual offence\""), "title:\"sexual offence\"");
    CHECK_STR(with_variants("\"unbalanced offence"), "\"unbalanced offence");
    /* fields, wildcards, love and hate */
    CHECK_STR(with_variants("title:behaviour doc:programme"), "title:behaviour doc:programme");
    CHECK_STR(with_variants("criminaliz* behaviour*"), "criminaliz* behaviour*");
    CHECK_STR(with_variants("+criminalize -offence"), "+criminalize -offence");
    /* operators: kept, and their operands respelt, except NEAR and ADJ which take terms */
    CHECK_STR(with_variants("criminalize AND behaviour"),
              "(criminalize OR criminalise) AND (behaviour OR behavior)");
    CHECK_STR(with_variants("NOT offence"), "NOT (offence OR offense)");
    CHECK_STR(with_variants("offence XOR programme"),
              "(offence OR offense) XOR (programme OR program)");
    CHECK_STR(with_variants("criminalize NEAR grooming"), "criminalize NEAR grooming");
    CHECK_STR(with_variants("grooming NEAR/3 criminalise"), "grooming NEAR/3 criminalise");
    CHECK_STR(with_variants("behaviour ADJ offence centre"),
              "behaviour ADJ offence (centre OR center)");
    CHECK_STR(with_variants("offence ADJ/2 \"x y\" NEAR centre"),
              "offence ADJ/2 \"x y\" NEAR centre");
    /* brackets */
    CHECK_STR(with_variants("(criminalize OR offence)"),
              "((criminalize OR criminalise) OR (offence OR offense))");
    CHECK_STR(with_variants("((offence))"), "(((offence OR offense)))");
    CHECK_STR(with_variants("(co-operation OR cooperation) behaviour"),
              "(co-operation OR cooperation) (behaviour OR behavior)");
    CHECK_STR(with_variants("( ) ()"), "( ) ()");
    /* identifiers and other syntax */
    CHECK_STR(with_variants("\"article 25 4\" ii-6 e.g. a/b x@y"),
              "\"article 25 4\" ii-6 e.g. a/b x@y");

    /* after lzi_query_normalize, appending */
    lzi_buf_puts(&out, "q=");
    if (lzi_query_normalize(an, "Criminalize \xE2\x80\x9Csexual offences\xE2\x80\x9D Behaviour",
                            strlen("Criminalize \xE2\x80\x9Csexual offences\xE2\x80\x9D "
                                   "Behaviour"), &nq) == LZ_OK) {
        CHECK_RC(lzi_query_add_variants(nq.ptr, nq.len, &out), LZ_OK);
        CHECK_STR(out.ptr, "q=(criminalize OR criminalise) \"sexual offences\" "
                           "(behaviour OR behavior)");
    } else {
        CHECK(!"lzi_query_normalize failed");
    }
    lzi_buf_dispose(&nq);
    lzi_buf_dispose(&out);
}

/* --- the bundled thesaurus ----------------------------------------------------------------- */

typedef struct corpus {
    wordlist files[16];
    size_t n;
} corpus;

static void load_corpus(corpus *c)
{
    DIR *d = opendir(CORPUS);
    struct dirent *e;

    c->n = 0;
    CHECK(d != NULL);
    while (d != NULL && (e = readdir(d)) != NULL && c->n < 16) {
        size_t n = strlen(e->d_name);
        char path[4096];
        lzi_buf text = LZI_BUF_INIT;
        if (n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", CORPUS, e->d_name);
        if (read_file(path, &text) == LZ_OK && words_of(&c->files[c->n], text.ptr, text.len) ==
                                                   LZ_OK)
            c->n++;
        lzi_buf_dispose(&text);
    }
    if (d != NULL)
        closedir(d);
    CHECK(c->n == 5);
}

static int count(void *payload, const char *term, size_t first, size_t last)
{
    (void)term;
    (void)first;
    (void)last;
    ++*(size_t *)payload;
    return 0;
}

/* How often expression e[0..n) occurs in the corpus, matched alone (a concept of its own, so
 * no longer expression of the thesaurus takes its place). */
static size_t occurrences(const corpus *c, const char *e, size_t n)
{
    char text[2048];
    lzi_thesaurus *t = NULL;
    size_t i, hits = 0;

    snprintf(text, sizeof text, "probe: %.*s | qqqzzzxxxjjj\n", (int)n, e);
    if (lzi_thesaurus_parse(&t, an, text, strlen(text)) != LZ_OK) {
        CHECK(!"an expression of the bundled thesaurus does not parse alone");
        return 0;
    }
    for (i = 0; i < c->n; i++)
        lzi_thesaurus_match(t, c->files[i].v, c->files[i].n, count, &hits);
    lzi_thesaurus_free(t);
    return hits;
}

/* Walk en.txt as the README describes it, independently of the parser: every unmarked
 * expression must occur in the corpus, no `~` one may. Prints the count of each. */
static void check_against_corpus(const lzi_buf *file, const corpus *c, size_t *n_field)
{
    size_t at = 0, line = 0, n_used = 0;

    *n_field = 0;
    while (at < file->len) {
        const char *s = file->ptr + at, *nl = memchr(s, '\n', file->len - at), *p, *end;
        size_t n = nl != NULL ? (size_t)(nl - s) : file->len - at;
        line++;
        at += n + 1;
        if ((p = memchr(s, '#', n)) != NULL)
            n = (size_t)(p - s);
        if (n >= strlen(LZI_RELATED_SECTION) &&
            memcmp(s, LZI_RELATED_SECTION, strlen(LZI_RELATED_SECTION)) == 0)
            continue;                       /* the section line */
        if ((p = memchr(s, ':', n)) != NULL && (end = memchr(s, '|', n)) != NULL && p < end) {
            n -= (size_t)(p + 1 - s);
            s = p + 1;
        }
        while (n > 0) {
            size_t e_len, hits;
            int field;
            end = memchr(s, '|', n);
            e_len = end != NULL ? (size_t)(end - s) : n;
            p = s;
            while (e_len > 0 && (*p == ' ' || *p == '\t')) {
                p++;
                e_len--;
            }
            while (e_len > 0 && (p[e_len - 1] == ' ' || p[e_len - 1] == '\t' ||
                                 p[e_len - 1] == '\r'))
                e_len--;
            field = e_len > 0 && *p == '~';
            if (field) {
                p++;
                e_len--;
            }
            if (e_len > 0) {
                hits = occurrences(c, p, e_len);
                if (field && hits > 0) {
                    lzt_failed++;
                    fprintf(stderr, "%s:%zu: FAILED: '~%.*s' is marked as not in the corpus, "
                            "but occurs %zu times\n", BUNDLED, line, (int)e_len, p, hits);
                } else if (!field && hits == 0) {
                    lzt_failed++;
                    fprintf(stderr, "%s:%zu: FAILED: '%.*s' does not occur in the corpus (mark "
                            "it '~' if it is a term of the field)\n", BUNDLED, line, (int)e_len,
                            p);
                } else {
                    lzt_passed++;
                }
                *n_field += field;
                n_used += !field;
            }
            if (end == NULL)
                break;
            n -= (size_t)(end + 1 - s);
            s = end + 1;
        }
    }
    printf("thesaurus: %zu expressions occur in the corpus, %zu are terms of the field it does "
           "not use\n", n_used, *n_field);
}

static void test_bundled(void)
{
    static const char *const acronyms[] = {
        "csam", "csea", "ocsea", "csgsiv", "ict", "icts", "ngo", "ngos", "uncrc", "mdia", "eu",
        "isp", "isps", "sic", "sics", "sid", "inhope", "icmec", "ncmec", "enoc", "mnr", "iwf",
        "ceop", "icse", "vidtf", "europol", "interpol", "cepol", "ec3", "empact", "cosec",
        "iocta", "socta", "chi", "iwol", "mcf", "crin", "sacp", "mappa", "coe", "lea",
    };
    static const char *const bridges[][2] = {
        { "sextortion", "sexual extortion" },
        { "grooming", "solicitation of children for sexual purposes" },
        { "grooming", "online solicitation" },
        { "child pornography", "child sexual abuse material" },
        { "csam", "child pornography" },
        { "revenge porn", "non consensual distribution of intimate images" },
        { "revenge porn", "nonconsensual distribution of intimate images" },
        { "sexting", "self generated sexual images" },
        { "paedophile", "sexual interest in children" },
        { "barnahus", "children's house" },
        { "ombudsperson", "ombudsman" },
        { "police", "law enforcement" },
        { "dual criminality", "double criminality" },
        { "hotline", "reporting portal" },
        { "helpline", "116 111" },
        { "csgsiv", "child self generated sexual images and or videos" },
        { "ocsea", "online child sexual exploitation and abuse" },
        { "undercover operation", "covert operation" },
    };
    lzi_buf file = LZI_BUF_INIT, found = LZI_BUF_INIT;
    lzi_thesaurus *t = NULL;
    corpus c;
    size_t n_concepts = 0, n_expressions = 0, n_field = 0, i, hits = 0;
    const char *table;

    CHECK_RC(read_file(BUNDLED, &file), LZ_OK);
    if (file.ptr == NULL)
        return;
    /* the copy compiled into the library is the file */
    CHECK(lzi_thesaurus_english_len == file.len);
    CHECK(memcmp(lzi_thesaurus_english, file.ptr, file.len) == 0);
    CHECK(lzi_thesaurus_english[lzi_thesaurus_english_len] == '\0');

    CHECK_RC(lzi_thesaurus_parse(&t, an, lzi_thesaurus_english, lzi_thesaurus_english_len),
             LZ_OK);
    if (t == NULL)
        goto done;
    lzi_thesaurus_counts(t, &n_concepts, &n_expressions);
    printf("thesaurus: %zu concepts, %zu expressions, digest %s\n", n_concepts, n_expressions,
           lzi_thesaurus_digest(t));
    CHECK(n_concepts >= 50 && n_expressions >= 200);

    table = synonyms(t);
    lzi_buf_puts(&found, table);            /* `shown` is reused below */
    table = found.ptr;
    for (i = 0; i < sizeof acronyms / sizeof acronyms[0]; i++) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "\n%s=>XC", acronyms[i]);
        if (strstr(table, prefix) != NULL) {
            lzt_passed++;
        } else {
            lzt_failed++;
            fprintf(stderr, "%s:%d: FAILED: acronym %s has no synonym key\n", __FILE__, __LINE__,
                    acronyms[i]);
        }
    }
    for (i = 0; i < sizeof bridges / sizeof bridges[0]; i++) {
        /* both keys lead to one concept term */
        char k0[256], k1[256];
        const char *p0, *p1, *e0, *e1;
        snprintf(k0, sizeof k0, "\n%s=>", bridges[i][0]);
        snprintf(k1, sizeof k1, "\n%s=>", bridges[i][1]);
        p0 = strstr(table, k0);
        p1 = strstr(table, k1);
        if (p0 != NULL && p1 != NULL) {
            p0 += strlen(k0);
            p1 += strlen(k1);
            e0 = strchr(p0, '\n');
            e1 = strchr(p1, '\n');
        }
        if (p0 != NULL && p1 != NULL && e0 - p0 == e1 - p1 && memcmp(p0, p1, e0 - p0) == 0) {
            lzt_passed++;
        } else {
            lzt_failed++;
            fprintf(stderr, "%s:%d: FAILED: '%s' and '%s' are not one concept\n", __FILE__,
                    __LINE__, bridges[i][0], bridges[i][1]);
        }
    }
    /* keys are words one space apart, terms XC + an id */
    CHECK(strpbrk(table, "\r\t") == NULL && strstr(table, "  ") == NULL);
    CHECK(strstr(table, "=>XC\n") == NULL && strstr(table, "\n=>") == NULL);

    /* on corpus sentences */
    /* the synonym as one expression, the related section on its own words */
    CHECK_STR(matches(t, "the sexual extortion of children"),
              "XCsextortion[sexual extortion] XRextortion[extortion] XRkid[children]");
    CHECK(strstr(matches(t, "ICTfacilitated coercion or extortion of children"),
                 "XCsextortion[ICTfacilitated coercion or extortion]") != NULL);
    CHECK(strstr(matches(t, "offences concerning child pornography and child sexual abuse "
                            "material (CSAM)"),
                 "XCcsam[child pornography] XCcsam[child sexual abuse material] XCcsam[CSAM]") !=
          NULL);
    CHECK(strstr(matches(t, "The Barnahus (\xE2\x80\x9C" "Children\xE2\x80\x99s House\xE2\x80\x9D)"
                            " model for multidisciplinary and interagency (MDIA) services"),
                 "XCbarnahus[Barnahus] XCbarnahus[Children\xE2\x80\x99s House] "
                 "XCmdia[multidisciplinary and interagency] XCmdia[MDIA]") != NULL);
    CHECK(strstr(matches(t, "children's self-generated sexual images and/or videos"),
                 "XCcsgsiv[self-generated sexual images and/or videos]") != NULL);

    load_corpus(&c);
    for (i = 0; i < c.n; i++)
        lzi_thesaurus_match(t, c.files[i].v, c.files[i].n, count, &hits);
    printf("thesaurus: %zu concept occurrences in the corpus\n", hits);
    CHECK(hits > 1000);
    check_against_corpus(&file, &c, &n_field);
    for (i = 0; i < c.n; i++)
        words_dispose(&c.files[i]);
done:
    lzi_thesaurus_free(t);
    lzi_buf_dispose(&file);
    lzi_buf_dispose(&found);
}

int main(void)
{
    if (lzi_analyzer_new(&an) != LZ_OK) {
        fprintf(stderr, "no analyzer: %s\n", lz_last_error());
        return 1;
    }
    test_parse();
    test_related();
    test_malformed();
    test_alloc_failures();
    test_digest();
    test_synonyms();
    test_match();
    test_spelling();
    test_query_variants();
    test_bundled();
    lzi_analyzer_free(an);
    lzi_buf_dispose(&shown);
    return lzt_finish();
}
