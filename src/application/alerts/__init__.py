"""Alerting use cases."""
