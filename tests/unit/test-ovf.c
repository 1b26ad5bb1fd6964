/*
 * test-ovf.c: OVF descriptors (collector/ovf.c).
 *
 * The files of tests/data/ovf are descriptors as vSphere, VirtualBox (OVF 1 and 2) and a script
 * writing through ElementTree write them; each value read is asserted.  bad-*.ovf must be
 * refused with the errno and message in the table below, naming the file and line, without
 * libxml2 ever printing; each says why in a comment.  Smaller cases are built inline from one
 * template.  The files end in .ovf, not .xml, so test-xml's schema sweep leaves them alone.
 * Run from the top of the repository.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "cleanup.h"
#include "model.h"
#include "ovf.h"
#include "testlib.h"

#define DATA "tests/data/ovf/"
#define VMDK "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"

/* ---------- helpers ---------- */

/* While a call runs, standard error goes to a temporary file: libxml2 must never print. */
static int saved_stderr = -1;
static FILE *captured;

static void capture_begin(void)
{
	fflush(stderr);
	captured = tmpfile();
	assert_non_null(captured);
	saved_stderr = dup(2);
	assert_true(saved_stderr >= 0);
	assert_true(dup2(fileno(captured), 2) >= 0);
}

static void capture_end(void)
{
	long len;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	len = ftell(captured);
	fclose(captured);
	if (len != 0)
		fail_msg("libxml2 printed %ld bytes", len);
}

static struct gn_ovf *read_ok(const char *path)
{
	struct gn_ovf *o = NULL;
	gn_error err = { "" };
	int r;

	capture_begin();
	r = gn_ovf_read_file(path, &o, &err);
	capture_end();
	if (r < 0)
		fail_msg("'%s': %d %s", path, r, err.msg);
	assert_non_null(o);
	return o;
}

static void refused_buf(const char *buf, size_t len, const char *name, int want,
			const char *needle)
{
	struct gn_ovf *o = NULL;
	gn_error err = { "" };
	int r;

	capture_begin();
	r = name && !buf ? gn_ovf_read_file(name, &o, &err) : gn_ovf_read(buf, len, name, &o, &err);
	capture_end();
	if (r != want || !strstr(err.msg, needle))
		fail_msg("got %d (want %d), message '%s' (want '%s')", r, want, err.msg, needle);
	assert_null(o);
	if (getenv("GN_TEST_VERBOSE"))
		printf("%s\n", err.msg);
}

static void check_disk(const struct gn_ovf_disk *d, const char *id, const char *href,
		       const char *format, uint64_t capacity, int64_t size, long line)
{
	assert_string_equal(d->disk_id, id);
	assert_string_equal(d->href, href);
	assert_string_equal(d->format, format);
	assert_int_equal(d->capacity, capacity);
	assert_int_equal(d->size, size);
	assert_int_equal(d->line, line);
}

static void check_str(const char *got, const char *want)
{
	if (!want)
		assert_null(got);
	else
		assert_string_equal(got, want);
}

static void check_nic(const struct gn_ovf_nic *n, const char *mac, const char *network,
		      const char *element_name, long line)
{
	check_str(n->mac, mac);
	check_str(n->network, network);
	check_str(n->element_name, element_name);
	assert_int_equal(n->line, line);
}

/* ---------- descriptors as hypervisors write them ---------- */

static void test_vmware(void **state)
{
	_cleanup_(gn_ovf_freep) struct gn_ovf *o = read_ok(DATA "vmware.ovf");

	(void)state;
	assert_string_equal(o->name, "WKS-WIN732BITA");
	assert_int_equal(o->disks.n, 1);
	check_disk(&o->disks.v[0], "vmdisk1", "WKS-WIN732BITA-disk1.vmdk", "vmdk",
		   UINT64_C(40) << 30, INT64_C(4563287552), 11);
	assert_int_equal(o->nics.n, 2);
	check_nic(&o->nics.v[0], "00:50:56:a5:12:69", "Prod-10", "Network adapter 1", 89);
	check_nic(&o->nics.v[1], "00:50:56:a5:7e:01", "Backup VLAN 58", "Network adapter 2", 103);
}

