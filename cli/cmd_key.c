/*
 * cmd_key.c - tfledger key generate|enroll|revoke|list.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"

static int
key_generate(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL, *out = NULL;
	char pass[1024], vkey[512];
	tfl_verifier v;
	tfl_key *key = NULL;
	size_t len = 0;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'n')
			name = optarg;
		else if (ch == 'o')
			out = optarg;
		else
			return cli_bad_option(c, "key generate", argv);
	}
	if ((rc = cli_require(c, name, "--name")) != 0 ||
	    (rc = cli_require(c, out, "--out")) != 0)
		return rc;
	/* First: cli_passphrase turns core dumps off before the key exists. */
	rc = cli_passphrase(c, pass, sizeof(pass), &len,
	    "Passphrase for the new key: ", 1);
	if (rc == 0)
		rc = tfl_key_generate(&key, name, &c->err);
	if (rc == 0)
		rc = tfl_key_save(key, out, pass, len, &c->err);
	tfl_wipe(pass, sizeof(pass));
	if (rc == 0) {
		tfl_verifier_of_key(&v, key);
		tfl_verifier_format(vkey, sizeof(vkey), &v);
		rc = cli_printf("%s\n", vkey);
	}
	tfl_key_free(key);
	return rc;
}

static int
key_enroll(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verifier", required_argument, NULL, 'v' },
		{ "role", required_argument, NULL, 'r' },
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	const char *vkey = NULL, *role = NULL, *keypath = NULL;
	tfl_entry *e = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
		if (ch == 'v')
			vkey = optarg;
		else if (ch == 'r')
			role = optarg;
		else if (ch == 'k')
			keypath = optarg;
		else
			return cli_bad_option(c, "key enroll", argv);
	}
	if ((rc = cli_require(c, vkey, "--verifier")) != 0 ||
	    (rc = cli_require(c, role, "--role")) != 0 ||
	    (rc = tfl_entry_new(&e, TFL_ENTRY_KEY_ENROLL, &c->err)) != 0)
		return rc;
	if ((rc = tfl_entry_set(e, "key", vkey, &c->err)) == 0 &&
	    (rc = tfl_entry_set(e, "role", role, &c->err)) == 0)
		rc = cli_append(c, keypath, &e, 1);
	tfl_entry_free(e);
	return rc;
}

static int
key_revoke(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'r' },
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL, *reason = NULL, *keypath = NULL;
	tfl_entry *e = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
		if (ch == 'n')
			name = optarg;
		else if (ch == 'r')
			reason = optarg;
		else if (ch == 'k')
			keypath = optarg;
		else
			return cli_bad_option(c, "key revoke", argv);
	}
	if ((rc = cli_require(c, name, "--name")) != 0 ||
	    (rc = tfl_entry_new(&e, TFL_ENTRY_KEY_REVOKE, &c->err)) != 0)
		return rc;
	if ((rc = tfl_entry_set(e, "name", name, &c->err)) == 0 &&
	    (reason == NULL ||
	    (rc = tfl_entry_set(e, "reason", reason, &c->err)) == 0))
		rc = cli_append(c, keypath, &e, 1);
	tfl_entry_free(e);
	return rc;
}

static int
list_one(void *ctx, const tfl_fund_key *k)
{
	char vkey[512];
	json_t *arr = ctx, *o;

	tfl_verifier_format(vkey, sizeof(vkey), &k->verifier);
	if (arr != NULL) {
		o = json_pack("{s:s, s:s, s:I, s:s}", "name", k->verifier.name,
		    "role", tfl_role_name(k->role), "enrolled_seq",
		    (json_int_t)k->enrolled_seq, "verifier", vkey);
		if (k->revoked)
			json_object_set_new(o, "revoked_seq",
			    json_integer((json_int_t)k->revoked_seq));
		return json_array_append_new(arr, o) == 0 ? 0 : TFL_ENOMEM;
	}
	if (k->revoked)
		return cli_printf("%-24s %-8s enrolled %-6llu revoked %-6llu "
		    "%s\n", k->verifier.name, tfl_role_name(k->role),
		    (unsigned long long)k->enrolled_seq,
		    (unsigned long long)k->revoked_seq, vkey);
	return cli_printf("%-24s %-8s enrolled %-6llu active         %s\n",
	    k->verifier.name, tfl_role_name(k->role),
	    (unsigned long long)k->enrolled_seq, vkey);
}

static int
key_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	json_t *arr = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'j')
			return cli_bad_option(c, "key list", argv);
		arr = arr != NULL ? arr : json_array();
	}
	if (c->ledger == NULL)
		rc = tfl_ledger_open(&c->ledger, c->cfg.ledger,
		    TFL_LEDGER_RDONLY, &c->err);
	else
		rc = 0;
	if (rc == 0)
		rc = tfl_ledger_keys(c->ledger, list_one, arr, &c->err);
	if (rc == 0 && arr != NULL)
		return cli_print_json(arr);
	json_decref(arr);
	return rc;
}

int
cmd_key(struct cli *c, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct cli *, int, char **);
		int ledger; /* opens the ledger read-write */
	} verbs[] = {
		{ "enroll", key_enroll, 1 },
		{ "generate", key_generate, 0 },
		{ "list", key_list, 0 },
		{ "revoke", key_revoke, 1 },
	};
	size_t i;
	int rc;

	if (argc < 2)
		return cli_usage(c, "key: missing verb (generate, enroll, "
		    "revoke, list)");
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(verbs[i].name, argv[1]) != 0)
			continue;
		if (verbs[i].ledger || strcmp(argv[1], "list") == 0)
			if ((rc = cli_require(c, c->cfg.ledger[0] ?
			    c->cfg.ledger : NULL, "-L/--ledger")) != 0)
				return rc;
		if (verbs[i].ledger && (rc = tfl_ledger_open(&c->ledger,
		    c->cfg.ledger, 0, &c->err)) != 0)
			return rc;
		return verbs[i].fn(c, argc - 1, argv + 1);
	}
	return cli_usage(c, "key: unknown verb \"%.40s\" (generate, enroll, "
	    "revoke, list)", argv[1]);
}
