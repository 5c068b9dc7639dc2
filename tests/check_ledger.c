/*
 * check_ledger.c - the append and verify pipelines (ledger.h).
 *
 * Each test gets a fresh directory holding a new ledger: genesis by an
 * admin key with a separate log key, then a recorder and an approver
 * enrolled.  Keys are generated, times start at T0 (2026-11-18) and
 * only go forward unless a test says otherwise.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "testutil.h"
#include "tfledger/checkpoint.h"
#include "tfledger/entry.h"
#include "tfledger/keys.h"
#include "tfledger/ledger.h"
#include "tfledger/merkle.h"
#include "tfledger/note.h"

#define ORIGIN	"example.org/unvtf/test"
#define T0	((int64_t)1795000000) /* 2026-11-18T11:06:40Z */
#define NKEYS	3		      /* admin, recorder, approver */

static struct tu_ledger tl;
static tfl_key *logk;

/* A donor with a name of len bytes (at most 256). */
static tfl_entry *
donor_entry(const char *id, size_t len)
{
	char name[TFL_ENTRY_TEXT_MAX + 1];

	ck_assert_uint_le(len, TFL_ENTRY_TEXT_MAX);
	memset(name, 'n', len);
	name[0] = 'D';
	name[len] = '\0';
	return tu_entry_new(TFL_ENTRY_DONOR, "id", id, "name", name, "kind",
	    "government", "country", "DE", "anonymous", "no", NULL);
}

/* A receipt of USD 100.00 from donor (which may not exist). */
static tfl_entry *
receipt_entry(const char *donor, const char *ref)
{
	return tu_entry_new(TFL_ENTRY_RECEIPT, "date", "2026-11-02", "donor",
	    donor, "ref", ref, "amount", "100.00", "currency", "USD",
	    "base-amount", "100.00", NULL);
}

static int
donor_exists(void *ctx, tfl_kv *state, tfl_err *err)
{
	tfl_fund_donor d;

	return tfl_fund_donor_get(&d, state, ctx, err);
}

static void
setup(void)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_verifier logv;
	tfl_genesis g = { ORIGIN, "Test Trust Fund", "USD", NULL };
	tfl_entry *es[2];
	uint64_t seq = 0;
	int rc;

	logk = tu_key_new("log.test");
	tfl_verifier_of_key(&logv, logk);
	g.log_key = &logv;
	tu_ledger_open(&tl, &g, T0, 0);
	es[0] = tu_entry_enroll(tl.rec, "recorder");
	es[1] = tu_entry_enroll(tl.appr, "approver");
	rc = tu_append(&seq, tl.led, tl.admin, ++tl.clock, es, 2, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(seq, 2);
}

static void
teardown(void)
{
	tu_ledger_close(&tl);
	tfl_key_free(logk);
	logk = NULL;
}

