"""Reading the stored daily reports: JSON, the rendered page and e-mail, the list, the page's assets.

Rendering happens here, on read (a request, a send), never while the pipeline stores reports. Each
rendering is cached by session and kept while that session's report is unchanged: the cache key holds
the report's ``generated_at``, so rebuilding a session's report invalidates its page on the next read.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from application.errors import NotFoundError
from application.messages import EmailContent, SlackContent
from application.ports import ReportAssets, ReportRenderer, ReportStamp, StaticAsset, StoredReport, UnitOfWork

T = TypeVar("T")


class ReportNotFoundError(NotFoundError):
    """No report for the session asked; names it and the latest session that has one."""

    def __init__(self, day: date | None, latest: date | None) -> None:
        self.day = day
        self.latest = latest
        available = f"the latest available is {latest.isoformat()}" if latest else "no report is stored yet"
        asked = f"no daily report for {day.isoformat()}" if day else "no daily report"
        super().__init__(f"{asked}; {available}")


class AssetNotFoundError(NotFoundError):
    """The report page has no static file of that name."""


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A rendered HTML page of one session's report."""

    day: date
    generated_at: datetime
    html: str

    @property
    def etag(self) -> str:
        """Entity tag: changes whenever the session's report is rebuilt."""
        return f'"{self.day.isoformat()}-{int(self.generated_at.timestamp() * 1_000_000)}"'


@dataclass(frozen=True, slots=True)
class ReportPage:
    """A page of the list of stored reports, newest session first."""

    items: list[ReportStamp]
    total: int
    limit: int
    offset: int


class ReportReadingService:
    """Serves the stored reports as JSON, web page, e-mail and Slack content, rendering on demand."""

    def __init__(self, uow: Callable[[], UnitOfWork], renderer: ReportRenderer, assets: ReportAssets, *,
                 cache_size: int = 32, on_render: Callable[[str, float, int], None] | None = None) -> None:
        self._uow = uow
        self._on_render = on_render
        """Told (format, seconds, bytes) after each rendering: the API's report-render metrics."""
        self._renderer = renderer
        self._assets = assets
        self._cache: OrderedDict[tuple[str, date, datetime, str], object] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._rendering: dict[tuple[str, date, datetime, str], threading.Lock] = {}
        self.renders = 0
        """Renderings made (cache misses) since the service was built."""

    def _stamp(self, day: date | None) -> ReportStamp:
        with self._uow() as uow:
            stamp = uow.reports.stamp(day)
            if stamp is None:
                latest = uow.reports.stamp(None)
                raise ReportNotFoundError(day, latest.day if latest else None)
        return stamp

    def stored(self, day: date | None = None) -> StoredReport:
        """The stored JSON report of ``day`` (the latest when None); ``ReportNotFoundError`` if none."""
        with self._uow() as uow:
            found = uow.reports.get(day) if day is not None else uow.reports.latest()
            if found is None:
                latest = uow.reports.stamp(None)
                raise ReportNotFoundError(day, latest.day if latest else None)
        return found

    def _cached(self, kind: str, stamp: ReportStamp, extra: str, render: Callable[[StoredReport], T]) -> T:
        key = (kind, stamp.day, stamp.generated_at, extra)
        with self._lock:
            if (hit := self._hit(key)) is not None:
                return hit  # type: ignore[return-value]
            rendering = self._rendering.setdefault(key, threading.Lock())
        # One rendering per key at a time: concurrent readers of the same page or e-mail wait for it and reuse it
        # (twenty concurrent sends exported the charts twenty times).
        with rendering:
            with self._lock:
                if (hit := self._hit(key)) is not None:
                    return hit  # type: ignore[return-value]
            try:
                return self._render(kind, stamp, extra, render)
            finally:
                with self._lock:
                    self._rendering.pop(key, None)

    def _hit(self, key: tuple[str, date, datetime, str]) -> object | None:
        """The cached rendering of ``key``, marked recently used (lock held), or None."""
        value = self._cache.get(key)
        if value is not None:
            self._cache.move_to_end(key)
        return value

    def _render(self, kind: str, stamp: ReportStamp, extra: str, render: Callable[[StoredReport], T]) -> T:
        key = (kind, stamp.day, stamp.generated_at, extra)
        stored = self.stored(stamp.day)
        if stored.generated_at != stamp.generated_at:  # rebuilt meanwhile: render what is stored now
            stamp = ReportStamp(stored.day, stored.generated_at, stored.schema_version)
            key = (kind, stamp.day, stamp.generated_at, extra)
        started = time.perf_counter()
        value = render(stored)
        if self._on_render is not None:
            self._on_render(kind, time.perf_counter() - started, _size(value))
        with self._lock:
            self.renders += 1
            for old in [k for k in self._cache if k[0] == kind and k[1] == stamp.day and k != key]:
                del self._cache[old]  # an older build of the same session
            self._cache[key] = value
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value

    def page(self, day: date | None = None) -> RenderedPage:
        """The web page of ``day`` (the latest session when None), rendered once per build of the report."""
        stamp = self._stamp(day)
        return self._cached("page", stamp, "",
                            lambda s: RenderedPage(s.day, s.generated_at, self._renderer.page(s)))

    def cached_page(self, day: date | None = None) -> RenderedPage | None:
        """The page of ``day`` if this build of its report is already rendered, else None (one stamp read, no
        rendering); ``ReportNotFoundError`` if there is no report."""
        stamp = self._stamp(day)
        with self._lock:
            return self._hit(("page", stamp.day, stamp.generated_at, ""))  # type: ignore[return-value]

    def email(self, day: date | None = None, *, report_url: str) -> EmailContent:
        """The e-mail of ``day``'s report (charts exported once per build of the report)."""
        stamp = self._stamp(day)
        return self._cached("email", stamp, report_url, lambda s: self._renderer.email(s, report_url=report_url))

    def slack(self, day: date | None = None, *, report_url: str) -> SlackContent:
        """The Slack summary of ``day``'s report."""
        stamp = self._stamp(day)
        return self._cached("slack", stamp, report_url, lambda s: self._renderer.slack(s, report_url=report_url))

    def listing(self, *, limit: int = 50, offset: int = 0) -> ReportPage:
        """Stored reports, newest session first."""
        with self._uow() as uow:
            return ReportPage(uow.reports.stamps(limit=limit, offset=offset), uow.reports.count(), limit, offset)

    def asset(self, name: str) -> StaticAsset:
        """A static file of the page; ``AssetNotFoundError`` for an unknown name."""
        found = self._assets.asset(name)
        if found is None:
            raise AssetNotFoundError(f"the report page has no static asset {name!r}")
        return found


def _size(rendered: object) -> int:
    """Bytes of what was rendered: the page's HTML, the e-mail's parts, the Slack text and blocks."""
    if isinstance(rendered, RenderedPage):
        return len(rendered.html.encode())
    if isinstance(rendered, EmailContent):
        return (len((rendered.html or "").encode()) + len(rendered.text.encode())
                + sum(len(image.png) for image in rendered.inline_images))
    if isinstance(rendered, SlackContent):
        return len(rendered.text.encode()) + len(repr(rendered.blocks).encode())
    return 0
