/*
 * check_entry.c - the canonical text of ledger entries (tfledger/entry.h):
 * every type round-trips, required fields, strict decoding of every
 * non-canonical variant, the value kinds, dates and times.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"
#include "tfledger/entry.h"
#include "tfledger/keys.h"

/* Public C2SP signed-note verifier keys (shared/vectors/signed-note). */
#define PETER \
	"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define ENOCH \
	"EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"

#define ORIGIN "unvtf.example.org/ledger"
#define PREV_HEX \
	"00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210"
#define SEQ0 UINT64_C(1000)
/* 2026-11-28T13:17:00Z (date -u -d 2026-11-28T13:17:00Z +%s). */
#define T0 INT64_C(1795871820)
/* 2026-11-28T13:17:52Z (date -u -d 2026-11-28T13:17:52Z +%s). */
#define T_KNOWN INT64_C(1795871872)
/* 9999-12-31T23:59:59Z, the last time a header can hold. */
#define T_MAX INT64_C(253402300799)
/* Days from 1970-01-01 to 2100-12-31 (4133894400 / 86400). */
#define DAY_2100_12_31 47846

/* A type's fields as name, value pairs, every optional field included. */
struct sample {
	int type;
	const char *kv[2 * 16 + 1];
};

/* clang-format off */
static const struct sample samples[] = {
	{ TFL_ENTRY_GENESIS, { "fund", "UN Voluntary Trust Fund on "
	    "Contemporary Forms of Slavery", "currency", "USD",
	    "admin-key", PETER, "log-key", ENOCH, NULL } },
	{ TFL_ENTRY_KEY_ENROLL, { "key", ENOCH, "role", "recorder", NULL } },
	{ TFL_ENTRY_KEY_REVOKE, { "name", "PeterNeumann",
	    "reason", "laptop stolen: key: compromised", NULL } },
	{ TFL_ENTRY_POLICY, { "approval-threshold", "50000",
	    "psc-rate", "13", NULL } },
	{ TFL_ENTRY_DONOR, { "id", "d-001", "name",
	    "Ministry of Foreign Affairs", "kind", "government",
	    "country", "NO", "anonymous", "no", NULL } },
	{ TFL_ENTRY_GRANTEE, { "id", "g-017",
	    "name", "Association Sans Fronti\xc3\xa8res \xe2\x80\x94 Lyon",
	    "country", "FR", "partner-ref", "P/2026/017", NULL } },
	{ TFL_ENTRY_PLEDGE, { "date", "2026-01-15", "donor", "d-001",
	    "ref", "PL-2026-001", "amount", "1000000", "currency", "NOK",
	    "rate", "10.5", "base-amount", "95238.10",
	    "earmark", "cycle_2026", "due", "2026-06-30", NULL } },
	{ TFL_ENTRY_PLEDGE_WRITEDOWN, { "date", "2026-03-01",
	    "pledge", "PL-2026-001", "amount", "5000.5",
	    "reason", "donor budget cut", NULL } },
	{ TFL_ENTRY_RECEIPT, { "date", "2026-02-10", "donor", "d-002",
	    "ref", "RC.2026.01", "amount", "250000.50", "currency", "EUR",
	    "rate", "0.926", "base-amount", "269978.94",
	    "pledge", "PL-2026-002", "earmark", "cycle_2026", NULL } },
	{ TFL_ENTRY_INTEREST, { "date", "2026-03-31", "ref", "INT-2026-Q1",
	    "amount", "12.34", NULL } },
	{ TFL_ENTRY_DONOR_REFUND, { "date", "2026-04-02", "donor", "d-003",
	    "ref", "DR-1", "amount", "150000", "currency", "JPY",
	    "rate", "156.25", "base-amount", "960", "receipt", "RC-7",
	    "reason", "paid twice", NULL } },
	{ TFL_ENTRY_GRANT, { "date", "2026-05-04", "id", "GR-2026-017",
	    "grantee", "g-017", "country", "FR", "cycle", "2026",
	    "purposes", "shelter,medical,legal", "start", "2026-06-01",
	    "end", "2027-05-31", "amount", "40000", "earmark", "cycle_2026",
	    "decision", "BoT-31/4", NULL } },
	{ TFL_ENTRY_DISBURSEMENT, { "date", "2026-06-01",
	    "grant", "GR-2026-017", "ref", "DB-1", "amount", "20000", NULL } },
	{ TFL_ENTRY_EXPENDITURE, { "date", "2026-09-30",
	    "grant", "GR-2026-017", "ref", "FR-2026-Q3", "amount", "8123.45",
	    "women", "12", "girls", "3", "men", "4", "boys", "0",
	    "sexual", "5", "labour", "14", "other-form", "0",
	    "services", "shelter:12,psychosocial:7,reintegration:2",
	    NULL } },
	{ TFL_ENTRY_GRANTEE_REFUND, { "date", "2027-06-15",
	    "grant", "GR-2026-017", "ref", "GRF-1", "amount", "0.01",
	    NULL } },
	{ TFL_ENTRY_DEOBLIGATION, { "date", "2027-06-30",
	    "grant", "GR-2026-017", "amount", "1876.55",
	    "reason", "project closed under budget", NULL } },
	{ TFL_ENTRY_PSC, { "date", "2026-12-31", "earmark", "cycle_2026",
	    "rate", "13",
	    "basis", "-1500", "amount", "-195", NULL } },
	{ TFL_ENTRY_APPROVAL, { "approves", "41", NULL } },
	{ TFL_ENTRY_REVERSAL, { "date", "2026-07-01", "reverses", "40",
	    "reason", "duplicate of seq 39", NULL } },
	{ TFL_ENTRY_PERIOD_CLOSE, { "date", "2026-12-31", NULL } },
};

static const char *const type_names[TFL_ENTRY_NTYPES] = {
	"genesis", "key-enroll", "key-revoke", "policy", "donor", "grantee",
	"pledge", "pledge-writedown", "receipt", "interest", "donor-refund",
	"grant", "disbursement", "expenditure", "grantee-refund",
	"deobligation", "psc", "approval", "reversal", "period-close",
};
/* clang-format on */

/* The canonical text of the donor sample; the decode tests mutate it. */
static const char donor_text[] =
    "tfledger entry v2\n"
    "origin: " ORIGIN "\n"
    "seq: 42\n"
    "time: 2026-11-28T13:17:52Z\n"
    "prev: " PREV_HEX "\n"
    "type: donor\n"
    "id: d-001\n"
    "name: Ministry of Foreign Affairs\n"
    "kind: government\n"
    "country: NO\n"
    "anonymous: no\n";

/* Whether field of type is optional; aborts if type has no such field. */
static int
is_optional(int type, const char *field)
{
	const char *f;
	size_t i;
	int opt;

	for (i = 0; (f = tfl_entry_field(type, i, &opt)) != NULL; i++)
		if (strcmp(f, field) == 0)
			return opt;
	ck_abort_msg("%s has no field %s", tfl_entry_type_name(type), field);
	return 0;
}

/* The sample's value of field, or NULL. */
static const char *
sample_value(const struct sample *s, const char *field)
{
	size_t i;

	for (i = 0; s->kv[i] != NULL; i += 2)
		if (strcmp(s->kv[i], field) == 0)
			return s->kv[i + 1];
	return NULL;
}

/*
 * A new entry of s's type with a header (seq SEQ0 + type, time T0 + type)
 * and s's fields: optional ones only when all, and never skip.
 */
static tfl_entry *
build(const struct sample *s, int all, const char *skip)
{
	uint8_t prev[TFL_HASH_SIZE];
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;
	size_t i;

	tu_unhex(prev, sizeof(prev), PREV_HEX);
	ck_assert_int_eq(tfl_entry_new(&e, s->type, &err), 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_msg(tfl_entry_set_header(e, ORIGIN, SEQ0 + (uint64_t)s->type,
	    T0 + s->type, prev, &err) == 0, "%s", err.msg);
	for (i = 0; s->kv[i] != NULL; i += 2) {
		if (skip != NULL && strcmp(s->kv[i], skip) == 0)
			continue;
		if (!all && is_optional(s->type, s->kv[i]))
			continue;
		ck_assert_msg(tfl_entry_set(e, s->kv[i], s->kv[i + 1],
		    &err) == 0, "%s %s: %s", tfl_entry_type_name(s->type),
		    s->kv[i], err.msg);
	}
	return e;
}

static char *
encode(size_t *len, const tfl_entry *e)
{
	tfl_err err = TFL_ERR_INIT;
	char *text = NULL;

	ck_assert_msg(tfl_entry_encode(&text, len, e, &err) == 0, "%s",
	    err.msg);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(strlen(text), *len);
	return text;
}

static tfl_entry *
decode(const char *text, size_t len)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;

	ck_assert_msg(tfl_entry_decode(&e, text, len, &err) == 0,
	    "%s\n%.*s", err.msg, (int)len, text);
	ck_assert_ptr_nonnull(e);
	return e;
}

static void
append(char *buf, size_t size, const char *name, const char *value)
{
	size_t n = strlen(buf);

	ck_assert_int_lt(snprintf(buf + n, size - n, "%s: %s\n", name, value),
	    (int)(size - n));
}

/*
 * The text s must encode to, written out here from entry.h: the header,
 * then the present fields in the type's order.
 */
