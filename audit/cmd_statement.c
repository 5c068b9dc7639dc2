/*
 * cmd_statement.c - tfaudit statement --donor ID [--from DATE --to DATE]
 * --format text|csv|json|pdf [--out FILE] [--sign-key FILE]
 * [--audited FILE]: a donor's statement, drawn from the latest
 * checkpoint after a full audit, or from the checkpoint FILE that a
 * passing audit covered.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"

struct args {
	tfl_statement_opts o;
	const char *format, *out, *sign_key;
	char *audited;
};

static int
parse(struct cli *c, struct args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "donor", required_argument, NULL, 'd' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'F' },
		{ "out", required_argument, NULL, 'o' },
		{ "sign-key", required_argument, NULL, 'k' },
		{ "audited", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, rc = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts,
	    NULL)) != -1) {
		if (ch == 'd')
			a->o.donor = optarg;
		else if (ch == 'f')
			rc = tfl_date_parse(&a->o.from, optarg, &c->err);
		else if (ch == 't')
			rc = tfl_date_parse(&a->o.to, optarg, &c->err);
		else if (ch == 'F')
			a->format = optarg;
		else if (ch == 'o')
			a->out = optarg;
		else if (ch == 'k')
			a->sign_key = optarg;
		else if (ch == 'a' && a->audited == NULL)
			rc = cli_read_file(c, &a->audited, &a->o.audited_len,
			    optarg);
		else
			rc = cli_bad_option(c, "statement", argv);
	}
	if (rc == 0 && optind < argc)
		rc = cli_usage(c, "statement: unexpected argument \"%s\"",
		    argv[optind]);
	if (rc == 0)
		rc = cli_require(c, a->o.donor, "--donor");
	if (rc == 0)
		rc = cli_require(c, a->format, "--format");
	return rc;
}

/* Write s to path, removed again if writing fails. */
static int
to_file(struct cli *c, const char *path, const tfl_statement *s, int format,
    const tfl_key *key)
{
	FILE *f;
	int rc;

	if ((f = fopen(path, "w")) == NULL)
		return tfl_err_set(&c->err, TFL_EIO, "%s: %s", path,
		    strerror(errno));
	rc = tfl_statement_write(f, s, format, key, &c->err);
	if (fclose(f) != 0 && rc == 0)
		rc = tfl_err_set(&c->err, TFL_EIO, "%s: %s", path,
		    strerror(errno));
	if (rc != 0)
		unlink(path);
	return rc;
}

static int
statement(struct cli *c, const struct args *a)
{
	tfl_statement *s = NULL;
	tfl_key *key = NULL;
	int rc, format;

	if ((format = tfl_statement_format_find(a->format)) < 0)
		return cli_usage(c, "--format \"%s\": must be text, csv, json "
		    "or pdf", a->format);
	if (format == TFL_STATEMENT_PDF && a->out == NULL)
		return cli_usage(c, "--format pdf: give the file with --out "
		    "FILE");
	if (a->sign_key != NULL && format != TFL_STATEMENT_JSON)
		return cli_usage(c, "--sign-key: only the json format is "
		    "signed");
	if (a->sign_key != NULL &&
	    (rc = cli_load_key(c, &key, a->sign_key, NULL, "--sign-key")) != 0)
		return rc;
	rc = tfl_statement_build(&s, c->ledger, &a->o, &c->err);
	if (rc == 0 && s->ledger_size > s->size && !c->quiet)
		fprintf(stderr, "%s: note: the %s checkpoint covers %llu of "
		    "%llu entries; the statement shows those only (%s)\n",
		    c->prog, a->audited != NULL ? "audited" : "latest",
		    (unsigned long long)s->size,
		    (unsigned long long)s->ledger_size, a->audited != NULL ?
		    "audit the rest, then give its checkpoint" :
		    "run `tfledger checkpoint` to include the rest");
	if (rc == 0)
		rc = a->out != NULL ? to_file(c, a->out, s, format, key) :
		    tfl_statement_write(stdout, s, format, key, &c->err);
	tfl_statement_free(s);
	tfl_key_free(key);
	return rc;
}

int
cmd_statement(struct cli *c, int argc, char **argv)
{
	struct args a = { TFL_STATEMENT_OPTS_INIT, NULL, NULL, NULL, NULL };
	int rc;

	if ((rc = parse(c, &a, argc, argv)) == 0) {
		a.o.audited = a.audited;
		rc = statement(c, &a);
	}
	free(a.audited);
	return rc;
}
