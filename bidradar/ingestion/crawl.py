"""What one daily partition crawls, as raw pages ready for `g2b_raw_pages`.

A day's window is 00:00–23:59 KST (G2B windows are inclusive to the minute). Notices are read by
registration time (inqryDiv=1) and by change time (inqryDiv=3, so amendments of older notices are picked
up); results by registration time, then every bidder of each completed opening.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field

import polars as pl

from bidradar.core.clock import now_kst
from bidradar.ingestion import fields
from bidradar.ingestion.client import G2BClient, G2BQuotaExceeded, Page, page_size_for
from bidradar.ingestion.normalize import encode_columnar, encode_items

NOTICE_LIST_OPS = [f"getBidPblancListInfo{c}" for c in ("Thng", "Servc", "Cnstwk", "Frgcpt")]
BASE_AMOUNT_OPS = [f"getBidPblancListInfo{c}BsisAmount" for c in ("Thng", "Servc", "Cnstwk")]
LICENSE_LIMIT_OP = "getBidPblancListInfoLicenseLimit"
REGION_LIMIT_OP = "getBidPblancListInfoPrtcptPsblRgn"
AWARD_OPS = [f"getScsbidListSttus{c}" for c in ("Thng", "Servc", "Cnstwk", "Frgcpt")]
OPENING_OPS = [f"getOpengResultListInfo{c}" for c in ("Thng", "Servc", "Cnstwk", "Frgcpt")]
RESERVE_PRICE_OPS = [f"getOpengResultListInfo{c}PreparPcDetail" for c in ("Thng", "Servc", "Cnstwk", "Frgcpt")]
BIDDERS_OP = "getOpengResultListInfoOpengCompt"
BIDDER_PAGE_SIZE = page_size_for(BIDDERS_OP)

RAW_PAGE_COLUMNS = {
    "dataset": pl.String,
    "operation": pl.String,
    "request_key": pl.String,
    "page_no": pl.Int64,
    "total_count": pl.Int64,
    "item_count": pl.Int64,
    "items_json_gz": pl.Binary,
    "fetched_at": pl.Datetime("us"),
    "items_ipc": pl.Binary,
    "mapping_version": pl.String,
}


@dataclass(frozen=True)
class RawPage:
    """One page as `g2b_raw_pages` stores it, its items encoded as soon as it arrives (the gzipped JSON, the source
    of truth, and the columnar copy normalization reads): a results day holds ~150,000 bidders, ~200 MB as Python
    dicts and ~20 MB encoded."""

    dataset: str
    operation: str
    request_key: str
    page_no: int
    total_count: int
    item_count: int
    items_json_gz: bytes
    items_ipc: bytes
    fetched_at: dt.datetime

    @classmethod
    def of(cls, dataset: str, operation: str, request_key: str, page: Page, fetched_at: dt.datetime) -> RawPage:
        return cls(
            dataset,
            operation,
            request_key,
            page.page_no,
            page.total_count,
            len(page.items),
            encode_items(page.items),
            encode_columnar(page.items, operation),
            fetched_at,
        )


def day_window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime.combine(day, dt.time(0, 0)), dt.datetime.combine(day, dt.time(23, 59))


def crawl_notice_day(client: G2BClient, day: dt.date) -> list[RawPage]:
    """Notices of all categories (registered or changed that day) with 기초금액, 면허제한 and 참가가능지역."""
    start, end = day_window(day)
    plan = [(op, 1) for op in NOTICE_LIST_OPS] + [(op, 3) for op in NOTICE_LIST_OPS]
    plan += [(op, 1) for op in [*BASE_AMOUNT_OPS, LICENSE_LIMIT_OP, REGION_LIMIT_OP]]
    return [
        RawPage.of("notices", op, key, page, now_kst())
        for op, div in plan
        for key, page in client.iter_window(op, div, start, end)
    ]


@dataclass
class BidderPlan:
    """What the quota allows of one result day's bidder crawl (one call per page of an opening's bidders).

    `known` maps the request keys already stored for the day (opening key @ fingerprint) to their raw pages:
    an opening's bidders are fetched once, and again only when the opening changed (a new fingerprint).
    `budget_left` is what the warehouse's call ledger (`g2b_call_ledger`) leaves of today's budget for the bidders
    operation; the ledger itself counts (and refuses) each call. Order: openings like the ones the profiles bid
    on first (`liked`: (category, demand agency) of their matched notices, then `liked_categories`), then those
    whose notice is in the warehouse (`noticed`: only with the notice's 하한율 does a list show the floor), then
    the oldest opening first.

    `defer_unnoticed`: a run of several result days sets it on every day but its last, so the openings whose notice
    is not in the warehouse wait and the budget goes to lists that show the floor on whichever day they fall. Without
    it, the oldest day of a backfill spent the whole budget on openings of notices registered before the crawl (a
    14-day demo: 769 lists, all on its first day, none with a floor, so no opening could be replayed); the deferred
    ones are fetched by the run's last day or by `bidder_lists_resume` when budget is left."""

    budget_left: int
    known: pl.DataFrame | None = None
    liked: frozenset[tuple[str, str]] = frozenset()
    liked_categories: frozenset[str] = frozenset()
    noticed: frozenset[str] = frozenset()
    defer_unnoticed: bool = False
    fetched: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    openings: int = 0
    with_count: int = 0

    def priority(self, item: dict[str, str], category: str) -> tuple:
        agency = item.get("dminsttCd", "")
        similar = 0 if (category, agency) in self.liked else 1 if category in self.liked_categories else 2
        noticed = 0 if item.get("bidNtceNo", "") in self.noticed else 1
        return (similar, noticed, item.get("opengDt", ""), item.get("bidNtceNo", ""))

    def as_metadata(self) -> dict[str, object]:
        return {
            "completed_openings": self.openings,
            "openings_with_participant_count": self.with_count,
            "bidder_openings_fetched": len(self.fetched),
            "bidder_openings_reused": len(self.reused),
            "bidder_openings_deferred": len(self.deferred),
            "bidder_list_coverage_pct": round(
                100 * (len(self.fetched) + len(self.reused)) / self.openings if self.openings else 100.0, 1
            ),
            "bidder_budget_left": self.budget_left,
            "deferred_examples": ", ".join(self.deferred[:10]),
        }


def opening_fingerprint(item: dict[str, str]) -> str:
    """Changes when the opening does (status, participants, registration): its bidders are then fetched again."""
    text = "|".join(item.get(k, "") for k in ("progrsDivCdNm", "prtcptCnum", "inptDt", "opengDt"))
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def _category_of(operation: str) -> str:
    return next((name for code, name in fields.CATEGORIES.items() if code in operation), "")


def crawl_result_day(client: G2BClient, day: dt.date, plan: BidderPlan | None = None) -> list[RawPage]:
    """Awards, openings and 예비가격 registered that day, then the bidders of each completed opening.

    The participant count of every opening comes in bulk with the opening and award lists (`prtcptCnum`); the
    bidder lists cost one call per page of each opening. With a `plan`, bidders already stored for an unchanged
    opening are reused (`reused_pages(plan)`), and openings beyond the day's budget are deferred in the plan's
    order (a later run, on a later day too, fetches them: see `assets.ingestion.bidder_lists_resume`)."""
    start, end = day_window(day)
    lists = [
        (op, key, page, now_kst())
        for op in [*AWARD_OPS, *OPENING_OPS, *RESERVE_PRICE_OPS]
        for key, page in client.iter_window(op, 1, start, end)
    ]
    openings = {
        (item["bidNtceNo"], item["bidNtceOrd"], item.get("bidClsfcNo", ""), item.get("rbidNo", "")): (
            item,
            _category_of(op),
        )
        for op, _, page, _ in lists
        if op in OPENING_OPS
        for item in page.items
        if item.get("progrsDivCdNm", "") == "개찰완료"
    }
    pages = [RawPage.of("results", *fetched) for fetched in lists]
    if plan is not None:
        plan.openings = len(openings)
        plan.with_count = sum(1 for item, _ in openings.values() if item.get("prtcptCnum", "").strip().isdigit())
        order = sorted(openings, key=lambda k: (plan.priority(*openings[k]), k))
    else:
        order = sorted(openings)
    known_keys = set(plan.known["request_key"].to_list()) if plan is not None and plan.known is not None else set()
    for notice_no, order_, class_no, rebid_no in order:
        item = openings[(notice_no, order_, class_no, rebid_no)][0]
        key = f"{notice_no}-{order_}-{class_no}-{rebid_no}@{opening_fingerprint(item)}"
        if plan is not None:
            if key in known_keys:
                plan.reused.append(key)
                continue
            if plan.defer_unnoticed and notice_no not in plan.noticed:
                plan.deferred.append(key)
                continue
            cost = max(1, math.ceil(int(item.get("prtcptCnum") or 1) / BIDDER_PAGE_SIZE))
            if cost > plan.budget_left:
                plan.deferred.append(key)
                continue
        params = {"bidNtceNo": notice_no, "bidNtceOrd": order_, "bidClsfcNo": class_no, "rbidNo": rebid_no}
        before = client.stats.calls[BIDDERS_OP]
        try:
            fetched = [
                RawPage.of("results", BIDDERS_OP, key, page, now_kst())
                for page in client.iter_pages(BIDDERS_OP, params)
            ]
        except G2BQuotaExceeded:
            if plan is None:
                raise
            # Another process spent the rest of today's quota (the ledger refused), or G2B said 22: the pages of
            # this opening already fetched are thrown away (the ledger counted them) and the rest waits.
            plan.deferred.append(key)
            plan.budget_left = 0
            continue
        pages += fetched
        if plan is not None:
            plan.budget_left -= client.stats.calls[BIDDERS_OP] - before
            plan.fetched.append(key)
    return pages


def reused_pages(plan: BidderPlan | None) -> pl.DataFrame | None:
    """The stored bidder pages the plan reused, to be written again with the day's other pages."""
    if plan is None or plan.known is None or not plan.reused:
        return None
    return plan.known.filter(pl.col("request_key").is_in(plan.reused))


def raw_pages_frame(pages: list[RawPage]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "dataset": [p.dataset for p in pages],
            "operation": [p.operation for p in pages],
            "request_key": [p.request_key for p in pages],
            "page_no": [p.page_no for p in pages],
            "total_count": [p.total_count for p in pages],
            "item_count": [p.item_count for p in pages],
            "items_json_gz": [p.items_json_gz for p in pages],
            "fetched_at": [p.fetched_at for p in pages],
            "items_ipc": [p.items_ipc for p in pages],
            "mapping_version": [fields.MAPPING_VERSION] * len(pages),
        },
        schema=RAW_PAGE_COLUMNS,
    )


def count_mismatches(raw_pages: pl.DataFrame) -> pl.DataFrame:
    """Requests whose received items differ from the API's totalCount (pages lost or doubled)."""
    return (
        raw_pages.group_by("operation", "request_key")
        .agg(pl.col("item_count").sum().alias("received"), pl.col("total_count").max().alias("total_count"))
        .filter(pl.col("received") != pl.col("total_count"))
        .sort("operation", "request_key")
    )
