"""Matching benchmark: hard-match precision/recall against labels computed from the simulator's truth without
the matcher's code, NDCG@10 of the soft ranking against a keyword-only baseline, and scale with the write
included (200 × 5,000 and 1,000 × 20,000 by default, each in its own process pinned to one core).

    .venv/bin/python bench/bench_matching.py [--days 5] [--postgres postgresql://...] [--sizes 200x5000,1000x20000]

It prints numbers and asserts nothing; the targets are in docs/matching.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching_labels import (
    NoticeSet,
    archetypes,
    build_notices,
    expected_verdict,
    relevance,
    synthetic_companies,
)

from bidradar.core import warehouse
from bidradar.ingestion.simulator import NoticeGenerator
from bidradar.matching import explain, hard, incremental, soft, store
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


def quality(days: list[dt.date], generator: NoticeGenerator) -> tuple[NoticeSet, list, pl.DataFrame]:
    as_of = dt.datetime.combine(days[-1], dt.time(23, 59, 59))  # the crawl saw the whole last day
    data = build_notices(generator, days)
    print(f"notices: {data.notices.height} from {days[0]}..{days[-1]}, as of {as_of:%Y-%m-%d %H:%M}")
    companies = archetypes()
    pairs_in = [(c.company_id, c.profile) for c in companies]
    profiles, licenses = profiles_frame(pairs_in), licenses_frame(pairs_in)
    result = hard.evaluate(
        data.notices, data.license_limits, data.region_limits, profiles, licenses, as_of, keep_all=True
    )
    by_id = {c.company_id: c for c in companies}
    labels = [
        expected_verdict(by_id[cid].profile, data.truth[no], as_of)
        for cid, no in result.select("company_id", "notice_no").iter_rows()
    ]
    got = result["verdict"].to_list()
    kinds = ("eligible", "conditional", "unknown", "ineligible")
    confusion = {(e, g): 0 for e in kinds for g in kinds}
    for e, g in zip(labels, got, strict=True):
        confusion[(e, g)] += 1
    tp = confusion[("eligible", "eligible")]
    fp = sum(confusion[(e, "eligible")] for e in kinds if e != "eligible")
    fn = sum(confusion[("eligible", g)] for g in kinds if g != "eligible")
    print(
        f"\nhard matches: {result.height} labelled pairs ({len(companies)} companies); labels from the generator's "
        "truth, computed without bidradar.matching (bench/matching_labels.py)"
    )
    print(
        f"  eligible: precision {tp / max(tp + fp, 1):.4f}  recall {tp / max(tp + fn, 1):.4f}  "
        f"(tp {tp}, fp {fp}, fn {fn})"
    )
    print("  " + "label / matcher".ljust(18) + " " + " ".join(f"{g:>10}" for g in kinds))
    for e in kinds:
        print(f"  {e:18} " + " ".join(f"{confusion[(e, g)]:>10}" for g in kinds))
    agree = sum(confusion[(k, k)] for k in kinds) / max(len(labels), 1)
    print(f"  three-way agreement {agree:.4f}")
    admitted = ("eligible", "conditional")
    wrong = sum(
        n
        for (e, g), n in confusion.items()
        if (e in admitted and g == "ineligible") or (e == "ineligible" and g in admitted)
    )
    print(f"  confidently wrong (admitted by one side, refused by the other): {wrong}")
    disagreements = result.with_columns(label=pl.Series(labels)).filter(pl.col("label") != pl.col("verdict"))
    if disagreements.height:
        sample = disagreements.head(5)
        for row in sample.iter_rows(named=True):
            print(
                f"    {row['company_id']} {row['notice_no']}: label {row['label']}, matcher {row['verdict']}: "
                f"{explain.render_explanation(row)}"
            )
    return data, companies, result


def candidates_fit_cosine(profile_texts: list[str], notice_texts: list[str]):  # type: ignore[no-untyped-def]
    """The scorer before issue 21 (for comparison only): TF-IDF fitted on the profiles and the candidate notices
    together, so each score depended on every open notice."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform([*profile_texts, *notice_texts])
    profiles, notices = matrix[: len(profile_texts)], matrix[len(profile_texts) :]
    return np.asarray((profiles @ notices.T).todense(), dtype=np.float32)


