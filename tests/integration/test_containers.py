"""systemd-nspawn containers on lab nodes: packets, exec, boot, clean-up.

Witnesses: the process table (/proc), the mount table, real UDP packets, and
what commands inside the container report about themselves.
"""
import os
import signal
import subprocess
import unittest

from natlab_test import (NATLAB, PYTHON, UDP_SERVER, LabTestCase, lab_file, natlab, netns_list, unique_name,
                         wait_for)

UDP_CLIENT_ONE_SHOT = (
    "import socket,sys\n"
    "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.settimeout(0.3)\n"
    "for _ in range(10):\n"
    "    s.sendto(b'from-container',(sys.argv[1],int(sys.argv[2])))\n"
    "    try: print(s.recv(100).decode()); sys.exit(0)\n"
    "    except socket.timeout: pass\n"
    "sys.exit(1)\n")


def processes_mentioning(text):
    """pids whose command line contains text (nspawn names its machine there)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if text.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def mounts_mentioning(text):
    with open("/proc/self/mountinfo") as f:
        return [line for line in f if text in line]


def state_leaders(name):
    with open(f"/run/natlab/{name}/state") as f:
        return {line.split()[1]: int(line.split()[2]) for line in f if line.startswith("leader ")}


class ContainerLab(LabTestCase):
    """labs/containers.yaml: c0 runs a command container, c1 a booted one, both on the host tree."""

    def setUp(self):
        self.name = self.create(lab_file("containers.yaml"), unique_name("it-ct"))

    def exec(self, node, *cmd, check=True):
        return natlab("exec", self.name, node, "--", *cmd, check=check)

    def test_packet_from_each_container_crosses_its_nat(self):
        # The server is bound to one address: a reply from the router's other
        # address would (rightly) be dropped by c1's port-restricted NAT.
        for node, nat_address in (("c0", "100.64.1.100"), ("c1", "100.64.2.100")):
            server = subprocess.Popen(["ip", "netns", "exec", f"{self.name}-internet", PYTHON, "-c", UDP_SERVER,
                                       "100.64.1.1", "40000", "3"], stdout=subprocess.PIPE, text=True)
            try:
                self.assertEqual(server.stdout.readline().strip(), "ready")
                client = self.exec(node, PYTHON, "-c", UDP_CLIENT_ONE_SHOT, "100.64.1.1", "40000", check=False)
                self.assertEqual(client.returncode, 0, client.stderr)
                self.assertEqual(client.stdout.strip(), "reply:from-container")
                server.wait(timeout=10)
                seen = server.stdout.read().split()
                # The server saw the NAT's public address, not the container's private one.
                self.assertEqual(seen[0].split(":")[0], nat_address, seen)
            finally:
                if server.poll() is None:
                    server.kill()
                server.wait()
                server.stdout.close()

    def test_exec_runs_inside_the_container(self):
        self.assertEqual(self.exec("c0", "hostname").stdout.strip(), f"{self.name}-c0")
        # Its own process tree: PID 1 is nspawn's stub init, the command is PID 2.
        ps = self.exec("c0", "ps", "-e", "-o", "pid=,comm=").stdout.split("\n")
        table = dict(line.split(None, 1) for line in ps if line.strip())
        self.assertEqual(table["1"], "(sd-stubinit)")
        self.assertEqual(table["2"], "sleep")
        self.assertNotIn("systemd-nspawn", self.exec("c0", "ps", "-e", "-o", "comm=").stdout)
        # The environment the topology declares.
        self.assertEqual(self.exec("c0", "sh", "-c", "echo $LAB").stdout.strip(), "containers")
        # Writes land in the throw-away overlay, not on the host's tree.
        marker = f"/var/tmp/{self.name}-written-inside"
        self.exec("c0", "touch", marker)
        self.assertEqual(self.exec("c0", "ls", marker).returncode, 0)
        self.assertFalse(os.path.exists(marker))
        # Exit codes pass through from inside.
        self.assertEqual(self.exec("c0", "sh", "-c", "exit 7", check=False).returncode, 7)
        # A node without a container: the bare namespace, the host's hostname.
        self.assertEqual(self.exec("nat0", "hostname").stdout.strip(), os.uname().nodename)

    def test_booted_container_reaches_running_state(self):
        state = self.exec("c1", "systemctl", "is-system-running", check=False).stdout.strip()
        self.assertIn(state, ("running", "degraded"))
        self.assertEqual(self.exec("c1", "cat", "/proc/1/comm").stdout.strip(), "systemd")
        status = natlab("status", self.name, "--json")
        self.assertIn('"running": true', status.stdout)

    def test_clean_leaves_no_process_mount_or_nspawn_files(self):
        leaders = state_leaders(self.name)
        self.assertEqual(set(leaders), {"c0", "c1"})
        # A command left running on a node without a container is cleaned up too.
        stray = subprocess.Popen([NATLAB, "exec", self.name, "nat0", "--", "sleep", "600"])
        self.addCleanup(stray.wait)
        self.assertTrue(wait_for(lambda: processes_mentioning("sleep\x00600")))
        self.assertTrue(processes_mentioning(f"--machine={self.name}-c0"))
        natlab("clean", self.name)
        for pid in leaders.values():
            self.assertFalse(os.path.exists(f"/proc/{pid}/ns"), f"container leader {pid} still runs")
        self.assertEqual(processes_mentioning(f"--machine={self.name}-"), [])
        self.assertEqual(stray.wait(timeout=5), -signal.SIGKILL)
        self.assertEqual(mounts_mentioning(f"/run/natlab/{self.name}"), [])
        for node in ("c0", "c1"):
            self.assertFalse(os.path.exists(f"/run/systemd/nspawn/propagate/{self.name}-{node}"))
        self.assert_nothing_left(self.name)


BAD_TREE = """name: badtree
nodes:
  c0: {container: {root: /nonexistent/natlab-tree}}
  c1: {}
