/*
 * check_import.c - importing receipts, pledges and donors from CSV
 * (import.h): all rows or none, rows already recorded skipped, errors
 * naming the line and the column.
 *
 * Each test gets a fresh USD ledger with a recorder key and donors D-1
 * and D-2.  Expected base amounts were worked out by hand.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tfledger/entry.h"
#include "tfledger/fund.h"
#include "tfledger/import.h"
#include "tfledger/keys.h"
#include "tfledger/ledger.h"
#include "tfledger/note.h"

#define ORIGIN	"example.org/unvtf/import-test"
#define T0	((int64_t)1795000000) /* 2026-11-18T11:06:40Z */

#define RECEIPTS_HEADER "date,donor,amount,currency,reference\n"

static char *dir;
static tfl_ledger *led;
static tfl_key *admin, *rec;
static int64_t clock_now;

static tfl_key *
gen(const char *name)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_key *k = NULL;

	ck_assert_msg(tfl_key_generate(&k, name, &err) == 0, "%s", err.msg);
	return k;
}

/* Append one entry of type with fields from name, value pairs. */
static void
put_ok(const tfl_key *k, int type, ...)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;
	const char *f, *v;
	va_list ap;
	int rc;

	ck_assert_msg(tfl_entry_new(&e, type, &err) == 0, "%s", err.msg);
	va_start(ap, type);
	while ((f = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		ck_assert_msg(tfl_entry_set(e, f, v, &err) == 0, "%s: %s", f,
		    err.msg);
	}
	va_end(ap);
	rc = tfl_ledger_append(NULL, led, k, &e, 1, ++clock_now, &err);
	tfl_entry_free(e);
	ck_assert_msg(rc == 0, "%s", err.msg);
}

static uint64_t
ledger_size(void)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_fund_info info;

	ck_assert_msg(tfl_ledger_info(&info, led, &err) == 0, "%s", err.msg);
	return info.size;
}

/* Import data as type, a second after the last entry. */
static int
import(size_t *added, size_t *skipped, int type, const char *data,
    tfl_err *err)
{
	*added = *skipped = 999;
	return tfl_import_csv(added, skipped, led, rec, type, data,
	    strlen(data), ++clock_now, err);
}

/* As import, which must succeed with the given counts. */
static void
import_ok(int type, const char *data, size_t want_added,
    size_t want_skipped)
{
	tfl_err err = TFL_ERR_INIT;
	size_t added, skipped;
	int rc;

	rc = import(&added, &skipped, type, data, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(added, want_added);
	ck_assert_uint_eq(skipped, want_skipped);
}

/* As import, which must fail with want, appending nothing. */
static void
import_refused(int type, const char *data, int want, tfl_err *err)
{
	uint64_t size = ledger_size();
	size_t added, skipped;
	int rc;

	rc = import(&added, &skipped, type, data, err);
	ck_assert_msg(rc == want, "status %d, want %d: %s", rc, want,
	    err->msg);
	ck_assert_uint_eq(added, 0);
	ck_assert_uint_eq(ledger_size(), size);
}

static void
assert_msg_has(const tfl_err *err, const char *a, const char *b)
{
	ck_assert_msg(strstr(err->msg, a) != NULL, "no \"%s\" in: %s", a,
	    err->msg);
	if (b != NULL)
		ck_assert_msg(strstr(err->msg, b) != NULL, "no \"%s\" in: %s",
		    b, err->msg);
}

/* Entry seq as stored, decoded (caller frees). */
static tfl_entry *
stored(uint64_t seq)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;
	tfl_note note;
	char *buf = NULL;
	size_t len;

	ck_assert_msg(tfl_ledger_entry(&buf, &len, led, seq, &err) == 0, "%s",
	    err.msg);
	ck_assert_msg(tfl_note_parse(&note, buf, len, &err) == 0, "%s",
	    err.msg);
	ck_assert_msg(tfl_entry_decode(&e, note.text, note.textlen, &err) == 0,
	    "%s", err.msg);
	tfl_note_release(&note);
	free(buf);
	return e;
}

static void
assert_field(const tfl_entry *e, const char *field, const char *want)
{
	const char *v = tfl_entry_get(e, field);

	if (want == NULL) {
		ck_assert_msg(v == NULL, "%s: \"%s\", want none", field, v);
		return;
	}
	ck_assert_msg(v != NULL && strcmp(v, want) == 0, "%s: \"%s\", want "
	    "\"%s\"", field, v != NULL ? v : "(none)", want);
}

struct q {
	const char *id;
	tfl_fund_pool pool;
	tfl_fund_donor donor;
};

