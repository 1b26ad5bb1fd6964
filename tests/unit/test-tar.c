/*
 * test-tar.c: gn_tar_index on archives GNU tar makes at test time (ustar with a prefix, GNU with
 * 'L' long names, pax with path records, appended duplicates, sparse members), and on archives
 * built here header by header: pax size and mtime records, base-256 sizes, signed checksums,
 * every refusal tar.c lists, the limits, empty and random files.  Damaged copies of real
 * archives (every bit of the first two blocks flipped, every length cut) must give 0 or a clean
 * error, never a crash: run it under SANITIZE=address,undefined.
 *
 * For good archives the offsets expected are worked out here from the layout tar writes
 * (a header block, GNU 'L' or pax 'x' records before it, data padded to 512 bytes), and the
 * bytes at each member's offset and size are compared with the file that was archived.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cleanup.h"
#include "tar.h"
#include "testlib.h"

#define BLK GN_TAR_BLOCK
#define MTIME 1700000000

static char tmpdir[] = "/tmp/gn-test-tar.XXXXXX";

/* tmpdir/name, in one of a few rotating buffers */
static const char *P(const char *name)
{
	static char buf[8][PATH_MAX];
	static unsigned n;
	char *b = buf[n++ % GN_ELEMENTSOF(buf)];

	assert_true(snprintf(b, PATH_MAX, "%s/%s", tmpdir, name) < PATH_MAX);
	return b;
}

static uint64_t pad(uint64_t n)
{
	return (n + BLK - 1) / BLK * BLK;
}

/*
 * GNU tar with a fixed owner and mtime, then format and the other arguments (NULL-terminated);
 * the test fails if it does.  pax archives leave out atime and ctime, which would make the
 * extended headers' sizes vary from run to run (GNU tar refuses --pax-option for other formats).
 */
