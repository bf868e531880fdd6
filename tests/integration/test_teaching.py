"""Seeing what a NAT does: watch, mappings, punch, matrix.

Witnesses: real UDP exchanges through the NATs, `conntrack -D` (conntrack-
tools) to delete a flow behind natlab's back, and a hole-punching table
written here from the literature, not taken from natlab's own theory.
"""
import json
import re
import signal
import subprocess
import time

from nat_packets import UDP_PEER, UDP_SEND, run
from natlab_test import NATLAB, PYTHON, LabTestCase, lab_file, natlab, udp_exchange, unique_name, wait_for

# Two NATs of each of two types, a host behind each (the matrix needs other types too; it builds its own lab).
PAIRS = """
name: pairs
nodes:
  internet: {kind: router}
  nat-f1: {kind: nat, type: full-cone, outside: wan, routes: {default: internet}}
  nat-f2: {kind: nat, type: full-cone, outside: wan, routes: {default: internet}}
  nat-s1: {kind: nat, type: symmetric, outside: wan, routes: {default: internet}}
  nat-s2: {kind: nat, type: symmetric, outside: wan, routes: {default: internet}}
  f1: {routes: {default: nat-f1}}
  f2: {routes: {default: nat-f2}}
  s1: {routes: {default: nat-s1}}
  s2: {routes: {default: nat-s2}}
links:
  - {endpoints: [nat-f1:lan, f1:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [nat-f2:lan, f2:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [nat-s1:lan, s1:eth0], subnet: 10.0.3.0/24}
  - {endpoints: [nat-s2:lan, s2:eth0], subnet: 10.0.4.0/24}
  - {endpoints: [internet:f1, nat-f1:wan], subnet: 100.64.1.0/24}
  - {endpoints: [internet:f2, nat-f2:wan], subnet: 100.64.2.0/24}
  - {endpoints: [internet:s1, nat-s1:wan], subnet: 100.64.3.0/24}
  - {endpoints: [internet:s2, nat-s2:wan], subnet: 100.64.4.0/24}
"""

# The classic hole-punching table (e.g. RFC 5128 section 3.3 and the
# literature on NAT traversal): full cone works with everything; symmetric
# fails with symmetric and with port-restricted cone; all else works.
TYPES = ["full-cone", "restricted-cone", "port-restricted-cone", "symmetric"]
FAILING = {("port-restricted-cone", "symmetric"), ("symmetric", "port-restricted-cone"), ("symmetric", "symmetric")}


