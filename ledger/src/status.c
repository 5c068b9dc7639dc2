/*
 * status.c - the officer's summary and the id lists, read from the state
 * the ledger keeps and one pass over the stored entries.
 *
 * The state has no list of donors, grants or pledges, so the lists come
 * from the entries: a stored note is only decoded when its type line
 * names the type asked for, and an id is reported at the entry that
 * created its record (the record's seq), so corrections do not repeat it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fund_internal.h"
#include "tfledger/status.h"

/* Called with each stored entry of one type, decoded. */
typedef int (*scan_fn)(void *ctx, tfl_kv *kv, const tfl_entry *e,
    tfl_err *err);

/* Does the note's header say type name?  Values hold no newline. */
static int
is_type(const char *note, const char *name)
{
	const char *t = strstr(note, "\ntype: ");
	size_t n = strlen(name);

	return t != NULL && strncmp(t + 7, name, n) == 0 && t[7 + n] == '\n';
}

/* The entry in a stored note, whose bytes the ledger wrote. */
static int
decode(tfl_entry **out, const char *note, size_t len, tfl_err *err)
{
	tfl_note n;
	int rc;

	if ((rc = tfl_note_parse(&n, note, len, err)) != 0)
		return rc;
	rc = tfl_entry_decode(out, n.text, n.textlen, err);
	tfl_note_release(&n);
	return rc;
}

/* Entry seq of the ledger, decoded. */
static int
entry_at(tfl_entry **out, tfl_kv *kv, uint64_t seq, tfl_err *err)
{
	char *note = NULL;
	size_t len;
	int rc;

	if ((rc = kv->entry(kv->entry_ctx, seq, &note, &len, err)) != 0)
		return rc;
	rc = decode(out, note, len, err);
	free(note);
	return rc == 0 ? 0 : tfl_err_prefix(err, "seq %llu",
	    (unsigned long long)seq);
}

/* Call fn for every entry of type among the size stored. */
static int
scan(tfl_kv *kv, uint64_t size, int type, scan_fn fn, void *ctx,
    tfl_err *err)
{
	const char *name = tfl_entry_type_name(type);
	tfl_entry *e = NULL;
	char *note = NULL;
	uint64_t seq;
	size_t len;
	int rc = 0;

	for (seq = 0; rc == 0 && seq < size; seq++) {
		if ((rc = kv->entry(kv->entry_ctx, seq, &note, &len,
		    err)) != 0)
			break;
		if (is_type(note, name) &&
		    (rc = decode(&e, note, len, err)) == 0)
			rc = fn(ctx, kv, e, err);
		tfl_entry_free(e);
		e = NULL;
		free(note);
		note = NULL;
	}
	return rc;
}

struct pledges {
	int (*fn)(void *ctx, const tfl_status_pledge *p);
	void *ctx;
	int64_t today;	 /* for tfl_status_get: count those past due */
	tfl_status *out; /* or NULL */
};

/* The pledge entry e, if it is in effect and money is outstanding. */
static int
each_pledge(void *ctx, tfl_kv *kv, const tfl_entry *e, tfl_err *err)
{
	struct pledges *p = ctx;
	struct tfl__pledge rec;
	tfl_status_pledge s;
	const char *due = tfl_entry_get(e, "due");
	char key[80];
	int rc;

	snprintf(key, sizeof(key), "pledge/%s", tfl_entry_get(e, "ref"));
	rc = tfl__kv_get_fixed(kv, key, &rec, sizeof(rec), err);
	if (rc == TFL_ENOTFOUND) {
		tfl_err_clear(err);
		return 0;
	}
	if (rc != 0 || rec.seq != tfl_entry_seq(e) || rec.reversed ||
	    rec.amount <= rec.cleared)
		return rc;
	memset(&s, 0, sizeof(s));
	snprintf(s.ref, sizeof(s.ref), "%s", tfl_entry_get(e, "ref"));
	memcpy(s.donor, rec.donor, sizeof(s.donor));
	memcpy(s.earmark, rec.earmark, sizeof(s.earmark));
	memcpy(s.currency, rec.currency, sizeof(s.currency));
	s.amount = rec.amount;
	s.outstanding = rec.amount - rec.cleared;
	s.outstanding_base = rec.base - rec.settled;
	s.seq = rec.seq;
	s.due = -1;
	if ((rc = tfl_date_parse(&s.date, tfl_entry_get(e, "date"),
	    err)) != 0 ||
	    (due != NULL && (rc = tfl_date_parse(&s.due, due, err)) != 0))
		return rc;
	if (p->out != NULL && s.due >= 0 && s.due < p->today) {
		p->out->past_due++;
		p->out->past_due_base += s.outstanding_base;
	}
	return p->fn != NULL ? p->fn(p->ctx, &s) : 0;
}

