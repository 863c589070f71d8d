"""The synthetic market: deterministic, point in time, on the right calendars, in the live connectors' shapes."""

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

import numpy as np
import pytest

from adapters.market_data.synthetic import SyntheticMarket
from adapters.market_data.synthetic.path import build_path
from application.errors import MarketDataError
from application.ports import MarketDataSource
from domain.market.bronze import BronzeBatch, Connector, DayCount
from domain.market.calendar import business_days, is_b3_session, is_business_day
from domain.market.di1 import di1_pu
from domain.market.instruments import parse_future
from domain.market.series import CURVE_UST_NOMINAL, CURVE_UST_REAL, UST_REAL_TENOR_DAYS, UST_TENOR_DAYS, series_for


@pytest.fixture(scope="module")
def market() -> SyntheticMarket:
    return SyntheticMarket()


def _values(batch: BronzeBatch) -> dict[tuple[object, ...], tuple[object, ...]]:
    """Every record of a batch keyed by (id, date), and observations by their release too (one key per vintage)."""
    out: dict[tuple[object, ...], tuple[object, ...]] = {}
    out.update({(o.series_id, o.observation_date, o.release_date): (o.value,) for o in batch.observations})
    out.update({(p.instrument, p.trade_date): (p.price, p.rate) for p in batch.prices})
    out.update({(f"{c.curve_id}:{c.tenor_days}", c.curve_date): (c.rate,) for c in batch.curve_points})
    return out


def _series(batch: BronzeBatch, series_id: str) -> list[tuple[date, float]]:
    return [(o.observation_date, o.value) for o in batch.observations if o.series_id == series_id]


def test_the_market_is_a_market_data_source_named_synthetic(market: SyntheticMarket) -> None:
    source: MarketDataSource = market
    assert source.name == "synthetic"


def test_the_same_seed_regenerates_identical_batches() -> None:
    build_path.cache_clear()
    first = SyntheticMarket(7).fetch(Connector.B3, date(2021, 3, 1), date(2021, 3, 31))
    build_path.cache_clear()
    second = SyntheticMarket(7).fetch(Connector.B3, date(2021, 3, 1), date(2021, 3, 31))
    assert first.row_count > 500
    assert first == second


def test_a_different_seed_gives_different_values(market: SyntheticMarket) -> None:
    ours = _series(market.fetch(Connector.YAHOO, date(2022, 6, 1), date(2022, 6, 30)), "MKT_IBOVESPA")
    other = _series(SyntheticMarket(8).fetch(Connector.YAHOO, date(2022, 6, 1), date(2022, 6, 30)), "MKT_IBOVESPA")
    assert [d for d, _ in ours] == [d for d, _ in other]
    assert all(a != b for (_, a), (_, b) in zip(ours, other, strict=True))


@pytest.mark.parametrize("connector", list(Connector))
def test_a_window_holds_the_same_values_as_any_wider_window(market: SyntheticMarket, connector: Connector) -> None:
    narrow = _values(market.fetch(connector, date(2019, 3, 11), date(2019, 6, 14)))
    wide = _values(market.fetch(connector, date(2018, 1, 1), date(2020, 12, 31)))
    assert narrow
    assert {key: wide[key] for key in narrow} == narrow


def test_values_do_not_depend_on_how_far_the_horizon_reaches(market: SyntheticMarket) -> None:
    short = SyntheticMarket(horizon_end=date(2024, 12, 31))
    for connector in Connector:
        window = (date(2024, 9, 2), date(2024, 12, 31))
        assert short.fetch(connector, *window) == market.fetch(connector, *window)


def test_no_record_is_dated_outside_the_window_or_released_after_its_end(market: SyntheticMarket) -> None:
    start, end = date(2016, 2, 10), date(2016, 8, 17)
    for connector in Connector:
        batch = market.fetch(connector, start, end)
        assert batch.start == start and batch.end == end and batch.connector == connector
        assert all(start <= o.observation_date <= o.release_date <= end for o in batch.observations)
        assert all(start <= p.trade_date <= end for p in batch.prices)
        assert all(start <= c.curve_date <= end for c in batch.curve_points)
        assert {o.source for o in batch.observations} | {p.source for p in batch.prices} <= {connector.value}


