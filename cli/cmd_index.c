/* lanzsearch index: add files and folders to the index in one transaction; warnings (skipped
 * or repaired files) go to stderr with file and line, a summary at the end. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
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

static void guard_commits(struct sigaction *old, const char *dir, const char *kept)
{
    struct sigaction sa;
    int n;

    n = snprintf(commit_abort_msg, sizeof commit_abort_msg, "lanzsearch: %s: writing the index "
                 "failed while committing (is the disk full?); %s\n", dir, kept);
    if (n < 0)
        n = 0;
    commit_abort_len = (size_t)n < sizeof commit_abort_msg ? (size_t)n
                                                           : sizeof commit_abort_msg - 1;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_commit_abort;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGABRT, &sa, old);
}

static int commit_guarded(lz_index *ix, const char *dir)
{
    struct sigaction old;
    int rc;
    guard_commits(&old, dir, "nothing of this run was kept");
    rc = lz_index_commit(ix);
    sigaction(SIGABRT, &old, NULL);
    return rc;
}

/* With --commit-every, lz_index_add_path commits too. */
static int add_guarded(lz_index *ix, const char *path, const char *dir)
{
    struct sigaction old;
    int rc;
    guard_commits(&old, dir, "the files committed before were kept");
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
          "replaced by U+FFFD with a warning naming file and line.\n"
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
          "  -q, --quiet   no summary line\n"
          "  -h, --help    show this help and exit\n"
          "\n"
          "Exit status: 0 done (warnings included), 2 error (nothing was changed, but for\n"
          "the files committed before with --commit-every).\n"
          "\n"
          "Example:\n"
          "  lanzsearch index --index ./idx corpus/\n", fp);
}

static int on_event(const lz_index_event *ev, void *payload)
{
    (void)payload;
    if (ev->kind == LZ_EVENT_SKIPPED || ev->kind == LZ_EVENT_WARNING)
        cli_warn("%s", ev->message ? ev->message : ev->path);
    return 0;
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
    int i, rc;

    opts.flags = flags;
    opts.commit_every = commit_every;
    opts.progress = on_event;
    if (make_parents(dir) != 0)
        return LZ_EXIT_ERROR;
    if ((rc = lz_index_open(&ix, dir, &opts)) != LZ_OK)
        return cli_fail(rc);
    for (i = 0; i < n; i++) {
        if ((rc = commit_every > 0 ? add_guarded(ix, paths[i], dir)
                                   : lz_index_add_path(ix, paths[i])) != LZ_OK) {
            cli_fail(rc);
            if (commit_every > 0)
                cli_warn("%s keeps the files committed before this one", dir);
            else
                cli_warn("nothing was changed in %s", dir);
            lz_index_free(ix);
            return LZ_EXIT_ERROR;
        }
    }
    if ((rc = commit_guarded(ix, dir)) != LZ_OK) {
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

int cmd_index(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "index", required_argument, NULL, 'i' },
        { "force", no_argument, NULL, 'f' },
        { "commit-every", required_argument, NULL, 'c' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *given = NULL;
    unsigned flags = 0, commit_mb = 0;
    int quiet = 0, opt, is_default, status;
    char *dir;

    while ((opt = getopt_long(argc, argv, "+fqh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'i':
            given = optarg;
            break;
        case 'f':
            flags |= LZ_INDEX_FORCE;
            break;
        case 'c':
            if (cli_number("index", "--commit-every", optarg, 1, 1000000, &commit_mb) != 0)
                return LZ_EXIT_ERROR;
            break;
        case 'q':
            quiet = 1;
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
    free(dir);
    return status;
}
