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
 * Finding the system: libguestfs inspection (guestfs_inspect_os) where it works; where it finds
 * nothing (a Windows volume without a SOFTWARE hive, unusual layouts), every file system of the
 * VM is probed for Windows/System32/config/SYSTEM, without regard to case.  A VM with two
 * Windows installations is read from the one whose SYSTEM hive was written last (the one that
 * ran last), with a warning naming the other.
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

struct vm {
	const struct gn_vm *spec;
	struct gn_image *images;
	size_t ndisks;
	int first;                 /* index of its first disk in the launch, -1: not added */
	char *images_text;         /* "disk1,disk2" for source/@image */
	char *refused;             /* why the VM was not added, or NULL */
	char *roots[GN_INSPECT_MAX_ROOTS];
	size_t nroots;
	bool inspected;            /* libguestfs inspection found its roots */
	char *notes[VM_MAX_NOTES]; /* warnings for the guest, or reasons when it fails */
	size_t nnotes;
};

struct ctx {
	guestfs_h *g;
	gn_settings *s;
	const struct gn_inspect_options *opt;
	struct vm *vms;            /* the VMs of this launch */
	size_t nvms;
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

static void note(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct vm *vm, const char *fmt, ...)
{
	char *s;
	va_list ap;

	if (vm->nnotes == VM_MAX_NOTES)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) >= 0)
		vm->notes[vm->nnotes++] = s;
	va_end(ap);
}

