"""A real headless Chromium driven over the DevTools protocol (choreographer, installed with kaleido).

``visit`` loads a URL, waits until every plotly chart has drawn, records every request the page made,
reads the DOM facts a test asks for and takes a full-page screenshot.
"""

import asyncio
import base64
import json
import shutil
from dataclasses import dataclass
from typing import Any

import choreographer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-headless-shell") or "/usr/bin/chromium"


@dataclass(frozen=True)
class Visit:
    """What the browser saw."""

    requests: list[str]
    facts: dict[str, Any]
    screenshot: bytes
    parts: list[bytes]
    """The page in slices of ``slice_height`` CSS pixels at half scale (easier to look at)."""


async def _evaluate(tab: Any, expression: str) -> Any:
    reply = await tab.send_command("Runtime.evaluate", params={"expression": expression, "returnByValue": True,
                                                              "awaitPromise": True})
    return reply["result"]["result"].get("value")


async def _visit(url: str, facts: str, ready: str, width: int, timeout: float, slice_height: int) -> Visit:
    requests: list[str] = []
    async with choreographer.Browser(path=CHROMIUM, headless=True) as browser:
        tab = await browser.create_tab("")
        await tab.send_command("Emulation.setDeviceMetricsOverride",
                               params={"width": width, "height": 1200, "deviceScaleFactor": 1, "mobile": False})

        async def on_request(message: dict[str, Any]) -> None:
            requests.append(message["params"]["request"]["url"])
        tab.subscribe("Network.requestWillBeSent", on_request)
        await tab.send_command("Network.enable")
        await tab.send_command("Page.enable")
        loaded = tab.subscribe_once("Page.loadEventFired")
        await tab.send_command("Page.navigate", params={"url": url})
        await asyncio.wait_for(loaded, timeout)
        deadline = asyncio.get_running_loop().time() + timeout
        while not await _evaluate(tab, ready):
            if asyncio.get_running_loop().time() > deadline:
                break
            await asyncio.sleep(0.2)
        found = json.loads(await _evaluate(tab, f"JSON.stringify({facts})"))
        shot = await tab.send_command("Page.captureScreenshot", params={"format": "png", "captureBeyondViewport": True})
        height = int(await _evaluate(tab, "document.documentElement.scrollHeight"))
        parts = []
        for top in range(0, height, slice_height):
            clip = {"x": 0, "y": top, "width": width, "height": min(slice_height, height - top), "scale": 0.5}
            part = await tab.send_command("Page.captureScreenshot",
                                          params={"format": "png", "captureBeyondViewport": True, "clip": clip})
            parts.append(base64.b64decode(part["result"]["data"]))
    return Visit(requests, found, base64.b64decode(shot["result"]["data"]), parts)


def visit(url: str, *, facts: str, ready: str = "true", width: int = 1280, timeout: float = 60.0,
          slice_height: int = 2400) -> Visit:
    """Load ``url`` in headless Chromium; ``facts`` and ``ready`` are JavaScript expressions."""
    return asyncio.run(_visit(url, facts, ready, width, timeout, slice_height))
