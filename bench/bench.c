/*
 * bench.c - `make bench`: tfledger's figures beside the limits of the
 * machine, both measured in the same run, as a table and as JSON.
 *
 * Raw limits first (OpenSSL Ed25519 through EVP as the ledger calls it,
 * SHA-256, LMDB), then each figure as a ratio to the limit that bounds
 * it.  The 1,000,000-entry ledger is generated once into the data
 * directory and reused by later runs.  Audits run in a child process
 * (this program again, "--audit"), so that their peak resident memory
 * (VmHWM) is theirs alone, and with their ledger read once before, so
 * that they time the CPU rather than the disk.  README.md,
 * "Performance", shows a run.
 *
 * usage: bench --dir DIR --tfledger PATH [--json FILE] [--size N]
 *        bench --audit LEDGER THREADS [SINCE-CHECKPOINT-FILE]
 * --only PART[,PART...] runs those of limits, import, startup and
 * ledgers (ratios need the limits: without them they are against 0).
 */
#define _DEFAULT_SOURCE /* syscall(), for the sync counter below */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lmdb.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "tfledger/tfledger.h"

#define ORIGIN "bench.example.org/unvtf"
#define T0 ((int64_t)1795000000) /* 2026-11-18 */
#define MSG_LEN 400		 /* about one entry's text */
#define NDONORS 100
#define STMT_DONOR "DSTMT"	 /* the donor whose statement is timed */
#define STMT_RECEIPTS 50	 /* its receipts, in every ledger size */
#define CHUNK 100000		 /* receipts per import command */
#define IMPORT_ROWS 100000
#define LIMIT_SECONDS 1.5
/* v2: state snapshots; v3: prev is the chain hash; v4: entry v2 */
#define GEN_VERSION "tfledger bench ledger v8"
#define IMPORT_RUNS 5 /* the import figure is the median run's */
#define AUDIT_RUNS 3  /* and the full audit's */

/* One line of the table and of the JSON. */
struct row {
	char name[80];
	double value;
	char unit[16];
	double limit; /* 0: none */
	char limit_name[48];
	double ratio;	  /* value / limit, or as the target defines it */
	char target[48];  /* "" when none */
	int holds;	  /* -1: no target */
};

static struct row rows[64];
static size_t nrows;
static unsigned ncores;
static const char *datadir, *tfledger_bin;

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static void
check(int rc, const tfl_err *err, const char *what)
{
	if (rc != 0)
		die("%s: %s", what, err->msg);
}

static struct row *
add(const char *name, double value, const char *unit)
{
	struct row *r;

	if (nrows == sizeof(rows) / sizeof(rows[0]))
		die("too many rows");
	r = &rows[nrows++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->value = value;
	snprintf(r->unit, sizeof(r->unit), "%s", unit);
	r->holds = -1;
	printf("  %-52s %14.6g %s\n", name, value, unit);
	fflush(stdout);
	return r;
}

/* A row whose ratio to limit must be at least min (or at most max). */
static void
ratio_row(struct row *r, double limit, const char *limit_name,
    double ratio, const char *target, int holds)
{
	r->limit = limit;
	snprintf(r->limit_name, sizeof(r->limit_name), "%s", limit_name);
	r->ratio = ratio;
	snprintf(r->target, sizeof(r->target), "%s", target);
	r->holds = holds;
	printf("  %-52s   ratio %.3f (%s) %s\n", "", ratio, target,
	    holds < 0 ? "" : holds ? "HOLDS" : "FAILS");
	fflush(stdout);
}

static char *
path(const char *name)
{
	size_t n = strlen(datadir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p == NULL)
		die("out of memory");
	snprintf(p, n, "%s/%s", datadir, name);
	return p;
}

/* Remove a ledger directory (data.mdb, lock.mdb) if it is there. */
static void
rm_ledger(const char *dir)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/data.mdb", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/lock.mdb", dir);
	unlink(p);
	rmdir(dir);
}

