/*
 * check_threads.c - results never depend on the number of threads
 * (tfl_ledger_set_threads) nor on where an audit keeps the state it
 * replays (tfl_ledger_set_scratch): the same ledger, intact or tampered
 * with, gives the same report and the same message with 1 thread or
 * many, in memory or spilled to a scratch file.
 *
 * The fixture: 703 entries, more than the audit's batches, so that
 * several are in flight at once: donors, receipts imported in two
 * commands, a second recorder enrolled part way (a key the audit's
 * workers learn late) who signs from then on, the first one revoked,
 * and a checkpoint after the first import for incremental audits.
 * Tampering goes through LMDB directly, as tool_tamper does.
 *
 * This file's pthread_create stands in for the C library's (dlsym
 * RTLD_NEXT), so that a test can have every new thread refused, as a
 * system out of threads would, or started late, as on a busy one.
 */
#define _GNU_SOURCE /* RTLD_NEXT */

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lmdb.h>

#include "testutil.h"
#include "tfledger/entry.h"
#include "tfledger/import.h"
#include "tfledger/keys.h"
#include "tfledger/ledger.h"

#define ORIGIN "example.org/unvtf/threads-test"
#define T0 ((int64_t)1795000000) /* 2026-11-18T11:06:40Z */

static const unsigned thread_counts[] = { 1, 2, 3, 8 };

/* Set: pthread_create refuses every thread, as when none is left. */
static int no_threads;
/* Set: every new thread waits this long before it runs. */
static useconds_t late_start;

struct late {
	void *(*fn)(void *);
	void *arg;
};

static void *
start_late(void *arg)
{
	struct late l = *(struct late *)arg;

	free(arg);
	usleep(late_start);
	return l.fn(l.arg);
}

int
pthread_create(pthread_t *t, const pthread_attr_t *attr,
    void *(*fn)(void *), void *arg)
{
	static int (*real)(pthread_t *, const pthread_attr_t *,
	    void *(*)(void *), void *);
	struct late *l;
	int rc;

	if (no_threads)
		return EAGAIN;
	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "pthread_create");
	if (real == NULL)
		return ENOSYS;
	if (late_start == 0)
		return real(t, attr, fn, arg);
	if ((l = malloc(sizeof(*l))) == NULL)
		return EAGAIN;
	l->fn = fn;
	l->arg = arg;
	if ((rc = real(t, attr, start_late, l)) != 0)
		free(l);
	return rc;
}

static struct tu_ledger tl;
static tfl_key *rec2;
static char *cp;	  /* the checkpoint after the first import */
static size_t cplen;

/* Import n receipts R<from>.. signed by k. */
static void
receipts(const tfl_key *k, unsigned from, unsigned n)
{
	tfl_err err = TFL_ERR_INIT;
	size_t len = 0, cap = 64 + 64 * (size_t)n, added, skipped;
	char *csv = malloc(cap);
	unsigned i;

	ck_assert_ptr_nonnull(csv);
	len = (size_t)snprintf(csv, cap, "date,donor,amount,currency,"
	    "reference\n");
	for (i = from; i < from + n; i++)
		len += (size_t)snprintf(csv + len, cap - len, "2026-11-%02u,"
		    "D-%u,%u.%02u,USD,R%05u\n", 1 + i % 17, i % 3, 10 + i, i % 100,
		    i);
	ck_assert_msg(tfl_import_csv(&added, &skipped, tl.led, k,
	    TFL_ENTRY_RECEIPT, csv, len, ++tl.clock, &err) == 0, "%s",
	    err.msg);
	ck_assert_uint_eq(added, n);
	free(csv);
}

