"""Inputs found by fuzzing the service's own /openapi.json: a 400 in Panko's fault shape."""

from __future__ import annotations

import pytest

from tests.dialects.panko.support import fault


@pytest.mark.parametrize(
    "query",
    [
        "q.field=&q.op=lt&q.value=&q.type=&limit=1&marker=",
        "q.field=&q.op=lt&q.value=&q.type=",
        "q.field=&q.op=eq&q.value=x",
    ],
)
def test_an_empty_filter_field_is_a_client_fault(client, admin, query):
    response = client.http.get(f"/v2/events?{query}", headers=admin)
    assert response.status_code == 400, response.body
    assert fault(response)
