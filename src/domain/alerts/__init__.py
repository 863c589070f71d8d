"""Alerting: the ten rules, their evaluation over a metrics snapshot, and the per-key lifecycle with grouping,
cooldown, silences and inhibition."""
