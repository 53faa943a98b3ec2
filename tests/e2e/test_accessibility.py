"""The accessibility audit of the browser tests (tests/e2e/accessibility.py) finds what it must.

The pages here are made up and served by a small web server of the test, with the portal's
Content-Security-Policy: the audit must run under it too.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
HEAD = '<!doctype html><html lang="lv"><head><meta charset="utf-8"><title>{title}</title></head>'
GOOD = HEAD + '<body><main><h1>{title}</h1><p><a href="{link}">Tālāk</a></p></main></body></html>'
BAD = (
    HEAD + "<body><main><h1>{title}</h1>"
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'  # image-alt: critical
    '<form method="post" action="/"><input name="q"><button></button></form>'  # label, button-name
    "</main></body></html>"
)


class Pages(BaseHTTPRequestHandler):
    """Serves `pages` ({path or "POST path": html}) with the portal's CSP."""

    pages = {}

    def do_GET(self):
        self.answer(self.pages.get(self.path))

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.answer(self.pages.get(f"POST {self.path}"))

    def answer(self, body):
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Security-Policy", CSP)
        self.end_headers()
        self.wfile.write((body or "").encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    """A web server of made-up pages; returns (origin, the pages {path: html} to fill in)."""
    pages = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Site", (Pages,), {"pages": pages}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", pages
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_audit_reports_serious_and_critical_violations_with_their_elements(
    browser, site, accessibility_audit
):
    origin, pages = site
    pages["/slikta/"] = BAD.format(title="Slikta lapa")
    context = browser.new_context(base_url=origin)
    page = context.new_page()
    page.goto("/slikta/")
    expect(page.locator("h1")).to_have_text("Slikta lapa")
    context.close()  # waits for the audit

    found = {(f.rule, f.impact, f.path) for f in accessibility_audit.findings}
    assert {
        ("image-alt", "critical", "/slikta/"),
        ("label", "critical", "/slikta/"),
        ("button-name", "critical", "/slikta/"),
    } <= found
    report = accessibility_audit.finish()
    assert "image-alt (critical) on /slikta/" in report
    assert '<img src="data:image/gif' in report  # the element, as the page has it
    assert not accessibility_audit.errors
    accessibility_audit.findings.clear()  # seen here: the end of the test must not fail on them


def test_a_page_left_at_once_is_audited_before_the_next_one_and_each_path_once(
    browser, site, accessibility_audit
):
    origin, pages = site
    # A long page, so that its audit still runs when the test leaves it.
    rows = "".join(f"<li><a href='/divi/?n={n}'>Rinda {n}</a></li>" for n in range(1000))
    pages["/viens/"] = GOOD.format(title="Viens", link="/divi/").replace(
        "</main>", f"<ul>{rows}</ul></main>"
    )
    pages["/divi/"] = BAD.format(title="Divi")
    context = browser.new_context(base_url=origin)
    page = context.new_page()
    page.goto("/viens/")
    page.goto("/divi/")  # at once: this navigation waits for the audit of /viens/
    (watch,) = accessibility_audit.watches
    assert "/viens/" in watch.audited
    page.goto("/viens/")  # the same path again: not audited again
    page.get_by_role("link", name="Tālāk").click()
    page.wait_for_url("**/divi/")
    context.close()

    assert accessibility_audit.pages == 2
    assert {f.path for f in accessibility_audit.findings} == {"/divi/"}
    assert len([f for f in accessibility_audit.findings if f.rule == "image-alt"]) == 1
    accessibility_audit.findings.clear()


def test_a_form_shown_again_after_a_post_is_audited_apart_from_its_get(
    browser, site, accessibility_audit
):
    origin, pages = site
    form = '<form method="post" action="/forma/"><label>Vārds <input name="q"></label>'
    pages["/forma/"] = GOOD.format(title="Forma", link="/").replace(
        "</main>", f"{form}<button>Sūtīt</button></form></main>"
    )
    # Shown again with its error, the field has lost its label.
    pages["POST /forma/"] = BAD.format(title="Forma")
    context = browser.new_context(base_url=origin)
    page = context.new_page()
    page.goto("/forma/")
    with page.expect_navigation():
        page.get_by_role("button", name="Sūtīt").click()
    context.close()

    assert accessibility_audit.pages == 2
    assert {f.path for f in accessibility_audit.findings} == {"/forma/ (POST)"}
    accessibility_audit.findings.clear()
