"""Dashboard sessions and CSRF tokens (docs/serving.md: Access).

Signing in with the company's token opens a session: a random id in the cookie, only its sha256 in api_sessions
(migration 0017) with the company and the expiry. Signing in again replaces the session the browser had (rotation),
signing out deletes it (revocation), and a session ends at its expiry or when its company's token is removed from
the profile. These are the only rows the API writes, each in a short read-write transaction of its own.

Forms that change state (sign in, sign out) carry a CSRF token: a random value in a cookie of its own (HttpOnly,
SameSite=Lax) that the page also puts in the form; a POST whose form value differs from the cookie is refused
(double submit: another site can make the browser send the cookie, but cannot read it to fill the form).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from fastapi import Request, Response
from sqlalchemy.engine import Connection

from serving.api import db

SESSION_COOKIE = "bidradar_session"
CSRF_COOKIE = "bidradar_csrf"
CSRF_FIELD = "csrf"
SECRET_CHARS = 43  # secrets.token_urlsafe(32)
CSRF_MAX_AGE = 7 * 24 * 3600


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def well_formed(secret: str | None) -> bool:
    """A value this module could have made (random ids are 43 URL-safe characters)."""
    return (
        secret is not None
        and len(secret) == SECRET_CHARS
        and all(c.isascii() and (c.isalnum() or c in "-_") for c in secret)
    )


@contextmanager
def _writing(warehouse: db.Warehouse) -> Iterator[Connection]:
    """A read-write transaction on the API's connection (its role's transactions are read-only by default)."""
    with warehouse.engine.connect() as conn, conn.begin():
        if warehouse.dialect == "postgresql":
            conn.exec_driver_sql("SET TRANSACTION READ WRITE")
        yield conn


def open_session(warehouse: db.Warehouse, company_id: str, now: dt.datetime, hours: int, replaces: str | None) -> str:
    """A new session of the company (ending the one the browser had, and any expired ones); its id, once."""
    session_id = secrets.token_urlsafe(32)
    s = db.api_sessions
    with _writing(warehouse) as conn:
        ended = [s.c.expires_at <= now]
        if well_formed(replaces):
            ended.append(s.c.session_hash == digest(replaces))  # type: ignore[arg-type]
        conn.execute(sa.delete(s).where(sa.or_(*ended)))
        conn.execute(
            sa.insert(s).values(
                session_hash=digest(session_id),
                company_id=company_id,
                created_at=now,
                expires_at=now + dt.timedelta(hours=hours),
            )
        )
    return session_id


def close_session(warehouse: db.Warehouse, session_id: str | None) -> None:
    if well_formed(session_id):
        with _writing(warehouse) as conn:
            conn.execute(sa.delete(db.api_sessions).where(db.api_sessions.c.session_hash == digest(session_id)))  # type: ignore[arg-type]


def session_company_id(conn: Connection, session_id: str | None, now: dt.datetime) -> str | None:
    """The company of a live session (None: no such session, or it expired)."""
    if not well_formed(session_id):
        return None
    s = db.api_sessions
    query = sa.select(s.c.company_id).where(s.c.session_hash == digest(session_id), s.c.expires_at > now)  # type: ignore[arg-type]
    return conn.execute(query).scalar_one_or_none()


def csrf_matches(cookie: str | None, submitted: str | None) -> bool:
    return well_formed(cookie) and well_formed(submitted) and hmac.compare_digest(cookie, submitted)  # type: ignore[arg-type]


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int, samesite: str) -> None:
    """An HttpOnly cookie for the whole site, Secure when the request came over HTTPS (directly or from a trusted
    proxy's X-Forwarded-Proto) or API_COOKIE_SECURE says so."""
    secure = request.url.scheme == "https" or request.app.state.settings.api_cookie_secure
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite=samesite, secure=secure, path="/")  # type: ignore[arg-type]
