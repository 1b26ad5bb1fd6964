/*
 * inplace.c: an archive member read in place through a qcow2 overlay (inplace.h).
 *
 * The overlay's backing file is a "json:" description qemu opens in-process: the member's
 * format (probed by image.c) on qemu's raw driver with offset and size over the archive file.
 * The path goes into the JSON string escaped, so no file name can change its meaning; the
 * format node says "backing": null, so whatever the member's header says, qemu follows no
 * backing file (the probe refused those already; this holds if the archive changed since).
 * qemu-img writes the overlay; it reads the member's header to learn the virtual size, as the
 * appliance's qemu, on this host too, will.
 *
 * qemu's raw driver takes only sizes in whole sectors: a container format's member (qcow2,
 * VMDK, VHD...) is given with its tar padding, up to the next 512 bytes, which tar.c checked is
 * in the archive.  A raw member's size is the disk's, and is given as it is.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "inplace.h"
#include "model.h"

extern char **environ;

/* s as the inside of a JSON string. */
static char *json_escape(const char *s)
{
	char *out = malloc(strlen(s) * 6 + 1), *p = out;

	if (!out)
		return NULL;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\') {
			*p++ = '\\';
			*p++ = (char)*c;
		} else if (*c < 0x20) {
			p += sprintf(p, "\\u%04x", *c);
		} else {
			*p++ = (char)*c;
		}
	}
	*p = '\0';
	return out;
}

int gn_inplace_overlay(const struct gn_backup_disk *disk, const char *dir, unsigned serial,
		       char **ret, gn_error *err)
{
	/* qemu would take a relative name relative to its own working folder: resolve it here */
	_cleanup_free_ char *real = realpath(disk->file, NULL), *file = NULL, *backing = NULL,
		*path = NULL;
	const char *fmt = gn_image_format_name(disk->image.format);
	uint64_t size = disk->image.format == GN_IMAGE_RAW ? disk->size :
		(disk->size + 511) / 512 * 512;
	posix_spawn_file_actions_t fa;
	pid_t child;
	int status = -1, r;

	if (!real)
		return gn_error_set(err, -errno, "'%s': %s", disk->file, strerror(errno));
	file = json_escape(real);
	if (!file || asprintf(&path, "%s/inplace%u.qcow2", dir, serial) < 0)
		return gn_error_set(err, -ENOMEM, "out of memory");
	if (disk->image.format == GN_IMAGE_RAW)
		r = asprintf(&backing, "json:{\"driver\":\"raw\",\"offset\":%" PRIu64 ",\"size\":%"
			     PRIu64 ",\"file\":{\"driver\":\"file\",\"filename\":\"%s\"}}",
			     disk->offset, size, file);
	else
		r = asprintf(&backing, "json:{\"driver\":\"%s\",\"backing\":null,\"file\":{"
			     "\"driver\":\"raw\",\"offset\":%" PRIu64 ",\"size\":%" PRIu64 ",\"file\":{"
			     "\"driver\":\"file\",\"filename\":\"%s\"}}}", fmt, disk->offset, size,
			     file);
	if (r < 0)
		return gn_error_set(err, -ENOMEM, "out of memory");

	char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", "-b", backing, "-F",
			 (char *)fmt, path, NULL };
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	r = posix_spawnp(&child, "qemu-img", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0)
		return gn_error_set(err, -ENODEV, "'%s': cannot run qemu-img: %s (install "
				    "qemu-utils)", disk->name, strerror(r));
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (status != 0) {
		unlink(path);
		return gn_error_set(err, -ENODEV, "'%s': qemu-img could not make an overlay over it "
				    "(exit status %d)", disk->name,
				    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	*ret = TAKE_PTR(path);
	return 0;
}
