/*
 * check_proof.c - inclusion and consistency proofs and the incremental
 * audit (proof.h, tfl_verify_opts.since in ledger.h).
 *
 * Each test gets a fresh directory holding a new ledger made with the
 * library: genesis by an admin key with a separate log key, a recorder
 * enrolled, then donors.  Proofs are checked with tfl_merkle_verify_*
 * against roots recomputed here from the entries' bytes, not from the
 * stored tree.  A fork is a twin ledger built from the same keys at the
 * same times (Ed25519 signatures are deterministic) until it diverges.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tfledger/checkpoint.h"
#include "tfledger/entry.h"
#include "tfledger/keys.h"
#include "tfledger/ledger.h"
#include "tfledger/merkle.h"
#include "tfledger/note.h"
#include "tfledger/proof.h"

#define H	TFL_HASH_SIZE
#define ORIGIN	"example.org/unvtf/proof"
#define T0	((int64_t)1795000000) /* 2026-11-18T11:06:40Z */
#define MAXN	64

static struct tu_ledger tl;
static char *dir2;
static tfl_ledger *twin;
static tfl_key *logk;
static tfl_verifier logv;

/* The fixture's ledger and its twin: genesis at T0, rec enrolled at T0 + 1. */
static const tfl_genesis genesis = { ORIGIN, "Proof Test Fund", "USD",
	&logv };

/* Donors prefix-first..prefix-(first+n-1), appended to l in one batch. */
static void
donors(tfl_ledger *l, const char *prefix, int first, int n, int64_t now)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *es[MAXN];
	char id[32];
	int i;

	ck_assert_int_le(n, MAXN);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%s-%d", prefix, first + i);
		es[i] = tu_entry_new(TFL_ENTRY_DONOR, "id", id, "name",
		    "A donor", "kind", "government", "anonymous", "no", NULL);
	}
	ck_assert_msg(tu_append(NULL, l, tl.rec, now, es, (size_t)n,
	    &err) == 0, "%s", err.msg);
}

static void
setup(void)
{
	logk = tu_key_new("log.test");
	tfl_verifier_of_key(&logv, logk);
	tu_ledger_open(&tl, &genesis, T0, TU_ENROLL_RECORDER);
}

static void
teardown(void)
{
	tu_ledger_close(&tl);
	tfl_ledger_close(twin);
	twin = NULL;
	tfl_key_free(logk);
	logk = NULL;
	tu_rmtree(dir2);
	free(dir2);
	dir2 = NULL;
}

/* A twin of the fixture's ledger, identical up to what differs later. */
static void
make_twin(void)
{
	dir2 = tu_tmpdir();
	twin = tu_ledger_create(&tl, dir2, &genesis, T0, TU_ENROLL_RECORDER);
}

/* Sign and store a checkpoint of l's tree; the caller frees it. */
static char *
checkpoint(tfl_ledger *l, size_t *len)
{
	tfl_err err = TFL_ERR_INIT;
	char *note = NULL;

	ck_assert_msg(tfl_ledger_checkpoint(&note, len, l, logk, &err) == 0,
	    "%s", err.msg);
	return note;
}

/* The leaf hashes of entries 0..n-1, from their bytes. */
static void
leaves(uint8_t out[][H], tfl_ledger *l, uint64_t n)
{
	tfl_err err = TFL_ERR_INIT;
	char *note;
	size_t len;
	uint64_t i;

	for (i = 0; i < n; i++) {
		ck_assert_msg(tfl_ledger_entry(&note, &len, l, i, &err) == 0,
		    "%s", err.msg);
		tfl_merkle_leaf_hash(out[i], note, len);
		free(note);
	}
}

/* The root of the first n of leaf[], recomputed with a stream. */
static void
root_of(uint8_t out[H], const uint8_t leaf[][H], uint64_t n)
{
	tfl_merkle_stream s;
	uint64_t i;

	tfl_merkle_stream_init(&s);
	for (i = 0; i < n; i++)
		tfl_merkle_stream_push(&s, leaf[i], NULL);
	tfl_merkle_stream_root(out, &s);
}

