from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diary import policies as diary_policies
from diary.forms import MonthDecisionForm
from diary.models import DiaryMonth
from iap import policies as iap_policies
from skola_kopiena.accounts.models import AccessLog
from skola_kopiena.accounts.services import access_log_record, access_log_record_many
from skola_kopiena.forms import show_refusal
from skola_kopiena.paging import page_of

from . import selectors, services

# Months with their meetings are long cards: a page of them is enough to work through.
QUEUE_PAGE_SIZE = 20


@require_GET
def approval_queue(request):
    """APR-1, APR-2: the months waiting for the employer's approval."""
    if not diary_policies.can_use_approval_queue(request.acting):
        raise PermissionDenied
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
        show_refusal(request, error)
    return redirect("timesheets:queue")


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
