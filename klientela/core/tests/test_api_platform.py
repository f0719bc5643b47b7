"""What every endpoint shares: JSON errors, limit/offset pagination, the OpenAPI schema, docs."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders

from tests.apiclient import ApiClient, assert_documented, openapi


@pytest.fixture
def many_users(company):
    get_user_model().objects.bulk_create(
        get_user_model()(username=f"extra{number:02d}") for number in range(12)
    )
    return company


def test_an_unknown_url_is_a_json_404(client, company):
    api = ApiClient(client, company["admin"])

    for path in ("/no-such-thing", "/", "/me/", "/users/abc/extra"):
        response = api.get(path)

        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_url_is_a_json_404_without_credentials_too(client, db):
    response = client.get("/api/v1/nothing/here")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found.", "fields": {}}
    }


def test_a_wrong_method_is_a_json_405(client, company):
    response = ApiClient(client, company["admin"]).post("/access/entities", {})

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_a_body_that_is_not_json_is_a_json_400(client, company):
    response = client.post(
        "/api/v1/teams",
        "{not json",
        content_type="application/json",
        headers=ApiClient(client, company["admin"]).headers,
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_pagination_gives_the_count_the_limit_and_the_offset(client, many_users):
    api = ApiClient(client, many_users["admin"])
    total = api.get("/users", limit=500).json()["count"]

    first = api.get("/users", limit=5).json()
    last = api.get("/users", limit=5, offset=total - 2).json()

    assert total == len(many_users) + 12
    assert (first["count"], first["limit"], first["offset"], len(first["items"])) == (
        total,
        5,
        0,
        5,
    )
    assert (last["count"], last["offset"], len(last["items"])) == (total, total - 2, 2)
    everyone = api.get("/users", limit=500).json()["items"]
    assert [user["id"] for user in first["items"]] == [user["id"] for user in everyone[:5]]


def test_the_default_page_size_applies_without_a_limit(client, company):
    body = ApiClient(client, company["admin"]).get("/users").json()

    assert body["limit"] == settings.API_PAGE_SIZE
    assert body["offset"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": settings.API_MAX_PAGE_SIZE + 1}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "many"}, "limit"),
    ],
)
def test_a_limit_beyond_the_bounds_is_refused(client, company, params, field):
    response = ApiClient(client, company["admin"]).get("/users", **params)

    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_the_openapi_schema_describes_the_api(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "kl_…",
        "description": "A personal API token: `Authorization: Bearer kl_…`.",
    }


def test_every_operation_documents_its_error_responses():
    schema = openapi()

    for url, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {401, 403}
            if "{" in url:
                expected.add(404)
            if operation.get("parameters") or operation.get("requestBody"):
                expected.add(422)
            assert expected <= set(responses), f"{method} {url}"
            for code in expected:
                content = responses[code]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/ErrorOut"}, f"{method} {url}"
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {"error"}


def test_every_operation_requires_authentication():
    schema = openapi()

    for url, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"TokenAuth": []} in operation["security"], f"{method} {url}"


def test_error_bodies_match_the_documented_error_schema(client, company):
    api = ApiClient(client, company["n_manager1"])

    assert_documented(api.get("/users"), "/users")
    assert_documented(api.get("/roles/999999"), "/roles/{role_id}")
    assert_documented(ApiClient(client, company["admin"]).get("/users", limit=0), "/users")
    assert_documented(ApiClient(client, key="kl_wrong").get("/me"), "/me")


def test_the_docs_page_works_offline_under_the_strict_csp(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    sources = re.findall(r"""<(?:script|link)\b[^>]*?(?:src|href)=["']([^"']+)""", html)
    assert sources, "the docs page loads its scripts and styles"
    assert all(source.startswith(settings.STATIC_URL) for source in sources), sources
    assert not re.search(r"https?://", html)
    assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>", html)
    assert " style=" not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe" not in policy


def test_the_docs_page_assets_ship_with_the_app():
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert finders.find(asset), asset
