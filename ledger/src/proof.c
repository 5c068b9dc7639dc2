/*
 * proof.c - inclusion and consistency proofs read from the stored tree,
 * and their verification with nothing but the log key (proof.h).
 *
 * What a proof is checked against is always recomputed from signed or
 * hashed bytes (the checkpoint's root, the note's leaf hash); the sizes,
 * roots and leaf hashes a proof file states are only compared with them.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_internal.h"
#include "proof_internal.h"
#include "tfledger/proof.h"

#define H TFL_HASH_SIZE

/* What the stored state says of the ledger, for the ledger-side checks. */
struct view {
	tfl_fund_info info;
	uint64_t size;	  /* stored entries */
	uint64_t revoked; /* the log key's revocation seq, or UINT64_MAX */
};

int
tfl__check(tfl_checks *cs, const char *name, int rc, const tfl_err *err,
    const char *fmt, ...)
{
	tfl_check *c;
	va_list ap;

	if (cs == NULL || cs->n == TFL_CHECKS_MAX)
		return rc;
	c = &cs->c[cs->n++];
	c->name = name;
	c->ok = rc == 0;
	if (rc != 0) {
		snprintf(c->detail, sizeof(c->detail), "%s", err->msg);
		return rc;
	}
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
	return rc;
}

/* A stored tree node; a missing one means a damaged ledger. */
static int
stored_node(void *txn, unsigned level, uint64_t index, uint8_t out[H],
    tfl_err *err)
{
	int rc = tfl_store_node_get(txn, level, index, out, err);

	if (rc == TFL_ENOTFOUND)
		return tfl_err_set(err, TFL_EVERIFY, "stored tree node (%u, %"
		    PRIu64 ") is missing", level, index);
	return rc;
}

int
tfl__proof_extends(size_t *out_len, tfl_txn *txn, uint64_t size,
    const tfl_checkpoint *old, const char *what, tfl_err *err)
{
	uint8_t root[H], path[TFL_MERKLE_MAX_PROOF][H];
	int rc;

	*out_len = 0;
	if (old->size > size)
		return tfl_err_set(err, TFL_EVERIFY, "%s of size %" PRIu64
		    ": the ledger has only %" PRIu64 " entries (truncated or "
		    "rolled back)", what, old->size, size);
	if ((rc = tfl_merkle_root(root, size, stored_node, txn, err)) != 0 ||
	    (rc = tfl_merkle_consistency(path, out_len, old->size, size,
	    stored_node, txn, err)) != 0)
		return rc;
	if (tfl_merkle_verify_consistency(old->size, size, old->root, root,
	    (const uint8_t(*)[H])path, *out_len, err) != 0)
		return tfl_err_set(err, TFL_EVERIFY, "%s of size %" PRIu64
		    ": the ledger's tree of size %" PRIu64 " does not extend "
		    "it (rewritten history or a fork)", what, old->size, size);
	return 0;
}

static int
read_view(struct view *v, tfl_txn *txn, tfl_err *err)
{
	tfl_kv kv;
	int rc;

	tfl__txn_kv(&kv, txn);
	if ((rc = tfl_store_size(&v->size, txn, err)) != 0 ||
	    (rc = tfl_fund_info_get(&v->info, &kv, err)) != 0)
		return rc;
	return tfl__log_key_revoked(&v->revoked, &kv, &v->info, err);
}

/* The stored tree must hold size leaves. */
static int
covers(tfl_txn *txn, uint64_t size, tfl_err *err)
{
	uint64_t have;
	int rc;

	if ((rc = tfl_store_size(&have, txn, err)) != 0)
		return rc;
	if (size > have)
		return tfl_err_set(err, TFL_ENOTFOUND, "tree size %" PRIu64
		    ": the ledger has only %" PRIu64 " entries", size, have);
	return 0;
}

int
tfl_proof_inclusion(uint8_t out[][H], size_t *out_len, tfl_ledger *l,
    uint64_t seq, uint64_t size, tfl_err *err)
{
	tfl_txn *txn = NULL;
	int rc;

	*out_len = 0;
	if ((rc = tfl_store_begin(&txn, l->store, 0, err)) != 0)
		return rc;
	if ((rc = covers(txn, size, err)) == 0)
		rc = tfl_merkle_inclusion(out, out_len, seq, size, stored_node,
		    txn, err);
	tfl_store_abort(txn);
	return rc;
}

int
tfl_proof_consistency(uint8_t out[][H], size_t *out_len, tfl_ledger *l,
    uint64_t size1, uint64_t size2, tfl_err *err)
{
	tfl_txn *txn = NULL;
	int rc;

	*out_len = 0;
	if ((rc = tfl_store_begin(&txn, l->store, 0, err)) != 0)
		return rc;
	if ((rc = covers(txn, size2, err)) == 0)
		rc = tfl_merkle_consistency(out, out_len, size1, size2,
		    stored_node, txn, err);
	tfl_store_abort(txn);
	return rc;
}

