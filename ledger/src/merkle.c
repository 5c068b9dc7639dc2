/*
 * merkle.c - RFC 9162 Merkle tree hashes, roots and proofs (merkle.h).
 *
 * Roots and proofs are built from spans of leaves.  Every span an RFC 9162
 * split produces starts at a multiple of its largest complete subtree, so
 * it is read as one complete node per set bit of its size.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tfledger/merkle.h"

/* The leaves [start, start + size). */
struct span {
	uint64_t start;
	uint64_t size;
};

void
tfl_merkle_leaf_hash(uint8_t out[TFL_HASH_SIZE], const void *data, size_t len)
{
	static const uint8_t prefix = 0x00;
	const void *part[] = { &prefix, data };
	const size_t n[] = { 1, len };

	tfl__sha256_parts(out, part, n, 2);
}

void
tfl_merkle_node_hash(uint8_t out[TFL_HASH_SIZE],
    const uint8_t left[TFL_HASH_SIZE], const uint8_t right[TFL_HASH_SIZE])
{
	uint8_t buf[1 + 2 * TFL_HASH_SIZE];

	/* Copied first, so out may be left or right. */
	buf[0] = 0x01;
	memcpy(buf + 1, left, TFL_HASH_SIZE);
	memcpy(buf + 1 + TFL_HASH_SIZE, right, TFL_HASH_SIZE);
	tfl__sha256(out, buf, sizeof(buf));
}

/* The largest power of two strictly below n (n >= 2). */
static uint64_t
split(uint64_t n)
{
	uint64_t k = 1;

	assert(n >= 2);
	while (k < n - k)
		k <<= 1;
	return k;
}

/*
 * Hash of the leaves in sp, from its complete subtrees right to left:
 * popcount(sp.size) reads.
 */
static int
span_hash(uint8_t out[TFL_HASH_SIZE], struct span sp, tfl_merkle_node_fn fn,
    void *ctx, tfl_err *err)
{
	uint8_t acc[TFL_HASH_SIZE], node[TFL_HASH_SIZE];
	uint64_t end = sp.start + sp.size, width;
	unsigned level;
	int first = 1, rc;

	assert(sp.size > 0);
	for (level = 0; level < 64; level++) {
		width = (uint64_t)1 << level;
		if ((sp.size & width) == 0)
			continue;
		end -= width;
		assert(end % width == 0);
		rc = fn(ctx, level, end >> level, first ? acc : node, err);
		if (rc != 0)
			return rc;
		if (!first)
			tfl_merkle_node_hash(acc, node, acc);
		first = 0;
	}
	memcpy(out, acc, TFL_HASH_SIZE);
	return 0;
}

/* Hash sp[n - 1] .. sp[0] into out: the RFC lists the deepest first. */
static int
read_spans(uint8_t out[][TFL_HASH_SIZE], const struct span *sp, size_t n,
    tfl_merkle_node_fn fn, void *ctx, tfl_err *err)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = span_hash(out[i], sp[n - 1 - i], fn, ctx, err);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
tfl_merkle_root(uint8_t out[TFL_HASH_SIZE], uint64_t size,
    tfl_merkle_node_fn fn, void *ctx, tfl_err *err)
{
	struct span all = { 0, size };

	assert(out != NULL && fn != NULL);
	if (size == 0) {
		tfl__sha256(out, "", 0);
		return 0;
	}
	return span_hash(out, all, fn, ctx, err);
}

int
tfl_merkle_inclusion(uint8_t out[][TFL_HASH_SIZE], size_t *out_len,
    uint64_t index, uint64_t size, tfl_merkle_node_fn fn, void *ctx,
    tfl_err *err)
{
	struct span sib[64], cur = { 0, size };
	uint64_t k, m = index;
	size_t n = 0;
	int rc;

	assert(out != NULL && out_len != NULL && fn != NULL);
	*out_len = 0;
	if (index >= size)
		return tfl_err_set(err, TFL_EINVAL,
		    "leaf %" PRIu64 ": index beyond tree size %" PRIu64, index,
		    size);
	/* PATH(m, D[n]): descend to the leaf, noting each sibling. */
	while (cur.size > 1) {
		k = split(cur.size);
		if (m < k) {
			sib[n++] = (struct span){ cur.start + k, cur.size - k };
			cur.size = k;
		} else {
			sib[n++] = (struct span){ cur.start, k };
			cur.start += k;
			cur.size -= k;
			m -= k;
		}
	}
	rc = read_spans(out, sib, n, fn, ctx, err);
	if (rc == 0)
		*out_len = n;
	return rc;
}

