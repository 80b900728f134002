/*
 * Temporary store files for the store tests: a fresh path under /tmp, the
 * store opened on it (the test fails with SQLite's words if it cannot be),
 * and the file removed with its -wal and -shm companions.
 */
#ifndef PARLEY_TEST_STORE_FILES_H
#define PARLEY_TEST_STORE_FILES_H

#include <stddef.h>

#include "parley/store.h"

/* A new empty file /tmp/parley-<name>-XXXXXX; its path into path. */
void store_file_new(char *path, size_t size, const char *name);

/* The store on path, or the test fails. */
struct store *store_file_open(const char *path);

/* Removes path, path-wal and path-shm. */
void store_file_remove(const char *path);

#endif