static const tfl_check *
last_check(const tfl_checks *cs)
{
	ck_assert_uint_gt(cs->n, 0);
	return &cs->c[cs->n - 1];
}

START_TEST(test_inclusion_proofs_of_every_entry_at_every_size_verify)
{
	uint8_t leaf[13][H], root[H], path[TFL_MERKLE_MAX_PROOF][H];
	tfl_err err = TFL_ERR_INIT;
	uint64_t size, seq;
	size_t len;

	donors(tl.led, "D", 1, 11, T0 + 2);
	leaves(leaf, tl.led, 13);
	for (size = 1; size <= 13; size++) {
		root_of(root, (const uint8_t(*)[H])leaf, size);
		for (seq = 0; seq < size; seq++) {
			ck_assert_msg(tfl_proof_inclusion(path, &len, tl.led,
			    seq, size, &err) == 0, "%s", err.msg);
			ck_assert_msg(tfl_merkle_verify_inclusion(seq, size,
			    leaf[seq], (const uint8_t(*)[H])path, len, root,
			    &err) == 0, "seq %" PRIu64 " size %" PRIu64 ": %s",
			    seq, size, err.msg);
		}
	}
}
END_TEST

START_TEST(test_consistency_proofs_between_every_pair_of_sizes_verify)
{
	uint8_t leaf[13][H], r1[H], r2[H], path[TFL_MERKLE_MAX_PROOF][H];
	tfl_err err = TFL_ERR_INIT;
	uint64_t m, n;
	size_t len;

	donors(tl.led, "D", 1, 11, T0 + 2);
	leaves(leaf, tl.led, 13);
	for (n = 1; n <= 13; n++) {
		root_of(r2, (const uint8_t(*)[H])leaf, n);
		for (m = 1; m <= n; m++) {
			root_of(r1, (const uint8_t(*)[H])leaf, m);
			ck_assert_msg(tfl_proof_consistency(path, &len, tl.led,
			    m, n, &err) == 0, "%s", err.msg);
			ck_assert_msg(tfl_merkle_verify_consistency(m, n, r1,
			    r2, (const uint8_t(*)[H])path, len, &err) == 0,
			    "%" PRIu64 " to %" PRIu64 ": %s", m, n, err.msg);
		}
	}
}
END_TEST

START_TEST(test_proofs_outside_the_ledger_are_refused)
{
	uint8_t path[TFL_MERKLE_MAX_PROOF][H];
	tfl_err err = TFL_ERR_INIT;
	size_t len;

	donors(tl.led, "D", 1, 3, T0 + 2);
	ck_assert_int_eq(tfl_proof_inclusion(path, &len, tl.led, 0, 6, &err),
	    TFL_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, "only 5 entries"));
	ck_assert_int_eq(tfl_proof_inclusion(path, &len, tl.led, 5, 5, &err),
	    TFL_EINVAL);
	ck_assert_int_eq(tfl_proof_consistency(path, &len, tl.led, 0, 5, &err),
	    TFL_EINVAL);
	ck_assert_int_eq(tfl_proof_consistency(path, &len, tl.led, 4, 3, &err),
	    TFL_EINVAL);
	ck_assert_int_eq(tfl_proof_consistency(path, &len, tl.led, 2, 6, &err),
	    TFL_ENOTFOUND);
}
END_TEST

