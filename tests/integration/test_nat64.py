"""NAT64 (RFC 6146) with real packets: IPv6-only phones reach an IPv4 server
through tayga and the NAT's IPv4 rules; router advertisements (radvd) give
hosts their addresses by SLAAC. What crosses is judged by ping, TCP sockets,
tcpdump and conntrack(8), none of them natlab's."""
import json
import os
import re
import signal
import subprocess
import time
import unittest

from natlab_test import (NATLAB, PYTHON, LabTestCase, in_netns, ip_json, lab_file, natlab,
                         netns_list, unique_name, wait_for)

SLOW = float(os.environ.get("NATLAB_SLOW", "1"))  # the stock-kernel guest runs under TCG
PREFIX = "2001:db8:64::"
SERVER4 = "203.0.113.2"
SERVER6 = PREFIX + SERVER4  # the server as the phone addresses it
WAN = "100.64.1.2"  # the carrier's outside address

# Sends one datagram from local port 40000 to each destination port, 0.3 s apart.
UDP_TWO_PORTS = r"""
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 40000))
for port in sys.argv[2:]:
    for _ in range(3):
        s.sendto(b"x", (sys.argv[1], int(port)))
        time.sleep(0.1)
"""

# Listens on UDP ports and prints "PORT FROM_ADDR FROM_PORT" for the first datagram on each.
UDP_LISTEN = r"""
import select, socket, sys, time
socks = {}
for port in sys.argv[2:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", int(port)))
    socks[s] = port
print("ready", flush=True)
seen = {}
deadline = time.time() + float(sys.argv[1])
while len(seen) < len(socks) and time.time() < deadline:
    for s in select.select(list(socks), [], [], 0.2)[0]:
        data, peer = s.recvfrom(100)
        seen.setdefault(socks[s], peer)
for port, peer in sorted(seen.items()):
    print(port, peer[0], peer[1])
"""


def carrier_lab(carrier_keys="", phone_endpoint="phone:eth0", ra=""):
    with open(lab_file("ipv6-only.yaml")) as f:
        text = f.read()
    if carrier_keys:
        text = text.replace("    preset: ipv6-only-carrier\n", "".join(f"    {k}\n" for k in carrier_keys))
    if ra:
        text = text.replace("    routes: {default: internet}\n", f"    routes: {{default: internet}}\n    ra: [{ra}]\n", 1)
    return text.replace("[carrier:ran, phone:eth0]", f"[carrier:ran, {phone_endpoint}]")


def ns(lab, node):
    return f"{lab}-{node}"


