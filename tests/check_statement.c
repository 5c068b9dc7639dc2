/*
 * check_statement.c - donor statements (statement.h): the figures of a
 * small fund year worked out by hand (docs/FUND.md's cumulative clearing,
 * the pro-rata use of money), the JSON statement checked with no ledger,
 * and every kind of tampering the check must catch.
 *
 * The fixture year (USD): DEU pledges EUR 100,000 at 0.926, pays 60,000
 * at 0.93, pays 30,000 at 0.91 (recorded, reversed, recorded again),
 * writes down 10,000 and is refunded EUR 1,000 at 0.95; NOR gives USD
 * 250,000 unearmarked and 50,000 earmarked "africa"; ANON, anonymous,
 * gives 500.  Grant G1 (africa) and G2 (unearmarked) are awarded, paid,
 * partly spent; G1 refunds 1,000; PSC is charged.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tfledger/entry.h"
#include "tfledger/fund.h"
#include "tfledger/keys.h"
#include "tfledger/ledger.h"
#include "tfledger/note.h"
#include "tfledger/report.h"
#include "tfledger/statement.h"

#define ORIGIN "example.org/unvtf/statement-test"
#define T0 ((int64_t)1795000000) /* 2026-11-18T11:06:40Z */

static struct tu_ledger tl;
static tfl_key *auditor;

static void
approve(uint64_t seq)
{
	tu_put(&tl, tl.appr, tu_entry_approval(seq));
}

static uint64_t
money(int type, const char *date, const char *donor, const char *ref,
    const char *amount, const char *cur, const char *rate, const char *base,
    const char *link, const char *earmark)
{
	return tu_put(&tl, tl.rec, tu_entry_new(type, "date", date, "donor",
	    donor, "ref", ref, "amount", amount, "currency", cur, "rate", rate,
	    "base-amount", base,
	    type == TFL_ENTRY_DONOR_REFUND ? "receipt" : "pledge", link,
	    "earmark", earmark, NULL));
}

static int
psc_build(void *ctx, tfl_kv *state, tfl_draft **out, size_t *n,
    tfl_err *err)
{
	return tfl_fund_psc_due(out, n, state, ctx, err);
}

static void
checkpoint(void)
{
	tfl_err err = TFL_ERR_INIT;
	char *note = NULL;
	size_t len;

	ck_assert_msg(tfl_ledger_checkpoint(&note, &len, tl.led, tl.admin,
	    &err) == 0, "%s", err.msg);
	free(note);
}

static void
make(void)
{
	tfl_genesis g = { ORIGIN, "Statement Test Fund", "USD", NULL };

	tu_ledger_open(&tl, &g, T0, TU_ENROLL_RECORDER | TU_ENROLL_APPROVER);
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_DONOR, "id", "DEU", "name",
	    "Germany", "kind", "government", "country", "DE", "anonymous", "no",
	    NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_DONOR, "id", "NOR", "name",
	    "Norway", "kind", "government", "anonymous", "no", NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_DONOR, "id", "ANON", "name",
	    "Secret Philanthropist", "kind", "individual", "anonymous", "yes",
	    NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_GRANTEE, "id", "ngo-ng",
	    "name", "Safe Haven Lagos", "country", "NG", NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_GRANTEE, "id", "ngo-ph",
	    "name", "Bahay Kanlungan", "country", "PH", NULL));
}

/* The fixture year; seq 20 is the receipt reversed at 21 (22). */
static void
year(void)
{
	tfl_err err = TFL_ERR_INIT;
	char date[] = "2026-06-30";

	make();
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_PLEDGE, "date", "2026-01-15",
	    "donor", "DEU", "ref", "DEU-1", "amount", "100000.00", "currency",
	    "EUR", "rate", "0.926", "base-amount", "107991.36", "due",
	    "2026-09-30", NULL));
	money(TFL_ENTRY_RECEIPT, "2026-02-10", "DEU", "B1", "60000.00", "EUR",
	    "0.93", "64516.13", "DEU-1", NULL);
	money(TFL_ENTRY_RECEIPT, "2026-02-12", "NOR", "B2", "250000.00", "USD",
	    NULL, "250000.00", NULL, NULL);
	money(TFL_ENTRY_RECEIPT, "2026-03-20", "ANON", "B3", "500.00", "USD",
	    NULL, "500.00", NULL, NULL);
	money(TFL_ENTRY_RECEIPT, "2026-03-01", "NOR", "B4", "50000.00", "USD",
	    NULL, "50000.00", NULL, "africa");
	approve(tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_GRANT, "date",
	    "2026-03-25", "id", "G1", "grantee", "ngo-ng", "cycle", "2026",
	    "start", "2026-04-01", "end", "2026-12-31", "amount", "20000.00",
	    "earmark", "africa", NULL)));
	approve(tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_GRANT, "date",
	    "2026-03-25", "id", "G2", "grantee", "ngo-ph", "cycle", "2026",
	    "start", "2026-04-01", "end", "2027-12-31", "amount", "60000.00",
	    NULL)));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_DISBURSEMENT, "date",
	    "2026-04-05", "grant", "G1", "ref", "TR1", "amount", "10000.00",
	    NULL));
	approve(tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_DISBURSEMENT, "date",
	    "2026-04-06", "grant", "G2", "ref", "TR2", "amount", "30000.00",
	    NULL)));
	ck_assert_int_eq(money(TFL_ENTRY_RECEIPT, "2026-06-15", "DEU", "B5",
	    "30000.00", "EUR", "0.91", "32967.03", "DEU-1", NULL), 20);
	approve(tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_REVERSAL, "date",
	    "2026-06-16", "reverses", "20", "reason", "keyed wrongly", NULL)));
	money(TFL_ENTRY_RECEIPT, "2026-06-16", "DEU", "B5", "30000.00", "EUR",
	    "0.91", "32967.03", "DEU-1", NULL);
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_PLEDGE_WRITEDOWN, "date",
	    "2026-06-20", "pledge", "DEU-1", "amount", "10000.00", "reason",
	    "budget cut", NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_EXPENDITURE, "date",
	    "2026-06-30", "grant", "G1", "amount", "9000.00", "women", "18",
	    "girls", "7", "men", "0", "boys", "0", "sexual", "20", "labour",
	    "3", "other-form", "0", "services", "shelter:25,medical:14", NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_EXPENDITURE, "date",
	    "2026-06-30", "grant", "G2", "amount", "25000.00", "women", "31",
	    "girls", "12", "men", "4", "boys", "2", "sexual", "25", "labour",
	    "18", "other-form", "4", "services",
	    "shelter:20,psychosocial:40,legal:16", NULL));
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_GRANTEE_REFUND, "date",
	    "2026-06-30", "grant", "G1", "ref", "RF1", "amount", "1000.00",
	    NULL));
	ck_assert_msg(tfl_ledger_append_built(NULL, tl.led, tl.rec, psc_build,
	    date, ++tl.clock, &err) == 0, "%s", err.msg);
	money(TFL_ENTRY_DONOR_REFUND, "2026-07-01", "DEU", "RF-D1", "1000.00",
	    "EUR", "0.95", "1052.63", "B1", NULL);
}

