"""Raw G2B items (all strings, `""` when empty) -> typed, English-named frames for the warehouse.

Pure functions: polars frame in, frame out. The raw frames carry an `_operation` column naming the G2B
operation the rows came from (it tells the category).
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import io
import json
from collections.abc import Callable

import polars as pl

from bidradar.ingestion import fields
from bidradar.ingestion.fields import FieldType
from bidradar.rules import licenses, money, regions

POLARS_TYPES: dict[FieldType, pl.DataType] = {
    "str": pl.String(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "datetime": pl.Datetime("us"),
    "bool": pl.Boolean(),
}


def items_to_frame(items: list[dict[str, str]], operation: str) -> pl.DataFrame:
    """A raw page's items as an all-string frame with the operation name."""
    if not items:
        return pl.DataFrame({"_operation": []}, schema={"_operation": pl.String})
    frame = pl.from_dicts(items, infer_schema_length=None)
    return frame.with_columns(pl.all().cast(pl.String), pl.lit(operation).alias("_operation"))


def decode_items(blob: bytes) -> list[dict[str, str]]:
    return json.loads(gzip.decompress(blob))


def pages_to_frame(blobs: list[bytes], operation: str) -> pl.DataFrame:
    """Stored pages (gzip of a JSON list of items) -> one all-string frame, parsed by polars, not Python.

    The pages' JSON arrays are spliced into one array, so the parse is a single native call, and only the
    fields normalization reads are parsed (half the time of inferring all ~150 fields)."""
    bodies = [gzip.decompress(blob).strip()[1:-1] for blob in blobs]
    bodies = [body for body in bodies if body.strip()]
    if not bodies:
        return items_to_frame([], operation)
    schema = dict.fromkeys(fields.raw_fields_for(operation), pl.String)
    frame = pl.read_json(io.BytesIO(b"[" + b",".join(bodies) + b"]"), schema=schema)
    return frame.with_columns(pl.lit(operation).alias("_operation"))


def encode_columnar(items: list[dict[str, str]], operation: str) -> bytes:
    """The fields normalization reads, as an Arrow IPC file (all strings, as received): the fast input of
    normalization. The gzipped JSON beside it stays the source of truth."""
    names = fields.raw_fields_for(operation)
    frame = pl.DataFrame(
        {name: [item.get(name) for item in items] for name in names}, schema=dict.fromkeys(names, pl.String)
    )
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="lz4")
    return buffer.getvalue()


IPC_PAGES_PER_CONCAT = 200


def columnar_to_frame(blobs: list[bytes], operation: str) -> pl.DataFrame:
    """Stored columnar copies of one operation's pages -> one all-string frame with the operation name.

    The pages are read and joined 200 at a time: a results day has ~3,000 pages of bidders, and holding every
    page's small frame at once before one concat cost ~5x the frame's own size in memory."""
    frames = []
    for start in range(0, len(blobs), IPC_PAGES_PER_CONCAT):
        pages = [pl.read_ipc(io.BytesIO(blob)) for blob in blobs[start : start + IPC_PAGES_PER_CONCAT]]
        pages = [f for f in pages if f.height]
        if pages:
            frames.append(pl.concat(pages, how="vertical", rechunk=True))
    if not frames:
        return items_to_frame([], operation)
    return pl.concat(frames, how="vertical").with_columns(pl.lit(operation).alias("_operation"))


def encode_items(items: list[dict[str, str]]) -> bytes:
    # Level 3: most of the size win of gzip at a fraction of level 9's time; mtime=0 keeps reruns byte-identical.
    return gzip.compress(
        json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode(), compresslevel=3, mtime=0
    )


def _typed(expr: pl.Expr, kind: FieldType) -> pl.Expr:
    text = expr.cast(pl.String).str.strip_chars()
    empty_to_null = pl.when(text == "").then(None).otherwise(text)
    if kind == "str":
        return empty_to_null
    if kind == "int":
        # Amounts sometimes come as "219000000.0" or with commas, and now and then in Korean ("10000만원", "2.3억").
        numeric = empty_to_null.str.replace_all(",", "").cast(pl.Float64, strict=False).round(0).cast(pl.Int64)
        return pl.coalesce(numeric, empty_to_null.map_batches(_korean_amounts, return_dtype=pl.Int64))
    if kind == "float":
        return empty_to_null.str.replace_all(",", "").cast(pl.Float64, strict=False)
    if kind == "bool":
        return pl.when(text == "Y").then(True).when(text == "N").then(False).otherwise(None)
    # Dates come as "YYYY-MM-DD HH:MM:SS", sometimes without seconds.
    return pl.coalesce(
        empty_to_null.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us"),
        empty_to_null.str.to_datetime("%Y-%m-%d %H:%M", strict=False, time_unit="us"),
    )


