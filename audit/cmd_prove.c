/*
 * cmd_prove.c - tfaudit prove SEQ: the inclusion proof of one entry in a
 * checkpoint's tree, checked before it is printed.
 */
#include <getopt.h>
#include <stdlib.h>

#include "cmds.h"
#include "proofjson.h"

/* The proof file of docs/AUDIT.md: everything verify-proof needs. */
static json_t *
proof_json(const tfl_inclusion *p)
{
	json_t *j = json_object();

	json_object_set_new(j, "seq", json_integer((json_int_t)p->seq));
	json_object_set_new(j, "tree_size",
	    json_integer((json_int_t)p->size));
	json_object_set_new(j, "leaf_hash", pj_hash(p->leaf));
	json_object_set_new(j, "root", pj_hash(p->root));
	json_object_set_new(j, "proof",
	    pj_path((const uint8_t(*)[TFL_HASH_SIZE])p->path, p->len));
	json_object_set_new(j, "checkpoint",
	    json_stringn(p->checkpoint, p->checkpoint_len));
	json_object_set_new(j, "note", json_stringn(p->note, p->note_len));
	return j;
}

static int
print_text(const tfl_inclusion *p)
{
	int rc;

	if ((rc = cli_printf("seq: %llu\ntree-size: %llu\n",
	    (unsigned long long)p->seq, (unsigned long long)p->size)) != 0 ||
	    (rc = pj_print_hash("leaf-hash", p->leaf)) != 0 ||
	    (rc = pj_print_hash("root", p->root)) != 0)
		return rc;
	return pj_print_path((const uint8_t(*)[TFL_HASH_SIZE])p->path,
	    p->len);
}

int
cmd_prove(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "checkpoint", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	tfl_checks checks = { .n = 0 };
	tfl_inclusion p = { .note = NULL };
	char *cp = NULL;
	size_t cplen = 0;
	uint64_t seq = 0;
	int ch, rc = 0, json = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts,
	    NULL)) != -1) {
		if (ch == 'c' && cp == NULL)
			rc = cli_read_file(c, &cp, &cplen, optarg);
		else if (ch == 'j')
			json = 1;
		else
			rc = cli_bad_option(c, "prove", argv);
	}
	if (rc == 0 && optind != argc - 1)
		rc = cli_usage(c, "prove: give one SEQ; see --help");
	if (rc == 0)
		rc = cli_parse_seq(c, &seq, argv[optind], "SEQ");
	if (rc != 0)
		goto out;
	rc = tfl_proof_entry(&p, &checks, c->ledger, seq, cp, cplen, &c->err);
	if (rc == 0)
		rc = json ? cli_print_json(proof_json(&p)) : print_text(&p);
	else if (json)
		rc = pj_print(pj_result(c, rc, &checks), rc);
out:
	tfl_inclusion_release(&p);
	free(cp);
	return rc;
}