static void
setup(void)
{
	auditor = tu_key_new("auditor.test");
}

static void
teardown(void)
{
	tu_ledger_close(&tl);
	tfl_key_free(auditor);
	auditor = NULL;
}

static int64_t
day(const char *date)
{
	int64_t d;

	ck_assert_int_eq(tfl_date_parse(&d, date, NULL), 0);
	return d;
}

/* The statement of donor for [from, to] (NULL: the defaults). */
static tfl_statement *
draw(const char *donor, const char *from, const char *to)
{
	tfl_statement_opts o = TFL_STATEMENT_OPTS_INIT;
	tfl_err err = TFL_ERR_INIT;
	tfl_statement *s = NULL;

	o.donor = donor;
	o.from = from != NULL ? day(from) : -1;
	o.to = to != NULL ? day(to) : -1;
	ck_assert_msg(tfl_statement_build(&s, tl.led, &o, &err) == 0, "%s",
	    err.msg);
	return s;
}

/* s in format as a malloc'd string. */
static char *
render(const tfl_statement *s, int format, const tfl_key *signer)
{
	tfl_err err = TFL_ERR_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	ck_assert_ptr_nonnull(f);
	rc = tfl_statement_write(f, s, format, signer, &err);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_msg(rc == 0, "%s", err.msg);
	return buf;
}

/* Check json with the admin key as the log key (and signer). */
static int
check(const char *json, const tfl_key *signer, tfl_err *err)
{
	tfl_statement_check r;
	tfl_verifier lk, sk;

	tfl_verifier_of_key(&lk, tl.admin);
	if (signer != NULL)
		tfl_verifier_of_key(&sk, signer);
	return tfl_statement_verify(&r, json, strlen(json), &lk,
	    signer != NULL ? &sk : NULL, err);
}

static char *
money_text(int64_t v)
{
	static char buf[4][48];
	static int i;
	tfl_currency usd = { "USD", 2 };

	i = (i + 1) % 4;
	tfl_money_format(buf[i], sizeof(buf[i]), v, &usd);
	return buf[i];
}

#define MONEY(v, want) ck_assert_str_eq(money_text(v), (want))
#define HAS(s, want) ck_assert_msg(strstr((s), (want)) != NULL, \
	"lacks \"%s\" in:\n%s", (want), (s))
#define LACKS(s, bad) ck_assert_msg(strstr((s), (bad)) == NULL, \
	"has \"%s\"", (bad))

/*
 * Does s hold word on its own, not inside a longer run of letters,
 * digits, '+', '/' or '='?  (A short reference such as "B3" turns up by
 * chance inside the base64 of a key, which differs from run to run.)
 */
static int
has_word(const char *s, const char *word)
{
	const char *at = s, *end;
	size_t n = strlen(word);

	while ((at = strstr(at, word)) != NULL) {
		end = at + n;
		if ((at == s || !(isalnum((unsigned char)at[-1]) ||
		    at[-1] == '+' || at[-1] == '/')) &&
		    !(isalnum((unsigned char)*end) || *end == '+' ||
		    *end == '/' || *end == '='))
			return 1;
		at++;
	}
	return 0;
}

START_TEST(test_format_names_are_found)
{
	ck_assert_int_eq(tfl_statement_format_find("text"),
	    TFL_STATEMENT_TEXT);
	ck_assert_int_eq(tfl_statement_format_find("csv"), TFL_STATEMENT_CSV);
	ck_assert_int_eq(tfl_statement_format_find("json"),
	    TFL_STATEMENT_JSON);
	ck_assert_int_eq(tfl_statement_format_find("pdf"), TFL_STATEMENT_PDF);
	ck_assert_int_eq(tfl_statement_format_find("docx"), -1);
}
END_TEST

