/*
 * store.c - the LMDB environment of one ledger directory (store.h).
 *
 * Integer keys are uint64 big-endian, so LMDB's byte order is numeric
 * order; a tree key is one level byte and a big-endian index.  Every
 * LMDB code becomes a TFL_E* status in lmdb_err(), every errno in
 * sys_err().
 *
 * MDB_NOTLS: a tfl_txn is a handle the caller owns, not a thread.  By
 * default LMDB ties a reader slot to the thread, so one thread could hold
 * only one read transaction, and tfl_store_backup (mdb_env_copy2 begins
 * its own read transaction) would fail with MDB_BAD_RSLOT while the
 * caller holds one.  A write transaction still belongs to the thread
 * that began it: LMDB's writer lock is a mutex.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <lmdb.h>

#include "internal.h"
#include "tfledger/store.h"

#define MAP_INITIAL	((size_t)64 << 20)
#define FILE_MODE	0644	/* lock.mdb too: readers write their slots */
#define KEY_MAX		511	/* LMDB's default mdb_env_get_maxkeysize */
#define SIZE_KEY	"size"	/* meta: the size after the last append */
#define LOCK_MAGIC	0xBEEFC0DEu /* mdb.c MDB_MAGIC: lock.mdb's 1st word */
#define FULL_BELOW	((uint64_t)1 << 20) /* free bytes of a full disk */

enum {
	DB_ENTRIES, DB_TREE, DB_CHECKPOINTS, DB_META, DB_STATE, DB_INDEX,
	DB_SNAPSHOTS, NDB
};

/* clang-format off */
static const struct {
	const char	*name;
	unsigned	 flags;
} dbs[NDB] = {
	{ "entries",	 0 },
	{ "tree",	 0 },
	{ "checkpoints", 0 },
	{ "meta",	 0 },
	{ "state",	 0 },
	{ "index",	 MDB_DUPSORT | MDB_DUPFIXED },	/* seqs: 8 bytes each */
	{ "snapshots",	 0 },	/* size (8 bytes) and state key -> record */
};
/* clang-format on */

struct tfl_store {
	MDB_env *env;
	char *dir;
	unsigned flags;
	MDB_dbi dbi[NDB];
	int no_snapshots; /* read-only, and the database is not there */
	atomic_uint ntxn; /* open tfl_txns: a guard for resizing, not a lock */
	int lock_fd;	  /* lock.mdb as opened (see lock_same), or -1 */
};

struct tfl_txn {
	tfl_store *store;
	MDB_txn *txn;
	uint64_t size;	   /* entries, once size_known */
	int size_known;
	int size_dirty;	   /* appended to: meta "size" is written at commit */
	/*
	 * The last left child (even index) stored at each level (bit level
	 * of left_set), the sibling the next node of that level joins:
	 * tree_add reads it here rather than back from LMDB.
	 */
	uint64_t left_set;
	uint64_t left_index[64];
	uint8_t left[64][TFL_HASH_SIZE];
	/*
	 * The puts of each database go through one cursor, left on the page
	 * of the last one.  For the state, LMDB looks there first
	 * (mdb_cursor_set) and searches from the root only when the key is
	 * not on it; the kvcache writes out in key order, so most are.  The
	 * entries and the tree are appended (MDB_APPEND), which with the
	 * cursor at the end finds the last page without a search.  Closed
	 * before the transaction ends (LMDB would free them with a write
	 * transaction, not with a read-only one).
	 */
	MDB_cursor *put_cur[NDB];
};

static int
lmdb_err(tfl_err *err, int rc, const char *dir, const char *what)
{
	int code;

	switch (rc) {
	case MDB_MAP_FULL:
		code = TFL_EFULL;
		break;
	case MDB_NOTFOUND:
		code = TFL_ENOTFOUND;
		break;
	case MDB_BAD_VALSIZE:
		code = TFL_EINVAL;
		break;
	case ENOMEM:
		code = TFL_ENOMEM;
		break;
	default:
		code = TFL_EIO;
		break;
	}
	return tfl_err_set(err, code, "ledger \"%s\": %s: %s", dir, what,
	    mdb_strerror(rc));
}

static int
sys_err(tfl_err *err, int errnum, const char *dir, const char *what)
{
	return tfl_err_set(err, errnum == ENOMEM ? TFL_ENOMEM : TFL_EIO,
	    "ledger \"%s\": %s: %s", dir, what, strerror(errnum));
}

static int
nomem(tfl_err *err, const char *dir)
{
	return tfl_err_set(err, TFL_ENOMEM, "ledger \"%s\": out of memory",
	    dir);
}

/* dir "/" name, malloc'd; NULL when out of memory. */
static char *
join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* 1 when dir/name does not exist, 0 when it does, else a status. */
static int
absent(const char *dir, const char *name, tfl_err *err)
{
	struct stat st;
	char *path = join(dir, name);
	int rc = 0;

	if (path == NULL)
		return nomem(err, dir);
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			rc = 1;
		else
			rc = sys_err(err, errno, dir, "stat");
	}
	free(path);
	return rc;
}

/*
 * A missing directory is never a ledger; one without data.mdb is none
 * unless we are to create it.
 */
static int
check_dir(const char *dir, unsigned flags, tfl_err *err)
{
	struct stat st;
	int rc;

	rc = stat(dir, &st) == 0 ? 0 : errno;
	if (rc != 0 && rc != ENOENT)
		return sys_err(err, rc, dir, "stat");
	if (rc == ENOENT || !S_ISDIR(st.st_mode))
		return tfl_err_set(err, TFL_ENOTFOUND,
		    "ledger \"%s\": no such directory", dir);
	if ((flags & TFL_STORE_CREATE) && !(flags & TFL_STORE_RDONLY))
		return 0;
	rc = absent(dir, "data.mdb", err);
	if (rc == 1)
		return tfl_err_set(err, TFL_ENOTFOUND,
		    "ledger \"%s\": no ledger in this directory", dir);
	return rc;
}

static int
env_new(MDB_env **out, const char *dir, tfl_err *err)
{
	MDB_env *env = NULL;
	int rc;

	rc = mdb_env_create(&env);
	if (rc != 0)
		return lmdb_err(err, rc, dir, "mdb_env_create");
	rc = mdb_env_set_maxdbs(env, NDB);
	if (rc != 0) {
		mdb_env_close(env);
		return lmdb_err(err, rc, dir, "mdb_env_set_maxdbs");
	}
	*out = env;
	return 0;
}

/* MDB_RDONLY opens fail with these when lock.mdb cannot be created. */
static int
lock_uncreatable(const char *dir, int rc)
{
	if (rc != EACCES && rc != EPERM && rc != EROFS)
		return 0;
	return absent(dir, "lock.mdb", NULL) == 1;
}

/*
 * 1 when lock.mdb is there but is no regular file or not LMDB's.
 * mdb_env_open does not say which file it failed on, and its
 * MDB_INVALID ("not an LMDB file") for a bad lock.mdb reads as if the
 * data were damaged.
 */
