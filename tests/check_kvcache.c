/*
 * check_kvcache.c - the write-back cache in front of an append's state
 * (ledger/src/kvcache.c), built here with a small table and write-outs
 * every 20 new records so that a few thousand operations cross hundreds
 * of write-outs, table growths and re-placings, wrap-around included.
 *
 * The cache is compiled into this test (it is internal to the library);
 * the store behind it is an array, and a second array is the model of
 * what the state must be.  Random gets and puts must give the model's
 * answers, every record in the table must be found where a lookup
 * looks, and a flush must leave the store equal to the model.  A review
 * found a re-placing that lost a record at the table's wrap this way.
 */
#define FLUSH_AT 20
#define TABLE_MIN 16

#include "../ledger/src/kvcache.c"

#include <stdio.h>

#include "testutil.h"

#define NKEYS 600

struct val {
	char v[8];
	size_t len;
	int has;
};

static struct val store[NKEYS], model[NKEYS];
static char names[NKEYS][16];
static unsigned long long rs;
static long gets; /* reads of the store */

static unsigned
rnd(void)
{
	rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rs >> 33);
}

static int
key_index(const char *key)
{
	return atoi(key + 1);
}

static int
store_get(void *ctx, const char *key, void **val, size_t *len, tfl_err *err)
{
	struct val *s = &store[key_index(key)];

	(void)ctx;
	gets++;
	if (!s->has)
		return tfl_err_set(err, TFL_ENOTFOUND, "state \"%s\": not found",
		    key);
	ck_assert_ptr_nonnull(*val = malloc(s->len + 1));
	memcpy(*val, s->v, s->len);
	((char *)*val)[s->len] = '\0';
	*len = s->len;
	return 0;
}

static int
store_put(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	struct val *s = &store[key_index(key)];

	(void)ctx;
	(void)err;
	ck_assert_uint_le(len, sizeof(s->v));
	memcpy(s->v, val, len);
	s->len = len;
	s->has = 1;
	return 0;
}

/* Every record in the table is where a lookup of its key ends. */
static void
all_reachable(const tfl__kvcache *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->cap; i++) {
		if (c->slots[i].key == NULL)
			continue;
		n++;
		ck_assert_msg(slot(c->slots, c->cap, c->slots[i].key,
		    c->slots[i].hash) == &c->slots[i], "%s: slot %zu is out "
		    "of its probe sequence", c->slots[i].key, i);
	}
	ck_assert_uint_eq(n, c->n);
}

/*
 * get_fixed of key k, present in the model: copied at its own size, not
 * copied at another, its length said both times.
 */
static void
assert_get_fixed(const tfl_kv *front, int k)
{
	tfl_err err = TFL_ERR_INIT;
	char out[9];
	size_t len = 0;

	memset(out, '#', sizeof(out));
	ck_assert_int_eq(front->get_fixed(front->ctx, names[k], out,
	    model[k].len + 1, &len, &err), 0);
	ck_assert_uint_eq(len, model[k].len);
	ck_assert_int_eq(out[0], '#');
	ck_assert_int_eq(front->get_fixed(front->ctx, names[k], out,
	    model[k].len, &len, &err), 0);
	ck_assert_uint_eq(len, model[k].len);
	ck_assert(memcmp(out, model[k].v, len) == 0);
	ck_assert_int_eq(out[len], '#');
}

/* One seed's run of ops random gets and puts, a hot set of hot keys. */
static void
run(unsigned long long seed, long ops, int hot)
{
	tfl_kv inner = { store_get, store_put, NULL, NULL, NULL, NULL }, front;
	tfl__kvcache *c;
	tfl_err err = TFL_ERR_INIT;
	char want[64];
	size_t len;
	void *v;
	long op;
	int k, i, rc;

	rs = seed;
	memset(store, 0, sizeof(store));
	for (k = 0; k < NKEYS; k++) {
		snprintf(names[k], sizeof(names[k]), "k%d", k);
		/* a third of the keys are in the store already */
		if (k % 3 == 0) {
			store[k].len = (size_t)snprintf(store[k].v,
			    sizeof(store[k].v), "s%d", k % 100);
			store[k].has = 1;
		}
	}
	memcpy(model, store, sizeof(model));
	ck_assert_int_eq(tfl__kvcache_new(&c, &front, &inner), 0);
	for (op = 0; op < ops; op++) {
		k = rnd() % 4 == 0 ? (int)(rnd() % (unsigned)hot) :
		    (int)(rnd() % NKEYS);
		if (rnd() % 2) {
			rc = front.get(front.ctx, names[k], &v, &len, &err);
			if (model[k].has) {
				ck_assert_msg(rc == 0, "get %s: %s", names[k],
				    err.msg);
				ck_assert_uint_eq(len, model[k].len);
				ck_assert(memcmp(v, model[k].v, len) == 0);
				ck_assert_int_eq(((char *)v)[len], '\0');
				free(v);
				assert_get_fixed(&front, k);
			} else {
				ck_assert_int_eq(rc, TFL_ENOTFOUND);
				snprintf(want, sizeof(want), "state \"%s\": not "
				    "found", names[k]);
				ck_assert_str_eq(err.msg, want);
			}
		} else {
			model[k].len = 1 + rnd() % 6;
			for (i = 0; i < (int)model[k].len; i++)
				model[k].v[i] = (char)('a' + rnd() % 26);
			model[k].has = 1;
			ck_assert_int_eq(front.put(front.ctx, names[k],
			    model[k].v, model[k].len, &err), 0);
		}
		if (op % 50 == 0)
			all_reachable(c);
	}
	ck_assert_int_eq(tfl__kvcache_flush(c, &err), 0);
	all_reachable(c);
	for (k = 0; k < NKEYS; k++) {
		ck_assert_int_eq(store[k].has, model[k].has);
		ck_assert(store[k].len == model[k].len &&
		    memcmp(store[k].v, model[k].v, store[k].len) == 0);
	}
	tfl__kvcache_free(c);
}

