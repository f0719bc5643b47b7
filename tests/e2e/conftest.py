"""Browser journeys: Playwright drives Debian's Chromium against a live Django server.

Every page is watched (see watch.py): a JavaScript error, a console error, a CSP violation or a
broken asset fails the test that caused it. Screenshots go to test-artifacts/screenshots/ so a
person can look at what users see; a failing test leaves one of each of its pages there too.

Run them with ``uv run pytest tests/e2e`` (``-m "not e2e"`` leaves them out); ``CHROMIUM`` names
another Chromium binary. Journeys sign in through the real form (``sign_in``) and read like user
stories through the page objects in pages/.
"""

import os
import shutil
from pathlib import Path

import pytest

from conftest import PASSWORD

from .pages import LoginPage, Shell
from .watch import PageWatch

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures and
# assertions are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TIMEOUT_MS = 10_000


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("Chromium is missing: apt-get install chromium (make test does it as root).")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(request, browser, live_server):
    """Open a page in a fresh browser context (its own cookies): ``open_page(PHONE)``."""
    contexts = []
    request.node.watched_pages = []

    def open_new(device: dict = DESKTOP):
        context = browser.new_context(base_url=live_server.url, locale="en-US", **device)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        request.node.watched_pages.append((page, PageWatch(page)))
        return page

    yield open_new
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    return open_page(DESKTOP)


@pytest.fixture
def phone_page(open_page):
    return open_page(PHONE)


def sign_in(page, user, password: str = PASSWORD) -> Shell:
    """Sign in through the real form (as a user, or a user name) and land on Today."""
    LoginPage(page).open().sign_in(getattr(user, "username", user), password)
    shell = Shell(page)
    shell.expect_home()
    return shell


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # Hiding the caret leaves style="" on every input; an HTMX swap then copies it to the new
    # inputs, which the CSP refuses: the watch would blame the page for the screenshot.
    page.screenshot(path=str(path), full_page=full_page, caret="initial")
    return path


def pytest_configure(config):
    """Start each run without the failure screenshots of an earlier one (once, not per worker)."""
    if not hasattr(config, "workerinput"):
        for old in ARTIFACTS.glob("failed-*.png"):
            old.unlink()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A journey that passed still fails when one of its pages misbehaved on the way."""
    result = yield
    problems = [
        f"{page.url}: {problem}"
        for page, watch in getattr(item, "watched_pages", [])
        for problem in watch.problems
    ]
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        for number, (page, _watch) in enumerate(getattr(item, "watched_pages", []), start=1):
            if not page.is_closed():
                screenshot(page, f"failed-{item.name}-{number}")
    return report
