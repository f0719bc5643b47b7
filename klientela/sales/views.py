"""Sales pages: the kanban funnel, the deal list, the deal card and its forms."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klientela.catalog.services import Rates, reporting_currency
from klientela.core import access
from klientela.core.customfields.columns import custom_columns
from klientela.core.forms import add_service_errors, render_form_page, success_redirect
from klientela.core.htmx import add_toast
from klientela.core.lists import Column, ListDefinition, render_list

from . import reports, services
from .filters import BoardFilter, DealFilter
from .forms import (
    DealForm,
    DiscountForm,
    DisqualifyForm,
    LeadForm,
    LineForm,
    LostForm,
    PerformanceFilterForm,
    PipelineForm,
    PlanFilterForm,
    PlanForm,
    ReportFilterForm,
    StageFormSet,
)
from .models import Deal, DealLine, Lead, Pipeline, SalesPlan, Stage

COLUMN_SIZE = 20
# Won and lost columns show the deals closed this recently.
RECENT_DAYS = 30

DEALS = ListDefinition(
    key="sales.deals",
    filterset=DealFilter,
    primary_filters=("pipeline", "stage", "status", "responsible"),
    extra_columns=custom_columns("deal"),
    columns=[
        Column("title", gettext_lazy("Title"), sort="title", link=True),
        Column("client", gettext_lazy("Client")),
        Column("stage", gettext_lazy("Stage"), sort=("stage__order",)),
        Column("amount", gettext_lazy("Amount"), sort="amount", numeric=True),
        Column("currency", gettext_lazy("Currency")),
        Column("expected_close", gettext_lazy("Expected close"), sort="expected_close"),
        Column("responsible", gettext_lazy("Responsible"), sort="responsible__username"),
    ],
    search_fields=("title",),
    default_sort="-expected_close",
    select_related=("stage", "organization", "person", "responsible"),
    empty_icon="folder-kanban",
    empty_title=gettext_lazy("No deals yet"),
)


def _pipeline(pk: int | None) -> Pipeline:
    pipelines = Pipeline.objects.filter(is_active=True)
    if pk is None:
        pipeline = pipelines.first()
        if pipeline is None:
            services.ensure_sales_defaults()
            pipeline = pipelines.first()
        return pipeline
    return get_object_or_404(pipelines, pk=pk)


def on_board(deals):
    """Open deals, and those closed in the last RECENT_DAYS: a funnel shows work, not archives."""
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    return deals.filter(Q(stage__kind=Stage.Kind.OPEN) | Q(closed_at__gte=since))


def board_filters(request, deals):
    """The funnel's deals narrowed by its filter bar: search, "only mine", owners, custom fields.

    Returns the deals and the bound filter (its form is the bar's "More filters").
    """
    if request.GET.get("mine") == "1":
        deals = deals.filter(responsible=request.user)
    search = request.GET.get("q", "").strip()
    if search:
        deals = deals.filter(title__icontains=search)
    narrowed = BoardFilter(request.GET or None, queryset=deals, request=request)
    return (narrowed.qs if narrowed.is_valid() else deals), narrowed


def board_context(request, pipeline: Pipeline) -> dict:
    """Each stage with its first cards, count and totals per currency.

    One query for the totals and one per stage for its first cards (newest in the stage first,
    read from the (owner or team, stage, entered) indexes): the count does not grow with deals.
    """
    deals = on_board(Deal.objects.visible_to(request.user).filter(pipeline=pipeline))
    deals, narrowed = board_filters(request, deals)
    search = request.GET.get("q", "").strip()
    stages = list(pipeline.stages.all())
    totals: dict[int, dict] = {stage.pk: {"count": 0, "sums": []} for stage in stages}
    for row in (
        deals.order_by().values("stage", "currency").annotate(n=Count("id"), s=Sum("amount"))
    ):
        totals[row["stage"]]["count"] += row["n"]
        if row["s"] is not None:
            totals[row["stage"]]["sums"].append((row["s"], row["currency"]))
    cards = {
        stage.pk: list(
            deals.filter(stage=stage)
            .select_related("organization", "person", "responsible")
            .order_by("-stage_entered_at", "-id")[:COLUMN_SIZE]
        )
        if totals[stage.pk]["count"]
        else []
        for stage in stages
    }
    columns = [
        {
            "stage": stage,
            "deals": cards[stage.pk],
            "count": totals[stage.pk]["count"],
            "sums": totals[stage.pk]["sums"],
            "more": totals[stage.pk]["count"] > len(cards[stage.pk]),
            "rule": services.stage_rule_text(stage),
        }
        for stage in stages
    ]
    query = request.GET.copy()
    for name in ("offset", "stage", "board", "lost_reason", "competitor", "csrfmiddlewaretoken"):
        query.pop(name, None)
    more_filters = _filter_fields(narrowed)
    return {
        "pipeline": pipeline,
        "pipelines": Pipeline.objects.filter(is_active=True),
        "columns": columns,
        "search": search,
        "mine": request.GET.get("mine") == "1",
        "board_query": query.urlencode(),
        "more_filters": more_filters,
        "more_filters_active": sum(1 for field in more_filters if _is_set(field.value())),
        "can_create": access.can(request.user, "create", Deal),
        "recent_days": RECENT_DAYS,
    }


@login_required
def kanban(request, pk: int | None = None):
    access.require(request.user, "view", Deal)
    context = board_context(request, _pipeline(pk))
    template = "sales/kanban.html#board" if request.htmx else "sales/kanban.html"
    return render(request, template, context)


@login_required
def stage_more(request, pk: int):
    """The next cards of one column (the column loads them when its end comes into view)."""
    stage = get_object_or_404(Stage, pk=pk)
    offset = int(request.GET.get("offset", "0") or 0)
    deals, _narrowed = board_filters(request, on_board(Deal.objects.visible_to(request.user)))
    deals = (
        deals.filter(stage=stage)
        .select_related("organization", "person", "responsible")
        .order_by("-stage_entered_at", "-id")[offset : offset + COLUMN_SIZE + 1]
    )
    deals = list(deals)
    query = request.GET.copy()
    query.pop("offset", None)
    context = {
        "stage": stage,
        "deals": deals[:COLUMN_SIZE],
        "board_query": query.urlencode(),
        "next_offset": offset + COLUMN_SIZE if len(deals) > COLUMN_SIZE else None,
    }
    return render(request, "sales/kanban.html#more_cards", context)


@login_required
@require_POST
def deal_move(request, pk: int):
    deal = get_object_or_404(Deal.objects.visible_to(request.user, "edit"), pk=pk)
    stage = get_object_or_404(Stage, pk=request.POST.get("stage"), pipeline=deal.pipeline)
    lost = None
    if stage.kind == Stage.Kind.LOST:
        lost = LostForm(request.POST if "lost_reason" in request.POST else None, user=request.user)
        if not lost.is_bound or not lost.is_valid():
            # The card goes back to its column until the reason is given in the dialog.
            context = board_context(request, deal.pipeline)
            context.update(lost_form=lost, lost_deal=deal, lost_stage=stage)
            return _board_answer(request, context)
    message, level = _("Deal moved to “%(stage)s”.") % {"stage": stage.name}, "success"
    try:
        services.move_deal(
            actor=request.user,
            deal=deal,
            stage=stage,
            **(lost.cleaned_data if lost is not None else {}),
        )
    except ValidationError as error:
        message, level = " ".join(error.messages), "error"
    if request.POST.get("board"):
        response = _board_answer(request, board_context(request, deal.pipeline))
        return add_toast(response, message, level)
    if level == "error":
        messages.error(request, message)
    else:
        messages.success(request, message)
    return success_redirect(request, deal.get_absolute_url())


def _filter_fields(narrowed) -> list:
    """The filter's fields as the list pages show them (a choice of many as checkboxes)."""
    from django import forms

    for field in narrowed.form.fields.values():
        if isinstance(field.widget, forms.SelectMultiple):
            field.widget = forms.CheckboxSelectMultiple(choices=field.widget.choices)
    return list(narrowed.form)


def _is_set(value) -> bool:
    if isinstance(value, list | tuple):
        return any(_is_set(item) for item in value)
    return value not in (None, "", "unknown")


def _board_answer(request, context: dict):
    response = render(request, "sales/kanban.html#board", context)
    response["HX-Retarget"] = "#board"
    response["HX-Reswap"] = "outerHTML"
    return response


@login_required
def deal_list(request):
    deals = Deal.objects.visible_to(request.user)
    create_url = reverse("sales:deal_create") if access.can(request.user, "create", Deal) else ""
    return render_list(request, DEALS, deals, title=_("Deals"), create_url=create_url)


@login_required
def deal_detail(request, pk: int):
    deal = get_object_or_404(
        Deal.objects.visible_to(request.user).select_related(
            "stage",
            "pipeline",
            "organization",
            "person",
            "responsible",
            "lost_reason",
            "competitor",
        ),
        pk=pk,
    )
    changes = deal.stage_changes.select_related("from_stage", "to_stage", "by")
    lines = list(deal.lines.select_related("product"))
    custom: dict[str, list] = {}
    for section, label, shown in deal.custom_display(get_language()):
        custom.setdefault(section or _("More about it"), []).append((label, shown))
    context = {
        "deal": deal,
        "custom_sections": list(custom.items()),
        "changes": changes,
        "stages": deal.pipeline.stages.all(),
        "can_edit": access.can(request.user, "edit", deal),
        "lines": lines,
        "totals": services.deal_totals(deal, lines),
        "line_form": LineForm(),
        "discount_form": DiscountForm(initial={"discount_percent": deal.discount_percent}),
    }
    return render(request, "sales/deal_detail.html", context)


def _deal_form(request, deal: Deal | None):
    initial = {key: request.GET[key] for key in ("organization", "person") if request.GET.get(key)}
    form = DealForm(request.POST or None, instance=deal, user=request.user, initial=initial or None)
    if request.method == "POST" and form.is_valid():
        fields = form.deal_fields()
        try:
            if deal is None:
                saved = services.create_deal(
                    actor=request.user, stage=form.cleaned_data["stage"], **fields
                )
            else:
                # The ModelForm wrote the posted values on its instance: the service (and the
                # audit entry's "before") reads the deal as it is stored.
                stored = Deal.objects.get(pk=deal.pk)
                saved = services.update_deal(actor=request.user, deal=stored, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return success_redirect(request, saved.get_absolute_url(), _("Deal saved."))
    return render_form_page(
        request,
        form,
        title=_("New deal") if deal is None else _("Edit deal"),
        history_of=deal,
        cancel_url=deal.get_absolute_url() if deal else reverse("sales:kanban_default"),
    )


@login_required
def deal_create(request):
    access.require(request.user, "create", Deal)
    return _deal_form(request, None)


@login_required
def deal_edit(request, pk: int):
    deal = get_object_or_404(Deal.objects.visible_to(request.user, "edit"), pk=pk)
    return _deal_form(request, deal)


@login_required
def pipeline_list(request):
    access.require_admin(request.user)
    pipelines = Pipeline.objects.annotate(stage_count=Count("stages"))
    return render(request, "sales/pipeline_list.html", {"pipelines": pipelines})


@login_required
def pipeline_edit(request, pk: int | None = None):
    """A pipeline's name and its stages in one form: rename, reorder, add, delete."""
    access.require_admin(request.user)
    pipeline = get_object_or_404(Pipeline, pk=pk) if pk is not None else None
    initial_stages = [
        {
            "id": stage.pk,
            "name": stage.name,
            "probability": stage.probability,
            "kind": stage.kind,
            "required_fields": stage.required_fields,
            "ORDER": number,
        }
        for number, stage in enumerate(pipeline.stages.all() if pipeline else [], start=1)
    ]
    data = request.POST if request.method == "POST" else None
    form = PipelineForm(
        data, initial={"name": pipeline.name, "is_active": pipeline.is_active} if pipeline else None
    )
    stages = StageFormSet(data, initial=initial_stages, prefix="stages")
    if data is not None and form.is_valid() and stages.is_valid():
        rows = [
            {**row.cleaned_data, "delete": row.cleaned_data.get("DELETE", False)}
            for row in stages.ordered_forms + stages.deleted_forms
            if row.cleaned_data.get("name")
        ]
        try:
            _saved, warnings = services.save_pipeline(
                actor=request.user, pipeline=pipeline, stages=rows, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            return success_redirect(request, reverse("sales:pipelines"), _("Pipeline saved."))
    context = {"form": form, "stages": stages, "pipeline": pipeline}
    return render(request, "sales/pipeline_form.html", context)


@login_required
def sales_report(request, pk: int | None = None):
    """The funnel with conversion and time per stage, lost reasons and competitors; XLSX too."""
    access.require(request.user, "view", Deal)
    pipeline = _pipeline(pk)
    form = ReportFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    report = reports.sales_report(request.user, pipeline, **filters)
    if request.GET.get("format") == "xlsx":
        if not access.can(request.user, "export", Deal):
            raise PermissionDenied(_("You do not have permission to do this."))
        response = HttpResponse(
            reports.report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="sales-report-{pipeline.pk}.xlsx"'
        return response
    context = {
        "report": report,
        "pipeline": pipeline,
        "form": form,
        "pipelines": Pipeline.objects.filter(is_active=True),
        "can_export": access.can(request.user, "export", Deal),
    }
    return render(request, "sales/report.html", context)


def _lines_answer(request, deal: Deal, form=None, discount_form=None, message: str = ""):
    lines = list(deal.lines.select_related("product"))
    context = {
        "deal": deal,
        "lines": lines,
        "totals": services.deal_totals(deal, lines),
        "line_form": form or LineForm(),
        "discount_form": discount_form
        or DiscountForm(initial={"discount_percent": deal.discount_percent}),
        "can_edit": access.can(request.user, "edit", deal),
    }
    if request.htmx:
        response = render(request, "sales/deal_detail.html#lines", context)
        return add_toast(response, message) if message else response
    # Without HTMX: back to the card, with what went wrong as a message.
    for bad in (form, discount_form):
        if bad is not None:
            for error in bad.errors.values():
                messages.error(request, " ".join(error))
    if message:
        messages.success(request, message)
    return redirect(deal)


@login_required
@require_POST
def deal_line_add(request, pk: int):
    deal = get_object_or_404(Deal.objects.visible_to(request.user, "edit"), pk=pk)
    form = LineForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_line(
                actor=request.user,
                deal=deal,
                product=data["product"],
                quantity=data["quantity"],
                discount_percent=data["discount_percent"] or Decimal(0),
                unit_price=data["unit_price"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _lines_answer(request, deal, message=_("Product added."))
    return _lines_answer(request, deal, form=form)


@login_required
@require_POST
def deal_line_remove(request, pk: int):
    line = get_object_or_404(
        DealLine.objects.filter(deal__in=Deal.objects.visible_to(request.user, "edit")), pk=pk
    )
    deal = line.deal
    services.remove_line(actor=request.user, line=line)
    return _lines_answer(request, Deal.objects.get(pk=deal.pk), message=_("Product removed."))


@login_required
@require_POST
def deal_discount(request, pk: int):
    deal = get_object_or_404(Deal.objects.visible_to(request.user, "edit"), pk=pk)
    form = DiscountForm(request.POST)
    if form.is_valid():
        services.set_deal_discount(
            actor=request.user, deal=deal, discount_percent=form.cleaned_data["discount_percent"]
        )
        return _lines_answer(request, deal, message=_("Discount saved."))
    return _lines_answer(request, deal, discount_form=form)


PLAN_TABS = {
    "manager": gettext_lazy("Managers"),
    "team": gettext_lazy("Teams"),
    "region": gettext_lazy("Regions"),
    "category": gettext_lazy("Product categories"),
}


def _plan_subjects(user) -> tuple:
    """The managers and teams a user sets plans for, and whether for the whole company too."""
    from klientela.accounts.models import Team

    scope = services.plan_scope(user)
    if scope == access.Scope.ALL:
        return reports.visible_managers(user), Team.objects.all(), True
    if scope == access.Scope.TEAM:
        return reports.visible_managers(user), Team.objects.filter(pk=user.team_id), False
    return reports.visible_managers(user).none(), Team.objects.none(), False


def _plan_regions(user) -> list[str]:
    """Regions of the addresses of the user's clients, offered while typing a region plan."""
    from klientela.customers.models import Address, Organization

    regions = (
        Address.objects.filter(organization__in=Organization.objects.visible_to(user))
        .exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )
    return list(regions[:300])


@login_required
def plans(request):
    """Plan vs fact per manager, team, region or product category and month or quarter, with the
    weighted forecast of open deals; heads and administrators set plans beside it."""
    access.require(request.user, "view", Deal)
    dimensions = reports.plan_dimensions(request.user)
    dimension = request.GET.get("dimension", "")
    if dimension not in dimensions:
        dimension = SalesPlan.Dimension.MANAGER
    base = reporting_currency()
    filters = PlanFilterForm(request.GET, reporting_currency=base)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    period = chosen.get("period") or SalesPlan.Period.MONTH
    starts = reports.periods(chosen.get("starts") or timezone.localdate(), period)
    if not request.GET.get("starts"):
        # The month shown first, in the filter too.
        filters = PlanFilterForm(
            initial={**request.GET.dict(), "starts": starts[0]}, reporting_currency=base
        )
    managers, teams, whole_company = _plan_subjects(request.user)
    can_plan = services.plan_scope(request.user) != access.Scope.NONE
    form = PlanForm(
        request.POST or None,
        dimension=dimension,
        managers=managers,
        teams=teams,
        whole_company=whole_company,
        initial={"period": period, "starts": starts[0], "currency": base},
    )
    if request.method == "POST":
        if not can_plan:
            raise PermissionDenied(_("Only a head of sales or an administrator sets plans."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_plan(
                    actor=request.user,
                    dimension=dimension,
                    period=data["period"],
                    starts=data["starts"],
                    amount=data["amount"],
                    currency=data["currency"],
                    manager=data.get("manager"),
                    team=data.get("team"),
                    region=data.get("region", ""),
                    category=data.get("category"),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return success_redirect(request, request.get_full_path(), _("Plan saved."))
    rates = Rates.load() if chosen.get("amounts") == "reporting" else None
    rows = reports.plan_vs_fact(
        request.user, starts=starts, dimension=dimension, period=period, rates=rates
    )
    can_export = access.can(request.user, "export", Deal)
    if request.GET.get("format") == "xlsx":
        if not can_export:
            raise PermissionDenied(_("You do not have permission to do this."))
        response = HttpResponse(
            reports.plans_xlsx(
                rows, dimension_label=SalesPlan.Dimension(dimension).label, period=period
            ),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="plans-{dimension}-{starts[0]:%Y%m}.xlsx"'
        )
        return response
    query = request.GET.copy()
    query.pop("dimension", None)
    context = {
        "can_export": can_export,
        "rows": rows,
        "dimension": dimension,
        "dimension_label": SalesPlan.Dimension(dimension).label,
        "tabs": [
            {
                "label": label,
                "url": f"?{query.urlencode()}&dimension={value}".replace("?&", "?"),
                "active": value == dimension,
            }
            for value, label in PLAN_TABS.items()
            if value in dimensions
        ],
        "tabs_label": _("Plans for"),
        "period": period,
        "filters": filters,
        "missing_rates": sorted(rates.missing) if rates is not None else [],
        "form": form,
        "can_plan": can_plan,
        "regions": _plan_regions(request.user) if dimension == "region" and can_plan else [],
        "reporting_currency": base,
        "in_reporting": rates is not None,
    }
    return render(request, "sales/plans.html", context)


@login_required
@require_POST
def plan_delete(request, pk: int):
    plan = get_object_or_404(SalesPlan, pk=pk)
    services.delete_plan(actor=request.user, plan=plan)
    messages.success(request, _("Plan removed."))
    back = request.POST.get("back", "")
    if not back.startswith("?"):
        back = ""
    return redirect(reverse("sales:plans") + back)


@login_required
def performance(request):
    """Each manager's results in a period: won, lost, win rate, average deal and cycle, and the
    weighted open pipeline; managers see themselves, heads their team, administrators all."""
    access.require(request.user, "view", Deal)
    today = timezone.localdate()
    teams = reports.visible_teams(request.user)
    form = PerformanceFilterForm(request.GET, teams=teams)
    chosen = form.cleaned_data if form.is_valid() else {}
    since = chosen.get("since") or today.replace(day=1)
    until = chosen.get("until") or today
    if not request.GET.get("since") and not request.GET.get("until") and not form.errors:
        form = PerformanceFilterForm(
            initial={**request.GET.dict(), "since": since, "until": until}, teams=teams
        )
    rates = Rates.load()
    rows, total = reports.manager_performance(
        request.user,
        since=since,
        until=until,
        rates=rates,
        team=chosen.get("team"),
        pipeline=chosen.get("pipeline"),
    )
    can_export = access.can(request.user, "export", Deal)
    if request.GET.get("format") == "xlsx":
        if not can_export:
            raise PermissionDenied(_("You do not have permission to do this."))
        response = HttpResponse(
            reports.performance_xlsx(rows, total, rates.base),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="performance-{since:%Y%m%d}-{until:%Y%m%d}.xlsx"'
        )
        return response
    context = {
        "rows": rows,
        "total": total,
        "form": form,
        "since": since,
        "until": until,
        "currency": rates.base,
        "missing_rates": sorted(rates.missing),
        "can_export": can_export,
    }
    return render(request, "sales/performance.html", context)


LEADS = ListDefinition(
    key="sales.leads",
    columns=[
        Column("title", gettext_lazy("Request"), sort="title", link=True),
        Column("company_name", gettext_lazy("Company"), sort="company_name"),
        Column("contact_name", gettext_lazy("Contact")),
        Column("phone", gettext_lazy("Phone")),
        Column("status", gettext_lazy("Status"), value=lambda lead: lead.get_status_display()),
        Column("responsible", gettext_lazy("Responsible"), sort="responsible__username"),
        Column("created_at", gettext_lazy("Received"), sort="created_at"),
    ],
    search_fields=("title", "company_name", "last_name", "phone", "email"),
    default_sort="-created_at",
    select_related=("responsible",),
    empty_icon="inbox",
    empty_title=gettext_lazy("No leads yet"),
)


@login_required
def lead_list(request):
    leads = Lead.objects.visible_to(request.user)
    create_url = reverse("sales:lead_create") if access.can(request.user, "create", Lead) else ""
    return render_list(
        request, LEADS, leads, title=_("Leads"), create_url=create_url, create_label=_("New lead")
    )


@login_required
def lead_detail(request, pk: int):
    lead = get_object_or_404(
        Lead.objects.visible_to(request.user).select_related("responsible", "source", "deal"), pk=pk
    )
    context = {
        "lead": lead,
        "can_edit": access.can(request.user, "edit", lead) and lead.status == Lead.Status.NEW,
        "disqualify_form": DisqualifyForm(),
    }
    return render(request, "sales/lead_detail.html", context)


def _lead_form(request, lead: Lead | None):
    form = LeadForm(request.POST or None, instance=lead)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        try:
            if lead is None:
                saved = services.create_lead(actor=request.user, **fields)
            else:
                saved = services.update_lead(actor=request.user, lead=lead, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return success_redirect(request, saved.get_absolute_url(), _("Lead saved."))
    return render_form_page(
        request,
        form,
        title=_("New lead") if lead is None else str(lead),
        history_of=lead,
        cancel_url=lead.get_absolute_url() if lead else reverse("sales:leads"),
    )


@login_required
def lead_create(request):
    access.require(request.user, "create", Lead)
    return _lead_form(request, None)


@login_required
def lead_edit(request, pk: int):
    return _lead_form(
        request, get_object_or_404(Lead.objects.visible_to(request.user, "edit"), pk=pk)
    )


@login_required
@require_POST
def lead_qualify(request, pk: int):
    lead = get_object_or_404(Lead.objects.visible_to(request.user, "edit"), pk=pk)
    try:
        deal = services.qualify_lead(actor=request.user, lead=lead)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(lead)
    return success_redirect(
        request, deal.get_absolute_url(), _("Lead qualified: the deal is open.")
    )


@login_required
@require_POST
def lead_disqualify(request, pk: int):
    lead = get_object_or_404(Lead.objects.visible_to(request.user, "edit"), pk=pk)
    form = DisqualifyForm(request.POST)
    try:
        services.disqualify_lead(actor=request.user, lead=lead, reason=form.data.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Lead disqualified."))
    return redirect(lead)
