"""Deals through the API: the same stage rules and the same access as the funnel."""

from klientela.sales.models import Deal
from tests.apiclient import ApiClient, assert_documented


def test_a_deal_round_trip_and_a_move_stopped_by_a_stage_rule(client, company, stages, client_org):
    api = ApiClient(client, company["n_manager1"])

    created = api.post("/deals", {"title": "Licences", "organization_id": client_org.pk})
    assert created.status_code == 201, created.json()
    assert_documented(created, "/deals", "post")
    deal_id = created.json()["id"]
    assert created.json()["stage_id"] == stages["New"].pk

    refused = api.post(f"/deals/{deal_id}/move", {"stage_id": stages["Negotiation"].pk})
    assert refused.status_code == 422
    assert "amount, expected close date" in refused.json()["error"]["message"]
    assert Deal.objects.get(pk=deal_id).stage == stages["New"]

    changed = api.patch(f"/deals/{deal_id}", {"amount": "900", "expected_close": "2027-02-01"})
    assert changed.status_code == 200, changed.json()
    moved = api.post(f"/deals/{deal_id}/move", {"stage_id": stages["Negotiation"].pk})
    assert moved.status_code == 200
    assert moved.json()["probability"] == 75
    assert_documented(moved, "/deals/{deal_id}/move", "post")


def test_a_lost_move_needs_a_known_reason(client, company, stages, deal):
    api = ApiClient(client, company["n_manager1"])
    url = f"/deals/{deal.pk}/move"

    assert api.post(url, {"stage_id": stages["Lost"].pk}).status_code == 422
    lost = api.post(url, {"stage_id": stages["Lost"].pk, "lost_reason": "price"})

    assert lost.status_code == 200 and lost.json()["lost_reason"] == "price"


def test_a_colleague_neither_sees_nor_moves_the_deal(client, company, stages, deal):
    api = ApiClient(client, company["n_manager2"])

    assert api.get("/deals").json()["count"] == 0
    assert api.get(f"/deals/{deal.pk}").status_code == 404
    assert api.post(f"/deals/{deal.pk}/move", {"stage_id": stages["Won"].pk}).status_code == 404
    assert api.delete(f"/deals/{deal.pk}").status_code == 404
    assert Deal.objects.filter(pk=deal.pk, stage=stages["New"]).exists()


def test_the_head_lists_the_teams_deals_and_the_pipelines(client, company, deal, pipeline):
    api = ApiClient(client, company["n_head"])

    listed = api.get("/deals", open="true")
    pipelines = api.get("/pipelines").json()

    assert [item["title"] for item in listed.json()["items"]] == ["Acme licences"]
    assert [stage["name"] for stage in pipelines[0]["stages"]][:2] == ["New", "Qualified"]
