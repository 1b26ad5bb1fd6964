/*
 * test-image.c: gn_image_probe on real images made at test time with qemu-img (raw, qcow2 v2
 * and v3, VMDK sparse, streamOptimized, flat and split, VHD dynamic and fixed, VHDX, QED, qcow,
 * VDI, parallels), and on hostile ones made from them by editing header bytes: backing files
 * on host paths, "..", symbolic links and protocol names leading out of the allowed folder,
 * cycles, missing files, external data files, VMDK descriptors naming host files, differencing
 * VHD and VHDX, absurd lengths and offsets.  Every refusal is checked for its reason.  Truncated
 * and randomly damaged copies of every image must give 0 or a clean error, never a crash (run
 * it under SANITIZE=address,undefined).
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
#include "image.h"
#include "testlib.h"

static char tmpdir[] = "/tmp/gn-test-image.XXXXXX";
static bool have_qemu_img;

/* tmpdir/name, in one of a few rotating buffers */
static const char *P(const char *name)
{
	static char buf[8][PATH_MAX];
	static unsigned n;
	char *b = buf[n++ % GN_ELEMENTSOF(buf)];

	snprintf(b, PATH_MAX, "%s/%s", tmpdir, name);
	return b;
}

/* A copy of s that lasts until teardown (P's buffers are reused). */
static char *kept[64];
static size_t nkept;

static const char *keep(const char *s)
{
	assert_true(nkept < GN_ELEMENTSOF(kept));
	kept[nkept] = strdup(s);
	assert_non_null(kept[nkept]);
	return kept[nkept++];
}

/* qemu-img with the given arguments (NULL-terminated); the test fails if it does. */
static void qemu_img(const char *arg, ...)
{
	const char *argv[32] = { "qemu-img", arg };
	size_t n = 2;
	va_list ap;

	va_start(ap, arg);
	while (n < GN_ELEMENTSOF(argv) - 1 && (argv[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	if (test_run(argv) != 0) {
		char cmd[1024] = "";

		for (size_t i = 0; i < n; i++)
			snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), "%s ", argv[i]);
		fail_msg("failed: %s", cmd);
	}
}

#define NEED_QEMU_IMG() do { if (!have_qemu_img) skip(); } while (0)

/* A file the test made, as bytes. */
static uint8_t *slurp(const char *path, size_t *len)
{
	uint8_t *b = (uint8_t *)test_slurp(path, len);

	assert_non_null(b);
	return b;
}

static void spit_text(const char *path, const char *text)
{
	test_spill(path, text, strlen(text));
}

static void copy_prefix(const char *from, const char *to, size_t len)
{
	size_t n;
	_cleanup_free_ uint8_t *b = slurp(from, &n);

	test_spill(to, b, len < n ? len : n);
}

static void copy(const char *from, const char *to)
{
	copy_prefix(from, to, SIZE_MAX);
}

static void patch(const char *path, uint64_t off, const void *bytes, size_t len)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, bytes, len, (off_t)off), (ssize_t)len);
}

static void patch_be32(const char *path, uint64_t off, uint32_t v)
{
	uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

	patch(path, off, b, 4);
}

