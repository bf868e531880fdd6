"""natlab run: a lab as a fixture around one command, as root and rootless.

Witnesses: the command's own view (its environment, the description file,
packets it sends through the lab), `ip netns` and /run/natlab for what is
left, /proc for processes.
"""
import json
import os
import re
import pwd
import resource
import shutil
import signal
import subprocess
import tempfile
import unittest

from nat_packets import UDP_PEER
from natlab_test import (NATLAB, PYTHON, SOURCE_DIR, LabTestCase, in_private_run, lab_file, natlab, netns_list,
                         unique_name, wait_for)

PING_INTERNET = "ip netns exec $NATLAB_NODE_C0_NETNS ping -c1 -W2 $NATLAB_NODE_INTERNET_IPV4 >/dev/null"
PING_NAT1 = "ip netns exec $NATLAB_NODE_C0_NETNS ping -c1 -W2 $NATLAB_NODE_NAT1_IPV4 >/dev/null"

# c0's echo request to nat1's public address and the reply, on every interface
# they cross (interface, ICMP type, source): c0's private address inside nat0,
# nat0's public address outside it.
PING_NAT1_SEEN = sorted(
    [(iface, "8", "10.0.1.2") for iface in ("c0:eth0", "nat0:lan")] +
    [(iface, "8", "100.64.1.100") for iface in ("nat0:wan", "internet:to-nat0", "internet:to-nat1", "nat1:wan")] +
    [(iface, "0", "100.64.2.100") for iface in ("c0:eth0", "nat0:lan", "nat0:wan", "internet:to-nat0",
                                                  "internet:to-nat1", "nat1:wan")])
TWO_NAT_INTERFACES = ["c0:eth0", "c1:eth0", "nat0:lan", "nat0:wan", "nat1:lan", "nat1:wan", "internet:to-nat0",
                      "internet:to-nat1"]


def run(*args, timeout=60, **kw):
    return subprocess.run([NATLAB, "run", *args], capture_output=True, text=True, timeout=timeout, **kw)


