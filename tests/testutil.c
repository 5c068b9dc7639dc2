/*
 * testutil.c - helpers shared by the Check suites.
 * _XOPEN_SOURCE for nftw(), which plain POSIX leaves out.
 */
#define _XOPEN_SOURCE 700

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "testutil.h"

const char *
tu_vector_path(const char *rel)
{
	static char buf[4096];
	const char *shared = getenv("SHARED");

	if (shared == NULL)
		shared = "../shared";
	snprintf(buf, sizeof(buf), "%s/vectors/%s", shared, rel);
	return buf;
}

json_t *
tu_json_load(const char *path)
{
	json_error_t jerr;
	json_t *j = json_load_file(path, 0, &jerr);

	ck_assert_msg(j != NULL, "%s:%d: %s", path, jerr.line, jerr.text);
	return j;
}

char *
tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

char *
tu_tmpdir(void)
{
	char tmpl[] = "/tmp/tfltest.XXXXXX";
	char *p = mkdtemp(tmpl);

	ck_assert_ptr_nonnull(p);
	p = strdup(p);
	ck_assert_ptr_nonnull(p);
	return p;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
tu_rmtree(const char *path)
{
	if (path != NULL)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void
tu_unhex(uint8_t *out, size_t len, const char *hex)
{
	size_t i;
	unsigned v;

	ck_assert_uint_eq(strlen(hex), 2 * len);
	for (i = 0; i < len; i++) {
		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

size_t
tu_unb64(uint8_t *out, size_t cap, const char *b64)
{
	size_t n = strlen(b64), pad = 0;
	unsigned char *tmp = malloc(n + 1);
	int got;

	ck_assert_ptr_nonnull(tmp);
	got = EVP_DecodeBlock(tmp, (const unsigned char *)b64, (int)n);
	ck_assert_int_ge(got, 0);
	if (n > 0 && b64[n - 1] == '=')
		pad++;
	if (n > 1 && b64[n - 2] == '=')
		pad++;
	got -= (int)pad;
	ck_assert_uint_le((size_t)got, cap);
	memcpy(out, tmp, (size_t)got);
	free(tmp);
	return (size_t)got;
}

int
tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed;
}
