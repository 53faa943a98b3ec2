"""A support plan in a real browser, on the demo data of `manage.py demo`.

IAP-3 (finding and inviting a mentor, the mentor's answer), IAP-4 (submitting), IAP-5
(approving: the plan becomes active with its mentor), CON-1 (the mentor's signed contract with
the background check), AGR-3 (the application, the agreement printed from the portal and its
signed scan), and ACC (a preparer of another school does not even learn the plan exists).
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from iap.models import Invitation, Learner, Plan
from mentors.models import Contract, Mentor
from skola_kopiena.accounts.models import User
from skola_kopiena.schools.models import Institution
from tests.factories import (
    PASSWORD,
    PDF_BYTES,
    InstitutionFactory,
    UserFactory,
    give_role,
    make_learner,
    make_plan,
    municipality,
    semester,
)

# The live server needs committed data; serialized_rollback restores the reference data
# (regions, municipalities from the migrations) that the flush after each test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCHOOL = "Rīgas 64. vidusskola"
YOUTH_CENTRE = "Rīgas jauniešu centrs „Kaņieris”"
PLAN_URL = re.compile(r"/iap/(\d+)/$")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def fits_the_screen(page):
    """No sideways scrolling on the phone."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def submit(form):
    """Click the form's submit button and wait for the page the server answers with."""
    with form.page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def test_a_plan_goes_from_the_schools_draft_to_an_active_plan_with_a_mentor(demo, log_in, tmp_path):
    """IAP-3, IAP-4, IAP-5, CON-1, AGR-3."""
    school = Institution.objects.get(name=SCHOOL)
    youth_centre = Institution.objects.get(name=YOUTH_CENTRE)
    anna = Mentor.objects.get(email="mentor@demo.lv")
    assert anna.full_name == "Anna Bērziņa"
    autumn = semester("2026/2027", 1)
    pdf = tmp_path / "dokuments.pdf"
    pdf.write_bytes(PDF_BYTES)
    # The demo's Anna already has a contract with the school for the whole school year, and
    # CON-3 allows one per mentor, employer and period: the school cannot record a second one.
    assert Contract.objects.filter(
        mentor=anna, employer=school, school_year=autumn.school_year, semester=None
    ).exists()

    # --- The preparer registers a learner (14 years old) and creates a module II plan.
    preparer = log_in("preparer@demo.lv")
    preparer.goto("/iap/")
    preparer.locator("main a[href='/izglitojamie/jauns/']").click()
    preparer.wait_for_url("**/izglitojamie/jauns/")
    form = preparer.locator("main form[method=post]")
    form.locator("input[name=first_name]").fill("Roberts")
    form.locator("input[name=last_name]").fill("Kalējs")
    form.locator("input[name=birth_date]").fill("2012-04-15")
    form.locator("input[name=education][value=general]").check()
    form.locator("input[name=grade]").fill("8")
    form.locator("button[type=submit]").click()
    preparer.wait_for_url(re.compile(r"/izglitojamie/\d+/iap/jauns/$"))
    learner = Learner.objects.get(institution=school, first_name="Roberts", last_name="Kalējs")
    assert learner.age_on(autumn.start_date) == 14

    form = preparer.locator("main form[method=post]")
    expect(form.locator("select[name=semester]")).to_have_value(str(autumn.pk))
    form.locator("input[name=start_date]").fill("2026-11-30")
    form.locator("input[name=module][value=II]").check()
    form.locator("input[name=risks][value=learning_difficulties]").check()
    form.locator("textarea[name=strengths]").fill("Labi zīmē un palīdz citiem.")
    form.locator("textarea[name=interests]").fill("Futbols, komiksi")
    form.locator("textarea[name=desired_results]").fill("Regulāri apmeklē skolu.")
    form.locator("input[name=monthly_hours]").fill("8")
    form.locator("textarea[name=meeting_times]").fill("Otrdienās pēc 15:00")
    form.locator("button[type=submit]").click()
    preparer.wait_for_url(PLAN_URL)
    pk = int(PLAN_URL.search(preparer.url).group(1))
    plan = Plan.objects.get(pk=pk)
    assert (plan.learner, plan.semester, plan.status) == (learner, autumn, Plan.Status.DRAFT)
    assert (plan.module, plan.category) == ("II", "")
    assert list(plan.risks.values_list("risk", flat=True)) == ["learning_difficulties"]
    plan_path = f"/iap/{pk}/"

    # --- IAP-3: the registry comes filtered to the school's municipality; invite Anna.
    steps = preparer.locator("main section.steps")
    steps.locator(f"a[href='/iap/{pk}/mentori/']").click()
    preparer.wait_for_url(f"**/iap/{pk}/mentori/")
    expect(preparer.locator("select[name=municipality]")).to_have_value(str(school.municipality_id))
    invite = preparer.locator(f"main a[href='/iap/{pk}/uzaicinat/?mentor={anna.pk}']")
    expect(invite).to_have_count(1)
    invite.click()
    # The invitation is confirmed on its own page, with an optional message to the mentor.
    preparer.wait_for_url(f"**/iap/{pk}/uzaicinat/?mentor={anna.pk}")
    form = preparer.locator(f"main form:has(input[name=mentor][value='{anna.pk}'])")
    form.locator("textarea[name=message]").fill(
        "Labdien! Vai varētu būt 8. klases skolēna mentore?"
    )
    form.locator("button[type=submit]").click()
    preparer.wait_for_url(f"**{plan_path}")
    invitation = Invitation.objects.get(plan=plan, mentor=anna)
    assert invitation.status == Invitation.Status.PENDING
    # Until the mentor answers, there is nothing to record a contract for.
    expect(preparer.locator("main form[action$='/iesniegt/']")).to_have_count(0)

    # --- The mentor, on a phone, sees the invitation and accepts it.
    mentor = log_in("mentor@demo.lv", **PHONE)
    mentor.locator("summary.site-menu-button").tap()  # on a phone the menu is one button
    mentor.get_by_role("navigation").locator("a[href='/uzaicinajumi/']").click()
    mentor.wait_for_url("**/uzaicinajumi/")
    assert fits_the_screen(mentor)
    mentor.locator(f"main a[href='/uzaicinajumi/{invitation.pk}/']").click()
    mentor.wait_for_url(f"**/uzaicinajumi/{invitation.pk}/")
    expect(mentor.locator("main dl.summary")).to_contain_text("Roberts")
    expect(mentor.locator("main dl.summary")).not_to_contain_text("Kalējs")  # first name only
    assert fits_the_screen(mentor)
    mentor.locator("textarea[name=reason]").fill("Labprāt, otrdienas man der.")
    mentor.locator("button[name=answer][value=accept]").tap()
    mentor.wait_for_url(re.compile(r"/uzaicinajumi/$"))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    plan.refresh_from_db()
    assert plan.mentor == anna

    # --- CON-1: the preparer records the mentor's signed contract, with the background check.
    preparer.reload()
    preparer.locator(f"main section.steps a[href='/iap/{pk}/ligums/']").click()
    preparer.wait_for_url(f"**/iap/{pk}/ligums/")
    # The existing year contract with the school is offered for attaching.
    expect(preparer.locator("main input[name=action][value=attach]")).to_have_count(1)

    def record_contract(employer):
        form = preparer.locator("main form:has(input[name=action][value=record])")
        form.locator("select[name=employer]").select_option(str(employer.pk))
        form.locator("input[name=period][value=semester]").check()
        form.locator("input[name=contract_number]").fill("KAŅ-2026/31")
        form.locator("input[name=signed_on]").fill("2026-11-20")
        form.locator("input[name=background_check_date]").fill("2026-11-16")
        form.locator("input[name=background_check_by]").fill("Centra vadītāja S. Mežule")
        form.locator("input[name=signed_file]").set_input_files(pdf)
        submit(form)

    # A second contract with the school for this semester is refused at the form (CON-3) ...
    contracts_before = Contract.objects.count()
    record_contract(school)
    assert preparer.url.endswith(f"/iap/{pk}/ligums/")
    refusal = preparer.locator(
        "main form:has(input[name=action][value=record]) .error-summary[role=alert]"
    )
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text(SCHOOL)  # names the employer of the clashing contract
    assert Contract.objects.count() == contracts_before
    # ... so she records the contract with the municipal youth centre, which CON-2 allows.
    record_contract(youth_centre)
    preparer.wait_for_url(f"**{plan_path}")
    plan.refresh_from_db()
    contract = plan.contract
    assert (contract.mentor, contract.employer, contract.semester) == (anna, youth_centre, autumn)
    assert contract.background_check_by == "Centra vadītāja S. Mežule"
    assert contract.signed_file

    # --- AGR-3: the parent's application, the agreement printed from the portal, its scan.
    preparer.locator(f"main section.steps a[href='/iap/{pk}/dokumenti/']").click()
    preparer.wait_for_url(f"**/iap/{pk}/dokumenti/")
    form = preparer.locator("main form:has(input[name=action][value=application])")
    form.locator("input[name=file]").set_input_files(pdf)
    submit(form)
    plan.refresh_from_db()
    assert plan.application_file

    agreement_link = preparer.locator(f"main a[href='/iap/{pk}/vienosanas.pdf']")
    expect(agreement_link).to_have_count(0)
    form = preparer.locator("main form:has(input[name=action][value=agreement])")
    form.locator("textarea[name=situation]").fill("Bieži kavē stundas.")
    form.locator("textarea[name=situation_plan]").fill("Tikšanās ar mentoru reizi nedēļā.")
    form.locator("textarea[name=provider_commits]").fill("Nodrošināt mentoru.")
    form.locator("textarea[name=learner_commits]").fill("Ierasties uz tikšanos.")
    submit(form)
    with preparer.expect_download() as download:
        agreement_link.click()
    assert download.value.suggested_filename == f"vienosanas-{pk}.pdf"
    with open(download.value.path(), "rb") as printed:
        assert printed.read(5) == b"%PDF-"

    form = preparer.locator("main form:has(input[name=action][value=scan])")
    form.locator("input[name=file]").set_input_files(pdf)
    submit(form)
    plan.refresh_from_db()
    assert plan.agreement_scan
    assert plan.situation == "Bieži kavē stundas."

    # --- IAP-4: nothing is missing any more: submit.
    preparer.locator(f"main a[href='{plan_path}']").first.click()
    preparer.wait_for_url(f"**{plan_path}")
    submit(preparer.locator(f"main form[action='/iap/{pk}/iesniegt/']"))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED
    expect(preparer.locator("main section.steps")).to_have_count(0)

    # --- IAP-5: the approver finds it among the plans waiting and approves it.
    approver = log_in("approver@demo.lv")
    approver.goto("/iap/")
    approver.locator("main table.stack").first.locator(f"a[href='{plan_path}']").click()
    approver.wait_for_url(f"**{plan_path}")
    submit_button = approver.locator(
        f"main form[action='/iap/{pk}/lemums/'] button[name=decision][value=approve]"
    )
    with approver.expect_navigation():
        submit_button.click()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    expect(approver.locator(f"main form[action='/iap/{pk}/lemums/']")).to_have_count(0)

    # --- The mentor sees the plan among "plans I am in", active, and opens it.
    with translation.override("lv"):
        active = str(Plan.Status.APPROVED.label)
    mentor.goto("/uzaicinajumi/")
    link = mentor.locator(f"main table.stack a[href='{plan_path}']")
    expect(link).to_have_count(1)
    row = mentor.locator("main table.stack tbody tr").filter(
        has=mentor.locator(f"a[href='{plan_path}']")
    )
    expect(row.locator(".tag-success")).to_have_text(active)
    assert fits_the_screen(mentor)
    link.tap()
    mentor.wait_for_url(f"**{plan_path}")
    expect(mentor.locator("main h1")).to_contain_text("Roberts Kalējs")
    expect(mentor.locator("main h1 .tag")).to_have_text(active)
    assert fits_the_screen(mentor)

    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert plan.mentor == anna
    assert plan.mentor.full_name == "Anna Bērziņa"
    assert plan.contract == contract
    assert plan.decided_by.email == "approver@demo.lv"


