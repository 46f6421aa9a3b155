"""turns37: the share of the proxy's masking time spent reading message boundaries (turns.py), on 120 short chat
messages of ordinary texts. Run from the worktree: `.venv/bin/python attack-work/s37/turns37_proxy_cost.py`."""

import random
import sys
import time

from bidradar.masking import Masker
from serving.llm_proxy import context
from serving.llm_proxy.request_masking import mask_request

sys.path.insert(0, "tests")
from tests.kit import ordinary_corpus

texts = [t for _, t in ordinary_corpus.ordinary_texts()]
rng = random.Random(1)
msgs = [{"role": "user" if i % 2 == 0 else "assistant", "content": rng.choice(texts)[:600]} for i in range(120)]
body = {"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": msgs}
mask_request(body, b"k" * 32)
best = 1e9
bacr = 1e9
for _ in range(3):
    t = time.process_time()
    mask_request(body, b"k" * 32)
    best = min(best, time.process_time() - t)
    m = Masker(b"k" * 32)
    out = context.ContextSpans()
    t = time.process_time()
    context._across_messages(msgs, m, out)
    bacr = min(bacr, time.process_time() - t)
print(
    f"request {sum(len(x['content']) for x in msgs)} chars, 120 messages: mask_request {best * 1000:.0f} ms, of which across {bacr * 1000:.0f} ms ({bacr / best:.0%})"
)
