"""The drainer: sends what the outbox holds, each alert exactly once on Slack (see docs/alerts.md).

Per alert: claim (committed) → for each message not yet confirmed: [after an ambiguous failure or a crash: look it
up by its metadata in the channel] → post → confirm. Companies are drained side by side, each in its own worker, so
a slow, rate-limited or broken channel never holds back another company's alerts.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import smtplib
import socket
import threading
import time
import urllib.error
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy.engine import Engine

from bidradar.alerts import email_render, slack_blocks
from bidradar.alerts.outbox import SENDING, Outbox, OutboxRow, utc_now
from bidradar.core.clock import KST

EVENT_TYPE = "bidradar_alert"
# Errors that no retry can fix: the alert fails with the reason instead of being retried forever.
PERMANENT_ERRORS = {
    "channel_not_found": "Slack 채널을 찾을 수 없습니다 (channel_not_found): 프로필의 slack_channel을 확인하세요",
    "not_in_channel": "봇이 채널에 없습니다 (not_in_channel): 채널에 bidradar 앱을 초대하세요",
    "invalid_auth": "Slack 토큰이 유효하지 않습니다 (invalid_auth): SLACK_BOT_TOKEN을 확인하세요",
    "is_archived": "보관된 채널입니다 (is_archived)",
    "account_inactive": "Slack 토큰의 계정이 비활성입니다 (account_inactive)",
    "token_revoked": "Slack 토큰이 폐기되었습니다 (token_revoked)",
    "missing_scope": "Slack 앱 권한이 부족합니다 (missing_scope): chat:write, channels:history",
}
MAX_ATTEMPTS = 6

Hook = Callable[[str, OutboxRow, int], None]  # (step, row, part): "claimed", "sending", "posted", "confirmed"


def _no_hook(step: str, row: OutboxRow, part: int) -> None:
    return None


class Ambiguous(Exception):
    """The request may have reached the server: the message may exist."""


class NotSent(Exception):
    """The request surely sent nothing (refused connection, 429 after retries): retry later."""


class Permanent(Exception):
    """No retry can help: fail the alert with this reason."""


def slack_client(token: str, base_url: str, timeout: float) -> WebClient:
    """A WebClient whose only retry is on 429 (after Retry-After). The SDK's default ConnectionErrorRetryHandler is
    left out on purpose: it re-sends a POST after "connection reset" or "remote disconnected", when the first
    request may already have posted the message."""
    return WebClient(
        token=token,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        timeout=int(max(1, round(timeout))),
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )


class Pacer:
    """At most one message a second per channel (Slack's chat.postMessage limit), shared by all workers."""

    def __init__(
        self,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> None:
        with self._lock:
            last = self._last.get(channel)
            now = self.clock()
            delay = 0.0 if last is None else max(0.0, last + self.interval - now)
            self._last[channel] = now + delay
        if delay > 0:
            self.sleep(delay)


def _classify(error: BaseException) -> Exception:
    """Which of Ambiguous, NotSent, Permanent a failed call is."""
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        code = error.response.get("error") if isinstance(error.response.data, dict) else None
        if code in PERMANENT_ERRORS:
            return Permanent(PERMANENT_ERRORS[code])
        if status == 429:
            return NotSent(f"rate limited (429) after retries: {code or ''}".strip())
        if status >= 500:
            return Ambiguous(f"Slack answered HTTP {status}")
        return NotSent(f"Slack error {code or status}")
    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, ConnectionRefusedError):
        return NotSent(f"connection refused: {error.reason}")
    if isinstance(error, ConnectionRefusedError):
        return NotSent(f"connection refused: {error}")
    if isinstance(
        error,
        TimeoutError
        | socket.timeout
        | http.client.RemoteDisconnected
        | ConnectionError
        | urllib.error.URLError
        | http.client.HTTPException,
    ):
        return Ambiguous(f"no answer from Slack ({type(error).__name__}: {error})")
    return Ambiguous(f"{type(error).__name__}: {error}")


@dataclass
class DrainReport:
    sent: int = 0
    recovered: int = 0  # messages found by their metadata instead of being posted again
    retried: int = 0
    unsure: int = 0
    failed: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (alert_key, transport, reason)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, name: str, n: int = 1) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + n)


