/*
 * tar.c: the members of a tar archive (an OVA), with the offset and size of each one's data,
 * from the headers alone.
 *
 * Why.  A disk image inside an OVA is served to qemu in place, by offset and size, so the index
 * must be exact, and the archive is a tenant's file: every header is read with a bounded pread,
 * every number is checked before it is used, and an archive that tar programs could read in
 * two ways is refused rather than read in one of them.  GNU tar 1.34 is the reference: what it
 * lists, we index the same way; what it calls damaged, we refuse.
 *
 * Read: ustar headers (name, with the prefix field of POSIX ustar), GNU 'L' long names and 'K'
 * long link names, POSIX pax 'x' extended headers (path, size, mtime; other keywords are checked
 * for form and ignored) and 'g' global ones, base-256 numbers.  The archive ends at the first
 * zero block (what follows, such as the second zero block and record padding, is not read) or
 * at the end of the file after a whole member, as GNU tar accepts.
 *
 * Refused (-EBADMSG unless said): a header whose checksum matches neither the unsigned nor the
 * signed sum (tar accepts both); a number field that is not octal or base-256; a header or a
 * member's data and padding running past the end of the file; a malformed pax record; a name
 * with a NUL byte inside or an empty one; sizes past INT64_MAX.  So as not to choose between
 * readings tar programs disagree on: a link, directory, device or FIFO with data (GNU tar skips
 * it, Python's tarfile does not); two 'x', 'L' or 'K' records for one member; both an 'L' name
 * and a pax path; an empty pax value (POSIX: "delete", most readers: empty); a global pax
 * header setting path or size.  Sparse and multi-volume members: -EOPNOTSUPP.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "model.h"
#include "tar.h"

/* Where the ustar header fields are (POSIX.1-2017, pax, "ustar Interchange Format"). */
#define H_NAME 0        /* 100 bytes */
#define H_MODE 100      /* the numbers: 8 bytes each, but size and mtime 12 */
#define H_UID 108
#define H_GID 116
#define H_SIZE 124
#define H_MTIME 136
#define H_CHKSUM 148
#define H_TYPE 156
#define H_MAGIC 257     /* "ustar\0" "00" in POSIX ustar and pax, "ustar  \0" in GNU */
#define H_PREFIX 345    /* 155 bytes, POSIX ustar only (GNU keeps other fields there) */

/* What an 'x' header said of the member after it. */
struct pax {
	char *path;
	bool has_size, has_mtime;
	uint64_t size;
	int64_t mtime;
};

struct walk {
	int fd;
	const char *name;       /* the archive's, for messages */
	uint64_t file_size;
	gn_error *err;
	struct gn_tar *t;
	/* metadata records waiting for their member */
	struct pax pax;
	bool have_pax, have_longlink;
	char *longname;
};

/* Names from the archive in messages: printable ASCII as is, other bytes as \xNN, cut short. */
struct esc_buf {
	char s[160];
};

#define ESC(s) esc(&(struct esc_buf){ { 0 } }, (s))

static const char *esc(struct esc_buf *b, const char *s)
{
	size_t o = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (o + 5 > sizeof(b->s) - 4) {
			memcpy(b->s + o, "...", 4);
			return b->s;
		}
		if (c >= 0x20 && c < 0x7f)
			b->s[o++] = (char)c;
		else
			o += (size_t)snprintf(b->s + o, 5, "\\x%02x", c);
	}
	b->s[o] = '\0';
	return b->s;
}

/* Set err to "'ARCHIVE': REASON". */
static int fail(struct walk *w, int r, const char *fmt, ...) GN_PRINTF(3, 4);

static int fail(struct walk *w, int r, const char *fmt, ...)
{
	char reason[GN_MAX_ERROR];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return gn_error_set(w->err, r, "'%s': %s", w->name, reason);
}

static int read_at(struct walk *w, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(w->fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(w, -errno, "cannot read %zu bytes at offset %" PRIu64 ": %s", len,
				    off, strerror(errno));
		if (n == 0)
			return fail(w, -EBADMSG, "the file shrank while it was read (offset %" PRIu64
				    ")", off + done);
		done += (size_t)n;
	}
	return 0;
}