static int
lock_damaged(const char *dir)
{
	struct stat st;
	uint32_t magic = LOCK_MAGIC;
	char *path = join(dir, "lock.mdb");
	int fd, bad = 0;

	if (path == NULL || lstat(path, &st) != 0) {
		free(path);
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		bad = 1;
	else if ((fd = open(path, O_RDONLY)) >= 0) {
		bad = read(fd, &magic, 4) == 4 && magic != LOCK_MAGIC;
		close(fd);
	}
	free(path);
	return bad;
}

/*
 * Hold lock.mdb open (see lock_same).  Our descriptor is closed only
 * after mdb_env_close: closing any descriptor of a file drops all of the
 * process's fcntl locks on it, LMDB's included.
 */
static void
lock_remember(tfl_store *store)
{
	char *path = join(store->dir, "lock.mdb");

	store->lock_fd = path != NULL ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	free(path);
}

/* Close the environment, then our descriptor of its lock.mdb. */
static void
env_close(tfl_store *store)
{
	mdb_env_close(store->env);
	store->env = NULL;
	if (store->lock_fd >= 0)
		close(store->lock_fd);
	store->lock_fd = -1;
}

/*
 * LMDB's writer lock and reader table live in lock.mdb.  Were it removed
 * or replaced while we hold the environment, processes that open the
 * ledger after that would share a new lock table we do not see, and a
 * writer of each could write at once: refuse to go on.  The file we hold
 * open keeps its inode, so a new lock.mdb cannot reuse its number.
 */
static int
lock_same(tfl_store *store, tfl_err *err)
{
	struct stat held, now;
	char *path;
	int same;

	if (store->lock_fd < 0)
		return 0;
	if ((path = join(store->dir, "lock.mdb")) == NULL)
		return nomem(err, store->dir);
	same = fstat(store->lock_fd, &held) == 0 && held.st_nlink > 0 &&
	    stat(path, &now) == 0 && now.st_ino == held.st_ino &&
	    now.st_dev == held.st_dev;
	free(path);
	if (same)
		return 0;
	return tfl_err_set(err, TFL_EIO, "ledger \"%s\": lock.mdb was removed "
	    "or replaced while the ledger was open; open it again",
	    store->dir);
}

/*
 * On failure store->env stays set: a failed mdb_env_open still needs
 * mdb_env_close, which tfl_store_close does.
 */
static int
env_open(tfl_store *store, tfl_err *err)
{
	unsigned flags = MDB_NOTLS;
	int rc, dead;

	if (store->flags & TFL_STORE_RDONLY)
		flags |= MDB_RDONLY;
	rc = env_new(&store->env, store->dir, err);
	if (rc != 0)
		return rc;
	rc = mdb_env_open(store->env, store->dir, flags, FILE_MODE);
	if ((flags & MDB_RDONLY) && lock_uncreatable(store->dir, rc)) {
		/*
		 * MDB_RDONLY still creates and writes lock.mdb, and skips
		 * it only on a read-only file system, so a read-only
		 * directory (a copy, a backup) would not open.  Without a
		 * lock file no writer can be using this directory, so
		 * reading without locks (MDB_NOLOCK) is safe.  An existing
		 * lock.mdb we cannot write is left as an error: a writer
		 * may be live there.
		 */
		mdb_env_close(store->env);
		store->env = NULL;
		rc = env_new(&store->env, store->dir, err);
		if (rc != 0)
			return rc;
		rc = mdb_env_open(store->env, store->dir, flags | MDB_NOLOCK,
		    FILE_MODE);
	}
	if (rc != 0 && lock_damaged(store->dir))
		return tfl_err_set(err, TFL_EIO, "ledger \"%s\": lock.mdb is "
		    "damaged or not a file (%s); data.mdb is not affected: "
		    "remove lock.mdb while no tfledger or tfaudit runs",
		    store->dir, mdb_strerror(rc));
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, "mdb_env_open");
	lock_remember(store);
	/*
	 * A process killed inside a read transaction (an auditor stopped
	 * with ^C or kill -9) leaves its reader slot behind while any other
	 * process keeps the environment open.  The slot pins old pages and,
	 * after 126 of them, every reader fails with MDB_READERS_FULL: free
	 * the slots of dead processes on every open.  (A no-op when
	 * MDB_NOLOCK.)
	 */
	rc = mdb_reader_check(store->env, &dead);
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, "mdb_reader_check");
	return 0;
}

/*
 * Set after mdb_env_open, not before: a size set before the open would
 * replace a larger one recorded in the file.  Without MDB_WRITEMAP LMDB
 * does not extend data.mdb to the map size, so the map is sparse: the
 * file holds only what is used.  Readers keep the recorded size: they
 * never allocate.
 */
static int
map_initial(tfl_store *store, tfl_err *err)
{
	MDB_envinfo info;
	int rc;

	rc = mdb_env_info(store->env, &info);
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, "mdb_env_info");
	if (info.me_mapsize >= MAP_INITIAL)
		return 0;
	rc = mdb_env_set_mapsize(store->env, MAP_INITIAL);
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, "mdb_env_set_mapsize");
	return 0;
}

/*
 * Tree keys of 9 bytes (level, index) are those of tfledger before the
 * nodes were kept in the order they are made (tree_key): this version
 * would not find them.
 */
static int
tree_layout(tfl_store *store, MDB_txn *txn, tfl_err *err)
{
	MDB_cursor *cur = NULL;
	MDB_val key, val;
	int rc;

	if ((rc = mdb_cursor_open(txn, store->dbi[DB_TREE], &cur)) != 0)
		return lmdb_err(err, rc, store->dir, "tree: mdb_cursor_open");
	rc = mdb_cursor_get(cur, &key, &val, MDB_FIRST);
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, "tree: mdb_cursor_get");
	if (key.mv_size != 8)
		return tfl_err_set(err, TFL_EIO, "ledger \"%s\": tree keys "
		    "of %zu bytes, not 8: made by an earlier tfledger, whose "
		    "layout this version does not read", store->dir,
		    key.mv_size);
	return 0;
}

static int
dbs_open(tfl_store *store, tfl_err *err)
{
	unsigned create = (store->flags & TFL_STORE_RDONLY) ? 0 : MDB_CREATE;
	MDB_txn *txn = NULL;
	int i, rc;

	rc = mdb_txn_begin(store->env, NULL, create ? 0 : MDB_RDONLY, &txn);
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, "mdb_txn_begin");
	for (i = 0; i < NDB; i++) {
		rc = mdb_dbi_open(txn, dbs[i].name, dbs[i].flags | create,
		    &store->dbi[i]);
		if (rc == MDB_NOTFOUND && i == DB_SNAPSHOTS) {
			/* A ledger no writer opened since snapshots came. */
			store->no_snapshots = 1;
			continue;
		}
		if (rc == MDB_NOTFOUND) {
			rc = tfl_err_set(err, TFL_ENOTFOUND,
			    "ledger \"%s\": no %s database", store->dir,
			    dbs[i].name);
			goto out;
		}
		if (rc != 0) {
			rc = lmdb_err(err, rc, store->dir, "mdb_dbi_open");
			goto out;
		}
	}
	if ((rc = tree_layout(store, txn, err)) != 0)
		goto out;
	/*
	 * Committing (even a read-only transaction) is what keeps the
	 * handles for later transactions.  mdb_txn_commit frees the
	 * transaction even when it fails.
	 */
	rc = mdb_txn_commit(txn);
	txn = NULL;
	if (rc != 0)
		rc = lmdb_err(err, rc, store->dir, "mdb_txn_commit");
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	return rc;
}

int
tfl_store_open(tfl_store **out, const char *dir, unsigned flags,
    tfl_err *err)
{
	tfl_store *store = NULL;
	int rc;

	assert(out != NULL && dir != NULL);
	*out = NULL;
	rc = check_dir(dir, flags, err);
	if (rc != 0)
		return rc;
	store = calloc(1, sizeof(*store));
	if (store != NULL) {
		store->lock_fd = -1;
		store->dir = strdup(dir);
	}
	if (store == NULL || store->dir == NULL) {
		rc = nomem(err, dir);
		goto out;
	}
	store->flags = flags;
	atomic_init(&store->ntxn, 0);
	rc = env_open(store, err);
	if (rc == 0 && !(flags & TFL_STORE_RDONLY))
		rc = map_initial(store, err);
	if (rc == 0)
		rc = dbs_open(store, err);
	if (rc != 0)
		goto out;
	*out = store;
	store = NULL;
out:
	tfl_store_close(store);
	return rc;
}

void
tfl_store_close(tfl_store *store)
{
	if (store == NULL)
		return;
	assert(atomic_load(&store->ntxn) == 0);
	env_close(store);
	free(store->dir);
	free(store);
}

/*
 * Resize the map of the open environment (0: adopt the size recorded in
 * the file).  When the new map cannot be made (ENOMEM: no address space
 * or RLIMIT_AS), LMDB has already unmapped the old one and leaves the
 * environment without a map, on which any later call would fault.  So
 * reopen it at its recorded size to keep the store usable; should even
 * that fail, drop it: every later call is then TFL_EIO (see usable()).
 */
