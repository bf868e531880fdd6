"""A live NAT changed while traffic runs: natlab set on a NAT's keys (seen
by verify, and by a server as a flow's source port), rebind (a server sees
the flow's port change while the inside socket stays the same), flush (seen
by mappings, and by an outsider a full cone admitted before and no longer
does)."""
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
import unittest

from natlab_test import NATLAB, PYTHON, LabTestCase, natlab, netns_list, unique_name

#   c0 --lan-- nat0 --wan-- internet --+-- s0 (the server c0 talks to)
#                                       +-- o1 (an outsider)
LAB = """\
name: live-nat
nodes:
  c0: {kind: host, routes: {default: nat0}}
  nat0: {kind: nat, outside: wan, routes: {default: internet}, type: full-cone}
  internet: {kind: router}
  s0: {kind: host, routes: {default: internet}}
  o1: {kind: host, routes: {default: internet}}
links:
  - {endpoints: [nat0:lan, c0:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [internet:to-nat0, nat0:wan 100.64.1.100], subnet: 100.64.1.0/24}
  - {endpoints: [internet:to-s0, s0:eth0], subnet: 100.64.2.0/24}
  - {endpoints: [internet:to-o1, o1:eth0], subnet: 100.64.3.0/24}
"""
SERVER = "100.64.2.2"
SLOW = float(os.environ.get("NATLAB_SLOW", "1"))  # the stock-kernel guest runs under TCG
EXTERNAL = "100.64.1.100"

# The clock every process here tells times by: the same in every namespace,
# and what /proc/PID/stat counts a process's start in.
def now():
    return time.clock_gettime(time.CLOCK_BOOTTIME)


# Answers every datagram; prints each source endpoint when it changes. It
# runs until it is stopped (argv[1] seconds at most): a machine that stalls
# for a while must not end it before the flow's first datagram.
ECHO = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 7000))
s.settimeout(float(sys.argv[1]))
print("ready", flush=True)
last = None
try:
    while True:
        data, peer = s.recvfrom(100)
        if peer != last:
            print(f"{peer[0]}:{peer[1]}", flush=True)
            last = peer
        s.sendto(data, peer)
except socket.timeout:
    pass
"""

# One socket on port 5000 sends a numbered datagram to the server every
# 50 ms (catching up after a stall): with argv[2] "stdin" until its stdin
# closes, else for argv[2] seconds and on until a datagram sent after them is
# answered (a link taken down comes up again). Then it waits for the answers
# still on their way, until none has come for 3 s times argv[3] (the
# machine's slowness). Prints "answered N" as answers come, "from PEER DATA"
# for anything else, and last a JSON object: how many were sent and
# answered, when the first answer came and when each lost one was sent
# (CLOCK_BOOTTIME), and whether it was answered after argv[2] seconds.
FLOW = r"""
import json, select, socket, sys, time
now = lambda: time.clock_gettime(time.CLOCK_BOOTTIME)
server = (sys.argv[1], 7000)
duration = None if sys.argv[2] == "stdin" else float(sys.argv[2])
quiet, most = 3 * float(sys.argv[3]), 60 * float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 5000))
s.setblocking(False)
start = now()
sent_at, answered = [], set()
first, stopped, heard, recovered = None, None, start, False
while True:
    t = now()
    if stopped is None:
        while start + 0.05 * len(sent_at) <= t:
            sent_at.append(now())
            try:
                s.sendto(str(len(sent_at) - 1).encode(), server)
            except OSError:  # its link is down: no route
                pass
        if duration is not None and t - start >= duration and (recovered or t - start >= duration + most):
            stopped = heard = t
    elif len(answered) == len(sent_at) or t - heard >= quiet:
        break
    watch = [s] + ([sys.stdin] if duration is None and stopped is None else [])
    readable = select.select(watch, [], [], 0.02)[0]
    if sys.stdin in readable and not sys.stdin.readline():
        stopped = heard = now()
    while True:
        try:
            data, peer = s.recvfrom(100)
        except BlockingIOError:
            break
        heard = now()
        if peer != server:
            print("from", f"{peer[0]}:{peer[1]}", data.decode(errors="replace"), flush=True)
            continue
        seq = int(data)
        answered.add(seq)
        first = heard if first is None else first
        recovered = recovered or (duration is not None and sent_at[seq] - start >= duration)
        print("answered", len(answered), flush=True)
