"""The warehouse schema, once: every table and view of the migrations in `sql/` as SQLAlchemy Core metadata.

The migrations create the schema; this module says what they created, so writers, readers, the API and the
alerts name columns from here instead of writing them again or asking the database at run time.
`tests/test_schema.py` migrates a fresh SQLite and a fresh PostgreSQL and compares each with this metadata column
by column (names, types by affinity, nullability, primary keys): a migration without its change here fails it,
and the failure prints the lines to add.

Times are naive KST (`Timestamp`), days are `Day`: SQLite keeps both as ISO text, and these types read and bind
them the same on both backends. Views carry `info={"view": True}`; tables of one backend only carry
`info={"dialects": (...)}` (the search index of migration 0011). Never `metadata.create_all`: migrations own DDL.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


class Timestamp(sa.types.TypeDecorator):
    """A naive KST time. SQLite stores "YYYY-MM-DD HH:MM:SS" text, and a bound parameter must be that exact text to
    compare right (SQLAlchemy's own SQLite format adds microseconds)."""

    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect):  # type: ignore[no-untyped-def]
        return dialect.type_descriptor(sa.String() if dialect.name == "sqlite" else sa.DateTime())

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None or dialect.name != "sqlite":
            return value
        return value.strftime("%Y-%m-%d %H:%M:%S")

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None or isinstance(value, dt.datetime):
            return value
        return dt.datetime.fromisoformat(str(value))


class Day(sa.types.TypeDecorator):
    """A calendar day; ISO text on SQLite."""

    impl = sa.Date
    cache_ok = True

    def load_dialect_impl(self, dialect):  # type: ignore[no-untyped-def]
        return dialect.type_descriptor(sa.String() if dialect.name == "sqlite" else sa.Date())

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None or dialect.name != "sqlite":
            return value
        return value.isoformat()

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None or isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value)[:10])


metadata = sa.MetaData()

g2b_raw_pages = sa.Table(
    "g2b_raw_pages",
    metadata,
    sa.Column(
        "dataset", sa.String(40), primary_key=True, comment="which asset crawled it: notices, notice_details, results"
    ),
    sa.Column("partition_date", Day, primary_key=True, comment="the daily partition (Asia/Seoul) that owns the page"),
    sa.Column(
        "operation", sa.String(80), primary_key=True, comment="G2B operation name, e.g. getBidPblancListInfoServc"
    ),
    sa.Column(
        "request_key",
        sa.String(200),
        primary_key=True,
        comment="the query that is paged: inqryDiv and window, or a notice number",
    ),
    sa.Column("page_no", sa.Integer, primary_key=True),
    sa.Column("total_count", sa.Integer, nullable=False, comment="the API's totalCount for the request"),
    sa.Column("item_count", sa.Integer, nullable=False),
    sa.Column(
        "items_json_gz", sa.LargeBinary, nullable=False, comment="gzip of the JSON list of items, exactly as received"
    ),
    sa.Column("fetched_at", Timestamp, nullable=False),
    sa.Column(
        "items_ipc",
        sa.LargeBinary,
        comment="Beside the gzipped JSON of each raw page, a columnar copy (Arrow IPC) of the fields normalization reads, written at crawl time where the page is already parsed; normalization reads it unless its mapping_version is stale. (BYTEA: PostgreSQL's binary type; SQLite stores the bytes as a blob under any type name.)",
    ),
    sa.Column("mapping_version", sa.String(16)),
    comment="Raw G2B responses, one row per page, kept so that normalization re-runs without crawling again. Dialects differ only in the binary type of the compressed items (SQLite BLOB, PostgreSQL BYTEA).",
)

bid_notices = sa.Table(
    "bid_notices",
    metadata,
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("notice_order", sa.String(3), nullable=False),
    sa.Column("partition_date", Day, nullable=False),
    sa.Column(
        "revision_key",
        sa.String(40),
        nullable=False,
        comment="notice_order + last change time: the newer revision wins",
    ),
    sa.Column(
        "category",
        sa.String(20),
        nullable=False,
        comment="goods (물품), services (용역), construction (공사), foreign (외자)",
    ),
    sa.Column("notice_kind", sa.String(40), comment="등록공고, 정정공고, 취소공고 ..."),
    sa.Column("is_cancelled", sa.Boolean, nullable=False),
    sa.Column("is_renotice", sa.Boolean),
    sa.Column("is_international", sa.Boolean),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("notice_agency_code", sa.String(20)),
    sa.Column("notice_agency_name", sa.String(200)),
    sa.Column("demand_agency_code", sa.String(20)),
    sa.Column("demand_agency_name", sa.String(200)),
    sa.Column("bid_method", sa.String(100)),
    sa.Column("contract_method", sa.String(100)),
    sa.Column("award_method", sa.String(200)),
    sa.Column("price_decision_method", sa.String(100)),
    sa.Column("reserve_price_count", sa.Integer),
    sa.Column("drawn_price_count", sa.Integer),
    sa.Column("lower_limit_rate", sa.Double),
    sa.Column("budget_amount", sa.BigInteger),
    sa.Column("estimated_price", sa.BigInteger),
    sa.Column("vat_amount", sa.BigInteger),
    sa.Column("registered_at", Timestamp, nullable=False),
    sa.Column("notice_at", Timestamp),
    sa.Column("bid_begin_at", Timestamp),
    sa.Column("bid_close_at", Timestamp),
    sa.Column("opening_at", Timestamp),
    sa.Column("qualification_deadline_at", Timestamp),
    sa.Column("changed_at", Timestamp),
    sa.Column("change_reason", sa.Text),
    sa.Column("is_license_limited", sa.Boolean),
    sa.Column("is_participation_limited", sa.Boolean),
    sa.Column("construction_site_region", sa.String(200)),
    sa.Column("classification_no", sa.String(40)),
    sa.Column("classification_name", sa.String(200)),
    sa.Column("classification_large", sa.String(200)),
    sa.Column("classification_mid", sa.String(200)),
    sa.Column("product_name", sa.String(200)),
    sa.Column("service_division", sa.String(100)),
    sa.Column("main_work_type", sa.String(200)),
    sa.Column("attachment_names", sa.Text),
    sa.Column("detail_url", sa.Text),
    sa.Column("previous_notice_no", sa.String(40)),
    sa.Column("reference_no", sa.String(200)),
    sa.Column("integrated_notice_no", sa.String(40)),
    sa.Column(
        "is_track_record_limited",
        sa.Boolean,
        comment="The notice fields the rules read: 실적제한 (arsltCmptYn) and the stated 지역제한 basis (rgnLmtBidLocplcJdgmBssNm, e.g. 본사소재지): a notice with a basis but no 참가가능지역 rows is unknown, never nationwide.",
    ),
    sa.Column("region_limit_basis", sa.String(100)),
    sa.Column(
        "texts_cut",
        sa.String(400),
        comment="The text columns cut at bidradar.ingestion.normalize.MAX_TEXT_CHARS, comma-separated (NULL: none).",
    ),
    # Migration 0014 (issue 23): who may bid at all.
    sa.Column("is_designated_competition", sa.Boolean, comment="dsgntCmptYn: 지명경쟁, only designated companies"),
    sa.Column("is_product_class_limited", sa.Boolean, comment="prdctClsfcLmtYn: the 물품분류 must be registered"),
    sa.Column("is_manufacturer_required", sa.Boolean, comment="mnfctYn: registered as its maker (제조)"),
    sa.Column("product_class_no", sa.String(20), comment="prdctClsfcNo / dtilPrdctClsfcNo"),
    sa.Column("product_list_raw", sa.Text, comment="purchsObjPrdctList, as published"),
    sa.Column("is_joint_duty", sa.Boolean, comment="rgnDutyJntcontrctYn: 지역의무공동도급"),
    sa.Column("joint_duty_regions", sa.Text, comment="jntcontrctDutyRgnNm1..3, ', '-joined"),
    sa.Column("joint_duty_share_pct", sa.Double, comment="rgnDutyJntcontrctRt: the local share (%)"),
    comment="One row per notice number: the latest 차수 (notice_order) wins, cancellations are marked.",
)

