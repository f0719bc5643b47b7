"""Sales rules: creating deals, moving them through stages (stage rules), winning and losing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from klientela.core import access
from klientela.core.audit import record_create, record_delete, record_saved, record_update, snapshot
from klientela.core.models import ReferenceItem, ReferenceList

from .models import (
    CENT,
    LOST_REASONS,
    REQUIRABLE_FIELDS,
    Deal,
    DealLine,
    Pipeline,
    Stage,
    StageChange,
)

EDITABLE_FIELDS = (
    "title",
    "organization",
    "person",
    "amount",
    "currency",
    "expected_close",
    "probability",
    "responsible",
    "source",
)

# The pipeline a new installation starts with: (name, probability, kind, required fields).
DEFAULT_STAGES = [
    (gettext_noop("New"), 10, Stage.Kind.OPEN, []),
    (gettext_noop("Qualified"), 25, Stage.Kind.OPEN, []),
    (gettext_noop("Proposal"), 50, Stage.Kind.OPEN, ["amount"]),
    (gettext_noop("Negotiation"), 75, Stage.Kind.OPEN, ["amount", "expected_close"]),
    (gettext_noop("Won"), 100, Stage.Kind.WON, ["amount"]),
    (gettext_noop("Lost"), 0, Stage.Kind.LOST, []),
]
LOST_REASON_ITEMS = [
    (
        "price",
        "Price too high",
        {"ru": "Высокая цена", "pl": "Za wysoka cena", "sl": "Previsoka cena"},
    ),
    (
        "competitor",
        "Chose a competitor",
        {"ru": "Выбрали конкурента", "pl": "Wybrali konkurencję", "sl": "Izbrali konkurenco"},
    ),
    ("budget", "No budget", {"ru": "Нет бюджета", "pl": "Brak budżetu", "sl": "Ni proračuna"}),
    (
        "no_decision",
        "No decision",
        {"ru": "Решение не принято", "pl": "Brak decyzji", "sl": "Ni odločitve"},
    ),
    ("other", "Other", {"ru": "Другое", "pl": "Inne", "sl": "Drugo"}),
]
# Above this many stages a funnel stops being readable; the pipeline editor warns.
MANY_STAGES = 9


def ensure_sales_defaults() -> None:
    """A default pipeline and the lost-reason list on a new installation; never overwrites."""
    reasons, _created = ReferenceList.objects.get_or_create(
        key=LOST_REASONS,
        defaults={
            "name": "Lost reasons",
            "names": {"ru": "Причины проигрыша", "pl": "Powody przegranej", "sl": "Razlogi izgube"},
            "is_system": True,
        },
    )
    for order, (key, label, labels) in enumerate(LOST_REASON_ITEMS):
        ReferenceItem.objects.get_or_create(
            reference_list=reasons,
            key=key,
            defaults={"label": label, "labels": labels, "order": order},
        )
    if not Pipeline.objects.exists():
        create_pipeline(actor=None, name=_("Sales"), stages=DEFAULT_STAGES)


@transaction.atomic
def create_pipeline(*, actor, name: str, stages: list[tuple]) -> Pipeline:
    """A pipeline with its stages ``[(name, probability, kind, required fields)]`` in order."""
    if actor is not None and not actor.is_admin:
        raise PermissionDenied(_("Only an administrator can do this."))
    pipeline = Pipeline.objects.create(name=name, order=Pipeline.objects.count())
    Stage.objects.bulk_create(
        Stage(
            pipeline=pipeline,
            name=_(stage_name),
            probability=probability,
            kind=kind,
            required_fields=list(required),
            order=order,
        )
        for order, (stage_name, probability, kind, required) in enumerate(stages)
    )
    record_create(pipeline, actor=actor)
    return pipeline


def missing_fields(deal: Deal, stage: Stage) -> list[str]:
    """The stage's required fields that the deal leaves empty, as labels."""
    missing = []
    for name in stage.required_fields:
        if name in REQUIRABLE_FIELDS and getattr(deal, f"{name}_id", getattr(deal, name, None)) in (
            None,
            "",
        ):
            missing.append(str(REQUIRABLE_FIELDS[name]))
    return missing


def check_stage_rules(deal: Deal, stage: Stage, *, lost_reason=None) -> None:
    missing = missing_fields(deal, stage)
    if missing:
        raise ValidationError(
            _("To move the deal to “%(stage)s”, fill in: %(fields)s.")
            % {"stage": stage.name, "fields": ", ".join(missing)},
            code="stage_rule",
        )
    if stage.kind == Stage.Kind.LOST and lost_reason is None and deal.lost_reason_id is None:
        raise ValidationError(_("Choose why the deal was lost."), code="lost_reason")


