"""Browser tests: Debian's Chromium driven by pytest-playwright against Django's live server."""

import os
import time

import pytest

from tests.e2e.accessibility import Auditor

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests themselves (demo data, assertions) are synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

DEMO_PASSWORD = "demo-parole"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # the secret tests.factories.give_totp stores


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def _serialized_db_contents(django_db_setup):
    """The database contents Django serialized after the migrations, for serialized_rollback."""
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


@pytest.fixture(scope="session", autouse=True)
def _serialized_rollback_under_playwright(_serialized_db_contents, playwright):
    """Make serialized_rollback work once Playwright runs.

    Playwright's sync API leaves its asyncio loop marked as running on the main thread. Django
    then keeps database connections in a context-local store instead of the thread-local one,
    so the tests get a new DatabaseWrapper without the `_test_serialized_contents` that
    setup_databases() attached to the first one, and the reference data of the migrations
    (regions, municipalities) would not come back after the flush of the previous test.
    """
    from django.db import connections

    for alias, contents in _serialized_db_contents.items():
        if not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def accessibility_audit(request, browser):
    """axe-core on every page the test visits: no serious or critical violation (issue 11).

    Wraps `browser.new_context` for the test, so every context it makes is watched (see
    tests/e2e/accessibility.py); at the end the test fails with the list of violations.
    """
    auditor = Auditor()
    new_context = browser.new_context

    def watched_new_context(*args, **kwargs):
        return auditor.watch(new_context(*args, **kwargs))

    browser.new_context = watched_new_context
    try:
        yield auditor
        report = auditor.finish()
    finally:
        del browser.new_context  # the class's method again
        request.node.user_properties.append(("axe", (auditor.pages, auditor.seconds)))
    if report:
        pytest.fail(report, pytrace=False)


def pytest_terminal_summary(terminalreporter):
    """How many pages axe audited, and how long the audits took."""
    audits = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "teardown"
        for name, value in getattr(report, "user_properties", ())
        if name == "axe"
    ]
    if audits:
        pages = sum(pages for pages, _ in audits)
        seconds = sum(seconds for _, seconds in audits)
        terminalreporter.write_line(f"axe-core: {pages} page(s) audited in {seconds:.1f} s")


@pytest.fixture
def demo(transactional_db):
    """The demo data of `manage.py demo` (the command refuses to run without DEBUG)."""
    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(DEBUG=True):
        call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def totp_code(secret=TOTP_SECRET):
    """The current TOTP code, as the staff member's authenticator app would show it."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def log_in(browser, live_server):
    """A fresh browser context logged in as `email`; returns its page.

    Extra keyword arguments go to browser.new_context (e.g. viewport, is_mobile, has_touch).
    """
    contexts = []

    def make(email, password=DEMO_PASSWORD, **context_options):
        context = browser.new_context(
            **{"base_url": live_server.url, "locale": "lv-LV", **context_options}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(password)
        page.locator("input[name=password]").press("Enter")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        if "/accounts/2fa/authenticate/" in page.url:
            page.locator("input[name=code]").fill(totp_code())
            page.locator("input[name=code]").press("Enter")
            page.wait_for_url(lambda url: "/accounts/2fa/" not in url)
        return page

    yield make
    for context in contexts:
        context.close()