static void
expected_text(char *buf, size_t size, const struct sample *s, int all)
{
	const char *f;
	char num[32];
	size_t i;
	int opt;

	snprintf(buf, size, "%s\n", TFL_ENTRY_HEADER);
	append(buf, size, "origin", ORIGIN);
	snprintf(num, sizeof(num), "%d", 1000 + s->type);
	append(buf, size, "seq", num);
	snprintf(num, sizeof(num), "2026-11-28T13:17:%02dZ", s->type);
	append(buf, size, "time", num);
	append(buf, size, "prev", PREV_HEX);
	append(buf, size, "type", type_names[s->type]);
	for (i = 0; (f = tfl_entry_field(s->type, i, &opt)) != NULL; i++)
		if (all || !opt)
			append(buf, size, f, sample_value(s, f));
}

/* d holds s's header and fields (optional ones only when all). */
static void
same_entry(const tfl_entry *d, const struct sample *s, int all)
{
	uint8_t prev[TFL_HASH_SIZE];
	const char *f, *want, *got;
	size_t i;
	int opt;

	tu_unhex(prev, sizeof(prev), PREV_HEX);
	ck_assert_int_eq(tfl_entry_type(d), s->type);
	ck_assert_uint_eq(tfl_entry_seq(d), SEQ0 + (uint64_t)s->type);
	ck_assert_int_eq(tfl_entry_time(d), T0 + s->type);
	ck_assert_mem_eq(tfl_entry_prev(d), prev, TFL_HASH_SIZE);
	ck_assert_str_eq(tfl_entry_origin(d), ORIGIN);
	for (i = 0; (f = tfl_entry_field(s->type, i, &opt)) != NULL; i++) {
		want = all || !opt ? sample_value(s, f) : NULL;
		got = tfl_entry_get(d, f);
		if (want == NULL)
			ck_assert_msg(got == NULL, "%s: got \"%s\"", f, got);
		else
			ck_assert_msg(got != NULL && strcmp(got, want) == 0,
			    "%s: got \"%s\", want \"%s\"", f,
			    got != NULL ? got : "(null)", want);
	}
}

/* Build, encode, decode, encode again: the same bytes, the same entry. */
static void
round_trip(const struct sample *s, int all)
{
	char want[4096], *t1, *t2;
	tfl_entry *e, *d;
	size_t n1, n2;

	e = build(s, all, NULL);
	same_entry(e, s, all);
	t1 = encode(&n1, e);
	expected_text(want, sizeof(want), s, all);
	ck_assert_str_eq(t1, want);
	d = decode(t1, n1);
	same_entry(d, s, all);
	t2 = encode(&n2, d);
	ck_assert_uint_eq(n2, n1);
	ck_assert_mem_eq(t2, t1, n1);
	tfl_entry_free(e);
	tfl_entry_free(d);
	free(t1);
	free(t2);
}

START_TEST(test_samples_give_every_field_of_every_type)
{
	const struct sample *s = &samples[_i];
	const char *f;
	size_t i, n;

	ck_assert_uint_eq(sizeof(samples) / sizeof(samples[0]),
	    TFL_ENTRY_NTYPES);
	ck_assert_int_eq(s->type, _i);
	for (i = 0; (f = tfl_entry_field(_i, i, NULL)) != NULL; i++)
		ck_assert_msg(sample_value(s, f) != NULL,
		    "%s: the sample lacks %s", type_names[_i], f);
	/* And nothing else: each is a field of the type (or aborts). */
	for (n = 0; s->kv[2 * n] != NULL; n++)
		is_optional(_i, s->kv[2 * n]);
	ck_assert_uint_eq(n, i);
}
END_TEST

START_TEST(test_every_type_round_trips_with_all_its_fields)
{
	round_trip(&samples[_i], 1);
}
END_TEST

START_TEST(test_every_type_round_trips_with_only_required_fields)
{
	round_trip(&samples[_i], 0);
}
END_TEST

START_TEST(test_encode_names_each_missing_required_field)
{
	const struct sample *s = &samples[_i];
	tfl_err err = TFL_ERR_INIT;
	char want[128], *text;
	const char *f;
	tfl_entry *e;
	size_t i, len, nreq = 0;
	int opt;

	for (i = 0; (f = tfl_entry_field(_i, i, &opt)) != NULL; i++) {
		if (opt)
			continue;
		nreq++;
		e = build(s, 1, f);
		text = NULL;
		ck_assert_int_eq(tfl_entry_encode(&text, &len, e, &err),
		    TFL_EINVAL);
		ck_assert_ptr_null(text);
		ck_assert_int_eq(err.code, TFL_EINVAL);
		snprintf(want, sizeof(want), "field \"%s\" is required", f);
		ck_assert_msg(strstr(err.msg, want) != NULL,
		    "message \"%s\" lacks %s", err.msg, want);
		ck_assert_msg(strstr(err.msg, type_names[_i]) != NULL,
		    "message \"%s\" does not name the type", err.msg);
		tfl_entry_free(e);
	}
	ck_assert_uint_gt(nreq, 0);
}
END_TEST

START_TEST(test_absent_optional_fields_leave_no_lines)
{
	char *text;
	tfl_entry *e = build(&samples[TFL_ENTRY_PLEDGE], 0, NULL);
	size_t len;

	text = encode(&len, e);
	ck_assert_ptr_null(strstr(text, "\nrate: "));
	ck_assert_ptr_null(strstr(text, "\nearmark: "));
	ck_assert_ptr_null(strstr(text, "\ndue: "));
	ck_assert_ptr_nonnull(strstr(text, "\ncurrency: NOK\nbase-amount: "));
	tfl_entry_free(e);
	free(text);
}
END_TEST

/*
 * BUG (entry.c, tfl_entry_encode): an entry whose header was never set
 * encodes with status 0 to text with "origin: \n" (an empty value), which
 * is not canonical and which tfl_entry_decode refuses; encode must not
 * produce text that is not an entry.  Expected TFL_EINVAL.
 */
START_TEST(test_encode_refuses_an_entry_without_a_header)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL, *d = NULL;
	char *text = NULL;
	size_t len = 0;
	int rc;

	ck_assert_int_eq(tfl_entry_new(&e, TFL_ENTRY_PERIOD_CLOSE, &err), 0);
	ck_assert_int_eq(tfl_entry_set(e, "date", "2026-12-31", &err), 0);
	rc = tfl_entry_encode(&text, &len, e, &err);
	if (rc == 0) {
		/* Whatever it wrote must at least decode. */
		rc = tfl_entry_decode(&d, text, len, &err);
		tfl_entry_free(d);
		ck_abort_msg("encode gave 0 without a header; its text "
		    "decodes with %d (%s):\n%s", rc, err.msg, text);
	}
	ck_assert_int_eq(rc, TFL_EINVAL);
	ck_assert_ptr_null(text);
	tfl_entry_free(e);
}
END_TEST

START_TEST(test_donor_text_is_the_canonical_encoding)
{
	uint8_t prev[TFL_HASH_SIZE];
	tfl_err err = TFL_ERR_INIT;
	const struct sample *s = &samples[TFL_ENTRY_DONOR];
	tfl_entry *e = NULL, *d;
	char *text;
	size_t i, len;

	tu_unhex(prev, sizeof(prev), PREV_HEX);
	ck_assert_int_eq(tfl_entry_new(&e, TFL_ENTRY_DONOR, &err), 0);
	ck_assert_int_eq(tfl_entry_set_header(e, ORIGIN, 42, T_KNOWN, prev,
	    &err), 0);
	for (i = 0; s->kv[i] != NULL; i += 2)
		ck_assert_int_eq(tfl_entry_set(e, s->kv[i], s->kv[i + 1],
		    &err), 0);
	text = encode(&len, e);
	ck_assert_str_eq(text, donor_text);
	d = decode(donor_text, strlen(donor_text));
	ck_assert_uint_eq(tfl_entry_seq(d), 42);
	ck_assert_int_eq(tfl_entry_time(d), T_KNOWN);
	ck_assert_str_eq(tfl_entry_get(d, "country"), "NO");
	tfl_entry_free(d);
	tfl_entry_free(e);
	free(text);
}
END_TEST

START_TEST(test_header_extremes_round_trip)
{
	static const uint64_t seqs[] = { 0, 1, UINT64_MAX };
	static const int64_t times[] = { 0, T_KNOWN, T_MAX };
	uint8_t prev[TFL_HASH_SIZE];
	tfl_err err = TFL_ERR_INIT;
	char origin[256], *t1, *t2;
	tfl_entry *e = NULL, *d;
	size_t i, n1, n2;

	memset(prev, 0xff, sizeof(prev));
	memset(origin, 'o', 255);
	origin[255] = '\0';
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(tfl_entry_new(&e, TFL_ENTRY_APPROVAL, &err),
		    0);
		ck_assert_int_eq(tfl_entry_set_header(e, i == 2 ? origin : "o",
		    seqs[i], times[i], prev, &err), 0);
		ck_assert_int_eq(tfl_entry_set(e, "approves",
		    "18446744073709551615", &err), 0);
		t1 = encode(&n1, e);
		d = decode(t1, n1);
		ck_assert_uint_eq(tfl_entry_seq(d), seqs[i]);
		ck_assert_int_eq(tfl_entry_time(d), times[i]);
		ck_assert_mem_eq(tfl_entry_prev(d), prev, TFL_HASH_SIZE);
		ck_assert_str_eq(tfl_entry_origin(d), i == 2 ? origin : "o");
		t2 = encode(&n2, d);
		ck_assert_uint_eq(n1, n2);
		ck_assert_mem_eq(t1, t2, n1);
		tfl_entry_free(e);
		tfl_entry_free(d);
		free(t1);
		free(t2);
	}
}
END_TEST

