#!/usr/bin/python3
"""natlab serve's benchmark on one running lab (scripts/bench calls it; it runs alone too):

    bench/serve_bench.py --natlab build/natlab --lab LAB --label "2 NATs" --host c0 --nat nat0 [--quick]

Starts `natlab serve LAB --listen 127.0.0.1:0` and Debian's Chromium headless (tests/integration/
browser.py), and prints three lines, each a median beside a baseline measured in the same run:

- page load: from the navigation's start (the page's performance.now()) until the topology (every
  node) and the mappings panel (every NAT's table) are drawn, Chromium's own
  rendering included. Baseline: the same page, the same view, traffic and an event stream that
  opens and stays silent, served from memory by a static Python server, so the difference is what
  serving costs (reading the lab, building the view, the event stream's set-up), not the drawing.
  Loads of the two are taken in turns.
- event latency: time.time() just before a datagram is sent from HOST (a sender already running in
  its namespace, told by a line on stdin) until the page's MutationObserver sees the `#eventlog li`
  of that flow (Date.now(), the same clock). Baseline: the same datagram's event printed by
  `natlab watch LAB NAT --json` (the CLI's path), which runs at the same time.
- an event flood: UDP datagrams from HOST, each from another source port (a new flow, so a NEW
  event at NAT), RATE a second in batches every 10 ms for SECONDS s, with the page open; serve's
  CPU (utime + stime from /proc/PID/stat, all its threads) as a share of one core over the flood
  and one second after, its VmRSS before and after and its VmHWM (peak), the flows the NAT's
  conntrack table gained, what the page drew and the "N events skipped" it shows. Baseline:
  `natlab watch LAB NAT --json > /dev/null` alone under the same flood.

Figures, never pass or fail. Root. Uses /usr/bin/python3 (python3-websocket)."""
import argparse
import http.server
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
from browser import HeadlessChromium, session_pids  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1, past any proxy

# Waits on stdin; each line is a source port: one datagram from it to DEST:9.
SENDER = r"""
import socket, sys
dest = sys.argv[1]
print("ready", flush=True)
for line in sys.stdin:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("", int(line)))
    s.sendto(b"mark", (dest, 9))
    s.close()
"""

# The flood: a raw UDP socket (the kernel writes the IP header), a new source port for every
# datagram, RATE a second in batches every 10 ms from an absolute schedule; starts on "go".
FLOOD = r"""
import socket, struct, sys, time
dest, rate, seconds, first, last = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
payload = b"flood"
print("ready", flush=True)
sys.stdin.readline()
per_batch, port, sent = rate // 100, first, 0
start = time.monotonic()
batches = int(seconds * 100)
for b in range(batches):
    for _ in range(per_batch):
        # UDP checksum 0: none, as IPv4 allows.
        s.sendto(struct.pack("!HHHH", port, 9, 8 + len(payload), 0) + payload, (dest, 0))
        sent += 1
        port = first if port == last else port + 1
    pause = start + (b + 1) * 0.01 - time.monotonic()
    if pause > 0:
        time.sleep(pause)
print(sent, time.monotonic() - start, flush=True)
"""

# Installed in every document before its own scripts: records performance.now() when the page is
# drawn (window.__drawn), then counts what the event log gets and when a marked event shows.
OBSERVER = r"""
(() => {
  const want = %s;
  window.__marks = {}; window.__added = {flow: 0, lost: 0, skipped: 0};
  const drawn = () => document.querySelectorAll("#topology .node").length === want.nodes &&
    document.querySelectorAll("#mappings-body div.nat").length === want.nats;
  const watch = () => {
    if (!location.pathname.startsWith("/lab/")) return;
    const drawing = new MutationObserver(() => {
      if (drawn()) { window.__drawn = performance.now(); drawing.disconnect(); }
    });
    drawing.observe(document.body, {childList: true, subtree: true});
    new MutationObserver((records) => {
      const now = Date.now();
      for (const r of records) for (const li of r.addedNodes) {
        for (const k of Object.keys(window.__added)) if (li.classList.contains(k)) window.__added[k]++;
        const m = / [0-9.]+:(\d+) is now mapped/.exec(li.textContent);
        if (m && +m[1] < 10000 && !(m[1] in window.__marks)) window.__marks[m[1]] = now;
      }
    }).observe(document.getElementById("eventlog"), {childList: true});
  };
  document.addEventListener("DOMContentLoaded", watch);
})();
"""


