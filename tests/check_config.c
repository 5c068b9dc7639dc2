/*
 * check_config.c - the libconfig configuration file (tfledger/config.h):
 * the sample config/tfledger.conf, missing and malformed files, unknown
 * settings, bad values, and files that set only some values.
 * Run from the project root, where config/tfledger.conf is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "tfledger/config.h"

#define SAMPLE "config/tfledger.conf"

static char *dir;
static char path[4096];

static void
setup(void)
{
	dir = tu_tmpdir();
	snprintf(path, sizeof(path), "%s/tfledger.conf", dir);
}

static void
teardown(void)
{
	tu_rmtree(dir);
	free(dir);
	dir = NULL;
}

/* Write text to the fixture's config file, replacing it. */
static void
write_conf(const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

/* Settings that no file below sets, so that a change shows. */
static void
prefill(tfl_config *cfg)
{
	tfl_config_init(cfg);
	snprintf(cfg->ledger, sizeof(cfg->ledger), "/old/ledger");
	snprintf(cfg->key, sizeof(cfg->key), "/old/key");
	snprintf(cfg->log_key, sizeof(cfg->log_key), "/old/log_key");
	snprintf(cfg->passphrase_file, sizeof(cfg->passphrase_file),
	    "/old/pass");
	cfg->threads = 99;
	snprintf(cfg->iati_org, sizeof(cfg->iati_org), "OLD-ORG");
	snprintf(cfg->iati_activity, sizeof(cfg->iati_activity),
	    "OLD-ORG-ACT");
}

static void
loads(tfl_config *cfg, const char *text)
{
	tfl_err err = TFL_ERR_INIT;

	write_conf(text);
	ck_assert_msg(tfl_config_load(cfg, path, &err) == 0, "%s:\n%s",
	    err.msg, text);
}

/*
 * Loading text fails with TFL_ECONFIG and a message naming the file, the
 * line ("FILE:LINE:") and containing want.
 */
static void
refused(const char *text, int line, const char *want)
{
	tfl_err err = TFL_ERR_INIT;
	char where[4200];
	tfl_config cfg;
	int rc;

	write_conf(text);
	tfl_config_init(&cfg);
	rc = tfl_config_load(&cfg, path, &err);
	ck_assert_msg(rc == TFL_ECONFIG, "got %d (%s) for:\n%s", rc, err.msg,
	    text);
	ck_assert_int_eq(err.code, TFL_ECONFIG);
	snprintf(where, sizeof(where), "%s:%d: ", path, line);
	ck_assert_msg(strstr(err.msg, where) != NULL,
	    "message \"%s\" lacks \"%s\"", err.msg, where);
	ck_assert_msg(strstr(err.msg, want) != NULL,
	    "message \"%s\" lacks \"%s\"", err.msg, want);
	ck_assert_ptr_null(strchr(err.msg, '\n'));
}

START_TEST(test_sample_config_sets_every_value)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_config cfg;

	prefill(&cfg);
	ck_assert_msg(tfl_config_load(&cfg, SAMPLE, &err) == 0, "%s",
	    err.msg);
	ck_assert_str_eq(cfg.ledger, "/var/lib/tfledger/unvtf");
	ck_assert_str_eq(cfg.key, "/etc/tfledger/keys/recorder.key");
	ck_assert_str_eq(cfg.log_key, "/etc/tfledger/keys/log.key");
	ck_assert_str_eq(cfg.passphrase_file, "/etc/tfledger/passphrase");
	ck_assert_int_eq(cfg.threads, 0);
	ck_assert_str_eq(cfg.iati_org, "XM-DAC-41128");
	ck_assert_str_eq(cfg.iati_activity, "XM-DAC-41128-UNVTF");
}
END_TEST

START_TEST(test_init_empties_every_setting)
{
	tfl_config cfg;

	memset(&cfg, 'x', sizeof(cfg));
	tfl_config_init(&cfg);
	ck_assert_str_eq(cfg.ledger, "");
	ck_assert_str_eq(cfg.key, "");
	ck_assert_str_eq(cfg.log_key, "");
	ck_assert_str_eq(cfg.passphrase_file, "");
	ck_assert_int_eq(cfg.threads, 0);
	ck_assert_str_eq(cfg.iati_org, "");
	ck_assert_str_eq(cfg.iati_activity, "");
}
END_TEST

START_TEST(test_a_missing_file_is_not_found)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_config cfg;
	char missing[4200];

	snprintf(missing, sizeof(missing), "%s/nope.conf", dir);
	prefill(&cfg);
	ck_assert_int_eq(tfl_config_load(&cfg, missing, &err), TFL_ENOTFOUND);
	ck_assert_int_eq(err.code, TFL_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, missing));
	ck_assert_str_eq(cfg.ledger, "/old/ledger");
	ck_assert_int_eq(cfg.threads, 99);
	/* A missing directory on the way is just as missing. */
	snprintf(missing, sizeof(missing), "%s/no/such/dir/tfledger.conf",
	    dir);
	ck_assert_int_eq(tfl_config_load(&cfg, missing, &err), TFL_ENOTFOUND);
}
END_TEST

