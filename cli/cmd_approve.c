/*
 * cmd_approve.c - tfledger approve SEQ: an approver's approval of an
 * entry awaiting it (dual control).
 */
#include "cmds.h"

int
cmd_approve(struct cli *c, int argc, char **argv)
{
	static const struct record_opt opts[] = {
		{ NULL, NULL, 0, NULL },
	};

	return cli_record(c, argc, argv, TFL_ENTRY_APPROVAL, opts, "approves");
}
