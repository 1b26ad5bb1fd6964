/*
 * cmd-inspect.c: guestnet inspect [-o OUT] [-q] [--format FMT] [--backing-dir DIR]
 *                                 [--name NAME] [--batch FILE] IMAGE[,IMAGE...]...
 *
 * Each argument is one VM, its disks separated by commas; --batch FILE lists more, one VM per
 * line: "NAME<TAB>DISK[,DISK...]" (a line without a tab has no name; '#' starts a comment).
 * All VMs are inspected in one libguestfs appliance launch.  A VM that cannot be inspected is
 * an <error> of the document and a line on standard error; the others still come out.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "cli.h"
#include "image.h"
#include "inspect.h"
#include "model.h"

/* A --batch file's lines and their length: one line per VM. */
#define BATCH_MAX_LINE 65536

struct vmlist {
	GN_ARRAY(struct gn_vm) v;
	GN_ARRAY(char *) owned;   /* strings the gn_vm entries point into */
};

static void usage(FILE *f)
{
	fprintf(f, "usage: guestnet inspect [-o OUT] [-q] [--format FMT] [--backing-dir DIR]\n"
		   "                        [--name NAME] [--batch FILE] IMAGE[,IMAGE...]...\n"
		   "  -o, --output OUT       write the settings document to OUT (atomically)\n"
		   "  -q, --quiet            no progress messages\n"
		   "  -f, --format FMT       the disks' format: raw, qcow2, vmdk, vhd (vpc), vhdx\n"
		   "                         (default: detected from the image, safely)\n"
		   "  --backing-dir DIR      follow backing files inside DIR (default: refuse them)\n"
		   "  -n, --name NAME        the VM's inventory name (guest/@name); one VM only\n"
		   "  -b, --batch FILE       VMs, one per line: NAME<TAB>DISK[,DISK...]\n");
}

/* Keep s (malloc'd) until the end and split it at commas into a NULL-terminated disk list. */
static int add_vm(struct vmlist *l, char *s, const char *name)
{
	char **slot, **disks;
	size_t n = 1;
	struct gn_vm *vm;

	if (GN_ARRAY_PUSH(&l->owned, GN_MAX_GUESTS * 2, &slot) < 0) {
		free(s);
		return -E2BIG;
	}
	*slot = s;
	for (char *p = s; *p; p++)
		n += *p == ',';
	disks = calloc(n + 1, sizeof(*disks));
	if (!disks || GN_ARRAY_PUSH(&l->owned, GN_MAX_GUESTS * 2, &slot) < 0) {
		free(disks);
		return -ENOMEM;
	}
	*slot = (char *)disks;
	n = 0;
	for (char *save = NULL, *d = strtok_r(s, ",", &save); d; d = strtok_r(NULL, ",", &save))
		disks[n++] = d;
	if (GN_ARRAY_PUSH(&l->v, GN_MAX_GUESTS, &vm) < 0)
		return -E2BIG;
	vm->name = name;
	vm->disks = (const char *const *)disks;
	return 0;
}

static int read_batch(struct vmlist *l, const char *path)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char line[BATCH_MAX_LINE];
	unsigned lineno = 0;

	if (!f) {
		cli_error("'%s': %s", path, strerror(errno));
		return EXIT_IOERR;
	}
	while (fgets(line, sizeof(line), f)) {
		char *tab, *name = NULL, *disks = line, **slot;
		size_t len = strlen(line);

		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			cli_error("'%s' line %u: longer than %d bytes", path, lineno, BATCH_MAX_LINE - 1);
			return EXIT_DATAERR;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		tab = strchr(line, '\t');
		if (tab) {
			*tab = '\0';
			disks = tab + 1;
			if (line[0]) {
				name = strdup(line);
				if (!name || GN_ARRAY_PUSH(&l->owned, GN_MAX_GUESTS * 2, &slot) < 0) {
					free(name);
					return EXIT_IOERR;
				}
				*slot = name;
			}
		}
		if (!disks[0] || strchr(disks, '\t')) {
			cli_error("'%s' line %u: expected NAME<TAB>DISK[,DISK...]", path, lineno);
			return EXIT_DATAERR;
		}
		char *copy = strdup(disks);
		if (!copy || add_vm(l, copy, name) < 0) {
			cli_error("'%s' line %u: more than %d VMs", path, lineno, GN_MAX_GUESTS);
			return EXIT_DATAERR;
		}
	}
	if (ferror(f)) {
		cli_error("'%s': %s", path, strerror(errno));
		return EXIT_IOERR;
	}
	return 0;
}

static void vmlist_release(struct vmlist *l)
{
	for (size_t i = 0; i < l->owned.n; i++)
		free(l->owned.v[i]);
	free(l->owned.v);
	free(l->v.v);
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "format", required_argument, NULL, 'f' },
		{ "backing-dir", required_argument, NULL, 'B' },
		{ "name", required_argument, NULL, 'n' },
		{ "batch", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	_cleanup_(vmlist_release) struct vmlist l = { 0 };
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_inspect_options opt = { .collected = cli_collected_time() };
	const char *out = NULL, *name = NULL, *batch = NULL;
	gn_error err = { "" };
	bool quiet = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "+o:qf:n:b:h", opts, NULL)) != -1)
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'f':
			opt.format = optarg;
			break;
		case 'B':
			opt.backing_dir = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'b':
			batch = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	if ((optind >= argc && !batch) || (name && (batch || argc - optind != 1))) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (opt.format && gn_image_format_from_name(opt.format) < 0) {
		cli_error("unknown format '%s' (raw, qcow2, vmdk, vhd, vhdx)", opt.format);
		return EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++) {
		char *copy = strdup(argv[i]);
		if (!copy || add_vm(&l, copy, name) < 0) {
			cli_error("out of memory");
			return EXIT_IOERR;
		}
	}
	if (batch && (r = read_batch(&l, batch)) != 0)
		return r;
	if (gn_settings_new(&s) < 0) {
		cli_error("out of memory");
		return EXIT_IOERR;
	}
	opt.tmpdir = getenv("TMPDIR");
	if (!quiet && isatty(STDERR_FILENO))
		opt.progress = cli_progress;

	r = gn_inspect(s, l.v.v, l.v.n, &opt, &err);
	if (r < 0) {
		cli_error("%s", err.msg);
		return cli_exit_status(r);
	}
	for (size_t i = 0; i < s->failures.n; i++) {
		const struct gn_failure *f = &s->failures.v[i];
		cli_error("%s%s%s'%s': %s", f->name ? "VM '" : "", f->name ? f->name : "",
			  f->name ? "' " : "", f->image ? f->image : "", f->message);
	}
	c = cli_write_settings(s, out);
	if (c)
		return c;
	if (r == 0)
		return 0;
	return (size_t)r == l.v.n ? EXIT_DATAERR : EXIT_PARTIAL;
}
