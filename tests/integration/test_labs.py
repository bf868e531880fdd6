"""Each bundled lab built in real namespaces, checked with ip -j and real packets."""
import json
import os
import subprocess
import tempfile
import unittest

import yaml

from natlab_test import (NATLAB, SOURCE_DIR, LabTestCase, addresses, in_netns, ip_json, lab_file, natlab, netns_list, udp_exchange,
                         unique_name, wait_for)


def default_route(netns):
    routes = [r for r in ip_json(netns, "route", "show") if r["dst"] == "default"]
    return routes[0]["gateway"] if routes else None


class BundledLabs(LabTestCase):
    def assert_links_match_file(self, lab, path):
        """Every endpoint named in the YAML exists and is up (read with PyYAML, not natlab)."""
        with open(path) as f:
            topo = yaml.safe_load(f)
        for link in topo["links"]:
            for endpoint in link["endpoints"]:
                node, ifname = endpoint.split()[0].split(":")
                info = ip_json(f"{lab}-{node}", "-d", "link", "show", "dev", ifname)[0]
                self.assertIn("UP", info["flags"], f"{node}:{ifname} is not up")
                self.assertEqual(info["link_type"], "ether")
                # One queue each way, asked for at creation (the kernel's default
                # is one per CPU, cut to one after an RCU wait under the rtnl lock).
                self.assertEqual((info["num_tx_queues"], info["num_rx_queues"]), (1, 1), f"{node}:{ifname}")

    def test_two_nat(self):
        lab = self.create(lab_file("two-nat.yaml"), unique_name("it-two"))
        self.assert_links_match_file(lab, lab_file("two-nat.yaml"))
        self.assertEqual(addresses(f"{lab}-c0", "eth0"), ["10.0.1.2/24"])
        self.assertEqual(addresses(f"{lab}-nat0", "wan"), ["100.64.1.100/24"])
        self.assertEqual(addresses(f"{lab}-internet", "to-nat1"), ["100.64.2.1/24"])
        self.assertEqual(default_route(f"{lab}-c0"), "10.0.1.1")
        self.assertEqual(default_route(f"{lab}-nat1"), "100.64.2.1")
        self.assertEqual(in_netns(f"{lab}-nat0", "sysctl", "-n", "net.ipv4.ip_forward").stdout.strip(), "1")
        self.assertEqual(in_netns(f"{lab}-c0", "sysctl", "-n", "net.ipv4.ip_forward").stdout.strip(), "0")
        # Through nat0 and the router: the router sees nat0's outside address, not c0's.
        seen, rc = udp_exchange(f"{lab}-internet", "100.64.2.1", f"{lab}-c0")
        self.assertEqual(rc, 0, "c0 got no reply through nat0")
        self.assertEqual(seen.split(":")[0], "100.64.1.100")
        seen, rc = udp_exchange(f"{lab}-internet", "100.64.1.1", f"{lab}-c1")
        self.assertEqual((seen.split(":")[0], rc), ("100.64.2.100", 0))
        # Every hop: c0 -> nat0 -> internet -> nat1's outside address.
        self.assertEqual(in_netns(f"{lab}-c0", "ping", "-c1", "-W2", "100.64.2.100").returncode, 0)
        # Behind its NAT, c1 cannot be reached from outside.
        self.assertNotEqual(in_netns(f"{lab}-internet", "ping", "-c1", "-W1", "10.0.2.2").returncode, 0)

    def test_switched_lan(self):
        lab = self.create(lab_file("switched-lan.yaml"), unique_name("it-sw"))
        self.assert_links_match_file(lab, lab_file("switched-lan.yaml"))
        bridge = ip_json(f"{lab}-sw0", "link", "show", "type", "bridge")
        self.assertEqual([b["ifname"] for b in bridge], ["br0"])
        ports = ip_json(f"{lab}-sw0", "link", "show", "master", "br0")
        self.assertEqual(sorted(p["ifname"] for p in ports), ["p0", "p1", "p2", "p3"])
        self.assertEqual(addresses(f"{lab}-h3", "eth0"), ["192.168.1.4/24"])
        for ns, ifname in ((f"{lab}-gw", "wan"), (f"{lab}-server", "eth0")):
            self.assertEqual(ip_json(ns, "link", "show", "dev", ifname)[0]["mtu"], 1400)
        self.assertEqual(ip_json(f"{lab}-gw", "link", "show", "dev", "lan")[0]["mtu"], 1500)
        # Hosts reach each other across the bridge, and the server through the NAT.
        self.assertEqual(in_netns(f"{lab}-h1", "ping", "-c1", "-W2", "192.168.1.3").returncode, 0)
        for host in ("h1", "h2", "h3"):
            seen, rc = udp_exchange(f"{lab}-server", "203.0.113.2", f"{lab}-{host}")
            self.assertEqual((seen.split(":")[0], rc), ("203.0.113.1", 0), host)

    def test_double_nat(self):
        lab = self.create(lab_file("double-nat.yaml"), unique_name("it-dbl"))
        self.assert_links_match_file(lab, lab_file("double-nat.yaml"))
        # Translated twice: the server sees the carrier NAT's outside address.
        seen, rc = udp_exchange(f"{lab}-server", "203.0.113.2", f"{lab}-laptop")
        self.assertEqual((seen.split(":")[0], rc), ("198.51.100.2", 0))
        # The dual-stack link: both families addressed, IPv6 usable at once (no DAD wait),
        # and the server's default route by node name exists for both.
        self.assertEqual(addresses(f"{lab}-server", "eth0"), ["2001:db8:1::2/64", "203.0.113.2/24"])
        self.assertEqual(in_netns(f"{lab}-internet", "ping", "-6", "-c1", "-W2", "2001:db8:1::2").returncode, 0)
        v6_default = ip_json(f"{lab}-server", "-6", "route", "show", "default")
        self.assertEqual([r["gateway"] for r in v6_default], ["2001:db8:1::1"])
        conntrack = in_netns(f"{lab}-cgn", "conntrack", "-L", "-p", "udp").stdout
        self.assertIn("src=100.64.0.2", conntrack, "the CGN saw the home NAT's address as the source")

    def test_ipv6_only_carrier(self):
        lab = self.create(lab_file("ipv6-only.yaml"), unique_name("n64-labs"))
        self.assert_links_match_file(lab, lab_file("ipv6-only.yaml"))
        self.assertEqual(addresses(f"{lab}-phone", "eth0"), ["2001:db8:1:1::2/64"])  # no IPv4
        ping = in_netns(f"{lab}-phone", "ping", "-6", "-c", "1", "-W", "3", "2001:db8:64::203.0.113.2")
        self.assertEqual(ping.returncode, 0, ping.stdout + ping.stderr)
        # By name: the carrier's DNS64 hands the phone server's IPv4 address under the prefix
        # (203.0.113.2 is cb00:7102), through the resolver natlab configured on the phone.
        embedded = "2001:db8:64::cb00:7102"
        self.assertEqual(natlab("exec", lab, "phone", "--", "dig", "+short", "+search", "AAAA", "server").stdout.split(), [embedded])
        self.assertEqual({line.split()[0] for line in natlab("exec", lab, "phone", "--", "getent", "ahosts",
                                                             "server").stdout.splitlines()}, {embedded})
        # RFC 7050: the prefix found by asking for ipv4only.arpa's AAAA (192.0.0.170 and .171).
        self.assertEqual(sorted(natlab("exec", lab, "phone", "--", "dig", "+short", "AAAA",
                                       "ipv4only.arpa").stdout.split()),
                         ["2001:db8:64::c000:aa", "2001:db8:64::c000:ab"])
        ping = natlab("exec", lab, "phone", "--", "ping", "-c", "1", "-W", "3", "server", check=False)
        self.assertEqual(ping.returncode, 0, ping.stdout + ping.stderr)
        self.assertIn(embedded, ping.stdout)
        # A TCP connection by name, answered by the IPv4-only server.
        listener, _ = self.background(f"{lab}-server", "nc", "-l", "-N", "203.0.113.2", "8080",
                                      stdout=subprocess.PIPE, text=True)
        wait_for(lambda: ":8080" in in_netns(f"{lab}-server", "ss", "-ltn").stdout)
        sent = natlab("exec", lab, "phone", "--", "sh", "-c", "echo hello-by-name | nc -N -w 3 server 8080",
                      check=False)
        self.assertEqual(sent.returncode, 0, sent.stderr)
        listener.wait(timeout=10)
        self.assertEqual(listener.stdout.read().strip(), "hello-by-name")

    def test_status_list_exec(self):
        lab = self.create(lab_file("two-nat.yaml"), unique_name("it-st"))
        status = natlab("status", lab, "--json")
        data = json.loads(status.stdout)
        self.assertTrue(data["healthy"], data["problems"])
        c0 = next(n for n in data["nodes"] if n["name"] == "c0")
        self.assertEqual(c0["netns"], f"{lab}-c0")
        self.assertEqual(c0["interfaces"][0]["addresses"], ["10.0.1.2/24"])
        self.assertEqual(c0["routes"][0]["gateway"], "10.0.1.1")
        self.assertIn(lab, natlab("list").stdout)
        self.assertEqual(natlab("exec", lab, "c0", "--", "sh", "-c", "exit 7", check=False).returncode, 7)
        out = natlab("exec", lab, "nat0", "--", "cat", "/sys/class/net/wan/operstate").stdout
        self.assertEqual(out.strip(), "up")
        missing = natlab("exec", lab, "c0", "--", "no-such-command", check=False)
        self.assertEqual(missing.returncode, 127)
        self.assertIn("no-such-command: No such file or directory", missing.stderr)
        # Damage the lab behind natlab's back: status must notice and exit 1.
        subprocess.run(["ip", "-n", f"{lab}-c1", "link", "del", "eth0"], check=True)
        broken = natlab("status", lab, check=False)
        self.assertEqual(broken.returncode, 1)
        self.assertIn("UNHEALTHY", broken.stdout)
        self.assertIn("problem: c1:eth0 is missing", broken.stdout)

    def test_taken_name_and_replace(self):
        lab = self.create(lab_file("two-nat.yaml"), unique_name("it-rep"))
        again = natlab("create", "--name", lab, lab_file("two-nat.yaml"), check=False)
        self.assertEqual(again.returncode, 1)
        self.assertEqual(again.stderr.strip(),
                         f"natlab: lab {lab} already exists (made from {lab_file('two-nat.yaml')}); remove it with "
                         f"'natlab clean {lab}' or rebuild it with 'natlab create --replace "
                         f"{lab_file('two-nat.yaml')}'")
        natlab("create", "-q", "--replace", "--name", lab, lab_file("double-nat.yaml"))
        names = {ns for ns in netns_list() if ns.startswith(lab + "-")}
        self.assertIn(f"{lab}-laptop", names)
        self.assertNotIn(f"{lab}-c0", names, "the replaced lab's namespaces must be gone")

    def test_two_labs_coexist(self):
        a = self.create(lab_file("two-nat.yaml"), unique_name("it-a"))
        b = self.create(lab_file("two-nat.yaml"), unique_name("it-b"))
        for lab in (a, b):
            seen, rc = udp_exchange(f"{lab}-internet", "100.64.2.1", f"{lab}-c0")
            self.assertEqual((seen.split(":")[0], rc), ("100.64.1.100", 0))
        natlab("clean", "-q", a)
        self.assertEqual(in_netns(f"{b}-c0", "ping", "-c1", "-W2", "100.64.2.100").returncode, 0,
                         "cleaning one lab must not touch the other")


