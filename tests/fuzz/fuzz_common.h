/* What the fuzz targets share: the libFuzzer entry points they define, and FUZZ_ASSERT, which
 * stops the run on a broken invariant (not only on a crash) so libFuzzer keeps the input.
 * Targets are built with driver.c (ctest replays the seeds, any compiler) or, with
 * -DLZ_FUZZ=ON and clang, with libFuzzer (tests/fuzz/CMakeLists.txt). */
#ifndef LZ_FUZZ_COMMON_H
#define LZ_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test failed: say which, with the library's last message,
 * and abort so the fuzzer saves the input as a crash. */
#define FUZZ_ASSERT(cond)                                                                   \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "%s:%d: invariant failed: %s (last error: %s)\n", __FILE__,     \
                    __LINE__, #cond, lz_last_error());                                      \
            abort();                                                                        \
        }                                                                                   \
    } while (0)

#endif
