"""What G2B and the law fix, in one place: every table row with its source and the date it starts.

- `floor`: 낙찰하한가 with the A값 rule (the one formula).
- `a_value`: whether the A값 rule applies (the notice's flag; else by category, 300억 and 2019-08-01) and which A a
  floor takes: 0, the published A, or unknown.
- `rates`: 낙찰하한율 by date, issuer kind, category and amount band.
- `thresholds`: 고시금액 and the 중소기업 thresholds by issuer kind and date.
- `issuers`: the issuer kind of an agency code (국가기관, 지자체, 공기업·준정부기관, 민간, 미상).
- `regions`: 행정구역 history (rename, merge, move, split) and the one normaliser of region spellings.
- `licenses`: 업종 codes and names, and the parser of every written form of a license limit.
- `money`: amounts written in Korean text ("10000만원", "2.3억", "원정").

Ingestion, matching, pricing, alerts and the simulator import from here; tests/test_rules_single_home.py fails
when another module writes the floor arithmetic or holds a rate table of its own.
"""
