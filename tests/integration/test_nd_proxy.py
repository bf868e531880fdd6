"""The ND-proxy home (labs/nd-proxy.yaml) in real namespaces: the ISP router pings a LAN host
that holds an address of the ISP link's own /64, because the home router answers the ISP's
neighbour solicitations for it. Witnesses: ping, the kernel's proxy table and neighbour cache
as `ip -j` lists them, sysctl."""
import json
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import unittest

from natlab_test import NATLAB, LabTestCase, in_netns, ip_json, lab_file, natlab, netns_list, unique_name

LAPTOP = "2001:db8::100"
ISP = "2001:db8::1"


def ping6(netns, address, count=1):
    return in_netns(netns, "ping", "-6", "-n", "-c", str(count), "-W", "2", address).returncode


def proxy_entries(netns):
    return [(e["dst"], e["dev"]) for e in ip_json(netns, "-6", "neigh", "show", "proxy")]


def mac_of(netns, ifname):
    return ip_json(netns, "link", "show", "dev", ifname)[0]["address"]


class NdProxyHome(LabTestCase):
    def test_the_isp_reaches_the_laptop_because_home_answers_for_it(self):
        lab = self.create(lab_file("nd-proxy.yaml"), unique_name("ndp"))
        isp, home, laptop = (f"{lab}-{n}" for n in ("isp", "home", "laptop"))
        # What natlab put there, read back by iproute2 and sysctl.
        self.assertEqual(proxy_entries(home), [(LAPTOP, "wan")])
        for key, value in (("net.ipv6.conf.wan.proxy_ndp", "1"), ("net.ipv6.neigh.wan.proxy_delay", "0"),
                           ("net.ipv6.conf.lan.proxy_ndp", "0")):
            self.assertEqual(in_netns(home, "sysctl", "-n", key).stdout.strip(), value, key)
        routes = {r["dst"]: r for r in ip_json(home, "-6", "route", "show")}
        self.assertEqual(routes[f"{LAPTOP}"]["dev"], "lan")
        self.assertEqual((routes["default"]["gateway"], routes["default"]["dev"]), ("fe80::1", "wan"))
        # The first echo is answered, without the proxy's random delay (up to 0.8 s by default)
        # before home answers isp's solicitation.
        first = in_netns(isp, "ping", "-6", "-n", "-c", "1", "-W", "2", LAPTOP)
        self.assertEqual(first.returncode, 0, "isp got no answer from the laptop")
        rtt_ms = float(re.search(r"time=([0-9.]+) ms", first.stdout).group(1))
        self.assertLess(rtt_ms, 200, first.stdout)
        # isp learnt the laptop's address at home's MAC: home answered its solicitation.
        learnt = ip_json(isp, "-6", "neigh", "show", LAPTOP)
        self.assertEqual([n.get("lladdr") for n in learnt], [mac_of(home, "wan")])
        self.assertEqual(ping6(laptop, ISP), 0, "the laptop got no answer from isp")
        status = json.loads(natlab("status", "--json", lab).stdout)
        self.assertTrue(status["healthy"], status["problems"])
        node = next(n for n in status["nodes"] if n["name"] == "home")
        self.assertEqual(node["nd_proxy"], [{"interface": "wan", "address": LAPTOP}])

    def test_without_the_proxy_entry_the_laptop_is_out_of_reach_and_status_says_why(self):
        lab = self.create(lab_file("nd-proxy.yaml"), unique_name("ndp"))
        isp, home = f"{lab}-isp", f"{lab}-home"
        subprocess.run(["ip", "-n", home, "-6", "neigh", "del", "proxy", LAPTOP, "dev", "wan"], check=True)
        self.assertEqual(proxy_entries(home), [])
        self.assertNotEqual(ping6(isp, LAPTOP), 0, "the laptop answered without home's proxy entry")
        self.assertIn(ip_json(isp, "-6", "neigh", "show", LAPTOP)[0]["state"], (["FAILED"], ["INCOMPLETE"]))
        broken = natlab("status", lab, check=False)
        self.assertEqual(broken.returncode, 1)
        self.assertIn(f"problem: home:wan does not answer neighbour solicitations for {LAPTOP} (its proxy entry "
                      f"is missing)", broken.stdout)

    def test_links_taken_down_and_up_again_answer_as_before(self):
        # Down, the kernel flushes an interface's IPv6 addresses and proxy entries with its
        # routes; 'link ... up' puts back all of them.
        lab = self.create(lab_file("nd-proxy.yaml"), unique_name("ndp"))
        isp, home = f"{lab}-isp", f"{lab}-home"
        for end in ("home:wan", "home:lan"):
            natlab("link", lab, end, "down")
            natlab("link", lab, end, "up")
        self.assertEqual(proxy_entries(home), [(LAPTOP, "wan")])
        lan = ip_json(home, "-6", "addr", "show", "dev", "lan")[0]["addr_info"]
        self.assertIn("fe80::1", [a["local"] for a in lan])
        subprocess.run(["ip", "-n", isp, "-6", "neigh", "flush", "dev", "to-home"], check=True)
        self.assertEqual(ping6(isp, LAPTOP), 0, "isp got no answer from the laptop after the links came back")
        status = json.loads(natlab("status", "--json", lab).stdout)
        self.assertTrue(status["healthy"], status["problems"])

    def test_the_shell_script_builds_the_same_home(self):
        lab = unique_name("ndp-sh")
        script = natlab("plan", "--format", "shell", "--name", lab, lab_file("nd-proxy.yaml")).stdout
        self.assertIn(f"ip -6 -n {lab}-home neigh add proxy {LAPTOP} dev wan", script)
        with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as f:
            f.write(script)
        self.addCleanup(os.unlink, f.name)
        self.addCleanup(subprocess.run, ["sh", f.name, "down"], capture_output=True)
        subprocess.run(["sh", f.name, "up"], check=True, capture_output=True)
        self.assertEqual(proxy_entries(f"{lab}-home"), [(LAPTOP, "wan")])
        self.assertEqual(ping6(f"{lab}-isp", LAPTOP), 0)
        subprocess.run(["sh", f.name, "down"], check=True)
        self.assertEqual({ns for ns in netns_list() if ns.startswith(lab + "-")}, set())


