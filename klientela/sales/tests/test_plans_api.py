"""Plans and manager performance through the API: the same rules and figures as the pages."""

from decimal import Decimal

from django.utils import timezone

from klientela.sales import services
from klientela.sales.models import SalesPlan
from tests.apiclient import ApiClient, assert_documented


def test_a_head_sets_reads_and_removes_a_team_plan(client, company, stages):
    head = company["n_head"]
    month = timezone.localdate().replace(day=1)
    won = services.create_deal(actor=company["n_manager1"], title="won", amount=Decimal(400))
    services.move_deal(actor=company["n_manager1"], deal=won, stage=stages["Won"])
    api = ApiClient(client, head)

    created = api.post(
        "/sales-plans",
        {
            "dimension": "team",
            "team_id": head.team_id,
            "starts": month.isoformat(),
            "amount": "1000",
        },
    )
    assert created.status_code == 201, created.json()
    assert_documented(created, "/sales-plans", "post")
    rows = api.get("/sales-plans", dimension="team", starts=month.isoformat(), periods=1)
    assert_documented(rows, "/sales-plans")
    assert [(row["subject"], row["plan"], row["fact"]) for row in rows.json()] == [
        ("North", "1000.00", "400.00")
    ]
    assert api.delete(f"/sales-plans/{created.json()['id']}").status_code == 204
    assert not SalesPlan.objects.exists()


def test_plans_outside_ones_team_are_refused_through_the_api(client, company, pipeline):
    first = timezone.localdate().replace(day=1)
    month = first.isoformat()
    south_plan = services.set_plan(
        actor=None, dimension="team", team=company["s_head"].team, starts=first, amount=Decimal(5)
    )
    head, manager = ApiClient(client, company["n_head"]), ApiClient(client, company["n_manager1"])
    body = {"dimension": "team", "team_id": company["s_head"].team_id, "starts": month, "amount": 1}

    answers = [
        head.post("/sales-plans", body),
        head.post(
            "/sales-plans",
            {"dimension": "region", "region": "Moscow", "starts": month, "amount": 1},
        ),
        manager.post(
            "/sales-plans",
            {"manager_id": company["n_manager1"].pk, "starts": month, "amount": 1},
        ),
        head.delete(f"/sales-plans/{south_plan.pk}"),
    ]

    assert [answer.status_code for answer in answers] == [403, 403, 403, 403]
    assert list(SalesPlan.objects.all()) == [south_plan]
    assert manager.get("/sales-plans", dimension="team").json() == []
    assert ApiClient(client).get("/sales-plans").status_code == 401


def test_performance_through_the_api(client, company, stages):
    for name in ("n_manager1", "n_manager2", "s_manager1"):
        deal = services.create_deal(actor=company[name], title=name, amount=Decimal(100))
        services.move_deal(actor=company[name], deal=deal, stage=stages["Won"])

    as_head = ApiClient(client, company["n_head"]).get("/sales-performance")
    as_manager = ApiClient(client, company["n_manager1"]).get("/sales-performance")
    as_nobody = ApiClient(client, company["nobody"]).get("/sales-performance")

    assert as_head.status_code == 200
    assert_documented(as_head, "/sales-performance")
    body = as_head.json()
    assert [row["manager"] for row in body["managers"]] == ["n_manager1", "n_manager2"]
    assert (body["total"]["won"], body["total"]["won_amount"], body["currency"]) == (
        2,
        "200.00",
        "EUR",
    )
    assert [row["manager"] for row in as_manager.json()["managers"]] == ["n_manager1"]
    assert as_nobody.status_code == 403
