"""The series catalogue: every point-in-time series the system stores, with its release lag.

Series ids are the system's own names; ``code`` is the source's identifier (an SGS code, a FRED
series id, a Yahoo symbol, a Focus indicator). Monthly series are dated the 1st of the reference
month and quarterly series the 1st of the quarter. ``release_lag_days`` is the conservative
number of calendar days between that date and publication: reads "as known on D" use it when a
source does not say when it published. Sources with a publication calendar say so in
``release_calendar`` (the Focus survey is published on the first business day of the following
week, whatever day of the week its median is dated).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import numpy as np

from domain.market.bronze import Connector
from domain.market.calendar import first_business_day_of_next_week


class ReleaseCalendar(StrEnum):
    """How a series' publication date follows from the date its value refers to."""

    LAG = "lag"
    """``release_lag_days`` calendar days after the observation date."""
    NEXT_WEEK_FIRST_BUSINESS_DAY = "next_week_first_business_day"
    """The first ANBIMA business day of the week after the observation's week (BCB Focus)."""


class Frequency(StrEnum):
    """Sampling frequency of a series."""

    DAILY = "D"
    WEEKLY = "W"
    MONTHLY = "M"
    QUARTERLY = "Q"


@dataclass(frozen=True, slots=True)
class SeriesSpec:
    """One catalogued series."""

    series_id: str
    connector: Connector
    code: str
    frequency: Frequency
    unit: str
    release_lag_days: int
    description: str
    release_calendar: ReleaseCalendar = ReleaseCalendar.LAG


def _s(series_id: str, connector: Connector, code: str, freq: Frequency, unit: str, lag: int, text: str,
       calendar: ReleaseCalendar = ReleaseCalendar.LAG) -> SeriesSpec:
    return SeriesSpec(series_id, connector, code, freq, unit, lag, text, calendar)


_D, _W, _M, _Q = Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.QUARTERLY
_SGS, _PTAX, _FRED, _YF = Connector.BCB_SGS, Connector.BCB_PTAX, Connector.FRED, Connector.YAHOO
_WEEKLY_FOCUS = ReleaseCalendar.NEXT_WEEK_FIRST_BUSINESS_DAY

