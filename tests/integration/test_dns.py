"""A lab's own DNS server: unbound on the node with 'dns:', asked by every node.

Witnesses natlab did not write: `dig` against the resolver each node's
resolv.conf names (and straight at the server), `getent ahosts` (glibc through
resolv.conf), `nc` connecting by name over TCP, nebula finding its lighthouse
by a name in `static_host_map`, `ip -j addr` for what each node holds, and
/proc for the server's process. DNS64 is judged by the IPv4 address embedded
in the synthesized AAAA (RFC 6052: the prefix's 96 bits, then the 32 of the
IPv4 address)."""
import ipaddress
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from natlab_test import NATLAB, LabTestCase, in_netns, ip_json, natlab, unique_name, wait_for

NEBULA = shutil.which("nebula")
NEBULA_CERT = shutil.which("nebula-cert")
SLOW = float(os.environ.get("NATLAB_SLOW", "1"))  # the stock-kernel guest runs under TCG
DNS64 = "2001:db8:64::/96"
TEST_USER = "natlab-dns-test"

# laptop: dual-stack behind home's NAT (IPv6 through its firewall); phone:
# IPv6 only behind home; island: behind home with no route out; server:
# dual-stack; legacy: IPv4 only. internet runs the DNS server.
LAB = """
name: {name}
nodes:
  laptop: {{kind: host, routes: {{default: home}}}}
  phone: {{kind: host, routes: {{default: home}}}}
  island: {{kind: host}}
  home: {{kind: nat, outside: wan, routes: {{default: internet}}, ipv6: firewall}}
  internet:
    kind: router
    dns:
      dns64: {dns64}
      records:
        www.example.com: 203.0.113.2
        both.example.com: [198.51.100.2, "2001:db8:2::2"]
  server: {{kind: host, routes: {{default: internet}}}}
  legacy: {{kind: host, routes: {{default: internet}}}}
links:
  - {{endpoints: [home:lan, laptop:eth0], subnet: [10.0.1.0/24, "2001:db8:1:1::/64"]}}
  - {{endpoints: [home:lan6, phone:eth0], subnet: "2001:db8:1:2::/64"}}
  - {{endpoints: [home:lan9, island:eth0], subnet: 10.0.9.0/24}}
  - {{endpoints: [internet:to-home, home:wan], subnet: [100.64.1.0/24, "2001:db8:ffff::/64"]}}
  - {{endpoints: [internet:srv, server:eth0], subnet: [203.0.113.0/24, "2001:db8:2::/64"]}}
  - {{endpoints: [internet:old, legacy:eth0], subnet: 198.51.100.0/24}}
"""
NODES = ["laptop", "phone", "island", "home", "internet", "server", "legacy"]
ASKING = [n for n in NODES if n != "island"]  # island reaches no address of the server


def lab_text(name, dns64=DNS64):
    return LAB.format(name=name, dns64=dns64)


def write_lab(text):
    fd, path = tempfile.mkstemp(suffix=".yaml", prefix="dns-")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(path, 0o644)
    return path


def held(netns):
    return {a["local"] for link in ip_json(netns, "addr") for a in link["addr_info"] if a.get("scope") == "global"}


def exec_on(lab, node, *cmd, timeout=20):
    return subprocess.run([NATLAB, "exec", lab, node, "--", *cmd], capture_output=True, text=True, timeout=timeout)


def dig(lab, node, server, name, rtype="A", *extra):
    """dig's answers ([(type, data)]) and status, asked of `server` from `node`."""
    proc = subprocess.run(["ip", "netns", "exec", f"{lab}-{node}", "dig", "+time=2", "+tries=1", "+noall",
                           "+answer", "+comments", f"@{server}", name, rtype, *extra],
                          capture_output=True, text=True, timeout=20)
    status = re.search(r"status: (\w+)", proc.stdout)
    answers = [(f[3], f[4]) for f in (line.split() for line in proc.stdout.splitlines()
                                      if line and not line.startswith(";")) if len(f) >= 5]
    return (status.group(1) if status else proc.stdout + proc.stderr), answers


