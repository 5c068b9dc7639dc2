/*
 * check_store.c - the LMDB store (store.h).
 *
 * Each test gets a fresh directory with a newly created ledger in it.
 * Expected tree hashes are computed here with OpenSSL EVP, independently
 * of the library, and anchored to the public RFC 9162 root vectors.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lmdb.h>
#include <openssl/evp.h>

#include "tfledger/store.h"
#include "testutil.h"

#define H	TFL_HASH_SIZE
#define CHUNK	(64 * 1024)		/* entry size of the map growth test */
#define MAP0	((uint64_t)64 << 20)	/* the store's initial map size */
#define NOBODY	65534

static char *dir;	/* the fixture's fresh directory */
static tfl_store *st;	/* a ledger created in dir */

static void
setup(void)
{
	tfl_err err = TFL_ERR_INIT;
	int rc;

	dir = tu_tmpdir();
	rc = tfl_store_open(&st, dir, TFL_STORE_CREATE, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
}

static void
teardown(void)
{
	tfl_store_close(st);
	st = NULL;
	tu_rmtree(dir);
	free(dir);
	dir = NULL;
}

/* dir/name, malloc'd; made a directory when mk. */
static char *
sub(const char *name, int mk)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	ck_assert_ptr_nonnull(p);
	snprintf(p, n, "%s/%s", dir, name);
	if (mk)
		ck_assert_int_eq(mkdir(p, 0755), 0);
	return p;
}

static int
exists(const char *d, const char *name)
{
	char path[4096];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", d, name);
	return stat(path, &sb) == 0;
}

static tfl_txn *
begin(tfl_store *s, int write)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_txn *t = NULL;
	int rc;

	rc = tfl_store_begin(&t, s, write, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(t);
	return t;
}

static void
commit(tfl_txn *t)
{
	tfl_err err = TFL_ERR_INIT;
	int rc;

	rc = tfl_store_commit(t, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
}

/* SHA-256(prefix || a || b), computed here with EVP. */
static void
sha(uint8_t out[H], uint8_t prefix, const void *a, size_t alen,
    const void *b, size_t blen)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned n = 0;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(EVP_DigestInit_ex(c, EVP_sha256(), NULL), 1);
	ck_assert_int_eq(EVP_DigestUpdate(c, &prefix, 1), 1);
	ck_assert_int_eq(EVP_DigestUpdate(c, a, alen), 1);
	if (blen > 0)
		ck_assert_int_eq(EVP_DigestUpdate(c, b, blen), 1);
	ck_assert_int_eq(EVP_DigestFinal_ex(c, out, &n), 1);
	ck_assert_uint_eq(n, H);
	EVP_MD_CTX_free(c);
}

static void
note_of(char *buf, size_t cap, uint64_t seq)
{
	snprintf(buf, cap, "entry %" PRIu64 "\n", seq);
}

/* Append notes "entry N\n" for seqs [from, from + n) in one transaction. */
static void
append_notes(tfl_store *s, uint64_t from, uint64_t n)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_txn *t = begin(s, 1);
	uint8_t leaf[H];
	char note[64];
	uint64_t seq;
	int rc;

	for (seq = from; seq < from + n; seq++) {
		note_of(note, sizeof(note), seq);
		sha(leaf, 0, note, strlen(note), NULL, 0);
		rc = tfl_store_entry_append(t, seq, note, strlen(note), leaf,
		    &err);
		ck_assert_msg(rc == 0, "%s", err.msg);
	}
	commit(t);
}

static void
assert_entry(tfl_txn *t, uint64_t seq)
{
	tfl_err err = TFL_ERR_INIT;
	char want[64], *got = NULL;
	size_t len = 0;
	int rc;

	note_of(want, sizeof(want), seq);
	rc = tfl_store_entry_get(&got, &len, t, seq, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_str_eq(got, want);
	free(got);
}

static uint64_t
size_of(tfl_txn *t)
{
	tfl_err err = TFL_ERR_INIT;
	uint64_t n = UINT64_MAX;

	ck_assert_int_eq(tfl_store_size(&n, t, &err), 0);
	return n;
}

START_TEST(test_created_ledger_opens_again_after_close)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_txn *t;

	append_notes(st, 0, 2);
	tfl_store_close(st);
	st = NULL;
	tfl_store_close(NULL);
	ck_assert(exists(dir, "data.mdb"));
	ck_assert_int_eq(tfl_store_open(&st, dir, 0, &err), 0);
	t = begin(st, 0);
	ck_assert_uint_eq(size_of(t), 2);
	assert_entry(t, 0);
	assert_entry(t, 1);
	commit(t);
}
END_TEST

START_TEST(test_open_without_create_of_empty_or_missing_dir_is_not_found)
{
	tfl_err err = TFL_ERR_INIT;
	char *empty = sub("empty", 1), *missing = sub("missing", 0);
	tfl_store *s = (tfl_store *)&err; /* not NULL: see it cleared */

	ck_assert_int_eq(tfl_store_open(&s, empty, 0, &err), TFL_ENOTFOUND);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(strstr(err.msg, empty));
	ck_assert_int_eq(tfl_store_open(&s, empty, TFL_STORE_RDONLY, &err),
	    TFL_ENOTFOUND);
	ck_assert(!exists(empty, "data.mdb"));
	ck_assert_int_eq(tfl_store_open(&s, missing, TFL_STORE_CREATE, &err),
	    TFL_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, missing));
	ck_assert_int_eq(tfl_store_open(&s, empty, TFL_STORE_CREATE, &err), 0);
	tfl_store_close(s);
	free(empty);
	free(missing);
}
END_TEST

