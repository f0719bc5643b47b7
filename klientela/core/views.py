"""The start page, the global search box and the per-user settings of list pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import success_redirect
from .htmx import add_toast, render_page, wants_partial
from .lists import get_definition, save_preference
from .savedfilters import delete_filter, save_filter, saved_filters_context, visible_filters
from .search import search_everything


@login_required
def home(request):
    return render_page(request, "core/home.html", {"today": timezone.localdate()})


@login_required
def search(request):
    query = request.GET.get("q", "").strip()
    groups = search_everything(request.user, query) if len(query) >= 2 else []
    return render_page(
        request, "core/search.html", {"query": query, "groups": groups}, partial="results"
    )


def _safe_next(request, fallback: str = "/") -> str:
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return fallback


@login_required
@require_POST
def list_columns(request):
    """Save which columns (in which order) the user wants on a list, then go back to it."""
    definition = get_definition(request.POST.get("list_key", ""))
    if definition is None:
        return HttpResponseBadRequest(_("Unknown list."))
    next_url = _safe_next(request)
    if request.POST.get("reset"):
        save_preference(request.user, definition, columns=[])
        return success_redirect(request, next_url, _("The list shows its default columns again."))
    try:
        columns = definition.clean_columns(request.POST.getlist("columns"))
    except ValidationError as error:
        if error.code == "unknown":
            return HttpResponseBadRequest(error.messages[0])
        messages.error(request, error.messages[0])
        return success_redirect(request, next_url)
    save_preference(request.user, definition, columns=columns)
    return success_redirect(request, next_url, _("Columns saved."))


def _list_url(request) -> str:
    """The list page the saved filters bar sits on (an address of this site only)."""
    url = request.POST.get("list_url", "")
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, {request.get_host()}):
        return url.split("?")[0]
    return "/"


_MESSAGE_LEVELS = {"success": messages.SUCCESS, "error": messages.ERROR}


def _saved_filters_answer(request, list_key: str, message: str, level: str = "success"):
    """The list's saved filters bar again (HTMX), or back to the list with a message."""
    list_url = _list_url(request)
    if not wants_partial(request):
        messages.add_message(request, _MESSAGE_LEVELS[level], message)
        return success_redirect(request, list_url)
    query = request.POST.get("query", "")
    context = {"saved": saved_filters_context(request.user, list_key, query, list_url)}
    response = render(request, "core/components/saved_filters.html", context)
    return add_toast(response, message, level)


@login_required
@require_POST
def saved_filter_save(request):
    """Keep the list's current filters under a name, for the user alone or for everyone."""
    definition = get_definition(request.POST.get("list_key", ""))
    if definition is None:
        return HttpResponseBadRequest(_("Unknown list."))
    try:
        saved_filter = save_filter(
            actor=request.user,
            list_key=definition.key,
            name=request.POST.get("name", ""),
            query=request.POST.get("query", ""),
            is_shared=bool(request.POST.get("is_shared")),
        )
    except ValidationError as error:
        return _saved_filters_answer(request, definition.key, " ".join(error.messages), "error")
    message = _("Filter “%(name)s” saved.") % {"name": saved_filter.name}
    return _saved_filters_answer(request, definition.key, message)


@login_required
@require_POST
def saved_filter_delete(request, pk: int):
    # A filter the user cannot see is not found; one they see, the service decides about.
    saved_filter = get_object_or_404(visible_filters(request.user), pk=pk)
    delete_filter(actor=request.user, saved_filter=saved_filter)
    message = _("Filter “%(name)s” deleted.") % {"name": saved_filter.name}
    return _saved_filters_answer(request, saved_filter.list_key, message)
