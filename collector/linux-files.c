/*
 * linux-files.c: reading a Linux guest's configuration files safely, and parsing them with
 * libaugeas.
 *
 * The root is either a private copy of the guest's files (made inside the libguestfs appliance,
 * symbolic links resolved there) or "/" for the running system.  In a copy, a symbolic link can
 * only be a mistake or an attack: its target would be resolved on the host, so every path
 * component is opened with O_NOFOLLOW and a link is skipped with a warning, its target never
 * read.  Every file is checked for type and size before a byte is read.
 *
 * libaugeas is only ever handed text: the contents read here are set as a node's value and
 * parsed with aug_text_store, so libaugeas never opens a guest file itself (its own loader
 * follows links and has no size limit) and nothing is ever saved.  Spans are on, so a node's
 * line in its file can be named in warnings.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <augeas.h>

#include "cleanup.h"
#include "linux.h"

static void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

/* True for the character device /dev/null (what systemd masks with). */
static bool is_dev_null(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && major(st->st_rdev) == 1 && minor(st->st_rdev) == 3;
}

/*
 * The folder holding path's last component, opened without following links (unless live), and
 * that component's name in *base (pointing into buf).  -ENOENT when a folder on the way does not
 * exist, -ELOOP when one is a symbolic link (*bad gets its path length), -ENOTDIR, -EINVAL for a
 * path that is not absolute or has a ".." component.
 */
static int open_parent(struct gn_linux_ctx *ctx, const char *path, char *buf, const char **base,
		       size_t *bad)
{
	_cleanup_close_ int fd = -1;
	int nofollow = ctx->live ? 0 : O_NOFOLLOW;
	char *p, *next;

	if (path[0] != '/' || strlen(path) >= GN_LINUX_MAX_PATH)
		return -EINVAL;
	strcpy(buf, path);
	fd = dup(ctx->rootfd);
	if (fd < 0)
		return -errno;
	p = buf + 1;
	for (;;) {
		while (*p == '/')
			p++;
		next = strchr(p, '/');
		if (!next || !next[1])
			break;
		*next = '\0';
		if (strcmp(p, "..") == 0)
			return -EINVAL;
		if (strcmp(p, ".") != 0 && *p) {
			int nfd = openat(fd, p, O_PATH | O_DIRECTORY | O_CLOEXEC | nofollow);
			if (nfd < 0) {
				int e = errno;
				struct stat st;

				if ((e == ELOOP || e == ENOTDIR) &&
				    fstatat(fd, p, &st,
					    AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
					*bad = (size_t)(next - buf);
					return -ELOOP;
				}
				return -e;
			}
			close(fd);
			fd = nfd;
		}
		*next = '/';
		p = next + 1;
	}
	if (next)
		*next = '\0';  /* a trailing '/' */
	if (strcmp(p, "..") == 0 || !*p)
		return -EINVAL;
	*base = p;
	int r = fd;
	fd = -1;
	return r;
}

static void warn_path_error(struct gn_linux_ctx *ctx, const char *path, int r, size_t bad)
{
	if (r == -ELOOP && bad)
		gn_linux_warn(ctx, "'%.*s' is a symbolic link; '%s' was not read", (int)bad, path,
			      path);
	else if (r == -ELOOP)
		gn_linux_warn(ctx, "'%s' is a symbolic link; it was not read", path);
	else if (r == -EINVAL)
		gn_linux_warn(ctx, "'%.200s' is not a plain absolute path; it was not read", path);
	else
		gn_linux_warn(ctx, "'%s' could not be read: %s", path, strerror(-r));
}

/* Open path for reading as a regular file (or a folder): fd, -ENOENT silently, or -errno after
 * a warning.  *st gets its status. */
static int open_checked(struct gn_linux_ctx *ctx, const char *path, bool folder, struct stat *st)
{
	char buf[GN_LINUX_MAX_PATH];
	const char *base = NULL;
	size_t bad = 0;
	_cleanup_close_ int dfd = open_parent(ctx, path, buf, &base, &bad);
	int fd, flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (folder ? O_DIRECTORY : 0);

	if (dfd == -ENOENT || dfd == -ENOTDIR)
		return -ENOENT;
	if (dfd < 0) {
		warn_path_error(ctx, path, dfd, bad);
		return dfd;
	}
	/* look before opening: opening a device or a FIFO can block or have effects */
	if (fstatat(dfd, base, st, ctx->live ? 0 : AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return -ENOENT;
		warn_path_error(ctx, path, -errno, 0);
		return -errno;
	}
	if (S_ISLNK(st->st_mode)) {
		warn_path_error(ctx, path, -ELOOP, 0);
		return -ELOOP;
	}
	if (folder ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode)) {
		if (folder && S_ISREG(st->st_mode))
			return -ENOTDIR;  /* /etc/sysconfig/network: RHEL's file, SLES' folder */
		if (!folder && S_ISDIR(st->st_mode))
			return -EISDIR;
		gn_linux_warn(ctx, "'%s' is not a regular file; it was not read", path);
		return -EBADF;
	}
	fd = openat(dfd, base, flags | (ctx->live ? 0 : O_NOFOLLOW));
	if (fd < 0) {
		int e = errno;
		warn_path_error(ctx, path, -e, 0);
		return -e;
	}
	/* and again on what was opened: it may have been replaced in between */
	if (fstat(fd, st) < 0 || (folder ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode))) {
		close(fd);
		gn_linux_warn(ctx, "'%s' changed while it was read; it was not read", path);
		return -EBADF;
	}
	return fd;
}

