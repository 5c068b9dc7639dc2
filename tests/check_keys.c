/*
 * check_keys.c - Ed25519 keys: RFC 8032 known answers, encrypted key files,
 * their permissions and passphrases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "tfledger/keys.h"
#include "tfledger/note.h"

#define PASS "correct horse battery staple"

static char *dir;
static char path[4096];

static void
setup(void)
{
	dir = tu_tmpdir();
	snprintf(path, sizeof(path), "%s/treasurer.key", dir);
}

static void
teardown(void)
{
	tu_rmtree(dir);
	free(dir);
	dir = NULL;
}

static tfl_key *
generate(const char *name)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_key *key = NULL;

	ck_assert_msg(tfl_key_generate(&key, name, &err) == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(key);
	return key;
}

static void
save(const tfl_key *key)
{
	tfl_err err = TFL_ERR_INIT;

	ck_assert_msg(tfl_key_save(key, path, PASS, strlen(PASS), &err) == 0,
	    "%s", err.msg);
}

/* RFC 8032 section 7.1, tests 1 and 2. */
static const struct {
	const char *seed, *pub, *msg, *sig;
} rfc8032[] = {
	{ "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
	  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
	  "",
	  "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
	  "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
	{ "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
	  "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
	  "72",
	  "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
	  "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
};

START_TEST(test_seed_key_signs_rfc8032_vectors)
{
	uint8_t seed[32], pub[32], got[32], msg[1], sig[64], want[64];
	tfl_err err = TFL_ERR_INIT;
	tfl_key *key = NULL;
	size_t mlen = strlen(rfc8032[_i].msg) / 2;

	tu_unhex(seed, 32, rfc8032[_i].seed);
	tu_unhex(pub, 32, rfc8032[_i].pub);
	tu_unhex(msg, mlen, rfc8032[_i].msg);
	tu_unhex(want, 64, rfc8032[_i].sig);
	ck_assert_int_eq(tfl_key_from_seed(&key, "rfc8032", seed, &err), 0);
	tfl_key_public(got, key);
	ck_assert_mem_eq(got, pub, 32);
	ck_assert_int_eq(tfl_key_sign(sig, key, msg, mlen, &err), 0);
	ck_assert_mem_eq(sig, want, 64);
	ck_assert_int_eq(tfl_ed25519_verify(pub, msg, mlen, sig, &err), 0);
	tfl_key_free(key);
}
END_TEST

START_TEST(test_altered_message_or_signature_does_not_verify)
{
	tfl_key *key = generate("treasurer.unvtf");
	uint8_t pub[32], sig[64];
	tfl_err err = TFL_ERR_INIT;

	tfl_key_public(pub, key);
	ck_assert_int_eq(tfl_key_sign(sig, key, "pay 100", 7, &err), 0);
	ck_assert_int_eq(tfl_ed25519_verify(pub, "pay 100", 7, sig, &err), 0);
	ck_assert_int_eq(tfl_ed25519_verify(pub, "pay 900", 7, sig, &err),
	    TFL_EVERIFY);
	sig[63] ^= 0x40;
	ck_assert_int_eq(tfl_ed25519_verify(pub, "pay 100", 7, sig, &err),
	    TFL_EVERIFY);
	/* A failed verification is an answer: err stays untouched. */
	ck_assert_int_eq(err.code, 0);
	ck_assert_str_eq(err.msg, "");
	tfl_key_free(key);
}
END_TEST

START_TEST(test_generated_keys_differ)
{
	tfl_key *a = generate("a"), *b = generate("b");
	uint8_t pa[32], pb[32];

	tfl_key_public(pa, a);
	tfl_key_public(pb, b);
	ck_assert_mem_ne(pa, pb, 32);
	ck_assert_str_eq(tfl_key_name(a), "a");
	tfl_key_free(a);
	tfl_key_free(b);
	tfl_key_free(NULL);
}
END_TEST

START_TEST(test_bad_key_names_are_refused)
{
	const char *bad[] = { "", "two words", "a+b", "tab\tname", "\xff" };
	char longname[TFL_KEY_NAME_MAX + 2];
	uint8_t seed[32] = { 0 };
	tfl_err err = TFL_ERR_INIT;
	tfl_key *key;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(tfl_key_generate(&key, bad[i], &err),
		    TFL_EINVAL);
		ck_assert_ptr_null(key);
		ck_assert_int_eq(tfl_key_from_seed(&key, bad[i], seed, &err),
		    TFL_EINVAL);
	}
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_int_eq(tfl_key_generate(&key, longname, &err), TFL_EINVAL);
	longname[TFL_KEY_NAME_MAX] = '\0';
	ck_assert_int_eq(tfl_key_generate(&key, longname, &err), 0);
	tfl_key_free(key);
}
END_TEST

START_TEST(test_saved_key_loads_signs_and_verifies)
{
	tfl_key *key = generate("treasurer.unvtf"), *back = NULL;
	const tfl_key *signer[1];
	tfl_err err = TFL_ERR_INIT;
	uint8_t p1[32], p2[32];
	tfl_verifier v;
	tfl_note note;
	size_t len;
	char *out;

	save(key);
	ck_assert_msg(tfl_key_load(&back, path, PASS, strlen(PASS), &err) ==
	    0, "%s", err.msg);
	ck_assert_str_eq(tfl_key_name(back), "treasurer.unvtf");
	tfl_key_public(p1, key);
	tfl_key_public(p2, back);
	ck_assert_mem_eq(p1, p2, 32);
	signer[0] = back;
	ck_assert_int_eq(tfl_note_sign(&out, &len, "seq 0\n", 6, signer, 1,
	    &err), 0);
	tfl_verifier_of_key(&v, key);
	ck_assert_int_eq(tfl_note_parse(&note, out, len, &err), 0);
	ck_assert_msg(tfl_note_verify(NULL, &note, &v, 1, &err) == 0, "%s",
	    err.msg);
	tfl_note_release(&note);
	free(out);
	tfl_key_free(key);
	tfl_key_free(back);
}
END_TEST

START_TEST(test_key_file_is_a_name_line_then_encrypted_pkcs8)
{
	tfl_key *key = generate("treasurer.unvtf");
	const char *want = "tfledger-key-name: treasurer.unvtf\n"
	    "-----BEGIN ENCRYPTED PRIVATE KEY-----\n";
	char *buf;

	save(key);
	buf = tu_read_file(path, NULL);
	ck_assert_int_eq(strncmp(buf, want, strlen(want)), 0);
	ck_assert_ptr_null(strstr(buf, PASS));
	free(buf);
	tfl_key_free(key);
}
END_TEST

START_TEST(test_saved_file_mode_is_0600)
{
	tfl_key *key = generate("treasurer.unvtf");
	struct stat st;
	mode_t old = umask(0);

	save(key);
	umask(old);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	tfl_key_free(key);
}
END_TEST

START_TEST(test_save_refuses_an_existing_file)
{
	tfl_key *key = generate("treasurer.unvtf");
	tfl_err err = TFL_ERR_INIT;
	FILE *f = fopen(path, "w");
	char *buf;

	ck_assert_ptr_nonnull(f);
	fputs("precious\n", f);
	fclose(f);
	ck_assert_int_eq(tfl_key_save(key, path, PASS, strlen(PASS), &err),
	    TFL_EEXIST);
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	buf = tu_read_file(path, NULL);
	ck_assert_str_eq(buf, "precious\n");
	free(buf);
	tfl_key_free(key);
}
END_TEST

START_TEST(test_load_refuses_a_group_readable_file)
{
	tfl_key *key = generate("treasurer.unvtf"), *back = NULL;
	tfl_err err = TFL_ERR_INIT;

	save(key);
	ck_assert_int_eq(chmod(path, 0640), 0);
	ck_assert_int_eq(tfl_key_load(&back, path, PASS, strlen(PASS), &err),
	    TFL_EINVAL);
	ck_assert_ptr_null(back);
	ck_assert_ptr_nonnull(strstr(err.msg, "0640"));
	ck_assert_int_eq(chmod(path, 0604), 0);
	ck_assert_int_eq(tfl_key_load(&back, path, PASS, strlen(PASS), &err),
	    TFL_EINVAL);
	ck_assert_int_eq(chmod(path, 0400), 0);
	ck_assert_int_eq(tfl_key_load(&back, path, PASS, strlen(PASS), &err),
	    0);
	tfl_key_free(back);
	tfl_key_free(key);
}
END_TEST

START_TEST(test_wrong_passphrase_is_epass_and_names_only_the_file)
{
	tfl_key *key = generate("treasurer.unvtf"), *back = NULL;
	const char *wrong = "correct horse battery stapler";
	tfl_err err = TFL_ERR_INIT;
	char want[4200];

	save(key);
	ck_assert_int_eq(tfl_key_load(&back, path, wrong, strlen(wrong), &err),
	    TFL_EPASS);
	ck_assert_ptr_null(back);
	ck_assert_int_eq(err.code, TFL_EPASS);
	snprintf(want, sizeof(want), "wrong passphrase for key file %s", path);
	ck_assert_str_eq(err.msg, want);
	ck_assert_ptr_null(strstr(err.msg, "horse"));
	/* A prefix of the right passphrase is wrong too. */
	ck_assert_int_eq(tfl_key_load(&back, path, PASS, strlen(PASS) - 1,
	    &err), TFL_EPASS);
	tfl_key_free(key);
}
END_TEST

START_TEST(test_empty_passphrase_is_refused)
{
	tfl_key *key = generate("treasurer.unvtf"), *back = NULL;
	tfl_err err = TFL_ERR_INIT;
	struct stat st;

	ck_assert_int_eq(tfl_key_save(key, path, "", 0, &err), TFL_EINVAL);
	ck_assert_int_eq(stat(path, &st), -1);
	save(key);
	ck_assert_int_eq(tfl_key_load(&back, path, "", 0, &err), TFL_EPASS);
	ck_assert_ptr_null(back);
	tfl_key_free(key);
}
END_TEST

START_TEST(test_load_of_a_missing_file_is_enotfound)
{
	tfl_key *back = NULL;
	tfl_err err = TFL_ERR_INIT;

	ck_assert_int_eq(tfl_key_load(&back, path, PASS, strlen(PASS), &err),
	    TFL_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, path));
}
END_TEST