static void patch_be64(const char *path, uint64_t off, uint64_t v)
{
	patch_be32(path, off, (uint32_t)(v >> 32));
	patch_be32(path, off + 4, (uint32_t)v);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static char *real(const char *path)
{
	static char buf[4][PATH_MAX];
	static unsigned n;
	char *b = buf[n++ % GN_ELEMENTSOF(buf)];

	assert_non_null(realpath(path, b));
	return b;
}

/* Accepted: the format, the chain (NULL-terminated list of paths, realpath'd here). */
static void accepted(const char *path, const char *fmt, const char *dir, enum gn_image_format want,
		     const char *const *chain, struct gn_image *out)
{
	struct gn_image img;
	gn_error err = { "" };
	int r = gn_image_probe(path, fmt, dir, &img, &err);
	size_t n = 0;

	if (r < 0)
		fail_msg("'%s' refused (%d): %s", path, r, err.msg);
	assert_string_equal(img.path, path);
	assert_int_equal(img.format, want);
	for (; chain && chain[n]; n++) {
		assert_non_null(img.chain);
		assert_non_null(img.chain[n]);
		assert_string_equal(img.chain[n], real(chain[n]));
	}
	if (n == 0)
		assert_null(img.chain);
	else
		assert_null(img.chain[n]);
	if (out)
		*out = img;
	else
		gn_image_release(&img);
}

/* Refused with r, and the message names the image and holds every reason given. */
static void refused(const char *path, const char *fmt, const char *dir, int want, ...)
{
	struct gn_image img = { .path = (char *)"untouched" };
	gn_error err = { "" };
	const char *part;
	va_list ap;
	int r = gn_image_probe(path, fmt, dir, &img, &err);

	if (r >= 0)
		fail_msg("'%s' accepted as %s, expected %d", path, gn_image_format_name(img.format), want);
	if (r != want)
		fail_msg("'%s': %d, expected %d: %s", path, r, want, err.msg);
	assert_string_equal(img.path, "untouched");
	if (!strstr(err.msg, path) && !strstr(err.msg, real(path)))
		fail_msg("message does not name '%s': %s", path, err.msg);
	va_start(ap, want);
	while ((part = va_arg(ap, const char *)))
		if (!strstr(err.msg, part))
			fail_msg("message lacks '%s': %s", part, err.msg);
	va_end(ap);
}

static void test_format_names(void **state)
{
	static const struct {
		const char *name;
		int format;
	} names[] = {
		{ "raw", GN_IMAGE_RAW }, { "qcow2", GN_IMAGE_QCOW2 }, { "vmdk", GN_IMAGE_VMDK },
		{ "vpc", GN_IMAGE_VPC }, { "vhd", GN_IMAGE_VPC }, { "vhdx", GN_IMAGE_VHDX },
		{ "qed", -1 }, { "qcow", -1 }, { "vvfat", -1 }, { "file", -1 }, { "", -1 },
		{ "RAW", -1 }, { "qcow2 ", -1 }, { NULL, -1 },
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(names); i++)
		assert_int_equal(gn_image_format_from_name(names[i].name), names[i].format);
	for (int f = GN_IMAGE_RAW; f <= GN_IMAGE_VHDX; f++)
		if (f != GN_IMAGE_VPC)
			assert_int_equal(gn_image_format_from_name(gn_image_format_name(f)), f);
	assert_string_equal(gn_image_format_name(GN_IMAGE_VPC), "vpc");
	assert_null(gn_image_format_name((enum gn_image_format)99));
	gn_image_release(NULL);
}

static void test_raw(void **state)
{
	struct gn_image img;
	static uint8_t buf[1 << 20];
	uint32_t x = 12345;

	(void)state;
	test_spill(P("zero.img"), buf, sizeof(buf));
	accepted(P("zero.img"), NULL, NULL, GN_IMAGE_RAW, NULL, &img);
	assert_int_equal(img.virtual_size, sizeof(buf));
	gn_image_release(&img);
	gn_image_release(&img);  /* twice is fine */
	accepted(P("zero.img"), "raw", NULL, GN_IMAGE_RAW, NULL, NULL);

	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	buf[0] = 0;  /* no magic by chance */
	test_spill(P("random.img"), buf, sizeof(buf));
	accepted(P("random.img"), NULL, NULL, GN_IMAGE_RAW, NULL, NULL);
	test_spill(P("tiny.img"), "QFI", 3);
	accepted(P("tiny.img"), NULL, NULL, GN_IMAGE_RAW, NULL, NULL);
	refused(P("zero.img"), "qcow2", NULL, -EBADMSG, "the file is raw, but format qcow2 was given", NULL);
	if (have_qemu_img) {
		qemu_img("create", "-f", "raw", P("made.raw"), "4M", NULL);
		accepted(P("made.raw"), NULL, NULL, GN_IMAGE_RAW, NULL, NULL);
	}
}

static void test_errors(void **state)
{
	struct gn_image img;
	gn_error err = { "" };

	(void)state;
	assert_int_equal(gn_image_probe(P("none.img"), NULL, NULL, &img, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "No such file"));
	test_spill(P("empty.img"), "", 0);
	refused(P("empty.img"), NULL, NULL, -EBADMSG, "empty", NULL);
	refused(P("empty.img"), "raw", NULL, -EBADMSG, "empty", NULL);
	assert_int_equal(mkdir(P("adir"), 0700), 0);
	refused(P("adir"), NULL, NULL, -EBADMSG, "not a regular file", NULL);
	assert_int_equal(mkfifo(P("fifo"), 0600), 0);  /* must not block */
	refused(P("fifo"), NULL, NULL, -EBADMSG, "not a regular file", NULL);
	test_spill(P("x.img"), "data", 4);
	assert_int_equal(gn_image_probe(P("x.img"), "qed", NULL, &img, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "unknown image format 'qed'"));
	assert_int_equal(gn_image_probe(P("x.img"), NULL, P("nodir"), &img, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "folder for backing files"));
	assert_int_equal(gn_image_probe(P("x.img"), NULL, P("x.img"), &img, &err), -ENOTDIR);
	assert_int_equal(gn_image_probe(P("x.img"), NULL, NULL, &img, NULL), 0);  /* err may be NULL */
	gn_image_release(&img);
}

static void test_qcow2(void **state)
{
	struct gn_image img;

	(void)state;
	NEED_QEMU_IMG();
	qemu_img("create", "-f", "qcow2", P("vm/plain.qcow2"), "16M", NULL);
	accepted(P("vm/plain.qcow2"), NULL, NULL, GN_IMAGE_QCOW2, NULL, &img);
	assert_int_equal(img.virtual_size, 16 << 20);
	gn_image_release(&img);
	accepted(P("vm/plain.qcow2"), "qcow2", P("vm"), GN_IMAGE_QCOW2, NULL, NULL);
	refused(P("vm/plain.qcow2"), "vmdk", NULL, -EBADMSG, "the file is qcow2, but format vmdk was given",
		NULL);
	refused(P("vm/plain.qcow2"), "vhd", NULL, -EBADMSG, "format vpc was given", NULL);
	qemu_img("create", "-f", "qcow2", "-o", "compat=0.10", P("vm/v2.qcow2"), "8M", NULL);
	accepted(P("vm/v2.qcow2"), NULL, NULL, GN_IMAGE_QCOW2, NULL, &img);
	assert_int_equal(img.virtual_size, 8 << 20);
	gn_image_release(&img);
}

static void test_qcow2_host_backing(void **state)
{
	(void)state;
	NEED_QEMU_IMG();
	spit_text(P("secret.raw"), "host secret\n");
	qemu_img("create", "-f", "qcow2", "-b", P("secret.raw"), "-F", "raw", P("vm/evil.qcow2"), "1M", NULL);
	refused(P("vm/evil.qcow2"), NULL, NULL, -EBADMSG, "has a backing file '", P("secret.raw"),
		"backing files are refused (the image could make qemu read host files)", NULL);
	refused(P("vm/evil.qcow2"), NULL, P("vm"), -EBADMSG, "outside the allowed folder", NULL);
	qemu_img("create", "-f", "qcow2", "-u", "-b", "/etc/passwd", "-F", "raw", P("vm/passwd.qcow2"),
		 "1M", NULL);
	refused(P("vm/passwd.qcow2"), NULL, NULL, -EBADMSG, "has a backing file '/etc/passwd'",
		"backing files are refused", NULL);
	refused(P("vm/passwd.qcow2"), "qcow2", P("vm"), -EBADMSG,
		"backing file '/etc/passwd' resolves to '/etc/passwd', outside the allowed folder", NULL);
	/* the folder is the caller's policy: /etc/passwd is inside /etc */
	accepted(P("vm/passwd.qcow2"), NULL, "/etc", GN_IMAGE_QCOW2, (const char *[]){ "/etc/passwd", NULL },
		 NULL);
}

/* A raw disk whose guest wrote a qcow2 header at sector 0. */
static void test_disguised_raw(void **state)
{
	struct gn_image img;
	size_t len;
	_cleanup_free_ uint8_t *b = NULL;

	(void)state;
	NEED_QEMU_IMG();
	qemu_img("create", "-f", "qcow2", "-u", "-b", "/etc/passwd", "-F", "raw", P("hdr.qcow2"), "1M", NULL);
	b = slurp(P("hdr.qcow2"), &len);
	b = realloc(b, 4 << 20);
	assert_non_null(b);
	memset(b + len, 0, (4 << 20) - len);
	test_spill(P("vm/disguised.img"), b, 4 << 20);
	accepted(P("vm/disguised.img"), "raw", NULL, GN_IMAGE_RAW, NULL, &img);
	assert_int_equal(img.virtual_size, 4 << 20);
	gn_image_release(&img);
	refused(P("vm/disguised.img"), NULL, NULL, -EBADMSG, "has a backing file '/etc/passwd'", NULL);
	refused(P("vm/disguised.img"), "qcow2", NULL, -EBADMSG, "has a backing file '/etc/passwd'", NULL);
}

static void test_qcow2_chain(void **state)
{
	const char *chain[] = { keep(P("vm/mid.qcow2")), keep(P("vm/base.qcow2")), NULL };
	struct gn_image img;
	size_t len;
	_cleanup_free_ uint8_t *b = NULL;

	(void)state;
	NEED_QEMU_IMG();
	qemu_img("create", "-f", "qcow2", P("vm/base.qcow2"), "16M", NULL);
	qemu_img("create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", P("vm/mid.qcow2"), NULL);
	qemu_img("create", "-f", "qcow2", "-b", "mid.qcow2", "-F", "qcow2", P("vm/top.qcow2"), NULL);
	accepted(P("vm/top.qcow2"), NULL, P("vm"), GN_IMAGE_QCOW2, chain, &img);
	assert_int_equal(img.virtual_size, 16 << 20);
	gn_image_release(&img);
	assert_null(img.chain);
	refused(P("vm/top.qcow2"), NULL, NULL, -EBADMSG, "has a backing file 'mid.qcow2'", NULL);
	/* the same folder spelled with a trailing slash and through "..": realpath'd */
	accepted(P("vm/top.qcow2"), NULL, P("vm/../vm/"), GN_IMAGE_QCOW2, chain, NULL);
	/* a parent folder is fine too */
	accepted(P("vm/top.qcow2"), NULL, tmpdir, GN_IMAGE_QCOW2, chain, NULL);

	/* declared backing format that does not match: the base is qcow2, declared raw is honoured
	 * (qemu reads bytes only), declared vmdk is not */
	qemu_img("create", "-f", "qcow2", "-u", "-b", "base.qcow2", "-F", "raw", P("vm/asraw.qcow2"), "16M",
		 NULL);
	accepted(P("vm/asraw.qcow2"), NULL, P("vm"), GN_IMAGE_QCOW2,
		 (const char *[]){ P("vm/base.qcow2"), NULL }, NULL);
	qemu_img("create", "-f", "qcow2", "-u", "-b", "base.qcow2", "-F", "vmdk", P("vm/asvmdk.qcow2"), "16M",
		 NULL);
	refused(P("vm/asvmdk.qcow2"), NULL, P("vm"), -EBADMSG,
		"the file is qcow2, but format vmdk is declared by the image above it", NULL);

	/* no backing format extension: the base's own magic decides, as qemu's probe does */
	copy(P("vm/mid.qcow2"), P("vm/nofmt.qcow2"));
	b = slurp(P("vm/nofmt.qcow2"), &len);
	for (size_t off = 104; off + 4 < 4096; off += 8)
		if (get_be32(b + off) == 0xe2792acau) {
			patch_be32(P("vm/nofmt.qcow2"), off, 0x12345678u);  /* an unknown extension */
			break;
		}
	accepted(P("vm/nofmt.qcow2"), NULL, P("vm"), GN_IMAGE_QCOW2,
		 (const char *[]){ P("vm/base.qcow2"), NULL }, NULL);
	/* a declared format outside the five: a vvfat backing would show a host folder */
	copy(P("vm/asraw.qcow2"), P("vm/vvfat.qcow2"));
	free(b);
	b = slurp(P("vm/vvfat.qcow2"), &len);
	for (size_t off = 104; off + 12 < 4096; off += 8)
		if (get_be32(b + off) == 0xe2792acau) {
			patch(P("vm/vvfat.qcow2"), off + 8, "nbd", 3);
			break;
		}
	refused(P("vm/vvfat.qcow2"), NULL, P("vm"), -EBADMSG, "declares backing format 'nbd'", NULL);
}

static void test_qcow2_escapes(void **state)
{
	(void)state;
	NEED_QEMU_IMG();
	qemu_img("create", "-f", "qcow2", P("outside.qcow2"), "1M", NULL);
	qemu_img("create", "-f", "qcow2", "-u", "-b", "../outside.qcow2", "-F", "qcow2", P("vm/up.qcow2"),
		 "1M", NULL);
	refused(P("vm/up.qcow2"), NULL, P("vm"), -EBADMSG, "backing file '../outside.qcow2' resolves to '",
		real(P("outside.qcow2")), "', outside the allowed folder '", P("vm"), NULL);
	/* a symbolic link inside the folder that leads out */
	assert_int_equal(symlink("../outside.qcow2", P("vm/link.qcow2")), 0);
	qemu_img("create", "-f", "qcow2", "-u", "-b", "link.qcow2", "-F", "qcow2", P("vm/vialink.qcow2"),
		 "1M", NULL);
	refused(P("vm/vialink.qcow2"), NULL, P("vm"), -EBADMSG, "backing file 'link.qcow2' resolves to",
		"outside the allowed folder", NULL);
	/* /a/bc is not inside /a/b */
	assert_int_equal(mkdir(P("a"), 0700), 0);
	assert_int_equal(mkdir(P("a/b"), 0700), 0);
	assert_int_equal(mkdir(P("a/bc"), 0700), 0);
	qemu_img("create", "-f", "qcow2", P("a/bc/x.qcow2"), "1M", NULL);
	qemu_img("create", "-f", "qcow2", "-u", "-b", "../bc/x.qcow2", "-F", "qcow2", P("a/b/y.qcow2"), "1M",
		 NULL);
	refused(P("a/b/y.qcow2"), NULL, P("a/b"), -EBADMSG, "outside the allowed folder", NULL);
	accepted(P("a/b/y.qcow2"), NULL, P("a"), GN_IMAGE_QCOW2,
		 (const char *[]){ P("a/bc/x.qcow2"), NULL }, NULL);
	/* through a symlinked folder: inside (1,800 levels deep) accepted, outside refused */
	{
		char deep[4096] = "deep", cmd[5000];

		for (int i = 0; i < 1800; i++)
			strcat(deep, "/d");
		snprintf(cmd, sizeof(cmd), "mkdir -p '%s/%s'", P("vm"), deep);
		assert_int_equal(system(cmd), 0);
		snprintf(cmd, sizeof(cmd), "%s/%s/base.qcow2", P("vm"), deep);
		qemu_img("create", "-f", "qcow2", cmd, "1M", NULL);
		snprintf(cmd, sizeof(cmd), "%s/%s", P("vm"), deep);
		assert_int_equal(symlink(cmd, P("vm/s")), 0);
		qemu_img("create", "-f", "qcow2", "-u", "-b", "s/base.qcow2", "-F", "qcow2",
			 P("vm/viadeep.qcow2"), "1M", NULL);
		snprintf(cmd, sizeof(cmd), "%s/%s/base.qcow2", real(P("vm")), deep);
		accepted(P("vm/viadeep.qcow2"), NULL, P("vm"), GN_IMAGE_QCOW2,
			 (const char *[]){ cmd, NULL }, NULL);
		assert_int_equal(symlink("../a/bc", P("vm/out")), 0);
		qemu_img("create", "-f", "qcow2", "-u", "-b", "out/x.qcow2", "-F", "qcow2",
			 P("vm/viaout.qcow2"), "1M", NULL);
		refused(P("vm/viaout.qcow2"), NULL, P("vm"), -EBADMSG, "backing file 'out/x.qcow2' "
			"resolves to '", real(P("a/bc/x.qcow2")), "', outside the allowed folder", NULL);
	}
	/* a loop of symbolic links */
	assert_int_equal(symlink("loop2", P("vm/loop1")), 0);
	assert_int_equal(symlink("loop1", P("vm/loop2")), 0);
	qemu_img("create", "-f", "qcow2", "-u", "-b", "loop1", "-F", "qcow2", P("vm/loop.qcow2"), "1M", NULL);
	refused(P("vm/loop.qcow2"), NULL, P("vm"), -EBADMSG, "backing file 'loop1' cannot be resolved", NULL);
	/* names qemu reads as a protocol or a JSON specification */
	qemu_img("create", "-f", "qcow2", "-u", "-b", "nbd:localhost:10809", "-F", "raw", P("vm/nbd.qcow2"),
		 "1M", NULL);
	refused(P("vm/nbd.qcow2"), NULL, P("vm"), -EBADMSG, "'nbd:localhost:10809' has a protocol prefix",
		NULL);
	qemu_img("create", "-f", "qcow2", "-u", "-b", "json:{\"file.filename\":\"/etc/passwd\"}", "-F", "raw",
		 P("vm/json.qcow2"), "1M", NULL);
	refused(P("vm/json.qcow2"), NULL, P("vm"), -EBADMSG, "has a protocol prefix", NULL);
	refused(P("vm/json.qcow2"), NULL, NULL, -EBADMSG, "backing files are refused", NULL);
}

static void test_qcow2_cycle_missing(void **state)
{
	size_t len;
	_cleanup_free_ uint8_t *b = NULL;

	(void)state;
	NEED_QEMU_IMG();
	/* cyc-b names a placeholder of the same length, then is edited to name cyc-a */
	qemu_img("create", "-f", "qcow2", "-u", "-b", "cyc-X.qcow2", "-F", "qcow2", P("vm/cyc-b.qcow2"), "1M",
		 NULL);
	qemu_img("create", "-f", "qcow2", "-u", "-b", "cyc-b.qcow2", "-F", "qcow2", P("vm/cyc-a.qcow2"), "1M",
		 NULL);
	b = slurp(P("vm/cyc-b.qcow2"), &len);
	patch(P("vm/cyc-b.qcow2"), get_be64(b + 8), "cyc-a.qcow2", 11);
	refused(P("vm/cyc-a.qcow2"), NULL, P("vm"), -EBADMSG, "backing file 'cyc-a.qcow2' is '",
		"already in the chain (a cycle)", NULL);
	/* an image that is its own backing file */
	patch(P("vm/cyc-b.qcow2"), get_be64(b + 8), "cyc-b.qcow2", 11);
	refused(P("vm/cyc-b.qcow2"), NULL, P("vm"), -EBADMSG, "a cycle", NULL);

	qemu_img("create", "-f", "qcow2", "-u", "-b", "gone.qcow2", "-F", "qcow2", P("vm/orphan.qcow2"), "1M",
		 NULL);
	refused(P("vm/orphan.qcow2"), NULL, P("vm"), -EBADMSG, "backing file 'gone.qcow2' ('", P("vm/gone.qcow2"),
		"') does not exist", NULL);
	/* missing two levels down: the message names the image with the fault and the top */
	qemu_img("create", "-f", "qcow2", "-u", "-b", "orphan.qcow2", "-F", "qcow2", P("vm/above.qcow2"), "1M",
		 NULL);
	refused(P("vm/above.qcow2"), NULL, P("vm"), -EBADMSG, "(in the chain of '", "'gone.qcow2'",
		"does not exist", NULL);
}

static void test_qcow2_depth(void **state)
{
	char name[64], prev[64];
	struct gn_image img;
	gn_error err;

	(void)state;
	NEED_QEMU_IMG();
	assert_int_equal(mkdir(P("deep"), 0700), 0);
	qemu_img("create", "-f", "qcow2", P("deep/d0.qcow2"), "1M", NULL);
	for (int i = 1; i <= GN_IMAGE_MAX_CHAIN + 1; i++) {
		snprintf(prev, sizeof(prev), "d%d.qcow2", i - 1);
		snprintf(name, sizeof(name), "deep/d%d.qcow2", i);
		qemu_img("create", "-f", "qcow2", "-u", "-b", prev, "-F", "qcow2", P(name), "1M", NULL);
	}
	snprintf(name, sizeof(name), "deep/d%d.qcow2", GN_IMAGE_MAX_CHAIN);
	assert_int_equal(gn_image_probe(P(name), NULL, P("deep"), &img, &err), 0);
	for (int i = 0; i < GN_IMAGE_MAX_CHAIN; i++) {
		snprintf(prev, sizeof(prev), "deep/d%d.qcow2", GN_IMAGE_MAX_CHAIN - 1 - i);
		assert_string_equal(img.chain[i], real(P(prev)));
	}
	assert_null(img.chain[GN_IMAGE_MAX_CHAIN]);
	gn_image_release(&img);
	snprintf(name, sizeof(name), "deep/d%d.qcow2", GN_IMAGE_MAX_CHAIN + 1);
	refused(P(name), NULL, P("deep"), -E2BIG, "the backing chain is longer than 64 images", NULL);
}

static void test_qcow2_data_file(void **state)
{
	char opt[PATH_MAX + 16];

	(void)state;
	NEED_QEMU_IMG();
	snprintf(opt, sizeof(opt), "data_file=%s", P("vm/df.raw"));
	qemu_img("create", "-f", "qcow2", "-o", opt, P("vm/df.qcow2"), "1M", NULL);
	refused(P("vm/df.qcow2"), NULL, NULL, -EBADMSG, "has an external data file '", P("vm/df.raw"),
		"external data files are refused (the image could make qemu read host files)", NULL);
	refused(P("vm/df.qcow2"), NULL, P("vm"), -EBADMSG, "external data files are refused", NULL);
	/* the incompatible bit alone, the name extension gone */
	copy(P("vm/plain.qcow2"), P("vm/dfbit.qcow2"));
	patch_be64(P("vm/dfbit.qcow2"), 72, 1u << 2);
	refused(P("vm/dfbit.qcow2"), NULL, P("vm"), -EBADMSG, "has an external data file:", NULL);
}

static void test_qcow2_absurd(void **state)
{
	size_t len;
	_cleanup_free_ uint8_t *b = NULL;
	const char *x = keep(P("vm/absurd.qcow2"));

	(void)state;
	NEED_QEMU_IMG();
	qemu_img("create", "-f", "qcow2", "-u", "-b", "base.qcow2", "-F", "qcow2", P("vm/ok.qcow2"), "1M",
		 NULL);
	b = slurp(P("vm/ok.qcow2"), &len);

	copy(P("vm/ok.qcow2"), x);
	patch_be32(x, 16, 0xffffffffu);
	refused(x, NULL, P("vm"), -EBADMSG, "the backing file name is 4294967295 bytes long", NULL);
	copy(P("vm/ok.qcow2"), x);
	patch_be64(x, 8, UINT64_C(1) << 40);
	refused(x, NULL, P("vm"), -EBADMSG, "lies past the first cluster", NULL);
	copy(P("vm/ok.qcow2"), x);
	patch_be64(x, 8, 65536 - 4);  /* the name runs past the first cluster */
	refused(x, NULL, P("vm"), -EBADMSG, "the backing file name is 10 bytes long", NULL);
	copy_prefix(P("vm/ok.qcow2"), x, get_be64(b + 8) + 4);  /* the name runs past the end */
	refused(x, NULL, P("vm"), -EBADMSG, "truncated: the backing file name", NULL);
	copy(P("vm/ok.qcow2"), x);
	patch_be32(x, 20, 40);
	refused(x, NULL, P("vm"), -EBADMSG, "cluster_bits 40", NULL);
	copy(P("vm/ok.qcow2"), x);
	patch_be32(x, 100, 0x7fffffffu);
	refused(x, NULL, P("vm"), -EBADMSG, "header length 2147483647", NULL);
	copy(P("vm/ok.qcow2"), x);
	patch_be64(x, 72, UINT64_C(1) << 40);
	refused(x, NULL, P("vm"), -EBADMSG, "unknown qcow2 incompatible feature bits 0x10000000000", NULL);
	copy(P("vm/ok.qcow2"), x);
	patch_be32(x, 4, 7);
	refused(x, NULL, P("vm"), -EBADMSG, "qcow2 version 7 is not supported", NULL);
	copy(P("vm/ok.qcow2"), x);
	patch_be32(x, 32, 1);
	refused(x, NULL, P("vm"), -EBADMSG, "encrypted", NULL);
	copy(P("vm/ok.qcow2"), x);
	patch_be32(x, 112 + 4, 0xfffffff0u);  /* the first extension's length */
	refused(x, NULL, P("vm"), -EBADMSG, "past the end of the extension area", NULL);
	copy(P("vm/ok.qcow2"), x);
	patch(x, get_be64(b + 8) + 2, "\0", 1);
	refused(x, NULL, P("vm"), -EBADMSG, "the backing file name holds a NUL byte", NULL);
	/* extensions of length 0, one after another, to the cap */
	copy(P("vm/plain.qcow2"), x);
	for (unsigned i = 0; i < GN_IMAGE_MAX_EXTENSIONS + 1; i++)
		patch_be64(x, 112 + 8 * i, UINT64_C(0x77777777) << 32);
	refused(x, NULL, P("vm"), -E2BIG, "more than 256 qcow2 header extensions", NULL);
}

static void test_vmdk(void **state)
{
	struct gn_image img;

	(void)state;
	NEED_QEMU_IMG();
	qemu_img("create", "-f", "vmdk", P("vm/sparse.vmdk"), "16M", NULL);
	accepted(P("vm/sparse.vmdk"), NULL, NULL, GN_IMAGE_VMDK, NULL, &img);
	assert_int_equal(img.virtual_size, 16 << 20);
	gn_image_release(&img);
	accepted(P("vm/sparse.vmdk"), "vmdk", NULL, GN_IMAGE_VMDK, NULL, NULL);
	qemu_img("create", "-f", "vmdk", "-o", "subformat=streamOptimized", P("vm/stream.vmdk"), "16M", NULL);
	accepted(P("vm/stream.vmdk"), NULL, NULL, GN_IMAGE_VMDK, NULL, &img);
	assert_int_equal(img.virtual_size, 16 << 20);
	gn_image_release(&img);

	/* descriptor + flat data file */
	qemu_img("create", "-f", "vmdk", "-o", "subformat=monolithicFlat", P("vm/flat.vmdk"), "16M", NULL);
	refused(P("vm/flat.vmdk"), NULL, NULL, -EBADMSG, "has an extent file 'flat-flat.vmdk'",
		"extent files are refused (the image could make qemu read host files)", NULL);
	accepted(P("vm/flat.vmdk"), NULL, P("vm"), GN_IMAGE_VMDK,
		 (const char *[]){ P("vm/flat-flat.vmdk"), NULL }, &img);
	assert_int_equal(img.virtual_size, 16 << 20);
	gn_image_release(&img);
	/* descriptor + sparse extents */
	qemu_img("create", "-f", "vmdk", "-o", "subformat=twoGbMaxExtentSparse", P("vm/split.vmdk"), "16M",
		 NULL);
	accepted(P("vm/split.vmdk"), NULL, P("vm"), GN_IMAGE_VMDK,
		 (const char *[]){ P("vm/split-s001.vmdk"), NULL }, NULL);
	/* a SPARSE extent that is not a sparse extent */
	spit_text(P("vm/badsplit.vmdk"), "# Disk DescriptorFile\nversion=1\ncreateType=\"twoGbMaxExtentSparse\"\n"
		  "RW 32768 SPARSE \"flat-flat.vmdk\"\n");
	refused(P("vm/badsplit.vmdk"), NULL, P("vm"), -EBADMSG, "the file is raw, but it is listed as a "
		"SPARSE extent", NULL);

	/* a parent */
	qemu_img("create", "-f", "vmdk", "-b", "sparse.vmdk", "-F", "vmdk", P("vm/child.vmdk"), NULL);
	refused(P("vm/child.vmdk"), NULL, NULL, -EBADMSG, "has a parent 'sparse.vmdk'",
		"parent images are refused", NULL);
	accepted(P("vm/child.vmdk"), NULL, P("vm"), GN_IMAGE_VMDK,
		 (const char *[]){ P("vm/sparse.vmdk"), NULL }, NULL);
	/* a parent that is not a VMDK: qemu opens VMDK parents as vmdk */
	copy(P("vm/child.vmdk"), P("vm/child2.vmdk"));
	{
		size_t len;
		_cleanup_free_ uint8_t *b = slurp(P("vm/child2.vmdk"), &len);
		uint8_t *hint = memmem(b, len, "parentFileNameHint=\"sparse.vmdk\"", 32);

		assert_non_null(hint);
		patch(P("vm/child2.vmdk"), (uint64_t)(hint - b) + 20, "plain.qcow2", 11);
		refused(P("vm/child2.vmdk"), NULL, P("vm"), -EBADMSG, "the file is qcow2, but format vmdk is "
			"forced by qemu for a VMDK parent", NULL);
	}
}

/* An image inside another file (a disk in an OVA): probed in place, references refused. */
static void test_range(void **state)
{
	size_t slen, clen;
	_cleanup_free_ uint8_t *stream = slurp(P("vm/stream.vmdk"), &slen);
	_cleanup_free_ uint8_t *child = slurp(P("vm/child.vmdk"), &clen);
	const char *box = P("vm/box.tar");
	gn_error err = { "" };
	struct gn_image img;
	FILE *f;

	(void)state;
	NEED_QEMU_IMG();
	assert_non_null(stream);
	assert_non_null(child);
	/* 1536 bytes of something else, the stream-optimized VMDK, then the child with a parent */
	f = fopen(box, "w");
	assert_non_null(f);
	for (int i = 0; i < 1536; i++)
		fputc('x', f);
	assert_int_equal(fwrite(stream, 1, slen, f), slen);
	assert_int_equal(fwrite(child, 1, clen, f), clen);
	assert_int_equal(fclose(f), 0);

	assert_int_equal(gn_image_probe_range(box, 1536, slen, "box.tar:disk1.vmdk", NULL, &img,
					      &err), 0);
	assert_int_equal(img.format, GN_IMAGE_VMDK);
	assert_int_equal(img.virtual_size, 16 << 20);
	assert_string_equal(img.path, "box.tar:disk1.vmdk");
	assert_null(img.chain);
	gn_image_release(&img);
	/* the format named must agree with the bytes */
	assert_int_equal(gn_image_probe_range(box, 1536, slen, "d", "qcow2", &img, &err), -EBADMSG);
	/* the range is the image: its first bytes are not a VMDK's */
	assert_int_equal(gn_image_probe_range(box, 0, slen, "d", "vmdk", &img, &err), -EBADMSG);
	/* a parent is refused: there is no folder it could be in */
	assert_int_equal(gn_image_probe_range(box, 1536 + slen, clen, "box.tar:child.vmdk", NULL,
					      &img, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "'box.tar:child.vmdk': has a parent 'sparse.vmdk'"));
	/* past the end of the file */
	assert_int_equal(gn_image_probe_range(box, 1536 + slen, clen + 1, "d", NULL, &img, &err),
			 -EBADMSG);
	assert_non_null(strstr(err.msg, "lie past the end"));
	assert_int_equal(gn_image_probe_range(box, UINT64_MAX, 2, "d", NULL, &img, &err), -EBADMSG);
}

/* qemu skips 20 bytes after parentFileNameHint whatever they are, NULs included */
#define NUL_HINT "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\n" \
	"RW 2048 FLAT \"flat-flat.vmdk\" 0\nparentFileNameHint\0\0/etc/passwd\"\n"

/* Hand-written descriptors: table of text, and the reason it must be refused for. */
static void test_vmdk_descriptors(void **state)
{
	static const struct {
		const char *text;
		const char *dir;  /* "vm" or NULL */
		int r;
		const char *reason;
		size_t len;       /* 0: strlen(text) */
	} cases[] = {
		{ "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\n"
		  "createType=\"monolithicFlat\"\n\nRW 2048 FLAT \"/etc/passwd\" 0\n",
		  NULL, -EBADMSG, "has an extent file '/etc/passwd'", 0 },
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\nRW 2048 FLAT \"/etc/passwd\" 0\n",
		  "vm", -EBADMSG, "extent file '/etc/passwd' resolves to '/etc/passwd', outside the allowed folder", 0 },
		/* qemu's sscanf lets whitespace span lines */
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\nRW\n2048\nFLAT\n\"/etc/passwd\" 0\n",
		  "vm", -EBADMSG, "extent file '/etc/passwd' resolves", 0 },
		{ "version=1\ncreateType=\"vmfs\"\n\t  RW 2048 VMFS \"/etc/passwd\"\n",
		  "vm", -EBADMSG, "'/etc/passwd' resolves", 0 },
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\nRDONLY 2048 FLAT \"../s.raw\" 0\n",
		  "vm", -EBADMSG, "extent file '../s.raw' resolves to", 0 },
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\nNOACCESS 2048 FLAT \"gone\" 0\n",
		  "vm", -EBADMSG, "extent file 'gone' (", 0 },
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\nRW 2048 FLAT \"json:{}\" 0\n",
		  "vm", -EBADMSG, "'json:{}' has a protocol prefix", 0 },
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\n"
		  "RW 2048 FLAT \"flat-flat.vmdk\" 0\nparentFileNameHint=\"/etc/passwd\"\n",
		  "vm", -EBADMSG, "parent '/etc/passwd' resolves to '/etc/passwd', outside", 0 },
		/* qemu finds the hint anywhere, comments included */
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\n"
		  "# parentFileNameHint=\"/etc/passwd\"\nRW 2048 FLAT \"flat-flat.vmdk\" 0\n",
		  "vm", -EBADMSG, "parent '/etc/passwd' resolves", 0 },
		{ NUL_HINT, "vm", -EBADMSG, "parent '/etc/passwd' resolves", sizeof(NUL_HINT) - 1 },
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\n"
		  "RW 2048 FLAT \"flat-flat.vmdk\" 0\nparentFileNameHint=\"/etc/passwd\"\n",
		  NULL, -EBADMSG, "has an extent file 'flat-flat.vmdk'", 0 },
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\n"
		  "parentFileNameHint=\"/etc/passwd\"\n", NULL, -EBADMSG, "has a parent '/etc/passwd'", 0 },
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\nparentFileNameHint=\"x\n",
		  "vm", -EBADMSG, "parentFileNameHint has no closing quote", 0 },
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\nRW 2048 VMFSRDM \"/dev/sda\"\n",
		  "vm", -EBADMSG, "extent type 'VMFSRDM' (file '/dev/sda') is not supported", 0 },
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"fullDevice\"\nRW 2048 FLAT \"/dev/sda\" 0\n",
		  "vm", -EBADMSG, "createType 'fullDevice' is not supported", 0 },
		{ "# Disk DescriptorFile\nversion=1\nRW 2048 FLAT \"flat-flat.vmdk\" 0\n",
		  "vm", -EBADMSG, "without a createType", 0 },
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\nRW 2048 FLAT\n",
		  "vm", -EBADMSG, "invalid extent line 'RW 2048 FLAT'", 0 },
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\nRW 0 FLAT \"flat-flat.vmdk\" 0\n",
		  "vm", -EBADMSG, "extent of 0 sectors", 0 },
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\n"
		  "RW 2048 FLAT \"\x1b[2Jevil\" 0\n", NULL, -EBADMSG, "'\\x1b[2Jevil'", 0 },
		/* valid UTF-8 is kept, a C1 control is not */
		{ "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\n"
		  "RW 2048 FLAT \"na\xc3\xafve\xc2\x85\" 0\n", NULL, -EBADMSG, "'na\xc3\xafve\\xc2\\x85'", 0 },
		/* qemu's own test for a descriptor: comments and lines of spaces, then version= */
		{ "# made by hand\n   \nversion=1\ncreateType=\"monolithicFlat\"\nRW 2048 FLAT \"/etc/passwd\" 0\n",
		  NULL, -EBADMSG, "has an extent file '/etc/passwd'", 0 },
	};
	char name[32];

	(void)state;
	NEED_QEMU_IMG();  /* flat-flat.vmdk comes from test_vmdk */
	spit_text(P("s.raw"), "secret");
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);

		snprintf(name, sizeof(name), "vm/desc%zu.vmdk", i);
		test_spill(P(name), cases[i].text, len);
		refused(P(name), NULL, cases[i].dir ? P(cases[i].dir) : NULL, cases[i].r, cases[i].reason,
			NULL);
	}
	/* a good one, by hand: ZERO extents, comments, CRLF */
	spit_text(P("vm/hand.vmdk"), "# Disk DescriptorFile\r\nversion=1\r\ncreateType=\"monolithicFlat\"\r\n"
		  "RW 2048 ZERO\r\nRW 32768 FLAT \"flat-flat.vmdk\" 0\r\n# RW 9 FLAT \"/etc/passwd\" 0\r\n");
	{
		struct gn_image img;

		accepted(P("vm/hand.vmdk"), NULL, P("vm"), GN_IMAGE_VMDK,
			 (const char *[]){ P("vm/flat-flat.vmdk"), NULL }, &img);
		assert_int_equal(img.virtual_size, (2048 + 32768) * 512);
		gn_image_release(&img);
	}
	/* too large to be a descriptor */
	{
		_cleanup_free_ char *big = malloc(GN_IMAGE_MAX_DESCRIPTOR + 100);

		memset(big, '#', GN_IMAGE_MAX_DESCRIPTOR + 100);
		memcpy(big, "# Disk DescriptorFile\n", 22);
		test_spill(P("vm/big.vmdk"), big, GN_IMAGE_MAX_DESCRIPTOR + 100);
		refused(P("vm/big.vmdk"), NULL, P("vm"), -E2BIG, "VMDK descriptor file of", NULL);

		/* more extent lines than the cap */
		size_t n = (size_t)sprintf(big, "# Disk DescriptorFile\ncreateType=\"monolithicFlat\"\n");

		for (int i = 0; i <= GN_IMAGE_MAX_EXTENTS; i++)
			n += (size_t)sprintf(big + n, "RW 1 ZERO\n");
		test_spill(P("vm/many.vmdk"), big, n);
		refused(P("vm/many.vmdk"), NULL, P("vm"), -E2BIG, "more than 4096 extents", NULL);

		/* a parentFileNameHint cut by the end of qemu's 10240-byte window */
		memset(big, '#', 10240);
		memcpy(big, "# Disk DescriptorFile\ncreateType=\"monolithicFlat\"\n", 50);
		memcpy(big + 10240 - 19, "parentFileNameHint=\"x\"\n", 24);
		test_spill(P("vm/cut-hint.vmdk"), big, 10240 + 5);
		refused(P("vm/cut-hint.vmdk"), NULL, P("vm"), -EBADMSG, "truncated parentFileNameHint", NULL);
		/* and one longer than qemu takes */
		{
			static const char head[] = "# Disk DescriptorFile\ncreateType=\"monolithicFlat\"\n"
						   "parentFileNameHint=\"";
			char want[64];

			memset(big, 'x', 6000);
			memcpy(big, head, strlen(head));
			strcpy(big + 6000, "\"\n");
			spit_text(P("vm/long-hint.vmdk"), big);
			snprintf(want, sizeof(want), "parentFileNameHint is %zu bytes long", 6000 - strlen(head));
			refused(P("vm/long-hint.vmdk"), NULL, P("vm"), -EBADMSG, want, NULL);
		}
	}
	/* an empty hint names no parent (qemu's reading) */
	spit_text(P("vm/nohint.vmdk"), "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\n"
		  "parentFileNameHint=\"\"\nRW 32768 FLAT \"flat-flat.vmdk\" 0\n");
	accepted(P("vm/nohint.vmdk"), NULL, P("vm"), GN_IMAGE_VMDK,
		 (const char *[]){ P("vm/flat-flat.vmdk"), NULL }, NULL);
	/* a name longer than a message holds is cut, visibly */
	{
		char text[700];

		snprintf(text, sizeof(text), "# Disk DescriptorFile\ncreateType=\"monolithicFlat\"\n"
			 "RW 1 FLAT \"/%0500d\" 0\n", 0);
		spit_text(P("vm/longname.vmdk"), text);
		refused(P("vm/longname.vmdk"), NULL, NULL, -EBADMSG, "has an extent file '/000", "...", NULL);
	}
}

