/*
 * testutil.h - helpers shared by the Check suites.
 */
#ifndef TFLEDGER_TESTUTIL_H
#define TFLEDGER_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>
#include <jansson.h>

#include "tfledger/entry.h"
#include "tfledger/fund.h"
#include "tfledger/keys.h"
#include "tfledger/ledger.h"

/* Path of a file under the shared vectors, e.g. "merkle/derived/x.json". */
const char *tu_vector_path(const char *rel);

/* Load a JSON file (aborts the test on failure).  Caller json_decref()s. */
json_t *tu_json_load(const char *path);

/* A whole file in a malloc'd NUL-terminated buffer; aborts on failure. */
char *tu_read_file(const char *path, size_t *len);

/* Make a fresh temporary directory; returns a malloc'd path. */
char *tu_tmpdir(void);

/* Remove a directory tree made by tu_tmpdir; NULL is a no-op. */
void tu_rmtree(const char *path);

/* Decode lowercase hex of len bytes into out; aborts the test on failure. */
void tu_unhex(uint8_t *out, size_t len, const char *hex);

/* Decode standard base64 into out (capacity cap); returns the length. */
size_t tu_unb64(uint8_t *out, size_t cap, const char *b64);

/* Run a suite, print Check's summary, return the number of failures. */
int tu_run(Suite *s);

/*
 * Ledger fixtures.  Every helper below aborts the test (a failed Check
 * assertion naming the library's message) when a call it makes fails,
 * unless it returns a status.
 */

/* A new key named name.  Caller frees with tfl_key_free. */
tfl_key *tu_key_new(const char *name);

/*
 * The verifier key string of k ("name+hash+key"), in a static buffer
 * that the next call overwrites.
 */
const char *tu_vkey(const tfl_key *k);

/*
 * A new entry of type with fields set from the field, value pairs that
 * follow, ended by a NULL field; a NULL value leaves its field out.
 * Caller frees with tfl_entry_free.
 */
tfl_entry *tu_entry_new(int type, ...);

/* A key-enroll entry of k in role.  Caller frees. */
tfl_entry *tu_entry_enroll(const tfl_key *k, const char *role);

/* An approval entry of entry seq.  Caller frees. */
tfl_entry *tu_entry_approval(uint64_t seq);

/* Entry seq of l as stored, decoded.  Caller frees with tfl_entry_free. */
tfl_entry *tu_entry_read(tfl_ledger *l, uint64_t seq);

/*
 * Append es[0..n) to l signed by k at time now, then free them whatever
 * the outcome.  On success *out (if not NULL) is the seq of the last
 * one.  Returns tfl_ledger_append's status, its message in err.
 */
int tu_append(uint64_t *out, tfl_ledger *l, const tfl_key *k, int64_t now,
    tfl_entry **es, size_t n, tfl_err *err);

/* The number of entries in l. */
uint64_t tu_ledger_size(tfl_ledger *l);

/* Verify the whole of l, which must hold (bad_seq UINT64_MAX); the report. */
tfl_verify_report tu_verify_ok(tfl_ledger *l);

/* The pool of earmark ("" for unearmarked money) in l's state now. */
tfl_fund_pool tu_pool(tfl_ledger *l, const char *earmark);

/* Donor id in l's state now; it must exist. */
tfl_fund_donor tu_donor(tfl_ledger *l, const char *id);

/* Grant id in l's state now; it must exist. */
tfl_fund_grant tu_grant(tfl_ledger *l, const char *id);

/*
 * A ledger in a fresh directory, with the keys admin.test, recorder.test
 * and approver.test.  clock is the time of the last entry tu_put made (or
 * of the fixture's last); a test may move it.  Owned by the test: open
 * with tu_ledger_open, release with tu_ledger_close.
 */
struct tu_ledger {
	char *dir;
	tfl_ledger *led;
	tfl_key *admin, *rec, *appr;
	int64_t clock;
};

/* The keys tu_ledger_open enrols, in this order, a second apart. */
/* clang-format off */
#define TU_ENROLL_RECORDER	0x1	/* rec, role recorder */
#define TU_ENROLL_APPROVER	0x2	/* appr, role approver */
/* clang-format on */

/*
 * Open a fixture into tl: a fresh directory and keys, and in it the
 * ledger g describes, its genesis signed by tl->admin at t0; then the
 * keys enroll names (TU_ENROLL_*, 0 for none), each enrolled by
 * tl->admin a second after the entry before.  tl->clock is the time of
 * the last entry.
 */
void tu_ledger_open(struct tu_ledger *tl, const tfl_genesis *g, int64_t t0,
    unsigned enroll);

/*
 * Create in dir the ledger that tu_ledger_open would, with tl's keys, and
 * return it (the caller closes it); tl is left as it is.  Made twice
 * from the same keys and arguments, two ledgers are the same entry for
 * entry (Ed25519 signatures are deterministic).
 */
tfl_ledger *tu_ledger_create(const struct tu_ledger *tl, const char *dir,
    const tfl_genesis *g, int64_t t0, unsigned enroll);

/*
 * Close tl's ledger, free its keys, remove and free its directory, and
 * zero tl.  A zeroed tl (never opened) or NULL is a no-op.
 */
void tu_ledger_close(struct tu_ledger *tl);

/*
 * Append e to tl's ledger signed by k at time now, which must succeed,
 * and free e; the entry's seq.  tl->clock is left as it is.
 */
uint64_t tu_put_at(struct tu_ledger *tl, const tfl_key *k, int64_t now,
    tfl_entry *e);

/* As tu_put_at, a second after tl->clock, which moves on to that time. */
uint64_t tu_put(struct tu_ledger *tl, const tfl_key *k, tfl_entry *e);

#endif
