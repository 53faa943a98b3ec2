"""The page benchmark behind `manage.py bench` (`make bench`): what each role's main pages cost
on the national-scale databases that `seed_scale` makes, and how that cost grows from 100k to
1M diary entries.

The pages are one table, PAGES, below: the role, a name, and the path with the ids it needs
written as `{name}`, which `resolve_ids` looks up in each database at run time (the ids differ
from one database to the other). To measure another page, add a row; if it needs another id,
add that to `resolve_ids`.

Each page is asked for in this process with Django's test client, logged in as the role's
account of `skola_kopiena.scale.accounts`, DEBUG off and the staff MFA check on, as in
production, with a browser's headers (the portal gzips its own pages). What is timed is the
server's time: the whole request through every middleware, the response included. The test
client keeps one database connection for all requests, as production's persistent connections
(CONN_MAX_AGE) do, so opening one is not in it; the gunicorn load test includes that.

The two databases take turns page by page, in ROUNDS rounds: other work on the machine then
weighs alike on both sides of the 1M/100k ratio.
"""

import gzip
import http.client
import math
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from diary.models import DiaryMonth, month_start, next_month_start
from iap.models import Plan
from payroll.selectors import previous_month
from skola_kopiena.accounts.middleware import ACTIVE_ROLE_SESSION_KEY
from skola_kopiena.accounts.models import Role, RoleMembership, User
from skola_kopiena.scale import accounts

# --- Who acts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    key: str  # in the page table and in --account KEY=EMAIL
    label: str  # in the printed table
    email: str
    role: str  # the role acted as, chosen in the session if the account holds several


ACTORS = {
    actor.key: actor
    for actor in [
        Actor("mentor", "mentor", accounts.MENTOR, Role.MENTOR),
        Actor("preparer", "preparer", accounts.PREPARER, Role.PREPARER),
        Actor("approver", "approver", accounts.APPROVER, Role.APPROVER),
        Actor("regional", "regional staff", accounts.REGIONAL_STAFF, Role.STAFF),
        Actor("national", "national staff", accounts.NATIONAL_STAFF, Role.STAFF),
        Actor("admin", "administrator", accounts.ADMINISTRATOR, Role.ADMIN),
    ]
}

# --- The pages -----------------------------------------------------------------------------

PORTAL, ADMIN, PDF, REPORT = "portal", "admin", "pdf", "report"
# Stands for every admin list the role may view: one row per model the admin registers.
EVERY_LIST = "*"


@dataclass(frozen=True)
class Page:
    actor: str  # a key of ACTORS
    name: str
    path: str  # {id}s from resolve_ids(); a month takes a format: {pay_month:%Y-%m}
    kind: str = PORTAL  # admin pages have a wider p95 target; the PDF its own
    status: int = 200  # what the page answers (the payroll index redirects to the month)
    next_page: bool = False  # also measure ?page=2, when page 1 links to it


def admin_list(actor, label):
    """The admin list of a model, "app_label.model_name" (or EVERY_LIST)."""
    path = EVERY_LIST if label == EVERY_LIST else "/admin/{}/{}/".format(*label.split("."))
    return Page(actor, f"admin {label}", path, ADMIN)


