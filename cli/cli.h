/* What the CLI's commands share: exit statuses, the index location, diagnostics and the
 * commands' entry points. The CLI is the library's first client: it uses lanzsearch.h only. */
#ifndef LZ_CLI_H
#define LZ_CLI_H

#include <stdio.h>

#include "lanzsearch.h"

/* Exit statuses, as grep and ripgrep use them. */
#define LZ_EXIT_OK 0        /* hits found, or the command's work done */
#define LZ_EXIT_NOMATCH 1   /* a search with no hit */
#define LZ_EXIT_ERROR 2     /* any error: usage, query, index, input */

/* The exit status for an lz_status. */
int cli_exit_status(int status);

/* Print "lanzsearch: " + message to stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "lanzsearch: <lz_last_error()>" and return LZ_EXIT_ERROR for status. */
int cli_fail(int status);

/* The index directory: `given` (from --index) if not NULL, else $LANZSEARCH_INDEX, else
 * $XDG_DATA_HOME/lanzsearch/index, else ~/.local/share/lanzsearch/index. *is_default is set
 * when neither --index nor $LANZSEARCH_INDEX chose it. The result is malloc'd. */
char *cli_index_dir(const char *given, int *is_default);

/* The bundled corpus: the installed copy, else the source tree's (for a build not installed);
 * NULL if neither exists. Static storage. */
const char *cli_bundled_corpus(void);

/* Index `n` paths into dir (one transaction, or a commit every `commit_every` bytes of files
 * when not 0), printing warnings to stderr and, unless quiet, a summary. Returns an exit
 * status. */
int cli_index_paths(const char *dir, char *const *paths, int n, unsigned flags,
                    size_t commit_every, int quiet);

/* Add a hit's footnotes and entities to its JSON object: "footnotes" [{"n","text"}],
 * "recommendations", "articles", "paras", "countries", "addressed_to" (arrays), "level" and
 * "chapter" (string or null). The object is a json_t *; void * keeps jansson out of this
 * header. */
void cli_hit_entities_json(void *object, const lz_hit *h);

/* Print a hit's footnotes compactly, one line each, under its snippet. */
void cli_print_footnotes(const lz_hit *h, int color);

/* Largest LINE accepted in PATH:LINE arguments. */
#define CLI_MAX_LINE 100000000u

/* Parse a number option in [min, max]; on error print "CMD: OPT wants a number ..." and
 * return -1. */
int cli_number(const char *cmd, const char *opt, const char *arg, unsigned min, unsigned max,
               unsigned *out);

/* Parse --color WHEN into *color: 1 always, 0 never, -1 auto; -1 with a message on error. */
int cli_color_option(const char *cmd, const char *arg, int *color);

/* Whether to colour stdout: always/never as chosen; auto on a terminal without NO_COLOR. */
int cli_use_color(int color);

/* Split PATH:LINE (LINE from 1 to CLI_MAX_LINE); *path is malloc'd. -1 with a message on
 * error. */
int cli_path_line(const char *cmd, const char *arg, char **path, unsigned *line);

/* Print results for people: per hit its rank, FILE:FIRST-LAST, score, section path, snippet
 * with highlights marked **so** (coloured when color), footnotes, the explanation if any, and
 * the citation; then the facets if any. */
void cli_print_text(const lz_results *r, int color);

/* Print results as one JSON object: query, corrected, used_corrected, total, hits[] (and
 * facets; parsed when explain). Returns jansson's status. */
int cli_print_json(const lz_results *r, int explain);

/* Print the index's size by table, in bytes and per byte of the indexed files: one column for
 * `a`, or before (`a`) and after (`b`) compaction when b is not NULL. */
void cli_print_sizes(FILE *fp, const lz_index_sizes *a, const lz_index_sizes *b);

/* lz_index_compact, with a note "compacting DIR..." on stderr meanwhile when it is a terminal
 * and not quiet (blanked after). Returns the lz_status. */
int cli_compact(lz_index_sizes *before, lz_index_sizes *after, const char *dir, int quiet);

int cmd_index(int argc, char **argv);
int cmd_compact(int argc, char **argv);
int cmd_similar(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif
