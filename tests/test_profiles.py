"""Company profiles: the shipped examples load, errors name file, line and field, one bad file spares the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bidradar.matching import profiles
from bidradar.matching.profiles import CompanyProfile, business_no_check_digit, load_profiles, parse_profile

SHIPPED = Path(__file__).resolve().parents[1] / "profiles"

VALID = """\
name: 테스트정보(주)
business_no: 220-81-62517
licenses:
  - code: "1468"
    name: 소프트웨어사업자
location:
  sido: 서울특별시
  sigungu: 강남구
size: 소기업
capacity_won: 500000000
categories: [services]
"""


def test_shipped_examples_are_valid_and_use_the_simulator_vocabulary() -> None:
    from bidradar.ingestion.simulator.vocab import LICENSES, REGIONS

    loaded = load_profiles(SHIPPED)
    assert loaded.errors == []
    assert {p.company_id for p in loaded.profiles} == {"hanbit-soft", "daesung-electric"}
    codes = {code for rows in LICENSES.values() for _, code in rows}
    for p in loaded.profiles:
        assert {lic.code for lic in p.profile.licenses} <= codes
        assert p.profile.location.sido in REGIONS
        assert p.profile.location.sigungu in REGIONS[p.profile.location.sido]


def test_business_no_checksum() -> None:
    assert business_no_check_digit("220816251") == 7
    assert isinstance(parse_profile(VALID, "ok.yaml"), CompanyProfile)
    error = parse_profile(VALID.replace("220-81-62517", "220-81-62518"), "bad.yaml")
    assert isinstance(error, profiles.ProfileError)
    assert (error.file, error.line, error.field) == ("bad.yaml", 2, "business_no")
    assert "checksum" in error.message and "7" in error.message
    short = parse_profile(VALID.replace("220-81-62517", "12345"), "short.yaml")
    assert isinstance(short, profiles.ProfileError) and "10 digits" in short.message


@pytest.mark.parametrize(
    ("change", "line", "field", "words"),
    [
        (
            ("    name: 소프트웨어사업자", "    name: 소프트웨어사업자\n    grade: A"),
            6,
            "licenses[0].grade",
            "unknown field",
        ),
        (('  - code: "1468"', '  - code: "14x8"'), 4, "licenses[0].code", "pattern"),
        (("  sido: 서울특별시", "  sido: 서울나라"), 7, "location.sido", "a 시도 name"),
        (("categories: [services]", "categories: [services, software]"), 11, "categories[1]", "goods"),
        (("categories: [services]\n", ""), None, "categories", "required field is missing"),
        (("size: 소기업", "size: 영세"), 9, "size", "소상공인"),
        (("capacity_won: 500000000", "capacity_won: -1"), 10, "capacity_won", "greater than 0"),
    ],
)
def test_errors_name_file_line_and_field(change: tuple[str, str], line: int | None, field: str, words: str) -> None:
    text = VALID.replace(*change)
    assert text != VALID
    error = parse_profile(text, "acme.yaml")
    assert isinstance(error, profiles.ProfileError), error
    assert error.field == field
    if line is not None:
        assert error.line == line
    else:  # a missing top-level field is reported on the document's first line
        assert error.line == 1
    assert words in error.message
    assert str(error).startswith(f"acme.yaml:{error.line}: {field}: ")


def test_yaml_syntax_error_has_its_line() -> None:
    error = parse_profile(VALID.replace("  sigungu: 강남구", "  sigungu: [강남구"), "broken.yaml")
    assert isinstance(error, profiles.ProfileError)
    assert error.field == "(yaml)" and error.line is not None and error.line >= 9


def test_secret_fields_are_checked_against_the_model_and_masked_for_llms() -> None:
    bad = parse_profile(VALID + "secret_fields: [business_no, password]\n", "s.yaml")
    assert isinstance(bad, profiles.ProfileError)
    assert bad.field == "secret_fields" and "password" in bad.message and bad.line == 12
    good = parse_profile(
        VALID
        + "alert_email: a@b.co.kr\napi_token_hash: sha256:"
        + "ab" * 32
        + "\nsecret_fields: [business_no, alert_email]\n",
        "s.yaml",
    )
    assert isinstance(good, CompanyProfile)
    view = good.llm_view()
    assert view["business_no"] == "[비공개]" and view["alert_email"] == "[비공개]"
    assert "api_token_hash" not in view and view["name"] == "테스트정보(주)"


def test_token_must_be_a_hash() -> None:
    error = parse_profile(VALID + "api_token_hash: my-secret-token\n", "t.yaml")
    assert isinstance(error, profiles.ProfileError) and error.field == "api_token_hash" and "sha256" in error.message


def test_an_invalid_file_is_reported_while_the_others_load(tmp_path: Path) -> None:
    for path in SHIPPED.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "broken-co.yaml").write_text(VALID.replace("size: 소기업", "size: 거대기업"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a profile", encoding="utf-8")
    loaded = load_profiles(tmp_path)
    assert {p.company_id for p in loaded.profiles} == {"hanbit-soft", "daesung-electric"}
    [error] = loaded.errors
    assert (error.file, error.line, error.field) == ("broken-co.yaml", 9, "size")


def test_same_business_no_twice_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(VALID, encoding="utf-8")
    loaded = load_profiles(tmp_path)
    assert [p.company_id for p in loaded.profiles] == ["a"]
    assert loaded.errors[0].file == "b.yaml" and "a.yaml" in loaded.errors[0].message


def test_two_files_for_one_company_id_are_refused_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "a.yml").write_text(VALID.replace("220-81-62517", "120-86-01234"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(VALID.replace("220-81-62517", "101-81-00001"), encoding="utf-8")
    loaded = load_profiles(tmp_path)
    assert [p.company_id for p in loaded.profiles] == ["b"]
    assert sorted(str(e) for e in loaded.errors) == [
        "a.yaml:1: (file name): company id 'a' is also the id of a.yml: keep one file",
        "a.yml:1: (file name): company id 'a' is also the id of a.yaml: keep one file",
    ]


def test_old_and_short_sido_names_are_accepted(tmp_path: Path) -> None:
    for name in ("서울", "서울시", "전라북도", "강원도", "전북"):
        assert not isinstance(
            parse_profile(VALID.replace("sido: 서울특별시", f"sido: {name}"), "a.yaml"), profiles.ProfileError
        )


def test_fingerprint_changes_when_a_file_changes(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID, encoding="utf-8")
    before = profiles.folder_fingerprint(tmp_path)
    assert profiles.folder_fingerprint(tmp_path) == before
    (tmp_path / "a.yaml").write_text(VALID.replace("500000000", "600000000"), encoding="utf-8")
    assert profiles.folder_fingerprint(tmp_path) != before
