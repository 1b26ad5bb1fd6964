/*
 * guestnet-images.c: the guestnet commands that read disk images through libguestfs, run by
 * guestnet (see guestnet.c for why they are a program of their own).  Not meant to be run by
 * hand, though "guestnet-images inspect ARGS" is the same as "guestnet inspect ARGS".
 */
#include "cleanup.h"
#include "cli.h"

static const struct cli_command commands[] = {
	{ "export", cmd_export, "settings of VMs in backups: recorded, else inspected" },
	{ "inspect", cmd_inspect, "settings from VMs' disk images (libguestfs)" },
};

int main(int argc, char **argv)
{
	return cli_main(argc, argv, commands, GN_ELEMENTSOF(commands));
}
