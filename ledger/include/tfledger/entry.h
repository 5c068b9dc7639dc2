/*
 * tfledger/entry.h - the canonical text of ledger entries.
 *
 * An entry's text (the part of its signed note that is signed) is:
 *
 *	tfledger entry v2
 *	origin: <ledger origin>
 *	seq: <decimal>
 *	time: <YYYY-MM-DDTHH:MM:SSZ>
 *	prev: <64 lowercase hex: the previous entry's chain hash>
 *	type: <type name>
 *	<field>: <value>	(the type's fields, in its fixed order)
 *
 * each line ending in '\n'.  Optional fields are left out when absent;
 * present fields keep their place.  Values are non-empty, without leading
 * or trailing spaces, valid UTF-8 without control characters, at most
 * TFL_ENTRY_VALUE_MAX bytes, and canonical for their kind (see
 * docs/FORMAT.md).  Decoding accepts only the bytes that encoding the
 * decoded entry would produce, so every entry has one encoding.
 *
 * This module checks syntax; what values mean (balances, roles, whether
 * a donor exists) is checked by the fund rules.
 */
#ifndef TFLEDGER_ENTRY_H
#define TFLEDGER_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "tfledger/err.h"
#include "tfledger/merkle.h"

#define TFL_ENTRY_HEADER "tfledger entry v2"
#define TFL_ENTRY_VALUE_MAX 512
#define TFL_ENTRY_TEXT_MAX 256	/* names and free text */
#define TFL_ENTRY_ID_MAX 64

/* clang-format off */
enum tfl_entry_types {
	TFL_ENTRY_GENESIS,
	TFL_ENTRY_KEY_ENROLL,
	TFL_ENTRY_KEY_REVOKE,
	TFL_ENTRY_POLICY,
	TFL_ENTRY_DONOR,
	TFL_ENTRY_GRANTEE,
	TFL_ENTRY_PLEDGE,
	TFL_ENTRY_PLEDGE_WRITEDOWN,
	TFL_ENTRY_RECEIPT,
	TFL_ENTRY_INTEREST,
	TFL_ENTRY_DONOR_REFUND,
	TFL_ENTRY_GRANT,
	TFL_ENTRY_DISBURSEMENT,
	TFL_ENTRY_EXPENDITURE,
	TFL_ENTRY_GRANTEE_REFUND,
	TFL_ENTRY_DEOBLIGATION,
	TFL_ENTRY_PSC,
	TFL_ENTRY_APPROVAL,
	TFL_ENTRY_REVERSAL,
	TFL_ENTRY_PERIOD_CLOSE,
	TFL_ENTRY_NTYPES
};
/* clang-format on */

typedef struct tfl_entry tfl_entry;

/* An entry to append, with a label for error messages ("line 7"). */
typedef struct tfl_draft {
	tfl_entry *e;
	char label[64];
} tfl_draft;

/* The type's name ("key-enroll"), or NULL for an invalid type. */
const char *tfl_entry_type_name(int type);

/* The type named name, or -1. */
int tfl_entry_type_find(const char *name);

/*
 * The name of type's field number i in their order, or NULL past the
 * last one (for documentation, help and reports).  *optional, if not
 * NULL, is set to 1 for an optional field.
 */
const char *tfl_entry_field(int type, size_t i, int *optional);

/*
 * The kind of type's field number i, as docs/FORMAT.md names it ("id",
 * "amount", ...), or NULL past the last field.
 */
const char *tfl_entry_field_kind(int type, size_t i);

/* A new empty entry of type (caller frees).  0, TFL_EINVAL or TFL_ENOMEM. */
int tfl_entry_new(tfl_entry **out, int type, tfl_err *err);

/*
 * Set field to value (copied) after checking that type has such a field
 * and that value is valid and canonical for its kind.  Returns 0 or
 * TFL_EINVAL naming the field and the value, or TFL_ENOMEM.
 */
int tfl_entry_set(tfl_entry *e, const char *field, const char *value,
    tfl_err *err);

/* The value of field, or NULL when absent or not a field of the type. */
const char *tfl_entry_get(const tfl_entry *e, const char *field);

/*
 * Set the header: origin (1 to 255 bytes of printable text), seq, time
 * (seconds since the epoch, UTC) and the previous entry's chain hash.  Returns 0
 * or TFL_EINVAL.
 */
int tfl_entry_set_header(tfl_entry *e, const char *origin, uint64_t seq,
    int64_t time, const uint8_t prev[TFL_HASH_SIZE], tfl_err *err);

int tfl_entry_type(const tfl_entry *e);
uint64_t tfl_entry_seq(const tfl_entry *e);
int64_t tfl_entry_time(const tfl_entry *e);
const uint8_t *tfl_entry_prev(const tfl_entry *e);
const char *tfl_entry_origin(const tfl_entry *e);

/*
 * The chain hash of an entry (docs/FORMAT.md section 3), which the next
 * entry names as its prev: SHA-256(0x02 || text || signer || 0x0A ||
 * keyhash as 4 bytes big-endian), where signer and keyhash are the key
 * name and key hash of the entry's one signature line.  It pins the text
 * and who signed it, not the signature bytes, so the texts of a command
 * can be chained before any of them is signed.
 */
void tfl_entry_chain_hash(uint8_t out[TFL_HASH_SIZE], const char *text,
    size_t textlen, const char *signer, uint32_t keyhash);

struct tfl_note; /* tfledger/note.h */

/*
 * Whether a parsed note has the one signature line an entry has
 * (FORMAT.md section 2): 0, or TFL_EINVAL saying how many it has.
 */
int tfl_entry_note_one_signature(const struct tfl_note *note, tfl_err *err);

/*
 * The chain hash of a parsed entry note.  Returns 0, or TFL_EINVAL when
 * it has not exactly one signature line.
 */
int tfl_entry_note_chain_hash(uint8_t out[TFL_HASH_SIZE],
    const struct tfl_note *note, tfl_err *err);

/*
 * Encode e as canonical text into *out (malloc'd, NUL-terminated, length
 * in *outlen; caller frees).  Every required field must be set: else
 * TFL_EINVAL naming it.  Returns 0, TFL_EINVAL or TFL_ENOMEM.
 */
int tfl_entry_encode(char **out, size_t *outlen, const tfl_entry *e,
    tfl_err *err);

/*
 * Decode canonical text[0..len) (a signed note's text, ending in '\n').
 * Anything but the canonical encoding is TFL_EINVAL naming the line.
 */
int tfl_entry_decode(tfl_entry **out, const char *text, size_t len,
    tfl_err *err);

/* Free e.  NULL is a no-op. */
void tfl_entry_free(tfl_entry *e);

/*
 * Dates and times.  tfl_time_format writes "YYYY-MM-DDTHH:MM:SSZ" (buf of
 * at least 21 bytes); tfl_time_parse accepts exactly that form.
 * tfl_date_parse accepts "YYYY-MM-DD" (a real calendar date, years
 * 1970-9999) and gives the days since 1970-01-01; tfl_date_format writes
 * it back (11 bytes).  Parsers return 0 or TFL_EINVAL.
 */
void tfl_time_format(char *buf, int64_t t);
int tfl_time_parse(int64_t *out, const char *text, tfl_err *err);
int tfl_date_parse(int64_t *out_days, const char *text, tfl_err *err);
void tfl_date_format(char *buf, int64_t days);

/* Nonzero when s is a valid identifier (1-64 of [A-Za-z0-9._/-]). */
int tfl_id_valid(const char *s);

#endif