static void
setup(void)
{
	tfl_genesis g = { ORIGIN, "Test Trust Fund", "USD", NULL };
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e;
	size_t added, skipped;
	const char *donors = "id,name,kind\nD-0,Zero,government\n"
	    "D-1,One,foundation\nD-2,Two,private\n";

	no_threads = 0; /* as a test that failed part way left them */
	late_start = 0;
	tu_ledger_open(&tl, &g, T0, TU_ENROLL_RECORDER);
	rec2 = tu_key_new("recorder2.test");
	ck_assert_msg(tfl_import_csv(&added, &skipped, tl.led, tl.rec,
	    TFL_ENTRY_DONOR, donors, strlen(donors), ++tl.clock, &err) == 0,
	    "%s", err.msg);
	receipts(tl.rec, 0, 400);
	ck_assert_msg(tfl_ledger_checkpoint(&cp, &cplen, tl.led, tl.admin,
	    &err) == 0, "%s", err.msg);
	tu_put(&tl, tl.admin, tu_entry_enroll(rec2, "recorder"));
	e = tu_entry_new(TFL_ENTRY_KEY_REVOKE, "name", "recorder.test",
	    NULL);
	tu_put(&tl, tl.admin, e);
	receipts(rec2, 400, 296);
	ck_assert_uint_eq(tu_ledger_size(tl.led), 703);
}

static void
teardown(void)
{
	tu_ledger_close(&tl);
	tfl_key_free(rec2);
	rec2 = NULL;
	free(cp);
	cp = NULL;
}

/* What an audit gives: status, message, report. */
struct outcome {
	int rc;
	tfl_err err;
	tfl_verify_report r;
};

static struct outcome
audit(unsigned threads, const char *since, size_t since_len,
    const char *tmpdir, size_t mem)
{
	tfl_verify_opts o = TFL_VERIFY_OPTS_INIT;
	struct outcome out;

	memset(&out, 0, sizeof(out));
	tfl_err_clear(&out.err);
	o.since = since;
	o.since_len = since_len;
	tfl_ledger_set_threads(tl.led, threads);
	tfl_ledger_set_scratch(tl.led, tmpdir, mem);
	out.rc = tfl_ledger_verify(&out.r, tl.led, &o, &out.err);
	return out;
}

static void
assert_same(const struct outcome *a, const struct outcome *b,
    const char *what)
{
	size_t i;

	ck_assert_msg(a->rc == b->rc, "%s: status %d, not %d", what, b->rc,
	    a->rc);
	ck_assert_msg(strcmp(a->err.msg, b->err.msg) == 0,
	    "%s: \"%s\", not \"%s\"", what, b->err.msg, a->err.msg);
	ck_assert_msg(a->r.size == b->r.size && a->r.checkpoints ==
	    b->r.checkpoints && a->r.bad_seq == b->r.bad_seq &&
	    a->r.since == b->r.since && a->r.signatures == b->r.signatures &&
	    a->r.from == b->r.from && a->r.snapshots == b->r.snapshots &&
	    memcmp(a->r.root, b->r.root, sizeof(a->r.root)) == 0,
	    "%s: another report", what);
	ck_assert_uint_eq(a->r.checks.n, b->r.checks.n);
	for (i = 0; i < a->r.checks.n; i++)
		ck_assert_msg(strcmp(a->r.checks.c[i].name,
		    b->r.checks.c[i].name) == 0 && a->r.checks.c[i].ok ==
		    b->r.checks.c[i].ok && strcmp(a->r.checks.c[i].detail,
		    b->r.checks.c[i].detail) == 0, "%s: check %zu differs: %s",
		    what, i, b->r.checks.c[i].detail);
}

/* Every thread count gives what one thread gives; that, returned. */
static struct outcome
audit_everyway(const char *since, size_t since_len)
{
	struct outcome one, other;
	char what[64];
	size_t i;

	one = audit(1, since, since_len, NULL, 0);
	for (i = 1; i < sizeof(thread_counts) / sizeof(thread_counts[0]);
	    i++) {
		other = audit(thread_counts[i], since, since_len, NULL, 0);
		snprintf(what, sizeof(what), "%u threads", thread_counts[i]);
		assert_same(&one, &other, what);
	}
	return one;
}

