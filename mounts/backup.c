/*
 * backup.c: the disks of a backup (backup.h says which kinds and how each is read).
 *
 * Everything here happens on the host and reads only headers: the images through the same
 * probe as 'guestnet inspect' (image.c), with the backup's own folder as the only place backing
 * files may be; an OVA through its tar headers (tar.c) and its descriptor (ovf.c, through the
 * core's safe parse helper).  Nothing is extracted: an OVA's disk is later served in place by
 * offset and size.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup.h"
#include "cleanup.h"
#include "model.h"
#include "sha256.h"
#include "tar.h"

/* Where recorded settings live: in a backup folder, or beside an archive or image file. */
#define RECORD_IN_FOLDER "guestnet-settings.xml"
#define RECORD_SUFFIX ".guestnet.xml"

/* The disk images of a backup folder, by name. */
static const char *const image_suffixes[] = {
	".qcow2", ".qcow", ".img", ".raw", ".vmdk", ".vhd", ".vhdx",
};

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcasecmp(s + n - m, suffix) == 0;
}

static bool is_image_name(const char *s)
{
	for (size_t i = 0; i < GN_ELEMENTSOF(image_suffixes); i++)
		if (has_suffix(s, image_suffixes[i]))
			return true;
	return false;
}

static char *join(const char *dir, const char *name)
{
	char *s;

	return asprintf(&s, "%s/%s", dir, name) < 0 ? NULL : s;
}

/* The last component of path, without suffix (when it has it). */
static char *base_name(const char *path, const char *suffix)
{
	size_t len = strlen(path), start;

	while (len > 1 && path[len - 1] == '/')
		len--;
	start = len;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (suffix && len - start > strlen(suffix) &&
	    strncasecmp(path + len - strlen(suffix), suffix, strlen(suffix)) == 0)
		len -= strlen(suffix);
	return strndup(path + start, len - start);
}

static int add_file(struct gn_backup *b, const char *name, const char *path, uint64_t offset,
		    uint64_t size, gn_error *err)
{
	struct gn_backup_file *f;
	int r;

	/* two disks on one base, or naming one file: listed once */
	for (size_t i = 0; i < b->files.n; i++)
		if (strcmp(b->files.v[i].name, name) == 0 && b->files.v[i].offset == offset)
			return 0;
	r = GN_ARRAY_PUSH(&b->files, GN_BACKUP_MAX_DISKS * (GN_IMAGE_MAX_FILES + 1), &f);
	if (r < 0)
		return gn_error_set(err, r, "'%s': too many files", b->path);
	f->name = strdup(name);
	f->path = strdup(path);
	f->offset = offset;
	f->size = size;
	return f->name && f->path ? 0 : gn_error_set(err, -ENOMEM, "out of memory");
}