static const char *guestfs_error(guestfs_h *g)
{
	const char *e = guestfs_last_error(g);
	return e ? e : "unknown error";
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static void strv_freep(char ***v)
{
	strv_free(*v);
}

static void vm_release(struct vm *vm)
{
	for (size_t i = 0; i < vm->ndisks; i++)
		gn_image_release(&vm->images[i]);
	free(vm->images);
	free(vm->images_text);
	free(vm->refused);
	for (size_t i = 0; i < vm->nroots; i++)
		free(vm->roots[i]);
	for (size_t i = 0; i < vm->nnotes; i++)
		free(vm->notes[i]);
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
		int r = gn_image_probe(spec->disks[i], opt->format, opt->backing_dir, &vm->images[i], &err);

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
	_cleanup_(strv_freep) char **pvuuids = NULL, **pvs = NULL;
	char vg[256];

	if (strncmp(dev, "/dev/sd", 7) == 0 || strncmp(dev, "/dev/vd", 7) == 0) {
		whole = guestfs_part_to_dev(g, dev);
		return guestfs_device_index(g, whole ? whole : dev);
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

static struct vm *vm_of_disk(struct vm *vms, size_t n, int disk)
{
	for (size_t i = 0; disk >= 0 && i < n; i++)
		if (vms[i].first >= 0 && disk >= vms[i].first && disk < vms[i].first + (int)vms[i].ndisks)
			return &vms[i];
	return NULL;
}

static void add_root(struct vm *vm, const char *root)
{
	if (vm->nroots < GN_INSPECT_MAX_ROOTS)
		vm->roots[vm->nroots++] = strdup(root);
}

/* Mount dev read-only at / and say whether it holds Windows\System32\config\SYSTEM (any case). */
static bool has_windows_hive(guestfs_h *g, const char *dev, struct vm *vm)
{
	_cleanup_free_ char *path = NULL;

	guestfs_umount_all(g);
	if (guestfs_mount_ro(g, dev, "/") < 0) {
		note(vm, "file system %s could not be mounted: %s", dev, guestfs_error(g));
		return false;
	}
	path = guestfs_case_sensitive_path(g, "/windows/system32/config/system");
	return path && guestfs_is_file(g, path) > 0;
}

/*
 * Where libguestfs inspection found no system: probe the VM's file systems for a Windows hive,
 * and say why the others could not be read (damaged, encrypted), for the VM's error.
 */
static void probe_filesystems(guestfs_h *g, struct vm *vms, size_t n)
{
	_cleanup_(strv_freep) char **fs = guestfs_list_filesystems(g);
	_cleanup_(strv_freep) char **parts = guestfs_list_partitions(g);
	_cleanup_(strv_freep) char **devs = guestfs_list_devices(g);

	for (size_t i = 0; fs && fs[i] && fs[i + 1]; i += 2) {
		struct vm *vm = vm_of_disk(vms, n, device_disk(g, fs[i]));

		if (!vm || vm->inspected || strcmp(fs[i + 1], "swap") == 0)
			continue;
		if (strcmp(fs[i + 1], "unknown") == 0)
			note(vm, "no file system could be recognised on %s (damaged?)", fs[i]);
		else if (has_windows_hive(g, fs[i], vm))
			add_root(vm, fs[i]);
	}
	guestfs_umount_all(g);

	/* libguestfs does not list encrypted volumes among file systems */
	for (int pass = 0; pass < 2; pass++)
		for (char **d = pass ? devs : parts; d && *d; d++) {
			struct vm *vm = vm_of_disk(vms, n, device_disk(g, *d));
			_cleanup_free_ char *type = NULL;

			if (!vm || vm->nroots)
				continue;
			type = guestfs_vfs_type(g, *d);
			if (type && (strcmp(type, "crypto_LUKS") == 0 || strcmp(type, "BitLocker") == 0))
				note(vm, "%s is an encrypted volume (%s), which cannot be read", *d, type);
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

/* Mount a Windows root read-only; the path of its SYSTEM hive, or NULL. */
static char *windows_hive_path(guestfs_h *g, const char *root)
{
	_cleanup_free_ char *sysroot = NULL;
	char path[512];

	guestfs_umount_all(g);
	if (guestfs_mount_ro(g, root, "/") < 0)
		return NULL;
	sysroot = guestfs_inspect_get_windows_systemroot(g, root);
	snprintf(path, sizeof(path), "%s/system32/config/system", sysroot ? sysroot : "/windows");
	char *real = guestfs_case_sensitive_path(g, path);
	if (real && guestfs_is_file(g, real) <= 0) {
		free(real);
		return NULL;
	}
	return real;
}

/* Of several Windows roots, the one whose SYSTEM hive was written last. */
static size_t newest_windows_root(struct ctx *c, struct vm *vm)
{
	size_t best = 0;
	int64_t best_mtime = INT64_MIN;

	for (size_t i = 0; i < vm->nroots; i++) {
		_cleanup_free_ char *hive = windows_hive_path(c->g, vm->roots[i]);
		struct guestfs_statns *st = hive ? guestfs_statns(c->g, hive) : NULL;

		if (st && st->st_mtime_sec > best_mtime) {
			best = i;
			best_mtime = st->st_mtime_sec;
		}
		guestfs_free_statns(st);
	}
	return best;
}

static int read_windows(struct ctx *c, struct vm *vm, const char *root, gn_error *err)
{
	_cleanup_free_ char *hive = windows_hive_path(c->g, root);
	gn_collect_options co = { c->opt->collected, vm->images_text, vm->spec->name };
	char local[300];
	int64_t size;
	int r;

	if (!hive)
		return gn_error_set(err, -EBADMSG, "no Windows SYSTEM hive on %s: %s", root,
				    guestfs_error(c->g));
	size = guestfs_filesize(c->g, hive);
	if (size < 0)
		return gn_error_set(err, -EIO, "%s on %s: %s", hive, root, guestfs_error(c->g));
	if (size > GN_MAX_HIVE_BYTES)
		return gn_error_set(err, -E2BIG, "%s on %s is larger than the %u-byte limit for a hive",
				    hive, root, GN_MAX_HIVE_BYTES);
	r = private_file(c, "SYSTEM", local, sizeof(local));
	if (r < 0)
		return gn_error_set(err, r, "cannot create a temporary file in '%s': %s", c->tmp,
				    strerror(-r));
	if (guestfs_download(c->g, hive, local) < 0) {
		unlink(local);
		return gn_error_set(err, -EIO, "cannot read %s on %s: %s", hive, root, guestfs_error(c->g));
	}
	r = gn_hive_read(c->s, local, &co, err);
	unlink(local);
	if (r < 0) {
		/* the message names our temporary file: name the hive in the guest instead */
		char *tail = strstr(err->msg, "': ");
		gn_error_set(err, r, "%s on %s: %s", hive, root, tail ? tail + 3 : err->msg);
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
		_cleanup_(strv_freep) char **names = NULL;

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
	_cleanup_(strv_freep) char **mps = guestfs_inspect_get_mountpoints(c->g, root);
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

static int read_linux(struct ctx *c, struct vm *vm, const char *root, gn_error *err)
{
	gn_collect_options co = { c->opt->collected, vm->images_text, vm->spec->name };
	char dir[300];
	int r;

	snprintf(dir, sizeof(dir), "%s/root-%u", c->tmp, c->serial++);
	if (mkdir(dir, 0700) < 0)
		return gn_error_set(err, -errno, "cannot create '%s': %s", dir, strerror(errno));
	mount_linux(c, vm, root);
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

	if (vm->nroots > 1)
		pick = newest_windows_root(c, vm);
	if (vm->nroots)
		type = guestfs_inspect_get_type(c->g, vm->roots[pick]);
	if (vm->nroots == 0) {
		char reasons[GN_MAX_ERROR] = "";
		for (size_t i = 0; i < vm->nnotes; i++)
			snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons), "; %s",
				 vm->notes[i]);
		gn_error_set(&err, -EBADMSG, "no operating system found on its disks%s", reasons);
		r = -EBADMSG;
	} else if (!type || strcmp(type, "windows") == 0 || strcmp(type, "unknown") == 0)
		r = read_windows(c, vm, vm->roots[pick], &err);  /* a root our probe found */
	else if (strcmp(type, "linux") == 0)
		r = read_linux(c, vm, vm->roots[pick], &err);
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
	_cleanup_(strv_freep) char **roots = NULL;
	int disks = 0, nvms = 0;

	c->vms = vms;
	c->nvms = n;
	c->g = guestfs_create();
	if (!c->g)
		return gn_error_set(err, -ENODEV, "cannot create a libguestfs handle");
	/* the library never prints: errors are read with guestfs_last_error */
	guestfs_set_error_handler(c->g, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		if (vms[i].refused)
			continue;
		vms[i].first = disks;
		for (size_t d = 0; d < vms[i].ndisks; d++) {
			struct gn_image *img = &vms[i].images[d];
			if (guestfs_add_drive_opts(c->g, img->path, GUESTFS_ADD_DRIVE_OPTS_READONLY, 1,
						   GUESTFS_ADD_DRIVE_OPTS_FORMAT,
						   gn_image_format_name(img->format), -1) < 0) {
				vms[i].first = -1;
				if (asprintf(&vms[i].refused, "'%s': %s", img->path, guestfs_error(c->g)) < 0)
					vms[i].refused = NULL;
				break;
			}
		}
		if (vms[i].first >= 0) {
			disks += (int)vms[i].ndisks;
			nvms++;
		}
	}
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
	roots = guestfs_inspect_os(c->g);
	for (size_t i = 0; roots && roots[i]; i++) {
		struct vm *vm = vm_of_disk(vms, n, device_disk(c->g, roots[i]));
		if (vm) {
			add_root(vm, roots[i]);
			vm->inspected = true;
		}
	}
	probe_filesystems(c->g, vms, n);

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