class LargeLabs(LabTestCase):
    def test_large_lab_under_a_low_open_file_limit(self):
        # natlab keeps an fd and a socket per namespace while building: 301
        # namespaces need more than a 256-file soft limit allows.
        import resource
        name = unique_name("it-big")
        text = subprocess.run([os.path.join(SOURCE_DIR, "scripts", "gen-lab"), "150", name], capture_output=True,
                              text=True, check=True).stdout
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write(text)
        self.addCleanup(os.unlink, f.name)
        self.addCleanup(self.assert_gone_after_clean, name)
        low = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (256, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
        proc = subprocess.run([NATLAB, "create", "-q", f.name], capture_output=True, text=True, preexec_fn=low)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(len([ns for ns in netns_list() if ns.startswith(name + "-")]), 301)
        seen, rc = udp_exchange(f"{name}-internet", "100.64.150.1", f"{name}-h150")
        self.assertEqual((seen.split(":")[0], rc), ("100.64.150.2", 0))
        # The router's 150 links, addresses and routes come in netlink dumps
        # of many reads each: status must see every one.
        status = json.loads(natlab("status", "--json", name).stdout)
        router = next(n for n in status["nodes"] if n["name"] == "internet")
        self.assertEqual(len([i for i in router["interfaces"] if i["name"] != "lo"]), 150)
        self.assertIn({"name": "n150", "addresses": ["100.64.150.1/24"]},
                      [{"name": i["name"], "addresses": i["addresses"]} for i in router["interfaces"]])


class ShellRendering(LabTestCase):
    def test_plan_shell_script_builds_the_same_lab(self):
        lab = unique_name("it-sh")
        script = natlab("plan", "--format", "shell", "--name", lab, lab_file("two-nat.yaml")).stdout
        with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as f:
            f.write(script)
        self.addCleanup(os.unlink, f.name)
        self.addCleanup(subprocess.run, ["sh", f.name, "down"])
        subprocess.run(["sh", f.name, "up"], check=True, capture_output=True)
        self.assertEqual(addresses(f"{lab}-nat0", "wan"), ["100.64.1.100/24"])
        seen, rc = udp_exchange(f"{lab}-internet", "100.64.2.1", f"{lab}-c0")
        self.assertEqual((seen.split(":")[0], rc), ("100.64.1.100", 0))
        subprocess.run(["sh", f.name, "down"], check=True)
        self.assertEqual({ns for ns in netns_list() if ns.startswith(lab + "-")}, set())


if __name__ == "__main__":
    unittest.main()


ROUTED_DUAL_STACK = """
name: {name}
nodes:
  a: {{routes: {{default: r}}}}
  r: {{kind: router}}
  b: {{routes: {{default: r}}}}
links:
  - {{endpoints: [a:eth0, r:to-a], subnet: [10.0.1.0/24, "2001:db8:1::/64"]}}
  - {{endpoints: [b:eth0, r:to-b], subnet: [10.0.2.0/24, "2001:db8:2::/64"]}}
"""


class ReadyWhenCreateReturns(LabTestCase):
    """The first packet after create gets through: no address waits for duplicate address
    detection, and no veth end waits for the kernel's next round of link events (which takes
    a carrier change as urgent only when the device's index differs from its peer's)."""

    def test_every_veth_end_has_an_index_of_its_own_and_no_address_is_tentative(self):
        lab = self.create_from_text(ROUTED_DUAL_STACK.format(name="x"), "it-ready")
        for node in ("a", "r", "b"):
            for link in ip_json(f"{lab}-{node}", "link", "show"):
                if link["ifname"] != "lo":
                    self.assertNotEqual(link["ifindex"], link["link_index"], (node, link["ifname"]))
            tentative = [a["local"] for i in ip_json(f"{lab}-{node}", "-6", "addr", "show")
                         for a in i["addr_info"] if a.get("tentative")]
            self.assertEqual(tentative, [], node)

    def test_the_first_echo_across_a_router_is_answered_without_a_retry(self):
        # A lost first neighbour solicitation or ARP request is sent again after 1 s:
        # an answer in well under that means the first one went through.
        for target in ("2001:db8:2::1", "10.0.2.1"):
            lab = self.create_from_text(ROUTED_DUAL_STACK.format(name="x"), "it-ready")
            proc = in_netns(f"{lab}-a", "ping", "-c1", "-W5", target, timeout=10)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            rtt = float(proc.stdout.split("time=")[1].split()[0])
            self.assertLess(rtt, 900, f"{target}: {proc.stdout}")


HOME_DUAL_STACK = """
name: x
nodes:
  laptop: {routes: {default: home}}
  home: {kind: nat, outside: wan, routes: {default: cgn}}
  cgn: {kind: nat, outside: wan, routes: {default: internet}}
  internet: {kind: router}
  server: {routes: {default: internet}}
links:
  - {endpoints: [home:lan, laptop:eth0], subnet: [192.168.0.0/24, "2001:db8:1:1::/64"]}
  - {endpoints: [cgn:subscribers, home:wan], subnet: [100.64.0.0/24, "2001:db8:1:ff::/64"]}
  - {endpoints: [internet:to-cgn, cgn:wan], subnet: [198.51.100.0/24, "2001:db8:ffff::/64"]}
  - {endpoints: [internet:to-server, server:eth0], subnet: [203.0.113.0/24, "2001:db8:2::/64"]}
"""


class DualStackAsWritten(LabTestCase):
    def test_ipv6_behind_two_nat_nodes_is_routed_from_upstream_without_written_routes(self):
        lab = self.create_from_text(HOME_DUAL_STACK, "it-ds")
        routes = {r["dst"]: r.get("gateway") for r in ip_json(f"{lab}-internet", "-6", "route", "show")}
        self.assertEqual(routes.get("2001:db8:1:1::/64"), "2001:db8:ffff::2")
        routes = {r["dst"]: r.get("gateway") for r in ip_json(f"{lab}-cgn", "-6", "route", "show")}
        self.assertEqual(routes.get("2001:db8:1:1::/64"), "2001:db8:1:ff::2")
        # laptop's echo reaches server and the reply finds its way back through both.
        proc = in_netns(f"{lab}-laptop", "ping", "-6", "-c1", "-W5", "2001:db8:2::2", timeout=10)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(natlab("status", lab, check=False).returncode, 0)
