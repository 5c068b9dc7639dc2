/*
 * cmd_backup.c - tfledger backup --out DIR: a hot, consistent copy of the
 * ledger that tfaudit can verify and that can replace a lost ledger.
 */
#include <getopt.h>

#include "cmds.h"

int
cmd_backup(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (ch == 'o')
			out = optarg;
		else
			return cli_bad_option(c, "backup", argv);
	}
	if ((rc = cli_require(c, out, "--out")) != 0)
		return rc;
	if (optind != argc)
		return cli_usage(c, "backup: unexpected argument \"%.40s\"",
		    argv[optind]);
	if ((rc = tfl_ledger_backup(c->ledger, out, &c->err)) != 0)
		return rc;
	if (!c->quiet)
		fprintf(stderr, "%s: backup written to %s; check it with "
		    "tfaudit -L %s verify\n", c->prog, out, out);
	return 0;
}
