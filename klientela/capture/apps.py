from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaptureConfig(AppConfig):
    name = "klientela.capture"
    label = "capture"
    verbose_name = _("Lead capture")

    def ready(self) -> None:
        from klientela.core.demodata import register_demo
        from klientela.core.navigation import MenuItem, add_menu_item

        from .demo import DEMO

        register_demo(DEMO)
        add_menu_item(
            MenuItem(
                key="webforms",
                label=_("Web forms"),
                url_name="capture:forms",
                icon="globe",
                order=36,
                visible=lambda user: getattr(user, "is_admin", False),
                section_path="/webforms/",
            )
        )