print(json.dumps({"sent": len(sent_at), "answered": len(answered), "first_answer_at": first,
                  "lost": [at for seq, at in enumerate(sent_at) if seq not in answered],
                  "recovered": recovered}), flush=True)
"""


class FlowAcrossTheNat:
    """c0's socket 5000 talking to s0 while the test changes the NAT. Once
    made, the flow has been answered: it exists before any change, however
    slowly its processes start."""

    def __init__(self, lab):
        self.changes = []  # (start, end) of each change made through it
        self.server = subprocess.Popen(["ip", "netns", "exec", f"{lab}-s0", PYTHON, "-c", ECHO, "600"],
                                       stdout=subprocess.PIPE, text=True)
        assert self.server.stdout.readline().strip() == "ready"
        self.client = subprocess.Popen(["ip", "netns", "exec", f"{lab}-c0", PYTHON, "-c", FLOW, SERVER, "stdin",
                                        str(SLOW)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.lines, self.answered, self.ended = [], 0, False
        self.heard = threading.Condition()
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()
        self.wait_for_answers(1)

    def read(self):
        for line in self.client.stdout:
            with self.heard:
                if line.startswith("answered "):
                    self.answered = int(line.split()[1])
                else:
                    self.lines.append(line.rstrip("\n"))
                self.heard.notify_all()
        with self.heard:
            self.ended = True
            self.heard.notify_all()

    def wait_for_answers(self, more):
        """Until `more` more datagrams are answered: the flow goes on."""
        with self.heard:
            target = self.answered + more
            self.heard.wait_for(lambda: self.answered >= target or self.ended, timeout=60 * SLOW)
            assert self.answered >= target, f"the flow was answered {self.answered} times, not {target}: {self.lines}"

    def wait_for_line(self, line):
        """Until the client got `line` ("from PEER DATA")."""
        with self.heard:
            self.heard.wait_for(lambda: line in self.lines or self.ended, timeout=60 * SLOW)
            assert line in self.lines, f"the flow never got {line!r}: {self.lines}"

    def change(self, *args):
        """natlab ARGS, timed: what the flow loses meanwhile is the change's."""
        start = now()
        proc = natlab(*args, timeout=120 * SLOW)
        self.changes.append((start, now()))
        return proc

    def finish(self):
        """(the source endpoints the server saw in turn, the client's lines
        but its last, what its last says)"""
        self.client.stdin.close()
        self.client.wait(timeout=120 * SLOW)
        self.reader.join(timeout=60)
        self.server.terminate()
        sources = self.server.communicate(timeout=60)[0].splitlines()
        return sources, self.lines[:-1], json.loads(self.lines[-1])


def lost_only_while_changing(test, flow, result):
    """Every datagram the flow lost was sent while a change was made, or so
    shortly before that its answer was still on the way (a slow machine
    answers late): the flow goes on through each change."""
    margin = 1.0 * SLOW
    stray = [at for at in result["lost"]
             if not any(start - margin <= at <= end + margin for start, end in flow.changes)]
    test.assertEqual(stray, [], f"datagrams lost outside the changes {flow.changes}: {result}")
    test.assertGreater(result["answered"], 0, result)


