"""natlab serve in a real browser (Debian's Chromium, headless, driven over DevTools): the page of a
two-NAT lab shows the mapping and the event a real datagram makes without a reload, refuses changes
unless allowed and tokened, answers only its own Host, and frees a closed page's stream. Witnesses:
the DOM Chromium renders, `ip -j link`, `ss`, and the HTTP answers themselves. Each test keeps a
screenshot in the artifact directory."""
import http.client
import json
import os
import signal
import socket
import subprocess
import time
import unittest
import urllib.parse

from browser import HeadlessChromium, artifact_dir
from natlab_test import NATLAB, PYTHON, in_netns, ip_json, lab_file, natlab, unique_name, wait_for

SEND = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", int(sys.argv[3])))
s.sendto(b"hello", (sys.argv[1], int(sys.argv[2])))
"""


class Served:
    """natlab serve on a free loopback port, stopped (SIGINT, as Ctrl-C) on the way out."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([NATLAB, "serve", *args, "--listen", "127.0.0.1:0"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.stop()
            raise AssertionError(f"natlab serve printed no URL: {self.url!r} {self.proc.stderr.read()}")
        parsed = urllib.parse.urlsplit(self.url)
        self.host, self.port = parsed.hostname, parsed.port
        self.token = urllib.parse.parse_qs(parsed.query).get("token", [""])[0]

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            res = conn.getresponse()
            return res.status, dict(res.getheaders()), res.read().decode()
        finally:
            conn.close()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for f in (self.proc.stdout, self.proc.stderr):
            f.close()
        return self.proc.returncode


class ServedLab(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = unique_name("sv")
        natlab("create", "-q", "--name", cls.lab, lab_file("two-nat.yaml"))

    @classmethod
    def tearDownClass(cls):
        natlab("clean", "-q", cls.lab)

    def serve(self, *args):
        served = Served(self.lab, *args)
        self.addCleanup(served.stop)
        return served

    def browser(self):
        chromium = HeadlessChromium()
        chromium.__enter__()
        self.addCleanup(chromium.__exit__, None, None, None)
        return chromium

    def send(self, node, to, port, from_port):
        in_netns(f"{self.lab}-{node}", PYTHON, "-c", SEND, to, str(port), str(from_port), check=True)

    def screenshot(self, chromium, name):
        path = chromium.screenshot(os.path.join(artifact_dir(), f"serve-{name}.png"))
        with open(path, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_a_datagram_shows_its_mapping_and_event_without_a_reload(self):
        served = self.serve()
        chromium = self.browser()
        chromium.navigate(served.url)
        chromium.wait_for("document.querySelectorAll('#topology .node').length === 5")
        chromium.wait_for("document.body.dataset.live === 'yes'")  # the event stream is open
        self.send("c0", "100.64.2.100", 7777, 4242)
        rows = chromium.wait_for(
            "[...document.querySelectorAll('tr.mapping')].map(r => r.textContent)"
            ".filter(t => t.includes('10.0.1.2:4242') && t.includes('100.64.1.100:4242'))")
        self.assertIn("c0", rows[0])
        event = chromium.wait_for(
            "[...document.querySelectorAll('#eventlog li')].map(l => l.textContent)"
            ".find(t => t.includes('c0 10.0.1.2:4242 is now mapped to 100.64.1.100:4242'))")
        self.assertIn("nat0:", event)
        # Selecting c0 highlights its mapping and the links on its way.
        chromium.evaluate("document.querySelector('[data-node=c0]').dispatchEvent(new MouseEvent('click'))")
        chromium.wait_for("document.querySelectorAll('tr.mapping.selected').length >= 1")
        chromium.wait_for("document.querySelectorAll('#topology line.path').length >= 2")
        self.assertEqual(chromium.navigation_count(), 1)
        for url in chromium.network_requests():
            self.assertTrue(url.startswith(f"http://127.0.0.1:{served.port}/"), url)
        self.assertEqual([m for m in chromium.console_messages() if m["level"] == "error"], [])
        self.screenshot(chromium, "two-nat")

    def test_without_allow_changes_every_change_is_refused(self):
        served = self.serve()
        status, headers, body = served.request(
            "POST", f"/api/lab/{self.lab}/change", json.dumps({"action": "flush", "nat": "nat0"}),
            {"Content-Type": "application/json"})
        self.assertEqual(status, 403)
        self.assertEqual(json.loads(body)["error"],
                         "this page shows the lab and changes nothing; start natlab serve with "
                         "--allow-changes to change it from the page")
        chromium = self.browser()
        chromium.navigate(served.url)
        text = chromium.wait_for("document.querySelector('#controls').textContent")
        self.assertIn("read-only", text)
        self.screenshot(chromium, "read-only")

    def test_a_change_needs_the_printed_token_and_is_made_as_link_makes_it(self):
        served = self.serve("--allow-changes")
        self.assertRegex(served.token, r"^[0-9a-f]{32}$")
        change = json.dumps({"action": "link", "end": "nat0:wan", "state": "down"})
        for token in ("", "0" * 32):
            status, _, body = served.request("POST", f"/api/lab/{self.lab}/change", change,
                                             {"X-Natlab-Token": token})
            self.assertEqual(status, 403)
            self.assertIn("the change carries no token or a wrong one", body)
        self.assertIn("UP", ip_json(f"{self.lab}-nat0", "link", "show", "wan")[0]["flags"])
        chromium = self.browser()
        chromium.navigate(served.url)
        chromium.wait_for("document.querySelector('#c-end')")
        chromium.evaluate("document.querySelector('#c-end').value = 'nat0:wan'")
        chromium.evaluate("[...document.querySelectorAll('#controls button')].find(b => b.textContent === 'down').click()")
        chromium.wait_for("document.querySelector('#c-result').textContent === 'nat0:wan is down'")
        self.addCleanup(natlab, "link", self.lab, "nat0:wan", "up", check=False)
        self.assertNotIn("UP", ip_json(f"{self.lab}-nat0", "link", "show", "wan")[0]["flags"])
        chromium.wait_for("document.querySelectorAll('#topology line.down').length === 1")
        self.screenshot(chromium, "link-down")
        status, _, body = served.request("POST", f"/api/lab/{self.lab}/change",
                                         json.dumps({"action": "link", "end": "nat0:wan", "state": "up"}),
                                         {"X-Natlab-Token": served.token})
        self.assertEqual((status, json.loads(body)["result"]), (200, "nat0:wan is up"))
        self.assertIn("UP", ip_json(f"{self.lab}-nat0", "link", "show", "wan")[0]["flags"])

    def test_only_its_own_host_is_answered_and_no_cors_header_is_sent(self):
        served = self.serve()
        status, _, body = served.request("GET", f"/api/lab/{self.lab}/view", headers={"Host": f"rebind.example:{served.port}"})
        self.assertEqual(status, 421)
        self.assertEqual(json.loads(body)["error"], f"natlab serve answers requests for 127.0.0.1:{served.port} only, "
                                                    f"not 'rebind.example:{served.port}'")
        for path in ("/", f"/lab/{self.lab}", f"/api/lab/{self.lab}/view"):
            status, headers, _ = served.request("GET", path, headers={"Origin": "http://elsewhere.example"})
            self.assertEqual(status, 200, path)
            self.assertFalse([h for h in headers if h.lower().startswith("access-control-")], headers)

    def test_a_closed_page_frees_its_stream(self):
        served = self.serve()

        def streams():
            out = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{served.port} )"],
                                 capture_output=True, text=True).stdout
            return len(out.splitlines())

        conns = [http.client.HTTPConnection(served.host, served.port, timeout=5) for _ in range(3)]
        pages = []  # a response owns its socket once the server says it closes
        for c in conns:
            c.request("GET", f"/api/lab/{self.lab}/events")
            pages.append(c.getresponse())
            self.assertEqual(pages[-1].status, 200)
        self.assertTrue(wait_for(lambda: streams() == 3, timeout=5))
        for page in pages:
            page.close()
        self.assertTrue(wait_for(lambda: streams() == 0, timeout=10), "the server kept closed streams")

    def test_ctrl_c_ends_it(self):
        served = Served(self.lab)
        self.assertEqual(served.stop(), 0)


