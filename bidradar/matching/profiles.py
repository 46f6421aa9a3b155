"""Company profiles: one YAML file per company in PROFILES_DIR, validated with pydantic.

An error names the file, the line and the field (the YAML node marks map a pydantic error location back to a
line), so a person can fix the file without reading a traceback. One bad file never stops the others:
`load_profiles` returns the valid profiles and the errors side by side.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bidradar.rules import licenses as license_rules
from bidradar.rules import money
from bidradar.rules.regions import sido_code

PROFILE_SUFFIXES = (".yaml", ".yml")
Category = Literal["goods", "services", "construction", "foreign"]
# 소상공인 ⊂ 소기업 ⊂ 중소기업 (소기업 + 중기업); 중견기업 and 대기업 are not 중소기업.
CompanySize = Literal["소상공인", "소기업", "중기업", "중견기업", "대기업"]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SLACK_CHANNEL = re.compile(r"^(#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{8,})$")
_TOKEN_HASH = re.compile(r"^sha256:[0-9a-f]{64}$")


def business_no_check_digit(first9: str) -> int:
    """사업자등록번호 check digit: weights 1,3,7,1,3,7,1,3,5 plus the carry of the 9th digit × 5."""
    digits = [int(c) for c in first9]
    total = sum(d * w for d, w in zip(digits, (1, 3, 7, 1, 3, 7, 1, 3, 5), strict=True)) + (digits[8] * 5) // 10
    return (10 - total % 10) % 10


class _Strict(BaseModel):
    # A misspelt key is an error that names it, not a silently ignored field.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def _money(value: object) -> object:
    # Amounts may be written in Korean ("10억", "2억 5,000만원", "금일억원정"): bidradar.rules.money.
    if isinstance(value, str):
        parsed = money.parse_won(value)
        if parsed is None:
            raise ValueError(f"an amount in won, e.g. 250000000 or 2.5억 (got {value!r})")
        return parsed
    return value


class License(_Strict):
    """One 업종 the company is registered for, e.g. 소프트웨어사업자 (1468). Also written as one string in any
    form G2B uses: "1468/소프트웨어사업자", "소프트웨어사업자/1468", "소프트웨어사업자(1468)"."""

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        if isinstance(value, str):
            name, code = license_rules.parse_item(value)
            return {"code": code, "name": name or license_rules.NAMES.get(code or "", "")}
        return value

    code: Annotated[str, Field(pattern=r"^\d{3,6}$", description="업종코드, e.g. 1468")]
    name: Annotated[str, Field(min_length=1, max_length=200, description="업종명, e.g. 소프트웨어사업자")]
    main_fields: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=50)]] | None,
        Field(default=None, description="주력분야 registered for this license, e.g. [토목, 포장]; empty = not stated"),
    ] = None


class Location(_Strict):
    """본사 소재지, which 지역제한 is judged on."""

    sido: Annotated[str, Field(min_length=2, max_length=40, description="시도, e.g. 서울특별시")]
    sigungu: Annotated[str | None, Field(default=None, max_length=60, description="시군구, e.g. 강남구")] = None

    @field_validator("sido")
    @classmethod
    def _known_sido_name(cls, value: str) -> str:
        # Old names (전라북도, 강원도) and short forms (서울시, 경기, 전북) are the same 시도: matching normalises
        # both sides to the current 행정구역 code, so any of them is accepted, but not an unknown name.
        if sido_code(value) is None:
            raise ValueError("a 시도 name, e.g. 서울특별시 (서울시, 서울), 경기도, 전북특별자치도 (전라북도, 전북)")
        return value


class PastContract(_Strict):
    """One contract of the track record (수행실적)."""

    title: Annotated[str, Field(min_length=1, max_length=300)]
    agency: Annotated[str, Field(min_length=1, max_length=200)]
    amount: Annotated[int, Field(ge=0, description="계약금액, won (or 4.8억)")]
    year: Annotated[int, Field(ge=1990, le=2100)]

    _amount_text = field_validator("amount", mode="before")(classmethod(lambda cls, v: _money(v)))


class Product(_Strict):
    """A 물품 the company is registered for in its 경쟁입찰참가자격 (물품분류번호, 8 digits, or the 10-digit 세부품명번호),
    and whether it is registered as its maker (제조: 직접생산확인)."""

    code: Annotated[str, Field(pattern=r"^\d{8}(\d{2})?$", description="물품분류번호, e.g. 56101703")]
    manufacturer: Annotated[bool, Field(default=False, description="제조 등록 (직접생산확인)")] = False


class Keywords(_Strict):
    include: list[Annotated[str, Field(min_length=1, max_length=50)]] = Field(default_factory=list)
    exclude: list[Annotated[str, Field(min_length=1, max_length=50)]] = Field(default_factory=list)


class CompanyProfile(_Strict):
    """A company's profile: what it may bid on (hard rules) and what it wants (relevance)."""

    name: Annotated[str, Field(min_length=1, max_length=200, description="상호")]
    business_no: Annotated[str, Field(description="사업자등록번호, 10 digits, dashes allowed")]
    description: Annotated[str, Field(default="", max_length=4000, description="what the company does")] = ""
    licenses: list[License] = Field(default_factory=list)
    location: Location
    size: Annotated[CompanySize | None, Field(default=None, description="기업 규모; empty means unknown")] = None
    track_record: list[PastContract] = Field(default_factory=list)
    capacity_won: Annotated[int | None, Field(default=None, gt=0, description="largest contract it can take")] = None
    designations: list[Annotated[str, Field(min_length=5, max_length=40)]] = Field(
        default_factory=list, description="공고번호 of 지명경쟁 notices the company was designated for (지명통지)"
    )
    products: Annotated[
        list[Product] | None,
        Field(default=None, description="물품 registered for bidding; empty = not stated (물품분류 limits unknown)"),
    ] = None
    keywords: Keywords = Field(default_factory=Keywords)
    categories: Annotated[list[Category], Field(min_length=1)]
    plan: Literal["free", "pro"] = "free"
    slack_channel: str | None = None
    alert_email: str | None = None
    api_token_hash: str | None = None
    secret_fields: list[str] = Field(default_factory=list)

    _capacity_text = field_validator("capacity_won", mode="before")(classmethod(lambda cls, v: _money(v)))

    @field_validator("business_no", mode="before")
    @classmethod
    def _digits_as_text(cls, value: object) -> object:
        # YAML reads an unquoted 2208162517 as a number.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("business_no")
    @classmethod
    def _check_business_no(cls, value: str) -> str:
        digits = value.replace("-", "")
        if not re.fullmatch(r"\d{10}", digits):
            raise ValueError("사업자등록번호 must be 10 digits, e.g. 220-81-62517")
        expected = business_no_check_digit(digits[:9])
        if int(digits[9]) != expected:
            raise ValueError(f"사업자등록번호 {value} fails its checksum (the last digit should be {expected})")
        return digits

    @field_validator("slack_channel")
    @classmethod
    def _check_slack(cls, value: str | None) -> str | None:
        if value is not None and not _SLACK_CHANNEL.fullmatch(value):
            raise ValueError("a channel name such as #bids-acme, or a channel id such as C0123456789")
        return value

    @field_validator("alert_email")
    @classmethod
    def _check_email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.fullmatch(value):
            raise ValueError("an e-mail address such as bids@example.co.kr")
        return value

    @field_validator("api_token_hash")
    @classmethod
    def _check_token_hash(cls, value: str | None) -> str | None:
        if value is not None and not _TOKEN_HASH.fullmatch(value):
            raise ValueError('"sha256:" followed by 64 lowercase hex digits (the hash, never the token itself)')
        return value

    @field_validator("secret_fields")
    @classmethod
    def _check_secret_fields(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in cls.model_fields or name == "secret_fields"]
        if unknown:
            known = ", ".join(n for n in cls.model_fields if n != "secret_fields")
            raise ValueError(f"unknown field(s) {', '.join(unknown)}; secret fields are among: {known}")
        return value

    @model_validator(mode="after")
    def _categories_unique(self) -> CompanyProfile:
        if len(set(self.categories)) != len(self.categories):
            raise ValueError("categories lists a category twice")
        return self

    @property
    def largest_past_contract(self) -> int | None:
        return max((c.amount for c in self.track_record), default=None)

    def llm_view(self) -> dict[str, Any]:
        """The profile as it may be shown to an LLM: secret fields masked, the token hash always left out."""
        data = self.model_dump(mode="json", exclude={"api_token_hash", "secret_fields"})
        for name in self.secret_fields:
            if name in data:
                data[name] = "[비공개]"
        return data


