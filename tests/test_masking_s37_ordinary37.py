"""Stop 37, ordinary37: masking must never damage ordinary work (issue 24). Three classes the red team found changed
(docs/notes/s37-redteam37.md), in many formats, and the attacks beside them that must still be masked:

1. an organisation's number (a nationwide 대표번호 15xx/16xx/18xx, a free call 080) goes out: detect.service_number
   is the numbering plan, and the leak check reads it; mobiles, landlines, 070 and 050x stay masked;
2. a reference to a secret (Terraform, CloudFormation, Helm, k8s, compose, code) is no secret: the catalogue's
   placeholder notion (`_PLACEHOLDER`, `reference_at`) reads it, the leak check too;
3. a network of private or special-purpose space written as CIDR (10.20.0.0/16, fe80::/10, 2001:db8::/32) goes out
   (detect.nobodys_network); a host (/32, host bits set) and a public range stay masked; a comma list of ports is
   no card.
"""

from __future__ import annotations

import pytest

from bidradar.masking.masker import Masker
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = bytes.fromhex("37" * 32)

ORDINARY = [
    # --- 1. 대표번호 and 080 in notices, mail, JSON, CSV, chat
    "문의: 조달청 고객지원센터 1588-0800 (평일 09:00~18:00)",
    "기타 문의사항은 나라장터 콜센터(1588-0800) 또는 국번없이 120, 정부24 1588-2188로 연락 바랍니다.",
    "제품 A/S: 삼성전자서비스 1588-3366, LG전자 1544-7777, 조달청 쇼핑몰 1600-0800",
    "고객센터 1661-2000, 1670-0876, 1899-1234 (유료), 080-023-5000 (무료), 수신자부담 080-9000-1234",
    "대표번호 1566 0000 / 1577.1234 / 1599-0011 / 1644-1234 / 1666-7777 / 1688-1234 / 1800-0000 / 1855-0000",
    '{"agency": "조달청", "tel": "1588-0800", "free": "080-023-5000", "fax": "1670-0876"}',
    "기관명,대표전화,무료전화\n조달청,1588-0800,080-023-5000\n한국전력,123,080-100-1234\n",
    "[조달청 알림] [오후 3:12] 문의는 1588-0800으로 해 주세요",
    "tel: +82-1588-0800, +82 80-023-5000",
    "고객 전화 080-023-5000으로 주시면 됩니다",
    "| 구분 | 번호 |\n|---|---|\n| 콜센터 | 1588-0800 |\n| 무료 | 080-023-5000 |",
    # --- 2. references to a secret
    'resource "aws_db_instance" "main" {\n  username = "admin"\n  password = var.db_password\n}',
    "  master_password = module.rds.master_password",
    "password = data.aws_secretsmanager_secret_version.db.secret_string",
    "password = local.db_password\nsecret   = random_password.db.result\ntoken = aws_iam_access_key.ci.secret",
    '  password: var.passwords["db"]',
    "MasterUserPassword: !Ref DbPassword\nMasterUsername: admin",
    "MasterUserPassword: !GetAtt DbSecret.Password",
    'MasterUserPassword: !Sub "{{resolve:secretsmanager:${DbSecret}:SecretString:password}}"',
    "password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256",
    "  - POSTGRES_PASSWORD=${POSTGRES_PASSWORD:?required}",
    "      MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD:?MYSQL_ROOT_PASSWORD must be set}",
    "  password: {{ .Values.db.password | b64enc | quote }}",
    '  password: "{{ .Values.db.password }}"',
    "const pool = new Pool({ password: process.env.DB_PASSWORD });",
    'password = os.environ["DB_PASSWORD"]',
    'password = config["db"]["password"]',
    "password = settings.DB_PASSWORD\napi_key = self.api_key",
    "        - name: DB_PASSWORD\n          value: $(DB_PASSWORD)",
    "set PGPASSWORD=%DB_PASSWORD%",
    "          valueFrom:\n            secretKeyRef:\n              name: db-secret\n              key: password",
    "password: ${{ secrets.DB_PASSWORD }}",
    'ansible_become_password: "{{ vault_become_pass }}"',
    # --- 3. networks, port lists
    "listen [::1]:8080; listen [::]:443 ssl; fe80::/10 link-local only",
    "예시 주소 대역 2001:db8::/32 (RFC 3849), ULA fd00::/8, fd12:3456:789a::/48",
    "? (10.0.0.0/24 게이트웨이) at 3c:22:fb:1a:2b:3c [ether] on eth0",
    'resource "aws_vpc" "main" {\n  cidr_block = "10.20.0.0/16"\n}\nsubnet = "10.20.3.0/24"',
    "VPC 10.20.0.0/16, 서브넷 10.20.3.0/24, 172.31.0.0/16, 192.168.10.0/24",
    "ip6tables -A INPUT -s fe80::/10 -j ACCEPT\niptables -A INPUT -s 10.0.0.0/8 -p tcp --dport 5432 -j ACCEPT",
    "allow 192.168.0.0/24;\nallow 10.0.0.0/16;\ndeny all;\nlisten 443 ssl;",
    "열어야 할 포트: 22, 80, 443, 5432, 6379, 8080-8090, 9092, 27017",
    "ports: [22, 80, 443, 5432, 6379, 8080, 9092, 27017]",
    "방화벽 허용: tcp 5432, 6379, 8080, 9092, 9093, 9094",
    "security group ingress: 22, 80, 443, 5000, 6380, 2380, 6379, 4222, 3306, 27017",
    "허용 포트 22, 80, 443, 7000, 9094, 6379, 9092, 1521, 2380, 27017 (나머지 차단)",
    "- ports: 22, 80, 443, 9200, 5672, 7000, 9090, 9094, 6380, 27017",
]

