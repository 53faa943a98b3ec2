"""Every URL of the portal, as every role: who gets 200, 302 (to login), 403, 404 or 405.

ACC: deny by default; another region's or school's object answers 404, not 403. A new view
is not done until its row is here; `test_every_url_is_in_the_matrix` fails otherwise.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from diary import services as diary_services
from iap import services
from mentors import services as mentor_services
from tests.factories import advance_plan, make_learner, make_plan, municipality, pdf_upload

ROLES = [
    "anonymous",
    "outsider",
    "mentor",
    "preparer",
    "approver",
    "youth_approver",
    "staff",
    "other_staff",
    "admin",
]


def expect(default, **overrides):
    return {role: overrides.get(role, default) for role in ROLES} | {
        "anonymous": overrides.get("anonymous", 302)
    }


STAFF_ONLY = expect(403, staff=200, other_staff=200, admin=200)
# The learner's school writes; its approver, Rīga's staff and admins read; others get 404.
PLAN_WRITE = expect(404, preparer=200, approver=403, staff=403, admin=403, mentor=403)
PLAN_READ = expect(404, preparer=200, approver=200, staff=200, admin=200, mentor=200)
LEARNER_WRITE = expect(404, preparer=200, approver=403, staff=403, admin=403)
DIARY_READ = expect(404, mentor=200, preparer=200, approver=200, staff=200, admin=200)
DIARY_READ_REDIRECT = expect(404, mentor=302, preparer=302, approver=302, staff=302, admin=302)
DIARY_WRITE = expect(404, mentor=200, preparer=403, approver=403, staff=403, admin=403)
SEARCHERS = expect(
    403, preparer=200, approver=200, youth_approver=200, staff=200, other_staff=200, admin=200
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
    month = diary_services.month_confirm(
        actor=cast.mentor_user, plan=active, month=datetime.date(2026, 11, 1)
    )
    return {
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
    }


def matrix(cast, objects):
    mentor = cast.mentor
    imp = objects["import"]
    plan = objects["plan"]
    learner = plan.learner
    active = objects["active"]
    return [
        ("/", ANY_ROLE),
        ("/loma/", POST_ONLY),
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
            expect(404, mentor=200, approver=200, staff=200, admin=200),
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
                admin=200,
            ),
        ),
        ("/izglitojamie/jauns/", expect(403, preparer=200)),
        (
            f"/izglitojamie/{learner.pk}/",
            expect(404, preparer=200, approver=200, staff=200, admin=200),
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
        (f"/iap/{plan.pk}/turpinat/", POST_ONLY),
        ("/uzaicinajumi/", MENTOR_ONLY),
        (f"/uzaicinajumi/{objects['invitation'].pk}/", expect(403, mentor=200)),
        (
            f"/faili/iap/plan/{plan.pk}/application_file/",
            expect(404, preparer=200, approver=200, staff=200, admin=200),
        ),
        (
            f"/faili/iap/plan/{plan.pk}/agreement_scan/",
            expect(404, preparer=200, approver=200, staff=200, admin=200, mentor=200),
        ),
        (
            f"/faili/mentors/contract/{plan.contract_id}/signed_file/",
            expect(404, preparer=200, approver=200, staff=200, admin=200, mentor=200),
        ),
        ("/admin/", expect(302, staff=200, other_staff=200, admin=200)),
        ("/admin/mentors/mentor/", expect(302, staff=200, other_staff=200, admin=200)),
        ("/admin/accounts/accesslog/", expect(302, staff=200, other_staff=200, admin=200)),
        ("/admin/accounts/user/add/", expect(302, staff=200, other_staff=200, admin=200)),
        ("/admin/iap/plan/", expect(302, staff=200, other_staff=200, admin=200)),
        (f"/admin/iap/plan/{plan.pk}/change/", expect(302, staff=200, other_staff=302, admin=200)),
        ("/admin/mentors/contract/", expect(302, staff=200, other_staff=200, admin=200)),
        ("/admin/diary/diarymonth/", expect(302, staff=200, other_staff=200, admin=200)),
    ]


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
        regex = "^/" + re.sub(r"<[^>]+>", r"[^/]+", pattern) + "$"
        assert any(re.match(regex, url) for url in covered), f"/{pattern} is not in the matrix"