static void tar(const char *format, ...)
{
	const char *argv[32] = { "/usr/bin/tar", "--owner=0", "--group=0", "--mtime=@1700000000",
				 format };
	size_t n = 5;
	va_list ap;

	if (strcmp(format, "--format=pax") == 0)
		argv[n++] = "--pax-option=delete=atime,delete=ctime";
	va_start(ap, format);
	while (n < GN_ELEMENTSOF(argv) - 1 && (argv[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	if (test_run(argv) != 0) {
		char cmd[2048] = "";

		for (size_t i = 0; i < n; i++)
			snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), "%s ", argv[i]);
		fail_msg("failed: %s", cmd);
	}
}

static uint8_t pattern(size_t i, unsigned seed)
{
	return (uint8_t)(i * 7 + seed * 31 + (i >> 9));
}

/* tmpdir/src/name: size bytes of a pattern told apart by seed (parent folders made). */
static void source(const char *name, size_t size, unsigned seed)
{
	char path[PATH_MAX];
	_cleanup_free_ uint8_t *b = malloc(size + 1);

	assert_non_null(b);
	for (size_t i = 0; i < size; i++)
		b[i] = pattern(i, seed);
	snprintf(path, sizeof(path), "%s/src/%s", tmpdir, name);
	for (char *s = strchr(path + strlen(tmpdir) + 5, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		assert_true(mkdir(path, 0700) == 0 || errno == EEXIST);
		*s = '/';
	}
	test_spill(path, b, size);
}

static int open_archive(const char *name)
{
	int fd = open(P(name), O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

/* gn_tar_index on tmpdir/name, which must succeed. */
static struct gn_tar *indexed(const char *name)
{
	_cleanup_close_ int fd = open_archive(name);
	struct gn_tar *t = NULL;
	gn_error err = { "" };
	int r = gn_tar_index(fd, name, &t, &err);

	if (r < 0)
		fail_msg("'%s' refused (%d): %s", name, r, err.msg);
	assert_non_null(t);
	return t;
}

/* gn_tar_index on tmpdir/name must fail with r and a message holding msg. */
static void refused(const char *name, int want, const char *msg)
{
	_cleanup_close_ int fd = open_archive(name);
	struct gn_tar *t = (struct gn_tar *)&t;  /* must stay untouched */
	gn_error err = { "" };
	int r = gn_tar_index(fd, name, &t, &err);

	if (r != want)
		fail_msg("'%s': %d (%s), expected %d", name, r, err.msg, want);
	assert_ptr_equal(t, &t);
	if (!strstr(err.msg, msg))
		fail_msg("'%s': message '%s' lacks '%s'", name, err.msg, msg);
}

/* Member i is name, a regular file at offset with the content of tmpdir/src/source. */
static void member(const struct gn_tar *t, size_t i, const char *name, uint64_t offset,
		   const char *archive, const char *src)
{
	const struct gn_tar_member *m = &t->members.v[i];
	size_t alen, slen;
	char path[PATH_MAX];

	assert_true(i < t->members.n);
	assert_string_equal(m->name, name);
	assert_int_equal(m->offset, offset);
	assert_int_equal(m->type, GN_TAR_REGULAR);
	assert_int_equal(m->mtime, MTIME);
	snprintf(path, sizeof(path), "%s/src/%s", tmpdir, src);
	_cleanup_free_ char *a = test_slurp(P(archive), &alen);
	_cleanup_free_ char *s = test_slurp(path, &slen);
	assert_non_null(a);
	assert_non_null(s);
	assert_int_equal(m->size, slen);
	assert_true(m->offset + m->size <= alen);
	assert_memory_equal(a + m->offset, s, slen);
}

/* Bytes of the pax record "LEN key=value\n", LEN counting itself. */
static size_t pax_reclen(const char *key, const char *value)
{
	size_t body = 1 + strlen(key) + 1 + strlen(value) + 1, len = body + 1;

	while (len != body + (size_t)snprintf(NULL, 0, "%zu", len))
		len = body + (size_t)snprintf(NULL, 0, "%zu", len);
	return len;
}

static char long_dir[128], long_file[140];

static void make_sources(void)
{
	memset(long_dir, 'd', 120);
	memset(long_file, 'n', 130);
	strcpy(long_file + 130, ".vmdk");
	source("a.ovf", 10, 1);
	source("a.mf", 0, 2);
	source("disk1.vmdk", 5000, 3);
	source("exact.bin", 1024, 4);
	source(long_file, 700, 5);
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/disk2.vmdk", long_dir);
	source(p, 3000, 6);
}

static const char *long_path(void)
{
	static char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/disk2.vmdk", long_dir);
	return p;
}

static void test_ustar(void **state)
{
	const char *names[] = { "a.ovf", "a.mf", "disk1.vmdk", "exact.bin", long_path() };
	const uint64_t sizes[] = { 10, 0, 5000, 1024, 3000 };
	uint64_t pos = 0;

	(void)state;
	tar("--format=ustar", "-cf", P("ustar.tar"), "-C", P("src"), names[0], names[1], names[2],
	    names[3], names[4], NULL);
	_cleanup_(gn_tar_freep) struct gn_tar *t = indexed("ustar.tar");
	assert_int_equal(t->members.n, 5);
	/* the long path is split into the prefix and name fields: one header each */
	for (size_t i = 0; i < GN_ELEMENTSOF(names); i++) {
		member(t, i, names[i], pos + BLK, "ustar.tar", names[i]);
		pos += BLK + pad(sizes[i]);
	}
	assert_ptr_equal(gn_tar_find(t, "disk1.vmdk"), &t->members.v[2]);
	assert_ptr_equal(gn_tar_find(t, long_path()), &t->members.v[4]);
	assert_null(gn_tar_find(t, "disk2.vmdk"));
	assert_null(gn_tar_find(t, "./disk1.vmdk"));
	assert_null(gn_tar_find(t, ""));
}

/* Names of 100 bytes and more: GNU tar writes an 'L' record (the name and a NUL) before. */
static void test_gnu(void **state)
{
	const char *names[] = { "a.ovf", long_file, long_path(), "disk1.vmdk" };
	uint64_t pos = 0;

	(void)state;
	tar("--format=gnu", "-cf", P("gnu.tar"), "-C", P("src"), names[0], names[1], names[2],
	    names[3], NULL);
	_cleanup_(gn_tar_freep) struct gn_tar *t = indexed("gnu.tar");
	assert_int_equal(t->members.n, 4);
	for (size_t i = 0; i < GN_ELEMENTSOF(names); i++) {
		size_t slen;
		char src[PATH_MAX];

		if (strlen(names[i]) >= 100)
			pos += BLK + pad(strlen(names[i]) + 1);
		snprintf(src, sizeof(src), "src/%s", names[i]);
		free(test_slurp(P(src), &slen));
		member(t, i, names[i], pos + BLK, "gnu.tar", names[i]);
		pos += BLK + pad(slen);
	}
	assert_string_equal(gn_tar_find(t, long_file)->name, long_file);
}

/* Names over 100 bytes: an 'x' header with a path record before (atime and ctime left out). */
static void test_pax(void **state)
{
	const char *names[] = { "a.ovf", long_file, long_path(), "disk1.vmdk" };
	uint64_t pos = 0;

	(void)state;
	tar("--format=pax", "-cf", P("pax.tar"), "-C", P("src"), names[0], names[1], names[2],
	    names[3], NULL);
	_cleanup_(gn_tar_freep) struct gn_tar *t = indexed("pax.tar");
	assert_int_equal(t->members.n, 4);
	for (size_t i = 0; i < GN_ELEMENTSOF(names); i++) {
		size_t slen;
		char src[PATH_MAX];

		if (strlen(names[i]) > 100)
			pos += BLK + pad(pax_reclen("path", names[i]));
		snprintf(src, sizeof(src), "src/%s", names[i]);
		free(test_slurp(P(src), &slen));
		member(t, i, names[i], pos + BLK, "pax.tar", names[i]);
		pos += BLK + pad(slen);
	}
}

/* GNU tar's default pax headers (atime, ctime with fractions): found by name, right bytes. */
static void test_pax_default(void **state)
{
	const char *argv[] = { "/usr/bin/tar", "--format=pax", "-cf", P("paxd.tar"), "-C", P("src"),
			       "a.ovf", long_file, "disk1.vmdk", NULL };

	(void)state;
	assert_int_equal(test_run(argv), 0);
	_cleanup_(gn_tar_freep) struct gn_tar *t = indexed("paxd.tar");
	assert_int_equal(t->members.n, 3);
	size_t alen;
	_cleanup_free_ char *a = test_slurp(P("paxd.tar"), &alen);
	assert_non_null(a);
	for (size_t i = 0; i < 3; i++) {
		const struct gn_tar_member *m = gn_tar_find(t, argv[6 + i]);
		size_t slen;
		char src[PATH_MAX];

		assert_non_null(m);
		snprintf(src, sizeof(src), "src/%s", argv[6 + i]);
		_cleanup_free_ char *s = test_slurp(P(src), &slen);
		assert_non_null(s);
		assert_true(m->offset + m->size <= alen);
		assert_int_equal(m->size, slen);
		assert_memory_equal(a + m->offset, s, slen);
	}
}

/* "./NAME" members answer to NAME; appended copies of a name: the last one wins. */
static void test_find_duplicates(void **state)
{
	(void)state;
	tar("--format=ustar", "-cf", P("dup.tar"), "-C", P("src"), "./a.ovf", "disk1.vmdk", NULL);
	source("a.ovf", 20, 7);
	tar("--format=ustar", "-rf", P("dup.tar"), "-C", P("src"), "a.ovf", NULL);
	_cleanup_(gn_tar_freep) struct gn_tar *t = indexed("dup.tar");
	assert_int_equal(t->members.n, 3);
	assert_string_equal(t->members.v[0].name, "./a.ovf");
	assert_ptr_equal(gn_tar_find(t, "./a.ovf"), &t->members.v[0]);
	assert_ptr_equal(gn_tar_find(t, "a.ovf"), &t->members.v[2]);
	member(t, 2, "a.ovf", BLK + pad(10) + BLK + pad(5000) + BLK, "dup.tar", "a.ovf");
	assert_int_equal(t->members.v[0].size, 10);

	source("a.ovf", 30, 8);
	tar("--format=ustar", "-rf", P("dup.tar"), "-C", P("src"), "./a.ovf", NULL);
	_cleanup_(gn_tar_freep) struct gn_tar *t2 = indexed("dup.tar");
	assert_ptr_equal(gn_tar_find(t2, "a.ovf"), &t2->members.v[3]);
	assert_int_equal(gn_tar_find(t2, "a.ovf")->size, 30);
	source("a.ovf", 10, 1);
}

/* GNU tar --sparse: an 'S' member (gnu) and GNU.sparse pax records (pax). */
static void test_sparse_real(void **state)
{
	int fd;

	(void)state;
	fd = open(P("src/holes.img"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 4 << 20), 0);
	assert_int_equal(pwrite(fd, "x", 1, 1 << 20), 1);
	close(fd);
	tar("--format=gnu", "--sparse", "-cf", P("sparse-gnu.tar"), "-C", P("src"), "a.ovf",
	    "holes.img", NULL);
	refused("sparse-gnu.tar", -EOPNOTSUPP, "'sparse-gnu.tar': member 'holes.img' at offset 1024 "
		"is a sparse member, which is not supported");
	tar("--format=pax", "--sparse", "-cf", P("sparse-pax.tar"), "-C", P("src"), "holes.img", NULL);
	refused("sparse-pax.tar", -EOPNOTSUPP, "pax header at offset 0 describes a sparse file "
		"('GNU.sparse.");
}

/*
 * Archives built here: a growing buffer of blocks.
 */
struct arc {
	uint8_t *b;
	size_t n, cap;
};

static uint8_t *grow(struct arc *a, size_t len)
{
	if (a->n + len > a->cap) {
		a->cap = 2 * (a->n + len);
		a->b = realloc(a->b, a->cap);
		assert_non_null(a->b);
	}
	memset(a->b + a->n, 0, len);
	a->n += len;
	return a->b + a->n - len;
}

/* Write the checksum of header h: the unsigned sum, or the signed one. */
static void seal(uint8_t *h, bool signed_sum)
{
	long sum = 0;

	memset(h + 148, ' ', 8);
	for (size_t i = 0; i < BLK; i++)
		sum += signed_sum ? (long)(int8_t)h[i] : (long)h[i];
	snprintf((char *)h + 148, 8, "%06lo", (unsigned long)sum & 0777777);
}

/* A ustar header (size in octal, 11 digits), sealed; returns it for patching (then seal again). */
static uint8_t *header(struct arc *a, const char *name, char type, uint64_t size)
{
	uint8_t *h = grow(a, BLK);

	memcpy(h, name, strnlen(name, 100));
	memcpy(h + 100, "0000644", 8);
	memcpy(h + 108, "0000000", 8);
	memcpy(h + 116, "0000000", 8);
	snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size & 077777777777ull);
	snprintf((char *)h + 136, 12, "%011o", MTIME);
	h[156] = (uint8_t)type;
	memcpy(h + 257, "ustar\0" "00", 8);
	seal(h, false);
	return h;
}

/* len bytes of data, padded. */
static void data(struct arc *a, const void *d, size_t len)
{
	memcpy(grow(a, pad(len)), d, len);
}

/* A header of type ('x', 'g', 'L') whose data is d (len bytes). */
static void record(struct arc *a, char type, const void *d, size_t len)
{
	header(a, type == 'L' ? "././@LongLink" : "PaxHeaders/x", type, len);
	data(a, d, len);
}

/* The pax record of key and value, appended to s. */
static void pax_add(char *s, size_t cap, const char *key, const char *value)
{
	snprintf(s + strlen(s), cap - strlen(s), "%zu %s=%s\n", pax_reclen(key, value), key, value);
}

/* Write a to tmpdir/name, with the two zero blocks when end, and free it. */
static void spill(struct arc *a, const char *name, bool end)
{
	if (end)
		grow(a, 2 * BLK);
	test_spill(P(name), a->b, a->n);
	free(a->b);
	*a = (struct arc){ 0 };
}

static void set_base256(uint8_t *h, size_t off, size_t len, uint64_t v)
{
	memset(h + off, 0, len);
	h[off] = 0x80;
	for (size_t i = 0; i < 8; i++)
		h[off + len - 1 - i] = (uint8_t)(v >> (8 * i));
	seal(h, false);
}

/* Sizes from pax 'size' records and base-256 fields, beyond the 8 GiB of 11 octal digits, in
 * files made that long with holes; pax mtime with fractions and signs. */
static void test_big_sizes(void **state)
{
	const uint64_t big = 9ull << 30;
	char recs[256] = "", num[32], msg[128];
	struct arc a = { 0 };
	int fd;

	(void)state;
	snprintf(num, sizeof(num), "%llu", (unsigned long long)big);
	pax_add(recs, sizeof(recs), "size", num);
	pax_add(recs, sizeof(recs), "mtime", "-12.75");
	record(&a, 'x', recs, strlen(recs));
	header(&a, "disk1.vmdk", '0', 0);
	spill(&a, "pax-size.tar", false);
	fd = open(P("pax-size.tar"), O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)(3 * BLK + big + 2 * BLK)), 0);
	close(fd);
	_cleanup_(gn_tar_freep) struct gn_tar *t = indexed("pax-size.tar");
	assert_int_equal(t->members.n, 1);
	assert_string_equal(t->members.v[0].name, "disk1.vmdk");
	assert_int_equal(t->members.v[0].offset, 3 * BLK);
	assert_int_equal(t->members.v[0].size, big);
	assert_int_equal(t->members.v[0].mtime, -12);

	/* one byte short of the data: refused */
	fd = open(P("pax-size.tar"), O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)(3 * BLK + big - 1)), 0);
	close(fd);
	snprintf(msg, sizeof(msg), "needs %llu bytes at offset 1536, the file has %llu",
		 (unsigned long long)big, (unsigned long long)(3 * BLK + big - 1));
	refused("pax-size.tar", -EBADMSG, msg);

	/* GNU base-256 size */
	set_base256(header(&a, "disk2.vmdk", '0', 0), 124, 12, big + 1);
	spill(&a, "b256.tar", false);
	fd = open(P("b256.tar"), O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)(BLK + pad(big + 1))), 0);
	close(fd);
	_cleanup_(gn_tar_freep) struct gn_tar *t2 = indexed("b256.tar");
	assert_int_equal(t2->members.n, 1);
	assert_int_equal(t2->members.v[0].offset, BLK);
	assert_int_equal(t2->members.v[0].size, big + 1);

	/* a pax size smaller than the header's, with real data */
	uint8_t bytes[700];
	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = pattern(i, 9);
	recs[0] = '\0';
	pax_add(recs, sizeof(recs), "size", "700");
	pax_add(recs, sizeof(recs), "path", "renamed.vmdk");
	pax_add(recs, sizeof(recs), "comment", "ignored=still ignored");
	record(&a, 'x', recs, strlen(recs));
	header(&a, "disk3.vmdk", '0', 0);
	data(&a, bytes, sizeof(bytes));
	header(&a, "after", '0', 0);
	spill(&a, "pax-small.tar", true);
	_cleanup_(gn_tar_freep) struct gn_tar *t3 = indexed("pax-small.tar");
	assert_int_equal(t3->members.n, 2);
	assert_string_equal(t3->members.v[0].name, "renamed.vmdk");
	assert_int_equal(t3->members.v[0].offset, 3 * BLK);
	assert_int_equal(t3->members.v[0].size, 700);
	assert_int_equal(t3->members.v[0].mtime, MTIME);
	assert_string_equal(t3->members.v[1].name, "after");
	assert_int_equal(t3->members.v[1].offset, 3 * BLK + pad(700) + BLK);
	assert_int_equal(t3->members.v[1].size, 0);
	size_t alen;
	_cleanup_free_ char *b = test_slurp(P("pax-small.tar"), &alen);
	assert_memory_equal(b + 3 * BLK, bytes, sizeof(bytes));
}