def tshark(*args):
    proc = subprocess.run(["tshark", *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def icmp_seen(path):
    """(interface, ICMP type, source address) of each ICMP packet in a capture, as Wireshark reads it."""
    return sorted(tuple(row.split("\t")) for row in
                  tshark("-r", path, "-Y", "icmp", "-T", "fields", "-e", "frame.interface_name", "-e", "icmp.type",
                         "-e", "ip.src"))


def interfaces_of(path):
    """The interface blocks of a pcapng file, by name, in order (Wireshark's capinfos)."""
    out = subprocess.run(["capinfos", "-I", path], capture_output=True, text=True, check=True).stdout
    return [line.split("=", 1)[1].strip() for line in out.splitlines() if line.strip().startswith("Name =")]


def pid_alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


class RunAsRoot(LabTestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)

    def test_exit_code_passes_through_and_the_lab_is_gone(self):
        for code in (0, 7):
            name = unique_name("it-run")
            proc = run("--name", name, lab_file("two-nat.yaml"), "--", "sh", "-c", f"{PING_INTERNET} && exit {code}")
            self.assertEqual(proc.returncode, code, proc.stderr)
            self.assertIn(f"natlab run: removed lab {name}\n", proc.stderr)
            self.assert_nothing_left(name)

    def test_command_not_found_is_127_and_the_lab_is_gone(self):
        name = unique_name("it-run")
        proc = run("--name", name, lab_file("two-nat.yaml"), "--", "no-such-command-xyz")
        self.assertEqual(proc.returncode, 127)
        self.assertIn("natlab run: no-such-command-xyz: No such file or directory\n", proc.stderr)
        self.assert_nothing_left(name)

    def test_environment_and_description_file_describe_the_lab(self):
        name = unique_name("it-run")
        script = "import json, os; print(json.dumps({'env': dict(os.environ), " \
                 "'description': json.load(open(os.environ['NATLAB_LAB_JSON']))}))"
        proc = run("-q", "--name", name, lab_file("two-nat.yaml"), "--", PYTHON, "-c", script)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")
        seen = json.loads(proc.stdout)
        env, description = seen["env"], seen["description"]
        self.assertEqual(env["NATLAB_LAB"], name)
        self.assertEqual(env["NATLAB_NODES"], "c0 c1 nat0 nat1 internet")
        self.assertEqual(env["NATLAB_NODE_C0_NETNS"], f"{name}-c0")
        self.assertEqual(env["NATLAB_NODE_C0_IPV4"], "10.0.1.2")
        self.assertEqual(env["NATLAB_NODE_NAT0_IPV4"], "100.64.1.100", "a NAT's address is its public one")
        self.assertEqual(env["NATLAB_NODE_NAT0_LAN_IPV4"], "10.0.1.1")
        self.assertEqual(env["NATLAB_NODE_INTERNET_TO_NAT1_IPV4"], "100.64.2.1")
        self.assertEqual(env["NATLAB_ROOTLESS"], "0")
        self.assertEqual(os.path.realpath(env["NATLAB_BIN"]), os.path.realpath(NATLAB))
        self.assertEqual(description["version"], 1)
        self.assertEqual(description["lab"], name)
        self.assertEqual(description["source"], lab_file("two-nat.yaml"))
        c0 = description["nodes"]["c0"]
        self.assertEqual((c0["kind"], c0["netns"], c0["ipv4"], c0["ipv6"]), ("host", f"{name}-c0", "10.0.1.2", None))
        self.assertEqual(c0["interfaces"], {"eth0": {"ipv4": ["10.0.1.2/24"], "ipv6": []}})
        self.assertEqual(description["nodes"]["nat1"]["nat"]["outside"], "wan")
        self.assertEqual(sorted(description["nodes"]), ["c0", "c1", "internet", "nat0", "nat1"])
        self.assert_nothing_left(name)

    def test_create_writes_the_same_description(self):
        name = self.create(lab_file("two-nat.yaml"), unique_name("it-run"))
        with open(f"/run/natlab/{name}/lab.json") as f:
            description = json.load(f)
        self.assertEqual((description["lab"], description["rootless"]), (name, False))
        self.assertEqual(description["nodes"]["nat1"]["ipv4"], "100.64.2.100")

    def test_in_node_runs_the_command_on_that_node(self):
        name = unique_name("it-run")
        proc = run("-q", "--name", name, "--in", "c1", lab_file("two-nat.yaml"), "--",
                   "sh", "-c", "ip -j addr show dev eth0; echo $NATLAB_LAB")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        addr_json, lab = proc.stdout.strip().split("\n")
        self.assertEqual([a["local"] for a in json.loads(addr_json)[0]["addr_info"] if a["family"] == "inet"],
                         ["10.0.2.2"])
        self.assertEqual(lab, name)
        self.assert_nothing_left(name)

    def test_unknown_in_node_is_refused_before_anything_is_made(self):
        name = unique_name("it-run")
        proc = run("--name", name, "--in", "c9", lab_file("two-nat.yaml"), "--", "true")
        self.assertEqual((proc.returncode, proc.stderr),
                         (125, f"natlab run: --in: lab {name} has no node 'c9'; its nodes are "
                             "c0, c1, nat0, nat1, internet; did you mean 'c0' or 'c1'?\n"))
        self.assert_nothing_left(name)

    def test_keep_leaves_the_lab_and_says_how_to_clean_it(self):
        name = unique_name("it-run")
        self.addCleanup(self.assert_gone_after_clean, name)
        proc = run("--keep", "--name", name, lab_file("two-nat.yaml"), "--", "true")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(f"natlab run: kept lab {name}; see it with 'natlab status {name}', look inside with "
                      f"'natlab exec {name} NODE -- CMD' or 'natlab mappings {name} NAT', remove it with "
                      f"'natlab clean {name}'\n", proc.stderr)
        self.assertEqual(natlab("status", name).returncode, 0)

    def test_keep_on_failure_keeps_only_a_failed_runs_lab(self):
        name = unique_name("it-run")
        proc = run("--keep-on-failure", "--name", name, lab_file("two-nat.yaml"), "--", "true")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assert_nothing_left(name)
        self.addCleanup(self.assert_gone_after_clean, name)
        proc = run("--keep-on-failure", "--name", name, lab_file("two-nat.yaml"), "--", "sh", "-c", "exit 3")
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertIn(f"natlab run: kept lab {name} (the command failed); see it with 'natlab status {name}'",
                      proc.stderr)
        self.assertEqual(natlab("status", name).returncode, 0)
        self.assertEqual(natlab("exec", name, "c0", "--", "ping", "-c1", "-W2", "100.64.2.100").returncode, 0)

    def test_the_command_must_follow_the_separator(self):
        # Without '--', 'echo --name hi' would have named the lab 'hi' and run a bare echo.
        for args in (["echo", "--name", "hi"], []):
            proc = run(lab_file("two-nat.yaml"), *args)
            self.assertEqual((proc.returncode, proc.stderr),
                             (125, "natlab run: the command must follow '--', or its own options would be taken "
                                   "for natlab's: natlab run FILE [OPTIONS] -- COMMAND [ARGS...], e.g. natlab run "
                                   "lab.yaml --in c0 -- ping -c1 100.64.2.100\n"), args)
        self.assertNotIn("hi", [lab["lab"] for lab in json.loads(natlab("list", "--json").stdout)])

    def test_natlabs_own_failures_exit_125_never_a_commands_code(self):
        # A CI job reads 125 as "the fixture failed", anything else as the command's.
        for args, message in ((["/nonexistent.yaml", "--", "true"], "natlab: cannot read topology file"),
                              (["--bogus", lab_file("two-nat.yaml"), "--", "true"], "--bogus"),
                              ([lab_file("two-nat.yaml"), "--in", "nowhere", "--", "true"], "natlab run: --in")):
            proc = run(*args)
            self.assertEqual(proc.returncode, 125, (args, proc.stderr))
            self.assertIn(message, proc.stderr)
        self.assertEqual(run(lab_file("two-nat.yaml"), "--", "sh", "-c", "exit 2").returncode, 2)

    def test_capture_holds_every_interfaces_packets_of_the_run(self):
        name = unique_name("it-run")
        captures = os.path.join(self.tmp, "captures")  # natlab makes it
        proc = run("--name", name, "--capture", captures, lab_file("two-nat.yaml"), "--", "sh", "-c", PING_NAT1)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        path = os.path.join(captures, f"{name}.pcapng")
        frames = len(tshark("-r", path, "-T", "fields", "-e", "frame.number"))
        self.assertIn(f"natlab run: {frames} packets of the run in {path}\nnatlab run: removed lab {name}\n",
                      proc.stderr)
        self.assertEqual(interfaces_of(path), TWO_NAT_INTERFACES)
        self.assertEqual(icmp_seen(path), PING_NAT1_SEEN)
        self.assert_nothing_left(name)

    def test_capture_of_a_failed_run_is_kept(self):
        name = unique_name("it-run")
        proc = run("-q", "--name", name, "--capture", self.tmp, lab_file("two-nat.yaml"), "--", "sh", "-c",
                   f"{PING_NAT1}; exit 3")
        self.assertEqual((proc.returncode, proc.stderr), (3, ""))
        self.assertEqual(icmp_seen(os.path.join(self.tmp, f"{name}.pcapng")), PING_NAT1_SEEN)
        self.assert_nothing_left(name)

    def test_a_capture_dir_that_cannot_take_the_file_is_refused_before_the_lab_is_made(self):
        name = unique_name("it-run")
        a_file = os.path.join(self.tmp, "a-file")
        open(a_file, "w").close()
        read_only = os.path.join(self.tmp, "read-only")
        os.mkdir(read_only)
        for prefix, where, why in (
                ([], a_file, "is a file, not a directory; give a directory (natlab makes it when missing and writes "
                             "LAB.pcapng into it)"),
                ([], os.path.join(a_file, "sub"), "cannot make this directory (Not a directory); give a directory "
                                                  "you may write into"),
                # Root writes anywhere but on a read-only mount: one of a mount namespace of the test's own.
                (["unshare", "--mount", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"', read_only],
                 read_only, f"cannot write {read_only}/{name}.pcapng (Read-only file system); give a directory you "
                            "may write into")):
            proc = subprocess.run([*prefix, NATLAB, "run", "--name", name, "--capture", where, lab_file("two-nat.yaml"),
                                   "--", "true"], capture_output=True, text=True, timeout=60)
            self.assertEqual((proc.returncode, proc.stderr), (125, f"natlab run: --capture '{where}': {why}\n"))
            self.assert_nothing_left(name)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["a-file", "read-only"])
        self.assertEqual(os.listdir(read_only), [])

    def test_a_run_refused_before_its_lab_is_made_leaves_an_earlier_capture(self):
        # The lab name is taken, so the run makes nothing: the capture file
        # of an earlier run under that name stays as it was.
        name = unique_name("it-run")
        path = os.path.join(self.tmp, f"{name}.pcapng")
        with open(path, "w") as f:
            f.write("the earlier run's packets")
        self.addCleanup(natlab, "clean", "-q", name)
        self.assertEqual(natlab("create", "-q", "--name", name, lab_file("two-nat.yaml")).returncode, 0)
        proc = run("--name", name, "--capture", self.tmp, lab_file("two-nat.yaml"), "--", "true")
        self.assertEqual(proc.returncode, 125, proc.stderr)
        self.assertIn(f"lab {name} already exists", proc.stderr)
        with open(path) as f:
            self.assertEqual(f.read(), "the earlier run's packets")
        self.assertEqual(os.listdir(self.tmp), [f"{name}.pcapng"])

    def test_a_link_at_the_capture_path_is_replaced_not_followed(self):
        name = unique_name("it-run")
        victim = os.path.join(self.tmp, "victim")
        with open(victim, "w") as f:
            f.write("not natlab's")
        captures = os.path.join(self.tmp, "captures")
        os.mkdir(captures)
        path = os.path.join(captures, f"{name}.pcapng")
        os.symlink(victim, path)
        proc = run("-q", "--name", name, "--capture", captures, lab_file("two-nat.yaml"), "--", "sh", "-c", PING_NAT1)
        self.assertEqual((proc.returncode, proc.stderr), (0, ""))
        with open(victim) as f:
            self.assertEqual(f.read(), "not natlab's")
        self.assertFalse(os.path.islink(path))
        self.assertEqual(icmp_seen(path), PING_NAT1_SEEN)
        self.assertEqual(os.listdir(captures), [f"{name}.pcapng"])
        self.assert_nothing_left(name)

    def test_a_nat_change_while_over_a_thousand_interfaces_are_captured(self):
        # One capture socket per interface: 1200 of them once took every
        # descriptor below 1024, and the scheduled change's libnftables,
        # whose select() takes none above, ended natlab ("bit out of range
        # 0 - FD_SETSIZE on fd_set"), the lab left behind.
        name = unique_name("it-run")
        path = os.path.join(self.tmp, "lab.yaml")
        with open(path, "w") as f:
            f.write(subprocess.run([os.path.join(SOURCE_DIR, "scripts", "gen-lab"), "300", name],
                                   capture_output=True, text=True, check=True).stdout)
        proc = subprocess.run([NATLAB, "run", "-q", "--name", name, "--capture", self.tmp, "--at", "0.2s",
                               "set nat1 type=symmetric", path, "--", "sleep", "1"],
                              preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096)),
                              capture_output=True, text=True, timeout=120)
        self.assertEqual((proc.returncode, proc.stderr), (0, ""))
        self.assertEqual(len(interfaces_of(os.path.join(self.tmp, f"{name}.pcapng"))), 1200)
        self.assert_nothing_left(name)

    def start_sleeping_run(self, name):
        """natlab run whose command writes its pid, then sleeps; returns (natlab, command pid)."""
        pidfile = os.path.join(self.tmp, name)
        proc = subprocess.Popen([NATLAB, "run", "--name", name, lab_file("two-nat.yaml"), "--", "sh", "-c",
                                 f"echo $$ > {pidfile}.tmp && mv {pidfile}.tmp {pidfile} && exec sleep 60"],
                                stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        self.assertTrue(wait_for(lambda: os.path.exists(pidfile), timeout=10), "the command never started")
        with open(pidfile) as f:
            return proc, int(f.read())

    def test_sigint_sigterm_sighup_to_natlab_reach_the_command_and_clean(self):
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            name = unique_name("it-run")
            proc, command = self.start_sleeping_run(name)
            self.assertEqual(len([ns for ns in netns_list() if ns.startswith(name + "-")]), 5)
            proc.send_signal(sig)
            _, err = proc.communicate(timeout=30)
            self.assertEqual(proc.returncode, 128 + sig, err)
            self.assertIn(f"natlab run: got {sig.name}, passed it on to the command; removing the lab\n", err)
            self.assertFalse(pid_alive(command))
            self.assert_nothing_left(name)

    def test_sigkill_of_the_command_cleans(self):
        name = unique_name("it-run")
        proc, command = self.start_sleeping_run(name)
        os.kill(command, signal.SIGKILL)
        proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 128 + signal.SIGKILL)
        self.assert_nothing_left(name)

    def test_after_kill_9_of_natlab_clean_all_removes_the_leftovers(self):
        # --all removes every lab on the machine: only in a /run of the test's own.
        pidfile = os.path.join(self.tmp, "command.pid")
        proc = in_private_run(r"""
"$NATLAB" run --name k9 "$LAB" -- sh -c "echo \$\$ > $PIDFILE.tmp && mv $PIDFILE.tmp $PIDFILE && exec sleep 60" &
run=$!
for i in $(seq 100); do [ -e "$PIDFILE" ] && break; sleep 0.1; done
command=$(cat "$PIDFILE")
kill -9 $run
wait $run || true
for i in $(seq 100); do kill -0 "$command" 2>/dev/null || break; sleep 0.1; done
kill -0 "$command" 2>/dev/null && echo "the command outlived natlab"
ls /run/netns | grep -c '^k9-' || true
"$NATLAB" clean --all -q
find /run/netns /run/natlab -mindepth 1 | wc -l
""", LAB=lab_file("two-nat.yaml"), PIDFILE=pidfile)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.splitlines(), ["5", "0"])

    def test_four_concurrent_runs_of_one_file(self):
        cmd = [NATLAB, "run", "-q", lab_file("two-nat.yaml"), "--", "sh", "-c", f"{PING_INTERNET} && echo $NATLAB_LAB"]
        procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
        results = [(p.communicate(timeout=60), p.returncode) for p in procs]
        for (out, err), code in results:
            self.assertEqual(code, 0, err)
        names = {out.strip() for (out, _), _ in results}
        self.assertEqual(len(names), 4, names)
        for name in names:
            self.assertRegex(name, r"^two-nat-[0-9a-f]{6}$")
            self.assert_nothing_left(name)