static int
consistency_sizes(uint64_t size1, uint64_t size2, tfl_err *err)
{
	if (size1 > size2)
		return tfl_err_set(err, TFL_EINVAL,
		    "consistency from size %" PRIu64 " to %" PRIu64
		    ": first size is larger",
		    size1, size2);
	if (size1 == 0)
		return tfl_err_set(err, TFL_EINVAL,
		    "consistency from size 0 to %" PRIu64
		    ": an empty tree proves nothing",
		    size2);
	return 0;
}

int
tfl_merkle_consistency(uint8_t out[][TFL_HASH_SIZE], size_t *out_len,
    uint64_t size1, uint64_t size2, tfl_merkle_node_fn fn, void *ctx,
    tfl_err *err)
{
	struct span sib[65], cur = { 0, size2 };
	uint64_t k, m = size1;
	size_t n = 0;
	int whole = 1, rc;

	assert(out != NULL && out_len != NULL && fn != NULL);
	*out_len = 0;
	rc = consistency_sizes(size1, size2, err);
	if (rc != 0)
		return rc;
	/* SUBPROOF(m, D[n], b), with b as whole: on the old tree's left edge */
	while (m != cur.size) {
		k = split(cur.size);
		if (m <= k) {
			sib[n++] = (struct span){ cur.start + k, cur.size - k };
			cur.size = k;
		} else {
			sib[n++] = (struct span){ cur.start, k };
			cur.start += k;
			cur.size -= k;
			m -= k;
			whole = 0;
		}
	}
	if (!whole)
		sib[n++] = cur;
	rc = read_spans(out, sib, n, fn, ctx, err);
	if (rc == 0)
		*out_len = n;
	return rc;
}

static int
inclusion_fail(tfl_err *err, uint64_t index, uint64_t size, const char *why)
{
	return tfl_err_set(err, TFL_EVERIFY,
	    "leaf %" PRIu64 " in tree of size %" PRIu64 ": %s", index, size,
	    why);
}

