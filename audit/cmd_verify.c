/*
 * cmd_verify.c - tfaudit verify: the full audit of a ledger, or with
 * --since an incremental one from a checkpoint the auditor trusts.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "proofjson.h"

#define MAX_TRUST 16

static int
report(struct cli *c, int rc, const tfl_verify_report *r, int json)
{
	char root[HEX_SIZE];
	json_t *j;

	pj_hex(root, r->root);
	if (!json) {
		if (rc != 0)
			return rc;
		if (r->since > 0)
			return cli_printf("ok: %llu entries, %llu checkpoints, "
			    "root %s; entries below %llu trusted (--since, %s), "
			    "%llu signatures checked\n",
			    (unsigned long long)r->size,
			    (unsigned long long)r->checkpoints, root,
			    (unsigned long long)r->since, r->from > 0 ?
			    "not read: the fund state from its snapshot" :
			    "replayed: no snapshot of its fund state",
			    (unsigned long long)r->signatures);
		return cli_printf("ok: %llu entries, %llu checkpoints, "
		    "root %s\n", (unsigned long long)r->size,
		    (unsigned long long)r->checkpoints, root);
	}
	j = pj_result(c, rc, &r->checks);
	json_object_set_new(j, "since", json_integer((json_int_t)r->since));
	json_object_set_new(j, "from", json_integer((json_int_t)r->from));
	json_object_set_new(j, "signatures",
	    json_integer((json_int_t)r->signatures));
	if (rc == 0) {
		json_object_set_new(j, "size", json_integer((json_int_t)r->size));
		json_object_set_new(j, "checkpoints",
		    json_integer((json_int_t)r->checkpoints));
		json_object_set_new(j, "root", json_string(root));
	} else if (r->bad_seq != UINT64_MAX) {
		json_object_set_new(j, "seq",
		    json_integer((json_int_t)r->bad_seq));
	}
	return pj_print(j, rc);
}

int
cmd_verify(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "checkpoint", required_argument, NULL, 'c' },
		{ "trust", required_argument, NULL, 't' },
		{ "since", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	tfl_verify_opts o = TFL_VERIFY_OPTS_INIT;
	tfl_verifier trust[MAX_TRUST];
	tfl_verify_report r;
	struct cli_progress bar;
	char *cp = NULL, *since = NULL;
	int ch, rc = 0, json = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts,
	    NULL)) != -1) {
		if (ch == 'c' && cp == NULL)
			rc = cli_read_file(c, &cp, &o.checkpoint_len, optarg);
		else if (ch == 't' && o.ntrust < MAX_TRUST)
			rc = tfl_verifier_parse(&trust[o.ntrust++], optarg,
			    strlen(optarg), &c->err);
		else if (ch == 's' && since == NULL)
			rc = cli_read_file(c, &since, &o.since_len, optarg);
		else if (ch == 'j')
			json = 1;
		else
			rc = cli_bad_option(c, "verify", argv);
	}
	if (rc == 0) {
		o.checkpoint = cp;
		o.since = since;
		o.trust = trust;
		cli_progress_begin(&bar, c, "verifying");
		o.progress = cli_progress;
		o.progress_ctx = &bar;
		rc = tfl_ledger_verify(&r, c->ledger, &o, &c->err);
		cli_progress_end(&bar);
		rc = report(c, rc, &r, json);
	}
	free(cp);
	free(since);
	return rc;
}
