"""Real software over IPv6 across natlab's NAT nodes: WireGuard and nebula.

The programs are Debian's, not written here: wireguard-go (userspace
WireGuard) configured by `wg` with static endpoints, and nebula, whose peers
find each other through a lighthouse and punch (relays off). Witnesses: each
program's own view (`wg show`: latest handshake, bytes, the endpoint a peer
is answered at; nebula's log: the handshake and the address it came from),
pings through the tunnel, and tcpdump on the internet router between the
sites (which UDP flows crossed it, each way). The hosts are IPv6-only.

What theory says, asserted below:
- An RFC 6092 firewall lets in what answers what the inside sent, and drops
  the rest (section 3.2). Two peers that both send to each other's endpoint
  each leave through their own firewall, so once both have sent, each one's
  packets reach the other's firewall as answers: a simultaneous open, direct
  for every filtering class. A peer that sends to a silent one meets the silent one's
  firewall unasked and is dropped, whatever the class; a `routed` node or
  `firewall: false` lets it in.
- Endpoint-independent filtering (RFC 6092 REC-11, the default) lets anyone
  reach an inside endpoint once it has sent anywhere: a nebula host that
  registered with its lighthouse can be reached without punching. With
  address-dependent or address-and-port-dependent filtering it needs the punch.
- Across a NAT66 (RFC 4787 vocabulary), a peer's public endpoint as a server
  saw it is the one another peer reaches only when the mapping is
  endpoint-independent. Behind a symmetric NAT66 the packets toward the
  other peer leave from another port: they get in only where the other
  side's firewall filters endpoint-independently, and WireGuard, which
  answers an authenticated handshake where it came from, then connects.
  Behind an address-and-port-dependent firewall nothing gets through.
"""
import ipaddress
import json
import os
import shutil
import subprocess
import tempfile
import threading
import unittest

from natlab_test import PYTHON, LabTestCase, in_netns, natlab, unique_name, wait_for

WIREGUARD_GO = shutil.which("wireguard-go")
WG = shutil.which("wg")
NEBULA = shutil.which("nebula")
NEBULA_CERT = shutil.which("nebula-cert")
SLOW = float(os.environ.get("NATLAB_SLOW", "1"))  # the stock-kernel guest runs under TCG

WG_PORT = 51820
NEBULA_PORT = 4242
INITIATION = 148  # bytes of a WireGuard handshake initiation
FILTERING = ["endpoint-independent", "address-dependent", "address-and-port-dependent"]
# A datagram from s past the router, sent last: once tcpdump printed it, it printed all before it.
MARKER = r"""
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", int(sys.argv[2])))
s.sendto(b"end", (sys.argv[1], int(sys.argv[2])))
"""
MARKER_PORT = 9


def firewall(filtering):
    return f"ipv6: {{mode: firewall, filtering: {filtering}}}"


def addr(text):
    """An IPv6 address in one spelling, for comparisons."""
    return ipaddress.ip_address(text).compressed


# Pair i: host aI behind node gaI, host bI behind gbI, both nodes on the
# internet router; a public host s on it too.
def host(side, i):
    return addr(f"2001:db8:{1 if side == 'a' else 2}:{i}::2")


def outside(side, i):
    return addr(f"2001:db8:ff:{1 if side == 'a' else 2}{i:02d}::2")


SERVER = addr("2001:db8:9::2")


def sites_lab(name, pairs):
    """A lab of the pairs [(keys of ga0, keys of gb0), ...] and the public host s.
    Hosts are IPv6-only; a NAT node's outside also has IPv4 (natlab needs an
    address to translate IPv4 to)."""
    nodes = ["  internet: {kind: router}", "  s: {routes: {default: internet}}"]
    links = ['  - {endpoints: [internet:to-s, s:eth0], subnet: "2001:db8:9::/64"}']
    for i, keys in enumerate(pairs):
        for side, block, node_keys in (("a", 1, keys[0]), ("b", 2, keys[1])):
            h, g = f"{side}{i}", f"g{side}{i}"
            nodes.append(f"  {h}: {{routes: {{default: {g}}}}}")
            nodes.append(f"  {g}: {{kind: nat, outside: wan, routes: {{default: internet}}, {node_keys}}}")
            links.append(f'  - {{endpoints: [{g}:lan, {h}:eth0], subnet: "2001:db8:{block}:{i}::/64"}}')
            links.append(f"  - {{endpoints: [internet:to-{g}, {g}:wan], "
                         f'subnet: [100.64.{10 * block + i}.0/24, "2001:db8:ff:{block}{i:02d}::/64"]}}')
    return "\n".join([f"name: {name}", "nodes:", *nodes, "links:", *links]) + "\n"


