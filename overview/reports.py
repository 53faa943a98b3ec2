"""The reporting exports: support plans, hours per month and mentors of a semester or a school
year, and the access log, as sheets for `skola_kopiena.exports`. Learners appear by plan number
and year of birth only (ACC-3); each sheet is read in a fixed number of queries, whatever its
size."""

import datetime

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from diary.models import DiaryMonth
from iap.models import Plan
from mentors.models import MAX_LEARNERS_PER_SEMESTER, Mentor
from payroll.models import PayrollLine
from skola_kopiena.accounts.permissions import access_log_for
from skola_kopiena.collation import latvian
from skola_kopiena.exports import DATE, DATETIME, INTEGER, MONTH, Column, Sheet
from skola_kopiena.schools.models import Semester

from . import policies
from .models import ReportExport
from .selectors import ROW_REGION, of_regions

COUNTED = [DiaryMonth.Status.CONFIRMED, DiaryMonth.Status.APPROVED]


def _semesters(export):
    if export.semester_id:
        return [export.semester]
    return list(Semester.objects.filter(school_year=export.school_year_id).order_by("start_date"))


def _region_ids(export, acting):
    """The export's region, or every region the role sees (None: all of them)."""
    if export.region_id:
        return [export.region_id]
    return policies.overview_region_ids(acting)


def _yes(value):
    return _("yes") if value else _("no")


def plans_sheet(region_ids, semesters):
    plans = (
        Plan.objects.filter(of_regions(region_ids), semester__in=semesters)
        .select_related(
            "learner__institution__municipality__region",
            "semester__school_year",
            "mentor",
            "contract__employer",
        )
        .prefetch_related("risks")
        .order_by("semester__start_date", latvian("learner__institution__name"), "pk")
    )
    columns = [
        Column(_("Support plan No."), INTEGER),
        Column(_("Semester")),
        Column(_("Region")),
        Column(_("Municipality")),
        Column(_("Institution")),
        Column(_("Learner's year of birth"), INTEGER),
        Column(_("Grade or course"), INTEGER),
        Column(_("Module")),
        Column(_("Module I category")),
        Column(_("Module II risks")),
        Column(_("Status")),
        Column(_("Mentor")),
        Column(_("Certificate number")),
        Column(_("Employer")),
        Column(_("Start date"), DATE),
        Column(_("Last day of mentoring"), DATE),
        Column(_("Planned academic hours a month"), INTEGER),
    ]
    rows = []
    for plan in plans:
        learner = plan.learner
        institution = learner.institution
        rows.append(
            (
                plan.pk,
                str(plan.semester),
                str(institution.municipality.region),
                str(institution.municipality),
                institution.name,
                learner.birth_date.year,
                learner.grade or learner.course,
                plan.module,
                plan.get_category_display() if plan.category else "",
                ", ".join(str(risk.get_risk_display()) for risk in plan.risks.all()),
                str(plan.get_status_display()),
                plan.mentor.full_name if plan.mentor else "",
                plan.mentor.certificate_number if plan.mentor else "",
                plan.contract.employer.name if plan.contract else "",
                plan.start_date,
                plan.last_mentoring_day,
                plan.monthly_hours,
            )
        )
    return Sheet(_("Support plans"), columns, rows)


def hours_sheet(region_ids, semesters):
    paid = (
        PayrollLine.objects.filter(diary_month=OuterRef("pk"))
        .order_by()
        .values("diary_month")
        .annotate(hours=Sum("hours"))
        .values("hours")
    )
    months = (
        DiaryMonth.objects.filter(of_regions(region_ids, ROW_REGION), plan__semester__in=semesters)
        .select_related(
            "plan__learner__institution__municipality__region",
            "plan__mentor",
            "plan__contract__employer",
        )
        .annotate(paid=Coalesce(Subquery(paid), 0))
        .order_by("month", "plan_id")
    )
    columns = [
        Column(_("Support plan No."), INTEGER),
        Column(_("Month"), MONTH),
        Column(_("Region")),
        Column(_("Institution")),
        Column(_("Mentor")),
        Column(_("Employer")),
        Column(_("Planned academic hours"), INTEGER),
        Column(_("Status")),
        Column(_("Confirmed academic hours"), INTEGER),
        Column(_("Paid academic hours"), INTEGER),
    ]
    rows = [
        (
            month.plan_id,
            month.month,
            str(month.plan.learner.institution.municipality.region),
            month.plan.learner.institution.name,
            month.plan.mentor.full_name if month.plan.mentor else "",
            month.plan.contract.employer.name if month.plan.contract else "",
            month.plan.monthly_hours,
            str(month.get_status_display()),
            month.hours if month.status in COUNTED else None,
            month.paid,
        )
        for month in months
    ]
    return Sheet(_("Hours per month"), columns, rows)


