/*
 * cmd_verify_statement.c - tfaudit verify-statement FILE --log-key VKEY
 * [--signer VKEY]: a donor's check of a JSON statement, with no ledger.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"

static int
report(const tfl_statement_check *r, const tfl_verifier *signer)
{
	char root[2 * TFL_HASH_SIZE + 1];
	size_t i;

	for (i = 0; i < TFL_HASH_SIZE; i++)
		snprintf(root + 2 * i, 3, "%02x", r->root[i]);
	return cli_printf("ok: statement %s of donor %s: %zu entries in the "
	    "checkpoint of size %llu, root %s; %s%s\n", r->number, r->donor,
	    r->nentries, (unsigned long long)r->size, root,
	    signer != NULL ? "signed by " : r->has_signature ?
	    "its signature not checked (no --signer)" : "not signed",
	    signer != NULL ? signer->name : "");
}

int
cmd_verify_statement(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "log-key", required_argument, NULL, 'l' },
		{ "signer", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *log = NULL, *signer = NULL;
	tfl_verifier lv, sv;
	tfl_statement_check r;
	char *data = NULL;
	size_t len;
	int ch, rc = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts,
	    NULL)) != -1) {
		if (ch == 'l')
			log = optarg;
		else if (ch == 's')
			signer = optarg;
		else
			rc = cli_bad_option(c, "verify-statement", argv);
	}
	if (rc == 0 && optind + 1 != argc)
		rc = cli_usage(c, "verify-statement: give one FILE");
	if (rc == 0)
		rc = cli_require(c, log, "--log-key");
	if (rc == 0 && log != NULL)
		rc = tfl_verifier_parse(&lv, log, strlen(log), &c->err);
	if (rc == 0 && signer != NULL)
		rc = tfl_verifier_parse(&sv, signer, strlen(signer), &c->err);
	if (rc == 0)
		rc = cli_read_file(c, &data, &len, argv[optind]);
	if (rc == 0)
		rc = tfl_statement_verify(&r, data, len, &lv, signer != NULL ?
		    &sv : NULL, &c->err);
	if (rc == 0)
		rc = report(&r, signer != NULL ? &sv : NULL);
	free(data);
	return rc;
}
