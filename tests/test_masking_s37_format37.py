"""Stop 37, helper format37: identifiers reformatted by tools (docs/notes/s37-format37.md).

Six classes from the s37 red team (docs/notes/s37-redteam37.md), each in several formats of our own, and the
look-alikes that must go out unchanged: numbers grouped in thousands by a spreadsheet (judged by the column header or
label and the checksum; amounts stay), cards glued to a tag (track 1/2, EMV, ISO 8583, a brand), a bare 사업자번호
with no Korean label (b_no, a vendor path, a company name), AWS account ids inside AWS default resource names, values
wrapped inside a digit group (also under a comment prefix), and values across the lines of a MIME base64 body.
"""

from __future__ import annotations

import base64
import re

import pytest

from bidradar.masking.detect import TOKEN_RE
from bidradar.masking.masker import Masker
from bidradar.masking.policy import mask_outgoing

KEY = bytes.fromhex("f3" * 32)
SECRETS = ["누리온테크"]

# Values with their checksums (Luhn, 사업자번호 check digit, 주민번호 date and check digit).
CARD = "5310065329816042"
CARD2 = "4111111111111111"
RRN = "880207-2300407"
RRN2 = "721015-2142951"
BRN = "7852345204"
BRN2 = "2688631200"
ACCT = "701060631567"
PHONE = "010-5753-2762"


def _send(text: str) -> str:
    masker = Masker(KEY, SECRETS)
    sent = mask_outgoing(masker, text, "the text").text
    assert masker.unmask(sent) == text
    return sent


def _digits_left(sent: str) -> str:
    return re.sub(r"[^0-9|]", "", TOKEN_RE.sub("|", sent))


def _thousands(digits: str) -> str:
    return f"{int(digits):,}"


HIDDEN = [
    # 1. a spreadsheet's thousands separators under a header or label that names the identifier
    ("thousands_bank_tsv", f"은행\t계좌번호\t예금주\n신한\t{_thousands('110819815104')}\t김민준", "110819815104"),
    ("thousands_rrn_zero_lost", f"성명\t주민등록번호\n박지훈\t{_thousands('0102034123451')}", "102034123451"),
    (
        "thousands_rrn_md",
        f"| 성명 | 주민번호 |\n|---|---|\n| 박지훈 | {_thousands(RRN.replace('-', ''))} |",
        "8802072300407",
    ),
    ("thousands_phone_tsv", f"이름\t휴대폰\n박지훈\t{_thousands('1057532762')}", "1057532762"),
    ("thousands_card_label", f"카드번호: {_thousands(CARD)}", CARD),
    ("thousands_card_bare16", f"승인 내역 {_thousands(CARD2)} 확인 부탁", CARD2),
    ("thousands_brn_tsv", f"거래처\t사업자등록번호\n(주)누리\t{_thousands(BRN)}", BRN),
    ("thousands_aws_label", f"AWS 계정 ID\n{_thousands(ACCT)}", ACCT),
    ("thousands_aws_md", f"| env | aws account |\n|---|---|\n| prod | {_thousands(ACCT)} |", ACCT),
    # 2. a card glued to its tag or a brand
    ("card_track1", f"%B{CARD}^KIM/MINJUN^27121010000000000000?", CARD),
    ("card_track1_lower", f"swipe=%b{CARD2}^PARK/JIHOON^2712101", CARD2),
    ("card_emv_5a", f"TLV: 9F0206000000055000 5A08{CARD} 5F2403271231", CARD),
    ("card_emv_57", f"57 13 {CARD}D27122010000012345F", CARD),
    ("card_track2_equiv", f"Track2 Equivalent Data (57): {CARD2}D27122010000012345F", CARD2),
    ("card_visa", f"승인요청 VISA{CARD2} 55,000원", CARD2),
    ("card_master", f"brand=MASTERCARD{CARD}", CARD),
    ("card_pan", f"ISO8583 DE2=PAN{CARD} DE4=000000055000", CARD),
    ("card_iso8583_f002", f"MTI=0200 F002=16{CARD} F003=000000", CARD),
    ("card_iso8583_de002", f"DE002: 16{CARD2}", CARD2),
    # 3. a bare 사업자번호 without a Korean label
    ("brn_b_no_json", '{"b_no":["' + BRN + '"]}', BRN),
    ("brn_b_no_body", '{"businesses":[{"b_no":"' + BRN2 + '","start_dt":"20190301"}]}', BRN2),
    ("brn_b_no_yaml", f"b_no: {BRN}\n", BRN),
    ("brn_vendor_path", f"GET /api/vendors/{BRN}/status HTTP/1.1", BRN),
    ("brn_supplier_url", f"https://erp.nuri.local/suppliers/{BRN2}", BRN2),
    ("brn_after_company", f"(주)누리 {BRN2} 대표 박지훈", BRN2),
    ("brn_company_suffix", f"누리솔루션(주) {BRN} 견적서 첨부", BRN),
    # 4. the account id inside AWS default resource names
    ("aws_eb_bucket", f"elasticbeanstalk-ap-northeast-2-{ACCT}", ACCT),
    ("aws_cdk_role", f"Role name: cdk-hnb659fds-cfn-exec-role-{ACCT}-ap-northeast-2", ACCT),
    ("aws_cdk_assets", f"cdk-hnb659fds-assets-{ACCT}-ap-northeast-2", ACCT),
    ("aws_cdk_repo", f"cdk-hnb659fds-container-assets-{ACCT}-ap-northeast-2:latest", ACCT),
    ("aws_cloudtrail", f"aws-cloudtrail-logs-{ACCT}-3f9a1c2b", ACCT),
    ("aws_sagemaker", f"sagemaker-ap-northeast-2-{ACCT}", ACCT),
    ("aws_ecr_host", f"docker push {ACCT}.dkr.ecr.ap-northeast-2.amazonaws.com/api:1.4", ACCT),
    # 5. wrapped inside a digit group, also under a comment prefix
    ("wrap_phone_mid", "회신 주실 연락처는 010-57\n53-2762 입니다.", "01057532762"),
    ("wrap_phone_nodash", "고객 연락처 01057\n532762", "01057532762"),
    ("wrap_aws", f"AWS 계정 ID {ACCT[:7]}\n{ACCT[7:]} 에 권한 요청", ACCT),
    ("wrap_bank", "환불 계좌 신한 110-836-1\n15403 예금주 김민준", "110836115403"),
    ("wrap_rrn_hash", f"# 테스트 계정 주민번호 {RRN2[:7]}\n# {RRN2[7:]}", RRN2.replace("-", "")),
    ("wrap_phone_slashes", "// 연락처 010-5753-\n// 2762", "01057532762"),
]


