/*
 * inspect.c: network settings from VMs' disk images through libguestfs.
 *
 * All disks of all VMs go read-only into one libguestfs handle (GN_INSPECT_MAX_DISKS per
 * launch), because one appliance launch costs seconds (about 20 s without KVM) while each
 * inspection in it costs milliseconds.  Each image's format was decided on the host first
 * (image.c) and is passed explicitly, so qemu never probes a format nor opens a backing file,
 * extent or data file the caller did not allow.  The guest's file systems are only ever mounted
 * inside the appliance, read-only.
 *
 * Finding the system: every volume of the VM (partitions, whole disks without a partition table,
 * LVM logical volumes) is probed directly: its file system type, then, mounted read-only,
 * Windows/System32/config/SYSTEM (without regard to case) or a Linux /etc.  That works where
 * libguestfs inspection does not (a Windows volume without a SOFTWARE hive or cmd.exe) and costs
 * a fraction of it; libguestfs inspection (guestfs_inspect_os) is run only when some VM has no
 * system the probe recognizes (a Linux system whose /etc is not on a volume of its own, layouts
 * we do not know).  A VM with two Windows installations is read from the one whose SYSTEM hive
 * was written last (the one that ran last), with a warning naming the other.
 *
 * Where the data is parsed: on the host.  A Windows SYSTEM hive (at most GN_MAX_HIVE_BYTES) is
 * downloaded into a private temporary file (mode 0600 in a 0700 folder, removed afterwards) and
 * read by the hive collector; a Linux guest's configuration files (the paths
 * gn_linux_config_paths names, each at most GN_MAX_CONFIG_FILE_BYTES, symlinks resolved inside
 * the guest, never recreated on the host) are copied into a private folder and read by the
 * Linux collector.  The appliance's own hivex and augeas (guestfs_hivex_*, guestfs_aug_*) would
 * keep the parsing inside the appliance, but every value would then cost a round trip to it
 * (hundreds per hive), and the collectors could not be the same code the agent and the
 * `hive` command run.  The parsers on the host are bounded, fuzzed with damaged input in the
 * tests, and see only the bytes of a few files, never the guest's file systems: what the
 * appliance isolates is the larger risk, the kernel's file-system drivers.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <guestfs.h>

#include "cleanup.h"
#include "image.h"
#include "inspect.h"
#include "model.h"

/* A warning or reason gathered before the VM's guest exists. */
#define VM_MAX_NOTES 32

/* How a root was found: by our probe (its kind known), or by libguestfs inspection. */
enum root_kind { ROOT_WINDOWS, ROOT_LINUX, ROOT_INSPECTED };

struct vm {
	const struct gn_vm *spec;
	struct gn_image *images;
	size_t ndisks;
	int first;                 /* index of its first disk in the launch, -1: not added */
	char *images_text;         /* "disk1,disk2" for source/@image */
	char *refused;             /* why the VM was not added, or NULL */
	char *roots[GN_INSPECT_MAX_ROOTS];
	enum root_kind kinds[GN_INSPECT_MAX_ROOTS];
	size_t nroots;
	char *notes[VM_MAX_NOTES];   /* warnings for its guest (and reasons when it fails) */
	size_t nnotes;
	char *reasons[VM_MAX_NOTES]; /* why a volume could not be read: said only if it fails */
	size_t nreasons;
	/* a Windows root's SYSTEM hive: its private copy, its path in the guest, its time, or why
	 * it could not be copied */
	char *hive[GN_INSPECT_MAX_ROOTS], *hive_path[GN_INSPECT_MAX_ROOTS];
	char *hive_error[GN_INSPECT_MAX_ROOTS];
	int64_t hive_mtime[GN_INSPECT_MAX_ROOTS];   /* nanoseconds since the epoch */
};

struct ctx {
	guestfs_h *g;
	gn_settings *s;
	const struct gn_inspect_options *opt;
	struct vm *vms;            /* the VMs of this launch */
	size_t nvms;
	int ndisks;                /* drives added to the handle */
	char tmp[256];             /* the private temporary folder */
	unsigned serial;           /* names temporary files */
};