def mentors_sheet(region_ids, semesters):
    def plans_of_mentor(**filters):
        return Plan.objects.filter(mentor=OuterRef("pk"), **filters).order_by().values("mentor")

    learners = plans_of_mentor(semester=semesters[-1]).annotate(n=Count("pk")).values("n")
    plans = plans_of_mentor(semester__in=semesters).annotate(n=Count("pk")).values("n")
    hours = (
        DiaryMonth.objects.filter(
            plan__mentor=OuterRef("pk"), plan__semester__in=semesters, status__in=COUNTED
        )
        .order_by()
        .values("plan__mentor")
        .annotate(hours=Sum("hours"))
        .values("hours")
    )
    mentors = (
        Mentor.objects.filter(of_regions(region_ids, "region_id"))
        .select_related("region")
        .prefetch_related("municipalities")
        .annotate(
            learners=Coalesce(Subquery(learners), 0),
            plans_in_period=Coalesce(Subquery(plans), 0),
            hours=Coalesce(Subquery(hours), 0),
        )
        .order_by(latvian("last_name"), latvian("first_name"), "pk")
    )
    columns = [
        Column(_("Mentor")),
        Column(_("Certificate number")),
        Column(_("Region")),
        Column(_("Municipalities where the mentor is ready to work")),
        Column(_("Available")),
        Column(_("In the search")),
        Column(
            _("Learners in %(semester)s (of %(max)s)")
            % {"semester": semesters[-1], "max": MAX_LEARNERS_PER_SEMESTER},
            INTEGER,
        ),
        Column(_("Support plans in the period"), INTEGER),
        Column(_("Confirmed academic hours"), INTEGER),
    ]
    rows = [
        (
            mentor.full_name,
            mentor.certificate_number,
            str(mentor.region),
            ", ".join(sorted(str(m) for m in mentor.municipalities.all())),
            _yes(mentor.is_available),
            _yes(mentor.is_searchable),
            mentor.learners,
            mentor.plans_in_period,
            mentor.hours,
        )
        for mentor in mentors
    ]
    return Sheet(_("Mentors"), columns, rows)


SHEETS = {
    ReportExport.Kind.PLANS: plans_sheet,
    ReportExport.Kind.HOURS: hours_sheet,
    ReportExport.Kind.MENTORS: mentors_sheet,
}


def report_sheets(export, acting):
    """The export's one sheet, for the regions the role that asked for it sees now."""
    return [SHEETS[export.kind](_region_ids(export, acting), _semesters(export))]


def access_log_sheets(export, acting):
    """ACC-1: who read which diary, evaluation or file, when and in which role, in the role's
    regions (national staff: all), from the first to the last day of the export (Riga time)."""
    start = timezone.make_aware(datetime.datetime.combine(export.since, datetime.time()))
    end = timezone.make_aware(
        datetime.datetime.combine(export.until + datetime.timedelta(days=1), datetime.time())
    )
    entries = access_log_for(acting).filter(at__gte=start, at__lt=end)
    if export.action:
        entries = entries.filter(action=export.action)
    columns = [
        Column(_("Time"), DATETIME),
        Column(_("Reader")),
        Column(_("Role")),
        Column(_("What was done")),
        Column(_("What was read")),
        Column(_("Support plan No."), INTEGER),
        Column(_("Mentor")),
        Column(_("Month"), MONTH),
        Column(_("Region")),
    ]
    rows = [
        (
            entry.at,
            f"{entry.user} ({entry.user.email})",
            str(entry.get_role_display()),
            str(entry.get_action_display()),
            entry.object_repr,
            entry.plan_pk,
            entry.mentor_name,
            entry.month,
            str(entry.region) if entry.region_id else "",
        )
        for entry in entries.select_related("user", "region").order_by("at", "pk")
    ]
    return [Sheet(_("Access log"), columns, rows)]
