"""Daily report assembly: the service that builds and stores each session's report."""

from application.reporting.service import ReportResult, ReportService

__all__ = ["ReportResult", "ReportService"]
