/* The countries the entity extractor knows: the 46 Council of Europe member states, the other
 * Parties to the Lanzarote Convention and the other states the corpus names, each with a
 * canonical slug, the name to show and the variant names the reports use. Matching in passage
 * text (lzi_country_at) and on the query side (lzi_country_lookup) for indexer/entities.c and
 * the searcher. Static tables only: no state, safe from any thread. */
#include <stdlib.h>
#include <string.h>

#include "lz_entities.h"

/* A query value longer than this (bytes) is no country name: the longest variant is 24 bytes. */
#define LZI_COUNTRY_QUERY_MAX 64

/* Canonical slugs, sorted (strcmp) for bsearch; `name` is the official Council of Europe name. */
static const struct country {
    const char *slug;
    const char *name;
} countries[] = {
    {"albania", "Albania"},
    {"andorra", "Andorra"},
    {"armenia", "Armenia"},
    {"australia", "Australia"},
    {"austria", "Austria"},
    {"azerbaijan", "Azerbaijan"},
    {"belgium", "Belgium"},
    {"bosnia-and-herzegovina", "Bosnia and Herzegovina"},
    {"bulgaria", "Bulgaria"},
    {"canada", "Canada"},
    {"croatia", "Croatia"},
    {"cyprus", "Cyprus"},
    {"czech-republic", "Czech Republic"},
    {"denmark", "Denmark"},
    {"estonia", "Estonia"},
    {"finland", "Finland"},
    {"france", "France"},
    {"georgia", "Georgia"},
    {"germany", "Germany"},
    {"greece", "Greece"},
    {"hungary", "Hungary"},
    {"iceland", "Iceland"},
    {"ireland", "Ireland"},
    {"italy", "Italy"},
    {"latvia", "Latvia"},
    {"liechtenstein", "Liechtenstein"},
    {"lithuania", "Lithuania"},
    {"luxembourg", "Luxembourg"},
    {"malta", "Malta"},
    {"monaco", "Monaco"},
    {"montenegro", "Montenegro"},
    {"netherlands", "Netherlands"},
    {"new-zealand", "New Zealand"},
    {"north-macedonia", "North Macedonia"},
    {"norway", "Norway"},
    {"poland", "Poland"},
    {"portugal", "Portugal"},
    {"republic-of-moldova", "Republic of Moldova"},
    {"romania", "Romania"},
    {"russian-federation", "Russian Federation"},
    {"san-marino", "San Marino"},
    {"serbia", "Serbia"},
    {"slovak-republic", "Slovak Republic"},
    {"slovenia", "Slovenia"},
    {"spain", "Spain"},
    {"sweden", "Sweden"},
    {"switzerland", "Switzerland"},
    {"tunisia", "Tunisia"},
    {"turkey", "Türkiye"},
    {"ukraine", "Ukraine"},
    {"united-kingdom", "United Kingdom"},
    {"united-states", "United States"},
};

#define N_COUNTRIES (sizeof countries / sizeof countries[0])

/* Every form in which a country is matched in text, capitalised as written. Sorted by the first
 * word compared case-insensitively (ASCII), which is also byte order of the lower-cased names
 * since the separators that end a first word (' ', '-', '&') sort before every letter: names
 * sharing a first word are neighbours, and lzi_country_at bisects on the first word. The four
 * nations of the United Kingdom count as it (they are one member state and one Party; the
 * reports compare them as its jurisdictions); "Northern Ireland" also keeps "Ireland" from
 * matching inside it. "Macedonia" alone is North Macedonia's former short name. */
