"""The browser harness itself, against a page that Python's http.server serves
on 127.0.0.1: a list filled by a server-sent event stream, as `natlab serve`'s
page is."""
import http.server
import os
import shutil
import tempfile
import threading
import time
import unittest
from unittest import mock

from browser import BrowserError, HeadlessChromium, artifact_dir, session_pids

PAGE = b"""<!doctype html>
<html><head><meta charset="utf-8"><title>events</title><link rel="icon" href="data:,"></head>
<body><ul id="events"></ul>
<script>
const source = new EventSource("/events");
source.onmessage = (event) => {
  const item = document.createElement("li");
  item.textContent = event.data;
  document.getElementById("events").appendChild(item);
  console.log("event", event.data);
};
</script></body></html>
"""


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)
        elif self.path == "/events":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            for n, data in enumerate(["first", "second"]):
                if n:
                    time.sleep(0.3)
                self.wfile.write(f"data: {data}\n\n".encode())
                self.wfile.flush()
            # The stream stays open, as a live one does: closed, EventSource
            # would reconnect and get both events again.
            self.server.stopping.wait(30)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


class HarnessTest(unittest.TestCase):
    def setUp(self):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.stopping = threading.Event()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.addCleanup(self.server.stopping.set)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def test_page_fills_in_without_reload(self):
        with HeadlessChromium() as browser:
            browser.navigate(self.url)
            items = browser.wait_for("""(() => {
                const items = [...document.querySelectorAll("#events li")].map(li => li.textContent);
                return items.length >= 2 && items;
            })()""")
            self.assertEqual(items, ["first", "second"])
            self.assertEqual(browser.navigation_count(), 1, "the page reloaded")
            requests = browser.network_requests()
            self.assertIn(self.url + "events", requests)
            for url in requests:
                self.assertTrue(url.startswith("http://127.0.0.1:"), f"the page fetched {url}")
            messages = browser.console_messages()
            self.assertEqual([m for m in messages if m["level"] == "error"], [])
            self.assertIn({"level": "log", "text": "event second"}, messages)
            path = browser.screenshot(os.path.join(artifact_dir(), "browser-harness.png"))
        with open(path, "rb") as f:
            png = f.read()
        self.assertTrue(png.startswith(b"\x89PNG\r\n\x1a\n"), path)
        self.assertGreater(len(png), 1024, path)

    def test_evaluate_and_wait_for_report_failures(self):
        with HeadlessChromium() as browser:
            browser.navigate(self.url)
            self.assertEqual(browser.evaluate("new Promise(done => setTimeout(() => done(6 * 7), 50))"), 42)
            with self.assertRaisesRegex(BrowserError, "nothing is not defined"):
                browser.evaluate("nothing.here")
            with self.assertRaisesRegex(AssertionError, "last: 0"):
                browser.wait_for("document.querySelectorAll('p').length", timeout=0.2)

    def test_nothing_outlives_a_failing_test(self):
        with self.assertRaises(ZeroDivisionError):
            with HeadlessChromium() as browser:
                sid, profile = browser.proc.pid, browser.tmp
                self.assertTrue(session_pids(sid))
                1 / 0
        self.assertEqual(session_pids(sid), [], "chromium outlived its test")
        self.assertFalse(os.path.exists(profile), "chromium's profile left behind")

    def test_artifact_dir(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        build = os.path.join(tmp, "build")
        os.makedirs(os.path.join(build, "src"))
        open(os.path.join(build, "CMakeCache.txt"), "w").close()
        with mock.patch.dict(os.environ, {"NATLAB": os.path.join(build, "src", "natlab")}):
            os.environ.pop("NATLAB_TEST_ARTIFACTS", None)
            self.assertEqual(artifact_dir(), os.path.join(build, "test-artifacts"))
            os.environ["NATLAB_TEST_ARTIFACTS"] = os.path.join(tmp, "kept")
            self.assertEqual(artifact_dir(), os.path.join(tmp, "kept"))
        self.assertTrue(os.path.isdir(os.path.join(build, "test-artifacts")))
        self.assertTrue(os.path.isdir(os.path.join(tmp, "kept")))

if __name__ == "__main__":
    unittest.main()
