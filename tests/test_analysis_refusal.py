"""One notice that cannot be sent safely is skipped, recorded in llm_calls with why, and the run goes on.

The real LLMGateway and google-genai client against the local Gemini stand-in; the warehouse is a real SQLite file
migrated with every migration (0020 adds llm_calls.detail)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import sqlalchemy as sa

from bidradar.analysis import analyses as analysis
from bidradar.core import warehouse
from bidradar.masking.gateway import LLMGateway
from tests.kit.gemini import GeminiStandIn

KEY = b"k" * 32
NOW = dt.datetime(2026, 3, 5, 21, 0)


def _answer(_prompt: str) -> dict:
    return {
        "summary": ["첫째 줄", "둘째 줄", "셋째 줄"],
        "key_requirements": ["소프트웨어사업자"],
        "eligibility_concerns": [],
        "risks": [],
        "effort_estimate": "보통",
        "decision": "go",
        "decision_reasons": ["면허 충족"],
        "fit_score": 70,
    }


def _work(notice_no: str, description: str) -> analysis.Work:
    notice = {"notice_no": notice_no, "title": "정보시스템 유지보수", "bid_close_at": "2026-03-10 10:00:00"}
    inputs = {"notice": notice, "match": {"verdict": "eligible"}, "company": {"description": description}}
    return analysis.Work("acme", inputs, f"key-{notice_no}", "000|", "hash")


def test_a_notice_that_cannot_be_masked_is_skipped_recorded_and_the_run_goes_on(tmp_path) -> None:
    stand_in = GeminiStandIn(json_answer=_answer)
    work = [
        _work("R26BK00000001", "정상 설명"),
        # The company's secret (12345678) inside a decimal: the leak check can place it only approximately.
        _work("R26BK00000002", "측정값 9.12345678 기준"),
        _work("R26BK00000003", "연락처 010-2345-6789, 서버 10.0.3.17"),
    ]
    with stand_in.serve() as url:

        def gateway_for(company_id, audit):  # type: ignore[no-untyped-def]
            return LLMGateway.from_api_key(
                "test-key",
                base_url=url,
                company=company_id,
                key=KEY,
                secrets=["12345678"],
                audit=audit,
                max_attempts=1,
            )

        run = analysis.run_analyses(
            work,
            model="gemini-2.5-flash",
            gateway_for=gateway_for,
            cache={},
            tokens_used_today=0,
            daily_token_budget=10**9,
            now=NOW,
        )
    assert [r["source"] for r in run.rows] == ["gemini", "local", "gemini"]
    assert run.rows[1]["label_ko"] == analysis.LOCAL_LABELS["refused"]
    assert len(stand_in.requests) == 2 and run.local == {"refused": 1}
    for request in stand_in.requests:
        assert "12345678" not in request.decoded() and "010-2345-6789" not in request.decoded()

    engine = warehouse.make_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
    warehouse.migrate(engine)
    with engine.begin() as conn:
        rows = analysis.audit_rows(run.audits).to_dicts()
        conn.execute(
            sa.text(
                "INSERT INTO llm_calls (call_id, called_at, company_id, purpose, model, outcome, entity_counts,"
                " masked_values, latency_ms, prompt_tokens, output_tokens, unknown_tokens, attempts, detail) VALUES"
                " (:call_id, :called_at, :company_id, :purpose, :model, :outcome, :entity_counts, :masked_values,"
                " :latency_ms, :prompt_tokens, :output_tokens, :unknown_tokens, :attempts, :detail)"
            ),
            rows,
        )
        stored = pl.DataFrame(conn.execute(sa.text("SELECT outcome, detail FROM llm_calls")).mappings().all())
    engine.dispose()
    assert sorted(stored["outcome"]) == ["leak_refused", "ok", "ok"]
    detail = stored.filter(pl.col("outcome") == "leak_refused")["detail"][0]
    assert "SECRET" in detail and "part 2 of the prompt" in detail and "12345678" not in detail
