/*
 * cmd-export.c: guestnet export [-o OUT] [-q] BACKUP...
 *
 * The settings of each backup's VM, for a replica created from the backup: the settings
 * recorded with it (guestnet record) when they still belong to its images, checksums compared;
 * otherwise the images are inspected, every such backup in one libguestfs appliance launch (an
 * OVA's disks read in place, inplace.h).  Each guest says source kind "backup" with the kind
 * that collected it as origin; standard error says which was done for each backup, and why.
 * From an OVF descriptor: the VM's name, and each NIC's network joined to the guest's
 * interfaces by MAC.  A backup that cannot be read is an <error> of the document.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "cleanup.h"
#include "cli.h"
#include "inspect.h"
#include "model.h"
#include "inplace.h"

struct item {
	const char *arg;
	struct gn_backup *b;
	gn_settings *recorded;     /* the record, when it matches */
	char why[GN_MAX_ERROR];    /* why the images are inspected, for a warning */
	char key[32];              /* its name during inspection, unique */
	const char **disks;
	const char **formats;      /* as the backup's probe decided them */
	char **overlays;           /* an OVA's disks, read in place */
	size_t ndisks;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: guestnet export [-o OUT] [-q] BACKUP...\n"
		   "  BACKUP          a backup folder, an OVA or OVF, or one disk image\n"
		   "  -o, --output OUT  write the settings document to OUT (atomically)\n"
		   "  -q, --quiet     no message per backup\n");
}

/* What the backup adds to its guest: source kind backup, the OVF's name and networks, notes. */
static void annotate(struct gn_guest *g, const struct gn_backup *b, const char *why)
{
	for (size_t i = 0; i < g->sources.n; i++)
		if (g->sources.v[i].kind != GN_SOURCE_BACKUP) {
			g->sources.v[i].origin = g->sources.v[i].kind;
			g->sources.v[i].kind = GN_SOURCE_BACKUP;
		}
	if ((b->ovf && b->ovf->name && gn_set_string(&g->name, b->ovf->name) < 0) ||
	    (!g->name && gn_set_string(&g->name, b->name) < 0))
		gn_guest_warn(g, "the backup's name is not valid text: the guest has none");
	for (size_t i = 0; b->ovf && i < b->ovf->nics.n; i++) {
		const struct gn_ovf_nic *nic = &b->ovf->nics.v[i];
		struct gn_interface *found = NULL;

		if (!nic->mac || !nic->network)
			continue;
		for (size_t j = 0; j < g->interfaces.n && !found; j++) {
			struct gn_interface *ifc = g->interfaces.v[j];

			if ((ifc->mac && strcmp(ifc->mac, nic->mac) == 0) ||
			    (ifc->permanent_mac && strcmp(ifc->permanent_mac, nic->mac) == 0))
				found = ifc;
		}
		if (found && !found->network)
			gn_set_string(&found->network, nic->network);
		else if (!found)
			gn_guest_warn(g, "the OVF descriptor's NIC %s on network '%s' matches no "
				      "interface of the guest", nic->mac, nic->network);
	}
	for (size_t i = 0; i < b->notes.n; i++)
		gn_guest_warn(g, "%s", b->notes.v[i]);
	if (why && why[0])
		gn_guest_warn(g, "%s", why);
}

