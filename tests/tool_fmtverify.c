/*
 * tool_fmtverify - an independent verifier of the tfledger ledger format.
 *
 * Written from docs/FORMAT.md alone, without the tfledger sources, to show
 * that the specification is sufficient.  It checks the signed notes, the
 * entry text and header, the key enrolment and revocation history, the
 * signer's role, the hash chain, the RFC 9162 tree and one checkpoint.
 * It does not apply the fund rules (FUND.md).
 *
 * usage: tool_fmtverify CHECKPOINT ENTRY0 [ENTRY1 ...]
 */

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#define PROG		"tool_fmtverify"
#define ERRLEN		256
#define MAXSIGS		100	/* section 2 */
#define MAXNAME		128	/* section 1 */
#define MAXVALUE	512	/* section 3 */
#define MAXLINE		576	/* section 3 */
#define MAXFIELDS	32
#define HDRFIELDS	5	/* origin, seq, time, prev, type */
#define TIMELEN		20	/* YYYY-MM-DDTHH:MM:SSZ */

#ifdef __GNUC__
#define PRINTFLIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTFLIKE(f, a)
#endif

enum role {
	R_NONE,
	R_ADMIN,
	R_APPROVER,
	R_RECORDER
};

struct sig {
	const char	*name;		/* key name, not terminated */
	size_t		 namelen;
	unsigned char	*raw;		/* key hash || signature */
	size_t		 rawlen;
};

struct note {
	const unsigned char *text;	/* TEXT, final LF included */
	size_t		 textlen;
	struct sig	 sigs[MAXSIGS];
	size_t		 nsigs;
};

struct key {
	char		 name[MAXNAME + 1];
	unsigned char	 pub[32];
	uint32_t	 hash;
	enum role	 role;
	int		 revoked;
};

struct field {
	const char	*name;
	size_t		 namelen;
	const char	*val;
	size_t		 vallen;
};

struct entry {
	struct field	 f[MAXFIELDS];
	size_t		 nf;
};

struct etype {
	const char	*type;
	enum role	 role;
	const char	*fields;	/* "name:kind name?:kind ..." */
};

struct kind {
	const char	*name;
	int		(*ok)(const char *, size_t);
};

struct ledger {
	char		 origin[MAXVALUE + 1];
	char		 time[TIMELEN + 1];
	unsigned char	 prev[32];	/* chain hash of the last entry */
	struct key	*keys;		/* enrolled keys, in seq order */
	size_t		 nkeys;
	struct key	 logkey;
	unsigned char	(*leaves)[32];
	size_t		 nleaves;
};

struct checkpoint {
	const char	*origin;
	size_t		 originlen;
	size_t		 size;
	unsigned char	 root[32];
};

static int	seterr(char *, const char *, ...) PRINTFLIKE(2, 3);
static int	k_id(const char *, size_t);
static int	k_text(const char *, size_t);
static int	k_amount(const char *, size_t);
static int	k_samount(const char *, size_t);
static int	k_currency(const char *, size_t);
static int	k_rate(const char *, size_t);
static int	k_date(const char *, size_t);
static int	k_uint(const char *, size_t);
static int	k_vkey(const char *, size_t);
static int	k_keyname(const char *, size_t);
static int	k_role(const char *, size_t);
static int	k_donorkind(const char *, size_t);
static int	k_bool(const char *, size_t);
static int	k_country(const char *, size_t);
static int	k_purposes(const char *, size_t);
static int	k_services(const char *, size_t);

/* Section 5, transcribed from the schema table. */
static const struct etype etypes[] = {
	{ "genesis", R_ADMIN,
	    "fund:text currency:currency admin-key:vkey log-key:vkey" },
	{ "key-enroll", R_ADMIN, "key:vkey role:role" },
	{ "key-revoke", R_ADMIN, "name:keyname reason?:text" },
	{ "policy", R_ADMIN, "approval-threshold:amount psc-rate:rate" },
	{ "donor", R_RECORDER,
	    "id:id name:text kind:donorkind country?:country anonymous:bool" },
	{ "grantee", R_RECORDER,
	    "id:id name:text country:country partner-ref?:id" },
	{ "pledge", R_RECORDER,
	    "date:date donor:id ref:id amount:amount currency:currency "
	    "rate?:rate base-amount:amount earmark?:id due?:date" },
	{ "pledge-writedown", R_RECORDER,
	    "date:date pledge:id amount:amount reason:text" },
	{ "receipt", R_RECORDER,
	    "date:date donor:id ref:id amount:amount currency:currency "
	    "rate?:rate base-amount:amount pledge?:id earmark?:id" },
	{ "interest", R_RECORDER, "date:date ref:id amount:amount" },
	{ "donor-refund", R_RECORDER,
	    "date:date donor:id ref:id amount:amount currency:currency "
	    "rate?:rate base-amount:amount receipt:id reason?:text" },
	{ "grant", R_RECORDER,
	    "date:date id:id grantee:id country:country cycle?:id "
	    "purposes:purposes start:date end:date amount:amount "
	    "earmark?:id decision?:id" },
	{ "disbursement", R_RECORDER,
	    "date:date grant:id ref:id amount:amount" },
	{ "expenditure", R_RECORDER,
	    "date:date grant:id ref:id amount:amount women:uint girls:uint "
	    "men:uint boys:uint sexual:uint labour:uint other-form:uint "
	    "services?:services" },
	{ "grantee-refund", R_RECORDER,
	    "date:date grant:id ref:id amount:amount" },
	{ "deobligation", R_RECORDER,
	    "date:date grant:id amount:amount reason?:text" },
	{ "psc", R_RECORDER,
	    "date:date earmark?:id rate:rate basis:samount amount:samount" },
	{ "approval", R_APPROVER, "approves:uint" },
	{ "reversal", R_RECORDER,
	    "date:date reverses:uint reason:text" },
	{ "period-close", R_ADMIN, "date:date" },
};

