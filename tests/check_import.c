/*
 * check_import.c - importing receipts, pledges and donors from CSV
 * (import.h): all rows or none, rows already recorded skipped, errors
 * naming the line and the column.
 *
 * Each test gets a fresh USD ledger with a recorder key and donors D-1
 * and D-2.  Expected base amounts were worked out by hand.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tfledger/entry.h"
#include "tfledger/fund.h"
#include "tfledger/import.h"
#include "tfledger/keys.h"
#include "tfledger/ledger.h"

#define ORIGIN	"example.org/unvtf/import-test"
#define T0	((int64_t)1795000000) /* 2026-11-18T11:06:40Z */

#define RECEIPTS_HEADER "date,donor,amount,currency,reference\n"

static struct tu_ledger tl;

/* Import data as type, a second after the last entry. */
static int
import(size_t *added, size_t *skipped, int type, const char *data,
    tfl_err *err)
{
	*added = *skipped = 999;
	return tfl_import_csv(added, skipped, tl.led, tl.rec, type, data,
	    strlen(data), ++tl.clock, err);
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
	uint64_t size = tu_ledger_size(tl.led);
	size_t added, skipped;
	int rc;

	rc = import(&added, &skipped, type, data, err);
	ck_assert_msg(rc == want, "status %d, want %d: %s", rc, want,
	    err->msg);
	ck_assert_uint_eq(added, 0);
	ck_assert_uint_eq(tu_ledger_size(tl.led), size);
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

static void
setup(void)
{
	tfl_genesis g = { ORIGIN, "Test Trust Fund", "USD", NULL };

	tu_ledger_open(&tl, &g, T0, TU_ENROLL_RECORDER);
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_DONOR, "id", "D-1", "name",
	    "Donor One", "kind", "government", "anonymous", "no", NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_DONOR, "id", "D-2", "name",
	    "Donor Two", "kind", "foundation", "anonymous", "no", NULL));
}

static void
teardown(void)
{
	tu_ledger_close(&tl);
}

START_TEST(test_receipts_import_from_crlf_bom_and_quoted_cells)
{
	static const char csv[] =
	    "\xEF\xBB\xBF\"date\",donor,amount,currency,reference,rate\r\n"
	    "2026-10-01,D-1,1000.00,USD,BANK-1,\"\"\r\n"
	    "\"2026-10-02\",\"D-2\",\"500.00\",EUR,\"BANK-2\",0.926\r\n"
	    "2026-10-03,D-2,1000000,JPY,BANK-3,\"156.250\"";
	uint64_t first = tu_ledger_size(tl.led);
	tfl_entry *e;

	import_ok(TFL_ENTRY_RECEIPT, csv, 3, 0);
	ck_assert_uint_eq(tu_ledger_size(tl.led), first + 3);
	e = tu_entry_read(tl.led, first);
	ck_assert_int_eq(tfl_entry_type(e), TFL_ENTRY_RECEIPT);
	assert_field(e, "date", "2026-10-01");
	assert_field(e, "donor", "D-1");
	assert_field(e, "ref", "BANK-1");
	assert_field(e, "amount", "1000.00");
	assert_field(e, "currency", "USD");
	assert_field(e, "rate", NULL);
	assert_field(e, "base-amount", "1000.00");
	tfl_entry_free(e);
	e = tu_entry_read(tl.led, first + 1);
	assert_field(e, "date", "2026-10-02");
	assert_field(e, "ref", "BANK-2");
	assert_field(e, "rate", "0.926");
	/* 500.00 / 0.926 = 539.9568... */
	assert_field(e, "base-amount", "539.96");
	tfl_entry_free(e);
	e = tu_entry_read(tl.led, first + 2);
	assert_field(e, "rate", "156.25");
	assert_field(e, "base-amount", "6400.00");
	tfl_entry_free(e);
	ck_assert_int_eq(tu_pool(tl.led, "").cash, 100000 + 53996 + 640000);
	ck_assert_int_eq(tu_donor(tl.led, "D-2").received, 53996 + 640000);
	tu_verify_ok(tl.led);
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
	ck_assert_int_eq(tu_pool(tl.led, "").cash, 0);
	tu_verify_ok(tl.led);
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
	ck_assert_int_eq(tfl_import_csv(&added, &skipped, tl.led, tl.rec,
	    TFL_ENTRY_GRANT, RECEIPTS_HEADER, strlen(RECEIPTS_HEADER),
	    ++tl.clock, &err), TFL_EINVAL);
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
	size = tu_ledger_size(tl.led);
	import_ok(TFL_ENTRY_RECEIPT, two, 0, 2);
	ck_assert_uint_eq(tu_ledger_size(tl.led), size);
	import_ok(TFL_ENTRY_RECEIPT, three, 1, 2);
	ck_assert_uint_eq(tu_ledger_size(tl.led), size + 1);
	import_ok(TFL_ENTRY_RECEIPT, three, 0, 3);
	ck_assert_int_eq(tu_pool(tl.led, "").cash, 6000);
	/* A file with no rows appends nothing and is no error. */
	import_ok(TFL_ENTRY_RECEIPT, RECEIPTS_HEADER, 0, 0);
	ck_assert_uint_eq(tu_ledger_size(tl.led), size + 1);
	tu_verify_ok(tl.led);
}
END_TEST

/* n receipt rows, R<from>.., of 1.00 + i cents, one date in 28 each. */
static char *
many_receipts(unsigned from, unsigned n)
{
	size_t cap = 64 + 48 * (size_t)n, len;
	char *csv = malloc(cap);
	unsigned i;

	ck_assert_ptr_nonnull(csv);
	len = (size_t)snprintf(csv, cap, RECEIPTS_HEADER);
	for (i = from; i < from + n; i++)
		len += (size_t)snprintf(csv + len, cap - len, "2026-10-%02u,"
		    "D-%u,%u.%02u,USD,R%05u\n", 1 + i % 28, 1 + i % 2,
		    1 + i / 100, i % 100, i);
	return csv;
}

