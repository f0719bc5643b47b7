from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from klientela.core import access
from klientela.core.htmx import render_page

from . import exports
from .forms import SettingsForm, UploadForm
from .models import Import
from .services import batches, readers
from .services.entities import get_entity


def _entities_or_403(user):
    entities = batches.importable_entities(user)
    if not entities:
        raise PermissionDenied
    return entities


@login_required
def import_list(request):
    entities = _entities_or_403(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, entities=entities)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = batches.create_import(
                actor=request.user,
                entity=form.cleaned_data["entity"],
                upload=upload,
                filename=upload.name,
            )
        except (readers.UnreadableFile, ValidationError) as error:
            form.add_error("file", str(error.messages[0] if hasattr(error, "messages") else error))
        else:
            return redirect("imports:detail", batch.pk)
    imports = batches.visible_imports(request.user).select_related("job")[:30]
    return render_page(
        request,
        "imports/import_list.html",
        {
            "form": form,
            "imports": imports,
            "title": _("Import"),
            "can_export": any(
                access.can(request.user, access.Action.EXPORT, entity.model) for entity in entities
            ),
        },
    )


def _mapping_context(request, batch: Import, form=None) -> dict:
    spec = get_entity(batch.entity)
    fields = spec.all_fields()
    columns = [
        {"index": str(index), "header": header, "field": batch.mapping.get(str(index), "")}
        for index, header in enumerate(batch.headers)
    ]
    if form is None:
        form = SettingsForm(
            initial={
                "sheet": batch.sheet,
                "region": batch.region,
                "duplicates": batch.duplicates,
                "create_missing": batch.create_missing,
            },
            sheets=batches.sheets_of(batch),
        )
    return {
        "batch": batch,
        "spec": spec,
        "fields": fields,
        "columns": columns,
        "form": form,
        "decisions": Import.Duplicates.choices,
        "title": _("Import of %(file)s") % {"file": batch.filename},
    }


def _configure(request, batch: Import):
    form = SettingsForm(request.POST, sheets=batches.sheets_of(batch))
    if not form.is_valid():
        return form, False
    mapping = {
        key.removeprefix("map-"): value
        for key, value in request.POST.items()
        if key.startswith("map-") and value
    }
    decisions = {
        key.removeprefix("decision-"): value
        for key, value in request.POST.items()
        if key.startswith("decision-") and value
    }
    sheet_changed = form.cleaned_data.get("sheet", batch.sheet) != batch.sheet
    batches.configure_import(
        actor=request.user,
        batch=batch,
        sheet=form.cleaned_data.get("sheet"),
        mapping=None if sheet_changed else mapping,
        region=form.cleaned_data["region"],
        duplicates=form.cleaned_data["duplicates"],
        create_missing=form.cleaned_data["create_missing"],
        row_decisions={**batch.row_decisions, **decisions},
    )
    return form, sheet_changed


@login_required
def import_detail(request, pk: int):
    batch = get_object_or_404(batches.visible_imports(request.user), pk=pk)
    if batch.status != Import.Status.DRAFT:
        return render_page(
            request,
            "imports/import_result.html",
            {
                "batch": batch,
                "job": batch.job,
                "can_undo": batches.can_undo(batch),
                "title": _("Import of %(file)s") % {"file": batch.filename},
            },
            partial="result",
        )
    context = _mapping_context(request, batch)
    if request.method == "POST":
        try:
            form, _changed = _configure(request, batch)
        except (ValidationError, readers.UnreadableFile) as error:
            context["error"] = "; ".join(getattr(error, "messages", [str(error)]))
            return render_page(request, "imports/import_mapping.html", context, status=422)
        if not form.is_valid():
            context = _mapping_context(request, batch, form)
            return render_page(request, "imports/import_mapping.html", context, status=422)
        batch.refresh_from_db()
        context = _mapping_context(request, batch)
        if "start" in request.POST:
            try:
                batches.start_import(actor=request.user, batch=batch)
            except ValidationError as error:
                context["error"] = "; ".join(error.messages)
                return render_page(request, "imports/import_mapping.html", context, status=422)
            if request.htmx:
                return HttpResponseClientRedirect(reverse("imports:detail", args=[batch.pk]))
            return redirect("imports:detail", batch.pk)
        rows = batches.preview(actor=request.user, batch=batch)
        labels = list(dict.fromkeys(label for row in rows for label, value in row.values if value))
        for row in rows:
            given = {label: value for label, value in row.values}
            row.cells = [given.get(label, "") for label in labels]
        context["preview"] = rows
        context["preview_labels"] = labels
        context["show_preview"] = True
        return render_page(request, "imports/import_mapping.html", context, partial="wizard")
    return render_page(request, "imports/import_mapping.html", context)


@login_required
def error_report(request, pk: int):
    batch = get_object_or_404(batches.visible_imports(request.user), pk=pk)
    if not batch.error_report:
        raise Http404
    return FileResponse(
        batch.error_report.open("rb"),
        as_attachment=True,
        filename=batch.error_report.name.rsplit("/", 1)[-1],
    )


@login_required
@require_POST
def undo(request, pk: int):
    batch = get_object_or_404(batches.visible_imports(request.user), pk=pk)
    try:
        batches.undo_import(actor=request.user, batch=batch)
    except (ValidationError, PermissionDenied) as error:
        return render_page(
            request,
            "imports/import_result.html",
            {
                "batch": batch,
                "job": batch.job,
                "can_undo": batches.can_undo(batch),
                "undo_error": "; ".join(getattr(error, "messages", [str(error)])),
                "title": _("Import of %(file)s") % {"file": batch.filename},
            },
            status=409,
        )
    return redirect("imports:detail", batch.pk)


@login_required
@require_POST
def start_export(request):
    """Start an export job: ``entity`` (organization / person / all), ``format``, and the list's
    filters in the query string; then follow the job's page."""
    try:
        job = exports.start_export(
            actor=request.user,
            entity=request.POST.get("entity", "all"),
            file_format=request.POST.get("format", "xlsx"),
            filters=request.GET,
        )
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    return redirect("jobs:detail", job.pk)
