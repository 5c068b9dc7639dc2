/*
 * check_reliability.c - what the store and the ledger promise when things
 * go wrong: a map that cannot grow, readers killed inside a transaction,
 * a key revoked in the middle of a batch, backups into the wrong place.
 * (Crashes, power cuts, full disks and concurrent processes are tested
 * through the tools: tests/cli/test_reliability.sh and tests/cli/long/.)
 *
 * Each test gets a fresh directory; the ledger tests a new ledger in it
 * with two admin keys and a recorder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "tfledger/entry.h"
#include "tfledger/keys.h"
#include "tfledger/ledger.h"
#include "tfledger/store.h"

#define ORIGIN	"example.org/unvtf/reliability"
#define T0	((int64_t)1795000000) /* 2026-11-18T11:06:40Z */
#define MB	((size_t)1 << 20)
#define READERS	130 /* more than LMDB's default of 126 reader slots */

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static char *dir;

static void
setup_dir(void)
{
	dir = tu_tmpdir();
}

static void
teardown_dir(void)
{
	tu_rmtree(dir);
	free(dir);
	dir = NULL;
}

static tfl_store *
store_open(const char *d, unsigned flags)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_store *s = NULL;

	ck_assert_msg(tfl_store_open(&s, d, flags, &err) == 0, "%s", err.msg);
	return s;
}

/* Store n entries "entry K\n" from seq from on, in one transaction. */
static void
put_notes(tfl_store *s, uint64_t from, uint64_t n)
{
	tfl_err err = TFL_ERR_INIT;
	uint8_t leaf[TFL_HASH_SIZE] = { 0 };
	char note[32];
	tfl_txn *t = NULL;
	uint64_t seq;

	ck_assert_msg(tfl_store_begin(&t, s, 1, &err) == 0, "%s", err.msg);
	for (seq = from; seq < from + n; seq++) {
		snprintf(note, sizeof(note), "entry %llu\n",
		    (unsigned long long)seq);
		leaf[0] = (uint8_t)seq;
		ck_assert_msg(tfl_store_entry_append(t, seq, note,
		    strlen(note), leaf, &err) == 0, "%s", err.msg);
	}
	ck_assert_msg(tfl_store_commit(t, &err) == 0, "%s", err.msg);
}

/* The store holds exactly n entries, readable. */
static void
assert_notes(tfl_store *s, uint64_t n)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_txn *t = NULL;
	uint64_t size = 0;
	char *got = NULL;
	size_t len;

	ck_assert_msg(tfl_store_begin(&t, s, 0, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(tfl_store_size(&size, t, &err), 0);
	ck_assert_uint_eq(size, n);
	ck_assert_int_eq(tfl_store_entry_get(&got, &len, t, n - 1, &err), 0);
	free(got);
	tfl_store_abort(t);
}

#ifndef UNDER_ASAN
/* Our address space now, in bytes (the first field of statm, in pages). */
static rlim_t
vm_size(void)
{
	unsigned long pages = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%lu", &pages), 1);
	fclose(f);
	return (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE);
}

/* Allow the address space only room bytes more than it has now. */
static struct rlimit
limit_address_space(size_t room)
{
	struct rlimit old, tight;

	ck_assert_int_eq(getrlimit(RLIMIT_AS, &old), 0);
	tight = old;
	tight.rlim_cur = vm_size() + room;
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &tight), 0);
	return old;
}
#endif

/*
 * LMDB unmaps the old map before it maps the larger one; when that fails
 * it leaves the environment with no map at all, and the next transaction
 * used to fault.  Now the grow fails cleanly, the store goes on at its
 * old size, and grows once there is room again.
 */
