"""Addresses handed out by DHCP: dnsmasq on a NAT node's inside interfaces
(one facing a switched segment of two hosts, one facing a single host, as
libvirt's default networks are), udhcpc on each host. Judged by witnesses
natlab did not write: `ip -j addr` (a dynamic address with a finite
lifetime), `ip route`, ping to the gateway and through the NAT, dnsmasq's
own lease file, a second client (busybox udhcpc one-shot) in a namespace of
the test's own, and after clean (also after kill -9 of a create) no process,
namespace or file."""
import json
import os
import signal
import subprocess
import time
import unittest

from natlab_test import (NATLAB, LabTestCase, in_netns, ip_json, natlab, netns_list, unique_name,
                         wait_for)

TOPOLOGY = """
name: dhcp
nodes:
  hv: {kind: nat, outside: wan, routes: {default: internet},
       dhcp: {virbr0: {lease: 2m}, virbr1: {range: 10.0.100.2-10.0.100.254}}}
  sw: {kind: switch, subnet: 192.168.122.0/24}
  vma:
  vmb:
  vmc:
  spare:
  internet: {kind: router}
links:
  - {endpoints: [hv:virbr0, sw:p0]}
  - {endpoints: [sw:p1, vma:eth0 dhcp]}
  - {endpoints: [sw:p2, vmb:eth0 dhcp]}
  - {endpoints: [sw:p3, spare:eth0]}
  - {endpoints: [hv:virbr1, vmc:eth0 dhcp], subnet: 10.0.100.0/24}
  - {endpoints: [internet:to-hv, hv:wan], subnet: 203.0.113.0/24}
"""


def leased(netns, ifname="eth0"):
    """The IPv4 addresses of the interface as `ip -j addr` shows them."""
    info = ip_json(netns, "-4", "addr", "show", "dev", ifname)
    return [a for a in info[0]["addr_info"]] if info else []


def comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return None