START_TEST(test_syntax_errors_name_their_line)
{
	refused("ledger = \"/a\";\n\nkey = ;\n", 3, "syntax error");
	refused("ledger = \"/a\";\n\n\n= 5;\n", 4, "syntax error");
	refused("# comment\nledger = \"/a\";\n\nkey = \"/b\";;\n", 4,
	    "syntax error");
	refused("threads = 1 2;\n", 1, "syntax error");
	refused("\xff\xfe ledger = \"/a\";\n", 1, "");
	refused("threads = 1;\nthreads = 2;\n", 2, "duplicate");
}
END_TEST

START_TEST(test_an_unknown_setting_is_named)
{
	refused("ledger = \"/a\";\nlegder = \"/b\";\n", 2,
	    "unknown setting \"legder\"");
	refused("\n\n\nthread = 4;\n", 4, "unknown setting \"thread\"");
	refused("passphrase = \"secret\";\n", 1,
	    "unknown setting \"passphrase\"");
	refused("tfledger = { threads = 1; };\n", 1,
	    "unknown setting \"tfledger\"");
	refused("Ledger = \"/a\";\n", 1, "unknown setting \"Ledger\"");
}
END_TEST

START_TEST(test_threads_out_of_range_are_refused)
{
	refused("threads = -1;\n", 1, "threads");
	refused("ledger = \"/a\";\nthreads = 257;\n", 2, "threads");
	refused("threads = 1000000;\n", 1, "threads");
	refused("threads = 5000000000;\n", 1, "threads");
	refused("threads = -2147483648;\n", 1, "threads");
}
END_TEST

START_TEST(test_threads_of_other_types_are_refused)
{
	refused("threads = \"4\";\n", 1, "threads");
	refused("threads = 4.0;\n", 1, "threads");
	refused("threads = true;\n", 1, "threads");
	refused("threads = [ 4 ];\n", 1, "threads");
	refused("threads = { n = 4; };\n", 1, "threads");
}
END_TEST

START_TEST(test_threads_within_range_are_accepted)
{
	static const char *const texts[] = { "threads = 0;\n",
		"threads = 1;\n", "threads = 256;\n", "threads = 0x10;\n" };
	static const int want[] = { 0, 1, 256, 16 };
	tfl_config cfg;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		prefill(&cfg);
		loads(&cfg, texts[i]);
		ck_assert_int_eq(cfg.threads, want[i]);
	}
}
END_TEST

START_TEST(test_paths_must_be_strings)
{
	refused("ledger = 5;\n", 1, "ledger must be a string");
	refused("\nkey = true;\n", 2, "key must be a string");
	refused("log_key = [ \"/a\" ];\n", 1, "log_key must be a string");
	refused("passphrase_file = { path = \"/a\"; };\n", 1,
	    "passphrase_file must be a string");
	refused("ledger = ( \"/a\" );\n", 1, "ledger");
}
END_TEST

START_TEST(test_paths_longer_than_the_buffer_are_refused)
{
	size_t n = TFL_CONFIG_PATH_MAX - 1;
	char *text = malloc(TFL_CONFIG_PATH_MAX + 32);
	tfl_config cfg;

	ck_assert_ptr_nonnull(text);
	/* The longest that fits, with its NUL. */
	memcpy(text, "key = \"", 7);
	memset(text + 7, 'k', n);
	memcpy(text + 7 + n, "\";\n", 4);
	prefill(&cfg);
	loads(&cfg, text);
	ck_assert_uint_eq(strlen(cfg.key), n);
	/* One byte more. */
	memset(text + 7, 'k', n + 1);
	memcpy(text + 7 + n + 1, "\";\n", 4);
	refused(text, 1, "key");
	free(text);
}
END_TEST

START_TEST(test_a_file_setting_some_values_keeps_the_others)
{
	tfl_config cfg;

	prefill(&cfg);
	loads(&cfg, "# only two\nkey = \"/new/key\";\nthreads = 8;\n");
	ck_assert_str_eq(cfg.key, "/new/key");
	ck_assert_int_eq(cfg.threads, 8);
	ck_assert_str_eq(cfg.ledger, "/old/ledger");
	ck_assert_str_eq(cfg.log_key, "/old/log_key");
	ck_assert_str_eq(cfg.passphrase_file, "/old/pass");
	/* And one that leaves threads alone. */
	prefill(&cfg);
	loads(&cfg, "ledger = \"/new/ledger\";\n");
	ck_assert_str_eq(cfg.ledger, "/new/ledger");
	ck_assert_str_eq(cfg.key, "/old/key");
	ck_assert_int_eq(cfg.threads, 99);
}
END_TEST

START_TEST(test_an_empty_file_changes_nothing)
{
	tfl_config cfg;

	prefill(&cfg);
	loads(&cfg, "");
	ck_assert_str_eq(cfg.ledger, "/old/ledger");
	ck_assert_str_eq(cfg.key, "/old/key");
	ck_assert_str_eq(cfg.log_key, "/old/log_key");
	ck_assert_str_eq(cfg.passphrase_file, "/old/pass");
	ck_assert_int_eq(cfg.threads, 99);
	loads(&cfg, "# nothing but comments\n// and more\n/* and */\n");
	ck_assert_str_eq(cfg.ledger, "/old/ledger");
	ck_assert_int_eq(cfg.threads, 99);
}
END_TEST

