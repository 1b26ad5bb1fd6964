/*
 * image.c: each disk image's format, and whether it may be opened at all, decided on the host
 * before libguestfs hands anything to qemu.
 *
 * Why.  Tenants' disk images are untrusted, and qemu, which libguestfs runs on the host with the
 * host process's rights, opens more than the file it is given:
 *   - a disk added without a format is probed, so a raw disk whose guest wrote a qcow2 header at
 *     sector 0 is opened as qcow2 the next time;
 *   - a qcow2 image names a backing file and may name an external data file; a VMDK descriptor
 *     names extent files and a parent (parentFileNameHint); each may be any host path
 *     (/etc/shadow, another tenant's disk), and qemu shows its bytes to the appliance as disk
 *     content.
 * So the format is decided here from the magic bytes and must be passed to libguestfs
 * explicitly, and an image that would make qemu open any other file is refused unless the
 * caller names a folder for backing files and every such file resolves (realpath: no "..", no
 * symbolic link leads out) inside it and passes the same checks, recursively.
 *
 * What is read mirrors what qemu 7.2 reads, so that what is checked is what qemu will do: the
 * qcow2 header and its extensions (qcow2_do_open, qcow2_read_extensions); the VMDK sparse header,
 * extent lines and the raw parentFileNameHint search (vmdk_open_vmdk4, vmdk_parse_extents,
 * vmdk_parent_open); the VHD footer and dynamic header (vpc_open); the VHDX headers, region
 * table and metadata (vhdx_open).  Names qemu would read as a protocol or a JSON specification
 * ("nbd:...", "json:{...}") and declared backing formats other than the five supported (a
 * "vvfat" backing shows a host folder) are refused outright.  qemu opens neither a VHD's parent
 * nor a differencing VHDX, so those are refused: the disk would be read without its parent.
 *
 * Every read is a pread of a bounded length checked against the file size; every length, offset
 * and count taken from an image is checked before use and capped (GN_IMAGE_MAX_* in image.h).
 * The check cannot stop the files from changing between it and qemu's open: image folders must
 * not be writable by tenants while they are inspected.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/fs.h>

#include "addr.h"
#include "array.h"
#include "cleanup.h"
#include "image.h"
#include "model.h"

/* qemu guesses a format from this many bytes (BLOCK_PROBE_BUF_SIZE); so does detect(). */
#define PROBE_BYTES 2048
#define SECTOR 512u

#define QCOW2_HEADER_V2 72u
#define QCOW2_HEADER_V3 104u
#define QCOW2_MIN_CLUSTER_BITS 9u
#define QCOW2_MAX_CLUSTER_BITS 21u
#define QCOW2_EXT_END 0u
#define QCOW2_EXT_BACKING_FORMAT 0xe2792acau
#define QCOW2_EXT_DATA_FILE 0x44415441u
#define QCOW2_MAX_FORMAT_NAME 15u        /* qemu: the extension must be shorter than 16 bytes */
#define QCOW2_INCOMPAT_DATA_FILE (UINT64_C(1) << 2)
#define QCOW2_INCOMPAT_KNOWN UINT64_C(0x1f)    /* dirty, corrupt, data file, compression type, extended L2 */

/* qemu looks for parentFileNameHint in this many bytes (DESC_SIZE), at 512 in a sparse file
 * and at 0 in a descriptor file, whatever the header says. */
#define VMDK_PARENT_WINDOW 10240u
#define VMDK_PARENT_WINDOW_SPARSE 512u
#define VMDK_MAX_VERSION 3u

#define VHD_FOOTER 512u
#define VHD_DYNAMIC_HEADER 1024u
#define VHD_FIXED 2u
#define VHD_DYNAMIC 3u
#define VHD_DIFFERENCING 4u
#define VHD_PARENT_NAME 512u             /* bytes of UTF-16BE in the dynamic header */

#define VHDX_HEADER_1 (64u << 10)
#define VHDX_HEADER_2 (128u << 10)
#define VHDX_HEADER_SIZE (4u << 10)
#define VHDX_REGION_TABLE (192u << 10)
#define VHDX_REGION_TABLE_SIZE (64u << 10)
#define VHDX_METADATA_TABLE_SIZE (64u << 10)
#define VHDX_MAX_ENTRIES 2047u           /* region table and metadata table, by the specification */
#define VHDX_REGION_REQUIRED 1u
#define VHDX_META_REQUIRED (1u << 2)
#define VHDX_HAS_PARENT (1u << 1)

/* How a referenced file is to be opened, beyond the gn_image_format values. */
#define OPEN_PROBE -1          /* qemu guesses the format */
#define OPEN_SPARSE_EXTENT -2  /* a VMDK SPARSE extent: qemu reads its sparse header */

enum kind { K_RAW, K_QCOW2, K_VMDK_SPARSE, K_VMDK_TEXT, K_VPC, K_VHDX, K_UNSUPPORTED };

struct detected {
	enum kind kind;
	const char *unsupported;  /* K_UNSUPPORTED: what it is */
	bool vpc_tail;            /* K_VPC: the footer is only at the end (fixed VHD) */
};

enum ref_kind { REF_BACKING, REF_PARENT, REF_EXTENT };

static const struct {
	const char *a, *one, *plural;
} ref_names[] = {
	[REF_BACKING] = { "a backing file", "backing file", "backing files" },
	[REF_PARENT] = { "a parent", "parent", "parent images" },
	[REF_EXTENT] = { "an extent file", "extent file", "extent files" },
};

/* A file an image makes qemu open. */
struct ref {
	enum ref_kind kind;
	char *name;          /* as the image spells it */
	int open_as;         /* a gn_image_format, OPEN_PROBE or OPEN_SPARSE_EXTENT */
	const char *why;     /* where open_as comes from, for a mismatch message */
};

typedef GN_ARRAY(struct ref) ref_list;

struct file {
	int fd;
	uint64_t base;       /* where the image starts in the file: a member of an archive */
	uint64_t size;       /* of the image from base */
	const char *qpath;   /* the path qemu opens: names in the image are relative to its folder */
	const char *name;    /* how messages name it */
	bool top;
};

struct file_id {
	dev_t dev;
	ino_t ino;
};

struct probe {
	gn_error *err;
	const char *top;          /* the image as given */
	const char *backing_dir;  /* as given */
	char *root;               /* realpath(backing_dir), or NULL: refuse every reference */
	GN_ARRAY(char *) chain;
	GN_ARRAY(struct file_id) seen;
};

static const char *const format_names[] = {
	[GN_IMAGE_RAW] = "raw",
	[GN_IMAGE_QCOW2] = "qcow2",
	[GN_IMAGE_VMDK] = "vmdk",
	[GN_IMAGE_VPC] = "vpc",
	[GN_IMAGE_VHDX] = "vhdx",
};

const char *gn_image_format_name(enum gn_image_format f)
{
	return (unsigned)f < GN_ELEMENTSOF(format_names) ? format_names[f] : NULL;
}

/* Only qemu's own names: a qcow2 header declaring "vhd" names no qemu driver. */
static int format_from_qemu_name(const char *s)
{
	for (size_t i = 0; i < GN_ELEMENTSOF(format_names); i++)
		if (strcmp(s, format_names[i]) == 0)
			return (int)i;
	return -1;
}

int gn_image_format_from_name(const char *s)
{
	if (!s)
		return -1;
	if (strcmp(s, "vhd") == 0)
		return GN_IMAGE_VPC;
	return format_from_qemu_name(s);
}

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p) { return (uint32_t)be16(p) << 16 | be16(p + 2); }
static uint64_t be64(const uint8_t *p) { return (uint64_t)be32(p) << 32 | be32(p + 4); }
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[1] << 8 | p[0]); }
static uint32_t le32(const uint8_t *p) { return (uint32_t)le16(p + 2) << 16 | le16(p); }
static uint64_t le64(const uint8_t *p) { return (uint64_t)le32(p + 4) << 32 | le32(p); }

/*
 * Messages.  Names read from an image go through esc(): control characters, invalid UTF-8 and
 * C1 controls become \xNN, so an image cannot write terminal escapes into our messages.
 */
