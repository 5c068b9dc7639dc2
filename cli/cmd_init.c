/*
 * cmd_init.c - tfledger init: create a ledger and its genesis entry.
 */
#include <getopt.h>
#include <string.h>
#include <time.h>

#include "cmds.h"

int
cmd_init(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "origin", required_argument, NULL, 'o' },
		{ "fund-name", required_argument, NULL, 'f' },
		{ "currency", required_argument, NULL, 'C' },
		{ "key", required_argument, NULL, 'k' },
		{ "log-key", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	tfl_genesis g = { NULL, NULL, NULL, NULL };
	const char *keypath = NULL, *logkey = NULL;
	tfl_verifier logv;
	tfl_ledger *l = NULL;
	tfl_key *admin = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': g.origin = optarg; break;
		case 'f': g.fund = optarg; break;
		case 'C': g.currency = optarg; break;
		case 'k': keypath = optarg; break;
		case 'l': logkey = optarg; break;
		default: return cli_bad_option(c, "init", argv);
		}
	}
	if ((rc = cli_require(c, g.origin, "--origin")) != 0 ||
	    (rc = cli_require(c, g.fund, "--fund-name")) != 0 ||
	    (rc = cli_require(c, g.currency, "--currency")) != 0 ||
	    (rc = cli_require(c, c->cfg.ledger[0] ? c->cfg.ledger : NULL,
	    "-L/--ledger")) != 0)
		return rc;
	if (logkey != NULL) {
		if ((rc = tfl_verifier_parse(&logv, logkey, strlen(logkey),
		    &c->err)) != 0)
			return tfl_err_prefix(&c->err, "--log-key");
		g.log_key = &logv;
	}
	if ((rc = cli_load_key(c, &admin, keypath, c->cfg.key,
	    "-k/--key")) != 0)
		return rc;
	rc = tfl_ledger_create(&l, c->cfg.ledger, &g, admin,
	    (int64_t)time(NULL), &c->err);
	tfl_key_free(admin);
	tfl_ledger_close(l);
	if (rc == 0)
		rc = cli_printf("0\n");
	return rc;
}
