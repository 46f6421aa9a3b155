"""The first hour of a new user: the demo says what is wrong in the terminal and fails with a non-zero exit when
it cannot do its job. (That SIGTERM stops the served demo and every child is checked in tests/test_demo_quiet.py,
in the same run of the demo as its quiet console.)"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
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