def test_a_preparer_of_another_school_gets_404_on_the_plan(demo, log_in):
    """ACC: a plan of another school is out of scope: 404, not 403, for every page of it."""
    riga_school = Institution.objects.get(name=SCHOOL)
    riga_preparer = User.objects.get(email="preparer@demo.lv")
    riga_plan = make_plan(riga_preparer, make_learner(riga_preparer, riga_school))

    cesis_school = InstitutionFactory(
        name="Cēsu 2. pamatskola", municipality=municipality("Cēsu novads")
    )
    cesis_preparer = UserFactory(email="sagatavotaja@cesu2.lv")
    give_role(cesis_preparer, "preparer", institution=cesis_school)
    own_plan = make_plan(cesis_preparer, make_learner(cesis_preparer, cesis_school))

    page = log_in(cesis_preparer.email, PASSWORD)
    # The preparer's own plan opens: the login works and the page exists.
    response = page.goto(f"/iap/{own_plan.pk}/")
    assert response.status == 200

    response = page.goto(f"/iap/{riga_plan.pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(riga_plan.learner.full_name)
    for path in ("mentori/", "ligums/", "dokumenti/", "vienosanas.pdf", "vesture/"):
        response = page.request.get(f"/iap/{riga_plan.pk}/{path}")
        assert response.status == 404, path
    response = page.request.get(f"/izglitojamie/{riga_plan.learner.pk}/")
    assert response.status == 404
