/*
 * cli.c: what the guestnet subcommands share: messages, exit statuses, output, and the dispatch
 * of "PROGRAM COMMAND ARGS" to a command table (cli_main), used by both guestnet and
 * guestnet-images.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cleanup.h"

const char *cli_name = "guestnet";

static void vmessage(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", cli_name, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("error: ", fmt, ap);
	va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

int cli_exit_status(int r)
{
	switch (-r) {
	case 0:
		return 0;
	case EBADMSG:
	case EILSEQ:
	case EINVAL:
	case E2BIG:
	case EOPNOTSUPP:
		return EXIT_DATAERR;
	case ENODEV:
		return EXIT_UNAVAILABLE;
	default:
		return EXIT_IOERR;
	}
}

void cli_progress(void *opaque, const char *message)
{
	(void)opaque;
	fprintf(stderr, "%s: %s\n", cli_name, message);
}

int64_t cli_collected_time(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;

	if (s && *s) {
		errno = 0;
		long long t = strtoll(s, &end, 10);
		if (!*end && errno == 0 && t >= 0 && t <= 253402300799LL)
			return t;
		cli_warning("SOURCE_DATE_EPOCH '%s' is not a time; using the current time", s);
	}
	return (int64_t)time(NULL);
}

int cli_output(const char *path, const char *buf, size_t len)
{
	gn_error err = { "" };

	if (path && strcmp(path, "-") != 0) {
		int r = gn_write_file_atomic(path, buf, len, &err);
		if (r < 0) {
			cli_error("%s", err.msg);
			return EXIT_IOERR;
		}
		return 0;
	}
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
		cli_error("standard output: %s", strerror(errno));
		return EXIT_IOERR;
	}
	return 0;
}

int cli_write_settings(const gn_settings *s, const char *path)
{
	_cleanup_free_ char *xml = NULL;
	gn_error err = { "" };
	size_t len;
	int r = gn_settings_to_xml(s, &xml, &len, &err);

	if (r < 0) {
		cli_error("%s", err.msg);
		return cli_exit_status(r);
	}
	return cli_output(path, xml, len);
}


static void usage(FILE *f, const struct cli_command *cmds, size_t n)
{
	fprintf(f, "usage: guestnet COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n'guestnet COMMAND --help' describes a command; see guestnet(1).\n");
}

int cli_main(int argc, char **argv, const struct cli_command *cmds, size_t n)
{
	if (argc < 2) {
		usage(stderr, cmds, n);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout, cmds, n);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("guestnet %s\n", GN_VERSION);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(argv[1], cmds[i].name) == 0) {
			static char name[64];
			snprintf(name, sizeof(name), "guestnet %s", cmds[i].name);
			cli_name = name;
			return cmds[i].fn(argc - 1, argv + 1);
		}
	cli_error("unknown command '%s'", argv[1]);
	usage(stderr, cmds, n);
	return EXIT_USAGE;
}
