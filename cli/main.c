/*
 * main.c - tfledger, the fund officers' tool: the command table.
 */
#include "cmds.h"

/* clang-format off */
static const struct command commands[] = {
	{ "checkpoint", cmd_checkpoint, NEED_LEDGER_RW,
	  "sign, store and print a checkpoint of the ledger's tree",
	  "usage: tfledger checkpoint [-k LOGKEY] [--out FILE]\n"
	  "Signs a C2SP checkpoint (origin, size, root) with the log key,\n"
	  "stores it in the ledger and prints it.\n"
	  "example: tfledger -L /srv/unvtf checkpoint -k log.key "
	  "--out cp-2026-11-28.txt\n" },
	{ "init", cmd_init, NEED_NOTHING,
	  "create a ledger and its genesis entry",
	  "usage: tfledger init --origin ORIGIN --fund-name NAME "
	  "--currency CODE -k ADMINKEY [--log-key VKEY]\n"
	  "Creates the ledger directory given by -L and signs its genesis "
	  "entry\nwith the admin key.  The log key (which signs checkpoints) "
	  "defaults to\nthe admin key.\n"
	  "example: tfledger -L /srv/unvtf init --origin unodc.org/unvtf "
	  "--fund-name \"UN Trust Fund\" --currency USD -k admin.key\n" },
	{ "key", cmd_key, NEED_NOTHING,
	  "generate, enrol, revoke and list signing keys",
	  "usage: tfledger key generate --name NAME --out FILE\n"
	  "       tfledger key enroll --verifier VKEY --role "
	  "admin|approver|recorder -k ADMINKEY\n"
	  "       tfledger key revoke --name NAME [--reason TEXT] "
	  "-k ADMINKEY\n"
	  "       tfledger key list [--json]\n"
	  "generate writes an encrypted key file (mode 0600) and prints its "
	  "verifier key\nas the last line; the passphrase comes from "
	  "--passphrase-file,\n$TFLEDGER_PASSPHRASE or a prompt.\n"
	  "example: tfledger key generate --name recorder.unvtf "
	  "--out recorder.key\n" },
	{ "log", cmd_log, NEED_LEDGER_RO,
	  "list the entries, one a line",
	  "usage: tfledger log [--from SEQ] [--limit N] [--json]\n"
	  "example: tfledger -L /srv/unvtf log --from 100 --limit 20\n" },
	{ "show", cmd_show, NEED_LEDGER_RO,
	  "show one entry",
	  "usage: tfledger show SEQ [--raw|--json]\n"
	  "--raw prints the entry's exact stored signed-note bytes.\n"
	  "example: tfledger -L /srv/unvtf show 42 --raw\n" },
};
/* clang-format on */

int
main(int argc, char **argv)
{
	return cli_main("tfledger", commands,
	    sizeof(commands) / sizeof(commands[0]), argc, argv);
}