/* Section 4. */
static const struct kind kinds[] = {
	{ "id", k_id },
	{ "text", k_text },
	{ "amount", k_amount },
	{ "samount", k_samount },
	{ "currency", k_currency },
	{ "rate", k_rate },
	{ "date", k_date },
	{ "uint", k_uint },
	{ "vkey", k_vkey },
	{ "keyname", k_keyname },
	{ "role", k_role },
	{ "donorkind", k_donorkind },
	{ "bool", k_bool },
	{ "country", k_country },
	{ "purposes", k_purposes },
	{ "services", k_services },
};

static const char *const rolenames[] = { "none", "admin", "approver",
    "recorder" };

static const char *const purposes[] = { "shelter", "medical",
    "psychosocial", "legal", "material", "education", "reunification",
    "repatriation", "reintegration", NULL };

static const char *const donorkinds[] = { "government",
    "intergovernmental", "private", "foundation", "individual", "other",
    NULL };

/* ISO 4217 codes that have no minor unit ("N.A."). */
static const char *const nominor[] = { "XAG", "XAU", "XBA", "XBB", "XBC",
    "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX", NULL };

static int
seterr(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, ERRLEN, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- primitives: hashes, Ed25519, base64, UTF-8 ---- */

static void
sha256_2(const void *a, size_t an, const void *b, size_t bn,
    unsigned char out[32])
{
	EVP_MD_CTX *ctx;

	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, a, an) != 1 ||
	    EVP_DigestUpdate(ctx, b, bn) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, NULL) != 1) {
		fprintf(stderr, "%s: SHA-256 failed\n", PROG);
		exit(2);
	}
	EVP_MD_CTX_free(ctx);
}

static int
ed25519_ok(const unsigned char pub[32], const unsigned char *sig,
    const unsigned char *msg, size_t len)
{
	EVP_PKEY *pk;
	EVP_MD_CTX *ctx;
	int ok;

	ok = 0;
	pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	if (pk == NULL)
		return 0;
	ctx = EVP_MD_CTX_new();
	if (ctx != NULL &&
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) == 1 &&
	    EVP_DigestVerify(ctx, sig, 64, msg, len) == 1)
		ok = 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return ok;
}