notice_base_amounts = sa.Table(
    "notice_base_amounts",
    metadata,
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("notice_order", sa.String(3), primary_key=True),
    sa.Column("partition_date", Day, nullable=False),
    sa.Column("category", sa.String(20), nullable=False),
    sa.Column("base_amount", sa.BigInteger),
    sa.Column("reserve_range_low_pct", sa.Double),
    sa.Column("reserve_range_high_pct", sa.Double),
    sa.Column("base_amount_published_at", Timestamp),
    sa.Column("registered_at", Timestamp),
    sa.Column(
        "a_value_applies",
        sa.Boolean,
        comment="낙찰하한가 = (예정가격 − A) × 하한율 + A when the notice applies the A-value rule (bidPrceCalclAYn = Y).",
    ),
    sa.Column("a_value", sa.BigInteger, comment="a_value: 0 without the rule, NULL when unknown."),
    comment="기초금액 and the 예비가격 range (±2% national, ±3% local), per notice revision.",
)

notice_license_limits = sa.Table(
    "notice_license_limits",
    metadata,
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("notice_order", sa.String(3), primary_key=True),
    sa.Column("group_no", sa.Integer, primary_key=True),
    sa.Column("seq_no", sa.Integer, primary_key=True),
    sa.Column("partition_date", Day, nullable=False),
    sa.Column("license_name", sa.String(200), nullable=False, comment="업종명, e.g. 소프트웨어사업자"),
    sa.Column("license_code", sa.String(10), comment="업종코드, e.g. 1468; NULL when G2B gave the name alone"),
    sa.Column("license_limit_raw", sa.String(400), nullable=False),
    sa.Column("permitted_industries_raw", sa.Text),
    sa.Column("registered_at", Timestamp),
    sa.Column(
        "main_fields_raw",
        sa.Text,
        comment='주력분야 of a license limit (indstrytyMfrcFldList, "[1^토목^건축],[1^포장]"), as published.',
    ),
    comment="면허제한: rows of one group must all hold (AND); any one group suffices (OR).",
)

notice_region_limits = sa.Table(
    "notice_region_limits",
    metadata,
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("notice_order", sa.String(3), primary_key=True),
    sa.Column("seq_no", sa.Integer, primary_key=True),
    sa.Column("partition_date", Day, nullable=False),
    sa.Column("region_name", sa.String(200), nullable=False, comment="as published, e.g. 인천광역시 중구"),
    sa.Column("sido", sa.String(40), nullable=False, comment="시도, e.g. 인천광역시"),
    sa.Column("sigungu", sa.String(60), comment="시군구, e.g. 중구; NULL when the whole 시도 is allowed"),
    sa.Column("registered_at", Timestamp),
    comment="참가가능지역. A notice whose details were fetched and that has no row here is nationwide; a notice whose details were never fetched is unknown (see notice_detail_fetches), never nationwide.",
)

notice_detail_fetches = sa.Table(
    "notice_detail_fetches",
    metadata,
    sa.Column("partition_date", Day, primary_key=True),
    sa.Column("license_limits_complete", sa.Boolean, nullable=False),
    sa.Column("region_limits_complete", sa.Boolean, nullable=False),
    sa.Column("base_amounts_complete", sa.Boolean, nullable=False),
    sa.Column("fetched_at", Timestamp, nullable=False),
    comment='Which partitions\' license and region details were fetched completely: the difference between "no limit" and "unknown".',
)

