/*
 * config.c - the one file that includes <libconfig.h>.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <libconfig.h>

#include "tfledger/config.h"

void
tfl_config_init(tfl_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
}

/* Copy string setting s into dst; strings die with the config. */
static int
copy_path(char *dst, config_setting_t *s, const char *path, tfl_err *err)
{
	const char *v = config_setting_get_string(s);

	if (v == NULL || strlen(v) >= TFL_CONFIG_PATH_MAX)
		return tfl_err_set(err, TFL_ECONFIG,
		    "%s:%d: %s must be a string of a path",
		    path, config_setting_source_line(s), config_setting_name(s));
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/*
 * Copy string setting s, an identifier of 1 to size-1 bytes, into dst;
 * what the export accepts in it is checked by the export.
 */
static int
copy_id(char *dst, size_t size, config_setting_t *s, const char *path,
    tfl_err *err)
{
	const char *v = config_setting_get_string(s);

	if (v == NULL || v[0] == '\0' || strlen(v) >= size)
		return tfl_err_set(err, TFL_ECONFIG,
		    "%s:%d: %s must be a string of 1 to %zu characters",
		    path, config_setting_source_line(s), config_setting_name(s),
		    size - 1);
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int
apply(tfl_config *cfg, config_setting_t *s, const char *path, tfl_err *err)
{
	const char *name = config_setting_name(s);

	if (strcmp(name, "ledger") == 0)
		return copy_path(cfg->ledger, s, path, err);
	if (strcmp(name, "key") == 0)
		return copy_path(cfg->key, s, path, err);
	if (strcmp(name, "log_key") == 0)
		return copy_path(cfg->log_key, s, path, err);
	if (strcmp(name, "passphrase_file") == 0)
		return copy_path(cfg->passphrase_file, s, path, err);
	if (strcmp(name, "iati_org") == 0)
		return copy_id(cfg->iati_org, sizeof(cfg->iati_org), s, path,
		    err);
	if (strcmp(name, "iati_activity") == 0)
		return copy_id(cfg->iati_activity, sizeof(cfg->iati_activity),
		    s, path, err);
	if (strcmp(name, "threads") == 0) {
		if (config_setting_type(s) != CONFIG_TYPE_INT ||
		    config_setting_get_int(s) < 0 ||
		    config_setting_get_int(s) > 256)
			return tfl_err_set(err, TFL_ECONFIG, "%s:%d: threads "
			    "must be a whole number from 0 to 256", path,
			    config_setting_source_line(s));
		cfg->threads = config_setting_get_int(s);
		return 0;
	}
	return tfl_err_set(err, TFL_ECONFIG, "%s:%d: unknown setting \"%s\"",
	    path, config_setting_source_line(s), name);
}

int
tfl_config_load(tfl_config *cfg, const char *path, tfl_err *err)
{
	config_setting_t *root;
	struct stat st;
	config_t c;
	FILE *f;
	int i, rc = 0;

	f = fopen(path, "r");
	if (f == NULL)
		return tfl_err_set(err, errno == ENOENT ? TFL_ENOTFOUND :
		    TFL_ECONFIG, "config \"%s\": %s", path, strerror(errno));
	/* libconfig's scanner exits the process on a directory: refuse it. */
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return tfl_err_set(err, TFL_ECONFIG, "config \"%s\": not a "
		    "regular file", path);
	}
	config_init(&c);
	if (config_read(&c, f) != CONFIG_TRUE) {
		rc = tfl_err_set(err, TFL_ECONFIG, "%s:%d: %s", path,
		    config_error_line(&c), config_error_text(&c));
		goto out;
	}
	root = config_root_setting(&c);
	for (i = 0; i < config_setting_length(root); i++)
		if ((rc = apply(cfg, config_setting_get_elem(root,
		    (unsigned)i), path, err)) != 0)
			break;
out:
	config_destroy(&c);
	fclose(f);
	return rc;
}
