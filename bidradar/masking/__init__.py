"""Masking gateway: reversible, keyed masking of identifying values around every LLM call.

Import the gateway from `bidradar.masking.gateway` (it pulls in google-genai); everything else is here.
"""

from bidradar.masking.cli import mask_command
from bidradar.masking.detect import ENTITY_TYPES, Detection
from bidradar.masking.masker import Masker, MaskingLeakError, MaskResult, leak_check
from bidradar.masking.tokens import StreamUnmasker, UnmaskResult, Vault, make_token, unmask

__all__ = [
    "ENTITY_TYPES",
    "Detection",
    "MaskResult",
    "Masker",
    "MaskingLeakError",
    "StreamUnmasker",
    "UnmaskResult",
    "Vault",
    "leak_check",
    "make_token",
    "mask_command",
    "unmask",
]
