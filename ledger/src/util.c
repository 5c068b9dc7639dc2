/*
 * util.c - hashing, hex, base64, number and UTF-8 helpers (internal.h).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "internal.h"
#include "tfledger/keys.h"

static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void
sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

/*
 * Fetched once for the life of the process: EVP_sha256() makes OpenSSL 3
 * look the implementation up again at every EVP_DigestInit_ex, which cost
 * more than hashing an entry.  Never freed; OpenSSL holds its own copy of
 * it until exit.
 */
const EVP_MD *
tfl__sha256_md(void)
{
	pthread_once(&sha256_once, sha256_fetch);
	if (sha256_md == NULL)
		abort(); /* only when OpenSSL cannot allocate */
	return sha256_md;
}

void
tfl__sha256_parts(uint8_t out[TFL__SHA256_SIZE], const void *const *part,
    const size_t *len, size_t n)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int outlen = 0;
	size_t i;
	int ok;

	ok = md != NULL && EVP_DigestInit_ex(md, tfl__sha256_md(), NULL) == 1;
	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(md, part[i], len[i]) == 1;
	ok = ok && EVP_DigestFinal_ex(md, out, &outlen) == 1;
	EVP_MD_CTX_free(md);
	if (!ok)
		abort();
}

void
tfl__sha256(uint8_t out[TFL__SHA256_SIZE], const void *data, size_t len)
{
	unsigned int n = 0;

	/* EVP_Digest fails only on allocation failure inside OpenSSL. */
	if (EVP_Digest(data, len, out, &n, tfl__sha256_md(), NULL) != 1)
		abort();
}

char *
tfl__cat(char *buf, size_t size, ...)
{
	const char *s;
	va_list ap;
	size_t n = 0, k;

	va_start(ap, size);
	while ((s = va_arg(ap, const char *)) != NULL && n < size - 1) {
		k = strlen(s);
		if (k > size - 1 - n)
			k = size - 1 - n;
		memcpy(buf + n, s, k);
		n += k;
	}
	va_end(ap);
	buf[n] = '\0';
	return buf;
}

int
tfl__account_under(const char *account, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(account, prefix, n) == 0 &&
	    (account[n] == '\0' || account[n] == ':');
}

enum tfl__acct
tfl__account_class(const char *account, const char **tail)
{
	/* clang-format off */
	static const struct {
		const char *prefix;
		enum tfl__acct acct;
	} chart[] = {
		{ "assets:cash", TFL__ACCT_CASH },
		{ "assets:receivable", TFL__ACCT_RECEIVABLE },
		{ "assets:advances", TFL__ACCT_ADVANCES },
		{ "memo:commitments", TFL__ACCT_COMMITMENTS },
		{ "income:contributions", TFL__ACCT_CONTRIBUTIONS },
		{ "income:interest", TFL__ACCT_INTEREST },
		{ "income:exchange-differences", TFL__ACCT_FX },
		{ "expenses:grants", TFL__ACCT_GRANTS },
		{ "expenses:psc", TFL__ACCT_PSC },
	};
	/* clang-format on */
	const char *rest;
	size_t i;

	for (i = 0; i < sizeof(chart) / sizeof(chart[0]); i++) {
		if (!tfl__account_under(account, chart[i].prefix))
			continue;
		rest = account + strlen(chart[i].prefix);
		if (tail != NULL)
			*tail = *rest == ':' ? rest + 1 : NULL;
		return chart[i].acct;
	}
	if (tail != NULL)
		*tail = NULL;
	return TFL__ACCT_OTHER;
}

void
tfl__put_be64(uint8_t out[8], uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		out[i] = (uint8_t)v;
		v >>= 8;
	}
}

uint64_t
tfl__get_be64(const uint8_t in[8])
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | in[i];
	return v;
}

char *
tfl__u64_dec(char out[21], uint64_t v)
{
	char tmp[20];
	size_t n = 0, i;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return out;
}

void
tfl__hex16(char out[17], uint64_t v)
{
	static const char digit[] = "0123456789abcdef";
	int i;

	for (i = 15; i >= 0; i--, v >>= 4)
		out[i] = digit[v & 15];
	out[16] = '\0';
}

