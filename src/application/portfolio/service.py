"""The model book: Black-Litterman targets, sizing in contracts, trades and the track record."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

import numpy as np
import pandas as pd

from application.numerical_warnings import collect_warnings
from application.portfolio.factors import FactorHistory
from application.ports import UnitOfWork
from application.signals.panel import PanelBuilder
from domain.book import GENERICS, Position, Sensitivity
from domain.errors import DataGapError
from domain.market.instruments import AssetClass
from domain.portfolio.attribution import attribute_day, strategy_weights_by_date
from domain.portfolio.black_litterman import GenericSignal, black_litterman, views_from_signals
from domain.portfolio.covariance import covariance_matrix
from domain.portfolio.errors import OptimisationFailedError
from domain.portfolio.exposure import GENERIC_RATE_COLUMNS, generic_returns, return_scales
from domain.portfolio.market import front_contract, implied_vna
from domain.portfolio.optimiser import (
    PortfolioConstraints,
    RiskBudget,
    constraints_from_limits,
    optimise,
    risk_aversion_for,
    turnover_penalties,
)
from domain.portfolio.sizing import SizingMarket, apply_min_trade, size_book
from domain.portfolio.track_record import book_pnl
from domain.portfolio.trades import trade_list
from domain.risk.limits import RiskLimits, breaker_rationale, circuit_breaker
from domain.signals.explain import signal_rationale

_FUTURES_ROLL_DAYS = 5
# An aggregated signal this small is no view: it displays as 0.00 and must not hold a position.
ZERO_VIEW = 0.005
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BookResult:
    """What a portfolio step wrote over a range."""

    rows: int
    sessions: int
    latest: date | None
    nav: float | None = None
    trades: int = 0
    warnings: tuple[str, ...] = ()   # domain warnings of the step, one line per class with its count
    fallbacks: tuple[str, ...] = ()  # sessions whose optimiser failed: "<date>: <reason>; previous book kept"


@dataclass(frozen=True, slots=True)
class BookSettings:
    """Parameters of the model book; its caps derive from the fund's risk limits (one definition)."""

    initial_nav: float = 100_000_000.0
    covariance_window: int = 504      # sessions of factor history for the covariance
    covariance_halflife: float = 126  # sessions; exponential weights
    # The book starts once a year of factor history exists, plus a month: the Monte Carlo VaR refits on the
    # first session of each month and needs a year of history there too.
    min_observations: int = 273
    limits: RiskLimits = field(default_factory=RiskLimits)
    # The optimiser aims at this share of each limit it can enforce (gross leverage, single position, asset-class
    # share, risk-budget share), so contract rounding and the day's P&L do not tip a fresh book over.
    utilisation: float = 0.95
    # Book-level risk target: a full-strength, full-confidence view on one generic runs this annual volatility
    # (risk aversion = IR / target); weaker views proportionally less, a zero view nothing.
    volatility_target: float = 0.06
    # Trading one unit of weight costs this share of a full-conviction view's daily expected return.
    turnover_penalty: float = 0.25

    @classmethod
    def from_limits(cls, limits: RiskLimits, *, initial_nav: float, utilisation: float, volatility_target: float,
                    turnover_penalty: float) -> "BookSettings":
        """Settings of the book under the fund's limits."""
        return cls(initial_nav=initial_nav, limits=limits, utilisation=utilisation,
                   volatility_target=volatility_target, turnover_penalty=turnover_penalty)

    @property
    def constraints(self) -> PortfolioConstraints:
        """The optimiser's caps: ``utilisation`` times the limits."""
        return constraints_from_limits(self.limits, utilisation=self.utilisation)

    @property
    def risk_budget_var(self) -> float:
        """Cap on a strategy's component 99% VaR, fraction of NAV: its share of the VaR99 limit, at utilisation."""
        return self.utilisation * self.limits.risk_budget_share * self.limits.var99_nav

    @property
    def risk_aversion(self) -> float:
        """:func:`domain.portfolio.optimiser.risk_aversion_for` the volatility target."""
        return risk_aversion_for(self.volatility_target)


