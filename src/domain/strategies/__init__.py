"""Trading strategies: agent views and panel data turned into signals on the book's generics.

Entry point: :func:`run_strategies` (domain.strategies.pipeline).
"""

from domain.strategies.base import STRATEGY_COLUMNS, StrategyResult, StrategySpec
from domain.strategies.pipeline import STRATEGIES, run_strategies, strategy_results

__all__ = ["STRATEGIES", "STRATEGY_COLUMNS", "StrategyResult", "StrategySpec", "run_strategies", "strategy_results"]
