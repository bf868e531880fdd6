"""Port security on a switch's ports (labs/port-security.yaml), judged by raw Ethernet frames
sent and received with AF_PACKET sockets in the hosts' namespaces, and by nft's counters."""
import json
import subprocess
import unittest

from natlab_test import PYTHON, LabTestCase, in_netns, lab_file, natlab, unique_name

ETHERTYPE = 0x88B5  # IEEE 802 local experimental: nothing else in the lab sends it

# Sends five frames of ETHERTYPE from the interface: dst src payload.
SEND = r"""
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
dst, src = (bytes.fromhex(m.replace(":", "")) for m in sys.argv[1:3])
for _ in range(5):
    s.send(dst + src + (0x88B5).to_bytes(2, "big") + sys.argv[3].encode().ljust(46, b"\0"))
    time.sleep(0.05)
"""

# Prints the payload of every ETHERTYPE frame eth0 receives for 2 s.
LISTEN = r"""
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88B5))
s.bind(("eth0", 0x88B5))
s.settimeout(2)
print("ready", flush=True)
try:
    while True:
        frame, addr = s.recvfrom(2048)
        if addr[2] != socket.PACKET_OUTGOING:
            print(frame[14:].rstrip(b"\0").decode(), flush=True)
except socket.timeout:
    pass
"""


class FramesTestCase(LabTestCase):
    lab = None

    def ns(self, node):
        return f"{self.lab}-{node}"

    def mac(self, node):
        return json.loads(in_netns(self.ns(node), "ip", "-j", "link", "show", "eth0", check=True).stdout)[0]["address"]

    def delivered(self, sender, dst, src, receiver, payload):
        """Whether `receiver` got the frames `sender` sent from `src` to `dst`."""
        listener, _ = self.background(self.ns(receiver), PYTHON, "-c", LISTEN, stdout=subprocess.PIPE, text=True)
        self.assertEqual(listener.stdout.readline().strip(), "ready")
        in_netns(self.ns(sender), PYTHON, "-c", SEND, dst, src, payload, check=True)
        listener.wait(timeout=10)
        return payload in listener.stdout.read()

    def sniffed(self, sender, dst, src, sniffer, payload):
        """Whether tcpdump (its interface promiscuous) on `sniffer` saw the frames."""
        dump, _ = self.background(self.ns(sniffer), "timeout", "3", "tcpdump", "-i", "eth0", "-l", "-nn", "-q", "-A",
                                  "ether proto 0x88b5", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertIn("listening on", dump.stderr.readline() + dump.stderr.readline())
        in_netns(self.ns(sender), PYTHON, "-c", SEND, dst, src, payload, check=True)
        dump.wait(timeout=10)
        return payload in dump.stdout.read()


class PortSecurity(FramesTestCase):
    def setUp(self):
        self.lab = self.create(lab_file("port-security.yaml"), unique_name("psec"))

    def counter(self, name):
        out = in_netns(self.ns("vswitch"), "nft", "-j", "list", "counter", "bridge", "natlab", name, check=True).stdout
        return next(e["counter"]["packets"] for e in json.loads(out)["nftables"] if "counter" in e)

    def test_the_macs_are_the_ones_written(self):
        self.assertEqual([self.mac(n) for n in ("vm", "nlb", "gw")],
                         ["02:00:00:00:00:0a", "02:00:00:00:00:0b", "02:00:00:00:00:0c"])

    def test_a_forged_transmit_is_dropped_at_vms_port_and_passes_at_nlbs(self):
        forged = "02:00:00:00:99:99"
        before = self.counter("forged_vm")
        self.assertFalse(self.delivered("vm", self.mac("gw"), forged, "gw", "from-vm"))
        self.assertEqual(self.counter("forged_vm") - before, 5)
        # status says the same as the kernel's counter, per port.
        status = json.loads(natlab("status", self.lab, "--json").stdout)
        switch = next(n for n in status["nodes"] if n["name"] == "vswitch")
        ports = {p["port"]: p for p in switch["port_security"]}
        self.assertEqual(ports["vm"]["forged_dropped"], self.counter("forged_vm"))
        self.assertEqual((ports["nlb"]["forged_transmits"], "forged_dropped" in ports["nlb"]), ("accept", False))
        self.assertTrue(self.delivered("nlb", self.mac("gw"), forged, "gw", "from-nlb"))
        # vm's own frames and ordinary traffic flow.
        self.assertTrue(self.delivered("vm", self.mac("gw"), self.mac("vm"), "gw", "honest"))
        self.assertEqual(in_netns(self.ns("vm"), "ping", "-c1", "-W2", "10.20.0.3").returncode, 0)

    def test_a_host_that_changed_its_mac_gets_nothing_at_the_new_one(self):
        changed = "02:00:00:00:77:77"
        in_netns(self.ns("vm"), "ip", "link", "set", "eth0", "address", changed, check=True)
        before = self.counter("changed_vm")
        self.assertFalse(self.delivered("gw", changed, self.mac("gw"), "vm", "to-new-mac"))
        self.assertEqual(self.counter("changed_vm") - before, 5)
        in_netns(self.ns("vm"), "ip", "link", "set", "eth0", "address", "02:00:00:00:00:0a", check=True)
        self.assertTrue(self.delivered("gw", "02:00:00:00:00:0a", self.mac("gw"), "vm", "to-given-mac"))


PROMISCUOUS = """
name: promisc
nodes:
  sw: {kind: switch, port-security: {ids: {promiscuous: accept}}}
  a: {}
  b: {}
  ids: {}
  other: {}
links:
  - {endpoints: [sw:a, a:eth0], subnet: 10.21.0.0/24}
  - {endpoints: [sw:b, b:eth0]}
  - {endpoints: [sw:ids, ids:eth0]}
  - {endpoints: [sw:other, other:eth0]}
"""


class PromiscuousPort(FramesTestCase):
    def test_only_the_promiscuous_port_sees_unicast_between_others(self):
        self.lab = self.create_from_text(PROMISCUOUS, "pprm")
        # The bridge learns where b is: frames to b are then not flooded.
        self.assertEqual(in_netns(self.ns("a"), "ping", "-c1", "-W2", "10.21.0.2").returncode, 0)
        a, b = self.mac("a"), self.mac("b")
        self.assertTrue(self.sniffed("a", b, a, "ids", "copy"))
        self.assertFalse(self.sniffed("a", b, a, "other", "nocopy"))
        self.assertTrue(self.delivered("a", b, a, "b", "direct"))


if __name__ == "__main__":
    unittest.main()