START_TEST(test_lmdb_failure_is_eio_naming_ledger_and_operation)
{
	tfl_err err = TFL_ERR_INIT;
	char *bad = sub("bad", 1), *data = sub("bad/data.mdb", 1);
	char want[4200];
	tfl_store *s = NULL;

	/* data.mdb is a directory: LMDB's open fails (EISDIR). */
	ck_assert_int_eq(tfl_store_open(&s, bad, 0, &err), TFL_EIO);
	ck_assert_ptr_null(s);
	snprintf(want, sizeof(want), "ledger \"%s\": mdb_env_open: ", bad);
	ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(err.code, TFL_EIO);
	free(data);
	free(bad);
}
END_TEST

START_TEST(test_appended_entries_read_back)
{
	tfl_err err = TFL_ERR_INIT;
	char *got = NULL;
	size_t len = 0;
	tfl_txn *t;
	uint64_t i;

	t = begin(st, 0);
	ck_assert_uint_eq(size_of(t), 0);
	commit(t);
	append_notes(st, 0, 3);
	append_notes(st, 3, 2);
	t = begin(st, 0);
	ck_assert_uint_eq(size_of(t), 5);
	for (i = 0; i < 5; i++)
		assert_entry(t, i);
	ck_assert_int_eq(tfl_store_entry_get(&got, &len, t, 5, &err),
	    TFL_ENOTFOUND);
	ck_assert_ptr_null(got);
	ck_assert_int_eq(tfl_store_meta_get(&got, &len, t, "size", &err), 0);
	ck_assert_str_eq(got, "5");
	free(got);
	commit(t);
}
END_TEST

START_TEST(test_append_of_a_seq_that_is_not_next_is_invalid)
{
	tfl_err err = TFL_ERR_INIT;
	uint8_t leaf[H] = { 0 };
	tfl_txn *t;

	t = begin(st, 1);
	ck_assert_int_eq(tfl_store_entry_append(t, 1, "x", 1, leaf, &err),
	    TFL_EINVAL);
	tfl_store_abort(t);
	append_notes(st, 0, 3);
	t = begin(st, 1);
	ck_assert_int_eq(tfl_store_entry_append(t, 2, "x", 1, leaf, &err),
	    TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "entry 2"));
	ck_assert_int_eq(tfl_store_entry_append(t, 4, "x", 1, leaf, &err),
	    TFL_EINVAL);
	ck_assert_int_eq(tfl_store_entry_append(t, 3, "x", 1, leaf, &err), 0);
	commit(t);
	t = begin(st, 0);
	ck_assert_uint_eq(size_of(t), 4);
	assert_entry(t, 2);
	commit(t);
}
END_TEST

/*
 * A big entry read in its own write transaction sits in malloc'd dirty
 * pages that the commit frees (ASan sees a use after free); data read in
 * a read transaction points into the map, which closing unmaps.
 */
START_TEST(test_read_data_outlives_its_transaction)
{
	tfl_err err = TFL_ERR_INIT;
	size_t n = 3 * 4096 + 17, len = 0, mlen = 0;
	char *big = malloc(n), *got = NULL, *meta = NULL;
	uint8_t leaf[H] = { 1 };
	tfl_txn *t;

	ck_assert_ptr_nonnull(big);
	memset(big, 'b', n);
	t = begin(st, 1);
	ck_assert_int_eq(tfl_store_entry_append(t, 0, big, n, leaf, &err), 0);
	ck_assert_int_eq(tfl_store_entry_get(&got, &len, t, 0, &err), 0);
	commit(t);
	append_notes(st, 1, 40);
	ck_assert_uint_eq(len, n);
	ck_assert_mem_eq(got, big, n);
	ck_assert_int_eq(got[n], '\0');
	free(got);
	t = begin(st, 0);
	ck_assert_int_eq(tfl_store_entry_get(&got, &len, t, 0, &err), 0);
	ck_assert_int_eq(tfl_store_meta_get(&meta, &mlen, t, "size", &err), 0);
	commit(t);
	tfl_store_close(st);
	st = NULL;
	ck_assert_mem_eq(got, big, n);
	ck_assert_str_eq(meta, "41");
	free(got);
	free(meta);
	free(big);
}
END_TEST

START_TEST(test_aborted_transaction_leaves_nothing)
{
	tfl_err err = TFL_ERR_INIT;
	uint8_t node[H] = { 0 };
	uint64_t *seqs = NULL;
	size_t n = 1;
	char *s = NULL;
	void *v = NULL;
	tfl_txn *t;

	t = begin(st, 1);
	ck_assert_int_eq(tfl_store_entry_append(t, 0, "a", 1, node, &err), 0);
	ck_assert_int_eq(tfl_store_entry_append(t, 1, "b", 1, node, &err), 0);
	ck_assert_int_eq(tfl_store_checkpoint_put(t, 2, "cp", 2, &err), 0);
	ck_assert_int_eq(tfl_store_meta_put(t, "origin", "o", 1, &err), 0);
	ck_assert_int_eq(tfl_store_state_put(t, "cash", "1", 1, &err), 0);
	ck_assert_int_eq(tfl_store_index_add(t, "donor:1", 0, &err), 0);
	tfl_store_abort(t);
	tfl_store_abort(NULL);
	t = begin(st, 0);
	ck_assert_uint_eq(size_of(t), 0);
	ck_assert_int_eq(tfl_store_entry_get(&s, NULL, t, 0, &err),
	    TFL_ENOTFOUND);
	ck_assert_int_eq(tfl_store_node_get(t, 0, 0, node, &err),
	    TFL_ENOTFOUND);
	ck_assert_int_eq(tfl_store_checkpoint_get(&s, NULL, NULL, t,
	    UINT64_MAX, &err), TFL_ENOTFOUND);
	ck_assert_int_eq(tfl_store_meta_get(&s, NULL, t, "origin", &err),
	    TFL_ENOTFOUND);
	ck_assert_int_eq(tfl_store_meta_get(&s, NULL, t, "size", &err),
	    TFL_ENOTFOUND);
	ck_assert_int_eq(tfl_store_state_get(&v, NULL, t, "cash", &err),
	    TFL_ENOTFOUND);
	ck_assert_int_eq(tfl_store_index_get(&seqs, &n, t, "donor:1", &err), 0);
	ck_assert_ptr_null(seqs);
	ck_assert_uint_eq(n, 0);
	commit(t);
}
END_TEST

