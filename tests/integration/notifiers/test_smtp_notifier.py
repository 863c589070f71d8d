"""The SMTP notifier against a real aiosmtpd server on loopback: MIME structure, security modes, faults."""

import asyncio
from pathlib import Path

import pytest
from pydantic import SecretStr

from adapters.notifiers.smtp import SmtpEmailNotifier
from application.messages import (
    Channel,
    DeliveryError,
    EmailContent,
    InlineImage,
    MessageKind,
    OutboundMessage,
    SlackContent,
)
from tests.fakes import tiny_png
from tests.smtp_server import SmtpSink, self_signed_tls

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _message(html: str | None = '<p>NAV</p><img src="cid:nav"><img src="cid:var">') -> OutboundMessage:
    images = (InlineImage("nav", tiny_png(), "nav.png"), InlineImage("var", tiny_png(3, 3), "var.png"))
    return OutboundMessage(key="daily_report:2026-11-27", kind=MessageKind.DAILY_REPORT,
                           email=EmailContent(subject="Daily report 2026-11-27 — NAV R$ 100,3 mi",
                                              text="NAV R$ 100.3m", html=html,
                                              inline_images=images if html else ()),
                           slack=SlackContent(text=""))


def _notifier(sink: SmtpSink, **kwargs: object) -> SmtpEmailNotifier:
    options: dict[str, object] = {"host": sink.host, "port": sink.port, "security": "none",
                                  "sender": "macrodesk@desk.example", "recipients": ["pm@desk.example",
                                                                                     "risk@desk.example"]}
    return SmtpEmailNotifier(**(options | kwargs))  # type: ignore[arg-type]


def test_the_email_is_alternative_text_and_related_html_with_every_cid_as_a_png_part(smtp_server: SmtpSink) -> None:
    receipt = _notifier(smtp_server).send(_message())
    [received] = smtp_server.received
    message = received.message
    assert received.recipients == ["pm@desk.example", "risk@desk.example"]
    assert message["Message-ID"] == receipt.provider_message_id and receipt.channel == Channel.EMAIL
    assert message["Subject"] == "Daily report 2026-11-27 — NAV R$ 100,3 mi"
    assert message["X-Macrodesk-Key"] == "daily_report:2026-11-27"
    assert message.get_content_type() == "multipart/alternative"
    plain, related = message.get_payload()  # type: ignore[misc]
    assert plain.get_content_type() == "text/plain" and plain.get_content().strip() == "NAV R$ 100.3m"
    assert related.get_content_type() == "multipart/related"
    html, *images = related.get_payload()
    assert html.get_content_type() == "text/html"
    assert {(i.get_content_type(), i["Content-ID"]) for i in images} == {("image/png", "<nav>"), ("image/png", "<var>")}
    assert {i["Content-ID"].strip("<>"): i.get_content() for i in images} == {"nav": tiny_png(), "var": tiny_png(3, 3)}


def test_a_text_only_email_is_a_single_plain_part(smtp_server: SmtpSink) -> None:
    _notifier(smtp_server).send(_message(html=None))
    message = smtp_server.received[0].message
    assert message.get_content_type() == "text/plain"


def test_escaped_html_stays_escaped_on_the_wire(smtp_server: SmtpSink) -> None:
    _notifier(smtp_server).send(_message(html=f"<p>{ESCAPED}</p>"))
    html = smtp_server.received[0].message.get_body(("html",))
    assert html is not None
    content = html.get_content()
    assert ESCAPED in content and XSS not in content


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # implicit TLS: encrypted anyway
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_starttls_and_implicit_tls_with_login_deliver(security: str, tmp_path: Path) -> None:
    tls = self_signed_tls(tmp_path)
    sink = SmtpSink(security=security, tls=tls, login=("desk", "s3cret"))  # type: ignore[arg-type]
    sink.up()
    try:
        _notifier(sink, security=security, username="desk", password=SecretStr("s3cret"),
                  tls_context=tls.client_context()).send(_message())
        with pytest.raises(DeliveryError) as refused:
            _notifier(sink, security=security, username="desk", password=SecretStr("wrong"),
                      tls_context=tls.client_context()).send(_message())
    finally:
        sink.down()
    assert len(sink.received) == 1
    assert not refused.value.retriable and "535" in refused.value.detail
    assert "wrong" not in str(refused.value)


def test_a_temporary_refusal_and_a_server_down_are_retriable(smtp_server: SmtpSink) -> None:
    notifier = _notifier(smtp_server)
    smtp_server.refuse(451, "4.3.0 try again later")
    with pytest.raises(DeliveryError) as refused:
        notifier.send(_message())
    smtp_server.down()
    with pytest.raises(DeliveryError) as down:
        notifier.send(_message())
    assert (refused.value.retriable, refused.value.detail) == (True, "SMTP 451 4.3.0 try again later")
    assert down.value.retriable and "Connect" in down.value.detail
    assert smtp_server.received == []


def test_a_permanent_rejection_and_no_recipients_are_not_retriable(smtp_server: SmtpSink) -> None:
    smtp_server.refuse(554, "5.7.1 message rejected")
    with pytest.raises(DeliveryError) as rejected:
        _notifier(smtp_server).send(_message())
    with pytest.raises(DeliveryError) as nobody:
        _notifier(smtp_server, recipients=[]).send(_message())
    assert (rejected.value.retriable, rejected.value.detail) == (False, "SMTP 554 5.7.1 message rejected")
    assert not nobody.value.retriable and "MACRODESK_EMAIL_RECIPIENTS" in nobody.value.detail


def test_send_works_from_inside_a_running_event_loop(smtp_server: SmtpSink) -> None:
    async def from_async_code() -> str | None:
        return _notifier(smtp_server).send(_message()).provider_message_id

    message_id = asyncio.run(from_async_code())
    assert smtp_server.received[0].message["Message-ID"] == message_id