# ---------------------------------------------------------------------------------------------------------------------
# Loading with file, line and field in every error


@dataclass(frozen=True)
class ProfileError:
    """Why one file is not a valid profile; `line` is 1-based (None when the file could not be read at all)."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field}: {self.message}"


@dataclass(frozen=True)
class LoadedProfile:
    company_id: str  # the file name without its suffix
    file: str
    data_hash: str  # sha256 of the file's bytes
    profile: CompanyProfile


@dataclass(frozen=True)
class ProfileFile:
    """One file of the folder and what became of it: a profile or an error."""

    company_id: str
    file: str
    data_hash: str
    profile: CompanyProfile | None
    error: ProfileError | None


@dataclass(frozen=True)
class ProfileLoad:
    files: list[ProfileFile]

    @property
    def profiles(self) -> list[LoadedProfile]:
        return [
            LoadedProfile(f.company_id, f.file, f.data_hash, f.profile) for f in self.files if f.profile is not None
        ]

    @property
    def errors(self) -> list[ProfileError]:
        return [f.error for f in self.files if f.error is not None]


def profile_paths(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in PROFILE_SUFFIXES)


def folder_fingerprint(folder: Path) -> str:
    """One hash of every profile file's name and bytes: it changes when any file is edited, added or removed."""
    digest = hashlib.sha256()
    for path in profile_paths(folder):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree: the line of the deepest key or list item
    found (a missing field is reported on its parent's line)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        found: tuple[int, yaml.Node] | None = None
        if isinstance(node, yaml.MappingNode):
            found = next(
                (
                    (k.start_mark.line + 1, v)
                    for k, v in node.value
                    if isinstance(k, yaml.ScalarNode) and k.value == str(part)
                ),
                None,
            )
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            found = (node.value[part].start_mark.line + 1, node.value[part])
        if found is None:
            break
        line, node = found
    return line


def _field_name(loc: tuple[int | str, ...]) -> str:
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "(file)"


def parse_profile(text: str, file: str) -> CompanyProfile | ProfileError:
    """Parse one profile's YAML text; the result is the profile or the first error (file, line, field)."""
    # One parse (libyaml's, ~20x the pure-Python loader's speed) gives the nodes, for the line of an error, and the
    # data built from them: 1,000 profile files took 70 ms each parsed twice in Python.
    loader = yaml.CSafeLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return ProfileError(file, mark.line + 1 if mark else None, "(yaml)", str(error.problem or error).strip())
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return ProfileError(file, 1, "(file)", "a profile is a YAML mapping of field: value (see docs/profiles.md)")
    try:
        return CompanyProfile.model_validate(data)
    except ValidationError as error:
        # A misspelt key also makes the real one "missing": name the misspelling, it is the thing to fix.
        first = sorted(error.errors(), key=lambda e: e["type"] != "extra_forbidden")[0]
        loc = tuple(first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown field (misspelt? see docs/profiles.md for the fields)"
        elif first["type"] == "missing":
            message = "required field is missing"
        return ProfileError(file, _line_of(root, loc), _field_name(loc), message)


def load_profiles(folder: Path) -> ProfileLoad:
    """Every profile file of the folder, each parsed on its own: valid profiles and errors side by side."""
    files = []
    for path in profile_paths(folder):
        raw = path.read_bytes()
        data_hash = hashlib.sha256(raw).hexdigest()
        company_id = path.stem.lower()
        try:
            parsed: CompanyProfile | ProfileError = parse_profile(raw.decode("utf-8"), path.name)
        except UnicodeDecodeError as error:
            parsed = ProfileError(path.name, None, "(file)", f"not UTF-8 text: {error.reason}")
        if not _SLUG.fullmatch(company_id) and not isinstance(parsed, ProfileError):
            parsed = ProfileError(
                path.name, None, "(file name)", "the file name is the company id: lowercase letters, digits, - and _"
            )
        if isinstance(parsed, ProfileError):
            files.append(ProfileFile(company_id, path.name, data_hash, None, parsed))
        else:
            files.append(ProfileFile(company_id, path.name, data_hash, parsed, None))
    return ProfileLoad(_flag_duplicate_business_numbers(_flag_duplicate_company_ids(files)))


def _flag_duplicate_company_ids(files: list[ProfileFile]) -> list[ProfileFile]:
    # a.yaml and a.yml (or A.yaml) are one company id: loading both would let one silently overwrite the other.
    # Every file of such a set is refused, each naming the others, so the owner decides which one is meant.
    by_id: dict[str, list[str]] = {}
    for f in files:
        by_id.setdefault(f.company_id, []).append(f.file)
    out = []
    for f in files:
        others = [name for name in by_id[f.company_id] if name != f.file]
        if others:
            error = ProfileError(
                f.file,
                1,
                "(file name)",
                f"company id {f.company_id!r} is also the id of {', '.join(others)}: keep one file",
            )
            out.append(ProfileFile(f.company_id, f.file, f.data_hash, None, error))
        else:
            out.append(f)
    return out


def _flag_duplicate_business_numbers(files: list[ProfileFile]) -> list[ProfileFile]:
    # Two files for one company would double its alerts: the later file (by name) is reported, the first kept.
    seen: dict[str, str] = {}
    out = []
    for f in files:
        if f.profile is not None and f.profile.business_no in seen:
            error = ProfileError(
                f.file, None, "business_no", f"the same 사업자등록번호 as {seen[f.profile.business_no]}"
            )
            out.append(ProfileFile(f.company_id, f.file, f.data_hash, None, error))
            continue
        if f.profile is not None:
            seen[f.profile.business_no] = f.file
        out.append(f)
    return out


# ---------------------------------------------------------------------------------------------------------------------
# Frames the matching reads (one row per company; one row per company license)

PROFILE_SCHEMA = {
    "company_id": pl.String,
    "name": pl.String,
    "sido": pl.String,
    "sigungu": pl.String,
    "size": pl.String,
    "capacity_won": pl.Int64,
    "largest_past_contract": pl.Int64,
    "categories": pl.List(pl.String),
    "include_keywords": pl.List(pl.String),
    "exclude_keywords": pl.List(pl.String),
    "profile_text": pl.String,
    "designations": pl.List(pl.String),  # 공고번호 it was designated for (지명경쟁)
    "products": pl.List(pl.String),  # 물품분류번호 registered (8 digits); NULL = not stated
    "manufactured": pl.List(pl.String),  # those registered as 제조
}
LICENSE_SCHEMA = {
    "company_id": pl.String,
    "license_code": pl.String,
    "license_name": pl.String,
    "main_fields": pl.List(pl.String),
}


def profile_text(profile: CompanyProfile) -> str:
    """The text relevance is scored against: keywords, description, past contract titles and license names."""
    parts = [*profile.keywords.include, profile.description, *(c.title for c in profile.track_record)]
    parts += [lic.name for lic in profile.licenses]
    return "\n".join(p for p in parts if p)


def profiles_frame(profiles: list[tuple[str, CompanyProfile]]) -> pl.DataFrame:
    rows = [
        {
            "company_id": company_id,
            "name": p.name,
            "sido": p.location.sido,
            "sigungu": p.location.sigungu,
            "size": p.size,
            "capacity_won": p.capacity_won,
            "largest_past_contract": p.largest_past_contract,
            "categories": list(p.categories),
            "include_keywords": list(p.keywords.include),
            "exclude_keywords": list(p.keywords.exclude),
            "profile_text": profile_text(p),
            "designations": list(p.designations),
            "products": None if p.products is None else [x.code[:8] for x in p.products],
            "manufactured": None if p.products is None else [x.code[:8] for x in p.products if x.manufacturer],
        }
        for company_id, p in profiles
    ]
    return pl.DataFrame(rows, schema=PROFILE_SCHEMA)


def licenses_frame(profiles: list[tuple[str, CompanyProfile]]) -> pl.DataFrame:
    rows = [
        {"company_id": company_id, "license_code": lic.code, "license_name": lic.name, "main_fields": lic.main_fields}
        for company_id, p in profiles
        for lic in p.licenses
    ]
    return pl.DataFrame(rows, schema=LICENSE_SCHEMA)


def profile_to_json(profile: CompanyProfile) -> str:
    return json.dumps(profile.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)


def profile_from_json(text: str) -> CompanyProfile:
    return CompanyProfile.model_validate_json(text)