bool gn_linux_exists(struct gn_linux_ctx *ctx, const char *path)
{
	char buf[GN_LINUX_MAX_PATH];
	const char *base = NULL;
	size_t bad = 0;
	_cleanup_close_ int dfd = open_parent(ctx, path, buf, &base, &bad);
	struct stat st;

	return dfd >= 0 && fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

int gn_linux_read_file(struct gn_linux_ctx *ctx, const char *path, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t len = 0;

	fd = open_checked(ctx, path, false, &st);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	if (ctx->files >= GN_MAX_CONFIG_FILES) {
		if (!ctx->files_capped)
			gn_linux_warn(ctx, "more than %d configuration files; '%s' and the rest "
				      "were not read", GN_MAX_CONFIG_FILES, path);
		ctx->files_capped = true;
		return -E2BIG;
	}
	ctx->files++;
	if ((uint64_t)st.st_size > GN_MAX_CONFIG_FILE_BYTES) {
		gn_linux_warn(ctx, "'%s' is too large (%lld bytes; limit %u); it was not read",
			      path, (long long)st.st_size, GN_MAX_CONFIG_FILE_BYTES);
		return -E2BIG;
	}
	if (ctx->bytes + (uint64_t)st.st_size > GN_LINUX_MAX_TOTAL_BYTES) {
		if (!ctx->bytes_capped)
			gn_linux_warn(ctx, "the configuration files add up to more than %u bytes; "
				      "'%s' and the rest were not read", GN_LINUX_MAX_TOTAL_BYTES,
				      path);
		ctx->bytes_capped = true;
		return -E2BIG;
	}
	/* st_size is a hint only: read to the cap plus one byte, so a growing file is caught too */
	buf = malloc((size_t)GN_MAX_CONFIG_FILE_BYTES + 2);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n = read(fd, buf + len, GN_MAX_CONFIG_FILE_BYTES + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			gn_linux_warn(ctx, "'%s' could not be read: %s", path, strerror(e));
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > GN_MAX_CONFIG_FILE_BYTES) {
			gn_linux_warn(ctx, "'%s' is too large (more than %u bytes); it was not "
				      "read", path, GN_MAX_CONFIG_FILE_BYTES);
			return -E2BIG;
		}
	}
	buf[len] = '\0';
	ctx->bytes += len;
	if (memchr(buf, '\0', len)) {
		gn_linux_warn(ctx, "'%s' holds a NUL byte, so it is not a text file; it was not "
			      "read", path);
		return -EBADMSG;
	}
	char *shrunk = realloc(buf, len + 1);
	if (shrunk)
		buf = shrunk;
	*ret = TAKE_PTR(buf);
	if (ret_len)
		*ret_len = len;
	return 1;
}

