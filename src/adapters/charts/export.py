"""PNG export of plotly figures through one warm kaleido/Chromium session, with a timeout per chart.

The browser starts on the first export and stays open for the next reports (a warm render costs a
fraction of a cold one). Each chart gets ``timeout_seconds``; a chart that fails or hangs is left out
(logged and counted), and a browser with a hung chart is closed so the next export starts a fresh one. The
charts of one export run at once, one per tab (``tabs``). Nothing here can hang the caller longer than the
browser start plus one timeout per chart.

A browser that starts after its start timeout (a loaded machine) is not abandoned: it is closed as soon as it
opens, and ``close`` waits for that, so no Chromium outlives the exporter (an orphaned one keeps writing into its
user-data directory, and the interpreter's exit then fails to delete it).
"""

import asyncio
import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future
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
                 browser_path: str | None = None, scale: float = 1.0, tabs: int = 2) -> None:
        self._timeout = timeout_seconds
        self._tabs = tabs  # charts exported at once, one per browser tab (2 cores: two tabs)
        self._start_timeout = start_timeout_seconds
        self._browser_path = browser_path
        self._scale = scale
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: kaleido.Kaleido | None = None
        self._late: list[Future[Any]] = []
        self._opening: tuple[Future[Any], threading.Event] | None = None
        self.failures = 0
        """Charts that failed or timed out since this exporter was built."""

    @property
    def warm(self) -> bool:
        """Whether a browser is open."""
        return self._kaleido is not None

    def _run(self, coroutine: Any, timeout: float) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def _begin(self) -> None:
        """Start the loop thread, and the browser's opening unless it is open or opening (lock held)."""
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True)
            self._thread.start()
        if self._kaleido is None and self._opening is None:
            options: dict[str, Any] = {"n": self._tabs, "timeout": self._timeout, "mathjax": False}
            if self._browser_path:
                options["path"] = self._browser_path
            abandoned = threading.Event()
            self._opening = (asyncio.run_coroutine_threadsafe(self._open(options, abandoned), self._loop), abandoned)

    def prepare(self) -> None:
        """Begin opening the browser in the background, so that it starts while the caller builds its figures."""
        with self._lock:
            self._begin()

    def _start(self) -> None:
        self._begin()
        if self._kaleido is not None:
            return
        assert self._opening is not None
        (future, abandoned), self._opening = self._opening, None
        try:
            self._kaleido = future.result(self._start_timeout)
            return
        except FutureTimeout:
            # Not cancelled: a cancelled open can leave Chromium running without a handle to close it.
            abandoned.set()
        self._late.append(future)
        raise TimeoutError(f"the browser did not start within {self._start_timeout:g} s")

    @staticmethod
    async def _open(options: dict[str, Any], abandoned: threading.Event) -> kaleido.Kaleido:
        """Open a browser; one that failed half-way, or opened after its caller gave up, is closed."""
        browser = kaleido.Kaleido(**options)
        try:
            await browser.open()
        except BaseException:
            await browser.close()
            raise
        if abandoned.is_set():
            await browser.close()
            raise TimeoutError("the browser opened after its start timeout and was closed")
        return browser

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
        opts = {"format": "png", "scale": self._scale}
        with self._lock:
            try:
                self._start()
            except Exception as exc:
                self._reset()
                self.failures += len(figures)
                log.error("chart export: browser did not start: %s", exc)
                return Export({}, {key: f"browser did not start: {exc}" for key, _ in figures})
            browser = self._kaleido
            assert browser is not None

            async def one(figure: go.Figure) -> bytes:
                return await asyncio.wait_for(browser.calc_fig(figure, opts=opts), self._timeout)

            async def every() -> list[bytes | BaseException]:
                return await asyncio.gather(*(one(f) for _, f in figures), return_exceptions=True)

            # Each chart has its own timeout inside; the outer bound only guards against a wedged loop.
            try:
                results: list[bytes | BaseException] = self._run(every(), self._timeout * len(figures) + 10.0)
            except (FutureTimeout, TimeoutError) as exc:
                results = [exc] * len(figures)
            hung = False
            for (key, _), result in zip(figures, results, strict=True):
                if isinstance(result, bytes):
                    images[key] = result
                    continue
                if isinstance(result, (FutureTimeout, TimeoutError)):
                    errors[key] = f"export timed out after {self._timeout:g} s"
                    hung = True
                else:
                    errors[key] = f"export failed: {type(result).__name__}: {result}"
                self.failures += 1
                log.error("chart export of %s: %s", key, errors[key])
            if hung:  # a tab may still be stuck on the hung chart: the next export starts a fresh browser
                self._reset()
        return Export(images, errors)

    def close(self) -> None:
        """Close the browser and stop the loop thread."""
        with self._lock:
            self._reset()
            if self._opening is not None:  # prepared but never used: it closes itself once open
                (future, abandoned), self._opening = self._opening, None
                abandoned.set()
                self._late.append(future)
            for late in self._late:  # a browser still opening after its start timed out closes itself once open
                try:
                    opened = late.result(self._start_timeout + 10.0)
                except FutureTimeout:
                    log.warning("kaleido: a browser still starting when the exporter closed was left running")
                except Exception:  # the expected end: _open closed the late browser and raised
                    log.debug("kaleido: a late browser was closed")
                else:  # it opened in the instant between the timeout and the flag
                    self._run(opened.close(), 10.0)
            self._late.clear()
            if self._loop is not None:
                self._loop.call_soon_threadsafe(self._loop.stop)
                if self._thread is not None:
                    self._thread.join(5.0)
                self._loop = None
                self._thread = None
