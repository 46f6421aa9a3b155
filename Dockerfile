# syntax=docker/dockerfile:1.7
# The bidradar image: one image for the Dagster code server, webserver and daemon, the API and dashboard, the LLM
# proxy and the one-shot commands (migrate, backup, restore). Built for linux/arm64 (Raspberry Pi 4/5, 64-bit OS)
# and linux/amd64 from the same file:
#   docker compose -f docker-compose.pi.yml build                      (on the Pi itself: native arm64)
#   docker buildx build --platform linux/arm64,linux/amd64 -t REGISTRY/bidradar:TAG --push .
# Dagster publishes no reliable arm64 image, so this starts from Python's slim Debian image; every Python dependency
# comes from uv.lock (uv sync --frozen: the lock as it is, never re-resolved), without the dev group.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG UV_VERSION=0.13.9

FROM ghcr.io/astral-sh/uv:${UV_VERSION} AS uv

FROM ${PYTHON_IMAGE} AS build
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
# Dependencies first (a layer that changes only with uv.lock), then the project itself.
COPY pyproject.toml uv.lock README.md ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project --python /usr/local/bin/python3.11
COPY . .
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --python /usr/local/bin/python3.11 \
    && /opt/venv/bin/python -m compileall -q bidradar orchestration assets ml serving

FROM ${PYTHON_IMAGE} AS runtime
# pg_dump/pg_restore of PostgreSQL 15 (bookworm's postgresql-client is 15: the same major as the server, as
# pg_dump requires) for the backups; tzdata for Asia/Seoul; nothing else.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 tzdata \
    && rm -rf /var/lib/apt/lists/*
# Non-root: uid 10001 owns only the state folder (named volumes copy this ownership on first use).
RUN groupadd --system --gid 10001 bidradar \
    && useradd --system --uid 10001 --gid bidradar --home-dir /var/lib/bidradar --shell /usr/sbin/nologin bidradar \
    && mkdir -p /var/lib/bidradar/dagster /var/lib/bidradar/backups /var/lib/bidradar/mlflow \
    && chown -R bidradar:bidradar /var/lib/bidradar
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DAGSTER_HOME=/var/lib/bidradar/dagster \
    BACKUP_DIR=/var/lib/bidradar/backups \
    MLFLOW_TRACKING_URI=sqlite:////var/lib/bidradar/mlflow/mlflow.db \
    PROFILES_DIR=/app/profiles \
    TZ=UTC
USER bidradar
WORKDIR /var/lib/bidradar
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["bidradar", "--help"]
