"""Alerts: what is due per company (selection), how it reads (Slack Block Kit, e-mail), and its delivery exactly
once through an outbox (claim before sending, confirm after, look up after an ambiguous failure).

Pure functions here; assets/alerts.py wraps them for Dagster. See docs/alerts.md.
"""
