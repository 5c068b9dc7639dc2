/*
 * cmd_status.c - tfledger status [--json]: one screen for an officer:
 * the ledger, its latest checkpoint, what awaits approval, the fund's
 * money, the pledges past due, and what needs doing.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"

#define DAY 86400
#define SHOW_PLEDGES 8 /* past-due pledges listed on screen */

struct st {
	tfl_status s;
	const tfl_currency *cur;
	int64_t now, today;
	json_t *pledges; /* the past-due pledges, as JSON objects */
	json_t *warnings;
};

/* "2026-11-28T13:46:44Z" for JSON, or NULL when t < 0. */
static json_t *
time_json(int64_t t)
{
	char buf[32];

	if (t < 0)
		return json_null();
	tfl_time_format(buf, t);
	return json_string(buf);
}

/* "2026-11-28 13:46 UTC" for people. */
static const char *
human_time(char *buf, int64_t t)
{
	tfl_time_format(buf, t);
	buf[10] = ' ';
	snprintf(buf + 16, 8, " UTC");
	return buf;
}

/* Whole days from t to now ("today", "1 day ago", "9 days ago"). */
static const char *
ago(char *buf, size_t size, int64_t now, int64_t t)
{
	int64_t d = (now - t) / DAY;

	if (d <= 0)
		snprintf(buf, size, "today");
	else
		snprintf(buf, size, "%lld day%s ago", (long long)d,
		    d == 1 ? "" : "s");
	return buf;
}

static json_t *
money_json(const tfl_currency *cur, int64_t v)
{
	char buf[48];

	tfl_money_format(buf, sizeof(buf), v, cur);
	return json_string(buf);
}

static int
add_past_due(void *ctx, const tfl_status_pledge *p)
{
	struct st *st = ctx;
	const tfl_currency *pc;
	char due[16];
	json_t *o;

	if (p->due < 0 || p->due >= st->today)
		return 0;
	if (tfl_currency_find(&pc, p->currency, NULL) != 0)
		return TFL_EINVAL;
	tfl_date_format(due, p->due);
	o = json_pack("{s:s, s:s, s:s, s:s, s:I}", "ref", p->ref, "donor",
	    p->donor, "due", due, "currency", p->currency, "seq",
	    (json_int_t)p->seq);
	json_object_set_new(o, "earmark", *p->earmark ?
	    json_string(p->earmark) : json_null());
	json_object_set_new(o, "amount", money_json(pc, p->amount));
	json_object_set_new(o, "outstanding", money_json(pc, p->outstanding));
	json_object_set_new(o, "outstanding_base", money_json(st->cur,
	    p->outstanding_base));
	return json_array_append_new(st->pledges, o) == 0 ? 0 : TFL_ENOMEM;
}

