/*
 * testutil.c - helpers shared by the Check suites.
 * _XOPEN_SOURCE for nftw(), which plain POSIX leaves out.
 */
#define _XOPEN_SOURCE 700

#include <ftw.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "testutil.h"
#include "tfledger/note.h"

const char *
tu_vector_path(const char *rel)
{
	static char buf[4096];
	const char *shared = getenv("SHARED");

	if (shared == NULL)
		shared = "../shared";
	snprintf(buf, sizeof(buf), "%s/vectors/%s", shared, rel);
	return buf;
}

json_t *
tu_json_load(const char *path)
{
	json_error_t jerr;
	json_t *j = json_load_file(path, 0, &jerr);

	ck_assert_msg(j != NULL, "%s:%d: %s", path, jerr.line, jerr.text);
	return j;
}

char *
tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

char *
tu_tmpdir(void)
{
	char tmpl[] = "/tmp/tfltest.XXXXXX";
	char *p = mkdtemp(tmpl);

	ck_assert_ptr_nonnull(p);
	p = strdup(p);
	ck_assert_ptr_nonnull(p);
	return p;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
tu_rmtree(const char *path)
{
	if (path != NULL)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void
tu_unhex(uint8_t *out, size_t len, const char *hex)
{
	size_t i;
	unsigned v;

	ck_assert_uint_eq(strlen(hex), 2 * len);
	for (i = 0; i < len; i++) {
		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

size_t
tu_unb64(uint8_t *out, size_t cap, const char *b64)
{
	size_t n = strlen(b64), pad = 0;
	unsigned char *tmp = malloc(n + 1);
	int got;

	ck_assert_ptr_nonnull(tmp);
	got = EVP_DecodeBlock(tmp, (const unsigned char *)b64, (int)n);
	ck_assert_int_ge(got, 0);
	if (n > 0 && b64[n - 1] == '=')
		pad++;
	if (n > 1 && b64[n - 2] == '=')
		pad++;
	got -= (int)pad;
	ck_assert_uint_le((size_t)got, cap);
	memcpy(out, tmp, (size_t)got);
	free(tmp);
	return (size_t)got;
}

int
tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed;
}

tfl_key *
tu_key_new(const char *name)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_key *k = NULL;

	ck_assert_msg(tfl_key_generate(&k, name, &err) == 0, "%s", err.msg);
	return k;
}

const char *
tu_vkey(const tfl_key *k)
{
	static char buf[512];
	tfl_verifier v;

	tfl_verifier_of_key(&v, k);
	ck_assert_int_eq(tfl_verifier_format(buf, sizeof(buf), &v), 0);
	return buf;
}

tfl_entry *
tu_entry_new(int type, ...)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;
	const char *f, *v;
	va_list ap;

	ck_assert_msg(tfl_entry_new(&e, type, &err) == 0, "%s", err.msg);
	va_start(ap, type);
	while ((f = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		if (v != NULL)
			ck_assert_msg(tfl_entry_set(e, f, v, &err) == 0,
			    "%s: %s", f, err.msg);
	}
	va_end(ap);
	return e;
}

tfl_entry *
tu_entry_enroll(const tfl_key *k, const char *role)
{
	return tu_entry_new(TFL_ENTRY_KEY_ENROLL, "key", tu_vkey(k), "role",
	    role, NULL);
}

tfl_entry *
tu_entry_approval(uint64_t seq)
{
	char v[24];

	snprintf(v, sizeof(v), "%" PRIu64, seq);
	return tu_entry_new(TFL_ENTRY_APPROVAL, "approves", v, NULL);
}

tfl_entry *
tu_entry_read(tfl_ledger *l, uint64_t seq)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;
	tfl_note note;
	char *buf = NULL;
	size_t len = 0;

	ck_assert_msg(tfl_ledger_entry(&buf, &len, l, seq, &err) == 0, "%s",
	    err.msg);
	ck_assert_msg(tfl_note_parse(&note, buf, len, &err) == 0, "%s",
	    err.msg);
	ck_assert_msg(tfl_entry_decode(&e, note.text, note.textlen, &err) == 0,
	    "%s", err.msg);
	tfl_note_release(&note);
	free(buf);
	return e;
}

int
tu_append(uint64_t *out, tfl_ledger *l, const tfl_key *k, int64_t now,
    tfl_entry **es, size_t n, tfl_err *err)
{
	size_t i;
	int rc;

	rc = tfl_ledger_append(out, l, k, es, n, now, err);
	for (i = 0; i < n; i++)
		tfl_entry_free(es[i]);
	return rc;
}

uint64_t
tu_ledger_size(tfl_ledger *l)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_fund_info info;

	ck_assert_msg(tfl_ledger_info(&info, l, &err) == 0, "%s", err.msg);
	return info.size;
}

