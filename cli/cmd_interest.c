/*
 * cmd_interest.c - tfledger interest: interest earned on the fund's cash.
 */
#include "cmds.h"

int
cmd_interest(struct cli *c, int argc, char **argv)
{
	static const struct record_opt opts[] = {
		{ "date", "date", 0, NULL },
		{ "ref", "ref", REC_REQUIRED, NULL },
		{ "amount", "amount", REC_REQUIRED | REC_BASE, NULL },
		{ NULL, NULL, 0, NULL },
	};

	return cli_record(c, argc, argv, TFL_ENTRY_INTEREST, opts, NULL);
}