struct esc_buf {
	char s[GN_MAX_ERROR / 2];
};

#define ESC(s) esc(&(struct esc_buf){ { 0 } }, (s))

/* Length of the valid UTF-8 sequence at s, printable (no C1 controls), or 0. */
static size_t utf8_printable(const unsigned char *s)
{
	unsigned cp, n;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (unsigned i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < 0xa0 || (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static const char *esc(struct esc_buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0, cap = sizeof(b->s) - 4;  /* room for "..." and the NUL */

	while (*u) {
		size_t n = *u >= 0x20 && *u < 0x7f ? 1 : *u >= 0x80 ? utf8_printable(u) : 0;
		size_t need = n ? n : 4;

		if (o + need > cap) {
			memcpy(b->s + o, "...", 3);
			o += 3;
			break;
		}
		if (n) {
			memcpy(b->s + o, u, n);
			u += n;
		} else {
			snprintf(b->s + o, 5, "\\x%02x", *u++);
		}
		o += need;
	}
	b->s[o] = '\0';
	return b->s;
}

/* Set err to "'FILE': REASON", naming the top image too when the fault is down its chain. */
static int fail(struct probe *p, const struct file *f, int r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct probe *p, const struct file *f, int r, const char *fmt, ...)
{
	char reason[GN_MAX_ERROR];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (f->top)
		return gn_error_set(p->err, r, "'%s': %s", f->name, reason);
	return gn_error_set(p->err, r, "'%s' (in the chain of '%s'): %s", ESC(f->name), p->top, reason);
}

/* Read exactly len bytes at off; a range past the end of the file is a damaged image. */
static int read_at(struct probe *p, const struct file *f, uint64_t off, void *buf, size_t len,
		   const char *what)
{
	size_t done = 0;

	if (off > f->size || len > f->size - off)
		return fail(p, f, -EBADMSG, "truncated: %s (%zu bytes at offset %" PRIu64 ") lies past "
			    "the end of the file (%" PRIu64 " bytes)", what, len, off, f->size);
	while (done < len) {
		ssize_t n = pread(f->fd, (char *)buf + done, len - done, (off_t)(f->base + off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(p, f, -errno, "cannot read %s: %s", what, strerror(errno));
		if (n == 0)
			return fail(p, f, -EBADMSG, "truncated while %s was read", what);
		done += (size_t)n;
	}
	return 0;
}

/* Read what lies of [off, off + len) inside the file and zero the rest, as qemu's reads past
 * the end of a file return zeros. */
static int read_window(struct probe *p, const struct file *f, uint64_t off, void *buf, size_t len,
		       const char *what)
{
	size_t have = off >= f->size ? 0 : f->size - off < len ? (size_t)(f->size - off) : len;

	memset(buf, 0, len);
	return have ? read_at(p, f, off, buf, have, what) : 0;
}

/*
 * Format detection, from the first PROBE_BYTES and the last 512 bytes.
 */

/* qemu's vmdk_probe for a text descriptor: comment lines and blank lines of spaces, then
 * "version=1", "version=2" or "version=3" ending the line. */
static bool vmdk_text_probe(const uint8_t *b, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (b[i] == '#') {
			while (i < n && b[i] != '\n')
				i++;
			i++;
			continue;
		}
		if (b[i] == ' ') {
			while (i < n && b[i] == ' ')
				i++;
			if (i < n && b[i] == '\r')
				i++;
			if (i == n || b[i] != '\n')
				return false;
			i++;
			continue;
		}
		for (char v = '1'; v <= '3'; v++) {
			char lf[] = { 'v', 'e', 'r', 's', 'i', 'o', 'n', '=', v, '\n' };
			char crlf[] = { 'v', 'e', 'r', 's', 'i', 'o', 'n', '=', v, '\r', '\n' };

			if ((n - i >= sizeof(lf) && memcmp(b + i, lf, sizeof(lf)) == 0) ||
			    (n - i >= sizeof(crlf) && memcmp(b + i, crlf, sizeof(crlf)) == 0))
				return true;
		}
		return false;
	}
	return false;
}

static bool starts(const uint8_t *b, size_t n, const char *magic, size_t len)
{
	return n >= len && memcmp(b, magic, len) == 0;
}

static int detect(struct probe *p, const struct file *f, struct detected *ret)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
	} unsupported[] = {
		{ "QED\0", 4, "qed" },
		{ "COWD", 4, "vmdk3 (a VMware ESX COWD sparse extent)" },
		{ "LUKS\xba\xbe", 6, "luks (encrypted)" },
		{ "Bochs Virtual HD Image", 22, "bochs" },
		{ "WithoutFreeSpace", 16, "parallels" },
		{ "WithouFreSpacExt", 16, "parallels" },
		{ "#!/bin/sh\n#V2.0 Format\n", 23, "cloop" },
	};
	uint8_t b[PROBE_BYTES], tail[VHD_FOOTER];
	size_t n = f->size < sizeof(b) ? (size_t)f->size : sizeof(b);
	int r;

	*ret = (struct detected){ .kind = K_RAW };
	r = read_at(p, f, 0, b, n, "the first bytes");
	if (r < 0)
		return r;
	if (starts(b, n, "QFI\xfb", 4)) {
		uint32_t version;

		if (n < 8)
			return fail(p, f, -EBADMSG, "truncated qcow2 header (%zu bytes)", n);
		version = be32(b + 4);
		if (version == 1)
			*ret = (struct detected){ .kind = K_UNSUPPORTED, .unsupported = "qcow (version 1)" };
		else if (version == 2 || version == 3)
			ret->kind = K_QCOW2;
		else
			return fail(p, f, -EBADMSG, "qcow2 version %" PRIu32 " is not supported (only 2 and 3)",
				    version);
		return 0;
	}
	for (size_t i = 0; i < GN_ELEMENTSOF(unsupported); i++)
		if (starts(b, n, unsupported[i].magic, unsupported[i].len)) {
			*ret = (struct detected){ .kind = K_UNSUPPORTED, .unsupported = unsupported[i].what };
			return 0;
		}
	if (n >= 0x44 && le32(b + 0x40) == 0xbeda107fu) {
		*ret = (struct detected){ .kind = K_UNSUPPORTED, .unsupported = "vdi (VirtualBox)" };
		return 0;
	}
	if (starts(b, n, "vhdxfile", 8))
		ret->kind = K_VHDX;
	else if (starts(b, n, "KDMV", 4))
		ret->kind = K_VMDK_SPARSE;
	else if (starts(b, n, "conectix", 8))
		ret->kind = K_VPC;
	else if (starts(b, n, "# Disk DescriptorFile", 21) || vmdk_text_probe(b, n))
		ret->kind = K_VMDK_TEXT;
	if (ret->kind != K_RAW || f->size < sizeof(tail))
		return 0;

	r = read_at(p, f, f->size - sizeof(tail), tail, sizeof(tail), "the last sector");
	if (r < 0)
		return r;
	if (memcmp(tail, "conectix", 8) == 0)
		*ret = (struct detected){ .kind = K_VPC, .vpc_tail = true };
	else if (memcmp(tail, "koly", 4) == 0)
		*ret = (struct detected){ .kind = K_UNSUPPORTED, .unsupported = "dmg (Apple disk image)" };
	return 0;
}

static const char *kind_name(enum kind k)
{
	switch (k) {
	case K_RAW: return "raw";
	case K_QCOW2: return "qcow2";
	case K_VMDK_SPARSE: return "vmdk (sparse)";
	case K_VMDK_TEXT: return "vmdk (descriptor file)";
	case K_VPC: return "vpc";
	case K_VHDX: return "vhdx";
	case K_UNSUPPORTED: break;
	}
	return "unsupported";
}

static enum gn_image_format kind_format(enum kind k)
{
	switch (k) {
	case K_QCOW2: return GN_IMAGE_QCOW2;
	case K_VMDK_SPARSE:
	case K_VMDK_TEXT: return GN_IMAGE_VMDK;
	case K_VPC: return GN_IMAGE_VPC;
	case K_VHDX: return GN_IMAGE_VHDX;
	case K_RAW:
	case K_UNSUPPORTED: break;
	}
	return GN_IMAGE_RAW;
}

static int add_ref(ref_list *refs, enum ref_kind kind, const char *name, size_t len, int open_as,
		   const char *why)
{
	struct ref *r;
	char *s = strndup(name, len);
	int e;

	if (!s)
		return -ENOMEM;
	e = GN_ARRAY_PUSH(refs, GN_IMAGE_MAX_FILES, &r);
	if (e < 0) {
		free(s);
		return e;
	}
	*r = (struct ref){ .kind = kind, .name = s, .open_as = open_as, .why = why };
	return 0;
}

static void refs_release(ref_list *refs)
{
	for (size_t i = 0; i < refs->n; i++)
		free(refs->v[i].name);
	free(refs->v);
}

/*
 * qcow2 (docs/interop/qcow2.txt): a big-endian header, header extensions up to the backing file
 * name (or the end of the first cluster), then the name.
 */
static int parse_qcow2(struct probe *p, const struct file *f, ref_list *refs, uint64_t *ret_size)
{
	uint8_t h[QCOW2_HEADER_V3];
	char format[QCOW2_MAX_FORMAT_NAME + 1] = "", data_file[256] = "";
	bool has_data_file = false;
	uint32_t version, backing_len, cluster_bits, header_len = QCOW2_HEADER_V2, crypt;
	uint64_t backing_off, incompat = 0, cluster, ext_end, off;
	int r;

	r = read_at(p, f, 0, h, QCOW2_HEADER_V2, "the qcow2 header");
	if (r < 0)
		return r;
	version = be32(h + 4);
	if (version == 3) {
		r = read_at(p, f, 0, h, QCOW2_HEADER_V3, "the qcow2 version 3 header");
		if (r < 0)
			return r;
		incompat = be64(h + 72);
		header_len = be32(h + 100);
	}
	backing_off = be64(h + 8);
	backing_len = be32(h + 16);
	cluster_bits = be32(h + 20);
	crypt = be32(h + 32);

	if (cluster_bits < QCOW2_MIN_CLUSTER_BITS || cluster_bits > QCOW2_MAX_CLUSTER_BITS)
		return fail(p, f, -EBADMSG, "qcow2 cluster_bits %" PRIu32 " is outside %u to %u",
			    cluster_bits, QCOW2_MIN_CLUSTER_BITS, QCOW2_MAX_CLUSTER_BITS);
	cluster = 1ull << cluster_bits;
	if (header_len < (version == 3 ? QCOW2_HEADER_V3 : QCOW2_HEADER_V2) || header_len > cluster)
		return fail(p, f, -EBADMSG, "qcow2 header length %" PRIu32 " is outside %u to the "
			    "cluster size (%" PRIu64 ")", header_len, QCOW2_HEADER_V3, cluster);
	if (backing_off > cluster)
		return fail(p, f, -EBADMSG, "the backing file name offset %" PRIu64 " lies past the "
			    "first cluster (%" PRIu64 " bytes)", backing_off, cluster);

	/* extensions run to the backing file name, or to the end of the first cluster */
	ext_end = backing_off ? backing_off : cluster;
	off = header_len;
	for (unsigned n = 0; off < ext_end; n++) {
		uint8_t eh[8];
		uint32_t type, len;

		if (n >= GN_IMAGE_MAX_EXTENSIONS)
			return fail(p, f, -E2BIG, "more than %d qcow2 header extensions",
				    GN_IMAGE_MAX_EXTENSIONS);
		if (ext_end - off < sizeof(eh))
			return fail(p, f, -EBADMSG, "the qcow2 header extension at offset %" PRIu64
				    " runs past the end of the extension area (%" PRIu64 ")", off, ext_end);
		r = read_at(p, f, off, eh, sizeof(eh), "a qcow2 header extension");
		if (r < 0)
			return r;
		type = be32(eh);
		len = be32(eh + 4);
		off += sizeof(eh);
		if (len > ext_end - off)
			return fail(p, f, -EBADMSG, "the qcow2 header extension 0x%08" PRIx32 " at offset %"
				    PRIu64 " is %" PRIu32 " bytes long, past the end of the extension "
				    "area (%" PRIu64 ")", type, off - sizeof(eh), len, ext_end);
		if (type == QCOW2_EXT_END)
			break;
		if (type == QCOW2_EXT_BACKING_FORMAT) {
			if (len > QCOW2_MAX_FORMAT_NAME)
				return fail(p, f, -EBADMSG, "the backing format name is %" PRIu32
					    " bytes long (qemu takes at most %u)", len, QCOW2_MAX_FORMAT_NAME);
			r = read_at(p, f, off, format, len, "the backing format name");
			if (r < 0)
				return r;
			format[len] = '\0';  /* read as a C string, as qemu does */
		} else if (type == QCOW2_EXT_DATA_FILE) {
			size_t take = len < sizeof(data_file) - 1 ? len : sizeof(data_file) - 1;

			has_data_file = true;
			r = read_at(p, f, off, data_file, take, "the external data file name");
			if (r < 0)
				return r;
			data_file[take] = '\0';
		}
		off += ((uint64_t)len + 7) & ~7ull;
	}

	if (has_data_file || (incompat & QCOW2_INCOMPAT_DATA_FILE)) {
		if (data_file[0])
			return fail(p, f, -EBADMSG, "has an external data file '%s': external data files "
				    "are refused (the image could make qemu read host files)", ESC(data_file));
		return fail(p, f, -EBADMSG, "has an external data file: external data files are "
			    "refused (the image could make qemu read host files)");
	}
	if (incompat & ~QCOW2_INCOMPAT_KNOWN)
		return fail(p, f, -EBADMSG, "unknown qcow2 incompatible feature bits 0x%" PRIx64,
			    incompat & ~QCOW2_INCOMPAT_KNOWN);
	if (crypt != 0)
		return fail(p, f, -EBADMSG, "encrypted (crypt_method %" PRIu32 "): encrypted images "
			    "cannot be inspected", crypt);

	if (backing_off && backing_len) {
		char name[GN_IMAGE_MAX_BACKING_NAME + 1];
		int open_as = OPEN_PROBE;

		if (backing_len > GN_IMAGE_MAX_BACKING_NAME || backing_len > cluster - backing_off)
			return fail(p, f, -EBADMSG, "the backing file name is %" PRIu32 " bytes long "
				    "(qemu takes at most %d, inside the first cluster)", backing_len,
				    GN_IMAGE_MAX_BACKING_NAME);
		r = read_at(p, f, backing_off, name, backing_len, "the backing file name");
		if (r < 0)
			return r;
		if (memchr(name, '\0', backing_len))
			return fail(p, f, -EBADMSG, "the backing file name holds a NUL byte");
		name[backing_len] = '\0';
		if (format[0]) {
			open_as = format_from_qemu_name(format);
			if (open_as < 0)
				return fail(p, f, -EBADMSG, "declares backing format '%s' for backing file "
					    "'%s': only raw, qcow2, vmdk, vpc and vhdx are opened",
					    ESC(format), ESC(name));
		}
		r = add_ref(refs, REF_BACKING, name, backing_len, open_as,
			    "is declared by the image above it");
		if (r < 0)
			return fail(p, f, r, "%s", strerror(-r));
	}
	*ret_size = be64(h + 24);
	return 0;
}

/*
 * VMDK extent lines: ACCESS SECTORS TYPE "FILE" [OFFSET].  qemu reads them with
 * sscanf("%10s %lld %10s \"%511[^\n\r\"]\" %lld") at every line start, so its whitespace may
 * span lines; this is the same grammar, written out so a 64 KiB descriptor costs one pass.
 */
struct extent_line {
	char access[11];
	char type[11];
	char name[512];
	long long sectors;
	long long offset;
	int matches;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static const char *skip_space(const char *s)
{
	while (is_space(*s))
		s++;
	return s;
}

/* %10s: up to max non-space characters; NULL when there is none. */
static const char *scan_word(const char *s, char *out, size_t max)
{
	size_t n = 0;

	s = skip_space(s);
	while (*s && !is_space(*s) && n < max)
		out[n++] = *s++;
	out[n] = '\0';
	return n ? s : NULL;
}

/* %lld: an optional sign and decimal digits; saturates like strtoll. */
static const char *scan_number(const char *s, long long *ret)
{
	bool neg = false, any = false;
	unsigned long long v = 0, lim;

	s = skip_space(s);
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; *s >= '0' && *s <= '9'; s++) {
		any = true;
		v = v > (lim - (unsigned)(*s - '0')) / 10 ? lim : v * 10 + (unsigned)(*s - '0');
	}
	if (!any)
		return NULL;
	*ret = neg ? (v == lim ? LLONG_MIN : -(long long)v) : (long long)v;
	return s;
}

static void scan_extent_line(const char *s, struct extent_line *e)
{
	size_t n = 0;

	*e = (struct extent_line){ .offset = -1 };
	if (!(s = scan_word(s, e->access, 10)))
		return;
	e->matches = 1;
	if (!(s = scan_number(s, &e->sectors)))
		return;
	e->matches = 2;
	if (!(s = scan_word(s, e->type, 10)))
		return;
	e->matches = 3;
	s = skip_space(s);
	if (*s++ != '"')
		return;
	while (*s && *s != '\n' && *s != '\r' && *s != '"' && n < sizeof(e->name) - 1)
		e->name[n++] = *s++;
	e->name[n] = '\0';
	if (!n)
		return;
	e->matches = 4;
	if (*s++ != '"')
		return;
	if (scan_number(s, &e->offset))
		e->matches = 5;
}

static bool is_extent_access(const char *a)
{
	return strcmp(a, "RW") == 0 || strcmp(a, "RDONLY") == 0 || strcmp(a, "NOACCESS") == 0;
}

/*
 * Walk the extent lines of the descriptor text desc.  qemu opens only RW lines with a file
 * name; every access mode is taken here.  Calls each(e) for every extent line; a line that
 * starts like an extent but does not parse is an error.
 */
typedef int (*extent_fn)(struct probe *p, const struct file *f, const struct extent_line *e,
			 void *ctx);

static int walk_extents(struct probe *p, const struct file *f, const char *desc, extent_fn each,
			void *ctx)
{
	unsigned count = 0;

	for (const char *line = desc; *line;) {
		const char *s = line;
		const char *nl = strchr(line, '\n');
		struct extent_line e;
		int r;

		/* a blank line scans like the line after it */
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\v' || *s == '\f')
			s++;
		if (*s && *s != '\n') {
			scan_extent_line(line, &e);
			if (e.matches >= 1 && is_extent_access(e.access)) {
				bool zero = e.matches >= 3 && strcmp(e.type, "ZERO") == 0;

				if (e.matches < 4 && !zero) {
					char shown[128];
					int len = nl ? (int)(nl - line) : (int)strlen(line);

					snprintf(shown, sizeof(shown), "%.*s", len, line);
					return fail(p, f, -EBADMSG, "invalid extent line '%s'", ESC(shown));
				}
				if (++count > GN_IMAGE_MAX_EXTENTS)
					return fail(p, f, -E2BIG, "more than %d extents", GN_IMAGE_MAX_EXTENTS);
				if (zero)
					e.name[0] = '\0';
				r = each(p, f, &e, ctx);
				if (r < 0)
					return r;
			}
		}
		line = nl ? nl + 1 : line + strlen(line);
	}
	return 0;
}

/*
 * qemu's vmdk_parent_open: the first "parentFileNameHint" in the window (a C string), then the
 * name from 20 bytes on to the next '"'.  Mirrored byte for byte, the skip too: "=\"" is
 * assumed, not checked, and the name may start past a NUL.
 */
static int vmdk_parent(struct probe *p, const struct file *f, uint64_t at, ref_list *refs)
{
	_cleanup_free_ char *w = malloc(VMDK_PARENT_WINDOW + 1);
	const char *hint, *start, *end;
	int r;

	if (!w)
		return fail(p, f, -ENOMEM, "out of memory");
	r = read_window(p, f, at, w, VMDK_PARENT_WINDOW, "the VMDK descriptor");
	if (r < 0)
		return r;
	w[VMDK_PARENT_WINDOW] = '\0';
	hint = strstr(w, "parentFileNameHint");
	if (!hint)
		return 0;
	start = hint + strlen("parentFileNameHint") + 2;
	if (start > w + VMDK_PARENT_WINDOW)
		return fail(p, f, -EBADMSG, "truncated parentFileNameHint");
	end = strchr(start, '"');
	if (!end)
		return fail(p, f, -EBADMSG, "parentFileNameHint has no closing quote");
	if (end - start > GN_IMAGE_MAX_PARENT_NAME)
		return fail(p, f, -EBADMSG, "parentFileNameHint is %td bytes long (qemu takes at most %d)",
			    end - start, GN_IMAGE_MAX_PARENT_NAME);
	if (end == start)
		return 0;  /* qemu: no parent */
	r = add_ref(refs, REF_PARENT, start, (size_t)(end - start), GN_IMAGE_VMDK,
		    "is forced by qemu for a VMDK parent");
	return r < 0 ? fail(p, f, r, "%s", strerror(-r)) : 0;
}

/*
 * The embedded descriptor of a sparse file describes the file itself: one SPARSE extent.  qemu
 * opens no file it names (with a capacity it reads the grains of this file, and the name is
 * often stale: the file was renamed since), so the name is not compared; anything but that one
 * extent is a damaged or forged image.
 */
static int embedded_extent(struct probe *p, const struct file *f, const struct extent_line *e,
			   void *ctx)
{
	unsigned *extents = ctx;

	if (++*extents > 1)
		return fail(p, f, -EBADMSG, "its embedded descriptor names more than one extent");
	if (strcmp(e->type, "SPARSE") != 0)
		return fail(p, f, -EBADMSG, "its embedded descriptor names a %s extent, not the file "
			    "itself", ESC(e->type));
	return 0;
}

/* A hosted sparse extent: "KDMV", a little-endian header, usually an embedded descriptor. */
static int parse_vmdk_sparse(struct probe *p, const struct file *f, bool as_extent, ref_list *refs,
			     uint64_t *ret_size)
{
	uint8_t h[SECTOR];
	uint32_t version;
	uint64_t capacity, desc_off, desc_size, sectors = f->size / SECTOR;
	int r;

	r = read_at(p, f, 0, h, sizeof(h), "the VMDK sparse header");
	if (r < 0)
		return r;
	version = le32(h + 4);
	capacity = le64(h + 12);
	desc_off = le64(h + 28);
	desc_size = le64(h + 36);
	if (version == 0 || version > VMDK_MAX_VERSION)
		return fail(p, f, -EBADMSG, "VMDK sparse version %" PRIu32 " is not supported (1 to %u)",
			    version, VMDK_MAX_VERSION);
	/* qemu reads such a header's embedded descriptor as a descriptor file, extents and all */
	if (capacity == 0 && desc_off != 0)
		return fail(p, f, -EBADMSG, "VMDK sparse header with capacity 0 and an embedded "
			    "descriptor: qemu would open the files that descriptor names");
	if (capacity > UINT64_MAX / SECTOR)
		return fail(p, f, -EBADMSG, "VMDK capacity of %" PRIu64 " sectors is out of range", capacity);

	if (desc_off != 0 && desc_size != 0) {
		_cleanup_free_ char *desc = NULL;
		unsigned extents = 0;

		if (desc_off > sectors || desc_size > sectors - desc_off)
			return fail(p, f, -EBADMSG, "the embedded descriptor (sectors %" PRIu64 " to %"
				    PRIu64 ") lies past the end of the file", desc_off, desc_off + desc_size);
		if (desc_size > GN_IMAGE_MAX_DESCRIPTOR / SECTOR)
			return fail(p, f, -E2BIG, "the embedded descriptor is %" PRIu64 " sectors (limit %u "
				    "bytes)", desc_size, GN_IMAGE_MAX_DESCRIPTOR);
		desc = malloc(desc_size * SECTOR + 1);
		if (!desc)
			return fail(p, f, -ENOMEM, "out of memory");
		r = read_at(p, f, desc_off * SECTOR, desc, desc_size * SECTOR, "the embedded descriptor");
		if (r < 0)
			return r;
		desc[desc_size * SECTOR] = '\0';
		r = walk_extents(p, f, desc, embedded_extent, &extents);
		if (r < 0)
			return r;
	}
	/* qemu looks for a parent only in the image it was given, not in its extents */
	if (!as_extent) {
		r = vmdk_parent(p, f, VMDK_PARENT_WINDOW_SPARSE, refs);
		if (r < 0)
			return r;
	}
	*ret_size = capacity * SECTOR;
	return 0;
}

/* qemu's vmdk_parse_description: the first "NAME", then from 2 bytes on to the next '"'. */
static bool vmdk_value(const char *desc, const char *key, char *buf, size_t len)
{
	const char *s = strstr(desc, key), *end;

	if (!s || strlen(s) <= strlen(key) + 2)
		return false;
	s += strlen(key) + 2;
	end = strchr(s, '"');
	if (!end || (size_t)(end - s) >= len)
		return false;
	memcpy(buf, s, (size_t)(end - s));
	buf[end - s] = '\0';
	return true;
}

struct text_extents {
	ref_list *refs;
	uint64_t sectors;
};

static int text_extent(struct probe *p, const struct file *f, const struct extent_line *e, void *ctx)
{
	struct text_extents *t = ctx;
	int open_as, r;

	if (e->sectors <= 0)
		return fail(p, f, -EBADMSG, "extent of %lld sectors", e->sectors);
	if ((uint64_t)e->sectors > UINT64_MAX / SECTOR - t->sectors)
		return fail(p, f, -EBADMSG, "the extents add up to more than 2^64 bytes");
	t->sectors += (uint64_t)e->sectors;
	if (!e->name[0])
		return 0;  /* ZERO: no file */
	if (strcmp(e->type, "FLAT") == 0 || strcmp(e->type, "VMFS") == 0)
		open_as = GN_IMAGE_RAW;  /* bytes only */
	else if (strcmp(e->type, "SPARSE") == 0)
		open_as = OPEN_SPARSE_EXTENT;
	else
		return fail(p, f, -EBADMSG, "extent type '%s' (file '%s') is not supported",
			    ESC(e->type), ESC(e->name));
	r = add_ref(t->refs, REF_EXTENT, e->name, strlen(e->name), open_as, "is listed as a SPARSE extent");
	return r < 0 ? fail(p, f, r, "%s", strerror(-r)) : 0;
}

/* A descriptor file: text naming the extent files that hold the data. */
static int parse_vmdk_text(struct probe *p, const struct file *f, ref_list *refs, uint64_t *ret_size)
{
	static const char *const types[] = {
		"monolithicFlat", "twoGbMaxExtentFlat", "twoGbMaxExtentSparse", "vmfs", "vmfsSparse",
		"seSparse",
	};
	struct text_extents t = { .refs = refs };
	size_t len = f->size < GN_IMAGE_MAX_DESCRIPTOR ? (size_t)f->size : GN_IMAGE_MAX_DESCRIPTOR;
	_cleanup_free_ char *desc = malloc(len + 1);
	char type[128];
	bool known = false;
	int r;

	if (!desc)
		return fail(p, f, -ENOMEM, "out of memory");
	r = read_at(p, f, 0, desc, len, "the VMDK descriptor");
	if (r < 0)
		return r;
	desc[len] = '\0';
	/* qemu reads up to 1 MiB of it, as a C string */
	if (f->size > GN_IMAGE_MAX_DESCRIPTOR && strlen(desc) == len)
		return fail(p, f, -E2BIG, "VMDK descriptor file of %" PRIu64 " bytes (limit %u)", f->size,
			    GN_IMAGE_MAX_DESCRIPTOR);
	if (!vmdk_value(desc, "createType", type, sizeof(type)))
		return fail(p, f, -EBADMSG, "VMDK descriptor without a createType");
	for (size_t i = 0; i < GN_ELEMENTSOF(types); i++)
		known |= strcmp(type, types[i]) == 0;
	if (!known)
		return fail(p, f, -EBADMSG, "VMDK descriptor createType '%s' is not supported", ESC(type));
	r = walk_extents(p, f, desc, text_extent, &t);
	if (r < 0)
		return r;
	r = vmdk_parent(p, f, 0, refs);
	if (r < 0)
		return r;
	*ret_size = t.sectors * SECTOR;
	return 0;
}

/*
 * VHD (Virtual PC): a 512-byte big-endian footer at the end, copied to the start of dynamic and
 * differencing disks, whose data offset points at a 1024-byte dynamic disk header.
 */
static uint32_t vhd_checksum(const uint8_t *b, size_t len, size_t field)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < len; i++)
		if (i < field || i >= field + 4)
			sum += b[i];
	return ~sum;
}

