/*
 * cmd_export.c - tfaudit export --format hledger|csv|json|iati
 * [--out FILE] [--iati-org ID] [--iati-activity ID]: the verified books
 * for accounting tools, or the fund's aid flows for IATI.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cmds.h"

/*
 * Export into memory first, so that a ledger that does not verify
 * leaves no file behind (the export holds its postings in memory
 * anyway).
 */
static int
to_file(struct cli *c, const char *path, int format,
    const tfl_export_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return tfl_err_set(&c->err, TFL_ENOMEM, "out of memory");
	rc = tfl_export_write_ext(f, c->ledger, format, o, &c->err);
	if (fclose(f) != 0 && rc == 0)
		rc = tfl_err_set(&c->err, TFL_ENOMEM, "out of memory");
	if (rc == 0)
		rc = cli_write_file(c, path, buf, len);
	free(buf);
	return rc;
}

/* The IATI identifiers: the option, else the config's, else default. */
static void
iati_ids(tfl_export_opts *o, const struct cli *c, const char *org,
    const char *activity)
{
	o->iati_org = org != NULL ? org : c->cfg.iati_org[0] != '\0' ?
	    c->cfg.iati_org : NULL;
	o->iati_activity = activity != NULL ? activity :
	    c->cfg.iati_activity[0] != '\0' ? c->cfg.iati_activity : NULL;
	o->now = (int64_t)time(NULL);
}

int
cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "iati-org", required_argument, NULL, 'g' },
		{ "iati-activity", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL, *out = NULL, *org = NULL, *act = NULL;
	tfl_export_opts o = TFL_EXPORT_OPTS_INIT;
	int ch, rc = 0, format = -1;

	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts,
	    NULL)) != -1) {
		if (ch == 'f')
			name = optarg;
		else if (ch == 'o')
			out = optarg;
		else if (ch == 'g')
			org = optarg;
		else if (ch == 'a')
			act = optarg;
		else
			rc = cli_bad_option(c, "export", argv);
	}
	if (rc == 0 && optind < argc)
		rc = cli_usage(c, "export: unexpected argument \"%s\"",
		    argv[optind]);
	if (rc == 0)
		rc = cli_require(c, name, "--format");
	if (rc == 0 && (format = tfl_export_format_find(name)) < 0)
		rc = cli_usage(c, "--format \"%s\": must be hledger, csv, "
		    "json or iati", name);
	if (rc == 0 && format != TFL_EXPORT_IATI && (org != NULL ||
	    act != NULL))
		rc = cli_usage(c, "--iati-org and --iati-activity: only with "
		    "--format iati");
	if (rc != 0)
		return rc;
	iati_ids(&o, c, org, act);
	if (out != NULL)
		return to_file(c, out, format, &o);
	return tfl_export_write_ext(stdout, c->ledger, format, &o, &c->err);
}
