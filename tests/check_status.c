/*
 * check_status.c - the officer's summary and the id lists (status.h).
 *
 * Each test gets a fresh ledger: genesis by an admin key (also the log
 * key), then a recorder and an approver enrolled, at T0 (2026-11-18).
 * tfl_status_get takes the time, so ages and due dates are tested
 * without waiting.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tfledger/entry.h"
#include "tfledger/keys.h"
#include "tfledger/ledger.h"
#include "tfledger/status.h"

#define T0 ((int64_t)1795000000) /* 2026-11-18T11:06:40Z */
#define DAY ((int64_t)86400)

static struct tu_ledger tl;

static tfl_entry *
donor(const char *id, const char *name)
{
	return tu_entry_new(TFL_ENTRY_DONOR, "id", id, "name", name, "kind",
	    "government", "anonymous", "no", NULL);
}

/* A pledge of USD amount from d, due on due (NULL: none). */
static tfl_entry *
pledge(const char *d, const char *ref, const char *amount, const char *due)
{
	tfl_entry *e = tu_entry_new(TFL_ENTRY_PLEDGE, "date", "2026-11-01",
	    "donor", d, "ref", ref, "amount", amount, "currency", "USD",
	    "base-amount", amount, NULL);
	tfl_err err = TFL_ERR_INIT;

	if (due != NULL)
		ck_assert_msg(tfl_entry_set(e, "due", due, &err) == 0, "%s",
		    err.msg);
	return e;
}

static tfl_status
status_at(int64_t now)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_status s;

	ck_assert_msg(tfl_status_get(&s, tl.led, now, &err) == 0, "%s",
	    err.msg);
	return s;
}

static void
setup(void)
{
	tfl_genesis g = { "example.org/unvtf/status", "Test Fund", "USD",
		NULL };

	tu_ledger_open(&tl, &g, T0, 0);
	tu_put_at(&tl, tl.admin, T0, tu_entry_enroll(tl.rec, "recorder"));
	tu_put_at(&tl, tl.admin, T0, tu_entry_enroll(tl.appr, "approver"));
}

static void
teardown(void)
{
	tu_ledger_close(&tl);
}

START_TEST(test_a_new_ledger_has_no_checkpoint_and_nothing_waiting)
{
	tfl_status s = status_at(T0 + 60);

	ck_assert_str_eq(s.info.origin, "example.org/unvtf/status");
	ck_assert_uint_eq(s.info.size, 3);
	ck_assert_int_eq(s.info.last_time, T0);
	ck_assert_uint_eq(s.checkpoint_size, 0);
	ck_assert_int_eq(s.checkpoint_time, -1);
	ck_assert_uint_eq(s.unsealed, 3);
	ck_assert_int_eq(s.unsealed_since, T0);
	ck_assert_uint_eq(s.pending, 0);
	ck_assert_int_eq(s.pending_since, -1);
	ck_assert_int_eq(s.period_closed, -1);
	ck_assert_uint_eq(s.past_due, 0);
	ck_assert_int_eq(s.total.cash, 0);
}
END_TEST

START_TEST(test_entries_after_the_checkpoint_are_dated_from_the_first)
{
	tfl_err err = TFL_ERR_INIT;
	char *cp = NULL;
	size_t len;
	tfl_status s;

	ck_assert_msg(tfl_ledger_checkpoint(&cp, &len, tl.led, tl.admin,
	    &err) == 0, "%s", err.msg);
	free(cp);
	s = status_at(T0 + 60);
	ck_assert_uint_eq(s.checkpoint_size, 3);
	ck_assert_int_eq(s.checkpoint_time, T0);
	ck_assert_uint_eq(s.unsealed, 0);
	ck_assert_int_eq(s.unsealed_since, -1);
	tu_put_at(&tl, tl.rec, T0 + 3 * DAY, donor("NOR", "Norway"));
	tu_put_at(&tl, tl.rec, T0 + 9 * DAY, donor("DEU", "Germany"));
	s = status_at(T0 + 10 * DAY);
	ck_assert_uint_eq(s.checkpoint_size, 3);
	ck_assert_uint_eq(s.unsealed, 2);
	ck_assert_int_eq(s.unsealed_since, T0 + 3 * DAY);
	ck_assert_int_eq(s.info.last_time, T0 + 9 * DAY);
}
END_TEST

START_TEST(test_a_pledge_is_past_due_from_the_day_after_its_due_date)
{
	int64_t due, day;
	tfl_status s;

	tu_put_at(&tl, tl.rec, T0, donor("NOR", "Norway"));
	tu_put_at(&tl, tl.rec, T0, pledge("NOR", "NOR-1", "500.00",
	    "2026-11-20"));
	tu_put_at(&tl, tl.rec, T0, pledge("NOR", "NOR-2", "700.00", NULL));
	ck_assert_int_eq(tfl_date_parse(&due, "2026-11-20", NULL), 0);
	day = due * DAY;
	s = status_at(day + DAY - 1);
	ck_assert_uint_eq(s.past_due, 0);
	s = status_at(day + DAY);
	ck_assert_uint_eq(s.past_due, 1);
	ck_assert_int_eq(s.past_due_base, 50000);
	ck_assert_int_eq(s.total.receivable, 120000);
	/* part paid: what is left is past due */
	tu_put_at(&tl, tl.rec, day + DAY, tu_entry_new(TFL_ENTRY_RECEIPT,
	    "date", "2026-11-21", "donor", "NOR", "ref", "BNK-1", "amount",
	    "200.00", "currency", "USD", "base-amount", "200.00", "pledge",
	    "NOR-1", NULL));
	s = status_at(day + DAY);
	ck_assert_uint_eq(s.past_due, 1);
	ck_assert_int_eq(s.past_due_base, 30000);
	tu_put_at(&tl, tl.rec, day + DAY, tu_entry_new(TFL_ENTRY_RECEIPT,
	    "date", "2026-11-21", "donor", "NOR", "ref", "BNK-2", "amount",
	    "300.00", "currency", "USD", "base-amount", "300.00", "pledge",
	    "NOR-1", NULL));
	s = status_at(day + 30 * DAY);
	ck_assert_uint_eq(s.past_due, 0);
	ck_assert_int_eq(s.past_due_base, 0);
}
END_TEST

