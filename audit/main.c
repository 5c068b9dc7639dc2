/*
 * main.c - tfaudit, the auditors' and donors' tool: the command table.
 */
#include "cmds.h"

/* clang-format off */
static const struct command commands[] = {
	{ "verify", cmd_verify, NEED_LEDGER_RO,
	  "re-check every entry, signature, link and checkpoint",
	  "usage: tfaudit verify [--checkpoint FILE] [--trust VKEY]... "
	  "[--json]\n"
	  "Re-checks every entry (canonical encoding, signature by a key "
	  "enrolled\nwith the right role at that seq, seq and prev links, "
	  "fund rules) and the\nMerkle root against every stored checkpoint "
	  "and against FILE, a checkpoint\nthe auditor kept.  --trust pins "
	  "the genesis admin key.  Exit 0 when all\nholds, 1 naming the "
	  "first failing seq.\n"
	  "example: tfaudit -L /srv/unvtf-copy verify --checkpoint "
	  "cp-2026-11-28.txt\n" },
};
/* clang-format on */

int
main(int argc, char **argv)
{
	return cli_main("tfaudit", commands,
	    sizeof(commands) / sizeof(commands[0]), argc, argv);
}