/* A sparse VMDK whose embedded descriptor names another file, or that qemu would read as a
 * descriptor file. */
static void test_vmdk_embedded(void **state)
{
	size_t len;
	_cleanup_free_ uint8_t *b = NULL;
	uint8_t *extent;

	(void)state;
	NEED_QEMU_IMG();
	copy(P("vm/sparse.vmdk"), P("vm/emb.vmdk"));
	b = slurp(P("vm/emb.vmdk"), &len);
	extent = memmem(b, len, "SPARSE \"sparse.vmdk\"", 20);
	assert_non_null(extent);
	/* qemu opens no file the embedded descriptor names (it still says "sparse.vmdk" after a
	 * rename), so any name is fine; a second extent or another type is not */
	accepted(P("vm/emb.vmdk"), NULL, NULL, GN_IMAGE_VMDK, NULL, NULL);
	patch(P("vm/emb.vmdk"), (uint64_t)(extent - b) + 8, "/etc/passwd\"", 12);
	accepted(P("vm/emb.vmdk"), NULL, NULL, GN_IMAGE_VMDK, NULL, NULL);
	patch(P("vm/emb.vmdk"), (uint64_t)(extent - b), "FLAT  ", 6);
	refused(P("vm/emb.vmdk"), NULL, P("vm"), -EBADMSG,
		"its embedded descriptor names a FLAT extent, not the file itself", NULL);
	patch(P("vm/emb.vmdk"), (uint64_t)(extent - b), "SPARSE \"a\"\nRW 1 SPARSE \"b\"\n#", 28);
	refused(P("vm/emb.vmdk"), NULL, P("vm"), -EBADMSG,
		"its embedded descriptor names more than one extent", NULL);
	/* capacity 0 with a descriptor: qemu would open the extents that descriptor names */
	copy(P("vm/sparse.vmdk"), P("vm/cap0.vmdk"));
	patch(P("vm/cap0.vmdk"), 12, "\0\0\0\0\0\0\0\0", 8);
	refused(P("vm/cap0.vmdk"), NULL, P("vm"), -EBADMSG, "capacity 0 and an embedded descriptor", NULL);
	/* a descriptor past the end of the file, and one over the size limit */
	copy(P("vm/sparse.vmdk"), P("vm/desc-eof.vmdk"));
	patch(P("vm/desc-eof.vmdk"), 28, "\xff\xff\xff\xff\0\0\0\0", 8);
	refused(P("vm/desc-eof.vmdk"), NULL, NULL, -EBADMSG, "lies past the end of the file", NULL);
	copy(P("vm/sparse.vmdk"), P("vm/desc-big.vmdk"));
	assert_int_equal(truncate(P("vm/desc-big.vmdk"), 1 << 20), 0);
	patch(P("vm/desc-big.vmdk"), 36, "\x00\x01\0\0\0\0\0\0", 8);  /* 256 sectors */
	refused(P("vm/desc-big.vmdk"), NULL, NULL, -E2BIG, "the embedded descriptor is 256 sectors", NULL);
	copy(P("vm/sparse.vmdk"), P("vm/v9.vmdk"));
	patch(P("vm/v9.vmdk"), 4, "\x09\0\0\0", 4);
	refused(P("vm/v9.vmdk"), NULL, NULL, -EBADMSG, "VMDK sparse version 9 is not supported", NULL);
}