# Every text field is cut at this many characters on the way in: the largest size G2B's specs declare for a text
# field is 4000 (비고내용, 개찰결과공지내용; 입찰공고명 is 1000). A longer one is broken or hostile, and one 60,000-character
# title held the search trigger for 14-22 s. The raw pages keep the whole text; `texts_cut` names what was cut.
MAX_TEXT_CHARS = 4000


def _korean_amounts(texts: pl.Series) -> pl.Series:
    """`bidradar.rules.money.parse_won` for the values that are not plain numbers (only those reach Python)."""
    plain = texts.str.replace_all(",", "").cast(pl.Float64, strict=False).is_not_null() | texts.is_null()
    out = pl.Series(texts.name, [None] * texts.len(), dtype=pl.Int64)
    if plain.all():
        return out
    odd = (~plain).arg_true()
    return out.scatter(odd, pl.Series([money.parse_won(t) for t in texts.gather(odd).to_list()], dtype=pl.Int64))


def map_distinct(expr: pl.Expr, function: Callable[[str], object], return_dtype: pl.DataType) -> pl.Expr:
    """`function` of each value, called once per distinct value (G2B repeats the same 면허 and 지역 texts on
    thousands of rows); NULL stays NULL, as with `map_elements`."""

    def per_batch(values: pl.Series) -> pl.Series:
        distinct = values.drop_nulls().unique()
        mapped = pl.DataFrame(
            {"value": distinct, "mapped": pl.Series([function(v) for v in distinct.to_list()], dtype=return_dtype)}
        )
        joined = values.to_frame("value").join(mapped, on="value", how="left", maintain_order="left")
        return joined["mapped"]

    return expr.map_batches(per_batch, return_dtype=return_dtype)


def apply_mapping(
    raw: pl.DataFrame,
    mapping: dict[str, tuple[str, FieldType]],
    extra: dict[str, pl.Expr] | None = None,
    flag_cuts: bool = False,
) -> pl.DataFrame:
    """Rename and type the mapped fields; raw names that map to one clean name are coalesced in order.

    `extra` adds columns computed from the raw frame (for example the category from `_operation`). Text is cut at
    MAX_TEXT_CHARS; with `flag_cuts`, a `texts_cut` column names the cut columns of each row (NULL: none)."""
    columns, cuts = _mapping_expressions(tuple(mapping.items()), frozenset(raw.columns), flag_cuts)
    frame = raw.select([*columns, *(expr.alias(name) for name, expr in (extra or {}).items())])
    return frame.with_columns(cuts)


@functools.lru_cache(maxsize=256)
def _mapping_expressions(
    mapping: tuple[tuple[str, tuple[str, FieldType]], ...], present: frozenset[str], flag_cuts: bool
) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """apply_mapping's expressions, built once per mapping and set of raw columns: building them took as long as
    running them on a day's few thousand notices."""
    targets: dict[str, list[pl.Expr]] = {}
    kinds: dict[str, FieldType] = {}
    for raw_name, (clean, kind) in mapping:
        kinds[clean] = kind
        if raw_name in present:
            targets.setdefault(clean, []).append(_typed(pl.col(raw_name), kind))
    columns = [
        (pl.coalesce(exprs) if len(exprs) > 1 else exprs[0]).alias(clean)
        if (exprs := targets.get(clean))
        else pl.lit(None, dtype=POLARS_TYPES[kind]).alias(clean)
        for clean, kind in kinds.items()
    ]
    texts = [clean for clean, kind in kinds.items() if kind == "str"]
    too_long = [pl.when(pl.col(c).str.len_chars() > MAX_TEXT_CHARS).then(pl.lit(c)) for c in texts]
    cut = pl.concat_str(too_long, separator=",", ignore_nulls=True) if texts else pl.lit("")
    cuts = [pl.col(c).str.slice(0, MAX_TEXT_CHARS) for c in texts] + (
        [pl.when(cut == "").then(None).otherwise(cut).alias("texts_cut")] if flag_cuts else []
    )
    return columns, cuts