static void
warn(struct st *st, const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void
warn(struct st *st, const char *code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(st->warnings, json_pack("{s:s, s:s}", "code",
	    code, "message", msg));
}

/* What needs doing, most urgent first. */
static void
warnings(struct st *st)
{
	const tfl_status *s = &st->s;
	int64_t d;

	if (s->checkpoint_size == 0)
		warn(st, "no-checkpoint", "no checkpoint has been published: "
		    "run `tfledger checkpoint`");
	else if (s->unsealed > 0 && (d = (st->now - s->unsealed_since) /
	    DAY) >= TFL_STATUS_CHECKPOINT_DAYS)
		warn(st, "checkpoint-due", "%llu entr%s not covered by a "
		    "checkpoint for %lld days: run `tfledger checkpoint`",
		    (unsigned long long)s->unsealed, s->unsealed == 1 ?
		    "y is" : "ies are", (long long)d);
	if (s->pending > 0)
		warn(st, "approvals-waiting", "%llu entr%s awaiting approval, "
		    "the oldest (seq %llu) for %lld days: see `tfledger "
		    "pending`", (unsigned long long)s->pending,
		    s->pending == 1 ? "y is" : "ies are",
		    (unsigned long long)s->pending_seq,
		    (long long)((st->now - s->pending_since) / DAY));
	if (s->past_due > 0)
		warn(st, "pledges-past-due", "%llu pledge%s past due: see "
		    "`tfledger balance --donor ID`",
		    (unsigned long long)s->past_due, s->past_due == 1 ?
		    " is" : "s are");
}

static json_t *
status_json(const struct st *st)
{
	const tfl_status *s = &st->s;
	char closed[16];
	json_t *o, *m;

	o = json_pack("{s:s, s:s, s:s, s:I, s:o}", "origin", s->info.origin,
	    "fund", s->info.fund, "currency", st->cur->code, "entries",
	    (json_int_t)s->info.size, "last_entry", time_json(
	    s->info.last_time));
	json_object_set_new(o, "now", time_json(st->now));
	json_object_set_new(o, "checkpoint", s->checkpoint_size == 0 ?
	    json_null() : json_pack("{s:I, s:o}", "size",
	    (json_int_t)s->checkpoint_size, "last_entry", time_json(
	    s->checkpoint_time)));
	json_object_set_new(o, "uncheckpointed", json_pack("{s:I, s:o}",
	    "entries", (json_int_t)s->unsealed, "since",
	    time_json(s->unsealed_since)));
	json_object_set_new(o, "pending", json_pack("{s:I, s:o, s:o}",
	    "entries", (json_int_t)s->pending, "oldest_seq", s->pending > 0 ?
	    json_integer((json_int_t)s->pending_seq) : json_null(), "since",
	    time_json(s->pending_since)));
	if (s->period_closed >= 0)
		tfl_date_format(closed, s->period_closed);
	json_object_set_new(o, "period_closed", s->period_closed >= 0 ?
	    json_string(closed) : json_null());
	m = json_object();
	json_object_set_new(m, "cash", money_json(st->cur, s->total.cash));
	json_object_set_new(m, "committed", money_json(st->cur,
	    s->total.committed));
	json_object_set_new(m, "available", money_json(st->cur,
	    s->total.cash - s->total.committed));
	json_object_set_new(m, "receivable", money_json(st->cur,
	    s->total.receivable));
	json_object_set_new(m, "past_due", money_json(st->cur,
	    s->past_due_base));
	json_object_set_new(o, "money", m);
	json_object_set_new(o, "pledges_past_due", json_incref(st->pledges));
	json_object_set_new(o, "warnings", json_incref(st->warnings));
	return o;
}

/* "label              text": the label in a column of 18. */
static int
line(const char *label, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int
line(const char *label, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return cli_printf("%-18s %s\n", label, text);
}

/* "covers 40 of 46 entries; 6 recorded since, the first 9 days ago" */
static int
print_checkpoint(const struct st *st)
{
	const tfl_status *s = &st->s;
	char a[32], n[32], cp[32], u[32];

	cli_group(n, sizeof(n), s->info.size);
	cli_group(cp, sizeof(cp), s->checkpoint_size);
	cli_group(u, sizeof(u), s->unsealed);
	if (s->checkpoint_size == 0)
		return line("checkpoint", "none published");
	if (s->unsealed == 0)
		return s->info.size == 1 ? line("checkpoint", "covers the one "
		    "entry") : line("checkpoint", "covers all %s entries", n);
	return line("checkpoint", "covers %s of %s entries; %s recorded "
	    "since, the first %s", cp, n, u, ago(a, sizeof(a), st->now,
	    s->unsealed_since));
}

/* The ledger's lines: identity, size, checkpoint, approvals, period. */
static int
print_ledger(const struct st *st)
{
	const tfl_status *s = &st->s;
	char t[32], a[32], n[32], d[16];
	int rc;

	cli_group(n, sizeof(n), s->info.size);
	rc = line("ledger", "%s (%s)", s->info.origin, s->info.fund);
	if (rc == 0)
		rc = line("entries", "%s, the last recorded %s", n,
		    human_time(t, s->info.last_time));
	if (rc == 0)
		rc = print_checkpoint(st);
	cli_group(n, sizeof(n), s->pending);
	if (rc == 0)
		rc = s->pending == 0 ? line("awaiting approval", "none") :
		    line("awaiting approval", "%s, the oldest seq %llu "
		    "recorded %s", n, (unsigned long long)s->pending_seq,
		    ago(a, sizeof(a), st->now, s->pending_since));
	if (s->period_closed >= 0)
		tfl_date_format(d, s->period_closed);
	if (rc == 0)
		rc = line("period closed", "%s", s->period_closed >= 0 ?
		    d : "none yet");
	return rc;
}

static int
amount_line(const char *label, int64_t v, const tfl_currency *cur)
{
	char buf[64];

	tfl_money_format_grouped(buf, sizeof(buf), v, cur);
	return cli_printf("  %-16s %20s %s\n", label, buf, cur->code);
}

static int
print_money(const struct st *st)
{
	const tfl_fund_pool *t = &st->s.total;
	int rc;

	if ((rc = cli_printf("\nmoney\n")) != 0 ||
	    (rc = amount_line("cash", t->cash, st->cur)) != 0 ||
	    (rc = amount_line("committed", t->committed, st->cur)) != 0 ||
	    (rc = amount_line("available", t->cash - t->committed,
	    st->cur)) != 0)
		return rc;
	return amount_line("receivable", t->receivable, st->cur);
}

/* One past-due pledge: ref, donor, due date, what is owed. */
static int
print_pledge(json_t *p, const struct st *st)
{
	const tfl_currency *pc;
	char owed[64], base[64];
	const char *cur = json_string_value(json_object_get(p, "currency"));
	int64_t v;

	if (tfl_currency_find(&pc, cur, NULL) != 0 ||
	    tfl_money_parse(&v, json_string_value(json_object_get(p,
	    "outstanding")), pc, 0, NULL) != 0)
		return TFL_EINVAL;
	tfl_money_format_grouped(owed, sizeof(owed), v, pc);
	tfl_money_parse(&v, json_string_value(json_object_get(p,
	    "outstanding_base")), st->cur, 0, NULL);
	tfl_money_format_grouped(base, sizeof(base), v, st->cur);
	return cli_printf("  %-16s %-12s due %s %16s %s %16s %s\n",
	    json_string_value(json_object_get(p, "ref")),
	    json_string_value(json_object_get(p, "donor")),
	    json_string_value(json_object_get(p, "due")), owed, cur, base,
	    st->cur->code);
}

static int
print_pledges(const struct st *st)
{
	size_t i, n = json_array_size(st->pledges);
	char total[64];
	int rc;

	if (n == 0)
		return 0;
	tfl_money_format_grouped(total, sizeof(total), st->s.past_due_base,
	    st->cur);
	rc = cli_printf("\npledges past due: %zu, owing %s %s\n", n, total,
	    st->cur->code);
	for (i = 0; rc == 0 && i < n && i < SHOW_PLEDGES; i++)
		rc = print_pledge(json_array_get(st->pledges, i), st);
	if (rc == 0 && n > SHOW_PLEDGES)
		rc = cli_printf("  ... and %zu more (tfledger status --json)\n",
		    n - SHOW_PLEDGES);
	return rc;
}

static int
print_warnings(const struct st *st)
{
	size_t i, n = json_array_size(st->warnings);
	int col = cli_colour(stdout), rc;

	if (n == 0)
		return cli_printf("\n%snothing needs attention%s\n",
		    cli_sgr(col, CLI_SGR_GREEN), cli_sgr(col, CLI_SGR_RESET));
	rc = cli_printf("\n%swarnings%s\n", cli_sgr(col, CLI_SGR_BOLD),
	    cli_sgr(col, CLI_SGR_RESET));
	for (i = 0; rc == 0 && i < n; i++)
		rc = cli_printf("  %s! %s%s\n", cli_sgr(col, CLI_SGR_YELLOW),
		    json_string_value(json_object_get(json_array_get(
		    st->warnings, i), "message")), cli_sgr(col,
		    CLI_SGR_RESET));
	return rc;
}

static int
gather(struct cli *c, struct st *st)
{
	int rc;

	st->now = (int64_t)time(NULL);
	st->today = st->now / DAY;
	if ((rc = tfl_status_get(&st->s, c->ledger, st->now, &c->err)) != 0 ||
	    (rc = tfl_currency_find(&st->cur, st->s.info.currency.code,
	    &c->err)) != 0 ||
	    (rc = tfl_status_pledge_foreach(c->ledger, add_past_due, st,
	    &c->err)) != 0)
		return rc;
	warnings(st);
	return 0;
}

int
cmd_status(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct st *st;
	int ch, rc = 0, json = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (ch == 'j')
			json = 1;
		else
			rc = cli_bad_option(c, "status", argv);
	if (rc == 0 && optind != argc)
		rc = cli_usage(c, "status: no arguments expected");
	if (rc != 0)
		return rc;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return tfl_err_set(&c->err, TFL_ENOMEM, "out of memory");
	st->pledges = json_array();
	st->warnings = json_array();
	if ((rc = gather(c, st)) == 0 && json)
		rc = cli_print_json(status_json(st));
	else if (rc == 0 && (rc = print_ledger(st)) == 0 &&
	    (rc = print_money(st)) == 0 && (rc = print_pledges(st)) == 0)
		rc = print_warnings(st);
	json_decref(st->pledges);
	json_decref(st->warnings);
	free(st);
	return rc;
}