def test_ipca_for_march_is_unknown_before_its_april_release_and_known_from_it(market: SyntheticMarket) -> None:
    march = date(2023, 3, 1)
    ipca_family = {o.series_id: o.release_date
                   for o in market.fetch(Connector.BCB_SGS, march, date(2023, 5, 31)).observations
                   if o.series_id.startswith("BR_IPCA") and o.observation_date == march}
    assert len(ipca_family) == 6 and len(set(ipca_family.values())) == 1  # one IBGE release for all six
    released = ipca_family["BR_IPCA_MOM"]
    assert date(2023, 4, 8) <= released <= date(2023, 4, 14) and is_business_day(released)
    before = market.fetch(Connector.BCB_SGS, date(2023, 1, 1), released - timedelta(days=1))
    after = market.fetch(Connector.BCB_SGS, date(2023, 1, 1), released)
    assert march not in [d for d, _ in _series(before, "BR_IPCA_MOM")]
    assert march in [d for d, _ in _series(after, "BR_IPCA_MOM")]


def test_monthly_series_are_dated_the_first_and_quarterly_the_first_of_the_quarter(market: SyntheticMarket) -> None:
    sgs = market.fetch(Connector.BCB_SGS, date(2022, 1, 1), date(2023, 12, 31))
    fred = market.fetch(Connector.FRED, date(2022, 1, 1), date(2023, 12, 31))
    ipca = [d for d, _ in _series(sgs, "BR_IPCA_MOM")]
    assert ipca == [date(2022, m, 1) for m in range(1, 13)] + [date(2023, m, 1) for m in range(1, 12)]
    gdp = sorted({d for d, _ in _series(fred, "US_REAL_GDP")})  # one date per quarter, whatever its vintages
    assert gdp == [date(2022, m, 1) for m in (1, 4, 7, 10)] + [date(2023, m, 1) for m in (1, 4, 7)]
    assert {d.weekday() for d, _ in _series(fred, "US_NFCI")} == {4}


def test_b3_publishes_nothing_on_holidays_carnival_or_weekends(market: SyntheticMarket) -> None:
    batch = market.fetch(Connector.B3, date(2023, 1, 1), date(2025, 3, 31))
    trade_dates = {p.trade_date for p in batch.prices}
    assert not trade_dates & {date(2024, 11, 20), date(2025, 3, 3), date(2025, 3, 4), date(2024, 12, 31)}
    assert date(2025, 3, 5) in trade_dates  # Ash Wednesday: B3 opens in the afternoon
    assert all(d.weekday() < 5 and is_b3_session(d) for d in trade_dates)
    ptax_days = {o.observation_date for o in market.fetch(Connector.BCB_PTAX, date(2024, 11, 18),
                                                          date(2024, 11, 22)).observations}
    assert ptax_days == {date(2024, 11, 18), date(2024, 11, 19), date(2024, 11, 21), date(2024, 11, 22)}


def test_every_catalogue_series_and_instrument_family_is_present_in_two_years(market: SyntheticMarket) -> None:
    start, end = date(2023, 1, 1), date(2024, 12, 31)
    for connector in (Connector.BCB_SGS, Connector.BCB_PTAX, Connector.FRED, Connector.YAHOO):
        found = {o.series_id for o in market.fetch(connector, start, end).observations}
        assert found == {s.series_id for s in series_for(connector)}
    b3 = market.fetch(Connector.B3, start, end)
    assert {p.instrument[:3] for p in b3.prices} == {"DI1", "DOL", "WDO", "IND", "WIN"}
    treasury = market.fetch(Connector.TREASURY, start, end)
    assert {p.instrument.split("_")[0] for p in treasury.prices} == {"NTNB", "LTN"}
    assert {c.curve_id for c in treasury.curve_points} == {CURVE_UST_NOMINAL, CURVE_UST_REAL}


def test_di1_settlements_list_the_b3_set_and_their_rates_reprice_the_pu(market: SyntheticMarket) -> None:
    batch = market.fetch(Connector.B3, date(2024, 5, 27), date(2024, 6, 7))
    di1 = [p for p in batch.prices if p.instrument.startswith("DI1")]
    per_day = Counter(p.trade_date for p in di1)
    assert all(25 <= n <= 35 for n in per_day.values())
    for p in di1:
        du = business_days(p.trade_date, parse_future(p.instrument).maturity)
        assert du > 0 and p.rate is not None
        assert abs(float(di1_pu(p.rate, du)) - p.price) <= 0.01
        assert round(p.price, 2) == p.price
    on_june_3 = sorted((parse_future(p.instrument).maturity, p.instrument) for p in di1
                       if p.trade_date == date(2024, 6, 3))
    assert [t for _, t in on_june_3[:6]] == ["DI1N24", "DI1Q24", "DI1U24", "DI1V24", "DI1F25", "DI1J25"]
    assert on_june_3[-1][1] == "DI1F36"  # January contracts out to 12 years
    assert {p.rate for p in batch.prices if p.instrument[:3] in ("DOL", "WDO", "IND", "WIN")} == {None}


