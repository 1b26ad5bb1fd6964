/*
 * testlib.h: what the unit tests share besides cmocka: reading and writing whole files,
 * running a program.
 * tests/unit/testlib.c is linked into every unit test.
 */
#ifndef GN_TESTLIB_H
#define GN_TESTLIB_H

#include <stddef.h>

/* The whole file, with a NUL after it (not counted in *len); NULL when it cannot be opened. */
char *test_slurp(const char *path, size_t *len);

/* Write len bytes of buf to path (created 0600, or truncated); fails the test on an error. */
void test_spill(const char *path, const void *buf, size_t len);

/* Run argv (NULL-terminated) without a shell, standard output discarded; its exit status, or
 * -1 when it could not run or was killed. */
int test_run(const char *const *argv);

#endif