def _mime(text: str, width: int = 76) -> str:
    b = base64.b64encode(text.encode()).decode()
    return "Content-Transfer-Encoding: base64\n\n" + "\n".join(b[i : i + width] for i in range(0, len(b), width))


def _straddling(label: str, value: str, width: int = 76) -> str:
    """A body whose value crosses the first line break."""
    for pad in range(0, 80):
        text = f"{label}: " + "." * pad + value + " 로 연락 주세요.\n"
        b = base64.b64encode(text.encode()).decode()
        cut = width
        decoded_head = base64.b64decode(b[:cut])
        if value[:3].encode() in decoded_head and value.encode() not in decoded_head:
            return _mime(text, width)
    raise AssertionError("no padding cuts the value")


HIDDEN += [
    # 6. a MIME base64 body, the value across a line break
    ("mime_phone", _straddling("Phone", PHONE), "01057532762"),
    ("mime_rrn", _straddling("주민번호", RRN2), RRN2.replace("-", "")),
    ("mime_card", _straddling("Card", CARD), CARD),
    ("mime_pem_width", _straddling("연락처", PHONE, 64), "01057532762"),
    (
        "mime_long_middle",
        _mime("안녕하세요. 회의 자료 보내드립니다. " * 6 + f"연락처 {PHONE} 입니다. " + "감사합니다. " * 12),
        "01057532762",
    ),
]


@pytest.mark.parametrize(("text", "core"), [pytest.param(t, c, id=i) for i, t, c in HIDDEN])
def test_reformatted_value_does_not_leave(text: str, core: str) -> None:
    sent = _send(text)
    assert core not in _digits_left(sent), sent


def test_mime_body_masks_only_the_lines_holding_the_value() -> None:
    text = _mime("안녕하세요. 회의 자료 보내드립니다. " * 6 + f"연락처 {PHONE} 입니다. " + "감사합니다. " * 12)
    sent = _send(text)
    lines = text.split("\n")[2:]
    kept = [line for line in lines if line in sent.split("\n")]
    assert len(kept) >= len(lines) - 2, sent  # one token for the value's line or two, the rest readable


UNCHANGED = [
    # amounts grouped in thousands: the most common number in a notice
    "기초금액 1,234,567,890원",
    "추정가격: 12,345,678,900 (부가세 별도)",
    "품목\t수량\t금액\n노트북\t100\t1,057,532,762",
    "| 구분 | 예산 |\n|---|---|\n| 2025 | 110,819,815,104 |",
    "계좌 잔액 110,819,815,104",
    "총 사업비 7,852,345,204원, 계약보증금 785,234,520원",
    "발주 1,057,532,762건 처리",
    "매출 합계 2,688,631,200",
    "조회수 1,234,567,890 돌파",
    # notice and contract numbers, versions, ports, dates
    "공고번호 20241101948-00, 계약번호 2024-0001234",
    "입찰공고 R24BK01234567 재공고",
    "version 1.2.3\n4.5.6 released",
    "ports: 22, 80, 443, 5432, 6379, 9092, 27017",
    "2024-11-02 09:13 접수, 2024-12-31 마감",
    "# 합계 123456\n# 7890 건",
    "# 공고번호 20241101948-\n# 00",
    "포트 8080\n9090",
    # digits glued to letters that are no card tag: hashes, builds
    f"commit {CARD}d18b4c2e",
    f"sha256:{CARD}abcdef0123456789",
    "ts 1733640000000000D2412",
    "5A08 12345678",
    # 10 digits after a path or a company without the checksum, other paths
    "GET /api/orders/6818191143 HTTP/1.1",
    "GET /api/vendors/7852345205/status",
    "(주)누리 2688631201 대표 박지훈",
    '{"b_no":["7852345205"]}',
    # a 12-digit number in a name that AWS does not give
    "release-build-701060631567-x",
    "elasticbeanstalk-ap-northeast-2-env",
    # base64 bodies of ordinary text
    _mime("안녕하세요. 2024년 11월 입찰 공고 20241101948-00 건 관련 문의입니다. 기초금액 1,234,567,890원. " * 4),
    _mime("Release notes: version 2.4.1 fixes the upload bug. Ports 80, 443 and 8080 stay open. " * 3),
]


@pytest.mark.parametrize("text", UNCHANGED)
def test_look_alike_goes_out_unchanged(text: str) -> None:
    assert _send(text) == text