class RunServe(unittest.TestCase):
    def test_the_page_is_up_while_the_command_runs_and_gone_after(self):
        name = unique_name("svrun")
        run = subprocess.Popen([NATLAB, "run", "--name", name, "--serve", "127.0.0.1:0", lab_file("two-nat.yaml"),
                                "--", "sleep", "4"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(natlab, "clean", "-q", name, check=False)  # whatever the run left

        def end_run():  # SIGTERM: natlab run removes its lab on it
            if run.poll() is None:
                run.terminate()
                run.wait(timeout=60)
        self.addCleanup(end_run)
        line = run.stderr.readline()
        while line and "page is at" not in line:
            line = run.stderr.readline()
        self.assertRegex(line, r"^natlab run: the lab's page is at http://127\.0\.0\.1:\d+/lab/svrun-\w+ while the command runs$")
        url = urllib.parse.urlsplit(line.split(" at ")[1].split()[0])
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        conn.request("GET", f"/api/lab/{name}/view")
        view = json.loads(conn.getresponse().read())
        conn.close()
        self.assertEqual(view["lab"], name)
        self.assertFalse(view["changes_allowed"])
        self.assertEqual(run.wait(timeout=60), 0)
        run.stdout.close()
        run.stderr.close()
        with self.assertRaises(ConnectionRefusedError):
            http.client.HTTPConnection(url.hostname, url.port, timeout=5).request("GET", "/")

    def test_a_page_that_cannot_be_served_is_told_and_the_command_runs(self):
        taken = socket.socket()
        self.addCleanup(taken.close)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        name = unique_name("svbusy")
        self.addCleanup(natlab, "clean", "-q", name, check=False)
        run = natlab("run", "--name", name, "--serve", f"127.0.0.1:{port}", lab_file("two-nat.yaml"), "--", "true")
        self.assertIn(f"natlab serve: cannot listen on 127.0.0.1:{port} (Address already in use); choose another: "
                      "natlab serve --listen ADDR:PORT, natlab run --serve ADDR:PORT (port 0: any free port, "
                      "e.g. 127.0.0.1:0)\nnatlab run: the command runs without the lab's page\n", run.stderr)
        self.assertIn(f"natlab run: removed lab {name}", run.stderr)


if __name__ == "__main__":
    unittest.main()
