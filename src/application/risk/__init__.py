"""Risk application service: VaR, component VaR and backtest, stress tests and limits of the model book."""

from application.risk.service import LimitRun, RiskService, StressRun, VarRun

__all__ = ["LimitRun", "RiskService", "StressRun", "VarRun"]
