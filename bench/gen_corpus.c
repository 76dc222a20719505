/* gen_corpus: a deterministic synthetic corpus shaped like corpus/ (markdown headings, paragraphs,
 * list items, pipe tables, footnotes as <sup>N</sup> or superscript digits, page breaks that cut
 * sentences), of a given size, plus a fixed set of queries drawn from the words it wrote. The
 * benchmark (bench.c) indexes it with lanzsearch and SQLite FTS5 in the same run.
 *
 *     gen_corpus --size-mb 10 --out DIR [--queries FILE] [--n-queries 200] [--seed N]
 *
 * Words: a Zipfian draw (exponent 1.2) over 2^21 ranks, the first ranks a list of English
 * stopwords and words of the reports, the rest made of syllables (with English suffixes, some
 * capitalized), so the vocabulary keeps growing with the size (Heaps' law); about one token in
 * 300 a new word never seen before (names, codes); a few accented words, ligatures and
 * typographic apostrophes. Same seed, same bytes. */
#include <errno.h>
#include <math.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Ranks of the Zipfian vocabulary (its CDF table takes 8 bytes a rank), and the exponent: 1.2
 * gives about as many distinct words per token as English reports with their names and
 * numbers (plain 1.0 puts a third of the tokens past rank 10000, far too many). */
#define N_RANKS (1u << 21)
#define ZIPF_S 1.2

/* Target size of one file, bytes: log-uniform between these, like reports and factsheets. */
#define FILE_MIN_BYTES (20u << 10)
#define FILE_MAX_BYTES (400u << 10)

/* Bytes of text between page breaks, about a printed page. */
#define PAGE_BYTES 3500u

/* The most frequent words first, stopwords before the words of the domain. */
static const char *const base_words[] = {
    /* stopwords: ranks 1..N_STOP (stopwords/english.txt has them all) */
    "the", "of", "and", "to", "in", "a", "for", "is", "that", "on", "by", "with", "as", "be",
    "are", "or", "this", "which", "their", "from", "it", "an", "at", "not", "have", "has",
    "also", "been", "its", "other", "such", "were", "was", "all", "may", "should", "can", "any",
    "these", "they", "who", "into", "where", "more", "than", "when", "those", "there", "would",
    "within", "between", "under", "through", "both", "each", "well", "only", "however", "no",
    "but", "if", "there", "out", "most", "some", "what", "them", "do", "so", "how", "one",
    /* words of the reports, roughly by frequency */
    "children", "child", "sexual", "parties", "committee", "lanzarote", "convention", "abuse",
    "exploitation", "victims", "online", "information", "protection", "legal", "images",
    "videos", "national", "states", "measures", "party", "report", "law", "framework",
    "criminal", "order", "cooperation", "offences", "material", "services", "support",
    "implementation", "recommendations", "monitoring", "generated", "self", "requests",
    "invites", "requires", "ensure", "provide", "specific", "relevant", "international",
    "prevention", "awareness", "education", "training", "professionals", "police",
    "investigation", "prosecution", "jurisdiction", "assistance", "civil", "society",
    "organisations", "ministry", "justice", "government", "authorities", "data", "research",
    "technology", "technologies", "communication", "ICTs", "CSGSIV", "OCSEA", "CSEA",
    "grooming", "extortion", "sextortion", "consent", "age", "possession", "production",
    "distribution", "content", "platforms", "internet", "access", "public", "private",
    "sector", "industry", "response", "responses", "capacity", "practice", "practices",
    "promising", "round", "thematic", "article", "paragraph", "explanatory", "opinion",
    "adopted", "council", "europe", "member", "budapest", "cybercrime", "model", "alliance",
    "helplines", "hotlines", "reporting", "mechanisms", "procedures", "interview", "forensic",
    "evidence", "court", "proceedings", "perpetrators", "offenders", "adults", "persons",
    "family", "families", "schools", "teachers", "parents", "health", "social", "welfare",
    "policy", "policies", "strategy", "action", "plan", "coordination", "multi", "agency",
    "approach", "risk", "risks", "harm", "safety", "safeguarding", "identification",
    "database", "hash", "removal", "takedown", "providers", "legislation", "amendments",
    "criminalisation", "liability", "responsibility", "sanctions", "penalties", "dual",
    "criminality", "territory", "nationals", "residence", "extradition", "mutual", "legal",
    "request", "require", "invite", "steps", "obligations", "standards", "instrument",
    "situation", "compliance", "exemption", "activities", "similar", "maturity", "depicted",
    "sharing", "voluntary", "consensual", "intended", "solely", "use", "pornography",
    "solicitation", "purposes", "meeting", "developing", "development", "curriculum",
    "continuous", "higher", "secondary", "primary", "programme", "programmes", "campaign",
    "campaigns", "materials", "resources", "funding", "budget", "statistics", "figures",
    "number", "cases", "year", "years", "period", "time", "level", "levels", "regional",
    "local", "municipal", "federal", "country", "countries", "examples", "example", "key",
    "findings", "messages", "participation", "views", "voices", "young", "people",
    "adolescents", "boys", "girls", "gender", "disabilities", "vulnerable", "migrant",
    "unaccompanied", "care", "institutions", "recovery", "therapeutic", "psychological",
    "medical", "counselling", "shelter", "compensation", "rights", "best", "interests",
    "specialised", "units", "cybercrime", "investigators", "prosecutors", "judges",
    "secretariat", "questionnaire", "replies", "stakeholders", "contributions", "table",
    "contents", "introduction", "conclusions", "annex", "appendix", "chapter", "section",
};
#define N_STOP 71u      /* base_words[0..N_STOP) are stopwords: never in a query */
#define N_BASE (sizeof base_words / sizeof base_words[0])