static void progress(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void progress(const struct ctx *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (!c->opt->progress)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	c->opt->progress(c->opt->opaque, buf);
}

static void add_text(char **list, size_t *n, const char *fmt, va_list ap)
{
	char *s;

	if (*n < VM_MAX_NOTES && vasprintf(&s, fmt, ap) >= 0)
		list[(*n)++] = s;
}

/* *field = formatted text (NULL when out of memory). */
static void set_text(char **field, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_text(char **field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(field, fmt, ap) < 0)
		*field = NULL;
	va_end(ap);
}

/* A warning for the VM's guest. */
static void note(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_text(vm->notes, &vm->nnotes, fmt, ap);
	va_end(ap);
}

/* Why a volume could not be read: part of the VM's error if no system is found. */
static void reason(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reason(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_text(vm->reasons, &vm->nreasons, fmt, ap);
	va_end(ap);
}

static const char *guestfs_error(guestfs_h *g)
{
	const char *e = guestfs_last_error(g);
	return e ? e : "unknown error";
}

static void vm_release(struct vm *vm)
{
	for (size_t i = 0; i < vm->ndisks; i++)
		gn_image_release(&vm->images[i]);
	free(vm->images);
	free(vm->images_text);
	free(vm->refused);
	for (size_t i = 0; i < vm->nroots; i++) {
		free(vm->roots[i]);
		if (vm->hive[i])
			unlink(vm->hive[i]);
		free(vm->hive[i]);
		free(vm->hive_path[i]);
		free(vm->hive_error[i]);
	}
	for (size_t i = 0; i < vm->nnotes; i++)
		free(vm->notes[i]);
	for (size_t i = 0; i < vm->nreasons; i++)
		free(vm->reasons[i]);
}

/* Probe the VM's disks on the host: a refused disk refuses the VM. */
static int vm_prepare(struct vm *vm, const struct gn_vm *spec, const struct gn_inspect_options *opt)
{
	size_t n = 0, len = 0;

	vm->spec = spec;
	vm->first = -1;
	while (spec->disks[n])
		len += strlen(spec->disks[n++]) + 1;
	vm->images_text = calloc(1, len + 1);
	if (!vm->images_text)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(vm->images_text, ",");
		strcat(vm->images_text, spec->disks[i]);
	}
	if (n == 0 || n > GN_INSPECT_MAX_VM_DISKS)
		return asprintf(&vm->refused, n ? "more than %d disks (GN_INSPECT_MAX_VM_DISKS)" :
					       "no disk image given", GN_INSPECT_MAX_VM_DISKS) < 0 ?
			       -ENOMEM : 0;
	vm->images = calloc(n, sizeof(*vm->images));
	if (!vm->images)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		gn_error err = { "" };
		int r;

		if (spec->overlays && spec->overlays[i]) {
			/* the caller's overlay over a disk it probed */
			vm->images[i] = (struct gn_image){ .path = strdup(spec->disks[i]),
							   .format = GN_IMAGE_QCOW2 };
			if (!vm->images[i].path)
				return -ENOMEM;
			continue;
		}
		r = gn_image_probe(spec->disks[i], spec->formats && spec->formats[i] ?
				   spec->formats[i] : opt->format,
				   spec->backing_dir ? spec->backing_dir : opt->backing_dir,
				   &vm->images[i], &err);
		if (r < 0) {
			vm->ndisks = i;
			return (vm->refused = strdup(err.msg)) ? 0 : -ENOMEM;
		}
	}
	vm->ndisks = n;
	return 0;
}

/* The index (in the launch) of the disk a device lives on: a whole disk, a partition, or an
 * LVM logical volume (through its volume group's physical volumes); -1 when not known. */
