/*
 * cmd_grantee.c - tfledger grantee add: record (or correct) an NGO.
 */
#include <string.h>

#include "cmds.h"

int
cmd_grantee(struct cli *c, int argc, char **argv)
{
	static const struct record_opt opts[] = {
		{ "id", "id", REC_REQUIRED, NULL },
		{ "name", "name", REC_REQUIRED, NULL },
		{ "country", "country", REC_REQUIRED, NULL },
		{ "partner-ref", "partner-ref", 0, NULL },
		{ NULL, NULL, 0, NULL },
	};

	if (argc < 2 || strcmp(argv[1], "add") != 0)
		return cli_usage(c, "grantee: expected \"grantee add\"");
	return cli_record(c, argc - 1, argv + 1, TFL_ENTRY_GRANTEE, opts, NULL);
}
