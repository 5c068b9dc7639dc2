/*
 * check_merkle.c - the Merkle module against RFC 9162 and public vectors.
 *
 * Trees are read through an in-memory callback that holds every complete
 * subtree hash and refuses any node beyond the size under test, so a test
 * also catches a read past the tree or of an incomplete node.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tfledger/merkle.h"
#include "testutil.h"

#define HS TFL_HASH_SIZE
#define MAXP TFL_MERKLE_MAX_PROOF
#define REF_JSON "merkle/rfc6962-reference-upstream.json"

typedef uint8_t hash_t[HS];

static const char *derived_files[] = {
	"merkle/derived/rfc6962-ref8-all-proofs.json",
	"merkle/derived/rfc6962-bytes-roots0-256-proofs1-32.json",
};

/* Every complete subtree of a tree; reads beyond limit leaves fail. */
struct memtree {
	uint64_t size;
	hash_t *lvl[64];
	unsigned nlvl;
	uint64_t limit;
	uint64_t reads;
	uint64_t fail_read; /* 1-based read to fail with TFL_EIO, 0 never */
};

static void
memtree_build(struct memtree *t, const hash_t *leaves, uint64_t size)
{
	unsigned l;
	uint64_t i, n;

	memset(t, 0, sizeof(*t));
	t->size = t->limit = size;
	for (l = 0; l < 64 && (size >> l) > 0; l++) {
		n = size >> l;
		t->lvl[l] = malloc(n * sizeof(hash_t));
		ck_assert_ptr_nonnull(t->lvl[l]);
		for (i = 0; i < n; i++) {
			if (l == 0)
				memcpy(t->lvl[0][i], leaves[i], HS);
			else
				tfl_merkle_node_hash(t->lvl[l][i],
				    t->lvl[l - 1][2 * i],
				    t->lvl[l - 1][2 * i + 1]);
		}
		t->nlvl = l + 1;
	}
}

static void
memtree_free(struct memtree *t)
{
	unsigned l;

	for (l = 0; l < t->nlvl; l++)
		free(t->lvl[l]);
	memset(t, 0, sizeof(*t));
}

static int
memtree_node(void *ctx, unsigned level, uint64_t index, uint8_t out[HS],
    tfl_err *err)
{
	struct memtree *t = ctx;

	t->reads++;
	if (t->fail_read != 0 && t->reads == t->fail_read)
		return tfl_err_set(err, TFL_EIO, "node (%u, %" PRIu64
		    "): injected failure", level, index);
	if (level >= t->nlvl || index >= t->limit >> level)
		return tfl_err_set(err, TFL_ENOTFOUND, "node (%u, %" PRIu64
		    "): beyond tree size %" PRIu64, level, index, t->limit);
	memcpy(out, t->lvl[level][index], HS);
	return 0;
}

/* A callback for trees that have no node at all. */
static int
no_node(void *ctx, unsigned level, uint64_t index, uint8_t out[HS],
    tfl_err *err)
{
	(void)ctx;
	(void)out;
	return tfl_err_set(err, TFL_EIO, "node (%u, %" PRIu64 "): read",
	    level, index);
}

/*
 * C11 will not pass a hash_t * where the API takes const hash_t *, so
 * callers cast; these wrappers do it once.
 */
static int
verify_incl(uint64_t index, uint64_t size, const uint8_t *leaf,
    hash_t *proof, size_t n, const uint8_t *root, tfl_err *err)
{
	return tfl_merkle_verify_inclusion(index, size, leaf,
	    (const hash_t *)proof, n, root, err);
}

static int
verify_cons(uint64_t size1, uint64_t size2, const uint8_t *root1,
    const uint8_t *root2, hash_t *proof, size_t n, tfl_err *err)
{
	return tfl_merkle_verify_consistency(size1, size2, root1, root2,
	    (const hash_t *)proof, n, err);
}

static const char *
jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	ck_assert_msg(s != NULL, "missing string %s", key);
	return s;
}

static uint64_t
jnum(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	ck_assert_msg(json_is_integer(v), "missing integer %s", key);
	ck_assert_int_ge(json_integer_value(v), 0);
	return (uint64_t)json_integer_value(v);
}

static void
jhash(hash_t out, json_t *o, const char *key)
{
	tu_unhex(out, HS, jstr(o, key));
}

/* Hex hashes of array a (which may be null) into out; their count. */
static size_t
jhashes(hash_t *out, size_t cap, json_t *a)
{
	size_t i;

	ck_assert_uint_le(json_array_size(a), cap);
	for (i = 0; i < json_array_size(a); i++)
		tu_unhex(out[i], HS, json_string_value(json_array_get(a, i)));
	return json_array_size(a);
}

/* The error record holds one lower-case line of the expected code. */
static void
assert_err(const tfl_err *err, int code)
{
	ck_assert_int_eq(err->code, code);
	ck_assert_uint_gt(strlen(err->msg), 0);
	ck_assert_ptr_null(strchr(err->msg, '\n'));
	ck_assert_msg(err->msg[0] < 'A' || err->msg[0] > 'Z', "%s", err->msg);
}

static uint64_t
popcount(uint64_t x)
{
	uint64_t n = 0;

	for (; x != 0; x &= x - 1)
		n++;
	return n;
}

static unsigned
bitlen(uint64_t x)
{
	unsigned n = 0;

	for (; x != 0; x >>= 1)
		n++;
	return n;
}

/* A derived vector file: its leaves, the tree over them and the JSON. */
struct vecfile {
	json_t *j;
	hash_t *leaves;
	size_t n;
	struct memtree tree;
};

static void
vec_open(struct vecfile *v, const char *rel)
{
	json_t *data, *hashes;
	uint8_t buf[256];
	hash_t h;
	size_t i, len;

	v->j = tu_json_load(tu_vector_path(rel));
	data = json_object_get(v->j, "leaf_data_hex");
	hashes = json_object_get(v->j, "leaf_hashes");
	v->n = json_array_size(hashes);
	ck_assert_uint_gt(v->n, 0);
	ck_assert_uint_eq(json_array_size(data), v->n);
	v->leaves = malloc(v->n * sizeof(hash_t));
	ck_assert_ptr_nonnull(v->leaves);
	jhashes(v->leaves, v->n, hashes);
	for (i = 0; i < v->n; i++) {
		len = strlen(json_string_value(json_array_get(data, i))) / 2;
		ck_assert_uint_le(len, sizeof(buf));
		tu_unhex(buf, len, json_string_value(json_array_get(data, i)));
		tfl_merkle_leaf_hash(h, buf, len);
		ck_assert_mem_eq(h, v->leaves[i], HS);
	}
	memtree_build(&v->tree, (const hash_t *)v->leaves, v->n);
}