links:
  - {endpoints: [c0:eth0, c1:eth0], subnet: 10.0.0.0/24}
"""

SLOW_BOOT = """name: slowboot
nodes:
  c0: {container: {boot: true, ready-timeout: 1}}
  c1: {container: true}
links:
  - {endpoints: [c0:eth0, c1:eth0], subnet: 10.0.0.0/24}
"""

BOOTING = """name: booting
nodes:
  c0: {container: {boot: true}}
  c1: {container: true}
links:
  - {endpoints: [c0:eth0, c1:eth0], subnet: 10.0.0.0/24}
"""


class ContainerFailures(LabTestCase):
    def write(self, text):
        path = os.path.join("/tmp", unique_name("natlab-ct") + ".yaml")
        with open(path, "w") as f:
            f.write(text)
        self.addCleanup(os.unlink, path)
        return path

    def test_bad_tree_fails_before_anything_is_made(self):
        name = unique_name("it-badtree")
        path = self.write(BAD_TREE)
        proc = natlab("create", "--name", name, path, check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stderr.strip(),
                         f"{path}:3:26: container root '/nonexistent/natlab-tree' does not exist; prepare one with "
                         f"'natlab image build DIR', or use 'root: host'\n"
                         f"natlab: 1 problem in {path}; nothing was done")
        self.assert_nothing_left(name)

    def test_container_not_ready_in_time_rolls_back_the_lab(self):
        name = unique_name("it-slow")
        self.addCleanup(natlab, "clean", "-q", name)
        proc = natlab("create", "--name", name, self.write(SLOW_BOOT), check=False)
        self.assertEqual(proc.returncode, 1)
        first_line = proc.stderr.splitlines()[0]
        expected = (f"natlab: creating lab {name} failed while container {name}-c0 was not ready after 1 s "
                    f"(raise 'ready-timeout' if it needs longer); the end of /run/natlab/{name}/logs/c0.log:")
        # On a slow machine (QEMU's TCG) nspawn may not have written a line yet.
        self.assertIn(first_line, (expected, expected + " (empty)"))
        self.assertTrue(proc.stderr.strip().endswith(f"nothing of lab {name} was left behind"), proc.stderr)
        self.assertEqual(processes_mentioning(f"--machine={name}-"), [])
        self.assertEqual(mounts_mentioning(f"/run/natlab/{name}"), [])
        self.assert_nothing_left(name)

    def test_clean_after_kill9_while_containers_boot(self):
        name = unique_name("it-k9ct")
        self.addCleanup(natlab, "clean", "-q", name)
        create = subprocess.Popen([NATLAB, "create", "-q", "--name", name, self.write(BOOTING)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def both_leaders_recorded():
            try:
                return set(state_leaders(name)) == {"c0", "c1"}
            except OSError:
                return False
        # Kill natlab while it waits for the booted container to come up:
        # each leader is written down as soon as nspawn reports it.
        self.assertTrue(wait_for(both_leaders_recorded, timeout=10))
        self.assertIsNone(create.poll(), "create returned before c0 finished booting")
        create.send_signal(signal.SIGKILL)
        create.wait()
        self.assertTrue(processes_mentioning(f"--machine={name}-c0"), "the containers outlive a killed natlab")
        natlab("clean", name)
        self.assertEqual(processes_mentioning(f"--machine={name}-"), [])
        self.assert_nothing_left(name)


if __name__ == "__main__":
    unittest.main()