def dig_many(lab, node, server, queries):
    """One dig for every (name, type) query: {(name, type): (status, {data of that type})}."""
    args = [a for name, rtype in queries for a in (name, rtype)]
    proc = subprocess.run(["ip", "netns", "exec", f"{lab}-{node}", "dig", "+time=2", "+tries=1", "+noall",
                           "+answer", "+comments", f"@{server}", *args],
                          capture_output=True, text=True, timeout=60)
    statuses = re.findall(r"status: (\w+)", proc.stdout)
    found = {}
    for line in proc.stdout.splitlines():
        f = line.split()
        if line and not line.startswith(";") and len(f) >= 5:
            found.setdefault((f[0].rstrip("."), f[3]), set()).add(f[4])
    assert len(statuses) == len(queries), proc.stdout + proc.stderr
    return {q: (st, found.get(q, set())) for q, st in zip(queries, statuses)}


def nameservers(lab, node):
    proc = exec_on(lab, node, "cat", "/etc/resolv.conf")
    return [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("nameserver")], proc.stdout


def unbound_pids(netns_prefix):
    """unbound processes whose network namespace is one of the lab's."""
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() != "unbound":
                    continue
            with open(f"/proc/{pid}/cmdline") as f:
                if f"/run/natlab/{netns_prefix}/" in f.read():
                    pids.append(int(pid))
        except OSError:
            continue
    return pids


def synthesized(v6, prefix=DNS64):
    """The IPv4 address embedded in an address under the /96 prefix, or None."""
    net = ipaddress.ip_network(prefix)
    address = ipaddress.ip_address(v6)
    if address not in net:
        return None
    return str(ipaddress.ip_address(int(address) & 0xFFFFFFFF))