/* Parse a checkpoint note's text into out; TFL_EINVAL naming what. */
static int
parse_cp(tfl_checkpoint *out, const char *data, size_t len,
    const char *what, tfl_err *err)
{
	tfl_note note;
	int rc;

	if ((rc = tfl_note_parse(&note, data, len, err)) == 0) {
		rc = tfl_checkpoint_parse(out, note.text, note.textlen, err);
		tfl_note_release(&note);
	}
	if (rc != 0)
		tfl_err_prefix(err, "%s", what);
	return rc;
}

/*
 * cp is of the ledger in v: its origin, no larger than the ledger, not
 * signed after the log key's revocation, and (when root) its root is
 * the stored tree's.
 */
static int
of_ledger(const tfl_checkpoint *cp, const struct view *v, tfl_txn *txn,
    int root, const char *what, tfl_err *err)
{
	uint8_t r[H];
	int rc;

	if (strcmp(cp->origin, v->info.origin) != 0)
		return tfl_err_set(err, TFL_EVERIFY, "%s of size %" PRIu64
		    ": origin \"%.64s\" is not this ledger's", what, cp->size,
		    cp->origin);
	if (cp->size > v->size)
		return tfl_err_set(err, TFL_EVERIFY, "%s of size %" PRIu64
		    ": the ledger has only %" PRIu64 " entries (truncated or "
		    "rolled back)", what, cp->size, v->size);
	if (cp->size > v->revoked)
		return tfl_err_set(err, TFL_EVERIFY, "%s of size %" PRIu64
		    ": signed by the log key after its revocation at seq %"
		    PRIu64, what, cp->size, v->revoked);
	if (!root)
		return 0;
	if ((rc = tfl_merkle_root(r, cp->size, stored_node, txn, err)) != 0)
		return rc;
	if (memcmp(r, cp->root, H) != 0)
		return tfl_err_set(err, TFL_EVERIFY, "%s of size %" PRIu64
		    ": root does not match the ledger's tree (rewritten "
		    "history or a fork)", what, cp->size);
	return 0;
}

/* The given checkpoint note (copied), else the latest stored one. */
static int
get_cp(char **out, size_t *out_len, tfl_ledger *l, const char *given,
    size_t len, tfl_err *err)
{
	if (given == NULL)
		return tfl_ledger_checkpoint_latest(out, out_len, l, err);
	if ((*out = tfl__strndup(given, len)) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	*out_len = len;
	return 0;
}

/* Fill p's proof of seq from the stored tree, after the ledger check. */
static int
build_inclusion(tfl_inclusion *p, tfl_checks *checks, const struct view *v,
    tfl_txn *txn, uint64_t seq, tfl_err *err)
{
	tfl_checkpoint cp;
	int rc;

	memset(&cp, 0, sizeof(cp));
	rc = parse_cp(&cp, p->checkpoint, p->checkpoint_len, "checkpoint",
	    err);
	if (rc == 0)
		rc = of_ledger(&cp, v, txn, 1, "checkpoint", err);
	if (rc == 0 && seq >= cp.size)
		rc = tfl_err_set(err, TFL_EINVAL, "seq %" PRIu64 ": not in the "
		    "tree of checkpoint size %" PRIu64, seq, cp.size);
	if (tfl__check(checks, "ledger", rc, err, "checkpoint of size %"
	    PRIu64 " is this ledger's: its root is the stored tree's",
	    cp.size) != 0)
		return rc;
	p->seq = seq;
	p->size = cp.size;
	memcpy(p->root, cp.root, H);
	if ((rc = tfl_store_entry_get(&p->note, &p->note_len, txn, seq,
	    err)) != 0 ||
	    (rc = tfl_merkle_inclusion(p->path, &p->len, seq, cp.size,
	    stored_node, txn, err)) != 0)
		return rc;
	tfl_merkle_leaf_hash(p->leaf, p->note, p->note_len);
	return 0;
}

int
tfl_proof_entry(tfl_inclusion *out, tfl_checks *checks, tfl_ledger *l,
    uint64_t seq, const char *checkpoint, size_t len, tfl_err *err)
{
	tfl_txn *txn = NULL;
	struct view v;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = tfl_store_begin(&txn, l->store, 0, err)) != 0)
		return rc;
	if ((rc = read_view(&v, txn, err)) != 0 ||
	    (rc = get_cp(&out->checkpoint, &out->checkpoint_len, l,
	    checkpoint, len, err)) != 0 ||
	    (rc = build_inclusion(out, checks, &v, txn, seq, err)) != 0)
		goto out;
	rc = tfl_proof_verify_inclusion(checks, out, &v.info.log_key, err);
