/* The threading contract, under load: four threads, each with its own lz_searcher on one index,
 * search it at the same time while another process (the lanzsearch CLI) re-indexes it again and
 * again with --force; then the four share one searcher, one thread at a time. A forced re-index
 * of unchanged files yields the same index, and a run is one transaction, so every search must
 * succeed with the answer computed beforehand (top hit, score, total, passage count): no reader
 * ever sees half a run. `make tsan` runs this under ThreadSanitizer. */
#include <pthread.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "lanzsearch.h"

#ifndef LZ_TEST_CLI
#define LZ_TEST_CLI "lanzsearch"
#endif

#define N_THREADS 4
#define N_WRITER_RUNS 2         /* forced re-indexes of the corpus by the other process */
#define MIN_ROUNDS 3            /* rounds of all queries per thread, even if the writer is done */
#define REOPEN_EVERY 2          /* rounds between lz_searcher_reopen() calls */
#define PAUSE_NS 100000000      /* between rounds: 100 ms */

extern char **environ;

/* Queries whose best hit is strictly better than the second, so "the same top hit" is
 * well defined (checked when the reference is taken). */
static const char *const queries[] = {
    "dual criminality",
    "\"last resort\"",
    "sextortion",
    "helpline NEAR children",
    "doc:lanzarote-factsheet-bulgaria jurisdiction",
};
#define N_QUERIES (sizeof queries / sizeof queries[0])

typedef struct answer {
    char top[600];              /* "path:first-last" of the best hit */
    double score;
    uint64_t total;
    size_t count;
} answer;

static answer reference[N_QUERIES];
static uint64_t reference_passages;
static int64_t reference_modified;      /* Unix time of the reference commit */
static char index_dir[] = "/tmp/lz-test-threads-XXXXXX";
static atomic_int writer_done;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static lz_searcher *shared_searcher;

/* Run query i on s into *a; LZ_OK or the failing status (message in this thread's slot). */
static int ask(lz_searcher *s, size_t i, answer *a)
{
    lz_search_options o = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;
    const lz_hit *h;
    unsigned first = 0, last = 0;
    int rc;

    o.flags = LZ_SEARCH_NO_CORRECT;
    if ((rc = lz_search(&r, s, queries[i], &o)) != LZ_OK)
        return rc;
    memset(a, 0, sizeof *a);
    a->total = lz_results_total(r);
    a->count = lz_results_count(r);
    if ((h = lz_results_hit(r, 0)) != NULL) {
        lz_hit_lines(h, &first, &last);
        snprintf(a->top, sizeof a->top, "%s:%u-%u", lz_hit_path(h), first, last);
        a->score = lz_hit_score(h);
        /* the precondition of comparing top hits */
        if ((h = lz_results_hit(r, 1)) != NULL && !(lz_hit_score(h) < a->score))
            snprintf(a->top, sizeof a->top, "tie at the top");
    }
    lz_results_free(r);
    return LZ_OK;
}

/* The number of mismatches between query i's answer and the reference (printed). */
static int differs(size_t i, const answer *a, const char *who)
{
    const answer *w = &reference[i];
    if (strcmp(a->top, w->top) == 0 && a->score == w->score && a->total == w->total &&
        a->count == w->count)
        return 0;
    fprintf(stderr, "%s: '%s' gave %s (%.6f, total %llu, %zu hits), expected %s (%.6f, total "
            "%llu, %zu hits)\n", who, queries[i], a->top, a->score, (unsigned long long)a->total,
            a->count, w->top, w->score, (unsigned long long)w->total, w->count);
    return 1;
}

typedef struct worker {
    pthread_t thread;
    int id;
    unsigned searches;          /* successful searches */
    unsigned during_writes;     /* of which while the writer was still running */
    unsigned failures;          /* failed calls */
    unsigned mismatches;        /* answers unlike the reference */
    int64_t newest;             /* latest last_modified seen: did a writer's commit show up? */
} worker;

/* Phase 1: a searcher of its own, reopened now and then, searching until the writer is done. */
static void *search_own(void *arg)
{
    struct timespec pause = { 0, PAUSE_NS };
    worker *w = arg;
    lz_searcher *s = NULL;
    char who[32];
    unsigned round;
    size_t i;

    snprintf(who, sizeof who, "thread %d", w->id);
    if (lz_searcher_open(&s, index_dir) != LZ_OK) {
        fprintf(stderr, "%s: %s\n", who, lz_last_error());
        w->failures++;
        return NULL;
    }
    for (round = 0; round < MIN_ROUNDS || !atomic_load(&writer_done); round++) {
        int writing = !atomic_load(&writer_done);
        lz_index_info info;
        if (round % REOPEN_EVERY == REOPEN_EVERY - 1 && lz_searcher_reopen(s) != LZ_OK) {
            fprintf(stderr, "%s: reopen: %s\n", who, lz_last_error());
            w->failures++;
        }
        for (i = 0; i < N_QUERIES; i++) {
            answer a;
            if (ask(s, i, &a) != LZ_OK) {
                fprintf(stderr, "%s: '%s': %s\n", who, queries[i], lz_last_error());
                w->failures++;
                continue;
            }
            w->searches++;
            w->during_writes += writing;
            w->mismatches += differs(i, &a, who);
        }
        if (lz_searcher_info(s, &info) != LZ_OK || info.n_passages != reference_passages) {
            fprintf(stderr, "%s: %llu passages, expected %llu\n", who,
                    (unsigned long long)info.n_passages, (unsigned long long)reference_passages);
            w->mismatches++;
        }
        if (info.last_modified > w->newest)
            w->newest = info.last_modified;
        nanosleep(&pause, NULL);    /* leave the writer some CPU: the test must end */
    }
    lz_searcher_free(s);
    return NULL;
}