def udp_out_of_router(dump):
    """The UDP flows tcpdump -i any on the router saw leave it (each forwarded
    packet once): a set of (src, sport, dst, dport)."""
    flows = set()
    for line in dump.splitlines():
        parts = line.split()
        if "IP6" not in parts or ">" not in parts:
            continue
        at = parts.index("IP6")
        if parts[at - 1] != "Out":
            continue
        (sip, sport), (dip, dport) = parts[at + 1].rsplit(".", 1), parts[at + 3].rstrip(":").rsplit(".", 1)
        flows.add((addr(sip), int(sport), addr(dip), int(dport)))
    return flows


def both_ways(flows):
    return {f for f in flows if (f[2], f[3], f[0], f[1]) in flows}


class Witnesses(LabTestCase):

    def scratch(self):
        path = tempfile.mkdtemp(prefix="natlab-w6-")
        self.addCleanup(shutil.rmtree, path, True)
        return path

    def make_lab(self, pairs):
        name = unique_name("w6")
        path = os.path.join(self.scratch(), "lab.yaml")
        with open(path, "w") as f:
            f.write(sites_lab(name, pairs))
        return self.create(path, name)

    def router_capture(self, lab):
        """tcpdump on every interface of the internet router; returns a function
        that stops it and gives the flows it saw leave the router."""
        proc, stop = self.background(f"{lab}-internet", "tcpdump", "-l", "-nn", "--immediate-mode", "-i", "any",
                                     "udp", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while True:  # it names the link type and a hint about -v first
            said = proc.stderr.readline()
            self.assertTrue(said, "tcpdump ended before it listened")
            if said.startswith("listening on"):
                break
        lines = []

        def read():
            for line in proc.stdout:
                lines.append(line)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        marker = (SERVER, MARKER_PORT, outside("a", 0), MARKER_PORT)

        def flows():
            # Until tcpdump has printed a datagram sent after everything else
            # (the last packets sat in its buffer when it was stopped at once).
            for _ in range(int(10 * SLOW)):
                in_netns(f"{lab}-s", PYTHON, "-c", MARKER, outside("a", 0), str(MARKER_PORT))
                if wait_for(lambda: marker in udp_out_of_router("".join(lines)), timeout=1):
                    break
            stop()
            reader.join(timeout=10)
            seen = udp_out_of_router("".join(lines))
            self.assertIn(marker, seen, "tcpdump printed what crossed the router")
            return seen - {marker}

        return flows

    def ping(self, netns, target, count=3, deadline=5):
        return in_netns(netns, "ping", "-c", str(count), "-i", "0.2", "-w", str(int(deadline * SLOW)), target,
                        timeout=(deadline + 30) * SLOW).returncode


class WireGuard:
    """wireguard-go serving one interface in one namespace, configured with wg."""

    def __init__(self, test, netns, ifname, overlay, keydir):
        self.test, self.netns, self.ifname, self.overlay = test, netns, ifname, overlay
        key = subprocess.run([WG, "genkey"], capture_output=True, text=True, check=True).stdout
        self.public = subprocess.run([WG, "pubkey"], input=key, capture_output=True, text=True,
                                     check=True).stdout.strip()
        keyfile = os.path.join(keydir, ifname + ".key")
        with open(os.open(keyfile, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            f.write(key)
        sock = f"/var/run/wireguard/{ifname}.sock"
        # wireguard-go removes its socket when it ends; one it could not remove would
        # only be in the way of another run of this name, which never comes.
        test.addCleanup(lambda: os.path.exists(sock) and os.unlink(sock))
        log = open(os.path.join(keydir, ifname + ".log"), "w")
        test.addCleanup(log.close)
        test.background(netns, WIREGUARD_GO, "-f", ifname, stdout=log, stderr=subprocess.STDOUT)
        if not wait_for(lambda: os.path.exists(sock), timeout=10 * SLOW):
            raise AssertionError(f"wireguard-go made no {sock}; its log: {open(log.name).read()}")
        self.run("wg", "set", ifname, "private-key", keyfile, "listen-port", str(WG_PORT))
        self.run("ip", "addr", "add", f"{overlay}/16", "dev", ifname)
        self.run("ip", "link", "set", ifname, "up")

    def run(self, *cmd):
        proc = in_netns(self.netns, *cmd)
        if proc.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} in {self.netns}: {proc.stderr}")
        return proc.stdout

    def add_peer(self, peer, endpoint=None, keepalive=False):
        """Knows `peer`; sends to it only with an endpoint (ADDR, PORT), every
        second with keepalive (which also starts a handshake at once)."""
        args = ["peer", peer.public, "allowed-ips", f"{peer.overlay}/32"]
        if endpoint:
            args += ["endpoint", f"[{endpoint[0]}]:{endpoint[1]}"]
        if keepalive:
            args += ["persistent-keepalive", "1"]
        self.run("wg", "set", self.ifname, *args)

    def peer(self, peer):
        """wg's view of `peer`: endpoint (ADDR, PORT) or None, latest handshake, received, sent."""
        for line in self.run("wg", "show", self.ifname, "dump").splitlines()[1:]:
            key, _, endpoint, _, handshake, rx, tx, _ = line.split("\t")
            if key == peer.public:
                where = None
                if endpoint != "(none)":
                    host_part, port = endpoint.rsplit(":", 1)
                    where = (addr(host_part.strip("[]")), int(port))
                return {"endpoint": where, "handshake": int(handshake), "rx": int(rx), "tx": int(tx)}
        raise AssertionError(f"{self.ifname} does not know {peer.ifname}")

    def handshaken(self, peer):
        return self.peer(peer)["handshake"] != 0


class WireGuardTestCase(Witnesses):
    @classmethod
    def setUpClass(cls):
        if not (WIREGUARD_GO and WG):
            raise RuntimeError("wireguard-go and wg are not installed: scripts/setup test installs them")

    def tunnels(self, lab, pairs, server=False):
        """wireguard-go on a0/b0, a1/b1, ... (overlay 10.77.I.1 and .2) and on s."""
        keys = self.scratch()
        tag = lab.rsplit("-", 1)[1]  # wg's sockets are machine-wide: names unique to the lab
        ends = [tuple(WireGuard(self, f"{lab}-{side}{i}", f"w{tag}{side}{i}", f"10.77.{i}.{n}", keys)
                      for n, side in ((1, "a"), (2, "b"))) for i in range(len(pairs))]
        s = WireGuard(self, f"{lab}-s", f"w{tag}s", "10.77.255.1", keys) if server else None
        return ends, s

    def assert_tunnel(self, lab, i, a, b):
        self.assertTrue(wait_for(lambda: a.handshaken(b) and b.handshaken(a), timeout=30 * SLOW, interval=0.2),
                        f"pair {i}: a handshake completed on both sides: {a.peer(b)} {b.peer(a)}")
        self.assertEqual(self.ping(f"{lab}-a{i}", b.overlay), 0, f"pair {i}: pings crossed the tunnel")

    def wait_for_attempts(self, sender, receiver, attempts=2):
        """Until `sender` has sent `attempts` handshake initiations to `receiver`
        (one every 5 s while none is answered)."""
        self.assertTrue(wait_for(lambda: sender.peer(receiver)["tx"] >= attempts * INITIATION,
                                 timeout=30 * SLOW, interval=0.2),
                        f"{sender.ifname} kept trying: {sender.peer(receiver)}")


class WireGuardAcrossFirewalls(WireGuardTestCase):
    def test_both_sending_go_direct_through_every_filtering_class(self):
        pairs = [(firewall(f), firewall(f)) for f in FILTERING]
        lab = self.make_lab(pairs)
        ends, _ = self.tunnels(lab, pairs)
        flows = self.router_capture(lab)
        for i, (a, b) in enumerate(ends):
            a.add_peer(b, (host("b", i), WG_PORT), keepalive=True)
            b.add_peer(a, (host("a", i), WG_PORT), keepalive=True)
        for i, (a, b) in enumerate(ends):
            with self.subTest(filtering=FILTERING[i]):
                self.assert_tunnel(lab, i, a, b)
                # Nothing translated: each answers the other at its own address.
                self.assertEqual(b.peer(a)["endpoint"], (host("a", i), WG_PORT))
        seen = both_ways(flows())
        for i in range(len(pairs)):
            self.assertIn((host("a", i), WG_PORT, host("b", i), WG_PORT), seen, f"pair {i}: one flow both ways")

    def test_a_silent_peer_is_reached_only_without_its_firewall(self):
        responders = [firewall(f) for f in FILTERING] + ["ipv6: routed", "firewall: false"]
        pairs = [("ipv6: firewall", keys) for keys in responders]
        lab = self.make_lab(pairs)
        ends, _ = self.tunnels(lab, pairs)
        flows = self.router_capture(lab)
        for i, (a, b) in enumerate(ends):
            b.add_peer(a)  # no endpoint: b sends nothing until a reaches it
            a.add_peer(b, (host("b", i), WG_PORT), keepalive=True)
        for i, keys in enumerate(responders[3:], start=3):
            with self.subTest(responder=keys):
                a, b = ends[i]
                self.assert_tunnel(lab, i, a, b)
                self.assertEqual(b.peer(a)["endpoint"], (host("a", i), WG_PORT), "b learnt a's endpoint")
        for i, filtering in enumerate(FILTERING):
            with self.subTest(responder=firewall(filtering)):
                a, b = ends[i]
                self.wait_for_attempts(a, b)
                self.assertEqual(a.peer(b)["handshake"], 0)
                self.assertEqual((b.peer(a)["rx"], b.peer(a)["tx"]), (0, 0), "nothing reached b")
                self.assertNotEqual(self.ping(f"{lab}-a{i}", b.overlay, count=1), 0)
                # Dropped before conntrack kept anything (RFC 6092 section 3.2 asks for silence).
                kept = in_netns(f"{lab}-gb{i}", "conntrack", "-L", "-f", "ipv6", "-p", "udp", "--orig-src",
                                host("a", i)).stdout
                self.assertEqual(kept.strip(), "")
        seen = flows()
        for i in range(3):
            self.assertIn((host("a", i), WG_PORT, host("b", i), WG_PORT), seen, f"a{i}'s packets reached gb{i}")
            self.assertNotIn((host("b", i), WG_PORT, host("a", i), WG_PORT), seen, f"b{i} never answered")


# (a's NAT66, b's firewall filtering, whether they connect). A NAT66 with
# address-dependent mapping is refused by natlab (nft 1.0.6 cannot update its
# map), so it has no row; test_address_dependent_nat66_is_refused notices when
# it becomes possible.
NAT66_CASES = [
    # Endpoint-independent mapping: toward b, a leaves from the port s saw, so
    # each side's packets answer the other's. Random ports, so that no port
    # kept by preservation can pass for the mapping.
    ("type: port-restricted-cone, port-allocation: random", "endpoint-independent", True),
    ("type: port-restricted-cone, port-allocation: random", "address-and-port-dependent", True),
    # The kernel's masquerade keeps a's port toward every destination (EIM as
    # long as nothing else takes the port).
    ("type: masquerade", "address-and-port-dependent", True),
    # A new random port toward b: b's packets to the port s saw are filtered
    # out by the NAT66, a's from the new port get in only where b's firewall
    # lets anyone answer b, and b then answers a where a's handshake came from.
    ("type: symmetric", "endpoint-independent", True),
    ("type: symmetric", "address-and-port-dependent", False),
]


class WireGuardAcrossNat66(WireGuardTestCase):
    """a behind a NAT66 first reaches the public s (its static endpoint): s learns
    a's public endpoint from the handshake, as a STUN server would. b, behind an
    RFC 6092 firewall, is then given that endpoint and a is given b's: both
    static, both sending."""

    def nat66_pairs(self, cases):
        pairs = [(f"ipv6: {{mode: nat66, {nat}}}", firewall(filtering)) for nat, filtering, _ in cases]
        lab = self.make_lab(pairs)
        ends, s = self.tunnels(lab, pairs, server=True)
        for a, _ in ends:
            s.add_peer(a)
            a.add_peer(s, (SERVER, WG_PORT), keepalive=True)
        learnt = []
        for i, (a, _) in enumerate(ends):
            # A client behind any NAT66 reaches a static public endpoint.
            self.assertTrue(wait_for(lambda: s.handshaken(a), timeout=30 * SLOW, interval=0.2), f"a{i} reached s")
            public = s.peer(a)["endpoint"]
            self.assertEqual(public[0], outside("a", i), f"a{i} reached s from its NAT66's outside address")
            learnt.append(public)
        flows = self.router_capture(lab)
        for i, (a, b) in enumerate(ends):
            b.add_peer(a, learnt[i], keepalive=True)
            a.add_peer(b, (host("b", i), WG_PORT), keepalive=True)
        for i, (nat, filtering, connects) in enumerate(cases):
            a, b = ends[i]
            with self.subTest(nat66=nat, firewall=filtering):
                if connects:
                    self.assert_tunnel(lab, i, a, b)
                    seen_at = b.peer(a)["endpoint"]
                    self.assertEqual(seen_at[0], outside("a", i))
                    if "symmetric" in nat:  # b answered a's handshake where it came from: another port
                        self.assertNotEqual(seen_at, learnt[i], "a symmetric NAT66 gave b's flow a port of its own")
                    else:
                        self.assertEqual(seen_at, learnt[i], "the mapping s saw is the one b reaches")
                else:
                    self.wait_for_attempts(a, b)
                    self.wait_for_attempts(b, a)
                    self.assertEqual((a.peer(b)["handshake"], b.peer(a)["handshake"]), (0, 0))
                    self.assertEqual((a.peer(b)["rx"], b.peer(a)["rx"]), (0, 0), "neither heard the other")
        seen = flows()
        for i, (nat, filtering, _) in enumerate(cases):
            ports = {sport for src, sport, dst, dport in seen if src == outside("a", i) and dst == host("b", i)}
            with self.subTest(nat66=nat, firewall=filtering, flows="a to b"):
                self.assertTrue(ports, f"a{i}'s packets to b{i} crossed the router: {seen}")
                if "symmetric" in nat:
                    self.assertNotIn(learnt[i][1], ports, "toward b a left from a port other than toward s")
                else:
                    self.assertEqual(ports, {learnt[i][1]}, "toward b a left from the port s saw")

    def test_an_endpoint_a_server_saw_is_reached_where_the_mapping_keeps_it(self):
        self.nat66_pairs(NAT66_CASES)

    def test_address_dependent_nat66_is_refused(self):
        # Nothing to witness until natlab makes it: then this fails, and
        # NAT66_CASES above wants its row (it connects where symmetric does).
        path = os.path.join(self.scratch(), "lab.yaml")
        with open(path, "w") as f:
            f.write(sites_lab("w6-refused", [("ipv6: {mode: nat66, mapping: address-dependent}", "ipv6: firewall")]))
        proc = natlab("plan", path, check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("address-dependent", proc.stderr)


NEBULA_CONFIG = """
pki: {{ca: {dir}/ca.crt, cert: {dir}/{node}.crt, key: {dir}/{node}.key}}
static_host_map: {{"192.168.100.1": ["[{server}]:{port}"]}}
lighthouse: {{am_lighthouse: {am_lighthouse}, interval: 1, hosts: {hosts}}}
listen: {{host: "::", port: {port}}}
punchy: {{punch: true, respond: {respond}, delay: {delay}}}
relay: {{am_relay: false, use_relays: false}}
tun: {{dev: nebula1}}
logging: {{level: info, format: json}}
firewall:
  outbound: [{{port: any, proto: any, host: any}}]
  inbound: [{{port: any, proto: any, host: any}}]
"""


def nebula_handshakes(log_path):
    """The peers nebula completed a handshake with, from its log: {overlay ip: underlay ip}."""
    done = {}
    with open(log_path) as f:
        for line in f:
            entry = json.loads(line) if line.startswith("{") else {}
            if entry.get("msg") == "Handshake message received" and entry.get("handshake", {}).get("stage") == 2:
                done[entry["vpnIp"]] = addr(entry["udpAddr"]["ip"])
    return done


class NebulaAcrossFirewalls(Witnesses):
    """Pair i: aI (overlay 192.168.100.1I) pings bI (.2I) through nebula, both
    behind firewalls of filtering class FILTERING[i]; the lighthouse is s."""

    @classmethod
    def setUpClass(cls):
        if not (NEBULA and NEBULA_CERT):
            raise RuntimeError("nebula is not installed: scripts/setup test installs it")
        cls.pki = tempfile.mkdtemp(prefix="natlab-w6-nebula-")
        cls.overlay = {"s": "192.168.100.1"}
        for i in range(len(FILTERING)):
            cls.overlay |= {f"a{i}": f"192.168.100.1{i}", f"b{i}": f"192.168.100.2{i}"}
        subprocess.run([NEBULA_CERT, "ca", "-name", "natlab-w6", "-out-crt", f"{cls.pki}/ca.crt",
                        "-out-key", f"{cls.pki}/ca.key"], check=True, capture_output=True)
        for node, ip in cls.overlay.items():
            subprocess.run([NEBULA_CERT, "sign", "-name", node, "-ip", ip + "/24", "-ca-crt", f"{cls.pki}/ca.crt",
                            "-ca-key", f"{cls.pki}/ca.key", "-out-crt", f"{cls.pki}/{node}.crt",
                            "-out-key", f"{cls.pki}/{node}.key"], check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.pki)

    def start_nebula(self, lab, node, punch):
        config = os.path.join(self.pki, f"{lab}-{node}.yml")
        lighthouse = node == "s"
        with open(config, "w") as f:
            f.write(NEBULA_CONFIG.format(dir=self.pki, node=node, server=SERVER, port=NEBULA_PORT,
                                         am_lighthouse=str(lighthouse).lower(),
                                         hosts="[]" if lighthouse else '["192.168.100.1"]',
                                         respond=str(punch).lower(), delay="1s" if punch else "1h"))
        log = os.path.join(self.pki, f"{lab}-{node}.log")
        with open(log, "w") as out:
            self.background(f"{lab}-{node}", NEBULA, "-config", config, stdout=out, stderr=subprocess.STDOUT)
        return log

    def run_pairs(self, punch):
        """Every pair's a pings its b; returns the lab, per pair (a's handshakes,
        ping's exit), and the flows the router saw."""
        lab = self.make_lab([(firewall(f), firewall(f)) for f in FILTERING])
        self.start_nebula(lab, "s", punch)
        logs = {f"{side}{i}": self.start_nebula(lab, f"{side}{i}", punch)
                for i in range(len(FILTERING)) for side in "ab"}
        # Every host has told the lighthouse where it is before anyone asks.
        for node, log in logs.items():
            if not wait_for(lambda: self.overlay["s"] in nebula_handshakes(log), timeout=10 * SLOW):
                with open(log) as f:
                    self.fail(f"{node} never reached the lighthouse; its log ends:\n" + f.read()[-2000:])
        flows = self.router_capture(lab)
        # Room for the peer's punch (1 s) and nebula's handshake retries after it.
        results = [(i, self.ping(f"{lab}-a{i}", self.overlay[f"b{i}"], deadline=8)) for i in range(len(FILTERING))]
        seen = flows()
        return [(nebula_handshakes(logs[f"a{i}"]), ping) for i, ping in results], seen

    def test_punching_peers_go_direct_through_every_filtering_class(self):
        results, seen = self.run_pairs(punch=True)
        for i, (done, ping) in enumerate(results):
            with self.subTest(filtering=FILTERING[i]):
                self.assertEqual(done.get(self.overlay[f"b{i}"]), host("b", i), "a's handshake went to b itself")
                self.assertEqual(ping, 0, "pings crossed the tunnel")
                self.assertIn((host("a", i), NEBULA_PORT, host("b", i), NEBULA_PORT), both_ways(seen))

    def test_a_peer_that_does_not_punch_is_reached_only_through_endpoint_independent_filtering(self):
        # b's punch waits an hour and b does not answer a's attempt itself
        # (punchy respond): b has sent only to the lighthouse. Endpoint-
        # independent filtering lets anyone answer that; the other classes
        # let in only the lighthouse, and a's handshakes are dropped.
        results, seen = self.run_pairs(punch=False)
        for i, (done, ping) in enumerate(results):
            flow = (host("a", i), NEBULA_PORT, host("b", i), NEBULA_PORT)
            with self.subTest(filtering=FILTERING[i]):
                if FILTERING[i] == "endpoint-independent":
                    self.assertEqual(done.get(self.overlay[f"b{i}"]), host("b", i))
                    self.assertEqual(ping, 0)
                    self.assertIn(flow, both_ways(seen))
                else:
                    self.assertNotIn(self.overlay[f"b{i}"], done)
                    self.assertNotEqual(ping, 0)
                    self.assertIn(flow, seen, "a's handshakes reached b's firewall")
                    self.assertNotIn(flow[2:] + flow[:2], seen, "b never answered")


if __name__ == "__main__":
    unittest.main()
