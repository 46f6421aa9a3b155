"""A Claude-compatible masking proxy: Claude Code and the Anthropic SDKs talk to it, no identifier leaves.

    bidradar llm-proxy --port 8787
    ANTHROPIC_BASE_URL=http://127.0.0.1:8787 claude

See docs/llm-proxy.md for what is masked, the threat model and running several replicas.
"""

from __future__ import annotations

from serving.llm_proxy.app import ProxyConfig, api_error, create_app
from serving.llm_proxy.memory import RememberedStore
from serving.llm_proxy.observability import AuditWriter, CallRecord, Metrics
from serving.llm_proxy.request_masking import MaskedRequest, RequestRefused, mask_request

PROXY_KEY_CONTEXT = "llm-proxy"  # the proxy's masking key is derived from the master secret under this name

__all__ = [
    "PROXY_KEY_CONTEXT",
    "AuditWriter",
    "CallRecord",
    "MaskedRequest",
    "Metrics",
    "ProxyConfig",
    "RequestRefused",
    "api_error",
    "app_from_settings",
    "create_app",
    "mask_request",
]


def app_from_settings(settings, *, audit: bool | None = None):  # type: ignore[no-untyped-def]
    """The proxy app as configured by the settings (upstream, key, audit into the warehouse)."""
    from bidradar.core import warehouse
    from bidradar.masking.keys import company_key, master_secret

    metrics = Metrics()
    writer = store = None
    if settings.llm_proxy_audit if audit is None else audit:  # the warehouse is the proxy's: audit and memory
        warehouse.migrate(warehouse.make_engine(settings.database_url))
        writer = AuditWriter(settings.database_url, metrics)
        store = RememberedStore(settings.database_url)
    config = ProxyConfig(
        upstream_url=settings.anthropic_upstream_url,
        key=company_key(master_secret(settings), PROXY_KEY_CONTEXT),
        allow_binary=settings.llm_proxy_allow_binary,
        timeout_seconds=settings.llm_proxy_timeout_seconds,
        audit=writer,
        metrics=metrics,
        remembered_store=store,
    )
    return create_app(config)
