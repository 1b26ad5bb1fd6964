/*
 * inplace.h: a disk inside an archive (an OVA member) read in place: a qcow2 overlay, made in a
 * private folder, whose backing file is qemu's description of the member: the disk's format on
 * a raw layer that exposes only the member's bytes (offset, size) of the archive.  libguestfs
 * adds the overlay (inspect.h, struct gn_vm overlays); nothing is extracted or copied.
 *
 *   char *overlay;
 *   r = gn_inplace_overlay(disk, private_dir, 0, &overlay, &err);
 *   ... inspect ...
 *   unlink(overlay); free(overlay);
 */
#ifndef GN_INPLACE_H
#define GN_INPLACE_H

#include "backup.h"
#include "guestnet.h"

/*
 * Make "inplaceSERIAL.qcow2" in dir (a folder only the caller can use) over disk, which must
 * have been probed: its format is the one qemu is told, so qemu never guesses, and the image
 * may refer to no other file.  Returns 0 and the overlay's path in *ret (free it, unlink the
 * file); -ENODEV when qemu-img cannot be run or fails (err says why); -ENOMEM.
 */
int gn_inplace_overlay(const struct gn_backup_disk *disk, const char *dir, unsigned serial,
		       char **ret, gn_error *err);

#endif
