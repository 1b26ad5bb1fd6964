/*
 * tar.h: an index of a tar archive (an OVA: the .ovf descriptor, a .mf manifest, disk images),
 * read from its headers only, so that each member can be used in place: a disk served to qemu
 * by offset and size inside the archive, a member hashed by gn_sha256_fd, nothing extracted.
 *
 *   _cleanup_(gn_tar_freep) struct gn_tar *t = NULL;
 *   r = gn_tar_index(fd, "backup.ova", &t, &err);
 *   const struct gn_tar_member *m = gn_tar_find(t, "disk1.vmdk");
 *   ... m->offset, m->size
 *
 * Formats: ustar (prefix and name), GNU tar (long names in 'L' records, base-256 numbers), POSIX
 * pax ('x' and 'g' extended headers: path, size, mtime).  Sparse and multi-volume members are
 * refused.  tar.c says what else is refused and why.
 */
#ifndef GN_TAR_H
#define GN_TAR_H

#include <stdbool.h>
#include <stdint.h>

#include "array.h"
#include "guestnet.h"

#define GN_TAR_BLOCK 512u

/* Limits on what an archive may make us read or keep: over one, it is refused with -E2BIG. */
#define GN_TAR_MAX_MEMBERS  4096           /* members indexed (metadata headers not counted) */
#define GN_TAR_MAX_HEADERS  (4 * GN_TAR_MAX_MEMBERS) /* headers read, pax and GNU ones included */
#define GN_TAR_MAX_NAME     4096           /* bytes of a member name */
#define GN_TAR_MAX_PAX      (64u << 10)    /* bytes of one pax extended header */

enum gn_tar_type {
	GN_TAR_REGULAR,  /* typeflag '0', NUL or '7' (contiguous file) */
	GN_TAR_OTHER,    /* a directory, link, device, FIFO, or a type tar does not know */
};

struct gn_tar_member {
	char *name;             /* as in the archive, after pax 'path' and GNU 'L' records */
	enum gn_tar_type type;
	char typeflag;          /* the header's byte */
	uint64_t offset;        /* of the data, in bytes from the start of the file */
	uint64_t size;          /* bytes of data; offset + size lies inside the file */
	int64_t mtime;          /* seconds since the epoch (pax 'mtime' truncated to seconds) */
};

struct gn_tar {
	GN_ARRAY(struct gn_tar_member) members;  /* in archive order */
};

/*
 * Index the tar archive open as fd (a regular file), reading its headers with pread; member
 * data is never read.  name is the archive's name for messages.
 *
 * Returns 0 and sets *ret (free it with gn_tar_free); on failure *ret is untouched and err
 * names the archive, the member and the byte offset:
 *   -EBADMSG     not a tar archive, or a damaged or ambiguous one: a bad header checksum, a
 *                number field that is not one, a member or header past the end of the file,
 *                a malformed pax record, a name with a NUL byte in it;
 *   -EOPNOTSUPP  a sparse or multi-volume member;
 *   -E2BIG       one of the GN_TAR_MAX_* limits;
 *   -EINVAL      fd is not a regular file;
 *   -ENOMEM, or the -errno of a failed read.
 */
int gn_tar_index(int fd, const char *name, struct gn_tar **ret, gn_error *err);

/*
 * The member called name, or NULL.  A member stored as "./NAME" matches NAME too.  When the
 * archive holds the name more than once the last one is returned, the one tar extraction
 * leaves on disk.
 */
const struct gn_tar_member *gn_tar_find(const struct gn_tar *t, const char *name);

/* How many members are called name (as gn_tar_find matches it). */
size_t gn_tar_count(const struct gn_tar *t, const char *name);

/* Free t and its members; t may be NULL. */
void gn_tar_free(struct gn_tar *t);
void gn_tar_freep(struct gn_tar **t);

#endif
