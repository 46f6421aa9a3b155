"""Stop 37's ordinary texts (redteam37): notice and technical texts full of numbers that identify nobody. Each must go
out unchanged. Decision: a company's or agency's nationwide 대표번호 (1588-xxxx, 1544-, 1600-, 1661-, 국번없이 120) is
a public service number, not a person's phone: it must stay.
"""

from __future__ import annotations

import random
import string

_R = random.Random(37037)


def _hex(n: int) -> str:
    return "".join(_R.choice("0123456789abcdef") for _ in range(n))


def _uuid() -> str:
    return f"{_hex(8)}-{_hex(4)}-4{_hex(3)}-a{_hex(3)}-{_hex(12)}"


def _isbn13(body12: str) -> str:
    s = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body12))
    return body12 + str((10 - s % 10) % 10)


AGENCIES = [
    "한국도로공사",
    "조달청",
    "국가철도공단",
    "한국수자원공사",
    "서울특별시",
    "경기도교육청",
    "한국전력공사",
    "국민건강보험공단",
]
ITEMS = [
    "데스크톱컴퓨터",
    "영상감시장치",
    "소프트웨어 유지관리",
    "정보시스템 고도화",
    "LED 조명기구",
    "네트워크 스위치",
]


def _notice(i: int) -> str:
    ag = AGENCIES[i % len(AGENCIES)]
    item = ITEMS[i % len(ITEMS)]
    no = f"R25BK{_R.randint(10**7, 10**8 - 1):08d}"
    price = _R.randint(30, 3000) * 1_000_000 + _R.randint(0, 999) * 1000
    day = _R.randint(3, 27)
    return (
        f"[입찰공고] {ag} 2025년 {item} 구매\n"
        f"공고번호: {no}-000\n"
        f"공고일시: 2025/03/{day:02d} 10:{_R.randint(0, 59):02d}\n"
        f"입찰마감일시: 2025/03/{day + 1:02d} 10:00  개찰일시: 2025/03/{day + 1:02d} 11:00\n"
        f"추정가격: {price:,}원 (부가가치세 별도)  배정예산: {int(price * 1.1):,}원\n"
        f"예가방법: 복수예가(15개 중 4개 추첨), 낙찰하한율 {_R.choice(['87.745', '86.745', '88.0', '80.495'])}%\n"
        f"업종: 소프트웨어사업자(컴퓨터관련서비스사업) 1468, 물품분류번호 {_R.randint(43000000, 46999999)}\n"
        f"문의: 조달청 고객지원센터 1588-0800"
    )


