/*
 * check_checkpoint.c - strict C2SP tlog-checkpoint parsing and formatting,
 * against checkpoint/checkpoint-parse-vectors.json and signed checkpoints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "testutil.h"
#include "tfledger/checkpoint.h"
#include "tfledger/note.h"

#define SOFA_ROOT "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="

static int
parse(tfl_checkpoint *c, const char *text)
{
	tfl_err err = TFL_ERR_INIT;

	return tfl_checkpoint_parse(c, text, strlen(text), &err);
}

START_TEST(test_parse_vectors_follow_the_strict_column)
{
	json_t *v, *cs;
	tfl_checkpoint c;
	tfl_err err = TFL_ERR_INIT;
	const char *text, *desc;
	size_t i, nok = 0;
	int rc;

	v = tu_json_load(tu_vector_path(
	    "checkpoint/checkpoint-parse-vectors.json"));
	json_array_foreach(json_object_get(v, "cases"), i, cs) {
		text = json_string_value(json_object_get(cs, "text"));
		desc = json_string_value(json_object_get(cs, "desc"));
		rc = tfl_checkpoint_parse(&c, text, strlen(text), &err);
		if (json_is_true(json_object_get(cs, "strict_c2sp_wantErr"))) {
			ck_assert_msg(rc == TFL_EINVAL, "%s: accepted", desc);
			ck_assert_msg(strstr(err.msg, "checkpoint") != NULL,
			    "%s: %s", desc, err.msg);
		} else {
			ck_assert_msg(rc == 0, "%s: %s", desc, err.msg);
			nok++;
		}
	}
	ck_assert_uint_eq(i, 17);
	ck_assert_uint_eq(nok, 2);
	json_decref(v);
}
END_TEST

START_TEST(test_vector_bodies_give_their_fields)
{
	uint8_t want[32], leaf[12] = "\0hello world";
	unsigned int n;
	tfl_checkpoint c;

	ck_assert_int_eq(parse(&c, "example.com/behind-the-sofa\n20852163\n"
	    SOFA_ROOT "\n"), 0);
	ck_assert_str_eq(c.origin, "example.com/behind-the-sofa");
	ck_assert_uint_eq(c.size, 20852163);
	ck_assert_uint_eq(tu_unb64(want, sizeof(want), SOFA_ROOT), 32);
	ck_assert_mem_eq(c.root, want, 32);
	/* The go.sum root is RecordHash("hello world"). */
	ck_assert_int_eq(parse(&c, "go.sum database tree\n123456789012\n"
	    "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n"), 0);
	ck_assert_str_eq(c.origin, "go.sum database tree");
	ck_assert_uint_eq(c.size, 123456789012ULL);
	ck_assert_int_eq(EVP_Digest(leaf, sizeof(leaf), want, &n, EVP_sha256(),
	    NULL), 1);
	ck_assert_mem_eq(c.root, want, 32);
}
END_TEST

/* Parse the checkpoint in the text of the signed note file. */
static void
parse_note_file(tfl_checkpoint *c, const char *file)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_note note;
	char rel[256], *buf;
	size_t len;

	snprintf(rel, sizeof(rel), "signed-note/%s", file);
	buf = tu_read_file(tu_vector_path(rel), &len);
	ck_assert_msg(tfl_note_parse(&note, buf, len, &err) == 0, "%s",
	    err.msg);
	ck_assert_msg(tfl_checkpoint_parse(c, note.text, note.textlen, &err) ==
	    0, "%s: %s", file, err.msg);
	tfl_note_release(&note);
	free(buf);
}

START_TEST(test_signed_checkpoint_vectors_parse)
{
	uint8_t want[32] = { 0x1c, 0x0e, 0x47 };
	tfl_checkpoint c;

	parse_note_file(&c, "sigsum_checkpoint.note");
	ck_assert_str_eq(c.origin, "sigsum.org/v1/tree/"
	    "e796172b92befd62d9dc67e41c2f5bc9d3100a3023b20b1ca40288dd1c679e69");
	ck_assert_uint_eq(c.size, 10);
	ck_assert_mem_eq(c.root, want, 32);
	parse_note_file(&c, "sigsum_cosigned_checkpoint.note");
	ck_assert_str_eq(c.origin, "example.org/log");
	ck_assert_mem_eq(c.root, want, 32);
	parse_note_file(&c, "sumgolang_checkpoint_2024-09-23.note");
	ck_assert_str_eq(c.origin, "go.sum database tree");
	ck_assert_uint_eq(c.size, 30055305);
	parse_note_file(&c,
	    "transparency-dev-witness_pixel_witnessed_checkpoint.note");
	ck_assert_str_eq(c.origin,
	    "developers.google.com/android/binary_transparency/0");
	ck_assert_uint_eq(c.size, 611);
}
END_TEST

