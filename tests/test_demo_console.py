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


def test_a_client_hanging_up_on_the_simulator_prints_no_traceback(capfd) -> None:  # type: ignore[no-untyped-def]
    import socket
    import struct
    import time

    from bidradar.ingestion.simulator import G2BSimulator

    simulator = G2BSimulator(seed=1, notices_per_day=300, service_key="k")
    with simulator.serve(host="127.0.0.1", port=0) as base_url:
        host, port = base_url.removeprefix("http://").split(":")
        path = (
            "/1230000/ad/BidPublicInfoService/getBidPblancListInfoServc?ServiceKey=k&type=json&inqryDiv=1"
            "&inqryBgnDt=202611010000&inqryEndDt=202611012359&numOfRows=999&pageNo=1"
        )
        for _ in range(5):
            with socket.create_connection((host, int(port))) as client:
                client.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, at once
        time.sleep(2)
    err = capfd.readouterr().err
    assert "Traceback" not in err and "BrokenPipeError" not in err, err[-2000:]
