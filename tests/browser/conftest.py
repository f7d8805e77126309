"""End-to-end tests in headless Chromium (Debian's ``chromium`` package) driven by Playwright's sync API.

Run with ``pytest -m browser``. Without /usr/bin/chromium or the playwright package every test here is skipped
with a one-line reason (pytest prints it: ``-rs`` in pyproject.toml) — unless ``SHEQU_REQUIRE_BROWSER`` is set, as
CI sets it: then they fail with that reason instead. Screenshots of every page visited go to
``artifacts/browser/<test>/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

CHROMIUM = Path(os.environ.get("SHEQU_CHROMIUM", "/usr/bin/chromium"))
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
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
TIMEOUT_MS = 15_000

try:  # pragma: no cover - depends on the machine
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover
    sync_playwright = None


def browser_missing() -> str:
    """Why browser tests cannot run here ('' when they can)."""
    if sync_playwright is None:
        return "playwright is not installed (pip install -e '.[browser]')"
    if not CHROMIUM.exists():
        return f"no browser: {CHROMIUM} is not installed (apt-get install chromium)"
    return ""


def browser_required() -> bool:
    """CI runs the browser tests for real: a missing browser is a failure there, not a skip."""
    return bool(os.environ.get("SHEQU_REQUIRE_BROWSER"))


def pytest_collection_modifyitems(config, items):
    reason = browser_missing()
    if not reason or browser_required():
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


# One Playwright and one Chromium per test process, shared by every ``chromium`` fixture instance: a test module
# elsewhere that imports these fixtures gets its own session-scoped instance, and Playwright's sync API cannot be
# started twice in one thread.
_shared: dict = {"users": 0}


@pytest.fixture(scope="session")
def chromium():
    """The headless Chromium of this test process."""
    reason = browser_missing()
    if reason:  # only reached when SHEQU_REQUIRE_BROWSER is set (otherwise the tests are skipped)
        pytest.fail(f"SHEQU_REQUIRE_BROWSER is set but {reason}", pytrace=False)
    if not _shared["users"]:
        # Playwright's sync API keeps an event loop running in this thread; the Django ORM calls made by the
        # tests themselves (fixtures, assertions on the database) are still synchronous and safe.
        _shared["previous_env"] = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        _shared["playwright"] = sync_playwright().start()
        _shared["browser"] = _shared["playwright"].chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
    _shared["users"] += 1
    yield _shared["browser"]
    _shared["users"] -= 1
    if not _shared["users"]:
        _shared["browser"].close()
        _shared["playwright"].stop()
        previous = _shared["previous_env"]
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# English a user must never meet on a page (Django's and the admin's untranslated texts, the browser's defaults).
ENGLISH = (
    "Page not found",
    "Server Error",
    "Forbidden",
    "Select all",
    "None",
    "Submit",
    "Save",
    "Delete",
    "Cancel",
    "Search",
    "Log out",
    "Log in",
    "Username",
    "Password",
    "This field is required",
    "Add another",
    "History",
)

# What a page shows that a user would call a rough edge: English words from the list, and form controls a screen
# reader cannot name (no <label>, aria-label or aria-labelledby; buttons are named by their text or value).
PAGE_PROBLEMS_JS = """(words) => {
  const text = document.body.innerText;
  const english = words.filter(w => new RegExp("\\b" + w + "\\b").test(text));
  const buttons = ["hidden", "submit", "button", "reset", "image"];
  const unnamed = [...document.querySelectorAll("input, select, textarea")]
    .filter(e => !buttons.includes(e.type) && e.getClientRects().length > 0)
    .filter(e => getComputedStyle(e).visibility !== "hidden")
    .filter(e => !(e.labels && e.labels.length) && !e.getAttribute("aria-label") && !e.getAttribute("aria-labelledby"))
    .map(e => e.name || e.id || e.outerHTML.slice(0, 80));
  return {english, unnamed};
}"""


def page_problems(page) -> dict:
    """{'english': [words of ENGLISH on the page], 'unnamed': [form controls without an accessible name]}."""
    return page.evaluate(PAGE_PROBLEMS_JS, list(ENGLISH))


def page_width_on_phone(page) -> tuple[int, int]:
    """The document's width and the window's at 390 px (the page is left at that size)."""
    page.set_viewport_size(PHONE)
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


class Shots:
    """Numbered full-page screenshots of one test: artifacts/browser/<test>/01-<name>.png ...

    Every page shot is also checked as a user would see it: no English from ENGLISH, every form control named
    (``check=False`` for the failure shot). With ``phone=True`` the page is looked at 390 px wide too
    (``NN-<name>-390.png``) and must not scroll sideways there: wide tables scroll in their own box."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, page, name: str, *, phone: bool = False, check: bool = True) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if check:
            problems = page_problems(page)
            if problems["english"]:
                pytest.fail(f"English on the page {name} ({page.url}): {problems['english']}", pytrace=False)
            if problems["unnamed"]:
                pytest.fail(f"inputs without a label on {name} ({page.url}): {problems['unnamed']}", pytrace=False)
        if phone:
            width, window = page_width_on_phone(page)
            page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}-390.png"), full_page=False)
            page.set_viewport_size(DESKTOP)
            if width > window:
                pytest.fail(f"at 390 px the page {name} scrolls sideways: {width} px wide ({page.url})", pytrace=False)
        return path


@pytest.fixture
def shot(request):
    return Shots(ARTIFACTS / re.sub(r"[^A-Za-z0-9_-]+", "_", request.node.name))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed
    return report


@pytest.fixture
def page(request, chromium, live_server, shot):
    """A fresh browser context (own cookies) pointed at the live server; downloads allowed. When the test
    fails, the page as it was is saved as the last screenshot (``NN-failure.png``)."""
    context = chromium.new_context(base_url=live_server.url, viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    if getattr(request.node, "browser_call_failed", False):
        shot(page, "failure", check=False)
    context.close()


def login(page, username: str, password: str = PASSWORD, *, shot=None) -> None:
    """Sign in through the login page; with ``shot``, the login page (filled in) and the page landed on are
    screenshots too (every journey passes it)."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    if shot:
        shot(page, "login")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"
    if shot:
        shot(page, "signed-in")


def _national_standards() -> None:
    """Put back the national defaults of migration 0002: live-server tests run in transactions that are flushed
    (not rolled back), so rows seeded by migrations are gone after the first such test."""
    import importlib

    from communities.models import Standard

    defaults = importlib.import_module("communities.migrations.0002_national_standards").DEFAULTS
    for key, value, source in defaults:
        Standard.objects.get_or_create(
            region_code="", key=key, year_from=2000, defaults={"value": value, "source": source}
        )


@pytest.fixture
def demo(transactional_db):
    """The demo county (communities/demo.py): 3 streets, 20 communities, returns for 2023–2025, one user per role.
    Returns {username: password}."""
    from communities.demo import demo_build

    _national_standards()
    _, users = demo_build()
    return {user.username: user.password for user in users}


def step(description: str, condition: bool, page) -> None:
    """Fail with the journey step that could not be done, and where the browser was."""
    if not condition:
        pytest.fail(f"step not possible: {description} (at {page.url})", pytrace=False)