/* The UTF-16BE parent name, as UTF-8 for a message (invalid units become U+FFFD). */
static void vhd_parent_name(const uint8_t *u, char *out, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i + 1 < VHD_PARENT_NAME; i += 2) {
		unsigned c = be16(u + i);
		char tmp[4];
		size_t n;

		if (c == 0)
			break;
		if (c >= 0xd800 && c <= 0xdbff && i + 3 < VHD_PARENT_NAME && be16(u + i + 2) >= 0xdc00 &&
		    be16(u + i + 2) <= 0xdfff) {
			c = 0x10000 + ((c - 0xd800) << 10) + (be16(u + i + 2) - 0xdc00u);
			i += 2;
		} else if (c >= 0xd800 && c <= 0xdfff) {
			c = 0xfffd;
		}
		if (c < 0x80)
			tmp[0] = (char)c, n = 1;
		else if (c < 0x800)
			tmp[0] = (char)(0xc0 | c >> 6), tmp[1] = (char)(0x80 | (c & 0x3f)), n = 2;
		else if (c < 0x10000)
			tmp[0] = (char)(0xe0 | c >> 12), tmp[1] = (char)(0x80 | ((c >> 6) & 0x3f)),
			tmp[2] = (char)(0x80 | (c & 0x3f)), n = 3;
		else
			tmp[0] = (char)(0xf0 | c >> 18), tmp[1] = (char)(0x80 | ((c >> 12) & 0x3f)),
			tmp[2] = (char)(0x80 | ((c >> 6) & 0x3f)), tmp[3] = (char)(0x80 | (c & 0x3f)), n = 4;
		if (o + n >= len)
			break;
		memcpy(out + o, tmp, n);
		o += n;
	}
	out[o] = '\0';
}

