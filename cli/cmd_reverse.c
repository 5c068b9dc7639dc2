/*
 * cmd_reverse.c - tfledger reverse SEQ --reason TEXT: cancel an entry
 * by its exact negation, once approved.
 */
#include "cmds.h"

int
cmd_reverse(struct cli *c, int argc, char **argv)
{
	static const struct record_opt opts[] = {
		{ "date", "date", 0, NULL },
		{ "reason", "reason", REC_REQUIRED, NULL },
		{ NULL, NULL, 0, NULL },
	};

	return cli_record(c, argc, argv, TFL_ENTRY_REVERSAL, opts, "reverses");
}
