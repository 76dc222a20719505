/* Build or update an index with lanzsearch: open it for writing, add a folder (each file is
 * reported through the progress callback as it is done, with the bytes done of the folder's
 * total), commit. Build: cc index.c $(pkg-config --cflags --libs lanzsearch). Run: index INDEX
 * FOLDER */
#include <stdint.h>
#include <stdio.h>

#include <lanzsearch.h>

typedef struct run {
    unsigned n_events;
    uint64_t bytes_done, bytes_total;   /* file_len added up; lz_index_count_path's total */
} run;

/* Called once per file; a non-zero return would stop the run. */
static int progress(const lz_index_event *ev, void *payload)
{
    static const char *const what[] = { "indexed", "unchanged", "removed", "skipped", "warning" };
    run *r = payload;

    r->n_events++;
    r->bytes_done += ev->file_len;      /* 0 but for a file's one INDEXED/UNCHANGED/SKIPPED */
    if (ev->kind == LZ_EVENT_INDEXED)
        printf("indexed %s (%zu passages; %llu of %llu bytes done)\n", ev->path, ev->n_passages,
               (unsigned long long)r->bytes_done, (unsigned long long)r->bytes_total);
    else
        printf("%s %s%s%s\n", ev->kind <= LZ_EVENT_WARNING ? what[ev->kind] : "event", ev->path,
               ev->message ? ": " : "", ev->message ? ev->message : "");
    return 0;
}

int main(int argc, char **argv)
{
    lz_index_options opts = LZ_INDEX_OPTIONS_INIT;
    lz_index *ix = NULL;
    lz_index_stats st;
    run r = { 0, 0, 0 };
    int rc;

    if (argc != 3) {
        fprintf(stderr, "usage: %s INDEX FOLDER\n", argv[0]);
        return 2;
    }
    opts.progress = progress;
    opts.payload = &r;
    if ((rc = lz_index_count_path(NULL, &r.bytes_total, argv[2])) != LZ_OK ||
        (rc = lz_index_open(&ix, argv[1], &opts)) != LZ_OK ||
        (rc = lz_index_add_path(ix, argv[2])) != LZ_OK ||
        (rc = lz_index_commit(ix)) != LZ_OK) {
        fprintf(stderr, "index: %s (%s)\n", lz_last_error(), lz_strerror(rc));
        lz_index_free(ix);          /* nothing of a failed run is kept */
        return 2;
    }
    lz_index_get_stats(ix, &st);
    printf("%zu files indexed, %zu unchanged, %zu removed, %zu passages, %u events\n",
           st.n_indexed, st.n_unchanged, st.n_removed, st.n_passages, r.n_events);
    lz_index_free(ix);
    return 0;
}