/* Checksums: tar accepts the signed sum as well as the unsigned one, nothing else. */
static void test_checksums(void **state)
{
	struct arc a = { 0 };
	uint8_t *h;

	(void)state;
	h = header(&a, "caf\xc3\xa9.ovf", '0', 0);
	seal(h, true);
	spill(&a, "signed.tar", true);
	_cleanup_(gn_tar_freep) struct gn_tar *t = indexed("signed.tar");
	assert_string_equal(t->members.v[0].name, "caf\xc3\xa9.ovf");

	header(&a, "a.ovf", '0', 0);
	h = header(&a, "b\x01.ovf", '0', 0);
	h[0] = 'c';
	spill(&a, "badsum.tar", true);
	refused("badsum.tar", -EBADMSG, "'badsum.tar': member 'c\\x01.ovf': header at offset 512 has "
		"a bad checksum");

	/* the real archive, one name byte changed */
	size_t len;
	_cleanup_free_ char *b = test_slurp(P("ustar.tar"), &len);
	b[BLK + pad(10)] = 'D';
	test_spill(P("badsum2.tar"), b, len);
	refused("badsum2.tar", -EBADMSG, "'badsum2.tar': member 'D.mf': header at offset 1024 has a "
		"bad checksum");
}

/* Truncated data, padding and headers; EOF right after a member is the end of the archive. */
static void test_truncated(void **state)
{
	size_t len;
	_cleanup_free_ char *b = test_slurp(P("ustar.tar"), &len);
	/* disk1.vmdk: header at 1024 + 512, data at 2048, 5000 bytes padded to 5120 */
	const uint64_t disk1 = 2 * BLK + BLK + BLK;

	(void)state;
	test_spill(P("cut.tar"), b, disk1 + 1000);
	refused("cut.tar", -EBADMSG, "'cut.tar': truncated archive: member 'disk1.vmdk' needs 5120 "
		"bytes at offset 2048, the file has 3048");
	test_spill(P("cut.tar"), b, disk1 + 5000);  /* data whole, padding cut: GNU tar fails too */
	refused("cut.tar", -EBADMSG, "needs 5120 bytes at offset 2048, the file has 7048");
	test_spill(P("cut.tar"), b, disk1 + 5120 + 100);
	refused("cut.tar", -EBADMSG, "'cut.tar': truncated archive: header at offset 7168 needs 512 "
		"bytes, the file has 7268");
	test_spill(P("cut.tar"), b, disk1 + 5120);  /* no zero blocks: accepted, as GNU tar does */
	_cleanup_(gn_tar_freep) struct gn_tar *t = indexed("cut.tar");
	assert_int_equal(t->members.n, 3);
	assert_string_equal(t->members.v[2].name, "disk1.vmdk");
	/* one zero block ends the archive, whatever follows */
	_cleanup_free_ char *c = calloc(1, disk1 + 5120 + 2 * BLK);
	assert_non_null(c);
	memcpy(c, b, disk1 + 5120);
	memset(c + disk1 + 5120 + BLK, 'x', BLK);
	test_spill(P("cut.tar"), c, disk1 + 5120 + 2 * BLK);
	_cleanup_(gn_tar_freep) struct gn_tar *t2 = indexed("cut.tar");
	assert_int_equal(t2->members.n, 3);

	/* every length: 0 or a clean error */
	for (size_t n = 0; n <= len; n++) {
		struct gn_tar *t3 = NULL;
		gn_error err = { "" };
		int r;

		test_spill(P("cut.tar"), b, n);
		_cleanup_close_ int fd = open_archive("cut.tar");
		r = gn_tar_index(fd, "cut.tar", &t3, &err);
		assert_true(r == 0 || r == -EBADMSG);
		assert_true(r == 0 ? t3 != NULL : err.msg[0] != '\0');
		gn_tar_free(t3);
		n += n < 2 * BLK ? 0 : 7;  /* every byte of the first blocks, then a sample */
	}
}

