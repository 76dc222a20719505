/* The index schema shared by indexer/ and searcher/: term prefixes, value slots, metadata keys
 * and the fingerprint of the rules that made the terms. Change any of them and the index format
 * number goes up, so an old index answers LZ_EVERSION instead of quietly missing matches. */
#ifndef LZ_SCHEMA_H
#define LZ_SCHEMA_H

#include "lz_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Version of everything below and of the passage record's meaning. */
#define LZI_INDEX_FORMAT 7

/* Term prefixes (Xapian/Omega conventions: "Z" before a prefix marks a stem). Body words are
 * unprefixed with positions, their stems "Z"+stem without positions. */
#define LZI_PREFIX_STEM "Z"
#define LZI_PREFIX_TITLE "S"         /* words of the document title */
#define LZI_PREFIX_SECTION "XSEC"    /* words of the section path */
#define LZI_PREFIX_COLUMNS "XCOL"    /* words of the column headings of a table row's table */
#define LZI_TERM_COUNT "XNUM"        /* the passage states a count (a number word, or digits that
                                        are no year, label or identifier); weighted, wdf 1 */
#define LZI_PREFIX_DOC "XDOC"        /* boolean: document id */
#define LZI_PREFIX_FILE "XF"         /* boolean: source identity (hash), for replace/delete */
#define LZI_PREFIX_UNIQUE "Q"        /* unique passage id: Q<file hash>#<first line> */
/* concept terms of the thesaurus: LZI_PREFIX_CONCEPT "XC", and of its related groups:
 * LZI_PREFIX_RELATED "XR", both in text/lz_thesaurus.h (ids are lower case, so "XRfoo" is never
 * an "XREC" term) */
/* Entities (indexer/lz_entities.h). Values are lower case, as the query side normalizes them.
 * Recommendation terms carry a wdf, so a query naming a recommendation can weigh them; the
 * others are pure filters. */
#define LZI_PREFIX_REC "XREC"        /* recommendation stated or cited: XRECiv-6 */
#define LZI_PREFIX_REC_SELF "XRECSELF" /* the recommendation the passage states */
#define LZI_PREFIX_ARTICLE "XART"    /* XART25(4) and XART25; weighted (wdf 1), as a query
                                        naming the article ranks by it */
#define LZI_PREFIX_PARA "XPARA"      /* report paragraph cited: XPARA71; weighted */
#define LZI_PREFIX_COUNTRY "XCOUNTRY" /* country named: XCOUNTRYbulgaria */
#define LZI_PREFIX_TO "XTO"          /* country addressed: XTObulgaria */
#define LZI_PREFIX_LEVEL "XLEVEL"    /* XLEVELrequire, XLEVELrequest, XLEVELinvite */
#define LZI_PREFIX_CHAPTER "XCHAPTER" /* XCHAPTERiv, XCHAPTER3 */
#define LZI_PREFIX_KIND "XKIND"      /* kind of document: XKINDfactsheet, XKINDrecommendations,
                                        XKINDmapping, XKINDdocument */

/* Value slots */
#define LZI_SLOT_DOC 0               /* document id (collapse, facets) */
#define LZI_SLOT_LINE 1              /* first line, decimal */
/* Facet slots: '\n'-separated lists of values */
#define LZI_SLOT_COUNTRY 2           /* country names, as shown */
#define LZI_SLOT_LEVEL 3             /* level name */
#define LZI_SLOT_CHAPTER 4           /* chapter */
#define LZI_SLOT_KIND 6              /* kind of document */
#define LZI_SLOT_PRIOR 5             /* how much a passage is body text, 0..1, sortable number:
                                        0 for reference lists (bibliographies) */

/* Metadata keys */
#define LZI_META_FINGERPRINT "lanzsearch:fingerprint"
#define LZI_META_MODIFIED "lanzsearch:modified"     /* Unix time of the last commit, decimal */
#define LZI_META_NDOCS "lanzsearch:documents"       /* number of source documents, decimal */
#define LZI_META_FILE_PREFIX "file:"                /* + source hash -> JSON source entry */

/* Write into out the fingerprint of an index built with these rules: format number, the text
 * pipeline's library versions (`text_versions`, from lzi_text_versions()), normalization,
 * stemmer, and the digests of the stopword list and of the thesaurus. */
int lzi_fingerprint(lzi_buf *out, const char *text_versions, const char *stop_digest,
                    const char *thesaurus_digest);

/* 64-bit FNV-1a of bytes, as 16 lower-case hex digits into hex[17]. Used for source identities
 * (short, fixed-length terms whatever the path's length). */
void lzi_hash_hex(const void *bytes, size_t len, char hex[17]);

#ifdef __cplusplus
}
#endif

#endif
