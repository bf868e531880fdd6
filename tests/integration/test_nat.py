"""NAT nodes behave as declared: measured by natlab's own probe, and proved
with real UDP and TCP packets sent from sockets inside the lab."""
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import unittest

from nat_packets import TCP_CONNECT, TCP_LISTEN, UDP_PEER, UDP_SEND, finish, run, start
from natlab_test import NATLAB, PYTHON, LabTestCase, in_netns, ip_json, lab_file, natlab, netns_list, unique_name

EI, AD, APD = "endpoint-independent", "address-dependent", "address-and-port-dependent"
SERVER = "203.0.113.2"  # the public server of labs/nat-types.yaml


def expected(mapping, filtering, hairpinning=False, port_preservation=None):
    # By default a NAT whose mapping depends on the destination picks random
    # ports (a hard NAT); every other keeps the inside port.
    if port_preservation is None:
        port_preservation = mapping != APD
    return {"mapping": mapping, "filtering": filtering, "hairpinning": hairpinning,
            "port_preservation": port_preservation}


# conntrack -L between a flow's two tuples: its counts (every NAT counts its
# flows, for natlab traffic) and whether it was answered.
BETWEEN_TUPLES = r"(?:packets=\d+ bytes=\d+ )?(?:\[UNREPLIED\] )?"


def external_port(nat_netns, inside, inside_port, protocol="udp"):
    """The port a NAT gave an inside endpoint, from its conntrack table."""
    flows = in_netns(nat_netns, "conntrack", "-L", "-p", protocol, "--orig-src", inside).stdout
    ports = set(re.findall(rf"sport={inside_port} dport=\d+ {BETWEEN_TUPLES}src=\S+ dst=\S+ "
                           rf"sport=\d+ dport=(\d+)", flows))
    assert len(ports) == 1, (inside, inside_port, flows)
    return int(ports.pop())


def measured(nat_result):
    return {key: nat_result["measured"][key] for key in
            ("mapping", "filtering", "hairpinning", "port_preservation")}


class SharedLab(unittest.TestCase):
    """One lab for the whole class: creating it is cheap, probing is not."""
    LAB_FILE = None

    @classmethod
    def setUpClass(cls):
        cls.lab = unique_name(cls.PREFIX)
        cls.host_rules_before = host_ruleset()
        natlab("create", "-q", "--name", cls.lab, cls.LAB_FILE)

    @classmethod
    def tearDownClass(cls):
        natlab("clean", "-q", cls.lab)
        left = {ns for ns in netns_list() if ns.startswith(cls.lab + "-")}
        assert not left, f"namespaces left behind: {left}"
        assert host_ruleset() == cls.host_rules_before, "the host's own rules changed"

    def ns(self, node):
        return f"{self.lab}-{node}"


def host_ruleset():
    return subprocess.run(["nft", "list", "ruleset"], capture_output=True, text=True).stdout


class ClassicTypes(SharedLab):
    PREFIX = "nt"
    LAB_FILE = lab_file("nat-types.yaml")
    # NAT, host behind it, outside address, what its type means.
    NATS = [("nat-full", "c-full", "100.64.1.2", expected(EI, EI)),
            ("nat-restricted", "c-restr", "100.64.2.2", expected(EI, AD)),
            ("nat-port", "c-port", "100.64.3.2", expected(EI, APD)),
            ("nat-sym", "c-sym", "100.64.4.2", expected(APD, APD))]

    def test_verify_measures_every_type_as_declared(self):
        proc = natlab("verify", self.lab, "--json", "--timeout", "300")
        result = json.loads(proc.stdout)
        self.assertTrue(result["all_match"])
        by_nat = {n["nat"]: n for n in result["nats"]}
        for nat, host, _, want in self.NATS:
            self.assertEqual(by_nat[nat]["host"], host)
            self.assertEqual(measured(by_nat[nat]), want, nat)
        self.assertEqual(by_nat["nat-sym"]["measured"]["classic"], "symmetric")

    def test_probe_prints_rfc4787_terms_and_the_classic_name(self):
        out = natlab("probe", self.lab, "c-restr", "--timeout", "300").stdout
        self.assertIn("probe of nat-restricted from c-restr (server on internet: 100.64.2.1:3478 and "
                      "100.64.2.254:3479)", out)
        self.assertRegex(out, r"mapped address +10\.0\.2\.2:(\d+) -> 100\.64\.2\.2:\1\n")
        self.assertRegex(out, r"filtering +address-dependent\n")
        self.assertRegex(out, r"classic name +restricted cone\n")
        # The spare address is gone again.
        addrs = subprocess.run(["ip", "-n", self.ns("internet"), "-br", "addr"], capture_output=True,
                               text=True).stdout
        self.assertNotIn("100.64.2.254", addrs)

    def test_udp_filtering_with_real_packets(self):
        # Each host sends to the server from one port; then the server answers
        # from that port and from another, and the internet router (another
        # address) sends too. Which arrive is the filtering behaviour.
        arrives = {"nat-full": {"contacted", "other-port", "other-address"},
                   "nat-restricted": {"contacted", "other-port"},
                   "nat-port": {"contacted"},
                   "nat-sym": {"contacted"}}
        for i, (nat, host, outside, _) in enumerate(self.NATS):
            local = 31000 + i
            peer, first = start(self.ns(host), UDP_PEER, local, 1.0, f"{SERVER}:5000")
            self.assertEqual(first, "sent")
            inside = ip_json(self.ns(host), "-4", "addr", "show", "dev", "eth0")[0]["addr_info"][0]["local"]
            port = external_port(self.ns(nat), inside, local)
            run(self.ns("server"), UDP_SEND, 5000, outside, port, "contacted")
            run(self.ns("server"), UDP_SEND, 5001, outside, port, "other-port")
            run(self.ns("internet"), UDP_SEND, 5000, outside, port, "other-address")
            got = {line.split()[1] for line in finish(peer)}
            self.assertEqual(got, arrives[nat], nat)

    def test_tcp_mapping_full_cone_keeps_one_port_symmetric_does_not(self):
        listener, ready = start(self.ns("server"), TCP_LISTEN, 7000, 7001)
        self.assertEqual(ready, "ready")
        for host, local in (("c-full", 32001), ("c-sym", 32002)):
            out = run(self.ns(host), TCP_CONNECT, local, f"{SERVER}:7000", f"{SERVER}:7001")
            self.assertEqual(out, ["ok welcome", "ok welcome"], host)
        seen = {}
        for line in finish(listener):
            port, source = line.split()
            seen.setdefault(source.split(":")[0], []).append(int(source.split(":")[1]))
        self.assertEqual(seen["100.64.1.2"], [32001, 32001])  # full cone: one mapping
        first, second = seen["100.64.4.2"]
        self.assertNotEqual(first, second)  # symmetric: a port for each destination

    def test_tcp_inbound_reaches_a_full_cone_mapping_not_a_symmetric_one(self):
        server, _ = start(self.ns("server"), TCP_LISTEN, 7002)
        results = {}
        for host, outside, local in (("c-full", "100.64.1.2", 33001), ("c-sym", "100.64.4.2", 33002)):
            inside, ready = start(self.ns(host), TCP_LISTEN, local)
            self.assertEqual(ready, "ready")
            # The host opens a mapping by connecting out from the listening port...
            self.assertEqual(run(self.ns(host), TCP_CONNECT, local, f"{SERVER}:7002"), ["ok welcome"])
            # ...then a stranger (the internet router) connects to that mapping.
            results[host] = run(self.ns("internet"), TCP_CONNECT, 0, f"{outside}:{local}")
            accepted = finish(inside)
            results[host + " accepted"] = [line.split()[1].split(":")[0] for line in accepted]
        finish(server)
        self.assertEqual(results["c-full"], ["ok welcome"])
        self.assertEqual(results["c-full accepted"], ["100.64.1.1"])
        self.assertEqual(results["c-sym"], ["failed TimeoutError"])
        self.assertEqual(results["c-sym accepted"], [])

    def test_rules_prints_the_live_table_with_its_comments(self):
        natlab("probe", self.lab, "c-full", "--timeout", "300")
        out = natlab("rules", self.lab, "nat-full").stdout
        self.assertIn("table ip natlab {", out)
        self.assertIn('comment "filtering endpoint-independent: anyone may reach a live mapping"', out)
        self.assertIn("elements = {", out)  # the probe's bindings, learnt live
        wrong = natlab("rules", self.lab, "c-full", check=False)
        self.assertEqual(wrong.returncode, 2)
        self.assertIn("'c-full' is not a nat node", wrong.stderr)

    def test_verify_exits_3_when_a_nat_misbehaves_and_reload_repairs_it(self):
        # Behind natlab's back, turn the full cone into plain masquerade.
        ns = self.ns("nat-full")
        subprocess.run(["ip", "netns", "exec", ns, "nft", "-f", "-"], check=True, text=True,
                       input="delete table ip natlab\ntable ip natlab {\n"
                             "chain p { type nat hook prerouting priority dstnat; }\n"
                             "chain s { type nat hook postrouting priority srcnat; oifname \"wan\" masquerade; }\n"
                             "}\n")
        try:
            proc = natlab("verify", self.lab, "--timeout", "300", check=False)
            self.assertEqual(proc.returncode, 3, proc.stdout + proc.stderr)
            self.assertRegex(proc.stdout, r"filtering +endpoint-independent +address-and-port-dependent +MISMATCH")
            self.assertIn("3 of 4 NAT nodes behave as declared", proc.stdout)
        finally:
            self.reload_and_check(ns)

    def reload_and_check(self, ns):
        # A flow through the tampered NAT leaves a conntrack entry...
        peer, _ = start(self.ns("c-full"), UDP_PEER, 34000, 0.3, f"{SERVER}:5000")
        finish(peer)
        conntrack = ["ip", "netns", "exec", ns, "conntrack", "-L"]
        self.assertIn("dport=5000", subprocess.run(conntrack, capture_output=True, text=True).stdout)
        # ...which --reload flushes, with the declared rules back in place.
        out = natlab("rules", self.lab, "nat-full", "--reload").stdout
        self.assertEqual(out, "reloaded the rules of nat-full; its conntrack table and learnt bindings "
                              "were flushed\n")
        self.assertNotIn("dport=5000", subprocess.run(conntrack, capture_output=True, text=True).stdout)
        after = subprocess.run(["ip", "netns", "exec", ns, "nft", "list", "table", "ip", "natlab"],
                               capture_output=True, text=True, check=True).stdout
        self.assertIn('comment "filtering endpoint-independent', after)
        self.assertNotIn("elements", after)  # the learnt sets start empty