/*
 * One command of 6,000 receipts adds about 15,000 state records, which
 * appends write to the transaction a few thousand at a time, keeping in
 * memory those read since: every record ends the same as entry by entry
 * (the audit compares each with its replay), and a refused row still
 * leaves nothing of the records written out before it.
 */
START_TEST(test_a_long_import_stores_the_state_of_its_entries)
{
	tfl_err err = TFL_ERR_INIT;
	char *csv = many_receipts(0, 6000), *bad;
	uint64_t size;
	size_t n;

	import_ok(TFL_ENTRY_RECEIPT, csv, 6000, 0);
	/* 6,000 rows of 1.00 + i cents: 6,000 x 100 + 5,999 x 6,000 / 2 */
	ck_assert_int_eq(tu_pool(tl.led, "").cash, 600000 + 17997000);
	tu_verify_ok(tl.led);
	size = tu_ledger_size(tl.led);
	import_ok(TFL_ENTRY_RECEIPT, csv, 0, 6000);
	/* new rows, the last of them from a donor the ledger lacks */
	bad = many_receipts(6000, 6000);
	for (n = strlen(bad) - 1; bad[n - 1] != '\n'; n--)
		;
	ck_assert_ptr_nonnull(strstr(bad + n, ",D-"));
	strstr(bad + n, ",D-")[3] = '9';
	import_refused(TFL_ENTRY_RECEIPT, bad, TFL_ERULE, &err);
	assert_msg_has(&err, "line 6001", "D-9");
	ck_assert_uint_eq(tu_ledger_size(tl.led), size);
	tu_verify_ok(tl.led);
	free(bad);
	free(csv);
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
	ck_assert_int_eq(tu_pool(tl.led, "").cash, 100000);
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
	p = tu_pool(tl.led, "EM-1");
	/* 100000.00 / 0.93 = 107526.88; the pledge booked 107991.36. */
	ck_assert_int_eq(p.cash, 10752688);
	ck_assert_int_eq(p.receivable, 0);
	ck_assert_int_eq(p.fx, 10752688 - 10799136);
	ck_assert_int_eq(p.contributions, 10799136);
	ck_assert_int_eq(tu_pool(tl.led, "").cash, 0);
	tu_verify_ok(tl.led);
}
END_TEST

START_TEST(test_pledges_import_with_their_optional_columns)
{
	static const char csv[] =
	    "reference,donor,date,amount,currency,rate,earmark,due\n"
	    "P-10,D-1,2026-09-01,100000.00,EUR,0.926,EM-1,2026-12-31\n"
	    "P-11,D-2,2026-09-02,1000000,JPY,156.250,,\n";
	tfl_err err = TFL_ERR_INIT;
	uint64_t first = tu_ledger_size(tl.led);
	tfl_entry *e;

	import_ok(TFL_ENTRY_PLEDGE, csv, 2, 0);
	e = tu_entry_read(tl.led, first);
	ck_assert_int_eq(tfl_entry_type(e), TFL_ENTRY_PLEDGE);
	assert_field(e, "ref", "P-10");
	assert_field(e, "base-amount", "107991.36");
	assert_field(e, "earmark", "EM-1");
	assert_field(e, "due", "2026-12-31");
	tfl_entry_free(e);
	e = tu_entry_read(tl.led, first + 1);
	assert_field(e, "rate", "156.25");
	assert_field(e, "base-amount", "6400.00");
	assert_field(e, "earmark", NULL);
	assert_field(e, "due", NULL);
	tfl_entry_free(e);
	ck_assert_int_eq(tu_pool(tl.led, "EM-1").receivable, 10799136);
	ck_assert_int_eq(tu_pool(tl.led, "").receivable, 640000);
	ck_assert_int_eq(tu_donor(tl.led, "D-2").pledged, 640000);
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
	tu_verify_ok(tl.led);
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
	d = tu_donor(tl.led, "D-10");
	ck_assert_str_eq(d.name, "Ministry of Foreign Affairs, Norway");
	ck_assert_str_eq(d.kind, "government");
	ck_assert_str_eq(d.country, "NO");
	ck_assert_int_eq(d.anonymous, 0);
	d = tu_donor(tl.led, "D-11");
	ck_assert_str_eq(d.name, "The \"Open Hand\" Foundation");
	ck_assert_str_eq(d.country, "");
	ck_assert_int_eq(d.anonymous, 1);
	size = tu_ledger_size(tl.led);
	import_ok(TFL_ENTRY_DONOR, csv, 0, 2);
	ck_assert_uint_eq(tu_ledger_size(tl.led), size);
	import_ok(TFL_ENTRY_DONOR, "id,name,kind\n"
	    "D-10,Norwegian Ministry of Foreign Affairs,government\n", 1, 0);
	d = tu_donor(tl.led, "D-10");
	ck_assert_str_eq(d.name, "Norwegian Ministry of Foreign Affairs");
	ck_assert_str_eq(d.country, "");
	import_refused(TFL_ENTRY_DONOR, "id,name,kind\n"
	    "D-12,Acme,company\n", TFL_EINVAL, &err);
	assert_msg_has(&err, "line 2", "kind");
	import_refused(TFL_ENTRY_DONOR, "id,name,kind,anonymous\n"
	    "D-12,Acme,private,maybe\n", TFL_EINVAL, &err);
	assert_msg_has(&err, "line 2", "anonymous");
	tu_verify_ok(tl.led);
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
	tcase_add_test(tc, test_a_long_import_stores_the_state_of_its_entries);
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
