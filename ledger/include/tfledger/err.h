/*
 * tfledger/err.h - status codes and the caller-owned error record.
 *
 * Every library call that can fail returns an int: 0 on success or one of
 * the negative TFL_E* codes below, and fills the caller's tfl_err with a
 * one-line, lower-case message naming the object and the value.  No call
 * prints, exits or keeps a hidden "last error".
 */
#ifndef TFLEDGER_ERR_H
#define TFLEDGER_ERR_H

#include <stddef.h>

/* clang-format off */
#define TFL_OK		 0
#define TFL_ENOTFOUND	(-1)	/* no such entry, key, record or file */
#define TFL_EEXIST	(-2)	/* already exists (ledger, key, id) */
#define TFL_EINVAL	(-3)	/* invalid input: bad field, value or format */
#define TFL_EIO		(-4)	/* storage or I/O failure (LMDB, errno) */
#define TFL_ECRYPTO	(-5)	/* OpenSSL failure, or a wrong passphrase */
#define TFL_EVERIFY	(-6)	/* verification found a problem */
#define TFL_ERULE	(-7)	/* refused by a ledger rule */
#define TFL_ECONFIG	(-8)	/* malformed configuration */
#define TFL_ENOMEM	(-9)	/* out of memory */
#define TFL_EPASS	(-10)	/* wrong passphrase (no detail given) */
#define TFL_EFULL	(-11)	/* LMDB map full: grow it and retry */
/* clang-format on */

#define TFL_ERR_MSG_MAX 512

/* A caller-owned error record: the code of the failure and its message. */
typedef struct tfl_err {
	int code;
	char msg[TFL_ERR_MSG_MAX];
} tfl_err;

#define TFL_ERR_INIT { 0, { 0 } }

/*
 * Fill err (which may be NULL) with code and a printf-style message.
 * Control characters in the message (C0, DEL, C1), as quoted input may
 * hold, are shown as '?', so that it stays one line.  Returns code, so
 * that callers can write `return tfl_err_set(...)`.
 */
int tfl_err_set(tfl_err *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#if defined(__clang_analyzer__)
/*
 * For `make lint` only: the static analyzer sees one file at a time, so
 * it would take `return tfl_err_set(...)` for a possible success and
 * report the paths that follow.  This tells it the call returns code.
 */
#define tfl_err_set(err, code, ...) \
	((void)(tfl_err_set)((err), (code), __VA_ARGS__), (code))
#endif

/*
 * Prefix err's message with "prefix: ", keeping its code, controls shown
 * as by tfl_err_set.  Returns the code.  Used to add context ("seq 42:
 * ...") on the way up.
 */
int tfl_err_prefix(tfl_err *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Clear err to TFL_OK with an empty message.  NULL is a no-op. */
void tfl_err_clear(tfl_err *err);

/*
 * The documented exit code of both tools for status rc:
 * 0 success; 1 verification found a problem; 2 usage error or invalid
 * input (also not found, exists, config, wrong passphrase); 3 storage,
 * I/O, crypto library or memory error; 4 refused by a ledger rule.
 */
int tfl_exit_code(int rc);

/* A short constant name for a status code ("invalid input", ...). */
const char *tfl_strerror(int rc);

#endif