static int
set_mapsize(tfl_store *store, size_t size, tfl_err *err)
{
	tfl_err ignored = TFL_ERR_INIT;
	int rc, rc2;

	rc = mdb_env_set_mapsize(store->env, size);
	if (rc == 0 || rc == EINVAL) /* EINVAL: a transaction is open */
		goto out;
	env_close(store);
	rc2 = env_open(store, &ignored);
	if (rc2 == 0 && !(store->flags & TFL_STORE_RDONLY))
		rc2 = map_initial(store, &ignored);
	if (rc2 == 0)
		rc2 = dbs_open(store, &ignored);
	if (rc2 != 0)
		env_close(store);
out:
	if (rc == ENOMEM && size > 0)
		return tfl_err_set(err, TFL_ENOMEM, "ledger \"%s\": the map "
		    "cannot grow to %zu MiB: out of address space (ulimit -v?)",
		    store->dir, size >> 20);
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, "mdb_env_set_mapsize");
	return 0;
}

/* An environment dropped by set_mapsize is TFL_EIO. */
static int
usable(tfl_store *store, tfl_err *err)
{
	if (store->env != NULL)
		return 0;
	return tfl_err_set(err, TFL_EIO, "ledger \"%s\": closed after its "
	    "map could not be resized; reopen it", store->dir);
}

/*
 * Double the larger of our map size and the one another process has
 * committed (mdb_env_set_mapsize with 0 adopts that one).
 */
static int
grow(tfl_store *store, tfl_err *err)
{
	MDB_envinfo info;
	size_t mine;
	int rc;

	rc = mdb_env_info(store->env, &info);
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, "mdb_env_info");
	mine = info.me_mapsize;
	if ((rc = set_mapsize(store, 0, err)) != 0)
		return rc;
	rc = mdb_env_info(store->env, &info);
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, "mdb_env_info");
	if (info.me_mapsize > mine)
		mine = info.me_mapsize;
	if (mine > SIZE_MAX / 2)
		return tfl_err_set(err, TFL_EIO,
		    "ledger \"%s\": map size %zu cannot double", store->dir,
		    mine);
	return set_mapsize(store, mine * 2, err);
}

int
tfl_store_grow(tfl_store *store, tfl_err *err)
{
	assert(store != NULL);
	assert(atomic_load(&store->ntxn) == 0);
	if (usable(store, err) != 0)
		return TFL_EIO;
	return grow(store, err);
}

/* Grow before a write rather than fail in it, when half the map is used. */
static int
grow_if_half_full(tfl_store *store, tfl_err *err)
{
	MDB_envinfo info;
	MDB_stat st;
	int rc;

	rc = mdb_env_info(store->env, &info);
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, "mdb_env_info");
	rc = mdb_env_stat(store->env, &st);
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, "mdb_env_stat");
	if ((info.me_last_pgno + 1) * st.ms_psize <= info.me_mapsize / 2)
		return 0;
	return grow(store, err);
}

static int
txn_begin(MDB_txn **out, tfl_store *store, unsigned flags, tfl_err *err)
{
	int rc, dead;

	rc = mdb_txn_begin(store->env, NULL, flags, out);
	/*
	 * Another process grew the map past ours: adopt its size and retry.
	 * Remapping is safe only with no other transaction open here.
	 */
	if (rc == MDB_MAP_RESIZED && atomic_load(&store->ntxn) == 0) {
		if ((rc = set_mapsize(store, 0, err)) != 0)
			return rc;
		rc = mdb_txn_begin(store->env, NULL, flags, out);
	}
	/* Slots of readers that died since we opened: free them, retry. */
	if (rc == MDB_READERS_FULL && mdb_reader_check(store->env, &dead) == 0)
		rc = mdb_txn_begin(store->env, NULL, flags, out);
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, "mdb_txn_begin");
	return 0;
}

int
tfl_store_begin(tfl_txn **out, tfl_store *store, int write, tfl_err *err)
{
	tfl_txn *txn = NULL;
	int rc = 0;

	assert(out != NULL && store != NULL);
	*out = NULL;
	if (write && (store->flags & TFL_STORE_RDONLY))
		return tfl_err_set(err, TFL_EIO,
		    "ledger \"%s\": opened read-only", store->dir);
	if ((rc = usable(store, err)) != 0 || (rc = lock_same(store, err)) != 0)
		return rc;
	txn = calloc(1, sizeof(*txn));
	if (txn == NULL)
		return nomem(err, store->dir);
	txn->store = store;
	if (write && atomic_load(&store->ntxn) == 0)
		rc = grow_if_half_full(store, err);
	if (rc == 0)
		rc = txn_begin(&txn->txn, store, write ? 0 : MDB_RDONLY, err);
	if (rc != 0)
		goto out;
	atomic_fetch_add(&store->ntxn, 1);
	*out = txn;
	txn = NULL;
out:
	free(txn);
	return rc;
}

int
tfl_store_same_view(const tfl_txn *a, const tfl_txn *b)
{
	assert(a != NULL && b != NULL);
	return a->store == b->store && mdb_txn_id(a->txn) == mdb_txn_id(b->txn);
}

/*
 * LMDB reports a short write as EIO (mdb_page_flush), which is how a
 * full disk usually shows: say "full" when the file system is.
 */
static int
commit_err(tfl_err *err, int rc, tfl_store *store)
{
	struct statvfs vfs;
	uint64_t avail;

	if ((rc == EIO || rc == ENOSPC) && statvfs(store->dir, &vfs) == 0) {
		avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
		if (avail < FULL_BELOW)
			return tfl_err_set(err, TFL_EIO, "ledger \"%s\": the "
			    "file system is full (%llu bytes free): nothing "
			    "was written", store->dir,
			    (unsigned long long)avail);
	}
	return lmdb_err(err, rc, store->dir, "mdb_txn_commit");
}

/* Meta "size": the entries appended, for the audit to compare. */
static int
put_size(tfl_txn *txn, tfl_err *err)
{
	char text[24];

	snprintf(text, sizeof(text), "%" PRIu64, txn->size);
	return tfl_store_meta_put(txn, SIZE_KEY, text, strlen(text), err);
}

static void
close_put_cursors(tfl_txn *txn)
{
	int db;

	for (db = 0; db < NDB; db++)
		mdb_cursor_close(txn->put_cur[db]);
}

int
tfl_store_commit(tfl_txn *txn, tfl_err *err)
{
	tfl_store *store;
	int rc;

	assert(txn != NULL);
	store = txn->store;
	if (txn->size_dirty && (rc = put_size(txn, err)) != 0) {
		tfl_store_abort(txn);
		return rc;
	}
	close_put_cursors(txn);
	/* mdb_txn_commit frees the transaction even when it fails. */
	rc = mdb_txn_commit(txn->txn);
	atomic_fetch_sub(&store->ntxn, 1);
	free(txn);
	if (rc != 0)
		return commit_err(err, rc, store);
	return 0;
}

void
tfl_store_abort(tfl_txn *txn)
{
	if (txn == NULL)
		return;
	close_put_cursors(txn);
	mdb_txn_abort(txn->txn);
	atomic_fetch_sub(&txn->store->ntxn, 1);
	free(txn);
}

static int
cursor_open(MDB_cursor **out, tfl_txn *txn, int db, tfl_err *err)
{
	char what[64];
	int rc;

	rc = mdb_cursor_open(txn->txn, txn->store->dbi[db], out);
	if (rc == 0)
		return 0;
	snprintf(what, sizeof(what), "%s: mdb_cursor_open", dbs[db].name);
	return lmdb_err(err, rc, txn->store->dir, what);
}

/*
 * A state key read from disk as a C string in out: 1 to KEY_MAX bytes
 * without NUL (state keys are text; anything else is damage).
 */
static int
key_text(char out[KEY_MAX + 1], const void *key, size_t len, tfl_txn *txn,
    tfl_err *err)
{
	if (len == 0 || len > KEY_MAX || memchr(key, '\0', len) != NULL)
		return tfl_err_set(err, TFL_EIO, "ledger \"%s\": a state key "
		    "of %zu bytes that is not text", txn->store->dir, len);
	memcpy(out, key, len);
	out[len] = '\0';
	return 0;
}