def soft_quality(data: NoticeSet, companies: list, result: pl.DataFrame) -> None:
    pairs_in = [(c.company_id, c.profile) for c in companies]
    profiles = profiles_frame(pairs_in)
    top = soft.score_pairs(result, data.notices, profiles, top_k=10**6)
    before = soft.score_pairs(result, data.notices, profiles, top_k=10**6, scorer=candidates_fit_cosine)
    baseline = soft.keyword_counts(data.notices, profiles)
    candidates = result.filter(pl.col("verdict").is_in([hard.ELIGIBLE, hard.CONDITIONAL, hard.UNKNOWN])).select(
        "company_id", "notice_no"
    )
    print(
        "\nsoft ranking, NDCG@10 and NDCG@50 over each company's eligible/unknown notices (labels: generator title "
        "objects); tf-idf: the IDF fitted on the profiles (the scorer); before: fitted on profiles and candidates"
    )
    print(f"  {'company':16} {'candidates':>10} {'relevant':>8} {'tf-idf':>13} {'before':>13} {'keywords':>13}")
    scores: dict[str, list[float]] = {}
    for company in companies:
        cands = candidates.filter(pl.col("company_id") == company.company_id)["notice_no"].to_list()
        labels = {no: relevance(company, data.truth[no]) for no in cands}
        if not any(labels.values()):
            continue
        hits = dict(
            baseline.filter(pl.col("company_id") == company.company_id).select("notice_no", "keyword_hits").iter_rows()
        )
        rankings = {
            "tf-idf": top.filter(pl.col("company_id") == company.company_id).sort("rank")["notice_no"].to_list(),
            "before": before.filter(pl.col("company_id") == company.company_id).sort("rank")["notice_no"].to_list(),
            "keywords": sorted(cands, key=lambda no: (-hits.get(no, 0), no)),
        }
        all_labels = list(labels.values())
        cells = []
        for name, ranked in rankings.items():
            at10, at50 = (ndcg_at([labels[no] for no in ranked], all_labels, k) for k in (10, 50))
            scores.setdefault(f"{name}@10", []).append(at10)
            scores.setdefault(f"{name}@50", []).append(at50)
            cells.append(f"{at10:.3f} / {at50:.3f}")
        print(
            f"  {company.company_id:16} {len(cands):>10} {sum(1 for v in all_labels if v):>8} "
            + " ".join(f"{c:>13}" for c in cells)
        )
    if scores:
        mean = lambda values: sum(values) / len(values)  # noqa: E731
        cells = [
            f"{mean(scores[f'{n}@10']):.3f} / {mean(scores[f'{n}@50']):.3f}" for n in ("tf-idf", "before", "keywords")
        ]
        print(f"  {'mean':16} {'':>10} {'':>8} " + " ".join(f"{c:>13}" for c in cells))


def backend_cpu_seconds(engine) -> float:  # type: ignore[no-untyped-def]
    """CPU seconds (user + system) used so far by the PostgreSQL backends of this database (same machine, /proc):
    the server's share of a write, which wall time on a loaded machine does not show."""
    if warehouse.dialect_of(engine) != "postgresql":
        return 0.0
    import sqlalchemy as sa

    probe = sa.create_engine(engine.url, poolclass=sa.pool.NullPool)
    with probe.connect() as conn:
        pids = conn.execute(
            sa.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        ).scalars()
        pids = list(pids)
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(stat[11]) + int(stat[12])) / tick
        except OSError:
            pass
    return total


def timed(engine, fn) -> dict:  # type: ignore[no-untyped-def]
    server, wall, cpu = backend_cpu_seconds(engine), time.perf_counter(), time.process_time()
    fn()
    return {
        "wall_s": round(time.perf_counter() - wall, 2),
        "cpu_s": round(time.process_time() - cpu, 2),
        "server_cpu_s": round(backend_cpu_seconds(engine) - server, 2),
    }


