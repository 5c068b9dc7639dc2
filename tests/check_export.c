/*
 * check_export.c - the export (export.h): journal, CSV, JSON and IATI
 * text of small ledgers built with tfl_ledger_append, compared with text
 * worked out by hand.  tests/cli/test_export.sh reads whole fund years
 * back with hledger and ledger; tests/cli/test_iati.sh validates the
 * IATI form with xmllint and the IATI codelists.
 *
 * Each test gets a fresh ledger (USD unless it makes its own) with an
 * admin, a recorder and an approver key, and donors D-EU and D-US.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "tfledger/entry.h"
#include "tfledger/export.h"
#include "tfledger/keys.h"
#include "tfledger/ledger.h"

#define ORIGIN "example.org/unvtf/export-test"
#define T0 ((int64_t)1795000000) /* 2026-11-18T11:06:40Z */

static struct tu_ledger tl;

static tfl_entry *
receipt(const char *date, const char *d, const char *ref, const char *amount,
    const char *cur, const char *rate, const char *base)
{
	return tu_entry_new(TFL_ENTRY_RECEIPT, "date", date, "donor", d, "ref",
	    ref, "amount", amount, "currency", cur, "rate", rate, "base-amount",
	    base, NULL);
}

/* A ledger in base currency with the three keys and two donors. */
static void
make(const char *base)
{
	tfl_genesis g = { ORIGIN, "Export Test Fund", base, NULL };

	tu_ledger_open(&tl, &g, T0, TU_ENROLL_RECORDER | TU_ENROLL_APPROVER);
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_DONOR, "id", "D-EU",
	    "name", "Donor EU", "kind", "government", "anonymous", "no",
	    NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_DONOR, "id", "D-US",
	    "name", "Donor US", "kind", "private", "anonymous", "no", NULL));
}

static void
teardown(void)
{
	tu_ledger_close(&tl);
}

/* The export in format as a malloc'd string; the status in *rc. */
static char *
export(int format, int *rc, tfl_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	*rc = tfl_export_write(f, tl.led, format, err);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

/* The export in format, which must succeed. */
static char *
export_ok(int format)
{
	tfl_err err = TFL_ERR_INIT;
	char *s;
	int rc;

	s = export(format, &rc, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	return s;
}

#define HAS(s, want) ck_assert_msg(strstr((s), (want)) != NULL, \
	"lacks \"%s\" in:\n%s", (want), (s))
#define LACKS(s, bad) ck_assert_msg(strstr((s), (bad)) == NULL, \
	"has \"%s\" in:\n%s", (bad), (s))

/*
 * The text after the posting line to account at or after *from: the
 * account indented by four spaces, then two or more spaces, then rest
 * of the line, which must be amount.  *from moves past it.
 */
static void
posting(const char **from, const char *account, const char *amount)
{
	char want[256];
	const char *p;
	size_t n;

	snprintf(want, sizeof(want), "\n    %s  ", account);
	p = strstr(*from, want);
	ck_assert_msg(p != NULL, "no posting to %s in:\n%s", account, *from);
	p += strlen(want);
	while (*p == ' ')
		p++;
	n = strcspn(p, "\n");
	ck_assert_msg(strlen(amount) == n && strncmp(p, amount, n) == 0,
	    "%s: \"%.*s\", want \"%s\"", account, (int)n, p, amount);
	*from = p + n;
}

START_TEST(test_format_names_are_found)
{
	ck_assert_int_eq(tfl_export_format_find("hledger"), TFL_EXPORT_HLEDGER);
	ck_assert_int_eq(tfl_export_format_find("csv"), TFL_EXPORT_CSV);
	ck_assert_int_eq(tfl_export_format_find("json"), TFL_EXPORT_JSON);
	ck_assert_int_eq(tfl_export_format_find("iati"), TFL_EXPORT_IATI);
	ck_assert_int_eq(tfl_export_format_find("ledger"), -1);
	ck_assert_int_eq(tfl_export_format_find("JSON"), -1);
}
END_TEST

