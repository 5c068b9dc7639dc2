/*
 * backup.c - tfl_ledger_backup: a hot copy of the ledger into a new or
 * empty directory (the copying itself is tfl_store_backup).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger_internal.h"

/* 0 when dir is a directory with nothing in it, else a status. */
static int
check_empty(const char *dir, tfl_err *err)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	if (d == NULL)
		return tfl_err_set(err, errno == ENOTDIR ? TFL_EEXIST : TFL_EIO,
		    "backup \"%s\": %s", dir, errno == ENOTDIR ?
		    "exists and is not a directory" : strerror(errno));
	while (rc == 0 && (errno = 0, de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			rc = tfl_err_set(err, TFL_EEXIST, "backup \"%s\": the "
			    "directory is not empty", dir);
	if (rc == 0 && errno != 0)
		rc = tfl_err_set(err, TFL_EIO, "backup \"%s\": %s", dir,
		    strerror(errno));
	closedir(d);
	return rc;
}

/* Sync the directory that holds dir, so that a new dir survives a crash. */
static void
sync_parent(const char *dir)
{
	char parent[4096];
	size_t n = strlen(dir);
	int fd;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	while (n > 0 && dir[n - 1] != '/')
		n--;
	if (n == 0)
		snprintf(parent, sizeof(parent), ".");
	else
		snprintf(parent, sizeof(parent), "%.*s", (int)n, dir);
	if ((fd = open(parent, O_RDONLY)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int
tfl_ledger_backup(tfl_ledger *l, const char *dir, tfl_err *err)
{
	int made = 0, rc;

	if (mkdir(dir, 0700) == 0)
		made = 1;
	else if (errno != EEXIST)
		return tfl_err_set(err, errno == ENOENT || errno == ENOTDIR ?
		    TFL_ENOTFOUND : TFL_EIO, "backup \"%s\": mkdir: %s", dir,
		    strerror(errno));
	if (!made && (rc = check_empty(dir, err)) != 0)
		return rc;
	rc = tfl_store_backup(l->store, dir, err);
	if (rc != 0 && made)
		rmdir(dir);
	if (rc == 0 && made)
		sync_parent(dir);
	return rc;
}
