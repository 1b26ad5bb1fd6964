/*
 * nbd.h: a disk inside an archive served read-only, in place, by qemu-nbd on a private UNIX
 * socket, for libguestfs to add as an NBD drive (inspect.h, struct gn_vm sockets).  Nothing is
 * extracted: qemu-nbd reads the member's bytes at their offset in the archive.
 *
 *   struct gn_nbd n;
 *   r = gn_nbd_start(disk, private_dir, &n, &err);    n.socket: "unix:" + it for libguestfs
 *   ...
 *   gn_nbd_stop(&n);
 */
#ifndef GN_NBD_H
#define GN_NBD_H

#include <sys/types.h>

#include "backup.h"
#include "guestnet.h"

struct gn_nbd {
	pid_t pid;       /* the qemu-nbd server, 0 when none */
	char *socket;    /* its UNIX socket */
	char *pidfile;
};

/*
 * Start qemu-nbd serving disk (already probed: its format is the one qemu is told, so qemu
 * never guesses) on socket "nbdSERIAL.sock" in dir, a folder only the caller can use.  Returns 0 and fills
 * *ret; -ENODEV when qemu-nbd cannot be run or does not start (err says why); -ENOMEM.
 */
int gn_nbd_start(const struct gn_backup_disk *disk, const char *dir, unsigned serial,
		 struct gn_nbd *ret, gn_error *err);

/* Stop the server and remove its socket; n may be zeroed or already stopped. */
void gn_nbd_stop(struct gn_nbd *n);

#endif