static void test_virtualbox(void **state)
{
	_cleanup_(gn_ovf_freep) struct gn_ovf *o = read_ok(DATA "virtualbox.ovf");

	(void)state;
	assert_string_equal(o->name, "web01");  /* no <Name>: the ovf:id */
	/* the ISO image is a DiskSection disk of a CD-ROM item, not of a hard disk one */
	assert_int_equal(o->disks.n, 1);
	check_disk(&o->disks.v[0], "vmdisk1", "web01-disk001.vmdk", "vmdk",
		   UINT64_C(21474836480), -1, 12);
	/* enabled adapters by slot: 0 (listed last) for the first item, 1 for the second */
	assert_int_equal(o->nics.n, 2);
	check_nic(&o->nics.v[0], "08:00:27:aa:bb:cc", "NAT", "Ethernet adapter on 'NAT'", 86);
	check_nic(&o->nics.v[1], "08:00:27:5e:9a:01", "HostOnly",
		  "Ethernet adapter on 'HostOnly'", 95);
}

static void test_ovf2(void **state)
{
	_cleanup_(gn_ovf_freep) struct gn_ovf *o = read_ok(DATA "ovf2.ovf");

	(void)state;
	assert_string_equal(o->name, "cits3007_ubu2004");
	assert_int_equal(o->disks.n, 1);
	check_disk(&o->disks.v[0], "vmdisk1", "cits3007_ubu2004-disk001.vmdk", "vmdk",
		   UINT64_C(137438953472), -1, 12);
	assert_int_equal(o->nics.n, 1);
	check_nic(&o->nics.v[0], "08:00:27:7a:02:c1", "NAT", NULL, 59);
}

static void test_two_disks(void **state)
{
	_cleanup_(gn_ovf_freep) struct gn_ovf *o = read_ok(DATA "two-disks.ovf");

	(void)state;
	assert_string_equal(o->name, "app02.corp.example");
	/* by AddressOnParent, not References, DiskSection or item order; the blank disk and the
	 * one no item attaches are left out */
	assert_int_equal(o->disks.n, 2);
	check_disk(&o->disks.v[0], "disk-system", "app02-system.qcow2", "qcow2",
		   UINT64_C(34359738368), -1, 16);
	check_disk(&o->disks.v[1], "disk-data", "app02-data.img", "raw", UINT64_C(1024) << 20,
		   INT64_C(1073741824), 15);
	assert_int_equal(o->nics.n, 1);
	check_nic(&o->nics.v[0], NULL, "DMZ", "Network adapter 1", 61);
}

/* ---------- hostile and unsupported descriptors ---------- */

static void test_bad_files(void **state)
{
	static const struct {
		const char *file;
		int r;
		const char *msg;
	} cases[] = {
		{ "bad-billion-laughs.ovf", -EBADMSG, "line 2: DOCTYPE is not allowed" },
		{ "bad-external-entity.ovf", -EBADMSG, "line 2: DOCTYPE is not allowed" },
		{ "bad-href-parent.ovf", -EBADMSG, "line 5: element 'File': attribute 'ovf:href': "
		  "'../../../var/lib/backup/other-tenant/disk1.vmdk' is not a plain file name (it "
		  "has a '/' or '\\')" },
		{ "bad-href-url.ovf", -EBADMSG, "line 5: element 'File': attribute 'ovf:href': "
		  "'http://203.0.113.7/db01-disk1.vmdk' is not a plain file name (it has a ':', as "
		  "a URL has)" },
		{ "bad-format.ovf", -EOPNOTSUPP, "line 9: element 'Disk': attribute 'ovf:format': "
		  "disk format 'http://go.microsoft.com/fwlink/?LinkId=137171' is not one guestnet "
		  "reads (vmdk, raw, qcow2)" },
		{ "bad-collection.ovf", -EOPNOTSUPP, "line 8: element 'VirtualSystemCollection': a "
		  "collection of virtual systems: guestnet exports one VM per backup" },
		{ "bad-no-virtual-system.ovf", -EBADMSG, "line 3: element 'Envelope': no "
		  "VirtualSystem" },
		{ "bad-mac.ovf", -EBADMSG, "line 31: element 'Address': '00:50:56:9a:41' is not a MAC "
		  "address" },
		{ "bad-gzip.ovf", -EOPNOTSUPP, "line 5: element 'File': file 'db01-disk1.vmdk.gz' is "
		  "compressed ('gzip'), which guestnet does not read" },
		{ "bad-missing-file.ovf", -EBADMSG, "line 9: element 'Disk': attribute "
		  "'ovf:fileRef': no File 'file1' in References" },
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		char path[256], needle[512];
		_cleanup_free_ char *text = NULL;
		size_t len;

		snprintf(path, sizeof(path), DATA "%s", cases[i].file);
		snprintf(needle, sizeof(needle), "'%s' %s", path, cases[i].msg);
		refused_buf(NULL, 0, path, cases[i].r, needle);
		/* from memory too, named as the caller says */
		text = test_slurp(path, &len);
		assert_non_null(text);
		assert_non_null(strstr(text, "<!--"));
		snprintf(needle, sizeof(needle), "'backup.ova:%s' %s", cases[i].file, cases[i].msg);
		snprintf(path, sizeof(path), "backup.ova:%s", cases[i].file);
		refused_buf(text, len, path, cases[i].r, needle);
	}
}

