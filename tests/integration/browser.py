"""Debian's Chromium, headless, driven through the DevTools protocol, so a test
can load a page, wait for what appears on it without a reload, read the DOM
and keep screenshots.

    with HeadlessChromium() as browser:
        browser.navigate(url)
        browser.wait_for("document.querySelectorAll('li').length >= 2")
        browser.screenshot(os.path.join(artifact_dir(), "page.png"))

Only the standard library and websocket-client (python3-websocket) are used.
"""
import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request

import websocket

CHROMIUM = os.environ.get("NATLAB_CHROMIUM", "chromium")


def artifact_dir():
    """Where tests keep screenshots: $NATLAB_TEST_ARTIFACTS, else test-artifacts
    in the build directory (the one holding the $NATLAB binary ctest names),
    else /tmp/natlab-test-artifacts. Created if missing."""
    path = os.environ.get("NATLAB_TEST_ARTIFACTS")
    if not path:
        path = "/tmp/natlab-test-artifacts"
        natlab = os.environ.get("NATLAB", "")
        if os.path.isabs(natlab):
            directory = os.path.dirname(natlab)
            while directory != os.path.dirname(directory):
                if os.path.exists(os.path.join(directory, "CMakeCache.txt")):
                    path = os.path.join(directory, "test-artifacts")
                    break
                directory = os.path.dirname(directory)
    os.makedirs(path, exist_ok=True)
    return path


class BrowserError(RuntimeError):
    """A DevTools command failed, or the page's JavaScript threw."""


def session_pids(sid):
    """The processes of session `sid`: Chromium's whole tree, since it starts in
    a session of its own."""
    pids = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as f:
                # Fields after the command (which may hold spaces and parentheses).
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == sid:
            pids.append(int(entry))
    return pids