START_TEST(test_no_checkpoint_is_refused_with_advice)
{
	tfl_statement_opts o = TFL_STATEMENT_OPTS_INIT;
	tfl_err err = TFL_ERR_INIT;
	tfl_statement *s = NULL;

	make();
	o.donor = "DEU";
	ck_assert_int_eq(tfl_statement_build(&s, tl.led, &o, &err),
	    TFL_ENOTFOUND);
	HAS(err.msg, "tfledger checkpoint");
	ck_assert_ptr_null(s);
}
END_TEST

START_TEST(test_unknown_or_bad_donor_is_refused)
{
	tfl_statement_opts o = TFL_STATEMENT_OPTS_INIT;
	tfl_err err = TFL_ERR_INIT;
	tfl_statement *s = NULL;

	make();
	checkpoint();
	o.donor = "XYZ";
	ck_assert_int_eq(tfl_statement_build(&s, tl.led, &o, &err),
	    TFL_ENOTFOUND);
	HAS(err.msg, "donor \"XYZ\"");
	o.donor = "bad id";
	ck_assert_int_eq(tfl_statement_build(&s, tl.led, &o, &err), TFL_EINVAL);
	o.donor = "DEU";
	o.from = day("2026-06-30");
	o.to = day("2026-06-01");
	ck_assert_int_eq(tfl_statement_build(&s, tl.led, &o, &err), TFL_EINVAL);
}
END_TEST

START_TEST(test_contributions_clear_pledges_cumulatively)
{
	tfl_statement *s;

	year();
	checkpoint();
	s = draw("DEU", NULL, NULL);
	ck_assert_str_eq(s->number, "DEU-20261118-31");
	ck_assert_str_eq(s->donor_name, "Germany");
	ck_assert_uint_eq(s->npledges, 1);
	MONEY(s->pledges[0].base, "107991.36");
	ck_assert_int_eq(s->pledges[0].received, 9000000);
	ck_assert_int_eq(s->pledges[0].written_down, 1000000);
	MONEY(s->pledges[0].receivable, "0.00");
	ck_assert_uint_eq(s->nreceipts, 3);
	MONEY(s->receipts[0].cleared, "64794.82");
	ck_assert_int_eq(s->receipts[0].refunded, 100000);
	ck_assert_uint_eq(s->receipts[1].seq, 20);
	ck_assert_uint_eq(s->receipts[1].reversal.seq, 21);
	ck_assert_uint_eq(s->receipts[1].reversal.approved_by, 22);
	MONEY(s->receipts[2].cleared, "32397.40");
	ck_assert_uint_eq(s->nwritedowns, 1);
	MONEY(s->writedowns[0].base, "10799.14");
	ck_assert_uint_eq(s->nrefunds, 1);
	MONEY(s->refunds[0].base, "1052.63");
	MONEY(s->to_date.pledged, "107991.36");
	MONEY(s->to_date.received, "97483.16");
	MONEY(s->to_date.refunded, "1052.63");
	MONEY(s->to_date.written_down, "10799.14");
	MONEY(s->to_date.fx, "290.94");
	MONEY(s->receivable_closing, "0.00");
	tfl_statement_free(s);
}
END_TEST

START_TEST(test_period_figures_equal_the_books_as_of_its_end)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_fund_donor d;
	tfl_statement *s;

	year();
	checkpoint();
	s = draw("DEU", "2026-06-01", "2026-06-30");
	MONEY(s->receivable_opening, "43196.54");
	MONEY(s->period.received, "32967.03");
	MONEY(s->period.fx, "569.63");
	MONEY(s->period.written_down, "10799.14");
	MONEY(s->period.refunded, "0.00");
	/* Earlier pledges show while they are receivable; B1 does not. */
	ck_assert_uint_eq(s->npledges, 1);
	ck_assert_uint_eq(s->nreceipts, 2);
	ck_assert_uint_eq(s->nrefunds, 0);
	ck_assert_int_eq(tfl_report_donor(&d, tl.led, "DEU", day("2026-06-30"),
	    &err), 0);
	ck_assert_int_eq(s->to_date.received, d.received);
	ck_assert_int_eq(s->to_date.written_down, d.written_down);
	ck_assert_int_eq(s->receivable_closing, d.receivable);
	tfl_statement_free(s);
}
END_TEST

START_TEST(test_a_reversal_after_the_period_leaves_the_line_in_effect)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_statement *s;
	char *json;

	year();
	checkpoint();
	s = draw("DEU", "2026-06-15", "2026-06-15");
	ck_assert_uint_eq(s->nreceipts, 1);
	ck_assert_uint_eq(s->receipts[0].seq, 20);
	ck_assert_uint_eq(s->receipts[0].reversal.seq, 0);
	MONEY(s->period.received, "32967.03");
	json = render(s, TFL_STATEMENT_JSON, NULL);
	ck_assert_msg(check(json, NULL, &err) == 0, "%s", err.msg);
	free(json);
	tfl_statement_free(s);
}
END_TEST

START_TEST(test_statement_carries_the_entries_it_relies_on)
{
	static const uint64_t want[] = { 0, 1, 2, 3, 8, 9, 20, 21, 22, 23,
		24, 30 };
	tfl_statement *s;
	size_t i;

	year();
	checkpoint();
	s = draw("DEU", NULL, NULL);
	ck_assert_uint_eq(s->nentries, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < s->nentries; i++)
		ck_assert_uint_eq(s->entries[i].seq, want[i]);
	tfl_statement_free(s);
}
END_TEST

