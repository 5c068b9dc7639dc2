/*
 * tool_forge.c - appends a signed entry straight into the store, with a
 * correct chain and tree but without the fund rules, as an insider with
 * a key and write access to the files could.  tfaudit verify must name
 * the rule it breaks.
 *
 *	tool_forge DIR KEYFILE TYPE [field=value]...
 *	tool_forge DIR KEYFILE resign SEQ
 *
 * The passphrase comes from $TFLEDGER_PASSPHRASE.  Prints the new seq;
 * resign instead writes to stdout entry SEQ's note signed again, by
 * KEYFILE's key in place of its signer, for tool_tamper to put back.
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

/* The chain hash of stored entry seq: the next entry's prev. */
static int
chain_of(uint8_t out[TFL_HASH_SIZE], tfl_txn *txn, uint64_t seq,
    tfl_err *err)
{
	tfl_note note;
	char *data;
	size_t len;
	int rc;

	if ((rc = tfl_store_entry_get(&data, &len, txn, seq, err)) != 0)
		return rc;
	if ((rc = tfl_note_parse(&note, data, len, err)) == 0) {
		rc = tfl_entry_note_chain_hash(out, &note, err);
		tfl_note_release(&note);
	}
	free(data);
	return rc;
}

/* Sign entry e (header set from the store) and append it in txn. */
static int
forge(uint64_t *out_seq, tfl_txn *txn, tfl_entry *e, const tfl_key *key,
    tfl_err *err)
{
	uint8_t prev[TFL_HASH_SIZE] = { 0 }, leaf[TFL_HASH_SIZE];
	char *text = NULL, *note = NULL;
	size_t textlen, notelen;
	tfl_fund_info info;
	uint64_t size;
	int rc;

	if ((rc = tfl_store_size(&size, txn, err)) != 0 ||
	    (size > 0 && (rc = chain_of(prev, txn, size - 1, err)) != 0) ||
	    (rc = read_info(&info, txn, err)) != 0 ||
	    (rc = tfl_entry_set_header(e, info.origin, size,
	    (int64_t)time(NULL), prev, err)) != 0 ||
	    (rc = tfl_entry_encode(&text, &textlen, e, err)) != 0 ||
	    (rc = tfl_note_sign(&note, &notelen, text, textlen,
	    (const tfl_key *const *)&key, 1, err)) != 0)
		goto out;
	tfl_merkle_leaf_hash(leaf, note, notelen);
	rc = tfl_store_entry_append(txn, size, note, notelen, leaf, err);
	*out_seq = size;
out:
	free(text);
	free(note);
	return rc;
}

/* Entry seq's text signed by key, as a whole note on stdout. */
static int
resign(tfl_store *store, uint64_t seq, const tfl_key *key, tfl_err *err)
{
	tfl_txn *txn = NULL;
	tfl_note note;
	char *data = NULL, *out = NULL;
	size_t len, outlen;
	int rc;

	if ((rc = tfl_store_begin(&txn, store, 0, err)) != 0 ||
	    (rc = tfl_store_entry_get(&data, &len, txn, seq, err)) != 0)
		goto out;
	if ((rc = tfl_note_parse(&note, data, len, err)) != 0)
		goto out;
	rc = tfl_note_sign(&out, &outlen, note.text, note.textlen, &key, 1,
	    err);
	tfl_note_release(&note);
	if (rc == 0 && fwrite(out, 1, outlen, stdout) != outlen)
		rc = tfl_err_set(err, TFL_EIO, "cannot write the note");
out:
	tfl_store_abort(txn);
	free(data);
	free(out);
	return rc;
}

int
main(int argc, char **argv)
{
	tfl_err err = TFL_ERR_INIT;
	const char *pass = getenv("TFLEDGER_PASSPHRASE");
	char *name, *val;
	tfl_store *store = NULL;
	tfl_entry *e = NULL;
	tfl_key *key = NULL;
	tfl_txn *txn = NULL;
	uint64_t seq = 0;
	int i, rc;

	if (argc < 4 || pass == NULL) {
		fprintf(stderr, "usage: tool_forge DIR KEYFILE TYPE "
		    "[field=value]...\n");
		return 2;
	}
	if (strcmp(argv[3], "resign") == 0 && argc == 5) {
		if ((rc = tfl_key_load(&key, argv[2], pass, strlen(pass),
		    &err)) == 0 &&
		    (rc = tfl_store_open(&store, argv[1], 0, &err)) == 0)
			rc = resign(store, strtoull(argv[4], NULL, 10), key,
			    &err);
		goto out;
	}
	if ((rc = tfl_key_load(&key, argv[2], pass, strlen(pass), &err)) != 0 ||
	    (rc = tfl_entry_new(&e, tfl_entry_type_find(argv[3]), &err)) != 0)
		goto out;
	for (i = 4; i < argc; i++) {
		name = argv[i];
		val = strchr(name, '=');
		if (val == NULL) {
			rc = tfl_err_set(&err, TFL_EINVAL,
			    "%s: want field=value", name);
			goto out;
		}
		*val++ = '\0';
		if ((rc = tfl_entry_set(e, name, val, &err)) != 0)
			goto out;
	}
	if ((rc = tfl_store_open(&store, argv[1], 0, &err)) != 0 ||
	    (rc = tfl_store_begin(&txn, store, 1, &err)) != 0 ||
	    (rc = forge(&seq, txn, e, key, &err)) != 0)
		goto out;
	rc = tfl_store_commit(txn, &err);
	txn = NULL; /* a commit frees the transaction, even when it fails */
	if (rc == 0)
		printf("%llu\n", (unsigned long long)seq);
out:
	tfl_store_abort(txn);
	tfl_store_close(store);
	tfl_entry_free(e);
	tfl_key_free(key);
	return rc == 0 ? 0 : fail(&err);
}
