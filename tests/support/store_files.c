/* Temporary store files for the store tests (store_files.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store_files.h"

void store_file_new(char *path, size_t size, const char *name)
{
	int fd;

	snprintf(path, size, "/tmp/parley-%s-XXXXXX", name);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

struct store *store_file_open(const char *path)
{
	struct store *st = NULL;
	char err[256] = "";

	if (store_open(path, &st, err, sizeof(err)) != 0)
		fail_msg("store_open(%s): %s", path, err);
	assert_non_null(st);
	return st;
}

void store_file_remove(const char *path)
{
	char side[300];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}
