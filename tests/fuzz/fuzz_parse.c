/* Fuzz target: the passage parser and the entity extractor (indexer/parse.c, markup.c,
 * entities.c) on any bytes, prepared as the indexer prepares a file: a file with a NUL byte is
 * skipped, invalid UTF-8 is repaired. Checks the document model's contract (line ranges inside
 * the file, clean non-empty UTF-8 texts, footnote lookups, entity lists) and that each passage
 * survives the passage record's encode/decode. Seeds: tests/fuzz/corpus/parse/. */
#include <string.h>

#include "fuzz_common.h"
#include "lz_common.h"
#include "lz_entities.h"
#include "lz_parse.h"
#include "lz_record.h"
#include "lz_text.h"

/* Inputs above this are cut: the parser is linear, larger inputs only slow the search. */
#define FUZZ_MAX_INPUT ((size_t)1 << 20)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static int valid_text(const char *s)
{
    return s != NULL && lzi_utf8_invalid(s, strlen(s)) == LZI_NPOS;
}

static void check_strings(char **v, size_t n)
{
    size_t i;
    FUZZ_ASSERT(n == 0 || v != NULL);
    for (i = 0; i < n; i++)
        FUZZ_ASSERT(valid_text(v[i]) && v[i][0] != '\0');
}

/* The record of a passage decodes to what was encoded. */
static void check_record(const lzi_document *doc, const lzi_passage *p, lzi_buf *enc)
{
    lzi_record rec, back;
    lzi_record_note notes[4];
    size_t i, n_notes = p->n_notes < 4 ? p->n_notes : 4;

    memset(&rec, 0, sizeof rec);
    memset(&back, 0, sizeof back);
    for (i = 0; i < n_notes; i++) {
        const lzi_footnote *fn = lzi_document_footnote(doc, p->notes[i], p->first_line);
        notes[i].n = p->notes[i];
        notes[i].text = fn ? fn->text : "";
    }
    rec.doc = "fuzz";
    rec.path = "fuzz.txt";
    rec.title = doc->title ? doc->title : "";
    rec.section = p->section;
    rec.n_section = p->n_section;
    rec.first_line = p->first_line;
    rec.last_line = p->last_line;
    rec.text = p->text;
    rec.notes = notes;
    rec.n_notes = n_notes;
    FUZZ_ASSERT(lzi_record_encode(&rec, enc) == LZ_OK);
    FUZZ_ASSERT(lzi_record_decode(&back, enc->ptr, enc->len) == LZ_OK);
    FUZZ_ASSERT(strcmp(back.text, p->text) == 0);
    FUZZ_ASSERT(back.first_line == p->first_line && back.last_line == p->last_line);
    FUZZ_ASSERT(back.n_section == p->n_section && back.n_notes == n_notes);
    for (i = 0; i < p->n_section; i++)
        FUZZ_ASSERT(strcmp(back.section[i], p->section[i]) == 0);
    lzi_record_dispose(&back);
}

