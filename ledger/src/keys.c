/*
 * keys.c - Ed25519 keys through OpenSSL EVP, and their encrypted key files.
 *
 * The key file is read as PEM, then as an X509_SIG, then decrypted with
 * PKCS8_decrypt, so that a wrong passphrase (the decryption step) is told
 * apart from a malformed file (every other step).
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "internal.h"
#include "tfledger/keys.h"
#include "tfledger/note.h"

#define NAME_PREFIX "tfledger-key-name: "
#define KEY_FILE_MAX 65536 /* a key file is well under 1 KiB */

struct tfl_key {
	EVP_PKEY *pkey;
	tfl_verifier v; /* its name and public half, made once: every
			   signature line names its key hash */
};

/* Wrap pkey (taken over, also on failure) into a new key named name. */
static int
key_wrap(tfl_key **out, EVP_PKEY *pkey, const char *name, tfl_err *err)
{
	tfl_key *key;

	key = calloc(1, sizeof(*key));
	if (key == NULL) {
		EVP_PKEY_free(pkey);
		return tfl_err_set(err, TFL_ENOMEM, "key %s: out of memory",
		    name);
	}
	key->pkey = pkey;
	memcpy(key->v.name, name, strlen(name) + 1);
	key->v.type = TFL_NOTE_KEY_ED25519;
	tfl_key_public(key->v.pub, key);
	key->v.hash = tfl__key_hash(key->v.name, key->v.type, key->v.pub);
	*out = key;
	return 0;
}

static int
check_name(const char *name, tfl_err *err)
{
	if (!tfl_note_name_valid(name, strlen(name)))
		return tfl_err_set(err, TFL_EINVAL,
		    "key name \"%.*s\": not a valid signed-note key name",
		    TFL_KEY_NAME_MAX, name);
	return 0;
}

int
tfl_key_generate(tfl_key **out, const char *name, tfl_err *err)
{
	EVP_PKEY *pkey;
	int rc;

	*out = NULL;
	rc = check_name(name, err);
	if (rc != 0)
		return rc;
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (pkey == NULL)
		return tfl__ossl_err(err, TFL_ECRYPTO, "generate ed25519 key");
	return key_wrap(out, pkey, name, err);
}

int
tfl_key_from_seed(tfl_key **out, const char *name,
    const uint8_t seed[TFL_ED25519_SEED_SIZE], tfl_err *err)
{
	EVP_PKEY *pkey;
	int rc;

	*out = NULL;
	rc = check_name(name, err);
	if (rc != 0)
		return rc;
	pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
	    TFL_ED25519_SEED_SIZE);
	if (pkey == NULL)
		return tfl__ossl_err(err, TFL_ECRYPTO, "ed25519 key from seed");
	return key_wrap(out, pkey, name, err);
}

/* Report errno value e for the key file at path. */
static int
sys_err(tfl_err *err, int e, const char *path)
{
	int code = TFL_EIO;

	if (e == ENOENT)
		code = TFL_ENOTFOUND;
	else if (e == EEXIST)
		code = TFL_EEXIST;
	else if (e == ELOOP)
		code = TFL_EINVAL; /* O_NOFOLLOW met a symbolic link */
	return tfl_err_set(err, code, "key file %s: %s", path, strerror(e));
}

/* Write all of buf to fd.  0 or an errno value. */
static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The key file's bytes (name line, then encrypted PEM) into a memory BIO. */
static int
key_file_bytes(BIO **out, const tfl_key *key, const char *pass,
    size_t passlen, tfl_err *err)
{
	BIO *bio;

	*out = NULL;
	bio = BIO_new(BIO_s_mem());
	if (bio == NULL)
		return tfl__ossl_err(err, TFL_ECRYPTO, "key file buffer");
	/* A non-NULL kstr keeps OpenSSL from prompting on the terminal. */
	if (BIO_printf(bio, NAME_PREFIX "%s\n", key->v.name) <= 0 ||
	    PEM_write_bio_PKCS8PrivateKey(bio, key->pkey, EVP_aes_256_cbc(),
	    pass, (int)passlen, NULL, NULL) != 1) {
		BIO_free(bio);
		return tfl__ossl_err(err, TFL_ECRYPTO, "encrypt private key");
	}
	*out = bio;
	return 0;
}

int
tfl_key_save(const tfl_key *key, const char *path, const char *pass,
    size_t passlen, tfl_err *err)
{
	BIO *bio = NULL;
	char *data;
	long len;
	int fd, rc, e;

	assert(key != NULL);
	if (passlen == 0)
		return tfl_err_set(err, TFL_EINVAL,
		    "key file %s: empty passphrase refused", path);
	if (passlen > INT_MAX)
		return tfl_err_set(err, TFL_EINVAL,
		    "key file %s: passphrase over %d bytes", path, INT_MAX);
	rc = key_file_bytes(&bio, key, pass, passlen, err);
	if (rc != 0)
		return rc;
	len = BIO_get_mem_data(bio, &data);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0) {
		rc = sys_err(err, errno, path);
		goto out;
	}
	e = write_all(fd, data, (size_t)len);
	if (e == 0 && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && e == 0)
		e = errno;
	if (e != 0) {
		/* We created the file (O_EXCL): remove the partial one. */
		unlink(path);
		rc = sys_err(err, e, path);
	}