# fmt: off
PAGES = [
    # role       page                    path: {ids} from resolve_ids(), then kind and options
    Page("mentor",   "dashboard",          "/"),
    Page("mentor",   "diary month",        "/dienasgramata/{own_plan}/{own_month:%Y-%m}/"),
    Page("mentor",   "timesheet PDF",      "/dienasgramata/{own_plan}/grafiks.pdf", PDF),
    Page("mentor",   "my pay",             "/samaksa/"),
    Page("mentor",   "my evaluations",     "/izvertesanas/"),
    Page("mentor",   "supervision",        "/supervizijas/"),
    Page("mentor",   "my registry entry",  "/mentori/mans-ieraksts/"),
    Page("mentor",   "invitations",        "/uzaicinajumi/"),  # and plans: /iap/ sends here

    Page("preparer", "dashboard",          "/"),
    Page("preparer", "learners",           "/izglitojamie/"),
    Page("preparer", "plans",              "/iap/"),
    Page("preparer", "plan",               "/iap/{school_plan}/"),
    Page("preparer", "mentor registry",    "/mentori/"),  # to find a mentor to invite

    Page("approver", "dashboard",          "/"),
    Page("approver", "hours queue",        "/stundas/", next_page=True),
    Page("approver", "plans",              "/iap/"),
    Page("approver", "plan in the queue",  "/iap/{queue_plan}/"),
    Page("approver", "month in the queue", "/dienasgramata/{queue_plan}/{queue_month:%Y-%m}/"),
    Page("approver", "learners",           "/izglitojamie/"),
    Page("approver", "employer's payroll", "/darba-samaksa/iestade/{employer}/{pay_month:%Y-%m}/"),

    Page("regional", "dashboard",          "/"),
    Page("regional", "plans",              "/iap/"),
    Page("regional", "learners",           "/izglitojamie/"),
    Page("regional", "mentor registry",    "/mentori/"),
    Page("regional", "change requests",    "/mentori/izmainu-pieprasijumi/"),
    Page("regional", "supervision",        "/supervizijas/"),
    Page("regional", "payroll index",      "/darba-samaksa/", status=302),  # to the month
    Page("regional", "payroll month",      "/darba-samaksa/{pay_month:%Y-%m}/"),
    Page("regional", "overview",           "/parskats/", REPORT),
    Page("regional", "checking the hours", "/parbaude/"),
    Page("regional", "a sample to check",  "/parbaude/?paraugs=20&sekla=7"),
    Page("regional", "admin index",        "/admin/", ADMIN),
    # The admin lists a coordinator works in.
    admin_list("regional", "diary.diarymonth"),
    admin_list("regional", "iap.plan"),
    admin_list("regional", "mentors.mentor"),
    admin_list("regional", "mentors.contract"),
    admin_list("regional", "iap.learner"),
    admin_list("regional", "accounts.accesslog"),
    admin_list("regional", "notifications.sentemail"),
    admin_list("regional", "schools.institution"),

    Page("national", "dashboard",          "/"),
    Page("national", "plans",              "/iap/"),
    Page("national", "learners",           "/izglitojamie/"),
    Page("national", "mentor registry",    "/mentori/"),
    Page("national", "change requests",    "/mentori/izmainu-pieprasijumi/"),
    Page("national", "supervision",        "/supervizijas/"),
    Page("national", "payroll index",      "/darba-samaksa/", status=302),
    Page("national", "payroll month",      "/darba-samaksa/{pay_month:%Y-%m}/"),
    Page("national", "overview",           "/parskats/", REPORT),
    Page("national", "an answer's plans",
         "/parskats/izvertesanas/?jautajums=risks_reduced&atbilde=yes"),
    Page("national", "admin index",        "/admin/", ADMIN),
    admin_list("national", EVERY_LIST),

    Page("admin",    "admin index",        "/admin/", ADMIN),
    admin_list("admin", "accounts.user"),
    admin_list("admin", "accounts.accesslog"),
]
# fmt: on

# --- Targets -------------------------------------------------------------------------------

MAX_RATIO = 1.2  # median at 1M / median at 100k: a page's cost must not grow with the country
# Seconds; the PDF: MAX_PDF_OVERHEAD; the overview, whose figures each group a region's
# semester, its own (300 ms, in the issue that brought it).
MAX_P95 = {PORTAL: 0.100, ADMIN: 0.200, PDF: None, REPORT: 0.300}
MAX_QUERIES = 15
MAX_PDF_OVERHEAD = 1.3  # the PDF view's median / a bare WeasyPrint render of the same HTML
# Requests per second under gunicorn, of two pages of the table.
LOAD_TARGETS = {("mentor", "diary month"): 60, ("approver", "hours queue"): 40}
LOAD_MAX_P95 = 0.300

