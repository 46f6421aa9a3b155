"""Match analyses: the real google-genai client, through the masking gateway, against the local Gemini stand-in."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
import sqlalchemy as sa
from dagster import materialize

from assets import analysis as analysis_assets
from assets import matching
from assets.common.resources import GeminiResource, ProfilesResource, WarehouseResource
from bidradar.analysis import analyses as analysis
from bidradar.core import warehouse
from bidradar.core.warehouse import TableWrite
from bidradar.matching import ranked
from tests.kit.gemini import GeminiStandIn
from tests.support import copy_sqlite_warehouse, read_table

REPO = Path(__file__).resolve().parent.parent
KEY = "bidradar-simulator-key"
NOW = dt.datetime(2026, 3, 5, 21, 0, tzinfo=ZoneInfo("Asia/Seoul"))
DAYS = (dt.date(2026, 3, 4), dt.date(2026, 3, 5))
AS_OF = {"config": {"as_of": "2026-03-05 21:00", "top_k": 20}}
SECRETS = ("한빛소프트웨어(주)", "220-81-62517", "2208162517")  # hanbit-soft's name and business number
NAME_TOKEN = re.compile(r'"name": "(MASK_[A-Z]+_[0-9A-F]{16})"')


def answer(prompt: str) -> dict:
    """A valid structured answer that quotes the masked company name it was given (to prove unmasking)."""
    found = NAME_TOKEN.search(prompt)
    quoted = found.group(1) if found else "이름 없음"
    return {
        "summary": [f"{quoted} 에 적합한 사업", "둘째 줄", "셋째 줄"],
        "key_requirements": ["소프트웨어사업자"],
        "eligibility_concerns": [],
        "risks": ["일정 촉박"],
        "effort_estimate": "보통",
        "decision": "go",
        "decision_reasons": ["면허 충족"],
        "fit_score": 80,
    }


@pytest.fixture(scope="module")
def built(matched_warehouse_template: Path, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """A copy of the run's two-day warehouse with the shipped profiles matched (tests/conftest.py)."""
    folder = tmp_path_factory.mktemp("analysis")
    database_url = copy_sqlite_warehouse(matched_warehouse_template, folder)
    yield database_url, folder


@pytest.fixture
def standin() -> Iterator[tuple[GeminiStandIn, str]]:
    stand_in = GeminiStandIn(json_answer=answer)
    with stand_in.serve() as url:
        yield stand_in, url


def analyse(database_url: str, gemini: GeminiResource):  # type: ignore[no-untyped-def]
    return materialize(
        [analysis_assets.match_analyses],
        resources={"warehouse": WarehouseResource(database_url=database_url), "gemini": gemini},
        raise_on_error=False,
    )