/* A disk read from a file of its own (offset 0), its chain included in b->files. */
static int add_disk(struct gn_backup *b, const char *rel, const char *path, struct gn_image *img,
		    gn_error *err)
{
	_cleanup_free_ char *root = NULL;
	struct gn_backup_disk *d;
	struct stat st;
	int r;

	if (stat(path, &st) < 0)
		return gn_error_set(err, -errno, "'%s': %s", path, strerror(errno));
	r = GN_ARRAY_PUSH(&b->disks, GN_BACKUP_MAX_DISKS, &d);
	if (r < 0)
		return gn_error_set(err, r, "'%s': more than %d disks (GN_BACKUP_MAX_DISKS)", b->path,
				    GN_BACKUP_MAX_DISKS);
	d->name = strdup(path);
	d->file = strdup(path);
	d->size = (uint64_t)st.st_size;
	d->image = *img;
	*img = (struct gn_image){ 0 };
	if (!d->name || !d->file)
		return gn_error_set(err, -ENOMEM, "out of memory");
	r = add_file(b, rel, path, 0, d->size, err);
	if (r == 0 && d->image.chain && !(root = realpath(b->dir, NULL)))
		return gn_error_set(err, -errno, "'%s': %s", b->dir, strerror(errno));
	for (char **c = d->image.chain; r == 0 && c && *c; c++) {
		_cleanup_free_ char *name = NULL;
		size_t n = strlen(root);

		if (stat(*c, &st) < 0)
			return gn_error_set(err, -errno, "'%s': %s", *c, strerror(errno));
		/* the chain lies inside the folder (image.c checked, on resolved paths): name it
		 * from there */
		name = strdup(strncmp(*c, root, n) == 0 && (*c)[n] == '/' ? *c + n + 1 : *c);
		if (!name)
			return gn_error_set(err, -ENOMEM, "out of memory");
		r = add_file(b, name, *c, 0, (uint64_t)st.st_size, err);
	}
	return r;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A disk of the backup, named in its folder: a regular file there, never a symbolic link (which
 * could name any host file or device).  0, or -errno with err set: -EBADMSG for what the folder
 * holds (missing, a link, not a file), another when it cannot be looked at.
 */
static int own_file(const char *path, gn_error *err)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return gn_error_set(err, errno == ENOENT ? -EBADMSG : -errno, "'%s': %s", path,
				    strerror(errno));
	if (S_ISLNK(st.st_mode))
		return gn_error_set(err, -EBADMSG, "'%s' is a symbolic link: a backup's disks must be "
				    "files of its folder", path);
	if (!S_ISREG(st.st_mode))
		return gn_error_set(err, -EBADMSG, "'%s' is not a regular file", path);
	return 0;
}

/* Newest first, then by name from the last (as incremental images are usually numbered): the
 * newest image's chain holds the older ones.  names are sorted: the index orders by name. */
static int compare_newest(const void *a, const void *b, void *times)
{
	const struct timespec *x = &((const struct stat *)times)[*(const size_t *)a].st_mtim;
	const struct timespec *y = &((const struct stat *)times)[*(const size_t *)b].st_mtim;

	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? 1 : -1;
	if (x->tv_nsec != y->tv_nsec)
		return x->tv_nsec < y->tv_nsec ? 1 : -1;
	return *(const size_t *)a == *(const size_t *)b ? 0 :
		*(const size_t *)a > *(const size_t *)b ? -1 : 1;
}

/* True when one of the chains of imgs[0..n) other than skip holds path (resolved). */
static bool in_a_chain(const struct gn_image *imgs, size_t n, size_t skip, const char *path)
{
	for (size_t i = 0; i < n; i++)
		for (char **c = imgs[i].chain; i != skip && c && *c; c++)
			if (strcmp(*c, path) == 0)
				return true;
	return false;
}

/* The last file of img's chain (its base image), or NULL without one. */
static const char *base_of(const struct gn_image *img)
{
	size_t n = 0;

	while (img->chain && img->chain[n])
		n++;
	return n ? img->chain[n - 1] : NULL;
}

/* Two chains sharing a file share their base (a chain is a list down to it): the images grow
 * from one base, the state branched. */
static bool share(const struct gn_image *a, const struct gn_image *b)
{
	const char *x = base_of(a), *y = base_of(b);

	return x && y && strcmp(x, y) == 0;
}