static void
vec_close(struct vecfile *v)
{
	memtree_free(&v->tree);
	free(v->leaves);
	json_decref(v->j);
}

START_TEST(test_leaf_and_node_hashes_match_reference_hasher)
{
	json_t *j, *h, *a, *e;
	uint8_t data[64], l[HS], r[HS], want[HS], got[HS];
	size_t i, len, used = 0;

	j = tu_json_load(tu_vector_path(REF_JSON));
	h = json_object_get(j, "hasher");
	a = json_object_get(h, "leaf_hashes");
	ck_assert_uint_eq(json_array_size(a), 4);
	json_array_foreach (a, i, e) {
		len = strlen(jstr(e, "leaf_hex")) / 2;
		tu_unhex(data, len, jstr(e, "leaf_hex"));
		jhash(want, e, "hash");
		tfl_merkle_leaf_hash(got, data, len);
		ck_assert_mem_eq(got, want, HS);
	}
	/*
	 * The second node vector hashes 4-byte children; the API takes
	 * 32-byte hashes only, so only 32-byte children can be passed.
	 */
	json_array_foreach (json_object_get(h, "node_hashes"), i, e) {
		if (strlen(jstr(e, "left_hex")) != 2 * HS)
			continue;
		jhash(l, e, "left_hex");
		jhash(r, e, "right_hex");
		jhash(want, e, "hash");
		tfl_merkle_node_hash(got, l, r);
		ck_assert_mem_eq(got, want, HS);
		used++;
	}
	ck_assert_uint_eq(used, 1);
	json_decref(j);
}
END_TEST

START_TEST(test_empty_root_is_sha256_of_nothing_without_reads)
{
	json_t *j;
	tfl_merkle_stream s;
	uint8_t want[HS], got[HS];
	tfl_err err = TFL_ERR_INIT;

	j = tu_json_load(tu_vector_path(REF_JSON));
	jhash(want, json_object_get(json_object_get(j, "hasher"),
	    "empty_tree_root"), "hash");
	memset(got, 0xaa, HS);
	ck_assert_int_eq(tfl_merkle_root(got, 0, no_node, NULL, &err), 0);
	ck_assert_mem_eq(got, want, HS);
	tfl_merkle_stream_init(&s);
	memset(got, 0xaa, HS);
	tfl_merkle_stream_root(got, &s);
	ck_assert_mem_eq(got, want, HS);
	json_decref(j);
}
END_TEST

START_TEST(test_odd_node_is_carried_up_not_duplicated)
{
	hash_t leaves[3], ab, want, dup, got;
	struct memtree t;
	tfl_err err = TFL_ERR_INIT;
	uint8_t i;

	for (i = 0; i < 3; i++)
		tfl_merkle_leaf_hash(leaves[i], &i, 1);
	memtree_build(&t, (const hash_t *)leaves, 3);
	tfl_merkle_node_hash(ab, leaves[0], leaves[1]);
	tfl_merkle_node_hash(want, ab, leaves[2]);
	tfl_merkle_node_hash(dup, leaves[2], leaves[2]);
	tfl_merkle_node_hash(dup, ab, dup);
	ck_assert_int_eq(tfl_merkle_root(got, 3, memtree_node, &t, &err), 0);
	ck_assert_mem_eq(got, want, HS);
	ck_assert_mem_ne(got, dup, HS);
	memtree_free(&t);
}
END_TEST

/* The reference tree's 8 leaves, hashed from their inputs. */
static void
reference_leaves(hash_t out[8], json_t *ref)
{
	json_t *in = json_object_get(ref, "leaf_inputs_hex");
	uint8_t data[64];
	size_t i, len;

	ck_assert_uint_eq(json_array_size(in), 8);
	for (i = 0; i < 8; i++) {
		len = strlen(json_string_value(json_array_get(in, i))) / 2;
		tu_unhex(data, len, json_string_value(json_array_get(in, i)));
		tfl_merkle_leaf_hash(out[i], data, len);
	}
}

START_TEST(test_reference_tree_nodes_and_roots_match)
{
	json_t *j, *ref, *lv, *e;
	hash_t leaves[8], want, got;
	struct memtree t;
	size_t l, i;
	tfl_err err = TFL_ERR_INIT;

	j = tu_json_load(tu_vector_path(REF_JSON));
	ref = json_object_get(j, "reference_tree");
	reference_leaves(leaves, ref);
	memtree_build(&t, (const hash_t *)leaves, 8);
	/* The test's own model first: every node by level. */
	json_array_foreach (json_object_get(ref, "node_hashes_by_level"), l,
	    lv) {
		ck_assert_uint_eq(json_array_size(lv), 8 >> l);
		for (i = 0; i < json_array_size(lv); i++) {
			tu_unhex(want, HS,
			    json_string_value(json_array_get(lv, i)));
			ck_assert_mem_eq(t.lvl[l][i], want, HS);
		}
	}
	lv = json_object_get(ref, "roots_by_size");
	ck_assert_uint_eq(json_array_size(lv), 9);
	json_array_foreach (lv, i, e) {
		jhash(want, e, "root");
		t.limit = jnum(e, "size");
		ck_assert_int_eq(tfl_merkle_root(got, t.limit, memtree_node, &t,
		    &err), 0);
		ck_assert_mem_eq(got, want, HS);
	}
	memtree_free(&t);
	json_decref(j);
}
END_TEST

