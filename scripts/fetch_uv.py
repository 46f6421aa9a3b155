"""Fetch the uv binary from the Python package index with nothing but the standard library.

Used by ./bidradar.sh on a machine without uv (a fresh Debian, Ubuntu or Raspberry Pi OS with Python 3.11):
no pip, no venv module and no curl-to-shell installer are needed. The wheel's sha256 from the index is
checked before anything is unpacked.

usage: python3 scripts/fetch_uv.py VERSION DEST_DIR   -> prints the path of the uv binary
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import stat
import sys
import urllib.request
import zipfile
from pathlib import Path

INDEX = os.environ.get("UV_INDEX_URL") or os.environ.get("PIP_INDEX_URL") or "https://pypi.org/simple"
# Wheel platform tags that can run here, best first.
PLATFORM_TAGS = {
    "x86_64": ["manylinux_2_17_x86_64", "manylinux2014_x86_64", "musllinux_1_1_x86_64"],
    "aarch64": ["manylinux_2_17_aarch64", "manylinux2014_aarch64", "musllinux_1_1_aarch64"],
    "armv7l": ["manylinux_2_17_armv7l", "manylinux2014_armv7l", "musllinux_1_1_armv7l"],
}


def wheel_for(version: str) -> tuple[str, str]:
    """URL and sha256 of the uv wheel of `version` for this machine (PEP 691 JSON simple index)."""
    request = urllib.request.Request(
        f"{INDEX.rstrip('/')}/uv/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    machine = platform.machine().lower()
    for tag in PLATFORM_TAGS.get(machine, []):
        for entry in files:
            name = entry["filename"]
            if name.startswith(f"uv-{version}-") and name.endswith(".whl") and tag in name:
                return entry["url"], entry["hashes"]["sha256"]
    raise SystemExit(f"no uv {version} wheel for {machine} on {INDEX}; install uv yourself and re-run")


def main() -> None:
    version, dest = sys.argv[1], Path(sys.argv[2])
    url, sha256 = wheel_for(version)
    with urllib.request.urlopen(url, timeout=300) as response:
        payload = response.read()
    if hashlib.sha256(payload).hexdigest() != sha256:
        raise SystemExit(f"uv wheel from {url} does not match its published sha256; not installing it")
    with zipfile.ZipFile(io.BytesIO(payload)) as wheel:
        member = next(n for n in wheel.namelist() if n.endswith("/scripts/uv"))
        dest.mkdir(parents=True, exist_ok=True)
        target = dest / "uv"
        target.write_bytes(wheel.read(member))
    target.chmod(target.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    print(target)


if __name__ == "__main__":
    main()
