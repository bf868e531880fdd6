"""natlab's measuring tools over IPv6: probe, verify and punch through each mode
of a NAT node's IPv6 side (an RFC 6092 firewall with each filtering, the
firewall off, routed, NAT66, NPTv6).

The witness is coturn: its RFC 5780 client `turnutils_natdiscovery` run from
the same host against coturn's own STUN server (`turnserver --stun-only` on two
IPv6 addresses of a server node), so neither natlab's STUN client nor its
server is in the witness's path. Punching is judged by where each host's
packets came from: two hosts behind two firewalls hear each other's own
addresses, which no relay and no translation could give.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from natlab_test import NATLAB, PYTHON, in_netns, natlab, netns_list, unique_name, wait_for

# One NAT per mode (NAT66 of two classes), each with a host behind it; two firewalls that filter by
# port, for the punch between them. Outside: 2001:db8:ff:N::/64 (internet ::1,
# the NAT ::2); inside: 2001:db8:1:N::/64, or fd00:N::/64 behind a translator.
LAB = """
name: t6
nodes:
  internet: {kind: router}
  server: {routes: {default: internet}}
  fw-ei: {kind: nat, outside: wan, routes: {default: internet}, ipv6: firewall}
  fw-ad: {kind: nat, outside: wan, routes: {default: internet},
          ipv6: {mode: firewall, filtering: address-dependent}}
  fw-apd: {kind: nat, outside: wan, routes: {default: internet},
           ipv6: {mode: firewall, filtering: address-and-port-dependent}}
  fw-apd2: {kind: nat, outside: wan, routes: {default: internet},
            ipv6: {mode: firewall, filtering: address-and-port-dependent}}
  fw-off: {kind: nat, outside: wan, firewall: false, routes: {default: internet}, ipv6: firewall}
  routed: {kind: nat, outside: wan, routes: {default: internet}, ipv6: routed}
  n66-sym: {kind: nat, type: symmetric, outside: wan, routes: {default: internet}, ipv6: nat66}
  n66-full: {kind: nat, outside: wan, routes: {default: internet}, ipv6: {mode: nat66, type: full-cone}}
  npt: {kind: nat, outside: wan, routes: {default: internet},
        ipv6: {mode: nptv6, prefix: "2001:db8:ee:8::/64"}}
  fw-short: {kind: nat, outside: wan, udp-timeout: {unreplied: 3, established: 5},
             routes: {default: internet}, ipv6: {mode: firewall, filtering: address-and-port-dependent}}
  p-home: {kind: nat, outside: wan, preset: home-router, routes: {default: internet}}
  p-cgnat: {kind: nat, outside: wan, preset: cgnat, routes: {default: internet}}
  p-mobile: {kind: nat, outside: wan, preset: mobile-carrier, routes: {default: internet}}
  p-office: {kind: nat, outside: wan, preset: enterprise-firewall, routes: {default: internet}}
  p-cloud: {kind: nat, outside: wan, preset: cloud-1to1, routes: {default: internet}}
  h1: {routes: {default: fw-ei}}
  h2: {routes: {default: fw-ad}}
  h3: {routes: {default: fw-apd}}
  h4: {routes: {default: fw-off}}
  h5: {routes: {default: routed}}
  h6: {routes: {default: n66-sym}}
  h7: {routes: {default: n66-full}}
  h8: {routes: {default: npt}}
  h9: {routes: {default: fw-apd2}}
  h10: {routes: {default: fw-short}}
  h11: {routes: {default: p-home}}
  h12: {routes: {default: p-cgnat}}
  h13: {routes: {default: p-mobile}}
  h14: {routes: {default: p-office}}
  h15: {routes: {default: p-cloud}}