static char *
slurp(const char *file, size_t *len)
{
	FILE *f = fopen(file, "rb");
	char *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		die("%s: %s", file, strerror(errno));
	if ((buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("%s: read failed", file);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
spit(const char *file, const char *data, size_t len)
{
	FILE *f = fopen(file, "wb");

	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die("%s: write failed", file);
}

/*
 * Syncs made by this process.  These definitions come before libc's in
 * symbol lookup, LMDB's calls included: LMDB syncs a commit's pages with
 * fdatasync and writes its meta page through an O_DSYNC descriptor, so
 * one synced commit is one call here.
 */
static unsigned long syncs;

int
fdatasync(int fd)
{
	syncs++;
	return (int)syscall(SYS_fdatasync, fd);
}

int
fsync(int fd)
{
	syncs++;
	return (int)syscall(SYS_fsync, fd);
}

/* ---- raw limits --------------------------------------------------------- */

struct crypto_job {
	int op; /* 0 sign, 1 verify, 2 sha-256 */
	const tfl_key *key;
	uint8_t pub[32], sig[64], msg[MSG_LEN];
	double seconds;
	double cpu; /* this thread's CPU seconds */
	uint64_t ops;
};

/*
 * One operation, by the library's own calls: tfl_key_sign and
 * tfl_ed25519_verify (keys.c: EVP_DigestSign, EVP_DigestVerify), and
 * EVP_Digest as util.c's tfl__sha256.
 */
static void
crypto_op(struct crypto_job *j)
{
	tfl_err err = TFL_ERR_INIT;
	uint8_t h[32];
	unsigned hl;
	int ok;

	if (j->op == 0)
		ok = tfl_key_sign(j->sig, j->key, j->msg, MSG_LEN, &err) == 0;
	else if (j->op == 1)
		ok = tfl_ed25519_verify(j->pub, j->msg, MSG_LEN, j->sig,
		    &err) == 0;
	else
		ok = EVP_Digest(j->msg, MSG_LEN, h, &hl, EVP_sha256(),
		    NULL) == 1;
	if (!ok)
		die("crypto operation %d failed", j->op);
}

static double
cpu_s(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *
crypto_run(void *arg)
{
	struct crypto_job *j = arg;
	double t0 = now_s(), c0 = cpu_s(CLOCK_THREAD_CPUTIME_ID), t;
	uint64_t n = 0;

	do {
		for (int i = 0; i < 16; i++)
			crypto_op(j);
		n += 16;
		t = now_s() - t0;
	} while (t < j->seconds);
	j->ops = n;
	j->seconds = t;
	j->cpu = cpu_s(CLOCK_THREAD_CPUTIME_ID) - c0;
	return NULL;
}

/* CPU seconds per operation in the last crypto_rate call. */
static double last_cpu_per_op;

/* Operations per second of op on threads threads at once. */
static double
crypto_rate(int op, unsigned threads, const tfl_key *key)
{
	struct crypto_job *jobs = calloc(threads, sizeof(*jobs));
	pthread_t *tid = calloc(threads, sizeof(*tid));
	tfl_err err = TFL_ERR_INIT;
	double rate = 0, cpu = 0;
	uint64_t ops = 0;
	unsigned i;

	if (jobs == NULL || tid == NULL)
		die("out of memory");
	for (i = 0; i < threads; i++) {
		struct crypto_job *j = &jobs[i];

		j->op = op;
		j->key = key;
		j->seconds = LIMIT_SECONDS;
		memset(j->msg, 'a' + (int)i, sizeof(j->msg));
		j->msg[MSG_LEN - 1] = '\n';
		tfl_key_public(j->pub, key);
		check(tfl_key_sign(j->sig, key, j->msg, MSG_LEN, &err), &err,
		    "sign");
	}
	for (i = 0; i < threads; i++)
		if (pthread_create(&tid[i], NULL, crypto_run, &jobs[i]) != 0)
			die("pthread_create failed");
	for (i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		rate += (double)jobs[i].ops / jobs[i].seconds;
		cpu += jobs[i].cpu;
		ops += jobs[i].ops;
	}
	last_cpu_per_op = cpu / (double)ops;
	free(jobs);
	free(tid);
	return rate;
}

static MDB_env *
lmdb_env(const char *dir)
{
	MDB_env *env;

	rm_ledger(dir);
	if (mkdir(dir, 0700) != 0 || mdb_env_create(&env) != 0 ||
	    mdb_env_set_mapsize(env, (size_t)1 << 30) != 0 ||
	    mdb_env_open(env, dir, 0, 0600) != 0)
		die("%s: cannot make an LMDB environment", dir);
	return env;
}

static void
be64(uint8_t out[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		out[i] = (uint8_t)v;
}

/* MDB_APPEND puts of entry-sized values per second, one synced commit. */
static double
lmdb_append_rate(const char *dir, unsigned n)
{
	MDB_env *env = lmdb_env(dir);
	MDB_txn *txn;
	MDB_dbi dbi;
	uint8_t k[8], v[MSG_LEN];
	MDB_val key = { 8, k }, val = { sizeof(v), v };
	double t0, t;

	memset(v, 'x', sizeof(v));
	t0 = now_s();
	if (mdb_txn_begin(env, NULL, 0, &txn) != 0 ||
	    mdb_dbi_open(txn, NULL, 0, &dbi) != 0)
		die("lmdb: begin");
	for (unsigned i = 0; i < n; i++) {
		be64(k, i);
		if (mdb_put(txn, dbi, &key, &val, MDB_APPEND) != 0)
			die("lmdb: put");
	}
	if (mdb_txn_commit(txn) != 0)
		die("lmdb: commit");
	t = now_s() - t0;
	mdb_env_close(env);
	rm_ledger(dir);
	return n / t;
}

/* Syncs per commit in the last lmdb_commit_rate call. */
static double last_syncs_per_commit;

/* Synced commits of one entry-sized put each, per second. */
static double
lmdb_commit_rate(const char *dir)
{
	MDB_env *env = lmdb_env(dir);
	MDB_txn *txn;
	MDB_dbi dbi;
	uint8_t k[8], v[MSG_LEN];
	MDB_val key = { 8, k }, val = { sizeof(v), v };
	double t0 = now_s(), t;
	unsigned long s0 = syncs;
	unsigned n = 0;

	memset(v, 'x', sizeof(v));
	do {
		be64(k, n);
		if (mdb_txn_begin(env, NULL, 0, &txn) != 0 ||
		    mdb_dbi_open(txn, NULL, 0, &dbi) != 0 ||
		    mdb_put(txn, dbi, &key, &val, MDB_APPEND) != 0 ||
		    mdb_txn_commit(txn) != 0)
			die("lmdb: commit");
		n++;
		t = now_s() - t0;
	} while (t < 2 * LIMIT_SECONDS);
	last_syncs_per_commit = (double)(syncs - s0) / n;
	mdb_env_close(env);
	rm_ledger(dir);
	return n / t;
}

static struct {
	double sign1, signN, verify1, verifyN, sha, append, commits;
	double verify_cpu; /* CPU seconds of one verification */
} lim;

static void
raw_limits(const tfl_key *priv)
{
	char *dir = path("lmdb-raw");

	printf("raw limits (%u cores):\n", ncores);
	lim.sign1 = add("ed25519 signs/s, one core", crypto_rate(0, 1, priv),
	    "/s")->value;
	lim.signN = add("ed25519 signs/s, all cores", crypto_rate(0, ncores,
	    priv), "/s")->value;
	lim.verify1 = add("ed25519 verifications/s, one core",
	    crypto_rate(1, 1, priv), "/s")->value;
	lim.verify_cpu = last_cpu_per_op;
	add("ed25519 verification, CPU microseconds", 1e6 * lim.verify_cpu,
	    "us");
	lim.verifyN = add("ed25519 verifications/s, all cores",
	    crypto_rate(1, ncores, priv), "/s")->value;
	lim.sha = add("sha-256 of 400-byte inputs/s, one core",
	    crypto_rate(2, 1, priv), "/s")->value;
	lim.append = add("lmdb MDB_APPEND puts/s, one synced transaction",
	    lmdb_append_rate(dir, 200000), "/s")->value;
	lim.commits = add("lmdb synced commits/s", lmdb_commit_rate(dir),
	    "/s")->value;
	free(dir);
}

/*
 * A limit measured again just before and just after the figure it
 * bounds, whose ratio uses their mean: other work on the machine comes
 * and goes.
 */
static double
again(const char *name, double rate, double first)
{
	printf("  %-52s %14.6g /s (%.6g at the start)\n", name, rate, first);
	return rate;
}

/* ---- ledgers ------------------------------------------------------------- */

static tfl_key *admin, *recorder;
static int64_t clock_now = T0;

static void
make_keys(void)
{
	uint8_t seed[32];
	tfl_err err = TFL_ERR_INIT;

	memset(seed, 1, sizeof(seed));
	check(tfl_key_from_seed(&admin, "admin.bench", seed, &err), &err,
	    "admin key");
	memset(seed, 2, sizeof(seed));
	check(tfl_key_from_seed(&recorder, "recorder.bench", seed, &err),
	    &err, "recorder key");
}

/* A new ledger: genesis, a recorder, NDONORS donors and STMT_DONOR. */
static tfl_ledger *
ledger_new(const char *dir)
{
	tfl_genesis g = { ORIGIN, "Bench Trust Fund", "USD", NULL };
	tfl_err err = TFL_ERR_INIT;
	tfl_ledger *l = NULL;
	tfl_entry *e = NULL;
	tfl_verifier v;
	char vk[512], *csv;
	size_t added, skipped, len = 0;

	rm_ledger(dir);
	check(tfl_ledger_create(&l, dir, &g, admin, clock_now, &err), &err,
	    "create");
	tfl_verifier_of_key(&v, recorder);
	tfl_verifier_format(vk, sizeof(vk), &v);
	check(tfl_entry_new(&e, TFL_ENTRY_KEY_ENROLL, &err), &err, "enroll");
	check(tfl_entry_set(e, "key", vk, &err), &err, "enroll");
	check(tfl_entry_set(e, "role", "recorder", &err), &err, "enroll");
	check(tfl_ledger_append(NULL, l, admin, &e, 1, ++clock_now, &err),
	    &err, "enroll");
	tfl_entry_free(e);
	if ((csv = malloc(64 * (NDONORS + 2))) == NULL)
		die("out of memory");
	len = (size_t)sprintf(csv, "id,name,kind,country\n");
	for (int i = 0; i < NDONORS; i++)
		len += (size_t)sprintf(csv + len, "D%03d,Donor %d,government,"
		    "DE\n", i, i);
	len += (size_t)sprintf(csv + len, STMT_DONOR ",Statement Donor,"
	    "foundation,NO\n");
	check(tfl_import_csv(&added, &skipped, l, recorder, TFL_ENTRY_DONOR,
	    csv, len, ++clock_now, &err), &err, "donors");
	free(csv);
	return l;
}

#define HEAD_ENTRIES (3 + NDONORS) /* genesis, enroll, donors */

/* Receipt rows [from, to) of a ledger with nreceipts receipts. */
static char *
receipts_csv(size_t *len, uint64_t from, uint64_t to, uint64_t nreceipts)
{
	uint64_t stride = nreceipts / STMT_RECEIPTS, i;
	size_t cap = 64 + (to - from) * 64, n;
	char *csv = malloc(cap), donor[16];

	if (csv == NULL)
		die("out of memory");
	n = (size_t)sprintf(csv, "date,donor,amount,currency,reference\n");
	for (i = from; i < to; i++) {
		if (i % stride == stride / 2 && i / stride < STMT_RECEIPTS)
			snprintf(donor, sizeof(donor), "%s", STMT_DONOR);
		else
			snprintf(donor, sizeof(donor), "D%03u",
			    (unsigned)(i % NDONORS));
		n += (size_t)snprintf(csv + n, cap - n, "2026-01-%02u,%s,"
		    "%u.%02u,USD,R%010" PRIu64 "\n", (unsigned)(1 + i % 28),
		    donor, (unsigned)(100 + i % 99991),
		    (unsigned)(i % 100), i);
	}
	*len = n;
	return csv;
}

/* The CPU seconds, on all threads, of the last import_receipts. */
static double last_import_cpu;

static double
import_receipts(tfl_ledger *l, uint64_t from, uint64_t to, uint64_t total)
{
	tfl_err err = TFL_ERR_INIT;
	size_t len, added, skipped;
	char *csv = receipts_csv(&len, from, to, total);
	double t0 = now_s(), c0 = cpu_s(CLOCK_PROCESS_CPUTIME_ID);

	check(tfl_import_csv(&added, &skipped, l, recorder, TFL_ENTRY_RECEIPT,
	    csv, len, ++clock_now, &err), &err, "import");
	t0 = now_s() - t0;
	last_import_cpu = cpu_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	if (added != to - from)
		die("import: %zu rows added, not %" PRIu64, added, to - from);
	free(csv);
	return t0;
}

static void
save_checkpoint(tfl_ledger *l, const char *dir, uint64_t size)
{
	tfl_err err = TFL_ERR_INIT;
	char *note = NULL, file[4096];
	size_t len;

	check(tfl_ledger_checkpoint(&note, &len, l, admin, &err), &err,
	    "checkpoint");
	snprintf(file, sizeof(file), "%s.cp%" PRIu64, dir, size);
	spit(file, note, len);
	free(note);
}

/*
 * The ledger of size entries in dir, made unless a finished one is there:
 * receipts imported CHUNK at a time, checkpoints at 99 % and at the end
 * (saved beside it as DIR.cpSIZE).
 */
static void
ledger_generate(const char *dir, uint64_t size)
{
	char mark[4096], want[128], *have;
	uint64_t n = size - HEAD_ENTRIES, cut = size / 100 * 99 - HEAD_ENTRIES;
	uint64_t at, to;
	tfl_ledger *l;
	size_t len;
	double t0 = now_s();

	snprintf(mark, sizeof(mark), "%s.done", dir);
	snprintf(want, sizeof(want), "%s %" PRIu64 "\n", GEN_VERSION, size);
	if (access(mark, F_OK) == 0) {
		have = slurp(mark, &len);
		if (strcmp(have, want) == 0) {
			free(have);
			printf("  (reusing %s)\n", dir);
			return;
		}
		free(have);
	}
	unlink(mark);
	printf("  (generating %s: %" PRIu64 " entries, once)\n", dir, size);
	fflush(stdout);
	l = ledger_new(dir);
	for (at = 0; at < n; at = to) {
		to = at + CHUNK < n ? at + CHUNK : n;
		if (at < cut && to > cut)
			to = cut;
		import_receipts(l, at, to, n);
		if (to == cut)
			save_checkpoint(l, dir, size / 100 * 99);
	}
	save_checkpoint(l, dir, size);
	tfl_ledger_close(l);
	spit(mark, want, strlen(want));
	printf("  (generated in %.1f s)\n", now_s() - t0);
}

/* ---- import and single appends ---------------------------------------- */

/* A receipt of USD 10.00 from D001 with reference S<k>. */
static tfl_entry *
single_receipt(unsigned k)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;
	char ref[32];

	snprintf(ref, sizeof(ref), "S%08u", k);
	check(tfl_entry_new(&e, TFL_ENTRY_RECEIPT, &err), &err, "entry");
	if (tfl_entry_set(e, "date", "2026-02-01", &err) != 0 ||
	    tfl_entry_set(e, "donor", "D001", &err) != 0 ||
	    tfl_entry_set(e, "ref", ref, &err) != 0 ||
	    tfl_entry_set(e, "amount", "10.00", &err) != 0 ||
	    tfl_entry_set(e, "currency", "USD", &err) != 0 ||
	    tfl_entry_set(e, "base-amount", "10.00", &err) != 0)
		die("entry: %s", err.msg);
	return e;
}

/* One entry per command, each its own synced commit, for a while. */
static void
bench_singles(tfl_ledger *l)
{
	tfl_err err = TFL_ERR_INIT;
	char *raw = path("lmdb-raw");
	double commits, per_commit, t0, t;
	unsigned long s0;
	struct row *r;
	tfl_entry *e;
	unsigned k = 0;

	commits = again("(lmdb synced commits/s, now)", lmdb_commit_rate(raw),
	    lim.commits);
	per_commit = last_syncs_per_commit;
	free(raw);
	++clock_now;
	s0 = syncs;
	t0 = now_s();
	do {
		e = single_receipt(k++);
		check(tfl_ledger_append(NULL, l, recorder, &e, 1, clock_now,
		    &err), &err, "single append");
		tfl_entry_free(e);
		t = now_s() - t0;
	} while (t < 3 * LIMIT_SECONDS);
	r = add("single appends: entries/s (one per command)", k / t, "/s");
	ratio_row(r, commits, "lmdb synced commits/s", r->value / commits,
	    "of synced commits", -1);
	r = add("single appends: synced commits per command",
	    (double)(syncs - s0) / k / per_commit, "");
	ratio_row(r, 1, "one synced commit", r->value, "<= 1", r->value <=
	    1.0);
}

struct import_run {
	double rate, signN; /* receipts/s; all-core signs/s around it */
	double cpu;	    /* CPU seconds per receipt, all threads */
	double sign_cpu;    /* CPU seconds per signature around it */
};

static int
cmp_import_run(const void *a, const void *b)
{
	double x = ((const struct import_run *)a)->rate /
	    ((const struct import_run *)a)->signN;
	double y = ((const struct import_run *)b)->rate /
	    ((const struct import_run *)b)->signN;

	return (x > y) - (x < y);
}

/*
 * The import of IMPORT_ROWS receipts into a fresh ledger, IMPORT_RUNS
 * times, each between two measures of all-core signing (this shared
 * machine's speed drifts by several percent within seconds); the figure
 * is the run of median ratio.  The last ledger serves the single appends.
 */
static void
bench_import(void)
{
	struct import_run runs[IMPORT_RUNS], *m;
	char *dir = path("import");
	struct row *r;
	tfl_ledger *l = NULL;
	int i;

	printf("import and single appends:\n");
	for (i = 0; i < IMPORT_RUNS; i++) {
		if (l != NULL) {
			tfl_ledger_close(l);
			rm_ledger(dir);
		}
		l = ledger_new(dir);
		runs[i].signN = again("(ed25519 signs/s, all cores, now)",
		    crypto_rate(0, ncores, recorder), lim.signN);
		runs[i].sign_cpu = last_cpu_per_op;
		runs[i].rate = IMPORT_ROWS / import_receipts(l, 0,
		    IMPORT_ROWS, IMPORT_ROWS);
		runs[i].cpu = last_import_cpu / IMPORT_ROWS;
		runs[i].signN = (runs[i].signN + again("(ed25519 signs/s, "
		    "all cores, after)", crypto_rate(0, ncores, recorder),
		    lim.signN)) / 2;
		runs[i].sign_cpu = (runs[i].sign_cpu + last_cpu_per_op) / 2;
		printf("  (import run %d: %.0f receipts/s, %.3f of all-core "
		    "signing; %.1f us CPU each, a signature %.1f)\n", i + 1,
		    runs[i].rate, runs[i].rate / runs[i].signN,
		    1e6 * runs[i].cpu, 1e6 * runs[i].sign_cpu);
	}
	qsort(runs, IMPORT_RUNS, sizeof(runs[0]), cmp_import_run);
	m = &runs[IMPORT_RUNS / 2];
	r = add("import: receipts/s (CSV of 100,000 rows)", m->rate, "/s");
	ratio_row(r, m->signN, "ed25519 signs/s, all cores", r->value /
	    m->signN, ">= 0.80 of all-core signing", r->value >= 0.8 *
	    m->signN);
	add("import: as a share of one-core signing", r->value / lim.sign1,
	    "x");
	/*
	 * What bounds the ratio: all cores busy, a receipt costs its
	 * signature and this much more CPU (rules, hashes, LMDB, CSV).
	 */
	r = add("import: CPU microseconds per receipt beyond signing",
	    1e6 * (m->cpu - m->sign_cpu), "us");
	ratio_row(r, 1e6 * m->sign_cpu, "ed25519 sign, CPU microseconds",
	    m->sign_cpu / m->cpu, "the import's ceiling", -1);
	/* and how much of the time every core had work (CSV, commit) */
	add("import: share of the cores busy", m->cpu * m->rate / ncores, "");
	bench_singles(l);
	tfl_ledger_close(l);
	rm_ledger(dir);
	free(dir);
}

/* Wall time of running argv to its end, which must exit 0. */
static double
run_time(char *const argv[])
{
	double t0 = now_s();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		die("%s %s: failed", argv[0], argv[1]);
	return now_s() - t0;
}

static void
bench_startup(void)
{
	char *dir = path("cli"), *keyf = path("cli.key"),
	    *conf = path("cli.conf"), *passf = path("cli.pass");
	char text[16384];
	tfl_err err = TFL_ERR_INIT;
	tfl_config cfg;
	tfl_key *k = NULL;
	tfl_ledger *l;
	struct row *r;
	double start = 0, parse = 0, load = 0, cmd = 0, t0;
	int i, n = 10;

	printf("a single-entry command as a process:\n");
	l = ledger_new(dir);
	tfl_ledger_close(l);
	unlink(keyf);
	check(tfl_key_save(recorder, keyf, "bench passphrase", 16, &err),
	    &err, "key save");
	spit(passf, "bench passphrase\n", 17);
	chmod(passf, 0600);
	snprintf(text, sizeof(text), "ledger = \"%s\";\nkey = \"%s\";\n"
	    "passphrase_file = \"%s\";\nthreads = 0;\n", dir, keyf, passf);
	spit(conf, text, strlen(text));
	for (i = 0; i < n; i++) {
		char *v[] = { (char *)tfledger_bin, "--version", NULL };

		start += run_time(v);
		t0 = now_s();
		tfl_config_init(&cfg);
		check(tfl_config_load(&cfg, conf, &err), &err, "config");
		parse += now_s() - t0;
		t0 = now_s();
		check(tfl_key_load(&k, keyf, "bench passphrase", 16, &err),
		    &err, "key load");
		load += now_s() - t0;
		tfl_key_free(k);
	}
	for (i = 0; i < n; i++) {
		char ref[32];
		char *v[] = { (char *)tfledger_bin, "-q", "-c", conf,
			"receipt", "--donor", "D002", "--amount", "5.00",
			"--currency", "USD", "--date", "2026-02-02", "--ref",
			ref, NULL };

		snprintf(ref, sizeof(ref), "CLI%04d", i);
		cmd += run_time(v);
	}
	add("process start (tfledger --version), ms", 1e3 * start / n, "ms");
	add("config parse, ms", 1e3 * parse / n, "ms");
	add("key decryption, ms", 1e3 * load / n, "ms");
	r = add("start + config + key, ms", 1e3 * (start + parse + load) / n,
	    "ms");
	ratio_row(r, 50, "50 ms", r->value / 50, "< 50 ms (well under)",
	    r->value < 50);
	add("`tfledger receipt` as a whole, ms", 1e3 * cmd / n, "ms");
	rm_ledger(dir);
	unlink(keyf);
	unlink(conf);
	unlink(passf);
	free(dir);
	free(keyf);
	free(conf);
	free(passf);
}

/* ---- audits (in a child process) ---------------------------------------- */

struct audit {
	double seconds, cpu;
	uint64_t size, sigs, hwm_kib;
	char root[65];
	double verifyN;	   /* all-core verifications/s around it */
	double verify_cpu; /* CPU seconds per verification around it */
};

/* Its entries/s as a share of all-core verification around it. */
static double
audit_ratio(const struct audit *a)
{
	return a->size / a->seconds / a->verifyN;
}

static int
cmp_audit(const void *a, const void *b)
{
	double x = audit_ratio(a), y = audit_ratio(b);

	return (x > y) - (x < y);
}

/* VmHWM of this process in KiB, or 0 when /proc is not there. */
static uint64_t
vm_hwm(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long kib = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmHWM: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static int
audit_child(int argc, char **argv)
{
	tfl_verify_opts o = TFL_VERIFY_OPTS_INIT;
	tfl_verify_report r;
	tfl_err err = TFL_ERR_INIT;
	tfl_ledger *l = NULL;
	char *since = NULL, root[65];
	double t0, c0;
	int i;

	if (argc < 4)
		die("--audit LEDGER THREADS [SINCE]");
	check(tfl_ledger_open(&l, argv[2], TFL_LEDGER_RDONLY, &err), &err,
	    "open");
	tfl_ledger_set_threads(l, (unsigned)atoi(argv[3]));
	if (argc > 4) {
		since = slurp(argv[4], &o.since_len);
		o.since = since;
	}
	t0 = now_s();
	c0 = cpu_s(CLOCK_PROCESS_CPUTIME_ID);
	check(tfl_ledger_verify(&r, l, &o, &err), &err, "verify");
	t0 = now_s() - t0;
	c0 = cpu_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	for (i = 0; i < 32; i++)
		snprintf(root + 2 * i, 3, "%02x", r.root[i]);
	printf("%.6f %.6f %" PRIu64 " %" PRIu64 " %" PRIu64 " %s\n", t0, c0,
	    r.size, r.signatures, vm_hwm(), root);
	tfl_ledger_close(l);
	free(since);
	return 0;
}

/*
 * Read the ledger in dir once, so that the audits after this find it in
 * the page cache, as they would on a machine that has it cached: their
 * figures are then the CPU's, not the disk's (the first audit of a
 * ledger not read since the machine started waited for the disk).
 */
static void
warm(const char *dir)
{
	char file[4096], *buf = malloc(1 << 20);
	ssize_t n;
	int fd;

	snprintf(file, sizeof(file), "%s/data.mdb", dir);
	if (buf == NULL || (fd = open(file, O_RDONLY)) < 0)
		die("%s: %s", file, strerror(errno));
	while ((n = read(fd, buf, 1 << 20)) > 0)
		;
	if (n < 0)
		die("%s: %s", file, strerror(errno));
	close(fd);
	free(buf);
}

static struct audit
run_audit(const char *dir, unsigned threads, const char *since)
{
	struct audit a;
	char th[16], out[512];
	int fd[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	snprintf(th, sizeof(th), "%u", threads);
	if (pipe(fd) != 0 || (pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		char *v[] = { "bench", "--audit", (char *)dir, th,
			(char *)since, NULL };

		dup2(fd[1], 1);
		close(fd[0]);
		execv("/proc/self/exe", v);
		_exit(127);
	}
	close(fd[1]);
	while ((n = read(fd[0], out + got, sizeof(out) - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = '\0';
	close(fd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 ||
	    sscanf(out, "%lf %lf %" SCNu64 " %" SCNu64 " %" SCNu64 " %64s",
	    &a.seconds, &a.cpu, &a.size, &a.sigs, &a.hwm_kib, a.root) != 6)
		die("audit of %s failed", dir);
	return a;
}

/* ---- queries ---------------------------------------------------------- */

struct queries {
	double statement, inclusion, consistency, balance;
};

#define ROUNDS 6 /* the first warms the cache and does not count */

static void
best(double *have, double t, int round)
{
	if (round > 0 && t < *have)
		*have = t;
}

static struct queries
time_queries(const char *dir, uint64_t size)
{
	tfl_statement_opts so = TFL_STATEMENT_OPTS_INIT;
	tfl_err err = TFL_ERR_INIT;
	tfl_statement *s = NULL;
	tfl_ledger *l = NULL;
	tfl_inclusion inc;
	tfl_consistency con;
	tfl_balance *b = malloc(sizeof(*b));
	tfl_fund_donor d;
	struct queries q;
	char cpf[4096], *old, *last;
	size_t oldlen, lastlen;
	double t0;
	int i, round, n = 100;

	snprintf(cpf, sizeof(cpf), "%s.cp%" PRIu64, dir, size / 100 * 99);
	old = slurp(cpf, &oldlen);
	snprintf(cpf, sizeof(cpf), "%s.cp%" PRIu64, dir, size);
	last = slurp(cpf, &lastlen);
	check(tfl_ledger_open(&l, dir, TFL_LEDGER_RDONLY, &err), &err, "open");
	/*
	 * Each query n times (a statement n / 5), in rounds after a first
	 * that warms the cache: the best round, as other work on the
	 * machine comes and goes.  Seqs spread over the whole ledger.  The
	 * statement relies on the full audit bench_ledgers made of the
	 * ledger at its last checkpoint (tfaudit statement --audited).
	 */
	so.donor = STMT_DONOR;
	so.audited = last;
	so.audited_len = lastlen;
	q.statement = q.inclusion = q.consistency = q.balance = 1e9;
	for (round = 0; round < ROUNDS; round++) {
		t0 = now_s();
		for (i = 0; i < n / 5; i++) {
			check(tfl_statement_build(&s, l, &so, &err), &err,
			    "statement");
			if (s->nreceipts != STMT_RECEIPTS)
				die("statement: %zu receipts, not %d",
				    s->nreceipts, STMT_RECEIPTS);
			tfl_statement_free(s);
		}
		best(&q.statement, (now_s() - t0) / (n / 5), round);
		t0 = now_s();
		for (i = 0; i < n; i++) {
			check(tfl_proof_entry(&inc, NULL, l, (uint64_t)i *
			    (size / n) + 7, NULL, 0, &err), &err, "inclusion");
			tfl_inclusion_release(&inc);
		}
		best(&q.inclusion, (now_s() - t0) / n, round);
		t0 = now_s();
		for (i = 0; i < n; i++) {
			check(tfl_proof_checkpoints(&con, NULL, l, old, oldlen,
			    NULL, 0, &err), &err, "consistency");
			tfl_consistency_release(&con);
		}
		best(&q.consistency, (now_s() - t0) / n, round);
		t0 = now_s();
		for (i = 0; i < n; i++) {
			check(tfl_report_balance(b, l, -1, &err), &err,
			    "balance");
			check(tfl_report_donor(&d, l, STMT_DONOR, -1, &err),
			    &err, "donor");
		}
		best(&q.balance, (now_s() - t0) / n, round);
	}
	tfl_ledger_close(l);
	free(old);
	free(last);
	free(b);
	return q;
}

static void
scale_row(const char *what, double small, double big, const char *unit,
    double mult)
{
	char name[80];
	struct row *r;

	snprintf(name, sizeof(name), "%s, 10,000 entries", what);
	add(name, small * mult, unit);
	snprintf(name, sizeof(name), "%s, big ledger", what);
	r = add(name, big * mult, unit);
	ratio_row(r, small * mult, "the 10,000-entry time", big / small,
	    "<= 2x the 10,000-entry time", big <= 2 * small);
}

static void
bench_ledgers(uint64_t big)
{
	char name[64], *dir, *small = path("ledger-10000");
	char cpf[4096];
	struct audit runs[AUDIT_RUNS], full, inc, one, many;
	uint64_t hwm = 0;
	struct queries qs, qb;
	struct stat st;
	struct row *r;
	int i;

	snprintf(name, sizeof(name), "ledger-%" PRIu64, big);
	dir = path(name);
	printf("the %" PRIu64 "-entry ledger:\n", big);
	ledger_generate(dir, big);
	ledger_generate(small, 10000);
	warm(dir);
	warm(small);

	/*
	 * AUDIT_RUNS full audits, each between two measures of all-core
	 * verification, as the imports: the figure is the run of median
	 * ratio, the peak memory the highest of any run.
	 */
	for (i = 0; i < AUDIT_RUNS; i++) {
		double before = again("(ed25519 verifications/s, all cores, "
		    "now)", crypto_rate(1, ncores, recorder), lim.verifyN);
		double cpu_before = last_cpu_per_op;

		runs[i] = run_audit(dir, ncores, NULL);
		runs[i].verifyN = (before + again("(ed25519 verifications/s, "
		    "all cores, after)", crypto_rate(1, ncores, recorder),
		    lim.verifyN)) / 2;
		runs[i].verify_cpu = (cpu_before + last_cpu_per_op) / 2;
		if (i > 0 && strcmp(runs[i].root, runs[0].root) != 0)
			die("full audit run %d: another root", i + 1);
		if (runs[i].hwm_kib > hwm)
			hwm = runs[i].hwm_kib;
		printf("  (full audit run %d: %.0f entries/s in %.1f s, %.3f "
		    "of all-core verification; peak %.1f MiB)\n", i + 1,
		    runs[i].size / runs[i].seconds, runs[i].seconds,
		    audit_ratio(&runs[i]), runs[i].hwm_kib / 1024.0);
	}
	qsort(runs, AUDIT_RUNS, sizeof(runs[0]), cmp_audit);
	full = runs[AUDIT_RUNS / 2];
	r = add("full audit: entries/s (median of 3 runs)",
	    full.size / full.seconds, "/s");
	ratio_row(r, full.verifyN, "ed25519 verifications/s, all cores",
	    audit_ratio(&full), ">= 0.85 of all-core verification",
	    audit_ratio(&full) >= 0.85);
	add("full audit: seconds", full.seconds, "s");
	r = add("full audit: CPU microseconds per entry", 1e6 * full.cpu /
	    (double)full.size, "us");
	ratio_row(r, 1e6 * full.verify_cpu, "CPU of one verification",
	    full.verify_cpu * (double)full.size / full.cpu,
	    "share of its CPU that verifies", -1);
	r = add("full audit: peak resident memory, MiB (any run)",
	    hwm / 1024.0, "MiB");
	ratio_row(r, 64, "64 MiB", r->value / 64, "< 64 MiB", r->value < 64);

	snprintf(cpf, sizeof(cpf), "%s.cp%" PRIu64, dir, big / 100 * 99);
	inc = run_audit(dir, ncores, cpf);
	if (strcmp(inc.root, full.root) != 0)
		die("incremental audit: another root");
	r = add("incremental audit after 1 %: seconds", inc.seconds, "s");
	ratio_row(r, full.seconds, "the full audit", inc.seconds /
	    full.seconds, "fraction of the full audit", -1);
	add("incremental audit: peak resident memory, MiB",
	    inc.hwm_kib / 1024.0, "MiB");

	one = run_audit(small, 1, NULL);
	many = run_audit(small, ncores, NULL);
	r = add("10,000 entries: audit entries/s, 1 thread",
	    one.size / one.seconds, "/s");
	ratio_row(r, lim.verify1, "ed25519 verifications/s, one core",
	    r->value / lim.verify1, "of one-core verification", -1);
	r = add("10,000 entries: audit entries/s, all cores",
	    many.size / many.seconds, "/s");
	ratio_row(r, one.size / one.seconds, "the 1-thread audit",
	    many.seconds > 0 ? one.seconds / many.seconds : 0,
	    "same root as 1 thread", strcmp(one.root, many.root) == 0);

	qs = time_queries(small, 10000);
	qb = time_queries(dir, big);
	scale_row("donor statement after the audit, ms", qs.statement,
	    qb.statement, "ms", 1e3);
	scale_row("inclusion proof, ms", qs.inclusion, qb.inclusion, "ms",
	    1e3);
	scale_row("consistency proof, ms", qs.consistency, qb.consistency,
	    "ms", 1e3);
	scale_row("balance + donor query, ms", qs.balance, qb.balance, "ms",
	    1e3);

	snprintf(cpf, sizeof(cpf), "%s/data.mdb", dir);
	if (stat(cpf, &st) != 0)
		die("%s: %s", cpf, strerror(errno));
	add("ledger size on disk, bytes/entry",
	    (double)st.st_blocks * 512 / (double)big, "B");
	free(dir);
	free(small);
}

/* ---- output ------------------------------------------------------------- */

static double load_start = -1;

static void
machine(FILE *f, int json)
{
	struct utsname u;
	char line[256], model[256] = "unknown";
	double load[3] = { 0, 0, 0 };
	FILE *c = fopen("/proc/cpuinfo", "r");
	FILE *la = fopen("/proc/loadavg", "r");

	while (c != NULL && fgets(line, sizeof(line), c) != NULL)
		if (sscanf(line, "model name : %255[^\n]", model) == 1)
			break;
	if (c != NULL)
		fclose(c);
	if (la != NULL) {
		if (fscanf(la, "%lf %lf %lf", &load[0], &load[1],
		    &load[2]) != 3)
			load[0] = 0;
		fclose(la);
	}
	uname(&u);
	if (load_start < 0)
		load_start = load[0];
	if (json)
		fprintf(f, "  \"machine\": {\"cpu\": \"%s\", \"cores\": %u, "
		    "\"kernel\": \"%s %s\", \"openssl\": \"%s\", \"lmdb\": "
		    "\"%s\", \"loadavg_start\": %.2f, \"loadavg_end\": "
		    "%.2f},\n", model, ncores, u.sysname, u.release,
		    OpenSSL_version(OPENSSL_VERSION),
		    mdb_version(NULL, NULL, NULL), load_start, load[0]);
	else
		fprintf(f, "machine: %s, %u cores, %s %s, %s, %s, load "
		    "average %.2f\n", model, ncores, u.sysname, u.release,
		    OpenSSL_version(OPENSSL_VERSION),
		    mdb_version(NULL, NULL, NULL), load[0]);
}

static void
write_json(const char *file, double seconds)
{
	FILE *f = fopen(file, "w");
	size_t i;

	if (f == NULL)
		die("%s: %s", file, strerror(errno));
	fprintf(f, "{\n");
	machine(f, 1);
	fprintf(f, "  \"seconds\": %.1f,\n  \"figures\": [\n", seconds);
	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		fprintf(f, "    {\"name\": \"%s\", \"value\": %.6g, \"unit\": "
		    "\"%s\"", r->name, r->value, r->unit);
		if (r->limit_name[0] != '\0')
			fprintf(f, ", \"limit\": %.6g, \"limit_name\": \"%s\", "
			    "\"ratio\": %.4f, \"target\": \"%s\"", r->limit,
			    r->limit_name, r->ratio, r->target);
		if (r->holds >= 0)
			fprintf(f, ", \"holds\": %s", r->holds ? "true" :
			    "false");
		fprintf(f, "}%s\n", i + 1 < nrows ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	if (fclose(f) != 0)
		die("%s: write failed", file);
}

static void
summary(void)
{
	size_t i;

	printf("\n%-52s %12s %-5s %8s  %s\n", "figure", "value", "unit",
	    "ratio", "target");
	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		printf("%-52s %12.5g %-5s", r->name, r->value, r->unit);
		if (r->limit_name[0] != '\0')
			printf(" %8.3f  %s%s", r->ratio, r->target,
			    r->holds < 0 ? "" : r->holds ? ": holds" :
			    ": FAILS");
		printf("\n");
	}
}

/* Is part in the comma-separated list only (empty: every part)? */
static int
wanted(const char *only, const char *part)
{
	size_t n = strlen(part);
	const char *p;

	if (*only == '\0')
		return 1;
	for (p = only; (p = strstr(p, part)) != NULL; p += n)
		if ((p == only || p[-1] == ',') && (p[n] == '\0' ||
		    p[n] == ','))
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	const char *json = NULL, *only = "";
	uint64_t big = 1000000;
	double t0 = now_s();
	long n;
	int i;

	if (argc > 1 && strcmp(argv[1], "--audit") == 0)
		return audit_child(argc, argv);
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--dir") == 0)
			datadir = argv[i + 1];
		else if (strcmp(argv[i], "--tfledger") == 0)
			tfledger_bin = argv[i + 1];
		else if (strcmp(argv[i], "--json") == 0)
			json = argv[i + 1];
		else if (strcmp(argv[i], "--only") == 0)
			only = argv[i + 1];
		else if (strcmp(argv[i], "--size") == 0)
			big = strtoull(argv[i + 1], NULL, 10);
		else
			die("unknown option %s", argv[i]);
	}
	if (datadir == NULL || tfledger_bin == NULL || big < 20000)
		die("usage: bench --dir DIR --tfledger PATH [--json FILE] "
		    "[--size N >= 20000]");
	mkdir(datadir, 0700);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	ncores = n < 1 ? 1 : (unsigned)n;
	machine(stdout, 0);
	make_keys();
	if (wanted(only, "limits"))
		raw_limits(recorder);
	if (wanted(only, "import"))
		bench_import();
	if (wanted(only, "startup"))
		bench_startup();
	if (wanted(only, "ledgers"))
		bench_ledgers(big);
	summary();
	printf("\nbench: %.0f s; ", now_s() - t0);
	machine(stdout, 0);
	if (json != NULL)
		write_json(json, now_s() - t0);
	tfl_key_free(admin);
	tfl_key_free(recorder);
	return 0;
}