bid_results = sa.Table(
    "bid_results",
    metadata,
    sa.Column("notice_no", sa.String(40)),
    sa.Column("notice_order", sa.String(3)),
    sa.Column("bid_class_no", sa.String(5)),
    sa.Column("rebid_no", sa.String(3)),
    sa.Column("partition_date", Day),
    sa.Column("category", sa.String(20)),
    sa.Column("opened_at", Timestamp),
    sa.Column("opening_status", sa.String(40), comment="개찰완료, 유찰 ..."),
    sa.Column("notice_agency_code", sa.String(20)),
    sa.Column("demand_agency_code", sa.String(20)),
    sa.Column("demand_agency_name", sa.String(200)),
    sa.Column("participant_count", sa.Integer),
    sa.Column("base_amount", sa.BigInteger, comment="기초금액"),
    sa.Column("planned_price", sa.BigInteger, comment="예정가격: the mean of the 4 drawn 예비가격"),
    sa.Column("assessment_rate_pct", sa.Double, comment="사정률 = 예정가격 / 기초금액 × 100"),
    sa.Column("lower_limit_rate", sa.Double, comment="낙찰하한율 from the notice"),
    sa.Column("winner_name", sa.String(200)),
    sa.Column("winner_business_no", sa.String(10)),
    sa.Column("winning_amount", sa.BigInteger),
    sa.Column("winning_rate_pct", sa.Double, comment="투찰률 of the winner = amount / 예정가격 × 100"),
    sa.Column("registered_at", Timestamp),
    comment="One row per opening (notice, 차수, 분류, 재입찰).",
    info={"view": True},
)

bid_result_reserve_prices = sa.Table(
    "bid_result_reserve_prices",
    metadata,
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("notice_order", sa.String(3), primary_key=True),
    sa.Column("bid_class_no", sa.String(5), primary_key=True),
    sa.Column("rebid_no", sa.String(3), primary_key=True),
    sa.Column("price_no", sa.Integer, primary_key=True, comment="1..15, one per slice of the range"),
    sa.Column("partition_date", Day, nullable=False),
    sa.Column("reserve_price", sa.BigInteger, nullable=False),
    sa.Column("is_drawn", sa.Boolean, nullable=False),
    sa.Column("pick_count", sa.Integer),
    sa.Column(
        "planned_price",
        sa.BigInteger,
        comment="Every 예비가격 row carries the opening's 예정가격 and 기초금액: keep them, the outcomes read them from here.",
    ),
    sa.Column("base_amount", sa.BigInteger),
    comment="The 15 예비가격 of an opening and which 4 were drawn.",
)

bid_result_bidders = sa.Table(
    "bid_result_bidders",
    metadata,
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("notice_order", sa.String(3), primary_key=True),
    sa.Column("bid_class_no", sa.String(5), primary_key=True),
    sa.Column("rebid_no", sa.String(3), primary_key=True),
    sa.Column("business_no", sa.String(10), primary_key=True),
    sa.Column("partition_date", Day, nullable=False),
    sa.Column("rank", sa.Integer),
    sa.Column("company_name", sa.String(200)),
    sa.Column("bid_amount", sa.BigInteger),
    sa.Column("bid_rate_pct", sa.Double, comment="투찰률 = bid amount / 예정가격 × 100"),
    sa.Column("pick_1", sa.Integer),
    sa.Column("pick_2", sa.Integer),
    sa.Column("remark", sa.String(200)),
    comment="Every bidder of an opening.",
)

company_profiles = sa.Table(
    "company_profiles",
    metadata,
    sa.Column("company_id", sa.String(80), primary_key=True, comment="the file name without .yaml"),
    sa.Column("file_name", sa.String(300), nullable=False),
    sa.Column("name", sa.String(200)),
    sa.Column(
        "data_hash",
        sa.CHAR(64),
        nullable=False,
        comment="sha256 of the file: a new hash is a new version of the profile",
    ),
    sa.Column("is_valid", sa.Boolean, nullable=False),
    sa.Column("error_line", sa.Integer),
    sa.Column("error_field", sa.String(200)),
    sa.Column("error", sa.Text, comment="file:line: field: message"),
    sa.Column("profile_json", sa.Text, comment="the validated profile (NULL when invalid)"),
    sa.Column("loaded_at", Timestamp, nullable=False),
    comment="One row per profile file in PROFILES_DIR, valid or not (an invalid file is kept with its error).",
)

hard_matches = sa.Table(
    "hard_matches",
    metadata,
    sa.Column("company_id", sa.String(80), primary_key=True),
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("notice_order", sa.String(3), nullable=False),
    sa.Column("category", sa.String(20)),
    sa.Column("bid_close_at", Timestamp),
    sa.Column("estimated_price", sa.BigInteger),
    sa.Column("verdict", sa.String(12), nullable=False, comment="eligible or unknown"),
    sa.Column("license_reason", sa.SmallInteger, nullable=False),
    sa.Column("region_reason", sa.SmallInteger, nullable=False),
    sa.Column("amount_reason", sa.SmallInteger, nullable=False),
    sa.Column("sme_reason", sa.SmallInteger, nullable=False),
    sa.Column("category_reason", sa.SmallInteger, nullable=False),
    sa.Column("keyword_reason", sa.SmallInteger, nullable=False),
    sa.Column("deadline_reason", sa.SmallInteger, nullable=False),
    sa.Column("record_reason", sa.SmallInteger, nullable=False),
    sa.Column("license_detail", sa.Text, comment="the license held that met the limit (named as the company holds it)"),
    sa.Column("region_detail", sa.Text, comment="the allowed regions"),
    sa.Column("keyword_detail", sa.Text, comment="the exclude keyword found"),
    sa.Column("amount_limit", sa.BigInteger, comment="the company's 수행한도"),
    sa.Column("largest_contract", sa.BigInteger, comment="its largest past contract"),
    sa.Column("sme_limit", sa.BigInteger, comment="the 중소기업 threshold in force for the notice"),
    sa.Column("designation_reason", sa.SmallInteger, nullable=False, server_default="0", comment="지명경쟁"),
    sa.Column("product_reason", sa.SmallInteger, nullable=False, server_default="0", comment="물품분류·제조"),
    sa.Column(
        "joint_reason", sa.SmallInteger, nullable=False, server_default="0", comment="지역의무공동도급 (30-39 조건부)"
    ),
    sa.Column("product_detail", sa.Text, comment="the 물품분류번호 the notice limits to"),
    sa.Column("joint_detail", sa.Text, comment="the 공동도급 의무지역 and the local share"),
    comment="Every (company, open notice) pair: a verdict per rule (pass, fail, unknown), the overall verdict (eligible, ineligible, unknown) and a one-line Korean explanation.",
)

