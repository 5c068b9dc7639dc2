/*
 * cmd_verify_proof.c - tfaudit verify-proof FILE --log-key VKEY: check a
 * proof file of `tfaudit prove --json` with no ledger at hand.
 *
 * Whatever is wrong with the file is a verification failure (exit 1): a
 * file that does not parse proves nothing.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "proofjson.h"

static int
get_u64(struct cli *c, uint64_t *out, json_t *j, const char *key)
{
	json_t *v = json_object_get(j, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return tfl_err_set(&c->err, TFL_EVERIFY, "proof file: \"%s\" "
		    "is missing or not a number", key);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int
get_hash(struct cli *c, uint8_t out[TFL_HASH_SIZE], json_t *v,
    const char *what)
{
	if (!json_is_string(v) || pj_unhex(out, json_string_value(v)) != 0)
		return tfl_err_set(&c->err, TFL_EVERIFY, "proof file: %s is "
		    "not 64 lowercase hex digits", what);
	return 0;
}

/* A copy of string member key (freed by the caller). */
static int
get_text(struct cli *c, char **out, size_t *len, json_t *j, const char *key)
{
	json_t *v = json_object_get(j, key);

	if (!json_is_string(v))
		return tfl_err_set(&c->err, TFL_EVERIFY, "proof file: \"%s\" "
		    "is missing or not a string", key);
	*len = json_string_length(v);
	if ((*out = malloc(*len + 1)) == NULL)
		return tfl_err_set(&c->err, TFL_ENOMEM, "out of memory");
	memcpy(*out, json_string_value(v), *len + 1);
	return 0;
}

static int
get_path(struct cli *c, tfl_inclusion *p, json_t *a)
{
	size_t i;
	int rc = 0;

	if (!json_is_array(a) || json_array_size(a) > TFL_MERKLE_MAX_PROOF)
		return tfl_err_set(&c->err, TFL_EVERIFY, "proof file: "
		    "\"proof\" is not an array of at most %d hashes",
		    TFL_MERKLE_MAX_PROOF);
	for (i = 0; rc == 0 && i < json_array_size(a); i++)
		rc = get_hash(c, p->path[i], json_array_get(a, i),
		    "a \"proof\" hash");
	p->len = i;
	return rc;
}

static int
read_fields(struct cli *c, tfl_inclusion *p, json_t *j)
{
	int rc;

	if (!json_is_object(j))
		return tfl_err_set(&c->err, TFL_EVERIFY, "proof file: not a "
		    "JSON object");
	if ((rc = get_u64(c, &p->seq, j, "seq")) != 0 ||
	    (rc = get_u64(c, &p->size, j, "tree_size")) != 0 ||
	    (rc = get_hash(c, p->leaf, json_object_get(j, "leaf_hash"),
	    "\"leaf_hash\"")) != 0 ||
	    (rc = get_hash(c, p->root, json_object_get(j, "root"),
	    "\"root\"")) != 0 ||
	    (rc = get_path(c, p, json_object_get(j, "proof"))) != 0 ||
	    (rc = get_text(c, &p->checkpoint, &p->checkpoint_len, j,
	    "checkpoint")) != 0)
		return rc;
	return get_text(c, &p->note, &p->note_len, j, "note");
}

/* The pieces of the proof file data[0..len) into p. */
static int
read_proof(struct cli *c, tfl_inclusion *p, const char *data, size_t len)
{
	json_error_t jerr;
	json_t *j = json_loadb(data, len, 0, &jerr);
	int rc;

	if (j == NULL)
		return tfl_err_set(&c->err, TFL_EVERIFY, "proof file: line %d: "
		    "%s", jerr.line, jerr.text);
	rc = read_fields(c, p, j);
	json_decref(j);
	return rc;
}

/* The first check: the file itself. */
static void
file_check(tfl_checks *cs, int rc, const tfl_err *err)
{
	tfl_check *k = &cs->c[cs->n++];

	k->name = "file";
	k->ok = rc == 0;
	snprintf(k->detail, sizeof(k->detail), "%s", rc == 0 ?
	    "a proof file with every field" : err->msg);
}

static int
report(struct cli *c, int rc, const tfl_inclusion *p,
    const tfl_verifier *lk, const tfl_checks *checks, int json)
{
	json_t *j;

	if (!json)
		return rc != 0 ? rc : cli_printf("ok: seq %llu is in the tree "
		    "of size %llu signed by %s\n", (unsigned long long)p->seq,
		    (unsigned long long)p->size, lk->name);
	j = pj_result(c, rc, checks);
	if (checks->n > 0 && checks->c[0].ok) {
		json_object_set_new(j, "seq", json_integer((json_int_t)p->seq));
		json_object_set_new(j, "tree_size",
		    json_integer((json_int_t)p->size));
	}
	return pj_print(j, rc);
}

int
cmd_verify_proof(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "log-key", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	tfl_checks checks = { .n = 0 };
	tfl_inclusion p = { .note = NULL };
	const char *vkey = NULL;
	tfl_verifier lk;
	char *data = NULL;
	size_t len = 0;
	int ch, rc = 0, json = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts,
	    NULL)) != -1) {
		if (ch == 'k')
			vkey = optarg;
		else if (ch == 'j')
			json = 1;
		else
			rc = cli_bad_option(c, "verify-proof", argv);
	}
	if (rc == 0 && optind != argc - 1)
		rc = cli_usage(c, "verify-proof: give one FILE; see --help");
	if (rc == 0 && (rc = cli_require(c, vkey, "--log-key")) == 0)
		/* cli_require refused a NULL vkey; the analyzer cannot see it */
		/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
		rc = tfl_verifier_parse(&lk, vkey, strlen(vkey), &c->err);
	if (rc == 0)
		rc = cli_read_file(c, &data, &len, argv[optind]);
	if (rc != 0)
		goto out;
	rc = read_proof(c, &p, data, len);
	file_check(&checks, rc, &c->err);
	if (rc == 0)
		rc = tfl_proof_verify_inclusion(&checks, &p, &lk, &c->err);
	rc = report(c, rc, &p, &lk, &checks, json);
out:
	free(p.note);
	free(p.checkpoint);
	free(data);
	return rc;
}