struct seen {
	uint64_t seqs[64];
	size_t n;
	uint64_t stop_at; /* return 42 from this seq on */
};

static int
record_entry(void *ctx, uint64_t seq, const void *data, size_t len,
    tfl_err *err)
{
	struct seen *s = ctx;
	char want[64];

	(void)err;
	note_of(want, sizeof(want), seq);
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_mem_eq(data, want, len);
	ck_assert_uint_lt(s->n, 64);
	s->seqs[s->n++] = seq;
	return seq >= s->stop_at ? 42 : 0;
}

static void
assert_seen(const struct seen *s, uint64_t first, size_t n)
{
	size_t i;

	ck_assert_uint_eq(s->n, n);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(s->seqs[i], first + i);
}

START_TEST(test_foreach_sees_every_entry_in_order_and_stops_on_nonzero)
{
	tfl_err err = TFL_ERR_INIT;
	struct seen s;
	tfl_txn *t;

	append_notes(st, 0, 7);
	append_notes(st, 7, 3);
	t = begin(st, 0);
	memset(&s, 0, sizeof(s));
	s.stop_at = UINT64_MAX;
	ck_assert_int_eq(tfl_store_entry_foreach(t, 0, record_entry, &s,
	    &err), 0);
	assert_seen(&s, 0, 10);
	s.n = 0;
	ck_assert_int_eq(tfl_store_entry_foreach(t, 7, record_entry, &s,
	    &err), 0);
	assert_seen(&s, 7, 3);
	s.n = 0;
	ck_assert_int_eq(tfl_store_entry_foreach(t, 10, record_entry, &s,
	    &err), 0);
	assert_seen(&s, 0, 0);
	s.stop_at = 3;
	ck_assert_int_eq(tfl_store_entry_foreach(t, 0, record_entry, &s,
	    &err), 42);
	assert_seen(&s, 0, 4);
	commit(t);
}
END_TEST

/* Hash of the complete subtree of count leaves from lo (RFC 9162). */
static void
mth(uint8_t out[H], uint8_t leaves[][H], uint64_t lo, uint64_t count)
{
	uint8_t l[H], r[H];

	if (count == 1) {
		memcpy(out, leaves[lo], H);
		return;
	}
	mth(l, leaves, lo, count / 2);
	mth(r, leaves, lo + count / 2, count / 2);
	sha(out, 1, l, H, r, H);
}

/*
 * Every complete subtree of the first n leaves is stored with the hash
 * computed here; the next node at each level is not stored yet.
 */
static void
assert_nodes(tfl_txn *t, uint8_t leaves[][H], uint64_t n)
{
	tfl_err err = TFL_ERR_INIT;
	uint8_t got[H], want[H];
	unsigned level;
	uint64_t i;
	int rc;

	for (level = 0; level < 7; level++) {
		for (i = 0; i <= n >> level; i++) {
			rc = tfl_store_node_get(t, level, i, got, &err);
			if ((i + 1) << level > n) {
				ck_assert_int_eq(rc, TFL_ENOTFOUND);
				continue;
			}
			ck_assert_msg(rc == 0, "size %" PRIu64 ": %s", n,
			    err.msg);
			mth(want, leaves, i << level, (uint64_t)1 << level);
			ck_assert_mem_eq(got, want, H);
		}
	}
}

/*
 * The root of the first n leaves from the stored subtrees that make up
 * the tree (one per bit of n, largest first), folded right to left.
 */
static void
root_of_stored(uint8_t out[H], tfl_txn *t, uint64_t n)
{
	tfl_err err = TFL_ERR_INIT;
	uint8_t parts[64][H], acc[H];
	uint64_t start = 0;
	int level, k = 0;

	for (level = 63; level >= 0; level--) {
		if ((n >> level & 1) == 0)
			continue;
		ck_assert_int_eq(tfl_store_node_get(t, (unsigned)level,
		    start >> level, parts[k++], &err), 0);
		start += (uint64_t)1 << level;
	}
	memcpy(acc, parts[k - 1], H);
	for (k -= 2; k >= 0; k--)
		sha(acc, 1, parts[k], H, acc, H);
	memcpy(out, acc, H);
}

START_TEST(test_tree_nodes_equal_an_independent_computation)
{
	json_t *vec = tu_json_load(tu_vector_path(
	    "merkle/derived/rfc6962-bytes-roots0-256-proofs1-32.json"));
	json_t *roots = json_object_get(vec, "roots");
	tfl_err err = TFL_ERR_INIT;
	uint8_t leaves[33][H], got[H], want[H], byte;
	uint64_t n;
	tfl_txn *t;

	for (n = 1; n <= 33; n++) {
		/* Leaf i is the byte i, as in the vectors. */
		byte = (uint8_t)(n - 1);
		sha(leaves[n - 1], 0, &byte, 1, NULL, 0);
		t = begin(st, 1);
		ck_assert_int_eq(tfl_store_entry_append(t, n - 1, &byte, 1,
		    leaves[n - 1], &err), 0);
		commit(t);
		t = begin(st, 0);
		assert_nodes(t, leaves, n);
		root_of_stored(got, t, n);
		commit(t);
		tu_unhex(want, H, json_string_value(json_object_get(
		    json_array_get(roots, (size_t)n), "root")));
		ck_assert_mem_eq(got, want, H);
	}
	json_decref(vec);
}
END_TEST

/* The ledger in dir through LMDB itself, and its database name. */
static void
raw_open(MDB_env **env, MDB_txn **txn, MDB_dbi *dbi, const char *name,
    unsigned flags)
{
	ck_assert_int_eq(mdb_env_create(env), 0);
	ck_assert_int_eq(mdb_env_set_maxdbs(*env, 16), 0);
	ck_assert_int_eq(mdb_env_open(*env, dir, flags, 0644), 0);
	ck_assert_int_eq(mdb_txn_begin(*env, NULL, flags, txn), 0);
	ck_assert_int_eq(mdb_dbi_open(*txn, name, 0, dbi), 0);
}

