"""Every URL of the portal, as every role: who gets 200, 302 (to login), 403, 404 or 405.

ACC: deny by default; another region's or school's object answers 404, not 403. A new view
is not done until its row is here; `test_every_url_is_in_the_matrix` fails otherwise.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from diary import services as diary_services
from iap import services
from mentors import services as mentor_services
from payroll import services as payroll_services
from payroll.exports import export_build
from payroll.models import Rate
from tests.factories import (
    advance_plan,
    confirm_month,
    make_contract,
    make_learner,
    make_plan,
    municipality,
    pdf_upload,
    semester,
)

ROLES = [
    "anonymous",
    "outsider",
    "mentor",
    "preparer",
    "approver",
    "youth_approver",
    "staff",
    "other_staff",
    "auditor",
    "sample_auditor",
    "admin",
]


def expect(default, **overrides):
    return {role: overrides.get(role, default) for role in ROLES} | {
        "anonymous": overrides.get("anonymous", 302)
    }


STAFF_ONLY = expect(403, staff=200, other_staff=200, admin=200)
# What project staff read, the auditor of a region reads too (the roles table); the auditor
# of granted plans only reads those plans, and nothing of a region.
OVERSEERS = STAFF_ONLY | {"auditor": 200}
# A draft plan: the learner's school writes; Rīga's staff, auditor, admins and its mentor
# read; the approver sees plans from their submission on, so a draft is 404 to them like to
# outsiders, and to the auditor whom it was not granted.
PLAN_WRITE = expect(404, preparer=200, staff=403, auditor=403, admin=403, mentor=403)
PLAN_READ = expect(404, preparer=200, staff=200, auditor=200, admin=200, mentor=200)
LEARNER_WRITE = expect(404, preparer=200, approver=403, staff=403, auditor=403, admin=403)
# The active plan, granted to the sample auditor for an on-the-spot check.
DIARY_READ = expect(
    404,
    mentor=200,
    preparer=200,
    approver=200,
    staff=200,
    auditor=200,
    sample_auditor=200,
    admin=200,
)
DIARY_READ_REDIRECT = {role: 302 if code == 200 else code for role, code in DIARY_READ.items()}
DIARY_WRITE = expect(
    404,
    mentor=200,
    preparer=403,
    approver=403,
    staff=403,
    auditor=403,
    sample_auditor=403,
    admin=403,
)
SEARCHERS = expect(
    403,
    preparer=200,
    approver=200,
    youth_approver=200,
    staff=200,
    other_staff=200,
    auditor=200,
    admin=200,
)
MENTOR_ONLY = expect(403, mentor=200)
ANY_ROLE = expect(200)
POST_ONLY = expect(405)


@pytest.fixture
def objects(cast):
    change_request = mentor_services.change_request_submit(
        actor=cast.mentor_user,
        mentor=cast.mentor,
        phone="+371 2999 9999",
        municipalities=[municipality("Rīga")],
    )
    csv_file = SimpleUploadedFile(
        "mentori.csv",
        "vārds,uzvārds,e-pasts,tālrunis,apliecības numurs,reģions,pašvaldības\n"
        "Jana,Kļava,jana@example.lv,+371 2111 1111,SK-9001,riga,Rīga\n".encode(),
    )
    from skola_kopiena.accounts.permissions import acting_for

    registry_import = mentor_services.registry_import_preview(
        actor=cast.staff, acting=acting_for(cast.staff), upload=csv_file
    )
    plan = make_plan(cast.preparer, make_learner(cast.preparer, cast.school))
    advance_plan(plan, preparer=cast.preparer, mentor=cast.mentor, to="ready")
    plan.refresh_from_db()
    active = advance_plan(
        make_plan(cast.preparer, make_learner(cast.preparer, cast.school, first_name="Aktīvais")),
        preparer=cast.preparer,
        mentor=cast.mentor,
        to="approved",
        approver=cast.approver,
        contract=plan.contract,
    )
    entry = diary_services.entry_create(
        actor=cast.mentor_user,
        plan=active,
        date=datetime.date(2026, 11, 25),
        start_time=datetime.time(8, 0),
        end_time=datetime.time(9, 20),
        place="Parks",
        topic="Pastaiga",
        result="Labi",
    )
    diary_services.month_upload_scan(
        actor=cast.mentor_user, plan=active, month=datetime.date(2026, 11, 1), file=pdf_upload()
    )
    month = confirm_month(active, datetime.date(2026, 11, 1))
    october = datetime.date(2026, 10, 1)
    rate = Rate.objects.create(valid_from=october, amount=Decimal("14.20"), legal_basis="Metodika")
    (closing,) = payroll_services.payroll_close(
        actor=cast.approver, employers=[cast.school], month=october
    )
    export = payroll_services.payroll_export_request(
        actor=cast.approver,
        acting=acting_for(cast.approver),
        month=october,
        file_format="xlsx",
        employer=cast.school,
    )
    export_build(export_id=export.pk)
    # SUP-1: Rīga's session for mentors of general education, the mentor signed up.
    from supervision import services as supervision_services

    session = supervision_services.session_create(
        actor=cast.staff,
        acting=acting_for(cast.staff),
        date=datetime.date(2026, 12, 2),
        start_time=datetime.time(14, 0),
        place="Rīgas Centrālā bibliotēka",
        region=cast.riga,
        target_group="general",
        capacity=12,
        supervisor="Inga Supervizore",
    )
    signup = supervision_services.signup_create(
        actor=cast.mentor_user, mentor=cast.mentor, session=session
    )
    grant = services.audit_grant_give(
        actor=cast.staff,
        plan=active,
        auditor=cast.sample_auditor,
        until=datetime.date(2026, 12, 31),
    )
    return {
        "grant": grant,
        "session": session,
        "signup": signup,
        "rate": rate,
        "run": closing.run,
        "export": export,
        "active": active,
        "entry": entry,
        "month": month,
        "change_request": change_request,
        "import": registry_import,
        "plan": plan,
        "invitation": plan.invitations.get(),
        "measure": services.measure_add(
            actor=cast.preparer, plan=plan, kind="reading_lessons", provider="Bibliotekāre"
        ),
        # APR-1: the school's learner, the youth centre's contract.
        "report": _report(cast),
        "access_log": _access_log_export(cast),
        "youth": advance_plan(
            make_plan(cast.preparer, make_learner(cast.preparer, cast.school, first_name="Jānis")),
            preparer=cast.preparer,
            mentor=cast.mentor,
            to="approved",
            approver=cast.approver,
            contract=make_contract(cast.preparer, cast.mentor, cast.youth_centre),
        ),
    }


def _report(cast):
    """The staff member's export of the semester's plans, made."""
    from overview import services as overview_services
    from overview.tasks import build_report
    from skola_kopiena.accounts.permissions import acting_for

    autumn = semester()
    report = overview_services.report_export_request(
        actor=cast.staff,
        acting=acting_for(cast.staff),
        kind="plans",
        file_format="csv",
        school_year=autumn.school_year,
        semester=autumn,
    )
    build_report(report.pk)
    return report


def _access_log_export(cast):
    """The staff member's export of this month's access log, made."""
    from overview import services as overview_services
    from overview.tasks import build_access_log
    from skola_kopiena.accounts.permissions import acting_for

    export = overview_services.access_log_export_request(
        actor=cast.staff,
        acting=acting_for(cast.staff),
        since=datetime.date(2026, 11, 1),
        until=datetime.date(2026, 11, 25),
        action="",
        file_format="csv",
    )
    build_access_log(export.pk)
    return export


YOUTH_PLAN = expect(
    404,
    preparer=200,
    approver=200,
    youth_approver=200,
    staff=200,
    auditor=200,
    admin=200,
    mentor=200,
)


def matrix(cast, objects):
    youth = objects["youth"]
    mentor = cast.mentor
    imp = objects["import"]
    plan = objects["plan"]
    learner = plan.learner
    active = objects["active"]
    return [
        ("/", ANY_ROLE),
        ("/loma/", POST_ONLY),
        ("/sesija/pagarinat/", POST_ONLY),  # "Stay logged in": anyone logged in, by POST
        ("/mentori/", SEARCHERS),
        (
            f"/mentori/{mentor.pk}/",
            expect(
                403,
                preparer=200,
                approver=200,
                youth_approver=200,
                staff=200,
                other_staff=404,
                auditor=200,
                admin=200,
            ),
        ),
        ("/mentori/mans-ieraksts/", MENTOR_ONLY),
        ("/mentori/mans-ieraksts/izmainas/", MENTOR_ONLY),
        ("/mentori/mans-ieraksts/redzamiba/", POST_ONLY),
        ("/mentori/izmainu-pieprasijumi/", STAFF_ONLY),
        (
            f"/mentori/izmainu-pieprasijumi/{objects['change_request'].pk}/",
            expect(403, staff=200, other_staff=404, admin=200),
        ),
        ("/mentori/imports/", STAFF_ONLY),
        (f"/mentori/imports/{imp.pk}/", expect(403, staff=200, other_staff=404, admin=200)),
        (f"/faili/mentors/registryimport/{imp.pk}/source_file/", expect(404, staff=200, admin=200)),
        ("/accounts/email/", expect(404)),
        # The diary: its mentor and staff in full, the approver of the employer for approval,
        # the preparer for totals (DIA-6); others in scope 403, outside the scope 404.
        (f"/dienasgramata/{active.pk}/", DIARY_READ_REDIRECT),
        (f"/dienasgramata/{active.pk}/2026-11/", DIARY_READ),
        (f"/dienasgramata/{active.pk}/2026-11/grafiks/", POST_ONLY),
        (f"/dienasgramata/{active.pk}/2026-11/apstiprinat/", POST_ONLY),
        (f"/dienasgramata/{active.pk}/jauns/", DIARY_WRITE),
        (f"/dienasgramata/ieraksts/{objects['entry'].pk}/", DIARY_WRITE),
        (f"/dienasgramata/ieraksts/{objects['entry'].pk}/dzest/", POST_ONLY),
        (f"/dienasgramata/{active.pk}/grafiks.pdf", DIARY_READ),
        ("/stundas/", expect(403, approver=200, youth_approver=200)),
        (f"/stundas/{objects['month'].pk}/lemums/", POST_ONLY),
        (f"/stundas/{objects['month'].pk}/atvert/", POST_ONLY),
        (
            f"/faili/diary/diarymonth/{objects['month'].pk}/timesheet_scan/",
            expect(
                404,
                mentor=200,
                approver=200,
                staff=200,
                auditor=200,
                sample_auditor=200,
                admin=200,
            ),
        ),
        (
            "/izglitojamie/",
            expect(
                403,
                preparer=200,
                approver=200,
                youth_approver=200,
                staff=200,
                other_staff=200,
                auditor=200,
                sample_auditor=200,
                admin=200,
            ),
        ),
        ("/izglitojamie/jauns/", expect(403, preparer=200)),
        (
            f"/izglitojamie/{learner.pk}/",
            expect(404, preparer=200, approver=200, staff=200, auditor=200, admin=200),
        ),
        (f"/izglitojamie/{learner.pk}/labot/", LEARNER_WRITE),
        (f"/izglitojamie/{learner.pk}/iap/jauns/", LEARNER_WRITE),
        ("/iap/", expect(200, mentor=302, outsider=403)),
        (f"/iap/{plan.pk}/", PLAN_READ),
        (f"/iap/{plan.pk}/labot/", PLAN_WRITE),
        (f"/iap/{plan.pk}/vesture/", PLAN_READ),
        (f"/iap/{plan.pk}/pasakumi/", POST_ONLY),
        (f"/iap/{plan.pk}/pasakumi/{objects['measure'].pk}/dzest/", POST_ONLY),
        (f"/iap/{plan.pk}/mentori/", PLAN_WRITE),
        (f"/iap/{plan.pk}/uzaicinat/?mentor={cast.second_mentor.pk}", PLAN_WRITE),
        (f"/iap/{plan.pk}/uzaicinajumi/{objects['invitation'].pk}/atsaukt/", POST_ONLY),
        (f"/iap/{plan.pk}/ligums/", PLAN_WRITE),
        (f"/iap/{plan.pk}/dokumenti/", PLAN_WRITE),
        (f"/iap/{plan.pk}/vienosanas.pdf", PLAN_READ),
        (f"/iap/{plan.pk}/iesniegt/", POST_ONLY),
        (f"/iap/{plan.pk}/lemums/", POST_ONLY),
        (f"/iap/{plan.pk}/stundas/", PLAN_WRITE),
        (f"/iap/{plan.pk}/partraukt/", PLAN_WRITE),
        (f"/iap/{plan.pk}/pagarinat/", PLAN_WRITE),
        # On-the-spot checks: staff of the plan's region grant it to an auditor one by one.
        (
            f"/iap/{plan.pk}/revidenti/",
            expect(404, preparer=403, mentor=403, staff=200, auditor=403, admin=200),
        ),
        (f"/iap/{active.pk}/revidenti/{objects['grant'].pk}/beigt/", POST_ONLY),
        ("/uzaicinajumi/", MENTOR_ONLY),
        (f"/uzaicinajumi/{objects['invitation'].pk}/", expect(403, mentor=200)),
        (
            f"/faili/iap/plan/{plan.pk}/application_file/",
            expect(404, preparer=200, staff=200, auditor=200, admin=200),
        ),
        (
            f"/faili/iap/plan/{plan.pk}/agreement_scan/",
            expect(404, preparer=200, staff=200, auditor=200, admin=200, mentor=200),
        ),
        (
            f"/faili/mentors/contract/{plan.contract_id}/signed_file/",
            expect(404, preparer=200, approver=200, staff=200, auditor=200, admin=200, mentor=200),
        ),
        ("/admin/", expect(302, staff=200, other_staff=200, admin=200)),
        # From its submission on, the plan is the approver's to read.
        (f"/iap/{active.pk}/", DIARY_READ),
        # APR-1: the youth centre employs the mentor of a school's learner: its approver sees
        # the plan and its months to approve, not the plan's documents; the school's approver
        # sees the month totals only.
        (f"/iap/{youth.pk}/", YOUTH_PLAN),
        (f"/iap/{youth.pk}/vienosanas.pdf", YOUTH_PLAN | {"youth_approver": 403}),
        (
            f"/faili/iap/plan/{youth.pk}/application_file/",
            YOUTH_PLAN | {"youth_approver": 404, "mentor": 404},
        ),
        (f"/faili/iap/plan/{youth.pk}/agreement_scan/", YOUTH_PLAN | {"youth_approver": 404}),
        (f"/dienasgramata/{youth.pk}/2026-11/", YOUTH_PLAN),
        (f"/dienasgramata/{youth.pk}/grafiks.pdf", YOUTH_PLAN),
        # The plan's end: its mentor writes the evaluation, the preparer manages it, staff
        # read it; the approver does not see it (EVA, ACC-1).
        (
            f"/iap/{active.pk}/izvertesana/",
            expect(
                404,
                mentor=200,
                preparer=200,
                approver=403,
                staff=200,
                auditor=200,
                sample_auditor=200,
                admin=200,
            ),
        ),
        (f"/iap/{active.pk}/izvertesana/sakt/", POST_ONLY),
        (f"/iap/{active.pk}/izvertesana/lemums/", POST_ONLY),
        (f"/iap/{active.pk}/slegt/", POST_ONLY),
        ("/izvertesanas/", MENTOR_ONLY),
        # Supervision (SUP-1): the mentors of the region and target group, and project staff
        # of the region; another region's session is 404, every other role 403.
        (
            "/supervizijas/",
            expect(403, mentor=200, staff=200, other_staff=200, auditor=200, admin=200),
        ),
        ("/supervizijas/jauna/", STAFF_ONLY),
        (
            f"/supervizijas/{objects['session'].pk}/",
            expect(403, mentor=200, staff=200, other_staff=404, auditor=200, admin=200),
        ),
        (f"/supervizijas/{objects['session'].pk}/pieteikties/", POST_ONLY),
        (f"/supervizijas/{objects['session'].pk}/atteikt/", POST_ONLY),
        (f"/supervizijas/{objects['session'].pk}/apmeklejums/", POST_ONLY),
        # Pay: a mentor sees their own (PAY-5), the employer's approver its payroll, project
        # staff their region's (PAY-3); a preparer never sees pay.
        ("/samaksa/", MENTOR_ONLY),
        ("/darba-samaksa/", PAYROLL_READERS | {"approver": 302, "youth_approver": 302}),
        ("/darba-samaksa/2026-10/", OVERSEERS),
        ("/darba-samaksa/2026-10/eksports/", POST_ONLY),
        (f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/", SCHOOL_PAYROLL),
        (
            f"/darba-samaksa/iestade/{cast.youth_centre.pk}/2026-10/",
            SCHOOL_PAYROLL | {"approver": 404, "youth_approver": 200},
        ),
        (f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/slegt/", POST_ONLY),
        (f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/eksports/", POST_ONLY),
        (f"/eksporti/{objects['export'].pk}/", expect(404, approver=200)),
        (
            f"/faili/payroll/payrollexport/{objects['export'].pk}/file/",
            expect(404, approver=200),
        ),
        # APR-4: checking the hours: project staff of the month's region (another region's
        # month is 404), and administrators, who read but do not check.
        ("/parbaude/", OVERSEERS),
        ("/parbaude/?paraugs=3&sekla=7", OVERSEERS),
        ("/parbaude/konstatejumi/", OVERSEERS),
        (
            f"/parbaude/{objects['month'].pk}/",
            expect(403, staff=200, other_staff=404, auditor=200, admin=200),
        ),
        # The overview: project staff of their regions, national staff and administrators;
        # a report export is its requester's alone (ACC-2).
        ("/parskats/eksports/", POST_ONLY),
        ("/piekluves-zurnals/eksports/", OVERSEERS),
        (f"/piekluves-zurnals/eksporti/{objects['access_log'].pk}/", expect(404, staff=200)),
        (
            f"/faili/overview/accesslogexport/{objects['access_log'].pk}/file/",
            expect(404, staff=200),
        ),
        (f"/izglitojamie/{objects['plan'].learner_id}/pilns-ieraksts/", POST_ONLY),
        (f"/mentori/{cast.mentor.pk}/pilns-ieraksts/", POST_ONLY),
        (f"/parskats/eksporti/{objects['report'].pk}/", expect(404, staff=200)),
        (f"/faili/overview/reportexport/{objects['report'].pk}/file/", expect(404, staff=200)),
        ("/parskats/izvertesanas/?jautajums=risks_reduced&atbilde=yes", OVERSEERS),
        ("/parskats/", OVERSEERS),
        ("/parskats/?periods=gads-1", OVERSEERS),
    ]


PAYROLL_READERS = expect(403, staff=302, other_staff=302, auditor=302, admin=302)
SCHOOL_PAYROLL = expect(
    403, approver=200, youth_approver=404, staff=200, other_staff=404, auditor=200, admin=200
)


def _client(cast, role):
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(cast, {"mentor": "mentor_user"}.get(role, role)))
    return client


@pytest.mark.django_db
def test_every_url_answers_each_role_as_the_matrix_says(cast, objects):
    failures = []
    for role in ROLES:
        client = _client(cast, role)
        for url, expected in matrix(cast, objects):
            status = client.get(url).status_code
            if status != expected[role]:
                failures.append(f"{role:>14} GET {url}: {status}, expected {expected[role]}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(cast, objects):
    for url, _ in matrix(cast, objects):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(("/accounts/login/", "/admin/login/"))


def _portal_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace or ""
            if namespace in {"admin"} or str(entry.pattern).startswith("accounts/"):
                continue
            yield from _portal_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


@pytest.mark.django_db
def test_every_url_is_in_the_matrix(cast, objects):
    """A new view must join the matrix above."""
    import re

    covered = [url.split("?")[0] for url, _ in matrix(cast, objects)]
    for pattern in _portal_patterns():
        if pattern.startswith("valoda/"):
            continue  # Django's language switch: no data behind it
        if pattern == "favicon.ico":
            continue  # the icon, to everyone (tests/test_admin_latvian.py)
        regex = "^/" + re.sub(r"<[^>]+>", r"[^/]+", pattern) + "$"
        assert any(re.match(regex, url) for url in covered), f"/{pattern} is not in the matrix"


# --- The Django admin: every registered model's pages, as every role ----------------------
# Roles without staff or administrator rights are sent to the login page (302). Another
# region's row answers 404, a write the role may not make 403.


def staff_codes(staff, other_staff, admin):
    return expect(302, staff=staff, other_staff=other_staff, admin=admin)


def pages(changelist, add, change, delete, history):
    return {
        "changelist": staff_codes(*changelist),
        "add": staff_codes(*add),
        "change": staff_codes(*change),
        "delete": staff_codes(*delete),
        "history": staff_codes(*history),
    }


# Read in the coordinator's region (another region's row: 404), written nowhere in the admin.
READ_IN_REGION = pages(
    (200, 200, 200), (403, 403, 403), (200, 404, 200), (403, 404, 403), (200, 404, 200)
)
# National reference data: read by every coordinator, kept by the national team.
REFERENCE = pages(
    (200, 200, 200), (403, 403, 403), (200, 200, 200), (403, 403, 403), (200, 200, 200)
)
ADMINISTRATORS_ONLY = pages(
    (403, 403, 200), (403, 403, 403), (404, 404, 200), (404, 404, 403), (404, 404, 200)
)
ADMIN_PAGES = {
    "accounts.user": READ_IN_REGION | {"add": staff_codes(403, 403, 200)},
    "accounts.accesslog": READ_IN_REGION,
    "account.emailaddress": ADMINISTRATORS_ONLY,
    "mfa.authenticator": ADMINISTRATORS_ONLY | {"delete": staff_codes(404, 404, 200)},
    "notifications.sentemail": READ_IN_REGION,
    "schools.region": REFERENCE,
    "schools.municipality": REFERENCE,
    "schools.schoolyear": REFERENCE | {"add": staff_codes(403, 403, 200)},
    "schools.institution": READ_IN_REGION | {"add": staff_codes(403, 403, 200)},
    "mentors.mentor": READ_IN_REGION,
    "mentors.changerequest": READ_IN_REGION,
    "mentors.registryimport": READ_IN_REGION,
    "mentors.contract": READ_IN_REGION,
    "iap.learner": READ_IN_REGION,
    "iap.plan": READ_IN_REGION,
    "iap.invitation": READ_IN_REGION,
    "iap.auditgrant": READ_IN_REGION,
    "diary.diarymonth": READ_IN_REGION,
    "payroll.rate": REFERENCE | {"add": staff_codes(403, 403, 200)},
    "payroll.payrollrun": READ_IN_REGION,
    "supervision.session": READ_IN_REGION,
    "supervision.signup": READ_IN_REGION,
}
# The writes each admin level may make; every other write is refused.
ADMIN_WRITES = {
    "accounts.user": {"add": {"admin"}, "change": {"admin"}},
    "mfa.authenticator": {"delete": {"admin"}},
    "schools.region": {"change": {"admin"}},
    "schools.municipality": {"change": {"admin"}},
    "schools.schoolyear": {"add": {"admin"}, "change": {"admin"}},
    "schools.institution": {"add": {"admin"}, "change": {"staff", "admin"}},
    "mentors.mentor": {"change": {"staff", "admin"}},
    "payroll.rate": {"add": {"admin"}, "change": {"admin"}},
}


@pytest.fixture
def admin_rows(cast, objects):
    """One row of each registered model, in the Rīga region where regions apply."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from skola_kopiena.accounts.models import AccessLog
    from skola_kopiena.accounts.permissions import acting_for
    from skola_kopiena.accounts.services import access_log_record
    from skola_kopiena.notifications.models import SentEmail
    from skola_kopiena.schools.models import SchoolYear

    active = objects["active"]
    access_log_record(acting=acting_for(cast.staff), action=AccessLog.Action.READ_DIARY, obj=active)
    return {
        "accounts.user": cast.mentor_user,
        "accounts.accesslog": AccessLog.objects.get(plan_pk=active.pk),
        "account.emailaddress": EmailAddress.objects.create(
            user=cast.mentor_user, email=cast.mentor_user.email, verified=True, primary=True
        ),
        "mfa.authenticator": Authenticator.objects.get(user=cast.admin),
        "notifications.sentemail": SentEmail.objects.create(
            key="matrix",
            recipient=cast.approver.email,
            subject="Stundas gaida apstiprinājumu",
            region=cast.riga,
        ),
        "schools.region": cast.riga,
        "schools.municipality": municipality("Rīga"),
        "schools.schoolyear": SchoolYear.objects.get(name="2026/2027"),
        "schools.institution": cast.school,
        "mentors.mentor": cast.mentor,
        "mentors.changerequest": objects["change_request"],
        "mentors.registryimport": objects["import"],
        "mentors.contract": active.contract,
        "iap.learner": active.learner,
        "iap.plan": active,
        "iap.invitation": active.invitations.get(),
        "iap.auditgrant": objects["grant"],
        "diary.diarymonth": objects["month"],
        "payroll.rate": objects["rate"],
        "payroll.payrollrun": objects["run"],
        "supervision.session": objects["session"],
        "supervision.signup": objects["signup"],
    }


