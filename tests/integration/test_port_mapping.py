"""Port mapping on a NAT node: miniupnpd (UPnP IGD, NAT-PMP and PCP) in the
NAT's namespace, asked by real clients from Debian's archive (upnpc, natpmpc)
and by a small PCP client here (none is packaged). A packet from outside
reaches the inside host only through a mapping, until it is deleted;
`mappings` shows what was asked for; clean leaves no daemon behind."""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from nat_packets import UDP_PEER, UDP_SEND, finish, run, start
from natlab_test import NATLAB, LabTestCase, in_netns, natlab, unique_name, wait_for

TOPOLOGY = """
name: port-mapping
nodes:
  c0: {routes: {default: nat0}}
  nat0: {kind: nat, type: port-restricted-cone, outside: wan, port-mapping: all,
         routes: {default: internet}}
  internet: {kind: router}
  peer: {routes: {default: internet}}
links:
  - {endpoints: [nat0:lan, c0:eth0], subnet: 192.168.1.0/24}
  - {endpoints: [internet:to-nat0, nat0:wan 100.64.1.100], subnet: 100.64.1.0/24}
  - {endpoints: [internet:to-peer, peer:eth0], subnet: 100.64.9.0/24}
"""

# A PCP MAP request (RFC 6887 section 11.1) for UDP, and what came back:
# "result port address lifetime".
PCP_MAP = r"""
import os, socket, struct, sys
port, lifetime = int(sys.argv[1]), int(sys.argv[2])
client = socket.inet_pton(socket.AF_INET6, "::ffff:192.168.1.2")
header = struct.pack("!BBHI16s", 2, 1, 0, lifetime, client)
nonce = b"natlab-nonce"
body = struct.pack("!12sB3xHH16s", nonce, 17, port, port, bytes(16))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.168.1.2", 0))
s.settimeout(2)
for _ in range(3):
    s.sendto(header + body, ("192.168.1.1", 5351))
    try:
        data = s.recv(1100)
        break
    except socket.timeout:
        continue
version, opcode, _, result, life, epoch = struct.unpack("!BBBBII", data[:12])
n, proto, internal, external, address = struct.unpack("!12sB3xHH16s", data[24:60])
assert opcode == 0x81 and n == nonce, (opcode, n)
print(result, external, socket.inet_ntop(socket.AF_INET6, address), life)
"""


# A STUN binding request (RFC 5389) to the given address; prints "answered"
# or "silent".
STUN_ASK = r"""
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.5 * float(os.environ.get("NATLAB_SLOW", "1")))
request = bytes.fromhex("0001 0000 2112a442") + os.urandom(12)
for _ in range(3):
    s.sendto(request, (sys.argv[1], int(sys.argv[2])))
try:
    s.recv(1024)
    print("answered")
except socket.timeout:
    print("silent")
"""


