"""Checks for a stock distribution kernel, run in the QEMU guest of
scripts/test-stock-kernel (NATLAB_GUEST=1): there the kernel's features are
modules, and the guest's throw-away /etc can keep one from loading, as on a
machine whose kernel lacks it.
"""
import os
import subprocess
import unittest

from natlab_test import lab_file, natlab, netns_list, unique_name

IN_GUEST = os.environ.get("NATLAB_GUEST") == "1"


@unittest.skipUnless(IN_GUEST, "only in the stock-kernel guest (scripts/test-stock-kernel)")
class MissingKernelFeature(unittest.TestCase):
    MODULE = "nft_fib_ipv4"
    CONF = "/etc/modprobe.d/natlab-test-no-fib.conf"

    def setUp(self):
        subprocess.run(["rmmod", self.MODULE], capture_output=True)
        with open(self.CONF, "w") as f:
            f.write(f"install {self.MODULE} /bin/false\n")
        self.addCleanup(os.remove, self.CONF)

    def test_a_nat_whose_module_cannot_load_is_refused_before_anything_is_made(self):
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


if __name__ == "__main__":
    unittest.main()