class WatchAndMappings(LabTestCase):
    def setUp(self):
        self.lab = self.create(lab_file("two-nat.yaml"), unique_name("it-teach"))

    def test_watch_json_reports_new_and_update_of_a_real_exchange(self):
        watch = subprocess.Popen([NATLAB, "watch", self.lab, "nat0", "--json", "--protocol", "udp", "--count", "2"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: watch.poll() is None and watch.kill())
        self.assertIn("watching the conntrack table of nat0", watch.stderr.readline())
        source, code = udp_exchange(f"{self.lab}-internet", "100.64.1.1", f"{self.lab}-c0", port=40123)
        self.assertEqual(code, 0)
        host, port = source.split(":")
        self.assertEqual(host, "100.64.1.100", "the server sees the NAT's public address")
        out, _ = watch.communicate(timeout=10)
        events = [json.loads(line) for line in out.splitlines()]
        self.assertEqual([e["event"] for e in events], ["NEW", "UPDATE"])
        new, update = events
        self.assertEqual(new["protocol"], "udp")
        self.assertEqual(new["original"]["dst"], "100.64.1.1:40123")
        self.assertTrue(new["original"]["src"].startswith("10.0.1.2:"))
        self.assertEqual(new["reply"], {"src": "100.64.1.1:40123", "dst": source})
        self.assertFalse(new["replied"])
        self.assertEqual(new["translation"], {"inside": new["original"]["src"], "outside": source,
                                              "remote": "100.64.1.1:40123", "direction": "outbound"})
        self.assertEqual(new["meaning"], f"c0 {new['original']['src']} is now mapped to {source} for internet "
                                         f"100.64.1.1:40123; no reply yet; forgotten in {new['timeout']} s")
        self.assertTrue(update["replied"])
        self.assertEqual(update["original"], new["original"])
        self.assertIn(f"internet 100.64.1.1:40123 answered c0 {new['original']['src']} through its mapping "
                      f"{source}", update["meaning"])

    def test_watch_ends_cleanly_on_ctrl_c(self):
        watch = subprocess.Popen([NATLAB, "watch", self.lab, "nat0"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        watch.stderr.readline()
        watch.send_signal(signal.SIGINT)
        out, err = watch.communicate(timeout=5)
        self.assertEqual((watch.returncode, out, err), (0, "", ""))

    def test_mappings_list_a_live_mapping_until_the_flow_is_deleted(self):
        # c0 talks to the internet router from a fixed port; the reply makes it a two-way flow.
        source, code = udp_exchange(f"{self.lab}-internet", "100.64.1.1", f"{self.lab}-c0", port=40124)
        self.assertEqual(code, 0)
        table = json.loads(natlab("mappings", self.lab, "nat0", "--json").stdout)
        self.assertEqual(table["nat"], "nat0")
        rows = [m for m in table["mappings"] if m["outside"] == source]
        self.assertEqual(len(rows), 1, table)
        row = rows[0]
        self.assertEqual((row["protocol"], row["inside_node"]), ("udp", "c0"))
        self.assertTrue(row["inside"].startswith("10.0.1.2:"))
        self.assertEqual([(p["remote"], p["node"], p["replied"]) for p in row["peers"]],
                         [("100.64.1.1:40124", "internet", True)])
        self.assertEqual(row["allowed_in"], "only 100.64.1.1:40124")
        self.assertGreater(row["time_left"], 0)
        text = natlab("mappings", self.lab, "nat0").stdout
        self.assertIn(f"udp c0 {row['inside']} -> {source}", text)
        # Delete the flow with conntrack-tools, as an independent hand.
        subprocess.run(["ip", "netns", "exec", f"{self.lab}-nat0", "conntrack", "-D", "-p", "udp",
                        "--dport", "40124"], check=True, capture_output=True)
        table = json.loads(natlab("mappings", self.lab, "nat0", "--json").stdout)
        self.assertEqual([m for m in table["mappings"] if m["outside"] == source], [])
        self.assertIn("no mappings", natlab("mappings", self.lab, "nat0").stdout)

    def test_mappings_name_each_peer_by_what_it_is_seen_from_the_nat(self):
        # c0 sends to nat1's public address, and to c1's private one, which
        # nothing leaving nat0's outside can reach (the internet router has no
        # route to it); neither answers.
        run(f"{self.lab}-c0", UDP_SEND, 5000, "100.64.2.100", 4000, "hi")
        run(f"{self.lab}-c0", UDP_SEND, 5001, "10.0.2.2", 4000, "hi")
        text = natlab("mappings", self.lab, "nat0").stdout
        peers = sorted(re.sub(r"forgotten in \d+ s", "forgotten in N s", line) for line in text.splitlines()
                       if line.startswith("    peer "))
        self.assertEqual(peers, [
            "    peer 10.0.2.2:4000 (c1, behind nat1: unreachable from nat0's outside): no reply yet, "
            "flow forgotten in N s",
            "    peer c1 via nat1 100.64.2.100:4000: no reply yet, flow forgotten in N s"], text)
        table = json.loads(natlab("mappings", self.lab, "nat0", "--json").stdout)
        peers = sorted((m["inside"], m["inside_node"], p["remote"], p["node"], p["name"], p["via"], p["behind"],
                        p["reachable"]) for m in table["mappings"] for p in m["peers"])
        self.assertEqual(peers, [("10.0.1.2:5000", "c0", "100.64.2.100:4000", "nat1", "c1 via nat1", "nat1", None, True),
                                 ("10.0.1.2:5001", "c0", "10.0.2.2:4000", "c1", "c1", None, "nat1", False)])

    def test_every_command_answers_a_wrong_node_alike(self):
        nodes = "its nodes are c0, c1, nat0, nat1, internet"
        wrong = {
            ("exec", self.lab, "c9", "--", "true"): f"natlab exec: lab {self.lab} has no node 'c9'; {nodes}; "
                                                    "did you mean 'c0' or 'c1'?",
            ("shell", self.lab, "nat"): f"natlab shell: lab {self.lab} has no node 'nat'; {nodes}; "
                                        "did you mean 'nat0' or 'nat1'?",
            ("watch", self.lab, "c9"): f"natlab watch: lab {self.lab} has no node 'c9'; {nodes}; "
                                       "did you mean 'c0' or 'c1'?",
            ("probe", self.lab, "c9"): f"natlab: lab {self.lab} has no node 'c9' to use as the probe client; "
                                       f"{nodes}; did you mean 'c0' or 'c1'?",
            ("punch", self.lab, "c0", "nat1"): f"natlab punch: 'nat1' is not a host of lab {self.lab}; "
                                               "its hosts are c0, c1",
            ("punch", self.lab, "c0", "c2"): f"natlab punch: lab {self.lab} has no node 'c2'; "
                                             "its hosts are c0, c1; did you mean 'c0' or 'c1'?",
            ("mappings", self.lab, "nat2"): f"natlab: lab {self.lab} has no node 'nat2'; only NAT nodes have "
                                            "mappings; its NAT nodes are nat0, nat1; did you mean 'nat0' or 'nat1'?",
        }
        for args, message in wrong.items():
            proc = natlab(*args, check=False)
            self.assertEqual((proc.returncode, proc.stderr), (2, message + "\n"), args)

    def test_every_command_answers_a_wrong_lab_alike(self):
        for args in (("exec", "no-such-lab", "c0", "--", "true"), ("watch", "no-such-lab", "c0"),
                     ("mappings", "no-such-lab", "nat0"), ("punch", "no-such-lab", "c0", "c1"),
                     ("probe", "no-such-lab", "c0"), ("status", "no-such-lab"), ("traffic", "no-such-lab")):
            proc = natlab(*args, check=False)
            self.assertEqual(proc.returncode, 2, args)
            self.assertRegex(proc.stderr, r"^natlab: no lab named 'no-such-lab' on this machine; its labs are "
                                          r"[^\n]*\b" + re.escape(self.lab) + r"\b[^\n]* \(see 'natlab list'\)\n$")
        # One edit away: the lab meant is named.
        typo = self.lab[:-1] + ("x" if self.lab[-1] != "x" else "y")
        proc = natlab("exec", typo, "c0", "--", "true", check=False)
        self.assertIn(f"did you mean '{self.lab}'?", proc.stderr)

    def test_mappings_refuses_a_node_that_is_not_a_nat(self):
        proc = natlab("mappings", self.lab, "c0", check=False)
        self.assertEqual((proc.returncode, proc.stderr),
                         (2, f"natlab: 'c0' is not a nat node of lab {self.lab}; only NAT nodes have mappings; its NAT nodes are nat0, nat1\n"))


class FullConeMappings(LabTestCase):
    def test_a_full_cone_keeps_its_binding_and_lets_anyone_in(self):
        lab = self.create(lab_file("nat-types.yaml"), unique_name("it-teach"))
        source, code = udp_exchange(f"{lab}-server", "203.0.113.2", f"{lab}-c-full", port=40125)
        self.assertEqual(code, 0)
        rows = [m for m in json.loads(natlab("mappings", lab, "nat-full", "--json").stdout)["mappings"]
                if m["outside"] == source]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["allowed_in"], "anyone")
        # Answered at once, the binding lives udp-timeout unreplied (30 s), as its flow does...
        self.assertTrue(20 < rows[0]["binding_expires"] <= 30, rows[0])
        # ...but it is the NAT's own: deleting the flow (conntrack-tools) leaves it in place.
        subprocess.run(["ip", "netns", "exec", f"{lab}-nat-full", "conntrack", "-D", "-p", "udp",
                        "--dport", "40125"], check=True, capture_output=True)
        rows = [m for m in json.loads(natlab("mappings", lab, "nat-full", "--json").stdout)["mappings"]
                if m["outside"] == source]
        self.assertEqual([(r["allowed_in"], r["peers"]) for r in rows], [("anyone", [])])


class Punch(LabTestCase):
    def setUp(self):
        self.lab = self.create_from_text(PAIRS, "it-punch")

    def punch(self, a, b):
        proc = natlab("punch", self.lab, a, b, "--json", check=False)
        return proc.returncode, json.loads(proc.stdout)

    def test_two_full_cone_hosts_connect(self):
        code, result = self.punch("f1", "f2")
        self.assertEqual(code, 0)
        self.assertTrue(result["a_to_b"] and result["b_to_a"] and result["works"])
        self.assertEqual(result["a"]["public"].split(":")[0], "100.64.1.2")
        self.assertIn(result["a"]["public"], result["b"]["heard_from"])
        self.assertIn(result["b"]["public"], result["a"]["heard_from"])

    def test_two_symmetric_hosts_do_not_and_it_says_why(self):
        code, result = self.punch("s1", "s2")
        self.assertEqual(code, 4)
        self.assertFalse(result["a_to_b"] or result["b_to_a"])
        self.assertEqual(result["expected"], False)
        mapped, seen = result["a"]["mapped_toward_peer"], result["a"]["public"]
        b_mapped, b_seen = result["b"]["mapped_toward_peer"], result["b"]["public"]
        self.assertNotEqual(mapped, seen, "a symmetric NAT maps the peer's destination anew")
        self.assertNotEqual(b_mapped, b_seen)
        self.assertEqual(result["why_not_a_to_b"],
                         f"nat-s1 gave s1's packets to s2 a mapping of their own: they left from {mapped}, "
                         f"not from {seen} that the rendezvous saw and told s2; s1's packets went to {b_seen}, "
                         f"the mapping nat-s2 opened for the rendezvous (s2's own packets to s1 left from "
                         f"{b_mapped}), which has sent to no one else (declared address-and-port-dependent "
                         f"filtering)")
        text = natlab("punch", self.lab, "s1", "s2", check=False).stdout
        self.assertIn("result: no direct connection (as theory says)", text)

    def test_full_cone_and_symmetric_connect_through_the_peer_reflexive_endpoint(self):
        code, result = self.punch("f1", "s1")
        self.assertEqual(code, 0)
        self.assertNotIn(result["b"]["public"], result["a"]["heard_from"],
                         "f1 hears s1 from the port s1's NAT chose for f1, not the rendezvous' one")


class Matrix(LabTestCase):
    def test_ctrl_c_stops_the_matrix_and_removes_its_lab(self):
        name = unique_name("it-mxc")
        proc = subprocess.Popen([NATLAB, "matrix", "--name", name], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        def matrix_lab_ready():
            return [l for l in json.loads(natlab("list", "--json").stdout) if l["lab"] == name and l["state"] == "ready"]

        self.assertTrue(wait_for(matrix_lab_ready, timeout=10, interval=0.1), "the matrix lab never appeared")
        time.sleep(0.3)  # into the punches
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        self.assertEqual((proc.returncode, err), (1, f"natlab: matrix interrupted; lab {name} removed\n"))
        self.assert_nothing_left(name)

    def test_matrix_matches_the_classic_table(self):
        proc = natlab("matrix", "--json", timeout=120)
        result = json.loads(proc.stdout)
        self.addCleanup(self.assert_nothing_left, result["lab"])
        measured = {(p["a"]["nat_type"], p["b"]["nat_type"]): p["works"] for p in result["pairs"]}
        expected = {(a, b): (a, b) not in FAILING for a in TYPES for b in TYPES}
        self.assertEqual(measured, expected)
        self.assertTrue(result["agrees_with_theory"])
        self.assertEqual(proc.returncode, 0)


class MatrixOfAnyTypes(LabTestCase):
    def test_types_and_name_choose_what_is_compared(self):
        name = unique_name("it-mx")
        self.addCleanup(self.assert_nothing_left, name)
        proc = natlab("matrix", "--types", "full-cone,masquerade+bare,symmetric+sequential", "--name", name,
                      "--json", timeout=120)
        result = json.loads(proc.stdout)
        self.assertEqual(result["lab"], name)
        cells = {(p["a"]["matrix_type"], p["b"]["matrix_type"]): p for p in result["pairs"]}
        self.assertEqual(len(cells), 9)
        # A full cone lets anyone in: it connects with everything (the literature's table).
        for other in ("full-cone", "masquerade+bare", "symmetric+sequential"):
            self.assertTrue(cells[("full-cone", other)]["works"], other)
        # Two bare boxes: whose first packet comes first decides; a sequential symmetric NAT
        # counts as symmetric, since punch predicts no ports.
        self.assertEqual(cells[("masquerade+bare", "masquerade+bare")]["theory"], "a race")
        self.assertIsNone(cells[("masquerade+bare", "masquerade+bare")]["expected"])
        self.assertEqual(cells[("symmetric+sequential", "symmetric+sequential")]["theory"], "fails")
        self.assertFalse(cells[("symmetric+sequential", "symmetric+sequential")]["works"])
        self.assertTrue(result["agrees_with_theory"])

    def test_a_type_it_does_not_know_is_refused_with_the_choices(self):
        name = unique_name("it-mxr")
        proc = natlab("matrix", "--types", "full-cone,symetric", "--name", name, check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertTrue(proc.stderr.startswith("natlab matrix: --types item 'symetric': not a NAT type; did you "
                                               "mean 'symmetric'?; choose from full-cone, "), proc.stderr)
        self.assert_nothing_left(name)