START_TEST(test_header_refuses_bad_origins_and_times)
{
	static const char *const origins[] = { "", " unvtf", "unvtf ",
		"un\tvtf", "un\nvtf", "un\x7fvtf", "un\xc2\x85vtf",
		"un\xc0\xafvtf" };
	uint8_t prev[TFL_HASH_SIZE] = { 0 };
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;
	char origin[257];
	size_t i;

	ck_assert_int_eq(tfl_entry_new(&e, TFL_ENTRY_APPROVAL, &err), 0);
	for (i = 0; i < sizeof(origins) / sizeof(origins[0]); i++) {
		ck_assert_msg(tfl_entry_set_header(e, origins[i], 1, 0, prev,
		    &err) == TFL_EINVAL, "origin \"%s\" accepted", origins[i]);
		ck_assert_ptr_nonnull(strstr(err.msg, "origin"));
	}
	memset(origin, 'o', 256);
	origin[256] = '\0';
	ck_assert_int_eq(tfl_entry_set_header(e, origin, 1, 0, prev, &err),
	    TFL_EINVAL);
	ck_assert_int_eq(tfl_entry_set_header(e, "o", 1, -1, prev, &err),
	    TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "time -1"));
	ck_assert_int_eq(tfl_entry_set_header(e, "o", 1, T_MAX + 1, prev,
	    &err), TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "253402300800"));
	/* A refused header leaves the entry's header as it was. */
	ck_assert_str_eq(tfl_entry_origin(e), "");
	ck_assert_int_eq(tfl_entry_set_header(e, "o", 1, T_MAX, prev, &err),
	    0);
	ck_assert_int_eq(tfl_entry_time(e), T_MAX);
	tfl_entry_free(e);
}
END_TEST

/*
 * Decoding refusals.  Each variant replaces the first occurrence of old
 * in donor_text with new; decoding must give TFL_EINVAL, leave *out NULL
 * and say want.  The same must happen without an error record.
 */
static void
refused(const char *text, size_t len, const char *want)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;
	int rc;

	rc = tfl_entry_decode(&e, text, len, &err);
	ck_assert_msg(rc == TFL_EINVAL, "decode gave %d (%s) for:\n%.*s", rc,
	    err.msg, (int)len, text);
	ck_assert_ptr_null(e);
	ck_assert_int_eq(err.code, TFL_EINVAL);
	ck_assert_msg(strstr(err.msg, want) != NULL,
	    "message \"%s\" lacks \"%s\"", err.msg, want);
	ck_assert_int_eq(tfl_entry_decode(&e, text, len, NULL), TFL_EINVAL);
	ck_assert_ptr_null(e);
}

/* donor_text with old (which must be there) replaced by new; *len set. */
static char *
edit(size_t *len, const char *old, const char *new)
{
	const char *at = strstr(donor_text, old);
	size_t n = strlen(donor_text), no = strlen(old), nn = strlen(new);
	char *buf;

	ck_assert_msg(at != NULL, "\"%s\" is not in donor_text", old);
	buf = malloc(n - no + nn + 1);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, donor_text, (size_t)(at - donor_text));
	memcpy(buf + (at - donor_text), new, nn);
	memcpy(buf + (at - donor_text) + nn, at + no,
	    n - (size_t)(at - donor_text) - no + 1);
	*len = n - no + nn;
	return buf;
}

static void
variant(const char *old, const char *new, const char *want)
{
	size_t len;
	char *text = edit(&len, old, new);

	refused(text, len, want);
	free(text);
}

START_TEST(test_decode_refuses_a_wrong_header_line)
{
	variant("tfledger entry v2\n", "tfledger entry v3\n", "line 1");
	variant("tfledger entry v2\n", "Tfledger entry v1\n", "line 1");
	variant("tfledger entry v2\n", "tfledger entry v1\n",
	    "line 1: \"tfledger entry v1\" is an older format");
	variant("tfledger entry v2\n", "tfledger entry v2 \n", "line 1");
	variant("tfledger entry v2\n", " tfledger entry v2\n", "line 1");
	variant("tfledger entry v2\n", "tfledger entry v2: x\n", "line 1");
	variant("tfledger entry v2\n", "", "line 1");
	variant("tfledger entry v2\n", "\ntfledger entry v2\n", "line 1");
	variant("origin: ", "Origin: ", "line 2: expected \"origin: \"");
	variant("seq: 42\n", "sequence: 42\n", "line 3: expected \"seq: \"");
	variant("seq: 42\n", "seq:42\n", "line 3");
	variant("type: donor\n", "", "line 6");
}
END_TEST

START_TEST(test_decode_refuses_reordered_fields)
{
	variant("id: d-001\nname: Ministry of Foreign Affairs\n",
	    "name: Ministry of Foreign Affairs\nid: d-001\n",
	    "line 7: expected field \"id\"");
	variant("country: NO\nanonymous: no\n", "anonymous: no\ncountry: NO\n",
	    "line 11: unknown, repeated or misplaced field");
	variant("kind: government\ncountry: NO\n",
	    "country: NO\nkind: government\n", "line 9");
	/* The header lines have their order too. */
	variant("seq: 42\ntime: 2026-11-28T13:17:52Z\n",
	    "time: 2026-11-28T13:17:52Z\nseq: 42\n", "line 3");
	variant("origin: " ORIGIN "\nseq: 42\n", "seq: 42\norigin: " ORIGIN
	    "\n", "line 2");
	variant("type: donor\nid: d-001\n", "id: d-001\ntype: donor\n",
	    "line 6");
}
END_TEST

START_TEST(test_decode_refuses_unknown_fields)
{
	variant("anonymous: no\n", "anonymous: no\ncolour: red\n",
	    "line 12: unknown, repeated or misplaced field");
	variant("kind: government\n", "kind: government\ncolour: red\n",
	    "line 10");
	variant("id: d-001\n", "ID: d-001\n", "line 7: expected field \"id\"");
	/* A field of another type is unknown here. */
	variant("anonymous: no\n", "anonymous: no\npartner-ref: P-1\n",
	    "line 12");
	variant("anonymous: no\n", "anonymous: no\n\n", "line 12");
	variant("kind: government\n", "kind: government\n\n", "line 10");
}
END_TEST

START_TEST(test_decode_refuses_repeated_fields)
{
	variant("anonymous: no\n", "anonymous: no\nanonymous: no\n",
	    "line 12: unknown, repeated or misplaced field");
	variant("id: d-001\n", "id: d-001\nid: d-001\n", "line 8");
	variant("country: NO\n", "country: NO\ncountry: NO\n", "line 11");
	variant("seq: 42\n", "seq: 42\nseq: 42\n", "line 4");
	variant("type: donor\n", "type: donor\ntype: donor\n", "line 7");
}
END_TEST

START_TEST(test_decode_refuses_missing_required_fields)
{
	variant("kind: government\n", "", "line 9: expected field \"kind\"");
	variant("id: d-001\n", "", "line 7: expected field \"id\"");
	variant("anonymous: no\n", "", "line 11: expected field \"anonymous\"");
	variant("seq: 42\n", "", "line 3");
	variant("prev: " PREV_HEX "\n", "", "line 5");
	variant("kind: government\n", "kind:government\n",
	    "line 9: expected field \"kind\"");
	/* An optional field may be absent: the control case. */
	{
		size_t len;
		char *text = edit(&len, "country: NO\n", "");
		tfl_entry *e = decode(text, len);

		ck_assert_ptr_null(tfl_entry_get(e, "country"));
		tfl_entry_free(e);
		free(text);
	}
}
END_TEST

START_TEST(test_decode_refuses_an_extra_space_after_the_colon)
{
	variant("id: d-001", "id:  d-001", "line 7: id \" d-001\"");
	variant("name: M", "name:  M", "line 8: name");
	variant("kind: g", "kind:  g", "line 9: kind");
	variant("country: NO", "country:  NO", "line 10: country");
	variant("anonymous: no", "anonymous:  no", "line 11: anonymous");
	variant("origin: ", "origin:  ", "line 2: origin");
	variant("seq: 42", "seq:  42", "line 3");
	variant("time: 2", "time:  2", "line 4: time");
	variant("prev: 0", "prev:  0", "line 5");
	variant("type: donor", "type:  donor", "line 6");
	variant("id: d-001", "id : d-001", "line 7");
}
END_TEST

START_TEST(test_decode_refuses_trailing_spaces)
{
	variant("d-001\n", "d-001 \n", "line 7: id \"d-001 \"");
	variant("Affairs\n", "Affairs \n", "line 8: name");
	variant("government\n", "government \n", "line 9");
	variant("NO\n", "NO \n", "line 10");
	variant("anonymous: no\n", "anonymous: no \n", "line 11");
	variant(ORIGIN "\n", ORIGIN " \n", "line 2");
	variant("seq: 42\n", "seq: 42 \n", "line 3");
	variant("52Z\n", "52Z \n", "line 4");
	variant(PREV_HEX "\n", PREV_HEX " \n", "line 5");
	variant("type: donor\n", "type: donor \n", "line 6");
}
END_TEST

