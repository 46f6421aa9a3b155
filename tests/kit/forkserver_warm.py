"""Imported by multiprocessing's forkserver (preloaded by tests/conftest.py), never by a test.

The proxy masks large bodies in worker processes forked from the forkserver. What the forkserver has imported and
compiled, every worker has from its start: the proxy's modules (~1.1 CPU-s to import) and the patterns the masker
and the leak check compile on first use (~0.7 CPU-s). Else each worker pays both at nice +19, behind the busy test
workers (the restart test's processes path took 61 s in CI). The workers still mask every body themselves.
"""

from __future__ import annotations

import contextlib

import serving.llm_proxy.app  # noqa: F401  (the module whose functions the workers run)
from bidradar.masking import Masker
from bidradar.masking.policy import mask_outgoing

# Best effort: an exception here would stop the forkserver, and with it every worker process of the run.
with contextlib.suppress(Exception):
    mask_outgoing(Masker(b"forkserver-warm-up-key-32-bytes!"), "비밀번호: Seoul2024!dream, 010-4417-2093", "warm-up")