soft_matches = sa.Table(
    "soft_matches",
    metadata,
    sa.Column("company_id", sa.String(80), primary_key=True),
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("score", sa.Double, nullable=False),
    sa.Column("hard_verdict", sa.String(12), nullable=False, comment="eligible or unknown"),
    sa.Column("matched_terms", sa.Text, nullable=False, comment="include keywords found in the notice"),
    sa.Column("scorer", sa.String(40), nullable=False, comment="which scorer produced the score, e.g. tfidf-char-2-4"),
    sa.Column("as_of", Timestamp, nullable=False),
    sa.Column("evaluated_at", Timestamp, nullable=False),
    sa.Column(
        "top_k",
        sa.Integer,
        nullable=False,
        server_default="50",
        comment="the K of the run: readers keep each company's best K",
    ),
    sa.Column(
        "inputs_fingerprint",
        sa.String(64),
        nullable=False,
        server_default="",
        comment="hash of what the notice was scored on",
    ),
    comment="The relevance score 0..100 of every eligible or unknown pair; the rank (1..K per company) is computed "
    "when read (bidradar.matching.ranked).",
)

match_analyses = sa.Table(
    "match_analyses",
    metadata,
    sa.Column("company_id", sa.String(80), primary_key=True),
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("input_hash", sa.CHAR(64), nullable=False),
    sa.Column("source", sa.String(10), nullable=False, comment="gemini or local"),
    sa.Column(
        "label_ko",
        sa.String(100),
        nullable=False,
        comment="shown with the analysis, e.g. 로컬 분석 (GEMINI_API_KEY 없음)",
    ),
    sa.Column("model", sa.String(80)),
    sa.Column("summary_ko", sa.Text, nullable=False, comment="three lines"),
    sa.Column("key_requirements", sa.Text, nullable=False, comment="JSON array of strings"),
    sa.Column("eligibility_concerns", sa.Text, nullable=False, comment="JSON array"),
    sa.Column("risks", sa.Text, nullable=False, comment="JSON array"),
    sa.Column("effort_estimate", sa.Text, nullable=False),
    sa.Column("decision", sa.String(6), nullable=False, comment="go or no-go"),
    sa.Column("decision_reasons", sa.Text, nullable=False, comment="JSON array"),
    sa.Column("fit_score", sa.Integer, nullable=False, comment="0..100"),
    sa.Column("analysed_at", Timestamp, nullable=False),
    sa.Column("cache_key", sa.CHAR(64)),
    comment="One row per (company, notice) analysed; input_hash identifies the question (notice, verdicts, profile view, prompt version, model), so an unchanged question reuses its Gemini answer instead of paying again.",
)

