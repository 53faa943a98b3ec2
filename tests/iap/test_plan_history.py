"""The plan's history reads in words: labels, names, which document changed; never the diary."""

import datetime
import html
import re

from django.utils import translation

from iap import services
from iap.models import Plan
from skola_kopiena.accounts.models import Role
from tests.factories import UserFactory, advance_plan, give_role, pdf_upload

CANARY = "KANĀRIJPUTNS-4410"


def _history(client, plan):
    response = client.get(f"/iap/{plan.pk}/vesture/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _lv(text, **params):
    with translation.override("lv"):
        return translation.gettext(text) % params if params else str(text)


def test_the_plan_history_shows_labels_and_names_not_codes_and_ids(cast, client_for, active_plan):
    page = _history(client_for(cast.preparer), active_plan)
    draft, submitted, active = (
        _lv(Plan.Status.DRAFT.label),
        _lv(Plan.Status.SUBMITTED.label),
        _lv(Plan.Status.APPROVED.label),
    )
    assert f"{draft} → {submitted}" in page and f"{submitted} → {active}" in page
    assert f"— → {cast.mentor.full_name}" in page
    assert f"— → {active_plan.contract}" in page
    assert f"— → {cast.approver}" in page
    assert "draft →" not in page and "→ submitted" not in page
    assert not re.search(r"→ \d+</li>", page), "a related row shown by its id"


def test_the_plan_history_names_the_document_that_changed_but_not_its_file(cast, client_for, plan):
    plan = advance_plan(plan, preparer=cast.preparer, mentor=cast.mentor, to="ready")
    first_name = plan.application_file.name
    services.plan_upload_application(
        actor=cast.preparer, plan=plan, file=pdf_upload("jauns-iesniegums.pdf")
    )
    plan.refresh_from_db()
    page = _history(client_for(cast.preparer), plan)
    application = _lv(Plan._meta.get_field("application_file").verbose_name)
    scan = _lv(Plan._meta.get_field("agreement_scan").verbose_name)
    assert _lv("Document uploaded: %(document)s", document=application) in page
    assert _lv("Document uploaded: %(document)s", document=scan) in page
    assert _lv("Document replaced: %(document)s", document=application) in page
    for name in (first_name, plan.application_file.name, "iesniegums.pdf"):
        assert name.rsplit("/", 1)[-1] not in page


def test_the_plan_history_shows_no_diary_content(cast, client_for, active_plan, meet):
    # DIA-6
    meet(
        active_plan,
        datetime.date(2026, 11, 25),
        datetime.time(7, 0),
        datetime.time(9, 0),
        place=f"Parks {CANARY}",
        topic=f"Tēma {CANARY}",
        result=f"Rezultāts {CANARY}",
        comment=f"Komentārs {CANARY}",
    )
    for user in (cast.preparer, cast.approver, cast.staff):
        assert CANARY not in _history(client_for(user), active_plan), user


def test_the_plan_history_keeps_its_query_count(cast, client_for, plan, django_assert_num_queries):
    # Every return changes who decided: a related row on each, fetched with all the others.
    second_approver = UserFactory(email="otrs.apstiprinatajs@example.lv")
    give_role(second_approver, Role.APPROVER, institution=cast.school)
    plan = advance_plan(plan, preparer=cast.preparer, mentor=cast.mentor, to="submitted")
    client = client_for(cast.preparer)

    def return_and_resubmit(approver):
        services.plan_return(actor=approver, plan=plan, reason="Precizējiet mērķus")
        services.plan_submit(actor=cast.preparer, plan=plan)

    return_and_resubmit(cast.approver)
    # session, user, roles; 4 the plan with learner, school, semester, mentor and contract;
    # 5 its history records with who made each; the rows they name, one query per model:
    # 6 the users (who decided), 7 the contracts, 8 the mentors; save session.
    with django_assert_num_queries(11):
        _history(client, plan)
    for approver in [second_approver, cast.approver] * 4:
        return_and_resubmit(approver)
    with django_assert_num_queries(11):
        _history(client, plan)