links:
  - {endpoints: [internet:srv, server:eth0], subnet: [203.0.113.0/24, "2001:db8:2::/64"]}
  - {endpoints: [fw-ei:lan, h1:eth0], subnet: [10.0.1.0/24, "2001:db8:1:1::/64"]}
  - {endpoints: [internet:n1, fw-ei:wan], subnet: [100.64.1.0/24, "2001:db8:ff:1::/64"]}
  - {endpoints: [fw-ad:lan, h2:eth0], subnet: [10.0.2.0/24, "2001:db8:1:2::/64"]}
  - {endpoints: [internet:n2, fw-ad:wan], subnet: [100.64.2.0/24, "2001:db8:ff:2::/64"]}
  - {endpoints: [fw-apd:lan, h3:eth0], subnet: [10.0.3.0/24, "2001:db8:1:3::/64"]}
  - {endpoints: [internet:n3, fw-apd:wan], subnet: [100.64.3.0/24, "2001:db8:ff:3::/64"]}
  - {endpoints: [fw-off:lan, h4:eth0], subnet: [10.0.4.0/24, "2001:db8:1:4::/64"]}
  - {endpoints: [internet:n4, fw-off:wan], subnet: [100.64.4.0/24, "2001:db8:ff:4::/64"]}
  - {endpoints: [routed:lan, h5:eth0], subnet: [10.0.5.0/24, "2001:db8:1:5::/64"]}
  - {endpoints: [internet:n5, routed:wan], subnet: [100.64.5.0/24, "2001:db8:ff:5::/64"]}
  - {endpoints: [n66-sym:lan, h6:eth0], subnet: [10.0.6.0/24, "fd00:6::/64"]}
  - {endpoints: [internet:n6, n66-sym:wan], subnet: [100.64.6.0/24, "2001:db8:ff:6::/64"]}
  - {endpoints: [n66-full:lan, h7:eth0], subnet: [10.0.7.0/24, "fd00:7::/64"]}
  - {endpoints: [internet:n7, n66-full:wan], subnet: [100.64.7.0/24, "2001:db8:ff:7::/64"]}
  - {endpoints: [npt:lan, h8:eth0], subnet: [10.0.8.0/24, "fd00:8::/64"]}
  - {endpoints: [internet:n8, npt:wan], subnet: [100.64.8.0/24, "2001:db8:ff:8::/64"]}
  - {endpoints: [fw-apd2:lan, h9:eth0], subnet: [10.0.9.0/24, "2001:db8:1:9::/64"]}
  - {endpoints: [internet:n9, fw-apd2:wan], subnet: [100.64.9.0/24, "2001:db8:ff:9::/64"]}
  - {endpoints: [fw-short:lan, h10:eth0], subnet: [10.0.10.0/24, "2001:db8:1:10::/64"]}
  - {endpoints: [internet:n10, fw-short:wan], subnet: [100.64.10.0/24, "2001:db8:ff:10::/64"]}
  - {endpoints: [p-home:lan, h11:eth0], subnet: [10.0.11.0/24, "2001:db8:1:11::/64"]}
  - {endpoints: [internet:n11, p-home:wan], subnet: [100.64.11.0/24, "2001:db8:ff:11::/64"]}
  - {endpoints: [p-cgnat:lan, h12:eth0], subnet: [10.0.12.0/24, "2001:db8:1:12::/64"]}
  - {endpoints: [internet:n12, p-cgnat:wan], subnet: [100.64.12.0/24, "2001:db8:ff:12::/64"]}
  - {endpoints: [p-mobile:lan, h13:eth0], subnet: [10.0.13.0/24, "2001:db8:1:13::/64"]}
  - {endpoints: [internet:n13, p-mobile:wan], subnet: [100.64.13.0/24, "2001:db8:ff:13::/64"]}
  - {endpoints: [p-office:lan, h14:eth0], subnet: [10.0.14.0/24, "2001:db8:1:14::/64"]}
  - {endpoints: [internet:n14, p-office:wan], subnet: [100.64.14.0/24, "2001:db8:ff:14::/64"]}
  - {endpoints: [p-cloud:lan, h15:eth0], subnet: [10.0.15.0/24, "2001:db8:1:15::/64"]}
  - {endpoints: [internet:n15, p-cloud:wan], subnet: [100.64.15.0/24, "2001:db8:ff:15::/64"]}