/* Syllables and endings of the made-up words. */
static const char *const syllables[] = {
    "con", "ven", "tion", "pro", "tec", "ment", "re", "port", "in", "ter", "na", "al", "com",
    "mit", "tee", "par", "ti", "es", "ex", "plo", "ta", "vic", "tim", "sex", "u", "of", "fen",
    "ce", "de", "ve", "lop", "ma", "ter", "ri", "ju", "ris", "dic", "au", "tho", "ty", "so",
    "ci", "e", "pre", "sen", "sa", "lu", "mo", "ni", "tor", "ing", "ra", "lan", "za", "ro",
    "te", "gal", "crim", "min", "is", "tra", "stat", "ute", "reg", "ul", "ben", "dor", "kai",
    "vos", "lek", "stro", "bel", "gra", "ham", "wen", "qui", "zel", "ost", "rup", "han",
};
static const char *const endings[] = {
    "", "", "", "s", "ing", "ed", "ation", "ity", "al", "ly", "ment", "ness", "er", "ers",
    "ise", "ised", "ism", "ive", "ous", "ence",
};
#define N_SYL (sizeof syllables / sizeof syllables[0])
#define N_END (sizeof endings / sizeof endings[0])

static const char *const countries[] = {
    "ALBANIA", "ANDORRA", "AUSTRIA", "BELGIUM", "BULGARIA", "CROATIA", "CYPRUS", "DENMARK",
    "ESTONIA", "FINLAND", "FRANCE", "GEORGIA", "GERMANY", "GREECE", "ICELAND", "ITALY",
    "LATVIA", "LITHUANIA", "LUXEMBOURG", "MALTA", "MONACO", "MONTENEGRO", "NETHERLANDS",
    "NORWAY", "POLAND", "PORTUGAL", "ROMANIA", "SERBIA", "SLOVENIA", "SPAIN", "SWEDEN",
    "TÜRKIYE", "UKRAINE", "CÔTE D’IVOIRE",
};
static const char *const romans[] = {
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
};
static const char *const superscripts[] = {
    "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹",
};
/* A few spellings that exercise normalization: accents, a ligature, typographic apostrophes. */
static const char *const oddities[] = {
    "procédure", "Österreich", "ﬁnancial", "Parties’", "Committee’s", "children’s", "naïve",
    "rôle", "co-operation", "self-generated", "multi-agency", "e.g.", "i.e.", "U.S.", "État",
};
#define N_ODD (sizeof oddities / sizeof oddities[0])

/* xoshiro256** seeded by splitmix64: the same stream on every machine. */
typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
    int i;
    for (i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n). */
