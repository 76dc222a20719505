/* The index fingerprint and the identity hash of lz_schema.h. */
#include <stdint.h>
#include <stdio.h>

#include "lz_schema.h"

int lzi_fingerprint(lzi_buf *out, const char *text_versions, const char *stop_digest,
                    const char *thesaurus_digest)
{
    lzi_buf_clear(out);
    return lzi_buf_printf(out, "format=%d; %s; normalization=NFKC+casefold+stripmark; "
                          "stemmer=english; stopwords=%s; thesaurus=%s", LZI_INDEX_FORMAT,
                          text_versions, stop_digest, thesaurus_digest);
}

void lzi_hash_hex(const void *bytes, size_t len, char hex[17])
{
    const unsigned char *p = bytes;
    uint64_t h = 0xcbf29ce484222325u;           /* FNV-1a 64 offset basis */
    size_t i;
    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;                    /* FNV-1a 64 prime */
    }
    snprintf(hex, 17, "%016llx", (unsigned long long)h);
}