START_TEST(test_a_map_that_cannot_grow_fails_cleanly_and_the_store_goes_on)
{
#ifdef UNDER_ASAN
	/* ASan reserves terabytes of address space: RLIMIT_AS cannot work. */
	return;
#else
	tfl_err err = TFL_ERR_INIT;
	tfl_store *s = store_open(dir, TFL_STORE_CREATE);
	struct rlimit old;
	int rc;

	put_notes(s, 0, 10);
	/* Room for the 64 MiB map again, not for a 128 MiB one. */
	old = limit_address_space(16 * MB);
	rc = tfl_store_grow(s, &err);
	ck_assert_msg(rc == TFL_ENOMEM, "grow: %d %s", rc, err.msg);
	ck_assert_ptr_nonnull(strstr(err.msg, dir));
	assert_notes(s, 10);
	put_notes(s, 10, 5);
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &old), 0);
	ck_assert_msg(tfl_store_grow(s, &err) == 0, "%s", err.msg);
	put_notes(s, 15, 5);
	assert_notes(s, 20);
	tfl_store_close(s);
#endif
}
END_TEST

/*
 * More than half of the map in use: the next write transaction grows the
 * map first.  When it cannot, the write is refused with TFL_ENOMEM (exit
 * 3 in the tools), nothing is written, and reading goes on.
 */
START_TEST(test_a_full_map_that_cannot_grow_refuses_writes_not_reads)
{
#ifdef UNDER_ASAN
	return;
#else
	tfl_err err = TFL_ERR_INIT;
	tfl_store *s = store_open(dir, TFL_STORE_CREATE);
	char key[16], *val = calloc(1, MB);
	struct rlimit old;
	tfl_txn *t = NULL;
	int i, rc;

	ck_assert_ptr_nonnull(val);
	put_notes(s, 0, 3);
	ck_assert_int_eq(tfl_store_begin(&t, s, 1, &err), 0);
	for (i = 0; i < 34; i++) {
		snprintf(key, sizeof(key), "filler-%d", i);
		ck_assert_msg(tfl_store_state_put(t, key, val, MB, &err) == 0,
		    "%s", err.msg);
	}
	ck_assert_msg(tfl_store_commit(t, &err) == 0, "%s", err.msg);
	old = limit_address_space(16 * MB);
	t = NULL;
	rc = tfl_store_begin(&t, s, 1, &err);
	ck_assert_msg(rc == TFL_ENOMEM, "begin: %d %s", rc, err.msg);
	ck_assert_ptr_null(t);
	assert_notes(s, 3);
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &old), 0);
	put_notes(s, 3, 1);
	assert_notes(s, 4);
	tfl_store_close(s);
	free(val);
#endif
}
END_TEST

/* In a child: open dir, begin a read transaction, die holding it. */
static void
die_reading(const char *d)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_store *s = NULL;
	tfl_txn *t = NULL;

	if (tfl_store_open(&s, d, TFL_STORE_RDONLY, &err) != 0 ||
	    tfl_store_begin(&t, s, 0, &err) != 0) {
		fprintf(stderr, "reader: %s\n", err.msg);
		_exit(1);
	}
	_exit(0); /* no abort, no close: as kill -9 would leave it */
}

/* In a child: 0 when a fresh open of d can read. */
static int
fresh_reader(const char *d)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_store *s = NULL;
	tfl_txn *t = NULL;
	pid_t pid = fork();
	int status = -1;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (tfl_store_open(&s, d, TFL_STORE_RDONLY, &err) != 0 ||
		    tfl_store_begin(&t, s, 0, &err) != 0) {
			fprintf(stderr, "fresh reader: %s\n", err.msg);
			_exit(1);
		}
		tfl_store_abort(t);
		tfl_store_close(s);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

/*
 * Readers killed inside a read transaction (an auditor's ^C) leave their
 * lock-table slots behind while another process keeps the ledger open;
 * once the table was full, every reader failed with MDB_READERS_FULL
 * until all processes had closed it.  Dead readers' slots are freed now.
 */
START_TEST(test_readers_killed_inside_a_transaction_leave_no_slot_behind)
{
	tfl_store *s = store_open(dir, TFL_STORE_CREATE);
	pid_t pid;
	int i, status;

	put_notes(s, 0, 2);
	for (i = 0; i < READERS; i++) {
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0)
			die_reading(dir);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ck_assert_int_eq(fresh_reader(dir), 0);
	assert_notes(s, 2);
	tfl_store_close(s);
}
END_TEST

static char *
path_in(const char *d, const char *name)
{
	size_t n = strlen(d) + strlen(name) + 2;
	char *p = malloc(n);

	ck_assert_ptr_nonnull(p);
	snprintf(p, n, "%s/%s", d, name);
	return p;
}

