"""The daily report as structured data: seven sections of metrics, tables, commentary and stated gaps.

A report is plain data so that rendering (HTML, charts, Slack blocks) and delivery read it without
recomputing anything. Every number is stored in the unit its ``unit`` field names:

======  =====================================================================
unit    meaning of the value
======  =====================================================================
``%``   percent (13.02 means 13.02%, i.e. a decimal of 0.1302)
``pp``  percentage points (a change of a ``%`` quantity)
``bp``  basis points (12.5 means +0.125%)
``BRL`` Brazilian reais
``x``   a multiple (gross leverage, reverse-stress multiple)
``pts`` index points or a price level in its market quote
``""``  dimensionless (signal scores in [-1, 1], counts, labels)
======  =====================================================================

Serialisation: :meth:`DailyReport.to_dict` / :meth:`DailyReport.from_dict` round-trip exactly through
JSON (:meth:`DailyReport.to_json`); NaN is never stored (a missing value is ``None`` in a table cell and
is named in the section's ``gaps``).
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeAlias, cast

import orjson

SCHEMA_VERSION = 1
"""Version of the JSON layout below; bump it with any change a stored report's reader would notice."""

SECTION_TITLES: dict[str, str] = {
    "market_snapshot": "Market Snapshot",
    "regime": "Regime",
    "agent_views": "Agent Views",
    "signals": "Signals",
    "portfolio": "Portfolio",
    "risk": "Risk",
    "actions": "Actions",
}
"""The seven sections, in report order: key -> title."""

Cell: TypeAlias = str | int | float | bool | None
MetricValue: TypeAlias = str | int | float


def _finite(value: object) -> bool:
    return not isinstance(value, float) or math.isfinite(value)


def _check_number(value: object, what: str) -> None:
    if not _finite(value):
        raise ValueError(f"{what} must be finite, got {value}")


_PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None)})


def _check_cell(value: object, what: str) -> None:
    if value is not None and not isinstance(value, str | int | float | bool):
        raise ValueError(f"{what} must be a plain value (str, int, float, bool or None), got {type(value).__name__}")
    _check_number(value, what)


