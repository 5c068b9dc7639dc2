/*
 * memkv.c - an in-memory tfl_kv: the state an audit rebuilds by replay.
 * Open addressing with linear probing; keys and values are copies.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tfledger/fund.h"

struct slot {
	char *key;
	void *val;
	size_t len;
};

struct tfl__memkv {
	struct slot *slots;
	size_t cap; /* a power of two */
	size_t count;
};

/* FNV-1a: short keys, no adversary (the keys come from verified entries). */
static size_t
hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

static struct slot *
find(const tfl__memkv *m, const char *key)
{
	size_t i = hash(key) & (m->cap - 1);

	while (m->slots[i].key != NULL && strcmp(m->slots[i].key, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static int
grow(tfl__memkv *m)
{
	struct slot *old = m->slots, *s;
	size_t i, oldcap = m->cap;

	m->slots = calloc(oldcap * 2, sizeof(*m->slots));
	if (m->slots == NULL) {
		m->slots = old;
		return -1;
	}
	m->cap = oldcap * 2;
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		s = find(m, old[i].key);
		*s = old[i];
	}
	free(old);
	return 0;
}

static int
mget(void *ctx, const char *key, void **val, size_t *len, tfl_err *err)
{
	struct slot *s = find(ctx, key);
	char *copy;

	if (s->key == NULL)
		return tfl_err_set(err, TFL_ENOTFOUND, "state \"%s\": not found",
		    key);
	copy = malloc(s->len + 1);
	if (copy == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	memcpy(copy, s->val, s->len);
	copy[s->len] = '\0';
	*val = copy;
	*len = s->len;
	return 0;
}

static int
mput(void *ctx, const char *key, const void *val, size_t len, tfl_err *err)
{
	tfl__memkv *m = ctx;
	struct slot *s;
	void *copy;

	if (2 * (m->count + 1) > m->cap && grow(m) != 0)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	copy = malloc(len > 0 ? len : 1);
	if (copy == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	memcpy(copy, val, len);
	s = find(m, key);
	if (s->key == NULL) {
		s->key = strdup(key);
		if (s->key == NULL) {
			free(copy);
			return tfl_err_set(err, TFL_ENOMEM, "out of memory");
		}
		m->count++;
	}
	free(s->val);
	s->val = copy;
	s->len = len;
	return 0;
}

int
tfl__memkv_new(tfl__memkv **out)
{
	tfl__memkv *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return TFL_ENOMEM;
	m->cap = 64;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	if (m->slots == NULL) {
		free(m);
		return TFL_ENOMEM;
	}
	*out = m;
	return 0;
}

void
tfl__memkv_free(tfl__memkv *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++) {
		free(m->slots[i].key);
		free(m->slots[i].val);
	}
	free(m->slots);
	free(m);
}

void
tfl__memkv_kv(tfl_kv *out, tfl__memkv *m)
{
	out->get = mget;
	out->put = mput;
	out->ctx = m;
}

size_t
tfl__memkv_count(const tfl__memkv *m)
{
	return m->count;
}
