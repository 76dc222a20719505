/* bench: lanzsearch beside SQLite FTS5, in one run, on one corpus (from gen_corpus). Indexes the
 * corpus with each engine in a child process of its own (so peak RSS and time are the engine's),
 * then indexes it again with lanzsearch, unchanged, in a new process (the cost of a run that has
 * nothing to do), measures index size before and after compaction (lanzsearch: also by Xapian
 * table, compacted by lz_index_compact), runs the same queries in process and as one CLI process
 * per query (each query's time is its fastest of a few passes), and prints each figure for both
 * engines with the ratio lanzsearch/FTS5 ("-" where FTS5 has no such figure); --tsv writes the
 * same table as tab-separated values.
 *
 *     bench --corpus DIR --queries FILE --work DIR --lanzsearch PATH [--tsv FILE]
 *
 * FTS5 gets the same passages lanzsearch cuts at least as finely: paragraphs, i.e. maximal runs
 * of non-blank lines, with file and first line stored beside the text; `porter unicode61
 * remove_diacritics 2`; one transaction with journal and sync off, then 'optimize'. */
#define _XOPEN_SOURCE 700           /* nftw() */
#define _DEFAULT_SOURCE             /* wait4(): the rusage of one child (glibc) */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include <lanzsearch.h>

/* Most queries read from the query file. */
#define MAX_QUERIES 10000

/* Timed passes over the queries, in process and as processes: each query's time is its fastest
 * pass, so that another program's burst on a shared machine does not pass for our p99. One
 * untimed pass before warms the caches. */
#define IN_PROCESS_PASSES 3
#define CLI_PASSES 2

/* Top hits asked of each engine. */
#define TOP_K 10

/* The FTS5 query, in process and through the sqlite3 shell (%s: the MATCH expression): top 10
 * by bm25 with a snippet of 40 tokens, about the 300 bytes of lanzsearch's default snippet. */
#define FTS_SELECT "SELECT file, line, snippet(p, 0, '**', '**', '…', 40), bm25(p) FROM p " \
                   "WHERE p MATCH %s ORDER BY rank LIMIT 10"

enum { LZ, FTS, N_ENGINES };
static const char *const engine_name[N_ENGINES] = { "lanzsearch", "FTS5" };

typedef struct config {
    const char *corpus, *queries, *work, *lanzsearch, *sqlite3, *tsv;
    const char *label;
    unsigned cli_runs;          /* queries run as one process each (0: all) */
    unsigned commit_mb;         /* lanzsearch commits every this many MB (0: once) */
} config;

/* What an indexing child reports back through its pipe. */
typedef struct index_report {
    int ok;
    double seconds;             /* indexing wall time, commit (and FTS5 'optimize') included */
    double insert_seconds;      /* FTS5: the inserts and commit alone */
    uint64_t passages;
    uint64_t size_before;       /* index bytes right after the commit (FTS5: before optimize) */
    lz_index_sizes sizes;       /* lanzsearch: by table, right after the commit */
} index_report;

typedef struct timing {
    double *ms;
    size_t n;
} timing;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        die("malloc");
    return p;
}

static char *path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

/* ------------------------------------------------------------------------------------------ */
/* Files */

static uint64_t tree_bytes;

static int add_size(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)path;
    (void)ftw;
    if (flag == FTW_F)
        tree_bytes += (uint64_t)st->st_size;
    return 0;
}

/* Bytes of the files under path (a file or a folder). */
static uint64_t du_bytes(const char *path)
{
    tree_bytes = 0;
    if (nftw(path, add_size, 16, FTW_PHYS) != 0)
        return 0;
    return tree_bytes;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 || errno == ENOENT ? 0 : -1;
}

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0 && nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
        die(path);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The corpus: its *.txt files, sorted, and their total size. */
typedef struct corpus {
    char **paths;
    size_t n;
    uint64_t bytes;
} corpus;

