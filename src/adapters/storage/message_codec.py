"""JSON form of an outbound message as the delivery log keeps it: only the content of the row's channel.

A Slack row does not carry the e-mail's PNGs; the decoded message has an empty content for the other
channel, which that row's notifier never reads.
"""

import base64
import json
from typing import Any

from application.messages import Channel, EmailContent, InlineImage, MessageKind, OutboundMessage, SlackContent

_EMPTY_EMAIL = EmailContent(subject="", text="")
_EMPTY_SLACK = SlackContent(text="")


def encode_message(message: OutboundMessage, channel: Channel) -> str:
    """``message`` as JSON with the content ``channel`` needs."""
    data: dict[str, Any] = {"key": message.key, "kind": str(message.kind), "link": message.link}
    if channel == Channel.EMAIL:
        e = message.email
        data["email"] = {"subject": e.subject, "text": e.text, "html": e.html,
                         "inline_images": [{"cid": i.cid, "filename": i.filename,
                                            "png": base64.b64encode(i.png).decode("ascii")}
                                           for i in e.inline_images]}
    else:
        data["slack"] = {"text": message.slack.text, "blocks": [dict(b) for b in message.slack.blocks]}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode_message(payload: str) -> OutboundMessage:
    """The message :func:`encode_message` stored."""
    data = json.loads(payload)
    email = _EMPTY_EMAIL
    if "email" in data:
        e = data["email"]
        email = EmailContent(subject=e["subject"], text=e["text"], html=e["html"], inline_images=tuple(
            InlineImage(cid=i["cid"], png=base64.b64decode(i["png"]), filename=i["filename"])
            for i in e["inline_images"]))
    slack = _EMPTY_SLACK
    if "slack" in data:
        slack = SlackContent(text=data["slack"]["text"], blocks=tuple(data["slack"]["blocks"]))
    return OutboundMessage(key=data["key"], kind=MessageKind(data["kind"]), email=email, slack=slack,
                           link=data["link"])
