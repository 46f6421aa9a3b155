"""The same alerts as e-mail: a plain-text part and an HTML part (inline styles, one column: phones first)."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from email.message import EmailMessage

from bidradar.alerts import text as t
from bidradar.core.formatting import won_text


def subject(payload: dict, today: dt.date) -> str:
    return f"[bidradar] {t.headline(payload, today)}"


def _item_lines(item: dict, pro: bool, today: dt.date, dashboard_url: str) -> list[tuple[str, str]]:
    pairs = [
        ("발주기관", item["agency"] or "미상"),
        ("추정가격", won_text(item["estimated_price"])),
        ("마감", t.deadline_text(item["bid_close_at"], today)),
        ("자격", item["eligibility"]),
    ]
    if pro and item.get("price_block"):
        # The price block as ml.pricing.advice.price_block_ko renders it for Slack and the detail page (amount,
        # chance with its interval, competitors and their history, the floor's range, method, explanation), one
        # "label: value" line each; labels never hold ": ".
        pairs += [tuple(line.split(": ", 1)) for line in item["price_block"].splitlines() if ": " in line]  # type: ignore[misc]
    if pro and item.get("ai_summary"):
        pairs.append((item.get("ai_label") or "AI 요약", item["ai_summary"]))
    return pairs


def _sections(payload: dict, today: dt.date, dashboard_url: str) -> tuple[str, list[tuple[str, list, str]]]:
    """(intro, [(title, [(label, value)], url)])."""
    pro = payload["plan"] == "pro"
    if payload["kind"] == "briefing":
        intro = f"새로 참가 가능한 공고 {payload['total_new']}건 (관련도 순)"
        if payload.get("left_out"):
            intro += f" 중 상위 {len(payload['items'])}건"
        items = [
            (
                f"{i}. {item['title']}",
                _item_lines(item, pro, today, dashboard_url),
                t.notice_url(dashboard_url, item["notice_no"]),
            )
            for i, item in enumerate(payload["items"], start=1)
        ]
        return intro, items
    item = payload["item"]
    url = t.notice_url(dashboard_url, item["notice_no"])
    if payload["kind"] == "reminder":
        return f"입찰 마감이 {payload['days_left']}일 남았습니다.", [
            (item["title"], _item_lines(item, pro, today, dashboard_url), url)
        ]
    return "관심 공고가 개찰되었습니다.", [
        (item["title"], [("발주기관", item["agency"] or "미상"), *t.outcome_lines(payload)], url)
    ]


def plain_text(payload: dict, today: dt.date, dashboard_url: str) -> str:
    intro, items = _sections(payload, today, dashboard_url)
    lines = [t.headline(payload, today), "", intro, ""]
    for title, pairs, url in items:
        lines.append(title)
        lines += [f"  {label}: {value}" for label, value in pairs]
        lines += [f"  상세: {url}", ""]
    if payload["plan"] != "pro":
        lines += [t.PRO_PITCH, ""]
    lines.append(f"{payload['company_name']} · bidradar ({dashboard_url})")
    return "\n".join(lines) + "\n"


def html_part(payload: dict, today: dt.date, dashboard_url: str) -> str:
    e = html.escape
    intro, items = _sections(payload, today, dashboard_url)
    cards = []
    for title, pairs, url in items:
        rows = "".join(
            f'<tr><td style="color:#667085;padding:2px 12px 2px 0;white-space:nowrap;vertical-align:top">{e(label)}</td>'
            f'<td style="padding:2px 0">{e(str(value))}</td></tr>'
            for label, value in pairs
        )
        cards.append(
            '<div style="border:1px solid #e4e7ec;border-radius:8px;padding:14px 16px;margin:0 0 12px">'
            f'<div style="font-weight:700;font-size:16px;margin:0 0 8px"><a href="{e(url)}" '
            f'style="color:#1d4ed8;text-decoration:none">{e(title)}</a></div>'
            f'<table style="font-size:14px;border-collapse:collapse">{rows}</table>'
            f'<a href="{e(url)}" style="display:inline-block;margin-top:10px;padding:8px 14px;background:#1d4ed8;'
            'color:#fff;border-radius:6px;text-decoration:none;font-size:14px">상세 보기</a></div>'
        )
    pitch = ""
    if payload["plan"] != "pro":
        pitch = (
            f'<p style="background:#fff7e6;border-radius:8px;padding:10px 14px;font-size:14px">💡 {e(t.PRO_PITCH)}</p>'
        )
    return (
        '<!doctype html><html lang="ko"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{e(subject(payload, today))}</title></head>"
        "<body style=\"margin:0;background:#f5f6f8;font-family:'Noto Sans CJK KR','Apple SD Gothic Neo',"
        "'Malgun Gothic',sans-serif;color:#101828\">"
        '<div style="max-width:600px;margin:0 auto;padding:20px 16px;background:#fff">'
        f'<h1 style="font-size:20px;margin:0 0 6px">{e(t.headline(payload, today))}</h1>'
        f'<p style="color:#475467;margin:0 0 16px;font-size:14px">{e(intro)}</p>'
        + "".join(cards)
        + pitch
        + f'<p style="color:#98a2b3;font-size:12px">{e(payload["company_name"])} · '
        f'<a href="{e(dashboard_url)}" style="color:#98a2b3">bidradar 대시보드</a></p></div></body></html>'
    )


def message_id(alert_key: str) -> str:
    return f"<{hashlib.sha256(alert_key.encode()).hexdigest()[:32]}@alerts.bidradar>"


def build_message(
    payload: dict, today: dt.date, dashboard_url: str, sender: str, to: str, alert_key: str
) -> EmailMessage:
    """The e-mail of one alert. Its Message-ID is derived from the alert key: a resend after a crash carries the
    same id, which lets mail systems and clients recognise the duplicate."""
    message = EmailMessage()
    message["Subject"] = subject(payload, today)
    message["From"] = sender
    message["To"] = to
    message["Message-ID"] = message_id(alert_key)
    message["X-Bidradar-Alert"] = alert_key
    message.set_content(plain_text(payload, today, dashboard_url))
    message.add_alternative(html_part(payload, today, dashboard_url), subtype="html")
    return message
