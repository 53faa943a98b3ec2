import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import FilteredRelation, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mentors.policies import own_mentor_entry
from skola_kopiena import parsing
from skola_kopiena.collation import latvian
from skola_kopiena.forms import show_refusal
from skola_kopiena.schools.calendar import current_semester
from skola_kopiena.schools.models import Semester

from . import policies, selectors, services
from .forms import ExportForm
from .models import PayrollRun

PAGE_SIZE = 50


def _first_day(year, month):
    # The URL's <year> and <month> converters admit only the project's years and 1..12.
    return datetime.date(year, month, 1)


@require_GET
def my_pay(request):
    """PAY-5: "Mana samaksa": the mentor's own hours and pay, per month and employer, with
    the status of each month and its reason; totals per semester."""
    mentor = own_mentor_entry(request.acting)
    # Named with their school year, read in the same query (one per semester otherwise).
    semesters = (
        Semester.objects.filter(plans__mentor=mentor)
        .select_related("school_year")
        .distinct()
        .order_by("-start_date")
    )
    chosen = parsing.single_value(request.GET, "semestris")
    if chosen is not None:
        semester = semesters.filter(pk=parsing.parse_id(chosen)).first()
        if semester is None:
            raise Http404
    else:
        today_semester = current_semester()
        semester = (
            semesters.filter(pk=today_semester.pk).first() if today_semester else None
        ) or semesters.first()
    context = {"semesters": semesters, "semester": semester}
    if semester is not None:
        context["pay"] = selectors.own_pay(mentor, semester)
    return render(request, "payroll/my_pay.html", context)


@require_GET
def payroll_index(request):
    """PAY-1: the payroll opens on the previous month."""
    acting = request.acting
    month = selectors.previous_month()
    if policies.closes_own_payroll(acting):
        return redirect("payroll:employer", acting.institution_id, month.year, month.month)
    if not policies.export_regions(acting):
        raise PermissionDenied
    return redirect("payroll:overview", month.year, month.month)


@require_GET
def payroll_overview(request, year, month):
    """PAY-3: project staff follow the employers of their region (national staff all): whose
    month is closed, with its hours and amount."""
    acting = request.acting
    if not policies.export_regions(acting):
        raise PermissionDenied
    first_day = _first_day(year, month)
    employers = (
        policies.payroll_employers_for(acting)
        .annotate(run=FilteredRelation("payroll_runs", condition=Q(payroll_runs__month=first_day)))
        .values("pk", "name", "run__closed_at", "run__hours", "run__amount")
        .order_by(latvian("name"), "pk")
    )
    page = Paginator(employers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "payroll/overview.html",
        {
            "month": first_day,
            "page": page,
            "export_form": ExportForm(acting=acting),
            **_neighbours(first_day),
        },
    )


def _neighbours(first_day):
    previous = selectors.month_start(first_day - datetime.timedelta(days=1))
    following = selectors.next_month_start(first_day)
    this_month = selectors.month_start(timezone.localdate())
    return {
        "previous_month": previous if previous.year >= parsing.FIRST_YEAR else None,
        "next_month": following if following <= this_month else None,
    }


@require_GET
def employer_payroll(request, pk, year, month):
    """PAY-1, PAY-3, PAY-6: "Darba samaksa" of one employer and month: per mentor the lines
    (frozen once the month is closed), and the months not payable yet, with their reasons."""
    acting = request.acting
    employer = policies.get_employer_for(acting, pk)
    first_day = _first_day(year, month)
    run = (
        PayrollRun.objects.filter(employer=employer, month=first_day)
        .select_related("closed_by")
        .first()
    )
    rates = selectors.RateTable()  # read once for both lists below
    lines = (
        selectors.run_lines(run) if run else selectors.owed_lines([employer.pk], first_day, rates)
    )
    return render(
        request,
        "payroll/employer.html",
        {
            "employer": employer,
            "month": first_day,
            "run": run,
            "mentors": selectors.by_mentor(lines),
            "total_hours": sum(line.hours for line in lines),
            "total_amount": sum(line.amount or 0 for line in lines),
            "not_payable": selectors.not_payable(employer, first_day, rates=rates),
            "can_close": policies.can_close_payroll(acting, employer),
            "closable": selectors.is_over(first_day),
            "export_form": ExportForm(),
            **_neighbours(first_day),
        },
    )


@require_POST
def payroll_close(request, pk, year, month):
    """PAY-6: close the month for payroll, once; a second click changes nothing and says so."""
    acting = request.acting
    employer = policies.get_employer_for(acting, pk)
    if not policies.can_close_payroll(acting, employer):
        raise PermissionDenied
    first_day = _first_day(year, month)
    try:
        (closing,) = services.payroll_close(
            actor=request.user, employers=[employer], month=first_day
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        run = closing.run
        if closing.closed_now:
            messages.success(
                request,
                _("Closed for payroll: %(month)s, %(hours)s hours, %(amount)s EUR.")
                % {
                    "month": date_format(first_day, "F Y"),
                    "hours": run.hours,
                    "amount": number_format(run.amount, 2, force_grouping=True),
                },
            )
        else:
            messages.info(
                request,
                _("%(month)s had already been closed for payroll on %(date)s: nothing has changed.")
                % {
                    "month": date_format(first_day, "F Y"),
                    "date": date_format(timezone.localtime(run.closed_at), "SHORT_DATETIME_FORMAT"),
                },
            )
    return redirect("payroll:employer", employer.pk, year, month)


@require_POST
def employer_export(request, pk, year, month):
    """A closed run as XLSX or CSV, made in the background."""
    acting = request.acting
    employer = policies.get_employer_for(acting, pk)
    first_day = _first_day(year, month)
    form = ExportForm(request.POST)
    if not PayrollRun.objects.filter(employer=employer, month=first_day).exists():
        messages.error(
            request, _("Close the month for payroll first: only closed months are exported.")
        )
        return redirect("payroll:employer", employer.pk, year, month)
    if not form.is_valid():
        raise Http404
    export = services.payroll_export_request(
        actor=request.user,
        acting=acting,
        month=first_day,
        file_format=form.cleaned_data["file_format"],
        employer=employer,
    )
    return redirect("payroll:export", export.pk)


@require_POST
def region_export(request, year, month):
    """PAY-3: the closed runs of a region (national staff: of the country), one sheet per
    employer."""
    acting = request.acting
    if not policies.export_regions(acting):
        raise PermissionDenied
    form = ExportForm(request.POST, acting=acting)
    if not form.is_valid():
        raise Http404
    export = services.payroll_export_request(
        actor=request.user,
        acting=acting,
        month=_first_day(year, month),
        file_format=form.cleaned_data["file_format"],
        region=form.cleaned_data["region"],
    )
    return redirect("payroll:export", export.pk)


@require_GET
def export_detail(request, pk):
    """The export's progress; the file once it is ready."""
    export = policies.get_export_for(request.acting, pk)
    return render(request, "payroll/export.html", {"export": export})