class PortMapping(LabTestCase):
    def setUp(self):
        self.lab = self.create_from_text(TOPOLOGY, "it-pm")

    def arrives(self, port, payload, source_port=5000, address="100.64.1.100"):
        """Whether a datagram from the peer to the NAT's public port reaches c0.
        A deleted mapping still carries the flows it admitted (their conntrack
        entries live on), so each check after one sends from a new port."""
        listener, first = start(f"{self.lab}-c0", UDP_PEER, port, 1.5)
        self.assertEqual(first, "sent")
        run(f"{self.lab}-peer", UDP_SEND, source_port, address, port, payload)
        return f"100.64.9.2:{source_port} {payload}" in finish(listener)

    def test_nat_pmp_maps_a_port_for_its_lifetime_until_deleted(self):
        self.assertFalse(self.arrives(7001, "unasked"), "nothing asked for yet: the firewall drops it")
        out = in_netns(f"{self.lab}-c0", "natpmpc", "-g", "192.168.1.1", "-a", "7001", "7001", "udp", "60").stdout
        self.assertIn("Mapped public port 7001 protocol UDP to local port 7001 liftime 60", out)
        self.assertTrue(self.arrives(7001, "mapped"))
        shown = natlab("mappings", self.lab, "nat0").stdout
        left = re.search(r"requested through UPnP, NAT-PMP or PCP:\n  udp 100\.64\.1\.100:7001 -> c0 "
                         r"192\.168\.1\.2:7001 for (\d+) s, 'NAT-PMP 7001 udp'\n", shown)
        self.assertIsNotNone(left, shown)
        self.assertTrue(0 < int(left.group(1)) <= 60, shown)  # what is left of the 60 s asked for
        in_netns(f"{self.lab}-c0", "natpmpc", "-g", "192.168.1.1", "-a", "7001", "7001", "udp", "0")
        self.assertTrue(self.arrives(7001, "flow-lives-on"), "conntrack keeps the flow it admitted")
        self.assertFalse(self.arrives(7001, "deleted", source_port=5001))
        self.assertIn("requested through UPnP, NAT-PMP or PCP: none\n", natlab("mappings", self.lab, "nat0").stdout)

    def test_upnp_igd_maps_a_port_that_upnpc_deletes_again(self):
        add = in_netns(f"{self.lab}-c0", "upnpc", "-i", "-e", "natlab test", "-a", "192.168.1.2", "7002", "7002",
                       "UDP").stdout
        self.assertIn("external 100.64.1.100:7002 UDP is redirected to internal 192.168.1.2:7002", add)
        self.assertTrue(self.arrives(7002, "through-upnp"))
        self.assertIn("-> c0 192.168.1.2:7002 for ", natlab("mappings", self.lab, "nat0").stdout)
        in_netns(f"{self.lab}-c0", "upnpc", "-i", "-d", "7002", "UDP")
        self.assertFalse(self.arrives(7002, "after-delete", source_port=5001))

    def test_pcp_map_and_delete(self):
        lines = run(f"{self.lab}-c0", PCP_MAP, 7003, 30)
        result, port, address, lifetime = lines[0].split()
        self.assertEqual((result, port, address), ("0", "7003", "::ffff:100.64.1.100"))
        self.assertEqual(int(lifetime), 30)
        self.assertTrue(self.arrives(7003, "through-pcp"))
        self.assertEqual(run(f"{self.lab}-c0", PCP_MAP, 7003, 0)[0].split()[0], "0")
        self.assertFalse(self.arrives(7003, "after-pcp-delete", source_port=5001))

    def test_a_mapping_ends_with_its_lifetime(self):
        lines = run(f"{self.lab}-c0", PCP_MAP, 7004, 2)
        self.assertEqual(lines[0].split()[:2], ["0", "7004"])
        self.assertTrue(self.arrives(7004, "in-time"))
        time.sleep(3)
        self.assertFalse(self.arrives(7004, "expired", source_port=5001))
        self.assertIn("requested through UPnP, NAT-PMP or PCP: none\n", natlab("mappings", self.lab, "nat0").stdout)


    def test_a_renumbered_nat_hands_out_its_new_address_and_keeps_its_mappings(self):
        c0 = f"{self.lab}-c0"
        out = in_netns(c0, "natpmpc", "-g", "192.168.1.1", "-a", "7005", "7005", "udp", "600").stdout
        self.assertIn("Mapped public port 7005 protocol UDP to local port 7005 liftime 600", out)
        said = natlab("set", self.lab, "nat0", "address=100.64.1.50").stdout
        self.assertTrue(said.endswith("; live bindings dropped; its port-mapping service now hands out "
                                      "100.64.1.50\n"), said)
        self.assertIn("Public IP address : 100.64.1.50\n", in_netns(c0, "natpmpc", "-g", "192.168.1.1").stdout)
        self.assertEqual(run(c0, PCP_MAP, 7006, 30)[0].split()[:3], ["0", "7006", "::ffff:100.64.1.50"])
        self.assertTrue(self.arrives(7005, "asked-before", address="100.64.1.50"), "the earlier mapping is kept")
        self.assertTrue(self.arrives(7006, "asked-after", address="100.64.1.50"))
        commands = sorted(subprocess.run(["ps", "-o", "args=", "-p", ",".join(self.daemon_pids())],
                                         capture_output=True, text=True).stdout.splitlines())
        self.assertEqual(commands[1], "stund -h 100.64.1.50 -a 127.0.0.1 -p 3478", commands)
        self.assertEqual(len(commands), 2, commands)

    def test_status_names_a_port_mapping_daemon_that_stopped(self):
        self.assertIn("\n      port mapping: miniupnpd running, stund running (log "
                      f"/run/natlab/{self.lab}/port-mapping/nat0.log)\n", natlab("status", self.lab).stdout)
        stund = [pid for pid in self.daemon_pids() if command_name(pid) == "stund"]
        self.assertEqual(len(stund), 1)
        os.kill(int(stund[0]), signal.SIGKILL)
        self.assertTrue(wait_for(lambda: command_name(stund[0]) in (None, "")))
        proc = natlab("status", self.lab, check=False)
        self.assertEqual(proc.returncode, 1, proc.stdout)
        self.assertIn(f"  problem: the port-mapping service of nat0: stund is not running; see "
                      f"/run/natlab/{self.lab}/port-mapping/nat0.log\n", proc.stdout)
        self.assertIn("port mapping: miniupnpd running, stund NOT RUNNING", proc.stdout)

    def daemon_pids(self):
        return subprocess.run(["ip", "netns", "pids", f"{self.lab}-nat0"], capture_output=True,
                              text=True).stdout.split()

