"""The harness itself: a page that misbehaves is noticed, so a journey cannot pass over it."""

import pytest

from .pages import LoginPage
from .watch import PageWatch

pytestmark = pytest.mark.e2e

ADD_INLINE_SCRIPT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injected = true";
  document.body.append(script);
}"""
ADD_MISSING_IMAGE = """() => {
  const image = document.createElement("img");
  image.src = "/static/missing-picture.png";
  document.body.append(image);
}"""


@pytest.fixture
def unwatched_page(browser, live_server):
    """A page the harness does not check after the test: the problems here are on purpose."""
    context = browser.new_context(base_url=live_server.url)
    yield context.new_page()
    context.close()


def test_the_harness_notices_errors_csp_violations_and_missing_assets(unwatched_page):
    # Given a watched page
    page = unwatched_page
    watch = PageWatch(page)
    LoginPage(page).open()
    assert watch.problems == []

    # When a script throws, an inline script is injected, and an image is missing
    with page.expect_event("pageerror"):
        page.evaluate("() => setTimeout(() => { throw new Error('broken widget'); })")
    with page.expect_console_message(lambda message: "CSP violation" in message.text):
        page.evaluate(ADD_INLINE_SCRIPT)
    with page.expect_response("**/missing-picture.png"):
        page.evaluate(ADD_MISSING_IMAGE)

    # Then the watch saw each of them, and the CSP kept the injected script from running
    problems = "\n".join(watch.problems)
    assert "broken widget" in problems
    assert "CSP violation: script-src" in problems
    assert "404 for image" in problems
    assert page.evaluate("() => window.injected") is None
