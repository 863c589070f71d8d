"""Daily report assembly: the service that builds and stores each session's report."""

from application.reporting.delivery import ReportDelivery, ReportDeliveryService, report_message_key
from application.reporting.service import ReportResult, ReportService

__all__ = ["ReportDelivery", "ReportDeliveryService", "ReportResult", "ReportService", "report_message_key"]
