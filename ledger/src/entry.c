/*
 * entry.c - canonical entry text: the schema of each type, value checks,
 * encoding and strict decoding.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tfledger/checkpoint.h"
#include "tfledger/entry.h"
#include "tfledger/money.h"
#include "tfledger/note.h"

enum kind {
	K_ID,		/* identifier */
	K_TEXT,		/* name or free text */
	K_AMOUNT,	/* positive decimal */
	K_SAMOUNT,	/* signed decimal, not zero */
	K_CUR,		/* ISO 4217 code with minor units */
	K_RATE,		/* positive exact decimal, canonical */
	K_DATE,		/* YYYY-MM-DD */
	K_UINT,		/* decimal uint64 */
	K_VKEY,		/* signed-note verifier key */
	K_KEYNAME,	/* signed-note key name */
	K_ROLE,		/* admin, approver, recorder */
	K_DKIND,	/* donor kind */
	K_BOOL,		/* yes or no */
	K_CC,		/* ISO 3166-1 alpha-2 country code */
	K_PURPOSES,	/* comma list of purposes */
	K_SERVICES	/* comma list of purpose:count */
};

#define OPT 1

struct field {
	const char *name;
	enum kind kind;
	int optional;
};

#define MAX_FIELDS 16

struct schema {
	const char *name;
	struct field fields[MAX_FIELDS];
};

