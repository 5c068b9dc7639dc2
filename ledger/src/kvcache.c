/*
 * kvcache.c - a write-back cache in front of the state of one command.
 *
 * The rules read and write a few records with every entry (the ledger's
 * info, the signer's key, the period closed, the pool, the donor, the
 * sums of the value date) and add a few (a bank reference, the donor's
 * index).  Done in LMDB entry by entry, those reads and writes cost an
 * import about a tenth of its speed.  The cache keeps the records in
 * memory, those read as well as those written, and the absence of those
 * looked for and not found (a new bank reference is looked for twice
 * before it is written).  It writes the changed ones to the transaction,
 * in key order, every FLUSH_AT new records and at the end of the
 * command: what is stored is the same as without it, each record's last
 * value.  A record read from the cache since the last write-out stays
 * in memory for the next entries; the others (references, the index:
 * written once) go.  Keeping the references a round longer made the
 * table twice as large and an import slower.  Absences found once the
 * table is full (an import looks up all its rows' references before it
 * appends any) are kept apart, without a record each (struct gone).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_internal.h"

/*
 * New records between write-outs (about a megabyte), and the table's
 * first size; tests/check_kvcache.c sets small ones.
 */
#ifndef FLUSH_AT
#define FLUSH_AT 4096
#endif
#ifndef TABLE_MIN
#define TABLE_MIN 1024
#endif

struct rec {
	char *key;  /* NULL: an empty slot */
	void *val;  /* absent: inner's "not found" message */
	size_t len;
	uint64_t hash;
	unsigned char dirty;  /* not written to inner since it changed */
	unsigned char hot;    /* read from here since the last write-out */
	unsigned char absent; /* inner has no such record */
};

/*
 * A key inner does not have, found when the table was full: its key and
 * inner's message, NUL after each, at arena + at - 1.  Its rules are
 * the table's, but for a put of the key, which makes a record in the
 * table and drops the absence here (at DROPPED), so that it is not
 * found again once that record is written out and goes.  Like every
 * record kept, it holds while the command writes the state only through
 * the cache.
 */
struct gone {
	uint64_t hash;
	size_t at; /* 0: an empty slot */
};

#define DROPPED SIZE_MAX

