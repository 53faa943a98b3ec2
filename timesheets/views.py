import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from diary import policies as diary_policies
from diary import selectors as diary_selectors
from diary.forms import MonthDecisionForm
from diary.models import DiaryMonth, month_start
from iap import policies as iap_policies
from skola_kopiena.accounts.models import AccessLog
from skola_kopiena.accounts.services import access_log_record, access_log_record_many
from skola_kopiena.forms import add_service_errors, show_refusal
from skola_kopiena.paging import page_of
from skola_kopiena.schools.calendar import current_semester

from . import policies, selectors, services
from .forms import VerificationFilterForm, VerificationForm

# Months with their meetings are long cards: a page of them is enough to work through.
QUEUE_PAGE_SIZE = 20


@require_GET
def approval_queue(request):
    """APR-1, APR-2: the months waiting for the employer's approval."""
    if not diary_policies.can_use_approval_queue(request.acting):
        raise PermissionDenied
    return _queue(request)


def _queue(request, refused=None):
    """The queue's page; `refused` ({pk, messages, reason}): a decision on one of its months
    that was refused, said at that month's reason box with what was typed there."""
    page = page_of(
        selectors.approval_queue(request.acting), request.GET.get("page"), QUEUE_PAGE_SIZE
    )
    months = selectors.with_approval_entries(page.object_list)
    # ACC-1: the approver reads these months' diaries.
    access_log_record_many(
        acting=request.acting, action=AccessLog.Action.APPROVAL_QUEUE, objs=months
    )
    return render(
        request,
        "timesheets/queue.html",
        {
            "page": page,
            "months": months,
            "day": request.acting.membership.institution.hours_approval_day,
            "form": MonthDecisionForm(),
            "refused": refused,
        },
    )


def _month_for(request, pk):
    diary_month = DiaryMonth.objects.select_related("plan__contract").filter(pk=pk).first()
    if diary_month is None:
        raise Http404
    iap_policies.get_plan_for(request.acting, diary_month.plan_id)  # 404 outside the scope
    return diary_month


def _back(diary_month):
    return redirect(
        "diary:month", diary_month.plan_id, diary_month.month.year, diary_month.month.month
    )


@require_POST
def month_decide(request, pk):
    """APR-1, APR-3: approve, or return with a reason."""
    diary_month = _month_for(request, pk)
    if not diary_policies.can_decide_month(request.acting, diary_month.plan):
        raise PermissionDenied
    form = MonthDecisionForm(request.POST)
    form.is_valid()
    try:
        if request.POST.get("decision") == "approve":
            services.month_approve(actor=request.user, diary_month=diary_month)
            messages.success(request, _("The hours are approved."))
        else:
            services.month_return(
                actor=request.user,
                diary_month=diary_month,
                reason=form.cleaned_data.get("reason", ""),
            )
            messages.success(request, _("The month has been returned to the mentor."))
    except ValidationError as error:
        # Said at that month's reason on the same page (its other months' forms around it).
        refused = {
            "pk": diary_month.pk,
            "messages": error.messages,
            "reason": request.POST.get("reason", ""),
        }
        return _queue(request, refused)
    query = request.GET.urlencode()  # the page of the queue the decision was made on
    return redirect(f"{reverse('timesheets:queue')}{'?' + query if query else ''}")