def ordinary_texts() -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for i in range(14):
        out.append(("notice", f"notice_{i:02d}", _notice(i)))
    out += [
        (
            "notice",
            "old_notice_no",
            "입찰공고번호 20250312345-00 (재공고 20250312345-01), 계약번호 제2025-0123호, 조달요청번호 R25TA01234567",
        ),
        (
            "notice",
            "amount_hangul",
            "금 일억이천삼백사십오만원정(₩123,450,000) / 입찰보증금: 입찰금액의 5% 이상 / 지체상금률: 0.05%",
        ),
        (
            "notice",
            "schedule_table",
            "| 구분 | 일시 |\n|---|---|\n| 현장설명 | 2025.03.14(금) 14:00 |\n| 입찰마감 | 2025.03.21(금) 10:00 |\n| 개찰 | 2025.03.21(금) 11:00 |",
        ),
        ("notice", "contract_period", "계약기간: 착수일로부터 180일 / 연면적 12,345.67㎡ / 지하 2층, 지상 15층"),
        (
            "notice",
            "law_refs",
            "「국가를 당사자로 하는 계약에 관한 법률 시행령」 제26조제1항제5호가목 및 조달청 고시 제2024-12호, 법률 제19234호(2023.3.4.)",
        ),
        (
            "notice",
            "item_ids",
            "물품식별번호 24123456, 세부품명번호 4321150301, 규격: 인텔 코어 i5-14500 / 16GB / 512GB SSD / 23.8인치",
        ),
        (
            "notice",
            "call_center",
            "기타 문의사항은 나라장터 콜센터(1588-0800) 또는 국번없이 120, 한국전력 고객센터 123, 정부24 1588-2188로 연락 바랍니다.",
        ),
        (
            "notice",
            "rep_numbers",
            "제품 A/S: 삼성전자서비스 1588-3366, LG전자 1544-7777, 조달청 쇼핑몰 1600-0800 (평일 09:00~18:00)",
        ),
        (
            "notice",
            "bid_results_csv",
            "순위,업체명,투찰금액,투찰률,추첨번호\n1,(주)한빛정보,98,765,000,87.781%,3 7 11 14\n2,대한시스템(주),98,900,000,87.901%,2 5 9 15",
        ),
        (
            "notice",
            "g2b_excel_tsv",
            "공고번호\t공고명\t수요기관\t추정가격\t마감일\nR25BK00456789-000\tCCTV 구매\t경기도교육청\t245,000,000\t2025-03-21\nR25BK00456790-000\t노트북 구매\t서울특별시\t88,000,000\t2025-03-24",
        ),
        (
            "notice",
            "doc_number",
            "문서번호: 정보화담당관-1234 (2025.03.04.) 시행 / 우편번호 34141 대전광역시 서구 청사로 189",
        ),
        (
            "notice",
            "pre_spec",
            "사전규격공개번호 R25BD00012345, 의견등록마감 2025-03-10 18:00, 사업금액 1,980,000,000원",
        ),
        ("notice", "isbn_book", f"참고도서: 『공공조달 실무』 ISBN {_isbn13('978896' + '123456')}, 정가 28,000원"),
        ("notice", "percent_dates", "'25.3.14 기준 진척률 62.5%, 2024년 대비 +3.2%p, 예산집행률 1/4분기 24.8%"),
        (
            "notice",
            "meeting_minutes",
            "2025. 3. 5.(수) 14:00~15:30 회의실 301호, 참석 7명, 안건 3건(1.2.1 범위, 1.2.2 일정, 1.3 예산)",
        ),
        (
            "notice",
            "guarantee",
            "하자보수보증금률 3%, 하자담보책임기간 2년, 계약보증금 10% (보증서 번호는 발급 후 제출)",
        ),
        (
            "notice",
            "g2b_url",
            "https://www.g2b.go.kr:8081/ep/invitation/publish/bidInfoDtl.do?bidno=20250312345&bidseq=00&releaseYn=Y",
        ),
        (
            "notice",
            "region_limit",
            "지역제한: 대전광역시, 세종특별자치시 / 공동수급: 허용(분담이행 불가) / 구성원 수 3개사 이하",
        ),
        ("notice", "unit_prices", "단가: 1식 12,500,000원, 2식 24,000,000원, 예비품 30EA × 45,000원 = 1,350,000원"),
        ("notice", "coordinates", "설치 위치: 위도 36.3504, 경도 127.3845 (EPSG:4326), 표고 57.2m"),
    ]
    out += [
        (
            "tech",
            "docker_digest",
            f"docker pull ghcr.io/nuri/bidradar@sha256:{_hex(64)}\nStatus: Downloaded newer image",
        ),
        ("tech", "git_log_oneline", "\n".join(f"{_hex(7)} fix parser edge case #{1200 + i}" for i in range(5))),
        ("tech", "uuids_json", f'{{"request_id":"{_uuid()}","trace_id":"{_hex(32)}","span_id":"{_hex(16)}"}}'),
        (
            "tech",
            "k8s_meta",
            f'metadata:\n  name: bidradar-api\n  namespace: prod\n  resourceVersion: "48213377"\n  uid: {_uuid()}\n  generation: 12',
        ),
        (
            "tech",
            "kubectl_pods",
            "NAME                            READY   STATUS    RESTARTS   AGE\nbidradar-api-7d9f8c6b5d-x2k9p   1/1     Running   0          3d4h\nbidradar-worker-5c4b7f9d8-qq7zl 1/1     Running   2          3d4h",
        ),
        (
            "tech",
            "npm_integrity",
            '"node_modules/lodash": {\n  "version": "4.17.21",\n  "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",\n  "integrity": "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg=="\n}',
        ),
        ("tech", "pip_hash", f"requests==2.32.3 \\\n    --hash=sha256:{_hex(64)}"),
        (
            "tech",
            "gha_secrets_ref",
            "env:\n  AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}\n  AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n  AWS_REGION: ap-northeast-2",
        ),
        (
            "tech",
            "terraform_vars",
            'resource "aws_db_instance" "main" {\n  instance_class = "db.r6g.large"\n  allocated_storage = 200\n  password = var.db_password\n  port = 5432\n}',
        ),
        ("tech", "py_env", 'DB_PASSWORD = os.environ["DB_PASSWORD"]\nTIMEOUT_MS = 30_000\nMAX_BYTES = 10_485_760'),
        (
            "tech",
            "json_log_metrics",
            '{"ts":1741150000123,"level":"info","msg":"done","latency_ms":183,"bytes":1048576,"rows":4821}',
        ),
        (
            "tech",
            "nginx_local",
            '127.0.0.1 - - [05/Mar/2025:10:00:01 +0900] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"',
        ),
        ("tech", "versions", "Python 3.11.9, Django 5.0.3, PostgreSQL 16.2, Node v20.11.1, OpenSSL 3.0.13 30 Jan 2024"),
        (
            "tech",
            "oid",
            "signatureAlgorithm: 1.2.840.113549.1.1.11 (sha256WithRSAEncryption), OID 2.5.4.3 = commonName",
        ),
        ("tech", "cve_list", "영향 받는 취약점: CVE-2024-3094, CVE-2023-44487, GHSA-xxxx? 해당 없음. CVSS 10.0 / 7.5"),
        ("tech", "cidr", "허용 대역: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 0.0.0.0/0 차단; 로컬 127.0.0.1:8080"),
        ("tech", "ipv6_local", "listen [::1]:8080; listen [::]:443 ssl; fe80::/10 link-local only"),
        ("tech", "mac_arp", "? (10.0.0.0/24 게이트웨이) at 3c:22:fb:1a:2b:3c [ether] on eth0"),
        ("tech", "md5_sha", f"MD5 (bid.zip) = d41d8cd98f00b204e9800998ecf8427e\nSHA256 (bid.zip) = {_hex(64)}"),
        (
            "tech",
            "cron",
            "# 매일 02:30 크롤링, 5분마다 헬스체크\n30 2 * * * /opt/bid/crawl.sh\n*/5 * * * * /opt/bid/health.sh",
        ),
        (
            "tech",
            "java_stack",
            "java.lang.NullPointerException: bidAmount\n\tat kr.nuri.bid.BidService.calc(BidService.java:142)\n\tat kr.nuri.bid.BidController.post(BidController.java:57)\n\tat java.base/java.lang.Thread.run(Thread.java:1583)",
        ),
        (
            "tech",
            "py_traceback",
            "Traceback (most recent call last):\n  File \"/app/bid/parse.py\", line 218, in parse\n    amount = int(row[7])\nValueError: invalid literal for int() with base 10: '1,234,000'",
        ),
        (
            "tech",
            "sql_result",
            "mysql> select bid_no, amount, rate from bid_result limit 2;\n+----------------+-----------+--------+\n| bid_no         | amount    | rate   |\n+----------------+-----------+--------+\n| 20250312345-00 | 98765000  | 87.781 |\n| 20250312346-00 | 123400000 | 88.002 |\n+----------------+-----------+--------+",
        ),
        (
            "tech",
            "sql_insert_notice",
            "INSERT INTO notice (bid_no, bid_seq, est_price, close_at) VALUES ('20250312345', '00', 245000000, '2025-03-21 10:00:00');",
        ),
        (
            "tech",
            "http_dump",
            'HTTP/1.1 200 OK\nContent-Type: application/json; charset=utf-8\nContent-Length: 18342\nETag: W/"47a6-1741150000"\nX-Request-Id: '
            + _uuid(),
        ),
        (
            "tech",
            "curl_public",
            'curl -s "https://apis.data.go.kr/1230000/BidPublicInfoService05/getBidPblancListInfoServc?numOfRows=100&pageNo=1&inqryDiv=1&type=json"',
        ),
        (
            "tech",
            "helm_values",
            "replicaCount: 3\nimage:\n  repository: ghcr.io/nuri/bidradar\n  tag: 1.4.2\nresources:\n  limits:\n    cpu: 500m\n    memory: 512Mi",
        ),
        (
            "tech",
            "compose_ports",
            'services:\n  api:\n    ports:\n      - "8080:8080"\n      - "9090:9090"\n    environment:\n      - TZ=Asia/Seoul\n      - WORKERS=4',
        ),
        (
            "tech",
            "file_sizes",
            "total 2.1G\n-rw-r--r-- 1 bid bid 1073741824 Mar  5 10:00 dump.bin\n-rw-r--r-- 1 bid bid   52428800 Mar  5 10:01 notice.csv",
        ),
        ("tech", "epoch_ms", "created_at=1741150000123 updated_at=1741153600456 ttl=86400"),
        (
            "tech",
            "snowflake",
            '{"message_id": "1212345678901234567", "channel": "bid-alerts", "ts": "1741150000.123456"}',
        ),
        (
            "tech",
            "kafka_offsets",
            "GROUP  TOPIC       PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG\nbid    bid.events  0          12345678        12345690        12\nbid    bid.events  1          12344321        12344321        0",
        ),
        (
            "tech",
            "prom_metrics",
            'http_requests_total{code="200",method="post"} 1027345\nprocess_resident_memory_bytes 2.21184e+08\nmasking_seconds_bucket{le="0.005"} 90211',
        ),
        ("tech", "semver_ranges", '"dependencies": {"react": "^18.2.0", "axios": "~1.6.7", "zod": ">=3.22.4 <4"}'),
        (
            "tech",
            "aws_public",
            "인스턴스 타입 m6i.2xlarge, 가용 영역 ap-northeast-2a/2c, EBS gp3 3000 IOPS 125 MiB/s, 리전 코드 apn2",
        ),
        (
            "tech",
            "ssh_fingerprint",
            "ED25519 key fingerprint is SHA256:"
            + "".join(_R.choice(string.ascii_letters + string.digits) for _ in range(43))
            + ".",
        ),
        ("tech", "ports_list", "열어야 할 포트: 22, 80, 443, 5432, 6379, 8080-8090, 9092, 27017"),
        (
            "tech",
            "base64_image",
            "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==",
        ),
        ("tech", "jwt_placeholder", "Authorization: Bearer <YOUR_TOKEN_HERE>  # 발급받은 토큰을 넣으세요"),
        (
            "tech",
            "excel_numbers",
            "항목\t1월\t2월\t3월\n매출\t1,234,567,890\t1,345,678,901\t1,456,789,012\n건수\t1234\t1345\t1456",
        ),
        (
            "tech",
            "timestamps",
            "2025-03-05T01:02:03.456789+09:00, 2025-03-05 10:02:03,456, 20250305T010203Z, Wed, 05 Mar 2025 01:02:03 GMT",
        ),
        (
            "tech",
            "phone_format_doc",
            "전화번호 형식: 010-XXXX-XXXX, 주민번호 형식: YYMMDD-XXXXXXX (예시는 마스킹해서 적을 것)",
        ),
        (
            "tech",
            "slack_release",
            "[#release] v1.4.2 배포 완료 :tada: 빌드 #1287, 커밋 9f8e7d6, 테스트 1,482개 통과, 소요 12m 34s",
        ),
        (
            "tech",
            "kakao_ordinary",
            "[정하늘] [오후 3:12] 3시 회의 301호로 변경됐어요\n[강도윤] [오후 3:13] 넵 자료 23쪽까지 봤습니다",
        ),
        (
            "tech",
            "mail_thread_ordinary",
            "네 좋습니다.\n\n> 2025. 3. 5. 오전 9:02 작성:\n> 견적 금액 98,765,000원, 납기 계약 후 60일로 정리했습니다.\n> > 규격서 v2.3 확인 부탁드립니다.",
        ),
        (
            "tech",
            "url_encoded_search",
            "https://www.g2b.go.kr/search?query=%EC%98%81%EC%83%81%EA%B0%90%EC%8B%9C&from=20250301&to=20250331&page=2",
        ),
        (
            "tech",
            "hwp_artifact",
            "제 1 장  총  칙\n\n제1조(목적) 이 규격서는 「2025년 영상감시장치 구매」 의 세부사항을 정함을 목적으로 한다.\n  - 1 -",
        ),
        ("tech", "unicode_escape_plain", '{"title":"\\uc785\\ucc30\\uacf5\\uace0","count":12}'),
        ("tech", "color_codes", "primary #1A73E8, secondary #34A853, 배경 rgba(0, 0, 0, 0.54), 폰트 14px/1.5"),
        ("tech", "fullwidth_prose", "（주）한빛정보 제안서 １부, 총 ４２쪽 (２０２５．３．５．)"),
        (
            "tech",
            "gpu_output",
            "| 0  NVIDIA A10G   On | 00000000:00:1E.0 Off |   0 |\n|  0%   28C  P8  16W / 300W |  1024MiB / 23028MiB |  0%  Default |",
        ),
        (
            "tech",
            "aws_example_doc",
            "리전 목록: us-east-1, ap-northeast-2, eu-west-1 / 인스턴스 수: 12 / 예약 만료: 2026-01-31",
        ),
    ]
    out += [
        ("refs", "helm_template_ref", 'env:\n  - name: DB_PASSWORD\n    value: "{{ .Values.db.password }}"'),
        (
            "refs",
            "cfn_ref",
            "MasterUserPassword: !Ref DbPassword\nMasterUsername: !Sub '{{resolve:secretsmanager:${DbSecret}:SecretString:username}}'",
        ),
        ("refs", "tf_module_ref", "password = module.rds.master_password\nusername = local.db_user"),
        ("refs", "tf_data_ref", "password = data.aws_secretsmanager_secret_version.db.secret_string"),
        ("refs", "shell_secret_file", 'export PGPASSWORD="$(cat /run/secrets/db_password)"'),
        (
            "refs",
            "compose_env_ref",
            "environment:\n  - POSTGRES_PASSWORD=${POSTGRES_PASSWORD:?required}\n  - POSTGRES_USER=bid",
        ),
        ("refs", "placeholder_kr", '{"username": "<아이디>", "password": "<비밀번호>"}'),
        (
            "refs",
            "k8s_secretkeyref",
            "env:\n- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password",
        ),
        ("numbers", "ports_kr", "주요 포트: 5432(PostgreSQL), 6379(Redis), 8080-8090(API), 9092(Kafka)"),
        ("numbers", "years_list", "대상 연도: 2021, 2022, 2023, 2024 (4개년 평균)"),
        ("numbers", "budget_list", "연도별 예산(백만원): 1200, 3400, 5600, 7800, 9100"),
        ("numbers", "powers_of_two", "버퍼 크기 후보: 1024, 2048, 4096, 8192, 16384 바이트"),
        ("numbers", "page_refs", "참조: 규격서 12쪽, 15쪽, 102-105쪽, 부록 3-1, 3-2"),
        ("numbers", "ipv6_doc", "예시 주소 대역 2001:db8::/32 (RFC 3849), ULA fd00::/8"),
        ("numbers", "rep_numbers_more", "고객센터 1661-2000, 1670-0876, 1899-1234 (유료), 080-023-5000 (무료)"),
        ("numbers", "version_matrix", "지원 버전: 11.22, 12.17, 13.13, 14.10, 15.5, 16.1"),
        ("numbers", "bid_amounts_spaced", "투찰금액 98 765 000원, 98 900 000원, 99 120 000원 (천 단위 공백 표기)"),
    ]
    return out
