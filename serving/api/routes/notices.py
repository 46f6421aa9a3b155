"""The public API of notices: the list (filtered, searched, keyset-paged), one notice, and the counts."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from pydantic_core import to_json
from sqlalchemy.engine import Connection

from serving.api import models, queries
from serving.api.deps import (
    NOTICE_NO_PATTERN,
    UNAUTHORIZED,
    ConnDep,
    Credentials,
    Text,
    company_of_credentials,
    in_snapshot,
    notice_filters,
)

router = APIRouter(prefix="/api", tags=["notices"])
KST_TIMES = ("registered_at", "bid_close_at", "opening_at")  # models.NoticeSummary's times

NOT_FOUND = {404: {"model": models.Problem, "description": "no such notice"}}
NOT_MODIFIED = {304: {"description": "unchanged since the ETag given in If-None-Match"}}


def _etag(request: Request, response: Response, conn: Connection, tables: tuple[str, ...], *extra: str) -> bool:
    """Set an ETag from the versions of the tables read (and the minute: a status moves with the clock);
    True when the client already has this version (answer 304)."""
    versions = request.app.state.warehouse.versions(conn, tables)
    minute = request.app.state.now().strftime("%Y%m%d%H%M")
    basis = "|".join([str(request.url.path), str(request.url.query), minute, *map(str, versions.values()), *extra])
    tag = f'W/"{hashlib.sha256(basis.encode()).hexdigest()[:20]}"'
    response.headers["ETag"] = tag
    return request.headers.get("if-none-match") == tag


@router.get("/notices", response_model=models.NoticePage, responses=NOT_MODIFIED)
async def list_notices(
    request: Request,
    response: Response,
    filters: Annotated[queries.NoticeFilters, Depends(notice_filters)],
    sort: Annotated[
        queries.Sort, Query(description="registered_desc (newest), close_asc, price_desc")
    ] = "registered_desc",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[Text, Query(max_length=400, description="next_cursor of the previous page")] = None,
) -> Any:
    """Notices, filtered and searched, a page at a time (keyset paging: stable while data is written)."""

    def read(conn: Connection) -> Any:
        if _etag(request, response, conn, ("bid_notices", "bid_results", "notice_region_limits")):
            return Response(status_code=304, headers=dict(response.headers))
        response.headers["Cache-Control"] = "no-cache"
        page = queries.list_notices(
            conn, filters, sort, limit, cursor, request.app.state.now(), request.app.state.warehouse
        )
        # The page serialized here as models.NoticePage would give it (times in KST with their offset), by
        # pydantic's own JSON writer: validating 50 items against the model first cost ~0.4 ms of CPU a request,
        # 15% of the list's. test_serving_schemathesis checks the answers against the schema.
        for item in page["items"]:
            for name in KST_TIMES:
                if item[name] is not None:
                    item[name] = models.with_kst(item[name])
        return Response(to_json(page), media_type="application/json", headers=dict(response.headers))

    return await in_snapshot(request, read)


@router.get(
    "/notices/{notice_no}",
    response_model=models.NoticeDetail,
    responses={**NOT_FOUND, **UNAUTHORIZED},
)
async def notice_detail(
    request: Request,
    response: Response,
    notice_no: Annotated[str, PathParam(pattern=NOTICE_NO_PATTERN, description="공고번호, e.g. R26BK01706792")],
    credentials: Credentials,
) -> Any:
    """Everything known of one notice; with a company token also its eligibility, relevance and (Pro) the
    recommendation and analysis."""

    def read(conn: Connection) -> Any:
        company = company_of_credentials(request, conn, credentials)
        warehouse = request.app.state.warehouse
        detail = queries.notice_detail(conn, warehouse, notice_no, request.app.state.now())
        if detail is None:
            raise HTTPException(404, f"no notice {notice_no}")
        notice = detail["notice"]
        detail["notice"] = {k: models.with_kst(v) if isinstance(v, dt.datetime) else v for k, v in notice.items()}
        detail["company"] = None
        if company is not None:
            detail["company"] = queries.company_notice(conn, warehouse, company, notice_no)
            response.headers["Cache-Control"] = "private, no-store"
        response.headers["Vary"] = "Authorization"
        return detail

    return await in_snapshot(request, read)


@router.get("/stats", response_model=models.Stats)
def stats(request: Request, conn: ConnDep) -> Any:
    """Counts of the warehouse: notices, open ones by category, closing today, results, companies."""
    return queries.stats(conn, request.app.state.now())
