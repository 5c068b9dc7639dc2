/*
 * cmd_show.c - tfledger show SEQ [--raw|--json]: one entry.
 */
#include <getopt.h>
#include <stdlib.h>

#include "cmds.h"

/* The entry as aligned "name: value" lines for a person. */
static int
print_human(json_t *j)
{
	static const char *const head[] = { "time", "type", "origin", "prev",
		"leaf_hash" };
	json_t *v, *sig;
	const char *k;
	char when[40];
	size_t i;
	int rc;

	rc = cli_printf("%-20s %lld\n", "seq",
	    (long long)json_integer_value(json_object_get(j, "seq")));
	cli_local_time(when, sizeof(when), json_string_value(
	    json_object_get(j, "time")));
	rc = rc != 0 ? rc : cli_printf("%-20s %s\n", "time", when);
	for (i = 1; rc == 0 && i < sizeof(head) / sizeof(head[0]); i++)
		rc = cli_printf("%-20s %s\n", head[i],
		    json_string_value(json_object_get(j, head[i])));
	json_object_foreach(json_object_get(j, "fields"), k, v)
		if (rc == 0)
			rc = cli_printf("%-20s %s\n", k, json_string_value(v));
	json_array_foreach(json_object_get(j, "signatures"), i, sig)
		if (rc == 0)
			rc = cli_printf("%-20s %s (key hash %s)\n", "signed by",
			    json_string_value(json_object_get(sig, "name")),
			    json_string_value(json_object_get(sig,
			    "key_hash")));
	json_decref(j);
	return rc;
}

int
cmd_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "raw", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, rc, raw = 0, json = 0;
	char *note = NULL;
	uint64_t seq;
	size_t len;
	json_t *j;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'r')
			raw = 1;
		else if (ch == 'j')
			json = 1;
		else
			return cli_bad_option(c, "show", argv);
	}
	if (optind + 1 != argc)
		return cli_usage(c, "show: expected one SEQ");
	if (raw && json)
		return cli_usage(c, "show: --raw and --json exclude each other");
	if ((rc = cli_parse_seq(c, &seq, argv[optind], "SEQ")) != 0 ||
	    (rc = tfl_ledger_entry(&note, &len, c->ledger, seq, &c->err)) != 0)
		return rc;
	if (raw) {
		if (fwrite(note, 1, len, stdout) != len)
			rc = TFL_EIO;
	} else if ((j = cli_entry_json(note, len, &c->err)) == NULL) {
		rc = TFL_EVERIFY;
	} else {
		rc = json ? cli_print_json(j) : print_human(j);
	}
	free(note);
	return rc;
}
