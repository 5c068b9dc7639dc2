/*
 * cmd_checkpoint.c - tfledger checkpoint: sign, store and print a
 * checkpoint of the current tree.
 */
#include <getopt.h>
#include <stdlib.h>

#include "cmds.h"

int
cmd_checkpoint(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *keypath = NULL, *out = NULL;
	tfl_key *key = NULL;
	char *note = NULL;
	size_t len = 0;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "k:o:", opts, NULL)) != -1) {
		if (ch == 'k')
			keypath = optarg;
		else if (ch == 'o')
			out = optarg;
		else
			return cli_bad_option(c, "checkpoint", argv);
	}
	rc = cli_load_key(c, &key, keypath,
	    c->cfg.log_key[0] ? c->cfg.log_key : c->cfg.key, "-k/--key");
	if (rc == 0)
		rc = tfl_ledger_checkpoint(&note, &len, c->ledger, key,
		    &c->err);
	tfl_key_free(key);
	if (rc == 0 && out != NULL)
		rc = cli_write_file(c, out, note, len);
	if (rc == 0 && fwrite(note, 1, len, stdout) != len)
		rc = TFL_EIO;
	free(note);
	return rc;
}