/*
 * The tree is kept in the order its nodes are made: key k (8 bytes,
 * big-endian) is the k-th node that appending leaf after leaf makes,
 * each leaf then the subtrees it completes, bottom up.  Appended in
 * transactions of several entries, so that a node's left sibling is
 * one stored in the same transaction.
 */
START_TEST(test_tree_is_kept_in_the_order_nodes_are_made)
{
	static const uint64_t batches[] = { 5, 1, 17, 18 };
	tfl_err err = TFL_ERR_INIT;
	uint8_t leaves[41][H], want[H], byte;
	uint64_t n = 0, b, k = 0, m, idx, key;
	unsigned level, i;
	MDB_env *env;
	MDB_txn *raw;
	MDB_cursor *cur;
	MDB_dbi dbi;
	MDB_val kv, vv;
	tfl_txn *t;

	for (b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
		t = begin(st, 1);
		for (m = 0; m < batches[b]; m++, n++) {
			byte = (uint8_t)n;
			sha(leaves[n], 0, &byte, 1, NULL, 0);
			ck_assert_int_eq(tfl_store_entry_append(t, n, &byte, 1,
			    leaves[n], &err), 0);
		}
		commit(t);
	}
	t = begin(st, 0);
	assert_nodes(t, leaves, n);
	commit(t);
	tfl_store_close(st);
	st = NULL;
	raw_open(&env, &raw, &dbi, "tree", MDB_RDONLY);
	ck_assert_int_eq(mdb_cursor_open(raw, dbi, &cur), 0);
	for (m = 0; m < n; m++) {
		/* Leaf m, then each subtree it completes. */
		for (level = 0, idx = m;; level++, idx /= 2) {
			ck_assert_int_eq(mdb_cursor_get(cur, &kv, &vv,
			    k == 0 ? MDB_FIRST : MDB_NEXT), 0);
			ck_assert_uint_eq(kv.mv_size, 8);
			for (key = 0, i = 0; i < 8; i++)
				key = key << 8 | ((uint8_t *)kv.mv_data)[i];
			ck_assert_uint_eq(key, k);
			mth(want, leaves, idx << level, (uint64_t)1 << level);
			ck_assert_uint_eq(vv.mv_size, H);
			ck_assert_mem_eq(vv.mv_data, want, H);
			k++;
			if (idx % 2 == 0)
				break;
		}
	}
	ck_assert_int_eq(mdb_cursor_get(cur, &kv, &vv, MDB_NEXT),
	    MDB_NOTFOUND);
	ck_assert_uint_eq(k, 2 * n - (uint64_t)__builtin_popcountll(n));
	mdb_cursor_close(cur);
	mdb_txn_abort(raw);
	mdb_env_close(env);
}
END_TEST

/* A tree keyed (level, index), as tfledger kept it before, is refused. */
START_TEST(test_a_ledger_of_the_earlier_tree_layout_is_refused)
{
	tfl_err err = TFL_ERR_INIT;
	uint8_t old[9] = { 0 }, hash[H] = { 0 };
	MDB_val kv = { sizeof(old), old }, vv = { H, hash };
	MDB_env *env;
	MDB_txn *raw;
	MDB_dbi dbi;
	char want[4200];

	tfl_store_close(st);
	st = NULL;
	raw_open(&env, &raw, &dbi, "tree", 0);
	ck_assert_int_eq(mdb_put(raw, dbi, &kv, &vv, 0), 0);
	ck_assert_int_eq(mdb_txn_commit(raw), 0);
	mdb_env_close(env);
	ck_assert_int_eq(tfl_store_open(&st, dir, 0, &err), TFL_EIO);
	snprintf(want, sizeof(want), "ledger \"%s\": tree keys of 9 bytes, "
	    "not 8: made by an earlier tfledger", dir);
	ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0, "%s",
	    err.msg);
	ck_assert_ptr_null(st);
}
END_TEST

static int
record_checkpoint(void *ctx, uint64_t size, const void *data, size_t len,
    tfl_err *err)
{
	struct seen *s = ctx;
	char want[32];

	(void)err;
	snprintf(want, sizeof(want), "cp%" PRIu64, size);
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_mem_eq(data, want, len);
	s->seqs[s->n++] = size;
	return size >= s->stop_at ? 42 : 0;
}

START_TEST(test_checkpoints_put_get_latest_and_foreach)
{
	tfl_err err = TFL_ERR_INIT;
	struct seen s = { { 0 }, 0, UINT64_MAX };
	uint64_t size = 0;
	size_t len = 0;
	char *cp = NULL;
	tfl_txn *t = begin(st, 1);

	ck_assert_int_eq(tfl_store_checkpoint_put(t, 5, "cp5", 3, &err), 0);
	ck_assert_int_eq(tfl_store_checkpoint_put(t, 1, "cp1", 3, &err), 0);
	ck_assert_int_eq(tfl_store_checkpoint_put(t, 300, "cp300", 5, &err),
	    0);
	commit(t);
	t = begin(st, 0);
	ck_assert_int_eq(tfl_store_checkpoint_get(&cp, &len, &size, t, 5,
	    &err), 0);
	ck_assert_str_eq(cp, "cp5");
	ck_assert_uint_eq(size, 5);
	free(cp);
	ck_assert_int_eq(tfl_store_checkpoint_get(&cp, &len, &size, t,
	    UINT64_MAX, &err), 0);
	ck_assert_str_eq(cp, "cp300");
	ck_assert_uint_eq(len, 5);
	ck_assert_uint_eq(size, 300);
	free(cp);
	ck_assert_int_eq(tfl_store_checkpoint_get(&cp, &len, NULL, t, 7,
	    &err), TFL_ENOTFOUND);
	ck_assert_int_eq(tfl_store_checkpoint_foreach(t, record_checkpoint,
	    &s, &err), 0);
	ck_assert_uint_eq(s.n, 3);
	ck_assert(s.seqs[0] == 1 && s.seqs[1] == 5 && s.seqs[2] == 300);
	s.n = 0;
	s.stop_at = 5;
	ck_assert_int_eq(tfl_store_checkpoint_foreach(t, record_checkpoint,
	    &s, &err), 42);
	ck_assert_uint_eq(s.n, 2);
	commit(t);
}
END_TEST