out:
	BIO_free(bio);
	return rc;
}

/* Refuse anything but a small regular file that only its owner may use. */
static int
check_stat(const struct stat *st, const char *path, tfl_err *err)
{
	if (!S_ISREG(st->st_mode))
		return tfl_err_set(err, TFL_EINVAL,
		    "key file %s: not a regular file", path);
	if ((st->st_mode & 077) != 0)
		return tfl_err_set(err, TFL_EINVAL, "key file %s: mode %04o "
		    "gives group or others access, want 0600", path,
		    (unsigned)(st->st_mode & 07777));
	if (st->st_size > KEY_FILE_MAX)
		return tfl_err_set(err, TFL_EINVAL, "key file %s: size %lld "
		    "is over %d bytes", path, (long long)st->st_size,
		    KEY_FILE_MAX);
	return 0;
}

/*
 * Open path without following a symlink, check it with check_stat after
 * opening (no race), and read it into *out (malloc'd, NUL-terminated).
 */
static int
read_key_file(char **out, size_t *outlen, const char *path, tfl_err *err)
{
	struct stat st;
	char *buf = NULL;
	ssize_t n;
	size_t len = 0;
	int fd, rc;

	*out = NULL;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return sys_err(err, errno, path);
	rc = fstat(fd, &st) != 0 ? sys_err(err, errno, path) :
	    check_stat(&st, path, err);
	if (rc != 0)
		goto out;
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		rc = tfl_err_set(err, TFL_ENOMEM, "key file %s: out of memory",
		    path);
		goto out;
	}
	while (len < (size_t)st.st_size) {
		n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (len != (size_t)st.st_size) {
		rc = tfl_err_set(err, TFL_EIO, "key file %s: short read", path);
		goto out;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return rc;
}

/* Split off the name line; *pem points past it.  0 or TFL_EINVAL. */
static int
parse_name_line(char name[TFL_KEY_NAME_MAX + 1], const char **pem,
    const char *buf, size_t len, const char *path, tfl_err *err)
{
	const char *nl;
	size_t plen = strlen(NAME_PREFIX), nlen;

	nl = memchr(buf, '\n', len);
	if (nl == NULL || (size_t)(nl - buf) < plen ||
	    memcmp(buf, NAME_PREFIX, plen) != 0)
		return tfl_err_set(err, TFL_EINVAL, "key file %s: first line "
		    "is not \"" NAME_PREFIX "NAME\"", path);
	nlen = (size_t)(nl - buf) - plen;
	if (!tfl_note_name_valid(buf + plen, nlen))
		return tfl_err_set(err, TFL_EINVAL, "key file %s: key name "
		    "\"%.*s\" is not valid", path,
		    (int)(nlen > TFL_KEY_NAME_MAX ? TFL_KEY_NAME_MAX : nlen),
		    buf + plen);
	memcpy(name, buf + plen, nlen);
	name[nlen] = '\0';
	*pem = nl + 1;
	return 0;
}

/* Read the encrypted PKCS#8 structure from PEM text. */
static int
read_p8(X509_SIG **out, const char *pem, size_t len, const char *path,
    tfl_err *err)
{
	BIO *bio;
	char *pname = NULL, *header = NULL;
	unsigned char *der = NULL;
	const unsigned char *p;
	long derlen = 0;
	int ok;

	*out = NULL;
	/* PEM_read_bio would skip junk lines before the block: we do not. */
	if (len < 11 || memcmp(pem, "-----BEGIN ", 11) != 0)
		return tfl_err_set(err, TFL_EINVAL, "key file %s: no pem block "
		    "after the name line", path);
	bio = BIO_new_mem_buf(pem, (int)len);
	if (bio == NULL)
		return tfl__ossl_err(err, TFL_ENOMEM, "key file buffer");
	ok = PEM_read_bio(bio, &pname, &header, &der, &derlen) == 1 &&
	    strcmp(pname, PEM_STRING_PKCS8) == 0 && header[0] == '\0';
	if (ok) {
		p = der;
		*out = d2i_X509_SIG(NULL, &p, derlen);
		ok = *out != NULL && p == der + derlen;
	}
	if (!ok) {
		X509_SIG_free(*out);
		*out = NULL;
		ERR_clear_error();
	}
	BIO_free(bio);
	OPENSSL_free(pname);
	OPENSSL_free(header);
	OPENSSL_free(der);
	if (!ok)
		return tfl_err_set(err, TFL_EINVAL, "key file %s: no encrypted "
		    "pkcs#8 private key after the name line", path);
	return 0;
}

/* Decrypt p8 into an Ed25519 EVP_PKEY. */
static int
decrypt_p8(EVP_PKEY **out, const X509_SIG *p8, const char *pass,
    size_t passlen, const char *path, tfl_err *err)
{
	PKCS8_PRIV_KEY_INFO *inf;

	*out = NULL;
	/* No saved file has an empty passphrase: do not try one. */
	inf = NULL;
	if (passlen > 0 && passlen <= INT_MAX)
		inf = PKCS8_decrypt(p8, pass, (int)passlen);
	if (inf == NULL) {
		ERR_clear_error();
		return tfl_err_set(err, TFL_EPASS,
		    "wrong passphrase for key file %s", path);
	}
	*out = EVP_PKCS82PKEY(inf);
	/* PKCS8_decrypt and PKCS8_PRIV_KEY_INFO_free cleanse key bytes. */
	PKCS8_PRIV_KEY_INFO_free(inf);
	if (*out != NULL && EVP_PKEY_get_base_id(*out) == EVP_PKEY_ED25519)
		return 0;
	EVP_PKEY_free(*out);
	*out = NULL;
	ERR_clear_error();
	return tfl_err_set(err, TFL_EINVAL,
	    "key file %s: not an ed25519 private key", path);
}

int
tfl_key_load(tfl_key **out, const char *path, const char *pass,
    size_t passlen, tfl_err *err)
{
	char name[TFL_KEY_NAME_MAX + 1];
	char *buf = NULL;
	const char *pem = NULL;
	X509_SIG *p8 = NULL;
	EVP_PKEY *pkey = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	rc = read_key_file(&buf, &len, path, err);
	if (rc != 0)
		goto out;
	rc = parse_name_line(name, &pem, buf, len, path, err);
	if (rc != 0)
		goto out;
	rc = read_p8(&p8, pem, len - (size_t)(pem - buf), path, err);
	if (rc != 0)
		goto out;
	rc = decrypt_p8(&pkey, p8, pass, passlen, path, err);
	if (rc != 0)
		goto out;
	rc = key_wrap(out, pkey, name, err);
out:
	X509_SIG_free(p8);
	free(buf);
	return rc;
}

const char *
tfl_key_name(const tfl_key *key)
{
	assert(key != NULL);
	return key->v.name;
}

void
tfl_key_public(uint8_t pub[TFL_ED25519_PUB_SIZE], const tfl_key *key)
{
	size_t len = TFL_ED25519_PUB_SIZE;

	assert(key != NULL);
	/* Cannot fail for an Ed25519 key with its private part. */
	if (EVP_PKEY_get_raw_public_key(key->pkey, pub, &len) != 1 ||
	    len != TFL_ED25519_PUB_SIZE)
		abort();
}

void
tfl_verifier_of_key(tfl_verifier *out, const tfl_key *key)
{
	*out = key->v;
}

int
tfl_key_sign(uint8_t sig[TFL_ED25519_SIG_SIZE], const tfl_key *key,
    const void *msg, size_t len, tfl_err *err)
{
	EVP_MD_CTX *ctx;
	size_t siglen = TFL_ED25519_SIG_SIZE;
	int rc = 0;

	assert(key != NULL);
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return tfl__ossl_err(err, TFL_ECRYPTO, "sign");
	/* Pure Ed25519 takes no digest: md is NULL, one-shot only. */
	if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, key->pkey) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, msg, len) != 1 ||
	    siglen != TFL_ED25519_SIG_SIZE)
		rc = tfl__ossl_err(err, TFL_ECRYPTO, "sign");
	EVP_MD_CTX_free(ctx);
	return rc;
}

