"""The master key: created atomically by exactly one of many first callers, refused when too short."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from bidradar.core.settings import MaskingSettings
from bidradar.masking.keys import MIN_KEY_BYTES, MaskingKeyError, key_file, master_secret


def _settings(home: Path, secret: str = "") -> MaskingSettings:
    return MaskingSettings(dagster_home=home / "dagster", masking_secret=secret)


def _read_in_process(home: str, start: multiprocessing.synchronize.Event, out: multiprocessing.Queue) -> None:
    start.wait()
    try:
        out.put(master_secret(_settings(Path(home))))
    except Exception as exc:  # the parent reports it
        out.put(repr(exc))


def test_concurrent_first_callers_in_threads_all_get_one_full_key(tmp_path: Path) -> None:
    for trial in range(20):
        home = tmp_path / f"t{trial}"
        barrier = threading.Barrier(8)
        results: list[object] = []

        def call(home: Path = home, barrier: threading.Barrier = barrier, results: list[object] = results) -> None:
            barrier.wait()
            try:
                results.append(master_secret(_settings(home)))
            except Exception as exc:
                results.append(exc)

        threads = [threading.Thread(target=call) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(set(results)) == 1, results
        key = results[0]
        assert isinstance(key, bytes) and len(key) >= MIN_KEY_BYTES
        assert key_file(_settings(home)).read_bytes().strip() == key
        assert [p.name for p in key_file(_settings(home)).parent.iterdir()] == ["masking.key"]  # no temp left


def test_concurrent_first_callers_in_processes_all_get_one_full_key(tmp_path: Path) -> None:
    # Four separate processes race to create the file. Forked from the forkserver (its modules preloaded by
    # tests/conftest.py), each starts in ~0.2 CPU-s; spawned, each imported the masking modules again (~1 CPU-s).
    context = multiprocessing.get_context("forkserver")
    start, out = context.Event(), context.Queue()
    processes = [context.Process(target=_read_in_process, args=(str(tmp_path), start, out)) for _ in range(4)]
    for p in processes:
        p.start()
    start.set()
    results = [out.get(timeout=120) for _ in processes]
    for p in processes:
        p.join()
    assert len(set(results)) == 1, results
    assert isinstance(results[0], bytes) and len(results[0]) >= MIN_KEY_BYTES
    path = key_file(_settings(tmp_path))
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_short_masking_secret_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(MaskingKeyError, match="MASKING_SECRET is 5 bytes") as info:
        master_secret(_settings(tmp_path, "short"))
    assert "short" not in str(info.value)
    assert master_secret(_settings(tmp_path, "x" * 32)) == b"x" * 32


@pytest.mark.parametrize("content", ["", "\n", "abc123"])
def test_an_empty_or_short_key_file_is_refused_with_its_path(tmp_path: Path, content: str) -> None:
    path = key_file(_settings(tmp_path))
    path.write_text(content)
    with pytest.raises(MaskingKeyError, match="masking key file") as info:
        master_secret(_settings(tmp_path))
    assert str(path) in str(info.value)
    assert path.read_text() == content  # never silently replaced: tokens made with it would be lost
