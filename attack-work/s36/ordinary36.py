"""Stop 36's ordinary texts: what people send every day that must go out unchanged (hand-written, generated values).

Each entry is (class, text). No e-mail, phone or IPv4 is in them: those are masked on purpose."""

from __future__ import annotations

import random

_R = random.Random(3637)


def _notice() -> str:
    return f"R26BK{_R.randint(10**7, 10**8 - 1):08d}-000"


ORDINARY: list[tuple[str, str]] = []


def add(cls: str, *texts: str) -> None:
    ORDINARY.extend((cls, t) for t in texts)


for _ in range(6):
    n = _notice()
    add("notice", f"공고번호 {n} 건 마감이 12월 15일 10:00 입니다. 추정가격 {_R.randint(1, 99) * 1_000_000:,}원")
add(
    "notice",
    "입찰공고 R26BK01234567-000 (차수 01) / 개찰일시 2026-12-18 11:00 / 기초금액 348,500,000원",
    "재공고: R26BK00987654-001, 원공고 R26BK00987654-000 참조",
    "공고번호\t공고명\t추정가격\nR26BK01111111-000\t통합유지보수\t120,000,000\nR26BK02222222-000\t전산장비 구매\t88,000,000",
    "구 시스템 공고번호 20241234567-00 은 신규 시스템에서 R24BK01234567-000 으로 조회됩니다",
)
add(
    "contract",
    "계약번호 2026-0123-4567-00 / 계약일 2026.03.02",
    "조달청 계약번호 C2026-12345 (분할납품 3회)",
    "수요기관 계약 관리번호: 제2026-1234호",
    "계약번호 20261234567-00, 계약금액 1,234,567,800원, 하자보증 2년",
)
add(
    "price",
    "단가 12,345원 × 1,200개 = 14,814,000원 (VAT 별도)",
    "예산 3.2억 중 1차년도 1억 2천만원 집행",
    "기초금액 대비 투찰률 87.745%, 낙찰하한율 87.745%",
    "총액 ₩1,234,567,890 / 부가세 ₩123,456,789",
    "견적: 서버 2대 24,800,000원, 스토리지 1식 38,600,000원, 합계 63,400,000원",
    "연간 유지보수료 = 도입가 × 8% = 9,920,000원",
)
add(
    "date",
    "입찰기간: 2026-12-07 09:00 ~ 2026-12-14 18:00",
    "제안서 제출 2026.12.10(목) 14:00까지, 발표 12.17(목)",
    "사업기간: 계약일로부터 180일 (2027-01-05 ~ 2027-07-03)",
    "2026년 12월 7일 오후 3시 30분 회의",
    "Deadline: Dec 14, 2026 18:00 KST (09:00 UTC)",
    "2026-12-07T21:03:09+09:00 / 2026-12-07T12:03:09Z",
    "회의 일정 12/8 10:00-11:30, 12/9 14:00-15:00, 12/10 09:30-10:00",
)
add(
    "version",
    "python 3.11.9, postgres 15.4, node v20.11.1, dagster 1.7.16",
    "bidradar 0.36.0 → 0.36.1 업데이트 (changelog 참고)",
    "Chrome 131.0.6778.86 / Windows 10.0.19045.5131",
    "requires: anthropic>=0.40.0,<1; google-genai==1.2.0",
)
add(
    "hash",
    "commit 3f9a1c2e7b4d5e6f8091a2b3c4d5e6f708192a3b (HEAD -> main)",
    "sha256:4d5e6f7081920a1b2c3d4e5f60718293a4b5c6d7e8f9012345678901abcdef12  bidradar-0.36.0.tar.gz",
    "fix: 공고 파서 예외 처리 (#412), merged in 9c1d2e3",
    "git log --oneline\n9c1d2e3 fix parser\n4b5a6c7 add tests\n1a2b3c4 init",
)
add(
    "uuid",
    "request_id=7f3c2a1e-9b4d-4e8f-a1b2-c3d4e5f60718 status=200 dur=132ms",
    "job 550e8400-e29b-41d4-a716-446655440000 완료",
    '{"id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "type": "notice"}',
)
add(
    "product",
    "물품분류번호 4321150101 (데스크톱컴퓨터), 세부품명번호 43211507-24012345",
    "모델명 SM-S928N, 부품번호 BN44-01234A, 시리얼 R5CW12ABCDE",
    "HS 코드 8471.30-0000 (노트북), 8528.52-1000 (모니터)",
    "HSK 8517.62-2010 / 관세율 0%",
    "상품코드 880-1234-5678 은 내부 품목 코드입니다",
    "조달청 식별번호 24012345, 규격 1920x1080, 27인치",
    "도면번호 DWG-2026-0412-A3, 개정 Rev.3",
    "문서번호 기획-2026-1234 (2026.12.01)",
    "KS C IEC 60950-1, KC 인증번호 R-R-ABC-XYZ1234",
)
add(
    "k8s",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bidradar-api\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: api\n        image: ghcr.io/example/bidradar:0.36.0\n        ports:\n        - containerPort: 8080\n        resources:\n          limits:\n            memory: 512Mi\n            cpu: 500m",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  type: ClusterIP\n  ports:\n  - port: 443\n    targetPort: 8443",
    "NAME                           READY   STATUS    RESTARTS   AGE\nbidradar-api-6d4f8b7c9-x2k8p   1/1     Running   0          3d2h\nbidradar-worker-5c7d9f8-abcde  1/1     Running   2          3d2h",
    "kubectl rollout status deployment/bidradar-api -n prod --timeout=120s",
    "env:\n- name: LOG_LEVEL\n  value: info\n- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password",
)
add(
    "log",
    "2026-12-07 12:03:09,123 INFO  [worker-3] fetched 1,284 notices in 8.42s (page 13/13)",
    '{"ts":1765108989123,"level":"info","msg":"sync done","count":1284,"bytes":5242880}',
    "[1765108989.123] GET /api/notices?page=2&size=50 200 18ms",
    "Dec  7 21:03:09 web01 systemd[1]: Started bidradar.service.",
    "took 1234567 ns, alloc 2048 KiB, gc pauses 3",
    'Traceback (most recent call last):\n  File "/app/bidradar/fetch.py", line 212, in fetch_page\n    resp.raise_for_status()\nrequests.exceptions.HTTPError: 503 Server Error',
    "WARN  retry 2/5 after 1500 ms (status 429)",
    "processed rows=100000 inserted=99873 skipped=127 elapsed=00:02:13",
    "du -sh data/ → 12G; df: /dev/nvme0n1p1 484G 211G 249G 46% /",
)
add(
    "config",
    "LOG_LEVEL=info\nPORT=8080\nWORKERS=4\nTIMEOUT_MS=30000\nDB_PASSWORD=${DB_PASSWORD}",
    '[server]\nport = 8443\nmax_body_size = "10MB"\n\n[cache]\nttl_seconds = 3600',
    'FROM python:3.11-slim\nWORKDIR /app\nCOPY pyproject.toml .\nRUN pip install --no-cache-dir .\nEXPOSE 8080\nCMD ["bidradar", "serve"]',
    'resource "aws_instance" "web" {\n  ami           = var.ami_id\n  instance_type = "t3.medium"\n  count         = 2\n}',
    "password_min_length: 12\npassword_rotation_days: 90\ntoken_ttl: 3600",
    "비밀번호는 8~16자의 영문 대소문자, 숫자, 특수문자를 조합해 설정하세요.",
    "Authorization 헤더에 Bearer 토큰을 넣으세요 (예: Bearer <발급받은 토큰>)",
    "network:\n  cidr_bits: 16\n  subnet_count: 2\n  az: [ap-northeast-2a, ap-northeast-2c]",
)
add(
    "chat",
    "[김민준] [오후 3:12] 내일 10시 회의 가능하세요?\n[이서연] [오후 3:13] 네 가능합니다 👍",
    "jihoon.park  10:12 AM\n공고 3건 검토 완료했습니다. 2건은 투찰 예정",
    "ㅋㅋㅋ 오늘 개찰 결과 2위네요 ㅠㅠ 87.75% 였는데",
    "회의록: 1) 일정 확인 2) 예산 3) 인력 배치 - 5명 (PM 1, 개발 3, QA 1)",
    "다음 주 화요일(12/15) 오후 2시에 뵙겠습니다. 장소는 3층 301호 회의실입니다.",
    "방금 공고 올라왔어요 R26BK01239876-000 확인 부탁",
)
add(
    "email",
    "안녕하세요, 한빛소프트 영업팀입니다.\n제안서 초안 공유드립니다 (v0.3, 42쪽).\n\n감사합니다.\n영업팀 드림",
    "Hi team,\nAttached is the Q4 report (12 pages). Revenue grew 14.2% QoQ.\nThanks,\nSales",
)
add(
    "csv",
    "date,notice,amount\n2026-12-01,R26BK01234500-000,120000000\n2026-12-02,R26BK01234501-000,98000000\n2026-12-03,R26BK01234502-000,45500000",
    "id,name,qty,price\n1,모니터,20,349000\n2,키보드,40,59000\n3,마우스,40,29000",
    "month,requests,errors,p95_ms\n2026-10,1203456,234,412\n2026-11,1304567,198,398",
)
add(
    "markdown",
    "| 항목 | 수량 | 단가 | 금액 |\n|---|---:|---:|---:|\n| 서버 | 2 | 12,400,000 | 24,800,000 |\n| 스토리지 | 1 | 38,600,000 | 38,600,000 |",
    "## 3.2.1 요구사항\n- SFR-001 로그인\n- SFR-002 공고 검색\n- PER-001 응답시간 3초 이내",
    "| 연도 | 매출 | 영업이익 |\n|---|---|---|\n| 2024 | 12,345 | 1,234 |\n| 2025 | 13,456 | 1,456 |",
)
add(
    "sql",
    "SELECT notice_no, title FROM notices WHERE deadline BETWEEN '2026-12-07' AND '2026-12-14' LIMIT 50;",
    "INSERT INTO bids (notice_no, amount, rate) VALUES ('R26BK01234567-000', 348500000, 87.745);",
    "CREATE INDEX idx_notices_deadline ON notices (deadline DESC);",
)
add(
    "http",
    "GET /api/v1/notices?from=2026-12-01&to=2026-12-07&page=1 HTTP/1.1\nHost: localhost:8080\nAccept: application/json",
    "curl -s 'http://localhost:8080/health' | jq .status",
    'HTTP/1.1 200 OK\nContent-Length: 5123\nCache-Control: max-age=300\nETag: "33a64df551425fcc55e4d42a148795d9f25f89d4"',
)
add(
    "code",
    "def score(notice):\n    return 0.4 * notice.fit + 0.6 * notice.price_ratio  # line 88",
    "for i in range(1, 11):\n    print(i, i ** 2)",
    "const MAX_RETRIES = 5; const TIMEOUT_MS = 30000; const PAGE = 1000;",
    "error TS2345 at src/api.ts:123:45 — Argument of type 'string' is not assignable",
)
add(
    "pdf",
    "제 1 장  사 업 개 요\n1. 사업명 : 통합 유지관리 용역\n2. 사업기간 : 계약일로부터\n   12개월\n3. 소요예산 : 금 일억이천만원정\n   (￦120,000,000, 부가세 포함)",
    "붙임  1. 과업지시서 1부.\n      2. 제안요청서 1부.  끝.",
    "평가항목   배점\n기술능력   80\n가격       20\n합계      100",
)
add(
    "numbers",
    "인구 51,712,619명, 면적 100,363㎢",
    "좌표 37.566535, 126.977969 (서울시청)",
    "ISBN 978-89-6626-123-4 / 정가 32,000원",
    "사건번호 2026가합12345, 2026나67890",
    "등기번호 제2026-012345호",
    "우편번호 04524, 도로명주소 세종대로 110",
    "배터리 5000mAh, 충전 45W, 무게 196g",
    "1 2 3 4 5 6 7 8 9 10 11 12",
    "포트 22, 80, 443, 5432, 6379, 8080 열어두세요",
    "MAC 00:1A:2B:3C:4D:5E 장비 교체",
    "3.2.1.4 항목 참조, 부록 A.1.2",
    "화면 해상도 2560x1440@144Hz, 밝기 350cd/m²",
    "점수: 기술 78.25점 + 가격 19.87점 = 98.12점",
    "epoch 1765108989 (2026-12-07)",
    "발주 수량 1,000EA, 납기 30일, 검수 2026.12.31",
)
add(
    "ci",
    "Run ruff check .\nAll checks passed!\nRun pytest -q\n........................................ [ 86%]\n......                                   [100%]\n312 passed in 48.21s",
    "##[group]Run actions/checkout@v4\nwith:\n  fetch-depth: 0\n##[endgroup]\nSyncing repository: example/bidradar",
    "Step 5/12 : RUN pip install -r requirements.txt\n ---> Running in 4f5e6d7c8b9a\n ---> 1a2b3c4d5e6f",
)
add(
    "prose",
    "이번 달 낙찰 3건, 유찰 1건, 평균 투찰률 88.1%. 다음 달은 SW 유지보수 위주로 검토 예정입니다.",
    "The password policy requires 12 characters; tokens expire after 3600 seconds.",
    "비밀번호를 잊으셨다면 '비밀번호 찾기'를 눌러 주세요.",
    "API 키는 환경변수 GEMINI_API_KEY 로 설정합니다.",
    "공사 기간은 2027년 3월부터 9월까지이며, 이사회 승인 후 착수합니다.",
    "주민센터에서 등본 발급 후 제출해 주세요 (주민등록번호 뒷자리는 가려서).",
    "계좌이체 또는 카드결제 가능, 카드는 법인카드만 가능합니다.",
    "여권 유효기간이 6개월 이상 남아 있어야 합니다.",
)
