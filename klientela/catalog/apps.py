from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "klientela.catalog"
    label = "catalog"
    verbose_name = _("Products")

    def ready(self) -> None:
        from klientela.core.demodata import register_demo
        from klientela.core.navigation import MenuItem, add_menu_item

        from .demo import DEMO

        register_demo(DEMO)
        add_menu_item(
            MenuItem(
                key="products",
                label=_("Products"),
                url_name="catalog:products",
                icon="package",
                order=40,
                visible=lambda user: getattr(user, "is_admin", False),
                section_path="/products/",
            )
        )
