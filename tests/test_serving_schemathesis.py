"""Schemathesis against the API's own OpenAPI schema, over HTTP to a real server on both backends: valid and
invalid inputs, with and without a company token. Zero server errors, and every answer matches the schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests import serving_data

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.mark.slow
def test_no_server_errors_and_answers_match_the_schema(database_url: str) -> None:
    with serving_data.served_warehouse(database_url, api_rate_limit="1000000/minute") as (url, _app):
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
        tested = 0
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                for headers in ({}, {"Authorization": f"Bearer {serving_data.TOKENS['hanbit']}"}):
                    run(operation, mode, headers, url)
                    tested += 1
        assert tested >= 7 * 4


def run(operation: schemathesis.APIOperation, mode: GenerationMode, headers: dict[str, str], url: str) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=25, deadline=None, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck)
    )
    def check(case: schemathesis.Case) -> None:
        if headers and not (case.headers or {}).get("Authorization"):
            case.headers = {**(case.headers or {}), **headers}
        case.call_and_validate(base_url=url, checks=CHECKS, timeout=30)

    try:
        check()
    except Unsatisfiable:
        # An operation without parameters (/healthz, /api/stats) has no invalid input to generate.
        assert mode == GenerationMode.NEGATIVE and not operation.query and not operation.path_parameters
