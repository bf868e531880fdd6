"""The IPv6 side of NAT nodes with real packets: an RFC 6092 firewall by
default (each filtering class), routed, NPTv6 and NAT66. What arrives is read
by the receiving socket; what conntrack keeps by conntrack(8)."""
import os
import subprocess
import unittest

from natlab_test import PYTHON, LabTestCase, in_netns, lab_file, natlab, unique_name

# Sends one datagram from `src_port` (0: any) to the destination, then listens
# on that port for `wait` s and prints what came back: "from ADDR PORT" or "nothing".
UDP6 = r"""
import socket, sys
dst, dport, sport, wait = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", sport))
if dport:
    s.sendto(b"out", (dst, dport))
print("sent", flush=True)
s.settimeout(wait)
try:
    data, peer = s.recvfrom(100)
    print("from", peer[0], peer[1])
except socket.timeout:
    print("nothing")
"""

# Listens on a UDP port for `wait` s, printing the first sender, or "nothing".
LISTEN6 = r"""
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", int(sys.argv[1])))
print("ready", flush=True)
s.settimeout(float(sys.argv[2]))
try:
    data, peer = s.recvfrom(100)
    print("from", peer[0], peer[1])
except socket.timeout:
    print("nothing")
"""

# Sends three datagrams 0.2 s apart from a given source address and port (a
# first packet may wait for neighbour discovery on a fresh link; a filter
# drops all three).
SEND6 = r"""
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((sys.argv[3], int(sys.argv[4])))
for _ in range(3):
    s.sendto(b"in", (sys.argv[1], int(sys.argv[2])))
    time.sleep(0.2)
"""

# Tries a TCP connection; prints "connected" or "refused-or-timeout".
TCP6 = r"""
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.settimeout(float(sys.argv[3]))
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
    print("connected")
except OSError:
    print("refused-or-timeout")
"""

SLOW = float(os.environ.get("NATLAB_SLOW", "1"))  # the stock-kernel guest runs under TCG
LAPTOP, SERVER, INTERNET = "2001:db8:1:1::2", "2001:db8:2::2", "2001:db8:ffff::1"


def lab_text(home_keys):
    """labs/dual-stack.yaml with other keys on home (flow style)."""
    with open(lab_file("dual-stack.yaml")) as f:
        text = f.read()
    return text.replace("    ipv6: firewall\n", "".join(f"    {k}\n" for k in home_keys))


