from django.urls import path

from .views import actions, cards, editing, lists, merge, notes
from .views.common import ORGANIZATIONS, PEOPLE

app_name = "customers"


def record_paths(kind) -> list:
    """The screens both kinds of card have, under /organizations/ and /people/."""
    prefix, name, given = kind.plural, kind.entity, {"kind": kind}
    return [
        path(f"{prefix}/", lists.record_list, given, name=prefix),
        path(f"{prefix}/export/", lists.record_export, given, name=f"{name}_export"),
        path(f"{prefix}/new/", editing.record_create, given, name=f"{name}_create"),
        path(f"{prefix}/duplicates/", editing.record_duplicates, given, name=f"{name}_duplicates"),
        path(f"{prefix}/<int:pk>/edit/", editing.record_edit, given, name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", editing.record_delete, given, name=f"{name}_delete"),
        path(
            f"{prefix}/<int:pk>/hand-over/",
            actions.record_hand_over,
            given,
            name=f"{name}_hand_over",
        ),
        path(f"{prefix}/<int:pk>/merge/", merge.record_merge, given, name=f"{name}_merge"),
        path(f"{prefix}/<int:pk>/links/", actions.record_link, given, name=f"{name}_link"),
        path(f"{prefix}/<int:pk>/notes/", notes.note_add, given, name=f"{name}_note_add"),
    ]


urlpatterns = [
    path("organizations/<int:pk>/", cards.organization_detail, name="organization_detail"),
    path("people/<int:pk>/", cards.person_detail, name="person_detail"),
    *record_paths(ORGANIZATIONS),
    *record_paths(PEOPLE),
    path(
        "organizations/<int:pk>/contacts/new/",
        actions.contact_create,
        name="organization_contact_create",
    ),
    path("contacts/<int:pk>/remove/", actions.contact_remove, name="contact_remove"),
    path("notes/<int:pk>/", notes.note_detail, name="note_detail"),
    path("notes/<int:pk>/edit/", notes.note_edit, name="note_edit"),
    path("notes/<int:pk>/delete/", notes.note_delete, name="note_delete"),
    path("customers/lookup/", actions.lookup, name="lookup"),
]