/* Sizes: 2^63 and other numbers that are not; the octal fields' rules. */
static void test_numbers(void **state)
{
	struct arc a = { 0 };
	uint8_t *h;

	(void)state;
	set_base256(header(&a, "huge", '0', 0), 124, 12, 1ull << 63);
	spill(&a, "n.tar", true);
	refused("n.tar", -EBADMSG, "'n.tar': member 'huge': header at offset 0: 'size' is not a number");

	set_base256(header(&a, "huge", '0', 0), 124, 12, INT64_MAX);
	spill(&a, "n.tar", true);
	refused("n.tar", -EBADMSG, "truncated archive: member 'huge' needs 9223372036854775808 bytes");

	h = header(&a, "neg", '0', 0);
	memset(h + 124, 0xff, 12);  /* base-256 -1 */
	seal(h, false);
	spill(&a, "n.tar", true);
	refused("n.tar", -EBADMSG, "member 'neg': header at offset 0: negative size");

	static const struct { size_t off; const char *field, *value; bool ok; } cases[] = {
		{ 124, "size", "0000000001\0", true },
		{ 124, "size", "  17 ", true },
		{ 124, "size", "00000000009", false },
		{ 124, "size", "1x", false },
		{ 124, "size", "    ", false },
		{ 100, "mode", "07a4", false },
		{ 108, "uid", "-1", false },
		{ 116, "gid", "+1", false },
		{ 136, "mtime", "1 2", true },   /* GNU tar stops at the first space */
		{ 136, "mtime", "\x01", false },
	};
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		char want[128];
		size_t len = cases[i].off == 124 || cases[i].off == 136 ? 12 : 8;

		h = header(&a, "f", '0', 0);
		memset(h + cases[i].off, 0, len);
		memcpy(h + cases[i].off, cases[i].value, strlen(cases[i].value));
		seal(h, false);
		grow(&a, 2 * BLK);  /* room for a size of 017 */
		spill(&a, "n.tar", true);
		snprintf(want, sizeof(want), "member 'f': header at offset 0: '%s' is not a number",
			 cases[i].field);
		if (cases[i].ok) {
			_cleanup_(gn_tar_freep) struct gn_tar *t = indexed("n.tar");
			assert_int_equal(t->members.n, 1);
		} else {
			refused("n.tar", -EBADMSG, want);
		}
	}
	/* an all-NUL field is 0, as for GNU tar */
	h = header(&a, "f", '0', 0);
	memset(h + 100, 0, 8 + 8 + 8 + 12 + 12);
	seal(h, false);
	spill(&a, "n.tar", true);
	_cleanup_(gn_tar_freep) struct gn_tar *t = indexed("n.tar");
	assert_int_equal(t->members.v[0].size, 0);
	assert_int_equal(t->members.v[0].mtime, 0);
}

