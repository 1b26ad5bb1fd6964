/*
 * image.h: the format of a disk image, and whether it may be opened, decided on the host before
 * libguestfs or qemu sees it (image.c says why and what is checked).
 *
 *   struct gn_image img;
 *   r = gn_image_probe(path, NULL, backing_dir, &img, &err);   format from the magic bytes
 *   ... guestfs_add_drive_opts(g, img.path, FORMAT, gn_image_format_name(img.format), ...)
 *   gn_image_release(&img);
 *
 * The format must always be passed to libguestfs explicitly: an image added without one is
 * probed again by qemu, which is what this module exists to prevent.
 */
#ifndef GN_IMAGE_H
#define GN_IMAGE_H

#include <stdint.h>

#include "guestnet.h"

/*
 * Limits on what an image may make us read or follow: over one, the image is refused with
 * -E2BIG.
 */
#define GN_IMAGE_MAX_CHAIN       64          /* backing files (and VMDK parents) below one image */
#define GN_IMAGE_MAX_FILES       4096        /* files in one image's chain, extents included */
#define GN_IMAGE_MAX_EXTENTS     4096        /* extent lines of one VMDK descriptor */
#define GN_IMAGE_MAX_DESCRIPTOR  (64u << 10) /* bytes of one VMDK descriptor, text or embedded */
#define GN_IMAGE_MAX_EXTENSIONS  256         /* qcow2 header extensions walked */

/* qemu's own caps on names: a longer one is a damaged image (-EBADMSG), as qemu refuses it. */
#define GN_IMAGE_MAX_BACKING_NAME 1023       /* bytes of a qcow2 backing file name */
#define GN_IMAGE_MAX_PARENT_NAME 4095        /* bytes of a VMDK parentFileNameHint */

enum gn_image_format {
	GN_IMAGE_RAW,
	GN_IMAGE_QCOW2,
	GN_IMAGE_VMDK,
	GN_IMAGE_VPC,   /* VHD */
	GN_IMAGE_VHDX,
};

/* The qemu and libguestfs name of f: "raw", "qcow2", "vmdk", "vpc", "vhdx"; NULL outside the
 * enumeration. */
const char *gn_image_format_name(enum gn_image_format f);

/* The format named s: those five names, and "vhd" for vpc; -1 for anything else. */
int gn_image_format_from_name(const char *s);

struct gn_image {
	char *path;                  /* as given */
	enum gn_image_format format;
	/* every other file qemu will open for this image, as resolved absolute paths, in the order
	 * met: a backing file, then its own backing file...; a VMDK descriptor's extent files,
	 * then its parent.  NULL-terminated; NULL when there are none. */
	char **chain;
	uint64_t virtual_size;       /* bytes, as the header says; a raw image's file size; 0 when unknown */
};

/*
 * Decide the format of the image at path and whether it may be opened.
 *
 * format_name: NULL to detect the format from the magic bytes; else one of the names above.
 * "raw" is always honoured without a word (qemu then reads the bytes and nothing else); any
 * other name must agree with what the magic bytes say.
 *
 * backing_dir: NULL to refuse every image that makes qemu open another file (a backing file,
 * a VMDK extent file or parent, an external data file); else a folder: every such file must
 * resolve (realpath) inside it, is checked by the same rules, and is listed in ret->chain.
 * External data files are refused either way.
 *
 * Returns 0 and fills *ret (release it with gn_image_release); on failure *ret is untouched and
 * err says what was wrong with which file:
 *   -EBADMSG  the image is damaged, of an unsupported format, or refers to a file it may not;
 *   -EINVAL   format_name is not a known format;
 *   -E2BIG    one of the GN_IMAGE_MAX_* limits;
 *   -ENOMEM, or another -errno when a file cannot be opened or read (-ENOENT, -EACCES...).
 */
int gn_image_probe(const char *path, const char *format_name, const char *backing_dir,
		   struct gn_image *ret, gn_error *err);

/*
 * The same for an image stored as size bytes at offset in the file path (a disk in an OVA
 * archive), which messages call name (and ret->path is): every file the image would make qemu
 * open is refused, as there is no folder it could be in.  Returns as gn_image_probe; -EBADMSG
 * too when the range lies past the end of the file.
 */
int gn_image_probe_range(const char *path, uint64_t offset, uint64_t size, const char *name,
			 const char *format_name, struct gn_image *ret, gn_error *err);

/* Free what img holds and zero it; img may be NULL or already released. */
void gn_image_release(struct gn_image *img);

#endif
