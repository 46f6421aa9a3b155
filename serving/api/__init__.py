"""The read-only API and dashboard of bidradar (`bidradar serve-api`): see docs/serving.md."""

from serving.api.app import create_app

__all__ = ["create_app"]