START_TEST(test_random_gets_and_puts_give_the_models_answers)
{
	unsigned long long seed;

	for (seed = 1; seed <= 40; seed++)
		run(seed, 4000, 5 + (int)(seed * 7 % 200));
}
END_TEST

/* The store is read once for a record, found or not, while it is kept. */
START_TEST(test_a_record_read_again_is_not_read_from_the_store_again)
{
	tfl_kv inner = { store_get, store_put, NULL, NULL, NULL, NULL }, front;
	tfl__kvcache *c;
	tfl_err err = TFL_ERR_INIT;
	size_t len;
	void *v;
	long before;

	memset(store, 0, sizeof(store));
	memcpy(store[1].v, "one", 3);
	store[1].len = 3;
	store[1].has = 1;
	ck_assert_int_eq(tfl__kvcache_new(&c, &front, &inner), 0);
	before = gets;
	ck_assert_int_eq(front.get(front.ctx, "k1", &v, &len, &err), 0);
	free(v);
	ck_assert_int_eq(front.get(front.ctx, "k2", &v, &len, &err),
	    TFL_ENOTFOUND);
	ck_assert_str_eq(err.msg, "state \"k2\": not found");
	tfl_err_clear(&err);
	ck_assert_int_eq(front.get(front.ctx, "k1", &v, &len, &err), 0);
	ck_assert(len == 3 && memcmp(v, "one", 3) == 0);
	free(v);
	/* the absence is said again with the store's own words */
	ck_assert_int_eq(front.get(front.ctx, "k2", &v, &len, &err),
	    TFL_ENOTFOUND);
	ck_assert_str_eq(err.msg, "state \"k2\": not found");
	ck_assert_int_eq(gets - before, 2);
	/* written, then read: the new value, still not from the store */
	ck_assert_int_eq(front.put(front.ctx, "k2", "two", 3, &err), 0);
	ck_assert_int_eq(front.get(front.ctx, "k2", &v, &len, &err), 0);
	ck_assert(len == 3 && memcmp(v, "two", 3) == 0);
	free(v);
	ck_assert_int_eq(gets - before, 2);
	ck_assert(!store[2].has);
	ck_assert_int_eq(tfl__kvcache_flush(c, &err), 0);
	ck_assert(store[2].has && memcmp(store[2].v, "two", 3) == 0);
	tfl__kvcache_free(c);
}
END_TEST

/*
 * Once the table holds FLUSH_AT records, an absence is still said
 * without reading the store again (an import's references), in the
 * store's words; a put of that key, written out and gone from the
 * table, is then found in the store.
 */
START_TEST(test_absences_past_a_full_table_are_kept_until_a_put)
{
	tfl_kv inner = { store_get, store_put, NULL, NULL, NULL, NULL }, front;
	tfl__kvcache *c;
	tfl_err err = TFL_ERR_INIT;
	char key[16], want[64];
	size_t len;
	void *v;
	long before;
	int k, round;

	memset(store, 0, sizeof(store));
	ck_assert_int_eq(tfl__kvcache_new(&c, &front, &inner), 0);
	for (k = 0; k < FLUSH_AT + 10; k++) {
		snprintf(key, sizeof(key), "k%d", k);
		ck_assert_int_eq(front.get(front.ctx, key, &v, &len, &err),
		    TFL_ENOTFOUND);
	}
	ck_assert_uint_eq(c->n, FLUSH_AT);
	before = gets;
	for (k = 0; k < FLUSH_AT + 10; k++) {
		snprintf(key, sizeof(key), "k%d", k);
		ck_assert_int_eq(front.get(front.ctx, key, &v, &len, &err),
		    TFL_ENOTFOUND);
		snprintf(want, sizeof(want), "state \"%s\": not found", key);
		ck_assert_str_eq(err.msg, want);
	}
	ck_assert_int_eq(gets - before, 0);
	ck_assert_int_eq(front.put(front.ctx, "k25", "new", 3, &err), 0);
	/* two rounds of new records: k25's is written out, then goes */
	for (round = 0; round < 2; round++)
		for (k = 0; k < FLUSH_AT + 1; k++) {
			snprintf(key, sizeof(key), "k%d", 100 + round * 50 +
			    k);
			ck_assert_int_eq(front.put(front.ctx, key, "f", 1,
			    &err), 0);
		}
	ck_assert(store[25].has && memcmp(store[25].v, "new", 3) == 0);
	ck_assert_ptr_null(slot(c->slots, c->cap, "k25",
	    hash_of("k25"))->key);
	before = gets;
	ck_assert_int_eq(front.get(front.ctx, "k25", &v, &len, &err), 0);
	ck_assert(len == 3 && memcmp(v, "new", 3) == 0);
	free(v);
	ck_assert_int_eq(gets - before, 1);
	/* the others are still known absent */
	ck_assert_int_eq(front.get(front.ctx, "k26", &v, &len, &err),
	    TFL_ENOTFOUND);
	ck_assert_int_eq(gets - before, 1);
	tfl__kvcache_free(c);
}
END_TEST

