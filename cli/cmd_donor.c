/*
 * cmd_donor.c - tfledger donor add: record (or correct) a donor.
 */
#include <string.h>

#include "cmds.h"

int
cmd_donor(struct cli *c, int argc, char **argv)
{
	static const struct record_opt opts[] = {
		{ "id", "id", REC_REQUIRED, NULL },
		{ "name", "name", REC_REQUIRED, NULL },
		{ "kind", "kind", REC_REQUIRED, NULL },
		{ "country", "country", 0, NULL },
		{ "anonymous", "anonymous", REC_FLAG, NULL },
		{ NULL, NULL, 0, NULL },
	};

	if (argc < 2 || strcmp(argv[1], "add") != 0)
		return cli_usage(c, "donor: expected \"donor add\"");
	return cli_record(c, argc - 1, argv + 1, TFL_ENTRY_DONOR, opts, NULL);
}
