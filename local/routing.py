"""Path matching as API Gateway does it, for ``chalice local`` and the Chalice test client.

Chalice's own ``RouteMatcher`` treats ``{proxy+}`` like ``{name}``: one segment only, so a
dialect's catch-all (``/maddash/{proxy+}``) answers ``/maddash/a`` and not ``/maddash/a/b``,
where API Gateway would. ``GreedyRouteMatcher`` matches a greedy resource (a last segment
``{name+}``) on one or more segments, and prefers, segment by segment from the left, a literal
to a ``{var}`` to a greedy resource (API Gateway's resource tree, backtracking included).

``install()`` swaps it into ``chalice.local``, where ``LocalGateway`` (used by
``chalice local`` and by ``chalice.test.Client``) looks the class up on each construction.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from chalice import local as chalice_local

_LITERAL, _VARIABLE, _GREEDY = 0, 1, 2


def _kind(part: str) -> int:
    if part.startswith("{") and part.endswith("+}"):
        return _GREEDY
    if part.startswith("{") and part.endswith("}"):
        return _VARIABLE
    return _LITERAL


def match_template(template: str, path: str) -> tuple[tuple[int, ...], dict[str, str]] | None:
    """How ``path`` matches ``template``: (its rank, the captured values), or None.

    The rank lists each template segment's kind; the smaller rank is the more specific match.
    """
    parts, wanted = path.split("/"), template.split("/")
    captured: dict[str, str] = {}
    rank: list[int] = []
    for index, piece in enumerate(wanted):
        kind = _kind(piece)
        rank.append(kind)
        if kind == _GREEDY:
            rest = parts[index:]
            # The greedy segment is a template's last and needs at least one non-empty segment.
            if index != len(wanted) - 1 or not rest or not rest[0]:
                return None
            captured[piece[1:-2]] = "/".join(rest)
            return tuple(rank), captured
        if index >= len(parts):
            return None
        if kind == _VARIABLE:
            if not parts[index]:
                return None
            captured[piece[1:-1]] = parts[index]
        elif piece != parts[index]:
            return None
    if len(parts) != len(wanted):
        return None
    return tuple(rank), captured


class GreedyRouteMatcher(chalice_local.RouteMatcher):
    """Chalice's matcher with API Gateway's rules for greedy (``{proxy+}``) resources."""

    def match_route(self, url: str) -> chalice_local.MatchResult:
        parsed = urlparse(url)
        query_params = parse_qs(parsed.query, keep_blank_values=True)
        path = parsed.path
        # API Gateway drops a trailing slash except on the root (as Chalice's matcher does).
        if path != "/" and path.endswith("/"):
            path = path[:-1]
        best: tuple[tuple[int, ...], str, dict[str, str]] | None = None
        for route_url in self.route_urls:
            found = match_template(route_url, path)
            if found is not None and (best is None or found[0] < best[0]):
                best = (found[0], route_url, found[1])
        if best is None:
            raise ValueError(f"No matching route found for: {url}")
        return chalice_local.MatchResult(best[1], best[2], query_params)


def install() -> None:
    """Make every ``LocalGateway`` built from now on match routes as API Gateway does."""
    chalice_local.RouteMatcher = GreedyRouteMatcher  # type: ignore[misc]