START_TEST(test_an_unknown_format_is_refused_and_writes_nothing)
{
	tfl_err err = TFL_ERR_INIT;
	char *s;
	int rc;

	make("USD");
	s = export(99, &rc, &err);
	ck_assert_int_eq(rc, TFL_EINVAL);
	ck_assert_str_eq(s, "");
	HAS(err.msg, "export format 99");
	free(s);
	s = export(-1, &rc, &err);
	ck_assert_int_eq(rc, TFL_EINVAL);
	free(s);
}
END_TEST

START_TEST(test_a_fund_without_money_has_directives_only)
{
	char *s;

	make("USD");
	s = export_ok(TFL_EXPORT_HLEDGER);
	HAS(s, "; Export Test Fund\n; exported by tfledger from " ORIGIN
	    ": 5 entries, root ");
	HAS(s, "\n\ncommodity USD\n  format 1000.00 USD\n\n");
	LACKS(s, "account");
	LACKS(s, "tag");
	free(s);
	s = export_ok(TFL_EXPORT_CSV);
	ck_assert_str_eq(s, "date,seq,by_seq,type,account,amount,currency,"
	    "orig_amount,orig_currency,earmark,reverses,description\n");
	free(s);
	s = export_ok(TFL_EXPORT_JSON);
	ck_assert_str_eq(s, "[\n]\n");
	free(s);
}
END_TEST

/* EUR 100000.00 at 0.926 is USD 107991.36 (DOMAIN.md's known answer). */
START_TEST(test_a_foreign_receipt_is_written_at_its_cost)
{
	const char *p;
	char *s;

	make("USD");
	tu_put(&tl, tl.rec, receipt("2026-03-01", "D-EU", "B-1", "100000.00",
	    "EUR", "0.926", "107991.36"));
	s = export_ok(TFL_EXPORT_HLEDGER);
	HAS(s, "commodity USD\n  format 1000.00 USD\n\n"
	    "commodity EUR\n  format 1000.00 EUR\n\n");
	HAS(s, "account assets:cash\n  ; type: A\n"
	    "account income:contributions:D-EU\n  ; type: R\n\ntag seq\n\n");
	HAS(s, "\n2026-03-01 * receipt D-EU B-1\n    ; seq: 5\n    assets");
	p = s;
	posting(&p, "assets:cash", "100000.00 EUR @@ 107991.36 USD");
	posting(&p, "income:contributions:D-EU", "-107991.36 USD");
	ck_assert_str_eq(p, "\n\n");
	free(s);
	s = export_ok(TFL_EXPORT_CSV);
	HAS(s, "\n2026-03-01,5,5,receipt,assets:cash,107991.36,USD,"
	    "100000.00,EUR,,,receipt D-EU B-1\n2026-03-01,5,5,receipt,"
	    "income:contributions:D-EU,-107991.36,USD,,,,,receipt D-EU B-1\n");
	free(s);
	s = export_ok(TFL_EXPORT_JSON);
	HAS(s, "[\n  {\"date\": \"2026-03-01\", \"seq\": 5, \"by_seq\": 5, "
	    "\"type\": \"receipt\",\n   \"description\": \"receipt D-EU B-1\","
	    "\n   \"postings\": [\n    {\"account\": \"assets:cash\", "
	    "\"amount\": \"107991.36\", \"currency\": \"USD\", \"earmark\": "
	    "\"\", \"orig_amount\": \"100000.00\", \"orig_currency\": "
	    "\"EUR\"},\n");
	free(s);
}
END_TEST

/* USD 100.00 at 0.0064 USD per yen is JPY 15625. */
START_TEST(test_a_zero_decimal_base_currency_is_declared_bare)
{
	const char *p;
	char *s;

	make("JPY");
	tu_put(&tl, tl.rec, receipt("2026-03-01", "D-US", "B-1", "100.00",
	    "USD", "0.0064", "15625"));
	s = export_ok(TFL_EXPORT_HLEDGER);
	HAS(s, "\n\ncommodity JPY\n\ncommodity USD\n  format 1000.00 USD\n\n");
	HAS(s, "100.00 USD @@ 15625 JPY\n");
	p = s;
	posting(&p, "income:contributions:D-US", "-15625 JPY");
	free(s);
}
END_TEST

