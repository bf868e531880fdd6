"""Creation is all or nothing, and clean-up works after a crash."""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest

from natlab_test import (NATLAB, SOURCE_DIR, LabTestCase, in_private_run, lab_file, natlab, netns_list, unique_name,
                         wait_for)


def write_temp(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
    f.write(text)
    f.close()
    return f.name


def generated_lab(n, name):
    text = subprocess.run([os.path.join(SOURCE_DIR, "scripts", "gen-lab"), str(n), name], capture_output=True,
                          text=True, check=True).stdout
    return write_temp(text)


def lab_namespaces(name):
    return {ns for ns in netns_list() if ns.startswith(name + "-")}


BROKEN_SYSCTL = """name: broken
nodes:
  r: {{kind: router, sysctls: {{{key}: {value}}}}}
  h: {{routes: {{default: r}}}}
  n: {{kind: nat, outside: wan}}
links:
  - {{endpoints: [r:eth0, h:eth0], subnet: 10.0.0.0/24}}
  - {{endpoints: [n:wan, r:eth1], subnet: 10.0.1.0/24}}
  - {{endpoints: [n:lan, h:eth1], subnet: 10.0.2.0/24}}
"""


class FailedCreate(LabTestCase):
    def assert_rolled_back(self, key, value, reason):
        name = unique_name("it-fail")
        path = write_temp(BROKEN_SYSCTL.format(key=key, value=value))
        self.addCleanup(os.unlink, path)
        self.addCleanup(natlab, "clean", "-q", name)
        proc = natlab("create", "--name", name, path, check=False)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stderr.strip(),
                         f"natlab: creating lab {name} failed while setting {key}={value} in namespace {name}-r: "
                         f"{reason}\nnothing of lab {name} was left behind")
        self.assert_nothing_left(name)

    def test_unknown_sysctl_is_refused_and_nothing_is_left(self):
        # The real namespace refuses it, the create rolls back, and a scratch
        # namespace then finds every sysctl the kernel lacks: nothing is left.
        name = unique_name("it-fail")
        text = BROKEN_SYSCTL.format(key="net.ipv4.no_such_setting", value="1").replace(
            "sysctls: {net.ipv4.no_such_setting: 1}",
            "sysctls: {net.ipv4.conf.eth0.rp_filter: 0, net.ipv4.no_such_setting: 1, "
            "net.ipv4.conf.eth9.rp_filter: 0}")
        path = write_temp(text)
        self.addCleanup(os.unlink, path)
        self.addCleanup(natlab, "clean", "-q", name)
        proc = natlab("create", "--name", name, path, check=False)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        hint = "does not exist in a network namespace of this kernel; check its name against 'unshare -n sysctl -a'"
        self.assertEqual(proc.stderr,
                         f"{path}:3:64: sysctl 'net.ipv4.no_such_setting' {hint}\n"
                         f"{path}:3:93: sysctl 'net.ipv4.conf.eth9.rp_filter' {hint}\n"
                         f"natlab: 2 problems in {path}; nothing was done\n")
        self.assert_nothing_left(name)

    def test_a_full_disk_while_the_description_is_written_rolls_back(self):
        # In a mount namespace of the test's own, /run/natlab is a tmpfs with
        # room for the journal but not for the description of a 100-NAT lab.
        name = unique_name("it-full")
        path = generated_lab(100, name)
        self.addCleanup(os.unlink, path)
        script = ("mount -t tmpfs natlab-test-netns /run/netns && "
                  "mount -t tmpfs -o size=120k natlab-test-state /run/natlab && "
                  f"{NATLAB} create --name {name} {path}; echo \"exit $?\"; "
                  "ls -A /run/netns /run/natlab")
        proc = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                              capture_output=True, text=True, timeout=120)
        # The description is written on a thread of its own while the lab is
        # made: whichever write meets the full disk first is the one named.
        self.assertRegex(proc.stderr,
                         f"^natlab: creating lab {name} failed while writing "
                         f"(its description: writing /run/natlab/{name}/lab.json|lab state): "
                         f"No space left on device\n(nothing of lab {name} was left behind\n)?$")
        self.assertEqual(proc.stdout, "exit 1\n/run/natlab:\n\n/run/netns:\n")

    def test_value_the_kernel_rejects_rolls_back(self):
        self.assert_rolled_back("net.ipv4.ip_forward", "banana", "Invalid argument")

    def test_invalid_file_creates_nothing(self):
        name = unique_name("it-inv")
        path = write_temp("name: x\nnodes: {a: {kind: nat}}\n")
        self.addCleanup(os.unlink, path)
        proc = natlab("create", "--name", name, path, check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn(f"{path}:2:9: nat node 'a' has no outside interface", proc.stderr)
        self.assert_nothing_left(name)


class Crashes(LabTestCase):
    def test_clean_after_kill_9_mid_create(self):
        name = unique_name("it-kill")
        path = generated_lab(60, name)
        self.addCleanup(os.unlink, path)
        leftovers_seen = 0
        for delay in (0.005, 0.02, 0.04):
            create = subprocess.Popen([NATLAB, "create", "-q", path], stderr=subprocess.DEVNULL)
            self.addCleanup(natlab, "clean", "-q", name)
            wait_for(lambda: len(lab_namespaces(name)) > 0, timeout=2, interval=0.002)
            time.sleep(delay)
            create.send_signal(signal.SIGKILL)
            # A create that finished first made a whole lab: nothing to prove with it.
            killed = create.wait() == -signal.SIGKILL
            if killed and lab_namespaces(name):
                leftovers_seen += 1
                listing = natlab("list").stdout
                self.assertRegex(listing, rf"{name}\s+incomplete")
            natlab("clean", "-q", name)
            self.assert_nothing_left(name)
        self.assertGreater(leftovers_seen, 0, "no kill landed mid-create; the test proved nothing")

    def test_sigterm_mid_create_rolls_back(self):
        name = unique_name("it-term")
        path = generated_lab(60, name)
        self.addCleanup(os.unlink, path)
        self.addCleanup(natlab, "clean", "-q", name)
        create = subprocess.Popen([NATLAB, "create", "-q", path], stderr=subprocess.PIPE, text=True)
        self.assertTrue(wait_for(lambda: len(lab_namespaces(name)) > 3, timeout=2, interval=0.002))
        create.send_signal(signal.SIGTERM)
        _, err = create.communicate(timeout=30)
        if create.returncode == 0:
            self.skipTest("create finished before SIGTERM arrived")
        self.assertEqual(create.returncode, 1)
        self.assertRegex(err, rf"creating lab {name} failed while interrupted before ")
        self.assert_nothing_left(name)

    def test_a_signal_in_the_first_moments_never_kills_a_create_midway(self):
        rolled_back = 0
        for trial in range(30):
            name = unique_name("it-early")
            self.addCleanup(natlab, "clean", "-q", name)
            create = subprocess.Popen([NATLAB, "create", "-q", "--name", name, lab_file("two-nat.yaml")],
                                      stderr=subprocess.PIPE, text=True)
            time.sleep(trial * 0.001)
            sig = signal.SIGTERM if trial % 2 else signal.SIGINT
            create.send_signal(sig)
            _, err = create.communicate(timeout=30)
            # Before natlab's first instruction (while the program loads) the
            # default action still ends it, with nothing made yet; from then
            # on the create is rolled back.
            self.assertIn(create.returncode, (0, 1, -sig), f"trial {trial}: {err}")
            if create.returncode == 0:  # done before the signal came: a whole lab
                natlab("clean", "-q", name)
            elif create.returncode == 1:
                rolled_back += 1
                self.assertRegex(err, rf"creating lab {name} failed while interrupted before ")
            self.assert_nothing_left(name)  # no namespace, no state, no lock file
        self.assertGreater(rolled_back, 0, "no signal landed during a create; the test proved nothing")

    def test_clean_without_state_uses_markers_only(self):
        base = unique_name("it-mark")
        a = self.create(lab_file("two-nat.yaml"), base)
        b = self.create(lab_file("two-nat.yaml"), base + "-x")  # its namespaces also start with "<a>-"
        shutil.rmtree(f"/run/natlab/{a}")
        self.assertEqual(natlab("list").stdout.count(a + " "), 1)
        listed = {l["lab"]: l for l in json.loads(natlab("list", "--json").stdout)}
        self.assertEqual((listed[a]["state"], listed[a]["namespaces"]), ("leftover", 0))
        out = natlab("clean", a).stdout
        self.assertEqual(out.strip(), f"removed lab {a} (5 namespaces)")
        self.assertEqual(len(lab_namespaces(a)), 5, "the other lab's namespaces must remain")
        self.assertEqual(lab_namespaces(a), lab_namespaces(b))

    def test_clean_twice_and_clean_all(self):
        # --all removes every lab on the machine: only in a /run of the test's own.
        proc = in_private_run(r"""
"$NATLAB" create -q --name a "$TWO_NAT"
"$NATLAB" clean a
"$NATLAB" clean a
"$NATLAB" create -q --name b "$DOUBLE_NAT"
"$NATLAB" create -q --name c "$TWO_NAT"
ls /run/netns | wc -l
"$NATLAB" clean --all -q
find /run/netns /run/natlab -mindepth 1 | wc -l
""", TWO_NAT=lab_file("two-nat.yaml"), DOUBLE_NAT=lab_file("double-nat.yaml"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.splitlines(), ["removed lab a (5 namespaces)", "lab a: nothing to remove",
                                                    "10", "0"])  # double-nat has 5 nodes, two-nat 5

    def test_concurrent_creates_of_one_name(self):
        name = unique_name("it-race")
        self.addCleanup(self.assert_gone_after_clean, name)
        results = []

        def create():
            results.append(natlab("create", "-q", "--name", name, lab_file("two-nat.yaml"), check=False))

        threads = [threading.Thread(target=create) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = sorted(r.returncode for r in results)
        self.assertEqual(codes, [0, 1, 1], [r.stderr for r in results])
        for r in results:
            if r.returncode:
                self.assertIn(f"lab {name} already exists", r.stderr)
        self.assertEqual(len(lab_namespaces(name)), 5)


class NoSuchLab(LabTestCase):
    """A command that changes a lab leaves nothing behind for a lab that does
    not exist: no lock file, also when a clean removes the lab while the
    command waits for its lock."""

    COMMANDS = (("set", "{lab}", "nat0", "type=symmetric"), ("set", "{lab}", "nat0:wan", "delay=5ms"),
                ("rebind", "{lab}", "nat0"), ("flush", "{lab}", "nat0"), ("link", "{lab}", "nat0:wan", "down"),
                ("rules", "{lab}", "nat0", "--reload"))

    def assert_no_such_lab(self, proc, lab):
        self.assertEqual(proc.returncode, 2, proc.stderr)
        # The machine's other labs are named too: whichever there are now.
        self.assertRegex(proc.stderr, rf"^natlab: no lab named '{lab}'(: there is no lab on this machine \(make one "
                                      rf"with 'natlab create FILE'\)| on this machine; its labs are .* \(see "
                                      rf"'natlab list'\))\n$")

    def test_each_command_on_a_lab_that_does_not_exist_leaves_no_lock(self):
        lab = unique_name("lv-none")
        for command in self.COMMANDS:
            args = [word.format(lab=lab) for word in command]
            self.assert_no_such_lab(natlab(*args, check=False), lab)
            self.assertFalse(os.path.exists(f"/run/natlab/{lab}.lock"), f"natlab {' '.join(args)} left its lock")

    def test_a_lab_cleaned_while_a_command_waits_for_its_lock_leaves_no_lock(self):
        from test_live_nat import LAB as LIVE_NAT  # a full-cone NAT: every command takes it
        lost_the_race = 0
        for trial in range(6):
            lab = self.create_from_text(LIVE_NAT, "lv-gone")
            clean = subprocess.Popen([NATLAB, "clean", "-q", lab], stderr=subprocess.PIPE, text=True)
            changes = [subprocess.Popen([NATLAB, *[w.format(lab=lab) for w in command]], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
                       for command in self.COMMANDS if "delay=5ms" not in command]  # netem may be missing
            self.assertEqual(clean.wait(timeout=60), 0, clean.stderr.read())
            for change in changes:
                err = change.communicate(timeout=60)[1]
                if change.returncode == 2:  # it came after the clean
                    lost_the_race += 1
                    self.assertRegex(err, rf"^natlab: no lab named '{lab}'")
                else:  # it came before: made on the lab that was there
                    self.assertEqual(change.returncode, 0, err)
            clean.stderr.close()
            self.assert_nothing_left(lab)  # the lock file included
        self.assertGreater(lost_the_race, 0, "no command came after a clean; the test proved nothing")


if __name__ == "__main__":
    unittest.main()