/* Stands in for libxml2's loader of external entities and DTDs: never to be called. */
static int loads;

static xmlParserInputPtr spy_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	loads++;
	return NULL;
}

static void test_external_entity(void **state)
{
	xmlExternalEntityLoader loader = xmlGetExternalEntityLoader();
	struct gn_ovf *o = NULL;
	gn_error err = { "" };

	(void)state;
	xmlSetExternalEntityLoader(spy_loader);
	capture_begin();
	assert_int_equal(gn_ovf_read_file(DATA "bad-external-entity.ovf", &o, &err), -EBADMSG);
	capture_end();
	xmlSetExternalEntityLoader(loader);
	assert_int_equal(loads, 0);
	assert_null(o);
	assert_null(strstr(err.msg, "root:"));
}

/* 10^5 items: refused at GN_OVF_MAX_ITEMS, quickly; 65 NICs: at GN_OVF_MAX_NICS. */
static char *many_items(size_t n, const char *item, size_t *ret_len)
{
	static const char head[] =
		"<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\" "
		"xmlns:ovf=\"http://schemas.dmtf.org/ovf/envelope/1\" "
		"xmlns:rasd=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/"
		"CIM_ResourceAllocationSettingData\">\n<VirtualSystem ovf:id=\"big\">\n"
		"<VirtualHardwareSection>\n";
	static const char tail[] = "</VirtualHardwareSection></VirtualSystem></Envelope>\n";
	char *buf = malloc(sizeof(head) + n * strlen(item) + sizeof(tail)), *p = buf;

	assert_non_null(buf);
	p = stpcpy(p, head);
	for (size_t i = 0; i < n; i++)
		p = stpcpy(p, item);
	p = stpcpy(p, tail);
	*ret_len = (size_t)(p - buf);
	return buf;
}

static void test_limits(void **state)
{
	static const char nic[] = "<Item><rasd:ResourceType>10</rasd:ResourceType></Item>\n";
	static const char cpu[] = "<Item><rasd:ResourceType>3</rasd:ResourceType></Item>\n";
	_cleanup_free_ char *buf = NULL;
	struct timespec t0, t1;
	size_t len;

	(void)state;
	buf = many_items(100000, cpu, &len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	refused_buf(buf, len, "big.ovf", -E2BIG, "'big.ovf' line 4100: element 'Item': more "
		    "than 4096 items (GN_OVF_MAX_ITEMS)");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 5);
	free(buf);

	buf = many_items(GN_OVF_MAX_NICS + 1, nic, &len);
	refused_buf(buf, len, "nics.ovf", -E2BIG, "'nics.ovf' line 68: element 'Item': more than "
		    "64 items of ResourceType 10 (GN_OVF_MAX_NICS)");
	free(buf);

	/* at the limits it is read */
	buf = many_items(GN_OVF_MAX_NICS, nic, &len);
	{
		_cleanup_(gn_ovf_freep) struct gn_ovf *o = NULL;
		gn_error err = { "" };

		assert_int_equal(gn_ovf_read(buf, len, "nics.ovf", &o, &err), 0);
		assert_int_equal(o->nics.n, GN_OVF_MAX_NICS);
		assert_null(o->nics.v[0].mac);
	}
	free(buf);
	buf = many_items(GN_OVF_MAX_ITEMS, cpu, &len);
	{
		_cleanup_(gn_ovf_freep) struct gn_ovf *o = NULL;
		gn_error err = { "" };

		assert_int_equal(gn_ovf_read(buf, len, "items.ovf", &o, &err), 0);
		assert_int_equal(o->nics.n, 0);
	}
}