START_TEST(test_a_different_checkpoint_at_a_stored_size_is_refused)
{
	tfl_err err = TFL_ERR_INIT;
	char *cp = NULL;
	tfl_txn *t = begin(st, 1);

	ck_assert_int_eq(tfl_store_checkpoint_put(t, 3, "a", 1, &err), 0);
	commit(t);
	t = begin(st, 1);
	ck_assert_int_eq(tfl_store_checkpoint_put(t, 3, "a", 1, &err), 0);
	ck_assert_int_eq(tfl_store_checkpoint_put(t, 3, "b", 1, &err),
	    TFL_EEXIST);
	ck_assert_ptr_nonnull(strstr(err.msg, "checkpoint 3"));
	ck_assert_int_eq(tfl_store_checkpoint_put(t, 3, "ab", 2, &err),
	    TFL_EEXIST);
	ck_assert_int_eq(tfl_store_checkpoint_get(&cp, NULL, NULL, t, 3, &err),
	    0);
	ck_assert_str_eq(cp, "a");
	free(cp);
	commit(t);
}
END_TEST

START_TEST(test_meta_and_state_get_put_del)
{
	tfl_err err = TFL_ERR_INIT;
	const char bin[] = { 'x', 0, 'y', 0 };
	char *m = NULL;
	void *v = NULL;
	size_t len = 0;
	tfl_txn *t = begin(st, 1);

	ck_assert_int_eq(tfl_store_meta_get(&m, &len, t, "origin", &err),
	    TFL_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, "origin"));
	ck_assert_int_eq(tfl_store_meta_put(t, "origin", "o1", 2, &err), 0);
	ck_assert_int_eq(tfl_store_meta_put(t, "origin", "o22", 3, &err), 0);
	ck_assert_int_eq(tfl_store_state_put(t, "cash", bin, 4, &err), 0);
	ck_assert_int_eq(tfl_store_meta_put(t, "", "x", 1, &err), TFL_EINVAL);
	commit(t);
	t = begin(st, 1);
	ck_assert_int_eq(tfl_store_meta_get(&m, &len, t, "origin", &err), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_str_eq(m, "o22");
	free(m);
	ck_assert_int_eq(tfl_store_state_get(&v, &len, t, "cash", &err), 0);
	ck_assert_uint_eq(len, 4);
	ck_assert_mem_eq(v, bin, 4);
	ck_assert_int_eq(((char *)v)[4], '\0');
	free(v);
	ck_assert_int_eq(tfl_store_state_del(t, "cash", &err), 0);
	ck_assert_int_eq(tfl_store_state_del(t, "cash", &err), 0);
	commit(t);
	t = begin(st, 0);
	ck_assert_int_eq(tfl_store_state_get(&v, &len, t, "cash", &err),
	    TFL_ENOTFOUND);
	ck_assert_ptr_null(v);
	commit(t);
}
END_TEST

static int
record_state(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	struct seen *s = ctx;

	(void)err;
	ck_assert_uint_eq(strlen(key), 1);
	ck_assert_uint_eq(len, 2);
	ck_assert_int_eq(((const char *)val)[0], key[0]);
	s->seqs[s->n++] = (uint64_t)key[0];
	return (uint64_t)key[0] >= s->stop_at ? 42 : 0;
}

START_TEST(test_state_foreach_goes_in_key_order_and_stops_on_nonzero)
{
	tfl_err err = TFL_ERR_INIT;
	struct seen s = { { 0 }, 0, UINT64_MAX };
	tfl_txn *t = begin(st, 1);

	ck_assert_int_eq(tfl_store_state_put(t, "c", "c3", 2, &err), 0);
	ck_assert_int_eq(tfl_store_state_put(t, "a", "a1", 2, &err), 0);
	ck_assert_int_eq(tfl_store_state_put(t, "b", "b2", 2, &err), 0);
	commit(t);
	t = begin(st, 0);
	ck_assert_int_eq(tfl_store_state_foreach(t, record_state, &s, &err),
	    0);
	ck_assert_uint_eq(s.n, 3);
	ck_assert(s.seqs[0] == 'a' && s.seqs[1] == 'b' && s.seqs[2] == 'c');
	s.n = 0;
	s.stop_at = 'b';
	ck_assert_int_eq(tfl_store_state_foreach(t, record_state, &s, &err),
	    42);
	ck_assert_uint_eq(s.n, 2);
	commit(t);
}
END_TEST

/* Snapshot records seen: "key=value" joined by spaces. */
static int
record_snapshot(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	char *seen = ctx;
	size_t n = strlen(seen);

	(void)err;
	snprintf(seen + n, 256 - n, "%s%s=%.*s", n > 0 ? " " : "", key,
	    (int)len, (const char *)val);
	return 0;
}

/* Pairs seen: "key=left/right", "-" for a side without the key. */
static int
record_pair(void *ctx, const char *key, const void *l, size_t llen,
    const void *r, size_t rlen, tfl_err *err)
{
	char *seen = ctx;
	size_t n = strlen(seen);

	(void)err;
	snprintf(seen + n, 256 - n, "%s%s=%.*s/%.*s", n > 0 ? " " : "", key,
	    l != NULL ? (int)llen : 1, l != NULL ? (const char *)l : "-",
	    r != NULL ? (int)rlen : 1, r != NULL ? (const char *)r : "-");
	return 0;
}