@dataclass
class SlackTransport:
    client: WebClient
    pacer: Pacer = field(default_factory=Pacer)
    history_limit: int = 1000  # messages read back when looking an alert up
    _channels: dict[str, str] = field(default_factory=dict)

    def resolve_channel(self, name: str) -> str:
        """A channel id for a #name (conversations.list); an id is returned as it is."""
        if not name.startswith("#"):
            return name
        if name not in self._channels:
            cursor = None
            while True:
                page = self.client.conversations_list(
                    types="public_channel,private_channel", limit=200, exclude_archived=True, cursor=cursor
                )
                for channel in page.get("channels", []):
                    self._channels[f"#{channel['name']}"] = channel["id"]
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if name in self._channels or not cursor:
                    break
        if name not in self._channels:
            raise Permanent(PERMANENT_ERRORS["channel_not_found"])
        return self._channels[name]

    def find(self, channel_id: str, alert_key: str, part: int, parent_ts: str | None, oldest: float) -> str | None:
        """The ts of message `part` of the alert if the channel already has it (found by its metadata)."""
        seen, cursor = 0, None
        while seen < self.history_limit:
            if part == 0:
                page = self.client.conversations_history(
                    channel=channel_id, oldest=f"{oldest:.6f}", limit=200, include_all_metadata=True, cursor=cursor
                )
            else:
                page = self.client.conversations_replies(
                    channel=channel_id, ts=parent_ts, limit=200, include_all_metadata=True, cursor=cursor
                )
            messages = page.get("messages", [])
            seen += len(messages)
            for message in messages:
                meta = message.get("metadata") or {}
                body = meta.get("event_payload") or {}
                if (
                    meta.get("event_type") == EVENT_TYPE
                    and body.get("alert_key") == alert_key
                    and int(body.get("part", 0)) == part
                ):
                    return message["ts"]
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor or not messages:
                return None
        return None

    def post(
        self, channel: str, message: slack_blocks.SlackMessage, alert_key: str, part: int, thread_ts: str | None
    ) -> tuple[str, str]:
        self.pacer.wait(channel)
        response = self.client.chat_postMessage(
            channel=channel,
            text=message.text,
            blocks=message.blocks,
            thread_ts=thread_ts,
            unfurl_links=False,
            metadata={"event_type": EVENT_TYPE, "event_payload": {"alert_key": alert_key, "part": part}},
        )
        return response["channel"], response["ts"]


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    starttls: bool = True
    timeout: float = 30.0


@dataclass
class MailTransport:
    smtp: SmtpSettings

    def send(self, message) -> None:  # type: ignore[no-untyped-def]
        try:
            with smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=self.smtp.timeout) as server:
                if self.smtp.starttls:
                    server.starttls()
                if self.smtp.username:
                    server.login(self.smtp.username, self.smtp.password)
                server.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            raise Permanent(f"수신 주소가 거부되었습니다: {list(error.recipients)}") from error
        except smtplib.SMTPResponseException as error:
            text = f"SMTP {error.smtp_code} {error.smtp_error!r}"
            if 500 <= error.smtp_code < 600:
                raise Permanent(text) from error
            raise NotSent(text) from error
        except (ConnectionRefusedError, socket.gaierror) as error:
            raise NotSent(f"SMTP server unreachable: {error}") from error
        except (smtplib.SMTPException, OSError) as error:
            # Possibly after the server accepted the message: e-mail has no lookup, so this is resent (same
            # Message-ID); docs/alerts.md says so.
            raise NotSent(f"SMTP failed: {type(error).__name__}: {error}") from error


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