static int device_disk(guestfs_h *g, const char *dev)
{
	_cleanup_free_ char *whole = NULL, *canonical = NULL;
	_cleanup_(gn_strv_freep) char **pvuuids = NULL, **pvs = NULL;
	char vg[256];

	if (strncmp(dev, "/dev/sd", 7) == 0 || strncmp(dev, "/dev/vd", 7) == 0) {
		/* /dev/sdab3 is partition 3 of /dev/sdab: named so by the appliance, no need to ask it */
		whole = strndup(dev, strcspn(dev, "0123456789"));
		return whole ? guestfs_device_index(g, whole) : -1;
	}
	canonical = guestfs_lvm_canonical_lv_name(g, dev);
	if (!canonical || sscanf(canonical, "/dev/%255[^/]/", vg) != 1)
		return -1;
	pvuuids = guestfs_vgpvuuids(g, vg);
	pvs = guestfs_pvs(g);
	for (size_t i = 0; pvs && pvuuids && pvs[i]; i++) {
		_cleanup_free_ char *uuid = guestfs_pvuuid(g, pvs[i]);
		for (size_t j = 0; uuid && pvuuids[j]; j++)
			if (strcmp(uuid, pvuuids[j]) == 0)
				return device_disk(g, pvs[i]);
	}
	return -1;
}

/*
 * The name of the index-th disk added: /dev/sda, ... /dev/sdz, /dev/sdaa (guestfs(3), "BLOCK
 * DEVICE NAMING"; the appliance's own naming), which saves a guestfs_list_devices.
 */
static void disk_name(int index, char *buf, size_t size)
{
	char letters[8];
	size_t n = sizeof(letters) - 1;

	letters[n] = '\0';
	for (int i = index; n > 0; i = i / 26 - 1) {
		letters[--n] = (char)('a' + i % 26);
		if (i < 26)
			break;
	}
	snprintf(buf, size, "/dev/sd%s", letters + n);
}

static struct vm *vm_of_disk(struct vm *vms, size_t n, int disk)
{
	for (size_t i = 0; disk >= 0 && i < n; i++)
		if (vms[i].first >= 0 && disk >= vms[i].first && disk < vms[i].first + (int)vms[i].ndisks)
			return &vms[i];
	return NULL;
}

static void add_root(struct vm *vm, const char *root, enum root_kind kind)
{
	if (vm->nroots < GN_INSPECT_MAX_ROOTS) {
		vm->kinds[vm->nroots] = kind;
		vm->roots[vm->nroots++] = strdup(root);
	}
}

static void fetch_hive(struct ctx *c, struct vm *vm, size_t i, const char *path);

/*
 * Why dev, which could not be mounted, holds no system: its file system type tells (an
 * encrypted volume, damaged, or not a file system at all).  Sets *lvm for an LVM physical volume.
 */
static void unmountable(struct ctx *c, struct vm *vm, const char *dev, const char *mount_error,
			bool *lvm)
{
	_cleanup_free_ char *type = guestfs_vfs_type(c->g, dev);

	if (!type || !type[0])
		reason(vm, "no file system could be recognised on %s (damaged?)", dev);
	else if (strcmp(type, "crypto_LUKS") == 0 || strcmp(type, "BitLocker") == 0)
		reason(vm, "%s is an encrypted volume (%s), which cannot be read", dev, type);
	else if (strcmp(type, "LVM2_member") == 0)
		*lvm = true;
	else if (strcmp(type, "swap") != 0)
		reason(vm, "file system %s could not be mounted: %s", dev, mount_error);
}

/*
 * Mount dev read-only at / and add it to the VM's roots if it holds a system: Windows (a SYSTEM
 * hive, in any case; fetched while mounted) or Linux (/etc with os-release or fstab).  The
 * mount is tried first and the file system type asked only when it fails: under TCG each
 * blkid costs a tenth of a second per volume.
 */
static void probe_volume(struct ctx *c, struct vm *vm, const char *dev, bool *lvm)
{
	guestfs_h *g = c->g;
	_cleanup_free_ char *path = NULL;

	guestfs_umount_all(g);
	if (guestfs_mount_ro(g, dev, "/") < 0) {
		_cleanup_free_ char *e = strdup(guestfs_error(g));
		unmountable(c, vm, dev, e ? e : "out of memory", lvm);
		return;
	}
	path = guestfs_case_sensitive_path(g, "/windows/system32/config/system");
	if (path && guestfs_is_file(g, path) > 0) {
		add_root(vm, dev, ROOT_WINDOWS);
		if (vm->roots[vm->nroots - 1] && strcmp(vm->roots[vm->nroots - 1], dev) == 0)
			fetch_hive(c, vm, vm->nroots - 1, path);
	} else if (guestfs_is_dir(g, "/etc") > 0 &&
		   (guestfs_is_file_opts(g, "/etc/os-release", GUESTFS_IS_FILE_OPTS_FOLLOWSYMLINKS, 1,
					 -1) > 0 || guestfs_is_file(g, "/etc/fstab") > 0))
		add_root(vm, dev, ROOT_LINUX);
	guestfs_umount_all(g);
}