def scale_run(folder: Path, companies: int, notices: int, database_url: str) -> None:
    """One measured run in this process: the match, then the write of what the hard_matches asset writes on a full
    rebuild (hard_matches, hard_match_notice_verdicts, hard_match_summary; replace='table') into empty tables, the same
    write again (an unchanged rebuild), on PostgreSQL a bare COPY of the same rows into empty copies of the tables (the
    floor the write is compared with), and a new day: a tenth of the notices judged again as the asset's incremental
    path does (the stored codes of the others read, the judged block assembled over them, the whole counted, the
    changed rows deleted and written)."""
    data = pl.read_parquet(folder / "notices.parquet").head(notices)
    licenses = pl.read_parquet(folder / "licenses.parquet")
    regions = pl.read_parquet(folder / "regions.parquet")
    as_of = dt.datetime.fromisoformat((folder / "as_of.txt").read_text())
    synthetic = synthetic_companies(companies)
    profiles, holdings = profiles_frame(synthetic), licenses_frame(synthetic)
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    tables = ("hard_matches", "hard_match_notice_verdicts", "hard_match_summary")
    with engine.begin() as conn:  # empty tables as on a first run (TRUNCATE: no dead rows of an earlier run)
        for table in tables:
            verb = "TRUNCATE" if warehouse.dialect_of(engine) == "postgresql" else "DELETE FROM"
            conn.exec_driver_sql(f"{verb} {table}")
    start, cpu_start = time.perf_counter(), time.process_time()
    result = hard.match(data, licenses, regions, profiles, holdings, as_of)
    matched, matched_cpu = time.perf_counter() - start, time.process_time() - cpu_start
    summary = result.summary.with_columns(as_of=pl.lit(as_of), evaluated_at=pl.lit(as_of))
    keys = ["company_id", "notice_no"]
    encode_cpu = time.process_time()
    code_rows = store.verdict_code_rows(result.codes)
    encode_cpu = time.process_time() - encode_cpu
    writes = [
        warehouse.TableWrite("hard_matches", result.pairs, keys, replace="table"),
        warehouse.TableWrite("hard_match_notice_verdicts", code_rows, ["notice_no"], replace="table"),
        warehouse.TableWrite("hard_match_summary", summary, ["company_id"], replace="table"),
    ]
    first = timed(engine, lambda: warehouse.write(engine, writes))
    total, total_cpu = time.perf_counter() - start, time.process_time() - cpu_start
    rss_full = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    again = timed(engine, lambda: warehouse.write(engine, writes))
    bare = None
    if warehouse.dialect_of(engine) == "postgresql":

        def bare_copy(writes: list[warehouse.TableWrite]) -> None:
            with engine.begin() as conn:
                for w in writes:
                    conn.exec_driver_sql(f"CREATE TEMP TABLE bare_{w.table} (LIKE {w.table} INCLUDING ALL)")
                    warehouse._copy_into(conn, f"bare_{w.table}", w.frame)

        bare = timed(engine, lambda: bare_copy(writes))
    new_day = timed(engine, lambda: _new_day(engine, result, data, licenses, regions, profiles, holdings, as_of))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pairs = companies * data.height
    counts = {k: int(result.summary[k].sum()) for k in ("eligible", "unknown", "ineligible")}
    ratio = lambda run, floor: round(run["wall_s"] / floor["wall_s"], 2) if floor else None  # noqa: E731
    print(
        json.dumps(
            {
                "companies": companies,
                "notices": data.height,
                "pairs": pairs,
                "match_s": round(matched, 2),
                "match_cpu_s": round(matched_cpu, 2),
                "encode_codes_cpu_s": round(encode_cpu, 2),
                "match_and_write_s": round(total, 2),
                "match_and_write_cpu_s": round(total_cpu, 2),
                "rows": {"hard_matches": result.pairs.height, "verdict_code_rows": code_rows.height},
                "verdict_code_mb": round(sum(len(b) for b in code_rows["verdict_codes"]) / 1e6, 1),
                "write": first,
                "bare_copy": bare,
                "write_vs_bare_copy": ratio(first, bare),
                "rewrite_all_unchanged": again,
                "new_day_tenth_of_notices": new_day,
                "peak_rss_full_mb": round(rss_full),
                "peak_rss_mb": round(rss),
                "load_average_1m": round(os.getloadavg()[0], 1),
                "pairs_per_s": round(pairs / total),
                **counts,
            }
        )
    )


