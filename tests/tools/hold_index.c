/* Test tool: hold an index's write lock until standard input closes, so end-to-end tests can
 * check what a second writer sees. Prints "locked" once it holds the lock. */
#include <stdio.h>

#include "lanzsearch.h"

int main(int argc, char **argv)
{
    lz_index *ix = NULL;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: hold_index DIR\n");
        return 2;
    }
    if ((rc = lz_index_open(&ix, argv[1], NULL)) != LZ_OK) {
        fprintf(stderr, "hold_index: %s\n", lz_last_error());
        return 2;
    }
    printf("locked\n");
    fflush(stdout);
    while (getchar() != EOF)
        ;
    lz_index_free(ix);
    return 0;
}
