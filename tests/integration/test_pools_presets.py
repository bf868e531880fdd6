"""NATs with address pools and named presets, judged by packets: a server
outside records the source address of datagrams from many inside sockets
(paired pooling keeps each inside host on one pool address; arbitrary
spreads one host's mappings), `ip -j` shows the pool on the outside
interface, verify measures pooling and finds every preset as declared, and
the udp-blocked preset lets out TCP to port 443 and nothing else."""
import json
import unittest

from nat_packets import TCP_CONNECT, TCP_LISTEN, UDP_PEER, UDP_SEND, finish, run, start
from natlab_test import LabTestCase, addresses, natlab

#   c1, c2 --sw-- paired --+
#   c3 ------ arbitrary ---+
#   c4 ------ home --------+-- internet -- s0
#   c5 ------ mobile ------+
#   c6 ------ office ------+
#   c7 ------ hotel -------+
LAB = """\
name: pools
nodes:
  internet: {kind: router}
  s0: {routes: {default: internet}}
  sw: {kind: switch}
  paired: {kind: nat, outside: wan, preset: cgnat, pool: 100.64.1.200-100.64.1.203,
           routes: {default: internet}}
  arbitrary: {kind: nat, outside: wan, type: full-cone, pooling: arbitrary,
              pool: [100.64.2.200, 100.64.2.201, 100.64.2.202-100.64.2.203], routes: {default: internet}}
  home: {kind: nat, outside: wan, preset: home-router, routes: {default: internet}}
  mobile: {kind: nat, outside: wan, preset: mobile-carrier, routes: {default: internet}}
  office: {kind: nat, outside: wan, preset: enterprise-firewall, routes: {default: internet}}
  hotel: {kind: nat, outside: wan, preset: udp-blocked, routes: {default: internet}}
  c1: {routes: {default: paired}}
  c2: {routes: {default: paired}}
  c3: {routes: {default: arbitrary}}
  c4: {routes: {default: home}}
  c5: {routes: {default: mobile}}
  c6: {routes: {default: office}}
  c7: {routes: {default: hotel}}
links:
  - {endpoints: [paired:lan, sw:p0], subnet: 10.0.1.0/24}
  - {endpoints: [c1:eth0, sw:p1]}
  - {endpoints: [c2:eth0, sw:p2]}
  - {endpoints: [arbitrary:lan, c3:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [home:lan, c4:eth0], subnet: 10.0.4.0/24}
  - {endpoints: [mobile:lan, c5:eth0], subnet: 10.0.5.0/24}
  - {endpoints: [office:lan, c6:eth0], subnet: 10.0.6.0/24}
  - {endpoints: [hotel:lan, c7:eth0], subnet: 10.0.7.0/24}
  - {endpoints: [internet:a, paired:wan], subnet: 100.64.1.0/24}
  - {endpoints: [internet:b, arbitrary:wan], subnet: 100.64.2.0/24}
  - {endpoints: [internet:d, home:wan], subnet: 100.64.4.0/24}
  - {endpoints: [internet:e, mobile:wan], subnet: 100.64.5.0/24}
  - {endpoints: [internet:f, office:wan], subnet: 100.64.6.0/24}
  - {endpoints: [internet:g, hotel:wan], subnet: 100.64.7.0/24}
  - {endpoints: [internet:s, s0:eth0], subnet: 203.0.113.0/24}
"""
SERVER = "203.0.113.2"

# Sends "tag-i" from `count` fresh sockets (each a new mapping) to a server.
MANY_SOCKETS = r"""
import socket, sys
tag, count, host, port = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
socks = []
for i in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", 0))
    for _ in range(2):
        s.sendto(f"{tag}-{i}".encode(), (host, port))
    socks.append(s)
"""


def sources_by_tag(lines):
    """{"c1": {external addresses}} from the server's "ip:port tag-i" lines."""
    seen = {}
    for line in lines:
        source, payload = line.split()
        if payload == "hello":
            continue
        seen.setdefault(payload.rsplit("-", 1)[0], set()).add(source.split(":")[0])
    return seen