START_TEST(test_transactions_are_sorted_by_date_then_seq)
{
	const char *a, *b, *c;
	char *s;

	make("USD");
	tu_put(&tl, tl.rec, receipt("2026-03-05", "D-US", "B-2", "20.00", "USD",
	    NULL, "20.00"));
	tu_put(&tl, tl.rec, receipt("2026-03-01", "D-US", "B-3", "30.00", "USD",
	    NULL, "30.00"));
	tu_put(&tl, tl.rec, receipt("2026-03-05", "D-US", "B-1", "10.00", "USD",
	    NULL, "10.00"));
	s = export_ok(TFL_EXPORT_HLEDGER);
	a = strstr(s, "2026-03-01 * receipt D-US B-3\n    ; seq: 6\n");
	b = strstr(s, "2026-03-05 * receipt D-US B-2\n    ; seq: 5\n");
	c = strstr(s, "2026-03-05 * receipt D-US B-1\n    ; seq: 7\n");
	ck_assert_msg(a != NULL && b != NULL && c != NULL && a < b && b < c,
	    "order in:\n%s", s);
	free(s);
}
END_TEST

/*
 * A reversal is its own transaction: its seq, the entry it undoes, the
 * approval that brought it into effect, and the exact negation.
 */
START_TEST(test_a_reversal_names_itself_what_it_undoes_and_its_approval)
{
	const char *p;
	char *s;

	make("USD");
	tu_put(&tl, tl.rec, receipt("2026-03-01", "D-EU", "B-1", "1000.00",
	    "EUR", "0.93", "1075.27"));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_REVERSAL, "date",
	    "2026-03-04", "reverses", "5", "reason", "wrong donor", NULL));
	tu_put(&tl, tl.appr, tu_entry_new(TFL_ENTRY_APPROVAL, "approves", "6",
	    NULL));
	s = export_ok(TFL_EXPORT_HLEDGER);
	HAS(s, "tag seq\ntag approved-by\ntag reverses\n\n");
	p = strstr(s, "\n2026-03-04 * reversal of 5 receipt D-EU B-1\n"
	    "    ; seq: 6\n    ; approved-by: 7\n    ; reverses: 5\n"
	    "    assets");
	ck_assert_msg(p != NULL, "no reversal in:\n%s", s);
	posting(&p, "assets:cash", "-1000.00 EUR @@ 1075.27 USD");
	posting(&p, "income:contributions:D-EU", "1075.27 USD");
	ck_assert_str_eq(p, "\n\n");
	LACKS(s, "wrong donor");
	free(s);
	s = export_ok(TFL_EXPORT_CSV);
	HAS(s, "\n2026-03-04,6,7,reversal,assets:cash,-1075.27,USD,-1000.00,"
	    "EUR,,5,reversal of 5 receipt D-EU B-1\n");
	free(s);
	s = export_ok(TFL_EXPORT_JSON);
	HAS(s, "\"description\": \"reversal of 5 receipt D-EU B-1\", "
	    "\"reverses\": 5,");
	free(s);
}
END_TEST

START_TEST(test_an_earmark_is_a_posting_tag)
{
	char *s;

	make("USD");
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_RECEIPT, "date",
	    "2026-03-01", "donor", "D-US", "ref", "B-1", "amount", "50.00",
	    "currency", "USD", "base-amount", "50.00", "earmark", "SHELTER",
	    NULL));
	s = export_ok(TFL_EXPORT_HLEDGER);
	HAS(s, "tag seq\ntag earmark\n\n");
	HAS(s, " 50.00 USD\n        ; earmark: SHELTER\n");
	free(s);
	s = export_ok(TFL_EXPORT_CSV);
	HAS(s, ",50.00,USD,,,SHELTER,,receipt D-US B-1\n");
	free(s);
}
END_TEST

START_TEST(test_a_failed_write_is_an_io_error)
{
	tfl_err err = TFL_ERR_INIT;
	FILE *f;
	int rc;

	if (access("/dev/full", W_OK) != 0)
		return;
	make("USD");
	tu_put(&tl, tl.rec, receipt("2026-03-01", "D-US", "B-1", "10.00", "USD",
	    NULL, "10.00"));
	f = fopen("/dev/full", "w");
	ck_assert_ptr_nonnull(f);
	rc = tfl_export_write(f, tl.led, TFL_EXPORT_JSON, &err);
	fclose(f);
	ck_assert_int_eq(rc, TFL_EIO);
	HAS(err.msg, "write failed");
}
END_TEST

