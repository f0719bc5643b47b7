"""Small helpers for HTMX requests: partial rendering and toasts sent through HX-Trigger."""

import json

from django.shortcuts import render


def wants_partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_page(request, template: str, context: dict, *, partial: str | None = None, status=200):
    """Render the full page, or only the named partial when HTMX asks for a fragment."""
    if partial and wants_partial(request):
        template = f"{template}#{partial}"
    return render(request, template, context, status=status)


def add_toast(response, message: str, level: str = "success"):
    """Ask the page to show a toast once HTMX has swapped this response in."""
    triggers = json.loads(response.get("HX-Trigger", "{}") or "{}")
    triggers.setdefault("toast", [])
    triggers["toast"].append({"message": str(message), "level": level})
    response["HX-Trigger"] = json.dumps(triggers)
    return response