/*
 * Find each VM's system by looking at its volumes directly: every partition, whole disk without
 * a partition table and LVM logical volume (listed only when some volume is an LVM physical
 * volume), mounted read-only for the files that mark a Windows or Linux system.  libguestfs
 * inspection does much more (it reads the SOFTWARE hive, package databases, fstab): about 4 s
 * per system without KVM, most of a batch's time.  It remains the fallback for the VMs this
 * finds nothing on (Linux systems spread over several volumes with /etc elsewhere, layouts we do
 * not know), and the reason a volume could not be read (encrypted, damaged) is kept for the VM's
 * error.
 */
static void probe_systems(struct ctx *c, struct vm *vms, size_t n)
{
	guestfs_h *g = c->g;
	_cleanup_(gn_strv_freep) char **parts = guestfs_list_partitions(g);
	_cleanup_(gn_strv_freep) char **lvs = NULL;
	bool lvm = false;

	for (char **p = parts; p && *p; p++) {
		struct vm *vm = vm_of_disk(vms, n, device_disk(g, *p));
		if (vm)
			probe_volume(c, vm, *p, &lvm);
	}
	/* whole disks without a partition table (a disk holding one has it as its first
	 * partition's prefix, /dev/sda of /dev/sda1) */
	for (int i = 0; i < c->ndisks; i++) {
		struct vm *vm = vm_of_disk(vms, n, i);
		char dev[32];
		size_t len;
		bool parted = false;

		disk_name(i, dev, sizeof(dev));
		len = strlen(dev);
		for (char **p = parts; p && *p && !parted; p++)
			parted = strncmp(*p, dev, len) == 0 && (*p)[len] >= '0' && (*p)[len] <= '9';
		if (vm && !parted)
			probe_volume(c, vm, dev, &lvm);
	}
	if (lvm)
		lvs = guestfs_lvs(g);
	for (char **d = lvs; d && *d; d++) {
		struct vm *vm = vm_of_disk(vms, n, device_disk(g, *d));
		if (vm)
			probe_volume(c, vm, *d, &lvm);
	}
}

