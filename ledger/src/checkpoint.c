/*
 * checkpoint.c - C2SP tlog-checkpoint bodies, parsed strictly.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tfledger/checkpoint.h"

#define ROOT_B64_LEN (4 * ((TFL_HASH_SIZE + 2) / 3))
#define PREFIX_LEN (sizeof(TFL_CHECKPOINT_STATE) - 1)

/* Nonzero when origin[0..len) may be a checkpoint's first line. */
static int
origin_valid(const char *origin, size_t len)
{
	return len > 0 && len <= TFL_ORIGIN_MAX &&
	    memchr(origin, '\n', len) == NULL && tfl__text_valid(origin, len);
}

/* Split the next line off *p (before end); NULL when there is none. */
static const char *
next_line(size_t *len, const char **p, const char *end)
{
	const char *line = *p, *nl;

	nl = memchr(line, '\n', (size_t)(end - line));
	if (nl == NULL)
		return NULL;
	*len = (size_t)(nl - line);
	*p = nl + 1;
	return line;
}

/* Parse the size and root lines of the checkpoint of out->origin. */
static int
parse_size_root(tfl_checkpoint *out, const char *size, size_t sizelen,
    const char *root, size_t rootlen, tfl_err *err)
{
	size_t n = 0;

	if (tfl__parse_u64(&out->size, size, sizelen) != 0)
		return tfl_err_set(err, TFL_EINVAL, "checkpoint %s: size "
		    "\"%.*s\" is not a decimal without leading zeros",
		    out->origin, (int)(sizelen > 40 ? 40 : sizelen), size);
	if (tfl__b64_decode(out->root, sizeof(out->root), &n, root,
	    rootlen) != 0 || n != TFL_HASH_SIZE)
		return tfl_err_set(err, TFL_EINVAL, "checkpoint %s: root "
		    "\"%.*s\" is not base64 of %d bytes", out->origin,
		    (int)(rootlen > 80 ? 80 : rootlen), root, TFL_HASH_SIZE);
	return 0;
}

/* The tfledger-state line[0..len): one, of 64 lowercase hex digits. */
static int
parse_state(tfl_checkpoint *out, const char *line, size_t len, tfl_err *err)
{
	const char *hex = line + PREFIX_LEN;
	size_t i, n = len - PREFIX_LEN;

	for (i = 0; i < n; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') ||
		    (hex[i] >= 'a' && hex[i] <= 'f')))
			break;
	if (out->has_state || i != n || n != 2 * TFL_HASH_SIZE ||
	    tfl__hex_decode(out->state, TFL_HASH_SIZE, hex, n) != 0)
		return tfl_err_set(err, TFL_EINVAL, "checkpoint %s: extension "
		    "line \"%.*s\": want one, of %d lowercase hex digits",
		    out->origin, (int)(len > 80 ? 80 : len), line,
		    2 * TFL_HASH_SIZE);
	out->has_state = 1;
	return 0;
}

int
tfl_checkpoint_parse(tfl_checkpoint *out, const char *text, size_t len,
    tfl_err *err)
{
	const char *p = text, *end = text + len, *origin, *size, *root, *line;
	size_t olen = 0, slen = 0, rlen = 0, elen = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len == 0 || text[len - 1] != '\n' || !tfl__text_valid(text, len))
		return tfl_err_set(err, TFL_EINVAL, "checkpoint: want utf-8 "
		    "lines without control characters, ending in a newline");
	origin = next_line(&olen, &p, end);
	size = origin == NULL ? NULL : next_line(&slen, &p, end);
	root = size == NULL ? NULL : next_line(&rlen, &p, end);
	if (root == NULL)
		return tfl_err_set(err, TFL_EINVAL,
		    "checkpoint: fewer than 3 lines");
	if (!origin_valid(origin, olen))
		return tfl_err_set(err, TFL_EINVAL, "checkpoint: origin of "
		    "%zu bytes, want 1 to %d", olen, TFL_ORIGIN_MAX);
	memcpy(out->origin, origin, olen);
	rc = parse_size_root(out, size, slen, root, rlen, err);
	if (rc != 0)
		return rc;
	/* Extension lines: tfledger's is read, others ignored; none empty. */
	while (p < end) {
		line = next_line(&elen, &p, end);
		if (elen == 0)
			return tfl_err_set(err, TFL_EINVAL,
			    "checkpoint %s: empty extension line", out->origin);
		if (elen >= PREFIX_LEN &&
		    memcmp(line, TFL_CHECKPOINT_STATE, PREFIX_LEN) == 0 &&
		    (rc = parse_state(out, line, elen, err)) != 0)
			return rc;
	}
	return 0;
}

int
tfl_checkpoint_format(char **out, size_t *outlen, const tfl_checkpoint *c,
    tfl_err *err)
{
	char root[ROOT_B64_LEN + 1], state[2 * TFL_HASH_SIZE + 1], *buf;
	size_t olen, cap;
	int n;

	*out = NULL;
	*outlen = 0;
	olen = strnlen(c->origin, sizeof(c->origin));
	if (!origin_valid(c->origin, olen))
		return tfl_err_set(err, TFL_EINVAL,
		    "checkpoint origin \"%.*s\": want 1 to %d bytes of text "
		    "on one line", (int)(olen > 80 ? 80 : olen), c->origin,
		    TFL_ORIGIN_MAX);
	tfl__b64_encode(root, c->root, TFL_HASH_SIZE);
	state[0] = '\0';
	if (c->has_state)
		tfl__hex_encode(state, c->state, TFL_HASH_SIZE);
	cap = olen + 1 + 20 + 1 + ROOT_B64_LEN + 1 + PREFIX_LEN +
	    sizeof(state) + 1;
	buf = malloc(cap);
	if (buf == NULL)
		return tfl_err_set(err, TFL_ENOMEM,
		    "checkpoint %s: out of memory", c->origin);
	n = snprintf(buf, cap, "%s\n%" PRIu64 "\n%s\n%s%s%s", c->origin,
	    c->size, root, c->has_state ? TFL_CHECKPOINT_STATE : "", state,
	    c->has_state ? "\n" : "");
	*out = buf;
	*outlen = (size_t)n;
	return 0;
}
