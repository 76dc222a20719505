/* What the commands that print hits share: results as text for people (rank, FILE:LINES,
 * section path, snippet with highlights, a table row's column headings, footnotes, citation,
 * facets) and as one JSON object whose keys are a contract (query, corrected, total, hits[]
 * ...); a hit's footnotes and entities for both. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

/* Footnote texts longer than this many bytes are shortened in text output (never in JSON). */
#define CLI_FOOTNOTE_SHOWN 160

static json_t *entity_array(const lz_hit *h, lz_entity kind)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; i < lz_hit_entity_count(h, kind); i++)
        json_array_append_new(a, json_string(lz_hit_entity(h, kind, i)));
    return a;
}

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

void cli_hit_entities_json(void *object, const lz_hit *h)
{
    json_t *o = object, *notes = json_array();
    const char *text;
    unsigned n;
    size_t i;

    for (i = 0; lz_hit_footnote(h, i, &n, &text) == 0; i++)
        json_array_append_new(notes, json_pack("{s:I,s:s}", "n", (json_int_t)n, "text", text));
    json_object_set_new(o, "footnotes", notes);
    json_object_set_new(o, "recommendations", entity_array(h, LZ_ENTITY_RECOMMENDATION));
    json_object_set_new(o, "articles", entity_array(h, LZ_ENTITY_ARTICLE));
    json_object_set_new(o, "paras", entity_array(h, LZ_ENTITY_PARAGRAPH));
    json_object_set_new(o, "countries", entity_array(h, LZ_ENTITY_COUNTRY));
    json_object_set_new(o, "addressed_to", entity_array(h, LZ_ENTITY_ADDRESSED));
    json_object_set_new(o, "level", string_or_null(lz_hit_level(h)));
    json_object_set_new(o, "chapter", string_or_null(lz_hit_chapter(h)));
    json_object_set_new(o, "columns", string_or_null(lz_hit_columns(h)));
}

void cli_print_footnotes(const lz_hit *h, int color)
{
    const char *text;
    unsigned n;
    size_t i;

    for (i = 0; lz_hit_footnote(h, i, &n, &text) == 0; i++) {
        size_t len = strlen(text), shown = len;
        if (len == 0)
            continue;
        if (shown > CLI_FOOTNOTE_SHOWN) {
            shown = CLI_FOOTNOTE_SHOWN;
            while (shown > 0 && ((unsigned char)text[shown] & 0xC0) == 0x80)
                shown--;            /* never cut inside a UTF-8 sequence */
        }
        printf("   %s[%u] %.*s%s%s\n", color ? "\033[2m" : "", n, (int)shown, text,
               shown < len ? "\xE2\x80\xA6" : "", color ? "\033[0m" : "");
    }
}

#define HL_OPEN "**"
#define HL_CLOSE "**"
#define COLOR_ON "\033[1;31m"
#define COLOR_DIM "\033[2m"
#define COLOR_OFF "\033[0m"

static void print_snippet(const lz_hit *h, int color)
{
    const char *snip = lz_hit_snippet(h);
    size_t n = lz_hit_highlight_count(h), i, at = 0, off, len;

    for (i = 0; i < n; i++) {
        lz_hit_highlight(h, i, &off, &len);
        fwrite(snip + at, 1, off - at, stdout);
        printf("%s" HL_OPEN "%.*s" HL_CLOSE "%s", color ? COLOR_ON : "", (int)len, snip + off,
               color ? COLOR_OFF : "");
        at = off + len;
    }
    fputs(snip + at, stdout);
}

static void print_facets(const lz_results *r)
{
    size_t f, i;
    for (f = 0; f < lz_results_facet_count(r); f++) {
        const char *value;
        uint64_t n;
        printf("%s%s:", f == 0 ? "\n" : "", lz_results_facet_name(r, f));
        for (i = 0; lz_results_facet_value(r, f, i, &value, &n) == 0; i++)
            printf("%s %s (%llu)", i == 0 ? "" : ",", value, (unsigned long long)n);
        putchar('\n');
    }
}