/* Generate the inclusion proof of vector e, compare it, verify it. */
static void
check_inclusion_vector(struct memtree *t, json_t *e)
{
	hash_t want[MAXP], got[MAXP], leaf, root;
	uint64_t index = jnum(e, "index"), size = jnum(e, "size");
	size_t nwant, ngot = 99;
	tfl_err err = TFL_ERR_INIT;

	jhash(leaf, e, "leaf_hash");
	jhash(root, e, "root");
	nwant = jhashes(want, MAXP, json_object_get(e, "proof"));
	ck_assert_mem_eq(t->lvl[0][index], leaf, HS);
	t->limit = size;
	ck_assert_msg(tfl_merkle_inclusion(got, &ngot, index, size,
	    memtree_node, t, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(ngot, nwant);
	if (nwant > 0)
		ck_assert_mem_eq(got, want, nwant * HS);
	ck_assert_msg(verify_incl(index, size, leaf, want,
	    nwant, root, &err) == 0, "%s", err.msg);
}

/* Generate the consistency proof of vector e, compare it, verify it. */
static void
check_consistency_vector(struct memtree *t, json_t *e)
{
	hash_t want[MAXP], got[MAXP], root1, root2;
	uint64_t size1 = jnum(e, "size1"), size2 = jnum(e, "size2");
	size_t nwant, ngot = 99;
	tfl_err err = TFL_ERR_INIT;

	jhash(root1, e, "root1");
	jhash(root2, e, "root2");
	nwant = jhashes(want, MAXP, json_object_get(e, "proof"));
	t->limit = size2;
	ck_assert_msg(tfl_merkle_consistency(got, &ngot, size1, size2,
	    memtree_node, t, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(ngot, nwant);
	if (nwant > 0)
		ck_assert_mem_eq(got, want, nwant * HS);
	ck_assert_msg(verify_cons(size1, size2, root1, root2,
	    want, nwant, &err) == 0, "%s", err.msg);
}

START_TEST(test_reference_proofs_are_generated_and_verify)
{
	json_t *j, *ref, *e;
	hash_t leaves[8];
	struct memtree t;
	size_t i;

	j = tu_json_load(tu_vector_path(REF_JSON));
	ref = json_object_get(j, "reference_tree");
	reference_leaves(leaves, ref);
	memtree_build(&t, (const hash_t *)leaves, 8);
	ck_assert_uint_eq(json_array_size(json_object_get(ref,
	    "inclusion_proofs")), 5);
	ck_assert_uint_eq(json_array_size(json_object_get(ref,
	    "consistency_proofs")), 5);
	json_array_foreach (json_object_get(ref, "inclusion_proofs"), i, e)
		check_inclusion_vector(&t, e);
	json_array_foreach (json_object_get(ref, "consistency_proofs"), i, e)
		check_consistency_vector(&t, e);
	memtree_free(&t);
	json_decref(j);
}
END_TEST

/* The RFC 9162 2.1.5 symbols over the first 7 reference leaves. */
static void
rfc_symbols(hash_t sym[12], const hash_t leaves[8])
{
	int i;

	for (i = 0; i < 6; i++)
		memcpy(sym[i], leaves[i], HS); /* a..f */
	tfl_merkle_node_hash(sym[6], sym[0], sym[1]);	/* g */
	tfl_merkle_node_hash(sym[7], sym[2], sym[3]);	/* h */
	tfl_merkle_node_hash(sym[8], sym[4], sym[5]);	/* i */
	memcpy(sym[9], leaves[6], HS);			/* j */
	tfl_merkle_node_hash(sym[10], sym[6], sym[7]);	/* k */
	tfl_merkle_node_hash(sym[11], sym[8], sym[9]);	/* l */
}

/* A generated proof equals the symbols listed in a. */
static void
assert_symbols(hash_t sym[12], const hash_t *got, size_t n, json_t *a)
{
	const char *s;
	size_t i;

	ck_assert_uint_eq(n, json_array_size(a));
	for (i = 0; i < n; i++) {
		s = json_string_value(json_array_get(a, i));
		ck_assert_msg(s != NULL && s[0] >= 'a' && s[0] <= 'l' &&
		    s[1] == '\0', "bad symbol");
		ck_assert_mem_eq(got[i], sym[s[0] - 'a'], HS);
	}
}

START_TEST(test_rfc9162_example_proofs_match_their_symbols)
{
	json_t *j, *ex, *a;
	hash_t leaves[8], sym[12], got[MAXP];
	struct memtree t;
	const char *key;
	size_t n, count = 0;
	tfl_err err = TFL_ERR_INIT;

	j = tu_json_load(tu_vector_path(REF_JSON));
	ex = json_object_get(j, "rfc9162_section_2_1_5_example_symbolic");
	reference_leaves(leaves, json_object_get(j, "reference_tree"));
	rfc_symbols(sym, (const hash_t *)leaves);
	memtree_build(&t, (const hash_t *)leaves, 8);
	t.limit = 7;
	json_object_foreach (json_object_get(ex, "inclusion"), key, a) {
		ck_assert_int_eq(tfl_merkle_inclusion(got, &n,
		    strtoull(key + 1, NULL, 10), 7, memtree_node, &t, &err), 0);
		assert_symbols(sym, (const hash_t *)got, n, a);
		count++;
	}
	json_object_foreach (json_object_get(ex, "consistency"), key, a) {
		ck_assert_int_eq(tfl_merkle_consistency(got, &n,
		    strtoull(key + 6, NULL, 10), 7, memtree_node, &t, &err), 0);
		assert_symbols(sym, (const hash_t *)got, n, a);
		count++;
	}
	ck_assert_uint_eq(count, 7);
	memtree_free(&t);
	json_decref(j);
}
END_TEST

START_TEST(test_derived_roots_match_for_every_size)
{
	struct vecfile v;
	json_t *roots, *e;
	hash_t want, got;
	size_t f, i;
	tfl_err err = TFL_ERR_INIT;

	for (f = 0; f < 2; f++) {
		vec_open(&v, derived_files[f]);
		roots = json_object_get(v.j, "roots");
		ck_assert_uint_eq(json_array_size(roots), v.n + 1);
		json_array_foreach (roots, i, e) {
			ck_assert_uint_eq(jnum(e, "size"), i);
			jhash(want, e, "root");
			v.tree.limit = i;
			ck_assert_int_eq(tfl_merkle_root(got, i, memtree_node,
			    &v.tree, &err), 0);
			ck_assert_mem_eq(got, want, HS);
		}
		vec_close(&v);
	}
}
END_TEST

START_TEST(test_derived_inclusion_proofs_match_and_verify)
{
	static const size_t counts[] = { 36, 528 };
	struct vecfile v;
	json_t *e;
	size_t f, i;

	for (f = 0; f < 2; f++) {
		vec_open(&v, derived_files[f]);
		ck_assert_uint_eq(json_array_size(json_object_get(v.j,
		    "inclusion")), counts[f]);
		json_array_foreach (json_object_get(v.j, "inclusion"), i, e)
			check_inclusion_vector(&v.tree, e);
		vec_close(&v);
	}
}
END_TEST

START_TEST(test_derived_consistency_proofs_match_and_verify)
{
	static const size_t counts[] = { 36, 528 };
	struct vecfile v;
	json_t *e;
	size_t f, i;

	for (f = 0; f < 2; f++) {
		vec_open(&v, derived_files[f]);
		ck_assert_uint_eq(json_array_size(json_object_get(v.j,
		    "consistency")), counts[f]);
		json_array_foreach (json_object_get(v.j, "consistency"), i, e)
			check_consistency_vector(&v.tree, e);
		vec_close(&v);
	}
}
END_TEST

/*
 * Upstream probes carry Go byte slices, some not 32 bytes long.  Go
 * compares roots as opaque bytes and hashes proof elements as given, so
 * those are zero-padded into the API's 32-byte slots (no probe value is
 * longer): equal stays equal, different stays different.  Go refuses a
 * leaf hash of the wrong size outright; the API's leaf type cannot carry
 * one, so such a probe is refused at decoding, as a caller would.
 */
static size_t
b64_slot(hash_t out, const char *b64)
{
	uint8_t buf[3 * HS];
	size_t n = tu_unb64(buf, sizeof(buf), b64);

	ck_assert_uint_le(n, HS);
	memset(out, 0, HS);
	memcpy(out, buf, n);
	return n;
}

static size_t
b64_proof(hash_t *out, json_t *a)
{
	size_t i;

	ck_assert(json_is_null(a) || json_is_array(a));
	ck_assert_uint_le(json_array_size(a), MAXP);
	for (i = 0; i < json_array_size(a); i++)
		b64_slot(out[i], json_string_value(json_array_get(a, i)));
	return json_array_size(a);
}

/*
 * Go writes uint64 values that jansson cannot hold (leafIdx 0 - 1 is
 * 2^64 - 1), so numbers are read from the text and the rest through
 * jansson with integers as reals.
 */
static json_t *
probe_load(const char *path, char **text)
{
	json_error_t jerr;
	json_t *j;

	*text = tu_read_file(path, NULL);
	j = json_loads(*text, JSON_DECODE_INT_AS_REAL, &jerr);
	ck_assert_msg(j != NULL, "%s:%d: %s", path, jerr.line, jerr.text);
	return j;
}

static uint64_t
probe_u64(const char *text, const char *key)
{
	char pat[64], *end;
	const char *p;
	uint64_t v;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(text, pat);
	ck_assert_msg(p != NULL, "missing %s", key);
	p += strlen(pat);
	while (*p == ' ')
		p++;
	errno = 0;
	v = strtoull(p, &end, 10);
	ck_assert(end != p && errno == 0 && *p != '-');
	return v;
}

static int
want_err(json_t *j)
{
	json_t *w = json_object_get(j, "wantErr");

	ck_assert(json_is_boolean(w));
	return json_is_true(w);
}

static void
inclusion_probe(const char *path)
{
	char *text;
	json_t *j = probe_load(path, &text);
	hash_t leaf, root, proof[MAXP];
	size_t n;
	int rc = TFL_EVERIFY;
	tfl_err err = TFL_ERR_INIT;

	b64_slot(root, jstr(j, "root"));
	n = b64_proof(proof, json_object_get(j, "proof"));
	if (b64_slot(leaf, jstr(j, "leafHash")) == HS)
		rc = verify_incl(probe_u64(text, "leafIdx"),
		    probe_u64(text, "treeSize"), leaf, proof, n, root, &err);
	else
		tfl_err_set(&err, TFL_EVERIFY, "leaf hash is not 32 bytes");
	ck_assert_msg((rc != 0) == want_err(j), "%s: verifier says %d (%s)",
	    path, rc, err.msg);
	if (rc != 0)
		assert_err(&err, TFL_EVERIFY);
	json_decref(j);
	free(text);
}

static void
consistency_probe(const char *path)
{
	char *text;
	json_t *j = probe_load(path, &text);
	hash_t root1, root2, proof[MAXP];
	size_t n;
	int rc;
	tfl_err err = TFL_ERR_INIT;

	b64_slot(root1, jstr(j, "root1"));
	b64_slot(root2, jstr(j, "root2"));
	n = b64_proof(proof, json_object_get(j, "proof"));
	rc = verify_cons(probe_u64(text, "size1"),
	    probe_u64(text, "size2"), root1, root2, proof, n, &err);
	ck_assert_msg((rc != 0) == want_err(j), "%s: verifier says %d (%s)",
	    path, rc, err.msg);
	if (rc != 0)
		assert_err(&err, TFL_EVERIFY);
	json_decref(j);
	free(text);
}

/* Run fn on every .json under dir, recursively; the count. */
static size_t
walk_probes(const char *dir, void (*fn)(const char *))
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat st;
	char path[4096];
	size_t count = 0, len;

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	for (;;) {
		de = readdir(d);
		if (de == NULL)
			break;
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		ck_assert_int_eq(stat(path, &st), 0);
		len = strlen(de->d_name);
		if (S_ISDIR(st.st_mode)) {
			count += walk_probes(path, fn);
		} else if (len > 5 &&
		    strcmp(de->d_name + len - 5, ".json") == 0) {
			fn(path);
			count++;
		}
	}
	closedir(d);
	return count;
}

START_TEST(test_upstream_inclusion_probes_agree_with_verifier)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s", tu_vector_path(
	    "merkle/transparency-dev-merkle/testdata/inclusion"));
	ck_assert_uint_eq(walk_probes(dir, inclusion_probe), 98);
}
END_TEST