# (text, a piece of the value that must not go out)
STILL_MASKED = [
    ("담당자 연락처 010-2345-6789 (대표 1588-0800)", "2345"),
    ("팩스 02-2125-1234, 대표 1544-7777", "2125"),
    ("담당 070-1234-5678", "1234-5678"),
    ("안심번호 0505-123-4567", "123-4567"),
    ("휴대폰 01023456789", "23456789"),
    ("+82 10-2345-6789", "2345"),
    ('{"tel": "031-123-4567", "rep": "1588-0800"}', "123-4567"),
    ("password = var.db_password  # 실제 값: Nuri*4291!", "Nuri*4291!"),
    ('password = "Nuri*4291!"', "Nuri*4291!"),
    ("  - POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-Sup3r!Secret9}", "Sup3r!Secret9"),
    (
        "Parameters:\n  DbPassword:\n    Type: String\n    Default: Whale#382Kr\n"
        "Resources:\n  Db:\n    Properties:\n      MasterUserPassword: !Ref DbPassword",
        "Whale#382Kr",
    ),
    ("db_password = Whale#382Kr\npassword = var.db_password", "Whale#382Kr"),
    ("iptables -A INPUT -s 10.0.3.9/32 -p tcp --dport 22 -j ACCEPT", "10.0.3.9"),
    ("Address = 10.8.0.2/24", "10.8.0.2"),
    ("고객 대역 203.0.113.0/24", "203.0.113"),
    ("IPv6 2406:5900:1f::/48 고객사 대역", "2406:5900"),
    ("inet6 2406:5900:10f0:1::17/64 scope global", "2406:5900"),
    ("카드 4111, 1111, 1111, 1111", "4111"),
    ('{"c": [4532, 0151, 1283, 0366]}', "4532"),
]


# (text, what must stay in what is sent: the organisation's number beside a masked one)
KEPT_BESIDE = [
    ("문의: 조달청 고객지원센터 1588-0800, 팩스 042-481-7089", "1588-0800"),  # a landline's fax: masked
    ("담당자 김하늘 010-2345-6789, 대표 080-023-5000", "080-023-5000"),
    ("password = var.db_password, backup_password = Whale#382Kr", "var.db_password"),
]


def _send(text: str) -> tuple[str, Masker]:
    masker = Masker(KEY)
    try:
        return mask_outgoing(masker, text, "the text").text, masker
    except MaskingRefused:
        pytest.fail("refused")


@pytest.mark.parametrize("text", ORDINARY, ids=[f"ordinary-{i}" for i in range(len(ORDINARY))])
def test_ordinary_text_goes_out_unchanged(text: str) -> None:
    sent, _ = _send(text)
    assert sent == text


@pytest.mark.parametrize(("text", "value"), STILL_MASKED, ids=[f"masked-{i}" for i in range(len(STILL_MASKED))])
def test_the_value_beside_still_goes_masked(text: str, value: str) -> None:
    sent, masker = _send(text)
    assert value not in sent, sent
    assert masker.unmask(sent) == text


@pytest.mark.parametrize(("text", "kept"), KEPT_BESIDE, ids=[f"beside-{i}" for i in range(len(KEPT_BESIDE))])
def test_the_ordinary_part_beside_a_masked_value_stays(text: str, kept: str) -> None:
    sent, _ = _send(text)
    assert sent != text and kept in sent, sent