def _new_day(engine, full: hard.MatchResult, data, licenses, regions, profiles, holdings, as_of) -> None:  # type: ignore[no-untyped-def]
    """The asset's incremental path for a tenth of the notices (new or changed), the stored state being `full`'s."""
    notice_nos = full.codes.notice_nos
    changed = notice_nos[: max(1, len(notice_nos) // 10)]
    kept = notice_nos[len(changed) :]
    company_ids = full.codes.company_ids
    stored = store.read_verdict_codes(engine, company_ids, kept)
    pick = lambda f: f.filter(pl.col("notice_no").is_in(changed))  # noqa: E731
    judged = hard.match(pick(data), pick(licenses), pick(regions), profiles, holdings, as_of)
    codes = incremental.assemble_codes(stored, [judged.codes], notice_nos, company_ids)
    summary = hard.summary_from_codes(codes.codes, company_ids).with_columns(
        as_of=pl.lit(as_of), evaluated_at=pl.lit(as_of)
    )
    keys = ["company_id", "notice_no"]
    warehouse.write(
        engine,
        [
            warehouse.TableWrite(
                "hard_matches", judged.pairs, keys, replace="keys", delete_keys={"notice_no": changed}
            ),
            warehouse.TableWrite(
                "hard_match_notice_verdicts",
                store.verdict_code_rows(codes, changed),
                ["notice_no"],
                replace="keys",
                delete_keys={"notice_no": changed},
            ),
            warehouse.TableWrite("hard_match_summary", summary, ["company_id"], replace="table"),
        ],
    )


def scale(generator: NoticeGenerator, sizes: list[tuple[int, int]], postgres: str | None, sqlite: bool = True) -> None:
    """Each size in its own process (so peak memory is its own), one core: the time includes the write."""
    needed = max(n for _, n in sizes)
    start_day = dt.date(2026, 3, 2)
    days: list[dt.date] = []
    data = None
    while data is None or data.notices.height < needed:
        days += [start_day + dt.timedelta(days=len(days) + i) for i in range(7)]
        data = build_notices(generator, days)
    as_of = dt.datetime.combine(days[0], dt.time(0, 0))  # every notice is open
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data.notices.write_parquet(folder / "notices.parquet")
        data.license_limits.write_parquet(folder / "licenses.parquet")
        data.region_limits.write_parquet(folder / "regions.parquet")
        (folder / "as_of.txt").write_text(as_of.isoformat())
        env = {**os.environ, "POLARS_MAX_THREADS": "1"}
        for companies, notices in sizes:
            targets = [("sqlite", f"sqlite:///{folder / f'w{companies}.db'}")] if sqlite else []
            if postgres:
                targets.append(("postgresql", postgres))
            for backend, url in targets:
                out = subprocess.run(
                    [
                        "taskset",
                        "-c",
                        "0",
                        sys.executable,
                        __file__,
                        "--scale-run",
                        str(folder),
                        str(companies),
                        str(notices),
                        url,
                    ],
                    capture_output=True,
                    text=True,
                    env=env,
                    check=False,
                )
                line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-400:]
                print(f"  {backend:10} {companies:>5} × {notices:>6}: {line}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--postgres", default=None, help="also write to this PostgreSQL database (it is migrated)")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--sizes", default="200x5000,1000x20000")
    parser.add_argument("--no-sqlite", action="store_true", help="scale runs on PostgreSQL only")
    parser.add_argument("--scale-run", nargs=4, metavar=("FOLDER", "COMPANIES", "NOTICES", "URL"), default=None)
    args = parser.parse_args()
    if args.scale_run:
        folder, companies, notices, url = args.scale_run
        scale_run(Path(folder), int(companies), int(notices), url)
        return

    generator = NoticeGenerator(seed=args.seed, notices_per_day=1500)
    if not args.skip_quality:
        days = [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(args.days)]
        data, companies, result = quality(days, generator)
        soft_quality(data, companies, result)
    sizes = [tuple(int(x) for x in size.split("x")) for size in args.sizes.split(",")]
    print(
        "\nscale: hard match + write (kept pairs, verdict codes, summary; then all again unchanged; then a new day of a "
        "tenth of the notices), one core "
        f"(taskset -c 0, POLARS_MAX_THREADS=1), load average {os.getloadavg()[0]:.1f}"
    )
    scale(generator, sizes, args.postgres, sqlite=not args.no_sqlite)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
