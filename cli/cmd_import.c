/*
 * cmd_import.c - tfledger import --type receipt|pledge|donor FILE.csv:
 * a bank's or a donor office's file, as one all-or-nothing command.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"

int
cmd_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	const char *type = NULL, *keypath = NULL;
	size_t len, added = 0, skipped = 0;
	struct cli_progress bar;
	tfl_key *key = NULL;
	char *data = NULL;
	int ch, rc, t;

	while ((ch = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
		if (ch == 't')
			type = optarg;
		else if (ch == 'k')
			keypath = optarg;
		else
			return cli_bad_option(c, "import", argv);
	}
	if ((rc = cli_require(c, type, "--type")) != 0)
		return rc;
	/* cli_require refused a NULL type; the analyzer cannot see it */
	/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
	t = strcmp(type, "receipt") == 0 ? TFL_ENTRY_RECEIPT :
	    strcmp(type, "pledge") == 0 ? TFL_ENTRY_PLEDGE :
	    strcmp(type, "donor") == 0 ? TFL_ENTRY_DONOR : -1;
	if (t < 0)
		return cli_usage(c, "--type \"%.20s\": receipt, pledge or donor",
		    type);
	if (optind + 1 != argc)
		return cli_usage(c, "import: expected one FILE.csv");
	if ((rc = cli_read_file(c, &data, &len, argv[optind])) != 0)
		return rc == TFL_ENOTFOUND ? (c->err.code = TFL_EINVAL) : rc;
	rc = cli_load_key(c, &key, keypath, c->cfg.key, "-k/--key");
	if (rc == 0) {
		cli_progress_begin(&bar, c, "importing");
		tfl_ledger_set_progress(c->ledger, cli_progress, &bar);
		rc = tfl_import_csv(&added, &skipped, c->ledger, key, t, data,
		    len, (int64_t)time(NULL), &c->err);
		tfl_ledger_set_progress(c->ledger, NULL, NULL);
		cli_progress_end(&bar);
	}
	tfl_key_free(key);
	free(data);
	if (rc != 0)
		return tfl_err_prefix(&c->err, "%s", argv[optind]);
	if (!c->quiet)
		fprintf(stderr, "%s: %zu rows appended, %zu already in the "
		    "ledger\n", c->prog, added, skipped);
	return 0;
}