/* Change entry seq's stored bytes with fn, as an attacker could. */
static void
tamper(uint64_t seq, void (*fn)(char *note, size_t *len))
{
	MDB_env *env = NULL;
	MDB_txn *txn = NULL;
	MDB_dbi dbi;
	uint8_t k[8];
	MDB_val key = { 8, k }, val;
	char buf[4096];
	size_t len;
	int i;

	for (i = 7; i >= 0; i--, seq >>= 8)
		k[i] = (uint8_t)seq;
	ck_assert_int_eq(mdb_env_create(&env), 0);
	ck_assert_int_eq(mdb_env_set_maxdbs(env, 8), 0);
	ck_assert_int_eq(mdb_env_open(env, tl.dir, 0, 0600), 0);
	ck_assert_int_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
	ck_assert_int_eq(mdb_dbi_open(txn, "entries", 0, &dbi), 0);
	ck_assert_int_eq(mdb_get(txn, dbi, &key, &val), 0);
	ck_assert_uint_lt(val.mv_size, sizeof(buf));
	memcpy(buf, val.mv_data, val.mv_size);
	len = val.mv_size;
	fn(buf, &len);
	val.mv_data = buf;
	val.mv_size = len;
	ck_assert_int_eq(mdb_put(txn, dbi, &key, &val, 0), 0);
	ck_assert_int_eq(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

/* An amount's digit changed: the signature no longer verifies. */
static void
change_text(char *note, size_t *len)
{
	char *p = strstr(note, "\namount: ");

	(void)len;
	ck_assert_ptr_nonnull(p);
	p[9] = p[9] == '7' ? '8' : '7';
}

/* Another character of the signature's base64, still base64. */
static void
change_signature(char *note, size_t *len)
{
	note[*len - 10] = note[*len - 10] == 'A' ? 'B' : 'A';
}

/* The signature lines cut off: no longer a signed note. */
static void
cut_signature(char *note, size_t *len)
{
	char *p = strstr(note, "\n\n");

	ck_assert_ptr_nonnull(p);
	*len = (size_t)(p - note) + 2;
}

START_TEST(test_an_intact_ledger_audits_the_same_with_any_thread_count)
{
	struct outcome o = audit_everyway(NULL, 0);

	ck_assert_msg(o.rc == 0, "%s", o.err.msg);
	ck_assert_uint_eq(o.r.size, 703);
	ck_assert_uint_eq(o.r.signatures, 703);
}
END_TEST

/* A whole number of the walk's batches, filling its ring: it once hung. */
START_TEST(test_a_ledger_of_whole_batches_audits_with_any_thread_count)
{
	struct outcome o;

	receipts(rec2, 696, 768 - 703);
	o = audit_everyway(NULL, 0);
	ck_assert_msg(o.rc == 0, "%s", o.err.msg);
	ck_assert_uint_eq(o.r.size, 768);
}
END_TEST

START_TEST(test_an_incremental_audit_is_the_same_with_any_thread_count)
{
	struct outcome o = audit_everyway(cp, cplen);

	ck_assert_msg(o.rc == 0, "%s", o.err.msg);
	ck_assert_uint_eq(o.r.since, 405);
	ck_assert_uint_eq(o.r.from, 405); /* from the state snapshot */
	ck_assert_uint_eq(o.r.signatures, 703 - 405);
}
END_TEST

START_TEST(test_a_changed_entry_fails_the_same_with_any_thread_count)
{
	struct outcome o;

	tamper(333, change_text);
	o = audit_everyway(NULL, 0);
	ck_assert_int_eq(o.rc, TFL_EVERIFY);
	ck_assert_uint_eq(o.r.bad_seq, 333);
	ck_assert_msg(strstr(o.err.msg, "seq 333") != NULL, "%s", o.err.msg);
}
END_TEST

START_TEST(test_a_bad_signature_fails_the_same_with_any_thread_count)
{
	struct outcome o;

	tamper(650, change_signature);
	o = audit_everyway(NULL, 0);
	ck_assert_int_eq(o.rc, TFL_EVERIFY);
	ck_assert_uint_eq(o.r.bad_seq, 650);
	ck_assert_msg(strstr(o.err.msg, "invalid signature by "
	    "recorder2.test") != NULL, "%s", o.err.msg);
	/* Covered by the trusted checkpoint or not, the same everywhere. */
	o = audit_everyway(cp, cplen);
	ck_assert_uint_eq(o.r.bad_seq, 650);
}
END_TEST

START_TEST(test_a_malformed_note_fails_the_same_with_any_thread_count)
{
	struct outcome o;

	tamper(70, cut_signature);
	tamper(500, cut_signature);
	o = audit_everyway(NULL, 0);
	ck_assert_int_eq(o.rc, TFL_EVERIFY);
	ck_assert_uint_eq(o.r.bad_seq, 70);
	ck_assert_msg(strstr(o.err.msg, "malformed signed note") != NULL,
	    "%s", o.err.msg);
}
END_TEST

START_TEST(test_the_state_spilled_to_a_scratch_file_audits_the_same)
{
	struct outcome mem, spilled;
	char *scratch = tu_tmpdir();
	int dirty;

	mem = audit(2, NULL, 0, NULL, 0);
	spilled = audit(1, NULL, 0, scratch, 1);
	assert_same(&mem, &spilled, "spilled, 1 thread");
	spilled = audit(3, NULL, 0, scratch, 2000);
	assert_same(&mem, &spilled, "spilled, 3 threads");
	/* From the snapshot, the replay's writes spilled too. */
	mem = audit(2, cp, cplen, NULL, 0);
	ck_assert_uint_eq(mem.r.from, 405);
	spilled = audit(1, cp, cplen, scratch, 1);
	assert_same(&mem, &spilled, "incremental, spilled");
	/* The scratch file is unlinked at once: nothing is left. */
	dirty = rmdir(scratch);
	ck_assert_msg(dirty == 0, "the scratch directory is not empty");
	free(scratch);
}
END_TEST

/*
 * Change the record at position at (in key order) of database db: the
 * last byte of its value or the next one not empty (del 0), or the
 * record removed (del 1).
 */
static void
tamper_record(const char *db, size_t at, int del)
{
	MDB_env *env = NULL;
	MDB_txn *txn = NULL;
	MDB_cursor *cur = NULL;
	MDB_dbi dbi;
	MDB_val key, val;
	char buf[4096];
	size_t i;

	ck_assert_int_eq(mdb_env_create(&env), 0);
	ck_assert_int_eq(mdb_env_set_maxdbs(env, 8), 0);
	ck_assert_int_eq(mdb_env_open(env, tl.dir, 0, 0600), 0);
	ck_assert_int_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
	ck_assert_int_eq(mdb_dbi_open(txn, db, 0, &dbi), 0);
	ck_assert_int_eq(mdb_cursor_open(txn, dbi, &cur), 0);
	ck_assert_int_eq(mdb_cursor_get(cur, &key, &val, MDB_FIRST), 0);
	for (i = 0; i < at || (!del && val.mv_size == 0); i++)
		ck_assert_int_eq(mdb_cursor_get(cur, &key, &val, MDB_NEXT), 0);
	if (del) {
		ck_assert_int_eq(mdb_cursor_del(cur, 0), 0);
	} else {
		ck_assert_uint_lt(val.mv_size, sizeof(buf));
		memcpy(buf, val.mv_data, val.mv_size);
		buf[val.mv_size - 1] ^= 1;
		val.mv_data = buf;
		ck_assert_int_eq(mdb_cursor_put(cur, &key, &val, MDB_CURRENT),
		    0);
	}
	mdb_cursor_close(cur);
	ck_assert_int_eq(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

/*
 * The compares that end an audit read a spilled replay in key order,
 * each record after the one before; a record changed or missing between
 * them is found as it is in memory.
 */
static void
assert_spilled_fails_the_same(const char *want)
{
	struct outcome mem, spilled;
	char *scratch = tu_tmpdir();

	mem = audit(2, NULL, 0, NULL, 0);
	ck_assert_int_eq(mem.rc, TFL_EVERIFY);
	ck_assert_msg(strstr(mem.err.msg, want) != NULL, "%s", mem.err.msg);
	spilled = audit(1, NULL, 0, scratch, 1);
	assert_same(&mem, &spilled, "spilled, 1 thread");
	spilled = audit(3, NULL, 0, scratch, 2000);
	assert_same(&mem, &spilled, "spilled, 3 threads");
	/* Spilled seldom: a snapshot's compare runs as the walk goes on. */
	spilled = audit(3, NULL, 0, scratch, 100000);
	assert_same(&mem, &spilled, "spilled seldom, 3 threads");
	ck_assert_int_eq(rmdir(scratch), 0);
	free(scratch);
}

START_TEST(test_a_changed_state_record_fails_the_same_spilled)
{
	tamper_record("state", 300, 0);
	assert_spilled_fails_the_same("does not match the replayed entries");
}
END_TEST

START_TEST(test_a_missing_state_record_fails_the_same_spilled)
{
	tamper_record("state", 300, 1);
	assert_spilled_fails_the_same("stored state has ");
}
END_TEST

START_TEST(test_a_changed_snapshot_record_fails_the_same_spilled)
{
	tamper_record("snapshots", 200, 0);
	assert_spilled_fails_the_same("the snapshot of the fund state at size "
	    "405: record ");
}
END_TEST

/* The number of records in database db. */
static size_t
records(const char *db)
{
	MDB_env *env = NULL;
	MDB_txn *txn = NULL;
	MDB_dbi dbi;
	MDB_stat st;

	ck_assert_int_eq(mdb_env_create(&env), 0);
	ck_assert_int_eq(mdb_env_set_maxdbs(env, 8), 0);
	ck_assert_int_eq(mdb_env_open(env, tl.dir, MDB_RDONLY, 0600), 0);
	ck_assert_int_eq(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
	ck_assert_int_eq(mdb_dbi_open(txn, db, 0, &dbi), 0);
	ck_assert_int_eq(mdb_stat(txn, dbi, &st), 0);
	mdb_txn_abort(txn);
	mdb_env_close(env);
	return st.ms_entries;
}

/* A checkpoint of the whole ledger, with the snapshot of its state. */
static void
checkpoint_at_end(void)
{
	tfl_err err = TFL_ERR_INIT;
	char *last = NULL;
	size_t len;

	ck_assert_msg(tfl_ledger_checkpoint(&last, &len, tl.led, tl.admin,
	    &err) == 0, "%s", err.msg);
	free(last);
}

/*
 * With threads to spare, a snapshot is compared on a thread of its own
 * while the walk goes on, and the last one while the stored state is:
 * the failure reported is still the first, at the entry that reached
 * the snapshot's size.  Threads that start late leave the compare
 * running when the walk finds the bad entry after it.
 */
/* A changed record of the snapshot of size fails there, however run. */
static void
assert_snapshot_fails(uint64_t size)
{
	struct outcome o;
	char want[80];

	snprintf(want, sizeof(want), "the snapshot of the fund state at size "
	    "%" PRIu64 ": record ", size);
	assert_spilled_fails_the_same(want);
	o = audit(3, NULL, 0, NULL, 0);
	ck_assert_uint_eq(o.r.bad_seq, size - 1);
}

START_TEST(test_a_changed_snapshot_comes_before_a_later_bad_entry)
{
	tamper_record("snapshots", 200, 0);
	tamper(407, change_text);
	late_start = 200000;
	assert_snapshot_fails(405);
}
END_TEST

START_TEST(test_the_last_snapshot_and_the_state_fail_the_same_spilled)
{
	checkpoint_at_end();
	tamper_record("snapshots", records("snapshots") - 1, 0);
	assert_snapshot_fails(703);
}
END_TEST

START_TEST(test_the_state_compared_beside_the_last_snapshot_fails_the_same)
{
	struct outcome o;

	checkpoint_at_end();
	tamper_record("state", 300, 0);
	assert_spilled_fails_the_same("stored state \"");
	o = audit(3, NULL, 0, NULL, 0);
	ck_assert_uint_eq(o.r.snapshots, 2);
	ck_assert_uint_eq(o.r.bad_seq, UINT64_MAX);
}
END_TEST

START_TEST(test_a_scratch_directory_that_cannot_be_used_keeps_it_in_memory)
{
	struct outcome mem, nodir;

	mem = audit(2, NULL, 0, NULL, 0);
	nodir = audit(2, NULL, 0, "/nonexistent/tfledger", 1);
	assert_same(&mem, &nodir, "no scratch file");
}
END_TEST

/* Two ledgers made alike, to append the same to with 1 and 4 threads. */
struct twins {
	char *dir[2];
	tfl_ledger *l[2];
	int64_t clock;
};

static void
twins_open(struct twins *t)
{
	tfl_genesis g = { ORIGIN, "Test Trust Fund", "USD", NULL };
	tfl_err err = TFL_ERR_INIT;
	const char *donors = "id,name,kind\nD-0,Zero,government\n"
	    "D-1,One,foundation\nD-2,Two,private\n";
	size_t i, added, skipped;

	for (i = 0; i < 2; i++) {
		t->dir[i] = tu_tmpdir();
		t->l[i] = tu_ledger_create(&tl, t->dir[i], &g, T0,
		    TU_ENROLL_RECORDER | TU_ENROLL_APPROVER);
		tfl_ledger_set_threads(t->l[i], i == 0 ? 1 : 4);
		ck_assert_msg(tfl_import_csv(&added, &skipped, t->l[i], tl.rec,
		    TFL_ENTRY_DONOR, donors, strlen(donors), T0 + 10,
		    &err) == 0, "%s", err.msg);
	}
	t->clock = T0 + 10;
}

/* Both hold the same entries, byte for byte, and verify. */
static void
twins_same(struct twins *t)
{
	tfl_err err = TFL_ERR_INIT;
	char *a, *b;
	size_t alen, blen;
	uint64_t seq, n = tu_ledger_size(t->l[0]);

	ck_assert_uint_eq(tu_ledger_size(t->l[1]), n);
	for (seq = 0; seq < n; seq++) {
		ck_assert_msg(tfl_ledger_entry(&a, &alen, t->l[0], seq,
		    &err) == 0, "%s", err.msg);
		ck_assert_msg(tfl_ledger_entry(&b, &blen, t->l[1], seq,
		    &err) == 0, "%s", err.msg);
		ck_assert_msg(alen == blen && memcmp(a, b, alen) == 0,
		    "entry %" PRIu64 " differs", seq);
		free(a);
		free(b);
	}
	tu_verify_ok(t->l[0]);
	tu_verify_ok(t->l[1]);
}

static void
twins_close(struct twins *t)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		tfl_ledger_close(t->l[i]);
		tu_rmtree(t->dir[i]);
		free(t->dir[i]);
	}
}

/*
 * n receipt rows from donor D-<i % 3>; row bad (if < n) from D-9, which
 * the ledger does not know, and rows badamt and badamt + 1000 (if < n)
 * with an amount of three decimals, which no row may have.
 */
static char *
receipt_rows(size_t *len, unsigned n, unsigned bad, unsigned badamt)
{
	size_t cap = 64 + 64 * (size_t)n;
	char *csv = malloc(cap);
	unsigned i;

	ck_assert_ptr_nonnull(csv);
	*len = (size_t)snprintf(csv, cap, "date,donor,amount,currency,"
	    "reference\n");
	for (i = 0; i < n; i++)
		*len += (size_t)snprintf(csv + *len, cap - *len, "2026-11-0%u,"
		    "D-%u,%u.%s,USD,B%04u\n", 1 + i % 9, i == bad ? 9 : i % 3,
		    5 + i, i == badamt || i == badamt + 1000 ? "001" : "00", i);
	return csv;
}

/* Import csv into both; the statuses and messages must agree. */
static int
twins_import(struct twins *t, const char *csv, size_t len, tfl_err *err)
{
	tfl_err other = TFL_ERR_INIT;
	size_t added[2], skipped[2];
	int rc[2];

	t->clock++;
	rc[0] = tfl_import_csv(&added[0], &skipped[0], t->l[0], tl.rec,
	    TFL_ENTRY_RECEIPT, csv, len, t->clock, err);
	rc[1] = tfl_import_csv(&added[1], &skipped[1], t->l[1], tl.rec,
	    TFL_ENTRY_RECEIPT, csv, len, t->clock, &other);
	ck_assert_int_eq(rc[0], rc[1]);
	ck_assert_uint_eq(added[0], added[1]);
	if (rc[0] != 0)
		ck_assert_str_eq(err->msg, other.msg);
	return rc[0];
}

/*
 * 300 receipts into the twins, with threads refused (refuse) or not:
 * the same bytes in both, which verify.
 */
static void
twins_same_300(int refuse)
{
	struct twins t;
	tfl_err err = TFL_ERR_INIT;
	size_t len;
	char *csv = receipt_rows(&len, 300, 300, 300);

	twins_open(&t);
	no_threads = refuse;
	ck_assert_msg(twins_import(&t, csv, len, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(tu_ledger_size(t.l[1]), 6 + 300);
	twins_same(&t);
	no_threads = 0;
	free(csv);
	twins_close(&t);
}

START_TEST(test_imports_with_one_and_many_threads_store_the_same_bytes)
{
	twins_same_300(0);
}
END_TEST

/*
 * A ledger set to 4 threads on a system that starts none imports and
 * audits alone: the same bytes as the ledger of one thread.
 */
START_TEST(test_a_system_out_of_threads_imports_and_audits_alone)
{
	twins_same_300(1);
}
END_TEST

START_TEST(test_a_refused_row_fails_the_same_with_one_and_many_threads)
{
	struct twins t;
	tfl_err err = TFL_ERR_INIT;
	size_t len;
	char *csv = receipt_rows(&len, 40, 31, 40);

	twins_open(&t);
	ck_assert_int_eq(twins_import(&t, csv, len, &err), TFL_ERULE);
	ck_assert_msg(strstr(err.msg, "line 33") != NULL, "%s", err.msg);
	ck_assert_uint_eq(tu_ledger_size(t.l[0]), 6);
	twins_same(&t);
	free(csv);
	twins_close(&t);
}
END_TEST

/*
 * Rows become entries on four threads when there are enough of them (750
 * rows a thread here): the first malformed row in the file is still the
 * one reported, before any row is checked against the rules, as with one
 * thread.
 */
START_TEST(test_the_first_bad_row_is_reported_with_rows_converted_apart)
{
	static const struct {
		unsigned bad, badamt;
		const char *line;
		int rc;
	} cases[] = {
		{ 3000, 10, "line 12", TFL_EINVAL },	  /* shares 1 and 2 */
		{ 3000, 1400, "line 1402", TFL_EINVAL },  /* shares 2 and 4 */
		{ 3000, 2500, "line 2502", TFL_EINVAL },  /* the last share */
		{ 300, 2500, "line 2502", TFL_EINVAL },	  /* form before rules */
		{ 2500, 3000, "line 2502", TFL_ERULE },	  /* well formed */
	};
	struct twins t;
	tfl_err err = TFL_ERR_INIT;
	size_t len, i;
	char *csv;

	twins_open(&t);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		csv = receipt_rows(&len, 3000, cases[i].bad, cases[i].badamt);
		ck_assert_int_eq(twins_import(&t, csv, len, &err),
		    cases[i].rc);
		ck_assert_msg(strstr(err.msg, cases[i].line) != NULL,
		    "case %zu: %s", i, err.msg);
		free(csv);
	}
	ck_assert_uint_eq(tu_ledger_size(t.l[0]), 6);
	twins_same(&t);
	twins_close(&t);
}
END_TEST

/*
 * An approval reads the entry it approves, which may come earlier in the
 * same command: with many threads it must be stored by then too.
 */
START_TEST(test_an_entry_read_by_a_later_one_of_the_same_command)
{
	struct twins t;
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *es[20];
	uint64_t seq[2];
	size_t i, k;
	int rc[2];
	char ref[16], reverses[24];

	twins_open(&t);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 20; i++) {
			snprintf(ref, sizeof(ref), "C%02zu", i);
			es[i] = tu_entry_new(TFL_ENTRY_RECEIPT, "date",
			    "2026-11-02", "donor", "D-1", "ref", ref, "amount",
			    "3.00", "currency", "USD", "base-amount", "3.00",
			    NULL);
		}
		rc[k] = tu_append(&seq[k], t.l[k], tl.rec, t.clock + 1, es,
		    20, &err);
		ck_assert_msg(rc[k] == 0, "%s", err.msg);
	}
	/* Then receipts, and a reversal of one of them, in one command. */
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 19; i++) {
			snprintf(ref, sizeof(ref), "E%02zu", i);
			es[i] = tu_entry_new(TFL_ENTRY_RECEIPT, "date",
			    "2026-11-02", "donor", "D-2", "ref", ref, "amount",
			    "4.00", "currency", "USD", "base-amount", "4.00",
			    NULL);
		}
		snprintf(reverses, sizeof(reverses), "%" PRIu64, seq[k] + 6);
		es[19] = tu_entry_new(TFL_ENTRY_REVERSAL, "date", "2026-11-03",
		    "reverses", reverses, "reason", "entered twice", NULL);
		rc[k] = tu_append(NULL, t.l[k], tl.rec, t.clock + 2, es, 20,
		    &err);
	}
	ck_assert_int_eq(rc[0], rc[1]);
	twins_same(&t);
	twins_close(&t);
}
END_TEST

