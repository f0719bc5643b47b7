"""Activity pages: Today, the list and its filters, the forms, completing, cards' timelines."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from klientela.activities import services
from klientela.activities.models import Activity
from klientela.core.audit import history_for
from klientela.customers import services as customers

HTMX = {"HX-Request": "true"}


def plan(user, subject="Call about the offer", kind="call", when=None, **fields):
    when = when or timezone.now() + datetime.timedelta(hours=1)
    fields["due_at" if kind == "task" else "starts_at"] = when
    return services.create_activity(actor=user, kind=kind, subject=subject, **fields)


def subjects_on(html: str) -> list[str]:
    return re.findall(r'class="(?:agenda|activity)-subject" href="[^"]+">([^<]+)<', html)


# --- Today ------------------------------------------------------------------------------------


def test_today_shows_the_day_and_what_is_overdue(client, company, clients):
    manager = company["n_manager1"]
    now = timezone.now()
    plan(manager, "Call Acme", when=now + datetime.timedelta(minutes=5))
    plan(manager, "Send offer", kind="task", when=now - datetime.timedelta(days=2, hours=1))
    plan(company["s_manager1"], "Not ours", when=now + datetime.timedelta(minutes=5))
    client.force_login(manager)

    page = client.get(reverse("core:home"))

    assert page.status_code == 200
    assert 'data-testid="agenda-overdue"' in page.text
    assert "2 days overdue" in page.text
    assert "Send offer" in page.text
    assert "Not ours" not in page.text
    assert reverse("activities:complete", args=[Activity.objects.get(subject="Call Acme").pk]) in (
        page.text
    )


def test_today_of_a_user_without_activities_access_keeps_the_welcome(client, company):
    client.force_login(company["nobody"])

    page = client.get(reverse("core:home"))

    assert page.status_code == 200
    assert 'data-testid="agenda"' not in page.text
    assert "Your day will appear here" in page.text


def test_today_makes_the_same_queries_for_few_and_many_activities(
    client, company, clients, django_assert_max_num_queries
):
    manager = company["n_manager1"]
    client.force_login(manager)
    now = timezone.now()

    def fill(count):
        for number in range(count):
            plan(
                manager,
                f"Call {number}",
                when=now + datetime.timedelta(hours=number % 3 - 1, days=number % 9 - 4),
                deal=clients["north_deal"],
            )

    fill(3)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("core:home"))
    fill(40)

    with django_assert_max_num_queries(len(few)):
        page = client.get(reverse("core:home"))

    assert page.text.count('data-testid="agenda-item"') > 10


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_the_teams_activities_and_filters_them(client, company, clients):
    now = timezone.now()
    plan(company["n_manager1"], "Mine, a call")
    plan(company["n_manager2"], "Colleague task", kind="task")
    done = plan(company["n_manager1"], "Mine, done", when=now - datetime.timedelta(days=40))
    services.complete_activity(actor=company["n_manager1"], activity=done, result="ok")
    plan(company["s_manager1"], "Other team's call")
    client.force_login(company["n_manager1"])
    url = reverse("activities:list")

    def listed(**query) -> set[str]:
        page = client.get(url, query, headers=HTMX)
        assert page.status_code == 200
        return set(
            re.findall(r'<a class="row-link" href="/activities/\d+/">([^<]+)</a>', page.text)
        )

    assert listed() == {"Mine, a call", "Colleague task", "Mine, done"}
    assert listed(kind="task") == {"Colleague task"}
    assert listed(status="done") == {"Mine, done"}
    assert listed(responsible=company["n_manager2"].pk) == {"Colleague task"}
    assert listed(period="next_7_days") == {"Mine, a call", "Colleague task"}
    assert listed(period="last_30_days") == {"Mine, a call", "Colleague task"}
    assert listed(since=(now - datetime.timedelta(days=41)).date().isoformat(), status="done") == {
        "Mine, done"
    }


def test_the_list_makes_the_same_queries_for_few_and_many_rows(
    client, company, clients, django_assert_max_num_queries
):
    manager = company["n_manager1"]
    client.force_login(manager)
    for number in range(3):
        plan(manager, f"Call {number}", deal=clients["north_deal"])
    url = reverse("activities:list")
    with django_assert_max_num_queries(30) as few:
        client.get(url, {"kind": "call"})
    for number in range(30):
        plan(manager, f"Later {number}", deal=clients["north_deal"])

    with django_assert_max_num_queries(len(few)):
        page = client.get(url, {"kind": "call"})

    assert page.text.count('href="/activities/') >= 25


def test_the_list_needs_the_right_to_see_activities(client, company):
    client.force_login(company["nobody"])

    assert client.get(reverse("activities:list")).status_code == 403


# --- Forms ----------------------------------------------------------------------------------


def test_a_manager_in_vladivostok_plans_a_call_in_their_own_time(client, company, clients):
    manager = company["n_manager1"]
    manager.timezone = "Asia/Vladivostok"
    manager.save()
    client.force_login(manager)

    response = client.post(
        reverse("activities:create"),
        {
            "kind": "call",
            "subject": "Call about the licences",
            "when": "2026-03-11T09:00",
            "organization": clients["north"].pk,
            "deal": clients["north_deal"].pk,
            "phone": "+7 423 200-00-00",
        },
    )

    call = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == call.get_absolute_url()
    assert call.starts_at == datetime.datetime(2026, 3, 10, 23, 0, tzinfo=datetime.UTC)
    assert (call.responsible, call.deal, call.phone) == (
        manager,
        clients["north_deal"],
        "+7 423 200-00-00",
    )


def test_the_form_shows_what_is_missing_beside_the_fields(client, company):
    client.force_login(company["n_manager1"])

    response = client.post(
        reverse("activities:create"), {"kind": "task", "subject": ""}, headers=HTMX
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.count('class="field-errors"') == 2  # subject and when
    assert not Activity.objects.exists()


def test_the_cards_quick_form_plans_and_goes_back_to_the_card(client, company, clients):
    client.force_login(company["n_manager1"])
    card = clients["north"].get_absolute_url()

    page = client.get(card)
    assert 'data-testid="activity-panel"' in page.text
    action = re.search(r'<form class="plan-form" method="post" action="([^"]+)"', page.text)[1]
    response = client.post(
        action.replace("&amp;", "&"),
        {
            "organization": clients["north"].pk,
            "kind": "meeting",
            "subject": "Demo at their office",
            "when": "2026-03-12T10:00",
        },
    )

    assert response.status_code == 302 and response["Location"] == card
    meeting = Activity.objects.get()
    assert (meeting.kind, meeting.organization) == ("meeting", clients["north"])
    assert "Demo at their office" in client.get(card).text


def test_a_colleague_cannot_plan_on_a_hidden_card_through_the_form(client, company, clients):
    client.force_login(company["n_manager1"])

    response = client.post(
        reverse("activities:create"),
        {"kind": "call", "subject": "Poach", "when": "2026-03-12T10:00", "organization": 0}
        | {"organization": clients["south"].pk},
    )

    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_editing_changes_the_activity_and_its_history(client, company, clients):
    manager = company["n_manager1"]
    call = plan(manager, organization=clients["north"])
    client.force_login(manager)

    response = client.post(
        reverse("activities:edit", args=[call.pk]),
        {
            "kind": "call",
            "subject": "Call about the bigger offer",
            "when": "2026-03-12T10:00",
            "organization": clients["north"].pk,
            "priority": "high",
        },
    )

    call.refresh_from_db()
    assert response.status_code == 302
    assert (call.subject, call.priority) == ("Call about the bigger offer", "high")
    entry = history_for(call).get(kind="update")
    assert entry.changes["subject"]["old"] == "Call about the offer"


def test_completing_with_a_follow_up_through_the_page(client, company, clients):
    manager = company["n_manager1"]
    call = plan(manager, deal=clients["north_deal"])
    client.force_login(manager)
    card = clients["north"].get_absolute_url()
    url = f"{reverse('activities:complete', args=[call.pk])}?next={card}"

    refused = client.post(url, {"result": "Wants a demo", "follow_up": "on"}, headers=HTMX)
    assert "Fill this in to plan the follow-up." in refused.text
    assert Activity.objects.get(pk=call.pk).status == "planned"

    response = client.post(
        url,
        {
            "result": "Wants a demo",
            "duration_minutes": "7",
            "follow_up": "on",
            "follow_up_kind": "meeting",
            "follow_up_subject": "Demo",
            "follow_up_at": "2026-03-12T10:00",
        },
    )

    assert response.status_code == 302 and response["Location"] == card
    call.refresh_from_db()
    follow_up = Activity.objects.get(follow_up_of=call)
    assert (call.status, call.result, call.duration_minutes) == ("done", "Wants a demo", 7)
    assert (follow_up.kind, follow_up.subject, follow_up.deal) == (
        "meeting",
        "Demo",
        clients["north_deal"],
    )
    timeline = client.get(card).text
    assert "Wants a demo" in timeline and "Demo" in timeline


def test_the_next_address_must_be_ours(client, company):
    manager = company["n_manager1"]
    call = plan(manager)
    client.force_login(manager)

    response = client.post(
        f"{reverse('activities:complete', args=[call.pk])}?next=https://evil.example/",
        {"result": "ok"},
    )

    assert response["Location"] == call.get_absolute_url()


def test_cancel_and_delete_from_the_activity_page(client, company):
    manager = company["n_manager1"]
    call, other = plan(manager), plan(manager, "Another")
    client.force_login(manager)

    page = client.get(call.get_absolute_url())
    assert reverse("activities:cancel", args=[call.pk]) in page.text
    client.post(reverse("activities:cancel", args=[call.pk]))
    client.post(reverse("activities:delete", args=[other.pk]))

    assert Activity.objects.get().status == "cancelled"


def test_the_checklist_answers_htmx_with_itself(client, company):
    manager = company["n_manager1"]
    task = plan(manager, "Prepare the tender", kind="task")
    client.force_login(manager)

    added = client.post(
        reverse("activities:checklist_add", args=[task.pk]), {"text": "Prices"}, headers=HTMX
    )
    item = task.checklist.get()
    toggled = client.post(
        reverse("activities:checklist_toggle", args=[item.pk]), {"is_done": "1"}, headers=HTMX
    )

    assert 'id="checklist"' in added.text and "<html" not in added.text
    assert "is-done" in toggled.text
    assert task.checklist.get().is_done


# --- Cards' timelines -------------------------------------------------------------------------


def test_the_organization_timeline_merges_activities_with_notes_newest_first(
    client, company, clients
):
    manager = company["n_manager1"]
    organization = clients["north"]
    now = timezone.now()
    week = datetime.timedelta(days=7)
    plan(manager, "Call last week", when=now - week, organization=organization)
    customers.add_note(actor=manager, record=organization, body="Met at the fair")
    plan(manager, "Meeting next week", "meeting", now + week, organization=organization)
    client.force_login(company["n_manager2"])  # a colleague of the team sees them too

    page = client.get(organization.get_absolute_url()).text

    timeline = page[page.index('id="timeline"') :]
    texts = ("Meeting next week", "Met at the fair", "Call last week")
    order = [timeline.index(text) for text in texts]
    assert order == sorted(order)
    # The colleague may see but not complete them.
    assert reverse("activities:complete", args=[Activity.objects.first().pk]) not in page


def test_the_person_timeline_holds_what_they_take_part_in(client, company, clients):
    manager = company["n_manager1"]
    person = clients["north_person"]
    plan(manager, "About them", person=person)
    plan(manager, "With them", "meeting", organization=clients["north"], contacts=[person])
    plan(manager, "Without them", organization=clients["north"])
    client.force_login(manager)

    page = client.get(person.get_absolute_url()).text

    assert "About them" in page and "With them" in page
    assert "Without them" not in page


def test_the_deal_card_shows_the_deals_activities(client, company, clients):
    manager = company["n_manager1"]
    deal = clients["north_deal"]
    plan(manager, "About the deal", deal=deal)
    plan(manager, "About the client only", organization=clients["north"])
    client.force_login(manager)

    page = client.get(deal.get_absolute_url()).text

    assert 'data-testid="activity-timeline"' in page
    assert "About the deal" in page and "About the client only" not in page


@pytest.mark.parametrize("user", ["nobody"])
def test_cards_show_no_activity_panel_without_access(client, company, clients, user):
    admin = company["admin"]
    client.force_login(admin)
    assert 'data-testid="activity-panel"' in client.get(clients["north"].get_absolute_url()).text
    role = company["n_manager1"].role
    role.permissions.filter(entity="activity").update(scope="none")
    client.force_login(company["n_manager1"])

    page = client.get(clients["north"].get_absolute_url())

    assert page.status_code == 200
    assert 'data-testid="activity-panel"' not in page.text