void cli_print_text(const lz_results *r, int color)
{
    const char *what;
    double weight;
    size_t i, k;
    for (i = 0; i < lz_results_count(r); i++) {
        const lz_hit *h = lz_results_hit(r, i);
        unsigned first, last;
        lz_hit_lines(h, &first, &last);
        if (i > 0)
            putchar('\n');
        printf("%u. %s:%u", lz_hit_rank(h), lz_hit_path(h), first);
        if (last != first)
            printf("-%u", last);
        printf("  %s(score %.2f)%s\n", color ? COLOR_DIM : "", lz_hit_score(h),
               color ? COLOR_OFF : "");
        printf("   %s", lz_hit_title(h));
        for (k = 0; k < lz_hit_section_count(h); k++)
            printf(" \xE2\x80\xBA %s", lz_hit_section(h, k));
        fputs("\n   ", stdout);
        print_snippet(h, color);
        putchar('\n');
        if (lz_hit_columns(h) != NULL)
            printf("   %sColumns: %s%s\n", color ? COLOR_DIM : "", lz_hit_columns(h),
                   color ? COLOR_OFF : "");
        cli_print_footnotes(h, color);
        for (k = 0; lz_hit_explain(h, k, &what, &weight) == 0; k++)
            printf("   %s%s %.3f  %s%s\n", color ? COLOR_DIM : "", k == 0 ? "Explain:" : "        ",
                   weight, what, color ? COLOR_OFF : "");
        printf("   %sCite: %s%s\n", color ? COLOR_DIM : "", lz_hit_citation(h),
               color ? COLOR_OFF : "");
    }
    print_facets(r);
}

/* The hit as a JSON object with the contract's keys. */
static json_t *hit_json(const lz_hit *h)
{
    json_t *o = json_object(), *sec = json_array(), *hl = json_array();
    unsigned first, last;
    size_t k, off, len;

    lz_hit_lines(h, &first, &last);
    for (k = 0; k < lz_hit_section_count(h); k++)
        json_array_append_new(sec, json_string(lz_hit_section(h, k)));
    for (k = 0; lz_hit_highlight(h, k, &off, &len) == 0; k++)
        json_array_append_new(hl, json_pack("[I,I]", (json_int_t)off, (json_int_t)len));
    json_object_set_new(o, "rank", json_integer(lz_hit_rank(h)));
    json_object_set_new(o, "score", json_real(lz_hit_score(h)));
    json_object_set_new(o, "doc", json_string(lz_hit_doc(h)));
    json_object_set_new(o, "path", json_string(lz_hit_path(h)));
    json_object_set_new(o, "title", json_string(lz_hit_title(h)));
    json_object_set_new(o, "section", sec);
    json_object_set_new(o, "lines", json_pack("[I,I]", (json_int_t)first, (json_int_t)last));
    json_object_set_new(o, "snippet", json_string(lz_hit_snippet(h)));
    json_object_set_new(o, "highlights", hl);
    json_object_set_new(o, "citation", json_string(lz_hit_citation(h)));
    cli_hit_entities_json(o, h);
    if (lz_hit_explain_count(h) > 0) {
        json_t *parts = json_array();
        const char *what;
        double weight;
        for (k = 0; lz_hit_explain(h, k, &what, &weight) == 0; k++)
            json_array_append_new(parts, json_pack("{s:s,s:f}", "query", what, "weight", weight));
        json_object_set_new(o, "explain", parts);
    }
    return o;
}

/* {"document": {"value": count, ...}, "country": {...}, ...} */
static json_t *facets_json(const lz_results *r)
{
    json_t *o = json_object();
    size_t f, i;
    for (f = 0; f < lz_results_facet_count(r); f++) {
        json_t *counts = json_object();
        const char *value;
        uint64_t n;
        for (i = 0; lz_results_facet_value(r, f, i, &value, &n) == 0; i++)
            json_object_set_new(counts, value, json_integer((json_int_t)n));
        json_object_set_new(o, lz_results_facet_name(r, f), counts);
    }
    return o;
}

int cli_print_json(const lz_results *r, int explain)
{
    json_t *o = json_object(), *hits = json_array();
    const char *corr = lz_results_corrected(r);
    size_t i;
    int rc;

    for (i = 0; i < lz_results_count(r); i++)
        json_array_append_new(hits, hit_json(lz_results_hit(r, i)));
    json_object_set_new(o, "query", json_string(lz_results_query(r)));
    json_object_set_new(o, "corrected", corr ? json_string(corr) : json_null());
    json_object_set_new(o, "used_corrected", json_boolean(lz_results_used_corrected(r)));
    json_object_set_new(o, "total", json_integer((json_int_t)lz_results_total(r)));
    json_object_set_new(o, "hits", hits);
    if (explain)
        json_object_set_new(o, "parsed", json_string(lz_results_parsed(r)));
    if (lz_results_facet_count(r) > 0)
        json_object_set_new(o, "facets", facets_json(r));
    rc = json_dumpf(o, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(o);
    return rc;
}