/* The first of k0..k599 not yet used whose home is h in cap slots. */
static const char *
key_at_home(size_t cap, size_t h, char *used)
{
	int k;

	for (k = 0; k < NKEYS; k++)
		if (!used[k] && (hash_of(names[k]) & (cap - 1)) == h) {
			used[k] = 1;
			return names[k];
		}
	ck_abort_msg("no key of home %zu", h);
	return NULL;
}

/*
 * A cluster that wraps from the table's end to its start, thinned by a
 * write-out: the records kept must still be found where they are looked
 * for.  Re-placed in order from just after an empty slot, one of them
 * was put in that slot and then moved away from it, cutting the record
 * after it off from its home (a review found it).
 */
START_TEST(test_records_kept_across_the_tables_wrap_stay_reachable)
{
	tfl_kv inner = { store_get, store_put, NULL, NULL, NULL, NULL }, front;
	const char *d, *b, *a, *z, *q, *r;
	tfl__kvcache *c;
	tfl_err err = TFL_ERR_INIT;
	char used[NKEYS] = { 0 };
	size_t len;
	void *v;
	long before;
	int i;

	memset(store, 0, sizeof(store));
	for (i = 0; i < NKEYS; i++)
		snprintf(names[i], sizeof(names[i]), "k%d", i);
	ck_assert_int_eq(tfl__kvcache_new(&c, &front, &inner), 0);
	/* 14 records in the middle of a table of 64, then the cluster */
	for (i = 0; i < 14; i++)
		ck_assert_int_eq(front.put(front.ctx, key_at_home(64,
		    (size_t)(8 + 3 * i), used), "f", 1, &err), 0);
	d = key_at_home(64, 61, used);
	b = key_at_home(64, 61, used);
	a = key_at_home(64, 61, used);
	z = key_at_home(64, 63, used);
	q = key_at_home(64, 63, used);
	r = key_at_home(64, 0, used);
	ck_assert_int_eq(front.put(front.ctx, d, "d", 1, &err), 0);
	ck_assert_int_eq(front.put(front.ctx, b, "b", 1, &err), 0);
	ck_assert_int_eq(front.put(front.ctx, a, "a", 1, &err), 0);
	ck_assert_int_eq(front.put(front.ctx, z, "z", 1, &err), 0);
	ck_assert_int_eq(front.put(front.ctx, q, "q", 1, &err), 0);
	ck_assert_int_eq(front.put(front.ctx, r, "r", 1, &err), 0);
	ck_assert_uint_eq(c->cap, 64);
	/* r sits two past its home, behind z and q, which wrapped */
	ck_assert_ptr_eq(slot(c->slots, c->cap, r, hash_of(r)), &c->slots[2]);
	/* d, a, q and r are read, so kept; the 21st record writes out */
	ck_assert_int_eq(front.get(front.ctx, d, &v, &len, &err), 0);
	free(v);
	ck_assert_int_eq(front.get(front.ctx, a, &v, &len, &err), 0);
	free(v);
	ck_assert_int_eq(front.get(front.ctx, q, &v, &len, &err), 0);
	free(v);
	ck_assert_int_eq(front.get(front.ctx, r, &v, &len, &err), 0);
	free(v);
	ck_assert_int_eq(front.put(front.ctx, key_at_home(64, 30, used), "w",
	    1, &err), 0);
	ck_assert_uint_eq(c->n, 5);
	all_reachable(c);
	before = gets;
	ck_assert_int_eq(front.get(front.ctx, r, &v, &len, &err), 0);
	ck_assert(len == 1 && *(char *)v == 'r');
	free(v);
	ck_assert_int_eq(gets, before);
	tfl__kvcache_free(c);
}
END_TEST

static Suite *
kvcache_suite(void)
{
	Suite *s = suite_create("kvcache");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_random_gets_and_puts_give_the_models_answers);
	tcase_add_test(tc,
	    test_records_kept_across_the_tables_wrap_stay_reachable);
	tcase_add_test(tc,
	    test_a_record_read_again_is_not_read_from_the_store_again);
	tcase_add_test(tc,
	    test_absences_past_a_full_table_are_kept_until_a_put);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(kvcache_suite()) != 0;
}
