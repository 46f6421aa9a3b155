"""The price model in MLflow: one run per training (params, metrics, the backtest plot, the model), a registered
model whose alias `champion` is the version that serves. A new version is registered and made champion only when
the promotion rule says so (ml.pricing.evaluate.promotion_decision); otherwise the champion stays as it was.
"""

from __future__ import annotations

import contextlib
import io
import logging
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import polars as pl
from mlflow.tracking import MlflowClient

from ml.pricing.evaluate import BASELINES, Backtest, Promotion
from ml.pricing.model import PriceModel

EXPERIMENT = "bidradar-price-model"
MODEL_NAME = "bidradar-price-model"
ALIAS = "champion"


@dataclass(frozen=True)
class LoggedRun:
    run_id: str
    experiment_id: str
    version: str | None  # the registered version, when promoted
    champion: str | None  # the version serving after this run


class PricePyfunc(mlflow.pyfunc.PythonModel):
    """The model as an MLflow pyfunc: `predict` takes notice features (a pandas frame of the training-set columns)
    and returns the recommended amount and its chance of winning."""

    def load_context(self, context) -> None:  # type: ignore[no-untyped-def]
        with open(context.artifacts["price_model"], "rb") as handle:
            self.model: PriceModel = pickle.load(handle)

    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:  # type: ignore[no-untyped-def]
        from ml.pricing.model import recommend

        frame = pl.from_pandas(model_input)
        rec = recommend(self.model, frame, (frame["agency_openings"] == 0).to_numpy())
        return pl.DataFrame({"recommended_amount": rec.amount, "win_probability": rec.win_probability}).to_pandas()


def _quiet() -> None:
    for name in ("mlflow", "alembic", "urllib3"):
        logging.getLogger(name).setLevel(logging.WARNING)


def backtest_plot(backtest: Backtest) -> bytes:
    """PNG: MAE of the model and the baselines, and the reliability of the win probability."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    names = ["model", *BASELINES]
    values = [backtest.metrics[f"mae_{n}"] for n in names]
    left.bar(names, values, color=["#2b6cb0"] + ["#a0aec0"] * len(BASELINES))
    if "mae_noise_floor" in backtest.metrics:
        left.axhline(backtest.metrics["mae_noise_floor"], color="#c53030", linestyle="--", label="noise floor")
        left.legend()
    left.set_ylabel("held-out MAE of the assessment rate (points)")
    left.set_title(f"{backtest.test_rows:,} held-out openings after {backtest.split_at:%Y-%m-%d}")
    left.tick_params(axis="x", rotation=20)
    rel = backtest.reliability
    right.plot([0, 1], [0, 1], color="#a0aec0", linestyle=":")
    right.scatter(rel["mean_predicted"], rel["observed"], s=np.sqrt(rel["openings"].to_numpy()) * 4, color="#2b6cb0")
    top = max(0.05, float(rel["mean_predicted"].max() or 0), float(rel["observed"].max() or 0)) * 1.1
    right.set_xlim(0, top)
    right.set_ylim(0, top)
    right.set_xlabel("predicted chance of winning")
    right.set_ylabel("observed win rate (replay)")
    right.set_title(f"calibration, Brier {backtest.metrics['brier']:.4f}")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return buffer.getvalue()


def log_training(
    tracking_uri: str, backtest: Backtest, final: PriceModel, decision: Promotion, extra_params: dict | None = None
) -> LoggedRun:
    """Log one training run; register and promote its model only when `decision.promote`."""
    _quiet()
    mlflow.set_tracking_uri(tracking_uri)
    experiment = _experiment(tracking_uri)
    with (
        mlflow.start_run(run_name=f"price-model-{final.trained_until[:10]}") as run,
        tempfile.TemporaryDirectory() as tmp,
    ):
        mlflow.log_params(
            {
                **final.params.as_dict(),
                "train_rows": backtest.train_rows,
                "test_rows": backtest.test_rows,
                "split_at": backtest.split_at.isoformat(sep=" "),
                "final_rows": final.trained_rows,
                "shrinkage_k": round(final.shrinkage, 4),
                **(extra_params or {}),
            }
        )
        mlflow.log_metrics({k: float(v) for k, v in backtest.metrics.items() if np.isfinite(v)})
        mlflow.set_tags({"promoted": str(decision.promote).lower(), "promotion_reason": decision.reason})
        mlflow.log_image(_png_image(backtest_plot(backtest)), "backtest.png")
        mlflow.log_text(backtest.reliability.write_csv(), "reliability.csv")
        mlflow.log_text(backtest.strategies.write_csv(), "replay_strategies.csv")
        path = Path(tmp) / "price_model.pkl"
        path.write_bytes(pickle.dumps(final))
        with contextlib.redirect_stderr(io.StringIO()):
            mlflow.pyfunc.log_model(
                name="model",
                python_model=PricePyfunc(),
                artifacts={"price_model": str(path)},
                pip_requirements=["scikit-learn", "polars", "numpy", "mlflow"],
            )
    client = MlflowClient(tracking_uri)
    version = None
    if decision.promote:
        registered = mlflow.register_model(f"runs:/{run.info.run_id}/model", MODEL_NAME)
        version = str(registered.version)
        client.set_registered_model_alias(MODEL_NAME, ALIAS, version)
        client.set_model_version_tag(MODEL_NAME, version, "mae_model", f"{backtest.metrics['mae_model']:.4f}")
    return LoggedRun(run.info.run_id, experiment.experiment_id, version, champion_version(tracking_uri))


def _experiment(tracking_uri: str):  # type: ignore[no-untyped-def]
    """The experiment; with a SQLite store its artifacts live beside the database, not in the working directory."""
    client = MlflowClient(tracking_uri)
    found = client.get_experiment_by_name(EXPERIMENT)
    if found is None:
        location = None
        if tracking_uri.startswith("sqlite:///"):
            db = Path(tracking_uri.removeprefix("sqlite:///")).resolve()
            location = (db.parent / "mlartifacts").as_uri()
        client.create_experiment(EXPERIMENT, artifact_location=location)
    return mlflow.set_experiment(EXPERIMENT)


def _png_image(data: bytes):  # type: ignore[no-untyped-def]
    from PIL import Image

    return Image.open(io.BytesIO(data))


def champion_version(tracking_uri: str) -> str | None:
    _quiet()
    try:
        return str(MlflowClient(tracking_uri).get_model_version_by_alias(MODEL_NAME, ALIAS).version)
    except mlflow.exceptions.MlflowException:
        return None


def load_champion(tracking_uri: str) -> tuple[PriceModel, str] | None:
    """The serving model and its version, or None when no version was ever promoted."""
    version = champion_version(tracking_uri)
    if version is None:
        return None
    mlflow.set_tracking_uri(tracking_uri)
    loaded = mlflow.pyfunc.load_model(f"models:/{MODEL_NAME}@{ALIAS}")
    return loaded.unwrap_python_model().model, version