/* Private files: a 0600 file made empty in our 0700 folder, for guestfs_download to fill. */
static int private_file(struct ctx *c, const char *stem, char *path, size_t size)
{
	int fd;

	snprintf(path, size, "%s/%s-%u", c->tmp, stem, c->serial++);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/*
 * Copy the SYSTEM hive at path of the mounted root i into a private file, and note its time: the
 * hive is read on the host (see the top of this file), and the newest of several installations
 * is the one that ran last.  A failure is kept as the root's error.
 */
static void fetch_hive(struct ctx *c, struct vm *vm, size_t i, const char *path)
{
	struct guestfs_statns *st = guestfs_statns(c->g, path);
	char local[300];
	int r;

	if (!st) {
		set_text(&vm->hive_error[i], "%s on %s: %s", path, vm->roots[i], guestfs_error(c->g));
		return;
	}
	/* NTFS keeps 100 ns: two hives written in the same second are still ordered */
	vm->hive_mtime[i] = st->st_mtime_sec * 1000000000 + st->st_mtime_nsec;
	if (st->st_size > GN_MAX_HIVE_BYTES)
		set_text(&vm->hive_error[i], "%s on %s is larger than the %u-byte limit for a hive",
			 path, vm->roots[i], GN_MAX_HIVE_BYTES);
	else if ((r = private_file(c, "SYSTEM", local, sizeof(local))) < 0)
		set_text(&vm->hive_error[i], "cannot create a temporary file in '%s': %s", c->tmp,
			 strerror(-r));
	else if (guestfs_download(c->g, path, local) < 0) {
		set_text(&vm->hive_error[i], "cannot read %s on %s: %s", path, vm->roots[i],
			 guestfs_error(c->g));
		unlink(local);
	} else {
		vm->hive[i] = strdup(local);
		vm->hive_path[i] = strdup(path);
	}
	guestfs_free_statns(st);
}

/* A root libguestfs inspection found: mount it and fetch its hive. */
static void fetch_inspected_hive(struct ctx *c, struct vm *vm, size_t i)
{
	_cleanup_free_ char *sysroot = guestfs_inspect_get_windows_systemroot(c->g, vm->roots[i]);
	_cleanup_free_ char *real = NULL;
	char path[512];

	guestfs_umount_all(c->g);
	if (guestfs_mount_ro(c->g, vm->roots[i], "/") < 0) {
		set_text(&vm->hive_error[i], "file system %s could not be mounted: %s", vm->roots[i],
			 guestfs_error(c->g));
		return;
	}
	snprintf(path, sizeof(path), "%s/system32/config/system", sysroot ? sysroot : "/windows");
	real = guestfs_case_sensitive_path(c->g, path);
	if (real && guestfs_is_file(c->g, real) > 0)
		fetch_hive(c, vm, i, real);
	else
		set_text(&vm->hive_error[i], "no Windows SYSTEM hive on %s", vm->roots[i]);
	guestfs_umount_all(c->g);
}

/* Of several Windows roots, the one whose SYSTEM hive was written last. */
static size_t newest_windows_root(struct vm *vm)
{
	size_t best = 0;
	int64_t best_mtime = INT64_MIN;

	for (size_t i = 0; i < vm->nroots; i++)
		if (vm->hive[i] && vm->hive_mtime[i] > best_mtime) {
			best = i;
			best_mtime = vm->hive_mtime[i];
		}
	return best;
}

static int read_windows(struct ctx *c, struct vm *vm, size_t i, gn_error *err)
{
	gn_collect_options co = { c->opt->collected, vm->images_text, vm->spec->name };
	int r;

	if (!vm->hive[i])
		return gn_error_set(err, -EBADMSG, "%s", vm->hive_error[i] ? vm->hive_error[i] :
				    "its SYSTEM hive could not be read");
	r = gn_hive_read(c->s, vm->hive[i], &co, err);
	if (r < 0) {
		/* the message names our temporary file: name the hive in the guest instead */
		char *tail = strstr(err->msg, "': ");
		gn_error_set(err, r, "%s on %s: %s", vm->hive_path[i], vm->roots[i],
			     tail ? tail + 3 : err->msg);
	}
	return r;
}

/* mkdir -p of the folders of path (below c->tmp), mode 0700, never through a symlink. */
static int make_parents(char *path)
{
	for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		struct stat st;

		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
			*p = '/';
			return -ENOTDIR;
		}
		*p = '/';
	}
	return 0;
}

/* Copy one guest file (symlinks resolved inside the guest) to the same path below root. */
static void copy_out_file(struct ctx *c, struct vm *vm, const char *root, const char *gpath,
			  unsigned *count)
{
	_cleanup_free_ char *real = guestfs_realpath(c->g, gpath), *data = NULL;
	char local[1024];
	size_t len;
	int64_t size;
	int fd;

	if (!real || guestfs_is_file(c->g, real) <= 0)
		return;
	if (++*count > GN_MAX_CONFIG_FILES) {
		if (*count == GN_MAX_CONFIG_FILES + 1)
			note(vm, "more than %d configuration files; the rest were not read",
			     GN_MAX_CONFIG_FILES);
		return;
	}
	size = guestfs_filesize(c->g, real);
	if (size < 0 || size > GN_MAX_CONFIG_FILE_BYTES) {
		note(vm, "'%s' was not read: %s", gpath, size < 0 ? guestfs_error(c->g) :
			 "larger than GN_MAX_CONFIG_FILE_BYTES");
		return;
	}
	data = guestfs_read_file(c->g, real, &len);
	if (!data) {
		note(vm, "'%s' could not be read: %s", gpath, guestfs_error(c->g));
		return;
	}
	if (snprintf(local, sizeof(local), "%s%s", root, gpath) >= (int)sizeof(local) ||
	    make_parents(local) < 0)
		return;
	fd = open(local, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, data, len) != (ssize_t)len)
		note(vm, "'%s' could not be copied: %s", gpath, strerror(errno));
	close(fd);
}

