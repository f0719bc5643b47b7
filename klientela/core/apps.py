from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "klientela.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .sqlite import add_functions

        connection_created.connect(add_functions, dispatch_uid="klientela.core.sqlite")
