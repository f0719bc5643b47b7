from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "klientela.worktime"
    label = "worktime"
    verbose_name = _("Working time")

    def ready(self) -> None:
        from klientela.activities.models import Activity
        from klientela.activities.services import register_calendar_source, register_completion_hook
        from klientela.core.access import Action, can, register_entity
        from klientela.core.demodata import register_demo
        from klientela.core.navigation import MenuItem, add_menu_item
        from klientela.core.panels import Panel, register_card_panel

        from . import panels, services
        from .demo import DEMO
        from .models import Absence, TimeEntry

        register_entity(
            services.TIME_ENTRY,
            label=_("Working time"),
            model=TimeEntry,
            owner_field="user",
            actions=(Action.VIEW, Action.CREATE, Action.EDIT, Action.DELETE),
            default_scopes=TEAM_OR_OWN,
        )
        register_entity(
            services.ABSENCE,
            label=_("Absences"),
            model=Absence,
            owner_field="user",
            actions=(Action.VIEW, Action.CREATE, Action.EDIT, Action.DELETE),
            default_scopes=TEAM_OR_OWN,
        )
        # Approving is not editing: a manager changes their own request but never approves it.
        register_entity(
            services.ABSENCE_APPROVAL,
            label=_("Absence approval"),
            actions=(Action.EDIT,),
            default_scopes={"head": {"edit": "team"}, "manager": {"edit": "none"}},
        )
        register_entity(
            services.MANAGER_REPORT,
            label=_("Manager activity report"),
            actions=(Action.VIEW, Action.EXPORT),
            default_scopes={
                "head": {"view": "team", "export": "team"},
                "manager": {"view": "own", "export": "own"},
            },
        )
        register_completion_hook("worktime", services.log_time_on_completion)
        register_calendar_source("absences", services.calendar_absences)
        register_card_panel(
            Panel(
                key="worktime",
                template="worktime/includes/activity_panel.html",
                context=panels.activity_panel,
                models=(Activity,),
            )
        )
        add_menu_item(
            MenuItem(
                key="worktime",
                label=_("Timesheet"),
                url_name="worktime:timesheet",
                icon="clock",
                order=6,
                visible=lambda user: can(user, "view", TimeEntry),
                section_path="/worktime/",
            )
        )
        register_demo(DEMO)


# A head sees and keeps the team's time and absences; a manager only their own.
TEAM_OR_OWN = {
    "head": {"view": "team", "create": "team", "edit": "team", "delete": "team"},
    "manager": {"view": "own", "create": "own", "edit": "own", "delete": "own"},
}