struct tfl__kvcache {
	const tfl_kv *inner;
	struct rec *slots;
	size_t cap, n;	/* cap a power of two, n <= cap / 2 */
	size_t flush_at; /* n at which to write out */
	struct gone *gone;
	size_t gone_cap, gone_n; /* as cap and n, dropped ones counted */
	char *arena;
	size_t arena_len, arena_cap;
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

/* Where key's absence is kept, or NULL. */
static struct gone *
gone_find(const struct tfl__kvcache *c, const char *key, uint64_t h)
{
	size_t i, mask = c->gone_cap - 1;

	if (c->gone_n == 0)
		return NULL;
	for (i = (size_t)h & mask; c->gone[i].at != 0; i = (i + 1) & mask)
		if (c->gone[i].at != DROPPED && c->gone[i].hash == h &&
		    strcmp(c->arena + c->gone[i].at - 1, key) == 0)
			return &c->gone[i];
	return NULL;
}

static void
gone_place(struct gone *slots, size_t cap, uint64_t h, size_t at)
{
	size_t i = (size_t)h & (cap - 1);

	while (slots[i].at != 0)
		i = (i + 1) & (cap - 1);
	slots[i].hash = h;
	slots[i].at = at;
}

/* Keep key's absence and inner's message; nothing when memory is short. */
static void
gone_add(struct tfl__kvcache *c, const char *key, uint64_t h,
    const char *msg)
{
	size_t kl = strlen(key) + 1, ml = strlen(msg) + 1, i, cap, live;
	struct gone *slots;
	char *arena;

	if ((c->gone_n + 1) * 2 > c->gone_cap) {
		for (live = 0, i = 0; i < c->gone_cap; i++)
			live += c->gone[i].at != 0 && c->gone[i].at != DROPPED;
		for (cap = TABLE_MIN; (live + 1) * 2 > cap / 2; cap *= 2)
			;
		if ((slots = calloc(cap, sizeof(*slots))) == NULL)
			return;
		for (i = 0; i < c->gone_cap; i++)
			if (c->gone[i].at != 0 && c->gone[i].at != DROPPED)
				gone_place(slots, cap, c->gone[i].hash,
				    c->gone[i].at);
		free(c->gone);
		c->gone = slots;
		c->gone_cap = cap;
		c->gone_n = live;
	}
	if (c->arena_len + kl + ml > c->arena_cap) {
		for (cap = c->arena_cap > 0 ? c->arena_cap : 65536;
		    c->arena_len + kl + ml > cap; cap *= 2)
			;
		if ((arena = realloc(c->arena, cap)) == NULL)
			return;
		c->arena = arena;
		c->arena_cap = cap;
	}
	memcpy(c->arena + c->arena_len, key, kl);
	memcpy(c->arena + c->arena_len + kl, msg, ml);
	gone_place(c->gone, c->gone_cap, h, c->arena_len + 1);
	c->arena_len += kl + ml;
	c->gone_n++;
}

/* Move the records of c into a table of cap slots (n fits). */
static int
rehash(struct tfl__kvcache *c, size_t cap)
{
	struct rec *slots;
	size_t i;

	assert(cap >= TABLE_MIN && c->n * 2 <= cap);
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

/* Double the table if one more record would fill more than half. */
static int
grow(struct tfl__kvcache *c)
{
	return (c->n + 1) * 2 > c->cap ? rehash(c, c->cap * 2) : 0;
}

static int write_out(struct tfl__kvcache *c, int keep_all, tfl_err *err);

/* Make room for one more record, writing out first when it is time. */
static int
room(struct tfl__kvcache *c, tfl_err *err)
{
	int rc;

	if (c->n >= c->flush_at && (rc = write_out(c, 0, err)) != 0)
		return rc;
	if (grow(c) != 0)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	return 0;
}

/*
 * Remember what inner said of key: its value (clean) or its absence,
 * not hot until read again (a bank reference looked up once, then
 * written, goes at the next write-out).  Only a put writes out, so that
 * a read never fails for a write; reads past the next write-out (an
 * import's rows looked up before any is appended) are not remembered,
 * nor any when memory is short.
 */
static void
remember(struct tfl__kvcache *c, const char *key, uint64_t h,
    const void *val, size_t len, int absent)
{
	struct rec *r;
	char *k, *v;

	if (c->n >= c->flush_at) {
		if (absent)
			gone_add(c, key, h, val);
		return;
	}
	if (grow(c) != 0)
		return;
	k = strdup(key);
	v = tfl__strndup(val, len);
	if (k == NULL || v == NULL) {
		free(k);
		free(v);
		return;
	}
	r = slot(c->slots, c->cap, key, h);
	r->key = k;
	r->hash = h;
	r->val = v;
	r->len = len;
	r->absent = (unsigned char)absent;
	c->n++;
}

/*
 * Say key is absent in inner's words, msg (made one line by tfl_err_set
 * when inner said it), without printf: imports say it for every row.
 */
static int
absent(tfl_err *err, const char *msg)
{
	size_t n = strlen(msg);

	if (err == NULL)
		return TFL_ENOTFOUND;
	if (n >= sizeof(err->msg))
		n = sizeof(err->msg) - 1;
	err->code = TFL_ENOTFOUND;
	memcpy(err->msg, msg, n);
	err->msg[n] = '\0';
	return TFL_ENOTFOUND;
}

/* A key not in the table: its absence kept apart, or inner's answer. */
static int
miss(struct tfl__kvcache *c, const char *key, uint64_t h, void **val,
    size_t *len, tfl_err *err)
{
	struct gone *g = gone_find(c, key, h);
	int rc;

	if (g != NULL)
		return absent(err, c->arena + g->at - 1 + strlen(key) + 1);
	rc = c->inner->get(c->inner->ctx, key, val, len, err);
	if (rc == 0)
		remember(c, key, h, *val, *len, 0);
	else if (rc == TFL_ENOTFOUND && err != NULL)
		remember(c, key, h, err->msg, strlen(err->msg), 1);
	return rc;
}

/* A key in the table, read again: kept past the next write-out. */
static int
hit(struct rec *r, tfl_err *err)
{
	r->hot = 1;
	return r->absent ? absent(err, r->val) : 0;
}

static int
cache_get(void *ctx, const char *key, void **val, size_t *len, tfl_err *err)
{
	struct tfl__kvcache *c = ctx;
	uint64_t h = hash_of(key);
	struct rec *r = slot(c->slots, c->cap, key, h);
	int rc;

	if (r->key == NULL)
		return miss(c, key, h, val, len, err);
	if ((rc = hit(r, err)) != 0)
		return rc;
	if ((*val = tfl__strndup(r->val, r->len)) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	*len = r->len;
	return 0;
}

/* cache_get into out (tfl_kv's get_fixed): a record kept is not copied. */
static int
cache_get_fixed(void *ctx, const char *key, void *out, size_t size,
    size_t *len, tfl_err *err)
{
	struct tfl__kvcache *c = ctx;
	uint64_t h = hash_of(key);
	struct rec *r = slot(c->slots, c->cap, key, h);
	void *val;
	int rc;

	if (r->key == NULL) {
		if ((rc = miss(c, key, h, &val, len, err)) != 0)
			return rc;
		if (*len == size)
			memcpy(out, val, size);
		free(val);
		return 0;
	}
	if ((rc = hit(r, err)) != 0)
		return rc;
	*len = r->len;
	if (r->len == size)
		memcpy(out, r->val, size);
	return 0;
}

/*
 * Place the n records left in the table again where a lookup looks for
 * them first: removals left holes in their probe sequences.  They are
 * copied out, the table cleared, and each put back from its home slot.
 * In the same table: a new one each time (calloc, then free) cost an
 * import 4 % of its CPU, in page faults on its fresh pages and in
 * stopping every core to unmap the old one.
 */
static int
replace(struct tfl__kvcache *c, size_t n)
{
	struct rec *kept;
	size_t i, k = 0;

	if ((kept = malloc((n > 0 ? n : 1) * sizeof(*kept))) == NULL)
		return rehash(c, c->cap); /* the old way, if it has memory */
	for (i = 0; i < c->cap && k < n; i++)
		if (c->slots[i].key != NULL)
			kept[k++] = c->slots[i];
	memset(c->slots, 0, c->cap * sizeof(*c->slots));
	for (i = 0; i < k; i++)
		*slot(c->slots, c->cap, kept[i].key, kept[i].hash) = kept[i];
	free(kept);
	return 0;
}

static int
by_key(const void *a, const void *b)
{
	return strcmp((*(struct rec *const *)a)->key,
	    (*(struct rec *const *)b)->key);
}

/*
 * Write the dirty records to inner, in key order (LMDB then finds each
 * page where the last put left it), and keep the hot ones (all:
 * keep_all).
 */
static int
write_out(struct tfl__kvcache *c, int keep_all, tfl_err *err)
{
	struct rec *r, **dirty;
	size_t i, nd = 0, kept = 0, had = c->n;
	int rc = 0;

	if ((dirty = malloc((c->n + 1) * sizeof(struct rec *))) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	for (i = 0; i < c->cap; i++)
		if (c->slots[i].key != NULL && c->slots[i].dirty)
			dirty[nd++] = &c->slots[i];
	qsort(dirty, nd, sizeof(struct rec *), by_key);
	for (i = 0; rc == 0 && i < nd; i++) {
		r = dirty[i];
		rc = c->inner->put(c->inner->ctx, r->key, r->val, r->len, err);
		if (rc == 0)
			r->dirty = 0;
	}
	free(dirty);
	if (rc != 0)
		return rc;
	for (i = 0; i < c->cap; i++) {
		r = &c->slots[i];
		if (r->key == NULL)
			continue;
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
	if (kept < had && replace(c, kept) != 0)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	return 0;
}

static int
cache_put(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	struct tfl__kvcache *c = ctx;
	uint64_t h = hash_of(key);
	struct rec *r = slot(c->slots, c->cap, key, h);
	struct gone *g;
	void *copy;
	int rc;

	/* The same length: the common case of a record rewritten. */
	if (r->key != NULL && !r->absent && r->len == len) {
		memcpy(r->val, val, len);
		r->dirty = 1;
		return 0;
	}
	if (r->key == NULL) {
		if ((rc = room(c, err)) != 0)
			return rc;
		r = slot(c->slots, c->cap, key, h);
	}
	/* With a NUL after it, as inner gives one. */
	if ((copy = tfl__strndup(val, len)) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	if (r->key == NULL) {
		if ((r->key = strdup(key)) == NULL) {
			free(copy);
			return tfl_err_set(err, TFL_ENOMEM, "out of memory");
		}
		r->hash = h;
		c->n++;
		if ((g = gone_find(c, key, h)) != NULL)
			g->at = DROPPED;
	}
	free(r->val);
	r->val = copy;
	r->len = len;
	r->absent = 0;
	r->dirty = 1;
	return 0;
}

int
tfl__kvcache_new(tfl__kvcache **out, tfl_kv *front, const tfl_kv *inner)
{
	tfl__kvcache *c = calloc(1, sizeof(*c));

	if (c == NULL ||
	    (c->slots = calloc(TABLE_MIN, sizeof(*c->slots))) == NULL) {
		free(c);
		return TFL_ENOMEM;
	}
	c->cap = TABLE_MIN;
	c->flush_at = FLUSH_AT;
	c->inner = inner;
	*front = *inner;
	front->get = cache_get;
	front->get_fixed = cache_get_fixed;
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
	free(c->gone);
	free(c->arena);
	free(c);
}
