"""Headless Chromium over the DevTools protocol, for the tests that check pages in a real browser."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

__all__ = ["Chromium"]


class Chromium:
    """Headless Chromium driven over the DevTools protocol (one websocket, flat sessions)."""

    def __init__(self, profile: Path):
        exe = next(
            (shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None
        )
        if exe is None:
            pytest.fail(
                "chromium is not installed: scripts/test.sh installs it "
                "(apt-get install -y chromium); the report test needs a real browser"
            )
        self.exe, self.profile = exe, profile
        self.events: list[dict] = []
        self._id = 0

    def __enter__(self):
        import websocket

        self.profile.mkdir(parents=True)
        self.proc = subprocess.Popen(
            [
                self.exe,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--mute-audio",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                "--window-size=1280,1000",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self._stop()
                pytest.fail(f"chromium did not start (exit code {self.proc.returncode})")
            time.sleep(0.05)
        port, path = port_file.read_text().split()[:2]
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=30)
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        return self

    def __exit__(self, *exc):
        try:
            self.ws.close()
        finally:
            self._stop()

    def _stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def call(self, method: str, session: str | None = None, **params):
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self._id:
                assert "error" not in reply, (method, reply["error"])
                return reply["result"]
            self.events.append(reply)

    def page(self, method: str, **params):
        return self.call(method, session=self.session, **params)

    def open(self, url: str) -> list[str]:
        """Load ``url``, wait for its load event; return every URL the page requested."""
        self.page("Network.enable")
        self.page("Page.enable")
        self.events.clear()
        self.page("Page.navigate", url=url)
        deadline = time.monotonic() + 30
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            assert time.monotonic() < deadline, "the page did not finish loading"
            self.events.append(json.loads(self.ws.recv()))
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def evaluate(self, expression: str):
        result = self.page(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def viewport(self, width: int, height: int = 1000, media: str = "screen") -> None:
        """Lay the page out at ``width`` CSS pixels, for ``media`` ("screen" or "print")."""
        self.page(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.page("Emulation.setEmulatedMedia", media=media)

    def full_page(self) -> bytes:
        """A screenshot of the whole page, top to bottom, at the current width."""
        w, h = self.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        return self.screenshot(clip=[0, 0, w, h])

    def screenshot(self, clip: list[float] | None = None) -> bytes:
        params: dict = {"format": "png"}
        if clip is not None:
            x, y, w, h = clip
            params.update(
                clip={"x": x, "y": y, "width": w, "height": h, "scale": 1},
                captureBeyondViewport=True,
            )
        return base64.b64decode(self.page("Page.captureScreenshot", **params)["data"])