MATRIX = [  # node name, settings, what the probe must measure
    ("ei-ei", "mapping: endpoint-independent, filtering: endpoint-independent", expected(EI, EI)),
    ("ei-ad", "mapping: endpoint-independent, filtering: address-dependent", expected(EI, AD)),
    ("ei-apd", "mapping: endpoint-independent, filtering: address-and-port-dependent", expected(EI, APD)),
    ("ad-ei", "mapping: address-dependent, filtering: endpoint-independent", expected(AD, EI)),
    ("ad-ad", "mapping: address-dependent, filtering: address-dependent", expected(AD, AD)),
    ("ad-apd", "mapping: address-dependent, filtering: address-and-port-dependent", expected(AD, APD)),
    ("apd-ei", "mapping: address-and-port-dependent, filtering: endpoint-independent", expected(APD, EI)),
    ("apd-ad", "mapping: address-and-port-dependent, filtering: address-dependent", expected(APD, AD)),
    ("apd-apd", "mapping: address-and-port-dependent, filtering: address-and-port-dependent",
     expected(APD, APD)),
    ("hairpin-fc", "type: full-cone, hairpinning: true", expected(EI, EI, hairpinning=True)),
    ("hairpin-prc", "type: port-restricted-cone, hairpinning: true", expected(EI, APD, hairpinning=True)),
    ("hairpin-sym", "type: symmetric, hairpinning: true", expected(APD, APD, hairpinning=True)),
    ("no-pp-fc", "type: full-cone, port-preservation: false", expected(EI, EI, port_preservation=False)),
    ("no-pp-sym", "type: symmetric, port-preservation: false", expected(APD, APD, port_preservation=False)),
    ("pre-sym", "type: symmetric, port-allocation: preserve", expected(APD, APD, port_preservation=True)),
    ("range-fc", "type: full-cone, port-range: 20000-29999", expected(EI, EI, port_preservation=False)),
    ("masq", "", expected(EI, APD)),
]


def matrix_topology():
    lines = ["name: matrix", "nodes:", "  internet: {kind: router}"]
    links = []
    for i, (name, settings, _) in enumerate(MATRIX, start=1):
        extra = f", {settings}" if settings else ""
        lines.append(f"  {name}: {{kind: nat, outside: wan, routes: {{default: internet}}{extra}}}")
        lines.append(f"  h-{name}: {{routes: {{default: {name}}}}}")
        links.append(f"  - {{endpoints: [{name}:lan, h-{name}:eth0], subnet: 10.0.{i}.0/24}}")
        links.append(f"  - {{endpoints: [internet:n{i}, {name}:wan], subnet: 100.64.{i}.0/24}}")
    return "\n".join(lines + ["links:"] + links) + "\n"


class Rfc4787Matrix(SharedLab):
    """All 9 mapping x filtering combinations, hairpinning and port
    preservation on and off, each measured by the probe."""
    PREFIX = "mx"

    @classmethod
    def setUpClass(cls):
        fd, cls.LAB_FILE = tempfile.mkstemp(suffix=".yaml")
        with os.fdopen(fd, "w") as f:
            f.write(matrix_topology())
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        os.unlink(cls.LAB_FILE)

    def test_every_combination_measures_as_declared(self):
        proc = natlab("verify", self.lab, "--json", "--timeout", "300", check=False, timeout=120)
        result = json.loads(proc.stdout)
        by_nat = {n["nat"]: n for n in result["nats"]}
        for name, _, want in MATRIX:
            with self.subTest(nat=name):
                self.assertEqual(measured(by_nat[name]), want)
        self.assertEqual(proc.returncode, 0)
        self.assertTrue(result["all_match"])