SERIES: dict[str, SeriesSpec] = {
    s.series_id: s
    for s in (
        # BCB SGS (code = SGS series number)
        _s("BR_SELIC_TARGET", _SGS, "432", _D, "% p.a.", 0, "Selic target set by Copom"),
        _s("BR_SELIC_DAILY", _SGS, "11", _D, "% p.d.", 1, "Selic effective daily rate"),
        _s("BR_CDI_DAILY", _SGS, "12", _D, "% p.d.", 1, "CDI daily rate"),
        _s("BR_IPCA_MOM", _SGS, "433", _M, "% m/m", 40, "IPCA monthly change"),
        _s("BR_IPCA_12M", _SGS, "13522", _M, "% 12m", 40, "IPCA 12-month change"),
        _s("BR_IPCA_CORE_MA", _SGS, "4466", _M, "% m/m", 40, "IPCA core: trimmed means, smoothed"),
        _s("BR_IPCA_CORE_EX", _SGS, "11427", _M, "% m/m", 40, "IPCA core: exclusion"),
        _s("BR_IPCA_CORE_DP", _SGS, "16122", _M, "% m/m", 40, "IPCA core: double weighting"),
        _s("BR_IPCA_DIFFUSION", _SGS, "21379", _M, "%", 40, "IPCA diffusion index"),
        _s("BR_IBC_BR", _SGS, "24364", _M, "index", 75, "IBC-Br economic activity, seasonally adjusted"),
        _s("BR_UNEMPLOYMENT", _SGS, "24369", _M, "%", 60, "PNAD-C unemployment rate"),
        _s("BR_CAPACITY_UTIL", _SGS, "1344", _M, "%", 30, "Industrial capacity utilisation"),
        _s("BR_PRIMARY_BALANCE_GDP", _SGS, "5793", _M, "% GDP", 60, "Public-sector primary balance, 12m"),
        _s("BR_GROSS_DEBT_GDP", _SGS, "13762", _M, "% GDP", 60, "General government gross debt"),
        _s("BR_NET_DEBT_GDP", _SGS, "4513", _M, "% GDP", 60, "Public-sector net debt"),
        _s("BR_RESERVES", _SGS, "13621", _D, "US$ mn", 1, "International reserves"),
        # BCB external-sector statistics for month M come out around the 25th of M+1.
        _s("BR_TRADE_BALANCE", _SGS, "22707", _M, "US$ mn", 58, "Trade balance"),
        # BCB Focus survey (code = entity set and indicator; CY/NY = survey's current/next year)
        _s("BR_FOCUS_IPCA_12M", _SGS, "ExpectativasMercadoInflacao12Meses:IPCA", _D, "%", 8,
           "Focus median IPCA 12 months ahead (smoothed)", _WEEKLY_FOCUS),
        _s("BR_FOCUS_IPCA_CY", _SGS, "ExpectativasMercadoAnuais:IPCA:0", _D, "%", 8, "Focus median IPCA, current year",
           _WEEKLY_FOCUS),
        _s("BR_FOCUS_IPCA_NY", _SGS, "ExpectativasMercadoAnuais:IPCA:1", _D, "%", 8, "Focus median IPCA, next year",
           _WEEKLY_FOCUS),
        _s("BR_FOCUS_SELIC_CY", _SGS, "ExpectativasMercadoAnuais:Selic:0", _D, "% p.a.", 8,
           "Focus median year-end Selic, current year", _WEEKLY_FOCUS),
        _s("BR_FOCUS_SELIC_NY", _SGS, "ExpectativasMercadoAnuais:Selic:1", _D, "% p.a.", 8,
           "Focus median year-end Selic, next year", _WEEKLY_FOCUS),
        _s("BR_FOCUS_GDP_CY", _SGS, "ExpectativasMercadoAnuais:PIB Total:0", _D, "%", 8,
           "Focus median GDP growth, current year", _WEEKLY_FOCUS),
        _s("BR_FOCUS_FX_CY", _SGS, "ExpectativasMercadoAnuais:Câmbio:0", _D, "BRL/USD", 8,
           "Focus median year-end USD/BRL, current year", _WEEKLY_FOCUS),
        # BCB PTAX (closing bulletin)
        _s("BR_PTAX_BUY", _PTAX, "cotacaoCompra", _D, "BRL/USD", 0, "PTAX closing rate, buy"),
        _s("BR_PTAX_SELL", _PTAX, "cotacaoVenda", _D, "BRL/USD", 0, "PTAX closing rate, sell"),
        # FRED (code = FRED series id)
        _s("US_FED_FUNDS", _FRED, "DFF", _D, "%", 1, "Effective federal funds rate"),
        _s("US_SOFR", _FRED, "SOFR", _D, "%", 1, "Secured overnight financing rate"),
        _s("US_UST_2Y", _FRED, "DGS2", _D, "%", 1, "2-year Treasury constant maturity"),
        _s("US_UST_5Y", _FRED, "DGS5", _D, "%", 1, "5-year Treasury constant maturity"),
        _s("US_UST_10Y", _FRED, "DGS10", _D, "%", 1, "10-year Treasury constant maturity"),
        _s("US_TIPS_10Y", _FRED, "DFII10", _D, "%", 1, "10-year TIPS yield"),
        _s("US_BREAKEVEN_10Y", _FRED, "T10YIE", _D, "%", 1, "10-year breakeven inflation"),
        _s("US_CORE_PCE", _FRED, "PCEPILFE", _M, "index", 60, "Core PCE price index"),
        _s("US_CORE_CPI", _FRED, "CPILFESL", _M, "index", 45, "Core CPI index"),
        _s("US_UNEMPLOYMENT", _FRED, "UNRATE", _M, "%", 37, "US unemployment rate"),
        _s("US_NAIRU", _FRED, "NROU", _Q, "%", 120, "Noncyclical rate of unemployment"),
        _s("US_REAL_GDP", _FRED, "GDPC1", _Q, "bn 2017 US$", 120, "US real GDP"),
        _s("US_POTENTIAL_GDP", _FRED, "GDPPOT", _Q, "bn 2017 US$", 120, "US real potential GDP"),
        _s("US_HY_OAS", _FRED, "BAMLH0A0HYM2", _D, "%", 1, "US high-yield option-adjusted spread"),
        _s("US_VIX", _FRED, "VIXCLS", _D, "index", 1, "CBOE VIX close"),
        _s("US_NFCI", _FRED, "NFCI", _W, "index", 5, "Chicago Fed national financial conditions"),
        # Yahoo Finance daily closes (code = Yahoo symbol)
        _s("MKT_USDBRL", _YF, "BRL=X", _D, "BRL/USD", 0, "USD/BRL spot close"),
        _s("MKT_DXY", _YF, "DX-Y.NYB", _D, "index", 0, "US dollar index"),
        _s("MKT_IBOVESPA", _YF, "^BVSP", _D, "points", 0, "Ibovespa"),
        _s("MKT_SP500", _YF, "^GSPC", _D, "points", 0, "S&P 500"),
        _s("MKT_VIX", _YF, "^VIX", _D, "index", 0, "VIX"),
        _s("MKT_WTI", _YF, "CL=F", _D, "US$/bbl", 0, "WTI crude front future"),
        _s("MKT_GOLD", _YF, "GC=F", _D, "US$/oz", 0, "Gold front future"),
        _s("MKT_EWZ", _YF, "EWZ", _D, "US$", 0, "iShares MSCI Brazil ETF"),
    )
}