struct seen {
	char text[512];
	size_t n;
};

static int
add_id(void *ctx, const char *id)
{
	struct seen *s = ctx;

	strncat(s->text, id, sizeof(s->text) - strlen(s->text) - 2);
	strcat(s->text, " ");
	s->n++;
	return 0;
}

static int
add_pledge(void *ctx, const tfl_status_pledge *p)
{
	struct seen *s = ctx;
	char line[256];

	snprintf(line, sizeof(line), "%s:%s:%lld:%lld:%lld ", p->ref,
	    p->donor, (long long)p->outstanding, (long long)p->due,
	    (long long)p->seq);
	strncat(s->text, line, sizeof(s->text) - strlen(s->text) - 1);
	s->n++;
	return 0;
}

static struct seen
ids(int type)
{
	tfl_err err = TFL_ERR_INIT;
	struct seen s;

	memset(&s, 0, sizeof(s));
	ck_assert_msg(tfl_status_id_foreach(tl.led, type, add_id, &s,
	    &err) == 0, "%s", err.msg);
	return s;
}

START_TEST(test_ids_come_once_each_in_the_order_first_recorded)
{
	tu_put_at(&tl, tl.rec, T0, donor("NOR", "Norway"));
	tu_put_at(&tl, tl.rec, T0, donor("DEU", "Germany"));
	tu_put_at(&tl, tl.rec, T0, donor("NOR", "Norway (MFA)"));
	tu_put_at(&tl, tl.rec, T0, tu_entry_new(TFL_ENTRY_GRANTEE, "id",
	    "ngo-1", "name", "Safe Haven", "country", "NG", NULL));
	ck_assert_str_eq(ids(TFL_ENTRY_DONOR).text, "NOR DEU ");
	ck_assert_str_eq(ids(TFL_ENTRY_GRANTEE).text, "ngo-1 ");
	ck_assert_uint_eq(ids(TFL_ENTRY_GRANT).n, 0);
	ck_assert_uint_eq(ids(TFL_ENTRY_PLEDGE).n, 0);
}
END_TEST

START_TEST(test_a_reversed_pledge_is_neither_listed_nor_owed)
{
	tfl_err err = TFL_ERR_INIT;
	struct seen s;
	uint64_t p1, r;
	char seq[24];

	tu_put_at(&tl, tl.rec, T0, donor("NOR", "Norway"));
	p1 = tu_put_at(&tl, tl.rec, T0, pledge("NOR", "NOR-1", "500.00",
	    "2026-11-10"));
	tu_put_at(&tl, tl.rec, T0, pledge("NOR", "NOR-2", "700.00",
	    "2026-12-31"));
	snprintf(seq, sizeof(seq), "%llu", (unsigned long long)p1);
	r = tu_put_at(&tl, tl.rec, T0 + 60, tu_entry_new(TFL_ENTRY_REVERSAL,
	    "date", "2026-11-18", "reverses", seq, "reason", "keyed twice",
	    NULL));
	ck_assert_uint_eq(status_at(T0 + 120).pending, 1);
	ck_assert_uint_eq(status_at(T0 + 120).pending_seq, r);
	ck_assert_int_eq(status_at(T0 + 120).pending_since, T0 + 60);
	ck_assert_uint_eq(status_at(T0 + 120).past_due, 1);
	tu_put_at(&tl, tl.appr, T0 + 120, tu_entry_approval(r));
	ck_assert_uint_eq(status_at(T0 + 180).pending, 0);
	ck_assert_uint_eq(status_at(T0 + 180).past_due, 0);
	ck_assert_str_eq(ids(TFL_ENTRY_PLEDGE).text, "NOR-2 ");
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(tfl_status_pledge_foreach(tl.led, add_pledge, &s,
	    &err), 0);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_ptr_nonnull(strstr(s.text, "NOR-2:NOR:70000:"));
}
END_TEST

START_TEST(test_ids_of_another_type_are_refused)
{
	tfl_err err = TFL_ERR_INIT;
	struct seen s;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(tfl_status_id_foreach(tl.led, TFL_ENTRY_RECEIPT,
	    add_id, &s, &err), TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "donors, grantees"));
}
END_TEST

static Suite *
status_suite(void)
{
	Suite *s = suite_create("status");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc,
	    test_a_new_ledger_has_no_checkpoint_and_nothing_waiting);
	tcase_add_test(tc,
	    test_entries_after_the_checkpoint_are_dated_from_the_first);
	tcase_add_test(tc,
	    test_a_pledge_is_past_due_from_the_day_after_its_due_date);
	tcase_add_test(tc, test_ids_come_once_each_in_the_order_first_recorded);
	tcase_add_test(tc, test_a_reversed_pledge_is_neither_listed_nor_owed);
	tcase_add_test(tc, test_ids_of_another_type_are_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(status_suite()) != 0;
}