/* Section 1: first 4 bytes of SHA-256(name || 0x0A || 0x01 || key). */
static uint32_t
keyhash(const char *name, size_t namelen, const unsigned char pub[32])
{
	unsigned char tail[34], md[32];

	tail[0] = 0x0a;
	tail[1] = 0x01;
	memcpy(tail + 2, pub, 32);
	sha256_2(name, namelen, tail, sizeof(tail), md);
	return (uint32_t)md[0] << 24 | (uint32_t)md[1] << 16 |
	    (uint32_t)md[2] << 8 | md[3];
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Strict RFC 4648 section 4 decoding: padding required, no other
 * characters, unused bits zero (so there is one encoding).  out must hold
 * n / 4 * 3 bytes.
 */
static int
b64_decode(const char *s, size_t n, unsigned char *out, size_t *outlen)
{
	size_t i, o;
	int v[4], j, pad;

	if (n == 0 || n % 4 != 0)
		return -1;
	for (i = o = 0; i < n; i += 4) {
		for (j = pad = 0; j < 4; j++) {
			if (s[i + j] == '=' && i + 4 == n && j >= 2) {
				v[j] = 0;
				pad++;
			} else if (pad != 0 ||
			    (v[j] = b64val((unsigned char)s[i + j])) < 0)
				return -1;
		}
		if ((pad == 1 && (v[2] & 3) != 0) ||
		    (pad == 2 && (v[1] & 15) != 0))
			return -1;
		out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			out[o++] = (unsigned char)((v[1] & 15) << 4 |
			    v[2] >> 2);
		if (pad < 1)
			out[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	*outlen = o;
	return 0;
}

/* Decode one UTF-8 sequence (RFC 3629); return its length, 0 if bad. */
static size_t
utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, c = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Valid UTF-8 without control characters (C0, DEL, C1); LF if lf_ok. */
static int
utf8_clean(const char *s, size_t n, int lf_ok)
{
	const unsigned char *p;
	size_t i, len;
	uint32_t c;

	p = (const unsigned char *)s;
	for (i = 0; i < n; i += len) {
		if ((len = utf8_next(p + i, n - i, &c)) == 0)
			return 0;
		if (c == '\n' && lf_ok)
			continue;
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
			return 0;
	}
	return 1;
}

static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

static void
tohex(const unsigned char *p, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
streq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static int
oneof(const char *s, size_t n, const char *const *list)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (streq(s, n, list[i]))
			return 1;
	return 0;
}

/* ---- section 1: keys ---- */

static int
k_keyname(const char *s, size_t n)
{
	if (n < 1 || n > MAXNAME || !utf8_clean(s, n, 0))
		return 0;
	return memchr(s, ' ', n) == NULL && memchr(s, '+', n) == NULL;
}

/* Parse a verifier key string "name+HASH+KEY" exactly as formatted. */
static int
parse_vkey(const char *v, size_t n, struct key *k)
{
	const char *p1, *p2, *end;
	unsigned char raw[33];
	size_t i, rawlen;
	uint32_t h;

	end = v + n;
	if ((p1 = memchr(v, '+', n)) == NULL ||
	    (p2 = memchr(p1 + 1, '+', (size_t)(end - p1 - 1))) == NULL)
		return -1;
	if (!k_keyname(v, (size_t)(p1 - v)) || p2 - p1 - 1 != 8 ||
	    end - p2 - 1 != 44)
		return -1;
	for (h = 0, i = 1; i <= 8; i++) {
		if (p1[i] >= '0' && p1[i] <= '9')
			h = h << 4 | (uint32_t)(p1[i] - '0');
		else if (p1[i] >= 'a' && p1[i] <= 'f')
			h = h << 4 | (uint32_t)(p1[i] - 'a' + 10);
		else
			return -1;
	}
	if (b64_decode(p2 + 1, 44, raw, &rawlen) != 0 || rawlen != 33 ||
	    raw[0] != 0x01)
		return -1;
	memset(k, 0, sizeof(*k));
	memcpy(k->name, v, (size_t)(p1 - v));
	memcpy(k->pub, raw + 1, 32);
	k->hash = keyhash(v, (size_t)(p1 - v), k->pub);
	return k->hash == h ? 0 : -1;
}

/* ---- section 2: signed notes ---- */

static void
note_free(struct note *nt)
{
	size_t i;

	for (i = 0; i < nt->nsigs; i++)
		free(nt->sigs[i].raw);
	nt->nsigs = 0;
}

/* One line "— NAME SIG" (without its LF). */
static int
parse_sigline(const char *s, size_t n, struct sig *sg)
{
	static const char dash[] = "\xe2\x80\x94 ";
	const char *sp, *b;
	size_t blen;

	if (n < 4 || memcmp(s, dash, 4) != 0)
		return -1;
	s += 4;
	n -= 4;
	if ((sp = memchr(s, ' ', n)) == NULL || !k_keyname(s, (size_t)(sp - s)))
		return -1;
	b = sp + 1;
	blen = n - (size_t)(b - s);
	if ((sg->raw = malloc(blen / 4 * 3 + 1)) == NULL)
		return -1;
	if (b64_decode(b, blen, sg->raw, &sg->rawlen) != 0 ||
	    sg->rawlen < 5) {
		free(sg->raw);
		sg->raw = NULL;
		return -1;
	}
	sg->name = s;
	sg->namelen = (size_t)(sp - s);
	return 0;
}

static int
parse_sigs(const char *s, const char *end, struct note *nt, char *err)
{
	const char *nl;

	for (; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nt->nsigs == MAXSIGS)
			return seterr(err, "note has more than %d signatures",
			    MAXSIGS);
		if (parse_sigline(s, (size_t)(nl - s),
		    &nt->sigs[nt->nsigs]) != 0)
			return seterr(err, "malformed signature line %zu",
			    nt->nsigs + 1);
		nt->nsigs++;
	}
	if (nt->nsigs == 0)
		return seterr(err, "note has no signature");
	return 0;
}

static int
parse_note(const unsigned char *p, size_t n, struct note *nt, char *err)
{
	size_t i;

	memset(nt, 0, sizeof(*nt));
	if (n == 0 || p[n - 1] != '\n')
		return seterr(err, "note does not end in a newline");
	if (!utf8_clean((const char *)p, n, 1))
		return seterr(err,
		    "note has invalid UTF-8 or a control character");
	for (i = n - 1; i > 0; i--)
		if (p[i - 1] == '\n' && p[i] == '\n')
			break;
	if (i == 0)
		return seterr(err, "note has no empty line before signatures");
	nt->text = p;
	nt->textlen = i;
	if (parse_sigs((const char *)p + i + 1, (const char *)p + n, nt,
	    err) != 0) {
		note_free(nt);
		return -1;
	}
	return 0;
}

/* ---- section 4: value kinds ---- */

static int
k_id(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '\0' || strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789._-/", s[i]) == NULL)
			return 0;
	return 1;
}

static int
k_text(const char *s, size_t n)
{
	return n >= 1 && n <= 256 && s[0] != ' ' && s[n - 1] != ' ' &&
	    utf8_clean(s, n, 0);
}

/*
 * A positive decimal: integer part without leading zeros, then optionally
 * '.' and 1 to maxdec digits (with no trailing zero if strict).
 */
static int
decimal(const char *s, size_t n, size_t maxdec, int strict)
{
	const char *dot;
	size_t ilen, flen;

	dot = memchr(s, '.', n);
	ilen = dot != NULL ? (size_t)(dot - s) : n;
	flen = dot != NULL ? n - ilen - 1 : 0;
	if (!digits(s, ilen) || (ilen > 1 && s[0] == '0'))
		return 0;
	if (dot != NULL && (!digits(dot + 1, flen) || flen > maxdec ||
	    (strict && dot[flen] == '0')))
		return 0;
	return strspn(s, "0.") < n;	/* not zero */
}

static int
k_amount(const char *s, size_t n)
{
	return decimal(s, n, 4, 0);
}

static int
k_samount(const char *s, size_t n)
{
	if (n > 0 && s[0] == '-')
		return decimal(s + 1, n - 1, 4, 0);
	return decimal(s, n, 4, 0);
}

static int
k_rate(const char *s, size_t n)
{
	return decimal(s, n, 12, 1);
}

static int
upper(const char *s, size_t n, size_t want)
{
	size_t i;

	if (n != want)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return 1;
}

static int
k_currency(const char *s, size_t n)
{
	return upper(s, n, 3) && !oneof(s, n, nominor);
}

static int
k_country(const char *s, size_t n)
{
	return upper(s, n, 2);
}

static int
k_date(const char *s, size_t n)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, m, d, leap;

	if (n != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2))
		return 0;
	y = atoi(s);
	m = (s[5] - '0') * 10 + s[6] - '0';
	d = (s[8] - '0') * 10 + s[9] - '0';
	if (y < 1970 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

/* Section 3: YYYY-MM-DDTHH:MM:SSZ. */
static int
time_ok(const char *s, size_t n)
{
	if (n != TIMELEN || !k_date(s, 10) || s[10] != 'T' ||
	    !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2) ||
	    s[16] != ':' || !digits(s + 17, 2) || s[19] != 'Z')
		return 0;
	return (s[11] - '0') * 10 + s[12] - '0' < 24 && s[14] < '6' &&
	    s[17] < '6';
}

static int
k_uint(const char *s, size_t n)
{
	return digits(s, n) && (n == 1 || s[0] != '0');
}

static int
k_vkey(const char *s, size_t n)
{
	struct key k;

	return parse_vkey(s, n, &k) == 0;
}

static int
k_role(const char *s, size_t n)
{
	return streq(s, n, "admin") || streq(s, n, "approver") ||
	    streq(s, n, "recorder");
}

static int
k_donorkind(const char *s, size_t n)
{
	return oneof(s, n, donorkinds);
}

static int
k_bool(const char *s, size_t n)
{
	return streq(s, n, "yes") || streq(s, n, "no");
}

/* Comma-separated purposes in table order, each with ":uint" if counts. */
static int
purposelist(const char *s, size_t n, int counts)
{
	const char *end, *item, *colon;
	size_t next, i, len;

	end = s + n;
	for (next = 0, item = s; item <= end; item += len + 1) {
		len = (size_t)(end - item);
		if (memchr(item, ',', len) != NULL)
			len = (size_t)((const char *)memchr(item, ',', len) -
			    item);
		colon = memchr(item, ':', len);
		if ((colon != NULL) != counts || (counts &&
		    !k_uint(colon + 1, (size_t)(item + len - colon - 1))))
			return 0;
		for (i = next; purposes[i] != NULL; i++)
			if (streq(item, counts ? (size_t)(colon - item) : len,
			    purposes[i]))
				break;
		if (purposes[i] == NULL)
			return 0;
		next = i + 1;
	}
	return 1;
}

static int
k_purposes(const char *s, size_t n)
{
	return purposelist(s, n, 0);
}

static int
k_services(const char *s, size_t n)
{
	return purposelist(s, n, 1);
}

/* ---- section 3: entries ---- */

static int
parse_field(const char *s, size_t n, struct field *f, char *err)
{
	const char *colon;
	size_t i;

	colon = memchr(s, ':', n);
	if (colon == NULL || colon == s || (size_t)(colon - s) + 2 > n ||
	    colon[1] != ' ')
		return seterr(err, "line '%.*s' is not 'name: value'",
		    (int)(n < 40 ? n : 40), s);
	f->name = s;
	f->namelen = (size_t)(colon - s);
	for (i = 0; i < f->namelen; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789-", s[i]) ==
		    NULL)
			return seterr(err, "bad field name '%.*s'",
			    (int)f->namelen, s);
	f->val = colon + 2;
	f->vallen = n - f->namelen - 2;
	if (f->vallen < 1 || f->vallen > MAXVALUE || f->val[0] == ' ' ||
	    f->val[f->vallen - 1] == ' ' || !utf8_clean(f->val, f->vallen, 0))
		return seterr(err, "field '%.*s' has a malformed value",
		    (int)f->namelen, s);
	return 0;
}

static int
parse_entry(const unsigned char *text, size_t n, struct entry *e,
    char *err)
{
	static const char magic[] = "tfledger entry v2\n";
	const char *s, *end, *nl;

	s = (const char *)text;
	end = s + n;
	if (n < sizeof(magic) - 1 || memcmp(s, magic, sizeof(magic) - 1) != 0)
		return seterr(err, "first line is not 'tfledger entry v2'");
	e->nf = 0;
	for (s += sizeof(magic) - 1; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl - s > MAXLINE)
			return seterr(err, "line longer than %d bytes",
			    MAXLINE);
		if (e->nf == MAXFIELDS)
			return seterr(err, "too many fields");
		if (parse_field(s, (size_t)(nl - s), &e->f[e->nf], err) != 0)
			return -1;
		e->nf++;
	}
	return 0;
}

