/*
 * check_note.c - signed notes, verifier keys and cosignatures, against the
 * public vectors in signed-note/ (byte for byte) and generated keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tfledger/keys.h"
#include "tfledger/note.h"

#define VEC "signed-note/signed-note-vectors.json"
#define PETER_VKEY \
	"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define MAX_VKEYS 8

static json_t *
vectors(void)
{
	return tu_json_load(tu_vector_path(VEC));
}

/* The entry of the "keys" array named name. */
static json_t *
key_entry(json_t *v, const char *name)
{
	json_t *k;
	size_t i;

	json_array_foreach(json_object_get(v, "keys"), i, k) {
		if (strcmp(json_string_value(json_object_get(k, "name")),
		    name) == 0)
			return k;
	}
	ck_abort_msg("no key %s in %s", name, VEC);
	return NULL;
}

/* Parse a vkey string, dropping an annotation after a space. */
static void
parse_vkey(tfl_verifier *v, const char *s)
{
	tfl_err err = TFL_ERR_INIT;
	const char *sp = strchr(s, ' ');
	size_t len = sp != NULL ? (size_t)(sp - s) : strlen(s);

	ck_assert_msg(tfl_verifier_parse(v, s, len, &err) == 0, "%s: %s", s,
	    err.msg);
}

static char *
read_vector(const char *file, size_t *len)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "signed-note/%s", file);
	return tu_read_file(tu_vector_path(rel), len);
}

static void
parse_file(tfl_note *note, const char *file)
{
	tfl_err err = TFL_ERR_INIT;
	size_t len;
	char *buf = read_vector(file, &len);

	ck_assert_msg(tfl_note_parse(note, buf, len, &err) == 0, "%s: %s",
	    file, err.msg);
	free(buf);
}

static tfl_key *
seed_key(const char *name, const char *seed_hex)
{
	uint8_t seed[TFL_ED25519_SEED_SIZE];
	tfl_err err = TFL_ERR_INIT;
	tfl_key *key = NULL;

	tu_unhex(seed, sizeof(seed), seed_hex);
	ck_assert_msg(tfl_key_from_seed(&key, name, seed, &err) == 0, "%s",
	    err.msg);
	return key;
}

static tfl_key *
vector_key(json_t *v, const char *name)
{
	json_t *k = key_entry(v, name);

	return seed_key(name,
	    json_string_value(json_object_get(k, "seed_hex")));
}

START_TEST(test_every_positive_vector_verifies_with_its_vkeys)
{
	json_t *v = vectors(), *pos, *vk;
	tfl_verifier keys[MAX_VKEYS];
	unsigned char ok[MAX_VKEYS];
	tfl_err err = TFL_ERR_INIT;
	tfl_note note;
	size_t i, j, n;

	json_array_foreach(json_object_get(v, "positive_notes"), i, pos) {
		vk = json_object_get(pos, "vkeys");
		n = json_array_size(vk);
		ck_assert_uint_le(n, MAX_VKEYS);
		for (j = 0; j < n; j++)
			parse_vkey(&keys[j],
			    json_string_value(json_array_get(vk, j)));
		parse_file(&note,
		    json_string_value(json_object_get(pos, "file")));
		ck_assert_msg(tfl_note_verify(ok, &note, keys, n, &err) == 0,
		    "%s: %s", json_string_value(json_object_get(pos, "file")),
		    err.msg);
		for (j = 0; j < n; j++)
			ck_assert_msg(ok[j] == 1, "%s: key %zu did not sign",
			    json_string_value(json_object_get(pos, "file")), j);
		tfl_note_release(&note);
	}
	ck_assert_uint_eq(i, 8);
	json_decref(v);
}
END_TEST

/* The verifier of a negative vector's "vkey" field (a key name). */
static void
negative_vkey(tfl_verifier *out, json_t *v, const char *field)
{
	char name[128];
	json_t *k;
	const char *s;

	snprintf(name, sizeof(name), "%s", field);
	name[strcspn(name, " ")] = '\0';
	k = key_entry(v, name);
	s = json_string_value(json_object_get(k, "vkey"));
	if (s == NULL)
		s = json_string_value(json_object_get(k, "vkey_type04"));
	parse_vkey(out, s);
}

