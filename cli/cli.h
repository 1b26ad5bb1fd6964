/*
 * cli.h: what the guestnet subcommands share: exit statuses, messages, output.
 */
#ifndef GN_CLI_H
#define GN_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guestnet.h"
#include "compat.h"

/* Exit statuses (DESIGN.md, sysexits.h values). */
#define EXIT_PARTIAL     1   /* some inputs failed; the rest were written */
#define EXIT_USAGE       2
#define EXIT_DATAERR     65  /* bad input data */
#define EXIT_UNAVAILABLE 69  /* a needed service (the libguestfs appliance) is unavailable */
#define EXIT_IOERR       74

extern const char *cli_name;  /* "guestnet hive", for messages */

void cli_error(const char *fmt, ...) GN_PRINTF(1, 2);
void cli_warning(const char *fmt, ...) GN_PRINTF(1, 2);

/* The exit status for a library error. */
int cli_exit_status(int r);

/* Seconds since the epoch for source/@collected: SOURCE_DATE_EPOCH when set (reproducible
 * output), else now. */
int64_t cli_collected_time(void);

/* A progress message for a person on standard error (gn_inspect_options.progress). */
void cli_progress(void *opaque, const char *message);

/* Write buf to standard output, or atomically to path; returns an exit status. */
int cli_output(const char *path, const char *buf, size_t len);

/* Serialize s and write it (cli_output); returns an exit status. */
int cli_write_settings(const gn_settings *s, const char *path);

struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* "PROGRAM COMMAND ARGS...": --help, --version, or run the command of that name from cmds. */
int cli_main(int argc, char **argv, const struct cli_command *cmds, size_t n);

int cmd_export(int argc, char **argv);
int cmd_hive(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_validate(int argc, char **argv);

#endif