static uint32_t vhd_sum(const uint8_t *b, size_t len, size_t field)
{
	uint32_t s = 0;

	for (size_t i = 0; i < len; i++)
		if (i < field || i >= field + 4)
			s += b[i];
	return ~s;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static void test_vpc(void **state)
{
	struct gn_image img;
	size_t len;
	_cleanup_free_ uint8_t *b = NULL;
	uint64_t dyn;

	(void)state;
	NEED_QEMU_IMG();
	qemu_img("create", "-f", "vpc", P("vm/dyn.vhd"), "16M", NULL);
	accepted(P("vm/dyn.vhd"), NULL, NULL, GN_IMAGE_VPC, NULL, &img);
	assert_true(img.virtual_size >= 16 << 20 && img.virtual_size < 17 << 20);
	gn_image_release(&img);
	accepted(P("vm/dyn.vhd"), "vhd", NULL, GN_IMAGE_VPC, NULL, NULL);
	qemu_img("create", "-f", "vpc", "-o", "subformat=fixed", P("vm/fixed.vhd"), "16M", NULL);
	accepted(P("vm/fixed.vhd"), NULL, NULL, GN_IMAGE_VPC, NULL, &img);
	assert_true(img.virtual_size >= 16 << 20 && img.virtual_size < 17 << 20);
	gn_image_release(&img);
	accepted(P("vm/fixed.vhd"), "vpc", NULL, GN_IMAGE_VPC, NULL, NULL);
	accepted(P("vm/fixed.vhd"), "raw", NULL, GN_IMAGE_RAW, NULL, NULL);

	/* checksums */
	copy(P("vm/dyn.vhd"), P("vm/badsum.vhd"));
	patch(P("vm/badsum.vhd"), 48, "\x7f", 1);
	refused(P("vm/badsum.vhd"), NULL, NULL, -EBADMSG, "VHD footer checksum", "does not match", NULL);
	b = slurp(P("vm/fixed.vhd"), &len);
	copy(P("vm/fixed.vhd"), P("vm/fixed-as-dyn.vhd"));
	{
		uint8_t f[512];

		memcpy(f, b + len - 512, 512);
		put_be32(f + 60, 3);
		put_be32(f + 64, vhd_sum(f, 512, 64));
		patch(P("vm/fixed-as-dyn.vhd"), len - 512, f, 512);
		refused(P("vm/fixed-as-dyn.vhd"), NULL, NULL, -EBADMSG, "the only VHD footer, at the end, says "
			"disk type 3", NULL);
	}

	/* a differencing disk: type 4 in both footers, a parent name in the dynamic header */
	free(b);
	b = slurp(P("vm/dyn.vhd"), &len);
	dyn = get_be64(b + 16);
	for (size_t at = 0; at <= len - 512; at += len - 512) {
		put_be32(b + at + 60, 4);
		put_be32(b + at + 64, vhd_sum(b + at, 512, 64));
	}
	{
		/* "bäse😀.vhd" and a NUL, UTF-16BE (U+1F600 is a surrogate pair) */
		static const uint16_t name[] = { 'b', 0xe4, 's', 'e', 0xd83d, 0xde00, '.', 'v', 'h', 'd', 0 };

		for (size_t i = 0; i < GN_ELEMENTSOF(name); i++) {
			b[dyn + 64 + 2 * i] = (uint8_t)(name[i] >> 8);
			b[dyn + 64 + 2 * i + 1] = (uint8_t)name[i];
		}
	}
	put_be32(b + dyn + 36, vhd_sum(b + dyn, 1024, 36));
	test_spill(P("vm/diff.vhd"), b, len);
	qemu_img("create", "-f", "vpc", P("vm/base.vhd"), "16M", NULL);
	refused(P("vm/diff.vhd"), NULL, NULL, -EBADMSG, "differencing VHD with parent 'b\xc3\xa4se\xf0\x9f\x98\x80.vhd'",
		"qemu does not open a VHD's parent", NULL);
	refused(P("vm/diff.vhd"), NULL, P("vm"), -EBADMSG, "differencing VHD", NULL);
	/* a dynamic header checksum that does not match */
	b[dyn + 100] ^= 1;
	test_spill(P("vm/diff.vhd"), b, len);
	refused(P("vm/diff.vhd"), NULL, NULL, -EBADMSG, "dynamic disk header checksum", NULL);
	/* a data offset past the end */
	free(b);
	b = slurp(P("vm/dyn.vhd"), &len);
	put_be32(b + 16, 0x7fffffff);
	put_be32(b + 64, vhd_sum(b, 512, 64));
	test_spill(P("vm/far.vhd"), b, len);
	refused(P("vm/far.vhd"), NULL, NULL, -EBADMSG, "the VHD dynamic disk header", "past the end", NULL);
}

/* VHDX metadata item ids, as stored (the first three fields little-endian) */
static const uint8_t vhdx_file_parameters[16] = { 0x37, 0x67, 0xa1, 0xca, 0x36, 0xfa, 0x43, 0x4d,
						  0xb3, 0xb6, 0x33, 0xf0, 0xaa, 0x44, 0xe7, 0x6b };
static const uint8_t vhdx_page83[16] = { 0xab, 0x12, 0xca, 0xbe, 0xe6, 0xb2, 0x23, 0x45,
					 0x93, 0xef, 0xc3, 0x09, 0xe0, 0x00, 0xc7, 0x46 };
static const uint8_t vhdx_parent_locator[16] = { 0x2d, 0x5f, 0xd3, 0xa8, 0x0b, 0xb3, 0x4d, 0x45,
						 0xab, 0xf7, 0xd3, 0xd8, 0x48, 0x34, 0xab, 0x0c };

/* The metadata table entry for item id of a VHDX made by qemu-img: its offset in the file;
 * *region gets the metadata region's. */
static uint64_t vhdx_entry(const uint8_t *b, size_t len, const uint8_t id[16], uint64_t *region)
{
	static const uint8_t meta[16] = { 0x06, 0xa2, 0x7c, 0x8b, 0x90, 0x47, 0x9a, 0x4b,
					  0xb8, 0xfe, 0x57, 0x5f, 0x05, 0x0f, 0x88, 0x6e };
	const uint8_t *rt = b + (192 << 10);
	uint64_t moff = 0;

	for (uint32_t i = 0; i < get_le32(rt + 8); i++)
		if (memcmp(rt + 16 + 32 * i, meta, 16) == 0)
			moff = get_le32(rt + 16 + 32 * i + 16) | (uint64_t)get_le32(rt + 16 + 32 * i + 20) << 32;
	assert_true(moff > 0 && moff < len);
	*region = moff;
	for (uint32_t i = 0; i < 64; i++)
		if (memcmp(b + moff + 32 + 32 * i, id, 16) == 0)
			return moff + 32 + 32 * i;
	fail_msg("no such VHDX metadata item");
	return 0;
}

/* The file parameters item itself. */
static uint64_t vhdx_params(const uint8_t *b, size_t len)
{
	uint64_t region, e = vhdx_entry(b, len, vhdx_file_parameters, &region);

	return region + get_le32(b + e + 16);
}

static void test_vhdx(void **state)
{
	struct gn_image img;
	size_t len;
	_cleanup_free_ uint8_t *b = NULL;
	uint64_t params;

	(void)state;
	NEED_QEMU_IMG();
	qemu_img("create", "-f", "vhdx", P("vm/disk.vhdx"), "16M", NULL);
	accepted(P("vm/disk.vhdx"), NULL, NULL, GN_IMAGE_VHDX, NULL, &img);
	assert_int_equal(img.virtual_size, 16 << 20);
	gn_image_release(&img);
	accepted(P("vm/disk.vhdx"), "vhdx", P("vm"), GN_IMAGE_VHDX, NULL, NULL);

	b = slurp(P("vm/disk.vhdx"), &len);
	params = vhdx_params(b, len);
	b[params + 4] |= 2;  /* HasParent */
	test_spill(P("vm/diff.vhdx"), b, len);
	refused(P("vm/diff.vhdx"), NULL, P("vm"), -EBADMSG, "differencing VHDX (HasParent)",
		"qemu cannot open differencing VHDX images", NULL);
	b[params + 4] &= (uint8_t)~2;
	/* a parent locator item without the bit; an unknown required item */
	{
		uint64_t region, e = vhdx_entry(b, len, vhdx_page83, &region);

		memcpy(b + e, vhdx_parent_locator, 16);
		test_spill(P("vm/loc.vhdx"), b, len);
		refused(P("vm/loc.vhdx"), NULL, P("vm"), -EBADMSG, "differencing VHDX (a parent locator)", NULL);
		memset(b + e, 0x5a, 16);
		b[e + 24] |= 4;
		test_spill(P("vm/unknown.vhdx"), b, len);
		refused(P("vm/unknown.vhdx"), NULL, NULL, -EBADMSG, "an unknown VHDX metadata item is required",
			NULL);
		memcpy(b + e, vhdx_page83, 16);
	}
	/* one damaged header: the other is used; both: refused */
	b[(64 << 10) + 100] ^= 1;
	test_spill(P("vm/h1.vhdx"), b, len);
	accepted(P("vm/h1.vhdx"), NULL, NULL, GN_IMAGE_VHDX, NULL, NULL);
	b[(128 << 10) + 100] ^= 1;
	test_spill(P("vm/h2.vhdx"), b, len);
	refused(P("vm/h2.vhdx"), NULL, NULL, -EBADMSG, "neither VHDX header is valid", NULL);
	b[(64 << 10) + 100] ^= 1;
	b[(128 << 10) + 100] ^= 1;
	b[(192 << 10) + 200] ^= 1;
	test_spill(P("vm/rt.vhdx"), b, len);
	refused(P("vm/rt.vhdx"), NULL, NULL, -EBADMSG, "the VHDX region table is not valid", NULL);
}

static void test_unsupported_formats(void **state)
{
	static const struct {
		const char *format, *name;
	} made[] = {
		{ "qed", "qed" }, { "qcow", "qcow (version 1)" }, { "vdi", "vdi" }, { "parallels", "parallels" },
	};
	uint8_t b[4096] = { 0 };
	char file[64];

	(void)state;
	NEED_QEMU_IMG();
	for (size_t i = 0; i < GN_ELEMENTSOF(made); i++) {
		snprintf(file, sizeof(file), "vm/u.%s", made[i].format);
		qemu_img("create", "-f", made[i].format, P(file), "16M", NULL);
		refused(P(file), NULL, NULL, -EBADMSG, "unsupported image format: ", made[i].name, NULL);
		accepted(P(file), "raw", NULL, GN_IMAGE_RAW, NULL, NULL);
	}
	memcpy(b, "Bochs Virtual HD Image", 22);
	test_spill(P("vm/u.bochs"), b, sizeof(b));
	refused(P("vm/u.bochs"), NULL, NULL, -EBADMSG, "unsupported image format: bochs", NULL);
	memset(b, 0, sizeof(b));
	memcpy(b + sizeof(b) - 512, "koly", 4);
	test_spill(P("vm/u.dmg"), b, sizeof(b));
	refused(P("vm/u.dmg"), NULL, NULL, -EBADMSG, "unsupported image format: dmg", NULL);
	memcpy(b, "LUKS\xba\xbe", 6);
	test_spill(P("vm/u.luks"), b, sizeof(b));
	refused(P("vm/u.luks"), NULL, NULL, -EBADMSG, "unsupported image format: luks", NULL);
}

/* Every image above, cut short and damaged at random: 0 or a clean error, never a crash. */
static void check_damaged(const char *path)
{
	struct gn_image img;
	gn_error err = { "" };
	int r;

	for (int with_dir = 0; with_dir < 2; with_dir++) {
		err.msg[0] = '\0';
		r = gn_image_probe(path, NULL, with_dir ? P("vm") : NULL, &img, &err);
		if (r == 0) {
			gn_image_release(&img);
			continue;
		}
		if (r != -EBADMSG && r != -E2BIG)
			fail_msg("'%s': %d: %s", path, r, err.msg);
		assert_true(err.msg[0] != '\0');
	}
}

static void test_truncated_and_damaged(void **state)
{
	static const char *const images[] = {
		"vm/plain.qcow2", "vm/v2.qcow2", "vm/mid.qcow2", "vm/evil.qcow2", "vm/df.qcow2",
		"vm/sparse.vmdk", "vm/stream.vmdk", "vm/child.vmdk", "vm/flat.vmdk", "vm/split.vmdk",
		"vm/dyn.vhd", "vm/fixed.vhd", "vm/disk.vhdx", "vm/u.qed", "vm/hand.vmdk",
	};
	static const size_t cuts[] = {
		1, 3, 4, 7, 8, 16, 20, 36, 44, 68, 71, 72, 73, 100, 103, 104, 111, 112, 120, 200, 511, 512,
		513, 600, 1023, 1024, 1535, 1536, 2047, 2048, 4095, 4096, 10240, 10752, 65535, 65536, 65537,
		69632, 131072, 135168, 196607, 196608, 200000, 262144, 1048575, 1048576, 2097152, 3145728,
		3145728 + 65536,
	};
	uint32_t x = 42;

	(void)state;
	NEED_QEMU_IMG();
	for (size_t i = 0; i < GN_ELEMENTSOF(images); i++) {
		size_t len;
		_cleanup_free_ uint8_t *b = slurp(P(images[i]), &len);

		for (size_t c = 0; c < GN_ELEMENTSOF(cuts); c++)
			if (cuts[c] < len) {
				copy_prefix(P(images[i]), P("vm/cut.img"), cuts[c]);
				check_damaged(P("vm/cut.img"));
			}
		copy_prefix(P(images[i]), P("vm/cut.img"), len - 1);
		check_damaged(P("vm/cut.img"));
		copy_prefix(P(images[i]), P("vm/cut.img"), len - 512);
		check_damaged(P("vm/cut.img"));

		/* random bytes into the places parsers read (headers, descriptors, tables, the VHD
		 * footer), written into a copy in place and put back after each round */
		copy(P(images[i]), P("vm/cut.img"));
		for (int round = 0; round < 150; round++) {
			static const size_t areas[][2] = {
				{ 0, 1024 }, { 1024, 10240 }, { 65536, 4096 }, { 131072, 4096 },
				{ 196608, 512 }, { 3145728, 512 },
			};
			size_t offs[9];
			int n = 0;

			for (int k = 0; k < 1 + round % 8; k++) {
				size_t a, off;
				uint8_t v;

				x = x * 1103515245u + 12345u;
				a = (x >> 16) % GN_ELEMENTSOF(areas);
				x = x * 1103515245u + 12345u;
				off = areas[a][0] + (x >> 8) % areas[a][1];
				x = x * 1103515245u + 12345u;
				v = (x >> 12) & 1 ? (uint8_t)(x >> 16) : 0xff;
				if (off < len) {
					patch(P("vm/cut.img"), off, &v, 1);
					offs[n++] = off;
				}
			}
			if (round % 10 == 0 && len > 512) {
				uint8_t v;

				x = x * 1103515245u + 12345u;
				offs[n] = len - 512 + (x >> 16) % 512;
				v = b[offs[n]] ^ (uint8_t)(x >> 8 | 1);
				patch(P("vm/cut.img"), offs[n++], &v, 1);
			}
			check_damaged(P("vm/cut.img"));
			for (int k = 0; k < n; k++)
				patch(P("vm/cut.img"), offs[k], b + offs[k], 1);
		}
	}
}

static int setup(void **state)
{
	const char *version[] = { "qemu-img", "--version", NULL };

	(void)state;
	if (!mkdtemp(tmpdir) || mkdir(P("vm"), 0700) < 0)
		return -1;
	have_qemu_img = test_run(version) == 0;
	if (!have_qemu_img)
		fprintf(stderr, "qemu-img is not installed: the tests that need it are skipped\n");
	return 0;
}

static int teardown(void **state)
{
	const char *rm[] = { "rm", "-rf", "--", tmpdir, NULL };

	(void)state;
	for (size_t i = 0; i < nkept; i++)
		free(kept[i]);
	return test_run(rm) == 0 ? 0 : -1;
}

int main(void)
{
	/* in order: later tests reuse the images earlier ones made */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_qcow2),
		cmocka_unit_test(test_qcow2_host_backing),
		cmocka_unit_test(test_disguised_raw),
		cmocka_unit_test(test_qcow2_chain),
		cmocka_unit_test(test_qcow2_escapes),
		cmocka_unit_test(test_qcow2_cycle_missing),
		cmocka_unit_test(test_qcow2_depth),
		cmocka_unit_test(test_qcow2_data_file),
		cmocka_unit_test(test_qcow2_absurd),
		cmocka_unit_test(test_vmdk),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_vmdk_descriptors),
		cmocka_unit_test(test_vmdk_embedded),
		cmocka_unit_test(test_vpc),
		cmocka_unit_test(test_vhdx),
		cmocka_unit_test(test_unsupported_formats),
		cmocka_unit_test(test_truncated_and_damaged),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
