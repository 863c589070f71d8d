"""The risk service on the real SQLite database: a constructed book on constructed factor moves.

Expected numbers are computed here from the same stored changes, with numpy closed forms: VaR as the
k-th worst P&L, parametric VaR as z x sqrt(s'Σs), stress P&L as DV01 x bp + delta x %.
"""

import math
from collections.abc import Callable, Iterator
from datetime import date

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from sqlalchemy import Engine

from adapters.storage import migrations
from adapters.storage.database import create_database_engine
from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from application.portfolio.factors import FactorHistory
from application.risk import RiskService
from domain.errors import DataGapError
from tests.integration.risk.constructed import BOOK, Holding, Market, market, sessions, write_book, write_market

HISTORY = sessions(date(2023, 1, 2), 300)  # 2023-01-02 .. 2024-03-15
BOOK_DAYS = HISTORY[-20:]                 # 2024-02-19 .. 2024-03-15: Monte Carlo refits on 1 Feb and 1 Mar
LAST = BOOK_DAYS[-1]
NAV0 = 100_000_000.0
SENSITIVITY = {h.factor: h.sensitivity for h in BOOK}  # one position per factor


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    migrations.upgrade(sqlite_url)
    engine = create_database_engine(sqlite_url)
    yield engine
    engine.dispose()


def _uow(engine: Engine) -> Callable[[], SqlAlchemyUnitOfWork]:
    return lambda: SqlAlchemyUnitOfWork(engine)


def _setup(engine: Engine, *, factors: tuple[str, ...] | None = None, days: list[date] = BOOK_DAYS,
           holdings: Callable[[date], tuple[Holding, ...]] = lambda d: BOOK) -> tuple[RiskService, Market]:
    data = market(HISTORY, seed=20240315) if factors is None else market(HISTORY, seed=20240315, factors=factors)
    with _uow(engine)() as uow:
        write_market(uow, data)
        write_book(uow, data, days, nav0=NAV0, holdings=holdings)
        uow.commit()
    uow = _uow(engine)
    return RiskService(uow, FactorHistory(uow), mc_scenarios=4_000), data


def _read(engine: Engine, table: str, start: date = BOOK_DAYS[0], end: date = LAST) -> pd.DataFrame:
    with _uow(engine)() as uow:
        return uow.book.read(table, start, end)


def _metric(metrics: pd.DataFrame, day: date, method: str, confidence: float, horizon: int) -> pd.Series:
    rows = metrics[(metrics["date"] == day) & (metrics["method"] == method)
                   & (metrics["confidence"] == confidence) & (metrics["horizon_days"] == horizon)]
    assert len(rows) == 1
    return rows.iloc[0]


def _book_pnl(data: Market, day: date) -> tuple[np.ndarray, np.ndarray]:
    """Daily P&L of BOOK on every session up to ``day`` (all of them: the history is shorter than 500)."""
    changes = data.changes(list(SENSITIVITY))
    upto = changes.loc[:pd.Timestamp(day)]
    return upto.to_numpy() @ np.array(list(SENSITIVITY.values())), upto.to_numpy()


def _nav(engine: Engine, day: date) -> float:
    nav = _read(engine, "book_nav", day, day)
    return float(nav["nav"].iloc[0])


def test_parametric_var_is_z_times_the_book_volatility_on_the_trailing_252_session_covariance(engine: Engine) -> None:
    service, data = _setup(engine)
    service.compute_var(BOOK_DAYS[0], LAST)

    _, changes = _book_pnl(data, LAST)
    s = np.array(list(SENSITIVITY.values()))
    sigma = math.sqrt(s @ np.cov(changes[-252:], rowvar=False, ddof=1) @ s)
    metrics = _read(engine, "risk_metrics")
    nav = _nav(engine, LAST)
    for confidence in (0.95, 0.99):
        z = stats.norm.ppf(confidence)
        for horizon in (1, 10):
            row = _metric(metrics, LAST, "parametric", confidence, horizon)
            assert row["var_brl"] == pytest.approx(z * sigma * math.sqrt(horizon), rel=1e-10)
            assert row["cvar_brl"] == pytest.approx(sigma * math.sqrt(horizon) * stats.norm.pdf(z) / (1 - confidence),
                                                    rel=1e-10)
            assert row["var_pct_nav"] == pytest.approx(row["var_brl"] / nav, rel=1e-12)


