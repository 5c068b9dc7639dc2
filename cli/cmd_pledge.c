/*
 * cmd_pledge.c - tfledger pledge: a signed contribution agreement;
 * tfledger pledge writedown: the part of a pledge that will not come.
 */
#include <string.h>

#include "cmds.h"

int
cmd_pledge(struct cli *c, int argc, char **argv)
{
	static const struct record_opt opts[] = {
		{ "date", "date", 0, NULL },
		{ "donor", "donor", REC_REQUIRED, NULL },
		{ "ref", "ref", REC_REQUIRED, NULL },
		{ "amount", "amount", REC_REQUIRED, NULL },
		{ "currency", "currency", REC_REQUIRED, NULL },
		{ "rate", "rate", 0, NULL },
		{ "earmark", "earmark", 0, NULL },
		{ "due", "due", 0, NULL },
		{ NULL, NULL, 0, NULL },
	};
	static const struct record_opt writedown[] = {
		{ "date", "date", 0, NULL },
		{ "pledge", "pledge", REC_REQUIRED, NULL },
		{ "amount", "amount", REC_REQUIRED | REC_PLEDGE, NULL },
		{ "reason", "reason", REC_REQUIRED, NULL },
		{ NULL, NULL, 0, NULL },
	};

	if (argc >= 2 && strcmp(argv[1], "writedown") == 0)
		return cli_record(c, argc - 1, argv + 1,
		    TFL_ENTRY_PLEDGE_WRITEDOWN, writedown, NULL);
	return cli_record(c, argc, argv, TFL_ENTRY_PLEDGE, opts, NULL);
}
