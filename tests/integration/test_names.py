"""Names in every lab: each node's name and NAME.LAB resolve on every node to
the addresses the node holds, through `natlab exec`, `ip netns exec LAB-NODE`,
`natlab run --in` (also without root) and in containers; nothing of them is
left after clean, after kill -9 of a create, after a rollback, or after a
reboot (the links in /etc/netns outlive /run), and an /etc/netns entry natlab
did not make is never touched.

Witnesses: getent hosts and ahosts (glibc reading the node's /etc/hosts), ping
by name, `ip -j addr` for what each node holds, and the filesystem."""
import json
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import unittest

from natlab_test import (NATLAB, LabTestCase, addresses, in_private_run, ip_json, lab_file, natlab, netns_etc_links,
                         unique_name, wait_for)
from test_failures import BROKEN_SYSCTL, generated_lab, write_temp

DUAL_STACK_NODES = ["laptop", "home", "internet", "server"]


def held(netns):
    """Every address the node holds, both families, as `ip -j addr` lists them (no loopback, no link-local)."""
    return {a["local"] for link in ip_json(netns, "addr") for a in link["addr_info"] if a.get("scope") == "global"}


def lookups(prefix, names, command="getent ahosts"):
    """One shell that looks every name up: {name: [addresses in the order given]}."""
    script = "".join(f'echo "== {n}"; {command} {n}; ' for n in names)
    proc = subprocess.run([*prefix, "sh", "-c", script], capture_output=True, text=True, timeout=60)
    found, current = {}, None
    for line in proc.stdout.splitlines():
        if line.startswith("== "):
            current = line[3:]
            found[current] = []
        elif line.split() and line.split()[0] not in found[current]:
            found[current].append(line.split()[0])
    return found


