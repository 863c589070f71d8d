"""The model book: Black-Litterman targets, sizing in contracts, trades and the track record."""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

import numpy as np
import pandas as pd

from application.portfolio.factors import FactorHistory
from application.ports import UnitOfWork
from application.signals.panel import PanelBuilder
from domain.book import FACTOR_SOURCES, GENERICS, Position, Sensitivity
from domain.errors import DataGapError
from domain.market.instruments import AssetClass
from domain.portfolio.attribution import attribute_day, strategy_weights_by_date
from domain.portfolio.black_litterman import GenericSignal, black_litterman, views_from_signals
from domain.portfolio.costs import CostSchedule, trade_cost
from domain.portfolio.covariance import covariance_matrix
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
from domain.portfolio.optimiser import PortfolioConstraints, optimise_concentrated
from domain.portfolio.sizing import SizingMarket, size_book
from domain.portfolio.track_record import NavState, book_starts, close_session, initial_state
from domain.portfolio.trades import trade_list
from domain.signals.explain import signal_rationale

_FUTURES_ROLL_DAYS = 5
CDI_SERIES = "BR_CDI_DAILY"  # BCB SGS 12, % a day
_UST_SOURCE = FACTOR_SOURCES["UST:3652"]


@dataclass(frozen=True, slots=True)
class BookResult:
    """What a portfolio step wrote over a range."""

    rows: int
    sessions: int
    latest: date | None
    nav: float | None = None
    trades: int = 0


@dataclass(frozen=True, slots=True)
class BookSettings:
    """Parameters of the model book."""

    initial_nav: float = 100_000_000.0
    covariance_window: int = 504      # sessions of factor history for the covariance
    covariance_halflife: float = 126  # sessions; exponential weights
    # The book starts once a year of factor history exists, plus a month: the Monte Carlo VaR refits on the
    # first session of each month and needs a year of history there too.
    min_observations: int = 273
    # The optimiser targets 95% of the risk limits it can enforce (gross leverage 3x, single position 25% of
    # NAV, asset class 50% of the gross), so contract rounding and the day's P&L do not tip a fresh book over.
    constraints: PortfolioConstraints = field(
        default_factory=lambda: PortfolioConstraints(gross_leverage=2.85, asset_class_share=0.5, max_weight=0.2375))
    max_class_share: float = 0.475


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
        posterior, and the optimiser under the leverage and asset-class limits.
        """
        s = self._settings
        panel = self._panels.build(end)
        changes = self._factors.changes(self._history_start, end)
        with self._uow() as uow:
            aggregated = uow.signals.aggregated(start, end)
        aggregated["date"] = pd.to_datetime(aggregated["date"])
        by_day = dict(tuple(aggregated.groupby("date"))) if not aggregated.empty else {}
        rows: list[dict[str, object]] = []
        days = _sessions(panel.index, start, end)
        for day in days:
            scales = self._scales(_row(panel, day))
            history = changes.loc[:day].tail(s.covariance_window)
            returns = generic_returns(history, scales).dropna(axis=1, how="all")
            names = list(returns.columns)
            if len(returns.dropna()) < s.min_observations or not names:
                if day.date() == end:
                    raise DataGapError(f"portfolio_optimization: fewer than {s.min_observations} sessions of factor "
                                       f"history before {end}")
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
            book = optimise_concentrated(posterior.posterior_mean, posterior.posterior_covariance, names=names,
                                         constraints=s.constraints, asset_classes=classes,
                                         max_class_share=s.max_class_share)
            for i, generic in enumerate(names):
                signal, confidence = signals.get(generic, (None, None))
                rows.append({"date": day.date(), "generic": generic, "asset_class": str(classes[generic]),
                             "weight": float(book.weights[i]), "expected_return": float(posterior.posterior_mean[i]),
                             "volatility": float(vols[i]), "signal": signal, "confidence": confidence})
        frame = pd.DataFrame(rows)
        with self._uow() as uow:
            counts = uow.book.replace("portfolio_weights", start, end, frame)
            uow.commit()
        return BookResult(counts.written, len(days), max(frame["date"]) if not frame.empty else None)

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
            sized = size_book(dict(zip(target["generic"], target["weight"].astype(float), strict=True)), market,
                              {g: scales[g] for g in target["generic"]},
                              nav=state.nav + math.fsum(m.total for m in marks.values()),
                              # The nearest listed maturity per tenor: January-only choices collide (1Y and 2Y
                              # both on the next January) and one instrument cannot serve two generics.
                              prefer_january=False)
            new_held = self._held(sized.positions, sized.sensitivities, scales)
            traded = {p.generic for p in sized.positions} | {h.position.generic for h in held.values()}
            rationale = {}
            for g in sorted(traded):
                signal, confidence = signal_of.get((d, g), (None, None))
                rationale[g] = signal_rationale(g, signal, confidence, drivers.get((d, g), []))
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