static int
q_pool(void *ctx, tfl_kv *state, tfl_err *err)
{
	struct q *q = ctx;

	return tfl_fund_pool_get(&q->pool, state, q->id, err);
}

static int
q_donor(void *ctx, tfl_kv *state, tfl_err *err)
{
	struct q *q = ctx;

	return tfl_fund_donor_get(&q->donor, state, q->id, err);
}

static tfl_fund_pool
pool_now(const char *earmark)
{
	tfl_err err = TFL_ERR_INIT;
	struct q q;

	memset(&q, 0, sizeof(q));
	q.id = earmark;
	ck_assert_msg(tfl_ledger_read(led, q_pool, &q, &err) == 0, "%s",
	    err.msg);
	return q.pool;
}

static tfl_fund_donor
donor_now(const char *id)
{
	tfl_err err = TFL_ERR_INIT;
	struct q q;

	memset(&q, 0, sizeof(q));
	q.id = id;
	ck_assert_msg(tfl_ledger_read(led, q_donor, &q, &err) == 0, "%s",
	    err.msg);
	return q.donor;
}

static void
verify_ok(void)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_verify_report r;

	ck_assert_msg(tfl_ledger_verify(&r, led, NULL, &err) == 0, "%s",
	    err.msg);
}

static void
setup(void)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_genesis g = { ORIGIN, "Test Trust Fund", "USD", NULL };
	tfl_verifier v;
	char vk[512];
	int rc;

	dir = tu_tmpdir();
	admin = gen("admin.test");
	rec = gen("recorder.test");
	clock_now = T0;
	rc = tfl_ledger_create(&led, dir, &g, admin, clock_now, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	tfl_verifier_of_key(&v, rec);
	ck_assert_int_eq(tfl_verifier_format(vk, sizeof(vk), &v), 0);
	put_ok(admin, TFL_ENTRY_KEY_ENROLL, "key", vk, "role", "recorder",
	    NULL);
	put_ok(rec, TFL_ENTRY_DONOR, "id", "D-1", "name", "Donor One", "kind",
	    "government", "anonymous", "no", NULL);
	put_ok(rec, TFL_ENTRY_DONOR, "id", "D-2", "name", "Donor Two", "kind",
	    "foundation", "anonymous", "no", NULL);
}

static void
teardown(void)
{
	tfl_ledger_close(led);
	led = NULL;
	tfl_key_free(admin);
	tfl_key_free(rec);
	admin = rec = NULL;
	tu_rmtree(dir);
	free(dir);
	dir = NULL;
}

START_TEST(test_receipts_import_from_crlf_bom_and_quoted_cells)
{
	static const char csv[] =
	    "\xEF\xBB\xBF\"date\",donor,amount,currency,reference,rate\r\n"
	    "2026-10-01,D-1,1000.00,USD,BANK-1,\"\"\r\n"
	    "\"2026-10-02\",\"D-2\",\"500.00\",EUR,\"BANK-2\",0.926\r\n"
	    "2026-10-03,D-2,1000000,JPY,BANK-3,\"156.250\"";
	uint64_t first = ledger_size();
	tfl_entry *e;

	import_ok(TFL_ENTRY_RECEIPT, csv, 3, 0);
	ck_assert_uint_eq(ledger_size(), first + 3);
	e = stored(first);
	ck_assert_int_eq(tfl_entry_type(e), TFL_ENTRY_RECEIPT);
	assert_field(e, "date", "2026-10-01");
	assert_field(e, "donor", "D-1");
	assert_field(e, "ref", "BANK-1");
	assert_field(e, "amount", "1000.00");
	assert_field(e, "currency", "USD");
	assert_field(e, "rate", NULL);
	assert_field(e, "base-amount", "1000.00");
	tfl_entry_free(e);
	e = stored(first + 1);
	assert_field(e, "date", "2026-10-02");
	assert_field(e, "ref", "BANK-2");
	assert_field(e, "rate", "0.926");
	/* 500.00 / 0.926 = 539.9568... */
	assert_field(e, "base-amount", "539.96");
	tfl_entry_free(e);
	e = stored(first + 2);
	assert_field(e, "rate", "156.25");
	assert_field(e, "base-amount", "6400.00");
	tfl_entry_free(e);
	ck_assert_int_eq(pool_now("").cash, 100000 + 53996 + 640000);
	ck_assert_int_eq(donor_now("D-2").received, 53996 + 640000);
	verify_ok();
}
END_TEST

