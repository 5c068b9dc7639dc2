/*
 * cmd_psc.c - tfledger psc [--date DATE]: charge the programme support
 * cost due on expenditure so far, computed by the ledger in the same
 * transaction that records it.
 */
#include <getopt.h>
#include <time.h>

#include "cmds.h"

struct psc_ctx {
	const char *date;
};

static int
build(void *ctx, tfl_kv *state, tfl_draft **out, size_t *n, tfl_err *err)
{
	struct psc_ctx *p = ctx;
	int rc;

	rc = tfl_fund_psc_due(out, n, state, p->date, err);
	if (rc == 0 && *n == 0)
		rc = tfl_err_set(err, TFL_ERULE, "no PSC is due");
	return rc;
}

int
cmd_psc(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	const char *keypath = NULL;
	struct psc_ctx p = { NULL };
	char today[16];
	tfl_key *key = NULL;
	uint64_t seq;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
		if (ch == 'd')
			p.date = optarg;
		else if (ch == 'k')
			keypath = optarg;
		else
			return cli_bad_option(c, "psc", argv);
	}
	if (p.date == NULL) {
		tfl_date_format(today, (int64_t)time(NULL) / 86400);
		p.date = today;
	}
	if ((rc = cli_load_key(c, &key, keypath, c->cfg.key, "-k/--key")) != 0)
		return rc;
	rc = tfl_ledger_append_built(&seq, c->ledger, key, build, &p,
	    (int64_t)time(NULL), &c->err);
	tfl_key_free(key);
	return rc == 0 ? cli_printf("%llu\n", (unsigned long long)seq) : rc;
}
