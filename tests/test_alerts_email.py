"""E-mail alerts over SMTP against a local aiosmtpd server: a plain-text and an HTML part, one message per alert,
a refused address failing only its own alert."""

from __future__ import annotations

import collections
import datetime as dt

import pytest

from bidradar.alerts import email_render, select, store
from bidradar.alerts.deliver import Drainer, MailTransport, SmtpSettings
from bidradar.alerts.outbox import Outbox, utc_now
from tests import alerts_fixtures as fx
from tests.kit.smtp import SmtpStandIn

LATER = dt.timedelta(hours=3)


class Crash(BaseException):
    pass


@pytest.fixture
def smtp():
    stand_in = SmtpStandIn()
    with stand_in.serve() as address:
        stand_in.address = address  # type: ignore[attr-defined]
        yield stand_in


def fill(engine) -> None:
    due = select.select_due(fx.candidates(), fx.companies(), fx.empty_shown(), fx.empty_outcomes(), fx.NOW)
    rows = select.outbox_rows(due, fx.companies().with_columns(slack_channel=None), email_enabled=True)
    store.write_new(engine, due, rows, dt.datetime(2026, 11, 23, 8))


def drainer(engine, smtp: SmtpStandIn, hook=None, shift=dt.timedelta(0)) -> Drainer:  # type: ignore[no-untyped-def]
    host, port = smtp.address  # type: ignore[attr-defined]
    mail = MailTransport(SmtpSettings(host, port, "bidradar <alerts@bidradar.test>", starttls=False, timeout=10))
    return Drainer(engine, fx.DASHBOARD, mail=mail, hook=hook or (lambda *a: None), now=lambda: utc_now() + shift)


def test_each_alert_is_one_mail_with_plain_text_and_html(migrated_engine, smtp) -> None:
    fill(migrated_engine)
    report = drainer(migrated_engine, smtp).drain()
    assert report.sent == 2 and report.failed == 0  # one briefing each
    by_to = {rcpt[0]: message for rcpt, message in smtp.received}
    message = by_to["bids@acme.example.co.kr"]
    assert message["Subject"] == "[bidradar] 에이크미(주) 입찰 브리핑 11월 23일(월): 새 공고 11건"
    assert message["Message-ID"] == email_render.message_id("briefing:acme:2026-11-23")
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "1. 정보시스템 유지관리 1차 <긴급> & 재공고" in plain
    assert "  추천 투찰금액: 119,000,000원 (1.2억), 기초금액의 92.248%" in plain
    assert (
        "  낙찰 가능성: 12.0% (95% 구간 8.0%~17.0%)" in plain
        and "  상세: http://dash.test/notices/R26BKA00001" in plain
    )
    assert "정보시스템 유지관리 1차 &lt;긴급&gt; &amp; 재공고" in html  # escaped in HTML
    assert 'href="http://dash.test/notices/R26BKA00012"' in html
    free_plain = by_to["ops@beta.example.co.kr"].get_body(("plain",)).get_content()
    assert "추천 투찰금액" not in free_plain and "낙찰 가능성" not in free_plain and "Pro 플랜은" in free_plain
    assert drainer(migrated_engine, smtp, shift=LATER).drain().sent == 0


def test_a_refused_address_fails_its_alert_only(migrated_engine, smtp) -> None:
    fill(migrated_engine)
    smtp.refuse.add("ops@beta.example.co.kr")
    report = drainer(migrated_engine, smtp).drain()
    assert report.sent == 1 and report.failed == 1
    assert "수신 주소가 거부되었습니다" in report.failures[0][2]
    assert [rcpt for rcpt, _ in smtp.received] == [["bids@acme.example.co.kr"]]


@pytest.mark.parametrize("step", ["claimed", "sending", "posted", "confirmed"])
def test_a_crash_at_each_step(migrated_engine, smtp, step) -> None:
    """E-mail has no lookup: after a crash between the server's yes and the confirm ("posted") the mail is sent again,
    with the same Message-ID (docs/alerts.md). Every other step gives exactly one mail."""
    fill(migrated_engine)

    def crash(at, row, part) -> None:  # type: ignore[no-untyped-def]
        if at == step and row.company_id == "acme":
            raise Crash(step)

    with pytest.raises(Crash):
        drainer(migrated_engine, smtp, hook=crash).drain()
    drainer(migrated_engine, smtp, shift=LATER).drain()
    ids = collections.Counter(message["Message-ID"] for _, message in smtp.received)
    expected = 2 if step == "posted" else 1
    assert ids[email_render.message_id("briefing:acme:2026-11-23")] == expected
    assert ids[email_render.message_id("briefing:beta:2026-11-23")] == 1
    assert {r["status"] for r in Outbox(migrated_engine).statuses().values()} == {"sent"}