static const struct field *
field_get(const struct entry *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->nf; i++)
		if (streq(e->f[i].name, e->f[i].namelen, name))
			return &e->f[i];
	return NULL;
}

static const struct etype *
etype_get(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(etypes) / sizeof(etypes[0]); i++)
		if (streq(s, n, etypes[i].type))
			return &etypes[i];
	return NULL;
}

static const struct kind *
kind_get(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (streq(s, n, kinds[i].name))
			return &kinds[i];
	fprintf(stderr, "%s: internal: unknown kind %.*s\n", PROG, (int)n, s);
	exit(2);
}

/* origin, seq and the header field names. */
static int
check_header1(struct ledger *lg, size_t seq, const struct entry *e,
    char *err)
{
	static const char *const hdr[HDRFIELDS] = { "origin", "seq", "time",
	    "prev", "type" };
	const struct field *f;
	char want[32];
	size_t i;

	for (i = 0; i < HDRFIELDS; i++)
		if (i >= e->nf || !streq(e->f[i].name, e->f[i].namelen,
		    hdr[i]))
			return seterr(err, "header line %zu is not '%s'",
			    i + 2, hdr[i]);
	f = &e->f[0];
	if (seq == 0) {
		memcpy(lg->origin, f->val, f->vallen);
		lg->origin[f->vallen] = '\0';
	} else if (!streq(f->val, f->vallen, lg->origin))
		return seterr(err, "origin '%.*s' differs from genesis's",
		    (int)f->vallen, f->val);
	f = &e->f[1];
	snprintf(want, sizeof(want), "%zu", seq);
	if (!streq(f->val, f->vallen, want))
		return seterr(err, "seq is '%.*s', expected %s",
		    (int)f->vallen, f->val, want);
	return 0;
}

