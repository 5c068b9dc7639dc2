/*
 * tfledger/merkle.h - RFC 9162 Merkle trees: hashes, roots, proofs.
 *
 * Leaf hash = SHA-256(0x00 || data); node hash = SHA-256(0x01 || l || r).
 * Indexes are 0-based.  The tree is read through a callback that returns
 * the hash of a complete subtree: node (level, index) covers leaves
 * [index << level, (index + 1) << level).  Roots and proofs of a tree of
 * size n read O(log n) such nodes (incomplete right edges are combined
 * from complete subtrees), so this module knows nothing of storage.
 *
 * Size-0 cases: the empty tree's root is SHA-256 of nothing; there is no
 * inclusion proof in an empty tree (TFL_EINVAL); there is no consistency
 * proof from size 0 either, as it would prove nothing: generating one is
 * TFL_EINVAL and verifying one fails (TFL_EVERIFY), whatever the roots,
 * as upstream transparency-dev/merkle does.  From size1 == size2 > 0 the
 * proof is empty and verifies only when the roots are equal.
 */
#ifndef TFLEDGER_MERKLE_H
#define TFLEDGER_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "tfledger/err.h"

#define TFL_HASH_SIZE 32
#define TFL_MERKLE_MAX_PROOF 128 /* > 2 * 63: enough for any uint64 size */

/*
 * Callback: put the hash of complete subtree (level, index) into out.
 * Returns 0 or a TFL_E* status with err filled.
 */
typedef int (*tfl_merkle_node_fn)(void *ctx, unsigned level, uint64_t index,
    uint8_t out[TFL_HASH_SIZE], tfl_err *err);

/* RFC 9162 leaf hash of data[0..len). */
void tfl_merkle_leaf_hash(uint8_t out[TFL_HASH_SIZE], const void *data,
    size_t len);

/* RFC 9162 interior node hash of left and right. */
void tfl_merkle_node_hash(uint8_t out[TFL_HASH_SIZE],
    const uint8_t left[TFL_HASH_SIZE], const uint8_t right[TFL_HASH_SIZE]);

/*
 * Root of the tree of the first size leaves.  Returns 0 or the
 * callback's status.
 */
int tfl_merkle_root(uint8_t out[TFL_HASH_SIZE], uint64_t size,
    tfl_merkle_node_fn fn, void *ctx, tfl_err *err);

/*
 * Inclusion proof (RFC 9162 2.1.3.1) of leaf index in the tree of size:
 * *out_len hashes into out (capacity TFL_MERKLE_MAX_PROOF).  Returns 0,
 * TFL_EINVAL (index >= size) or the callback's status.
 */
int tfl_merkle_inclusion(uint8_t out[][TFL_HASH_SIZE], size_t *out_len,
    uint64_t index, uint64_t size, tfl_merkle_node_fn fn, void *ctx,
    tfl_err *err);

/*
 * Consistency proof (RFC 9162 2.1.4.1) from size1 to size2.  Returns 0,
 * TFL_EINVAL (size1 == 0 or size1 > size2) or the callback's status.
 */
int tfl_merkle_consistency(uint8_t out[][TFL_HASH_SIZE], size_t *out_len,
    uint64_t size1, uint64_t size2, tfl_merkle_node_fn fn, void *ctx,
    tfl_err *err);

/*
 * Verify an inclusion proof (RFC 9162 2.1.3.2).  Returns 0, or
 * TFL_EVERIFY with err naming why (index >= size, wrong length, root
 * mismatch).
 */
int tfl_merkle_verify_inclusion(uint64_t index, uint64_t size,
    const uint8_t leaf[TFL_HASH_SIZE], const uint8_t proof[][TFL_HASH_SIZE],
    size_t proof_len, const uint8_t root[TFL_HASH_SIZE], tfl_err *err);

/*
 * Verify a consistency proof (RFC 9162 2.1.4.2).  Returns 0 or
 * TFL_EVERIFY with err naming why.  See the size-0 cases above.
 */
int tfl_merkle_verify_consistency(uint64_t size1, uint64_t size2,
    const uint8_t root1[TFL_HASH_SIZE], const uint8_t root2[TFL_HASH_SIZE],
    const uint8_t proof[][TFL_HASH_SIZE], size_t proof_len, tfl_err *err);

/*
 * A streaming tree builder: push leaf hashes in order, read the root of
 * what was pushed at any time.  O(log n) memory.  Caller-owned.
 */
typedef struct tfl_merkle_stream {
	uint64_t size;
	uint8_t stack[64][TFL_HASH_SIZE]; /* stack[l]: subtree of 2^l leaves */
} tfl_merkle_stream;

/* One complete subtree produced by a push. */
typedef struct tfl_merkle_node {
	unsigned level;
	uint64_t index;
	uint8_t hash[TFL_HASH_SIZE];
} tfl_merkle_node;

/* Start an empty stream. */
void tfl_merkle_stream_init(tfl_merkle_stream *s);

/*
 * Append a leaf hash.  If nodes is not NULL it receives every complete
 * subtree the push completed, the leaf itself first (level 0), at most
 * 65; the count is returned.
 */
size_t tfl_merkle_stream_push(tfl_merkle_stream *s,
    const uint8_t leaf[TFL_HASH_SIZE], tfl_merkle_node *nodes);

/* Root of all leaves pushed so far (the empty root for none). */
void tfl_merkle_stream_root(uint8_t out[TFL_HASH_SIZE],
    const tfl_merkle_stream *s);

#endif
