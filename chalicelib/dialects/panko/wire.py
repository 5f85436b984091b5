"""Panko V2 wire format: WSME's JSON and XML renderings of events, traits and faults.

Attribute order follows Panko's WSME types (it drives JSON key order and XML element order):
Event ``message_id, event_type, traits, generated, raw``; Trait ``name, value, type``;
TraitDescription ``type, name``. XML is built with ``xml.etree`` the way WSME's ``toxml`` does:
root ``<result>``, list members ``<item>``, dict entries ``<item><key/><value/></item>``,
``None`` as ``nil="true"``, and ``raw`` as the Python ``str`` of its value (Panko's quirk).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from chalicelib.dialects.common import Answer
from chalicelib.errors import EventServiceError

if TYPE_CHECKING:
    from chalicelib.core.model import Event, Trait

JSON_TYPE = "application/json"
XML_TYPES = ("application/xml", "text/xml")

CAPABILITIES_API = {"events:query:simple": True}
CAPABILITIES_STORAGE = {"storage:production_ready": True}


class Fault(EventServiceError):
    """A refusal that exists only on Panko's wire (415, the always-404 route, 401 admin gate)."""

    def __init__(self, message: str, status: int) -> None:
        self.status = self.status_code = status
        super().__init__(message)


class KeyValues(dict):
    """A WSME ``dict`` value: XML renders it as key/value items, JSON as an object."""


class RawValue:
    """A WSME ``JsonType`` value: JSON renders the value itself, XML its Python ``str``."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


# ---------------------------------------------------------------- resources


def trait_to_wire(trait: Trait) -> dict[str, str]:
    return {"name": trait.name, "value": trait.wire_value(), "type": trait.type}


def trait_description_to_wire(name: str, trait_type: str) -> dict[str, str]:
    return {"type": trait_type, "name": name}


def event_to_wire(event: Event) -> dict[str, Any]:
    """An event as Panko shows it: traits by name, ``generated`` naive-UTC isoformat."""
    return {
        "message_id": event.message_id,
        "event_type": event.event_type,
        "traits": [trait_to_wire(trait) for trait in event.traits],
        "generated": event.generated.isoformat(),
        "raw": RawValue(event.raw),
    }


def capabilities() -> dict[str, Any]:
    return {"api": KeyValues(CAPABILITIES_API), "event_storage": KeyValues(CAPABILITIES_STORAGE)}


def versions(base_url: str) -> dict[str, Any]:
    """The versions document of ``GET /`` (JSON only in Panko)."""
    return {
        "versions": {
            "values": [
                {
                    "id": "v2",
                    "links": [
                        {"href": f"{base_url}/v2", "rel": "self"},
                        {
                            "href": "https://docs.openstack.org/",
                            "rel": "describedby",
                            "type": "text/html",
                        },
                    ],
                    "media-types": [
                        {
                            "base": "application/json",
                            "type": "application/vnd.openstack.telemetry-v2+json",
                        },
                        {
                            "base": "application/xml",
                            "type": "application/vnd.openstack.telemetry-v2+xml",
                        },
                    ],
                    "status": "stable",
                    "updated": "2013-02-13T00:00:00Z",
                }
            ]
        }
    }


# ---------------------------------------------------------------- negotiation


def _media_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media.lower(), quality))
    return ranges


def xml_type_wanted(accept: str | None) -> str | None:
    """The XML media type to answer with, or None for JSON.

    JSON unless XML is explicitly preferred: ``*/*`` and ``application/*`` count for JSON only,
    so ``application/json, */*`` and ``text/html,*/*`` stay JSON (the notes' recommendation).
    """
    if not accept:
        return None
    ranges = _media_ranges(accept)

    def quality(media: str, wildcards: tuple[str, ...] = ()) -> float:
        exact = [q for m, q in ranges if m == media]
        if exact:
            return max(exact)
        return max((q for m, q in ranges if m in wildcards), default=0.0)

    json_quality = quality(JSON_TYPE, ("*/*", "application/*"))
    best = max(XML_TYPES, key=quality)
    return best if quality(best) > json_quality else None


# ---------------------------------------------------------------- encoding


def _json_default(value: Any) -> Any:
    if isinstance(value, RawValue):
        return value.value
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def to_json(body: Any) -> str:
    return json.dumps(body, default=_json_default, separators=(", ", ": "))


def _fill(element: ElementTree.Element, value: Any) -> None:
    if value is None:
        element.set("nil", "true")
    elif isinstance(value, RawValue):
        element.text = str(value.value)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif isinstance(value, KeyValues):
        for key, item in value.items():
            entry = ElementTree.SubElement(element, "item")
            _fill(ElementTree.SubElement(entry, "key"), key)
            _fill(ElementTree.SubElement(entry, "value"), item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), item)
    elif isinstance(value, list | tuple):
        for item in value:
            _fill(ElementTree.SubElement(element, "item"), item)
    else:
        element.text = str(value)


def to_xml(body: Any, root: str = "result") -> str:
    element = ElementTree.Element(root)
    _fill(element, body)
    return ElementTree.tostring(element, encoding="unicode")


def render(body: Any, accept: str | None, status: int = 200) -> Answer:
    """``body`` in the representation ``accept`` asks for (JSON by default)."""
    xml_type = xml_type_wanted(accept)
    if xml_type:
        return Answer(to_xml(body), status_code=status, headers={"Content-Type": xml_type})
    return Answer(to_json(body), status_code=status, headers={"Content-Type": JSON_TYPE})


def render_fault(message: str, status: int, accept: str | None) -> Answer:
    """Panko's error body: ``{"error_message": {faultcode, faultstring, debuginfo}}``."""
    fault = {
        "faultcode": "Client" if status < 500 else "Server",
        "faultstring": message,
        "debuginfo": None,
    }
    xml_type = xml_type_wanted(accept)
    if xml_type:
        wrapper = ElementTree.Element("error_message")
        error = ElementTree.SubElement(wrapper, "error")
        for key, value in fault.items():
            child = ElementTree.SubElement(error, key)
            child.text = value
        body = ElementTree.tostring(wrapper, encoding="unicode")
        return Answer(body, status_code=status, headers={"Content-Type": "application/xml"})
    return Answer(
        to_json({"error_message": fault}), status_code=status, headers={"Content-Type": JSON_TYPE}
    )
