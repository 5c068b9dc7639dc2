/*
 * scratch.c - the state an audit rebuilds by replay, behind a tfl_kv.
 *
 * Records live in an in-memory map (open addressing, linear probing)
 * until they hold more than mem bytes; then every record is written to a
 * scratch LMDB file and the map starts empty again, so memory stays
 * bounded whatever the ledger's size.  A get looks in the map first (it
 * holds the newest values), then in the file.
 *
 * The file is made in a fresh directory under tmpdir and unlinked as
 * soon as LMDB has it open (MDB_NOLOCK: no lock file), so it disappears
 * with the process however that ends.  It is never synced: it is thrown
 * away.  Not MDB_WRITEMAP: writing a sparse map on a full disk is
 * SIGBUS, where pwrite is an error.  If no file can be made at all, the
 * records stay in memory: the audit still completes.  MDB_NOTLS: a
 * reader (tfl__scratch_reader) is made on one thread, read on another,
 * beside the replay's own reads.  With MDB_NOLOCK LMDB does not know of
 * readers, so no spill writes while one is open (tfl__scratch_on_spill).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lmdb.h>

#include "internal.h"
#include "tfledger/fund.h"

#define MAP_FIRST ((size_t)64 << 20)
#define SLOT_COST 64	 /* what a record costs besides its bytes */
#define FILTER_BITS 24	 /* a 2 MiB filter of the keys in the file */
/*
 * Writes and reads here and there between drops of the map's pages: each
 * maps the 64 KiB around a page (the kernel's fault-around), so that the
 * map's pages in memory do not grow with the file.
 */
#define TRIM_EVERY 512

struct slot {
	char *key;
	void *val;
	size_t len;
};

/* Reads of the file: a read transaction and its cursor. */
struct fileread {
	MDB_txn *rd;
	MDB_cursor *cur; /* on rd, on the record read last if at */
	int at;
	/*
	 * A byte of the file's map, to drop its pages by (tfl__unmap_around)
	 * while a spill writes, and the reads here and there since the last
	 * trim.  After a resize of the map it may point elsewhere: then the
	 * trim drops another shared map's pages, or none, never data.
	 */
	const void *map_at;
	unsigned reads;
};

/* Another thread's reads of the file as it was when made (internal.h). */
struct tfl__scratch_reader {
	const tfl__scratch *m;
	struct fileread file;
};

