/*
 * cmd_pending.c - tfledger pending [--json]: entries awaiting approval.
 */
#include <getopt.h>
#include <stdlib.h>

#include "cmds.h"

struct pend {
	struct cli *c;
	json_t *arr;
	uint64_t seqs[4096];
	size_t n;
};

static int
collect(void *ctx, uint64_t seq)
{
	struct pend *p = ctx;

	if (p->n < sizeof(p->seqs) / sizeof(p->seqs[0]))
		p->seqs[p->n++] = seq;
	return 0;
}

static int
read_pending(void *ctx, tfl_kv *state, tfl_err *err)
{
	return tfl_fund_pending_foreach(state, collect, ctx, err);
}

/* One pending entry: a line for a person, or an object. */
static int
show(struct pend *p, uint64_t seq)
{
	char *note = NULL, *fields;
	json_t *j, *sig;
	size_t len;
	int rc;

	if ((rc = tfl_ledger_entry(&note, &len, p->c->ledger, seq,
	    &p->c->err)) != 0)
		return rc;
	j = cli_entry_json(note, len, &p->c->err);
	free(note);
	if (j == NULL)
		return TFL_EVERIFY;
	if (p->arr != NULL)
		return json_array_append_new(p->arr, j) == 0 ? 0 : TFL_ENOMEM;
	sig = json_array_get(json_object_get(j, "signatures"), 0);
	fields = json_dumps(json_object_get(j, "fields"), JSON_COMPACT);
	rc = cli_printf("%-6llu %-13s %-20s %s\n", (unsigned long long)seq,
	    json_string_value(json_object_get(j, "type")),
	    json_string_value(json_object_get(sig, "name")),
	    fields != NULL ? fields : "");
	free(fields);
	json_decref(j);
	return rc;
}

int
cmd_pending(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct pend *p;
	size_t i;
	int ch, rc = 0;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return tfl_err_set(&c->err, TFL_ENOMEM, "out of memory");
	p->c = c;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'j' && p->arr == NULL)
			p->arr = json_array();
		else if (ch != 'j')
			rc = cli_bad_option(c, "pending", argv);
	}
	if (rc != 0) {
		json_decref(p->arr);
		free(p);
		return rc;
	}
	rc = tfl_ledger_read(c->ledger, read_pending, p, &c->err);
	for (i = 0; rc == 0 && i < p->n; i++)
		rc = show(p, p->seqs[i]);
	if (rc == 0 && p->arr != NULL)
		rc = cli_print_json(p->arr);
	else
		json_decref(p->arr);
	free(p);
	return rc;
}