static int open_folder(struct gn_backup *b, gn_error *err)
{
	_cleanup_(gn_strv_freep) char **names = NULL;
	struct gn_image *imgs = NULL;
	struct stat *times = NULL;
	size_t *order = NULL, files = 0;
	char **real = NULL;
	bool *top = NULL;
	size_t n = 0;
	DIR *d;
	int r = 0;

	d = opendir(b->dir);
	if (!d)
		return gn_error_set(err, -errno, "cannot read folder '%s': %s", b->path, strerror(errno));
	names = calloc(GN_BACKUP_MAX_ENTRIES + 1, sizeof(*names));
	if (!names) {
		closedir(d);
		return gn_error_set(err, -ENOMEM, "out of memory");
	}
	for (struct dirent *de; (de = readdir(d));) {
		if (de->d_name[0] == '.' || !is_image_name(de->d_name))
			continue;
		if (n == GN_BACKUP_MAX_ENTRIES) {
			closedir(d);
			return gn_error_set(err, -E2BIG, "'%s': more than %d disk images "
					    "(GN_BACKUP_MAX_ENTRIES)", b->path, GN_BACKUP_MAX_ENTRIES);
		}
		names[n] = strdup(de->d_name);
		if (!names[n++]) {
			closedir(d);
			return gn_error_set(err, -ENOMEM, "out of memory");
		}
	}
	closedir(d);
	if (n == 0)
		return gn_error_set(err, -EBADMSG, "'%s': no disk image in the folder (looked for "
				    "*.qcow2, *.qcow, *.img, *.raw, *.vmdk, *.vhd, *.vhdx)", b->path);
	qsort(names, n, sizeof(*names), compare_names);

	imgs = calloc(n, sizeof(*imgs));
	top = calloc(n, sizeof(*top));
	times = calloc(n, sizeof(*times));
	order = calloc(n, sizeof(*order));
	real = calloc(n, sizeof(*real));
	if (!imgs || !top || !times || !order || !real) {
		r = gn_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		_cleanup_free_ char *path = join(b->dir, names[i]);

		order[i] = i;
		r = !path ? gn_error_set(err, -ENOMEM, "out of memory") : own_file(path, err);
		if (r == 0 && (stat(path, &times[i]) < 0 || !(real[i] = realpath(path, NULL))))
			r = gn_error_set(err, -errno, "'%s': %s", path, strerror(errno));
	}
	if (r < 0)
		goto out;
	/*
	 * Probed newest first: an image already in a probed chain is part of a newer disk and is
	 * not probed again, so a chain of n images costs n files, not n^2/2.  All the chains
	 * together may name at most GN_BACKUP_MAX_FILES files.
	 */
	qsort_r(order, n, sizeof(*order), compare_newest, times);
	for (size_t k = 0; k < n && r == 0; k++) {
		size_t i = order[k];
		_cleanup_free_ char *path = NULL;

		if (in_a_chain(imgs, n, i, real[i]))
			continue;
		path = join(b->dir, names[i]);
		r = path ? gn_image_probe(path, NULL, b->dir, &imgs[i], err) :
			gn_error_set(err, -ENOMEM, "out of memory");
		for (char **c = imgs[i].chain; r == 0 && c && *c; c++)
			if (++files > GN_BACKUP_MAX_FILES)
				r = gn_error_set(err, -E2BIG, "'%s': its images name more than %d files "
						 "(GN_BACKUP_MAX_FILES)", b->path, GN_BACKUP_MAX_FILES);
	}
	if (r < 0)
		goto out;
	/* each disk is an image no other one is built on: the newest of its chain */
	for (size_t i = 0; i < n; i++)
		top[i] = imgs[i].path && !in_a_chain(imgs, n, i, real[i]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n && top[i]; j++) {
			size_t older;
			char *note, **slot;

			if (!top[j] || !share(&imgs[i], &imgs[j]))
				continue;
			/* the times stat'ed above, in the probing order */
			older = compare_newest(&i, &j, times) < 0 ? j : i;
			top[older] = false;
			if (asprintf(&note, "'%s' and '%s' grow from the same base image; the newer, "
				     "'%s', is the state read", names[i], names[j],
				     names[older == i ? j : i]) < 0)
				note = NULL;
			r = note ? GN_ARRAY_PUSH(&b->notes, GN_BACKUP_MAX_DISKS, &slot) : -ENOMEM;
			if (r < 0) {
				free(note);
				r = r == -E2BIG ?
					gn_error_set(err, r, "'%s': more than %d images grow from one "
						     "base (GN_BACKUP_MAX_DISKS)", b->path,
						     GN_BACKUP_MAX_DISKS) :
					gn_error_set(err, r, "out of memory");
				goto out;
			}
			*slot = note;
		}
	for (size_t i = 0; i < n && r == 0; i++)
		if (top[i])
			r = add_disk(b, names[i], imgs[i].path, &imgs[i], err);
out:
	for (size_t i = 0; imgs && i < n; i++)
		gn_image_release(&imgs[i]);
	for (size_t i = 0; real && i < n; i++)
		free(real[i]);
	free(imgs);
	free(top);
	free(times);
	free(order);
	free(real);
	return r;
}

