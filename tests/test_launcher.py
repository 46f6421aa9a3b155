"""The launcher `bidradar.sh` keeps a working `.venv`: run through a pyenv-like shim (a script that runs the real
interpreter), or with another Python 3.11 first on PATH, it must not delete and rebuild it (a running demo's daemon
would lose its packages for a moment). A `.venv` that cannot run is rebuilt.

Each case runs the real launcher and the real uv on a one-file project in a temporary folder (no dependencies, so
nothing is downloaded)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
UV_VERSION = re.search(r"^UV_VERSION=(\S+)", (REPO / "bidradar.sh").read_text(), re.M).group(1)  # type: ignore[union-attr]
REAL_PYTHON = Path(os.path.realpath(getattr(sys, "_base_executable", sys.executable)))


def _uv() -> Path:
    for candidate in (REPO / ".bidradar" / "tools" / "uv", shutil.which("uv")):
        if candidate and Path(candidate).is_file():
            version = subprocess.run([str(candidate), "--version"], capture_output=True, text=True).stdout
            if version.split()[1:2] == [UV_VERSION]:
                return Path(candidate)
    pytest.skip(f"no uv {UV_VERSION} (./bidradar.sh fetches it into .bidradar/tools/)")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder the launcher can set up: bidradar.sh, a dependency-free pyproject.toml and its uv.lock, uv."""
    shutil.copy(REPO / "bidradar.sh", tmp_path / "bidradar.sh")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "launcher-check"\nversion = "0"\nrequires-python = ">=3.11,<3.12"\n'
        "[tool.uv]\npackage = false\n",
        encoding="utf-8",
    )
    tools = tmp_path / ".bidradar" / "tools"
    tools.mkdir(parents=True)
    (tools / "uv").symlink_to(_uv())
    subprocess.run([str(tools / "uv"), "lock", "--offline", "--quiet"], cwd=tmp_path, check=True)
    return tmp_path


def _shim_dir(folder: Path) -> Path:
    """A pyenv-like shim: `python3.11` and `python3` are scripts that exec the real interpreter."""
    folder.mkdir()
    for name in ("python3.11", "python3"):
        shim = folder / name
        shim.write_text(f'#!/usr/bin/env bash\nexec "{REAL_PYTHON}" "$@"\n', encoding="utf-8")
        shim.chmod(0o755)
    return folder


def _launch(project: Path, path_first: Path | None) -> subprocess.CompletedProcess:
    path = os.environ.get("PATH", "/usr/bin:/bin")
    env = {**os.environ, "PATH": f"{path_first}:{path}" if path_first else path, "UV_OFFLINE": "1"}
    env.pop("VIRTUAL_ENV", None)
    # `bidradar.sh` execs .venv/bin/bidradar afterwards, which this project does not have: only the set-up counts.
    return subprocess.run(["./bidradar.sh"], cwd=project, env=env, capture_output=True, text=True, timeout=120)


def _set_up(project: Path) -> Path:
    _launch(project, None)
    marker = project / ".venv" / "made-before"
    assert (project / ".venv" / "bin" / "python").exists(), "the launcher did not make .venv"
    marker.write_text("", encoding="utf-8")
    return marker


def test_a_pyenv_shim_first_on_path_keeps_the_venv(project: Path, tmp_path: Path) -> None:
    marker = _set_up(project)
    result = _launch(project, _shim_dir(tmp_path / "shims"))
    assert marker.exists(), f"the .venv was rebuilt when Python came through a shim:\n{result.stderr[-1500:]}"
    assert "Creating virtual environment" not in result.stderr


def test_a_working_venv_is_kept_whatever_python_comes_first(project: Path, tmp_path: Path) -> None:
    """The .venv was made from one 3.11; another 3.11 (here: a symlink elsewhere) comes first on PATH later."""
    marker = _set_up(project)
    other = tmp_path / "other"
    other.mkdir()
    (other / "python3.11").symlink_to(REAL_PYTHON)
    _launch(project, other)
    assert marker.exists()


def test_a_broken_venv_is_rebuilt(project: Path) -> None:
    marker = _set_up(project)
    python = project / ".venv" / "bin" / "python"
    python.unlink()
    python.symlink_to(project / "uninstalled" / "python3.11")  # as after `pyenv uninstall`
    result = _launch(project, None)
    assert not marker.exists(), f"a .venv whose Python is gone must be made again:\n{result.stderr[-1500:]}"
    assert subprocess.run([str(python), "-c", "pass"]).returncode == 0
