"""What Grafana does to a PostgreSQL panel query before the database sees it, so tests can run the same SQL.

Order, as in Grafana 11: the frontend replaces template variables (``$name``, ``${name}``, ``[[name]]``; a
single-valued variable's text is inserted with quotes doubled, multi-valued ones as a comma-separated list
of quoted literals); the backend then replaces the global SQL macros (``$__interval_ms``, ``$__interval``,
``$__unixEpochFrom()``, ``$__unixEpochTo()``) and finally the PostgreSQL macros of
pkg/tsdb/grafana-postgresql-datasource/macros.go (``$__timeFilter``, ``$__timeFrom``, ``$__timeTo``,
``$__timeGroup``, ``$__timeGroupAlias``, ``$__unixEpochFilter``, ...). Unknown macros are errors, as in Grafana.
"""

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DASHBOARDS = ROOT / "grafana" / "dashboards"
DATASOURCES = ROOT / "grafana" / "provisioning" / "datasources" / "macrodesk.yaml"

_MACRO = re.compile(r"\$([_a-zA-Z0-9]+)\(([^\)]*)\)")
_VARIABLE = re.compile(r"\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^\}]+))?\}")
_INTERVAL = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$")
_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class MacroError(ValueError):
    """A macro Grafana would refuse (unknown name, missing argument, bad interval)."""


def rfc3339nano(moment: datetime) -> str:
    """Go's time.RFC3339Nano in UTC: trailing zeros of the fraction dropped, 'Z' suffix."""
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += "." + f"{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


def go_float(value: float) -> str:
    """Go's ``%v`` of a float64 (strconv 'g', shortest): exponent form when the exponent is < -4 or >= 6."""
    if value == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(float(value))).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    decimal_exponent = len(text) - 1 + exponent
    prefix = "-" if sign else ""
    if decimal_exponent < -4 or decimal_exponent >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{decimal_exponent:+03d}"
    return prefix + format(Decimal(repr(abs(float(value)))).normalize(), "f")


def parse_interval(text: str) -> timedelta:
    """Grafana's gtime.ParseInterval for fixed-length units (ms, s, m, h, d, w)."""
    match = _INTERVAL.match(text.strip().strip("'"))
    if not match:
        raise MacroError(f"error parsing interval {text}")
    return timedelta(seconds=float(match.group(1)) * _SECONDS[match.group(2)])


def format_interval(interval: timedelta) -> str:
    """Grafana's gtime.FormatInterval (largest whole unit)."""
    ms = int(interval.total_seconds() * 1000)
    for unit, size in (("y", 31536000000), ("d", 86400000), ("h", 3600000), ("m", 60000), ("s", 1000)):
        if ms >= size and (unit != "y" or ms // size > 0):
            return f"{ms // size}{unit}"
    return f"{ms}ms"


def _evaluate(name: str, args: list[str], start: datetime, end: datetime) -> str:
    if name in ("__time", "__timeEpoch", "__timeFilter", "__unixEpochFilter", "__unixEpochNanoFilter") \
            and (not args or args[0] == ""):
        raise MacroError(f"missing time column argument for macro {name}")
    if name == "__time":
        return f'{args[0]} AS "time"'
    if name == "__timeEpoch":
        return f'extract(epoch from {args[0]}) as "time"'
    if name == "__timeFilter":
        return f"{args[0]} BETWEEN '{rfc3339nano(start)}' AND '{rfc3339nano(end)}'"
    if name == "__timeFrom":
        return f"'{rfc3339nano(start)}'"
    if name == "__timeTo":
        return f"'{rfc3339nano(end)}'"
    if name in ("__timeGroup", "__unixEpochGroup"):
        if len(args) < 2:
            raise MacroError(f"macro {name} needs time column and interval and optional fill value")
        seconds = go_float(parse_interval(args[1]).total_seconds())
        if name == "__unixEpochGroup":
            return f"floor(({args[0]})/{seconds})*{seconds}"
        return f"floor(extract(epoch from {args[0]})/{seconds})*{seconds}"
    if name == "__timeGroupAlias":
        return _evaluate("__timeGroup", args, start, end) + ' AS "time"'
    if name == "__unixEpochGroupAlias":
        return _evaluate("__unixEpochGroup", args, start, end) + ' AS "time"'
    if name == "__unixEpochFilter":
        return f"{args[0]} >= {math.floor(start.timestamp())} AND {args[0]} <= {math.floor(end.timestamp())}"
    if name == "__unixEpochNanoFilter":
        return f"{args[0]} >= {_nanos(start)} AND {args[0]} <= {_nanos(end)}"
    if name == "__unixEpochNanoFrom":
        return str(_nanos(start))
    if name == "__unixEpochNanoTo":
        return str(_nanos(end))
    raise MacroError(f'unknown macro "{name}"')


def _nanos(moment: datetime) -> int:
    delta = moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86400 + delta.seconds) * 10**9 + delta.microseconds * 1000


