"""Real packets for NAT tests: small socket programs run inside lab
namespaces with `ip netns exec`, reporting what they saw on stdout."""
import os
import subprocess

from natlab_test import PYTHON

# Every wait below is multiplied by NATLAB_SLOW (default 1): the stock-kernel
# guest runs under QEMU's TCG, where starting each script takes a second, and
# sets it to 3 (tests/stock_kernel/guest). `ip netns exec` passes it on.
SLOW = float(os.environ.get("NATLAB_SLOW", "1"))

# Binds a UDP port, sends "hello" to each destination given, then prints every
# datagram that arrives ("ip:port payload") until it has been quiet a while.
UDP_PEER = r"""
import os, socket, sys, time
slow = float(os.environ.get("NATLAB_SLOW", "1"))
port, quiet = int(sys.argv[1]), float(sys.argv[2]) * slow
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
s.bind(("0.0.0.0", port))
for dest in sys.argv[3:]:
    host, dport = dest.rsplit(":", 1)
    for _ in range(3):
        s.sendto(b"hello", (host, int(dport)))
print("sent", flush=True)
s.settimeout(quiet)
try:
    while True:
        data, peer = s.recvfrom(2048)
        print(f"{peer[0]}:{peer[1]} {data.decode()}", flush=True)
except (socket.timeout, ConnectionRefusedError):
    pass
"""

# Sends one payload (three times) from a given local port to a destination.
UDP_SEND = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
for _ in range(3):
    s.sendto(sys.argv[4].encode(), (sys.argv[2], int(sys.argv[3])))
"""

# Listens on TCP ports; prints "port ip:port" for every connection accepted.
# It runs until its stdin closes (finish() closes it), not until a quiet
# spell: under TCG the next script can take longer to start than any quiet
# spell a test would pick, and a listener that left early answers with RST.
TCP_LISTEN = r"""
import select, socket, sys
socks = []
for port in sys.argv[1:]:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(("0.0.0.0", int(port)))
    s.listen()
    socks.append(s)
print("ready", flush=True)
while True:
    ready, _, _ = select.select(socks + [sys.stdin], [], [])
    if sys.stdin in ready and not sys.stdin.read(1):
        break
    for s in ready:
        if s is not sys.stdin:
            conn, peer = s.accept()
            print(f"{s.getsockname()[1]} {peer[0]}:{peer[1]}", flush=True)
            conn.sendall(b"welcome")
            conn.close()
"""

# Connects from one local port to each destination in turn (SO_REUSEADDR lets
# the connections share it); prints "ok" or the error for each.
TCP_CONNECT = r"""
import os, socket, sys
slow = float(os.environ.get("NATLAB_SLOW", "1"))
local = int(sys.argv[1])
for dest in sys.argv[2:]:
    host, port = dest.rsplit(":", 1)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.settimeout(1.5 * slow)
    if local:
        s.bind(("0.0.0.0", local))
    try:
        s.connect((host, int(port)))
        print("ok", s.recv(100).decode(), flush=True)
    except OSError as e:
        print("failed", type(e).__name__, flush=True)
    finally:
        s.close()
"""


def start(netns, script, *args):
    """Starts a script in a namespace; returns the process once it printed its first line."""
    proc = subprocess.Popen(["ip", "netns", "exec", netns, PYTHON, "-c", script, *map(str, args)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    first = proc.stdout.readline().strip()
    return proc, first


def finish(proc, timeout=15):
    """Closes a started script's stdin (which ends a TCP listener), waits for it
    and returns the lines it printed after the first."""
    try:
        out, _ = proc.communicate(timeout=timeout * SLOW)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return out.splitlines()


def run(netns, script, *args, timeout=20):
    proc = subprocess.run(["ip", "netns", "exec", netns, PYTHON, "-c", script, *map(str, args)],
                          capture_output=True, text=True, timeout=timeout * SLOW)
    return proc.stdout.splitlines()
