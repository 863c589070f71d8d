"""The latest stored figures the alert rules read, each with one indexed query."""

from datetime import date

from sqlalchemy import Connection, and_, func, select

from adapters.storage.tables import (
    AgentReportRow,
    AssetRunRow,
    BookNavRow,
    ConnectorRunRow,
    LimitStatusRow,
    RiskMetricRow,
    SignalEventRow,
)
from domain.alerts.snapshot import (
    ConnectorFreshness,
    DrawdownLevel,
    FailedAsset,
    LimitUtilisation,
    SignalChange,
    VarLevel,
)

_K = ConnectorRunRow.__table__
_AG = AgentReportRow.__table__
_RM = RiskMetricRow.__table__
_NAV = BookNavRow.__table__
_L = LimitStatusRow.__table__
_EV = SignalEventRow.__table__
_AR = AssetRunRow.__table__
_SIGNAL_KINDS = ("flip", "conviction_surge")


class SqlAlchemyAlertMetricsRepository:
    """Reads ``connector_runs``, ``agent_reports``, ``risk_metrics``, ``book_nav``, ``limit_status``,
    ``signal_events`` and ``asset_runs`` for the alert snapshot."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def connector_freshness(self) -> list[ConnectorFreshness]:
        """Latest successful partition per connector, and the error of its latest run when that one failed."""
        success = select(_K.c.connector, func.max(_K.c.partition_date).label("day")) \
            .where(_K.c.status == "success").group_by(_K.c.connector).subquery()
        latest = select(_K.c.connector, func.max(_K.c.partition_date).label("day")).group_by(_K.c.connector).subquery()
        ok_rows = {r.connector: r for r in self._connection.execute(
            select(_K.c.connector, _K.c.partition_date, _K.c.latest_data_date)
            .join(success, and_(_K.c.connector == success.c.connector, _K.c.partition_date == success.c.day)))}
        last_rows = {r.connector: r for r in self._connection.execute(
            select(_K.c.connector, _K.c.status, _K.c.error)
            .join(latest, and_(_K.c.connector == latest.c.connector, _K.c.partition_date == latest.c.day)))}
        out = []
        for connector in sorted(set(ok_rows) | set(last_rows)):
            ok, last = ok_rows.get(connector), last_rows.get(connector)
            error = last.error if last is not None and last.status != "success" else None
            out.append(ConnectorFreshness(connector, ok.partition_date if ok else None,
                                          ok.latest_data_date if ok else None, error))
        return out

    def agent_freshness(self) -> dict[str, date]:
        """Session of each agent's latest stored report."""
        stmt = select(_AG.c.agent, func.max(_AG.c.date)).group_by(_AG.c.agent)
        return {agent: day for agent, day in self._connection.execute(stmt)}

    def latest_var(self) -> list[VarLevel]:
        """1-day historical VaR of the latest risk session, both confidences, in percent of NAV."""
        latest = select(func.max(_RM.c.date)).scalar_subquery()
        stmt = select(_RM).where(_RM.c.date == latest, _RM.c.method == "historical", _RM.c.horizon_days == 1)
        return [VarLevel(r.date, float(r.confidence), 100.0 * float(r.var_pct_nav), float(r.var_brl))
                for r in self._connection.execute(stmt)]

    def latest_drawdown(self) -> DrawdownLevel | None:
        """The book's drawdown on its latest session (percent below the peak, positive)."""
        r = self._connection.execute(select(_NAV).order_by(_NAV.c.date.desc()).limit(1)).first()
        if r is None:
            return None
        return DrawdownLevel(r.date, -100.0 * float(r.drawdown), float(r.nav), float(r.peak_nav))

    def latest_limits(self) -> list[LimitUtilisation]:
        """Every limit's utilisation on the latest session, in percent."""
        latest = select(func.max(_L.c.date)).scalar_subquery()
        stmt = select(_L).where(_L.c.date == latest).order_by(_L.c.limit_name)
        return [LimitUtilisation(r.date, r.limit_name, r.subject, float(r.value), float(r.threshold),
                                 100.0 * float(r.utilisation)) for r in self._connection.execute(stmt)]

    def signal_changes(self, since: date) -> list[SignalChange]:
        """Flip and conviction-surge events of sessions on or after ``since``."""
        stmt = select(_EV).where(_EV.c.date >= since, _EV.c.kind.in_(_SIGNAL_KINDS)) \
            .order_by(_EV.c.date, _EV.c.subject)
        # The monitor stores both values for flips and surges; a row without them cannot be judged.
        return [SignalChange(r.date, r.kind, r.subject, float(r.previous), float(r.value))
                for r in self._connection.execute(stmt) if r.previous is not None and r.value is not None]

    def latest_run_failures(self) -> tuple[str | None, list[FailedAsset]]:
        """The run with the latest finish and its failed assets."""
        run_id = self._connection.execute(
            select(_AR.c.run_id).where(_AR.c.finished_at.is_not(None))
            .order_by(_AR.c.finished_at.desc()).limit(1)).scalar_one_or_none()
        if run_id is None:
            return None, []
        rows = self._connection.execute(select(_AR).where(_AR.c.run_id == run_id, _AR.c.status == "failed")
                                        .order_by(_AR.c.asset))
        return run_id, [FailedAsset(run_id, r.asset, r.partition_end, r.error or "no error text recorded")
                        for r in rows]
