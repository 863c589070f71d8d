"""The MIME form of an e-mail: ``multipart/alternative`` > ``text/plain`` + ``multipart/related`` > HTML + PNGs.

Gmail and Outlook drop ``data:`` images, so charts travel as inline parts the HTML names by ``cid:``.
"""

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from application.messages import EmailContent


def build_email(content: EmailContent, *, sender: str, recipients: list[str], key: str,
                msgid_domain: str | None = None) -> EmailMessage:
    """A ready-to-send message with a fresh ``Message-ID``; ``key`` goes to ``X-Macrodesk-Key``.

    Without HTML the message is a single ``text/plain`` part.
    """
    message = EmailMessage()
    message["Subject"] = content.subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=msgid_domain or sender.rpartition("@")[2] or None)
    message["X-Macrodesk-Key"] = key
    message.set_content(content.text, subtype="plain", charset="utf-8")
    if content.html is None:
        return message
    message.add_alternative(content.html, subtype="html", charset="utf-8")
    html_part = message.get_payload()[1]  # type: ignore[index]
    for image in content.inline_images:
        html_part.add_related(image.png, maintype="image", subtype="png", cid=f"<{image.cid}>",
                              filename=image.filename, disposition="inline")
    return message