/* The seq of an integer key: bad data from disk is TFL_EIO. */
static int
seq_of(uint64_t *out, const MDB_val *key, tfl_txn *txn, int db,
    tfl_err *err)
{
	if (key->mv_size != 8)
		return tfl_err_set(err, TFL_EIO,
		    "ledger \"%s\": %s: key of %zu bytes, not 8",
		    txn->store->dir, dbs[db].name, key->mv_size);
	*out = tfl__get_be64(key->mv_data);
	return 0;
}

int
tfl_store_size(uint64_t *out, tfl_txn *txn, tfl_err *err)
{
	MDB_cursor *cur = NULL;
	MDB_val key, val;
	int rc;

	assert(out != NULL && txn != NULL);
	*out = 0;
	if (txn->size_known) {
		*out = txn->size;
		return 0;
	}
	rc = cursor_open(&cur, txn, DB_ENTRIES, err);
	if (rc != 0)
		return rc;
	rc = mdb_cursor_get(cur, &key, &val, MDB_LAST);
	if (rc == MDB_NOTFOUND) {
		rc = 0;
		goto out;
	}
	if (rc != 0) {
		rc = lmdb_err(err, rc, txn->store->dir,
		    "entries: mdb_cursor_get");
		goto out;
	}
	rc = seq_of(out, &key, txn, DB_ENTRIES, err);
	if (rc == 0 && *out == UINT64_MAX)
		rc = tfl_err_set(err, TFL_EIO, "ledger \"%s\": entries: "
		    "last seq %" PRIu64 " leaves no size", txn->store->dir,
		    *out);
	if (rc == 0)
		(*out)++;
out:
	mdb_cursor_close(cur);
	if (rc == 0) {
		txn->size = *out;
		txn->size_known = 1;
	}
	return rc;
}

/* A NUL-terminated malloc'd copy of val; NULL when out of memory. */
static char *
dup_val(const MDB_val *val)
{
	char *p = malloc(val->mv_size + 1);

	if (p == NULL)
		return NULL;
	if (val->mv_size > 0)
		memcpy(p, val->mv_data, val->mv_size);
	p[val->mv_size] = '\0';
	return p;
}

/*
 * What key names in db, for messages ("entry 12", "state \"info\"").
 * Made only when a message needs it: most lookups succeed.
 */
static void
describe(char *buf, size_t size, int db, const MDB_val *key)
{
	const uint8_t *k = key->mv_data;
	size_t n = key->mv_size;

	if ((db == DB_ENTRIES || db == DB_CHECKPOINTS) && n == 8)
		snprintf(buf, size, "%s %" PRIu64, db == DB_ENTRIES ? "entry" :
		    "checkpoint", tfl__get_be64(k));
	else if (db == DB_TREE && n == 8)
		snprintf(buf, size, "tree node %" PRIu64 " in order made",
		    tfl__get_be64(k));
	else if (db == DB_SNAPSHOTS && n >= 8)
		snprintf(buf, size, "snapshot %" PRIu64 " \"%.*s\"",
		    tfl__get_be64(k), (int)(n - 8 < 60 ? n - 8 : 60),
		    (const char *)k + 8);
	else
		snprintf(buf, size, "%s \"%.*s\"", dbs[db].name,
		    (int)(n < 60 ? n : 60), (const char *)k);
}

/*
 * TFL_ENOTFOUND naming key.  Most misses are expected (a reference not
 * used yet, a period never closed) and their message is seldom shown, so
 * a text key is copied in without printf; a control byte, or any byte
 * over 0x7f of a key that is not UTF-8, shows as '?', as tfl_err_set
 * would make it.
 */
static int
not_found(tfl_err *err, int db, const MDB_val *key)
{
	static const char tail[] = "\": not found";
	const char *k = key->mv_data;
	char *p, *end;
	size_t i, n = key->mv_size < 60 ? key->mv_size : 60;
	int utf8;

	if (err == NULL)
		return TFL_ENOTFOUND;
	if (db != DB_META && db != DB_STATE && db != DB_INDEX) {
		char name[96];

		describe(name, sizeof(name), db, key);
		return tfl_err_set(err, TFL_ENOTFOUND, "%s: not found", name);
	}
	p = err->msg;
	end = err->msg + sizeof(err->msg) - sizeof(tail) - 1;
	for (i = 0; dbs[db].name[i] != '\0'; i++)
		*p++ = dbs[db].name[i];
	*p++ = ' ';
	*p++ = '"';
	utf8 = tfl__utf8_valid(k, n);
	for (i = 0; i < n && p < end; i++)
		*p++ = (uint8_t)k[i] < 0x20 || k[i] == 0x7f ||
		    ((uint8_t)k[i] >= 0x80 && !utf8) ? '?' : k[i];
	memcpy(p, tail, sizeof(tail));
	err->code = TFL_ENOTFOUND;
	return TFL_ENOTFOUND;
}

/*
 * Look key up in db and copy its value out, NUL-terminated: LMDB memory
 * dies with the transaction.
 */
static int
get_copy(char **out, size_t *out_len, tfl_txn *txn, int db, MDB_val *key,
    tfl_err *err)
{
	char name[96], what[128];
	MDB_val val;
	int rc;

	*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	rc = mdb_get(txn->txn, txn->store->dbi[db], key, &val);
	if (rc == MDB_NOTFOUND)
		return not_found(err, db, key);
	if (rc != 0) {
		describe(name, sizeof(name), db, key);
		snprintf(what, sizeof(what), "%s: mdb_get", name);
		return lmdb_err(err, rc, txn->store->dir, what);
	}
	*out = dup_val(&val);
	if (*out == NULL)
		return nomem(err, txn->store->dir);
	if (out_len != NULL)
		*out_len = val.mv_size;
	return 0;
}

/* put's status for rc, LMDB's. */
static int
put_status(int rc, tfl_txn *txn, int db, MDB_val *key, tfl_err *err)
{
	char name[96], what[128];

	if (rc == 0 || rc == MDB_KEYEXIST)
		return rc;
	describe(name, sizeof(name), db, key);
	snprintf(what, sizeof(what), "%s: mdb_put", name);
	return lmdb_err(err, rc, txn->store->dir, what);
}

static int cursor_open(MDB_cursor **out, tfl_txn *txn, int db,
    tfl_err *err);

/* Put through db's put cursor (see struct tfl_txn). */
static int
put(tfl_txn *txn, int db, MDB_val *key, MDB_val *val, unsigned flags,
    tfl_err *err)
{
	int rc;

	if (txn->put_cur[db] == NULL &&
	    (rc = cursor_open(&txn->put_cur[db], txn, db, err)) != 0)
		return rc;
	return put_status(mdb_cursor_put(txn->put_cur[db], key, val, flags),
	    txn, db, key, err);
}

int
tfl_store_entry_get(char **out, size_t *out_len, tfl_txn *txn,
    uint64_t seq, tfl_err *err)
{
	uint8_t k[8];
	MDB_val key = { sizeof(k), k };

	assert(out != NULL && txn != NULL);
	tfl__put_be64(k, seq);
	return get_copy(out, out_len, txn, DB_ENTRIES, &key, err);
}

/*
 * Node (level, index) is kept under its place in the order the nodes are
 * made, 8 bytes big-endian, so that an append adds the tree's largest
 * keys (MDB_APPEND).  Appending leaf m stores it, then each complete
 * subtree it ends, bottom up: 2m - popcount(m) nodes come before it.
 * The node is made by the append of leaf n - 1, n = (index + 1) <<
 * level, whose last node is at 2n - popcount(n) - 1; ctz(index + 1) of
 * that append's nodes (the subtrees above this one) come after it.
 * 0 when the node could not exist (n beyond 2^62), else 1.
 */
static int
tree_key(uint8_t out[8], unsigned level, uint64_t index)
{
	uint64_t n;

	if (level > 62 || index >= ((uint64_t)1 << (62 - level)))
		return 0;
	n = (index + 1) << level;
	tfl__put_be64(out, 2 * n - (uint64_t)__builtin_popcountll(n) - 1 -
	    (uint64_t)__builtin_ctzll(index + 1));
	return 1;
}

