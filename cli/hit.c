/* What the commands that print hits share: a hit's footnotes and entities, as JSON keys
 * (search --json, show --json) and as compact text lines. */
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