static int cmp_names(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;

	/* masks ("!name") sort with the name they mask */
	return strcmp(x + (x[0] == '!'), y + (y[0] == '!'));
}

/* Is the entry name of dfd a regular file (1), a mask (2: a link to /dev/null), or neither (0,
 * with a warning for a symbolic link)? */
static int entry_kind(struct gn_linux_ctx *ctx, int dfd, const char *dir, const char *name)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (S_ISLNK(st.st_mode)) {
		char target[16];
		ssize_t n;

		if (ctx->live) {
			if (fstatat(dfd, name, &st, 0) < 0)
				return 0;
			return S_ISREG(st.st_mode) ? 1 : is_dev_null(&st) ? 2 : 0;
		}
		n = readlinkat(dfd, name, target, sizeof(target) - 1);
		if (n == 9 && memcmp(target, "/dev/null", 9) == 0)
			return 2;
		gn_linux_warn(ctx, "'%s/%s' is a symbolic link; it was not read", dir, name);
		return 0;
	}
	if (is_dev_null(&st))
		return 2;
	return S_ISREG(st.st_mode) ? 1 : 0;
}

int gn_linux_list(struct gn_linux_ctx *ctx, const char *dir, gn_linux_keep_fn keep,
		  const void *data, char ***ret)
{
	_cleanup_(gn_strv_freep) char **names = NULL;
	_cleanup_(closedirp) DIR *d = NULL;
	struct dirent *de;
	struct stat st;
	size_t n = 0, cap = 0, seen = 0;
	int fd;

	*ret = NULL;
	fd = open_checked(ctx, dir, true, &st);
	if (fd == -ENOENT || fd == -ENOTDIR)
		return 0;
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	while ((errno = 0, de = readdir(d))) {
		int kind;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (++seen > GN_LINUX_MAX_DIR_ENTRIES) {
			gn_linux_warn(ctx, "'%s' holds more than %d entries; the rest were not "
				      "read", dir, GN_LINUX_MAX_DIR_ENTRIES);
			break;
		}
		if (keep && !keep(de->d_name, data))
			continue;
		kind = entry_kind(ctx, dirfd(d), dir, de->d_name);
		if (kind == 0)
			continue;
		if (gn_array_reserve((void **)&names, &cap, n + 1, sizeof(*names),
				     GN_LINUX_MAX_DIR_ENTRIES + 2) < 0)
			return -ENOMEM;
		if (asprintf(&names[n], "%s%s", kind == 2 ? "!" : "", de->d_name) < 0)
			return -ENOMEM;
		names[++n] = NULL;
	}
	if (errno) {
		int e = errno;
		gn_linux_warn(ctx, "'%s' could not be listed: %s", dir, strerror(e));
	}
	if (!names) {
		names = calloc(1, sizeof(*names));
		if (!names)
			return -ENOMEM;
	}
	qsort(names, n, sizeof(*names), cmp_names);
	*ret = TAKE_PTR(names);
	return 1;
}

bool gn_linux_shadowed(char **const *lists, size_t n, const char *name)
{
	for (size_t k = 0; k < n; k++)
		for (size_t m = 0; lists[k] && lists[k][m]; m++)
			if (strcmp(lists[k][m] + (lists[k][m][0] == '!'), name) == 0)
				return true;
	return false;
}

int gn_linux_split_words(char *line, char **words, size_t *n)
{
	char *save = NULL;

	*n = 0;
	for (char *w = strtok_r(line, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		if (*n == GN_LINUX_MAX_WORDS)
			return -E2BIG;
		words[(*n)++] = w;
	}
	return 0;
}

void gn_linux_where(char *buf, size_t size, const char *path, int line)
{
	snprintf(buf, size, "'%s' line %d", path, line);
}

bool gn_linux_has_suffix(const char *name, const char *const *suffixes, size_t n)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < n; i++) {
		size_t m = strlen(suffixes[i]);
		if (len >= m && strcmp(name + len - m, suffixes[i]) == 0)
			return true;
	}
	return false;
}