/* An OVF folder: the descriptor at path, its disk files beside it. */
static int open_ovf(struct gn_backup *b, const char *ovf, gn_error *err)
{
	int r = gn_ovf_read_file(ovf, &b->ovf, err);

	for (size_t i = 0; r == 0 && i < b->ovf->disks.n; i++) {
		const struct gn_ovf_disk *od = &b->ovf->disks.v[i];
		_cleanup_free_ char *path = join(b->dir, od->href);
		struct gn_image img = { 0 };

		if (!path)
			return gn_error_set(err, -ENOMEM, "out of memory");
		if (access(path, F_OK) < 0 && errno == ENOENT)
			return gn_error_set(err, -EBADMSG, "'%s' line %ld: the descriptor names disk file "
					    "'%s', which is not in the folder", ovf, od->line, od->href);
		r = own_file(path, err);
		if (r < 0)
			return r;
		r = gn_image_probe(path, od->format, b->dir, &img, err);
		if (r == 0)
			r = add_disk(b, od->href, path, &img, err);
		gn_image_release(&img);
	}
	return r;
}

static int twice(const struct gn_backup *b, const char *member, gn_error *err)
{
	return gn_error_set(err, -EBADMSG, "'%s': the archive holds '%s' more than once (which one "
			    "is meant depends on the program reading it)", b->path, member);
}

static int open_ova(struct gn_backup *b, gn_error *err)
{
	_cleanup_(gn_tar_freep) struct gn_tar *t = NULL;
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *text = NULL, *name = NULL;
	const struct gn_tar_member *desc = NULL;
	ssize_t got;
	int r;

	fd = open(b->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return gn_error_set(err, -errno, "cannot open '%s': %s", b->path, strerror(errno));
	r = gn_tar_index(fd, b->path, &t, err);
	if (r < 0)
		return r;
	/* the descriptor comes first in an OVA; take the first one met */
	for (size_t i = 0; i < t->members.n && !desc; i++)
		if (t->members.v[i].type == GN_TAR_REGULAR && has_suffix(t->members.v[i].name, ".ovf"))
			desc = &t->members.v[i];
	if (!desc)
		return gn_error_set(err, -EBADMSG, "'%s': no OVF descriptor (*.ovf) in the archive",
				    b->path);
	/* tar programs extract the last of a name: what is read must be what they would see */
	if (gn_tar_count(t, desc->name) > 1)
		return twice(b, desc->name, err);
	if (desc->size > GN_MAX_XML_BYTES)
		return gn_error_set(err, -E2BIG, "'%s:%s': larger than GN_MAX_XML_BYTES (%u bytes)",
				    b->path, desc->name, GN_MAX_XML_BYTES);
	text = malloc(desc->size + 1);
	if (!text || asprintf(&name, "%s:%s", b->path, desc->name) < 0)
		return gn_error_set(err, -ENOMEM, "out of memory");
	got = pread(fd, text, desc->size, (off_t)desc->offset);
	if (got != (ssize_t)desc->size)
		return gn_error_set(err, got < 0 ? -errno : -EBADMSG, "cannot read '%s': %s", name,
				    got < 0 ? strerror(errno) : "short read");
	r = gn_ovf_read(text, desc->size, name, &b->ovf, err);
	for (size_t i = 0; r == 0 && i < b->ovf->disks.n; i++) {
		const struct gn_ovf_disk *od = &b->ovf->disks.v[i];
		const struct gn_tar_member *m = gn_tar_find(t, od->href);
		struct gn_backup_disk *d;

		if (!m || m->type != GN_TAR_REGULAR)
			return gn_error_set(err, -EBADMSG, "'%s' line %ld: the descriptor names disk "
					    "file '%s', which is not in the archive", name, od->line,
					    od->href);
		if (gn_tar_count(t, od->href) > 1)
			return twice(b, od->href, err);
		r = GN_ARRAY_PUSH(&b->disks, GN_BACKUP_MAX_DISKS, &d);
		if (r < 0)
			return gn_error_set(err, r, "'%s': more than %d disks (GN_BACKUP_MAX_DISKS)",
					    b->path, GN_BACKUP_MAX_DISKS);
		d->file = strdup(b->path);
		if (!d->file || asprintf(&d->name, "%s:%s", b->path, od->href) < 0)
			return gn_error_set(err, -ENOMEM, "out of memory");
		d->offset = m->offset;
		d->size = m->size;
		r = gn_image_probe_range(b->path, m->offset, m->size, d->name, od->format, &d->image,
					 err);
		if (r == 0)
			r = add_file(b, od->href, b->path, m->offset, m->size, err);
	}
	return r;
}

/* The one *.ovf of folder dir: 1 and its path in *ret, 0 when there is none. */
static int find_ovf(const char *dir, char **ret, gn_error *err)
{
	_cleanup_free_ char *found = NULL;
	unsigned entries = 0;
	DIR *d = opendir(dir);

	if (!d)
		return gn_error_set(err, -errno, "cannot read folder '%s': %s", dir, strerror(errno));
	for (struct dirent *de; (de = readdir(d));) {
		if (++entries > GN_BACKUP_MAX_ENTRIES) {
			closedir(d);
			return gn_error_set(err, -E2BIG, "'%s': more than %d entries "
					    "(GN_BACKUP_MAX_ENTRIES)", dir, GN_BACKUP_MAX_ENTRIES);
		}
		if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".ovf"))
			continue;
		if (found) {
			closedir(d);
			return gn_error_set(err, -EOPNOTSUPP, "'%s': more than one OVF descriptor "
					    "('%s', '%s'): guestnet reads one VM per backup", dir,
					    strrchr(found, '/') + 1, de->d_name);
		}
		found = join(dir, de->d_name);
		if (!found) {
			closedir(d);
			return gn_error_set(err, -ENOMEM, "out of memory");
		}
	}
	closedir(d);
	*ret = TAKE_PTR(found);
	return *ret != NULL;
}