START_TEST(test_upstream_consistency_probes_agree_with_verifier)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s", tu_vector_path(
	    "merkle/transparency-dev-merkle/testdata/consistency"));
	ck_assert_uint_eq(walk_probes(dir, consistency_probe), 98);
}
END_TEST

START_TEST(test_stream_roots_match_derived_roots)
{
	struct vecfile v;
	tfl_merkle_stream s;
	json_t *roots;
	hash_t want, got;
	size_t f, i;

	for (f = 0; f < 2; f++) {
		vec_open(&v, derived_files[f]);
		roots = json_object_get(v.j, "roots");
		tfl_merkle_stream_init(&s);
		for (i = 0; i <= v.n; i++) {
			ck_assert_uint_eq(s.size, i);
			jhash(want, json_array_get(roots, i), "root");
			tfl_merkle_stream_root(got, &s);
			ck_assert_mem_eq(got, want, HS);
			if (i < v.n)
				tfl_merkle_stream_push(&s, v.leaves[i], NULL);
		}
		vec_close(&v);
	}
}
END_TEST

START_TEST(test_stream_reports_every_completed_node)
{
	struct vecfile v;
	tfl_merkle_stream s, quiet;
	tfl_merkle_node nodes[65];
	size_t i, k, n;

	vec_open(&v, derived_files[1]);
	tfl_merkle_stream_init(&s);
	tfl_merkle_stream_init(&quiet);
	for (i = 0; i < v.n; i++) {
		memset(nodes, 0xaa, sizeof(nodes));
		n = tfl_merkle_stream_push(&s, v.leaves[i], nodes);
		/* The leaf itself, then one node per trailing one bit of i. */
		ck_assert_uint_eq(n, popcount(i ^ (i + 1)));
		for (k = 0; k < n; k++) {
			ck_assert_uint_eq(nodes[k].level, k);
			ck_assert_uint_eq(nodes[k].index, i >> k);
			ck_assert_mem_eq(nodes[k].hash, v.tree.lvl[k][i >> k],
			    HS);
		}
		ck_assert_uint_eq(tfl_merkle_stream_push(&quiet, v.leaves[i],
		    NULL), n);
	}
	ck_assert_uint_eq(s.size, v.n);
	vec_close(&v);
}
END_TEST