/* The IATI export with opts, as a malloc'd string; the status in *rc. */
static char *
iati(const tfl_export_opts *o, int *rc, tfl_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	*rc = tfl_export_write_ext(f, tl.led, TFL_EXPORT_IATI, o, err);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

/* The transaction of seq in the IATI text s, up to its end tag. */
static char *
iati_txn(const char *s, uint64_t seq)
{
	char want[64];
	const char *p, *q;

	snprintf(want, sizeof(want), "<transaction ref=\"seq-%llu\">\n",
	    (unsigned long long)seq);
	p = strstr(s, want);
	ck_assert_msg(p != NULL, "no seq %llu in:\n%s",
	    (unsigned long long)seq, s);
	q = strstr(p, "</transaction>\n");
	ck_assert_ptr_nonnull(q);
	return strndup(p, (size_t)(q - p));
}

/*
 * Donors as IATI names them: escaped, the anonymous one never named nor
 * typed, a refund negative; U+FFFF, not an XML character, as U+FFFD.
 */
START_TEST(test_iati_names_donors_escaped_and_hides_the_anonymous)
{
	tfl_err err = TFL_ERR_INIT;
	char *s, *t;
	int rc;

	make("USD");
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_DONOR, "id", "D-X", "name",
	    "A&B <C> \"d\" 'e'"
	    " \xef\xbf\xbf", "kind", "foundation", "anonymous", "no", NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_DONOR, "id", "D-ANON",
	    "name", "Jane Secret", "kind", "government", "anonymous", "yes",
	    NULL));
	tu_put(&tl, tl.rec, receipt("2026-03-01", "D-X", "B-1", "100.00", "USD",
	    NULL, "100.00"));
	tu_put(&tl, tl.rec, receipt("2026-03-02", "D-ANON", "B-2", "200.00",
	    "USD", NULL, "200.00"));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_DONOR_REFUND, "date",
	    "2026-03-03", "donor", "D-X", "ref", "R-1", "amount", "40.00",
	    "currency", "USD", "base-amount", "40.00", "receipt", "B-1", NULL));
	s = iati(NULL, &rc, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	HAS(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<iati-activities version=\"2.03\" generated-datetime=\""
	    "2026-11-18T11:06:49Z\">\n <iati-activity last-updated-datetime="
	    "\"2026-11-18T11:06:49Z\" xml:lang=\"en\" default-currency=\"USD\""
	    " hierarchy=\"1\">\n  <iati-identifier>XM-DAC-41128-UNVTF"
	    "</iati-identifier>\n  <reporting-org ref=\"XM-DAC-41128\" "
	    "type=\"40\">\n");
	HAS(s, "  <title>\n   <narrative>Export Test Fund</narrative>\n");
	HAS(s, "  <participating-org type=\"60\" role=\"1\">\n   <narrative>"
	    "A&amp;B &lt;C&gt; &quot;d&quot; &apos;e&apos; \xef\xbf\xbd"
	    "</narrative>\n");
	HAS(s, "  <participating-org role=\"1\">\n   <narrative>Anonymous "
	    "donor</narrative>\n");
	/* no grants yet: developing countries, unspecified */
	HAS(s, "  <recipient-region code=\"998\" vocabulary=\"1\" "
	    "percentage=\"100\"/>\n  <sector vocabulary=\"1\" code=\"15180\" "
	    "percentage=\"100\"/>\n");
	LACKS(s, "Jane");
	LACKS(s, "D-ANON");
	LACKS(s, "B-2");
	LACKS(s, "\xef\xbf\xbf");
	t = iati_txn(s, 8);
	HAS(t, "   <transaction-type code=\"1\"/>\n   <transaction-date "
	    "iso-date=\"2026-03-02\"/>\n   <value currency=\"USD\" "
	    "value-date=\"2026-03-02\">200.00</value>\n   <description>\n"
	    "    <narrative>receipt, seq 8</narrative>\n   </description>\n"
	    "   <provider-org>\n    <narrative>Anonymous donor</narrative>\n"
	    "   </provider-org>\n   <receiver-org ref=\"XM-DAC-41128\" "
	    "type=\"40\">\n");
	HAS(t, "   <flow-type code=\"10\"/>\n   <finance-type code=\"110\"/>"
	    "\n   <aid-type code=\"B032\" vocabulary=\"1\"/>\n");
	free(t);
	t = iati_txn(s, 9);
	HAS(t, "<transaction-type code=\"1\"/>");
	HAS(t, ">-40.00</value>");
	HAS(t, "<narrative>refund to the donor, seq 9</narrative>");
	free(t);
	free(s);
}
END_TEST

