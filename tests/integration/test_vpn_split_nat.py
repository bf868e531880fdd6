"""labs/vpn-split-nat.yaml as the article's laptop behaves: one NAT node with two outsides, routes
choosing between them. The witnesses are the source addresses real datagrams arrive from, conntrack's
own table (`conntrack -L`), and what `natlab set` does to the interface (`ip -j addr`)."""
import subprocess
import unittest

from natlab_test import addresses, lab_file, natlab, udp_exchange, unique_name

GPD0, EN0 = "10.8.0.2", "198.51.100.23"


class VpnSplitNat(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = unique_name("vsn")
        natlab("create", "-q", "--name", cls.lab, lab_file("vpn-split-nat.yaml"))

    @classmethod
    def tearDownClass(cls):
        natlab("clean", "-q", cls.lab)

    def ns(self, node):
        return f"{self.lab}-{node}"

    def source_seen_by(self, node, address, port):
        seen, code = udp_exchange(self.ns(node), address, self.ns("vm"), port=port, payload=f"to-{node}")
        self.assertEqual(code, 0)
        self.assertIsNotNone(seen, f"vm's datagram never reached {node}")
        return seen.rsplit(":", 1)[0]

    def test_each_destination_leaves_by_its_route_translated_to_that_outside(self):
        self.assertEqual(self.source_seen_by("corp", "10.20.0.10", 41001), GPD0)
        self.assertEqual(self.source_seen_by("web", "203.0.113.80", 41002), EN0)

    def test_an_exception_of_the_exclude_table_is_translated_the_rest_not(self):
        # 10.0.0.0/8 is excluded but 10.20.0.0/16: build sees the VM itself, corp sees gpd0.
        self.assertEqual(self.source_seen_by("build", "10.30.0.10", 41003), "192.168.64.2")
        self.assertEqual(self.source_seen_by("corp", "10.20.0.10", 41004), GPD0)

    def test_conntrack_holds_each_flow_on_its_own_outside(self):
        self.source_seen_by("corp", "10.20.0.10", 41005)
        self.source_seen_by("web", "203.0.113.80", 41006)
        listed = subprocess.run(["ip", "netns", "exec", self.ns("mac"), "conntrack", "-L", "-p", "udp"],
                                capture_output=True, text=True).stdout
        corp = next(line for line in listed.splitlines() if "dport=41005" in line)
        web = next(line for line in listed.splitlines() if "dport=41006" in line)
        self.assertIn(f"dst={GPD0}", corp)
        self.assertIn(f"dst={EN0}", web)

    def test_mappings_show_each_outsides_address(self):
        self.source_seen_by("corp", "10.20.0.10", 41007)
        self.source_seen_by("web", "203.0.113.80", 41008)
        out = natlab("mappings", self.lab, "mac").stdout
        self.assertRegex(out, rf"vm 192\.168\.64\.2:\d+ -> {GPD0}:\d+")
        self.assertRegex(out, rf"vm 192\.168\.64\.2:\d+ -> {EN0}:\d+")

    def test_set_address_names_the_outside(self):
        proc = natlab("set", self.lab, "mac", "address=198.51.100.50", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("natlab: nat node 'mac' has 2 outside interfaces (gpd0, en0); name the one whose "
                      "address changes: address.gpd0=198.51.100.50 or address.en0=198.51.100.50", proc.stderr)
        proc = natlab("set", self.lab, "mac", "address.wlan0=198.51.100.50", check=False)
        self.assertIn("'wlan0' is not an outside interface of nat node 'mac'; its outside interfaces: gpd0, en0",
                      proc.stderr)
        out = natlab("set", self.lab, "mac", "address.en0=198.51.100.50").stdout
        self.addCleanup(natlab, "set", self.lab, "mac", f"address.en0={EN0}")
        self.assertIn(f"at {GPD0} on gpd0, 198.51.100.50 on en0", out)
        self.assertIn("198.51.100.50/24", addresses(self.ns("mac"), "en0"))
        self.assertEqual(self.source_seen_by("web", "203.0.113.80", 41009), "198.51.100.50")
        self.assertEqual(self.source_seen_by("corp", "10.20.0.10", 41010), GPD0)


if __name__ == "__main__":
    unittest.main()