def _admin_url(label, page, obj=None):
    app_label, model_name = label.split(".")
    base = f"/admin/{app_label}/{model_name}/"
    return {
        "changelist": base,
        "add": f"{base}add/",
        "change": f"{base}{obj.pk}/change/",
        "delete": f"{base}{obj.pk}/delete/",
        "history": f"{base}{obj.pk}/history/",
    }[page]


def test_every_registered_admin_model_is_in_the_admin_matrix():
    from django.contrib import admin

    from skola_kopiena.admin_site import ScopedAdminMixin

    for model, model_admin in admin.site._registry.items():
        assert model._meta.label_lower in ADMIN_PAGES, f"{model._meta.label_lower} is not here"
        assert isinstance(model_admin, ScopedAdminMixin), f"{model_admin} asks no permission"


@pytest.mark.django_db
def test_every_admin_page_answers_each_role_as_the_matrix_says(cast, objects, admin_rows):
    failures = []
    for role in ROLES:
        client = _client(cast, role)
        for label, expected_pages in ADMIN_PAGES.items():
            for page, expected in expected_pages.items():
                url = _admin_url(label, page, admin_rows[label])
                status = client.get(url).status_code
                if status != expected[role]:
                    failures.append(f"{role:>14} GET {url}: {status}, expected {expected[role]}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_admin_pages_of_malformed_or_unknown_ids_answer_404(cast, client_for):
    client = client_for(cast.admin)
    for url in (
        "/admin/iap/plan/abc/history/",
        "/admin/iap/plan/999999/history/",
        "/admin/iap/plan/1.5/change/",
        "/admin/iap/plan/999999/history/1/",
        "/admin/accounts/accesslog/abc/history/",
    ):
        assert client.get(url).status_code == 404, url


def _domain_rows():
    """Every row the portal keeps, apart from the append-only access log (reads add to it)."""
    from django.apps import apps

    labels = {
        "accounts",
        "schools",
        "mentors",
        "iap",
        "diary",
        "payroll",
        "supervision",
        "evaluation",
        "notifications",
        "account",
        "mfa",
    }
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in labels and model._meta.model_name != "accesslog"
    }


