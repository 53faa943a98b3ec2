import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from iap.forms import UploadForm
from iap.models import Plan
from skola_kopiena import parsing
from skola_kopiena.accounts.models import AccessLog
from skola_kopiena.accounts.services import access_log_record
from skola_kopiena.forms import add_service_errors, show_refusal

from . import policies, selectors, services
from .forms import EntryForm, MonthDecisionForm
from .models import DiaryEntry, DiaryMonth, month_start

# IAP-5: the diary of a plan is kept while it is approved (and up to its termination).
MENTORING_STATUSES = (Plan.Status.APPROVED, Plan.Status.TERMINATED)


def _first_day(year, month):
    # The URL's <year> and <month> converters admit only the project's years and 1..12.
    return datetime.date(year, month, 1)


def _month_url(plan, day):
    return ("diary:month", plan.pk, day.year, day.month)


@require_http_methods(["GET"])
def diary_current(request, plan_pk):
    plan = policies.get_diary_plan_for(request.acting, plan_pk)
    today = timezone.localdate()
    day = min(max(today, plan.start_date), plan.last_mentoring_day)
    return redirect(*_month_url(plan, day))


@require_http_methods(["GET"])
def diary_month(request, plan_pk, year, month):
    acting = request.acting
    plan = policies.get_diary_plan_for(acting, plan_pk)
    first_day = _first_day(year, month)
    access = policies.diary_access(acting, plan)
    own = policies.is_own_diary(acting, plan)
    record = (
        DiaryMonth.objects.filter(plan=plan, month=first_day).select_related("decided_by").first()
    )
    if policies.reads_diary_content(acting, plan):  # ACC-1
        access_log_record(
            acting=acting, action=AccessLog.Action.READ_DIARY, obj=plan, month=first_day
        )
    entries = selectors.month_entries(access, plan, first_day)
    used = services.plan_hours_in_month(plan, first_day)
    # Only what can be done is offered: planning, editing and the month end.
    refusal = selectors.mentor_month_refusal(plan, first_day, record) if own else None
    today = timezone.localdate()
    context = {
        "plan": plan,
        "first_day": first_day,
        "entries": entries,
        "record": record,
        "access": access,
        "fields": policies.diary_fields(access),
        "own": own,
        "months": selectors.plan_months(plan),
        "used": used,
        "planned": services.month_limit(plan),
        # DIA-7: confirming is offered from the month's last day on.
        "confirm_offered": timezone.localdate() >= services.month_confirmable_from(first_day),
        "problems": services.month_problems(plan, first_day) if own and not refusal else [],
        "scan_form": UploadForm(label=_("Scan of the signed timesheet")),
        "decision_form": MonthDecisionForm(),
        "can_decide": policies.can_decide_month(acting, plan),
        "can_reopen": policies.can_reopen_month(acting, plan),
        "locked": bool(record and record.is_locked_for_mentor),
        "writable": own and refusal is None,
        "refusal": refusal,
        # A month still ahead is planned; this month and earlier ones are recorded in.
        "month_ahead": first_day > today,
        "now": timezone.now(),
    }
    return render(request, "diary/month.html", context)


def _own_plan(request, plan_pk):
    plan = policies.get_diary_plan_for(request.acting, plan_pk)
    if not policies.is_own_diary(request.acting, plan):
        raise PermissionDenied
    return plan


def _entry_fields(data):
    return {
        name: data[name]
        for name in ("date", "start_time", "end_time", "place", "topic", "result", "comment")
    }


def _form_value(form, name):
    """The value a field of the form shows (typed, or initial), as a Python value; None if
    empty or not valid."""
    value = form[name].value()
    if isinstance(value, str):
        try:
            value = form.fields[name].clean(value)
        except ValidationError:
            return None
    return value or None


def _entry_page(request, plan, form, entry=None, refusal=None):
    """The entry form with its title following the date (a meeting held or started:
    recorded; one still ahead: planned) and the hours of its times (DIA-4), as the live
    script shows them."""
    now = timezone.localtime()
    date, start, end = (_form_value(form, n) for n in ("date", "start_time", "end_time"))
    ahead = bool(date) and (
        date > now.date() or (date == now.date() and start is not None and start > now.time())
    )
    hours = minutes = None
    if date and start and end:
        _starts_at, _ends_at, hours, minutes = services.meeting_span(date, start, end)
    return render(
        request,
        "diary/entry_form.html",
        {
            "plan": plan,
            "form": form,
            "entry": entry,
            "ahead": ahead,
            "hours": hours,
            "minutes": minutes,
            "now": now,
            "refusal": refusal,
        },
    )


@require_http_methods(["GET", "POST"])
def entry_new(request, plan_pk):
    """DIA-2, DIA-3: record a meeting held, or plan one."""
    plan = _own_plan(request, plan_pk)
    day = parsing.mentoring_date_param(request.GET, "datums")
    initial = {"date": day or timezone.localdate()}
    if day is None:
        # From the dashboard: a meeting that has just ended.
        times = selectors.just_held_meeting(plan, timezone.localtime())
        if times:
            initial["start_time"], initial["end_time"] = times
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "GET" and plan.status not in MENTORING_STATUSES:
        # Before the plan is approved (or once it is closed) there is nothing to record.
        refusal = selectors.mentor_month_refusal(plan, month_start(initial["date"]), None)
        return _entry_page(request, plan, form, refusal=refusal)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(
                actor=request.user, plan=plan, **_entry_fields(form.cleaned_data)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The meeting is in the diary: %(hours)s academic hours.")
                % {"hours": entry.hours},
            )
            return redirect(*_month_url(plan, entry.date))
    return _entry_page(request, plan, form)


@require_http_methods(["GET", "POST"])
def entry_edit(request, pk):
    """DIA-7: correct a meeting, or fill in its result after it."""
    entry = DiaryEntry.objects.select_related("plan").filter(pk=pk).first()
    if entry is None:
        raise Http404
    plan = _own_plan(request, entry.plan_id)
    form = EntryForm(request.POST or None, instance=entry)
    # An entry of a locked month (or a closed plan) is shown, not offered for changes.
    record = DiaryMonth.objects.filter(plan=plan, month=month_start(entry.date)).first()
    refusal = selectors.mentor_month_refusal(plan, month_start(entry.date), record)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_update(
                actor=request.user, entry=entry, **_entry_fields(form.cleaned_data)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The entry has been saved."))
            return redirect(*_month_url(plan, entry.date))
    return _entry_page(request, plan, form, entry, refusal)


@require_POST
def entry_delete(request, pk):
    entry = DiaryEntry.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404
    plan = _own_plan(request, entry.plan_id)
    try:
        services.entry_delete(actor=request.user, entry=entry)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The meeting has been deleted from the diary."))
    return redirect(*_month_url(plan, entry.date))


@require_POST
def month_scan(request, plan_pk, year, month):
    """TS-3"""
    plan = _own_plan(request, plan_pk)
    first_day = _first_day(year, month)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.month_upload_scan(
                actor=request.user, plan=plan, month=first_day, file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The timesheet scan is uploaded."))
    else:
        for message in form.errors.get("file", []):
            messages.error(request, message)
    return redirect(*_month_url(plan, first_day))


@require_POST
def month_confirm(request, plan_pk, year, month):
    """DIA-7, DIA-8"""
    plan = _own_plan(request, plan_pk)
    first_day = _first_day(year, month)
    try:
        diary_month = services.month_confirm(actor=request.user, plan=plan, month=first_day)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("The month is confirmed with %(hours)s hours and sent for approval.")
            % {"hours": diary_month.hours},
        )
    return redirect(*_month_url(plan, first_day))
