/*
 * cmd-validate.c: guestnet validate FILE...
 *
 * Each file is checked against the schema its root element names and the cross-field rules;
 * one line per invalid file on standard error.  Exit 0 when all are valid, 65 when any is not
 * (74 when one could not be read).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

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
		int r = gn_validate_file(argv[i], &err);

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
