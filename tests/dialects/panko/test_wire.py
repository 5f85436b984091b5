"""Panko's wire format without HTTP: content negotiation and the XML encoder."""

from __future__ import annotations

from datetime import datetime

import pytest

from chalicelib.core.model import Event, Trait
from chalicelib.dialects.panko import wire as panko_wire


@pytest.mark.parametrize(
    "accept,expected",
    [
        (None, None),
        ("", None),
        ("*/*", None),
        ("application/json", None),
        ("application/xml", "application/xml"),
        ("text/xml", "text/xml"),
        ("application/json, */*", None),
        ("text/html,*/*", None),
        ("application/xml, application/json", None),
        ("application/xml;q=0.9, */*;q=0.1", "application/xml"),
        ("application/json;q=0.5, text/xml", "text/xml"),
        ("application/xml;q=0", None),
        ("text/html", None),
    ],
)
def test_json_unless_xml_is_explicitly_preferred(accept, expected):
    assert panko_wire.xml_type_wanted(accept) == expected


def test_xml_encoding_follows_wsme():
    body = {
        "none": None,
        "flag": False,
        "numbers": [1, 2.5],
        "mapping": panko_wire.KeyValues({"k": True}),
        "raw": panko_wire.RawValue({"a": [1, "b"]}),
        "empty": [],
    }
    assert panko_wire.to_xml(body) == (
        '<result><none nil="true" /><flag>false</flag><numbers><item>1</item>'
        "<item>2.5</item></numbers><mapping><item><key>k</key><value>true</value></item>"
        "</mapping><raw>{'a': [1, 'b']}</raw><empty /></result>"
    )
    assert panko_wire.to_xml([]) == "<result />"
    assert panko_wire.to_xml(["a&b<"]) == "<result><item>a&amp;b&lt;</item></result>"


def test_raw_is_the_value_itself_in_json():
    event = Event(
        message_id="m",
        event_type="t",
        generated=datetime(2014, 1, 1, 5, 0, 0, 10),
        traits=(Trait("n", "float", 1e20),),
        raw=["x", {"y": None}],
    )
    assert panko_wire.to_json(panko_wire.event_to_wire(event)) == (
        '{"message_id": "m", "event_type": "t", "traits": [{"name": "n", "value": "1e+20", '
        '"type": "float"}], "generated": "2014-01-01T05:00:00.000010", "raw": ["x", {"y": null}]}'
    )


def test_faults_in_both_forms():
    json_fault = panko_wire.render_fault("boom", 503, None)
    assert json_fault.status_code == 503
    assert json_fault.body == (
        '{"error_message": {"faultcode": "Server", "faultstring": "boom", "debuginfo": null}}'
    )
    xml_fault = panko_wire.render_fault("nope", 404, "application/xml")
    assert xml_fault.headers["Content-Type"] == "application/xml"
    assert xml_fault.body == (
        "<error_message><error><faultcode>Client</faultcode><faultstring>nope</faultstring>"
        "<debuginfo /></error></error_message>"
    )