/* In a child: the status of opening d read-write; its message to msg. */
static int
open_elsewhere(const char *d, char *msg, size_t cap)
{
	int fds[2], status = 0;
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		tfl_err err = TFL_ERR_INIT;
		tfl_store *s = NULL;
		int rc = tfl_store_open(&s, d, 0, &err);

		close(fds[0]);
		if (write(fds[1], err.msg, strlen(err.msg)) < 0)
			_exit(99);
		tfl_store_close(s);
		_exit(-rc);
	}
	close(fds[1]);
	n = read(fds[0], msg, cap - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return -WEXITSTATUS(status);
}

/*
 * Swap the first 4 bytes of d/lock.mdb with magic[], in a child: closing
 * any descriptor of lock.mdb would drop this process's LMDB locks on it.
 */
static void
swap_lock_magic(const char *d, char magic[4])
{
	char *path = path_in(d, "lock.mdb");
	int fds[2], status = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char old[4];
		FILE *f = fopen(path, "r+");

		if (f == NULL || fread(old, 1, 4, f) != 4 ||
		    fseek(f, 0, SEEK_SET) != 0 || fwrite(magic, 1, 4, f) != 4 ||
		    fclose(f) != 0 || write(fds[1], old, 4) != 4)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], magic, 4), 4);
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	free(path);
}

/*
 * A lock.mdb that is not LMDB's, while another process has the ledger
 * open (alone, LMDB rebuilds it): the open is refused naming lock.mdb,
 * not as "not an LMDB file", which would send someone to repair a sound
 * data.mdb.
 */
START_TEST(test_a_damaged_lock_file_is_named_and_the_data_left_alone)
{
	tfl_store *s = store_open(dir, TFL_STORE_CREATE);
	char msg[TFL_ERR_MSG_MAX], magic[4] = { 'X', 'X', 'X', 'X' };

	put_notes(s, 0, 2);
	swap_lock_magic(dir, magic);
	ck_assert_int_eq(open_elsewhere(dir, msg, sizeof(msg)), TFL_EIO);
	ck_assert_msg(strstr(msg, "lock.mdb is damaged") != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "data.mdb is not affected") != NULL, "%s",
	    msg);
	swap_lock_magic(dir, magic);
	ck_assert_int_eq(open_elsewhere(dir, msg, sizeof(msg)), 0);
	put_notes(s, 2, 1);
	assert_notes(s, 3);
	tfl_store_close(s);
}
END_TEST

/*
 * lock.mdb removed while a process has the ledger open: the processes
 * that come after make a new one, whose writer lock the first does not
 * share; so the first refuses to go on until it opens the ledger again.
 */
START_TEST(test_a_lock_file_removed_under_an_open_ledger_stops_it)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_store *s = store_open(dir, TFL_STORE_CREATE);
	char *path = path_in(dir, "lock.mdb");
	tfl_txn *t = NULL;

	put_notes(s, 0, 2);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(tfl_store_begin(&t, s, 1, &err), TFL_EIO);
	ck_assert_msg(strstr(err.msg, "lock.mdb was removed") != NULL, "%s",
	    err.msg);
	ck_assert_int_eq(tfl_store_begin(&t, s, 0, &err), TFL_EIO);
	tfl_store_close(s);
	s = store_open(dir, 0);
	put_notes(s, 2, 1);
	assert_notes(s, 3);
	tfl_store_close(s);
	free(path);
}
END_TEST

static tfl_entry *
policy(void)
{
	return tu_entry_new(TFL_ENTRY_POLICY, "approval-threshold", "5000.00",
	    "psc-rate", "13", NULL);
}

/* A ledger in dir: genesis by a, then b (admin) and a recorder. */
static tfl_ledger *
ledger_new(tfl_key *a, tfl_key *b, tfl_key *rec)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_genesis g = { ORIGIN, "Reliability Test Fund", "USD", NULL };
	tfl_ledger *l = NULL;
	tfl_entry *es[2];

	ck_assert_msg(tfl_ledger_create(&l, dir, &g, a, T0, &err) == 0, "%s",
	    err.msg);
	es[0] = tu_entry_enroll(b, "admin");
	es[1] = tu_entry_enroll(rec, "recorder");
	ck_assert_msg(tu_append(NULL, l, a, T0 + 1, es, 2, &err) == 0, "%s",
	    err.msg);
	return l;
}

