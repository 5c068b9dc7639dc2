/*
 * cmd_consistency.c - tfaudit consistency --old FILE: does the ledger's
 * tree extend a checkpoint kept from before?  The RFC 9162 consistency
 * proof between two checkpoints, checked before it is printed.
 */
#include <getopt.h>
#include <stdlib.h>

#include "cmds.h"
#include "proofjson.h"

static int
print_text(const tfl_consistency *p)
{
	int rc;

	if ((rc = cli_printf("old-size: %llu\n",
	    (unsigned long long)p->old_size)) != 0 ||
	    (rc = pj_print_hash("old-root", p->old_root)) != 0 ||
	    (rc = cli_printf("new-size: %llu\n",
	    (unsigned long long)p->new_size)) != 0 ||
	    (rc = pj_print_hash("new-root", p->new_root)) != 0 ||
	    (rc = pj_print_path((const uint8_t(*)[TFL_HASH_SIZE])p->path,
	    p->len)) != 0)
		return rc;
	return cli_printf("ok: the tree of size %llu extends the tree of "
	    "size %llu\n", (unsigned long long)p->new_size,
	    (unsigned long long)p->old_size);
}

static int
print_json(struct cli *c, int rc, const tfl_consistency *p,
    const tfl_checks *checks)
{
	json_t *j = pj_result(c, rc, checks);

	if (rc != 0)
		return pj_print(j, rc);
	json_object_set_new(j, "old_size", json_integer((json_int_t)
	    p->old_size));
	json_object_set_new(j, "new_size", json_integer((json_int_t)
	    p->new_size));
	json_object_set_new(j, "old_root", pj_hash(p->old_root));
	json_object_set_new(j, "new_root", pj_hash(p->new_root));
	json_object_set_new(j, "proof",
	    pj_path((const uint8_t(*)[TFL_HASH_SIZE])p->path, p->len));
	json_object_set_new(j, "old_checkpoint", json_stringn(p->old_cp,
	    p->old_cp_len));
	json_object_set_new(j, "new_checkpoint", json_stringn(p->new_cp,
	    p->new_cp_len));
	return pj_print(j, rc);
}

int
cmd_consistency(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "old", required_argument, NULL, 'o' },
		{ "new", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	tfl_checks checks = { .n = 0 };
	tfl_consistency p = { .old_cp = NULL };
	char *old = NULL, *new_cp = NULL;
	size_t oldlen = 0, newlen = 0;
	int ch, rc = 0, json = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts,
	    NULL)) != -1) {
		if (ch == 'o' && old == NULL)
			rc = cli_read_file(c, &old, &oldlen, optarg);
		else if (ch == 'n' && new_cp == NULL)
			rc = cli_read_file(c, &new_cp, &newlen, optarg);
		else if (ch == 'j')
			json = 1;
		else
			rc = cli_bad_option(c, "consistency", argv);
	}
	if (rc == 0 && optind != argc)
		rc = cli_usage(c, "consistency: unexpected argument \"%.40s\"",
		    argv[optind]);
	if (rc == 0 && old == NULL)
		rc = cli_require(c, NULL, "--old");
	if (rc != 0)
		goto out;
	rc = tfl_proof_checkpoints(&p, &checks, c->ledger, old, oldlen,
	    new_cp, newlen, &c->err);
	if (json)
		rc = print_json(c, rc, &p, &checks);
	else if (rc == 0)
		rc = print_text(&p);
out:
	tfl_consistency_release(&p);
	free(old);
	free(new_cp);
	return rc;
}
