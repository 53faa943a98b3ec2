from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentors import policies as mentors_policies
from mentors import services as mentor_services
from mentors.forms import RegistrySearchForm
from mentors.models import MAX_LEARNERS_PER_SEMESTER, Contract
from skola_kopiena import parsing
from skola_kopiena.accounts import permissions
from skola_kopiena.accounts.models import Role
from skola_kopiena.forms import add_service_errors, show_refusal
from skola_kopiena.paging import page_of
from skola_kopiena.schools.calendar import current_semester, semester_choice

from . import policies, selectors, services
from .forms import (
    AgreementForm,
    AnswerForm,
    AuditGrantForm,
    ContractChoiceForm,
    ContractForm,
    DecisionForm,
    ExtendForm,
    HoursForm,
    InvitationForm,
    LearnerForm,
    MeasureForm,
    PlanFilterForm,
    PlanForm,
    TerminateForm,
    UploadForm,
)
from .models import Invitation, Plan

PAGE_SIZE = 50


def _service_form(request, form, call, success, redirect_to):
    """Validate `form`, run the service; on a rule's refusal, show it at the form."""
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(*redirect_to)
    return None


# --- Learners -----------------------------------------------------------------------------


@require_GET
def learner_list(request):
    if not policies.can_read_learners(request.acting):
        raise PermissionDenied
    semesters = semester_choice(request.GET.get("semestris"))
    learners = selectors.learner_list(request.acting, semesters=semesters)
    page = page_of(learners, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "iap/learner_list.html",
        {
            "page": page,
            "semester_choice": semesters,
            "can_register": policies.can_register_learners(request.acting),
        },
    )


@require_http_methods(["GET", "POST"])
def learner_new(request):
    if not policies.can_register_learners(request.acting):
        raise PermissionDenied
    form = LearnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            learner = services.learner_register(
                actor=request.user,
                institution=request.acting.membership.institution,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered. Now create the support plan.")
                % {"name": learner.full_name},
            )
            return redirect("iap:plan_new", learner_pk=learner.pk)
    return render(request, "iap/learner_form.html", {"form": form})


@require_GET
def learner_detail(request, pk):
    acting = request.acting
    learner = policies.get_learner_for(acting, pk)
    # Only the plans the role reads: an approver's no drafts, an auditor's the granted one.
    plans = (
        policies.plans_for(acting)
        .filter(learner=learner)
        .select_related("semester__school_year", "mentor")
        .order_by("-semester__start_date")
    )
    return render(
        request,
        "iap/learner_detail.html",
        {
            "learner": learner,
            "plans": plans,
            "can_edit": policies.can_register_learners(acting),
            "can_export_record": policies.exports_record_of(acting, learner),
        },
    )


@require_http_methods(["GET", "POST"])
def learner_edit(request, pk):
    learner = policies.get_learner_for(request.acting, pk, write=True)
    form = LearnerForm(request.POST or None, instance=learner)
    response = _service_form(
        request,
        form,
        lambda data: services.learner_update(actor=request.user, learner=learner, **data),
        _("The learner's data has been saved."),
        ("iap:learner", learner.pk),
    )
    return response or render(request, "iap/learner_form.html", {"form": form, "learner": learner})


# --- Plans --------------------------------------------------------------------------------


