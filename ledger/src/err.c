/*
 * err.c - the caller-owned error record and the exit-code mapping.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tfledger/err.h"

#undef tfl_err_set /* the analyzer's stand-in (err.h) is not for here */

/*
 * The length of the well-formed UTF-8 sequence at s (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0.
 */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	for (i = 1; i < n; i++, lo = 0x80, hi = 0xbf)
		if (s[i] < lo || s[i] > hi)
			return 0; /* also stops at the NUL */
	return n;
}

/*
 * Messages quote hostile input (a date, a key, a CSV header) and go to a
 * terminal: show each control character (C0, DEL, and C1 as UTF-8 C2
 * 80..9F) and each byte that is not part of well-formed UTF-8 as one
 * '?', so that the message stays one harmless line of text.
 */
static void
one_line(char *msg)
{
	unsigned char *r = (unsigned char *)msg, *w = r;
	size_t n;

	while (*r != '\0') {
		n = utf8_len(r);
		if (n == 0 || *r < 0x20 || *r == 0x7f ||
		    (r[0] == 0xc2 && r[1] <= 0x9f)) {
			*w++ = '?';
			r += n > 0 ? n : 1; /* a C1 control: two bytes, one '?' */
		} else {
			memmove(w, r, n);
			w += n;
			r += n;
		}
	}
	*w = '\0';
}

int
tfl_err_set(tfl_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	one_line(err->msg);
	return code;
}

int
tfl_err_prefix(tfl_err *err, const char *fmt, ...)
{
	char old[TFL_ERR_MSG_MAX];
	va_list ap;
	int n;

	if (err == NULL)
		return 0;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, ": %.*s",
		    (int)(sizeof(err->msg) - (size_t)n), old);
	one_line(err->msg);
	return err->code;
}

void
tfl_err_clear(tfl_err *err)
{
	if (err == NULL)
		return;
	err->code = TFL_OK;
	err->msg[0] = '\0';
}

int
tfl_exit_code(int rc)
{
	switch (rc) {
	case TFL_OK:
		return 0;
	case TFL_EVERIFY:
		return 1;
	case TFL_ENOTFOUND:
	case TFL_EEXIST:
	case TFL_EINVAL:
	case TFL_ECONFIG:
	case TFL_EPASS:
		return 2;
	case TFL_ERULE:
		return 4;
	default:
		return 3;
	}
}

const char *
tfl_strerror(int rc)
{
	switch (rc) {
	case TFL_OK:		return "success";
	case TFL_ENOTFOUND:	return "not found";
	case TFL_EEXIST:	return "already exists";
	case TFL_EINVAL:	return "invalid input";
	case TFL_EIO:		return "storage or i/o error";
	case TFL_ECRYPTO:	return "crypto library error";
	case TFL_EVERIFY:	return "verification failed";
	case TFL_ERULE:		return "refused by a ledger rule";
	case TFL_ECONFIG:	return "malformed configuration";
	case TFL_ENOMEM:	return "out of memory";
	case TFL_EPASS:		return "wrong passphrase";
	case TFL_EFULL:		return "storage map full";
	default:		return "unknown error";
	}
}
