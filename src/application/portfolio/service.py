"""The model book: Black-Litterman targets, sizing in contracts, trades and the track record."""

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

import numpy as np
import pandas as pd

from application.numerical_warnings import collect_warnings
from application.portfolio.factors import FactorHistory
from application.ports import OptimiserFallback, UnitOfWork
from application.signals.panel import PanelBuilder
from domain.book import FACTOR_SOURCES, GENERICS, Position, Sensitivity
from domain.errors import DataGapError
from domain.market.instruments import AssetClass
from domain.portfolio.attribution import attribute_day, strategy_weights_by_date
from domain.portfolio.black_litterman import GenericSignal, black_litterman, views_from_signals
from domain.portfolio.costs import CostSchedule, trade_cost
from domain.portfolio.covariance import covariance_matrix
from domain.portfolio.errors import OptimisationFailedError
from domain.portfolio.exposure import GENERIC_RATE_COLUMNS, generic_returns, return_scales
from domain.portfolio.market import front_contract, implied_vna
from domain.portfolio.marking import (
    UST10,
    HeldPosition,
    PositionPnl,
    SessionMarket,
    Settlement,
    accrual_days,
    cdi_factor,
    change_since,
    mark_book,
    pnl_components,
)
from domain.portfolio.optimiser import (
    PortfolioConstraints,
    RiskBudget,
    constraints_from_limits,
    optimise,
    risk_aversion_for,
    turnover_penalties,
)
from domain.portfolio.sizing import SizingMarket, apply_min_trade, size_book
from domain.portfolio.track_record import NavState, book_starts, close_session, initial_state
from domain.portfolio.trades import trade_list
from domain.risk.limits import RiskLimits, breaker_rationale, circuit_breaker
from domain.signals.explain import signal_rationale

_FUTURES_ROLL_DAYS = 5
CDI_SERIES = "BR_CDI_DAILY"  # BCB SGS 12, % a day
_UST_SOURCE = FACTOR_SOURCES["UST:3652"]
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
    optimiser_max_iterations: int = 1000  # SLSQP's cap; a session that reaches it without a KKT point falls back

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


def _settlements(prices: pd.DataFrame | None) -> dict[str, Settlement]:
    if prices is None or prices.empty:
        return {}
    return {str(i): Settlement(float(p), float(r) if r is not None and np.isfinite(r) else None)
            for i, p, r in zip(prices["instrument"], prices["price"], prices["rate"], strict=True)}


def _needs_cdi(held: "dict[str, PortfolioService._Held]") -> bool:
    return any(i.startswith(("DI1", "NTNB_")) for i in held)


def _cdi_factor(cdi_by_day: dict[date, float], previous_day: date, day: date) -> float:
    """CDI accrual from the previous session (included) to ``day`` (excluded), over ANBIMA business days."""
    days = accrual_days(previous_day, day)
    missing = [d for d in days if d not in cdi_by_day]
    if missing:
        raise DataGapError(f"portfolio_sizing: no CDI ({CDI_SERIES}) for {missing[0]}, needed to mark {day}")
    return cdi_factor(cdi_by_day[d] for d in days)


