"""The price model's report: a backtest on the warehouse's openings, written to docs/pricing.md."""

from __future__ import annotations

from pathlib import Path

import typer

from bidradar.core.settings import PipelineSettings, redact_url
from orchestration.cli.common import app, fail, load


@app.command("pricing-report")
def pricing_report(
    output: Path = typer.Option(Path("docs/pricing.md"), help="where to write the report (Markdown)"),
    noise_sample: int = typer.Option(300, min=0, help="held-out openings whose noise floor is simulated"),
) -> None:
    """Backtest the price model on the warehouse's openings and write the honest report (docs/pricing.md)."""
    from bidradar.core import warehouse
    from bidradar.core.clock import now_kst
    from ml.pricing import evaluate, features, report, store
    from ml.pricing.advice import read_price_advice

    settings = load(PipelineSettings)
    engine = warehouse.make_engine(settings.database_url)
    try:
        raw = store.read_raw_openings(engine)
        positions = store.read_positions(engine)
        coverage = store.read_coverage(engine)
    except Exception as error:  # no warehouse or not migrated: one line
        raise fail(
            f"cannot read openings from DATABASE_URL ({redact_url(settings.database_url)}): "
            f"{str(error).splitlines()[0]}. Run `bidradar migrate` and a backfill first."
        ) from None
    training = features.build_training_set(raw)
    if training.height < 300:
        raise fail(
            f"{training.height} openings with a 사정률 in the warehouse: too few for a backtest (300 at least). "
            "Backfill more days of results first."
        )
    split = evaluate.split_time(training)
    noise = simulator_noise_floor(settings, training.filter(training["cutoff_at"] >= split), noise_sample)
    backtest = evaluate.backtest(training, positions, split_at=split, noise_floor=noise)
    simulated = noise is not None
    source = (
        f"the bundled G2B simulator (seed {settings.sim_seed})"
        if simulated
        else f"the warehouse at {redact_url(settings.database_url)}"
    )
    span = f"{training['cutoff_at'].min():%Y-%m-%d} .. {training['cutoff_at'].max():%Y-%m-%d}"
    advice = read_price_advice(engine)
    agencies = store.read_open_notices(engine, [a.notice_no for a in advice]).select("notice_no", "demand_agency_code")
    truth = simulator_bidder_counts(settings, training) if simulated else None
    figures = report.done_when(training, advice, agencies, truth)
    text = report.render(
        backtest,
        source,
        simulated,
        now_kst(),
        training.height,
        span,
        noise.height if noise is not None else 0,
        coverage,
        report.render_done_when(figures),
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    m = backtest.metrics
    decision = evaluate.promotion_decision(m)
    typer.echo(
        f"wrote {output}: MAE model {m['mae_model']:.4f} vs best baseline {m['mae_best_baseline']:.4f}; replay on "
        f"{m['replay_openings']:.0f} awarded openings with a bidder list: model {m['replay_win_rate_model']:.2%}, "
        f"agency-mean floor {m['replay_win_rate_agency_mean_floor']:.2%}, floor at 100% "
        f"{m['replay_win_rate_floor_at_100']:.2%}, median margin {m['replay_win_rate_median_margin']:.2%}, base rate "
        f"{m['replay_win_rate_base_rate']:.2%}, learned margin {m['replay_win_rate_learned_margin']:.2%}; Brier "
        f"{m['brier']:.4f}; serving: {decision.strategy}"
    )
    typer.echo("done-when: " + ", ".join(f"{k} {v:,.4g}" for k, v in figures.items()))


def simulator_bidder_counts(settings: PipelineSettings, training, sample: int = 3000) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """G2B's bidder count of a sample of the training openings as the simulator's generator made them (outside the
    warehouse: an independent check of the counts the crawl stored)."""
    from bidradar.ingestion.simulator import NoticeGenerator

    generator = NoticeGenerator(seed=settings.sim_seed, notices_per_day=settings.sim_notices_per_day)
    rows = training.filter(training["participant_count"].is_not_null()).sample(min(sample, training.height), seed=1)
    out = {}
    for notice_no in rows["notice_no"].to_list():
        result = generator.result_for(notice_no)
        if result is not None and result.amounts is not None:
            out[notice_no] = int(result.amounts.size)
    return out


def simulator_noise_floor(settings: PipelineSettings, test, sample: int):  # type: ignore[no-untyped-def]
    """The best any predictor could do on simulated openings: the median of the generator's own 사정률 for the same
    notice over fresh draws (it knows the agency's true bias). None when the openings are not the simulator's."""
    import numpy as np
    import polars as pl

    from bidradar.ingestion.simulator import NoticeGenerator

    if sample == 0 or test.is_empty():
        return None
    generator = NoticeGenerator(seed=settings.sim_seed, notices_per_day=settings.sim_notices_per_day)
    rows = test.sample(min(sample, test.height), seed=0)
    out = []
    for notice_no, base_amount in rows.select("notice_no", "base_amount").iter_rows():
        notice = generator.notice(notice_no)
        rates = generator.redrawn_assessment_rates(notice_no, 200) if notice and notice.bssamt == base_amount else None
        if rates is None:
            return None  # not the simulator's data (or another seed): no noise floor is known
        out.append((notice_no, float(np.median(rates))))
    return pl.DataFrame(out, schema=["notice_no", "noise_floor_rate_pct"], orient="row")