static unsigned rng_below(rng *r, unsigned n)
{
    return (unsigned)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static int chance(rng *r, double p)
{
    return rng_unit(r) < p;
}

/* A growable output buffer. */
typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void buf_put(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        if ((b->p = realloc(b->p, cap)) == NULL) {
            fprintf(stderr, "gen_corpus: out of memory\n");
            exit(2);
        }
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_puts(buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

static void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void buf_printf(buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        buf_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* ------------------------------------------------------------------------------------------ */
/* Words */

typedef struct gen {
    rng r;
    double *cdf;            /* N_RANKS cumulative Zipf weights, last = 1 */
    uint64_t n_fresh;       /* new words made so far */
    unsigned footnote;      /* last footnote number of the current file */
    unsigned pending[64];   /* footnotes cited since the last page break */
    unsigned n_pending;
    int sup_tags;           /* this file marks footnotes with <sup>N</sup>, else superscripts */
    size_t page_left;       /* bytes until the next page break */
    rng qr;                 /* for the reservoir below: the corpus bytes do not depend on it */
    char **sample;          /* a uniform sample of n_sample paragraphs (reservoir sampling) */
    unsigned n_sample;
    uint64_t n_paragraphs;  /* paragraphs written so far */
} gen;

/* The spelling of a made-up word of rank r (r >= N_BASE): a fixed function of r. */
static void made_up_word(char *out, size_t cap, uint64_t r)
{
    uint64_t h = r * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
    unsigned n_syl, i;
    size_t len = 0;

    h = splitmix64(&h);
    n_syl = 1 + (unsigned)(h % 3);
    h /= 3;
    for (i = 0; i < n_syl; i++) {
        const char *s = syllables[h % N_SYL];
        h /= N_SYL;
        len += (size_t)snprintf(out + len, cap - len, "%s", s);
    }
    snprintf(out + len, cap - len, "%s", endings[h % N_END]);
    h /= N_END;
    if (h % 23 == 0 && out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');        /* a name */
}

/* Draw a rank, 0-based, from the Zipf distribution. */
static unsigned zipf_rank(gen *g)
{
    double u = rng_unit(&g->r);
    unsigned lo = 0, hi = N_RANKS - 1;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (g->cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void word_of_rank(char *out, size_t cap, unsigned rank)
{
    if (rank < N_BASE)
        snprintf(out, cap, "%s", base_words[rank]);
    else
        made_up_word(out, cap, rank);
}

/* One word of running text into out. */
static void next_word(gen *g, char *out, size_t cap)
{
    unsigned rank;

    if (chance(&g->r, 1.0 / 300)) {             /* a word never seen before */
        uint64_t id = ++g->n_fresh;
        made_up_word(out, cap, ((uint64_t)1 << 40) + id);
        if (id % 3 == 0) {                      /* codes: "Kaidor7", "XK-1234"-like */
            size_t n = strlen(out);
            snprintf(out + n, cap - n, "%u", (unsigned)(id % 97));
        }
        return;
    }
    if (chance(&g->r, 0.004)) {
        snprintf(out, cap, "%s", oddities[rng_below(&g->r, N_ODD)]);
        return;
    }
    rank = zipf_rank(g);
    word_of_rank(out, cap, rank);
}

/* ------------------------------------------------------------------------------------------ */
/* Text */

static void footnote_marker(gen *g, buf *b)
{
    unsigned n = ++g->footnote;
    if (g->n_pending < sizeof g->pending / sizeof g->pending[0])
        g->pending[g->n_pending++] = n;
    if (g->sup_tags) {
        buf_printf(b, "<sup>%u</sup>", n);
    } else {
        char digits[16];
        size_t i;
        snprintf(digits, sizeof digits, "%u", n);
        for (i = 0; digits[i]; i++)
            buf_puts(b, superscripts[digits[i] - '0']);
    }
}

/* Something other than a word: numbers, references, identifiers, as the reports have them. */
static void special_token(gen *g, buf *b)
{
    switch (rng_below(&g->r, 7)) {
    case 0:
        buf_printf(b, "Article %u(%u)", 1 + rng_below(&g->r, 48), 1 + rng_below(&g->r, 5));
        break;
    case 1:
        buf_printf(b, "Recommendation %s-%u", romans[rng_below(&g->r, 11)],
                   1 + rng_below(&g->r, 30));
        break;
    case 2:
        buf_printf(b, "para %u", 1 + rng_below(&g->r, 300));
        break;
    case 3:
        buf_printf(b, "%u", 1 + rng_below(&g->r, 2000));
        break;
    case 4:
        buf_printf(b, "%02u.%02u.%u", 1 + rng_below(&g->r, 28), 1 + rng_below(&g->r, 12),
                   2010 + rng_below(&g->r, 14));
        break;
    case 5:
        buf_printf(b, "%u%%", rng_below(&g->r, 100));
        break;
    default:
        buf_printf(b, "(%s)", countries[rng_below(&g->r, sizeof countries / sizeof *countries)]);
        break;
    }
}

/* A sentence of n_words words; ends with `end` (".", ":", ";", or "" for a title), sometimes
 * followed by a footnote marker when `notes` is set. */
static void sentence_ex(gen *g, buf *b, unsigned n_words, const char *end, int notes)
{
    char w[128];
    unsigned i;
    int quote = 0;

    for (i = 0; i < n_words; i++) {
        if (i > 0)
            buf_puts(b, " ");
        if (chance(&g->r, 0.02)) {
            special_token(g, b);
            continue;
        }
        next_word(g, w, sizeof w);
        if (i == 0 && w[0] >= 'a' && w[0] <= 'z')
            w[0] = (char)(w[0] - 'a' + 'A');
        if (!quote && i + 2 < n_words && chance(&g->r, 0.01)) {
            buf_puts(b, "“");
            quote = 1;
        }
        buf_puts(b, w);
        if (quote && chance(&g->r, 0.3)) {
            buf_puts(b, "”");
            quote = 0;
        }
        if (i + 1 < n_words && chance(&g->r, 0.07))
            buf_puts(b, ",");
    }
    if (quote)
        buf_puts(b, "”");
    buf_puts(b, end);
    if (notes && *end == '.' && chance(&g->r, 0.06))
        footnote_marker(g, b);
}

static void sentence(gen *g, buf *b, unsigned n_words, const char *end)
{
    sentence_ex(g, b, n_words, end, 1);
}

static unsigned sentence_words(gen *g)
{
    return 6 + rng_below(&g->r, 14) + rng_below(&g->r, 14);    /* 6..32, mean 19 */
}

/* A paragraph of sentences into b (no newline). */
static void paragraph_text(gen *g, buf *b, unsigned n_sent)
{
    unsigned i;
    for (i = 0; i < n_sent; i++) {
        if (i > 0)
            buf_puts(b, " ");
        sentence(g, b, sentence_words(g), ".");
    }
}

/* The page break: a "---" line, then the definitions of the footnotes cited on the page. */
static void page_break(gen *g, buf *out)
{
    unsigned i;
    buf_puts(out, "---\n\n");
    for (i = 0; i < g->n_pending; i++) {
        if (g->sup_tags) {
            buf_printf(out, "<sup>%u</sup> ", g->pending[i]);
        } else {
            char digits[16];
            size_t k;
            snprintf(digits, sizeof digits, "%u", g->pending[i]);
            for (k = 0; digits[k]; k++)
                buf_puts(out, superscripts[digits[k] - '0']);
            buf_puts(out, " ");
        }
        sentence_ex(g, out, 4 + rng_below(&g->r, 16), ".", 0);
        buf_puts(out, "\n\n");
    }
    g->n_pending = 0;
    g->page_left = PAGE_BYTES / 2 + rng_below(&g->r, PAGE_BYTES);
}

/* Write a block (ending "\n\n") to out, counting its bytes against the page; when the page is
 * full, a block of running text may be cut mid-sentence by the break, as PDF conversions do. */
static void emit_block(gen *g, buf *out, const buf *blk, int cuttable)
{
    if (blk->len < g->page_left) {
        buf_put(out, blk->p, blk->len);
        g->page_left -= blk->len;
        return;
    }
    if (cuttable && blk->len > 80 && chance(&g->r, 0.6)) {
        /* cut at a space in the second half, not after a full stop */
        size_t at = blk->len / 2 + rng_below(&g->r, (unsigned)(blk->len / 2 - 4));
        while (at < blk->len - 2 && (blk->p[at] != ' ' || blk->p[at - 1] == '.'))
            at++;
        if (at < blk->len - 2) {
            buf_put(out, blk->p, at);
            buf_puts(out, "\n\n");
            page_break(g, out);
            buf_put(out, blk->p + at + 1, blk->len - at - 1);
            g->page_left = g->page_left > blk->len - at ? g->page_left - (blk->len - at) : 0;
            return;
        }
    }
    buf_put(out, blk->p, blk->len);
    page_break(g, out);
}

/* Reservoir sampling (Algorithm R): every paragraph has the same chance to give a query. */
static void keep_sample(gen *g, const char *text)
{
    uint64_t seen = g->n_paragraphs++;
    uint64_t j = seen < g->n_sample ? seen : rng_next(&g->qr) % (seen + 1);
    char *copy;

    if (j >= g->n_sample)
        return;
    if ((copy = strdup(text)) == NULL) {
        fprintf(stderr, "gen_corpus: out of memory\n");
        exit(2);
    }
    free(g->sample[j]);
    g->sample[j] = copy;
}

static void heading_words(gen *g, buf *b, unsigned n)
{
    char w[128];
    unsigned i;
    for (i = 0; i < n; i++) {
        next_word(g, w, sizeof w);
        if (i == 0 && w[0] >= 'a' && w[0] <= 'z')
            w[0] = (char)(w[0] - 'a' + 'A');
        buf_puts(b, i ? " " : "");
        buf_puts(b, w);
    }
}

/* One file of about `target` bytes. */
static void document(gen *g, buf *out, size_t target, unsigned file_no)
{
    buf blk = { 0 };
    unsigned sec = 0, sub = 0, i, n;
    int chapters = 0;

    g->footnote = 0;
    g->n_pending = 0;
    g->sup_tags = file_no % 3 != 0;
    g->page_left = PAGE_BYTES;
    out->len = 0;
    buf_printf(out, "\n\n## FACTSHEET – %s\n\n### ",
               countries[rng_below(&g->r, sizeof countries / sizeof *countries)]);
    heading_words(g, out, 3 + rng_below(&g->r, 5));
    buf_puts(out, "\n\n**“");
    sentence(g, out, 12 + rng_below(&g->r, 20), "");
    buf_printf(out, "”**\n\nLast update: %02u.%02u.%u\n\n", 1 + rng_below(&g->r, 28),
               1 + rng_below(&g->r, 12), 2015 + rng_below(&g->r, 9));

    while (out->len < target) {
        unsigned kind = rng_below(&g->r, 100);
        blk.len = 0;
        if (kind < 4 || !chapters) {                            /* a chapter */
            chapters = 1;
            buf_printf(&blk, "## %s. ", romans[sec++ % 14]);
            heading_words(g, &blk, 2 + rng_below(&g->r, 5));
            buf_puts(&blk, "\n\n");
            sub = 0;
            emit_block(g, out, &blk, 0);
        } else if (kind < 10) {                                 /* a sub-heading */
            if (chance(&g->r, 0.3)) {
                buf_puts(&blk, "**");
                heading_words(g, &blk, 2 + rng_below(&g->r, 6));
                buf_puts(&blk, "**\n\n");
            } else {
                buf_printf(&blk, "### %u.%u ", sec, ++sub);
                heading_words(g, &blk, 2 + rng_below(&g->r, 8));
                buf_puts(&blk, "\n\n");
            }
            emit_block(g, out, &blk, 0);
        } else if (kind < 22) {                                 /* a list */
            paragraph_text(g, &blk, 1);
            blk.len--;                                          /* the '.' becomes ':' */
            if (blk.p[blk.len - 1] == '>' || (unsigned char)blk.p[blk.len - 1] >= 0x80)
                blk.len++;                                      /* ends with a marker: keep */
            else
                buf_puts(&blk, ":");
            buf_puts(&blk, "\n\n");
            n = 2 + rng_below(&g->r, 5);
            for (i = 0; i < n; i++) {
                buf_puts(&blk, "- ");
                if (chance(&g->r, 0.3)) {
                    buf_puts(&blk, "**");
                    heading_words(g, &blk, 1 + rng_below(&g->r, 2));
                    buf_puts(&blk, "**: ");
                }
                sentence(g, &blk, 5 + rng_below(&g->r, 25), i + 1 < n ? ";" : ".");
                buf_puts(&blk, "\n");
            }
            buf_puts(&blk, "\n");
            emit_block(g, out, &blk, 0);
        } else if (kind < 27) {                                 /* a pipe table */
            n = 2 + rng_below(&g->r, 6);
            for (i = 0; i < n; i++) {
                unsigned part = 1 + rng_below(&g->r, 11);
                buf_printf(&blk, "| Recommendation %s-%u | ", romans[part - 1], i + 1);
                sentence(g, &blk, 20 + rng_below(&g->r, 60), ".");
                buf_puts(&blk, " |\n");
                if (i == 0 || chance(&g->r, 0.3))
                    buf_puts(&blk, "|---------------------|---|\n");
            }
            buf_puts(&blk, "\n");
            emit_block(g, out, &blk, 0);
        } else {                                                /* a paragraph */
            paragraph_text(g, &blk, 1 + rng_below(&g->r, 4) + rng_below(&g->r, 4));
            keep_sample(g, blk.p);
            buf_puts(&blk, "\n\n");
            emit_block(g, out, &blk, 1);
        }
    }
    if (g->n_pending > 0)
        page_break(g, out);
    free(blk.p);
}

/* ------------------------------------------------------------------------------------------ */
/* Queries */

/* Words that make no query: the stopwords lanzsearch drops from queries (stopwords/english.txt,
 * given with --stopwords), or else the stopwords of base_words. */
typedef struct stoplist {
    char **w;
    size_t n;
} stoplist;

static int is_stop(const stoplist *sl, const char *w, size_t len)
{
    size_t i;
    for (i = 0; i < sl->n; i++)
        if (strlen(sl->w[i]) == len && memcmp(sl->w[i], w, len) == 0)
            return 1;
    return 0;
}

static int load_stopwords(stoplist *sl, const char *path)
{
    char line[256];
    FILE *fp;

    sl->n = 0;
    sl->w = malloc(4096 * sizeof *sl->w);
    if (sl->w == NULL)
        return 2;
    if (path == NULL) {
        for (; sl->n < N_STOP; sl->n++)
            sl->w[sl->n] = strdup(base_words[sl->n]);
        return 0;
    }
    if ((fp = fopen(path, "r")) == NULL) {
        fprintf(stderr, "gen_corpus: %s: %s\n", path, strerror(errno));
        return 2;
    }
    while (sl->n < 4096 && fgets(line, sizeof line, fp)) {
        line[strcspn(line, " \t\r\n#")] = '\0';
        if (line[0] != '\0')
            sl->w[sl->n++] = strdup(line);
    }
    fclose(fp);
    return 0;
}

/* n queries, one a line, each from one sampled paragraph (so AND queries have at least that
 * match): 1 to 3 distinct words of it, two or three joined by AND or by OR (upper case, which
 * both lanzsearch and FTS5 read as operators). Only lower-case ASCII words of 3 bytes or more
 * that are not stopwords, so both engines and a shell take them as they are. Even queries draw
 * words as they occur (common words, long posting lists), odd ones among the distinct words
 * (rarer ones). */
static int write_queries(gen *g, const char *path, const stoplist *sl)
{
    const char *cand[512];
    size_t cand_len[512];
    unsigned i, k, n_cand;
    FILE *fp;

    if ((fp = fopen(path, "w")) == NULL) {
        fprintf(stderr, "gen_corpus: %s: %s\n", path, strerror(errno));
        return 2;
    }
    for (i = 0; i < g->n_sample && g->sample[i] != NULL; i++) {
        const char *p = g->sample[i], *chosen[3];
        size_t chosen_len[3];
        unsigned n_words = 1 + i % 3, n_chosen = 0, tries;
        const char *op = (i / 3) % 2 ? " OR " : " AND ";

        for (n_cand = 0; *p && n_cand < 512;) {
            const char *w = p;
            size_t len, j;
            int dup = 0;
            while (*p >= 'a' && *p <= 'z')
                p++;
            len = (size_t)(p - w);
            /* a whole word: not glued to other letters, digits, '-' or '’' */
            if (len >= 3 && (w == g->sample[i] || (unsigned char)w[-1] < 0x80) &&
                !(w > g->sample[i] && ((w[-1] >= 'A' && w[-1] <= 'Z') || w[-1] == '-' ||
                                       (w[-1] >= '0' && w[-1] <= '9'))) &&
                (*p == ' ' || *p == ',' || *p == '.' || *p == ';' || *p == ':' || *p == '\0') &&
                !is_stop(sl, w, len)) {
                if (i % 2)                  /* distinct words only */
                    for (j = 0; j < n_cand; j++)
                        dup |= cand_len[j] == len && memcmp(cand[j], w, len) == 0;
                if (!dup) {
                    cand[n_cand] = w;
                    cand_len[n_cand++] = len;
                }
            }
            if (p == w)
                p++;
        }
        for (tries = 0; n_chosen < n_words && n_cand > 0 && tries < 100; tries++) {
            unsigned c = rng_below(&g->qr, n_cand);
            int dup = 0;
            for (k = 0; k < n_chosen; k++)
                dup |= chosen_len[k] == cand_len[c] && memcmp(chosen[k], cand[c], cand_len[c]) == 0;
            if (!dup) {
                chosen[n_chosen] = cand[c];
                chosen_len[n_chosen++] = cand_len[c];
            }
        }
        if (n_chosen == 0)
            chosen[n_chosen] = "children", chosen_len[n_chosen++] = 8;
        for (k = 0; k < n_chosen; k++)
            fprintf(fp, "%s%.*s", k ? op : "", (int)chosen_len[k], chosen[k]);
        fputc('\n', fp);
    }
    return fclose(fp) == 0 ? 0 : 2;
}

/* ------------------------------------------------------------------------------------------ */

static void usage(FILE *to)
{
    fprintf(to, "usage: gen_corpus --size-mb N --out DIR [--queries FILE] [--n-queries 200] "
                "[--seed 1]\n"
                "       [--stopwords stopwords/english.txt]\n"
                "Write a deterministic synthetic corpus of about N MB (files doc-NNNNN.txt) "
                "into DIR,\nand queries drawn from its words, one a line, into FILE.\n");
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "size-mb", required_argument, NULL, 's' }, { "out", required_argument, NULL, 'o' },
        { "queries", required_argument, NULL, 'q' }, { "n-queries", required_argument, NULL, 'n' },
        { "seed", required_argument, NULL, 'S' },    { "help", no_argument, NULL, 'h' },
        { "stopwords", required_argument, NULL, 'w' },
        { NULL, 0, NULL, 0 },
    };
    const char *out_dir = NULL, *queries = NULL, *stop_path = NULL;
    stoplist sl;
    double size_mb = 0, norm = 0, acc = 0;
    unsigned n_queries = 200, file_no = 0, i;
    uint64_t seed = 1, total = 0, target;
    gen g;
    buf doc = { 0 };
    int c;

    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 's': size_mb = strtod(optarg, NULL); break;
        case 'o': out_dir = optarg; break;
        case 'q': queries = optarg; break;
        case 'n': n_queries = (unsigned)strtoul(optarg, NULL, 10); break;
        case 'S': seed = strtoull(optarg, NULL, 10); break;
        case 'w': stop_path = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (out_dir == NULL || size_mb <= 0 || optind != argc) {
        usage(stderr);
        return 2;
    }
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gen_corpus: %s: %s\n", out_dir, strerror(errno));
        return 2;
    }
    memset(&g, 0, sizeof g);
    rng_seed(&g.r, seed);
    rng_seed(&g.qr, seed ^ 0x51554552ull);
    g.n_sample = n_queries;
    g.sample = calloc(n_queries + 1, sizeof *g.sample);
    g.cdf = malloc(N_RANKS * sizeof *g.cdf);
    if (g.cdf == NULL || g.sample == NULL) {
        fprintf(stderr, "gen_corpus: out of memory\n");
        return 2;
    }
    for (i = 0; i < N_RANKS; i++)
        norm += pow(i + 1.0, -ZIPF_S);
    for (i = 0; i < N_RANKS; i++) {
        acc += pow(i + 1.0, -ZIPF_S) / norm;
        g.cdf[i] = acc;
    }
    g.cdf[N_RANKS - 1] = 1.0;

    target = (uint64_t)(size_mb * 1e6);
    while (total < target) {
        char path[4096];
        FILE *fp;
        double u = rng_unit(&g.r);
        /* skewed towards small files, as factsheets outnumber long reports */
        size_t want = FILE_MIN_BYTES + (size_t)((FILE_MAX_BYTES - FILE_MIN_BYTES) * u * u);

        if (want > target - total)
            want = (size_t)(target - total);
        document(&g, &doc, want, ++file_no);
        snprintf(path, sizeof path, "%s/doc-%05u.txt", out_dir, file_no);
        if ((fp = fopen(path, "wb")) == NULL || fwrite(doc.p, 1, doc.len, fp) != doc.len ||
            fclose(fp) != 0) {
            fprintf(stderr, "gen_corpus: %s: %s\n", path, strerror(errno));
            return 2;
        }
        total += doc.len;
    }
    fprintf(stderr, "gen_corpus: %s: %u files, %llu bytes, %llu new words\n", out_dir, file_no,
            (unsigned long long)total, (unsigned long long)g.n_fresh);
    c = 0;
    if (queries && (c = load_stopwords(&sl, stop_path)) == 0)
        c = write_queries(&g, queries, &sl);
    free(doc.p);
    free(g.cdf);
    return c;
}