START_TEST(test_earmarked_money_goes_to_its_grants)
{
	const tfl_statement_use *u;
	tfl_statement *s;

	year();
	checkpoint();
	s = draw("NOR", NULL, NULL);
	ck_assert_uint_eq(s->nuses, 2);
	u = &s->uses[1];
	ck_assert_str_eq(u->earmark, "africa");
	MONEY(u->contributed, "50000.00");
	ck_assert_uint_eq(u->ngrants, 1);
	ck_assert_str_eq(s->grants[u->first_grant].id, "G1");
	ck_assert_str_eq(s->grants[u->first_grant].grantee_name,
	    "Safe Haven Lagos");
	MONEY(s->grants[u->first_grant].attributed, "9000.00");
	MONEY(u->psc, "1170.00");
	MONEY(u->committed, "10000.00");
	MONEY(u->available, "29830.00");
	u = &s->uses[0];
	ck_assert_str_eq(u->earmark, "");
	ck_assert_uint_eq(u->ngrants, 1);
	ck_assert_str_eq(s->grants[u->first_grant].id, "G2");
	MONEY(s->grants[u->first_grant].attributed, "21618.16");
	MONEY(u->psc, "2341.97");
	MONEY(u->available, "204421.71");
	ck_assert_int_eq(s->results.people[0], 49);
	ck_assert_int_eq(s->results.people[1], 19);
	ck_assert_int_eq(s->results.services[0], 45);
	tfl_statement_free(s);
}
END_TEST

START_TEST(test_pro_rata_parts_add_up_to_the_cent)
{
	const tfl_statement_use *u;
	tfl_statement *s;

	year();
	checkpoint();
	s = draw("DEU", NULL, NULL);
	ck_assert_uint_eq(s->nuses, 1);
	u = &s->uses[0];
	MONEY(u->contributed, "96430.53");
	ck_assert_str_eq(s->grants[u->first_grant].id, "G2");
	MONEY(u->grants, "8338.60");
	MONEY(u->psc, "903.35");
	MONEY(u->committed, "8338.60");
	MONEY(u->available, "78849.98");
	ck_assert_int_eq(u->grants + u->psc + u->committed + u->available,
	    u->contributed);
	ck_assert_int_eq(s->results.people[0], 31);
	ck_assert_int_eq(s->results.services[2], 40);
	tfl_statement_free(s);
}
END_TEST

START_TEST(test_fund_figures_balance)
{
	const tfl_statement_fund *f;
	tfl_statement *s;
	int64_t income, opening, closing;

	year();
	checkpoint();
	s = draw("DEU", "2026-06-01", "2026-07-31");
	f = &s->fund_figures;
	income = f->contributions - f->write_downs - f->donor_refunds +
	    f->interest + f->fx;
	opening = f->opening.cash + f->opening.receivable +
	    f->opening.advances;
	closing = f->closing.cash + f->closing.receivable +
	    f->closing.advances;
	ck_assert_int_eq(opening + income - f->grant_expenditure - f->psc,
	    closing);
	MONEY(f->grant_expenditure, "34000.00");
	MONEY(f->psc, "4420.00");
	MONEY(f->donor_refunds, "1052.63");
	tfl_statement_free(s);
	s = draw("NOR", NULL, NULL);
	MONEY(s->fund_figures.contributions, "408491.36");
	tfl_statement_free(s);
}
END_TEST

/* The int64 fields of state record key, summed into sum[0..n). */
static void
add_record(int64_t *sum, size_t n, tfl_kv *state, const char *key)
{
	tfl_err err = TFL_ERR_INIT;
	int64_t *v = NULL;
	size_t len = 0, i;
	int rc;

	rc = state->get(state->ctx, key, (void **)&v, &len, &err);
	if (rc == TFL_ENOTFOUND)
		return;
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(len, n * sizeof(int64_t));
	for (i = 0; i < n; i++)
		sum[i] += v[i];
	free(v);
}

/* Sums over every day of 2026 of the records vd/SCOPE/[ID:]DATE. */
static void
sum_days(int64_t *sum, size_t n, tfl_kv *state, const char *scope,
    const char *id)
{
	char key[128], date[11];
	int64_t d;

	memset(sum, 0, n * sizeof(*sum));
	for (d = day("2026-01-01"); d <= day("2026-12-31"); d++) {
		tfl_date_format(date, d);
		snprintf(key, sizeof(key), "vd/%s/%s%s%s", scope,
		    id != NULL ? id : "", id != NULL ? ":" : "", date);
		add_record(sum, n, state, key);
	}
}

struct sums_q {
	uint64_t size;
	int64_t f[11], p[3], g[22], d[6];
	tfl_fund_pool total, pool;
	tfl_fund_grant grant;
	tfl_fund_donor donor;
	char dx[64]; /* dx[seq]: the state names seq among DEU's entries */
};