START_TEST(test_reads_are_logarithmic_in_tree_size)
{
	struct vecfile v;
	hash_t root, proof[MAXP];
	uint64_t n, m;
	size_t len;
	tfl_err err = TFL_ERR_INIT;

	vec_open(&v, derived_files[1]);
	for (n = 1; n <= v.n; n++) {
		v.tree.limit = n;
		v.tree.reads = 0;
		ck_assert_int_eq(tfl_merkle_root(root, n, memtree_node, &v.tree,
		    &err), 0);
		ck_assert_uint_eq(v.tree.reads, popcount(n));
		for (m = 0; m < n; m++) {
			v.tree.reads = 0;
			ck_assert_int_eq(tfl_merkle_inclusion(proof, &len, m, n,
			    memtree_node, &v.tree, &err), 0);
			ck_assert_uint_le(v.tree.reads, 2 * bitlen(n));
			v.tree.reads = 0;
			ck_assert_int_eq(tfl_merkle_consistency(proof, &len,
			    m + 1, n, memtree_node, &v.tree, &err), 0);
			ck_assert_uint_le(v.tree.reads, 2 * bitlen(n) + 1);
		}
	}
	vec_close(&v);
}
END_TEST

/* A tree of 2^64 - 1 equal leaves: node (l, i) is c[l] for every i. */
struct flat {
	hash_t c[64];
	uint64_t limit;
	uint64_t reads;
};

static int
flat_node(void *ctx, unsigned level, uint64_t index, uint8_t out[HS],
    tfl_err *err)
{
	struct flat *t = ctx;

	t->reads++;
	if (level >= 64 || index >= t->limit >> level)
		return tfl_err_set(err, TFL_ENOTFOUND, "node (%u, %" PRIu64
		    "): beyond tree size %" PRIu64, level, index, t->limit);
	memcpy(out, t->c[level], HS);
	return 0;
}

static void
flat_root(hash_t out, struct flat *t, uint64_t size)
{
	tfl_err err = TFL_ERR_INIT;

	t->limit = size;
	t->reads = 0;
	ck_assert_msg(tfl_merkle_root(out, size, flat_node, t, &err) == 0,
	    "%s", err.msg);
	ck_assert_uint_eq(t->reads, popcount(size));
}

static void
flat_inclusion(struct flat *t, uint64_t index, uint64_t size)
{
	hash_t root, proof[MAXP];
	size_t len;
	tfl_err err = TFL_ERR_INIT;

	flat_root(root, t, size);
	t->reads = 0;
	ck_assert_msg(tfl_merkle_inclusion(proof, &len, index, size, flat_node,
	    t, &err) == 0, "%s", err.msg);
	ck_assert_uint_le(t->reads, 2 * 64);
	ck_assert_msg(verify_incl(index, size, t->c[0], proof,
	    len, root, &err) == 0, "%s", err.msg);
	proof[len - 1][HS - 1] ^= 1;
	ck_assert_int_eq(verify_incl(index, size, t->c[0],
	    proof, len, root, &err), TFL_EVERIFY);
}

static void
flat_consistency(struct flat *t, uint64_t size1, uint64_t size2)
{
	hash_t root1, root2, proof[MAXP];
	size_t len;
	tfl_err err = TFL_ERR_INIT;

	flat_root(root1, t, size1);
	flat_root(root2, t, size2);
	t->reads = 0;
	ck_assert_msg(tfl_merkle_consistency(proof, &len, size1, size2,
	    flat_node, t, &err) == 0, "%s", err.msg);
	ck_assert_uint_le(t->reads, 2 * 64 + 1);
	ck_assert_msg(verify_cons(size1, size2, root1, root2,
	    proof, len, &err) == 0, "%s", err.msg);
	root2[0] ^= 0x80;
	ck_assert_int_eq(verify_cons(size1, size2, root1,
	    root2, proof, len, &err), TFL_EVERIFY);
}

START_TEST(test_huge_trees_prove_and_verify_without_overflow)
{
	static const uint64_t big = UINT64_MAX, half = (uint64_t)1 << 63;
	struct flat t;
	unsigned l;

	tfl_merkle_leaf_hash(t.c[0], "x", 1);
	for (l = 1; l < 64; l++)
		tfl_merkle_node_hash(t.c[l], t.c[l - 1], t.c[l - 1]);
	flat_inclusion(&t, 0, big);
	flat_inclusion(&t, big - 1, big);
	flat_inclusion(&t, half, big);
	flat_inclusion(&t, half - 1, half);
	flat_inclusion(&t, 0x5555555555555555u, half + 12345);
	flat_consistency(&t, 1, big);
	flat_consistency(&t, half, big);
	flat_consistency(&t, half + 1, big);
	flat_consistency(&t, big - 1, big);
	flat_consistency(&t, ((uint64_t)1 << 32) + 3, half + 1);
	flat_consistency(&t, 0x5555555555555555u, 0xaaaaaaaaaaaaaaaau);
}
END_TEST

