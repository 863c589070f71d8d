"""The dashboards and their provisioning, checked without a Grafana server."""

import re
from typing import Any

import pytest
import yaml

from tests.grafana_sql import DASHBOARDS, DATASOURCES, ROOT, load_dashboards, panels

BOARDS = load_dashboards()
PROVIDER = ROOT / "grafana" / "provisioning" / "dashboards" / "macrodesk.yaml"
COMPOSE = ROOT / "docker-compose.yml"


def _datasources() -> dict[str, dict[str, Any]]:
    return {d["uid"]: d for d in yaml.safe_load(DATASOURCES.read_text())["datasources"]}


def _references(node: Any) -> list[dict[str, Any]]:
    """Every datasource reference anywhere in a dashboard (panels, targets, variables, annotations)."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "datasource" and isinstance(value, dict):
                found.append(value)
            else:
                found.extend(_references(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_references(item))
    return found


def test_there_are_five_dashboards_one_file_each_with_stable_short_unique_uids() -> None:
    assert set(BOARDS) == {"pipeline-health", "signal-overview", "risk", "portfolio", "metrics"}
    uids = [b["uid"] for b in BOARDS.values()]
    assert len(set(uids)) == len(uids)
    assert all(len(uid) <= 40 and re.fullmatch(r"[a-z0-9-]+", uid) for uid in uids)
    assert all(f"macrodesk-{name}" == board["uid"] for name, board in BOARDS.items())


@pytest.mark.parametrize("name", sorted(BOARDS))
def test_every_dashboard_refreshes_every_15_minutes_over_a_default_time_range(name: str) -> None:
    board = BOARDS[name]
    assert board["refresh"] == "15m"
    assert board["time"]["to"] == "now" and re.fullmatch(r"now-\d+[hdwMy]", board["time"]["from"])
    assert "15m" in board["timepicker"]["refresh_intervals"]


@pytest.mark.parametrize("name", sorted(BOARDS))
def test_panel_ids_are_unique_and_grid_positions_fit_the_24_columns_without_overlap(name: str) -> None:
    all_panels = list(panels(BOARDS[name]))
    ids = [p["id"] for p in all_panels]
    assert len(set(ids)) == len(ids)
    cells: set[tuple[int, int]] = set()
    for panel in all_panels:
        pos = panel["gridPos"]
        assert pos["x"] >= 0 and pos["w"] > 0 and pos["h"] > 0 and pos["x"] + pos["w"] <= 24, panel["title"]
        mine = {(x, y) for x in range(pos["x"], pos["x"] + pos["w"]) for y in range(pos["y"], pos["y"] + pos["h"])}
        assert not cells & mine, f"{panel['title']} overlaps another panel"
        cells |= mine


@pytest.mark.parametrize("name", sorted(BOARDS))
def test_every_datasource_reference_is_a_provisioned_uid_of_the_right_type(name: str) -> None:
    provisioned = _datasources()
    references = [r for r in _references(BOARDS[name]) if r.get("uid") != "-- Grafana --"]
    assert references
    for reference in references:
        assert reference["uid"] in provisioned, reference
        assert reference["type"] == provisioned[reference["uid"]]["type"], reference


def test_the_datasources_are_provisioned_with_fixed_uids_and_credentials_from_the_environment() -> None:
    provisioned = _datasources()
    assert provisioned["macrodesk-pg"]["type"] == "grafana-postgresql-datasource"
    assert provisioned["macrodesk-pg"]["secureJsonData"]["password"] == "$MACRODESK_PG_PASSWORD"
    assert provisioned["macrodesk-pg"]["user"] == "$MACRODESK_PG_USER"
    assert provisioned["macrodesk-prom"]["type"] == "prometheus"
    grafana_env = yaml.safe_load(COMPOSE.read_text())["services"]["grafana"]["environment"]
    assert {"MACRODESK_PG_USER", "MACRODESK_PG_PASSWORD"} <= set(grafana_env)


def test_the_file_provider_loads_the_dashboards_folder_into_a_grafana_folder() -> None:
    (provider,) = yaml.safe_load(PROVIDER.read_text())["providers"]
    assert provider["type"] == "file" and provider["folder"] == "macrodesk"
    compose = yaml.safe_load(COMPOSE.read_text())
    volumes = compose["services"]["grafana"]["volumes"]
    assert f"./grafana/dashboards:{provider['options']['path']}:ro" in volumes
    assert DASHBOARDS.is_dir()


GAUGES = [(n, p) for n, b in BOARDS.items() for p in panels(b) if p["type"] == "gauge"]


@pytest.mark.parametrize(("name", "panel"), GAUGES, ids=[p["title"] for _, p in GAUGES])
def test_gauges_have_a_minimum_and_take_their_limit_step_and_maximum_from_the_data(name: str, panel: Any) -> None:
    defaults = panel["fieldConfig"]["defaults"]
    assert defaults["min"] == 0 and defaults["unit"] == "percentunit"
    assert defaults["thresholds"]["steps"][0] == {"color": "green", "value": None}
    (config,) = [t["options"] for t in panel["transformations"] if t["id"] == "configFromData"]
    assert {m["handlerKey"] for m in config["mappings"]} == {"threshold1", "max"}
    assert config["configRefId"] in {t["refId"] for t in panel["targets"]}


def test_the_risk_and_portfolio_panels_use_percent_and_brl_units() -> None:
    units: set[str] = set()
    for name in ("risk", "portfolio"):
        for panel in panels(BOARDS[name]):
            config = panel.get("fieldConfig", {})
            units.add(config.get("defaults", {}).get("unit", ""))
            for override in config.get("overrides", []):
                units |= {p["value"] for p in override["properties"] if p["id"] == "unit"}
    assert {"percentunit", "currencyBRL"} <= units


@pytest.mark.parametrize("name", sorted(BOARDS))
def test_every_panel_but_rows_has_a_unit_and_a_description(name: str) -> None:
    for panel in panels(BOARDS[name]):
        if panel["type"] == "row":
            continue
        assert panel.get("description"), panel["title"]
        assert "unit" in panel["fieldConfig"]["defaults"] or panel["type"] == "table", panel["title"]


def test_the_signal_matrix_is_a_true_matrix_on_a_diverging_scale_centred_on_zero() -> None:
    (panel,) = [p for p in panels(BOARDS["signal-overview"]) if p["title"].startswith("Signal matrix")]
    (matrix,) = [t["options"] for t in panel["transformations"] if t["id"] == "groupingToMatrix"]
    assert (matrix["rowField"], matrix["columnField"], matrix["valueField"]) == ("asset_class", "strategy", "signal")
    defaults = panel["fieldConfig"]["defaults"]
    assert (defaults["min"], defaults["max"]) == (-1, 1)
    assert defaults["color"]["mode"] == "continuous-RdYlGr"
    assert defaults["custom"]["cellOptions"]["type"] == "color-background"