static int parse_vpc(struct probe *p, const struct file *f, bool tail, uint64_t *ret_size)
{
	uint8_t foot[VHD_FOOTER], dyn[VHD_DYNAMIC_HEADER];
	uint32_t type, sum;
	uint64_t data_off;
	int r;

	r = read_at(p, f, tail ? f->size - VHD_FOOTER : 0, foot, sizeof(foot), "the VHD footer");
	if (r < 0)
		return r;
	sum = vhd_checksum(foot, sizeof(foot), 64);
	if (sum != be32(foot + 64))
		return fail(p, f, -EBADMSG, "VHD footer checksum 0x%08" PRIx32 " does not match its "
			    "contents (0x%08" PRIx32 ")", be32(foot + 64), sum);
	type = be32(foot + 60);
	if (tail && type != VHD_FIXED)
		return fail(p, f, -EBADMSG, "the only VHD footer, at the end, says disk type %" PRIu32
			    " (a fixed disk, 2, keeps its footer there alone)", type);
	if (type != VHD_FIXED && type != VHD_DYNAMIC && type != VHD_DIFFERENCING)
		return fail(p, f, -EBADMSG, "VHD disk type %" PRIu32 " is not supported", type);
	if (type != VHD_FIXED) {
		data_off = be64(foot + 16);
		r = read_at(p, f, data_off, dyn, sizeof(dyn), "the VHD dynamic disk header");
		if (r < 0)
			return r;
		if (memcmp(dyn, "cxsparse", 8) != 0)
			return fail(p, f, -EBADMSG, "no VHD dynamic disk header ('cxsparse') at offset %"
				    PRIu64, data_off);
		sum = vhd_checksum(dyn, sizeof(dyn), 36);
		if (sum != be32(dyn + 36))
			return fail(p, f, -EBADMSG, "VHD dynamic disk header checksum 0x%08" PRIx32
				    " does not match its contents (0x%08" PRIx32 ")", be32(dyn + 36), sum);
	}
	if (type == VHD_DIFFERENCING) {
		char parent[GN_MAX_ERROR / 2];

		vhd_parent_name(dyn + 64, parent, sizeof(parent));
		return fail(p, f, -EBADMSG, "differencing VHD with parent '%s': refused (qemu does not "
			    "open a VHD's parent, so the disk would be read without its data)", ESC(parent));
	}
	*ret_size = be64(foot + 48);
	return 0;
}