START_TEST(test_callback_failure_is_passed_through)
{
	struct vecfile v;
	hash_t root, proof[MAXP];
	size_t len, want, k;
	tfl_err err = TFL_ERR_INIT;

	vec_open(&v, derived_files[1]);
	v.tree.limit = 255;
	for (k = 1; k <= popcount(255); k++) {
		v.tree.reads = 0;
		v.tree.fail_read = k;
		ck_assert_int_eq(tfl_merkle_root(root, 255, memtree_node,
		    &v.tree, &err), TFL_EIO);
		assert_err(&err, TFL_EIO);
	}
	v.tree.reads = v.tree.fail_read = 0;
	ck_assert_int_eq(tfl_merkle_inclusion(proof, &want, 3, 255,
	    memtree_node, &v.tree, &err), 0);
	for (k = 1; k <= v.tree.reads; k++) {
		v.tree.reads = 0;
		v.tree.fail_read = k;
		len = 99;
		ck_assert_int_eq(tfl_merkle_inclusion(proof, &len, 3, 255,
		    memtree_node, &v.tree, &err), TFL_EIO);
		ck_assert_uint_eq(len, 0);
		v.tree.reads = 0;
		len = 99;
		ck_assert_int_eq(tfl_merkle_consistency(proof, &len, 5, 255,
		    memtree_node, &v.tree, &err), TFL_EIO);
		ck_assert_uint_eq(len, 0);
		assert_err(&err, TFL_EIO);
	}
	vec_close(&v);
}
END_TEST

START_TEST(test_inclusion_beyond_tree_size_is_refused)
{
	hash_t leaf = { 1 }, root = { 2 }, proof[MAXP];
	size_t len = 99;
	tfl_err err = TFL_ERR_INIT;

	ck_assert_int_eq(tfl_merkle_inclusion(proof, &len, 0, 0, no_node, NULL,
	    &err), TFL_EINVAL);
	ck_assert_uint_eq(len, 0);
	assert_err(&err, TFL_EINVAL);
	ck_assert_int_eq(tfl_merkle_inclusion(proof, &len, 8, 8, no_node, NULL,
	    &err), TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "beyond"));
	ck_assert_int_eq(verify_incl(0, 0, leaf, NULL, 0, root,
	    &err), TFL_EVERIFY);
	assert_err(&err, TFL_EVERIFY);
	/* A one-leaf tree whose root is the leaf, asked about leaf 1. */
	ck_assert_int_eq(verify_incl(1, 1, leaf, NULL, 0, leaf,
	    &err), TFL_EVERIFY);
	ck_assert_ptr_nonnull(strstr(err.msg, "beyond"));
	ck_assert_int_eq(verify_incl(0, 1, leaf, NULL, 0, leaf,
	    &err), 0);
}
END_TEST