def test_dollar_and_index_futures_are_carried_from_spot(market: SyntheticMarket) -> None:
    day = date(2024, 6, 3)
    prices = {p.instrument: p.price for p in market.fetch(Connector.B3, day, day).prices}
    spot = dict(_series(market.fetch(Connector.YAHOO, day, day), "MKT_USDBRL"))[day]
    ibov = dict(_series(market.fetch(Connector.YAHOO, day, day), "MKT_IBOVESPA"))[day]
    assert prices["DOLN24"] == prices["WDON24"] and prices["INDM24"] == prices["WINM24"]
    # BRL rates above dollar rates: each later maturity trades at a higher premium to spot.
    assert 1.0 < prices["DOLN24"] / (1000 * spot) < prices["DOLQ24"] / (1000 * spot) < 1.02
    assert 1.0 < prices["INDM24"] / ibov < prices["INDQ24"] / ibov < 1.05


def test_tesouro_bonds_follow_their_maturity_rules_and_price_formulas(market: SyntheticMarket) -> None:
    batch = market.fetch(Connector.TREASURY, date(2024, 6, 3), date(2024, 6, 3))
    ltn = [p for p in batch.prices if p.instrument.startswith("LTN_")]
    ntnb = [p for p in batch.prices if p.instrument.startswith("NTNB_")]
    assert 14 <= len(ltn) <= 17 and 7 <= len(ntnb) <= 11
    for p in ltn:
        maturity = date.fromisoformat(p.instrument[4:8] + "-" + p.instrument[8:10] + "-" + p.instrument[10:])
        assert maturity.day == 1 and maturity.month in (1, 4, 7, 10)
        assert p.rate is not None
        du = business_days(p.trade_date, maturity)
        assert p.price == round(1000 / (1 + p.rate) ** (du / 252), 2)
    for p in ntnb:
        year, month, day = int(p.instrument[5:9]), int(p.instrument[9:11]), int(p.instrument[11:])
        assert (month, day) == ((5, 15) if year % 2 else (8, 15))
        assert p.rate is not None and 0.0 < p.rate < 0.12 and 3_000 < p.price < 8_000
    assert max(int(p.instrument[5:9]) for p in ntnb) == 2055


def test_treasury_curves_are_act365_decimals_matching_fred(market: SyntheticMarket) -> None:
    day = date(2024, 6, 3)
    batch = market.fetch(Connector.TREASURY, day, day)
    assert {c.day_count for c in batch.curve_points} == {DayCount.ACT365}
    tenors = {(c.curve_id, c.tenor_days) for c in batch.curve_points}
    expected = {(CURVE_UST_NOMINAL, t) for label, t in UST_TENOR_DAYS.items() if label != "1.5 Month"}
    assert tenors == expected | {(CURVE_UST_REAL, t) for t in UST_REAL_TENOR_DAYS.values()}
    ten_year = next(c.rate for c in batch.curve_points if (c.curve_id, c.tenor_days) == (CURVE_UST_NOMINAL, 3652))
    dgs10 = dict(_series(market.fetch(Connector.FRED, day, date(2024, 6, 4)), "US_UST_10Y"))[day]
    assert ten_year == pytest.approx(dgs10 / 100, abs=1e-12)
    assert 0.0 < ten_year < 0.1


def test_selic_daily_cdi_and_ptax_are_consistent_with_their_sources(market: SyntheticMarket) -> None:
    sgs = market.fetch(Connector.BCB_SGS, date(2022, 3, 1), date(2022, 3, 31))
    target, daily = dict(_series(sgs, "BR_SELIC_TARGET")), dict(_series(sgs, "BR_SELIC_DAILY"))
    assert set(daily) <= set(target)
    for day, value in daily.items():
        assert value == round(((1 + (target[day] - 0.10) / 100) ** (1 / 252) - 1) * 100, 6)
    ptax = market.fetch(Connector.BCB_PTAX, date(2022, 3, 1), date(2022, 3, 31))
    buy, sell = dict(_series(ptax, "BR_PTAX_BUY")), dict(_series(ptax, "BR_PTAX_SELL"))
    assert buy.keys() == sell.keys() and all(round(sell[d] - buy[d], 4) == 0.0006 for d in buy)


