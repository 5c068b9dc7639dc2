/*
 * note.c - C2SP signed notes, verifier key strings, cosignature/v1.
 *
 * Parsing follows golang.org/x/mod/sumdb/note (Open) so that notes move
 * between the two unchanged; see note.h for the rules.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tfledger/note.h"

#define DASH "\xe2\x80\x94 " /* em dash U+2014, then a space */
#define DASH_LEN 4
#define HASH_LEN 4
#define ED_BLOB TFL_ED25519_SIG_SIZE
#define COSIG_BLOB (8 + TFL_ED25519_SIG_SIZE) /* timestamp || signature */
#define SIG_B64_MAX (4 * ((HASH_LEN + 128 + 2) / 3)) /* 128: blob[] */
#define VKEY_B64_LEN (4 * ((1 + TFL_ED25519_PUB_SIZE + 2) / 3))
#define ED_LINE_B64 (4 * ((HASH_LEN + ED_BLOB + 2) / 3))

/* Decode one code point of valid UTF-8 at s[*i], advancing *i. */
static uint32_t
next_cp(const unsigned char *s, size_t *i)
{
	uint32_t c = s[(*i)++];
	int n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

	if (n > 0)
		c &= 0x3f >> n;
	while (n-- > 0)
		c = c << 6 | (s[(*i)++] & 0x3f);
	return c;
}

