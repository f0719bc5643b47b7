from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "klientela.customers"
    label = "customers"
    verbose_name = _("Customer base")

    def ready(self) -> None:
        from klientela.core.access import register_entity
        from klientela.core.demodata import register_demo
        from klientela.core.fulltext import register_search_document
        from klientela.core.search import register_search
        from klientela.core.timeline import TimelineSource, register_timeline_source

        from .demo import DEMO
        from .models import Organization, Person
        from .services import notes, references, search

        for key, label, model in (
            ("organization", _("Organizations"), Organization),
            ("person", _("People"), Person),
        ):
            register_entity(
                key,
                label=label,
                model=model,
                default_scopes=DEFAULT_SCOPES,
                team_field="responsible_team",
            )
        register_search_document(Organization, search.organization_text)
        register_search_document(Person, search.person_text)
        register_search(search.ORGANIZATIONS)
        register_search(search.PEOPLE)
        register_timeline_source(
            TimelineSource(
                key="notes",
                label=_("Notes"),
                items=notes.note_items,
                models=(Organization, Person),
            )
        )
        register_demo(DEMO)
        add_customer_menu(Organization, Person)
        # The reference lists fields rely on; only missing lists and items are added.
        post_migrate.connect(references.sync_reference_lists_after_migrate, sender=self)


def add_customer_menu(organization_model, person_model) -> None:
    """Organizations and People in the left menu, for users who may view them."""
    from klientela.core.access import can
    from klientela.core.navigation import MenuItem, add_menu_item

    menu = [
        ("organizations", _("Organizations"), "building-2", 10, organization_model),
        ("people", _("People"), "users", 20, person_model),
    ]
    for key, label, icon, order, model in menu:
        add_menu_item(
            MenuItem(
                key=key,
                label=label,
                url_name=f"customers:{key}",
                icon=icon,
                order=order,
                visible=lambda user, model=model: can(user, "view", model),
            )
        )


# The rule: a manager sees the organizations and people of their team, creates and edits
# their own cards, and may not delete, export or import; a head acts on the whole team's cards.
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
        "delete": "own",  # lets a manager clean up and merge their own duplicates
        "export": "none",
        "import": "none",
    },
}
