#!/usr/bin/env bash
# bidradar quick start. Sets everything up from nothing (uv, .venv, the locked dependencies), then:
#   ./bidradar.sh demo [--days N] [--no-serve]   build the last N days from the bundled G2B simulator, serve the UI
#   ./bidradar.sh test [pytest args]             run the whole test suite (in parallel, two workers per core)
#   ./bidradar.sh <any bidradar command>         e.g. migrate, g2b-sim --port 8089, --help
set -euo pipefail
cd "$(dirname "$0")"

UV_VERSION=0.13.9   # pinned: the same uv on every machine; bump deliberately
STATE=.bidradar

find_python() {
  # A working .venv keeps its interpreter: uv compares the interpreter it is given with the one the .venv was made
  # from, path for path, and rebuilds on any difference (a pyenv shim is not the interpreter it runs), so hand it
  # that very file, resolved. A .venv whose interpreter is gone or not 3.11 does not run this and is rebuilt.
  if [ -x .venv/bin/python ] && .venv/bin/python -c "$RESOLVED_311" 2>/dev/null; then
    return 0
  fi
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "$RESOLVED_311" 2>/dev/null; then
      return 0
    fi
  done
  echo "error: bidradar needs Python 3.11 (python3.11 or python3 on PATH). On Debian/Ubuntu: apt-get install python3.11" >&2
  exit 2
}
# Prints the real interpreter file behind this Python (through shims, symlinks and venvs) when it is 3.11.
RESOLVED_311='import os, sys
if sys.version_info[:2] != (3, 11): sys.exit(1)
print(os.path.realpath(getattr(sys, "_base_executable", sys.executable)))'

find_uv() {
  # Any uv of the pinned version will do; otherwise a private copy (an older uv may not read uv.lock).
  for candidate in "$STATE/tools/uv" "$(command -v uv 2>/dev/null || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$("$candidate" --version 2>/dev/null | cut -d' ' -f2)" = "$UV_VERSION" ]; then
      echo "$candidate"; return 0
    fi
  done
  echo "uv not found: fetching uv $UV_VERSION from the package index into $STATE/tools/" >&2
  "$PYTHON" scripts/fetch_uv.py "$UV_VERSION" "$STATE/tools"
}

# Trust the operating system's certificate store (uv otherwise brings its own roots), so installs work behind
# a company proxy that re-signs TLS with its own CA, as Debian's ca-certificates describes it.
export UV_SYSTEM_CERTS=1

PYTHON=$(find_python)
UV=$(find_uv)
# --frozen: install exactly uv.lock, never re-resolve on a user's machine.
# --compile-bytecode, once per uv.lock: where PYTHONDONTWRITEBYTECODE is set (Docker images, many CI runners) Python
# never keeps the bytecode it compiles, so every process (each command, each of the demo's and the tests' children)
# compiled Dagster's modules again: 2 CPU-seconds a start. Compiling costs ~1 s a sync even when nothing changed,
# hence the stamp; it lives in .venv, so a rebuilt .venv compiles again.
BYTECODE_STAMP=.venv/.bytecode-of-uv-lock
if [ "$(cat "$BYTECODE_STAMP" 2>/dev/null)" = "$(cksum < uv.lock)" ]; then
  "$UV" sync --frozen --python "$PYTHON" --quiet
else
  "$UV" sync --frozen --compile-bytecode --python "$PYTHON" --quiet
  cksum < uv.lock > "$BYTECODE_STAMP"
fi

command=${1:-}
case "$command" in
  test)
    shift
    # Two pytest-xdist workers per core (at most 8: a worker holds ~1 GB), unless -n is given (-n 0: one process).
    # Many tests wait on real processes, servers and PostgreSQL (whose CPU is not the worker's): with one worker per
    # core, the 2-core CI used 58% of its CPU. worksteal hands each worker a chunk that starts with its share of the
    # slow tests (tests/kit/schedule.py) and moves the light tails to whoever runs dry.
    workers=()
    case " $* " in
      *" -n"* | *" --numprocesses"*) ;;
      *) cores=$(nproc 2>/dev/null || echo 2); workers=(-n "$(( cores * 2 > 8 ? 8 : cores * 2 ))") ;;
    esac
    # Keep the bytecode of our own modules and pytest's rewritten tests (under __pycache__, git-ignored): with
    # PYTHONDONTWRITEBYTECODE set (this machine, many CI images) every worker and every process a test starts
    # compiled them again, ~4 CPU-seconds a worker.
    unset PYTHONDONTWRITEBYTECODE
    # Each commit to a SQLite file in tmp_path (the warehouses, Dagster's run and event storage, MLflow's store)
    # waits on fsync, and on a virtual disk that was most of a test's wall time: tests/test_orphaned_runs.py took
    # 105 s there and 47 s on tmpfs, at the same load and CPU. So tmp_path lives in /dev/shm when that is a tmpfs
    # with 4 GiB free (not a container's 64 MB), unless PYTEST_DEBUG_TEMPROOT is set; pytest keeps the last 3 runs'.
    if [ -z "${PYTEST_DEBUG_TEMPROOT:-}" ] && [ -w /dev/shm ] && [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] &&
      [ "$(df -Pk /dev/shm | awk 'NR == 2 {print $4}')" -ge $((4 * 1024 * 1024)) ]; then
      export PYTEST_DEBUG_TEMPROOT=/dev/shm
    fi
    exec .venv/bin/pytest ${workers[@]+"${workers[@]}"} --dist worksteal "$@"
    ;;
  "")
    exec .venv/bin/bidradar --help
    ;;
  *)
    exec .venv/bin/bidradar "$@"
    ;;
esac