class PoolsAndPresets(LabTestCase):
    @classmethod
    def setUpClass(cls):
        cls.shared = cls("run")
        cls.lab = cls.shared.create_from_text(LAB, "pp")

    @classmethod
    def tearDownClass(cls):
        cls.shared.doCleanups()

    def mappings_seen(self, senders, count=30):
        """The external addresses the server saw each sender's mappings on."""
        server, first = start(f"{self.lab}-s0", UDP_PEER, 7000, 1.5)
        self.assertEqual(first, "sent")
        for node in senders:
            run(f"{self.lab}-{node}", MANY_SOCKETS, node, count, SERVER, 7000)
        return sources_by_tag(finish(server))

    def test_paired_pooling_keeps_each_inside_host_on_one_pool_address(self):
        pool = {f"100.64.1.{n}" for n in range(200, 204)}
        self.assertEqual(addresses(f"{self.lab}-paired", "wan"),
                         ["100.64.1.2/24"] + sorted(f"{a}/24" for a in pool))
        seen = self.mappings_seen(["c1", "c2"])
        self.assertEqual(set(seen), {"c1", "c2"}, seen)
        for host, external in seen.items():
            self.assertEqual(len(external), 1, seen)
            self.assertLessEqual(external, pool, seen)

    def test_arbitrary_pooling_spreads_one_hosts_mappings_over_the_pool(self):
        seen = self.mappings_seen(["c3"])
        # 30 mappings, each given one of 4 addresses at random: all on one
        # would happen once in 4^29 runs.
        self.assertGreater(len(seen["c3"]), 1, seen)
        self.assertLessEqual(seen["c3"], {f"100.64.2.{n}" for n in range(200, 204)}, seen)

    def test_verify_measures_pooling_and_finds_every_preset_as_declared(self):
        proc = natlab("verify", self.lab, "paired", "arbitrary", "home", "mobile", "office", "--json",
                      check=False, timeout=300)
        nats = {n["nat"]: n for n in json.loads(proc.stdout)["nats"]}
        self.assertEqual(proc.returncode, 0, proc.stdout)
        self.assertEqual(nats["paired"]["measured"]["pooling"], "paired")
        self.assertEqual(nats["arbitrary"]["measured"]["pooling"], "arbitrary")
        self.assertNotIn("pooling", nats["home"]["declared"])  # one address: nothing to pool
        self.assertEqual(nats["paired"]["measured"]["filtering"], "address-dependent")  # cgnat
        self.assertEqual(nats["mobile"]["measured"]["mapping"], "address-and-port-dependent")
        self.assertEqual(nats["home"]["measured"]["hairpinning"], True)
        text = natlab("verify", self.lab, "paired", "--quick").stdout
        self.assertNotIn("pooling", text)  # measured by the full checks only

    def test_udp_blocked_lets_out_tcp_to_443_and_nothing_else(self):
        listener, ready = start(f"{self.lab}-s0", TCP_LISTEN, 443, 22)
        self.assertEqual(ready, "ready")
        udp, first = start(f"{self.lab}-s0", UDP_PEER, 7000, 1.5)
        run(f"{self.lab}-c7", MANY_SOCKETS, "c7", 3, SERVER, 7000)
        run(f"{self.lab}-c4", MANY_SOCKETS, "c4", 1, SERVER, 7000)  # the home NAT lets UDP out
        connects = run(f"{self.lab}-c7", TCP_CONNECT, 0, f"{SERVER}:443", f"{SERVER}:22")
        accepted = finish(listener)
        self.assertEqual(connects, ["ok welcome", "failed TimeoutError"])
        self.assertEqual([line.split()[0] for line in accepted], ["443"])
        self.assertEqual(set(sources_by_tag(finish(udp))), {"c4"})
        rules = natlab("rules", self.lab, "hotel").stdout
        self.assertIn('ct state new counter packets', rules)


if __name__ == "__main__":
    unittest.main()


# Each of `count` fresh sockets sends "tag-i" `rounds` times, 30 ms apart
# (a refused first packet draws again with the next).
MANY_SOCKETS_RETRYING = r"""
import socket, sys, time
tag, count, host, port, rounds = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
socks = []
for i in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", 0))
    socks.append(s)
for _ in range(rounds):
    for i, s in enumerate(socks):
        s.sendto(f"{tag}-{i}".encode(), (host, port))
    time.sleep(0.03)
"""


def endpoints_by_tag(lines):
    """{"pc-a": {(ip, port)}} of the distinct external endpoints each sender came from."""
    seen = {}
    for line in lines:
        source, payload = line.split()
        if payload != "hello":
            ip, port = source.split(":")
            seen.setdefault(payload.rsplit("-", 1)[0], set()).add((ip, int(port)))
    return seen


class PresetsInTheMatrix(LabTestCase):
    def test_matrix_takes_presets_and_says_why_udp_blocked_never_punches(self):
        self.addCleanup(self.assert_nothing_left, "ppmx")
        out = natlab("matrix", "--types", "home-router,udp-blocked", "--name", "ppmx", timeout=300).stdout
        self.assertIn("home-router           works                 fails", out)
        self.assertIn("Every cell agrees with theory.", out)
        self.assertIn("home-router -> udp-blocked: nat-udpb-2 lets only tcp/80, tcp/443 out (allow-outbound): "
                      "no UDP to punch with", out)


ONE_TO_ONE = """\
name: oto
nodes:
  internet: {kind: router}
  s0: {routes: {default: internet}}
  sw: {kind: switch}
  cloud: {kind: nat, outside: wan, preset: cloud-1to1, one-to-one: vm, routes: {default: internet}}
  vm: {routes: {default: cloud}}
  other: {routes: {default: cloud}}
links:
  - {endpoints: [cloud:lan, sw:p0], subnet: 10.0.1.0/24}
  - {endpoints: [vm:eth0, sw:p1]}
  - {endpoints: [other:eth0, sw:p2]}
  - {endpoints: [internet:a, cloud:wan], subnet: 100.64.1.0/24}
  - {endpoints: [internet:s, s0:eth0], subnet: 203.0.113.0/24}
"""


