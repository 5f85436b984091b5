"""A MaDDash configuration from text (YAML through ``yaml.safe_load``, or JSON), applied.

Applying it stores the grids (``core/grids.load_config``) and then lets ``coverNewChecks``
windows take the new checks that match their filters.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chalicelib.dialects.maddash.grids import load_config
from chalicelib.dialects.maddash.windows import cover_new_checks
from chalicelib.errors import ValidationFailed


def parse_config_text(text: bytes | str, *, as_json: bool = False) -> Any:
    """The configuration document; ``ValidationFailed`` when it does not parse."""
    import yaml  # loaded when a configuration is, not at cold start

    try:
        if as_json:
            return json.loads(text)
        return yaml.safe_load(text)  # safe_load: plain data only, never Python objects
    except (ValueError, RecursionError, yaml.YAMLError) as exc:
        kind = "JSON" if as_json else "YAML"
        raise ValidationFailed(f"Invalid {kind} configuration: {exc}", field="body") from exc


def apply_config(config: Any) -> dict[str, int]:
    """Store ``config``'s grids and checks; returns counts (with ``windows_grown``)."""
    counts = load_config(config)
    counts["windows_grown"] = cover_new_checks()
    return counts


def load_config_file(path: str | Path) -> dict[str, int]:
    """Apply the configuration in ``path`` (``.json`` as JSON, anything else as YAML)."""
    file = Path(path)
    return apply_config(parse_config_text(file.read_bytes(), as_json=file.suffix == ".json"))