/* ---------- small cases from one template ---------- */

#define FILE1 "<File ovf:id=\"f1\" ovf:href=\"d1.vmdk\"/>"
#define DISK1 "<Disk ovf:diskId=\"d1\" ovf:fileRef=\"f1\" ovf:capacity=\"1\" " \
	"ovf:format=\"" VMDK "\"/>"
#define HD1 "<Item><rasd:HostResource>ovf:/disk/d1</rasd:HostResource>" \
	"<rasd:ResourceType>17</rasd:ResourceType></Item>"
#define NIC(more) "<Item><rasd:ResourceType>10</rasd:ResourceType>" more "</Item>"
#define VBOX(adapters) "<vbox:Machine><Hardware><Network>" adapters "</Network></Hardware>" \
	"</vbox:Machine>"

/* References on line 3, the DiskSection on line 4, the items on line 7. */
static char *mini(const char *refs, const char *disks, const char *items, const char *extra,
		  size_t *len)
{
	char *buf;
	int n = asprintf(&buf,
		"<?xml version=\"1.0\"?>\n"
		"<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\" "
		"xmlns:ovf=\"http://schemas.dmtf.org/ovf/envelope/1\" "
		"xmlns:rasd=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/"
		"CIM_ResourceAllocationSettingData\" xmlns:vbox=\"http://www.virtualbox.org/ovf/machine\">\n"
		"<References>%s</References>\n"
		"<DiskSection><Info>disks</Info>%s</DiskSection>\n"
		"<VirtualSystem ovf:id=\"vm1\"><Info>a VM</Info>\n"
		"<VirtualHardwareSection><Info>hardware</Info>\n"
		"%s\n"
		"</VirtualHardwareSection>%s</VirtualSystem>\n"
		"</Envelope>\n", refs, disks, items, extra);

	assert_true(n > 0);
	*len = (size_t)n;
	return buf;
}

