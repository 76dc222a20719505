/* lanzsearch: the command-line front end. Dispatches `lanzsearch <command> [options] [args]`
 * to cmd_<name>.c, and holds what the commands share (exit statuses, index location,
 * diagnostics). */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_exit_status(int status)
{
    return status == LZ_OK ? LZ_EXIT_OK : LZ_EXIT_ERROR;
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    fputs("lanzsearch: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_fail(int status)
{
    const char *msg = lz_last_error();
    cli_warn("%s", msg[0] ? msg : lz_strerror(status));
    return cli_exit_status(status);
}

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = malloc(la + lb + 1);
    if (p != NULL) {
        memcpy(p, a, la);
        memcpy(p + la, b, lb + 1);
    }
    return p;
}

char *cli_index_dir(const char *given, int *is_default)
{
    const char *env;
    *is_default = 0;
    if (given != NULL)
        return strdup(given);
    if ((env = getenv("LANZSEARCH_INDEX")) != NULL && env[0] != '\0')
        return strdup(env);
    *is_default = 1;
    if ((env = getenv("XDG_DATA_HOME")) != NULL && env[0] == '/')
        return join(env, "/lanzsearch/index");
    if ((env = getenv("HOME")) != NULL && env[0] != '\0')
        return join(env, "/.local/share/lanzsearch/index");
    return strdup(".lanzsearch-index");
}

int cli_number(const char *cmd, const char *opt, const char *arg, unsigned min, unsigned max,
               unsigned *out)
{
    char *end;
    unsigned long v;
    if (arg[0] >= '0' && arg[0] <= '9') {
        v = strtoul(arg, &end, 10);
        if (*end == '\0' && v >= min && v <= max) {
            *out = (unsigned)v;
            return 0;
        }
    }
    cli_warn("%s: %s wants a number from %u to %u, not '%s'", cmd, opt, min, max, arg);
    return -1;
}

int cli_color_option(const char *cmd, const char *arg, int *color)
{
    if (strcmp(arg, "always") == 0)
        *color = 1;
    else if (strcmp(arg, "never") == 0)
        *color = 0;
    else if (strcmp(arg, "auto") == 0)
        *color = -1;
    else {
        cli_warn("%s: --color wants auto, always or never, not '%s'", cmd, arg);
        return -1;
    }
    return 0;
}

int cli_use_color(int color)
{
    if (color >= 0)
        return color;
    return isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
}

int cli_path_line(const char *cmd, const char *arg, char **path, unsigned *line)
{
    const char *colon = strrchr(arg, ':');
    unsigned long v;
    char *end;

    *path = NULL;
    if (colon == NULL || colon == arg || colon[1] < '0' || colon[1] > '9' ||
        (v = strtoul(colon + 1, &end, 10)) == 0 || *end != '\0' || v > CLI_MAX_LINE) {
        cli_warn("%s: '%s' is not PATH:LINE", cmd, arg);
        return -1;
    }
    if ((*path = strndup(arg, (size_t)(colon - arg))) == NULL) {
        cli_warn("out of memory");
        return -1;
    }
    *line = (unsigned)v;
    return 0;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_bundled_corpus(void)
{
    /* Installed beside this executable (<prefix>/bin/../share/lanzsearch/corpus) wherever the
     * prefix was moved, else where it was configured to go, else the source tree's. */
    static char beside[4096];
    ssize_t n = readlink("/proc/self/exe", beside, sizeof beside - 1);
    if (n > 0) {
        char *slash;
        beside[n] = '\0';
        if ((slash = strrchr(beside, '/')) != NULL &&
            (size_t)(slash - beside) + sizeof "/../share/lanzsearch/corpus" < sizeof beside) {
            strcpy(slash, "/../share/lanzsearch/corpus");
            if (is_dir(beside))
                return beside;
        }
    }
    if (is_dir(LZ_INSTALLED_CORPUS))
        return LZ_INSTALLED_CORPUS;
    if (is_dir(LZ_SOURCE_CORPUS))
        return LZ_SOURCE_CORPUS;
    return NULL;
}

static void usage(FILE *fp)
{
    fputs("Usage: lanzsearch <command> [options] [arguments]\n"
          "\n"
          "Full-text search over the Council of Europe reports on protecting children from\n"
          "sexual exploitation and abuse facilitated by ICTs: ranked passages with highlighted\n"
          "snippets and citations you can paste into a report.\n"
          "\n"
          "Commands:\n"
          "  index PATH...     index files and folders (*.txt, *.md) into the index\n"
          "  search QUERY...   search the index (built from the bundled corpus if missing)\n"
          "  show PATH:LINE    the passage at a line, with its neighbours\n"
          "  show rec:IV-6     a recommendation's text and every passage citing it\n"
          "  similar PATH:LINE passages closest in theme to the passage at a line\n"
          "  info              show what the index holds and its size by table\n"
          "  compact           compact the index in place (smaller, faster to read)\n"
          "  check [PATH...]   compare the index with the files: changed, missing, new\n"
          "  help [COMMAND]    show this help, or a command's\n"
          "\n"
          "Options:\n"
          "  -h, --help        show this help and exit\n"
          "  -V, --version     show the version and the libraries' versions and exit\n"
          "\n"
          "Environment:\n"
          "  LANZSEARCH_INDEX  index directory when --index is not given\n"
          "  XDG_DATA_HOME     default index is $XDG_DATA_HOME/lanzsearch/index\n"
          "                    (~/.local/share/lanzsearch/index)\n"
          "  NO_COLOR          no colour in search results\n"
          "\n"
          "Exit status: 0 success (a search found hits), 1 a search found nothing, 2 error.\n"
          "\n"
          "Example:\n"
          "  lanzsearch search sextortion dual criminality\n"
          "\n"
          "Run 'lanzsearch COMMAND --help' for a command's options.\n", fp);
}

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} command;

static const command commands[] = {
    { "index", cmd_index },
    { "search", cmd_search },
    { "info", cmd_info },
    { "show", cmd_show },
    { "similar", cmd_similar },
    { "check", cmd_check },
    { "compact", cmd_compact },
};

static const command *find_command(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static int run_command(const command *c, int argc, char **argv)
{
    char name[64];
    /* getopt's own messages name the command: "lanzsearch search: unrecognized option" */
    snprintf(name, sizeof name, "lanzsearch %s", c->name);
    argv[0] = name;
    optind = 0;             /* 0, not 1: glibc then also forgets the "+" ordering of main's scan */
    return c->run(argc, argv);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    const command *c;
    int opt;

    while ((opt = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            usage(stdout);
            return LZ_EXIT_OK;
        case 'V':
            printf("lanzsearch %s (%s)\n", lz_version(), lz_dependency_versions());
            return LZ_EXIT_OK;
        default:
            fputs("Run 'lanzsearch --help' for usage.\n", stderr);
            return LZ_EXIT_ERROR;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return LZ_EXIT_ERROR;
    }
    if (strcmp(argv[optind], "help") == 0) {
        if (optind + 1 < argc && (c = find_command(argv[optind + 1])) != NULL) {
            char *args[] = { argv[optind + 1], "--help", NULL };
            return run_command(c, 2, args);
        }
        if (optind + 1 < argc) {
            cli_warn("unknown command '%s'", argv[optind + 1]);
            return LZ_EXIT_ERROR;
        }
        usage(stdout);
        return LZ_EXIT_OK;
    }
    if ((c = find_command(argv[optind])) == NULL) {
        cli_warn("unknown command '%s' (try 'lanzsearch --help')", argv[optind]);
        return LZ_EXIT_ERROR;
    }
    return run_command(c, argc - optind, argv + optind);
}