START_TEST(test_a_bad_row_names_its_line_and_column_and_appends_nothing)
{
	tfl_err err = TFL_ERR_INIT;

	import_refused(TFL_ENTRY_RECEIPT, RECEIPTS_HEADER
	    "2026-10-01,D-1,10.00,USD,B-1\n"
	    "2026-10-02,D-1,10.00,USD,B-2\n"
	    "2026-02-30,D-1,10.00,USD,B-3\n", TFL_EINVAL, &err);
	assert_msg_has(&err, "line 4", "date");
	/* CRLF line ends count as one line each. */
	import_refused(TFL_ENTRY_RECEIPT, RECEIPTS_HEADER
	    "2026-10-01,D-1,10.00,USD,B-1\r\n"
	    "2026-10-02,D-1,12.345,USD,B-2\r\n", TFL_EINVAL, &err);
	assert_msg_has(&err, "line 3", "amount");
	import_refused(TFL_ENTRY_RECEIPT, RECEIPTS_HEADER
	    "2026-10-01,D-1,10.00,USD,B-1\n"
	    "2026-10-02,,10.00,USD,B-2\n", TFL_EINVAL, &err);
	assert_msg_has(&err, "line 3", "donor");
	import_refused(TFL_ENTRY_RECEIPT, RECEIPTS_HEADER
	    "2026-10-01,D-1,10.00,USD,B 1\n", TFL_EINVAL, &err);
	assert_msg_has(&err, "line 2", "reference");
	import_refused(TFL_ENTRY_RECEIPT, RECEIPTS_HEADER
	    "2026-10-01,D-1,10.00,EUR,B-1\n", TFL_EINVAL, &err);
	assert_msg_has(&err, "line 2", "rate");
	/* Refused by a rule: an unknown donor. */
	import_refused(TFL_ENTRY_RECEIPT, RECEIPTS_HEADER
	    "2026-10-01,D-1,10.00,USD,B-1\n"
	    "2026-10-02,D-9,10.00,USD,B-2\n", TFL_ERULE, &err);
	assert_msg_has(&err, "line 3", "D-9");
	/* The same reference twice in one file. */
	import_refused(TFL_ENTRY_RECEIPT, RECEIPTS_HEADER
	    "2026-10-01,D-1,10.00,USD,B-1\n"
	    "2026-10-02,D-1,10.00,USD,B-1\n", TFL_ERULE, &err);
	assert_msg_has(&err, "line 3", "B-1");
	/* Malformed CSV: the reader's line and column. */
	import_refused(TFL_ENTRY_RECEIPT, RECEIPTS_HEADER
	    "2026-10-01,D-1,\"10.00,USD,B-1\n", TFL_EINVAL, &err);
	assert_msg_has(&err, "line 2, column 3", NULL);
	ck_assert_int_eq(pool_now("").cash, 0);
	verify_ok();
}
END_TEST

START_TEST(test_a_missing_or_unknown_column_is_refused)
{
	tfl_err err = TFL_ERR_INIT;
	size_t added, skipped;

	import_refused(TFL_ENTRY_RECEIPT, "date,donor,amount,currency\n"
	    "2026-10-01,D-1,10.00,USD\n", TFL_EINVAL, &err);
	assert_msg_has(&err, "line 1", "reference");
	import_refused(TFL_ENTRY_RECEIPT, "date,donor,amount,currency,"
	    "reference,memo\n2026-10-01,D-1,10.00,USD,B-1,x\n", TFL_EINVAL,
	    &err);
	assert_msg_has(&err, "line 1", "memo");
	/* A due date is a pledge's column, not a receipt's. */
	import_refused(TFL_ENTRY_RECEIPT, "date,donor,amount,currency,"
	    "reference,due\n2026-10-01,D-1,10.00,USD,B-1,\n", TFL_EINVAL,
	    &err);
	ck_assert_int_eq(tfl_import_csv(&added, &skipped, led, rec,
	    TFL_ENTRY_GRANT, RECEIPTS_HEADER, strlen(RECEIPTS_HEADER),
	    ++clock_now, &err), TFL_EINVAL);
}
END_TEST

