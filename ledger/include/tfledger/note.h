/*
 * tfledger/note.h - C2SP signed notes and verifier keys.
 *
 * A signed note is UTF-8 text ending in a newline, a blank line, then one
 * or more signature lines "— NAME BASE64(keyhash[4] || signature)\n".
 * The separator is the last "\n\n"; the text keeps its final newline.
 * The key hash is the first 4 bytes of SHA-256(NAME || "\n" || type ||
 * pubkey), type 0x01 for Ed25519.  A verifier key string is
 * "NAME+HEXHASH+BASE64(type || pubkey)"; it is split on the first two
 * '+' only, and its hash is recomputed and compared.
 *
 * Spec: C2SP signed-note.  Like golang.org/x/mod/sumdb/note, parsing
 * rejects CR, TAB, NUL and other control characters, invalid UTF-8, a
 * missing final newline, no signatures, malformed signature lines and
 * more than 100 signatures.
 */
#ifndef TFLEDGER_NOTE_H
#define TFLEDGER_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "tfledger/err.h"
#include "tfledger/keys.h"

#define TFL_NOTE_MAX_SIGS 100
#define TFL_NOTE_KEY_ED25519 0x01
#define TFL_NOTE_KEY_COSIG 0x04 /* tlog-cosignature/v1 (witnesses) */

/* A public verifier key: name, key hash and Ed25519 public key. */
typedef struct tfl_verifier {
	char name[TFL_KEY_NAME_MAX + 1];
	uint32_t hash; /* big-endian value of the 4 key-hash bytes */
	uint8_t type;  /* TFL_NOTE_KEY_ED25519 or TFL_NOTE_KEY_COSIG */
	uint8_t pub[TFL_ED25519_PUB_SIZE];
} tfl_verifier;

/* One signature line of a parsed note. */
typedef struct tfl_note_sig {
	char name[TFL_KEY_NAME_MAX + 1];
	uint32_t hash;
	uint8_t blob[128]; /* signature bytes after the key hash */
	size_t bloblen;
} tfl_note_sig;

/* A parsed note: text plus signatures.  Caller-owned; release with _release. */
typedef struct tfl_note {
	char *text; /* the signed text, with its final newline, NUL-terminated */
	size_t textlen;
	tfl_note_sig *sigs;
	size_t nsigs;
} tfl_note;

/* Nonzero when name[0..len) is a valid key name (non-empty, no space, no '+'). */
int tfl_note_name_valid(const char *name, size_t len);

/*
 * Parse a verifier key string into out, recomputing the key hash.
 * Returns 0 or TFL_EINVAL naming what is wrong.
 */
int tfl_verifier_parse(tfl_verifier *out, const char *vkey, size_t len,
    tfl_err *err);

/*
 * Format v as a verifier key string into buf (size bytes, NUL-terminated).
 * Returns 0 or TFL_EINVAL when buf is too small.
 */
int tfl_verifier_format(char *buf, size_t size, const tfl_verifier *v);

/* The Ed25519 (type 0x01) verifier of a private key. */
void tfl_verifier_of_key(tfl_verifier *out, const tfl_key *key);

/*
 * Parse the signed note buf[0..len) into out (structure only, no
 * signature checked).  A signature line whose name is over
 * TFL_KEY_NAME_MAX bytes or whose signature is over 128 bytes (see
 * tfl_note_sig) is refused too.  Returns 0, TFL_EINVAL naming the
 * problem, or TFL_ENOMEM.  On failure out needs no release.
 */
int tfl_note_parse(tfl_note *out, const char *buf, size_t len, tfl_err *err);

/* Free what tfl_note_parse allocated.  NULL is a no-op. */
void tfl_note_release(tfl_note *note);

/*
 * Check note's signatures against keys[0..nkeys).  Signature lines whose
 * name and hash match no key are ignored; a line that matches a key but
 * does not verify is TFL_EVERIFY naming the key.  If verified is not
 * NULL, verified[i] is set to 1 for each key that signed, else 0.  At
 * least one key must have signed, else TFL_EVERIFY ("no known signature").
 * A TFL_NOTE_KEY_COSIG key checks a tlog-cosignature/v1 blob: 8-byte
 * big-endian timestamp T, then the signature of "cosignature/v1\ntime
 * T\n" followed by the text.  Returns 0, TFL_EVERIFY, TFL_ECRYPTO or
 * TFL_ENOMEM (the cosigned message is built in memory).
 */
int tfl_note_verify(unsigned char *verified, const tfl_note *note,
    const tfl_verifier *keys, size_t nkeys, tfl_err *err);

/*
 * Sign text[0..len) (which must end in '\n' and be valid note text) with
 * keys[0..nkeys), producing the whole signed note in *out (malloc'd,
 * NUL-terminated, length in *outlen; caller frees).  Returns 0,
 * TFL_EINVAL (bad text), TFL_ECRYPTO or TFL_ENOMEM.
 */
int tfl_note_sign(char **out, size_t *outlen, const char *text, size_t len,
    const tfl_key *const *keys, size_t nkeys, tfl_err *err);

#endif
