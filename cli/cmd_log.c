/*
 * cmd_log.c - tfledger log [--from SEQ] [--limit N] [--json]: the
 * entries, one line each (or a JSON array).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"

/* "seq  time  type  signer  field=value ..." */
static int
print_line(json_t *j)
{
	char fields[1024] = "", when[40];
	size_t len = 0;
	const char *k;
	json_t *v, *sig;

	json_object_foreach(json_object_get(j, "fields"), k, v) {
		if (len < sizeof(fields) - 1)
			len += (size_t)snprintf(fields + len,
			    sizeof(fields) - len, "%s%s=%s", len ? " " : "", k,
			    json_string_value(v));
	}
	if (len >= sizeof(fields))
		strcpy(fields + sizeof(fields) - 4, "...");
	sig = json_array_get(json_object_get(j, "signatures"), 0);
	cli_local_time(when, sizeof(when), json_string_value(
	    json_object_get(j, "time")));
	return cli_printf("%-6lld %s %-16s %-20s %s\n",
	    (long long)json_integer_value(json_object_get(j, "seq")), when,
	    json_string_value(json_object_get(j, "type")),
	    sig != NULL ? json_string_value(json_object_get(sig, "name")) :
	    "-", fields);
}

int
cmd_log(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "from", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t from = 0, limit = UINT64_MAX, seq;
	json_t *arr = NULL, *j;
	tfl_fund_info info;
	char *note;
	size_t len;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'j')
			arr = arr != NULL ? arr : json_array();
		else if (ch == 'f')
			rc = cli_parse_seq(c, &from, optarg, "--from");
		else if (ch == 'n')
			rc = cli_parse_seq(c, &limit, optarg, "--limit");
		else
			rc = cli_bad_option(c, "log", argv);
		if (ch != 'j' && rc != 0) {
			json_decref(arr);
			return rc;
		}
	}
	if ((rc = tfl_ledger_info(&info, c->ledger, &c->err)) != 0)
		return rc;
	for (seq = from; rc == 0 && seq < info.size && seq - from < limit;
	    seq++) {
		if ((rc = tfl_ledger_entry(&note, &len, c->ledger, seq,
		    &c->err)) != 0)
			break;
		j = cli_entry_json(note, len, &c->err);
		free(note);
		if (j == NULL)
			rc = tfl_err_prefix(&c->err, "seq %llu",
			    (unsigned long long)seq);
		else if (arr != NULL)
			json_array_append_new(arr, j);
		else {
			rc = print_line(j);
			json_decref(j);
		}
	}
	if (rc == 0 && arr != NULL)
		return cli_print_json(arr);
	json_decref(arr);
	return rc;
}