START_TEST(test_load_refuses_a_symlink)
{
	tfl_key *key = generate("treasurer.unvtf"), *back = NULL;
	tfl_err err = TFL_ERR_INIT;
	char link[4200];

	save(key);
	snprintf(link, sizeof(link), "%s/link.key", dir);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(tfl_key_load(&back, link, PASS, strlen(PASS), &err),
	    TFL_EINVAL);
	ck_assert_ptr_null(back);
	tfl_key_free(key);
}
END_TEST

/* Write text to path with mode 0600 and expect the load to give want. */
static void
assert_load_gives(const char *text, int want)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_key *back = NULL;
	FILE *f;

	unlink(path);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_msg(tfl_key_load(&back, path, PASS, strlen(PASS), &err) ==
	    want, "%s: %s", text, err.msg);
	ck_assert(want == 0 ? back != NULL : back == NULL);
	tfl_key_free(back);
}

START_TEST(test_load_refuses_malformed_files)
{
	tfl_key *key = generate("treasurer.unvtf");
	char *good, *pem;

	save(key);
	good = tu_read_file(path, NULL);
	pem = strchr(good, '\n') + 1;
	assert_load_gives(pem, TFL_EINVAL); /* no name line */
	assert_load_gives("tfledger-key-name: a b\n", TFL_EINVAL);
	assert_load_gives("tfledger-key-name: ok\nnot pem\n", TFL_EINVAL);
	assert_load_gives("tfledger-key-name: ok\n-----BEGIN ENCRYPTED "
	    "PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
	    TFL_EINVAL);
	/* The good file passes this helper's other steps. */
	assert_load_gives(good, 0);
	free(good);
	tfl_key_free(key);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("keys");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_seed_key_signs_rfc8032_vectors, 0, 2);
	tcase_add_test(tc, test_altered_message_or_signature_does_not_verify);
	tcase_add_test(tc, test_generated_keys_differ);
	tcase_add_test(tc, test_bad_key_names_are_refused);
	tcase_add_test(tc, test_saved_key_loads_signs_and_verifies);
	tcase_add_test(tc, test_key_file_is_a_name_line_then_encrypted_pkcs8);
	tcase_add_test(tc, test_saved_file_mode_is_0600);
	tcase_add_test(tc, test_save_refuses_an_existing_file);
	tcase_add_test(tc, test_load_refuses_a_group_readable_file);
	tcase_add_test(tc,
	    test_wrong_passphrase_is_epass_and_names_only_the_file);
	tcase_add_test(tc, test_empty_passphrase_is_refused);
	tcase_add_test(tc, test_load_of_a_missing_file_is_enotfound);
	tcase_add_test(tc, test_load_refuses_a_symlink);
	tcase_add_test(tc, test_load_refuses_malformed_files);
	suite_add_tcase(s, tc);
	return tu_run(s) != 0;
}