tfl_verify_report
tu_verify_ok(tfl_ledger *l)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_verify_report r;

	ck_assert_msg(tfl_ledger_verify(&r, l, NULL, &err) == 0, "%s",
	    err.msg);
	ck_assert_uint_eq(r.bad_seq, UINT64_MAX);
	return r;
}

/* What the tu_pool, tu_donor and tu_grant queries ask and are told. */
struct query {
	const char *id;
	tfl_fund_pool pool;
	tfl_fund_donor donor;
	tfl_fund_grant grant;
};

static int
query_pool(void *ctx, tfl_kv *state, tfl_err *err)
{
	struct query *q = ctx;

	return tfl_fund_pool_get(&q->pool, state, q->id, err);
}

static int
query_donor(void *ctx, tfl_kv *state, tfl_err *err)
{
	struct query *q = ctx;

	return tfl_fund_donor_get(&q->donor, state, q->id, err);
}

static int
query_grant(void *ctx, tfl_kv *state, tfl_err *err)
{
	struct query *q = ctx;

	return tfl_fund_grant_get(&q->grant, state, q->id, err);
}

static void
query(struct query *q, tfl_ledger *l,
    int (*fn)(void *, tfl_kv *, tfl_err *), const char *id)
{
	tfl_err err = TFL_ERR_INIT;

	memset(q, 0, sizeof(*q));
	q->id = id;
	ck_assert_msg(tfl_ledger_read(l, fn, q, &err) == 0, "%s", err.msg);
}

tfl_fund_pool
tu_pool(tfl_ledger *l, const char *earmark)
{
	struct query q;

	query(&q, l, query_pool, earmark);
	return q.pool;
}

tfl_fund_donor
tu_donor(tfl_ledger *l, const char *id)
{
	struct query q;

	query(&q, l, query_donor, id);
	return q.donor;
}

tfl_fund_grant
tu_grant(tfl_ledger *l, const char *id)
{
	struct query q;

	query(&q, l, query_grant, id);
	return q.grant;
}

/* Enrol k in role on l, signed by admin at time now. */
static void
enrol(tfl_ledger *l, const tfl_key *admin, int64_t now, const tfl_key *k,
    const char *role)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = tu_entry_enroll(k, role);

	ck_assert_msg(tu_append(NULL, l, admin, now, &e, 1, &err) == 0, "%s",
	    err.msg);
}

/* As tu_ledger_create, into *out; the time of the last entry. */
static int64_t
create(tfl_ledger **out, const struct tu_ledger *tl, const char *dir,
    const tfl_genesis *g, int64_t t0, unsigned enroll)
{
	tfl_err err = TFL_ERR_INIT;
	int64_t now = t0;

	ck_assert_msg(tfl_ledger_create(out, dir, g, tl->admin, now, &err) == 0,
	    "%s", err.msg);
	if (enroll & TU_ENROLL_RECORDER)
		enrol(*out, tl->admin, ++now, tl->rec, "recorder");
	if (enroll & TU_ENROLL_APPROVER)
		enrol(*out, tl->admin, ++now, tl->appr, "approver");
	return now;
}

tfl_ledger *
tu_ledger_create(const struct tu_ledger *tl, const char *dir,
    const tfl_genesis *g, int64_t t0, unsigned enroll)
{
	tfl_ledger *l = NULL;

	create(&l, tl, dir, g, t0, enroll);
	return l;
}

void
tu_ledger_open(struct tu_ledger *tl, const tfl_genesis *g, int64_t t0,
    unsigned enroll)
{
	memset(tl, 0, sizeof(*tl));
	tl->dir = tu_tmpdir();
	tl->admin = tu_key_new("admin.test");
	tl->rec = tu_key_new("recorder.test");
	tl->appr = tu_key_new("approver.test");
	tl->clock = create(&tl->led, tl, tl->dir, g, t0, enroll);
}

void
tu_ledger_close(struct tu_ledger *tl)
{
	if (tl == NULL)
		return;
	tfl_ledger_close(tl->led);
	tfl_key_free(tl->admin);
	tfl_key_free(tl->rec);
	tfl_key_free(tl->appr);
	tu_rmtree(tl->dir);
	free(tl->dir);
	memset(tl, 0, sizeof(*tl));
}

uint64_t
tu_put_at(struct tu_ledger *tl, const tfl_key *k, int64_t now, tfl_entry *e)
{
	tfl_err err = TFL_ERR_INIT;
	uint64_t seq = UINT64_MAX;
	char what[64];
	int rc;

	/* The type's name first: tu_append frees e. */
	snprintf(what, sizeof(what), "%s",
	    tfl_entry_type_name(tfl_entry_type(e)));
	rc = tu_append(&seq, tl->led, k, now, &e, 1, &err);
	ck_assert_msg(rc == 0, "%s: %s", what, err.msg);
	return seq;
}

uint64_t
tu_put(struct tu_ledger *tl, const tfl_key *k, tfl_entry *e)
{
	return tu_put_at(tl, k, ++tl->clock, e);
}
