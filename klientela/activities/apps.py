from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "klientela.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from klientela.core.access import can, register_entity
        from klientela.core.demodata import register_demo
        from klientela.core.navigation import MenuItem, add_menu_item
        from klientela.core.panels import (
            Panel,
            register_card_panel,
            register_home_panel,
            register_page_panel,
        )
        from klientela.core.timeline import TimelineSource, register_timeline_source
        from klientela.customers.models import Organization, Person
        from klientela.customers.services.handover import register_handover_participant
        from klientela.sales.models import Deal

        from . import panels, services
        from .demo import DEMO
        from .models import Activity

        register_entity(
            "activity",
            label=_("Activities"),
            model=Activity,
            default_scopes=DEFAULT_SCOPES,
            team_field="responsible_team",
        )
        register_timeline_source(
            TimelineSource(
                key="activities",
                label=_("Activities"),
                items=services.activity_items,
                models=(Organization, Person, Deal),
            )
        )
        register_card_panel(
            Panel(
                key="activities",
                template="activities/includes/card_panel.html",
                context=panels.card_panel,
                models=(Organization, Person, Deal),
            )
        )
        register_home_panel(
            Panel(key="agenda", template="activities/includes/agenda.html", context=panels.agenda)
        )
        register_page_panel(
            "profile",
            Panel(
                key="activities",
                template="activities/includes/profile_panel.html",
                context=panels.profile,
            ),
        )
        register_handover_participant("activities", services.hand_over_open_activities)
        add_menu_item(
            MenuItem(
                key="activities",
                label=_("Activities"),
                url_name="activities:list",
                icon="square-check-big",
                order=5,
                visible=lambda user: can(user, "view", Activity),
                section_path="/activities/",
            )
        )
        add_menu_item(
            MenuItem(
                key="calendar",
                label=_("Calendar"),
                url_name="activities:calendar",
                icon="calendar",
                order=6,
                visible=lambda user: can(user, "view", Activity),
                section_path="/calendar/",
            )
        )
        add_menu_item(
            MenuItem(
                key="rooms",
                label=_("Rooms"),
                url_name="activities:rooms",
                icon="map-pin",
                order=45,
                visible=lambda user: getattr(user, "is_admin", False),
                section_path="/rooms/",
            )
        )
        register_demo(DEMO)


# A manager sees the team's activities (colleagues' calendars) and plans and changes their own;
# a head of sales plans and changes the whole team's.
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
        "view": "team",
        "create": "own",
        "edit": "own",
        "delete": "own",
        "export": "none",
        "import": "none",
    },
}
