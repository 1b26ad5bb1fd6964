#!/bin/sh
# 'guestnet validate' over the documents in tests/data (files named *-invalid.xml must fail),
# hostile documents, and the command-line contract: exit statuses and atomic -o output.
. "$GN_TOP/tests/integration/lib.sh"

n=0
for f in $(find "$GN_TOP/tests/data" -name '*.xml' | sort); do
	case $f in
	*-invalid.xml) expect_status 65 guestnet validate "$f" ;;
	*) expect_status 0 guestnet validate "$f" ;;
	esac
	n=$((n + 1))
done
[ "$n" -gt 10 ] || fail "only $n documents under tests/data"

# hostile: entity expansion and an external entity naming a host file; the marker must never show
marker="guestnet-secret-$$"
echo "$marker" >"$T/secret"
cat >"$T/xxe.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE guestnet [ <!ENTITY x SYSTEM "file://$T/secret"> ]>
<guestnet version="1"><guest os="windows" hostname="&x;"/></guestnet>
XML
expect_status 65 guestnet validate "$T/xxe.xml"
expect_stderr "DOCTYPE"
if grep -q "$marker" "$T/stderr" "$T/stdout"; then fail "the external entity was read"; fi
ok
cat >"$T/lol.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE guestnet [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<guestnet version="1"><guest os="linux" hostname="&d;"/></guestnet>
XML
expect_status 65 guestnet validate "$T/lol.xml"
expect_stderr "DOCTYPE"
printf '<guestnet version="1"><guest os="linux">' >"$T/broken.xml"
expect_status 65 guestnet validate "$T/broken.xml"
expect_status 74 guestnet validate "$T/missing.xml"
# an OVF descriptor parses (guestnet export reads it) but is no guestnet document
expect_status 65 guestnet validate "$GN_TOP/tests/data/ovf/vmware.ovf"
expect_stderr "element 'Envelope': not a guestnet document"
expect_status 2 guestnet validate
expect_status 2 guestnet
expect_status 2 guestnet frobnicate
expect_stderr "unknown command 'frobnicate'"
expect_status 2 guestnet hive
expect_status 0 guestnet --help
expect_status 0 guestnet hive --help

# guestnet links libxml2 and hivex only (its start-up is part of every 'guestnet hive'); the
# image commands run in guestnet-images, found beside it, and its absence is a clear exit 69
if readelf -d "$GN_BUILD/bin/guestnet" | grep NEEDED | grep -q -e guestfs -e virt -e augeas; then
	fail "guestnet links libguestfs (or its dependencies): $(readelf -d "$GN_BUILD/bin/guestnet" | grep NEEDED)"
fi
ok
readelf -d "$GN_BUILD/libexec/guestnet/guestnet-images" | grep NEEDED | grep -q guestfs ||
	fail "guestnet-images does not link libguestfs"
ok
expect_status 0 guestnet inspect --help
grep -q -- '--backing-dir' "$T/stdout" || fail "guestnet inspect --help: $(cat "$T/stdout")"
ok
mkdir "$T/alone"
cp "$GN_BUILD/bin/guestnet" "$T/alone/"
if [ ! -e /usr/local/libexec/guestnet/guestnet-images ]; then
	expect_status 69 "$T/alone/guestnet" inspect "$T/none.img"
	expect_stderr "cannot run .*guestnet-images"
fi

# -o is atomic: an existing file is replaced whole; a failed write leaves it as it was and
# leaves no temporary file behind
gn-hivebuild "$GN_TOP/fixtures/hives/static-nic.txt" "$T/good.hive"
echo previous >"$T/out.xml"
guestnet hive -o "$T/out.xml" "$T/good.hive"
guestnet validate -q "$T/out.xml" || fail "-o output does not validate"
ok
mkdir "$T/ro"
echo previous >"$T/ro/out.xml"
chmod 555 "$T/ro"
if [ "$(id -u)" != 0 ]; then
	expect_status 74 guestnet hive -o "$T/ro/out.xml" "$T/good.hive"
	[ "$(cat "$T/ro/out.xml")" = previous ] || fail "a failed -o write changed the file"
	ok
fi
chmod 755 "$T/ro"
expect_status 74 guestnet hive -o "$T/no-such-dir/out.xml" "$T/good.hive"
mkdir "$T/adir"
expect_status 74 guestnet hive -o "$T/adir" "$T/good.hive"
[ -d "$T/adir" ] || fail "-o over a folder replaced it"
ok
[ -z "$(find "$T" -name '.out.xml.*')" ] || fail "temporary files left behind"
ok
done_checks
