/*
 * tool_tamper.c - edits a ledger's LMDB files directly, bypassing the
 * library, as an attacker with write access to the files would.  Used by
 * tests/cli to prove that tfaudit verify notices.
 *
 *	tool_tamper DIR flip SEQ OFFSET	  flip one byte of entry SEQ
 *	tool_tamper DIR delete SEQ	  delete entry SEQ
 *	tool_tamper DIR swap SEQ1 SEQ2	  swap two entries' bytes
 *	tool_tamper DIR badsig SEQ	  corrupt the signature, keeping the
 *					  note well-formed
 *	tool_tamper DIR truncate N	  drop entries >= N with their tree
 *					  nodes and checkpoints
 *	tool_tamper DIR copy FROM TO	  store entry FROM's bytes at TO too
 *	tool_tamper DIR snapflip SIZE	  flip one byte of a record of the
 *					  fund state snapshot of SIZE
 *	tool_tamper DIR stateflip N	  flip one byte of the Nth record of
 *					  the stored fund state
 *	tool_tamper DIR snapdrop SIZE	  delete the snapshot of SIZE
 *	tool_tamper DIR forget KEY	  delete state record KEY, and the
 *					  same record of every snapshot
 *	tool_tamper DIR dupsig SEQ	  repeat entry SEQ's signature line
 *	tool_tamper DIR put SEQ FILE	  store FILE's bytes as entry SEQ,
 *					  make its tree nodes agree and
 *					  drop every checkpoint and
 *					  snapshot, as a thorough attacker
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lmdb.h>
#include <openssl/evp.h>

static MDB_env *env;
static MDB_txn *txn;

static void
die(const char *what, int rc)
{
	fprintf(stderr, "tool_tamper: %s: %s\n", what, mdb_strerror(rc));
	exit(2);
}

static MDB_dbi
db(const char *name)
{
	MDB_dbi dbi;
	int rc = mdb_dbi_open(txn, name, 0, &dbi);

	if (rc != 0)
		die(name, rc);
	return dbi;
}

static void
seqkey(unsigned char k[8], unsigned long long seq)
{
	int i;

	for (i = 7; i >= 0; i--, seq >>= 8)
		k[i] = (unsigned char)seq;
}

/* A private, writable copy of entry seq's bytes. */
static char *
get_entry(unsigned long long seq, size_t *len)
{
	unsigned char k[8];
	MDB_val key = { 8, k }, val;
	char *copy;
	int rc;

	seqkey(k, seq);
	if ((rc = mdb_get(txn, db("entries"), &key, &val)) != 0)
		die("get entry", rc);
	copy = malloc(val.mv_size + 1);
	memcpy(copy, val.mv_data, val.mv_size);
	*len = val.mv_size;
	return copy;
}

static void
put_entry(unsigned long long seq, const char *data, size_t len)
{
	unsigned char k[8];
	MDB_val key = { 8, k }, val = { len, (void *)data };
	int rc;

	seqkey(k, seq);
	if ((rc = mdb_put(txn, db("entries"), &key, &val, 0)) != 0)
		die("put entry", rc);
}

static void
del_entry(unsigned long long seq)
{
	unsigned char k[8];
	MDB_val key = { 8, k };
	int rc;

	seqkey(k, seq);
	if ((rc = mdb_del(txn, db("entries"), &key, NULL)) != 0)
		die("delete entry", rc);
}

/* Flip a bit inside the base64 signature of the last line, validly. */
static void
badsig(char *note, size_t len)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *p = note + len - 10; /* well inside the last signature */
	const char *at = strchr(b64, *p);

	if (at == NULL) {
		fprintf(stderr, "tool_tamper: no signature found\n");
		exit(2);
	}
	*p = b64[(at - b64) ^ 1];
}

/* note (len bytes, with room for as many more) with its last line twice. */
static size_t
dupsig(char *note, size_t len)
{
	size_t start = len - 1;

	while (start > 0 && note[start - 1] != '\n')
		start--;
	memcpy(note + len, note + start, len - start);
	return len + (len - start);
}

/*
 * Delete every key >= from in dbi whose key is an 8-byte seq or size;
 * in the tree (tree 1), every node made from leaf from on.
 */
static void
drop_from(MDB_dbi dbi, unsigned long long from, int tree)
{
	MDB_cursor *cur;
	MDB_val key, val;
	unsigned long long v;
	int i, rc;

	/* The tree's nodes made before leaf from's (see treekey). */
	if (tree)
		from = 2 * from - (unsigned long long)__builtin_popcountll(from);
	if ((rc = mdb_cursor_open(txn, dbi, &cur)) != 0)
		die("cursor", rc);
	while ((rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) == 0) {
		const unsigned char *k = key.mv_data;

		for (v = 0, i = 0; i < 8; i++)
			v = v << 8 | k[i];
		if (v >= from && (rc = mdb_cursor_del(cur, 0)) != 0)
			die("cursor del", rc);
	}
	mdb_cursor_close(cur);
}