class HeadlessChromium:
    """One headless Chromium with one page. Every process of it is killed and its
    profile removed on exit, also when the test fails."""

    def __init__(self, window_size=(1400, 900), start_timeout=30):
        self.window_size = window_size
        self.start_timeout = start_timeout
        self.proc = None
        self.ws = None
        self.tmp = None
        self.log = None
        self.events = []
        self.next_id = 0

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self):
        self.tmp = tempfile.mkdtemp(prefix="natlab-chromium-")
        profile = os.path.join(self.tmp, "profile")
        self.log = os.path.join(self.tmp, "chromium.log")
        width, height = self.window_size
        with open(self.log, "wb") as log:
            # Port 0: Chromium picks a free port and writes it to DevToolsActivePort.
            self.proc = subprocess.Popen(
                [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--no-default-browser-check", f"--user-data-dir={profile}", "--remote-debugging-port=0",
                 f"--window-size={width},{height}", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        port = self._devtools_port(os.path.join(profile, "DevToolsActivePort"))
        page = self._page_target(port)
        # Without an Origin header: some Chromium releases refuse a DevTools
        # websocket whose origin --remote-allow-origins does not name.
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True,
                                              timeout=self.start_timeout)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        # --headless=new takes the window's frame off --window-size (1400x900
        # gives a 1400x757 page): the page gets the whole size instead.
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=False)

    def _devtools_port(self, path):
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BrowserError(f"chromium exited {self.proc.returncode}:\n{self._log_tail()}")
            try:
                with open(path) as f:
                    lines = f.read().splitlines()
                # The file is whole once it holds the port and the browser's path.
                if len(lines) >= 2:
                    return int(lines[0])
            except FileNotFoundError:
                pass
            time.sleep(0.05)
        raise BrowserError(f"chromium wrote no {path} in {self.start_timeout} s:\n{self._log_tail()}")

    def _page_target(self, port):
        deadline = time.monotonic() + self.start_timeout
        while True:
            # No proxy: an http_proxy in the environment would not reach 127.0.0.1.
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            with opener.open(f"http://127.0.0.1:{port}/json/list", timeout=self.start_timeout) as r:
                pages = [t for t in json.load(r) if t["type"] == "page"]
            if pages or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if not pages:
            raise BrowserError(f"chromium has no page target:\n{self._log_tail()}")
        return pages[0]

    def _log_tail(self):
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-20:])
        except OSError:
            return ""

    def close(self):
        if self.ws:
            self.ws.close()
            self.ws = None
        if self.proc:
            # The wrapper script /usr/bin/chromium does not exec, and Chromium
            # forks zygotes and renderers: kill the whole session, then wait
            # until none of it is left, so nothing writes into the profile
            # while it is removed and nothing outlives the test.
            sid = self.proc.pid
            deadline = time.monotonic() + 10
            while True:
                pids = session_pids(sid)
                if not pids or time.monotonic() > deadline:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                self.proc.poll()
                time.sleep(0.02)
            self.proc.wait()
            self.proc = None
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    # The protocol: one websocket, replies matched to their command's id; every
    # event read meanwhile is kept in self.events, in order.

    def call(self, method, timeout=10, **params):
        """Sends a DevTools command and returns its result."""
        self.next_id += 1
        wanted = self.next_id
        self.ws.send(json.dumps({"id": wanted, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline, f"the reply to {method}")
            if message.get("id") == wanted:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error'].get('message')}")
                return message.get("result", {})

    def _receive(self, deadline, what):
        """Reads one message, keeping it in self.events if it is an event. A
        reply to an earlier command that timed out is read and dropped."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"no {what}")
        self.ws.settimeout(remaining)
        try:
            message = json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            raise TimeoutError(f"no {what}") from None
        if "method" in message:
            self.events.append(message)
        return message

    def wait_event(self, method, since=0, timeout=10):
        """Returns the first event `method` at index `since` or later of
        self.events, reading messages until it comes."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events[since:]:
                if event["method"] == method:
                    return event
            since = len(self.events)
            self._receive(deadline, f"{method} event")

    def pump(self):
        """Reads the messages that have already arrived, so that the events are current."""
        self.evaluate("0")

    # What tests use.

    def navigate(self, url, timeout=10):
        since = len(self.events)
        result = self.call("Page.navigate", timeout=timeout, url=url)
        if result.get("errorText"):
            raise BrowserError(f"navigating to {url}: {result['errorText']}")
        self.wait_event("Page.loadEventFired", since, timeout)

    def evaluate(self, js, timeout=10):
        """The value of JavaScript expression `js` (a promise's is awaited), as JSON
        gives it back. Raises BrowserError with the exception when it throws."""
        result = self.call("Runtime.evaluate", timeout=timeout, expression=js, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"{js} threw: {text}")
        return result["result"].get("value")

    def wait_for(self, js_predicate, timeout=5, interval=0.05):
        """Evaluates js_predicate until it is truthy and returns its value. One
        that throws counts as not yet (the element may not be there yet)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(js_predicate)
                if value:
                    return value
            except BrowserError as error:
                value = error
            if time.monotonic() > deadline:
                raise AssertionError(f"{js_predicate} still not true after {timeout} s; last: {value!r}")
            time.sleep(interval)

    def screenshot(self, path):
        """Saves the page as PNG at path; returns path."""
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path

    def console_messages(self):
        """What the page logged, as {"level", "text"}: console calls, uncaught
        exceptions and the browser's own log entries (failed loads, CSP)."""
        self.pump()
        messages = []
        for event in self.events:
            params = event["params"]
            if event["method"] == "Runtime.consoleAPICalled":
                text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params["args"])
                messages.append({"level": params["type"], "text": text})
            elif event["method"] == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                text = details.get("exception", {}).get("description") or details.get("text")
                messages.append({"level": "error", "text": text})
            elif event["method"] == "Log.entryAdded":
                messages.append({"level": params["entry"]["level"], "text": params["entry"]["text"]})
        return messages

    def network_requests(self):
        """The URLs the page requested, in order."""
        self.pump()
        return [e["params"]["request"]["url"] for e in self.events if e["method"] == "Network.requestWillBeSent"]

    def navigation_count(self):
        """How often the main frame navigated: 1 after one navigate() and no reload."""
        self.pump()
        return sum(1 for e in self.events
                   if e["method"] == "Page.frameNavigated" and "parentId" not in e["params"]["frame"])
