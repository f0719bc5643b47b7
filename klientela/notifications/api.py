"""The caller's notifications through the API: list them, mark one or all read."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from klientela.core.api import LimitOffset

from . import services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str = Field(description="reminder, invitation, ...")
    title: str
    body: str
    url: str = Field(description="The page it is about (a path of this site).")
    created_at: datetime
    read_at: datetime | None
    is_read: bool


class NotificationFilters(Schema):
    unread: bool | None = Field(None, description="true: only the unread ones.")


class UnreadOut(Schema):
    unread_count: int


class ReadAllOut(Schema):
    marked: int


@router.get("/notifications", response=list[NotificationOut], summary="Your notifications")
@paginate(LimitOffset)
def list_notifications(request, filters: Query[NotificationFilters]):
    notifications = services.notifications_of(request.auth)
    if filters.unread is not None:
        notifications = notifications.filter(read_at__isnull=filters.unread)
    return notifications


@router.get("/notifications/unread", response=UnreadOut, summary="How many are unread")
def unread(request):
    return {"unread_count": services.unread_count(request.auth)}


@router.post("/notifications/read", response=ReadAllOut, summary="Mark all as read")
def read_all(request):
    return {"marked": services.mark_all_read(actor=request.auth)}


@router.post(
    "/notifications/{notification_id}/read", response=NotificationOut, summary="Mark as read"
)
def read_one(request, notification_id: int):
    notification = get_object_or_404(services.notifications_of(request.auth), pk=notification_id)
    return services.mark_read(actor=request.auth, notification=notification)