static int
q_sums(void *ctx, tfl_kv *state, tfl_err *err)
{
	struct sums_q *q = ctx;
	char key[64];
	void *v = NULL;
	size_t len;
	uint64_t seq;

	sum_days(q->f, 11, state, "f", NULL);
	sum_days(q->p, 3, state, "p", "africa");
	sum_days(q->g, 22, state, "g", "G1");
	sum_days(q->d, 6, state, "d", "DEU");
	for (seq = 0; seq < q->size && seq < sizeof(q->dx); seq++) {
		snprintf(key, sizeof(key), "dx/DEU:%016llx",
		    (unsigned long long)seq);
		q->dx[seq] = state->get(state->ctx, key, &v, &len, err) == 0;
		free(v);
		v = NULL;
	}
	if (tfl_fund_totals(&q->total, state, err) != 0 ||
	    tfl_fund_pool_get(&q->pool, state, "africa", err) != 0 ||
	    tfl_fund_grant_get(&q->grant, state, "G1", err) != 0)
		return TFL_EIO;
	return tfl_fund_donor_get(&q->donor, state, "DEU", err);
}

/* Is entry e one of DEU's, as docs/STATEMENT.md "Entries carried" says? */
static int
deu_entry(const tfl_entry *e, uint64_t seq, const char *deu_seen)
{
	const char *v;

	switch (tfl_entry_type(e)) {
	case TFL_ENTRY_DONOR:
		return strcmp(tfl_entry_get(e, "id"), "DEU") == 0;
	case TFL_ENTRY_PLEDGE:
	case TFL_ENTRY_RECEIPT:
	case TFL_ENTRY_DONOR_REFUND:
		return strcmp(tfl_entry_get(e, "donor"), "DEU") == 0;
	case TFL_ENTRY_PLEDGE_WRITEDOWN:
		return strcmp(tfl_entry_get(e, "pledge"), "DEU-1") == 0;
	case TFL_ENTRY_REVERSAL:
		v = tfl_entry_get(e, "reverses");
		return deu_seen[strtoull(v, NULL, 10)];
	case TFL_ENTRY_APPROVAL:
		v = tfl_entry_get(e, "approves");
		return deu_seen[strtoull(v, NULL, 10)] &&
		    strtoull(v, NULL, 10) < seq;
	default:
		return 0;
	}
}

/*
 * The sums kept by value date add up to the state's totals, and the
 * donor's index names exactly its entries: what statements read instead
 * of the entries.
 */
START_TEST(test_value_day_sums_and_the_donor_index_agree_with_the_state)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_fund_info info;
	struct sums_q q;
	char deu[64];
	tfl_entry *e;
	uint64_t seq, n = 0;

	year();
	memset(&q, 0, sizeof(q));
	ck_assert_msg(tfl_ledger_info(&info, tl.led, &err) == 0, "%s",
	    err.msg);
	ck_assert_uint_lt(info.size, sizeof(deu));
	q.size = info.size;
	ck_assert_msg(tfl_ledger_read(tl.led, q_sums, &q, &err) == 0, "%s",
	    err.msg);
	/* vd/f: cash, receivable, advances, committed, contributions,
	   write-downs, refunds to donors, interest, fx, expenditure, psc */
	ck_assert_int_eq(q.f[0], q.total.cash);
	ck_assert_int_eq(q.f[1], q.total.receivable);
	ck_assert_int_eq(q.f[2], q.total.advances);
	ck_assert_int_eq(q.f[3], q.total.committed);
	ck_assert_int_eq(q.f[4] - q.f[5] - q.f[6], q.total.contributions);
	ck_assert_int_eq(q.f[7], q.total.interest);
	ck_assert_int_eq(q.f[8], q.total.fx);
	ck_assert_int_eq(q.f[9], q.total.expenditure);
	ck_assert_int_eq(q.f[10], q.total.psc);
	ck_assert_int_ne(q.f[0], 0);
	/* vd/p/africa: cash, committed, psc */
	ck_assert_int_eq(q.p[0], q.pool.cash);
	ck_assert_int_eq(q.p[1], q.pool.committed);
	ck_assert_int_eq(q.p[2], q.pool.psc);
	/* vd/g/G1: awards, award, deobligated, disbursed, refunded, spent,
	   women, girls, men, boys, ... */
	ck_assert_int_eq(q.g[0], 1);
	ck_assert_int_eq(q.g[1], q.grant.amount);
	ck_assert_int_eq(q.g[3], q.grant.disbursed);
	ck_assert_int_eq(q.g[4], q.grant.refunded);
	ck_assert_int_eq(q.g[5], q.grant.spent);
	ck_assert_int_eq(q.g[6], (int64_t)q.grant.people[0]);
	ck_assert_int_eq(q.g[7], (int64_t)q.grant.people[1]);
	/* vd/d/DEU: receivable, pledged, received, refunded, written down */
	ck_assert_int_eq(q.d[0], q.donor.receivable);
	ck_assert_int_eq(q.d[1], q.donor.pledged);
	ck_assert_int_eq(q.d[2], q.donor.received);
	ck_assert_int_eq(q.d[3], q.donor.refunded);
	ck_assert_int_eq(q.d[4], q.donor.written_down);
	/* dx/DEU: every entry of DEU's, and no other */
	memset(deu, 0, sizeof(deu));
	for (seq = 1; seq < info.size; seq++) {
		e = tu_entry_read(tl.led, seq);
		deu[seq] = (char)deu_entry(e, seq, deu);
		tfl_entry_free(e);
		ck_assert_msg(q.dx[seq] == deu[seq], "seq %llu: index %d, "
		    "entries %d", (unsigned long long)seq, q.dx[seq],
		    deu[seq]);
		n += (uint64_t)deu[seq];
	}
	/* its record, pledge, three receipts, refund, write-down, and the
	   reversal of a receipt with its approval */
	ck_assert_uint_eq(n, 9);
}
END_TEST