START_TEST(test_pair_walk_merges_state_and_snapshots_in_key_order)
{
	tfl_err err = TFL_ERR_INIT;
	char seen[256] = "";
	tfl_txn *t = begin(st, 1);

	ck_assert_int_eq(tfl_store_state_put(t, "b", "2", 1, &err), 0);
	ck_assert_int_eq(tfl_store_state_put(t, "d", "4", 1, &err), 0);
	ck_assert_int_eq(tfl_store_snapshot_put(t, 7, record_snapshot, seen,
	    &err), 0);
	ck_assert_int_eq(tfl_store_state_put(t, "b", "8", 1, &err), 0);
	ck_assert_int_eq(tfl_store_state_put(t, "a", "1", 1, &err), 0);
	ck_assert_int_eq(tfl_store_state_put(t, "e", "", 0, &err), 0);
	seen[0] = '\0';
	ck_assert_int_eq(tfl_store_snapshot_put(t, 9, record_snapshot, seen,
	    &err), 0);
	commit(t);
	t = begin(st, 0);
	seen[0] = '\0';
	ck_assert_int_eq(tfl_store_pair_walk(t, TFL_STORE_STATE, 7,
	    record_pair, seen, &err), 0);
	ck_assert_str_eq(seen, "a=1/- b=8/2 d=4/4 e=/-");
	seen[0] = '\0';
	ck_assert_int_eq(tfl_store_pair_walk(t, 7, 9, record_pair, seen,
	    &err), 0);
	ck_assert_str_eq(seen, "a=-/1 b=2/8 d=4/4 e=-/");
	/* A size with no snapshot is an empty side. */
	seen[0] = '\0';
	ck_assert_int_eq(tfl_store_pair_walk(t, 8, 7, record_pair, seen,
	    &err), 0);
	ck_assert_str_eq(seen, "b=-/2 d=-/4");
	commit(t);
}
END_TEST

START_TEST(test_snapshots_copy_the_state_and_keep_the_newest)
{
	tfl_err err = TFL_ERR_INIT;
	char seen[256] = "", want[64];
	uint64_t size;
	tfl_txn *t = begin(st, 1);

	ck_assert_int_eq(tfl_store_state_put(t, "b", "2", 1, &err), 0);
	ck_assert_int_eq(tfl_store_state_put(t, "a", "1", 1, &err), 0);
	ck_assert_int_eq(tfl_store_snapshot_put(t, 3, record_snapshot, seen,
	    &err), 0);
	ck_assert_str_eq(seen, "a=1 b=2");
	/* The state moves on; the snapshot of 3 does not. */
	ck_assert_int_eq(tfl_store_state_put(t, "a", "9", 1, &err), 0);
	ck_assert_int_eq(tfl_store_state_put(t, "c", "3", 1, &err), 0);
	ck_assert_int_eq(tfl_store_state_del(t, "b", &err), 0);
	seen[0] = '\0';
	ck_assert_int_eq(tfl_store_snapshot_foreach(t, 3, record_snapshot,
	    seen, &err), 0);
	ck_assert_str_eq(seen, "a=1 b=2");
	/* Made again at a stored size: the state's, nothing of the old. */
	seen[0] = '\0';
	ck_assert_int_eq(tfl_store_snapshot_put(t, 3, record_snapshot, seen,
	    &err), 0);
	ck_assert_str_eq(seen, "a=9 c=3");
	commit(t);
	t = begin(st, 0);
	seen[0] = '\0';
	ck_assert_int_eq(tfl_store_snapshot_foreach(t, 3, record_snapshot,
	    seen, &err), 0);
	ck_assert_str_eq(seen, "a=9 c=3");
	ck_assert_int_eq(tfl_store_snapshot_foreach(t, 2, record_snapshot,
	    seen, &err), TFL_ENOTFOUND);
	ck_assert_int_eq(tfl_store_snapshot_foreach(t, 4, record_snapshot,
	    seen, &err), TFL_ENOTFOUND);
	commit(t);
	/* Snapshots of sizes 4 to 8, keeping 3: 6, 7 and 8 stay. */
	t = begin(st, 1);
	for (size = 4; size <= 8; size++) {
		seen[0] = '\0';
		ck_assert_int_eq(tfl_store_snapshot_put(t, size,
		    record_snapshot, seen, &err), 0);
		ck_assert_str_eq(seen, "a=9 c=3");
		ck_assert_int_eq(tfl_store_snapshot_prune(t, 3, &err), 0);
	}
	commit(t);
	t = begin(st, 0);
	for (size = 3; size <= 8; size++) {
		seen[0] = '\0';
		ck_assert_int_eq(tfl_store_snapshot_foreach(t, size,
		    record_snapshot, seen, &err), size < 6 ? TFL_ENOTFOUND : 0);
		snprintf(want, sizeof(want), "%s", size < 6 ? "" : "a=9 c=3");
		ck_assert_str_eq(seen, want);
	}
	commit(t);
}
END_TEST

START_TEST(test_index_add_is_idempotent_and_get_is_sorted)
{
	const uint64_t adds[] = { 256, 3, (uint64_t)1 << 40, 3, 5, 256 };
	const uint64_t want[] = { 3, 5, 256, (uint64_t)1 << 40 };
	tfl_err err = TFL_ERR_INIT;
	uint64_t *seqs = NULL;
	size_t i, n = 0;
	tfl_txn *t = begin(st, 1);

	for (i = 0; i < sizeof(adds) / sizeof(adds[0]); i++)
		ck_assert_int_eq(tfl_store_index_add(t, "donor:7", adds[i],
		    &err), 0);
	ck_assert_int_eq(tfl_store_index_add(t, "donor:8", 9, &err), 0);
	commit(t);
	t = begin(st, 0);
	ck_assert_int_eq(tfl_store_index_get(&seqs, &n, t, "donor:7", &err),
	    0);
	ck_assert_uint_eq(n, 4);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(seqs[i], want[i]);
	free(seqs);
	ck_assert_int_eq(tfl_store_index_get(&seqs, &n, t, "donor:8", &err),
	    0);
	ck_assert(n == 1 && seqs[0] == 9);
	free(seqs);
	ck_assert_int_eq(tfl_store_index_get(&seqs, &n, t, "donor:9", &err),
	    0);
	ck_assert(n == 0 && seqs == NULL);
	commit(t);
}
END_TEST