/* clang-format off */
static const struct schema schemas[TFL_ENTRY_NTYPES] = {
	[TFL_ENTRY_GENESIS] = { "genesis", {
		{ "fund", K_TEXT, 0 }, { "currency", K_CUR, 0 },
		{ "admin-key", K_VKEY, 0 }, { "log-key", K_VKEY, 0 } } },
	[TFL_ENTRY_KEY_ENROLL] = { "key-enroll", {
		{ "key", K_VKEY, 0 }, { "role", K_ROLE, 0 } } },
	[TFL_ENTRY_KEY_REVOKE] = { "key-revoke", {
		{ "name", K_KEYNAME, 0 }, { "reason", K_TEXT, OPT } } },
	[TFL_ENTRY_POLICY] = { "policy", {
		{ "approval-threshold", K_AMOUNT, 0 },
		{ "psc-rate", K_RATE, 0 } } },
	[TFL_ENTRY_DONOR] = { "donor", {
		{ "id", K_ID, 0 }, { "name", K_TEXT, 0 },
		{ "kind", K_DKIND, 0 }, { "country", K_CC, OPT },
		{ "anonymous", K_BOOL, 0 } } },
	[TFL_ENTRY_GRANTEE] = { "grantee", {
		{ "id", K_ID, 0 }, { "name", K_TEXT, 0 },
		{ "country", K_CC, 0 }, { "partner-ref", K_ID, OPT } } },
	[TFL_ENTRY_PLEDGE] = { "pledge", {
		{ "date", K_DATE, 0 }, { "donor", K_ID, 0 },
		{ "ref", K_ID, 0 }, { "amount", K_AMOUNT, 0 },
		{ "currency", K_CUR, 0 }, { "rate", K_RATE, OPT },
		{ "base-amount", K_AMOUNT, 0 }, { "earmark", K_ID, OPT },
		{ "due", K_DATE, OPT } } },
	[TFL_ENTRY_PLEDGE_WRITEDOWN] = { "pledge-writedown", {
		{ "date", K_DATE, 0 }, { "pledge", K_ID, 0 },
		{ "amount", K_AMOUNT, 0 }, { "reason", K_TEXT, 0 } } },
	[TFL_ENTRY_RECEIPT] = { "receipt", {
		{ "date", K_DATE, 0 }, { "donor", K_ID, 0 },
		{ "ref", K_ID, 0 }, { "amount", K_AMOUNT, 0 },
		{ "currency", K_CUR, 0 }, { "rate", K_RATE, OPT },
		{ "base-amount", K_AMOUNT, 0 }, { "pledge", K_ID, OPT },
		{ "earmark", K_ID, OPT } } },
	[TFL_ENTRY_INTEREST] = { "interest", {
		{ "date", K_DATE, 0 }, { "ref", K_ID, 0 },
		{ "amount", K_AMOUNT, 0 } } },
	[TFL_ENTRY_DONOR_REFUND] = { "donor-refund", {
		{ "date", K_DATE, 0 }, { "donor", K_ID, 0 },
		{ "ref", K_ID, 0 }, { "amount", K_AMOUNT, 0 },
		{ "currency", K_CUR, 0 }, { "rate", K_RATE, OPT },
		{ "base-amount", K_AMOUNT, 0 }, { "receipt", K_ID, 0 },
		{ "reason", K_TEXT, OPT } } },
	[TFL_ENTRY_GRANT] = { "grant", {
		{ "date", K_DATE, 0 }, { "id", K_ID, 0 },
		{ "grantee", K_ID, 0 }, { "country", K_CC, OPT },
		{ "cycle", K_ID, OPT }, { "purposes", K_PURPOSES, OPT },
		{ "start", K_DATE, 0 }, { "end", K_DATE, 0 },
		{ "amount", K_AMOUNT, 0 }, { "earmark", K_ID, OPT },
		{ "decision", K_ID, OPT } } },
	[TFL_ENTRY_DISBURSEMENT] = { "disbursement", {
		{ "date", K_DATE, 0 }, { "grant", K_ID, 0 },
		{ "ref", K_ID, 0 }, { "amount", K_AMOUNT, 0 } } },
	[TFL_ENTRY_EXPENDITURE] = { "expenditure", {
		{ "date", K_DATE, 0 }, { "grant", K_ID, 0 },
		{ "ref", K_ID, OPT }, { "amount", K_AMOUNT, 0 },
		{ "women", K_UINT, 0 }, { "girls", K_UINT, 0 },
		{ "men", K_UINT, 0 }, { "boys", K_UINT, 0 },
		{ "sexual", K_UINT, 0 }, { "labour", K_UINT, 0 },
		{ "other-form", K_UINT, 0 },
		{ "services", K_SERVICES, OPT } } },
	[TFL_ENTRY_GRANTEE_REFUND] = { "grantee-refund", {
		{ "date", K_DATE, 0 }, { "grant", K_ID, 0 },
		{ "ref", K_ID, 0 }, { "amount", K_AMOUNT, 0 } } },
	[TFL_ENTRY_DEOBLIGATION] = { "deobligation", {
		{ "date", K_DATE, 0 }, { "grant", K_ID, 0 },
		{ "amount", K_AMOUNT, 0 }, { "reason", K_TEXT, OPT } } },
	[TFL_ENTRY_PSC] = { "psc", {
		{ "date", K_DATE, 0 }, { "earmark", K_ID, OPT },
		{ "rate", K_RATE, 0 }, { "basis", K_SAMOUNT, 0 },
		{ "amount", K_SAMOUNT, 0 } } },
	[TFL_ENTRY_APPROVAL] = { "approval", {
		{ "approves", K_UINT, 0 } } },
	[TFL_ENTRY_REVERSAL] = { "reversal", {
		{ "date", K_DATE, 0 }, { "reverses", K_UINT, 0 },
		{ "reason", K_TEXT, 0 } } },
	[TFL_ENTRY_PERIOD_CLOSE] = { "period-close", {
		{ "date", K_DATE, 0 } } },
};
/* clang-format on */

static const char *const roles[] = { "admin", "approver", "recorder", NULL };
static const char *const donor_kinds[] = { "government", "intergovernmental",
	"private", "foundation", "individual", "other", NULL };
static const char *const purposes[] = { "shelter", "medical", "psychosocial",
	"legal", "material", "education", "reunification", "repatriation",
	"reintegration", NULL };

struct tfl_entry {
	int type;
	char origin[TFL_ORIGIN_MAX + 1];
	uint64_t seq;
	int64_t time;
	uint8_t prev[TFL_HASH_SIZE];
	char *values[MAX_FIELDS];
};

const char *
tfl_entry_type_name(int type)
{
	if (type < 0 || type >= TFL_ENTRY_NTYPES)
		return NULL;
	return schemas[type].name;
}

