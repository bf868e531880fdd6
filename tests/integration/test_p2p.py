"""Real NAT-traversal software across natlab's NATs.

The program is Debian's nebula (not written here): each peer registers with a
lighthouse on the public side, asks it where the other peer is, and both
punch (punchy). Relays are off, so a tunnel is a direct path. Two witnesses
judge each pair: nebula's own log (the handshake completed, and with which
address) and tcpdump on the internet router (one UDP flow seen in both
directions between the two NATs' outside addresses).

Expected outcomes are the literature's for real NATs of those types (RFC 5128
section 3.3, RFC 4787 section 4): hole punching works when both mappings are
endpoint-independent, and when a symmetric NAT's peer filters
endpoint-independently (its new port gets in); a symmetric NAT facing a
port-restricted cone or another symmetric NAT defeats it.
Linux masquerade behind a firewall behaves as a port-restricted cone.
"""
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from natlab_test import LabTestCase, in_netns, wait_for

NEBULA = shutil.which("nebula")
NEBULA_CERT = shutil.which("nebula-cert")
SLOW = float(os.environ.get("NATLAB_SLOW", "1"))

LAB = """
name: p2p
nodes:
  c0: {routes: {default: nat0}}
  c1: {routes: {default: nat1}}
  nat0: {kind: nat, outside: wan, type: TYPE0, routes: {default: internet}}
  nat1: {kind: nat, outside: wan, type: TYPE1, routes: {default: internet}}
  internet: {kind: router}
  lighthouse: {routes: {default: internet}}
links:
  - {endpoints: [nat0:lan, c0:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [nat1:lan, c1:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [internet:to-nat0, nat0:wan 100.64.1.100], subnet: 100.64.1.0/24}
  - {endpoints: [internet:to-nat1, nat1:wan 100.64.2.100], subnet: 100.64.2.0/24}
  - {endpoints: [internet:to-lh, lighthouse:eth0 100.64.9.2], subnet: 100.64.9.0/24}
"""
NAT0, NAT1 = "100.64.1.100", "100.64.2.100"
OVERLAY = {"lighthouse": "192.168.100.1", "c0": "192.168.100.2", "c1": "192.168.100.3"}

CONFIG = """
pki: {{ca: {dir}/ca.crt, cert: {dir}/{node}.crt, key: {dir}/{node}.key}}
static_host_map: {{"192.168.100.1": ["100.64.9.2:4242"]}}
lighthouse: {{am_lighthouse: {am_lighthouse}, interval: 1, hosts: {hosts}}}
listen: {{host: 0.0.0.0, port: 4242}}
punchy: {{punch: true, respond: true, delay: 1s}}
relay: {{am_relay: false, use_relays: false}}
tun: {{dev: nebula1}}
logging: {{level: info, format: json}}
firewall:
  outbound: [{{port: any, proto: any, host: any}}]
  inbound: [{{port: any, proto: any, host: any}}]
"""

def handshakes(log_path):
    """The peers nebula completed a handshake with, from its log: {overlay ip: underlay ip}."""
    done = {}
    with open(log_path) as f:
        for line in f:
            entry = json.loads(line) if line.startswith("{") else {}
            if entry.get("msg") == "Handshake message received" and entry.get("handshake", {}).get("stage") == 2:
                done[entry["vpnIp"]] = entry["udpAddr"]["ip"]
    return done


def flows_between(dump, a, b):
    """UDP flows tcpdump printed between addresses a and b: a set of (src, sport, dst, dport)."""
    flows = set()
    for line in dump.splitlines():
        parts = line.split()
        if "IP" not in parts or ">" not in parts:
            continue
        src, dst = parts[parts.index("IP") + 1], parts[parts.index(">") + 1].rstrip(":")
        (sip, sport), (dip, dport) = src.rsplit(".", 1), dst.rsplit(".", 1)
        if {sip, dip} == {a, b}:
            flows.add((sip, sport, dip, dport))
    return flows


def both_ways(flows):
    return {f for f in flows if (f[2], f[3], f[0], f[1]) in flows}


