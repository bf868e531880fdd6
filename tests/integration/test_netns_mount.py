"""/run/netns becomes a shared mount point once, however many natlab processes
start at the same moment (iproute2's flock protocol, ip/ipnetns.c): a stack of
bind mounts would otherwise grow with every racing process.

Each test runs in a private mount namespace of its own with a fresh tmpfs on
/run, where /run/netns is not yet a mount point; nothing of it is seen on the
host, and the namespaces it makes vanish with it.
"""
import unittest

from natlab_test import in_private_run, lab_file

PROCESSES = 8
ROUNDS = 3

# In the private mount namespace: a fresh /run, PROCESSES creates at once, the
# number of mounts on /run/netns before and after, then every lab removed again.
SCRIPT = r"""
grep -c ' /run/netns ' /proc/self/mountinfo || true
pids=""
for i in $(seq 1 "$PROCESSES"); do
  "$NATLAB" create -q --name "mnt-$i" "$LAB" & pids="$pids $!"
done
failed=0
for p in $pids; do wait "$p" || failed=1; done
grep -c ' /run/netns ' /proc/self/mountinfo
ls /run/netns | wc -l
"$NATLAB" clean -q --all
ls /run/netns | wc -l
exit $failed
"""


class SharedNetnsMount(unittest.TestCase):
    def test_parallel_creates_make_one_mount_not_a_stack(self):
        for round in range(ROUNDS):
            proc = in_private_run(SCRIPT, LAB=lab_file("two-nat.yaml"), PROCESSES=str(PROCESSES))
            self.assertEqual(proc.returncode, 0, f"round {round}: {proc.stderr}")
            before, after, made, left = proc.stdout.split()
            # mountinfo still lists the host's own /run/netns mount, hidden under the new /run.
            mounts = int(after) - int(before)
            self.assertEqual(mounts, 1, f"round {round}: /run/netns is mounted {mounts} times")
            self.assertEqual(made, str(PROCESSES * 5), f"round {round}: namespaces made")
            self.assertEqual(left, "0", f"round {round}: namespaces left after clean --all")


if __name__ == "__main__":
    unittest.main()