/* Grants: awards 2, tranches 3, spending and PSC 4; the country's share. */
START_TEST(test_iati_maps_grants_and_psc)
{
	tfl_err err = TFL_ERR_INIT;
	char *s, *t;
	int rc;

	make("USD");
	tu_put(&tl, tl.rec, receipt("2026-01-10", "D-US", "B-1", "5000.00",
	    "USD", NULL, "5000.00"));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_GRANTEE, "id", "NGO-1",
	    "name", "Refuge <1>", "country", "NG", NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_GRANT, "date", "2026-02-01",
	    "id", "G-1", "grantee", "NGO-1", "start", "2026-02-01", "end",
	    "2026-12-31", "amount", "2000.00", NULL));
	tu_put(&tl, tl.appr, tu_entry_new(TFL_ENTRY_APPROVAL, "approves", "7",
	    NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_DISBURSEMENT, "date",
	    "2026-02-10", "grant", "G-1", "ref", "T-1", "amount", "1500.00",
	    NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_EXPENDITURE, "date",
	    "2026-05-31", "grant", "G-1", "amount", "1000.00", "women", "3",
	    "girls", "1", "men", "0", "boys", "0", "sexual", "2", "labour", "1",
	    "other-form", "0", NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_GRANTEE_REFUND, "date",
	    "2026-06-10", "grant", "G-1", "ref", "RF-1", "amount", "100.00",
	    NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_PSC, "date", "2026-06-30",
	    "rate", "13", "basis", "1000.00", "amount", "130.00", NULL));
	s = iati(NULL, &rc, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	HAS(s, "  <participating-org type=\"22\" role=\"4\">\n   <narrative>"
	    "Refuge &lt;1&gt;</narrative>\n");
	HAS(s, "  <activity-date type=\"2\" iso-date=\"2026-01-10\"/>\n"
	    "  <recipient-country code=\"NG\" percentage=\"100.00\"/>\n");
	t = iati_txn(s, 7);
	HAS(t, "<transaction-type code=\"2\"/>\n   <transaction-date "
	    "iso-date=\"2026-02-01\"/>\n   <value currency=\"USD\" "
	    "value-date=\"2026-02-01\">2000.00</value>\n");
	HAS(t, "<narrative>award of grant G-1, seq 7, approved at seq 8"
	    "</narrative>");
	HAS(t, "   <provider-org ref=\"XM-DAC-41128\" type=\"40\">\n");
	HAS(t, "   <receiver-org type=\"22\">\n    <narrative>Refuge &lt;1"
	    "&gt;</narrative>\n");
	HAS(t, "<aid-type code=\"C01\" vocabulary=\"1\"/>");
	free(t);
	t = iati_txn(s, 9);
	HAS(t, "<transaction-type code=\"3\"/>");
	HAS(t, ">1500.00</value>");
	free(t);
	t = iati_txn(s, 10);
	HAS(t, "<transaction-type code=\"4\"/>");
	HAS(t, ">1000.00</value>");
	free(t);
	t = iati_txn(s, 11);
	HAS(t, "<transaction-type code=\"3\"/>");
	HAS(t, ">-100.00</value>");
	free(t);
	t = iati_txn(s, 12);
	HAS(t, "<transaction-type code=\"4\"/>");
	HAS(t, ">130.00</value>");
	HAS(t, "   <receiver-org ref=\"XM-DAC-41128\" type=\"40\">\n");
	HAS(t, "<aid-type code=\"G01\" vocabulary=\"1\"/>");
	free(t);
	free(s);
}
END_TEST

