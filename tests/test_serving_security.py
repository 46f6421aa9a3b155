"""The serving layer attacked as a stranger on the internet would (issue 26), against the production shape: a
reverse proxy in front (a real one, in this process, forwarding over HTTP like Caddy), the real app over HTTP,
and PostgreSQL behind as the API's own role."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import yaml

from bidradar.core import warehouse
from tests import serving_data
from tests.serving_data import TOKENS

REPO = Path(__file__).resolve().parents[1]
PROXY_OUT = "127.0.0.3"  # the address the proxy connects to the API from: the one API_TRUSTED_PROXIES names
SECURITY_HEADERS = ("x-content-type-options", "x-frame-options", "content-security-policy", "referrer-policy")


def reverse_proxy(upstream: str, scheme: str = "http") -> Any:
    """A reverse proxy as an ASGI app: forwards every request to `upstream` from PROXY_OUT and appends the peer's
    address to X-Forwarded-For (what nginx's $proxy_add_x_forwarded_for does: a client's own header is kept in
    front, so the API must read the list from the right); X-Forwarded-Proto says `scheme`, as if TLS ended here."""
    client = httpx.AsyncClient(base_url=upstream, transport=httpx.AsyncHTTPTransport(local_address=PROXY_OUT))

    async def app(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = [(k.decode(), v.decode()) for k, v in scope["headers"] if k not in (b"host", b"x-forwarded-for")]
        forwarded = [v.decode() for k, v in scope["headers"] if k == b"x-forwarded-for"]
        headers.append(("x-forwarded-for", ", ".join([*forwarded, scope["client"][0]])))
        headers.append(("x-forwarded-proto", scheme))
        url = scope["path"] + ("?" + scope["query_string"].decode() if scope["query_string"] else "")
        answer = await client.request(scope["method"], url, headers=headers, content=body)
        passed = [(k.encode(), v.encode()) for k, v in answer.headers.multi_items() if k != "content-length"]
        await send({"type": "http.response.start", "status": answer.status_code, "headers": passed})
        await send({"type": "http.response.body", "body": answer.content})

    return app


@contextmanager
def client_from(base_url: str, address: str, **kwargs: Any) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=base_url, transport=httpx.HTTPTransport(local_address=address), timeout=30, **kwargs
    ) as client:
        yield client


@pytest.fixture
def behind_proxy(sqlite_url: str) -> Iterator[tuple[str, str]]:
    """(API URL, proxy URL): the API trusts the proxy; 5 requests a minute per client, 2 sign-ins."""
    settings = {"api_rate_limit": "5/minute", "api_signin_rate_limit": "2/minute", "api_trusted_proxies": [PROXY_OUT]}
    with serving_data.served_warehouse(sqlite_url, **settings) as (api_url, _app):  # noqa: SIM117 (needs api_url)
        with serving_data.serve(reverse_proxy(api_url)) as proxy_url:
            yield api_url, proxy_url


def test_limits_count_per_client_behind_a_trusted_proxy(behind_proxy: tuple[str, str]) -> None:
    _, proxy_url = behind_proxy
    with client_from(proxy_url, "127.0.0.1") as one, client_from(proxy_url, "127.0.0.2") as two:
        # One client's budget is shared by every route it calls ...
        assert [one.get(path).status_code for path in ("/api/stats", "/api/notices", "/", "/signin", "/api/stats")] == [
            200
        ] * 5
        limited = one.get("/api/notices/R26BK00000001")
        assert limited.status_code == 429 and limited.headers["retry-after"]
        assert all(h in limited.headers for h in SECURITY_HEADERS)
        # ... and naming another address in X-Forwarded-For does not buy a new one: the proxy's entry counts.
        assert one.get("/api/stats", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 429
        # The other client, through the same proxy, has its own.
        assert two.get("/api/stats").status_code == 200
        # Signed in, a client counts as its company, wherever it calls from: hanbit's 5 are hanbit's.
        hanbit = {"Authorization": f"Bearer {TOKENS['hanbit']}"}
        statuses = [c.get("/api/board", headers=hanbit).status_code for c in (one, two, one, two, one, two)]
        assert statuses == [200, 200, 200, 200, 200, 429]
        assert two.get("/api/stats").status_code == 200  # its own address still has room
        # A made-up token is no new identity: it counts as the address.
        forged = {"Authorization": "Bearer made-up-token-1"}
        assert one.get("/api/stats", headers=forged).status_code == 429


def test_x_forwarded_for_from_an_untrusted_hop_is_ignored(behind_proxy: tuple[str, str]) -> None:
    api_url, _ = behind_proxy
    # Straight to the API from an address that is no trusted proxy: each request names a new client, all count as one.
    with client_from(api_url, "127.0.0.4") as direct:
        statuses = [
            direct.get("/api/stats", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(6)
        ]
    assert statuses == [200] * 5 + [429]
    # From 127.0.0.1 too (uvicorn on its own would believe that hop).
    with client_from(api_url, "127.0.0.1") as local:
        statuses = [
            local.get("/api/stats", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(6)
        ]
    assert statuses == [200] * 5 + [429]


def test_signin_has_its_own_stricter_limit(behind_proxy: tuple[str, str]) -> None:
    _, proxy_url = behind_proxy
    with client_from(proxy_url, "127.0.0.2") as guesser:
        csrf = serving_data.csrf_token(guesser.get("/signin"))
        tries = [guesser.post("/signin", data={"token": f"guess-{i}", "csrf": csrf}).status_code for i in range(3)]
    assert tries == [401, 401, 429]


def test_sessions_are_random_stored_hashed_rotated_and_revoked(database_url: str) -> None:
    with serving_data.served_warehouse(database_url) as (url, _app), httpx.Client(base_url=url) as browser:
        csrf = serving_data.csrf_token(browser.get("/signin"))
        # No CSRF token, or another one: refused, no session.
        assert browser.post("/signin", data={"token": TOKENS["hanbit"]}).status_code == 403
        assert browser.post("/signin", data={"token": TOKENS["hanbit"], "csrf": "x" * 43}).status_code == 403
        assert "bidradar_session" not in browser.cookies
        first = browser.post("/signin", data={"token": TOKENS["hanbit"], "csrf": csrf})
        assert first.status_code == 303
        session = browser.cookies["bidradar_session"]
        assert TOKENS["hanbit"] not in first.headers["set-cookie"] and len(session) == 43
        assert browser.get("/board").status_code == 200
        # Stored as its hash only, with an expiry.
        engine = warehouse.make_engine(database_url)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT session_hash, company_id, expires_at FROM api_sessions")).all()
        assert [r.company_id for r in rows] == ["hanbit"] and session not in {r.session_hash for r in rows}
        # Signing in again rotates: the old id is dead, a new one works.
        browser.post("/signin", data={"token": TOKENS["hanbit"], "csrf": csrf})
        rotated = browser.cookies["bidradar_session"]
        assert rotated != session
        with httpx.Client(base_url=url, cookies={"bidradar_session": session}) as thief:
            assert thief.get("/board").status_code == 303
        # Signing out needs the CSRF token, and revokes the session server-side (a copied cookie stops working).
        assert browser.post("/signout").status_code == 403
        assert browser.post("/signout", data={"csrf": csrf}).status_code == 303
        with httpx.Client(base_url=url, cookies={"bidradar_session": rotated}) as thief:
            assert thief.get("/board").status_code == 303
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM api_sessions")).scalar_one() == 0
        engine.dispose()


def test_the_session_cookie_is_secure_over_https(sqlite_url: str) -> None:
    with serving_data.served_warehouse(sqlite_url, api_trusted_proxies=[PROXY_OUT]) as (api_url, _app):  # noqa: SIM117
        with (
            serving_data.serve(reverse_proxy(api_url, "https")) as proxy_url,
            client_from(proxy_url, "127.0.0.1") as browser,
        ):
            page = browser.get("/signin")
            assert "secure" in page.headers["set-cookie"].lower()  # the CSRF cookie
            # httpx keeps Secure cookies off plain http: hand them over as the browser on https would.
            csrf = serving_data.csrf_token(page)
            signed = browser.post(
                "/signin", data={"token": TOKENS["daesung"], "csrf": csrf}, headers={"Cookie": f"bidradar_csrf={csrf}"}
            )
            cookie = next(c for c in signed.headers.get_list("set-cookie") if c.startswith("bidradar_session="))
            assert {"secure", "httponly", "samesite=lax"} <= {p.strip().lower() for p in cookie.split(";")}


def price_cursor(value: int) -> str:
    raw = json.dumps(["price_desc", value, "R26BK00000001"]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_every_bad_input_is_a_4xx_problem_with_the_security_headers(database_url: str) -> None:
    with serving_data.served_warehouse(database_url) as (url, _app), httpx.Client(base_url=url, timeout=30) as api:
        answers = {
            "cursor beyond int64": api.get(
                "/api/notices", params={"sort": "price_desc", "cursor": price_cursor(2**70)}
            ),
            "30-digit amount_min": api.get("/api/notices", params={"amount_min": "9" * 30}),
            "30-digit amount on the page": api.get("/", params={"amount_min": "9" * 30}),
            "cursor beyond int64 on the page": api.get(
                "/", params={"sort": "price_desc", "cursor": price_cursor(-(2**70))}
            ),
            "6 fields on /signin": api.post(
                "/signin",
                content="&".join(f"f{i}=x" for i in range(6)),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ),
            "a form that is no UTF-8": api.post(
                "/signin", content=b"token=%ff\xff", headers={"Content-Type": "application/x-www-form-urlencoded"}
            ),
            "a big form": api.post("/signin", content=b"token=" + b"x" * 100_000),
            "64 KB of headers": api.get("/api/stats", headers={"X-Filler": "x" * 65_536}),
        }
        for what, answer in answers.items():
            assert answer.status_code < 500, what
            assert all(h in answer.headers for h in SECURITY_HEADERS), what
            if answer.headers["content-type"].startswith("application/json"):
                assert isinstance(answer.json()["detail"], (str, list)), what
        assert answers["cursor beyond int64"].status_code == 422
        assert answers["30-digit amount_min"].status_code == 422
        assert answers["30-digit amount on the page"].status_code == 400
        assert "1,000조" in answers["30-digit amount on the page"].text
        assert answers["cursor beyond int64 on the page"].status_code == 400
        assert answers["6 fields on /signin"].status_code == 400
        assert answers["a big form"].status_code == 413
        assert answers["64 KB of headers"].status_code == 431
        assert api.get("/api/stats", headers={"X-Filler": "x" * 8_000}).status_code == 200


def test_a_server_error_is_a_problem_with_the_security_headers(tmp_path: Path) -> None:
    """A warehouse that was never migrated: the routes fail inside, the answer is still ours."""
    from bidradar.core.settings import ApiSettings, load_settings
    from serving.api import create_app

    app = create_app(load_settings(ApiSettings, database_url=f"sqlite:///{tmp_path / 'empty.db'}"))
    with serving_data.serve(app) as url:
        answer = httpx.get(f"{url}/api/stats")
    assert answer.status_code == 500 and answer.json() == {
        "detail": "internal error: the operator's log has the details"
    }
    assert all(h in answer.headers for h in SECURITY_HEADERS) and "Traceback" not in answer.text
    app.state.warehouse.engine.dispose()


@pytest.mark.postgres
def test_the_api_role_is_refused_everything_but_reading(postgres_url: str) -> None:
    engine = warehouse.make_engine(postgres_url)
    warehouse.migrate(engine)
    reader = warehouse.make_engine(serving_data.reader_url(postgres_url))
    refused = {
        "a temporary table": "CREATE TEMP TABLE scratch (i int)",
        "a table": "CREATE TABLE public.scratch (i int)",
        "a write": "DELETE FROM bid_notices",
        "a large object": "SELECT lo_create(0)",
        "a large object from bytes": "SELECT lo_from_bytea(0, 'x')",
        "the writers' advisory lock": "SELECT pg_advisory_lock(1)",
        "a try of it": "SELECT pg_try_advisory_lock(1)",
        "a transaction advisory lock": "SELECT pg_advisory_xact_lock(1)",
        "a shared advisory lock": "SELECT pg_try_advisory_lock_shared(1)",
        "a table the API does not read": "SELECT count(*) FROM alert_outbox",
        "the proxy's audit": "SELECT count(*) FROM llm_proxy_calls",
        "the raw pages": "SELECT count(*) FROM g2b_raw_pages",
    }
    for what, statement in refused.items():
        with reader.connect() as conn, conn.begin():
            conn.exec_driver_sql("SET TRANSACTION READ WRITE")
            with pytest.raises(sa.exc.DBAPIError) as error:
                conn.exec_driver_sql(statement)
        assert "permission denied" in str(error.value.orig), what
    with reader.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM bid_notices").scalar_one() == 0
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar_one() == "5s"
        assert conn.exec_driver_sql("SHOW default_transaction_read_only").scalar_one() == "on"
    with engine.connect() as conn:
        limit = conn.exec_driver_sql("SELECT rolconnlimit FROM pg_roles WHERE rolname = 'bidradar_reader'").scalar_one()
        # Only the granted roles connect to the warehouse: PUBLIC (any other role of the server) may not.
        acl = conn.exec_driver_sql(
            "SELECT datacl::text FROM pg_database WHERE datname = current_database()"
        ).scalar_one()
    assert 0 < limit <= 40
    assert "bidradar_reader=c/" in acl and not any(entry.startswith("=") for entry in acl.strip("{}").split(","))
    reader.dispose()
    engine.dispose()


def test_the_compose_file_publishes_only_the_web_ports() -> None:
    compose = yaml.safe_load((REPO / "docker-compose.pi.yml").read_text(encoding="utf-8"))
    published = {}
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            published.setdefault(name, []).append(str(port))
    assert set(published) == {"caddy"}, published
    for port in published["caddy"]:
        host_side = port.rsplit(":", 1)[0]
        assert host_side in ("80", "443") or host_side.startswith("127.0.0.1:"), port
    # The API believes X-Forwarded-For only from Caddy's fixed address.
    api_env = {**compose["x-bidradar"]["environment"], **compose["services"]["api"].get("environment", {})}
    caddy_address = compose["services"]["caddy"]["networks"]["default"]["ipv4_address"]
    assert api_env["API_TRUSTED_PROXIES"] == caddy_address


HOSTILE = [
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "99999-01-01",
    "2026-13-01",
    "9" * 30,
    "-" + "9" * 30,
    "1e400",
    "-1",
    "\x00",
    "a" * 5_000,
    "\ufffd\u200b",
    "' OR 1=1 --",
    price_cursor(2**64),
]


def test_the_dashboard_answers_hostile_values_without_a_server_error(database_url: str) -> None:
    """The pages are outside the OpenAPI schema, so schemathesis never sees them: every filter field of the list
    and its rows, and the notice path, with values that broke something once or could."""
    fields = ["q", "category", "agency", "region", "amount_min", "amount_max", "deadline_from", "deadline_to"]
    fields += ["status", "sort", "cursor"]
    settings = {"api_rate_limit": "1000000/minute"}
    with serving_data.served_warehouse(database_url, **settings) as (url, _app), httpx.Client(base_url=url) as client:
        failures = []
        for path in ("/", "/partials/notices"):
            for field in fields:
                for value in HOSTILE:
                    params = {field: value, **({"sort": "price_desc"} if field == "cursor" else {})}
                    if client.get(path, params=params).status_code >= 500:
                        failures.append((path, field, value[:40]))
        for value in ("..%2F..%2Fetc%2Fpasswd", "R26BK00000001%00", "%ED%A0%80", "a" * 300):
            for path in ("/notices/", "/api/notices/"):
                if client.get(path + value).status_code >= 500:
                    failures.append((path, value[:40]))
        assert client.get("/signin", params={"next": "\x00//evil.example"}).status_code == 200
    assert not failures


def test_signing_in_never_sends_the_browser_to_another_site(sqlite_url: str) -> None:
    nexts = ["//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "https://evil.example"]
    nexts += ["/%2F/evil.example", "\x00//evil.example", " //evil.example"]
    with serving_data.served_warehouse(sqlite_url) as (url, _app), httpx.Client(base_url=url) as browser:
        csrf = serving_data.csrf_token(browser.get("/signin"))
        for target in nexts:
            answer = browser.post("/signin", data={"token": TOKENS["hanbit"], "csrf": csrf, "next": target})
            location = answer.headers["location"]
            assert answer.status_code == 303 and location.startswith("/"), (target, location)
            assert not location.startswith(("//", "/\\")) and httpx.URL(url).join(location).host == "127.0.0.1"
            assert not any(c in location for c in "\t\n\r\x00 "), (target, location)
