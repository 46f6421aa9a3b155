"""Slack Block Kit in Korean, readable on a phone: a header, the notices as sections with two-column fields, a
context line, a button to the dashboard, and the notification `text` always set. A long briefing continues in
the thread of its first message. Slack's documented limits are kept: 50 blocks a message, 3,000 characters a
section text, 2,000 a field, 150 a header, 75 a button label."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bidradar.alerts import text as t
from bidradar.core.formatting import won_text
from bidradar.matching import explain

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_FIELD = 2000
MAX_HEADER = 150
MAX_BUTTON = 75
MAX_CONTEXT = 2000
MAX_TEXT = 3000  # the notification text: Slack allows 40,000 but shows only the start
MAX_SUMMARY = 300
PARENT_ITEMS = 5  # the first message stays short enough to read on a phone; the rest go to its thread


@dataclass(frozen=True)
class SlackMessage:
    text: str
    blocks: list[dict]


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str | None) -> str:
    """Slack's mrkdwn escaping of user text (&, <, >), so a title cannot break a link or fake one."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, MAX_HEADER), "emoji": True}}


def _section(text: str, fields: list[str] | None = None) -> dict:
    block: dict = {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}}
    if fields:
        block["fields"] = [{"type": "mrkdwn", "text": clip(f, MAX_FIELD)} for f in fields[:10]]
    return block


def _context(*lines: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(x, MAX_CONTEXT)} for x in lines[:10]]}


def _button(label: str, url: str, action_id: str) -> dict:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": clip(label, MAX_BUTTON)},
                "url": url,
                "action_id": action_id[:255],
            }
        ],
    }


def _item_blocks(item: dict, number: int | None, pro: bool, today: dt.date, dashboard_url: str) -> list[dict]:
    url = t.notice_url(dashboard_url, item["notice_no"])
    prefix = f"{number}. " if number is not None else ""
    # The link text is clipped first, so the clipping of the section never cuts a link in half.
    title = f"*{prefix}<{url}|{escape(clip(item['title'], 300))}>*"
    fields = [
        f"*발주기관*\n{escape(item['agency'])}",
        f"*추정가격*\n{won_text(item['estimated_price'])}",
        f"*마감*\n{t.deadline_text(item['bid_close_at'], today)}",
    ]
    if pro and item.get("price_block"):
        # The price block as ml.pricing.advice renders it (amount, chance with its interval, competitors, floor):
        # the one rendering of the advice, so Slack, e-mail and the detail page say the same words.
        fields.append(f"*투찰가 추천*\n{escape(clip(item['price_block'], 1900))}")
    # The sign goes with the verdict's words and reasons, never alone (old payloads carry no verdict: no sign).
    mark = explain.VERDICT_MARK.get(item.get("verdict") or "")
    context = [f"{mark} {escape(item['eligibility'])}" if mark else escape(item["eligibility"])]
    if pro and item.get("ai_summary"):
        # Three lines in the analysis; one short line on a phone (the dashboard has the full analysis).
        summary = " · ".join(line.strip() for line in item["ai_summary"].splitlines() if line.strip())
        # The analysis' own label says whether Gemini or the local rules wrote it (e.g. 로컬 분석 (…)).
        label = escape(item.get("ai_label") or "AI 요약")
        context.append(f"🤖 *{label}* {escape(clip(summary, MAX_SUMMARY))}")
    return [_section(title, fields), _context(*context), _button("상세 보기", url, f"open:{item['notice_no']}")]


def _chunks(blocks_per_item: list[list[dict]], room: int) -> list[list[dict]]:
    """Items packed into messages of at most `room` blocks, never splitting an item."""
    messages: list[list[dict]] = [[]]
    for blocks in blocks_per_item:
        if messages[-1] and len(messages[-1]) + len(blocks) > room:
            messages.append([])
        messages[-1].extend(blocks)
    return [m for m in messages if m]


