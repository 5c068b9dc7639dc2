/*
 * cmd_refund.c - tfledger refund: money returned to a donor, out of one
 * of its receipts.
 */
#include "cmds.h"

int
cmd_refund(struct cli *c, int argc, char **argv)
{
	static const struct record_opt opts[] = {
		{ "date", "date", 0, NULL },
		{ "donor", "donor", REC_REQUIRED, NULL },
		{ "ref", "ref", REC_REQUIRED, NULL },
		{ "amount", "amount", REC_REQUIRED, NULL },
		{ "currency", "currency", REC_REQUIRED, NULL },
		{ "rate", "rate", 0, NULL },
		{ "receipt", "receipt", REC_REQUIRED, NULL },
		{ "reason", "reason", 0, NULL },
		{ NULL, NULL, 0, NULL },
	};

	return cli_record(c, argc, argv, TFL_ENTRY_DONOR_REFUND, opts, NULL);
}