def _sessions(index: "pd.Index[Any]", start: date, end: date) -> list[pd.Timestamp]:
    return [d for d in pd.DatetimeIndex(index) if start <= d.date() <= end]


def _row(panel: pd.DataFrame, day: pd.Timestamp) -> "pd.Series[Any]":
    return cast("pd.Series[Any]", panel.loc[day])


class PortfolioService:
    """Targets from signals (Black-Litterman + constrained optimiser), then the book in whole contracts."""

    def __init__(self, uow: Callable[[], UnitOfWork], panels: PanelBuilder, factors: FactorHistory, *,
                 history_start: date, settings: BookSettings | None = None) -> None:
        self._uow = uow
        self._panels = panels
        self._factors = factors
        self._history_start = history_start
        self._settings = settings or BookSettings()

    # --- targets ----------------------------------------------------------------------------------

    def _scales(self, row: "pd.Series[Any]") -> dict[str, float]:
        """Return scales of the generics whose yield (if any) is known on the row's date."""
        rates = {g: float(row[col]) for g, col in GENERIC_RATE_COLUMNS.items() if np.isfinite(row[col])}
        usable = [g for g in GENERICS if g not in GENERIC_RATE_COLUMNS or g in rates]
        return return_scales(rates, usable)

    def optimise_targets(self, start: date, end: date) -> BookResult:
        """Target weights per generic for every session in [start, end].

        Each session: the covariance of generic returns over the trailing window (factor changes up
        to and including the session), views from the aggregated signals, the Black-Litterman
        posterior, and the optimiser under the limits (gross leverage, single position, asset-class
        share, strategy risk budget) with the turnover penalty against the previous session's targets.
        Generics without a view (|signal| below ``ZERO_VIEW``) are held at zero, and cash NTN-B only long.
        When the optimiser fails on a session, the previous session's targets are kept and the session is
        listed in ``fallbacks`` (and logged); with no previous targets the failure is raised, naming the session.
        """
        s = self._settings
        panel = self._panels.build(end)
        changes = self._factors.changes(self._history_start, end)
        with self._uow() as uow:
            aggregated = uow.signals.aggregated(start, end)
            strategies = uow.signals.strategies(start, end)
            before = uow.book.last_date_before("portfolio_weights", start)
            stored = uow.book.read("portfolio_weights", before, before) if before else pd.DataFrame()
        previous = ({str(g): float(w) for g, w in zip(stored["generic"], stored["weight"], strict=True)}
                    if not stored.empty else {})
        splits_of_day = strategy_weights_by_date(strategies)
        aggregated["date"] = pd.to_datetime(aggregated["date"])
        by_day = dict(tuple(aggregated.groupby("date"))) if not aggregated.empty else {}
        rows: list[dict[str, object]] = []
        fallbacks: list[str] = []
        days = _sessions(panel.index, start, end)
        with collect_warnings("portfolio_optimization") as caught:
            for day in days:
                scales = self._scales(_row(panel, day))
                history = changes.loc[:day].tail(s.covariance_window)
                returns = generic_returns(history, scales).dropna(axis=1, how="all")
                names = list(returns.columns)
                if len(returns.dropna()) < s.min_observations or not names:
                    if day.date() == end:
                        raise DataGapError(f"portfolio_optimization: fewer than {s.min_observations} sessions of "
                                           f"factor history before {end}")
                    continue
                cov = covariance_matrix(returns, halflife=s.covariance_halflife, min_observations=s.min_observations)
                vols = np.sqrt(np.diag(cov))
                today = by_day.get(day, pd.DataFrame(columns=["generic", "signal", "confidence"]))
                signals = {str(g): (float(v), float(c)) for g, v, c in zip(
                    today["generic"].tolist(), today["signal"].tolist(), today["confidence"].tolist(), strict=True)
                    if g in names}
                views = views_from_signals([GenericSignal(g, float(np.clip(v, -1, 1)), float(np.clip(c, 0, 1)))
                                            for g, (v, c) in signals.items()], names, vols)
                posterior = black_litterman(cov, views, names=names)
                classes = {g: GENERICS[g].asset_class for g in names}
                w0 = np.array([previous.get(g, 0.0) for g in names])
                try:
                    book = optimise(
                        posterior.posterior_mean, posterior.posterior_covariance, names=names,
                        risk_aversion=s.risk_aversion, constraints=self._constraints(names, signals),
                        asset_classes=classes, previous_weights=w0,
                        turnover_penalty=turnover_penalties(vols, s.turnover_penalty),
                        risk_budget=RiskBudget(splits_of_day.get(day.date(), {}), s.risk_budget_var))
                    weights = np.asarray(book.weights)
                except OptimisationFailedError as exc:
                    failure = exc.for_session(day.date())
                    if not previous:
                        raise failure from exc
                    fallbacks.append(f"{day.date()}: {failure.reason}; previous book kept")
                    log.warning("portfolio_optimization: %s; the previous session's targets are kept", failure)
                    weights = w0
                previous = {g: float(w) for g, w in zip(names, weights, strict=True)}
                for i, generic in enumerate(names):
                    signal, confidence = signals.get(generic, (None, None))
                    rows.append({"date": day.date(), "generic": generic, "asset_class": str(classes[generic]),
                                 "weight": float(weights[i]), "expected_return": float(posterior.posterior_mean[i]),
                                 "volatility": float(vols[i]), "signal": signal, "confidence": confidence})
        frame = pd.DataFrame(rows)
        with self._uow() as uow:
            counts = uow.book.replace("portfolio_weights", start, end, frame)
            uow.commit()
        return BookResult(counts.written, len(days), max(frame["date"]) if not frame.empty else None,
                          warnings=caught.summary(), fallbacks=tuple(fallbacks))

    def _constraints(self, names: list[str], signals: dict[str, tuple[float, float]]) -> PortfolioConstraints:
        """The session's caps: no position without a view, and cash NTN-B held long only (no repo short)."""
        base = self._settings.constraints
        bounds = {}
        for g in names:
            lower, upper = base.bounds(g)
            signal, confidence = signals.get(g, (0.0, 0.0))
            if abs(signal) < ZERO_VIEW or confidence <= 0:
                lower, upper = 0.0, 0.0
            if GENERICS[g].root == "NTNB":
                lower = 0.0
            bounds[g] = (lower, upper)
        return PortfolioConstraints(gross_leverage=base.gross_leverage, asset_class_share=base.asset_class_share,
                                    max_weight=base.max_weight, weight_bounds=bounds)

    # --- the book -----------------------------------------------------------------------------------

    @staticmethod
    def _market(day: pd.Timestamp, prices: pd.DataFrame, row: "pd.Series[Any]") -> SizingMarket:
        di1 = prices[prices["instrument"].str.startswith("DI1") & prices["rate"].notna()]
        ntnb = prices[prices["instrument"].str.startswith("NTNB_") & prices["rate"].notna()]
        vna = None
        if not ntnb.empty:
            first = ntnb.iloc[0]
            vna = implied_vna(float(first["price"]), float(first["rate"]), day.date(), str(first["instrument"]))
        tickers = list(prices["instrument"])
        # Only two DOL and two IND maturities are listed: roll in the last week rather than a month ahead.
        ind = front_contract("IND", tickers, day.date(), min_days=_FUTURES_ROLL_DAYS)
        ind_price = prices.loc[prices["instrument"] == ind, "price"] if ind else pd.Series(dtype=float)
        ust = row.get("us_ust_10y")
        usdbrl = row.get("usdbrl")
        return SizingMarket(
            as_of=day.date(), di1_rates=dict(zip(di1["instrument"], di1["rate"].astype(float), strict=True)),
            ntnb_yields=dict(zip(ntnb["instrument"], ntnb["rate"].astype(float), strict=True)), ntnb_vna=vna,
            usdbrl=float(usdbrl) if usdbrl is not None and np.isfinite(usdbrl) else None,
            fx_contract=front_contract("DOL", tickers, day.date(), min_days=_FUTURES_ROLL_DAYS),
            ibovespa=float(ind_price.iloc[0]) if not ind_price.empty else None,
            equity_contract=ind, ust10_yield=float(ust) if ust is not None and np.isfinite(ust) else None)

    def size_book(self, start: date, end: date) -> BookResult:
        """Positions, NAV, P&L, trades and attribution for every session in [start, end], in order.

        Starts from the book and NAV stored for the session before ``start`` (or a flat book at the
        initial NAV; the book starts on the first session that has target weights, and a later session
        without them is a data gap). Each session: the previous close's positions earn the session's factor changes
        (P&L, NAV, drawdown), then the target weights are sized into whole contracts at the new NAV,
        and the difference with the previous book becomes the trade list.
        """
        panel = self._panels.build(end)
        changes = self._factors.changes(self._history_start, end)
        with self._uow() as uow:
            weights = uow.book.read("portfolio_weights", start, end)
            prices = uow.prices.between(start, end)
            strategies = uow.signals.strategies(start, end)
            aggregated = uow.signals.aggregated(start, end)
            before = uow.book.last_date_before("book_nav", start)
            prev_positions = uow.book.read("positions", before, before) if before else pd.DataFrame()
            prev_nav = uow.book.read("book_nav", before, before) if before else pd.DataFrame()
        nav = float(prev_nav["nav"].iloc[0]) if not prev_nav.empty else self._settings.initial_nav
        peak = float(prev_nav["peak_nav"].iloc[0]) if not prev_nav.empty else nav
        held = self._positions_from_rows(prev_positions)
        weights_by_day = {d: g for d, g in weights.groupby("date")} if not weights.empty else {}
        prices_by_day = {d: g for d, g in prices.groupby("trade_date")} if not prices.empty else {}
        drivers: dict[tuple[date, str], list[tuple[str, float, float]]] = {}
        for day_, generic_, sid, sig, conf in zip(strategies["date"], strategies["generic"], strategies["strategy_id"],
                                                   strategies["signal"], strategies["confidence"], strict=True):
            drivers.setdefault((day_, generic_), []).append((str(sid), float(sig), float(conf)))
        weights_of_day = strategy_weights_by_date(strategies)
        signal_of: dict[tuple[date, str], tuple[float | None, float | None]] = {
            (d_, g_): (float(s_), float(c_)) for d_, g_, s_, c_ in zip(
            aggregated["date"], aggregated["generic"], aggregated["signal"], aggregated["confidence"], strict=True)}
        out: dict[str, list[dict[str, object]]] = {k: [] for k in ("positions", "book_nav", "trades",
                                                                  "pnl_attribution")}
        prev_weights: dict[str, dict[str, float]] = {}
        days = _sessions(panel.index, start, end)
        started = not prev_nav.empty
        for day in days:
            d = day.date()
            if not started and d not in weights_by_day:
                continue  # the book starts on the first session with targets (enough factor history)
            started = True
            held_sens = {i: (h.factor, h.sensitivity) for i, h in held.items()}
            day_changes = {str(k): float(v) for k, v in _row(changes, day).items()}
            pnl = book_pnl(held_sens, day_changes) if held_sens else {}
            total = float(sum(pnl.values()))
            day_return = total / nav
            nav += total
            peak = max(peak, nav)
            out["pnl_attribution"] += [{"date": d, "dimension": dim, "bucket": bucket, "pnl": value}
                                       for dim, bucket, value in attribute_day(
                                           pnl, {i: str(h.position.asset_class) for i, h in held.items()},
                                           {i: h.position.generic for i, h in held.items()}, prev_weights)]
            target = weights_by_day.get(d)
            if target is None:
                raise DataGapError(f"portfolio_sizing: no target weights for {d} (run portfolio_optimization)")
            scales = self._scales(_row(panel, day))
            market = self._market(day, prices_by_day.get(d, pd.DataFrame(columns=["instrument", "price", "rate"])),
                                  _row(panel, day))
            # A drawdown circuit breaker shapes the book held into the next session: gross cut by its factor.
            breaker = circuit_breaker(max(0.0, 1.0 - nav / peak), self._settings.limits)
            kept = 1.0 - (breaker.gross_reduction if breaker is not None else 0.0)
            sized = size_book({g: w * kept for g, w in zip(target["generic"], target["weight"].astype(float),
                                                            strict=True)}, market,
                              {g: scales[g] for g in target["generic"]}, nav=nav,
                              # The nearest listed maturity per tenor: January-only choices collide (1Y and 2Y
                              # both on the next January) and one instrument cannot serve two generics.
                              prefer_january=False)
            if breaker is None:  # a breaker's cut is executed in full, however small per line
                sized = apply_min_trade(sized, [h.position for h in held.values()], market)
            new_held = self._held(sized.positions, sized.sensitivities, scales)
            traded = {p.generic for p in sized.positions} | {h.position.generic for h in held.values()}
            rationale = {}
            for g in sorted(traded):
                signal, confidence = signal_of.get((d, g), (None, None))
                rationale[g] = breaker_rationale(breaker, 1.0 - nav / peak) + signal_rationale(
                    g, signal, confidence, drivers.get((d, g), []))
            trades = trade_list([h.position for h in held.values()], list(sized.positions), rationale)
            gross = float(sum(abs(h.notional) for h in new_held.values()))
            out["book_nav"].append({"date": d, "nav": nav, "pnl": total, "daily_return": day_return, "peak_nav": peak,
                                    "drawdown": nav / peak - 1.0, "gross_notional": gross,
                                    "gross_leverage": gross / nav})
            out["positions"] += [{"date": d, "instrument": h.position.instrument, "generic": h.position.generic,
                                  "asset_class": str(h.position.asset_class), "contracts": h.position.contracts,
                                  "notional_brl": h.notional, "factor": h.factor, "sensitivity_brl": h.sensitivity}
                                 for h in new_held.values()]
            out["trades"] += [{"date": d, "instrument": t.instrument, "generic": t.generic,
                               "asset_class": str(t.asset_class), "direction": str(t.direction),
                               "contracts": t.contracts, "from_contracts": t.from_contracts,
                               "to_contracts": t.to_contracts, "sentence": t.sentence, "note": t.note,
                               "rationale": t.rationale} for t in trades]
            held = new_held
            prev_weights = weights_of_day.get(d, {})
        written = 0
        with self._uow() as uow:
            for table, rows in out.items():
                written += uow.book.replace(table, start, end, pd.DataFrame(rows)).written
            uow.commit()
        return BookResult(written, len(days), days[-1].date() if days else None, nav, len(out["trades"]))

    # --- helpers ------------------------------------------------------------------------------------

    @dataclass(frozen=True, slots=True)
    class _Held:
        position: Position
        factor: str
        sensitivity: float
        notional: float

    def _held(self, positions: tuple[Position, ...], sensitivities: tuple[Sensitivity, ...],
              scales: dict[str, float]) -> dict[str, "PortfolioService._Held"]:
        by_instrument = {s.instrument: s for s in sensitivities}
        held = {}
        for p in positions:
            sens = by_instrument[p.instrument]
            # The optimiser's weight is notional / NAV with return = scale x factor change, so the
            # notional carrying this sensitivity is sensitivity / scale.
            notional = float(sens.brl_per_unit) / scales[p.generic]
            held[p.instrument] = PortfolioService._Held(p, str(sens.factor), float(sens.brl_per_unit), notional)
        return held

    @staticmethod
    def _positions_from_rows(rows: pd.DataFrame) -> dict[str, "PortfolioService._Held"]:
        held: dict[str, PortfolioService._Held] = {}
        if rows.empty:
            return held
        columns = ["instrument", "generic", "contracts", "asset_class", "factor", "sensitivity_brl", "notional_brl"]
        for instrument, generic, contracts, asset_class, factor, sensitivity, notional in zip(
                *(rows[c].tolist() for c in columns), strict=True):
            position = Position(str(instrument), str(generic), int(contracts), AssetClass(str(asset_class)))
            held[position.instrument] = PortfolioService._Held(position, str(factor), float(sensitivity),
                                                               float(notional))
        return held
