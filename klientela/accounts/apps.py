from functools import partial

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _is_admin(user) -> bool:
    return user.is_authenticated and user.is_admin


class AccountsConfig(AppConfig):
    name = "klientela.accounts"
    label = "accounts"
    verbose_name = _("Users and access")

    def ready(self) -> None:
        from klientela.core.demodata import register_demo
        from klientela.core.history import register_history
        from klientela.core.navigation import MenuItem, add_menu_item

        from . import services
        from .demo import DEMO
        from .models import Role, Team, User

        register_demo(DEMO)
        # The API's audit history of users, teams and roles is for administrators only.
        for key, model in (("user", User), ("team", Team), ("role", Role)):
            register_history(key, partial(services.records_for_admin, model=model))
        add_menu_item(
            MenuItem(
                key="settings",
                label=_("Settings"),
                url_name="accounts:users",
                icon="settings",
                order=1000,
                visible=_is_admin,
                section_path="/settings/",
            )
        )

        # Roles are data an administrator edits; only missing rows are added after migrations.
        post_migrate.connect(services.sync_default_roles_after_migrate, sender=self)
