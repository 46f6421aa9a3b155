#!/bin/sh
# Entry point of the bidradar image. DAGSTER_HOME is a volume shared by the code server, the webserver and the
# daemon (compute logs, the masking key beside it); the instance's configuration is the repository's dagster.yaml
# (PostgreSQL storage from DAGSTER_PG_*), put in place atomically so two containers starting together never read
# half a file. Then the command runs as PID 1's child under docker's init (compose: init: true).
set -eu
app=$(cd "$(dirname "$0")/.." && pwd)   # /app in the image
if [ -n "${DAGSTER_HOME:-}" ]; then
    mkdir -p "$DAGSTER_HOME"
    tmp="$DAGSTER_HOME/.dagster.yaml.$$"
    cp "$app/dagster.yaml" "$tmp"
    mv -f "$tmp" "$DAGSTER_HOME/dagster.yaml"
fi
exec "$@"