@dataclass(frozen=True, slots=True)
class Metric:
    """A headline number: ``value`` in ``unit`` and its change in ``change_unit`` (None when not measured).

    Raises
    ------
    ValueError
        For an empty label, a non-finite value or change, or a value that is not a plain scalar.
    """

    label: str
    value: MetricValue
    unit: str = ""
    change: float | None = None
    change_unit: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            raise ValueError("metric label must not be empty")
        if isinstance(self.value, bool) or not isinstance(self.value, str | int | float):
            raise ValueError(f"metric {self.label!r}: value must be str, int or float, got {self.value!r}")
        # Messages are written only on failure: a ten-year assembly builds hundreds of thousands of metrics.
        if not _finite(self.value):
            _check_number(self.value, f"metric {self.label!r} value")
        if not _finite(self.change):
            _check_number(self.change, f"metric {self.label!r} change")

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return {"label": self.label, "value": self.value, "unit": self.unit, "change": self.change,
                "change_unit": self.change_unit}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Metric":
        """Inverse of :meth:`to_dict`."""
        return cls(data["label"], data["value"], data["unit"], data["change"], data["change_unit"])


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table of plain values; ``rows`` are tuples as long as ``columns``.

    Raises
    ------
    ValueError
        For an empty title, duplicate or empty column names, a row of the wrong length, a cell that is
        not a plain value, or a non-finite float (missing values are ``None``).
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def __post_init__(self) -> None:
        if not self.title:
            raise ValueError("table title must not be empty")
        if not self.columns or any(not c for c in self.columns) or len(set(self.columns)) != len(self.columns):
            raise ValueError(f"table {self.title!r}: columns must be non-empty and unique, got {self.columns}")
        width = len(self.columns)
        for i, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"table {self.title!r}: row {i} has {len(row)} cells for {width} columns")
            # A report holds thousands of cells: exact plain types and finite floats (x - x is 0.0 only
            # for a finite x) pass at once; any other cell goes through the full check, which names it.
            for cell in cast(tuple[Any, ...], row):
                kind = type(cell)
                if kind not in _PLAIN or (kind is float and cell - cell != 0.0):
                    for column, value in zip(self.columns, row, strict=True):
                        _check_cell(value, f"table {self.title!r} row {i} column {column!r}")
                    break

    def column(self, name: str) -> list[Cell]:
        """The cells of column ``name``, top to bottom."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return {"title": self.title, "columns": list(self.columns), "rows": list(map(list, self.rows))}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Table":
        """Inverse of :meth:`to_dict`."""
        return cls(data["title"], tuple(data["columns"]), tuple(tuple(r) for r in data["rows"]))


@dataclass(frozen=True, slots=True)
class Section:
    """One of the seven sections.

    Attributes
    ----------
    key : str
        One of :data:`SECTION_TITLES`.
    title : str
        Display title.
    commentary : str
        One to three sentences written from the section's numbers.
    metrics, tables : tuple
        Headline numbers and detail tables.
    gaps : tuple of str
        Each input that was missing for the session, stated explicitly (nothing is filled in for it).
    notes : tuple of str
        Standing explanations the reader needs (e.g. the DI1 sign convention).

    Raises
    ------
    ValueError
        For an unknown key, an empty commentary or duplicate table titles.
    """

    key: str
    title: str
    commentary: str
    metrics: tuple[Metric, ...] = ()
    tables: tuple[Table, ...] = ()
    gaps: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.key not in SECTION_TITLES:
            raise ValueError(f"unknown section key {self.key!r}; expected one of {list(SECTION_TITLES)}")
        if not self.commentary.strip():
            raise ValueError(f"section {self.key!r}: commentary must not be empty")
        titles = [t.title for t in self.tables]
        if len(set(titles)) != len(titles):
            raise ValueError(f"section {self.key!r}: duplicate table titles {titles}")

    def table(self, title: str) -> Table:
        """The table titled ``title`` (KeyError if absent)."""
        for table in self.tables:
            if table.title == title:
                return table
        raise KeyError(f"section {self.key!r} has no table {title!r}; it has {[t.title for t in self.tables]}")

    def metric(self, label: str) -> Metric:
        """The metric labelled ``label`` (KeyError if absent)."""
        for metric in self.metrics:
            if metric.label == label:
                return metric
        raise KeyError(f"section {self.key!r} has no metric {label!r}; it has {[m.label for m in self.metrics]}")

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return {"key": self.key, "title": self.title, "commentary": self.commentary,
                "metrics": [m.to_dict() for m in self.metrics], "tables": [t.to_dict() for t in self.tables],
                "gaps": list(self.gaps), "notes": list(self.notes)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Section":
        """Inverse of :meth:`to_dict`."""
        return cls(data["key"], data["title"], data["commentary"],
                   tuple(Metric.from_dict(m) for m in data["metrics"]),
                   tuple(Table.from_dict(t) for t in data["tables"]), tuple(data["gaps"]), tuple(data["notes"]))


@dataclass(frozen=True, slots=True)
class DailyReport:
    """The report of one B3 session: the seven sections in :data:`SECTION_TITLES` order.

    Raises
    ------
    ValueError
        When the sections are not exactly the seven, in order, or ``generated_at`` is naive.
    """

    day: date
    generated_at: datetime
    sections: tuple[Section, ...]

    def __post_init__(self) -> None:
        keys = [s.key for s in self.sections]
        if keys != list(SECTION_TITLES):
            raise ValueError(f"report of {self.day}: sections must be {list(SECTION_TITLES)} in order, got {keys}")
        if self.generated_at.tzinfo is None:
            raise ValueError(f"report of {self.day}: generated_at must be timezone-aware")

    @property
    def schema_version(self) -> int:
        """Layout version written by :meth:`to_dict`."""
        return SCHEMA_VERSION

    def section(self, key: str) -> Section:
        """The section with ``key``."""
        return self.sections[list(SECTION_TITLES).index(key)]

    @property
    def gaps(self) -> list[str]:
        """Every stated gap of every section, in report order."""
        return [gap for s in self.sections for gap in s.gaps]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON: dates as ISO strings."""
        return {"schema_version": SCHEMA_VERSION, "day": self.day.isoformat(),
                "generated_at": self.generated_at.isoformat(), "sections": [s.to_dict() for s in self.sections]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "DailyReport":
        """Inverse of :meth:`to_dict`; rejects another schema version."""
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(f"daily report schema version {version} is not readable "
                             f"(this code reads {SCHEMA_VERSION})")
        return cls(date.fromisoformat(data["day"]), datetime.fromisoformat(data["generated_at"]),
                   tuple(Section.from_dict(s) for s in data["sections"]))

    def to_json(self) -> str:
        """Compact UTF-8 JSON (orjson: a ten-year assembly writes about 120 MB of it, four times faster than
        the standard library). NaN cannot occur: every metric and table cell was checked finite when built."""
        return orjson.dumps(self.to_dict()).decode()

    @classmethod
    def from_json(cls, text: str | bytes) -> "DailyReport":
        """Inverse of :meth:`to_json` (strict: a NaN or Infinity literal is rejected).

        Raises
        ------
        ValueError
            For text that is not JSON (``orjson.JSONDecodeError``), or see :meth:`from_dict`.
        """
        data: dict[str, Any] = orjson.loads(text)
        return cls.from_dict(data)


def new_section(key: str, commentary: str, metrics: Sequence[Metric] = (), tables: Sequence[Table] = (),
                gaps: Sequence[str] = (), notes: Sequence[str] = ()) -> Section:
    """A section titled from :data:`SECTION_TITLES`."""
    return Section(key, SECTION_TITLES[key], commentary, tuple(metrics), tuple(tables), tuple(gaps), tuple(notes))


def assemble_report(day: date, generated_at: datetime, sections: Sequence[Section]) -> DailyReport:
    """The report of ``day`` from its sections, put in report order (each key exactly once)."""
    by_key = {s.key: s for s in sections}
    if len(by_key) != len(sections) or set(by_key) != set(SECTION_TITLES):
        raise ValueError(f"report of {day}: need each of {list(SECTION_TITLES)} once, got {[s.key for s in sections]}")
    return DailyReport(day, generated_at, tuple(by_key[k] for k in SECTION_TITLES))
