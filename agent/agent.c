/*
 * agent.c: guestnet-agent: print the running system's network settings as the settings
 * document (standard output, or atomically -o FILE) and exit.  It writes nothing else, listens
 * on nothing, and needs no privileges on Linux.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

#include "agent.h"
#include "cleanup.h"
#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: guestnet-agent [-o OUT] [-n NAME] [--exclude PATTERN]... [--include PATTERN]...\n"
		"                      [--no-default-excludes]"
#ifndef _WIN32
		" [--root DIR]"
#endif
		"\n"
		"Print the running system's network settings as a guestnet settings document.\n"
		"  -o, --output OUT         write to OUT (atomically) instead of standard output\n"
		"  -n, --name NAME          the VM's inventory name (guest/@name)\n"
		"  -x, --exclude PATTERN    leave out interfaces whose name matches ('*', '?')\n"
		"  -i, --include PATTERN    report matching interfaces even if excluded\n"
		"  --no-default-excludes    report container and bridge plumbing too (docker*,\n"
		"                           veth*, virbr*, cni*, flannel*, cali*)\n"
#ifndef _WIN32
		"  --root DIR               read the network configuration files under DIR, not /\n"
#endif
		"  -h, --help               this help;  --version  the version\n"
		"Exit status: 0 success, 2 usage error, 74 the settings could not be read or written.\n");
}

int main(int argc, char **argv)
{
	enum { OPT_NO_DEFAULTS = 256, OPT_ROOT, OPT_VERSION };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "exclude", required_argument, NULL, 'x' },
		{ "include", required_argument, NULL, 'i' },
		{ "no-default-excludes", no_argument, NULL, OPT_NO_DEFAULTS },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct agent_options opt = { .root = "/" };
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	const char *out = NULL, *name = NULL;
	struct gn_guest *g;
	struct gn_source *src;
	gn_error err = { "" };
	int c, r;

	cli_name = "guestnet-agent";
#ifdef _WIN32
	/* the document's bytes as they are: no CR before each LF */
	_setmode(_fileno(stdout), _O_BINARY);
#endif
	opterr = 0;  /* our own message: getopt's names the program by its full path on Windows */
	while ((c = getopt_long(argc, argv, "o:n:x:i:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'x':
		case 'i':
			if ((c == 'x' ? opt.nexclude : opt.ninclude) == AGENT_MAX_PATTERNS) {
				cli_error("at most %d --%s patterns", AGENT_MAX_PATTERNS,
					  c == 'x' ? "exclude" : "include");
				return EXIT_USAGE;
			}
			if (c == 'x')
				opt.exclude[opt.nexclude++] = optarg;
			else
				opt.include[opt.ninclude++] = optarg;
			break;
		case OPT_NO_DEFAULTS:
			opt.no_default_excludes = true;
			break;
		case OPT_ROOT:
			opt.root = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case OPT_VERSION:
			printf("guestnet-agent %s\n", GN_VERSION);
			return 0;
		default:
			cli_error("%s '%s'", optopt && c == '?' && strchr("onxi", optopt) ?
				  "missing value for option" : "unknown option", argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}

	if (gn_settings_new(&s) < 0 || gn_settings_add_guest(s, &g) < 0 ||
	    gn_guest_add_source(g, GN_SOURCE_RUNTIME, &src) < 0) {
		cli_error("out of memory");
		return EXIT_IOERR;
	}
	src->collected = cli_collected_time();
	if (name && gn_set_string(&g->name, name) < 0) {
		cli_error("--name '%s' is not a valid name (UTF-8, at most %d bytes)", name,
			  GN_MAX_STRING);
		return EXIT_USAGE;
	}
	r = agent_collect(g, &opt, &err);
	if (r < 0) {
		cli_error("%s", err.msg);
		return EXIT_IOERR;
	}
	return cli_write_settings(s, out);
}