def test_historical_var_is_the_kth_worst_pnl_of_every_session_up_to_and_including_the_date(engine: Engine) -> None:
    service, data = _setup(engine)
    service.compute_var(BOOK_DAYS[0], LAST)

    pnl, _ = _book_pnl(data, LAST)
    assert len(pnl) == 300  # shorter than the 500-session window: every session is used
    metrics = _read(engine, "risk_metrics")
    worst = np.sort(pnl)
    k99 = math.ceil(300 * 0.01)  # 3rd worst of 300
    row = _metric(metrics, LAST, "historical", 0.99, 1)
    assert row["var_brl"] == pytest.approx(-worst[k99 - 1], rel=1e-12)
    assert row["cvar_brl"] == pytest.approx(-worst[:k99].mean(), rel=1e-12)
    ten_day = np.sort(np.convolve(pnl, np.ones(10), mode="valid"))  # 291 overlapping 10-day sums
    k95 = math.ceil(291 * 0.05)  # 15th worst
    assert _metric(metrics, LAST, "historical", 0.95, 10)["var_brl"] == pytest.approx(-ten_day[k95 - 1], rel=1e-9)


def test_component_var_splits_the_parametric_99_var_by_instrument_asset_class_and_strategy(engine: Engine) -> None:
    service, data = _setup(engine)
    service.compute_var(BOOK_DAYS[0], LAST)

    _, changes = _book_pnl(data, LAST)
    s = np.array(list(SENSITIVITY.values()))
    cov = np.cov(changes[-252:], rowvar=False, ddof=1)
    sigma = math.sqrt(s @ cov @ s)
    euler = stats.norm.ppf(0.99) * s * (cov @ s) / sigma  # one position per factor: C_i = z s_i (Σs)_i / σ
    rows = _read(engine, "risk_components", LAST, LAST).set_index(["dimension", "bucket"])
    c = dict(zip([h.instrument for h in BOOK], euler, strict=True))
    assert_allclose(rows.loc["instrument"].loc[["DI1F26", "DOLH25", "INDH25"], "var_brl"].to_numpy(), euler, rtol=1e-10)
    assert rows.loc[("asset_class", "fx"), "var_brl"] == pytest.approx(c["DOLH25"], rel=1e-10)
    # DI1_2Y: di_carry |0.6| x 0.5 = 0.3 against taylor_gap |-0.2| x 1.0 = 0.2, so 60/40; IBOV has no strategy.
    assert rows.loc[("strategy", "di_carry"), "var_brl"] == pytest.approx(0.6 * c["DI1F26"], rel=1e-10)
    assert rows.loc[("strategy", "taylor_gap"), "var_brl"] == pytest.approx(0.4 * c["DI1F26"], rel=1e-10)
    assert rows.loc[("strategy", "fx_carry"), "var_brl"] == pytest.approx(c["DOLH25"], rel=1e-10)
    assert rows.loc[("strategy", "unattributed"), "var_brl"] == pytest.approx(c["INDH25"], rel=1e-10)
    for dimension in ("instrument", "asset_class", "strategy"):
        assert rows.loc[dimension, "share"].sum() == pytest.approx(1.0, abs=1e-12)
        assert rows.loc[dimension, "var_brl"].sum() == pytest.approx(stats.norm.ppf(0.99) * sigma, rel=1e-10)


def test_stress_pnl_is_dv01_times_bp_plus_delta_times_percent(engine: Engine) -> None:
    short_usd = (BOOK[0], Holding("DOLH25", "USDBRL", -400, -120_000_000.0, -1_200_000.0), BOOK[2])
    service, _ = _setup(engine, holdings=lambda d: BOOK if d < LAST else short_usd)
    result = service.run_stress(BOOK_DAYS[0], LAST)

    rows = _read(engine, "stress_results").set_index(["date", "scenario"])
    taper = rows.loc[(BOOK_DAYS[0], "Taper tantrum 2013")]
    # DI +200bp on a receiver DV01 of -13,500; USD/BRL +15% on +1.2mn per 1%; Ibovespa -15% on 390k per 1%.
    assert taper["pnl_brl"] == pytest.approx(-13_500 * 200 + 1_200_000 * 15 + 390_000 * -15, abs=1e-6)
    assert math.isnan(taper["reverse_multiple"])  # the scenario gains: no multiple of it loses 10% of NAV
    assert taper["not_applied"] == "NTNB_REAL,UST"
    fiscal = rows.loc[(LAST, "Brazil fiscal crisis")]
    loss = -13_500 * 350 - 1_200_000 * 25 + 390_000 * -18
    nav = _nav(engine, LAST)
    assert fiscal["pnl_brl"] == pytest.approx(loss, abs=1e-6)
    assert fiscal["pnl_pct_nav"] == pytest.approx(loss / nav, rel=1e-12)
    assert fiscal["reverse_multiple"] == pytest.approx(-0.10 * nav / loss, rel=1e-12)
    assert fiscal["not_applied"] == "NTNB_REAL,CDS"
    assert rows.loc[(LAST, "Covid 2020"), "not_applied"] == "SP500,OIL"
    assert len(rows) == 6 * len(BOOK_DAYS)
    assert (result.sessions, result.latest, result.worst_scenario) == (20, LAST, "Brazil crisis 2015")


