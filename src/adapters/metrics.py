"""Prometheus metrics exposed at /metrics (prometheus-client), on a registry of their own."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST


class PrometheusMetrics:
    """The process's metrics; one instance per app so tests do not share global state."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.http_requests = Counter("macrodesk_http_requests_total", "HTTP requests served",
                                     ["method", "route", "status"], registry=self.registry)
        self.http_latency = Histogram("macrodesk_http_request_seconds", "HTTP request latency",
                                      ["method", "route"], registry=self.registry)
        self.database_up = Gauge("macrodesk_database_up", "1 when the last health check reached the database",
                                 registry=self.registry)

    def render(self) -> bytes:
        """The exposition text."""
        return generate_latest(self.registry)