def category_of(operation: pl.Expr) -> pl.Expr:
    """The English category from an operation name such as getBidPblancListInfoServcBsisAmount."""
    expr = pl.lit(None, dtype=pl.String)
    for code, name in fields.CATEGORIES.items():
        expr = pl.when(operation.str.contains(code)).then(pl.lit(name)).otherwise(expr)
    return expr


def _with_partition(frame: pl.DataFrame, partition_date: dt.date) -> pl.DataFrame:
    return frame.with_columns(pl.lit(partition_date).alias("partition_date"))


# ---------------------------------------------------------------------------------------------------------------------
# Notices


def _joined(raw: pl.DataFrame, names: list[str], separator: str) -> pl.Expr:
    """The non-empty values of some raw fields in one text (NULL when all are empty or absent)."""
    present = [c for c in names if c in raw.columns]
    if not present:
        return pl.lit(None, dtype=pl.String)
    text = pl.concat_str(
        [pl.when(pl.col(c).str.strip_chars() != "").then(pl.col(c).str.strip_chars()) for c in present],
        separator=separator,
        ignore_nulls=True,
    )
    return pl.when(text == "").then(None).otherwise(text)


def normalize_notices(raw: pl.DataFrame, partition_date: dt.date) -> pl.DataFrame:
    """One row per notice number; the latest revision (차수, then change time) wins; cancellations marked."""
    if raw.is_empty():
        return empty_frame(NOTICE_COLUMNS)
    present = [c for c in fields.NOTICE_ATTACHMENT_NAME_FIELDS if c in raw.columns]
    attachments = (
        pl.concat_str(
            [pl.when(pl.col(c).str.strip_chars() != "").then(pl.col(c)) for c in present],
            separator=" | ",
            ignore_nulls=True,
        )
        if present
        else pl.lit(None, dtype=pl.String)
    )
    frame = apply_mapping(
        raw,
        fields.NOTICE_FIELDS,
        {
            "category": category_of(pl.col("_operation")),
            "attachment_names": pl.when(attachments == "").then(None).otherwise(attachments),
            "joint_duty_regions": _joined(raw, fields.JOINT_DUTY_REGION_FIELDS, ", "),
        },
        flag_cuts=True,
    )
    frame = frame.with_columns(
        is_cancelled=pl.col("notice_kind").fill_null("").str.contains("취소"),
        revision_key=pl.concat_str(
            pl.col("notice_order").fill_null("000"),
            pl.coalesce("changed_at", "registered_at").dt.strftime("%Y%m%d%H%M%S").fill_null("00000000000000"),
            separator="|",
        ),
    )
    frame = (
        frame.filter(pl.col("notice_no").is_not_null() & pl.col("registered_at").is_not_null())
        .sort("revision_key", descending=True)
        .unique("notice_no", keep="first", maintain_order=True)
    )
    return _with_partition(frame, partition_date).select(NOTICE_COLUMNS)


NOTICE_COLUMNS = [
    "notice_no",
    "notice_order",
    "partition_date",
    "revision_key",
    "category",
    "notice_kind",
    "is_cancelled",
    "is_renotice",
    "is_international",
    "title",
    "notice_agency_code",
    "notice_agency_name",
    "demand_agency_code",
    "demand_agency_name",
    "bid_method",
    "contract_method",
    "award_method",
    "price_decision_method",
    "reserve_price_count",
    "drawn_price_count",
    "lower_limit_rate",
    "budget_amount",
    "estimated_price",
    "vat_amount",
    "registered_at",
    "notice_at",
    "bid_begin_at",
    "bid_close_at",
    "opening_at",
    "qualification_deadline_at",
    "changed_at",
    "change_reason",
    "is_license_limited",
    "is_participation_limited",
    "is_track_record_limited",
    "region_limit_basis",
    "construction_site_region",
    "classification_no",
    "classification_name",
    "classification_large",
    "classification_mid",
    "product_name",
    "service_division",
    "main_work_type",
    "attachment_names",
    "detail_url",
    "previous_notice_no",
    "reference_no",
    "integrated_notice_no",
    "texts_cut",
    "is_designated_competition",
    "is_product_class_limited",
    "is_manufacturer_required",
    "product_class_no",
    "product_list_raw",
    "is_joint_duty",
    "joint_duty_regions",
    "joint_duty_share_pct",
]


