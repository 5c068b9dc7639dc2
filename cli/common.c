/*
 * common.c - the dispatcher and helpers shared by tfledger and tfaudit.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

int
cli_usage(struct cli *c, const char *fmt, ...)
{
	char msg[TFL_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tfl_err_set(&c->err, TFL_EINVAL, "%s", msg); /* made one line */
}

int
cli_bad_option(struct cli *c, const char *cmd, char **argv)
{
	const char *word = optind > 0 ? argv[optind - 1] : "";
	char shortopt[3] = { '-', (char)optopt, '\0' };
	int n;

	/*
	 * getopt is silent (opterr is 0): name the word here, in one line.
	 * A long option is the word before optind; a short one is optopt,
	 * which may sit inside a cluster that optind has not left yet.
	 */
	if (strncmp(word, "--", 2) != 0 && optopt > ' ' && optopt < 127)
		word = shortopt;
	n = (int)strcspn(word, "=");
	return cli_usage(c, "%s%soption \"%.*s\" is unknown or lacks its "
	    "value; see --help", cmd != NULL ? cmd : "", cmd != NULL ? ": " :
	    "", n > 40 ? 40 : n, word);
}

int
cli_require(struct cli *c, const char *v, const char *opt)
{
	if (v == NULL || *v == '\0')
		return cli_usage(c, "missing required option %s", opt);
	return 0;
}

int
cli_parse_seq(struct cli *c, uint64_t *out, const char *s, const char *what)
{
	const char *p;

	for (p = s; *p >= '0' && *p <= '9'; p++)
		;
	if (*s == '\0' || *p != '\0' || (s[0] == '0' && s[1] != '\0') ||
	    p - s > 19)
		return cli_usage(c, "%s \"%.40s\": must be a seq number", what,
		    s);
	*out = strtoull(s, NULL, 10);
	return 0;
}

int
cli_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n < 0 ? TFL_EIO : 0;
}

int
cli_print_json(json_t *j)
{
	int rc;

	if (j == NULL)
		return TFL_ENOMEM;
	rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(j);
	if (rc != 0 || putchar('\n') == EOF)
		return TFL_EIO;
	return 0;
}

