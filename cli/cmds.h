/*
 * cmds.h - the commands of tfledger, one file each.
 */
#ifndef TFLEDGER_CLI_CMDS_H
#define TFLEDGER_CLI_CMDS_H

#include "common.h"

/* How cli_record maps one option to an entry field. */
struct record_opt {
	const char *opt;   /* long option, without "--" */
	const char *field; /* entry field */
	unsigned flags;
	const char *def;   /* value when the option is not given, or NULL */
};

/* clang-format off */
#define REC_REQUIRED	0x1	/* the option must be given */
#define REC_FLAG	0x2	/* no value: the field is "yes", else "no" */
#define REC_BASE	0x8	/* an amount in the ledger's base currency */
#define REC_PLEDGE	0x10	/* an amount in the currency of --pledge */
/* clang-format on */

/*
 * Parse argv per opts (plus -k/--key), build an entry of type, append it
 * and print its seq.  With positional (a field name), exactly one
 * argument after the options sets that field.  Amounts are normalised, base-amount and rate are
 * filled in from --amount, --currency and --rate, and a missing date is
 * today's.  Returns 0 or a status with c->err set.
 */
int cli_record(struct cli *c, int argc, char **argv, int type,
    const struct record_opt *opts, const char *positional);

int cmd_approve(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_balance(struct cli *c, int argc, char **argv);
int cmd_checkpoint(struct cli *c, int argc, char **argv);
int cmd_donor(struct cli *c, int argc, char **argv);
int cmd_grant(struct cli *c, int argc, char **argv);
int cmd_grantee(struct cli *c, int argc, char **argv);
int cmd_ids(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_interest(struct cli *c, int argc, char **argv);
int cmd_key(struct cli *c, int argc, char **argv);
int cmd_log(struct cli *c, int argc, char **argv);
int cmd_pending(struct cli *c, int argc, char **argv);
int cmd_period(struct cli *c, int argc, char **argv);
int cmd_pledge(struct cli *c, int argc, char **argv);
int cmd_policy(struct cli *c, int argc, char **argv);
int cmd_psc(struct cli *c, int argc, char **argv);
int cmd_receipt(struct cli *c, int argc, char **argv);
int cmd_refund(struct cli *c, int argc, char **argv);
int cmd_reverse(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_status(struct cli *c, int argc, char **argv);

#endif