struct tfl__scratch {
	struct slot *slots;
	size_t cap; /* a power of two */
	size_t count;
	size_t bytes; /* held in memory, SLOT_COST each included */
	size_t mem;   /* the most bytes held in memory */
	char *tmpdir;
	MDB_env *env; /* NULL until the first spill */
	MDB_dbi dbi;
	struct fileread file; /* reads of what was spilled */
	int nofile;  /* no file could be made: memory only */
	/* Called before a spill writes: the readers must be freed. */
	void (*on_spill)(void *ctx);
	void *on_spill_ctx;
	/*
	 * A Bloom filter of the keys written to the file: most lookups that
	 * miss the map are of keys never seen (is this receipt already
	 * recorded?), which it answers without reading the file.  Its size
	 * is fixed, so memory stays bounded; past millions of keys it only
	 * answers "maybe" more often.
	 */
	uint8_t *filter;
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

/* Two more hashes of key, for the filter's four bits (double hashing). */
static void
filter_bits(size_t bit[4], const char *key)
{
	uint64_t h = hash(key), h2 = (h >> 32) | 1;
	size_t i;

	for (i = 0; i < 4; i++)
		bit[i] = (size_t)((h + i * h2) & ((1u << FILTER_BITS) - 1));
}

static void
filter_add(uint8_t *f, const char *key)
{
	size_t bit[4], i;

	filter_bits(bit, key);
	for (i = 0; i < 4; i++)
		f[bit[i] / 8] |= (uint8_t)(1u << (bit[i] % 8));
}

static int
filter_maybe(const uint8_t *f, const char *key)
{
	size_t bit[4], i;

	filter_bits(bit, key);
	for (i = 0; i < 4; i++)
		if (!(f[bit[i] / 8] & (1u << (bit[i] % 8))))
			return 0;
	return 1;
}

static struct slot *
find(const tfl__scratch *m, const char *key)
{
	size_t i = hash(key) & (m->cap - 1);

	while (m->slots[i].key != NULL && strcmp(m->slots[i].key, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static int
grow(tfl__scratch *m)
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

/* Empty the map (its records are in the file). */
static void
clear(tfl__scratch *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		free(m->slots[i].key);
		free(m->slots[i].val);
	}
	memset(m->slots, 0, m->cap * sizeof(*m->slots));
	m->count = 0;
	m->bytes = 0;
}

static int
lmdb_err(tfl_err *err, int rc, const char *what)
{
	return tfl_err_set(err, rc == ENOMEM ? TFL_ENOMEM : TFL_EIO,
	    "audit scratch state: %s: %s", what, mdb_strerror(rc));
}

/* Make the file; 0, or non-zero when none can be made. */
static int
file_open(tfl__scratch *m)
{
	size_t n = strlen(m->tmpdir) + 40;
	char *dir = malloc(n), *file = malloc(n);
	int rc = -1;

	if (dir == NULL || file == NULL)
		goto out;
	snprintf(dir, n, "%s/tfledger-audit-XXXXXX", m->tmpdir);
	if (mkdtemp(dir) == NULL)
		goto out;
	snprintf(file, n, "%s/state", dir);
	if (mdb_env_create(&m->env) != 0 ||
	    mdb_env_set_mapsize(m->env, MAP_FIRST) != 0 ||
	    mdb_env_open(m->env, file, MDB_NOSUBDIR | MDB_NOLOCK | MDB_NOTLS |
	    MDB_NOSYNC | MDB_NOMETASYNC | MDB_NORDAHEAD, 0600) != 0) {
		if (m->env != NULL)
			mdb_env_close(m->env);
		m->env = NULL;
	} else {
		rc = 0;
	}
	unlink(file);
	rmdir(dir);
out:
	free(dir);
	free(file);
	return rc;
}

/* Double the map when more than half of it is used (always: full). */
static int
map_room(tfl__scratch *m, int full, tfl_err *err)
{
	MDB_envinfo info;
	MDB_stat st;
	int rc;

	if ((rc = mdb_env_info(m->env, &info)) != 0 ||
	    (rc = mdb_env_stat(m->env, &st)) != 0)
		return lmdb_err(err, rc, "mdb_env_info");
	if (!full &&
	    (info.me_last_pgno + 1) * st.ms_psize <= info.me_mapsize / 2)
		return 0;
	if ((rc = mdb_env_set_mapsize(m->env, info.me_mapsize * 2)) != 0)
		return lmdb_err(err, rc, "mdb_env_set_mapsize");
	return 0;
}

/* Write every record of the map to the file: 0 or an LMDB code. */
static int
write_all(tfl__scratch *m)
{
	MDB_txn *txn = NULL;
	MDB_val k, v;
	size_t i, n = 0;
	int rc;

	if ((rc = mdb_txn_begin(m->env, NULL, 0, &txn)) != 0)
		return rc;
	if ((rc = mdb_dbi_open(txn, NULL, 0, &m->dbi)) != 0)
		goto out;
	for (i = 0; i < m->cap && rc == 0; i++) {
		if (m->slots[i].key == NULL)
			continue;
		k.mv_size = strlen(m->slots[i].key);
		k.mv_data = m->slots[i].key;
		v.mv_size = m->slots[i].len;
		v.mv_data = m->slots[i].val;
		rc = mdb_put(txn, m->dbi, &k, &v, 0);
		filter_add(m->filter, m->slots[i].key);
		if (++n % TRIM_EVERY == 0)
			tfl__unmap_around(m->file.map_at);
	}
	if (rc == 0) {
		rc = mdb_txn_commit(txn); /* frees txn, even on failure */
		txn = NULL;
	}
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	return rc;
}

/* Drop the pages of the file's map that f's reads mapped. */
static void
file_trim(struct fileread *f, MDB_dbi dbi)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;

	if (f->rd != NULL && mdb_cursor_open(f->rd, dbi, &cur) == 0 &&
	    mdb_cursor_get(cur, &k, &v, MDB_FIRST) == 0)
		f->map_at = v.mv_data;
	mdb_cursor_close(cur);
	f->reads = 0;
	tfl__unmap_around(f->map_at);
}

void
tfl__scratch_trim(tfl__scratch *m)
{
	file_trim(&m->file, m->dbi);
}

/* Begin reads of the file as it is now: 0 or an LMDB code. */
static int
read_begin(struct fileread *f, const tfl__scratch *m)
{
	int rc;

	memset(f, 0, sizeof(*f));
	f->map_at = m->file.map_at;
	if ((rc = mdb_txn_begin(m->env, NULL, MDB_RDONLY, &f->rd)) != 0)
		return rc;
	return mdb_cursor_open(f->rd, m->dbi, &f->cur);
}

/* End the reads of the file, if any. */
static void
read_end(struct fileread *f)
{
	mdb_cursor_close(f->cur);
	f->cur = NULL;
	f->at = 0;
	if (f->rd != NULL)
		mdb_txn_abort(f->rd);
	f->rd = NULL;
}

/* Move every record of the map into the file. */
static int
spill(tfl__scratch *m, tfl_err *err)
{
	int rc, tries;

	if (m->env == NULL &&
	    ((m->filter = calloc(1, (1u << FILTER_BITS) / 8)) == NULL ||
	    file_open(m) != 0)) {
		free(m->filter);
		m->filter = NULL;
		m->nofile = 1;
		return 0;
	}
	if (m->on_spill != NULL)
		m->on_spill(m->on_spill_ctx);
	read_end(&m->file);
	for (tries = 0;; tries++) {
		if ((rc = map_room(m, tries > 0, err)) != 0)
			return rc;
		rc = write_all(m);
		if (rc != MDB_MAP_FULL || tries == 8)
			break;
	}
	if (rc != 0)
		return lmdb_err(err, rc, "writing the records");
	clear(m);
	if ((rc = read_begin(&m->file, m)) != 0)
		return lmdb_err(err, rc, "beginning reads");
	tfl__scratch_trim(m);
	return 0;
}

static int
copy_out(void **val, size_t *len, const void *data, size_t n, tfl_err *err)
{
	char *copy = tfl__strndup(data, n);

	if (copy == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	*val = copy;
	*len = n;
	return 0;
}

/*
 * Read key (k) from the file into v: 0, MDB_NOTFOUND or an LMDB code.
 * in_order: the key follows the one read last, as in the compares that
 * end an audit, so the cursor, left on that one, first tries the next
 * record: a step instead of a search from the root.  Not for reads here
 * and there: the step would map a page they do not need.
 */
static int
file_get(const tfl__scratch *m, struct fileread *f, MDB_val *k, MDB_val *v,
    int in_order)
{
	MDB_val next;
	int rc;

	if (in_order && f->at &&
	    mdb_cursor_get(f->cur, &next, v, MDB_NEXT) == 0 &&
	    next.mv_size == k->mv_size &&
	    memcmp(next.mv_data, k->mv_data, k->mv_size) == 0)
		return 0;
	f->at = 0;
	if (!filter_maybe(m->filter, k->mv_data))
		return MDB_NOTFOUND;
	if (!in_order && ++f->reads == TRIM_EVERY)
		file_trim(f, m->dbi);
	rc = mdb_cursor_get(f->cur, k, v, MDB_SET_KEY);
	f->at = rc == 0;
	return rc;
}

/* Key from the file through f, as peek. */
static int
file_peek(const void **val, size_t *len, const tfl__scratch *m,
    struct fileread *f, const char *key, int in_order, tfl_err *err)
{
	MDB_val k = { strlen(key), (void *)key }, v;
	int rc;

	if (f->rd != NULL) {
		rc = file_get(m, f, &k, &v, in_order);
		if (rc == 0) {
			*val = v.mv_data;
			*len = v.mv_size;
			return 0;
		}
		if (rc != MDB_NOTFOUND)
			return lmdb_err(err, rc, "mdb_cursor_get");
	}
	return tfl_err_set(err, TFL_ENOTFOUND, "state \"%s\": not found", key);
}

static int
peek(const void **val, size_t *len, tfl__scratch *m, const char *key,
    int in_order, tfl_err *err)
{
	struct slot *s;

	/* An empty map (just spilled) is not worth a cache miss. */
	if (m->count > 0 && (s = find(m, key))->key != NULL) {
		*val = s->val;
		*len = s->len;
		return 0;
	}
	return file_peek(val, len, m, &m->file, key, in_order, err);
}

int
tfl__scratch_peek(const void **val, size_t *len, tfl__scratch *m,
    const char *key, tfl_err *err)
{
	return peek(val, len, m, key, 0, err);
}

int
tfl__scratch_peek_next(const void **val, size_t *len, tfl__scratch *m,
    const char *key, tfl_err *err)
{
	return peek(val, len, m, key, 1, err);
}

static int
mget(void *ctx, const char *key, void **val, size_t *len, tfl_err *err)
{
	const void *p;
	size_t n;
	int rc;

	if ((rc = tfl__scratch_peek(&p, &n, ctx, key, err)) != 0)
		return rc;
	return copy_out(val, len, p, n, err);
}

static int
mput(void *ctx, const char *key, const void *val, size_t len, tfl_err *err)
{
	tfl__scratch *m = ctx;
	struct slot *s;
	void *copy;

	if (2 * (m->count + 1) > m->cap && grow(m) != 0)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	s = find(m, key);
	if (s->key != NULL && s->len == len) {
		/* Most puts rewrite a record of fixed size: in place. */
		memcpy(s->val, val, len);
		return 0;
	}
	copy = malloc(len > 0 ? len : 1);
	if (copy == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	memcpy(copy, val, len);
	if (s->key == NULL) {
		s->key = strdup(key);
		if (s->key == NULL) {
			free(copy);
			return tfl_err_set(err, TFL_ENOMEM, "out of memory");
		}
		m->count++;
		m->bytes += strlen(key) + SLOT_COST;
	} else {
		m->bytes -= s->len;
		free(s->val);
	}
	s->val = copy;
	s->len = len;
	m->bytes += len;
	if (m->bytes > m->mem && !m->nofile)
		return spill(m, err);
	return 0;
}

int
tfl__scratch_new(tfl__scratch **out, const char *tmpdir, size_t mem)
{
	tfl__scratch *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return TFL_ENOMEM;
	m->cap = 64;
	m->mem = mem;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	m->tmpdir = strdup(tmpdir);
	if (m->slots == NULL || m->tmpdir == NULL) {
		tfl__scratch_free(m);
		return TFL_ENOMEM;
	}
	*out = m;
	return 0;
}

void
tfl__scratch_free(tfl__scratch *m)
{
	if (m == NULL)
		return;
	if (m->slots != NULL)
		clear(m);
	read_end(&m->file);
	if (m->env != NULL)
		mdb_env_close(m->env);
	free(m->slots);
	free(m->tmpdir);
	free(m->filter);
	free(m);
}

void
tfl__scratch_kv(tfl_kv *out, tfl__scratch *m)
{
	out->get = mget;
	out->get_fixed = NULL;
	out->put = mput;
	out->ctx = m;
}

int
tfl__scratch_count(size_t *out, tfl__scratch *m, tfl_err *err)
{
	MDB_stat st;
	int rc;

	*out = m->count;
	if (m->env == NULL)
		return 0;
	if (m->count > 0 && (rc = spill(m, err)) != 0)
		return rc;
	if ((rc = mdb_stat(m->file.rd, m->dbi, &st)) != 0)
		return lmdb_err(err, rc, "mdb_stat");
	*out = st.ms_entries;
	return 0;
}

void
tfl__scratch_on_spill(tfl__scratch *m, void (*fn)(void *ctx), void *ctx)
{
	m->on_spill = fn;
	m->on_spill_ctx = ctx;
}

int
tfl__scratch_reader_new(tfl__scratch_reader **out, const tfl__scratch *m,
    tfl_err *err)
{
	tfl__scratch_reader *r;
	int rc;

	*out = NULL;
	if (m->count > 0 || m->file.rd == NULL)
		return tfl_err_set(err, TFL_ENOTFOUND, "audit scratch state: "
		    "not all in the file");
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	r->m = m;
	if ((rc = read_begin(&r->file, m)) != 0) {
		tfl__scratch_reader_free(r);
		return lmdb_err(err, rc, "beginning reads");
	}
	*out = r;
	return 0;
}

int
tfl__scratch_reader_next(const void **val, size_t *len,
    tfl__scratch_reader *r, const char *key, tfl_err *err)
{
	return file_peek(val, len, r->m, &r->file, key, 1, err);
}

void
tfl__scratch_reader_trim(tfl__scratch_reader *r)
{
	file_trim(&r->file, r->m->dbi);
}

void
tfl__scratch_reader_free(tfl__scratch_reader *r)
{
	if (r == NULL)
		return;
	read_end(&r->file);
	free(r);
}