START_TEST(test_proof_entry_is_checked_against_the_latest_checkpoint)
{
	static const char *const names[] = { "ledger", "checkpoint", "entry",
		"inclusion" };
	uint8_t leaf[H];
	tfl_checks cs = { .n = 0 };
	tfl_err err = TFL_ERR_INIT;
	tfl_inclusion p;
	char *cp;
	size_t len, i;

	donors(tl.led, "D", 1, 4, T0 + 2);
	cp = checkpoint(tl.led, &len);
	ck_assert_msg(tfl_proof_entry(&p, &cs, tl.led, 3, NULL, 0, &err) == 0,
	    "%s", err.msg);
	ck_assert_uint_eq(p.seq, 3);
	ck_assert_uint_eq(p.size, 6);
	ck_assert_uint_eq(p.checkpoint_len, len);
	ck_assert_mem_eq(p.checkpoint, cp, len);
	tfl_merkle_leaf_hash(leaf, p.note, p.note_len);
	ck_assert_mem_eq(leaf, p.leaf, H);
	ck_assert_int_eq(tfl_merkle_verify_inclusion(p.seq, p.size, leaf,
	    (const uint8_t(*)[H])p.path, p.len, p.root, &err), 0);
	ck_assert_uint_eq(cs.n, 4);
	for (i = 0; i < 4; i++) {
		ck_assert_str_eq(cs.c[i].name, names[i]);
		ck_assert_int_eq(cs.c[i].ok, 1);
	}
	/* What was returned checks again with nothing but the log key. */
	ck_assert_int_eq(tfl_proof_verify_inclusion(NULL, &p, &logv, &err),
	    0);
	tfl_inclusion_release(&p);
	tfl_inclusion_release(NULL);
	free(cp);
}
END_TEST

START_TEST(test_proof_entry_in_an_older_checkpoint_uses_its_size)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_inclusion p;
	char *old, *cp;
	size_t oldlen, len;

	donors(tl.led, "D", 1, 2, T0 + 2);
	old = checkpoint(tl.led, &oldlen);
	donors(tl.led, "D", 3, 5, T0 + 3);
	cp = checkpoint(tl.led, &len);
	ck_assert_msg(tfl_proof_entry(&p, NULL, tl.led, 1, old, oldlen,
	    &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(p.size, 4);
	tfl_inclusion_release(&p);
	ck_assert_int_eq(tfl_proof_entry(&p, NULL, tl.led, 4, old, oldlen,
	    &err), TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "seq 4"));
	free(old);
	free(cp);
}
END_TEST

START_TEST(test_without_a_checkpoint_there_is_nothing_to_prove_against)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_inclusion p;

	ck_assert_int_eq(tfl_proof_entry(&p, NULL, tl.led, 0, NULL, 0, &err),
	    TFL_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, "no checkpoint"));
}
END_TEST

/* Make the proof of seq 2 in a 7-entry tree; the caller releases it. */
static void
good_proof(tfl_inclusion *p)
{
	tfl_err err = TFL_ERR_INIT;
	char *cp;
	size_t len;

	donors(tl.led, "D", 1, 5, T0 + 2);
	cp = checkpoint(tl.led, &len);
	free(cp);
	ck_assert_msg(tfl_proof_entry(p, NULL, tl.led, 2, NULL, 0, &err) == 0,
	    "%s", err.msg);
}

/* p must fail check name with a message holding what. */
static void
fails(const tfl_inclusion *p, const tfl_verifier *key, const char *name,
    const char *what)
{
	tfl_checks cs = { .n = 0 };
	tfl_err err = TFL_ERR_INIT;

	ck_assert_int_eq(tfl_proof_verify_inclusion(&cs, p, key, &err),
	    TFL_EVERIFY);
	ck_assert_str_eq(last_check(&cs)->name, name);
	ck_assert_int_eq(last_check(&cs)->ok, 0);
	ck_assert_msg(strstr(err.msg, what) != NULL, "%s", err.msg);
}

START_TEST(test_a_modified_proof_hash_fails_the_inclusion_check)
{
	tfl_inclusion p;

	good_proof(&p);
	p.path[1][7] ^= 0x20;
	fails(&p, &logv, "inclusion", "root does not match");
	p.path[1][7] ^= 0x20;
	p.len--;
	fails(&p, &logv, "inclusion", "seq 2");
	tfl_inclusion_release(&p);
}
END_TEST