def pids_in(netns):
    out = subprocess.run(["ip", "netns", "pids", netns], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def programs_in(netns):
    names = []
    for pid in pids_in(netns):
        try:
            with open(f"/proc/{pid}/comm") as f:
                names.append(f.read().strip())
        except OSError:
            pass
    return names


class Nat64(LabTestCase):
    def make(self, text=None):
        return self.create_from_text(text or carrier_lab(), "n64")

    def ping(self, lab, target, count=1):
        return in_netns(ns(lab, "phone"), "ping", "-6", "-c", str(count), "-W", str(int(3 * SLOW)),
                        target, timeout=20 * SLOW)

    def test_ping_and_tcp_from_an_ipv6_only_phone_reach_the_ipv4_server(self):
        lab = self.make()
        phone4 = [a for a in ip_json(ns(lab, "phone"), "-4", "addr") for _ in a.get("addr_info", [])
                  if a["ifname"] != "lo"]
        self.assertEqual(phone4, [], "the phone has no IPv4 address")
        # tcpdump on the server: the NAT's IPv4 address is the source.
        dump, _ = self.background(ns(lab, "server"), "tcpdump", "-l", "-n", "-i", "eth0", "-c", "1",
                                  "icmp", stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        time.sleep(0.5 * SLOW)
        ping = self.ping(lab, SERVER6, count=3)
        self.assertEqual(ping.returncode, 0, ping.stdout + ping.stderr)
        self.assertIn("from 2001:db8:64::cb00:7102", ping.stdout)  # 203.0.113.2 in hex
        line = dump.stdout.readline()
        self.assertIn(f"IP {WAN} > {SERVER4}: ICMP echo request", line)
        # TCP with nc: the server answers, and sees the NAT's address.
        server, _ = self.background(ns(lab, "server"), "nc", "-l", "-n", "-v", "8080",
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.3 * SLOW)
        client = subprocess.run(["ip", "netns", "exec", ns(lab, "phone"), "nc", "-6", "-N", "-w", "5",
                                 SERVER6, "8080"], input="hello over nat64\n", capture_output=True,
                                text=True, timeout=20 * SLOW)
        self.assertEqual(client.returncode, 0, client.stderr)
        out, err = server.communicate(timeout=10 * SLOW)
        self.assertIn("hello over nat64", out)
        self.assertIn(f"Connection received on {WAN}", err)
        # conntrack in the NAT: the pool address translated to the outside one.
        ct = in_netns(ns(lab, "carrier"), "conntrack", "-L", "-p", "tcp", "--dport", "8080")
        self.assertRegex(ct.stdout, rf"src=192\.168\.255\.\d+ dst={SERVER4} .* src={SERVER4} dst={WAN}")

    def test_the_mapping_class_holds_for_translated_flows(self):
        for keys, same_port in ((["mapping: endpoint-independent", "port-allocation: random"], True),
                                (["type: symmetric", "port-allocation: random"], False)):
            with self.subTest(keys=keys):
                lab = self.make(carrier_lab(keys))
                listen, _ = self.background(ns(lab, "server"), PYTHON, "-c", UDP_LISTEN, str(8 * SLOW),
                                            "7001", "7002", stdout=subprocess.PIPE, text=True)
                self.assertEqual(listen.stdout.readline().strip(), "ready")
                self.ping(lab, SERVER6)  # tayga has handed out the phone's pool address
                in_netns(ns(lab, "phone"), PYTHON, "-c", UDP_TWO_PORTS, SERVER6, "7001", "7002",
                         timeout=20 * SLOW)
                out, _ = listen.communicate(timeout=20 * SLOW)
                seen = [line.split() for line in out.splitlines()]
                self.assertEqual([s[0] for s in seen], ["7001", "7002"], out)
                self.assertEqual({s[1] for s in seen}, {WAN})
                self.assertEqual(seen[0][2] == seen[1][2], same_port, out)

    def test_status_shows_the_translator_and_clean_leaves_nothing(self):
        lab = self.make()
        self.assertIn("tayga", programs_in(ns(lab, "carrier")))
        links = [l["ifname"] for l in ip_json(ns(lab, "carrier"), "link")]
        self.assertIn("nat64", links)
        status = json.loads(natlab("status", "--json", lab).stdout)
        self.assertEqual(status.get("problems", []), [], status)
        text = natlab("status", lab).stdout
        self.assertIn("NAT64 2001:db8:64::/96", text)
        # tayga killed by hand: its device and routes go with it, and status says so.
        for pid in pids_in(ns(lab, "carrier")):
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() == "tayga":
                    os.kill(pid, signal.SIGKILL)
        self.assertTrue(wait_for(lambda: "tayga" not in programs_in(ns(lab, "carrier"))))
        broken = natlab("status", lab, check=False)
        self.assertEqual(broken.returncode, 1, broken.stdout)
        self.assertIn("the NAT64 translator of carrier: tayga is not running; see "
                      f"/run/natlab/{lab}/nat64/carrier.log", broken.stdout + broken.stderr)
        self.assertIn("carrier lacks its route to 2001:db8:64::/96", broken.stdout + broken.stderr)
        natlab("clean", "-q", lab)
        self.assertFalse(any(p for p in subprocess.run(["pgrep", "-f", f"/run/natlab/{lab}/"],
                                                       capture_output=True, text=True).stdout.split()))
        self.assert_nothing_left(lab)

    def test_tayga_ends_with_clean_after_kill_9_of_create(self):
        path = os.path.join("/tmp", unique_name("n64k") + ".yaml")
        with open(path, "w") as f:
            f.write(carrier_lab())
        self.addCleanup(os.unlink, path)
        lab = unique_name("n64k")
        self.addCleanup(natlab, "clean", "-q", lab)
        create = subprocess.Popen([NATLAB, "create", "-q", "--name", lab, path], stderr=subprocess.PIPE,
                                  text=True)
        started = wait_for(lambda: "tayga" in programs_in(ns(lab, "carrier")) or create.poll() is not None,
                           timeout=60 * SLOW, interval=0.002)
        create.send_signal(signal.SIGKILL)
        create.wait()
        err = create.stderr.read()
        create.stderr.close()
        self.assertTrue(started, "neither tayga nor the end of create within 60 s")
        self.assertIn(create.returncode, (0, -signal.SIGKILL), err)
        self.assertIn("tayga", programs_in(ns(lab, "carrier")), err)
        natlab("clean", "-q", lab)
        self.assertEqual(subprocess.run(["pgrep", "-f", f"/run/natlab/{lab}/"], capture_output=True,
                                        text=True).stdout, "")
        self.assert_nothing_left(lab)

    def test_the_well_known_prefix_reaches_a_global_internet(self):
        text = carrier_lab().replace('    nat64: {prefix: "2001:db8:64::/96"}\n', "    nat64: true\n")
        lab = self.make(text.replace("subnet: 203.0.113.0/24}", "subnet: 198.41.0.0/24}"))
        ping = self.ping(lab, "64:ff9b::198.41.0.2")
        self.assertEqual(ping.returncode, 0, ping.stdout + ping.stderr)
        self.assertIn("from 64:ff9b::c629:2", ping.stdout)

    def test_well_known_prefix_with_a_documentation_internet_is_refused(self):
        path = os.path.join("/tmp", unique_name("n64w") + ".yaml")
        with open(path, "w") as f:
            f.write(carrier_lab(["preset: ipv6-only-carrier"]).replace(
                "    nat64: {prefix: \"2001:db8:64::/96\"}\n", ""))
        self.addCleanup(os.unlink, path)
        proc = natlab("create", "--name", unique_name("n64w"), path, check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("uses the well-known prefix 64:ff9b::/96", proc.stderr)
        self.assertIn("declare a network-specific prefix: nat64: {prefix: 2001:db8:64::/96}", proc.stderr)


class RouterAdvertisements(LabTestCase):
    def test_a_slaac_phone_configures_itself_and_reaches_ipv4_through_nat64(self):
        lab = self.create_from_text(carrier_lab(phone_endpoint="phone:eth0 slaac", ra="ran"), "n64ra")
        phone = ns(lab, "phone")
        addrs = [a for i in ip_json(phone, "-6", "addr", "show", "dev", "eth0") for a in i["addr_info"]
                 if a["scope"] == "global"]
        self.assertEqual(len(addrs), 1, addrs)
        self.assertTrue(addrs[0]["local"].startswith("2001:db8:1:1:"), addrs)
        self.assertTrue(addrs[0].get("dynamic"), addrs)  # made from an advertisement, not by natlab
        routes = ip_json(phone, "-6", "route", "show", "default")
        self.assertTrue(routes and routes[0]["gateway"].startswith("fe80::"), routes)
        self.assertEqual(routes[0].get("protocol"), "ra", routes)
        ping = in_netns(phone, "ping", "-6", "-c", "1", "-W", str(int(3 * SLOW)), SERVER6, timeout=20 * SLOW)
        self.assertEqual(ping.returncode, 0, ping.stdout + ping.stderr)
        # A capture of an advertisement: the prefix for SLAAC.
        dump = in_netns(phone, "timeout", str(int(15 * SLOW)), "tcpdump", "-n", "-v", "-i", "eth0", "-c", "1",
                        "icmp6 and ip6[40] == 134", timeout=30 * SLOW)
        self.assertIn("router advertisement", dump.stdout)
        self.assertIn("prefix info option (3), length 32 (4): 2001:db8:1:1::/64, Flags [onlink, auto]",
                      dump.stdout)
        # radvd 2.19 has no PREF64 option (RFC 8781, option type 38): none is sent yet.
        self.assertNotIn("(38)", dump.stdout)
        self.assertEqual(json.loads(natlab("status", "--json", lab).stdout).get("problems", []), [])


if __name__ == "__main__":
    unittest.main()
