"""What bidradar computed for the company of the bearer token: its matches and its board."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from serving.api import models, queries
from serving.api.deps import UNAUTHORIZED, ConnDep, RequiredCompany, Text, Time

router = APIRouter(prefix="/api", tags=["company"], responses=UNAUTHORIZED)


def match_filters(
    verdict: Annotated[
        models.ShownVerdict | None, Query(description="eligible 참가 가능, conditional 조건부, unknown 확인 필요")
    ] = None,
    category: Annotated[
        queries.Category | None, Query(description="goods 물품, services 용역, construction 공사, foreign 외자")
    ] = None,
    deadline_from: Annotated[Time, Query(description="입찰마감 at or after (KST)")] = None,
    deadline_to: Annotated[Time, Query(description="입찰마감 at or before (KST; a date alone: that whole day)")] = None,
) -> queries.MatchFilters:
    return queries.MatchFilters(
        verdict=verdict, category=category, deadline_from=deadline_from, deadline_to=deadline_to
    )


Filters = Annotated[queries.MatchFilters, Depends(match_filters)]


@router.get("/companies/me/matches", response_model=models.MatchPage)
def my_matches(
    request: Request,
    response: Response,
    conn: ConnDep,
    company: RequiredCompany,
    filters: Filters,
    stage: Annotated[models.Stage | None, Query(description="only this board stage")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[Text, Query(max_length=400, description="next_cursor of the previous page")] = None,
) -> Any:
    """The company's matches (eligible, conditional, or unknown: to be checked), most relevant first, a page at a
    time (keyset paging)."""
    response.headers["Cache-Control"] = "private, no-store"
    filters = queries.MatchFilters(**{**filters.__dict__, "stage": stage})
    return queries.company_matches(conn, company, request.app.state.now(), filters, limit, cursor)


@router.get("/board", response_model=models.Board)
def board(
    request: Request,
    response: Response,
    conn: ConnDep,
    company: RequiredCompany,
    filters: Filters,
    per_stage: Annotated[int, Query(ge=1, le=200)] = 30,
) -> Any:
    """The company's matches grouped by stage: new, open, closing within 3 days, closed awaiting opening, opened
    with result; each column's count, and the count of each verdict."""
    response.headers["Cache-Control"] = "private, no-store"
    return queries.board(conn, company, request.app.state.now(), per_stage, filters)