START_TEST(test_append_returns_the_seq_of_the_last_entry)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *es[3];
	uint64_t seq = UINT64_MAX;

	ck_assert_uint_eq(tu_ledger_size(tl.led), NKEYS);
	es[0] = donor_entry("D-1", 10);
	es[1] = donor_entry("D-2", 10);
	es[2] = donor_entry("D-3", 10);
	ck_assert_msg(tu_append(&seq, tl.led, tl.rec, ++tl.clock, es, 3,
	    &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(seq, NKEYS + 2);
	ck_assert_uint_eq(tu_ledger_size(tl.led), NKEYS + 3);
	ck_assert_uint_eq(tu_put(&tl, tl.rec, donor_entry("D-4", 10)),
	    NKEYS + 3);
	/* out_seq may be NULL. */
	es[0] = donor_entry("D-5", 10);
	ck_assert_msg(tu_append(NULL, tl.led, tl.rec, ++tl.clock, es, 1,
	    &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(tu_ledger_size(tl.led), NKEYS + 5);
}
END_TEST

START_TEST(test_a_batch_whose_last_entry_breaks_a_rule_appends_nothing)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_verify_report r;
	tfl_entry *es[4];
	uint64_t seq = 777;
	char *note = NULL;
	size_t len;
	int rc;

	es[0] = donor_entry("D-1", 10);
	es[1] = donor_entry("D-2", 10);
	es[2] = receipt_entry("D-1", "BANK-1");
	es[3] = receipt_entry("D-404", "BANK-2"); /* no such donor */
	rc = tu_append(&seq, tl.led, tl.rec, ++tl.clock, es, 4, &err);
	ck_assert_int_eq(rc, TFL_ERULE);
	ck_assert_msg(strstr(err.msg, "D-404") != NULL, "%s", err.msg);
	ck_assert_uint_eq(seq, 777);
	ck_assert_uint_eq(tu_ledger_size(tl.led), NKEYS);
	rc = tfl_ledger_read(tl.led, donor_exists, "D-1", &err);
	ck_assert_int_eq(rc, TFL_ENOTFOUND);
	rc = tfl_ledger_entry(&note, &len, tl.led, NKEYS, &err);
	ck_assert_int_eq(rc, TFL_ENOTFOUND);
	ck_assert_ptr_null(note);
	r = tu_verify_ok(tl.led);
	ck_assert_uint_eq(r.size, NKEYS);
	/* The same batch without its bad entry goes in whole. */
	es[0] = donor_entry("D-1", 10);
	es[1] = donor_entry("D-2", 10);
	es[2] = receipt_entry("D-1", "BANK-1");
	ck_assert_msg(tu_append(&seq, tl.led, tl.rec, ++tl.clock, es, 3,
	    &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(seq, NKEYS + 2);
	r = tu_verify_ok(tl.led);
	ck_assert_uint_eq(r.size, NKEYS + 3);
}
END_TEST

/*
 * FORMAT.md section 6, from the bytes: SHA-256(0x02 || text || signer's
 * name || LF || key hash), the key hash being the first 4 bytes of the
 * signature line's base64.
 */
static void
chain_hash(uint8_t out[TFL_HASH_SIZE], const char *note, size_t len)
{
	const char *sep = NULL, *p, *line, *name, *sp;
	unsigned char raw[80];
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	for (p = note; p + 1 < note + len; p++)
		if (p[0] == '\n' && p[1] == '\n')
			sep = p;
	ck_assert_ptr_nonnull(sep);
	line = sep + 2;
	ck_assert_int_eq(memcmp(line, "\xe2\x80\x94 ", 4), 0);
	name = line + 4;
	sp = strchr(name, ' ');
	ck_assert_ptr_nonnull(sp);
	ck_assert_int_eq(EVP_DecodeBlock(raw, (const unsigned char *)sp + 1,
	    (int)(note + len - 1 - (sp + 1))), 69); /* 68 and a pad byte */
	ck_assert(md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL));
	ck_assert(EVP_DigestUpdate(md, "\x02", 1));
	ck_assert(EVP_DigestUpdate(md, note, (size_t)(sep + 1 - note)));
	ck_assert(EVP_DigestUpdate(md, name, (size_t)(sp - name)));
	ck_assert(EVP_DigestUpdate(md, "\n", 1));
	ck_assert(EVP_DigestUpdate(md, raw, 4));
	ck_assert(EVP_DigestFinal_ex(md, out, NULL));
	EVP_MD_CTX_free(md);
}

START_TEST(test_each_entry_names_the_chain_hash_of_the_one_before)
{
	tfl_err err = TFL_ERR_INIT;
	uint8_t prev[TFL_HASH_SIZE];
	tfl_entry *e = NULL;
	tfl_note note;
	char id[16], *buf = NULL;
	uint64_t seq, size;
	size_t len;
	int i;

	for (i = 0; i < 6; i++) {
		snprintf(id, sizeof(id), "D-%d", i);
		tu_put(&tl, tl.rec, donor_entry(id, 20));
	}
	size = tu_ledger_size(tl.led);
	ck_assert_uint_eq(size, NKEYS + 6);
	memset(prev, 0, sizeof(prev));
	for (seq = 0; seq < size; seq++) {
		ck_assert_msg(tfl_ledger_entry(&buf, &len, tl.led, seq,
		    &err) == 0, "%s", err.msg);
		ck_assert_uint_eq(strlen(buf), len);
		ck_assert_msg(tfl_note_parse(&note, buf, len, &err) == 0,
		    "seq %" PRIu64 ": %s", seq, err.msg);
		ck_assert_uint_eq(note.nsigs, 1);
		ck_assert_msg(tfl_entry_decode(&e, note.text, note.textlen,
		    &err) == 0, "seq %" PRIu64 ": %s", seq, err.msg);
		ck_assert_uint_eq(tfl_entry_seq(e), seq);
		ck_assert_str_eq(tfl_entry_origin(e), ORIGIN);
		ck_assert_msg(memcmp(tfl_entry_prev(e), prev,
		    sizeof(prev)) == 0, "seq %" PRIu64 ": prev is not the "
		    "chain hash of its predecessor", seq);
		chain_hash(prev, buf, len);
		tfl_entry_free(e);
		e = NULL;
		tfl_note_release(&note);
		free(buf);
		buf = NULL;
	}
	ck_assert_int_eq(tfl_ledger_entry(&buf, &len, tl.led, size, &err),
	    TFL_ENOTFOUND);
}
END_TEST

/* The root of entries [0, size), from their notes. */
static void
root_of_entries(uint8_t root[TFL_HASH_SIZE], uint64_t size)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_merkle_stream s;
	uint8_t leaf[TFL_HASH_SIZE];
	char *buf = NULL;
	uint64_t seq;
	size_t len;

	tfl_merkle_stream_init(&s);
	for (seq = 0; seq < size; seq++) {
		ck_assert_msg(tfl_ledger_entry(&buf, &len, tl.led, seq,
		    &err) == 0, "%s", err.msg);
		tfl_merkle_leaf_hash(leaf, buf, len);
		tfl_merkle_stream_push(&s, leaf, NULL);
		free(buf);
		buf = NULL;
	}
	tfl_merkle_stream_root(root, &s);
}

START_TEST(test_checkpoint_is_signed_by_the_log_key_over_the_verified_root)
{
	tfl_err err = TFL_ERR_INIT;
	uint8_t root[TFL_HASH_SIZE];
	tfl_verifier logv, adminv;
	tfl_verify_report r;
	tfl_checkpoint cp;
	tfl_note note;
	char *buf = NULL, *latest = NULL;
	size_t len, llen;
	int rc;

	tu_put(&tl, tl.rec, donor_entry("D-1", 30));
	tu_put(&tl, tl.rec, donor_entry("D-2", 30));
	rc = tfl_ledger_checkpoint(&buf, &len, tl.led, logk, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_msg(tfl_note_parse(&note, buf, len, &err) == 0, "%s",
	    err.msg);
	ck_assert_msg(tfl_checkpoint_parse(&cp, note.text, note.textlen,
	    &err) == 0, "%s", err.msg);
	ck_assert_str_eq(cp.origin, ORIGIN);
	ck_assert_uint_eq(cp.size, NKEYS + 2);
	tfl_verifier_of_key(&logv, logk);
	tfl_verifier_of_key(&adminv, tl.admin);
	ck_assert_msg(tfl_note_verify(NULL, &note, &logv, 1, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(tfl_note_verify(NULL, &note, &adminv, 1, &err),
	    TFL_EVERIFY);
	r = tu_verify_ok(tl.led);
	ck_assert_uint_eq(r.size, cp.size);
	ck_assert_uint_eq(r.checkpoints, 1);
	ck_assert_mem_eq(r.root, cp.root, TFL_HASH_SIZE);
	root_of_entries(root, cp.size);
	ck_assert_mem_eq(root, cp.root, TFL_HASH_SIZE);
	rc = tfl_ledger_checkpoint_latest(&latest, &llen, tl.led, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(llen, len);
	ck_assert_mem_eq(latest, buf, len);
	tfl_note_release(&note);
	free(buf);
	free(latest);
}
END_TEST

START_TEST(test_checkpoint_with_another_key_is_refused)
{
	tfl_err err = TFL_ERR_INIT;
	char *buf = NULL;
	size_t len;

	ck_assert_int_eq(tfl_ledger_checkpoint_latest(&buf, &len, tl.led, &err),
	    TFL_ENOTFOUND);
	ck_assert_int_eq(tfl_ledger_checkpoint(&buf, &len, tl.led, tl.admin,
	    &err), TFL_ERULE);
	ck_assert_msg(strstr(err.msg, "log key") != NULL, "%s", err.msg);
	ck_assert_ptr_null(buf);
	ck_assert_int_eq(tfl_ledger_checkpoint_latest(&buf, &len, tl.led, &err),
	    TFL_ENOTFOUND);
}
END_TEST

START_TEST(test_verify_of_an_intact_ledger_reports_size_and_checkpoints)
{
	tfl_err err = TFL_ERR_INIT;
	uint8_t root[TFL_HASH_SIZE];
	tfl_verify_report r;
	char *cp = NULL;
	size_t len;

	r = tu_verify_ok(tl.led);
	ck_assert_uint_eq(r.size, NKEYS);
	ck_assert_uint_eq(r.checkpoints, 0);
	ck_assert_msg(tfl_ledger_checkpoint(&cp, &len, tl.led, logk, &err) == 0,
	    "%s", err.msg);
	free(cp);
	tu_put(&tl, tl.rec, donor_entry("D-1", 40));
	tu_put(&tl, tl.rec, receipt_entry("D-1", "BANK-1"));
	ck_assert_msg(tfl_ledger_checkpoint(&cp, &len, tl.led, logk, &err) == 0,
	    "%s", err.msg);
	free(cp);
	cp = NULL;
	tu_put(&tl, tl.rec, donor_entry("D-2", 40));
	r = tu_verify_ok(tl.led);
	ck_assert_uint_eq(r.size, NKEYS + 3);
	ck_assert_uint_eq(r.checkpoints, 2);
	root_of_entries(root, NKEYS + 3);
	ck_assert_mem_eq(r.root, root, TFL_HASH_SIZE);
}
END_TEST

START_TEST(test_verify_checks_the_auditors_checkpoint_and_pinned_keys)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_verify_opts o = TFL_VERIFY_OPTS_INIT;
	tfl_verify_report r;
	tfl_verifier pinned[2];
	char *cp = NULL;
	size_t len;
	int rc;

	tu_put(&tl, tl.rec, donor_entry("D-1", 10));
	ck_assert_msg(tfl_ledger_checkpoint(&cp, &len, tl.led, logk, &err) == 0,
	    "%s", err.msg);
	tu_put(&tl, tl.rec, donor_entry("D-2", 10));
	o.checkpoint = cp;
	o.checkpoint_len = len;
	tfl_verifier_of_key(&pinned[0], tl.rec);
	tfl_verifier_of_key(&pinned[1], tl.admin);
	o.trust = pinned;
	o.ntrust = 2;
	rc = tfl_ledger_verify(&r, tl.led, &o, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(r.size, NKEYS + 2);
	ck_assert_uint_eq(r.checkpoints, 2);
	/* A genesis admin key other than the pinned one. */
	o.ntrust = 1;
	rc = tfl_ledger_verify(&r, tl.led, &o, &err);
	ck_assert_int_eq(rc, TFL_EVERIFY);
	ck_assert_uint_eq(r.bad_seq, 0);
	/* A malformed checkpoint from the auditor. */
	o.ntrust = 0;
	o.checkpoint = "not a checkpoint\n";
	o.checkpoint_len = strlen(o.checkpoint);
	ck_assert_int_eq(tfl_ledger_verify(&r, tl.led, &o, &err), TFL_EINVAL);
	free(cp);
}
END_TEST

START_TEST(test_read_only_open_cannot_append)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_verify_report r;
	tfl_entry *e;
	char *cp = NULL;
	size_t len;
	int rc;

	tu_put(&tl, tl.rec, donor_entry("D-1", 10));
	tfl_ledger_close(tl.led);
	tl.led = NULL;
	rc = tfl_ledger_open(&tl.led, tl.dir, TFL_LEDGER_RDONLY, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	e = donor_entry("D-2", 10);
	ck_assert_int_eq(tu_append(NULL, tl.led, tl.rec, ++tl.clock, &e, 1,
	    &err), TFL_EIO);
	ck_assert_int_ne(tfl_ledger_checkpoint(&cp, &len, tl.led, logk, &err),
	    0);
	ck_assert_ptr_null(cp);
	ck_assert_uint_eq(tu_ledger_size(tl.led), NKEYS + 1);
	r = tu_verify_ok(tl.led);
	ck_assert_uint_eq(r.size, NKEYS + 1);
	/* Reopened read-write, the ledger takes the same entry. */
	tfl_ledger_close(tl.led);
	tl.led = NULL;
	rc = tfl_ledger_open(&tl.led, tl.dir, 0, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(tu_put(&tl, tl.rec, donor_entry("D-2", 10)),
	    NKEYS + 1);
}
END_TEST

START_TEST(test_two_thousand_entries_appended_in_batches_all_verify)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_verify_report r;
	tfl_entry *es[100];
	char id[16], *cp = NULL;
	size_t len;
	int b, i;

	for (b = 0; b < 20; b++) {
		for (i = 0; i < 100; i++) {
			snprintf(id, sizeof(id), "D-%d-%d", b, i);
			es[i] = donor_entry(id, TFL_ENTRY_TEXT_MAX);
		}
		ck_assert_msg(tu_append(NULL, tl.led, tl.rec, ++tl.clock, es,
		    100, &err) == 0, "batch %d: %s", b, err.msg);
		if (b == 9)
			ck_assert_msg(tfl_ledger_checkpoint(&cp, &len, tl.led,
			    logk, &err) == 0, "%s", err.msg);
	}
	free(cp);
	ck_assert_uint_eq(tu_ledger_size(tl.led), NKEYS + 2000);
	r = tu_verify_ok(tl.led);
	ck_assert_uint_eq(r.size, NKEYS + 2000);
	ck_assert_uint_eq(r.checkpoints, 1);
}
END_TEST

START_TEST(test_an_entry_timed_before_the_last_one_is_refused)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e;

	tl.clock += 100;
	tu_put(&tl, tl.rec, donor_entry("D-1", 10));
	e = donor_entry("D-2", 10);
	ck_assert_int_eq(tu_append(NULL, tl.led, tl.rec, tl.clock - 1, &e, 1,
	    &err), TFL_ERULE);
	ck_assert_msg(strstr(err.msg, "clock") != NULL, "%s", err.msg);
	/* Even before genesis. */
	e = donor_entry("D-2", 10);
	ck_assert_int_eq(tu_append(NULL, tl.led, tl.rec, T0 - 86400, &e, 1,
	    &err), TFL_ERULE);
	ck_assert_uint_eq(tu_ledger_size(tl.led), NKEYS + 1);
	/* The same second as the last entry is not going back. */
	e = donor_entry("D-2", 10);
	ck_assert_msg(tu_append(NULL, tl.led, tl.rec, tl.clock, &e, 1,
	    &err) == 0, "%s", err.msg);
	tu_verify_ok(tl.led);
}
END_TEST

START_TEST(test_signing_with_an_unenrolled_key_is_refused)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_key *stranger = tu_key_new("stranger.test");
	/* The impostor has the recorder's name but another key. */
	tfl_key *impostor = tu_key_new("recorder.test");
	tfl_entry *e;

	e = donor_entry("D-1", 10);
	ck_assert_int_eq(tu_append(NULL, tl.led, stranger, ++tl.clock, &e, 1,
	    &err), TFL_ERULE);
	ck_assert_msg(strstr(err.msg, "stranger.test") != NULL, "%s",
	    err.msg);
	e = donor_entry("D-1", 10);
	ck_assert_int_eq(tu_append(NULL, tl.led, impostor, ++tl.clock, &e, 1,
	    &err), TFL_ERULE);
	ck_assert_msg(strstr(err.msg, "recorder.test") != NULL, "%s",
	    err.msg);
	/* Enrolled, but the admin role may not record donors. */
	e = donor_entry("D-1", 10);
	ck_assert_int_eq(tu_append(NULL, tl.led, tl.admin, ++tl.clock, &e, 1,
	    &err), TFL_ERULE);
	ck_assert_msg(strstr(err.msg, "recorder") != NULL, "%s", err.msg);
	ck_assert_uint_eq(tu_ledger_size(tl.led), NKEYS);
	tfl_key_free(stranger);
	tfl_key_free(impostor);
}
END_TEST

START_TEST(test_a_revoked_key_signs_nothing_more)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e;

	tu_put(&tl, tl.rec, donor_entry("D-1", 10));
	tu_put(&tl, tl.admin, tu_entry_new(TFL_ENTRY_KEY_REVOKE, "name",
	    "recorder.test", "reason", "left the office", NULL));
	e = donor_entry("D-2", 10);
	ck_assert_int_eq(tu_append(NULL, tl.led, tl.rec, ++tl.clock, &e, 1,
	    &err), TFL_ERULE);
	ck_assert_msg(strstr(err.msg, "revoked") != NULL, "%s", err.msg);
	/* The last admin key cannot go. */
	e = tu_entry_new(TFL_ENTRY_KEY_REVOKE, "name", "admin.test", NULL);
	ck_assert_int_eq(tu_append(NULL, tl.led, tl.admin, ++tl.clock, &e, 1,
	    &err), TFL_ERULE);
	tu_verify_ok(tl.led);
}
END_TEST

struct names {
	char got[8][TFL_KEY_NAME_MAX + 1];
	size_t n;
};

static int
keys_collect(void *ctx, const tfl_fund_key *key)
{
	struct names *k = ctx;

	if (k->n == 8)
		return -1;
	snprintf(k->got[k->n++], sizeof(k->got[0]), "%s", key->verifier.name);
	return 0;
}

START_TEST(test_keys_are_listed_in_enrolment_order)
{
	static const char *const want[] = { "admin.test", "recorder.test",
		"approver.test" };
	tfl_err err = TFL_ERR_INIT;
	struct names k;
	size_t i;
	int rc;

	memset(&k, 0, sizeof(k));
	rc = tfl_ledger_keys(tl.led, keys_collect, &k, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(k.n, 3);
	for (i = 0; i < 3; i++)
		ck_assert_str_eq(k.got[i], want[i]);
}
END_TEST

struct built {
	uint64_t size_seen; /* the size the build function saw */
	int bad;	    /* 1: second draft breaks a rule; 2: no drafts */
	int labels;	    /* label the drafts */
	int calls;
};

/* Two drafts: a donor and a receipt, from D-1 or (bad) D-404. */
static int
build_two(void *ctx, tfl_kv *state, tfl_draft **out, size_t *n, tfl_err *err)
{
	struct built *b = ctx;
	tfl_fund_info info;
	tfl_draft *d;
	int rc;

	b->calls++;
	if ((rc = tfl_fund_info_get(&info, state, err)) != 0)
		return rc;
	b->size_seen = info.size;
	*n = 0;
	if (b->bad == 2)
		return 0;
	if ((d = calloc(2, sizeof(*d))) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	d[0].e = donor_entry("D-1", 10);
	d[1].e = receipt_entry(b->bad ? "D-404" : "D-1", "BANK-1");
	if (b->labels) {
		snprintf(d[0].label, sizeof(d[0].label), "row 1");
		snprintf(d[1].label, sizeof(d[1].label), "row 2");
	}
	*out = d;
	*n = 2;
	return 0;
}

START_TEST(test_errors_of_built_drafts_are_prefixed_with_their_label)
{
	tfl_err err = TFL_ERR_INIT;
	struct built b = { 0, 1, 1, 0 };
	uint64_t seq = 0;
	int rc;

	rc = tfl_ledger_append_built(&seq, tl.led, tl.rec, build_two, &b,
	    ++tl.clock, &err);
	ck_assert_int_eq(rc, TFL_ERULE);
	ck_assert_msg(strncmp(err.msg, "row 2: ", 7) == 0, "%s", err.msg);
	ck_assert_msg(strstr(err.msg, "D-404") != NULL, "%s", err.msg);
	ck_assert_uint_eq(b.size_seen, NKEYS);
	ck_assert_uint_eq(tu_ledger_size(tl.led), NKEYS);
	/* Without a label, the entry's type names it. */
	b.labels = 0;
	rc = tfl_ledger_append_built(&seq, tl.led, tl.rec, build_two, &b,
	    ++tl.clock, &err);
	ck_assert_int_eq(rc, TFL_ERULE);
	ck_assert_msg(strncmp(err.msg, "receipt: ", 9) == 0, "%s", err.msg);
	/* No drafts is invalid, not success. */
	b.bad = 2;
	rc = tfl_ledger_append_built(&seq, tl.led, tl.rec, build_two, &b,
	    ++tl.clock, &err);
	ck_assert_int_eq(rc, TFL_EINVAL);
	ck_assert_uint_eq(tu_ledger_size(tl.led), NKEYS);
	b.bad = 0;
	rc = tfl_ledger_append_built(&seq, tl.led, tl.rec, build_two, &b,
	    ++tl.clock, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(seq, NKEYS + 1);
	/* The build function sees the state it is applied to. */
	b.bad = 2;
	rc = tfl_ledger_append_built(&seq, tl.led, tl.rec, build_two, &b,
	    ++tl.clock, &err);
	ck_assert_int_eq(rc, TFL_EINVAL);
	ck_assert_uint_eq(b.size_seen, NKEYS + 2);
	tu_verify_ok(tl.led);
}
END_TEST

static int
build_fails(void *ctx, tfl_kv *state, tfl_draft **out, size_t *n,
    tfl_err *err)
{
	(void)ctx;
	(void)state;
	*out = NULL;
	*n = 0;
	return tfl_err_set(err, TFL_ERULE, "no PSC is due");
}

START_TEST(test_a_build_function_error_is_returned_as_it_is)
{
	tfl_err err = TFL_ERR_INIT;
	int rc;

	rc = tfl_ledger_append_built(NULL, tl.led, tl.rec, build_fails, NULL,
	    ++tl.clock, &err);
	ck_assert_int_eq(rc, TFL_ERULE);
	ck_assert_str_eq(err.msg, "no PSC is due");
	ck_assert_uint_eq(tu_ledger_size(tl.led), NKEYS);
}
END_TEST

START_TEST(test_create_over_an_existing_ledger_is_refused)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_genesis g = { ORIGIN, "Another Fund", "USD", NULL };
	tfl_ledger *other = NULL;
	char path[4096];
	int rc;

	rc = tfl_ledger_create(&other, tl.dir, &g, tl.admin, tl.clock, &err);
	ck_assert_int_eq(rc, TFL_EEXIST);
	ck_assert_ptr_null(other);
	snprintf(path, sizeof(path), "%s/none", tl.dir);
	ck_assert_int_eq(tfl_ledger_open(&other, path, 0, &err),
	    TFL_ENOTFOUND);
	ck_assert_uint_eq(tu_ledger_size(tl.led), NKEYS);
}
END_TEST

static Suite *
ledger_suite(void)
{
	Suite *s = suite_create("ledger");
	TCase *tc = tcase_create("core");
	TCase *slow = tcase_create("many");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_append_returns_the_seq_of_the_last_entry);
	tcase_add_test(tc,
	    test_a_batch_whose_last_entry_breaks_a_rule_appends_nothing);
	tcase_add_test(tc,
	    test_each_entry_names_the_chain_hash_of_the_one_before);
	tcase_add_test(tc,
	    test_checkpoint_is_signed_by_the_log_key_over_the_verified_root);
	tcase_add_test(tc, test_checkpoint_with_another_key_is_refused);
	tcase_add_test(tc,
	    test_verify_of_an_intact_ledger_reports_size_and_checkpoints);
	tcase_add_test(tc,
	    test_verify_checks_the_auditors_checkpoint_and_pinned_keys);
	tcase_add_test(tc, test_read_only_open_cannot_append);
	tcase_add_test(tc, test_an_entry_timed_before_the_last_one_is_refused);
	tcase_add_test(tc, test_signing_with_an_unenrolled_key_is_refused);
	tcase_add_test(tc, test_a_revoked_key_signs_nothing_more);
	tcase_add_test(tc, test_keys_are_listed_in_enrolment_order);
	tcase_add_test(tc,
	    test_errors_of_built_drafts_are_prefixed_with_their_label);
	tcase_add_test(tc, test_a_build_function_error_is_returned_as_it_is);
	tcase_add_test(tc, test_create_over_an_existing_ledger_is_refused);
	suite_add_tcase(s, tc);
	/* About 2000 signed entries and a full replay. */
	tcase_add_checked_fixture(slow, setup, teardown);
	tcase_set_timeout(slow, 120);
	tcase_add_test(slow,
	    test_two_thousand_entries_appended_in_batches_all_verify);
	suite_add_tcase(s, slow);
	return s;
}

int
main(void)
{
	return tu_run(ledger_suite()) != 0;
}
