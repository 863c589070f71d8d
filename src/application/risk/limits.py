"""The nine risk limits and the drawdown circuit breaker on one date, as ``limit_status`` rows.

The VaR limits use the 1-DAY HISTORICAL VaR: it is the P&L of the book on moves that actually
happened, which anyone can re-derive from the factor history, with no distributional assumption and
no fitted model whose risk would become limit risk (parametric and Monte Carlo stay in risk_metrics for
comparison). Risk-budget share is the largest strategy 99% component VaR stored by ``compute_var`` as a share of
the VaR99 limit (the ``unattributed`` bucket, risk of generics no strategy signals, counts as one); the
daily-loss limits read that day's ``pnl_attribution``. ``subject`` names the binding position / asset
class / strategy; ``book`` for the book-wide limits and empty when nothing binds (no loss that day, flat
book). ``circuit_breaker`` is the most severe drawdown breaker triggered, or ``none``, repeated on each
row of the date.
"""

from collections.abc import Mapping
from typing import Any

import pandas as pd

from application.risk.book import BookDay
from domain.risk.component import aggregate_components
from domain.risk.limits import LimitInputs, LimitName, RiskLimits, circuit_breaker, evaluate_limits

BOOK_WIDE = frozenset({LimitName.VAR95, LimitName.VAR99, LimitName.DRAWDOWN, LimitName.GROSS_LEVERAGE})
NO_BREAKER = "none"


def limit_rows(book: BookDay, *, drawdown: float, var95: float, var99: float, strategy_var: Mapping[str, float],
               pnl_by_strategy: Mapping[str, float], pnl_by_asset_class: Mapping[str, float],
               limits: RiskLimits) -> list[dict[str, Any]]:
    """Rows of one date; ``drawdown`` is a positive fraction of the peak, VaRs positive BRL losses."""
    gross = book.gross_notional
    totals = aggregate_components(pd.Series(gross, dtype=float), book.asset_classes) if gross else pd.Series()
    by_class = {str(c): float(v) for c, v in totals.items()}
    inputs = LimitInputs(nav=book.nav, var95=var95, var99=var99, drawdown=drawdown,
                         gross_notional_by_position=gross, gross_notional_by_asset_class=by_class,
                         var_contribution_by_strategy=strategy_var, daily_pnl_by_strategy=pnl_by_strategy,
                         daily_pnl_by_asset_class=pnl_by_asset_class)
    breaker = circuit_breaker(drawdown, limits)
    state = str(breaker.action) if breaker is not None else NO_BREAKER
    return [{"date": book.day, "limit_name": str(s.limit), "value": s.value, "threshold": s.threshold,
             "utilisation": s.utilisation, "breached": s.breached,
             "subject": s.subject if s.subject is not None else ("book" if s.limit in BOOK_WIDE else ""),
             "circuit_breaker": state}
            for s in evaluate_limits(inputs, limits)]
