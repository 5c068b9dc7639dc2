/*
 * ledger.c - the append pipeline and the ledger's read calls.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger_internal.h"
#include "tfledger/checkpoint.h"

/* At most this many map growths for one command before giving up. */
#define MAX_GROW 16

/* Commands of this many entries or more sign on a thread of their own. */
#define PIPE_MIN 16

/* Map room asked per entry of a long command (an entry takes about 1 KiB). */
#define ROOM_PER_ENTRY 2048

static int
txn_get(void *ctx, const char *key, void **val, size_t *len, tfl_err *err)
{
	return tfl_store_state_get(val, len, ctx, key, err);
}

static int
txn_put(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	return tfl_store_state_put(ctx, key, val, len, err);
}

int
tfl__txn_entry(void *ctx, uint64_t seq, char **note, size_t *len,
    tfl_err *err)
{
	return tfl_store_entry_get(note, len, ctx, seq, err);
}

void
tfl__txn_kv(tfl_kv *out, tfl_txn *txn)
{
	out->get = txn_get;
	out->get_fixed = NULL;
	out->put = txn_put;
	out->ctx = txn;
	out->entry = tfl__txn_entry;
	out->entry_ctx = txn;
}

int
tfl_ledger_open(tfl_ledger **out, const char *dir, unsigned flags,
    tfl_err *err)
{
	tfl_ledger *l = calloc(1, sizeof(*l));
	int rc;

	if (l == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	rc = tfl_store_open(&l->store, dir,
	    (flags & TFL_LEDGER_RDONLY) ? TFL_STORE_RDONLY : 0, err);
	if (rc != 0) {
		free(l);
		return rc;
	}
	l->flags = flags;
	*out = l;
	return 0;
}

void
tfl_ledger_close(tfl_ledger *l)
{
	if (l == NULL)
		return;
	tfl_store_close(l->store);
	free(l);
}

/* The signer must hold the very key enrolled under its name. */
static int
check_signer_key(tfl_kv *kv, const tfl_key *signer, tfl_err *err)
{
	tfl_verifier v;
	tfl_fund_key k;
	int rc;

	rc = tfl_fund_key_get(&k, kv, tfl_key_name(signer), err);
	if (rc == TFL_ENOTFOUND)
		return tfl_err_set(err, TFL_ERULE, "key \"%s\": not enrolled "
		    "in this ledger", tfl_key_name(signer));
	if (rc != 0)
		return rc;
	tfl_verifier_of_key(&v, signer);
	if (v.hash != k.verifier.hash ||
	    memcmp(v.pub, k.verifier.pub, sizeof(v.pub)) != 0)
		return tfl_err_set(err, TFL_ERULE, "key \"%s\": not the key "
		    "enrolled under that name", tfl_key_name(signer));
	return 0;
}

/* Header, rules, signature and storage of one draft; advances *head. */
static int
append_one(struct tfl__head *head, tfl_txn *txn, tfl_kv *kv,
    const tfl_key *signer, const tfl_draft *d, tfl_err *err)
{
	tfl_entry *e = d->e;
	tfl_verifier v;
	char *text = NULL, *note = NULL;
	size_t textlen, notelen;
	uint8_t leaf[TFL_HASH_SIZE];
	int rc;

	if ((rc = tfl_entry_set_header(e, head->origin, head->size, head->now,
	    head->prev, err)) != 0 ||
	    (rc = tfl_entry_encode(&text, &textlen, e, err)) != 0 ||
	    (rc = tfl_fund_apply(kv, e, tfl_key_name(signer), NULL,
	    err)) != 0 ||
	    (rc = tfl_note_sign(&note, &notelen, text, textlen, &signer, 1,
	    err)) != 0)
		goto out;
	tfl_merkle_leaf_hash(leaf, note, notelen);
	if ((rc = tfl_store_entry_append(txn, head->size, note, notelen, leaf,
	    err)) != 0)
		goto out;
	tfl_verifier_of_key(&v, signer);
	tfl_entry_chain_hash(head->prev, text, textlen, v.name, v.hash);
	head->size++;
out:
	if (rc != 0 && rc != TFL_EFULL && rc != TFL_EIO && rc != TFL_ENOMEM)
		tfl_err_prefix(err, "%s", d->label[0] != '\0' ? d->label :
		    tfl_entry_type_name(tfl_entry_type(e)));
	free(text);
	free(note);
	return rc;
}

/* Read the chain head inside txn: size, last chain hash, origin. */
static int
read_head(struct tfl__head *head, tfl_txn *txn, tfl_kv *kv, tfl_err *err)
{
	tfl_fund_info info;
	tfl_entry *e = NULL;
	tfl_note note;
	char *data = NULL;
	size_t len;
	int rc;

	if ((rc = tfl_store_size(&head->size, txn, err)) != 0)
		return rc;
	memset(head->prev, 0, sizeof(head->prev));
	if (head->size == 0)
		return 0;
	if ((rc = tfl_fund_info_get(&info, kv, err)) != 0)
		return rc;
	memcpy(head->origin, info.origin, sizeof(head->origin));
	if ((rc = tfl_store_entry_get(&data, &len, txn, head->size - 1,
	    err)) != 0)
		return rc;
	/* Decoded, so that an entry of another version is refused too. */
	if ((rc = tfl_note_parse(&note, data, len, err)) == 0) {
		if ((rc = tfl_entry_decode(&e, note.text, note.textlen,
		    err)) == 0)
			rc = tfl_entry_note_chain_hash(head->prev, &note, err);
		tfl_entry_free(e);
		tfl_note_release(&note);
	}
	free(data);
	if (rc == TFL_EINVAL) {
		tfl_err why = *err;

		rc = tfl_err_set(err, TFL_EVERIFY, "the last entry (seq %llu) "
		    "is damaged (%s): run tfaudit verify",
		    (unsigned long long)(head->size - 1), why.msg);
	}
	return rc;
}

/*
 * Every draft, entry by entry; a long command's signatures on a thread of
 * their own, when l may use two (the same entries, the same errors).
 */
static int
append_all(tfl_ledger *l, struct tfl__head *head, tfl_txn *txn, tfl_kv *kv,
    const tfl_key *signer, tfl_draft *d, size_t n, tfl_err *err)
{
	size_t i;
	int rc;

	if (n >= PIPE_MIN && tfl__ledger_threads(l) > 1 &&
	    (rc = tfl__append_pipelined(l, txn, kv, head, signer, d, n,
	    err)) != TFL__NO_THREAD)
		return rc;
	for (i = 0; i < n; i++) {
		if ((rc = append_one(head, txn, kv, signer, &d[i], err)) != 0)
			return rc;
		if (l->progress != NULL)
			l->progress(l->progress_ctx, i + 1, n);
	}
	return 0;
}

/*
 * A long command that may not fit in the map stops before it writes
 * (TFL_EFULL with head->need set), for append to grow the map once
 * rather than fail part way through and start again after each doubling.
 */
static int
room_for(struct tfl__head *head, tfl_ledger *l, size_t n, tfl_err *err)
{
	uint64_t room;
	int rc;

	if (n < PIPE_MIN || head->reserved)
		return 0;
	if ((rc = tfl_store_room(&room, l->store, err)) != 0)
		return rc;
	if (room / ROOM_PER_ENTRY >= n)
		return 0;
	head->need = (uint64_t)n * ROOM_PER_ENTRY;
	return tfl_err_set(err, TFL_EFULL, "the map has no room for %zu "
	    "entries", n);
}

/* Grow the map until head->need fits; a failure leaves it to the try. */
static void
reserve(struct tfl__head *head, tfl_ledger *l)
{
	tfl_err ignored = TFL_ERR_INIT;
	uint64_t room;
	int tries;

	for (tries = 0; tries < MAX_GROW; tries++)
		if (tfl_store_room(&room, l->store, &ignored) != 0 ||
		    room >= head->need ||
		    tfl_store_grow(l->store, &ignored) != 0)
			break;
	head->need = 0;
	head->reserved = 1;
}

static int
try_append(uint64_t *out_seq, tfl_ledger *l, const tfl_key *signer,
    tfl_ledger_build_fn build, void *ctx, struct tfl__head *head,
    tfl_err *err)
{
	tfl_draft *drafts = NULL;
	tfl_txn *txn = NULL;
	tfl__kvcache *cache = NULL;
	tfl_kv kv, store_kv;
	size_t i, n = 0;
	int rc;

	if ((rc = tfl_store_begin(&txn, l->store, 1, err)) != 0)
		goto out;
	if (l->clock != NULL) /* now that the writer lock is ours */
		head->now = l->clock(l->clock_ctx);
	tfl__txn_kv(&store_kv, txn);
	if (tfl__kvcache_new(&cache, &kv, &store_kv) != 0) {
		rc = tfl_err_set(err, TFL_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = read_head(head, txn, &kv, err)) != 0 ||
	    (head->size > 0 && (rc = check_signer_key(&kv, signer, err)) != 0) ||
	    (rc = build(ctx, &kv, &drafts, &n, err)) != 0)
		goto out;
	if (n == 0) {
		rc = tfl_err_set(err, TFL_EINVAL, "nothing to append");
		goto out;
	}
	if ((rc = room_for(head, l, n, err)) != 0 ||
	    (rc = append_all(l, head, txn, &kv, signer, drafts, n, err)) != 0 ||
	    (rc = tfl__kvcache_flush(cache, err)) != 0)
		goto out;
	rc = tfl_store_commit(txn, err);
	txn = NULL;
	if (rc == 0 && out_seq != NULL)
		*out_seq = head->size - 1;
out:
	tfl_store_abort(txn);
	tfl__kvcache_free(cache);
	for (i = 0; i < n; i++)
		tfl_entry_free(drafts[i].e);
	free(drafts);
	return rc;
}

void
tfl_ledger_set_progress(tfl_ledger *l,
    void (*fn)(void *ctx, uint64_t done, uint64_t total), void *ctx)
{
	l->progress = fn;
	l->progress_ctx = ctx;
}

void
tfl_ledger_set_clock(tfl_ledger *l, int64_t (*fn)(void *ctx), void *ctx)
{
	l->clock = fn;
	l->clock_ctx = ctx;
}

void
tfl_ledger_set_threads(tfl_ledger *l, unsigned n)
{
	l->threads = n;
}

void
tfl_ledger_set_scratch(tfl_ledger *l, const char *tmpdir, size_t mem)
{
	l->tmpdir = tmpdir;
	l->scratch_mem = mem;
}

unsigned
tfl__ledger_threads(const tfl_ledger *l)
{
	long n = l->threads;

#ifdef _SC_NPROCESSORS_ONLN
	if (n == 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
#endif
	return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

/*
 * Append with map growth and retry; origin is given only for genesis.  A
 * command known to make about expect entries grows the map first, if it
 * must, rather than build its drafts, find no room and build them again.
 */
static int
append(uint64_t *out_seq, tfl_ledger *l, const tfl_key *signer,
    tfl_ledger_build_fn build, void *ctx, int64_t now, const char *origin,
    size_t expect, tfl_err *err)
{
	struct tfl__head head;
	int rc, tries;

	if (l->flags & TFL_LEDGER_RDONLY)
		return tfl_err_set(err, TFL_EIO, "ledger is open read-only");
	memset(&head, 0, sizeof(head));
	head.now = now;
	if (origin != NULL)
		snprintf(head.origin, sizeof(head.origin), "%s", origin);
	if (expect >= PIPE_MIN) {
		head.need = (uint64_t)expect * ROOM_PER_ENTRY;
		reserve(&head, l);
	}
	for (tries = 0;; tries++) {
		rc = try_append(out_seq, l, signer, build, ctx, &head, err);
		if (rc == TFL_EFULL && head.need > 0) {
			reserve(&head, l);
			continue;
		}
		if (rc != TFL_EFULL || tries == MAX_GROW)
			break;
		if ((rc = tfl_store_grow(l->store, err)) != 0)
			break;
	}
	return rc;
}

struct given {
	tfl_entry *const *drafts;
	size_t n;
};

/* A build function that hands over entries the caller made. */
static int
build_given(void *ctx, tfl_kv *state, tfl_draft **out, size_t *n,
    tfl_err *err)
{
	struct given *g = ctx;
	tfl_draft *d;
	size_t i;
	int rc = 0;

	(void)state;
	if ((d = calloc(g->n > 0 ? g->n : 1, sizeof(*d))) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	/* Copy, so that a retry after map growth sees fresh drafts. */
	for (i = 0; i < g->n && rc == 0; i++)
		rc = tfl__entry_clone(&d[i].e, g->drafts[i], err);
	*out = d;
	*n = rc == 0 ? g->n : i - 1;
	return rc;
}

int
tfl_ledger_append(uint64_t *out_seq, tfl_ledger *l, const tfl_key *signer,
    tfl_entry *const *drafts, size_t n, int64_t now, tfl_err *err)
{
	struct given g = { drafts, n };

	return append(out_seq, l, signer, build_given, &g, now, NULL, n, err);
}

int
tfl_ledger_append_built(uint64_t *out_seq, tfl_ledger *l,
    const tfl_key *signer, tfl_ledger_build_fn build, void *ctx,
    int64_t now, tfl_err *err)
{
	return append(out_seq, l, signer, build, ctx, now, NULL, 0, err);
}

int
tfl__ledger_append_expecting(tfl_ledger *l, const tfl_key *signer,
    tfl_ledger_build_fn build, void *ctx, int64_t now, size_t expect,
    tfl_err *err)
{
	return append(NULL, l, signer, build, ctx, now, NULL, expect, err);
}

/* Make dir (mode 0700) unless it exists. */
static int
make_dir(const char *dir, tfl_err *err)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return tfl_err_set(err, TFL_EIO, "ledger \"%s\": mkdir: %s", dir,
		    strerror(errno));
	return 0;
}

static int
genesis_draft(tfl_entry **out, const tfl_genesis *g, const tfl_key *admin,
    tfl_err *err)
{
	char vk[512], lk[512];
	tfl_verifier v;
	tfl_entry *e = NULL;
	int rc;

	tfl_verifier_of_key(&v, admin);
	if ((rc = tfl_verifier_format(vk, sizeof(vk), &v)) != 0 ||
	    (rc = tfl_verifier_format(lk, sizeof(lk),
	    g->log_key != NULL ? g->log_key : &v)) != 0)
		return tfl_err_set(err, TFL_EINVAL, "key name too long");
	if ((rc = tfl_entry_new(&e, TFL_ENTRY_GENESIS, err)) != 0 ||
	    (rc = tfl_entry_set(e, "fund", g->fund, err)) != 0 ||
	    (rc = tfl_entry_set(e, "currency", g->currency, err)) != 0 ||
	    (rc = tfl_entry_set(e, "admin-key", vk, err)) != 0 ||
	    (rc = tfl_entry_set(e, "log-key", lk, err)) != 0) {
		tfl_entry_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

int
tfl_ledger_create(tfl_ledger **out, const char *dir, const tfl_genesis *g,
    const tfl_key *admin, int64_t now, tfl_err *err)
{
	tfl_entry *genesis = NULL;
	tfl_ledger *l = NULL;
	struct given given;
	uint64_t size;
	tfl_txn *txn = NULL;
	int rc;

	if ((rc = genesis_draft(&genesis, g, admin, err)) != 0 ||
	    (rc = tfl_entry_set_header(genesis, g->origin, 0, now,
	    (const uint8_t[TFL_HASH_SIZE]){ 0 }, err)) != 0 ||
	    (rc = make_dir(dir, err)) != 0)
		goto out;
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		rc = tfl_err_set(err, TFL_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = tfl_store_open(&l->store, dir, TFL_STORE_CREATE, err)) != 0 ||
	    (rc = tfl_store_begin(&txn, l->store, 0, err)) != 0 ||
	    (rc = tfl_store_size(&size, txn, err)) != 0)
		goto out;
	tfl_store_abort(txn);
	txn = NULL;
	if (size != 0) {
		rc = tfl_err_set(err, TFL_EEXIST, "ledger \"%s\": already "
		    "initialised with %llu entries", dir,
		    (unsigned long long)size);
		goto out;
	}
	given.drafts = &genesis;
	given.n = 1;
	if ((rc = append(NULL, l, admin, build_given, &given, now, g->origin, 0,
	    err)) != 0)
		goto out;
	*out = l;
	l = NULL;
out:
	tfl_store_abort(txn);
	tfl_entry_free(genesis);
	tfl_ledger_close(l);
	return rc;
}

/* Run fn(ctx, txn, kv) in a read transaction. */
static int
with_read(tfl_ledger *l, int (*fn)(void *, tfl_txn *, tfl_kv *, tfl_err *),
    void *ctx, tfl_err *err)
{
	tfl_txn *txn = NULL;
	tfl_kv kv;
	int rc;

	if ((rc = tfl_store_begin(&txn, l->store, 0, err)) != 0)
		return rc;
	tfl__txn_kv(&kv, txn);
	rc = fn(ctx, txn, &kv, err);
	tfl_store_abort(txn);
	return rc;
}

static int
read_info(void *ctx, tfl_txn *txn, tfl_kv *kv, tfl_err *err)
{
	(void)txn;
	return tfl_fund_info_get(ctx, kv, err);
}

int
tfl_ledger_info(tfl_fund_info *out, tfl_ledger *l, tfl_err *err)
{
	return with_read(l, read_info, out, err);
}

struct blob {
	char *data;
	size_t len;
	uint64_t seq;
};

static int
read_entry(void *ctx, tfl_txn *txn, tfl_kv *kv, tfl_err *err)
{
	struct blob *b = ctx;
	uint64_t size;
	int rc;

	(void)kv;
	if ((rc = tfl_store_size(&size, txn, err)) != 0)
		return rc;
	if (b->seq >= size)
		return tfl_err_set(err, TFL_ENOTFOUND,
		    "seq %llu: beyond the end of the ledger (%llu entries)",
		    (unsigned long long)b->seq, (unsigned long long)size);
	return tfl_store_entry_get(&b->data, &b->len, txn, b->seq, err);
}

int
tfl_ledger_entry(char **out, size_t *out_len, tfl_ledger *l, uint64_t seq,
    tfl_err *err)
{
	struct blob b = { NULL, 0, seq };
	int rc = with_read(l, read_entry, &b, err);

	if (rc == 0) {
		*out = b.data;
		*out_len = b.len;
	}
	return rc;
}

static int
read_latest(void *ctx, tfl_txn *txn, tfl_kv *kv, tfl_err *err)
{
	struct blob *b = ctx;
	int rc;

	(void)kv;
	rc = tfl_store_checkpoint_get(&b->data, &b->len, &b->seq, txn,
	    UINT64_MAX, err);
	if (rc == TFL_ENOTFOUND)
		return tfl_err_set(err, rc, "no checkpoint has been published");
	return rc;
}

int
tfl_ledger_checkpoint_latest(char **out, size_t *out_len, tfl_ledger *l,
    tfl_err *err)
{
	struct blob b = { NULL, 0, 0 };
	int rc = with_read(l, read_latest, &b, err);

	if (rc == 0) {
		*out = b.data;
		*out_len = b.len;
	}
	return rc;
}

struct keys_ctx {
	int (*fn)(void *ctx, const tfl_fund_key *key);
	void *ctx;
};

static int
read_keys(void *ctx, tfl_txn *txn, tfl_kv *kv, tfl_err *err)
{
	struct keys_ctx *k = ctx;

	(void)txn;
	return tfl_fund_key_foreach(kv, k->fn, k->ctx, err);
}

int
tfl_ledger_keys(tfl_ledger *l, int (*fn)(void *ctx, const tfl_fund_key *key),
    void *ctx, tfl_err *err)
{
	struct keys_ctx k = { fn, ctx };

	return with_read(l, read_keys, &k, err);
}

int
tfl__log_key_revoked(uint64_t *out, tfl_kv *kv, const tfl_fund_info *info,
    tfl_err *err)
{
	tfl_fund_key k;
	int rc;

	*out = UINT64_MAX;
	rc = tfl_fund_key_get(&k, kv, info->log_key.name, err);
	if (rc == TFL_ENOTFOUND)
		return 0;
	if (rc == 0 && k.revoked && memcmp(k.verifier.pub, info->log_key.pub,
	    sizeof(k.verifier.pub)) == 0)
		*out = k.revoked_seq;
	return rc;
}

/*
 * Sign and store a checkpoint of the tree, with the digest of the fund
 * state and its snapshot, in a write transaction.
 */
static int
try_checkpoint(struct blob *b, tfl_ledger *l, const tfl_key *log_key,
    tfl_err *err)
{
	tfl_checkpoint cp;
	tfl_fund_info info;
	tfl_verifier v;
	uint64_t revoked;
	tfl_txn *txn = NULL;
	tfl_kv kv;
	char *text = NULL;
	size_t textlen;
	int rc;

	if ((rc = tfl_store_begin(&txn, l->store, 1, err)) != 0)
		return rc;
	tfl__txn_kv(&kv, txn);
	if ((rc = tfl_fund_info_get(&info, &kv, err)) != 0)
		goto out;
	tfl_verifier_of_key(&v, log_key);
	if (strcmp(v.name, info.log_key.name) != 0 ||
	    memcmp(v.pub, info.log_key.pub, sizeof(v.pub)) != 0) {
		rc = tfl_err_set(err, TFL_ERULE, "key \"%s\": not this "
		    "ledger's log key \"%s\"", v.name, info.log_key.name);
		goto out;
	}
	if ((rc = tfl__log_key_revoked(&revoked, &kv, &info, err)) != 0)
		goto out;
	if (revoked != UINT64_MAX) {
		rc = tfl_err_set(err, TFL_ERULE, "key \"%s\": the log key was "
		    "revoked at seq %llu", v.name, (unsigned long long)revoked);
		goto out;
	}
	memset(&cp, 0, sizeof(cp));
	memcpy(cp.origin, info.origin, sizeof(cp.origin));
	cp.has_state = 1;
	if ((rc = tfl_store_size(&cp.size, txn, err)) != 0 ||
	    (rc = tfl_merkle_root(cp.root, cp.size, tfl_store_node_get, txn,
	    err)) != 0 ||
	    (rc = tfl__snapshot_make(cp.state, txn, cp.size, err)) != 0 ||
	    (rc = tfl_checkpoint_format(&text, &textlen, &cp, err)) != 0 ||
	    (rc = tfl_note_sign(&b->data, &b->len, text, textlen, &log_key, 1,
	    err)) != 0 ||
	    (rc = tfl_store_checkpoint_put(txn, cp.size, b->data, b->len,
	    err)) != 0)
		goto out;
	rc = tfl_store_commit(txn, err);
	txn = NULL;
out:
	tfl_store_abort(txn);
	free(text);
	if (rc != 0) {
		free(b->data);
		b->data = NULL;
	}
	return rc;
}

int
tfl_ledger_checkpoint(char **out, size_t *out_len, tfl_ledger *l,
    const tfl_key *log_key, tfl_err *err)
{
	struct blob b = { NULL, 0, 0 };
	int rc, tries;

	for (tries = 0;; tries++) {
		rc = try_checkpoint(&b, l, log_key, err);
		if (rc != TFL_EFULL || tries == MAX_GROW)
			break;
		if ((rc = tfl_store_grow(l->store, err)) != 0)
			break;
	}
	if (rc == 0) {
		*out = b.data;
		*out_len = b.len;
	}
	return rc;
}

struct read_ctx {
	int (*fn)(void *ctx, tfl_kv *state, tfl_err *err);
	void *ctx;
};

static int
read_state(void *ctx, tfl_txn *txn, tfl_kv *kv, tfl_err *err)
{
	struct read_ctx *r = ctx;

	(void)txn;
	return r->fn(r->ctx, kv, err);
}

int
tfl_ledger_read(tfl_ledger *l,
    int (*fn)(void *ctx, tfl_kv *state, tfl_err *err), void *ctx,
    tfl_err *err)
{
	struct read_ctx r = { fn, ctx };

	return with_read(l, read_state, &r, err);
}