/*
 * A header number field, as GNU tar's from_header reads it: all NULs (0); or optional spaces,
 * octal digits and a NUL or space or the field's end; or base-256, a first byte of 0x80
 * (positive) or 0xff (negative, two's complement) and big-endian bytes.  -1 when it is none of
 * these or does not fit in an int64_t.
 */
static int parse_number(const uint8_t *p, size_t len, int64_t *ret)
{
	uint64_t v = 0;
	size_t i = 0;

	if (p[0] == 0x80 || p[0] == 0xff) {
		bool neg = p[0] == 0xff;

		v = neg ? UINT64_MAX : 0;
		for (i = 1; i < len; i++) {
			/* the 8 bits shifted out and the new top bit must all be sign bits */
			if (v >> 55 != (neg ? 0x1ff : 0))
				return -1;
			v = v << 8 | p[i];
		}
		*ret = (int64_t)v;
		return 0;
	}
	while (i < len && p[i] == '\0')
		i++;
	if (i == len) {
		*ret = 0;
		return 0;
	}
	for (i = 0; i < len && p[i] == ' '; i++)
		;
	if (i == len || p[i] < '0' || p[i] > '7')
		return -1;
	for (; i < len && p[i] >= '0' && p[i] <= '7'; i++)
		v = v << 3 | (uint64_t)(p[i] - '0');  /* 12 digits at most: 36 bits */
	if (i < len && p[i] != '\0' && p[i] != ' ')
		return -1;
	*ret = (int64_t)v;
	return 0;
}

/* A checksum matching the unsigned or the signed sum of the header, its own field as spaces. */
static bool checksum_ok(const uint8_t *h)
{
	int64_t recorded;
	uint64_t usum = 0;
	int64_t ssum = 0;

	if (h[H_CHKSUM] >= 0x80 || parse_number(h + H_CHKSUM, 8, &recorded) < 0)
		return false;
	for (size_t i = 0; i < GN_TAR_BLOCK; i++) {
		uint8_t c = i >= H_CHKSUM && i < H_CHKSUM + 8 ? ' ' : h[i];

		usum += c;
		ssum += (int8_t)c;
	}
	return (int64_t)usum == recorded || ssum == recorded;
}

static bool all_zero(const uint8_t *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (h[i])
			return false;
	return true;
}

/* The header's own name: POSIX ustar "prefix/name", else the name field; each ends at a NUL. */
static void header_name(const uint8_t *h, char out[257])
{
	size_t np = strnlen((const char *)h + H_PREFIX, 155), nn = strnlen((const char *)h, 100), o = 0;

	if (memcmp(h + H_MAGIC, "ustar\0", 6) == 0 && np > 0) {
		memcpy(out, h + H_PREFIX, np);
		out[np] = '/';
		o = np + 1;
	}
	memcpy(out + o, h + H_NAME, nn);
	out[o + nn] = '\0';
}

