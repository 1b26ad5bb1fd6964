#!/bin/sh
# The three real Windows SYSTEM hives of ../shared/hives (regipy's test data), decompressed at
# test time, against their ground truth (../shared/hives/README.md), field by field.
. "$GN_TOP/tests/integration/lib.sh"

H="$GN_TOP/../shared/hives"
[ -d "$H" ] || skip "skipped: $H is absent (the real hives are only in the project's shared folder)"
for h in win81-dhcp win10-dhcp winxp-corrupt; do
	xz -dc "$H/$h-SYSTEM.xz" >"$T/$h" || fail "cannot decompress $h"
	guestnet hive -o "$T/$h.xml" "$T/$h" || fail "guestnet hive $h exited $?"
	guestnet validate -q "$T/$h.xml" || fail "$h: output does not validate"
done

# --- Windows 8.1 (VirtualBox) ---
f="$T/win81-dhcp.xml"
g=/guestnet/guest
expect_xp "$f" "$g/@os" windows
expect_xp "$f" "$g/@hostname" sensei
expect_xp "$f" "$g/@domain" ""
expect_xp "$f" "$g/source/@kind" registry
expect_xp "$f" "$g/source/@control-set" 1
expect_xp "$f" "count($g/interface)" 2
i="$g/interface[@id='{B0E24C4B-50F2-4B60-BCB3-EF2C3FF3394E}']"
expect_xp "$f" "$i/@name" Ethernet
expect_xp "$f" "$i/@description" "Intel(R) PRO/1000 MT Desktop Adapter"
expect_xp "$f" "$i/@type" ethernet
expect_xp "$f" "$i/@mac" 08:00:27:49:97:16
expect_xp "$f" "$i/@enabled" true
expect_xp "$f" "$i/ipv4/@mode" dhcp
expect_xp "$f" "count($i/ipv4/address)" 1
expect_xp "$f" "$i/ipv4/address/@ip" 192.168.56.103
expect_xp "$f" "$i/ipv4/address/@prefix" 24
expect_xp "$f" "$i/ipv4/address/@origin" dhcp
expect_xp "$f" "count($i/ipv4/gateway)" 0
expect_xp "$f" "$i/ipv4/lease/@server" 192.168.56.1
expect_xp "$f" "$i/ipv4/lease/@obtained" 2015-12-12T03:26:42Z
expect_xp "$f" "$i/ipv4/lease/@expires" 2015-12-12T03:46:42Z
expect_xp "$f" "$i/ipv6/@mode" auto
k="$g/interface[@id='{8718928D-CBEB-45EA-A621-800A9249001D}']"
expect_xp "$f" "$k/@name" "Local Area Connection* 1"
expect_xp "$f" "$k/@description" "Microsoft Kernel Debug Network Adapter"
expect_xp "$f" "$k/ipv4/@mode" dhcp
expect_xp "$f" "count($k/ipv4/address)" 0
expect_xp "$f" "count($k/ipv4/lease)" 0
expect_xp "$f" "count($g/interface[contains(@id, '806E6F6E6963')])" 0

# --- Windows 10 (VMware) ---
f="$T/win10-dhcp.xml"
expect_xp "$f" "$g/@hostname" DESKTOP-2KGM189
expect_xp "$f" "$g/source/@control-set" 1
expect_xp "$f" "count($g/interface)" 3
i="$g/interface[@id='{5F3F359E-9D52-4566-9BEC-37EFDFB25ABE}']"
expect_xp "$f" "$i/@name" Ethernet0
expect_xp "$f" "$i/@description" "Intel(R) 82574L Gigabit Network Connection"
expect_xp "$f" "$i/@type" ethernet
expect_xp "$f" "$i/@mac" 00:0c:29:f3:ff:de
expect_xp "$f" "$i/@dns-suffix" localdomain
expect_xp "$f" "$i/ipv4/@mode" dhcp
expect_xp "$f" "$i/ipv4/address/@ip" 192.168.146.128
expect_xp "$f" "$i/ipv4/address/@prefix" 24
expect_xp "$f" "$i/ipv4/address/@origin" dhcp
expect_xp "$f" "$i/ipv4/gateway/@ip" 192.168.146.2
expect_xp "$f" "count($i/ipv4/dns)" 1
expect_xp "$f" "$i/ipv4/dns/@ip" 192.168.146.2
expect_xp "$f" "$i/ipv4/dns/@origin" dhcp
expect_xp "$f" "$i/ipv4/wins/@ip" 192.168.146.2
expect_xp "$f" "$i/ipv4/lease/@server" 192.168.146.254
expect_xp "$f" "$i/ipv4/lease/@obtained" 2020-04-24T05:15:08Z
expect_xp "$f" "$i/ipv4/lease/@expires" 2020-04-24T05:45:08Z
b="$g/interface[@id='{3F215CB0-2D43-4C99-825F-0142C4FAFAB5}']"
expect_xp "$f" "$b/@name" "Bluetooth Network Connection"
expect_xp "$f" "$b/@description" "Bluetooth Device (Personal Area Network)"
expect_xp "$f" "$b/@mac" a4:83:e7:c2:14:69
expect_xp "$f" "$b/ipv4/@mode" dhcp
expect_xp "$f" "count($b/ipv4/address)" 0
k="$g/interface[@id='{BA46CEEE-2C68-4162-822D-C9EF268D2390}']"
expect_xp "$f" "$k/@name" "Ethernet (Kernel Debugger)"
expect_xp "$f" "$k/@mac" ""
expect_xp "$f" "$k/ipv4/@mode" dhcp
expect_xp "$f" "count($k/ipv4/lease)" 0

# --- Windows XP (needs hivex's unsafe flag; Control\Network unreadable) ---
f="$T/winxp-corrupt.xml"
expect_xp "$f" "$g/@hostname" ginevra
expect_xp "$f" "count($g/warning[contains(., 'unsafe flag')])" 1
expect_xp "$f" "count($g/warning[starts-with(., \"key 'Network': its subkeys could not be read\")])" 1
expect_xp "$f" "count($g/interface)" 1
i="$g/interface[@id='{C1795443-FD81-4EF2-A1E0-565057BB897F}']"
expect_xp "$f" "$i/@description" "VMware Accelerated AMD PCNet Adapter"
expect_xp "$f" "$i/@dns-suffix" localdomain
expect_xp "$f" "$i/ipv4/@mode" dhcp
expect_xp "$f" "count($i/ipv4/address)" 1
expect_xp "$f" "$i/ipv4/address/@ip" 192.168.101.128
expect_xp "$f" "$i/ipv4/address/@prefix" 24
expect_xp "$f" "$i/ipv4/gateway/@ip" 192.168.101.2
expect_xp "$f" "$i/ipv4/dns/@ip" 192.168.101.2
expect_xp "$f" "$i/ipv4/lease/@server" 192.168.101.254
expect_xp "$f" "$i/ipv4/lease/@obtained" 2008-11-26T07:38:26Z
expect_xp "$f" "$i/ipv4/lease/@expires" 2008-11-26T08:08:26Z
expect_xp "$f" "count($i/ipv6)" 0
done_checks
