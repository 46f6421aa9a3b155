"""Matching benchmark: hard-match precision/recall on the simulator's truth, NDCG@10 of the soft ranking
against a keyword-only baseline, and throughput (pairs per second; 200 companies × 5,000 open notices).

    .venv/bin/python bench/bench_matching.py [--days 5] [--seed 20260101]

It prints numbers and asserts nothing; the targets are in docs/matching.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching_labels import (
    archetypes,
    build_notices,
    expected_eligible,
    relevance,
    synthetic_companies,
)

from bidradar.ingestion.simulator import NoticeGenerator
from bidradar.matching import hard, soft
from bidradar.matching.profiles import licenses_frame, profiles_frame


def ndcg_at(ranked_labels: list[int], all_labels: list[int], k: int = 10) -> float:
    def dcg(labels: list[int]) -> float:
        return sum((2**rel - 1) / math.log2(i + 2) for i, rel in enumerate(labels[:k]))

    ideal = dcg(sorted(all_labels, reverse=True))
    return dcg(ranked_labels) / ideal if ideal > 0 else float("nan")


def best_of(runs: int, fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, out = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()

    generator = NoticeGenerator(seed=args.seed, notices_per_day=1500)
    days = [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(args.days)]
    as_of = dt.datetime.combine(days[-1], dt.time(23, 59, 59))  # the crawl saw the whole last day
    data = build_notices(generator, days)
    print(f"notices: {data.notices.height} from {days[0]}..{days[-1]}, as of {as_of:%Y-%m-%d %H:%M}")

    # --- hard matching quality --------------------------------------------------------------------------------
    companies = archetypes()
    pairs_in = [(c.company_id, c.profile) for c in companies]
    profiles, licenses = profiles_frame(pairs_in), licenses_frame(pairs_in)
    result = hard.evaluate(data.notices, data.license_limits, data.region_limits, profiles, licenses, as_of)
    by_id = {c.company_id: c for c in companies}
    expected = [
        expected_eligible(by_id[cid].profile, data.truth[no], as_of)
        for cid, no in result.select("company_id", "notice_no").iter_rows()
    ]
    got = (result["verdict"] == hard.ELIGIBLE).to_list()
    tp = sum(e and g for e, g in zip(expected, got, strict=True))
    fp = sum(g and not e for e, g in zip(expected, got, strict=True))
    fn = sum(e and not g for e, g in zip(expected, got, strict=True))
    unknown = int((result["verdict"] == hard.UNKNOWN).sum())
    print(f"\nhard matches: {result.height} labelled pairs ({len(companies)} companies), "
          f"{sum(expected)} eligible by the generator's truth, {unknown} unknown")  # fmt: skip
    print(f"  precision {tp / max(tp + fp, 1):.4f}  recall {tp / max(tp + fn, 1):.4f}  (tp {tp}, fp {fp}, fn {fn})")

    # --- soft ranking quality ---------------------------------------------------------------------------------
    top = soft.score_pairs(result, data.notices, profiles, top_k=10**6)
    baseline = soft.keyword_counts(data.notices, profiles)
    candidates = result.filter(pl.col("verdict").is_in([hard.ELIGIBLE, hard.UNKNOWN])).select("company_id", "notice_no")
    print("\nsoft ranking, NDCG@10 over each company's eligible/unknown notices (labels: generator title objects)")
    print("  (@all: NDCG of the whole ranking, which top-10 saturation hides)")
    print(
        f"  {'company':14} {'candidates':>10} {'relevant':>8} {'tf-idf':>7} {'keywords':>8} {'tf-idf@all':>10} "
        f"{'keywords@all':>12}"
    )
    model_scores, base_scores, model_all, base_all = [], [], [], []
    for company in companies:
        cands = candidates.filter(pl.col("company_id") == company.company_id)["notice_no"].to_list()
        labels = {no: relevance(company, data.truth[no]) for no in cands}
        if not any(labels.values()):
            continue
        ranked = top.filter(pl.col("company_id") == company.company_id).sort("rank")["notice_no"].to_list()
        hits = dict(baseline.filter(pl.col("company_id") == company.company_id).select("notice_no",
                                                                                        "keyword_hits").iter_rows())  # fmt: skip
        # Keyword-only: more keyword hits first; ties in notice order (what a keyword filter shows).
        base_ranked = sorted(cands, key=lambda no: (-hits.get(no, 0), no))
        all_labels = list(labels.values())
        m = ndcg_at([labels[no] for no in ranked], all_labels)
        b = ndcg_at([labels[no] for no in base_ranked], all_labels)
        ma = ndcg_at([labels[no] for no in ranked], all_labels, len(cands))
        ba = ndcg_at([labels[no] for no in base_ranked], all_labels, len(cands))
        model_scores.append(m)
        base_scores.append(b)
        model_all.append(ma)
        base_all.append(ba)
        relevant = sum(1 for v in all_labels if v > 0)
        print(f"  {company.company_id:14} {len(cands):>10} {relevant:>8} {m:>7.3f} {b:>8.3f} {ma:>10.3f} {ba:>12.3f}")
    mean = lambda values: sum(values) / len(values)  # noqa: E731
    print(f"  {'mean':14} {'':>10} {'':>8} {mean(model_scores):>7.3f} {mean(base_scores):>8.3f} "
          f"{mean(model_all):>10.3f} {mean(base_all):>12.3f}")  # fmt: skip

    # --- throughput: 200 companies × 5,000 open notices -------------------------------------------------------
    open_notices = data.notices.filter(pl.col("bid_close_at") > as_of).head(5000)
    synthetic = synthetic_companies(200)
    big_profiles, big_licenses = profiles_frame(synthetic), licenses_frame(synthetic)
    seconds, big = best_of(
        3,
        lambda: hard.evaluate(open_notices, data.license_limits, data.region_limits, big_profiles, big_licenses, as_of),
    )
    n_pairs = big.height  # type: ignore[union-attr]
    print(
        f"\nthroughput ({open_notices.height} open notices × {len(synthetic)} companies = {n_pairs:,} pairs, best of 3)"
    )
    print(f"  hard matching: {seconds:.3f} s = {n_pairs / seconds:,.0f} pairs/s  (targets: < 2 s, ≥ 1,000,000 pairs/s)")
    counts = big["verdict"].value_counts().sort("verdict").rows()  # type: ignore[index]
    print(f"  verdicts: {dict(counts)}")
    soft_seconds, scored = best_of(3, lambda: soft.score_pairs(big, open_notices, big_profiles))
    n_candidates = int(big.filter(pl.col("verdict") != hard.INELIGIBLE).height)  # type: ignore[union-attr]
    print(f"  soft matching: {soft_seconds:.3f} s for {n_candidates:,} eligible/unknown pairs "
          f"({scored.height:,} kept, top {soft.MATCH_TOP_K} per company)")  # type: ignore[union-attr]  # fmt: skip


if __name__ == "__main__":
    main()