int
tfl_ed25519_verify(const uint8_t pub[TFL_ED25519_PUB_SIZE], const void *msg,
    size_t len, const uint8_t sig[TFL_ED25519_SIG_SIZE], tfl_err *err)
{
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *ctx = NULL;
	int rc = 0, r;

	pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub,
	    TFL_ED25519_PUB_SIZE);
	ctx = EVP_MD_CTX_new();
	if (pkey == NULL || ctx == NULL ||
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) != 1) {
		rc = tfl__ossl_err(err, TFL_ECRYPTO, "ed25519 verify");
		goto out;
	}
	/* A bad signature is an answer: leave err and the queue as found. */
	ERR_set_mark();
	r = EVP_DigestVerify(ctx, sig, TFL_ED25519_SIG_SIZE, msg, len);
	if (r < 0) {
		ERR_clear_last_mark();
		rc = tfl__ossl_err(err, TFL_ECRYPTO, "ed25519 verify");
		goto out;
	}
	ERR_pop_to_mark();
	if (r != 1)
		rc = TFL_EVERIFY;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return rc;
}

void
tfl_key_free(tfl_key *key)
{
	if (key == NULL)
		return;
	/* OpenSSL wipes the Ed25519 private key when it frees it. */
	EVP_PKEY_free(key->pkey);
	OPENSSL_cleanse(key, sizeof(*key));
	free(key);
}