class NamesOnEveryNode(unittest.TestCase):
    """labs/dual-stack.yaml: a laptop behind a home NAT, a router and a server; IPv4 and IPv6."""

    @classmethod
    def setUpClass(cls):
        cls.lab = unique_name("nm-ds")
        cls.addClassCleanup(natlab, "clean", "-q", cls.lab)
        natlab("create", "-q", "--name", cls.lab, lab_file("dual-stack.yaml"))
        cls.held = {node: held(f"{cls.lab}-{node}") for node in DUAL_STACK_NODES}

    def all_names(self):
        return DUAL_STACK_NODES + [f"{n}.{self.lab}" for n in DUAL_STACK_NODES]

    def assert_every_name_resolves(self, prefix_of):
        for viewer in DUAL_STACK_NODES:
            found = lookups(prefix_of(viewer), self.all_names())
            for name in self.all_names():
                node = name.split(".")[0]
                self.assertEqual(set(found[name]), self.held[node], f"{name} on {viewer}")

    def test_through_natlab_exec(self):
        self.assert_every_name_resolves(lambda viewer: [NATLAB, "exec", self.lab, viewer, "--"])

    def test_through_ip_netns_exec(self):
        self.assert_every_name_resolves(lambda viewer: ["ip", "netns", "exec", f"{self.lab}-{viewer}"])

    def test_getent_hosts_finds_each_name_too(self):
        # gethostbyname, not getaddrinfo: glibc asks for IPv6 first.
        found = lookups([NATLAB, "exec", self.lab, "server", "--"], self.all_names(), "getent hosts")
        for name in self.all_names():
            self.assertTrue(found[name], name)
            self.assertLessEqual(set(found[name]), self.held[name.split(".")[0]], name)

    def test_the_address_on_a_shared_link_comes_first(self):
        lan4, lan6 = addresses(f"{self.lab}-home", "lan")
        wan4 = addresses(f"{self.lab}-home", "wan")[0]
        on = lambda viewer, family: lookups([NATLAB, "exec", self.lab, viewer, "--"], ["home"],
                                            f"getent ahosts{family}")["home"][0]
        self.assertEqual(on("laptop", "v4"), lan4.split("/")[0])
        self.assertEqual(on("laptop", "v6"), lan6.split("/")[0])
        self.assertEqual(on("internet", "v4"), wan4.split("/")[0])

    def test_ping_by_name(self):
        # -w10: one echo a second until one is answered (a loaded machine may lose one).
        lan4, lan6 = (a.split("/")[0] for a in addresses(f"{self.lab}-home", "lan"))
        for prefix in ([NATLAB, "exec", self.lab, "laptop", "--"], ["ip", "netns", "exec", f"{self.lab}-laptop"]):
            for family, address in (("-4", lan4), ("-6", lan6)):
                proc = subprocess.run([*prefix, "ping", family, "-c1", "-w10", f"home.{self.lab}"],
                                      capture_output=True, text=True, timeout=30)
                self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
                # The reply's source named by a reverse lookup in the same file.
                self.assertIn(f"bytes from home.{self.lab} ({address})", proc.stdout)
        proc = subprocess.run([NATLAB, "exec", self.lab, "server", "--", "ping", "-6", "-c1", "-w10", "internet"],
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_an_unknown_name_fails_at_once(self):
        # The host's name servers are out of the lab's reach: asking them would wait out their timeouts.
        started = time.monotonic()
        proc = subprocess.run([NATLAB, "exec", self.lab, "laptop", "--", "getent", "hosts", "no-such-node"],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 2)
        self.assertLess(time.monotonic() - started, 4.0)
        proc = subprocess.run([NATLAB, "exec", self.lab, "laptop", "--", "getent", "ahostsv4", "localhost"],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.stdout.split()[0], "127.0.0.1")

    def test_status_and_description_show_the_names(self):
        status = json.loads(natlab("status", "--json", self.lab).stdout)
        self.assertTrue(status["healthy"], status["problems"])
        for node in status["nodes"]:
            names = node["names"]
            self.assertEqual(names["names"], [f"{node['name']}.{self.lab}", node["name"]])
            self.assertEqual(set(names["addresses"]), self.held[node["name"]])
            self.assertEqual(names["netns_etc"], f"/etc/netns/{self.lab}-{node['name']}")
            self.assertTrue(names["in_place"])
        text = natlab("status", self.lab).stdout
        self.assertIn(f"      names home.{self.lab} home: 100.64.1.2 2001:db8:ffff::2 10.0.1.1 2001:db8:1:1::1\n",
                      text)
        with open(f"/run/natlab/{self.lab}/lab.json") as f:
            description = json.load(f)
        self.assertEqual(description["names"]["domain"], self.lab)
        self.assertEqual(description["nodes"]["server"]["names"], [f"server.{self.lab}", "server"])


class Links(LabTestCase):
    def test_each_node_has_its_link_and_clean_removes_them(self):
        name = self.create(lab_file("two-nat.yaml"), unique_name("nm-ln"))
        nodes = ["c0", "c1", "nat0", "nat1", "internet"]
        self.assertEqual(netns_etc_links(name), {f"{name}-{n}" for n in nodes})
        for node in nodes:
            self.assertEqual(os.readlink(f"/etc/netns/{name}-{node}"), f"/run/natlab/{name}/etc")
        self.assertEqual(sorted(os.listdir(f"/etc/netns/{name}-c0")), ["hosts", "resolv.conf"])
        natlab("clean", "-q", name)
        self.assert_nothing_left(name)

    def test_a_link_removed_by_hand_is_a_problem_status_names(self):
        name = self.create(lab_file("two-nat.yaml"), unique_name("nm-st"))
        os.unlink(f"/etc/netns/{name}-c1")
        proc = natlab("status", name, check=False)
        self.assertEqual(proc.returncode, 1)
        self.assertIn(f"  problem: /etc/netns/{name}-c1 is not natlab's link to the names of c1, so 'ip netns exec "
                      f"{name}-c1' does not see them; 'natlab create --replace {lab_file('two-nat.yaml')}' writes "
                      f"them again\n", proc.stdout)
        self.assertIn(" (NOT IN PLACE)\n", proc.stdout)

    def test_an_entry_natlab_did_not_make_refuses_the_create_and_is_left_alone(self):
        name = unique_name("nm-own")
        mine = f"/etc/netns/{name}-c0"
        os.makedirs(mine)
        self.addCleanup(shutil.rmtree, mine)
        with open(f"{mine}/hosts", "w") as f:
            f.write("10.9.9.9 someone-elses\n")
        proc = natlab("create", "--name", name, lab_file("two-nat.yaml"), check=False)
        self.addCleanup(natlab, "clean", "-q", name)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stderr,
                         f"natlab: {mine} already exists, and 'ip netns exec {name}-c0' would lay its files over "
                         f"/etc: natlab did not make it; remove it, or give the lab another name with --name\n")
        natlab("clean", "-q", name)
        self.assert_nothing_left(name)
        with open(f"{mine}/hosts") as f:
            self.assertEqual(f.read(), "10.9.9.9 someone-elses\n")

    def test_another_labs_link_under_the_same_name_is_left_alone(self):
        # Lab NAME's node x-c0 and lab NAME-x's node c0 are both NAME-x-c0.
        name = unique_name("nm-col")
        theirs = f"/etc/netns/{name}-x-c0"
        os.makedirs("/etc/netns", exist_ok=True)
        os.symlink(f"/run/natlab/{name}-x/etc", theirs)
        self.addCleanup(os.unlink, theirs)
        path = write_temp(f"name: {name}\nnodes:\n  x-c0: {{}}\n  y: {{}}\n"
                          "links:\n  - {endpoints: [x-c0:eth0, y:eth0], subnet: 10.0.0.0/24}\n")
        self.addCleanup(os.unlink, path)
        self.addCleanup(natlab, "clean", "-q", name)
        proc = natlab("create", path, check=False)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stderr,
                         f"natlab: {theirs} already exists, and 'ip netns exec {name}-x-c0' would lay its files "
                         f"over /etc: it is node c0 of lab {name}-x; remove that lab with 'natlab clean {name}-x', "
                         f"or give the lab another name with --name\n")
        natlab("clean", "-q", name)
        self.assertEqual(os.readlink(theirs), f"/run/natlab/{name}-x/etc")

    def test_clean_all_in_a_private_run_leaves_the_real_runs_links(self):
        # From a /run of its own every other lab's link points nowhere; clean --all must not take it for a leftover.
        name = self.create(lab_file("two-nat.yaml"), unique_name("nm-pr"))
        before = netns_etc_links(name)
        proc = in_private_run('"$NATLAB" clean --all -q && echo cleaned')
        self.assertEqual((proc.returncode, proc.stdout), (0, "cleaned\n"), proc.stderr)
        self.assertEqual(netns_etc_links(name), before)
        found = lookups(["ip", "netns", "exec", f"{name}-c0"], ["nat0"])
        self.assertEqual(set(found["nat0"]), held(f"{name}-nat0"))


