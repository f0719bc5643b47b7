"""For tests that run tasks on a real Celery worker (in this process) over a real broker."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


def _drop_connections(app) -> None:
    # The app keeps its broker connections (and producers) from the first task it sent: after
    # a test on another broker address they would still publish there, where no worker listens.
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_worker(broker_url: str) -> Iterator[object]:
    """Tasks sent inside the block go to ``broker_url`` and run on a worker thread; the app's
    settings and connections are as before afterwards."""
    from celery.contrib.testing.worker import start_worker

    from klientela.background import app

    before = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=broker_url, result_backend=None, task_always_eager=False)
    _drop_connections(app)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10
        ) as worker:
            yield worker
    finally:
        _drop_connections(app)
        app.conf.update(**before)
