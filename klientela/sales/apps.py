from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "klientela.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from klientela.core.access import can, register_entity
        from klientela.core.demodata import register_demo
        from klientela.core.navigation import MenuItem, add_menu_item
        from klientela.core.timeline import TimelineSource, register_timeline_source
        from klientela.customers.models import Organization, Person
        from klientela.customers.services.handover import register_handover_participant

        from . import services
        from .demo import DEMO
        from .models import Deal, Lead

        register_entity(
            "deal",
            label=_("Deals"),
            model=Deal,
            default_scopes=DEFAULT_SCOPES,
            team_field="responsible_team",
        )
        register_entity(
            "lead",
            label=_("Leads"),
            model=Lead,
            default_scopes=DEFAULT_SCOPES,
            team_field="responsible_team",
        )
        register_timeline_source(
            TimelineSource(
                key="deals",
                label=_("Deals"),
                items=services.deal_items,
                models=(Organization, Person),
            )
        )
        register_handover_participant("deals", services.hand_over_open_deals)
        add_menu_item(
            MenuItem(
                key="deals",
                label=_("Deals"),
                url_name="sales:kanban_default",
                icon="folder-kanban",
                order=30,
                visible=lambda user: can(user, "view", Deal),
                section_path="/deals/",
            )
        )
        add_menu_item(
            MenuItem(
                key="leads",
                label=_("Leads"),
                url_name="sales:leads",
                icon="inbox",
                order=25,
                visible=lambda user: can(user, "view", Lead),
                section_path="/leads/",
            )
        )
        register_demo(DEMO)
        post_migrate.connect(create_defaults_after_migrate, sender=self)


def create_defaults_after_migrate(sender, **kwargs) -> None:
    from .services import ensure_sales_defaults

    ensure_sales_defaults()


# The platform issue's rule: a manager works on their own deals; a head on the team's.
DEFAULT_SCOPES = {
    "head": {
        "view": "team",
        "create": "team",
        "edit": "team",
        "delete": "team",
        "export": "team",
        "import": "team",
    },
    "manager": {
        "view": "own",
        "create": "own",
        "edit": "own",
        "delete": "own",
        "export": "none",
        "import": "none",
    },
}
