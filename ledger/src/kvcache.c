/*
 * kvcache.c - a write-back cache in front of the state of one command.
 *
 * The rules read and write a few records with every entry (the ledger's
 * info, the pool, the donor, the sums of the value date) and add a few
 * (a bank reference, the donor's index).  Done in LMDB entry by entry,
 * those reads and writes cost an import about a tenth of its speed.  The
 * cache keeps the records in memory and writes them to the transaction
 * every FLUSH_AT new records and at the end of the command: what is
 * stored is the same as without it, each record's last value.  A record
 * read again since the last write-out stays in memory (clean) for the
 * next entries; the others (references, the index: written once) go.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_internal.h"

/* New records between write-outs: about a megabyte. */
#define FLUSH_AT 4096

struct rec {
	char *key; /* NULL: an empty slot */
	void *val;
	size_t len;
	uint64_t hash;
	unsigned char dirty; /* not written to inner since it changed */
	unsigned char hot;   /* read since the last write-out */
};

struct tfl__kvcache {
	const tfl_kv *inner;
	struct rec *slots;
	size_t cap, n;	/* cap a power of two, n <= cap / 2 */
	size_t flush_at; /* n at which to write out */
};

/* FNV-1a. */
static uint64_t
hash_of(const char *key)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ULL;
	return h;
}

static struct rec *
slot(struct rec *slots, size_t cap, const char *key, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	while (slots[i].key != NULL &&
	    (slots[i].hash != h || strcmp(slots[i].key, key) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* Move the records of c into a table of cap slots (n fits). */
static int
rehash(struct tfl__kvcache *c, size_t cap)
{
	struct rec *slots;
	size_t i;

	assert(cap >= 1024 && c->n * 2 <= cap);
	if ((slots = calloc(cap, sizeof(*slots))) == NULL)
		return TFL_ENOMEM;
	for (i = 0; i < c->cap; i++)
		if (c->slots[i].key != NULL)
			*slot(slots, cap, c->slots[i].key,
			    c->slots[i].hash) = c->slots[i];
	free(c->slots);
	c->slots = slots;
	c->cap = cap;
	return 0;
}

static int
cache_get(void *ctx, const char *key, void **val, size_t *len, tfl_err *err)
{
	struct tfl__kvcache *c = ctx;
	struct rec *r;

	if (c->n == 0 ||
	    (r = slot(c->slots, c->cap, key, hash_of(key)))->key == NULL)
		return c->inner->get(c->inner->ctx, key, val, len, err);
	if ((*val = malloc(r->len + 1)) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	memcpy(*val, r->val, r->len);
	((char *)*val)[r->len] = '\0';
	*len = r->len;
	r->hot = 1;
	return 0;
}

/* Write the dirty records to inner; keep the hot ones (all: keep_all). */
static int
write_out(struct tfl__kvcache *c, int keep_all, tfl_err *err)
{
	struct rec *r;
	size_t i, kept = 0, had = c->n;
	int rc = 0;

	for (i = 0; rc == 0 && i < c->cap; i++) {
		r = &c->slots[i];
		if (r->key == NULL)
			continue;
		if (r->dirty)
			rc = c->inner->put(c->inner->ctx, r->key, r->val,
			    r->len, err);
		r->dirty = 0;
		if (r->hot || keep_all) {
			r->hot = 0;
			kept++;
			continue;
		}
		free(r->key);
		free(r->val);
		memset(r, 0, sizeof(*r));
	}
	c->n = kept;
	c->flush_at = kept + FLUSH_AT;
	/* Removals leave holes in the probe sequences: place them again. */
	if (rc == 0 && kept < had && rehash(c, c->cap) != 0)
		rc = tfl_err_set(err, TFL_ENOMEM, "out of memory");
	return rc;
}

static int
cache_put(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	struct tfl__kvcache *c = ctx;
	uint64_t h;
	struct rec *r;
	void *copy;
	int rc;

	if (c->n >= c->flush_at && (rc = write_out(c, 0, err)) != 0)
		return rc;
	if ((c->n + 1) * 2 > c->cap && rehash(c, c->cap * 2) != 0)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	if ((copy = malloc(len > 0 ? len : 1)) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	memcpy(copy, val, len);
	h = hash_of(key);
	r = slot(c->slots, c->cap, key, h);
	if (r->key == NULL) {
		if ((r->key = strdup(key)) == NULL) {
			free(copy);
			return tfl_err_set(err, TFL_ENOMEM, "out of memory");
		}
		r->hash = h;
		c->n++;
	}
	free(r->val);
	r->val = copy;
	r->len = len;
	r->dirty = 1;
	return 0;
}

int
tfl__kvcache_new(tfl__kvcache **out, tfl_kv *front, const tfl_kv *inner)
{
	tfl__kvcache *c = calloc(1, sizeof(*c));

	if (c == NULL || (c->slots = calloc(1024, sizeof(*c->slots))) == NULL) {
		free(c);
		return TFL_ENOMEM;
	}
	c->cap = 1024;
	c->flush_at = FLUSH_AT;
	c->inner = inner;
	*front = *inner;
	front->get = cache_get;
	front->put = cache_put;
	front->ctx = c;
	*out = c;
	return 0;
}

int
tfl__kvcache_flush(tfl__kvcache *c, tfl_err *err)
{
	return write_out(c, 1, err);
}

void
tfl__kvcache_free(tfl__kvcache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->cap; i++) {
		free(c->slots[i].key);
		free(c->slots[i].val);
	}
	free(c->slots);
	free(c);
}
