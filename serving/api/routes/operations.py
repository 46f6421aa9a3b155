"""For the operator: /healthz (one query in a snapshot) and /metrics (Prometheus). Both are exempt from the
rate limits (main.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response

from serving.api import db, models

router = APIRouter(tags=["operations"])


@router.get(
    "/healthz",
    response_model=models.Health,
    responses={503: {"model": models.Problem, "description": "the database is unreachable"}},
)
def healthz(request: Request) -> Any:
    """Checks the database with one query in a snapshot."""
    warehouse: db.Warehouse = request.app.state.warehouse
    try:
        with warehouse.snapshot() as conn:
            warehouse.versions(conn, ("bid_notices",))
    except Exception as error:
        raise HTTPException(503, f"database unreachable: {type(error).__name__}") from None
    return {"status": "ok", "database": warehouse.dialect}


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
def metrics(request: Request) -> Response:
    """Request counts and latencies per route, in the Prometheus text format."""
    registry, render, content_type = request.app.state.metrics
    return Response(render(registry), media_type=content_type)
