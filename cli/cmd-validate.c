/*
 * cmd-validate.c: guestnet validate FILE...
 *
 * Each file is checked against the schema its root element names and the cross-field rules
 * of its kind (settings, site);
 * one line per invalid file on standard error.  Exit 0 when all are valid, 65 when any is not
 * (74 when one could not be read).
 */
#include <getopt.h>
#include <stdio.h>

#include "cleanup.h"
#include "cli.h"
#include "site.h"
#include "xml.h"

/*
 * The schema and, for settings, the model's own checks are gn_validate_file's; a site's
 * cross-field rules (reserved ranges inside their subnet, from <= to, ...) are the site
 * reader's, which lives in mapping/, above the collector: so sites are read once more here.
 */
static int validate(const char *path, gn_error *err)
{
	_cleanup_(gn_xml_freep) xmlDocPtr doc = NULL;
	_cleanup_(gn_site_freep) struct gn_site *site = NULL;
	int r = gn_validate_file(path, err);

	if (r < 0 || gn_xml_parse_file(path, &doc, err) < 0)
		return r;
	if (!gn_xml_is(xmlDocGetRootElement(doc), "site"))
		return 0;
	return gn_site_read_file(path, &site, err);
}

int cmd_validate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, status = 0, quiet = 0;

	while ((c = getopt_long(argc, argv, "+qh", opts, NULL)) != -1)
		switch (c) {
		case 'q':
			quiet = 1;
			break;
		case 'h':
			printf("usage: guestnet validate [-q] FILE...\n");
			return 0;
		default:
			fprintf(stderr, "usage: guestnet validate [-q] FILE...\n");
			return EXIT_USAGE;
		}
	if (optind >= argc) {
		fprintf(stderr, "usage: guestnet validate [-q] FILE...\n");
		return EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++) {
		gn_error err = { "" };
		int r = validate(argv[i], &err);

		if (r < 0) {
			cli_error("%s", err.msg);
			int st = cli_exit_status(r);
			if (st > status)
				status = st;
		} else if (!quiet)
			printf("%s: valid\n", argv[i]);
	}
	return status;
}