class Ipv6Side(LabTestCase):
    def make(self, *home_keys):
        if not home_keys:
            return self.create(lab_file("dual-stack.yaml"), unique_name("v6fw"))
        return self.create_from_text(lab_text(home_keys), "v6fw")

    def heard_while(self, lab, node, script, args, then):
        """Runs `script` on `node` (it prints "ready" or "sent" once it may be
        answered, then what it heard), runs `then`, and returns what it heard."""
        listener = subprocess.Popen(["ip", "netns", "exec", f"{lab}-{node}", PYTHON, "-c", script, *map(str, args)],
                                    stdout=subprocess.PIPE, text=True)
        try:
            self.assertIn(listener.stdout.readline().strip(), ("ready", "sent"))
            then()
            listener.wait(timeout=10 * SLOW)
            return listener.stdout.read().strip()
        finally:
            if listener.poll() is None:
                listener.kill()
                listener.wait()
            listener.stdout.close()

    def send(self, lab, node, dst, port, src, src_port):
        in_netns(f"{lab}-{node}", PYTHON, "-c", SEND6, dst, str(port), src, str(src_port), check=True)

    def unsolicited_udp(self, lab, src=SERVER, src_ns="server", port=5000, src_port=7000):
        """What laptop's socket on `port` hears when `src_ns` sends to it unasked."""
        return self.heard_while(lab, "laptop", LISTEN6, (port, 2 * SLOW),
                                lambda: self.send(lab, src_ns, LAPTOP, port, src, src_port))

    def opened_then_answered(self, lab, src, src_ns, src_port, laptop_port=5100):
        """laptop sends from laptop_port to server:9999; then `src_ns` sends
        from src:src_port to that port. Returns what laptop heard."""
        return self.heard_while(lab, "laptop", UDP6, (SERVER, 9999, laptop_port, 3 * SLOW),
                                lambda: self.send(lab, src_ns, LAPTOP, laptop_port, src, src_port))

    def conntrack_ipv6(self, lab, node="home"):
        out = in_netns(f"{lab}-{node}", "conntrack", "-L", "-f", "ipv6").stdout
        return [line for line in out.splitlines() if line.strip()]

    def test_the_default_is_an_rfc6092_firewall(self):
        lab = self.make()
        # Usable when create returns: laptop reaches server, and echo passes in (RFC 4890).
        self.assertEqual(in_netns(f"{lab}-laptop", "ping", "-6", "-c1", "-W2", SERVER).returncode, 0)
        self.assertEqual(in_netns(f"{lab}-server", "ping", "-6", "-c1", "-W2", LAPTOP).returncode, 0)
        # Unsolicited UDP and TCP from outside are dropped, and conntrack keeps nothing of them.
        before = [f for f in self.conntrack_ipv6(lab) if "dport=5000" in f or "dport=5001" in f]
        self.assertEqual(self.unsolicited_udp(lab), "nothing")
        tcp = in_netns(f"{lab}-server", PYTHON, "-c", TCP6, LAPTOP, "5001", "2").stdout.strip()
        self.assertEqual(tcp, "refused-or-timeout")
        after = [f for f in self.conntrack_ipv6(lab) if "dport=5000" in f or "dport=5001" in f]
        self.assertEqual((before, after), ([], []))
        # The kernel holds both tables, and status finds them as declared.
        tables = in_netns(f"{lab}-home", "nft", "list", "tables").stdout.split("\n")
        self.assertIn("table ip6 natlab", tables)
        self.assertIn("nftables rules: as declared", natlab("status", lab).stdout)

    def test_endpoint_independent_filtering_lets_anyone_answer(self):
        lab = self.make()
        # Another address and port than the one laptop sent to.
        self.assertEqual(self.opened_then_answered(lab, INTERNET, "internet", 7777), f"from {INTERNET} 7777")

    def test_address_dependent_filtering(self):
        lab = self.make("ipv6: {mode: firewall, filtering: address-dependent}")
        self.assertEqual(self.opened_then_answered(lab, SERVER, "server", 7777), f"from {SERVER} 7777")
        self.assertEqual(self.opened_then_answered(lab, INTERNET, "internet", 7777, laptop_port=5101), "nothing")

    def test_address_and_port_dependent_filtering(self):
        lab = self.make("ipv6: {mode: firewall, filtering: address-and-port-dependent}")
        self.assertEqual(self.opened_then_answered(lab, SERVER, "server", 7777), "nothing")
        self.assertEqual(self.opened_then_answered(lab, SERVER, "server", 9999, laptop_port=5101),
                         f"from {SERVER} 9999")

    def test_echo_drop_and_an_open_firewall(self):
        lab = self.make("ipv6: {mode: firewall, echo: drop}")
        self.assertNotEqual(in_netns(f"{lab}-server", "ping", "-6", "-c1", "-W1", LAPTOP).returncode, 0)
        for keys in ("ipv6: routed", "firewall: false"):
            with self.subTest(keys=keys):
                lab = self.make(keys)
                self.assertEqual(self.unsolicited_udp(lab), f"from {SERVER} 7000")

    def test_nptv6_swaps_the_prefix_both_ways_and_keeps_the_interface_identifier(self):
        lab = self.make("ipv6: {mode: nptv6, prefix: '2001:db8:ff::/64'}")
        outside = "2001:db8:ff::2"  # laptop's 2001:db8:1:1::2 under the outside prefix
        heard = self.unsolicited_udp_from_laptop(lab)
        self.assertEqual(heard.split()[:2], ["from", outside])
        # 1:1: the outside address reaches laptop unasked.
        self.assertEqual(in_netns(f"{lab}-server", "ping", "-6", "-c1", "-W2", outside).returncode, 0)
        # Where RFC 6296 keeps no state, the kernel's prefix NAT keeps a flow per
        # conversation: conntrack holds the datagram's, translated.
        flows = [f for f in self.conntrack_ipv6(lab) if "dport=6000" in f]
        self.assertEqual(len(flows), 1, flows)
        self.assertIn(f"src={SERVER} dst={outside}", flows[0])

    def test_nat66_translates_to_the_outside_address_and_filters(self):
        lab = self.make("ipv6: {mode: nat66, type: port-restricted-cone}")
        heard = self.unsolicited_udp_from_laptop(lab)
        self.assertEqual(heard.split()[:3], ["from", "2001:db8:ffff::2", "5200"])  # port preserved
        self.assertEqual(self.unsolicited_udp(lab), "nothing")

    def test_nat66_endpoint_independent_mapping_keeps_one_port_for_every_destination(self):
        # Ports drawn at random from a range: only the mapping keeps the second
        # destination on the first one's port.
        lab = self.make("ipv6: {mode: nat66, type: full-cone, port-range: 20000-20009}")
        first = self.unsolicited_udp_from_laptop(lab).split()
        second = self.unsolicited_udp_from_laptop(lab, node="internet", address=INTERNET).split()
        self.assertEqual(first[:2], ["from", "2001:db8:ffff::2"])
        self.assertIn(int(first[2]), range(20000, 20010))
        self.assertEqual(second, ["from", "2001:db8:ffff::2", first[2]])

    def unsolicited_udp_from_laptop(self, lab, node="server", address=SERVER):
        """What `node`'s socket hears when laptop sends to it from port 5200."""
        return self.heard_while(lab, node, LISTEN6, (6000, 3 * SLOW),
                                lambda: self.send(lab, "laptop", address, 6000, "::", 5200))


if __name__ == "__main__":
    unittest.main()