def expand_macros(sql: str, start: datetime, end: datetime, *, interval: timedelta = timedelta(days=1)) -> str:
    """The SQL Grafana's PostgreSQL backend sends for a time range [start, end] (timescaledb off)."""
    sql = sql.replace("$__interval_ms", str(int(interval.total_seconds() * 1000)))
    sql = sql.replace("$__interval", format_interval(interval))
    sql = sql.replace("$__unixEpochFrom()", str(int(start.timestamp())))
    sql = sql.replace("$__unixEpochTo()", str(int(end.timestamp())))
    original = sql

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        # Grafana < 5.3 compatibility: "$__timeGroup(...)," (a comma right after) means the alias form.
        if name == "__timeGroup":
            index = original.find(match.group(0))
            if index >= 0 and original[index + len(match.group(0)):index + len(match.group(0)) + 1] == ",":
                name = "__timeGroupAlias"
        args = [a.strip(" ") for a in match.group(2).split(",")]
        return _evaluate(name, args, start, end)

    return _MACRO.sub(replace, sql)


def _sql_string(value: Any, *, multi: bool) -> str:
    if isinstance(value, list):
        return ",".join("'" + str(v).replace("'", "''") + "'" for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if multi:
        return "'" + str(value).replace("'", "''") + "'"
    return str(value).replace("'", "''")


def interpolate_variables(sql: str, values: Mapping[str, Any], multi: Mapping[str, bool] | None = None) -> str:
    """Grafana's templateSrv.replace with the SQL datasources' interpolateVariable; unknown names stay as they are."""
    multi = multi or {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2) or match.group(4)
        if name not in values:
            return match.group(0)
        return _sql_string(values[name], multi=multi.get(name, False))

    return _VARIABLE.sub(replace, sql)


@dataclass(frozen=True)
class Target:
    """One SQL query of a dashboard: a panel target, a template variable or an annotation."""

    dashboard: str
    kind: str  # "panel" | "variable" | "annotation"
    title: str
    ref_id: str
    sql: str
    fmt: str
    panel: Mapping[str, Any]

    @property
    def test_id(self) -> str:
        return f"{self.dashboard}:{self.kind}:{self.title}:{self.ref_id}"


def load_dashboards() -> dict[str, dict[str, Any]]:
    """Every dashboard JSON by file stem."""
    return {p.stem: json.loads(p.read_text()) for p in sorted(DASHBOARDS.glob("*.json"))}


def panels(dashboard: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every panel, rows' nested panels included (rows themselves too)."""
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


def sql_targets(dashboards: Mapping[str, Mapping[str, Any]], datasource_uid: str) -> list[Target]:
    """Every SQL query on ``datasource_uid``: template variables first, then panel targets and annotations."""
    found: list[Target] = []
    for name, board in dashboards.items():
        for variable in board.get("templating", {}).get("list", []):
            if variable.get("type") == "query" and variable.get("datasource", {}).get("uid") == datasource_uid:
                query = variable["query"]
                sql = query if isinstance(query, str) else query.get("rawSql", "")
                found.append(Target(name, "variable", variable["name"], "var", sql, "table", variable))
        for panel in panels(board):
            for target in panel.get("targets", []):
                uid = (target.get("datasource") or panel.get("datasource") or {}).get("uid")
                if uid == datasource_uid and target.get("rawSql"):
                    found.append(Target(name, "panel", panel["title"], target["refId"], target["rawSql"],
                                        target.get("format", "time_series"), panel))
        for annotation in board.get("annotations", {}).get("list", []):
            if annotation.get("datasource", {}).get("uid") == datasource_uid:
                target = annotation["target"]
                found.append(Target(name, "annotation", annotation["name"], target.get("refId", "Anno"),
                                    target["rawSql"], "table", annotation))
    return found


def variable_names(dashboard: Mapping[str, Any]) -> Sequence[str]:
    """Names of a dashboard's template variables."""
    return [v["name"] for v in dashboard.get("templating", {}).get("list", [])]


def finite(value: Any) -> bool:
    """A number that is not NaN or infinite (None is not finite)."""
    return isinstance(value, int | float) and math.isfinite(float(value))
