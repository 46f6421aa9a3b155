"""The read-only API and dashboard of bidradar (`bidradar serve-api`): see docs/serving.md.

main.py builds the app from the routers of routes/ (one module per area) and the shared dependencies of deps.py."""

from serving.api.main import create_app

__all__ = ["create_app"]