FEATURES = """
name: features
nodes:
  c0: {routes: {default: nat0}}
  nat0:
    kind: nat
    type: symmetric
    outside: wan
    routes: {default: internet}
    forwards: {udp/5000: c0:5000, tcp/8080: c0:80}
    exclude: [203.0.113.0/24]
  internet: {kind: router, routes: {10.0.1.0/24: nat0}}
  server: {routes: {default: internet}}
links:
  - {endpoints: [nat0:lan, c0:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [internet:wan, nat0:wan], subnet: 100.64.1.0/24}
  - {endpoints: [internet:srv, server:eth0], subnet: 203.0.113.0/24}
"""


class TheHolePunchingRace(LabTestCase):
    """A peer's packet that reaches a NAT before the inside host has sent to
    that peer (the race every hole punch runs). A home router's firewall, on
    by default, drops it before conntrack keeps it, so the host's own packet
    then leaves from its port as usual. A bare Linux box (`firewall: false`)
    lets its own stack take it: the stack holds the tuple, the host's packet
    needs that very tuple and gets another port, toward that peer the NAT
    acts as symmetric."""

    EARLY = "src=100.64.2.100 dst=100.64.1.100 sport=4000 dport=5000"

    def race(self, nat0_keys):
        with open(lab_file("two-nat.yaml")) as f:
            text = f.read()
        nat0 = "nat0: {kind: nat, outside: wan, routes: {default: internet}"
        self.assertIn(nat0, text)
        lab = self.create_from_text(text.replace(nat0, nat0 + nat0_keys), "it-race")
        # c1 goes first: through its own NAT (the port stays 4000) to nat0's
        # external address, where c0 has no mapping yet.
        peer, sent = start(f"{lab}-c1", UDP_PEER, 4000, 3.0, "100.64.1.100:5000")
        self.assertEqual(sent, "sent")
        time.sleep(0.3)
        tracked = in_netns(f"{lab}-nat0", "conntrack", "-L", "-p", "udp").stdout
        run(f"{lab}-c0", UDP_SEND, 5000, "100.64.2.100", 4000, "punch")
        seen = {line.split()[0] for line in finish(peer)}
        # The port nat0 gave c0's flow, from its conntrack entry's reply tuple.
        flows = in_netns(f"{lab}-nat0", "conntrack", "-L", "-p", "udp", "--orig-src", "10.0.1.2").stdout
        ports = re.findall(r"src=100\.64\.2\.100 dst=100\.64\.1\.100 sport=4000 dport=(\d+)", flows)
        return tracked, seen, [int(p) for p in ports]

    def test_by_default_the_early_packet_leaves_no_trace_and_the_port_is_kept(self):
        tracked, seen, ports = self.race("")
        self.assertNotIn(self.EARLY, tracked)
        self.assertEqual(ports, [5000])
        self.assertEqual(seen, {"100.64.1.100:5000"})  # the punch got through

    def test_a_bare_linux_box_holds_the_tuple_and_the_host_loses_its_port(self):
        tracked, seen, ports = self.race(", firewall: false")
        self.assertIn(self.EARLY, tracked)
        self.assertEqual(len(ports), 1, ports)
        self.assertNotEqual(ports, [5000])
        # c1's NAT expects 100.64.1.100:5000 and drops what comes from the new port.
        self.assertEqual(seen, set())


# Sends one datagram from each of COUNT fresh sockets (ports the kernel
# picks), each to its own port of HOST from FIRST on.
MANY_SENDERS = r"""
import socket, sys
count, host, first = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(count)]
for i, s in enumerate(socks):
    s.sendto(b"x", (host, first + i))
print(len(socks), flush=True)
"""

OWNERSHIP_LAB = """name: own
nodes:
  h1: {routes: {default: nat}}
  h2: {routes: {default: nat}}
  nat: {kind: nat, outside: wan, type: full-cone, port-range: 20000-20099}
  server: {kind: host}
links:
  - {endpoints: [nat:lan1, h1:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [nat:lan2, h2:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [nat:wan, server:eth0], subnet: 100.64.9.0/24}
"""


