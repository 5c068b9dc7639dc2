/*
 * proofjson.c - hashes, proofs and check lists as text and JSON for the
 * proof commands of tfaudit.
 */
#include <string.h>

#include "proofjson.h"

void
pj_hex(char out[HEX_SIZE], const uint8_t h[TFL_HASH_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < TFL_HASH_SIZE; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 0xf];
	}
	out[2 * TFL_HASH_SIZE] = '\0';
}

static int
nibble(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

int
pj_unhex(uint8_t out[TFL_HASH_SIZE], const char *s)
{
	size_t i;
	int hi, lo;

	if (strlen(s) != 2 * TFL_HASH_SIZE)
		return TFL_EINVAL;
	for (i = 0; i < TFL_HASH_SIZE; i++) {
		hi = nibble(s[2 * i]);
		lo = nibble(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return TFL_EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

json_t *
pj_hash(const uint8_t h[TFL_HASH_SIZE])
{
	char hex[HEX_SIZE];

	pj_hex(hex, h);
	return json_string(hex);
}

json_t *
pj_path(const uint8_t path[][TFL_HASH_SIZE], size_t len)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < len; i++)
		json_array_append_new(a, pj_hash(path[i]));
	return a;
}

int
pj_print_hash(const char *name, const uint8_t h[TFL_HASH_SIZE])
{
	char hex[HEX_SIZE];

	pj_hex(hex, h);
	return cli_printf("%s: %s\n", name, hex);
}

int
pj_print_path(const uint8_t path[][TFL_HASH_SIZE], size_t len)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < len; i++)
		rc = pj_print_hash("proof", path[i]);
	return rc;
}

json_t *
pj_result(const struct cli *c, int rc, const tfl_checks *cs)
{
	json_t *j = json_object(), *a = json_array();
	size_t i;

	for (i = 0; cs != NULL && i < cs->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:b, s:s}", "name",
		    cs->c[i].name, "ok", cs->c[i].ok, "detail",
		    cs->c[i].detail));
	json_object_set_new(j, "ok", json_boolean(rc == 0));
	json_object_set_new(j, "checks", a);
	if (rc != 0)
		json_object_set_new(j, "error", json_string(c->err.msg[0] ?
		    c->err.msg : tfl_strerror(rc)));
	return j;
}

int
pj_print(json_t *j, int rc)
{
	if (cli_print_json(j) != 0)
		return TFL_EIO;
	return rc;
}
