/*
 * cmd_ids.c - tfledger ids --donors|--grantees|--grants|--pledges: the
 * ids on record, one a line, for scripts and shell completion.
 */
#include <getopt.h>

#include "cmds.h"

static int
print_id(void *ctx, const char *id)
{
	(void)ctx;
	return cli_printf("%s\n", id);
}

int
cmd_ids(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "donors", no_argument, NULL, TFL_ENTRY_DONOR },
		{ "grantees", no_argument, NULL, TFL_ENTRY_GRANTEE },
		{ "grants", no_argument, NULL, TFL_ENTRY_GRANT },
		{ "pledges", no_argument, NULL, TFL_ENTRY_PLEDGE },
		{ NULL, 0, NULL, 0 },
	};
	int ch, type = -1;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == '?' || type >= 0)
			return cli_usage(c, "ids: give one of --donors, "
			    "--grantees, --grants, --pledges");
		type = ch;
	}
	if (type < 0 || optind != argc)
		return cli_usage(c, "ids: give one of --donors, --grantees, "
		    "--grants, --pledges");
	return tfl_status_id_foreach(c->ledger, type, print_id, NULL,
	    &c->err);
}
