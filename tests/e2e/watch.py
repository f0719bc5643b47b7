"""What a page must never do in a journey: throw, log an error, break the CSP, miss an asset.

Each page opened by the ``open_page`` fixture gets a ``PageWatch``; the test fails when a watch
saw anything. A journey that expects a refused document (403, the lock-out page) asserts it itself:
only the page's scripts, styles, fonts and images, and any 5xx answer, count as broken here.
"""

import re

from playwright.sync_api import ConsoleMessage, Page, Response

# Chromium reports a CSP violation on the console too; the event gives the exact directive, and
# an init script is injected by the browser itself, so the page's own CSP does not block it.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  console.error(`CSP violation: ${event.violatedDirective} blocked ${blocked}`);
});
"""
ASSET_TYPES = {"script", "stylesheet", "image", "font"}
# The answer to a refused page or request: the journey asserts the page, the response says it.
FAILED_LOAD = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")
# Alpine's CSP build only warns about an expression it cannot run; for us that is a broken page.
ALPINE_WARNING = re.compile(r"^Alpine")


class PageWatch:
    def __init__(self, page: Page):
        self.problems: list[str] = []
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        text = message.text
        if message.type == "error" and not FAILED_LOAD.match(text):
            source = message.location.get("url")
            self.problems.append(f"console error: {text}" + (f" (in {source})" if source else ""))
        elif message.type == "warning" and ALPINE_WARNING.match(text):
            self.problems.append(f"console warning: {text}")

    def _response(self, response: Response) -> None:
        request = response.request
        broken_asset = response.status >= 400 and request.resource_type in ASSET_TYPES
        if response.status >= 500 or broken_asset:
            self.problems.append(f"{response.status} for {request.resource_type} {response.url}")
