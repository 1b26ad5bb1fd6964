/*
 * output-windows.c: gn_write_file_atomic for Windows (the contract of collector/output.c).
 *
 * The document goes to a new temporary file in the destination's folder (".NAME.PID-N",
 * created with CREATE_NEW so it is never someone else's), is flushed to the disk
 * (FlushFileBuffers), then moved over the destination with MoveFileExW(MOVEFILE_REPLACE_EXISTING
 * | MOVEFILE_WRITE_THROUGH), which replaces the file in one step on NTFS: readers see the old
 * file or the whole new one, and a failed run removes its temporary file.
 *
 * Paths: the path is what main received, text in the process's ANSI code page (CP_ACP, which is
 * UTF-8 where the system or a manifest sets it so), and is converted from that code page.  A
 * name the code page cannot spell never reaches main's argv, so it cannot be given at all; the
 * agent keeps to main (not wmain) to stay one program with the Linux one.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cleanup.h"
#include "model.h"

/* Names tried for the temporary file before giving up (a stale one from a killed run). */
#define OUTPUT_TMP_TRIES 16
/* The longest path Windows takes, in UTF-16 units. */
#define OUTPUT_MAX_PATH 32767
/* WriteFile takes a DWORD count: write in pieces no larger than this. */
#define OUTPUT_CHUNK (1u << 30)

/* The errno for a Windows error code, so callers see what collector/output.c returns. */
static int errno_of(DWORD e)
{
	switch (e) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_DRIVE:
	case ERROR_BAD_NETPATH:
	case ERROR_BAD_NET_NAME:
		return ENOENT;
	case ERROR_ACCESS_DENIED:
	case ERROR_SHARING_VIOLATION:
	case ERROR_LOCK_VIOLATION:
		return EACCES;
	case ERROR_WRITE_PROTECT:
		return EROFS;
	case ERROR_DISK_FULL:
	case ERROR_HANDLE_DISK_FULL:
		return ENOSPC;
	case ERROR_FILE_EXISTS:
	case ERROR_ALREADY_EXISTS:
		return EEXIST;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
		return ENOMEM;
	case ERROR_FILENAME_EXCED_RANGE:
		return ENAMETOOLONG;
	case ERROR_INVALID_NAME:
	case ERROR_BAD_PATHNAME:
	case ERROR_DIRECTORY:
		return EINVAL;
	default:
		return EIO;
	}
}

/* path, in the ANSI code page, as a malloc'd UTF-16 string: 0, -EINVAL, -ENAMETOOLONG, -ENOMEM. */
static int wide_path(const char *path, WCHAR **ret)
{
	int n = MultiByteToWideChar(CP_ACP, MB_ERR_INVALID_CHARS, path, -1, NULL, 0);
	WCHAR *w;

	if (n <= 1)
		return -EINVAL;
	if (n > OUTPUT_MAX_PATH)
		return -ENAMETOOLONG;
	w = malloc((size_t)n * sizeof(*w));
	if (!w)
		return -ENOMEM;
	if (MultiByteToWideChar(CP_ACP, MB_ERR_INVALID_CHARS, path, -1, w, n) != n) {
		free(w);
		return -EINVAL;
	}
	*ret = w;
	return 0;
}

/* ".NAME.PID-N" in the folder of path: a malloc'd name, or NULL when out of memory. */
static WCHAR *tmp_name(const WCHAR *path, unsigned n)
{
	const WCHAR *base = path;
	char suffix[32];
	size_t dirlen, baselen, sufflen;
	WCHAR *w;

	/* "C:name" is name in the current folder of drive C: the colon ends the folder part too */
	for (const WCHAR *p = path; *p; p++)
		if (*p == L'\\' || *p == L'/' || *p == L':')
			base = p + 1;
	dirlen = (size_t)(base - path);
	baselen = wcslen(base);
	sufflen = (size_t)snprintf(suffix, sizeof(suffix), ".%lu-%u",
				   (unsigned long)GetCurrentProcessId(), n);
	w = malloc((dirlen + 1 + baselen + sufflen + 1) * sizeof(*w));
	if (!w)
		return NULL;
	memcpy(w, path, dirlen * sizeof(*w));
	w[dirlen] = L'.';
	memcpy(w + dirlen + 1, base, baselen * sizeof(*w));
	for (size_t i = 0; i <= sufflen; i++)  /* ASCII, with its terminator */
		w[dirlen + 1 + baselen + i] = (WCHAR)suffix[i];
	return w;
}

/* A new temporary file beside path, open for writing; *ret_name is its name. */
static int create_tmp(const WCHAR *path, HANDLE *ret, WCHAR **ret_name)
{
	DWORD e = ERROR_FILE_EXISTS;

	for (unsigned i = 0; i < OUTPUT_TMP_TRIES && e == ERROR_FILE_EXISTS; i++) {
		WCHAR *name = tmp_name(path, i);
		HANDLE h;

		if (!name)
			return -ENOMEM;
		h = CreateFileW(name, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
		if (h != INVALID_HANDLE_VALUE) {
			*ret = h;
			*ret_name = name;
			return 0;
		}
		e = GetLastError();
		free(name);
	}
	return -errno_of(e);
}

static int write_all(HANDLE h, const char *buf, size_t len)
{
	while (len > 0) {
		DWORD chunk = len > OUTPUT_CHUNK ? OUTPUT_CHUNK : (DWORD)len, done = 0;

		if (!WriteFile(h, buf, chunk, &done, NULL))
			return -errno_of(GetLastError());
		if (done == 0)
			return -EIO;
		buf += done;
		len -= done;
	}
	return 0;
}

int gn_write_file_atomic(const char *path, const void *buf, size_t len, gn_error *err)
{
	_cleanup_free_ WCHAR *wpath = NULL, *tmp = NULL;
	HANDLE h = INVALID_HANDLE_VALUE;
	int r = wide_path(path, &wpath);

	if (r == -ENOMEM)
		return gn_error_set(err, r, "'%s': out of memory", path);
	if (r < 0 && !path[0])
		return gn_error_set(err, -ENOENT, "'%s': %s", path, strerror(ENOENT));
	if (r < 0)
		return gn_error_set(err, r, "'%s': not a path in the system's code page", path);
	r = create_tmp(wpath, &h, &tmp);
	if (r < 0)
		return gn_error_set(err, r, "'%s': cannot create a temporary file: %s", path,
				    strerror(-r));
	r = write_all(h, buf, len);
	if (r == 0 && !FlushFileBuffers(h))
		r = -errno_of(GetLastError());
	if (!CloseHandle(h) && r == 0)
		r = -errno_of(GetLastError());
	if (r == 0 && !MoveFileExW(tmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
		r = -errno_of(GetLastError());
	if (r < 0) {
		DeleteFileW(tmp);
		return gn_error_set(err, r, "'%s': %s", path, strerror(-r));
	}
	return 0;
}