START_TEST(test_consistency_sizes_are_checked)
{
	hash_t e, r = { 7 }, s = { 8 }, proof[MAXP] = { { 9 } };
	size_t len = 99;
	tfl_err err = TFL_ERR_INIT;

	tfl_merkle_root(e, 0, no_node, NULL, &err);
	ck_assert_int_eq(tfl_merkle_consistency(proof, &len, 5, 4, no_node,
	    NULL, &err), TFL_EINVAL);
	assert_err(&err, TFL_EINVAL);
	ck_assert_int_eq(tfl_merkle_consistency(proof, &len, 0, 4, no_node,
	    NULL, &err), TFL_EINVAL);
	ck_assert_int_eq(tfl_merkle_consistency(proof, &len, 0, 0, no_node,
	    NULL, &err), TFL_EINVAL);
	ck_assert_uint_eq(len, 0);
	len = 99;
	ck_assert_int_eq(tfl_merkle_consistency(proof, &len, 4, 4, no_node,
	    NULL, &err), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(verify_cons(5, 4, r, s, proof, 1,
	    &err), TFL_EVERIFY);
	assert_err(&err, TFL_EVERIFY);
	ck_assert_int_eq(verify_cons(0, 4, e, s, NULL, 0,
	    &err), TFL_EVERIFY);
	ck_assert_int_eq(verify_cons(0, 0, e, e, NULL, 0,
	    &err), TFL_EVERIFY);
	ck_assert_int_eq(verify_cons(4, 4, r, r, NULL, 0,
	    &err), 0);
	ck_assert_int_eq(verify_cons(4, 4, r, s, NULL, 0,
	    &err), TFL_EVERIFY);
	ck_assert_int_eq(verify_cons(4, 4, r, r, proof, 1,
	    &err), TFL_EVERIFY);
	ck_assert_int_eq(verify_cons(4, 5, r, s, NULL, 0,
	    &err), TFL_EVERIFY);
	ck_assert_ptr_nonnull(strstr(err.msg, "empty"));
	ck_assert_int_eq(verify_cons(3, 5, r, s, NULL, 0,
	    &err), TFL_EVERIFY);
	ck_assert_ptr_nonnull(strstr(err.msg, "empty"));
}
END_TEST

START_TEST(test_inclusion_walk_must_end_at_the_root)
{
	hash_t l[3], proof[2], root;
	tfl_err err = TFL_ERR_INIT;
	uint8_t i;

	for (i = 0; i < 3; i++)
		tfl_merkle_leaf_hash(l[i], &i, 1);
	/* Leaf 0's proof in the 2-tree, offered for the 3-tree. */
	memcpy(proof[0], l[1], HS);
	tfl_merkle_node_hash(root, l[0], l[1]);
	ck_assert_int_eq(verify_incl(0, 2, l[0], proof, 1,
	    root, &err), 0);
	ck_assert_int_eq(verify_incl(0, 3, l[0], proof, 1,
	    root, &err), TFL_EVERIFY);
	ck_assert_ptr_nonnull(strstr(err.msg, "too short"));
	/* One hash too many, with the root it would lead to. */
	memcpy(proof[1], l[2], HS);
	tfl_merkle_node_hash(root, l[2], root);
	ck_assert_int_eq(verify_incl(0, 2, l[0], proof, 2,
	    root, &err), TFL_EVERIFY);
	ck_assert_ptr_nonnull(strstr(err.msg, "too long"));
}
END_TEST

START_TEST(test_consistency_walk_must_end_at_the_root)
{
	struct vecfile v;
	hash_t proof[MAXP], r6, r7, r8;
	size_t len;
	tfl_err err = TFL_ERR_INIT;

	vec_open(&v, derived_files[0]);
	ck_assert_int_eq(tfl_merkle_root(r6, 6, memtree_node, &v.tree, &err),
	    0);
	ck_assert_int_eq(tfl_merkle_root(r7, 7, memtree_node, &v.tree, &err),
	    0);
	ck_assert_int_eq(tfl_merkle_root(r8, 8, memtree_node, &v.tree, &err),
	    0);
	v.tree.limit = 7;
	ck_assert_int_eq(tfl_merkle_consistency(proof, &len, 6, 7,
	    memtree_node, &v.tree, &err), 0);
	ck_assert_int_eq(verify_cons(6, 7, r6, r7, proof,
	    len, &err), 0);
	ck_assert_int_eq(verify_cons(6, 8, r6, r8, proof,
	    len, &err), TFL_EVERIFY);
	ck_assert_int_eq(verify_cons(6, 7, r6, r7, proof,
	    len - 1, &err), TFL_EVERIFY);
	ck_assert_ptr_nonnull(strstr(err.msg, "too short"));
	memcpy(proof[len], r8, HS);
	ck_assert_int_eq(verify_cons(6, 7, r6, r7, proof,
	    len + 1, &err), TFL_EVERIFY);
	ck_assert_ptr_nonnull(strstr(err.msg, "too long"));
	vec_close(&v);
}
END_TEST

START_TEST(test_power_of_two_first_size_seeds_with_first_root)
{
	struct vecfile v;
	hash_t proof[MAXP + 1], r3, r4, r7;
	size_t len;
	tfl_err err = TFL_ERR_INIT;

	vec_open(&v, derived_files[0]);
	v.tree.limit = 7;
	ck_assert_int_eq(tfl_merkle_root(r3, 3, memtree_node, &v.tree, &err),
	    0);
	ck_assert_int_eq(tfl_merkle_root(r4, 4, memtree_node, &v.tree, &err),
	    0);
	ck_assert_int_eq(tfl_merkle_root(r7, 7, memtree_node, &v.tree, &err),
	    0);
	ck_assert_int_eq(tfl_merkle_consistency(proof + 1, &len, 4, 7,
	    memtree_node, &v.tree, &err), 0);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(verify_cons(4, 7, r4, r7, proof + 1,
	    len, &err), 0);
	/* The first root is not sent: sending it too is one hash too many. */
	memcpy(proof[0], r4, HS);
	ck_assert_int_eq(verify_cons(4, 7, r4, r7, proof,
	    len + 1, &err), TFL_EVERIFY);
	r4[5] ^= 4;
	ck_assert_int_eq(verify_cons(4, 7, r4, r7, proof + 1,
	    len, &err), TFL_EVERIFY);
	/* 3 is no power of two: the proof carries its own seed. */
	ck_assert_int_eq(tfl_merkle_consistency(proof, &len, 3, 7,
	    memtree_node, &v.tree, &err), 0);
	ck_assert_uint_eq(len, 4);
	ck_assert_int_eq(verify_cons(3, 7, r3, r7, proof,
	    len, &err), 0);
	ck_assert_int_eq(verify_cons(3, 7, r3, r7, proof + 1,
	    len - 1, &err), TFL_EVERIFY);
	vec_close(&v);
}
END_TEST

/* xorshift64*: a fixed seed keeps any failure reproducible. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

#define PROP_LEAVES 4097

/* A tree of PROP_LEAVES leaves and the stream's root of every prefix. */
struct prop {
	struct memtree tree;
	hash_t *roots;
	uint64_t seed;
};

static void
prop_open(struct prop *p)
{
	hash_t *leaves = malloc(PROP_LEAVES * sizeof(hash_t));
	tfl_merkle_stream s;
	uint8_t be[8];
	uint64_t i;
	unsigned b;

	p->roots = malloc((PROP_LEAVES + 1) * sizeof(hash_t));
	ck_assert(leaves != NULL && p->roots != NULL);
	tfl_merkle_stream_init(&s);
	for (i = 0; i < PROP_LEAVES; i++) {
		tfl_merkle_stream_root(p->roots[i], &s);
		for (b = 0; b < 8; b++)
			be[b] = (uint8_t)(i >> (56 - 8 * b));
		tfl_merkle_leaf_hash(leaves[i], be, sizeof(be));
		tfl_merkle_stream_push(&s, leaves[i], NULL);
	}
	tfl_merkle_stream_root(p->roots[PROP_LEAVES], &s);
	memtree_build(&p->tree, (const hash_t *)leaves, PROP_LEAVES);
	free(leaves);
	p->seed = UINT64_C(0x9e3779b97f4a7c15);
}

static void
prop_close(struct prop *p)
{
	memtree_free(&p->tree);
	free(p->roots);
}

/* The sizes to try: edges around powers of two, then random ones. */
static uint64_t
prop_size(struct prop *p, int k)
{
	static const uint64_t fixed[] = { 1, 2, 3, 4, 5, 7, 8, 9, 1023, 1024,
		1025, 4095, 4096, 4097 };
	const int nfixed = (int)(sizeof(fixed) / sizeof(fixed[0]));

	if (k < nfixed)
		return fixed[k];
	return 1 + rnd(&p->seed) % PROP_LEAVES;
}

/* Flip one random bit of one random hash in h[0..n). */
static void
flip(struct prop *p, hash_t *h, size_t n)
{
	uint64_t r = rnd(&p->seed);

	h[r % n][(r >> 16) % HS] ^= (uint8_t)(1u << (r >> 32) % 8);
}

static void
prop_inclusion(struct prop *p, uint64_t index, uint64_t size)
{
	hash_t proof[MAXP], leaf, root;
	size_t len;
	tfl_err err = TFL_ERR_INIT;

	memcpy(leaf, p->tree.lvl[0][index], HS);
	memcpy(root, p->roots[size], HS);
	ck_assert_msg(tfl_merkle_inclusion(proof, &len, index, size,
	    memtree_node, &p->tree, &err) == 0, "%s", err.msg);
	ck_assert_msg(verify_incl(index, size, leaf, proof,
	    len, root, &err) == 0, "%" PRIu64 "/%" PRIu64 ": %s", index, size,
	    err.msg);
	if (size > 1)
		ck_assert_int_eq(verify_incl((index + 1) % size,
		    size, leaf, proof, len, root, &err), TFL_EVERIFY);
	flip(p, &leaf, 1);
	ck_assert_int_eq(verify_incl(index, size, leaf, proof,
	    len, root, &err), TFL_EVERIFY);
	flip(p, &leaf, 1);
	flip(p, &root, 1);
	ck_assert_int_eq(verify_incl(index, size,
	    p->tree.lvl[0][index], proof, len, root, &err), TFL_EVERIFY);
	if (len == 0)
		return;
	flip(p, proof, len);
	ck_assert_int_eq(verify_incl(index, size,
	    p->tree.lvl[0][index], proof, len, p->roots[size], &err),
	    TFL_EVERIFY);
}

START_TEST(test_random_inclusion_proofs_verify_and_flipped_bits_fail)
{
	struct prop p;
	uint64_t size, i;
	int k;

	prop_open(&p);
	for (k = 0; k < 64; k++) {
		size = prop_size(&p, k);
		p.tree.limit = size;
		prop_inclusion(&p, 0, size);
		prop_inclusion(&p, size - 1, size);
		for (i = 0; i < 16; i++)
			prop_inclusion(&p, rnd(&p.seed) % size, size);
	}
	prop_close(&p);
}
END_TEST

static void
prop_consistency(struct prop *p, uint64_t size1, uint64_t size2)
{
	hash_t proof[MAXP], r1, r2;
	size_t len;
	tfl_err err = TFL_ERR_INIT;

	memcpy(r1, p->roots[size1], HS);
	memcpy(r2, p->roots[size2], HS);
	ck_assert_msg(tfl_merkle_consistency(proof, &len, size1, size2,
	    memtree_node, &p->tree, &err) == 0, "%s", err.msg);
	ck_assert_msg(verify_cons(size1, size2, r1, r2,
	    proof, len, &err) == 0, "%" PRIu64 "->%" PRIu64 ": %s", size1,
	    size2, err.msg);
	flip(p, &r1, 1);
	ck_assert_int_eq(verify_cons(size1, size2, r1, r2,
	    proof, len, &err), TFL_EVERIFY);
	flip(p, &r2, 1);
	ck_assert_int_eq(verify_cons(size1, size2,
	    p->roots[size1], r2, proof, len, &err), TFL_EVERIFY);
	if (len == 0)
		return;
	flip(p, proof, len);
	ck_assert_int_eq(verify_cons(size1, size2,
	    p->roots[size1], p->roots[size2], proof, len, &err), TFL_EVERIFY);
}

START_TEST(test_random_consistency_proofs_verify_and_flipped_bits_fail)
{
	struct prop p;
	uint64_t size;
	hash_t got;
	int k, i;
	tfl_err err = TFL_ERR_INIT;

	prop_open(&p);
	for (k = 0; k < 64; k++) {
		size = prop_size(&p, k);
		p.tree.limit = size;
		/* The callback's root agrees with the stream's. */
		ck_assert_int_eq(tfl_merkle_root(got, size, memtree_node,
		    &p.tree, &err), 0);
		ck_assert_mem_eq(got, p.roots[size], HS);
		prop_consistency(&p, 1, size);
		prop_consistency(&p, size, size);
		for (i = 0; i < 16; i++)
			prop_consistency(&p, 1 + rnd(&p.seed) % size, size);
	}
	prop_close(&p);
}
END_TEST

static TCase *
tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return tc;
}

