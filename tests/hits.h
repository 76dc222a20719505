/* Helpers over the public API's hits, shared by the tests that search the bundled corpus. */
#ifndef LZ_TEST_HITS_H
#define LZ_TEST_HITS_H

#include <string.h>

#include "lanzsearch.h"

/* Whether hit h has `value` among its entities of `kind`. */
static inline int has_entity(const lz_hit *h, lz_entity kind, const char *value)
{
    size_t i;
    for (i = 0; i < lz_hit_entity_count(h, kind); i++)
        if (strcmp(lz_hit_entity(h, kind, i), value) == 0)
            return 1;
    return 0;
}

#endif
