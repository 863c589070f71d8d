"""The test harness expands Grafana's PostgreSQL macros exactly as Grafana's own macro tests expect."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.grafana_sql import MacroError, expand_macros, go_float, interpolate_variables

FROM = datetime(2018, 4, 12, 18, 0, tzinfo=UTC)
TO = FROM + timedelta(minutes=5)


@pytest.mark.parametrize(("sql", "expected"), [
    ("select $__time(time_column)", 'select time_column AS "time"'),
    ("WHERE $__timeFilter(time_column)",
     "WHERE time_column BETWEEN '2018-04-12T18:00:00Z' AND '2018-04-12T18:05:00Z'"),
    ("select $__timeFrom()", "select '2018-04-12T18:00:00Z'"),
    ("select $__timeTo()", "select '2018-04-12T18:05:00Z'"),
    ("SELECT $__timeGroup(time_column,'5m'), value",
     'SELECT floor(extract(epoch from time_column)/300)*300 AS "time", value'),
    ("SELECT $__timeGroup(time_column,'5m') as time, value",
     "SELECT floor(extract(epoch from time_column)/300)*300 as time, value"),
    ("SELECT $__timeGroup(time_column,'5m')", "SELECT floor(extract(epoch from time_column)/300)*300"),
    ("SELECT $__timeGroupAlias(time_column,'5m')",
     'SELECT floor(extract(epoch from time_column)/300)*300 AS "time"'),
    ("$__timeGroup(time_column , '5m')", "floor(extract(epoch from time_column)/300)*300"),
    ("select $__unixEpochFilter(time)", "select time >= 1523556000 AND time <= 1523556300"),
    ("SELECT $__unixEpochGroup(time_column+time_adjustment,'5m')",
     "SELECT floor((time_column+time_adjustment)/300)*300"),
    ("SELECT $__unixEpochFrom(), $__interval_ms", "SELECT 1523556000, 86400000"),
])
def test_macros_expand_to_grafanas_postgres_sql(sql: str, expected: str) -> None:
    assert expand_macros(sql, FROM, TO) == expected


def test_fractional_seconds_are_printed_like_go_rfc3339nano() -> None:
    start = datetime(1960, 2, 1, 7, 0, 0, 500000, tzinfo=UTC)
    end = datetime(1980, 2, 3, 8, 0, 0, 500000, tzinfo=UTC)
    assert expand_macros("$__timeFilter(t)", start, end) == \
        "t BETWEEN '1960-02-01T07:00:00.5Z' AND '1980-02-03T08:00:00.5Z'"


def test_group_intervals_are_printed_like_go_percent_v() -> None:
    assert [go_float(x) for x in (300.0, 86400.0, 604800.0, 1036800.0, 0.02)] == \
        ["300", "86400", "604800", "1.0368e+06", "0.02"]
    assert expand_macros("$__timeGroup(t, '12d')", FROM, TO) == "floor(extract(epoch from t)/1.0368e+06)*1.0368e+06"


def test_an_unknown_macro_or_a_missing_column_is_an_error_as_in_grafana() -> None:
    with pytest.raises(MacroError, match="unknown macro"):
        expand_macros("SELECT $__nope(x)", FROM, TO)
    with pytest.raises(MacroError, match="missing time column"):
        expand_macros("WHERE $__timeFilter()", FROM, TO)


def test_template_variables_are_inserted_as_grafanas_sql_datasources_do() -> None:
    values = {"session": "2024-01-02", "name": "o'neil", "many": ["a", "b'c"]}
    sql = "WHERE d = '$session' AND n = '${name}' AND m IN ($many) AND x = [[session]] AND $__timeFilter(d) $other"
    assert interpolate_variables(sql, values) == \
        "WHERE d = '2024-01-02' AND n = 'o''neil' AND m IN ('a','b''c') AND x = 2024-01-02 AND $__timeFilter(d) $other"
    assert interpolate_variables("IN ($name)", values, {"name": True}) == "IN ('o''neil')"