/* pax records: well-formed ones, and each way of being malformed. */
static void test_pax_records(void **state)
{
	static const struct { const char *data; size_t len; int r; const char *msg; } cases[] = {
		{ "10 path=x\n", 10, 0, "x" },
		{ "11 path=x=\n", 11, 0, "x=" },
		{ "13 pathx=yyy\n", 13, 0, "f" },
		{ "7 a=bc\n10 path=y\n", 17, 0, "y" },
		{ "10 path=x\n10 path=z\n", 20, 0, "z" },
		{ "99 path=x\n", 10, -EBADMSG, "pax header at offset 0: malformed record at byte 0" },
		{ "8 path=x\n", 9, -EBADMSG, "malformed record at byte 0" },
		{ "10 path=x\nX", 11, -EBADMSG, "malformed record at byte 10" },
		{ "10 path=x\n\0", 11, -EBADMSG, "malformed record at byte 10" },
		{ " 9 path=x\n", 10, -EBADMSG, "malformed record at byte 0" },
		{ "10path=xx\n", 10, -EBADMSG, "malformed record at byte 0" },
		{ "11 pathxxx\n", 11, -EBADMSG, "malformed record at byte 0" },
		{ "6 =ab\n", 6, -EBADMSG, "malformed record at byte 0" },
		{ "10 pa\0h=x\n", 10, -EBADMSG, "malformed record at byte 0" },
		{ "2 \n", 3, -EBADMSG, "malformed record at byte 0" },
		{ "00000000010 path=x\n", 19, -EBADMSG, "malformed record at byte 0" },
		{ "8 path=\n", 8, -EBADMSG, "empty value for 'path'" },
		{ "12 path=a\0b\n", 12, -EBADMSG, "'path' holds a NUL byte" },
		{ "12 size=abc\n", 12, -EBADMSG, "'size' is not a number" },
		{ "12 size=-10\n", 12, -EBADMSG, "'size' is not a number" },
		{ "28 size=9223372036854775808\n", 28, -EBADMSG, "'size' is not a number" },
		{ "13 mtime=1.x\n", 13, -EBADMSG, "'mtime' is not a number" },
		{ "12 mtime=.5\n", 12, -EBADMSG, "'mtime' is not a number" },
		{ "22 GNU.sparse.major=1\n", 22, -EOPNOTSUPP, "describes a sparse file ('GNU.sparse.major')" },
	};
	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		struct arc a = { 0 };

		record(&a, 'x', cases[i].data, cases[i].len);
		header(&a, "f", '0', 0);
		spill(&a, "pr.tar", true);
		if (cases[i].r == 0) {
			_cleanup_(gn_tar_freep) struct gn_tar *t = indexed("pr.tar");
			assert_int_equal(t->members.n, 1);
			assert_string_equal(t->members.v[0].name, cases[i].msg);
			assert_int_equal(t->members.v[0].offset, 3 * BLK);
		} else {
			refused("pr.tar", cases[i].r, cases[i].msg);
		}
	}
}

