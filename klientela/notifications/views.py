"""Notification pages: the bell (polled), the list, reading one, reading all."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klientela.core.forms import success_redirect
from klientela.core.htmx import render_page

from . import services

PAGE_SIZE = 30


@login_required
def bell(request):
    """The bell with its unread count, for a page that wants to refresh it after an action."""
    context = {"unread_count": services.unread_count(request.user)}
    return render_page(request, "notifications/bell.html", context)


@login_required
def notification_list(request):
    page = Paginator(services.notifications_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "notifications": page.object_list,
        "unread_count": services.unread_count(request.user),
    }
    return render_page(request, "notifications/notification_list.html", context)


def _safe(request, url: str) -> str:
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, request.is_secure()
    ):
        return url
    return reverse("notifications:list")


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark it read and go where it points."""
    notification = get_object_or_404(services.notifications_of(request.user), pk=pk)
    services.mark_read(actor=request.user, notification=notification)
    return redirect(_safe(request, notification.url))


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(services.notifications_of(request.user), pk=pk)
    services.mark_read(actor=request.user, notification=notification)
    return success_redirect(request, reverse("notifications:list"), _("Marked as read."))


@login_required
@require_POST
def notification_read_all(request):
    services.mark_all_read(actor=request.user)
    return success_redirect(
        request, reverse("notifications:list"), _("All notifications are marked as read.")
    )