/* Flip the first byte of the value where cur stands, and close cur. */
static void
flip_here(MDB_cursor *cur, MDB_val *key, MDB_val *val, const char *what)
{
	char *copy = malloc(val->mv_size + 1);
	int rc;

	memcpy(copy, val->mv_data, val->mv_size);
	copy[0] ^= 0x01;
	val->mv_data = copy;
	if ((rc = mdb_cursor_put(cur, key, val, MDB_CURRENT)) != 0)
		die(what, rc);
	mdb_cursor_close(cur);
	free(copy);
}

/* Flip a byte of the nth record (from 0) of the stored state. */
static void
stateflip(unsigned long long n)
{
	MDB_val key, val;
	MDB_cursor *cur;
	int rc;

	if ((rc = mdb_cursor_open(txn, db("state"), &cur)) != 0 ||
	    (rc = mdb_cursor_get(cur, &key, &val, MDB_FIRST)) != 0)
		die("state", rc);
	while (n-- > 0)
		if ((rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) != 0)
			die("state", rc);
	flip_here(cur, &key, &val, "state put");
}

/* Flip a byte of the first record of the snapshot of size. */
static void
snapflip(unsigned long long size)
{
	unsigned char k[8];
	MDB_val key = { 8, k }, val;
	MDB_cursor *cur;
	int rc;

	seqkey(k, size);
	if ((rc = mdb_cursor_open(txn, db("snapshots"), &cur)) != 0 ||
	    (rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE)) != 0)
		die("snapshot", rc);
	if (key.mv_size <= 8 || memcmp(key.mv_data, k, 8) != 0 ||
	    val.mv_size == 0) {
		fprintf(stderr, "tool_tamper: no snapshot of size %llu\n", size);
		exit(2);
	}
	flip_here(cur, &key, &val, "snapshot put");
}

/* Delete every record whose key starts with the 8-byte size. */
static void
drop_size(MDB_dbi dbi, unsigned long long size)
{
	unsigned char k[8];
	MDB_val key = { 8, k }, val;
	MDB_cursor *cur;
	int rc;

	seqkey(k, size);
	if ((rc = mdb_cursor_open(txn, dbi, &cur)) != 0)
		die("cursor", rc);
	while ((rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE)) == 0 &&
	    key.mv_size >= 8 && memcmp(key.mv_data, k, 8) == 0) {
		if ((rc = mdb_cursor_del(cur, 0)) != 0)
			die("cursor del", rc);
		key.mv_size = 8;
		key.mv_data = k;
	}
	mdb_cursor_close(cur);
}

/* Delete state record name and its copy in every snapshot. */
static void
forget(const char *name)
{
	MDB_val key = { strlen(name), (void *)name }, val;
	MDB_cursor *cur;
	size_t n = strlen(name);
	int rc, found = 0;

	if ((rc = mdb_del(txn, db("state"), &key, NULL)) == 0)
		found = 1;
	else if (rc != MDB_NOTFOUND)
		die("state del", rc);
	if ((rc = mdb_cursor_open(txn, db("snapshots"), &cur)) != 0)
		die("cursor", rc);
	rc = mdb_cursor_get(cur, &key, &val, MDB_FIRST);
	while (rc == 0) {
		if (key.mv_size == 8 + n &&
		    memcmp((char *)key.mv_data + 8, name, n) == 0) {
			if ((rc = mdb_cursor_del(cur, 0)) != 0)
				die("cursor del", rc);
			found = 1;
		}
		rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT);
	}
	mdb_cursor_close(cur);
	if (!found) {
		fprintf(stderr, "tool_tamper: no state record %s\n", name);
		exit(2);
	}
}

/* The whole of file path, malloc'd. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 16);

	if (f == NULL || buf == NULL) {
		fprintf(stderr, "tool_tamper: cannot read %s\n", path);
		exit(2);
	}
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

/*
 * Node (level, index)'s key: its place in the order the ledger makes
 * nodes (store.c tree_key), as an insider who knows the layout would
 * compute it.
 */
static void
treekey(unsigned char k[8], unsigned level, unsigned long long index)
{
	unsigned long long n = (index + 1) << level;

	seqkey(k, 2 * n - (unsigned long long)__builtin_popcountll(n) - 1 -
	    (unsigned long long)__builtin_ctzll(index + 1));
}

