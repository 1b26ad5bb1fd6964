/*
 * cmd-map.c: guestnet map --site SITE [--mode failover|test|failback] [-o OUT] SETTINGS...
 *
 * Reads the site and every settings document, plans all their guests in one plan (map.h) and
 * writes it.  A settings file that cannot be read is said on standard error and left out, the
 * others are planned (exit 1); a site that cannot be read, or cannot give a plan of that mode
 * (failback over a mapping that is not one to one), is exit 65.
 */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "cli.h"
#include "map.h"

#define USAGE "usage: guestnet map --site SITE [--mode failover|test|failback] [-o OUT] SETTINGS...\n"

static void free_settings(gn_settings **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		gn_settings_free(v[i]);
	free(v);
}

int cmd_map(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	_cleanup_(gn_site_freep) struct gn_site *site = NULL;
	_cleanup_(gn_plan_freep) struct gn_plan *plan = NULL;
	_cleanup_free_ char *xml = NULL;
	const char *site_path = NULL, *out = NULL;
	gn_settings **settings;
	size_t n = 0, len;
	gn_error err = { "" };
	int c, r, mode = GN_PLAN_FAILOVER, status = 0;

	/* a plan is millions of small allocations kept to the end: glibc's fast bins only make
	 * it consolidate them again and again (a fifth of the time at 100,000 VMs) */
	mallopt(M_MXFAST, 0);
	while ((c = getopt_long(argc, argv, "+s:m:o:h", opts, NULL)) != -1)
		switch (c) {
		case 's':
			site_path = optarg;
			break;
		case 'm':
			mode = gn_plan_mode_from_name(optarg);
			if (mode < 0) {
				cli_error("--mode '%s': failover, test or failback", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			printf(USAGE);
			return 0;
		default:
			fprintf(stderr, USAGE);
			return EXIT_USAGE;
		}
	if (!site_path || optind >= argc) {
		fprintf(stderr, USAGE);
		return EXIT_USAGE;
	}
	r = gn_site_read_file(site_path, &site, &err);
	if (r < 0) {
		cli_error("%s", err.msg);
		return cli_exit_status(r);
	}
	settings = calloc((size_t)(argc - optind), sizeof(*settings));
	if (!settings) {
		cli_error("out of memory");
		return EXIT_IOERR;
	}
	for (int i = optind; i < argc; i++) {
		r = gn_settings_read_file(argv[i], &settings[n], &err);
		if (r < 0) {
			cli_error("%s (left out of the plan)", err.msg);
			status = EXIT_PARTIAL;
			continue;
		}
		n++;
	}
	if (n == 0) {
		free_settings(settings, n);
		cli_error("no settings document could be read");
		return EXIT_DATAERR;
	}
	r = gn_map(site, settings, n, (enum gn_plan_mode)mode, &plan, &err);
	free_settings(settings, n);
	if (r < 0) {
		cli_error("%s", err.msg);
		return cli_exit_status(r);
	}
	r = gn_plan_to_xml(plan, &xml, &len, &err);
	if (r < 0) {
		cli_error("%s", err.msg);
		return cli_exit_status(r);
	}
	r = cli_output(out, xml, len);
	return r ? r : status;
}