class RealHolePunching(LabTestCase):
    @classmethod
    def setUpClass(cls):
        if not (NEBULA and NEBULA_CERT):
            raise RuntimeError("nebula is not installed: scripts/setup installs it")
        cls.pki = tempfile.mkdtemp(prefix="natlab-nebula-")
        subprocess.run([NEBULA_CERT, "ca", "-name", "natlab-test", "-out-crt", f"{cls.pki}/ca.crt",
                        "-out-key", f"{cls.pki}/ca.key"], check=True, capture_output=True)
        for node, ip in OVERLAY.items():
            subprocess.run([NEBULA_CERT, "sign", "-name", node, "-ip", ip + "/24", "-ca-crt", f"{cls.pki}/ca.crt",
                            "-ca-key", f"{cls.pki}/ca.key", "-out-crt", f"{cls.pki}/{node}.crt",
                            "-out-key", f"{cls.pki}/{node}.key"], check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.pki)


    def start_nebula(self, lab, node):
        config = os.path.join(self.pki, f"{lab}-{node}.yml")
        lighthouse = node == "lighthouse"
        with open(config, "w") as f:
            f.write(CONFIG.format(dir=self.pki, node=node, am_lighthouse=str(lighthouse).lower(),
                                  hosts="[]" if lighthouse else '["192.168.100.1"]'))
        log = os.path.join(self.pki, f"{lab}-{node}.log")
        with open(log, "w") as out:
            self.background(f"{lab}-{node}", NEBULA, "-config", config, stdout=out, stderr=subprocess.STDOUT)
        return log

    def punch(self, type0, type1):
        """Runs nebula across the pair; returns (c0's handshakes, flows seen between the NATs, ping's exit)."""
        lab = self.create_from_text(LAB.replace("TYPE0", type0).replace("TYPE1", type1), "it-p2p")
        self.start_nebula(lab, "lighthouse")
        logs = {node: self.start_nebula(lab, node) for node in ("c0", "c1")}
        # Both peers have told the lighthouse where they are before c0 asks.
        for node, log in logs.items():
            if not wait_for(lambda: OVERLAY["lighthouse"] in handshakes(log), timeout=10 * SLOW):
                with open(log) as f:
                    self.fail(f"{node} never reached the lighthouse; its log ends:\n" + f.read()[-2000:])
        dump, stop_dump = self.background(f"{lab}-internet", "tcpdump", "-l", "-nn", "-i", "to-nat0",
                                          f"udp and host {NAT0} and host {NAT1}", stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True)
        said = [dump.stderr.readline() for _ in range(2)]  # a hint about -v, then "listening on"
        self.assertIn("listening on to-nat0", said[-1])
        ping = subprocess.run(["ip", "netns", "exec", f"{lab}-c0", "ping", "-c", "3", "-i", "0.5", "-w",
                               str(int(8 * SLOW)), OVERLAY["c1"]], capture_output=True)
        time.sleep(0.2)  # the last packets reach tcpdump's output
        stop_dump()
        self.lab = lab
        return handshakes(logs["c0"]), flows_between(dump.stdout.read(), NAT0, NAT1), ping.returncode

    def assert_direct(self, type0, type1):
        done, flows, ping = self.punch(type0, type1)
        self.assertEqual(done.get(OVERLAY["c1"]), NAT1, "nebula's handshake with c1 went straight to nat1")
        self.assertEqual(ping, 0, "pings crossed the tunnel")
        self.assertTrue(both_ways(flows), f"the router saw one UDP flow in both directions: {flows}")

    def assert_no_path(self, type0, type1):
        done, flows, ping = self.punch(type0, type1)
        self.assertNotIn(OVERLAY["c1"], done)
        self.assertNotEqual(ping, 0)
        self.assertTrue(flows, "both peers tried: the router saw their packets")
        self.assertEqual(both_ways(flows), set(), f"but no flow went both ways: {flows}")

    # c0, behind nat0, starts the contact.
    def test_masquerade_and_masquerade_connect_directly(self):
        self.assert_direct("masquerade", "masquerade")

    def test_two_bare_linux_boxes_lose_the_race(self):
        # firewall: false. c0's handshake reaches nat1 before c1 punches
        # (nebula delays its punch by a second): nat1's own stack answers it
        # and conntrack keeps its tuple, the one c1's punch needs, so c1 is
        # given another port that nat0 filters out. The default firewall is
        # what makes the pair above connect.
        self.assert_no_path("masquerade, firewall: false", "masquerade, firewall: false")
        flows = in_netns(f"{self.lab}-nat1", "conntrack", "-L", "-p", "udp", "--orig-src", "10.0.2.2",
                         "--orig-dst", NAT0).stdout
        self.assertRegex(flows, r"dst=100\.64\.2\.100 sport=4242 dport=(?!4242 )\d+", "c1 lost its port")

    def test_full_cone_and_full_cone_connect_directly(self):
        self.assert_direct("full-cone", "full-cone")

    def test_port_restricted_and_port_restricted_connect_directly(self):
        self.assert_direct("port-restricted-cone", "port-restricted-cone")

    def test_symmetric_and_full_cone_connect_directly(self):
        self.assert_direct("symmetric", "full-cone")

    def test_symmetric_and_port_restricted_find_no_direct_path(self):
        self.assert_no_path("symmetric", "port-restricted-cone")

    def test_symmetric_and_symmetric_find_no_direct_path(self):
        self.assert_no_path("symmetric", "symmetric")

if __name__ == "__main__":
    unittest.main()