START_TEST(test_every_negative_vector_is_rejected)
{
	json_t *v = vectors(), *neg;
	tfl_err err = TFL_ERR_INIT;
	tfl_verifier key;
	tfl_note note;
	const char *file, *expect;
	size_t i, len;
	char *buf;
	int rc;

	json_array_foreach(json_object_get(v, "negative_notes"), i, neg) {
		file = json_string_value(json_object_get(neg, "file"));
		expect = json_string_value(json_object_get(neg, "expect"));
		negative_vkey(&key, v,
		    json_string_value(json_object_get(neg, "vkey")));
		buf = read_vector(file, &len);
		rc = tfl_note_parse(&note, buf, len, &err);
		free(buf);
		if (strstr(expect, "malformed note") != NULL) {
			ck_assert_msg(rc == TFL_EINVAL, "%s parsed", file);
			continue;
		}
		ck_assert_msg(rc == 0, "%s: %s", file, err.msg);
		rc = tfl_note_verify(NULL, &note, &key, 1, &err);
		ck_assert_msg(rc == TFL_EVERIFY, "%s verified", file);
		ck_assert_msg(strstr(err.msg, key.name) != NULL, "%s", err.msg);
		tfl_note_release(&note);
	}
	ck_assert_uint_eq(i, 12);
	json_decref(v);
}
END_TEST

