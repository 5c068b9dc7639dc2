/*
 * cmd_verify.c - tfaudit verify: the full audit of a ledger.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"

#define MAX_TRUST 16

static void
progress(void *ctx, uint64_t done, uint64_t total)
{
	(void)ctx;
	if (done % 1000 == 0 || done == total)
		fprintf(stderr, "\rverified %llu of %llu entries",
		    (unsigned long long)done, (unsigned long long)total);
	if (done == total)
		fputc('\n', stderr);
}

static int
report(struct cli *c, int rc, const tfl_verify_report *r, int json)
{
	char root[2 * TFL_HASH_SIZE + 1];
	json_t *j;
	size_t i;

	for (i = 0; i < TFL_HASH_SIZE; i++)
		snprintf(root + 2 * i, 3, "%02x", r->root[i]);
	if (!json) {
		if (rc != 0)
			return rc;
		return cli_printf("ok: %llu entries, %llu checkpoints, "
		    "root %s\n", (unsigned long long)r->size,
		    (unsigned long long)r->checkpoints, root);
	}
	j = json_pack("{s:b}", "ok", rc == 0);
	if (rc == 0) {
		json_object_set_new(j, "size", json_integer((json_int_t)r->size));
		json_object_set_new(j, "checkpoints",
		    json_integer((json_int_t)r->checkpoints));
		json_object_set_new(j, "root", json_string(root));
	} else {
		json_object_set_new(j, "error", json_string(c->err.msg));
		if (r->bad_seq != UINT64_MAX)
			json_object_set_new(j, "seq",
			    json_integer((json_int_t)r->bad_seq));
	}
	if (cli_print_json(j) != 0)
		return TFL_EIO;
	return rc;
}

int
cmd_verify(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "checkpoint", required_argument, NULL, 'c' },
		{ "trust", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	tfl_verify_opts o = TFL_VERIFY_OPTS_INIT;
	tfl_verifier trust[MAX_TRUST];
	tfl_verify_report r;
	char *cp = NULL;
	int ch, rc = 0, json = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts,
	    NULL)) != -1) {
		if (ch == 'c' && cp == NULL)
			rc = cli_read_file(c, &cp, &o.checkpoint_len, optarg);
		else if (ch == 't' && o.ntrust < MAX_TRUST)
			rc = tfl_verifier_parse(&trust[o.ntrust++], optarg,
			    strlen(optarg), &c->err);
		else if (ch == 'j')
			json = 1;
		else
			rc = cli_usage(c, "verify: bad option; see --help");
	}
	if (rc == 0) {
		o.checkpoint = cp;
		o.trust = trust;
		if (!c->quiet && !json && isatty(STDERR_FILENO))
			o.progress = progress;
		rc = tfl_ledger_verify(&r, c->ledger, &o, &c->err);
		rc = report(c, rc, &r, json);
	}
	free(cp);
	return rc;
}