/*
 * A revocation takes effect at its own seq, also inside one command: a
 * batch in which a key revokes itself and then signs again is refused as
 * a whole; the same two the other way round are fine, and after that the
 * key signs nothing.
 */
START_TEST(test_a_key_revoked_inside_a_batch_signs_nothing_after_it)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_key *a = tu_key_new("a.test"), *b = tu_key_new("b.test");
	tfl_key *r = tu_key_new("r.test");
	tfl_ledger *l = ledger_new(a, b, r);
	tfl_entry *es[2];
	int rc;

	ck_assert_uint_eq(tu_ledger_size(l), 3);
	es[0] = tu_entry_new(TFL_ENTRY_KEY_REVOKE, "name", "a.test", NULL);
	es[1] = policy();
	rc = tu_append(NULL, l, a, T0 + 2, es, 2, &err);
	ck_assert_msg(rc == TFL_ERULE, "%d %s", rc, err.msg);
	ck_assert_msg(strstr(err.msg, "revoked at seq 3") != NULL, "%s",
	    err.msg);
	ck_assert_uint_eq(tu_ledger_size(l), 3);
	es[0] = policy();
	es[1] = tu_entry_new(TFL_ENTRY_KEY_REVOKE, "name", "a.test", NULL);
	ck_assert_msg(tu_append(NULL, l, a, T0 + 3, es, 2, &err) == 0, "%s",
	    err.msg);
	ck_assert_uint_eq(tu_ledger_size(l), 5);
	es[0] = policy();
	ck_assert_int_eq(tu_append(NULL, l, a, T0 + 4, es, 1, &err), TFL_ERULE);
	ck_assert_msg(strstr(err.msg, "revoked at seq 4") != NULL, "%s",
	    err.msg);
	es[0] = policy();
	ck_assert_msg(tu_append(NULL, l, b, T0 + 5, es, 1, &err) == 0, "%s",
	    err.msg);
	ck_assert_uint_eq(tu_verify_ok(l).size, 6);
	tfl_ledger_close(l);
	tfl_key_free(a);
	tfl_key_free(b);
	tfl_key_free(r);
}
END_TEST

/* The time of entry seq. */
static int64_t
time_of(tfl_ledger *l, uint64_t seq)
{
	tfl_entry *e = tu_entry_read(l, seq);
	int64_t t = tfl_entry_time(e);

	tfl_entry_free(e);
	return t;
}

static int64_t
fixed_clock(void *ctx)
{
	return *(int64_t *)ctx;
}

/*
 * Commands read the clock before they wait for the writer lock; one that
 * waited while another committed an entry timed a second later was
 * refused as if its clock went back (seen with eight officers at once).
 * A clock set on the ledger is read once the lock is held instead of
 * now; the rules still refuse a clock that really went back.
 */