def empty_frame(columns: list[str]) -> pl.DataFrame:
    return pl.DataFrame({c: [] for c in columns})


# ---------------------------------------------------------------------------------------------------------------------
# Notice details


def normalize_base_amounts(raw: pl.DataFrame, partition_date: dt.date) -> pl.DataFrame:
    if raw.is_empty():
        return raw.clear()
    frame = apply_mapping(raw, fields.BASE_AMOUNT_FIELDS, {"category": category_of(pl.col("_operation"))})
    frame = frame.filter(pl.col("notice_no").is_not_null()).unique(["notice_no", "notice_order"], keep="last")
    return _with_partition(frame.with_columns(a_value=a_value_expr()).drop(_private_columns()), partition_date)


def _private_columns() -> list[str]:
    return [clean for clean, _ in fields.BASE_AMOUNT_FIELDS.values() if clean.startswith("_")]


def a_value_expr() -> pl.Expr:
    """A값 in won when the notice applies the A-value rule (bidPrceCalclAYn = Y), else 0; NULL when unknown: no flag,
    or the flag Y with no cost item published (an unpublished A is not 0; `bidradar.rules.a_value`).

    A = 국민연금 + 건강보험 + 퇴직공제 + 노인장기요양 + 산업안전보건관리비 + 안전관리비, plus 품질관리비 and
    표준시장단가 when their own flags say they count."""
    items = pl.sum_horizontal([pl.col(c).fill_null(0) for c in fields.A_VALUE_ITEMS])
    quality = pl.when(pl.col("_a_quality_counts").fill_null(False)).then(pl.col("_a_quality").fill_null(0))
    standard = pl.when(pl.col("_a_standard_price_counts").fill_null(False)).then(
        pl.col("_a_standard_price").fill_null(0)
    )
    total = items + quality.otherwise(0) + standard.otherwise(0)
    published = pl.any_horizontal([pl.col(c).is_not_null() for c in fields.A_VALUE_ITEMS])
    applies = pl.col("a_value_applies")
    return pl.when(applies & published).then(total).when(applies.not_()).then(0).cast(pl.Int64)


def _license_parts(name: str | None, code: str | None) -> dict[str, str | None]:
    # A code written alone ("0037") is named from the license table, or by itself when the table does not know it.
    return {"name": name or (licenses.NAMES.get(code, code) if code else None), "code": code}


