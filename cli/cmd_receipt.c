/*
 * cmd_receipt.c - tfledger receipt: money received from a donor.
 */
#include "cmds.h"

int
cmd_receipt(struct cli *c, int argc, char **argv)
{
	static const struct record_opt opts[] = {
		{ "date", "date", 0, NULL },
		{ "donor", "donor", REC_REQUIRED, NULL },
		{ "ref", "ref", REC_REQUIRED, NULL },
		{ "amount", "amount", REC_REQUIRED, NULL },
		{ "currency", "currency", REC_REQUIRED, NULL },
		{ "rate", "rate", 0, NULL },
		{ "pledge", "pledge", 0, NULL },
		{ "earmark", "earmark", 0, NULL },
		{ NULL, NULL, 0, NULL },
	};

	return cli_record(c, argc, argv, TFL_ENTRY_RECEIPT, opts, NULL);
}
