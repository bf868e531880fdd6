"""labs/netns-tutorial.yaml, the lesson of docs/netns-tutorial.md, checked with real UDP packets:
site A's full cone forwards UDP 4000 to a1 for anyone, site B's restricted cone forwards it to b1
only for addresses b1 has sent to, and every node runs its container."""
import unittest

from nat_packets import UDP_PEER, UDP_SEND, finish, run, start
from natlab_test import PYTHON, LabTestCase, lab_file, natlab, unique_name

SITE_A, SITE_B, STRANGER = "198.51.100.10", "203.0.113.20", "192.0.2.2"

# Sends "hello" from UDP 4000 to a destination, as `nc -u -p 4000` does in the lesson.
SEND_FROM_4000 = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 4000))
for _ in range(3):
    s.sendto(b"hello", (sys.argv[1], int(sys.argv[2])))
"""


class NetnsTutorial(LabTestCase):
    @classmethod
    def setUpClass(cls):
        # One lab for the whole lesson (its six containers take a moment to
        # start), removed after the last test, also when one fails.
        cls.lab = unique_name("nt-tut")
        cls.addClassCleanup(cls.clean)
        natlab("create", "-q", "--name", cls.lab, lab_file("netns-tutorial.yaml"), timeout=120)

    @classmethod
    def clean(cls):
        natlab("clean", "-q", cls.lab, timeout=120)
        cls().assert_nothing_left(cls.lab)

    def ns(self, node):
        return f"{self.lab}-{node}"

    def received(self, host, sender, address, port):
        """What `host`'s UDP 4000 receives while `sender` sends from `port` to address:4000."""
        peer, first = start(self.ns(host), UDP_PEER, 4000, 1.5)
        self.assertEqual(first, "sent")
        run(self.ns(sender), UDP_SEND, port, address, 4000, f"{sender}-{port}")
        return set(finish(peer))

    def test_every_node_runs_its_container(self):
        for node in ("a1", "b1", "nat-a", "nat-b", "internet", "stranger"):
            with self.subTest(node=node):
                self.assertEqual(natlab("exec", self.lab, node, "--", "hostname").stdout.strip(),
                                 f"{self.lab}-{node}")

    def test_status_finds_the_lab_as_declared(self):
        status = natlab("status", self.lab).stdout
        self.assertEqual(status.count("nftables rules: as declared"), 2, status)

    def test_the_full_cone_lets_anyone_reach_a1(self):
        self.assertEqual(self.received("a1", "stranger", SITE_A, 5555), {f"{STRANGER}:5555 stranger-5555"})

    def test_the_restricted_cone_lets_in_only_whom_b1_has_sent_to(self):
        self.assertEqual(self.received("b1", "stranger", SITE_B, 5556), set())
        # b1 sends to the stranger from inside its container, to a port where nothing listens.
        natlab("exec", self.lab, "b1", "--", PYTHON, "-c", SEND_FROM_4000, STRANGER, "9")
        # Now any port of the stranger's address gets in.
        self.assertEqual(self.received("b1", "stranger", SITE_B, 5557), {f"{STRANGER}:5557 stranger-5557"})
        mappings = natlab("mappings", self.lab, "nat-b").stdout
        self.assertIn(f"allowed in: any port of {STRANGER}", mappings)
        rules = natlab("rules", self.lab, "nat-b").stdout
        self.assertIn('"forward: udp/4000: b1:4000 filtered (address-dependent: only addresses the target sent to)"',
                      rules)

    def test_a1_and_b1_talk_through_both_nats(self):
        # b1 sends to site A: a1's full cone lets it in. a1 answers from the same port, which
        # both NATs take for replies: b1 gets it.
        a1, first = start(self.ns("a1"), UDP_PEER, 4000, 2.0)
        self.assertEqual(first, "sent")
        b1, first = start(self.ns("b1"), UDP_PEER, 4000, 2.0, f"{SITE_A}:4000")
        self.assertEqual(first, "sent")
        run(self.ns("a1"), UDP_SEND, 4000, SITE_B, 4000, "from-a1")
        self.assertIn(f"{SITE_B}:4000 hello", finish(a1))
        self.assertIn(f"{SITE_A}:4000 from-a1", finish(b1))

if __name__ == "__main__":
    unittest.main()
