"""The mentor's diary: every rule of an entry and of the month end (DIA, CAP-2, CAP-3)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from iap.models import MAX_MONTHLY_HOURS, Plan
from iap.services import plan_allows_mentoring
from skola_kopiena.services import field_error, refused_by_constraint, service

from . import tasks
from .models import DiaryEntry, DiaryMonth, academic_hours, month_start, next_month_start

# DIA-9: mentoring is in person only; these words name a remote meeting, not a place.
REMOTE_PLACE = re.compile(
    r"tiešsaist|tiessaist|attālin|attalin|online|on-line|zoom|teams|skype|google meet|"
    r"\bmeet\b|discord|whatsapp|messenger|viber|telegram|video|telefon|e-past|virtuāl|virtual",
    re.IGNORECASE,
)


def meeting_span(date, start_time, end_time):
    """(starts_at, ends_at, hours) of a meeting; an end at 00:00 is midnight (DIA-4)."""
    zone = timezone.get_current_timezone()
    starts_at = datetime.datetime.combine(date, start_time, tzinfo=zone)
    end_date = date + datetime.timedelta(days=1) if end_time == datetime.time(0) else date
    ends_at = datetime.datetime.combine(end_date, end_time, tzinfo=zone)
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    return starts_at, ends_at, academic_hours(minutes), minutes


def _hours_in_month(entries, day, exclude):
    first = month_start(day)
    entries = entries.filter(date__gte=first, date__lt=next_month_start(first))
    if exclude is not None:
        entries = entries.exclude(pk=exclude.pk)
    return sum(entries.values_list("hours", flat=True))


def hours_in_month(learner, day, exclude=None):
    """CAP-2: planned and held hours of the learner in the calendar month of `day`."""
    return _hours_in_month(DiaryEntry.objects.filter(plan__learner=learner), day, exclude)


def plan_hours_in_month(plan, day, exclude=None):
    """CAP-2: planned and held hours of this plan's diary in the calendar month of `day`."""
    return _hours_in_month(plan.diary_entries.all(), day, exclude)


def _month(plan, day, *, lock=False):
    month, _created = DiaryMonth.objects.get_or_create(plan=plan, month=month_start(day))
    if lock:
        month = DiaryMonth.objects.select_for_update().get(pk=month.pk)
    return month


def _require_plan_month(plan, day):
    """DIA-8: a month is reported only within the plan's period."""
    if not month_start(plan.start_date) <= month_start(day) <= month_start(plan.last_mentoring_day):
        raise ValidationError(
            _("%(month)s is outside the plan's period.") % {"month": date_format(day, "F Y")},
            code="DIA-8",
        )


def _require_open_month(plan, day):
    month = _month(plan, day, lock=True)
    if month.is_locked_for_mentor:
        raise field_error(
            "date",
            _("%(month)s is %(status)s: its entries can no longer be changed.")
            % {"month": date_format(month.month, "F Y"), "status": month.get_status_display()},
            "DIA-7",
        )
    return month


def month_limit(plan):
    """CAP-2: the most hours a month this plan's diary holds."""
    return min(plan.monthly_hours, MAX_MONTHLY_HOURS)


def _require_hours_left(plan, entry, date, hours):
    month = date_format(date, "F")
    used = plan_hours_in_month(plan, date, exclude=entry)
    if used + hours > month_limit(plan):
        raise field_error(
            "end_time",
            _(
                "This meeting is %(hours)s hours, but the plan has %(planned)s mentoring hours "
                "a month and only %(left)s of them are left in %(month)s. To meet for longer, "
                "the plan's preparer first changes the plan's monthly hours, with a "
                "justification."
            )
            % {
                "hours": hours,
                "planned": month_limit(plan),
                "left": max(month_limit(plan) - used, 0),
                "month": month,
            },
            "CAP-2",
        )
    learner_used = hours_in_month(plan.learner, date, exclude=entry)
    if learner_used + hours > MAX_MONTHLY_HOURS:
        raise field_error(
            "end_time",
            _(
                "This meeting is %(hours)s hours, but only %(left)s of the 20 hours "
                "of %(month)s are left for this learner."
            )
            % {"hours": hours, "left": MAX_MONTHLY_HOURS - learner_used, "month": month},
            "CAP-2",
        )