/* Sign the text of vector file with keys; the result must be the file. */
static void
assert_resigned(const char *file, const tfl_key *const *keys, size_t n)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_note note;
	size_t len, outlen;
	char *buf, *out;

	buf = read_vector(file, &len);
	ck_assert_int_eq(tfl_note_parse(&note, buf, len, &err), 0);
	ck_assert_msg(tfl_note_sign(&out, &outlen, note.text, note.textlen,
	    keys, n, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(outlen, len);
	ck_assert_msg(memcmp(out, buf, len) == 0, "%s: got\n%s", file, out);
	ck_assert_int_eq(out[outlen], '\0');
	free(out);
	free(buf);
	tfl_note_release(&note);
}

START_TEST(test_published_private_keys_reproduce_signatures_byte_for_byte)
{
	json_t *v = vectors();
	const char *sigsum = "sigsum.org/v1/tree/"
	    "e796172b92befd62d9dc67e41c2f5bc9d3100a3023b20b1ca40288dd1c679e69";
	tfl_key *keys[2];

	keys[0] = vector_key(v, "PeterNeumann");
	keys[1] = vector_key(v, "EnochRoot");
	assert_resigned("golang-mod_peterneumann.note",
	    (const tfl_key *const *)keys, 1);
	assert_resigned("golang-mod_peter+enoch.note",
	    (const tfl_key *const *)keys, 2);
	tfl_key_free(keys[0]);
	tfl_key_free(keys[1]);
	keys[0] = vector_key(v, sigsum);
	assert_resigned("sigsum_checkpoint.note",
	    (const tfl_key *const *)keys, 1);
	tfl_key_free(keys[0]);
	json_decref(v);
}
END_TEST

/* The vkey of a "PRIVATE+KEY+name+hash+base64(0x01 || seed)" string. */
static void
assert_skey_gives_vkey(const char *skey, const char *vkey)
{
	uint8_t raw[64];
	char name[129], b64[64], buf[256];
	tfl_verifier v;
	tfl_key *key = NULL;
	tfl_err err = TFL_ERR_INIT;

	ck_assert_int_eq(sscanf(skey, "PRIVATE+KEY+%128[^+]+%*8[0-9a-f]+%63s",
	    name, b64), 2);
	ck_assert_uint_eq(tu_unb64(raw, sizeof(raw), b64), 33);
	ck_assert_int_eq(raw[0], 1);
	ck_assert_int_eq(tfl_key_from_seed(&key, name, raw + 1, &err), 0);
	tfl_verifier_of_key(&v, key);
	ck_assert_int_eq(tfl_verifier_format(buf, sizeof(buf), &v), 0);
	ck_assert_str_eq(buf, vkey);
	tfl_key_free(key);
}

START_TEST(test_published_private_keys_derive_their_vkeys)
{
	json_t *v = vectors(), *k, *skeys, *vkeys;
	size_t i;

	k = key_entry(v, "Log / Known / KnownAgain / Unknown");
	skeys = json_object_get(k, "skeys");
	vkeys = json_object_get(k, "vkeys");

	ck_assert_uint_eq(json_array_size(skeys), 4);
	for (i = 0; i < json_array_size(skeys); i++)
		assert_skey_gives_vkey(
		    json_string_value(json_array_get(skeys, i)),
		    json_string_value(json_array_get(vkeys, i)));
	k = key_entry(v, "PeterNeumann");
	assert_skey_gives_vkey(json_string_value(json_object_get(k, "skey")),
	    json_string_value(json_object_get(k, "vkey")));
	json_decref(v);
}
END_TEST

START_TEST(test_seed_keys_match_published_public_keys)
{
	json_t *v = vectors(), *k;
	uint8_t want[TFL_ED25519_PUB_SIZE], got[TFL_ED25519_PUB_SIZE];
	tfl_key *key;
	size_t i, n = 0;

	json_array_foreach(json_object_get(v, "keys"), i, k) {
		if (json_object_get(k, "seed_hex") == NULL)
			continue;
		key = vector_key(v,
		    json_string_value(json_object_get(k, "name")));
		tu_unhex(want, sizeof(want),
		    json_string_value(json_object_get(k, "pubkey_hex")));
		tfl_key_public(got, key);
		ck_assert_mem_eq(got, want, sizeof(want));
		tfl_key_free(key);
		n++;
	}
	ck_assert_uint_eq(n, 4);
	json_decref(v);
}
END_TEST

START_TEST(test_bad_vkeys_are_rejected)
{
	json_t *v = vectors(), *b;
	tfl_err err = TFL_ERR_INIT;
	tfl_verifier out;
	const char *s;
	size_t i, n = 0;

	json_array_foreach(json_object_get(v, "bad_vkeys"), i, b) {
		s = json_string_value(json_object_get(b, "vkey"));
		if (s == NULL)
			continue;
		ck_assert_msg(tfl_verifier_parse(&out, s, strlen(s), &err) ==
		    TFL_EINVAL, "%s accepted", s);
		n++;
	}
	ck_assert_uint_eq(n, 4);
	/* The upstream hash-mismatch case, with real key material. */
	s = "PeterNeumann+00000000+"
	    "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
	ck_assert_int_eq(tfl_verifier_parse(&out, s, strlen(s), &err),
	    TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "does not match"));
	json_decref(v);
}
END_TEST

START_TEST(test_substrings_and_byte_increments_of_a_vkey_are_rejected)
{
	char buf[sizeof(PETER_VKEY)];
	size_t n = strlen(PETER_VKEY), start, len, i;
	tfl_verifier out;

	ck_assert_int_eq(tfl_verifier_parse(&out, PETER_VKEY, n, NULL), 0);
	for (start = 0; start < n; start++) {
		for (len = 0; start + len <= n; len++) {
			if (len == n)
				continue;
			ck_assert_msg(tfl_verifier_parse(&out,
			    PETER_VKEY + start, len, NULL) == TFL_EINVAL,
			    "%zu+%zu accepted", start, len);
		}
	}
	for (i = 0; i < n; i++) {
		memcpy(buf, PETER_VKEY, sizeof(buf));
		buf[i]++;
		ck_assert_msg(tfl_verifier_parse(&out, buf, n, NULL) ==
		    TFL_EINVAL, "%s accepted", buf);
	}
}
END_TEST

