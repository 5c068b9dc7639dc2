/*
 * snapshot.c - the fund state digest and the snapshots behind it.
 *
 * When a checkpoint is signed, the state records are copied as the
 * snapshot of its size and their SHA-256 digest goes into the checkpoint
 * as its tfledger-state line (docs/FORMAT.md, "Fund state digest").  An
 * incremental audit from a checkpoint the auditor trusts loads the
 * snapshot, checks it against that line, and replays only the entries
 * after it; a full audit checks each stored snapshot against its own
 * replay when it passes the snapshot's size.
 */
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_internal.h"

#define DIGEST_TAG "tfledger state v1\n"

int
tfl__digest_begin(struct tfl__digest *d, tfl_err *err)
{
	memset(d, 0, sizeof(*d));
	d->md = EVP_MD_CTX_new();
	if (d->md == NULL || EVP_DigestInit_ex(d->md, tfl__sha256_md(), NULL) != 1 ||
	    EVP_DigestUpdate(d->md, DIGEST_TAG, strlen(DIGEST_TAG)) != 1) {
		EVP_MD_CTX_free(d->md);
		d->md = NULL;
		return tfl_err_set(err, TFL_ECRYPTO, "SHA-256: OpenSSL failed");
	}
	return 0;
}

/* Big-endian 32-bit length, at out. */
static void
put_len(uint8_t out[4], size_t len)
{
	out[0] = (uint8_t)(len >> 24);
	out[1] = (uint8_t)(len >> 16);
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
}

/* Its length, then the bytes. */
static int
update(EVP_MD_CTX *md, const void *p, size_t len)
{
	uint8_t n[4];

	put_len(n, len);
	return EVP_DigestUpdate(md, n, sizeof(n)) == 1 &&
	    (len == 0 || EVP_DigestUpdate(md, p, len) == 1);
}

/*
 * The key, then the value, each after its length.  A record that fits
 * the buffer (most are a few hundred bytes) goes to OpenSSL in one call
 * rather than four: the same bytes, and a call costs as much as hashing
 * a hundred of them.
 */
int
tfl__digest_add(struct tfl__digest *d, const char *key, const void *val,
    size_t len, tfl_err *err)
{
	uint8_t buf[1024];
	size_t klen = strlen(key);
	int ok;

	if (klen + len + 8 > sizeof(buf)) {
		ok = update(d->md, key, klen) && update(d->md, val, len);
	} else {
		put_len(buf, klen);
		memcpy(buf + 4, key, klen);
		put_len(buf + 4 + klen, len);
		if (len > 0)
			memcpy(buf + 8 + klen, val, len);
		ok = EVP_DigestUpdate(d->md, buf, klen + len + 8) == 1;
	}
	if (!ok)
		return tfl_err_set(err, TFL_ECRYPTO, "SHA-256: OpenSSL failed");
	d->records++;
	return 0;
}

int
tfl__digest_end(uint8_t out[TFL_HASH_SIZE], struct tfl__digest *d,
    tfl_err *err)
{
	unsigned n = 0;
	int ok;

	ok = EVP_DigestFinal_ex(d->md, out, &n) == 1 && n == TFL_HASH_SIZE;
	tfl__digest_free(d);
	return ok ? 0 : tfl_err_set(err, TFL_ECRYPTO, "SHA-256: OpenSSL "
	    "failed");
}

void
tfl__digest_free(struct tfl__digest *d)
{
	EVP_MD_CTX_free(d->md);
	d->md = NULL;
}

static int
digest_record(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	return tfl__digest_add(ctx, key, val, len, err);
}

int
tfl__snapshot_make(uint8_t digest[TFL_HASH_SIZE], tfl_txn *txn,
    uint64_t size, tfl_err *err)
{
	struct tfl__digest d;
	int rc;

	if ((rc = tfl__digest_begin(&d, err)) != 0)
		return rc;
	if ((rc = tfl_store_snapshot_put(txn, size, digest_record, &d,
	    err)) != 0 ||
	    (rc = tfl_store_snapshot_prune(txn, TFL__SNAPSHOTS_KEPT,
	    err)) != 0) {
		tfl__digest_free(&d);
		return rc;
	}
	return tfl__digest_end(digest, &d, err);
}
