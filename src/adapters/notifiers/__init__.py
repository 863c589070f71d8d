"""Notifiers: Slack (slack-sdk), e-mail (aiosmtplib) and a local outbox, each serving one channel."""
