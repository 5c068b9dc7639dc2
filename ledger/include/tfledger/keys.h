/*
 * tfledger/keys.h - Ed25519 keys through OpenSSL EVP.
 *
 * A tfl_key is an opaque private key with a name (a signed-note key name,
 * e.g. "treasurer.unvtf").  On disk it is one file, mode 0600: a first
 * line "tfledger-key-name: NAME" followed by an encrypted PKCS#8 PEM block
 * (PBES2, AES-256-CBC).  Private key bytes and passphrases are wiped with
 * OPENSSL_cleanse before their memory is released.
 */
#ifndef TFLEDGER_KEYS_H
#define TFLEDGER_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "tfledger/err.h"

#define TFL_ED25519_PUB_SIZE 32
#define TFL_ED25519_SIG_SIZE 64
#define TFL_ED25519_SEED_SIZE 32
#define TFL_KEY_NAME_MAX 128

typedef struct tfl_key tfl_key;

/*
 * Generate a new Ed25519 key named name into *out (caller frees with
 * tfl_key_free).  name must be a valid signed-note key name: 1 to
 * TFL_KEY_NAME_MAX bytes of printable UTF-8 without spaces or '+'.
 * Returns 0, TFL_EINVAL (bad name), TFL_ECRYPTO or TFL_ENOMEM.
 */
int tfl_key_generate(tfl_key **out, const char *name, tfl_err *err);

/*
 * Make a key from a 32-byte Ed25519 seed (for known-answer tests and
 * published test keys).  Returns as tfl_key_generate.
 */
int tfl_key_from_seed(tfl_key **out, const char *name,
    const uint8_t seed[TFL_ED25519_SEED_SIZE], tfl_err *err);

/*
 * Write key to a new file at path (O_CREAT|O_EXCL, mode 0600), encrypted
 * with the passphrase pass[0..passlen).  An empty passphrase is refused.
 * Returns 0, TFL_EEXIST (file exists), TFL_EINVAL (empty passphrase),
 * TFL_EIO or TFL_ECRYPTO.
 */
int tfl_key_save(const tfl_key *key, const char *path, const char *pass,
    size_t passlen, tfl_err *err);

/*
 * Load the key file at path, decrypting it with pass[0..passlen).  A
 * symbolic link, or a file with any permission bit for group or others,
 * is refused (TFL_EINVAL, naming the mode).  A wrong (or empty)
 * passphrase is TFL_EPASS with a message that says only "wrong
 * passphrase for key file PATH".  Returns 0, TFL_ENOTFOUND, TFL_EINVAL
 * (permissions, malformed file), TFL_EPASS, TFL_EIO or TFL_ENOMEM.
 */
int tfl_key_load(tfl_key **out, const char *path, const char *pass,
    size_t passlen, tfl_err *err);

/* The key's name; valid as long as key.  key must not be NULL. */
const char *tfl_key_name(const tfl_key *key);

/* Copy the raw 32-byte Ed25519 public key of key into pub. */
void tfl_key_public(uint8_t pub[TFL_ED25519_PUB_SIZE], const tfl_key *key);

/*
 * Sign msg[0..len) with key (pure Ed25519, RFC 8032) into sig.
 * Returns 0 or TFL_ECRYPTO.
 */
int tfl_key_sign(uint8_t sig[TFL_ED25519_SIG_SIZE], const tfl_key *key,
    const void *msg, size_t len, tfl_err *err);

/*
 * Check an Ed25519 signature of msg by the raw public key pub.  Returns 0
 * when it verifies, TFL_EVERIFY when it does not (an answer, not an error;
 * err is left untouched), TFL_ECRYPTO if OpenSSL itself failed.
 */
int tfl_ed25519_verify(const uint8_t pub[TFL_ED25519_PUB_SIZE],
    const void *msg, size_t len, const uint8_t sig[TFL_ED25519_SIG_SIZE],
    tfl_err *err);

/*
 * Overwrite len bytes at p with zeros in a way the compiler cannot drop
 * (OPENSSL_cleanse), for passphrases and other secrets held by callers.
 */
void tfl_wipe(void *p, size_t len);

/* Wipe and free key.  NULL is a no-op. */
void tfl_key_free(tfl_key *key);

#endif
