"""What is due, per company: frames in, frames out, no I/O (the asset reads and writes; tests call this directly).

- briefing: the matches a company may bid on (eligible, and 조건부: e.g. only in a regional joint venture, which the
  line says) that no earlier briefing showed, by relevance rank (Free: the top 5; Pro: all); 확인 필요 pairs wait on
  the dashboard, where the missing fact is named;
- reminders: at D-3 and D-1 for the notices a company was shown (its top ones) or follows, while still open;
- results: once a shown notice is opened, the winner, the 사정률 and where the recommendation shown would have landed.

Columns that other work adds (a recommended bid and its chance, an AI summary, the bidders of an opening) are
optional: a frame without them gives alerts without them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

BRIEFING, REMINDER, RESULT = "briefing", "reminder", "result"
KINDS = (BRIEFING, REMINDER, RESULT)
FREE_DAILY_ITEMS = 5
REMINDER_DAYS = (3, 1)
ELIGIBLE = "eligible"
BRIEFED_VERDICTS = (ELIGIBLE, "conditional")  # matching's Verdict values a company may bid on

CANDIDATE_SCHEMA = {
    "company_id": pl.String,
    "notice_no": pl.String,
    "rank": pl.Int64,
    "verdict": pl.String,
    "title": pl.String,
    "agency": pl.String,
    "estimated_price": pl.Int64,
    "bid_close_at": pl.Datetime("us"),
    "eligibility": pl.String,
}
OPTIONAL_CANDIDATE = {
    "recommended_bid": pl.Int64,
    "win_chance": pl.Float64,
    "price_block": pl.String,  # the Korean price block (ml.pricing.advice.price_block_text)
    "ai_summary": pl.String,
    "ai_label": pl.String,
}
PRO_ONLY = tuple(OPTIONAL_CANDIDATE)
COMPANY_SCHEMA = {
    "company_id": pl.String,
    "name": pl.String,
    "plan": pl.String,
    "slack_channel": pl.String,
    "alert_email": pl.String,
}
SHOWN_SCHEMA = {"company_id": pl.String, "notice_no": pl.String, "kind": pl.String, "item": pl.String}
OUTCOME_SCHEMA = {
    "notice_no": pl.String,
    "opened_at": pl.Datetime("us"),
    "winner_name": pl.String,
    "winning_amount": pl.Int64,
    "assessment_rate_pct": pl.Float64,
    "participant_count": pl.Int64,
}
OPTIONAL_OUTCOME = {"floor_amount": pl.Int64, "bid_amounts": pl.List(pl.Int64), "opening_status": pl.String}
FAILED_OPENING = "유찰"
FOLLOW_SCHEMA = {"company_id": pl.String, "notice_no": pl.String}

ALERT_SCHEMA = {
    "alert_key": pl.String,
    "company_id": pl.String,
    "kind": pl.String,
    "alert_date": pl.Date,
    "plan": pl.String,
    "payload": pl.String,
}
ITEM_SCHEMA = {
    "alert_key": pl.String,
    "notice_no": pl.String,
    "company_id": pl.String,
    "kind": pl.String,
    "position": pl.Int64,
    "item": pl.String,
}
OUTBOX_SCHEMA = {**ALERT_SCHEMA, "transport": pl.String, "destination": pl.String}


@dataclass(frozen=True)
class Due:
    alerts: pl.DataFrame  # ALERT_SCHEMA: one row per alert
    items: pl.DataFrame  # ITEM_SCHEMA: the notices of each alert


def with_optional(frame: pl.DataFrame, optional: dict) -> pl.DataFrame:
    """The frame with every optional column present (null where the source had none)."""
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in optional.items() if c not in frame.columns]
    return frame.with_columns(missing) if missing else frame


def days_left(close_at: dt.datetime | None, today: dt.date) -> int | None:
    return None if close_at is None else (close_at.date() - today).days


def briefing_key(company_id: str, day: dt.date) -> str:
    return f"{BRIEFING}:{company_id}:{day.isoformat()}"


def reminder_key(company_id: str, notice_no: str, days: int) -> str:
    return f"{REMINDER}:{company_id}:{notice_no}:D-{days}"


def result_key(company_id: str, notice_no: str) -> str:
    return f"{RESULT}:{company_id}:{notice_no}"


def _item(row: dict, pro: bool) -> dict:
    item = {
        "notice_no": row["notice_no"],
        "title": row["title"],
        "agency": row["agency"],
        "estimated_price": row["estimated_price"],
        "bid_close_at": row["bid_close_at"].isoformat(sep=" ") if row["bid_close_at"] else None,
        "verdict": row["verdict"],
        "eligibility": row["eligibility"],  # the verdict and its Korean reasons, as matching judged them
        "rank": row["rank"],
    }
    if pro:  # the Free plan never carries these, so no renderer can show them by mistake
        item.update({name: row.get(name) for name in PRO_ONLY})
    return item


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def select_due(
    candidates: pl.DataFrame,
    companies: pl.DataFrame,
    shown: pl.DataFrame,
    outcomes: pl.DataFrame,
    as_of: dt.datetime,
    kinds: Iterable[str] = KINDS,
    follows: pl.DataFrame | None = None,
) -> Due:
    """The alerts due at `as_of` (naive KST) for each company, and their items: the day's keys, and a briefing of the
    notices still open at that time (one that closed at 07:00 is not news at 08:00).

    `candidates` are the current matches (CANDIDATE_SCHEMA, optionally OPTIONAL_CANDIDATE); `shown` every notice an
    earlier alert showed (SHOWN_SCHEMA); `outcomes` the openings known (OUTCOME_SCHEMA, optionally OPTIONAL_OUTCOME);
    `follows` the notices companies follow. Keys are stable, so the caller drops keys it already holds."""
    kinds = set(kinds)
    today = as_of.date()
    candidates = with_optional(candidates, OPTIONAL_CANDIDATE)
    outcomes = with_optional(outcomes, OPTIONAL_OUTCOME)
    follows = follows if follows is not None else pl.DataFrame(schema=FOLLOW_SCHEMA)
    alerts: list[dict] = []
    items: list[dict] = []

    def add(key: str, company: dict, kind: str, payload: dict, shown_items: list[dict]) -> None:
        payload = {"kind": kind, "company_name": company["name"], "plan": company["plan"], **payload}
        alerts.append(
            {
                "alert_key": key,
                "company_id": company["company_id"],
                "kind": kind,
                "alert_date": today,
                "plan": company["plan"],
                "payload": _dump(payload),
            }
        )
        for position, item in enumerate(shown_items, start=1):
            items.append(
                {
                    "alert_key": key,
                    "notice_no": item["notice_no"],
                    "company_id": company["company_id"],
                    "kind": kind,
                    "position": position,
                    "item": _dump(item),
                }
            )

    for company in companies.sort("company_id").iter_rows(named=True):
        cid, pro = company["company_id"], company["plan"] == "pro"
        mine = candidates.filter(pl.col("company_id") == cid).sort("rank")
        seen = shown.filter(pl.col("company_id") == cid)

        if BRIEFING in kinds:
            briefed = set(seen.filter(pl.col("kind") == BRIEFING)["notice_no"].to_list())
            new = mine.filter(pl.col("verdict").is_in(BRIEFED_VERDICTS) & ~pl.col("notice_no").is_in(list(briefed)))
            new = new.filter(pl.col("bid_close_at").is_null() | (pl.col("bid_close_at") > as_of))
            shown_now = new if pro else new.head(FREE_DAILY_ITEMS)
            if shown_now.height:
                rows = [_item(r, pro) for r in shown_now.iter_rows(named=True)]
                add(
                    briefing_key(cid, today),
                    company,
                    BRIEFING,
                    {
                        "date": today.isoformat(),
                        "items": rows,
                        "total_new": new.height,
                        "left_out": new.height - shown_now.height,
                    },
                    rows,
                )

        if REMINDER in kinds:
            wanted = set(seen["notice_no"].to_list()) | set(follows.filter(pl.col("company_id") == cid)["notice_no"])
            for row in mine.filter(pl.col("notice_no").is_in(sorted(wanted))).iter_rows(named=True):
                left = days_left(row["bid_close_at"], today)
                if left in REMINDER_DAYS:
                    item = _item(row, pro)
                    add(
                        reminder_key(cid, row["notice_no"], left),
                        company,
                        REMINDER,  # type: ignore[arg-type]
                        {"days_left": left, "item": item},
                        [item],
                    )

        if RESULT in kinds and seen.height:
            # The item as first shown: it holds the recommendation made before the opening.
            first_shown = seen.unique("notice_no", keep="first", maintain_order=True)
            # A result is worth a message once it is settled: a winner is known (G2B may register it days after
            # the opening) or the opening failed (유찰). An opening still under review waits for the next run.
            settled = outcomes.filter(
                pl.col("winner_name").is_not_null()
                | pl.col("opening_status").str.contains(FAILED_OPENING).fill_null(False)
            )
            opened = first_shown.join(settled, on="notice_no", how="inner")
            for row in opened.iter_rows(named=True):
                item = json.loads(row["item"])
                outcome = {name: row[name] for name in (*OUTCOME_SCHEMA, *OPTIONAL_OUTCOME) if name != "notice_no"}
                outcome["opened_at"] = outcome["opened_at"].isoformat(sep=" ") if outcome["opened_at"] else None
                landing = landing_of(item.get("recommended_bid"), outcome) if pro else None
                outcome.pop("bid_amounts", None)
                add(
                    result_key(cid, row["notice_no"]),
                    company,
                    RESULT,
                    {"item": item, "outcome": outcome, "landing": landing},
                    [item],
                )

    return Due(pl.DataFrame(alerts, schema=ALERT_SCHEMA), pl.DataFrame(items, schema=ITEM_SCHEMA))


def landing_of(recommended: int | None, outcome: dict) -> str | None:
    """Where a recommended bid would have landed in the opening, in one Korean line (None without a recommendation)."""
    if recommended is None:
        return None
    floor, winning, bids = outcome.get("floor_amount"), outcome.get("winning_amount"), outcome.get("bid_amounts")
    if floor is not None and recommended < floor:
        return "낙찰하한가 미달로 무효였을 금액"
    if bids:
        valid = sorted(b for b in bids if b is not None and (floor is None or b >= floor))
        place = sum(1 for b in valid if b < recommended) + 1
        return "1순위: 낙찰이었을 금액" if place == 1 else f"유효 투찰 {len(valid)}건 중 {place}순위였을 금액"
    if winning is not None:
        if recommended >= winning:
            return "낙찰 금액보다 높아 낙찰은 어려웠을 금액"
        if floor is None:
            return "낙찰 금액보다 낮은 금액 (하한가 미상: 유효했다면 1순위)"
        return "낙찰 금액보다 낮아 1순위였을 금액"
    return None


def outbox_rows(due: Due, companies: pl.DataFrame, email_enabled: bool) -> pl.DataFrame:
    """One row per alert and transport: Slack where the profile names a channel, e-mail where it names an address
    and SMTP is set up. A company with neither gets no row (and so no alert)."""
    destinations = []
    for row in companies.iter_rows(named=True):
        if row["slack_channel"]:
            destinations.append(
                {"company_id": row["company_id"], "transport": "slack", "destination": row["slack_channel"]}
            )
        if row["alert_email"] and email_enabled:
            destinations.append(
                {"company_id": row["company_id"], "transport": "email", "destination": row["alert_email"]}
            )
    frame = pl.DataFrame(
        destinations, schema={"company_id": pl.String, "transport": pl.String, "destination": pl.String}
    )
    return due.alerts.join(frame, on="company_id", how="inner").select(list(OUTBOX_SCHEMA))