START_TEST(test_importing_the_same_receipts_again_appends_nothing)
{
	static const char two[] = RECEIPTS_HEADER
	    "2026-10-01,D-1,10.00,USD,B-1\n"
	    "2026-10-02,D-2,20.00,USD,B-1\n";
	static const char three[] = RECEIPTS_HEADER
	    "2026-10-01,D-1,10.00,USD,B-1\n"
	    "2026-10-03,D-1,30.00,USD,B-3\n"
	    "2026-10-02,D-2,20.00,USD,B-1\n";
	uint64_t size;

	import_ok(TFL_ENTRY_RECEIPT, two, 2, 0);
	size = ledger_size();
	import_ok(TFL_ENTRY_RECEIPT, two, 0, 2);
	ck_assert_uint_eq(ledger_size(), size);
	import_ok(TFL_ENTRY_RECEIPT, three, 1, 2);
	ck_assert_uint_eq(ledger_size(), size + 1);
	import_ok(TFL_ENTRY_RECEIPT, three, 0, 3);
	ck_assert_int_eq(pool_now("").cash, 6000);
	/* A file with no rows appends nothing and is no error. */
	import_ok(TFL_ENTRY_RECEIPT, RECEIPTS_HEADER, 0, 0);
	ck_assert_uint_eq(ledger_size(), size + 1);
	verify_ok();
}
END_TEST

START_TEST(test_a_recorded_reference_with_other_figures_is_refused)
{
	tfl_err err = TFL_ERR_INIT;

	import_ok(TFL_ENTRY_RECEIPT, RECEIPTS_HEADER
	    "2026-10-01,D-1,1000.00,USD,BANK-1\n", 1, 0);
	import_refused(TFL_ENTRY_RECEIPT, RECEIPTS_HEADER
	    "2026-10-02,D-2,5.00,USD,B-NEW\n"
	    "2026-10-01,D-1,1000.01,USD,BANK-1\n", TFL_ERULE, &err);
	assert_msg_has(&err, "line 3", "BANK-1");
	import_refused(TFL_ENTRY_RECEIPT, "date,donor,amount,currency,"
	    "reference,rate\n2026-10-01,D-1,1000.00,EUR,BANK-1,0.926\n",
	    TFL_ERULE, &err);
	assert_msg_has(&err, "line 2", "BANK-1");
	ck_assert_int_eq(pool_now("").cash, 100000);
	/* Another donor's BANK-1 is another receipt. */
	import_ok(TFL_ENTRY_RECEIPT, RECEIPTS_HEADER
	    "2026-10-01,D-2,1000.01,USD,BANK-1\n", 1, 0);
}
END_TEST

START_TEST(test_a_recorded_reference_at_another_rate_is_refused)
{
	tfl_err err = TFL_ERR_INIT;

	import_ok(TFL_ENTRY_RECEIPT, "date,donor,amount,currency,reference,"
	    "rate\n2026-10-01,D-1,500.00,EUR,BANK-1,0.926\n", 1, 0);
	/*
	 * SUSPECTED BUG: the same amount at another rate is another base
	 * amount (537.63, not 539.96), so the row is "recorded with other
	 * figures" (import.h) and should be refused; the importer compares
	 * only donor, currency and amount and skips it as already recorded.
	 */
	import_refused(TFL_ENTRY_RECEIPT, "date,donor,amount,currency,"
	    "reference,rate\n2026-10-01,D-1,500.00,EUR,BANK-1,0.93\n",
	    TFL_ERULE, &err);
	assert_msg_has(&err, "line 2", "BANK-1");
}
END_TEST

START_TEST(test_a_receipt_row_may_pay_a_pledge)
{
	tfl_fund_pool p;

	import_ok(TFL_ENTRY_PLEDGE, "date,donor,amount,currency,reference,"
	    "rate,earmark\n2026-09-01,D-1,100000.00,EUR,P-10,0.926,EM-1\n", 1,
	    0);
	import_ok(TFL_ENTRY_RECEIPT, "date,donor,amount,currency,reference,"
	    "rate,pledge,earmark\n"
	    "2026-10-05,D-1,100000.00,EUR,B-9,0.93,P-10,\n", 1, 0);
	p = pool_now("EM-1");
	/* 100000.00 / 0.93 = 107526.88; the pledge booked 107991.36. */
	ck_assert_int_eq(p.cash, 10752688);
	ck_assert_int_eq(p.receivable, 0);
	ck_assert_int_eq(p.fx, 10752688 - 10799136);
	ck_assert_int_eq(p.contributions, 10799136);
	ck_assert_int_eq(pool_now("").cash, 0);
	verify_ok();
}
END_TEST