@pytest.mark.django_db
def test_no_role_writes_in_the_admin_what_it_may_not(cast, objects, admin_rows):
    """Every add, change, delete and restore of a past version, POSTed by every role that may
    not make it: refused (302 to the login page, 403 or 404), and no row changed."""
    from simple_history.utils import get_history_manager_for_model

    clients = {role: _client(cast, role) for role in ROLES}
    before = _domain_rows()
    failures = []
    for label, row in admin_rows.items():
        allowed = ADMIN_WRITES.get(label, {})
        for role, client in clients.items():
            posts = [
                (_admin_url(label, page, row), {"post": "yes"})
                for page in ("add", "change", "delete")
                if role not in allowed.get(page, set())
            ]
            version = (
                get_history_manager_for_model(row).first() if hasattr(row, "history") else None
            )
            if version is not None:
                posts.append((f"{_admin_url(label, 'history', row)}{version.history_id}/", {}))
            for url, data in posts:
                status = client.post(url, data).status_code
                if status not in (302, 403, 404) or (status == 302 and role in ADMIN_LEVELS):
                    failures.append(f"{role:>14} POST {url}: {status}")
    assert not failures, "\n".join(failures)
    assert _domain_rows() == before


ADMIN_LEVELS = {"staff", "other_staff", "admin"}


