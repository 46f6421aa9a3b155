"""The first hour of a new user: the demo says what is wrong in the terminal, fails with a non-zero exit when
it cannot do its job, and stops with every child process on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIDRADAR = [sys.executable, "-m", "orchestration.cli"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env(tmp_path: Path, profiles: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}",
        "DAGSTER_HOME": str(tmp_path / "dagster"),
        "PROFILES_DIR": str(profiles),
        "SIM_NOTICES_PER_DAY": "30",
        "G2B_BASE_URL": f"http://127.0.0.1:{_free_port()}",
        "LOG_LEVEL": "INFO",
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"acme.yaml": "name: [unclosed\n"}, "acme.yaml:2: (yaml)"),  # a YAML syntax error
        ({"acme.yaml": "name: 에이스\nbusiness_no: 123\n"}, "acme.yaml:2: business_no"),  # fails validation
        (None, "PROFILES_DIR"),  # the folder does not exist
    ],
)
def test_demo_no_serve_prints_profile_errors_and_fails_before_building(
    tmp_path: Path, files: dict | None, expected: str
) -> None:
    profiles = tmp_path / "profiles"
    if files is not None:
        profiles.mkdir()
        for name, text in files.items():
            (profiles / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        [*BIDRADAR, "demo", "--days", "1", "--no-serve"],
        cwd=REPO,
        env=_env(tmp_path, profiles),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout[-1500:] + result.stderr[-1500:]
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    # Said before the build, not after minutes of it: no day was crawled, no warehouse made.
    assert "building" not in result.stdout, result.stdout[-1500:]
    assert not (tmp_path / "w.db").exists()


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find child processes")
def test_sigterm_stops_the_demo_and_every_child(tmp_path: Path) -> None:
    env = _env(tmp_path, REPO / "profiles")
    unique = uuid.uuid4().hex  # tmp_path's name repeats across sessions on one machine: never match theirs
    marker = f"BIDRADAR_TEST_MARKER={unique}"
    env["BIDRADAR_TEST_MARKER"] = unique
    port = _free_port()
    demo = subprocess.Popen(
        [*BIDRADAR, "demo", "--days", "1", "--ui-port", str(port), "--api-port", str(_free_port())],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    deadline = time.monotonic() + 300
    assert demo.stdout is not None
    while time.monotonic() < deadline:
        line = demo.stdout.readline()
        lines.append(line)
        if "Stop with Ctrl+C" in line or not line:
            break
    assert any("Stop with Ctrl+C" in line for line in lines), "".join(lines)[-2000:]
    # Wait until the UI answers, so its children (daemon, code server) exist.
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.5)
    assert len(_processes_with(marker)) >= 4, "expected the demo, dagster dev and its children, the dashboard"
    time.sleep(20)  # the daemon ticks meanwhile: with LOG_LEVEL=INFO the console stays quiet
    demo.send_signal(signal.SIGTERM)
    code = demo.wait(timeout=90)
    rest = demo.stdout.read()
    assert code == 0, rest[-2000:]
    serving_output = rest.split("stopped")[0]
    assert "DEBUG" not in serving_output and "BetaWarning" not in serving_output, serving_output[-2000:]
    time.sleep(1)
    assert _processes_with(marker) == [], "processes left running after SIGTERM"