/* The record of it->b, when there is one that still belongs to its images. */
static int check_record(struct item *it, bool quiet)
{
	const struct gn_backup *b = it->b;
	gn_error err = { "" };
	char why[GN_MAX_ERROR] = "";
	int r;

	if (access(b->record, F_OK) < 0) {
		if (!quiet)
			fprintf(stderr, "%s: '%s': no recorded settings; inspecting its images\n",
				cli_name, it->arg);
		return 0;
	}
	r = gn_settings_read_file(b->record, &it->recorded, &err);
	if (r == 0 && (!it->recorded->record || it->recorded->guests.n != 1)) {
		snprintf(why, sizeof(why), "'%s' is not a record of one VM's settings", b->record);
		r = -EBADMSG;
	} else if (r < 0) {
		snprintf(why, sizeof(why), "%s", err.msg);
	} else {
		r = gn_backup_matches(b, it->recorded->record, why, sizeof(why), &err);
		if (r < 0) {
			cli_error("%s", err.msg);
			return r;
		}
		if (r == 1) {
			if (!quiet)
				fprintf(stderr, "%s: '%s': recorded settings (they match its %zu "
					"image%s)\n", cli_name, it->arg, b->files.n,
					b->files.n == 1 ? "" : "s");
			return 0;
		}
	}
	gn_settings_free(TAKE_PTR(it->recorded));
	snprintf(it->why, sizeof(it->why), "the recorded settings were not used: %s", why);
	if (!quiet)
		fprintf(stderr, "%s: '%s': %s; inspecting its images\n", cli_name, it->arg, it->why);
	return 0;
}

/* Disk names, and for an OVA the overlays reading its disks in place, of an item to inspect. */
static int prepare(struct item *it, const char *dir, unsigned *serial, gn_error *err)
{
	const struct gn_backup *b = it->b;

	it->ndisks = b->disks.n;
	it->disks = calloc(b->disks.n + 1, sizeof(*it->disks));
	it->overlays = calloc(b->disks.n + 1, sizeof(*it->overlays));
	it->formats = calloc(b->disks.n + 1, sizeof(*it->formats));
	if (!it->disks || !it->overlays || !it->formats)
		return gn_error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < b->disks.n; i++) {
		it->disks[i] = b->disks.v[i].name;
		it->formats[i] = gn_image_format_name(b->disks.v[i].image.format);
		if (b->kind != GN_BACKUP_OVA)
			continue;
		int r = gn_inplace_overlay(&b->disks.v[i], dir, (*serial)++, &it->overlays[i], err);
		if (r < 0)
			return r;
	}
	return 0;
}

static void item_release(struct item *it)
{
	for (size_t i = 0; it->overlays && i < it->ndisks; i++)
		if (it->overlays[i]) {
			unlink(it->overlays[i]);
			free(it->overlays[i]);
		}
	free(it->overlays);
	free(it->formats);
	free(it->disks);
	gn_settings_free(it->recorded);
	gn_backup_free(it->b);
}

