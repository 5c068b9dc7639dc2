/*
 * tool_forge.c - appends a signed entry straight into the store, with a
 * correct chain and tree but without the fund rules, as an insider with
 * a key and write access to the files could.  tfaudit verify must name
 * the rule it breaks.
 *
 *	tool_forge DIR KEYFILE TYPE [field=value]...
 *
 * The passphrase comes from $TFLEDGER_PASSPHRASE.  Prints the new seq.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tfledger/tfledger.h"

static int
fail(const tfl_err *err)
{
	fprintf(stderr, "tool_forge: %s\n", err->msg);
	return 2;
}

/* The stored state names the origin; a forger copies it. */
static int
read_info(tfl_fund_info *out, tfl_txn *txn, tfl_err *err)
{
	void *raw;
	size_t len;
	int rc;

	if ((rc = tfl_store_state_get(&raw, &len, txn, "info", err)) != 0)
		return rc;
	if (len == sizeof(*out))
		memcpy(out, raw, sizeof(*out));
	free(raw);
	return len == sizeof(*out) ? 0 : tfl_err_set(err, TFL_EIO, "bad info");
}

int
main(int argc, char **argv)
{
	tfl_err err = TFL_ERR_INIT;
	uint8_t prev[TFL_HASH_SIZE] = { 0 }, leaf[TFL_HASH_SIZE];
	const char *pass = getenv("TFLEDGER_PASSPHRASE");
	char *text, *note, *name, *val;
	size_t textlen, notelen;
	tfl_store *store;
	tfl_entry *e;
	tfl_key *key;
	tfl_txn *txn;
	tfl_fund_info info;
	uint64_t size;
	int i;

	if (argc < 4 || pass == NULL) {
		fprintf(stderr, "usage: tool_forge DIR KEYFILE TYPE "
		    "[field=value]...\n");
		return 2;
	}
	if (tfl_key_load(&key, argv[2], pass, strlen(pass), &err) != 0 ||
	    tfl_entry_new(&e, tfl_entry_type_find(argv[3]), &err) != 0)
		return fail(&err);
	for (i = 4; i < argc; i++) {
		name = argv[i];
		val = strchr(name, '=');
		if (val == NULL)
			return 2;
		*val++ = '\0';
		if (tfl_entry_set(e, name, val, &err) != 0)
			return fail(&err);
	}
	if (tfl_store_open(&store, argv[1], 0, &err) != 0 ||
	    tfl_store_begin(&txn, store, 1, &err) != 0 ||
	    tfl_store_size(&size, txn, &err) != 0)
		return fail(&err);
	if (size > 0 && tfl_store_node_get(txn, 0, size - 1, prev, &err) != 0)
		return fail(&err);
	if (read_info(&info, txn, &err) != 0)
		return fail(&err);
	if (tfl_entry_set_header(e, info.origin, size, (int64_t)time(NULL),
	    prev, &err) != 0 ||
	    tfl_entry_encode(&text, &textlen, e, &err) != 0 ||
	    tfl_note_sign(&note, &notelen, text, textlen,
	    (const tfl_key *const *)&key, 1, &err) != 0)
		return fail(&err);
	tfl_merkle_leaf_hash(leaf, note, notelen);
	if (tfl_store_entry_append(txn, size, note, notelen, leaf, &err) != 0 ||
	    tfl_store_commit(txn, &err) != 0)
		return fail(&err);
	printf("%llu\n", (unsigned long long)size);
	free(text);
	free(note);
	tfl_entry_free(e);
	tfl_key_free(key);
	tfl_store_close(store);
	return 0;
}