int
tfl_entry_type_find(const char *name)
{
	int t;

	for (t = 0; t < TFL_ENTRY_NTYPES; t++)
		if (strcmp(schemas[t].name, name) == 0)
			return t;
	return -1;
}

const char *
tfl_entry_field(int type, size_t i, int *optional)
{
	if (type < 0 || type >= TFL_ENTRY_NTYPES || i >= MAX_FIELDS ||
	    schemas[type].fields[i].name == NULL)
		return NULL;
	if (optional != NULL)
		*optional = schemas[type].fields[i].optional;
	return schemas[type].fields[i].name;
}

const char *
tfl_entry_field_kind(int type, size_t i)
{
	static const char *const names[] = { "id", "text", "amount",
		"samount", "currency", "rate", "date", "uint", "vkey",
		"keyname", "role", "donorkind", "bool", "country", "purposes",
		"services" };

	if (tfl_entry_field(type, i, NULL) == NULL)
		return NULL;
	return names[schemas[type].fields[i].kind];
}

static int
find_field(int type, const char *name)
{
	const struct field *f = schemas[type].fields;
	int i;

	for (i = 0; i < MAX_FIELDS && f[i].name != NULL; i++)
		if (strcmp(f[i].name, name) == 0)
			return i;
	return -1;
}

int
tfl_id_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > TFL_ENTRY_ID_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-' || c == '/'))
			return 0;
	}
	return 1;
}

/* Printable UTF-8 of 1..max bytes, no control characters, no edge spaces. */
static int
text_valid(const char *s, size_t max)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > max || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return 0;
	}
	/* C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8. */
	for (i = 0; i + 1 < n; i++)
		if ((unsigned char)s[i] == 0xc2 &&
		    (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f)
			return 0;
	return tfl__utf8_valid(s, n);
}

/* Index of s[0..len) in list, or -1. */
static int
list_index(const char *const *list, const char *s, size_t len)
{
	int i;

	for (i = 0; list[i] != NULL; i++)
		if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
			return i;
	return -1;
}

/* Canonical decimal: no leading zeros, point only with digits after it. */
static int
decimal_valid(const char *s, int allow_sign)
{
	const char *p = s, *dot;
	size_t intlen, frac;

	if (*p == '-') {
		if (!allow_sign)
			return 0;
		p++;
	}
	dot = strchr(p, '.');
	intlen = dot != NULL ? (size_t)(dot - p) : strlen(p);
	frac = dot != NULL ? strlen(dot + 1) : 0;
	if (intlen == 0 || (intlen > 1 && p[0] == '0') || intlen > 19)
		return 0;
	if (dot != NULL && (frac == 0 || frac > 4))
		return 0;
	if (strspn(p, "0123456789") != intlen ||
	    (dot != NULL && strspn(dot + 1, "0123456789") != frac))
		return 0;
	/* Zero is never an amount; a signed figure may be 0 but not -0. */
	if (strspn(p, "0.") == strlen(p))
		return allow_sign && p == s;
	return 1;
}

/*
 * "a,b,c" of purposes in the order of the purposes table, each once (so
 * one canonical form); with counts, "a:12,b:3".
 */
static int
list_valid(const char *s, int counts)
{
	const char *p = s, *end, *colon;
	int idx, last = -1;
	uint64_t n;
	size_t len;

	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		colon = counts ? memchr(p, ':', len) : NULL;
		if (counts && colon == NULL)
			return 0;
		if (colon != NULL) {
			if (tfl__parse_u64(&n, colon + 1,
			    len - (size_t)(colon + 1 - p)) != 0)
				return 0;
			len = (size_t)(colon - p);
		}
		idx = list_index(purposes, p, len);
		if (idx <= last)
			return 0;
		last = idx;
		if (end == NULL)
			return 1;
		p = end + 1;
	}
}

static int
vkey_valid(const char *s, tfl_err *err)
{
	char buf[TFL_ENTRY_VALUE_MAX + 1];
	tfl_verifier v;

	if (tfl_verifier_parse(&v, s, strlen(s), err) != 0)
		return 0;
	/* Only the one canonical spelling, as formatted. */
	return tfl_verifier_format(buf, sizeof(buf), &v) == 0 &&
	    strcmp(buf, s) == 0;
}