static int
read_pledges(void *ctx, tfl_kv *kv, tfl_err *err)
{
	tfl_fund_info info;
	int rc;

	if ((rc = tfl_fund_info_get(&info, kv, err)) != 0)
		return rc;
	return scan(kv, info.size, TFL_ENTRY_PLEDGE, each_pledge, ctx, err);
}

int
tfl_status_pledge_foreach(tfl_ledger *l,
    int (*fn)(void *ctx, const tfl_status_pledge *p), void *ctx,
    tfl_err *err)
{
	struct pledges p = { fn, ctx, 0, NULL };

	return tfl_ledger_read(l, read_pledges, &p, err);
}

static int
first_pending(void *ctx, uint64_t seq)
{
	tfl_status *s = ctx;

	if (s->pending++ == 0)
		s->pending_seq = seq;
	return 0;
}

/* The time of entry seq into *out. */
static int
time_of(int64_t *out, tfl_kv *kv, uint64_t seq, tfl_err *err)
{
	tfl_entry *e = NULL;
	int rc;

	if ((rc = entry_at(&e, kv, seq, err)) == 0)
		*out = tfl_entry_time(e);
	tfl_entry_free(e);
	return rc;
}

/* Everything but the checkpoint's size, which the caller set. */
static int
read_status(void *ctx, tfl_kv *kv, tfl_err *err)
{
	struct pledges *p = ctx;
	tfl_status *s = p->out;
	int rc;

	if ((rc = tfl_fund_info_get(&s->info, kv, err)) != 0 ||
	    (rc = tfl_fund_totals(&s->total, kv, err)) != 0 ||
	    (rc = tfl_fund_pending_foreach(kv, first_pending, s, err)) != 0)
		return rc;
	if (s->pending > 0 &&
	    (rc = time_of(&s->pending_since, kv, s->pending_seq, err)) != 0)
		return rc;
	rc = tfl__kv_get_fixed(kv, "period", &s->period_closed,
	    sizeof(s->period_closed), err);
	if (rc == TFL_ENOTFOUND)
		s->period_closed = -1;
	else if (rc != 0)
		return rc;
	if (s->checkpoint_size > s->info.size)
		s->checkpoint_size = s->info.size;
	if (s->checkpoint_size > 0 && (rc = time_of(&s->checkpoint_time, kv,
	    s->checkpoint_size - 1, err)) != 0)
		return rc;
	s->unsealed = s->info.size - s->checkpoint_size;
	if (s->unsealed > 0 && (rc = time_of(&s->unsealed_since, kv,
	    s->checkpoint_size, err)) != 0)
		return rc;
	return scan(kv, s->info.size, TFL_ENTRY_PLEDGE, each_pledge, p, err);
}

/* The size of the latest stored checkpoint, 0 when none. */
static int
checkpoint_size(uint64_t *out, tfl_ledger *l, tfl_err *err)
{
	tfl_checkpoint cp;
	tfl_note n;
	char *note = NULL;
	size_t len;
	int rc;

	*out = 0;
	rc = tfl_ledger_checkpoint_latest(&note, &len, l, err);
	if (rc == TFL_ENOTFOUND) {
		tfl_err_clear(err);
		return 0;
	}
	if (rc != 0)
		return rc;
	if ((rc = tfl_note_parse(&n, note, len, err)) == 0) {
		rc = tfl_checkpoint_parse(&cp, n.text, n.textlen, err);
		tfl_note_release(&n);
	}
	free(note);
	if (rc == 0)
		*out = cp.size;
	return rc == 0 ? 0 : tfl_err_prefix(err, "latest checkpoint");
}