START_TEST(test_decode_refuses_leading_zeros_in_seq)
{
	variant("seq: 42\n", "seq: 042\n", "line 3: bad seq");
	variant("seq: 42\n", "seq: 00\n", "line 3: bad seq");
	variant("seq: 42\n", "seq: +42\n", "line 3: bad seq");
	variant("seq: 42\n", "seq: -42\n", "line 3: bad seq");
	variant("seq: 42\n", "seq: \n", "line 3");
	variant("seq: 42\n", "seq: 18446744073709551616\n", "line 3: bad seq");
}
END_TEST

START_TEST(test_decode_refuses_bad_prev_hashes)
{
	static const char upper[] =
	    "00112233445566778899AABBCCDDEEFF0123456789ABCDEFFEDCBA9876543210";
	char buf[200];

	snprintf(buf, sizeof(buf), "prev: %s\n", upper);
	variant("prev: " PREV_HEX "\n", buf, "line 5: prev must be 64");
	/* One uppercase digit is enough. */
	variant("prev: 00112233445566778899aa", "prev: 00112233445566778899aA",
	    "line 5");
	/* Short by one byte, and by one digit. */
	snprintf(buf, sizeof(buf), "prev: %.62s\n", PREV_HEX);
	variant("prev: " PREV_HEX "\n", buf, "line 5");
	snprintf(buf, sizeof(buf), "prev: %.63s\n", PREV_HEX);
	variant("prev: " PREV_HEX "\n", buf, "line 5");
	/* Long, and not hex. */
	variant("prev: " PREV_HEX "\n", "prev: " PREV_HEX "00\n", "line 5");
	variant("prev: 00", "prev: 0g", "line 5");
	variant("prev: 00", "prev: 0x", "line 5");
}
END_TEST

START_TEST(test_decode_refuses_bad_times)
{
	static const char *const cases[] = {
		"2026-11-28T13:17:52",		/* not Z */
		"2026-11-28T13:17:52z",
		"2026-11-28T13:17:52+00:00",
		"2026-11-28 13:17:52Z",
		"2026-11-28t13:17:52Z",
		"2026-13-28T13:17:52Z",		/* bad month */
		"2026-00-28T13:17:52Z",
		"2026-02-30T13:17:52Z",		/* Feb 30 */
		"2025-02-29T13:17:52Z",
		"2026-04-31T13:17:52Z",
		"2026-11-28T24:00:00Z",		/* 24:00:00 */
		"2026-11-28T23:60:00Z",
		"2026-11-28T23:59:60Z",		/* no leap seconds */
		"2026-11-28T3:17:52Z",
		"2026-11-28T13:17:52.0Z",
		"1969-12-31T23:59:59Z",
		"+026-11-28T13:17:52Z",
		"",
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf), "time: %s\n", cases[i]);
		variant("time: 2026-11-28T13:17:52Z\n", buf, "line 4");
	}
}
END_TEST

START_TEST(test_decode_refuses_unknown_types)
{
	variant("type: donor\n", "type: donors\n",
	    "line 6: unknown entry type \"donors\"");
	variant("type: donor\n", "type: Donor\n", "line 6: unknown entry type");
	variant("type: donor\n", "type: \n", "line 6");
	variant("type: donor\n", "type: key_enroll\n", "line 6");
	/* A known type whose fields are not these. */
	variant("type: donor\n", "type: grantee\n", "line 9");
}
END_TEST

START_TEST(test_decode_refuses_a_missing_final_newline)
{
	size_t len = strlen(donor_text);

	refused(donor_text, len - 1, "must end in a newline");
	refused(donor_text, 0, "must end in a newline");
	/* Cut inside a line, too. */
	refused(donor_text, len - 3, "must end in a newline");
}
END_TEST

START_TEST(test_decode_refuses_cr_before_newline)
{
	char *crlf, *p;
	const char *q;
	size_t len = 0;

	variant("anonymous: no\n", "anonymous: no\r\n", "line 11: anonymous");
	variant("Affairs\n", "Affairs\r\n", "line 8: name");
	variant("tfledger entry v2\n", "tfledger entry v2\r\n", "line 1");
	variant("seq: 42\n", "seq: 42\r\n", "line 3");
	/* CRLF throughout. */
	crlf = malloc(2 * sizeof(donor_text));
	ck_assert_ptr_nonnull(crlf);
	for (p = crlf, q = donor_text; *q != '\0'; q++) {
		if (*q == '\n')
			*p++ = '\r';
		*p++ = *q;
	}
	len = (size_t)(p - crlf);
	refused(crlf, len, "line 1");
	free(crlf);
}
END_TEST

START_TEST(test_decode_refuses_control_characters_in_values)
{
	static const char *const ctl[] = { "\t", "\x01", "\x1b", "\x1f",
		"\x7f", "\r", "\v", "\f", "\b" };
	char buf[64];
	size_t i, len;
	char *text;

	for (i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++) {
		snprintf(buf, sizeof(buf), "name: Ministry%sof", ctl[i]);
		variant("name: Ministry of", buf, "line 8: name");
		snprintf(buf, sizeof(buf), "origin: unvtf%s", ctl[i]);
		variant("origin: unvtf", buf, "line 2");
		snprintf(buf, sizeof(buf), "id: d%s-001", ctl[i]);
		variant("id: d-001", buf, "line 7: id");
	}
	/* NUL: the same text with one byte of the name zeroed. */
	text = edit(&len, "Ministry", "Ministry");
	*strstr(text, "Ministry") = '\0';
	refused(text, len, "NUL");
	free(text);
	text = edit(&len, "d-001", "d-001");
	*strstr(text, "d-001\n") = '\0';
	refused(text, len, "NUL");
	free(text);
}
END_TEST

START_TEST(test_decode_refuses_c1_controls_in_values)
{
	/* U+0085 NEL, U+0080 and U+009F: the C1 range's edges. */
	variant("name: Ministry of", "name: Ministry\xc2\x85of",
	    "line 8: name");
	variant("name: Ministry of", "name: Ministry\xc2\x80of",
	    "line 8: name");
	variant("name: Ministry of", "name: Ministry\xc2\x9fof",
	    "line 8: name");
	variant("origin: unvtf", "origin: unvtf\xc2\x85", "line 2");
	/* U+00A0 and U+00A9 are not controls: the control case. */
	{
		size_t len;
		char *text = edit(&len, "Ministry of", "Ministry\xc2\xa0of\xc2"
		    "\xa9");
		tfl_entry *e = decode(text, len);

		ck_assert_str_eq(tfl_entry_get(e, "name"),
		    "Ministry\xc2\xa0of\xc2\xa9 Foreign Affairs");
		tfl_entry_free(e);
		free(text);
	}
}
END_TEST

START_TEST(test_decode_refuses_invalid_utf8)
{
	static const char *const cases[] = {
		"\xc0\xaf",		/* overlong '/' */
		"\xc1\xbf",		/* overlong */
		"\xe0\x80\xaf",		/* overlong, three bytes */
		"\xf0\x80\x80\xaf",	/* overlong, four bytes */
		"\xed\xa0\x80",		/* surrogate U+D800 */
		"\xed\xbf\xbf",		/* surrogate U+DFFF */
		"\xe2\x82",		/* truncated euro sign */
		"\xf0\x9f\x98",		/* truncated emoji */
		"\xc3",			/* truncated e-grave */
		"\x80",			/* lone continuation */
		"\xbf",
		"\xf4\x90\x80\x80",	/* beyond U+10FFFF */
		"\xf8\x88\x80\x80\x80",	/* five bytes */
		"\xfe",
		"\xff",
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf), "name: Ministry%s", cases[i]);
		variant("name: Ministry", buf, "UTF-8");
		/* At the very end of a value, just before its newline. */
		snprintf(buf, sizeof(buf), "Affairs%s\n", cases[i]);
		variant("Affairs\n", buf, "UTF-8");
	}
}
END_TEST

/* donor_text with the name replaced by n bytes of 'a'. */
static char *
long_name(size_t *len, size_t n)
{
	char *line = malloc(n + 8);
	char *text;

	ck_assert_ptr_nonnull(line);
	memcpy(line, "name: ", 6);
	memset(line + 6, 'a', n);
	memcpy(line + 6 + n, "\n", 2);
	text = edit(len, "name: Ministry of Foreign Affairs\n", line);
	free(line);
	return text;
}

START_TEST(test_decode_refuses_overlong_values_and_lines)
{
	tfl_entry *e;
	size_t len;
	char *text;

	/* 256 bytes is the most a name may have: the control case. */
	text = long_name(&len, TFL_ENTRY_TEXT_MAX);
	e = decode(text, len);
	ck_assert_uint_eq(strlen(tfl_entry_get(e, "name")),
	    TFL_ENTRY_TEXT_MAX);
	tfl_entry_free(e);
	free(text);
	text = long_name(&len, TFL_ENTRY_TEXT_MAX + 1);
	refused(text, len, "line 8: name");
	free(text);
	/* Beyond TFL_ENTRY_VALUE_MAX, and a line beyond any value. */
	text = long_name(&len, TFL_ENTRY_VALUE_MAX + 1);
	refused(text, len, "line 8");
	free(text);
	text = long_name(&len, 4 * TFL_ENTRY_VALUE_MAX);
	refused(text, len, "line 8: too long");
	free(text);
}
END_TEST

