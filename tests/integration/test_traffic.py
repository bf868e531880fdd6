"""natlab traffic: two hosts behind two NATs talk either straight between
their NATs' public endpoints (they punch through full cones) or through a
relay the test runs on a third node; traffic tells the two apart from what
the NATs' conntrack counts, and names the relay."""
import json
import unittest

from nat_packets import UDP_PEER, UDP_SEND, finish, run, start
from natlab_test import LabTestCase, natlab

TOPOLOGY = """
name: traffic
nodes:
  ha: {routes: {default: nat-a}}
  hb: {routes: {default: nat-b}}
  nat-a: {kind: nat, type: full-cone, outside: wan, routes: {default: internet}}
  nat-b: {kind: nat, type: full-cone, outside: wan, routes: {default: internet}}
  internet: {kind: router}
  relay: {routes: {default: internet}}
links:
  - {endpoints: [nat-a:lan, ha:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [nat-b:lan, hb:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [internet:to-a, nat-a:wan 100.64.1.100], subnet: 100.64.1.0/24}
  - {endpoints: [internet:to-b, nat-b:wan 100.64.2.100], subnet: 100.64.2.0/24}
  - {endpoints: [internet:to-relay, relay:eth0 100.64.9.2], subnet: 100.64.9.0/24}
"""

# A relay as a TURN server is one: whatever one registered peer sends goes to
# the other. Each peer first says "hello", then the relay passes on.
RELAY = r"""
import os, socket, sys
slow = float(os.environ.get("NATLAB_SLOW", "1"))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 3478))
print("ready", flush=True)
s.settimeout(4 * slow)
peers = []
try:
    while True:
        data, peer = s.recvfrom(2048)
        if peer not in peers:
            peers.append(peer)
        for other in peers:
            if other != peer:
                s.sendto(data, other)
except socket.timeout:
    pass
"""


class Traffic(LabTestCase):
    def setUp(self):
        self.lab = self.create_from_text(TOPOLOGY, "it-traffic")

    def report(self):
        return json.loads(natlab("traffic", self.lab, "--json").stdout)

    def pair(self, report):
        pairs = [p for p in report["pairs"] if (p["a"], p["b"]) == ("ha", "hb")]
        self.assertEqual(len(pairs), 1, report)
        return pairs[0]

    def test_peers_that_punch_through_talk_directly(self):
        # Each sends to the other's public endpoint: ha's first packets open
        # its full cone (nat-b drops them: hb has sent nothing yet), hb's get
        # in, and ha's next ones too.
        a, _ = start(f"{self.lab}-ha", UDP_PEER, 4000, 2, "100.64.2.100:4001")
        b, _ = start(f"{self.lab}-hb", UDP_PEER, 4001, 2, "100.64.1.100:4000")
        run(f"{self.lab}-ha", UDP_SEND, 4000, "100.64.2.100", 4001, "again")
        self.assertIn("100.64.2.100:4001 hello", finish(a))
        self.assertIn("100.64.1.100:4000 again", finish(b))
        pair = self.pair(self.report())
        self.assertEqual(pair["verdict"], "direct")
        self.assertEqual(pair["through"], {})
        for way in ("a_to_b", "b_to_a"):
            self.assertGreaterEqual(pair["direct"][way]["packets"], 3, pair)
            self.assertGreater(pair["direct"][way]["bytes"], 3 * 28, pair)
        text = natlab("traffic", self.lab).stdout
        self.assertIn("  ha <-> hb: direct\n      direct, as delivered: ha -> hb ", text)
        self.assertIn("udp ha 100.64.1.100:4000 <-> hb via nat-b 100.64.2.100:4001: ", text)

    def test_peers_that_only_meet_at_a_relay_talk_through_it(self):
        relay, ready = start(f"{self.lab}-relay", RELAY)
        self.assertEqual(ready, "ready")
        a, _ = start(f"{self.lab}-ha", UDP_PEER, 4000, 2, "100.64.9.2:3478")
        b, _ = start(f"{self.lab}-hb", UDP_PEER, 4001, 2, "100.64.9.2:3478")
        run(f"{self.lab}-ha", UDP_SEND, 4000, "100.64.9.2", 3478, "relayed")
        self.assertIn("100.64.9.2:3478 hello", finish(a))  # hb's hellos, passed on
        self.assertIn("100.64.9.2:3478 relayed", finish(b))
        relay.kill()
        relay.communicate()
        pair = self.pair(self.report())
        self.assertEqual(pair["verdict"], "through relay")
        self.assertEqual(pair["direct"], {"a_to_b": {"packets": 0, "bytes": 0},
                                          "b_to_a": {"packets": 0, "bytes": 0}})
        self.assertGreaterEqual(pair["through"]["relay"]["packets"], 6, pair)
        self.assertIn("  ha <-> hb: through relay\n      through relay: ", natlab("traffic", self.lab).stdout)

    def test_a_lab_where_nobody_talked_says_so(self):
        self.assertEqual(natlab("traffic", self.lab).stdout,
                         "pairs of hosts: none (no two hosts have talked lately)\nflows: none tracked\n")


if __name__ == "__main__":
    unittest.main()
