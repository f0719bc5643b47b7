from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "klientela.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from klientela.core.panels import Panel, register_page_panel

        register_page_panel(
            "topbar",
            Panel(key="notifications", template="notifications/bell.html", context=bell_context),
        )


def bell_context(request) -> dict | None:
    from . import services

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return {"unread_count": services.unread_count(user)}
