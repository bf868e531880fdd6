"""The whole suite leaves nothing behind: a CTest fixture that notes what
exists before the first test that touches the kernel and, after the last,
fails naming every namespace, lab state, /etc/netns link of natlab's,
container process or test user that appeared meanwhile (each test also checks its own labs; this catches
what none of them looks for).

    debris.py snapshot FILE    debris.py check FILE
"""
import json
import os
import pwd
import re
import subprocess
import sys

TEST_USERS = ["natlab-rootless-test"]
# The links natlab makes for 'ip netns exec': /etc/netns/LAB-NODE -> /run/natlab/LAB/etc.
NATLAB_LINK = re.compile(r"/run/natlab/([a-z0-9][a-z0-9-]*)/etc")
NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def netns_etc_links():
    """The entries of /etc/netns that are natlab's links; no other is looked at."""
    try:
        names = os.listdir("/etc/netns")
    except FileNotFoundError:
        return []
    links = []
    for name in names:
        try:
            match = NATLAB_LINK.fullmatch(os.readlink(os.path.join("/etc/netns", name)))
        except OSError:
            continue
        if match and name.startswith(match[1] + "-") and NAME.fullmatch(name[len(match[1]) + 1:]):
            links.append(name)
    return sorted(links)


def inventory():
    netns = subprocess.run(["ip", "-j", "netns", "list"], capture_output=True, text=True).stdout.strip()
    nspawn = subprocess.run(["pgrep", "-a", "systemd-nspawn"], capture_output=True, text=True).stdout
    users = []
    for name in TEST_USERS:
        try:
            pwd.getpwnam(name)
            users.append(name)
        except KeyError:
            pass
    return {
        "network namespaces": sorted(e["name"] for e in json.loads(netns)) if netns else [],
        "lab state under /run/natlab": sorted(os.listdir("/run/natlab")) if os.path.isdir("/run/natlab") else [],
        "natlab's links in /etc/netns": netns_etc_links(),
        "systemd-nspawn processes": sorted(line for line in nspawn.splitlines() if "/run/netns/" in line),
        "test users": users,
    }


def main(action, path):
    if action == "snapshot":
        with open(path, "w") as f:
            json.dump(inventory(), f)
        return 0
    with open(path) as f:
        before = json.load(f)
    left = {kind: sorted(set(now) - set(before.get(kind, []))) for kind, now in inventory().items()}
    left = {kind: items for kind, items in left.items() if items}
    for kind, items in left.items():
        print(f"left behind by the test suite: {kind}: {' '.join(items)}")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