/* SHA-256 of a one-byte prefix and data[0..len). */
static void
hash(unsigned char out[32], unsigned char prefix, const void *data,
    size_t len)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	if (md == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(md, &prefix, 1) != 1 ||
	    EVP_DigestUpdate(md, data, len) != 1 ||
	    EVP_DigestFinal_ex(md, out, NULL) != 1) {
		fprintf(stderr, "tool_tamper: SHA-256 failed\n");
		exit(2);
	}
	EVP_MD_CTX_free(md);
}

/*
 * Entry seq's leaf is now data: store it and each complete subtree above
 * it again (RFC 9162 leaf and node hashes).
 */
static void
retree(unsigned long long seq, const char *data, size_t len)
{
	unsigned char k[8], h[32], kids[64];
	MDB_val key = { 8, k }, val;
	unsigned level;
	int rc;

	hash(h, 0x00, data, len);
	for (level = 0;; level++) {
		treekey(k, level, seq >> level);
		if (level > 0 && mdb_get(txn, db("tree"), &key, &val) != 0)
			break;
		val.mv_size = 32;
		val.mv_data = h;
		if ((rc = mdb_put(txn, db("tree"), &key, &val, 0)) != 0)
			die("put node", rc);
		/* The sibling, then the parent's hash. */
		treekey(k, level, (seq >> level) ^ 1);
		if (mdb_get(txn, db("tree"), &key, &val) != 0)
			break;
		memcpy(kids + ((seq >> level & 1) ? 0 : 32), val.mv_data, 32);
		memcpy(kids + ((seq >> level & 1) ? 32 : 0), h, 32);
		hash(h, 0x01, kids, sizeof(kids));
	}
}

int
main(int argc, char **argv)
{
	unsigned long long a = 0, b = 0;
	char *x = NULL, *y = NULL;
	size_t xl, yl;
	int rc;

	if (argc < 4) {
		fprintf(stderr, "usage: tool_tamper DIR OP ARGS...\n");
		return 2;
	}
	a = strtoull(argv[3], NULL, 10);
	b = argc > 4 ? strtoull(argv[4], NULL, 10) : 0;
	if ((rc = mdb_env_create(&env)) != 0 ||
	    (rc = mdb_env_set_maxdbs(env, 16)) != 0 ||
	    (rc = mdb_env_set_mapsize(env, 1UL << 30)) != 0 ||
	    (rc = mdb_env_open(env, argv[1], 0, 0600)) != 0 ||
	    (rc = mdb_txn_begin(env, NULL, 0, &txn)) != 0)
		die(argv[1], rc);
	if (strcmp(argv[2], "flip") == 0) {
		x = get_entry(a, &xl);
		x[b % xl] ^= 0x01;
		put_entry(a, x, xl);
	} else if (strcmp(argv[2], "delete") == 0) {
		del_entry(a);
	} else if (strcmp(argv[2], "swap") == 0) {
		x = get_entry(a, &xl);
		y = get_entry(b, &yl);
		put_entry(a, y, yl);
		put_entry(b, x, xl);
	} else if (strcmp(argv[2], "badsig") == 0) {
		x = get_entry(a, &xl);
		badsig(x, xl);
		put_entry(a, x, xl);
	} else if (strcmp(argv[2], "truncate") == 0) {
		drop_from(db("entries"), a, 0);
		drop_from(db("tree"), a, 1);
		drop_from(db("checkpoints"), a + 1, 0);
		drop_from(db("snapshots"), a + 1, 0);
	} else if (strcmp(argv[2], "snapflip") == 0) {
		snapflip(a);
	} else if (strcmp(argv[2], "stateflip") == 0) {
		stateflip(a);
	} else if (strcmp(argv[2], "forget") == 0) {
		forget(argv[3]);
	} else if (strcmp(argv[2], "snapdrop") == 0) {
		drop_size(db("snapshots"), a);
	} else if (strcmp(argv[2], "dupsig") == 0) {
		x = get_entry(a, &xl);
		x = realloc(x, 2 * xl);
		put_entry(a, x, dupsig(x, xl));
	} else if (strcmp(argv[2], "put") == 0 && argc == 5) {
		x = slurp(argv[4], &xl);
		put_entry(a, x, xl);
		retree(a, x, xl);
		drop_from(db("checkpoints"), 0, 0);
		drop_from(db("snapshots"), 0, 0);
	} else if (strcmp(argv[2], "copy") == 0) {
		x = get_entry(a, &xl);
		put_entry(b, x, xl);
	} else {
		fprintf(stderr, "tool_tamper: unknown op %s\n", argv[2]);
		return 2;
	}
	if ((rc = mdb_txn_commit(txn)) != 0)
		die("commit", rc);
	mdb_env_close(env);
	free(x);
	free(y);
	return 0;
}