/* A tar archive: "ustar" at offset 257 of its first header. */
static bool is_tar(const char *path)
{
	char magic[5];
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	return fd >= 0 && pread(fd, magic, sizeof(magic), 257) == (ssize_t)sizeof(magic) &&
		memcmp(magic, "ustar", 5) == 0;
}

int gn_backup_open(const char *path, struct gn_backup **ret, gn_error *err)
{
	_cleanup_(gn_backup_freep) struct gn_backup *b = NULL;
	_cleanup_free_ char *ovf = NULL;
	struct gn_image img = { 0 };
	struct stat st;
	int r;

	if (stat(path, &st) < 0)
		return gn_error_set(err, -errno, "cannot open '%s': %s", path, strerror(errno));
	b = calloc(1, sizeof(*b));
	if (!b || !(b->path = strdup(path)))
		return gn_error_set(err, -ENOMEM, "out of memory");

	if (S_ISDIR(st.st_mode)) {
		b->dir = strdup(path);
		if (!b->dir)
			return gn_error_set(err, -ENOMEM, "out of memory");
		r = find_ovf(path, &ovf, err);
		if (r < 0)
			return r;
		b->kind = r ? GN_BACKUP_OVF : GN_BACKUP_FOLDER;
		if (ovf && (r = own_file(ovf, err)) < 0)
			return r;
		r = ovf ? open_ovf(b, ovf, err) : open_folder(b, err);
		b->record = join(path, RECORD_IN_FOLDER);
	} else if (!S_ISREG(st.st_mode)) {
		return gn_error_set(err, -EBADMSG, "'%s': not a folder or a regular file", path);
	} else if (has_suffix(path, ".ovf")) {
		const char *slash = strrchr(path, '/');

		b->kind = GN_BACKUP_OVF;
		b->dir = slash ? strndup(path, (size_t)(slash == path ? 1 : slash - path)) :
			strdup(".");
		if (!b->dir)
			return gn_error_set(err, -ENOMEM, "out of memory");
		r = open_ovf(b, path, err);
		b->record = join(b->dir, RECORD_IN_FOLDER);
	} else if (has_suffix(path, ".ova") || (!is_image_name(path) && is_tar(path))) {
		b->kind = GN_BACKUP_OVA;
		r = open_ova(b, err);
		if (asprintf(&b->record, "%s%s", path, RECORD_SUFFIX) < 0)
			b->record = NULL;
	} else {
		b->kind = GN_BACKUP_IMAGE;
		_cleanup_free_ char *rel = base_name(path, NULL);

		r = rel ? gn_image_probe(path, NULL, NULL, &img, err) :
			gn_error_set(err, -ENOMEM, "out of memory");
		if (r == 0)
			r = add_disk(b, rel, path, &img, err);
		gn_image_release(&img);
		if (asprintf(&b->record, "%s%s", path, RECORD_SUFFIX) < 0)
			b->record = NULL;
	}
	if (r < 0)
		return r;
	if (b->disks.n == 0)
		return gn_error_set(err, -EBADMSG, "'%s': the backup holds no disk", path);
	b->name = b->ovf && b->ovf->name ? strdup(b->ovf->name) :
		base_name(path, b->kind == GN_BACKUP_FOLDER ? NULL : b->kind == GN_BACKUP_OVA ?
			  ".ova" : strrchr(path, '.'));
	if (!b->name || !b->record)
		return gn_error_set(err, -ENOMEM, "out of memory");
	*ret = TAKE_PTR(b);
	return 0;
}