void gn_linux_each_line(struct gn_linux_ctx *ctx, const char *path, const char *text,
			gn_linux_words_fn fn, void *data)
{
	char w[GN_LINUX_WHERE_MAX];
	const char *p = text;

	for (int line = 1; *p; line++) {
		size_t len = strcspn(p, "\n"), n = 0;
		_cleanup_free_ char *copy = strndup(p, len);
		char *words[GN_LINUX_MAX_WORDS], *hash;

		p += len + (p[len] == '\n');
		if (!copy)
			return;
		if ((hash = strchr(copy, '#')))
			*hash = '\0';
		gn_linux_where(w, sizeof(w), path, line);
		if (gn_linux_split_words(copy, words, &n) < 0)
			gn_linux_warn(ctx, "%s: too many words; the line was skipped", w);
		else if (n > 0)
			fn(ctx, w, words, n, data);
	}
}

int gn_linux_sh_unquote(const char *raw, char **ret)
{
	size_t len = strlen(raw);
	_cleanup_free_ char *out = malloc(len + 1);
	char *o = out;
	const char *p = raw;

	if (!out)
		return -ENOMEM;
	while (*p) {
		if (*p == '\'') {
			const char *end = strchr(p + 1, '\'');
			if (!end)
				return -EINVAL;
			memcpy(o, p + 1, (size_t)(end - p - 1));
			o += end - p - 1;
			p = end + 1;
		} else if (*p == '"') {
			for (p++; *p != '"'; p++) {
				if (!*p || *p == '$' || *p == '`')
					return -EINVAL;
				if (*p == '\\' && p[1] && strchr("\"\\$`\n", p[1]))
					p++;
				*o++ = *p;
			}
			p++;
		} else if (*p == '\\' && p[1]) {
			*o++ = p[1];
			p += 2;
		} else if (*p == '$' || *p == '`' || *p == '\\') {
			return -EINVAL;
		} else
			*o++ = *p++;
	}
	*o = '\0';
	*ret = TAKE_PTR(out);
	return 0;
}

/*
 * libaugeas.
 */

static int aug_open(struct gn_linux_ctx *ctx)
{
	if (ctx->aug)
		return 0;
	if (ctx->aug_failed)
		return -ENOTSUP;
	/* no root is ever loaded (AUG_NO_LOAD) and no module until a lens is asked for; the stock
	 * lenses come from libaugeas' standard load path */
	ctx->aug = aug_init("/", NULL, AUG_NO_LOAD | AUG_NO_MODL_AUTOLOAD | AUG_ENABLE_SPAN |
			    AUG_NO_ERR_CLOSE);
	if (!ctx->aug || aug_error(ctx->aug) != AUG_NOERROR) {
		gn_linux_warn(ctx, "libaugeas could not start (%s); the files it parses were not "
			      "read", ctx->aug ? aug_error_message(ctx->aug) : "out of memory");
		if (ctx->aug)
			aug_close(ctx->aug);
		ctx->aug = NULL;
		ctx->aug_failed = true;
		return -ENOTSUP;
	}
	return 0;
}

void gn_linux_aug_close(struct gn_linux_ctx *ctx)
{
	if (ctx->aug)
		aug_close(ctx->aug);
	ctx->aug = NULL;
}

/* Offsets of the starts of text's lines, for line numbers from spans. */
static int index_lines(struct gn_linux_tree *t)
{
	size_t n = 1;

	for (const char *p = t->text; (p = strchr(p, '\n')); p++)
		n++;
	t->lines = calloc(n, sizeof(*t->lines));
	if (!t->lines)
		return -ENOMEM;
	t->nlines = 0;
	t->lines[t->nlines++] = 0;
	for (const char *p = t->text; (p = strchr(p, '\n')); p++)
		t->lines[t->nlines++] = (size_t)(p + 1 - t->text);
	return 0;
}

