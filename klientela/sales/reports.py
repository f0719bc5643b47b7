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
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import get_language

from klientela.catalog.services import Rates, add_amounts

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
    # In the reporting currency; None when an amount had no exchange rate.
    amount: Decimal | None


@dataclass
class Report:
    pipeline: Pipeline
    deals: int
    won: int
    lost: int
    steps: list[FunnelStep] = field(default_factory=list)
    reasons: list[LostReason] = field(default_factory=list)
    competitors: list[tuple[str, int]] = field(default_factory=list)
    # Won and lost amounts in the reporting currency (None: some amount had no rate).
    currency: str = ""
    won_amount: Decimal | None = Decimal(0)
    lost_amount: Decimal | None = Decimal(0)
    missing_rates: list[str] = field(default_factory=list)


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

    rates = Rates.load()
    report.currency = rates.base
    # Amounts convert at the rate of the day the deal closed, summed per currency and day first.
    closed = (
        deals.exclude(stage__kind=Stage.Kind.OPEN)
        .exclude(amount=None)
        .annotate(day=TruncDate("closed_at"))
        .values("stage__kind", "lost_reason", "currency", "day")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by()
    )
    lost_by_reason: dict = {}
    for row in closed:
        amount = rates.convert(row["total"], row["currency"], row["day"])
        if row["stage__kind"] == Stage.Kind.WON:
            report.won_amount = add_amounts(report.won_amount, amount)
        else:
            report.lost_amount = add_amounts(report.lost_amount, amount)
            reason = row["lost_reason"]
            lost_by_reason[reason] = add_amounts(lost_by_reason.get(reason, Decimal(0)), amount)
    reason_rows = list(lost.values("lost_reason").annotate(n=Count("id")).order_by("-n"))
    items = ReferenceItem.objects.in_bulk([row["lost_reason"] for row in reason_rows])
    report.reasons = [
        LostReason(
            label=items[row["lost_reason"]].label_in(language) if row["lost_reason"] else "—",
            deals=row["n"],
            amount=lost_by_reason.get(row["lost_reason"], Decimal(0)),
        )
        for row in reason_rows
    ]
    report.missing_rates = sorted(rates.missing)
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
    amount_title = _("Amount, %(currency)s") % {"currency": report.currency}
    lost.append([_("Lost reason"), _("Deals"), amount_title])
    for reason in report.reasons:
        lost.append([reason.label, reason.deals, _cell(reason.amount)])
    lost.append([])
    lost.append([_("Competitor who won"), _("Deals")])
    for name, count in report.competitors:
        lost.append([name, count])
    lost.append([])
    lost.append([_("Won"), report.won, _cell(report.won_amount)])
    lost.append([_("Lost"), report.lost, _cell(report.lost_amount)])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(amount: Decimal | None):
    """A converted amount in a workbook: a number, or the words "no rate"."""
    from django.utils.translation import gettext as _

    return float(amount) if amount is not None else _("no rate")


# --- Forecast and plan vs fact ----------------------------------------------------------------


@dataclass
class PlanRow:
    manager: object
    month: datetime.date
    currency: str
    plan: Decimal | None
    # Fact and forecast are None when an amount in them had no exchange rate.
    fact: Decimal | None
    weighted: Decimal | None
    plan_missing_rate: bool = False

    @property
    def done_percent(self) -> int | None:
        if not self.plan or self.fact is None:
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


def weighted_amount():
    """An open deal's amount times its probability (its own, else its stage's)."""
    from django.db.models import DecimalField, Value

    chance = Coalesce(F("probability"), F("stage__probability"))
    return ExpressionWrapper(
        Coalesce(F("amount"), Value(Decimal(0))) * chance / Value(Decimal(100)),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


def plan_vs_fact(user, *, months: list[datetime.date], rates: Rates | None = None) -> list[PlanRow]:
    """Per manager, month and currency: the plan, deals won (fact), open deals x probability.

    Given ``rates``, each manager's month is summed in the reporting currency instead: a plan
    at the rate of its month's first day, a won deal at the rate of the day it closed, an open
    deal at the rate of its expected close (the latest known rate for days still to come).
    """
    from .models import SalesPlan

    managers = {manager.pk: manager for manager in visible_managers(user)}
    first, last = min(months), max(months)
    after_last = (last + datetime.timedelta(days=32)).replace(day=1)
    deals = Deal.objects.visible_to(user).filter(responsible_id__in=managers)
    rows: dict[tuple, PlanRow] = {}

    def add(manager_id, day, currency, name, amount) -> None:
        month = month_start(day)
        if rates is not None:
            amount = rates.convert(amount, currency, day)
            currency = rates.base
        key = (manager_id, month, currency)
        if key not in rows:
            rows[key] = PlanRow(managers[manager_id], month, currency, None, Decimal(0), Decimal(0))
        row = rows[key]
        if name == "plan":
            if amount is None or row.plan_missing_rate:
                row.plan, row.plan_missing_rate = None, True
            else:
                row.plan = amount + (row.plan or Decimal(0))
        else:
            setattr(row, name, add_amounts(getattr(row, name), amount))

    for plan in SalesPlan.objects.filter(
        responsible_id__in=managers, month__gte=first, month__lt=after_last
    ):
        add(plan.responsible_id, plan.month, plan.currency, "plan", plan.amount)
    won = (
        deals.filter(
            stage__kind=Stage.Kind.WON, closed_at__date__gte=first, closed_at__date__lt=after_last
        )
        .annotate(day=TruncDate("closed_at"))
        .values("responsible", "day", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for item in won:
        add(item["responsible"], item["day"], item["currency"], "fact", item["total"] or Decimal(0))
    weighted = (
        deals.filter(
            stage__kind=Stage.Kind.OPEN, expected_close__gte=first, expected_close__lt=after_last
        )
        .values("responsible", "expected_close", "currency")
        .annotate(total=Sum(weighted_amount()))
        .order_by()
    )
    for item in weighted:
        total = (item["total"] or Decimal(0)).quantize(Decimal("0.01"))
        add(item["responsible"], item["expected_close"], item["currency"], "weighted", total)
    return sorted(rows.values(), key=lambda item: (item.month, str(item.manager), item.currency))
