/* lanzsearch index: add files and folders to the index in one transaction; warnings (skipped
 * or repaired files) go to stderr with file and line, a summary at the end; on a terminal, a
 * progress line meanwhile. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* Xapian 1.4.22 calls std::terminate, so abort(), when a write fails while it commits (a full
 * disk: the error is thrown again while it recovers, through a noexcept frame). The commit is
 * atomic, so the index then stays at its last revision: while committing, SIGABRT is answered
 * as the error it is, exit status 2. The handler only writes a prepared message and _exits. */
static char commit_abort_msg[1024];
static size_t commit_abort_len;

static void on_commit_abort(int sig)
{
    (void)sig;
    if (write(STDERR_FILENO, commit_abort_msg, commit_abort_len) < 0) {
        /* nothing more to do */
    }
    _exit(LZ_EXIT_ERROR);
}

static void guard_commits(struct sigaction *old, const char *dir, int progress_shown,
                          const char *kept)
{
    struct sigaction sa;
    int n;

    /* below the progress line, if one is on the screen */
    n = snprintf(commit_abort_msg, sizeof commit_abort_msg, "%slanzsearch: %s: writing the index "
                 "failed while committing (is the disk full?); %s\n",
                 progress_shown ? "\n" : "", dir, kept);
    if (n < 0)
        n = 0;
    commit_abort_len = (size_t)n < sizeof commit_abort_msg ? (size_t)n
                                                           : sizeof commit_abort_msg - 1;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_commit_abort;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGABRT, &sa, old);
}

static int commit_guarded(lz_index *ix, const char *dir, int progress_shown)
{
    struct sigaction old;
    int rc;
    guard_commits(&old, dir, progress_shown, "nothing of this run was kept");
    rc = lz_index_commit(ix);
    sigaction(SIGABRT, &old, NULL);
    return rc;
}

/* With --commit-every, lz_index_add_path commits too. */
static int add_guarded(lz_index *ix, const char *path, const char *dir, int progress_shown)
{
    struct sigaction old;
    int rc;
    guard_commits(&old, dir, progress_shown, "the files committed before were kept");
    rc = lz_index_add_path(ix, path);
    sigaction(SIGABRT, &old, NULL);
    return rc;
}

static void usage(FILE *fp)
{
    fputs("Usage: lanzsearch index [options] PATH...\n"
          "\n"
          "Index files and folders as passages. Folders are walked recursively for files\n"
          "ending in .txt or .md; hidden entries and a folder's README are skipped (name a\n"
          "file to index it anyway). A file indexed before is replaced, an unchanged one (same size\n"
          "and modification time) skipped; files gone from an indexed folder are removed. The\n"
          "run is one transaction (unless --commit-every): if it fails or is interrupted, the\n"
          "index stays as it was.\n"
          "Files that are not text (NUL bytes) are skipped with a warning; invalid UTF-8 is\n"
          "replaced by U+FFFD with a warning naming file and line. When standard error is a\n"
          "terminal, a progress line there shows files and MB done of the totals (counted\n"
          "first), the speed and the time left; it is cleared at the end.\n"
          "\n"
          "Options:\n"
          "  --index DIR   index directory (default: $LANZSEARCH_INDEX, else\n"
          "                $XDG_DATA_HOME/lanzsearch/index, else ~/.local/share/lanzsearch/index)\n"
          "  -f, --force   reindex files even when unchanged\n"
          "  --commit-every MB\n"
          "                also commit after every MB megabytes (10^6 bytes) of files\n"
          "                indexed, instead of once at the end: memory stays bounded on a\n"
          "                large corpus (Xapian holds a transaction's new words until it\n"
          "                commits), but a failed or interrupted run then keeps the files\n"
          "                committed before (each whole; the next run skips them)\n"
          "  --compact     compact the index after the run has committed (as 'lanzsearch\n"
          "                compact'; worth it after a bulk run: about a quarter smaller)\n"
          "  -q, --quiet   no summary line, no progress line\n"
          "  -h, --help    show this help and exit\n"
          "\n"
          "Exit status: 0 done (warnings included), 2 error (nothing was changed, but for the\n"
          "files committed before with --commit-every; with\n"
          "--compact, a failed compaction after the run had committed also exits 2 and\n"
          "leaves the run's changes, uncompacted).\n"
          "\n"
          "Example:\n"
          "  lanzsearch index --index ./idx corpus/\n", fp);
}

/* The progress line, on standard error when it is a terminal (and not --quiet): files and MB
 * done of the totals counted before the run (lz_index_count_path), the speed of the files
 * actually indexed, and the time left at that speed. Redrawn at most PROGRESS_PERIOD_S apart,
 * on one line ('\r', blanked with spaces rather than an escape sequence, so a dumb terminal
 * shows it right too), cut to the terminal's width, and blanked before any other message. */
#define PROGRESS_PERIOD_S 0.2

