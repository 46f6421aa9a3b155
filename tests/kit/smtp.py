"""A local SMTP server (aiosmtpd) that keeps what it receives, for the e-mail alert tests.

    with SmtpStandIn().serve() as (host, port): ...
`refuse` holds addresses whose RCPT is answered 550.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SmtpStandIn:
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    @contextlib.contextmanager
    def serve(self) -> Iterator[tuple[str, int]]:
        controller = Controller(self, hostname="127.0.0.1", port=_free_port())
        controller.start()
        try:
            yield controller.hostname, controller.port
        finally:
            controller.stop()