def split_license(raw_limit: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """ "소프트웨어사업자/1468", "1468/소프트웨어사업자", "소프트웨어사업자(1468)" … -> name and code
    (`bidradar.rules.licenses.parse_limit`); a name without a code keeps a NULL code."""
    parsed = map_distinct(
        raw_limit,
        lambda text: _license_parts(*licenses.parse_limit(text)),
        pl.Struct({"name": pl.String, "code": pl.String}),
    )
    return parsed.struct.field("name").fill_null(""), parsed.struct.field("code")


def normalize_license_limits(raw: pl.DataFrame, partition_date: dt.date) -> pl.DataFrame:
    if raw.is_empty():
        return raw.clear()
    frame = apply_mapping(raw, fields.LICENSE_LIMIT_FIELDS)
    name, code = split_license(pl.col("license_limit_raw"))
    frame = frame.with_columns(license_name=name, license_code=code).filter(
        pl.col("notice_no").is_not_null() & (pl.col("license_name") != "")
    )
    return _with_partition(
        frame.unique(["notice_no", "notice_order", "group_no", "seq_no"], keep="last"), partition_date
    )


def normalize_region_limits(raw: pl.DataFrame, partition_date: dt.date) -> pl.DataFrame:
    """ "인천광역시 중구" -> 시도 인천광역시, 시군구 중구; "인천광역시" alone allows the whole 시도."""
    if raw.is_empty():
        return raw.clear()
    frame = apply_mapping(raw, fields.REGION_LIMIT_FIELDS)
    region = pl.col("region_name").str.strip_chars().str.replace_all(r"\s+", " ")
    # The one normaliser (bidradar.rules.regions.split_region): "경남 창원시의창구" -> 경상남도 / 창원시 의창구. The
    # 시도 keeps the name as written when it is an old one (the matcher dates it); unknown names stay as written.
    parts = map_distinct(region, _region_parts, pl.Struct({"sido": pl.String, "sigungu": pl.String}))
    frame = frame.with_columns(
        region_name=region, sido=parts.struct.field("sido"), sigungu=parts.struct.field("sigungu")
    ).filter(pl.col("notice_no").is_not_null() & pl.col("region_name").is_not_null())
    return _with_partition(frame.unique(["notice_no", "notice_order", "seq_no"], keep="last"), partition_date)


def _region_parts(text: str) -> dict[str, str | None]:
    first = text.split(" ", 1)
    place = regions.split_region(text)
    if place.sido is None:
        return {"sido": first[0], "sigungu": first[1] if len(first) > 1 else None}
    written = first[0] if regions.sido_code(first[0]) == place.sido else regions.CURRENT_NAME[place.sido]
    sigungu = " ".join(p for p in (place.unit, place.inside) if p) or None
    return {"sido": written, "sigungu": sigungu}


# ---------------------------------------------------------------------------------------------------------------------
# Results

OPENING_KEY = ["notice_no", "notice_order", "bid_class_no", "rebid_no"]
OPENING_COLUMNS = [
    *OPENING_KEY,
    "category",
    "opened_at",
    "opening_status",
    "notice_agency_code",
    "demand_agency_code",
    "demand_agency_name",
    "participant_count",
    "registered_at",
]
AWARD_COLUMNS = [
    *OPENING_KEY,
    "category",
    "participant_count",
    "winner_name",
    "winner_business_no",
    "winning_amount",
    "winning_rate_pct",
    "opened_at",
    "awarded_on",
    "demand_agency_code",
    "demand_agency_name",
    "registered_at",
]
RESERVE_PRICE_COLUMNS = [
    *OPENING_KEY,
    "price_no",
    "reserve_price",
    "is_drawn",
    "pick_count",
    "planned_price",
    "base_amount",
]
RESERVE_TABLE_COLUMNS = [*OPENING_KEY, "price_no", "reserve_price", "is_drawn", "pick_count"]
BIDDER_COLUMNS = [
    *OPENING_KEY,
    "business_no",
    "rank",
    "company_name",
    "bid_amount",
    "bid_rate_pct",
    "pick_1",
    "pick_2",
    "remark",
]
OUTCOME_COLUMNS = [
    *OPENING_KEY,
    "opening_partition_date",
    "award_partition_date",
    "category",
    "opened_at",
    "opening_status",
    "notice_agency_code",
    "demand_agency_code",
    "demand_agency_name",
    "participant_count",
    "bidder_count",
    "base_amount",
    "planned_price",
    "assessment_rate_pct",
    "lower_limit_rate",
    "notice_registered_at",
    "winner_name",
    "winner_business_no",
    "winning_amount",
    "winning_rate_pct",
    "winner_rank",
    "opening_registered_at",
    "award_registered_at",
    "notice_missing",
    "missing",
]


def _keyed(frame: pl.DataFrame) -> pl.DataFrame:
    # Openings without a 분류/재입찰 number still need a full key.
    return frame.with_columns(pl.col(c).fill_null("") for c in OPENING_KEY).filter(pl.col("notice_no") != "")


BIDDER_ROWS_PER_SLICE = 50_000


def normalize_results(
    openings_raw: pl.DataFrame, awards_raw: pl.DataFrame, reserve_raw: pl.DataFrame, bidders_raw: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """One registration day's result pages -> bid_openings, bid_awards, bid_result_reserve_prices, bid_result_bidders.

    Each part stays in the day it was registered on; `outcomes` joins them per opening, whatever the order in
    which they arrived (the final winner is registered days after the opening)."""
    category = {"category": category_of(pl.col("_operation"))}
    openings = _keyed(apply_mapping(openings_raw, fields.OPENING_FIELDS, category))
    awards = _keyed(apply_mapping(awards_raw, fields.AWARD_FIELDS, category))
    reserve = _keyed(apply_mapping(reserve_raw, fields.RESERVE_PRICE_FIELDS))
    # A day holds up to ~400,000 bidders: typed a slice at a time, the intermediate columns of the mapping stay
    # bounded by a slice (one pass over the whole day peaked at ~7x the raw frame's size).
    bidders = pl.concat(
        [
            _keyed(apply_mapping(bidders_raw.slice(start, BIDDER_ROWS_PER_SLICE), fields.BIDDER_FIELDS)).filter(
                pl.col("business_no").is_not_null()
            )
            for start in range(0, max(bidders_raw.height, 1), BIDDER_ROWS_PER_SLICE)
        ]
    )
    return {
        "bid_openings": openings.unique(OPENING_KEY, keep="last", maintain_order=True).select(OPENING_COLUMNS),
        "bid_awards": awards.unique(OPENING_KEY, keep="last", maintain_order=True).select(AWARD_COLUMNS),
        "bid_result_reserve_prices": reserve.unique([*OPENING_KEY, "price_no"], keep="last", maintain_order=True)
        .with_columns(pl.col("is_drawn").fill_null(False))
        .select(RESERVE_PRICE_COLUMNS),
        "bid_result_bidders": bidders.unique([*OPENING_KEY, "business_no"], keep="first", maintain_order=True).select(
            BIDDER_COLUMNS
        ),
    }


def outcomes(
    openings: pl.DataFrame,
    awards: pl.DataFrame,
    prices: pl.DataFrame,
    bidders: pl.DataFrame,
    notices: pl.DataFrame,
) -> pl.DataFrame:
    """Per-opening outcomes from the parts in the warehouse, wherever they were registered.

    openings/awards: as stored (with partition_date); prices: (key, planned_price, base_amount); bidders: (key,
    bidder_count, winner_rank); notices: (notice_no, lower_limit_rate, registered_at). `missing` names the parts
    not in the warehouse yet; the 낙찰하한율 always comes from the notice, never from a table."""
    keys = pl.concat([openings.select(OPENING_KEY), awards.select(OPENING_KEY)]).unique()
    award_cols = awards.select(
        *OPENING_KEY,
        pl.col("category").alias("award_category"),
        pl.col("participant_count").alias("award_participants"),
        pl.col("opened_at").alias("award_opened_at"),
        pl.col("demand_agency_code").alias("award_agency_code"),
        pl.col("demand_agency_name").alias("award_agency_name"),
        "winner_name",
        "winner_business_no",
        "winning_amount",
        "winning_rate_pct",
        pl.col("registered_at").alias("award_registered_at"),
        pl.col("partition_date").alias("award_partition_date"),
    )
    opening_cols = openings.select(
        *OPENING_KEY,
        "category",
        "opened_at",
        "opening_status",
        "notice_agency_code",
        "demand_agency_code",
        "demand_agency_name",
        "participant_count",
        pl.col("registered_at").alias("opening_registered_at"),
        pl.col("partition_date").alias("opening_partition_date"),
    )
    notice_cols = notices.select(
        "notice_no",
        "lower_limit_rate",
        pl.col("registered_at").alias("notice_registered_at"),
        pl.lit(True).alias("_has_notice"),
    ).unique("notice_no")
    frame = (
        keys.join(opening_cols, on=OPENING_KEY, how="left")
        .join(award_cols, on=OPENING_KEY, how="left")
        .join(prices, on=OPENING_KEY, how="left")
        .join(bidders, on=OPENING_KEY, how="left")
        .join(notice_cols, on="notice_no", how="left")
    )
    frame = frame.with_columns(
        category=pl.coalesce("category", "award_category"),
        opened_at=pl.coalesce("opened_at", "award_opened_at"),
        demand_agency_code=pl.coalesce("demand_agency_code", "award_agency_code"),
        demand_agency_name=pl.coalesce("demand_agency_name", "award_agency_name"),
        participant_count=pl.coalesce("participant_count", "award_participants"),
        assessment_rate_pct=(pl.col("planned_price") / pl.col("base_amount") * 100).round(4),
        notice_missing=pl.col("_has_notice").is_null(),
    )
    completed = pl.col("opening_status") == "개찰완료"
    parts = [
        pl.when(pl.col("_has_notice").is_null()).then(pl.lit("notice")),
        pl.when(pl.col("opening_partition_date").is_null()).then(pl.lit("opening")),
        pl.when(completed & pl.col("award_partition_date").is_null()).then(pl.lit("award")),
        # 비예가 (협상, 외자) has no 예비가격: only a notice with a 낙찰하한율 expects them.
        pl.when(completed & pl.col("lower_limit_rate").is_not_null() & pl.col("planned_price").is_null()).then(
            pl.lit("reserve_prices")
        ),
        pl.when(completed & pl.col("bidder_count").is_null()).then(pl.lit("bidders")),
    ]
    missing = pl.concat_str(parts, separator=",", ignore_nulls=True)
    return frame.with_columns(missing=pl.when(missing == "").then(None).otherwise(missing)).select(OUTCOME_COLUMNS)
