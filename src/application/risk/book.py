"""One date's book as the risk engine sees it: exposures, asset classes, strategy splits."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from domain.book import FACTORS, Sensitivity
from domain.market.instruments import AssetClass
from domain.risk.exposure import exposure_matrix


@dataclass(frozen=True, eq=False)
class BookDay:
    """The positions held at the close of ``day`` (empty frame: flat book) and that day's NAV."""

    day: date
    nav: float
    positions: pd.DataFrame  # columns of the ``positions`` table

    @property
    def flat(self) -> bool:
        """No position at the close."""
        return self.positions.empty

    @property
    def factors(self) -> list[str]:
        """Factors the positions load on, in FACTORS order."""
        held = set(self.positions["factor"])
        return [f for f in FACTORS if f in held]

    @property
    def holders(self) -> dict[str, list[str]]:
        """Factor -> instruments loading on it (for error messages)."""
        out: dict[str, list[str]] = {}
        for instrument, factor in zip(self.positions["instrument"], self.positions["factor"], strict=True):
            out.setdefault(str(factor), []).append(str(instrument))
        return out

    def matrix(self, factors: list[str] | None = None) -> pd.DataFrame:
        """Positions x factors, BRL per unit (all FACTORS columns unless ``factors`` is given)."""
        records = [Sensitivity(str(i), str(f), float(s)) for i, f, s in zip(
            self.positions["instrument"], self.positions["factor"], self.positions["sensitivity_brl"], strict=True)]
        return exposure_matrix(records, factors=factors)

    @property
    def asset_classes(self) -> dict[str, AssetClass]:
        """Instrument -> asset class."""
        return {str(i): AssetClass(str(c)) for i, c in zip(self.positions["instrument"],
                                                            self.positions["asset_class"], strict=True)}

    @property
    def gross_notional(self) -> dict[str, float]:
        """Instrument -> absolute notional, BRL."""
        return {str(i): abs(float(n)) for i, n in zip(self.positions["instrument"], self.positions["notional_brl"],
                                                      strict=True)}

    def strategy_split(self, weights: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
        """Instrument -> {strategy: weight} from its generic's weights; instruments without any are left out."""
        return {str(i): dict(weights[str(g)]) for i, g in zip(self.positions["instrument"],
                                                              self.positions["generic"], strict=True)
                if str(g) in weights}


def book_days(nav: pd.DataFrame, positions: pd.DataFrame) -> list[BookDay]:
    """One BookDay per ``book_nav`` row, ascending, with that date's positions (or none)."""
    by_day = {d: rows.reset_index(drop=True) for d, rows in positions.groupby("date", sort=True)}
    empty = positions.iloc[0:0]
    return [BookDay(d, float(v), by_day.get(d, empty)) for d, v in zip(nav["date"], nav["nav"], strict=True)]