/* Names, record order and types tar programs read in different ways: refused. */
static void test_refusals(void **state)
{
	struct arc a = { 0 };
	char recs[128] = "", big[GN_TAR_MAX_NAME + 8];

	(void)state;
	record(&a, 'L', "long\0name", 10);
	header(&a, "short", '0', 0);
	spill(&a, "r.tar", true);
	refused("r.tar", -EBADMSG, "'r.tar': GNU long name at offset 0 is cut by a NUL byte");

	record(&a, 'L', "\0", 1);
	header(&a, "short", '0', 0);
	spill(&a, "r.tar", true);
	refused("r.tar", -EBADMSG, "GNU long name at offset 0 is empty");

	record(&a, 'L', "first", 6);
	record(&a, 'L', "second", 7);
	header(&a, "short", '0', 0);
	spill(&a, "r.tar", true);
	refused("r.tar", -EBADMSG, "header at offset 1024: a second GNU long name for one member");

	record(&a, 'L', "longname", 9);  /* without the NUL is accepted: the name */
	header(&a, "short", '0', 0);
	spill(&a, "r.tar", true);
	_cleanup_(gn_tar_freep) struct gn_tar *t = indexed("r.tar");
	assert_string_equal(t->members.v[0].name, "longname");
	assert_int_equal(t->members.v[0].offset, 3 * BLK);

	pax_add(recs, sizeof(recs), "path", "p");
	record(&a, 'x', recs, strlen(recs));
	record(&a, 'x', recs, strlen(recs));
	header(&a, "short", '0', 0);
	spill(&a, "r.tar", true);
	refused("r.tar", -EBADMSG, "header at offset 1024: a second pax header for one member");

	record(&a, 'L', "longname", 9);
	record(&a, 'x', recs, strlen(recs));
	header(&a, "short", '0', 0);
	spill(&a, "r.tar", true);
	refused("r.tar", -EBADMSG, "member 'p' at offset 2048 has both a GNU long name and a pax path");

	record(&a, 'g', recs, strlen(recs));
	header(&a, "short", '0', 0);
	spill(&a, "r.tar", true);
	refused("r.tar", -EBADMSG, "global pax header at offset 0 sets 'path' for every member");

	/* a global header with other keywords is read and passed over */
	recs[0] = '\0';
	pax_add(recs, sizeof(recs), "comment", "4f1c0d2e");
	record(&a, 'g', recs, strlen(recs));
	header(&a, "short", '0', 0);
	spill(&a, "r.tar", true);
	_cleanup_(gn_tar_freep) struct gn_tar *t2 = indexed("r.tar");
	assert_int_equal(t2->members.n, 1);
	assert_int_equal(t2->members.v[0].offset, 3 * BLK);

	record(&a, 'x', recs, strlen(recs));
	spill(&a, "r.tar", true);
	refused("r.tar", -EBADMSG, "the archive ends at offset 1024 after a pax header or GNU long "
		"name, before its member");

	header(&a, "dir/", '5', 512);
	grow(&a, BLK);
	spill(&a, "r.tar", true);
	refused("r.tar", -EBADMSG, "member 'dir/' at offset 0 of type '5' has 512 bytes of data");
	/* a GNU header with bytes in ustar's prefix field: vm.ovf to GNU tar, x/vm.ovf to Python */
	uint8_t *h = header(&a, "vm.ovf", '0', 0);
	memcpy(h + 257, "ustar  \0", 8);
	h[345] = 'x';
	seal(h, false);
	spill(&a, "r.tar", true);
	refused("r.tar", -EBADMSG, "member 'vm.ovf': GNU header at offset 0 has data where ustar "
		"keeps a name prefix");
	/* a v7 directory (a regular file's type, a name ending in '/'): Python reads no data */
	header(&a, "dir/", '\0', 512);
	grow(&a, BLK);
	spill(&a, "r.tar", true);
	refused("r.tar", -EBADMSG, "member 'dir/' at offset 0 of type '0' has 512 bytes of data");

	header(&a, "sparse", 'S', 0);
	spill(&a, "r.tar", true);
	refused("r.tar", -EOPNOTSUPP, "member 'sparse' at offset 0 is a sparse member");

	header(&a, "vol", 'M', 0);
	spill(&a, "r.tar", true);
	refused("r.tar", -EOPNOTSUPP, "is a multi-volume member");

	header(&a, "", '0', 0);
	spill(&a, "r.tar", true);
	refused("r.tar", -EBADMSG, "member at offset 0 has an empty name");

	/* the limits on names and pax headers */
	memset(big, 'n', sizeof(big));
	record(&a, 'L', big, GN_TAR_MAX_NAME + 2);
	header(&a, "short", '0', 0);
	spill(&a, "r.tar", true);
	refused("r.tar", -E2BIG, "GNU long name at offset 0 of 4098 bytes, more than 4096");

	/* GN_TAR_MAX_NAME + 1 bytes with no NUL among them: one byte too long */
	record(&a, 'L', big, GN_TAR_MAX_NAME + 1);
	header(&a, "short", '0', 0);
	spill(&a, "r.tar", true);
	refused("r.tar", -E2BIG, "GNU long name at offset 0 of more than 4096 bytes");

	big[GN_TAR_MAX_NAME] = '\0';
	record(&a, 'L', big, GN_TAR_MAX_NAME + 1);
	header(&a, "short", '0', 0);
	spill(&a, "r.tar", true);
	_cleanup_(gn_tar_freep) struct gn_tar *t3 = indexed("r.tar");
	assert_int_equal(strlen(t3->members.v[0].name), GN_TAR_MAX_NAME);

	_cleanup_free_ char *pax = malloc(GN_TAR_MAX_PAX + 64);
	assert_non_null(pax);
	big[GN_TAR_MAX_NAME] = 'n';
	big[GN_TAR_MAX_NAME + 1] = '\0';
	pax[0] = '\0';
	pax_add(pax, GN_TAR_MAX_PAX + 64, "path", big);
	record(&a, 'x', pax, strlen(pax));
	header(&a, "short", '0', 0);
	spill(&a, "r.tar", true);
	refused("r.tar", -E2BIG, "pax header at offset 0: 'path' of 4097 bytes, more than 4096");

	pax[0] = '\0';
	while (strlen(pax) <= GN_TAR_MAX_PAX)
		pax_add(pax, GN_TAR_MAX_PAX + 64, "comment", "0123456789abcdef0123456789abcdef");
	record(&a, 'x', pax, strlen(pax));
	header(&a, "short", '0', 0);
	spill(&a, "r.tar", true);
	refused("r.tar", -E2BIG, "more than 65536 (GN_TAR_MAX_PAX)");

	/* a record header's own data past the end */
	header(&a, "././@LongLink", 'L', 100);
	spill(&a, "r.tar", false);
	refused("r.tar", -EBADMSG, "truncated archive: record '././@LongLink' needs 512 bytes at "
		"offset 512, the file has 512");
}