START_TEST(test_witness_vkeys_get_type_04_key_ids)
{
	json_t *v = vectors(), *k;
	const char *names[] = { "ArmoredWitness-small-breeze",
		"ArmoredWitness-autumn-wood" };
	tfl_verifier v1, v4;
	tfl_key *key;
	size_t i;

	for (i = 0; i < 2; i++) {
		k = key_entry(v, names[i]);
		parse_vkey(&v1, json_string_value(json_object_get(k,
		    "vkey_as_published_type01")));
		parse_vkey(&v4, json_string_value(json_object_get(k,
		    "vkey_type04")));
		ck_assert_int_eq(v1.type, TFL_NOTE_KEY_ED25519);
		ck_assert_int_eq(v4.type, TFL_NOTE_KEY_COSIG);
		ck_assert_str_eq(v1.name, v4.name);
		ck_assert_mem_eq(v1.pub, v4.pub, sizeof(v1.pub));
		ck_assert_uint_ne(v1.hash, v4.hash);
		ck_assert_uint_eq(v4.hash, strtoul(json_string_value(
		    json_object_get(k, "key_id_type04")), NULL, 16));
	}
	/* The same seed as a note key and as a witness key. */
	k = key_entry(v, "example.org/witness");
	key = vector_key(v, "example.org/witness");
	tfl_verifier_of_key(&v1, key);
	parse_vkey(&v4, json_string_value(json_object_get(k, "vkey_type04")));
	ck_assert_uint_eq(v1.hash, 0x3a5b06d5);
	ck_assert_uint_eq(v4.hash, 0xcacf2e50);
	ck_assert_mem_eq(v1.pub, v4.pub, sizeof(v1.pub));
	tfl_key_free(key);
	json_decref(v);
}
END_TEST