def render(payload: dict, today: dt.date, dashboard_url: str) -> list[SlackMessage]:
    """The messages of one alert: the first is posted to the channel, the others into its thread."""
    kind, pro = payload["kind"], payload["plan"] == "pro"
    headline = t.headline(payload, today)
    if kind == "briefing":
        return _briefing(payload, today, dashboard_url, pro, headline)
    item = payload["item"]
    blocks = [_header(("⏰ " if kind == "reminder" else "📊 ") + headline)]
    if kind == "reminder":
        blocks += _item_blocks(item, None, pro, today, dashboard_url)
    else:
        url = t.notice_url(dashboard_url, item["notice_no"])
        blocks.append(
            _section(
                f"*<{url}|{escape(clip(item['title'], 300))}>*\n{escape(item['agency'])}",
                [f"*{label}*\n{escape(value)}" for label, value in t.outcome_lines(payload)],
            )
        )
        blocks.append(_button("결과 상세 보기", url, f"open:{item['notice_no']}"))
    if not pro:
        blocks.append(_context(f"💡 {t.PRO_PITCH}"))
    blocks.append(_context(f"{payload['company_name']} · bidradar"))
    return [SlackMessage(clip(headline, MAX_TEXT), blocks[:MAX_BLOCKS])]


def _briefing(payload: dict, today: dt.date, dashboard_url: str, pro: bool, headline: str) -> list[SlackMessage]:
    items = payload["items"]
    per_item = [_item_blocks(item, i, pro, today, dashboard_url) for i, item in enumerate(items, start=1)]
    intro = f"새로 참가 가능한 공고 *{payload['total_new']}건* (관련도 순)"
    if payload.get("left_out"):
        intro += f" 중 상위 {len(items)}건"
    head = [_header(f"📋 {payload['company_name']} 입찰 브리핑 · {t.day_label(today)}"), _section(intro)]
    tail = []
    if len(items) > PARENT_ITEMS:
        tail.append(_context(f"🧵 나머지 {len(items) - PARENT_ITEMS}건은 스레드에 있습니다."))
    if not pro:
        tail.append(_context(f"💡 {t.PRO_PITCH}"))
    tail.append(_context(f"<{dashboard_url}|bidradar 대시보드>에서 전체 목록과 자격 판정 근거를 볼 수 있습니다."))
    first = [b for blocks in per_item[:PARENT_ITEMS] for b in blocks]
    lines = [
        f"{i}. {item['title']} ({t.deadline_text(item['bid_close_at'], today)})"
        for i, item in enumerate(items[:PARENT_ITEMS], start=1)
    ]
    messages = [SlackMessage(clip("\n".join([headline, *lines]), MAX_TEXT), (head + first + tail)[:MAX_BLOCKS])]
    rest = per_item[PARENT_ITEMS:]
    for chunk in _chunks(rest, MAX_BLOCKS):
        numbers = [b for b in chunk if b["type"] == "section"]
        text = f"{payload['company_name']} 입찰 브리핑 {t.day_label(today)}: 이어서 {len(numbers)}건"
        messages.append(SlackMessage(clip(text, MAX_TEXT), chunk))
    return messages


def as_text(messages: list[SlackMessage]) -> str:
    """The blocks as plain lines (what the demo prints and docs/alerts.md shows)."""
    out = []
    for n, message in enumerate(messages):
        out.append("── message" if n == 0 else f"── thread reply {n}")
        for block in message.blocks:
            out.extend(block_lines(block))
    return "\n".join(out)


def block_lines(block: dict) -> list[str]:
    kind = block["type"]
    if kind == "header":
        return [f"# {block['text']['text']}"]
    if kind == "section":
        lines = [block["text"]["text"]]
        lines += ["  " + f["text"].replace("\n", ": ", 1) for f in block.get("fields", [])]
        return lines
    if kind == "context":
        return ["  " + " | ".join(e["text"] for e in block["elements"])]
    if kind == "actions":
        return [f"  [{e['text']['text']}] → {e['url']}" for e in block["elements"]]
    return [f"({kind})"]