static void check_document(const lzi_document *doc, unsigned n_lines)
{
    lzi_entities *ents = NULL;
    lzi_buf enc = LZI_BUF_INIT;
    size_t i, k;

    FUZZ_ASSERT(doc->title == NULL || valid_text(doc->title));
    FUZZ_ASSERT(doc->n_passages == 0 || doc->passages != NULL);
    for (i = 0; i < doc->n_passages; i++) {
        const lzi_passage *p = &doc->passages[i];
        FUZZ_ASSERT(p->first_line >= 1 && p->first_line <= p->last_line);
        FUZZ_ASSERT(p->last_line <= n_lines);
        /* the indexer keys passages by first line (Q<file>#<line>): one passage per line */
        FUZZ_ASSERT(i == 0 || p->first_line > doc->passages[i - 1].first_line);
        FUZZ_ASSERT(p->text != NULL && p->text_len > 0 && strlen(p->text) == p->text_len);
        FUZZ_ASSERT(valid_text(p->text));
        check_strings(p->section, p->n_section);
        FUZZ_ASSERT(p->n_notes == 0 || p->notes != NULL);
        for (k = 0; k < p->n_notes; k++) {
            const lzi_footnote *fn = lzi_document_footnote(doc, p->notes[k], p->first_line);
            FUZZ_ASSERT(fn == NULL || (fn->n == p->notes[k] && valid_text(fn->text)));
        }
        check_record(doc, p, &enc);
    }
    for (i = 0; i < doc->n_footnotes; i++) {
        const lzi_footnote *fn = &doc->footnotes[i];
        FUZZ_ASSERT(valid_text(fn->text));
        FUZZ_ASSERT(fn->first_line >= 1 && fn->first_line <= fn->last_line &&
                    fn->last_line <= n_lines);
        FUZZ_ASSERT(i == 0 || doc->footnotes[i - 1].first_line <= fn->first_line);
        FUZZ_ASSERT(lzi_document_footnote(doc, fn->n, fn->first_line) != NULL);
    }
    lzi_buf_dispose(&enc);

    if (lzi_entities_extract(&ents, doc) != LZ_OK) {
        FUZZ_ASSERT(ents == NULL);
        return;
    }
    FUZZ_ASSERT(doc->n_passages == 0 || ents != NULL);
    for (i = 0; i < doc->n_passages; i++) {
        const lzi_entities *e = &ents[i];
        int self_listed = e->rec_self == NULL;
        check_strings(e->recs, e->n_recs);
        check_strings(e->articles, e->n_articles);
        check_strings(e->countries, e->n_countries);
        check_strings(e->addressed, e->n_addressed);
        FUZZ_ASSERT(e->n_paras == 0 || e->paras != NULL);
        FUZZ_ASSERT(e->level >= LZI_LEVEL_NONE && e->level <= LZI_LEVEL_REQUIRE);
        FUZZ_ASSERT(e->chapter == NULL || valid_text(e->chapter));
        for (k = 0; k < e->n_recs; k++)
            if (e->rec_self != NULL && strcmp(e->recs[k], e->rec_self) == 0)
                self_listed = 1;
        FUZZ_ASSERT(self_listed);
        for (k = 0; k < e->n_countries; k++)
            FUZZ_ASSERT(lzi_country_name(e->countries[k]) != NULL);
        for (k = 0; k < e->n_addressed; k++)
            FUZZ_ASSERT(lzi_country_name(e->addressed[k]) != NULL);
    }
    lzi_entities_free(ents, doc->n_passages);
}

static unsigned count_lines(const char *s, size_t len)
{
    unsigned n = 1;
    size_t i;
    for (i = 0; i < len; i++)
        if (s[i] == '\n')
            n++;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    lzi_buf fixed = LZI_BUF_INIT, clean = LZI_BUF_INIT;
    lzi_document doc = LZI_DOCUMENT_INIT;
    const char *text;
    size_t len;

    if (size > FUZZ_MAX_INPUT)
        size = FUZZ_MAX_INPUT;
    /* The markup cleaner takes any bytes (one line or cell in the parser; here all of them). */
    FUZZ_ASSERT(lzi_markup_clean(&clean, src, size, NULL, NULL) == LZ_OK);
    lzi_buf_dispose(&clean);

    if (memchr(src, '\0', size) != NULL)
        return 0;           /* the indexer skips such a file */
    text = src;
    len = size;
    if (lzi_utf8_invalid(src, size) != LZI_NPOS) {
        FUZZ_ASSERT(lzi_utf8_repair(&fixed, src, size, NULL) == LZ_OK);
        text = fixed.ptr;
        len = fixed.len;
    }
    if (lzi_parse(&doc, text, len, "fuzz.txt") == LZ_OK)
        check_document(&doc, count_lines(text, len));
    else
        FUZZ_ASSERT(doc.n_passages == 0 && doc.passages == NULL);
    lzi_document_dispose(&doc);
    lzi_buf_dispose(&fixed);
    return 0;
}