START_TEST(test_a_modified_note_fails_the_entry_check)
{
	uint8_t leaf[H];
	tfl_inclusion p;
	char *at;

	good_proof(&p);
	at = strstr(p.note, "A donor");
	ck_assert_ptr_nonnull(at);
	at[0] = 'B';
	fails(&p, &logv, "entry", "leaf hash");
	/* With the leaf hash made to match, the path no longer leads up. */
	tfl_merkle_leaf_hash(leaf, p.note, p.note_len);
	memcpy(p.leaf, leaf, H);
	fails(&p, &logv, "inclusion", "root does not match");
	/* Another seq than the note's is refused before any hashing. */
	at[0] = 'A';
	p.seq = 3;
	fails(&p, &logv, "entry", "its seq is 2");
	tfl_inclusion_release(&p);
}
END_TEST

START_TEST(test_a_checkpoint_by_another_key_or_of_another_tree_fails)
{
	tfl_verifier other;
	tfl_inclusion p;
	char *at;

	good_proof(&p);
	tfl_verifier_of_key(&other, tl.admin);
	fails(&p, &other, "checkpoint", "not signed by the log key");
	p.size = 6;
	fails(&p, &logv, "checkpoint", "states size 6");
	p.size = 7;
	p.root[0] ^= 1;
	fails(&p, &logv, "checkpoint", "another root");
	p.root[0] ^= 1;
	at = strchr(p.checkpoint, '\n') + 1; /* the size line */
	ck_assert_int_eq(at[0], '7');
	at[0] = '8';
	fails(&p, &logv, "checkpoint", "invalid signature");
	tfl_inclusion_release(&p);
}
END_TEST

