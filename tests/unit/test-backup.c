/*
 * test-backup.c: what gn_backup_open finds in each kind of backup, built here with qemu-img and
 * GNU tar: a qcow2 incremental chain, a chain that branches, backing files outside the folder
 * or missing, an OVA (a stream-optimized VMDK and tests/data/ovf/vmware.ovf), a truncated OVA,
 * an OVA naming a disk it does not hold, an OVF folder, a single image.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup.h"
#include "cleanup.h"
#include "inplace.h"
#include "tar.h"
#include "testlib.h"

#define OVF_DISK "WKS-WIN732BITA-disk1.vmdk"  /* the disk file tests/data/ovf/vmware.ovf names */

static char top[] = "/tmp/gn-test-backup.XXXXXX";
static char cwd[4096];  /* the top of the source tree, where tests run */

static const char *P(const char *name)
{
	static char bufs[8][512];
	static unsigned k;
	char *b = bufs[k++ % 8];

	snprintf(b, sizeof(bufs[0]), "%s/%s", top, name);
	return b;
}

/* Run a shell command in the test folder; fail the test when it fails. */
static void sh(const char *fmt, ...)
{
	char cmd[2048];
	int n;
	va_list ap;

	n = snprintf(cmd, sizeof(cmd), "cd '%s' && ", top);
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("failed: %s", cmd);
}

static struct gn_backup *opened(const char *path)
{
	struct gn_backup *b = NULL;
	gn_error err = { "" };

	if (gn_backup_open(path, &b, &err) < 0)
		fail_msg("'%s': %s", path, err.msg);
	return b;
}

static void refused(const char *path, int want, const char *needle)
{
	struct gn_backup *b = NULL;
	gn_error err = { "" };
	int r = gn_backup_open(path, &b, &err);

	if (r != want || !strstr(err.msg, needle))
		fail_msg("'%s': got %d '%s', want %d '%s'", path, r, err.msg, want, needle);
	assert_null(b);
}

static void test_chain(void **state)
{
	_cleanup_(gn_backup_freep) struct gn_backup *b = NULL;

	(void)state;
	sh("mkdir chain && cd chain && qemu-img create -q -f qcow2 base.qcow2 16M && "
	   "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 inc1.qcow2 && "
	   "qemu-img create -q -f qcow2 -b inc1.qcow2 -F qcow2 inc2.qcow2 && echo notes > notes.txt");
	b = opened(P("chain"));
	assert_int_equal(b->kind, GN_BACKUP_FOLDER);
	assert_string_equal(b->name, "chain");
	assert_string_equal(b->record, P("chain/guestnet-settings.xml"));
	/* one disk: the newest image of the chain */
	assert_int_equal(b->disks.n, 1);
	assert_string_equal(b->disks.v[0].name, P("chain/inc2.qcow2"));
	assert_int_equal(b->disks.v[0].image.format, GN_IMAGE_QCOW2);
	/* the files its state is read from: it, then its chain down to the base */
	assert_int_equal(b->files.n, 3);
	assert_string_equal(b->files.v[0].name, "inc2.qcow2");
	assert_string_equal(b->files.v[1].name, "inc1.qcow2");
	assert_string_equal(b->files.v[2].name, "base.qcow2");
	assert_int_equal(b->notes.n, 0);
}

static void test_branch(void **state)
{
	_cleanup_(gn_backup_freep) struct gn_backup *b = NULL;

	(void)state;
	sh("mkdir branch && cd branch && qemu-img create -q -f qcow2 base.qcow2 16M && "
	   "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 b.qcow2 && "
	   "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 a.qcow2 && "
	   "touch -d '2026-01-01' b.qcow2 && touch -d '2026-02-01' a.qcow2");
	b = opened(P("branch"));
	assert_int_equal(b->disks.n, 1);
	assert_string_equal(b->disks.v[0].name, P("branch/a.qcow2"));
	assert_int_equal(b->notes.n, 1);
	assert_non_null(strstr(b->notes.v[0], "the newer, 'a.qcow2', is the state read"));
}