WARMUP = 3  # requests before the timed ones: templates compiled, catalogues loaded
# The timed requests of a page are made in rounds, the two databases taking turns, each turn
# after one untimed request (the connection to the other database is new): whatever else the
# machine does then weighs alike on both sides of the 1M/100k ratio.
ROUNDS = 4


def expand(pages, acting_users):
    """PAGES with the EVERY_LIST row of each role made into one row per admin list that
    role may view (what else the admin registers is reported as not for it)."""
    from skola_kopiena.accounts import permissions

    expanded, not_viewable = [], []
    for page in pages:
        if page.path != EVERY_LIST:
            expanded.append(page)
            continue
        user = acting_users.get(page.actor)
        acting = permissions.acting_for(user) if user else None
        for model in sorted(admin.site._registry, key=lambda m: m._meta.label_lower):
            label = model._meta.label_lower
            if acting is None or permissions.admin_may(acting, "view", model):
                expanded.append(admin_list(page.actor, label))
            else:
                not_viewable.append(label)
    return expanded, not_viewable


# --- The ids the pages are about ------------------------------------------------------------


def resolve_ids(users, actors):
    """The objects the pages are about, in the database measured now. A missing one (no month
    in the queue) skips the pages that need it, with the reason."""
    today = timezone.localdate()
    # The payroll opens on the previous month (PAY-1).
    ids = {"pay_month": previous_month()}
    if mentor := users.get("mentor"):
        found = _mentor_plan_and_month(mentor, today)
        if found:
            ids["own_plan"], ids["own_month"] = found
    if preparer := users.get("preparer"):
        institution = _institution_of(preparer, actors["preparer"].role)
        plans = Plan.objects.filter(learner__institution_id=institution).order_by(
            "-start_date", "-pk"
        )
        plan = plans.filter(status=Plan.Status.APPROVED).first() or plans.first()
        if plan:
            ids["school_plan"] = plan.pk
    if approver := users.get("approver"):
        institution = _institution_of(approver, actors["approver"].role)
        ids["employer"] = institution
        # The queue's first month, as the approver would open it.
        queued = (
            DiaryMonth.objects.filter(
                status=DiaryMonth.Status.CONFIRMED, plan__contract__employer_id=institution
            )
            .order_by("month", "confirmed_at", "pk")
            .first()
        )
        if queued:
            ids["queue_plan"], ids["queue_month"] = queued.plan_id, queued.month
    return ids


def _mentor_plan_and_month(user, today):
    """The mentor's plan of today with the most meetings this month, and this month; else
    their latest plan and the month of its last meeting."""
    this_month = month_start(today)
    plans = Plan.objects.filter(
        mentor__user=user, status__in=[Plan.Status.APPROVED, Plan.Status.TERMINATED]
    )
    current = (
        plans.filter(start_date__lte=today)
        .filter(Q(end_date__gte=today) | Q(extended_until__gte=today))
        .annotate(
            meetings=Count(
                "diary_entries",
                filter=Q(
                    diary_entries__date__gte=this_month,
                    diary_entries__date__lt=next_month_start(this_month),
                ),
            )
        )
        .order_by("-meetings", "pk")
        .first()
    )
    if current:
        return current.pk, this_month
    latest = plans.order_by("-start_date", "-pk").first()
    if latest is None:
        return None
    last = latest.diary_entries.order_by("-date").values_list("date", flat=True).first()
    return latest.pk, month_start(last or latest.start_date)


def _institution_of(user, role):
    return (
        RoleMembership.objects.filter(user=user, role=role, is_active=True)
        .order_by("pk")
        .values_list("institution_id", flat=True)
        .first()
    )


def find_users(actors):
    """The accounts of the roles in the database measured now, and what is wrong with those
    that cannot act (missing, or without the role)."""
    users, problems = {}, {}
    for key, actor in actors.items():
        user = User.objects.filter(email__iexact=actor.email, is_active=True).first()
        if user is None:
            problems[key] = f"no active account {actor.email}"
        elif not RoleMembership.objects.filter(user=user, role=actor.role, is_active=True).exists():
            problems[key] = f"{actor.email} has no active {actor.role} role"
        else:
            users[key] = user
    return users, problems