/* GN_TAR_MAX_MEMBERS members are indexed; one more is refused, and so are endless headers. */
static void test_limits(void **state)
{
	struct arc a = { 0 };

	(void)state;
	for (unsigned i = 0; i < GN_TAR_MAX_MEMBERS; i++) {
		char name[16];

		snprintf(name, sizeof(name), "m%u", i);
		header(&a, name, '0', 0);
	}
	struct arc b = { .b = malloc(a.n), .n = a.n, .cap = a.n };
	assert_non_null(b.b);
	memcpy(b.b, a.b, a.n);
	spill(&a, "many.tar", true);
	_cleanup_(gn_tar_freep) struct gn_tar *t = indexed("many.tar");
	assert_int_equal(t->members.n, GN_TAR_MAX_MEMBERS);
	assert_string_equal(gn_tar_find(t, "m4095")->name, "m4095");
	assert_int_equal(gn_tar_find(t, "m4095")->offset, GN_TAR_MAX_MEMBERS * BLK);

	header(&b, "one-more", '0', 0);
	spill(&b, "many.tar", true);
	refused("many.tar", -E2BIG, "'many.tar': more than 4096 members (GN_TAR_MAX_MEMBERS)");

	for (unsigned i = 0; i <= GN_TAR_MAX_HEADERS; i++)
		header(&a, "PaxHeaders/g", 'g', 0);
	spill(&a, "many.tar", true);
	refused("many.tar", -E2BIG, "more than 16384 headers (GN_TAR_MAX_HEADERS)");
}

