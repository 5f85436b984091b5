"""The OpenAPI document: valid 3.1, exactly the routes Chalice serves, each declared; /docs."""

from __future__ import annotations

import re

import pytest
from chalice import Blueprint, Chalice
from openapi_spec_validator import validate

from app import app
from chalicelib.openapi import declare
from chalicelib.openapi.dialects import DIALECTS
from chalicelib.openapi.document import UndeclaredRoute, build_document, iter_routes


@pytest.fixture(scope="module")
def document():
    return build_document(app)


def test_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_chalice_route_is_declared_with_a_known_dialect_and_access():
    for path, method, _, declaration in iter_routes(app):
        assert declaration is not None, f"{method} {path} lacks @declare.route"
        assert declaration.dialect in DIALECTS, f"{method} {path}: {declaration.dialect}"
        assert declaration.access in (declare.PUBLIC, declare.AUTHENTICATED, declare.ADMIN) or (
            declaration.required_permission
        ), f"{method} {path}: access {declaration.access!r}"


def test_document_names_exactly_the_routes_chalice_serves(document):
    routes = list(iter_routes(app))
    served = {(path, method.lower()) for path, method, _, d in routes if d is None or d.listed}
    # Only the dialects' catch-all 404s stay out of the document.
    unlisted = {path for path, _, _, d in routes if d is not None and not d.listed}
    assert all(path.endswith("{proxy+}") or path == "/maddash" for path in unlisted), unlisted
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert documented - served == set(), "documented but not served"
    assert served - documented == set(), "served but not documented"


def test_path_parameters_come_from_chalice_route(document):
    operation = document["paths"]["/v2/event_types/{event_type}/traits/{trait_name}"]["get"]
    names = [p["name"] for p in operation["parameters"] if p["in"] == "path"]
    assert names == ["event_type", "trait_name"]


def test_each_dialect_documents_its_error_shape_and_credentials(document):
    schemas = document["components"]["schemas"]
    assert "faultstring" in str(schemas["PankoError"])
    assert schemas["PrivacyideaError"]["properties"]["result"]["properties"]["status"] == {
        "const": False
    }
    assert set(schemas["AdminError"]["required"]) == {"error", "message", "request_id"}
    ingest = document["paths"]["/v2/events"]["post"]
    assert {"xAuthToken": []} in ingest["security"]
    assert ingest["responses"]["403"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PankoError"
    }
    bindings = document["paths"]["/event"]["get"]
    assert {"piAuthorization": []} in bindings["security"]
    assert "401" in bindings["responses"]
    assert document["paths"]["/health"]["get"]["security"] == []


def test_a_route_without_a_declaration_fails_the_build():
    bare = Chalice(app_name="bare")
    blueprint = Blueprint(__name__)

    @blueprint.route("/declared")
    @declare.route("admin", "Declared", access=declare.PUBLIC)
    def declared():
        return {}

    @blueprint.route("/forgotten/{name}")
    def forgotten(name):
        return {}

    bare.register_blueprint(blueprint)
    with pytest.raises(UndeclaredRoute, match=re.escape("GET /forgotten/{name}")):
        build_document(bare)


def test_openapi_json_is_served(client):
    response = client.http.get("/openapi.json")
    assert response.status_code == 200
    assert response.json_body["paths"].keys() == build_document(app)["paths"].keys()


def test_docs_page_loads_only_from_this_service(client):
    page = client.http.get("/docs")
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    html = page.body.decode()
    assert 'spec-url="openapi.json"' in html
    sources = re.findall(r'(?:src|href|spec-url)="([^"]+)"', html)
    assert sources and all("//" not in source for source in sources), sources
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    script = client.http.get("/docs/redoc.standalone.js")
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert len(script.body) > 500_000  # the whole renderer, not a stub


def test_the_newer_dialects_document_their_refusals_and_shapes(document):
    paths = document["paths"]
    tags = {tag["name"] for tag in document["tags"]}
    assert {"opEvents", "MaDDash", "ProcessMaker", "platform"} <= tags
    # opEvents: 401 and 404 refusals, the session cookie among the credentials.
    listing = paths["/omk/opEvents/events.json"]["get"]
    assert {"401", "404"} <= listing["responses"].keys()
    assert {"omkSession": []} in listing["security"]
    assert "text/html" in paths["/omk/opEvents/events"]["get"]["responses"]["200"]["content"]
    # MaDDash: public reads, admin writes refused 401 (with its realm) / 403 in plain text.
    assert paths["/maddash/grids"]["get"]["security"] == []
    create = paths["/maddash/admin/events"]["post"]["responses"]
    assert create["401"]["content"].keys() == {"text/plain"}
    assert "MaDDash Administrative API" in str(create["401"]["headers"])
    assert "403" in create
    # ProcessMaker: Restler's body, 403 for designer writes, OAuth's shape on the token route.
    schemas = document["components"]["schemas"]
    assert "error_description" in schemas["ProcessmakerError"]["properties"]
    assert "403" in paths["/api/1.0/{workspace}/project"]["post"]["responses"]
    assert paths["/api/1.0/{workspace}/oauth2/token"]["post"]["security"] == []


def test_a_view_serving_several_methods_has_one_operation_id_per_method(document):
    ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    health = document["paths"]["/health"]
    assert health["post"]["operationId"] == "admin_not_allowed_health_post"
    assert "405" in health["put"]["responses"]
