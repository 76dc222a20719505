/* Entities of a passage, extracted from its text, its footnotes and its context in the document
 * model: recommendation numbers, Convention articles, report paragraphs, countries named, the
 * countries a recommendation is addressed to, the urgency level and the chapter. The indexer
 * turns them into boolean filter terms and facet values; the searcher shows them with a hit. */
#ifndef LZ_ENTITIES_H
#define LZ_ENTITIES_H

#include <stddef.h>

#include "lz_common.h"
#include "lz_parse.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How binding a recommendation is: the Committee's verbs. */
typedef enum lzi_level {
    LZI_LEVEL_NONE = 0,
    LZI_LEVEL_INVITE = 1,       /* "invites" */
    LZI_LEVEL_REQUEST = 2,      /* "requests" */
    LZI_LEVEL_REQUIRE = 3       /* "requires" */
} lzi_level;

typedef struct lzi_entities {
    char **recs;            /* recommendation numbers stated or cited, canonical "IV-6" (upper-case
                               roman numeral, '-', number), each once, in order of appearance;
                               ranges "VI-1 to VI-3" expanded */
    size_t n_recs;
    char *rec_self;         /* the recommendation this passage states (its own row in the
                               recommendations document: "Recommendation IV-6" leading the
                               passage, or a heading that is only "Recommendation V-19" over
                               it), or NULL; also in recs */
    char **articles;        /* Convention articles: "25(4)", "20(1)(a)", "18"; "Articles 18 to 29"
                               expanded to "18" ... "29", "25(1)(d), (e)" to "25(1)(d)",
                               "25(1)(e)", "Article 11.1" read as "11(1)"; articles of another
                               instrument ("Article 9 of the Budapest Convention") left out */
    size_t n_articles;
    unsigned *paras;        /* paragraphs cited: "Para.71", "Paras. 72, 73", "para 235",
                               "paragraphs 3-6" */
    size_t n_paras;
    char **countries;       /* countries named in the text or its footnotes, and the addressees
                               (a list item under "invites all Parties, including Bulgaria:"
                               names Bulgaria through its lead-in): canonical slugs */
    size_t n_countries;
    char **addressed;       /* countries the recommendation is addressed to: canonical slugs */
    size_t n_addressed;
    lzi_level level;        /* the strongest of the Committee's verbs in the passage, else its
                               lead-in's; NONE without one */
    char *chapter;          /* "IV" or "3": the first heading of the section path that opens
                               with a roman numeral or a number and ". " ("IV. Jurisdiction
                               rules", "3. Specific legislative ..."); NULL if none */
} lzi_entities;

/* Extract the entities of every passage of doc: *out receives an array of doc->n_passages
 * entries (NULL for a document without passages), to be released with lzi_entities_free. Lists
 * are in order of first appearance, each value once; every string array is one allocation that
 * also holds its strings, owned by the array. Footnotes cited by a passage count as its text
 * for recommendations, articles, paragraphs and countries, not for verbs. A level needs the
 * Committee as the verb's subject ("The (Lanzarote) Committee (also) requires", "It also
 * invites"). A list item without a verb of its own inherits level and addressees from the
 * lead-in that introduces its list: a passage of the same section ending with ':' that has the
 * Committee's verb ("The Committee therefore invites Bulgaria:"); a paragraph or a table row
 * ends the list. "all Parties, including Bulgaria" addresses Bulgaria; "(those) Parties that
 * are not already doing so¹⁴⁰" addresses the countries listed in the footnotes the passage
 * cites (a footnote made of country names: 140). Linear in the size of the document.
 * LZ_EINVAL for a NULL argument, LZ_ENOMEM; on failure *out is NULL. */
int lzi_entities_extract(lzi_entities **out, const lzi_document *doc);

/* The references and countries named in one text, as a passage's own text is read for them
 * (recommendations, articles, paragraphs, countries; no footnotes, verbs or context, so level,
 * addressees, chapter and rec_self stay empty): for the query side. *out is one entry, to be
 * released with lzi_entities_free(*out, 1); NULL on failure. LZ_EINVAL, LZ_ENOMEM. */
int lzi_entities_of_text(lzi_entities **out, const char *text, size_t len);

/* Release the n entries of v (from lzi_entities_extract) and everything they hold; v may be
 * NULL. */
void lzi_entities_free(lzi_entities *v, size_t n);

/* Countries and Parties known to the extractor (indexer/countries.c): the 46 Council of Europe
 * member states, the Russian Federation and Tunisia (Parties outside it) and the other states
 * the corpus names (Australia, Canada, New Zealand, United States). Canonical slug (ASCII,
 * lower case, words joined by '-': "bulgaria", "north-macedonia", "republic-of-moldova",
 * "turkey", "netherlands", "russian-federation") and the name to show, the official Council of
 * Europe name ("Bulgaria", "North Macedonia", "Türkiye"); NULL for an unknown slug. Static
 * strings. */
const char *lzi_country_name(const char *slug);

/* The canonical slug for a country as a user may type it in a query (any case, accents or not,
 * spaces or '-', variants: "türkiye", "Turkey", "moldova", "the netherlands"), or NULL. */
const char *lzi_country_lookup(const char *text, size_t len);

/* The forms in which the country of `slug` is written in text, as capitalised there, that name
 * all of it ("Turkey" and "Türkiye"; "UK" and "United Kingdom" but not "Scotland"): at most
 * `max` static strings into forms; returns how many (0 for an unknown slug). */
size_t lzi_country_forms(const char *slug, const char **forms, size_t max);

/* If a country's name starts at text[off] (a word start, the caller's to know) and no letter or
 * digit follows it, in one of its forms as written ("Republic of Moldova", "Moldova",
 * "Netherlands", "Türkiye", "Turkey", "UK") or all in capitals ("BULGARIA"), return the length
 * in bytes of the longest such name and set *slug to its canonical slug; else 0. Case-
 * sensitive: "turkey", "georgia" are not countries; "Bulgarian" is no "Bulgaria". A binary
 * search on the first word: O(log names + name length). */
size_t lzi_country_at(const char *text, size_t len, size_t off, const char **slug);

/* The name of a level ("invite", "request", "require") or NULL for LZI_LEVEL_NONE. */
const char *lzi_level_name(lzi_level level);

#ifdef __cplusplus
}
#endif

#endif
