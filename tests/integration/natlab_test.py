"""Helpers for black-box tests of the natlab binary.

Independent witnesses only: `ip -j`, `nft`, the filesystem, and real packets
sent from sockets inside the lab's namespaces. Every lab a test makes has its
own name and is removed on the way out, also when the test fails.
"""
import json
import os
import signal
import subprocess
import tempfile
import time
import unittest
import uuid

NATLAB = os.environ.get("NATLAB", "natlab")
SOURCE_DIR = os.environ.get("NATLAB_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
PYTHON = "/usr/bin/python3"


def natlab(*args, check=True, timeout=60, **kw):
    proc = subprocess.run([NATLAB, *args], capture_output=True, text=True, timeout=timeout, **kw)
    if check and proc.returncode != 0:
        raise AssertionError(f"natlab {' '.join(args)} exited {proc.returncode}\n{proc.stdout}{proc.stderr}")
    return proc


def lab_file(name):
    return os.path.join(SOURCE_DIR, "labs", name)


def unique_name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def netns_list():
    out = subprocess.run(["ip", "-j", "netns", "list"], capture_output=True, text=True).stdout.strip()
    return {entry["name"] for entry in json.loads(out)} if out else set()


def netns_etc_links(lab):
    """The links natlab made in /etc/netns for lab `lab`'s nodes: each is
    /etc/netns/LAB-NODE -> /run/natlab/LAB/etc."""
    try:
        names = os.listdir("/etc/netns")
    except FileNotFoundError:
        return set()
    links = set()
    for name in names:
        try:
            target = os.readlink(os.path.join("/etc/netns", name))
        except OSError:
            continue
        if target == f"/run/natlab/{lab}/etc" and name.startswith(f"{lab}-"):
            links.add(name)
    return links


def ip_json(netns, *args):
    out = subprocess.run(["ip", "-j", "-n", netns, *args], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def addresses(netns, ifname):
    info = ip_json(netns, "addr", "show", "dev", ifname)[0]
    return sorted(f"{a['local']}/{a['prefixlen']}" for a in info["addr_info"] if a.get("scope") != "link")


def in_netns(netns, *cmd, timeout=20, check=False):
    return subprocess.run(["ip", "netns", "exec", netns, *cmd], capture_output=True, text=True, timeout=timeout,
                          check=check)


UDP_SERVER = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(float(sys.argv[3]))
print("ready", flush=True)
try:
    while True:
        data, peer = s.recvfrom(2048)
        print(f"{peer[0]}:{peer[1]} {data.decode()}", flush=True)
        s.sendto(b"reply:" + data, peer)
        s.settimeout(0.5)  # answer the client's retries for a moment, then end
except socket.timeout:
    pass
"""

UDP_CLIENT = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.3)
for attempt in range(10):
    s.sendto(sys.argv[3].encode(), (sys.argv[1], int(sys.argv[2])))
    try:
        data, peer = s.recvfrom(2048)
        print(data.decode(), flush=True)
        sys.exit(0)
    except socket.timeout:
        continue
sys.exit(1)
"""


def udp_exchange(server_ns, server_addr, client_ns, port=40000, payload="hello", listen_for=3.0):
    """Sends UDP from client_ns to server_addr (served in server_ns); returns
    (the source address:port the server saw, the client's exit code)."""
    server = subprocess.Popen(["ip", "netns", "exec", server_ns, PYTHON, "-c", UDP_SERVER, server_addr, str(port),
                               str(listen_for)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == "ready"
        client = in_netns(client_ns, PYTHON, "-c", UDP_CLIENT, server_addr, str(port), payload)
        server.wait(timeout=listen_for + 5)
        lines = [line.split() for line in server.stdout.read().splitlines()]
        seen = [source for source, data in lines if data == payload]
        return (seen[0] if seen else None), client.returncode
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        server.stdout.close()


class LabTestCase(unittest.TestCase):
    def create(self, path, name, *extra):
        """Creates a lab under its own name and removes it after the test."""
        self.addCleanup(self.assert_gone_after_clean, name)
        natlab("create", "-q", "--name", name, *extra, path)
        return name

    def create_from_text(self, topology, prefix):
        """Creates a lab from topology text (a temporary file) under a unique name."""
        fd, path = tempfile.mkstemp(suffix=".yaml")
        with os.fdopen(fd, "w") as f:
            f.write(topology)
        self.addCleanup(os.unlink, path)
        return self.create(path, unique_name(prefix))

    def background(self, netns, *cmd, **kw):
        """Starts cmd in netns; it is stopped (SIGTERM, then SIGKILL) after the
        test, and can be stopped before with the returned function."""
        proc = subprocess.Popen(["ip", "netns", "exec", netns, *cmd], **kw)

        def stop():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

        self.addCleanup(stop)
        for pipe in (proc.stdout, proc.stderr):
            if pipe:
                self.addCleanup(pipe.close)
        return proc, stop

    def assert_gone_after_clean(self, name):
        natlab("clean", "-q", name)
        self.assert_nothing_left(name)

    def assert_nothing_left(self, name):
        left = {ns for ns in netns_list() if ns.startswith(name + "-")}
        self.assertEqual(left, set(), f"namespaces of {name} left behind")
        self.assertFalse(os.path.exists(f"/run/natlab/{name}"), f"state of {name} left behind")
        self.assertFalse(os.path.exists(f"/run/natlab/{name}.lock"), f"lock of {name} left behind")
        self.assertEqual(netns_etc_links(name), set(), f"/etc/netns links of {name} left behind")


def wait_for(predicate, timeout=5.0, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


# A test that removes or counts every lab on the machine does it here: in a
# mount namespace of its own whose /run is a fresh tmpfs, so "every lab" means
# the labs the script made, and the user's labs in the real /run are neither
# seen nor touched. The namespaces made there vanish with it.
PRIVATE_RUN = """
set -eu
mount -t tmpfs natlab-test /run
mkdir /run/netns /run/natlab
"""


def in_private_run(script, timeout=120, **env):
    """Runs the shell script with a private /run; returns the finished process."""
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", PRIVATE_RUN + script],
                          capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, NATLAB=NATLAB, **env))