/* One pax record's keyword and value (value not NUL-terminated) into pax. */
static int pax_keyword(struct walk *w, uint64_t off, bool global, const char *key,
		       const char *value, size_t vlen, struct pax *pax)
{
	const char *kind = global ? "global pax header" : "pax header";
	uint64_t u;

	if (strncmp(key, "GNU.sparse.", 11) == 0)
		return fail(w, -EOPNOTSUPP, "%s at offset %" PRIu64 " describes a sparse file "
			    "('%s'), which is not supported", kind, off, ESC(key));
	if (strcmp(key, "path") != 0 && strcmp(key, "size") != 0 && strcmp(key, "mtime") != 0)
		return 0;
	if (global && strcmp(key, "mtime") != 0)
		return fail(w, -EBADMSG, "%s at offset %" PRIu64 " sets '%s' for every member "
			    "(tar programs disagree on it)", kind, off, key);
	if (vlen == 0)
		return fail(w, -EBADMSG, "%s at offset %" PRIu64 ": empty value for '%s'", kind, off,
			    key);
	if (strcmp(key, "path") == 0) {
		if (memchr(value, '\0', vlen))
			return fail(w, -EBADMSG, "%s at offset %" PRIu64 ": 'path' holds a NUL byte",
				    kind, off);
		if (vlen > GN_TAR_MAX_NAME)
			return fail(w, -E2BIG, "%s at offset %" PRIu64 ": 'path' of %zu bytes, more "
				    "than %d (GN_TAR_MAX_NAME)", kind, off, vlen, GN_TAR_MAX_NAME);
		free(pax->path);
		pax->path = strndup(value, vlen);
		if (!pax->path)
			return fail(w, -ENOMEM, "out of memory");
	} else if (strcmp(key, "size") == 0) {
		if (gn_parse_decimal(value, vlen, INT64_MAX, &pax->size) < 0)
			return fail(w, -EBADMSG, "%s at offset %" PRIu64 ": 'size' is not a number "
				    "up to %" PRId64, kind, off, INT64_MAX);
		pax->has_size = true;
	} else {
		/* seconds, maybe negative, maybe with a fraction: "-12.5", "1700000000.123" */
		bool neg = value[0] == '-';
		size_t i = neg, int_end = i;

		while (int_end < vlen && value[int_end] != '.')
			int_end++;
		for (size_t j = int_end + 1; j < vlen; j++)
			if (value[j] < '0' || value[j] > '9')
				return fail(w, -EBADMSG, "%s at offset %" PRIu64 ": 'mtime' is not a "
					    "number", kind, off);
		if (gn_parse_decimal(value + i, int_end - i, INT64_MAX, &u) < 0)
			return fail(w, -EBADMSG, "%s at offset %" PRIu64 ": 'mtime' is not a number",
				    kind, off);
		pax->mtime = neg ? -(int64_t)u : (int64_t)u;
		pax->has_mtime = true;
	}
	return 0;
}

/*
 * The records "LEN KEYWORD=VALUE\n" of the pax header at off, data p of n bytes; LEN counts the
 * whole record, and the records fill the data exactly.
 */
static int parse_pax(struct walk *w, uint64_t off, bool global, const char *p, size_t n,
		     struct pax *pax)
{
	for (size_t i = 0; i < n;) {
		size_t len = 0, j = i;
		char key[128];

		/* n <= GN_TAR_MAX_PAX: six digits are enough and cannot overflow */
		for (; j < n && j - i < 7 && p[j] >= '0' && p[j] <= '9'; j++)
			len = len * 10 + (size_t)(p[j] - '0');
		if (j == i || j == n || p[j] != ' ' || len > n - i || len < j - i + 2 ||
		    p[i + len - 1] != '\n')
			return fail(w, -EBADMSG, "pax header at offset %" PRIu64 ": malformed record "
				    "at byte %zu of its data", off, i);
		const char *k = p + j + 1, *end = p + i + len - 1;
		const char *eq = memchr(k, '=', (size_t)(end - k));
		if (!eq || eq == k || memchr(k, '\0', (size_t)(eq - k)))
			return fail(w, -EBADMSG, "pax header at offset %" PRIu64 ": malformed record "
				    "at byte %zu of its data", off, i);
		/* keywords we act on are short: a longer one is copied cut, and ignored */
		size_t klen = (size_t)(eq - k) < sizeof(key) ? (size_t)(eq - k) : sizeof(key) - 1;
		memcpy(key, k, klen);
		key[klen] = '\0';
		int r = pax_keyword(w, off, global, key, eq + 1, (size_t)(end - eq - 1), pax);
		if (r < 0)
			return r;
		i += len;
	}
	return 0;
}

static void pax_reset(struct pax *pax)
{
	free(pax->path);
	*pax = (struct pax){ 0 };
}