def test_ipca_12m_compounds_the_published_monthly_changes(market: SyntheticMarket) -> None:
    sgs = market.fetch(Connector.BCB_SGS, date(2011, 1, 1), date(2024, 12, 31))
    mom, twelve = dict(_series(sgs, "BR_IPCA_MOM")), dict(_series(sgs, "BR_IPCA_12M"))
    months = sorted(mom)
    for i in range(11, len(months)):
        compounded = (np.prod([1 + mom[m] / 100 for m in months[i - 11:i + 1]]) - 1) * 100
        assert twelve[months[i]] == pytest.approx(compounded, abs=0.006)


def test_copom_moves_the_selic_in_quarter_point_steps_at_most_eight_times_a_year(market: SyntheticMarket) -> None:
    target = _series(market.fetch(Connector.BCB_SGS, date(2010, 1, 4), date(2024, 12, 31)), "BR_SELIC_TARGET")
    moves = [(d, b - a) for (_, a), (d, b) in pairwise(target) if b != a]
    assert len(moves) >= 30
    assert all(abs(round(m * 4) - m * 4) < 1e-9 and 0.25 <= abs(m) <= 1.0 for _, m in moves)
    assert max(Counter(d.year for d, _ in moves).values()) <= 8


def test_history_has_realistic_ranges_cycles_and_drawdowns(market: SyntheticMarket) -> None:
    start, end = date(2010, 1, 4), date(2024, 12, 31)
    sgs = market.fetch(Connector.BCB_SGS, start, end)
    selic = np.array([v for _, v in _series(sgs, "BR_SELIC_TARGET")])
    ipca12 = np.array([v for _, v in _series(sgs, "BR_IPCA_12M")])
    assert 1.5 <= selic.min() <= 4.0 and 12.0 <= selic.max() <= 16.0
    assert ipca12.min() >= 1.0 and ipca12.max() <= 13.0
    yahoo = market.fetch(Connector.YAHOO, start, end)
    ibov = np.array([v for _, v in _series(yahoo, "MKT_IBOVESPA")])
    assert (1 - ibov / np.maximum.accumulate(ibov)).max() > 0.25
    usdbrl = np.array([v for _, v in _series(yahoo, "MKT_USDBRL")])
    assert 0.08 <= np.diff(np.log(usdbrl)).std() * np.sqrt(252) <= 0.25
    vix = np.array([v for _, v in _series(yahoo, "MKT_VIX")])
    assert vix.max() > 45 and np.median(vix) < 25


def test_windows_beyond_the_horizon_or_reversed_are_refused(market: SyntheticMarket) -> None:
    with pytest.raises(MarketDataError, match="ends on 2030-12-31"):
        market.fetch(Connector.FRED, date(2030, 12, 1), date(2031, 1, 5))
    with pytest.raises(MarketDataError, match="after it ends"):
        market.fetch(Connector.FRED, date(2020, 2, 1), date(2020, 1, 1))
    with pytest.raises(ValueError, match="start < horizon_end"):
        SyntheticMarket(start=date(2030, 1, 1), horizon_end=date(2029, 1, 1))


def test_synthetic_focus_medians_are_released_on_the_first_business_day_of_the_next_week(
        market: SyntheticMarket) -> None:
    focus = [s.series_id for s in series_for(Connector.BCB_SGS) if s.series_id.startswith("BR_FOCUS")]
    survey_week = {date(2021, 1, 4) + timedelta(days=d) for d in range(5)}
    on_friday = market.fetch(Connector.BCB_SGS, date(2020, 12, 1), date(2021, 1, 8)).observations
    on_sunday = market.fetch(Connector.BCB_SGS, date(2020, 12, 1), date(2021, 1, 10)).observations
    on_monday = market.fetch(Connector.BCB_SGS, date(2020, 12, 1), date(2021, 1, 11)).observations
    assert not [o for o in on_friday + on_sunday if o.series_id in focus and o.observation_date in survey_week]
    released = {(o.series_id, o.observation_date): o.release_date for o in on_monday if o.series_id in focus}
    assert {k[1] for k in released} >= survey_week
    assert {r for (_, obs), r in released.items() if obs in survey_week} == {date(2021, 1, 11)}
    # Labour Day 2023 fell on a Monday: the week before is released on Tuesday 2 May.
    week = market.fetch(Connector.BCB_SGS, date(2023, 4, 24), date(2023, 5, 2)).observations
    assert {o.release_date for o in week if o.series_id in focus and o.observation_date <= date(2023, 4, 28)} == {
        date(2023, 5, 2)}