static void
chunk_of(uint8_t *buf, uint64_t seq)
{
	memset(buf, (int)(seq * 31 % 251), CHUNK);
	memcpy(buf, &seq, sizeof(seq));
}

/*
 * Append CHUNK-byte entries [from, from + n) in one transaction, with the
 * documented retry on TFL_EFULL: abort, grow, redo.  Returns the number
 * of retries.
 */
static int
append_chunks(tfl_store *s, uint64_t from, uint64_t n, uint8_t *buf)
{
	tfl_err err = TFL_ERR_INIT;
	uint8_t leaf[H] = { 0 };
	int rc = TFL_EFULL, retries = -1;
	uint64_t seq;
	tfl_txn *t;

	while (rc == TFL_EFULL) {
		retries++;
		ck_assert_int_lt(retries, 4);
		t = begin(s, 1);
		for (rc = 0, seq = from; rc == 0 && seq < from + n; seq++) {
			chunk_of(buf, seq);
			memcpy(leaf, &seq, sizeof(seq));
			rc = tfl_store_entry_append(t, seq, buf, CHUNK, leaf,
			    &err);
		}
		if (rc == 0) {
			rc = tfl_store_commit(t, &err);
		} else {
			tfl_store_abort(t);
		}
		if (rc == TFL_EFULL)
			ck_assert_int_eq(tfl_store_grow(s, &err), 0);
		ck_assert_msg(rc == 0 || rc == TFL_EFULL, "%s", err.msg);
	}
	return retries;
}

static void
assert_chunks(tfl_store *s, uint64_t n, uint8_t *buf)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_txn *t = begin(s, 0);
	char *got = NULL;
	size_t len = 0;
	uint64_t seq;

	ck_assert_uint_eq(size_of(t), n);
	for (seq = 0; seq < n; seq++) {
		ck_assert_int_eq(tfl_store_entry_get(&got, &len, t, seq, &err),
		    0);
		chunk_of(buf, seq);
		ck_assert_uint_eq(len, CHUNK);
		ck_assert(memcmp(got, buf, CHUNK) == 0);
		free(got);
	}
	commit(t);
}

/*
 * One transaction bigger than the initial map must hit TFL_EFULL and
 * succeed after a grow.  Then more than half the map is used, so the
 * next write transaction grows the map first: the same amount again,
 * which would not fit the grown map, needs no retry.
 */
START_TEST(test_the_map_grows_past_its_initial_size)
{
	const uint64_t n = MAP0 / CHUNK + 64;
	tfl_err err = TFL_ERR_INIT;
	uint8_t *buf = malloc(CHUNK);
	uint64_t used = 0;

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_ge(append_chunks(st, 0, n, buf), 1);
	ck_assert_int_eq(tfl_store_disk_size(&used, st, &err), 0);
	ck_assert_uint_gt(used, MAP0);
	ck_assert_int_eq(append_chunks(st, n, n, buf), 0);
	assert_chunks(st, 2 * n, buf);
	tfl_store_close(st);
	st = NULL;
	ck_assert_int_eq(tfl_store_open(&st, dir, TFL_STORE_RDONLY, &err), 0);
	assert_chunks(st, 2 * n, buf);
	free(buf);
}
END_TEST

START_TEST(test_read_only_open_cannot_write)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_txn *t = NULL;

	/* Even read-write, a read transaction refuses puts. */
	t = begin(st, 0);
	ck_assert_int_eq(tfl_store_meta_put(t, "k", "v", 1, &err), TFL_EIO);
	commit(t);
	append_notes(st, 0, 3);
	tfl_store_close(st);
	st = NULL;
	ck_assert_int_eq(tfl_store_open(&st, dir, TFL_STORE_RDONLY, &err), 0);
	ck_assert_int_eq(tfl_store_begin(&t, st, 1, &err), TFL_EIO);
	ck_assert_ptr_null(t);
	ck_assert_ptr_nonnull(strstr(err.msg, dir));
	ck_assert_ptr_nonnull(strstr(err.msg, "read-only"));
	t = begin(st, 0);
	ck_assert_int_eq(tfl_store_state_put(t, "k", "v", 1, &err), TFL_EIO);
	ck_assert_uint_eq(size_of(t), 3);
	assert_entry(t, 2);
	commit(t);
}
END_TEST

/* Without Check's asserts (it may run in a child): 0 or a failing step. */
static int
probe_read_only(const char *path)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_store *s = NULL;
	tfl_txn *t = NULL, *w = NULL;
	char *got = NULL;
	uint64_t n = 0;
	int step = 0;

	if (tfl_store_open(&s, path, TFL_STORE_RDONLY, &err) != 0)
		step = 1;
	else if (tfl_store_begin(&t, s, 0, &err) != 0)
		step = 2;
	else if (tfl_store_size(&n, t, &err) != 0 || n != 4)
		step = 3;
	else if (tfl_store_entry_get(&got, NULL, t, 3, &err) != 0 ||
	    strcmp(got, "entry 3\n") != 0)
		step = 4;
	else if (tfl_store_begin(&w, s, 1, &err) != TFL_EIO)
		step = 5;
	free(got);
	tfl_store_abort(w);
	tfl_store_abort(t);
	tfl_store_close(s);
	if (step != 0)
		fprintf(stderr, "probe step %d: %s\n", step, err.msg);
	return step;
}

