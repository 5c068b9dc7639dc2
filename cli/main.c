/*
 * main.c - tfledger, the fund officers' tool: the command table.
 */
#include "cmds.h"

/* clang-format off */
static const struct command commands[] = {
	{ "approve", cmd_approve, NEED_LEDGER_RW,
	  "approve an entry awaiting approval (another key than its signer's)",
	  "usage: tfledger approve SEQ -k APPROVERKEY\n"
	  "Grant awards, disbursements above the policy threshold and "
	  "reversals take\neffect only once a different approver key "
	  "approves them (see `pending`).\n"
	  "example: tfledger -L /srv/unvtf approve 42 -k approver.key\n" },
	{ "backup", cmd_backup, NEED_LEDGER_RO,
	  "write a consistent copy of the ledger while officers work on",
	  "usage: tfledger backup --out DIR\n"
	  "Copies what is committed when it starts, compacted, into DIR, "
	  "which must not\nexist or be empty; writers are not blocked.  The "
	  "copy (mode 0600) is itself a\nledger: check it with tfaudit -L DIR "
	  "verify.  README.md says how to restore.\n"
	  "example: tfledger -L /srv/unvtf backup --out "
	  "/backup/unvtf-2026-11-28\n" },
	{ "balance", cmd_balance, NEED_LEDGER_RO,
	  "the fund's position, a donor's or a grant's",
	  "usage: tfledger balance [--donor ID|--grant GID] [--as-of DATE] "
	  "[--json]\n"
	  "Cash, receivable, committed, advances, expenditure, PSC and "
	  "available\n(cash less committed), for the fund and each earmark; "
	  "--as-of counts\nwhat is dated on or before DATE.  --json gives "
	  "decimal strings in the\nbase currency.\n"
	  "example: tfledger -L /srv/unvtf balance --as-of 2026-06-30 "
	  "--json\n" },
	{ "checkpoint", cmd_checkpoint, NEED_LEDGER_RW,
	  "sign, store and print a checkpoint of the ledger's tree",
	  "usage: tfledger checkpoint [-k LOGKEY] [--out FILE]\n"
	  "Signs a C2SP checkpoint (origin, size, root) with the log key,\n"
	  "stores it in the ledger and prints it.\n"
	  "example: tfledger -L /srv/unvtf checkpoint -k log.key "
	  "--out cp-2026-11-28.txt\n" },
	{ "donor", cmd_donor, NEED_LEDGER_RW,
	  "record a donor (or correct its details)",
	  "usage: tfledger donor add --id ID --name NAME --kind KIND "
	  "[--country CC] [--anonymous] -k KEY\n"
	  "KIND: government, intergovernmental, private, foundation, "
	  "individual, other.\n"
	  "example: tfledger -L /srv/unvtf donor add --id NOR --name "
	  "Norway --kind government --country NO -k recorder.key\n" },
	{ "grant", cmd_grant, NEED_LEDGER_RW,
	  "award, disburse, report spending, refund or deobligate a grant",
	  "usage: tfledger grant award --id GID --grantee ID --amount DEC "
	  "--start DATE --end DATE\n"
	  "         [--purpose LIST] [--cycle C] [--earmark TAG] "
	  "[--country CC] [--decision REF]\n"
	  "       tfledger grant disburse --id GID --amount DEC --ref REF\n"
	  "       tfledger grant expenditure --id GID --amount DEC [--ref REF]"
	  " [--women N]\n"
	  "         [--girls N] [--men N] [--boys N] [--sexual N] "
	  "[--labour N] [--other-form N]\n"
	  "         [--services shelter:N,medical:N,...]\n"
	  "       tfledger grant refund --id GID --amount DEC --ref REF\n"
	  "       tfledger grant deobligate --id GID --amount DEC "
	  "[--reason TEXT]\n"
	  "Every verb takes [--date DATE] (default today) and -k KEY.  "
	  "Amounts are in the\nbase currency.  Awards and large tranches "
	  "need an approval.\n"
	  "example: tfledger -L /srv/unvtf grant award --id G-2026-07 "
	  "--grantee ngo-1 --amount 20000 --start 2026-07-01 "
	  "--end 2027-03-31 --purpose shelter,medical -k recorder.key\n" },
	{ "grantee", cmd_grantee, NEED_LEDGER_RW,
	  "record an NGO that receives grants",
	  "usage: tfledger grantee add --id ID --name NAME --country CC "
	  "[--partner-ref REF] -k KEY\n"
	  "example: tfledger -L /srv/unvtf grantee add --id ngo-1 --name "
	  "\"Safe Haven\" --country NG -k recorder.key\n" },
	{ "ids", cmd_ids, NEED_LEDGER_RO,
	  "the donor, grantee, grant or pledge ids on record, one a line",
	  "usage: tfledger ids --donors|--grantees|--grants|--pledges\n"
	  "Prints each id once, in the order it was first recorded (pledges: "
	  "those in\neffect), for scripts and shell completion.\n"
	  "example: tfledger -L /srv/unvtf ids --donors\n" },
	{ "import", cmd_import, NEED_LEDGER_RW,
	  "import receipts, pledges or donors from a CSV file (all or none)",
	  "usage: tfledger import --type receipt|pledge|donor FILE.csv "
	  "-k KEY\n"
	  "The header row names the columns, in any order:\n"
	  "  receipt: date, donor, amount, currency, reference; optional "
	  "rate (needed\n           when currency is not the base), pledge, "
	  "earmark\n"
	  "  pledge:  date, donor, amount, currency, reference; optional "
	  "rate, earmark, due\n"
	  "  donor:   id, name, kind; optional country, anonymous (yes/no)\n"
	  "One transaction: any bad row is reported with its line and "
	  "column and nothing\nis appended.  Rows already in the ledger are "
	  "skipped, so importing a file\nagain appends nothing.\n"
	  "example: tfledger -L /srv/unvtf import --type receipt "
	  "bank-2026-06.csv -k recorder.key\n" },
	{ "init", cmd_init, NEED_NOTHING,
	  "create a ledger and its genesis entry",
	  "usage: tfledger init --origin ORIGIN --fund-name NAME "
	  "--currency CODE -k ADMINKEY [--log-key VKEY]\n"
	  "Creates the ledger directory given by -L and signs its genesis "
	  "entry\nwith the admin key.  The log key (which signs checkpoints) "
	  "defaults to\nthe admin key.\n"
	  "example: tfledger -L /srv/unvtf init --origin unodc.org/unvtf "
	  "--fund-name \"UN Trust Fund\" --currency USD -k admin.key\n" },
	{ "interest", cmd_interest, NEED_LEDGER_RW,
	  "record interest earned (unearmarked income)",
	  "usage: tfledger interest --amount DEC --ref REF [--date DATE] "
	  "-k KEY\n"
	  "example: tfledger -L /srv/unvtf interest --amount 312.40 --ref "
	  "INT-2026-06 -k recorder.key\n" },
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
	{ "pending", cmd_pending, NEED_LEDGER_RO,
	  "entries awaiting approval",
	  "usage: tfledger pending [--json]\n"
	  "example: tfledger -L /srv/unvtf pending\n" },
	{ "period", cmd_period, NEED_LEDGER_RW,
	  "close a period: nothing may be dated on or before DATE again",
	  "usage: tfledger period close --date DATE -k ADMINKEY\n"
	  "example: tfledger -L /srv/unvtf period close --date 2026-06-30 "
	  "-k admin.key\n" },
	{ "pledge", cmd_pledge, NEED_LEDGER_RW,
	  "record a signed contribution agreement, or write part of it down",
	  "usage: tfledger pledge --donor ID --amount DEC --currency CUR "
	  "[--rate R] [--earmark TAG]\n"
	  "         [--due DATE] --ref REF [--date DATE] -k KEY\n"
	  "       tfledger pledge writedown --pledge REF --amount DEC "
	  "--reason TEXT [--date DATE] -k KEY\n"
	  "The rate is units of CUR per one unit of the base currency (UN "
	  "operational\nrate); required unless CUR is the base currency.  "
	  "A write-down's amount is in\nthe pledge's currency.\n"
	  "example: tfledger -L /srv/unvtf pledge --donor DEU --amount "
	  "100000 --currency EUR --rate 0.926 --ref DEU-2026-1 "
	  "-k recorder.key\n" },
	{ "policy", cmd_policy, NEED_LEDGER_RW,
	  "set the approval threshold and the PSC rate",
	  "usage: tfledger policy set --approval-threshold DEC --psc-rate "
	  "PCT -k ADMINKEY\n"
	  "Defaults: 10000 in the base currency and 13 (percent).  Charge "
	  "the PSC due\n(`psc`) before changing its rate.\n"
	  "example: tfledger -L /srv/unvtf policy set --approval-threshold "
	  "5000 --psc-rate 13 -k admin.key\n" },
	{ "psc", cmd_psc, NEED_LEDGER_RW,
	  "charge the programme support cost due on expenditure",
	  "usage: tfledger psc [--date DATE] -k KEY\n"
	  "The ledger computes the PSC due per earmark as the policy rate "
	  "of cumulative\nexpenditure less what was charged, and records it.\n"
	  "example: tfledger -L /srv/unvtf psc -k recorder.key\n" },
	{ "receipt", cmd_receipt, NEED_LEDGER_RW,
	  "record money received from a donor",
	  "usage: tfledger receipt --donor ID --amount DEC --currency CUR "
	  "[--rate R] [--pledge REF]\n"
	  "         [--earmark TAG] --ref BANKREF [--date DATE] -k KEY\n"
	  "A second receipt with the same donor and bank reference is "
	  "refused.\n"
	  "example: tfledger -L /srv/unvtf receipt --donor DEU --amount "
	  "50000 --currency EUR --rate 0.93 --pledge DEU-2026-1 --ref "
	  "BNK-88121 -k recorder.key\n" },
	{ "refund", cmd_refund, NEED_LEDGER_RW,
	  "record money returned to a donor from one of its receipts",
	  "usage: tfledger refund --donor ID --receipt BANKREF --amount DEC "
	  "--currency CUR [--rate R]\n"
	  "         --ref REF [--reason TEXT] [--date DATE] -k KEY\n"
	  "example: tfledger -L /srv/unvtf refund --donor DEU --receipt "
	  "BNK-88121 --amount 1000 --currency EUR --rate 0.93 --ref RF-1 "
	  "-k recorder.key\n" },
	{ "reverse", cmd_reverse, NEED_LEDGER_RW,
	  "cancel an entry by its exact negation (once approved)",
	  "usage: tfledger reverse SEQ --reason TEXT [--date DATE] -k KEY\n"
	  "Money entries can be reversed once; master data is corrected by a "
	  "new entry,\nan award by deobligating it.\n"
	  "example: tfledger -L /srv/unvtf reverse 57 --reason \"wrong "
	  "amount\" -k recorder.key\n" },
	{ "show", cmd_show, NEED_LEDGER_RO,
	  "show one entry",
	  "usage: tfledger show SEQ [--raw|--json]\n"
	  "--raw prints the entry's exact stored signed-note bytes.\n"
	  "example: tfledger -L /srv/unvtf show 42 --raw\n" },
	{ "status", cmd_status, NEED_LEDGER_RO,
	  "one screen: size, checkpoint, approvals, money, pledges past due",
	  "usage: tfledger status [--json]\n"
	  "The ledger's origin and size, its latest checkpoint and the "
	  "entries since,\nentries awaiting approval, the last closed "
	  "period, the fund's cash,\ncommitments and available balance, "
	  "pledges past their due date, and\nwarnings: no checkpoint, or "
	  "entries uncovered for 7 days; approvals or\npledges waiting.  "
	  "--json is documented in tfledger(1).\n"
	  "example: tfledger -L /srv/unvtf status\n" },
};
/* clang-format on */

int
main(int argc, char **argv)
{
	return cli_main("tfledger", commands,
	    sizeof(commands) / sizeof(commands[0]), argc, argv);
}
