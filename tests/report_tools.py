"""Helpers for the report tests: external tools (Chromium, poppler) and a review folder built from test data.

A missing tool skips the test with the reason; with EXOREVIEW_REQUIRE_TOOLS=1 (set by .ci/run,
whose `make test` installs them through scripts/install_test_tools.sh) it fails instead.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("EXOREVIEW_TEST_ARTIFACTS", ROOT / "test-artifacts"))
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def require_tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{names[0]} not installed (scripts/install_test_tools.sh installs it)"
    if os.environ.get("EXOREVIEW_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def chromium(args: list[str], profile: Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with everything that could reach the network switched off."""
    binary = require_tool(*CHROMIUM_NAMES)
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", "--hide-scrollbars", "--disable-dev-shm-usage",
               f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


class Browser:
    """Headless Chromium driven over its DevTools protocol on a pipe (no port, no network).

    `--window-size` has a floor in headless mode (about 500 px), so phone widths are set with
    Emulation.setDeviceMetricsOverride, the way DevTools' device mode does it.
    """

    def __init__(self, profile: Path) -> None:
        binary = require_tool(*CHROMIUM_NAMES)
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire() -> None:  # in the child: Chromium reads commands on fd 3 and answers on fd 4
            high_r, high_w = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--hide-scrollbars", "--disable-dev-shm-usage", "--remote-debugging-pipe",
             f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, close_fds=False)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next = 0
        self.session = ""
        self.events: list[dict] = []  # every event seen while waiting for answers (dialogs, console errors)
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable")

    read_timeout: float | None = None  # seconds to wait for Chromium's next message; None waits for ever

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            if self.read_timeout is not None:
                ready, _, _ = select.select([self._from_child], [], [], self.read_timeout)
                if not ready:
                    raise TimeoutError(f"Chromium sent nothing for {self.read_timeout:g} s")
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, params: dict | None = None, *, wait_event: str = "") -> dict:
        self._next += 1
        request = {"id": self._next, "method": method, "params": params or {}}
        if self.session:
            request["sessionId"] = self.session
        os.write(self._to_child, json.dumps(request).encode() + b"\0")
        result, seen = None, not wait_event
        while result is None or not seen:
            message = self._read()
            if message.get("id") == self._next:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result = message["result"]
            elif "method" in message:
                self.events.append(message)
                seen = seen or message["method"] == wait_event
        return result

    def open(self, url: str, width: int, height: int, *, mobile: bool) -> None:
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        self.call("Page.navigate", {"url": url}, wait_event="Page.loadEventFired")

    def evaluate(self, expression: str) -> object:
        answer = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return answer["result"].get("value")

    def screenshot(self, path: Path, clip: dict | None = None) -> Path:
        """The viewport, or with `clip` ({x, y, width, height} in page coordinates) that region of the page."""
        params: dict = {"format": "png"}
        if clip:
            params |= {"clip": {**clip, "scale": 1}, "captureBeyondViewport": True}
        data = self.call("Page.captureScreenshot", params)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_child)
        os.close(self._from_child)
