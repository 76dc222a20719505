/* What an indexing run and a consistency check agree on about the files of a folder: which
 * files are documents, the limits on them, and how a folder is listed (sorted, hidden entries
 * left out). indexer/index.c walks folders to index them, indexer/check.c to compare them with
 * the index: both through these, so they never disagree. */
#ifndef LZ_WALK_H
#define LZ_WALK_H

#include <stddef.h>

#include "lz_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest source file accepted: far above any report, small enough to hold in memory twice. */
#define LZI_MAX_SOURCE_BYTES ((size_t)512 << 20)

/* Deepest folder nesting followed; deeper folders are reported and skipped. */
#define LZI_MAX_DEPTH 64

/* Longest line accepted, in bytes. Citations count lines, and a line this long is no text a
 * reader can be pointed to (a converter's output without line breaks); it would also make one
 * passage, and every search that hits it, cost seconds. A file with a longer line is skipped
 * with a warning naming the line (text given to lz_index_add_text is refused). */
#define LZI_MAX_LINE_BYTES ((size_t)1 << 20)

/* Whether a folder walk takes the file named `name` (no folder part): *.txt and *.md, except a
 * folder's README (README.md, README.txt, any case), which describes the folder rather than
 * being one of its documents, and hidden files. */
int lzi_wanted_file(const char *name);

/* The names in folder dir, hidden entries (and "." "..") left out, sorted (strcmp) so that a
 * walk is the same whatever the file system. *names (n entries) belongs to the caller:
 * lzi_names_free. LZ_EIO (errno kept) when the folder cannot be opened, LZ_ENOMEM. */
int lzi_dir_names(const char *dir, char ***names, size_t *n);
void lzi_names_free(char **names, size_t n);

#ifdef __cplusplus
}
#endif

#endif
