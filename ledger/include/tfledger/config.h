/*
 * tfledger/config.h - the libconfig configuration file of both tools.
 *
 * Settings (all optional; see config/tfledger.conf):
 *	ledger = "DIR";			the ledger directory (-L)
 *	key = "FILE";			the signing key file (-k)
 *	log_key = "FILE";		the log key, for `checkpoint`
 *	passphrase_file = "FILE";	where to read key passphrases
 *	threads = N;			worker threads, 0 = one per core
 *	iati_org = "ID";		IATI reporting-org identifier
 *					(tfaudit export --format iati)
 *	iati_activity = "ID";		IATI activity identifier
 * Unknown settings are errors, so that a misspelt one is not ignored.
 * The IATI identifiers are "" until set: the export then uses its
 * defaults (tfledger/export.h), XM-DAC-41128 and XM-DAC-41128-UNVTF.
 */
#ifndef TFLEDGER_CONFIG_H
#define TFLEDGER_CONFIG_H

#include "tfledger/err.h"

#define TFL_CONFIG_PATH_MAX 4096
#define TFL_CONFIG_ID_MAX 128 /* as TFL_EXPORT_IATI_ID_MAX */

typedef struct tfl_config {
	char ledger[TFL_CONFIG_PATH_MAX];
	char key[TFL_CONFIG_PATH_MAX];
	char log_key[TFL_CONFIG_PATH_MAX];
	char passphrase_file[TFL_CONFIG_PATH_MAX];
	int threads;
	char iati_org[TFL_CONFIG_ID_MAX + 1];
	char iati_activity[TFL_CONFIG_ID_MAX + 1];
} tfl_config;

/* Empty settings: every path and identifier "", threads 0. */
void tfl_config_init(tfl_config *cfg);

/*
 * Read the file at path into cfg (settings it does not name keep their
 * values).  Returns 0, TFL_ENOTFOUND when the file does not exist, or
 * TFL_ECONFIG naming the file, the line and the problem.
 */
int tfl_config_load(tfl_config *cfg, const char *path, tfl_err *err);

#endif
