"""The Korean wording shared by the Slack and the e-mail renderings: one place for what an alert says."""

from __future__ import annotations

import datetime as dt

from bidradar.core.formatting import won_text

WEEKDAYS = "월화수목금토일"
PRO_PITCH = "Pro 플랜은 새 공고 전부와 함께 공고마다 AI 분석 요약, 추천 투찰가와 낙찰 확률, 개찰 후 추천가의 결과를 보내드립니다."


def day_label(day: dt.date) -> str:
    return f"{day.month}월 {day.day}일({WEEKDAYS[day.weekday()]})"


def parse_time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def deadline_text(close_at: str | None, today: dt.date) -> str:
    """마감 as people say it: D-3 · 11/26(목) 10:00; 오늘 마감 on the day."""
    when = parse_time(close_at)
    if when is None:
        return "마감 미상"
    left = (when.date() - today).days
    dday = "오늘 마감" if left == 0 else (f"D-{left}" if left > 0 else "마감됨")
    return f"{dday} · {when.month}/{when.day}({WEEKDAYS[when.weekday()]}) {when:%H:%M}"


def rate_text(rate: float | None) -> str:
    return "미상" if rate is None else f"{rate:.3f}%"


def headline(payload: dict, today: dt.date) -> str:
    """One line: the notification text, the e-mail subject."""
    kind, name = payload["kind"], payload["company_name"]
    if kind == "briefing":
        return f"{name} 입찰 브리핑 {day_label(today)}: 새 공고 {payload['total_new']}건"
    item = payload["item"]
    if kind == "reminder":
        return f"마감 D-{payload['days_left']}: {item['title']}"
    return f"개찰 결과: {item['title']}"


def notice_url(dashboard_url: str, notice_no: str) -> str:
    return f"{dashboard_url}/notices/{notice_no}"


def outcome_lines(payload: dict) -> list[tuple[str, str]]:
    """(label, value) pairs of a result."""
    outcome = payload["outcome"]
    failed = "유찰" in (outcome.get("opening_status") or "")
    winner = outcome.get("winner_name") or ("유찰 (낙찰자 없음)" if failed else "낙찰자 미정")
    pairs = [
        ("낙찰자", winner),
        ("낙찰금액", won_text(outcome.get("winning_amount"))),
        ("사정률", rate_text(outcome.get("assessment_rate_pct"))),
        ("참가업체", f"{outcome['participant_count']}곳" if outcome.get("participant_count") is not None else "미상"),
    ]
    item = payload["item"]
    if payload["plan"] == "pro" and item.get("recommended_bid") is not None:
        landing = payload.get("landing") or "비교할 개찰 정보 없음"
        pairs.append(("추천 투찰가였다면", f"{won_text(item['recommended_bid'])}: {landing}"))
    return pairs