class LiveNat(LabTestCase):
    def setUp(self):
        self.lab = self.create_from_text(LAB, "lv-ln")

    def test_set_type_is_seen_by_verify_and_bad_keys_change_nothing(self):
        out = natlab("set", self.lab, "nat0", "type=symmetric").stdout
        self.assertEqual(out, "nat0 is symmetric (address-and-port-dependent mapping, "
                              "address-and-port-dependent filtering) at 100.64.1.100; live bindings kept\n")
        proc = natlab("verify", self.lab, "--json", "--quick", "--timeout", "300", check=False, timeout=120)
        nat = json.loads(proc.stdout)["nats"][0]
        self.assertEqual((proc.returncode, nat["mismatches"]), (0, []), proc.stdout)
        self.assertEqual(nat["measured"]["mapping"], "address-and-port-dependent")
        self.assertTrue(json.loads(natlab("status", self.lab, "--json").stdout)["healthy"])
        bad = natlab("set", self.lab, "nat0", "type=fullcone", check=False)
        self.assertEqual((bad.returncode, bad.stderr),
                         (2, "natlab: unknown NAT type 'fullcone' of nat node 'nat0'; use one of full-cone, "
                             "restricted-cone, port-restricted-cone, symmetric, masquerade; did you mean "
                             "'full-cone'?\n"))
        bad = natlab("set", self.lab, "c0", "type=full-cone", check=False)
        self.assertEqual((bad.returncode, bad.stderr),
                         (2, f"natlab: 'c0' is not a nat node of lab {self.lab}; only NAT nodes have NAT keys "
                             "(a link end is NODE:IFACE); its NAT nodes are nat0\n"))
        rules = subprocess.run(["ip", "netns", "exec", f"{self.lab}-nat0", "nft", "list", "table", "ip", "natlab"],
                               capture_output=True, text=True, check=True).stdout
        self.assertNotIn("map eim", rules)  # still symmetric: the refused changes did nothing

    def test_set_keeps_or_drops_the_live_bindings_as_told(self):
        flow = FlowAcrossTheNat(self.lab)
        flow.change("set", self.lab, "nat0", "type=restricted-cone")  # --bindings keep
        flow.wait_for_answers(5)
        flow.change("set", self.lab, "nat0", "type=symmetric", "--bindings", "drop")
        flow.wait_for_answers(5)
        sources, _, result = flow.finish()
        # Kept: the same port through the first change; dropped: the flow is
        # new to a symmetric NAT, which picks a random port.
        self.assertEqual(len(sources), 2, sources)
        self.assertEqual(sources[0], f"{EXTERNAL}:5000")
        self.assertNotEqual(sources[1], sources[0])
        lost_only_while_changing(self, flow, result)
        self.assertTrue(json.loads(natlab("status", self.lab, "--json").stdout)["healthy"])

    def test_a_new_external_address_is_what_the_server_sees_next(self):
        flow = FlowAcrossTheNat(self.lab)
        out = flow.change("set", self.lab, "nat0", "address=100.64.1.50").stdout
        self.assertEqual(out, "nat0 is full-cone (endpoint-independent mapping, endpoint-independent filtering) "
                              "at 100.64.1.50; live bindings dropped\n")
        flow.wait_for_answers(5)
        sources, _, result = flow.finish()
        self.assertEqual([s.split(":")[0] for s in sources], [EXTERNAL, "100.64.1.50"], sources)
        lost_only_while_changing(self, flow, result)
        wan = json.loads(subprocess.run(["ip", "-j", "-n", f"{self.lab}-nat0", "addr", "show", "wan"],
                                        capture_output=True, text=True, check=True).stdout)[0]
        self.assertEqual([a["local"] for a in wan["addr_info"] if a["family"] == "inet"], ["100.64.1.50"])
        self.assertTrue(json.loads(natlab("status", self.lab, "--json").stdout)["healthy"])
        taken = natlab("set", self.lab, "nat0", "address=100.64.1.1", check=False)
        self.assertEqual((taken.returncode, taken.stderr),
                         (2, "natlab: that address is internet:to-nat0's (100.64.1.1/24); choose one no node "
                             "of the lab holds\n"))

    def test_rules_refused_after_a_new_address_leave_the_old_address_and_routes(self):
        ns = f"{self.lab}-nat0"
        subprocess.run(["ip", "netns", "exec", ns, "nft", "delete", "table", "ip", "natlab"], check=True)
        proc = natlab("set", self.lab, "nat0", "address=100.64.1.50", check=False)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertTrue(proc.stderr.endswith(
            "\nnothing changed; if the NAT's table was changed by hand, put it back with "
            f"'natlab rules {self.lab} nat0 --reload' and set again\n"), proc.stderr)
        wan = json.loads(subprocess.run(["ip", "-j", "-n", ns, "addr", "show", "wan"],
                                        capture_output=True, text=True, check=True).stdout)[0]
        self.assertEqual([a["local"] for a in wan["addr_info"] if a["family"] == "inet"], [EXTERNAL])
        routes = json.loads(subprocess.run(["ip", "-j", "-n", ns, "route", "show", "default"],
                                           capture_output=True, text=True, check=True).stdout)
        self.assertEqual([r["gateway"] for r in routes], ["100.64.1.1"])
        natlab("rules", self.lab, "nat0", "--reload")
        self.assertTrue(json.loads(natlab("status", self.lab, "--json").stdout)["healthy"])
        self.assertIn("at 100.64.1.50; live bindings dropped", natlab("set", self.lab, "nat0", "address=100.64.1.50").stdout)

    def test_rebind_moves_a_live_flow_to_a_new_port_and_holds_the_old_one(self):
        flow = FlowAcrossTheNat(self.lab)
        out = flow.change("rebind", self.lab, "nat0", "--inside", "c0:5000").stdout
        self.assertEqual(out, "udp 10.0.1.2:5000: external port 5000 given up (1 flow); "
                              "its next packet gets another\n")
        flow.wait_for_answers(5)  # on its new port
        # The outsider sends to the old port: the full cone no longer maps it to c0.
        send_to(self.lab, "o1", EXTERNAL, 5000, "stale")
        flow.wait_for_answers(5)
        sources, client, result = flow.finish()
        self.assertEqual(len(sources), 2, sources)
        self.assertEqual(sources[0], f"{EXTERNAL}:5000")
        new_port = int(sources[1].split(":")[1])
        self.assertNotEqual(new_port, 5000)
        self.assertNotIn("from 100.64.3.2:6000 stale", client)
        lost_only_while_changing(self, flow, result)  # one socket, answered on its new port
        self.assertIn(f"-> {EXTERNAL}:{new_port}", natlab("mappings", self.lab, "nat0").stdout)
        nothing = natlab("rebind", self.lab, "nat0", "--inside", "c0:5001").stdout
        self.assertEqual(nothing, "nat0 holds no live mapping of c0:5001; nothing moved\n")

    def test_flush_forgets_every_binding_a_full_cone_admitted_outsiders_through(self):
        flow = FlowAcrossTheNat(self.lab)
        send_to(self.lab, "o1", EXTERNAL, 5000, "before")  # full cone: admitted
        flow.wait_for_line("from 100.64.3.2:6000 before")
        self.assertIn("-> 100.64.1.100:5000", natlab("mappings", self.lab, "nat0").stdout)
        out = flow.change("flush", self.lab, "nat0").stdout
        self.assertEqual(out, "nat0 forgot 2 flows and every binding\n")
        mappings = natlab("mappings", self.lab, "nat0").stdout
        flow.wait_for_answers(5)
        sources, client, result = flow.finish()
        # The flow's next packet made a new mapping (the port was free again);
        # an outsider's packet sent after flush and before it was refused.
        self.assertTrue("no mappings" in mappings or "peer o1" not in mappings, mappings)
        lost_only_while_changing(self, flow, result)

    def test_flush_leaves_nothing_for_an_outsider_when_no_one_sends_again(self):
        FlowAcrossTheNat(self.lab).finish()
        natlab("flush", self.lab, "nat0")
        self.assertIn("no mappings", natlab("mappings", self.lab, "nat0").stdout)
        receiver = subprocess.Popen(["ip", "netns", "exec", f"{self.lab}-c0", PYTHON, "-c", RECEIVE, "1.5"],
                                    stdout=subprocess.PIPE, text=True)
        assert receiver.stdout.readline().strip() == "ready"
        send_to(self.lab, "o1", EXTERNAL, 5000, "after")
        self.assertEqual(receiver.communicate(timeout=10)[0], "")


