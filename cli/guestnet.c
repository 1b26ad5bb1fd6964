/*
 * guestnet.c: the guestnet command.
 *
 * The commands that read disk images need libguestfs, which drags in libvirt and some sixty
 * shared libraries: loading them costs more than reading a whole hive.  So they live in a second
 * program, guestnet-images, under LIBEXECDIR/guestnet, and this one only executes it (git's
 * libexec/git-core does the same); guestnet itself links libxml2 and hivex alone.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "cli.h"

#ifndef GN_LIBEXECDIR
#define GN_LIBEXECDIR "/usr/local/libexec"
#endif
#define IMAGES_HELPER "guestnet/guestnet-images"

/*
 * The helper beside this executable (BINDIR/../libexec/guestnet: the build tree, or an install
 * moved as a whole), else where make install put it.  /proc/self/exe names the file really
 * running, whatever argv[0] claims.
 */
static void images_helper(char *path, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			if ((size_t)snprintf(path, size, "%s/../libexec/%s", self, IMAGES_HELPER) < size &&
			    access(path, X_OK) == 0)
				return;
		}
	}
	snprintf(path, size, "%s/%s", GN_LIBEXECDIR, IMAGES_HELPER);
}

/* argv is "COMMAND ARGS...": run "guestnet-images COMMAND ARGS..." in this process. */
static int run_images(int argc, char **argv)
{
	char path[PATH_MAX];
	char **args = calloc((size_t)argc + 2, sizeof(*args));

	if (!args) {
		cli_error("out of memory");
		return EXIT_IOERR;
	}
	images_helper(path, sizeof(path));
	args[0] = path;
	memcpy(args + 1, argv, (size_t)argc * sizeof(*args));
	execv(path, args);
	cli_error("cannot run %s: %s (it reads disk images; is guestnet fully installed?)", path,
		  strerror(errno));
	free(args);
	return EXIT_UNAVAILABLE;
}

static const struct cli_command commands[] = {
	{ "export", run_images, "settings of VMs in backups: recorded, else inspected" },
	{ "hive", cmd_hive, "settings from Windows SYSTEM hive files" },
	{ "inspect", run_images, "settings from VMs' disk images (libguestfs)" },
	{ "map", cmd_map, "plan the replicas' networks and addresses for a recovery site" },
	{ "record", cmd_record, "store a VM's settings with its backup" },
	{ "validate", cmd_validate, "validate guestnet documents against their schema" },
};

int main(int argc, char **argv)
{
	return cli_main(argc, argv, commands, GN_ELEMENTSOF(commands));
}