# --- Measuring one page --------------------------------------------------------------------


def browser_client(user, role):
    """A test client logged in as `user`, acting as `role` (chosen in the session as the role
    switch does, if the account holds several roles), sending what a browser sends on a link
    inside the portal: the portal then gzips its pages (skola_kopiena/compression.py)."""
    client = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br", HTTP_SEC_FETCH_SITE="same-origin")
    client.force_login(user)
    memberships = RoleMembership.objects.filter(user=user, is_active=True)
    if memberships.count() > 1:
        chosen = memberships.filter(role=role).order_by("pk").first()
        session = client.session
        session[ACTIVE_ROLE_SESSION_KEY] = chosen.pk
        session.save()
    return client


def in_process_settings():
    """Production's behaviour whatever settings module runs the command: DEBUG off (no query
    log, the same templates' error handling), staff must have a second factor (one more query
    per request), and the test client's host allowed."""
    return override_settings(
        DEBUG=False,
        REQUIRE_STAFF_MFA=True,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
    )


class QueryRecorder:
    """An execute wrapper: the number of queries of the current request, and the slowest
    SELECT of all the page's requests with its parameters, for EXPLAIN."""

    def __init__(self):
        self.count = 0
        self.slowest = None  # (seconds, sql, params)

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - start
            self.count += 1
            reads = sql.lstrip().upper().startswith(("SELECT", "WITH"))
            if reads and not many and (self.slowest is None or elapsed > self.slowest[0]):
                self.slowest = (elapsed, sql, params)


@dataclass
class Result:
    page: Page
    database: str
    path: str = ""
    seconds: list = field(default_factory=list)
    queries: int = 0  # the most of any timed request
    error: str = ""
    skipped: str = ""
    slowest: tuple | None = None
    raw_seconds: list = field(default_factory=list)  # the bare WeasyPrint render (PDF)
    render: object = field(default=None, repr=False)  # that render, captured from the view
    explain: list = field(default_factory=list)
    last_response: object = field(default=None, repr=False)

    @property
    def ok(self):
        return bool(self.seconds) and not self.error and not self.skipped

    @property
    def median(self):
        return statistics.median(self.seconds)

    @property
    def p95(self):
        return percentile(self.seconds, 95)

    @property
    def raw_median(self):
        return statistics.median(self.raw_seconds) if self.raw_seconds else None


