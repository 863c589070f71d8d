"""A revised IBC-Br print flows point in time: Bronze vintages, Silver features, the panel and the monetary agent.

The synthetic market revises the previous month's IBC-Br with each new release. Before the revision
date every read sees the first print; from it on, the revised value. The expected numbers are taken
from the market's own tables and the domain's feature rule, not from the stores under test.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pytest

from adapters.market_data.synthetic import SyntheticMarket
from adapters.storage import migrations
from application.signals.panel import PanelBuilder
from domain import panel as fields
from domain.agents import monetary
from domain.agents.taylor import TaylorRule
from domain.macro.transforms import output_gap
from domain.market.bronze import Connector
from entrypoints.container import build_container
from entrypoints.settings import Settings

SERIES = "BR_IBC_BR"
HISTORY_START = date(2015, 1, 2)
END = date(2019, 5, 31)


@dataclass(frozen=True)
class Revision:
    observation: date
    first_release: date
    revision_release: date
    first_value: float
    revised_value: float


def _first_revision_in(market: SyntheticMarket, lo: date, hi: date) -> Revision:
    """The first IBC-Br value the market revises with a release in [lo, hi] (found, not chosen by hand)."""
    table = market.path().series[SERIES]
    for i in range(1, table.obs.size):
        if table.obs[i] == table.obs[i - 1] and lo <= table.release[i].item() <= hi:
            return Revision(table.obs[i].item(), table.release[i - 1].item(), table.release[i].item(),
                            float(table.value[i - 1]), float(table.value[i]))
    raise AssertionError(f"no {SERIES} revision released in {lo}..{hi}")


def _gap_as_known_on(market: SyntheticMarket, day: date, *, first_prints_only: bool) -> float:
    """Output gap (% of trend) of the latest month, from the vintages known on ``day`` (or only first prints)."""
    table = market.path().series[SERIES]
    known = pd.DataFrame({"obs": table.obs, "release": table.release, "value": table.value})
    known = known[(known["release"] <= np.datetime64(day)) & (known["obs"] >= np.datetime64(HISTORY_START))]
    known = known.drop_duplicates("obs", keep="first" if first_prints_only else "last")
    levels = pd.Series(known["value"].to_numpy(float), index=pd.DatetimeIndex(known["obs"]))
    return float(output_gap(levels).iloc[-1])


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, SyntheticMarket, Revision]:
    tmp = tmp_path_factory.mktemp("revisions")
    url = f"sqlite:///{tmp / 'revisions.db'}"
    migrations.upgrade(url)
    container = build_container(Settings(database_url=url, data_dir=tmp, history_start=HISTORY_START))
    market = SyntheticMarket()
    revision = _first_revision_in(market, date(2019, 4, 1), END)
    # One fetch as known on END holds both vintages of the revised month: both must be stored.
    container.market_data_ingestion().ingest(Connector.BCB_SGS, HISTORY_START, END)
    container.silver_transforms().compute_macro(date(2019, 1, 1), END)
    yield container, market, revision
    container.shutdown_resources()


def test_bronze_keeps_both_vintages_and_reads_them_point_in_time(stored: tuple[object, SyntheticMarket, Revision]
                                                                ) -> None:
    container, _, rev = stored
    assert rev.first_value != rev.revised_value
    with container.unit_of_work() as uow:  # type: ignore[attr-defined]
        vintages = uow.observations.vintages(SERIES, rev.observation)
        before = uow.observations.as_of([SERIES], rev.observation, rev.observation,
                                        as_of=rev.revision_release - pd.Timedelta(days=1))
        after = uow.observations.as_of([SERIES], rev.observation, rev.observation, as_of=rev.revision_release)
    assert list(vintages["release_date"]) == [rev.first_release, rev.revision_release]
    assert list(vintages["revision"]) == [0, 1]
    assert list(vintages["value"]) == pytest.approx([rev.first_value, rev.revised_value], abs=1e-9)
    assert float(before["value"].iloc[0]) == pytest.approx(rev.first_value, abs=1e-9)
    assert float(after["value"].iloc[0]) == pytest.approx(rev.revised_value, abs=1e-9)


def test_silver_output_gap_is_recomputed_from_the_revised_vintage_on_its_release(
        stored: tuple[object, SyntheticMarket, Revision]) -> None:
    container, market, rev = stored
    with container.unit_of_work() as uow:  # type: ignore[attr-defined]
        features = uow.macro_features.known_between(date(2019, 1, 1), END)
    gap = features[(features["series_id"] == SERIES) & (features["feature"] == "output_gap")]
    on_revision = gap[gap["known_from"] == rev.revision_release]
    revised = _gap_as_known_on(market, rev.revision_release, first_prints_only=False)
    unrevised = _gap_as_known_on(market, rev.revision_release, first_prints_only=True)
    assert len(on_revision) == 1
    assert float(on_revision["value"].iloc[0]) == pytest.approx(revised, abs=1e-9)
    assert abs(revised - unrevised) > 1e-6


def test_the_monetary_agent_sees_the_revision_from_its_release_date_only(
        stored: tuple[object, SyntheticMarket, Revision]) -> None:
    container, market, rev = stored
    panel = PanelBuilder(container.unit_of_work, history_start=HISTORY_START).build(END)  # type: ignore[attr-defined]
    day = pd.Timestamp(rev.revision_release)
    revised = _gap_as_known_on(market, rev.revision_release, first_prints_only=False)
    unrevised = _gap_as_known_on(market, rev.revision_release, first_prints_only=True)
    assert panel.loc[day, fields.ACTIVITY_GAP] == pytest.approx(revised / 100, abs=1e-12)
    # The counterfactual desk that never received the revision: first-print gap from the revision day on.
    counterfactual = panel.copy()
    counterfactual.loc[day:, fields.ACTIVITY_GAP] = unrevised / 100
    seen = monetary.run(panel).diagnostics["taylor_rate"]
    unseen = monetary.run(counterfactual).diagnostics["taylor_rate"]
    before = seen.index < day
    pd.testing.assert_series_equal(seen[before], unseen[before])
    assert seen[day] - unseen[day] == pytest.approx(TaylorRule().gap_weight * (revised - unrevised) / 100, abs=1e-12)
