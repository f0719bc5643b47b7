"""The rest of the sales API an integrator needs: pipelines with their stages, leads changed and
deleted, price lists; each as the pages allow it, and no further."""

import pytest

from klientela.catalog.models import PriceList
from klientela.sales import services
from klientela.sales.models import Lead, Pipeline
from tests.apiclient import ApiClient, assert_documented

pytestmark = pytest.mark.django_db


def test_an_administrator_builds_and_changes_a_pipeline(client, company, pipeline):
    api = ApiClient(client, company["admin"])
    body = {
        "name": "Renewals",
        "stages": [
            {"name": "Due", "probability": 50},
            {"name": "Offer sent", "probability": 70, "required_fields": ["amount"]},
            {"name": "Renewed", "probability": 100, "kind": "won"},
            {"name": "Churned", "probability": 0, "kind": "lost"},
        ],
    }
    created = api.post("/pipelines", body)
    assert created.status_code == 201, created.json()
    assert_documented(created, "/pipelines", "post")
    renewal = created.json()["pipeline"]
    assert [stage["name"] for stage in renewal["stages"]] == [
        "Due",
        "Offer sent",
        "Renewed",
        "Churned",
    ]
    assert renewal["stages"][1]["required_fields"] == ["amount"]
    stages = renewal["stages"]
    changed = api.put(
        f"/pipelines/{renewal['id']}",
        {
            "name": "Renewals",
            "stages": [
                {**stages[1], "delete": False},
                {**stages[0], "name": "Due soon"},
                *[{"name": f"Step {n}", "probability": 10 * n} for n in range(1, 9)],
                stages[2],
                {**stages[3], "delete": True},
            ],
        },
    ).json()
    assert [stage["name"] for stage in changed["pipeline"]["stages"]][:2] == [
        "Offer sent",
        "Due soon",
    ]
    assert "Churned" not in [stage["name"] for stage in changed["pipeline"]["stages"]]
    assert changed["warnings"]  # 11 stages: more than a funnel shows at a glance


def test_a_stage_with_deals_is_not_deleted_and_managers_do_not_edit_pipelines(
    client, company, stages, deal
):
    pipeline = deal.pipeline
    admin = ApiClient(client, company["admin"])
    rows = [
        {"id": stage.pk, "name": stage.name, "probability": stage.probability, "kind": stage.kind}
        for stage in pipeline.stages.all()
    ]
    rows[0]["delete"] = True  # "New" holds the deal
    refused = admin.put(f"/pipelines/{pipeline.pk}", {"name": pipeline.name, "stages": rows})
    assert refused.status_code == 422
    assert pipeline.stages.count() == len(rows)
    manager = ApiClient(client, company["n_manager1"])
    body = {"name": "Mine", "stages": [{"name": "Open", "probability": 10}]}
    assert manager.post("/pipelines", body).status_code == 403
    assert not Pipeline.objects.filter(name="Mine").exists()
    assert manager.get(f"/pipelines/{pipeline.pk}").json()["name"] == pipeline.name


def test_leads_are_changed_and_deleted_by_who_may(client, company):
    lead = services.create_lead(
        actor=company["n_manager1"], title="Need a CRM", company_name="Polbud"
    )
    own = ApiClient(client, company["n_manager1"])
    changed = own.patch(f"/leads/{lead.pk}", {"phone": "+48 601 234 567", "amount": "1200"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["company_name"] == "Polbud"  # untouched fields stay
    lead.refresh_from_db()
    assert lead.phone == "+48 601 234 567" and str(lead.amount) == "1200.00"
    other_team = ApiClient(client, company["s_manager1"])
    assert other_team.patch(f"/leads/{lead.pk}", {"title": "Mine now"}).status_code == 404
    assert other_team.delete(f"/leads/{lead.pk}").status_code == 404
    assert own.delete(f"/leads/{lead.pk}").status_code == 204
    assert not Lead.objects.exists()


def test_price_lists_one_default_per_currency(client, company):
    api = ApiClient(client, company["admin"])
    first = api.post("/price-lists", {"name": "Retail", "currency": "pln", "is_default": True})
    assert first.status_code == 201 and first.json()["currency"] == "PLN"
    second = api.post("/price-lists", {"name": "Promo", "currency": "PLN", "is_default": True})
    assert PriceList.objects.get(pk=first.json()["id"]).is_default is False
    renamed = api.put(
        f"/price-lists/{second.json()['id']}",
        {"name": "Promo 2027", "currency": "PLN", "is_default": True},
    )
    assert renamed.json()["name"] == "Promo 2027"
    manager = ApiClient(client, company["n_manager1"])
    assert manager.post("/price-lists", {"name": "X", "currency": "EUR"}).status_code == 403