class PortfolioService:
    """Targets from signals (Black-Litterman + constrained optimiser), then the book in whole contracts."""

    def __init__(self, uow: Callable[[], UnitOfWork], panels: PanelBuilder, factors: FactorHistory, *,
                 history_start: date, settings: BookSettings | None = None,
                 costs: CostSchedule | None = None) -> None:
        self._uow = uow
        self._costs = costs or CostSchedule()
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
        fallbacks: list[OptimiserFallback] = []
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
                        risk_budget=RiskBudget(splits_of_day.get(day.date(), {}), s.risk_budget_var),
                        max_iterations=s.optimiser_max_iterations)
                    weights = np.asarray(book.weights)
                except OptimisationFailedError as exc:
                    failure = exc.for_session(day.date())
                    if not previous:
                        raise failure from exc
                    fallbacks.append(OptimiserFallback(day.date(), failure.reason))
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
            uow.book.replace_fallbacks(start, end, fallbacks)
            uow.commit()
        return BookResult(counts.written, len(days), max(frame["date"]) if not frame.empty else None,
                          warnings=caught.summary(),
                          fallbacks=tuple(f"{f.day}: {f.reason}; previous book kept" for f in fallbacks))

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
        """Positions, NAV, P&L, costs, trades and attribution for every session in [start, end], in order.

        Starts from the book and NAV stored for the session before ``start`` (or a flat book at the
        initial NAV; the start-of-book rule is :func:`~domain.portfolio.track_record.book_starts`). Each
        session: the previous close's positions are marked to market from their settlements
        (:func:`~domain.portfolio.marking.mark_book`), the target weights are sized into whole contracts at
        the NAV after that P&L, the difference with the previous book becomes the trade list, its costs are
        charged, and :func:`~domain.portfolio.track_record.close_session` gives the track-record row.
        """
        panel = self._panels.build(end)
        changes = self._factors.changes(self._history_start, end)
        with self._uow() as uow:
            before = uow.book.last_date_before("book_nav", start)
            # Everything the first session needs from the previous one (its settlements, strategy weights and
            # CDI) is read from that session on: a range starting anywhere gives the same rows.
            first = before or start
            weights = uow.book.read("portfolio_weights", start, end)
            prices = uow.prices.between(first, end)
            strategies = uow.signals.strategies(first, end)
            aggregated = uow.signals.aggregated(start, end)
            prev_positions = uow.book.read("positions", before, before) if before else pd.DataFrame()
            prev_nav = uow.book.read("book_nav", before, before) if before else pd.DataFrame()
            cdi = uow.observations.as_of([CDI_SERIES], first, end, as_of=end)
            ust = uow.returns.between(first, end, instruments=[_UST_SOURCE.return_instrument])
        state = (NavState(float(prev_nav["nav"].iloc[0]), float(prev_nav["peak_nav"].iloc[0])) if not prev_nav.empty
                 else initial_state(self._settings.initial_nav))
        held = self._positions_from_rows(prev_positions)
        weights_by_day = {d: g for d, g in weights.groupby("date")} if not weights.empty else {}
        prices_by_day = {d: g for d, g in prices.groupby("trade_date")} if not prices.empty else {}
        cdi_by_day = (dict(zip(cdi["observation_date"], cdi["value"].astype(float), strict=True))
                      if not cdi.empty else {})
        ust_moves = ({d: float(v) * _UST_SOURCE.scale for d, v in zip(ust["trade_date"], ust[_UST_SOURCE.field],
                                                                         strict=True) if np.isfinite(v)}
                     if not ust.empty else {})
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
        prev_weights: dict[str, dict[str, float]] = weights_of_day.get(before, {}) if before else {}
        prev_day = before
        prev_settlements = _settlements(prices_by_day.get(before)) if before else {}
        days = _sessions(panel.index, start, end)
        started = not prev_nav.empty
        for day in days:
            d = day.date()
            started = book_starts(started=started, has_targets=d in weights_by_day, day=d)
            if not started:
                continue
            settlements = _settlements(prices_by_day.get(d))
            marks: dict[str, PositionPnl] = {}
            if held:
                assert prev_day is not None  # a held book always has a previous session
                market_today = SessionMarket(
                    previous_day=prev_day, day=d, previous=prev_settlements, today=settlements,
                    cdi_factor=_cdi_factor(cdi_by_day, prev_day, d) if _needs_cdi(held) else 1.0,
                    factor_changes={str(k): float(v) for k, v in _row(changes, day).items()},
                    ust_yield_change_bp=change_since(ust_moves, prev_day, d) if UST10 in held else None)
                # In instrument order: a book read back from storage and one carried in memory must add up
                # their P&L in the same order, bit for bit.
                marks = mark_book([HeldPosition(i, h.position.contracts, h.factor, h.sensitivity)
                                   for i, h in sorted(held.items())], market_today)
            target = weights_by_day[d]
            scales = self._scales(_row(panel, day))
            market = self._market(day, prices_by_day.get(d, pd.DataFrame(columns=["instrument", "price", "rate"])),
                                  _row(panel, day))
            nav = state.nav + math.fsum(m.total for m in marks.values())
            peak = max(state.peak, nav)
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
            costs: dict[str, float] = {}
            traded_notional = 0.0
            for t in trades:
                unit = new_held.get(t.instrument) or held[t.instrument]
                per_contract_sens = unit.sensitivity / unit.position.contracts
                costs[t.instrument] = trade_cost(t.instrument, t.contracts, bp_value=per_contract_sens,
                                                 usdbrl=market.usdbrl, schedule=self._costs)
                traded_notional += t.contracts * abs(unit.notional / unit.position.contracts)
            gross = math.fsum(abs(h.notional) for h in new_held.values())
            row = close_session(state, market_pnl=math.fsum(m.total for m in marks.values()),
                                costs=math.fsum(costs.values()), gross_notional=gross,
                                traded_notional=traded_notional)
            everyone = {**held, **new_held}
            out["pnl_attribution"] += [{"date": d, "dimension": dim, "bucket": bucket, "pnl": value}
                                       for dim, bucket, value in attribute_day(
                                           {i: m.total for i, m in marks.items()},
                                           {i: str(h.position.asset_class) for i, h in everyone.items()},
                                           {i: h.position.generic for i, h in everyone.items()}, prev_weights,
                                           costs=costs, cost_weights=weights_of_day.get(d, {}),
                                           components=pnl_components(marks.values()))]
            out["book_nav"].append({"date": d, "nav": row.nav, "pnl": row.pnl, "daily_return": row.daily_return,
                                    "peak_nav": row.peak_nav, "drawdown": row.drawdown,
                                    "gross_notional": row.gross_notional, "gross_leverage": row.gross_leverage,
                                    "costs": row.costs, "traded_notional": row.traded_notional})
            out["positions"] += [{"date": d, "instrument": h.position.instrument, "generic": h.position.generic,
                                  "asset_class": str(h.position.asset_class), "contracts": h.position.contracts,
                                  "notional_brl": h.notional, "factor": h.factor, "sensitivity_brl": h.sensitivity}
                                 for h in new_held.values()]
            out["trades"] += [{"date": d, "instrument": t.instrument, "generic": t.generic,
                               "asset_class": str(t.asset_class), "direction": str(t.direction),
                               "contracts": t.contracts, "from_contracts": t.from_contracts,
                               "to_contracts": t.to_contracts, "sentence": t.sentence, "note": t.note,
                               "rationale": t.rationale} for t in trades]
            held, state, prev_day, prev_settlements = new_held, row.state, d, settlements
            prev_weights = weights_of_day.get(d, {})
        written = 0
        with self._uow() as uow:
            for table, rows in out.items():
                written += uow.book.replace(table, start, end, pd.DataFrame(rows)).written
            uow.commit()
        return BookResult(written, len(days), days[-1].date() if days else None, state.nav, len(out["trades"]))

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