@dataclass
class Drainer:
    engine: Engine
    dashboard_url: str
    slack: SlackTransport | None = None
    mail: MailTransport | None = None
    hook: Hook = _no_hook
    workers: int = 4
    ambiguous_grace: dt.timedelta = dt.timedelta(seconds=60)
    now: Callable[[], dt.datetime] = utc_now
    lock_wait_seconds: float = 60.0

    def drain(self) -> DrainReport:
        """Send every due alert; returns what happened. Raises DrainerBusy if another drainer keeps the lock."""
        outbox = Outbox(self.engine)
        report = DrainReport()
        with outbox.drainer_lock(self.lock_wait_seconds):
            rows = outbox.due(self.now(), self.ambiguous_grace)
            groups: dict[tuple[str, str], list[OutboxRow]] = {}
            for row in rows:
                groups.setdefault((row.company_id, row.transport), []).append(row)
            with ThreadPoolExecutor(max_workers=max(1, self.workers), thread_name_prefix="alerts") as pool:
                futures = [pool.submit(self._drain_group, outbox, group, report) for group in groups.values()]
                for future in futures:
                    future.result()  # a crash (BaseException) in a worker ends the drain, as a killed process would
        return report

    def _drain_group(self, outbox: Outbox, rows: list[OutboxRow], report: DrainReport) -> None:
        for row in rows:
            try:
                self._deliver(outbox, row, report)
            except Exception as error:  # one alert's bug must not stop the others; it is retried, then failed
                self._settle(
                    outbox,
                    row,
                    _classify(error) if not isinstance(error, Ambiguous | NotSent | Permanent) else error,
                    report,
                )

    def _settle(self, outbox: Outbox, row: OutboxRow, error: Exception, report: DrainReport) -> None:
        reason = str(error)
        attempts = row.attempts + 1
        if isinstance(error, Permanent) or attempts >= MAX_ATTEMPTS:
            if not isinstance(error, Permanent):
                reason = f"gave up after {attempts} attempts: {reason}"
            outbox.fail(row, reason)
            report.add("failed")
            with report._lock:
                report.failures.append((row.alert_key, row.transport, reason))
        elif isinstance(error, Ambiguous):
            outbox.unsure(row, reason, self.now() + max(self.ambiguous_grace, _backoff(attempts)))
            report.add("unsure")
        else:
            outbox.retry(row, reason, self.now() + _backoff(attempts))
            report.add("retried")

    def _deliver(self, outbox: Outbox, row: OutboxRow, report: DrainReport) -> None:
        if row.attempts >= MAX_ATTEMPTS and row.status != SENDING:
            raise Permanent(f"gave up after {row.attempts} attempts")
        payload = json.loads(row.payload)
        transport = self.slack if row.transport == "slack" else self.mail
        if transport is None:
            # Not configured for this run (e.g. no SMTP settings): leave the row as it is for a run that is.
            return
        if not outbox.claim(row, self.now()):
            return
        self.hook("claimed", row, row.parts_sent)
        if row.transport == "email" and row.parts_sent == 0:
            self.hook("sending", row, 0)
            message = email_render.build_message(
                payload,
                row.alert_date,
                self.dashboard_url,
                self.mail.smtp.sender,  # type: ignore[union-attr]
                row.destination,
                row.alert_key,
            )
            self.mail.send(message)  # type: ignore[union-attr]
            self.hook("posted", row, 0)
            outbox.confirm_part(row, 0, None, None, recovered=False)
            self.hook("confirmed", row, 0)
        elif row.transport == "slack":
            self._deliver_slack(outbox, row, payload, report)
        outbox.finish(row, self.now())
        report.add("sent")

    def _deliver_slack(self, outbox: Outbox, row: OutboxRow, payload: dict, report: DrainReport) -> None:
        slack = self.slack
        assert slack is not None
        messages = slack_blocks.render(payload, row.alert_date, self.dashboard_url)
        channel_id, parent_ts = row.channel_id, row.message_ts
        # Claimed before and never confirmed: a crash or an ambiguous failure. The first unconfirmed message may
        # exist; look for it by its metadata before posting it again.
        unsure = row.status == SENDING
        created = row.created_at.replace(tzinfo=KST).timestamp() - 300
        for part in range(row.parts_sent, len(messages)):
            if unsure and part == row.parts_sent:
                try:
                    channel_id = channel_id or slack.resolve_channel(row.destination)
                    found = slack.find(channel_id, row.alert_key, part, parent_ts, created)
                except (Permanent, Ambiguous, NotSent):
                    raise
                except Exception as error:  # the lookup failed: do not risk a duplicate, try again later
                    kind = _classify(error)
                    if isinstance(kind, Permanent):  # e.g. the app lost channels:history: say so, once
                        raise kind from error
                    raise Ambiguous(f"lookup failed: {kind}") from error
                if found:
                    outbox.confirm_part(row, part, channel_id, found, recovered=True)
                    report.add("recovered")
                    parent_ts = parent_ts or found
                    continue
            self.hook("sending", row, part)
            try:
                channel_id, ts = slack.post(
                    channel_id or row.destination, messages[part], row.alert_key, part, parent_ts if part > 0 else None
                )
            except Exception as error:
                raise _classify(error) from error
            self.hook("posted", row, part)
            outbox.confirm_part(row, part, channel_id, ts, recovered=False)
            self.hook("confirmed", row, part)
            parent_ts = parent_ts or ts
