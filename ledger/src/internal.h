/*
 * internal.h - tfl__ helpers shared across the library's files.
 * Not installed; nothing outside ledger/src includes it.
 */
#ifndef TFLEDGER_INTERNAL_H
#define TFLEDGER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tfledger/err.h"

#define TFL__SHA256_SIZE 32

/* SHA-256 of data through OpenSSL EVP.  Cannot fail short of a broken library. */
void tfl__sha256(uint8_t out[TFL__SHA256_SIZE], const void *data, size_t len);

/* Lowercase hex of len bytes into out, which must hold 2*len+1 bytes. */
void tfl__hex_encode(char *out, const uint8_t *in, size_t len);

/*
 * Decode exactly len bytes from lowercase hex text of length 2*len.
 * Uppercase is refused (one canonical form).  0 or TFL_EINVAL.
 */
int tfl__hex_decode(uint8_t *out, size_t len, const char *text, size_t textlen);

/* Standard padded base64 of len bytes; out holds 4*((len+2)/3)+1 bytes. */
void tfl__b64_encode(char *out, const uint8_t *in, size_t len);

/*
 * Decode standard padded base64 text into out (capacity cap); the decoded
 * length goes to *outlen.  Rejects non-canonical text (bad padding, stray
 * characters, non-zero trailing bits).  0 or TFL_EINVAL.
 */
int tfl__b64_decode(uint8_t *out, size_t cap, size_t *outlen, const char *text,
    size_t textlen);

/* Parse a decimal uint64 without sign, leading zeros or overflow. 0 or TFL_EINVAL. */
int tfl__parse_u64(uint64_t *out, const char *text, size_t len);

/* Nonzero when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int tfl__utf8_valid(const char *s, size_t len);

/* malloc/strdup returning NULL only on exhaustion; callers report TFL_ENOMEM. */
char *tfl__strndup(const char *s, size_t len);

/*
 * Translate the OpenSSL error queue into err with code, draining the
 * thread-local queue.  what names the operation.  Returns code.
 */
int tfl__ossl_err(tfl_err *err, int code, const char *what);

#endif