class PortOwnership(LabTestCase):
    """An external port belongs to one inside endpoint while its binding
    lives. conntrack alone hands a port held toward one remote to a second
    endpoint toward another remote (only reply tuples must be unique): 120
    endpoints of two hosts, each sending to its own remote port, on a range
    of 100 ports. Witnesses: the NAT's conntrack table and nft's counter."""

    def test_every_packet_of_an_unanswered_flow_passes(self):
        # conntrack calls a UDP flow "new" until it sees a reply: only the
        # first packet (its entry not yet confirmed) may be checked.
        lab = self.create_from_text(OWNERSHIP_LAB, "it-own")
        server, ready = start(f"{lab}-server", UDP_PEER, 9, 2.0)
        self.assertEqual(ready, "sent")
        run(f"{lab}-h1", UDP_SEND, 7000, "100.64.9.2", 9, "one")  # three datagrams, one flow
        run(f"{lab}-h1", UDP_SEND, 7000, "100.64.9.2", 9, "two")
        got = [line.split()[1] for line in finish(server)]
        self.assertEqual(got, ["one"] * 3 + ["two"] * 3)

    def test_a_full_range_refuses_new_mappings_and_never_shares_a_port(self):
        lab = self.create_from_text(OWNERSHIP_LAB, "it-own")
        watch = subprocess.Popen([NATLAB, "watch", lab, "nat", "--json"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: watch.poll() is None and watch.kill())
        self.assertIn("watching the conntrack table of nat", watch.stderr.readline())
        for host, first in (("h1", 1000), ("h2", 2000)):
            self.assertEqual(run(f"{lab}-{host}", MANY_SENDERS, 60, "100.64.9.2", first), ["60"])
        flows = in_netns(f"{lab}-nat", "conntrack", "-L", "-p", "udp").stdout
        owners = {}
        flow = (r"src=(10\.0\.[12]\.2) dst=100\.64\.9\.2 sport=(\d+) dport=(\d+) " + BETWEEN_TUPLES +
                r"src=100\.64\.9\.2 dst=100\.64\.9\.1 sport=\3 dport=(\d+)")
        for address, inside_port, _, external_port in re.findall(flow, flows):
            owners.setdefault(int(external_port), set()).add(f"{address}:{inside_port}")
        shared = {port: who for port, who in owners.items() if len(who) > 1}
        self.assertEqual(shared, {})
        self.assertTrue(all(20000 <= port <= 20099 for port in owners), sorted(owners))
        mapped = sum(len(who) for who in owners.values())
        counter = in_netns(f"{lab}-nat", "nft", "list", "counter", "ip", "natlab", "refused").stdout
        refused = int(re.search(r"packets (\d+)", counter).group(1))
        # Every endpoint sent once: its flow was either given a port of its own or refused.
        self.assertEqual(mapped + refused, 120, (mapped, refused))
        self.assertLessEqual(mapped, 100)
        self.assertGreaterEqual(refused, 20)
        # natlab draws random ports of the range, skipping held ones: it fills the range
        # (blind picks stopped near 75: a pick collides as often as the range is held).
        self.assertGreaterEqual(mapped, 95)
        # More new flows fill the rest of the range.
        for round in range(20):
            if mapped_ports(lab) == 100:
                break
            run(f"{lab}-h1", MANY_SENDERS, 60, "100.64.9.2", 3000 + 60 * round)
        self.assertEqual(mapped_ports(lab), 100)
        refused = int(re.search(r"packets (\d+)", in_netns(f"{lab}-nat", "nft", "list", "counter", "ip",
                                                            "natlab", "refused").stdout).group(1))
        # watch said so, from the same counter, and that the range is full.
        time.sleep(1.5)  # it reads the counter about once a second
        watch.send_signal(signal.SIGINT)
        out, _ = watch.communicate(timeout=10)
        said = [json.loads(line) for line in out.splitlines() if '"REFUSED"' in line]
        self.assertEqual(sum(event["refused"] for event in said), refused, said)
        self.assertEqual(said[-1]["ports"]["exhausted"], ["udp"], said)
        self.assertEqual(said[-1]["ports"]["held"]["udp"], 100)

    def test_an_exhausted_range_never_hands_a_streams_port_to_another_endpoint(self):
        # 260 endpoints on a range of 200, each talking to a server
        # endpoint that answers (a stream: 60 s) and pinging one that never
        # does (unanswered: 3 s). The unanswered flow refreshes the binding
        # last, for 3 s; the stream keeps the port in conntrack for 60 s. An
        # endpoint beyond the range must not be given that port meanwhile:
        # the 200 keep their ports, the 60 get none (dropped and counted).
        lab = self.create_from_text(EXHAUSTION_LAB, "it-exh")
        server, ready = start(f"{lab}-server", TWO_ENDPOINTS, "100.64.9.2")
        self.addCleanup(lambda: server.poll() is None and server.kill())
        self.assertEqual(ready, "ready")
        self.assertEqual(run(f"{lab}-h1", TWO_ENDPOINT_CLIENTS, "100.64.9.2", 260, 4, 4.5, timeout=120),
                         ["done"])
        seen = [line.split() for line in finish(server)]
        owners, external = {}, {}  # external endpoint -> sockets; socket -> external endpoints
        for _, source, sock in seen:
            owners.setdefault(source, set()).add(sock)
            external.setdefault(sock, set()).add(source)
        self.assertEqual({source: who for source, who in owners.items() if len(who) > 1}, {})
        self.assertEqual(len(external), 200, "endpoints given a port")
        self.assertEqual({sock for sock, sources in external.items() if len(sources) > 1}, set(),
                         "endpoints whose port changed")
        self.assertTrue(all(20000 <= int(source.split(":")[1]) <= 20199 for source in owners))
        # Each of the 200 reached both endpoints (the one that never answers too).
        for name in ("A", "B"):
            self.assertEqual(len({sock for who, _, sock in seen if who == name}), 200, name)
        counter = in_netns(f"{lab}-nat", "nft", "list", "counter", "ip", "natlab", "refused").stdout
        self.assertGreaterEqual(int(re.search(r"packets (\d+)", counter).group(1)), 60)

    def test_a_flow_a_peer_opened_holds_its_port(self):
        # A range of one port. The host's first socket sends once (its binding
        # lives 2 s), then only answers a peer that reached its mapping from
        # outside: that flow lives on, so the port stays the first socket's and
        # the second socket is refused throughout.
        lab = self.create_from_text(PEER_HELD_LAB, "it-peer")
        outside, ready = start(f"{lab}-server", PEER_SIDE, "100.64.9.2", 6)
        self.addCleanup(lambda: outside.poll() is None and outside.kill())
        self.assertEqual(ready, "ready")
        self.assertEqual(run(f"{lab}-h1", PEER_HELD_INSIDE, "100.64.9.2", 6), ["done"])
        lines = finish(outside)
        self.assertEqual(lines[0], "mapping 100.64.9.1:20000")
        self.assertGreater(lines.count("peer answered"), 10, lines)  # about 20 in 6 s: it lived on
        self.assertEqual([line for line in lines if line.startswith("B ")], [])
        counter = in_netns(f"{lab}-nat", "nft", "list", "counter", "ip", "natlab", "refused").stdout
        self.assertGreater(int(re.search(r"packets (\d+)", counter).group(1)), 0)


def one_host_lab(nat_keys):
    """One host behind a NAT of these keys, a server (100.64.9.2) on its outside."""
    return ("name: onehost\nnodes:\n  h1: {routes: {default: nat}}\n"
            f"  nat: {{kind: nat, outside: wan, {nat_keys}}}\n  server: {{kind: host}}\nlinks:\n"
            "  - {endpoints: [nat:lan, h1:eth0], subnet: 10.0.1.0/24}\n"
            "  - {endpoints: [nat:wan, server:eth0], subnet: 100.64.9.0/24}\n")


EXHAUSTION_LAB = one_host_lab(
    "type: full-cone, port-range: 20000-20199, udp-timeout: {unreplied: 3, established: 60}")

# Two server endpoints on argv[1]: port 3480 answers every datagram, 3481
# never does (a peer that does not answer hole punching). Prints
# "A|B ip:port payload" for each datagram until its stdin closes.
TWO_ENDPOINTS = r"""
import select, socket, sys
socks = {}
for name, port in (("A", 3480), ("B", 3481)):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((sys.argv[1], port))
    socks[s] = name
print("ready", flush=True)
while True:
    ready, _, _ = select.select(list(socks) + [sys.stdin], [], [])
    if sys.stdin in ready and not sys.stdin.read(1):
        break
    for s in ready:
        if s in socks:
            data, peer = s.recvfrom(2048)
            print(f"{socks[s]} {peer[0]}:{peer[1]} {data.decode()}", flush=True)
            if socks[s] == "A":
                s.sendto(data, peer)
"""

# argv[2] sockets, kept open. First each exchanges with argv[1]:3480 every
# half second for over 2 s (those given a port become streams); then argv[3]
# rounds, argv[4] s apart: the sockets take turns (in order, then in reverse,
# as independent clients would) and each sends to 3480, then to 3481.
TWO_ENDPOINT_CLIENTS = r"""
import socket, sys, time
host, count, rounds, pause = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(count)]
for s in socks:
    s.setblocking(False)
def drain():
    for s in socks:
        try:
            while s.recv(2048):
                pass
        except BlockingIOError:
            pass
start = time.monotonic()
while True:
    began = time.monotonic()
    for i, s in enumerate(socks):
        s.sendto(str(i).encode(), (host, 3480))
    time.sleep(0.5)
    drain()
    if began - start > 2.3:  # each socket's last packet here came over 2 s after its first
        break
for r in range(rounds):
    for i in (range(count) if r % 2 == 0 else reversed(range(count))):
        socks[i].sendto(str(i).encode(), (host, 3480))
        socks[i].sendto(str(i).encode(), (host, 3481))
    time.sleep(pause)
    drain()
print("done", flush=True)
"""


PEER_HELD_LAB = one_host_lab(
    "type: full-cone, port-range: 20000-20000, udp-timeout: {unreplied: 2, established: 30}")

# The outside of PEER_HELD_LAB: waits for the inside's first datagram on
# 3480, then a peer on 4000 sends to that mapping every 0.3 s for argv[2] s,
# printing "peer answered" for each answer; 3481 prints "B ip:port" for
# each datagram. Ends when its stdin closes.
PEER_SIDE = r"""
import select, socket, sys, time
host, busy = sys.argv[1], float(sys.argv[2])
a, peer, b = (socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(3))
a.bind((host, 3480)); peer.bind((host, 4000)); b.bind((host, 3481))
print("ready", flush=True)
data, mapping = a.recvfrom(2048)
print(f"mapping {mapping[0]}:{mapping[1]}", flush=True)
end = time.monotonic() + busy
next_send = 0
while True:
    now = time.monotonic()
    if now < end and now >= next_send:
        peer.sendto(b"peer", mapping)
        next_send = now + 0.3
    ready, _, _ = select.select([peer, b, sys.stdin], [], [], 0.05)
    if sys.stdin in ready and not sys.stdin.read(1):
        break
    if peer in ready:
        peer.recvfrom(2048)
        print("peer answered", flush=True)
    if b in ready:
        _, source = b.recvfrom(2048)
        print(f"B {source[0]}:{source[1]}", flush=True)
"""

# The inside of PEER_HELD_LAB: one socket sends to 3480 once, then only
# answers what comes in (the peer's flow, opened from outside); a second
# socket sends to 3481 every 0.3 s for argv[2] s.
PEER_HELD_INSIDE = r"""
import select, socket, sys, time
host, busy = sys.argv[1], float(sys.argv[2])
first, second = socket.socket(socket.AF_INET, socket.SOCK_DGRAM), socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
first.sendto(b"first", (host, 3480))
end = time.monotonic() + busy
while time.monotonic() < end:
    second.sendto(b"second", (host, 3481))
    deadline = time.monotonic() + 0.3
    while (left := deadline - time.monotonic()) > 0:
        if select.select([first], [], [], left)[0]:
            data, source = first.recvfrom(2048)
            first.sendto(b"answer", source)
print("done", flush=True)
"""


REFRESH_LAB = """
name: refresh
nodes:
  internet: {kind: router}
  server: {routes: {default: internet}}
  nat: {kind: nat, type: full-cone, udp-timeout: {unreplied: 3, established: 5}, outside: wan, routes: {default: internet}}
  h1: {routes: {default: nat}}
links:
  - {endpoints: [nat:lan, h1:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [internet:n, nat:wan], subnet: 100.64.1.0/24}
  - {endpoints: [internet:s, server:eth0], subnet: 100.64.9.0/24}
"""

# Sends argv[1] datagrams from port 6000 to argv[2]:9, one every 2 ms; prints
# the monotonic time of the last one.
FAST_FLOW = r"""
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 6000))
for i in range(int(sys.argv[1])):
    s.sendto(b"x", (sys.argv[2], 9))
    time.sleep(0.002)
print(time.monotonic(), flush=True)
"""


def nft_duration_ms(text):
    """nft's '3s60ms', '2m0s200ms' as milliseconds."""
    scale = {"d": 86400000, "h": 3600000, "m": 60000, "s": 1000, "ms": 1}
    return sum(int(n) * scale[unit] for n, unit in re.findall(r"(\d+)(ms|d|h|m|s)", text))


class BindingRefresh(LabTestCase):
    """A fast flow refreshes its binding at most every 200 ms (the packets in
    between pass the learn chain after one lookup: the full cone's cost per
    packet), yet the binding lives its declared lifetime after the flow's
    last packet, never less. Witness: the expiry nft reports for the
    binding's element, against the time of the last packet."""

    def test_a_binding_lives_its_lifetime_after_the_last_packet_of_a_fast_flow(self):
        lab = self.create_from_text(REFRESH_LAB, "it-fresh")
        last = float(run(f"{lab}-h1", FAST_FLOW, 250, "100.64.9.2")[0])
        listing = in_netns(f"{lab}-nat", "nft", "list", "map", "ip", "natlab", "inbound", check=True).stdout
        since_last_ms = (time.monotonic() - last) * 1000
        expires = re.search(r"udp \. 6000 timeout \S+ expires (\S+) :", listing)
        self.assertIsNotNone(expires, listing)
        left_ms = nft_duration_ms(expires.group(1))
        # Unanswered: udp-timeout unreplied, 3 s, from the last packet on
        # (jiffies make it a few ms coarse); at most 200 ms more.
        self.assertGreaterEqual(left_ms + since_last_ms, 3000 - 10, (listing, since_last_ms))
        self.assertLessEqual(left_ms, 3200 + 10, listing)


def mapped_ports(lab):
    """How many external ports the NAT of OWNERSHIP_LAB has given out, from its conntrack table."""
    flows = in_netns(f"{lab}-nat", "conntrack", "-L", "-p", "udp").stdout
    return len(set(re.findall(r"src=100\.64\.9\.2 dst=100\.64\.9\.1 sport=\d+ dport=(\d+)", flows)))


# Sends one datagram from one socket to each of COUNT ports of HOST from FIRST on.
ONE_SENDER = r"""
import socket, sys
count, host, first = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(count):
    s.sendto(b"x", (host, first + i))
print(s.getsockname()[1], flush=True)
"""


class PortAllocation(LabTestCase):
    """`port-allocation: sequential` hands out the port after the last one,
    what port prediction (RFC 5128) exploits. Witness: the NAT's conntrack."""

    def ports_given(self, nat_keys, script):
        text = OWNERSHIP_LAB.replace("type: full-cone, port-range: 20000-20099", nat_keys)
        lab = self.create_from_text(text, "it-alloc")
        run(f"{lab}-h1", script, 5, "100.64.9.2", 1000)
        flows = in_netns(f"{lab}-nat", "conntrack", "-L", "-p", "udp").stdout
        return sorted(int(p) for p in re.findall(r"src=100\.64\.9\.2 dst=100\.64\.9\.1 sport=\d+ dport=(\d+)",
                                                 flows))

    def test_sequential_endpoints_get_consecutive_ports(self):
        ports = self.ports_given("type: full-cone, port-allocation: sequential, port-range: 20000-20099",
                                 MANY_SENDERS)
        self.assertEqual(ports, [20000, 20001, 20002, 20003, 20004])

    def test_a_sequential_symmetric_nat_gives_each_destination_the_next_port(self):
        ports = self.ports_given("type: symmetric, port-allocation: sequential, port-range: 30000-30099",
                                 ONE_SENDER)
        self.assertEqual(ports, [30000, 30001, 30002, 30003, 30004])

    def test_a_symmetric_nat_is_hard_by_default(self):
        ports = self.ports_given("type: symmetric", ONE_SENDER)
        self.assertEqual(len(set(ports)), 5, ports)
        # Random over 1024-65535, not the inside port counting up.
        self.assertGreater(max(ports) - min(ports), 5, ports)


class ForwardsAndExclusions(LabTestCase):
    def setUp(self):
        self.lab = self.create_from_text(FEATURES, "fx")

    def ns(self, node):
        return f"{self.lab}-{node}"

    def test_static_udp_and_tcp_forwards_reach_the_inside_host(self):
        # Nothing was sent out first: the forward alone lets these in.
        peer, first = start(self.ns("c0"), UDP_PEER, 5000, 1.0)
        self.assertEqual(first, "sent")
        run(self.ns("internet"), UDP_SEND, 6000, "100.64.1.2", 5000, "forwarded")
        run(self.ns("internet"), UDP_SEND, 6000, "100.64.1.2", 5001, "not-forwarded")
        self.assertEqual(set(finish(peer)), {"100.64.1.1:6000 forwarded"})
        listener, ready = start(self.ns("c0"), TCP_LISTEN, 80)
        self.assertEqual(ready, "ready")
        self.assertEqual(run(self.ns("internet"), TCP_CONNECT, 0, "100.64.1.2:8080"), ["ok welcome"])
        self.assertEqual([line.split()[0] for line in finish(listener)], ["80"])

    def test_rules_says_how_to_put_back_a_deleted_table(self):
        subprocess.run(["ip", "netns", "exec", self.ns("nat0"), "nft", "delete", "table", "ip", "natlab"],
                       check=True)
        proc = natlab("rules", self.lab, "nat0", check=False)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stderr, f"natlab: no table ip natlab in {self.ns('nat0')}; put it back with "
                                      f"'natlab rules {self.lab} nat0 --reload'\n")
        natlab("rules", self.lab, "nat0", "--reload")
        self.assertIn('comment "forward: udp/5000: c0:5000"', natlab("rules", self.lab, "nat0").stdout)

    def test_excluded_destination_sees_the_private_address(self):
        for dest, source in ((f"{SERVER}:6000", "10.0.1.2"), ("100.64.1.1:6000", "100.64.1.2")):
            node = "server" if dest.startswith(SERVER) else "internet"
            # The listener waits 3 s for the sender: a Python start takes over 1 s in the QEMU guest.
            listener, first = start(self.ns(node), UDP_PEER, 6000, 3.0)
            self.assertEqual(first, "sent")
            run(self.ns("c0"), UDP_SEND, 7000, *dest.split(":"), "hi")
            got = [line.split()[0].split(":")[0] for line in finish(listener)]
            self.assertEqual(got[:1], [source], dest)


