/*
 * main.c - tfaudit, the auditors' and donors' tool: the command table.
 */
#include "cmds.h"

/* clang-format off */
static const struct command commands[] = {
	{ "consistency", cmd_consistency, NEED_LEDGER_RO,
	  "prove that the ledger extends a checkpoint kept from before",
	  "usage: tfaudit consistency --old FILE [--new FILE] [--json]\n"
	  "Proves from the stored tree that the tree of checkpoint --new "
	  "(default:\nthe latest stored) extends the tree of --old, a "
	  "checkpoint kept from\nbefore (RFC 9162 consistency proof), and "
	  "checks it: both signed by the\nlog key, the new one this "
	  "ledger's.  Prints the sizes, roots and proof\nhashes.  Exit 0 "
	  "when the tree extends the old one, 1 when it does not\n"
	  "(rewritten, forked, truncated or rolled back).\n"
	  "example: tfaudit -L /srv/unvtf-copy consistency --old "
	  "cp-2026-11-28.txt\n" },
	{ "export", cmd_export, NEED_LEDGER_RO,
	  "the verified books as an hledger journal, CSV, JSON or IATI XML",
	  "usage: tfaudit export --format hledger|csv|json|iati [--out FILE]"
	  "\n         [--iati-org ID] [--iati-activity ID]\n"
	  "Verifies the whole ledger, then writes one transaction per entry "
	  "that\nmoved money, by value date then seq, in the base currency "
	  "(foreign money\nat its original amount @@ its cost): an hledger "
	  "1.25 / ledger 3.3 journal\nthat passes `hledger check -s` and "
	  "`ledger --pedantic`, one CSV row per\nposting, or a JSON array.  "
	  "iati writes an IATI 2.03 activity file of the\nfund's pledges, "
	  "receipts, awards, tranches and spending (docs/IATI.md);\n"
	  "--iati-org and --iati-activity override the config's iati_org "
	  "and\niati_activity (default XM-DAC-41128, XM-DAC-41128-UNVTF).  "
	  "To stdout\nunless --out FILE.  Nothing is written if the ledger "
	  "does not verify\n(exit 1).\n"
	  "example: tfaudit -L /srv/unvtf-copy export --format hledger "
	  "--out unvtf-2026.journal\n" },
	{ "prove", cmd_prove, NEED_LEDGER_RO,
	  "the inclusion proof of one entry in a checkpoint's tree",
	  "usage: tfaudit prove SEQ [--checkpoint FILE] [--json]\n"
	  "Prints the RFC 9162 inclusion proof of entry SEQ in the tree of "
	  "checkpoint\nFILE (default: the latest stored): leaf hash, tree "
	  "size, root and proof\nhashes, verified before they are printed.  "
	  "--json writes the proof file\nfor `tfaudit verify-proof`, with "
	  "the entry's and the checkpoint's notes.\n"
	  "example: tfaudit -L /srv/unvtf-copy prove 4711 --json "
	  ">proof-4711.json\n" },
	{ "report", cmd_report, NEED_LEDGER_RO,
	  "the fund report for a period (text, json, csv, pdf with charts)",
	  "usage: tfaudit report [--from DATE] [--to DATE] --format "
	  "text|json|csv|pdf\n         [--out FILE]\n"
	  "Audits the whole ledger, then reports the period (value dates; "
	  "default:\nthe whole ledger): contributions by donor (anonymous "
	  "donors together,\nnever named) and by kind of donor; grants by "
	  "country, purpose and cycle;\nexpenditure and PSC; the fund "
	  "balance, opening to closing, committed and\navailable; people "
	  "assisted by sex, age group, form of exploitation and\nservice.  "
	  "To stdout unless --out FILE; pdf (A4, with charts) needs --out.\n"
	  "example: tfaudit -L /srv/unvtf-copy report --from 2026-01-01 "
	  "--to 2026-12-31\n         --format pdf --out unvtf-2026.pdf\n" },
	{ "statement", cmd_statement, NEED_LEDGER_RO,
	  "a donor's statement with the proofs to check it (text, csv, json, "
	  "pdf)",
	  "usage: tfaudit statement --donor ID [--from DATE] [--to DATE]\n"
	  "         --format text|csv|json|pdf [--out FILE] [--sign-key "
	  "FILE]\n         [--audited FILE]\n"
	  "Audits the ledger, then draws donor ID's statement from the latest "
	  "checkpoint\n(entries after it are left out: run `tfledger "
	  "checkpoint` first): its\npledges, receipts, refunds and "
	  "write-downs; how its money was used; the\nfund's figures and the "
	  "results for the period (default: the whole ledger).\nThe json form "
	  "carries the signed checkpoint and every entry it relies on\nwith "
	  "its inclusion proof; --sign-key signs it (docs/STATEMENT.md).  "
	  "pdf (A4,\nwith charts, no proof) needs --out.  --audited FILE: "
	  "draw at checkpoint FILE,\nwhich a passing audit of this copy "
	  "covered, without auditing again\n(for many statements after one "
	  "audit; it reads only the donor's entries).\n"
	  "example: tfaudit -L /srv/unvtf-copy statement --donor DEU --from "
	  "2026-01-01\n         --to 2026-06-30 --format json --out "
	  "DEU-2026H1.json --sign-key auditor.key\n" },
	{ "verify", cmd_verify, NEED_LEDGER_RO,
	  "re-check every entry, signature, link and checkpoint",
	  "usage: tfaudit verify [--checkpoint FILE] [--since FILE] "
	  "[--trust VKEY]... [--json]\n"
	  "Re-checks every entry (canonical encoding, signature by a key "
	  "enrolled\nwith the right role at that seq, seq and prev links, "
	  "fund rules) and the\nMerkle root against every stored checkpoint "
	  "and against FILE, a checkpoint\nthe auditor kept.  --trust pins "
	  "the genesis admin key.  Exit 0 when all\nholds, 1 naming the "
	  "first failing seq.\n"
	  "--since FILE, a checkpoint trusted from an earlier audit, makes "
	  "the\naudit incremental: the ledger must extend it, and only the "
	  "entries after\nit have their signatures checked "
	  "(docs/AUDIT.md).\n"
	  "example: tfaudit -L /srv/unvtf-copy verify --checkpoint "
	  "cp-2026-11-28.txt\n" },
	{ "verify-proof", cmd_verify_proof, NEED_NOTHING,
	  "check a proof file without the ledger",
	  "usage: tfaudit verify-proof FILE --log-key VKEY [--json]\n"
	  "Checks a proof file of `tfaudit prove --json` with no ledger at "
	  "hand: its\ncheckpoint is signed by VKEY, the leaf hash is its "
	  "entry note's, and the\nproof leads from that leaf to the "
	  "checkpoint's root.  Exit 0 when all\nholds, 1 naming the check "
	  "that fails.\n"
	  "example: tfaudit verify-proof proof-4711.json --log-key "
	  "\"$(cat log.vk)\"\n" },
	{ "verify-statement", cmd_verify_statement, NEED_NOTHING,
	  "check a json statement with the fund's log key alone",
	  "usage: tfaudit verify-statement FILE --log-key VKEY [--signer "
	  "VKEY]\n"
	  "Needs no ledger: checks the checkpoint's signature by VKEY, each "
	  "entry's\nsignature and inclusion proof, that every figure of the "
	  "contributions\nsection equals what its entries give, and with "
	  "--signer the statement's\nown signature.  Exit 0, or 1 naming what "
	  "failed.\n"
	  "example: tfaudit verify-statement DEU-2026H1.json --log-key "
	  "\"$(cat unvtf-log.vk)\"\n" },
};
/* clang-format on */

int
main(int argc, char **argv)
{
	return cli_main("tfaudit", commands,
	    sizeof(commands) / sizeof(commands[0]), argc, argv);
}