static void test_inline_refused(void **state)
{
	static const struct {
		const char *refs, *disks, *items, *extra;
		int r;
		const char *msg;
	} cases[] = {
		{ "<File ovf:id=\"f1\" ovf:href=\"\"/>", "", "", "", -EBADMSG,
		  "line 3: element 'File': attribute 'ovf:href' is missing or empty" },
		{ "<File ovf:id=\"f1\" ovf:href=\"..\"/>", "", "", "", -EBADMSG,
		  "'..' is not a plain file name (it is '.' or has '..')" },
		{ "<File ovf:id=\"f1\" ovf:href=\"d1..vmdk\"/>", "", "", "", -EBADMSG,
		  "'d1..vmdk' is not a plain file name (it is '.' or has '..')" },
		{ "<File ovf:id=\"f1\" ovf:href=\"disks\\d1.vmdk\"/>", "", "", "", -EBADMSG,
		  "(it has a '/' or '\\')" },
		{ "<File ovf:id=\"f1\" ovf:href=\"C:d1.vmdk\"/>", "", "", "", -EBADMSG,
		  "'C:d1.vmdk' is not a plain file name (it has a ':', as a URL has)" },
		{ "<File ovf:id=\"f1\" ovf:href=\"d1&#9;.vmdk\"/>", "", "", "", -EBADMSG,
		  "(it has a control character)" },
		{ "<File ovf:id=\"f1\" href=\"d1.vmdk\"/>", "", "", "", -EBADMSG,
		  "attribute 'ovf:href' is missing" },  /* no namespace: not ovf:href */
		{ FILE1 FILE1, "", "", "", -EBADMSG,
		  "line 3: element 'File': file id 'f1' is used twice (first on line 3)" },
		{ FILE1, DISK1 DISK1, "", "", -EBADMSG, "disk id 'd1' is used twice" },
		{ "<File ovf:id=\"f1\" ovf:href=\"d1.vmdk\" ovf:chunkSize=\"2147483648\"/>", DISK1,
		  HD1, "", -EOPNOTSUPP, "line 3: element 'File': file 'd1.vmdk' is split into "
		  "chunks (ovf:chunkSize), which guestnet does not read" },
		{ "<File ovf:id=\"f1\" ovf:href=\"d1.vmdk\" ovf:compression=\"bzip2\"/>", DISK1,
		  HD1, "", -EOPNOTSUPP, "is compressed ('bzip2')" },
		{ FILE1, "<Disk ovf:diskId=\"d1\" ovf:fileRef=\"f1\" ovf:parentRef=\"base\" "
		  "ovf:capacity=\"1\" ovf:format=\"" VMDK "\"/>", HD1, "", -EOPNOTSUPP,
		  "line 4: element 'Disk': disk 'd1' is a differencing disk of 'base'" },
		{ FILE1, "<Disk ovf:diskId=\"d1\" ovf:fileRef=\"f1\" ovf:capacity=\"1\" "
		  "ovf:capacityAllocationUnits=\"byte * 3^2\" ovf:format=\"" VMDK "\"/>", HD1, "",
		  -EBADMSG, "attribute 'ovf:capacityAllocationUnits': 'byte * 3^2' is not" },
		{ FILE1, "<Disk ovf:diskId=\"d1\" ovf:fileRef=\"f1\" ovf:capacity=\"1\" "
		  "ovf:capacityAllocationUnits=\"byte * 2^64\" ovf:format=\"" VMDK "\"/>", HD1, "",
		  -EBADMSG, "'byte * 2^64' is not" },
		{ FILE1, "<Disk ovf:diskId=\"d1\" ovf:fileRef=\"f1\" ovf:capacity=\"17179869184\" "
		  "ovf:capacityAllocationUnits=\"byte * 2^30\" ovf:format=\"" VMDK "\"/>", HD1, "",
		  -EBADMSG, "capacity 17179869184 x 'byte * 2^30' is more than 64 bits" },
		{ FILE1, "<Disk ovf:diskId=\"d1\" ovf:fileRef=\"f1\" ovf:capacity=\"${disk.size}\" "
		  "ovf:format=\"" VMDK "\"/>", HD1, "", -EBADMSG,
		  "attribute 'ovf:capacity': '${disk.size}' is not a number" },
		{ FILE1, "<Disk ovf:diskId=\"d1\" ovf:fileRef=\"f1\" ovf:format=\"" VMDK "\"/>",
		  HD1, "", -EBADMSG, "attribute 'ovf:capacity' is missing" },
		{ "<File ovf:id=\"f1\" ovf:href=\"d1.vmdk\" ovf:size=\"-1\"/>", DISK1, HD1, "",
		  -EBADMSG, "attribute 'ovf:size': '-1' is not a number of bytes" },
		{ FILE1, DISK1, "<Item><rasd:HostResource>ovf:/disk/d2</rasd:HostResource>"
		  "<rasd:ResourceType>17</rasd:ResourceType></Item>", "", -EBADMSG,
		  "line 7: element 'Item': HostResource 'ovf:/disk/d2' names no Disk of the "
		  "DiskSection" },
		{ FILE1, DISK1, "<Item><rasd:HostResource>ovf:/file/f1</rasd:HostResource>"
		  "<rasd:ResourceType>17</rasd:ResourceType></Item>", "", -EBADMSG,
		  "hard disk HostResource 'ovf:/file/f1' is not 'ovf:/disk/ID'" },
		{ FILE1, DISK1, HD1 HD1, "", -EBADMSG,
		  "line 4: element 'Disk': disk 'd1' is attached twice" },
		{ "", "", "<Item><rasd:ResourceType>ten</rasd:ResourceType></Item>", "", -EBADMSG,
		  "line 7: element 'Item': ResourceType 'ten' is not a number from 0 to 65535" },
		{ "", "", "<Item><rasd:ResourceType>65536</rasd:ResourceType></Item>", "", -EBADMSG,
		  "ResourceType '65536' is not a number" },
		{ "", "", NIC("<rasd:Address>00:00:00:00:00:00</rasd:Address>"), "", -EBADMSG,
		  "'00:00:00:00:00:00' is not a MAC address" },
		{ "", "", NIC(""), VBOX("<Adapter slot=\"0\" enabled=\"true\" "
		  "MACAddress=\"080027AABBCC\"/><Adapter slot=\"1\" enabled=\"true\" "
		  "MACAddress=\"080027AABBCD\"/>"), -EBADMSG, "line 8: element 'Machine': 2 enabled "
		  "network adapters for 1 NIC items: which MAC is whose is not known" },
		{ "", "", NIC(""), VBOX("<Adapter slot=\"0\" enabled=\"true\" MACAddress=\"08002\"/>"),
		  -EBADMSG, "element 'Adapter': attribute 'MACAddress': '08002' is not a MAC" },
		{ "", "", NIC(""), VBOX("<Adapter enabled=\"true\" MACAddress=\"080027AABBCC\"/>"),
		  -EBADMSG, "element 'Adapter': attribute 'slot' is missing" },
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		size_t len;
		_cleanup_free_ char *buf = mini(cases[i].refs, cases[i].disks, cases[i].items,
						cases[i].extra, &len);
		char needle[512];

		snprintf(needle, sizeof(needle), "'mini.ovf' %s", cases[i].msg);
		refused_buf(buf, len, "mini.ovf", cases[i].r,
			    strncmp(cases[i].msg, "line ", 5) == 0 ? needle : cases[i].msg);
	}
}