FILTERED_FORWARDS = """
name: filtered
nodes:
  c0: {routes: {default: nat0}}
  nat0: {kind: nat, type: restricted-cone, outside: wan, routes: {default: internet},
         forwards: {udp/5000: c0:5000 filtered}}
  c1: {routes: {default: nat1}}
  nat1: {kind: nat, type: port-restricted-cone, outside: wan, routes: {default: internet},
         forwards: {udp/5000: c1:5000 filtered}}
  internet: {kind: router}
  r1: {routes: {default: internet}}
  r2: {routes: {default: internet}}
links:
  - {endpoints: [nat0:lan, c0:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [nat1:lan, c1:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [internet:to-nat0, nat0:wan 100.64.1.100], subnet: 100.64.1.0/24}
  - {endpoints: [internet:to-nat1, nat1:wan 100.64.2.100], subnet: 100.64.2.0/24}
  - {endpoints: [internet:to-r1, r1:eth0], subnet: 203.0.113.0/24}
  - {endpoints: [internet:to-r2, r2:eth0], subnet: 198.51.100.0/24}
"""
R1, R2 = "203.0.113.2", "198.51.100.2"


class FilteredForwards(LabTestCase):
    """A forward written 'filtered' admits what the NAT's filtering admits:
    behind a restricted cone, the addresses its target has sent to from the
    forwarded port (from any of their ports); behind a port-restricted cone,
    only replies."""

    def setUp(self):
        self.lab = self.create_from_text(FILTERED_FORWARDS, "nt-ff")

    def ns(self, node):
        return f"{self.lab}-{node}"

    def arrivals(self, target, sends, destinations=()):
        """What `target`'s port 5000 receives while each (node, port, address)
        of `sends` sends its port as payload to address:5000; `target` first
        sends from its port 5000 to each of `destinations`."""
        peer, first = start(self.ns(target), UDP_PEER, 5000, 1.5, *destinations)
        self.assertEqual(first, "sent")
        for node, port, address in sends:
            run(self.ns(node), UDP_SEND, port, address, 5000, f"{node}-{port}")
        return set(finish(peer))

    def test_a_restricted_cone_lets_in_only_addresses_its_target_sent_to(self):
        nat0 = "100.64.1.100"
        self.assertEqual(self.arrivals("c0", [("r1", 6000, nat0), ("r2", 6000, nat0)]), set())
        # c0 sends to r1 (port 9, where nothing listens): r1 may answer from any port, r2 still not.
        self.assertEqual(self.arrivals("c0", [("r1", 7000, nat0), ("r2", 7000, nat0)], [f"{R1}:9"]),
                         {f"{R1}:7000 r1-7000"})
        rules = natlab("rules", self.lab, "nat0").stdout
        self.assertIn('@peers dnat to 10.0.1.2:5000 comment '
                      '"forward: udp/5000: c0:5000 filtered (address-dependent: only addresses the target sent to)"',
                      rules)
        self.assertIn(f"allowed in: any port of {R1}", natlab("mappings", self.lab, "nat0").stdout)

    def test_a_port_restricted_cone_lets_in_only_replies(self):
        nat1 = "100.64.2.100"
        self.assertEqual(self.arrivals("c1", [("r1", 6000, nat1)]), set())
        self.assertEqual(self.arrivals("c1", [("r1", 6000, nat1), ("r1", 7000, nat1), ("r2", 6000, nat1)],
                                       [f"{R1}:6000"]),
                         {f"{R1}:6000 r1-6000"})
        self.assertNotIn("dnat ip to 10.0.2.2", natlab("rules", self.lab, "nat1").stdout)