/* A node is written once: finding one already there means damage. */
static int
tree_put(tfl_txn *txn, unsigned level, uint64_t index,
    const uint8_t hash[TFL_HASH_SIZE], tfl_err *err)
{
	uint8_t k[8];
	MDB_val key = { sizeof(k), k };
	MDB_val val = { TFL_HASH_SIZE, (void *)hash };
	int rc;

	/* Not TFL_EFULL: a bigger map would not help. */
	if (!tree_key(k, level, index))
		return tfl_err_set(err, TFL_EINVAL, "ledger \"%s\": tree node "
		    "(%u, %" PRIu64 "): a ledger holds at most 2^62 entries",
		    txn->store->dir, level, index);
	rc = put(txn, DB_TREE, &key, &val, MDB_APPEND, err);
	/* MDB_APPEND: a node at or after its place (see tree_key) */
	if (rc == MDB_KEYEXIST)
		return tfl_err_set(err, TFL_EIO, "ledger \"%s\": tree node "
		    "(%u, %" PRIu64 "): already stored, or one made after it",
		    txn->store->dir, level, index);
	if (rc == 0 && index % 2 == 0) {
		txn->left_set |= (uint64_t)1 << level;
		txn->left_index[level] = index;
		memcpy(txn->left[level], hash, TFL_HASH_SIZE);
	}
	return rc;
}

/* Node (level, index): the one this txn stored last there, or LMDB's. */
static int
tree_left(tfl_txn *txn, unsigned level, uint64_t index,
    uint8_t out[TFL_HASH_SIZE], tfl_err *err)
{
	if (level < 64 && (txn->left_set >> level & 1) != 0 &&
	    txn->left_index[level] == index) {
		memcpy(out, txn->left[level], TFL_HASH_SIZE);
		return 0;
	}
	return tfl_store_node_get(txn, level, index, out, err);
}

/*
 * Store leaf (0, seq) and each subtree it completes: while the index is
 * odd, the node and its left sibling make their parent.
 */
static int
tree_add(tfl_txn *txn, uint64_t seq, const uint8_t leaf[TFL_HASH_SIZE],
    tfl_err *err)
{
	uint8_t node[TFL_HASH_SIZE], left[TFL_HASH_SIZE], up[TFL_HASH_SIZE];
	unsigned level = 0;
	uint64_t index = seq;
	int rc;

	memcpy(node, leaf, sizeof(node));
	rc = tree_put(txn, level, index, node, err);
	while (rc == 0 && index % 2 == 1) {
		rc = tree_left(txn, level, index - 1, left, err);
		if (rc == TFL_ENOTFOUND)
			rc = tfl_err_set(err, TFL_EIO, "ledger \"%s\": tree "
			    "node (%u, %" PRIu64 ") is missing",
			    txn->store->dir, level, index - 1);
		if (rc != 0)
			break;
		tfl_merkle_node_hash(up, left, node);
		memcpy(node, up, sizeof(node));
		level++;
		index /= 2;
		rc = tree_put(txn, level, index, node, err);
	}
	return rc;
}

int
tfl_store_entry_append(tfl_txn *txn, uint64_t seq, const void *note,
    size_t len, const uint8_t leaf[TFL_HASH_SIZE], tfl_err *err)
{
	uint8_t k[8];
	MDB_val key = { sizeof(k), k }, val = { len, (void *)note };
	uint64_t size;
	int rc;

	assert(txn != NULL && (note != NULL || len == 0) && leaf != NULL);
	rc = tfl_store_size(&size, txn, err);
	if (rc != 0)
		return rc;
	if (seq != size)
		return tfl_err_set(err, TFL_EINVAL, "entry %" PRIu64 ": "
		    "not the next seq, which is %" PRIu64, seq, size);
	tfl__put_be64(k, seq);
	rc = put(txn, DB_ENTRIES, &key, &val, MDB_APPEND, err);
	if (rc == MDB_KEYEXIST) /* MDB_APPEND: a key at or after seq */
		rc = tfl_err_set(err, TFL_EIO, "ledger \"%s\": entry %"
		    PRIu64 ": out of order in entries", txn->store->dir, seq);
	if (rc == 0)
		rc = tree_add(txn, seq, leaf, err);
	if (rc != 0)
		return rc;
	txn->size = seq + 1;
	txn->size_dirty = 1;
	return 0;
}

/* Call fn for each record of an integer-keyed db from key from on. */
static int
seq_foreach(tfl_txn *txn, int db, uint64_t from, tfl_store_entry_fn fn,
    void *ctx, tfl_err *err)
{
	MDB_cursor *cur = NULL;
	uint8_t k[8];
	MDB_val key = { sizeof(k), k }, val;
	uint64_t seq = 0;
	int rc;

	rc = cursor_open(&cur, txn, db, err);
	if (rc != 0)
		return rc;
	tfl__put_be64(k, from);
	rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
	while (rc == 0) {
		rc = seq_of(&seq, &key, txn, db, err);
		if (rc == 0)
			rc = fn(ctx, seq, val.mv_data, val.mv_size, err);
		if (rc != 0)
			goto out;
		rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT);
	}
	if (rc == MDB_NOTFOUND)
		rc = 0;
	else
		rc = lmdb_err(err, rc, txn->store->dir, "mdb_cursor_get");
out:
	mdb_cursor_close(cur);
	return rc;
}

int
tfl_store_entry_foreach(tfl_txn *txn, uint64_t from, tfl_store_entry_fn fn,
    void *ctx, tfl_err *err)
{
	assert(txn != NULL && fn != NULL);
	return seq_foreach(txn, DB_ENTRIES, from, fn, ctx, err);
}

int
tfl_store_node_get(void *ctx, unsigned level, uint64_t index,
    uint8_t out[TFL_HASH_SIZE], tfl_err *err)
{
	tfl_txn *txn = ctx;
	uint8_t k[8];
	MDB_val key = { sizeof(k), k }, val;
	int rc;

	assert(txn != NULL && out != NULL);
	if (!tree_key(k, level, index))
		return tfl_err_set(err, TFL_ENOTFOUND, "tree node (%u, %"
		    PRIu64 "): not found", level, index);
	rc = mdb_get(txn->txn, txn->store->dbi[DB_TREE], &key, &val);
	if (rc == MDB_NOTFOUND)
		return tfl_err_set(err, TFL_ENOTFOUND, "tree node (%u, %"
		    PRIu64 "): not found", level, index);
	if (rc != 0)
		return lmdb_err(err, rc, txn->store->dir, "tree: mdb_get");
	if (val.mv_size != TFL_HASH_SIZE)
		return tfl_err_set(err, TFL_EIO, "ledger \"%s\": tree node "
		    "(%u, %" PRIu64 "): %zu bytes, not %d", txn->store->dir,
		    level, index, val.mv_size, TFL_HASH_SIZE);
	memcpy(out, val.mv_data, TFL_HASH_SIZE);
	return 0;
}

int
tfl_store_checkpoint_put(tfl_txn *txn, uint64_t size, const char *note,
    size_t len, tfl_err *err)
{
	uint8_t k[8];
	MDB_val key = { sizeof(k), k }, val = { len, (void *)note };
	int rc;

	assert(txn != NULL && (note != NULL || len == 0));
	tfl__put_be64(k, size);
	rc = put(txn, DB_CHECKPOINTS, &key, &val, MDB_NOOVERWRITE, err);
	if (rc != MDB_KEYEXIST)
		return rc;
	/* On MDB_KEYEXIST, LMDB points val at the stored note. */
	if (val.mv_size == len &&
	    (len == 0 || memcmp(val.mv_data, note, len) == 0))
		return 0;
	return tfl_err_set(err, TFL_EEXIST, "checkpoint %" PRIu64 ": a "
	    "different checkpoint is stored for this size", size);
}