/* Unicode White_Space (Go's unicode.IsSpace) and control characters. */
static int
bad_name_cp(uint32_t c)
{
	return c <= 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0x1680 ||
	    (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
	    c == 0x202f || c == 0x205f || c == 0x3000 || c == '+';
}

int
tfl_note_name_valid(const char *name, size_t len)
{
	size_t i = 0;

	if (len == 0 || len > TFL_KEY_NAME_MAX || !tfl__utf8_valid(name, len))
		return 0;
	while (i < len) {
		if (bad_name_cp(next_cp((const unsigned char *)name, &i)))
			return 0;
	}
	return 1;
}

uint32_t
tfl__key_hash(const char *name, uint8_t type, const uint8_t *pub)
{
	uint8_t buf[TFL_KEY_NAME_MAX + 2 + TFL_ED25519_PUB_SIZE];
	uint8_t h[TFL__SHA256_SIZE];
	size_t n = strlen(name);

	memcpy(buf, name, n);
	buf[n] = '\n';
	buf[n + 1] = type;
	memcpy(buf + n + 2, pub, TFL_ED25519_PUB_SIZE);
	tfl__sha256(h, buf, n + 2 + TFL_ED25519_PUB_SIZE);
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
	    (uint32_t)h[2] << 8 | h[3];
}

int
tfl_verifier_parse(tfl_verifier *out, const char *vkey, size_t len,
    tfl_err *err)
{
	uint8_t hb[HASH_LEN], key[1 + TFL_ED25519_PUB_SIZE];
	const char *p1, *p2, *end = vkey + len;
	size_t klen = 0;

	memset(out, 0, sizeof(*out));
	p1 = memchr(vkey, '+', len);
	p2 = p1 == NULL ? NULL : memchr(p1 + 1, '+', (size_t)(end - p1 - 1));
	if (p2 == NULL)
		return tfl_err_set(err, TFL_EINVAL, "verifier key \"%.*s\": "
		    "want NAME+HASH+KEY", (int)(len > 300 ? 300 : len), vkey);
	if (!tfl_note_name_valid(vkey, (size_t)(p1 - vkey)))
		return tfl_err_set(err, TFL_EINVAL, "verifier key \"%.*s\": "
		    "invalid name", (int)(len > 300 ? 300 : len), vkey);
	memcpy(out->name, vkey, (size_t)(p1 - vkey));
	if (tfl__hex_decode(hb, HASH_LEN, p1 + 1, (size_t)(p2 - p1 - 1)) != 0)
		return tfl_err_set(err, TFL_EINVAL, "verifier key %s: hash "
		    "\"%.*s\" is not 8 lowercase hex digits", out->name,
		    (int)(p2 - p1 - 1 > 16 ? 16 : p2 - p1 - 1), p1 + 1);
	if (tfl__b64_decode(key, sizeof(key), &klen, p2 + 1,
	    (size_t)(end - p2 - 1)) != 0 || klen != sizeof(key))
		return tfl_err_set(err, TFL_EINVAL, "verifier key %s: key is "
		    "not base64 of 33 bytes", out->name);
	if (key[0] != TFL_NOTE_KEY_ED25519 && key[0] != TFL_NOTE_KEY_COSIG)
		return tfl_err_set(err, TFL_EINVAL, "verifier key %s: unknown "
		    "key type 0x%02x", out->name, key[0]);
	out->type = key[0];
	memcpy(out->pub, key + 1, TFL_ED25519_PUB_SIZE);
	out->hash = (uint32_t)hb[0] << 24 | (uint32_t)hb[1] << 16 |
	    (uint32_t)hb[2] << 8 | hb[3];
	if (tfl__key_hash(out->name, out->type, out->pub) != out->hash)
		return tfl_err_set(err, TFL_EINVAL, "verifier key %s: hash "
		    "%08" PRIx32 " does not match the key", out->name,
		    out->hash);
	return 0;
}

int
tfl_verifier_format(char *buf, size_t size, const tfl_verifier *v)
{
	uint8_t key[1 + TFL_ED25519_PUB_SIZE];
	char b64[VKEY_B64_LEN + 1];
	int n;

	key[0] = v->type;
	memcpy(key + 1, v->pub, TFL_ED25519_PUB_SIZE);
	tfl__b64_encode(b64, key, sizeof(key));
	n = snprintf(buf, size, "%s+%08" PRIx32 "+%s", v->name, v->hash, b64);
	if (n < 0 || (size_t)n >= size) {
		if (size > 0)
			buf[0] = '\0';
		return TFL_EINVAL;
	}
	return 0;
}

/* Parse signature line number no, line[0..len) without its newline. */
static int
parse_sig(tfl_note_sig *sig, const char *line, size_t len, size_t no,
    tfl_err *err)
{
	uint8_t raw[HASH_LEN + sizeof(sig->blob)];
	const char *sp;
	size_t rawlen = 0, b64len;

	if (len < DASH_LEN || memcmp(line, DASH, DASH_LEN) != 0)
		return tfl_err_set(err, TFL_EINVAL, "note: signature line %zu: "
		    "does not start with an em dash and a space", no);
	line += DASH_LEN, len -= DASH_LEN;
	sp = memchr(line, ' ', len);
	if (sp == NULL || !tfl_note_name_valid(line, (size_t)(sp - line)))
		return tfl_err_set(err, TFL_EINVAL, "note: signature line %zu: "
		    "missing or invalid key name", no);
	memcpy(sig->name, line, (size_t)(sp - line));
	b64len = len - (size_t)(sp - line) - 1;
	if (b64len > SIG_B64_MAX)
		return tfl_err_set(err, TFL_EINVAL, "note: signature line %zu "
		    "(%s): signature longer than %zu bytes", no, sig->name,
		    sizeof(sig->blob));
	if (tfl__b64_decode(raw, sizeof(raw), &rawlen, sp + 1, b64len) != 0 ||
	    rawlen <= HASH_LEN)
		return tfl_err_set(err, TFL_EINVAL, "note: signature line %zu "
		    "(%s): not base64 of a key hash and a signature", no,
		    sig->name);
	sig->hash = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 |
	    (uint32_t)raw[2] << 8 | raw[3];
	sig->bloblen = rawlen - HASH_LEN;
	memcpy(sig->blob, raw + HASH_LEN, sig->bloblen);
	return 0;
}

/* Parse the signature block s[0..len), which ends in '\n', into note. */
static int
parse_sigs(tfl_note *note, const char *s, size_t len, tfl_err *err)
{
	const char *nl;
	size_t n = 0, i;
	int rc;

	for (i = 0; i < len; i++)
		n += s[i] == '\n';
	if (n > TFL_NOTE_MAX_SIGS)
		return tfl_err_set(err, TFL_EINVAL,
		    "note: %zu signature lines, more than %d", n,
		    TFL_NOTE_MAX_SIGS);
	note->sigs = calloc(n, sizeof(*note->sigs));
	if (note->sigs == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "note: out of memory");
	for (i = 0; i < n; i++) {
		nl = memchr(s, '\n', len);
		rc = parse_sig(&note->sigs[i], s, (size_t)(nl - s), i + 1, err);
		if (rc != 0)
			return rc;
		len -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	note->nsigs = n;
	return 0;
}

/* Offset just past the last "\n\n" in buf[0..len), or 0 if none. */
static size_t
after_last_blank(const char *buf, size_t len)
{
	size_t i;

	for (i = len; i >= 2; i--) {
		if (buf[i - 1] == '\n' && buf[i - 2] == '\n')
			return i;
	}
	return 0;
}

int
tfl_note_parse(tfl_note *out, const char *buf, size_t len, tfl_err *err)
{
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!tfl__text_valid(buf, len))
		return tfl_err_set(err, TFL_EINVAL, "note: invalid utf-8 or a "
		    "control character other than newline");
	/* The separator is the last blank line. */
	i = after_last_blank(buf, len);
	if (i == 0)
		return tfl_err_set(err, TFL_EINVAL,
		    "note: no blank line before the signatures");
	if (i == len)
		return tfl_err_set(err, TFL_EINVAL, "note: no signature lines");
	if (buf[len - 1] != '\n')
		return tfl_err_set(err, TFL_EINVAL,
		    "note: missing final newline");
	out->textlen = i - 1;
	out->text = tfl__strndup(buf, out->textlen);
	if (out->text == NULL) {
		rc = tfl_err_set(err, TFL_ENOMEM, "note: out of memory");
		goto out;
	}
	rc = parse_sigs(out, buf + i, len - i, err);
out:
	if (rc != 0)
		tfl_note_release(out);
	return rc;
}

void
tfl_note_release(tfl_note *note)
{
	if (note == NULL)
		return;
	free(note->text);
	free(note->sigs);
	memset(note, 0, sizeof(*note));
}

/*
 * Check a tlog-cosignature/v1 blob: an 8-byte big-endian timestamp, then
 * an Ed25519 signature of "cosignature/v1\ntime T\n" and the note text.
 */
static int
verify_cosig(const tfl_note *note, const tfl_note_sig *sig,
    const tfl_verifier *key, tfl_err *err)
{
	uint64_t t = 0;
	char *msg;
	int i, n, rc;

	for (i = 0; i < 8; i++)
		t = t << 8 | sig->blob[i];
	msg = malloc(64 + note->textlen);
	if (msg == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "note: out of memory");
	n = snprintf(msg, 64, "cosignature/v1\ntime %" PRIu64 "\n", t);
	memcpy(msg + n, note->text, note->textlen);
	rc = tfl_ed25519_verify(key->pub, msg, (size_t)n + note->textlen,
	    sig->blob + 8, err);
	free(msg);
	return rc;
}

/*
 * Verify sig, whose name and hash are key's.  known, when not NULL, is
 * the outcome of an Ed25519 check of this line already made (on another
 * thread): it stands in for the check only if made with key's public key.
 */
static int
verify_sig(const tfl_note *note, const tfl_note_sig *sig,
    const tfl_verifier *key, const struct tfl__verdict *known, tfl_err *err)
{
	size_t want = key->type == TFL_NOTE_KEY_COSIG ? COSIG_BLOB : ED_BLOB;
	int rc;

	if (sig->bloblen != want)
		return tfl_err_set(err, TFL_EVERIFY, "note: signature by "
		    "%s+%08" PRIx32 " has %zu bytes, want %zu", key->name,
		    key->hash, sig->bloblen, want);
	if (key->type == TFL_NOTE_KEY_COSIG)
		rc = verify_cosig(note, sig, key, err);
	else if (known != NULL && known->ok >= 0 &&
	    memcmp(known->pub, key->pub, sizeof(known->pub)) == 0)
		rc = known->ok ? 0 : TFL_EVERIFY;
	else
		rc = tfl_ed25519_verify(key->pub, note->text, note->textlen,
		    sig->blob, err);
	if (rc == TFL_EVERIFY)
		return tfl_err_set(err, rc, "note: invalid signature by "
		    "%s+%08" PRIx32, key->name, key->hash);
	return rc;
}

int
tfl_note_verify(unsigned char *verified, const tfl_note *note,
    const tfl_verifier *keys, size_t nkeys, tfl_err *err)
{
	return tfl__note_verify_known(verified, note, keys, nkeys, NULL, 0,
	    err);
}

int
tfl__note_verify_known(unsigned char *verified, const tfl_note *note,
    const tfl_verifier *keys, size_t nkeys, const struct tfl__verdict *known,
    size_t nknown, tfl_err *err)
{
	const tfl_note_sig *sig;
	size_t i, k, nok = 0;
	int rc;

	if (verified != NULL && nkeys > 0)
		memset(verified, 0, nkeys);
	for (i = 0; i < note->nsigs; i++) {
		sig = &note->sigs[i];
		for (k = 0; k < nkeys; k++) {
			if (sig->hash != keys[k].hash ||
			    strcmp(sig->name, keys[k].name) != 0)
				continue; /* not this key's line */
			rc = verify_sig(note, sig, &keys[k],
			    i < nknown ? &known[i] : NULL, err);
			if (rc != 0)
				return rc;
			if (verified != NULL)
				verified[k] = 1;
			nok++;
		}
	}
	if (nok == 0)
		return tfl_err_set(err, TFL_EVERIFY,
		    "note: no known signature");
	return 0;
}

/* Append "— NAME BASE64(hash || sig)\n" for key over text to *p. */
static int
sign_line(char **p, const tfl_key *key, const char *text, size_t len,
    tfl_err *err)
{
	uint8_t raw[HASH_LEN + ED_BLOB];
	char b64[ED_LINE_B64 + 1];
	tfl_verifier v;
	int rc;

	tfl_verifier_of_key(&v, key);
	raw[0] = (uint8_t)(v.hash >> 24);
	raw[1] = (uint8_t)(v.hash >> 16);
	raw[2] = (uint8_t)(v.hash >> 8);
	raw[3] = (uint8_t)v.hash;
	rc = tfl_key_sign(raw + HASH_LEN, key, text, len, err);
	if (rc != 0) {
		tfl_err_prefix(err, "note: signing with %s", v.name);
		return rc;
	}
	tfl__b64_encode(b64, raw, sizeof(raw));
	*p = stpcpy(stpcpy(stpcpy(stpcpy(*p, DASH), v.name), " "), b64);
	*(*p)++ = '\n';
	**p = '\0'; /* not part of the note; its callers may read it as text */
	return 0;
}

size_t
tfl__note_room(size_t nkeys)
{
	return 2 + nkeys * (DASH_LEN + TFL_KEY_NAME_MAX + 2 + ED_LINE_B64);
}

/* What tfl_note_sign refuses before it signs. */
static int
sign_args(const char *text, size_t len, size_t nkeys, tfl_err *err)
{
	if (len == 0 || text[len - 1] != '\n' || !tfl__text_valid(text, len))
		return tfl_err_set(err, TFL_EINVAL, "note text: want utf-8 "
		    "without control characters, ending in a newline");
	if (nkeys == 0 || nkeys > TFL_NOTE_MAX_SIGS)
		return tfl_err_set(err, TFL_EINVAL, "note: %zu signing keys, "
		    "want 1 to %d", nkeys, TFL_NOTE_MAX_SIGS);
	return 0;
}

/* The signature lines after the text in buf[0..len). */
static int
sign_lines(char *buf, size_t *outlen, size_t len,
    const tfl_key *const *keys, size_t nkeys, tfl_err *err)
{
	char *p = buf + len;
	size_t i;
	int rc = 0;

	*p++ = '\n';
	for (i = 0; i < nkeys && rc == 0; i++)
		rc = sign_line(&p, keys[i], buf, len, err);
	if (rc != 0)
		return rc;
	*outlen = (size_t)(p - buf);
	return 0;
}

int
tfl__note_sign_into(char *buf, size_t *outlen, size_t len,
    const tfl_key *const *keys, size_t nkeys, tfl_err *err)
{
	int rc;

	*outlen = 0;
	if ((rc = sign_args(buf, len, nkeys, err)) != 0 ||
	    (rc = sign_lines(buf, outlen, len, keys, nkeys, err)) != 0)
		buf[len] = '\0';
	return rc;
}

int
tfl_note_sign(char **out, size_t *outlen, const char *text, size_t len,
    const tfl_key *const *keys, size_t nkeys, tfl_err *err)
{
	char *buf;
	int rc;

	*out = NULL;
	*outlen = 0;
	if ((rc = sign_args(text, len, nkeys, err)) != 0)
		return rc;
	if ((buf = malloc(len + tfl__note_room(nkeys))) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "note: out of memory");
	memcpy(buf, text, len);
	if ((rc = sign_lines(buf, outlen, len, keys, nkeys, err)) != 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	return 0;
}
