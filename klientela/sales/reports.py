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
    rates = Rates.load()
    # The closed deals per kind, lost reason and currency give the counts, the lost reasons
    # and the amounts already in the reporting currency. Amounts in other currencies convert at
    # the rate of the day the deal closed: only those are summed per day too (grouping every
    # deal by day made PostgreSQL sort 180,000 rows on disk).
    closed = deals.exclude(stage__kind=Stage.Kind.OPEN).order_by()
    keys = ("stage__kind", "lost_reason", "currency")
    by_currency = closed.values(*keys).annotate(n=Count("id"), total=Sum("amount"))
    by_day = (
        closed.exclude(currency=rates.base)
        .exclude(amount=None)
        .annotate(day=TruncDate("closed_at"))
        .values(*keys, "day")
        .annotate(total=Sum("amount"))
    )
    report = Report(pipeline=pipeline, deals=0, won=0, lost=0, steps=steps)
    report.currency = rates.base
    reason_counts: dict = {}
    for row in by_currency:
        if row["stage__kind"] == Stage.Kind.WON:
            report.won += row["n"]
        else:
            report.lost += row["n"]
            reason = row["lost_reason"]
            reason_counts[reason] = reason_counts.get(reason, 0) + row["n"]
    # (kind, lost reason, amount in the reporting currency or None: no rate for it)
    amounts = [
        (row["stage__kind"], row["lost_reason"], row["total"] or Decimal(0))
        for row in by_currency
        if row["currency"] == rates.base
    ]
    amounts += [
        (
            row["stage__kind"],
            row["lost_reason"],
            rates.convert(row["total"], row["currency"], row["day"]),
        )
        for row in by_day
    ]
    lost_by_reason: dict = {}
    for kind, reason, amount in amounts:
        if kind == Stage.Kind.WON:
            report.won_amount = add_amounts(report.won_amount, amount)
        else:
            report.lost_amount = add_amounts(report.lost_amount, amount)
            lost_by_reason[reason] = add_amounts(lost_by_reason.get(reason, Decimal(0)), amount)
    report.deals = report.won + report.lost + deals.filter(stage__kind=Stage.Kind.OPEN).count()
    lost = deals.filter(stage__kind=Stage.Kind.LOST).order_by()
    language = get_language()
    from klientela.core.models import ReferenceItem

    items = ReferenceItem.objects.in_bulk([reason for reason in reason_counts if reason])
    report.reasons = [
        LostReason(
            label=items[reason].label_in(language) if reason else "—",
            deals=count,
            amount=lost_by_reason.get(reason, Decimal(0)),
        )
        for reason, count in sorted(reason_counts.items(), key=lambda item: -item[1])
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
    # A manager, a team, a region (its name) or a product category.
    subject: object
    # For region and category rows: the team whose deals count; None for the whole company.
    team: object | None
    starts: datetime.date
    currency: str
    plan: Decimal | None
    # Fact and forecast are None when an amount in them had no exchange rate.
    fact: Decimal | None
    weighted: Decimal | None
    plan_missing_rate: bool = False
    plan_ids: list[int] = field(default_factory=list)

    @property
    def done_percent(self) -> int | None:
        if not self.plan or self.fact is None:
            return None
        return int(self.fact * 100 / self.plan)

    @property
    def quarter(self) -> int:
        return (self.starts.month - 1) // 3 + 1


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def period_end(start: datetime.date, period: str) -> datetime.date:
    """The first day of the next month or quarter."""
    months = 3 if period == "quarter" else 1
    month = start.month - 1 + months
    return datetime.date(start.year + month // 12, month % 12 + 1, 1)


def periods(first: datetime.date, period: str, count: int = 3) -> list[datetime.date]:
    from .services import period_start

    starts = [period_start(first, period)]
    while len(starts) < count:
        starts.append(period_end(starts[-1], period))
    return starts


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


def visible_teams(user):
    """Teams whose plans a user may see: all of them, or their own when they see its deals.

    A manager who sees only their own deals sees no team, region or category plans: the facts
    of those would count only the manager's deals and mislead.
    """
    from klientela.accounts.models import Team
    from klientela.core import access

    scope = access.scope_for(user, "deal", "view")
    if scope == access.Scope.ALL:
        return Team.objects.all()
    if scope == access.Scope.TEAM and user.team_id is not None:
        return Team.objects.filter(pk=user.team_id)
    return Team.objects.none()


def plan_dimensions(user) -> list[str]:
    """The kinds of plans a user may see: managers always, the rest with the team's deals."""
    from .models import SalesPlan

    if not visible_teams(user).exists():
        return [SalesPlan.Dimension.MANAGER]
    return list(SalesPlan.Dimension.values)


def weighted_amount(prefix: str = "", base=None):
    """An open deal's amount (or ``base``) times its probability (its own, else its stage's)."""
    from django.db.models import DecimalField, Value

    chance = Coalesce(F(f"{prefix}probability"), F(f"{prefix}stage__probability"))
    amount = base if base is not None else Coalesce(F("amount"), Value(Decimal(0)))
    return ExpressionWrapper(
        amount * chance / Value(Decimal(100)),
        output_field=DecimalField(max_digits=18, decimal_places=4),
    )


def line_share():
    """A deal line's part of its deal's amount: the line's net less the deal's discount, plus the
    line's tax; so the categories of a deal add up to its amount (see services.deal_totals)."""
    from django.db.models import DecimalField, Value

    hundred = Value(Decimal(100))
    return ExpressionWrapper(
        F("quantity")
        * F("unit_price")
        * (hundred - F("discount_percent"))
        / hundred
        * (hundred - F("deal__discount_percent"))
        / hundred
        * (hundred + F("tax_rate"))
        / hundred,
        output_field=DecimalField(max_digits=18, decimal_places=4),
    )


def client_region():
    """The region of the deal's client organization: its primary address's, else its first's."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Trim

    from klientela.customers.models import Address

    regions = Address.objects.filter(organization=OuterRef("organization_id")).order_by(
        "-is_primary", "id"
    )
    return Trim(Subquery(regions.values("region")[:1]))


def plan_vs_fact(
    user,
    *,
    starts: list[datetime.date],
    dimension: str = "manager",
    period: str = "month",
    rates: Rates | None = None,
) -> list[PlanRow]:
    """Per subject (manager, team, region or category), period and currency: the plan, what was
    won (fact) and the open deals expected to close then, times their probability (forecast).

    Fact of a manager: their won deals; of a team: its managers' won deals (the team the deal
    carries); of a region: won deals whose client organization is in it; of a category: the won
    deal lines of its products (``line_share``). A region or category plan of a team counts that
    team's deals; one without a team counts all the deals the user sees (administrators see all).

    Given ``rates``, amounts are summed in the reporting currency: a plan at the rate of its
    period's first day, a won deal at the rate of the day it closed, an open deal at the rate of
    its expected close (the latest known rate for days still to come).
    """
    from django.db.models.functions import Upper

    from klientela.catalog.models import Category
    from klientela.core import access

    from .models import DealLine, SalesPlan
    from .services import period_start

    Dimension = SalesPlan.Dimension
    if dimension not in plan_dimensions(user):
        return []
    first, end = min(starts), period_end(max(starts), period)
    deals = Deal.objects.visible_to(user)
    plans = SalesPlan.objects.filter(
        dimension=dimension, period=period, starts__gte=first, starts__lt=end
    ).select_related("responsible", "team", "category")
    subjects: dict = {}
    teams = {team.pk: team for team in visible_teams(user)}
    sees_all = access.scope_for(user, "deal", "view") == access.Scope.ALL
    if dimension == Dimension.MANAGER:
        subjects = {manager.pk: manager for manager in visible_managers(user)}
        plans = plans.filter(responsible_id__in=subjects)
        deals = deals.filter(responsible_id__in=subjects)
    elif dimension == Dimension.TEAM:
        subjects = teams
        plans = plans.filter(team_id__in=teams)
        deals = deals.filter(responsible_team_id__in=teams)
    elif not sees_all:
        plans = plans.filter(team_id__in=teams)

    def plan_key(plan):
        if dimension == Dimension.MANAGER:
            return plan.responsible_id
        if dimension == Dimension.TEAM:
            return plan.team_id
        if dimension == Dimension.REGION:
            subjects.setdefault((plan.team_id, plan.region.upper()), plan.region)
            return (plan.team_id, plan.region.upper())
        subjects.setdefault((plan.team_id, plan.category_id), plan.category)
        return (plan.team_id, plan.category_id)

    plans = list(plans)
    planned = {plan_key(plan) for plan in plans}
    rows: dict[tuple, PlanRow] = {}

    def targets(team_id, value) -> list:
        """The rows a fact of ``team_id``'s deal counts in (region and category)."""
        found = [(None, value)] if sees_all else [(user.team_id, value)]
        if sees_all and (team_id, value) in planned:
            found.append((team_id, value))
        return found

    def add(key, day, currency, name, amount) -> PlanRow:
        starts_on = period_start(day, period)
        if rates is not None:
            amount = rates.convert(amount, currency, starts_on if name == "plan" else day)
            currency = rates.base
        row = rows.get((key, starts_on, currency))
        if row is None:
            team = None
            if dimension in (Dimension.REGION, Dimension.CATEGORY):
                team = teams.get(key[0]) if key[0] is not None else None
            row = PlanRow(
                subjects.get(key), team, starts_on, currency, None, Decimal(0), Decimal(0)
            )
            rows[(key, starts_on, currency)] = row
        if name == "plan":
            if amount is None or row.plan_missing_rate:
                row.plan, row.plan_missing_rate = None, True
            else:
                row.plan = amount + (row.plan or Decimal(0))
        else:
            setattr(row, name, add_amounts(getattr(row, name), amount))
        return row

    for plan in plans:
        add(plan_key(plan), plan.starts, plan.currency, "plan", plan.amount).plan_ids.append(
            plan.pk
        )

    won = deals.filter(
        stage__kind=Stage.Kind.WON, closed_at__date__gte=first, closed_at__date__lt=end
    )
    expected = deals.filter(
        stage__kind=Stage.Kind.OPEN, expected_close__gte=first, expected_close__lt=end
    )
    if dimension == Dimension.CATEGORY:
        lines = DealLine.objects.exclude(product__category=None)
        sources = [
            (
                "fact",
                lines.filter(deal__in=won.values("pk")).values(
                    "product__category",
                    team=F("deal__responsible_team"),
                    currency=F("deal__currency"),
                    day=TruncDate("deal__closed_at"),
                ),
                Sum(line_share()),
            ),
            (
                "weighted",
                lines.filter(deal__in=expected.values("pk")).values(
                    "product__category",
                    team=F("deal__responsible_team"),
                    currency=F("deal__currency"),
                    day=F("deal__expected_close"),
                ),
                Sum(weighted_amount("deal__", base=line_share())),
            ),
        ]
    else:
        group = {
            Dimension.MANAGER: {"subject": F("responsible")},
            Dimension.TEAM: {"subject": F("responsible_team")},
            Dimension.REGION: {
                "team": F("responsible_team"),
                "region_key": Upper(client_region()),
                "region_name": client_region(),
            },
        }[dimension]
        sources = [
            (
                "fact",
                won.values("currency", **group, day=TruncDate("closed_at")),
                Sum("amount"),
            ),
            (
                "weighted",
                expected.values("currency", **group, day=F("expected_close")),
                Sum(weighted_amount()),
            ),
        ]
    for name, grouped, total in sources:
        for item in grouped.annotate(total=total).order_by():
            amount = (item["total"] or Decimal(0)).quantize(Decimal("0.01"))
            if dimension in (Dimension.MANAGER, Dimension.TEAM):
                keys = [item["subject"]]
            elif dimension == Dimension.REGION:
                if not item["region_key"]:
                    continue
                keys = targets(item["team"], item["region_key"])
                for key in keys:
                    subjects.setdefault(key, item["region_name"])
            else:
                keys = targets(item["team"], item["product__category"])
            for key in keys:
                add(key, item["day"], item["currency"], name, amount)
    if dimension == Dimension.CATEGORY:
        # Categories with facts but no plan are read once, at the end.
        unnamed = {key[1] for key, _starts, _currency in rows if key not in subjects}
        found = Category.objects.in_bulk(unnamed)
        for (key, _starts, _currency), row in rows.items():
            row.subject = subjects.get(key) or found.get(key[1])
    return sorted(
        rows.values(),
        key=lambda row: (
            row.starts,
            str(row.subject).casefold(),
            str(row.team or "").casefold(),
            row.currency,
        ),
    )


# --- Manager performance --------------------------------------------------------------------


@dataclass
class Performance:
    """One manager's results in a period; amounts in the reporting currency (None: no rate)."""

    manager: object
    won: int = 0
    won_amount: Decimal | None = Decimal(0)
    lost: int = 0
    # Days from a won deal's creation to its win, summed (averaged by ``average_cycle_days``).
    cycle_days: float = 0.0
    weighted: Decimal | None = Decimal(0)

    @property
    def win_rate(self) -> float | None:
        """Won of the deals closed (won or lost) in the period, as a share."""
        closed = self.won + self.lost
        return self.won / closed if closed else None

    @property
    def average_deal(self) -> Decimal | None:
        if not self.won or self.won_amount is None:
            return None
        return (self.won_amount / self.won).quantize(Decimal("0.01"))

    @property
    def average_cycle_days(self) -> float | None:
        return self.cycle_days / self.won if self.won else None

    def add(self, other: Performance) -> None:
        self.won += other.won
        self.lost += other.lost
        self.cycle_days += other.cycle_days
        self.won_amount = add_amounts(self.won_amount, other.won_amount)
        self.weighted = add_amounts(self.weighted, other.weighted)


def manager_performance(
    user,
    *,
    since: datetime.date,
    until: datetime.date,
    rates: Rates,
    team=None,
    pipeline: Pipeline | None = None,
) -> tuple[list[Performance], Performance]:
    """Per manager the user may see: deals won (count, amount), lost, win rate, average won deal,
    average days from creation to win, all for deals closed from ``since`` to ``until``; and the
    weighted pipeline of their open deals now. Returns the rows and their total.

    A few grouped queries whatever the number of managers or deals. Won amounts convert at the
    rate of the day the deal closed, the open pipeline at today's rate.
    """
    from django.db.models import DurationField
    from django.utils import timezone

    managers = visible_managers(user)
    if team is not None:
        managers = managers.filter(team=team)
    managers = {manager.pk: manager for manager in managers.order_by("username")}
    deals = Deal.objects.visible_to(user).filter(responsible_id__in=managers)
    if pipeline is not None:
        deals = deals.filter(pipeline=pipeline)
    rows: dict[int, Performance] = {}

    def row(manager_id) -> Performance:
        if manager_id not in rows:
            rows[manager_id] = Performance(managers[manager_id])
        return rows[manager_id]

    closed = deals.filter(
        stage__kind__in=[Stage.Kind.WON, Stage.Kind.LOST],
        closed_at__date__gte=since,
        closed_at__date__lte=until,
    )
    cycle = ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())
    grouped = (
        closed.values("responsible", "stage__kind", "currency", day=TruncDate("closed_at"))
        .annotate(n=Count("id"), total=Sum("amount"), cycle=Sum(cycle))
        .order_by()
    )
    for item in grouped:
        target = row(item["responsible"])
        if item["stage__kind"] == Stage.Kind.LOST:
            target.lost += item["n"]
            continue
        target.won += item["n"]
        target.cycle_days += item["cycle"].total_seconds() / 86400 if item["cycle"] else 0.0
        amount = rates.convert(item["total"] or Decimal(0), item["currency"], item["day"])
        target.won_amount = add_amounts(target.won_amount, amount)
    today = timezone.localdate()
    open_deals = (
        deals.filter(stage__kind=Stage.Kind.OPEN)
        .values("responsible", "currency")
        .annotate(total=Sum(weighted_amount()))
        .order_by()
    )
    for item in open_deals:
        total = (item["total"] or Decimal(0)).quantize(Decimal("0.01"))
        target = row(item["responsible"])
        target.weighted = add_amounts(
            target.weighted, rates.convert(total, item["currency"], today)
        )
    if team is not None:
        # A team's page lists every member, those without results too.
        for manager_id in managers:
            row(manager_id)
    result = sorted(rows.values(), key=lambda item: str(item.manager).casefold())
    total = Performance(manager=None)
    for item in result:
        total.add(item)
    return result, total


