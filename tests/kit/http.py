"""The loopback HTTP server the stand-ins (Anthropic, Gemini, Slack) run in a thread."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# How often serve_forever looks at its shutdown flag: shutdown() waits for that look, and the library's 0.5 s
# default made every server a test started cost ~0.5 s of wall time to stop.
_POLL_S = 0.02


@contextlib.contextmanager
def serve_http(handler: type[BaseHTTPRequestHandler], host: str, port: int, name: str) -> Iterator[int]:
    """Serve `handler` on (host, port) in a daemon thread; yields the bound port; stops the server on exit."""
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(_POLL_S,), name=name, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
