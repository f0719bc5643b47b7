"""A test helper that calls /api/v1/ with a personal token, JSON in and JSON out."""

from klientela.accounts import services

PREFIX = "/api/v1"


class ApiClient:
    def __init__(self, client, user=None, *, key: str | None = None):
        self.client = client
        if key is None and user is not None:
            _token, key = services.issue_token(actor=None, user=user, name="tests")
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path: str, **params):
        return self.client.get(PREFIX + path, params, headers=self.headers)

    def post(self, path: str, body=None):
        return self._send("post", path, body)

    def patch(self, path: str, body=None):
        return self._send("patch", path, body)

    def put(self, path: str, body=None):
        return self._send("put", path, body)

    def delete(self, path: str):
        return self.client.delete(PREFIX + path, headers=self.headers)

    def _send(self, method: str, path: str, body):
        send = getattr(self.client, method)
        return send(
            PREFIX + path,
            {} if body is None else body,
            content_type="application/json",
            headers=self.headers,
        )


# --- Responses checked against the OpenAPI schema -----------------------------------------------

PRIMITIVES = {"string": str, "integer": int, "boolean": bool, "number": (int, float)}


def openapi() -> dict:
    from klientela.api import api

    return api.get_openapi_schema(path_prefix=PREFIX + "/")


def assert_documented(response, path: str, method: str = "get") -> None:
    """The response body has exactly the documented keys and types for this path and status."""
    schema = openapi()
    responses = schema["paths"][PREFIX + path][method]["responses"]
    documented = responses[response.status_code]["content"]["application/json"]["schema"]
    _check(schema, documented, response.json(), "body")


def _check(schema: dict, node: dict, value, where: str) -> None:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in node:
        options = [option for option in node["anyOf"] if option.get("type") != "null"]
        if value is None:
            assert len(options) < len(node["anyOf"]), f"{where} is null but not nullable"
            return
        node = options[0]
    kind = node.get("type")
    if kind == "object" and "properties" in node:
        assert isinstance(value, dict), where
        assert set(value) == set(node["properties"]), f"{where}: {set(value)} is not documented"
        for name, child in node["properties"].items():
            _check(schema, child, value[name], f"{where}.{name}")
    elif kind == "object" and isinstance(node.get("additionalProperties"), dict):
        for name, child_value in value.items():
            _check(schema, node["additionalProperties"], child_value, f"{where}.{name}")
    elif kind == "array":
        assert isinstance(value, list), where
        for index, item in enumerate(value):
            _check(schema, node.get("items", {}), item, f"{where}[{index}]")
    elif kind in PRIMITIVES:
        assert isinstance(value, PRIMITIVES[kind]), f"{where}: {value!r} is not {kind}"