/* time, prev and type. */
static int
check_header2(struct ledger *lg, size_t seq, const struct entry *e,
    const struct etype **tp, char *err)
{
	const struct field *f;
	char hex[65];

	f = &e->f[2];
	if (!time_ok(f->val, f->vallen))
		return seterr(err, "malformed time '%.*s'", (int)f->vallen,
		    f->val);
	if (seq > 0 && memcmp(f->val, lg->time, TIMELEN) < 0)
		return seterr(err, "time %.20s is before the previous %s",
		    f->val, lg->time);
	memcpy(lg->time, f->val, TIMELEN);
	lg->time[TIMELEN] = '\0';
	f = &e->f[3];
	tohex(lg->prev, 32, hex);
	if (!streq(f->val, f->vallen, hex))
		return seterr(err, "prev is not the chain hash of entry %zu "
		    "(want %s)", seq - 1, hex);
	f = &e->f[4];
	if ((*tp = etype_get(f->val, f->vallen)) == NULL)
		return seterr(err, "unknown type '%.*s'", (int)f->vallen,
		    f->val);
	if ((seq == 0) != (strcmp((*tp)->type, "genesis") == 0))
		return seterr(err, seq == 0 ? "entry 0 is not a genesis" :
		    "genesis entry after entry 0");
	return 0;
}

