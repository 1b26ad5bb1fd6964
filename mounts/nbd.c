/*
 * nbd.c: qemu-nbd serving an archive member in place (nbd.h).
 *
 * qemu-nbd is told everything through --image-opts: the image's format (probed on the host by
 * image.c), on a raw layer that exposes only the member's bytes (offset, size) of the archive
 * file.  It runs --read-only, --fork (its parent exits once the socket listens, so there is no
 * polling) and writes its pid, which gn_nbd_stop signals.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "model.h"
#include "nbd.h"

extern char **environ;

/* s with every ',' doubled, as qemu's option syntax needs. */
static char *qemu_escape(const char *s)
{
	size_t n = strlen(s), commas = 0;
	char *out, *p;

	for (const char *c = s; *c; c++)
		commas += *c == ',';
	out = p = malloc(n + commas + 1);
	if (!out)
		return NULL;
	for (const char *c = s; *c; c++) {
		*p++ = *c;
		if (*c == ',')
			*p++ = ',';
	}
	*p = '\0';
	return out;
}

static pid_t read_pid(const char *path)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	long pid = 0;

	return f && fscanf(f, "%ld", &pid) == 1 && pid > 1 ? (pid_t)pid : 0;
}

int gn_nbd_start(const struct gn_backup_disk *disk, const char *dir, unsigned serial,
		 struct gn_nbd *ret, gn_error *err)
{
	_cleanup_free_ char *file = NULL, *opts = NULL, *sock_arg = NULL, *pid_arg = NULL;
	const char *fmt = gn_image_format_name(disk->image.format);
	struct gn_nbd n = { 0 };
	pid_t child;
	int status, r;

	file = qemu_escape(disk->file);
	if (!file || asprintf(&n.socket, "%s/nbd%u.sock", dir, serial) < 0 ||
	    asprintf(&n.pidfile, "%s/nbd%u.pid", dir, serial) < 0)
		goto oom;
	if (disk->image.format == GN_IMAGE_RAW)
		r = asprintf(&opts, "driver=raw,offset=%" PRIu64 ",size=%" PRIu64 ",file.driver=file,"
			     "file.filename=%s,file.locking=off", disk->offset, disk->size, file);
	else
		r = asprintf(&opts, "driver=%s,file.driver=raw,file.offset=%" PRIu64 ",file.size=%"
			     PRIu64 ",file.file.driver=file,file.file.filename=%s,"
			     "file.file.locking=off", fmt, disk->offset, disk->size, file);
	if (r < 0 || asprintf(&sock_arg, "--socket=%s", n.socket) < 0 ||
	    asprintf(&pid_arg, "--pid-file=%s", n.pidfile) < 0)
		goto oom;

	char *argv[] = { "qemu-nbd", "--read-only", "--fork", "--persistent", "--shared=8",
			 sock_arg, pid_arg, "--image-opts", opts, NULL };
	posix_spawn_file_actions_t fa;

	posix_spawn_file_actions_init(&fa);
	/* qemu-nbd's own messages would interleave with ours: its failure is reported below */
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	r = posix_spawnp(&child, "qemu-nbd", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0) {
		r = gn_error_set(err, -ENODEV, "'%s': cannot run qemu-nbd: %s (install qemu-utils)",
				 disk->name, strerror(r));
		goto fail;
	}
	/* with --fork the first process exits once the server listens */
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	n.pid = read_pid(n.pidfile);
	if (status != 0 || n.pid == 0) {
		r = gn_error_set(err, -ENODEV, "'%s': qemu-nbd did not start (exit status %d)", disk->name,
			     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		goto fail;
	}
	*ret = n;
	return 0;
oom:
	r = gn_error_set(err, -ENOMEM, "out of memory");
fail:
	gn_nbd_stop(&n);
	return r;
}

void gn_nbd_stop(struct gn_nbd *n)
{
	if (n->pid > 0 && kill(n->pid, SIGTERM) == 0)
		/* not our child (it forked): wait for the socket to go, briefly */
		for (int i = 0; i < 100 && kill(n->pid, 0) == 0; i++)
			usleep(10000);
	if (n->socket)
		unlink(n->socket);
	if (n->pidfile)
		unlink(n->pidfile);
	free(n->socket);
	free(n->pidfile);
	*n = (struct gn_nbd){ 0 };
}
