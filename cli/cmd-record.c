/*
 * cmd-record.c: guestnet record [-q] BACKUP SETTINGS...
 *
 * Store the settings collected when a backup was taken (by the agent, by inspection, or both)
 * with the backup: one settings document holding the VM's guest and a <backup> element with the
 * SHA-256 of every image the backup's state is read from, validated, then written atomically
 * beside the images (backup.h says where).  Given a runtime document and a registry or
 * config-files one, the guest recorded is their merge (merge.h: runtime wins field by field).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backup.h"
#include "cleanup.h"
#include "cli.h"
#include "merge.h"
#include "model.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: guestnet record [-q] BACKUP SETTINGS...\n"
		   "  BACKUP      a backup folder, an OVA or OVF, or one disk image\n"
		   "  SETTINGS    the VM's settings documents (guestnet-agent, guestnet inspect)\n"
		   "  -q, --quiet no message on success\n");
}

/* The one guest of a VM, from one or two documents; its index in *runtime / *other. */
static int pick(gn_settings *const *docs, char *const *paths, size_t n,
		const struct gn_guest **runtime, const struct gn_guest **other)
{
	for (size_t i = 0; i < n; i++) {
		if (docs[i]->guests.n != 1 || docs[i]->failures.n) {
			cli_error("'%s': holds %zu guests and %zu errors: a backup is of one VM, read "
				  "without error", paths[i], docs[i]->guests.n, docs[i]->failures.n);
			return EXIT_DATAERR;
		}
		if (docs[i]->record) {
			cli_error("'%s': already a recorded document", paths[i]);
			return EXIT_DATAERR;
		}
		const struct gn_guest *g = docs[i]->guests.v[0];
		const struct gn_guest **slot = gn_guest_source_kind(g) == GN_SOURCE_RUNTIME ?
			runtime : other;

		if (*slot) {
			cli_error("'%s': a second %s document: give at most one from the agent and one "
				  "from inspection", paths[i],
				  slot == runtime ? "runtime" : "registry or config-files");
			return EXIT_DATAERR;
		}
		*slot = g;
	}
	return 0;
}

int cmd_record(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	_cleanup_(gn_backup_freep) struct gn_backup *b = NULL;
	_cleanup_(gn_settings_freep) gn_settings *out = NULL, *check = NULL;
	_cleanup_free_ char *xml = NULL;
	gn_settings *docs[2] = { NULL, NULL };
	const struct gn_guest *runtime = NULL, *other = NULL;
	struct gn_record *rec = NULL;
	struct gn_guest *g;
	gn_error err = { "" };
	bool quiet = false;
	size_t len, n;
	int c, r;

	while ((c = getopt_long(argc, argv, "+qh", opts, NULL)) != -1)
		switch (c) {
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
	if (argc - optind < 2 || argc - optind > 3) {
		if (argc - optind > 3)
			cli_error("at most two settings documents: one from the agent, one from "
				  "inspection");
		usage(stderr);
		return EXIT_USAGE;
	}
	n = (size_t)(argc - optind - 1);
	r = gn_backup_open(argv[optind], &b, &err);
	if (r < 0) {
		cli_error("%s", err.msg);
		return cli_exit_status(r);
	}
	for (size_t i = 0; i < n; i++) {
		r = gn_settings_read_file(argv[optind + 1 + i], &docs[i], &err);
		if (r < 0) {
			cli_error("%s", err.msg);
			c = cli_exit_status(r);
			goto out;
		}
	}
	c = pick(docs, argv + optind + 1, n, &runtime, &other);
	if (c)
		goto out;

	/* one document is recorded as it is; two are merged into a new one */
	if (n == 1) {
		out = TAKE_PTR(docs[0]);
		r = 0;
	} else {
		r = gn_settings_new(&out);
		if (r == 0)
			r = gn_settings_add_merged_guest(out, runtime, other, &g, &err);
		else
			gn_error_set(&err, r, "out of memory");
	}
	if (r == 0) {
		r = gn_settings_set_record(out, b->kind, cli_collected_time(), &rec);
		if (r < 0)
			gn_error_set(&err, r, "cannot record: %s", strerror(-r));
	}
	if (r == 0)
		r = gn_backup_record_images(b, rec, &err);
	if (r == 0)
		r = gn_settings_to_xml(out, &xml, &len, &err);
	/* what is written is read back, schema and model checks included */
	if (r == 0)
		r = gn_settings_read_memory(xml, len, b->record, &check, &err);
	if (r < 0) {
		cli_error("%s", err.msg);
		c = cli_exit_status(r);
		goto out;
	}
	c = cli_output(b->record, xml, len);
	if (c == 0 && !quiet)
		fprintf(stderr, "%s: recorded the settings of '%s' for %zu image%s in '%s'\n",
			cli_name, b->name, rec->images.n, rec->images.n == 1 ? "" : "s", b->record);
out:
	gn_settings_free(docs[0]);
	gn_settings_free(docs[1]);
	return c;
}