/* Copy out what the Linux collector reads: files, and the regular files of folders. */
static void copy_out(struct ctx *c, struct vm *vm, const char *root)
{
	unsigned count = 0;

	for (size_t i = 0; gn_linux_config_paths[i]; i++) {
		const char *p = gn_linux_config_paths[i];
		_cleanup_(gn_strv_freep) char **names = NULL;

		if (guestfs_is_dir_opts(c->g, p, GUESTFS_IS_DIR_OPTS_FOLLOWSYMLINKS, 1, -1) <= 0) {
			copy_out_file(c, vm, root, p, &count);
			continue;
		}
		names = guestfs_ls(c->g, p);
		for (size_t j = 0; names && names[j]; j++) {
			char path[1024];

			if (strchr(names[j], '/') || strcmp(names[j], ".") == 0 ||
			    strcmp(names[j], "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", p, names[j]);
			copy_out_file(c, vm, root, path, &count);
		}
	}
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Remove a folder tree of ours, depth first, never following a link. */
static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Mount a Linux root's file systems read-only, as its fstab says, shortest mount point first.
 * An fstab that names devices (/dev/sda1) rather than UUIDs or labels names them as the guest
 * saw them, not as the appliance sees a batch of VMs: a device of another VM is never mounted.
 */
static void mount_linux(struct ctx *c, struct vm *vm, const char *root)
{
	_cleanup_(gn_strv_freep) char **mps = guestfs_inspect_get_mountpoints(c->g, root);
	bool root_mounted = false;
	size_t n = 0;

	guestfs_umount_all(c->g);
	while (mps && mps[n] && mps[n + 1])
		n += 2;
	for (size_t len = 1; len < 4096; len++)
		for (size_t i = 0; i < n; i += 2) {
			const char *mp = mps[i], *dev = strcmp(mps[i], "/") == 0 ? root : mps[i + 1];

			if (strlen(mp) != len)
				continue;
			if (vm_of_disk(c->vms, c->nvms, device_disk(c->g, dev)) != vm) {
				note(vm, "its fstab mounts %s on %s, a disk that is not one of this VM's; "
				     "not mounted", mps[i + 1], mp);
				continue;
			}
			if (guestfs_mount_ro(c->g, dev, mp) < 0)
				note(vm, "file system %s could not be mounted on %s: %s", dev, mp,
				     guestfs_error(c->g));
			else if (len == 1)
				root_mounted = true;
		}
	if (!root_mounted && guestfs_mount_ro(c->g, root, "/") < 0)
		note(vm, "file system %s could not be mounted: %s", root, guestfs_error(c->g));
}

static int read_linux(struct ctx *c, struct vm *vm, const char *root, bool inspected,
		      gn_error *err)
{
	gn_collect_options co = { c->opt->collected, vm->images_text, vm->spec->name };
	char dir[300];
	int r;

	snprintf(dir, sizeof(dir), "%s/root-%u", c->tmp, c->serial++);
	if (mkdir(dir, 0700) < 0)
		return gn_error_set(err, -errno, "cannot create '%s': %s", dir, strerror(errno));
	if (inspected)
		mount_linux(c, vm, root);
	else {
		/* found by our probe: /etc and what the collector reads are on the root itself */
		guestfs_umount_all(c->g);
		if (guestfs_mount_ro(c->g, root, "/") < 0)
			return gn_error_set(err, -EIO, "file system %s could not be mounted: %s", root,
					    guestfs_error(c->g));
	}
	copy_out(c, vm, dir);
	r = gn_linux_read(c->s, dir, &co, err);
	remove_tree(dir);
	return r;
}

/* Read one VM whose roots are known; its guest or its failure goes into c->s. */
static void read_vm(struct ctx *c, struct vm *vm)
{
	size_t before = c->s->guests.n, pick = 0;
	gn_error err = { "" };
	_cleanup_free_ char *type = NULL;
	int r;

	for (size_t i = 0; i < vm->nroots; i++)
		if (vm->kinds[i] == ROOT_INSPECTED) {
			_cleanup_free_ char *t = guestfs_inspect_get_type(c->g, vm->roots[i]);
			if (t && strcmp(t, "windows") == 0)
				fetch_inspected_hive(c, vm, i);
		}
	pick = newest_windows_root(vm);
	if (vm->nroots && vm->kinds[pick] == ROOT_INSPECTED)
		type = guestfs_inspect_get_type(c->g, vm->roots[pick]);
	else if (vm->nroots)
		type = strdup(vm->kinds[pick] == ROOT_WINDOWS ? "windows" : "linux");
	if (vm->nroots == 0) {
		char reasons[GN_MAX_ERROR] = "";
		for (size_t i = 0; i < vm->nreasons; i++)
			snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons), "; %s",
				 vm->reasons[i]);
		gn_error_set(&err, -EBADMSG, "no operating system found on its disks%s", reasons);
		r = -EBADMSG;
	} else if (!type)
		r = gn_error_set(&err, -EIO, "%s: %s", vm->roots[pick], guestfs_error(c->g));
	else if (strcmp(type, "windows") == 0)
		r = read_windows(c, vm, pick, &err);
	else if (strcmp(type, "linux") == 0)
		r = read_linux(c, vm, vm->roots[pick], vm->kinds[pick] == ROOT_INSPECTED, &err);
	else
		r = gn_error_set(&err, -EBADMSG, "%s on %s is not supported (Windows and Linux are)",
				 type, vm->roots[pick]);
	guestfs_umount_all(c->g);

	if (r < 0 || c->s->guests.n == before) {
		gn_settings_add_failure(c->s, vm->spec->name, vm->images_text, err.msg);
		return;
	}
	struct gn_guest *g = c->s->guests.v[c->s->guests.n - 1];
	for (size_t i = 0; i < vm->nroots; i++)
		if (i != pick)
			gn_guest_warn(g, "another operating system is installed on %s; this document is of "
				      "the one on %s%s", vm->roots[i], vm->roots[pick],
				      vm->nroots > 1 ? " (its SYSTEM hive was written last)" : "");
	for (size_t i = 0; i < vm->nnotes; i++)
		gn_guest_warn(g, "%s", vm->notes[i]);
}