START_TEST(test_json_statement_verifies_without_the_ledger)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_statement_check r;
	tfl_verifier lk;
	tfl_statement *s;
	char *json;

	year();
	checkpoint();
	s = draw("DEU", NULL, NULL);
	json = render(s, TFL_STATEMENT_JSON, NULL);
	tfl_statement_free(s);
	tfl_ledger_close(tl.led);
	tl.led = NULL;
	tu_rmtree(tl.dir);
	tfl_verifier_of_key(&lk, tl.admin);
	ck_assert_msg(tfl_statement_verify(&r, json, strlen(json), &lk, NULL,
	    &err) == 0, "%s", err.msg);
	ck_assert_str_eq(r.number, "DEU-20261118-31");
	ck_assert_str_eq(r.donor, "DEU");
	ck_assert_uint_eq(r.size, 31);
	ck_assert_uint_eq(r.nentries, 12);
	ck_assert_int_eq(r.has_signature, 0);
	free(json);
}
END_TEST

/* json with the change fn makes, which check() must refuse. */
static void
tampered(const char *json, void (*fn)(json_t *), const char *why)
{
	tfl_err err = TFL_ERR_INIT;
	json_t *j = json_loads(json, 0, NULL);
	char *bad;

	ck_assert_ptr_nonnull(j);
	fn(j);
	bad = json_dumps(j, JSON_SORT_KEYS);
	json_decref(j);
	ck_assert_int_eq(check(bad, NULL, &err), TFL_EVERIFY);
	HAS(err.msg, why);
	free(bad);
}

static json_t *
entry(json_t *j, size_t i)
{
	return json_array_get(json_object_get(j, "entries"), i);
}

/* Replace from by to in the note of entry i. */
static void
edit_note(json_t *j, size_t i, const char *from, const char *to)
{
	const char *note = json_string_value(json_object_get(entry(j, i),
	    "note"));
	const char *at = strstr(note, from);
	char buf[8192];

	ck_assert_ptr_nonnull(at);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - note), note, to,
	    at + strlen(from));
	json_object_set_new(entry(j, i), "note", json_string(buf));
}

static void
note_amount(json_t *j)
{
	edit_note(j, 5, "amount: 60000.00", "amount: 60001.00");
}

static void
figure(json_t *j)
{
	json_t *c = json_object_get(j, "contributions");

	json_object_set_new(json_object_get(c, "to_date"), "received",
	    json_string("97483.17"));
}

static void
line_amount(json_t *j)
{
	json_t *r = json_array_get(json_object_get(json_object_get(j,
	    "contributions"), "receipts"), 2);

	json_object_set_new(r, "base_amount", json_string("32967.04"));
}

static void
drop_receipt(json_t *j)
{
	json_array_remove(json_object_get(j, "entries"), 9);
}

static void
drop_enroll(json_t *j)
{
	json_array_remove(json_object_get(j, "entries"), 2);
}

static void
drop_reversal_and_approval(json_t *j)
{
	json_array_remove(json_object_get(j, "entries"), 7);
	json_array_remove(json_object_get(j, "entries"), 7);
}

static void
proof_hash(json_t *j)
{
	json_t *p = json_object_get(entry(j, 4), "proof");
	char h[65];

	snprintf(h, sizeof(h), "%s", json_string_value(json_array_get(p, 0)));
	h[10] = h[10] == 'a' ? 'b' : 'a';
	json_array_set_new(p, 0, json_string(h));
}

static void
seq_moved(json_t *j)
{
	json_object_set_new(entry(j, 4), "seq", json_integer(7));
}

static void
checkpoint_size(json_t *j)
{
	const char *cp = json_string_value(json_object_get(j, "checkpoint"));
	char buf[1024];
	const char *nl = strchr(cp, '\n');

	snprintf(buf, sizeof(buf), "%.*s\n30%s", (int)(nl - cp), cp,
	    strchr(nl + 1, '\n'));
	json_object_set_new(j, "checkpoint", json_string(buf));
}

static void
donor_name(json_t *j)
{
	json_object_set_new(json_object_get(j, "donor"), "name",
	    json_string("Austria"));
}

START_TEST(test_tampering_is_caught)
{
	tfl_statement *s;
	char *json;

	year();
	checkpoint();
	s = draw("DEU", NULL, NULL);
	json = render(s, TFL_STATEMENT_JSON, NULL);
	tfl_statement_free(s);
	tampered(json, note_amount, "seq 9: the entry is not in the "
	    "checkpoint's tree");
	tampered(json, figure, "contributions.to_date.received: the "
	    "statement says \"97483.17\", its entries give \"97483.16\"");
	tampered(json, line_amount, "contributions.receipts[2].base_amount");
	tampered(json, drop_receipt, "contributions.");
	tampered(json, drop_enroll, "signed by no key");
	tampered(json, drop_reversal_and_approval, "recorded twice");
	tampered(json, proof_hash, "seq 8: the entry is not in the "
	    "checkpoint's tree");
	tampered(json, seq_moved, "seq 7: the note is another entry");
	tampered(json, checkpoint_size, "checkpoint");
	tampered(json, donor_name, "donor.name");
	free(json);
}
END_TEST