START_TEST(test_decode_refuses_empty_values)
{
	variant("name: Ministry of Foreign Affairs\n", "name: \n",
	    "line 8: name \"\"");
	variant("id: d-001\n", "id: \n", "line 7: id \"\"");
	variant("country: NO\n", "country: \n", "line 10: country \"\"");
	variant("anonymous: no\n", "anonymous: \n", "line 11");
	variant("origin: " ORIGIN "\n", "origin: \n", "line 2");
	variant("name: Ministry of Foreign Affairs\n", "name:\n", "line 8");
}
END_TEST

START_TEST(test_decode_refuses_too_many_lines)
{
	size_t i, len = strlen(donor_text);
	char *text = malloc(len + 40 * 5 + 1), *p;

	ck_assert_ptr_nonnull(text);
	memcpy(text, donor_text, len);
	for (p = text + len, i = 0; i < 40; i++, p += 5)
		memcpy(p, "x: y\n", 5);
	refused(text, (size_t)(p - text), "line 23");
	free(text);
}
END_TEST

/*
 * Value kinds through tfl_entry_set.  good: the value is stored.  bad:
 * TFL_EINVAL naming the field and the value, and an earlier value kept.
 */
static void
good(int type, const char *field, const char *value)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;

	ck_assert_int_eq(tfl_entry_new(&e, type, &err), 0);
	ck_assert_msg(tfl_entry_set(e, field, value, &err) == 0,
	    "%s \"%s\" refused: %s", field, value, err.msg);
	ck_assert_str_eq(tfl_entry_get(e, field), value);
	tfl_entry_free(e);
}

/* Setting field to value is refused, with a message holding want. */
static void
set_refused(int type, const char *field, const char *value, const char *want)
{
	tfl_err err = TFL_ERR_INIT;
	const char *ok = sample_value(&samples[type], field);
	tfl_entry *e = NULL;

	ck_assert_ptr_nonnull(ok);
	ck_assert_int_eq(tfl_entry_new(&e, type, &err), 0);
	ck_assert_int_eq(tfl_entry_set(e, field, ok, &err), 0);
	ck_assert_msg(tfl_entry_set(e, field, value, &err) == TFL_EINVAL,
	    "%s \"%s\" accepted", field, value);
	ck_assert_int_eq(err.code, TFL_EINVAL);
	ck_assert_msg(strstr(err.msg, want) != NULL,
	    "message \"%s\" lacks %s", err.msg, want);
	ck_assert_str_eq(tfl_entry_get(e, field), ok);
	tfl_entry_free(e);
}

static void
bad(int type, const char *field, const char *value)
{
	char want[128];
	unsigned char u;
	size_t i, j;
	int c1;

	if (strlen(value) < 60)
		snprintf(want, sizeof(want), "%s \"%s\"", field, value);
	else
		snprintf(want, sizeof(want), "%s \"%.40s", field, value);
	/*
	 * Messages stay one line: control characters are shown as '?', a
	 * C1 control (C2 80..9F) as one '?'.
	 */
	for (i = 0, j = 0; want[i] != '\0'; i++, j++) {
		u = (unsigned char)want[i];
		c1 = u == 0xc2 && (unsigned char)want[i + 1] >= 0x80 &&
		    (unsigned char)want[i + 1] <= 0x9f;
		if (c1)
			i++;
		want[j] = (c1 || u < 0x20 || u == 0x7f) ? '?' : want[i];
	}
	want[j] = '\0';
	set_refused(type, field, value, want);
}

/* As bad, for a value that is not UTF-8: each stray byte shown as '?'. */
static void
bad_utf8(int type, const char *field, const char *value, const char *shown)
{
	char want[128];

	snprintf(want, sizeof(want), "%s \"%s\"", field, shown);
	set_refused(type, field, value, want);
}

START_TEST(test_identifiers_are_checked)
{
	char id[TFL_ENTRY_ID_MAX + 2];

	memset(id, 'x', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	bad(TFL_ENTRY_DONOR, "id", id);
	id[TFL_ENTRY_ID_MAX] = '\0';
	good(TFL_ENTRY_DONOR, "id", id);
	ck_assert(tfl_id_valid(id));
	good(TFL_ENTRY_DONOR, "id", "a.b_c-d/e");
	good(TFL_ENTRY_DONOR, "id", "Z9");
	good(TFL_ENTRY_PLEDGE, "earmark", "/");
	bad(TFL_ENTRY_DONOR, "id", "d 001");
	bad(TFL_ENTRY_DONOR, "id", "d+001");
	bad(TFL_ENTRY_DONOR, "id", "");
	bad(TFL_ENTRY_DONOR, "id", "d:001");
	bad(TFL_ENTRY_DONOR, "id", "d,001");
	bad(TFL_ENTRY_DONOR, "id", "d\xc3\xa9");
	bad(TFL_ENTRY_GRANT, "decision", "a b");
	bad(TFL_ENTRY_RECEIPT, "pledge", "p+1");
	ck_assert(!tfl_id_valid("d+001"));
	ck_assert(!tfl_id_valid(""));
}
END_TEST

START_TEST(test_text_values_are_checked)
{
	char text[TFL_ENTRY_TEXT_MAX + 2];

	memset(text, 't', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	bad(TFL_ENTRY_DONOR, "name", text);
	text[TFL_ENTRY_TEXT_MAX] = '\0';
	good(TFL_ENTRY_DONOR, "name", text);
	good(TFL_ENTRY_DONOR, "name", "x");
	good(TFL_ENTRY_DONOR, "name", "Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98"
	    "\x80: a, b");
	bad(TFL_ENTRY_DONOR, "name", "");
	bad(TFL_ENTRY_DONOR, "name", " leading");
	bad(TFL_ENTRY_DONOR, "name", "trailing ");
	bad(TFL_ENTRY_DONOR, "name", "tab\there");
	bad(TFL_ENTRY_DONOR, "name", "del\x7fhere");
	bad(TFL_ENTRY_DONOR, "name", "nel\xc2\x85here");
	bad_utf8(TFL_ENTRY_DONOR, "name", "bad\xc3", "bad?");
	bad(TFL_ENTRY_KEY_REVOKE, "reason", "esc\x1b[31m");
	bad_utf8(TFL_ENTRY_REVERSAL, "reason", "surrogate\xed\xa0\x80",
	    "surrogate???");
}
END_TEST

START_TEST(test_amounts_are_checked)
{
	static const char *const goods[] = { "1", "0.5", "0.01", "1.2345",
		"10", "1000000.25", "9999999999999999999" };
	static const char *const bads[] = { "01", "00.5", "0", "0.00",
		"0.0000", "-1", "-0.5", "1e5", "1E5", "1,000", "1,5", ".5",
		"5.", "1.23456", "+1", " 1", "1 ", "", "-", ".", "1.2.3",
		"0x10", "12345678901234567890", "1_000", "\xef\xbc\x91" };
	size_t i;

	for (i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		good(TFL_ENTRY_PLEDGE, "amount", goods[i]);
		good(TFL_ENTRY_PLEDGE, "base-amount", goods[i]);
		good(TFL_ENTRY_POLICY, "approval-threshold", goods[i]);
	}
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		bad(TFL_ENTRY_PLEDGE, "amount", bads[i]);
		bad(TFL_ENTRY_RECEIPT, "base-amount", bads[i]);
		bad(TFL_ENTRY_DISBURSEMENT, "amount", bads[i]);
	}
}
END_TEST

START_TEST(test_signed_amounts_are_checked)
{
	/* FORMAT.md: as amount, an optional '-', zero but never -0. */
	static const char *const goods[] = { "1", "-1", "-0.01", "-1500",
		"195.5", "-9999999999999999999", "0", "0.00", "0.0000" };
	static const char *const bads[] = { "-0", "-0.00", "-0.0000", "00",
		"-01", "--1", "+1", "+0", "- 1", "-", "-.5", "-5.", "-1.23456",
		"0.00000", "-1e5", "-1,000", "" };
	size_t i;

	for (i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		good(TFL_ENTRY_PSC, "basis", goods[i]);
		good(TFL_ENTRY_PSC, "amount", goods[i]);
	}
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		bad(TFL_ENTRY_PSC, "basis", bads[i]);
		bad(TFL_ENTRY_PSC, "amount", bads[i]);
	}
}
END_TEST

START_TEST(test_currencies_are_checked)
{
	good(TFL_ENTRY_PLEDGE, "currency", "JPY");
	good(TFL_ENTRY_PLEDGE, "currency", "USD");
	good(TFL_ENTRY_GENESIS, "currency", "CHF");
	good(TFL_ENTRY_RECEIPT, "currency", "KWD");
	bad(TFL_ENTRY_PLEDGE, "currency", "XAU");
	bad(TFL_ENTRY_PLEDGE, "currency", "XDR");
	bad(TFL_ENTRY_PLEDGE, "currency", "XXX");
	bad(TFL_ENTRY_PLEDGE, "currency", "XYZ");
	bad(TFL_ENTRY_PLEDGE, "currency", "usd");
	bad(TFL_ENTRY_PLEDGE, "currency", "US");
	bad(TFL_ENTRY_PLEDGE, "currency", "USDD");
	bad(TFL_ENTRY_GENESIS, "currency", "");
	bad(TFL_ENTRY_GENESIS, "currency", "XAU");
}
END_TEST

