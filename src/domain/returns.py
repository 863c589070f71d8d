"""Silver returns: instrument returns, continuous front-month futures, constant-maturity rate changes.

Every function is vectorised with ``groupby``/``shift`` and pure: frames in, frames out. Dates in
the outputs are ``datetime.date``. A change is always between two consecutive observations of the
same thing (one instrument, one curve tenor, one series), never across instruments.
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from domain.curves.flat_forward import business_day_index
from domain.errors import DomainError
from domain.market.instruments import parse_future

BP_PER_UNIT = 1e4
DEFAULT_ROLL_DAYS = 5
FRONT_ROOTS = ("DOL", "WDO", "IND", "WIN", "DI1")

INSTRUMENT_RETURN_COLUMNS = ["instrument", "trade_date", "price_return", "rate_change_bp"]
FRONT_RETURN_COLUMNS = ["series", "trade_date", "instrument", "price", "price_return", "rate_change_bp"]
TENOR_CHANGE_COLUMNS = ["curve_id", "tenor_days", "curve_date", "rate", "change_bp"]
LOG_RETURN_COLUMNS = ["series_id", "observation_date", "log_return"]


class InvalidReturnInputError(DomainError, ValueError):
    """Input that cannot produce returns: missing columns, duplicate keys, non-positive prices."""


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidReturnInputError(f"{what}: input lacks column(s) {missing}")


_FLOAT_COLUMNS = {"price", "price_return", "rate_change_bp", "rate", "change_bp", "log_return"}


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    def dtype(column: str) -> str:
        return "float64" if column in _FLOAT_COLUMNS else "int64" if column == "tenor_days" else "object"
    return pd.DataFrame({c: pd.Series(dtype=dtype(c)) for c in columns})


def _check_unique(frame: pd.DataFrame, keys: list[str], what: str) -> None:
    dup = frame.duplicated(keys)
    if dup.any():
        row = frame.loc[dup].iloc[0]
        where = ", ".join(f"{k}={row[k]}" for k in keys)
        raise InvalidReturnInputError(f"{what}: {where} appears twice")


def _check_positive(frame: pd.DataFrame, value: str, keys: list[str], what: str) -> None:
    values = frame[value].to_numpy(dtype=np.float64)
    bad = ~(np.isfinite(values) & (values > 0))
    if np.any(bad):
        row = frame.loc[bad].iloc[0]
        where = ", ".join(f"{k}={row[k]}" for k in keys)
        raise InvalidReturnInputError(f"{what}: {value} {row[value]} at {where} is not a positive number")


def _price_changes(prices: pd.DataFrame) -> pd.DataFrame:
    """Sorted copy of ``prices`` with price_return and rate_change_bp against the instrument's last row."""
    frame = prices[["instrument", "trade_date", "price", "rate"]].copy()
    frame["trade_date"] = pd.to_datetime(frame["trade_date"])
    frame["price"] = pd.to_numeric(frame["price"], errors="coerce")
    frame["rate"] = pd.to_numeric(frame["rate"], errors="coerce")
    _check_unique(frame, ["instrument", "trade_date"], "returns")
    _check_positive(frame, "price", ["instrument", "trade_date"], "returns")
    frame = frame.sort_values(["instrument", "trade_date"], kind="stable").reset_index(drop=True)
    previous = frame.groupby("instrument", sort=False)[["price", "rate"]].shift(1)
    frame["price_return"] = frame["price"] / previous["price"] - 1.0
    frame["rate_change_bp"] = (frame["rate"] - previous["rate"]) * BP_PER_UNIT
    frame["has_previous"] = previous["price"].notna()
    return frame