llm_calls = sa.Table(
    "llm_calls",
    metadata,
    sa.Column("call_id", sa.CHAR(32), primary_key=True),
    sa.Column("called_at", Timestamp, nullable=False, comment="KST"),
    sa.Column("company_id", sa.String(80), nullable=False),
    sa.Column("purpose", sa.String(40), nullable=False),
    sa.Column("model", sa.String(80), nullable=False),
    sa.Column(
        "outcome",
        sa.String(20),
        nullable=False,
        comment="ok, leak_refused, blocked, unavailable, request_error, bad_response, error",
    ),
    sa.Column(
        "entity_counts",
        sa.Text,
        nullable=False,
        comment="JSON object: masked values per entity type, and leakcheck:<CLASS> for what the leak check masked",
    ),
    sa.Column("masked_values", sa.Integer, nullable=False),
    sa.Column("latency_ms", sa.Double, nullable=False),
    sa.Column("prompt_tokens", sa.Integer),
    sa.Column("output_tokens", sa.Integer),
    sa.Column("unknown_tokens", sa.Integer, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column(
        "detail",
        sa.String(400),
        comment="why a call was not made or failed: a value class and where, or an error's type; never a value",
    ),
    comment="One row per call through the masking gateway: counts per entity type, latency, tokens. Never a value.",
)

table_versions = sa.Table(
    "table_versions",
    metadata,
    sa.Column("table_name", sa.String(100), primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("rows_written", sa.BigInteger, nullable=False),
    sa.Column("written_at", Timestamp, nullable=False),
    comment="Every write of the warehouse (bidradar.core.warehouse.write) moves its tables' version on in the same transaction: readers (the API, the alerts) can tell which write they read and cache by it.",
)

bid_openings = sa.Table(
    "bid_openings",
    metadata,
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("notice_order", sa.String(3), primary_key=True),
    sa.Column("bid_class_no", sa.String(5), primary_key=True),
    sa.Column("rebid_no", sa.String(3), primary_key=True),
    sa.Column("partition_date", Day, nullable=False),
    sa.Column("category", sa.String(20), nullable=False),
    sa.Column("opened_at", Timestamp),
    sa.Column("opening_status", sa.String(40)),
    sa.Column("notice_agency_code", sa.String(20)),
    sa.Column("demand_agency_code", sa.String(20)),
    sa.Column("demand_agency_name", sa.String(200)),
    sa.Column("participant_count", sa.Integer),
    sa.Column("registered_at", Timestamp),
    comment="One row per opening, from the opening operations, in the partition of its registration day.",
)

bid_awards = sa.Table(
    "bid_awards",
    metadata,
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("notice_order", sa.String(3), primary_key=True),
    sa.Column("bid_class_no", sa.String(5), primary_key=True),
    sa.Column("rebid_no", sa.String(3), primary_key=True),
    sa.Column("partition_date", Day, nullable=False),
    sa.Column("category", sa.String(20), nullable=False),
    sa.Column("participant_count", sa.Integer),
    sa.Column("winner_name", sa.String(200)),
    sa.Column("winner_business_no", sa.String(10)),
    sa.Column("winning_amount", sa.BigInteger),
    sa.Column("winning_rate_pct", sa.Double),
    sa.Column("opened_at", Timestamp),
    sa.Column("awarded_on", sa.String(10)),
    sa.Column("demand_agency_code", sa.String(20)),
    sa.Column("demand_agency_name", sa.String(200)),
    sa.Column("registered_at", Timestamp),
    comment="One row per awarded opening (the final winner), in the partition of the award's registration day.",
)

bid_outcomes = sa.Table(
    "bid_outcomes",
    metadata,
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("notice_order", sa.String(3), primary_key=True),
    sa.Column("bid_class_no", sa.String(5), primary_key=True),
    sa.Column("rebid_no", sa.String(3), primary_key=True),
    sa.Column("opening_partition_date", Day, comment="registration day of the opening (NULL: opening not crawled yet)"),
    sa.Column("award_partition_date", Day),
    sa.Column("category", sa.String(20), nullable=False),
    sa.Column("opened_at", Timestamp),
    sa.Column("opening_status", sa.String(40)),
    sa.Column("notice_agency_code", sa.String(20)),
    sa.Column("demand_agency_code", sa.String(20)),
    sa.Column("demand_agency_name", sa.String(200)),
    sa.Column("participant_count", sa.Integer),
    sa.Column("bidder_count", sa.Integer, comment="bidder rows fetched (OpengCompt)"),
    sa.Column("base_amount", sa.BigInteger, comment="기초금액"),
    sa.Column("planned_price", sa.BigInteger, comment="예정가격"),
    sa.Column("assessment_rate_pct", sa.Double, comment="사정률 = 예정가격 / 기초금액 × 100"),
    sa.Column("lower_limit_rate", sa.Double, comment="낙찰하한율 from the notice (NULL while the notice is missing)"),
    sa.Column("notice_registered_at", Timestamp),
    sa.Column("winner_name", sa.String(200)),
    sa.Column("winner_business_no", sa.String(10)),
    sa.Column("winning_amount", sa.BigInteger),
    sa.Column("winning_rate_pct", sa.Double),
    sa.Column("winner_rank", sa.Integer, comment="개찰순위 of the winner: > 1 when the award passed over rank 1"),
    sa.Column("opening_registered_at", Timestamp),
    sa.Column("award_registered_at", Timestamp),
    sa.Column("notice_missing", sa.Boolean, nullable=False),
    sa.Column("missing", sa.String(100), comment="comma-separated missing parts; NULL when complete"),
    comment="Per-opening outcomes, whatever the order in which their parts arrived. `missing` names the parts not yet in the warehouse (notice, opening, award, reserve_prices, bidders); a backfill of that day fills them.",
)

hard_match_summary = sa.Table(
    "hard_match_summary",
    metadata,
    sa.Column("company_id", sa.String(80), primary_key=True),
    sa.Column("open_notices", sa.Integer, nullable=False),
    sa.Column("eligible", sa.Integer, nullable=False),
    sa.Column("unknown", sa.Integer, nullable=False),
    sa.Column("ineligible", sa.Integer, nullable=False),
    sa.Column("fail_license", sa.Integer, nullable=False),
    sa.Column("fail_region", sa.Integer, nullable=False),
    sa.Column("fail_amount", sa.Integer, nullable=False),
    sa.Column("fail_sme", sa.Integer, nullable=False),
    sa.Column("fail_category", sa.Integer, nullable=False),
    sa.Column("fail_keyword", sa.Integer, nullable=False),
    sa.Column("fail_deadline", sa.Integer, nullable=False),
    sa.Column("fail_record", sa.Integer, nullable=False),
    sa.Column("conditional", sa.Integer, nullable=False, server_default="0"),
    sa.Column("fail_designation", sa.Integer, nullable=False, server_default="0"),
    sa.Column("fail_product", sa.Integer, nullable=False, server_default="0"),
    sa.Column("fail_joint", sa.Integer, nullable=False, server_default="0"),
    sa.Column("as_of", Timestamp, nullable=False),
    sa.Column("evaluated_at", Timestamp, nullable=False),
    comment="Per company and run: what the board shows about the pairs that are not stored.",
)

hard_match_notice_verdicts = sa.Table(
    "hard_match_notice_verdicts",
    metadata,
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column(
        "companies_digest",
        sa.String(16),
        nullable=False,
        comment="the companies the codes are of, in company_id order (bidradar.matching.store.companies_digest)",
    ),
    sa.Column(
        "verdict_codes",
        sa.LargeBinary,
        nullable=False,
        comment="zlib of one little-endian uint16 per company: a bit per failing rule, else unknown or conditional "
        "(bidradar.matching.hard.FAIL_BITS)",
    ),
    comment="Per open notice, every company's verdict and failing rules, packed: hard_match_summary is counted from "
    "these rows, so a run that judges a few notices again recounts without a row per ineligible pair.",
)

hard_match_inputs = sa.Table(
    "hard_match_inputs",
    metadata,
    sa.Column("input_kind", sa.String(10), primary_key=True, comment="notice, profile or rules"),
    sa.Column("input_key", sa.String(80), primary_key=True),
    sa.Column("fingerprint", sa.String(120), nullable=False),
    comment="What the stored hard matches were judged on; the next run judges again only what changed.",
)

analysis_answers = sa.Table(
    "analysis_answers",
    metadata,
    sa.Column("cache_key", sa.CHAR(64), primary_key=True),
    sa.Column("company_id", sa.String(80), nullable=False),
    sa.Column("notice_no", sa.String(40), nullable=False),
    sa.Column("notice_revision", sa.String(40), nullable=False),
    sa.Column("profile_hash", sa.CHAR(64), nullable=False),
    sa.Column("prompt_version", sa.String(40), nullable=False),
    sa.Column("model", sa.String(80), nullable=False),
    sa.Column("answer_json", sa.Text, nullable=False, comment="the structured answer (MatchAnalysis)"),
    sa.Column("prompt_tokens", sa.Integer),
    sa.Column("output_tokens", sa.Integer),
    sa.Column("answered_at", Timestamp, nullable=False),
    comment="Gemini answers, append-only, keyed by what the analysis depends on: the notice's revision, the profile's content hash, the prompt version and the model (cache_key = sha256 of those). Never deleted: a pair that leaves the top K and comes back is not paid for again.",
)

price_training_set = sa.Table(
    "price_training_set",
    metadata,
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("notice_order", sa.String(3), primary_key=True),
    sa.Column("bid_class_no", sa.String(5), primary_key=True),
    sa.Column("rebid_no", sa.String(3), primary_key=True),
    sa.Column(
        "cutoff_at", Timestamp, nullable=False, comment="the bid close: features use only what was known before it"
    ),
    sa.Column(
        "known_at",
        Timestamp,
        nullable=False,
        comment="the opening's registration: 사정률 and participant count known from then",
    ),
    sa.Column("award_known_at", Timestamp, comment="the award's own registration (winner, winning amount)"),
    sa.Column("bidder_list_known_at", Timestamp, comment="when the bidder list was fetched (NULL: not fetched)"),
    sa.Column("opened_at", Timestamp),
    sa.Column("opening_status", sa.String(40), comment="개찰완료, 유찰, ... (NULL: only the award was crawled)"),
    sa.Column("category", sa.String(20), nullable=False),
    sa.Column("demand_agency_code", sa.String(20)),
    sa.Column("notice_agency_code", sa.String(20)),
    sa.Column("contract_method", sa.String(100)),
    sa.Column("region", sa.String(40)),
    sa.Column("range_pct", sa.Double, nullable=False, comment="half width of the 예비가격 range: 2 or 3 (percent)"),
    sa.Column(
        "range_source",
        sa.String(10),
        nullable=False,
        comment="notice (기초금액 operation) or prices (read off the 15 예비가격)",
    ),
    sa.Column("reserve_price_count", sa.Integer),
    sa.Column("drawn_price_count", sa.Integer),
    sa.Column("base_amount", sa.BigInteger, nullable=False),
    sa.Column("log_base_amount", sa.Double, nullable=False),
    sa.Column("lower_limit_rate", sa.Double, comment="NULL: neither the notice nor the dated table gives one"),
    sa.Column("lower_limit_source", sa.String(10), nullable=False, comment="notice, table or unknown"),
    sa.Column(
        "floor_source",
        sa.String(10),
        nullable=False,
        comment="notice: the real floor (G2B's 하한율 and a known A); table: estimated",
    ),
    sa.Column(
        "a_value",
        sa.BigInteger,
        comment="the A of the floor (bidradar.rules.a_value); NULL: the rule applies or may apply and A is not "
        "published: the floor is unknown",
    ),
    sa.Column("a_share", sa.Double),
    sa.Column("month", sa.Integer, nullable=False),
    sa.Column("weekday", sa.Integer, nullable=False),
    sa.Column("agency_openings", sa.Integer, nullable=False),
    sa.Column("agency_rate_dev_mean", sa.Double),
    sa.Column("agency_rate_dev_std", sa.Double),
    sa.Column("agency_range_openings", sa.Integer, nullable=False),
    sa.Column("agency_range_rate_mean", sa.Double),
    sa.Column(
        "agency_counted_openings",
        sa.Integer,
        nullable=False,
        comment="earlier openings of the agency with a known participant count",
    ),
    sa.Column("agency_log_bidders_mean", sa.Double, comment="their mean log(1 + participants); NULL: unknown"),
    sa.Column("agency_participants_mean", sa.Double, comment="their mean participant count; NULL: unknown"),
    sa.Column(
        "agency_list_openings",
        sa.Integer,
        nullable=False,
        comment="earlier openings of the agency with a fetched bidder list",
    ),
    sa.Column("agency_near_floor_mean", sa.Double, comment="from bidder lists only; NULL: unknown"),
    sa.Column(
        "agency_awarded_openings",
        sa.Integer,
        nullable=False,
        comment="earlier awards of the agency registered before the cutoff",
    ),
    sa.Column("agency_margin_mean", sa.Double),
    sa.Column("notice_agency_openings", sa.Integer, nullable=False),
    sa.Column("notice_agency_rate_dev_mean", sa.Double),
    sa.Column("category_log_bidders_mean", sa.Double),
    sa.Column("category_near_floor_mean", sa.Double),
    sa.Column("assessment_rate_pct", sa.Double, nullable=False),
    sa.Column("floor_amount", sa.Double, comment="NULL: the 낙찰하한율 or the A is unknown"),
    sa.Column("winning_amount", sa.BigInteger, comment="NULL: 유찰 or the award not crawled yet"),
    sa.Column("lowest_valid_bid", sa.BigInteger, comment="lowest bid at or above the floor, from the bidder list"),
    sa.Column("winner_margin_pct", sa.Double),
    sa.Column("participant_count", sa.Integer, comment="G2B's prtcptCnum (opening or award list); NULL: unknown"),
    sa.Column("bidder_count", sa.Integer, comment="rows of the fetched bidder list; NULL: list not fetched"),
    sa.Column("near_floor_count", sa.Integer, comment="NULL: list not fetched"),
    sa.Column("built_at", Timestamp, nullable=False),
    sa.Column(
        "input_hash",
        sa.String(20),
        comment="fingerprint of the opening's raw facts and the feature code the row was built from (NULL: built "
        "before fingerprints: the next run rebuilds in full)",
    ),
    comment="One row per past opening with a 사정률. Features use only facts known before the bids closed, each by its own time (the opening's registration, the award's registration, the bidder list's fetch). Unknown counts stay NULL, never 0. Grows by what changed: a run rewrites the openings whose input_hash moved and the later rows whose history they feed (ml/pricing/increment.py).",
)

price_serving_strategy = sa.Table(
    "price_serving_strategy",
    metadata,
    sa.Column(
        "strategy", sa.String(40), primary_key=True, comment="model, agency_mean_floor, floor_at_100, median_margin"
    ),
    sa.Column("decided_at", Timestamp, nullable=False),
    sa.Column("model_version", sa.String(40), comment="when strategy = model"),
    sa.Column("replay_openings", sa.Integer, nullable=False),
    sa.Column("replay_win_rate", sa.Double),
    sa.Column("replay_win_rate_low", sa.Double),
    sa.Column("replay_win_rate_high", sa.Double),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column(
        "calibration_json",
        sa.Text,
        nullable=False,
        comment='[{"competitors_from", "competitors_to", "openings", "wins", "rate", "low", "high"}]',
    ),
    comment="What serves: the model only when it beat every baseline in the replay with intervals apart, else the best baseline (규칙 기반), with its replay-calibrated chance per band of competitors.",
)

g2b_call_ledger = sa.Table(
    "g2b_call_ledger",
    metadata,
    sa.Column(
        "quota_day", Day, primary_key=True, comment="the KST day the quota counts against (resets at midnight KST)"
    ),
    sa.Column("operation", sa.String(100), primary_key=True),
    sa.Column("calls", sa.Integer, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    comment="One ledger of G2B calls per quota day (KST) and operation, shared by every process, run and day: each request adds one before it is sent; the crawl refuses a call past the day's budget (bidradar.ingestion.ledger).",
)

price_bid_positions = sa.Table(
    "price_bid_positions",
    metadata,
    sa.Column("category", sa.String(20), primary_key=True),
    sa.Column("range_pct", sa.Double, primary_key=True),
    sa.Column(
        "known_date",
        Day,
        primary_key=True,
        comment="the day the openings' results were known (a backtest uses earlier days)",
    ),
    sa.Column("position_bin", sa.Integer, primary_key=True, comment="round(position × 10): bins of 0.1 point"),
    sa.Column("bids", sa.Integer, nullable=False),
    comment="Competitor bids by position, pooled per category and range: the density of bids relative to the floor at a 사정률 of 100% (points of the 기초금액). Written with the training set, only the days whose positions changed.",
)

bid_recommendations = sa.Table(
    "bid_recommendations",
    metadata,
    sa.Column("company_id", sa.String(80), primary_key=True),
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("notice_order", sa.String(3), nullable=False),
    sa.Column("status", sa.String(20), nullable=False, comment="priced, no_base_amount, not_applicable"),
    sa.Column("strategy", sa.String(40), comment="model, agency_mean_floor, floor_at_100, median_margin"),
    sa.Column("method_ko", sa.String(100), nullable=False, comment="모델 / 규칙 기반(...) / ..."),
    sa.Column("model_version", sa.String(40)),
    sa.Column("base_amount", sa.BigInteger),
    sa.Column("lower_limit_rate", sa.Double),
    sa.Column("a_value", sa.BigInteger),
    sa.Column("rate_p10", sa.Double),
    sa.Column("rate_p50", sa.Double),
    sa.Column("rate_p90", sa.Double),
    sa.Column("floor_p10", sa.BigInteger),
    sa.Column("floor_p50", sa.BigInteger),
    sa.Column("floor_p90", sa.BigInteger),
    sa.Column("recommended_amount", sa.BigInteger),
    sa.Column("recommended_rate_pct", sa.Double),
    sa.Column("win_chance", sa.Double, comment="calibrated on the replay"),
    sa.Column("win_chance_low", sa.Double, comment="its 95 percent interval"),
    sa.Column("win_chance_high", sa.Double),
    sa.Column("expected_competitors", sa.Double, comment="NULL: no history to say"),
    sa.Column("competitors_source", sa.String(20), comment="agency, category, none"),
    sa.Column(
        "history_openings", sa.Integer, nullable=False, comment="the agency's earlier openings the figures come from"
    ),
    sa.Column("history_counted_openings", sa.Integer, nullable=False),
    sa.Column("history_rate_mean", sa.Double, comment="their mean 사정률"),
    sa.Column("explanation_ko", sa.Text, nullable=False),
    sa.Column("as_of", Timestamp, nullable=False),
    sa.Column("scored_at", Timestamp, nullable=False),
    comment="One row per (Pro company, open notice it may bid on): the typed record ml.pricing.advice.PriceAdvice (amount, calibrated chance with its interval, competitors expected and their history, floor range, Korean explanation).",
)

alert_outbox = sa.Table(
    "alert_outbox",
    metadata,
    sa.Column("alert_key", sa.String(200), primary_key=True),
    sa.Column("transport", sa.String(8), primary_key=True, comment="slack or email"),
    sa.Column("company_id", sa.String(80), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False, comment="briefing, reminder or result"),
    sa.Column("alert_date", Day, nullable=False, comment="the KST day the alert became due"),
    sa.Column("destination", sa.String(200), nullable=False, comment="Slack channel (#name or id) or e-mail address"),
    sa.Column("plan", sa.String(8), nullable=False, comment="free or pro, as the profile said when the alert was made"),
    sa.Column("payload", sa.Text, nullable=False, comment="JSON: everything the message shows, rendered at delivery"),
    sa.Column("created_at", Timestamp, nullable=False, comment="KST"),
    sa.Column(
        "status",
        sa.String(10),
        nullable=False,
        server_default=sa.text("'pending'"),
        comment="pending, sending, sent, retry, failed",
    ),
    sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("claimed_at", Timestamp, comment="UTC, when the last claim was committed (before the send)"),
    sa.Column("next_attempt_at", Timestamp, comment="UTC, a retry is not tried before"),
    sa.Column(
        "parts_sent",
        sa.Integer,
        nullable=False,
        server_default=sa.text("0"),
        comment="Slack: messages confirmed (the parent, then thread replies)",
    ),
    sa.Column("channel_id", sa.String(40), comment="Slack channel id answered by chat.postMessage"),
    sa.Column("message_ts", sa.String(40), comment="Slack ts of the parent message (thread replies hang under it)"),
    sa.Column("sent_at", Timestamp, comment="UTC, when the last part was confirmed"),
    sa.Column(
        "recovered",
        sa.Integer,
        nullable=False,
        server_default=sa.text("0"),
        comment="parts found in the channel's history after an ambiguous failure",
    ),
    sa.Column("error", sa.Text, comment="why it failed (or the last retryable error)"),
    comment="One row per alert and transport. alert_key is stable (briefing:<company>:<date>, reminder:<company>:<notice>:D-1, result:<company>:<notice>), so a rerun of the asset never makes a second alert. The asset only inserts keys it has not written before; the status columns are the drainer's alone.",
)

alert_items = sa.Table(
    "alert_items",
    metadata,
    sa.Column("alert_key", sa.String(200), primary_key=True),
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("company_id", sa.String(80), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("position", sa.Integer, nullable=False, comment="1 = first shown"),
    sa.Column("item", sa.Text, nullable=False, comment="JSON of the item as shown"),
    sa.Column("created_at", Timestamp, nullable=False),
    comment="The notices of each alert (once per alert, whatever the transports), with what was shown: the next briefing leaves out what an earlier one showed, and a result can say where the recommendation made then would have landed.",
)

notice_search = sa.Table(
    "notice_search",
    metadata,
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column(
        "bigrams",
        postgresql.ARRAY(sa.Text),
        nullable=False,
        comment="distinct character bigrams, no whitespace inside one",
    ),
    info={"dialects": ("postgresql",)},
)

notice_search_staged = sa.Table(
    "notice_search_staged",
    metadata,
    sa.Column("notice_no", sa.String(40), primary_key=True),
    sa.Column("source_text", sa.Text, nullable=False, comment="concat_ws(' ', the four indexed texts), as written"),
    sa.Column("bigrams", postgresql.ARRAY(sa.Text), nullable=False, comment="the bigrams of that text, lower-cased"),
    comment="The notice writer's bigrams for the search triggers, inside its transaction only (migration 0031).",
    info={"dialects": ("postgresql",)},
)

search_positions = sa.Table(
    "search_positions",
    metadata,
    sa.Column("i", sa.Integer, primary_key=True),
    comment="Numbers 1..2000: the character positions the SQLite search triggers walk (migration 0011).",
    info={"dialects": ("sqlite",)},
)

notice_search_bigrams = sa.Table(
    "notice_search_bigrams",
    metadata,
    sa.Column("bigram", sa.Text, primary_key=True),
    sa.Column("notice_no", sa.String(40), primary_key=True),
    info={"dialects": ("sqlite",)},
)

# Values the Claude proxy masked by context only, as keyed hashes (migration 0033): never the value.
llm_proxy_remembered = sa.Table(
    "llm_proxy_remembered",
    metadata,
    sa.Column(
        "digest", sa.CHAR(32), primary_key=True, comment="HMAC-SHA256 of the value under the proxy's key, 128 bits"
    ),
    sa.Column("kind", sa.String(24), nullable=False, comment="the entity type the value was masked as"),
    sa.Column("learned_at", Timestamp, nullable=False, comment="KST"),
)

llm_proxy_calls = sa.Table(
    "llm_proxy_calls",
    metadata,
    sa.Column("call_id", sa.CHAR(32), primary_key=True),
    sa.Column("called_at", Timestamp, nullable=False, comment="KST, when the request arrived"),
    sa.Column("route", sa.String(20), nullable=False, comment="messages or count_tokens"),
    sa.Column("model", sa.String(120)),
    sa.Column("streamed", sa.Boolean, nullable=False),
    sa.Column(
        "outcome",
        sa.String(24),
        nullable=False,
        comment="ok, upstream_error, refused, upstream_unreachable, stream_broken, client_gone",
    ),
    sa.Column("status", sa.Integer, nullable=False, comment="HTTP status sent to the client"),
    sa.Column("refusal_cause", sa.String(24), comment="leak, binary, malformed, masker_error (refused calls only)"),
    sa.Column("entity_counts", sa.Text, nullable=False, comment="JSON object: masked values per entity type"),
    sa.Column("masked_values", sa.Integer, nullable=False),
    sa.Column(
        "masked_strings", sa.Integer, nullable=False, comment="strings of the request that went through the masker"
    ),
    sa.Column("restored_tokens", sa.Integer, nullable=False),
    sa.Column(
        "unknown_tokens",
        sa.Integer,
        nullable=False,
        comment="token-shaped strings in the answer that the request did not issue",
    ),
    sa.Column("input_tokens", sa.Integer),
    sa.Column("output_tokens", sa.Integer),
    sa.Column("cache_read_tokens", sa.Integer),
    sa.Column("mask_ms", sa.Double, nullable=False),
    sa.Column("first_byte_ms", sa.Double),
    sa.Column("latency_ms", sa.Double, nullable=False),
    comment="One row per call through the Claude masking proxy (serving/llm_proxy): counts, tokens, timings. Never a value, a header or a token.",
)

api_sessions = sa.Table(
    "api_sessions",
    metadata,
    sa.Column("session_hash", sa.CHAR(64), primary_key=True, comment="sha256 (hex) of the session id in the cookie"),
    sa.Column("company_id", sa.String(100), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("expires_at", Timestamp, nullable=False, comment="KST; the session ends here, or at sign-out"),
    comment="Dashboard sessions (migration 0017, serving/api/sessions.py): sign-in inserts one (deleting the one it replaces), sign-out deletes it. The only rows the API writes.",
)


# ---------------------------------------------------------------------------------------------------------------------
# Questions about the metadata (used by the readers and by tests/test_schema.py)


def is_view(table: sa.Table) -> bool:
    return bool(table.info.get("view"))


def tables_of(dialect: str) -> list[sa.Table]:
    """The tables and views a migrated warehouse on `dialect` ("sqlite" or "postgresql") holds."""
    return [t for t in metadata.sorted_tables if dialect in t.info.get("dialects", (dialect,))]


def affinity(column_type: sa.types.TypeEngine) -> str:
    """The kind of value a column holds, the same word on both backends: integer, real, text, boolean, date,
    timestamp, binary or array."""
    if isinstance(column_type, sa.types.TypeDecorator):
        column_type = column_type.impl_instance
    for kind, types in _AFFINITIES:
        if isinstance(column_type, types):
            return kind
    raise TypeError(f"no affinity for {column_type!r}: add it to bidradar.core.schema._AFFINITIES")


_AFFINITIES: tuple[tuple[str, type | tuple[type, ...]], ...] = (
    ("boolean", sa.Boolean),
    ("timestamp", sa.DateTime),
    ("date", sa.Date),
    ("integer", sa.Integer),  # SmallInteger and BigInteger are Integers
    ("real", (sa.Float, sa.Numeric)),
    ("binary", sa.LargeBinary),
    ("array", sa.ARRAY),
    ("text", sa.String),  # Text, CHAR and VARCHAR are Strings
)

_POLARS = {
    "boolean": pl.Boolean,
    "timestamp": pl.Datetime("us"),
    "date": pl.Date,
    "integer": pl.Int64,
    "real": pl.Float64,
    "binary": pl.Binary,
    "text": pl.String,
}


def polars_schema(table: sa.Table, columns: list[str] | None = None) -> dict[str, pl.DataType]:
    """{column: polars dtype} of a table (or of some of its columns), for warehouse.read_frame's casts."""
    names = columns if columns is not None else [c.name for c in table.columns]
    return {name: _POLARS[affinity(table.c[name].type)] for name in names}
