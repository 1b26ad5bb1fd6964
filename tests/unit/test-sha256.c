/*
 * test-sha256.c: gn_sha256 against the FIPS 180-4 example vectors (NIST CSRC "SHA256.pdf" and
 * the one-million-'a' message of FIPS 180-2 appendix B.3), updates split at every byte of a
 * message, and gn_sha256_file on byte ranges of a file, short and missing files.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cleanup.h"
#include "sha256.h"
#include "testlib.h"

static char tmpdir[] = "/tmp/gn-test-sha256.XXXXXX";

static const char *P(const char *name)
{
	static char buf[4][PATH_MAX];
	static unsigned n;
	char *b = buf[n++ % GN_ELEMENTSOF(buf)];

	snprintf(b, PATH_MAX, "%s/%s", tmpdir, name);
	return b;
}

static void hash(const void *data, size_t len, char hex[GN_SHA256_HEX])
{
	struct gn_sha256 ctx;
	uint8_t d[GN_SHA256_SIZE];

	gn_sha256_init(&ctx);
	gn_sha256_update(&ctx, data, len);
	gn_sha256_final(&ctx, d);
	gn_sha256_hex(d, hex);
}

static void test_vectors(void **state)
{
	static const struct { const char *msg, *digest; } v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
		  "klmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	char hex[GN_SHA256_HEX];

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(v); i++) {
		hash(v[i].msg, strlen(v[i].msg), hex);
		assert_string_equal(hex, v[i].digest);
	}
}

static void test_million_a(void **state)
{
	struct gn_sha256 ctx;
	uint8_t d[GN_SHA256_SIZE], a[1000];
	char hex[GN_SHA256_HEX];

	(void)state;
	memset(a, 'a', sizeof(a));
	gn_sha256_init(&ctx);
	for (unsigned i = 0; i < 1000; i++)
		gn_sha256_update(&ctx, a, sizeof(a));
	gn_sha256_final(&ctx, d);
	gn_sha256_hex(d, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Every way of cutting a 200-byte message in two, and in three, gives the one-shot digest. */
static void test_split_updates(void **state)
{
	uint8_t msg[200], d[GN_SHA256_SIZE];
	char want[GN_SHA256_HEX], got[GN_SHA256_HEX];
	struct gn_sha256 ctx;

	(void)state;
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	hash(msg, sizeof(msg), want);
	for (size_t i = 0; i <= sizeof(msg); i++) {
		for (size_t j = i; j <= sizeof(msg); j++) {
			gn_sha256_init(&ctx);
			gn_sha256_update(&ctx, msg, i);
			gn_sha256_update(&ctx, msg + i, j - i);
			gn_sha256_update(&ctx, msg + j, sizeof(msg) - j);
			gn_sha256_final(&ctx, d);
			gn_sha256_hex(d, got);
			assert_string_equal(got, want);
		}
	}
	/* and byte by byte */
	gn_sha256_init(&ctx);
	for (size_t i = 0; i < sizeof(msg); i++)
		gn_sha256_update(&ctx, msg + i, 1);
	gn_sha256_final(&ctx, d);
	gn_sha256_hex(d, got);
	assert_string_equal(got, want);
}

/* A file of 3 MiB + 1001 bytes: ranges across the 1 MiB chunks equal hashing the bytes. */
static void test_file_ranges(void **state)
{
	const size_t size = 3 * GN_SHA256_CHUNK + 1001;
	static const struct { uint64_t off, len; } ranges[] = {
		{ 0, UINT64_MAX }, { 0, 0 }, { 0, 1 }, { 17, 100 }, { 511, GN_SHA256_CHUNK },
		{ GN_SHA256_CHUNK - 1, 2 * GN_SHA256_CHUNK + 3 }, { 1000, UINT64_MAX },
		{ 3 * GN_SHA256_CHUNK + 1001, UINT64_MAX }, { 3 * GN_SHA256_CHUNK + 1001, 0 },
		{ 3 * GN_SHA256_CHUNK, 1001 },
	};
	_cleanup_free_ uint8_t *data = malloc(size);
	char want[GN_SHA256_HEX], got[GN_SHA256_HEX];
	gn_error err = { "" };

	(void)state;
	assert_non_null(data);
	for (size_t i = 0; i < size; i++)
		data[i] = (uint8_t)(i ^ i >> 8 ^ i >> 16);
	test_spill(P("data"), data, size);
	for (size_t i = 0; i < GN_ELEMENTSOF(ranges); i++) {
		uint64_t len = ranges[i].len == UINT64_MAX ? size - ranges[i].off : ranges[i].len;

		hash(data + ranges[i].off, (size_t)len, want);
		assert_int_equal(gn_sha256_file(P("data"), ranges[i].off, ranges[i].len, got, &err), 0);
		assert_string_equal(got, want);
	}
	/* the fd form leaves the file offset alone */
	_cleanup_close_ int fd = open(P("data"), O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(gn_sha256_fd(fd, "data", 5, 10, got, &err), 0);
	hash(data + 5, 10, want);
	assert_string_equal(got, want);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 0);
}

static void test_errors(void **state)
{
	char hex[GN_SHA256_HEX] = "untouched";
	gn_error err = { "" };

	(void)state;
	test_spill(P("short"), "0123456789", 10);
	assert_int_equal(gn_sha256_file(P("short"), 0, 11, hex, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "short': the file ends at offset 10, short of the 11 bytes "
				       "at offset 0"));
	assert_int_equal(gn_sha256_file(P("short"), 11, UINT64_MAX, hex, &err), 0);  /* past end: empty */
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	strcpy(hex, "untouched");
	assert_int_equal(gn_sha256_file(P("short"), 5, 6, hex, &err), -EBADMSG);
	assert_int_equal(gn_sha256_file(P("short"), UINT64_MAX - 5, 10, hex, &err), -EINVAL);
	assert_int_equal(gn_sha256_file(P("short"), (uint64_t)INT64_MAX, 2, hex, &err), -EINVAL);
	assert_int_equal(gn_sha256_file(P("missing"), 0, UINT64_MAX, hex, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "missing': No such file or directory"));
	assert_int_equal(gn_sha256_file(tmpdir, 0, UINT64_MAX, hex, &err), -EISDIR);
	assert_string_equal(hex, "untouched");
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	const char *names[] = { "data", "short" };

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(names); i++)
		unlink(P(names[i]));
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_split_updates),
		cmocka_unit_test(test_file_ranges),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