/* Phase 2: one searcher shared by all threads, one at a time (the lock hands it over). */
static void *search_shared(void *arg)
{
    worker *w = arg;
    char who[48];
    size_t i, k;

    snprintf(who, sizeof who, "thread %d (shared)", w->id);
    for (k = 0; k < 3; k++) {
        for (i = 0; i < N_QUERIES; i++) {
            answer a;
            int rc;
            pthread_mutex_lock(&shared_lock);
            rc = ask(shared_searcher, (i + (size_t)w->id) % N_QUERIES, &a);
            if (rc != LZ_OK)
                fprintf(stderr, "%s: %s\n", who, lz_last_error());
            pthread_mutex_unlock(&shared_lock);
            if (rc != LZ_OK) {
                w->failures++;
                continue;
            }
            w->searches++;
            w->mismatches += differs((i + (size_t)w->id) % N_QUERIES, &a, who);
        }
    }
    return NULL;
}

/* Start the other process: the CLI re-indexing the corpus N_WRITER_RUNS times. */
static pid_t start_writer(const char *cli)
{
    char *argv[] = {
        "sh", "-c",
        "for i in $(seq \"$3\"); do \"$0\" index -q -f --index \"$1\" \"$2\" || exit 1; done",
        (char *)cli, index_dir, LZ_TEST_CORPUS, NULL, NULL,
    };
    char runs[16];
    pid_t pid;

    snprintf(runs, sizeof runs, "%d", N_WRITER_RUNS);
    argv[6] = runs;
    if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) != 0)
        return -1;
    return pid;
}

static void run_phase(void *(*fn)(void *), worker *workers)
{
    int k;
    for (k = 0; k < N_THREADS; k++) {
        memset(&workers[k], 0, sizeof workers[k]);
        workers[k].id = k + 1;
        CHECK(pthread_create(&workers[k].thread, NULL, fn, &workers[k]) == 0);
    }
}

static void finish_phase(worker *workers, const char *what)
{
    unsigned searches = 0, during = 0, newer = 0;
    int k;

    for (k = 0; k < N_THREADS; k++) {
        CHECK(pthread_join(workers[k].thread, NULL) == 0);
        newer += workers[k].newest > reference_modified;
        CHECK(workers[k].failures == 0);
        CHECK(workers[k].mismatches == 0);
        CHECK(workers[k].searches > 0);
        searches += workers[k].searches;
        during += workers[k].during_writes;
    }
    /* commits are timed in seconds: not a check, a hint that readers moved on to new revisions */
    printf("%s: %u searches in %d threads, %u of them while the index was being rewritten; "
           "%u threads saw a later commit\n", what, searches, N_THREADS, during, newer);
}

int main(void)
{
    const char *cli = getenv("LZ_BIN") ? getenv("LZ_BIN") : LZ_TEST_CLI;
    worker workers[N_THREADS];
    lz_searcher *s = NULL;
    lz_index *ix = NULL;
    lz_index_info info;
    char cmd[600];
    int status = -1;
    pid_t writer;
    size_t i;

    if (mkdtemp(index_dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    /* the index and the reference answers, before anything runs concurrently */
    CHECK_RC(lz_index_open(&ix, index_dir, NULL), LZ_OK);
    CHECK_RC(lz_index_add_path(ix, LZ_TEST_CORPUS), LZ_OK);
    CHECK_RC(lz_index_commit(ix), LZ_OK);
    lz_index_free(ix);
    CHECK_RC(lz_searcher_open(&s, index_dir), LZ_OK);
    CHECK_RC(lz_searcher_info(s, &info), LZ_OK);
    reference_passages = info.n_passages;
    reference_modified = info.last_modified;
    for (i = 0; i < N_QUERIES; i++) {
        CHECK_RC(ask(s, i, &reference[i]), LZ_OK);
        CHECK(reference[i].count > 0 && strcmp(reference[i].top, "tie at the top") != 0);
    }
    lz_searcher_free(s);
    CHECK(reference_passages > 500);

    /* phase 1: own searchers, against a writer in another process */
    if ((writer = start_writer(cli)) < 0) {
        fprintf(stderr, "cannot start %s\n", cli);
        CHECK(!"writer started");
        atomic_store(&writer_done, 1);
    }
    run_phase(search_own, workers);
    if (writer > 0) {
        CHECK(waitpid(writer, &status, 0) == writer);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        atomic_store(&writer_done, 1);
    }
    finish_phase(workers, "own searchers");

    /* phase 2: one searcher, handed from thread to thread */
    CHECK_RC(lz_searcher_open(&shared_searcher, index_dir), LZ_OK);
    run_phase(search_shared, workers);
    finish_phase(workers, "one shared searcher");
    lz_searcher_free(shared_searcher);

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", index_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", index_dir);
    return lzt_finish();
}