START_TEST(test_wrong_log_key_or_garbage_fails)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_statement_check r;
	tfl_verifier v;
	tfl_statement *s;
	char *json;

	year();
	checkpoint();
	s = draw("DEU", NULL, NULL);
	json = render(s, TFL_STATEMENT_JSON, NULL);
	tfl_statement_free(s);
	tfl_verifier_of_key(&v, tl.rec);
	ck_assert_int_eq(tfl_statement_verify(&r, json, strlen(json), &v,
	    NULL, &err), TFL_EVERIFY);
	HAS(err.msg, "checkpoint");
	tfl_verifier_of_key(&v, tl.admin);
	ck_assert_int_eq(tfl_statement_verify(&r, "{\"a\":", 5, &v, NULL,
	    &err), TFL_EINVAL);
	HAS(err.msg, "not JSON: line 1");
	ck_assert_int_eq(tfl_statement_verify(&r, "[]", 2, &v, NULL, &err),
	    TFL_EINVAL);
	HAS(err.msg, "version");
	ck_assert_int_eq(tfl_statement_verify(&r, "{\"version\":\"x\"}", 15,
	    &v, NULL, &err), TFL_EINVAL);
	ck_assert_int_eq(tfl_statement_verify(&r,
	    "{\"version\":\"" TFL_STATEMENT_VERSION "\"}",
	    strlen("{\"version\":\"" TFL_STATEMENT_VERSION "\"}"), &v, NULL,
	    &err), TFL_EVERIFY);
	HAS(err.msg, "checkpoint");
	free(json);
}
END_TEST

static void
other_section(json_t *j)
{
	json_object_set_new(json_object_get(j, "fund_figures"), "surplus",
	    json_string("1.00"));
}

START_TEST(test_signature_covers_the_whole_statement)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_statement *s;
	json_t *j;
	char *json, *re;

	year();
	checkpoint();
	s = draw("DEU", NULL, NULL);
	json = render(s, TFL_STATEMENT_JSON, auditor);
	tfl_statement_free(s);
	HAS(json, "\"signature\": \"\xe2\x80\x94 auditor.test ");
	ck_assert_msg(check(json, auditor, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(check(json, tl.rec, &err), TFL_EVERIFY);
	/* White space and key order are not part of what is signed. */
	j = json_loads(json, 0, NULL);
	re = json_dumps(j, JSON_INDENT(7) | JSON_PRESERVE_ORDER);
	ck_assert_msg(check(re, auditor, &err) == 0, "%s", err.msg);
	free(re);
	/* Sections the entries cannot prove are the signature's. */
	other_section(j);
	re = json_dumps(j, 0);
	ck_assert_int_eq(check(re, NULL, &err), 0);
	ck_assert_int_eq(check(re, auditor, &err), TFL_EVERIFY);
	HAS(err.msg, "signature");
	free(re);
	json_decref(j);
	free(json);
	/* An unsigned statement fails when a signer is asked for. */
	s = draw("NOR", NULL, NULL);
	json = render(s, TFL_STATEMENT_JSON, NULL);
	tfl_statement_free(s);
	ck_assert_int_eq(check(json, auditor, &err), TFL_EVERIFY);
	free(json);
}
END_TEST

START_TEST(test_canonical_bytes_are_sorted_and_compact)
{
	static const char in[] = "{ \"b\": 1, \"a\": [true, null, \"x\\n\"],"
	    " \"signature\": \"whatever\", \"c\": {\"z\": \"\xc3\xa9\", "
	    "\"y\": -2} }";
	tfl_err err = TFL_ERR_INIT;
	char *out = NULL;
	size_t len;

	ck_assert_msg(tfl_statement_canonical(&out, &len, in, strlen(in),
	    &err) == 0, "%s", err.msg);
	ck_assert_str_eq(out, "{\"a\":[true,null,\"x\\n\"],\"b\":1,"
	    "\"c\":{\"y\":-2,\"z\":\"\xc3\xa9\"}}");
	free(out);
	ck_assert_int_eq(tfl_statement_canonical(&out, &len, "{\"a\":1.5}", 9,
	    &err), TFL_EINVAL);
	ck_assert_int_eq(tfl_statement_canonical(&out, &len,
	    "{\"a\":1,\"a\":2}", 13, &err), TFL_EINVAL);
	ck_assert_int_eq(tfl_statement_canonical(&out, &len, "[1]", 3, &err),
	    TFL_EINVAL);
}
END_TEST

/*
 * The JSON without its base64 (checkpoint, signature lines) where any
 * short text can appear by chance: the entries' texts only.
 */
static void
without_proofs(char **json)
{
	json_t *j = json_loads(*json, 0, NULL), *e, *texts = json_array();
	const char *note;
	size_t i;

	ck_assert_ptr_nonnull(j);
	json_array_foreach(json_object_get(j, "entries"), i, e) {
		note = json_string_value(json_object_get(e, "note"));
		json_array_append_new(texts, json_stringn(note,
		    (size_t)(strstr(note, "\n\n") - note)));
	}
	json_object_set_new(j, "entries", texts);
	json_object_del(j, "checkpoint");
	free(*json);
	*json = json_dumps(j, JSON_INDENT(1));
	json_decref(j);
}

START_TEST(test_anonymous_donors_stay_anonymous)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_statement *s;
	char *out[3];
	int f;

	year();
	checkpoint();
	s = draw("ANON", NULL, NULL);
	ck_assert_str_eq(s->donor_name, TFL_STATEMENT_ANONYMOUS);
	ck_assert_str_eq(s->donor_kind, "");
	out[0] = render(s, TFL_STATEMENT_TEXT, NULL);
	HAS(out[0], "anonymous donor (ANON)");
	LACKS(out[0], "Secret Philanthropist");
	free(out[0]);
	out[0] = render(s, TFL_STATEMENT_JSON, NULL);
	ck_assert_msg(check(out[0], NULL, &err) == 0, "%s", err.msg);
	HAS(out[0], "\"name\": \"anonymous donor\"");
	free(out[0]);
	tfl_statement_free(s);
	/* Another donor's statement names no other donor at all. */
	s = draw("NOR", NULL, NULL);
	for (f = 0; f < 3; f++) {
		out[f] = render(s, f, NULL);
		if (f == TFL_STATEMENT_JSON)
			without_proofs(&out[f]);
		ck_assert_msg(!has_word(out[f], "ANON"), "has ANON");
		LACKS(out[f], "Secret Philanthropist");
		ck_assert_msg(!has_word(out[f], "B3"), "has B3");
		ck_assert_msg(!has_word(out[f], "DEU"), "has DEU");
		free(out[f]);
	}
	tfl_statement_free(s);
}
END_TEST

