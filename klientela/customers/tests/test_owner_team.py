"""Cards keep a copy of their responsible's team, so team scopes read one indexed column."""

from klientela.accounts import services as accounts
from klientela.customers import services
from klientela.customers.models import Organization, Person

from .factories import OrganizationFactory, PersonFactory


def visible_names(user) -> set[str]:
    return {str(card) for card in Organization.objects.visible_to(user)}


def test_a_new_card_carries_its_responsibles_team(company):
    manager = company["n_manager1"]
    organization = services.create_organization(actor=manager, legal_name="Acme")
    person = PersonFactory(responsible=company["s_manager1"])

    assert organization.responsible_team_id == manager.team_id
    assert Person.objects.get(pk=person.pk).responsible_team_id == company["s_head"].team_id


def test_a_hand_over_moves_the_card_into_the_new_owners_team(company):
    admin, north, south = company["admin"], company["n_manager1"], company["s_manager1"]
    organization = OrganizationFactory(responsible=north, legal_name="Acme")
    assert "Acme" in visible_names(company["n_manager2"])

    services.hand_over(actor=admin, records=[organization], new_owner=south)

    assert "Acme" not in visible_names(company["n_manager2"])
    assert "Acme" in visible_names(company["s_manager2"])
    organization.refresh_from_db()
    assert organization.responsible_team_id == south.team_id


def test_a_manager_who_changes_team_takes_their_cards_along(company):
    admin, mover = company["admin"], company["n_manager1"]
    OrganizationFactory(responsible=mover, legal_name="Acme")
    south_team = company["s_head"].team

    accounts.update_user(actor=admin, user=mover, team=south_team)

    assert "Acme" in visible_names(company["s_manager2"])
    assert "Acme" not in visible_names(company["n_manager2"])


def test_cards_of_a_deleted_team_leave_every_team_scope(company):
    admin, mover = company["admin"], company["n_manager1"]
    OrganizationFactory(responsible=mover, legal_name="Acme")

    accounts.delete_team(actor=admin, team=mover.team)

    assert Organization.objects.get(legal_name="Acme").responsible_team_id is None
    assert "Acme" in visible_names(company["n_manager1"].__class__.objects.get(pk=mover.pk))