CONFORMANCE = """
name: conformance
nodes:
  internet: {kind: router}
  server: {routes: {default: internet}}
  nat-bare: {kind: nat, type: masquerade, firewall: false, outside: wan, routes: {default: internet}}
  nat-short: {kind: nat, type: port-restricted-cone, udp-timeout: {unreplied: 3, established: 5}, outside: wan, routes: {default: internet}}
  nat-fshort: {kind: nat, type: full-cone, udp-timeout: {unreplied: 3, established: 5}, outside: wan, routes: {default: internet}}
  nat-seq: {kind: nat, type: symmetric, port-allocation: sequential, outside: wan, routes: {default: internet}}
  c-bare: {routes: {default: nat-bare}}
  c-short: {routes: {default: nat-short}}
  c-fshort: {routes: {default: nat-fshort}}
  nat-full: {kind: nat, type: full-cone, outside: wan, routes: {default: internet}}
  nat-port: {kind: nat, type: port-restricted-cone, outside: wan, routes: {default: internet}}
  c-seq: {routes: {default: nat-seq}}
  c-full: {routes: {default: nat-full}}
  c-port: {routes: {default: nat-port}}
  nat-held: {kind: nat, type: full-cone, udp-timeout: {unreplied: 120, established: 120}, outside: wan, routes: {default: internet}}
  held-lan: {kind: switch, subnet: 10.0.7.0/24}
  c-held: {routes: {default: nat-held}}
  c-busy: {routes: {default: nat-held}}
links:
  - {endpoints: [nat-bare:lan, c-bare:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [nat-short:lan, c-short:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [nat-fshort:lan, c-fshort:eth0], subnet: 10.0.3.0/24}
  - {endpoints: [nat-seq:lan, c-seq:eth0], subnet: 10.0.4.0/24}
  - {endpoints: [internet:bare, nat-bare:wan], subnet: 100.64.1.0/24}
  - {endpoints: [internet:short, nat-short:wan], subnet: 100.64.2.0/24}
  - {endpoints: [internet:fshort, nat-fshort:wan], subnet: 100.64.3.0/24}
  - {endpoints: [internet:seq, nat-seq:wan], subnet: 100.64.4.0/24}
  - {endpoints: [nat-full:lan, c-full:eth0], subnet: 10.0.5.0/24}
  - {endpoints: [nat-port:lan, c-port:eth0], subnet: 10.0.6.0/24}
  - {endpoints: [internet:full, nat-full:wan], subnet: 100.64.5.0/24}
  - {endpoints: [internet:port, nat-port:wan], subnet: 100.64.6.0/24}
  - {endpoints: [internet:srv, server:eth0], subnet: 203.0.113.0/24}
  - {endpoints: [nat-held:lan, held-lan:p0]}
  - {endpoints: [c-held:eth0, held-lan:p1]}
  - {endpoints: [c-busy:eth0, held-lan:p2]}
  - {endpoints: [internet:held, nat-held:wan], subnet: 100.64.7.0/24}
"""

