"""Silver transforms: curves, returns and macro features over a date range, in one pass each."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from application.ports import UnitOfWork
from domain.curves.breakeven import breakeven_points
from domain.curves.di_pre import DI_PRE_CURVE_ID, build_di_curves, di_curve_points
from domain.curves.real import NTNB_REAL_CURVE_ID, build_real_curves, real_curve_points
from domain.curves.tenors import STANDARD_ACT_TENORS, STANDARD_BUS_TENORS
from domain.curves.ust import UST_NOMINAL_STD, UST_REAL_STD, ust_standard_points
from domain.errors import DataGapError
from domain.macro.features import feature_rules
from domain.market.bronze import CurvePoint
from domain.market.calendar import b3_sessions
from domain.market.series import CURVE_UST_NOMINAL, CURVE_UST_REAL, SERIES, Frequency
from domain.returns import curve_tenor_changes, front_contract_returns, instrument_returns, series_log_returns

BR_BREAKEVEN = "BR_BREAKEVEN"
DERIVED_CURVES = (DI_PRE_CURVE_ID, NTNB_REAL_CURVE_ID, BR_BREAKEVEN, UST_NOMINAL_STD, UST_REAL_STD)
FRONT_ROOTS = ("DOL", "WDO", "IND", "WIN")
PRICE_SERIES = ("BR_PTAX_SELL", "MKT_USDBRL", "MKT_DXY", "MKT_IBOVESPA", "MKT_SP500", "MKT_VIX", "MKT_WTI",
                "MKT_GOLD", "MKT_EWZ")
MACRO_SERIES = tuple(s.series_id for s in SERIES.values() if s.frequency is not Frequency.DAILY)
# Enough history before a range for the previous session's price (returns).
_RETURN_LOOKBACK = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class SilverResult:
    """What one Silver transform wrote over a range."""

    rows: int
    sessions: int
    latest: date | None
    gaps: list[date] = field(default_factory=list)


def _curve_tenors(curve_id: str) -> tuple[int, ...]:
    return STANDARD_ACT_TENORS if curve_id.startswith("UST") else STANDARD_BUS_TENORS


class SilverTransforms:
    """Builds the Silver layer from Bronze, range by range, through the unit of work."""

    def __init__(self, uow: Callable[[], UnitOfWork], *, history_start: date) -> None:
        self._uow = uow
        self._history_start = history_start

    def build_curves(self, start: date, end: date) -> SilverResult:
        """DI pre, NTN-B real and breakeven curves (BUS/252) and standard UST curves (ACT/365) for [start, end].

        Sessions without DI1 settlements are reported as gaps; a gap on ``end`` itself raises
        :class:`DataGapError` after the rest of the range is stored, so the day's run fails loudly.
        """
        with self._uow() as uow:
            prices = uow.prices.between(start, end)
            di_curves = build_di_curves(prices[prices["instrument"].str.startswith("DI1")])
            real_curves = build_real_curves(prices[prices["instrument"].str.startswith("NTNB_")])
            points: list[CurvePoint] = []
            for day, curve in di_curves.items():
                points += di_curve_points(curve)
                if day in real_curves:
                    points += breakeven_points(curve, real_curves[day], STANDARD_BUS_TENORS)
            for real in real_curves.values():
                points += real_curve_points(real)
            published = uow.curves.between([CURVE_UST_NOMINAL, CURVE_UST_REAL], start, end)
            if not published.empty:
                points += ust_standard_points(published)
            counts = uow.curves.replace(DERIVED_CURVES, start, end, points)
            uow.commit()
        sessions = b3_sessions(start, end)
        gaps = [d for d in sessions if d not in di_curves]
        if end in gaps:
            raise DataGapError(f"silver_curves: no DI1 settlements for {end.isoformat()}; the DI curve cannot be built "
                               f"({len(gaps)} session(s) without data in {start}..{end})")
        return SilverResult(counts.written, len(sessions), max(di_curves) if di_curves else None, gaps)

    def compute_returns(self, start: date, end: date) -> SilverResult:
        """Daily changes dated in [start, end] of listed instruments, continuous fronts, curve tenors and prices."""
        lookback = start - _RETURN_LOOKBACK
        with self._uow() as uow:
            prices = uow.prices.between(lookback, end)
            curves = uow.curves.between(list(DERIVED_CURVES), lookback, end)
            series = uow.observations.as_of(PRICE_SERIES, lookback, end, as_of=end)
            frames = [self._instrument_frame(prices)]
            for root in FRONT_ROOTS:
                front = front_contract_returns(prices, root)
                frames.append(pd.DataFrame({"instrument": front["series"], "trade_date": front["trade_date"],
                                            "kind": "front", "price_return": front["price_return"],
                                            "rate_change_bp": float("nan")}))
            for curve_id in DERIVED_CURVES:
                changes = curve_tenor_changes(curves, curve_id, _curve_tenors(curve_id))
                frames.append(pd.DataFrame({
                    "instrument": changes["curve_id"] + ":" + changes["tenor_days"].astype(str),
                    "trade_date": changes["curve_date"], "kind": "curve", "price_return": float("nan"),
                    "rate_change_bp": changes["change_bp"]}))
            logs = series_log_returns(series[["series_id", "observation_date", "value"]])
            frames.append(pd.DataFrame({"instrument": logs["series_id"], "trade_date": logs["observation_date"],
                                        "kind": "series", "price_return": logs["log_return"],
                                        "rate_change_bp": float("nan")}))
            frame = pd.concat([f for f in frames if not f.empty], ignore_index=True)
            frame = frame[(frame["trade_date"] >= start) & (frame["trade_date"] <= end)]
            frame = frame.dropna(subset=["price_return", "rate_change_bp"], how="all")
            counts = uow.returns.replace(start, end, frame)
            uow.commit()
        latest = max(frame["trade_date"]) if not frame.empty else None
        return SilverResult(counts.written, len(b3_sessions(start, end)), latest)

    @staticmethod
    def _instrument_frame(prices: pd.DataFrame) -> pd.DataFrame:
        listed = instrument_returns(prices)
        return pd.DataFrame({"instrument": listed["instrument"], "trade_date": listed["trade_date"],
                             "kind": "instrument", "price_return": listed["price_return"],
                             "rate_change_bp": listed["rate_change_bp"]})

    def compute_macro(self, start: date, end: date) -> SilverResult:
        """Macro features of the monthly, quarterly and weekly series that became known in [start, end].

        Point in time: a feature of observation m, computed from observations up to m, becomes known
        when the last of them was released. A series with revisions is recomputed at each release date
        from the vintages known then, so a revision never changes what was known before it.
        """
        with self._uow() as uow:
            history = uow.observations.history(MACRO_SERIES, self._history_start, end, as_of=end)
            frames = []
            for series_id, vintages in history.groupby("series_id", sort=True):
                frames.append(self._features(str(series_id), vintages, start, end))
            frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
                columns=["series_id", "feature", "known_from", "observation_date", "value"])
            counts = uow.macro_features.replace(start, end, frame)
            uow.commit()
        latest = max(frame["known_from"]) if not frame.empty else None
        return SilverResult(counts.written, len(b3_sessions(start, end)), latest)

    @staticmethod
    def _features(series_id: str, vintages: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
        rules = feature_rules(series_id)
        out: list[pd.DataFrame] = []
        if (vintages["revision"] > 0).any():
            releases = sorted(d for d in vintages["release_date"].unique() if start <= d <= end)
            for release in releases:
                known = vintages[vintages["release_date"] <= release].sort_values(["observation_date", "release_date"])
                latest = known.drop_duplicates("observation_date", keep="last")
                values = pd.Series(latest["value"].to_numpy(float), index=pd.DatetimeIndex(latest["observation_date"]))
                for rule in rules:
                    feature = rule.transform(values).dropna()
                    if not feature.empty:
                        out.append(pd.DataFrame({"series_id": [series_id], "feature": [rule.name],
                                                 "known_from": [release],
                                                 "observation_date": [feature.index[-1].date()],
                                                 "value": [float(feature.iloc[-1])]}))
        else:
            ordered = vintages.sort_values("observation_date")
            values = pd.Series(ordered["value"].to_numpy(float), index=pd.DatetimeIndex(ordered["observation_date"]))
            # A feature of m uses observations up to m: it is known once all of them were released.
            known_from = pd.Series(ordered["release_date"].to_numpy(), index=values.index).cummax()
            for rule in rules:
                feature = rule.transform(values).dropna()
                frame = pd.DataFrame({"series_id": series_id, "feature": rule.name,
                                      "known_from": known_from.reindex(feature.index).to_numpy(),
                                      "observation_date": [d.date() for d in feature.index],
                                      "value": feature.to_numpy(float)})
                frame = frame.drop_duplicates("known_from", keep="last")
                out.append(frame[(frame["known_from"] >= start) & (frame["known_from"] <= end)])
        if not out:
            return pd.DataFrame(columns=["series_id", "feature", "known_from", "observation_date", "value"])
        return pd.concat(out, ignore_index=True)