/* An 'x', 'g' or 'L' record's data, size bytes at off (checked to lie in the file). */
static int read_record(struct walk *w, uint64_t off, uint64_t size, char **ret)
{
	_cleanup_free_ char *buf = malloc((size_t)size + 1);

	if (!buf)
		return fail(w, -ENOMEM, "out of memory");
	int r = read_at(w, off, buf, (size_t)size);
	if (r < 0)
		return r;
	buf[size] = '\0';
	*ret = TAKE_PTR(buf);
	return 0;
}

/* The GNU long name at off: the name and one or more NULs (or none), nothing else. */
static int read_longname(struct walk *w, uint64_t hoff, uint64_t off, uint64_t size)
{
	char *s;
	int r;

	if (w->longname)
		return fail(w, -EBADMSG, "header at offset %" PRIu64 ": a second GNU long name for "
			    "one member", hoff);
	if (size > GN_TAR_MAX_NAME + 1)
		return fail(w, -E2BIG, "GNU long name at offset %" PRIu64 " of %" PRIu64 " bytes, "
			    "more than %d (GN_TAR_MAX_NAME)", hoff, size, GN_TAR_MAX_NAME);
	r = read_record(w, off, size, &s);
	if (r < 0)
		return r;
	w->longname = s;
	while (size > 0 && s[size - 1] == '\0')
		size--;
	if (size > GN_TAR_MAX_NAME)  /* GN_TAR_MAX_NAME + 1 bytes, none of them a NUL */
		return fail(w, -E2BIG, "GNU long name at offset %" PRIu64 " of more than %d bytes "
			    "(GN_TAR_MAX_NAME)", hoff, GN_TAR_MAX_NAME);
	if (size == 0 || strlen(s) != size)
		return fail(w, -EBADMSG, "GNU long name at offset %" PRIu64 " is %s", hoff,
			    size ? "cut by a NUL byte" : "empty");
	return 0;
}

/* The 'x' (or global 'g') header at hoff, its data size bytes at off. */
static int read_pax(struct walk *w, uint64_t hoff, uint64_t off, uint64_t size, bool global)
{
	_cleanup_free_ char *buf = NULL;
	struct pax ignored = { 0 };
	int r;

	if (!global && w->have_pax)
		return fail(w, -EBADMSG, "header at offset %" PRIu64 ": a second pax header for one "
			    "member", hoff);
	if (size > GN_TAR_MAX_PAX)
		return fail(w, -E2BIG, "pax header at offset %" PRIu64 " of %" PRIu64 " bytes, more "
			    "than %u (GN_TAR_MAX_PAX)", hoff, size, GN_TAR_MAX_PAX);
	r = read_record(w, off, size, &buf);
	if (r < 0)
		return r;
	if (global) {
		/* only checked: parse_pax refuses what would apply to members */
		r = parse_pax(w, hoff, true, buf, (size_t)size, &ignored);
		pax_reset(&ignored);
		return r;
	}
	w->have_pax = true;
	return parse_pax(w, hoff, false, buf, (size_t)size, &w->pax);
}

/* The member whose header at hoff has type, name hname, size (pax applied) and mtime. */
static int add_member(struct walk *w, char type, uint64_t hoff, const char *hname, uint64_t size,
		      int64_t mtime)
{
	struct gn_tar_member *m;
	const char *name = w->pax.path ? w->pax.path : w->longname ? w->longname : hname;
	bool v7_dir;
	int r;

	if (w->pax.path && w->longname)
		return fail(w, -EBADMSG, "member '%s' at offset %" PRIu64 " has both a GNU long name "
			    "and a pax path", ESC(name), hoff);
	if (!name[0])
		return fail(w, -EBADMSG, "member at offset %" PRIu64 " has an empty name", hoff);
	/* v7 tar marked a directory by a '/' at the end of a regular file's name */
	v7_dir = type == '\0' && name[strlen(name) - 1] == '/';
	if (((type >= '1' && type <= '6') || v7_dir) && size)
		return fail(w, -EBADMSG, "member '%s' at offset %" PRIu64 " of type '%c' has %"
			    PRIu64 " bytes of data (tar programs disagree on whether they follow)",
			    ESC(name), hoff, v7_dir ? '0' : type, size);
	r = GN_ARRAY_PUSH(&w->t->members, GN_TAR_MAX_MEMBERS, &m);
	if (r == -E2BIG)
		return fail(w, r, "more than %d members (GN_TAR_MAX_MEMBERS)", GN_TAR_MAX_MEMBERS);
	if (r < 0)
		return fail(w, r, "out of memory");
	m->name = strdup(name);
	if (!m->name)
		return fail(w, -ENOMEM, "out of memory");
	m->type = type == '0' || type == '7' || (type == '\0' && !v7_dir) ? GN_TAR_REGULAR :
		GN_TAR_OTHER;
	m->typeflag = type;
	m->offset = hoff + GN_TAR_BLOCK;
	m->size = size;
	m->mtime = w->pax.has_mtime ? w->pax.mtime : mtime;
	return 0;
}

