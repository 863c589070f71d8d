"""Standard tenors of the Silver curves and their names.

Brazilian curves (DI pre, NTN-B real, breakevens) are sampled in ANBIMA business days on 252 a
year; US Treasury curves in calendar days on 365. The two sets are never mixed under one curve id.
"""

from domain.market.bronze import DayCount

# 1M 3M 6M 1Y 18M 2Y 3Y 4Y 5Y 7Y 10Y, as multiples of 21 business days a month.
STANDARD_BUS_TENORS: tuple[int, ...] = (21, 63, 126, 252, 378, 504, 756, 1008, 1260, 1764, 2520)
_BUS_NAMES = ("1M", "3M", "6M", "1Y", "18M", "2Y", "3Y", "4Y", "5Y", "7Y", "10Y")
_BUS_TENOR_NAMES: dict[int, str] = dict(zip(STANDARD_BUS_TENORS, _BUS_NAMES, strict=True))

# The Treasury par-curve tenors from 3 months on, in calendar days (see domain.market.series.UST_TENOR_DAYS).
STANDARD_ACT_TENORS: tuple[int, ...] = (91, 182, 365, 730, 1095, 1826, 2557, 3652, 7305, 10957)
_ACT_TENOR_NAMES: dict[int, str] = dict(
    zip(STANDARD_ACT_TENORS, ("3M", "6M", "1Y", "2Y", "3Y", "5Y", "7Y", "10Y", "20Y", "30Y"), strict=True)
)


def tenor_name(tenor_days: int, day_count: DayCount = DayCount.BUS252) -> str:
    """Market name of a standard tenor (``252`` business days is ``"1Y"``).

    Parameters
    ----------
    tenor_days : int
        Tenor in the day count's unit: business days for BUS/252, calendar days for ACT/365.
    day_count : DayCount
        The curve's convention.

    Returns
    -------
    str
        ``"1M"``, ``"18M"``, ``"10Y"``...

    Raises
    ------
    ValueError
        When the tenor is not one of the standard tenors of that day count.
    """
    names = _BUS_TENOR_NAMES if day_count is DayCount.BUS252 else _ACT_TENOR_NAMES
    try:
        return names[tenor_days]
    except KeyError:
        raise ValueError(f"{tenor_days} days is not a standard {day_count.value} tenor; "
                         f"standard ones are {sorted(names)}") from None


def tenor_days(name: str, day_count: DayCount = DayCount.BUS252) -> int:
    """Inverse of :func:`tenor_name`: ``"2Y"`` is 504 business days (BUS/252) or 730 days (ACT/365)."""
    names = _BUS_TENOR_NAMES if day_count is DayCount.BUS252 else _ACT_TENOR_NAMES
    for days, label in names.items():
        if label == name.strip().upper():
            return days
    raise ValueError(f"{name!r} is not a standard {day_count.value} tenor name; "
                     f"known: {list(names.values())}")
