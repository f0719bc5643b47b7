"""The sales benchmark: 200,000 deals (20,000 open) over the customer base, then the funnel.

    uv run python bench/sales.py --database-url postgres://postgres@127.0.0.1:5432/klientela_bench

needs the customer base of bench/customers.py in that database (it fills it first if missing,
with that script's defaults). Deals are written once (``--refill`` to write them again); then
the kanban page, moving a deal (page and API) and the sales report are measured through
Django's test client, as in bench/customers.py.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import time
from decimal import Decimal

from customers import (
    DEFAULT_URL,
    describe_machine,
    ensure_database,
    load_average,
    log,
    setup_django,
)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--deals", type=int, default=200_000)
    parser.add_argument("--open", type=int, default=20_000, help="how many of them are open")
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


def fill_deals(total: int, open_count: int, seed: int) -> float:
    """Deals of the customer base's organizations, owned by their organization's owner."""
    from django.db import connection, transaction
    from django.utils import timezone

    from klientela.customers.models import Organization
    from klientela.sales.models import Deal, Pipeline, Stage, StageChange
    from klientela.sales.services import ensure_sales_defaults

    started = time.perf_counter()
    rng = random.Random(seed)
    ensure_sales_defaults()
    pipeline = Pipeline.objects.order_by("pk").first()
    stages = list(pipeline.stages.order_by("order"))
    open_stages = [stage for stage in stages if stage.kind == Stage.Kind.OPEN]
    won = next(stage for stage in stages if stage.kind == Stage.Kind.WON)
    lost = next(stage for stage in stages if stage.kind == Stage.Kind.LOST)
    organizations = list(
        Organization.objects.exclude(responsible=None).values_list(
            "id", "responsible_id", "responsible_team_id"
        )
    )
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE sales_stagechange, sales_dealline, sales_deal CASCADE")
        batch, changes = [], []
        for number in range(total):
            organization_id, owner_id, team_id = rng.choice(organizations)
            if number < open_count:
                stage = rng.choice(open_stages)
            else:
                stage = won if rng.random() < 0.4 else lost
            created = now - datetime.timedelta(days=rng.randint(1, 720))
            entered = created + datetime.timedelta(days=rng.randint(0, 30))
            batch.append(
                Deal(
                    title=f"Deal {number}",
                    pipeline=pipeline,
                    stage=stage,
                    organization_id=organization_id,
                    amount=Decimal(rng.randrange(1_000, 500_000, 100)),
                    currency="EUR",
                    expected_close=(entered + datetime.timedelta(days=60)).date(),
                    responsible_id=owner_id,
                    responsible_team_id=team_id,
                    stage_entered_at=entered,
                    closed_at=entered if stage.kind != Stage.Kind.OPEN else None,
                    lost_reason=None,
                    furthest_order=furthest_reached(stage, open_stages, rng),
                )
            )
            if len(batch) == 5000:
                changes += _save(batch, stages, rng)
                batch = []
            if len(changes) >= 20000:
                StageChange.objects.bulk_create(changes, batch_size=5000)
                changes = []
        changes += _save(batch, stages, rng)
        StageChange.objects.bulk_create(changes, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sales_deal")
        cursor.execute("ANALYZE sales_stagechange")
    return time.perf_counter() - started


def furthest_reached(stage, open_stages, rng) -> int:
    """Where the deal's history (written by _save) got to before it was won or lost."""
    if stage.kind == "open":
        return stage.order
    return stage.order if stage.kind == "won" else rng.choice(open_stages).order


def _save(batch, stages, rng) -> list:
    """Write a batch of deals; their stage history: every open stage up to where they are."""
    from klientela.sales.models import Deal, Stage, StageChange

    saved = Deal.objects.bulk_create(batch, batch_size=5000)
    changes = []
    for deal in saved:
        path = [stage for stage in stages if stage.kind == Stage.Kind.OPEN]
        if deal.stage.kind == Stage.Kind.OPEN:
            path = path[: path.index(deal.stage) + 1]
        else:
            path = [*[stage for stage in path if stage.order <= deal.furthest_order], deal.stage]
        previous = None
        for step, stage in enumerate(path):
            at = deal.stage_entered_at - datetime.timedelta(days=3 * (len(path) - 1 - step))
            spent = datetime.timedelta(days=3) if previous else None
            changes.append(
                StageChange(
                    deal=deal, from_stage=previous, to_stage=stage, at=at, time_in_previous=spent
                )
            )
            previous = stage
    return changes


