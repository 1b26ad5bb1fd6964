/*
 * ovf.h: what guestnet export needs from an OVF descriptor (the .ovf of an OVA or an OVF
 * folder): the VM's name, its NICs (MAC, network) and its disk files in order.
 *
 *   struct gn_ovf *ovf;
 *   r = gn_ovf_read(buf, len, "vm.ova:vm.ovf", &ovf, &err);   0, -EBADMSG, -EOPNOTSUPP, -E2BIG
 *   for (size_t i = 0; i < ovf->disks.n; i++)  inspect ovf->disks.v[i].href as .format
 *   gn_ovf_free(ovf);
 *
 * Descriptors are the tenants': they go through the one parse helper (xml.h: byte cap, no
 * DOCTYPE, no network), which takes an <Envelope> root without a schema, and everything is
 * checked here.  Elements are matched by namespace and local name, never by prefix: the OVF
 * envelope (DSP8023, .../ovf/envelope/1 or /2) and the CIM settings of its items (rasd, and the
 * sasd and epasd of OVF 2, also as VirtualBox spells them, with ".xsd").  Unknown elements
 * (vmw:Config, other sections) are ignored.  One VirtualSystem per descriptor: guestnet exports
 * one VM per backup.  Every error names the descriptor, and the line and element where known.
 */
#ifndef GN_OVF_H
#define GN_OVF_H

#include <stdint.h>

#include "array.h"
#include "guestnet.h"

/* Items in the VirtualHardwareSection (a VM has tens). */
#define GN_OVF_MAX_ITEMS 4096
/* File elements in References (a VM's disks, ISO images, NVRAM). */
#define GN_OVF_MAX_FILES 1024
/* Disk elements in the DiskSection, and disks attached to the VM (vSphere allows 256). */
#define GN_OVF_MAX_DISKS 256
/* NIC items, and VirtualBox network adapters (vSphere allows 10, VirtualBox 36). */
#define GN_OVF_MAX_NICS 64

/* A disk of the VM: a hard disk item whose HostResource names a DiskSection disk with a file. */
struct gn_ovf_disk {
	char *disk_id;       /* DiskSection/Disk ovf:diskId */
	char *href;          /* its References/File ovf:href: a plain file name, no path, no URL */
	const char *format;  /* from ovf:format: "vmdk", "raw" or "qcow2" (static) */
	uint64_t capacity;   /* virtual size in bytes (ovf:capacity x ovf:capacityAllocationUnits) */
	int64_t size;        /* bytes of the file (File ovf:size), -1 when not given */
	long line;           /* of the Disk element */
};

/* A NIC: an item of ResourceType 10. */
struct gn_ovf_nic {
	char *mac;           /* "aa:bb:cc:dd:ee:ff" (rasd:Address, else VirtualBox's), or NULL */
	char *network;       /* rasd:Connection: the network it is plugged into, or NULL */
	char *element_name;  /* rasd:ElementName ("Network adapter 1"), or NULL */
	long line;           /* of the item */
};

struct gn_ovf {
	char *name;  /* VirtualSystem/Name, else the VirtualSystem's ovf:id */
	/* Disks by controller (in the order the controllers are found), then AddressOnParent,
	 * then document order.  Disks without a file (blank, made at import) are left out. */
	GN_ARRAY(struct gn_ovf_disk) disks;
	/* NICs by AddressOnParent, then InstanceID (when numeric), then document order */
	GN_ARRAY(struct gn_ovf_nic) nics;
};

/*
 * Read the descriptor in buf (len bytes; name names it in messages, NULL: "(memory)").
 * Returns 0 and a new struct gn_ovf in *ret (free it with gn_ovf_free), or with err set:
 * -EBADMSG for a descriptor that is not well-formed, holds a DOCTYPE, is not an OVF 1 or 2
 * envelope, has no VirtualSystem, or has a bad value (an href that is not a plain file name, a
 * malformed MAC or number, a disk naming a missing file); -EOPNOTSUPP for what is valid OVF but
 * guestnet cannot export (a VirtualSystemCollection or several VirtualSystems, an unknown disk
 * format, compressed or chunked files, differencing disks); -E2BIG past GN_MAX_XML_BYTES or a
 * GN_OVF_MAX_* limit; -ENOMEM.
 */
int gn_ovf_read(const char *buf, size_t len, const char *name, struct gn_ovf **ret,
		gn_error *err);
/* The same from the file at path (named by path in messages); also -errno on I/O errors. */
int gn_ovf_read_file(const char *path, struct gn_ovf **ret, gn_error *err);

/* Free o and all it holds; NULL is fine. */
void gn_ovf_free(struct gn_ovf *o);
void gn_ovf_freep(struct gn_ovf **o);

#endif
