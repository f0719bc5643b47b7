"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests that send."""

from __future__ import annotations

import email
import email.policy
import socket
import threading

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the server received: the parsed messages, in order (thread-safe)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        with self._lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        with self._lock:
            contents = [envelope.content for envelope in self.envelopes]
        return [
            email.message_from_bytes(content, policy=email.policy.default) for content in contents
        ]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for message in self.messages if address in message["To"]]


@pytest.fixture(name="smtp")
def smtp_server(settings):
    """Start the server and point Django's SMTP backend at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    inbox.port = port
    try:
        yield inbox
    finally:
        controller.stop()