START_TEST(test_rates_are_checked)
{
	static const char *const goods[] = { "0.926", "156.25", "13", "1",
		"0.000000000001", "10.5" };
	static const char *const bads[] = { "0.9260", "00.926", ".926",
		"0", "0.0", "1.", "1.0", "13.00", "-1", "1e3", "+1",
		"0.0000000000001", "0,926", " 1", "" };
	size_t i;

	for (i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		good(TFL_ENTRY_PLEDGE, "rate", goods[i]);
		good(TFL_ENTRY_POLICY, "psc-rate", goods[i]);
	}
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		bad(TFL_ENTRY_PLEDGE, "rate", bads[i]);
		bad(TFL_ENTRY_PSC, "rate", bads[i]);
	}
}
END_TEST

START_TEST(test_dates_are_checked)
{
	static const char *const goods[] = { "1970-01-01", "2024-02-29",
		"2000-02-29", "2026-12-31", "9999-12-31" };
	static const char *const bads[] = { "1969-12-31", "2023-02-29",
		"1900-02-29", "2100-02-29", "2024-02-30", "2024-04-31",
		"2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32",
		"2024-1-01", "2024-01-1", "2024/01/01", "20240101",
		"2024-01-01T00:00:00Z", " 2024-01-01", "2024-01-01 ",
		"24-01-01", "0000-01-01", "", "2024-0a-01" };
	size_t i;

	for (i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		good(TFL_ENTRY_PLEDGE, "date", goods[i]);
		good(TFL_ENTRY_PLEDGE, "due", goods[i]);
	}
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		bad(TFL_ENTRY_PLEDGE, "date", bads[i]);
		bad(TFL_ENTRY_GRANT, "end", bads[i]);
	}
}
END_TEST

START_TEST(test_purposes_are_checked)
{
	good(TFL_ENTRY_GRANT, "purposes", "shelter");
	good(TFL_ENTRY_GRANT, "purposes", "reintegration");
	good(TFL_ENTRY_GRANT, "purposes", "shelter,medical");
	good(TFL_ENTRY_GRANT, "purposes", "medical,legal,repatriation");
	good(TFL_ENTRY_GRANT, "purposes", "shelter,medical,psychosocial,"
	    "legal,material,education,reunification,repatriation,"
	    "reintegration");
	bad(TFL_ENTRY_GRANT, "purposes", "medical,shelter");
	bad(TFL_ENTRY_GRANT, "purposes", "reintegration,repatriation");
	bad(TFL_ENTRY_GRANT, "purposes", "shelter,shelter");
	bad(TFL_ENTRY_GRANT, "purposes", "shelter,medical,medical");
	bad(TFL_ENTRY_GRANT, "purposes", "shelter,,medical");
	bad(TFL_ENTRY_GRANT, "purposes", "shelter,");
	bad(TFL_ENTRY_GRANT, "purposes", ",shelter");
	bad(TFL_ENTRY_GRANT, "purposes", "");
	bad(TFL_ENTRY_GRANT, "purposes", "Shelter");
	bad(TFL_ENTRY_GRANT, "purposes", "shelter, medical");
	bad(TFL_ENTRY_GRANT, "purposes", "housing");
	bad(TFL_ENTRY_GRANT, "purposes", "shelter:1");
	bad(TFL_ENTRY_GRANT, "purposes", "shelte");
	bad(TFL_ENTRY_GRANT, "purposes", "shelters");
}
END_TEST

START_TEST(test_services_counts_are_checked)
{
	good(TFL_ENTRY_EXPENDITURE, "services", "shelter:12");
	good(TFL_ENTRY_EXPENDITURE, "services", "shelter:12,medical:3");
	good(TFL_ENTRY_EXPENDITURE, "services", "legal:1,reintegration:"
	    "18446744073709551615");
	bad(TFL_ENTRY_EXPENDITURE, "services", "shelter");
	bad(TFL_ENTRY_EXPENDITURE, "services", "shelter:");
	bad(TFL_ENTRY_EXPENDITURE, "services", "shelter:01");
	bad(TFL_ENTRY_EXPENDITURE, "services", "shelter:-1");
	bad(TFL_ENTRY_EXPENDITURE, "services", "shelter:+1");
	bad(TFL_ENTRY_EXPENDITURE, "services", "shelter:1.5");
	bad(TFL_ENTRY_EXPENDITURE, "services", "shelter: 1");
	bad(TFL_ENTRY_EXPENDITURE, "services", "shelter:1x");
	bad(TFL_ENTRY_EXPENDITURE, "services", "shelter:1:2");
	bad(TFL_ENTRY_EXPENDITURE, "services",
	    "shelter:18446744073709551616");
	bad(TFL_ENTRY_EXPENDITURE, "services", "medical:1,shelter:2");
	bad(TFL_ENTRY_EXPENDITURE, "services", "shelter:1,shelter:2");
	bad(TFL_ENTRY_EXPENDITURE, "services", "shelter:1,medical");
	bad(TFL_ENTRY_EXPENDITURE, "services", "shelter:1,");
	bad(TFL_ENTRY_EXPENDITURE, "services", "housing:1");
	bad(TFL_ENTRY_EXPENDITURE, "services", ":1");
	bad(TFL_ENTRY_EXPENDITURE, "services", "");
}
END_TEST

START_TEST(test_whole_numbers_are_checked)
{
	good(TFL_ENTRY_EXPENDITURE, "women", "0");
	good(TFL_ENTRY_EXPENDITURE, "boys", "12");
	good(TFL_ENTRY_APPROVAL, "approves", "18446744073709551615");
	good(TFL_ENTRY_REVERSAL, "reverses", "1");
	bad(TFL_ENTRY_EXPENDITURE, "women", "012");
	bad(TFL_ENTRY_EXPENDITURE, "women", "00");
	bad(TFL_ENTRY_EXPENDITURE, "girls", "-1");
	bad(TFL_ENTRY_EXPENDITURE, "men", "1.0");
	bad(TFL_ENTRY_EXPENDITURE, "sexual", "");
	bad(TFL_ENTRY_EXPENDITURE, "labour", "1e2");
	bad(TFL_ENTRY_EXPENDITURE, "other-form", " 1");
	bad(TFL_ENTRY_APPROVAL, "approves", "18446744073709551616");
	bad(TFL_ENTRY_APPROVAL, "approves", "+41");
	bad(TFL_ENTRY_REVERSAL, "reverses", "4 0");
}
END_TEST

START_TEST(test_roles_and_donor_kinds_are_checked)
{
	static const char *const roles[] = { "admin", "approver", "recorder" };
	static const char *const kinds[] = { "government",
		"intergovernmental", "private", "foundation", "individual",
		"other" };
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		good(TFL_ENTRY_KEY_ENROLL, "role", roles[i]);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		good(TFL_ENTRY_DONOR, "kind", kinds[i]);
	bad(TFL_ENTRY_KEY_ENROLL, "role", "Admin");
	bad(TFL_ENTRY_KEY_ENROLL, "role", "auditor");
	bad(TFL_ENTRY_KEY_ENROLL, "role", "admin,recorder");
	bad(TFL_ENTRY_KEY_ENROLL, "role", "admi");
	bad(TFL_ENTRY_KEY_ENROLL, "role", "");
	bad(TFL_ENTRY_DONOR, "kind", "Government");
	bad(TFL_ENTRY_DONOR, "kind", "ngo");
	bad(TFL_ENTRY_DONOR, "kind", "others");
	bad(TFL_ENTRY_DONOR, "kind", "");
}
END_TEST

START_TEST(test_yes_no_and_country_codes_are_checked)
{
	good(TFL_ENTRY_DONOR, "anonymous", "yes");
	good(TFL_ENTRY_DONOR, "anonymous", "no");
	bad(TFL_ENTRY_DONOR, "anonymous", "Yes");
	bad(TFL_ENTRY_DONOR, "anonymous", "NO");
	bad(TFL_ENTRY_DONOR, "anonymous", "true");
	bad(TFL_ENTRY_DONOR, "anonymous", "1");
	bad(TFL_ENTRY_DONOR, "anonymous", "y");
	bad(TFL_ENTRY_DONOR, "anonymous", "");
	good(TFL_ENTRY_DONOR, "country", "NO");
	good(TFL_ENTRY_GRANTEE, "country", "US");
	good(TFL_ENTRY_GRANT, "country", "FR");
	bad(TFL_ENTRY_DONOR, "country", "no");
	bad(TFL_ENTRY_DONOR, "country", "No");
	bad(TFL_ENTRY_GRANTEE, "country", "USA");
	bad(TFL_ENTRY_GRANTEE, "country", "U");
	bad(TFL_ENTRY_GRANTEE, "country", "U1");
	bad(TFL_ENTRY_GRANT, "country", "");
	bad(TFL_ENTRY_GRANT, "country", "\xc3\x84X");
}
END_TEST

