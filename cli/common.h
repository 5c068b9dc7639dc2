/*
 * common.h - what tfledger and tfaudit share: the run context, option
 * helpers, passphrases, key loading and entry output.
 */
#ifndef TFLEDGER_CLI_COMMON_H
#define TFLEDGER_CLI_COMMON_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "tfledger/tfledger.h"

/* What a command needs the dispatcher to do before it runs. */
/* clang-format off */
#define NEED_NOTHING	0x0
#define NEED_LEDGER_RO	0x1	/* open the ledger read-only */
#define NEED_LEDGER_RW	0x2	/* open the ledger read-write */
/* clang-format on */

struct cli {
	const char *prog;	     /* "tfledger" or "tfaudit" */
	tfl_config cfg;		     /* config file, then global options */
	const char *passphrase_file; /* --passphrase-file, else cfg's */
	tfl_ledger *ledger;	     /* opened per the command's needs */
	int quiet;
	tfl_err err;
};

struct command {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	unsigned needs;
	const char *summary;
	const char *usage; /* usage and an example, for --help */
};

/*
 * Run the program: parse global options, load the config, find the
 * command in table[0..n) (sorted), do its setup, run it, report its
 * error and return the exit code.  Both tools' main() is this call.
 */
int cli_main(const char *prog, const struct command *table, size_t n,
    int argc, char **argv);

/* Set c->err to an invalid-input error; returns TFL_EINVAL. */
int cli_usage(struct cli *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/*
 * After getopt_long returned '?' on argv: an invalid-input error naming
 * command cmd (NULL: a global option) and the option word; returns
 * TFL_EINVAL.
 */
int cli_bad_option(struct cli *c, const char *cmd, char **argv);

/* Require option value v named opt; 0 or TFL_EINVAL naming the option. */
int cli_require(struct cli *c, const char *v, const char *opt);

/* Parse a seq argument; 0 or TFL_EINVAL naming it. */
int cli_parse_seq(struct cli *c, uint64_t *out, const char *s,
    const char *what);

/*
 * Read a passphrase: --passphrase-file (or the config's), else
 * $TFLEDGER_PASSPHRASE, else a prompt on the terminal without echo
 * (asked twice when confirm).  buf holds cap bytes; the caller wipes it
 * with tfl_wipe.  Returns 0, TFL_EINVAL (none available, empty, or a
 * passphrase file readable by others) or TFL_EIO.
 */
int cli_passphrase(struct cli *c, char *buf, size_t cap, size_t *len,
    const char *prompt, int confirm);

/*
 * Load the key file path (or the config's key when path is NULL),
 * asking for its passphrase.  Core dumps are disabled first, so that a
 * loaded key never lands in one.  Returns 0 or a status.
 */
int cli_load_key(struct cli *c, tfl_key **out, const char *path,
    const char *fallback, const char *opt);

/*
 * Load the signing key (keypath, else the config's key), append
 * drafts[0..n) in one transaction and print the last new seq as the last
 * line of stdout.  Returns 0 or a status.
 */
int cli_append(struct cli *c, const char *keypath, tfl_entry *const *drafts,
    size_t n);

/* Print a line of data; returns 0 or TFL_EIO when stdout fails. */
int cli_printf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/*
 * Dump j to stdout (sorted keys, indented) followed by a newline and
 * drop the reference.  Returns 0, TFL_ENOMEM or TFL_EIO.
 */
int cli_print_json(json_t *j);

/*
 * Describe the signed note of an entry as JSON: seq, time, type, origin,
 * prev, leaf hash, fields, signatures.  NULL on a malformed note.
 */
json_t *cli_entry_json(const char *note, size_t len, tfl_err *err);

/*
 * The RFC 3339 UTC time text as the reader's local time, ISO 8601
 * "YYYY-MM-DDTHH:MM:SS+hhmm" (one word), into buf (at least 32 bytes);
 * text that does not parse is copied as it is.  For human output only: the ledger
 * and machine output keep UTC.
 */
void cli_local_time(char *buf, size_t size, const char *text);

/* Read a whole file into a malloc'd NUL-terminated buffer. */
int cli_read_file(struct cli *c, char **out, size_t *len, const char *path);

/* Write data to a new or truncated file path (mode 0644). */
int cli_write_file(struct cli *c, const char *path, const void *data,
    size_t len);

/*
 * A progress bar on stderr for long work (an audit, an import):
 * "verifying [#####.....] 12,345/50,003  5,210/s  0:07 left".  Drawn only
 * when stderr is a terminal and -q was not given, at most ten times a
 * second; cli_progress_end erases it, so only results stay on screen.
 */
struct cli_progress {
	const char *what; /* "verifying", "importing" */
	int on;		  /* drawing at all */
	int drawn;	  /* a bar is on screen */
	double start, last;
};

/* Start p for c's stderr; what names the work. */
void cli_progress_begin(struct cli_progress *p, const struct cli *c,
    const char *what);

/*
 * Report done of total (ctx is the struct cli_progress): the signature of
 * tfl_verify_opts.progress and tfl_ledger_set_progress.
 */
void cli_progress(void *ctx, uint64_t done, uint64_t total);

/* Erase the bar, if one was drawn. */
void cli_progress_end(struct cli_progress *p);

/*
 * Whether to colour what goes to f: f is a terminal, $NO_COLOR is unset
 * or empty (no-color.org) and $TERM is not "dumb".
 */
int cli_colour(FILE *f);

/* clang-format off */
#define CLI_SGR_BOLD	"\033[1m"
#define CLI_SGR_RED	"\033[31m"
#define CLI_SGR_GREEN	"\033[32m"
#define CLI_SGR_YELLOW	"\033[33m"
#define CLI_SGR_RESET	"\033[0m"
/* clang-format on */

/* sgr (a CLI_SGR_*) when on, else "". */
const char *cli_sgr(int on, const char *sgr);

/* n with thousands separators ("12,345") into buf of size bytes. */
void cli_group(char *buf, size_t size, uint64_t n);

#endif
