"""Sales through the API: pipelines with their stages, deals, and moving a deal to a stage."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from klientela.core import access
from klientela.core.api import LimitOffset
from klientela.core.models import ReferenceItem
from klientela.customers.filters import filter_records
from klientela.customers.models import Organization, Person

from . import services
from .filters import DealFilter
from .models import LOST_REASONS, Deal, Pipeline, Stage

router = Router(tags=["deals"])


class StageOut(Schema):
    id: int
    name: str
    order: int
    kind: str
    probability: int
    required_fields: list[str]


class PipelineOut(Schema):
    id: int
    name: str
    stages: list[StageOut]

    @staticmethod
    def resolve_stages(pipeline):
        return list(pipeline.stages.all())


class DealOut(Schema):
    id: int
    title: str
    pipeline_id: int
    stage_id: int
    organization_id: int | None
    person_id: int | None
    amount: Decimal | None
    currency: str
    expected_close: date | None
    probability: int = Field(description="The deal's own, or its stage's.")
    responsible_id: int | None
    lost_reason: str | None = Field(None, description="Item key of the `lost_reasons` list.")
    competitor_id: int | None
    stage_entered_at: datetime
    closed_at: datetime | None
    custom: dict

    @staticmethod
    def resolve_probability(deal):
        return deal.effective_probability

    @staticmethod
    def resolve_lost_reason(deal):
        return deal.lost_reason.key if deal.lost_reason_id else None


class DealIn(Schema):
    title: str
    stage_id: int | None = Field(
        None, description="Default: the first stage of the first pipeline."
    )
    organization_id: int | None = None
    person_id: int | None = None
    amount: Decimal | None = Field(None, ge=0)
    currency: str = Field("EUR", min_length=3, max_length=3)
    expected_close: date | None = None
    probability: int | None = Field(None, ge=0, le=100)
    responsible_id: int | None = Field(None, description="Default: you.")
    custom: dict | None = None


class DealPatch(Schema):
    title: str | None = None
    organization_id: int | None = None
    person_id: int | None = None
    amount: Decimal | None = Field(None, ge=0)
    currency: str | None = Field(None, min_length=3, max_length=3)
    expected_close: date | None = None
    probability: int | None = Field(None, ge=0, le=100)
    responsible_id: int | None = None
    custom: dict | None = None


class MoveIn(Schema):
    stage_id: int
    lost_reason: str | None = Field(None, description="Needed to enter a lost stage.")
    competitor_id: int | None = None


class DealFilters(Schema):
    pipeline: int | None = None
    stage: int | None = None
    responsible: int | None = None
    open: bool | None = Field(None, description="Only deals in open (or only in closed) stages.")
    q: str | None = Field(None, description="Part of the title.")


def _visible(request, action: str = "view"):
    return Deal.objects.visible_to(request.auth, action).select_related("stage", "lost_reason")


def _linked(request, data: dict) -> dict:
    """Ids of the payload turned into records the user may see (a hidden one is a 404)."""
    fields = {}
    for name, model in (("organization", Organization), ("person", Person)):
        if f"{name}_id" in data:
            pk = data.pop(f"{name}_id")
            fields[name] = (
                None
                if pk is None
                else get_object_or_404(model.objects.visible_to(request.auth), pk=pk)
            )
    if "responsible_id" in data:
        pk = data.pop("responsible_id")
        if pk is not None:
            fields["responsible"] = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    return fields


@router.get("/pipelines", response=list[PipelineOut], summary="Pipelines with their stages")
def list_pipelines(request, include_inactive: bool = False):
    access.require(request.auth, "view", Deal)
    pipelines = Pipeline.objects.prefetch_related("stages")
    return pipelines if include_inactive else pipelines.filter(is_active=True)


class StageIn(Schema):
    id: int | None = Field(None, description="Left out: a new stage.")
    name: str
    probability: int = Field(ge=0, le=100)
    kind: str = Field("open", description="open, won or lost")
    required_fields: list[str] = Field(
        [], description="Fields a deal must have to enter the stage."
    )
    delete: bool = Field(False, description="Remove the stage (refused while it holds deals).")


class PipelineIn(Schema):
    name: str
    is_active: bool = True
    stages: list[StageIn] = Field(
        description="All the stages in their order: the list replaces the pipeline's stages."
    )


class SavedPipelineOut(Schema):
    pipeline: PipelineOut
    warnings: list[str]


def _save_pipeline(request, pipeline, payload: PipelineIn) -> dict:
    saved, warnings = services.save_pipeline(
        actor=request.auth,
        pipeline=pipeline,
        name=payload.name,
        is_active=payload.is_active,
        stages=[stage.dict() for stage in payload.stages],
    )
    return {
        "pipeline": Pipeline.objects.prefetch_related("stages").get(pk=saved.pk),
        "warnings": warnings,
    }


@router.post(
    "/pipelines",
    response={201: SavedPipelineOut},
    summary="Create a pipeline with its stages (administrators)",
)
def create_pipeline(request, payload: PipelineIn):
    return Status(201, _save_pipeline(request, None, payload))


@router.get("/pipelines/{pipeline_id}", response=PipelineOut, summary="A pipeline")
def get_pipeline(request, pipeline_id: int):
    access.require(request.auth, "view", Deal)
    return get_object_or_404(Pipeline.objects.prefetch_related("stages"), pk=pipeline_id)


@router.put(
    "/pipelines/{pipeline_id}",
    response=SavedPipelineOut,
    summary="Change a pipeline and its stages (administrators)",
    description="Stages are given in their new order: with `id` they are changed, without one "
    "they are added, with `delete` removed. A pipeline is retired with `is_active: false`.",
)
def update_pipeline(request, pipeline_id: int, payload: PipelineIn):
    pipeline = get_object_or_404(Pipeline, pk=pipeline_id)
    return _save_pipeline(request, pipeline, payload)


@router.get(
    "/deals",
    response=list[DealOut],
    summary="Deals",
    description="The deals you may see. Custom fields filter as `custom.<key>` (equals; repeat "
    "it for any of several choices or users), `custom.<key>__contains` (text), "
    "`custom.<key>__gte` / `__lte` (number, money, date), `custom.<key>__currency` (money) and "
    "`custom.<key>__isnull`.",
)
@paginate(LimitOffset)
def list_deals(request, filters: Query[DealFilters]):
    deals = _visible(request).order_by("-created_at", "-id")
    # The one filter of the deal list and the funnel reads the query itself: custom field filters
    # are named per installation.
    deals = filter_records(DealFilter, request.GET, deals, request=request)
    if filters.open is not None:
        deals = (
            deals.filter(stage__kind=Stage.Kind.OPEN)
            if filters.open
            else deals.exclude(stage__kind=Stage.Kind.OPEN)
        )
    if filters.q:
        deals = deals.filter(title__icontains=filters.q)
    return deals


@router.get("/deals/{deal_id}", response=DealOut, summary="A deal")
def get_deal(request, deal_id: int):
    return get_object_or_404(_visible(request), pk=deal_id)


@router.post("/deals", response={201: DealOut}, summary="Create a deal")
def create_deal(request, payload: DealIn):
    data = payload.dict()
    stage_id = data.pop("stage_id")
    stage = get_object_or_404(Stage, pk=stage_id) if stage_id else None
    fields = _linked(request, data)
    deal = services.create_deal(actor=request.auth, stage=stage, **data, **fields)
    return Status(201, deal)


@router.patch("/deals/{deal_id}", response=DealOut, summary="Change a deal")
def update_deal(request, deal_id: int, payload: DealPatch):
    deal = get_object_or_404(_visible(request, "edit"), pk=deal_id)
    data = payload.dict(exclude_unset=True)
    custom = data.pop("custom", None)
    fields = _linked(request, data)
    return services.update_deal(actor=request.auth, deal=deal, custom=custom, **data, **fields)


@router.post(
    "/deals/{deal_id}/move",
    response=DealOut,
    summary="Move a deal to a stage",
    description="Obeys the stage's rules like the funnel: a 422 names the fields to fill first. "
    "A lost stage needs `lost_reason`.",
)
def move_deal(request, deal_id: int, payload: MoveIn):
    deal = get_object_or_404(_visible(request, "edit"), pk=deal_id)
    stage = get_object_or_404(Stage, pk=payload.stage_id)
    reason = None
    if payload.lost_reason:
        reason = get_object_or_404(
            ReferenceItem, reference_list__key=LOST_REASONS, key=payload.lost_reason
        )
    competitor = None
    if payload.competitor_id:
        competitor = get_object_or_404(
            Organization.objects.visible_to(request.auth), pk=payload.competitor_id
        )
    services.move_deal(
        actor=request.auth, deal=deal, stage=stage, lost_reason=reason, competitor=competitor
    )
    return get_object_or_404(_visible(request), pk=deal_id)


@router.delete("/deals/{deal_id}", response={204: None}, summary="Delete a deal")
def delete_deal(request, deal_id: int):
    deal = get_object_or_404(_visible(request, "delete"), pk=deal_id)
    services.delete_deal(actor=request.auth, deal=deal)
    return Status(204, None)


class LineOut(Schema):
    id: int
    product_id: int
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    tax_rate: Decimal
    net: Decimal


class LineIn(Schema):
    product_id: int
    quantity: Decimal = Field(Decimal(1), gt=0)
    discount_percent: Decimal = Field(Decimal(0), ge=0, le=100)
    unit_price: Decimal | None = Field(None, ge=0, description="Default: the client's price.")


class TotalsOut(Schema):
    lines: list[LineOut]
    discount_percent: Decimal
    subtotal: Decimal
    discount: Decimal
    tax: Decimal
    total: Decimal


def _totals(deal) -> dict:
    lines = list(deal.lines.all())
    totals = services.deal_totals(deal, lines)
    return {
        "lines": lines,
        "discount_percent": deal.discount_percent,
        **{name: getattr(totals, name) for name in ("subtotal", "discount", "tax", "total")},
    }


@router.get("/deals/{deal_id}/lines", response=TotalsOut, summary="A deal's products and totals")
def deal_lines(request, deal_id: int):
    return _totals(get_object_or_404(_visible(request), pk=deal_id))


@router.post("/deals/{deal_id}/lines", response={201: TotalsOut}, summary="Add a product")
def add_deal_line(request, deal_id: int, payload: LineIn):
    from klientela.catalog.models import Product

    deal = get_object_or_404(_visible(request, "edit"), pk=deal_id)
    product = get_object_or_404(Product, pk=payload.product_id)
    services.add_line(
        actor=request.auth,
        deal=deal,
        product=product,
        quantity=payload.quantity,
        discount_percent=payload.discount_percent,
        unit_price=payload.unit_price,
    )
    return Status(201, _totals(deal))


@router.delete("/deals/{deal_id}/lines/{line_id}", response=TotalsOut, summary="Remove a product")
def remove_deal_line(request, deal_id: int, line_id: int):
    deal = get_object_or_404(_visible(request, "edit"), pk=deal_id)
    line = get_object_or_404(deal.lines, pk=line_id)
    services.remove_line(actor=request.auth, line=line)
    return _totals(deal)


class LeadOut(Schema):
    id: int
    title: str
    company_name: str
    first_name: str
    last_name: str
    position: str
    phone: str
    email: str
    amount: Decimal | None
    currency: str
    status: str
    disqualify_reason: str
    responsible_id: int | None
    organization_id: int | None
    person_id: int | None
    deal_id: int | None
    created_at: datetime
    custom: dict


class LeadIn(Schema):
    title: str
    company_name: str = ""
    first_name: str = ""
    last_name: str = ""
    position: str = ""
    phone: str = ""
    email: str = ""
    amount: Decimal | None = Field(None, ge=0)
    currency: str = Field("EUR", min_length=3, max_length=3)
    description: str = ""
    custom: dict | None = None


class QualifyIn(Schema):
    stage_id: int | None = Field(None, description="Default: the first stage.")


class DisqualifyIn(Schema):
    reason: str


def _leads(request, action: str = "view"):
    from .models import Lead

    return Lead.objects.visible_to(request.auth, action)


@router.get("/leads", response=list[LeadOut], summary="Leads", tags=["leads"])
@paginate(LimitOffset)
def list_leads(request, status: str | None = None):
    leads = _leads(request).order_by("-created_at", "-id")
    return leads.filter(status=status) if status else leads


@router.post("/leads", response={201: LeadOut}, summary="Create a lead", tags=["leads"])
def create_lead(request, payload: LeadIn):
    return Status(201, services.create_lead(actor=request.auth, **payload.dict()))


@router.get("/leads/{lead_id}", response=LeadOut, summary="A lead", tags=["leads"])
def get_lead(request, lead_id: int):
    return get_object_or_404(_leads(request), pk=lead_id)


class LeadPatch(Schema):
    title: str | None = None
    company_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    position: str | None = None
    phone: str | None = None
    email: str | None = None
    amount: Decimal | None = Field(None, ge=0)
    currency: str | None = Field(None, min_length=3, max_length=3)
    description: str | None = None
    custom: dict | None = None


@router.patch("/leads/{lead_id}", response=LeadOut, summary="Change a lead", tags=["leads"])
def update_lead(request, lead_id: int, payload: LeadPatch):
    lead = get_object_or_404(_leads(request, "edit"), pk=lead_id)
    return services.update_lead(actor=request.auth, lead=lead, **payload.dict(exclude_unset=True))


@router.delete("/leads/{lead_id}", response={204: None}, summary="Delete a lead", tags=["leads"])
def delete_lead(request, lead_id: int):
    lead = get_object_or_404(_leads(request, "delete"), pk=lead_id)
    services.delete_lead(actor=request.auth, lead=lead)
    return Status(204, None)


@router.post(
    "/leads/{lead_id}/qualify",
    response=DealOut,
    summary="Qualify a lead",
    description="Creates the organization and/or person and a deal, carrying every field over "
    "(custom fields with the same key too). All or nothing.",
    tags=["leads"],
)
def qualify_lead(request, lead_id: int, payload: QualifyIn):
    lead = get_object_or_404(_leads(request, "edit"), pk=lead_id)
    stage = get_object_or_404(Stage, pk=payload.stage_id) if payload.stage_id else None
    deal = services.qualify_lead(actor=request.auth, lead=lead, stage=stage)
    return get_object_or_404(_visible(request), pk=deal.pk)


@router.post(
    "/leads/{lead_id}/disqualify", response=LeadOut, summary="Disqualify a lead", tags=["leads"]
)
def disqualify_lead(request, lead_id: int, payload: DisqualifyIn):
    lead = get_object_or_404(_leads(request, "edit"), pk=lead_id)
    return services.disqualify_lead(actor=request.auth, lead=lead, reason=payload.reason)


# --- Plans and performance ------------------------------------------------------------------


class PlanIn(Schema):
    dimension: str = Field("manager", description="manager, team, region or category")
    period: str = Field("month", description="month or quarter")
    starts: date = Field(description="Any day of the month or quarter.")
    amount: Decimal = Field(ge=0)
    currency: str = Field("EUR", min_length=3, max_length=3)
    manager_id: int | None = None
    team_id: int | None = Field(
        None, description="The team; for a region or category plan, empty is the whole company."
    )
    region: str = ""
    category_id: int | None = None


class PlanOut(Schema):
    id: int
    dimension: str
    period: str
    starts: date
    amount: Decimal
    currency: str
    manager_id: int | None
    team_id: int | None
    region: str
    category_id: int | None

    @staticmethod
    def resolve_manager_id(plan):
        return plan.responsible_id


class PlanRowOut(Schema):
    subject: str | None
    team: str | None
    starts: date
    currency: str
    plan: Decimal | None
    fact: Decimal | None = Field(description="None when an amount in it has no exchange rate.")
    forecast: Decimal | None
    plan_ids: list[int]

    @staticmethod
    def resolve_subject(row):
        return str(row.subject) if row.subject is not None else None

    @staticmethod
    def resolve_team(row):
        return str(row.team) if row.team is not None else None

    @staticmethod
    def resolve_forecast(row):
        return row.weighted


class PerformanceOut(Schema):
    manager_id: int | None
    manager: str | None
    won: int
    won_amount: Decimal | None
    lost: int
    win_rate: float | None
    average_deal: Decimal | None
    average_cycle_days: float | None
    weighted_pipeline: Decimal | None

    @staticmethod
    def resolve_manager_id(row):
        return row.manager.pk if row.manager is not None else None

    @staticmethod
    def resolve_manager(row):
        return str(row.manager) if row.manager is not None else None

    @staticmethod
    def resolve_weighted_pipeline(row):
        return row.weighted


class PerformanceReportOut(Schema):
    currency: str
    since: date
    until: date
    managers: list[PerformanceOut]
    total: PerformanceOut


@router.get(
    "/sales-plans",
    response=list[PlanRowOut],
    summary="Plan vs fact",
    description="Per subject, period and currency: the plan, what was won and the weighted "
    "forecast of open deals, over the deals you may see. `reporting=true` sums everything in "
    "the reporting currency.",
    tags=["plans"],
)
def plan_vs_fact(
    request,
    dimension: str = "manager",
    period: str = "month",
    starts: date | None = None,
    periods: int = 3,
    reporting: bool = False,
):
    from django.utils import timezone

    from klientela.catalog.services import Rates

    from . import reports

    access.require(request.auth, "view", Deal)
    first = starts or timezone.localdate()
    return reports.plan_vs_fact(
        request.auth,
        starts=reports.periods(first, period, min(max(periods, 1), 12)),
        dimension=dimension,
        period=period,
        rates=Rates.load() if reporting else None,
    )


@router.post(
    "/sales-plans",
    response={201: PlanOut},
    summary="Set a plan (heads for their team, administrators)",
    tags=["plans"],
)
def set_plan(request, payload: PlanIn):
    from klientela.accounts.models import Team
    from klientela.catalog.models import Category

    data = payload.dict()
    manager = team = category = None
    if data["manager_id"] is not None:
        manager = get_object_or_404(get_user_model(), pk=data["manager_id"], is_active=True)
    if data["team_id"] is not None:
        team = get_object_or_404(Team, pk=data["team_id"])
    if data["category_id"] is not None:
        category = get_object_or_404(Category, pk=data["category_id"])
    plan = services.set_plan(
        actor=request.auth,
        dimension=data["dimension"],
        period=data["period"],
        starts=data["starts"],
        amount=data["amount"],
        currency=data["currency"],
        manager=manager,
        team=team,
        region=data["region"],
        category=category,
    )
    return Status(201, plan)


@router.delete(
    "/sales-plans/{plan_id}", response={204: None}, summary="Remove a plan", tags=["plans"]
)
def delete_plan(request, plan_id: int):
    from .models import SalesPlan

    plan = get_object_or_404(SalesPlan, pk=plan_id)
    services.delete_plan(actor=request.auth, plan=plan)
    return Status(204, None)


@router.get(
    "/sales-performance",
    response=PerformanceReportOut,
    summary="Manager performance",
    description="Per manager you may see: deals won and lost from `since` to `until` (default: "
    "this month), win rate, average won deal and days to win, and the weighted open pipeline; "
    "amounts in the reporting currency (null: an amount had no exchange rate).",
)
def performance(
    request,
    since: date | None = None,
    until: date | None = None,
    team_id: int | None = None,
    pipeline_id: int | None = None,
):
    from django.utils import timezone

    from klientela.catalog.services import Rates

    from . import reports

    access.require(request.auth, "view", Deal)
    today = timezone.localdate()
    since, until = since or today.replace(day=1), until or today
    team = None
    if team_id is not None:
        team = get_object_or_404(reports.visible_teams(request.auth), pk=team_id)
    pipeline = get_object_or_404(Pipeline, pk=pipeline_id) if pipeline_id is not None else None
    rates = Rates.load()
    rows, total = reports.manager_performance(
        request.auth, since=since, until=until, rates=rates, team=team, pipeline=pipeline
    )
    return {
        "currency": rates.base,
        "since": since,
        "until": until,
        "managers": rows,
        "total": total,
    }
