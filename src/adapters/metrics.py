"""Prometheus metrics exposed at /metrics (prometheus-client), on a registry of their own."""

from collections.abc import Sequence

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector


class PrometheusMetrics:
    """The process's metrics; one instance per app so tests do not share global state.

    In-process instruments cover what happens inside the API process (HTTP requests, report rendering);
    ``collectors`` add families computed at scrape time, such as the pipeline metrics read from the
    database (adapters.database_metrics), which other processes produce.
    """

    content_type = CONTENT_TYPE_LATEST

    def __init__(self, collectors: Sequence[Collector] = ()) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.http_requests = Counter("macrodesk_http_requests_total", "HTTP requests served",
                                     ["method", "route", "status"], registry=self.registry)
        self.http_latency = Histogram("macrodesk_http_request_seconds", "HTTP request latency",
                                      ["method", "route"], registry=self.registry)
        self.database_up = Gauge("macrodesk_database_up", "1 when the last health check reached the database",
                                 registry=self.registry)
        self.report_render = Histogram("macrodesk_report_render_seconds", "Seconds to render a report, by format",
                                       ["format"], registry=self.registry,
                                       buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
        self.report_bytes = Gauge("macrodesk_report_rendered_bytes", "Size of the last rendered report, by format",
                                  ["format"], registry=self.registry)
        for collector in collectors:
            self.registry.register(collector)

    def observe_report_render(self, fmt: str, seconds: float, size_bytes: int) -> None:
        """Record one report rendering (HTML page, e-mail, Slack summary) done in this process."""
        self.report_render.labels(fmt).observe(seconds)
        self.report_bytes.labels(fmt).set(size_bytes)

    def render(self) -> bytes:
        """The exposition text."""
        return generate_latest(self.registry)