/*
 * VHDX (MS-VHDX): file identifier, two headers (the valid one with the higher sequence number
 * is current), a region table naming the metadata region, and there the file parameters (the
 * HasParent bit) and the virtual disk size.  Headers and region table carry a CRC-32C.
 */
static uint32_t crc32c(const uint8_t *b, size_t len, size_t field)
{
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		crc ^= i >= field && i < field + 4 ? 0 : b[i];
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return ~crc;
}

/* GUID text into its on-disk form: the first three fields little-endian. */
static void guid_bytes(const char *s, uint8_t out[16])
{
	static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	uint8_t v[16];
	int n = 0;

	for (; *s && n < 16; s++) {
		if (*s == '-')
			continue;
		v[n++] = (uint8_t)(gn_hexval(s[0]) << 4 | gn_hexval(s[1]));
		s++;
	}
	assert(n == 16);
	for (int i = 0; i < 16; i++)
		out[i] = v[order[i]];
}

static bool guid_is(const uint8_t *b, const char *text)
{
	uint8_t g[16];

	guid_bytes(text, g);
	return memcmp(b, g, 16) == 0;
}

#define VHDX_REGION_BAT "2DC27766-F623-4200-9D64-115E9BFD4A08"
#define VHDX_REGION_METADATA "8B7CA206-4790-4B9A-B8FE-575F050F886E"
#define VHDX_META_FILE_PARAMETERS "CAA16737-FA36-4D43-B3B6-33F0AA44E76B"
#define VHDX_META_VIRTUAL_DISK_SIZE "2FA54224-CD1B-4876-B211-5DBED83BF4B8"
#define VHDX_META_PARENT_LOCATOR "A8D35F2D-B30B-454D-ABF7-D3D84834AB0C"