@pytest.fixture(autouse=True)
def fresh_analyses(built, monkeypatch) -> Iterator[None]:
    database_url, _ = built
    # A fixed master secret: no masking.key file is created next to the developer's own DAGSTER_HOME.
    monkeypatch.setenv("MASKING_SECRET", "analysis-tests-masking-secret-of-32-bytes")
    engine = warehouse.make_engine(database_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM match_analyses")
        conn.exec_driver_sql("DELETE FROM llm_calls")
        conn.exec_driver_sql("DELETE FROM analysis_answers")
    engine.dispose()
    yield


def test_gemini_analyses_are_masked_structured_audited_and_cached(built, standin) -> None:
    database_url, _ = built
    stand_in, url = standin
    assert analyse(database_url, GeminiResource(api_key="test-key", base_url=url, max_attempts=1)).success

    rows = read_table(database_url, "match_analyses")
    assert rows.height == 10 and set(rows["company_id"]) == {"hanbit-soft"}  # Pro: top 10; the Free company: none
    assert set(rows["source"]) == {"gemini"} and set(rows["label_ko"]) == {analysis.GEMINI_LABEL}
    assert len(stand_in.requests) == 10
    for request in stand_in.requests:  # nothing that identifies the company left the machine
        body = request.body.decode("utf-8") if isinstance(request.body, bytes) else str(request.body)
        decoded = json.dumps(request.json(), ensure_ascii=False)
        for secret in SECRETS:
            assert secret not in body and secret not in decoded
    # The model quoted a token; the stored answer has the real name back.
    assert rows["summary_ko"].str.contains("한빛소프트웨어(주)", literal=True).all()
    assert not rows["summary_ko"].str.contains("MASK_", literal=True).any()

    calls = read_table(database_url, "llm_calls")
    assert calls.height == 10 and set(calls["outcome"]) == {"ok"} and set(calls["purpose"]) == {"match_analysis"}
    assert all(json.loads(c).get("SECRET", 0) >= 1 for c in calls["entity_counts"])
    audit_text = " ".join(str(v) for row in calls.iter_rows() for v in row)
    assert not any(secret in audit_text for secret in SECRETS)

    # The same questions again: answered from the cache, nothing paid twice.
    assert analyse(database_url, GeminiResource(api_key="test-key", base_url=url, max_attempts=1)).success
    assert len(stand_in.requests) == 10
    assert (
        read_table(database_url, "match_analyses").sort("notice_no")["summary_ko"].to_list()
        == rows.sort("notice_no")["summary_ko"].to_list()
    )


def test_without_a_key_the_analyses_are_local_and_say_so(built, standin) -> None:
    database_url, _ = built
    stand_in, _ = standin
    assert analyse(database_url, GeminiResource(api_key="")).success
    rows = read_table(database_url, "match_analyses")
    assert rows.height == 10 and set(rows["source"]) == {"local"}
    assert set(rows["label_ko"]) == {"로컬 분석 (GEMINI_API_KEY 없음)"}
    assert rows["summary_ko"].str.split("\n").list.len().eq(3).all()
    assert set(rows["decision"]) <= {"go", "no-go"} and rows["fit_score"].is_between(0, 100).all()
    assert stand_in.requests == [] and read_table(database_url, "llm_calls").is_empty()


def test_a_spent_token_budget_falls_back_to_local(built, standin) -> None:
    database_url, _ = built
    stand_in, url = standin
    assert analyse(database_url, GeminiResource(api_key="k", base_url=url, daily_token_budget=0)).success
    rows = read_table(database_url, "match_analyses")
    assert set(rows["label_ko"]) == {"로컬 분석 (일일 토큰 예산 소진)"} and stand_in.requests == []


@pytest.mark.parametrize(
    ("mode", "label", "outcome"),
    [
        ("blocked", "로컬 분석 (Gemini 답변이 안전 필터로 차단됨)", "blocked"),
        ("malformed", "로컬 분석 (Gemini 답변 형식 오류)", "bad_response"),
        ("500", "로컬 분석 (Gemini 호출 실패)", "unavailable"),
        ("429", "로컬 분석 (Gemini 호출 실패)", "unavailable"),
    ],
)
def test_a_failed_call_gives_a_labelled_local_analysis_and_an_audit_row(built, standin, mode, label, outcome) -> None:
    database_url, _ = built
    stand_in, url = standin
    stand_in.fail_next(100, mode)
    assert analyse(database_url, GeminiResource(api_key="k", base_url=url, max_attempts=1)).success
    rows = read_table(database_url, "match_analyses")
    assert rows.height == 10 and set(rows["label_ko"]) == {label}
    calls = read_table(database_url, "llm_calls")
    assert calls.height == 10 and set(calls["outcome"]) == {outcome}


def test_a_passing_429_is_retried_and_answered_by_gemini(built, standin) -> None:
    database_url, _ = built
    stand_in, url = standin
    stand_in.fail_next(1, "429")
    assert analyse(database_url, GeminiResource(api_key="k", base_url=url, max_attempts=3)).success
    rows = read_table(database_url, "match_analyses")
    assert set(rows["source"]) == {"gemini"}
    assert read_table(database_url, "llm_calls")["attempts"].max() == 2


def test_one_more_open_notice_or_a_moved_score_costs_no_new_call(built, standin) -> None:
    """The cache key is the notice's revision, the profile's hash, the prompt version and the model: a rerun of the
    matching with one more open notice (which moves no other score: the IDF is fitted on the profiles), then scores
    that moved, ask Gemini nothing new. Answers are append-only: they stay when a pair leaves the top K."""
    database_url, folder = built
    stand_in, url = standin
    gemini = GeminiResource(api_key="test-key", base_url=url, max_attempts=1)
    assert analyse(database_url, gemini).success
    assert len(stand_in.requests) == 10
    scores_before = read_table(database_url, "soft_matches").select("company_id", "notice_no", "score")

    engine = warehouse.make_engine(database_url)
    # A copy of a notice some company may bid on, so that it is a candidate pair and is scored (a notice nobody may
    # bid on is never scored).
    candidate = read_table(database_url, "hard_matches").sort("notice_no")["notice_no"][0]
    notices = warehouse.read_frame(
        warehouse.make_engine(database_url), "SELECT * FROM bid_notices WHERE notice_no = :no", {"no": candidate}
    )
    extra = notices.head(1).with_columns(
        notice_no=pl.lit("R26BK09999999"),
        title=pl.lit("2026년 청사 조경수 전정 및 잔디 관리 용역"),
        classification_name=pl.lit("조경관리서비스"),
        product_name=pl.lit(None, dtype=pl.String),
    )
    warehouse.write(engine, [TableWrite("bid_notices", extra, ["notice_no"], replace="rows")])
    engine.dispose()
    rematch = materialize(
        [matching.company_profiles, matching.hard_matches, matching.soft_matches],
        resources={
            "warehouse": WarehouseResource(database_url=database_url),
            "profiles": ProfilesResource(folder=str(folder / "profiles")),
        },
        run_config={"ops": {"hard_matches": AS_OF, "soft_matches": AS_OF}},
    )
    assert rematch.success
    scores_after = read_table(database_url, "soft_matches").select("company_id", "notice_no", "score")
    # The extra notice was scored, and no other score moved (until issue 21 TF-IDF was fitted on the candidate
    # notices, and one more notice moved every score).
    assert "R26BK09999999" in scores_after["notice_no"].to_list()
    kept = scores_before.join(scores_after, on=["company_id", "notice_no"], suffix="_after")
    assert kept.height == scores_before.height and kept.filter(pl.col("score") != pl.col("score_after")).is_empty()
    # The pairs analysed before cost nothing; the new notice costs one call if it entered the Pro company's top K.
    engine = warehouse.make_engine(database_url)
    top = ranked.read_ranked(engine, company_id="hanbit-soft", top_k=gemini.top_k)
    engine.dispose()
    entered = int("R26BK09999999" in top["notice_no"].to_list())
    assert analyse(database_url, gemini).success
    assert len(stand_in.requests) == 10 + entered

    # Scores that move (a new scorer, say) without moving the ranks: with the old cache key, which held the score, a
    # moved score paid for a new call; now the key is the notice revision, profile hash, prompt and model.
    engine = warehouse.make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE soft_matches SET score = score * 0.9"))
    engine.dispose()

    result = analyse(database_url, gemini)
    assert result.success
    assert len(stand_in.requests) == 10 + entered  # no new call
    metadata = result.asset_materializations_for_node("match_analyses")[0].metadata
    assert metadata["gemini_calls"].value == 0 and metadata["cache_hit_rate"].value == 1.0
    assert "| day | calls | tokens |" in metadata["tokens_per_day"].value
    assert read_table(database_url, "analysis_answers").height == 10 + entered
