"""One domain notification, two encodings: a Slack Block Kit message and an e-mail, built from the same data."""

import html
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from application.messages import EmailContent, MessageKind, OutboundMessage, SlackContent
from domain.alerts.lifecycle import AlertNotification, AlertState, NotificationKind
from domain.alerts.rules import RuleId, Severity
from domain.market.calendar import SAO_PAULO

_EMOJI = {Severity.CRITICAL: ":red_circle:", Severity.WARNING: ":large_orange_circle:",
          Severity.INFO: ":large_blue_circle:"}
_RESOLVED_EMOJI = ":white_check_mark:"
_SECTION_CHARS = 2900  # Slack allows 3,000 per section text
_HEADER_CHARS = 150
# Where a reader goes next: the daily report for book and signal rules, the alert history for the pipeline.
_LINKS = {RuleId.STALE_DATA: "/api/v1/alerts/active", RuleId.PIPELINE_FAILURE: "/api/v1/alerts/active",
          RuleId.AGENT_STALE: "/api/v1/alerts/active"}
_REPORT = "/api/v1/reports/daily/latest"


def _link(rule_id: RuleId, base_url: str) -> str:
    return base_url.rstrip("/") + _LINKS.get(rule_id, _REPORT)


def _when(at: datetime) -> str:
    return f"{at.astimezone(SAO_PAULO):%Y-%m-%d %H:%M} São Paulo ({at.astimezone(ZoneInfo('UTC')):%H:%M} UTC)"


def _label(n: AlertNotification) -> str:
    return "RESOLVED" if n.kind is NotificationKind.RESOLVED else str(n.rule.severity)


def email_subject(n: AlertNotification) -> str:
    """``[macrodesk][CRITICAL] VAR_CRITICAL: VaR99 5.4% of NAV > 5.0%`` (re-notifications say 'still firing')."""
    still = " still firing" if n.kind is NotificationKind.RENOTIFY else ""  # no parentheses: they fold oddly
    return f"[macrodesk][{_label(n)}] {n.rule.id}{still}: {n.headline}"


def _value(s: AlertState, unit: str) -> str:
    if s.value is None:
        return "no value"
    threshold = "none" if s.threshold is None else f"{s.threshold:g}"
    return f"observed {s.value:g} vs threshold {threshold} ({unit})"


def _lines(n: AlertNotification) -> tuple[list[str], list[str]]:
    firing = [f"{'NEW ' if s.subject in n.new else ''}{s.subject}: {s.message} [{_value(s, n.rule.unit)}; "
              f"since {s.since.astimezone(SAO_PAULO):%Y-%m-%d %H:%M}]" for s in n.firing]
    resolved = [f"{s.subject}: resolved at {s.resolved_at.astimezone(SAO_PAULO):%Y-%m-%d %H:%M} "
                f"(was: {s.message})" for s in n.resolved if s.resolved_at is not None]
    return firing, resolved


def _section(text: str) -> Mapping[str, Any]:
    if len(text) > _SECTION_CHARS:
        text = text[: _SECTION_CHARS - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def slack_content(n: AlertNotification, link: str) -> SlackContent:
    """Block Kit: header with severity emoji and rule, the subjects with values, resolutions, time, a link."""
    emoji = _RESOLVED_EMOJI if n.kind is NotificationKind.RESOLVED else _EMOJI[n.rule.severity]
    header = f"[{_label(n)}] {n.rule.id}"
    if n.kind is NotificationKind.RENOTIFY:
        header += " (still firing)"
    firing, resolved = _lines(n)
    blocks: list[Mapping[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": header[:_HEADER_CHARS], "emoji": True}},
        _section(f"{emoji} *{n.headline}*\n_{n.rule.description}_"),
    ]
    if firing:
        blocks.append(_section("*Firing*\n" + "\n".join(f"• {line}" for line in firing)))
    if resolved:
        blocks.append(_section(f"{_RESOLVED_EMOJI} *Resolved*\n" + "\n".join(f"• {line}" for line in resolved)))
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"{_when(n.at)} · key `{n.key}`"}]})
    blocks.append({"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": "Open"}, "url": link}]})
    return SlackContent(text=f"{emoji} {email_subject(n)}", blocks=tuple(blocks))


def email_content(n: AlertNotification, link: str) -> EmailContent:
    """Plain text and a small HTML body with the same lines as the Slack message."""
    firing, resolved = _lines(n)
    text = [email_subject(n), "", n.rule.description, f"Time: {_when(n.at)}", ""]
    if firing:
        text += ["Firing:", *[f"  - {line}" for line in firing], ""]
    if resolved:
        text += ["Resolved:", *[f"  - {line}" for line in resolved], ""]
    text += [f"Open: {link}", f"Key: {n.key}"]
    items = "".join(f"<li>{html.escape(line)}</li>" for line in firing)
    done = "".join(f"<li>{html.escape(line)}</li>" for line in resolved)
    body = (f"<h2>{html.escape(email_subject(n))}</h2><p>{html.escape(n.rule.description)}</p>"
            f"<p>Time: {html.escape(_when(n.at))}</p>"
            + (f"<h3>Firing</h3><ul>{items}</ul>" if items else "")
            + (f"<h3>Resolved</h3><ul>{done}</ul>" if done else "")
            + f'<p><a href="{html.escape(link)}">Open</a></p>')
    return EmailContent(subject=email_subject(n), text="\n".join(text) + "\n", html=body)


def alert_message(n: AlertNotification, *, base_url: str) -> OutboundMessage:
    """The outbound message of one rule notification (idempotency key = the notification key)."""
    link = _link(n.rule.id, base_url)
    return OutboundMessage(key=n.key, kind=MessageKind.ALERT, email=email_content(n, link),
                           slack=slack_content(n, link), link=link)


def probe_message(at: datetime, *, base_url: str, requested_by: str) -> OutboundMessage:
    """A test alert proving both channels work; it changes no alert state."""
    subject = f"[macrodesk][TEST] test alert requested by {requested_by}"
    link = base_url.rstrip("/") + "/api/v1/alerts/rules"
    key = f"alert-test:{at.astimezone(ZoneInfo('UTC')):%Y-%m-%dT%H:%M:%S.%fZ}"
    text = f"{subject}\nTime: {_when(at)}\nIf you read this, alerts reach this channel.\n"
    blocks: tuple[Mapping[str, Any], ...] = (
        {"type": "header", "text": {"type": "plain_text", "text": "[TEST] macrodesk alert", "emoji": True}},
        _section(f":white_check_mark: Test alert requested by *{requested_by}* at {_when(at)}."),
    )
    return OutboundMessage(key=key, kind=MessageKind.TEST, email=EmailContent(subject=subject, text=text),
                           slack=SlackContent(text=subject, blocks=blocks), link=link)