/* Move guest i of src to the end of dst. */
static int take_guest(gn_settings *dst, gn_settings *src, size_t i)
{
	struct gn_guest **slot;
	int r = GN_ARRAY_PUSH(&dst->guests, GN_MAX_GUESTS, &slot);

	if (r < 0)
		return r;
	*slot = src->guests.v[i];
	src->guests.v[i] = NULL;
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	_cleanup_(gn_settings_freep) gn_settings *out = NULL, *inspected = NULL;
	struct gn_inspect_options opt = { .collected = cli_collected_time() };
	struct item *items = NULL;
	struct gn_vm *vms = NULL;
	char dir[4096];
	const char *path = NULL, *tmp = getenv("TMPDIR");
	size_t n, nvms = 0, failed = 0;
	unsigned serial = 0;
	int status = 0;  /* the inspection's, when it could not run */
	gn_error err = { "" };
	bool quiet = false, have_dir = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "+o:qh", opts, NULL)) != -1)
		switch (c) {
		case 'o':
			path = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	n = (size_t)(argc - optind);
	if (n > GN_MAX_GUESTS) {
		cli_error("more than %d backups", GN_MAX_GUESTS);
		return EXIT_USAGE;
	}
	items = calloc(n, sizeof(*items));
	vms = calloc(n, sizeof(*vms));
	if (!items || !vms || gn_settings_new(&out) < 0 || gn_settings_new(&inspected) < 0) {
		cli_error("out of memory");
		c = EXIT_IOERR;
		goto out;
	}

	for (size_t i = 0; i < n; i++) {
		struct item *it = &items[i];

		it->arg = argv[optind + i];
		r = gn_backup_open(it->arg, &it->b, &err);
		if (r == 0)
			r = check_record(it, quiet);
		if (r < 0) {
			if (!it->b)
				cli_error("%s", err.msg);
			snprintf(it->why, sizeof(it->why), "%s", err.msg);
			gn_backup_free(TAKE_PTR(it->b));
			continue;
		}
		if (it->recorded)
			continue;
		if (!have_dir) {
			/* private (0700): the overlays and the inspection's copies */
			snprintf(dir, sizeof(dir), "%s/guestnet-export.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
			if (!mkdtemp(dir)) {
				/* this backup fails, recorded ones are still written: exit 74 */
				snprintf(it->why, sizeof(it->why), "cannot make a private folder "
					 "'%.200s': %s", dir, strerror(errno));
				cli_error("%s", it->why);
				gn_backup_free(TAKE_PTR(it->b));
				status = EXIT_IOERR;
				continue;
			}
			have_dir = true;
		}
		r = prepare(it, dir, &serial, &err);
		if (r < 0) {
			/* this backup fails; the others go on */
			cli_error("%s", err.msg);
			item_release(it);
			*it = (struct item){ .arg = argv[optind + i] };
			snprintf(it->why, sizeof(it->why), "%s", err.msg);
			continue;
		}
		snprintf(it->key, sizeof(it->key), "backup %zu", i + 1);
		vms[nvms++] = (struct gn_vm){
			.name = it->key,
			.disks = it->disks,
			.backing_dir = it->b->dir,
			.overlays = (const char *const *)it->overlays,
			.formats = it->formats,
		};
	}

	if (nvms) {
		if (!quiet && isatty(STDERR_FILENO))
			opt.progress = cli_progress;
		opt.tmpdir = dir;
		r = gn_inspect(inspected, vms, nvms, &opt, &err);
		if (r < 0) {
			/* the recorded ones still come out; the others say why they do not */
			cli_error("%s", err.msg);
			status = cli_exit_status(r);
		}
	}

	/* the document in the order of the arguments */
	for (size_t i = 0; i < n; i++) {
		struct item *it = &items[i];
		gn_settings *from = it->recorded ? it->recorded : inspected;
		bool found = false;

		if (!it->b) {
			gn_settings_add_failure(out, NULL, it->arg, it->why);
			failed++;
			continue;
		}
		for (size_t j = 0; j < from->guests.n && !found; j++) {
			struct gn_guest *g = from->guests.v[j];

			if (!g || (!it->recorded && (!g->name || strcmp(g->name, it->key) != 0)))
				continue;
			if (!it->recorded)
				free(TAKE_PTR(g->name));  /* the key, not a name */
			annotate(g, it->b, it->why);
			r = take_guest(out, from, j);
			if (r < 0) {
				if (r == -ENOMEM)
					cli_error("out of memory");
				else
					cli_error("more than %d guests", GN_MAX_GUESTS);
				c = cli_exit_status(r);
				goto out;
			}
			found = true;
		}
		for (size_t j = 0; !found && j < inspected->failures.n; j++) {
			const struct gn_failure *f = &inspected->failures.v[j];

			if (f->name && strcmp(f->name, it->key) == 0) {
				cli_error("'%s': %s", it->arg, f->message);
				gn_settings_add_failure(out, it->b->name, it->arg, f->message);
				failed++;
				found = true;
			}
		}
		if (!found) {
			/* not inspected at all: the appliance did not start */
			gn_settings_add_failure(out, it->b->name, it->arg, err.msg);
			failed++;
		}
	}
	c = cli_write_settings(out, path);
	if (c == 0 && status)
		c = status;
	else if (c == 0 && failed)
		c = failed == n ? EXIT_DATAERR : EXIT_PARTIAL;
out:
	for (size_t i = 0; items && i < n; i++)
		item_release(&items[i]);
	if (have_dir)
		rmdir(dir);
	free(items);
	free(vms);
	return c;
}
