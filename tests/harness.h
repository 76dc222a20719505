/* A small test harness: CHECK records a failure with file:line and goes on; each program ends
 * with the line "N passed, N failed" and exits non-zero when anything failed. Tests run against
 * the real ICU, utf8proc and Xapian; indexes live in mkdtemp directories. */
#ifndef LZ_HARNESS_H
#define LZ_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int lzt_passed, lzt_failed;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (cond) {                                                                   \
            lzt_passed++;                                                             \
        } else {                                                                      \
            lzt_failed++;                                                             \
            fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond);        \
        }                                                                             \
    } while (0)

/* Compare two NUL-terminated strings, printing both on failure. */
#define CHECK_STR(got, want)                                                          \
    do {                                                                              \
        const char *lzt_g = (got), *lzt_w = (want);                                   \
        if (lzt_g != NULL && lzt_w != NULL && strcmp(lzt_g, lzt_w) == 0) {            \
            lzt_passed++;                                                             \
        } else {                                                                      \
            lzt_failed++;                                                             \
            fprintf(stderr, "%s:%d: FAILED: %s\n  got:  %s\n  want: %s\n", __FILE__,  \
                    __LINE__, #got, lzt_g ? lzt_g : "(null)", lzt_w ? lzt_w : "(null)"); \
        }                                                                             \
    } while (0)

/* Check that an lz_status call returned `want`; prints lz_last_error() on failure. */
#define CHECK_RC(call, want)                                                          \
    do {                                                                              \
        int lzt_rc = (call);                                                          \
        if (lzt_rc == (want)) {                                                       \
            lzt_passed++;                                                             \
        } else {                                                                      \
            lzt_failed++;                                                             \
            fprintf(stderr, "%s:%d: FAILED: %s returned %d, want %d (%s)\n", __FILE__, \
                    __LINE__, #call, lzt_rc, (int)(want), lz_last_error());           \
        }                                                                             \
    } while (0)

/* Print the summary line and give main's exit status. */
static inline int lzt_finish(void)
{
    printf("%d passed, %d failed\n", lzt_passed, lzt_failed);
    return lzt_failed == 0 ? 0 : 1;
}

#endif