out:
	tfl_store_abort(txn);
	if (rc != 0)
		tfl_inclusion_release(out);
	return rc;
}

void
tfl_inclusion_release(tfl_inclusion *p)
{
	if (p == NULL)
		return;
	free(p->note);
	free(p->checkpoint);
	p->note = p->checkpoint = NULL;
}

/* A failure about a proof's pieces is a verification failure. */
static int
reject(tfl_err *err, int rc, const char *what)
{
	if (rc == TFL_ENOMEM || rc == TFL_ECRYPTO)
		return rc;
	err->code = TFL_EVERIFY;
	tfl_err_prefix(err, "%s", what);
	return TFL_EVERIFY;
}

/*
 * Parse a checkpoint note signed by log_key into out; it must state
 * size and root.
 */
static int
signed_cp(tfl_checkpoint *out, const char *data, size_t len,
    const tfl_verifier *log_key, uint64_t size, const uint8_t root[H],
    const char *what, tfl_err *err)
{
	tfl_note note;
	int rc;

	if (data == NULL)
		return tfl_err_set(err, TFL_EVERIFY, "%s: missing", what);
	if ((rc = tfl_note_parse(&note, data, len, err)) != 0)
		return reject(err, rc, what);
	rc = tfl_checkpoint_parse(out, note.text, note.textlen, err);
	if (rc == 0 && (rc = tfl_note_verify(NULL, &note, log_key, 1,
	    err)) == TFL_EVERIFY)
		tfl_err_prefix(err, "not signed by the log key %s",
		    log_key->name);
	tfl_note_release(&note);
	if (rc != 0)
		return reject(err, rc, what);
	if (out->size != size)
		return tfl_err_set(err, TFL_EVERIFY, "%s of size %" PRIu64
		    ": the proof states size %" PRIu64, what, out->size, size);
	if (memcmp(out->root, root, H) != 0)
		return tfl_err_set(err, TFL_EVERIFY, "%s of size %" PRIu64
		    ": the proof states another root", what, out->size);
	return 0;
}

/* p's note is entry p->seq of origin, with leaf hash p->leaf. */
static int
check_entry(const tfl_inclusion *p, const char *origin, tfl_err *err)
{
	uint8_t leaf[H];
	tfl_entry *e = NULL;
	tfl_note note;
	int rc;

	if (p->note == NULL)
		return tfl_err_set(err, TFL_EVERIFY, "entry: missing");
	if ((rc = tfl_note_parse(&note, p->note, p->note_len, err)) != 0)
		return reject(err, rc, "entry");
	if ((rc = tfl_entry_note_one_signature(&note, err)) == 0)
		rc = tfl_entry_decode(&e, note.text, note.textlen, err);
	tfl_note_release(&note);
	if (rc != 0)
		return reject(err, rc, "entry");
	if (tfl_entry_seq(e) != p->seq)
		rc = tfl_err_set(err, TFL_EVERIFY, "entry: its seq is %" PRIu64
		    ", the proof's %" PRIu64, tfl_entry_seq(e), p->seq);
	else if (strcmp(tfl_entry_origin(e), origin) != 0)
		rc = tfl_err_set(err, TFL_EVERIFY, "seq %" PRIu64 ": origin "
		    "\"%.64s\" is not the checkpoint's", p->seq,
		    tfl_entry_origin(e));
	tfl_entry_free(e);
	if (rc != 0)
		return rc;
	tfl_merkle_leaf_hash(leaf, p->note, p->note_len);
	if (memcmp(leaf, p->leaf, H) != 0)
		return tfl_err_set(err, TFL_EVERIFY, "seq %" PRIu64 ": the "
		    "note's leaf hash is not the one the proof states", p->seq);
	return 0;
}

int
tfl_proof_verify_inclusion(tfl_checks *checks, const tfl_inclusion *p,
    const tfl_verifier *log_key, tfl_err *err)
{
	tfl_checkpoint cp;
	int rc;

	rc = signed_cp(&cp, p->checkpoint, p->checkpoint_len, log_key,
	    p->size, p->root, "checkpoint", err);
	if (tfl__check(checks, "checkpoint", rc, err, "size %" PRIu64
	    ", signed by the log key %s", p->size, log_key->name) != 0)
		return rc;
	rc = check_entry(p, cp.origin, err);
	if (tfl__check(checks, "entry", rc, err, "seq %" PRIu64 " of %s, "
	    "leaf hash recomputed from its note", p->seq, cp.origin) != 0)
		return rc;
	if ((rc = tfl_merkle_verify_inclusion(p->seq, p->size, p->leaf,
	    (const uint8_t(*)[H])p->path, p->len, p->root, err)) != 0)
		tfl_err_prefix(err, "seq %" PRIu64, p->seq);
	return tfl__check(checks, "inclusion", rc, err, "seq %" PRIu64
	    " is in the tree of size %" PRIu64 " (%zu hashes)", p->seq,
	    p->size, p->len);
}