def command_name(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except FileNotFoundError:
        return None


class StunStaysInside(LabTestCase):
    def test_the_nats_stun_server_answers_nobody_outside_even_without_a_firewall(self):
        lab = self.create_from_text(TOPOLOGY.replace("port-mapping: all,", "port-mapping: all, firewall: false,"),
                                    "it-pm")
        self.assertEqual(run(f"{lab}-c0", STUN_ASK, "100.64.1.100", 3478), ["answered"],
                         "stund runs: from inside it answers")
        for port in (3478, 3479):
            self.assertEqual(run(f"{lab}-peer", STUN_ASK, "100.64.1.100", port), ["silent"])


class PortMappingService(LabTestCase):
    def daemons(self, lab):
        out = subprocess.run(["ip", "netns", "pids", f"{lab}-nat0"], capture_output=True, text=True).stdout
        return {int(pid): command_name(pid) for pid in out.split()}

    def topology_file(self):
        """A lab name and the topology written to a file of that name."""
        name = unique_name("it-pm")
        path = f"/tmp/{name}.yaml"
        with open(path, "w") as f:
            f.write(TOPOLOGY)
        self.addCleanup(os.unlink, path)
        return name, path

    def test_clean_stops_the_daemons_also_after_natlab_was_killed(self):
        name, path = self.topology_file()
        self.addCleanup(self.assert_gone_after_clean, name)
        proc = subprocess.Popen([NATLAB, "run", "-q", "--name", name, path, "--", "sleep", "60"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertTrue(wait_for(lambda: os.path.exists(f"/run/netns/{name}-nat0") and
                                 sorted(self.daemons(name).values()) == ["miniupnpd", "stund"], timeout=20))
        pids = list(self.daemons(name))
        proc.kill()
        proc.communicate(timeout=10)
        natlab("clean", "-q", name)
        self.assertTrue(wait_for(lambda: not any(command_name(pid) in ("miniupnpd", "stund") for pid in pids)))
        self.assert_nothing_left(name)

    def test_a_stun_server_that_stops_is_named_with_what_it_wrote_and_nothing_is_left(self):
        name, path = self.topology_file()
        fake = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, fake)
        with open(os.path.join(fake, "stund"), "w") as f:
            f.write("#!/bin/sh\necho 'stund: cannot bind 3478' >&2\nexit 1\n")
        os.chmod(os.path.join(fake, "stund"), 0o755)
        proc = natlab("create", "--name", name, path, check=False,
                      env=dict(os.environ, PATH=f"{fake}:/usr/sbin:/usr/bin:/sbin:/bin"))
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn(f": stund stopped; the end of /run/natlab/{name}/port-mapping/nat0.log:\n"
                      "    stund: cannot bind 3478\n", proc.stderr)
        self.assertTrue(proc.stderr.endswith(f"\nnothing of lab {name} was left behind\n"), proc.stderr)
        self.assert_nothing_left(name)

    def test_missing_programs_are_named_with_their_packages_before_anything_is_made(self):
        name, path = self.topology_file()
        proc = natlab("create", "--name", name, path, check=False, env=dict(os.environ, PATH="/usr/bin:/bin"))
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertEqual(proc.stderr,
                         f"{path}:5:3: nat node 'nat0' offers port mapping, which needs programs that are not "
                         "installed: miniupnpd (Debian package miniupnpd-nftables), stund (Debian package "
                         "stun-server); install them with 'apt-get install miniupnpd-nftables stun-server'\n"
                         f"natlab: 1 problem in {path}; nothing was done\n")
        self.assert_nothing_left(name)


if __name__ == "__main__":
    unittest.main()