# Run by natlab run: the echo server on s0 and the flow from c0 for argv[1]
# seconds (and on until answered again), found through the lab's
# environment. Prints a JSON object: when the command started (the
# schedule's clock starts with it; CLOCK_BOOTTIME, as /proc counts it), what
# the flow says and the sources the server saw.
SCENARIO_COMMAND = r"""
import json, os, subprocess, sys
with open("/proc/self/stat") as stat:
    started = int(stat.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
ns = lambda node: os.environ[f"NATLAB_NODE_{node}_NETNS"]
server = subprocess.Popen(["ip", "netns", "exec", ns("S0"), sys.executable, "-c", sys.argv[2], "600"],
                          stdout=subprocess.PIPE, text=True)
assert server.stdout.readline().strip() == "ready"
client = subprocess.run(["ip", "netns", "exec", ns("C0"), sys.executable, "-c", sys.argv[3],
                         os.environ["NATLAB_NODE_S0_IPV4"], sys.argv[1], sys.argv[4]], capture_output=True, text=True)
server.terminate()
print(json.dumps({"started": started, "flow": json.loads(client.stdout.splitlines()[-1]),
                  "sources": server.communicate()[0].splitlines()}))
"""


class Scenario(unittest.TestCase):
    """natlab run --at / --schedule: a CI test's scripted network changes."""

    def run_lab(self, *args):
        fd, path = tempfile.mkstemp(suffix=".yaml")
        with os.fdopen(fd, "w") as f:
            f.write(LAB)
        self.addCleanup(os.unlink, path)
        name = unique_name("lv-sc")
        proc = natlab("run", "--name", name, path, *args, check=False, timeout=300 * SLOW)
        self.assertFalse([ns for ns in netns_list() if ns.startswith(name + "-")], "namespaces left behind")
        self.assertFalse(os.path.exists(f"/run/natlab/{name}"), "state left behind")
        return name, proc

    def run_scenario(self, at):
        """The scenario at times `at` (s from the command's start): (natlab
        run, what the command printed)."""
        fd, schedule = tempfile.mkstemp(suffix=".txt")
        with os.fdopen(fd, "w") as f:
            f.write("# the NAT moves the flow, then the link drops for a moment\n"
                    f"{at[1]}s rebind nat0\n"
                    f"{at[2]}s link c0:eth0 down\n"
                    f"{at[3]}s link c0:eth0 up\n")
        self.addCleanup(os.unlink, schedule)
        _, proc = self.run_lab("--schedule", schedule, "--at", f"{at[0]}s", "set nat0 filtering=endpoint-independent",
                               "--", PYTHON, "-c", SCENARIO_COMMAND, str(at[3] + SLOW), ECHO, FLOW, str(SLOW))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        told = [line for line in proc.stderr.splitlines() if ": at " in line]
        self.assertEqual(told, [f"natlab run: at {at[0]:.1f} s: set nat0 filtering=endpoint-independent",
                                f"natlab run: at {at[1]:.1f} s: rebind nat0",
                                f"natlab run: at {at[2]:.1f} s: link c0:eth0 down",
                                f"natlab run: at {at[3]:.1f} s: link c0:eth0 up"])
        return json.loads(proc.stdout.splitlines()[-1])

    def test_changes_happen_at_their_times_while_the_command_runs(self):
        # The rebind must find the flow answered, and the flow must send while
        # the link is down: on a machine too slow for that at these times (the
        # command first starts two scripts), the scenario runs again with
        # every time doubled.
        for stretch in (1, 2, 4, 8):
            at = [round(t * SLOW * stretch, 1) for t in (0.3, 1.0, 1.8, 2.3)]
            out = self.run_scenario(at)
            flow = out["flow"]
            flowing_in_time = flow["first_answer_at"] is not None and flow["first_answer_at"] - out["started"] < at[1]
            lost_while_down = [t for t in flow["lost"] if t - out["started"] >= at[2]]
            if flowing_in_time and lost_while_down:
                break
        else:
            self.fail(f"even at times {at} s the flow was not answered before the rebind or sent nothing while the "
                      f"link was down: this machine is too slow for the scenario ({out})")
        self.assertEqual(len(out["sources"]), 2, out)  # rebound once, same socket
        self.assertEqual(out["sources"][0], f"{EXTERNAL}:5000")
        self.assertTrue(flow["recovered"], out)  # answered again once the link was up

    def test_a_bad_scenario_is_refused_before_anything_is_made(self):
        name, proc = self.run_lab("--at", "5", "link nat0:wan down", "--at", "1s", "flush nat9", "--", "true")
        self.assertEqual((proc.returncode, proc.stderr),
                         (125, "natlab run: --at 5: '5' is not a time after the command starts; write e.g. 5s or "
                             "500ms\n"
                             "natlab run: --at 1s: 'flush nat9': 'nat9' is not a NAT node of the lab; its NAT nodes "
                             "are nat0\n"
                             "natlab run: 2 problems in the schedule; nothing was done\n"))

    def test_a_change_that_fails_makes_a_passing_command_fail(self):
        name, proc = self.run_lab("--at", "0.2s", "rebind nat0 --inside 10.0.1.9", "--at", "0.3s",
                                  "set nat0:wan delay=10ms", "--", "sleep", "1")
        # No mapping to move is not a failure; netem missing is (where it is missing).
        if "needs the kernel's netem" in proc.stderr:
            self.assertEqual(proc.returncode, 125, proc.stderr)
            self.assertIn("natlab run: the command passed, but 1 of 2 scheduled changes failed (above); exit 125",
                          proc.stderr)
        else:
            self.assertEqual(proc.returncode, 0, proc.stderr)


