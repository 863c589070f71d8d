"""The local outbox: with no Slack token or SMTP host configured, messages become files one can open.

E-mails are written as ``<key>.eml`` (the exact MIME message SMTP would carry; any mail client opens it) and
Slack messages as ``<key>.slack.json`` (the ``chat.postMessage`` body; paste its ``blocks`` into Slack's Block
Kit Builder). The key's ``:`` become ``_`` in file names.
"""

import json
import re
from pathlib import Path

from adapters.notifiers.mime import build_email
from application.messages import Channel, DeliveryError, DeliveryReceipt, OutboundMessage

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def outbox_filename(key: str, channel: Channel) -> str:
    """The file name a message key gets in the outbox on ``channel``."""
    stem = _UNSAFE.sub("_", key).strip("._") or "message"
    return f"{stem}.eml" if channel == Channel.EMAIL else f"{stem}.slack.json"


class OutboxNotifier:
    """Writes each message for ``channel`` into ``directory``; the receipt's provider id is the file path."""

    def __init__(self, channel: Channel, directory: Path, *, sender: str = "macrodesk@localhost",
                 recipients: list[str] | None = None, slack_channel: str = "#macro-desk") -> None:
        self._channel = channel
        self._directory = directory
        self._sender = sender
        self._recipients = recipients or ["desk@localhost"]
        self._slack_channel = slack_channel

    @property
    def channel(self) -> Channel:
        """The channel this outbox stands in for."""
        return self._channel

    def send(self, message: OutboundMessage) -> DeliveryReceipt:
        """Write the file (replacing an earlier one of the same key); an unwritable folder is retriable."""
        path = self._directory / outbox_filename(message.key, self._channel)
        try:
            self._directory.mkdir(parents=True, exist_ok=True)
            if self._channel == Channel.EMAIL:
                email = build_email(message.email, sender=self._sender, recipients=self._recipients,
                                    key=message.key)
                path.write_bytes(email.as_bytes())
            else:
                body = {"channel": self._slack_channel, "text": message.slack.text,
                        "blocks": [dict(b) for b in message.slack.blocks]}
                path.write_text(json.dumps(body, indent=2, ensure_ascii=False), encoding="utf-8")
        except OSError as exc:
            raise DeliveryError(self._channel, f"cannot write {path}: {exc.strerror}", retriable=True) from None
        return DeliveryReceipt(self._channel, str(path.resolve()))
