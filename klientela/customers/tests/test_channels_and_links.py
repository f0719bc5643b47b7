"""One channel at a time, links between people and organizations, notes and the timeline."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from klientela.core.audit import history_for
from klientela.core.timeline import timeline_for
from klientela.customers import services
from klientela.customers.models import Email, Membership, Note

from .factories import EmailFactory, OrganizationFactory, PersonFactory


def test_add_update_delete_channel_keeps_one_primary(company):
    # given an organization with one email
    organization = OrganizationFactory(responsible=company["n_manager1"])
    first = EmailFactory(organization=organization, address="a@acme.example", is_primary=True)
    actor = company["n_manager1"]

    # when a second one is added as primary, then changed, then the primary deleted
    second = services.add_channel(
        actor=actor,
        owner=organization,
        channel_type="emails",
        data={"address": "B@Acme.example", "is_primary": True},
    )
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary, second.address) == (False, True, "b@acme.example")

    services.update_channel(actor=actor, channel=second, data={"comment": "sales desk"})
    second.refresh_from_db()
    assert (second.comment, second.is_primary) == ("sales desk", True)

    services.delete_channel(actor=actor, channel=second)

    # then the remaining email becomes primary; additions and deletions are in the history
    # (primary first), a changed comment is not a change of the card's channels
    first.refresh_from_db()
    assert first.is_primary is True
    assert [entry.changes["emails"]["new"] for entry in history_for(organization)] == [
        ["a@acme.example"],
        ["b@acme.example", "a@acme.example"],
    ]


def test_add_channel_validates(company):
    person = PersonFactory(responsible=company["n_manager1"])

    with pytest.raises(ValidationError) as error:
        services.add_channel(
            actor=company["n_manager1"], owner=person, channel_type="websites", data="not a url"
        )

    assert "url" in error.value.message_dict
    assert not person.websites.exists()


def test_channel_of_a_colleagues_card_cannot_be_changed(company):
    organization = OrganizationFactory(responsible=company["n_manager2"])
    email = EmailFactory(organization=organization, address="a@acme.example")

    with pytest.raises(PermissionDenied):
        services.update_channel(actor=company["n_manager1"], channel=email, data="x@acme.example")
    with pytest.raises(PermissionDenied):
        services.delete_channel(actor=company["n_manager1"], channel=email)

    assert Email.objects.get().address == "a@acme.example"


def test_link_and_unlink_person(company):
    manager = company["n_manager1"]
    organization = OrganizationFactory(responsible=manager)
    person = PersonFactory(responsible=company["n_manager2"])

    membership = services.link_person(
        actor=manager, person=person, organization=organization, role="accountant", position="CFO"
    )

    assert (membership.role.key, membership.position) == ("accountant", "CFO")
    assert history_for(organization).get().changes["memberships"]["new"] == [
        f"{person} — {organization} (Accountant)"
    ]
    with pytest.raises(ValidationError):
        services.link_person(
            actor=manager, person=person, organization=organization, role="accountant"
        )

    services.unlink_person(actor=manager, membership=membership)
    assert not Membership.objects.exists()


def test_link_needs_both_cards_visible(company):
    organization = OrganizationFactory(responsible=company["n_manager1"])
    stranger = PersonFactory(responsible=company["s_manager1"])

    with pytest.raises(PermissionDenied):
        services.link_person(
            actor=company["n_manager1"], person=stranger, organization=organization
        )
    with pytest.raises(ValidationError) as error:
        services.update_organization(
            actor=company["n_manager1"],
            organization=organization,
            memberships=[{"person": stranger.pk, "role": "director"}],
        )

    assert "memberships.0.person" in error.value.message_dict
    assert not Membership.objects.exists()


def test_notes_are_sanitized_and_only_the_author_changes_them(company):
    organization = OrganizationFactory(responsible=company["n_manager1"])

    note = services.add_note(
        actor=company["n_manager2"],
        record=organization,
        body='<p onclick="x()">Met <b>Anna</b><script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a><a href="https://a.example">site</a></p>',
    )

    assert note.body == (
        '<p>Met <b>Anna</b><a rel="noopener noreferrer nofollow">x</a>'
        '<a href="https://a.example" rel="noopener noreferrer nofollow">site</a></p>'
    )
    with pytest.raises(PermissionDenied):
        services.update_note(actor=company["n_manager1"], note=note, body="changed")
    services.update_note(actor=company["admin"], note=note, body="<p>Edited</p>")
    with pytest.raises(ValidationError):
        services.update_note(actor=company["n_manager2"], note=note, body="<p> </p>")
    services.delete_note(actor=company["n_manager2"], note=note)
    assert not Note.objects.exists()


def test_note_needs_a_visible_card(company):
    organization = OrganizationFactory(responsible=company["s_manager1"])

    with pytest.raises(PermissionDenied):
        services.add_note(actor=company["n_manager1"], record=organization, body="hello")

    assert not Note.objects.exists()


def test_timeline_merges_notes_and_changes_newest_first(company):
    manager = company["n_manager1"]
    organization = services.create_organization(actor=manager, legal_name="Acme")
    services.add_note(actor=manager, record=organization, body="<p>First call</p>")
    services.update_organization(actor=manager, organization=organization, short_name="ACME")

    items = timeline_for(organization, user=manager)

    assert [item.kind for item in items] == ["change", "note", "change"]
    assert items[1].body == "<p>First call</p>"
    assert items[1].details == {"can_change": True}
    assert [item.kind for item in timeline_for(organization, user=manager, kinds=["notes"])] == [
        "note"
    ]


def test_an_empty_phone_number_is_an_error_of_its_number(company):
    person = PersonFactory(responsible=company["n_manager1"])

    with pytest.raises(ValidationError) as error:
        services.update_person(
            actor=company["n_manager1"], person=person, phones=[{"kind": "mobile"}]
        )

    assert set(error.value.message_dict) == {"phones.0.number"}