def timed(client, method: str, url: str, count: int, **kwargs) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = getattr(client, method)
    for _warm in range(3):
        call(url() if callable(url) else url, **kwargs)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = call(url() if callable(url) else url, **kwargs)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 302), (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        call(url() if callable(url) else url, **kwargs)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


class Mover:
    """Deals in New or Qualified, each moved to the other one in turn (no stage rule there)."""

    def __init__(self, stages: dict[int, int], new: int, qualified: int, rng: random.Random):
        self.stages, self.new, self.qualified, self.rng = stages, new, qualified, rng

    def next(self) -> tuple[int, int]:
        deal_id = self.rng.choice(list(self.stages))
        target = self.qualified if self.stages[deal_id] == self.new else self.new
        self.stages[deal_id] = target
        return deal_id, target


def measure(requests: int, seed: int) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from klientela.accounts.services import issue_token
    from klientela.sales.models import Deal, Stage

    rng = random.Random(seed)
    users = get_user_model().objects
    log(f"\n{describe_machine()}; {load_average()}.")
    log(f"{'Who':<16} {'Scenario':<42} {'median ms':>10} {'p95 ms':>8} {'queries':>8} target")
    for username in ("team1_manager1", "team1_head", "bench_admin"):
        user = users.get(username=username)
        pages = Client()
        pages.force_login(user)
        visible = Deal.objects.visible_to(user)
        open_deals = list(visible.filter(stage__kind=Stage.Kind.OPEN).values_list("pk", flat=True))
        new, qualified = (
            Stage.objects.get(name="New", pipeline__deals__pk=open_deals[0]),
            Stage.objects.get(name="Qualified", pipeline__deals__pk=open_deals[0]),
        )
        movable = list(
            visible.filter(stage__in=[new, qualified]).values_list("pk", "stage_id")[: requests * 2]
        )
        mover = Mover(dict(movable), new.pk, qualified.pk, rng)

        rows = [
            ("Kanban page (all stages)", "get", "/deals/", {}, 150),
            ("Sales report (funnel, lost reasons)", "get", "/deals/report/", {}, 500),
        ]
        for name, method, url, kwargs, target in rows:
            median, p95, queries = timed(
                pages, method, url, requests if "Kanban" in name else 10, **kwargs
            )
            log(
                f"{username:<16} {name:<42} {median:>10.1f} {p95:>8.1f} {queries:>8} "
                f"p95 < {target}: {'yes' if p95 < target else 'NO'}"
            )
        token = issue_token(actor=user, user=user, name="bench")[1]
        api = Client(headers={"Authorization": f"Bearer {token}"})

        times = []
        for _ in range(requests):
            deal_id, target = mover.next()
            started = time.perf_counter()
            response = api.post(
                f"/api/v1/deals/{deal_id}/move",
                {"stage_id": target},
                content_type="application/json",
            )
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        log(
            f"{username:<16} {'Move a deal (API)':<42} {statistics.median(times):>10.1f} "
            f"{p95:>8.1f} {'':>8} p95 < 50: {'yes' if p95 < 50 else 'NO'}"
        )


def main() -> None:
    options = arguments()
    ensure_database(options.database_url)
    setup_django(options.database_url)
    import fill
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if fill.filled_with() is None:
        raise SystemExit(
            "Fill the customer base first: uv run python bench/customers.py --fill-only"
        )
    fill.ensure_users()
    from klientela.sales.models import Deal

    if options.refill or Deal.objects.count() != options.deals:
        log(f"Writing {options.deals:,} deals ({options.open:,} open)...")
        seconds = fill_deals(options.deals, options.open, options.seed)
        log(f"Deals written in {seconds:.0f} s.")
    measure(options.requests, options.seed)


if __name__ == "__main__":
    main()