# The LAN on the very /64 of the WAN, with two hosts on a switch: the hosts take the ISP's
# addresses to be on their link too, so home answers on both sides.
SAME_SLASH_64 = """
name: x
nodes:
  isp: {kind: router}
  home: {kind: router, nd-proxy: [wan, lan], routes: {default: isp}}
  sw: {kind: switch}
  pc: {routes: {default: home}}
  tv: {routes: {default: home}}
links:
  - {endpoints: [isp:to-home, home:wan], subnet: "2001:db8::/64"}
  - {endpoints: [home:lan, sw:p0], subnet: "2001:db8::/64"}
  - {endpoints: [pc:eth0, sw:p1]}
  - {endpoints: [tv:eth0, sw:p2]}
"""


class OneSlash64OnBothSides(LabTestCase):
    def test_each_side_reaches_the_other_through_homes_answers(self):
        lab = self.create_from_text(SAME_SLASH_64, "ndp-64")
        isp, home = f"{lab}-isp", f"{lab}-home"
        # Addresses handed out once across both links: wan ::1 ::2, lan ::3 ::4 ::5.
        self.assertEqual(sorted(proxy_entries(home)),
                         sorted([("2001:db8::1", "lan"), ("2001:db8::2", "lan"), ("2001:db8::3", "wan"),
                                 ("2001:db8::4", "wan"), ("2001:db8::5", "wan")]))
        for host, address in (("pc", "2001:db8::4"), ("tv", "2001:db8::5")):
            self.assertEqual(ping6(isp, address), 0, f"isp got no answer from {host}")
            self.assertEqual(ping6(f"{lab}-{host}", ISP), 0, f"{host} got no answer from isp")
            # The host found isp at home's MAC: home answered for isp on the LAN.
            learnt = ip_json(f"{lab}-{host}", "-6", "neigh", "show", ISP)
            self.assertEqual([n.get("lladdr") for n in learnt], [mac_of(home, "lan")], host)
        status = json.loads(natlab("status", "--json", lab).stdout)
        self.assertTrue(status["healthy"], status["problems"])


class Rootless(unittest.TestCase):
    """natlab run as 'nobody': sysctls, proxy entries and routes in namespaces of a user namespace."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        for path in (NATLAB, lab_file("nd-proxy.yaml")):
            shutil.copy(path, self.dir)
        os.chmod(self.dir, 0o755)
        self.nobody = pwd.getpwnam("nobody")

    def run_as_nobody(self, node, *command):
        return subprocess.run(["setpriv", f"--reuid={self.nobody.pw_uid}", f"--regid={self.nobody.pw_gid}",
                               "--clear-groups", "--", os.path.join(self.dir, "natlab"), "run", "-q", "--in", node,
                               "nd-proxy.yaml", "--", *command],
                              capture_output=True, text=True, timeout=60, cwd=self.dir,
                              env={"PATH": os.environ["PATH"]})

    def test_a_rootless_home_answers_for_the_laptop(self):
        before = netns_list()
        ping = self.run_as_nobody("isp", "ping", "-6", "-n", "-c", "1", "-W", "2", LAPTOP)
        self.assertEqual(ping.returncode, 0, ping.stdout + ping.stderr)
        listed = self.run_as_nobody("home", "ip", "-6", "neigh", "show", "proxy")
        self.assertEqual((listed.returncode, listed.stdout.split()), (0, [LAPTOP, "dev", "wan", "proxy"]),
                         listed.stderr)
        self.assertEqual(netns_list(), before, "nothing of a rootless lab is seen on the host")


if __name__ == "__main__":
    unittest.main()
