"""The end of a support plan in a real browser, on the demo data of `manage.py demo`.

The demo preparer starts the evaluation of an ended plan (EVA-2, EVA-6); the demo mentor fills
it in on her phone, saves a draft and comes back to it, then submits it once (EVA-3); the
preparer records that mentoring continues, which makes the next semester's draft plan with the
same mentor invited (EVA-5, IAP-8); and closes another plan whose months are all approved,
confirming that the paper timesheets were handed over (IAP-9, TS-5).
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from evaluation.models import Decision, Evaluation
from evaluation.services import closing_problems
from iap.models import Invitation, Plan
from mentors.models import Mentor
from skola_kopiena.accounts.models import AccessLog, User
from skola_kopiena.notifications.models import SentEmail
from skola_kopiena.schools.models import Institution, Semester

# The live server needs committed data; serialized_rollback restores the reference data
# (regions, municipalities from the migrations) that the flush after each test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCHOOL = "Rīgas 64. vidusskola"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PLAN_URL = re.compile(r"/iap/(\d+)/$")
# Unique strings, so that they can be found again after a reload.
RISKS_COMMENT = "Kavējumu mazāk, bet vēl ne katru nedēļu KOMENTARS-E4K"
RESULT = "Elza droši runā latviski stundās un atrada draudzenes REZULTATS-E4K"
DEVELOPMENT_COMMENT = "Pašapziņa aug lēnām KOMENTARS2-E4K"
RECOMMENDATIONS = "Turpināt reizi nedēļā arī rudenī IETEIKUMI-E4K"


def fits_the_screen(page):
    """No sideways scrolling on the phone."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def submit(form, button="button[type=submit]"):
    """Click the form's button and wait for the page the server answers with."""
    with form.page.expect_navigation():
        form.locator(button).first.click()


def next_semester(plan):
    later = Semester.objects.filter(start_date__gt=plan.semester.start_date)
    return later.order_by("start_date").first()


def ended_plan_to_evaluate(school, mentor):
    """An ended plan of the mentor at the school whose evaluation is not started, and whose
    learner has no plan next semester yet (so that mentoring can continue: IAP-1)."""
    plans = Plan.objects.filter(
        learner__institution=school, mentor=mentor, status=Plan.Status.APPROVED
    ).order_by("pk")
    for plan in plans:
        if (
            plan.has_ended
            and not plan.evaluations.exists()
            and not Plan.objects.filter(learner=plan.learner, semester=next_semester(plan)).exists()
        ):
            return plan
    return None


def plan_ready_to_close(school):
    """A plan of the school evaluated, decided and with every month approved (IAP-9)."""
    plans = Plan.objects.filter(
        learner__institution=school, status=Plan.Status.APPROVED, decision__isnull=False
    ).order_by("pk")
    return next((plan for plan in plans if not closing_problems(plan)), None)