# Runs CMD (argv[1:]) as the test user, in a user namespace whose
# user.max_user_namespaces is 0: a machine where unprivileged user namespaces
# are disabled, without touching the host's own setting.
WITHOUT_USER_NAMESPACES = r"""
import ctypes, os, sys
uid, gid, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
ready_r, ready_w = os.pipe()
go_r, go_w = os.pipe()
pid = os.fork()
if pid == 0:
    if ctypes.CDLL(None, use_errno=True).unshare(0x10000000) != 0:  # CLONE_NEWUSER
        os._exit(100)
    os.write(ready_w, b"x")
    os.read(go_r, 1)
    with open("/proc/sys/user/max_user_namespaces", "w") as f:
        f.write("0")
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    os.execvp(argv[0], argv)
os.read(ready_r, 1)
for name in ("uid_map", "gid_map"):
    with open(f"/proc/{pid}/{name}", "w") as f:
        f.write("0 0 65536")
os.write(go_w, b"x")
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"""

# Inside the rootless lab, whose nat1 is a full cone: c1 sends out (opening its
# mapping on nat1), then c0 sends to that mapping. What c1 receives crossed
# both NATs: it comes from nat0's public address.
THROUGH_BOTH_NATS = f"""
set -e
peer() {{ ip netns exec "$1" {PYTHON} -c "$UDP_PEER" 4000 "$2" "$3"; }}
peer $NATLAB_NODE_C1_NETNS 2 $NATLAB_NODE_INTERNET_TO_NAT1_IPV4:9 > "$OUT/c1" &
sleep 0.5
peer $NATLAB_NODE_C0_NETNS 1 $NATLAB_NODE_NAT1_IPV4:4000 > "$OUT/c0"
wait
ip netns list > "$OUT/netns"
ls -A /run > "$OUT/run"
echo "$NATLAB_ROOTLESS" > "$OUT/rootless"
"""

