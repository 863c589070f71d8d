"""Message delivery through the persisted delivery log (reports and alerts)."""

from application.delivery.service import DeliveryService, DispatchResult

__all__ = ["DeliveryService", "DispatchResult"]