START_TEST(test_a_grown_ledger_extends_its_old_checkpoint)
{
	uint8_t leaf[12][H], r1[H], r2[H];
	tfl_checks cs = { .n = 0 };
	tfl_err err = TFL_ERR_INIT;
	tfl_consistency p;
	char *old, *cp;
	size_t oldlen, len;

	donors(tl.led, "D", 1, 3, T0 + 2);
	old = checkpoint(tl.led, &oldlen);
	donors(tl.led, "D", 4, 7, T0 + 3);
	cp = checkpoint(tl.led, &len);
	ck_assert_msg(tfl_proof_checkpoints(&p, &cs, tl.led, old, oldlen, NULL,
	    0, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(p.old_size, 5);
	ck_assert_uint_eq(p.new_size, 12);
	ck_assert_str_eq(last_check(&cs)->name, "consistency");
	leaves(leaf, tl.led, 12);
	root_of(r1, (const uint8_t(*)[H])leaf, 5);
	root_of(r2, (const uint8_t(*)[H])leaf, 12);
	ck_assert_mem_eq(p.old_root, r1, H);
	ck_assert_mem_eq(p.new_root, r2, H);
	ck_assert_int_eq(tfl_merkle_verify_consistency(5, 12, r1, r2,
	    (const uint8_t(*)[H])p.path, p.len, &err), 0);
	ck_assert_int_eq(tfl_proof_verify_consistency(NULL, &p, &logv, &err),
	    0);
	/* Tampered, the same proof no longer checks. */
	p.path[0][0] ^= 1;
	ck_assert_int_eq(tfl_proof_verify_consistency(NULL, &p, &logv, &err),
	    TFL_EVERIFY);
	tfl_consistency_release(&p);
	/* The same checkpoint twice: an empty proof, equal roots. */
	ck_assert_int_eq(tfl_proof_checkpoints(&p, NULL, tl.led, cp, len, cp,
	    len, &err), 0);
	ck_assert_uint_eq(p.len, 0);
	tfl_consistency_release(&p);
	free(old);
	free(cp);
}
END_TEST

START_TEST(test_a_forked_ledger_does_not_extend_the_other_checkpoint)
{
	tfl_checks cs = { .n = 0 };
	tfl_err err = TFL_ERR_INIT;
	tfl_consistency p;
	char *mine, *theirs, *cp;
	size_t minelen, theirslen, len;

	make_twin();
	donors(tl.led, "D", 1, 3, T0 + 2);
	donors(twin, "D", 1, 3, T0 + 2);
	free(checkpoint(twin, &len));
	/* Identical so far: each extends the other's checkpoint. */
	cp = checkpoint(tl.led, &len);
	ck_assert_msg(tfl_proof_checkpoints(&p, NULL, twin, cp, len, NULL, 0,
	    &err) == 0, "%s", err.msg);
	tfl_consistency_release(&p);
	free(cp);
	donors(tl.led, "D", 4, 2, T0 + 3);
	donors(twin, "X", 4, 3, T0 + 3);
	mine = checkpoint(tl.led, &minelen);
	theirs = checkpoint(twin, &theirslen);
	ck_assert_int_eq(tfl_proof_checkpoints(&p, &cs, twin, mine, minelen,
	    NULL, 0, &err), TFL_EVERIFY);
	ck_assert_msg(strstr(err.msg, "does not extend") != NULL, "%s",
	    err.msg);
	ck_assert_str_eq(last_check(&cs)->name, "consistency");
	/* Rolled back: an old checkpoint larger than the ledger. */
	cs.n = 0;
	ck_assert_int_eq(tfl_proof_checkpoints(&p, &cs, tl.led, theirs,
	    theirslen, NULL, 0, &err), TFL_EVERIFY);
	ck_assert_msg(strstr(err.msg, "only 7 entries") != NULL, "%s",
	    err.msg);
	ck_assert_str_eq(last_check(&cs)->name, "ledger");
	/* The fork's checkpoint as the new one is not this ledger's. */
	ck_assert_int_eq(tfl_proof_checkpoints(&p, NULL, tl.led, mine, minelen,
	    theirs, theirslen, &err), TFL_EVERIFY);
	free(mine);
	free(theirs);
}
END_TEST

/* Verify led with opts; the status. */
static int
verify(tfl_verify_report *r, const char *since, size_t since_len,
    tfl_err *err)
{
	tfl_verify_opts o = TFL_VERIFY_OPTS_INIT;

	o.since = since;
	o.since_len = since_len;
	return tfl_ledger_verify(r, tl.led, &o, err);
}

START_TEST(test_verify_since_checks_only_the_new_signatures)
{
	tfl_verify_report full, inc;
	tfl_err err = TFL_ERR_INIT;
	char *cp;
	size_t len;

	donors(tl.led, "D", 1, 8, T0 + 2);
	cp = checkpoint(tl.led, &len);
	donors(tl.led, "D", 9, 5, T0 + 3);
	ck_assert_msg(verify(&full, NULL, 0, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(full.signatures, 15);
	ck_assert_uint_eq(full.since, 0);
	ck_assert_msg(verify(&inc, cp, len, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(inc.since, 10);
	ck_assert_uint_eq(inc.from, 10); /* started from the snapshot */
	ck_assert_uint_eq(inc.signatures, 5);
	ck_assert_uint_eq(full.snapshots, 1);
	ck_assert_uint_eq(inc.size, 15);
	ck_assert_mem_eq(inc.root, full.root, H);
	ck_assert_uint_eq(inc.checks.n, 5);
	ck_assert_str_eq(inc.checks.c[0].name, "consistency");
	ck_assert_str_eq(inc.checks.c[1].name, "entries");
	ck_assert_str_eq(inc.checks.c[4].name, "state");
	ck_assert_int_eq(inc.checks.c[4].ok, 1);
	/* Since the latest size: nothing new, no signature checked. */
	free(cp);
	cp = checkpoint(tl.led, &len);
	ck_assert_msg(verify(&inc, cp, len, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(inc.signatures, 0);
	free(cp);
}
END_TEST

START_TEST(test_verify_since_a_checkpoint_of_another_history_fails)
{
	tfl_verify_report r;
	tfl_err err = TFL_ERR_INIT;
	char *cp;
	size_t len;

	make_twin();
	donors(tl.led, "D", 1, 3, T0 + 2);
	donors(twin, "X", 1, 4, T0 + 2);
	cp = checkpoint(twin, &len);
	ck_assert_int_eq(verify(&r, cp, len, &err), TFL_EVERIFY);
	ck_assert_msg(strstr(err.msg, "the trusted checkpoint of size 6: the "
	    "ledger has only 5") != NULL, "%s", err.msg);
	ck_assert_str_eq(r.checks.c[r.checks.n - 1].name, "consistency");
	free(cp);
	donors(tl.led, "D", 4, 2, T0 + 3);
	cp = checkpoint(twin, &len);
	ck_assert_int_eq(verify(&r, cp, len, &err), TFL_EVERIFY);
	ck_assert_msg(strstr(err.msg, "does not extend it") != NULL, "%s",
	    err.msg);
	ck_assert_uint_eq(r.signatures, 0);
	free(cp);
}
END_TEST

START_TEST(test_verify_since_needs_the_log_keys_signature)
{
	tfl_verify_report r;
	tfl_err err = TFL_ERR_INIT;
	tfl_checkpoint body;
	tfl_note note;
	char *cp, *forged;
	size_t len, flen;

	donors(tl.led, "D", 1, 3, T0 + 2);
	cp = checkpoint(tl.led, &len);
	/* The same checkpoint text, signed by the admin key instead. */
	ck_assert_int_eq(tfl_note_parse(&note, cp, len, &err), 0);
	ck_assert_int_eq(tfl_checkpoint_parse(&body, note.text, note.textlen,
	    &err), 0);
	ck_assert_int_eq(tfl_note_sign(&forged, &flen, note.text,
	    note.textlen, (const tfl_key *const[]){ tl.admin }, 1, &err), 0);
	tfl_note_release(&note);
	donors(tl.led, "D", 4, 1, T0 + 3);
	ck_assert_int_eq(verify(&r, forged, flen, &err), TFL_EVERIFY);
	ck_assert_msg(strstr(err.msg, "the trusted checkpoint of size 5") !=
	    NULL, "%s", err.msg);
	ck_assert_str_eq(r.checks.c[r.checks.n - 1].name, "checkpoints");
	/* Malformed or of size 0: invalid input. */
	ck_assert_int_eq(verify(&r, "x\n", 2, &err), TFL_EINVAL);
	free(forged);
	free(cp);
}
END_TEST

/* cp's text with its state digest changed, signed by the log key. */
static char *
with_state(const char *cp, size_t len, uint8_t fill, size_t *outlen)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_checkpoint body;
	tfl_note note;
	char *text, *out;
	size_t tlen;

	ck_assert_int_eq(tfl_note_parse(&note, cp, len, &err), 0);
	ck_assert_int_eq(tfl_checkpoint_parse(&body, note.text, note.textlen,
	    &err), 0);
	tfl_note_release(&note);
	ck_assert_int_eq(body.has_state, 1);
	memset(body.state, fill, sizeof(body.state));
	ck_assert_int_eq(tfl_checkpoint_format(&text, &tlen, &body, &err), 0);
	ck_assert_int_eq(tfl_note_sign(&out, outlen, text, tlen,
	    (const tfl_key *const[]){ logk }, 1, &err), 0);
	free(text);
	return out;
}

START_TEST(test_a_wrong_state_digest_is_caught_by_both_audits)
{
	tfl_verify_opts o = TFL_VERIFY_OPTS_INIT;
	tfl_verify_report r;
	tfl_err err = TFL_ERR_INIT;
	char *cp, *forged;
	size_t len, flen;

	donors(tl.led, "D", 1, 4, T0 + 2);
	cp = checkpoint(tl.led, &len);
	forged = with_state(cp, len, 0x5a, &flen);
	donors(tl.led, "D", 5, 2, T0 + 3);
	/* Signed by the log key, of the right tree, the wrong state. */
	o.checkpoint = forged;
	o.checkpoint_len = flen;
	ck_assert_int_eq(tfl_ledger_verify(&r, tl.led, &o, &err), TFL_EVERIFY);
	ck_assert_msg(strstr(err.msg, "the auditor's checkpoint of size 6: "
	    "its state digest is not that of the entries' fund state") !=
	    NULL, "%s", err.msg);
	ck_assert_int_eq(verify(&r, forged, flen, &err), TFL_EVERIFY);
	ck_assert_msg(strstr(err.msg, "the stored snapshot of the fund state "
	    "at size 6 does not match the trusted checkpoint's state digest") !=
	    NULL, "%s", err.msg);
	/* The true checkpoint passes both ways. */
	ck_assert_msg(verify(&r, cp, len, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(r.from, 6);
	/* Since the true one, the forged one of the same size is caught. */
	o.since = cp;
	o.since_len = len;
	ck_assert_int_eq(tfl_ledger_verify(&r, tl.led, &o, &err), TFL_EVERIFY);
	ck_assert_msg(strstr(err.msg, "the auditor's checkpoint of size 6: "
	    "its state digest is not the trusted checkpoint's") != NULL, "%s",
	    err.msg);
	o.since = NULL;
	o.since_len = 0;
	o.checkpoint = cp;
	o.checkpoint_len = len;
	ck_assert_msg(tfl_ledger_verify(&r, tl.led, &o, &err) == 0, "%s",
	    err.msg);
	ck_assert_uint_eq(r.snapshots, 1);
	free(forged);
	free(cp);
}
END_TEST

START_TEST(test_since_from_a_snapshot_gives_the_full_audits_result)
{
	tfl_verify_report full, inc;
	tfl_err err = TFL_ERR_INIT;
	char *cp[6];
	size_t len[6], i;

	/* Six checkpoints; the four newest keep their snapshots. */
	for (i = 0; i < 6; i++) {
		donors(tl.led, "D", 1 + 3 * (int)i, 3, T0 + 2 + (int64_t)i);
		cp[i] = checkpoint(tl.led, &len[i]);
	}
	donors(tl.led, "D", 19, 2, T0 + 9);
	ck_assert_msg(verify(&full, NULL, 0, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(full.snapshots, 4);
	for (i = 0; i < 6; i++) {
		ck_assert_msg(verify(&inc, cp[i], len[i], &err) == 0, "%s",
		    err.msg);
		ck_assert_uint_eq(inc.size, full.size);
		ck_assert_mem_eq(inc.root, full.root, H);
		ck_assert_uint_eq(inc.from, i < 2 ? 0 : inc.since);
		ck_assert_uint_eq(inc.signatures, full.size - inc.since);
		free(cp[i]);
	}
}
END_TEST

static Suite *
proof_suite(void)
{
	Suite *s = suite_create("proof");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc,
	    test_inclusion_proofs_of_every_entry_at_every_size_verify);
	tcase_add_test(tc,
	    test_consistency_proofs_between_every_pair_of_sizes_verify);
	tcase_add_test(tc, test_proofs_outside_the_ledger_are_refused);
	tcase_add_test(tc,
	    test_proof_entry_is_checked_against_the_latest_checkpoint);
	tcase_add_test(tc,
	    test_proof_entry_in_an_older_checkpoint_uses_its_size);
	tcase_add_test(tc,
	    test_without_a_checkpoint_there_is_nothing_to_prove_against);
	tcase_add_test(tc,
	    test_a_modified_proof_hash_fails_the_inclusion_check);
	tcase_add_test(tc, test_a_modified_note_fails_the_entry_check);
	tcase_add_test(tc,
	    test_a_checkpoint_by_another_key_or_of_another_tree_fails);
	tcase_add_test(tc, test_a_grown_ledger_extends_its_old_checkpoint);
	tcase_add_test(tc,
	    test_a_forked_ledger_does_not_extend_the_other_checkpoint);
	tcase_add_test(tc, test_verify_since_checks_only_the_new_signatures);
	tcase_add_test(tc,
	    test_verify_since_a_checkpoint_of_another_history_fails);
	tcase_add_test(tc, test_verify_since_needs_the_log_keys_signature);
	tcase_add_test(tc, test_a_wrong_state_digest_is_caught_by_both_audits);
	tcase_add_test(tc,
	    test_since_from_a_snapshot_gives_the_full_audits_result);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(proof_suite()) != 0;
}