START_TEST(test_text_and_csv_show_the_figures)
{
	tfl_statement *s;
	char *t;

	year();
	checkpoint();
	s = draw("DEU", NULL, NULL);
	t = render(s, TFL_STATEMENT_TEXT, NULL);
	HAS(t, "DONOR STATEMENT DEU-20261118-31");
	HAS(t, "Germany (DEU), government, DE");
	HAS(t, "EUR 100,000.00 at 0.926 = USD 107,991.36");
	HAS(t, "receivable cleared 64,794.82");
	HAS(t, "REVERSED by seq 21 on 2026-06-16 (approved at seq 22)");
	HAS(t, "8,338.60");
	HAS(t, "women 31, girls 12, men 4, boys 2");
	HAS(t, "13% of expenditure");
	free(t);
	t = render(s, TFL_STATEMENT_CSV, NULL);
	HAS(t, "section,item,seq,date,reference,currency,amount,detail\n");
	HAS(t, "pledge,base_amount,8,,DEU-1,USD,107991.36,\n");
	HAS(t, "receipt,receivable_cleared,9,,B1,USD,64794.82,\n");
	HAS(t, "receipt,reversed,20,2026-06-16,B5,,,"
	    "\"seq 21, approved at seq 22\"\n");
	HAS(t, "to_date,received,,,,USD,97483.16,\n");
	HAS(t, "grant,attributed,,,G2,USD,8338.60,\n");
	free(t);
	tfl_statement_free(s);
}
END_TEST

START_TEST(test_entries_after_the_checkpoint_are_left_out)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_statement *s;
	char *json;

	year();
	checkpoint();
	money(TFL_ENTRY_RECEIPT, "2026-11-01", "DEU", "B9", "1.00", "USD",
	    NULL, "1.00", NULL, NULL);
	/* A reversal still waiting for approval at the checkpoint. */
	tu_put(&tl, tl.rec, tu_entry_new(TFL_ENTRY_REVERSAL, "date",
	    "2026-11-02", "reverses", "23", "reason", "again", NULL));
	s = draw("DEU", NULL, NULL);
	ck_assert_uint_eq(s->size, 31);
	ck_assert_uint_eq(s->ledger_size, 33);
	MONEY(s->to_date.received, "97483.16");
	tfl_statement_free(s);
	checkpoint();
	s = draw("DEU", NULL, NULL);
	ck_assert_uint_eq(s->size, 33);
	MONEY(s->to_date.received, "97484.16");
	ck_assert_uint_eq(s->entries[s->nentries - 1].seq, 31);
	ck_assert_uint_eq(s->receipts[2].reversal.seq, 0);
	json = render(s, TFL_STATEMENT_JSON, NULL);
	ck_assert_msg(check(json, NULL, &err) == 0, "%s", err.msg);
	free(json);
	tfl_statement_free(s);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("statement");
	TCase *tc = tcase_create("statement");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_format_names_are_found);
	tcase_add_test(tc, test_no_checkpoint_is_refused_with_advice);
	tcase_add_test(tc, test_unknown_or_bad_donor_is_refused);
	tcase_add_test(tc, test_contributions_clear_pledges_cumulatively);
	tcase_add_test(tc, test_period_figures_equal_the_books_as_of_its_end);
	tcase_add_test(tc,
	    test_a_reversal_after_the_period_leaves_the_line_in_effect);
	tcase_add_test(tc, test_statement_carries_the_entries_it_relies_on);
	tcase_add_test(tc, test_earmarked_money_goes_to_its_grants);
	tcase_add_test(tc, test_pro_rata_parts_add_up_to_the_cent);
	tcase_add_test(tc, test_fund_figures_balance);
	tcase_add_test(tc,
	    test_value_day_sums_and_the_donor_index_agree_with_the_state);
	tcase_add_test(tc, test_json_statement_verifies_without_the_ledger);
	tcase_add_test(tc, test_tampering_is_caught);
	tcase_add_test(tc, test_wrong_log_key_or_garbage_fails);
	tcase_add_test(tc, test_signature_covers_the_whole_statement);
	tcase_add_test(tc, test_canonical_bytes_are_sorted_and_compact);
	tcase_add_test(tc, test_anonymous_donors_stay_anonymous);
	tcase_add_test(tc, test_text_and_csv_show_the_figures);
	tcase_add_test(tc, test_entries_after_the_checkpoint_are_left_out);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(suite()) == 0 ? 0 : 1;
}
