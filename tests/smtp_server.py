"""A real SMTP server (aiosmtpd) on loopback that keeps what it receives; it can refuse mail or go down.

``smtp_server`` (plain SMTP) is the everyday fixture; :func:`self_signed_tls` and ``SmtpSink(security=...)``
give STARTTLS or implicit TLS with a throw-away certificate for 127.0.0.1 (made by the ``openssl`` CLI).
"""

import email
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any, Literal

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass(frozen=True)
class ReceivedEmail:
    """One message as the server got it: envelope, raw bytes and the parsed message."""

    sender: str
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        """Parsed with the modern ``email`` policy (``get_body``, ``iter_parts``...)."""
        return email.message_from_bytes(self.raw, policy=default_policy)  # type: ignore[return-value]


@dataclass(frozen=True)
class TlsFiles:
    """A self-signed certificate for 127.0.0.1/localhost: the server's context and a client context trusting it."""

    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


def self_signed_tls(folder: Path) -> TlsFiles:
    """Create a one-day certificate for 127.0.0.1 with the ``openssl`` command."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], check=True, capture_output=True)
    return TlsFiles(cert, key)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Handler:
    def __init__(self, sink: "SmtpSink") -> None:
        self._sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd hook name
        return self._sink._receive(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)


class SmtpSink:
    """An aiosmtpd server on 127.0.0.1 collecting messages in ``received``.

    ``refuse(code, text)`` answers DATA with an error (4xx: try later; 5xx: rejected) until ``accept()``;
    ``down()`` stops listening (connections are refused) and ``up()`` listens again on the same port.
    With ``login`` set, AUTH LOGIN/PLAIN with that (user, password) is required.
    """

    def __init__(self, *, security: Literal["none", "starttls", "tls"] = "none", tls: TlsFiles | None = None,
                 login: tuple[str, str] | None = None) -> None:
        if security != "none" and tls is None:
            raise ValueError("STARTTLS and TLS need certificate files")
        self.host = "127.0.0.1"
        self.port = _free_port()
        self.security = security
        self.received: list[ReceivedEmail] = []
        self.refusals = 0
        self._tls = tls
        self._login = login
        self._refusal: str | None = None
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = (isinstance(data, LoginPassword) and self._login is not None
              and (data.login.decode(), data.password.decode()) == self._login)
        return AuthResult(success=ok, auth_data=data if ok else None)

    def _receive(self, sender: str, recipients: list[str], raw: bytes) -> str:
        with self._lock:
            if self._refusal is not None:
                self.refusals += 1
                return self._refusal
            self.received.append(ReceivedEmail(sender, recipients, raw))
        return "250 Message accepted for delivery"

    def refuse(self, code: int = 451, text: str = "4.3.0 Mail server temporarily unavailable") -> None:
        """Answer DATA with ``code text`` until :meth:`accept`."""
        self._refusal = f"{code} {text}"

    def accept(self) -> None:
        """Accept mail again."""
        self._refusal = None

    def up(self) -> None:
        """Start listening (again) on the same port."""
        if self._controller is not None:
            return
        kwargs: dict[str, Any] = {}
        if self.security == "starttls":
            assert self._tls is not None
            kwargs |= {"tls_context": self._tls.server_context(), "require_starttls": True}
        if self.security == "tls":
            assert self._tls is not None
            kwargs |= {"ssl_context": self._tls.server_context()}
        if self._login is not None:
            # aiosmtpd only counts STARTTLS as TLS for AUTH; an implicit-TLS connection is encrypted from the start.
            kwargs |= {"authenticator": self._authenticate, "auth_require_tls": self.security == "starttls",
                       "auth_required": True}
        controller = Controller(_Handler(self), hostname=self.host, port=self.port, ready_timeout=10, **kwargs)
        controller.start()
        self._controller = controller

    def down(self) -> None:
        """Stop listening: new connections are refused."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    start = up
    stop = down


@pytest.fixture
def smtp_server() -> Iterator[SmtpSink]:
    """A plain-SMTP aiosmtpd server on loopback, started for the test."""
    sink = SmtpSink()
    sink.up()
    try:
        yield sink
    finally:
        sink.down()