static int
rate_valid(const char *s)
{
	char buf[64];
	tfl_rate r;

	return tfl_rate_parse(&r, s, NULL) == 0 &&
	    tfl_rate_format(buf, sizeof(buf), &r) > 0 && strcmp(buf, s) == 0;
}

/* What a value of kind k must be, for error messages. */
static const char *
kind_rule(enum kind k)
{
	switch (k) {
	case K_ID:
		return "an identifier of 1 to 64 letters, digits, '.', '_', "
		       "'-' or '/'";
	case K_TEXT:
		return "1 to 256 bytes of UTF-8 text without control "
		       "characters or edge spaces";
	case K_AMOUNT:
		return "a positive decimal amount without leading zeros";
	case K_SAMOUNT:
		return "a decimal amount without leading zeros (not -0)";
	case K_CUR:
		return "an ISO 4217 currency code with minor units";
	case K_RATE:
		return "a positive decimal in canonical form";
	case K_DATE:
		return "a date YYYY-MM-DD";
	case K_UINT:
		return "a whole number without leading zeros";
	case K_VKEY:
		return "a verifier key NAME+HASH+KEY";
	case K_KEYNAME:
		return "a key name without spaces or '+'";
	case K_ROLE:
		return "one of admin, approver, recorder";
	case K_DKIND:
		return "one of government, intergovernmental, private, "
		       "foundation, individual, other";
	case K_BOOL:
		return "yes or no";
	case K_CC:
		return "a two-letter ISO 3166 country code in capitals";
	case K_PURPOSES:
		return "a comma list of shelter, medical, psychosocial, legal, "
		       "material, education, reunification, repatriation, "
		       "reintegration, in that order";
	case K_SERVICES:
		return "a comma list of service:count in the order of the "
		       "purposes";
	}
	return "valid";
}

static int
kind_valid(enum kind k, const char *v)
{
	const tfl_currency *cur;
	uint64_t u;
	int64_t days;

	switch (k) {
	case K_ID:
		return tfl_id_valid(v);
	case K_TEXT:
		return text_valid(v, TFL_ENTRY_TEXT_MAX);
	case K_AMOUNT:
	case K_SAMOUNT:
		return decimal_valid(v, k == K_SAMOUNT);
	case K_CUR:
		return tfl_currency_find(&cur, v, NULL) == 0;
	case K_RATE:
		return rate_valid(v);
	case K_DATE:
		return tfl_date_parse(&days, v, NULL) == 0;
	case K_UINT:
		return tfl__parse_u64(&u, v, strlen(v)) == 0;
	case K_VKEY:
		return vkey_valid(v, NULL);
	case K_KEYNAME:
		return tfl_note_name_valid(v, strlen(v)) &&
		    strlen(v) <= TFL_KEY_NAME_MAX;
	case K_ROLE:
		return list_index(roles, v, strlen(v)) >= 0;
	case K_DKIND:
		return list_index(donor_kinds, v, strlen(v)) >= 0;
	case K_BOOL:
		return strcmp(v, "yes") == 0 || strcmp(v, "no") == 0;
	case K_CC:
		return strlen(v) == 2 && v[0] >= 'A' && v[0] <= 'Z' &&
		    v[1] >= 'A' && v[1] <= 'Z';
	case K_PURPOSES:
	case K_SERVICES:
		return list_valid(v, k == K_SERVICES);
	}
	return 0;
}

/*
 * Shorten a value for an error message so the line stays readable, and
 * show control characters as '?' so that it stays one line.
 */
static void
quote(char *buf, size_t size, const char *v)
{
	size_t i, n = strlen(v);

	if (n + 1 <= size)
		snprintf(buf, size, "%s", v);
	else
		snprintf(buf, size, "%.*s...", (int)(size - 4), v);
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
}

int
tfl_entry_new(tfl_entry **out, int type, tfl_err *err)
{
	tfl_entry *e;

	if (type < 0 || type >= TFL_ENTRY_NTYPES)
		return tfl_err_set(err, TFL_EINVAL, "entry type %d: unknown",
		    type);
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	e->type = type;
	*out = e;
	return 0;
}

