"""The README and the pages under docs/ stand on their own: their links stay inside the
repository (a clone has nothing beside it) and every ``#anchor`` names a heading of the page
it points to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
README = PROJECT_DIR / "README.md"
PAGES = [README, *sorted((PROJECT_DIR / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _headings(page: Path) -> set[str]:
    return {anchor(h) for h in re.findall(r"^#{1,6} (.+)$", page.read_text(), re.MULTILINE)}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_relative_links_point_inside_the_repository(page):
    targets = [t for t in LINK.findall(page.read_text()) if not re.match(r"\w+:|#", t)]
    for target in targets:
        path = (page.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(PROJECT_DIR), f"{target} points outside the repository"
        assert path.exists(), f"{target} does not exist"


def test_the_readme_refers_to_nothing_outside():
    assert "../" not in README.read_text(), "nothing outside the repository is referred to"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_anchors_name_headings(page):
    for target in LINK.findall(page.read_text()):
        if re.match(r"\w+:", target) or "#" not in target:
            continue
        file_part, _, name = target.partition("#")
        linked = (page.parent / file_part).resolve() if file_part else page
        assert name in _headings(linked), f"no heading for {target} in {linked.name}"


def test_the_readme_maps_every_page():
    text = README.read_text()
    for page in PAGES[1:]:
        assert f"(docs/{page.name})" in text, f"the README's map misses {page.name}"


def test_anchor_follows_github():
    assert anchor("Sending events (`POST /v2/events`)") == "sending-events-post-v2events"
    assert anchor("Users, roles and permissions") == "users-roles-and-permissions"
