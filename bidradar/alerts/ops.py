"""The operators' alert of a failed run, as Block Kit (posted by the run-failure sensor to OPS_SLACK_CHANNEL)."""

from __future__ import annotations

from bidradar.alerts.slack_blocks import MAX_SECTION, SlackMessage, _context, _header, _section, clip, escape


def failed_run_message(job_name: str, run_id: str, error: str | None, failed_steps: list[str]) -> SlackMessage:
    first_line = (error or "원인 미상").strip().splitlines()[0] if (error or "").strip() else "원인 미상"
    steps = ", ".join(failed_steps) or "알 수 없음"
    blocks = [
        _header(f"🚨 실행 실패: {job_name}"),
        _section(
            f"```{escape(clip(first_line, MAX_SECTION - 10))}```",
            [f"*작업*\n{escape(job_name)}", f"*실패한 단계*\n{escape(steps)}"],
        ),
        _context(f"run `{run_id}` · Dagster UI의 Runs에서 전체 로그를 확인하세요."),
    ]
    return SlackMessage(clip(f"bidradar 실행 실패: {job_name}: {first_line}", 3000), blocks)