typedef struct progress {
    int on;
    uint64_t n_total, bytes_total;      /* 0 when counting failed: shown without totals */
    uint64_t n_done, bytes_done;        /* files indexed, unchanged or skipped, and bytes */
    uint64_t bytes_indexed;             /* bytes of the files indexed (the speed) */
    double start, last;                 /* monotonic seconds */
    size_t shown;                       /* characters of the line on the screen, 0: none */
} progress;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "m:ss", or "h:mm:ss" from an hour. */
static void format_duration(char *out, size_t size, double s)
{
    unsigned long t = s < 0 ? 0 : s > 359999 ? 359999 : (unsigned long)(s + 0.5);
    if (t >= 3600)
        snprintf(out, size, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, size, "%lu:%02lu", t / 60, t % 60);
}

static void progress_clear(progress *p)
{
    if (p->shown > 0)
        fprintf(stderr, "\r%*s\r", (int)p->shown, "");
    p->shown = 0;
}

/* Append printf output to the NUL-terminated text in line[size], whose length is *len; what
 * does not fit is cut. */
static void line_add(char *line, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void line_add(char *line, size_t size, size_t *len, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (*len + 1 >= size)
        return;
    va_start(ap, fmt);
    n = vsnprintf(line + *len, size - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len = *len + (size_t)n < size - 1 ? *len + (size_t)n : size - 1;
}

/* Draw the line if the last one is old enough (or `force`), with `what` after it if not NULL. */
static void progress_draw(progress *p, int force, const char *what)
{
    char line[256], eta[32];
    double now = now_s(), elapsed = now - p->start;
    double rate = elapsed > 0 ? (double)p->bytes_indexed / elapsed : 0;      /* bytes/s */
    struct winsize ws;
    size_t len = 0;

    if (!p->on || (!force && p->shown > 0 && now - p->last < PROGRESS_PERIOD_S))
        return;
    line[0] = '\0';
    if (p->n_total > 0)
        line_add(line, sizeof line, &len, "%llu/%llu files, %.1f/%.1f MB",
                 (unsigned long long)p->n_done, (unsigned long long)p->n_total,
                 (double)p->bytes_done / 1e6, (double)p->bytes_total / 1e6);
    else
        line_add(line, sizeof line, &len, "%llu files, %.1f MB", (unsigned long long)p->n_done,
                 (double)p->bytes_done / 1e6);
    if (p->bytes_indexed > 0)
        line_add(line, sizeof line, &len, ", %.2f MB/s", rate / 1e6);
    if (what == NULL && p->bytes_total > p->bytes_done && rate > 0) {
        format_duration(eta, sizeof eta, (double)(p->bytes_total - p->bytes_done) / rate);
        line_add(line, sizeof line, &len, ", %s left", eta);
    }
    if (what != NULL)
        line_add(line, sizeof line, &len, "; %s", what);
    /* A line longer than the terminal would wrap, and '\r' go back to its last row only. */
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 && len > ws.ws_col - 1u)
        len = ws.ws_col - 1u;
    fprintf(stderr, "\r%.*s", (int)len, line);
    if (p->shown > len)
        fprintf(stderr, "%*s\r%.*s", (int)(p->shown - len), "", (int)len, line);
    p->shown = len > 0 ? len : 1;
    p->last = now;
}

static int on_event(const lz_index_event *ev, void *payload)
{
    progress *p = payload;
    if (ev->kind == LZ_EVENT_SKIPPED || ev->kind == LZ_EVENT_WARNING) {
        progress_clear(p);
        cli_warn("%s", ev->message ? ev->message : ev->path);
    }
    /* file_len is set on the one event each file of the walk has; a skipped folder has 0 */
    if (ev->kind == LZ_EVENT_INDEXED || ev->kind == LZ_EVENT_UNCHANGED ||
        (ev->kind == LZ_EVENT_SKIPPED && ev->file_len > 0)) {
        p->n_done++;
        p->bytes_done += ev->file_len;
        if (ev->kind == LZ_EVENT_INDEXED)
            p->bytes_indexed += ev->file_len;
        /* files added or grown since they were counted: the totals follow */
        if (p->n_total > 0 && p->n_done > p->n_total)
            p->n_total = p->n_done;
        if (p->n_total > 0 && p->bytes_done > p->bytes_total)
            p->bytes_total = p->bytes_done;
    }
    progress_draw(p, 0, NULL);
    return 0;
}

/* The totals for the progress line: the files and bytes under every path. A path that cannot
 * be counted leaves the totals unknown; the run itself reports it. */
static void progress_start(progress *p, char *const *paths, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        uint64_t files, bytes;
        if (lz_index_count_path(&files, &bytes, paths[i]) != LZ_OK) {
            p->n_total = p->bytes_total = 0;
            break;
        }
        p->n_total += files;
        p->bytes_total += bytes;
    }
    p->start = now_s();
}

/* mkdir -p for the folders above the index (Xapian creates the last one). */
static int make_parents(const char *dir)
{
    char *p = strdup(dir), *s;
    int rc = 0;
    if (p == NULL)
        return -1;
    for (s = p + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            cli_warn("%s: %s", p, strerror(errno));
            rc = -1;
            break;
        }
        *s = '/';
    }
    free(p);
    return rc;
}

