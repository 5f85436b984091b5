"""In AWS, each dialect's greedy catch-all is a resource of the packaged REST API with every
method, and a path outside every dialect answers a neutral 404 (a gateway response), not API
Gateway's 403 "Missing Authentication Token"."""

from __future__ import annotations

import json

import pytest

from infra import build_template

# Each dialect's catch-all resource (privacyIDEA's sits below a handler id: ``/event`` already
# has a variable child, ``{handler_id}``, and API Gateway allows one).
CATCH_ALLS = [
    "/omk/opEvents/{proxy+}",
    "/v2/{proxy+}",
    "/maddash/{proxy+}",
    "/api/1.0/{workspace}/{proxy+}",
    "/event/{handler_id}/{proxy+}",
]
METHODS = {"get", "post", "put", "patch", "delete"}


def _definition(template):
    return template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]


@pytest.mark.parametrize("path", CATCH_ALLS)
def test_each_dialect_prefix_has_its_greedy_resource_with_every_method(template, path):
    operations = _definition(template)["paths"][path]
    assert set(operations) >= METHODS
    for method in METHODS:
        integration = operations[method]["x-amazon-apigateway-integration"]
        assert integration["type"] == "aws_proxy"


def test_a_greedy_resource_never_shares_its_parent_with_another_variable(template):
    """API Gateway refuses a resource with two variable children (``{a}`` beside ``{b+}``)."""
    children: dict[str, set[str]] = {}
    for path in _definition(template)["paths"]:
        parent, _, last = path.rpartition("/")
        if last.startswith("{"):
            children.setdefault(parent, set()).add(last)
    assert {parent: kids for parent, kids in children.items() if len(kids) > 1} == {}


def test_paths_outside_every_dialect_answer_a_neutral_404(template):
    responses = _definition(template)["x-amazon-apigateway-gateway-responses"]
    missing = responses["MISSING_AUTHENTICATION_TOKEN"]
    assert missing["statusCode"] == 404
    assert json.loads(missing["responseTemplates"]["application/json"]) == {"message": "Not Found"}
    assert missing["responseParameters"] == {
        "gatewayresponse.header.Content-Type": "'application/json'"
    }
    # The rest of Chalice's definition survived the merge.
    assert "/maddash/grids" in _definition(template)["paths"]
    assert build_template.gateway_responses() == responses