static void corpus_scan(corpus *c, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t cap = 64;

    if (d == NULL)
        die(dir);
    c->paths = xmalloc(cap * sizeof *c->paths);
    c->n = 0;
    c->bytes = 0;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        struct stat st;
        if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
            continue;
        if (c->n == cap && (c->paths = realloc(c->paths, (cap *= 2) * sizeof *c->paths)) == NULL)
            die("realloc");
        c->paths[c->n] = path_join(dir, e->d_name);
        if (stat(c->paths[c->n], &st) != 0)
            die(c->paths[c->n]);
        c->bytes += (uint64_t)st.st_size;
        c->n++;
    }
    closedir(d);
    qsort(c->paths, c->n, sizeof *c->paths, cmp_str);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    struct stat st;
    char *p;

    if (fp == NULL || fstat(fileno(fp), &st) != 0)
        die(path);
    p = xmalloc((size_t)st.st_size + 1);
    *len = fread(p, 1, (size_t)st.st_size, fp);
    p[*len] = '\0';
    fclose(fp);
    return p;
}

/* ------------------------------------------------------------------------------------------ */
/* Indexing, each engine in a child process */

static void index_lanzsearch(const config *cfg, const char *dir, index_report *rep)
{
    lz_index_options o = LZ_INDEX_OPTIONS_INIT;
    lz_index *ix = NULL;
    lz_index_stats st;
    double t0 = now_s();

    o.commit_every = (size_t)cfg->commit_mb * 1000000u;
    if (lz_index_open(&ix, dir, &o) != LZ_OK || lz_index_add_path(ix, cfg->corpus) != LZ_OK ||
        lz_index_commit(ix) != LZ_OK) {
        fprintf(stderr, "bench: lanzsearch: %s\n", lz_last_error());
        lz_index_free(ix);
        return;
    }
    lz_index_get_stats(ix, &st);
    lz_index_free(ix);
    rep->seconds = now_s() - t0;
    rep->passages = st.n_passages;
    rep->size_before = du_bytes(dir);
    if (lz_index_get_sizes(&rep->sizes, dir) != LZ_OK) {
        fprintf(stderr, "bench: lanzsearch: %s\n", lz_last_error());
        return;
    }
    rep->ok = 1;
}

