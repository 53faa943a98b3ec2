"""axe-core on every page the browser tests visit (issue 11): no serious or critical violation.

Each browser context made with `browser.new_context` during a test (the `log_in` helper,
pytest-playwright's `context` and `page` fixtures) is watched. Every page is audited right after
it has loaded, once per context (one user) and URL path; a page that answers a POST (a form
shown again with its errors) counts apart from the same path's GET.

- An init script, which the portal's Content-Security-Policy does not apply to, puts axe into
  each top-level document (parsed, not run). On the document's `load` event it asks the test
  (a binding) whether the page still needs an audit; if so it runs axe and reports the result
  through another binding.
- While a page's audit runs, the page's next document request is held (Chromium's Fetch
  domain), so that the test going on cannot cut the audit short: Chromium lets nothing be
  evaluated in a document whose navigation has begun, but the document's own scripts run on
  and can report. The closing of the context waits for running audits too.

All of axe's default rules run, none is disabled. The findings are the serious and critical
ones; moderate and minor findings are not collected.
"""

import time
import warnings
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError

AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
AUDIT_TIMEOUT_MS = 20_000
ANSWER_TIMEOUT_MS = 200
NODES_SHOWN = 6

# Runs at the start of every document, before the page's own scripts. The browser's own timers
# are kept for axe, so that a test that pauses the page's clock (page.clock) does not stall it.
# `window.__axeAudit` is the promise of the document's audit (or of its "not needed").
INIT_SCRIPT = """
(() => {
  if (window !== window.top || !/^https?:$/.test(location.protocol)) return;
  const timers = {setTimeout: window.setTimeout.bind(window), clearTimeout: window.clearTimeout.bind(window)};
  const impacts = ["serious", "critical"];
  function loadAxe(setTimeout, clearTimeout) {
%(axe)s
  }
  // Whether the test still needs an audit of this path. While a navigation of the page waits
  // for the audit, the browser holds the test's answer back: without one, the page audits.
  function wanted(url) {
    return new Promise((resolve) => {
      const timer = timers.setTimeout(() => resolve(true), %(answer)d);
      window.__axeWanted(url).then(
        (answer) => { timers.clearTimeout(timer); resolve(answer); },
        () => { timers.clearTimeout(timer); resolve(true); },
      );
    });
  }
  async function audit() {
    const url = location.href;
    if (document.contentType !== "text/html" || !(await wanted(url))) return;
    const started = performance.now();
    let report;
    try {
      if (!window.axe) loadAxe.call(window, timers.setTimeout, timers.clearTimeout);
      const timeout = new Promise((resolve, reject) => {
        timers.setTimeout(() => reject(new Error("axe did not finish in %(timeout)d ms")), %(timeout)d);
      });
      const results = await Promise.race([window.axe.run(document, {resultTypes: ["violations"]}), timeout]);
      report = {
        violations: results.violations.filter((rule) => impacts.includes(rule.impact)).map((rule) => ({
          id: rule.id,
          impact: rule.impact,
          help: rule.help,
          helpUrl: rule.helpUrl,
          nodes: rule.nodes.filter((node) => impacts.includes(node.impact)).map((node) => ({
            target: node.target.map(String).join(" "),
            html: node.html,
            summary: node.failureSummary || "",
          })),
        })),
      };
    } catch (error) {
      report = {error: String(error && error.stack || error)};
    }
    report.milliseconds = performance.now() - started;
    // Not awaited: the answer is held back while a navigation waits for this report.
    window.__axeReport(url, report).catch(() => {});
  }
  window.addEventListener("load", () => { window.__axeAudit = audit(); }, {once: true});
})();
"""


@dataclass
class Finding:
    rule: str
    impact: str
    help: str
    help_url: str
    path: str
    targets: list = field(default_factory=list)

    def __str__(self):
        lines = [f"- {self.rule} ({self.impact}) on {self.path}: {self.help}"]
        for target, html, summary in self.targets[:NODES_SHOWN]:
            html, reason = " ".join(html.split()), " ".join(summary.split())
            lines.append(f"    {target}  {html[:160]}\n      {reason[:300]}")
        if len(self.targets) > NODES_SHOWN:
            lines.append(f"    … and {len(self.targets) - NODES_SHOWN} more elements")
        lines.append(f"    {self.help_url}")
        return "\n".join(lines)


def url_path(url):
    parts = urlsplit(url)
    return parts.path if parts.scheme in ("http", "https") else None


