"""Fixtures of the working-time tests: the company and its clients, helpers to plan and close."""

import datetime

import pytest

from klientela.activities import services as activities
from klientela.activities.tests.conftest import clients  # noqa: F401  (a fixture)

UTC = datetime.UTC


def at(text: str) -> datetime.datetime:
    """An aware moment: ``at("2026-03-10 10:00")`` is UTC."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def plan(user, kind: str, when: str, *, ends: str | None = None, direction="outgoing", **extra):
    """An activity of ``user`` at ``when`` (a task is due then)."""
    times = {"due_at": at(when)} if kind == "task" else {"starts_at": at(when)}
    if ends:
        times["ends_at"] = at(ends)
    return activities.create_activity(
        actor=user,
        kind=kind,
        subject=f"{kind} {when}",
        direction=direction,
        **times,
        **extra,
    )


def done(user, kind: str, when: str, *, closed: str | None = None, **extra):
    """An activity of ``user`` that took place at ``when``, closed at ``closed`` (default: then)."""
    activity = plan(user, kind, when, **extra)
    activities.complete_activity(
        actor=user, activity=activity, result="Done.", now=at(closed or when)
    )
    return activity


@pytest.fixture
def north(company):
    return company["n_manager1"]