/* Match the fields after the header against the type's schema. */
static int
check_fields(const struct etype *t, const struct entry *e, char *err)
{
	const char *s, *colon, *end;
	const struct field *f;
	const struct kind *k;
	size_t i, nlen;
	int opt;

	i = HDRFIELDS;
	for (s = t->fields; *s != '\0'; s = *end == ' ' ? end + 1 : end) {
		end = s + strcspn(s, " ");
		colon = strchr(s, ':');
		opt = colon[-1] == '?';
		nlen = (size_t)(colon - s) - (size_t)opt;
		f = i < e->nf ? &e->f[i] : NULL;
		if (f == NULL || f->namelen != nlen ||
		    memcmp(f->name, s, nlen) != 0) {
			if (opt)
				continue;
			return seterr(err, "missing field '%.*s'", (int)nlen,
			    s);
		}
		k = kind_get(colon + 1, (size_t)(end - colon - 1));
		if (!k->ok(f->val, f->vallen))
			return seterr(err, "field '%.*s' is not a valid %s",
			    (int)nlen, s, k->name);
		i++;
	}
	if (i < e->nf)
		return seterr(err, "unexpected field '%.*s'",
		    (int)e->f[i].namelen, e->f[i].name);
	return 0;
}

/* ---- section 5 and 8: signers and the key history ---- */

static struct key *
key_find(struct ledger *lg, const char *name, size_t namelen)
{
	size_t i;

	for (i = 0; i < lg->nkeys; i++)
		if (streq(name, namelen, lg->keys[i].name))
			return &lg->keys[i];
	return NULL;
}

static int
sig_by(const struct sig *sg, const struct key *k, const struct note *nt)
{
	uint32_t h;

	h = (uint32_t)sg->raw[0] << 24 | (uint32_t)sg->raw[1] << 16 |
	    (uint32_t)sg->raw[2] << 8 | sg->raw[3];
	if (!streq(sg->name, sg->namelen, k->name) || h != k->hash)
		return 0;		/* not this key's line */
	if (sg->rawlen != 68 || !ed25519_ok(k->pub, sg->raw + 4, nt->text,
	    nt->textlen))
		return -1;
	return 1;
}

static int
check_signer(struct ledger *lg, size_t seq, const struct etype *t,
    const struct entry *e, const struct note *nt, char *err)
{
	const struct field *f;
	const struct sig *sg;
	struct key gk, *k;
	int r;

	sg = &nt->sigs[0];
	if (seq == 0) {
		f = field_get(e, "admin-key");
		if (parse_vkey(f->val, f->vallen, &gk) != 0)
			return seterr(err, "bad admin-key");
		k = &gk;
	} else if ((k = key_find(lg, sg->name, sg->namelen)) == NULL)
		return seterr(err, "signed by '%.*s', which is not enrolled",
		    (int)sg->namelen, sg->name);
	if ((r = sig_by(sg, k, nt)) == 0)
		return seterr(err, "not signed by %s key '%s'",
		    seq == 0 ? "its admin" : "the enrolled", k->name);
	if (r < 0)
		return seterr(err, "bad signature by '%s'", k->name);
	if (k->revoked)
		return seterr(err, "signed by revoked key '%s'", k->name);
	if (seq > 0 && k->role != t->role)
		return seterr(err, "key '%s' has role %s, %s needs %s",
		    k->name, rolenames[k->role], t->type,
		    rolenames[t->role]);
	return 0;
}

static int
enroll(struct ledger *lg, const struct field *f, enum role role,
    char *err)
{
	struct key k;

	if (parse_vkey(f->val, f->vallen, &k) != 0)
		return seterr(err, "bad verifier key");
	if (key_find(lg, k.name, strlen(k.name)) != NULL)
		return seterr(err, "key name '%s' was already enrolled",
		    k.name);
	k.role = role;
	lg->keys[lg->nkeys++] = k;
	return 0;
}

static int
revoke(struct ledger *lg, const struct field *f, char *err)
{
	struct key *k;
	size_t i, admins;

	if ((k = key_find(lg, f->val, f->vallen)) == NULL)
		return seterr(err, "revokes '%.*s', which is not enrolled",
		    (int)f->vallen, f->val);
	if (k->revoked)
		return seterr(err, "key '%s' is already revoked", k->name);
	for (admins = i = 0; i < lg->nkeys; i++)
		if (lg->keys[i].role == R_ADMIN && !lg->keys[i].revoked)
			admins++;
	if (k->role == R_ADMIN && admins == 1)
		return seterr(err, "revokes the last active admin key");
	k->revoked = 1;
	return 0;
}

