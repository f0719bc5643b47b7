"""Administrators shape pipelines in the app: rename, reorder, add and delete stages."""

from django.urls import reverse

from klientela.sales.models import Pipeline, Stage


def stage_rows(stages: list[Stage], extra: list[dict] = ()) -> dict:
    rows = [
        {
            "id": stage.pk,
            "name": stage.name,
            "probability": stage.probability,
            "kind": stage.kind,
            "ORDER": number,
        }
        for number, stage in enumerate(stages, start=1)
    ] + list(extra)
    data = {
        "stages-TOTAL_FORMS": str(len(rows)),
        "stages-INITIAL_FORMS": str(len(stages)),
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if key == "required_fields":
                continue
            data[f"stages-{index}-{key}"] = "" if value is None else str(value)
        if row.get("required_fields"):
            data[f"stages-{index}-required_fields"] = row["required_fields"]
        if row.get("DELETE"):
            data[f"stages-{index}-DELETE"] = "on"
    return data


def test_an_administrator_reorders_renames_adds_and_deletes_stages(client, company, pipeline):
    client.force_login(company["admin"])
    stages = list(pipeline.stages.all())
    new, qualified = stages[0], stages[1]
    rows = stage_rows(
        stages,
        extra=[
            {
                "name": "Demo",
                "probability": 40,
                "kind": "open",
                "ORDER": 2,
                "required_fields": ["amount"],
            }
        ],
    )
    rows["stages-0-ORDER"], rows["stages-1-name"] = "3", "Qualified lead"
    rows["stages-3-DELETE"] = "on"  # Negotiation

    response = client.post(
        reverse("sales:pipeline_edit", args=[pipeline.pk]),
        {"name": "New sales", "is_active": "on", **rows},
    )

    assert response.status_code == 302, response.content
    names = list(Pipeline.objects.get(pk=pipeline.pk).stages.values_list("name", flat=True))
    assert names == ["Qualified lead", "Demo", "New", "Proposal", "Won", "Lost"]
    assert Stage.objects.get(name="Demo").required_fields == ["amount"]
    assert Stage.objects.filter(pk=new.pk, name="New").exists()
    assert Stage.objects.filter(pk=qualified.pk, name="Qualified lead").exists()


def test_a_stage_holding_deals_cannot_be_deleted(client, company, pipeline, deal):
    client.force_login(company["admin"])
    stages = list(pipeline.stages.all())
    rows = stage_rows(stages)
    rows["stages-0-DELETE"] = "on"  # New holds the deal

    response = client.post(
        reverse("sales:pipeline_edit", args=[pipeline.pk]), {"name": "Sales", **rows}
    )

    assert response.status_code == 200
    assert "Move the deals out of" in response.text
    assert pipeline.stages.count() == len(stages)


def test_only_administrators_edit_pipelines(client, company, pipeline):
    client.force_login(company["n_head"])

    assert client.get(reverse("sales:pipelines")).status_code == 403
    edit = client.post(reverse("sales:pipeline_edit", args=[pipeline.pk]), {"name": "Mine"})
    assert edit.status_code == 403
    assert Pipeline.objects.get(pk=pipeline.pk).name == "Sales"
