/*
 * cmd-hive.c: guestnet hive [-o OUT] [--name NAME] SYSTEM...
 *
 * One <guest> per hive file.  A hive that cannot be read is reported on standard error and as an
 * <error> of the document; the others are still written, and the exit status is then 1 (or the
 * hive's own status when every hive failed).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cleanup.h"
#include "model.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: guestnet hive [-o OUT] [--name NAME] SYSTEM...\n"
		   "  -o, --output OUT  write the settings document to OUT (atomically)\n"
		   "  -n, --name NAME   the VM's inventory name (guest/@name); one hive only\n");
}

int cmd_hive(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	const char *out = NULL, *name = NULL;
	int c, failed = 0, status = 0;

	while ((c = getopt_long(argc, argv, "+o:n:h", opts, NULL)) != -1)
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	if (optind >= argc || (name && argc - optind > 1)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (gn_settings_new(&s) < 0) {
		cli_error("out of memory");
		return EXIT_IOERR;
	}

	gn_collect_options opt = { .collected = cli_collected_time(), .name = name };
	for (int i = optind; i < argc; i++) {
		gn_error err = { "" };
		int r = gn_hive_read(s, argv[i], &opt, &err);

		if (r < 0) {
			cli_error("%s", err.msg);
			gn_settings_add_failure(s, name, argv[i], err.msg);
			status = cli_exit_status(r);
			failed++;
		}
	}
	c = cli_write_settings(s, out);
	if (c)
		return c;
	if (failed == argc - optind)
		return status;
	return failed ? EXIT_PARTIAL : 0;
}