/* One launch: add the VMs' disks, launch, find systems, read each VM. */
static int inspect_launch(struct ctx *c, struct vm *vms, size_t n, gn_error *err)
{
	_cleanup_(gn_strv_freep) char **roots = NULL;
	int disks = 0, nvms = 0;

	c->vms = vms;
	c->nvms = n;
	c->g = guestfs_create();
	if (!c->g)
		return gn_error_set(err, -ENODEV, "cannot create a libguestfs handle");
	/* the library never prints: errors are read with guestfs_last_error */
	guestfs_set_error_handler(c->g, NULL, NULL);
	/* every disk is read-only: nothing to sync at the end */
	guestfs_set_autosync(c->g, 0);
	for (size_t i = 0; i < n; i++) {
		size_t d;

		if (vms[i].refused)
			continue;
		vms[i].first = disks;
		for (d = 0; d < vms[i].ndisks; d++) {
			struct gn_image *img = &vms[i].images[d];
			const char *const *overlays = vms[i].spec->overlays;
			const char *file = overlays && overlays[d] ? overlays[d] : img->path;

			if (guestfs_add_drive_opts(c->g, file, GUESTFS_ADD_DRIVE_OPTS_READONLY, 1,
						   GUESTFS_ADD_DRIVE_OPTS_FORMAT,
						   gn_image_format_name(img->format), -1) < 0) {
				vms[i].first = -1;
				if (asprintf(&vms[i].refused, "'%s': %s", img->path, guestfs_error(c->g)) < 0)
					vms[i].refused = NULL;
				break;
			}
		}
		/* the disks added before a refused one stay in the handle, unread, and keep their
		 * places in the numbering */
		disks += (int)d;
		if (vms[i].first >= 0)
			nvms++;
	}
	c->ndisks = disks;
	if (disks == 0)
		goto read;

	progress(c, "starting the libguestfs appliance for %d disk%s of %d VM%s", disks,
		 disks == 1 ? "" : "s", nvms, nvms == 1 ? "" : "s");
	if (guestfs_launch(c->g) < 0) {
		gn_error_set(err, -ENODEV, "the libguestfs appliance could not start: %s (run "
			     "'libguestfs-test-tool' to see why; where KVM is not available, set "
			     "LIBGUESTFS_BACKEND_SETTINGS=force_tcg)", guestfs_error(c->g));
		guestfs_close(c->g);
		c->g = NULL;
		return -ENODEV;
	}

	progress(c, "looking for operating systems");
	probe_systems(c, vms, n);
	for (size_t i = 0; i < n; i++)
		if (vms[i].first >= 0 && vms[i].nroots == 0) {
			roots = guestfs_inspect_os(c->g);
			break;
		}
	for (size_t i = 0; roots && roots[i]; i++) {
		struct vm *vm = vm_of_disk(vms, n, device_disk(c->g, roots[i]));
		if (vm && (vm->nroots == 0 || vm->kinds[0] == ROOT_INSPECTED))
			add_root(vm, roots[i], ROOT_INSPECTED);
	}

read:
	for (size_t i = 0, k = 0; i < n; i++) {
		if (vms[i].first < 0) {
			gn_settings_add_failure(c->s, vms[i].spec->name, vms[i].images_text,
						vms[i].refused ? vms[i].refused : "not inspected");
			continue;
		}
		progress(c, "reading VM %zu of %d: %s", ++k, nvms,
			 vms[i].spec->name ? vms[i].spec->name : vms[i].images_text);
		read_vm(c, &vms[i]);
	}
	guestfs_shutdown(c->g);
	guestfs_close(c->g);
	c->g = NULL;
	return 0;
}

