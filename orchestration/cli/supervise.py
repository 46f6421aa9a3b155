"""Process supervision: the bundled simulator, the Dagster UI and the API as child process groups, and stopping
them (and this process) cleanly on Ctrl+C or SIGTERM."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from contextlib import ExitStack

import typer
from dagster import DagsterExecutionInterruptedError

from bidradar.core.settings import PipelineSettings, as_environment
from orchestration.cli.common import REPO_ROOT, fail, port_is_free


def stop_on_sigterm() -> None:
    """SIGTERM stops a command like Ctrl+C does: KeyboardInterrupt unwinds it, so a partition being written rolls
    back (each is one transaction) and the Dagster run is recorded as failed, not left STARTED.

    Started in the background (`cmd &`), SIGINT is ignored, and Dagster copies SIGINT's handler onto SIGTERM
    when it runs a job: give SIGINT Python's default, so both keep stopping the command."""

    def interrupt(_signum, _frame):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    # The stop can land while SQLAlchemy's pool closes or resets a connection; the pool then logs the interrupt as
    # an error with its traceback, though the connection is only discarded (the transaction rolls back either way).
    for pool in ("NullPool", "QueuePool", "SingletonThreadPool", "StaticPool"):
        logging.getLogger(f"sqlalchemy.pool.impl.{pool}").addFilter(_not_an_interrupt)


def _not_an_interrupt(record: logging.LogRecord) -> bool:
    """False for a log record whose exception is a stop (Ctrl+C, SIGTERM, or Dagster's interrupt of a run)."""
    error = record.exc_info[1] if record.exc_info else None
    return not isinstance(error, KeyboardInterrupt | DagsterExecutionInterruptedError)


def die_with_parent() -> None:
    """In a child, before it runs (`preexec_fn`): on Linux the kernel sends it SIGTERM when the process that started
    it dies, even by SIGKILL, so a killed demo leaves no simulator or build behind. Elsewhere nothing."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class BundledSimulator:
    """The bundled G2B simulator as a child process (`bidradar g2b-sim`): its generated days are its own memory,
    given back when it stops, and `restart` gives a fresh one (the same seed serves the same days again)."""

    def __init__(self, settings: PipelineSettings, port: int) -> None:
        self.url, self._port, self._env = f"http://127.0.0.1:{port}", port, {**os.environ, **as_environment(settings)}
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "orchestration.cli", "g2b-sim", "--port", str(self._port)]
        # Its "listening" line is the demo's to say; errors still reach the console.
        self._process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=self._env, stdout=subprocess.DEVNULL, preexec_fn=die_with_parent
        )
        deadline = time.monotonic() + 120
        while port_is_free("127.0.0.1", self._port):
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise fail(f"the bundled G2B simulator did not start on port {self._port}; see its messages above", 1)
            time.sleep(0.2)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=10)
            if self._process.poll() is None:
                self._process.kill()
                self._process.wait()

    def restart(self) -> None:
        self.stop()
        self.start()


def start_bundled_simulator(settings: PipelineSettings, stack: ExitStack) -> BundledSimulator | None:
    """Start the simulator in a child process when G2B_BASE_URL points at a free loopback port."""
    url = urllib.parse.urlsplit(settings.g2b_base_url)
    if url.hostname not in {"127.0.0.1", "localhost"} or not url.port:
        return None
    if not port_is_free("127.0.0.1", url.port):
        typer.echo(f"using the G2B API already listening at {settings.g2b_base_url}")
        return None
    simulator = BundledSimulator(settings, url.port)
    stack.callback(simulator.stop)
    simulator.start()
    return simulator


def serve_dagster_and_api(
    settings: PipelineSettings,
    ui_port: int,
    api_port: int,
    announce: Callable[[], None],
) -> None:
    """Run `dagster dev` (webserver, daemon, code server) and `serve-api` until Ctrl+C, SIGTERM or a child's exit."""
    command = [
        sys.executable,
        "-m",
        "dagster",
        "dev",
        "-w",
        str(REPO_ROOT / "workspace.yaml"),
        "-h",
        "127.0.0.1",
        "-p",
        str(ui_port),
    ]
    # The UI's code server, daemon and run workers read the settings again: hand them the resolved values,
    # so a schedule writes to the same warehouse and crawls the same simulator as this process.
    env = {**os.environ, **as_environment(settings)}
    command += ["--log-level", dagster_services_log_level(settings.log_level)]
    # `dagster dev` warns that it is superseded by `dg dev`, which is another package (dagster-dg-cli) that
    # bidradar does not install; that one warning, by its text (other warnings still show).
    env["PYTHONWARNINGS"] = "ignore:Function `dev_command` is superseded"
    # Its own process group: on stop, the whole tree (webserver, daemon, code server) goes, not just `dagster dev`.
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, start_new_session=True)
    api_command = [sys.executable, "-m", "orchestration.cli", "serve-api", "--port", str(api_port)]
    api = subprocess.Popen(api_command, cwd=REPO_ROOT, env=env, start_new_session=True)
    announce()
    typer.echo("Stop with Ctrl+C (or kill this process: SIGTERM stops everything it started).")
    try:
        code = process.wait()
    except KeyboardInterrupt:
        stop_groups(process, api)
        typer.echo("stopped")
        return
    stop_groups(api)
    raise fail(f"the Dagster UI stopped by itself (exit code {code}); see its messages above", 1)


def dagster_services_log_level(log_level: str) -> str:
    """The level of the webserver's and daemon's own lines. At INFO the daemon prints a line for every sensor tick
    (every 30 s) and the webserver its start-up: the demo says what a person needs (the addresses, the runs are in
    the UI), so LOG_LEVEL=INFO shows their warnings and errors only; DEBUG shows everything."""
    return "warning" if log_level == "INFO" else log_level.lower()


def stop_groups(*processes: subprocess.Popen) -> None:
    """Stop children and their process groups, all at once: SIGINT first (Dagster and uvicorn shut their children
    down on it), then SIGTERM, then SIGKILL."""
    for sig, grace in ((signal.SIGINT, 20), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        alive = [p for p in processes if p.poll() is None]
        if not alive:
            break
        for process in alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
        deadline = time.monotonic() + grace
        for process in alive:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
    for process in processes:
        # The leaders are gone; children they did not stop go with their groups.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