TEST_USER = "natlab-rootless-test"


class RunWithoutRoot(unittest.TestCase):
    """natlab run as an unprivileged user created for the test."""

    @classmethod
    def setUpClass(cls):
        created = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                                  TEST_USER], capture_output=True, text=True)
        cls.made_user = created.returncode == 0
        user = pwd.getpwnam(TEST_USER)
        cls.uid, cls.gid = user.pw_uid, user.pw_gid
        # A copy the user can read and run, wherever the build tree is.
        cls.dir = tempfile.mkdtemp()
        os.chmod(cls.dir, 0o755)
        cls.natlab = os.path.join(cls.dir, "natlab")
        shutil.copy(NATLAB, cls.natlab)
        with open(lab_file("two-nat.yaml")) as f:
            two_nat = f.read()
        full_cone = two_nat.replace("nat1: {kind: nat,", "nat1: {kind: nat, type: full-cone,")
        assert full_cone != two_nat
        port_mapping = two_nat.replace("nat1: {kind: nat,", "nat1: {kind: nat, port-mapping: all,")
        for name, text in (("two-nat.yaml", two_nat), ("full-cone.yaml", full_cone),
                           ("port-mapping.yaml", port_mapping)):
            with open(os.path.join(cls.dir, name), "w") as f:
                f.write(text)
        shutil.copy(lab_file("containers.yaml"), cls.dir)
        cls.out = os.path.join(cls.dir, "out")
        os.mkdir(cls.out)
        os.chown(cls.out, cls.uid, cls.gid)
        os.chmod(cls.dir, 0o755)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)
        if cls.made_user:
            subprocess.run(["userdel", TEST_USER], check=True)

    def as_user(self, *argv, env=None):
        return subprocess.run(["setpriv", f"--reuid={self.uid}", f"--regid={self.gid}", "--clear-groups", "--",
                               *argv], capture_output=True, text=True, timeout=60, cwd=self.dir,
                              env={"PATH": os.environ["PATH"], **(env or {})})

    def test_a_rootless_two_nat_lab_passes_a_packet_through_both_nats(self):
        run_before = set(os.listdir("/run"))
        proc = self.as_user(self.natlab, "run", "full-cone.yaml", "--", "sh", "-c", THROUGH_BOTH_NATS,
                            env={"OUT": self.out, "UDP_PEER": UDP_PEER})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lab = re.search(r"natlab run: lab (two-nat-[0-9a-f]{6}) ready in [0-9.]+ ms \(rootless\)", proc.stderr)
        self.assertTrue(lab, proc.stderr)

        def read(name):
            with open(os.path.join(self.out, name)) as f:
                return f.read()

        self.assertIn("100.64.1.100:4000 hello", read("c1").splitlines(),
                      "c1 must receive c0's packet from nat0's public address")
        self.assertEqual(read("rootless").strip(), "1")
        self.assertEqual(len(read("netns").splitlines()), 5, "the lab's namespaces, seen inside")
        # Other work on the machine may add labs and /run entries meanwhile:
        # only this lab's, and entries there before and after, are judged.
        self.assertEqual([ns for ns in netns_list() if ns.startswith(lab.group(1) + "-")], [],
                         "nothing of a rootless lab is seen on the host")
        host_run = (run_before & set(os.listdir("/run"))) - {"netns", "natlab"}
        self.assertLessEqual(host_run, set(read("run").split()), "the host's /run entries are bound back in")

    def test_a_rootless_run_in_a_node(self):
        proc = self.as_user(self.natlab, "run", "-q", "--in", "c0", "two-nat.yaml", "--", "ip", "-j", "-4", "addr",
                            "show", "dev", "eth0")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([a["local"] for a in json.loads(proc.stdout)[0]["addr_info"]], ["10.0.1.2"])

    def test_a_rootless_run_captures_too(self):
        captures = os.path.join(self.out, "captures")
        name = unique_name("it-run")
        proc = self.as_user(self.natlab, "run", "--name", name, "--capture", captures, "two-nat.yaml", "--", "sh",
                            "-c", PING_NAT1)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        path = os.path.join(captures, f"{name}.pcapng")
        self.assertRegex(proc.stderr, rf"natlab run: [0-9]+ packets of the run in {path}\n")
        self.assertEqual((os.stat(captures).st_uid, os.stat(path).st_uid), (self.uid, self.uid),
                         "made as the user who ran natlab")
        self.assertEqual(interfaces_of(path), TWO_NAT_INTERFACES)
        self.assertEqual(icmp_seen(path), PING_NAT1_SEEN)

    def test_containers_and_keep_need_root(self):
        proc = self.as_user(self.natlab, "run", "containers.yaml", "--", "true")
        self.assertEqual((proc.returncode, proc.stderr),
                         (125, "natlab run: containers.yaml: node c0 runs a container, and systemd-nspawn needs real "
                             "root; run natlab "
                             "as root (e.g. sudo), or remove its 'container:' section\n"))
        proc = self.as_user(self.natlab, "run", "port-mapping.yaml", "--", "true")
        self.assertEqual((proc.returncode, proc.stderr),
                         (125, "natlab run: port-mapping.yaml: nat node nat1 offers port mapping, whose daemons "
                             "(miniupnpd, stund) would outlive a run without root that is killed; run natlab as "
                             "root (e.g. sudo), or remove its 'port-mapping' key\n"))
        proc = self.as_user(self.natlab, "run", "--keep", "two-nat.yaml", "--", "true")
        self.assertEqual((proc.returncode, proc.stderr),
                         (125, "natlab run: --keep needs root: a lab made without root lives in natlab's own user "
                             "namespace and vanishes when natlab ends; run as root (e.g. sudo) to keep it, or let "
                             "the command save what a failure needs (NATLAB_LAB_JSON describes the lab, 'natlab "
                             "exec' and 'natlab mappings' work inside the run, and --capture DIR keeps the run's "
                             "packets)\n"))
        proc = self.as_user(self.natlab, "run", "--keep-on-failure", "two-nat.yaml", "--", "true")
        self.assertEqual(proc.returncode, 125)
        self.assertTrue(proc.stderr.startswith("natlab run: --keep-on-failure needs root: "), proc.stderr)

    def test_disabled_user_namespaces_get_a_clear_error(self):
        proc = subprocess.run([PYTHON, "-c", WITHOUT_USER_NAMESPACES, str(self.uid), str(self.gid), self.natlab,
                               "run", "two-nat.yaml", "--", "true"], capture_output=True, text=True, timeout=60,
                              cwd=self.dir)
        self.assertEqual((proc.returncode, proc.stderr),
                         (125, "natlab: without root, natlab run builds the lab in an unprivileged user namespace, "
                             "but creating the user namespace failed (No space left on device): this machine "
                             "disables unprivileged user namespaces (user.max_user_namespaces = 0); run natlab "
                             "as root (e.g. sudo), or allow them: sysctl -w user.max_user_namespaces=15000\n"))


if __name__ == "__main__":
    unittest.main()