#define REFUSED(text, r, msg) refused_buf(text, strlen(text), "doc.ovf", r, msg)

static void test_not_ovf(void **state)
{
	(void)state;
	REFUSED("<guestnet version=\"1\"/>", -EBADMSG, "'doc.ovf' line 1: element 'guestnet': not "
		"an OVF descriptor (an Envelope of namespace "
		"'http://schemas.dmtf.org/ovf/envelope/1' or 'http://schemas.dmtf.org/ovf/envelope/2')");
	REFUSED("<Envelope/>", -EBADMSG, "not an OVF descriptor");
	REFUSED("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"/>", -EBADMSG,
		"line 1: element 'Envelope': not an OVF descriptor");
	/* OVF 0.9 (VMware's pre-standard namespace) is not read */
	REFUSED("<Envelope xmlns=\"http://www.vmware.com/schema/ovf/1/envelope\"/>", -EBADMSG,
		"not an OVF descriptor");
	REFUSED("<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\" "
		"xmlns:ovf=\"http://schemas.dmtf.org/ovf/envelope/1\">\n"
		"<VirtualSystem ovf:id=\"a\"><Info>a</Info></VirtualSystem>\n"
		"<VirtualSystem ovf:id=\"b\"><Info>b</Info></VirtualSystem>\n</Envelope>",
		-EOPNOTSUPP, "'doc.ovf' line 3: element 'VirtualSystem': a second VirtualSystem "
		"(the first on line 2): guestnet exports one VM per backup");
	REFUSED("<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/2\" "
		"xmlns:ovf=\"http://schemas.dmtf.org/ovf/envelope/2\">\n"
		"<VirtualSystem ovf:id=\"a\"><Info>a</Info></VirtualSystem></Envelope>",
		-EBADMSG, "'doc.ovf' line 2: element 'VirtualSystem': no VirtualHardwareSection");
	REFUSED("<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\">\n"
		"<VirtualSystem id=\"a\"><VirtualHardwareSection/></VirtualSystem></Envelope>",
		-EBADMSG, "line 2: element 'VirtualSystem': attribute 'ovf:id' is missing");
	/* the parse helper's rules hold */
	REFUSED("<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\">", -EBADMSG,
		"'doc.ovf' line 1: ");
	REFUSED("", -EBADMSG, "'doc.ovf': document is empty");
}