"""

EI, AD, APD = "endpoint-independent", "address-dependent", "address-and-port-dependent"

# NAT: its host, and what its mode declares (translation, mapping, filtering).
DECLARED = {
    "fw-ei": ("h1", "none", EI, EI),
    "fw-ad": ("h2", "none", EI, AD),
    "fw-apd": ("h3", "none", EI, APD),
    "fw-apd2": ("h9", "none", EI, APD),
    "fw-off": ("h4", "none", EI, EI),
    "routed": ("h5", "none", EI, EI),
    "n66-sym": ("h6", "address", APD, APD),
    "n66-full": ("h7", "address", EI, EI),
    "npt": ("h8", "address", EI, EI),
    "fw-short": ("h10", "none", EI, APD),
    # Each preset's IPv6 side (docs/nat-behaviours.md); udp-blocked lets no UDP
    # out, so neither verify nor a STUN client can measure it.
    "p-home": ("h11", "none", EI, EI),
    "p-cgnat": ("h12", "none", EI, EI),
    "p-mobile": ("h13", "none", EI, EI),
    "p-office": ("h14", "none", EI, APD),
    "p-cloud": ("h15", "none", EI, EI),
}

SERVER = "2001:db8:2::2"
SERVER_OTHER = "2001:db8:2::fe"  # added by the witness's test, removed after it

TURNSERVER = shutil.which("turnserver")
NATDISCOVERY = shutil.which("turnutils_natdiscovery")

# turnutils_natdiscovery's verdicts, in RFC 4787's words.
# One UDP exchange over IPv6: the server answers once; the client retries.
UDP6_SERVER = r"""
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(10)
print("ready", flush=True)
data, peer = s.recvfrom(2048)
s.sendto(data, peer)
"""
UDP6_CLIENT = r"""
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.settimeout(0.5)
for attempt in range(20):
    s.sendto(b"hello", (sys.argv[1], int(sys.argv[2])))
    try:
        s.recvfrom(2048)
        sys.exit(0)
    except socket.timeout:
        continue