static int
probe_as_nobody(const char *path)
{
	pid_t pid = fork();
	int status = 0;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (setgid(NOBODY) != 0 || setuid(NOBODY) != 0)
			_exit(100);
		_exit(probe_read_only(path));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/*
 * A copy of data.mdb in a directory nobody may write: no lock.mdb can be
 * made there.  Root may write anywhere, so as root the check that needs
 * it runs in a child that has become nobody.
 */
START_TEST(test_read_only_open_of_a_read_only_copy_works)
{
	tfl_err err = TFL_ERR_INIT;
	char *copy = sub("copy", 1), *orig = sub("data.mdb", 0), *data;
	char path[4200];
	size_t len = 0;
	FILE *f;

	append_notes(st, 0, 4);
	tfl_store_close(st);
	st = NULL;
	data = tu_read_file(orig, &len);
	snprintf(path, sizeof(path), "%s/data.mdb", copy);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, 0444), 0);
	ck_assert_int_eq(chmod(copy, 0555), 0);
	ck_assert_int_eq(chmod(dir, 0755), 0);
	if (geteuid() == 0)
		ck_assert_int_eq(probe_as_nobody(copy), 0);
	else
		ck_assert_int_eq(probe_read_only(copy), 0);
	ck_assert(!exists(copy, "lock.mdb"));
	ck_assert_int_eq(probe_read_only(copy), 0);
	if (geteuid() != 0)
		ck_assert_int_eq(tfl_store_open(&st, copy, 0, &err), TFL_EIO);
	ck_assert_int_eq(chmod(copy, 0755), 0);
	free(data);
	free(orig);
	free(copy);
}
END_TEST

static int
same_entry(void *ctx, uint64_t seq, const void *data, size_t len,
    tfl_err *err)
{
	tfl_txn *other = ctx;
	char *got = NULL;
	size_t glen = 0;

	ck_assert_int_eq(tfl_store_entry_get(&got, &glen, other, seq, err), 0);
	ck_assert_uint_eq(glen, len);
	ck_assert_mem_eq(got, data, len);
	free(got);
	return 0;
}

/* Backed up while a read transaction is open in this thread (MDB_NOTLS). */
START_TEST(test_backup_produces_a_ledger_with_the_same_entries)
{
	tfl_err err = TFL_ERR_INIT;
	char *bdir = sub("backup", 1), *missing = sub("missing", 0);
	uint8_t a[H], b[H];
	tfl_store *copy = NULL;
	tfl_txn *t, *ct;

	append_notes(st, 0, 20);
	t = begin(st, 0);
	ck_assert_int_eq(tfl_store_backup(st, bdir, &err), 0);
	ck_assert_int_eq(tfl_store_backup(st, missing, &err), TFL_EIO);
	ck_assert_ptr_nonnull(strstr(err.msg, missing));
	ck_assert_int_eq(tfl_store_open(&copy, bdir, TFL_STORE_RDONLY, &err),
	    0);
	ct = begin(copy, 0);
	ck_assert_uint_eq(size_of(ct), 20);
	ck_assert_int_eq(tfl_store_entry_foreach(t, 0, same_entry, ct, &err),
	    0);
	ck_assert_int_eq(tfl_store_node_get(t, 4, 0, a, &err), 0);
	ck_assert_int_eq(tfl_store_node_get(ct, 4, 0, b, &err), 0);
	ck_assert_mem_eq(a, b, H);
	commit(ct);
	commit(t);
	tfl_store_close(copy);
	free(missing);
	free(bdir);
}
END_TEST

START_TEST(test_one_thread_may_hold_two_read_transactions)
{
	tfl_txn *t1, *t2;

	append_notes(st, 0, 1);
	t1 = begin(st, 0);
	t2 = begin(st, 0);
	assert_entry(t1, 0);
	assert_entry(t2, 0);
	commit(t2);
	commit(t1);
}
END_TEST

static Suite *
store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("core");
	TCase *slow = tcase_create("grow");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_created_ledger_opens_again_after_close);
	tcase_add_test(tc,
	    test_open_without_create_of_empty_or_missing_dir_is_not_found);
	tcase_add_test(tc,
	    test_lmdb_failure_is_eio_naming_ledger_and_operation);
	tcase_add_test(tc, test_appended_entries_read_back);
	tcase_add_test(tc, test_tree_is_kept_in_the_order_nodes_are_made);
	tcase_add_test(tc, test_a_ledger_of_the_earlier_tree_layout_is_refused);
	tcase_add_test(tc, test_append_of_a_seq_that_is_not_next_is_invalid);
	tcase_add_test(tc, test_read_data_outlives_its_transaction);
	tcase_add_test(tc, test_aborted_transaction_leaves_nothing);
	tcase_add_test(tc,
	    test_foreach_sees_every_entry_in_order_and_stops_on_nonzero);
	tcase_add_test(tc, test_tree_nodes_equal_an_independent_computation);
	tcase_add_test(tc, test_checkpoints_put_get_latest_and_foreach);
	tcase_add_test(tc,
	    test_a_different_checkpoint_at_a_stored_size_is_refused);
	tcase_add_test(tc, test_meta_and_state_get_put_del);
	tcase_add_test(tc,
	    test_state_foreach_goes_in_key_order_and_stops_on_nonzero);
	tcase_add_test(tc, test_snapshots_copy_the_state_and_keep_the_newest);
	tcase_add_test(tc,
	    test_pair_walk_merges_state_and_snapshots_in_key_order);
	tcase_add_test(tc, test_index_add_is_idempotent_and_get_is_sorted);
	tcase_add_test(tc, test_read_only_open_cannot_write);
	tcase_add_test(tc, test_read_only_open_of_a_read_only_copy_works);
	tcase_add_test(tc, test_backup_produces_a_ledger_with_the_same_entries);
	tcase_add_test(tc, test_one_thread_may_hold_two_read_transactions);
	suite_add_tcase(s, tc);
	/* Writes and reads back about 140 MiB. */
	tcase_add_checked_fixture(slow, setup, teardown);
	tcase_set_timeout(slow, 120);
	tcase_add_test(slow, test_the_map_grows_past_its_initial_size);
	suite_add_tcase(s, slow);
	return s;
}

int
main(void)
{
	return tu_run(store_suite()) != 0;
}