static int line_of(const struct gn_linux_tree *t, size_t off)
{
	size_t lo = 0, hi = t->nlines;

	if (!t->lines)
		return 0;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (t->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (int)lo + 1;
}

void gn_linux_tree_release(struct gn_linux_ctx *ctx, struct gn_linux_tree *t)
{
	if (t->root && ctx->aug)
		aug_rm(ctx->aug, t->root);
	free(t->root);
	free(t->text);
	free(t->file);
	free(t->lines);
	memset(t, 0, sizeof(*t));
}

int gn_linux_aug_parse(struct gn_linux_ctx *ctx, const char *lens, const char *path, char *text,
		       struct gn_linux_tree *ret)
{
	char node[64], tree[64], err[96];
	const char *line = NULL, *msg = NULL;
	struct gn_linux_tree t = { .text = text };
	int r;

	r = aug_open(ctx);
	if (r < 0) {
		free(text);
		return r;
	}
	ctx->aug_seq++;
	snprintf(node, sizeof(node), "/gn-text/t%u", ctx->aug_seq);
	snprintf(tree, sizeof(tree), "/gn/t%u", ctx->aug_seq);
	snprintf(err, sizeof(err), "/augeas/text/gn/t%u/error", ctx->aug_seq);
	if (aug_set(ctx->aug, node, text) < 0) {
		free(text);
		gn_linux_warn(ctx, "'%s' could not be parsed: %s", path,
			      aug_error_message(ctx->aug));
		return -ENOMEM;
	}
	r = aug_text_store(ctx->aug, lens, node, tree);
	aug_rm(ctx->aug, node);
	if (r < 0 || aug_get(ctx->aug, err, NULL) == 1) {
		if (aug_error(ctx->aug) == AUG_ENOLENS)
			gn_linux_warn(ctx, "'%s' was not read: libaugeas has no lens '%s' (%s)",
				      path, lens,
				      aug_error_minor_message(ctx->aug) ?: "not installed");
		else {
			char sub[128];
			snprintf(sub, sizeof(sub), "%s/line", err);
			aug_get(ctx->aug, sub, &line);
			snprintf(sub, sizeof(sub), "%s/message", err);
			aug_get(ctx->aug, sub, &msg);
			gn_linux_warn(ctx, "'%s' line %s: %s (libaugeas lens %s); the file was not "
				      "read", path, line ?: "?", msg ?: "parse error", lens);
		}
		snprintf(err, sizeof(err), "/augeas/text/gn/t%u", ctx->aug_seq);
		aug_rm(ctx->aug, err);
		aug_rm(ctx->aug, tree);
		free(text);
		return -EBADMSG;
	}
	t.root = strdup(tree);
	t.file = strdup(path);
	if (!t.root || !t.file || index_lines(&t) < 0) {
		gn_linux_tree_release(ctx, &t);
		return -ENOMEM;
	}
	*ret = t;
	return 0;
}

int gn_linux_aug_file(struct gn_linux_ctx *ctx, const char *lens, const char *path,
		      struct gn_linux_tree *ret)
{
	char *text = NULL;
	int r = gn_linux_read_file(ctx, path, &text, NULL);

	if (r <= 0)
		return r;
	r = gn_linux_aug_parse(ctx, lens, path, text, ret);
	return r < 0 ? r : 1;
}

void gn_linux_nodes_free(struct gn_linux_node *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].path);
		free(v[i].label);
		free(v[i].value);
	}
	free(v);
}

int gn_linux_aug_children(struct gn_linux_ctx *ctx, const struct gn_linux_tree *t, const char *path,
			  struct gn_linux_node **ret, size_t *ret_n)
{
	_cleanup_free_ char *expr = NULL;
	char **matches = NULL;
	struct gn_linux_node *v = NULL;
	int n, r = 0;