START_TEST(test_key_names_and_verifier_keys_are_checked)
{
	char name[TFL_KEY_NAME_MAX + 2];

	memset(name, 'k', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	bad(TFL_ENTRY_KEY_REVOKE, "name", name);
	name[TFL_KEY_NAME_MAX] = '\0';
	good(TFL_ENTRY_KEY_REVOKE, "name", name);
	good(TFL_ENTRY_KEY_REVOKE, "name", "treasurer.unvtf");
	good(TFL_ENTRY_KEY_REVOKE, "name", "Caf\xc3\xa9");
	bad(TFL_ENTRY_KEY_REVOKE, "name", "a b");
	bad(TFL_ENTRY_KEY_REVOKE, "name", "a+b");
	bad(TFL_ENTRY_KEY_REVOKE, "name", "");
	bad(TFL_ENTRY_KEY_REVOKE, "name", "a\xc2\xa0" "b");
	good(TFL_ENTRY_GENESIS, "admin-key", PETER);
	good(TFL_ENTRY_KEY_ENROLL, "key", ENOCH);
	/* Wrong hash, wrong key type, padding past the key, no key. */
	bad(TFL_ENTRY_KEY_ENROLL, "key", "PeterNeumann+c74f20a4+ARpc2QcUPDhM"
	    "QegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
	bad(TFL_ENTRY_KEY_ENROLL, "key", "PeterNeumann+173116ae+ZRpc2QcUPDhM"
	    "QegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
	bad(TFL_ENTRY_KEY_ENROLL, "key", "PeterNeumann+C74F20A3+ARpc2QcUPDhM"
	    "QegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
	bad(TFL_ENTRY_KEY_ENROLL, "key", PETER " ");
	bad(TFL_ENTRY_KEY_ENROLL, "key", "PeterNeumann");
	bad(TFL_ENTRY_GENESIS, "log-key", "");
}
END_TEST

START_TEST(test_set_refuses_fields_the_type_lacks)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;

	ck_assert_int_eq(tfl_entry_new(&e, TFL_ENTRY_DONOR, &err), 0);
	ck_assert_int_eq(tfl_entry_set(e, "colour", "red", &err), TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "donor: no field \"colour\""));
	ck_assert_int_eq(tfl_entry_set(e, "partner-ref", "P-1", &err),
	    TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "\"partner-ref\""));
	ck_assert_int_eq(tfl_entry_set(e, "type", "donor", &err), TFL_EINVAL);
	ck_assert_int_eq(tfl_entry_set(e, "seq", "1", &err), TFL_EINVAL);
	ck_assert_ptr_null(tfl_entry_get(e, "colour"));
	ck_assert_ptr_null(tfl_entry_get(e, "partner-ref"));
	ck_assert_ptr_null(tfl_entry_get(e, "id"));
	tfl_entry_free(e);
}
END_TEST

START_TEST(test_set_replaces_an_earlier_value)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;

	ck_assert_int_eq(tfl_entry_new(&e, TFL_ENTRY_DONOR, &err), 0);
	ck_assert_int_eq(tfl_entry_set(e, "id", "d-1", &err), 0);
	ck_assert_int_eq(tfl_entry_set(e, "id", "d-2", &err), 0);
	ck_assert_str_eq(tfl_entry_get(e, "id"), "d-2");
	tfl_entry_free(e);
}
END_TEST

START_TEST(test_long_values_are_shortened_in_the_message)
{
	tfl_err err = TFL_ERR_INIT;
	char value[TFL_ENTRY_VALUE_MAX * 2];
	tfl_entry *e = NULL;

	memset(value, 'v', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	ck_assert_int_eq(tfl_entry_new(&e, TFL_ENTRY_DONOR, &err), 0);
	ck_assert_int_eq(tfl_entry_set(e, "name", value, &err), TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "name \"vvvvvvvvvv"));
	ck_assert_ptr_nonnull(strstr(err.msg, "...\""));
	ck_assert_uint_lt(strlen(err.msg), 300);
	tfl_entry_free(e);
}
END_TEST

/*
 * BUG (entry.c, tfl_entry_set): a refused value is copied raw into the
 * message, so "a\nb" for a name gives the two-line message
 * `name "a` / `b": must be ...`; err.h promises a one-line message.
 * Expected: the value shown escaped or cut at the control character.
 */
START_TEST(test_refusal_messages_are_one_line)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;

	ck_assert_int_eq(tfl_entry_new(&e, TFL_ENTRY_DONOR, &err), 0);
	ck_assert_int_eq(tfl_entry_set(e, "name", "a\nb", &err), TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "name"));
	ck_assert_msg(strchr(err.msg, '\n') == NULL,
	    "message spans lines: \"%s\"", err.msg);
	tfl_entry_free(e);
}
END_TEST

START_TEST(test_every_type_name_finds_its_type)
{
	int t;

	for (t = 0; t < TFL_ENTRY_NTYPES; t++) {
		ck_assert_str_eq(tfl_entry_type_name(t), type_names[t]);
		ck_assert_int_eq(tfl_entry_type_find(type_names[t]), t);
	}
	ck_assert_ptr_null(tfl_entry_type_name(-1));
	ck_assert_ptr_null(tfl_entry_type_name(TFL_ENTRY_NTYPES));
	ck_assert_int_eq(tfl_entry_type_find("donors"), -1);
	ck_assert_int_eq(tfl_entry_type_find("Donor"), -1);
	ck_assert_int_eq(tfl_entry_type_find(""), -1);
	ck_assert_int_eq(tfl_entry_type_find("key_enroll"), -1);
}
END_TEST

START_TEST(test_field_iteration_ends_with_null)
{
	const char *f, *g;
	size_t i, j;
	int t, opt;

	for (t = 0; t < TFL_ENTRY_NTYPES; t++) {
		for (i = 0; (f = tfl_entry_field(t, i, &opt)) != NULL; i++) {
			ck_assert_uint_gt(strlen(f), 0);
			ck_assert(opt == 0 || opt == 1);
			ck_assert_str_eq(tfl_entry_field(t, i, NULL), f);
			for (j = 0; j < i; j++) {
				g = tfl_entry_field(t, j, NULL);
				ck_assert_str_ne(g, f);
			}
			ck_assert_uint_lt(i, 16);
		}
		/* As many as the sample, which has every field. */
		for (j = 0; samples[t].kv[2 * j] != NULL; j++)
			;
		ck_assert_uint_eq(i, j);
		ck_assert_ptr_null(tfl_entry_field(t, i + 1, &opt));
		ck_assert_ptr_null(tfl_entry_field(t, 1000, &opt));
	}
	ck_assert_ptr_null(tfl_entry_field(-1, 0, NULL));
	ck_assert_ptr_null(tfl_entry_field(TFL_ENTRY_NTYPES, 0, NULL));
	opt = 0;
	ck_assert_str_eq(tfl_entry_field(TFL_ENTRY_DONOR, 3, &opt), "country");
	ck_assert_int_eq(opt, 1);
	ck_assert_str_eq(tfl_entry_field(TFL_ENTRY_DONOR, 4, &opt),
	    "anonymous");
	ck_assert_int_eq(opt, 0);
	ck_assert_ptr_null(tfl_entry_field(TFL_ENTRY_DONOR, 5, &opt));
}
END_TEST

START_TEST(test_new_refuses_unknown_types)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;

	ck_assert_int_eq(tfl_entry_new(&e, -1, &err), TFL_EINVAL);
	ck_assert_ptr_null(e);
	ck_assert_int_eq(tfl_entry_new(&e, TFL_ENTRY_NTYPES, &err),
	    TFL_EINVAL);
	ck_assert_ptr_null(e);
	ck_assert_ptr_nonnull(strstr(err.msg, "20"));
	tfl_entry_free(NULL);
}
END_TEST

START_TEST(test_known_dates_and_times)
{
	tfl_err err = TFL_ERR_INIT;
	int64_t v = -1;
	char buf[32];

	ck_assert_int_eq(tfl_date_parse(&v, "1970-01-01", &err), 0);
	ck_assert_int_eq(v, 0);
	/* date -u -d 2000-03-01 +%s is 951868800, 11017 days. */
	ck_assert_int_eq(tfl_date_parse(&v, "2000-03-01", &err), 0);
	ck_assert_int_eq(v, 11017);
	ck_assert_int_eq(tfl_date_parse(&v, "2000-02-29", &err), 0);
	ck_assert_int_eq(v, 11016);
	/* 1709164800 s. */
	ck_assert_int_eq(tfl_date_parse(&v, "2024-02-29", &err), 0);
	ck_assert_int_eq(v, 19782);
	/* 253402300799 s is in day 2932896. */
	ck_assert_int_eq(tfl_date_parse(&v, "9999-12-31", &err), 0);
	ck_assert_int_eq(v, 2932896);
	tfl_date_format(buf, 11017);
	ck_assert_str_eq(buf, "2000-03-01");
	tfl_date_format(buf, 2932896);
	ck_assert_str_eq(buf, "9999-12-31");
	ck_assert_int_eq(tfl_time_parse(&v, "2026-11-28T13:17:52Z", &err), 0);
	ck_assert_int_eq(v, T_KNOWN);
	tfl_time_format(buf, T_KNOWN);
	ck_assert_str_eq(buf, "2026-11-28T13:17:52Z");
	ck_assert_int_eq(tfl_time_parse(&v, "1970-01-01T00:00:00Z", &err), 0);
	ck_assert_int_eq(v, 0);
	tfl_time_format(buf, 0);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	ck_assert_int_eq(tfl_time_parse(&v, "9999-12-31T23:59:59Z", &err), 0);
	ck_assert_int_eq(v, T_MAX);
	tfl_time_format(buf, T_MAX);
	ck_assert_str_eq(buf, "9999-12-31T23:59:59Z");
	/* 951868799 s: the last second before 2000-03-01. */
	ck_assert_int_eq(tfl_time_parse(&v, "2000-02-29T23:59:59Z", &err), 0);
	ck_assert_int_eq(v, INT64_C(951868799));
}
END_TEST