/* The header at hoff: a member, or a record for the next member; *ret_next: the next header. */
static int one_header(struct walk *w, const uint8_t *h, uint64_t hoff, uint64_t *ret_next)
{
	uint64_t data = hoff + GN_TAR_BLOCK, size, padded;
	char type = (char)h[H_TYPE], hname[257];
	const char *shown;
	int64_t v[5];
	int r;

	header_name(h, hname);
	shown = ESC(w->pax.path ? w->pax.path : w->longname ? w->longname : hname);
	if (!checksum_ok(h))
		return fail(w, -EBADMSG, "member '%s': header at offset %" PRIu64 " has a bad "
			    "checksum", shown, hoff);
	/* every number, as tar reads them all: v[3] is the size, v[4] the mtime */
	static const struct { size_t off, len; const char *what; } fields[] = {
		{ H_MODE, 8, "mode" }, { H_UID, 8, "uid" }, { H_GID, 8, "gid" },
		{ H_SIZE, 12, "size" }, { H_MTIME, 12, "mtime" },
	};
	for (size_t i = 0; i < GN_ELEMENTSOF(fields); i++)
		if (parse_number(h + fields[i].off, fields[i].len, &v[i]) < 0)
			return fail(w, -EBADMSG, "member '%s': header at offset %" PRIu64 ": '%s' is "
				    "not a number", shown, hoff, fields[i].what);
	if (v[3] < 0)
		return fail(w, -EBADMSG, "member '%s': header at offset %" PRIu64 ": negative size",
			    shown, hoff);
	size = (uint64_t)v[3];
	if (type == 'S' || type == 'M')
		return fail(w, -EOPNOTSUPP, "member '%s' at offset %" PRIu64 " is a %s member, "
			    "which is not supported", shown, hoff, type == 'S' ? "sparse" :
			    "multi-volume");
	/* GNU keeps atime and ctime where ustar has its prefix, which some readers still take
	 * for one: such a header names two files (only GNU incremental dumps write them) */
	if (memcmp(h + H_MAGIC, "ustar  \0", 8) == 0 && !all_zero(h + H_PREFIX, 155))
		return fail(w, -EBADMSG, "member '%s': GNU header at offset %" PRIu64 " has data "
			    "where ustar keeps a name prefix (tar programs read its name differently)",
			    shown, hoff);
	bool record = type == 'x' || type == 'X' || type == 'g' || type == 'L' || type == 'K';
	if (!record && w->pax.has_size)
		size = w->pax.size;
	/* size <= INT64_MAX and file_size < INT64_MAX: no overflow below */
	padded = (size + GN_TAR_BLOCK - 1) / GN_TAR_BLOCK * GN_TAR_BLOCK;
	if (data > w->file_size || padded > w->file_size - data)
		return fail(w, -EBADMSG, "truncated archive: %s '%s' needs %" PRIu64 " bytes at "
			    "offset %" PRIu64 ", the file has %" PRIu64, record ? "record" : "member",
			    shown, padded, data, w->file_size);
	switch (type) {
	case 'x':
	case 'X':  /* Solaris: the same, as GNU tar and Python read it */
	case 'g':
		r = read_pax(w, hoff, data, size, type == 'g');
		break;
	case 'L':
		r = read_longname(w, hoff, data, size);
		break;
	case 'K':
		/* the link target of the next member, which we do not keep: not read */
		if (w->have_longlink)
			return fail(w, -EBADMSG, "header at offset %" PRIu64 ": a second GNU long link "
				    "name for one member", hoff);
		if (size > GN_TAR_MAX_NAME + 1)
			return fail(w, -E2BIG, "GNU long link name at offset %" PRIu64 " of %" PRIu64
				    " bytes, more than %d (GN_TAR_MAX_NAME)", hoff, size,
				    GN_TAR_MAX_NAME);
		w->have_longlink = true;
		r = 0;
		break;
	default:
		r = add_member(w, type, hoff, hname, size, v[4]);
		pax_reset(&w->pax);
		w->have_pax = w->have_longlink = false;
		free(w->longname);
		w->longname = NULL;
	}
	if (r < 0)
		return r;
	*ret_next = data + padded;
	return 0;
}

