"""What bidradar computed for the company of the bearer token: its matches and its board."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from serving.api import models, queries
from serving.api.deps import UNAUTHORIZED, ConnDep, RequiredCompany

router = APIRouter(prefix="/api", tags=["company"], responses=UNAUTHORIZED)


@router.get("/companies/me/matches", response_model=models.MatchPage)
def my_matches(
    request: Request,
    response: Response,
    conn: ConnDep,
    company: RequiredCompany,
    stage: Annotated[models.Stage | None, Query(description="only this board stage")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Any:
    """The company's matches (eligible, or unknown: to be checked), most relevant first."""
    response.headers["Cache-Control"] = "private, no-store"
    return queries.company_matches(
        conn, request.app.state.warehouse, company, request.app.state.now(), stage, limit, offset
    )


@router.get("/board", response_model=models.Board)
def board(
    request: Request,
    response: Response,
    conn: ConnDep,
    company: RequiredCompany,
    per_stage: Annotated[int, Query(ge=1, le=200)] = 30,
) -> Any:
    """The company's matches grouped by stage: new, eligible, closing within 3 days, closed awaiting
    opening, opened with result."""
    response.headers["Cache-Control"] = "private, no-store"
    return queries.board(conn, request.app.state.warehouse, company, request.app.state.now(), per_stage)