def _check_links(actor, deal: Deal) -> None:
    """A user links deals only to clients they may see."""
    for name in ("organization", "person", "competitor"):
        linked = getattr(deal, name)
        if actor is not None and linked is not None and not access.can(actor, "view", linked):
            raise ValidationError({name: _("Choose a client you can see.")})


@transaction.atomic
def create_deal(
    *,
    actor,
    title: str,
    pipeline: Pipeline | None = None,
    stage: Stage | None = None,
    custom: dict | None = None,
    **fields,
) -> Deal:
    pipeline = pipeline or (
        stage.pipeline if stage else Pipeline.objects.filter(is_active=True).first()
    )
    if pipeline is None:
        raise ValidationError({"pipeline": _("Create a pipeline first.")})
    stage = stage or pipeline.stages.filter(kind=Stage.Kind.OPEN).first()
    if stage is None or stage.pipeline_id != pipeline.pk:
        raise ValidationError({"stage": _("Choose a stage of this pipeline.")})
    fields.setdefault("responsible", actor)
    if actor is not None:
        access.require(actor, access.Action.CREATE, Deal)
        if not access.can_assign(actor, "deal", access.Action.CREATE, fields["responsible"]):
            raise PermissionDenied(_("You may not make this user responsible for the record."))
    now = timezone.now()
    deal = Deal(
        title=(title or "").strip(),
        pipeline=pipeline,
        stage=stage,
        stage_entered_at=now,
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    if not deal.title:
        raise ValidationError({"title": _("Give the deal a title.")})
    if custom is not None:
        deal.set_custom_values(custom)
    _check_links(actor, deal)
    check_stage_rules(deal, stage)
    if stage.is_final:
        deal.closed_at = now
    if stage.kind != Stage.Kind.LOST:
        deal.furthest_order = stage.order
    deal.full_clean(exclude=["stage_entered_at", "custom"])
    deal.save()
    StageChange.objects.create(
        deal=deal, from_stage=None, to_stage=stage, at=now, by=deal.created_by
    )
    record_create(deal, actor=actor)
    return deal


@transaction.atomic
def update_deal(*, actor, deal: Deal, custom: dict | None = None, **fields) -> Deal:
    if actor is not None:
        access.require(actor, access.Action.EDIT, deal)
        if "responsible" in fields and not access.can_assign(
            actor, "deal", access.Action.EDIT, fields["responsible"]
        ):
            raise PermissionDenied(_("You may not make this user responsible for the record."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %s") % ", ".join(sorted(unknown))
        )
    # Lock the row and check the stage it is in now, not the one the caller last saw.
    deal.stage_id = Deal.objects.select_for_update().values_list("stage", flat=True).get(pk=deal.pk)
    before = snapshot(deal)
    for name, value in fields.items():
        setattr(deal, name, value)
    if "title" in fields:
        deal.title = (deal.title or "").strip()
    if custom is not None:
        deal.set_custom_values(custom, partial=True)
    _check_links(actor, deal)
    # A deal already in a stage keeps satisfying its rules: emptying a required field is refused.
    check_stage_rules(deal, deal.stage)
    deal.full_clean(exclude=["custom"])
    deal.save()
    record_update(deal, before, actor=actor)
    return deal


@transaction.atomic
def move_deal(
    *, actor, deal: Deal, stage: Stage, lost_reason: ReferenceItem | None = None, competitor=None
) -> Deal:
    """Move a deal to another stage of its pipeline, obeying the stage's rules."""
    deal = Deal.objects.select_for_update().select_related("stage").get(pk=deal.pk)
    if actor is not None:
        access.require(actor, access.Action.EDIT, deal)
    if stage.pipeline_id != deal.pipeline_id:
        raise ValidationError({"stage": _("Choose a stage of this pipeline.")})
    if stage.pk == deal.stage_id:
        return deal
    if lost_reason is not None and lost_reason.reference_list.key != LOST_REASONS:
        raise ValidationError({"lost_reason": _("Choose a reason from the list.")})
    check_stage_rules(deal, stage, lost_reason=lost_reason)
    before = snapshot(deal, ["stage", "lost_reason", "competitor"])
    now = timezone.now()
    StageChange.objects.create(
        deal=deal,
        from_stage=deal.stage,
        to_stage=stage,
        at=now,
        time_in_previous=now - deal.stage_entered_at,
        by=actor if getattr(actor, "pk", None) else None,
    )
    if stage.kind != Stage.Kind.LOST:
        deal.furthest_order = max(deal.furthest_order, stage.order)
    deal.stage, deal.stage_entered_at = stage, now
    deal.closed_at = now if stage.is_final else None
    if stage.kind == Stage.Kind.LOST:
        deal.lost_reason = lost_reason or deal.lost_reason
        deal.competitor = competitor
        _check_links(actor, deal)
    else:
        deal.lost_reason, deal.competitor = None, None
    deal.save()
    record_update(deal, before, actor=actor)
    return deal


@transaction.atomic
def delete_deal(*, actor, deal: Deal) -> None:
    if actor is not None:
        access.require(actor, access.Action.DELETE, deal)
    record_delete(deal, actor=actor)
    deal.delete()


def stage_rule_text(stage: Stage) -> str:
    fields = [
        str(REQUIRABLE_FIELDS[name]) for name in stage.required_fields if name in REQUIRABLE_FIELDS
    ]
    return str(format_lazy(_("Needs: {fields}"), fields=", ".join(fields))) if fields else ""


def deal_items(record, *, user, limit: int) -> list:
    """The timeline source of deals on an organization's or person's card (the user's deals)."""
    from klientela.core.timeline import TimelineItem
    from klientela.customers.models import Organization

    link = "organization" if isinstance(record, Organization) else "person"
    deals = (
        Deal.objects.visible_to(user)
        .filter(**{link: record})
        .select_related("stage", "responsible")
        .order_by("-created_at")[:limit]
    )
    return [
        TimelineItem(
            at=deal.created_at,
            kind="deal",
            title=_("Deal: %(title)s") % {"title": deal.title},
            actor=deal.responsible,
            body=deal.stage.name,
            source_object=deal,
            details={
                "url": deal.get_absolute_url(),
                "amount": deal.amount,
                "currency": deal.currency,
            },
        )
        for deal in deals
    ]


def hand_over_open_deals(hand_over) -> int:
    """Open deals of handed-over clients follow when they belonged to the previous owner."""
    from klientela.customers.models import Organization

    link = "organization_id" if hand_over.model is Organization else "person_id"
    by_owner: dict = {}
    for record_id, previous_owner_id in hand_over.previous_owner_ids.items():
        by_owner.setdefault(previous_owner_id, []).append(record_id)
    moved = 0
    for previous_owner_id, record_ids in by_owner.items():
        moved += (
            Deal.objects.open()
            .filter(**{f"{link}__in": record_ids, "responsible_id": previous_owner_id})
            .update(**access.owner_values(Deal, hand_over.new_owner), updated_at=timezone.now())
        )
    return moved


@transaction.atomic
def save_pipeline(
    *, actor, pipeline: Pipeline | None, name: str, is_active: bool = True, stages: list[dict]
) -> tuple[Pipeline, list[str]]:
    """Create or change a pipeline and its stages in one step; returns it with warnings.

    ``stages`` in their new order: ``{"id", "name", "probability", "kind", "required_fields",
    "delete"}`` (no id: a new stage). A stage that still holds deals cannot be deleted.
    """
    if actor is not None and not actor.is_admin:
        raise PermissionDenied(_("Only an administrator can do this."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the pipeline a name.")})
    if (
        Pipeline.objects.filter(name__iexact=name)
        .exclude(pk=getattr(pipeline, "pk", None))
        .exists()
    ):
        raise ValidationError({"name": _("A pipeline with this name already exists.")})
    kept = [stage for stage in stages if not stage.get("delete")]
    if not any(stage["kind"] == Stage.Kind.OPEN for stage in kept):
        raise ValidationError(_("A pipeline needs at least one open stage."))
    names = [stage["name"].strip().lower() for stage in kept]
    if len(set(names)) != len(names):
        raise ValidationError(_("Two stages have the same name."))
    created = pipeline is None
    before = None if created else snapshot(pipeline)
    if created:
        pipeline = Pipeline(order=Pipeline.objects.count())
    pipeline.name, pipeline.is_active = name, is_active
    pipeline.save()
    existing = {stage.pk: stage for stage in pipeline.stages.all()}
    for row in stages:
        stage = existing.get(row.get("id"))
        if row.get("delete"):
            if stage is not None:
                if stage.deals.exists():
                    raise ValidationError(
                        _("Move the deals out of “%(stage)s” before deleting it.")
                        % {"stage": stage.name}
                    )
                stage.delete()
            continue
    # Names are unique per pipeline: park the kept stages' names first so they can swap.
    for stage in pipeline.stages.all():
        Stage.objects.filter(pk=stage.pk).update(name=f"~{stage.pk}")
    for order, row in enumerate(kept):
        stage = existing.get(row.get("id")) or Stage(pipeline=pipeline)
        stage.name = row["name"].strip()
        stage.probability = row["probability"]
        stage.kind = row["kind"]
        stage.required_fields = [
            field for field in row.get("required_fields", []) if field in REQUIRABLE_FIELDS
        ]
        stage.order = order
        stage.save()
    record_saved(pipeline, before, actor=actor)
    warnings = []
    if len(kept) > MANY_STAGES:
        warnings.append(
            _("%(count)d stages are many: managers read a funnel of up to %(limit)d at a glance.")
            % {"count": len(kept), "limit": MANY_STAGES}
        )
    return pipeline, warnings


# --- Line items and totals ------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal  # the lines after their own discounts
    discount: Decimal  # the deal's discount on that
    tax: Decimal
    total: Decimal


def deal_totals(deal: Deal, lines=None) -> Totals:
    """Lines less their discounts, less the deal's discount, plus each line's tax on the rest."""
    lines = list(deal.lines.all()) if lines is None else lines
    subtotal = sum((line.net for line in lines), Decimal(0))
    keep = (100 - deal.discount_percent) / 100
    discount = (subtotal - subtotal * keep).quantize(CENT)
    tax = sum((line.net * keep * line.tax_rate / 100 for line in lines), Decimal(0)).quantize(CENT)
    return Totals(subtotal, discount, tax, subtotal - discount + tax)


def _refresh_amount(deal: Deal) -> None:
    """With lines, the deal's amount is their total (the funnel and reports read the amount)."""
    totals = deal_totals(deal)
    Deal.objects.filter(pk=deal.pk).update(amount=totals.total, updated_at=timezone.now())
    deal.amount = totals.total


@transaction.atomic
def add_line(
    *,
    actor,
    deal: Deal,
    product,
    quantity: Decimal = Decimal(1),
    discount_percent: Decimal = Decimal(0),
    unit_price: Decimal | None = None,
) -> DealLine:
    """A product on the deal at the client's price (client > group > price list) unless given."""
    from klientela.catalog.services import resolve_price

    if actor is not None:
        access.require(actor, access.Action.EDIT, deal)
    if not product.is_active:
        raise ValidationError({"product": _("This product is no longer sold.")})
    if unit_price is None:
        resolved = resolve_price(product, currency=deal.currency, organization=deal.organization)
        if resolved is None:
            raise ValidationError(
                {
                    "product": _("No price in %(currency)s for this product: enter one.")
                    % {"currency": deal.currency}
                }
            )
        unit_price = resolved.price
    line = DealLine(
        deal=deal,
        product=product,
        quantity=quantity,
        unit_price=unit_price,
        discount_percent=discount_percent,
        tax_rate=product.tax_rate,
        order=deal.lines.count(),
    )
    line.full_clean(exclude=["deal"])
    line.save()
    before = snapshot(deal, ["amount"])
    _refresh_amount(deal)
    record_update(deal, before, actor=actor)
    return line


@transaction.atomic
def remove_line(*, actor, line: DealLine) -> None:
    deal = line.deal
    if actor is not None:
        access.require(actor, access.Action.EDIT, deal)
    line.delete()
    before = snapshot(deal, ["amount"])
    if deal.lines.exists():
        _refresh_amount(deal)
    record_update(deal, before, actor=actor)


@transaction.atomic
def set_deal_discount(*, actor, deal: Deal, discount_percent: Decimal) -> Deal:
    if actor is not None:
        access.require(actor, access.Action.EDIT, deal)
    if not Decimal(0) <= discount_percent <= Decimal(100):
        raise ValidationError({"discount_percent": _("A discount is between 0 and 100%.")})
    before = snapshot(deal, ["discount_percent", "amount"])
    deal.discount_percent = discount_percent
    Deal.objects.filter(pk=deal.pk).update(discount_percent=discount_percent)
    if deal.lines.exists():
        _refresh_amount(deal)
    record_update(deal, before, actor=actor)
    return deal


def period_start(day, period: str):
    """The first day of the month or quarter holding ``day``."""
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)


def plan_scope(actor) -> str:
    """Whose plans the actor sets: "all" (administrators), "team" (heads), "none" (the rest)."""
    if actor is None:
        return access.Scope.ALL
    scope = access.scope_for(actor, "deal", access.Action.EDIT)
    if scope == access.Scope.TEAM and actor.team_id is None:
        return access.Scope.NONE
    return scope if scope in (access.Scope.TEAM, access.Scope.ALL) else access.Scope.NONE


def _check_plan_rights(actor, *, dimension: str, manager, team) -> None:
    """Heads plan for their team: its managers, the team, and its region and category plans;
    administrators for everyone, the whole company included."""
    from .models import SalesPlan

    scope = plan_scope(actor)
    if scope == access.Scope.ALL:
        return
    allowed = scope == access.Scope.TEAM and (
        access.can_assign(actor, "deal", access.Action.EDIT, manager)
        if dimension == SalesPlan.Dimension.MANAGER
        else team is not None and team.pk == actor.team_id
    )
    if not allowed:
        raise PermissionDenied(_("Only a head of sales or an administrator sets plans."))


@transaction.atomic
def set_plan(
    *,
    actor,
    starts,
    amount: Decimal,
    currency: str = "EUR",
    dimension: str = "manager",
    period: str = "month",
    manager=None,
    team=None,
    region: str = "",
    category=None,
):
    """Set (or change) the plan of a manager, team, region or product category for a month or
    quarter; a region or category plan with a team counts that team's deals only."""
    from .models import SalesPlan

    if dimension not in SalesPlan.Dimension.values:
        raise ValidationError({"dimension": _("Choose what the plan is for.")})
    if period not in SalesPlan.Period.values:
        raise ValidationError({"period": _("Choose a month or a quarter.")})
    region = " ".join((region or "").split())
    # Only the subject of the dimension (and a team for region and category plans) is kept.
    subject = {
        SalesPlan.Dimension.MANAGER: {"responsible": manager},
        SalesPlan.Dimension.TEAM: {"team": team},
        SalesPlan.Dimension.REGION: {"region": region, "team": team},
        SalesPlan.Dimension.CATEGORY: {"category": category, "team": team},
    }[dimension]
    field, value, message = {
        SalesPlan.Dimension.MANAGER: ("manager", manager, _("Choose a manager.")),
        SalesPlan.Dimension.TEAM: ("team", team, _("Choose a team.")),
        SalesPlan.Dimension.REGION: ("region", region, _("Name the region.")),
        SalesPlan.Dimension.CATEGORY: ("category", category, _("Choose a product category.")),
    }[dimension]
    if not value:
        raise ValidationError({field: message})
    _check_plan_rights(actor, dimension=dimension, manager=manager, team=subject.get("team"))
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("A plan cannot be negative.")})
    currency = (currency or "").strip().upper()
    if len(currency) != 3:
        raise ValidationError({"currency": _("A currency is a three-letter code, like EUR.")})
    lookup = {
        "dimension": dimension,
        "period": period,
        "starts": period_start(starts, period),
        "currency": currency,
        "responsible": None,
        "team": None,
        "category": None,
        **subject,
    }
    if dimension == SalesPlan.Dimension.REGION:
        # The same region typed in another case is the same plan.
        lookup["region__iexact"] = lookup.pop("region")
    else:
        lookup["region"] = ""
    plan = SalesPlan.objects.filter(**lookup).first()
    created = plan is None
    if created:
        values = {key: value for key, value in lookup.items() if "__" not in key}
        values["region"] = region if dimension == SalesPlan.Dimension.REGION else ""
        plan = SalesPlan(**values)
    before = None if created else snapshot(plan, ["amount"])
    plan.amount = amount
    plan.full_clean()
    plan.save()
    record_saved(plan, before, actor=actor)
    return plan


@transaction.atomic
def delete_plan(*, actor, plan) -> None:
    _check_plan_rights(actor, dimension=plan.dimension, manager=plan.responsible, team=plan.team)
    record_delete(plan, actor=actor)
    plan.delete()


# --- Leads ----------------------------------------------------------------------------------

LEAD_FIELDS = (
    "title",
    "company_name",
    "first_name",
    "last_name",
    "position",
    "phone",
    "email",
    "source",
    "amount",
    "currency",
    "description",
    "responsible",
)


@transaction.atomic
def create_lead(*, actor, title: str, custom: dict | None = None, **fields):
    from .models import Lead

    fields.setdefault("responsible", actor)
    if actor is not None:
        access.require(actor, access.Action.CREATE, Lead)
        if not access.can_assign(actor, "lead", access.Action.CREATE, fields["responsible"]):
            raise PermissionDenied(_("You may not make this user responsible for the record."))
    lead = Lead(title=(title or "").strip(), **fields)
    if not lead.title:
        raise ValidationError({"title": _("Say what the request is about.")})
    if not (lead.company_name or lead.first_name or lead.last_name):
        raise ValidationError(_("Give a company or a contact name."))
    if custom is not None:
        lead.set_custom_values(custom)
    lead.full_clean(exclude=["custom"])
    lead.save()
    record_create(lead, actor=actor)
    return lead


@transaction.atomic
def update_lead(*, actor, lead, custom: dict | None = None, **fields):
    if actor is not None:
        access.require(actor, access.Action.EDIT, lead)
    if lead.status != lead.Status.NEW:
        raise ValidationError(_("This lead is closed; change the deal or the cards instead."))
    before = snapshot(lead)
    for name, value in fields.items():
        if name not in LEAD_FIELDS:
            raise ValidationError(_("These fields cannot be changed here: %s") % name)
        setattr(lead, name, value)
    if custom is not None:
        lead.set_custom_values(custom, partial=True)
    lead.full_clean(exclude=["custom"])
    lead.save()
    record_update(lead, before, actor=actor)
    return lead


@transaction.atomic
def delete_lead(*, actor, lead) -> None:
    if actor is not None:
        access.require(actor, access.Action.DELETE, lead)
    record_delete(lead, actor=actor)
    lead.delete()


def _shared_custom_values(lead, entity: str) -> dict:
    """The lead's custom values whose field also exists on ``entity`` (same key)."""
    from klientela.core.customfields import load_definitions

    keys = {definition.key for definition in load_definitions(entity)}
    return {key: value for key, value in (lead.custom or {}).items() if key in keys}


@transaction.atomic
def qualify_lead(*, actor, lead, stage: Stage | None = None, organization=None, person=None):
    """Turn a lead into an organization and/or a person and a deal, carrying every field over.

    An existing organization or person may be given instead of creating one (e.g. a duplicate
    the user chose). All or nothing: if any card or the deal is refused, nothing is created.
    """
    from klientela.customers import services as customers

    from .models import Lead

    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if actor is not None:
        access.require(actor, access.Action.EDIT, lead)
    if lead.status != Lead.Status.NEW:
        raise ValidationError(_("This lead is already closed."))
    owner = lead.responsible or actor
    source = lead.source.key if lead.source_id else None
    if organization is None and lead.company_name:
        organization = customers.create_organization(
            actor=actor,
            legal_name=lead.company_name,
            source=source,
            responsible=owner,
            custom=_shared_custom_values(lead, "organization"),
            phones=[lead.phone] if lead.phone and not (lead.first_name or lead.last_name) else [],
            emails=[lead.email] if lead.email and not (lead.first_name or lead.last_name) else [],
        )
    if person is None and (lead.first_name or lead.last_name):
        person = customers.create_person(
            actor=actor,
            first_name=lead.first_name,
            last_name=lead.last_name,
            position=lead.position,
            source=source,
            responsible=owner,
            custom=_shared_custom_values(lead, "person"),
            phones=[lead.phone] if lead.phone else [],
            emails=[lead.email] if lead.email else [],
            memberships=[{"organization": organization}] if organization is not None else [],
        )
    deal = create_deal(
        actor=actor,
        title=lead.title,
        stage=stage,
        organization=organization,
        person=person,
        amount=lead.amount,
        currency=lead.currency,
        source=lead.source,
        responsible=owner,
        custom=_shared_custom_values(lead, "deal"),
    )
    before = snapshot(lead, ["status"])
    lead.status = Lead.Status.QUALIFIED
    lead.organization, lead.person, lead.deal = organization, person, deal
    lead.save()
    record_update(lead, before, actor=actor)
    return deal


@transaction.atomic
def disqualify_lead(*, actor, lead, reason: str):
    from .models import Lead

    if actor is not None:
        access.require(actor, access.Action.EDIT, lead)
    if lead.status != Lead.Status.NEW:
        raise ValidationError(_("This lead is already closed."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"disqualify_reason": _("Say why the lead is disqualified.")})
    before = snapshot(lead, ["status", "disqualify_reason"])
    lead.status, lead.disqualify_reason = Lead.Status.DISQUALIFIED, reason
    lead.save()
    record_update(lead, before, actor=actor)
    return lead