START_TEST(test_a_later_file_overrides_an_earlier_one)
{
	tfl_config cfg;

	tfl_config_init(&cfg);
	loads(&cfg, "ledger = \"/first\";\nthreads = 2;\n");
	loads(&cfg, "ledger : \"/second\"\n");
	ck_assert_str_eq(cfg.ledger, "/second");
	ck_assert_int_eq(cfg.threads, 2);
}
END_TEST

START_TEST(test_an_empty_path_is_an_empty_setting)
{
	tfl_config cfg;

	prefill(&cfg);
	loads(&cfg, "log_key = \"\";\n");
	ck_assert_str_eq(cfg.log_key, "");
	ck_assert_str_eq(cfg.key, "/old/key");
}
END_TEST

START_TEST(test_iati_identifiers_are_read_alone)
{
	tfl_config cfg;

	prefill(&cfg);
	loads(&cfg, "iati_org = \"XM-OCHA-TEST\";\n");
	ck_assert_str_eq(cfg.iati_org, "XM-OCHA-TEST");
	ck_assert_str_eq(cfg.iati_activity, "OLD-ORG-ACT");
	loads(&cfg, "iati_activity = \"XM-OCHA-TEST-1\";\n");
	ck_assert_str_eq(cfg.iati_org, "XM-OCHA-TEST");
	ck_assert_str_eq(cfg.iati_activity, "XM-OCHA-TEST-1");
	ck_assert_str_eq(cfg.ledger, "/old/ledger");
	ck_assert_int_eq(cfg.threads, 99);
}
END_TEST

START_TEST(test_iati_identifiers_must_be_short_non_empty_strings)
{
	char text[TFL_CONFIG_ID_MAX + 64];
	tfl_config cfg;

	refused("iati_org = \"\";\n", 1, "iati_org must be a string of 1 "
	    "to 128 characters");
	refused("\niati_activity = 41128;\n", 2, "iati_activity must be");
	refused("iati_org = [ \"XM-DAC-41128\" ];\n", 1, "iati_org");
	/* the longest that fits, then one more */
	snprintf(text, sizeof(text), "iati_org = \"%0*d\";\n",
	    TFL_CONFIG_ID_MAX, 7);
	prefill(&cfg);
	loads(&cfg, text);
	ck_assert_uint_eq(strlen(cfg.iati_org), TFL_CONFIG_ID_MAX);
	snprintf(text, sizeof(text), "iati_org = \"%0*d\";\n",
	    TFL_CONFIG_ID_MAX + 1, 7);
	refused(text, 1, "iati_org");
}
END_TEST

/*
 * BUG (config.c, tfl_config_load): given a directory, fopen() succeeds,
 * libconfig's flex scanner fails to read it, prints "input in flex
 * scanner failed" to stderr and calls exit(2), so the whole process ends.
 * The library must never print or exit; expected TFL_ECONFIG naming the
 * path (e.g. fstat after fopen and refuse what is not a regular file).
 */
START_TEST(test_a_directory_is_refused_without_exiting)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_config cfg;

	/* The sample's own directory; no fixture, as the bug skips teardown. */
	prefill(&cfg);
	ck_assert_int_eq(tfl_config_load(&cfg, "config", &err), TFL_ECONFIG);
	ck_assert_ptr_nonnull(strstr(err.msg, "config"));
	ck_assert_str_eq(cfg.ledger, "/old/ledger");
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");
	TCase *nofix = tcase_create("no fixture");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sample_config_sets_every_value);
	tcase_add_test(tc, test_init_empties_every_setting);
	tcase_add_test(tc, test_a_missing_file_is_not_found);
	tcase_add_test(tc, test_syntax_errors_name_their_line);
	tcase_add_test(tc, test_an_unknown_setting_is_named);
	tcase_add_test(tc, test_threads_out_of_range_are_refused);
	tcase_add_test(tc, test_threads_of_other_types_are_refused);
	tcase_add_test(tc, test_threads_within_range_are_accepted);
	tcase_add_test(tc, test_paths_must_be_strings);
	tcase_add_test(tc, test_paths_longer_than_the_buffer_are_refused);
	tcase_add_test(tc, test_a_file_setting_some_values_keeps_the_others);
	tcase_add_test(tc, test_an_empty_file_changes_nothing);
	tcase_add_test(tc, test_a_later_file_overrides_an_earlier_one);
	tcase_add_test(tc, test_an_empty_path_is_an_empty_setting);
	tcase_add_test(tc, test_iati_identifiers_are_read_alone);
	tcase_add_test(tc,
	    test_iati_identifiers_must_be_short_non_empty_strings);
	suite_add_tcase(s, tc);
	tcase_add_test(nofix, test_a_directory_is_refused_without_exiting);
	suite_add_tcase(s, nofix);
	return s;
}

int
main(void)
{
	return tu_run(config_suite()) != 0;
}