class LabResolver(LabTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = unique_name("dns-t")
        cls.path = write_lab(lab_text(cls.lab))
        cls.addClassCleanup(os.unlink, cls.path)
        cls.addClassCleanup(natlab, "clean", "-q", cls.lab)
        natlab("create", "-q", cls.path)
        cls.held = {n: held(f"{cls.lab}-{n}") for n in NODES if n != "home" or True}

    def test_every_node_asks_the_server_at_an_address_it_holds(self):
        server = self.held["internet"]
        for node in ASKING:
            servers, text = nameservers(self.lab, node)
            self.assertTrue(servers, f"{node}: {text}")
            self.assertLessEqual(set(servers), server, f"{node}: {text}")
            self.assertIn(f"search {self.lab}", text)
        servers, _ = nameservers(self.lab, "phone")
        self.assertTrue(all(":" in s for s in servers), f"the IPv6-only phone asks over IPv6: {servers}")
        servers, _ = nameservers(self.lab, "legacy")
        self.assertTrue(all(":" not in s for s in servers), f"the IPv4-only legacy asks over IPv4: {servers}")

    def test_dig_against_each_nodes_resolver_answers_every_node(self):
        for asker in ASKING:
            resolver = nameservers(self.lab, asker)[0][0]
            queries = [(f"{node}.{self.lab}", t) for node in NODES for t in ("A", "AAAA")]
            answers = dig_many(self.lab, asker, resolver, queries)
            for node in NODES:
                name = f"{node}.{self.lab}"
                status, v4 = answers[(name, "A")]
                _, v6 = answers[(name, "AAAA")]
                self.assertEqual(status, "NOERROR", f"{name} from {asker}")
                native6 = {x for x in self.held[node] if ":" in x}
                self.assertEqual(v4, {x for x in self.held[node] if ":" not in x}, f"{name} A from {asker}")
                if native6:
                    self.assertEqual(v6, native6, f"{name} AAAA from {asker}")
                else:
                    # DNS64: an IPv4-only node's AAAA are its A under the prefix.
                    self.assertEqual({synthesized(x) for x in v6}, v4, f"{name} AAAA from {asker}")

    def test_getent_ahosts_resolves_bare_and_full_names(self):
        for name in ("server", f"server.{self.lab}"):
            proc = exec_on(self.lab, "laptop", "getent", "ahosts", name)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual({line.split()[0] for line in proc.stdout.splitlines()}, self.held["server"], name)

    def test_an_ipv6_only_node_gets_synthesized_aaaa_from_getent(self):
        legacy4 = next(iter(self.held["legacy"]))
        proc = exec_on(self.lab, "phone", "getent", "ahosts", "legacy")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        found = {line.split()[0] for line in proc.stdout.splitlines()}
        self.assertTrue(found, proc.stdout)
        self.assertEqual({synthesized(a) for a in found}, {legacy4},
                         f"the IPv6-only phone sees legacy only under {DNS64}, never 198.51.100.2 from a file")
        # A node that has IPv6 of its own is answered with it, not synthesized.
        proc = exec_on(self.lab, "phone", "getent", "ahostsv6", "server")
        self.assertFalse(any(synthesized(line.split()[0]) for line in proc.stdout.splitlines()), proc.stdout)

    def test_declared_names(self):
        resolver = nameservers(self.lab, "laptop")[0][0]
        self.assertEqual(dig(self.lab, "laptop", resolver, "www.example.com"), ("NOERROR", [("A", "203.0.113.2")]))
        status, aaaa = dig(self.lab, "laptop", resolver, "www.example.com", "AAAA")
        self.assertEqual([synthesized(d) for t, d in aaaa if t == "AAAA"], ["203.0.113.2"])
        self.assertEqual(dig(self.lab, "laptop", resolver, "both.example.com", "AAAA"),
                         ("NOERROR", [("AAAA", "2001:db8:2::2")]))
        proc = exec_on(self.lab, "legacy", "getent", "ahostsv4", "www.example.com")
        self.assertEqual({line.split()[0] for line in proc.stdout.splitlines()}, {"203.0.113.2"}, proc.stderr)

    def test_reverse_names(self):
        resolver = nameservers(self.lab, "laptop")[0][0]
        for address in ("203.0.113.2", "2001:db8:2::2"):
            status, answers = dig(self.lab, "laptop", resolver, "-x", address)
            self.assertEqual(answers, [("PTR", f"server.{self.lab}.")], address)
        # ping names the reply from the same server.
        proc = exec_on(self.lab, "laptop", "ping", "-c1", "-W2", "server")
        self.assertIn(f"from server.{self.lab} (2001:db8:2::2)", proc.stdout)

    def test_names_outside_the_lab_fail_at_once(self):
        resolver = nameservers(self.lab, "laptop")[0][0]
        start = time.monotonic()
        status, _ = dig(self.lab, "laptop", resolver, "example.org")
        self.assertEqual(status, "NXDOMAIN")
        proc = exec_on(self.lab, "phone", "getent", "ahosts", "example.org")
        self.assertEqual(proc.returncode, 2)
        self.assertLess(time.monotonic() - start, 2 * SLOW, "an outside name must not wait for a timeout")

    def test_a_node_that_reaches_no_server_says_why_and_fails_at_once(self):
        servers, text = nameservers(self.lab, "island")
        self.assertEqual(servers, ["127.0.0.1"])
        self.assertIn("reaches none of internet's addresses", text)
        start = time.monotonic()
        proc = exec_on(self.lab, "island", "getent", "ahosts", "server")
        self.assertEqual(proc.returncode, 2)
        self.assertLess(time.monotonic() - start, 2 * SLOW)

    def test_ip_netns_exec_sees_the_nodes_own_files(self):
        proc = subprocess.run(["ip", "netns", "exec", f"{self.lab}-phone", "getent", "ahosts", "legacy"],
                              capture_output=True, text=True, timeout=20)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(all(synthesized(line.split()[0]) for line in proc.stdout.splitlines()), proc.stdout)

    def test_nc_connects_by_name_over_tcp(self):
        for family, listen in (("-4", "0.0.0.0"), ("-6", "::")):
            server, stop = self.background(f"{self.lab}-server", "nc", family, "-l", listen, "7000",
                                           stdout=subprocess.PIPE, text=True)
            time.sleep(0.2)
            proc = subprocess.run([NATLAB, "exec", self.lab, "laptop", "--", "sh", "-c",
                                   f"echo hello-{family} | nc {family} -N -w 3 server 7000"],
                                  capture_output=True, text=True, timeout=20)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            out, _ = server.communicate(timeout=5)
            self.assertEqual(out.strip(), f"hello-{family}")
            stop()

    def test_status_and_description(self):
        status = json.loads(natlab("status", "--json", self.lab).stdout)
        self.assertTrue(status["healthy"], status.get("problems"))
        internet = next(n for n in status["nodes"] if n["name"] == "internet")
        self.assertEqual((internet["dns"]["program"], internet["dns"]["running"], internet["dns"]["dns64"]),
                         ("unbound", True, DNS64))
        text = natlab("status", self.lab).stdout
        self.assertIn("DNS server: unbound running on", text)
        with open(f"/run/natlab/{self.lab}/lab.json") as f:
            description = json.load(f)
        self.assertEqual(description["names"]["dns"]["node"], "internet")
        self.assertEqual(description["names"]["dns"]["records"]["www.example.com"], ["203.0.113.2"])
        self.assertEqual(description["nodes"]["island"]["resolvers"], [])

    def test_status_names_a_server_that_stopped(self):
        name = unique_name("dns-st")
        path = write_lab(lab_text(name))
        self.addCleanup(os.unlink, path)
        self.create(path, name)
        pids = unbound_pids(name)
        self.assertEqual(len(pids), 1)
        os.kill(pids[0], signal.SIGKILL)
        self.assertTrue(wait_for(lambda: not unbound_pids(name)))
        proc = natlab("status", name, check=False)
        self.assertEqual(proc.returncode, 1)
        self.assertIn(f"the DNS server of lab {name} (unbound on internet) is not running", proc.stdout + proc.stderr)


class ServerOnANat(LabTestCase):
    """home runs the server: its IPv4 rules drop what opens a flow from outside,
    even to home itself, and its IPv6 firewall lets that in."""

    def test_outside_nodes_are_given_only_what_answers(self):
        name = unique_name("dns-nat")
        text = lab_text(name).replace("ipv6: firewall}", "ipv6: firewall, dns: true}")
        text = re.sub(r"    dns:\n      dns64: .*\n      records:\n(        .*\n)*", "", text)
        path = write_lab(text)
        self.addCleanup(os.unlink, path)
        self.create(path, name)
        servers, conf = nameservers(name, "internet")
        self.assertTrue(servers and all(":" in s for s in servers), conf)
        for server in servers:
            self.assertEqual(dig(name, "internet", server, f"laptop.{name}")[1], [("A", "10.0.1.2")], server)
        # What it is not given would not answer: home's IPv4 address drops the question.
        status, _ = dig(name, "internet", "100.64.1.2", f"laptop.{name}")
        self.assertIn("timed out", status)
        servers, conf = nameservers(name, "legacy")
        self.assertEqual(servers, ["127.0.0.1"], conf)
        self.assertIn("legacy reaches none of home's addresses", conf)
        servers, conf = nameservers(name, "laptop")
        self.assertEqual(servers[0], "10.0.1.1", conf)


NEBULA_CONFIG = """
pki: {{ca: {dir}/ca.crt, cert: {dir}/{node}.crt, key: {dir}/{node}.key}}
static_host_map: {{"192.168.100.1": ["{lighthouse}:4242"]}}
lighthouse: {{am_lighthouse: {am_lighthouse}, interval: 1, hosts: {hosts}}}
listen: {{host: "::", port: 4242}}
punchy: {{punch: true, respond: true, delay: 1s}}
relay: {{am_relay: false, use_relays: false}}
tun: {{dev: nebula1}}
logging: {{level: info, format: json}}
firewall:
  outbound: [{{port: any, proto: any, host: any}}]
  inbound: [{{port: any, proto: any, host: any}}]
"""


class RendezvousByName(LabTestCase):
    """nebula on laptop (behind home's NAT) and legacy find their lighthouse on
    server by its name, server.LAB, and then reach each other."""

    def test_nebula_finds_its_lighthouse_by_name(self):
        if not (NEBULA and NEBULA_CERT):
            self.skipTest("nebula is not installed: scripts/setup test installs it")
        name = unique_name("dns-neb")
        path = write_lab(lab_text(name))
        self.addCleanup(os.unlink, path)
        self.create(path, name)
        pki = tempfile.mkdtemp(prefix="dns-nebula-")
        self.addCleanup(shutil.rmtree, pki)
        overlay = {"server": "192.168.100.1", "laptop": "192.168.100.2", "legacy": "192.168.100.3"}
        subprocess.run([NEBULA_CERT, "ca", "-name", "dns", "-out-crt", f"{pki}/ca.crt", "-out-key", f"{pki}/ca.key"],
                       check=True, capture_output=True)
        logs = {}
        for node, ip in overlay.items():
            subprocess.run([NEBULA_CERT, "sign", "-name", node, "-ip", ip + "/24", "-ca-crt", f"{pki}/ca.crt",
                            "-ca-key", f"{pki}/ca.key", "-out-crt", f"{pki}/{node}.crt", "-out-key",
                            f"{pki}/{node}.key"], check=True, capture_output=True)
            lighthouse = node == "server"
            with open(f"{pki}/{node}.yml", "w") as f:
                f.write(NEBULA_CONFIG.format(dir=pki, node=node, lighthouse=f"server.{name}",
                                             am_lighthouse=str(lighthouse).lower(),
                                             hosts="[]" if lighthouse else '["192.168.100.1"]'))
            logs[node] = f"{pki}/{node}.log"
            with open(logs[node], "w") as out:
                self.background(f"{name}-{node}", NEBULA, "-config", f"{pki}/{node}.yml", stdout=out,
                                stderr=subprocess.STDOUT)

        def handshakes(log):
            done = {}
            with open(log) as f:
                for line in f:
                    entry = json.loads(line) if line.startswith("{") else {}
                    if entry.get("msg") == "Handshake message received" and \
                            entry.get("handshake", {}).get("stage") == 2:
                        done[entry["vpnIp"]] = entry["udpAddr"]["ip"]
            return done

        server_addresses = held(f"{name}-server")
        for node in ("laptop", "legacy"):
            if not wait_for(lambda: overlay["server"] in handshakes(logs[node]), timeout=10 * SLOW):
                with open(logs[node]) as f:
                    self.fail(f"{node} never reached its lighthouse server.{name}; its log ends:\n" + f.read()[-2000:])
            self.assertIn(handshakes(logs[node])[overlay["server"]], server_addresses)
        ping = in_netns(f"{name}-laptop", "ping", "-c", "1", "-W", "2", "-w", str(int(8 * SLOW)), overlay["legacy"],
                        timeout=30)
        self.assertEqual(ping.returncode, 0, ping.stdout + ping.stderr)


class ServerLifetime(LabTestCase):
    def test_unbound_runs_in_the_node_and_is_gone_after_clean(self):
        name = unique_name("dns-cl")
        path = write_lab(lab_text(name))
        self.addCleanup(os.unlink, path)
        natlab("create", "-q", path)
        self.addCleanup(natlab, "clean", "-q", name)
        pids = unbound_pids(name)
        self.assertEqual(len(pids), 1)
        self.assertEqual(os.readlink(f"/proc/{pids[0]}/ns/net"),
                         os.readlink(f"/proc/{pids[0]}/ns/net"))  # readable while it runs
        netns_inode = os.stat(f"/run/netns/{name}-internet").st_ino
        self.assertEqual(os.stat(f"/proc/{pids[0]}/ns/net").st_ino, netns_inode, "unbound runs in internet's namespace")
        natlab("clean", "-q", name)
        self.assertEqual(unbound_pids(name), [])
        self.assert_nothing_left(name)

    def test_clean_after_kill_9_mid_create(self):
        name = unique_name("dns-k9")
        path = write_lab(lab_text(name))
        self.addCleanup(os.unlink, path)
        landed = 0
        for delay in (0.0, 0.01, 0.03, 0.06, 0.1):
            create = subprocess.Popen([NATLAB, "create", "-q", path], stderr=subprocess.DEVNULL)
            self.addCleanup(natlab, "clean", "-q", name)
            # Killed once unbound is being started: the lab's last step.
            wait_for(lambda: os.path.exists(f"/run/natlab/{name}/dns/unbound.conf"), timeout=5, interval=0.001)
            time.sleep(delay)
            create.send_signal(signal.SIGKILL)
            if create.wait() == -signal.SIGKILL:
                landed += 1
            natlab("clean", "-q", name)
            self.assertEqual(unbound_pids(name), [], f"unbound left after kill -9 at +{delay}s and clean")
            self.assert_nothing_left(name)
        self.assertGreater(landed, 0, "no kill landed mid-create")

    def test_a_missing_program_is_named(self):
        # Planned without root: the server is a step of the plan, shown in shell too.
        name = unique_name("dns-pl")
        path = write_lab(lab_text(name))
        self.addCleanup(os.unlink, path)
        plan = natlab("plan", "--format", "shell", path).stdout
        self.assertIn(f"ip netns exec {name}-internet unbound -d -c /run/natlab/{name}/dns/unbound.conf", plan)
        self.assertIn("dns64-prefix: 2001:db8:64::/96", plan)


class RootlessRun(unittest.TestCase):
    """natlab run as an unprivileged user: the lab's server answers in its sandbox."""

    @classmethod
    def setUpClass(cls):
        created = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                                  TEST_USER], capture_output=True, text=True)
        cls.made_user = created.returncode == 0
        user = pwd.getpwnam(TEST_USER)
        cls.uid, cls.gid = user.pw_uid, user.pw_gid
        cls.dir = tempfile.mkdtemp(prefix="dns-")
        os.chmod(cls.dir, 0o755)
        cls.natlab = os.path.join(cls.dir, "natlab")
        shutil.copy(NATLAB, cls.natlab)
        with open(os.path.join(cls.dir, "lab.yaml"), "w") as f:
            f.write(lab_text("dns-rootless"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)
        if cls.made_user:
            subprocess.run(["userdel", TEST_USER], check=True)

    def as_user(self, *argv):
        return subprocess.run(["setpriv", f"--reuid={self.uid}", f"--regid={self.gid}", "--clear-groups", "--",
                               *argv], capture_output=True, text=True, timeout=60, cwd=self.dir,
                              env={"PATH": os.environ["PATH"]})

    def test_names_resolve_without_root(self):
        proc = self.as_user(self.natlab, "run", "-q", "--name", unique_name("dns-rl"), "--in", "phone", "lab.yaml",
                            "--", "sh", "-c", "getent ahosts server; getent ahosts legacy; "
                            "dig +short +time=2 +tries=1 www.example.com")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stdout.split()
        self.assertIn("2001:db8:2::2", lines)
        self.assertIn("2001:db8:64::c633:6402", lines, "legacy (198.51.100.2) synthesized for the IPv6-only phone")
        self.assertIn("203.0.113.2", lines)


if __name__ == "__main__":
    unittest.main()
