/*
 * cmd_period.c - tfledger period close --date DATE: no later entry may
 * be dated on or before DATE.
 */
#include <string.h>

#include "cmds.h"

int
cmd_period(struct cli *c, int argc, char **argv)
{
	static const struct record_opt opts[] = {
		{ "date", "date", REC_REQUIRED, NULL },
		{ NULL, NULL, 0, NULL },
	};

	if (argc < 2 || strcmp(argv[1], "close") != 0)
		return cli_usage(c, "period: expected \"period close\"");
	return cli_record(c, argc - 1, argv + 1, TFL_ENTRY_PERIOD_CLOSE, opts,
	    NULL);
}