def test_a_var_beyond_its_limit_is_breached_and_names_the_binding_subjects(engine: Engine) -> None:
    big_usd = (BOOK[0], Holding("DOLH25", "USDBRL", 2_000, 600_000_000.0, 6_000_000.0), BOOK[2])
    service, _ = _setup(engine, holdings=lambda d: big_usd)
    service.compute_var(BOOK_DAYS[0], LAST)
    result = service.evaluate_limits(BOOK_DAYS[0], LAST)

    limits = _read(engine, "limit_status", LAST, LAST).set_index("limit_name")
    var99 = _metric(_read(engine, "risk_metrics"), LAST, "historical", 0.99, 1)
    nav = _nav(engine, LAST)
    assert limits.loc["var99", "value"] == pytest.approx(var99["var_brl"] / nav, rel=1e-12)
    assert limits.loc["var99", "utilisation"] == pytest.approx(var99["var_brl"] / nav / 0.05, rel=1e-12)
    assert limits.loc["var99", "utilisation"] >= 1.0
    assert bool(limits.loc["var99", "breached"])
    assert limits.loc["var99", "subject"] == "book"
    gross = 80_000_000.0 + 600_000_000.0 + 39_000_000.0
    assert limits.loc["single_position", "value"] == pytest.approx(600_000_000.0 / nav, rel=1e-12)
    assert limits.loc["single_position", "subject"] == "DOLH25"
    # A class's gross over the gross-leverage limit (3x NAV).
    assert limits.loc["asset_class_concentration", "value"] == pytest.approx(600_000_000.0 / (3.0 * nav), rel=1e-12)
    assert limits.loc["asset_class_concentration", "subject"] == "fx"
    assert limits.loc["gross_leverage", "value"] == pytest.approx(gross / nav, rel=1e-12)
    assert len(limits) == 9
    assert result.breaches == int(_read(engine, "limit_status")["breached"].sum())
    assert "var99" in result.latest_breaches


def test_limits_use_the_day_s_attributed_losses_and_the_drawdown_breaker(engine: Engine) -> None:
    service, _ = _setup(engine)
    service.compute_var(BOOK_DAYS[0], LAST)
    service.evaluate_limits(BOOK_DAYS[0], LAST)

    nav = _read(engine, "book_nav").set_index("date")
    limits = _read(engine, "limit_status").set_index(["date", "limit_name"])
    for day in BOOK_DAYS:
        pnl, value = nav.loc[day, "pnl"], nav.loc[day, "nav"]
        assert limits.loc[(day, "strategy_daily_loss"), "value"] == pytest.approx(max(0.0, -pnl) / value, abs=1e-15)
        drawdown = -nav.loc[day, "drawdown"]
        assert limits.loc[(day, "drawdown"), "value"] == pytest.approx(drawdown, abs=1e-15)
        expected = ("flatten" if drawdown >= 0.08 else "reduce_gross_50" if drawdown >= 0.05
                    else "reduce_gross_25" if drawdown >= 0.03 else "none")
        assert set(limits.loc[day, "circuit_breaker"]) == {expected}
        components = _read(engine, "risk_components", day, day)
        components = components[components["dimension"] == "strategy"]
        # The largest strategy component VaR99 as a share of the VaR99 limit (5% of NAV).
        assert limits.loc[(day, "risk_budget_share"), "value"] == pytest.approx(
            components["var_brl"].max() / (0.05 * value), rel=1e-12)