START_TEST(test_extension_lines_are_accepted_but_not_empty_ones)
{
	tfl_checkpoint c;

	ck_assert_int_eq(parse(&c, "log\n5\n" SOFA_ROOT "\next one\nx\n"), 0);
	ck_assert_uint_eq(c.size, 5);
	ck_assert_int_eq(parse(&c, "log\n5\n" SOFA_ROOT "\n\n"), TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "log\n5\n" SOFA_ROOT "\next\n\nx\n"),
	    TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "log\n5\n" SOFA_ROOT "\next"), TFL_EINVAL);
}
END_TEST

START_TEST(test_the_state_line_is_read_and_must_be_well_formed)
{
	const char *hex = "00112233445566778899aabbccddeeff"
	    "00112233445566778899aabbccddeeff";
	char text[256];
	tfl_checkpoint c;
	int i;

	ck_assert_int_eq(parse(&c, "log\n5\n" SOFA_ROOT "\next\n"), 0);
	ck_assert_int_eq(c.has_state, 0);
	snprintf(text, sizeof(text), "log\n5\n" SOFA_ROOT "\nx\n"
	    TFL_CHECKPOINT_STATE "%s\n", hex);
	ck_assert_int_eq(parse(&c, text), 0);
	ck_assert_int_eq(c.has_state, 1);
	for (i = 0; i < TFL_HASH_SIZE; i++)
		ck_assert_uint_eq(c.state[i], (i % 16) * 0x11);
	/* Upper case, short, long, not hex, twice: refused. */
	snprintf(text, sizeof(text), "log\n5\n" SOFA_ROOT "\n"
	    TFL_CHECKPOINT_STATE "%.63sA\n", hex);
	ck_assert_int_eq(parse(&c, text), TFL_EINVAL);
	snprintf(text, sizeof(text), "log\n5\n" SOFA_ROOT "\n"
	    TFL_CHECKPOINT_STATE "%.62s\n", hex);
	ck_assert_int_eq(parse(&c, text), TFL_EINVAL);
	snprintf(text, sizeof(text), "log\n5\n" SOFA_ROOT "\n"
	    TFL_CHECKPOINT_STATE "%s0\n", hex);
	ck_assert_int_eq(parse(&c, text), TFL_EINVAL);
	snprintf(text, sizeof(text), "log\n5\n" SOFA_ROOT "\n"
	    TFL_CHECKPOINT_STATE "%.63sg\n", hex);
	ck_assert_int_eq(parse(&c, text), TFL_EINVAL);
	snprintf(text, sizeof(text), "log\n5\n" SOFA_ROOT "\n"
	    TFL_CHECKPOINT_STATE "%s\n" TFL_CHECKPOINT_STATE "%s\n", hex, hex);
	ck_assert_int_eq(parse(&c, text), TFL_EINVAL);
	/* Without the space it is another extension line. */
	ck_assert_int_eq(parse(&c, "log\n5\n" SOFA_ROOT
	    "\ntfledger-statement\n"), 0);
	ck_assert_int_eq(c.has_state, 0);
}
END_TEST

START_TEST(test_sizes_must_be_canonical_decimal)
{
	tfl_checkpoint c;

	ck_assert_int_eq(parse(&c, "log\n0\n" SOFA_ROOT "\n"), 0);
	ck_assert_uint_eq(c.size, 0);
	ck_assert_int_eq(parse(&c, "log\n18446744073709551615\n" SOFA_ROOT
	    "\n"), 0);
	ck_assert_uint_eq(c.size, UINT64_MAX);
	ck_assert_int_eq(parse(&c, "log\n18446744073709551616\n" SOFA_ROOT
	    "\n"), TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "log\n+5\n" SOFA_ROOT "\n"), TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "log\n 5\n" SOFA_ROOT "\n"), TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "log\n00\n" SOFA_ROOT "\n"), TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "log\n\n" SOFA_ROOT "\n"), TFL_EINVAL);
}
END_TEST

START_TEST(test_roots_must_be_canonical_base64_of_32_bytes)
{
	tfl_checkpoint c;

	/* Same bytes, non-zero trailing bits: not the canonical encoding. */
	ck_assert_int_eq(parse(&c, "log\n5\n"
	    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n"), TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "log\n5\n"
	    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n"), TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "log\n5\n"
	    "CsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=\n"), TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "log\n5\n"
	    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n"), TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "log\n5\n" SOFA_ROOT "\n"), 0);
}
END_TEST

START_TEST(test_origin_must_be_1_to_255_bytes_of_text)
{
	char text[600], origin[300];
	tfl_checkpoint c;

	memset(origin, 'o', sizeof(origin));
	snprintf(text, sizeof(text), "%.255s\n1\n" SOFA_ROOT "\n", origin);
	ck_assert_int_eq(parse(&c, text), 0);
	ck_assert_uint_eq(strlen(c.origin), 255);
	snprintf(text, sizeof(text), "%.256s\n1\n" SOFA_ROOT "\n", origin);
	ck_assert_int_eq(parse(&c, text), TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "lo\tg\n1\n" SOFA_ROOT "\n"), TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "log\r\n1\n" SOFA_ROOT "\n"), TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "l\xffg\n1\n" SOFA_ROOT "\n"), TFL_EINVAL);
}
END_TEST