# Sends one datagram from each port of argv[2]-argv[3] but every argv[4]th to
# argv[1]:9: the NAT gives each the same outside port and holds it.
HOLD_PORTS = r"""
import socket, sys
first, last, spare = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for port in range(first, last + 1):
    if port % spare:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("", port))
            s.sendto(b"hold", (sys.argv[1], 9))
"""


def delete_rules(netns, comment_part):
    """Deletes, behind natlab's back, every rule of its table whose comment holds `comment_part`."""
    listing = in_netns(netns, "nft", "-a", "list", "table", "ip", "natlab").stdout
    chain, deleted = None, 0
    for line in listing.splitlines():
        if line.strip().startswith("chain "):
            chain = line.split()[1]
        elif comment_part in line and "# handle" in line:
            handle = line.rsplit("# handle ", 1)[1]
            in_netns(netns, "nft", "delete", "rule", "ip", "natlab", chain, "handle", handle, check=True)
            deleted += 1
    assert deleted, f"no rule with {comment_part!r} in {netns}"


class Conformance(SharedLab):
    """verify's checks beyond one STUN exchange, on NATs whose declarations
    they single out, and what each says when the rules behind it are cut."""
    PREFIX = "cf"

    @classmethod
    def setUpClass(cls):
        fd, cls.LAB_FILE = tempfile.mkstemp(suffix=".yaml")
        with os.fdopen(fd, "w") as f:
            f.write(CONFORMANCE)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        os.unlink(cls.LAB_FILE)

    def verify(self, *nats):
        proc = natlab("verify", self.lab, *nats, "--json", "--timeout", "300", check=False, timeout=120)
        return proc.returncode, {n["nat"]: n for n in json.loads(proc.stdout)["nats"]}

    def test_every_check_measures_as_declared(self):
        code, by_nat = self.verify()
        self.assertEqual({nat: n["mismatches"] for nat, n in by_nat.items()},
                         {nat: [] for nat in by_nat})
        self.assertEqual(code, 0)
        bare, short, fshort, seq = (by_nat[n]["measured"] for n in ("nat-bare", "nat-short", "nat-fshort", "nat-seq"))
        # A bare Linux box: its own stack takes the early packet's tuple, and
        # the kernel's masquerade hands one port to two inside hosts.
        self.assertEqual(bare["race"], "mapping lost")
        self.assertEqual(bare["port_ownership"], "overloaded")
        # Every pair (verify's inside ports avoid those its earlier checks hold).
        self.assertEqual(by_nat["nat-bare"]["ownership"]["shared"], 100)
        self.assertIsNone(bare["lifetime"])  # 30 s and 120 s: not waited for
        for m in (short, fshort):
            self.assertEqual(m["lifetime"], "3 s; stream 5 s")
            self.assertEqual(m["race"], "mapping kept")
            self.assertEqual(m["port_ownership"], "exclusive")
        self.assertEqual(seq["allocation"], "sequential")
        self.assertEqual((seq["tcp_mapping"], seq["tcp_filtering"]), (APD, APD))
        self.assertEqual((fshort["tcp_mapping"], fshort["tcp_filtering"]), (EI, EI))

    def test_a_node_that_is_not_a_nat_is_refused(self):
        proc = natlab("verify", self.lab, "c-seq", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stderr, f"natlab: 'c-seq' is not a nat node of lab {self.lab}; only NAT nodes "
                                      "have a behaviour to verify; its NAT nodes are nat-bare, nat-short, "
                                      "nat-fshort, nat-seq, nat-full, nat-port, nat-held\n")

    def test_quick_measures_the_stun_properties_alone(self):
        proc = natlab("verify", self.lab, "nat-seq", "--quick", "--timeout", "300")
        self.assertIn("1 of 1 NAT nodes behave as declared", proc.stdout)
        self.assertIn("port preservation", proc.stdout)
        for absent in ("allocation", "port ownership", "race", "tcp mapping", "lifetime"):
            self.assertNotIn(absent, proc.stdout)

    @unittest.skipIf(os.environ.get("NATLAB_GUEST"), "19,600 sockets take minutes under TCG; nothing here "
                                                      "is the kernel's: the host runs it")
    def test_ports_held_already_are_not_taken_for_a_nat_that_renumbers(self):
        # Another host behind nat-held holds all but every 50th port that
        # verify's inside sockets draw from; verify still sees a full cone
        # that keeps port numbers, as it does on the ports that are free.
        busy = in_netns(self.ns("c-busy"), PYTHON, "-c", HOLD_PORTS, SERVER, "20000", "39999", "50", timeout=120)
        self.assertEqual(busy.returncode, 0, busy.stderr)
        held = in_netns(self.ns("nat-held"), "conntrack", "-L", "-p", "udp", "--dport", "9").stdout
        self.assertGreaterEqual(len(held.splitlines()), 19000)
        code, by_nat = self.verify("nat-held")
        self.assertEqual(by_nat["nat-held"]["mismatches"], [])
        self.assertEqual(code, 0)
        self.assertTrue(by_nat["nat-held"]["measured"]["port_preservation"])
        self.assertEqual(by_nat["nat-held"]["measured"]["allocation"], "preserve")

    def test_each_check_catches_its_rules_cut(self):
        # Without the rules that keep ports apart, a full cone overloads; without
        # the firewall a port-restricted cone loses its mapping to the early packet.
        delete_rules(self.ns("nat-full"), "no port overloading")
        delete_rules(self.ns("nat-port"), "filtering: nothing else from outside")
        try:
            code, by_nat = self.verify("nat-full", "nat-port")
            self.assertEqual(code, 3)
            self.assertEqual(set(by_nat), {"nat-full", "nat-port"})
            self.assertEqual(by_nat["nat-full"]["mismatches"], ["port_ownership"])
            self.assertGreater(by_nat["nat-full"]["ownership"]["shared"], 0)
            self.assertEqual(by_nat["nat-port"]["mismatches"], ["race"])
            self.assertEqual(by_nat["nat-port"]["measured"]["race"], "mapping lost")
        finally:
            for nat in ("nat-full", "nat-port"):
                natlab("rules", self.lab, nat, "--reload")


