"""E-mail through an SMTP server with aiosmtplib: plain, STARTTLS or implicit TLS, optional login."""

import asyncio
import ssl
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal, TypeVar

import aiosmtplib
from pydantic import SecretStr

from adapters.notifiers.mime import build_email
from application.messages import Channel, DeliveryError, DeliveryReceipt, OutboundMessage

T = TypeVar("T")
Security = Literal["none", "starttls", "tls"]


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to completion from synchronous code, whether or not this thread runs an event loop.

    Inside a running loop (an async route, a notebook) ``asyncio.run`` would raise, so the coroutine gets
    its own loop on a worker thread and this thread waits for it.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="smtp") as pool:
        return pool.submit(asyncio.run, coroutine).result()


class SmtpEmailNotifier:
    """Sends each message's e-mail content to the configured recipients; the receipt holds its Message-ID.

    Connection failures, timeouts and 4xx replies are retriable; 5xx replies (refused sender or recipients,
    failed authentication) and a missing recipient list are permanent.
    """

    def __init__(self, *, host: str, port: int, security: Security, sender: str, recipients: list[str],
                 username: str | None = None, password: SecretStr | None = None, timeout_seconds: float = 30.0,
                 tls_context: ssl.SSLContext | None = None) -> None:
        self._host = host
        self._port = port
        self._security = security
        self._sender = sender
        self._recipients = list(recipients)
        self._username = username
        self._password = password
        self._timeout = timeout_seconds
        self._tls_context = tls_context

    @property
    def channel(self) -> Channel:
        """E-mail."""
        return Channel.EMAIL

    def send(self, message: OutboundMessage) -> DeliveryReceipt:
        """Deliver ``message.email`` once; raises ``DeliveryError`` on failure."""
        if not self._recipients:
            raise DeliveryError(Channel.EMAIL, "no recipients configured (MACRODESK_EMAIL_RECIPIENTS)",
                                retriable=False)
        email = build_email(message.email, sender=self._sender, recipients=self._recipients, key=message.key)
        try:
            run_coroutine(aiosmtplib.send(
                email, hostname=self._host, port=self._port, timeout=self._timeout,
                use_tls=self._security == "tls", start_tls=self._security == "starttls",
                tls_context=self._tls_context, username=self._username,
                password=self._password.get_secret_value() if self._password else None))
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [e.code for e in exc.recipients]
            raise DeliveryError(Channel.EMAIL, f"every recipient refused ({', '.join(map(str, codes))})",
                                retriable=all(400 <= c < 500 for c in codes)) from None
        except aiosmtplib.SMTPResponseException as exc:
            raise DeliveryError(Channel.EMAIL, f"SMTP {exc.code} {exc.message}",
                                retriable=400 <= exc.code < 500) from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            # Refused or dropped connections, timeouts, TLS handshakes: the server may come back.
            raise DeliveryError(Channel.EMAIL, f"{type(exc).__name__}: {exc}", retriable=True) from None
        return DeliveryReceipt(Channel.EMAIL, str(email["Message-ID"]))
