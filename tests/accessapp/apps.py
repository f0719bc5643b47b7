from django.apps import AppConfig


class AccessAppConfig(AppConfig):
    name = "tests.accessapp"
    label = "accessapp"

    def ready(self) -> None:
        from klientela.api import api
        from klientela.core.access import register_entity

        from .api import router
        from .models import Widget

        register_entity(
            "widget",
            label="Widget",
            model=Widget,
            default_scopes={
                "head": {"view": "team", "edit": "team", "delete": "none", "export": "team"},
                "manager": {"view": "team", "edit": "own", "delete": "none", "export": "none"},
            },
        )
        # Only the test settings install this app, so only tests see the widget API.
        api.add_router("/", router)