static enum role
role_of(const struct field *f)
{
	if (streq(f->val, f->vallen, "admin"))
		return R_ADMIN;
	if (streq(f->val, f->vallen, "approver"))
		return R_APPROVER;
	return R_RECORDER;
}

/* Apply genesis, key-enroll and key-revoke after the entry is accepted. */
static int
apply_keys(struct ledger *lg, const struct etype *t,
    const struct entry *e, char *err)
{
	if (strcmp(t->type, "genesis") == 0) {
		if (enroll(lg, field_get(e, "admin-key"), R_ADMIN, err) != 0)
			return -1;
		return parse_vkey(field_get(e, "log-key")->val,
		    field_get(e, "log-key")->vallen, &lg->logkey) == 0 ? 0 :
		    seterr(err, "bad log-key");
	}
	if (strcmp(t->type, "key-enroll") == 0)
		return enroll(lg, field_get(e, "key"),
		    role_of(field_get(e, "role")), err);
	if (strcmp(t->type, "key-revoke") == 0)
		return revoke(lg, field_get(e, "name"), err);
	return 0;
}

/*
 * Section 3: SHA-256(0x02 || TEXT || signer's name || 0x0A || its 4-byte
 * key hash), of the one signature line.
 */
static void
chain_hash(const struct note *nt, unsigned char out[32])
{
	static const unsigned char two = 0x02, lf = 0x0a;
	EVP_MD_CTX *ctx;

	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, &two, 1) != 1 ||
	    EVP_DigestUpdate(ctx, nt->text, nt->textlen) != 1 ||
	    EVP_DigestUpdate(ctx, nt->sigs[0].name, nt->sigs[0].namelen) != 1 ||
	    EVP_DigestUpdate(ctx, &lf, 1) != 1 ||
	    EVP_DigestUpdate(ctx, nt->sigs[0].raw, 4) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, NULL) != 1) {
		fprintf(stderr, "%s: SHA-256 failed\n", PROG);
		exit(2);
	}
	EVP_MD_CTX_free(ctx);
}

static int
verify_entry(struct ledger *lg, size_t seq, const unsigned char *p,
    size_t len, char *err)
{
	static const unsigned char zero = 0x00;
	const struct etype *t;
	struct note nt;
	struct entry e;
	int rc;

	if (parse_note(p, len, &nt, err) != 0)
		return -1;
	rc = -1;
	t = NULL;
	if (nt.nsigs != 1)
		seterr(err, "entry has %zu signatures, not one", nt.nsigs);
	else if (parse_entry(nt.text, nt.textlen, &e, err) == 0 &&
	    check_header1(lg, seq, &e, err) == 0 &&
	    check_header2(lg, seq, &e, &t, err) == 0 &&
	    check_fields(t, &e, err) == 0 &&
	    check_signer(lg, seq, t, &e, &nt, err) == 0 &&
	    apply_keys(lg, t, &e, err) == 0) {
		sha256_2(&zero, 1, p, len, lg->leaves[lg->nleaves++]);
		chain_hash(&nt, lg->prev);
		rc = 0;
	}
	note_free(&nt);
	return rc;
}

/* ---- sections 6 and 7: tree and checkpoint ---- */

/* RFC 9162 MTH over n leaf hashes. */
static void
mth(unsigned char (*d)[32], size_t n, unsigned char out[32])
{
	unsigned char buf[65];
	size_t k;

	if (n == 0) {
		sha256_2("", 0, "", 0, out);
		return;
	}
	if (n == 1) {
		memcpy(out, d[0], 32);
		return;
	}
	for (k = 1; k < n; k <<= 1)
		;
	k >>= 1;		/* the largest power of two smaller than n */
	buf[0] = 0x01;
	mth(d, k, buf + 1);
	mth(d + k, n - k, buf + 33);
	sha256_2(buf, 1, buf + 1, 64, out);
}

static int
parse_cp_text(const struct note *nt, struct checkpoint *cp, char *err)
{
	const char *s, *end, *l2, *l3, *l4;
	unsigned char root[33];
	size_t rlen, i;

	s = (const char *)nt->text;
	end = s + nt->textlen;
	if ((l2 = memchr(s, '\n', nt->textlen)) == NULL ||
	    (l3 = memchr(l2 + 1, '\n', (size_t)(end - l2 - 1))) == NULL ||
	    (l4 = memchr(l3 + 1, '\n', (size_t)(end - l3 - 1))) == NULL)
		return seterr(err, "fewer than three lines");
	l2++, l3++, l4++;
	for (i = 1; i < nt->textlen; i++)
		if (s[i] == '\n' && s[i - 1] == '\n')
			return seterr(err, "empty line in the text");
	if (s[0] == '\n')
		return seterr(err, "empty origin");
	cp->origin = s;
	cp->originlen = (size_t)(l2 - s - 1);
	if (!k_uint(l2, (size_t)(l3 - l2 - 1)) || l3 - l2 - 1 > 19)
		return seterr(err, "malformed size '%.*s'",
		    (int)(l3 - l2 - 1), l2);
	cp->size = (size_t)strtoull(l2, NULL, 10);
	if (l4 - l3 - 1 != 44 ||
	    b64_decode(l3, 44, root, &rlen) != 0 || rlen != 32)
		return seterr(err, "malformed root hash");
	memcpy(cp->root, root, 32);
	return 0;
}