class CloudOneToOne(LabTestCase):
    """cloud-1to1: the external address 100.64.1.2 is vm's, every port both
    ways, with no packet of vm's first; other inside hosts get no address."""

    def test_the_address_is_the_vms_both_ways_on_every_port(self):
        lab = self.create_from_text(ONE_TO_ONE, "oto")
        # Unasked, on two ports: both reach vm, from the server's own endpoint.
        vm, ready = start(f"{lab}-vm", UDP_PEER, 7000, 1.5)
        vm2, ready2 = start(f"{lab}-vm", UDP_PEER, 7001, 1.5)
        self.assertEqual((ready, ready2), ("sent", "sent"))
        run(f"{lab}-s0", UDP_SEND, 4000, "100.64.1.2", 7000, "first")
        run(f"{lab}-s0", UDP_SEND, 4001, "100.64.1.2", 7001, "second")
        self.assertEqual(set(finish(vm)), {f"{SERVER}:4000 first"})
        self.assertEqual(set(finish(vm2)), {f"{SERVER}:4001 second"})
        # Out: vm from the external address on its own port; other not at all.
        server, ready = start(f"{lab}-s0", UDP_PEER, 7100, 1.5)
        self.assertEqual(ready, "sent")
        run(f"{lab}-vm", UDP_SEND, 5555, SERVER, 7100, "vm")
        run(f"{lab}-other", UDP_SEND, 5556, SERVER, 7100, "other")
        self.assertEqual(set(finish(server)), {"100.64.1.2:5555 vm"})
        rules = natlab("rules", lab, "cloud").stdout
        self.assertRegex(rules, r"ip saddr != \{ 10\.0\.1\.2, 100\.64\.1\.2 \} counter packets [1-9]")
        # Measured as declared; nothing to rebind.
        proc = natlab("verify", lab, "--json", check=False, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stdout)
        nat = json.loads(proc.stdout)["nats"][0]
        self.assertEqual((nat["declared"]["lifetime"], nat["measured"]["filtering"]),
                         ("static", "endpoint-independent"))
        proc = natlab("rebind", lab, "cloud", check=False)
        self.assertEqual((proc.returncode, proc.stderr),
                         (2, "natlab: cloud is a one-to-one NAT: every port of 10.0.1.2 keeps its number for "
                             "good, so there is no mapping to move; rebind needs a NAT that gives out ports\n"))


class CarrierGradeNat(LabTestCase):
    """labs/cgnat.yaml: NAT444 with deterministic port blocks of 64 ports."""

    def test_a_subscriber_that_fills_its_block_is_refused_while_another_keeps_working(self):
        from natlab_test import lab_file
        lab = self.create(lab_file("cgnat.yaml"), "ppcgn")
        server, first = start(f"{lab}-server", UDP_PEER, 7000, 2)
        self.assertEqual(first, "sent")
        run(f"{lab}-pc-a", MANY_SOCKETS_RETRYING, "pc-a", 80, "203.0.113.2", 7000, 3)
        run(f"{lab}-pc-b", MANY_SOCKETS_RETRYING, "pc-b", 10, "203.0.113.2", 7000, 3)
        seen = endpoints_by_tag(finish(server))
        # home-a is subscriber 100.64.0.2: 198.51.100.200, ports 20064-20127; home-b
        # (100.64.0.3) the next address's first block.
        block_a = {("198.51.100.200", p) for p in range(20064, 20128)}
        block_b = {("198.51.100.201", p) for p in range(20000, 20064)}
        self.assertEqual(seen["pc-a"], block_a)  # every port of its block, and no other
        self.assertEqual(len(seen["pc-b"]), 10, seen["pc-b"])
        self.assertLessEqual(seen["pc-b"], block_b)
        log = [json.loads(line) for line in natlab("mappings", lab, "cgn", "--log", "--json").stdout.splitlines()]
        by_subscriber = {entry["subscriber"]: entry for entry in log}
        self.assertEqual(len(log), 6)  # the access subnet's six addresses
        self.assertEqual((by_subscriber["100.64.0.2"]["external"], by_subscriber["100.64.0.2"]["ports"]),
                         ("198.51.100.200", "20064-20127"))
        self.assertGreater(by_subscriber["100.64.0.2"]["refused"], 0)
        self.assertEqual(by_subscriber["100.64.0.3"]["refused"], 0)
        none = natlab("mappings", lab, "home-a", "--log", check=False)
        self.assertEqual((none.returncode, none.stderr),
                         (2, "natlab: home-a gives out no port blocks, so it keeps no allocation log; give it "
                             "'port-block: N' (ports per subscriber), or see its live mappings with "
                             f"'natlab mappings {lab} home-a'\n"))
