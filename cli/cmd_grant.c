/*
 * cmd_grant.c - tfledger grant award|disburse|expenditure|refund|
 * deobligate: the life of a grant to an NGO.
 */
#include <string.h>

#include "cmds.h"

static const struct record_opt award[] = {
	{ "date", "date", 0, NULL },
	{ "id", "id", REC_REQUIRED, NULL },
	{ "grantee", "grantee", REC_REQUIRED, NULL },
	{ "country", "country", 0, NULL },
	{ "cycle", "cycle", 0, NULL },
	{ "purpose", "purposes", 0, NULL },
	{ "start", "start", REC_REQUIRED, NULL },
	{ "end", "end", REC_REQUIRED, NULL },
	{ "amount", "amount", REC_REQUIRED | REC_BASE, NULL },
	{ "earmark", "earmark", 0, NULL },
	{ "decision", "decision", 0, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct record_opt disburse[] = {
	{ "date", "date", 0, NULL },
	{ "id", "grant", REC_REQUIRED, NULL },
	{ "ref", "ref", REC_REQUIRED, NULL },
	{ "amount", "amount", REC_REQUIRED | REC_BASE, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct record_opt expenditure[] = {
	{ "date", "date", 0, NULL },
	{ "id", "grant", REC_REQUIRED, NULL },
	{ "ref", "ref", 0, NULL },
	{ "amount", "amount", REC_REQUIRED | REC_BASE, NULL },
	{ "women", "women", 0, "0" },
	{ "girls", "girls", 0, "0" },
	{ "men", "men", 0, "0" },
	{ "boys", "boys", 0, "0" },
	{ "sexual", "sexual", 0, "0" },
	{ "labour", "labour", 0, "0" },
	{ "other-form", "other-form", 0, "0" },
	{ "services", "services", 0, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct record_opt refund[] = {
	{ "date", "date", 0, NULL },
	{ "id", "grant", REC_REQUIRED, NULL },
	{ "ref", "ref", REC_REQUIRED, NULL },
	{ "amount", "amount", REC_REQUIRED | REC_BASE, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct record_opt deobligate[] = {
	{ "date", "date", 0, NULL },
	{ "id", "grant", REC_REQUIRED, NULL },
	{ "amount", "amount", REC_REQUIRED | REC_BASE, NULL },
	{ "reason", "reason", 0, NULL },
	{ NULL, NULL, 0, NULL },
};

int
cmd_grant(struct cli *c, int argc, char **argv)
{
	static const struct {
		const char *verb;
		int type;
		const struct record_opt *opts;
	} verbs[] = {
		{ "award", TFL_ENTRY_GRANT, award },
		{ "deobligate", TFL_ENTRY_DEOBLIGATION, deobligate },
		{ "disburse", TFL_ENTRY_DISBURSEMENT, disburse },
		{ "expenditure", TFL_ENTRY_EXPENDITURE, expenditure },
		{ "refund", TFL_ENTRY_GRANTEE_REFUND, refund },
	};
	size_t i;

	for (i = 0; argc >= 2 && i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].verb, argv[1]) == 0)
			return cli_record(c, argc - 1, argv + 1, verbs[i].type,
			    verbs[i].opts, NULL);
	return cli_usage(c, "grant: expected award, disburse, expenditure, "
	    "refund or deobligate");
}