def instrument_returns(prices: pd.DataFrame) -> pd.DataFrame:
    """Returns between consecutive observations of each instrument.

    .. math::

        R_t = \\frac{p_t}{p_{t^-}} - 1, \\qquad \\Delta r_t = 10^4 (r_t - r_{t^-})

    with :math:`t^-` the instrument's previous trade date in the input.

    Parameters
    ----------
    prices : DataFrame
        Columns ``instrument``, ``trade_date``, ``price`` (positive) and ``rate`` (decimal, may be NaN);
        any order.

    Returns
    -------
    DataFrame
        Columns ``instrument``, ``trade_date``, ``price_return``, ``rate_change_bp`` (NaN where either
        rate is missing): one row per observation that has a previous one, sorted by instrument and date.

    Raises
    ------
    InvalidReturnInputError
        When a column is missing, an (instrument, date) appears twice, or a price is not positive.
    """
    _require(prices, ["instrument", "trade_date", "price", "rate"], "instrument returns")
    if prices.empty:
        return _empty(INSTRUMENT_RETURN_COLUMNS)
    frame = _price_changes(prices)
    frame = frame.loc[frame["has_previous"], INSTRUMENT_RETURN_COLUMNS].reset_index(drop=True)
    frame["trade_date"] = frame["trade_date"].dt.date
    return frame


def front_contract_returns(prices: pd.DataFrame, root: str, *,
                           roll_days: int = DEFAULT_ROLL_DAYS) -> pd.DataFrame:
    """Continuous front-month series of a futures root (``DOL1``, ``DI11``...), rolled before expiry.

    On each date :math:`t` the front contract is the nearest maturity with more than ``roll_days``
    business days left,

    .. math:: c_t = \\arg\\min_c \\{T_c : \\mathrm{bd}(t, T_c) > roll\\_days\\}

    and the return on :math:`t` is that contract's own, :math:`p_{c_t,t} / p_{c_t,t^-} - 1`: a roll
    never produces a return between two contracts.

    Parameters
    ----------
    prices : DataFrame
        Columns ``instrument``, ``trade_date``, ``price``, ``rate`` (may be NaN). Instruments of other
        roots, and non-futures, are ignored.
    root : str
        One of DOL, WDO, IND, WIN, DI1.
    roll_days : int
        Business days before maturity at which the series moves to the next contract.

    Returns
    -------
    DataFrame
        Columns ``series`` (root + ``1``), ``trade_date``, ``instrument``, ``price``, ``price_return``,
        ``rate_change_bp``: one row per date with an eligible contract, in date order.
        ``price_return`` is NaN when the front contract has no previous observation.

    Raises
    ------
    InvalidReturnInputError
        When the root is unknown, ``roll_days`` is negative, or the prices are invalid.
    """
    if root not in FRONT_ROOTS:
        raise InvalidReturnInputError(f"front contract: root must be one of {FRONT_ROOTS}, got {root!r}")
    if roll_days < 0:
        raise InvalidReturnInputError(f"front contract: roll_days must be >= 0, got {roll_days}")
    _require(prices, ["instrument", "trade_date", "price", "rate"], f"front contract {root}")
    tickers = prices["instrument"].astype(str).str.strip().str.upper()
    mine = tickers.str.fullmatch(rf"{root}[A-Z]\d{{2}}")
    frame = prices.loc[mine].assign(instrument=tickers[mine])
    if frame.empty:
        return _empty(FRONT_RETURN_COLUMNS)
    frame = _price_changes(frame)
    unique = frame["instrument"].unique().tolist()
    maturity = {t: np.datetime64(parse_future(t).maturity, "D") for t in unique}
    frame["maturity"] = frame["instrument"].map(maturity)
    days_left = (business_day_index(frame["maturity"].to_numpy(dtype="datetime64[D]"))
                 - business_day_index(frame["trade_date"].to_numpy(dtype="datetime64[D]")))
    eligible = frame.loc[days_left > roll_days]
    front = (eligible.sort_values(["trade_date", "maturity"], kind="stable")
             .drop_duplicates("trade_date", keep="first").reset_index(drop=True))
    front["series"] = f"{root}1"
    front["trade_date"] = front["trade_date"].dt.date
    return front[FRONT_RETURN_COLUMNS]