int cli_index_paths(const char *dir, char *const *paths, int n, unsigned flags,
                    size_t commit_every, int quiet)
{
    lz_index_options opts = LZ_INDEX_OPTIONS_INIT;
    lz_index_stats st;
    lz_index *ix = NULL;
    progress prog;
    int i, rc;

    memset(&prog, 0, sizeof prog);
    prog.on = !quiet && isatty(STDERR_FILENO);
    opts.flags = flags;
    opts.commit_every = commit_every;
    opts.progress = on_event;
    opts.payload = &prog;
    if (make_parents(dir) != 0)
        return LZ_EXIT_ERROR;
    if ((rc = lz_index_open(&ix, dir, &opts)) != LZ_OK)
        return cli_fail(rc);
    if (prog.on) {
        progress_start(&prog, paths, n);
        progress_draw(&prog, 1, NULL);          /* the totals before the first file is done */
    }
    for (i = 0; i < n; i++) {
        if ((rc = commit_every > 0 ? add_guarded(ix, paths[i], dir, prog.on)
                                   : lz_index_add_path(ix, paths[i])) != LZ_OK) {
            progress_clear(&prog);
            cli_fail(rc);
            if (commit_every > 0)
                cli_warn("%s keeps the files committed before this one", dir);
            else
                cli_warn("nothing was changed in %s", dir);
            lz_index_free(ix);
            return LZ_EXIT_ERROR;
        }
    }
    progress_draw(&prog, 1, "committing");
    rc = commit_guarded(ix, dir, prog.shown > 0);
    progress_clear(&prog);
    if (rc != LZ_OK) {
        cli_fail(rc);
        lz_index_free(ix);
        return LZ_EXIT_ERROR;
    }
    lz_index_get_stats(ix, &st);
    lz_index_free(ix);
    if (!quiet)
        fprintf(stderr, "lanzsearch: %s: %zu file%s indexed (%zu passages), %zu unchanged, "
                "%zu removed, %zu skipped, %zu warning%s\n", dir, st.n_indexed,
                st.n_indexed == 1 ? "" : "s", st.n_passages, st.n_unchanged, st.n_removed,
                st.n_skipped, st.n_warnings, st.n_warnings == 1 ? "" : "s");
    return LZ_EXIT_OK;
}

/* --compact: compact after the run has committed. The lock is released in between (the run's
 * handle is closed first); a writer that takes it meanwhile makes this fail, the run stays. */
static int compact_after(const char *dir, int quiet)
{
    lz_index_sizes before, after;
    int rc = cli_compact(&before, &after, dir, quiet);

    if (rc != LZ_OK) {
        cli_fail(rc);
        cli_warn("%s: the run was committed, but the index is not compacted", dir);
        return LZ_EXIT_ERROR;
    }
    if (!quiet) {
        if (after.source_bytes > 0)
            fprintf(stderr, "lanzsearch: %s: compacted, %llu to %llu bytes (%.2f to %.2f per "
                    "input byte)\n", dir, (unsigned long long)before.total,
                    (unsigned long long)after.total,
                    (double)before.total / (double)before.source_bytes,
                    (double)after.total / (double)after.source_bytes);
        else
            fprintf(stderr, "lanzsearch: %s: compacted, %llu to %llu bytes\n", dir,
                    (unsigned long long)before.total, (unsigned long long)after.total);
    }
    return LZ_EXIT_OK;
}

int cmd_index(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "index", required_argument, NULL, 'i' },
        { "force", no_argument, NULL, 'f' },
        { "quiet", no_argument, NULL, 'q' },
        { "compact", no_argument, NULL, 'c' },
        { "commit-every", required_argument, NULL, 'e' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *given = NULL;
    unsigned flags = 0, commit_mb = 0;
    int quiet = 0, compact = 0, opt, is_default, status;
    char *dir;

    while ((opt = getopt_long(argc, argv, "+fqh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'i':
            given = optarg;
            break;
        case 'f':
            flags |= LZ_INDEX_FORCE;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'c':
            compact = 1;
            break;
        case 'e':
            if (cli_number("index", "--commit-every", optarg, 1, 1000000, &commit_mb) != 0)
                return LZ_EXIT_ERROR;
            break;
        case 'h':
            usage(stdout);
            return LZ_EXIT_OK;
        default:
            fputs("Run 'lanzsearch index --help' for usage.\n", stderr);
            return LZ_EXIT_ERROR;
        }
    }
    if (optind >= argc) {
        cli_warn("index: no PATH given (try 'lanzsearch index --help')");
        return LZ_EXIT_ERROR;
    }
    if ((dir = cli_index_dir(given, &is_default)) == NULL) {
        cli_warn("out of memory");
        return LZ_EXIT_ERROR;
    }
    status = cli_index_paths(dir, argv + optind, argc - optind, flags,
                             (size_t)commit_mb * 1000000u, quiet);
    if (status == LZ_EXIT_OK && compact)
        status = compact_after(dir, quiet);
    free(dir);
    return status;
}
