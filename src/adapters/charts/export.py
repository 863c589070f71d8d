"""PNG export of plotly figures through one warm kaleido/Chromium session, with a timeout per chart.

The browser starts on the first export and stays open for the next reports (a warm render costs a
fraction of a cold one). Each chart gets ``timeout_seconds``; a chart that fails or hangs is left out
(logged and counted), and a hung browser is closed so the next export starts a fresh one. Nothing here
can hang the caller longer than the browser start plus one timeout per chart.
"""

import asyncio
import logging
import threading
from collections.abc import Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any

import kaleido
import plotly.graph_objects as go

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Export:
    """PNGs by chart key, and the error of each chart that could not be exported."""

    images: dict[str, bytes]
    errors: dict[str, str] = field(default_factory=dict)


class KaleidoPngExporter:
    """Exports figures to PNG in one long-lived headless Chromium (kaleido 1.x, offline: no MathJax CDN)."""

    def __init__(self, *, timeout_seconds: float = 15.0, start_timeout_seconds: float = 30.0,
                 browser_path: str | None = None, scale: float = 1.0) -> None:
        self._timeout = timeout_seconds
        self._start_timeout = start_timeout_seconds
        self._browser_path = browser_path
        self._scale = scale
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: kaleido.Kaleido | None = None
        self.failures = 0
        """Charts that failed or timed out since this exporter was built."""

    @property
    def warm(self) -> bool:
        """Whether a browser is open."""
        return self._kaleido is not None

    def _run(self, coroutine: Any, timeout: float) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def _start(self) -> None:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True)
            self._thread.start()
        if self._kaleido is None:
            options: dict[str, Any] = {"n": 1, "timeout": self._timeout, "mathjax": False}
            if self._browser_path:
                options["path"] = self._browser_path

            async def open_browser() -> kaleido.Kaleido:
                browser = kaleido.Kaleido(**options)
                await browser.open()
                return browser
            self._kaleido = self._run(open_browser(), self._start_timeout)

    def _reset(self) -> None:
        browser, self._kaleido = self._kaleido, None
        if browser is not None and self._loop is not None:
            try:
                self._run(browser.close(), 10.0)
            except Exception:
                log.warning("kaleido browser did not close cleanly")

    def export(self, figures: Sequence[tuple[str, go.Figure]]) -> Export:
        """PNG bytes of each ``(key, figure)``; a failed or timed-out chart is in ``errors`` instead."""
        images: dict[str, bytes] = {}
        errors: dict[str, str] = {}
        with self._lock:
            try:
                self._start()
            except Exception as exc:
                self._reset()
                self.failures += len(figures)
                log.error("chart export: browser did not start: %s", exc)
                return Export({}, {key: f"browser did not start: {exc}" for key, _ in figures})
            assert self._kaleido is not None
            for key, figure in figures:
                opts = {"format": "png", "scale": self._scale}
                try:
                    images[key] = self._run(self._kaleido.calc_fig(figure, opts=opts), self._timeout)
                except (FutureTimeout, TimeoutError):
                    errors[key] = f"export timed out after {self._timeout:g} s"
                    self._reset()
                    self._start()
                except Exception as exc:
                    errors[key] = f"export failed: {type(exc).__name__}: {exc}"
                if key in errors:
                    self.failures += 1
                    log.error("chart export of %s: %s", key, errors[key])
        return Export(images, errors)

    def close(self) -> None:
        """Close the browser and stop the loop thread."""
        with self._lock:
            self._reset()
            if self._loop is not None:
                self._loop.call_soon_threadsafe(self._loop.stop)
                if self._thread is not None:
                    self._thread.join(5.0)
                self._loop = None
                self._thread = None