static int vhdx_header(struct probe *p, const struct file *f, uint64_t off, uint8_t *h, bool *valid)
{
	int r = read_at(p, f, off, h, VHDX_HEADER_SIZE, "a VHDX header");

	if (r < 0)
		return r;
	*valid = memcmp(h, "head", 4) == 0 && crc32c(h, VHDX_HEADER_SIZE, 4) == le32(h + 4) &&
		 le16(h + 66) == 1;
	return 0;
}

static int parse_vhdx(struct probe *p, const struct file *f, uint64_t *ret_size)
{
	_cleanup_free_ uint8_t *h1 = malloc(VHDX_HEADER_SIZE), *h2 = malloc(VHDX_HEADER_SIZE);
	_cleanup_free_ uint8_t *rt = malloc(VHDX_REGION_TABLE_SIZE);
	_cleanup_free_ uint8_t *mt = malloc(VHDX_METADATA_TABLE_SIZE);
	uint64_t meta_off = 0, meta_len = 0, size = 0;
	uint32_t entries, params = 0;
	bool v1 = false, v2 = false, have_params = false, have_size = false, unknown_required = false;
	bool parent_locator = false;
	int r;

	if (!h1 || !h2 || !rt || !mt)
		return fail(p, f, -ENOMEM, "out of memory");
	r = vhdx_header(p, f, VHDX_HEADER_1, h1, &v1);
	if (r >= 0)
		r = vhdx_header(p, f, VHDX_HEADER_2, h2, &v2);
	if (r < 0)
		return r;
	if (!v1 && !v2)
		return fail(p, f, -EBADMSG, "neither VHDX header is valid (signature, CRC-32C, version 1)");
	if (v1 && v2 && le64(h1 + 8) == le64(h2 + 8) && memcmp(h1, h2, VHDX_HEADER_SIZE) != 0)
		return fail(p, f, -EBADMSG, "the two VHDX headers differ but have the same sequence number");

	/* qemu reads the first region table only (the second is a copy) */
	r = read_at(p, f, VHDX_REGION_TABLE, rt, VHDX_REGION_TABLE_SIZE, "the VHDX region table");
	if (r < 0)
		return r;
	if (memcmp(rt, "regi", 4) != 0 || crc32c(rt, VHDX_REGION_TABLE_SIZE, 4) != le32(rt + 4))
		return fail(p, f, -EBADMSG, "the VHDX region table is not valid (signature, CRC-32C)");
	entries = le32(rt + 8);
	if (entries > VHDX_MAX_ENTRIES)
		return fail(p, f, -EBADMSG, "the VHDX region table has %" PRIu32 " entries (at most %u)",
			    entries, VHDX_MAX_ENTRIES);
	for (uint32_t i = 0; i < entries; i++) {
		const uint8_t *e = rt + 16 + 32 * i;
		uint64_t off = le64(e + 16), len = le32(e + 24);

		if (off > f->size || len > f->size - off)
			return fail(p, f, -EBADMSG, "VHDX region %" PRIu32 " (%" PRIu64 " bytes at %" PRIu64
				    ") lies past the end of the file", i, len, off);
		if (guid_is(e, VHDX_REGION_METADATA)) {
			if (meta_len)
				return fail(p, f, -EBADMSG, "two VHDX metadata regions");
			meta_off = off;
			meta_len = len;
		} else if (!guid_is(e, VHDX_REGION_BAT) && (le32(e + 28) & VHDX_REGION_REQUIRED)) {
			return fail(p, f, -EBADMSG, "VHDX region %" PRIu32 " is required but unknown", i);
		}
	}
	if (meta_len < VHDX_METADATA_TABLE_SIZE)
		return fail(p, f, -EBADMSG, "no VHDX metadata region (or one shorter than its table)");

	r = read_at(p, f, meta_off, mt, VHDX_METADATA_TABLE_SIZE, "the VHDX metadata table");
	if (r < 0)
		return r;
	if (memcmp(mt, "metadata", 8) != 0)
		return fail(p, f, -EBADMSG, "no VHDX metadata table signature");
	entries = le16(mt + 10);
	if (entries > VHDX_MAX_ENTRIES)
		return fail(p, f, -EBADMSG, "the VHDX metadata table has %" PRIu32 " entries (at most %u)",
			    entries, VHDX_MAX_ENTRIES);
	for (uint32_t i = 0; i < entries; i++) {
		const uint8_t *e = mt + 32 + 32 * i;
		uint64_t off = le32(e + 16), len = le32(e + 20);
		bool is_params = guid_is(e, VHDX_META_FILE_PARAMETERS);
		bool is_size = guid_is(e, VHDX_META_VIRTUAL_DISK_SIZE);
		uint8_t v[8];

		if (!is_params && !is_size) {
			/* qemu knows the sector sizes and the page 83 data, and refuses an image with
			 * any other required item */
			parent_locator |= guid_is(e, VHDX_META_PARENT_LOCATOR);
			unknown_required |= (le32(e + 24) & VHDX_META_REQUIRED) &&
				!guid_is(e, "8141BF1D-A96F-4709-BA47-F233A8FAAB5F") &&
				!guid_is(e, "CDA348C7-445D-4471-9CC9-E9885251C556") &&
				!guid_is(e, "BECA12AB-B2E6-4523-93EF-C309E000C746");
			continue;
		}
		if (len < sizeof(v) || off > meta_len || len > meta_len - off)
			return fail(p, f, -EBADMSG, "VHDX metadata item %" PRIu32 " (%" PRIu64 " bytes at %"
				    PRIu64 ") does not fit its region (%" PRIu64 " bytes)", i, len, off, meta_len);
		r = read_at(p, f, meta_off + off, v, sizeof(v), "a VHDX metadata item");
		if (r < 0)
			return r;
		if (is_params) {
			params = le32(v + 4);
			have_params = true;
		} else {
			size = le64(v);
			have_size = true;
		}
	}
	if (!have_params)
		return fail(p, f, -EBADMSG, "no VHDX file parameters");
	if ((params & VHDX_HAS_PARENT) || parent_locator)
		return fail(p, f, -EBADMSG, "differencing VHDX (%s): refused (qemu cannot open "
			    "differencing VHDX images, and the parent would be another file)",
			    params & VHDX_HAS_PARENT ? "HasParent" : "a parent locator");
	if (unknown_required)
		return fail(p, f, -EBADMSG, "an unknown VHDX metadata item is required");
	*ret_size = have_size ? size : 0;
	return 0;
}