START_TEST(test_a_clock_set_on_the_ledger_times_entries_under_the_lock)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_key *a = tu_key_new("a.test"), *b = tu_key_new("b.test");
	tfl_key *r = tu_key_new("r.test");
	tfl_ledger *l = ledger_new(a, b, r);
	int64_t clock = T0 + 100;
	tfl_entry *es[1];
	int rc;

	tfl_ledger_set_clock(l, fixed_clock, &clock);
	es[0] = policy();
	ck_assert_msg(tu_append(NULL, l, a, T0 + 2, es, 1, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(time_of(l, 3), T0 + 100);
	clock = T0 + 99;
	es[0] = policy();
	rc = tu_append(NULL, l, a, T0 + 200, es, 1, &err);
	ck_assert_msg(rc == TFL_ERULE, "%d %s", rc, err.msg);
	ck_assert_msg(strstr(err.msg, "clock went back") != NULL, "%s",
	    err.msg);
	tfl_ledger_set_clock(l, NULL, NULL);
	es[0] = policy();
	ck_assert_msg(tu_append(NULL, l, b, T0 + 200, es, 1, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(time_of(l, 4), T0 + 200);
	ck_assert_uint_eq(tu_verify_ok(l).size, 5);
	tfl_ledger_close(l);
	tfl_key_free(a);
	tfl_key_free(b);
	tfl_key_free(r);
}
END_TEST

static mode_t
mode_of(const char *path)
{
	struct stat st;

	ck_assert_msg(stat(path, &st) == 0, "%s", path);
	return st.st_mode & 07777;
}


/*
 * A backup goes only into a new or empty directory, its files are its
 * owner's alone whatever the umask, and the copy is a ledger that
 * verifies with the same entries.
 */
START_TEST(test_a_backup_is_private_and_only_made_in_a_new_or_empty_dir)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_key *a = tu_key_new("a.test"), *b = tu_key_new("b.test");
	tfl_key *r = tu_key_new("r.test");
	tfl_ledger *l = ledger_new(a, b, r), *copy = NULL;
	char *full = path_in(dir, "full"), *junk = path_in(full, "junk");
	char *file = path_in(dir, "file"), *fresh = path_in(dir, "fresh");
	char *empty = path_in(dir, "empty"), *data = NULL;
	mode_t old = umask(0);
	FILE *f;

	ck_assert_int_eq(mkdir(full, 0755), 0);
	ck_assert_ptr_nonnull(f = fopen(junk, "w"));
	fclose(f);
	ck_assert_ptr_nonnull(f = fopen(file, "w"));
	fclose(f);
	ck_assert_int_eq(mkdir(empty, 0777), 0);
	ck_assert_int_eq(tfl_ledger_backup(l, full, &err), TFL_EEXIST);
	ck_assert_ptr_nonnull(strstr(err.msg, "not empty"));
	ck_assert_int_eq(tfl_ledger_backup(l, file, &err), TFL_EEXIST);
	ck_assert_int_eq(tfl_ledger_backup(l, fresh, &err), 0);
	ck_assert_int_eq(tfl_ledger_backup(l, fresh, &err), TFL_EEXIST);
	ck_assert_int_eq(tfl_ledger_backup(l, empty, &err), 0);
	umask(old);
	ck_assert_int_eq(mode_of(fresh), 0700);
	data = path_in(fresh, "data.mdb");
	ck_assert_int_eq(mode_of(data), 0600);
	free(data);
	data = path_in(empty, "data.mdb");
	ck_assert_int_eq(mode_of(data), 0600);
	free(junk);
	junk = path_in(full, "data.mdb");
	ck_assert_int_eq(access(junk, F_OK), -1);
	ck_assert_msg(tfl_ledger_open(&copy, fresh, TFL_LEDGER_RDONLY,
	    &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(tu_verify_ok(copy).size, 3);
	tfl_ledger_close(copy);
	tfl_ledger_close(l);
	tfl_key_free(a);
	tfl_key_free(b);
	tfl_key_free(r);
	free(data);
	free(full);
	free(junk);
	free(file);
	free(fresh);
	free(empty);
}
END_TEST

static Suite *
reliability_suite(void)
{
	Suite *s = suite_create("reliability");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup_dir, teardown_dir);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc,
	    test_a_map_that_cannot_grow_fails_cleanly_and_the_store_goes_on);
	tcase_add_test(tc,
	    test_a_full_map_that_cannot_grow_refuses_writes_not_reads);
	tcase_add_test(tc,
	    test_readers_killed_inside_a_transaction_leave_no_slot_behind);
	tcase_add_test(tc,
	    test_a_damaged_lock_file_is_named_and_the_data_left_alone);
	tcase_add_test(tc,
	    test_a_lock_file_removed_under_an_open_ledger_stops_it);
	tcase_add_test(tc,
	    test_a_key_revoked_inside_a_batch_signs_nothing_after_it);
	tcase_add_test(tc,
	    test_a_clock_set_on_the_ledger_times_entries_under_the_lock);
	tcase_add_test(tc,
	    test_a_backup_is_private_and_only_made_in_a_new_or_empty_dir);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(reliability_suite()) != 0;
}
