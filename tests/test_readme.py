"""The README stands on its own: its links stay inside the repository (a clone has nothing
beside it) and every ``#anchor`` names one of its headings."""

from __future__ import annotations

import re
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
README = PROJECT_DIR / "README.md"
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_relative_links_point_inside_the_repository():
    targets = [t for t in LINK.findall(README.read_text()) if not re.match(r"\w+:|#", t)]
    for target in targets:
        path = (PROJECT_DIR / target.split("#")[0]).resolve()
        assert path.is_relative_to(PROJECT_DIR), f"{target} points outside the repository"
        assert path.exists(), f"{target} does not exist"
    assert "../" not in README.read_text(), "nothing outside the repository is referred to"


def test_anchors_name_headings():
    text = README.read_text()
    headings = {anchor(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE)}
    for target in LINK.findall(text):
        if target.startswith("#"):
            assert target[1:] in headings, f"no heading for {target}"


def test_anchor_follows_github():
    assert anchor("Sending events (`POST /v2/events`)") == "sending-events-post-v2events"
    assert anchor("Users, roles and permissions") == "users-roles-and-permissions"
