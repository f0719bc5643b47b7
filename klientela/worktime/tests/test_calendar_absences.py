"""Absences show in the activities calendar of the people shown, for those who may see them."""

import datetime

import pytest
from django.urls import reverse

from klientela.worktime import services

pytestmark = pytest.mark.django_db

RANGE = {"start": "2026-03-09T00:00:00+00:00", "end": "2026-03-16T00:00:00+00:00"}


def test_a_colleagues_vacation_is_an_all_day_band_in_the_calendar(client, company):
    colleague = company["n_manager2"]
    services.request_absence(
        actor=company["n_head"],
        user=colleague,
        kind="vacation",
        starts_on=datetime.date(2026, 3, 10),
        ends_on=datetime.date(2026, 3, 11),
        is_approved=True,
    )
    client.force_login(company["n_head"])
    url = reverse("activities:calendar_events")
    events = client.get(url, {**RANGE, "user": [company["n_head"].pk, colleague.pk]}).json()
    bands = [event for event in events if "calendar-absence" in event["classNames"]]
    assert len(bands) == 1
    band = bands[0]
    assert band["title"] == f"Vacation: {colleague}"
    assert (band["start"], band["end"], band["allDay"], band["editable"]) == (
        "2026-03-10",
        "2026-03-12",
        True,
        False,
    )
    # Not in one's own calendar alone; a manager sees the colleague's calls but, as the role
    # has it for absences, only their own absences; another team may not open it at all.
    own = client.get(url, RANGE).json()
    assert not [event for event in own if "calendar-absence" in event["classNames"]]
    client.force_login(company["n_manager1"])
    side_by_side = client.get(url, {**RANGE, "user": [colleague.pk]}).json()
    assert not [event for event in side_by_side if "calendar-absence" in event["classNames"]]
    client.force_login(company["s_manager1"])
    assert client.get(url, {**RANGE, "user": [colleague.pk]}).status_code == 403