void
tfl_entry_free(tfl_entry *e)
{
	int i;

	if (e == NULL)
		return;
	for (i = 0; i < MAX_FIELDS; i++)
		free(e->values[i]);
	free(e);
}

int
tfl_entry_set(tfl_entry *e, const char *field, const char *value,
    tfl_err *err)
{
	char shown[80];
	enum kind k;
	char *copy;
	int i;

	assert(e != NULL && field != NULL && value != NULL);
	i = find_field(e->type, field);
	if (i < 0)
		return tfl_err_set(err, TFL_EINVAL, "%s: no field \"%s\"",
		    schemas[e->type].name, field);
	k = schemas[e->type].fields[i].kind;
	if (strlen(value) > TFL_ENTRY_VALUE_MAX || !kind_valid(k, value)) {
		quote(shown, sizeof(shown), value);
		return tfl_err_set(err, TFL_EINVAL, "%s \"%s\": must be %s",
		    field, shown, kind_rule(k));
	}
	copy = strdup(value);
	if (copy == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	free(e->values[i]);
	e->values[i] = copy;
	return 0;
}

const char *
tfl_entry_get(const tfl_entry *e, const char *field)
{
	int i = find_field(e->type, field);

	return i < 0 ? NULL : e->values[i];
}

int
tfl_entry_set_header(tfl_entry *e, const char *origin, uint64_t seq,
    int64_t time, const uint8_t prev[TFL_HASH_SIZE], tfl_err *err)
{
	if (!text_valid(origin, TFL_ORIGIN_MAX))
		return tfl_err_set(err, TFL_EINVAL,
		    "origin \"%.64s\": must be 1 to 255 bytes of text", origin);
	if (time < 0 || time > 253402300799)
		return tfl_err_set(err, TFL_EINVAL, "time %lld: out of range",
		    (long long)time);
	tfl__cat(e->origin, sizeof(e->origin), origin, (char *)NULL);
	e->seq = seq;
	e->time = time;
	memcpy(e->prev, prev, TFL_HASH_SIZE);
	return 0;
}

int
tfl_entry_type(const tfl_entry *e)
{
	return e->type;
}

uint64_t
tfl_entry_seq(const tfl_entry *e)
{
	return e->seq;
}

int64_t
tfl_entry_time(const tfl_entry *e)
{
	return e->time;
}

const uint8_t *
tfl_entry_prev(const tfl_entry *e)
{
	return e->prev;
}

const char *
tfl_entry_origin(const tfl_entry *e)
{
	return e->origin;
}

void
tfl_entry_chain_hash(uint8_t out[TFL_HASH_SIZE], const char *text,
    size_t textlen, const char *signer, uint32_t keyhash)
{
	static const uint8_t prefix = 0x02, lf = 0x0a;
	const uint8_t be[4] = { (uint8_t)(keyhash >> 24),
		(uint8_t)(keyhash >> 16), (uint8_t)(keyhash >> 8),
		(uint8_t)keyhash };
	const void *part[] = { &prefix, text, signer, &lf, be };
	const size_t len[] = { 1, textlen, strlen(signer), 1, sizeof(be) };

	tfl__sha256_parts(out, part, len, 5);
}

int
tfl_entry_note_one_signature(const tfl_note *note, tfl_err *err)
{
	if (note->nsigs != 1)
		return tfl_err_set(err, TFL_EINVAL, "an entry has exactly one "
		    "signature line, not %zu", note->nsigs);
	return 0;
}

int
tfl_entry_note_chain_hash(uint8_t out[TFL_HASH_SIZE], const tfl_note *note,
    tfl_err *err)
{
	if (tfl_entry_note_one_signature(note, err) != 0)
		return TFL_EINVAL;
	tfl_entry_chain_hash(out, note->text, note->textlen,
	    note->sigs[0].name, note->sigs[0].hash);
	return 0;
}

/* Append "name: value\n" (name NULL: value and "\n") at *p. */
static void
put_line(char **p, const char *name, const char *value)
{
	size_t n;

	if (name != NULL) {
		n = strlen(name);
		memcpy(*p, name, n);
		memcpy(*p + n, ": ", 2);
		*p += n + 2;
	}
	n = strlen(value);
	memcpy(*p, value, n);
	(*p)[n] = '\n';
	*p += n + 1;
}

/*
 * Built by hand rather than through a stdio stream: every append encodes
 * each entry (twice with a signing thread) and every audit once more, to
 * check that the bytes it decoded are the canonical ones.
 */
int
tfl_entry_encode(char **out, size_t *outlen, const tfl_entry *e,
    tfl_err *err)
{
	return tfl__entry_encode_room(out, outlen, e, 0, err);
}

int
tfl__entry_encode_room(char **out, size_t *outlen, const tfl_entry *e,
    size_t room, tfl_err *err)
{
	const struct field *f = schemas[e->type].fields;
	char tbuf[32], seq[24], prev[2 * TFL_HASH_SIZE + 1];
	char *buf, *p;
	size_t len;
	int i;

	for (i = 0; i < MAX_FIELDS && f[i].name != NULL; i++)
		if (e->values[i] == NULL && !f[i].optional)
			return tfl_err_set(err, TFL_EINVAL,
			    "%s: field \"%s\" is required",
			    schemas[e->type].name, f[i].name);
	if (e->origin[0] == '\0')
		return tfl_err_set(err, TFL_EINVAL, "%s: no header (origin, "
		    "seq, time, prev) set", schemas[e->type].name);
	tfl_time_format(tbuf, e->time);
	tfl__u64_dec(seq, e->seq);
	tfl__hex_encode(prev, e->prev, TFL_HASH_SIZE);
	len = strlen(TFL_ENTRY_HEADER) + strlen(e->origin) + strlen(seq) +
	    strlen(tbuf) + strlen(prev) + strlen(schemas[e->type].name) +
	    sizeof("\norigin: \nseq: \ntime: \nprev: \ntype: \n") - 1;
	for (i = 0; i < MAX_FIELDS && f[i].name != NULL; i++)
		if (e->values[i] != NULL)
			len += strlen(f[i].name) + strlen(e->values[i]) + 3;
	if ((buf = malloc(len + 1 + room)) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	p = buf;
	put_line(&p, NULL, TFL_ENTRY_HEADER);
	put_line(&p, "origin", e->origin);
	put_line(&p, "seq", seq);
	put_line(&p, "time", tbuf);
	put_line(&p, "prev", prev);
	put_line(&p, "type", schemas[e->type].name);
	for (i = 0; i < MAX_FIELDS && f[i].name != NULL; i++)
		if (e->values[i] != NULL)
			put_line(&p, f[i].name, e->values[i]);
	assert((size_t)(p - buf) == len);
	*p = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

/* One line of entry text split at its first ": ". */
struct line {
	const char *name;
	char *value; /* NULL when the line has no ": " */
};

#define MAX_LINES (6 + MAX_FIELDS)

/* Prefix err (which may be NULL) with where; always TFL_EINVAL. */
static int
prefixed(tfl_err *err, const char *where)
{
	tfl_err_prefix(err, "%s", where);
	return TFL_EINVAL;
}

/* Read the header lines (origin .. type) into e. */
static int
decode_header(tfl_entry *e, const struct line *l, size_t n, tfl_err *err)
{
	static const char *const names[] = { "origin", "seq", "time", "prev",
		"type" };
	uint8_t prev[TFL_HASH_SIZE];
	uint64_t seq;
	int64_t t;
	size_t i;

	if (n > 0 && l[0].value == NULL &&
	    strcmp(l[0].name, "tfledger entry v1") == 0)
		return tfl_err_set(err, TFL_EINVAL, "line 1: \"tfledger entry "
		    "v1\" is an older format (its prev was a leaf hash); this "
		    "tfledger reads \"%s\"", TFL_ENTRY_HEADER);
	if (n < 6 || l[0].value != NULL || strcmp(l[0].name,
	    TFL_ENTRY_HEADER) != 0)
		return tfl_err_set(err, TFL_EINVAL,
		    "line 1: expected \"%s\"", TFL_ENTRY_HEADER);
	for (i = 1; i < 6; i++)
		if (l[i].value == NULL || strcmp(l[i].name, names[i - 1]) != 0)
			return tfl_err_set(err, TFL_EINVAL,
			    "line %zu: expected \"%s: \"", i + 1, names[i - 1]);
	if (tfl__parse_u64(&seq, l[2].value, strlen(l[2].value)) != 0)
		return tfl_err_set(err, TFL_EINVAL, "line 3: bad seq");
	if (tfl_time_parse(&t, l[3].value, err) != 0)
		return prefixed(err, "line 4");
	if (tfl__hex_decode(prev, sizeof(prev), l[4].value,
	    strlen(l[4].value)) != 0)
		return tfl_err_set(err, TFL_EINVAL,
		    "line 5: prev must be 64 lowercase hex digits");
	e->type = tfl_entry_type_find(l[5].value);
	if (e->type < 0)
		return tfl_err_set(err, TFL_EINVAL,
		    "line 6: unknown entry type \"%.40s\"", l[5].value);
	if (tfl_entry_set_header(e, l[1].value, seq, t, prev, err) != 0)
		return prefixed(err, "line 2");
	return 0;
}

/* Read the type's fields from l[6..n) in schema order. */
static int
decode_fields(tfl_entry *e, const struct line *l, size_t n, tfl_err *err)
{
	const struct field *f = schemas[e->type].fields;
	char where[32];
	size_t li = 6;
	int i;

	for (i = 0; i < MAX_FIELDS && f[i].name != NULL; i++) {
		if (li < n && l[li].value != NULL &&
		    strcmp(l[li].name, f[i].name) == 0) {
			if (tfl_entry_set(e, f[i].name, l[li].value, err) != 0) {
				snprintf(where, sizeof(where), "line %zu", li + 1);
				return prefixed(err, where);
			}
			li++;
		} else if (!f[i].optional) {
			return tfl_err_set(err, TFL_EINVAL,
			    "line %zu: expected field \"%s\"", li + 1,
			    f[i].name);
		}
	}
	if (li < n)
		return tfl_err_set(err, TFL_EINVAL,
		    "line %zu: unknown, repeated or misplaced field", li + 1);
	return 0;
}

/* Split buf (a private copy) into lines of "name: value". */
static int
split_lines(struct line *l, size_t *n, char *buf, size_t len, tfl_err *err)
{
	char *p = buf, *nl, *sep;

	*n = 0;
	if (len == 0 || buf[len - 1] != '\n')
		return tfl_err_set(err, TFL_EINVAL,
		    "entry text must end in a newline");
	while (p < buf + len) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		*nl = '\0';
		if (*n == MAX_LINES)
			return tfl_err_set(err, TFL_EINVAL,
			    "line %zu: too many lines", *n + 1);
		if ((size_t)(nl - p) > TFL_ENTRY_VALUE_MAX + 64)
			return tfl_err_set(err, TFL_EINVAL,
			    "line %zu: too long", *n + 1);
		sep = strstr(p, ": ");
		l[*n].name = p;
		l[*n].value = NULL;
		if (sep != NULL) {
			*sep = '\0';
			l[*n].value = sep + 2;
		}
		(*n)++;
		p = nl + 1;
	}
	return 0;
}

int
tfl_entry_decode(tfl_entry **out, const char *text, size_t len, tfl_err *err)
{
	struct line lines[MAX_LINES];
	tfl_entry *e = NULL;
	char *buf = NULL, *again = NULL;
	size_t n, againlen;
	int rc;

	if (memchr(text, '\0', len) != NULL || !tfl__utf8_valid(text, len))
		return tfl_err_set(err, TFL_EINVAL,
		    "entry text is not valid UTF-8 without NUL bytes");
	buf = tfl__strndup(text, len);
	if (buf == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	if ((rc = split_lines(lines, &n, buf, len, err)) != 0 ||
	    (rc = tfl_entry_new(&e, 0, err)) != 0 ||
	    (rc = decode_header(e, lines, n, err)) != 0 ||
	    (rc = decode_fields(e, lines, n, err)) != 0 ||
	    (rc = tfl_entry_encode(&again, &againlen, e, err)) != 0)
		goto out;
	/* Whatever the fields passed, only the canonical bytes are an entry. */
	if (againlen != len || memcmp(again, text, len) != 0) {
		rc = tfl_err_set(err, TFL_EINVAL, "entry text is not canonical");
		goto out;
	}
	*out = e;
	e = NULL;
out:
	tfl_entry_free(e);
	free(buf);
	free(again);
	return rc;
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

/* Parse exactly n digits at s into *v. */
static int
digits(unsigned *v, const char *s, int n)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return 0;
}

static int
parse_ymd(int64_t *days, const char *s)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	unsigned y, m, d;
	int leap;

	if (digits(&y, s, 4) != 0 || s[4] != '-' || digits(&m, s + 5, 2) != 0 ||
	    s[7] != '-' || digits(&d, s + 8, 2) != 0)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !leap))
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

int
tfl_date_parse(int64_t *out_days, const char *text, tfl_err *err)
{
	if (strlen(text) != 10 || parse_ymd(out_days, text) != 0)
		return tfl_err_set(err, TFL_EINVAL,
		    "date \"%.40s\": must be a calendar date YYYY-MM-DD", text);
	return 0;
}

/* Two decimal digits of n (< 100) at p: dates and times are formatted
 * for every entry, and snprintf was the larger part of encoding one. */
static void
two_digits(char *p, unsigned n)
{
	p[0] = (char)('0' + n / 10);
	p[1] = (char)('0' + n % 10);
}

void
tfl_date_format(char *buf, int64_t days)
{
	unsigned m, d;
	int y;

	civil_from_days(days, &y, &m, &d);
	two_digits(buf, (unsigned)y / 100 % 100);
	two_digits(buf + 2, (unsigned)y % 100);
	buf[4] = '-';
	two_digits(buf + 5, m % 100);
	buf[7] = '-';
	two_digits(buf + 8, d % 100);
	buf[10] = '\0';
}

int
tfl_time_parse(int64_t *out, const char *text, tfl_err *err)
{
	unsigned hh, mm, ss;
	int64_t days;

	if (strlen(text) != 20 || parse_ymd(&days, text) != 0 ||
	    text[10] != 'T' || digits(&hh, text + 11, 2) != 0 ||
	    text[13] != ':' || digits(&mm, text + 14, 2) != 0 ||
	    text[16] != ':' || digits(&ss, text + 17, 2) != 0 ||
	    text[19] != 'Z' || hh > 23 || mm > 59 || ss > 59)
		return tfl_err_set(err, TFL_EINVAL,
		    "time \"%.40s\": must be YYYY-MM-DDTHH:MM:SSZ", text);
	*out = days * 86400 + hh * 3600 + mm * 60 + ss;
	return 0;
}

void
tfl_time_format(char *buf, int64_t t)
{
	int64_t days = t / 86400, rem = t % 86400;

	tfl_date_format(buf, days);
	buf[10] = 'T';
	two_digits(buf + 11, (unsigned)(rem / 3600) % 100);
	buf[13] = ':';
	two_digits(buf + 14, (unsigned)(rem / 60 % 60) % 100);
	buf[16] = ':';
	two_digits(buf + 17, (unsigned)(rem % 60) % 100);
	buf[19] = 'Z';
	buf[20] = '\0';
}

int
tfl__entry_clone(tfl_entry **out, const tfl_entry *e, tfl_err *err)
{
	tfl_entry *c;
	int i;

	if (tfl_entry_new(&c, e->type, err) != 0)
		return TFL_ENOMEM;
	memcpy(c->origin, e->origin, sizeof(c->origin));
	c->seq = e->seq;
	c->time = e->time;
	memcpy(c->prev, e->prev, sizeof(c->prev));
	for (i = 0; i < MAX_FIELDS; i++) {
		if (e->values[i] == NULL)
			continue;
		c->values[i] = strdup(e->values[i]);
		if (c->values[i] == NULL) {
			tfl_entry_free(c);
			return tfl_err_set(err, TFL_ENOMEM, "out of memory");
		}
	}
	*out = c;
	return 0;
}
