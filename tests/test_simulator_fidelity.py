"""Fidelity of the simulated market: each statistic computed from a generated month, checked against its real target.

The statistics are computed here, independently of the generator's constants: only from the values the
simulator serves (notice items, 기초금액 rows, 면허제한 rows, openings, 예비가격, bidders, awards), the way one would
compute them from the real API. Targets and sources: docs/simulator.md. Print the table with
    .venv/bin/python -m tests.test_simulator_fidelity
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from functools import lru_cache

import pytest

from bidradar.ingestion.simulator import NoticeGenerator
from bidradar.ingestion.simulator.generator import Notice

SEED, PER_DAY = 20260101, 400
MONTH = [dt.date(2026, 3, 1) + dt.timedelta(days=i) for i in range(31)]
REAL_RATES = {87.745, 89.745, 86.745, 88.745, 85.495, 87.495, 79.995, 81.995, 87.995, 89.995, 84.995, 84.245, 80.495}

# name -> (low, high, source)
TARGETS: dict[str, tuple[float, float, str]] = {
    "sajeong_sd_2pct": (0.45, 0.62, "uniform draw ~0.51 pt (README: 복수예가 mechanics)"),
    "sajeong_sd_3pct": (0.68, 0.92, "uniform draw ~0.77 pt"),
    "agency_r2_adjusted": (
        0.0,
        0.25,
        "published models R² 0.34–0.40 with all features; an agency mean explains little",
    ),
    "bidders_median_small_construction": (150, 1000, "small 공사 openings often have hundreds of bidders"),
    "bidders_median_small_services": (60, 600, "small 용역 openings: ~100 and more"),
    "bidders_median_goods": (10, 80, "물품 적격심사: tens of bidders"),
    "share_openings_100_plus": (0.3, 0.75, "hundreds common for 공사/용역, rare for 물품"),
    "share_bids_below_floor": (0.35, 0.6, "half the guesses of the 예정가격 are too low (README)"),
    "share_bids_3pt_above_floor": (0.0, 0.06, "few bid far above the floor"),
    "winner_points_above_floor_100plus": (0.0, 0.08, "with hundreds of bidders the winner sits a hair above"),
    "a_value_share_small_construction": (0.7, 0.97, "A값 is the rule for small 적격심사 공사"),
    "share_rates_in_real_set": (1.0, 1.0, "sucsfbidLwltRate from the real bands (bidradar/rules/rates.py)"),
    "share_negotiated_with_opening": (0.85, 1.0, "협상/외자 notices are opened and awarded too"),
    "share_negotiated_award_not_lowest": (0.2, 0.7, "협상: the technical score decides"),
    "share_rank1_passed_over": (0.03, 0.15, "rank 1 sometimes fails 적격심사"),
    "share_awards_later_day": (0.4, 0.85, "the final winner is registered after the review, 0–10 working days"),
    "max_award_lag_working_days": (5, 10, "0–10 working days"),
    "share_services": (0.35, 0.5, "용역 ~1,500 a day of ~3,600 notices (README)"),
    "share_foreign": (0.003, 0.03, "외자 about 1%"),
    "share_bssamt_round_1000": (0.3, 0.8, "기초금액 often, not always, round to 1,000원"),
    "share_result_class_no_0": (1.0, 1.0, "result operations carry bidClsfcNo 0"),
    "share_numbers_spelling_day_of_year": (0.0, 0.05, "notice numbers are a running sequence, not a date"),
    "numbers_increase_with_time": (1.0, 1.0, "later notices have larger numbers"),
    "share_single_license_group": (0.5, 0.9, "most 면허제한 ask for one license (or its stand-in)"),
    "share_license_rows_with_main_field": (0.02, 0.3, "주력분야 (indstrytyMfrcFldList) on some 전문공사 rows"),
    "share_limit_flag_without_regions": (0.02, 0.4, "참가제한 also covers non-regional limits"),
}


def _working_days(start: dt.date, end: dt.date) -> int:
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        days += day.weekday() < 5
    return days


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else float("nan")


def _parse(value: str) -> dt.datetime:
    return dt.datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S" if len(value) >= 19 else "%Y-%m-%d %H:%M")


@lru_cache(maxsize=1)
def measure() -> dict[str, float]:
    gen = NoticeGenerator(seed=SEED, notices_per_day=PER_DAY)
    # Results, as served: openings, 예비가격, bidders, awards
    sajeong: dict[float, list[tuple[str, float]]] = defaultdict(list)
    bids_below, bids_far, winner_gap, counts = [], [], [], defaultdict(list)
    passed_over, later_day, lags, class_no, negotiated_opened, not_lowest, hundred = [], [], [], [], [], [], []

    def add_opening(n: Notice) -> None:
        result = gen.result_for(n.no)
        priced = bool(n.versions[-1].values.get("sucsfbidLwltRate"))
        if not priced:
            negotiated_opened.append(result is not None)
        if result is None:
            return
        opening = gen.opening_values(result)
        class_no.append(opening["bidClsfcNo"] == "0")
        if opening["progrsDivCdNm"] != "개찰완료":
            return
        bidders = [gen.compt_values(result, i) for i in range(int(opening["prtcptCnum"]))]
        award = gen.award_values(result)
        class_no.extend([award["bidClsfcNo"] == "0", bidders[0]["bidClsfcNo"] == "0"])
        opened, awarded = _parse(opening["inptDt"]), _parse(award["rgstDt"])
        later_day.append(awarded.date() > opened.date())
        lags.append(_working_days(opened.date(), awarded.date()))
        amounts = sorted(int(b["bidprcAmt"]) for b in bidders)
        if not priced:
            if n.category != "Frgcpt" and len(amounts) > 1:
                not_lowest.append(int(award["sucsfbidAmt"]) != amounts[0])
            return
        prepar = [gen.prepar_values(result, k) for k in range(1, 16)]
        plnprc, bssamt = int(prepar[0]["plnprc"]), int(prepar[0]["bssamt"])
        bsis = n.bsis.values
        half = float(bsis["rsrvtnPrceRngEndRate"])
        sajeong[half].append((n.versions[-1].values["dminsttCd"], plnprc / bssamt * 100))
        rate = float(n.versions[-1].values["sucsfbidLwltRate"])
        a_value = 0
        if bsis.get("bidPrceCalclAYn") == "Y":
            a_value = sum(
                int(bsis[k])
                for k in (
                    "npnInsrprm",
                    "mrfnHealthInsrprm",
                    "rtrfundNon",
                    "odsnLngtrmrcprInsrprm",
                    "sftyMngcst",
                    "sftyChckMngcst",
                    "qltyMngcst",
                )
            )
        floor = (plnprc - a_value) * rate / 100 + a_value
        counts[(n.category, n.presmpt)].append(len(bidders))
        hundred.append(len(bidders) >= 100)
        for amount in amounts:
            bids_below.append(amount < floor)
            bids_far.append(amount > floor + 0.03 * plnprc)
        rank1 = next(b for b in bidders if b["opengRank"] == "1")
        passed_over.append(rank1["prcbdrBizno"] != award["bidwinnrBizno"])
        if len(bidders) >= 100:
            eligible = [a for a in amounts if a >= floor]
            winner_gap.append((eligible[0] - floor) / plnprc * 100)

    # Every lookup by number while the generator still holds the notice's day: it keeps the last 11 days, and a lookup
    # in a day it dropped generates the whole day again.
    notices: list[Notice] = []
    license_rows: list[dict[str, str]] = []
    regions: dict[str, list[str]] = {}
    for day in MONTH:
        for n in gen.origin_notices(day):
            notices.append(n)
            license_rows += gen.license_limits_for(n.no)
            regions[n.no] = gen.regions_for(n.no)
            if not n.cancelled:
                add_opening(n)
    firsts = [n.versions[0].values for n in notices]
    out: dict[str, float] = {}
    out["share_services"] = _share([v["bsnsDivNm"] == "용역" if "bsnsDivNm" in v else False for v in firsts])
    if all("bsnsDivNm" not in v for v in firsts):  # the list items do not carry it: use the operation's category
        out["share_services"] = _share([n.category == "Servc" for n in notices])
    out["share_foreign"] = _share([n.category == "Frgcpt" for n in notices])
    digits = [(n.versions[0].values["bidNtceNo"], _parse(n.versions[0].values["rgstDt"])) for n in notices]
    out["share_numbers_spelling_day_of_year"] = _share(
        [no[5:8] == f"{when.timetuple().tm_yday:03d}" for no, when in digits]
    )
    ordered = sorted(digits, key=lambda d: d[1])
    out["numbers_increase_with_time"] = float(
        all(
            ordered[i][0] < ordered[i + 1][0]
            for i in range(len(ordered) - 1)
            if ordered[i][1].date() < ordered[i + 1][1].date()
        )
    )
    rates = [float(v["sucsfbidLwltRate"]) for v in firsts if v.get("sucsfbidLwltRate")]
    out["share_rates_in_real_set"] = _share([r in REAL_RATES for r in rates])
    out["share_bssamt_round_1000"] = _share([int(n.bsis.values["bssamt"]) % 1000 == 0 for n in notices if n.bsis])
    small_cnst = [n.bsis.values for n in notices if n.bsis and n.category == "Cnstwk" and n.presmpt < 10_000_000_000]
    out["a_value_share_small_construction"] = _share([b["bidPrceCalclAYn"] == "Y" for b in small_cnst])
    # 면허제한 rows as served
    by_notice = defaultdict(set)
    for n in notices:
        for row in n.licenses:
            by_notice[n.no].add(row["lmtGrpNo"])
    out["share_single_license_group"] = _share([len(g) == 1 for g in by_notice.values()])
    out["share_license_rows_with_main_field"] = _share([bool(r.get("indstrytyMfrcFldList")) for r in license_rows])
    flagged = [n for n in notices if n.versions[0].values.get("bidPrtcptLmtYn") == "Y"]
    out["share_limit_flag_without_regions"] = _share([not regions[n.no] for n in flagged])

    for half, rows in sajeong.items():
        out[f"sajeong_sd_{half:.0f}pct"] = statistics.pstdev(r for _, r in rows)
    # Adjusted R² of the 수요기관 mean, on the deviation scaled by the range (pools both ranges).
    scaled = [(agency, (r - 100) / half) for half, rows in sajeong.items() for agency, r in rows]
    by_agency = defaultdict(list)
    for agency, y in scaled:
        by_agency[agency].append(y)
    mean = statistics.fmean(y for _, y in scaled)
    total = sum((y - mean) ** 2 for _, y in scaled)
    within = sum((y - statistics.fmean(ys)) ** 2 for ys in by_agency.values() for y in ys)
    n_obs, k = len(scaled), len(by_agency)
    out["agency_r2_adjusted"] = 1 - (within / (n_obs - k)) / (total / (n_obs - 1))

    def median_of(cat: str, below: int | None) -> float:
        values = [
            c for (c_, amount), cs in counts.items() if c_ == cat and (below is None or amount < below) for c in cs
        ]
        return statistics.median(values)

    out["bidders_median_small_construction"] = median_of("Cnstwk", 300_000_000)
    out["bidders_median_small_services"] = median_of("Servc", 100_000_000)
    out["bidders_median_goods"] = median_of("Thng", None)
    out["share_openings_100_plus"] = _share(hundred)
    out["share_bids_below_floor"] = _share(bids_below)
    out["share_bids_3pt_above_floor"] = _share(bids_far)
    out["winner_points_above_floor_100plus"] = statistics.median(winner_gap)
    out["share_negotiated_with_opening"] = _share(negotiated_opened)
    out["share_negotiated_award_not_lowest"] = _share(not_lowest)
    out["share_rank1_passed_over"] = _share(passed_over)
    out["share_awards_later_day"] = _share(later_day)
    out["max_award_lag_working_days"] = max(lags)
    out["share_result_class_no_0"] = _share(class_no)
    return out


@pytest.mark.parametrize("name", list(TARGETS))
def test_statistic_within_its_real_target(name: str) -> None:
    low, high, source = TARGETS[name]
    value = measure()[name]
    assert low <= value <= high, f"{name} = {value:.4g}, target {low}–{high} ({source})"


def test_the_generator_knows_its_noise_floor() -> None:
    """The price report compares against it: near the uniform-draw values."""
    assert 0.45 < NoticeGenerator.noise_floor(2.0)["sd"] < 0.6
    assert 0.68 < NoticeGenerator.noise_floor(3.0)["sd"] < 0.9


if __name__ == "__main__":
    values = measure()
    print("| statistic | real target | measured | source |\n|---|---|---|---|")
    for name, (low, high, source) in TARGETS.items():
        print(f"| {name} | {low:g}–{high:g} | {values[name]:.4g} | {source} |")
