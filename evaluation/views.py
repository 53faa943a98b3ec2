from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from skola_kopiena.accounts.models import AccessLog, Role
from skola_kopiena.accounts.permissions import require_role
from skola_kopiena.accounts.services import access_log_record
from skola_kopiena.forms import add_service_errors, show_refusal
from skola_kopiena.schools.calendar import semester_choice

from . import policies, selectors, services
from .forms import SENSITIVE_HINT, CloseForm, DecisionForm, EvaluationForm
from .models import Decision


@require_http_methods(["GET", "POST"])
def plan_evaluation(request, pk):
    """EVA-1..6, IAP-9: the plan's end. The mentor fills in the evaluation (a draft, then
    submitted once); the preparer starts it, reads it, records the decision and closes the
    plan; project staff read it."""
    acting = request.acting
    plan = policies.get_evaluation_plan_for(acting, pk)
    access = policies.evaluation_access(acting, plan)
    evaluation = selectors.evaluation_of(plan)
    writes = access == policies.WRITES
    form = None
    if writes and evaluation is not None and not evaluation.is_submitted:
        terminated = plan.status == plan.Status.TERMINATED
        form = EvaluationForm(request.POST or None, instance=evaluation, terminated=terminated)
        if request.method == "POST" and form.is_valid():
            submit = "submit" in request.POST
            try:
                services.evaluation_save(
                    actor=request.user,
                    evaluation=evaluation,
                    answers=form.answers(),
                    submit=submit,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The evaluation is submitted. The plan's preparer has been told.")
                    if submit
                    else _("The draft is saved. You can come back to it later."),
                )
                return redirect("evaluation:plan", plan.pk)
    elif request.method == "POST":
        if not writes:
            raise PermissionDenied
        # A second click, or an old tab: the evaluation is submitted, or not open yet.
        messages.error(
            request,
            _("The evaluation is already submitted and can no longer be changed.")
            if evaluation is not None
            else _("The evaluation is not open yet: the plan's preparer opens it."),
        )
        return redirect("evaluation:plan", plan.pk)
    shows_content = evaluation is not None and (writes or evaluation.is_submitted)
    if shows_content and policies.reads_evaluation(acting, plan):  # ACC-1
        access_log_record(acting=acting, action=AccessLog.Action.READ_EVALUATION, obj=evaluation)
    manages = access == policies.MANAGES
    opens_on = services.evaluation_opens_on(plan) if plan.mentor_id else None
    return render(
        request,
        "evaluation/plan.html",
        {
            "plan": plan,
            "evaluation": evaluation,
            "shows_content": shows_content,
            "form": form,
            "writes": writes,
            "manages": manages,
            "opens_on": opens_on,
            # The page offers the start when the service would take it.
            "can_start": manages and evaluation is None and services.start_refusal(plan) is None,
            "decision": selectors.decision_of(plan),
            "decision_form": DecisionForm(),
            "closing_problems": services.closing_problems(plan)
            if manages and plan.ran and plan.status != plan.Status.CLOSED
            else [],
            "close_form": CloseForm(),
            "sensitive_hint": SENSITIVE_HINT,
        },
    )


def _managed_plan(request, pk):
    plan = policies.get_evaluation_plan_for(request.acting, pk)
    if policies.evaluation_access(request.acting, plan) != policies.MANAGES:
        raise PermissionDenied
    return plan


@require_POST
def evaluation_start(request, pk):
    """EVA-2: the preparer opens the mentor's evaluation; the mentor is told."""
    plan = _managed_plan(request, pk)
    try:
        _evaluation, started = services.evaluation_start(actor=request.user, plan=plan)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        if started:
            messages.success(request, _("The evaluation is open: the mentor has been told."))
        else:
            messages.info(request, _("The evaluation had already been started."))
    return redirect("evaluation:plan", plan.pk)


@require_POST
def decision_record(request, pk):
    """EVA-5, IAP-8: continue next semester, or end the mentoring."""
    plan = _managed_plan(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        show_refusal(request, ValidationError(form.errors["outcome"]))
        return redirect("evaluation:plan", plan.pk)
    try:
        decision, invitation_refused = services.decision_record(
            actor=request.user, plan=plan, outcome=form.cleaned_data["outcome"]
        )
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("evaluation:plan", plan.pk)
    if decision.outcome == Decision.Outcome.END:
        messages.success(request, _("Recorded: the mentoring ends with this semester."))
        return redirect("evaluation:plan", plan.pk)
    if invitation_refused is None:
        messages.success(
            request,
            _(
                "Recorded: mentoring continues. The draft plan for %(semester)s is made from "
                "this one and %(mentor)s is invited again."
            )
            % {"semester": decision.next_plan.semester, "mentor": plan.mentor},
        )
    else:
        messages.warning(
            request,
            _("The draft plan for %(semester)s is made, but the mentor could not be invited: ")
            % {"semester": decision.next_plan.semester}
            + " ".join(invitation_refused.messages),
        )
    return redirect("iap:plan", decision.next_plan.pk)


@require_POST
def plan_close(request, pk):
    """IAP-9, TS-5: close the plan once everything is in."""
    plan = _managed_plan(request, pk)
    form = CloseForm(request.POST)
    form.is_valid()
    try:
        services.plan_close(
            actor=request.user,
            plan=plan,
            timesheets_received=form.cleaned_data.get("timesheets_received", False),
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The plan is closed."))
    return redirect("evaluation:plan", plan.pk)


@require_GET
def my_evaluations(request):
    """EVA-1: the mentor's evaluations, those waiting first."""
    require_role(request.acting, Role.MENTOR)
    # Those waiting always; submitted ones of the semester just ended and later ones (it is
    # evaluated after its end), or of the one chosen.
    semesters = semester_choice(request.GET.get("semestris"), with_previous=True)
    evaluations = selectors.mentor_evaluations(
        policies.own_evaluations(request.acting).filter(
            Q(submitted_at__isnull=True) | Q(plan__semester_id__in=semesters.shown_ids)
        )
    )
    return render(
        request,
        "evaluation/mine.html",
        {"evaluations": evaluations, "semester_choice": semesters},
    )