static const struct variant {
    const char *name;
    const char *slug;
} variants[] = {
    {"Albania", "albania"},
    {"Andorra", "andorra"},
    {"Armenia", "armenia"},
    {"Australia", "australia"},
    {"Austria", "austria"},
    {"Azerbaijan", "azerbaijan"},
    {"Belgium", "belgium"},
    {"Bosnia & Herzegovina", "bosnia-and-herzegovina"},
    {"Bosnia-Herzegovina", "bosnia-and-herzegovina"},
    {"Bosnia and Herzegovina", "bosnia-and-herzegovina"},
    {"Bulgaria", "bulgaria"},
    {"Canada", "canada"},
    {"Croatia", "croatia"},
    {"Cyprus", "cyprus"},
    {"Czech Republic", "czech-republic"},
    {"Czechia", "czech-republic"},
    {"Denmark", "denmark"},
    {"England", "united-kingdom"},
    {"Estonia", "estonia"},
    {"Finland", "finland"},
    {"France", "france"},
    {"Georgia", "georgia"},
    {"Germany", "germany"},
    {"Great Britain", "united-kingdom"},
    {"Greece", "greece"},
    {"Hungary", "hungary"},
    {"Iceland", "iceland"},
    {"Ireland", "ireland"},
    {"Italy", "italy"},
    {"Latvia", "latvia"},
    {"Liechtenstein", "liechtenstein"},
    {"Lithuania", "lithuania"},
    {"Luxembourg", "luxembourg"},
    {"Macedonia", "north-macedonia"},
    {"Malta", "malta"},
    {"Moldova", "republic-of-moldova"},
    {"Monaco", "monaco"},
    {"Montenegro", "montenegro"},
    {"Netherlands", "netherlands"},
    {"New Zealand", "new-zealand"},
    {"North Macedonia", "north-macedonia"},
    {"Northern Ireland", "united-kingdom"},
    {"Norway", "norway"},
    {"Poland", "poland"},
    {"Portugal", "portugal"},
    {"Republic of Moldova", "republic-of-moldova"},
    {"Romania", "romania"},
    {"Russia", "russian-federation"},
    {"Russian Federation", "russian-federation"},
    {"San Marino", "san-marino"},
    {"Scotland", "united-kingdom"},
    {"Serbia", "serbia"},
    {"Slovak Republic", "slovak-republic"},
    {"Slovakia", "slovak-republic"},
    {"Slovenia", "slovenia"},
    {"Spain", "spain"},
    {"Sweden", "sweden"},
    {"Switzerland", "switzerland"},
    {"Tunisia", "tunisia"},
    {"Turkey", "turkey"},
    {"Türkiye", "turkey"},
    {"UK", "united-kingdom"},
    {"Ukraine", "ukraine"},
    {"United Kingdom", "united-kingdom"},
    {"United States", "united-states"},
    {"United States of America", "united-states"},
    {"US", "united-states"},
    {"USA", "united-states"},
    {"Wales", "united-kingdom"},
};

#define N_VARIANTS (sizeof variants / sizeof variants[0])

/* Variants that name a part of a country, not the whole of it: lzi_country_forms leaves them
 * out ("Scotland" is the United Kingdom for the extractor, but "UK" is not Scotland). */
static const char *const parts[] = {"England", "Northern Ireland", "Scotland", "Wales"};

static int is_ascii_alpha(unsigned char b)
{
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

static unsigned char ascii_lower(unsigned char b)
{
    return b >= 'A' && b <= 'Z' ? (unsigned char)(b + ('a' - 'A')) : b;
}

static unsigned char ascii_upper(unsigned char b)
{
    return b >= 'a' && b <= 'z' ? (unsigned char)(b - ('a' - 'A')) : b;
}

/* Length in bytes of the letter or digit at s[0, len), or 0. Letters are ASCII and the two-byte
 * UTF-8 range from U+00C0 (Latin-1 letters, Latin Extended, Greek, Cyrillic...); U+0080-U+00BF
 * (NBSP, superscripts, guillemets) and three-byte sequences (dashes, quotes) are not. */
static size_t word_char_len(const char *s, size_t len)
{
    unsigned char b;

    if (len == 0)
        return 0;
    b = (unsigned char)s[0];
    if (is_ascii_alpha(b) || (b >= '0' && b <= '9'))
        return 1;
    if (b >= 0xC3 && b <= 0xDF && len >= 2 && ((unsigned char)s[1] & 0xC0) == 0x80)
        return 2;
    return 0;
}

/* Length of the first word of a name: up to the first ' ', '-' or '&'. */
static size_t first_word_len(const char *name)
{
    return strcspn(name, " -&");
}

/* Compare the word w[0, wlen) with the first word of name, ASCII case-insensitively. */
static int cmp_first_word(const char *w, size_t wlen, const char *name)
{
    size_t nlen = first_word_len(name), k;

    for (k = 0; k < wlen && k < nlen; k++) {
        unsigned char a = ascii_lower((unsigned char)w[k]);
        unsigned char b = ascii_lower((unsigned char)name[k]);
        if (a != b)
            return a < b ? -1 : 1;
    }
    return wlen < nlen ? -1 : wlen > nlen ? 1 : 0;
}

/* Does name occur at text[off, len) as written, or all in capitals ("BULGARIA")? Returns its
 * length in bytes or 0. Bytes other than ASCII letters must match exactly. */
static size_t match_name(const char *text, size_t len, size_t off, const char *name)
{
    size_t n = strlen(name), k;
    int exact = 1, caps = 1;

    if (n > len - off)
        return 0;
    for (k = 0; k < n && (exact || caps); k++) {
        unsigned char t = (unsigned char)text[off + k], c = (unsigned char)name[k];
        if (t != c)
            exact = 0;
        if (t != ascii_upper(c))
            caps = 0;
    }
    return exact || caps ? n : 0;
}

size_t lzi_country_at(const char *text, size_t len, size_t off, const char **slug)
{
    size_t wlen = 0, lo = 0, hi = N_VARIANTS, mid, best = 0, n, k;

    if (text == NULL || off >= len || !is_ascii_alpha((unsigned char)text[off]) ||
        ascii_upper((unsigned char)text[off]) != (unsigned char)text[off])
        return 0;                       /* names start with a capital */
    while ((n = word_char_len(text + off + wlen, len - off - wlen)) > 0)
        wlen += n;                      /* the first word, in bytes */
    while (lo < hi) {                   /* the first variant whose first word is >= the word */
        mid = lo + (hi - lo) / 2;
        if (cmp_first_word(text + off, wlen, variants[mid].name) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (k = lo; k < N_VARIANTS && cmp_first_word(text + off, wlen, variants[k].name) == 0;
         k++) {                         /* every variant with this first word: keep the longest */
        n = match_name(text, len, off, variants[k].name);
        if (n > best && word_char_len(text + off + n, len - off - n) == 0) {
            best = n;
            *slug = variants[k].slug;
        }
    }
    return best;
}

static int cmp_slug(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const struct country *)elem)->slug);
}