LIFETIME_LAB = """
name: lifetime
nodes:
  internet: {kind: router}
  server: {routes: {default: internet}}
  nat: {kind: nat, type: full-cone, udp-timeout: {unreplied: UNREPLIED, established: ESTABLISHED},
        outside: wan, routes: {default: internet}}
  h1: {routes: {default: nat}}
links:
  - {endpoints: [nat:lan, h1:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [internet:n, nat:wan], subnet: 100.64.1.0/24}
  - {endpoints: [internet:s, server:eth0], subnet: 203.0.113.0/24}
"""


class BindingLifetimes(LabTestCase):
    """verify measures the lifetimes a NAT has, up to 10 s: a binding answered
    once lives udp-timeout unreplied after the answer, a stream udp-timeout
    established after its last packet. One lab per pair of timeouts, all
    verified at once (verify waits out each NAT's lifetimes in turn)."""

    TIMEOUTS = [(2, 5), (3, 5), (5, 6), (3, 3), (5, 8), (5, 10)]

    def verify_all(self, labs):
        procs = [subprocess.Popen([NATLAB, "verify", lab, "--json", "--timeout", "300"], stdout=subprocess.PIPE,
                                  text=True) for lab in labs]
        results = []
        for proc in procs:
            out, _ = proc.communicate(timeout=180)
            results.append((proc.returncode, json.loads(out)["nats"][0]))
        return results

    def test_verify_finds_the_declared_lifetimes(self):
        labs = [self.create_from_text(LIFETIME_LAB.replace("UNREPLIED", str(u)).replace("ESTABLISHED", str(e)),
                                      "it-life") for u, e in self.TIMEOUTS]
        for (u, e), (code, nat) in zip(self.TIMEOUTS, self.verify_all(labs)):
            declared = f"{u} s; stream {e} s"
            self.assertEqual((nat["declared"]["lifetime"], nat["measured"]["lifetime"]), (declared, declared))
            self.assertEqual((code, nat["mismatches"]), (0, []), nat)
        # Bindings that live longer than declared (conntrack's timeout raised
        # behind natlab's back) are caught: still there a second after 2 s.
        in_netns(f"{labs[0]}-nat", "sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout=4", check=True)
        [(code, nat)] = self.verify_all(labs[:1])
        self.assertEqual((code, nat["measured"]["lifetime"]), (3, "over 3 s; stream 5 s"))


UNMEASURABLE = """
name: unmeasurable
nodes:
  c0: {routes: {default: nat0}}
  nat0: {kind: nat, outside: wan, type: full-cone, routes: {default: internet}}
  nat1: {kind: nat, outside: wan, routes: {default: internet}}
  r: {kind: router}
  c2: {routes: {default: nat2}}
  nat2: {kind: nat, outside: wan}
  internet: {kind: router}
links:
  - {endpoints: [nat0:lan, c0:eth0], subnet: 10.0.0.0/24}
  - {endpoints: [nat1:lan, r:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [nat2:lan, c2:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [internet:n0, nat0:wan], subnet: 100.64.0.0/24}
  - {endpoints: [internet:n1, nat1:wan], subnet: 100.64.1.0/24}
  - {endpoints: [internet:n2, nat2:wan], subnet: 100.64.2.0/24}
"""


class VerifyWhatCannotBeMeasured(LabTestCase):
    def test_unprobeable_nats_are_reported_and_exit_3(self):
        lab = self.create_from_text(UNMEASURABLE, "um")
        proc = natlab("verify", lab, "--timeout", "300", check=False)
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertRegex(proc.stdout, r"nat0 +c0 +mapping +endpoint-independent +endpoint-independent +ok")
        self.assertIn("nat1  NOT MEASURED: no host has its default route to nat1, so nothing can probe it; "
                      "link a host behind it\n", proc.stdout)
        self.assertIn("nat2  NOT MEASURED: nat node 'nat2' has no IPv4 default route, so its public side is "
                      "unknown; name a server node with --server NODE or 'probe-server: NODE' in the topology\n",
                      proc.stdout)
        self.assertIn("1 of 3 NAT nodes behave as declared", proc.stdout)


class GoldenRulesLoad(unittest.TestCase):
    """Every golden rule set is one nft itself accepts (nft -c, a scratch namespace)."""

    def test_nft_accepts_every_golden_file(self):
        import glob
        from natlab_test import SOURCE_DIR
        ns = unique_name("natlab-nftcheck")
        subprocess.run(["ip", "netns", "add", ns], check=True)
        self.addCleanup(subprocess.run, ["ip", "netns", "del", ns], check=True)
        files = sorted(glob.glob(os.path.join(SOURCE_DIR, "tests", "unit", "golden", "nat", "*.nft")))
        self.assertGreaterEqual(len(files), 20)
        for path in files:
            proc = subprocess.run(["ip", "netns", "exec", ns, "nft", "-c", "-f", path], capture_output=True,
                                  text=True)
            self.assertEqual(proc.returncode, 0, f"{path}: {proc.stderr}")


if __name__ == "__main__":
    unittest.main()