START_TEST(test_every_day_from_1970_to_2100_round_trips)
{
	tfl_err err = TFL_ERR_INIT;
	char buf[11], want[32];
	int64_t day, got;
	struct tm tm;
	time_t t;

	for (day = 0; day <= DAY_2100_12_31; day++) {
		t = (time_t)(day * 86400);
		ck_assert_ptr_nonnull(gmtime_r(&t, &tm));
		strftime(want, sizeof(want), "%Y-%m-%d", &tm);
		tfl_date_format(buf, day);
		ck_assert_str_eq(buf, want);
		got = -1;
		ck_assert_int_eq(tfl_date_parse(&got, buf, &err), 0);
		ck_assert_int_eq(got, day);
	}
	/* And on to 9999, a day in every 97. */
	for (day = DAY_2100_12_31; day <= 2932896; day += 97) {
		t = (time_t)(day * 86400);
		ck_assert_ptr_nonnull(gmtime_r(&t, &tm));
		strftime(want, sizeof(want), "%Y-%m-%d", &tm);
		tfl_date_format(buf, day);
		ck_assert_str_eq(buf, want);
		ck_assert_int_eq(tfl_date_parse(&got, buf, &err), 0);
		ck_assert_int_eq(got, day);
	}
}
END_TEST

START_TEST(test_times_round_trip_weekly_from_1970_to_2100)
{
	tfl_err err = TFL_ERR_INIT;
	char buf[21], want[32];
	int64_t s, got;
	struct tm tm;
	time_t t;
	int n = 0;

	/* A week and a prime number of seconds, so the time of day moves. */
	for (s = 0; s < (int64_t)(DAY_2100_12_31 + 1) * 86400;
	    s += 7 * 86400 + 3607) {
		t = (time_t)s;
		ck_assert_ptr_nonnull(gmtime_r(&t, &tm));
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		tfl_time_format(buf, s);
		ck_assert_str_eq(buf, want);
		got = -1;
		ck_assert_int_eq(tfl_time_parse(&got, buf, &err), 0);
		ck_assert_int_eq(got, s);
		n++;
	}
	ck_assert_int_gt(n, 6000);
}
END_TEST

START_TEST(test_bad_dates_and_times_are_refused_by_name)
{
	static const char *const dates[] = { "1969-12-31", "2023-02-29",
		"2024-02-30", "2024-13-01", "2024-1-1", "2024-01-01x", "" };
	static const char *const times[] = { "2026-11-28T13:17:52",
		"2026-11-28T24:00:00Z", "2026-02-30T00:00:00Z",
		"2026-11-28T13:17:52+01:00", "2026-11-28" };
	tfl_err err = TFL_ERR_INIT;
	char want[64];
	int64_t v;
	size_t i;

	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		v = 7;
		ck_assert_int_eq(tfl_date_parse(&v, dates[i], &err),
		    TFL_EINVAL);
		snprintf(want, sizeof(want), "date \"%s\"", dates[i]);
		ck_assert_msg(strstr(err.msg, want) != NULL, "%s", err.msg);
		ck_assert_int_eq(tfl_date_parse(&v, dates[i], NULL),
		    TFL_EINVAL);
	}
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		ck_assert_int_eq(tfl_time_parse(&v, times[i], &err),
		    TFL_EINVAL);
		snprintf(want, sizeof(want), "time \"%s\"", times[i]);
		ck_assert_msg(strstr(err.msg, want) != NULL, "%s", err.msg);
	}
}
END_TEST

/* Fuzzing found a time's control character quoted into the message. */
START_TEST(test_decode_messages_show_controls_as_question_marks)
{
	const char *text = "tfledger entry v2\norigin: o\nseq: 1\n"
	    "time: 20\x0f""6-11-28T13:46:53Z\nprev: 00\ntype: \x1b[2J\n";
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;

	ck_assert_int_eq(tfl_entry_decode(&e, text, strlen(text), &err),
	    TFL_EINVAL);
	ck_assert_str_eq(err.msg, "line 4: time \"20?6-11-28T13:46:53Z\": "
	    "must be YYYY-MM-DDTHH:MM:SSZ");
	ck_assert_ptr_null(e);
}
END_TEST

static Suite *
entry_suite(void)
{
	Suite *s = suite_create("entry");
	TCase *tc = tcase_create("entry");
	TCase *dates = tcase_create("dates");

	tcase_add_loop_test(tc, test_samples_give_every_field_of_every_type,
	    0, TFL_ENTRY_NTYPES);
	tcase_add_loop_test(tc, test_every_type_round_trips_with_all_its_fields,
	    0, TFL_ENTRY_NTYPES);
	tcase_add_loop_test(tc,
	    test_every_type_round_trips_with_only_required_fields, 0,
	    TFL_ENTRY_NTYPES);
	tcase_add_loop_test(tc, test_encode_names_each_missing_required_field,
	    0, TFL_ENTRY_NTYPES);
	tcase_add_test(tc, test_absent_optional_fields_leave_no_lines);
	tcase_add_test(tc, test_encode_refuses_an_entry_without_a_header);
	tcase_add_test(tc, test_donor_text_is_the_canonical_encoding);
	tcase_add_test(tc, test_header_extremes_round_trip);
	tcase_add_test(tc, test_header_refuses_bad_origins_and_times);
	tcase_add_test(tc, test_decode_refuses_a_wrong_header_line);
	tcase_add_test(tc, test_decode_refuses_reordered_fields);
	tcase_add_test(tc, test_decode_refuses_unknown_fields);
	tcase_add_test(tc, test_decode_refuses_repeated_fields);
	tcase_add_test(tc, test_decode_refuses_missing_required_fields);
	tcase_add_test(tc, test_decode_refuses_an_extra_space_after_the_colon);
	tcase_add_test(tc, test_decode_refuses_trailing_spaces);
	tcase_add_test(tc, test_decode_refuses_leading_zeros_in_seq);
	tcase_add_test(tc, test_decode_refuses_bad_prev_hashes);
	tcase_add_test(tc, test_decode_refuses_bad_times);
	tcase_add_test(tc, test_decode_refuses_unknown_types);
	tcase_add_test(tc, test_decode_refuses_a_missing_final_newline);
	tcase_add_test(tc, test_decode_refuses_cr_before_newline);
	tcase_add_test(tc, test_decode_refuses_control_characters_in_values);
	tcase_add_test(tc, test_decode_refuses_c1_controls_in_values);
	tcase_add_test(tc, test_decode_refuses_invalid_utf8);
	tcase_add_test(tc, test_decode_refuses_overlong_values_and_lines);
	tcase_add_test(tc, test_decode_refuses_empty_values);
	tcase_add_test(tc, test_decode_refuses_too_many_lines);
	tcase_add_test(tc, test_identifiers_are_checked);
	tcase_add_test(tc, test_text_values_are_checked);
	tcase_add_test(tc, test_amounts_are_checked);
	tcase_add_test(tc, test_signed_amounts_are_checked);
	tcase_add_test(tc, test_currencies_are_checked);
	tcase_add_test(tc, test_rates_are_checked);
	tcase_add_test(tc, test_dates_are_checked);
	tcase_add_test(tc, test_purposes_are_checked);
	tcase_add_test(tc, test_services_counts_are_checked);
	tcase_add_test(tc, test_whole_numbers_are_checked);
	tcase_add_test(tc, test_roles_and_donor_kinds_are_checked);
	tcase_add_test(tc, test_yes_no_and_country_codes_are_checked);
	tcase_add_test(tc, test_key_names_and_verifier_keys_are_checked);
	tcase_add_test(tc, test_set_refuses_fields_the_type_lacks);
	tcase_add_test(tc, test_set_replaces_an_earlier_value);
	tcase_add_test(tc, test_long_values_are_shortened_in_the_message);
	tcase_add_test(tc, test_refusal_messages_are_one_line);
	tcase_add_test(tc,
	    test_decode_messages_show_controls_as_question_marks);
	tcase_add_test(tc, test_every_type_name_finds_its_type);
	tcase_add_test(tc, test_field_iteration_ends_with_null);
	tcase_add_test(tc, test_new_refuses_unknown_types);
	suite_add_tcase(s, tc);
	/* Some 100000 dates and times; slow under the sanitizers. */
	tcase_set_timeout(dates, 20);
	tcase_add_test(dates, test_known_dates_and_times);
	tcase_add_test(dates, test_every_day_from_1970_to_2100_round_trips);
	tcase_add_test(dates, test_times_round_trip_weekly_from_1970_to_2100);
	tcase_add_test(dates, test_bad_dates_and_times_are_refused_by_name);
	suite_add_tcase(s, dates);
	return s;
}

int
main(void)
{
	return tu_run(entry_suite()) != 0;
}