/* Files that are no tar archives. */
static void test_not_tar(void **state)
{
	uint8_t junk[10240];
	unsigned x = 12345;

	(void)state;
	test_spill(P("empty.tar"), "", 0);
	refused("empty.tar", -EBADMSG, "'empty.tar': not a tar archive: the file is empty");

	memset(junk, 0, sizeof(junk));
	test_spill(P("zeros.tar"), junk, sizeof(junk));
	_cleanup_(gn_tar_freep) struct gn_tar *t = indexed("zeros.tar");
	assert_int_equal(t->members.n, 0);
	assert_null(gn_tar_find(t, "a"));

	for (size_t i = 0; i < sizeof(junk); i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (uint8_t)(x >> 16);
	}
	test_spill(P("random.tar"), junk, sizeof(junk));
	refused("random.tar", -EBADMSG, "header at offset 0 has a bad checksum");

	_cleanup_close_ int fd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct gn_tar *t2 = NULL;
	gn_error err = { "" };
	assert_true(fd >= 0);
	assert_int_equal(gn_tar_index(fd, "folder", &t2, &err), -EINVAL);
	assert_string_equal(err.msg, "'folder': not a regular file");
	assert_null(t2);
}

/* Index fd (a damaged archive of len bytes): 0 with members inside the file, or a clean error. */
static bool check_damaged(int fd, uint64_t len)
{
	struct gn_tar *t = NULL;
	gn_error err = { "" };
	int r = gn_tar_index(fd, "flip.tar", &t, &err);

	if (r < 0) {
		assert_true(r == -EBADMSG || r == -EOPNOTSUPP || r == -E2BIG);
		assert_true(strncmp(err.msg, "'flip.tar': ", 12) == 0);
		assert_null(t);
		return false;
	}
	for (size_t m = 0; m < t->members.n; m++) {
		assert_true(t->members.v[m].name[0] != '\0');
		assert_true(t->members.v[m].offset + t->members.v[m].size <= len);
	}
	gn_tar_free(t);
	return true;
}

/*
 * Every bit of the first two blocks of real archives flipped in turn, once as it is (the
 * checksum catches most of those) and once with the first header's checksum made right again,
 * so that the damage reaches the number, name and type fields; the second block is a pax or
 * GNU long-name record's data in the archives made here, or a member's.
 */
static void test_bit_flips(void **state)
{
	const char *archives[] = { "ustar.tar", "flip-gnu.tar", "flip-pax.tar", "paxd.tar" };

	(void)state;
	tar("--format=gnu", "-cf", P("flip-gnu.tar"), "-C", P("src"), long_file, "a.ovf", NULL);
	tar("--format=pax", "-cf", P("flip-pax.tar"), "-C", P("src"), long_path(), "a.ovf", NULL);
	for (size_t k = 0; k < GN_ELEMENTSOF(archives); k++) {
		size_t len;
		_cleanup_free_ uint8_t *b = (uint8_t *)test_slurp(P(archives[k]), &len);
		unsigned accepted = 0;
		uint8_t h[BLK];

		assert_non_null(b);
		test_spill(P("flip.tar"), b, len);
		_cleanup_close_ int fd = open(P("flip.tar"), O_RDWR | O_CLOEXEC);
		assert_true(fd >= 0);
		for (size_t i = 0; i < 2 * BLK; i++) {
			for (unsigned bit = 0; bit < 16; bit++) {
				uint8_t v = b[i] ^ (uint8_t)(1u << (bit & 7));

				assert_int_equal(pwrite(fd, &v, 1, (off_t)i), 1);
				if (bit >= 8 && i < BLK) {
					memcpy(h, b, BLK);
					h[i] = v;
					if (i < 148 || i >= 156)
						seal(h, false);
					assert_int_equal(pwrite(fd, h + 148, 8, 148), 8);
				}
				accepted += check_damaged(fd, len);
				assert_int_equal(pwrite(fd, b, BLK, 0), BLK);
				assert_int_equal(pwrite(fd, b + i, 1, (off_t)i), 1);
			}
		}
		/* flips in member data and in fields nothing reads are accepted */
		assert_true(accepted > 0);
	}
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir) || mkdir(P("src"), 0700) < 0)
		return -1;
	make_sources();
	return 0;
}

static int teardown(void **state)
{
	const char *rm[] = { "rm", "-rf", "--", tmpdir, NULL };

	(void)state;
	return test_run(rm) == 0 ? 0 : -1;
}

int main(void)
{
	/* in order: later tests reuse the sources and archives earlier ones made */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ustar),
		cmocka_unit_test(test_gnu),
		cmocka_unit_test(test_pax),
		cmocka_unit_test(test_pax_default),
		cmocka_unit_test(test_find_duplicates),
		cmocka_unit_test(test_sparse_real),
		cmocka_unit_test(test_big_sizes),
		cmocka_unit_test(test_checksums),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_pax_records),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_not_tar),
		cmocka_unit_test(test_bit_flips),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