int
cli_read_file(struct cli *c, char **out, size_t *len, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *grown;
	size_t n = 0, cap = 0, got;

	struct stat st;

	if (f == NULL)
		return tfl_err_set(&c->err, errno == ENOENT ? TFL_ENOTFOUND :
		    TFL_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return tfl_err_set(&c->err, TFL_EINVAL, "%s: a directory, not "
		    "a file", path);
	}
	do {
		if (cap - n < 4096) {
			cap = cap * 2 + 8192;
			if ((grown = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				fclose(f);
				return tfl_err_set(&c->err, TFL_ENOMEM,
				    "out of memory");
			}
			buf = grown;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return tfl_err_set(&c->err, TFL_EIO, "%s: read error", path);
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int
cli_write_file(struct cli *c, const char *path, const void *data,
    size_t len)
{
	FILE *f = fopen(path, "wb");
	int bad;

	if (f == NULL)
		return tfl_err_set(&c->err, TFL_EIO, "%s: %s", path,
		    strerror(errno));
	bad = fwrite(data, 1, len, f) != len;
	if (fclose(f) != 0)
		bad = 1;
	if (bad)
		return tfl_err_set(&c->err, TFL_EIO, "%s: write error", path);
	return 0;
}

/* Strip one trailing newline (and a CR before it) from buf[0..*len). */
static void
chomp(char *buf, size_t *len)
{
	if (*len > 0 && buf[*len - 1] == '\n')
		buf[--*len] = '\0';
	if (*len > 0 && buf[*len - 1] == '\r')
		buf[--*len] = '\0';
}

/* The first line of a passphrase file that only its owner may read. */
static int
pass_from_file(struct cli *c, char *buf, size_t cap, size_t *len,
    const char *path)
{
	struct stat st;
	ssize_t n;
	char *nl;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW);
	if (fd < 0)
		return tfl_err_set(&c->err, TFL_EINVAL, "passphrase file "
		    "\"%s\": %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
		close(fd);
		return tfl_err_set(&c->err, TFL_EINVAL, "passphrase file "
		    "\"%s\": readable by group or others (chmod 600)", path);
	}
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return tfl_err_set(&c->err, TFL_EIO, "passphrase file \"%s\": "
		    "%s", path, strerror(errno));
	buf[n] = '\0';
	nl = strchr(buf, '\n');
	*len = nl != NULL ? (size_t)(nl - buf) + 1 : (size_t)n;
	chomp(buf, len);
	return 0;
}

/* Ask on the terminal with echo off. */
static int
pass_prompt(struct cli *c, char *buf, size_t cap, size_t *len,
    const char *prompt)
{
	struct termios old, quiet;
	FILE *tty = fopen("/dev/tty", "r+");
	int ok;

	if (tty == NULL)
		return tfl_err_set(&c->err, TFL_EINVAL, "no passphrase: use "
		    "--passphrase-file or $TFLEDGER_PASSPHRASE, or run on a "
		    "terminal");
	fprintf(tty, "%s", prompt);
	fflush(tty);
	tcgetattr(fileno(tty), &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	ok = fgets(buf, (int)cap, tty) != NULL;
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fprintf(tty, "\n");
	fclose(tty);
	if (!ok)
		return tfl_err_set(&c->err, TFL_EINVAL, "no passphrase given");
	*len = strlen(buf);
	chomp(buf, len);
	return 0;
}

/* Keep key material out of core dumps. */
static void
no_core_dumps(void)
{
	struct rlimit none = { 0, 0 };

	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int
cli_passphrase(struct cli *c, char *buf, size_t cap, size_t *len,
    const char *prompt, int confirm)
{
	/* c is never NULL: the analyzer guesses so from &c->cfg.key */
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
	const char *file = c->passphrase_file, *env;
	char again[1024];
	size_t alen = 0;
	int rc;

	/* Before a passphrase or a key is in memory (key generate too). */
	no_core_dumps();

	if (file == NULL && c->cfg.passphrase_file[0] != '\0')
		file = c->cfg.passphrase_file;
	if (file != NULL) {
		rc = pass_from_file(c, buf, cap, len, file);
	} else if ((env = getenv("TFLEDGER_PASSPHRASE")) != NULL) {
		*len = strlen(env);
		if (*len >= cap)
			return tfl_err_set(&c->err, TFL_EINVAL,
			    "$TFLEDGER_PASSPHRASE is too long");
		memcpy(buf, env, *len + 1);
		rc = 0;
	} else {
		rc = pass_prompt(c, buf, cap, len, prompt);
		if (rc == 0 && confirm) {
			rc = pass_prompt(c, again, sizeof(again), &alen,
			    "Repeat the passphrase: ");
			if (rc == 0 && (alen != *len ||
			    memcmp(again, buf, alen) != 0))
				rc = tfl_err_set(&c->err, TFL_EINVAL,
				    "the passphrases do not match");
			tfl_wipe(again, sizeof(again));
		}
	}
	if (rc == 0 && *len == 0)
		rc = tfl_err_set(&c->err, TFL_EINVAL, "empty passphrase");
	return rc;
}

int
cli_load_key(struct cli *c, tfl_key **out, const char *path,
    const char *fallback, const char *opt)
{
	char pass[1024], prompt[TFL_CONFIG_PATH_MAX + 64];
	size_t len = 0;
	int rc;

	if (path == NULL && fallback != NULL && fallback[0] != '\0')
		path = fallback;
	if ((rc = cli_require(c, path, opt)) != 0)
		return rc;
	no_core_dumps();
	snprintf(prompt, sizeof(prompt), "Passphrase for %s: ", path);
	rc = cli_passphrase(c, pass, sizeof(pass), &len, prompt, 0);
	if (rc == 0)
		rc = tfl_key_load(out, path, pass, len, &c->err);
	tfl_wipe(pass, sizeof(pass));
	return rc;
}

static json_t *
fields_json(const tfl_entry *e)
{
	json_t *o = json_object();
	const char *name, *v;
	size_t i;

	for (i = 0; (name = tfl_entry_field(tfl_entry_type(e), i,
	    NULL)) != NULL; i++)
		if ((v = tfl_entry_get(e, name)) != NULL)
			json_object_set_new(o, name, json_string(v));
	return o;
}

json_t *
cli_entry_json(const char *note, size_t len, tfl_err *err)
{
	char hex[2 * TFL_HASH_SIZE + 1], tbuf[32], kh[9];
	uint8_t leaf[TFL_HASH_SIZE];
	json_t *j = NULL, *sigs;
	tfl_entry *e = NULL;
	tfl_note n;
	size_t i;

	if (tfl_note_parse(&n, note, len, err) != 0)
		return NULL;
	if (tfl_entry_decode(&e, n.text, n.textlen, err) != 0)
		goto out;
	j = json_object();
	json_object_set_new(j, "seq", json_integer((json_int_t)
	    tfl_entry_seq(e)));
	tfl_time_format(tbuf, tfl_entry_time(e));
	json_object_set_new(j, "time", json_string(tbuf));
	json_object_set_new(j, "type", json_string(tfl_entry_type_name(
	    tfl_entry_type(e))));
	json_object_set_new(j, "origin", json_string(tfl_entry_origin(e)));
	for (i = 0; i < TFL_HASH_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", tfl_entry_prev(e)[i]);
	json_object_set_new(j, "prev", json_string(hex));
	tfl_merkle_leaf_hash(leaf, note, len);
	for (i = 0; i < TFL_HASH_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", leaf[i]);
	json_object_set_new(j, "leaf_hash", json_string(hex));
	json_object_set_new(j, "fields", fields_json(e));
	sigs = json_array();
	for (i = 0; i < n.nsigs; i++) {
		snprintf(kh, sizeof(kh), "%08x", (unsigned)n.sigs[i].hash);
		json_array_append_new(sigs, json_pack("{s:s, s:s}", "name",
		    n.sigs[i].name, "key_hash", kh));
	}
	json_object_set_new(j, "signatures", sigs);
out:
	tfl_entry_free(e);
	tfl_note_release(&n);
	return j;
}

static void
version(const char *prog)
{
	printf("%s %s\n", prog, TFL_VERSION);
}

static void
help(const char *prog, const struct command *table, size_t n)
{
	size_t i;

	printf("usage: %s [-L DIR] [-c FILE] [--passphrase-file FILE] [-q] "
	    "<command> [options]\n\ncommands:\n", prog);
	for (i = 0; i < n; i++)
		printf("  %-12s %s\n", table[i].name, table[i].summary);
	printf("\nglobal options:\n"
	       "  -L, --ledger DIR         the ledger directory\n"
	       "  -c, --config FILE        configuration file (libconfig)\n"
	       "      --passphrase-file F  read key passphrases from F\n"
	       "  -q, --quiet              no progress or notes on stderr\n"
	       "  -h, --help               this help; `%s COMMAND --help` "
	       "for one command\n"
	       "      --version            print the version\n"
	       "\nexit codes: 0 success, 1 verification found a problem, "
	       "2 usage error or\ninvalid input, 3 storage or I/O error, "
	       "4 refused by a ledger rule\n", prog);
}

/* -c, then $TFLEDGER_CONFIG, then ./tfledger.conf (missing is fine). */
static int
load_config(struct cli *c, const char *path)
{
	int rc, required;

	if (path == NULL)
		path = getenv("TFLEDGER_CONFIG");
	required = path != NULL;
	if (path == NULL)
		path = "tfledger.conf";
	rc = tfl_config_load(&c->cfg, path, &c->err);
	if (rc == TFL_ENOTFOUND && !required) {
		tfl_err_clear(&c->err);
		return 0;
	}
	return rc;
}

/* Edit distance of two short words, for "did you mean". */
static size_t
distance(const char *a, const char *b)
{
	size_t row[64], i, j, prev, tmp, la = strlen(a), lb = strlen(b);

	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

static const struct command *
find_command(struct cli *c, const struct command *table, size_t n,
    const char *name)
{
	char near[256] = "";
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	for (i = 0; i < n; i++)
		if ((distance(table[i].name, name) <= 2 ||
		    strncmp(table[i].name, name, strlen(name)) == 0) &&
		    len < sizeof(near) - 64)
			len += (size_t)snprintf(near + len, sizeof(near) - len,
			    "%s%s", len > 0 ? ", " : "", table[i].name);
	if (len > 0)
		cli_usage(c, "unknown command \"%.40s\"; did you mean: %s?",
		    name, near);
	else
		cli_usage(c, "unknown command \"%.40s\"; see %s --help", name,
		    c->prog);
	return NULL;
}

static int
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

static int64_t
wall_clock(void *ctx)
{
	(void)ctx;
	return (int64_t)time(NULL);
}

static int
run_command(struct cli *c, const struct command *cmd, int argc, char **argv)
{
	const char *tmpdir;
	int rc;

	if (wants_help(argc, argv)) {
		printf("%s", cmd->usage);
		return 0;
	}
	if (cmd->needs & (NEED_LEDGER_RO | NEED_LEDGER_RW)) {
		if ((rc = cli_require(c, c->cfg.ledger[0] != '\0' ?
		    c->cfg.ledger : NULL, "-L/--ledger")) != 0)
			return rc;
		rc = tfl_ledger_open(&c->ledger, c->cfg.ledger,
		    (cmd->needs & NEED_LEDGER_RW) ? 0 : TFL_LEDGER_RDONLY,
		    &c->err);
		if (rc != 0)
			return rc;
		/* Officers at once: time entries once the lock is ours. */
		tfl_ledger_set_clock(c->ledger, wall_clock, NULL);
		tfl_ledger_set_threads(c->ledger, (unsigned)c->cfg.threads);
		/* An audit's scratch file (tfl_ledger_set_scratch). */
		tmpdir = getenv("TMPDIR");
		if (tmpdir != NULL && tmpdir[0] != '\0')
			tfl_ledger_set_scratch(c->ledger, tmpdir, 0);
	}
	/*
	 * 0, not the 1 of STYLE.md: glibc re-reads the option string (and
	 * forgets the global parse's leading '+') only when optind is 0.
	 */
	optind = 0;
	return cmd->fn(c, argc, argv);
}

/* Global options; returns the index of the command word, or -1. */
static int
parse_globals(struct cli *c, int argc, char **argv, const char **config,
    const char **ledger)
{
	static const struct option opts[] = {
		{ "ledger", required_argument, NULL, 'L' },
		{ "config", required_argument, NULL, 'c' },
		{ "passphrase-file", required_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "+L:c:qh", opts, NULL)) != -1) {
		switch (ch) {
		case 'L':
			*ledger = optarg;
			break;
		case 'c':
			*config = optarg;
			break;
		case 'P':
			c->passphrase_file = optarg;
			break;
		case 'q':
			c->quiet = 1;
			break;
		case 'h':
			return -2;
		case 'V':
			return -3;
		default:
			return -1;
		}
	}
	return optind;
}

int
cli_main(const char *prog, const struct command *table, size_t n, int argc,
    char **argv)
{
	const char *config = NULL, *ledger = NULL;
	const struct command *cmd = NULL;
	struct cli c;
	int rc = 0, at;

	memset(&c, 0, sizeof(c));
	c.prog = prog;
	opterr = 0; /* cli_bad_option says it, in one line */
	tfl_config_init(&c.cfg);
	at = parse_globals(&c, argc, argv, &config, &ledger);
	if (at == -2 || at == -3) {
		at == -2 ? help(prog, table, n) : version(prog);
		return fflush(stdout) == 0 ? 0 : 3;
	}
	if (at < 0)
		rc = cli_bad_option(&c, NULL, argv);
	else if (at >= argc)
		rc = cli_usage(&c, "no command given; see %s --help", prog);
	if (rc == 0)
		rc = load_config(&c, config);
	if (rc == 0 && ledger != NULL)
		snprintf(c.cfg.ledger, sizeof(c.cfg.ledger), "%s", ledger);
	if (rc == 0 && (cmd = find_command(&c, table, n, argv[at])) == NULL)
		rc = TFL_EINVAL;
	if (rc == 0)
		rc = run_command(&c, cmd, argc - at, argv + at);
	tfl_ledger_close(c.ledger);
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		rc = tfl_err_set(&c.err, TFL_EIO, "writing to stdout failed");
	if (rc != 0)
		fprintf(stderr, "%s: %s\n", prog, c.err.msg[0] != '\0' ?
		    c.err.msg : tfl_strerror(rc));
	return tfl_exit_code(rc);
}

int
cli_append(struct cli *c, const char *keypath, tfl_entry *const *drafts,
    size_t n)
{
	tfl_key *key = NULL;
	uint64_t seq;
	int rc;

	rc = cli_load_key(c, &key, keypath, c->cfg.key, "-k/--key");
	/* Also for commands that open the ledger themselves (key). */
	tfl_ledger_set_clock(c->ledger, wall_clock, NULL);
	if (rc == 0)
		rc = tfl_ledger_append(&seq, c->ledger, key, drafts, n,
		    (int64_t)time(NULL), &c->err);
	tfl_key_free(key);
	if (rc == 0)
		rc = cli_printf("%llu\n", (unsigned long long)seq);
	return rc;
}

void
cli_group(char *buf, size_t size, uint64_t n)
{
	char digits[24];
	size_t len, i, o = 0;

	len = (size_t)snprintf(digits, sizeof(digits), "%llu",
	    (unsigned long long)n);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

int
cli_colour(FILE *f)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc != NULL && *nc != '\0')
		return 0;
	if (term != NULL && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fileno(f));
}

const char *
cli_sgr(int on, const char *sgr)
{
	return on ? sgr : "";
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
cli_progress_begin(struct cli_progress *p, const struct cli *c,
    const char *what)
{
	memset(p, 0, sizeof(*p));
	p->what = what;
	p->on = !c->quiet && isatty(STDERR_FILENO);
	p->start = seconds();
}

/* "1:05" or "1:02:05". */
static void
clock_text(char *buf, size_t size, double secs)
{
	unsigned long s = secs > 0 && secs < 1e7 ? (unsigned long)secs : 0;

	if (s >= 3600)
		snprintf(buf, size, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60,
		    s % 60);
	else
		snprintf(buf, size, "%lu:%02lu", s / 60, s % 60);
}

/* The bar's width: what the terminal leaves beside the figures. */
static int
bar_width(void)
{
	struct winsize ws;
	int cols = 80;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		cols = ws.ws_col;
	cols -= 60;
	return cols < 10 ? 10 : cols > 40 ? 40 : cols;
}

void
cli_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct cli_progress *p = ctx;
	char bar[48], d[32], t[32], rate[40] = "", left[40] = "", tl[24];
	double now, el, per;
	int w, fill, i;

	if (p == NULL || !p->on || total == 0)
		return;
	now = seconds();
	if (done < total && now - p->last < 0.1)
		return;
	p->last = now;
	el = now - p->start;
	w = bar_width();
	fill = (int)((double)w * (double)done / (double)total);
	for (i = 0; i < w; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[w] = '\0';
	cli_group(d, sizeof(d), done);
	cli_group(t, sizeof(t), total);
	if (el >= 0.5 && done > 0) {
		per = (double)done / el;
		cli_group(tl, sizeof(tl), (uint64_t)per);
		snprintf(rate, sizeof(rate), "  %s/s", tl);
		clock_text(tl, sizeof(tl), (double)(total - done) / per);
		snprintf(left, sizeof(left), "  %s left", tl);
	}
	fprintf(stderr, "\r%s [%s] %s/%s%s%s\033[K", p->what, bar, d, t, rate,
	    left);
	fflush(stderr);
	p->drawn = 1;
}

void
cli_progress_end(struct cli_progress *p)
{
	if (p->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	p->drawn = 0;
}

void
cli_local_time(char *buf, size_t size, const char *text)
{
	int64_t t;
	time_t tt;
	struct tm tm;

	if (text == NULL || tfl_time_parse(&t, text, NULL) != 0) {
		snprintf(buf, size, "%s", text != NULL ? text : "");
		return;
	}
	tt = (time_t)t;
	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%dT%H:%M:%S%z", &tm) == 0)
		snprintf(buf, size, "%s", text);
}
