from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "klientela.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from klientela.core.navigation import MenuItem, add_menu_item

        add_menu_item(
            MenuItem(
                key="jobs",
                label=_("Jobs"),
                url_name="jobs:list",
                icon="clock",
                order=90,
                visible=lambda user: user.is_authenticated,
            )
        )
