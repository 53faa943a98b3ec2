"""The school calendar: may mentoring take place on a given day? (CAL-1, CAL-2, CAL-3), and
which days are working days in Latvia.

Plans (CAL-4, summer extensions) build on `semester_dates` and `mentoring_allowed`.
"""

import datetime
import functools
from dataclasses import dataclass

import holidays
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Institution, InstitutionSemester, SchoolBreak, Semester

# CAL-1: mentoring runs from January 2026 to the end of the project.
MENTORING_FIRST_DAY = datetime.date(2026, 1, 1)
PROJECT_LAST_DAY = datetime.date(2029, 8, 31)


@dataclass(frozen=True)
class CalendarAnswer:
    allowed: bool
    reason: str
    code: str
    semester: Semester | None = None

    def __bool__(self):
        return self.allowed


def semester_dates(semester, institution, grade=None):
    """CAL-2: the first and last day of `semester` for a learner of `institution` in `grade`.

    A vocational institution's own dates win; otherwise the national dates, whose second
    semester ends by grade.
    """
    if institution.sets_own_semesters:
        own = InstitutionSemester.objects.filter(institution=institution, semester=semester).first()
        if own:
            return own.start_date, own.end_date
    return semester.start_date, semester.end_for_grade(grade)


def semester_containing(day, institution, grade=None):
    """The semester whose dates (for this institution and grade) include `day`, or None."""
    candidates = Semester.objects.filter(
        start_date__lte=day + datetime.timedelta(days=62),
        school_year__end_date__gte=day - datetime.timedelta(days=62),
    ).select_related("school_year")
    for semester in candidates:
        start, end = semester_dates(semester, institution, grade)
        if start <= day <= end:
            return semester
    return None


def mentoring_allowed(*, day: datetime.date, institution: Institution, grade=None):
    """CAL-1, CAL-3: mentoring is allowed on any day inside a semester (weekends and the
    autumn and spring breaks included), never between semesters or outside the project."""
    if day < MENTORING_FIRST_DAY:
        return CalendarAnswer(
            False,
            _("Mentoring starts on %(date)s.") % {"date": date_format(MENTORING_FIRST_DAY)},
            "CAL-1",
        )
    if day > PROJECT_LAST_DAY:
        return CalendarAnswer(
            False,
            _("The project ends on %(date)s.") % {"date": date_format(PROJECT_LAST_DAY)},
            "CAL-1",
        )
    semester = semester_containing(day, institution, grade)
    if semester is not None:
        return CalendarAnswer(True, "", "CAL-3", semester)
    school_break = SchoolBreak.objects.filter(start_date__lte=day, end_date__gte=day).first()
    if school_break is not None:
        reason = _("%(date)s falls in the %(break)s: there is no mentoring between semesters.") % {
            "date": date_format(day),
            "break": school_break.get_kind_display(),
        }
    else:
        reason = _("%(date)s is outside every semester: there is no mentoring then.") % {
            "date": date_format(day)
        }
    return CalendarAnswer(False, reason, "CAL-3")


def current_semester(day=None):
    """The semester under way on `day` (today), or else the next one to start."""
    from django.utils import timezone

    day = day or timezone.localdate()
    # One query: of the semesters under way (for some grade) or still to start, the earliest.
    under_way = Q(start_date__lte=day) & (
        Q(end_date__gte=day) | Q(end_date_grade_9__gte=day) | Q(end_date_grade_12__gte=day)
    )
    return Semester.objects.filter(under_way | Q(start_date__gt=day)).order_by("start_date").first()


@dataclass(frozen=True)
class SemesterChoice:
    """Which semesters a list shows: one chosen in `?semestris=<id>`, else the one under way
    and those after it, so that a list does not grow with the years behind it."""

    semesters: list  # every semester, newest first, to choose from
    chosen: Semester | None
    shown: list
    default_label: str = ""  # what the list shows when none is chosen, in words

    @property
    def shown_ids(self):
        return [semester.pk for semester in self.shown]


def semester_choice(value, day=None, *, with_previous=False):
    """The semesters to show for the `semestris` value of a list's filter (one query); by
    default the one under way and later ones, and `with_previous` the one before too (the
    evaluations of a semester are written after it ends)."""
    from django.utils import timezone

    day = day or timezone.localdate()
    semesters = list(Semester.objects.select_related("school_year").order_by("-start_date"))
    chosen = next((s for s in semesters if str(s.pk) == value), None)
    if chosen is not None:
        return SemesterChoice(semesters, chosen, [chosen])
    # The semester under way, else (in the summer) the last one to have started, whose plans
    # may be extended into it (CAL-4); before any has started, all of them.
    started = [s for s in semesters if s.start_date <= day]
    first = 1 if with_previous else 0
    since = started[min(first, len(started) - 1)].start_date if started else datetime.date.min
    shown = [s for s in semesters if s.start_date >= since]
    label = (
        _("The previous, this and later semesters")
        if with_previous
        else _("This and later semesters")
    )
    return SemesterChoice(semesters, None, shown, label)


# --- Working days (reminders) ------------------------------------------------------------


@functools.cache
def _latvian_holidays(year):
    # Latvia moves some days off onto a Saturday, which is then a working day: the package
    # knows both, so a weekday check would be wrong on those days.
    return holidays.country_holidays("LV", years=range(year - 1, year + 2))


def nth_working_day(day, n):
    """The n-th Latvian working day after `day` (before it if n < 0; n = 0: `day` itself if
    it is a working day, else the next one)."""
    return _latvian_holidays(day.year).get_nth_working_day(day, n)


def first_working_day_of_month(day):
    return nth_working_day(day.replace(day=1), 0)