def state(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def lab_processes(lab):
    """pid -> program of every process in the lab's namespaces."""
    out = {}
    for ns in netns_list():
        if not ns.startswith(lab + "-"):
            continue
        pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout.split()
        for pid in pids:
            if comm(pid) and state(pid) != "Z":
                out[int(pid)] = comm(pid)
    return out


def programs_named(names):
    """pids of running processes whose command line names these files."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().decode(errors="replace")
        except OSError:
            continue
        if any(n in cmd for n in names):
            found.append(int(pid))
    return found


class Dhcp(LabTestCase):
    def make(self):
        name = self.create_from_text(TOPOLOGY, "dhcp-t")
        self.lab = name
        return name

    def lease_of(self, node):
        with open(f"/run/natlab/{self.lab}/dhcp/{node}.eth0.lease") as f:
            return json.load(f)

    def test_leases_in_place_when_create_returns(self):
        lab = self.make()
        # Witness: the kernel's view, at once after create.
        for node, subnet, lifetime in (("vma", "192.168.122.", 120), ("vmb", "192.168.122.", 120),
                                       ("vmc", "10.0.100.", 3600)):
            addrs = leased(f"{lab}-{node}")
            self.assertEqual(len(addrs), 1, f"{node}: {addrs}")
            a = addrs[0]
            self.assertTrue(a["local"].startswith(subnet), a)
            self.assertEqual(a["prefixlen"], 24)
            self.assertTrue(a.get("dynamic"), a)
            self.assertGreater(a["valid_life_time"], lifetime - 30)
            self.assertLessEqual(a["valid_life_time"], lifetime)
            routes = ip_json(f"{lab}-{node}", "-4", "route", "show", "default")
            self.assertEqual(routes[0]["gateway"], subnet + "1")
            self.assertEqual(routes[0]["protocol"], "dhcp")
        # The static spare host on the same switch keeps .2: the default range starts above it.
        spare = leased(f"{lab}-spare")[0]["local"]
        self.assertEqual(spare, "192.168.122.2")
        for node in ("vma", "vmb"):
            self.assertNotEqual(leased(f"{lab}-{node}")[0]["local"], spare)
        # dnsmasq's own lease file names each client with the address it holds.
        with open(f"/run/natlab/{lab}/dhcp/hv.dnsmasq.leases") as f:
            rows = {line.split()[3]: line.split()[2] for line in f if line.strip()}
        for node in ("vma", "vmb", "vmc"):
            self.assertEqual(rows[node], leased(f"{lab}-{node}")[0]["local"])
        # Traffic: the gateway, and beyond through the NAT (the far end sees hv's address).
        for node, gw in (("vma", "192.168.122.1"), ("vmc", "10.0.100.1")):
            self.assertEqual(in_netns(f"{lab}-{node}", "ping", "-c1", "-W2", gw).returncode, 0)
            self.assertEqual(in_netns(f"{lab}-{node}", "ping", "-c1", "-W2", "203.0.113.1").returncode, 0)
        # Names: the hosts file resolves each DHCP host to its lease.
        vma = leased(f"{lab}-vma")[0]["local"]
        got = in_netns(f"{lab}-vmb", "getent", "hosts", "vma").stdout.split()
        self.assertEqual(got[0], vma)
        # status: healthy, each lease, both daemons running.
        status = json.loads(natlab("status", "--json", lab).stdout)
        self.assertTrue(status["healthy"], status["problems"])
        nodes = {n["name"]: n for n in status["nodes"]}
        self.assertTrue(nodes["hv"]["dhcp_server"]["running"])
        self.assertEqual(nodes["vma"]["dhcp"][0]["lease"]["address"], vma + "/24")
        self.assertTrue(nodes["vma"]["dhcp"][0]["running"])
        # The description and the graph show the lease.
        with open(f"/run/natlab/{lab}/lab.json") as f:
            desc = json.load(f)
        self.assertEqual(desc["nodes"]["vma"]["ipv4"], vma)
        self.assertEqual(desc["nodes"]["vma"]["interfaces"]["eth0"]["dhcp"]["lease"]["lease_s"], 120)
        self.assertIn(f"{vma}/24 (DHCP, 120 s)", natlab("graph", lab).stdout)

    def test_natlab_run_hands_its_command_the_leased_addresses(self):
        path = f"/tmp/{unique_name('dhcp-run')}.yaml"
        with open(path, "w") as f:
            f.write(TOPOLOGY)
        self.addCleanup(os.unlink, path)
        name = unique_name("dhcp-r")
        out = natlab("run", "-q", "--name", name, path, "--", "sh", "-c",
                     'echo "$NATLAB_NODE_VMA_IPV4 $NATLAB_NODE_VMC_ETH0_IPV4"; '
                     'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); '
                     'print(d[\'nodes\'][\'vma\'][\'ipv4\'])" "$NATLAB_LAB_JSON"')
        vma, vmc, described = out.stdout.split()
        self.assertRegex(vma, r"^192\.168\.122\.\d+$")
        self.assertRegex(vmc, r"^10\.0\.100\.\d+$")
        self.assertEqual(described, vma)
        self.assert_nothing_left(name)

    def test_a_second_client_gets_a_lease_from_natlabs_server(self):
        lab = self.make()
        # A namespace of the test's own, joined to the switch by a veth pair
        # it makes itself: busybox's udhcpc, one shot, with its default
        # behaviour and no natlab hook (-s /bin/true: it only reports).
        ns = unique_name("dhcp-w")
        subprocess.run(["ip", "netns", "add", ns], check=True)
        self.addCleanup(subprocess.run, ["ip", "netns", "delete", ns])
        subprocess.run(["ip", "-n", ns, "link", "add", "w0", "type", "veth", "peer", "name", "pw",
                        "netns", f"{lab}-sw"], check=True)
        subprocess.run(["ip", "-n", f"{lab}-sw", "link", "set", "pw", "master", "br0", "up"], check=True)
        subprocess.run(["ip", "-n", ns, "link", "set", "w0", "up"], check=True)
        out = subprocess.run(["ip", "netns", "exec", ns, "busybox", "udhcpc", "-q", "-n", "-f", "-i", "w0",
                              "-t", "5", "-T", "1", "-s", "/bin/true", "-x", "hostname:witness"],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertRegex(out.stdout + out.stderr, r"lease of 192\.168\.122\.\d+ obtained from 192\.168\.122\.1")
        with open(f"/run/natlab/{lab}/dhcp/hv.dnsmasq.leases") as f:
            self.assertIn("witness", f.read())

    def test_pool_change_and_renewal_move_the_address(self):
        lab = self.make()
        before = leased(f"{lab}-vma")[0]["local"]
        # A range that holds no address handed out so far.
        natlab("set", lab, "hv", "dhcp.virbr0.range=192.168.122.200-192.168.122.209")
        self.assertEqual(leased(f"{lab}-vma")[0]["local"], before, "the lease holds until renewal")
        # The renewal, hurried: udhcpc renews on SIGUSR1.
        vma_pids = subprocess.run(["ip", "netns", "pids", f"{lab}-vma"], capture_output=True,
                                  text=True).stdout.split()
        client = [int(p) for p in vma_pids if comm(p) == "udhcpc"]
        self.assertEqual(len(client), 1)
        os.kill(client[0], signal.SIGUSR1)

        def moved():
            a = leased(f"{lab}-vma")
            return len(a) == 1 and a[0]["local"].startswith("192.168.122.20")

        self.assertTrue(wait_for(moved, timeout=15), leased(f"{lab}-vma"))
        now = leased(f"{lab}-vma")[0]["local"]
        self.assertEqual(in_netns(f"{lab}-vma", "ping", "-c1", "-W2", "203.0.113.1").returncode, 0)
        self.assertTrue(wait_for(lambda: self.lease_of("vma")["address"] == now + "/24", timeout=5))
        self.assertEqual(in_netns(f"{lab}-vmb", "getent", "hosts", "vma").stdout.split()[0], now)
        status = json.loads(natlab("status", "--json", lab).stdout)
        self.assertTrue(status["healthy"], status["problems"])
        hv = [n for n in status["nodes"] if n["name"] == "hv"][0]
        self.assertEqual(hv["dhcp_server"]["interfaces"][0]["range"], "192.168.122.200-192.168.122.209")
        # A bad range is refused and changes nothing.
        bad = natlab("set", lab, "hv", "dhcp.virbr0.range=10.9.9.1-10.9.9.5", check=False)
        self.assertEqual(bad.returncode, 2, bad.stderr)
        self.assertIn("is not inside the hosts of 192.168.122.0/24", bad.stderr)
        self.assertEqual(leased(f"{lab}-vma")[0]["local"], now)

    def test_an_unfinished_pool_change_is_finished_by_the_next_command(self):
        lab = self.make()
        # What a natlab killed midway leaves: the change begun by a process now gone.
        gone = subprocess.Popen(["sleep", "60"])
        with open(f"/proc/{gone.pid}/stat") as stat:
            started = stat.read().rsplit(")", 1)[1].split()[19]
        gone.kill()
        gone.wait()
        with open(f"/run/natlab/{lab}/state", "a") as state:
            state.write(f"begin {gone.pid} {started} dhcp hv virbr0.range=192.168.122.50-192.168.122.59\n")
        command = f"natlab set {lab} hv dhcp.virbr0.range=192.168.122.50-192.168.122.59"
        status = natlab("status", lab, "--json", check=False)
        self.assertEqual(status.returncode, 1)
        self.assertIn(f"'{command}' was begun and not finished", json.loads(status.stdout)["problems"][0])
        again = natlab("set", lab, "hv", "dhcp.virbr0.lease=5m")
        self.assertEqual(again.stderr, f"natlab: finished '{command}', which an earlier natlab began and did "
                                       "not finish\n")
        with open(f"/run/natlab/{lab}/dhcp/hv.dnsmasq.conf") as f:
            self.assertIn("dhcp-range=set:virbr0,192.168.122.50,192.168.122.59,255.255.255.0,300\n", f.read())
        self.assertTrue(json.loads(natlab("status", lab, "--json").stdout)["healthy"])

    def test_clean_leaves_no_process_namespace_or_file(self):
        lab = self.make()
        daemons = [pid for pid, prog in lab_processes(lab).items() if prog in ("dnsmasq", "udhcpc")]
        self.assertEqual(len(daemons), 4)
        natlab("clean", "-q", lab)
        self.assert_nothing_left(lab)
        self.assertEqual(programs_named([f"/run/natlab/{lab}/"]), [])
        for pid in daemons:  # gone, or a zombie its reaper has not collected yet
            self.assertIn(state(pid), (None, "Z"), pid)

    def test_kill_9_during_create_then_clean_leaves_nothing(self):
        fd_path = f"/tmp/{unique_name('dhcp-k')}.yaml"
        name = unique_name("dhcp-k")
        with open(fd_path, "w") as f:
            f.write(TOPOLOGY.replace("name: dhcp", f"name: {name}"))
        self.addCleanup(os.unlink, fd_path)
        self.addCleanup(natlab, "clean", "-q", name)
        killed_with_daemons = 0
        for delay in (0.0, 0.02, 0.05, 0.1):
            create = subprocess.Popen([NATLAB, "create", "-q", fd_path], stderr=subprocess.DEVNULL)
            wait_for(lambda: any(p in ("dnsmasq", "udhcpc") for p in lab_processes(name).values()),
                     timeout=5, interval=0.002)
            time.sleep(delay)
            create.send_signal(signal.SIGKILL)
            create.wait()
            if any(p in ("dnsmasq", "udhcpc") for p in lab_processes(name).values()):
                killed_with_daemons += 1
            natlab("clean", "-q", name)
            self.assert_nothing_left(name)
            self.assertEqual(programs_named([f"/run/natlab/{name}/"]), [])
        self.assertGreater(killed_with_daemons, 0, "no kill landed while daemons ran")

    def test_refusals_name_the_place_and_the_fix(self):
        cases = [
            ("  - {endpoints: [hv:virbr1, vmc:eth0 dhcp], subnet: 10.0.100.0/24}",
             "  - {endpoints: [internet:x, vmc:eth0 dhcp], subnet: 10.0.100.0/24}",
             "vmc:eth0 takes its address by DHCP, and no router or NAT on its segment serves DHCP; "
             "add 'dhcp: [x]' to node 'internet'"),
            ("{lease: 2m}", "{range: 192.168.122.2-192.168.123.254}",
             "is not inside the hosts of 192.168.122.0/24"),
            ("{lease: 2m}", "{range: 192.168.122.2-192.168.122.9}",
             "holds 192.168.122.2, the static address of spare:eth0"),
            ("lease: 2m", "lease: 30s", "DHCP lease 30s is shorter than 2m"),
        ]
        for old, new, message in cases:
            text = TOPOLOGY.replace(old, new)
            self.assertNotEqual(text, TOPOLOGY, old)
            path = f"/tmp/{unique_name('dhcp-bad')}.yaml"
            with open(path, "w") as f:
                f.write(text)
            self.addCleanup(os.unlink, path)
            out = natlab("plan", path, check=False)
            self.assertEqual(out.returncode, 2, out.stdout)
            self.assertRegex(out.stderr, rf"{path}:\d+:\d+: ")
            self.assertIn(message, out.stderr)


if __name__ == "__main__":
    unittest.main()