def percentile(values, pct):
    """Nearest rank: of 20 requests, p95 is the 19th fastest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def rounds(requests, count=ROUNDS):
    """The timed requests of a page shared out over `count` rounds: 20 → 5, 5, 5, 5."""
    return [n for n in (requests // count + (i < requests % count) for i in range(count)) if n]


def measure(client, result, *, requests, warmup):
    """Ask for the result's page `warmup` times, then `requests` times timed with
    time.perf_counter, adding to `result`; count the queries of each. An exception or an
    unexpected status makes it an error row."""
    recorder = QueryRecorder()
    with connection.execute_wrapper(recorder):
        for n in range(warmup + requests):
            recorder.count = 0
            if n == warmup:
                recorder.slowest = None  # the slowest of the timed requests, as the table's
            start = time.perf_counter()
            try:
                response = client.get(result.path)
            except Exception as error:
                result.error = f"{type(error).__name__}: {error}"[:200]
                return
            elapsed = time.perf_counter() - start
            if response.status_code != result.page.status:
                where = response.get("Location", "")
                result.error = f"status {response.status_code}" + (f" → {where}" if where else "")
                return
            if n >= warmup:
                result.seconds.append(elapsed)
                result.queries = max(result.queries, recorder.count)
    if recorder.slowest and (result.slowest is None or recorder.slowest[0] > result.slowest[0]):
        result.slowest = recorder.slowest
    result.last_response = response


def links_next_page(response):
    """Whether a list page links its page 2 (the body may be gzipped)."""
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return b"page=2" in body


def capture_pdf_render(client, path):
    """A function that does what the timesheet view's WeasyPrint call does, alone: the view is
    asked once with weasyprint.HTML recording its arguments, so that the raw render is of
    exactly the HTML the view renders (its template, context and base URL), whatever the view
    does to build it. None if the view made no such call."""
    import weasyprint

    import timesheets.views

    real = weasyprint.HTML
    calls = []

    class RecordingHTML(real):
        def __init__(self, *args, **kwargs):
            calls.append({"init": (args, kwargs), "write": ((), {})})
            super().__init__(*args, **kwargs)

        def write_pdf(self, *args, **kwargs):
            calls[-1]["write"] = (args, kwargs)
            return super().write_pdf(*args, **kwargs)

    # The view imports HTML when it runs; patch its module too in case it imports it at the top.
    patched = [(weasyprint, "HTML")]
    if hasattr(timesheets.views, "HTML"):
        patched.append((timesheets.views, "HTML"))
    for module, name in patched:
        setattr(module, name, RecordingHTML)
    try:
        client.get(path)
    finally:
        for module, name in patched:
            setattr(module, name, real)
    if not calls:
        return None
    (init_args, init_kwargs), (write_args, write_kwargs) = calls[-1]["init"], calls[-1]["write"]
    return lambda: real(*init_args, **init_kwargs).write_pdf(*write_args, **write_kwargs)


def measure_render(render, result, *, requests, warmup):
    """Time `requests` raw renders (after `warmup` untimed), adding to `result.raw_seconds`."""
    for n in range(warmup + requests):
        start = time.perf_counter()
        render()
        if n >= warmup:
            result.raw_seconds.append(time.perf_counter() - start)


def explain(slowest):
    """EXPLAIN (ANALYZE, BUFFERS) of a query, in a transaction rolled back: ANALYZE runs it."""
    _seconds, sql, params = slowest
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        lines = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    return lines


def plan_summary(lines):
    """The lines of a plan that say where the time goes: scans of whole tables, sorts and
    their method, and the totals."""
    keys = ("Seq Scan", "Sort Method", "Sort Key", "Planning Time", "Execution Time")
    return [line.strip() for line in lines if any(key in line for key in keys)]


# --- Load under gunicorn -------------------------------------------------------------------

LOAD_CACHE_URL = "redis://127.0.0.1:6379/9"


def database_url(settings_dict, name):
    """A postgres:// URL of database `name` on the server of `settings_dict` (with its
    password, for a child process's environment only)."""
    from urllib.parse import quote

    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}@" if password else f"{user}@" if user else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{name}"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database, secret_key):
    """The environment production settings need (skola_kopiena/settings/base.py and
    production.py), set explicitly: this process's own environment holds the development
    defaults (DEBUG, REQUIRE_STAFF_MFA=false) that skola_kopiena.settings.dev put there."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "skola_kopiena.settings.production",
        "SECRET_KEY": secret_key,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # no TLS proxy in front here
        "DATABASE_URL": database_url(connection.settings_dict, database),
        "CACHE_URL": LOAD_CACHE_URL,
        "REQUIRE_STAFF_MFA": "true",
        "TRUSTED_PROXY_COUNT": "0",
    }


class Gunicorn:
    """`gunicorn skola_kopiena.wsgi -w 2` on a free port of 127.0.0.1, as a child process;
    `stop()` ends it (SIGTERM, then SIGKILL after 10 s)."""

    def __init__(self, env, workers=2):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log")  # noqa: SIM115
        self.process = None

    def collectstatic(self):
        """Production's static storage looks every {% static %} up in the manifest that
        collectstatic writes (into STATIC_ROOT, which git ignores); without it pages fail."""
        subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=self.env,
            check=True,
        )

    def start(self, timeout=60):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv
            [
                str(gunicorn),
                "skola_kopiena.wsgi",
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}:\n{self.tail()}"
                )
            try:
                status, _body = get(self.port, "/accounts/login/", {})
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                return
            raise RuntimeError(f"gunicorn answers the login page with {status}:\n{self.tail()}")
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.tail()}")

    def tail(self, lines=30):
        self.log.flush()
        text = Path(self.log.name).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def browser_headers(session_key=None):
    headers = {"Accept-Encoding": "gzip", "Sec-Fetch-Site": "same-origin", "Accept": "text/html"}
    if session_key:
        # Production's session cookie is Secure (sent only over https): sent by hand over http.
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={session_key}"
    return headers


def get(port, path, headers, conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, body
    finally:
        if own:
            conn.close()


def make_sessions(user, role, count, secret_key):
    """`count` logged-in sessions of `user` in the session store, made as force_login makes
    them, signed with gunicorn's SECRET_KEY (the session data and the user's session hash both
    use it). One session per simulated user: each request saves its session
    (SESSION_SAVE_EVERY_REQUEST), and ten users do not share one row."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    memberships = RoleMembership.objects.filter(user=user, is_active=True)
    chosen = (
        memberships.filter(role=role).order_by("pk").first() if memberships.count() > 1 else None
    )
    keys = []
    with override_settings(SECRET_KEY=secret_key):
        for _ in range(count):
            session = store()
            session[SESSION_KEY] = user._meta.pk.value_to_string(user)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            if chosen:
                session[ACTIVE_ROLE_SESSION_KEY] = chosen.pk
            session.save()
            keys.append(session.session_key)
    return keys