void
tfl__hex_encode(char *out, const uint8_t *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
tfl__hex_decode(uint8_t *out, size_t len, const char *text, size_t textlen)
{
	size_t i;
	int hi, lo;

	if (textlen != 2 * len)
		return TFL_EINVAL;
	for (i = 0; i < len; i++) {
		hi = hexval(text[2 * i]);
		lo = hexval(text[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return TFL_EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

void
tfl__b64_encode(char *out, const uint8_t *in, size_t len)
{
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

static int
b64val(char c)
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
 * Written by hand rather than with EVP_DecodeBlock, which skips white
 * space, accepts non-zero trailing bits and reports padded lengths: we
 * need one canonical encoding.
 */
int
tfl__b64_decode(uint8_t *out, size_t cap, size_t *outlen, const char *text,
    size_t textlen)
{
	size_t i, n = 0, pad = 0;
	uint32_t acc;
	int v, j;

	if (textlen % 4 != 0)
		return TFL_EINVAL;
	if (textlen > 0 && text[textlen - 1] == '=')
		pad++;
	if (textlen > 1 && text[textlen - 2] == '=')
		pad++;
	if ((textlen / 4) * 3 - pad > cap)
		return TFL_EINVAL;
	for (i = 0; i < textlen; i += 4) {
		acc = 0;
		for (j = 0; j < 4; j++) {
			if (i + 4 == textlen && j >= 4 - (int)pad) {
				acc <<= 6;
				continue;
			}
			v = b64val(text[i + j]);
			if (v < 0)
				return TFL_EINVAL;
			acc = acc << 6 | (uint32_t)v;
		}
		out[n++] = (uint8_t)(acc >> 16);
		if (i + 4 < textlen || pad < 2)
			out[n++] = (uint8_t)(acc >> 8);
		if (i + 4 < textlen || pad < 1)
			out[n++] = (uint8_t)acc;
		if (i + 4 == textlen &&
		    ((pad == 1 && (acc & 0xff) != 0) ||
		    (pad == 2 && (acc & 0xffff) != 0)))
			return TFL_EINVAL;
	}
	*outlen = n;
	return 0;
}

int64_t
tfl__pow10(int n)
{
	int64_t v = 1;

	while (n-- > 0)
		v *= 10;
	return v;
}

int
tfl__parse_u64(uint64_t *out, const char *text, size_t len)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 20 || (len > 1 && text[0] == '0'))
		return TFL_EINVAL;
	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return TFL_EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(text[i] - '0')) / 10)
			return TFL_EINVAL;
		v = v * 10 + (uint64_t)(text[i] - '0');
	}
	*out = v;
	return 0;
}

int
tfl__utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;
	uint32_t cp, min;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			n = 1, cp = p[i] & 0x1f, min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			n = 2, cp = p[i] & 0x0f, min = 0x800;
		} else if ((p[i] & 0xf8) == 0xf0) {
			n = 3, cp = p[i] & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

int
tfl__text_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, ascii;

	/* Printable ASCII and LF, an entry's usual text, need no more. */
	for (ascii = 0; ascii < len; ascii++)
		if ((u[ascii] < 0x20 || u[ascii] > 0x7e) && u[ascii] != '\n')
			break;
	if (ascii == len)
		return 1;
	/* FORMAT.md section 2: no C0 but LF, no DEL, no C1 (C2 80..9F). */
	for (i = ascii; i < len; i++) {
		if ((u[i] < 0x20 && u[i] != '\n') || u[i] == 0x7f ||
		    (u[i] == 0xc2 && i + 1 < len && u[i + 1] >= 0x80 &&
		    u[i + 1] <= 0x9f))
			return 0;
	}
	return tfl__utf8_valid(s + ascii, len - ascii);
}

char *
tfl__strndup(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

int
tfl__ossl_err(tfl_err *err, int code, const char *what)
{
	char buf[256] = "unknown error";
	unsigned long e, first = 0;

	while ((e = ERR_get_error()) != 0) {
		if (first == 0)
			first = e;
	}
	if (first != 0)
		ERR_error_string_n(first, buf, sizeof(buf));
	return tfl_err_set(err, code, "%s: %s", what, buf);
}

void
tfl_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}