/*
 * Files and references.
 */

/* Open path read-only without blocking (a FIFO would), and check what it is. */
static int open_file(struct probe *p, struct file *f, const char *path, bool allow_device)
{
	struct stat st;

	f->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (f->fd < 0)
		return fail(p, f, -errno, "%s", strerror(errno));
	if (fstat(f->fd, &st) < 0)
		return fail(p, f, -errno, "%s", strerror(errno));
	if (S_ISREG(st.st_mode)) {
		f->size = (uint64_t)st.st_size;
	} else if (allow_device && S_ISBLK(st.st_mode)) {
		if (ioctl(f->fd, BLKGETSIZE64, &f->size) < 0)
			return fail(p, f, -errno, "%s", strerror(errno));
	} else {
		return fail(p, f, -EBADMSG, "not a regular file%s", allow_device ? " or block device" : "");
	}
	if (f->size == 0)
		return fail(p, f, -EBADMSG, "empty file, not a disk image");
	if (f->size > INT64_MAX)
		return fail(p, f, -EBADMSG, "file too large");
	return 0;
}

static int remember(struct probe *p, const struct file *f, bool *seen)
{
	struct file_id *id;
	struct stat st;
	int r;

	if (fstat(f->fd, &st) < 0)
		return fail(p, f, -errno, "%s", strerror(errno));
	*seen = false;
	for (size_t i = 0; i < p->seen.n; i++)
		if (p->seen.v[i].dev == st.st_dev && p->seen.v[i].ino == st.st_ino)
			*seen = true;
	if (*seen)
		return 0;
	r = GN_ARRAY_PUSH(&p->seen, GN_IMAGE_MAX_FILES + 1, &id);
	if (r < 0)
		return fail(p, f, r, "%s", strerror(-r));
	*id = (struct file_id){ st.st_dev, st.st_ino };
	return 0;
}

/* The path qemu opens for name, met in the image at from: name when absolute, else name in
 * from's folder (qemu's path_combine and bdrv_dirname). */
static char *combine(const char *from, const char *name)
{
	const char *slash = strrchr(from, '/');
	int dir = slash ? (int)(slash - from) + 1 : 0;
	char *s;

	if (name[0] == '/')
		return strdup(name);
	return asprintf(&s, "%.*s%s", dir, from, name) < 0 ? NULL : s;
}

/* The folder dir, resolved by the kernel's walk (opened O_PATH: nothing is read). */
static char *resolve_dir(const char *dir)
{
	_cleanup_close_ int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char link[32], buf[PATH_MAX];
	ssize_t n;

	if (fd < 0)
		return NULL;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf));
	if (n <= 0 || n >= (ssize_t)sizeof(buf) || buf[0] != '/')
		return realpath(dir, NULL);  /* no /proc */
	return strndup(buf, (size_t)n);
}

/*
 * realpath(path) without glibc's cost: it looks every prefix of the path up again for each
 * component (a tenant's 1,800 nested folders behind a symlink: 115 ms a name), where the
 * kernel walks the folder once (0.2 ms).  The last component is followed here, link by link, so
 * the file itself is never opened, not even O_PATH.  NULL with errno as realpath's.
 */
static char *resolve(const char *path)
{
	_cleanup_free_ char *cur = strdup(path);

	for (int hops = 0; cur && hops <= 40; hops++) {  /* the kernel's MAXSYMLINKS */
		const char *slash = strrchr(cur, '/'), *last = slash ? slash + 1 : cur;
		_cleanup_free_ char *dir = NULL, *real = NULL, *joined = NULL;
		char target[PATH_MAX];
		struct stat st;
		ssize_t n;

		if (!*last || strcmp(last, ".") == 0 || strcmp(last, "..") == 0)
			return realpath(cur, NULL);  /* a folder: short, walked once */
		dir = slash ? strndup(cur, slash == cur ? 1 : (size_t)(slash - cur)) : strdup(".");
		real = dir ? resolve_dir(dir) : NULL;
		if (!real)
			return NULL;
		if (asprintf(&joined, "%s/%s", strcmp(real, "/") ? real : "", last) < 0) {
			joined = NULL;
			return NULL;
		}
		if (lstat(joined, &st) < 0)
			return NULL;
		if (!S_ISLNK(st.st_mode))
			return TAKE_PTR(joined);
		n = readlink(joined, target, sizeof(target));
		if (n < 0)
			return NULL;
		if (n == (ssize_t)sizeof(target)) {
			errno = ENAMETOOLONG;
			return NULL;
		}
		target[n] = '\0';
		free(cur);
		if (target[0] == '/')
			cur = strdup(target);
		else if (asprintf(&cur, "%s/%s", real, target) < 0)
			cur = NULL;
	}
	if (cur)
		errno = ELOOP;
	return NULL;
}

/* Component-wise: /a/bc is not inside /a/b, and root itself is not inside it. */
static bool inside(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return path[0] == '/' && path[1] != '\0';
	return strncmp(path, root, n) == 0 && path[n] == '/' && path[n + 1] != '\0';
}

static int probe_file(struct probe *p, const struct file *f, int open_as, const char *why,
		      unsigned depth, enum gn_image_format *ret_format, uint64_t *ret_size);