def live_rules(lab, *what):
    """The NAT's table (or part of it) as nft lists it; "" when it is gone."""
    return subprocess.run(["ip", "netns", "exec", f"{lab}-nat0", "nft", "list", *(what or ("table", "ip", "natlab"))],
                          capture_output=True, text=True).stdout


def live_type(lab):
    """Which of the two types nat0's live rules are: a full cone keeps one
    mapping per endpoint (@eim), a symmetric NAT none; a pause left by a
    change of bindings is neither."""
    rules = live_rules(lab)
    if not rules or "chain pause" in rules:
        return "neither"
    return "full-cone" if "map eim" in rules else "symmetric"


def recorded_type(lab):
    """The type the lab's journal holds for nat0: the last of its NAT records."""
    kind = "full-cone"
    with open(f"/run/natlab/{lab}/state") as state:
        for words in (line.split() for line in state):
            if words[:2] == ["nat", "nat0"]:
                kind = words[2].split("=", 1)[1]
    return kind


class KilledChange(LabTestCase):
    """natlab killed while it changes a NAT leaves the old lab or the new one,
    or status says which change is unfinished and how to finish it; never a
    healthy lab whose rules are not the journal's."""

    def test_a_set_killed_at_any_moment_leaves_the_old_lab_or_the_new_or_says_so(self):
        lab = self.create_from_text(LAB, "lv-kill")
        # The kills are spread over what a whole set takes here and now.
        start = time.monotonic()
        natlab("set", lab, "nat0", "type=symmetric")
        took = time.monotonic() - start
        natlab("set", lab, "nat0", "type=full-cone")
        fix = f"'natlab rules {lab} nat0 --reload'"
        # Points over the whole span in an order that spreads them early: the
        # test may stop once enough kills landed midway (a slow machine,
        # where each round takes long, needs fewer rounds for that).
        kills, unfinished = 24, 0
        for tried, i in enumerate((point * 7) % kills for point in range(kills)):
            if tried >= 8 and unfinished >= 3:
                break
            old = recorded_type(lab)
            new = "symmetric" if old == "full-cone" else "full-cone"
            args = ["set", lab, "nat0", f"type={new}", *(["--bindings", "drop"] if i % 2 else [])]
            change = subprocess.Popen([NATLAB, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(took * 1.2 * i / kills)
            change.send_signal(signal.SIGKILL)
            change.wait()
            status = natlab("status", lab, "--json", check=False)
            problems = json.loads(status.stdout)["problems"]
            seen = f"kill {i}: live {live_type(lab)}, journal {recorded_type(lab)}, status {problems}"
            if status.returncode == 0:
                self.assertEqual(live_type(lab), recorded_type(lab), seen)
            else:
                self.assertEqual(status.returncode, 1, seen)
                self.assertTrue(problems and all("nat0" in p and p.endswith(fix) for p in problems), seen)
                unfinished += 1
            # The next command that takes the lab's lock finishes a change
            # begun: the new lab, journalled.
            finish = natlab("flush", lab, "nat0")
            self.assertEqual(natlab("status", lab, check=False).returncode, 0, seen)
            self.assertEqual(live_type(lab), recorded_type(lab), seen)
            if status.returncode:
                self.assertEqual(recorded_type(lab), new, seen)
                self.assertEqual(finish.stderr, f"natlab: finished 'natlab {' '.join(args)}', which an earlier "
                                                "natlab began and did not finish\n")
        self.assertGreater(unfinished, 0, "no kill landed while the change was made; the test proved nothing")

    def test_an_unfinished_link_change_is_told_and_finished_by_running_it_again(self):
        lab = self.create_from_text(LAB, "lv-link")
        # What a natlab killed midway leaves: the change begun by a process now gone.
        gone = subprocess.Popen(["sleep", "60"])
        with open(f"/proc/{gone.pid}/stat") as stat:
            started = stat.read().rsplit(")", 1)[1].split()[19]
        gone.kill()
        gone.wait()
        with open(f"/run/natlab/{lab}/state", "a") as state:
            state.write(f"begin {gone.pid} {started} link c0 eth0 down\n")
        status = natlab("status", lab, "--json", check=False)
        self.assertEqual((status.returncode, json.loads(status.stdout)["problems"]),
                         (1, [f"'natlab link {lab} c0:eth0 down' was begun and not finished (natlab was killed or "
                              "failed midway); finish it by running it again"]))
        again = natlab("link", lab, "c0:eth0", "down")
        self.assertEqual(again.stderr, f"natlab: finished 'natlab link {lab} c0:eth0 down', which an earlier natlab "
                                       "began and did not finish\n")
        link = json.loads(subprocess.run(["ip", "-j", "-n", f"{lab}-c0", "link", "show", "eth0"],
                                         capture_output=True, text=True, check=True).stdout)[0]
        self.assertNotIn("UP", link["flags"])
        self.assertTrue(json.loads(natlab("status", lab, "--json").stdout)["healthy"])


class RulesChangedByHand(LabTestCase):
    def test_status_names_what_differs_from_the_declared_rules_and_the_fix(self):
        lab = self.create_from_text(LAB, "lv-hand")
        ns = f"{lab}-nat0"
        fix = f"; put them back with 'natlab rules {lab} nat0 --reload'"

        def problems():
            status = natlab("status", lab, "--json", check=False)
            return status.returncode, json.loads(status.stdout)["problems"]

        declared = len([line for line in live_rules(lab, "chain", "ip", "natlab", "postrouting").splitlines()
                        if line.startswith("\t\t") and not line.startswith("\t\ttype ")])
        subprocess.run(["ip", "netns", "exec", ns, "nft", "add", "rule", "ip", "natlab", "postrouting", "counter"],
                       check=True)
        self.assertEqual(problems(), (1, ["the nftables rules of nat0 are not the declared ones: chain postrouting "
                                          f"has {declared + 1} rules where {declared} are declared{fix}"]))
        text = natlab("status", lab, check=False).stdout
        self.assertIn("      nftables rules: NOT AS DECLARED\n", text)
        natlab("rules", lab, "nat0", "--reload")
        self.assertEqual(problems(), (0, []))
        for command in (("flush", "chain", "ip", "natlab", "learn"), ("delete", "chain", "ip", "natlab", "learn")):
            subprocess.run(["ip", "netns", "exec", ns, "nft", *command], check=True)
        self.assertEqual(problems(), (1, [f"the nftables rules of nat0 are not the declared ones: chain learn is "
                                          f"missing{fix}"]))
        subprocess.run(["ip", "netns", "exec", ns, "nft", "delete", "table", "ip", "natlab"], check=True)
        self.assertEqual(problems(), (1, [f"the nftables rules of nat0 are not the declared ones: table ip natlab is "
                                          f"missing{fix}"]))
        natlab("rules", lab, "nat0", "--reload")
        self.assertEqual(problems(), (0, []))
        # What the rules learn as packets pass is no difference.
        FlowAcrossTheNat(lab).finish()
        self.assertIn("-> 100.64.1.100:5000", natlab("mappings", lab, "nat0").stdout)
        self.assertEqual(problems(), (0, []))


RECEIVE = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 5000))
s.settimeout(float(sys.argv[1]))
print("ready", flush=True)
try:
    print(s.recvfrom(100)[0].decode(), flush=True)
except socket.timeout:
    pass
"""

SEND = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 6000))
for _ in range(3):
    s.sendto(sys.argv[3].encode(), (sys.argv[1], int(sys.argv[2])))
"""


def send_to(lab, node, address, port, payload):
    subprocess.run(["ip", "netns", "exec", f"{lab}-{node}", PYTHON, "-c", SEND, address, str(port), payload],
                   check=True, timeout=10)


if __name__ == "__main__":
    unittest.main()
