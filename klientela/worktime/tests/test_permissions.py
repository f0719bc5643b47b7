"""Who sees and changes North manager 1's time and absences, through the pages and the API.

Heads see their team's, managers their own, administrators everyone's; what may not be seen is
a 404; on every denial the database stays as it was.
"""

import pytest
from django.urls import reverse

from klientela.core.models import AuditEntry
from klientela.worktime import services
from klientela.worktime.models import Absence, TimeEntry
from tests.apiclient import ApiClient

from .conftest import day

USERS = {
    "owner": "n_manager1",
    "colleague": "n_manager2",
    "head": "n_head",
    "other_manager": "s_manager1",
    "other_head": "s_head",
    "nobody": "nobody",
    "admin": "admin",
}
SEE = {"owner", "head", "admin"}
APPROVE = {"head", "admin"}


@pytest.fixture
def records(company):
    owner = company["n_manager1"]
    entry = services.log_time(actor=owner, day=day("2026-03-10"), minutes=30, note="Offer")
    absence = services.request_absence(
        actor=owner, kind="vacation", starts_on=day("2099-07-01"), ends_on=day("2099-07-03")
    )
    return {"entry": entry, "absence": absence, "owner": owner}


def state() -> list:
    return [
        list(TimeEntry.objects.order_by("pk").values_list("pk", "minutes", "note")),
        list(Absence.objects.order_by("pk").values_list("pk", "ends_on", "is_approved")),
        AuditEntry.objects.count(),
    ]


@pytest.mark.parametrize("who", sorted(USERS))
def test_viewing(client, company, records, who):
    user = company[USERS[who]]
    owner = records["owner"]
    client.force_login(user)
    api = ApiClient(client, user)

    sheet = client.get(reverse("worktime:timesheet"), {"user": owner.pk, "week": "2026-03-10"})
    absences = client.get(reverse("worktime:absences"))
    entry = api.get(f"/time-entries/{records['entry'].pk}")
    absence = api.get(f"/absences/{records['absence'].pk}")
    week = api.get("/timesheet", user=owner.pk, week="2026-03-10")

    may = who in SEE
    assert sheet.status_code == (200 if may else 404 if who != "nobody" else 403)
    if may:
        assert 'value="0:30"' in sheet.text
    if absences.status_code == 200:
        assert ("n_manager1" in absences.text) == may
    # Through the API a record or a person out of reach does not exist, whatever the role.
    assert entry.status_code == (200 if may else 404)
    assert absence.status_code == (200 if may else 404)
    assert week.status_code == (200 if may else 404)


@pytest.mark.parametrize("who", sorted(USERS))
def test_changing(client, company, records, who):
    user = company[USERS[who]]
    client.force_login(user)
    api = ApiClient(client, user)
    before = state()
    entry, absence = records["entry"], records["absence"]

    page = client.post(
        reverse("worktime:timesheet_cell"),
        {"user": records["owner"].pk, "day": "2026-03-10", "activity": "", "time": "2:00"},
    )
    patched = api.patch(f"/time-entries/{entry.pk}", {"minutes": 45})
    moved = api.patch(f"/absences/{absence.pk}", {"ends_on": "2099-07-04"})

    if who in SEE:
        assert page.status_code == 302
        assert patched.status_code == 200 and moved.status_code == 200
        assert TimeEntry.objects.get(pk=entry.pk).minutes == 45
    else:
        assert patched.status_code in (403, 404) and moved.status_code in (403, 404)
        assert state() == before


@pytest.mark.parametrize("who", sorted(USERS))
def test_approving(client, company, records, who):
    user = company[USERS[who]]
    client.force_login(user)
    before = state()

    page = client.post(reverse("worktime:absence_approve", args=[records["absence"].pk]))
    api = ApiClient(client, user).post(f"/absences/{records['absence'].pk}/approve", {})

    approved = Absence.objects.get().is_approved
    if who in APPROVE:
        assert approved
        assert api.status_code == 200
    else:
        assert page.status_code in (302, 403, 404)
        assert api.status_code in (403, 404)
        assert state() == before


@pytest.mark.parametrize(
    ("who", "rows"),
    [
        ("owner", {"n_manager1"}),
        ("head", {"n_head", "n_manager1", "n_manager2"}),
        ("other_head", {"s_head", "s_manager1", "s_manager2"}),
        (
            "admin",
            {"admin", "n_head", "n_manager1", "n_manager2", "s_head", "s_manager1", "s_manager2"},
        ),
        ("nobody", None),
    ],
)
def test_report_scope(client, company, who, rows):
    user = company[USERS[who]]
    client.force_login(user)

    page = client.get(reverse("worktime:report"))
    api = ApiClient(client, user).get("/reports/manager-activity")

    if rows is None:
        assert page.status_code == 403 and api.status_code == 403
        return
    assert {row["manager"] for row in api.json()["rows"]} == rows
    assert page.text.count('data-testid="report-row"') == len(rows)