/* Resolve one reference of the image at from, check it and probe it with the same rules. */
static int follow(struct probe *p, const struct file *from, const struct ref *ref, unsigned depth)
{
	const char *a = ref_names[ref->kind].a, *one = ref_names[ref->kind].one;
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *qpath = NULL, *real = NULL;
	struct file f = { .fd = -1 };
	enum gn_image_format fmt;
	uint64_t size;
	bool seen;
	char **slot;
	int r;

	if (!p->root)
		return fail(p, from, -EBADMSG, "has %s '%s': %s are refused (the image could make qemu "
			    "read host files)", a, ESC(ref->name), ref_names[ref->kind].plural);
	/* qemu reads "proto:..." (nbd:, json:{...}, file:) as a protocol, not a path */
	if (ref->name[strcspn(ref->name, ":/")] == ':')
		return fail(p, from, -EBADMSG, "%s '%s' has a protocol prefix: qemu would not read it "
			    "as a file", one, ESC(ref->name));
	if (ref->kind != REF_EXTENT && depth + 1 > GN_IMAGE_MAX_CHAIN)
		return fail(p, from, -E2BIG, "the backing chain is longer than %d images",
			    GN_IMAGE_MAX_CHAIN);
	qpath = combine(from->qpath, ref->name);
	if (!qpath)
		return fail(p, from, -ENOMEM, "out of memory");
	real = resolve(qpath);
	if (!real) {
		int e = errno;

		if (e == ENOENT || e == ENOTDIR)
			return fail(p, from, -EBADMSG, "%s '%s' ('%s') does not exist", one, ESC(ref->name),
				    ESC(qpath));
		if (e == ELOOP || e == ENAMETOOLONG)
			return fail(p, from, -EBADMSG, "%s '%s' cannot be resolved: %s", one,
				    ESC(ref->name), strerror(e));
		return fail(p, from, -e, "%s '%s': %s", one, ESC(ref->name), strerror(e));
	}
	if (!inside(p->root, real))
		return fail(p, from, -EBADMSG, "%s '%s' resolves to '%s', outside the allowed folder '%s'",
			    one, ESC(ref->name), ESC(real), p->backing_dir);

	f = (struct file){ .fd = -1, .qpath = qpath, .name = real };
	r = open_file(p, &f, real, false);
	fd = f.fd;
	if (r < 0)
		return r;
	r = remember(p, &f, &seen);
	if (r < 0)
		return r;
	if (seen)
		return fail(p, from, -EBADMSG, "%s '%s' is '%s', which is already in the chain (a cycle)",
			    one, ESC(ref->name), ESC(real));
	r = GN_ARRAY_PUSH(&p->chain, GN_IMAGE_MAX_FILES, &slot);
	if (r == -E2BIG)
		return fail(p, from, r, "more than %d files in the chain", GN_IMAGE_MAX_FILES);
	if (r < 0)
		return fail(p, from, r, "%s", strerror(-r));
	*slot = strdup(real);
	if (!*slot)
		return fail(p, from, -ENOMEM, "out of memory");
	return probe_file(p, &f, ref->open_as, ref->why, ref->kind == REF_EXTENT ? depth : depth + 1,
			  &fmt, &size);
}

/*
 * Decide the format of the open file f (to be opened as open_as: a format, OPEN_PROBE or
 * OPEN_SPARSE_EXTENT), check it, then follow what it refers to.
 */
static int probe_file(struct probe *p, const struct file *f, int open_as, const char *why,
		      unsigned depth, enum gn_image_format *ret_format, uint64_t *ret_size)
{
	_cleanup_(refs_release) ref_list refs = { 0 };
	struct detected d;
	uint64_t size = 0;
	int r = 0;

	if (open_as == GN_IMAGE_RAW) {
		*ret_format = GN_IMAGE_RAW;
		*ret_size = f->size;
		return 0;
	}
	r = detect(p, f, &d);
	if (r < 0)
		return r;
	if (d.kind == K_UNSUPPORTED)
		return fail(p, f, -EBADMSG, "unsupported image format: %s", d.unsupported);
	if (open_as == OPEN_SPARSE_EXTENT && d.kind != K_VMDK_SPARSE)
		return fail(p, f, -EBADMSG, "the file is %s, but it %s", kind_name(d.kind), why);
	if (open_as >= 0 && (int)kind_format(d.kind) != open_as)
		return fail(p, f, -EBADMSG, "the file is %s, but format %s %s", kind_name(d.kind),
			    gn_image_format_name((enum gn_image_format)open_as), why);

	switch (d.kind) {
	case K_QCOW2:
		r = parse_qcow2(p, f, &refs, &size);
		break;
	case K_VMDK_SPARSE:
		r = parse_vmdk_sparse(p, f, open_as == OPEN_SPARSE_EXTENT, &refs, &size);
		break;
	case K_VMDK_TEXT:
		r = parse_vmdk_text(p, f, &refs, &size);
		break;
	case K_VPC:
		r = parse_vpc(p, f, d.vpc_tail, &size);
		break;
	case K_VHDX:
		r = parse_vhdx(p, f, &size);
		break;
	case K_RAW:
		size = f->size;
		break;
	case K_UNSUPPORTED:
		assert(false);
		break;
	}
	if (r < 0)
		return r;
	for (size_t i = 0; i < refs.n; i++) {
		r = follow(p, f, &refs.v[i], depth);
		if (r < 0)
			return r;
	}
	*ret_format = kind_format(d.kind);
	*ret_size = size;
	return 0;
}

static void probe_release(struct probe *p)
{
	for (size_t i = 0; i < p->chain.n; i++)
		free(p->chain.v[i]);
	free(p->chain.v);
	free(p->seen.v);
	free(p->root);
}

/*
 * gn_image_probe and gn_image_probe_range: the image at path (range: size bytes at offset, as
 * name; block devices only for a whole file), its references inside backing_dir.
 */
static int probe_top(const char *path, bool range, uint64_t offset, uint64_t size,
		     const char *name, const char *format_name, const char *backing_dir,
		     struct gn_image *ret, gn_error *err)
{
	_cleanup_(probe_release) struct probe p = { .err = err, .top = name, .backing_dir = backing_dir };
	struct file f = { .fd = -1, .qpath = path, .name = name, .top = true };
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *copy = NULL;
	_cleanup_free_ char **chain = NULL;
	enum gn_image_format fmt;
	uint64_t virtual_size;
	int open_as = OPEN_PROBE, r;
	struct stat st;
	bool seen;

	assert(path && name && ret);
	if (format_name) {
		open_as = gn_image_format_from_name(format_name);
		if (open_as < 0)
			return gn_error_set(err, -EINVAL, "'%s': unknown image format '%s' (known: raw, "
					    "qcow2, vmdk, vpc or vhd, vhdx)", name, format_name);
	}
	if (backing_dir) {
		p.root = realpath(backing_dir, NULL);
		if (!p.root)
			return gn_error_set(err, -errno, "'%s': folder for backing files '%s': %s", name,
					    backing_dir, strerror(errno));
		if (stat(p.root, &st) < 0)
			return gn_error_set(err, -errno, "'%s': folder for backing files '%s': %s", name,
					    backing_dir, strerror(errno));
		if (!S_ISDIR(st.st_mode))
			return gn_error_set(err, -ENOTDIR, "'%s': folder for backing files '%s': %s", name,
					    backing_dir, strerror(ENOTDIR));
	}

	r = open_file(&p, &f, path, !range);
	fd = f.fd;
	if (r < 0)
		return r;
	if (range) {
		if (offset > f.size || size > f.size - offset)
			return fail(&p, &f, -EBADMSG, "%" PRIu64 " bytes at offset %" PRIu64 " lie past "
				    "the end of '%s' (%" PRIu64 " bytes)", size, offset, path, f.size);
		if (size == 0)
			return fail(&p, &f, -EBADMSG, "empty, not a disk image");
		f.base = offset;
		f.size = size;
	}
	r = remember(&p, &f, &seen);
	if (r < 0)
		return r;
	r = probe_file(&p, &f, open_as, "was given", 0, &fmt, &virtual_size);
	if (r < 0)
		return r;

	copy = strdup(name);
	if (!copy)
		return gn_error_set(err, -ENOMEM, "'%s': out of memory", name);
	if (p.chain.n) {
		chain = calloc(p.chain.n + 1, sizeof(*chain));
		if (!chain)
			return gn_error_set(err, -ENOMEM, "'%s': out of memory", name);
		memcpy(chain, p.chain.v, p.chain.n * sizeof(*chain));
		p.chain.n = 0;  /* the strings now belong to chain */
	}
	*ret = (struct gn_image){
		.path = TAKE_PTR(copy),
		.format = fmt,
		.chain = TAKE_PTR(chain),
		.virtual_size = virtual_size,
	};
	return 0;
}

int gn_image_probe(const char *path, const char *format_name, const char *backing_dir,
		   struct gn_image *ret, gn_error *err)
{
	return probe_top(path, false, 0, 0, path, format_name, backing_dir, ret, err);
}

int gn_image_probe_range(const char *path, uint64_t offset, uint64_t size, const char *name,
			 const char *format_name, struct gn_image *ret, gn_error *err)
{
	/* no backing folder: whatever the image would make qemu open is refused */
	return probe_top(path, true, offset, size, name, format_name, NULL, ret, err);
}

void gn_image_release(struct gn_image *img)
{
	if (!img)
		return;
	for (char **s = img->chain; s && *s; s++)
		free(*s);
	free(img->chain);
	free(img->path);
	*img = (struct gn_image){ 0 };
}
