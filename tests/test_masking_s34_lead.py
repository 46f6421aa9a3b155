"""Stop 34, the lead's mend after the red team's harness ran on the merged helpers: a mobile number kept as a number
loses its leading 0 (a spreadsheet cell, a JSON integer `{"phone": 1023456789}`), and went to Claude verbatim from a
request's `metadata` and a tool's input. Such digits are a phone only where a phone word or its column names them:
bare ids of the same shape stay. Every value is made up.
"""

from __future__ import annotations

import anthropic
import pytest

from bidradar.masking import Masker
from bidradar.masking.policy import mask_outgoing
from tests.kit.anthropic import masking_proxy, seen_upstream

KEY = b"s34-lead-masking-test-key-32byte"
MODEL = "claude-sonnet-4-5"


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ('{"phone": 1023456789}', "1023456789"),
        ("phone: 1187654321", "1187654321"),
        ("휴대폰 1098765432 로 연락 주세요", "1098765432"),
        ("연락처=1612345678", "1612345678"),
        ("이름,휴대폰번호,부서\n홍길동,1055551234,영업\n", "1055551234"),
        ("mobile\t1934567890", "1934567890"),
    ],
)
def test_a_mobile_number_that_lost_its_leading_zero_is_masked_where_a_phone_word_names_it(
    text: str, phone: str
) -> None:
    out = mask_outgoing(Masker(KEY), text, "the prompt")
    assert phone not in out.text and out.counts["PHONE"] == 1, out.text


@pytest.mark.parametrize(
    "text",
    ["id: 1023456789", "rows: 1012345678", "조달요청번호: 1098765432", "order_id,amount\n1055551234,12000\n"],
)
def test_digits_of_that_shape_without_a_phone_word_stay(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text


def test_a_phone_kept_as_a_json_integer_never_reaches_claude() -> None:
    tool_input = {"phone": 1023456789, "note": "010 빠짐"}
    with masking_proxy(KEY) as (standin, url):
        client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
        client.messages.create(
            model=MODEL,
            max_tokens=20,
            metadata={"user_id": "u-1"},
            messages=[
                {"role": "user", "content": "조회해 주세요"},
                {
                    "role": "assistant",
                    "content": [{"type": "tool_use", "id": "toolu_01A", "name": "f", "input": tool_input}],
                },
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01A", "content": "ok"}]},
            ],
        )
        client.messages.create(
            model=MODEL,
            max_tokens=20,
            messages=[{"role": "user", "content": "hi"}],
            extra_body={"metadata": {"user_id": "u-2", "phone": 1187654321}},
        )
    seen = seen_upstream(standin)
    assert "1023456789" not in seen and "1187654321" not in seen
    assert "MASK_PHONE_" in seen
