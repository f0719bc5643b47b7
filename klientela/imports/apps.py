from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "klientela.imports"
    label = "imports"
    verbose_name = _("Import")

    def ready(self) -> None:
        from klientela.core.navigation import MenuItem, add_menu_item

        from . import exports  # noqa: F401  (registers the export job)
        from .services import batches, customers, sales

        customers.register()
        sales.register()
        add_menu_item(
            MenuItem(
                key="imports",
                label=_("Import"),
                url_name="imports:list",
                icon="file-spreadsheet",
                order=80,
                visible=lambda user: bool(batches.importable_entities(user)),
            )
        )