def get(url):
    with OPENER.open(url, timeout=120) as r:
        return r.read()


def cpu_ticks(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError):
            pass
    return total


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def in_netns(netns, script, *args):
    return subprocess.Popen(["ip", "netns", "exec", netns, "/usr/bin/python3", "-u", "-c", script, *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def conntrack_count(netns):
    out = subprocess.run(["ip", "netns", "exec", netns, "conntrack", "-C"], capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def conntrack_flush(netns):
    subprocess.run(["ip", "netns", "exec", netns, "conntrack", "-F"], capture_output=True)


class Static(http.server.ThreadingHTTPServer):
    """The baseline's server: the page, view and traffic as serve gave them, from memory; an event
    stream that opens and stays silent."""
    daemon_threads = True

    def __init__(self, bodies):
        self.bodies = bodies
        super().__init__(("127.0.0.1", 0), StaticHandler)


class StaticHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are two writes: without this, Nagle's algorithm and the delayed ACK hold
    # the body back 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path.endswith("/events"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.flush()
            try:
                while True:
                    time.sleep(1)
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
            except OSError:
                return
        kind, body = self.server.bodies.get(path, ("text/plain", b"not here"))
        self.send_response(200 if path in self.server.bodies else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


class Bench:
    def __init__(self, args):
        self.args = args
        self.lab = args.lab
        self.procs = []

    def start(self, cmd, **kw):
        proc = subprocess.Popen(cmd, **kw)
        self.procs.append(proc)
        return proc

    def stop(self, proc, sig=signal.SIGINT):
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def close(self):
        for proc in self.procs:
            if proc.stdin:  # the senders end at the end of their input
                proc.stdin.close()
                try:
                    proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    pass
            self.stop(proc, signal.SIGTERM if proc.stdin else signal.SIGINT)
            for f in (proc.stdout, proc.stderr):
                if f:
                    f.close()

    def serve(self):
        proc = self.start([self.args.natlab, "serve", self.lab, "--listen", "127.0.0.1:0"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        url = proc.stdout.readline().strip()
        if not url.startswith("http://"):
            raise SystemExit(f"serve_bench: natlab serve printed no URL: {url!r}")
        return proc, url

    def run(self):
        a = self.args
        serve, url = self.serve()
        base = url.split("/lab/")[0]
        api = f"{base}/api/lab/{urllib.parse.quote(self.lab)}"
        # Keep a mapping (one flow from HOST) alive so that the panel has rows to draw.
        sender = self.start(["ip", "netns", "exec", f"{self.lab}-{a.host}", "/usr/bin/python3", "-u", "-c",
                             SENDER, a.dest], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert sender.stdout.readline().strip() == "ready"

        def keep_mapping():
            sender.stdin.write("4242\n")
            sender.stdin.flush()

        keep_mapping()
        time.sleep(0.3)
        t0 = time.monotonic()
        view_bytes = get(f"{api}/view")
        view_once = time.monotonic() - t0
        view = json.loads(view_bytes)
        want = {"nodes": len(view["nodes"]), "nats": len(view["nats"])}
        view_times = []
        page_path = urllib.parse.urlsplit(url).path
        static = Static({page_path: ("text/html; charset=utf-8", get(url)),
                         f"{page_path.replace('/lab/', '/api/lab/', 1)}/view": ("application/json", view_bytes),
                         f"{page_path.replace('/lab/', '/api/lab/', 1)}/traffic":
                             ("application/json", get(f"{api}/traffic"))})
        threading.Thread(target=static.serve_forever, daemon=True).start()
        static_url = f"http://127.0.0.1:{static.server_address[1]}{page_path}"

        with HeadlessChromium() as chromium:
            chromium.call("Page.addScriptToEvaluateOnNewDocument", source=OBSERVER % json.dumps(want))

            def load(target):
                keep_mapping()
                chromium.navigate("about:blank")
                time.sleep(0.2)
                if target == url:  # the view alone, as the page gets it
                    t0 = time.monotonic()
                    get(f"{api}/view")
                    view_times.append(time.monotonic() - t0)
                    time.sleep(0.1)
                try:
                    chromium.navigate(target, timeout=a.wait)
                    return chromium.wait_for("window.__drawn", timeout=a.wait, interval=0.02) / 1000
                except (AssertionError, TimeoutError):
                    return None  # not drawn in a.wait seconds

            # Warm-up: Chromium's first page, the server's first view. A page serve does not draw
            # in a.wait seconds is loaded no more (the baseline still is).
            served_draws = load(url) is not None
            if not served_draws:
                stuck = chromium.evaluate("[document.querySelectorAll('#topology .node').length, "
                                          "document.querySelectorAll('#mappings-body div.nat').length, "
                                          "document.getElementById('status').textContent, document.body.dataset.live]")
            load(static_url)
            served, from_memory = [], []
            for _ in range(a.loads):
                if served_draws:
                    served.append(load(url))
                from_memory.append(load(static_url))
            m = statistics.median(t for t in from_memory if t is not None)
            if served_draws and None not in served:
                s = statistics.median(served)
                figure = f"natlab serve {ms(s):>10}   same page from memory {ms(m):>10}   {s / m:.1f}x"
            else:
                figure = (f"natlab serve not drawn in {a.wait:.0f} s (it showed {stuck[0]} nodes, "
                          f"{stuck[1]} NATs' mappings, status '{stuck[2]}', stream "
                          f"{'open' if stuck[3] == 'yes' else 'not open'})   same page "
                          f"from memory {ms(m):>10}")
            print(f"{'serve page load, ' + a.label:<34} {figure}  (view {len(view_bytes) / 1024:.0f} KiB, GET "
                  f"alone {ms(statistics.median(view_times or [view_once]))}; {want['nodes']} nodes; goal: under 1 s "
                  f"for 1000 NATs; medians of {len(from_memory)} loads)", flush=True)
            static.shutdown()

            # Event latency: the page open and live, natlab watch --json beside it.
            chromium.navigate("about:blank")
            chromium.navigate(url, timeout=a.wait)
            try:
                chromium.wait_for("document.body.dataset.live === 'yes'", timeout=a.wait)
            except AssertionError:
                print(f"{'serve event latency, ' + a.label:<34} the page's event stream did not open in "
                      f"{a.wait:.0f} s: no latency to time", flush=True)
                a.events = 0
            watch = self.start([a.natlab, "watch", self.lab, a.nat, "--json"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
            printed = {}

            def read_watch():
                for line in watch.stdout:
                    now = time.time()
                    meaning = json.loads(line).get("meaning", "")
                    if " is now mapped" in meaning:
                        port = meaning.split(" is now mapped")[0].rsplit(":", 1)[1]
                        printed.setdefault(port, now)

            threading.Thread(target=read_watch, daemon=True).start()
            time.sleep(1)  # watch has opened its socket
            sent = {}
            for i in range(a.events):
                port = str(5000 + i)
                time.sleep(0.3)
                sent[port] = time.time()
                sender.stdin.write(port + "\n")
                sender.stdin.flush()
            deadline = time.monotonic() + a.wait  # until both have shown every datagram's event
            while time.monotonic() < deadline:
                time.sleep(0.5)
                marks = chromium.evaluate("window.__marks")
                if all(p in marks and p in printed for p in sent):
                    break
            to_page = [marks[p] / 1000 - t for p, t in sent.items() if p in marks]
            to_watch = [printed[p] - t for p, t in sent.items() if p in printed]
            self.stop(watch)
            if not a.events:
                pass
            elif to_page and to_watch:
                p, w = statistics.median(to_page), statistics.median(to_watch)
                print(f"{'serve event latency, ' + a.label:<34} packet to page {ms(p):>9}   packet to natlab "
                      f"watch --json {ms(w):>9}   {ms(p - w)} more  (page max {ms(max(to_page))}; goal: within "
                      f"200 ms; medians of {len(to_page)} and {len(to_watch)} of {a.events} datagrams)", flush=True)
            else:
                print(f"{'serve event latency, ' + a.label:<34} no marked event seen: page {len(to_page)}, "
                      f"watch {len(to_watch)} of {a.events}", flush=True)

            # The flood, with the page open.
            nat_ns = f"{self.lab}-{a.nat}"
            conntrack_flush(nat_ns)
            time.sleep(2)
            chromium.evaluate("window.__added = {flow: 0, lost: 0, skipped: 0}")
            flood = self.flood(serve.pid, nat_ns, [chromium.proc.pid])
            shown = chromium.evaluate("[window.__added, document.getElementById('skipped').textContent]")
        self.stop(serve)
        conntrack_flush(nat_ns)
        time.sleep(2)
        # natlab watch's output is thrown away; only its lines are counted, and its notices of
        # events the kernel dropped.
        watch = self.start([a.natlab, "watch", self.lab, a.nat, "--json"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        lines, notices = [0], [0]

        def count(stream, into, what):
            for chunk in iter(lambda: stream.read1(65536), b""):
                into[0] += chunk.count(what)

        counters = [threading.Thread(target=count, args=(watch.stdout, lines, b"\n"), daemon=True),
                    threading.Thread(target=count, args=(watch.stderr, notices, b"were lost"), daemon=True)]
        for t in counters:
            t.start()
        time.sleep(1)
        alone = self.flood(watch.pid, nat_ns, [])
        self.stop(watch)
        for t in counters:
            t.join(5)
        conntrack_flush(nat_ns)
        added, skipped_text = shown
        print(f"{'serve under a flood, ' + a.label:<34} natlab serve {flood['cpu']:.0%} of a core (RSS "
              f"{flood['rss0'] / 1024:.1f} -> {flood['rss1'] / 1024:.1f} MiB, peak {flood['peak'] / 1024:.1f} MiB)   "
              f"natlab watch --json {alone['cpu']:.0%} of a core   {flood['cpu'] / max(alone['cpu'], 1e-9):.1f}x  "
              f"(CPU over the flood and 1 s after)", flush=True)
        print(f"{'  what reached the page':<34} {flood['sent']} datagrams in {flood['elapsed']:.1f} s "
              f"({flood['sent'] / flood['elapsed']:.0f}/s), {flood['flows']} new flows at {a.nat}; the page drew "
              f"{added['flow']} events and {added['lost']} notices of events the kernel dropped, shows "
              f"\"{skipped_text or 'no events skipped'}\"; Chromium {flood['others']:.0%} of a core   natlab watch "
              f"printed {lines[0]} events of {alone['flows']} new flows, {notices[0]} notices of dropped ones",
              flush=True)

    def flood(self, pid, nat_ns, others):
        """Floods; returns CPU shares over the flood and one second after, RSS and flows."""
        a = self.args
        gen = self.start(["ip", "netns", "exec", f"{self.lab}-{a.host}", "/usr/bin/python3", "-u", "-c", FLOOD,
                          a.dest, str(a.rate), str(a.seconds), "10000", "64999"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert gen.stdout.readline().strip() == "ready"
        flows0 = conntrack_count(nat_ns)
        rss0 = status_kb(pid, "VmRSS")
        other_pids = [p for sid in others for p in session_pids(sid)]
        c0, o0, t0 = cpu_ticks([pid]), cpu_ticks(other_pids), time.monotonic()
        gen.stdin.write("go\n")
        gen.stdin.flush()
        sent, elapsed = gen.stdout.readline().split()
        time.sleep(1)
        c1, o1, t1 = cpu_ticks([pid]), cpu_ticks(other_pids), time.monotonic()
        gen.wait()
        return {"cpu": (c1 - c0) / TICK / (t1 - t0), "others": (o1 - o0) / TICK / (t1 - t0),
                "rss0": rss0, "rss1": status_kb(pid, "VmRSS"), "peak": status_kb(pid, "VmHWM"),
                "flows": conntrack_count(nat_ns) - flows0, "sent": int(sent), "elapsed": float(elapsed)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--natlab", required=True)
    parser.add_argument("--lab", required=True, help="a running lab")
    parser.add_argument("--label", default=None, help="what the printed lines call the lab")
    parser.add_argument("--host", default="c0", help="the host that sends (behind NAT)")
    parser.add_argument("--nat", default="nat0", help="the NAT node whose events are timed")
    parser.add_argument("--dest", default="100.64.1.1", help="where the datagrams go (beyond NAT)")
    parser.add_argument("--quick", action="store_true", help="fewer page loads and datagrams")
    parser.add_argument("--rate", type=int, default=10000, help="flood datagrams a second")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--loads", type=int, help="page loads of each (default 11, --quick 5)")
    parser.add_argument("--events", type=int, help="datagrams timed (default 21, --quick 10)")
    parser.add_argument("--wait", type=float, default=120,
                        help="seconds to wait for a page to be drawn or an event to show")
    args = parser.parse_args()
    args.natlab = os.path.abspath(args.natlab)
    args.label = args.label or args.lab
    args.loads = args.loads or (5 if args.quick else 11)
    args.events = args.events or (10 if args.quick else 21)
    bench = Bench(args)
    try:
        bench.run()
    finally:
        bench.close()


if __name__ == "__main__":
    main()
