"""Django admin for operators: the outbox (what failed and why, and sending it again)."""

from django.contrib import admin
from django.utils import timezone

from .models import Notification, OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "to", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "calendar_method")
    search_fields = ("to", "subject", "key")
    readonly_fields = ("created_at", "sent_at", "attempts", "last_error", "claim", "claimed_until")
    actions = ["send_again"]

    @admin.action(description="Send again with the next run of the sender")
    def send_again(self, request, queryset):
        queryset.exclude(status=OutgoingEmail.Status.SENT).update(
            status=OutgoingEmail.Status.PENDING,
            next_attempt_at=timezone.now(),
            claim="",
            claimed_until=None,
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "title", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "user__username")