def _overlapping(plan, entry, starts_at, ends_at):
    overlapping = DiaryEntry.objects.filter(
        mentor=plan.mentor, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if entry is not None:
        overlapping = overlapping.exclude(pk=entry.pk)
    return overlapping.first()


def _overlap_refusal(clash):
    return field_error(
        "start_time",
        _("You already have a meeting on %(date)s at %(start)s–%(end)s: meetings cannot overlap.")
        % {
            "date": date_format(clash.date),
            "start": clash.start_time.strftime("%H:%M"),
            "end": clash.end_time.strftime("%H:%M"),
        },
        "CAP-3",
    )


# CAP-3 in the database (PostgreSQL): diary/migrations/0002_no_overlapping_meetings.py.
OVERLAP_CONSTRAINT = "diary_entry_no_overlap"


def _save_entry(entry):
    """Save, turning a meeting that raced past the overlap check into the same refusal."""
    entry.full_clean()

    def refusal():
        clash = _overlapping(
            entry.plan, entry if entry.pk else None, entry.starts_at, entry.ends_at
        )
        return _overlap_refusal(clash)

    with refused_by_constraint(OVERLAP_CONSTRAINT, refusal):
        entry.save()


def _check_entry(*, actor, plan, entry, date, start_time, end_time, place, topic, result):
    """Every rule an entry must meet, each reported at its field."""
    if plan.mentor is None or plan.mentor.user_id != actor.pk:
        raise ValidationError(_("Only the plan's mentor keeps its diary."), code="DIA-1")
    problems = {}

    def refuse(field, message, code):
        problems[field] = [ValidationError(message, code=code)]

    answer = plan_allows_mentoring(plan, date)  # CAL-3, CAL-4, IAP-5, IAP-7
    if not answer:
        refuse("date", answer.reason, answer.code)
    starts_at, ends_at, hours, minutes = meeting_span(date, start_time, end_time)
    if minutes <= 0:
        # Data integrity guarding DIA-4: the hours are computed from the time span.
        refuse("end_time", _("The end must be after the start."), "DIA-4")
    elif hours < 1:
        # DIA-4: whole academic hours only; under 40 minutes is not an hour.
        refuse(
            "end_time",
            _("%(minutes)s minutes is less than one academic hour (40 minutes).")
            % {"minutes": minutes},
            "DIA-4",
        )
    if REMOTE_PLACE.search(place):
        refuse(
            "place",
            _(
                "Mentoring is in person only: name the physical place of the "
                "meeting, for example a park, a library or a café."
            ),
            "DIA-9",
        )
    if not place.strip():
        refuse("place", _("Name the place of the meeting."), "DIA-2")
    if not topic.strip():
        refuse("topic", _("Write the topic or the intended results."), "DIA-2")
    if result.strip() and starts_at > timezone.now():
        # DIA-2: the result is filled in after the meeting.
        refuse("result", _("The result is filled in after the meeting has started."), "DIA-2")
    if problems:
        raise ValidationError(problems)
    # CAP-2: at most 20 hours a month per learner, and never more than the plan's monthly
    # hours (IAP-6: the preparer changes those with a justification); planned and held alike.
    _require_hours_left(plan, entry, date, hours)
    # CAP-3: one learner at a time, across all of the mentor's learners.
    clash = _overlapping(plan, entry, starts_at, ends_at)
    if clash is not None:
        raise _overlap_refusal(clash)
    return starts_at, ends_at, hours


@service
def entry_create(*, actor, plan, date, start_time, end_time, place, topic, result="", comment=""):
    """DIA-2, DIA-3: plan a meeting (and, after it, report it)."""
    plan = Plan.objects.select_related("mentor", "learner__institution", "semester").get(pk=plan.pk)
    _require_open_month(plan, date)
    starts_at, ends_at, hours = _check_entry(
        actor=actor,
        plan=plan,
        entry=None,
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=place,
        topic=topic,
        result=result,
    )
    entry = DiaryEntry(
        plan=plan,
        mentor=plan.mentor,
        date=date,
        start_time=start_time,
        end_time=end_time,
        starts_at=starts_at,
        ends_at=ends_at,
        hours=hours,
        place=place.strip(),
        topic=topic.strip(),
        result=result.strip(),
        comment=comment.strip(),
    )
    _save_entry(entry)
    return entry


@service
def entry_update(*, actor, entry, date, start_time, end_time, place, topic, result="", comment=""):
    """DIA-7: correct, move or report a meeting while its month is open."""
    entry = DiaryEntry.objects.select_for_update().get(pk=entry.pk)
    plan = Plan.objects.select_related("mentor", "learner__institution", "semester").get(
        pk=entry.plan_id
    )
    _require_open_month(plan, entry.date)
    if month_start(date) != month_start(entry.date):
        _require_open_month(plan, date)
    starts_at, ends_at, hours = _check_entry(
        actor=actor,
        plan=plan,
        entry=entry,
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=place,
        topic=topic,
        result=result,
    )
    entry.date, entry.start_time, entry.end_time = date, start_time, end_time
    entry.starts_at, entry.ends_at, entry.hours = starts_at, ends_at, hours
    entry.place, entry.topic = place.strip(), topic.strip()
    entry.result, entry.comment = result.strip(), comment.strip()
    _save_entry(entry)
    return entry


@service
def entry_delete(*, actor, entry):
    """DIA-7: a meeting that did not happen is deleted (nothing is paid for it, DIA-10)."""
    entry = (
        DiaryEntry.objects.select_for_update(of=("self",))
        .select_related("plan__mentor")
        .get(pk=entry.pk)
    )
    if entry.plan.mentor.user_id != actor.pk:
        raise ValidationError(_("Only the plan's mentor keeps its diary."), code="DIA-1")
    _require_open_month(entry.plan, entry.date)
    entry.delete()


def month_confirmable_from(month_first_day):
    """DIA-7 (**Choice**): a month is confirmed at its end, from its last day on."""
    return next_month_start(month_first_day) - datetime.timedelta(days=1)


def month_problems(plan, month_first_day):
    """DIA-7: why the month cannot be confirmed yet, each with its rule ID (empty: it can)."""
    now = timezone.now()
    following = next_month_start(month_first_day)
    entries = plan.diary_entries.filter(date__gte=month_first_day, date__lt=following)
    problems = []
    last_day = month_confirmable_from(month_first_day)
    if timezone.localdate() < last_day:
        problems.append(
            ValidationError(
                _("The month is confirmed at its end, from %(date)s on.")
                % {"date": date_format(last_day)},
                code="DIA-7",
            )
        )
    for entry in entries:
        if entry.starts_at <= now and not entry.has_result:
            message = _(
                "The meeting of %(date)s at %(start)s has no result: fill it in, or delete "
                "the meeting if it did not take place."
            ) % {"date": date_format(entry.date), "start": entry.start_time.strftime("%H:%M")}
        elif entry.starts_at > now:
            message = _(
                "The meeting of %(date)s is still ahead: confirm the month after it, or move "
                "it to another month."
            ) % {"date": date_format(entry.date)}
        else:
            continue
        problems.append(ValidationError(message, code="DIA-7"))
    return problems


@service
def month_upload_scan(*, actor, plan, month, file):
    """TS-3: the scan of the signed timesheet for the month."""
    if plan.mentor is None or plan.mentor.user_id != actor.pk:
        raise ValidationError(_("Only the plan's mentor keeps its diary."), code="DIA-1")
    _require_plan_month(plan, month)
    diary_month = _require_open_month(plan, month)
    diary_month.timesheet_scan = file
    diary_month.save()
    return diary_month


@service
def month_confirm(*, actor, plan, month):
    """DIA-7, DIA-8: the mentor confirms the month; an empty month is reported as zero."""
    if plan.mentor is None or plan.mentor.user_id != actor.pk:
        raise ValidationError(_("Only the plan's mentor keeps its diary."), code="DIA-1")
    _require_plan_month(plan, month)
    diary_month = _require_open_month(plan, month)
    problems = month_problems(plan, diary_month.month)
    hours = sum(
        plan.diary_entries.filter(
            date__gte=diary_month.month, date__lte=diary_month.last_day
        ).values_list("hours", flat=True)
    )
    if hours and not diary_month.timesheet_scan:
        # TS-3: no signatures, no pay.
        problems.append(
            ValidationError(_("Upload the scan of the signed timesheet first."), code="TS-3")
        )
    if problems:
        raise ValidationError(problems)
    diary_month.hours = hours
    diary_month.status = DiaryMonth.Status.CONFIRMED
    diary_month.confirmed_at = timezone.now()
    diary_month.save()
    confirmed_at = diary_month.confirmed_at.isoformat()
    transaction.on_commit(lambda: tasks.notify_month_confirmed.delay(diary_month.pk, confirmed_at))
    return diary_month