@require_POST
def month_reopen(request, pk):
    """APR-3"""
    diary_month = _month_for(request, pk)
    if not diary_policies.can_reopen_month(request.acting, diary_month.plan):
        raise PermissionDenied
    form = MonthDecisionForm(request.POST)
    form.is_valid()
    try:
        services.month_reopen(
            actor=request.user, diary_month=diary_month, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The month is open again for the mentor's corrections."))
    return _back(diary_month)


@require_GET
def timesheet_pdf(request, plan_pk):
    """TS-1, TS-2, TS-4, TS-5: the semester's timesheet, filled in from the diary as far as
    the acting role may see it (DIA-6: the preparer's is the blank form)."""
    from weasyprint import HTML

    acting = request.acting
    plan = diary_policies.get_diary_plan_for(acting, plan_pk)
    if diary_policies.reads_diary_content(acting, plan):
        access_log_record(acting=acting, action=AccessLog.Action.PRINT_TIMESHEET, obj=plan)
    now = timezone.now()
    access = diary_policies.diary_access(acting, plan)
    held = selectors.timesheet_rows(access, plan, now)
    filled = bool(diary_policies.diary_fields(access))
    if filled:
        blank_rows = max(plan.diary_entries.filter(starts_at__gt=now).count(), 4)
    else:
        blank_rows = BLANK_FORM_ROWS
    html = render_to_string(
        "pdf/timesheet.html",
        {
            "plan": plan,
            "held": held,
            "filled": filled,
            "blank_rows": range(blank_rows),
            "total": sum(e["hours"] for e in held),
            "printed": now,
        },
    )
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="grafiks-{plan.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# The blank form's rows: a semester of weekly meetings (DIA-11).
BLANK_FORM_ROWS = 20


# --- Verification of the hours against the diary (APR-4) ---------------------------------

VERIFICATION_PAGE_SIZE = 50


@require_GET
def verification_list(request):
    """APR-4 "Stundu pārbaude": the months of the staff member's regions to check, filtered,
    or a random sample of approved ones for a spot check."""
    acting = request.acting
    if not policies.can_see_verification(acting):
        raise PermissionDenied
    today = timezone.localdate()
    form = VerificationFilterForm(
        request.GET or None, employers=policies.verification_employers(acting), today=today
    )
    sample = form.sample()
    if sample and not request.GET.get("sekla"):
        # A new sample gets its own seed in the address: reloading or sharing it shows the
        # same months.
        query = request.GET.copy()
        query["sekla"] = secrets.randbelow(10**6) + 1
        return redirect(f"{request.path}?{query.urlencode()}")
    semester = current_semester(today)
    since = form.since(month_start(semester.start_date) if semester else month_start(today))
    months = selectors.verification_months(acting, since=since, **form.filters())
    if sample:
        size, seed = sample
        page = None
        shown = list(selectors.verification_sample(months, size, seed))
    else:
        page = Paginator(months, VERIFICATION_PAGE_SIZE).get_page(request.GET.get("page"))
        shown = page.object_list
    return render(
        request,
        "timesheets/verification_list.html",
        {"form": form, "page": page, "months": shown, "sample": sample, "since": since},
    )


def _back_to_list(url):
    """The list the month was opened from (its filters or sample kept): a path of this site
    only, never another site or a script in a link."""
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return reverse("timesheets:verification")


@require_http_methods(["GET", "POST"])
def verification_month(request, pk):
    """APR-4: a month's full diary beside its signed timesheet, and the check's outcome."""
    acting = request.acting
    if not policies.can_see_verification(acting):
        raise PermissionDenied
    diary_month = (
        policies.verifiable_months_for(acting)
        .filter(pk=pk, status__in=services.VERIFIABLE)
        .select_related(
            "plan__learner__institution",
            "plan__mentor",
            "plan__contract__employer",
            "plan__semester__school_year",
            "verification__checked_by",
            "decided_by",
        )
        .first()
    )
    if diary_month is None:
        raise Http404
    verification = getattr(diary_month, "verification", None)
    form = VerificationForm(
        request.POST or None,
        initial={"outcome": verification.outcome, "finding": verification.finding}
        if verification
        else None,
    )
    if request.method == "POST":
        if not policies.can_verify_hours(acting):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.month_verify(
                    actor=request.user,
                    diary_month=diary_month,
                    outcome=form.cleaned_data["outcome"],
                    finding=form.cleaned_data["finding"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The check of the hours is recorded."))
                return redirect(_back_to_list(request.POST.get("next")))
    plan = diary_month.plan
    # ACC-1: the staff member reads the month's diary.
    access_log_record(
        acting=acting, action=AccessLog.Action.READ_DIARY, obj=plan, month=diary_month.month
    )
    return render(
        request,
        "timesheets/verification_month.html",
        {
            "diary_month": diary_month,
            "plan": plan,
            "entries": diary_selectors.month_entries(
                diary_policies.DIARY_FULL, plan, diary_month.month
            ),
            "verification": verification,
            "form": form,
            "can_verify": policies.can_verify_hours(acting),
            "next": _back_to_list(request.GET.get("next")),
        },
    )


@require_GET
def verification_findings(request):
    """APR-4: the findings of the staff member's regions, per employer."""
    if not policies.can_see_verification(request.acting):
        raise PermissionDenied
    return render(
        request,
        "timesheets/findings.html",
        {"employers": selectors.findings_by_employer(request.acting)},
    )
