/*
 * cmd_report.c - tfaudit report [--from DATE --to DATE] --format
 * text|json|csv|pdf [--out FILE]: the fund report for a period, drawn
 * from a full audit.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmds.h"

struct args {
	tfl_fundreport_opts o;
	const char *format, *out;
};

static int
parse(struct cli *c, struct args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'F' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, rc = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts,
	    NULL)) != -1) {
		if (ch == 'f')
			rc = tfl_date_parse(&a->o.from, optarg, &c->err);
		else if (ch == 't')
			rc = tfl_date_parse(&a->o.to, optarg, &c->err);
		else if (ch == 'F')
			a->format = optarg;
		else if (ch == 'o')
			a->out = optarg;
		else
			rc = cli_bad_option(c, "report", argv);
	}
	if (rc == 0 && optind < argc)
		rc = cli_usage(c, "report: unexpected argument \"%s\"",
		    argv[optind]);
	if (rc == 0)
		rc = cli_require(c, a->format, "--format");
	return rc;
}

/*
 * Render into memory first, so that a failure leaves no file behind
 * (cairo writes a PDF as it goes).
 */
static int
to_file(struct cli *c, const char *path, const tfl_fundreport *r,
    int format)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return tfl_err_set(&c->err, TFL_ENOMEM, "out of memory");
	rc = tfl_fundreport_write(f, r, format, &c->err);
	if (fclose(f) != 0 && rc == 0)
		rc = tfl_err_set(&c->err, TFL_ENOMEM, "out of memory");
	if (rc == 0)
		rc = cli_write_file(c, path, buf, len);
	free(buf);
	return rc;
}

int
cmd_report(struct cli *c, int argc, char **argv)
{
	struct args a = { TFL_FUNDREPORT_OPTS_INIT, NULL, NULL };
	tfl_fundreport *r = NULL;
	int rc, format;

	if ((rc = parse(c, &a, argc, argv)) != 0)
		return rc;
	if ((format = tfl_fundreport_format_find(a.format)) < 0)
		return cli_usage(c, "--format \"%s\": must be text, json, csv "
		    "or pdf", a.format);
	if (format == TFL_FUNDREPORT_PDF && a.out == NULL)
		return cli_usage(c, "--format pdf: give the file with --out "
		    "FILE");
	if ((rc = tfl_fundreport_build(&r, c->ledger, &a.o, &c->err)) == 0)
		rc = a.out != NULL ? to_file(c, a.out, r, format) :
		    tfl_fundreport_write(stdout, r, format, &c->err);
	tfl_fundreport_free(r);
	return rc;
}