# --- Every write of the portal, POSTed by every role that may not make it -----------------


def portal_writes(cast, objects):
    """Each URL that changes something, and the roles that may POST to it."""
    plan = objects["plan"]
    active = objects["active"]
    entry = objects["entry"]
    month = objects["month"]
    learner = plan.learner
    preparer = {"preparer"}
    mentor = {"mentor"}
    return [
        # Keeping one's own session alive: every logged-in role; the anonymous go to login.
        ("/sesija/pagarinat/", set(ROLES) - {"anonymous"}),
        ("/mentori/mans-ieraksts/izmainas/", mentor),
        ("/mentori/mans-ieraksts/redzamiba/", mentor),
        (f"/mentori/izmainu-pieprasijumi/{objects['change_request'].pk}/", {"staff", "admin"}),
        ("/mentori/imports/", {"staff", "other_staff", "admin"}),
        (f"/mentori/imports/{objects['import'].pk}/", {"staff", "admin"}),
        (f"/dienasgramata/{active.pk}/2026-11/grafiks/", mentor),
        (f"/dienasgramata/{active.pk}/2026-11/apstiprinat/", mentor),
        (f"/dienasgramata/{active.pk}/jauns/", mentor),
        (f"/dienasgramata/ieraksts/{entry.pk}/", mentor),
        (f"/dienasgramata/ieraksts/{entry.pk}/dzest/", mentor),
        (f"/stundas/{month.pk}/lemums/", {"approver"}),
        (f"/stundas/{month.pk}/atvert/", {"staff", "admin"}),
        (f"/parbaude/{month.pk}/", {"staff"}),
        # Exports are reads: the auditor makes them too.
        ("/parskats/eksports/", {"staff", "other_staff", "auditor", "admin"}),
        ("/piekluves-zurnals/eksports/", {"staff", "other_staff", "auditor", "admin"}),
        (f"/izglitojamie/{learner.pk}/pilns-ieraksts/", {"staff", "auditor", "admin"}),
        (f"/mentori/{cast.mentor.pk}/pilns-ieraksts/", {"staff", "auditor", "admin"}),
        (f"/iap/{plan.pk}/revidenti/", {"staff", "admin"}),
        (f"/iap/{active.pk}/revidenti/{objects['grant'].pk}/beigt/", {"staff", "admin"}),
        ("/izglitojamie/jauns/", preparer),
        (f"/izglitojamie/{learner.pk}/labot/", preparer),
        (f"/izglitojamie/{learner.pk}/iap/jauns/", preparer),
        (f"/iap/{plan.pk}/labot/", preparer),
        (f"/iap/{plan.pk}/pasakumi/", preparer),
        (f"/iap/{plan.pk}/pasakumi/{objects['measure'].pk}/dzest/", preparer),
        (f"/iap/{plan.pk}/uzaicinat/?mentor={cast.second_mentor.pk}", preparer),
        (f"/iap/{plan.pk}/uzaicinajumi/{objects['invitation'].pk}/atsaukt/", preparer),
        (f"/iap/{plan.pk}/ligums/", preparer),
        (f"/iap/{plan.pk}/dokumenti/", preparer),
        (f"/iap/{plan.pk}/iesniegt/", preparer),
        (f"/iap/{active.pk}/lemums/", {"approver"}),
        (f"/iap/{active.pk}/stundas/", preparer),
        (f"/iap/{active.pk}/partraukt/", preparer),
        (f"/iap/{active.pk}/pagarinat/", preparer),
        (f"/uzaicinajumi/{objects['invitation'].pk}/", mentor),
        (f"/iap/{active.pk}/izvertesana/", mentor),
        (f"/iap/{active.pk}/izvertesana/sakt/", preparer),
        (f"/iap/{active.pk}/izvertesana/lemums/", preparer),
        (f"/iap/{active.pk}/slegt/", preparer),
        ("/supervizijas/jauna/", {"staff", "other_staff", "admin"}),
        (f"/supervizijas/{objects['session'].pk}/pieteikties/", mentor),
        (f"/supervizijas/{objects['session'].pk}/atteikt/", mentor),
        (f"/supervizijas/{objects['session'].pk}/apmeklejums/", {"staff", "admin"}),
        ("/darba-samaksa/2026-10/eksports/", {"staff", "other_staff", "auditor", "admin"}),
        (f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/slegt/", {"approver"}),
        (
            f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/eksports/",
            {"approver", "staff", "auditor", "admin"},
        ),
    ]


# What a refused write would carry if it were let through.
HOSTILE_FORM = {
    "reason": "Mēģinājums",
    "decision": "approve",
    "monthly_hours": "20",
    "first_name": "Ielauzies",
    "date": "2026-11-26",
    "start_time": "08:00",
    "end_time": "10:00",
    "place": "Parks",
    "topic": "Tēma",
    "result": "Labi",
    "answer": "accept",
    "outcome": "continue",
    "timesheets_received": "on",
    "submit": "1",
    "hidden": "on",
    "phone": "+371 2000 0001",
    "file_format": "csv",
    "region": "",
}


@pytest.mark.django_db
def test_no_role_writes_in_the_portal_what_it_may_not(cast, objects):
    clients = {role: _client(cast, role) for role in ROLES}
    before = _domain_rows()
    failures = []
    for url, allowed in portal_writes(cast, objects):
        for role, client in clients.items():
            if role in allowed:
                continue
            status = client.post(url, HOSTILE_FORM).status_code
            expected = {302} if role == "anonymous" else {403, 404}
            if status not in expected:
                failures.append(f"{role:>14} POST {url}: {status}, expected one of {expected}")
    assert not failures, "\n".join(failures)
    assert _domain_rows() == before


def test_every_write_of_the_portal_is_in_the_write_matrix(cast, objects):
    """A view that answers POST must join `portal_writes` above."""
    from django.urls import resolve

    written = {resolve(url.split("?")[0]).view_name for url, _ in portal_writes(cast, objects)}
    reads_only = {"account_email", "choose_role"}  # a 404 for all; choosing one's own role
    client = _client(cast, "preparer")
    for url, _ in matrix(cast, objects):
        view_name = resolve(url.split("?")[0]).view_name
        if view_name in written | reads_only or view_name.startswith("admin:"):
            continue
        assert client.post(url).status_code == 405, f"{url} takes POST but is not in portal_writes"