class CleanUp(LabTestCase):
    def test_kill_9_mid_create_then_clean(self):
        name = unique_name("nm-k9")
        path = generated_lab(100, name)
        self.addCleanup(os.unlink, path)
        self.addCleanup(self.assert_gone_after_clean, name)
        create = subprocess.Popen([NATLAB, "create", "-q", path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        hosts = f"/run/natlab/{name}/etc/hosts"  # written while the network is made, the links after it
        try:
            wait_for(lambda: os.path.exists(hosts) or create.poll() is not None, timeout=60, interval=0.001)
        finally:
            create.kill()
            create.communicate()
        self.assertTrue(os.path.exists(f"/run/natlab/{name}/state"), "the create made nothing")
        natlab("clean", "-q", name)
        self.assert_nothing_left(name)

    def test_a_failed_create_leaves_no_link(self):
        # The kernel refuses the value mid-create, while the names are written beside the network.
        name = unique_name("nm-rb")
        path = write_temp(BROKEN_SYSCTL.format(key="net.ipv4.ip_forward", value="banana"))
        self.addCleanup(os.unlink, path)
        self.addCleanup(natlab, "clean", "-q", name)
        proc = natlab("create", "--name", name, path, check=False)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("Invalid argument", proc.stderr)
        self.assert_nothing_left(name)

    def test_a_container_that_fails_rolls_back_its_names(self):
        # A lab with containers writes its names before the network (nspawn binds them).
        name = unique_name("nm-cf")
        path = write_temp(f"name: {name}\nnodes:\n  c0: {{container: {{boot: true, ready-timeout: 1}}}}\n"
                          "  r: {kind: router}\nlinks:\n  - {endpoints: [c0:eth0, r:lan], subnet: 10.0.0.0/24}\n")
        self.addCleanup(os.unlink, path)
        self.addCleanup(natlab, "clean", "-q", name)
        proc = natlab("create", path, check=False, timeout=120)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn(f"container {name}-c0 was not ready after 1 s", proc.stderr)
        self.assert_nothing_left(name)

    def test_after_a_reboot_clean_all_removes_the_links_that_outlived_their_lab(self):
        # In a mount namespace of the test's own: /run and /etc/netns are tmpfs of its own (no other lab's link
        # is seen), and a /proc/stat whose boot time is "now" stands for the reboot: the first lab's links were
        # made before it, and its /run is gone. A link made after the reboot, whose lab lives in another /run as
        # far as natlab can tell, is left to 'natlab clean LAB'.
        proc = in_private_run(r"""
mkdir -p /etc/netns
mount -t tmpfs natlab-test-etc /etc/netns
"$NATLAB" create -q --name nm-boot "$LAB"
"$NATLAB" create -q --name nm-boot2 "$LAB"
ls /etc/netns | wc -l
sleep 1.1
umount -l /run
mount -t tmpfs natlab-test-after-reboot /run
mkdir /run/netns /run/natlab
sed "s/^btime .*/btime $(date +%s)/" /proc/stat > /run/stat
mount --bind /run/stat /proc/stat
sleep 1.1
ln -s /run/natlab/nm-other/etc /etc/netns/nm-other-c0
mkdir /etc/netns/nm-boot-x
echo "10.9.9.9 x" > /etc/netns/nm-boot-x/hosts
"$NATLAB" list | grep -c '^nm-boot .*leftover' || true
"$NATLAB" create -q --name nm-boot2 "$LAB" && echo "taken over" && "$NATLAB" clean -q nm-boot2
"$NATLAB" clean --all -q
ls /etc/netns
"$NATLAB" clean -q nm-other nm-boot
ls /etc/netns
cat /etc/netns/nm-boot-x/hosts
""", LAB=lab_file("two-nat.yaml"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.splitlines(),
                         ["10", "1", "taken over", "nm-boot-x", "nm-other-c0", "nm-boot-x", "10.9.9.9 x"])


class RunIn(LabTestCase):
    def test_run_in_resolves_names(self):
        name = unique_name("nm-run")
        self.addCleanup(self.assert_gone_after_clean, name)
        proc = natlab("run", "-q", "--name", name, lab_file("two-nat.yaml"), "--in", "c0", "--", "sh", "-c",
                      f"getent ahosts nat0.{name} && ping -c1 -w10 nat0", timeout=120)
        self.assertIn("10.0.1.1", proc.stdout)
        self.assertIn(f"bytes from nat0.{name} (10.0.1.1)", proc.stdout)


class Containers(LabTestCase):
    def test_a_container_sees_the_labs_names(self):
        name = unique_name("nm-ct")
        path = write_temp(f"name: {name}\nnodes:\n  c0: {{container: true, routes: {{default: r}}}}\n"
                          "  c1: {routes: {default: r}}\n  r: {kind: router}\n"
                          "links:\n  - {endpoints: [r:a, c0:eth0], subnet: 10.0.1.0/24}\n"
                          "  - {endpoints: [r:b, c1:eth0], subnet: 10.0.2.0/24}\n")
        self.addCleanup(os.unlink, path)
        self.create(path, name)
        found = lookups([NATLAB, "exec", name, "c0", "--"], ["c1", f"r.{name}", f"{name}-c0", "c0"])
        self.assertEqual(found, {"c1": ["10.0.2.2"], f"r.{name}": ["10.0.1.1", "10.0.2.1"],
                                 f"{name}-c0": ["10.0.1.2"], "c0": ["10.0.1.2"]})
        proc = subprocess.run([NATLAB, "exec", name, "c0", "--", "sh", "-c", "hostname; ping -c1 -w10 c1"],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout.splitlines()[0], f"{name}-c0", "the container's own hostname resolves")
        self.assertIn(f"bytes from c1.{name} (10.0.2.2)", proc.stdout)
        # And the other way round, from a bare namespace.
        self.assertEqual(lookups([NATLAB, "exec", name, "c1", "--"], ["c0"]), {"c0": ["10.0.1.2"]})


TEST_USER = "natlab-rootless-test"  # as test_run's, which the debris fixture knows


class WithoutRoot(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        created = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                                  TEST_USER], capture_output=True, text=True)
        if created.returncode == 0:
            cls.addClassCleanup(subprocess.run, ["userdel", TEST_USER], check=True)
        user = pwd.getpwnam(TEST_USER)
        cls.uid, cls.gid = user.pw_uid, user.pw_gid
        cls.dir = tempfile.mkdtemp()
        cls.addClassCleanup(shutil.rmtree, cls.dir)
        os.chmod(cls.dir, 0o755)
        cls.natlab = os.path.join(cls.dir, "natlab")
        shutil.copy(NATLAB, cls.natlab)
        shutil.copy(lab_file("two-nat.yaml"), cls.dir)

    def as_user(self, *argv):
        return subprocess.run(["setpriv", f"--reuid={self.uid}", f"--regid={self.gid}", "--clear-groups", "--",
                               *argv], capture_output=True, text=True, timeout=120, cwd=self.dir,
                              env={"PATH": os.environ["PATH"]})

    def test_run_in_and_natlab_exec_inside_a_rootless_run(self):
        name = unique_name("nm-rl")
        proc = self.as_user(self.natlab, "run", "-q", "--name", name, "two-nat.yaml", "--in", "c0", "--", "sh", "-c",
                            f"getent ahostsv4 nat0.{name} && ping -c1 -w10 nat0")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn(f"bytes from nat0.{name} (10.0.1.1)", proc.stdout)
        # On the host's side of the run, the command reaches the nodes through natlab exec and, where the host
        # has /etc/netns (the sandbox lays a directory of its own over it), ip netns exec.
        script = '"$NATLAB_BIN" exec "$NATLAB_LAB" c1 -- getent ahostsv4 nat1'
        if os.path.isdir("/etc/netns"):
            script += ' && ip netns exec "$NATLAB_NODE_C1_NETNS" getent ahostsv4 internet'
        proc = self.as_user(self.natlab, "run", "-q", "--name", name, "two-nat.yaml", "--", "sh", "-c", script)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("10.0.2.1", proc.stdout)
        self.assertEqual(netns_etc_links(name), set(), "a rootless lab's links are the sandbox's own")


if __name__ == "__main__":
    unittest.main()