const char *lzi_country_name(const char *slug)
{
    const struct country *c;

    if (slug == NULL)
        return NULL;
    c = bsearch(slug, countries, N_COUNTRIES, sizeof countries[0], cmp_slug);
    return c ? c->name : NULL;
}

/* Fold s[0, len) into a lookup key: ASCII lower case, Latin-1 letters without their accents
 * ("ü" -> "u"), every other run of bytes (spaces, '-', '_', '&', '.', ',') one '-', none at
 * either end. Returns the key's length, or 0 when it would not fit in `cap` bytes (the NUL
 * included) or holds nothing. */
static size_t fold_key(char *key, size_t cap, const char *s, size_t len)
{
    /* U+00C0-U+00FF without accents, '-' for the two that are not letters (U+00D7, U+00F7) */
    static const char latin1[] = "aaaaaaaceeeeiiiidnooooo-ouuuuyts"
                                 "aaaaaaaceeeeiiiidnooooo-ouuuuyty";
    size_t i = 0, n = 0;
    int sep = 0;

    while (i < len) {
        unsigned char b = (unsigned char)s[i];
        char c = 0;
        if (is_ascii_alpha(b) || (b >= '0' && b <= '9')) {
            c = (char)ascii_lower(b);
            i++;
        } else if (b == 0xC3 && i + 1 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            c = latin1[(unsigned char)s[i + 1] - 0x80];
            i += 2;
        } else {
            i++;
        }
        if (c == 0 || c == '-') {
            sep = n > 0;
            continue;
        }
        if (n + (size_t)sep + 2 > cap)
            return 0;
        if (sep)
            key[n++] = '-';
        key[n++] = c;
        sep = 0;
    }
    key[n] = '\0';
    return n;
}

size_t lzi_country_forms(const char *slug, const char **forms, size_t max)
{
    size_t i, k, n = 0;

    for (i = 0; slug != NULL && i < N_VARIANTS && n < max; i++) {
        if (strcmp(variants[i].slug, slug) != 0)
            continue;
        for (k = 0; k < sizeof parts / sizeof parts[0] && strcmp(parts[k], variants[i].name); k++)
            ;
        if (k == sizeof parts / sizeof parts[0])
            forms[n++] = variants[i].name;
    }
    return n;
}

const char *lzi_country_lookup(const char *text, size_t len)
{
    char key[LZI_COUNTRY_QUERY_MAX + 1], name_key[LZI_COUNTRY_QUERY_MAX + 1];
    const char *k = key;
    size_t n, i;

    if (text == NULL || len > LZI_COUNTRY_QUERY_MAX)
        return NULL;
    if ((n = fold_key(key, sizeof key, text, len)) == 0)
        return NULL;
    if (n > 4 && memcmp(key, "the-", 4) == 0)
        k += 4;                         /* "the Netherlands", "the Russian Federation" */
    /* a name is folded only when its first letter can match: every name starts with an ASCII
     * letter, which folds to its lower case (the searcher looks up every word of a query) */
    for (i = 0; i < N_COUNTRIES; i++) {
        if (strcmp(k, countries[i].slug) == 0)
            return countries[i].slug;
        if (ascii_lower((unsigned char)countries[i].name[0]) != (unsigned char)k[0])
            continue;
        fold_key(name_key, sizeof name_key, countries[i].name, strlen(countries[i].name));
        if (strcmp(k, name_key) == 0)
            return countries[i].slug;
    }
    for (i = 0; i < N_VARIANTS; i++) {
        if (ascii_lower((unsigned char)variants[i].name[0]) != (unsigned char)k[0])
            continue;
        fold_key(name_key, sizeof name_key, variants[i].name, strlen(variants[i].name));
        if (strcmp(k, name_key) == 0)
            return variants[i].slug;
    }
    return NULL;
}
