"""Evaluation of the rules over a metrics snapshot: one alert instance per (rule, subject) that fires."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.alerts.rules import AlertRule, RuleId
from domain.alerts.snapshot import BOOK, MetricsSnapshot
from domain.alerts.staleness import data_age, scheduled_run_at

SIGNAL_WINDOW = timedelta(hours=24)
_ERROR_CHARS = 200


def comparison_text(value: float, threshold: float | None, decimals: int = 1) -> tuple[str, str]:
    """``value`` and ``threshold`` as text with the decimals that make the comparison readable.

    Starting from ``decimals``, more are added (up to 6) until each non-zero number shows two significant
    digits and two different numbers print differently: 0.0552 against 0.01 reads "0.055" and "0.010", not
    "0.1" and "0.0"; 3.04 against 3.0 reads "3.04" and "3.00".

    Parameters
    ----------
    value, threshold : float
        The observed value and the rule's threshold, in the rule's unit (a threshold of None prints "n/a").
    decimals : int
        The fewest decimals to show.

    Returns
    -------
    tuple of str
        (value, threshold) formatted with the same number of decimals.
    """
    numbers = [x for x in (value, threshold) if x is not None]
    d = decimals
    while d < 6 and (any(x != 0 and abs(round(x, d)) < 10.0 ** (1 - d) for x in numbers)
                     or (threshold is not None and value != threshold
                         and f"{value:.{d}f}" == f"{threshold:.{d}f}")):
        d += 1
    return f"{value:.{d}f}", "n/a" if threshold is None else f"{threshold:.{d}f}"


@dataclass(frozen=True, slots=True)
class AlertInstance:
    """A rule firing for one subject: the observed value, the threshold (both in the rule's unit), one line."""

    rule_id: RuleId
    subject: str
    value: float | None
    threshold: float | None
    message: str

    @property
    def key(self) -> tuple[RuleId, str]:
        """The identity of an alert: rule and subject."""
        return self.rule_id, self.subject


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600.0


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= _ERROR_CHARS else text[: _ERROR_CHARS - 1] + "…"


def _staleness(rule: AlertRule, subjects: Iterable[tuple[str, date | None, str]], now: datetime,
               noun: str) -> list[AlertInstance]:
    out = []
    for subject, session, extra in subjects:
        if session is None:
            out.append(AlertInstance(rule.id, subject, None, rule.threshold,
                                     f"{subject}: no successful {noun} recorded{extra}"))
            continue
        if scheduled_run_at(session) > now:
            continue  # data for a session whose run has not happened yet cannot be stale
        age = _hours(data_age(session, now))
        if rule.fires(age):
            out.append(AlertInstance(rule.id, subject, round(age, 2), rule.threshold,
                                     f"{subject}: {noun} for {session.isoformat()} is {age:.1f} h old "
                                     f"{rule.comparison} {rule.threshold:g} h{extra}"))
    return out


def _stale_data(rule: AlertRule, snap: MetricsSnapshot) -> list[AlertInstance]:
    rows = []
    for c in snap.connectors:
        extra = f" (latest observation {c.latest_data_date.isoformat()})" if c.latest_data_date else ""
        if c.last_error:
            extra += f"; last error: {_short(c.last_error)}"
        rows.append((c.connector, c.last_success_session, extra))
    return _staleness(rule, rows, snap.as_of, "data")


def _agent_stale(rule: AlertRule, snap: MetricsSnapshot) -> list[AlertInstance]:
    return _staleness(rule, [(a.agent, a.latest_session, "") for a in snap.agents], snap.as_of, "output")


def _var(confidence: float) -> Callable[[AlertRule, MetricsSnapshot], list[AlertInstance]]:
    label = f"VaR{round(confidence * 100)}"

    def rule_fn(rule: AlertRule, snap: MetricsSnapshot) -> list[AlertInstance]:
        levels = [v for v in snap.var if abs(v.confidence - confidence) < 1e-9]
        if not levels:
            return []
        level = max(levels, key=lambda v: v.session)
        if not rule.fires(level.var_pct_nav):
            return []
        shown, limit = comparison_text(level.var_pct_nav, rule.threshold)
        return [AlertInstance(rule.id, BOOK, round(level.var_pct_nav, 4), rule.threshold,
                              f"{label} {shown}% of NAV {rule.comparison} {limit}%")]
    return rule_fn


def _drawdown(rule: AlertRule, snap: MetricsSnapshot) -> list[AlertInstance]:
    level = snap.drawdown
    if level is None or not rule.fires(level.drawdown_pct):
        return []
    shown, limit = comparison_text(level.drawdown_pct, rule.threshold)
    return [AlertInstance(rule.id, BOOK, round(level.drawdown_pct, 4), rule.threshold,
                          f"drawdown {shown}% from peak {rule.comparison} {limit}% "
                          f"(NAV {level.nav:,.0f} vs peak {level.peak_nav:,.0f} on {level.session.isoformat()})")]


def _limit_breach(rule: AlertRule, snap: MetricsSnapshot) -> list[AlertInstance]:
    out = []
    for lim in snap.limits:
        if rule.fires(lim.utilisation_pct):
            on = f" on {lim.subject}" if lim.subject else ""
            used, limit = comparison_text(lim.utilisation_pct, rule.threshold, decimals=0)
            out.append(AlertInstance(rule.id, lim.limit_name, round(lim.utilisation_pct, 2), rule.threshold,
                                     f"{lim.limit_name}{on}: utilisation {used}% "
                                     f"{rule.comparison} {limit}% (value {lim.value:.4g} vs limit "
                                     f"{lim.threshold:.4g}, {lim.session.isoformat()})"))
    return out


def _side(x: float) -> str:
    return "long" if x > 0 else "short" if x < 0 else "flat"


def _signal_flip(rule: AlertRule, snap: MetricsSnapshot) -> list[AlertInstance]:
    flips = sorted((c for c in snap.signal_changes if c.kind == "flip"), key=lambda c: (c.generic, c.session))
    count = len(flips)
    if count == 0 or not rule.fires(float(count)):
        return []
    return [AlertInstance(rule.id, c.generic, float(count), rule.threshold,
                          f"{c.generic} flipped {_side(c.previous)} -> {_side(c.value)} ({c.previous:+.2f} -> "
                          f"{c.value:+.2f}) on {c.session.isoformat()}; {count} flip(s) in 24 h "
                          f"{rule.comparison} {rule.threshold:g}")
            for c in flips]


def _conviction_surge(rule: AlertRule, snap: MetricsSnapshot) -> list[AlertInstance]:
    out = []
    for c in sorted((c for c in snap.signal_changes if c.kind == "conviction_surge"),
                    key=lambda c: (c.generic, c.session)):
        change = c.value - c.previous
        if rule.fires(abs(change)):
            out.append(AlertInstance(rule.id, c.generic, round(abs(change), 4), rule.threshold,
                                     f"{c.generic} conviction {change:+.2f} ({c.previous:+.2f} -> {c.value:+.2f}) "
                                     f"on {c.session.isoformat()} {rule.comparison} {rule.threshold:g}"))
    return out


def _pipeline_failure(rule: AlertRule, snap: MetricsSnapshot) -> list[AlertInstance]:
    return [AlertInstance(rule.id, f.asset, 1.0, None,
                          f"{f.asset} failed for {f.session.isoformat()} in run {f.run_id}: {_short(f.error)}")
            for f in sorted(snap.failed_assets, key=lambda f: f.asset)]


EVALUATORS: dict[RuleId, Callable[[AlertRule, MetricsSnapshot], list[AlertInstance]]] = {
    RuleId.STALE_DATA: _stale_data,
    RuleId.VAR_BREACH: _var(0.95),
    RuleId.VAR_CRITICAL: _var(0.99),
    RuleId.DRAWDOWN_WARNING: _drawdown,
    RuleId.DRAWDOWN_CRITICAL: _drawdown,
    RuleId.LIMIT_BREACH: _limit_breach,
    RuleId.SIGNAL_FLIP: _signal_flip,
    RuleId.CONVICTION_SURGE: _conviction_surge,
    RuleId.PIPELINE_FAILURE: _pipeline_failure,
    RuleId.AGENT_STALE: _agent_stale,
}


def evaluate(rules: Sequence[AlertRule], snapshot: MetricsSnapshot) -> list[AlertInstance]:
    """Every alert instance of the enabled ``rules`` on ``snapshot``.

    Parameters
    ----------
    rules : sequence of AlertRule
        Current configuration; disabled rules produce nothing.
    snapshot : MetricsSnapshot

    Returns
    -------
    list of AlertInstance
        At most one per (rule, subject), in rule order then subject order.
    """
    out: list[AlertInstance] = []
    for rule in rules:
        if rule.enabled:
            out.extend(EVALUATORS[rule.id](rule, snapshot))
    return out


def in_signal_window(session: date, now: datetime) -> bool:
    """Whether monitor events of ``session`` count as 'the last 24 h' at ``now``.

    They do when the run that computed them (:func:`scheduled_run_at`) has happened and lies within
    24 hours of open market before ``now`` (so Friday's flips still count on Monday morning).
    """
    run = scheduled_run_at(session)
    return run <= now and data_age(session, now) <= SIGNAL_WINDOW