static void test_inline_read(void **state)
{
	size_t len;
	_cleanup_free_ char *buf = NULL;
	_cleanup_(gn_ovf_freep) struct gn_ovf *o = NULL;
	gn_error err = { "" };

	(void)state;
	/*
	 * NICs by AddressOnParent, then InstanceID; the field of another namespace is no
	 * rasd:Address; an epasd item (its namespace without ".xsd" here) reads as a rasd one;
	 * units "byte * 10^3"; compression "identity" is none; a File of size 0.
	 */
	buf = mini("<File ovf:id=\"f1\" ovf:href=\"d1 (copy).vmdk\" ovf:size=\"0\" "
		   "ovf:compression=\"identity\"/>",
		   "<Disk ovf:diskId=\"d1\" ovf:fileRef=\"f1\" ovf:capacity=\" 5 \" "
		   "ovf:capacityAllocationUnits=\"byte * 10^3\" ovf:format=\""
		   "HTTP://www.vmware.com/specifications/vmdk.html#sparse\"/>",
		   NIC("<rasd:AddressOnParent>9</rasd:AddressOnParent>"
		       "<rasd:InstanceID>1</rasd:InstanceID>"
		       "<rasd:Address>00-50-56-01-02-09</rasd:Address>")
		   NIC("<rasd:InstanceID>3</rasd:InstanceID>"
		       "<x:Address xmlns:x=\"urn:decoy\">00:50:56:de:co:y0</x:Address>"
		       "<rasd:Connection></rasd:Connection>")
		   "<EthernetPortItem xmlns:e=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/"
		   "CIM_EthernetPortAllocationSettingData\"><e:ResourceType>10</e:ResourceType>"
		   "<e:InstanceID>2</e:InstanceID><e:Address>0050.5601.0202</e:Address>"
		   "<e:Connection> Lab </e:Connection><rasd:ElementName>not epasd</rasd:ElementName>"
		   "</EthernetPortItem>"
		   NIC("<rasd:AddressOnParent>7</rasd:AddressOnParent>"
		       "<rasd:Address>00:50:56:01:02:07</rasd:Address>"
		       "<rasd:ElementName>first</rasd:ElementName>")
		   "<Item><x:ResourceType xmlns:x=\"urn:decoy\">17</x:ResourceType></Item>"
		   "<Item><rasd:HostResource>ovf:/disk/d1</rasd:HostResource>"
		   "<rasd:ResourceType>  17\n</rasd:ResourceType></Item>",
		   "<vmw:Config xmlns:vmw=\"http://www.vmware.com/schema/ovf\" vmw:key=\"a\"/>", &len);
	assert_int_equal(gn_ovf_read(buf, len, NULL, &o, &err), 0);
	assert_string_equal(o->name, "vm1");
	assert_int_equal(o->disks.n, 1);
	check_disk(&o->disks.v[0], "d1", "d1 (copy).vmdk", "vmdk", 5000, 0, 4);
	assert_int_equal(o->nics.n, 4);
	check_nic(&o->nics.v[0], "00:50:56:01:02:07", NULL, "first", 7);
	check_nic(&o->nics.v[1], "00:50:56:01:02:09", NULL, NULL, 7);
	check_nic(&o->nics.v[2], "00:50:56:01:02:02", "Lab", NULL, 7);
	check_nic(&o->nics.v[3], NULL, NULL, NULL, 7);
	gn_ovf_free(TAKE_PTR(o));
	free(TAKE_PTR(buf));

	/* no References, no DiskSection, no items; VirtualBox adapters with nothing to match */
	buf = mini("", "", "", VBOX("<Adapter slot=\"0\" enabled=\"true\" "
				    "MACAddress=\"080027AABBCC\"/>"), &len);
	assert_int_equal(gn_ovf_read(buf, len, "empty.ovf", &o, &err), 0);
	assert_int_equal(o->disks.n, 0);
	assert_int_equal(o->nics.n, 0);
	gn_ovf_free(TAKE_PTR(o));
	free(TAKE_PTR(buf));

	/* an item's own MAC wins over VirtualBox's; a disabled adapter does not count */
	buf = mini("", "", NIC("<rasd:Address>02:00:00:00:00:01</rasd:Address>") NIC(""),
		   VBOX("<Adapter slot=\"3\" enabled=\"true\" MACAddress=\"080027000003\"/>"
			"<Adapter slot=\"1\" enabled=\"false\" MACAddress=\"080027000001\"/>"
			"<Adapter slot=\"0\" enabled=\"true\" MACAddress=\"080027000000\"/>"), &len);
	assert_int_equal(gn_ovf_read(buf, len, "mixed.ovf", &o, &err), 0);
	assert_int_equal(o->nics.n, 2);
	assert_string_equal(o->nics.v[0].mac, "02:00:00:00:00:01");
	assert_string_equal(o->nics.v[1].mac, "08:00:27:00:00:03");
}

/* guestnet validate refuses an OVF: it parses, but is no guestnet document. */
static void test_validate_refuses(void **state)
{
	gn_error err = { "" };

	(void)state;
	assert_int_equal(gn_validate_file(DATA "vmware.ovf", &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "'" DATA "vmware.ovf' line 4: element 'Envelope': not a "
			       "guestnet document (expected 'guestnet', 'site' or 'plan')"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmware),
		cmocka_unit_test(test_virtualbox),
		cmocka_unit_test(test_ovf2),
		cmocka_unit_test(test_two_disks),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_external_entity),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_inline_refused),
		cmocka_unit_test(test_not_ovf),
		cmocka_unit_test(test_inline_read),
		cmocka_unit_test(test_validate_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
