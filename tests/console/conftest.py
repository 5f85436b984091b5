"""Headless Chromium (Debian's ``chromium``) driven by Playwright's Python client.

Playwright's own browsers are never downloaded: the tests launch ``/usr/bin/chromium`` (or
``CHROMIUM``). Without it the tests fail with the one line that fixes it; they never skip.
A failing test leaves a screenshot under ``test-artifacts/console/``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "test-artifacts" / "console"
DOCS = PROJECT / "docs"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = (
    "Debian's chromium is missing: run `make test` as root (it installs it) or "
    "`sudo apt-get install -y chromium`, or set CHROMIUM to a Chromium binary"
)


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        pytest.fail(MISSING, pytrace=False)
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.call_failed = report.failed


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: `make deps` installs requirements-dev.txt", False)
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, request) -> Iterator:
    """A fresh browser context (no cookies) and page, laptop-sized; a screenshot on failure."""
    context = chromium.new_context(viewport={"width": 1366, "height": 850})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    if getattr(request.node, "call_failed", False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def readme_screenshot(page, name: str) -> None:
    """Refresh a README screenshot (``docs/``) when ``UPDATE_SCREENSHOTS=1``."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(DOCS / name))


# WCAG 2 contrast of every visible text against its nearest opaque background (the page's
# own colours: no images behind text here). Returns the texts under 4.5:1.
CONTRAST_SCRIPT = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.checkVisibility()) continue;
    if (el.closest(".visually-hidden, noscript")) continue;
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) failures.push([node.textContent.trim().slice(0, 40), ratio.toFixed(2)]);
  }
  return failures;
}"""


def contrast_failures(page) -> list:
    return page.evaluate(CONTRAST_SCRIPT)