def delete_sessions(keys):
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()


@dataclass
class LoadResult:
    label: str
    path: str
    target: float
    seconds: float = 0.0
    latencies: list = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    @property
    def rate(self):
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def drive(port, path, session_keys, seconds, result=None):
    """One thread per session, each with its own keep-alive connection (gunicorn's sync
    workers close it after each response; http.client then opens another), asking for `path`
    as fast as answers come, for `seconds`."""
    result = result or LoadResult("", path, 0)
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def user(session_key):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = browser_headers(session_key)
        try:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    status, _body = get(port, path, headers, conn)
                except (OSError, http.client.HTTPException) as error:
                    conn.close()
                    status, failure = None, f"{type(error).__name__}: {error}"
                else:
                    failure = None if status == 200 else f"status {status}"
                elapsed = time.perf_counter() - start
                with lock:
                    if failure:
                        result.errors += 1
                        result.first_error = result.first_error or failure
                    else:
                        result.latencies.append(elapsed)
        finally:
            conn.close()

    threads = [threading.Thread(target=user, args=(key,)) for key in session_keys]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


# --- The machine ---------------------------------------------------------------------------


def machine():
    """CPU, cores, PostgreSQL, Python and Django, and the code measured."""
    import django

    cpu, memory = platform.processor() or platform.machine(), ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 2**20:.0f} GB of RAM"
                break
    except OSError:
        pass  # not Linux: the CPU as platform names it
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres_version = cursor.fetchone()[0]
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "date": timezone.localtime().strftime("%d.%m.%Y %H:%M %Z"),
        "CPU": f"{cpu}, {os.cpu_count()} cores{memory}",
        "PostgreSQL": postgres_version,
        "Python": f"{platform.python_version()}, Django {django.get_version()}",
        "code": commit,
        # Other work on the machine inflates every time: say how busy it was.
        "load": "{:.2f} {:.2f} {:.2f} (1, 5, 15 min) at the start".format(*os.getloadavg()),
    }


def database_figures():
    """The size of the database measured now: its diary entries, plans, mentors, and bytes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM diary_diaryentry), (SELECT count(*) FROM iap_plan), "
            "(SELECT count(*) FROM mentors_mentor), pg_database_size(current_database())"
        )
        entries, plans, mentors, size = cursor.fetchone()
    return (
        f"{entries:,} diary entries, {plans:,} plans, {mentors:,} mentors, {size / 2**30:.1f} GiB"
    )