int
tfl_status_get(tfl_status *out, tfl_ledger *l, int64_t now, tfl_err *err)
{
	struct pledges p = { NULL, NULL, 0, out };
	int rc;

	memset(out, 0, sizeof(*out));
	out->checkpoint_time = out->unsealed_since = -1;
	out->pending_since = out->period_closed = -1;
	/* Days since 1970, rounding down for times before it too. */
	p.today = now >= 0 ? now / 86400 : -((-now + 86399) / 86400);
	if ((rc = checkpoint_size(&out->checkpoint_size, l, err)) != 0)
		return rc;
	return tfl_ledger_read(l, read_status, &p, err);
}

struct ids {
	int type;
	int (*fn)(void *ctx, const char *id);
	void *ctx;
};

/* The seq of the entry that created id's record; ENOTFOUND when none. */
static int
record_seq(uint64_t *out, tfl_kv *kv, int type, const char *id,
    tfl_err *err)
{
	struct tfl__grantee ge;
	struct tfl__pledge p;
	tfl_fund_donor d;
	tfl_fund_grant g;
	char key[80];
	int rc;

	if (type == TFL_ENTRY_DONOR) {
		if ((rc = tfl_fund_donor_get(&d, kv, id, err)) == 0)
			*out = d.seq;
	} else if (type == TFL_ENTRY_GRANT) {
		if ((rc = tfl_fund_grant_get(&g, kv, id, err)) == 0)
			*out = g.seq;
	} else if (type == TFL_ENTRY_GRANTEE) {
		snprintf(key, sizeof(key), "grantee/%s", id);
		if ((rc = tfl__kv_get_fixed(kv, key, &ge, sizeof(ge),
		    err)) == 0)
			*out = ge.seq;
	} else {
		snprintf(key, sizeof(key), "pledge/%s", id);
		if ((rc = tfl__kv_get_fixed(kv, key, &p, sizeof(p), err)) == 0)
			*out = p.reversed ? UINT64_MAX : p.seq;
	}
	return rc;
}

static int
each_id(void *ctx, tfl_kv *kv, const tfl_entry *e, tfl_err *err)
{
	struct ids *s = ctx;
	const char *id = tfl_entry_get(e, s->type == TFL_ENTRY_PLEDGE ?
	    "ref" : "id");
	uint64_t seq = UINT64_MAX;
	int rc = record_seq(&seq, kv, s->type, id, err);

	if (rc == TFL_ENOTFOUND) {
		tfl_err_clear(err);
		return 0;
	}
	if (rc != 0 || seq != tfl_entry_seq(e))
		return rc;
	return s->fn(s->ctx, id);
}

static int
read_ids(void *ctx, tfl_kv *kv, tfl_err *err)
{
	tfl_fund_info info;
	struct ids *s = ctx;
	int rc;

	if ((rc = tfl_fund_info_get(&info, kv, err)) != 0)
		return rc;
	return scan(kv, info.size, s->type, each_id, s, err);
}

int
tfl_status_id_foreach(tfl_ledger *l, int type,
    int (*fn)(void *ctx, const char *id), void *ctx, tfl_err *err)
{
	struct ids s = { type, fn, ctx };

	if (type != TFL_ENTRY_DONOR && type != TFL_ENTRY_GRANTEE &&
	    type != TFL_ENTRY_GRANT && type != TFL_ENTRY_PLEDGE)
		return tfl_err_set(err, TFL_EINVAL, "ids: donors, grantees, "
		    "grants or pledges only");
	return tfl_ledger_read(l, read_ids, &s, err);
}