def test_the_preparer_starts_the_evaluation_the_mentor_submits_it_and_the_plan_ends(demo, log_in):
    """EVA-2, EVA-3, EVA-5, EVA-6, IAP-8, IAP-9, TS-5."""
    school = Institution.objects.get(name=SCHOOL)
    anna = Mentor.objects.get(email="mentor@demo.lv")
    preparer_user = User.objects.get(email="preparer@demo.lv")
    plan = ended_plan_to_evaluate(school, anna)
    assert plan is not None, "the demo has no ended plan of Anna's with the evaluation unstarted"
    to_close = plan_ready_to_close(school)
    assert to_close is not None, "the demo has no plan ready to be closed"
    assert to_close.status == Plan.Status.APPROVED
    pk = plan.pk
    evaluation_path = f"/iap/{pk}/izvertesana/"

    # --- EVA-2, EVA-6: the plan has ended; the preparer starts its evaluation.
    preparer = log_in("preparer@demo.lv")
    preparer.goto(f"/iap/{pk}/")
    preparer.locator(f"main a[href='{evaluation_path}']").click()
    preparer.wait_for_url(f"**{evaluation_path}")
    expect(preparer.locator(f"main form[action='/iap/{pk}/slegt/']")).to_have_count(0)
    submit(preparer.locator(f"main form[action='{evaluation_path}sakt/']"))
    assert preparer.url.endswith(evaluation_path), preparer.url
    evaluation = Evaluation.objects.get(plan=plan)
    assert (evaluation.mentor, evaluation.started_by) == (anna, preparer_user)
    assert not evaluation.is_submitted
    # The mentor is told by email; the start button is gone (starting again changes nothing).
    assert SentEmail.objects.filter(
        key=f"evaluation:{evaluation.pk}:started", recipient=anna.email
    ).exists()
    expect(preparer.locator(f"main form[action='{evaluation_path}sakt/']")).to_have_count(0)
    # Until the mentor submits, there is nothing to decide.
    expect(preparer.locator(f"main form[action='{evaluation_path}lemums/']")).to_have_count(0)

    # --- The mentor, on her phone, finds the evaluation waiting in "My evaluations".
    mentor = log_in("mentor@demo.lv", **PHONE)
    mentor.locator("summary.site-menu-button").tap()  # on a phone the menu is one button
    mentor.get_by_role("navigation").locator("a[href='/izvertesanas/']").click()
    mentor.wait_for_url("**/izvertesanas/")
    assert fits_the_screen(mentor)
    row = mentor.locator("main table.stack tbody tr").filter(
        has=mentor.locator(f"a[href='{evaluation_path}']")
    )
    expect(row.locator(".tag-warning")).to_have_count(1)
    row.locator(f"a[href='{evaluation_path}']").tap()
    mentor.wait_for_url(f"**{evaluation_path}")
    assert fits_the_screen(mentor)
    form = mentor.locator("main form[data-evaluation-form]")
    expect(form).to_have_count(1)
    expect(form.locator("textarea[name=termination_reasons]")).to_have_count(0)  # not terminated

    # --- EVA-3: the comment of a closed question opens for "No" and "Partly" only.
    risks_comment = form.locator("[data-comment-for=risks_reduced]")
    expect(risks_comment).to_be_hidden()
    form.locator("input[name=risks_reduced][value=yes]").check()
    expect(risks_comment).to_be_hidden()
    form.locator("input[name=risks_reduced][value=partly]").check()
    expect(risks_comment).to_be_visible()
    form.locator("textarea[name=risks_reduced_comment]").fill(RISKS_COMMENT)
    form.locator("textarea[name=result_achieved]").fill(RESULT)

    # --- EVA-6: a draft keeps what is typed; she comes back to it later.
    submit(form, "button[name=save]")
    assert mentor.url.endswith(evaluation_path), mentor.url
    evaluation.refresh_from_db()
    assert evaluation.saved_at is not None and not evaluation.is_submitted
    assert (evaluation.risks_reduced, evaluation.risks_reduced_comment) == ("partly", RISKS_COMMENT)
    assert evaluation.result_achieved == RESULT
    mentor.reload()
    form = mentor.locator("main form[data-evaluation-form]")
    expect(form.locator("input[name=risks_reduced][value=partly]")).to_be_checked()
    expect(form.locator("[data-comment-for=risks_reduced]")).to_be_visible()
    expect(form.locator("textarea[name=risks_reduced_comment]")).to_have_value(RISKS_COMMENT)
    expect(form.locator("textarea[name=result_achieved]")).to_have_value(RESULT)
    expect(form.locator("[data-comment-for=confidence_strengthened]")).to_be_hidden()
    assert fits_the_screen(mentor)

    # --- EVA-3: submitting needs all five answers; the missing ones are shown at their fields.
    submit(form, "button[name=submit]")
    form = mentor.locator("main form[data-evaluation-form]")
    expect(form.locator(".error-summary")).to_be_visible()
    for name in ("confidence_strengthened", "development_promoted", "recommendations"):
        expect(form.locator(f".field-error:has([name={name}])")).to_have_count(1)
    evaluation.refresh_from_db()
    assert not evaluation.is_submitted

    # --- She answers the rest and submits, once.
    form.locator("input[name=confidence_strengthened][value=yes]").check()
    expect(form.locator("[data-comment-for=confidence_strengthened]")).to_be_hidden()
    form.locator("input[name=development_promoted][value=no]").check()
    expect(form.locator("[data-comment-for=development_promoted]")).to_be_visible()
    form.locator("textarea[name=development_promoted_comment]").fill(DEVELOPMENT_COMMENT)
    form.locator("textarea[name=recommendations]").fill(RECOMMENDATIONS)
    expect(form.locator("textarea[name=risks_reduced_comment]")).to_have_value(RISKS_COMMENT)
    submit(form, "button[name=submit]")
    assert mentor.url.endswith(evaluation_path), mentor.url
    evaluation.refresh_from_db()
    assert evaluation.is_submitted
    assert (
        evaluation.risks_reduced,
        evaluation.risks_reduced_comment,
        evaluation.confidence_strengthened,
        evaluation.confidence_strengthened_comment,
        evaluation.development_promoted,
        evaluation.development_promoted_comment,
        evaluation.result_achieved,
        evaluation.recommendations,
    ) == ("partly", RISKS_COMMENT, "yes", "", "no", DEVELOPMENT_COMMENT, RESULT, RECOMMENDATIONS)
    # Submitted, it is read-only: the answers are shown, the form is gone.
    expect(mentor.locator("main form[data-evaluation-form]")).to_have_count(0)
    for text in (RISKS_COMMENT, DEVELOPMENT_COMMENT, RESULT, RECOMMENDATIONS):
        expect(mentor.locator("main")).to_contain_text(text)
    assert fits_the_screen(mentor)
    mentor.goto("/izvertesanas/")
    row = mentor.locator("main table.stack tbody tr").filter(
        has=mentor.locator(f"a[href='{evaluation_path}']")
    )
    expect(row.locator(".tag-success")).to_have_count(1)
    # EVA-5: the preparer is told.
    assert SentEmail.objects.filter(
        key=f"evaluation:{evaluation.pk}:submitted", recipient=preparer_user.email
    ).exists()

    # --- EVA-5, IAP-8: the preparer reads the evaluation and records "continue".
    preparer.reload()
    expect(preparer.locator("main")).to_contain_text(RECOMMENDATIONS)
    # ACC-1: the preparer's read of the evaluation is logged.
    assert AccessLog.objects.filter(
        user=preparer_user, action=AccessLog.Action.READ_EVALUATION
    ).exists()
    decision_form = preparer.locator(f"main form[action='{evaluation_path}lemums/']")
    decision_form.locator("input[name=outcome][value=continue]").check()
    submit(decision_form)
    preparer.wait_for_url(PLAN_URL)
    decision = Decision.objects.get(plan=plan)
    next_plan = decision.next_plan
    assert decision.outcome == Decision.Outcome.CONTINUE
    assert decision.decided_by == preparer_user
    assert int(PLAN_URL.search(preparer.url).group(1)) == next_plan.pk
    # The next semester's draft, copied from the plan, with the same mentor invited.
    assert (next_plan.learner, next_plan.semester, next_plan.status) == (
        plan.learner,
        next_semester(plan),
        Plan.Status.DRAFT,
    )
    assert (next_plan.module, next_plan.monthly_hours) == (plan.module, plan.monthly_hours)
    assert set(next_plan.risks.values_list("risk", flat=True)) == set(
        plan.risks.values_list("risk", flat=True)
    )
    invitation = Invitation.objects.get(plan=next_plan)
    assert (invitation.mentor, invitation.status) == (anna, Invitation.Status.PENDING)
    expect(preparer.locator("main")).to_contain_text(anna.full_name)
    # The first plan's evaluation page keeps the decision, with a link to the new plan.
    preparer.goto(evaluation_path)
    expect(preparer.locator(f"main a[href='/iap/{next_plan.pk}/']")).to_have_count(1)
    expect(preparer.locator(f"main form[action='{evaluation_path}lemums/']")).to_have_count(0)
    # The mentor finds the invitation to next semester's plan.
    mentor.goto("/uzaicinajumi/")
    expect(mentor.locator(f"main a[href='/uzaicinajumi/{invitation.pk}/']")).to_have_count(1)

    # --- IAP-9, TS-5: the preparer closes the plan that is ready, with the paper timesheets.
    close_path = f"/iap/{to_close.pk}/izvertesana/"
    preparer.goto(close_path)
    close_form = preparer.locator(f"main form[action='/iap/{to_close.pk}/slegt/']")
    checkbox = close_form.locator("input[name=timesheets_received]")
    expect(checkbox).not_to_be_checked()
    submit(close_form)  # without the timesheets: refused (TS-5)
    assert preparer.url.endswith(close_path), preparer.url
    expect(preparer.locator(".messages .message-error")).to_have_count(1)
    to_close.refresh_from_db()
    assert to_close.status == Plan.Status.APPROVED
    close_form = preparer.locator(f"main form[action='/iap/{to_close.pk}/slegt/']")
    close_form.locator("input[name=timesheets_received]").check()
    submit(close_form)
    assert preparer.url.endswith(close_path), preparer.url
    to_close.refresh_from_db()
    assert to_close.status == Plan.Status.CLOSED
    assert (to_close.closed_by, to_close.timesheets_received) == (preparer_user, True)
    assert to_close.closed_at is not None
    with translation.override("lv"):
        closed = str(Plan.Status.CLOSED.label)
    assert closed == "slēgts"
    expect(preparer.locator("main h1 .tag")).to_have_text(closed)
    expect(preparer.locator(".messages .message-success")).to_have_count(1)
    expect(preparer.locator(f"main form[action='/iap/{to_close.pk}/slegt/']")).to_have_count(0)
    # The plan list shows it closed too.
    preparer.goto(f"/iap/{to_close.pk}/")
    expect(preparer.locator("main")).to_contain_text(closed)
