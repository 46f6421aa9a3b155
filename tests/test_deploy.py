"""docker-compose.pi.yml against the code, since Docker cannot run here: every service's command, port, volume,
environment variable and health endpoint must exist in the code and agree with it; the PostgreSQL configuration
must start a real PostgreSQL 15; the bidradar services must start from their entrypoints and pass their own
healthchecks, as they would in their containers.

Some services come from issues merged separately (the API: issue 14, the LLM proxy: issue 15, alert settings:
issue 13). Where their code is not on this branch yet, the check is reported as XFAIL "pending issue N" (CI runs
pytest -ra, so the lead sees each one); once merged, the same check runs for real.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path

import click
import pytest
import typer.main
import yaml

from bidradar.core.settings import BackupSettings, all_setting_names
from orchestration.cli import app
from tests.kit.compose import (
    BIDRADAR_SERVICES,
    REPO,
    free_port,
    image_env,
    interpolate,
    load_compose,
    local_stack,
)

COMPOSE = load_compose()
SERVICES = COMPOSE["services"]
DEPLOY = REPO / "deploy"
ENV_EXAMPLE = (DEPLOY / ".env.example").read_text(encoding="utf-8")
SETTINGS = set(all_setting_names())
CLI = typer.main.get_command(app)


def missing(key: str) -> None:
    pytest.fail(f"{key} is named by the deployment files but does not exist in the code")


def env_example_names() -> set[str]:
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE, re.M))


def compose_variables() -> set[str]:
    return set(re.findall(r"\$\{([A-Z0-9_]+)", (REPO / "docker-compose.pi.yml").read_text(encoding="utf-8")))


def command_of(name: str) -> list[str]:
    return [str(part) for part in SERVICES[name]["command"]]


def option_value(argv: list[str], option: str) -> str:
    return argv[argv.index(option) + 1]


# --- the compose file itself ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_has_healthcheck_restart_memory_limit_and_log_rotation(name: str) -> None:
    service = SERVICES[name]
    assert service.get("restart") in {"unless-stopped", "on-failure", "always"}, f"{name}: restart policy"
    assert service.get("healthcheck", {}).get("test"), f"{name}: healthcheck"
    assert service.get("mem_limit"), f"{name}: memory limit"
    assert service.get("memswap_limit") == service["mem_limit"], f"{name}: no swap beyond the limit"
    logging = service.get("logging", {})
    assert logging.get("options", {}).get("max-size") and logging["options"].get("max-file"), f"{name}: log rotation"


def test_the_dagster_services_share_one_code_server() -> None:
    workspace = yaml.safe_load((DEPLOY / "workspace.compose.yaml").read_text(encoding="utf-8"))
    [location] = workspace["load_from"]
    server = location["grpc_server"]
    code = command_of("code-server")
    assert code[:3] == ["dagster", "api", "grpc"]
    assert server["host"] == "code-server" and str(server["port"]) == option_value(code, "--port")
    assert server["location_name"] == option_value(code, "--location-name") == "bidradar"
    repo_workspace = yaml.safe_load((REPO / "workspace.yaml").read_text(encoding="utf-8"))
    module = repo_workspace["load_from"][0]["python_module"]
    assert (option_value(code, "--module-name"), option_value(code, "--attribute")) == (
        module["module_name"],
        module["attribute"],
    )
    for name in ("dagster-webserver", "dagster-daemon"):
        argv = command_of(name)
        assert option_value(argv, "--workspace") == "/app/deploy/workspace.compose.yaml", name
        assert "code-server" in SERVICES[name]["depends_on"], name


def _dagster_command(argv: list[str]) -> click.Command:
    if argv[0] == "dagster":
        from dagster._cli import cli as dagster_cli

        command: click.Command = dagster_cli
        for word in argv[1:]:
            if word.startswith("-") or not isinstance(command, click.Group):
                break
            command = command.commands[word]
        return command
    if argv[0] == "dagster-webserver":
        from dagster_webserver.cli import cli as webserver_cli

        return webserver_cli
    if argv[0] == "dagster-daemon":
        from dagster._daemon.cli import cli as daemon_cli

        return daemon_cli.commands[argv[1]]
    raise AssertionError(f"unknown program {argv[0]}")


def _check_options(command: click.Command, argv: list[str], where: str) -> None:
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    for word in argv:
        if word.startswith("--"):
            assert word in known, f"{where}: {word} is not an option of {command.name}"


@pytest.mark.parametrize("name", ["code-server", "dagster-webserver", "dagster-daemon"])
def test_dagster_commands_and_their_healthchecks_exist(name: str) -> None:
    argv = command_of(name)
    _check_options(_dagster_command(argv), argv, name)
    check = SERVICES[name]["healthcheck"]["test"][1:]
    if check[0] != "python":
        _check_options(_dagster_command(check), check, f"{name} healthcheck")


@pytest.mark.parametrize("name", [n for n in BIDRADAR_SERVICES if n in SERVICES])
def test_bidradar_commands_exist_with_their_options(name: str) -> None:
    argv = command_of(name)
    assert argv[0] in {"bidradar", "dagster", "dagster-webserver", "dagster-daemon"}
    if argv[0] != "bidradar":
        return
    subcommand = argv[1]
    if subcommand not in CLI.commands:
        missing(subcommand)
    _check_options(CLI.commands[subcommand], argv[2:], name)


@pytest.mark.parametrize(("name", "default"), [("api", 8000), ("llm-proxy", 8787), ("ops-metrics", 9108)])
def test_ports_are_the_commands_defaults_and_the_healthchecks_ports(name: str, default: int) -> None:
    argv = command_of(name)
    assert int(option_value(argv, "--port")) == default
    health = " ".join(SERVICES[name]["healthcheck"]["test"])
    assert f"127.0.0.1:{default}/" in health, f"{name}: healthcheck on another port"
    if name == "ops-metrics":
        assert BackupSettings.model_fields["ops_metrics_port"].default == default
    subcommand = argv[1]
    if subcommand not in CLI.commands:
        missing(subcommand)
    [port] = [p for p in CLI.commands[subcommand].params if "--port" in p.opts]
    assert port.default in (default, None), f"{subcommand} --port defaults to {port.default}, compose uses {default}"


def test_caddy_routes_reach_the_services_on_their_ports() -> None:
    caddyfile = (DEPLOY / "caddy" / "Caddyfile").read_text(encoding="utf-8")
    upstreams = dict(re.findall(r"reverse_proxy ([a-z-]+):(\d+)", caddyfile))
    assert set(upstreams) == {"dagster-webserver", "grafana", "llm-proxy", "api"}
    assert upstreams["dagster-webserver"] == option_value(command_of("dagster-webserver"), "--port")
    assert upstreams["api"] == option_value(command_of("api"), "--port")
    assert upstreams["llm-proxy"] == option_value(command_of("llm-proxy"), "--port")
    assert upstreams["grafana"] == "3000"
    prefix = option_value(command_of("dagster-webserver"), "--path-prefix")
    assert f"handle {prefix}*" in caddyfile and f"{prefix}/server_info" in str(
        SERVICES["dagster-webserver"]["healthcheck"]
    )
    assert re.search(r"handle /dagster\* \{\s*basic_auth", caddyfile), "the Dagster UI has no login of its own"
    for header in ("Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"):
        assert header in caddyfile
    assert "respond @metrics 404" in caddyfile  # /metrics stays inside
    env = SERVICES["caddy"]["environment"]
    code = "\n".join(line for line in caddyfile.splitlines() if not line.lstrip().startswith("#"))
    for name in re.findall(r"\{\$([A-Z_]+)", code):
        assert name in env, f"Caddyfile reads {name}, the caddy service does not set it"
    assert SERVICES["caddy"]["ports"] == ["80:80", "443:443", "443:443/udp"]
    published = [n for n, s in SERVICES.items() if s.get("ports")]
    assert published == ["caddy"], "only Caddy faces the network"


def test_prometheus_scrapes_the_services_on_their_ports() -> None:
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text(encoding="utf-8"))
    targets = {job["job_name"]: job["static_configs"][0]["targets"][0] for job in config["scrape_configs"]}
    assert targets["api"] == f"api:{option_value(command_of('api'), '--port')}"
    assert targets["llm-proxy"] == f"llm-proxy:{option_value(command_of('llm-proxy'), '--port')}"
    assert targets["ops"] == f"ops-metrics:{option_value(command_of('ops-metrics'), '--port')}"
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]
    mounts = SERVICES["prometheus"]["volumes"]
    assert "./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro" in mounts
    assert config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] == ["alertmanager:9093"]


# --- settings and environment -------------------------------------------------------------------------------------


def _dagster_yaml_env() -> set[str]:
    return set(re.findall(r"env: ([A-Z_]+)", (REPO / "dagster.yaml").read_text(encoding="utf-8")))


@pytest.mark.parametrize("key", sorted(COMPOSE["x-bidradar"]["environment"]))
def test_container_environment_names_are_settings(key: str) -> None:
    if key in SETTINGS or key in _dagster_yaml_env():
        return
    missing(key)


def test_dagster_yaml_reads_only_what_compose_sets() -> None:
    assert _dagster_yaml_env() <= set(COMPOSE["x-bidradar"]["environment"])


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_setting_is_in_the_deploy_env_example(name: str) -> None:
    assert name in env_example_names(), f"{name} missing from deploy/.env.example"


@pytest.mark.parametrize("name", sorted(env_example_names()))
def test_every_name_in_the_deploy_env_example_is_used(name: str) -> None:
    if name in SETTINGS or name in compose_variables():
        return
    missing(name)


def test_every_compose_variable_is_in_the_deploy_env_example() -> None:
    assert compose_variables() <= env_example_names()


def test_compose_interpolates_with_the_example_filled_in() -> None:
    variables = {
        "POSTGRES_PASSWORD": "pw",
        "DOMAIN": "bids.example.co.kr",
        "OPS_PASSWORD_HASH": "$2a$14$x",
        "GRAFANA_ADMIN_PASSWORD": "g",
    }
    compose = load_compose(variables)
    env = compose["services"]["code-server"]["environment"]
    assert env["DATABASE_URL"] == "postgresql://bidradar:pw@postgres:5432/bidradar"
    assert env["BACKUP_DATABASE_URLS"].split(",")[1] == "postgresql://bidradar:pw@postgres:5432/dagster"
    assert compose["services"]["postgres"]["volumes"][2].startswith("./deploy/postgres/memory-4gb.conf:")
    with pytest.raises(KeyError, match="POSTGRES_PASSWORD"):
        interpolate((REPO / "docker-compose.pi.yml").read_text(encoding="utf-8"), {"DOMAIN": "x"})


# --- image, volumes, files -----------------------------------------------------------------------------------------


def test_dockerfile_is_slim_locked_non_root_and_multi_arch() -> None:
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert "ARG PYTHON_IMAGE=python:3.11-slim-bookworm" in dockerfile
    assert dockerfile.count("uv sync --frozen --no-dev") == 2
    uv_version = re.search(r"^UV_VERSION=(\S+)", (REPO / "bidradar.sh").read_text(), re.M).group(1)  # type: ignore[union-attr]
    assert f"ARG UV_VERSION={uv_version}" in dockerfile, "the image's uv is bidradar.sh's uv"
    assert "postgresql-client-15" in dockerfile  # pg_dump of the server's major version
    runtime = dockerfile.split("AS runtime", 1)[1]
    assert re.search(r"^USER bidradar$", runtime, re.M) and "--uid 10001" in runtime
    assert "linux/arm64,linux/amd64" in dockerfile
    assert re.search(r'^ENTRYPOINT \["/app/deploy/entrypoint.sh"\]', runtime, re.M)
    assert os.access(DEPLOY / "entrypoint.sh", os.X_OK)


def test_the_image_environment_and_the_volumes_agree() -> None:
    env = image_env()
    shared = COMPOSE["x-bidradar"]["environment"]
    for key in ("DAGSTER_HOME", "BACKUP_DIR", "MLFLOW_TRACKING_URI"):
        assert env[key] == shared[key], key
    volumes = COMPOSE["x-bidradar"]["volumes"]
    assert "state:/var/lib/bidradar" in volumes and "backups:/var/lib/bidradar/backups" in volumes
    assert any(v.endswith(":/var/lib/bidradar/profiles:ro") for v in volumes)
    assert shared["PROFILES_DIR"] == "/var/lib/bidradar/profiles"
    runtime = (REPO / "Dockerfile").read_text(encoding="utf-8").split("AS runtime", 1)[1]
    assert "mkdir -p /var/lib/bidradar/dagster /var/lib/bidradar/backups /var/lib/bidradar/mlflow" in runtime


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_volumes_are_declared_or_files_in_the_repository(name: str) -> None:
    for volume in SERVICES[name].get("volumes", []):
        source = interpolate(volume, {}).split(":")[0]
        if source.startswith("./"):
            assert (REPO / source).exists(), f"{name}: {source} is not in the repository"
        else:
            assert source in COMPOSE["volumes"], f"{name}: volume {source} is not declared"


def test_dockerignore_keeps_what_the_image_needs() -> None:
    ignored = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for needed in (
        "deploy",
        "dagster.yaml",
        "sql",
        "profiles",
        "README.md",
        "uv.lock",
        "pyproject.toml",
        "bidradar",
        "orchestration",
        "assets",
        "serving",
        "ml",
    ):
        assert needed not in ignored and f"{needed}/" not in ignored, needed
    assert ".env" in ignored and ".git" in ignored


# --- monitoring: every metric the rules and the dashboard use is served ----------------------------------------------


def _ops_metric_names() -> set[str]:
    from dagster import DagsterInstance

    from bidradar.core.settings import load_settings
    from bidradar.ops.metrics import collect
    from orchestration.ops_metrics import collectors

    with DagsterInstance.ephemeral() as instance:
        text = collect(collectors(load_settings(BackupSettings, database_url="sqlite:///:memory:"), instance))
    return set(re.findall(r"^# TYPE (\S+)", text, re.M))


def _used_metric_names() -> set[str]:
    text = (DEPLOY / "prometheus" / "alerts.yml").read_text() + (
        DEPLOY / "grafana" / "dashboards" / "bidradar.json"
    ).read_text()
    return set(re.findall(r"\b((?:bidradar|llm_proxy)_[a-z0-9_]+)", text))


@pytest.mark.parametrize("name", sorted(_used_metric_names()))
def test_metrics_used_by_alerts_and_dashboard_are_served(name: str) -> None:
    if name.startswith(("bidradar_api_", "llm_proxy_")):
        owner = "bidradar_api" if name.startswith("bidradar_api_") else "llm_proxy"
        family = re.sub(r"_(total|bucket|count|sum)$", "", name)
        sources = list((REPO / "serving").rglob("*.py"))
        if not any(f'"{family}"' in path.read_text(encoding="utf-8") for path in sources):
            missing(owner)
        return
    assert name in _ops_metric_names(), f"{name} is not served by bidradar ops-metrics"


def test_alert_rules_cover_what_the_issue_asks() -> None:
    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    names = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    assert {
        "ApiErrors",
        "ApiSlow",
        "JobFailing",
        "NoticesPartitionStale",
        "ResultsPartitionStale",
        "DiskLow",
        "BackupTooOld",
        "BackupFailed",
        "RunStuck",
        "DaemonStale",
    } <= names


def test_grafana_is_provisioned_with_the_dashboard() -> None:
    dashboard = json.loads((DEPLOY / "grafana" / "dashboards" / "bidradar.json").read_text())
    datasource = yaml.safe_load((DEPLOY / "grafana/provisioning/datasources/prometheus.yml").read_text())
    provider = yaml.safe_load((DEPLOY / "grafana/provisioning/dashboards/bidradar.yml").read_text())
    uid = datasource["datasources"][0]["uid"]
    assert all(panel["datasource"]["uid"] == uid for panel in dashboard["panels"])
    assert len({panel["id"] for panel in dashboard["panels"]}) == len(dashboard["panels"])
    assert (
        "./deploy/grafana/dashboards:" + provider["providers"][0]["options"]["path"] + ":ro"
        in (SERVICES["grafana"]["volumes"])
    )
    assert datasource["datasources"][0]["url"] == "http://prometheus:9090"


# --- PostgreSQL: the configuration starts a real PostgreSQL 15 -------------------------------------------------------

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *argv], capture_output=True, text=True, timeout=120, **kwargs)


@pytest.mark.postgres
@pytest.mark.parametrize("memory", ["4gb", "8gb"])
def test_postgresql_conf_starts_postgresql_15(memory: str) -> None:
    if not (PG_BIN / "postgres").exists():
        pytest.fail("PostgreSQL 15 server binaries are missing (CI installs postgresql-15)")
    # Not under pytest's tmp_path: its parents are private to root, and PostgreSQL refuses to run as root.
    root = Path(tempfile.mkdtemp(prefix=f"bidradar-pg{memory}-"))
    tempfile_dir = str(root)
    (root / "etc").mkdir()
    shutil.copy(DEPLOY / "postgres" / "postgresql.conf", root / "etc" / "postgresql.conf")
    shutil.copy(DEPLOY / "postgres" / f"memory-{memory}.conf", root / "etc" / "memory.conf")
    if os.geteuid() == 0:
        for path in [root, *root.rglob("*")]:
            shutil.chown(path, "postgres")
    init = _as_postgres(
        [str(PG_BIN / "initdb"), "-D", f"{root}/data", "--data-checksums", "-A", "trust", "-U", "bidradar"]
    )
    assert init.returncode == 0, init.stderr
    port = str(free_port())
    server = _as_postgres(
        [
            str(PG_BIN / "pg_ctl"),
            "-D",
            f"{root}/data",
            "-l",
            f"{root}/log",
            "-w",
            "-o",
            f"-c config_file={root}/etc/postgresql.conf -c port={port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={tempfile_dir}",
            "start",
        ]
    )
    try:
        assert server.returncode == 0, server.stderr + (root / "log").read_text()

        def psql(db: str, sql: str) -> str:
            result = subprocess.run(
                ["psql", "-h", "127.0.0.1", "-p", port, "-U", "bidradar", "-d", db, "-Atc", sql],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert result.returncode == 0, result.stderr
            return result.stdout.strip()

        wanted = dict(
            re.findall(r"^(\w+) = '?([^'\s#]+)", (DEPLOY / "postgres" / f"memory-{memory}.conf").read_text(), re.M)
        )
        for name, value in wanted.items():
            assert psql("postgres", f"SHOW {name}") == value, name
        assert psql("postgres", "SHOW wal_level") == "minimal" and psql("postgres", "SHOW fsync") == "on"
        assert psql("postgres", "SHOW data_checksums") == "on"
        assert psql("postgres", "SHOW hba_file") == f"{root}/data/pg_hba.conf"
        initdb_sql = (DEPLOY / "postgres" / "initdb" / "10-databases.sql").read_text()
        for statement in [s.strip() for s in re.sub(r"--.*", "", initdb_sql).split(";") if s.strip()]:
            psql("postgres", statement)
        assert psql("dagster", "SHOW synchronous_commit") == "off"
        assert psql("postgres", "SHOW synchronous_commit") == "on"
    finally:
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", f"{root}/data", "-m", "fast", "stop"])
        shutil.rmtree(root, ignore_errors=True)


# --- the services start from their entrypoints, as in their containers ------------------------------------------------


@pytest.fixture
def dagster_db_url(postgres_server_url: str):
    import uuid

    import sqlalchemy as sa

    from bidradar.core import warehouse

    name = f"bidradar_dagster_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(warehouse.sqlalchemy_url(postgres_server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    yield postgres_server_url.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.mark.postgres
@pytest.mark.slow
def test_dagster_services_start_and_pass_their_healthchecks(
    postgres_url: str, dagster_db_url: str, tmp_path: Path
) -> None:
    with local_stack(tmp_path, postgres_url, dagster_db_url) as stack:
        migrated = stack.run("migrate", COMPOSE)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        assert "warehouse is up to date" in migrated.stdout

        stack.start("code-server", COMPOSE, tmp_path / "code-server.log")
        health = stack.healthy("code-server", COMPOSE)
        assert health.returncode == 0, health.stdout + health.stderr + (tmp_path / "code-server.log").read_text()
        # the instance is the repository's dagster.yaml, put in DAGSTER_HOME by the entrypoint
        home = Path(stack.env(SERVICES["code-server"])["DAGSTER_HOME"])
        assert (home / "dagster.yaml").read_text() == (REPO / "dagster.yaml").read_text()

        stack.start("dagster-webserver", COMPOSE, tmp_path / "webserver.log")
        stack.start("dagster-daemon", COMPOSE, tmp_path / "daemon.log")
        stack.start("ops-metrics", COMPOSE, tmp_path / "ops-metrics.log")
        for name in ("dagster-webserver", "dagster-daemon", "ops-metrics"):
            health = stack.healthy(name, COMPOSE)
            log = (tmp_path / f"{name.removeprefix('dagster-')}.log").read_text()
            assert health.returncode == 0, f"{name}: {health.stdout}{health.stderr}\n{log}"

        # The webserver sees the code location through the code server (not by loading code itself).
        query = json.dumps(
            {
                "query": "{ workspaceOrError { ... on Workspace { locationEntries { name "
                "locationOrLoadError { __typename } } } } }"
            }
        ).encode()
        port = stack.port(3000)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/dagster/graphql", data=query, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            entries = json.load(response)["data"]["workspaceOrError"]["locationEntries"]
        assert [(e["name"], e["locationOrLoadError"]["__typename"]) for e in entries] == [
            ("bidradar", "RepositoryLocation")
        ]

        with urllib.request.urlopen(f"http://127.0.0.1:{stack.port(9108)}/metrics", timeout=120) as response:
            metrics = response.read().decode()
        assert re.search(r'^bidradar_dagster_daemon_heartbeat_age_seconds\{daemon="SCHEDULER"\} ', metrics, re.M)
        assert "bidradar_warehouse_up 1" in metrics

        # The nightly backup's command, by hand, in the code server's environment: both databases, proven.
        backup = stack.run(
            "code-server", {"services": {"code-server": {**SERVICES["code-server"], "command": ["bidradar", "backup"]}}}
        )
        assert backup.returncode == 0, backup.stdout + backup.stderr
        assert backup.stdout.count("equal counts") == 2
        assert len(list((tmp_path / "backups").glob("*.dump"))) == 2


@pytest.mark.parametrize("name", ["api", "llm-proxy"])
@pytest.mark.postgres
@pytest.mark.slow
def test_serving_services_start_and_pass_their_healthchecks(
    name: str, postgres_url: str, dagster_db_url: str, tmp_path: Path
) -> None:
    subcommand = command_of(name)[1]
    if subcommand not in CLI.commands:
        missing(subcommand)
    with local_stack(tmp_path, postgres_url, dagster_db_url) as stack:
        assert stack.run("migrate", COMPOSE).returncode == 0
        stack.start(name, COMPOSE, tmp_path / f"{name}.log")
        health = stack.healthy(name, COMPOSE)
        assert health.returncode == 0, health.stdout + health.stderr + (tmp_path / f"{name}.log").read_text()


def _mib(limit: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([mg])", limit.lower()).groups()  # type: ignore[union-attr]
    return int(number) * (1024 if unit == "g" else 1)


def test_core_memory_limits_fit_a_4_gb_pi() -> None:
    """docs/deploy-pi.md: even with every core service at its limit, the Pi keeps 400 MiB for its OS."""
    filled = load_compose(
        {"POSTGRES_PASSWORD": "x", "DOMAIN": "x", "OPS_PASSWORD_HASH": "x", "GRAFANA_ADMIN_PASSWORD": "x"}
    )
    core = [n for n, s in filled["services"].items() if not s.get("profiles") and n != "migrate"]
    total = sum(_mib(filled["services"][n]["mem_limit"]) for n in core)
    assert total == 3616, f"the core limits add up to {total} MiB: update the budget in docs/deploy-pi.md"
    assert total <= 4096 - 400
    assert "3,616 MiB" in (REPO / "docs" / "deploy-pi.md").read_text(encoding="utf-8")
