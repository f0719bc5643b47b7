# ruff: noqa: RUF001 (names in Russian are meant)
"""Demo deals: a year of them in the default pipeline, with stage histories, for every manager."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from klientela.catalog.models import Category
from klientela.core.demodata import DemoLoader
from klientela.core.models import ReferenceItem
from klientela.customers.models import Organization

from .models import LOST_REASONS, Deal, Lead, SalesPlan, Stage, StageChange
from .services import ensure_sales_defaults, period_start

SEED = 2026
PRODUCTS = ["CRM licences", "Implementation", "Support contract", "Training", "Integration"]


def is_loaded() -> bool:
    return Deal.objects.exists()


def load_deals(context: dict) -> None:
    ensure_sales_defaults()
    rng = random.Random(SEED)
    reasons = list(ReferenceItem.objects.filter(reference_list__key=LOST_REASONS))
    competitors = list(Organization.objects.filter(types__key="competitor")[:5])
    now = timezone.now()
    changes = []
    for organization in Organization.objects.exclude(responsible=None).order_by("id")[:150]:
        stages = list(organization_pipeline_stages())
        index = rng.choices(range(len(stages)), weights=[5, 4, 3, 2, 4, 3])[0]
        stage = stages[index]
        created = now - datetime.timedelta(days=rng.randint(5, 360))
        deal = Deal(
            title=f"{rng.choice(PRODUCTS)} — {organization.name}"[:200],
            pipeline=stage.pipeline,
            stage=stage,
            organization=organization,
            amount=Decimal(rng.randrange(1_000, 200_000, 500)),
            currency=rng.choice(["EUR", "EUR", "RUB", "PLN"]),
            expected_close=(now + datetime.timedelta(days=rng.randint(-30, 120))).date(),
            responsible=organization.responsible,
            stage_entered_at=created + datetime.timedelta(days=3 * index),
            closed_at=created + datetime.timedelta(days=3 * index) if stage.is_final else None,
        )
        if stage.kind == Stage.Kind.LOST:
            deal.lost_reason = rng.choice(reasons)
            if deal.lost_reason.key == "competitor" and competitors:
                deal.competitor = rng.choice(competitors)
        deal.save()
        Deal.objects.filter(pk=deal.pk).update(created_at=created)
        path = [item for item in stages[: index + 1] if not item.is_final or item == stage]
        previous = None
        for step, item in enumerate(path):
            changes.append(
                StageChange(
                    deal=deal,
                    from_stage=previous,
                    to_stage=item,
                    at=created + datetime.timedelta(days=3 * step),
                    time_in_previous=datetime.timedelta(days=3) if previous else None,
                    by=deal.responsible,
                )
            )
            previous = item
        furthest = max((item.order for item in path if item.kind != Stage.Kind.LOST), default=0)
        Deal.objects.filter(pk=deal.pk).update(furthest_order=furthest)
    StageChange.objects.bulk_create(changes)
    # A plan for this month and the next two for every manager with deals.
    month = now.date().replace(day=1)
    owners = set(Deal.objects.exclude(responsible=None).values_list("responsible", flat=True))
    plans = []
    for _step in range(3):
        plans += [
            SalesPlan(
                responsible_id=owner,
                starts=month,
                currency="EUR",
                amount=Decimal(rng.randrange(20_000, 120_000, 5_000)),
            )
            for owner in sorted(owners)
        ]
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    # This quarter's plans of every team with deals and of every product category.
    quarter = period_start(now.date(), SalesPlan.Period.QUARTER)
    teams = set(
        Deal.objects.exclude(responsible_team=None).values_list("responsible_team", flat=True)
    )
    plans += [
        SalesPlan(
            dimension=SalesPlan.Dimension.TEAM,
            period=SalesPlan.Period.QUARTER,
            team_id=team,
            starts=quarter,
            amount=Decimal(rng.randrange(300_000, 900_000, 50_000)),
        )
        for team in sorted(teams)
    ]
    plans += [
        SalesPlan(
            dimension=SalesPlan.Dimension.CATEGORY,
            period=SalesPlan.Period.QUARTER,
            category=category,
            starts=quarter,
            amount=Decimal(rng.randrange(50_000, 200_000, 10_000)),
        )
        for category in Category.objects.all()
    ]
    SalesPlan.objects.bulk_create(plans)
    load_leads(rng, sorted(owners))


# (request, company, first name, last name, phone, email)
LEADS = [
    (
        "CRM for 40 sales managers",
        "ООО «Северный ветер»",
        "Анна",
        "Кузнецова",
        "8 (812) 555-12-34",
        "a.kuznetsova@sever-veter.example",
    ),
    ("Price for 1C integration", "АО «Техноресурс»", "Павел", "Орлов", "+7 495 111-22-33", ""),
    (
        "Demo of the kanban",
        "Mazowsze Logistics Sp. z o.o.",
        "Marta",
        "Zielińska",
        "+48 22 555 01 02",
        "marta@mazowsze-log.example",
    ),
    (
        "Training for the service desk",
        "Kovinar d.o.o.",
        "Luka",
        "Novak",
        "01 555 12 34",
        "luka.novak@kovinar.example",
    ),
    ("Renewal quote", "Harbour Foods Ltd", "Oliver", "Brown", "+44 20 7946 0123", ""),
    ("Call back about pricing", "", "Сергей", "Иванов", "89161234567", ""),
]


def load_leads(rng: random.Random, owners: list[int]) -> None:
    sources = list(ReferenceItem.objects.filter(reference_list__key="sources"))
    for title, company, first, last, phone, email in LEADS:
        Lead.objects.create(
            title=title,
            company_name=company,
            first_name=first,
            last_name=last,
            phone=phone,
            email=email,
            source=rng.choice(sources) if sources else None,
            amount=Decimal(rng.randrange(2_000, 40_000, 500)),
            responsible_id=rng.choice(owners) if owners else None,
        )


def organization_pipeline_stages():
    return Stage.objects.filter(pipeline__is_active=True).order_by("pipeline__order", "order")[:6]


DEMO = DemoLoader(key="sales", order=30, load=load_deals, is_loaded=is_loaded)