int gn_backup_record_images(const struct gn_backup *b, struct gn_record *rec, gn_error *err)
{
	for (size_t i = 0; i < b->files.n; i++) {
		const struct gn_backup_file *f = &b->files.v[i];
		char hex[GN_SHA256_HEX];
		int r = gn_sha256_file(f->path, f->offset, f->size, hex, err);

		if (r < 0)
			return r;
		r = gn_record_add_image(rec, f->name, f->size, hex);
		if (r < 0)
			return gn_error_set(err, r, "'%s': image '%s' cannot be recorded: %s", b->path,
					    f->name, strerror(-r));
	}
	return 0;
}

int gn_backup_matches(const struct gn_backup *b, const struct gn_record *rec, char *why,
		      size_t len, gn_error *err)
{
	if (rec->images.n != b->files.n) {
		snprintf(why, len, "they were recorded for %zu image%s, the backup has %zu",
			 rec->images.n, rec->images.n == 1 ? "" : "s", b->files.n);
		return 0;
	}
	/* names and sizes first: a changed image is usually seen without reading it */
	for (size_t i = 0; i < b->files.n; i++)
		if (strcmp(rec->images.v[i].path, b->files.v[i].name) != 0 ||
		    rec->images.v[i].size != b->files.v[i].size) {
			snprintf(why, len, "'%s' is not the image they were recorded for",
				 b->files.v[i].name);
			return 0;
		}
	for (size_t i = 0; i < b->files.n; i++) {
		const struct gn_backup_file *f = &b->files.v[i];
		char hex[GN_SHA256_HEX];
		int r = gn_sha256_file(f->path, f->offset, f->size, hex, err);

		if (r < 0)
			return r;
		if (strcmp(hex, rec->images.v[i].sha256) != 0) {
			snprintf(why, len, "'%s' changed since they were recorded (SHA-256 %.12s..., "
				 "recorded %.12s...)", f->name, hex, rec->images.v[i].sha256);
			return 0;
		}
	}
	return 1;
}

void gn_backup_free(struct gn_backup *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->disks.n; i++) {
		free(b->disks.v[i].name);
		free(b->disks.v[i].file);
		gn_image_release(&b->disks.v[i].image);
	}
	for (size_t i = 0; i < b->files.n; i++) {
		free(b->files.v[i].name);
		free(b->files.v[i].path);
	}
	for (size_t i = 0; i < b->notes.n; i++)
		free(b->notes.v[i]);
	free(b->disks.v);
	free(b->files.v);
	free(b->notes.v);
	gn_ovf_free(b->ovf);
	free(b->path);
	free(b->name);
	free(b->dir);
	free(b->record);
	free(b);
}

void gn_backup_freep(struct gn_backup **b)
{
	gn_backup_free(*b);
}