/* The VM (not yet refused) one of whose images msg names: refuse it with msg.  True if found. */
static bool refuse_named_vm(struct vm *vms, size_t n, const char *msg)
{
	for (size_t i = 0; i < n; i++)
		for (size_t d = 0; !vms[i].refused && d < vms[i].ndisks; d++)
			if (strstr(msg, vms[i].images[d].path)) {
				vms[i].refused = strdup(msg);
				vms[i].first = -1;
				return true;
			}
	return false;
}

int gn_inspect(gn_settings *s, const struct gn_vm *vms, size_t n,
	       const struct gn_inspect_options *opt, gn_error *err)
{
	struct ctx c = { .s = s, .opt = opt };
	struct vm *vm = calloc(n ? n : 1, sizeof(*vm));
	size_t failed_before = s->failures.n;
	int r = 0;

	if (!vm)
		return gn_error_set(err, -ENOMEM, "out of memory");
	snprintf(c.tmp, sizeof(c.tmp), "%s/guestnet.XXXXXX", opt->tmpdir ? opt->tmpdir : "/tmp");
	if (!mkdtemp(c.tmp)) {
		r = gn_error_set(err, -errno, "cannot create a private folder in '%s': %s",
				 opt->tmpdir ? opt->tmpdir : "/tmp", strerror(errno));
		free(vm);
		return r;
	}

	for (size_t i = 0; i < n && r >= 0; i++)
		r = vm_prepare(&vm[i], &vms[i], opt);

	/* launches of at most GN_INSPECT_MAX_DISKS disks, VMs in order */
	for (size_t start = 0; r >= 0 && start < n;) {
		size_t end = start, disks = 0;
		while (end < n && (end == start || disks + vm[end].ndisks <= GN_INSPECT_MAX_DISKS))
			disks += vm[end++].ndisks;
		r = inspect_launch(&c, vm + start, end - start, err);
		/* qemu refused one image (it names it) though the appliance can start: leave that
		 * VM out and launch again, rather than lose the batch */
		if (r == -ENODEV && refuse_named_vm(vm + start, end - start, err->msg)) {
			r = 0;
			continue;
		}
		start = end;
	}

	for (size_t i = 0; i < n; i++)
		vm_release(&vm[i]);
	free(vm);
	rmdir(c.tmp);
	return r < 0 ? r : (int)(s->failures.n - failed_before);
}
