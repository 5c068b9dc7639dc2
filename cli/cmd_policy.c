/*
 * cmd_policy.c - tfledger policy set: the approval threshold and the
 * PSC rate, from this entry on.
 */
#include <string.h>

#include "cmds.h"

int
cmd_policy(struct cli *c, int argc, char **argv)
{
	static const struct record_opt opts[] = {
		{ "approval-threshold", "approval-threshold",
		  REC_REQUIRED | REC_BASE, NULL },
		{ "psc-rate", "psc-rate", REC_REQUIRED, NULL },
		{ NULL, NULL, 0, NULL },
	};

	if (argc < 2 || strcmp(argv[1], "set") != 0)
		return cli_usage(c, "policy: expected \"policy set\"");
	return cli_record(c, argc - 1, argv + 1, TFL_ENTRY_POLICY, opts,
	    NULL);
}