static int
check_cp_sig(const struct ledger *lg, const struct note *nt, char *err)
{
	size_t i;
	int r, good;

	for (good = 0, i = 0; i < nt->nsigs; i++) {
		if ((r = sig_by(&nt->sigs[i], &lg->logkey, nt)) < 0)
			return seterr(err, "bad signature by log key '%s'",
			    lg->logkey.name);
		good += r;
	}
	if (good == 0)
		return seterr(err, "not signed by log key '%s'",
		    lg->logkey.name);
	return 0;
}

static int
verify_checkpoint(struct ledger *lg, const unsigned char *p, size_t len,
    char *err)
{
	struct checkpoint cp;
	struct note nt;
	unsigned char root[32];
	int rc;

	if (parse_note(p, len, &nt, err) != 0)
		return -1;
	rc = -1;
	if (parse_cp_text(&nt, &cp, err) != 0 ||
	    check_cp_sig(lg, &nt, err) != 0)
		goto out;
	if (!streq(cp.origin, cp.originlen, lg->origin)) {
		seterr(err, "origin '%.*s' is not the ledger's",
		    (int)cp.originlen, cp.origin);
		goto out;
	}
	if (cp.size > lg->nleaves) {
		seterr(err, "size %zu exceeds the %zu entries given: entries "
		    "were removed", cp.size, lg->nleaves);
		goto out;
	}
	mth(lg->leaves, cp.size, root);
	if (memcmp(root, cp.root, 32) != 0)
		seterr(err, "root does not match the first %zu entries",
		    cp.size);
	else
		rc = 0;
out:
	note_free(&nt);
	return rc;
}

/* ---- main ---- */

static unsigned char *
read_file(const char *path, size_t *lenp)
{
	FILE *fp;
	unsigned char *p, *np;
	size_t len, cap, r;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	p = NULL;
	len = cap = 0;
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((np = realloc(p, cap)) == NULL) {
				free(p);
				fclose(fp);
				return NULL;
			}
			p = np;
		}
		r = fread(p + len, 1, cap - len, fp);
		len += r;
	} while (r > 0);
	if (ferror(fp)) {
		free(p);
		p = NULL;
	}
	fclose(fp);
	*lenp = len;
	return p;
}

/* Verify the entries, then the checkpoint; return the exit status. */
static int
run(struct ledger *lg, char **paths, size_t n)
{
	unsigned char *p, root[32];
	char err[ERRLEN], hex[65];
	const char *path;
	size_t len, i;
	int rc;

	/* paths[0] is the checkpoint, read last; paths[1..n] the entries. */
	for (i = 0; i <= n; i++) {
		path = i < n ? paths[i + 1] : paths[0];
		if ((p = read_file(path, &len)) == NULL) {
			fprintf(stderr, "%s: %s: %s\n", PROG, path,
			    strerror(errno));
			return 2;
		}
		if (i < n)
			rc = verify_entry(lg, i, p, len, err);
		else
			rc = verify_checkpoint(lg, p, len, err);
		free(p);
		if (rc != 0 && i < n) {
			fprintf(stderr, "%s: entry %zu: %s\n", PROG, i, err);
			return 1;
		} else if (rc != 0) {
			fprintf(stderr, "%s: checkpoint: %s\n", PROG, err);
			return 1;
		}
	}
	mth(lg->leaves, n, root);
	tohex(root, 32, hex);
	printf("ok: %zu entries, root %s\n", n, hex);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct ledger lg;
	size_t n;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: %s CHECKPOINT ENTRY0 [ENTRY1 ...]\n",
		    PROG);
		return 2;
	}
	n = (size_t)argc - 2;
	memset(&lg, 0, sizeof(lg));
	lg.keys = calloc(n, sizeof(*lg.keys));
	lg.leaves = calloc(n, sizeof(*lg.leaves));
	if (lg.keys == NULL || lg.leaves == NULL) {
		fprintf(stderr, "%s: out of memory\n", PROG);
		rc = 2;
	} else
		rc = run(&lg, argv + 1, n);
	free(lg.keys);
	free(lg.leaves);
	return rc;
}
