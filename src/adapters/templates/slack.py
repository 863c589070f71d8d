"""The condensed Slack summary of a report: Block Kit built with slack-sdk's models (validated on build).

Slack's limits hold by construction: at most 50 blocks, 150 characters in a header, 3,000 in a section
text and 10 fields per section (slack-sdk raises otherwise). Every piece of report text goes through
:func:`escape` (``&``, ``<``, ``>``), so no stored string can form a Slack link or mention.
"""

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from adapters.templates import view
from adapters.templates.formats import num, signed
from application.messages import SlackContent
from domain.reporting import DailyReport

TOP_TRADES = 5
SECTION_TEXT = 3000


def escape(text: str) -> str:
    """Slack's control characters escaped (https://api.slack.com/reference/surfaces/formatting#escaping)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _field(label: str, value: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=f"*{escape(label)}*\n{escape(value)}")


def _clip(text: str, limit: int = SECTION_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def slack_summary(report: DailyReport, report_url: str) -> SlackContent:
    """Header, key figures as fields, commentary of the book, top trades, limit breaches and a link."""
    h = view.headline(report)
    var95 = f"{num(h.var95.value, '%')}% (limit {num(h.var95_limit, '%')}%)" if h.var95 else "n/a"
    var99 = f"{num(h.var99.value, '%')}% (limit {num(h.var99_limit, '%')}%)" if h.var99 else "n/a"
    fields = [
        _field("NAV", f"{num(h.nav.value, 'BRL')} BRL" if h.nav else "n/a"),
        _field("Day P&L", f"{signed(h.pnl.value, 'BRL')} BRL" + (f" ({signed(h.daily_return.value, '%')}%)"
                                                                 if h.daily_return else "") if h.pnl else "n/a"),
        _field("VaR95 1-day (% NAV)", var95),
        _field("VaR99 1-day (% NAV)", var99),
        _field("Drawdown", f"{num(h.drawdown.value, '%')}%" if h.drawdown else "n/a"),
        _field("Regime", h.regime or "n/a"),
        _field("Circuit breaker", h.breaker or "n/a"),
        _field("Limits breached", str(h.limits_breached) if h.limits_breached is not None else "n/a"),
    ]
    trades = view.trades(report)
    trade_lines = [f"\u2022 {escape(sentence)}" + (f" ({num(notional, 'BRL')} BRL)" if notional is not None else "")
                   for sentence, notional in trades[:TOP_TRADES]]
    if len(trades) > TOP_TRADES:
        trade_lines.append(f"\u2026 and {len(trades) - TOP_TRADES} more in the full report")
    breaches = view.breaches(report)
    breach_lines = [f"\u2022 {escape(name)}: {num(value)} {escape(unit)} against {num(limit)} {escape(unit)}"
                    for name, value, limit, unit in breaches]
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=f"macrodesk daily report {h.day}"[:150])),
        SectionBlock(fields=fields),
        SectionBlock(text=MarkdownTextObject(text=_clip(escape(report.section("portfolio").commentary)))),
        DividerBlock(),
        SectionBlock(text=MarkdownTextObject(text=_clip("*Top trades*\n" + ("\n".join(trade_lines)
                                                                              or "No trades this session.")))),
        SectionBlock(text=MarkdownTextObject(text=_clip("*Limit breaches*\n" + ("\n".join(breach_lines)
                                                                                  or "None.")))),
        ActionsBlock(elements=[ButtonElement(text="Open the full report", url=report_url, action_id="open_report")]),
        ContextBlock(elements=[MarkdownTextObject(text=f"Full report: <{report_url}|{escape(report_url)}>")]),
    ]
    dicts: list[dict[str, Any]] = [b.to_dict() for b in blocks]
    nav = f"NAV {num(h.nav.value, 'BRL')} BRL" if h.nav else "NAV n/a"
    pnl = f"day P&L {signed(h.pnl.value, 'BRL')} BRL" if h.pnl else "day P&L n/a"
    text = escape(f"macrodesk daily report {h.day}: {nav}, {pnl}, VaR99 {var99}. Full report: ") + report_url
    return SlackContent(text=text, blocks=tuple(dicts))