START_TEST(test_cosignature_decoy_lines_are_ignored)
{
	tfl_verifier key;
	tfl_note note;
	tfl_err err = TFL_ERR_INIT;
	unsigned char ok = 0;

	parse_vkey(&key, "example.org/witness+cacf2e50+"
	    "BGbguFjkYqYJ5m/nE3DIFtiEb/ED1UmaIqf+w3/bxCSn");
	parse_file(&note, "sigsum_cosigned_checkpoint.note");
	ck_assert_uint_eq(note.nsigs, 3);
	ck_assert_uint_eq(note.sigs[0].hash, 0xc97f2e50);
	ck_assert_str_eq(note.sigs[2].name, "example.org/witness-2");
	/* Ruin the decoys: a line matched on name or hash alone would fail. */
	note.sigs[0].blob[20] ^= 1;
	note.sigs[2].blob[20] ^= 1;
	ck_assert_msg(tfl_note_verify(&ok, &note, &key, 1, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(ok, 1);
	note.sigs[1].blob[20] ^= 1;
	ck_assert_int_eq(tfl_note_verify(&ok, &note, &key, 1, &err),
	    TFL_EVERIFY);
	tfl_note_release(&note);
}
END_TEST

static uint64_t
blob_time(const tfl_note_sig *sig)
{
	uint64_t t = 0;
	int i;

	for (i = 0; i < 8; i++)
		t = t << 8 | sig->blob[i];
	return t;
}

/* Parse a note made of a one-line text and the signature line line. */
static void
parse_one_line(tfl_note *note, const char *line)
{
	char buf[512];
	int n;

	n = snprintf(buf, sizeof(buf), "text\n\n%s\n", line);
	ck_assert_int_eq(tfl_note_parse(note, buf, (size_t)n, NULL), 0);
	ck_assert_uint_eq(note->nsigs, 1);
}

START_TEST(test_cosignature_timestamps_are_read_from_the_blob)
{
	json_t *v = vectors(), *m;
	tfl_note note;
	char line[256];

	parse_file(&note,
	    "transparency-dev-witness_pixel_witnessed_checkpoint.note");
	ck_assert_uint_eq(note.nsigs, 3);
	ck_assert_uint_eq(blob_time(&note.sigs[1]), 1738713836);
	ck_assert_uint_eq(blob_time(&note.sigs[2]), 1738713829);
	tfl_note_release(&note);
	m = json_object_get(json_object_get(v, "misc"),
	    "c2sp_cosignature_example");
	parse_one_line(&note, json_string_value(json_object_get(m, "line")));
	ck_assert_uint_eq(note.sigs[0].hash, 0x8d66cf3f);
	ck_assert_uint_eq(note.sigs[0].bloblen, 72);
	ck_assert_uint_eq(blob_time(&note.sigs[0]), 1679315147);
	tfl_note_release(&note);
	m = json_object_get(json_object_get(v, "misc"),
	    "cosignature_timestamp_only");
	snprintf(line, sizeof(line), "\xe2\x80\x94 w %s",
	    json_string_value(json_object_get(m, "sig_base64")));
	parse_one_line(&note, line);
	ck_assert_uint_eq(note.sigs[0].hash, 0x646846b9);
	ck_assert_uint_eq(blob_time(&note.sigs[0]), 1727964367);
	tfl_note_release(&note);
	json_decref(v);
}
END_TEST

START_TEST(test_unlisted_signer_of_a_vector_is_ignored)
{
	tfl_verifier key;
	tfl_note note;
	unsigned char ok = 0;

	parse_vkey(&key, PETER_VKEY);
	parse_file(&note, "golang-mod_peter+enoch.note");
	ck_assert_uint_eq(note.nsigs, 2);
	ck_assert_int_eq(tfl_note_verify(&ok, &note, &key, 1, NULL), 0);
	ck_assert_int_eq(ok, 1);
	tfl_note_release(&note);
}
END_TEST

START_TEST(test_two_space_signature_line_is_malformed)
{
	const char *two = "text\n\n\xe2\x80\x94  PeterNeumann x08go/ZJkuBS9UG/"
	    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6"
	    "KE6RyyBwJnAM=\n";
	tfl_note note;
	tfl_err err = TFL_ERR_INIT;

	ck_assert_int_eq(tfl_note_parse(&note, two, strlen(two), &err),
	    TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "signature line 1"));
	/* With one space it parses: the check above is not vacuous. */
	parse_one_line(&note, "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/"
	    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6"
	    "KE6RyyBwJnAM=");
	tfl_note_release(&note);
}
END_TEST

START_TEST(test_one_hundred_signatures_parse)
{
	const char *line = "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvI"
	    "AQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6Ryy"
	    "BwJnAM=\n";
	char *buf = malloc(20 + 101 * strlen(line));
	tfl_note note;
	tfl_err err = TFL_ERR_INIT;
	size_t n, i;

	ck_assert_ptr_nonnull(buf);
	n = (size_t)sprintf(buf, "text\n\n");
	for (i = 0; i < 100; i++)
		n += (size_t)sprintf(buf + n, "%s", line);
	ck_assert_msg(tfl_note_parse(&note, buf, n, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(note.nsigs, 100);
	tfl_note_release(&note);
	n += (size_t)sprintf(buf + n, "%s", line);
	ck_assert_int_eq(tfl_note_parse(&note, buf, n, &err), TFL_EINVAL);
	free(buf);
}
END_TEST

/* A fresh key and its verifier. */
static tfl_key *
new_key(tfl_verifier *v, const char *name)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_key *key = NULL;

	ck_assert_msg(tfl_key_generate(&key, name, &err) == 0, "%s", err.msg);
	tfl_verifier_of_key(v, key);
	return key;
}

/* Sign text with keys and parse the result into note. */
static void
sign_parse(tfl_note *note, const char *text, tfl_key **keys, size_t n)
{
	tfl_err err = TFL_ERR_INIT;
	size_t len;
	char *out;

	ck_assert_msg(tfl_note_sign(&out, &len, text, strlen(text),
	    (const tfl_key *const *)keys, n, &err) == 0, "%s", err.msg);
	ck_assert_msg(tfl_note_parse(note, out, len, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(note->text, text);
	free(out);
}

START_TEST(test_note_signed_by_two_keys_verifies_each)
{
	tfl_verifier v[2];
	tfl_key *k[2];
	tfl_note note;
	unsigned char ok[2] = { 0, 0 };
	tfl_err err = TFL_ERR_INIT;

	k[0] = new_key(&v[0], "treasurer.unvtf");
	k[1] = new_key(&v[1], "approver.unvtf");
	sign_parse(&note, "seq 1\n\nan inner blank line\n", k, 2);
	ck_assert_uint_eq(note.nsigs, 2);
	ck_assert_int_eq(tfl_note_verify(ok, &note, &v[0], 1, &err), 0);
	ck_assert_int_eq(ok[0], 1);
	ck_assert_int_eq(tfl_note_verify(ok, &note, &v[1], 1, &err), 0);
	ck_assert_int_eq(ok[0], 1);
	ok[0] = 0;
	ck_assert_int_eq(tfl_note_verify(ok, &note, v, 2, &err), 0);
	ck_assert_int_eq(ok[0] + ok[1], 2);
	tfl_note_release(&note);
	tfl_key_free(k[0]);
	tfl_key_free(k[1]);
}
END_TEST

START_TEST(test_bad_signature_by_known_key_is_everify)
{
	tfl_verifier v;
	tfl_key *k = new_key(&v, "treasurer.unvtf");
	tfl_note note;
	tfl_err err = TFL_ERR_INIT;

	sign_parse(&note, "amount 12.34 USD\n", &k, 1);
	ck_assert_int_eq(tfl_note_verify(NULL, &note, &v, 1, &err), 0);
	note.sigs[0].blob[0] ^= 0x80;
	ck_assert_int_eq(tfl_note_verify(NULL, &note, &v, 1, &err),
	    TFL_EVERIFY);
	ck_assert_int_eq(err.code, TFL_EVERIFY);
	ck_assert_ptr_nonnull(strstr(err.msg, "treasurer.unvtf"));
	note.sigs[0].blob[0] ^= 0x80;
	note.text[0] = 'A'; /* the signed text altered */
	ck_assert_int_eq(tfl_note_verify(NULL, &note, &v, 1, &err),
	    TFL_EVERIFY);
	tfl_note_release(&note);
	tfl_key_free(k);
}
END_TEST

START_TEST(test_signature_lines_of_unknown_keys_are_ignored)
{
	tfl_verifier v[3];
	tfl_key *k[3];
	tfl_note note;
	unsigned char ok[1] = { 0 };
	tfl_err err = TFL_ERR_INIT;

	k[0] = new_key(&v[0], "a.example");
	k[1] = new_key(&v[1], "b.example");
	k[2] = new_key(&v[2], "c.example");
	sign_parse(&note, "hello\n", k, 2);
	/* b's line is corrupt, but b is not a key we were given. */
	note.sigs[1].blob[5] ^= 1;
	ck_assert_int_eq(tfl_note_verify(ok, &note, &v[0], 1, &err), 0);
	ck_assert_int_eq(ok[0], 1);
	ck_assert_int_eq(tfl_note_verify(ok, &note, &v[2], 1, &err),
	    TFL_EVERIFY);
	ck_assert_int_eq(ok[0], 0);
	ck_assert_str_eq(err.msg, "note: no known signature");
	ck_assert_int_eq(tfl_note_verify(NULL, &note, &v[1], 1, &err),
	    TFL_EVERIFY);
	tfl_note_release(&note);
	tfl_key_free(k[0]);
	tfl_key_free(k[1]);
	tfl_key_free(k[2]);
}
END_TEST

START_TEST(test_verifier_format_parse_round_trip)
{
	tfl_verifier v, back;
	tfl_key *k = new_key(&v, "treasurer.unvtf");
	char buf[256];
	tfl_err err = TFL_ERR_INIT;

	ck_assert_int_eq(tfl_verifier_format(buf, sizeof(buf), &v), 0);
	ck_assert_int_eq(strncmp(buf, "treasurer.unvtf+", 16), 0);
	ck_assert_int_eq(tfl_verifier_parse(&back, buf, strlen(buf), &err), 0);
	ck_assert_str_eq(back.name, v.name);
	ck_assert_uint_eq(back.hash, v.hash);
	ck_assert_int_eq(back.type, TFL_NOTE_KEY_ED25519);
	ck_assert_mem_eq(back.pub, v.pub, sizeof(v.pub));
	/* And a published vkey whose base64 holds '+' comes back unchanged. */
	parse_vkey(&v, "sum.golang.org+033de0ae+"
	    "Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8");
	ck_assert_int_eq(tfl_verifier_format(buf, sizeof(buf), &v), 0);
	ck_assert_str_eq(buf, "sum.golang.org+033de0ae+"
	    "Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8");
	ck_assert_int_eq(tfl_verifier_format(buf, strlen(buf), &v),
	    TFL_EINVAL);
	tfl_key_free(k);
}
END_TEST

START_TEST(test_sign_refuses_text_that_is_not_note_text)
{
	tfl_verifier v;
	tfl_key *k = new_key(&v, "treasurer.unvtf");
	const tfl_key *keys[1] = { k };
	/* each after printable ASCII, and after a valid non-ASCII one too */
	const char *bad[] = { "", "no newline", "tab\there\n", "cr\r\n",
		"\xff\n", "caf\xc3\n", "caf\xc3\xa9\x7f\n",
		"caf\xc3\xa9 cr\r\n", "caf\xc3\xa9 \xc2\x85\n",
		"surrogate \xed\xa0\x80\n", "caf\xc3\xa9 \xff\n" };
	const char *euro = "caf\xc3\xa9 \xe2\x82\xac\n";
	size_t i, len;
	char *out;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(tfl_note_sign(&out, &len, bad[i], strlen(bad[i]),
		    keys, 1, NULL) == TFL_EINVAL, "%zu signed", i);
	ck_assert_int_eq(tfl_note_sign(&out, &len, "ok\n", 3, keys, 0, NULL),
	    TFL_EINVAL);
	ck_assert_int_eq(tfl_note_sign(&out, &len, "ok\n", 3, keys, 1, NULL),
	    0);
	free(out);
	ck_assert_int_eq(tfl_note_sign(&out, &len, euro, strlen(euro), keys,
	    1, NULL), 0);
	free(out);
	tfl_key_free(k);
}
END_TEST

START_TEST(test_key_names_follow_the_signed_note_rules)
{
	char longname[TFL_KEY_NAME_MAX + 2];

	ck_assert(tfl_note_name_valid("treasurer.unvtf", 15));
	ck_assert(tfl_note_name_valid("caf\xc3\xa9", 5));
	ck_assert(!tfl_note_name_valid("", 0));
	ck_assert(!tfl_note_name_valid("a b", 3));
	ck_assert(!tfl_note_name_valid("a+b", 3));
	ck_assert(!tfl_note_name_valid("a\tb", 3));
	ck_assert(!tfl_note_name_valid("a\xc2\xa0" "b", 4));  /* NBSP */
	ck_assert(!tfl_note_name_valid("a\xe3\x80\x80" "b", 5)); /* U+3000 */
	ck_assert(!tfl_note_name_valid("a\xff", 2));
	memset(longname, 'x', sizeof(longname));
	ck_assert(tfl_note_name_valid(longname, TFL_KEY_NAME_MAX));
	ck_assert(!tfl_note_name_valid(longname, TFL_KEY_NAME_MAX + 1));
}
END_TEST

/* Fuzzing found these: FORMAT.md section 2 refuses DEL and C1 too. */
START_TEST(test_notes_with_del_or_c1_controls_are_rejected)
{
	/* DEL, NEL and APC, then plain text, in notes otherwise well formed */
	const char *ctl[4] = { "\x7f", "\xc2\x85", "\xc2\x9f", "ok" };
	tfl_verifier v;
	tfl_key *k = new_key(&v, "treasurer.unvtf");
	const tfl_key *keys[1] = { k };
	tfl_err err = TFL_ERR_INIT;
	char buf[160], *out;
	tfl_note note;
	size_t i, n, len;
	int want;

	for (i = 0; i < 4; i++) {
		want = i < 3 ? TFL_EINVAL : 0;
		/* the signature: base64 of 68 zero bytes */
		snprintf(buf, sizeof(buf), "text %s\n\n\xe2\x80\x94 a.b %s=\n",
		    ctl[i], "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
		ck_assert_msg(tfl_note_parse(&note, buf, strlen(buf), &err) ==
		    want, "note %zu: %s", i, err.msg);
		tfl_note_release(&note);
		n = (size_t)(strchr(buf, '\n') - buf) + 1;
		ck_assert_msg(tfl_note_sign(&out, &len, buf, n, keys, 1,
		    NULL) == want, "text %zu", i);
		if (want == 0)
			free(out);
	}
	/* A C2 lead byte of a printable character is fine: U+00A0. */
	ck_assert_int_eq(tfl_note_sign(&out, &len, "no\xc2\xa0" "break\n", 10,
	    keys, 1, NULL), 0);
	ck_assert_int_eq(tfl_note_parse(&note, out, len, &err), 0);
	tfl_note_release(&note);
	free(out);
	tfl_key_free(k);
}
END_TEST

/* Fuzzing found a verifier key's newline quoted into the message. */
START_TEST(test_messages_quoting_a_bad_vkey_stay_one_line)
{
	const char *bad[] = { "a\nb+12345678+AAAA", "a\x1b[31m+1+A",
		"no plus at all\r\n", "x\xc2\x85y+00000000+AAAA" };
	tfl_err err = TFL_ERR_INIT;
	tfl_verifier v;
	size_t i, j;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(tfl_verifier_parse(&v, bad[i], strlen(bad[i]),
		    &err), TFL_EINVAL);
		for (j = 0; err.msg[j] != '\0'; j++)
			ck_assert_msg((unsigned char)err.msg[j] >= 0x20 &&
			    err.msg[j] != 0x7f && !((unsigned char)err.msg[j]
			    == 0xc2 && (unsigned char)err.msg[j + 1] < 0xa0),
			    "vkey %zu: control in \"%s\"", i, err.msg);
	}
	ck_assert_str_eq(err.msg, "verifier key \"x?y+00000000+AAAA\": "
	    "invalid name");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("note");
	TCase *tc = tcase_create("note");

	tcase_add_test(tc, test_every_positive_vector_verifies_with_its_vkeys);
	tcase_add_test(tc, test_every_negative_vector_is_rejected);
	tcase_add_test(tc,
	    test_published_private_keys_reproduce_signatures_byte_for_byte);
	tcase_add_test(tc, test_published_private_keys_derive_their_vkeys);
	tcase_add_test(tc, test_seed_keys_match_published_public_keys);
	tcase_add_test(tc, test_bad_vkeys_are_rejected);
	tcase_add_test(tc,
	    test_substrings_and_byte_increments_of_a_vkey_are_rejected);
	tcase_add_test(tc, test_witness_vkeys_get_type_04_key_ids);
	tcase_add_test(tc, test_cosignature_decoy_lines_are_ignored);
	tcase_add_test(tc, test_cosignature_timestamps_are_read_from_the_blob);
	tcase_add_test(tc, test_unlisted_signer_of_a_vector_is_ignored);
	tcase_add_test(tc, test_two_space_signature_line_is_malformed);
	tcase_add_test(tc, test_one_hundred_signatures_parse);
	tcase_add_test(tc, test_note_signed_by_two_keys_verifies_each);
	tcase_add_test(tc, test_bad_signature_by_known_key_is_everify);
	tcase_add_test(tc, test_signature_lines_of_unknown_keys_are_ignored);
	tcase_add_test(tc, test_verifier_format_parse_round_trip);
	tcase_add_test(tc, test_sign_refuses_text_that_is_not_note_text);
	tcase_add_test(tc, test_key_names_follow_the_signed_note_rules);
	tcase_add_test(tc, test_notes_with_del_or_c1_controls_are_rejected);
	tcase_add_test(tc, test_messages_quoting_a_bad_vkey_stay_one_line);
	suite_add_tcase(s, tc);
	return tu_run(s) != 0;
}