static int walk(struct walk *w)
{
	uint64_t pos = 0;
	uint8_t h[GN_TAR_BLOCK];
	int r;

	if (w->file_size == 0)
		return fail(w, -EBADMSG, "not a tar archive: the file is empty");
	for (unsigned n = 0; pos < w->file_size; n++) {
		if (w->file_size - pos < GN_TAR_BLOCK)
			return fail(w, -EBADMSG, "truncated archive: header at offset %" PRIu64 " needs "
				    "%u bytes, the file has %" PRIu64, pos, GN_TAR_BLOCK, w->file_size);
		if (n == GN_TAR_MAX_HEADERS)
			return fail(w, -E2BIG, "more than %d headers (GN_TAR_MAX_HEADERS)",
				    GN_TAR_MAX_HEADERS);
		r = read_at(w, pos, h, sizeof(h));
		if (r < 0)
			return r;
		if (all_zero(h, GN_TAR_BLOCK))
			break;
		r = one_header(w, h, pos, &pos);
		if (r < 0)
			return r;
	}
	if (w->have_pax || w->longname || w->have_longlink)
		return fail(w, -EBADMSG, "the archive ends at offset %" PRIu64 " after a pax header or "
			    "GNU long name, before its member", pos);
	return 0;
}

void gn_tar_free(struct gn_tar *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->members.n; i++)
		free(t->members.v[i].name);
	free(t->members.v);
	free(t);
}

void gn_tar_freep(struct gn_tar **t)
{
	gn_tar_free(*t);
}

int gn_tar_index(int fd, const char *name, struct gn_tar **ret, gn_error *err)
{
	_cleanup_(gn_tar_freep) struct gn_tar *t = calloc(1, sizeof(*t));
	struct walk w = { .fd = fd, .name = name, .err = err };
	struct stat st;
	int r;

	if (!t)
		return gn_error_set(err, -ENOMEM, "'%s': out of memory", name);
	if (fstat(fd, &st) < 0)
		return gn_error_set(err, -errno, "'%s': %s", name, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return gn_error_set(err, -EINVAL, "'%s': not a regular file", name);
	w.file_size = (uint64_t)st.st_size;
	w.t = t;
	r = walk(&w);
	pax_reset(&w.pax);
	free(w.longname);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(t);
	return 0;
}

static bool named(const struct gn_tar_member *m, const char *name)
{
	return strcmp(m->name, name) == 0 ||
	       (strncmp(m->name, "./", 2) == 0 && strcmp(m->name + 2, name) == 0);
}

const struct gn_tar_member *gn_tar_find(const struct gn_tar *t, const char *name)
{
	for (size_t i = t->members.n; i-- > 0;)
		if (named(&t->members.v[i], name))
			return &t->members.v[i];
	return NULL;
}

size_t gn_tar_count(const struct gn_tar *t, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < t->members.n; i++)
		n += named(&t->members.v[i], name);
	return n;
}