int
tfl_merkle_verify_inclusion(uint64_t index, uint64_t size,
    const uint8_t leaf[TFL_HASH_SIZE], const uint8_t proof[][TFL_HASH_SIZE],
    size_t proof_len, const uint8_t root[TFL_HASH_SIZE], tfl_err *err)
{
	uint8_t r[TFL_HASH_SIZE];
	uint64_t fn = index, sn = size - 1;
	size_t i;

	assert(leaf != NULL && root != NULL);
	assert(proof != NULL || proof_len == 0);
	if (index >= size)
		return inclusion_fail(err, index, size,
		    "index beyond tree size");
	/* RFC 9162 2.1.3.2 */
	memcpy(r, leaf, TFL_HASH_SIZE);
	for (i = 0; i < proof_len; i++) {
		if (sn == 0)
			return inclusion_fail(err, index, size,
			    "proof too long");
		if ((fn & 1) != 0 || fn == sn) {
			tfl_merkle_node_hash(r, proof[i], r);
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else
			tfl_merkle_node_hash(r, r, proof[i]);
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return inclusion_fail(err, index, size, "proof too short");
	if (memcmp(r, root, TFL_HASH_SIZE) != 0)
		return inclusion_fail(err, index, size, "root does not match");
	return 0;
}

static int
consistency_fail(tfl_err *err, uint64_t size1, uint64_t size2,
    const char *why)
{
	return tfl_err_set(err, TFL_EVERIFY,
	    "consistency from size %" PRIu64 " to %" PRIu64 ": %s", size1,
	    size2, why);
}

/* RFC 9162 2.1.4.2 for 0 < size1 < size2 and a non-empty proof. */
static int
consistency_walk(uint64_t size1, uint64_t size2,
    const uint8_t root1[TFL_HASH_SIZE], const uint8_t root2[TFL_HASH_SIZE],
    const uint8_t proof[][TFL_HASH_SIZE], size_t proof_len, tfl_err *err)
{
	uint8_t fr[TFL_HASH_SIZE], sr[TFL_HASH_SIZE];
	uint64_t fn = size1 - 1, sn = size2 - 1;
	size_t i = 0;

	/* A power-of-two first tree is a node of the second: its root seeds */
	if ((size1 & (size1 - 1)) == 0)
		memcpy(fr, root1, TFL_HASH_SIZE);
	else
		memcpy(fr, proof[i++], TFL_HASH_SIZE);
	memcpy(sr, fr, TFL_HASH_SIZE);
	while ((fn & 1) != 0) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < proof_len; i++) {
		if (sn == 0)
			return consistency_fail(err, size1, size2,
			    "proof too long");
		if ((fn & 1) != 0 || fn == sn) {
			tfl_merkle_node_hash(fr, proof[i], fr);
			tfl_merkle_node_hash(sr, proof[i], sr);
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else
			tfl_merkle_node_hash(sr, sr, proof[i]);
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return consistency_fail(err, size1, size2, "proof too short");
	if (memcmp(fr, root1, TFL_HASH_SIZE) != 0)
		return consistency_fail(err, size1, size2,
		    "first root does not match");
	if (memcmp(sr, root2, TFL_HASH_SIZE) != 0)
		return consistency_fail(err, size1, size2,
		    "second root does not match");
	return 0;
}

int
tfl_merkle_verify_consistency(uint64_t size1, uint64_t size2,
    const uint8_t root1[TFL_HASH_SIZE], const uint8_t root2[TFL_HASH_SIZE],
    const uint8_t proof[][TFL_HASH_SIZE], size_t proof_len, tfl_err *err)
{
	assert(root1 != NULL && root2 != NULL);
	assert(proof != NULL || proof_len == 0);
	if (size1 > size2)
		return consistency_fail(err, size1, size2,
		    "first size is larger");
	if (size1 == 0)
		return consistency_fail(err, size1, size2,
		    "an empty tree proves nothing");
	if (size1 == size2) {
		if (proof_len != 0)
			return consistency_fail(err, size1, size2,
			    "proof between equal sizes is not empty");
		if (memcmp(root1, root2, TFL_HASH_SIZE) != 0)
			return consistency_fail(err, size1, size2,
			    "roots differ");
		return 0;
	}
	if (proof_len == 0)
		return consistency_fail(err, size1, size2, "proof is empty");
	return consistency_walk(size1, size2, root1, root2, proof, proof_len,
	    err);
}

void
tfl_merkle_stream_init(tfl_merkle_stream *s)
{
	assert(s != NULL);
	memset(s, 0, sizeof(*s));
}

size_t
tfl_merkle_stream_push(tfl_merkle_stream *s,
    const uint8_t leaf[TFL_HASH_SIZE], tfl_merkle_node *nodes)
{
	uint8_t h[TFL_HASH_SIZE];
	uint64_t i;
	unsigned level = 0;
	size_t n = 0;

	assert(s != NULL && leaf != NULL);
	assert(s->size < UINT64_MAX);
	i = s->size;
	memcpy(h, leaf, TFL_HASH_SIZE);
	/* Each trailing one bit of i is a left sibling waiting on the stack. */
	for (;;) {
		if (nodes != NULL) {
			nodes[n].level = level;
			nodes[n].index = i >> level;
			memcpy(nodes[n].hash, h, TFL_HASH_SIZE);
		}
		n++;
		if ((i >> level & 1) == 0)
			break;
		tfl_merkle_node_hash(h, s->stack[level], h);
		level++;
	}
	memcpy(s->stack[level], h, TFL_HASH_SIZE);
	s->size = i + 1;
	return n;
}

void
tfl_merkle_stream_root(uint8_t out[TFL_HASH_SIZE], const tfl_merkle_stream *s)
{
	uint8_t acc[TFL_HASH_SIZE];
	unsigned level;
	int first = 1;

	assert(s != NULL && out != NULL);
	if (s->size == 0) {
		tfl__sha256(out, "", 0);
		return;
	}
	for (level = 0; level < 64; level++) {
		if ((s->size >> level & 1) == 0)
			continue;
		if (first)
			memcpy(acc, s->stack[level], TFL_HASH_SIZE);
		else
			tfl_merkle_node_hash(acc, s->stack[level], acc);
		first = 0;
	}
	memcpy(out, acc, TFL_HASH_SIZE);
}
