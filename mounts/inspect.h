/*
 * inspect.h: network settings from VMs' disk images, many VMs per libguestfs appliance launch.
 */
#ifndef GN_INSPECT_H
#define GN_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "guestnet.h"

/* Disks added to one appliance: libguestfs (virtio-scsi) takes up to 255; more are inspected
 * in further launches. */
#define GN_INSPECT_MAX_DISKS 255
/* Disks of one VM. */
#define GN_INSPECT_MAX_VM_DISKS 64
/* Windows and Linux installations looked at in one VM before the rest are ignored. */
#define GN_INSPECT_MAX_ROOTS 16

struct gn_vm {
	const char *name;           /* guest/@name, or NULL */
	const char *const *disks;   /* its disk images, in the hypervisor's order, NULL-terminated */
	const char *backing_dir;    /* this VM's folder for backing files, or NULL: the options' */
	/* NULL, or for each disk: NULL for an image file, else a qcow2 overlay the caller made
	 * over a disk it probed (an archive member read in place, inplace.h), added as it is;
	 * disks[i] then only names the disk */
	const char *const *overlays;
	/* NULL, or for each disk: NULL to detect, else its format (a gn_image_format_name),
	 * as the caller's own probe decided it (an OVF descriptor's declared format) */
	const char *const *formats;
};

struct gn_inspect_options {
	const char *format;         /* every disk's format, or NULL to detect (safely) */
	const char *backing_dir;    /* backing files allowed inside this folder; NULL: refused */
	const char *tmpdir;         /* private temporary files go below it; NULL: /tmp */
	int64_t collected;          /* source/@collected, or -1 */
	/* progress messages for a person ("launching the appliance ...", "inspecting 'vm1'"),
	 * or NULL; called from gn_inspect only */
	void (*progress)(void *opaque, const char *message);
	void *opaque;
};

/*
 * Inspect n VMs and append one <guest> per VM to s, in order; a VM that cannot be inspected
 * (a refused or unreadable image, no operating system, an unreadable hive) becomes an <error> of
 * s instead.  Returns the number of VMs that failed (0 to n); -ENODEV when the libguestfs
 * appliance cannot start at all (err says libguestfs's reason and what to try); -ENOMEM.
 */
int gn_inspect(gn_settings *s, const struct gn_vm *vms, size_t n,
	       const struct gn_inspect_options *opt, gn_error *err);

#endif