@require_GET
def plan_list(request):
    acting = request.acting
    if not acting.role:
        raise PermissionDenied
    if acting.has_role(Role.MENTOR):
        return redirect("iap:invitations")
    filters = PlanFilterForm(request.GET)
    semesters = semester_choice(request.GET.get("semestris"))
    school_year = filters.school_year()
    plans = selectors.plan_list(
        acting, semester_ids=filters.semester_ids(semesters), **filters.filters()
    )
    page = page_of(plans, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "iap/plan_list.html",
        {
            "page": page,
            "filters": filters,
            "school_year": school_year,
            "semester_choice": semesters,
            "queue": selectors.approval_queue(acting) if acting.has_role(Role.APPROVER) else None,
            "can_create": policies.can_register_learners(acting),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_new(request, learner_pk):
    learner = policies.get_learner_for(request.acting, learner_pk, write=True)
    form = PlanForm(request.POST or None, initial={"monthly_hours": 8}, learner=learner)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                actor=request.user,
                learner=learner,
                semester=form.cleaned_data["semester"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plan has been created. Next: find a mentor."))
            return redirect("iap:plan", pk=plan.pk)
    elif request.method == "GET":
        semester = current_semester()
        if semester is not None:
            form.initial["semester"] = semester.pk
            form.initial["start_date"] = services.plan_default_dates(learner, semester)[0]
    return render(request, "iap/plan_form.html", {"form": form, "learner": learner})


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = policies.get_plan_for(request.acting, pk, write=True)
    form = PlanForm(request.POST or None, instance=plan, editing=True)
    response = _service_form(
        request,
        form,
        lambda data: services.plan_update(actor=request.user, plan=plan, **form.service_fields()),
        _("The plan has been saved."),
        ("iap:plan", plan.pk),
    )
    return response or render(
        request, "iap/plan_form.html", {"form": form, "learner": plan.learner, "plan": plan}
    )


@require_GET
def plan_detail(request, pk):
    acting = request.acting
    plan = policies.get_plan_for(acting, pk)
    if not policies.sees_whole_plan(acting, plan):
        invitation = (
            policies.invitations_for(acting)
            .filter(plan=plan, status=Invitation.Status.PENDING)
            .first()
        )
        return redirect("iap:invitation", pk=invitation.pk)
    can_edit = policies.can_edit_plan(acting, plan)
    context = {
        "plan": plan,
        "risks": plan.risks.all(),
        "measures": plan.measures.all(),
        "invitations": plan.invitations.select_related("mentor").order_by("-invited_at"),
        "can_edit": can_edit and plan.is_editable,
        "can_manage": can_edit,
        "can_decide": policies.can_decide_plan(acting, plan)
        and plan.status == Plan.Status.SUBMITTED,
        "missing": services.plan_missing(plan)
        if plan.is_editable or plan.status == Plan.Status.SUBMITTED
        else [],
        "measure_form": MeasureForm(),
        "decision_form": DecisionForm(),
        "is_mentor": acting.has_role(Role.MENTOR),
        "documents": policies.plan_documents_for(acting, plan),
        "can_grant_audit": policies.can_grant_audit(acting, plan),
        "learner_page": policies.can_read_learners(acting)
        and policies.learners_for(acting).filter(pk=plan.learner_id).exists(),
    }
    return render(request, "iap/plan_detail.html", context)


@require_http_methods(["GET", "POST"])
def plan_audit(request, pk):
    """An on-the-spot check: project staff grant an auditor this plan until an end date."""
    acting = request.acting
    plan = policies.get_plan_for(acting, pk)
    if not policies.can_grant_audit(acting, plan):
        raise PermissionDenied
    form = AuditGrantForm(request.POST or None)
    response = _service_form(
        request,
        form,
        lambda data: services.audit_grant_give(actor=request.user, plan=plan, **data),
        _("The auditor may read the plan until the end date."),
        ("iap:plan_audit", plan.pk),
    )
    context = {
        "plan": plan,
        "form": form,
        "grants": policies.audit_grants_for(acting, plan),
        "today": timezone.localdate(),
    }
    return response or render(request, "iap/plan_audit.html", context)


@require_POST
def audit_grant_end(request, pk, grant_pk):
    acting = request.acting
    plan = policies.get_plan_for(acting, pk)
    grant = policies.get_audit_grant_for(acting, plan, grant_pk)
    services.audit_grant_end(actor=request.user, grant=grant)
    messages.success(request, _("The auditor no longer reads the plan."))
    return redirect("iap:plan_audit", pk=plan.pk)


@require_POST
def measure_add(request, pk):
    plan = policies.get_plan_for(request.acting, pk, write=True)
    form = MeasureForm(request.POST)
    if form.is_valid():
        try:
            services.measure_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The support measure has been added."))
    else:
        messages.error(request, _("Choose the measure and name its provider."))
    return redirect("iap:plan", pk=plan.pk)


@require_POST
def measure_remove(request, pk, measure_pk):
    plan = policies.get_plan_for(request.acting, pk, write=True)
    measure = get_object_or_404(plan.measures, pk=measure_pk)
    try:
        services.measure_remove(actor=request.user, measure=measure)
    except ValidationError as error:
        show_refusal(request, error)
    return redirect("iap:plan", pk=plan.pk)


@require_GET
def plan_history(request, pk):
    plan = policies.get_plan_for(request.acting, pk)
    if not policies.sees_whole_plan(request.acting, plan):
        raise PermissionDenied
    return render(
        request,
        "iap/plan_history.html",
        {"plan": plan, "changes": selectors.plan_history_changes(plan)},
    )


# --- Finding a mentor (IAP-3, REG-2, CAP-1) -----------------------------------------------


@require_GET
def plan_mentors(request, pk):
    plan = policies.get_plan_for(request.acting, pk, write=True)
    data = request.GET.copy()
    if "municipality" not in data:
        data["municipality"] = plan.learner.institution.municipality_id
    form = RegistrySearchForm(data)
    filters = form.cleaned_data if form.is_valid() else {}
    mentors = selectors.mentors_for_plan(
        request.acting,
        plan,
        municipality=filters.get("municipality"),
        name=filters.get("name", ""),
    )
    page = Paginator(mentors, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "iap/plan_mentors.html",
        {
            "plan": plan,
            "form": form,
            "page": page,
            "capacity": MAX_LEARNERS_PER_SEMESTER,
        },
    )


@require_http_methods(["GET", "POST"])
def plan_invite(request, pk):
    """IAP-3: confirm the invitation, with an optional message to the mentor."""
    plan = policies.get_plan_for(request.acting, pk, write=True)
    # The form posts the mentor it was opened for; the registry links with `?mentor=`.
    params = request.POST if request.method == "POST" else request.GET
    mentor = mentors_policies.get_mentor_for(request.acting, parsing.id_param(params, "mentor"))
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_send(
                actor=request.user, plan=plan, mentor=mentor, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(mentor)s has been invited. You will see the answer here and by email.")
                % {"mentor": mentor},
            )
            return redirect("iap:plan", pk=plan.pk)
    return render(request, "iap/plan_invite.html", {"plan": plan, "mentor": mentor, "form": form})


@require_POST
def invitation_withdraw(request, pk, invitation_pk):
    plan = policies.get_plan_for(request.acting, pk, write=True)
    invitation = get_object_or_404(plan.invitations, pk=invitation_pk)
    try:
        services.invitation_withdraw(actor=request.user, invitation=invitation)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The invitation has been withdrawn."))
    return redirect("iap:plan", pk=plan.pk)


@require_GET
def invitation_list(request):
    permissions.require_role(request.acting, Role.MENTOR)
    # Pending invitations always; plans and answers of this and later semesters, or of the
    # semester chosen: the page does not grow with the semesters a mentor has worked.
    semesters = semester_choice(request.GET.get("semestris"))
    invitations = list(
        selectors.invitation_list(request.acting).filter(
            Q(status=Invitation.Status.PENDING) | Q(plan__semester_id__in=semesters.shown_ids)
        )
    )
    return render(
        request,
        "iap/invitation_list.html",
        {
            "pending": [i for i in invitations if i.status == Invitation.Status.PENDING],
            "answered": [i for i in invitations if i.status != Invitation.Status.PENDING],
            "plans": selectors.plan_list(request.acting, semester_ids=semesters.shown_ids).filter(
                mentor__user=request.user
            ),
            "semester_choice": semesters,
        },
    )


@require_http_methods(["GET", "POST"])
def invitation_detail(request, pk):
    """IAP-3: the learner's profile without sensitive details, and the mentor's answer."""
    invitation = policies.get_invitation_for(request.acting, pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = request.POST.get("answer") == "accept"
        answer = services.invitation_accept if accept else services.invitation_decline
        try:
            answer(actor=request.user, invitation=invitation, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if accept:
                messages.success(
                    request,
                    _(
                        "Thank you! The school will contact you about the "
                        "contract and the agreement."
                    ),
                )
            else:
                messages.success(request, _("Your answer has been sent to the school."))
            return redirect("iap:invitations")
    plan = invitation.plan
    return render(
        request,
        "iap/invitation_detail.html",
        {
            "invitation": invitation,
            "plan": plan,
            "form": form,
            "age": plan.learner.age_on(plan.start_date),
        },
    )


# --- Contract and documents (CON, AGR) ----------------------------------------------------


@require_http_methods(["GET", "POST"])
def plan_contract(request, pk):
    plan = policies.get_plan_for(request.acting, pk, write=True)
    if plan.mentor is None:
        messages.error(request, _("Attach the contract after the mentor has accepted."))
        return redirect("iap:plan", pk=plan.pk)
    employers = mentor_services.allowed_employers(plan.learner.institution)
    existing = (
        Contract.objects.covering(plan.semester)
        .filter(mentor=plan.mentor, employer__in=employers)
        .select_related("employer", "semester__school_year", "school_year")
    )
    choice_form = ContractChoiceForm(
        request.POST if request.POST.get("action") == "attach" else None, contracts=existing
    )
    new_form = ContractForm(
        request.POST if request.POST.get("action") == "record" else None,
        request.FILES if request.POST.get("action") == "record" else None,
        employers=employers,
        semester=plan.semester,
    )
    if request.method == "POST":
        form = choice_form if request.POST.get("action") == "attach" else new_form
        if form.is_valid():
            try:
                if form is new_form:
                    data = form.cleaned_data
                    contract = mentor_services.contract_create(
                        actor=request.user,
                        mentor=plan.mentor,
                        employer=data["employer"],
                        school_year=plan.semester.school_year,
                        semester=None if data["period"] == ContractForm.YEAR else plan.semester,
                        contract_number=data["contract_number"],
                        signed_on=data["signed_on"],
                        background_check_date=data["background_check_date"],
                        background_check_by=data["background_check_by"],
                        signed_file=data["signed_file"],
                    )
                else:
                    contract = form.cleaned_data["contract"]
                services.plan_attach_contract(actor=request.user, plan=plan, contract=contract)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The contract is attached to the plan."))
                return redirect("iap:plan", pk=plan.pk)
    return render(
        request,
        "iap/plan_contract.html",
        {
            "plan": plan,
            "choice_form": choice_form,
            "new_form": new_form,
            "existing": existing,
        },
    )


@require_http_methods(["GET", "POST"])
def plan_documents(request, pk):
    """AGR-1..3: the application, the agreement's four fields, its printout and its scan."""
    plan = policies.get_plan_for(request.acting, pk, write=True)
    action = request.POST.get("action")
    application_label = (
        _("The learner's own application")
        if plan.learner_is_adult
        else _("The parent's or guardian's application")
    )
    # Two upload forms on one page: each its own ids, so that each label opens its own input.
    application_form = UploadForm(
        request.POST if action == "application" else None,
        request.FILES if action == "application" else None,
        label=application_label,
        auto_id="application_%s",
    )
    agreement_form = AgreementForm(request.POST if action == "agreement" else None, instance=plan)
    scan_form = UploadForm(
        request.POST if action == "scan" else None,
        request.FILES if action == "scan" else None,
        label=_("Scan of the signed agreement"),
        auto_id="scan_%s",
    )
    forms_by_action = {
        "application": (
            application_form,
            lambda d: services.plan_upload_application(
                actor=request.user, plan=plan, file=d["file"]
            ),
            _("The application is uploaded."),
        ),
        "agreement": (
            agreement_form,
            lambda d: services.plan_save_agreement(actor=request.user, plan=plan, **d),
            _("The agreement is saved: print it for signing."),
        ),
        "scan": (
            scan_form,
            lambda d: services.plan_upload_agreement_scan(
                actor=request.user, plan=plan, file=d["file"]
            ),
            _("The signed agreement is uploaded."),
        ),
    }
    if action in forms_by_action:
        form, call, success = forms_by_action[action]
        response = _service_form(request, form, call, success, ("iap:plan_documents", plan.pk))
        if response:
            return response
    return render(
        request,
        "iap/plan_documents.html",
        {
            "plan": plan,
            "application_form": application_form,
            "agreement_form": agreement_form,
            "scan_form": scan_form,
            "agreement_complete": services.agreement_is_complete(plan),
        },
    )


@require_GET
def agreement_pdf(request, pk):
    """AGR-2: the agreement filled in from the portal, A4, for signing by hand."""
    from weasyprint import HTML

    plan = policies.get_plan_for(request.acting, pk)
    if "agreement_pdf" not in policies.plan_documents_for(request.acting, plan):
        raise PermissionDenied
    html = render_to_string("pdf/agreement.html", {"plan": plan}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="vienosanas-{plan.pk}.pdf"'
    return response


# --- Submitting and approving (IAP-4, IAP-5) ----------------------------------------------


@require_POST
def plan_submit(request, pk):
    plan = policies.get_plan_for(request.acting, pk, write=True)
    try:
        services.plan_submit(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(
            request,
            _("The plan cannot be submitted yet: %(missing)s")
            % {"missing": " ".join(error.messages)},
        )
    else:
        messages.success(request, _("The plan has been submitted to the approver."))
    return redirect("iap:plan", pk=plan.pk)


@require_POST
def plan_decide(request, pk):
    plan = policies.get_plan_for(request.acting, pk)
    if not policies.can_decide_plan(request.acting, plan):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to return the plan."))
        return redirect("iap:plan", pk=plan.pk)
    try:
        if form.cleaned_data["decision"] == "approve":
            services.plan_approve(actor=request.user, plan=plan)
            messages.success(request, _("The plan is approved: mentoring can start."))
        else:
            services.plan_return(actor=request.user, plan=plan, reason=form.cleaned_data["reason"])
            messages.success(request, _("The plan has been returned to the preparer."))
    except ValidationError as error:
        show_refusal(request, error)
    return redirect("iap:plan", pk=plan.pk)


# --- During the semester (IAP-6, IAP-7, CAL-4) --------------------------------------------


def _active_plan_form(request, pk, form_class, call, success, texts):
    plan = policies.get_plan_for(request.acting, pk, write=True)
    form = form_class(request.POST or None, request.FILES or None)
    response = _service_form(
        request, form, lambda data: call(plan, data), success, ("iap:plan", plan.pk)
    )
    return response or render(
        request, "iap/plan_action.html", {"plan": plan, "form": form, **texts}
    )


@require_http_methods(["GET", "POST"])
def plan_hours(request, pk):
    """IAP-6"""
    return _active_plan_form(
        request,
        pk,
        HoursForm,
        lambda plan, d: services.plan_change_hours(actor=request.user, plan=plan, **d),
        _("The monthly hours have been changed."),
        {
            "title": _("Change the monthly hours"),
            "button": _("Change the hours"),
            "intro": _(
                "At most 20 academic hours a month. The change and its justification are "
                "kept in the plan's history."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_terminate(request, pk):
    """IAP-7"""
    return _active_plan_form(
        request,
        pk,
        TerminateForm,
        lambda plan, d: services.plan_terminate(actor=request.user, plan=plan, **d),
        _("The plan has been terminated."),
        {
            "title": _("Terminate the plan"),
            "button": _("Terminate the plan"),
            "danger": True,
            "intro": _(
                "A plan is terminated mid-semester only for a serious reason. Hours given "
                "until then are still paid, and the mentor still evaluates the plan."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_extend(request, pk):
    """CAL-4"""
    return _active_plan_form(
        request,
        pk,
        ExtendForm,
        lambda plan, d: services.plan_extend(actor=request.user, plan=plan, **d),
        _("The plan has been extended into the summer."),
        {
            "title": _("Extend into the summer"),
            "button": _("Extend the plan"),
            "intro": _(
                "When the learner has extra learning measures or re-examinations in the "
                "summer, mentoring may continue until they end. Attach the head's order."
            ),
        },
    )
