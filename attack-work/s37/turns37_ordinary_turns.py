"""turns37: ordinary texts told line by line (or sentence by sentence) as messages, one masker per text, against each
line masked alone: what reading them as turns changes (must be nothing). Run from the worktree:
`.venv/bin/python attack-work/s37/turns37_ordinary_turns.py`."""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))
sys.path.insert(0, str(Path.cwd() / "tests"))
import test_masking_s36_redteam as s36

import tests.test_masking_redteam31_corpus as redteam31
import tests.test_masking_redteam32_corpus as redteam32
import tests.test_masking_redteam_corpus as redteam30
from bidradar.masking import Masker
from bidradar.masking.policy import MaskingRefused, mask_outgoing
from tests.kit import masking_corpus, ordinary_corpus

KEY = b"t" * 32
texts = [look.text for look in masking_corpus.lookalike_corpus()] + masking_corpus.lookalikes()
for module in (redteam30, redteam31, redteam32):
    texts += [text for _, text in module.ordinary_texts()]
texts += [text for _, text in ordinary_corpus.ordinary_texts()] + ordinary_corpus.notice_texts()
texts += [c.text for c in s36.ORDINARY]
lines_total = changed = 0
for text in texts:
    lines = [line for line in text.split("\n") if line.strip()][:80]
    if len(lines) < 2:
        lines = [p for p in re.split(r"(?<=[.,?!:]) ", text) if p.strip()][:80]
    if len(lines) < 2:
        continue
    masker = Masker(KEY, masking_corpus.COMPANY_SECRETS)
    for line in lines:
        lines_total += 1
        try:
            turned = mask_outgoing(masker, line, "t").text
        except MaskingRefused:
            turned = "refused"
        try:
            alone = mask_outgoing(Masker(KEY, masking_corpus.COMPANY_SECRETS), line, "t").text
        except MaskingRefused:
            alone = "refused"
        if turned != alone:
            changed += 1
            print("CHANGED", repr(line[:100]), "->", repr(turned[:100]))
print(len(texts), "texts", lines_total, "lines", changed, "changed by reading them as turns")