# US Treasury par-curve columns and their tenors in calendar days (ACT/365 curves).
UST_TENOR_DAYS: dict[str, int] = {
    "1 Mo": 30, "1.5 Month": 42, "2 Mo": 61, "3 Mo": 91, "4 Mo": 122, "6 Mo": 182, "1 Yr": 365, "2 Yr": 730,
    "3 Yr": 1095,
    "5 Yr": 1826, "7 Yr": 2557, "10 Yr": 3652, "20 Yr": 7305, "30 Yr": 10957,
}
UST_REAL_TENOR_DAYS: dict[str, int] = {"5 YR": 1826, "7 YR": 2557, "10 YR": 3652, "20 YR": 7305, "30 YR": 10957}

CURVE_UST_NOMINAL = "UST_NOMINAL"
CURVE_UST_REAL = "UST_REAL"


def series_for(connector: Connector) -> list[SeriesSpec]:
    """The catalogued series a connector fetches, in catalogue order."""
    return [s for s in SERIES.values() if s.connector == connector]


def release_date_for(spec: SeriesSpec, observation_date: date) -> date:
    r"""Knowledge date of an observation whose source does not publish one, from the series' calendar.

    .. math:: release = obs + lag \quad \text{or} \quad \mathrm{roll}_{fwd}(\mathrm{Monday}_{next}(obs))

    Never capped at the date of the fetch: a window's end is not when the source published (a
    backfill fetches values that were published long after the window it asks for), so a cap
    would let history see values before their release.

    Parameters
    ----------
    spec : SeriesSpec
        The series, for its ``release_calendar`` and ``release_lag_days``.
    observation_date : date
        Date the value refers to.

    Returns
    -------
    date
        The release (knowledge) date, on or after ``observation_date``.
    """
    if spec.release_calendar == ReleaseCalendar.NEXT_WEEK_FIRST_BUSINESS_DAY:
        published = first_business_day_of_next_week(np.array([observation_date], dtype="datetime64[D]"))[0]
        return date.fromisoformat(str(published))
    return observation_date + timedelta(days=spec.release_lag_days)