int
tfl_store_checkpoint_get(char **out, size_t *out_len, uint64_t *out_size,
    tfl_txn *txn, uint64_t size, tfl_err *err)
{
	MDB_cursor *cur = NULL;
	uint8_t k[8];
	MDB_val key = { sizeof(k), k }, val;
	int rc, latest = size == UINT64_MAX;

	assert(out != NULL && txn != NULL);
	*out = NULL;
	rc = cursor_open(&cur, txn, DB_CHECKPOINTS, err);
	if (rc != 0)
		return rc;
	tfl__put_be64(k, size);
	rc = mdb_cursor_get(cur, &key, &val, latest ? MDB_LAST : MDB_SET_KEY);
	if (rc == MDB_NOTFOUND && latest)
		rc = tfl_err_set(err, TFL_ENOTFOUND, "no checkpoint stored");
	else if (rc == MDB_NOTFOUND)
		rc = tfl_err_set(err, TFL_ENOTFOUND, "checkpoint %" PRIu64
		    ": not found", size);
	else if (rc != 0)
		rc = lmdb_err(err, rc, txn->store->dir,
		    "checkpoints: mdb_cursor_get");
	if (rc == 0)
		rc = seq_of(&size, &key, txn, DB_CHECKPOINTS, err);
	if (rc != 0)
		goto out;
	*out = dup_val(&val);
	if (*out == NULL) {
		rc = nomem(err, txn->store->dir);
		goto out;
	}
	if (out_len != NULL)
		*out_len = val.mv_size;
	if (out_size != NULL)
		*out_size = size;
out:
	mdb_cursor_close(cur);
	return rc;
}

int
tfl_store_checkpoint_foreach(tfl_txn *txn, tfl_store_entry_fn fn,
    void *ctx, tfl_err *err)
{
	assert(txn != NULL && fn != NULL);
	return seq_foreach(txn, DB_CHECKPOINTS, 0, fn, ctx, err);
}

/* A string key for meta, state or index: 1 to KEY_MAX bytes. */
static int
str_key(MDB_val *out, const char *key, int db, tfl_err *err)
{
	size_t len = strlen(key);

	if (len == 0 || len > KEY_MAX)
		return tfl_err_set(err, TFL_EINVAL, "%s key \"%.40s\": %zu "
		    "bytes, not 1 to %d", dbs[db].name, key, len, KEY_MAX);
	out->mv_size = len;
	out->mv_data = (void *)key;
	return 0;
}

static int
kv_get(char **out, size_t *out_len, tfl_txn *txn, int db, const char *key,
    tfl_err *err)
{
	MDB_val k;
	int rc;

	assert(out != NULL && txn != NULL && key != NULL);
	*out = NULL;
	rc = str_key(&k, key, db, err);
	if (rc != 0)
		return rc;
	return get_copy(out, out_len, txn, db, &k, err);
}

static int
kv_put(tfl_txn *txn, int db, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	MDB_val k, v = { len, (void *)val };
	int rc;

	assert(txn != NULL && key != NULL && (val != NULL || len == 0));
	rc = str_key(&k, key, db, err);
	if (rc != 0)
		return rc;
	return put(txn, db, &k, &v, 0, err);
}

int
tfl_store_meta_get(char **out, size_t *out_len, tfl_txn *txn,
    const char *key, tfl_err *err)
{
	return kv_get(out, out_len, txn, DB_META, key, err);
}

int
tfl_store_meta_put(tfl_txn *txn, const char *key, const void *val,
    size_t len, tfl_err *err)
{
	return kv_put(txn, DB_META, key, val, len, err);
}

int
tfl_store_state_get(void **out, size_t *out_len, tfl_txn *txn,
    const char *key, tfl_err *err)
{
	char *p = NULL;
	int rc;

	assert(out != NULL);
	rc = kv_get(&p, out_len, txn, DB_STATE, key, err);
	*out = p;
	return rc;
}

int
tfl_store_state_put(tfl_txn *txn, const char *key, const void *val,
    size_t len, tfl_err *err)
{
	MDB_val k, v = { len, (void *)val };
	int rc;

	assert(txn != NULL && key != NULL && (val != NULL || len == 0));
	if ((rc = str_key(&k, key, DB_STATE, err)) != 0)
		return rc;
	return put(txn, DB_STATE, &k, &v, 0, err);
}

int
tfl_store_state_del(tfl_txn *txn, const char *key, tfl_err *err)
{
	char what[80];
	MDB_val k;
	int rc;

	assert(txn != NULL && key != NULL);
	rc = str_key(&k, key, DB_STATE, err);
	if (rc != 0)
		return rc;
	rc = mdb_del(txn->txn, txn->store->dbi[DB_STATE], &k, NULL);
	if (rc == 0 || rc == MDB_NOTFOUND)
		return 0;
	snprintf(what, sizeof(what), "state \"%.50s\": mdb_del", key);
	return lmdb_err(err, rc, txn->store->dir, what);
}

int
tfl_store_state_foreach(tfl_txn *txn, tfl_store_kv_fn fn, void *ctx,
    tfl_err *err)
{
	MDB_cursor *cur = NULL;
	MDB_val key, val;
	char k[KEY_MAX + 1];
	int rc;

	assert(txn != NULL && fn != NULL);
	rc = cursor_open(&cur, txn, DB_STATE, err);
	if (rc != 0)
		return rc;
	rc = mdb_cursor_get(cur, &key, &val, MDB_FIRST);
	while (rc == 0) {
		/* LMDB keys are not NUL-terminated. */
		if ((rc = key_text(k, key.mv_data, key.mv_size, txn,
		    err)) != 0)
			goto out;
		rc = fn(ctx, k, val.mv_data, val.mv_size, err);
		if (rc != 0)
			goto out;
		rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT);
	}
	if (rc == MDB_NOTFOUND)
		rc = 0;
	else
		rc = lmdb_err(err, rc, txn->store->dir,
		    "state: mdb_cursor_get");
out:
	mdb_cursor_close(cur);
	return rc;
}

/* The snapshot record key: size, then the state key. */
static int
snap_key(uint8_t out[8 + KEY_MAX], MDB_val *k, uint64_t size,
    const void *key, size_t len, tfl_txn *txn, tfl_err *err)
{
	if (8 + len > KEY_MAX)
		return tfl_err_set(err, TFL_EINVAL, "ledger \"%s\": state key "
		    "of %zu bytes: too long for a snapshot", txn->store->dir,
		    len);
	tfl__put_be64(out, size);
	memcpy(out + 8, key, len);
	k->mv_size = 8 + len;
	k->mv_data = out;
	return 0;
}

/* *found: whether a snapshot of size is stored; cur positioned on it. */
static int
snap_seek(int *found, MDB_cursor *cur, uint64_t size, MDB_val *key,
    MDB_val *val, tfl_txn *txn, tfl_err *err)
{
	uint8_t k[8];
	int rc;

	tfl__put_be64(k, size);
	key->mv_size = sizeof(k);
	key->mv_data = k;
	rc = mdb_cursor_get(cur, key, val, MDB_SET_RANGE);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return lmdb_err(err, rc, txn->store->dir,
		    "snapshots: mdb_cursor_get");
	*found = rc == 0 && key->mv_size > 8 &&
	    tfl__get_be64(key->mv_data) == size;
	return 0;
}

/* tfl_store_snapshot_put's copy of one state record. */
struct snap_copy {
	tfl_txn *txn;
	uint64_t size;
	tfl_store_kv_fn fn;
	void *ctx;
};

static int
copy_record(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	struct snap_copy *c = ctx;
	uint8_t kb[8 + KEY_MAX];
	MDB_val k, v = { len, (void *)val };
	int rc;

	if ((rc = snap_key(kb, &k, c->size, key, strlen(key), c->txn,
	    err)) != 0 ||
	    (rc = put(c->txn, DB_SNAPSHOTS, &k, &v, 0, err)) != 0)
		return rc;
	return c->fn(c->ctx, key, val, len, err);
}

int
tfl_store_snapshot_put(tfl_txn *txn, uint64_t size, tfl_store_kv_fn fn,
    void *ctx, tfl_err *err)
{
	struct snap_copy c = { txn, size, fn, ctx };
	MDB_cursor *snap = NULL;
	MDB_val key, val;
	int rc, found;

	assert(txn != NULL && fn != NULL);
	if ((rc = cursor_open(&snap, txn, DB_SNAPSHOTS, err)) != 0)
		return rc;
	/*
	 * Made again from the state even when one of this size is stored:
	 * what the files hold is not trusted, and the digest signed with
	 * the checkpoint must be the state's.
	 */
	while ((rc = snap_seek(&found, snap, size, &key, &val, txn,
	    err)) == 0 && found)
		if ((rc = mdb_cursor_del(snap, 0)) != 0) {
			rc = lmdb_err(err, rc, txn->store->dir,
			    "snapshots: mdb_cursor_del");
			break;
		}
	mdb_cursor_close(snap);
	if (rc != 0)
		return rc;
	return tfl_store_state_foreach(txn, copy_record, &c, err);
}