def test_rerunning_a_date_or_a_range_leaves_row_counts_unchanged(engine: Engine) -> None:
    service, _ = _setup(engine)
    tables = ("risk_metrics", "risk_components", "stress_results", "limit_status")

    def run(start: date, end: date) -> dict[str, int]:
        service.compute_var(start, end)
        service.run_stress(start, end)
        service.evaluate_limits(start, end)
        return {t: len(_read(engine, t)) for t in tables}

    first = run(BOOK_DAYS[0], LAST)
    assert first == {"risk_metrics": 12 * 20, "risk_components": 20 * (3 + 3 + 4), "stress_results": 6 * 20,
                     "limit_status": 9 * 20}
    assert run(BOOK_DAYS[5], BOOK_DAYS[5]) == first
    assert run(BOOK_DAYS[0], LAST) == first


def test_monte_carlo_var_of_a_date_is_reproduced_exactly_alone_or_within_a_range(engine: Engine) -> None:
    service, _ = _setup(engine)
    service.compute_var(BOOK_DAYS[0], LAST)
    in_range = _read(engine, "risk_metrics", BOOK_DAYS[12], BOOK_DAYS[12])

    service.compute_var(BOOK_DAYS[12], BOOK_DAYS[12])
    alone = _read(engine, "risk_metrics", BOOK_DAYS[12], BOOK_DAYS[12])

    pd.testing.assert_frame_equal(alone, in_range, check_exact=True)
    mc = alone[alone["method"] == "monte_carlo"].set_index(["confidence", "horizon_days"])
    assert mc.loc[(0.99, 1), "var_brl"] > mc.loc[(0.95, 1), "var_brl"] > 0.0
    # Ten days follow the fitted GARCH variance term structure: near, but not, the square-root-of-time figure.
    ratio = mc.loc[(0.99, 10), "var_brl"] / (math.sqrt(10) * mc.loc[(0.99, 1), "var_brl"])
    assert 0.5 < ratio < 1.5 and abs(ratio - 1.0) > 1e-9
    # Same date, another seed: a different draw, hence a different number.
    other = RiskService(_uow(engine), FactorHistory(_uow(engine)), mc_scenarios=4_000, seed=8)
    other.compute_var(BOOK_DAYS[12], BOOK_DAYS[12])
    reseeded = _read(engine, "risk_metrics", BOOK_DAYS[12], BOOK_DAYS[12])
    assert reseeded[reseeded["method"] == "monte_carlo"]["var_brl"].tolist() != mc["var_brl"].tolist()


def test_a_position_on_a_factor_without_history_raises_a_data_gap_naming_the_date(engine: Engine) -> None:
    with_ust = (*BOOK, Holding("UST10", "UST10", 100, 50_000_000.0, -45_000.0))
    no_ust = (*SENSITIVITY, "NTNB_REAL:1260")
    service, _ = _setup(engine, factors=no_ust, holdings=lambda d: BOOK if d < BOOK_DAYS[3] else with_ust)

    with pytest.raises(DataGapError, match=rf"risk on {BOOK_DAYS[3].isoformat()}: no factor history for UST:3652"):
        service.compute_var(BOOK_DAYS[0], LAST)
    assert _read(engine, "risk_metrics").empty  # nothing partial is written


def test_a_flat_book_has_zero_var_no_components_and_no_stress_multiple(engine: Engine) -> None:
    service, _ = _setup(engine, holdings=lambda d: () if d == LAST else BOOK)
    service.compute_var(LAST, LAST)
    service.run_stress(LAST, LAST)

    metrics = _read(engine, "risk_metrics", LAST, LAST)
    assert len(metrics) == 12 and (metrics[["var_brl", "cvar_brl", "var_pct_nav"]] == 0.0).all().all()
    assert _read(engine, "risk_components", LAST, LAST).empty
    stress = _read(engine, "stress_results", LAST, LAST)
    assert (stress["pnl_brl"] == 0.0).all() and stress["reverse_multiple"].isna().all()


def test_a_factor_with_less_than_250_sessions_of_history_raises_a_data_gap_naming_the_date(engine: Engine) -> None:
    data = market(HISTORY, seed=20240315)
    data.raw["UST:3652"][:200] = np.nan  # UST starts 100 sessions before the end of the history
    with_ust = (*BOOK, Holding("UST10", "UST10", 100, 50_000_000.0, -45_000.0))
    with _uow(engine)() as uow:
        write_market(uow, data)
        write_book(uow, data, BOOK_DAYS, holdings=lambda d: with_ust)
        uow.commit()
    service = RiskService(_uow(engine), FactorHistory(_uow(engine)), mc_scenarios=1_000)

    with pytest.raises(DataGapError, match=rf"risk on {BOOK_DAYS[0].isoformat()}: .*need 250"):
        service.compute_var(BOOK_DAYS[0], LAST)