/* IATI forbids future dates: an export "now" before an entry's date. */
START_TEST(test_iati_refuses_a_date_after_now)
{
	tfl_export_opts o = TFL_EXPORT_OPTS_INIT;
	tfl_err err = TFL_ERR_INIT;
	char *s;
	int rc;

	make("USD");
	tu_put(&tl, tl.rec, receipt("2026-11-18", "D-US", "B-1", "10.00", "USD",
	    NULL, "10.00"));
	o.now = T0 - 86400;
	s = iati(&o, &rc, &err);
	ck_assert_int_eq(rc, TFL_ERULE);
	ck_assert_str_eq(s, "");
	HAS(err.msg, "seq 5: date 2026-11-18 is after today (2026-11-17)");
	free(s);
	o.now = T0;
	s = iati(&o, &rc, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	HAS(s, "generated-datetime=\"2026-11-18T11:06:40Z\"");
	/* the last entry is later than now: the update is not in the future */
	HAS(s, "last-updated-datetime=\"2026-11-18T11:06:40Z\"");
	free(s);
}
END_TEST

START_TEST(test_iati_identifiers_are_checked_before_the_audit)
{
	static const char *const bad[] = { "", "XM/DAC", "XM DAC", "A&B",
		"A|B", "A?B", "A<B", "A\"B", "A'B", "A\tB", "\xc3\xa9" };
	tfl_export_opts o = TFL_EXPORT_OPTS_INIT;
	tfl_err err = TFL_ERR_INIT;
	char *s, longest[TFL_EXPORT_IATI_ID_MAX + 2];
	size_t i;
	int rc;

	make("USD");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o.iati_org = bad[i];
		s = iati(&o, &rc, &err);
		ck_assert_msg(rc == TFL_EINVAL, "org \"%s\": %d", bad[i], rc);
		ck_assert_str_eq(s, "");
		HAS(err.msg, "iati org");
		free(s);
		o.iati_org = NULL;
		o.iati_activity = bad[i];
		s = iati(&o, &rc, &err);
		ck_assert_int_eq(rc, TFL_EINVAL);
		HAS(err.msg, "iati activity");
		free(s);
		o.iati_activity = NULL;
	}
	o.iati_org = o.iati_activity = "XM-1";
	s = iati(&o, &rc, &err);
	ck_assert_int_eq(rc, TFL_EINVAL);
	HAS(err.msg, "must differ");
	free(s);
	/* the longest org; the default activity would be longer still */
	memset(longest, 'X', TFL_EXPORT_IATI_ID_MAX);
	longest[TFL_EXPORT_IATI_ID_MAX] = '\0';
	o.iati_org = longest;
	o.iati_activity = "XM-1-A";
	s = iati(&o, &rc, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	free(s);
	o.iati_activity = NULL;
	s = iati(&o, &rc, &err);
	ck_assert_int_eq(rc, TFL_EINVAL);
	free(s);
	o.iati_org = "XM-OCHA-9";
	s = iati(&o, &rc, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	HAS(s, "<iati-identifier>XM-OCHA-9-UNVTF</iati-identifier>\n  "
	    "<reporting-org ref=\"XM-OCHA-9\" type=\"40\">");
	free(s);
}
END_TEST

static Suite *
export_suite(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("export");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_format_names_are_found);
	tcase_add_test(tc,
	    test_an_unknown_format_is_refused_and_writes_nothing);
	tcase_add_test(tc, test_a_fund_without_money_has_directives_only);
	tcase_add_test(tc, test_a_foreign_receipt_is_written_at_its_cost);
	tcase_add_test(tc, test_a_zero_decimal_base_currency_is_declared_bare);
	tcase_add_test(tc, test_transactions_are_sorted_by_date_then_seq);
	tcase_add_test(tc,
	    test_a_reversal_names_itself_what_it_undoes_and_its_approval);
	tcase_add_test(tc, test_an_earmark_is_a_posting_tag);
	tcase_add_test(tc, test_a_failed_write_is_an_io_error);
	tcase_add_test(tc,
	    test_iati_names_donors_escaped_and_hides_the_anonymous);
	tcase_add_test(tc, test_iati_maps_grants_and_psc);
	tcase_add_test(tc, test_iati_refuses_a_date_after_now);
	tcase_add_test(tc, test_iati_identifiers_are_checked_before_the_audit);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(export_suite()) != 0;
}
