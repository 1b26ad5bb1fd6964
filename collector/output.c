/*
 * output.c: atomic file output.
 *
 * A document goes to a private temporary file in the destination's folder (mkstemp: mode 0600),
 * is fsync'd, then renamed over the destination, so readers see the old file or the whole new
 * one, and a failed or killed run leaves no partial file behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "model.h"

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int gn_write_file_atomic(const char *path, const void *buf, size_t len, gn_error *err)
{
	_cleanup_free_ char *dircopy = strdup(path), *tmp = NULL;
	_cleanup_close_ int dfd = -1;
	int fd, r;

	if (!dircopy || asprintf(&tmp, "%s/.%s.XXXXXX", dirname(dircopy),
				 strrchr(path, '/') ? strrchr(path, '/') + 1 : path) < 0)
		return gn_error_set(err, -ENOMEM, "'%s': out of memory", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return gn_error_set(err, -errno, "'%s': cannot create a temporary file: %s", path,
				    strerror(errno));
	r = write_all(fd, buf, len);
	if (r == 0 && fchmod(fd, 0644) < 0)
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return gn_error_set(err, r, "'%s': %s", path, strerror(-r));
	}
	/* make the rename itself durable */
	strcpy(dircopy, path);
	dfd = open(dirname(dircopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		fsync(dfd);
	return 0;
}
