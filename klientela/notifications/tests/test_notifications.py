"""The bell, the list, reading one and all, through pages and the API; nobody reads another's."""

import pytest
from django.urls import reverse

from klientela.notifications import services
from klientela.notifications.models import Notification
from tests.apiclient import ApiClient, assert_documented

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(company):
    anna = company["n_manager1"]
    return [
        services.notify(user=anna, kind="reminder", title="Call Acme", url="/activities/1/"),
        services.notify(user=anna, kind="invitation", title="Licence review", body="Join us"),
        services.notify(user=company["n_manager2"], kind="reminder", title="Boris's"),
    ]


def test_the_bell_shows_the_unread_count_on_every_page_without_polling(client, company, notes):
    client.force_login(company["n_manager1"])
    page = client.get("/")
    assert b'id="notification-bell"' in page.content
    assert b'class="notification-count" aria-hidden="true">2<' in page.content
    # A poll would keep the sliding session alive and defeat the idle sign-out.
    assert b'hx-trigger="every' not in page.content
    bell = client.get(reverse("notifications:bell"), headers={"HX-Request": "true"})
    assert bell.status_code == 200 and b"<html" not in bell.content
    assert b">2<" in bell.content


def test_the_list_and_reading(client, company, notes):
    client.force_login(company["n_manager1"])
    page = client.get(reverse("notifications:list"))
    assert b"Call Acme" in page.content and b"Licence review" in page.content
    assert b"Boris" not in page.content
    opened = client.post(reverse("notifications:open", args=[notes[0].pk]))
    assert opened.status_code == 302 and opened["Location"] == "/activities/1/"
    notes[0].refresh_from_db()
    assert notes[0].is_read
    # Another user's notification is not found, and stays unread.
    assert client.post(reverse("notifications:read", args=[notes[2].pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    assert services.unread_count(company["n_manager1"]) == 0
    assert services.unread_count(company["n_manager2"]) == 1


def test_an_outside_link_is_not_followed(client, company):
    note = services.notify(
        user=company["n_manager1"], kind="reminder", title="x", url="https://evil.example/"
    )
    client.force_login(company["n_manager1"])
    opened = client.post(reverse("notifications:open", args=[note.pk]))
    assert opened["Location"] == reverse("notifications:list")


def test_anonymous_users_are_sent_to_sign_in(client, notes):
    assert client.get(reverse("notifications:list")).status_code == 302
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_notifications_through_the_api(client, company, notes):
    api = ApiClient(client, company["n_manager1"])
    listed = api.get("/notifications")
    assert_documented(listed, "/notifications")
    assert listed.json()["count"] == 2
    assert api.get("/notifications/unread").json() == {"unread_count": 2}
    read = api.post(f"/notifications/{notes[0].pk}/read")
    assert read.status_code == 200 and read.json()["is_read"] is True
    assert api.get("/notifications", unread="true").json()["count"] == 1
    assert api.post(f"/notifications/{notes[2].pk}/read").status_code == 404
    assert api.post("/notifications/read").json() == {"marked": 1}
    assert services.unread_count(company["n_manager2"]) == 1


def test_old_sent_emails_and_read_notifications_are_removed(company, notes):
    import datetime

    from django.utils import timezone

    from klientela.notifications.models import OutgoingEmail

    now = timezone.now()
    old = now - datetime.timedelta(days=100)
    kept = services.queue_email(to="a@example.com", subject="Failed", body="x")
    OutgoingEmail.objects.filter(pk=kept.pk).update(status="failed")
    gone = services.queue_email(to="a@example.com", subject="Sent long ago", body="x")
    OutgoingEmail.objects.filter(pk=gone.pk).update(status="sent", sent_at=old)
    Notification.objects.filter(pk=notes[0].pk).update(read_at=old)
    assert services.purge_old(now=now) == 2
    assert list(OutgoingEmail.objects.values_list("subject", flat=True)) == ["Failed"]
    assert Notification.objects.count() == 2