static void test_bad_chains(void **state)
{
	(void)state;
	/* a backing file outside the folder: refused, and never opened */
	sh("mkdir outside elsewhere && qemu-img create -q -f qcow2 elsewhere/base.qcow2 16M && "
	   "qemu-img create -q -f qcow2 -b '%s/elsewhere/base.qcow2' -F qcow2 outside/inc.qcow2",
	   top);
	refused(P("outside"), -EBADMSG, "outside/inc.qcow2': backing file");
	/* a missing backing file */
	sh("mkdir missing && cd missing && qemu-img create -q -f qcow2 base.qcow2 16M && "
	   "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 inc.qcow2 && rm base.qcow2");
	refused(P("missing"), -EBADMSG, "base.qcow2");
	/* no image at all */
	sh("mkdir empty && touch empty/readme.txt");
	refused(P("empty"), -EBADMSG, "no disk image in the folder");
	refused(P("nothing-here"), -ENOENT, "nothing-here");
}

static void test_ova(void **state)
{
	_cleanup_(gn_backup_freep) struct gn_backup *b = NULL;
	_cleanup_(gn_tar_freep) struct gn_tar *t = NULL;
	_cleanup_close_ int fd = -1;
	gn_error err = { "" };

	(void)state;
	sh("mkdir ova && cd ova && cp '%s/tests/data/ovf/vmware.ovf' vm.ovf && "
	   "qemu-img create -q -f qcow2 d.qcow2 16M && "
	   "qemu-img convert -O vmdk -o subformat=streamOptimized d.qcow2 " OVF_DISK " && "
	   "tar --format=ustar -cf ../vm.ova vm.ovf " OVF_DISK, cwd);
	b = opened(P("vm.ova"));
	assert_int_equal(b->kind, GN_BACKUP_OVA);
	assert_string_equal(b->name, "WKS-WIN732BITA");
	assert_string_equal(b->record, P("vm.ova.guestnet.xml"));
	assert_int_equal(b->disks.n, 1);
	assert_string_equal(b->disks.v[0].file, P("vm.ova"));
	assert_int_equal(b->disks.v[0].image.format, GN_IMAGE_VMDK);
	assert_int_equal(b->disks.v[0].image.virtual_size, 16 << 20);
	/* the disk is read in place: where tar put the member */
	fd = open(P("vm.ova"), O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(gn_tar_index(fd, "vm.ova", &t, &err), 0);
	assert_int_equal(b->disks.v[0].offset, gn_tar_find(t, OVF_DISK)->offset);
	assert_int_equal(b->disks.v[0].size, gn_tar_find(t, OVF_DISK)->size);
	assert_int_equal(b->files.n, 1);
	assert_string_equal(b->files.v[0].name, OVF_DISK);
	/* the NICs come with the descriptor */
	assert_int_equal(b->ovf->nics.n, 2);
	assert_string_equal(b->ovf->nics.v[0].mac, "00:50:56:a5:12:69");
	assert_string_equal(b->ovf->nics.v[0].network, "Prod-10");
}

static void test_bad_ovas(void **state)
{
	(void)state;
	/* cut in the middle of the disk */
	sh("head -c 3000 vm.ova > cut.ova");
	refused(P("cut.ova"), -EBADMSG, "truncated archive");
	/* a descriptor naming a disk file the archive does not hold */
	sh("cd ova && tar --format=ustar -cf ../nodisk.ova vm.ovf");
	refused(P("nodisk.ova"), -EBADMSG, "names disk file '" OVF_DISK "', which is not in the archive");
	/* a descriptor with a DOCTYPE */
	sh("mkdir dt && cd dt && printf '<?xml version=\"1.0\"?>\\n<!DOCTYPE x [<!ENTITY e SYSTEM "
	   "\"/etc/passwd\">]>\\n<Envelope/>\\n' > vm.ovf && tar -cf ../doctype.ova vm.ovf");
	refused(P("doctype.ova"), -EBADMSG, "DOCTYPE is not allowed");
	/* a name twice: the first and the last are different files */
	sh("mkdir dup && cp ova/vm.ovf dup/ && cd dup && tar --format=ustar -cf ../dup-ovf.ova vm.ovf "
	   "-C ../ova vm.ovf " OVF_DISK " && cd ../ova && tar --format=ustar --hard-dereference "
	   "-cf ../dup-disk.ova vm.ovf " OVF_DISK " " OVF_DISK);
	refused(P("dup-ovf.ova"), -EBADMSG, "the archive holds 'vm.ovf' more than once");
	refused(P("dup-disk.ova"), -EBADMSG, "the archive holds '" OVF_DISK "' more than once");
	/* no descriptor */
	sh("cd ova && tar -cf ../plain.ova " OVF_DISK);
	refused(P("plain.ova"), -EBADMSG, "no OVF descriptor");
}

static void test_ovf_folder_and_image(void **state)
{
	_cleanup_(gn_backup_freep) struct gn_backup *b = NULL, *i = NULL;

	(void)state;
	b = opened(P("ova"));  /* the folder the OVA was made from holds vm.ovf */
	assert_int_equal(b->kind, GN_BACKUP_OVF);
	assert_string_equal(b->name, "WKS-WIN732BITA");
	assert_int_equal(b->disks.n, 1);
	assert_string_equal(b->disks.v[0].name, P("ova/" OVF_DISK));
	assert_string_equal(b->record, P("ova/guestnet-settings.xml"));

	i = opened(P("chain/base.qcow2"));
	assert_int_equal(i->kind, GN_BACKUP_IMAGE);
	assert_string_equal(i->name, "base");
	assert_string_equal(i->record, P("chain/base.qcow2.guestnet.xml"));
	/* recorded by its name: a record's paths are relative to the backup */
	assert_int_equal(i->files.n, 1);
	assert_string_equal(i->files.v[0].name, "base.qcow2");
	/* a single image has no folder for backing files */
	refused(P("chain/inc1.qcow2"), -EBADMSG, "backing file");
}

/*
 * A tenant's folder: a disk that is a symbolic link (to a host file, or into another folder) is
 * refused; a tar written into a raw disk does not make it an OVA; caps name their limits.
 */
static void test_hostile_folders(void **state)
{
	_cleanup_(gn_backup_freep) struct gn_backup *img = NULL;

	(void)state;
	sh("mkdir link && ln -s /etc/passwd link/disk.img");
	refused(P("link"), -EBADMSG, "link/disk.img' is a symbolic link");
	sh("mkdir ovflink && cp ova/vm.ovf ovflink/ && ln -s ../ova/" OVF_DISK " ovflink/" OVF_DISK);
	refused(P("ovflink"), -EBADMSG, "ovflink/" OVF_DISK "' is a symbolic link");
	sh("mkdir ovfdesc && ln -s ../ova/vm.ovf ovfdesc/vm.ovf");
	refused(P("ovfdesc"), -EBADMSG, "ovfdesc/vm.ovf' is a symbolic link");

	/* named as an image: an image, whatever the guest wrote at its start */
	sh("cd ova && tar --format=ustar -cf ../tar-inside.img vm.ovf " OVF_DISK);
	img = opened(P("tar-inside.img"));
	assert_int_equal(img->kind, GN_BACKUP_IMAGE);
	assert_int_equal(img->disks.v[0].image.format, GN_IMAGE_RAW);
	assert_null(img->ovf);

	/* 66 images on one base: 65 branches left out, more than GN_BACKUP_MAX_DISKS notes */
	sh("mkdir fan && cd fan && qemu-img create -q -f qcow2 base.qcow2 1M && "
	   "for i in $(seq 1 66); do qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 b$i.qcow2 "
	   "|| exit 1; done");
	refused(P("fan"), -E2BIG, "more than 64 images grow from one base (GN_BACKUP_MAX_DISKS)");

	/* seven descriptors of 2500 extents each: more files than GN_BACKUP_MAX_FILES */
	sh("mkdir -p many/x && cd many && for n in a b c d e f g; do { printf '# Disk "
	   "DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\n"
	   "createType=\"monolithicFlat\"\n'; seq 1 2500 | sed 's|.*|RW 1 FLAT \"x/&\" 0|'; "
	   "} > $n.vmdk; done && cd x && seq 1 2500 | xargs truncate -s 512");
	refused(P("many"), -E2BIG, "more than 16384 files (GN_BACKUP_MAX_FILES)");
}

/*
 * Images are probed newest first, then by name from the last, and one already in a probed chain
 * is not probed again.  All of the same time here (a copy that kept none): the names order them.
 */
static void test_long_chain(void **state)
{
	_cleanup_(gn_backup_freep) struct gn_backup *b = NULL;

	(void)state;
	sh("mkdir long && cd long && qemu-img create -q -f qcow2 i00.qcow2 1M && "
	   "p=i00.qcow2; for i in $(seq -w 1 59); do "
	   "qemu-img create -q -f qcow2 -b $p -F qcow2 i$i.qcow2 || exit 1; p=i$i.qcow2; done && "
	   "touch -d '2026-01-01' *.qcow2");
	b = opened(P("long"));
	assert_int_equal(b->disks.n, 1);
	assert_string_equal(b->disks.v[0].name, P("long/i59.qcow2"));
	assert_int_equal(b->files.n, 60);
	assert_string_equal(b->files.v[59].name, "i00.qcow2");
}

/*
 * An OVA's disk read in place: the overlay's backing is the member, with the member's qcow2
 * backing file never followed ("backing": null) and a size qemu's raw driver takes (whole
 * sectors: qemu-img makes qcow2 files of 196616 bytes).
 */
static void test_inplace(void **state)
{
	_cleanup_(gn_backup_freep) struct gn_backup *b = NULL;
	_cleanup_free_ char *overlay = NULL;
	gn_error err = { "" };

	(void)state;
	sh("mkdir inplace && cd inplace && sed 's|http://www.vmware.com/interfaces/specifications/"
	   "vmdk.html#streamOptimized|http://www.gnome.org/~markmc/qcow-image-format.html|' "
	   "'%s/tests/data/ovf/vmware.ovf' > vm.ovf && grep -q qcow-image-format vm.ovf && "
	   "qemu-img create -q -f raw r.raw 1M && qemu-img convert -O qcow2 r.raw " OVF_DISK " && "
	   "test $(($(stat -c %%s " OVF_DISK ") %% 512)) -ne 0 && "
	   "tar --format=ustar -cf ../inplace.ova vm.ovf " OVF_DISK, cwd);
	b = opened(P("inplace.ova"));
	assert_int_equal(b->disks.v[0].image.format, GN_IMAGE_QCOW2);
	assert_int_equal(gn_inplace_overlay(&b->disks.v[0], P("inplace"), 1, &overlay, &err), 0);
	sh("qemu-img info --output=json '%s' | grep -q '\"virtual-size\": 1048576'", overlay);
	sh("qemu-img info '%s' | grep -qF 'backing file: json:{\"driver\":\"qcow2\",\"backing\":null,'",
	   overlay);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(top) && getcwd(cwd, sizeof(cwd)) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	/* in order: later tests use what earlier ones built */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_branch),
		cmocka_unit_test(test_bad_chains),
		cmocka_unit_test(test_ova),
		cmocka_unit_test(test_bad_ovas),
		cmocka_unit_test(test_ovf_folder_and_image),
		cmocka_unit_test(test_hostile_folders),
		cmocka_unit_test(test_long_chain),
		cmocka_unit_test(test_inplace),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
