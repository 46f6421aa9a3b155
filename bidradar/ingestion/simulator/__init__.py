"""A G2B (나라장터) open API simulator that behaves like the real API down to its quirks.

``G2BSimulator`` serves the real paths over HTTP from a seeded ``NoticeGenerator``; ``run_forever`` is the
blocking entry point for ``bidradar g2b-sim``. See ``server.py`` for response shapes and faults.
"""

from .generator import NoticeGenerator
from .server import FAULTS, OPERATIONS, G2BSimulator, run_forever

__all__ = ["FAULTS", "OPERATIONS", "G2BSimulator", "NoticeGenerator", "run_forever"]
