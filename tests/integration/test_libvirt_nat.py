"""labs/libvirt-nat.yaml as libvirt's NAT networks behave: each VM holds a lease from its
network's range, VMs reach the outside by NAT and each other (unicast, broadcast, multicast), and
the two networks are kept apart. The witnesses are `ip -j addr`, real packets, ping's own report of
the rejection, and nft's counter."""
import json
import subprocess
import unittest

from natlab_test import PYTHON, LabTestCase, in_netns, ip_json, lab_file, natlab, udp_exchange, unique_name

# Listens on a UDP port (any address, so broadcast and multicast arrive too), joining a group
# when one is given; prints what arrives, for a while.
LISTEN = r"""
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", int(sys.argv[1])))
if len(sys.argv) > 2:
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                 struct.pack("4s4s", socket.inet_aton(sys.argv[2]), socket.inet_aton("0.0.0.0")))
s.settimeout(3)
print("ready", flush=True)
try:
    while True:
        data, peer = s.recvfrom(2048)
        print(data.decode(), flush=True)
except socket.timeout:
    pass
"""

# Sends a few datagrams to a broadcast or multicast address.
SEND = r"""
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
for _ in range(5):
    s.sendto(sys.argv[3].encode(), (sys.argv[1], int(sys.argv[2])))
    time.sleep(0.1)
"""


def leased(netns):
    """The IPv4 address eth0 holds and its valid lifetime, as the kernel reports them."""
    addr = next(a for a in ip_json(netns, "addr", "show", "eth0")[0]["addr_info"] if a["family"] == "inet")
    return addr["local"], addr["valid_life_time"]


class LibvirtNat(LabTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = unique_name("lvnat")
        natlab("create", "-q", "--name", cls.lab, lab_file("libvirt-nat.yaml"))

    @classmethod
    def tearDownClass(cls):
        natlab("clean", "-q", cls.lab)

    def ns(self, node):
        return f"{self.lab}-{node}"

    def ping(self, source, target):
        return in_netns(self.ns(source), "ping", "-n", "-c1", "-W2", target)

    def rejected(self):
        rules = json.loads(in_netns(self.ns("hv"), "nft", "-j", "list", "chain", "ip", "natlab", "isolate",
                                    check=True).stdout)
        return sum(e["rule"]["expr"][2]["counter"]["packets"] for e in rules["nftables"] if "rule" in e)

    def heard(self, listener, group, send_to, payload):
        """What `listener` heard of `payload` sent from vma to send_to (broadcast or group)."""
        args = [PYTHON, "-c", LISTEN, "5353"] + ([group] if group else [])
        proc, stop = self.background(self.ns(listener), *args, stdout=subprocess.PIPE, text=True)
        self.assertEqual(proc.stdout.readline().strip(), "ready")
        in_netns(self.ns("vma"), PYTHON, "-c", SEND, send_to, "5353", payload, check=True)
        proc.wait(timeout=10)
        return payload in proc.stdout.read()

    def address(self, node):
        return leased(self.ns(node))[0]

    def test_every_vm_holds_a_lease_from_its_networks_range(self):
        for node, network in (("vma", "192.168.122."), ("vmb", "192.168.122."), ("vmc", "10.0.100.")):
            address, lifetime = leased(self.ns(node))
            self.assertTrue(address.startswith(network), address)
            self.assertGreater(int(address.rsplit(".", 1)[1]), 1)
            self.assertLessEqual(lifetime, 3600)  # a lease of an hour, not a static address
        self.assertNotEqual(self.address("vma"), self.address("vmb"))

    def test_a_vm_reaches_the_outside_from_the_hosts_address(self):
        seen, rc = udp_exchange(self.ns("server"), "203.0.113.2", self.ns("vma"))
        self.assertEqual(rc, 0)
        self.assertEqual(seen.split(":")[0], "198.51.100.2")
        self.assertEqual(self.ping("vmc", "server").returncode, 0)

    def test_vms_of_one_network_reach_each_other(self):
        self.assertEqual(self.ping("vma", "vmb").returncode, 0)  # by name: the lease is in the hosts file
        seen, rc = udp_exchange(self.ns("vmb"), self.address("vmb"), self.ns("vma"))
        self.assertEqual((seen.split(":")[0], rc), (self.address("vma"), 0))

    def test_broadcast_and_multicast_stay_within_a_network(self):
        self.assertTrue(self.heard("vmb", None, "192.168.122.255", "bcast-b"))
        self.assertFalse(self.heard("vmc", None, "192.168.122.255", "bcast-c"))
        self.assertTrue(self.heard("vmb", "239.1.1.1", "239.1.1.1", "mcast-b"))
        self.assertFalse(self.heard("vmc", "239.1.1.1", "239.1.1.1", "mcast-c"))

    def test_the_two_networks_are_kept_apart_and_told_so(self):
        before = self.rejected()
        across = self.ping("vma", self.address("vmc"))
        self.assertNotEqual(across.returncode, 0)
        # libvirt's REJECT: the host answers, the VM is not left waiting.
        self.assertIn("Destination Port Unreachable", across.stdout)
        self.assertNotEqual(self.ping("vmc", self.address("vma")).returncode, 0)
        self.assertGreaterEqual(self.rejected() - before, 2)
        # A TCP connection across is refused as well, at once.
        tcp = in_netns(self.ns("vmc"), "nc", "-z", "-w2", self.address("vma"), "22")
        self.assertNotEqual(tcp.returncode, 0)


class IsolationChangedLive(LabTestCase):
    def test_set_isolate_inside_false_routes_between_the_networks(self):
        lab = self.create(lab_file("libvirt-nat.yaml"), unique_name("lvset"))
        vma, vmc = f"{lab}-vma", leased(f"{lab}-vmc")[0]
        self.assertNotEqual(in_netns(vma, "ping", "-c1", "-W1", vmc).returncode, 0)
        natlab("set", lab, "hv", "isolate-inside=false")
        self.assertEqual(in_netns(vma, "ping", "-c1", "-W2", vmc).returncode, 0)
        natlab("set", lab, "hv", "isolate-inside=true")
        self.assertNotEqual(in_netns(vma, "ping", "-c1", "-W1", vmc).returncode, 0)


if __name__ == "__main__":
    unittest.main()
