"""The serving commands: the read-only API and dashboard, the Claude masking proxy, and `mask`."""

from __future__ import annotations

import sys

import typer

from bidradar.core.settings import ApiSettings, PipelineSettings, ProxySettings, redact_url
from orchestration.cli.common import app, fail, load, port_is_free


@app.command("serve-api")
def serve_api(
    port: int = typer.Option(8000, help="port to listen on"),
    host: str = typer.Option("127.0.0.1", help="address to bind (0.0.0.0 to serve the network)"),
    workers: int = typer.Option(1, min=1, max=16, help="worker processes (each with its own connection pool)"),
) -> None:
    """Serve the read-only API and the dashboard (http://HOST:PORT/, API docs at /docs) until Ctrl+C."""
    import uvicorn

    from serving.api.db import Warehouse
    from serving.api.main import SERVER_OPTIONS, known_companies, public_token_problems

    settings = load(ApiSettings)
    reading = redact_url(settings.serving_database_url)
    warehouse = Warehouse(settings.serving_database_url)
    known = known_companies(warehouse)
    warehouse.engine.dispose()
    problems = public_token_problems(known[1]) if known else []
    if problems:
        raise fail("the API will not start: " + " ".join(problems))
    typer.echo(f"dashboard: http://{host}:{port}/   API docs: http://{host}:{port}/docs   reading {reading}")
    uvicorn.run(
        "serving.api.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        access_log=False,
        **SERVER_OPTIONS,  # type: ignore[arg-type]
    )


@app.command("llm-proxy")
def llm_proxy(
    port: int = typer.Option(8787, metavar="PORT", help="port to listen on"),
    host: str = typer.Option("127.0.0.1", metavar="HOST", help="address to bind (0.0.0.0 behind a load balancer)"),
) -> None:
    """Run the Claude masking proxy (Anthropic Messages API) until Ctrl+C: ANTHROPIC_BASE_URL=http://HOST:PORT claude"""
    import uvicorn

    from serving.llm_proxy import app_from_settings

    settings = load(ProxySettings)
    if not port_is_free(host if host != "0.0.0.0" else "127.0.0.1", port):
        raise fail(f"port {port} is in use; pick another with --port")
    try:
        proxy = app_from_settings(settings)
    except Exception as error:  # the warehouse (audit) is unreachable or not migratable: one line
        where = redact_url(settings.database_url)
        raise fail(f"cannot start the proxy's audit (LLM_PROXY_AUDIT) on DATABASE_URL ({where}): {error}") from None
    typer.echo(f"llm-proxy on http://{host}:{port} -> {settings.anthropic_upstream_url}")
    # No access log: it would add a line per call and nothing the audit rows do not already hold.
    uvicorn.run(proxy, host=host, port=port, log_level=settings.log_level.lower(), access_log=False)


@app.command()
def mask(
    company: str = typer.Option(None, help="company id (profile file name): also mask that profile's secrets"),
    as_json: bool = typer.Option(False, "--json", help="print masked, restored and detections as JSON"),
) -> None:
    """Read text on standard input and print exactly what the LLM gateway would send."""
    from bidradar.masking import MaskingLeakError, mask_command
    from bidradar.masking.keys import MaskingKeyError, company_key, master_secret, secret_values
    from bidradar.matching.profiles import load_profiles

    settings = load(PipelineSettings)
    secrets: list[str] = []
    if company:
        loaded = load_profiles(settings.profiles_dir)
        match = next((p for p in loaded.profiles if p.company_id == company), None)
        if match is None:
            known = ", ".join(p.company_id for p in loaded.profiles) or "none"
            raise fail(f"no valid profile '{company}' in PROFILES_DIR ({settings.profiles_dir}); known: {known}")
        secrets = secret_values(match.profile)
    try:
        key = company_key(master_secret(settings), company or "_default")
    except MaskingKeyError as error:
        raise fail(str(error)) from None
    try:
        typer.echo(mask_command(sys.stdin.read(), secrets, key, as_json), nl=not as_json)
    except MaskingLeakError as error:
        raise fail(f"refused: {error}") from None
