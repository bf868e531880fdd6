"""Labs of any size under the default limit of 1024 open files: 1000 NATs with
a host behind each (2001 namespaces, NAT rules on every NAT) are created,
carry traffic, report healthy and are removed, while natlab holds a bounded
number of descriptors (libnftables hands its socket to select(), which takes
none above 1023)."""
import json
import os
import resource
import subprocess
import time
import unittest

from natlab_test import NATLAB, SOURCE_DIR, LabTestCase, natlab, udp_exchange, unique_name
from test_failures import lab_namespaces, write_temp

NATS = 1000


def proc_mount_count():
    with open("/proc/self/mountinfo") as mounts:
        return sum(" - proc " in line for line in mounts)


def limit_open_files():
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))


class Scale(LabTestCase):
    def test_a_thousand_nats_under_ulimit_1024(self):
        name = unique_name("it-1k")
        text = subprocess.run([os.path.join(SOURCE_DIR, "scripts", "gen-lab"), str(NATS), name, "full-cone"],
                              capture_output=True, text=True, check=True).stdout
        path = write_temp(text)
        self.addCleanup(os.unlink, path)
        self.addCleanup(self.assert_gone_after_clean, name)
        create = subprocess.Popen([NATLAB, "create", "-q", path], preexec_fn=limit_open_files,
                                  stderr=subprocess.PIPE, text=True)
        most = 0
        proc_mounts = {proc_mount_count()}
        while create.poll() is None:
            try:
                most = max(most, len(os.listdir(f"/proc/{create.pid}/fd")))
            except FileNotFoundError:
                pass
            proc_mounts.add(proc_mount_count())
            time.sleep(0.02)
        self.assertEqual(create.returncode, 0, create.stderr)
        self.assertLess(most, 700, "descriptors held must stay bounded, whatever the lab's size")
        # natlab's own procfs instances (for its sysctls) never show on the machine.
        self.assertEqual(len(proc_mounts), 1, f"proc mounts seen on the machine: {proc_mounts}")
        self.assertEqual(len(lab_namespaces(name)), 2 * NATS + 1)
        status = json.loads(natlab("status", name, "--json", timeout=120).stdout)
        self.assertTrue(status["healthy"], status["problems"][:5])
        # Sysctls are written through procfs instances natlab replaces every
        # few dozen namespaces: forwarding is on in the first, a middle and
        # the last router, as `sysctl` in each sees it.
        for node in ("nat1", f"nat{NATS // 2}", f"nat{NATS}", "internet"):
            for key in ("net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"):
                value = subprocess.run(["ip", "netns", "exec", f"{name}-{node}", "sysctl", "-n", key],
                                       capture_output=True, text=True, check=True).stdout.strip()
                self.assertEqual(value, "1", f"{key} in {node}")
        # The last NAT translates: the router sees its outside address.
        seen, code = udp_exchange(f"{name}-internet", "100.67.232.1", f"{name}-h{NATS}")
        self.assertEqual(code, 0)
        self.assertEqual(seen.split(":")[0], "100.67.232.2")
        proc = natlab("clean", name, timeout=120)
        self.assertEqual(proc.stdout.strip(), f"removed lab {name} ({2 * NATS + 1} namespaces)")

    def test_a_limit_too_small_is_named_with_the_fix_and_rolled_back(self):
        name = unique_name("it-lim")
        self.addCleanup(natlab, "clean", "-q", name)
        for limit in (16, 12):
            create = subprocess.run([NATLAB, "create", "--name", name, os.path.join(SOURCE_DIR, "labs", "two-nat.yaml")],
                                    capture_output=True, text=True, timeout=60,
                                    preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit)))
            # Never libnftables' own exit(3) halfway: natlab's error, and a rollback.
            self.assertEqual(create.returncode, 1, create.stderr)
            self.assertRegex(create.stderr, rf"^natlab: creating lab {name} failed while .*: Too many open files "
                                            rf"\(this process may open {limit} files, 'ulimit -n'; raise it, e.g. "
                                            rf"ulimit -n 4096\)\nnothing of lab {name} was left behind\n$")
            self.assert_nothing_left(name)


if __name__ == "__main__":
    unittest.main()