	*ret = NULL;
	*ret_n = 0;
	if (!ctx->aug)
		return 0;
	if (asprintf(&expr, "%s/*", path ?: t->root) < 0)
		return -ENOMEM;
	n = aug_match(ctx->aug, expr, &matches);
	if (n <= 0) {
		free(matches);
		return 0;
	}
	if (n > GN_LINUX_MAX_NODES)
		gn_linux_warn(ctx, "'%s' holds more than %d entries in one place; the rest were "
			      "not read", t->file, GN_LINUX_MAX_NODES);
	v = calloc((size_t)(n < GN_LINUX_MAX_NODES ? n : GN_LINUX_MAX_NODES), sizeof(*v));
	if (!v)
		r = -ENOMEM;
	for (int i = 0; i < n; i++) {
		const char *label = NULL, *value = NULL;
		unsigned ls, le, vs, ve, ss, se;
		char *file = NULL;

		if (r < 0 || i >= GN_LINUX_MAX_NODES) {
			free(matches[i]);
			continue;
		}
		v[i].path = matches[i];
		if (aug_label(ctx->aug, matches[i], &label) == 1 && label)
			v[i].label = strdup(label);
		else
			v[i].label = strdup("");
		if (aug_get(ctx->aug, matches[i], &value) == 1 && value)
			v[i].value = strdup(value);
		if (!v[i].label || (value && !v[i].value))
			r = -ENOMEM;
		if (aug_span(ctx->aug, matches[i], &file, &ls, &le, &vs, &ve, &ss, &se) == 0)
			v[i].line = line_of(t, ss);
		free(file);
		*ret_n = (size_t)i + 1;
	}
	free(matches);
	if (r < 0) {
		gn_linux_nodes_free(v, *ret_n);
		*ret_n = 0;
		return r;
	}
	*ret = v;
	return 0;
}

const char *gn_linux_node_get(const struct gn_linux_node *v, size_t n, const char *label)
{
	const char *found = NULL;

	/* the last assignment wins, as in a shell or an INI file read by a program */
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].label, label) == 0)
			found = v[i].value;
	return found;
}

/*
 * Shell variable files (ifcfg, routes in ADDRESSn= form), through the Shellvars lens.
 */

void gn_linux_vars_release(struct gn_linux_vars *vars)
{
	for (size_t i = 0; i < vars->n; i++) {
		free(vars->v[i].name);
		free(vars->v[i].value);
	}
	free(vars->v);
	memset(vars, 0, sizeof(*vars));
}

int gn_linux_sh_file(struct gn_linux_ctx *ctx, const char *path, struct gn_linux_vars *ret)
{
	struct gn_linux_tree t = { 0 };
	struct gn_linux_node *v = NULL;
	struct gn_linux_vars vars = { 0 };
	size_t n = 0, cap = 0;
	int r = gn_linux_aug_file(ctx, "Shellvars.lns", path, &t);

	if (r <= 0)
		return r;
	r = gn_linux_aug_children(ctx, &t, NULL, &v, &n);
	for (size_t i = 0; r == 0 && i < n; i++) {
		char *value = NULL;

		if (v[i].label[0] == '#' || strcmp(v[i].label, "@unset") == 0)
			continue;
		if (v[i].label[0] == '@') {
			gn_linux_warn(ctx, "'%s' line %d: not a variable assignment; the line was "
				      "ignored", path, v[i].line);
			continue;
		}
		if (!v[i].value) {
			gn_linux_warn(ctx, "'%s' line %d: %s is an array; it was ignored", path,
				      v[i].line, v[i].label);
			continue;
		}
		if (gn_linux_sh_unquote(v[i].value, &value) < 0) {
			gn_linux_warn(ctx, "'%s' line %d: the value of %s is not a plain string (a "
				      "shell expansion or an unterminated quote); it was ignored",
				      path, v[i].line, v[i].label);
			continue;
		}
		r = gn_array_reserve((void **)&vars.v, &cap, vars.n, sizeof(*vars.v),
				     GN_LINUX_MAX_NODES);
		if (r < 0) {
			free(value);
			break;
		}
		vars.v[vars.n].name = v[i].label;
		vars.v[vars.n].value = value;
		vars.v[vars.n].line = v[i].line;
		v[i].label = NULL;
		vars.n++;
	}
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].label);
		free(v[i].value);
	}
	free(v);
	gn_linux_tree_release(ctx, &t);
	if (r < 0) {
		gn_linux_vars_release(&vars);
		return r;
	}
	*ret = vars;
	return 1;
}

const char *gn_linux_var(const struct gn_linux_vars *vars, const char *name, int *line)
{
	for (size_t i = vars->n; i-- > 0;)
		if (strcmp(vars->v[i].name, name) == 0) {
			if (line)
				*line = vars->v[i].line;
			return vars->v[i].value;
		}
	return NULL;
}
