"""Rules of the accounts services that pages and API share."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from klientela.accounts import services
from klientela.accounts.models import User
from klientela.core.audit import history_for


def test_unknown_time_zone_is_refused_and_nothing_changes(company):
    manager = company["n_manager1"]

    with pytest.raises(ValidationError) as error:
        services.update_user(actor=manager, user=manager, timezone="Mars/Olympus")

    assert "timezone" in error.value.message_dict
    assert User.objects.get(pk=manager.pk).timezone == "UTC"


def test_last_administrator_cannot_be_deactivated(company):
    admin = company["admin"]

    with pytest.raises(ValidationError):
        services.update_user(actor=None, user=admin, is_active=False)

    assert User.objects.get(pk=admin.pk).is_active


def test_history_labels_follow_the_readers_language(company):
    manager = company["n_manager1"]
    services.update_user(actor=company["admin"], user=manager, first_name="Nikolai")
    entry = history_for(manager).first()

    with translation.override("ru"):
        labels = [change["label"] for change in entry.labelled_changes()]

    assert labels == ["имя"]


def test_builtin_role_names_are_shown_in_the_readers_language(roles):
    renamed = services.update_role(actor=None, role=roles["head"], name="Sales director")

    with translation.override("pl"):
        shown = [str(roles["manager"]), str(renamed)]

    assert shown == ["Handlowiec", "Sales director"]
