/*
 * backup.h: what a backup of one VM holds, decided on the host before libguestfs or qemu sees
 * any of it (issue 6): its disks, the files they are read from, the VM's name and, from an OVF
 * descriptor, its NICs.
 *
 *   _cleanup_(gn_backup_freep) struct gn_backup *b = NULL;
 *   r = gn_backup_open("/backups/vm1", &b, &err);
 *   for each b->disks.v[i]: inspect it (an OVA member through an overlay, inplace.h)
 *   for each b->files.v[i]: gn_sha256_file(path, offset, size, ...) for the record
 *
 * enum gn_backup_kind is the model's (the kind a record names).  Kinds, from what path is:
 *   a folder holding one .ovf    GN_BACKUP_OVF: the descriptor's disks, files of the folder
 *   another folder               GN_BACKUP_FOLDER: its disk images (by name: *.qcow2, *.qcow,
 *                                *.img, *.raw, *.vmdk, *.vhd, *.vhdx); an image another one
 *                                uses as its backing file is part of that image's chain, so
 *                                each disk is the newest image of its chain
 *   a file *.ova, or a tar file  GN_BACKUP_OVA: the descriptor (the first *.ovf member) and
 *   not named as an image        the disks it names, read in place inside the archive; a name
 *                                the archive holds twice is refused
 *   a file *.ovf                 GN_BACKUP_OVF, as its folder
 *   any other file               GN_BACKUP_IMAGE: one disk image
 * Backing files are followed only inside the backup's folder (never for a single image or an
 * archive member); one that points anywhere else refuses the backup, and is never opened.  The
 * disks of a folder (and an OVF folder's descriptor) must be regular files of it, not symbolic
 * links; a folder's images are probed newest first, each once, within GN_BACKUP_MAX_FILES.
 */
#ifndef GN_BACKUP_H
#define GN_BACKUP_H

#include <stdint.h>

#include "array.h"
#include "guestnet.h"
#include "image.h"
#include "model.h"
#include "ovf.h"

#define GN_BACKUP_MAX_ENTRIES 1024  /* folder entries looked at (each image is probed) */
#define GN_BACKUP_MAX_DISKS   64    /* disks of the VM (as GN_INSPECT_MAX_VM_DISKS) */
#define GN_BACKUP_MAX_FILES   16384 /* files the images of one folder name, all chains together */

struct gn_backup_disk {
	char *name;                /* for messages and source/@image: "vm1/disk.qcow2", "vm1.ova:disk1.vmdk" */
	char *file;                /* the file it is read from */
	uint64_t offset, size;     /* where in file: 0 and the file's size, or an archive member's */
	struct gn_image image;     /* its format and backing chain */
};

/* A file the backup's state is read from, for checksums. */
struct gn_backup_file {
	char *name;                /* relative to the backup: "inc2.qcow2", or the member's name */
	char *path;                /* the file on the host */
	uint64_t offset, size;
};

struct gn_backup {
	char *path;                /* as given */
	enum gn_backup_kind kind;
	char *name;                /* the VM's: the OVF's, else the file or folder name */
	char *dir;                 /* the folder backing files may be in, or NULL */
	char *record;              /* where recorded settings live beside the images */
	struct gn_ovf *ovf;        /* OVA and OVF: the descriptor (NICs: MAC and network) */
	GN_ARRAY(struct gn_backup_disk) disks;  /* in the VM's order */
	GN_ARRAY(struct gn_backup_file) files;  /* each disk, then its backing chain */
	GN_ARRAY(char *) notes;    /* said about the backup (a chain that branches) */
};

/*
 * Open the backup at path.  Returns 0 and *ret (free it with gn_backup_free), or, with err
 * naming the file and what is wrong: -EBADMSG a damaged or refused image, archive or
 * descriptor (a backing file outside the folder, a missing backing file, a truncated archive,
 * a descriptor naming a disk file the backup does not hold, no disk at all); -EOPNOTSUPP what
 * guestnet does not read (compressed OVF files, several VMs); -E2BIG a GN_BACKUP_MAX_* or
 * other limit; -ENOENT and other -errno when path cannot be read.
 */
int gn_backup_open(const char *path, struct gn_backup **ret, gn_error *err);

/* Add the SHA-256 of each of b's files to rec (gn_record_add_image): 0, or -errno with err. */
int gn_backup_record_images(const struct gn_backup *b, struct gn_record *rec, gn_error *err);

/*
 * Whether rec (recorded settings) belongs to b's files as they are now: the same names, sizes
 * and SHA-256 (read only when names and sizes agree).  Returns 1; 0 with why (len bytes) saying
 * what differs; -errno with err when a file cannot be read.
 */
int gn_backup_matches(const struct gn_backup *b, const struct gn_record *rec, char *why,
		      size_t len, gn_error *err);

void gn_backup_free(struct gn_backup *b);
void gn_backup_freep(struct gn_backup **b);

#endif