def performance_xlsx(rows: list[Performance], total: Performance, currency: str) -> bytes:
    """The performance table as a workbook, one row per manager and the total."""
    from io import BytesIO

    from django.utils.translation import gettext as _
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Performance")[:31]
    sheet.append(
        [
            _("Manager"),
            _("Won"),
            _("Won, %(currency)s") % {"currency": currency},
            _("Lost"),
            _("Win rate, %"),
            _("Average deal, %(currency)s") % {"currency": currency},
            _("Average cycle, days"),
            _("Open pipeline (weighted), %(currency)s") % {"currency": currency},
        ]
    )
    for item in [*rows, total]:
        sheet.append(
            [
                str(item.manager) if item.manager is not None else _("Total"),
                item.won,
                _cell(item.won_amount),
                item.lost,
                round(item.win_rate * 100, 1) if item.win_rate is not None else None,
                _cell(item.average_deal) if item.won else None,
                round(item.average_cycle_days, 1) if item.average_cycle_days is not None else None,
                _cell(item.weighted),
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plans_xlsx(rows: list[PlanRow], *, dimension_label: str, period: str) -> bytes:
    """Plan vs fact as a workbook: one row per subject, period and currency, as on the page."""
    from io import BytesIO

    from django.utils.translation import gettext as _
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Plans")[:31]
    with_team = any(row.team is not None for row in rows)
    sheet.append(
        [
            _("Quarter") if period == "quarter" else _("Month"),
            str(dimension_label),
            *([_("Team")] if with_team else []),
            _("Currency"),
            _("Plan"),
            _("Fact"),
            _("Done, %"),
            _("Forecast"),
        ]
    )
    for row in rows:
        when = f"Q{row.quarter} {row.starts.year}" if period == "quarter" else row.starts
        sheet.append(
            [
                when,
                str(row.subject) if row.subject is not None else "",
                *([str(row.team) if row.team else _("Whole company")] if with_team else []),
                row.currency,
                float(row.plan) if row.plan is not None else None,
                _cell(row.fact),
                row.done_percent,
                _cell(row.weighted),
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
