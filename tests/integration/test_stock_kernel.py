"""Checks for a stock distribution kernel, run in the QEMU guest of
scripts/test-stock-kernel (NATLAB_GUEST=1): there the kernel's features are
modules, and the guest's throw-away /etc can keep one from loading, as on a
machine whose kernel lacks it.
"""
import os
import subprocess
import time
import unittest

from natlab_test import PYTHON, UDP_SERVER, LabTestCase, lab_file, natlab, netns_list, unique_name
from test_containers import UDP_CLIENT_ONE_SHOT

IN_GUEST = os.environ.get("NATLAB_GUEST") == "1"


@unittest.skipUnless(IN_GUEST, "only in the stock-kernel guest (scripts/test-stock-kernel)")
class MissingKernelFeature(unittest.TestCase):
    MODULE = "nft_fib_ipv4"
    CONF = "/etc/modprobe.d/natlab-test-no-fib.conf"

    def setUp(self):
        # A lab cleaned just before (the container smoke test's NAT) holds the
        # module until the kernel has torn its namespace down, in the
        # background: rmmod fails until then.
        deadline = time.monotonic() + 60
        while os.path.exists(f"/sys/module/{self.MODULE}"):
            subprocess.run(["unshare", "-n", "true"])  # a teardown frees the last one's leftovers
            if subprocess.run(["rmmod", self.MODULE], capture_output=True).returncode == 0:
                break
            self.assertLess(time.monotonic(), deadline, f"{self.MODULE} stays in use; cannot test its absence")
            time.sleep(0.5)
        with open(self.CONF, "w") as f:
            f.write(f"install {self.MODULE} /bin/false\n")
        self.addCleanup(os.remove, self.CONF)

    def test_a_nat_whose_module_cannot_load_is_refused_and_nothing_is_left(self):
        path, name = lab_file("nat-types.yaml"), unique_name("sk-fib")
        with open(path) as f:
            line = next(i for i, text in enumerate(f, 1) if text.lstrip().startswith("nat-full:"))
        with open(path) as f:
            column = f.read().splitlines()[line - 1].index("nat-full") + 1
        proc = natlab("create", "--name", name, path, check=False)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn(
            f"{path}:{line}:{column}: NAT node 'nat-full': this kernel refuses its NAT rules (Could not "
            "process rule: No such file or directory) at 'fib daddr type': it needs routing "
            "lookups (fib) (kernel option CONFIG_NFT_FIB_IPV4, in Linux since 4.10); load its module "
            "or use a kernel built with it", proc.stderr)
        self.assertFalse({n for n in netns_list() if n.startswith(name)})
        self.assertFalse(os.path.exists(f"/run/natlab/{name}"))


# One container, not booted (a systemd boot takes minutes under TCG; the
# host's own run of test_containers boots one).
CONTAINER_SMOKE = """name: smoke
container: {root: host}
nodes:
  c0: {routes: {default: nat0}}
  nat0: {kind: nat, outside: wan, type: full-cone}
  internet: {kind: router}
links:
  - {endpoints: [nat0:lan, c0:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [internet:to-nat0, nat0:wan 100.64.1.100], subnet: 100.64.1.0/24}
"""


@unittest.skipUnless(IN_GUEST, "only in the stock-kernel guest (scripts/test-stock-kernel)")
class ContainerSmoke(LabTestCase):
    def test_a_container_runs_and_its_packet_crosses_the_nat(self):
        lab = self.create_from_text(CONTAINER_SMOKE, "sk-ct")
        self.assertEqual(natlab("exec", lab, "c0", "--", "hostname").stdout.strip(), f"{lab}-c0")
        server = subprocess.Popen(["ip", "netns", "exec", f"{lab}-internet", PYTHON, "-c", UDP_SERVER,
                                   "100.64.1.1", "40000", "30"], stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(server.stdout.readline().strip(), "ready")
            client = natlab("exec", lab, "c0", "--", PYTHON, "-c", UDP_CLIENT_ONE_SHOT, "100.64.1.1",
                            "40000", check=False)
            self.assertEqual(client.stdout.strip(), "reply:from-container", client.stderr)
            server.wait(timeout=60)
            # The server saw the NAT's public address, not the container's.
            self.assertEqual(server.stdout.read().split()[0].split(":")[0], "100.64.1.100")
        finally:
            if server.poll() is None:
                server.kill()
            server.wait()
            server.stdout.close()


if __name__ == "__main__":
    unittest.main()