static Suite *
threads_suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc,
	    test_an_intact_ledger_audits_the_same_with_any_thread_count);
	tcase_add_test(tc,
	    test_a_ledger_of_whole_batches_audits_with_any_thread_count);
	tcase_add_test(tc,
	    test_an_incremental_audit_is_the_same_with_any_thread_count);
	tcase_add_test(tc,
	    test_a_changed_entry_fails_the_same_with_any_thread_count);
	tcase_add_test(tc,
	    test_a_bad_signature_fails_the_same_with_any_thread_count);
	tcase_add_test(tc,
	    test_a_malformed_note_fails_the_same_with_any_thread_count);
	tcase_add_test(tc,
	    test_the_state_spilled_to_a_scratch_file_audits_the_same);
	tcase_add_test(tc,
	    test_a_scratch_directory_that_cannot_be_used_keeps_it_in_memory);
	tcase_add_test(tc, test_a_changed_state_record_fails_the_same_spilled);
	tcase_add_test(tc, test_a_missing_state_record_fails_the_same_spilled);
	tcase_add_test(tc,
	    test_a_changed_snapshot_record_fails_the_same_spilled);
	tcase_add_test(tc,
	    test_a_changed_snapshot_comes_before_a_later_bad_entry);
	tcase_add_test(tc,
	    test_the_last_snapshot_and_the_state_fail_the_same_spilled);
	tcase_add_test(tc,
	    test_the_state_compared_beside_the_last_snapshot_fails_the_same);
	tcase_add_test(tc,
	    test_imports_with_one_and_many_threads_store_the_same_bytes);
	tcase_add_test(tc,
	    test_a_system_out_of_threads_imports_and_audits_alone);
	tcase_add_test(tc,
	    test_a_refused_row_fails_the_same_with_one_and_many_threads);
	tcase_add_test(tc,
	    test_the_first_bad_row_is_reported_with_rows_converted_apart);
	tcase_add_test(tc, test_an_entry_read_by_a_later_one_of_the_same_command);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(threads_suite()) != 0;
}
