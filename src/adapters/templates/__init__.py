"""Rendering of the daily report: jinja2 templates (page, e-mail HTML, plain text), a stylesheet, Slack blocks."""