START_TEST(test_format_then_parse_round_trips)
{
	const char *sofa = "example.com/behind-the-sofa\n20852163\n"
	    SOFA_ROOT "\n";
	tfl_checkpoint c, back;
	tfl_err err = TFL_ERR_INIT;
	size_t len;
	char *out;

	ck_assert_int_eq(parse(&c, sofa), 0);
	ck_assert_int_eq(tfl_checkpoint_format(&out, &len, &c, &err), 0);
	ck_assert_uint_eq(len, strlen(sofa));
	ck_assert_str_eq(out, sofa);
	free(out);
	memset(&c, 0, sizeof(c));
	strcpy(c.origin, "unvtf.example/ledger");
	c.size = UINT64_MAX;
	memset(c.root, 0xa5, sizeof(c.root));
	ck_assert_int_eq(tfl_checkpoint_format(&out, &len, &c, &err), 0);
	ck_assert_int_eq(tfl_checkpoint_parse(&back, out, len, &err), 0);
	ck_assert_mem_eq(&back, &c, sizeof(c));
	free(out);
	/* With the state digest: its line after the root, and back. */
	c.has_state = 1;
	memset(c.state, 0x3c, sizeof(c.state));
	ck_assert_int_eq(tfl_checkpoint_format(&out, &len, &c, &err), 0);
	ck_assert_ptr_nonnull(strstr(out, "=\n" TFL_CHECKPOINT_STATE
	    "3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c"
	    "3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c\n"));
	ck_assert_int_eq(out[len - 1], '\n');
	ck_assert_uint_eq(strlen(out), len);
	ck_assert_int_eq(tfl_checkpoint_parse(&back, out, len, &err), 0);
	ck_assert_mem_eq(&back, &c, sizeof(c));
	free(out);
}
END_TEST

START_TEST(test_format_refuses_a_bad_origin)
{
	tfl_checkpoint c;
	tfl_err err = TFL_ERR_INIT;
	size_t len = 7;
	char *out = (char *)&c;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(tfl_checkpoint_format(&out, &len, &c, &err),
	    TFL_EINVAL);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(len, 0);
	strcpy(c.origin, "two\nlines");
	ck_assert_int_eq(tfl_checkpoint_format(&out, &len, &c, &err),
	    TFL_EINVAL);
	memset(c.origin, 'o', sizeof(c.origin)); /* no NUL in 256 bytes */
	ck_assert_int_eq(tfl_checkpoint_format(&out, &len, &c, &err),
	    TFL_EINVAL);
	c.origin[TFL_ORIGIN_MAX] = '\0';
	ck_assert_int_eq(tfl_checkpoint_format(&out, &len, &c, &err), 0);
	free(out);
}
END_TEST

/* Fuzzing found these: DEL and C1 are control characters too. */
START_TEST(test_del_and_c1_controls_are_refused)
{
	tfl_checkpoint c;
	tfl_err err = TFL_ERR_INIT;
	const char *t = "log\n1\nYL\x7fg\n";
	size_t i;

	ck_assert_int_eq(parse(&c, "log\n1\n" SOFA_ROOT "\next\x7f\n"),
	    TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "log\n1\n" SOFA_ROOT "\nx\xc2\x85\n"),
	    TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "l\xc2\x9bg\n1\n" SOFA_ROOT "\n"),
	    TFL_EINVAL);
	ck_assert_int_eq(parse(&c, "log\n1\n" SOFA_ROOT "\nx\xc2\xa0\n"), 0);
	/* and a message never carries one to the terminal */
	ck_assert_int_eq(tfl_checkpoint_parse(&c, t, strlen(t), &err),
	    TFL_EINVAL);
	for (i = 0; err.msg[i] != '\0'; i++)
		ck_assert_msg((unsigned char)err.msg[i] >= 0x20 &&
		    err.msg[i] != 0x7f, "control in \"%s\"", err.msg);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("checkpoint");
	TCase *tc = tcase_create("checkpoint");

	tcase_add_test(tc, test_parse_vectors_follow_the_strict_column);
	tcase_add_test(tc, test_vector_bodies_give_their_fields);
	tcase_add_test(tc, test_signed_checkpoint_vectors_parse);
	tcase_add_test(tc,
	    test_extension_lines_are_accepted_but_not_empty_ones);
	tcase_add_test(tc,
	    test_the_state_line_is_read_and_must_be_well_formed);
	tcase_add_test(tc, test_sizes_must_be_canonical_decimal);
	tcase_add_test(tc, test_roots_must_be_canonical_base64_of_32_bytes);
	tcase_add_test(tc, test_origin_must_be_1_to_255_bytes_of_text);
	tcase_add_test(tc, test_format_then_parse_round_trips);
	tcase_add_test(tc, test_format_refuses_a_bad_origin);
	tcase_add_test(tc, test_del_and_c1_controls_are_refused);
	suite_add_tcase(s, tc);
	return tu_run(s) != 0;
}