/* Fill p from the two notes and the stored tree, after the ledger check. */
static int
build_consistency(tfl_consistency *p, tfl_checks *checks,
    const struct view *v, tfl_txn *txn, tfl_err *err)
{
	tfl_checkpoint a, b;
	int rc;

	if ((rc = parse_cp(&a, p->old_cp, p->old_cp_len, "old checkpoint",
	    err)) != 0 ||
	    (rc = parse_cp(&b, p->new_cp, p->new_cp_len, "new checkpoint",
	    err)) != 0)
		return tfl__check(checks, "ledger", rc, err, "%s", "");
	if ((rc = of_ledger(&a, v, txn, 0, "old checkpoint", err)) == 0 &&
	    (rc = of_ledger(&b, v, txn, 1, "new checkpoint", err)) == 0 &&
	    a.size > b.size)
		rc = tfl_err_set(err, TFL_EVERIFY, "old checkpoint of size %"
		    PRIu64 ": larger than the new one of size %" PRIu64
		    " (truncated or rolled back)", a.size, b.size);
	if (tfl__check(checks, "ledger", rc, err, "new checkpoint of size %"
	    PRIu64 " is this ledger's: its root is the stored tree's",
	    b.size) != 0)
		return rc;
	p->old_size = a.size;
	p->new_size = b.size;
	memcpy(p->old_root, a.root, H);
	memcpy(p->new_root, b.root, H);
	return tfl_merkle_consistency(p->path, &p->len, a.size, b.size,
	    stored_node, txn, err);
}

int
tfl_proof_checkpoints(tfl_consistency *out, tfl_checks *checks,
    tfl_ledger *l, const char *old, size_t old_len, const char *new_cp,
    size_t new_len, tfl_err *err)
{
	tfl_txn *txn = NULL;
	struct view v;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = tfl_store_begin(&txn, l->store, 0, err)) != 0)
		return rc;
	if ((rc = read_view(&v, txn, err)) != 0 ||
	    (rc = get_cp(&out->old_cp, &out->old_cp_len, l, old, old_len,
	    err)) != 0 ||
	    (rc = get_cp(&out->new_cp, &out->new_cp_len, l, new_cp,
	    new_len, err)) != 0 ||
	    (rc = build_consistency(out, checks, &v, txn, err)) != 0)
		goto out;
	rc = tfl_proof_verify_consistency(checks, out, &v.info.log_key, err);
out:
	tfl_store_abort(txn);
	if (rc != 0)
		tfl_consistency_release(out);
	return rc;
}

void
tfl_consistency_release(tfl_consistency *p)
{
	if (p == NULL)
		return;
	free(p->old_cp);
	free(p->new_cp);
	p->old_cp = p->new_cp = NULL;
}

int
tfl_proof_verify_consistency(tfl_checks *checks, const tfl_consistency *p,
    const tfl_verifier *log_key, tfl_err *err)
{
	tfl_checkpoint a, b;
	int rc;

	rc = signed_cp(&a, p->old_cp, p->old_cp_len, log_key, p->old_size,
	    p->old_root, "old checkpoint", err);
	if (tfl__check(checks, "old checkpoint", rc, err, "size %" PRIu64
	    ", signed by the log key %s", p->old_size, log_key->name) != 0)
		return rc;
	rc = signed_cp(&b, p->new_cp, p->new_cp_len, log_key, p->new_size,
	    p->new_root, "new checkpoint", err);
	if (rc == 0 && strcmp(a.origin, b.origin) != 0)
		rc = tfl_err_set(err, TFL_EVERIFY, "new checkpoint: origin "
		    "\"%.64s\" is not the old one's", b.origin);
	if (tfl__check(checks, "new checkpoint", rc, err, "size %" PRIu64
	    ", signed by the log key %s", p->new_size, log_key->name) != 0)
		return rc;
	/* signed_cp filled a and b (rc 0): the analyzer cannot see into */
	/* tfl_checkpoint_parse, in another file */
	/* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage) */
	if ((rc = tfl_merkle_verify_consistency(a.size, b.size, a.root,
	    b.root, (const uint8_t(*)[H])p->path, p->len, err)) != 0)
		tfl_err_prefix(err, "old checkpoint of size %" PRIu64 ": the "
		    "tree of size %" PRIu64 " does not extend it (rewritten "
		    "history or a fork)", a.size, b.size);
	return tfl__check(checks, "consistency", rc, err, "the tree of size %"
	    PRIu64 " extends the tree of size %" PRIu64 " (%zu hashes)",
	    p->new_size, p->old_size, p->len);
}