static int sql(sqlite3 *db, const char *stmt)
{
    char *err = NULL;
    if (sqlite3_exec(db, stmt, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "bench: sqlite: %s: %s\n", stmt, err ? err : "?");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

/* Insert the paragraphs (maximal runs of non-blank lines) of one file. */
static int fts_insert_file(sqlite3_stmt *ins, const char *path, uint64_t *n_passages)
{
    size_t len, i = 0;
    char *text = read_file(path, &len);
    unsigned line = 1;
    int rc = 0;

    while (i < len && rc == 0) {
        size_t start, end;
        unsigned first;
        /* skip blank lines */
        for (;;) {
            size_t j = i;
            while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
                j++;
            if (j < len && text[j] == '\n') {
                i = j + 1;
                line++;
            } else {
                break;
            }
        }
        if (i >= len)
            break;
        start = i;
        first = line;
        /* take lines until a blank one or the end */
        for (;;) {
            size_t j, eol = i;
            while (eol < len && text[eol] != '\n')
                eol++;
            end = eol;
            i = eol < len ? eol + 1 : len;
            if (eol < len)
                line++;
            for (j = i; j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'); j++)
                ;
            if (i >= len || j >= len || text[j] == '\n')
                break;
        }
        sqlite3_bind_text(ins, 1, text + start, (int)(end - start), SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, path, -1, SQLITE_STATIC);
        sqlite3_bind_int(ins, 3, (int)first);
        if (sqlite3_step(ins) != SQLITE_DONE)
            rc = -1;
        sqlite3_reset(ins);
        (*n_passages)++;
    }
    free(text);
    return rc;
}

static void index_fts5(const corpus *c, const char *db_path, index_report *rep)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *ins = NULL;
    double t0 = now_s();
    size_t i;

    if (sqlite3_open(db_path, &db) != SQLITE_OK ||
        sql(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;") != 0 ||
        sql(db, "CREATE VIRTUAL TABLE p USING fts5(body, file UNINDEXED, line UNINDEXED, "
                "tokenize='porter unicode61 remove_diacritics 2')") != 0 ||
        sql(db, "BEGIN") != 0 ||
        sqlite3_prepare_v2(db, "INSERT INTO p(body, file, line) VALUES (?1, ?2, ?3)", -1, &ins,
                           NULL) != SQLITE_OK)
        goto done;
    for (i = 0; i < c->n; i++)
        if (fts_insert_file(ins, c->paths[i], &rep->passages) != 0) {
            fprintf(stderr, "bench: sqlite: %s: %s\n", c->paths[i], sqlite3_errmsg(db));
            goto done;
        }
    sqlite3_finalize(ins);
    ins = NULL;
    if (sql(db, "COMMIT") != 0)
        goto done;
    rep->insert_seconds = now_s() - t0;
    rep->size_before = du_bytes(db_path);
    if (sql(db, "INSERT INTO p(p) VALUES('optimize')") != 0)
        goto done;
    rep->seconds = now_s() - t0;
    rep->ok = 1;
done:
    sqlite3_finalize(ins);
    sqlite3_close(db);
}

/* Run one engine's indexing in a child; its report comes through a pipe, its peak RSS (KiB)
 * from wait4's rusage, which covers that child alone. */
static index_report run_indexer(int engine, const config *cfg, const corpus *c, const char *out,
                                long *max_rss_kib, double *cpu_s)
{
    index_report rep;
    struct rusage ru;
    int fd[2], status;
    pid_t pid;

    memset(&rep, 0, sizeof rep);
    fflush(NULL);
    if (pipe(fd) != 0 || (pid = fork()) < 0)
        die("fork");
    if (pid == 0) {
        close(fd[0]);
        if (engine == LZ)
            index_lanzsearch(cfg, out, &rep);
        else
            index_fts5(c, out, &rep);
        if (write(fd[1], &rep, sizeof rep) != (ssize_t)sizeof rep)
            _exit(3);
        _exit(rep.ok ? 0 : 1);
    }
    close(fd[1]);
    if (read(fd[0], &rep, sizeof rep) != (ssize_t)sizeof rep)
        rep.ok = 0;
    close(fd[0]);
    if (wait4(pid, &status, 0, &ru) != pid)
        die("wait4");
    *max_rss_kib = ru.ru_maxrss;
    *cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
             (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        rep.ok = 0;
    return rep;
}

/* Run argv with stdout into a pipe (read to the end and thrown away, counted in *out_bytes) and
 * stderr to /dev/null; milliseconds from fork to the last byte and the exit. */
static double run_process(char *const argv[], int *exit_status, size_t *out_bytes)
{
    char chunk[65536];
    double t0 = now_s();
    int fd[2], status;
    ssize_t n;
    pid_t pid;

    *out_bytes = 0;
    if (pipe(fd) != 0 || (pid = fork()) < 0)
        die("fork");
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(fd[1], 1);
        if (null >= 0)
            dup2(null, 2);
        close(fd[0]);
        close(fd[1]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    while ((n = read(fd[0], chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            *out_bytes += (size_t)n;
    close(fd[0]);
    if (waitpid(pid, &status, 0) != pid)
        die("waitpid");
    *exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    return (now_s() - t0) * 1e3;
}

/* ------------------------------------------------------------------------------------------ */
/* Queries */

typedef struct queries {
    char **q;
    size_t n;
    int *kind;              /* 0 one word, 1 AND, 2 OR */
} queries;

static void queries_load(queries *qs, const char *path)
{
    size_t len, i;
    char *text = read_file(path, &len), *line, *save = NULL;

    qs->q = xmalloc(MAX_QUERIES * sizeof *qs->q);
    qs->kind = xmalloc(MAX_QUERIES * sizeof *qs->kind);
    qs->n = 0;
    for (line = strtok_r(text, "\n", &save); line && qs->n < MAX_QUERIES;
         line = strtok_r(NULL, "\n", &save)) {
        if (*line == '\0')
            continue;
        qs->q[qs->n] = strdup(line);
        qs->kind[qs->n] = strstr(line, " AND ") ? 1 : strstr(line, " OR ") ? 2 : 0;
        qs->n++;
    }
    free(text);
    for (i = 0; i < qs->n; i++)
        if (qs->q[i] == NULL)
            die("strdup");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The p-th percentile (0..100) of the timings of the queries of `kind` (-1: all): nearest rank. */
static double percentile(const double *ms, const queries *qs, int kind, double p)
{
    double *v = xmalloc(qs->n * sizeof *v), r;
    size_t i, n = 0, k;

    for (i = 0; i < qs->n; i++)
        if (kind < 0 || qs->kind[i] == kind)
            v[n++] = ms[i];
    if (n == 0) {
        free(v);
        return 0;
    }
    qsort(v, n, sizeof *v, cmp_double);
    k = (size_t)(p / 100.0 * (double)n + 0.999999);
    k = k == 0 ? 0 : k - 1;
    r = v[k < n ? k : n - 1];
    free(v);
    return r;
}

/* Top 10 with snippets and citations, in process; returns hits. */
static size_t lz_query(lz_searcher *s, const char *q)
{
    lz_search_options opts = LZ_SEARCH_OPTIONS_INIT;
    lz_results *r = NULL;
    size_t i, n, sink = 0;

    opts.limit = TOP_K;
    if (lz_search(&r, s, q, &opts) != LZ_OK) {
        fprintf(stderr, "bench: lanzsearch: %s: %s\n", q, lz_last_error());
        return 0;
    }
    n = lz_results_count(r);
    for (i = 0; i < n; i++) {           /* what a caller shows: citation and snippet */
        const lz_hit *h = lz_results_hit(r, i);
        sink += strlen(lz_hit_citation(h)) + strlen(lz_hit_snippet(h));
    }
    lz_results_free(r);
    return sink > 0 ? n : 0;
}

static size_t fts_query(sqlite3_stmt *st, const char *q)
{
    size_t n = 0, sink = 0;
    sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *file = sqlite3_column_text(st, 0);
        const unsigned char *snip = sqlite3_column_text(st, 2);
        sink += (file ? strlen((const char *)file) : 0) + (snip ? strlen((const char *)snip) : 0) +
                (size_t)sqlite3_column_int(st, 1);
        n++;
    }
    sqlite3_reset(st);
    return sink > 0 ? n : 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The table */

static FILE *tsv;
static double tsv_mb;       /* first column of every row: the corpus size */

/* One figure of both engines and their ratio; fts < 0: FTS5 has no such figure ("-"). */
static void row(const char *key, const char *what, double lz, double fts, int decimals)
{
    char a[32], b[32], r[32];
    snprintf(a, sizeof a, "%.*f", decimals, lz);
    if (fts < 0)
        snprintf(b, sizeof b, "-");
    else
        snprintf(b, sizeof b, "%.*f", decimals, fts);
    if (fts > 0)
        snprintf(r, sizeof r, "%.2f", lz / fts);
    else
        snprintf(r, sizeof r, "-");
    printf("%-44s %12s %12s %8s\n", what, a, b, r);
    if (tsv != NULL)
        fprintf(tsv, "%.1f\t%s\t%s\t%s\t%s\t%s\n", tsv_mb, key, a, b, r, what);
}

static void usage(FILE *to)
{
    fprintf(to,
            "usage: bench --corpus DIR --queries FILE --work DIR --lanzsearch PATH\n"
            "             [--sqlite3 sqlite3] [--tsv FILE]\n"
            "             [--label NAME] [--cli-runs N] [--commit-every MB]\n"
            "Index DIR's *.txt with lanzsearch and with SQLite FTS5 (indexes under --work, "
            "replaced),\nrun the queries of FILE on both, print the figures and the ratios "
            "lanzsearch/FTS5.\n"
            "--commit-every MB: lanzsearch also commits after every MB of files (default 64;\n"
            "0: one transaction), which bounds its memory on a large corpus.\n");
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "corpus", required_argument, NULL, 'c' },  { "queries", required_argument, NULL, 'q' },
        { "work", required_argument, NULL, 'w' },    { "lanzsearch", required_argument, NULL, 'l' },
        { "sqlite3", required_argument, NULL, 's' },
        { "tsv", required_argument, NULL, 't' },     { "label", required_argument, NULL, 'L' },
        { "cli-runs", required_argument, NULL, 'n' }, { "help", no_argument, NULL, 'h' },
        { "commit-every", required_argument, NULL, 'C' },
        { NULL, 0, NULL, 0 },
    };
    config cfg = { NULL, NULL, NULL, NULL, "sqlite3", NULL, "", 0, 64 };
    char *lz_dir, *lz_compact, *fts_db, *sql_text;
    index_report rep[N_ENGINES], again;
    lz_index_sizes compacted;
    long rss[N_ENGINES], again_rss;
    double cpu[N_ENGINES], again_cpu;
    double *ms[N_ENGINES], *cli_ms[N_ENGINES], mb, compact_s, vacuum_s, t0;
    uint64_t lz_after, fts_after, fts_optimized;
    size_t hits[N_ENGINES] = { 0, 0 }, with_hits[N_ENGINES] = { 0, 0 }, i, n_cli, out_bytes;
    size_t cli_fail[N_ENGINES] = { 0, 0 };
    lz_searcher *s = NULL;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    corpus c;
    queries qs;
    int opt, e, status;

    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': cfg.corpus = optarg; break;
        case 'q': cfg.queries = optarg; break;
        case 'w': cfg.work = optarg; break;
        case 'l': cfg.lanzsearch = optarg; break;
        case 's': cfg.sqlite3 = optarg; break;
        case 't': cfg.tsv = optarg; break;
        case 'L': cfg.label = optarg; break;
        case 'n': cfg.cli_runs = (unsigned)strtoul(optarg, NULL, 10); break;
        case 'C': cfg.commit_mb = (unsigned)strtoul(optarg, NULL, 10); break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!cfg.corpus || !cfg.queries || !cfg.work || !cfg.lanzsearch || optind != argc) {
        usage(stderr);
        return 2;
    }
    corpus_scan(&c, cfg.corpus);
    queries_load(&qs, cfg.queries);
    if (c.n == 0 || qs.n == 0) {
        fprintf(stderr, "bench: no *.txt in %s or no query in %s\n", cfg.corpus, cfg.queries);
        return 2;
    }
    mb = (double)c.bytes / 1e6;
    if (mkdir(cfg.work, 0777) != 0 && errno != EEXIST)
        die(cfg.work);
    lz_dir = path_join(cfg.work, "lanzsearch");
    lz_compact = path_join(cfg.work, "lanzsearch-compact");
    fts_db = path_join(cfg.work, "fts5.db");
    remove_tree(lz_dir);
    remove_tree(lz_compact);
    remove_tree(fts_db);

    /* Indexing */
    fprintf(stderr, "bench: %s: %zu files, %.1f MB, %zu queries\n", cfg.corpus, c.n, mb, qs.n);
    for (e = 0; e < N_ENGINES; e++) {
        fprintf(stderr, "bench: indexing with %s...\n", engine_name[e]);
        rep[e] = run_indexer(e, &cfg, &c, e == LZ ? lz_dir : fts_db, &rss[e], &cpu[e]);
        if (!rep[e].ok) {
            fprintf(stderr, "bench: indexing with %s failed\n", engine_name[e]);
            return 2;
        }
        fprintf(stderr, "bench:   %.1f s, %llu passages\n", rep[e].seconds,
                (unsigned long long)rep[e].passages);
    }

    /* The same corpus again, unchanged, into the same index, in a new process: every file is
     * stat'ed and found unchanged, and the run commits */
    fprintf(stderr, "bench: indexing again with lanzsearch, unchanged...\n");
    again = run_indexer(LZ, &cfg, &c, lz_dir, &again_rss, &again_cpu);
    if (!again.ok) {
        fprintf(stderr, "bench: indexing again with lanzsearch failed\n");
        return 2;
    }
    fprintf(stderr, "bench:   %.2f s\n", again.seconds);

    /* Compaction by lz_index_compact, in place, of a copy: the queries below run on the index
     * as built, as they did before lanzsearch could compact (comparable runs) */
    {
        char *argv_c[] = { "cp", "-r", lz_dir, lz_compact, NULL };
        fprintf(stderr, "bench: compacting...\n");
        run_process(argv_c, &status, &out_bytes);
        if (status != 0) {
            fprintf(stderr, "bench: cp -r %s %s failed (%d)\n", lz_dir, lz_compact, status);
            return 2;
        }
        t0 = now_s();
        if (lz_index_compact(NULL, &compacted, lz_compact) != LZ_OK) {
            fprintf(stderr, "bench: lanzsearch: %s\n", lz_last_error());
            return 2;
        }
        compact_s = now_s() - t0;
        lz_after = du_bytes(lz_compact);
    }
    fts_optimized = du_bytes(fts_db);       /* 'optimize' merges segments; the file keeps its
                                               free pages until VACUUM */
    t0 = now_s();
    if (sqlite3_open(fts_db, &db) != SQLITE_OK || sql(db, "VACUUM") != 0)
        return 2;
    vacuum_s = now_s() - t0;
    fts_after = du_bytes(fts_db);

    /* Queries in process: one pass to warm caches, then the timed ones */
    fprintf(stderr, "bench: queries in process...\n");
    sql_text = xmalloc(strlen(FTS_SELECT) + 8);
    snprintf(sql_text, strlen(FTS_SELECT) + 8, FTS_SELECT, "?1");
    if (lz_searcher_open(&s, lz_dir) != LZ_OK) {
        fprintf(stderr, "bench: %s\n", lz_last_error());
        return 2;
    }
    if (sqlite3_prepare_v2(db, sql_text, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench: sqlite: %s\n", sqlite3_errmsg(db));
        return 2;
    }
    for (e = 0; e < N_ENGINES; e++) {
        int pass;
        ms[e] = xmalloc(qs.n * sizeof *ms[e]);
        for (pass = 0; pass <= IN_PROCESS_PASSES; pass++)
            for (i = 0; i < qs.n; i++) {
                double q0 = now_s(), t;
                size_t n = e == LZ ? lz_query(s, qs.q[i]) : fts_query(st, qs.q[i]);
                t = (now_s() - q0) * 1e3;
                if (pass == 1) {
                    hits[e] += n;
                    with_hits[e] += n > 0;
                    ms[e][i] = t;
                } else if (pass > 1 && t < ms[e][i]) {
                    ms[e][i] = t;
                }
            }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    lz_searcher_free(s);

    /* One process per query: process start to the last byte of output */
    fprintf(stderr, "bench: queries as processes...\n");
    n_cli = cfg.cli_runs > 0 && cfg.cli_runs < qs.n ? cfg.cli_runs : qs.n;
    for (e = 0; e < N_ENGINES; e++)
        cli_ms[e] = xmalloc(qs.n * sizeof *cli_ms[e]);
    for (i = 0; i < CLI_PASSES * n_cli + 1; i++) {
        size_t k = i == 0 ? 0 : (i - 1) % n_cli;   /* the first run warms the caches */
        const char *q = qs.q[k];
        char *argv_l[] = { (char *)cfg.lanzsearch, "search", "--index", lz_dir, "--json",
                           (char *)q, NULL };
        size_t qlen = strlen(q) + 3, slen = strlen(FTS_SELECT) + qlen + 1;
        char *quoted = xmalloc(qlen), *stmt = xmalloc(slen);
        char *argv_s[] = { (char *)cfg.sqlite3, fts_db, stmt, NULL };
        snprintf(quoted, qlen, "'%s'", q);      /* query words are [a-z]+ and AND/OR */
        snprintf(stmt, slen, FTS_SELECT, quoted);
        for (e = 0; e < N_ENGINES; e++) {
            double t = run_process(e == LZ ? argv_l : argv_s, &status, &out_bytes);
            if (i > 0 && (i <= n_cli || t < cli_ms[e][k]))
                cli_ms[e][k] = t;
            if (i > 0 && i <= n_cli && (status > 1 || (e == FTS && status != 0)))
                cli_fail[e]++;
        }
        free(quoted);
        free(stmt);
    }

    /* The table */
    if (cfg.tsv != NULL) {
        if ((tsv = fopen(cfg.tsv, "w")) == NULL)
            die(cfg.tsv);
        fprintf(tsv, "# %s\nsize_mb\tmetric\tlanzsearch\tfts5\tratio\tdescription\n",
                cfg.label);
        tsv_mb = mb;
    }
    printf("\ncorpus %s: %zu files, %.1f MB; %zu queries (%zu as processes); lanzsearch "
           "commits every %u MB%s\n", cfg.corpus, c.n, mb, qs.n, n_cli, cfg.commit_mb,
           cfg.commit_mb == 0 ? " (0: once)" : "");
    printf("%-44s %12s %12s %8s\n", "", "lanzsearch", "FTS5", "ratio");
    row("corpus_mb", "corpus MB", mb, mb, 1);
    row("passages", "passages", (double)rep[LZ].passages, (double)rep[FTS].passages, 0);
    row("index_s", "indexing s (FTS5: with optimize)", rep[LZ].seconds, rep[FTS].seconds, 2);
    row("index_mbps", "indexing MB/s", mb / rep[LZ].seconds, mb / rep[FTS].seconds, 2);
    row("index_cpu_s", "indexing CPU s (user + system)", cpu[LZ], cpu[FTS], 2);
    row("index_mb_per_cpu_s", "indexing MB per CPU second", mb / cpu[LZ], mb / cpu[FTS], 2);
    row("peak_rss_mib", "indexing peak RSS MiB", rss[LZ] / 1024.0, rss[FTS] / 1024.0, 1);
    row("size_before", "index bytes/input byte, as built", (double)rep[LZ].size_before / c.bytes,
        (double)rep[FTS].size_before / c.bytes, 2);
    row("size_after", "index bytes/input byte, compacted",
        (double)lz_after / c.bytes, (double)fts_after / c.bytes, 2);
    row("compact_s", "compaction s (lz_index_compact; VACUUM)", compact_s, vacuum_s, 2);
    {
        static const char *const names[] = { "postlist", "position", "termlist", "docdata",
                                              "spelling", "synonym" };
        const lz_index_sizes *b = &rep[LZ].sizes, *a = &compacted;
        const uint64_t built[] = { b->postlist, b->position, b->termlist, b->docdata,
                                   b->spelling, b->synonym };
        const uint64_t after[] = { a->postlist, a->position, a->termlist, a->docdata,
                                   a->spelling, a->synonym };
        size_t k;
        char key[64], what[96];
        for (k = 0; k < sizeof names / sizeof names[0]; k++) {
            snprintf(key, sizeof key, "table_%s_built", names[k]);
            snprintf(what, sizeof what, "  %s bytes/input byte, as built", names[k]);
            row(key, what, (double)built[k] / c.bytes, -1, 3);
            snprintf(key, sizeof key, "table_%s_compacted", names[k]);
            snprintf(what, sizeof what, "  %s bytes/input byte, compacted", names[k]);
            row(key, what, (double)after[k] / c.bytes, -1, 3);
        }
    }
    row("reindex_s", "re-index unchanged corpus s (new process)", again.seconds, -1, 3);
    row("reindex_ratio", "  re-index unchanged / first run (< 0.05)", again.seconds /
        rep[LZ].seconds, -1, 4);
    row("reindex_peak_rss_mib", "  re-index unchanged peak RSS MiB", again_rss / 1024.0, -1, 1);
    row("q_p50_ms", "query p50 ms, in process, top 10 + snippets", percentile(ms[LZ], &qs, -1, 50),
        percentile(ms[FTS], &qs, -1, 50), 3);
    row("q_p99_ms", "query p99 ms, in process", percentile(ms[LZ], &qs, -1, 99),
        percentile(ms[FTS], &qs, -1, 99), 3);
    row("q1_p50_ms", "  one word p50 ms", percentile(ms[LZ], &qs, 0, 50),
        percentile(ms[FTS], &qs, 0, 50), 3);
    row("qand_p50_ms", "  AND p50 ms", percentile(ms[LZ], &qs, 1, 50),
        percentile(ms[FTS], &qs, 1, 50), 3);
    row("qand_p99_ms", "  AND p99 ms", percentile(ms[LZ], &qs, 1, 99),
        percentile(ms[FTS], &qs, 1, 99), 3);
    row("qor_p50_ms", "  OR p50 ms", percentile(ms[LZ], &qs, 2, 50),
        percentile(ms[FTS], &qs, 2, 50), 3);
    row("qor_p99_ms", "  OR p99 ms", percentile(ms[LZ], &qs, 2, 99),
        percentile(ms[FTS], &qs, 2, 99), 3);
    row("hits", "hits returned (all queries)", (double)hits[LZ], (double)hits[FTS], 0);
    row("queries_with_hits", "queries with a hit", (double)with_hits[LZ], (double)with_hits[FTS],
        0);
    {
        queries sub = qs;
        sub.n = n_cli;
        row("cli_p50_ms", "CLI p50 ms, one process per query", percentile(cli_ms[LZ], &sub, -1, 50),
            percentile(cli_ms[FTS], &sub, -1, 50), 2);
        row("cli_p99_ms", "CLI p99 ms", percentile(cli_ms[LZ], &sub, -1, 99),
            percentile(cli_ms[FTS], &sub, -1, 99), 2);
    }
    row("cli_failed", "CLI runs that failed (exit 2 / non-zero)", (double)cli_fail[LZ],
        (double)cli_fail[FTS], 0);
    printf("FTS5 index as built %.2f, after 'optimize' %.2f, after VACUUM %.2f bytes/input byte;"
           " lanzsearch compacted by lz_index_compact (a copy; queries ran on the index as "
           "built).\n", (double)rep[FTS].size_before / c.bytes, (double)fts_optimized / c.bytes,
           (double)fts_after / c.bytes);
    printf("lanzsearch re-index of the unchanged corpus: %.3f s, %.2f CPU s (first run %.2f s).\n",
           again.seconds, again_cpu, rep[LZ].seconds);
    printf("FTS5 inserts and commit alone: %.2f s (%.2f MB/s); 'optimize' %.2f s.\n",
           rep[FTS].insert_seconds, mb / rep[FTS].insert_seconds,
           rep[FTS].seconds - rep[FTS].insert_seconds);
    if (tsv != NULL && fclose(tsv) != 0)
        die(cfg.tsv);
    return 0;
}