/* The records of the snapshot of size whose keys begin with prefix. */
static int
snapshot_walk(tfl_txn *txn, uint64_t size, const char *prefix,
    tfl_store_kv_fn fn, void *ctx, tfl_err *err)
{
	MDB_cursor *cur = NULL;
	MDB_val key, val;
	uint8_t kb[8 + KEY_MAX];
	char k[KEY_MAX + 1];
	size_t plen = strlen(prefix);
	int rc, found;

	assert(txn != NULL && fn != NULL);
	if (txn->store->no_snapshots)
		return tfl_err_set(err, TFL_ENOTFOUND, "no snapshot of the "
		    "fund state at size %" PRIu64, size);
	if ((rc = cursor_open(&cur, txn, DB_SNAPSHOTS, err)) != 0)
		return rc;
	if ((rc = snap_seek(&found, cur, size, &key, &val, txn, err)) != 0)
		goto out;
	if (!found) {
		rc = tfl_err_set(err, TFL_ENOTFOUND, "no snapshot of the fund "
		    "state at size %" PRIu64, size);
		goto out;
	}
	if (plen > 0) {
		if ((rc = snap_key(kb, &key, size, prefix, plen, txn,
		    err)) != 0)
			goto out;
		rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
	}
	while (rc == 0 && key.mv_size > 8 && tfl__get_be64(key.mv_data) == size &&
	    key.mv_size - 8 >= plen &&
	    memcmp((const char *)key.mv_data + 8, prefix, plen) == 0) {
		if ((rc = key_text(k, (const char *)key.mv_data + 8,
		    key.mv_size - 8, txn, err)) != 0 ||
		    (rc = fn(ctx, k, val.mv_data, val.mv_size, err)) != 0)
			goto out;
		rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT);
	}
	if (rc == MDB_NOTFOUND)
		rc = 0;
	else if (rc > 0)
		rc = lmdb_err(err, rc, txn->store->dir,
		    "snapshots: mdb_cursor_get");
out:
	mdb_cursor_close(cur);
	return rc;
}

int
tfl_store_snapshot_foreach(tfl_txn *txn, uint64_t size, tfl_store_kv_fn fn,
    void *ctx, tfl_err *err)
{
	return snapshot_walk(txn, size, "", fn, ctx, err);
}

int
tfl_store_snapshot_range(tfl_txn *txn, uint64_t size, const char *prefix,
    tfl_store_kv_fn fn, void *ctx, tfl_err *err)
{
	return snapshot_walk(txn, size, prefix, fn, ctx, err);
}

int
tfl_store_snapshot_get(void **out, size_t *out_len, tfl_txn *txn,
    uint64_t size, const char *key, tfl_err *err)
{
	uint8_t kb[8 + KEY_MAX];
	MDB_val k;
	int rc;

	assert(out != NULL && txn != NULL && key != NULL);
	*out = NULL;
	if (txn->store->no_snapshots)
		return tfl_err_set(err, TFL_ENOTFOUND, "snapshot %" PRIu64
		    " \"%.60s\": not found", size, key);
	if ((rc = snap_key(kb, &k, size, key, strlen(key), txn, err)) != 0)
		return rc;
	return get_copy((char **)out, out_len, txn, DB_SNAPSHOTS, &k, err);
}

/* One side of tfl_store_pair_walk: the state, or a snapshot. */
struct side {
	MDB_cursor *cur;
	uint64_t size; /* TFL_STORE_STATE: the state */
	MDB_val k, v;  /* the current record (a snapshot's without its size) */
	int has;       /* there is one */
	char key[KEY_MAX + 1]; /* its key as text */
};

/* Move s to its first (op MDB_FIRST) or next (MDB_NEXT) record. */
static int
side_move(struct side *s, MDB_cursor_op op, tfl_txn *txn, tfl_err *err)
{
	int rc;

	if (s->size != TFL_STORE_STATE && op == MDB_FIRST) {
		if ((rc = snap_seek(&s->has, s->cur, s->size, &s->k, &s->v,
		    txn, err)) != 0)
			return rc;
	} else {
		rc = mdb_cursor_get(s->cur, &s->k, &s->v, op);
		if (rc != 0 && rc != MDB_NOTFOUND)
			return lmdb_err(err, rc, txn->store->dir,
			    "mdb_cursor_get");
		s->has = rc == 0;
		if (s->has && s->size != TFL_STORE_STATE)
			s->has = s->k.mv_size > 8 &&
			    tfl__get_be64(s->k.mv_data) == s->size;
	}
	if (s->has && s->size != TFL_STORE_STATE) {
		s->k.mv_data = (char *)s->k.mv_data + 8;
		s->k.mv_size -= 8;
	}
	if (s->has && s->v.mv_data == NULL)
		s->v.mv_data = (void *)""; /* NULL means "no record" to fn */
	if (s->has)
		return key_text(s->key, s->k.mv_data, s->k.mv_size, txn, err);
	return 0;
}

/* <0, 0, >0 as a's key sorts before, with, after b's (LMDB's order). */
static int
side_cmp(const struct side *a, const struct side *b)
{
	size_t n;
	int c;

	if (!a->has || !b->has)
		return a->has ? -1 : 1;
	n = a->k.mv_size < b->k.mv_size ? a->k.mv_size : b->k.mv_size;
	c = memcmp(a->k.mv_data, b->k.mv_data, n);
	if (c == 0)
		c = (a->k.mv_size > b->k.mv_size) - (a->k.mv_size < b->k.mv_size);
	return c;
}

int
tfl_store_pair_walk(tfl_txn *txn, uint64_t left, uint64_t right,
    tfl_store_pair_fn fn, void *ctx, tfl_err *err)
{
	struct side sd[2];
	int rc = 0, c, i;

	assert(txn != NULL && fn != NULL);
	if (txn->store->no_snapshots)
		return tfl_err_set(err, TFL_ENOTFOUND, "no snapshots of the "
		    "fund state are stored");
	memset(sd, 0, sizeof(sd));
	sd[0].size = left;
	sd[1].size = right;
	for (i = 0; rc == 0 && i < 2; i++)
		if ((rc = cursor_open(&sd[i].cur, txn, sd[i].size ==
		    TFL_STORE_STATE ? DB_STATE : DB_SNAPSHOTS, err)) == 0)
			rc = side_move(&sd[i], MDB_FIRST, txn, err);
	while (rc == 0 && (sd[0].has || sd[1].has)) {
		/* Both sides in key order: the smaller key first. */
		c = side_cmp(&sd[0], &sd[1]);
		rc = fn(ctx, c <= 0 ? sd[0].key : sd[1].key, c <= 0 ?
		    sd[0].v.mv_data : NULL, c <= 0 ?
		    sd[0].v.mv_size : 0, c >= 0 ? sd[1].v.mv_data : NULL,
		    c >= 0 ? sd[1].v.mv_size : 0, err);
		if (rc == 0 && c <= 0)
			rc = side_move(&sd[0], MDB_NEXT, txn, err);
		if (rc == 0 && c >= 0)
			rc = side_move(&sd[1], MDB_NEXT, txn, err);
	}
	mdb_cursor_close(sd[0].cur);
	mdb_cursor_close(sd[1].cur);
	return rc;
}