def curve_tenor_changes(points: pd.DataFrame, curve_id: str, tenors: Sequence[int]) -> pd.DataFrame:
    """Constant-maturity daily rate changes of a curve at fixed tenors.

    .. math:: \\Delta r_{t}(\\tau) = 10^4 \\left(r_t(\\tau) - r_{t^-}(\\tau)\\right)

    with :math:`t^-` the curve's previous date in the input (whatever tenors it has); when that date
    lacks the tenor the change is NaN rather than a change over several days.

    Parameters
    ----------
    points : DataFrame
        Columns ``curve_id``, ``curve_date``, ``tenor_days``, ``rate`` (decimal); other curves ignored.
    curve_id : str
        The curve (``DI_PRE``, ``UST_NOMINAL_STD``...).
    tenors : sequence of int
        Tenors in the curve's day count, matched exactly.

    Returns
    -------
    DataFrame
        Columns ``curve_id``, ``tenor_days``, ``curve_date``, ``rate``, ``change_bp``: one row per
        (tenor, date) where the tenor has a rate, sorted by tenor and date; ``change_bp`` NaN on the
        curve's first date.

    Raises
    ------
    InvalidReturnInputError
        When a column is missing or a (date, tenor) of the curve appears twice.
    """
    _require(points, ["curve_id", "curve_date", "tenor_days", "rate"], f"tenor changes {curve_id}")
    frame = points.loc[points["curve_id"] == curve_id, ["curve_date", "tenor_days", "rate"]].copy()
    if frame.empty:
        return _empty(TENOR_CHANGE_COLUMNS)
    frame["curve_date"] = pd.to_datetime(frame["curve_date"])
    frame["tenor_days"] = frame["tenor_days"].astype(np.int64)
    _check_unique(frame, ["curve_date", "tenor_days"], f"tenor changes {curve_id}")
    wanted = sorted({int(t) for t in tenors})
    grid = frame.pivot(index="curve_date", columns="tenor_days", values="rate").sort_index()
    grid = grid.reindex(columns=wanted)
    changes = grid.diff() * BP_PER_UNIT
    out = pd.DataFrame({
        "tenor_days": np.tile(np.asarray(wanted, dtype=np.int64), len(grid)),
        "curve_date": np.repeat(grid.index.to_numpy(), len(wanted)),
        "rate": grid.to_numpy(dtype=np.float64).ravel(),
        "change_bp": changes.to_numpy(dtype=np.float64).ravel(),
    })
    out = out.loc[out["rate"].notna()].sort_values(["tenor_days", "curve_date"], kind="stable")
    out.insert(0, "curve_id", curve_id)
    out["curve_date"] = pd.to_datetime(out["curve_date"]).dt.date
    return out.reset_index(drop=True)[TENOR_CHANGE_COLUMNS]


def series_log_returns(observations: pd.DataFrame) -> pd.DataFrame:
    """Log returns of price-like series between consecutive observations.

    .. math:: \\ell_t = \\ln x_t - \\ln x_{t^-}

    Parameters
    ----------
    observations : DataFrame
        Columns ``series_id``, ``observation_date``, ``value`` (positive); any order.

    Returns
    -------
    DataFrame
        Columns ``series_id``, ``observation_date``, ``log_return``: one row per observation that has a
        previous one, sorted by series and date.

    Raises
    ------
    InvalidReturnInputError
        When a column is missing, a (series, date) appears twice, or a value is not positive.
    """
    _require(observations, ["series_id", "observation_date", "value"], "log returns")
    if observations.empty:
        return _empty(LOG_RETURN_COLUMNS)
    frame = observations[["series_id", "observation_date", "value"]].copy()
    frame["observation_date"] = pd.to_datetime(frame["observation_date"])
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    _check_unique(frame, ["series_id", "observation_date"], "log returns")
    _check_positive(frame, "value", ["series_id", "observation_date"], "log returns")
    frame = frame.sort_values(["series_id", "observation_date"], kind="stable").reset_index(drop=True)
    logs = np.log(frame["value"])
    frame["log_return"] = logs - logs.groupby(frame["series_id"], sort=False).shift(1)
    frame = frame.loc[frame["log_return"].notna(), LOG_RETURN_COLUMNS].reset_index(drop=True)
    frame["observation_date"] = frame["observation_date"].dt.date
    return frame