START_TEST(test_pledges_import_with_their_optional_columns)
{
	static const char csv[] =
	    "reference,donor,date,amount,currency,rate,earmark,due\n"
	    "P-10,D-1,2026-09-01,100000.00,EUR,0.926,EM-1,2026-12-31\n"
	    "P-11,D-2,2026-09-02,1000000,JPY,156.250,,\n";
	tfl_err err = TFL_ERR_INIT;
	uint64_t first = ledger_size();
	tfl_entry *e;

	import_ok(TFL_ENTRY_PLEDGE, csv, 2, 0);
	e = stored(first);
	ck_assert_int_eq(tfl_entry_type(e), TFL_ENTRY_PLEDGE);
	assert_field(e, "ref", "P-10");
	assert_field(e, "base-amount", "107991.36");
	assert_field(e, "earmark", "EM-1");
	assert_field(e, "due", "2026-12-31");
	tfl_entry_free(e);
	e = stored(first + 1);
	assert_field(e, "rate", "156.25");
	assert_field(e, "base-amount", "6400.00");
	assert_field(e, "earmark", NULL);
	assert_field(e, "due", NULL);
	tfl_entry_free(e);
	ck_assert_int_eq(pool_now("EM-1").receivable, 10799136);
	ck_assert_int_eq(pool_now("").receivable, 640000);
	ck_assert_int_eq(donor_now("D-2").pledged, 640000);
	import_ok(TFL_ENTRY_PLEDGE, csv, 0, 2);
	import_refused(TFL_ENTRY_PLEDGE, "date,donor,amount,currency,"
	    "reference,rate\n2026-09-03,D-2,1000001,JPY,P-11,156.25\n",
	    TFL_ERULE, &err);
	assert_msg_has(&err, "line 2", "P-11");
	/* A pledge's reference is unique in the ledger, whoever gave it. */
	import_refused(TFL_ENTRY_PLEDGE, "date,donor,amount,currency,"
	    "reference,rate\n2026-09-01,D-2,100000.00,EUR,P-10,0.926\n",
	    TFL_ERULE, &err);
	assert_msg_has(&err, "line 2", "P-10");
	verify_ok();
}
END_TEST

START_TEST(test_donors_import_and_a_changed_row_corrects_the_donor)
{
	static const char csv[] =
	    "id,name,kind,country,anonymous\n"
	    "D-10,\"Ministry of Foreign Affairs, Norway\",government,NO,\n"
	    "D-11,\"The \"\"Open Hand\"\" Foundation\",foundation,,yes\n";
	tfl_err err = TFL_ERR_INIT;
	tfl_fund_donor d;
	uint64_t size;

	import_ok(TFL_ENTRY_DONOR, csv, 2, 0);
	d = donor_now("D-10");
	ck_assert_str_eq(d.name, "Ministry of Foreign Affairs, Norway");
	ck_assert_str_eq(d.kind, "government");
	ck_assert_str_eq(d.country, "NO");
	ck_assert_int_eq(d.anonymous, 0);
	d = donor_now("D-11");
	ck_assert_str_eq(d.name, "The \"Open Hand\" Foundation");
	ck_assert_str_eq(d.country, "");
	ck_assert_int_eq(d.anonymous, 1);
	size = ledger_size();
	import_ok(TFL_ENTRY_DONOR, csv, 0, 2);
	ck_assert_uint_eq(ledger_size(), size);
	import_ok(TFL_ENTRY_DONOR, "id,name,kind\n"
	    "D-10,Norwegian Ministry of Foreign Affairs,government\n", 1, 0);
	d = donor_now("D-10");
	ck_assert_str_eq(d.name, "Norwegian Ministry of Foreign Affairs");
	ck_assert_str_eq(d.country, "");
	import_refused(TFL_ENTRY_DONOR, "id,name,kind\n"
	    "D-12,Acme,company\n", TFL_EINVAL, &err);
	assert_msg_has(&err, "line 2", "kind");
	import_refused(TFL_ENTRY_DONOR, "id,name,kind,anonymous\n"
	    "D-12,Acme,private,maybe\n", TFL_EINVAL, &err);
	assert_msg_has(&err, "line 2", "anonymous");
	verify_ok();
}
END_TEST

static Suite *
import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_receipts_import_from_crlf_bom_and_quoted_cells);
	tcase_add_test(tc,
	    test_a_bad_row_names_its_line_and_column_and_appends_nothing);
	tcase_add_test(tc, test_a_missing_or_unknown_column_is_refused);
	tcase_add_test(tc,
	    test_importing_the_same_receipts_again_appends_nothing);
	tcase_add_test(tc,
	    test_a_recorded_reference_with_other_figures_is_refused);
	tcase_add_test(tc,
	    test_a_recorded_reference_at_another_rate_is_refused);
	tcase_add_test(tc, test_a_receipt_row_may_pay_a_pledge);
	tcase_add_test(tc, test_pledges_import_with_their_optional_columns);
	tcase_add_test(tc,
	    test_donors_import_and_a_changed_row_corrects_the_donor);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(import_suite()) != 0;
}