int
main(void)
{
	Suite *s = suite_create("merkle");
	TCase *tc;

	tc = tcase(s, "vectors");
	tcase_add_test(tc, test_leaf_and_node_hashes_match_reference_hasher);
	tcase_add_test(tc, test_empty_root_is_sha256_of_nothing_without_reads);
	tcase_add_test(tc, test_odd_node_is_carried_up_not_duplicated);
	tcase_add_test(tc, test_reference_tree_nodes_and_roots_match);
	tcase_add_test(tc, test_reference_proofs_are_generated_and_verify);
	tcase_add_test(tc, test_rfc9162_example_proofs_match_their_symbols);
	tcase_add_test(tc, test_derived_roots_match_for_every_size);
	tcase_add_test(tc, test_derived_inclusion_proofs_match_and_verify);
	tcase_add_test(tc, test_derived_consistency_proofs_match_and_verify);
	tcase_add_test(tc,
	    test_upstream_inclusion_probes_agree_with_verifier);
	tcase_add_test(tc,
	    test_upstream_consistency_probes_agree_with_verifier);
	tc = tcase(s, "stream");
	tcase_add_test(tc, test_stream_roots_match_derived_roots);
	tcase_add_test(tc, test_stream_reports_every_completed_node);
	tc = tcase(s, "edges");
	tcase_add_test(tc, test_reads_are_logarithmic_in_tree_size);
	tcase_add_test(tc, test_huge_trees_prove_and_verify_without_overflow);
	tcase_add_test(tc, test_callback_failure_is_passed_through);
	tcase_add_test(tc, test_inclusion_beyond_tree_size_is_refused);
	tcase_add_test(tc, test_consistency_sizes_are_checked);
	tcase_add_test(tc, test_inclusion_walk_must_end_at_the_root);
	tcase_add_test(tc, test_consistency_walk_must_end_at_the_root);
	tcase_add_test(tc, test_power_of_two_first_size_seeds_with_first_root);
	tc = tcase(s, "properties");
	tcase_add_test(tc,
	    test_random_inclusion_proofs_verify_and_flipped_bits_fail);
	tcase_add_test(tc,
	    test_random_consistency_proofs_verify_and_flipped_bits_fail);
	return tu_run(s) != 0;
}
