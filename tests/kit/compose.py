"""docker-compose.pi.yml on a machine without Docker: each bidradar service's command, environment and healthcheck
as the container would run them (through deploy/entrypoint.sh, with the image's environment), only with the
compose network's names and fixed ports swapped for loopback and free ports, and the volumes for folders.

Used by tests/test_deploy.py (do the services start and pass their own healthchecks?) and by
bench/bench_memory_budget.py (how much memory does each take?).
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.pi.yml"
BIDRADAR_SERVICES = ("migrate", "code-server", "dagster-webserver", "dagster-daemon", "api", "llm-proxy", "ops-metrics")
_VAR = re.compile(r"\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}")


def interpolate(text: str, variables: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default}, ${NAME:?error}; $$ is a literal $."""

    def one(match: re.Match) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3)
        value = variables.get(name)
        if op in (":-", "-") and not value:
            return arg
        if op in (":?", "?") and not value:
            raise KeyError(f"{name} is required: {arg}")
        return value or ""

    return _VAR.sub(one, text).replace("$$", "$")


def load_compose(variables: dict[str, str] | None = None) -> dict:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    return yaml.safe_load(interpolate(text, variables) if variables is not None else text)


def image_env() -> dict[str, str]:
    """The ENV lines of the Dockerfile's runtime stage."""
    text = (REPO / "Dockerfile").read_text(encoding="utf-8").split("AS runtime", 1)[1]
    block = re.search(r"^ENV (.*?)(?:\n(?!\s))", text, re.S | re.M)
    assert block, "no ENV in the runtime stage"
    pairs = shlex.split(block.group(1).replace("\\\n", " "))
    return dict(pair.split("=", 1) for pair in pairs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LocalStack:
    """Where the containers' paths, names and ports land on this machine."""

    root: Path  # stands for /var/lib/bidradar
    warehouse_url: str  # stands for postgresql://bidradar:...@postgres:5432/bidradar
    dagster_url: str  # stands for ...@postgres:5432/dagster
    ports: dict[int, int] = field(default_factory=dict)  # container port -> local port
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def port(self, container_port: int) -> int:
        if container_port not in self.ports:
            self.ports[container_port] = free_port()
        return self.ports[container_port]

    def path(self, value: str) -> str:
        value = value.replace("/var/lib/bidradar", str(self.root)).replace("/app/", f"{REPO}/")
        for container_port in (4000, 3000, 8000, 8787, 9108):
            value = re.sub(
                rf"(127\.0\.0\.1|0\.0\.0\.0):{container_port}\b", f"127.0.0.1:{self.port(container_port)}", value
            )
        return value

    def argv(self, argv: list[str]) -> list[str]:
        out = []
        for i, arg in enumerate(argv):
            if i and argv[i - 1] in ("--port", "-p") and arg.isdigit():
                arg = str(self.port(int(arg)))
            elif i and argv[i - 1] in ("--host", "-h") and arg == "0.0.0.0":
                arg = "127.0.0.1"
            elif arg.endswith("workspace.compose.yaml"):
                arg = str(self.workspace())
            out.append(self.path(arg))
        return out

    def workspace(self) -> Path:
        """deploy/workspace.compose.yaml with the code server's name and port swapped."""
        spec = yaml.safe_load((REPO / "deploy" / "workspace.compose.yaml").read_text(encoding="utf-8"))
        server = spec["load_from"][0]["grpc_server"]
        server["host"], server["port"] = "127.0.0.1", self.port(int(server["port"]))
        target = self.root / "workspace.local.yaml"
        target.write_text(yaml.safe_dump(spec), encoding="utf-8")
        return target

    def env(self, service: dict, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DAGSTER_", "BIDRADAR_"))}
        env.pop("DATABASE_URL", None)
        image = image_env()
        # The image's PATH puts its venv (/opt/venv/bin) first: here, the venv running the tests.
        image["PATH"] = image["PATH"].replace("/opt/venv/bin", str(Path(sys.executable).parent))
        image["PATH"] = image["PATH"].replace("$PATH", os.environ.get("PATH", "/usr/bin:/bin"))
        env.update(image)
        dagster = urllib.parse.urlsplit(self.dagster_url)
        for key, value in (service.get("environment") or {}).items():
            value = str(value)
            value = re.sub(r"postgresql://bidradar:[^@]*@postgres:5432/bidradar\b", self.warehouse_url, value)
            value = re.sub(r"postgresql://bidradar:[^@]*@postgres:5432/dagster\b", self.dagster_url, value)
            env[key] = self.path(value)
        env.update(
            {
                "DAGSTER_PG_HOST": dagster.hostname or "127.0.0.1",
                "DAGSTER_PG_PORT": str(dagster.port or 5432),
                "DAGSTER_PG_USER": dagster.username or "postgres",
                "DAGSTER_PG_PASSWORD": dagster.password or "",
                "DAGSTER_PG_DB": dagster.path.lstrip("/"),
            }
        )
        for key in ("DAGSTER_HOME", "BACKUP_DIR", "MLFLOW_TRACKING_URI", "PROFILES_DIR"):
            env[key] = self.path(env[key])
        env["PROFILES_DIR"] = str(REPO / "profiles")  # the bind mount ./profiles
        Path(env["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
        Path(env["BACKUP_DIR"]).mkdir(parents=True, exist_ok=True)
        (self.root / "mlflow").mkdir(parents=True, exist_ok=True)
        env.update(extra or {})
        return env

    def command(self, name: str, compose: dict) -> list[str]:
        """The entrypoint and the command, as the container runs them."""
        return [str(REPO / "deploy" / "entrypoint.sh"), *self.argv(compose["services"][name]["command"])]

    def healthcheck(self, name: str, compose: dict) -> list[str]:
        test = compose["services"][name]["healthcheck"]["test"]
        assert test[0] == "CMD", f"{name}: healthcheck must be an exec form"
        return self.argv(test[1:])

    def start(self, name: str, compose: dict, log: Path, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
        env = self.env(compose["services"][name], extra_env)
        process = subprocess.Popen(
            self.command(name, compose),
            cwd=self.root,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def run(self, name: str, compose: dict, extra_env: dict[str, str] | None = None, timeout: int = 300):
        env = self.env(compose["services"][name], extra_env)
        return subprocess.run(
            self.command(name, compose), cwd=self.root, env=env, capture_output=True, text=True, timeout=timeout
        )

    def healthy(self, name: str, compose: dict, timeout: float = 240) -> subprocess.CompletedProcess:
        """Run the service's own healthcheck until it passes (or the process dies, or time runs out)."""
        env = self.env(compose["services"][name])
        deadline = time.monotonic() + timeout
        while True:
            result = subprocess.run(
                self.healthcheck(name, compose), cwd=self.root, env=env, capture_output=True, text=True, timeout=120
            )
            process = self.processes.get(name)
            if result.returncode == 0 or time.monotonic() > deadline or (process and process.poll() is not None):
                return result
            time.sleep(2)

    def stop_all(self) -> None:
        for process in reversed(list(self.processes.values())):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextlib.contextmanager
def local_stack(root: Path, warehouse_url: str, dagster_url: str) -> Iterator[LocalStack]:
    stack = LocalStack(root, warehouse_url, dagster_url)
    try:
        yield stack
    finally:
        stack.stop_all()


def process_tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1)) * 1024  # type: ignore[union-attr]
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, AttributeError):
            continue
    return total