int
tfl_store_snapshot_prune(tfl_txn *txn, size_t keep, tfl_err *err)
{
	MDB_cursor *cur = NULL;
	MDB_val key, val;
	uint8_t k[8];
	uint64_t cutoff = 0;
	size_t sizes = 0;
	int rc;

	assert(txn != NULL);
	if ((rc = cursor_open(&cur, txn, DB_SNAPSHOTS, err)) != 0)
		return rc;
	/* The keep-th newest size: snapshots of smaller sizes go. */
	rc = mdb_cursor_get(cur, &key, &val, MDB_LAST);
	while (rc == 0 && key.mv_size > 8 && sizes < keep) {
		cutoff = tfl__get_be64(key.mv_data);
		sizes++;
		tfl__put_be64(k, cutoff);
		key.mv_size = sizeof(k);
		key.mv_data = k;
		rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
		if (rc == 0)
			rc = mdb_cursor_get(cur, &key, &val, MDB_PREV);
	}
	while (rc == 0 && sizes == keep) {
		rc = mdb_cursor_get(cur, &key, &val, MDB_FIRST);
		if (rc != 0 || key.mv_size <= 8 ||
		    tfl__get_be64(key.mv_data) >= cutoff)
			break;
		rc = mdb_cursor_del(cur, 0);
	}
	rc = rc == MDB_NOTFOUND ? 0 : rc != 0 ? lmdb_err(err, rc,
	    txn->store->dir, "snapshots: prune") : 0;
	mdb_cursor_close(cur);
	return rc;
}

int
tfl_store_index_add(tfl_txn *txn, const char *key, uint64_t seq,
    tfl_err *err)
{
	uint8_t s[8];
	MDB_val k, v = { sizeof(s), s };
	int rc;

	assert(txn != NULL && key != NULL);
	rc = str_key(&k, key, DB_INDEX, err);
	if (rc != 0)
		return rc;
	tfl__put_be64(s, seq);
	rc = put(txn, DB_INDEX, &k, &v, MDB_NODUPDATA, err);
	/* MDB_KEYEXIST: this seq is already there. */
	return rc == MDB_KEYEXIST ? 0 : rc;
}

/*
 * Copy the duplicates under the cursor's key (val holds the first),
 * ascending, into a malloc'd array.
 */
static int
dups_copy(uint64_t **out, size_t *out_n, MDB_cursor *cur, MDB_val *val,
    tfl_txn *txn, tfl_err *err)
{
	uint64_t *seqs = NULL;
	MDB_val key;
	size_t i, n = 0;
	int rc;

	rc = mdb_cursor_count(cur, &n);
	if (rc != 0)
		return lmdb_err(err, rc, txn->store->dir,
		    "index: mdb_cursor_count");
	seqs = n <= SIZE_MAX / sizeof(*seqs) ? malloc(n * sizeof(*seqs)) : NULL;
	if (seqs == NULL)
		return nomem(err, txn->store->dir);
	for (i = 0; i < n; i++) {
		rc = i == 0 ? 0 : mdb_cursor_get(cur, &key, val, MDB_NEXT_DUP);
		if (rc != 0) {
			rc = lmdb_err(err, rc, txn->store->dir,
			    "index: mdb_cursor_get");
			goto out;
		}
		if (val->mv_size != 8) {
			rc = tfl_err_set(err, TFL_EIO, "ledger \"%s\": index: "
			    "value of %zu bytes, not 8", txn->store->dir,
			    val->mv_size);
			goto out;
		}
		seqs[i] = tfl__get_be64(val->mv_data);
	}
	*out = seqs;
	*out_n = n;
	seqs = NULL;
out:
	free(seqs);
	return rc;
}

int
tfl_store_index_get(uint64_t **out, size_t *out_n, tfl_txn *txn,
    const char *key, tfl_err *err)
{
	MDB_cursor *cur = NULL;
	MDB_val k, val;
	int rc;

	assert(out != NULL && out_n != NULL && txn != NULL && key != NULL);
	*out = NULL;
	*out_n = 0;
	rc = str_key(&k, key, DB_INDEX, err);
	if (rc == 0)
		rc = cursor_open(&cur, txn, DB_INDEX, err);
	if (rc != 0)
		return rc;
	rc = mdb_cursor_get(cur, &k, &val, MDB_SET_KEY);
	if (rc == 0)
		rc = dups_copy(out, out_n, cur, &val, txn, err);
	else if (rc == MDB_NOTFOUND)
		rc = 0;
	else
		rc = lmdb_err(err, rc, txn->store->dir,
		    "index: mdb_cursor_get");
	mdb_cursor_close(cur);
	return rc;
}

/* Copy the environment into fd, adopting a map another process grew. */
static int
copy_into(tfl_store *store, int fd, const char *what, tfl_err *err)
{
	int rc;

	/* mdb_env_copyfd2 runs its own read transaction: writers go on. */
	rc = mdb_env_copyfd2(store->env, fd, MDB_CP_COMPACT);
	if (rc == MDB_MAP_RESIZED && atomic_load(&store->ntxn) == 0) {
		if ((rc = set_mapsize(store, 0, err)) != 0)
			return rc;
		if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
			return sys_err(err, errno, store->dir, what);
		rc = mdb_env_copyfd2(store->env, fd, MDB_CP_COMPACT);
	}
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, what);
	return 0;
}

/*
 * data.mdb is made here, not by mdb_env_copy2, which creates it with mode
 * 0666 less the umask and never syncs it: a backup is private to its
 * owner and on disk, file and directory entry, before we call it made.
 */
int
tfl_store_backup(tfl_store *store, const char *dir, tfl_err *err)
{
	char what[256], *path = NULL;
	int fd = -1, rc;

	assert(store != NULL && dir != NULL);
	if ((rc = usable(store, err)) != 0)
		return rc;
	snprintf(what, sizeof(what), "backup to \"%.200s\"", dir);
	if ((path = join(dir, "data.mdb")) == NULL)
		return nomem(err, store->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		rc = errno == EEXIST ? tfl_err_set(err, TFL_EEXIST, "%s: "
		    "data.mdb already exists", what) :
		    sys_err(err, errno, store->dir, what);
		free(path);
		return rc;
	}
	rc = copy_into(store, fd, what, err);
	if (rc == 0 && fsync(fd) != 0)
		rc = sys_err(err, errno, store->dir, what);
	if (close(fd) != 0 && rc == 0)
		rc = sys_err(err, errno, store->dir, what);
	if (rc == 0 && (fd = open(dir, O_RDONLY)) >= 0) {
		if (fsync(fd) != 0)
			rc = sys_err(err, errno, store->dir, what);
		close(fd);
	}
	if (rc != 0)
		unlink(path);
	free(path);
	return rc;
}

int
tfl_store_room(uint64_t *out, tfl_store *store, tfl_err *err)
{
	MDB_envinfo info;
	MDB_stat st;
	uint64_t used;
	int rc;

	assert(out != NULL && store != NULL);
	if ((rc = usable(store, err)) != 0)
		return rc;
	if ((rc = mdb_env_info(store->env, &info)) != 0)
		return lmdb_err(err, rc, store->dir, "mdb_env_info");
	if ((rc = mdb_env_stat(store->env, &st)) != 0)
		return lmdb_err(err, rc, store->dir, "mdb_env_stat");
	used = (uint64_t)(info.me_last_pgno + 1) * st.ms_psize;
	*out = used < info.me_mapsize ? info.me_mapsize - used : 0;
	return 0;
}

void
tfl_store_trim(tfl_txn *txn)
{
	MDB_cursor *cur = NULL;
	MDB_val key, val;

	assert(txn != NULL);
	/* Any value points into the map: no MDB_WRITEMAP, shared, read-only. */
	if (mdb_cursor_open(txn->txn, txn->store->dbi[DB_ENTRIES], &cur) == 0 &&
	    mdb_cursor_get(cur, &key, &val, MDB_FIRST) == 0)
		tfl__unmap_around(val.mv_data);
	mdb_cursor_close(cur);
}

int
tfl_store_disk_size(uint64_t *out, tfl_store *store, tfl_err *err)
{
	MDB_envinfo info;
	MDB_stat st;
	int rc;

	assert(out != NULL && store != NULL);
	if ((rc = usable(store, err)) != 0)
		return rc;
	rc = mdb_env_info(store->env, &info);
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, "mdb_env_info");
	rc = mdb_env_stat(store->env, &st);
	if (rc != 0)
		return lmdb_err(err, rc, store->dir, "mdb_env_stat");
	*out = (uint64_t)(info.me_last_pgno + 1) * st.ms_psize;
	return 0;
}
