"""What the demo tells a person in the terminal: the MLflow address opens on the price model's experiment, not on
MLflow's empty start page (GenAI traces)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from mlflow.tracking import MlflowClient

from ml.pricing.registry import EXPERIMENT
from orchestration.cli.data import mlflow_ui_hint


def test_the_mlflow_address_opens_the_price_experiment(tmp_path: Path) -> None:
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    client = MlflowClient(uri)
    client.create_experiment("another experiment")  # the price experiment is not the first one
    experiment_id = client.create_experiment(EXPERIMENT)
    hint = mlflow_ui_hint(SimpleNamespace(mlflow_tracking_uri=uri))  # type: ignore[arg-type]
    assert hint.endswith(f"http://127.0.0.1:5000/#/experiments/{experiment_id}"), hint


def test_before_any_training_the_address_is_mlflow_itself(tmp_path: Path) -> None:
    hint = mlflow_ui_hint(SimpleNamespace(mlflow_tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}"))  # type: ignore[arg-type]
    assert hint.endswith("http://127.0.0.1:5000"), hint
