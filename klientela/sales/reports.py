"""Sales analytics over the deals a user may see: the funnel and why deals are lost.

Each figure is one grouped query, so a report over hundreds of thousands of deals reads a few
rows back, not the deals.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from .models import Deal, Pipeline, Stage, StageChange


@dataclass
class FunnelStep:
    stage: Stage
    reached: int
    # Share of the deals that reached the previous stage and got this far (None for the first).
    conversion: float | None
    average_days: float | None


@dataclass
class LostReason:
    label: str
    deals: int
    amount: Decimal


@dataclass
class Report:
    pipeline: Pipeline
    deals: int
    won: int
    lost: int
    steps: list[FunnelStep] = field(default_factory=list)
    reasons: list[LostReason] = field(default_factory=list)
    competitors: list[tuple[str, int]] = field(default_factory=list)


def scoped_deals(
    user,
    pipeline: Pipeline,
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    responsible=None,
):
    deals = Deal.objects.visible_to(user).filter(pipeline=pipeline)
    if since:
        deals = deals.filter(created_at__date__gte=since)
    if until:
        deals = deals.filter(created_at__date__lte=until)
    if responsible is not None:
        deals = deals.filter(responsible=responsible)
    return deals


def sales_report(user, pipeline: Pipeline, **filters) -> Report:
    deals = scoped_deals(user, pipeline, **filters)
    stages = list(pipeline.stages.all())
    open_stages = [stage for stage in stages if stage.kind != Stage.Kind.LOST]
    # How far each deal got: the furthest non-lost stage it ever entered (kept on the deal).
    reached_at = {
        row["furthest_order"]: row["n"]
        for row in deals.order_by().values("furthest_order").annotate(n=Count("id"))
    }
    durations = _average_days(deals)
    steps, previous = [], None
    for stage in open_stages:
        reached = sum(n for top, n in reached_at.items() if top is not None and top >= stage.order)
        conversion = None if previous is None else (reached / previous if previous else 0.0)
        # Time "in" a final stage is just time since closing: not shown.
        days = None if stage.is_final else durations.get(stage.pk)
        steps.append(FunnelStep(stage, reached, conversion, days))
        previous = reached
    totals = deals.order_by().values("stage__kind").annotate(n=Count("id"))
    by_kind = {row["stage__kind"]: row["n"] for row in totals}
    report = Report(
        pipeline=pipeline,
        deals=sum(by_kind.values()),
        won=by_kind.get(Stage.Kind.WON, 0),
        lost=by_kind.get(Stage.Kind.LOST, 0),
        steps=steps,
    )
    lost = deals.filter(stage__kind=Stage.Kind.LOST).order_by()
    language = get_language()
    from klientela.core.models import ReferenceItem

    reason_rows = list(
        lost.values("lost_reason").annotate(n=Count("id"), amount=Sum("amount")).order_by("-n")
    )
    items = ReferenceItem.objects.in_bulk([row["lost_reason"] for row in reason_rows])
    report.reasons = [
        LostReason(
            label=items[row["lost_reason"]].label_in(language) if row["lost_reason"] else "—",
            deals=row["n"],
            amount=row["amount"] or Decimal(0),
        )
        for row in reason_rows
    ]
    report.competitors = [
        (row["competitor__name"], row["n"])
        for row in lost.exclude(competitor=None)
        .values("competitor__name")
        .annotate(n=Count("id"))
        .order_by("-n", "competitor__name")[:10]
    ]
    return report


def _average_days(deals) -> dict[int, float]:
    """Average days deals spent in each stage before moving on (kept on each stage change)."""
    rows = (
        StageChange.objects.filter(deal__in=deals.values("pk"), from_stage__isnull=False)
        .values("from_stage")
        .annotate(average=Avg("time_in_previous"))
        .order_by()
    )
    return {
        row["from_stage"]: row["average"].total_seconds() / 86400
        for row in rows
        if row["average"] is not None
    }


def report_xlsx(report: Report) -> bytes:
    """The report as a workbook: the funnel, then lost reasons and competitors."""
    from io import BytesIO

    from django.utils.translation import gettext as _
    from openpyxl import Workbook

    book = Workbook()
    funnel = book.active
    funnel.title = _("Funnel")[:31]
    funnel.append([_("Stage"), _("Deals reached"), _("Conversion, %"), _("Average days")])
    for step in report.steps:
        funnel.append(
            [
                step.stage.name,
                step.reached,
                round(step.conversion * 100, 1) if step.conversion is not None else None,
                round(step.average_days, 1) if step.average_days is not None else None,
            ]
        )
    lost = book.create_sheet(_("Lost")[:31])
    lost.append([_("Lost reason"), _("Deals"), _("Amount")])
    for reason in report.reasons:
        lost.append([reason.label, reason.deals, float(reason.amount)])
    lost.append([])
    lost.append([_("Competitor who won"), _("Deals")])
    for name, count in report.competitors:
        lost.append([name, count])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Forecast and plan vs fact ----------------------------------------------------------------


@dataclass
class PlanRow:
    manager: object
    month: datetime.date
    currency: str
    plan: Decimal | None
    fact: Decimal
    weighted: Decimal

    @property
    def done_percent(self) -> int | None:
        if not self.plan:
            return None
        return int(self.fact * 100 / self.plan)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def visible_managers(user):
    """Whose plans a user may see: everyone for whom they see all deals, their team, themselves."""
    from django.contrib.auth import get_user_model

    from klientela.core import access

    users = get_user_model().objects.filter(is_active=True)
    scope = access.scope_for(user, "deal", "view")
    if scope == access.Scope.ALL:
        return users
    if scope == access.Scope.TEAM and user.team_id is not None:
        return users.filter(team_id=user.team_id)
    return users.filter(pk=user.pk)


def plan_vs_fact(user, *, months: list[datetime.date]) -> list[PlanRow]:
    """Per manager, month and currency: the plan, deals won (fact), open deals x probability."""
    from django.db.models import DecimalField, Value
    from django.db.models.functions import TruncMonth

    from .models import SalesPlan

    managers = {manager.pk: manager for manager in visible_managers(user)}
    first, last = min(months), max(months)
    after_last = (last + datetime.timedelta(days=32)).replace(day=1)
    deals = Deal.objects.visible_to(user).filter(responsible_id__in=managers)
    rows: dict[tuple, PlanRow] = {}

    def row(manager_id, month, currency) -> PlanRow:
        key = (manager_id, month, currency)
        if key not in rows:
            rows[key] = PlanRow(managers[manager_id], month, currency, None, Decimal(0), Decimal(0))
        return rows[key]

    for plan in SalesPlan.objects.filter(
        responsible_id__in=managers, month__gte=first, month__lt=after_last
    ):
        row(plan.responsible_id, plan.month, plan.currency).plan = plan.amount
    won = (
        deals.filter(
            stage__kind=Stage.Kind.WON, closed_at__date__gte=first, closed_at__date__lt=after_last
        )
        .annotate(month=TruncMonth("closed_at"))
        .values("responsible", "month", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for item in won:
        month = item["month"].date() if hasattr(item["month"], "date") else item["month"]
        row(item["responsible"], month, item["currency"]).fact = item["total"] or Decimal(0)
    chance = Coalesce(F("probability"), F("stage__probability"))
    weighted = (
        deals.filter(
            stage__kind=Stage.Kind.OPEN, expected_close__gte=first, expected_close__lt=after_last
        )
        .annotate(month=TruncMonth("expected_close"))
        .values("responsible", "month", "currency")
        .annotate(
            total=Sum(
                ExpressionWrapper(
                    Coalesce(F("amount"), Value(Decimal(0))) * chance / Value(Decimal(100)),
                    output_field=DecimalField(max_digits=16, decimal_places=2),
                )
            )
        )
        .order_by()
    )
    for item in weighted:
        month = item["month"].date() if hasattr(item["month"], "date") else item["month"]
        row(item["responsible"], month, item["currency"]).weighted = (
            item["total"] or Decimal(0)
        ).quantize(Decimal("0.01"))
    return sorted(rows.values(), key=lambda item: (item.month, str(item.manager), item.currency))