class Watch:
    """The audits of one browser context."""

    def __init__(self, auditor, context):
        self.auditor = auditor
        self.context = context
        self.audited = set()  # the pages' names (see `name`)
        self.running = {}  # page -> the name of its document being audited
        self.held = {}  # page -> releases of the navigation requests that wait for its audit
        self.methods = {}  # page -> the method of the request of its latest document
        self.lost = {}  # name -> why its audit did not finish
        self.routed = False

        context.add_init_script(auditor.init_script)
        context.expose_binding("__axeWanted", self.wanted)
        context.expose_binding("__axeReport", self.report)
        context.on("request", self.requested)
        context.on("page", self.watch_page)
        close = context.close

        def close_after_the_audits(*args, **kwargs):
            self.wait()
            return close(*args, **kwargs)

        context.close = close_after_the_audits

    # The bindings, called by the pages' init script.

    def name(self, page, url):
        """The URL path; a page that answers a POST (a form with errors) is another page."""
        path = url_path(url)
        method = self.methods.get(page, "GET")
        return path if path is None or method == "GET" else f"{path} ({method})"

    def wanted(self, source, url):
        page = source["page"]
        name = self.name(page, url)
        if name is None or name in self.audited or name in self.running.values():
            return False
        self.running[page] = name
        return True

    def report(self, source, url, report):
        page = source["page"]
        name = self.running.pop(page, None) or url_path(url)
        if name not in self.audited:  # not when the page audited without the test's answer
            self.audited.add(name)
            self.lost.pop(name, None)
            self.auditor.record(name, report)
        self.release(page)

    # The navigations.

    def watch_page(self, page):
        """Hold the page's document requests through its own DevTools session (Chromium).

        Only documents are intercepted, so the HTTP cache stays on for the rest; Playwright's
        routes would turn it off for the context and make every page load slower.
        """
        page.on("domcontentloaded", self.loaded)
        try:
            session = self.context.new_cdp_session(page)
            main_frame = session.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
            session.on(
                "Fetch.requestPaused", lambda event: self.paused(page, main_frame, session, event)
            )
            session.send(
                "Fetch.enable", {"patterns": [{"urlPattern": "*", "resourceType": "Document"}]}
            )
        except PlaywrightError:
            if page.is_closed():
                return
            if not self.routed:  # not Chromium: a route for every request, slower
                self.routed = True
                self.context.route("**/*", self.route)

    def paused(self, page, main_frame, session, event):
        def release():
            session.send("Fetch.continueRequest", {"requestId": event["requestId"]})

        if event["frameId"] == main_frame and page in self.running:
            self.held.setdefault(page, []).append(release)
        else:
            release()

    def route(self, route, request):
        try:
            frame = request.frame if request.is_navigation_request() else None
        except PlaywrightError:
            frame = None  # a popup's first request comes before its frame: nothing to audit
        if frame is not None and frame.parent_frame is None and frame.page in self.running:
            self.held.setdefault(frame.page, []).append(route.fallback)
        else:
            route.fallback()

    def release(self, page):
        """Let the navigations held for the page's audit go on."""
        for release in self.held.pop(page, []):
            with suppress(PlaywrightError):  # the page or its context is closed
                release()

    def requested(self, request):
        try:
            frame = request.frame if request.is_navigation_request() else None
        except PlaywrightError:
            frame = None
        if frame is not None and frame.parent_frame is None:
            self.methods[frame.page] = request.method  # the last one, after any redirects

    def loaded(self, page):
        """A new document: the audit of the one before it can no longer report."""
        if page in self.running:  # it was left without a request that could be held
            self.lost.setdefault(self.running.pop(page), f"left for {page.url} while audited")
            self.release(page)

    def wait(self):
        """Let the running audits finish (before the context closes, or at the end of a test)."""
        for page in list(self.running):
            try:
                page.evaluate("() => window.__axeAudit")
                reason = "no report"
            except PlaywrightError as error:
                reason = str(error).strip().splitlines()[0]
            if page in self.running:
                self.lost.setdefault(self.running.pop(page), reason)
                self.release(page)


class Auditor:
    """The audits of one test: watch its contexts, collect the findings, report them."""

    def __init__(self):
        source = AXE_PATH.read_text(encoding="utf-8")
        self.version = source.split("\n", 1)[0].removeprefix("/*! ").strip()  # "axe v4.14.1"
        self.init_script = INIT_SCRIPT % {
            "axe": source,
            "timeout": AUDIT_TIMEOUT_MS,
            "answer": ANSWER_TIMEOUT_MS,
        }
        self.watches = []
        self.findings = []
        self.errors = []
        self.pages = 0
        self.seconds = 0.0  # spent by axe in the pages

    def watch(self, context):
        self.watches.append(Watch(self, context))
        return context

    def record(self, path, report):
        self.pages += 1
        self.seconds += report.get("milliseconds", 0) / 1000
        if "error" in report:
            self.errors.append(f"- {self.version} could not audit {path}: {report['error']}")
            return
        for rule in report["violations"]:
            self.findings.append(
                Finding(
                    rule=rule["id"],
                    impact=rule["impact"],
                    help=rule["help"],
                    help_url=rule["helpUrl"],
                    path=path,
                    targets=[(n["target"], n["html"], n["summary"]) for n in rule["nodes"]],
                )
            )

    def finish(self):
        """After the test: the report of the findings, or "" if there are none."""
        started = time.perf_counter()
        for watch in self.watches:
            watch.wait()  # contexts the test left open
        self.seconds += time.perf_counter() - started
        for watch in self.watches:
            for path, reason in sorted(watch.lost.items()):
                if path not in watch.audited:
                    warnings.warn(f"{self.version}: {path} was not audited: {reason}", stacklevel=1)
        if not (self.findings or self.errors):
            return ""
        pages = len({finding.path for finding in self.findings})
        header = (
            f"{self.version}: {len(self.findings)} serious or critical accessibility "
            f"violation(s) on {pages} page(s)"
        )
        return "\n".join([header, *map(str, self.findings), *self.errors])