sys.exit(1)
"""

WITNESS_WORDS = {"Endpoint Independent": EI, "Address Dependent": AD, "Address and Port Dependent": APD}


class Ipv6Sides(unittest.TestCase):
    """One lab for the class: creating it is cheap, measuring is not."""

    @classmethod
    def setUpClass(cls):
        cls.lab = unique_name("t6-tools")
        fd, cls.lab_path = tempfile.mkstemp(suffix=".yaml")
        with os.fdopen(fd, "w") as f:
            f.write(LAB)
        try:
            natlab("create", "-q", "--name", cls.lab, cls.lab_path, timeout=120)
        except BaseException:
            os.unlink(cls.lab_path)
            raise

    @classmethod
    def tearDownClass(cls):
        os.unlink(cls.lab_path)
        natlab("clean", "-q", cls.lab)
        left = {ns for ns in netns_list() if ns.startswith(cls.lab + "-")}
        assert not left, f"namespaces left behind: {left}"

    def ns(self, node):
        return f"{self.lab}-{node}"

    def verify(self, *args):
        proc = natlab("verify", self.lab, "--ipv6", "--json", "--timeout", "300", *args, check=False,
                      timeout=240)
        return proc, json.loads(proc.stdout)

    def test_verify_measures_every_mode_as_declared(self):
        proc, result = self.verify()
        self.assertEqual(result["family"], "ipv6")
        by_nat = {n["nat"]: n for n in result["nats"]}
        self.assertEqual(set(by_nat), set(DECLARED))
        for nat, (host, translation, mapping, filtering) in DECLARED.items():
            with self.subTest(nat=nat):
                n = by_nat[nat]
                self.assertEqual(n["host"], host)
                measured = n["measured"]
                self.assertEqual((measured["translation"], measured["mapping"], measured["filtering"]),
                                 (translation, mapping, filtering), n)
                self.assertEqual(measured["tcp_filtering"], filtering)
                self.assertEqual(n["mismatches"], [], n)
        # The firewall's filter state lives as long as the node's udp-timeout.
        self.assertEqual(by_nat["fw-short"]["measured"]["lifetime"], "3 s; stream 5 s")
        # An open side has nothing to expire, a translator keeps ports only where it does not map.
        self.assertNotIn("lifetime", by_nat["routed"]["declared"])
        self.assertEqual(by_nat["n66-sym"]["measured"]["allocation"], "random")
        self.assertEqual(by_nat["npt"]["measured"]["allocation"], "preserve")
        self.assertEqual(proc.returncode, 0, proc.stdout)
        self.assertTrue(result["all_match"])

    def test_probe_says_the_firewall_translates_nothing(self):
        out = natlab("probe", self.lab, "h3", "-6", "--timeout", "300").stdout
        self.assertIn("probe of fw-apd's IPv6 side from h3 (server on internet: [2001:db8:ff:3::1]:3478 and "
                      "[2001:db8:ff:3:ffff:ffff:ffff:fffe]:3479)", out)
        self.assertRegex(out, r"mapped address +\[2001:db8:1:3::2\]:(\d+) -> \[2001:db8:1:3::2\]:\1\n")
        self.assertIn("translation         none: the server sees the host's own address\n", out)
        self.assertRegex(out, r"filtering +address-and-port-dependent\n")
        self.assertNotIn("classic name", out)  # no NAT name fits what translates nothing
        out = natlab("probe", self.lab, "h6", "-6", "--timeout", "300").stdout
        self.assertRegex(out, r"mapped address +\[fd00:6::2\]:\d+ -> \[2001:db8:ff:6::2\]:\d+\n")
        self.assertRegex(out, r"classic name +symmetric\n")
        # The spare address is gone again.
        for node in ("internet", "h3"):
            addrs = subprocess.run(["ip", "-n", self.ns(node), "-br", "addr"], capture_output=True,
                                   text=True).stdout
            self.assertNotIn("ffff:ffff:ffff:fffe", addrs)

    @unittest.skipUnless(TURNSERVER and NATDISCOVERY, "coturn is not installed (scripts/setup test)")
    def test_an_independent_rfc5780_client_agrees_with_verify(self):
        _, result = self.verify("--quick")
        by_nat = {n["nat"]: n for n in result["nats"]}
        self.start_coturn()
        for nat in ("fw-ei", "fw-ad", "fw-apd", "fw-off", "routed", "n66-sym", "n66-full", "npt", "p-home",
                    "p-cgnat", "p-mobile", "p-office", "p-cloud"):
            host = DECLARED[nat][0]
            with self.subTest(nat=nat):
                witness = self.natdiscovery(host)
                measured = by_nat[nat]["measured"]
                self.assertEqual(witness, (measured["mapping"], measured["filtering"]))

    def start_coturn(self):
        """coturn's STUN server on the server node's two IPv6 addresses, for this test."""
        server_ns = self.ns("server")
        subprocess.run(["ip", "-n", server_ns, "addr", "add", SERVER_OTHER + "/64", "dev", "eth0", "nodad"],
                       check=True)
        self.addCleanup(subprocess.run, ["ip", "-n", server_ns, "addr", "del", SERVER_OTHER + "/64", "dev",
                                         "eth0"])
        state = tempfile.mkdtemp(prefix="t6-coturn-")
        self.addCleanup(shutil.rmtree, state, True)
        log = open(os.path.join(state, "log"), "w")
        self.addCleanup(log.close)
        # -c /dev/null: none of the machine's configuration; its pid file and
        # database in the test's own folder.
        server = subprocess.Popen(
            ["ip", "netns", "exec", server_ns, TURNSERVER, "-c", "/dev/null", "--stun-only", "--no-cli",
             "--no-tls", "--no-dtls", "--listening-ip", SERVER, "--listening-ip", SERVER_OTHER,
             "--listening-port", "3478", "--alt-listening-port", "3479", "--log-file", "stdout",
             "--pidfile", os.path.join(state, "pid"), "--db", os.path.join(state, "db")],
            stdout=log, stderr=subprocess.STDOUT)

        def stop():
            server.kill()
            server.wait()
        self.addCleanup(stop)

        # Its log is buffered: the sockets themselves say when it listens.
        def listening():
            ss = in_netns(server_ns, "ss", "-H", "-u", "-l", "-n").stdout
            return server.poll() is None and all(f"[{address}]:{port}" in ss for address in (SERVER, SERVER_OTHER)
                                                 for port in (3478, 3479))
        self.assertTrue(wait_for(listening, timeout=20), "turnserver did not listen on four UDP endpoints")

    def natdiscovery(self, host):
        """turnutils_natdiscovery's mapping and filtering classes, from `host`."""
        proc = in_netns(self.ns(host), NATDISCOVERY, "-m", "-f", SERVER, timeout=60)
        found = {kind: WITNESS_WORDS[words] for words, kind in
                 re.findall(r"NAT with (.+?) (Mapping|Filtering)!", proc.stdout)}
        self.assertEqual(set(found), {"Mapping", "Filtering"}, proc.stdout + proc.stderr)
        return found["Mapping"], found["Filtering"]

    def punch(self, a, b):
        proc = natlab("punch", self.lab, a, b, "--ipv6", "--json", check=False, timeout=60)
        return proc.returncode, json.loads(proc.stdout)

    def test_two_rfc6092_firewalls_punch_directly_from_the_hosts_own_addresses(self):
        code, run = self.punch("h3", "h9")
        self.assertEqual(code, 0, run)
        self.assertTrue(run["works"])
        self.assertEqual(run["theory"], "works")
        for me, other in (("a", "b"), ("b", "a")):
            side = run[me]
            self.assertEqual(side["nat_type"], "IPv6 firewall, address-and-port-dependent filtering")
            # Nothing translated: the rendezvous saw the host's own endpoint,
            # and the other host heard from exactly that endpoint.
            self.assertEqual(side["public"], side["local"])
            self.assertEqual(run[other]["heard_from"], [side["local"]])
            self.assertTrue(side["local"].startswith("[2001:db8:1:"), side["local"])
        # traffic, from the firewalls' conntrack counts, calls the pair direct.
        traffic = json.loads(natlab("traffic", self.lab, "--json").stdout)
        pair = [p for p in traffic["pairs"] if (p["a"], p["b"]) == ("h3", "h9")]
        self.assertEqual(len(pair), 1, traffic["pairs"])
        self.assertEqual(pair[0]["verdict"], "direct")
        self.assertGreater(pair[0]["direct"]["a_to_b"]["packets"], 0)
        self.assertGreater(pair[0]["direct"]["b_to_a"]["packets"], 0)
        # mappings lists h3's endpoint as its own, open to h9's endpoint alone.
        mappings = json.loads(natlab("mappings", self.lab, "fw-apd", "--json").stdout)
        self.assertEqual(mappings["ipv6"]["mode"], "firewall")
        rows = [r for r in mappings["ipv6"]["mappings"] if r["inside"] == run["a"]["local"]]
        self.assertEqual(len(rows), 1, mappings["ipv6"])
        self.assertFalse(rows[0]["translated"])
        self.assertEqual(rows[0]["outside"], run["a"]["local"])
        self.assertEqual(rows[0]["inside_node"], "h3")
        self.assertIn(run["b"]["local"], [peer["remote"] for peer in rows[0]["peers"]])

    def test_a_port_filtering_firewall_and_a_symmetric_nat66_fail_as_theory_says(self):
        code, run = self.punch("h3", "h6")
        self.assertEqual(code, 4, run)
        self.assertFalse(run["works"])
        self.assertEqual(run["theory"], "fails")
        self.assertIn("a mapping of their own", run["why_not_b_to_a"])
        # An address-dependent firewall lets the symmetric NAT's new port in.
        code, run = self.punch("h2", "h6")
        self.assertEqual(code, 0, run)
        self.assertEqual(run["theory"], "works")


    def test_watch_tells_an_untranslated_ipv6_flow(self):
        watch = subprocess.Popen([NATLAB, "watch", self.lab, "fw-ei", "--json", "--protocol", "udp", "--count", "2"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: watch.poll() is None and watch.kill())
        self.assertIn("watching the conntrack table of fw-ei", watch.stderr.readline())
        server = subprocess.Popen(["ip", "netns", "exec", self.ns("server"), PYTHON, "-c", UDP6_SERVER, SERVER,
                                   "40200"], stdout=subprocess.PIPE, text=True)
        self.addCleanup(lambda: server.poll() is None and server.kill())
        self.assertEqual(server.stdout.readline().strip(), "ready")
        self.assertEqual(in_netns(self.ns("h1"), PYTHON, "-c", UDP6_CLIENT, SERVER, "40200").returncode, 0)
        server.wait(timeout=10)
        server.stdout.close()
        out, _ = watch.communicate(timeout=20)
        events = [json.loads(line) for line in out.splitlines()]
        self.assertEqual([e["event"] for e in events], ["NEW", "UPDATE"])
        new = events[0]
        self.assertEqual(new["original"]["dst"], f"[{SERVER}]:40200")
        self.assertTrue(new["original"]["src"].startswith("[2001:db8:1:1::2]:"), new)
        self.assertNotIn("translation", new)  # the firewall translates nothing
        self.assertEqual(new["meaning"], f"h1 {new['original']['src']} -> server [{SERVER}]:40200, not translated; "
                                         f"no reply yet; forgotten in {new['timeout']} s")
        self.assertTrue(events[1]["replied"])

    def test_status_and_graph_name_each_ipv6_side(self):
        status = json.loads(natlab("status", self.lab, "--json").stdout)
        nats = {n["name"]: n["nat"] for n in status["nodes"] if "nat" in n}
        self.assertEqual(nats["fw-ad"]["ipv6"], {"mode": "firewall", "filtering": AD,
                                                 "name": "IPv6 firewall, address-dependent filtering"})
        self.assertEqual(nats["npt"]["ipv6"]["name"], "NPTv6 to 2001:db8:ee:8::/64")
        self.assertNotIn("filtering", nats["routed"]["ipv6"])
        graph = natlab("graph", self.lab_path, "--format", "mermaid").stdout
        self.assertIn("<br/>IPv6: firewall, filtering APD", graph)
        self.assertIn("<br/>IPv6: NAT66 symmetric, mapping APD, filtering APD", graph)


class MatrixOverIpv6(unittest.TestCase):
    def test_the_table_of_ipv6_sides_agrees_with_theory(self):
        name = unique_name("t6-mx")
        self.addCleanup(natlab, "clean", "-q", name, check=False)
        proc = natlab("matrix", "--ipv6", "--types", "firewall/apd,routed,symmetric", "--name", name, "--json",
                      check=False, timeout=180)
        result = json.loads(proc.stdout)
        self.assertEqual(proc.returncode, 0, proc.stdout)
        self.assertEqual(result["family"], "ipv6")
        self.assertTrue(result["agrees_with_theory"])
        cells = {(p["a"]["matrix_type"], p["b"]["matrix_type"]): p for p in result["pairs"]}
        self.assertEqual(len(cells), 9)
        # Two RFC 6092 firewalls that filter by port connect; the hosts' own addresses meet.
        both = cells[("firewall/apd", "firewall/apd")]
        self.assertTrue(both["works"])
        self.assertEqual(both["a"]["public"], both["a"]["local"])
        self.assertEqual(both["b"]["heard_from"], [both["a"]["local"]])
        self.assertFalse(cells[("firewall/apd", "symmetric")]["works"])
        self.assertFalse(cells[("symmetric", "symmetric")]["works"])
        self.assertTrue(cells[("routed", "symmetric")]["works"])
        self.assertEqual({ns for ns in netns_list() if ns.startswith(name + "-")}, set(), "the lab is removed")

    def test_an_ipv6_side_without_ipv6_is_refused(self):
        proc = natlab("matrix", "--types", "firewall/apd,symmetric", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stderr, "natlab matrix: --types item 'firewall/apd' is an IPv6 side; give --ipv6 to "
                                      "punch over IPv6\n")


class Refusals(unittest.TestCase):
    def test_a_lab_without_ipv6_outside_is_refused_with_the_fix(self):
        name = unique_name("t6-v4")
        self.addCleanup(natlab, "clean", "-q", name)
        path = os.path.join(os.environ.get("NATLAB_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..")),
                            "labs", "two-nat.yaml")
        natlab("create", "-q", "--name", name, path)
        proc = natlab("verify", name, "--ipv6", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stderr,
                         f"natlab verify: no nat node of lab {name} has IPv6 on its outside interface, so there "
                         "is no IPv6 side to verify; give a NAT's outside link an IPv6 subnet\n")
        proc = natlab("probe", name, "c0", "-6", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("(its IPv6 default route is missing)", proc.stderr)


if __name__ == "__main__":
    unittest.main()
